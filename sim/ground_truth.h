#pragma once
// Ground truth of a simulated learner: what they really know, written separately from Retain's own
// memory model (FSRS-6) and knowledge model (3PL with Gaussian ability), so the simulator can judge
// them. Nothing here calls or copies the scheduler's formulas.
//
// Two models, with different forgetting curves and skill dynamics:
//  - "actr": item memory as ACT-R declarative memory (Pavlik & Anderson 2005): each study leaves a
//    trace whose power-law decay rate grows with the activation at the time of study (massed practice
//    decays faster), recall is logistic in activation. Skill on a task statement is the learner's
//    prior skill plus a gain proportional to how much of the statement's material they retain now
//    (questions count fully, flashcards partly), plus transfer from the rest of the domain.
//  - "interference": item memory as an exponential curve whose strength grows multiplicatively on
//    successful, spaced recall and is hurt by interference (many items of one task statement in a
//    day) and by lapses. Skill is a practice-volume latent per task statement with saturation and
//    its own slow exponential decay (weight 0.45), plus retained material (0.4) and domain transfer
//    (0.15).
//
// Both vary per learner (prior skill per domain and statement, learning gain, memory decay, speed)
// and per item (a true difficulty that differs from the pack's prior, plus per-learner noise).
//
// Three held-out families (issue 21): Retain's parameters were never tuned against them. They share no
// equation with Retain's models or with the two above, so readiness is judged under learner models it
// was not built around.
//  - "hlr": item memory by half-life regression (Settles & Meeder 2016, "A Trainable Spaced Repetition
//    Model for Language Learning", ACL): recall p = 2^(-Δ/h) with h = 2^(θ·x), x = (1, sqrt(1 + right
//    answers), sqrt(1 + wrong answers), the item's difficulty), θ per learner, h bounded to
//    [15 min, 274 days] as in the paper. Skill is additive/performance factors analysis (Pavlik, Cen &
//    Koedinger 2009, "Performance Factors Analysis — A New Alternative to Knowledge Tracing", AIED):
//    logit = β_statement + γ·successes + ρ·failures on the statement's items (per item of the
//    statement; flashcards count half), γ and ρ per learner. The real exam is partly beyond the pack:
//    on its questions only a per-learner share (about 0.6) of the studied gain carries over (a
//    transfer gap). A pack item is answered from memory, else from the pack-level skill.
//  - "dash": DASH (Lindsey, Shroyer, Pashler & Mozer 2014, "Improving students' long-term knowledge
//    retention through personalized review", Psychological Science): recall = σ(a − d_item +
//    Σ_w θc_w·log(1 + c_w) − θn_w·log(1 + n_w)) over expanding windows w (the last hour, day, week,
//    month, all time) of correct answers c_w and attempts n_w; a per learner, θ scaled per learner.
//    Skill: prior + gain × (0.75·M/(M + κ) on the statement, κ half its items, + 0.25 the same on its
//    domain), M the number of distinct items mastered now (answered correctly at least once and memory
//    logit ≥ 0): a saturating count of mastered items, with domain transfer.
//  - "dash-wrongprior": the same learners on a population whose true item difficulties correlate only
//    weakly with the pack's difficulty field (r = kWrongPriorCorrelation) and are shifted on average
//    (kWrongPriorShift: the pack's items are easier than the pack says; the real exam is not).

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/content_pack.h"

