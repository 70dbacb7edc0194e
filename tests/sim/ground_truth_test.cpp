#include "sim/ground_truth.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

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

// ---- The held-out families (issue 21): hlr, dash, dash-wrongprior ----------------------------------

namespace {

const std::vector<TruthKind> kHeldOut{TruthKind::Hlr, TruthKind::Dash, TruthKind::DashWrongPrior};

const Population& wrongPriors() {
    static const Population pop =
        Population::forModel(TruthKind::DashWrongPrior, test::simPack(), *test::simPack().defaultExam(), 7);
    return pop;
}

const Population& populationOf(TruthKind kind) {
    return kind == TruthKind::DashWrongPrior ? wrongPriors() : population();
}

// Pearson correlation of the pack's difficulty field (0 read as 3, as the populations do) with a
// population's true item difficulties, and the latter's mean.
std::pair<double, double> priorCorrelationAndMean(const Population& pop) {
    const auto& pack = test::simPack();
    const double n = static_cast<double>(pack.itemCount());
    double mx = 0, my = 0;
    for (size_t i = 0; i < pack.itemCount(); ++i) {
        const uint32_t d = pack.itemAt(i).item->difficulty();
        mx += d == 0 ? 3.0 : d;
        my += pop.itemDifficulty[i];
    }
    mx /= n;
    my /= n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < pack.itemCount(); ++i) {
        const uint32_t d = pack.itemAt(i).item->difficulty();
        const double x = (d == 0 ? 3.0 : d) - mx, y = pop.itemDifficulty[i] - my;
        sxy += x * y;
        sxx += x * x;
        syy += y * y;
    }
    return {sxy / std::sqrt(sxx * syy), my};
}

}  // namespace

TEST(SimGroundTruth, everyModelHasANameAndOnlyTheNewOnesAreHeldOut) {
    ASSERT_EQ(allTruths().size(), 5u);
    for (TruthKind k : allTruths()) {
        TruthKind parsed{};
        ASSERT_TRUE(parseTruth(truthName(k), &parsed)) << truthName(k);
        EXPECT_EQ(parsed, k);
    }
    TruthKind unused{};
    EXPECT_FALSE(parseTruth("all", &unused));
    EXPECT_FALSE(truthHeldOut(TruthKind::ActR));
    EXPECT_FALSE(truthHeldOut(TruthKind::Interference));
    for (TruthKind k : kHeldOut)
        EXPECT_TRUE(truthHeldOut(k)) << truthName(k);
    // The default run stays the two models Retain was tuned against.
    EXPECT_EQ(defaultTruths(), (std::vector<TruthKind>{TruthKind::ActR, TruthKind::Interference}));
}

namespace {

// The first flashcard of about average true difficulty (within 0.3 logits of 0) in a population.
size_t averageFlashcard(const Population& pop) {
    const auto& pack = test::simPack();
    for (size_t i : pack.defaultExam()->items())
        if (pack.itemAt(i).item->kind() == core::v1::FLASHCARD && std::abs(pop.itemDifficulty[i]) < 0.3)
            return i;
    return firstFlashcard();
}

}  // namespace

TEST(SimGroundTruth, heldOutMemoryDecaysWithoutStudyAndRecoversWithIt) {
    for (TruthKind kind : kHeldOut)
        for (uint64_t seed = 1; seed <= 5; ++seed) {
            const size_t card = averageFlashcard(populationOf(kind));
            auto learner = makeLearner(kind, populationOf(kind), seed);
            std::mt19937_64 rng(seed);
            const double unseen = learner->probabilityCorrect(card, 0);
            // Three reviews on three days.
            for (int day = 0; day < 3; ++day)
                learner->study(card, day, rng);
            const double fresh = learner->probabilityCorrect(card, 2 + 10.0 / 1440);
            const double week = learner->probabilityCorrect(card, 9);
            const double later = learner->probabilityCorrect(card, 60);
            EXPECT_GT(fresh, unseen + 0.2) << truthName(kind) << " seed " << seed;
            EXPECT_LT(week, fresh) << truthName(kind) << " seed " << seed;
            EXPECT_LT(later, fresh - 0.1) << truthName(kind) << " seed " << seed;
            EXPECT_LE(later, week) << truthName(kind) << " seed " << seed;
            learner->study(card, 60, rng);
            EXPECT_GT(learner->probabilityCorrect(card, 60 + 10.0 / 1440), later + 0.1)
                << truthName(kind) << " seed " << seed;
        }
}

