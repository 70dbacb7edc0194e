// Known-answer tests of mock-exam scoring (issue 22): answer sheets whose counts and scaled scores are
// worked out by hand from the MLS-C01 blueprint, not by the scorer.
//
// The blueprint (content/blueprints/mls-c01.textproto): 65 questions, 50 scored, 15 unscored; domains
// weighted 20 / 24 / 36 / 20 %, so 10 / 12 / 18 / 10 scored questions; scaled score 100..1000, pass at
// 750, assumed cut 0.72. The scaled score (readiness.h, scaledScore) is piecewise linear through
// (0, 100), (0.72 * 50 = 36, 750) and (50, 1000):
//   raw <= 36: 100 + 650 * raw / 36
//   raw >  36: 750 + 250 * (raw - 36) / 14
// and a domain "meets" when correct / total >= 0.72.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "core/content_loader.h"
#include "core/mock_exam.h"

namespace retain::core {
namespace {

constexpr int kScoredPerDomain[] = {10, 12, 18, 10};  // 20/24/36/20 % of 50
constexpr int kUnscoredPerDomain[] = {3, 4, 5, 3};    // 15 in all: a 65-question form
constexpr double kScaledEps = 1e-9;

std::vector<uint32_t> rightOptions(const v1::Item& item) {
    std::vector<uint32_t> out;
    for (int i = 0; i < item.options_size(); ++i)
        if (item.options(i).correct())
            out.push_back(static_cast<uint32_t>(i));
    return out;
}

std::vector<uint32_t> firstWrongOption(const v1::Item& item) {
    for (int i = 0; i < item.options_size(); ++i)
        if (!item.options(i).correct())
            return {static_cast<uint32_t>(i)};
    return {};
}

class MockScoring : public ::testing::Test {
protected:
    void SetUp() override {
        auto r = loadContent(RETAIN_CONTENT_DIR);
        ASSERT_TRUE(r.pack);
        m_pack = std::make_unique<ContentPack>(std::move(*r.pack));
        m_exam = m_pack->exam("MLS-C01");
        ASSERT_NE(m_exam, nullptr);
        ASSERT_EQ(m_exam->blueprint().domains_size(), 4);
        // The form, domain by domain: the domain's first questions (content order) scored, the next
        // ones unscored. m_domainOf[q] is the question's domain (0..3), m_scoredRank[q] its position
        // among the scored questions of its domain (-1 for unscored).
        for (int d = 0; d < 4; ++d) {
            std::vector<size_t> questions;
            for (size_t idx : m_exam->items()) {
                const auto& ref = m_pack->itemAt(idx);
                if (ref.item->kind() != v1::FLASHCARD &&
                    ref.statement->domain == &m_exam->blueprint().domains(d))
                    questions.push_back(idx);
            }
            ASSERT_GE(questions.size(), static_cast<size_t>(kScoredPerDomain[d] + kUnscoredPerDomain[d]));
            for (int i = 0; i < kScoredPerDomain[d] + kUnscoredPerDomain[d]; ++i) {
                const bool scored = i < kScoredPerDomain[d];
                m_form.push_back({questions[static_cast<size_t>(i)], scored, {}});
                m_domainOf.push_back(d);
                m_scoredRank.push_back(scored ? i : -1);
            }
        }
        ASSERT_EQ(m_form.size(), 65u);
    }

    const v1::Item& item(size_t q) const { return *m_pack->itemAt(m_form[q].itemIndex).item; }

    // A sheet with the first rightPerDomain[d] scored questions of each domain right, the other scored
    // ones wrong, and every unscored question answered as `unscored` says.
    std::vector<std::vector<uint32_t>> sheet(const std::vector<int>& rightPerDomain,
                                             bool unscoredRight) const {
        std::vector<std::vector<uint32_t>> chosen;
        for (size_t q = 0; q < m_form.size(); ++q) {
            const bool right = m_scoredRank[q] < 0
                                   ? unscoredRight
                                   : m_scoredRank[q] < rightPerDomain[static_cast<size_t>(m_domainOf[q])];
            chosen.push_back(right ? rightOptions(item(q)) : firstWrongOption(item(q)));
        }
        return chosen;
    }

    MockScore score(const std::vector<std::vector<uint32_t>>& chosen) const {
        return scoreMock(*m_exam, *m_pack, m_form, chosen);
    }

