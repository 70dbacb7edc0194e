// Readiness's forecast "on your exam date if you keep to your plan" (issue 21, item 3): the study the
// plan still adds (core::plannedStudy) and the knowledge model projected with it
// (KnowledgeModel::withPlannedStudy), against figures worked out by hand from their documentation.
//
// The mini pack (tests/data/content/mini): statements 1.1 and 1.2 in domain 1, 2.1 in domain 2, each with
// 7 study items (4 flashcards, two 1-of-4 questions, one 2-of-5).

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "core/knowledge_model.h"
#include "core/session_planner.h"
#include "support/events.h"
#include "support/mini_pack.h"

namespace retain::core {
namespace {

using test::kDayMs;

constexpr int64_t kDay0Ms = 1'780'308'000'000;  // 2026-06-01 10:00Z, study day 20605 (UTC, rollover 04:00)
constexpr int64_t kDay0 = 20605;

class PlannedStudyTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_pack = test::loadMiniPack();
        m_model = std::make_unique<LearnerModel>(m_mk.learner(), m_pack.get());
    }
    void limit(int perDay) {
        m_model->apply(m_mk.setting(kDay0Ms - 1000, "new_items_per_day", std::to_string(perDay)));
    }
    // Day 0: three items of 1.1; day 1: one of them again and one item of 2.1. Five answers over two days.
    void history() {
        m_model->apply(m_mk.answer(kDay0Ms, "1.1-fc-card1", 3));
        m_model->apply(m_mk.answer(kDay0Ms + 1000, "1.1-fc-card2", 3));
        m_model->apply(m_mk.answer(kDay0Ms + 2000, "1.1-mc-q1", 3, true));
        m_model->apply(m_mk.answer(kDay0Ms + kDayMs, "1.1-fc-card1", 3));
        m_model->apply(m_mk.answer(kDay0Ms + kDayMs + 1000, "2.1-fc-card1", 3));
    }
    test::EventMaker m_mk;
    std::unique_ptr<ContentPack> m_pack;
    std::unique_ptr<LearnerModel> m_model;
};

TEST_F(PlannedStudyTest, newItemsAtTheLimitByWhatIsLeftAnswersAtTheRecentPaceByWhatIsStudied) {
    limit(2);
    history();
    const int64_t now = kDay0Ms + kDayMs + 5000;  // day 1
    // Ten days to day 11. New items: 2 a day x 10, less the one introduced today = 19, but only 17 are
    // left (1.1: 4, 1.2: 7, 2.1: 6), so all of them. Answers: 5 over the 2 days since the first = 2.5 a
    // day x 10 = 25, spread by the items each statement will have studied: 7 of 21 each.
    const auto plan = plannedStudy(*m_model, now, kDay0 + 11);
    ASSERT_EQ(plan.newItems.size(), 3u);
    EXPECT_DOUBLE_EQ(plan.newItems[0], 4);
    EXPECT_DOUBLE_EQ(plan.newItems[1], 7);
    EXPECT_DOUBLE_EQ(plan.newItems[2], 6);
    for (double a : plan.answers)
        EXPECT_NEAR(a, 25.0 / 3, 1e-12);
    // Today's date: nothing is planned before it.
    const auto none = plannedStudy(*m_model, now, kDay0 + 1);
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(none.newItems[i], 0);
        EXPECT_EQ(none.answers[i], 0);
    }
}

TEST_F(PlannedStudyTest, aLowLimitIntroducesLessAndSpreadsItByWhatIsLeft) {
    limit(1);
    history();
    const int64_t now = kDay0Ms + kDayMs + 5000;
    // 1 a day x 10 - 1 today = 9 of the 17 left: 9 x 4/17, 9 x 7/17, 9 x 6/17. Studied by then: 3 + 36/17,
    // 63/17, 1 + 54/17 of 13 in all; 25 answers over them.
    const auto plan = plannedStudy(*m_model, now, kDay0 + 11);
    EXPECT_NEAR(plan.newItems[0], 36.0 / 17, 1e-12);
    EXPECT_NEAR(plan.newItems[1], 63.0 / 17, 1e-12);
    EXPECT_NEAR(plan.newItems[2], 54.0 / 17, 1e-12);
    EXPECT_NEAR(plan.answers[0], 25 * (3 + 36.0 / 17) / 13, 1e-12);
    EXPECT_NEAR(plan.answers[1], 25 * (63.0 / 17) / 13, 1e-12);
    EXPECT_NEAR(plan.answers[2], 25 * (1 + 54.0 / 17) / 13, 1e-12);
}

