#include "core/readiness.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace retain::core {
namespace {

constexpr double kPi = 3.14159265358979323846;

double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

// Largest-remainder apportionment of `total` over non-negative weights.
std::vector<int> apportion(const std::vector<double>& weights, int total) {
    const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    std::vector<int> out(weights.size(), 0);
    if (sum <= 0 || weights.empty()) {
        for (size_t i = 0; i < out.size() && total > 0; ++i, --total)
            out[i] = 1;
        return out;
    }
    std::vector<std::pair<double, size_t>> remainders;
    int used = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
        const double exact = weights[i] / sum * total;
        out[i] = static_cast<int>(std::floor(exact));
        used += out[i];
        remainders.push_back({exact - out[i], i});
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](auto& a, auto& b) { return a.first > b.first; });
    for (size_t k = 0; used < total; ++k, ++used)
        ++out[remainders[k % remainders.size()].second];
    return out;
}

// One question slot of the form.
struct Slot {
    int statement = 0;
    int domain = 0;
    double difficulty = 0;  // mean logit difficulty of the statement's questions
    double floor = 0.25;    // guessing floor
    double coverage = 1;    // share of the statement's material studied
};

struct Simulation {
    std::vector<double> raw;            // mixture distribution of the raw score
    std::vector<double> domainCorrect;  // expected correct per domain
    std::vector<double> drawPass;       // the pass probability under each draw of the abilities
};

Simulation simulate(const std::vector<Slot>& slots, const std::vector<Ability>& abilities,
                    const std::vector<double>& sharedSd, const std::vector<Ability>& unstudied, int domains,
                    const ReadinessOptions& o, int draws, int cut = -1) {
    const int n = static_cast<int>(slots.size());
    Simulation sim{std::vector<double>(static_cast<size_t>(n) + 1, 0.0),
                   std::vector<double>(static_cast<size_t>(domains), 0.0),
                   {}};
    std::mt19937_64 rng(20260331);  // fixed: deterministic, and common random numbers across calls
    std::normal_distribution<double> normal;
    const double shrink = 1.0 / std::sqrt(1.0 + kPi * o.itemDifficultySpread * o.itemDifficultySpread / 8.0);
    std::vector<double> theta(abilities.size()), p(static_cast<size_t>(n));
    std::vector<double> domainZ(static_cast<size_t>(domains)), fresh(static_cast<size_t>(domains));
    for (int s = 0; s < draws; ++s) {
        // How much harder (or easier) the real exam is than the bank says: one shift for the whole form.
        const double examShift = o.examDifficultySd * normal(rng);
        for (auto& z : domainZ)
            z = normal(rng);
        for (size_t d = 0; d < fresh.size(); ++d)
            fresh[d] = unstudied[d].mean + std::sqrt(unstudied[d].var) * normal(rng);
        for (size_t i = 0; i < abilities.size(); ++i) {
            const double own = std::sqrt(std::max(0.0, abilities[i].var - sharedSd[i] * sharedSd[i]));
            theta[i] = abilities[i].mean + own * normal(rng);
        }
        for (int q = 0; q < n; ++q) {
            const auto& slot = slots[static_cast<size_t>(q)];
            const double t =
                theta[static_cast<size_t>(slot.statement)] +
                sharedSd[static_cast<size_t>(slot.statement)] * domainZ[static_cast<size_t>(slot.domain)];
            const double b = slot.difficulty + examShift;
            const double studied = sigmoid((t - b) * shrink);
            const double unseen = sigmoid((fresh[static_cast<size_t>(slot.domain)] - b) * shrink);
            p[static_cast<size_t>(q)] =
                slot.floor + (1 - slot.floor) * (slot.coverage * studied + (1 - slot.coverage) * unseen);
            sim.domainCorrect[static_cast<size_t>(slot.domain)] += p[static_cast<size_t>(q)] / draws;
        }
        const auto dist = poissonBinomial(p);
        double pass = 0;
        for (size_t k = 0; k < dist.size(); ++k) {
            sim.raw[k] += dist[k] / draws;
            if (cut >= 0 && static_cast<int>(k) >= cut)
                pass += dist[k];
        }
        if (cut >= 0)
            sim.drawPass.push_back(std::min(1.0, pass));
    }
    return sim;
}

