#pragma once
// A real daemon in process on the mini pack, and the desktop client's window connected to it.

#include <QApplication>
#include <QElapsedTimer>
#include <QTest>
#include <functional>
#include <memory>

#include "desktop/app/daemon_session.h"
#include "desktop/views/main_window.h"
#include "desktop/views/today_view.h"
#include "support/daemon_fixture.h"

namespace retain::test {

// Runs the event loop until `done` holds or `timeoutMs` passes.
inline bool waitFor(const std::function<bool()>& done, int timeoutMs = 5000) {
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QTest::qWait(2);
    }
    return true;
}

class DesktopTest : public DaemonTest {
protected:
    void SetUp() override {
        DaemonTest::SetUp();
        m_learner = learnerId();
    }
    void TearDown() override {
        m_window.reset();
        m_session.reset();
    }

    desktop::DaemonSession::Config config() const {
        desktop::DaemonSession::Config c;
        c.address = QString::fromStdString(m_daemon->socketAddress());
        c.startDaemon = false;
        return c;
    }

    // The window, connected, showing Today with the daemon's numbers.
    desktop::MainWindow& openWindow() {
        m_session = std::make_unique<desktop::DaemonSession>(config());
        m_window = std::make_unique<desktop::MainWindow>(m_session.get());
        m_window->resize(1000, 720);
        m_window->show();
        m_window->start();
        EXPECT_TRUE(waitFor([&] { return todayShown(); })) << "Today never showed the daemon's numbers";
        return *m_window;
    }

    bool todayShown() const {
        return m_window->page() == desktop::MainWindow::Page::Today && m_window->todayView()->hasToday() &&
               !m_session->isBusy();
    }

    // A key press on the page in front, as the keyboard would deliver it.
    void press(Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
        QTest::keyClick(m_window->currentPage(), key, modifiers);
    }

    void setSetting(const std::string& field, const std::function<void(v1::LearnerSettings&)>& set) {
        v1::UpdateSettingsRequest r;
        r.set_learner_id(m_learner);
        r.add_fields(field);
        set(*r.mutable_settings());
        auto l = m_client->updateSettings(r);
        ASSERT_TRUE(l) << l.error().format();
    }

    v1::ItemDetail detail(const std::string& item) {
        v1::GetItemRequest r;
        r.set_item_id(item);
        r.set_learner_id(m_learner);
        auto d = m_client->getItem(r);
        EXPECT_TRUE(d) << d.error().format();
        return d ? *d : v1::ItemDetail();
    }

    v1::TodaySummary today() {
        v1::GetTodayRequest r;
        r.set_learner_id(m_learner);
        auto t = m_client->today(r);
        EXPECT_TRUE(t) << t.error().format();
        return t ? *t : v1::TodaySummary();
    }

    std::string m_learner;
    std::unique_ptr<desktop::DaemonSession> m_session;
    std::unique_ptr<desktop::MainWindow> m_window;
};

}  // namespace retain::test
