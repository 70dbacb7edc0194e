// Known-answer tests of readiness (issue 22): the pass probability and the raw and scaled score
// distribution of estimateReadiness against a plain Monte Carlo simulation, written here, of the model
// readiness.h documents: sit the exam many times, question by question.
//
// The model, for the mini blueprint (tests/data/content/mini: domains 70 / 30 %, statements 1.1 and 1.2
// in domain 1 and 2.1 in domain 2, scaled 100..1000, pass 750, assumed cut 0.7), worked out by hand:
// - Questions per domain by largest remainder, then per statement by its question count (3 each):
//     8 scored (the pack as it is): 5.6 / 2.4 -> 5 / 2, the larger remainder (0.6) to domain 1: 6 / 2;
//       domain 1 over 1.1 and 1.2: 3 / 3. Form: 3 on 1.1, 3 on 1.2, 2 on 2.1.
//     40 scored (the blueprint edited): 28 / 12; 14 / 14. Form: 14 on 1.1, 14 on 1.2, 12 on 2.1.
// - Each statement has two 1-of-4 questions of difficulty 3 (b = 0, c = 1/4) and one 2-of-5 of
//   difficulty 4 (b = 0.6, c = 1/C(5,2) = 0.1): a question on it has b = 0.2 and c = 0.2 (the averages).
// - Pass: raw >= ceil(0.7 N) (6 of 8, 28 of 40). Scaled, with the cut K = 0.7 N (5.6, 28):
//   raw <= K: 100 + 650 raw / K; above: 750 + 250 (raw - K) / (N - K).
// - Abilities (the knowledge model's posteriors on the day): statement i of domain d has
//   theta_i = mean_i + shared_i z_d + sqrt(var_i - shared_i^2) e_i, with z_d one standard normal per
//   domain and draw (the correlated domain term: a domain's statements borrow from one domain estimate;
//   sharedDomainSd gives shared_i) and e_i independent. The first-exposure ability of domain d is
//   f_d ~ N(unstudied mean, unstudied var), drawn independently.
// - A question on statement i is on studied material with probability coverage_i (answered with
//   theta_i), otherwise answered with f_d; it is right with probability c + (1 - c) sigmoid(ability - b)
//   (difficulty spread set to 0 here, so b is exactly the statement's average), where every question
//   of a sitting has b shifted by one delta ~ N(0, sd^2), sd = ReadinessOptions::examDifficultySd (the
//   model's own error about the exam's difficulty: shared by the whole form).
//
// Tolerances: the simulation sits the exam M times; estimateReadiness averages exact conditional
// distributions over D draws of the abilities. For a statistic E g(raw) the simulation's error has
// standard deviation sd(g) / sqrt(M) and the code's sd(E[g | abilities]) / sqrt(D); the latter is known
// here for the mean and the variance (from the per-draw success probabilities of the simulation) and
// bounded by sd(g) / sqrt(D) otherwise (Var E[g | abilities] <= Var g). The test allows 4.5 combined
// standard deviations (about 1 in 150,000 for a correct implementation); both sides use fixed seeds, so
// the outcome is the same on every run.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/content_loader.h"
#include "core/readiness.h"
#include "support/temp_dir.h"