double passProbability(const std::vector<double>& raw, int cut) {
    double p = 0;
    for (size_t k = static_cast<size_t>(std::max(0, cut)); k < raw.size(); ++k)
        p += raw[k];
    return std::min(1.0, p);
}

}  // namespace

std::vector<double> poissonBinomial(const std::vector<double>& probabilities) {
    std::vector<double> dist(probabilities.size() + 1, 0.0);
    dist[0] = 1.0;
    for (size_t i = 0; i < probabilities.size(); ++i) {
        const double p = probabilities[i];
        for (size_t k = i + 1; k > 0; --k)
            dist[k] = dist[k] * (1 - p) + dist[k - 1] * p;
        dist[0] *= 1 - p;
    }
    return dist;
}

std::vector<int> questionsPerDomain(const v1::Blueprint& blueprint) {
    std::vector<double> weights;
    for (const auto& d : blueprint.domains())
        weights.push_back(d.weight_percent());
    return apportion(weights, static_cast<int>(blueprint.form().scored_questions()));
}

double scaledScore(const v1::ExamForm& form, double raw, int n) {
    const double cut = form.assumed_cut_fraction() * n;
    const double lo = form.scaled_score_min(), pass = form.passing_scaled_score(),
                 hi = form.scaled_score_max();
    if (raw <= cut)
        return lo + (pass - lo) * (cut > 0 ? raw / cut : 1.0);
    return pass + (hi - pass) * (raw - cut) / std::max(1e-9, n - cut);
}

