#pragma once
// Knowledge model: per task statement, a probabilistic estimate of the chance that the learner answers
// an unseen exam question on it correctly.
//
// Each task statement has a latent ability theta (logit scale). A question is answered correctly with
// probability p = c + (1 - c) * sigmoid(theta - b) (b: item difficulty, c: the guessing floor, 1/4 for
// 1-of-4 and 1/C(n,k) for k-of-n items). Two levels, as a hierarchical model: a domain's ability has a
// global prior, and a task statement's prior is its domain's posterior widened by the between-statement
// variance, so a statement with little evidence borrows strength from its domain.
//
// Each level keeps its evidence as a Gaussian likelihood summary (precision, mean). An answer adds one
// Laplace step linearised at the current posterior (as in Glicko / online IRT). Flashcard recall is
// weaker evidence about exam performance and enters with a reduced weight and no guessing floor.
// Evidence precision decays with a half-life, so without new evidence the posterior widens back toward
// the prior: uncertainty grows with time.
//
// How recall of a flashcard relates to answering exam questions differs between learners (some recall
// facts easily and still miss scenario questions, others the reverse). So flashcards enter with a
// per-learner offset delta: P(recall) = sigmoid(theta - b + delta), delta estimated online from the
// flashcard answers against the current ability estimate (Gaussian prior, Laplace steps). Questions pin
// the ability's level; flashcards then say which statements are stronger or weaker, not how strong the
// learner is overall. (retain-sim found readiness badly miscalibrated without it: docs/simulator.md.)
//
// Knowing part of a statement's material says little about the rest: the model also counts which items
// were answered (coverage per statement) and keeps, per domain, the ability shown on first exposures to
// questions. Readiness answers an exam question from studied material with the statement's ability and
// one from unstudied material with that first-exposure ability, in proportion to coverage.
//
// Each item counts once, with its latest answer (KnowledgeParameters::latestAnswerPerItem): the planner
// brings back what a learner fails more often than what they know, so if every answer counted, the
// evidence would over-weight the failed items and understate how much of the material the learner
// knows (retain-sim: the adaptive plan's learners were under-predicted by 0.15-0.3 in pass probability
// under all five ground truths, random order's were not; docs/simulator.md).
//
// Learners get better with practice, so old evidence understates the current ability of a learner who
// studies. Each piece of evidence carries its age in log practice (the power law of practice: ability
// grows like the log of the opportunities) and is carried forward by a per-learner learning rate,
// estimated online (Gaussian prior at 0, Laplace steps) from first answers to questions only: a
// repeated question's answer also reflects memory of that very item, which is not skill.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/content_pack.h"

