#pragma once
// Readiness: the probability of passing the exam on a date.
//
// A blueprint-shaped form has N scored questions split over the domains by weight (largest remainder)
// and, within a domain, over its task statements in proportion to their items. Each question is
// all-or-nothing and answered correctly with p = c + (1 - c) * sigmoid(theta - b), where theta is the
// learner's ability on that task statement on the date (the knowledge model's posterior, projected to
// the date with its evidence decay: forgetting), b the difficulty of an unseen question (spread around
// the pack's average) and c the guessing floor of the pack's mix of 1-of-4 and k-of-n questions.
//
// Ability is uncertain, and one task statement's questions share it, so the raw score is a mixture:
// for each of S draws of the abilities (fixed-seed pseudo-random draws, so results are deterministic;
// the draws share a domain component, since a domain's statements borrow from one domain estimate)
// the raw score is Poisson-binomial over the N questions (computed exactly by dynamic programming), and
// the draws are averaged. Each draw also shifts the whole form's difficulty by one shared amount
// (ReadinessOptions::examDifficultySd): the model's own error about how hard the real exam is for this
// learner, which no amount of the learner's evidence removes. The pass probability is P(raw >= ceil(cut * N))
// with the blueprint's *assumed* cut; scaled scores map raw scores piecewise-linearly (0 -> min, cut ->
// passing score, N -> max). A question falls on material the learner has studied with the statement's
// coverage (share of its items answered); otherwise it is answered with the domain's ability on first
// exposures (KnowledgeModel::unstudied), so studying part of the material does not vouch for the rest.

#include <cstdint>
#include <string>
#include <vector>

#include "core/content_pack.h"
#include "core/knowledge_model.h"

namespace retain::core {

// Exact distribution of the number of successes of independent Bernoulli trials: out[k] = P(K = k).
std::vector<double> poissonBinomial(const std::vector<double>& probabilities);

// Scored questions per domain for a blueprint (largest-remainder rounding of the weights).
std::vector<int> questionsPerDomain(const v1::Blueprint& blueprint);

struct DomainOutlook {
    std::string domainId;
    int questions = 0;
    double expectedFraction = 0;
    bool meets = false;
};

struct StatementGain {
    int index = 0;  // task statement index in the exam
    double passProbabilityGain = 0;
};

struct ReadinessEstimate {
    bool enoughEvidence = false;
    std::vector<std::string> missing;  // what evidence is needed, for people
    double passProbability = 0;
    // An 80 % interval for it from the uncertainty of the abilities and of the exam's difficulty (10th
    // and 90th percentiles over the Monte Carlo draws): wide when there is little evidence.
    double passLow = 0;
    double passHigh = 0;
    double expectedCorrect = 0;
    int scoredQuestions = 0;
    int cutCorrect = 0;
    double scaledScore = 0;
    double scaledLow = 0;                 // 10th percentile
    double scaledHigh = 0;                // 90th percentile
    std::vector<double> rawDistribution;  // P(raw = k), k = 0..N
    std::vector<DomainOutlook> domains;
    std::vector<StatementGain> recommendations;  // best first
};

struct ReadinessOptions {
    int draws = 256;
    double itemDifficultySpread = 0.6;  // sd of unseen question difficulty (logits)
    // The model's own error: the real exam's questions may be harder or easier on the whole than the
    // bank's difficulty priors say, and the learner may differ from the model in ways that move every
    // question alike. One shift shared by the whole form, drawn per draw (sd, logits). 0.4 was chosen on
    // retain-sim's two tuned ground truths (actr, interference) for 80 % intervals that hold the true
    // probability about 80 % of the time there, and is reported on the held-out ones (docs/simulator.md).
    double examDifficultySd = 0.4;
    double masteryTarget = 0.9;     // recommendations: P(correct) on an average question once "mastered"
    int minQuestions = 40;          // evidence needed overall...
    int minQuestionsPerDomain = 5;  // ...and per domain
    bool recommendations = true;
    bool coverage = true;  // questions on unstudied material are answered at the unstudied ability
};

ReadinessEstimate estimateReadiness(const Exam& exam, const ContentPack& pack,
                                    const KnowledgeModel& knowledge, int64_t day,
                                    const ReadinessOptions& options = {});

// Raw score (0..N) to scaled score, piecewise-linear through the passing point.
double scaledScore(const v1::ExamForm& form, double raw, int scoredQuestions);

}  // namespace retain::core
