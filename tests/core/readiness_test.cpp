#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/content_loader.h"
#include "core/readiness.h"

namespace retain::core {
namespace {

TEST(PoissonBinomial, matchesBruteForceEnumeration) {
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> u(0.05, 0.95);
    std::vector<double> p(12);
    for (auto& x : p)
        x = u(rng);
    std::vector<double> exact(p.size() + 1, 0.0);
    for (uint32_t mask = 0; mask < (1u << p.size()); ++mask) {
        double prob = 1;
        int k = 0;
        for (size_t i = 0; i < p.size(); ++i) {
            const bool hit = mask & (1u << i);
            prob *= hit ? p[i] : 1 - p[i];
            k += hit;
        }
        exact[static_cast<size_t>(k)] += prob;
    }
    const auto dist = poissonBinomial(p);
    ASSERT_EQ(dist.size(), exact.size());
    for (size_t k = 0; k < dist.size(); ++k)
        EXPECT_NEAR(dist[k], exact[k], 1e-12) << "k=" << k;
}

TEST(PoissonBinomial, reducesToTheBinomialForEqualProbabilities) {
    const auto dist = poissonBinomial(std::vector<double>(50, 0.72));
    // P(K = 36) for Binomial(50, 0.72) = C(50,36) 0.72^36 0.28^14.
    const double c = std::exp(std::lgamma(51) - std::lgamma(37) - std::lgamma(15));
    EXPECT_NEAR(dist[36], c * std::pow(0.72, 36) * std::pow(0.28, 14), 1e-12);
    double sum = 0;
    for (double d : dist)
        sum += d;
    EXPECT_NEAR(sum, 1.0, 1e-12);
}

class ReadinessTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto r = loadContent(RETAIN_CONTENT_DIR);
        ASSERT_TRUE(r.pack);
        m_pack = std::make_unique<ContentPack>(std::move(*r.pack));
        m_exam = m_pack->exam("MLS-C01");
        ASSERT_NE(m_exam, nullptr);
    }
    // Answers every question of the pack once, right with probability `skill`.
    KnowledgeModel learner(double skill, int64_t day, unsigned seed = 1) {
        KnowledgeModel k(m_exam);
        std::mt19937 rng(seed);
        std::bernoulli_distribution right(skill);
        for (size_t idx : m_exam->items())
            if (m_pack->itemAt(idx).item->kind() != v1::FLASHCARD)
                k.observe(m_pack->itemAt(idx), right(rng), day);
        return k;
    }
    std::unique_ptr<ContentPack> m_pack;
    const Exam* m_exam = nullptr;
};

TEST_F(ReadinessTest, theFormFollowsTheBlueprint) {
    const auto q = questionsPerDomain(m_exam->blueprint());
    EXPECT_EQ(q, (std::vector<int>{10, 12, 18, 10}));
    const auto& form = m_exam->blueprint().form();
    EXPECT_DOUBLE_EQ(scaledScore(form, 0, 50), 100);
    EXPECT_DOUBLE_EQ(scaledScore(form, 0.72 * 50, 50), 750);
    EXPECT_DOUBLE_EQ(scaledScore(form, 50, 50), 1000);
}

TEST_F(ReadinessTest, thePassProbabilityComesWithAnIntervalThatNarrowsWithEvidence) {
    // Two learners of the same skill near the cut: one answered every study question once, the other
    // every question four times (on four days, so the evidence is fresh). More evidence, a narrower interval.
    const auto once = learner(0.72, 20000);
    KnowledgeModel many(m_exam);
    std::mt19937 rng(7);
    std::bernoulli_distribution right(0.72);
    for (int day = 0; day < 4; ++day)
        for (size_t idx : m_exam->items())
            if (m_pack->itemAt(idx).item->kind() != v1::FLASHCARD)
                many.observe(m_pack->itemAt(idx), right(rng), 20000 + day);
    const auto a = estimateReadiness(*m_exam, *m_pack, once, 20000);
    const auto b = estimateReadiness(*m_exam, *m_pack, many, 20003);
    for (const auto* r : {&a, &b}) {
        ASSERT_TRUE(r->enoughEvidence);
        EXPECT_LE(r->passLow, r->passProbability);
        EXPECT_GE(r->passHigh, r->passProbability);
        EXPECT_GE(r->passLow, 0.0);
        EXPECT_LE(r->passHigh, 1.0);
    }
    EXPECT_GT(a.passHigh - a.passLow, 0.05) << "near the cut, one pass over the bank leaves real doubt";
    EXPECT_LT(b.passHigh - b.passLow, a.passHigh - a.passLow);
}

