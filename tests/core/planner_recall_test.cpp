// Known-answer tests of the planner's review priority (issues 22 and 16): two due flashcards of one task
// statement that differ only in how long ago they were reviewed, so only in recall. The documented
// priority (session_planner.h, docs/ARCHITECTURE.md "Scheduling") is expected exam-score gain per minute:
//   gain = domain weight x (1 - mastery) x (1 + mastery sd) x value / estimated minutes
// where a review's value is the recall it carries to the exam date H days away (30 without a date):
//   value = R (R(H, S_success)) + (1 - R) R(H, S_lapse) - R(elapsed + H, S)
// so here the card with the lower recall must come first, with the gain worked out by hand.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/content_loader.h"
#include "core/session_planner.h"
#include "support/events.h"
#include "support/mini_pack.h"
#include "support/temp_dir.h"

namespace retain::core {
namespace {

using test::kDayMs;

constexpr int64_t kDay0Ms = 1'780'308'000'000;  // 2026-06-01 10:00Z, study day 20605 (UTC, rollover 04:00)

class PlannerRecall : public ::testing::Test {
protected:
    void SetUp() override {
        m_pack = test::loadMiniPack();
        // Both cards of statement 1.1 (domain 1, weight 70 %), rated Good once: card2 thirty days before
        // "now", card1 ten days before. No new items, so the plan holds just these two reviews.
        // card2 comes later in the pack, so ordering by anything but recall (or by pack order) puts it
        // second.
        ASSERT_LT(m_pack->item("1.1-fc-card1")->index, m_pack->item("1.1-fc-card2")->index);
        m_model = std::make_unique<LearnerModel>(m_mk.learner(), m_pack.get());
        m_model->apply(m_mk.setting(kDay0Ms - 1000, "new_items_per_day", "0"));
        m_model->apply(m_mk.answer(kDay0Ms, "1.1-fc-card2", 3));
        m_model->apply(m_mk.answer(kDay0Ms + 20 * kDayMs, "1.1-fc-card1", 3));
        m_now = kDay0Ms + 30 * kDayMs;
        // Both due: a first Good gives S = w2 = 2.3065, an interval of 3 days (2 rounded, raised above Hard's
        // 2 by the rating order), so due on day +3 and day +23.
        EXPECT_LE(m_model->track("1.1-fc-card2")->dueDay, 20605 + 30);
        EXPECT_LE(m_model->track("1.1-fc-card1")->dueDay, 20605 + 30);
        m_knowledge = std::make_unique<KnowledgeModel>(m_model->exam());
    }

    // The documented gain for a card of statement 1.1 reviewed `elapsed` days ago, `horizon` days before
    // the exam, with every factor from outside the planner: recall and stabilities from the FSRS
    // functions, the mastery of a learner with no evidence from the prior N(-0.5, 1.5 + 0.35):
    //   mastery = 0.25 + 0.75 sigmoid(-0.5) = 0.5331555
    //   sd      = 0.75 sigmoid(-0.5) (1 - sigmoid(-0.5)) sqrt(1.85) = 0.1762528 * 1.3601471 = 0.2397297
    //   need    = (1 - 0.5331555) * 1.2397297 = 0.5787610
    //   minutes = 0.4 (the flashcard default: fewer than 20 timed answers)
    // One Good gave S = 2.3065, D = D0(Good) = 2.1181040. Without an exam date (H = 30), worked in double
    // precision from the FSRS-6 formulas with the default weights:
    //   card2, 30 days: R 0.66752633, S_success 37.420638, S_lapse 0.90534683, value 0.20060216
    //   card1, 10 days: R 0.77436692, S_success 25.108720, S_lapse 0.75916016, value 0.17461484
    //   gain(card2) = 0.7 * 0.5787610 * 0.20060216 / 0.4 = 0.2031762
    //   gain(card1) = 0.7 * 0.5787610 * 0.17461484 / 0.4 = 0.1768555
    static double expectedGain(int elapsed, int horizon = 30) {
        const Fsrs f(FsrsParameters::defaults());
        const double s0 = f.initialStability(Rating::Good);
        const double d0 = f.initialState(Rating::Good).difficulty;
        const double r = f.retrievability(elapsed, s0);
        const double success = f.recallStability(d0, s0, r, Rating::Good);
        const double lapse = std::min(s0, f.lapseStability(d0, s0, r));
        const double value = r * f.retrievability(horizon, success) +
                             (1 - r) * f.retrievability(horizon, lapse) -
                             f.retrievability(elapsed + horizon, s0);
        const double s = 1.0 / (1.0 + std::exp(0.5));
        const double mastery = 0.25 + 0.75 * s;
        const double sd = 0.75 * s * (1 - s) * std::sqrt(1.85);
        return 0.70 * (1 - mastery) * (1 + sd) * value / 0.4;
    }

