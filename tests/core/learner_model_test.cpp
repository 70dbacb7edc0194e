#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "core/content_loader.h"
#include "core/learner_model.h"
#include "support/events.h"
#include "support/mini_pack.h"
#include "support/temp_dir.h"

namespace retain::core {
namespace {

using test::kDayMs;
using test::kT0;

class LearnerModelTest : public ::testing::Test {
protected:
    void SetUp() override { m_pack = test::loadMiniPack(); }

    // A snapshot of everything derived, for exact comparisons.
    static std::string snapshot(const LearnerModel& m) {
        std::vector<std::string> rows;
        for (const auto& [id, t] : m.tracks()) {
            char buf[256];
            std::snprintf(buf, sizeof buf, "%s s=%.12g d=%.12g due=%lld r=%d l=%d susp=%d leech=%d",
                          id.c_str(), t.memory ? t.memory->stability : -1.0,
                          t.memory ? t.memory->difficulty : -1.0, static_cast<long long>(t.dueDay), t.reviews,
                          t.lapses, t.suspended, t.leech);
            rows.push_back(buf);
        }
        std::sort(rows.begin(), rows.end());
        std::string out;
        for (const auto& r : rows)
            out += r + "\n";
        out += "retention=" + m.settings().get("desired_retention") + " tz=" + m.settings().timeZone;
        return out;
    }

    std::vector<v1::Event> history(test::EventMaker& mk) {
        std::vector<v1::Event> ev;
        ev.push_back(mk.setting(kT0, "desired_retention", "0.85"));
        int64_t t = kT0 + 1000;
        const char* items[] = {"1.1-fc-card1", "1.1-fc-card2", "1.2-mc-q1", "2.1-fc-card3"};
        std::mt19937 rng(7);
        for (int day = 0; day < 40; ++day) {
            for (const char* item : items) {
                if (rng() % 3 == 0)
                    continue;
                ev.push_back(
                    mk.answer(t + day * kDayMs, item, 1 + static_cast<int>(rng() % 4), item[4] == 'm'));
                t += 5000;
            }
        }
        ev.push_back(mk.undo(t + 41 * kDayMs, ev[5].id()));
        ev.push_back(mk.suspend(t + 41 * kDayMs, "2.1-fc-card3", true));
        ev.push_back(mk.setting(t + 42 * kDayMs, "time_zone", "America/New_York"));
        return ev;
    }

    std::unique_ptr<ContentPack> m_pack;
};

TEST_F(LearnerModelTest, foldIsTheSameWhateverOrderEventsArriveIn) {
    test::EventMaker mk;
    auto events = history(mk);
    LearnerModel ordered(mk.learner(), m_pack.get());
    for (const auto& e : events)
        ordered.apply(e);
    const auto expected = snapshot(ordered);
    std::mt19937 rng(42);
    for (int round = 0; round < 20; ++round) {
        auto shuffled = events;
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        LearnerModel m(mk.learner(), m_pack.get());
        for (const auto& e : shuffled)
            m.apply(e);
        ASSERT_EQ(snapshot(m), expected) << "round " << round;
    }
}

TEST_F(LearnerModelTest, applyingAnEventTwiceChangesNothing) {
    test::EventMaker mk;
    auto events = history(mk);
    LearnerModel m(mk.learner(), m_pack.get());
    for (const auto& e : events)
        m.apply(e);
    const auto before = snapshot(m);
    for (const auto& e : events)
        EXPECT_FALSE(m.apply(e));
    EXPECT_EQ(snapshot(m), before);
    EXPECT_EQ(m.eventCount(), events.size());
}

TEST_F(LearnerModelTest, undoRestoresTheExactPriorState) {
    test::EventMaker mk;
    LearnerModel m(mk.learner(), m_pack.get());
    m.apply(mk.answer(kT0, "1.1-fc-card1", 3));
    m.apply(mk.answer(kT0 + 3 * kDayMs, "1.1-fc-card1", 3));
    const auto before = snapshot(m);
    const auto wrong = mk.answer(kT0 + 9 * kDayMs, "1.1-fc-card1", 1);
    m.apply(wrong);
    EXPECT_NE(snapshot(m), before);
    EXPECT_EQ(m.track("1.1-fc-card1")->lapses, 1);
    m.apply(mk.undo(kT0 + 9 * kDayMs + 1000, wrong.id()));
    EXPECT_EQ(snapshot(m), before);
    EXPECT_EQ(m.track("1.1-fc-card1")->lapses, 0);
}

TEST_F(LearnerModelTest, anUndoArrivingBeforeItsAnswerStillApplies) {
    test::EventMaker mk;
    const auto a = mk.answer(kT0, "1.1-fc-card1", 3);
    const auto u = mk.undo(kT0 + 1000, a.id());
    LearnerModel m(mk.learner(), m_pack.get());
    m.apply(u);
    m.apply(a);
    EXPECT_FALSE(m.track("1.1-fc-card1")->memory.has_value());
}

TEST_F(LearnerModelTest, settingsMergeLastWriterWinsByHybridClock) {
    test::EventMaker mk;
    const auto older = mk.setting(kT0, "minutes_per_day", "30");
    const auto newer = mk.setting(kT0 + 1000, "minutes_per_day", "45");
    LearnerModel m(mk.learner(), m_pack.get());
    m.apply(newer);
    m.apply(older);
    EXPECT_EQ(m.settings().minutesPerDay, 45);
}

TEST_F(LearnerModelTest, lapsesBeyondTheThresholdMakeALeech) {
    test::EventMaker mk;
    LearnerModel m(mk.learner(), m_pack.get());
    m.apply(mk.setting(kT0, "leech_threshold", "3"));
    m.apply(mk.answer(kT0 + 1000, "1.2-fc-card2", 3));
    for (int i = 1; i <= 3; ++i) {
        EXPECT_FALSE(m.track("1.2-fc-card2")->leech);
        m.apply(mk.answer(kT0 + i * 2 * kDayMs, "1.2-fc-card2", 1));
    }
    EXPECT_TRUE(m.track("1.2-fc-card2")->leech);
}

TEST_F(LearnerModelTest, aLateSessionCountsForTheStudyDayBeforeTheRollover) {
    test::EventMaker mk;
    LearnerModel m(mk.learner(), m_pack.get());
    // kT0 is 20:26 UTC; 7 hours later is 03:26 UTC the next calendar day, before the 04:00 rollover.
    m.apply(mk.answer(kT0, "1.1-fc-card1", 3));
    m.apply(mk.answer(kT0 + 7 * 3600 * 1000, "1.1-fc-card2", 3));
    EXPECT_EQ(m.track("1.1-fc-card1")->lastDay, m.track("1.1-fc-card2")->lastDay);
    EXPECT_EQ(m.newItemsOnDay(m.days().dayOf(kT0)), 2);
}

}  // namespace
}  // namespace retain::core
