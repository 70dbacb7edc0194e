#include "sim/ground_truth.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/fsrs.h"
#include "sim/sim_fixture.h"

using namespace retain;
using namespace retain::sim;

namespace {

const Population& population() {
    static const Population pop = Population::make(test::simPack(), *test::simPack().defaultExam(), 7);
    return pop;
}

size_t firstFlashcard() {
    const auto& pack = test::simPack();
    for (size_t i : pack.defaultExam()->items())
        if (pack.itemAt(i).item->kind() == core::v1::FLASHCARD)
            return i;
    return 0;
}

}  // namespace

TEST(SimGroundTruth, examHasTheBlueprintsShape) {
    const auto& shape = population().shape;
    EXPECT_EQ(shape.scoredQuestions, 50);
    EXPECT_EQ(shape.domainQuestions, (std::vector<int>{10, 12, 18, 10}));
    EXPECT_EQ(shape.cutCorrect, 36);  // the assumed 72 % cut
    double share = 0;
    for (double s : shape.statementShare)
        share += s;
    EXPECT_NEAR(share, 4.0, 1e-9);  // shares sum to one within each of the four domains
}

TEST(SimGroundTruth, forgettingCurvesDifferFromFsrsAndFromEachOther) {
    // One flashcard studied once at day 0, recalled (ground truth) over the next month, against
    // FSRS-6's default curve for a first GOOD answer.
    const size_t card = firstFlashcard();
    core::Fsrs fsrs(core::FsrsParameters::defaults());
    const double s0 = fsrs.initialStability(core::Rating::Good);
    double maxGapActR = 0, maxGapInterference = 0, maxGapModels = 0;
    for (uint64_t seed = 1; seed <= 5; ++seed) {
        auto actr = makeLearner(TruthKind::ActR, population(), seed);
        auto inter = makeLearner(TruthKind::Interference, population(), seed);
        std::mt19937_64 rng(seed);
        actr->study(card, 0, rng);
        inter->study(card, 0, rng);
        for (double t : {1.0, 3.0, 7.0, 14.0, 30.0}) {
            const double f = fsrs.retrievability(t, s0);
            const double a = actr->probabilityCorrect(card, t);
            const double b = inter->probabilityCorrect(card, t);
            maxGapActR = std::max(maxGapActR, std::abs(a - f));
            maxGapInterference = std::max(maxGapInterference, std::abs(b - f));
            maxGapModels = std::max(maxGapModels, std::abs(a - b));
        }
    }
    EXPECT_GT(maxGapActR, 0.15);
    EXPECT_GT(maxGapInterference, 0.15);
    EXPECT_GT(maxGapModels, 0.1);
}

TEST(SimGroundTruth, studyRaisesTheTrueExamAndDisuseLowersIt) {
    for (auto kind : {TruthKind::ActR, TruthKind::Interference}) {
        auto learner = makeLearner(kind, population(), 3);
        std::mt19937_64 rng(3);
        const auto before = learner->exam(0);
        double t = 0;
        for (int round = 0; round < 3; ++round)
            for (size_t i : test::simPack().defaultExam()->items()) {
                learner->study(i, t, rng);
                t += 0.5 / 1440;
            }
        const auto after = learner->exam(t + 0.5);
        const auto later = learner->exam(t + 365);
        EXPECT_GT(after.expectedScore, before.expectedScore + 0.1) << truthName(kind);
        EXPECT_GT(after.passProbability, before.passProbability) << truthName(kind);
        EXPECT_LT(later.expectedScore, after.expectedScore) << truthName(kind);
        EXPECT_GE(after.passProbability, 0.0);
        EXPECT_LE(after.passProbability, 1.0);
    }
}

TEST(SimGroundTruth, theSameSeedGivesTheSameLearnerAndOthersDiffer) {
    auto a = makeLearner(TruthKind::ActR, population(), 11);
    auto b = makeLearner(TruthKind::ActR, population(), 11);
    auto c = makeLearner(TruthKind::ActR, population(), 12);
    EXPECT_EQ(a->exam(0).expectedScore, b->exam(0).expectedScore);
    EXPECT_NE(a->exam(0).expectedScore, c->exam(0).expectedScore);
}

TEST(SimGroundTruth, sittingsFollowTheTruePassProbability) {
    auto learner = makeLearner(TruthKind::Interference, population(), 5);
    std::mt19937_64 rng(5);
    double t = 0;
    for (size_t i : test::simPack().defaultExam()->items()) {
        learner->study(i, t, rng);
        t += 1.0 / 1440;
    }
    const double p = learner->exam(t).passProbability;
    int passed = 0;
    const int n = 2000;
    for (int k = 0; k < n; ++k)
        passed += learner->sitExam(t, rng) ? 1 : 0;
    // Binomial standard error at most 0.011: 5 of them.
    EXPECT_NEAR(static_cast<double>(passed) / n, p, 0.056);
}