TEST_F(PlannedStudyTest, thePaceIsTheLastFourteenDaysOnceThereAreThatMany) {
    limit(0);
    // 30 answers on day 0, then 2 a day on days 20..33: the pace on day 34 is 28 / 14 = 2 a day.
    for (int i = 0; i < 30; ++i)
        m_model->apply(m_mk.answer(kDay0Ms + i * 1000, "1.1-fc-card1", 3));
    for (int d = 20; d < 34; ++d)
        for (int i = 0; i < 2; ++i)
            m_model->apply(m_mk.answer(kDay0Ms + d * kDayMs + i * 1000, "1.1-fc-card2", 3));
    const auto plan = plannedStudy(*m_model, kDay0Ms + 34 * kDayMs, kDay0 + 44);
    double answers = 0, added = 0;
    for (size_t i = 0; i < 3; ++i) {
        answers += plan.answers[i];
        added += plan.newItems[i];
    }
    EXPECT_NEAR(answers, 20, 1e-12);
    EXPECT_EQ(added, 0);                      // a limit of 0 introduces nothing
    EXPECT_NEAR(plan.answers[0], 20, 1e-12);  // all of it on the one statement studied
}

// A knowledge model that saw right answers on domain 1's first statement and then wrong ones on its
// second: its learning rate comes out negative. The reverse order gives a positive one.
KnowledgeModel learner(const ContentPack& pack, bool improving) {
    KnowledgeModel k(pack.exam("MINI-01"));
    const char* first[] = {"1.1-mc-q1", "1.1-mc-q2", "1.1-mr-multi"};
    const char* second[] = {"1.2-mc-q1", "1.2-mc-q2", "1.2-mr-multi"};
    for (const char* id : first)
        k.observe(*pack.item(id), !improving, kDay0);
    for (const char* id : second)
        k.observe(*pack.item(id), improving, kDay0 + 1);
    k.observe(*pack.item("2.1-fc-card1"), true, kDay0 + 1);
    return k;
}

TEST_F(PlannedStudyTest, theProjectionCoversTheNewItemsAndKeepsTheEvidenceAsFreshAsToday) {
    const KnowledgeModel k = learner(*m_pack, false);
    PlannedStudy plan{{2, 10, 0.4}, {0, 0, 0}};
    const int64_t today = kDay0 + 1, day = kDay0 + 61;
    const KnowledgeModel out = k.withPlannedStudy(plan, today, day);
    // 1.1: 3 seen + 2 = 5 of 7; 1.2: 3 + 10, at most 7; 2.1: 1 + 0.4 rounds to 1.
    EXPECT_DOUBLE_EQ(out.coverage(0), 5.0 / 7);
    EXPECT_DOUBLE_EQ(out.coverage(1), 1.0);
    EXPECT_DOUBLE_EQ(out.coverage(2), 1.0 / 7);
    for (int i = 0; i < 3; ++i) {
        // No answers planned, so no lift: the estimate on the day is today's, not decayed for 60 days.
        EXPECT_NEAR(out.posterior(i, day).mean, k.posterior(i, today).mean, 1e-12) << i;
        EXPECT_NEAR(out.posterior(i, day).var, k.posterior(i, today).var, 1e-12) << i;
        EXPECT_GT(k.posterior(i, day).var, k.posterior(i, today).var) << i;
    }
}

TEST_F(PlannedStudyTest, practiceToComeLiftsByTheLearningRateAndNeverLowers) {
    const PlannedStudy plan{{0, 0, 0}, {50, 50, 50}};
    const int64_t today = kDay0 + 1, day = kDay0 + 31;
    const KnowledgeModel up = learner(*m_pack, true), down = learner(*m_pack, false);
    ASSERT_GT(up.learningRate(), 0.01);
    ASSERT_LT(down.learningRate(), -0.01);
    const KnowledgeModel upAfter = up.withPlannedStudy(plan, today, day),
                         downAfter = down.withPlannedStudy(plan, today, day);
    for (int i = 0; i < 3; ++i) {
        EXPECT_GT(upAfter.posterior(i, day).mean, up.posterior(i, today).mean + 0.01) << i;
        EXPECT_NEAR(downAfter.posterior(i, day).mean, down.posterior(i, today).mean, 1e-12) << i;
    }
    // How much: domain 1 had 6 answers (3 per statement) and statement 1.2 (index 1) 3. With a more
    // answers on each statement, both its own evidence and its domain's move by rate x ln((4 + a) / 4)
    // (domain practice counts answers per statement of the domain), and the posterior mean by a fixed
    // precision-weighted share of that: so the lift is at most rate x ln((4 + a) / 4), and lifts for two
    // plans are in the ratio of their logs.
    const double rate = up.learningRate();
    const PlannedStudy more{{0, 0, 0}, {200, 200, 200}};
    const double lift50 = upAfter.posterior(1, day).mean - up.posterior(1, today).mean;
    const double lift200 =
        up.withPlannedStudy(more, today, day).posterior(1, day).mean - up.posterior(1, today).mean;
    EXPECT_LE(lift50, rate * std::log(54.0 / 4) + 1e-12);
    EXPECT_NEAR(lift200 / lift50, std::log(204.0 / 4) / std::log(54.0 / 4), 1e-9);
}

}  // namespace
}  // namespace retain::core
