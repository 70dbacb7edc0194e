// The fold's bookkeeping beyond FSRS (docs/ARCHITECTURE.md, "The event log"): what counts as a lapse,
// which suspension wins, and which answers introduce an item on a study day. Every expected number is
// counted by hand from the events the test writes.

#include <gtest/gtest.h>

#include <memory>

#include "core/content_loader.h"
#include "core/learner_model.h"
#include "support/events.h"
#include "support/mini_pack.h"
#include "support/temp_dir.h"

namespace retain::core {
namespace {

using test::kDayMs;

constexpr int64_t kDay0Ms = 1'780'308'000'000;  // 2026-06-01 10:00Z: study day 20605 (UTC, rollover 04:00)
constexpr int64_t kDay0 = 20605;

class FoldBookkeeping : public ::testing::Test {
protected:
    void SetUp() override {
        m_pack = test::loadMiniPack();
        m_model = std::make_unique<LearnerModel>(m_mk.learner(), m_pack.get());
    }

    test::EventMaker m_mk;
    std::unique_ptr<ContentPack> m_pack;
    std::unique_ptr<LearnerModel> m_model;
};

TEST_F(FoldBookkeeping, againOnTheFirstReviewIsLearningNotALapse) {
    // A lapse is forgetting an item once learned: the first answer is learning, whatever its grade.
    m_model->apply(m_mk.answer(kDay0Ms, "1.1-fc-card1", 1));  // Again, first review
    const ItemTrack* t = m_model->track("1.1-fc-card1");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->reviews, 1);
    EXPECT_EQ(t->lapses, 0);
    m_model->apply(m_mk.answer(kDay0Ms + kDayMs, "1.1-fc-card1", 3));  // Good
    EXPECT_EQ(t->lapses, 0);
    m_model->apply(m_mk.answer(kDay0Ms + 5 * kDayMs, "1.1-fc-card1", 1));  // Again: forgotten, 1 lapse
    EXPECT_EQ(t->lapses, 1);
    m_model->apply(m_mk.answer(kDay0Ms + 6 * kDayMs, "1.1-fc-card1", 1));  // Again again: 2 lapses
    EXPECT_EQ(t->reviews, 4);
    EXPECT_EQ(t->lapses, 2);
}

TEST_F(FoldBookkeeping, theSuspensionWithTheLaterClockWinsWhateverTheArrivalOrder) {
    // Written in this order, so "resume" has the earlier hybrid clock (the EventMaker's HLC follows the
    // wall time): the suspension at 10:01 is the last writer.
    const auto suspend = m_mk.suspend(kDay0Ms + 60'000, "1.1-fc-card1", true);
    const auto resume = m_mk.suspend(kDay0Ms, "1.1-fc-card1", false);
    ASSERT_LT(resume.hlc(), suspend.hlc());

    m_model->apply(suspend);
    m_model->apply(resume);  // arrives last (sync), but wrote first
    ASSERT_NE(m_model->track("1.1-fc-card1"), nullptr);
    EXPECT_TRUE(m_model->track("1.1-fc-card1")->suspended);

    LearnerModel inOrder(m_mk.learner(), m_pack.get());
    inOrder.apply(resume);
    inOrder.apply(suspend);
    EXPECT_TRUE(inOrder.track("1.1-fc-card1")->suspended);
}

TEST_F(FoldBookkeeping, onlyAnItemsFirstAnswerIntroducesIt) {
    // card2 is first answered the day before and again on day 0; card1 is new on day 0 and answered
    // three times that day. New on day 0: card1 only. New the day before: card2.
    m_model->apply(m_mk.answer(kDay0Ms - kDayMs, "1.1-fc-card2", 3));
    m_model->apply(m_mk.answer(kDay0Ms, "1.1-fc-card1", 1));
    m_model->apply(m_mk.answer(kDay0Ms + 600'000, "1.1-fc-card1", 3));
    m_model->apply(m_mk.answer(kDay0Ms + 1'200'000, "1.1-fc-card1", 3));
    m_model->apply(m_mk.answer(kDay0Ms + 1'800'000, "1.1-fc-card2", 3));
    EXPECT_EQ(m_model->newItemsOnDay(kDay0), 1);
    EXPECT_EQ(m_model->newItemsOnDay(kDay0 - 1), 1);
    EXPECT_EQ(m_model->newItemsOnDay(kDay0 + 1), 0);
}

}  // namespace
}  // namespace retain::core
