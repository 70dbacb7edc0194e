#pragma once
// Knowledge model: per task statement, a probabilistic estimate of the chance that the learner answers
// an unseen exam question on it correctly.
//
// Each task statement has a latent ability theta ~ N(mean, var). A question answered correctly with
// probability p = c + (1 - c) * sigmoid(theta - b) (b: item difficulty on the logit scale, c: the
// guessing floor, 1/4 for 1-of-4 and 1/C(n,k) for k-of-n items) updates the Gaussian by one Laplace
// step (as in Glicko / online IRT). Flashcard recall is weaker evidence about exam performance and
// enters with a reduced weight and no guessing floor. Without evidence the variance grows with time.
// Each domain keeps the same kind of estimate over all its task statements; a task statement with
// little evidence borrows from its domain by precision weighting (a two-level hierarchical model).

#include <cstdint>
#include <string>
#include <vector>

#include "core/content_pack.h"

namespace retain::core {

struct Ability {
    double mean = -0.5;
    double var = 1.5;
    int64_t lastDay = 0;  // day of the last evidence, for variance growth
    uint32_t questions = 0;
    uint32_t flashcards = 0;
};

struct MasteryEstimate {
    double mean = 0;    // P(correct) on an unseen average question
    double stddev = 0;  // its uncertainty
    uint32_t questions = 0;
    uint32_t flashcards = 0;
};

struct KnowledgeParameters {
    double priorMean = -0.5;
    double priorVar = 1.5;
    double driftPerDay = 0.004;     // variance added per day without evidence
    double flashcardWeight = 0.35;  // information weight of a flashcard review relative to a question
    double betweenStatementVar = 0.35;
};

class KnowledgeModel {
public:
    explicit KnowledgeModel(const Exam* exam, KnowledgeParameters p = {});
    // Evidence from one answer on an item of the exam, on a study day. Answers must come in time order.
    void observe(const ItemRef& item, bool correct, int64_t day);
    // Estimate for task statement index i on a day (variance grown to that day), with domain borrowing.
    MasteryEstimate taskStatement(int index, int64_t day) const;
    MasteryEstimate domain(const std::string& domainId, int64_t day) const;
    // Logit ability posterior for a task statement on a day (after borrowing): for readiness.
    Ability posterior(int index, int64_t day) const;
    const Exam* exam() const { return m_exam; }

    static double itemDifficultyLogit(const v1::Item& item);
    static double guessingFloor(const v1::Item& item);
    // P(correct) for an ability on an item type.
    static double probabilityCorrect(double theta, double b, double c);

private:
    Ability grown(const Ability& a, int64_t day) const;
    static void update(Ability& a, double b, double c, bool correct, double weight);
    MasteryEstimate toMastery(const Ability& a) const;

    const Exam* m_exam;
    KnowledgeParameters m_p;
    std::vector<Ability> m_statements;
    std::vector<Ability> m_domains;
    std::vector<int> m_domainOf;  // statement index -> domain index
};

}  // namespace retain::core
