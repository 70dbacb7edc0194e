// The session planner's priorities (session_planner.h, docs/ARCHITECTURE.md "Scheduling"), with the
// numbers worked out here from the documented rules rather than read back from the planner:
// - a new item's gain is domain weight x need x 0.6 / minutes (0.6: introducing an item is worth 60 % of
//   rescuing a fully forgotten review);
// - an item due today is a due review, however well it is still recalled;
// - new items are introduced across task statements in proportion to domain weight x the statement's
//   share of its domain's items x need (a deficit round robin).

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>

#include "core/content_loader.h"
#include "core/session_planner.h"
#include "support/events.h"
#include "support/mini_pack.h"
#include "support/temp_dir.h"

namespace retain::core {
namespace {

using test::kDayMs;

constexpr int64_t kDay0Ms = 1'780'308'000'000;  // 2026-06-01 10:00Z: study day 20605 (UTC, rollover 04:00)

// The need of a statement a learner has no evidence on, from the knowledge model's prior N(-0.5, 1.5)
// widened by the between-statement variance 0.35 (mastery on an average 1-of-4 question, sd by the delta
// method): (1 - mastery) x (1 + sd) = (1 - 0.5331555) x 1.2397297 = 0.5787610.
double needWithoutEvidence() {
    const double s = 1.0 / (1.0 + std::exp(0.5));
    const double mastery = 0.25 + 0.75 * s;
    const double sd = 0.75 * s * (1 - s) * std::sqrt(1.85);
    return (1 - mastery) * (1 + sd);
}

class PlannerPriorities : public ::testing::Test {
protected:
    void SetUp() override {
        m_pack = test::loadMiniPack();
        m_model = std::make_unique<LearnerModel>(m_mk.learner(), m_pack.get());
    }
    SessionPlan plan(int64_t nowMs, double minutes, int maxItems = 1000) {
        KnowledgeModel knowledge(m_model->exam());
        PlanRequest req;
        req.nowMs = nowMs;
        req.minutes = minutes;
        req.maxItems = maxItems;
        return planSession(*m_model, knowledge, req);
    }
    std::string idOf(const PlannedItem& p) const { return m_pack->itemAt(p.itemIndex).item->id(); }

    test::EventMaker m_mk;
    std::unique_ptr<ContentPack> m_pack;
    std::unique_ptr<LearnerModel> m_model;
};

TEST_F(PlannerPriorities, aNewItemIsWorthSixTenthsOfAForgottenReviewPerMinute) {
    // A learner with no answers: every item new, every statement the same need. Domain 1 weighs 70 %,
    // domain 2 30 %; a flashcard takes 0.4 minutes, a question 1.6 (the defaults before enough timed
    // answers). For a card of domain 1: 0.7 x 0.5787610 x 0.6 / 0.4 = 0.6076991.
    m_model->apply(m_mk.setting(kDay0Ms - 1000, "new_items_per_day", "100"));
    const auto p = plan(kDay0Ms, 600);
    ASSERT_EQ(p.newItems, 21);
    const double need = needWithoutEvidence();
    for (const auto& item : p.items) {
        const auto& ref = m_pack->itemAt(item.itemIndex);
        const bool card = ref.item->kind() == v1::FLASHCARD;
        const double weight = ref.statement->domain->id() == "1" ? 0.7 : 0.3;
        const double minutes = card ? 0.4 : 1.6;
        EXPECT_TRUE(item.isNew);
        EXPECT_DOUBLE_EQ(item.minutes, minutes) << idOf(item);
        EXPECT_NEAR(item.gain, weight * need * 0.6 / minutes, 1e-12) << idOf(item);
        if (ref.item->id() == "1.1-fc-card1") {
            EXPECT_NEAR(item.gain, 0.6076991, 1e-6);
        }
    }
}

TEST_F(PlannerPriorities, anItemDueTodayIsPlannedEvenWhileItsRecallIsStillHigh) {
    // Desired retention 0.97: an item falls due while recall is still about 0.97, above the 0.95 below
    // which reviews not yet due are offered ahead of schedule. Due today must still mean planned today.
    m_model->apply(m_mk.setting(kDay0Ms - 3000, "desired_retention", "0.97"));
    m_model->apply(m_mk.setting(kDay0Ms - 2000, "new_items_per_day", "0"));
    m_model->apply(m_mk.answer(kDay0Ms, "1.1-fc-card1", 4));
    const ItemTrack* t = m_model->track("1.1-fc-card1");
    ASSERT_NE(t, nullptr);
    // Reviewed (Easy) on its due day, then planned on its next due day, 10:00Z (after the 04:00 rollover).
    m_model->apply(m_mk.answer(t->dueDay * kDayMs + 36'000'000, "1.1-fc-card1", 4));
    const int64_t now = t->dueDay * kDayMs + 36'000'000;
    ASSERT_EQ(m_model->days().dayOf(now), t->dueDay);
    ASSERT_LT(1.0 - m_model->retrievability(*t, now), 0.05) << "the scenario needs recall above 0.95";

    const auto p = plan(now, 20);
    ASSERT_EQ(p.items.size(), 1u);
    EXPECT_EQ(idOf(p.items[0]), "1.1-fc-card1");
    EXPECT_EQ(p.reviews, 1);
    EXPECT_EQ(p.items[0].reason.rfind("due;", 0), 0u) << p.items[0].reason;
}

TEST_F(PlannerPriorities, newItemsFollowTheDomainWeights) {
    // No evidence: every statement has the same need, so the targets are weight x share of the domain's
    // items: 1.1 and 1.2 get 0.7 x 7/14 = 0.35 each, 2.1 gets 0.3 x 7/7 = 0.3. The round robin gives the
    // k-th new item to the statement furthest below target x k; the first ten go
    //   1.1 1.2 2.1 1.1 1.2 2.1 1.1 1.2 2.1 1.1
    // (deficits worked out step by step), so 7 from domain 1 and 3 from domain 2. Ignoring the weights
    // (0.5 / 0.5 / 1.0) would give domain 2 five of the ten.
    m_model->apply(m_mk.setting(kDay0Ms - 1000, "new_items_per_day", "100"));
    const auto p = plan(kDay0Ms, 600, 10);
    ASSERT_EQ(p.items.size(), 10u);
    std::map<std::string, int> perStatement;
    for (const auto& item : p.items)
        ++perStatement[m_pack->itemAt(item.itemIndex).statement->statement->id()];
    EXPECT_EQ(perStatement["2.1"], 3);
    EXPECT_EQ(perStatement["1.1"] + perStatement["1.2"], 7);
    EXPECT_GE(perStatement["1.1"], 3);
    EXPECT_GE(perStatement["1.2"], 3);
}

}  // namespace
}  // namespace retain::core