namespace retain::core {
namespace {

constexpr int kSittings = 200'000;  // M
constexpr int kCodeDraws = 40'000;  // D
constexpr double kSigmas = 4.5;

double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

// The form worked out above.
struct Form {
    int scored;                     // N
    std::vector<int> perStatement;  // questions on 1.1, 1.2, 2.1
    int passCorrect;                // ceil(0.7 N)
    double scaled(double raw) const {
        const double cut = 0.7 * scored;
        return raw <= cut ? 100.0 + 650.0 * raw / cut : 750.0 + 250.0 * (raw - cut) / (scored - cut);
    }
};

struct Simulated {
    double mean = 0, meanTolerance = 0;
    double variance = 0, varianceTolerance = 0;
    double pass = 0, passTolerance = 0;
    double scaled = 0, scaledTolerance = 0;
    std::vector<double> domainFraction;  // expected fraction right per domain
};

Simulated simulate(const KnowledgeModel& k, int64_t day, const Form& form, bool coverage, double examSd,
                   bool correlated = true) {
    const int domainOf[] = {0, 0, 1};  // per statement: 1.1, 1.2 in domain 1, 2.1 in domain 2
    constexpr double b0 = 0.2, c = 0.2;
    std::vector<int> statementOf;
    for (int i = 0; i < 3; ++i)
        statementOf.insert(statementOf.end(), static_cast<size_t>(form.perStatement[static_cast<size_t>(i)]),
                           i);
    std::vector<Ability> theta;
    std::vector<double> shared, cover;
    for (int i = 0; i < 3; ++i) {
        theta.push_back(k.posterior(i, day));
        shared.push_back(correlated ? k.sharedDomainSd(i, day) : 0.0);
        cover.push_back(coverage ? k.coverage(i) : 1.0);
    }
    const Ability fresh[] = {k.unstudied(0, day), k.unstudied(1, day)};

    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> uniform;
    std::vector<double> raws(kSittings), condMean(kSittings), condVar(kSittings);
    double pass = 0, scaledSum = 0, scaledSq = 0, domainRight[2] = {0, 0};
    for (int m = 0; m < kSittings; ++m) {
        const double b = b0 + examSd * normal(rng);
        const double z[] = {normal(rng), normal(rng)};
        const double f[] = {fresh[0].mean + std::sqrt(fresh[0].var) * normal(rng),
                            fresh[1].mean + std::sqrt(fresh[1].var) * normal(rng)};
        double t[3];
        for (int i = 0; i < 3; ++i)
            t[i] = theta[i].mean + shared[i] * z[domainOf[i]] +
                   std::sqrt(std::max(0.0, theta[i].var - shared[i] * shared[i])) * normal(rng);
        // P(right) on studied material of each statement, and on unstudied material of each domain.
        double pStudied[3], pFresh[2];
        for (int i = 0; i < 3; ++i)
            pStudied[i] = c + (1 - c) * sigmoid(t[i] - b);
        for (int d = 0; d < 2; ++d)
            pFresh[d] = c + (1 - c) * sigmoid(f[d] - b);
        int raw = 0;
        double mu = 0, v = 0;  // success probabilities given the abilities: for the tolerances only
        for (int i : statementOf) {
            const int d = domainOf[i];
            const bool studied = uniform(rng) < cover[i];
            const bool right = uniform(rng) < (studied ? pStudied[i] : pFresh[d]);
            raw += right;
            domainRight[d] += right;
            const double p = cover[i] * pStudied[i] + (1 - cover[i]) * pFresh[d];
            mu += p;
            v += p * (1 - p);
        }
        const auto mi = static_cast<size_t>(m);
        raws[mi] = raw;
        condMean[mi] = mu;
        condVar[mi] = v;
        pass += raw >= form.passCorrect;
        scaledSum += form.scaled(raw);
        scaledSq += form.scaled(raw) * form.scaled(raw);
    }
    const double M = kSittings, D = kCodeDraws;
    const auto meanOf = [&](const std::vector<double>& x) {
        double s = 0;
        for (double v : x)
            s += v;
        return s / M;
    };
    Simulated out;
    out.mean = meanOf(raws);
    const double condMeanMean = meanOf(condMean);
    double m2 = 0, m4 = 0, condMeanVar = 0, h = 0, hSq = 0;
    for (size_t i = 0; i < raws.size(); ++i) {
        const double d = raws[i] - out.mean;
        m2 += d * d / M;
        m4 += d * d * d * d / M;
        const double e = condMean[i] - condMeanMean;
        condMeanVar += e * e / M;
        const double hi = condVar[i] + e * e;  // the code's variance is the mean of this over its draws
        h += hi / M;
        hSq += hi * hi / M;
    }
    out.variance = m2;
    out.meanTolerance = kSigmas * std::sqrt(m2 / M + condMeanVar / D);
    out.varianceTolerance = kSigmas * std::sqrt((m4 - m2 * m2) / M + (hSq - h * h) / D);
    out.pass = pass / M;
    out.passTolerance = kSigmas * std::sqrt(out.pass * (1 - out.pass) * (1 / M + 1 / D));
    out.scaled = scaledSum / M;
    out.scaledTolerance =
        kSigmas * std::sqrt(std::max(0.0, scaledSq / M - out.scaled * out.scaled) * (1 / M + 1 / D));
    const int inDomain[] = {form.perStatement[0] + form.perStatement[1], form.perStatement[2]};
    for (int d = 0; d < 2; ++d)
        out.domainFraction.push_back(domainRight[d] / M / inDomain[d]);
    return out;
}

class ReadinessMonteCarlo : public ::testing::Test {
protected:
    // The mini pack with `scored` scored questions (of scored + 2).
    void load(int scored) {
        namespace fs = std::filesystem;
        fs::copy(test::miniContentDir(), m_dir.path() + "/c", fs::copy_options::recursive);
        const std::string bp = m_dir.path() + "/c/blueprints/mini.textproto";
        std::stringstream in;
        in << std::ifstream(bp).rdbuf();
        std::string text = in.str();
        const auto replace = [&](const std::string& from, const std::string& to) {
            const auto at = text.find(from);
            ASSERT_NE(at, std::string::npos) << from;
            text.replace(at, from.size(), to);
        };
        replace("total_questions: 10", "total_questions: " + std::to_string(scored + 2));
        replace("scored_questions: 8", "scored_questions: " + std::to_string(scored));
        std::ofstream(bp) << text;
        auto r = loadContent(m_dir.path() + "/c");
        ASSERT_TRUE(r.pack);
        m_pack = std::make_unique<ContentPack>(std::move(*r.pack));
        m_exam = m_pack->exam("MINI-01");
        ASSERT_NE(m_exam, nullptr);
    }