ReadinessEstimate estimateReadiness(const Exam& exam, const ContentPack& pack,
                                    const KnowledgeModel& knowledge, int64_t day, const ReadinessOptions& o) {
    ReadinessEstimate out;
    const auto& bp = exam.blueprint();
    const auto& form = bp.form();
    const int n = static_cast<int>(form.scored_questions());
    out.scoredQuestions = n;
    out.cutCorrect = static_cast<int>(std::ceil(form.assumed_cut_fraction() * n - 1e-9));

    // Evidence first: say what is missing rather than guess.
    uint32_t total = 0;
    for (const auto& d : bp.domains()) {
        const auto m = knowledge.domain(d.id(), day);
        total += m.questions;
        if (static_cast<int>(m.questions) < o.minQuestionsPerDomain)
            out.missing.push_back("answer at least " +
                                  std::to_string(o.minQuestionsPerDomain - static_cast<int>(m.questions)) +
                                  " more exam-style questions in domain " + d.id() + " (" + d.name() + ")");
    }
    if (static_cast<int>(total) < o.minQuestions)
        out.missing.insert(out.missing.begin(),
                           "answer at least " + std::to_string(o.minQuestions - static_cast<int>(total)) +
                               " more exam-style questions in all (" + std::to_string(total) + " so far)");
    out.enoughEvidence = out.missing.empty();

    // The form: questions per domain, then per task statement in proportion to its questions in the pack.
    const auto perDomain = questionsPerDomain(bp);
    std::vector<Slot> slots;
    for (int d = 0; d < bp.domains_size(); ++d) {
        std::vector<const TaskStatementRef*> statements;
        std::vector<double> weights;
        for (const auto& ts : exam.taskStatements()) {
            if (ts.domain != &bp.domains(d))
                continue;
            statements.push_back(&ts);
            double questions = 0;
            for (const auto* list : {&exam.itemsOf(ts.index), &exam.reserveOf(ts.index)})
                for (size_t idx : *list)
                    if (pack.itemAt(idx).item->kind() != v1::FLASHCARD)
                        questions += 1;
            weights.push_back(std::max(1.0, questions));
        }
        const auto counts = apportion(weights, perDomain[static_cast<size_t>(d)]);
        for (size_t i = 0; i < statements.size(); ++i) {
            Slot slot{statements[i]->index, d, 0, 0.25,
                      o.coverage ? knowledge.coverage(statements[i]->index) : 1.0};
            double b = 0, c = 0;
            int k = 0;
            // The exam's questions are like the whole bank, the mock reserve included.
            for (const auto* list :
                 {&exam.itemsOf(statements[i]->index), &exam.reserveOf(statements[i]->index)})
                for (size_t idx : *list) {
                    const auto& item = *pack.itemAt(idx).item;
                    if (item.kind() == v1::FLASHCARD)
                        continue;
                    b += KnowledgeModel::itemDifficultyLogit(item);
                    c += KnowledgeModel::guessingFloor(item);
                    ++k;
                }
            if (k > 0) {
                slot.difficulty = b / k;
                slot.floor = c / k;
            }
            for (int q = 0; q < counts[i]; ++q)
                slots.push_back(slot);
        }
    }

    std::vector<Ability> abilities, unstudied;
    for (int d = 0; d < bp.domains_size(); ++d)
        unstudied.push_back(knowledge.unstudied(d, day));
    std::vector<double> shared;
    for (const auto& ts : exam.taskStatements()) {
        abilities.push_back(knowledge.posterior(ts.index, day));
        shared.push_back(knowledge.sharedDomainSd(ts.index, day));
    }
    auto sim = simulate(slots, abilities, shared, unstudied, bp.domains_size(), o, o.draws, out.cutCorrect);
    out.rawDistribution = sim.raw;
    out.passProbability = passProbability(sim.raw, out.cutCorrect);
    // How sure the model is of that probability: the 10th and 90th percentiles over the draws of the
    // abilities (their posterior uncertainty and the domain-shared term), the exam's own luck averaged out.
    if (!sim.drawPass.empty()) {
        std::sort(sim.drawPass.begin(), sim.drawPass.end());
        const auto at = [&](double q) {
            return sim.drawPass[std::min(sim.drawPass.size() - 1,
                                         static_cast<size_t>(q * static_cast<double>(sim.drawPass.size())))];
        };
        out.passLow = std::min(out.passProbability, at(0.10));
        out.passHigh = std::max(out.passProbability, at(0.90));
    }
    double cdf = 0;
    bool low = false, high = false;
    for (size_t k = 0; k < sim.raw.size(); ++k) {
        out.expectedCorrect += k * sim.raw[k];
        out.scaledScore += scaledScore(form, static_cast<double>(k), n) * sim.raw[k];
        cdf += sim.raw[k];
        if (!low && cdf >= 0.10) {
            out.scaledLow = scaledScore(form, static_cast<double>(k), n);
            low = true;
        }
        if (!high && cdf >= 0.90) {
            out.scaledHigh = scaledScore(form, static_cast<double>(k), n);
            high = true;
        }
    }
    for (int d = 0; d < bp.domains_size(); ++d) {
        DomainOutlook dom{bp.domains(d).id(), perDomain[static_cast<size_t>(d)], 0, false};
        if (dom.questions > 0)
            dom.expectedFraction = sim.domainCorrect[static_cast<size_t>(d)] / dom.questions;
        dom.meets = dom.expectedFraction >= form.assumed_cut_fraction();
        out.domains.push_back(dom);
    }
    if (o.recommendations) {
        // What mastering each statement would be worth: its ability raised to where an average 1-of-4
        // question is answered right with probability `masteryTarget` (and known with confidence),
        // recomputed with the same random draws so that differences are not noise.
        const double c = 0.25;
        const double shrink =
            1.0 / std::sqrt(1.0 + kPi * o.itemDifficultySpread * o.itemDifficultySpread / 8.0);
        const double q = (o.masteryTarget - c) / (1 - c);
        const double mastered = std::log(q / (1 - q)) / shrink;
        const int draws = std::max(32, o.draws / 4);
        const double base = passProbability(
            simulate(slots, abilities, shared, unstudied, bp.domains_size(), o, draws).raw, out.cutCorrect);
        for (size_t i = 0; i < abilities.size(); ++i) {
            auto raised = abilities;
            raised[i].mean = std::max(raised[i].mean, mastered);
            raised[i].var = std::min(raised[i].var, 0.1);
            const double p = passProbability(
                simulate(slots, raised, shared, unstudied, bp.domains_size(), o, draws).raw, out.cutCorrect);
            out.recommendations.push_back({static_cast<int>(i), p - base});
        }
        std::stable_sort(
            out.recommendations.begin(), out.recommendations.end(),
            [](const auto& a, const auto& b) { return a.passProbabilityGain > b.passProbabilityGain; });
    }
    return out;
}

}  // namespace retain::core
