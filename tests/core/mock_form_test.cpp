// Mock exams on the mini blueprint (mock_exam.h): which questions a form prefers, what an empty answer
// is worth, and a domain exactly at the cut. Expected values are counted by hand.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/content_loader.h"
#include "core/mock_exam.h"
#include "support/events.h"
#include "support/mini_pack.h"
#include "support/temp_dir.h"

namespace retain::core {
namespace {

using test::kDayMs;

constexpr int64_t kDay0Ms = 1'780'308'000'000;  // 2026-06-01 10:00Z

class MockForm : public ::testing::Test {
protected:
    void SetUp() override {
        m_pack = test::loadMiniPack();
        m_exam = m_pack->exam("MINI-01");
        ASSERT_NE(m_exam, nullptr);
    }
    const ItemRef& ref(const char* id) const { return *m_pack->item(id); }
    static std::vector<uint32_t> right(const v1::Item& item) {
        std::vector<uint32_t> out;
        for (int i = 0; i < item.options_size(); ++i)
            if (item.options(i).correct())
                out.push_back(static_cast<uint32_t>(i));
        return out;
    }
    static std::vector<uint32_t> wrong(const v1::Item& item) {
        for (int i = 0; i < item.options_size(); ++i)
            if (!item.options(i).correct())
                return {static_cast<uint32_t>(i)};
        return {};
    }

    std::unique_ptr<ContentPack> m_pack;
    const Exam* m_exam = nullptr;
};

TEST_F(MockForm, questionsAnsweredRecentlyComeLastWhenUnseenOnesRemain) {
    // A 4-question mock: 70 / 30 % of 4 is 2.8 / 1.2, so 2 / 1 and the larger remainder to domain 1:
    // 3 / 1. Domain 1 has 6 questions; the learner answered 3 of them yesterday, so the form's 3 must be
    // the other 3, whatever the seed.
    test::EventMaker mk;
    LearnerModel model(mk.learner(), m_pack.get());
    const std::set<std::string> answered = {"1.1-mc-q1", "1.1-mc-q2", "1.2-mc-q1"};
    for (const auto& id : answered)
        model.apply(mk.answer(kDay0Ms - kDayMs, id, 3, true));
    const std::set<std::string> unseen = {"1.1-mr-multi", "1.2-mc-q2", "1.2-mr-multi"};
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        const auto form = drawMockForm(*m_exam, *m_pack, model, kDay0Ms, seed, 4);
        ASSERT_EQ(form.size(), 4u);
        std::set<std::string> domain1;
        for (const auto& q : form) {
            const auto& r = m_pack->itemAt(q.itemIndex);
            if (r.statement->domain->id() == "1")
                domain1.insert(r.item->id());
        }
        EXPECT_EQ(domain1, unseen) << "seed " << seed;
    }
}

TEST_F(MockForm, amongQuestionsNotSeenForAMonthTheLongestAgoComeFirst) {
    // All six domain-1 questions answered 90 to 40 days ago, alternating statements (1.1 at -90, -70, -50,
    // 1.2 at -80, -60, -40). The form's 3 domain-1 questions are taken round robin over the statements
    // (from a random one), each statement's longest ago first: both statements' oldest, then the second
    // oldest of one of them. The two answered most recently are never drawn.
    test::EventMaker mk;
    LearnerModel model(mk.learner(), m_pack.get());
    const char* byAge[] = {"1.1-mc-q1", "1.2-mc-q1",    "1.1-mc-q2",
                           "1.2-mc-q2", "1.1-mr-multi", "1.2-mr-multi"};
    for (int i = 0; i < 6; ++i)
        model.apply(mk.answer(kDay0Ms - (90 - 10 * i) * kDayMs, byAge[i], 3, true));
    for (uint64_t seed = 1; seed <= 20; ++seed) {
        const auto form = drawMockForm(*m_exam, *m_pack, model, kDay0Ms, seed, 4);
        std::set<std::string> domain1;
        for (const auto& q : form) {
            const auto& r = m_pack->itemAt(q.itemIndex);
            if (r.statement->domain->id() == "1")
                domain1.insert(r.item->id());
        }
        ASSERT_EQ(domain1.size(), 3u) << "seed " << seed;
        EXPECT_TRUE(domain1.count("1.1-mc-q1") && domain1.count("1.2-mc-q1")) << "seed " << seed;
        EXPECT_TRUE(domain1.count("1.1-mc-q2") || domain1.count("1.2-mc-q2")) << "seed " << seed;
        EXPECT_FALSE(domain1.count("1.1-mr-multi") || domain1.count("1.2-mr-multi")) << "seed " << seed;
    }
}

TEST_F(MockForm, anEmptyAnswerIsNeverRightEvenForAnItemWithoutCorrectOptions) {
    EXPECT_FALSE(isCorrectChoice(*ref("1.1-fc-card1").item, {}));  // a flashcard has no options at all
    EXPECT_FALSE(isCorrectChoice(*ref("1.1-mc-q1").item, {}));
    EXPECT_TRUE(isCorrectChoice(*ref("1.1-mc-q1").item, {0}));
    EXPECT_TRUE(isCorrectChoice(*ref("1.1-mr-multi").item, {2, 0}));  // order does not matter
    EXPECT_FALSE(isCorrectChoice(*ref("1.1-mr-multi").item, {0}));
}

TEST_F(MockForm, aDomainExactlyAtTheCutMeetsIt) {
    // Ten scored questions of domain 1 (its six questions, four of them twice); the mini form's assumed
    // cut is 0.7. 7 of 10 right is exactly the cut and meets it; 6 of 10 does not.
    const char* ids[] = {"1.1-mc-q1", "1.1-mc-q2", "1.1-mr-multi", "1.2-mc-q1", "1.2-mc-q2", "1.2-mr-multi"};
    std::vector<FormQuestion> form;
    for (int q = 0; q < 10; ++q)
        form.push_back({ref(ids[q % 6]).index, true, {}});
    for (int rightCount : {7, 6}) {
        std::vector<std::vector<uint32_t>> chosen;
        for (int q = 0; q < 10; ++q) {
            const auto& item = *m_pack->itemAt(form[static_cast<size_t>(q)].itemIndex).item;
            chosen.push_back(q < rightCount ? right(item) : wrong(item));
        }
        const auto s = scoreMock(*m_exam, *m_pack, form, chosen);
        ASSERT_EQ(s.domains.size(), 2u);
        EXPECT_EQ(s.domains[0].domainId, "1");
        EXPECT_EQ(s.domains[0].total, 10);
        EXPECT_EQ(s.domains[0].correct, rightCount);
        EXPECT_EQ(s.domains[0].meets, rightCount == 7) << rightCount << " of 10";
        EXPECT_EQ(s.domains[1].total, 0);
        EXPECT_FALSE(s.domains[1].meets) << "a domain without questions meets nothing";
        EXPECT_EQ(s.scoredCorrect, rightCount);
        EXPECT_EQ(s.scoredTotal, 10);
    }
}

}  // namespace
}  // namespace retain::core