    static void expectDomains(const MockScore& s, const std::vector<int>& correct,
                              const std::vector<bool>& meets) {
        ASSERT_EQ(s.domains.size(), 4u);
        const char* ids[] = {"1", "2", "3", "4"};
        for (size_t d = 0; d < 4; ++d) {
            EXPECT_EQ(s.domains[d].domainId, ids[d]);
            EXPECT_EQ(s.domains[d].total, kScoredPerDomain[d]) << "domain " << ids[d];
            EXPECT_EQ(s.domains[d].correct, correct[d]) << "domain " << ids[d];
            EXPECT_EQ(s.domains[d].meets, meets[d]) << "domain " << ids[d];
        }
    }

    std::unique_ptr<ContentPack> m_pack;
    const Exam* m_exam = nullptr;
    std::vector<FormQuestion> m_form;
    std::vector<int> m_domainOf;
    std::vector<int> m_scoredRank;
};

TEST_F(MockScoring, anAllRightSheetScoresFiftyOfFiftyAndTheTopScaledScore) {
    const auto s = score(sheet({10, 12, 18, 10}, true));
    EXPECT_EQ(s.scoredCorrect, 50);
    EXPECT_EQ(s.scoredTotal, 50);
    EXPECT_NEAR(s.scaledScore, 1000.0, kScaledEps);  // 750 + 250 * 14 / 14
    EXPECT_TRUE(s.passed);
    expectDomains(s, {10, 12, 18, 10}, {true, true, true, true});
    ASSERT_EQ(s.correct.size(), 65u);
    EXPECT_EQ(std::count(s.correct.begin(), s.correct.end(), true), 65);
}

TEST_F(MockScoring, anAllWrongSheetScoresZeroOfFifty) {
    const auto s = score(sheet({0, 0, 0, 0}, false));
    EXPECT_EQ(s.scoredCorrect, 0);
    EXPECT_EQ(s.scoredTotal, 50);
    EXPECT_NEAR(s.scaledScore, 100.0, kScaledEps);  // 100 + 650 * 0 / 36
    EXPECT_FALSE(s.passed);
    expectDomains(s, {0, 0, 0, 0}, {false, false, false, false});
    EXPECT_EQ(std::count(s.correct.begin(), s.correct.end(), true), 0);
}

TEST_F(MockScoring, aMixedSheetCountsExactlyTheRightScoredAnswers) {
    // 8 + 7 + 15 + 10 = 40 right: 750 + 250 * (40 - 36) / 14 = 750 + 1000 / 14 = 821.428571...
    // Domains: 8/10 = 0.8 meets, 7/12 = 0.583 does not, 15/18 = 0.833 meets, 10/10 meets.
    const auto s = score(sheet({8, 7, 15, 10}, false));
    EXPECT_EQ(s.scoredCorrect, 40);
    EXPECT_EQ(s.scoredTotal, 50);
    EXPECT_NEAR(s.scaledScore, 750.0 + 1000.0 / 14.0, kScaledEps);
    EXPECT_NEAR(s.scaledScore, 821.4285714285714, 1e-9);
    EXPECT_TRUE(s.passed);
    expectDomains(s, {8, 7, 15, 10}, {true, false, true, true});
}

TEST_F(MockScoring, thirtySixRightIsExactlyTheCutAndPasses) {
    // 9 + 9 + 13 + 5 = 36 = 0.72 * 50: the passing score 750 exactly (100 + 650 * 36 / 36).
    // Domains: 9/10 meets, 9/12 = 0.75 meets, 13/18 = 0.722 meets, 5/10 does not.
    const auto s = score(sheet({9, 9, 13, 5}, false));
    EXPECT_EQ(s.scoredCorrect, 36);
    EXPECT_NEAR(s.scaledScore, 750.0, kScaledEps);
    EXPECT_TRUE(s.passed);
    expectDomains(s, {9, 9, 13, 5}, {true, true, true, false});
}

TEST_F(MockScoring, thirtyFiveRightIsJustBelowTheCutAndFails) {
    // 100 + 650 * 35 / 36 = 731.944...; 9/12 meets, 12/18 = 0.667 does not.
    const auto s = score(sheet({9, 9, 12, 5}, true));
    EXPECT_EQ(s.scoredCorrect, 35);
    EXPECT_NEAR(s.scaledScore, 100.0 + 650.0 * 35.0 / 36.0, kScaledEps);
    EXPECT_NEAR(s.scaledScore, 731.9444444444444, 1e-9);
    EXPECT_FALSE(s.passed);
    expectDomains(s, {9, 9, 12, 5}, {true, true, false, false});
}

TEST_F(MockScoring, unscoredQuestionsAreMarkedButNeverCounted) {
    // Every scored question wrong, every unscored one right: still 0 of 50.
    const auto s = score(sheet({0, 0, 0, 0}, true));
    EXPECT_EQ(s.scoredCorrect, 0);
    EXPECT_EQ(s.scoredTotal, 50);
    EXPECT_NEAR(s.scaledScore, 100.0, kScaledEps);
    expectDomains(s, {0, 0, 0, 0}, {false, false, false, false});
    ASSERT_EQ(s.correct.size(), 65u);
    for (size_t q = 0; q < m_form.size(); ++q)
        EXPECT_EQ(s.correct[q], !m_form[q].scored) << "question " << q + 1;
}

TEST_F(MockScoring, multipleResponseIsAllOrNothing) {
    // Everything right except three scored multiple-response questions of domain 3: one with only one of
    // its correct options, one with every correct option plus a wrong one, one with a wrong option only.
    // A fourth has its correct options in reverse order (still right). 50 - 3 = 47 right:
    // 750 + 250 * 11 / 14 = 946.428571...; domain 3: 15/18.
    auto chosen = sheet({10, 12, 18, 10}, true);
    std::vector<size_t> multi;
    for (size_t q = 0; q < m_form.size(); ++q)
        if (m_domainOf[q] == 2 && m_form[q].scored && item(q).kind() == v1::MULTIPLE_RESPONSE)
            multi.push_back(q);
    ASSERT_GE(multi.size(), 4u);
    for (size_t q : multi)
        ASSERT_GE(rightOptions(item(q)).size(), 2u);
    const auto right0 = rightOptions(item(multi[0]));
    chosen[multi[0]] = {right0.front()};  // partially right
    auto superset = rightOptions(item(multi[1]));
    superset.push_back(firstWrongOption(item(multi[1])).front());
    chosen[multi[1]] = superset;  // every right option and a wrong one
    chosen[multi[2]] = firstWrongOption(item(multi[2]));
    auto reversed = rightOptions(item(multi[3]));
    std::reverse(reversed.begin(), reversed.end());
    chosen[multi[3]] = reversed;

    EXPECT_FALSE(isCorrectChoice(item(multi[0]), chosen[multi[0]]));
    EXPECT_FALSE(isCorrectChoice(item(multi[1]), chosen[multi[1]]));
    EXPECT_TRUE(isCorrectChoice(item(multi[3]), chosen[multi[3]]));

    const auto s = score(chosen);
    EXPECT_EQ(s.scoredCorrect, 47);
    EXPECT_NEAR(s.scaledScore, 750.0 + 250.0 * 11.0 / 14.0, kScaledEps);
    EXPECT_TRUE(s.passed);
    expectDomains(s, {10, 12, 15, 10}, {true, true, true, true});
    EXPECT_FALSE(s.correct[multi[0]]);
    EXPECT_FALSE(s.correct[multi[1]]);
    EXPECT_FALSE(s.correct[multi[2]]);
    EXPECT_TRUE(s.correct[multi[3]]);
}

TEST_F(MockScoring, unansweredQuestionsAreWrong) {
    // Domain 4 (the last 13 questions of the form) left blank, everything else right: 40 of 50,
    // 750 + 250 * 4 / 14. The same when the sheet simply stops before domain 4.
    auto blank = sheet({10, 12, 18, 10}, true);
    for (size_t q = 0; q < m_form.size(); ++q)
        if (m_domainOf[q] == 3)
            blank[q].clear();
    auto truncated = sheet({10, 12, 18, 10}, true);
    truncated.resize(65 - 13);
    for (const auto& chosen : {blank, truncated}) {
        const auto s = score(chosen);
        EXPECT_EQ(s.scoredCorrect, 40);
        EXPECT_EQ(s.scoredTotal, 50);
        EXPECT_NEAR(s.scaledScore, 750.0 + 1000.0 / 14.0, kScaledEps);
        expectDomains(s, {10, 12, 18, 0}, {true, true, true, false});
        for (size_t q = 0; q < m_form.size(); ++q)
            EXPECT_EQ(s.correct[q], m_domainOf[q] != 3) << "question " << q + 1;
    }
    // A single-answer question with an empty choice is wrong too, whatever its correct option.
    EXPECT_FALSE(isCorrectChoice(item(0), {}));
}

}  // namespace
}  // namespace retain::core