TEST_F(ReadinessTest, aNewLearnerGetsNotEnoughEvidenceWithWhatIsMissing) {
    KnowledgeModel k(m_exam);
    const auto r = estimateReadiness(*m_exam, *m_pack, k, 20000);
    EXPECT_FALSE(r.enoughEvidence);
    ASSERT_GE(r.missing.size(), 5u);  // overall plus every domain
    EXPECT_NE(r.missing[0].find("more exam-style questions in all"), std::string::npos);
}

TEST_F(ReadinessTest, strongerLearnersAreLikelierToPass) {
    const int64_t day = 20000;
    const auto weak = estimateReadiness(*m_exam, *m_pack, learner(0.45, day), day);
    const auto middling = estimateReadiness(*m_exam, *m_pack, learner(0.72, day), day);
    const auto strong = estimateReadiness(*m_exam, *m_pack, learner(0.92, day), day);
    EXPECT_TRUE(strong.enoughEvidence);
    EXPECT_LT(weak.passProbability, 0.1);
    EXPECT_GT(strong.passProbability, 0.9);
    EXPECT_LT(weak.passProbability, middling.passProbability);
    EXPECT_LT(middling.passProbability, strong.passProbability);
    EXPECT_LT(strong.scaledLow, strong.scaledScore);
    EXPECT_LT(strong.scaledScore, strong.scaledHigh + 1e-9);
    EXPECT_GT(strong.scaledScore, 750);
    for (const auto& d : strong.domains)
        EXPECT_TRUE(d.meets) << d.domainId;
    for (const auto& d : weak.domains)
        EXPECT_FALSE(d.meets) << d.domainId;
}

TEST_F(ReadinessTest, passProbabilityIsTheUpperTailOfTheRawDistribution) {
    const int64_t day = 20000;
    const auto r = estimateReadiness(*m_exam, *m_pack, learner(0.75, day), day);
    double tail = 0, sum = 0;
    for (size_t k = 0; k < r.rawDistribution.size(); ++k) {
        sum += r.rawDistribution[k];
        if (static_cast<int>(k) >= r.cutCorrect)
            tail += r.rawDistribution[k];
    }
    EXPECT_NEAR(sum, 1.0, 1e-9);
    EXPECT_NEAR(tail, r.passProbability, 1e-12);
    EXPECT_EQ(r.cutCorrect, 36);  // ceil(0.72 * 50), the blueprint's assumed cut
}

TEST_F(ReadinessTest, forgettingLowersAStrongLearnersChancesOverTime) {
    const int64_t day = 20000;
    const auto k = learner(0.92, day);
    const auto now = estimateReadiness(*m_exam, *m_pack, k, day);
    const auto later = estimateReadiness(*m_exam, *m_pack, k, day + 365);
    EXPECT_LT(later.passProbability, now.passProbability);
}

TEST_F(ReadinessTest, recommendsTheStatementsThatRaiseThePassProbabilityMost) {
    const int64_t day = 20000;
    KnowledgeModel k(m_exam);
    std::mt19937 rng(5);
    // Good everywhere except task statement 3.2 (a heavy domain), where every answer is wrong.
    for (size_t idx : m_exam->items()) {
        const auto& ref = m_pack->itemAt(idx);
        if (ref.item->kind() == v1::FLASHCARD)
            continue;
        k.observe(ref,
                  ref.statement->statement->id() == "3.2" ? false : std::bernoulli_distribution(0.8)(rng),
                  day);
    }
    const auto r = estimateReadiness(*m_exam, *m_pack, k, day);
    ASSERT_FALSE(r.recommendations.empty());
    EXPECT_EQ(m_exam->taskStatements()[static_cast<size_t>(r.recommendations[0].index)].statement->id(),
              "3.2");
    EXPECT_GT(r.recommendations[0].passProbabilityGain, 0.0);
}

TEST_F(ReadinessTest, flashcardsSayWhichStatementsAreWeakNotHowStrongTheLearnerIs) {
    // Questions 80 % right; every flashcard forgotten. The learner-level flashcard offset absorbs the
    // flashcards' level, so the ability stays near what the questions say...
    KnowledgeModel questionsOnly = learner(0.8, 100);
    KnowledgeModel both = learner(0.8, 100);
    for (size_t idx : m_exam->items())
        if (m_pack->itemAt(idx).item->kind() == v1::FLASHCARD)
            both.observe(m_pack->itemAt(idx), false, 100);
    EXPECT_LT(both.flashcardOffset(), -1.0);
    const double q = estimateReadiness(*m_exam, *m_pack, questionsOnly, 100).passProbability;
    const double b = estimateReadiness(*m_exam, *m_pack, both, 100).passProbability;
    EXPECT_GT(b, q - 0.3);
    // ...while without the offset (a tight prior on it) the same flashcards sink it.
    KnowledgeParameters fixed;
    fixed.flashcardOffsetPriorVar = 1e-9;
    KnowledgeModel noOffset(m_exam, fixed);
    std::mt19937 rng(1);
    std::bernoulli_distribution right(0.8);
    for (size_t idx : m_exam->items())
        if (m_pack->itemAt(idx).item->kind() != v1::FLASHCARD)
            noOffset.observe(m_pack->itemAt(idx), right(rng), 100);
    for (size_t idx : m_exam->items())
        if (m_pack->itemAt(idx).item->kind() == v1::FLASHCARD)
            noOffset.observe(m_pack->itemAt(idx), false, 100);
    EXPECT_LT(estimateReadiness(*m_exam, *m_pack, noOffset, 100).passProbability, b - 0.1);
}

