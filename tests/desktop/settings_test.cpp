#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include "desktop/views/settings_view.h"
#include "desktop/views/shortcuts_dialog.h"
#include "desktop/views/stat_tile.h"
#include "desktop/views/today_view.h"
#include "desktop_fixture.h"

namespace retain::test {
namespace {

using desktop::MainWindow;
using desktop::SettingsView;

class DesktopSettings : public DesktopTest {
protected:
    SettingsView* openSettings() {
        auto& w = openWindow();
        press(Qt::Key_6, Qt::ControlModifier);
        EXPECT_EQ(w.page(), MainWindow::Page::Settings);
        SettingsView* view = w.settingsView();
        EXPECT_TRUE(waitFor([&] { return !view->syncText().startsWith(QStringLiteral("Asking")); }));
        return view;
    }
    v1::LearnerSettings onDaemon() {
        v1::GetLearnerRequest r;
        r.set_learner(m_learner);
        auto l = m_client->getLearner(r);
        EXPECT_TRUE(l) << l.error().format();
        return l ? l->settings() : v1::LearnerSettings();
    }
};

TEST_F(DesktopSettings, changedSettingsRoundTripThroughTheDaemon) {
    SettingsView* view = openSettings();
    const v1::LearnerSettings before = onDaemon();
    EXPECT_EQ(view->newPerDay()->value(), static_cast<int>(before.new_items_per_day()));
    EXPECT_DOUBLE_EQ(view->desiredRetention()->value(), before.desired_retention());
    EXPECT_FALSE(view->examBooked()->isChecked());
    EXPECT_FALSE(view->saveButton()->isEnabled()) << "nothing to save yet";

    view->newPerDay()->setValue(7);
    view->desiredRetention()->setValue(0.85);
    view->examBooked()->setChecked(true);
    view->examDate()->setDate(QDate(2026, 9, 30));
    view->timeZone()->setCurrentText(QStringLiteral("Europe/Berlin"));
    view->rolloverHour()->setValue(3);
    view->displayName()->setText(QStringLiteral("Alex"));
    EXPECT_EQ(view->changedFields().size(), 6) << view->changedFields().join(QLatin1Char(',')).toStdString();
    EXPECT_TRUE(view->saveButton()->isEnabled());
    QTest::keyClick(view->newPerDay(), Qt::Key_S, Qt::ControlModifier);
    ASSERT_TRUE(waitFor([&] { return view->statusText() == QStringLiteral("Saved."); }))
        << view->errorText().toStdString();

    const v1::LearnerSettings after = onDaemon();
    EXPECT_EQ(after.new_items_per_day(), 7u);
    EXPECT_DOUBLE_EQ(after.desired_retention(), 0.85);
    EXPECT_EQ(after.exam_date(), "2026-09-30");
    EXPECT_EQ(after.time_zone(), "Europe/Berlin");
    EXPECT_EQ(after.day_rollover_hour(), 3u);
    EXPECT_EQ(after.display_name(), "Alex");
    EXPECT_EQ(after.minutes_per_day(), before.minutes_per_day()) << "untouched fields are not sent";
    EXPECT_TRUE(view->changedFields().isEmpty());
    EXPECT_EQ(m_session->learner().settings().exam_date(), "2026-09-30") << "the session has the new learner";

    // Today shows the new exam date.
    press(Qt::Key_1, Qt::ControlModifier);
    ASSERT_TRUE(waitFor([&] { return todayShown(); }));
    EXPECT_TRUE(m_window->todayView()->examTile()->value().contains(QStringLiteral("days left")));

    // Unbooking clears the date.
    press(Qt::Key_6, Qt::ControlModifier);
    view->examBooked()->setChecked(false);
    EXPECT_EQ(view->changedFields(), QStringList{QStringLiteral("exam_date")});
    view->saveButton()->click();
    ASSERT_TRUE(waitFor([&] { return view->statusText() == QStringLiteral("Saved."); }));
    EXPECT_TRUE(onDaemon().exam_date().empty());
}

TEST_F(DesktopSettings, aRejectedValueIsShownAndNothingChanges) {
    SettingsView* view = openSettings();
    const v1::LearnerSettings before = onDaemon();
    view->timeZone()->setCurrentText(QStringLiteral("Mars/Olympus_Mons"));
    view->newPerDay()->setValue(3);
    view->saveButton()->click();
    ASSERT_TRUE(waitFor([&] { return !view->errorText().isEmpty(); }));
    EXPECT_TRUE(view->errorText().contains(QStringLiteral("Mars/Olympus_Mons")))
        << view->errorText().toStdString();
    EXPECT_EQ(onDaemon().SerializeAsString(), before.SerializeAsString());
    EXPECT_TRUE(view->saveButton()->isEnabled()) << "the edits stay, to be fixed and saved again";
}

TEST_F(DesktopSettings, syncStatusSaysWhenTheDaemonHasNoSync) {
    SettingsView* view = openSettings();
    v1::GetSyncStatusRequest r;
    r.set_learner_id(m_learner);
    auto status = m_client->syncStatus(r);
    if (!status && status.error().codeName == "UNIMPLEMENTED") {
        EXPECT_FALSE(view->syncAvailable());
        EXPECT_TRUE(view->syncText().contains(QStringLiteral("Sync is not available in this daemon")));
    } else {
        ASSERT_TRUE(status) << status.error().format();
        EXPECT_TRUE(view->syncAvailable());
        EXPECT_TRUE(view->syncText().contains(status->configured() ? QStringLiteral("Last sync")
                                                                   : QStringLiteral("Sync is off")));
    }
}

TEST_F(DesktopSettings, keyboardShortcutsMoveBetweenPagesAndF1ListsThem) {
    auto& w = openWindow();
    const std::pair<Qt::Key, MainWindow::Page> pages[] = {
        {Qt::Key_3, MainWindow::Page::Mock},   {Qt::Key_4, MainWindow::Page::Progress},
        {Qt::Key_5, MainWindow::Page::Browse}, {Qt::Key_6, MainWindow::Page::Settings},
        {Qt::Key_1, MainWindow::Page::Today},  {Qt::Key_2, MainWindow::Page::Review},
    };
    for (const auto& [key, page] : pages) {
        press(key, Qt::ControlModifier);
        EXPECT_EQ(w.page(), page) << static_cast<int>(page);
        EXPECT_TRUE(w.navButton(page)->isChecked());
        EXPECT_FALSE(w.navButton(page)->toolTip().isEmpty());
    }
    press(Qt::Key_F1);
    ASSERT_NE(w.shortcutsDialog(), nullptr);
    EXPECT_TRUE(w.shortcutsDialog()->isVisible());
    const QStringList entries = desktop::ShortcutsDialog::entries();
    EXPECT_TRUE(entries.contains(QStringLiteral("Mock exam")));
    EXPECT_TRUE(entries.filter(QStringLiteral("Ctrl+Z")).size() == 1);
    w.shortcutsDialog()->close();
}

}  // namespace
}  // namespace retain::test
