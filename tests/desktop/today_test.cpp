#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>

#include "desktop/app/text_format.h"
#include "desktop/views/connection_view.h"
#include "desktop/views/stat_tile.h"
#include "desktop_fixture.h"

namespace retain::test {
namespace {

using desktop::MainWindow;

class DesktopToday : public DesktopTest {
protected:
    // Answers `n` items through the API (flashcards GOOD, questions with their first options).
    void study(int n) {
        v1::StartSessionRequest start;
        start.set_learner_id(m_learner);
        start.set_mode(v1::DAILY_REVIEW);
        auto s = m_client->startSession(start);
        ASSERT_TRUE(s) << s.error().format();
        for (int i = 0; i < n; ++i) {
            v1::NextItemRequest next;
            next.set_learner_id(m_learner);
            next.set_session_id(s->id());
            auto item = m_client->nextItem(next);
            ASSERT_TRUE(item && !item->finished());
            v1::AnswerRequest a;
            a.set_learner_id(m_learner);
            a.set_session_id(s->id());
            a.set_item_id(item->item().id());
            a.set_response_ms(8000);
            if (item->item().kind() == v1::FLASHCARD)
                a.set_rating(v1::GOOD);
            else
                for (uint32_t k = 0; k < std::max<uint32_t>(1, item->item().choose()); ++k)
                    a.add_chosen_options(item->item().option_index(static_cast<int>(k)));
            ASSERT_TRUE(m_client->answer(a));
        }
        v1::EndSessionRequest end;
        end.set_learner_id(m_learner);
        end.set_session_id(s->id());
        ASSERT_TRUE(m_client->endSession(end));
    }
};

TEST_F(DesktopToday, showsTheDaemonsCountsStreakAndExamCountdown) {
    ASSERT_NO_FATAL_FAILURE(study(4));
    setSetting("exam_date", [](v1::LearnerSettings& s) { s.set_exam_date("2026-08-14"); });
    const v1::TodaySummary t = today();
    ASSERT_GT(t.days_to_exam(), 1);

    auto& w = openWindow();
    auto* view = w.todayView();
    EXPECT_EQ(view->dueTile()->value(), QString::number(t.due()));
    EXPECT_EQ(view->newTile()->value(), QString::number(t.new_available()));
    EXPECT_EQ(view->timeTile()->value(), QStringLiteral("%1 min").arg(std::lround(t.estimated_minutes())));
    EXPECT_EQ(t.current_streak(), 1u);
    EXPECT_EQ(view->streakTile()->value(), QStringLiteral("1 day"));
    EXPECT_EQ(view->examTile()->value(), QStringLiteral("%1 days left").arg(t.days_to_exam()));
    EXPECT_TRUE(view->examTile()->detail().contains(desktop::longDateText("2026-08-14")));
    EXPECT_TRUE(view->examTile()->caption().contains(QStringLiteral("MINI-01")));
    EXPECT_EQ(view->studyButton()->isEnabled(), t.due() + t.new_available() + t.ahead_available() > 0);
    EXPECT_TRUE(view->errorText().isEmpty());
    // The plan in the daemon's words, under the progress bar.
    auto* plan = view->findChild<QLabel*>(QStringLiteral("plan"));
    ASSERT_NE(plan, nullptr);
    ASSERT_FALSE(t.plan().empty());
    EXPECT_EQ(plan->text(), QStringLiteral("Plan: ") + QString::fromStdString(t.plan()));
    EXPECT_TRUE(plan->text().contains(desktop::longDateText("2026-08-14").section(QLatin1Char(' '), -1)))
        << plan->text().toStdString();
}

TEST(TodayView, allDoneOnlyWhenNothingIsLeftAndThenTheDaemonsReasonMinutesUsedOffersToKeepGoing) {
    desktop::TodayView view;
    v1::TodaySummary t;
    t.set_today("2026-06-01");
    t.set_due(3);
    view.setToday(t);
    EXPECT_EQ(view.studyButton()->text(), QStringLiteral("Study now"));
    EXPECT_TRUE(view.studyButton()->isEnabled());
    EXPECT_EQ(view.studyHint()->text(), QStringLiteral("Press Enter to start"));
    // Only reviews worth doing early: still work, not "all done".
    t.set_due(0);
    t.set_ahead_available(5);
    view.setToday(t);
    EXPECT_EQ(view.studyButton()->text(), QStringLiteral("Study now"));
    // Today's minutes used, more there: keep going, and the daemon's sentence says what more.
    t.set_status("Today's 20 minutes are used. More is there if you want it: 5 worth reviewing early.");
    view.setToday(t);
    EXPECT_EQ(view.studyButton()->text(), QStringLiteral("Keep going"));
    EXPECT_TRUE(view.studyButton()->isEnabled());
    EXPECT_EQ(view.studyHint()->text().toStdString(), t.status());
    // Nothing left: all done, and why.
    t.set_ahead_available(0);
    t.set_status("Nothing worth studying is left today: nothing is due, today's 20 new items are in.");
    view.setToday(t);
    EXPECT_EQ(view.studyButton()->text(), QStringLiteral("All done for today"));
    EXPECT_FALSE(view.studyButton()->isEnabled());
    EXPECT_EQ(view.studyHint()->text().toStdString(), t.status());
}

TEST(TodayView, readinessNamesTheAssumedCutWhereTheNumberIs) {
    desktop::TodayView view;
    v1::Readiness r;
    r.set_enough_evidence(true);
    r.set_pass_probability(0.64);
    r.set_pass_probability_low(0.41);
    r.set_pass_probability_high(0.83);
    r.set_scaled_score(760);
    r.set_scaled_score_low(678);
    r.set_scaled_score_high(839);
    r.set_passing_scaled_score(750);
    r.set_date("2027-02-22");
    r.set_assumed_cut_fraction(0.72);
    r.set_assumption_note("AWS does not publish the raw score behind 750.");
    view.setReadiness(r);
    EXPECT_EQ(view.readinessTile()->value(), QStringLiteral("64% chance to pass"));
    // With how sure that is: the 80 % range comes first in the detail.
    EXPECT_TRUE(view.readinessTile()->detail().startsWith(QStringLiteral("Likely 41–83% (80% range)")))
        << view.readinessTile()->detail().toStdString();
    const QString tip = view.readinessTile()->toolTip();
    EXPECT_TRUE(tip.contains(QStringLiteral("72%"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("does not publish"))) << tip.toStdString();
}

TEST(TodayView, aForecastForTheExamDateNamesThePlanAndShowsTodayBesideIt) {
    desktop::TodayView view;
    v1::Readiness r;
    r.set_enough_evidence(true);
    r.set_pass_probability(0.81);
    r.set_pass_probability_low(0.55);
    r.set_pass_probability_high(0.95);
    r.set_scaled_score(790);
    r.set_scaled_score_low(700);
    r.set_scaled_score_high(880);
    r.set_passing_scaled_score(750);
    r.set_date("2027-02-22");
    r.set_assumed_cut_fraction(0.72);
    r.set_planned_new_items(240);
    r.set_planned_answers(1800);
    auto* t = r.mutable_today();
    t->set_date("2027-01-10");
    t->set_pass_probability(0.33);
    t->set_pass_probability_low(0.12);
    t->set_pass_probability_high(0.61);
    view.setReadiness(r);
    EXPECT_EQ(view.readinessTile()->value(), QStringLiteral("81% chance to pass"));
    const QString detail = view.readinessTile()->detail();
    EXPECT_TRUE(detail.startsWith(QStringLiteral("Likely 55–95% on "))) << detail.toStdString();
    EXPECT_TRUE(detail.contains(QStringLiteral("if you keep to your plan; 33% (12–61%) if you sat it today")))
        << detail.toStdString();
    const QString tip = view.readinessTile()->toolTip();
    EXPECT_TRUE(tip.contains(QStringLiteral("about 240 new items and 1800 answers"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("72%"))) << tip.toStdString();
}

TEST_F(DesktopToday, readinessSaysThereIsNotEnoughEvidenceAndShowsNoNumbers) {
    auto& w = openWindow();
    auto* readiness = w.todayView()->readinessTile();
    // The daemon's answer replaces the placeholder with what is still needed.
    ASSERT_TRUE(waitFor([&] { return readiness->detail().contains(QStringLiteral("Still needed")); }));
    EXPECT_TRUE(readiness->value().contains(QStringLiteral("not enough evidence"), Qt::CaseInsensitive));
    EXPECT_TRUE(readiness->detail().contains(QStringLiteral("exam-style questions")));
    EXPECT_FALSE(readiness->value().contains(QRegularExpression(QStringLiteral("\\d"))));
    EXPECT_FALSE(readiness->detail().contains(QStringLiteral("chance")));
}

TEST_F(DesktopToday, withoutAnExamDateItSaysHowToSetOne) {
    auto& w = openWindow();
    EXPECT_EQ(w.todayView()->examTile()->value(), QStringLiteral("No date set"));
    EXPECT_TRUE(w.todayView()->examTile()->detail().contains(QStringLiteral("Settings")));
    EXPECT_EQ(w.todayView()->streakTile()->value(), QStringLiteral("0 days"));
}

TEST_F(DesktopToday, aFailedRefreshIsShownInTheTodayView) {
    auto& w = openWindow();
    stopDaemon();
    w.session()->fetchToday();
    ASSERT_TRUE(waitFor([&] { return !w.todayView()->errorText().isEmpty(); }, 10000));
    EXPECT_EQ(w.page(), MainWindow::Page::Today);
}

TEST_F(DesktopToday, whenNoDaemonAnswersTheWindowSaysSoAndRetryConnects) {
    const auto c = config();
    stopDaemon();
    desktop::DaemonSession session(c);
    desktop::MainWindow window(&session);
    window.show();
    window.start();
    ASSERT_TRUE(waitFor(
        [&] { return session.connectionState() == desktop::DaemonSession::ConnectionState::Failed; }));
    EXPECT_EQ(window.page(), MainWindow::Page::Connection);
    EXPECT_TRUE(window.connectionView()->messageText().contains(QStringLiteral("No study daemon answers")));
    EXPECT_TRUE(window.connectionView()->retryButton()->isVisibleTo(window.connectionView()));

    startDaemon();  // same socket, same data
    QTest::keyClick(window.currentPage(), Qt::Key_Return);
    ASSERT_TRUE(
        waitFor([&] { return window.page() == MainWindow::Page::Today && window.todayView()->hasToday(); }));
}

}  // namespace
}  // namespace retain::test

namespace retain::test {
namespace {

TEST(MainWindowGeometry, isRememberedBetweenRuns) {
    QSettings().remove(QStringLiteral("window/geometry"));
    desktop::DaemonSession::Config c;
    c.address = QStringLiteral("unix:/nonexistent/retain.sock");
    c.startDaemon = false;
    desktop::DaemonSession session(c);
    {
        desktop::MainWindow first(&session);
        first.restoreWindowGeometry();
        first.show();
        first.resize(900, 640);
        QTest::qWait(10);
        first.close();
    }
    desktop::MainWindow second(&session);
    second.restoreWindowGeometry();
    EXPECT_EQ(second.size(), QSize(900, 640));
    QSettings().remove(QStringLiteral("window/geometry"));
}

}  // namespace
}  // namespace retain::test