namespace retain::core {

// Study still to come before a date, per task statement (index order): what keeping to a plan adds.
struct PlannedStudy {
    std::vector<double> newItems;  // items it will introduce
    std::vector<double> answers;   // answers it will give (reviews and new items)
};

// A Gaussian over the logit ability.
struct Ability {
    double mean = 0;
    double var = 1;
};

// Evidence at one level: a Gaussian likelihood summary plus counts.
struct Evidence {
    double precision = 0;  // sum of (weighted) Fisher information, decayed
    double mean = 0;       // the likelihood's mean (meaningless while precision is 0)
    int64_t lastDay = 0;
    // Precision-weighted mean age of the evidence in log practice: an answer given after n practice
    // opportunities (answers on the statement; for a domain, answers in the domain per statement) has,
    // after N, the age ln((1 + N) / (1 + n)). The evidence says what the ability was then; the learning
    // rate carries it forward (KnowledgeModel).
    double age = 0;
    uint32_t questions = 0;
    uint32_t flashcards = 0;
    // Bookkeeping to take one answer's share back out (KnowledgeParameters::latestAnswerPerItem): the
    // log of every factor the precision has been multiplied by (decay, tracking).
    double scaleLog = 0;
};

// One answer's share of an Evidence, in natural parameters when it was added, with the Evidence's scaleLog
// and the practice (n above) then.
struct Contribution {
    double precision = 0;  // 0: none
    double precisionMean = 0;
    double scaleLog = 0;
    double practice = 0;
};

struct MasteryEstimate {
    double mean = 0;    // P(correct) on an unseen average question
    double stddev = 0;  // its uncertainty
    uint32_t questions = 0;
    uint32_t flashcards = 0;
};

struct KnowledgeParameters {
    double priorMean = -0.5;  // a newcomer: about 45 % on an average 1-of-4 question
    double priorVar = 1.5;
    double halfLifeDays = 120;      // evidence loses half its weight in this many days
    double flashcardWeight = 0.35;  // information weight of a flashcard review relative to a question
    double betweenStatementVar = 0.35;
    double flashcardOffsetPriorVar = 1.0;  // prior variance of the flashcard offset delta (logits)
    // Ability changes while a learner studies: each new answer keeps this share of the older evidence
    // (on the statement, on the domain), so the estimate follows the learner's current level.
    double statementTracking = 0.98;
    double domainTracking = 0.995;
    // Learners improve with practice (the power law of practice): the ability on a statement rises by
    // the learner's learning rate times the log of the practice on it. The rate (logits per e-fold of
    // practice) is estimated online from first answers to questions; prior N(0, sd^2): no improvement
    // is assumed until the answers show it.
    double learningRatePriorSd = 0.5;
    // Each item counts once, with its latest answer: a new answer on an item replaces that item's
    // earlier one in the statement's and the domain's evidence. The planner brings back the items a
    // learner fails more often than the ones they know, so counting every answer over-weights exactly
    // those items and under-states how much of the material the learner knows.
    bool latestAnswerPerItem = true;
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
    // The part of that posterior's standard deviation that comes from its domain's estimate and is
    // therefore shared by all statements of the domain (for correlated draws).
    double sharedDomainSd(int index, int64_t day) const;
    const Exam* exam() const { return m_exam; }
    // Share of a task statement's items the learner has answered at least once.
    double coverage(int index) const;
    // The model as it would stand on `day` after the planned study: coverage grown by the new items (each
    // counted as studied), the practice grown by the answers (the evidence lifted by the learning rate,
    // never below 0, times the log practice they add: the power law of practice), and the evidence kept as
    // fresh as it is `today` (a learner who keeps reviewing renews it). Readiness's "on your exam date if
    // you keep to your plan".
    KnowledgeModel withPlannedStudy(const PlannedStudy& plan, int64_t today, int64_t day) const;
    // Ability on material not studied yet: the domain's first-exposure question answers only.
    Ability unstudied(int domain, int64_t day) const;
    int domainOf(int index) const { return m_domainOf[static_cast<size_t>(index)]; }
    // The learner's flashcard offset delta (logits; positive: flashcards are easier for them than
    // questions of the same ability).
    double flashcardOffset() const { return m_flashcardOffset; }
    // The learner's learning rate (logits gained per e-fold of practice on a statement).
    double learningRate() const { return m_learningRate; }

    static double itemDifficultyLogit(const v1::Item& item);
    static double guessingFloor(const v1::Item& item);
    // P(correct) for an ability on an item type.
    static double probabilityCorrect(double theta, double b, double c);

private:
    Evidence decayed(const Evidence& e, int64_t day) const;
    // Decayed to the day and carried forward by the learning rate over its age: what it says now.
    Evidence current(const Evidence& e, int64_t day) const;
    // One Laplace step that keeps the evidence's age bookkeeping (the new answer has age 0).
    void updateAged(Evidence& e, const Ability& prior, double b, double c, bool correct, double weight) const;
    static Ability combine(const Ability& prior, const Evidence& e);
    Ability domainPosterior(int domain, int64_t day) const;
    static void update(Evidence& e, const Ability& prior, double b, double c, bool correct, double weight);
    // Takes a contribution back out of the evidence it was added to, whose practice is now `practice`.
    static void retract(Evidence& e, const Contribution& c, double practice);
    MasteryEstimate toMastery(const Ability& a, const Evidence& e) const;

    const Exam* m_exam;
    KnowledgeParameters m_p;
    std::vector<Evidence> m_statements;
    std::vector<Evidence> m_domains;
    std::vector<int> m_domainOf;                        // statement index -> domain index
    std::vector<Evidence> m_firstExposures;             // per domain
    std::vector<uint8_t> m_seen;                        // per pack item index
    std::vector<std::array<Contribution, 2>> m_shares;  // per pack item index: statement, domain
    std::vector<int> m_seenCount;                       // per statement
    double m_flashcardOffset = 0;
    double m_flashcardOffsetPrecision = 0;  // set from the prior in the constructor
    std::vector<int> m_statementsIn;        // per domain: its number of task statements
    std::vector<double> m_practice;         // per statement: answers so far
    std::vector<double> m_domainPractice;   // per domain: answers so far per statement of the domain
    double m_learningRate = 0;
    double m_learningRatePrecision = 0;  // set from the prior in the constructor
};

}  // namespace retain::core
