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

    // Answers the item a session presented through the API: a flashcard with `cardRating`, a question
    // with its first options as shown.
    void answerPresented(const std::string& sessionId, const v1::PresentedItem& item,
                         v1::Rating cardRating = v1::GOOD) {
        v1::AnswerRequest a;
        a.set_learner_id(m_learner);
        a.set_session_id(sessionId);
        a.set_item_id(item.id());
        a.set_response_ms(8000);
        if (item.kind() == v1::FLASHCARD)
            a.set_rating(cardRating);
        else
            for (uint32_t k = 0; k < std::max<uint32_t>(1, item.choose()); ++k)
                a.add_chosen_options(item.option_index(static_cast<int>(k)));
        auto answered = m_client->answer(a);
        ASSERT_TRUE(answered) << answered.error().format();
    }

    // Answers `n` items through the API (flashcards GOOD, questions with their first options), as if
    // studied elsewhere, so the client has real data to show.
    void studyThroughApi(int n) {
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
            ASSERT_TRUE(item && !item->finished()) << "the session ended after " << i << " items";
            ASSERT_NO_FATAL_FAILURE(answerPresented(s->id(), item->item()));
        }
        v1::EndSessionRequest end;
        end.set_learner_id(m_learner);
        end.set_session_id(s->id());
        ASSERT_TRUE(m_client->endSession(end));
    }

    // Moves the simulated clock `days` days on.
    void advanceDays(int days) {
        v1::SetClockRequest r;
        m_clockMs += static_cast<int64_t>(days) * 86'400'000;
        r.set_now_ms(m_clockMs);
        auto c = m_client->setClock(r);
        ASSERT_TRUE(c) << c.error().format();
    }

    v1::TodaySummary today() {
        v1::GetTodayRequest r;
        r.set_learner_id(m_learner);
        auto t = m_client->today(r);
        EXPECT_TRUE(t) << t.error().format();
        return t ? *t : v1::TodaySummary();
    }

    std::string m_learner;
    int64_t m_clockMs = 1'780'000'000'000;  // the fixture's simulated start
    std::unique_ptr<desktop::DaemonSession> m_session;
    std::unique_ptr<desktop::MainWindow> m_window;
};

}  // namespace retain::test