    PlanRequest request(double minutes) const {
        PlanRequest req;
        req.minutes = minutes;
        req.nowMs = m_now;
        return req;
    }

    test::EventMaker m_mk;
    std::unique_ptr<ContentPack> m_pack;
    std::unique_ptr<LearnerModel> m_model;
    std::unique_ptr<KnowledgeModel> m_knowledge;
    int64_t m_now = 0;
};

TEST_F(PlannerRecall, theCardWithLowerRecallIsPlannedFirstWithTheDocumentedGain) {
    const auto plan = planSession(*m_model, *m_knowledge, request(20));
    ASSERT_EQ(plan.items.size(), 2u);
    EXPECT_EQ(plan.reviews, 2);
    EXPECT_EQ(plan.newItems, 0);
    const auto& first = plan.items[0];
    const auto& second = plan.items[1];
    EXPECT_EQ(m_pack->itemAt(first.itemIndex).item->id(), "1.1-fc-card2");
    EXPECT_EQ(m_pack->itemAt(second.itemIndex).item->id(), "1.1-fc-card1");
    EXPECT_NEAR(first.gain, expectedGain(30), 1e-12);
    EXPECT_NEAR(second.gain, expectedGain(10), 1e-12);
    EXPECT_NEAR(first.gain, 0.2031762, 1e-6);
    EXPECT_NEAR(second.gain, 0.1768555, 1e-6);
    EXPECT_DOUBLE_EQ(first.minutes, 0.4);
    EXPECT_NE(first.reason.find("recall 67%"), std::string::npos) << first.reason;
    EXPECT_NE(second.reason.find("recall 77%"), std::string::npos) << second.reason;
}

TEST_F(PlannerRecall, aBudgetForOneCardSpendsItOnTheLowerRecall) {
    // 0.5 minutes: one 0.4-minute card fits, two do not.
    const auto plan = planSession(*m_model, *m_knowledge, request(0.5));
    ASSERT_EQ(plan.items.size(), 1u);
    EXPECT_EQ(m_pack->itemAt(plan.items[0].itemIndex).item->id(), "1.1-fc-card2");
    EXPECT_NEAR(plan.items[0].gain, expectedGain(30), 1e-12);
    EXPECT_NEAR(plan.minutes, 0.4, 1e-12);
}

TEST_F(PlannerRecall, theHorizonIsTheExamDate) {
    // Now is study day 20635 (2026-07-01); an exam on 2026-07-11 is 10 days away, so both cards are valued
    // by the recall they carry 10 days on, not 30: closer to the exam, what is reviewed now counts for more
    // of what is left on the day.
    m_model->apply(m_mk.setting(m_now - 1000, "exam_date", "2026-07-11"));
    const auto plan = planSession(*m_model, *m_knowledge, request(20));
    ASSERT_EQ(plan.items.size(), 2u);
    EXPECT_EQ(m_pack->itemAt(plan.items[0].itemIndex).item->id(), "1.1-fc-card2");
    EXPECT_NEAR(plan.items[0].gain, expectedGain(30, 10), 1e-12);
    EXPECT_NEAR(plan.items[1].gain, expectedGain(10, 10), 1e-12);
    EXPECT_GT(std::abs(expectedGain(30, 10) - expectedGain(30, 30)), 1e-3);
}

}  // namespace
}  // namespace retain::core