TEST(SimGroundTruth, heldOutSkillGrowsWithStudyAndRaisesTheTrueExam) {
    const auto& exam = *test::simPack().defaultExam();
    for (TruthKind kind : kHeldOut) {
        auto learner = makeLearner(kind, populationOf(kind), 3);
        std::mt19937_64 rng(3);
        std::vector<double> before;
        for (size_t s = 0; s < exam.taskStatements().size(); ++s)
            before.push_back(learner->skill(static_cast<int>(s), 0));
        const auto examBefore = learner->exam(0);
        double t = 0;
        for (int day = 0; day < 3; ++day) {
            t = day;
            for (size_t i : exam.items()) {
                learner->study(i, t, rng);
                t += 0.5 / 1440;
            }
        }
        for (size_t s = 0; s < exam.taskStatements().size(); ++s)
            EXPECT_GT(learner->skill(static_cast<int>(s), t + 0.5), before[s] + 0.3)
                << truthName(kind) << " statement " << s;
        const auto after = learner->exam(t + 0.5);
        EXPECT_GT(after.expectedScore, examBefore.expectedScore + 0.1) << truthName(kind);
        EXPECT_GT(after.passProbability, examBefore.passProbability) << truthName(kind);
        const auto later = learner->exam(t + 365);
        if (kind == TruthKind::Hlr)  // performance factors analysis has no forgetting: skill stays
            EXPECT_EQ(later.expectedScore, after.expectedScore);
        else  // mastered items fall out of mastery as their windows empty
            EXPECT_LT(later.expectedScore, after.expectedScore - 0.02) << truthName(kind);
    }
}

TEST(SimGroundTruth, hlrTheExamGetsOnlyPartOfWhatThePackShows) {
    // The transfer gap: a never-studied multiple-choice question of the pack gains the full studied gain
    // (performance factors) from study of its statement's other items; the real exam's questions on the
    // statement gain only the learner's transferred share (0.3-0.9).
    const auto& pack = test::simPack();
    const auto& exam = *pack.defaultExam();
    for (int s = 0; s < static_cast<int>(exam.taskStatements().size()); ++s) {
        const auto& items = exam.itemsOf(s);
        size_t probe = items.size();
        for (size_t k = 0; k < items.size() && probe == items.size(); ++k)
            if (pack.itemAt(items[k]).item->kind() == core::v1::MULTIPLE_CHOICE)
                probe = k;
        if (probe == items.size())
            continue;
        auto learner = makeLearner(TruthKind::Hlr, population(), 9);
        std::mt19937_64 rng(9);
        const auto& item = *pack.itemAt(items[probe]).item;
        const double floor = 1.0 / std::max(2, item.options_size());
        auto logit = [&](double p) {
            const double q = (p - floor) / (1 - floor);
            return std::log(q / (1 - q));
        };
        const double packBefore = logit(learner->probabilityCorrect(items[probe], 0));
        const double skillBefore = learner->skill(s, 0);
        for (int round = 0; round < 3; ++round)
            for (size_t k = 0; k < items.size(); ++k)
                if (k != probe)
                    learner->study(items[k], round, rng);
        const double packGain = logit(learner->probabilityCorrect(items[probe], 3)) - packBefore;
        const double examGain = learner->skill(s, 3) - skillBefore;
        EXPECT_GT(packGain, 0.5) << "statement " << s;
        EXPECT_LT(examGain, 0.91 * packGain) << "statement " << s;
        EXPECT_GT(examGain, 0.29 * packGain) << "statement " << s;
    }
}

TEST(SimGroundTruth, heldOutLearnersAreReproducibleForASeed) {
    for (TruthKind kind : kHeldOut) {
        auto a = makeLearner(kind, populationOf(kind), 21);
        auto b = makeLearner(kind, populationOf(kind), 21);
        auto c = makeLearner(kind, populationOf(kind), 22);
        std::mt19937_64 ra(4), rb(4), rc(4);
        double t = 0;
        std::vector<bool> oa, ob, oc;
        for (size_t i : test::simPack().defaultExam()->items()) {
            oa.push_back(a->study(i, t, ra).correct);
            ob.push_back(b->study(i, t, rb).correct);
            oc.push_back(c->study(i, t, rc).correct);
            t += 1.0 / 1440;
        }
        EXPECT_EQ(oa, ob) << truthName(kind);
        EXPECT_EQ(a->exam(t + 1).passProbability, b->exam(t + 1).passProbability) << truthName(kind);
        EXPECT_NE(a->exam(t + 1).expectedScore, c->exam(t + 1).expectedScore) << truthName(kind);
    }
}

TEST(SimGroundTruth, theWrongPriorPopulationHasTheCorrelationAndShiftItWasGiven) {
    const auto [r, mean] = priorCorrelationAndMean(wrongPriors());
    const auto [rStandard, meanStandard] = priorCorrelationAndMean(population());
    std::cout << "pack difficulty field vs true difficulty: wrong priors r = " << r << " (mean " << mean
              << "); standard population r = " << rStandard << " (mean " << meanStandard << ")\n";
    // About 900 items: the sample correlation's standard error is about 0.03.
    EXPECT_NEAR(r, kWrongPriorCorrelation, 0.08);
    EXPECT_NEAR(mean, kWrongPriorShift, 0.1);
    EXPECT_GT(rStandard, r + 0.15);  // the standard population follows the field more closely
    // Only dash-wrongprior gets the wrong priors.
    for (TruthKind k : allTruths()) {
        const auto pop = Population::forModel(k, test::simPack(), *test::simPack().defaultExam(), 7);
        const bool same = pop.itemDifficulty == population().itemDifficulty;
        EXPECT_EQ(same, k != TruthKind::DashWrongPrior) << truthName(k);
    }
}