namespace retain::sim {

// New kinds go at the end: the enum's value seeds the learners, so existing models keep their learners.
enum class TruthKind { ActR, Interference, Hlr, Dash, DashWrongPrior };
const char* truthName(TruthKind kind);
// "actr", "interference", "hlr", "dash" or "dash-wrongprior"; false when unknown.
bool parseTruth(const std::string& name, TruthKind* out);
// Every model ("all") and the default set (actr and interference: the models Retain was tuned against).
const std::vector<TruthKind>& allTruths();
const std::vector<TruthKind>& defaultTruths();
// True for the families Retain's parameters were never tuned against (hlr, dash, dash-wrongprior).
bool truthHeldOut(TruthKind kind);

// The wrong-prior population: Pearson correlation of the true item difficulties with the pack's
// difficulty field, their sd (logits), and the shift of their mean from an average exam question.
constexpr double kWrongPriorCorrelation = 0.3;
constexpr double kWrongPriorSd = 0.8;
constexpr double kWrongPriorShift = -0.5;

// The real exam a learner would sit: blueprint-shaped, per-domain scored question counts, questions
// drawn over task statements in proportion to the pack's items, unseen-question difficulties and the
// pack's mix of guessing floors.
struct ExamShape {
    std::vector<int> domainQuestions;    // scored questions per domain (blueprint order)
    std::vector<int> statementDomain;    // task statement -> domain index
    std::vector<double> statementShare;  // within its domain, P(a question is on this statement)
    std::vector<double> guessingFloors;  // of the pack's questions (sampled uniformly)
    int scoredQuestions = 0;
    int cutCorrect = 0;  // ceil(assumed cut x scored questions)
    static ExamShape fromExam(const core::Exam& exam, const core::ContentPack& pack);
};

// Per population: true item difficulties (the pack's prior is only an indication of them).
struct Population {
    const core::ContentPack* pack = nullptr;
    const core::Exam* exam = nullptr;
    ExamShape shape;
    std::vector<double> itemDifficulty;  // per pack item index (logits); NaN-free, 0 for other exams
    static Population make(const core::ContentPack& pack, const core::Exam& exam, uint64_t seed);
    // True difficulties kWrongPriorShift + kWrongPriorSd·(r·z + sqrt(1 − r²)·ε), z the pack's difficulty
    // field standardised over the pack, ε standard normal, r = kWrongPriorCorrelation.
    static Population makeWrongPriors(const core::ContentPack& pack, const core::Exam& exam, uint64_t seed);
    // The population a model's learners study: the wrong-prior one for dash-wrongprior, else make().
    static Population forModel(TruthKind kind, const core::ContentPack& pack, const core::Exam& exam,
                               uint64_t seed);
};

// What happened when the learner met an item.
struct Outcome {
    bool correct = false;
    double minutes = 0;
};

class Learner {
public:
    virtual ~Learner() = default;
    // The learner studies item `index` (pack index) at time `day` (fractional days since the start):
    // answers it (drawn from the ground truth), sees the feedback, and their state changes.
    virtual Outcome study(size_t index, double day, std::mt19937_64& rng) = 0;
    // True ability (logit) on task statement `statement` at time `day`.
    virtual double skill(int statement, double day) const = 0;
    // Probability of answering pack item `index` correctly at `day` (no state change).
    virtual double probabilityCorrect(size_t index, double day) const = 0;

    // The true exam at `day`: P(pass) and the expected fraction correct of the scored questions.
    struct ExamTruth {
        double passProbability = 0;
        double expectedScore = 0;
    };
    ExamTruth exam(double day) const;
    // One sitting of the real exam at `day` (Bernoulli draws of every scored question): passed?
    bool sitExam(double day, std::mt19937_64& rng) const;

protected:
    explicit Learner(const Population* population) : m_pop(population) {}
    double statementProbability(int statement, double day) const;  // average unseen question
    double responseMinutes(bool question, bool correct, std::mt19937_64& rng) const;
    const Population* m_pop;
    double m_speed = 1;  // multiplies response times
};

// A fresh learner of the given model, drawn from `seed` (the same seed gives the same learner).
std::unique_ptr<Learner> makeLearner(TruthKind kind, const Population& population, uint64_t seed);

// Difficulty quadrature of unseen exam questions (logit offsets with equal weights).
const std::vector<double>& unseenDifficulties();

}  // namespace retain::sim