    // A learner with a little evidence: domain 1 mixed, domain 2 good, some flashcards (coverage).
    KnowledgeModel learner() const {
        KnowledgeModel k(m_exam);
        const struct {
            const char* id;
            bool right;
        } answers[] = {{"1.1-mc-q1", true},    {"1.1-fc-card1", true}, {"1.1-mc-q2", false},
                       {"1.2-mc-q1", false},   {"1.2-fc-card1", true}, {"1.1-mc-q1", true},
                       {"2.1-mc-q1", true},    {"2.1-mr-multi", true}, {"2.1-fc-card2", false},
                       {"1.1-mr-multi", false}};
        for (const auto& a : answers)
            k.observe(*m_pack->item(a.id), a.right, kStudyDay);
        return k;
    }

    void compare(const KnowledgeModel& k, const Form& form, bool coverage) {
        ReadinessOptions o;
        o.draws = kCodeDraws;
        o.itemDifficultySpread = 0;
        o.recommendations = false;
        o.coverage = coverage;
        const auto r = estimateReadiness(*m_exam, *m_pack, k, kExamDay, o);
        ASSERT_EQ(r.scoredQuestions, form.scored);
        ASSERT_EQ(r.cutCorrect, form.passCorrect);
        ASSERT_EQ(r.rawDistribution.size(), static_cast<size_t>(form.scored) + 1);
        ASSERT_EQ(r.domains.size(), 2u);
        EXPECT_EQ(r.domains[0].questions, form.perStatement[0] + form.perStatement[1]);
        EXPECT_EQ(r.domains[1].questions, form.perStatement[2]);
        double mean = 0, second = 0;
        for (size_t n = 0; n < r.rawDistribution.size(); ++n) {
            mean += static_cast<double>(n) * r.rawDistribution[n];
            second += static_cast<double>(n * n) * r.rawDistribution[n];
        }
        const auto sim = simulate(k, kExamDay, form, coverage, o.examDifficultySd);
        EXPECT_NEAR(r.expectedCorrect, sim.mean, sim.meanTolerance);
        EXPECT_NEAR(mean, sim.mean, sim.meanTolerance);
        EXPECT_NEAR(second - mean * mean, sim.variance, sim.varianceTolerance);
        EXPECT_NEAR(r.passProbability, sim.pass, sim.passTolerance);
        EXPECT_NEAR(r.scaledScore, sim.scaled, sim.scaledTolerance);
        // A domain's fraction right is in [0, 1]: its sd per sitting is at most 0.5.
        const double fractionTolerance = kSigmas * 0.5 * std::sqrt(1.0 / kSittings + 1.0 / kCodeDraws);
        EXPECT_NEAR(r.domains[0].expectedFraction, sim.domainFraction[0], fractionTolerance);
        EXPECT_NEAR(r.domains[1].expectedFraction, sim.domainFraction[1], fractionTolerance);
    }

    static Form eight() { return {8, {3, 3, 2}, 6}; }
    static Form forty() { return {40, {14, 14, 12}, 28}; }

    static constexpr int64_t kStudyDay = 20605;
    static constexpr int64_t kExamDay = 20605 + 20;
    test::TempDir m_dir;
    std::unique_ptr<ContentPack> m_pack;
    const Exam* m_exam = nullptr;
};

TEST_F(ReadinessMonteCarlo, theEightQuestionMiniFormMatchesSimulatedSittings) {
    ASSERT_NO_FATAL_FAILURE(load(8));
    const auto k = learner();
    // 1.1: 4 of 7 items answered; 1.2: 2 of 7; 2.1: 3 of 7.
    EXPECT_NEAR(k.coverage(0), 4.0 / 7, 1e-12);
    EXPECT_NEAR(k.coverage(1), 2.0 / 7, 1e-12);
    EXPECT_NEAR(k.coverage(2), 3.0 / 7, 1e-12);
    compare(k, eight(), true);
}

TEST_F(ReadinessMonteCarlo, aFortyQuestionFormOnStudiedMaterialMatchesSimulatedSittings) {
    ASSERT_NO_FATAL_FAILURE(load(40));
    const auto k = learner();
    // The scenario can tell the correlated domain term from independent statements: without it the score
    // variance is clearly smaller.
    EXPECT_GT(k.sharedDomainSd(0, kExamDay), 0.3);
    EXPECT_GT(k.sharedDomainSd(1, kExamDay), 0.3);
    const auto with = simulate(k, kExamDay, forty(), false, 0.0);
    const auto without = simulate(k, kExamDay, forty(), false, 0.0, false);
    EXPECT_GT(with.variance - without.variance, 3 * with.varianceTolerance);
    // So can the shift of the whole form's difficulty: with it the variance is larger again.
    const auto shifted = simulate(k, kExamDay, forty(), false, ReadinessOptions{}.examDifficultySd);
    EXPECT_GT(shifted.variance - with.variance, 3 * shifted.varianceTolerance);
    compare(k, forty(), false);
}

TEST_F(ReadinessMonteCarlo, aFortyQuestionFormOnPartlyStudiedMaterialMatchesSimulatedSittings) {
    ASSERT_NO_FATAL_FAILURE(load(40));
    compare(learner(), forty(), true);
}

}  // namespace
}  // namespace retain::core