TEST_F(ReadinessTest, recentAnswersWeighMoreThanOlderOnes) {
    // The same answers in opposite orders on one statement: improving beats declining.
    const auto& items = m_exam->itemsOf(0);
    KnowledgeModel improving(m_exam), declining(m_exam);
    for (int pass = 0; pass < 2; ++pass)
        for (size_t idx : items) {
            if (m_pack->itemAt(idx).item->kind() == v1::FLASHCARD)
                continue;
            improving.observe(m_pack->itemAt(idx), pass == 1, 100);
            declining.observe(m_pack->itemAt(idx), pass == 0, 100);
        }
    EXPECT_GT(improving.taskStatement(0, 100).mean, declining.taskStatement(0, 100).mean + 0.02);
}

TEST_F(ReadinessTest, theEstimateFollowsALearnerWhoImprovesWithPractice) {
    // Every question once, statement by statement, right with a probability that rises with the
    // practice on the statement (0.35 on the first question, 0.95 on the last): a learner who learns.
    // The learning rate comes out positive, and the current ability is higher than with no learning
    // rate (a tight prior at 0), which averages over the weaker past.
    KnowledgeParameters none;
    none.learningRatePriorSd = 1e-6;
    KnowledgeModel learning(m_exam), fixed(m_exam, none), steady(m_exam);
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> u;
    for (const auto& ts : m_exam->taskStatements()) {
        std::vector<size_t> questions;
        for (size_t idx : m_exam->itemsOf(ts.index))
            if (m_pack->itemAt(idx).item->kind() != v1::FLASHCARD)
                questions.push_back(idx);
        for (size_t i = 0; i < questions.size(); ++i) {
            const double x = u(rng);
            const bool right =
                x < 0.35 + 0.6 * static_cast<double>(i) / static_cast<double>(questions.size());
            learning.observe(m_pack->itemAt(questions[i]), right, 100);
            fixed.observe(m_pack->itemAt(questions[i]), right, 100);
            steady.observe(m_pack->itemAt(questions[i]), x < 0.65, 100);  // no improvement
        }
    }
    EXPECT_GT(learning.learningRate(), 0.2);
    EXPECT_LT(std::abs(steady.learningRate()), 0.2);
    EXPECT_GT(learning.taskStatement(0, 100).mean, fixed.taskStatement(0, 100).mean + 0.03);
    EXPECT_GT(estimateReadiness(*m_exam, *m_pack, learning, 100).passProbability,
              estimateReadiness(*m_exam, *m_pack, fixed, 100).passProbability);
}

TEST_F(ReadinessTest, studyingPartOfTheMaterialDoesNotVouchForTheRest) {
    // Learner A answers every question right; learner B answers the first half of each statement's
    // questions right, then stops. They look alike per answer; B has covered half the material.
    KnowledgeModel all(m_exam), half(m_exam);
    for (const auto& ts : m_exam->taskStatements()) {
        std::vector<size_t> questions;
        for (size_t idx : m_exam->itemsOf(ts.index))
            if (m_pack->itemAt(idx).item->kind() != v1::FLASHCARD)
                questions.push_back(idx);
        for (size_t i = 0; i < questions.size(); ++i) {
            all.observe(m_pack->itemAt(questions[i]), true, 100);
            if (i < (questions.size() + 1) / 2)
                half.observe(m_pack->itemAt(questions[i]), true, 100);
        }
    }
    EXPECT_LT(half.coverage(0), all.coverage(0));
    ReadinessOptions o;
    o.minQuestions = 1;
    o.minQuestionsPerDomain = 1;
    const double pAll = estimateReadiness(*m_exam, *m_pack, all, 100, o).passProbability;
    const double pHalf = estimateReadiness(*m_exam, *m_pack, half, 100, o).passProbability;
    EXPECT_GT(pAll, pHalf);
    o.coverage = false;  // without the coverage term B would look stronger
    const double pHalfNoCoverage = estimateReadiness(*m_exam, *m_pack, half, 100, o).passProbability;
    EXPECT_GT(pHalfNoCoverage, pHalf);
}

}  // namespace
}  // namespace retain::core
