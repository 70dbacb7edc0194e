#include "sim/ground_truth.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace retain::sim {
namespace {

double logistic(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

double clampTo(double x, double lo, double hi) {
    return std::min(hi, std::max(lo, x));
}

// Standard normal quantile by bisection on erfc (used once, for the quadrature nodes).
double normalQuantile(double p) {
    double lo = -10, hi = 10;
    for (int i = 0; i < 200; ++i) {
        const double mid = (lo + hi) / 2;
        const double cdf = 0.5 * std::erfc(-mid / std::sqrt(2.0));
        (cdf < p ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
}

constexpr double kUnseenDifficultySd = 0.8;  // the real exam's questions, around an average question
constexpr double kTraceFloorDays = 5.0 / 1440;

// Per-learner variation shared by both models.
struct Traits {
    double prior = 0;                  // prior skill (logit) on an average task statement
    std::vector<double> domainOffset;  // per domain
    std::vector<double> statementOffset;
    double gain = 3;  // logits gained when the material is fully known
    double speed = 1;
    std::vector<double> itemNoise;  // per item: this learner's extra difficulty
};

Traits drawTraits(const Population& pop, std::mt19937_64& rng) {
    std::normal_distribution<double> n01;
    Traits t;
    t.prior = -0.9 + 0.5 * n01(rng);
    for (int d = 0; d < pop.exam->blueprint().domains_size(); ++d)
        t.domainOffset.push_back(0.4 * n01(rng));
    for (size_t s = 0; s < pop.exam->taskStatements().size(); ++s)
        t.statementOffset.push_back(0.35 * n01(rng));
    t.gain = clampTo(3.2 + 0.5 * n01(rng), 1.5, 5.0);
    t.speed = std::exp(0.2 * n01(rng));
    for (size_t i = 0; i < pop.pack->itemCount(); ++i)
        t.itemNoise.push_back(0.3 * n01(rng));
    return t;
}

bool isQuestion(const core::ContentPack& pack, size_t index) {
    return pack.itemAt(index).item->kind() != core::v1::FLASHCARD;
}

double guessingFloorOf(const core::v1::Item& item) {
    if (item.kind() == core::v1::MULTIPLE_CHOICE)
        return 1.0 / std::max(2, item.options_size());
    if (item.kind() == core::v1::MULTIPLE_RESPONSE) {
        const int n = item.options_size(), k = std::max(1, core::correctCount(item));
        double c = 1;
        for (int i = 1; i <= k; ++i)
            c = c * (n - k + i) / i;
        return 1.0 / c;
    }
    return 0;
}

// ---- ACT-R ------------------------------------------------------------------------------------------

class ActRLearner final : public Learner {
public:
    ActRLearner(const Population* pop, std::mt19937_64& rng) : Learner(pop), m_t(drawTraits(*pop, rng)) {
        std::normal_distribution<double> n01;
        m_alpha = clampTo(0.25 + 0.05 * n01(rng), 0.12, 0.4);
        m_threshold = -0.5 + 0.25 * n01(rng);
        m_speed = m_t.speed;
        m_traces.resize(pop->pack->itemCount());
    }

    Outcome study(size_t index, double day, std::mt19937_64& rng) override {
        const double p = probabilityCorrect(index, day);
        const bool correct = std::uniform_real_distribution<double>()(rng) < p;
        // Feedback always leaves a trace; its decay grows with the activation at the time of study.
        const double m = activation(index, day);
        const double decay = kSpacingC * std::exp(std::isfinite(m) ? m : -50.0) + m_alpha;
        m_traces[index].push_back({day, decay});
        return {correct, responseMinutes(isQuestion(*m_pop->pack, index), correct, rng)};
    }

    double skill(int statement, double day) const override {
        const auto& exam = *m_pop->exam;
        const int domain = m_pop->shape.statementDomain[static_cast<size_t>(statement)];
        double domainKnown = 0;
        int count = 0;
        for (size_t s = 0; s < exam.taskStatements().size(); ++s)
            if (m_pop->shape.statementDomain[s] == domain) {
                domainKnown += known(static_cast<int>(s), day);
                ++count;
            }
        domainKnown /= std::max(1, count);
        return m_t.prior + m_t.domainOffset[static_cast<size_t>(domain)] +
               m_t.statementOffset[static_cast<size_t>(statement)] +
               m_t.gain * (0.8 * known(statement, day) + 0.2 * domainKnown);
    }

    double probabilityCorrect(size_t index, double day) const override {
        const auto& ref = m_pop->pack->itemAt(index);
        const double b = m_pop->itemDifficulty[index] + m_t.itemNoise[index];
        const double r = recall(index, day);
        const double theta = skill(ref.statement->index, day);
        if (ref.item->kind() == core::v1::FLASHCARD)
            return r + (1 - r) * 0.3 * logistic(theta - b);
        const double c = guessingFloorOf(*ref.item);
        return c + (1 - c) * logistic(theta - b + 2.5 * r);
    }

private:
    struct Trace {
        double day;
        double decay;
    };
    static constexpr double kSpacingC = 0.2;
    static constexpr double kNoise = 0.3;

    double activation(size_t index, double day) const {
        double sum = 0;
        for (const auto& t : m_traces[index])
            if (t.day <= day)
                sum += std::pow(std::max(day - t.day, kTraceFloorDays), -t.decay);
        return sum > 0 ? std::log(sum) : -INFINITY;
    }
    double recall(size_t index, double day) const {
        const double m = activation(index, day);
        if (!std::isfinite(m))
            return 0;
        const double tau = m_threshold + 0.3 * m_pop->itemDifficulty[index];
        return logistic((m - tau) / kNoise);
    }
    // Retained share of a statement's material, questions weighted fully, flashcards 0.6.
    double known(int statement, double day) const {
        double sum = 0, weight = 0;
        for (size_t i : m_pop->exam->itemsOf(statement)) {
            const double w = isQuestion(*m_pop->pack, i) ? 1.0 : 0.6;
            weight += w;
            sum += w * recall(i, day);
        }
        return weight > 0 ? sum / weight : 0;
    }

    Traits m_t;
    double m_alpha = 0.25;
    double m_threshold = -0.5;
    std::vector<std::vector<Trace>> m_traces;
};

// ---- Exponential memory with interference, practice-volume skill -----------------------------------

class InterferenceLearner final : public Learner {
public:
    InterferenceLearner(const Population* pop, std::mt19937_64& rng)
        : Learner(pop), m_t(drawTraits(*pop, rng)) {
        std::normal_distribution<double> n01;
        m_initialStrength = std::exp(std::log(1.5) + 0.3 * n01(rng));
        m_growth = clampTo(2.5 + 0.4 * n01(rng), 1.2, 4.0);
        m_skillTau = std::exp(std::log(90.0) + 0.3 * n01(rng));
        m_speed = m_t.speed;
        m_items.resize(pop->pack->itemCount());
        const size_t statements = pop->exam->taskStatements().size();
        m_practice.assign(statements, 0.0);
        m_practiceDay.assign(statements, 0.0);
        m_studiedToday.assign(statements, 0);
    }

    Outcome study(size_t index, double day, std::mt19937_64& rng) override {
        const auto& ref = m_pop->pack->itemAt(index);
        const int s = ref.statement->index;
        const double p = probabilityCorrect(index, day);
        const bool correct = std::uniform_real_distribution<double>()(rng) < p;
        const int today = static_cast<int>(std::floor(day));
        if (today != m_today) {
            std::fill(m_studiedToday.begin(), m_studiedToday.end(), 0);
            m_today = today;
        }
        const double interference = 1.0 + 0.03 * m_studiedToday[static_cast<size_t>(s)]++;
        auto& it = m_items[index];
        const double b = m_pop->itemDifficulty[index] + m_t.itemNoise[index];
        if (!it.seen) {
            it.strength = m_initialStrength * std::exp(-0.3 * b) / interference;
            it.seen = true;
        } else if (correct) {
            const double r = retention(it, day);
            it.strength *= 1 + m_growth * std::max(0.0, 1.2 - r) * std::exp(-0.25 * b) / interference;
        } else {
            it.strength = std::max(0.5 * m_initialStrength, 0.35 * it.strength);
        }
        it.last = day;
        // Practice volume: questions (with feedback on a mistake) teach more than flashcards.
        auto& v = m_practice[static_cast<size_t>(s)];
        v = practiceAt(s, day) + (isQuestion(*m_pop->pack, index) ? (correct ? 1.0 : 1.2) : 0.4);
        m_practiceDay[static_cast<size_t>(s)] = day;
        return {correct, responseMinutes(isQuestion(*m_pop->pack, index), correct, rng)};
    }

    double skill(int statement, double day) const override {
        const int domain = m_pop->shape.statementDomain[static_cast<size_t>(statement)];
        double domainKnown = 0;
        int count = 0;
        for (size_t s = 0; s < m_pop->exam->taskStatements().size(); ++s)
            if (m_pop->shape.statementDomain[s] == domain) {
                domainKnown += saturation(static_cast<int>(s), day);
                ++count;
            }
        domainKnown /= std::max(1, count);
        return m_t.prior + m_t.domainOffset[static_cast<size_t>(domain)] +
               m_t.statementOffset[static_cast<size_t>(statement)] +
               m_t.gain *
                   (0.45 * saturation(statement, day) + 0.4 * known(statement, day) + 0.15 * domainKnown);
    }

    double probabilityCorrect(size_t index, double day) const override {
        const auto& ref = m_pop->pack->itemAt(index);
        const double b = m_pop->itemDifficulty[index] + m_t.itemNoise[index];
        const double r = retention(m_items[index], day);
        const double theta = skill(ref.statement->index, day);
        if (ref.item->kind() == core::v1::FLASHCARD)
            return r + (1 - r) * 0.3 * logistic(theta - b);
        const double c = guessingFloorOf(*ref.item);
        return c + (1 - c) * logistic(theta - b + 2.0 * r);
    }

private:
    struct ItemState {
        bool seen = false;
        double strength = 1;  // days
        double last = 0;
    };
    static double retention(const ItemState& s, double day) {
        return s.seen ? std::exp(-std::max(0.0, day - s.last) / s.strength) : 0.0;
    }
    double practiceAt(int s, double day) const {
        const auto i = static_cast<size_t>(s);
        return m_practice[i] * std::exp(-std::max(0.0, day - m_practiceDay[i]) / m_skillTau);
    }
    double saturation(int s, double day) const {
        const double kappa = 0.5 * static_cast<double>(m_pop->exam->itemsOf(s).size()) + 1;
        return 1 - std::exp(-practiceAt(s, day) / kappa);
    }
    double known(int statement, double day) const {
        double sum = 0, weight = 0;
        for (size_t i : m_pop->exam->itemsOf(statement)) {
            const double w = isQuestion(*m_pop->pack, i) ? 1.0 : 0.6;
            weight += w;
            sum += w * retention(m_items[i], day);
        }
        return weight > 0 ? sum / weight : 0;
    }

    Traits m_t;
    double m_initialStrength = 1.5;
    double m_growth = 2.5;
    double m_skillTau = 90;
    std::vector<ItemState> m_items;
    std::vector<double> m_practice, m_practiceDay;
    std::vector<int> m_studiedToday;
    int m_today = -1;
};

// ---- Half-life regression memory, performance-factors skill, a transfer gap to the exam -----------

class HlrLearner final : public Learner {
public:
    HlrLearner(const Population* pop, std::mt19937_64& rng) : Learner(pop), m_t(drawTraits(*pop, rng)) {
        std::normal_distribution<double> n01;
        // θ·x in log2 days: about 1.5 days after one right answer, a week after three, months after ten.
        m_wBias = -3.3 + 0.4 * n01(rng);
        m_wRight = clampTo(3.5 + 0.4 * n01(rng), 2.0, 5.0);
        m_wWrong = clampTo(-1.0 + 0.3 * n01(rng), -2.0, 0.0);
        m_wDifficulty = clampTo(0.7 + 0.15 * n01(rng), 0.3, 1.1);
        m_gamma = clampTo(1.6 + 0.3 * n01(rng), 0.8, 2.5);
        m_rho = clampTo(0.2 + 0.15 * n01(rng), -0.2, 0.6);
        m_transfer = clampTo(0.6 + 0.12 * n01(rng), 0.3, 0.9);
        m_speed = m_t.speed;
        m_items.resize(pop->pack->itemCount());
        const size_t statements = pop->exam->taskStatements().size();
        m_successes.assign(statements, 0.0);
        m_failures.assign(statements, 0.0);
    }

    Outcome study(size_t index, double day, std::mt19937_64& rng) override {
        const double p = probabilityCorrect(index, day);
        const bool correct = std::uniform_real_distribution<double>()(rng) < p;
        const bool question = isQuestion(*m_pop->pack, index);
        auto& it = m_items[index];
        ++(correct ? it.right : it.wrong);
        it.last = day;
        const auto s = static_cast<size_t>(m_pop->pack->itemAt(index).statement->index);
        (correct ? m_successes[s] : m_failures[s]) += question ? 1.0 : 0.5;
        return {correct, responseMinutes(question, correct, rng)};
    }

    // The real exam's questions: the prior plus the transferred share of the studied gain (PFA has no
    // forgetting; item memory does not reach unseen questions).
    double skill(int statement, double /*day*/) const override {
        return base(statement) + m_transfer * studied(statement);
    }

    double probabilityCorrect(size_t index, double day) const override {
        const auto& ref = m_pop->pack->itemAt(index);
        const double b = m_pop->itemDifficulty[index] + m_t.itemNoise[index];
        const double p = recall(index, day);
        const double theta = base(ref.statement->index) + studied(ref.statement->index);
        if (ref.item->kind() == core::v1::FLASHCARD)
            return p + (1 - p) * logistic(theta - b - 2.0);  // a fact is rarely reconstructed from skill
        const double c = guessingFloorOf(*ref.item);
        return p + (1 - p) * (c + (1 - c) * logistic(theta - b));
    }

private:
    struct ItemState {
        int right = 0, wrong = 0;
        double last = -1;  // < 0: never seen
    };
    static constexpr double kMinHalfLife = 15.0 / 1440, kMaxHalfLife = 274;

    double halfLife(size_t index) const {
        const auto& it = m_items[index];
        const double b = m_pop->itemDifficulty[index] + m_t.itemNoise[index];
        const double x = m_wBias + m_wRight * std::sqrt(1.0 + it.right) +
                         m_wWrong * std::sqrt(1.0 + it.wrong) - m_wDifficulty * b;
        return clampTo(std::exp2(x), kMinHalfLife, kMaxHalfLife);
    }
    double recall(size_t index, double day) const {
        const auto& it = m_items[index];
        if (it.last < 0)
            return 0;
        return std::exp2(-std::max(0.0, day - it.last) / halfLife(index));
    }
    double base(int statement) const {
        const auto s = static_cast<size_t>(statement);
        return m_t.prior + m_t.domainOffset[static_cast<size_t>(m_pop->shape.statementDomain[s])] +
               m_t.statementOffset[s];
    }
    // PFA's γ·successes + ρ·failures, per item of the statement (PFA's parameters are per skill).
    double studied(int statement) const {
        const auto s = static_cast<size_t>(statement);
        const double n = std::max<double>(1.0, static_cast<double>(m_pop->exam->itemsOf(statement).size()));
        return (m_gamma * m_successes[s] + m_rho * m_failures[s]) / n;
    }

    Traits m_t;
    double m_wBias = -3.3, m_wRight = 3.5, m_wWrong = -1, m_wDifficulty = 0.7;
    double m_gamma = 1.6, m_rho = 0.2, m_transfer = 0.6;
    std::vector<ItemState> m_items;
    std::vector<double> m_successes, m_failures;
};

// ---- DASH memory, skill from a saturating count of mastered items ------------------------------------

class DashLearner final : public Learner {
public:
    DashLearner(const Population* pop, std::mt19937_64& rng) : Learner(pop), m_t(drawTraits(*pop, rng)) {
        std::normal_distribution<double> n01;
        m_ability = -1.5 + 0.5 * n01(rng);
        m_scale = clampTo(1.0 + 0.15 * n01(rng), 0.6, 1.4);
        m_speed = m_t.speed;
        m_events.resize(pop->pack->itemCount());
    }

    Outcome study(size_t index, double day, std::mt19937_64& rng) override {
        const double p = probabilityCorrect(index, day);
        const bool correct = std::uniform_real_distribution<double>()(rng) < p;
        m_events[index].push_back({day, correct});
        return {correct, responseMinutes(isQuestion(*m_pop->pack, index), correct, rng)};
    }

    double skill(int statement, double day) const override {
        const auto s = static_cast<size_t>(statement);
        const int domain = m_pop->shape.statementDomain[s];
        double mastered = 0, items = 0, domainMastered = 0, domainItems = 0;
        for (size_t t = 0; t < m_pop->exam->taskStatements().size(); ++t) {
            if (m_pop->shape.statementDomain[t] != domain)
                continue;
            for (size_t i : m_pop->exam->itemsOf(static_cast<int>(t))) {
                const double m = isMastered(i, day) ? 1.0 : 0.0;
                domainMastered += m;
                domainItems += 1;
                if (t == s) {
                    mastered += m;
                    items += 1;
                }
            }
        }
        auto saturation = [](double m, double n) { return m / (m + kHalfMastery * std::max(1.0, n)); };
        return m_t.prior + m_t.domainOffset[static_cast<size_t>(domain)] + m_t.statementOffset[s] +
               m_t.gain *
                   (0.75 * saturation(mastered, items) + 0.25 * saturation(domainMastered, domainItems));
    }

    double probabilityCorrect(size_t index, double day) const override {
        const auto& ref = m_pop->pack->itemAt(index);
        const double d = m_pop->itemDifficulty[index] + m_t.itemNoise[index];
        const double w = history(index, day);
        if (ref.item->kind() == core::v1::FLASHCARD)
            return logistic(m_ability - d + w);
        const double c = guessingFloorOf(*ref.item);
        return c + (1 - c) * logistic(skill(ref.statement->index, day) - d + w);
    }

private:
    struct Event {
        double day;
        bool correct;
    };
    // Expanding windows (days) and their weights on log(1 + correct) and log(1 + attempts): recent
    // attempts help (feedback), lasting memory comes from correct answers.
    static constexpr double kWindows[5] = {1.0 / 24, 1, 7, 30, 1e9};
    static constexpr double kThetaCorrect[5] = {0.4, 0.6, 0.7, 0.8, 1.0};
    static constexpr double kThetaAttempts[5] = {-1.0, -0.6, -0.3, 0.0, 0.1};
    static constexpr double kHalfMastery = 0.5;  // share of the items mastered for half the gain

    double history(size_t index, double day) const {
        double sum = 0;
        for (size_t w = 0; w < 5; ++w) {
            int correct = 0, attempts = 0;
            for (const auto& e : m_events[index])
                if (e.day <= day && day - e.day <= kWindows[w]) {
                    ++attempts;
                    correct += e.correct ? 1 : 0;
                }
            sum += kThetaCorrect[w] * std::log1p(correct) - kThetaAttempts[w] * std::log1p(attempts);
        }
        return m_scale * sum;
    }
    bool isMastered(size_t index, double day) const {
        bool anyCorrect = false;
        for (const auto& e : m_events[index])
            anyCorrect = anyCorrect || (e.correct && e.day <= day);
        if (!anyCorrect)
            return false;
        const double d = m_pop->itemDifficulty[index] + m_t.itemNoise[index];
        return m_ability - d + history(index, day) >= 0;
    }

    Traits m_t;
    double m_ability = -1.5;
    double m_scale = 1;
    std::vector<std::vector<Event>> m_events;
};

}  // namespace

const char* truthName(TruthKind kind) {
    switch (kind) {
        case TruthKind::ActR:
            return "actr";
        case TruthKind::Interference:
            return "interference";
        case TruthKind::Hlr:
            return "hlr";
        case TruthKind::Dash:
            return "dash";
        case TruthKind::DashWrongPrior:
            return "dash-wrongprior";
    }
    return "?";
}

bool parseTruth(const std::string& name, TruthKind* out) {
    for (TruthKind k : allTruths())
        if (name == truthName(k)) {
            *out = k;
            return true;
        }
    return false;
}

const std::vector<TruthKind>& allTruths() {
    static const std::vector<TruthKind> all{TruthKind::ActR, TruthKind::Interference, TruthKind::Hlr,
                                            TruthKind::Dash, TruthKind::DashWrongPrior};
    return all;
}

const std::vector<TruthKind>& defaultTruths() {
    static const std::vector<TruthKind> defaults{TruthKind::ActR, TruthKind::Interference};
    return defaults;
}

bool truthHeldOut(TruthKind kind) {
    return kind != TruthKind::ActR && kind != TruthKind::Interference;
}

const std::vector<double>& unseenDifficulties() {
    static const std::vector<double> nodes = [] {
        std::vector<double> v;
        constexpr int k = 16;
        for (int i = 0; i < k; ++i)
            v.push_back(kUnseenDifficultySd * normalQuantile((i + 0.5) / k));
        return v;
    }();
    return nodes;
}

ExamShape ExamShape::fromExam(const core::Exam& exam, const core::ContentPack& pack) {
    ExamShape shape;
    const auto& bp = exam.blueprint();
    const int scored = static_cast<int>(bp.form().scored_questions());
    std::vector<double> weights;
    for (const auto& d : bp.domains())
        weights.push_back(d.weight_percent());
    // Largest remainder of the weights (20/24/36/20 % of 50: 10/12/18/10).
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    std::vector<std::pair<double, size_t>> rem;
    int used = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
        const double exact = weights[i] / total * scored;
        shape.domainQuestions.push_back(static_cast<int>(std::floor(exact)));
        used += shape.domainQuestions.back();
        rem.push_back({exact - std::floor(exact), i});
    }
    std::stable_sort(rem.begin(), rem.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (size_t k = 0; used < scored && !rem.empty(); ++k, ++used)
        ++shape.domainQuestions[rem[k % rem.size()].second];
    std::vector<double> domainItems(weights.size(), 0.0);
    for (const auto& ts : exam.taskStatements()) {
        int d = 0;
        for (int i = 0; i < bp.domains_size(); ++i)
            if (&bp.domains(i) == ts.domain)
                d = i;
        shape.statementDomain.push_back(d);
        domainItems[static_cast<size_t>(d)] += static_cast<double>(exam.itemsOf(ts.index).size());
    }
    for (const auto& ts : exam.taskStatements()) {
        const double n = static_cast<double>(exam.itemsOf(ts.index).size());
        const double dn =
            domainItems[static_cast<size_t>(shape.statementDomain[static_cast<size_t>(ts.index)])];
        shape.statementShare.push_back(dn > 0 ? n / dn : 0);
    }
    for (size_t i : exam.items())
        if (pack.itemAt(i).item->kind() != core::v1::FLASHCARD)
            shape.guessingFloors.push_back(guessingFloorOf(*pack.itemAt(i).item));
    if (shape.guessingFloors.empty())
        shape.guessingFloors.push_back(0.25);
    shape.scoredQuestions = scored;
    shape.cutCorrect = static_cast<int>(std::ceil(bp.form().assumed_cut_fraction() * scored - 1e-9));
    return shape;
}

Population Population::make(const core::ContentPack& pack, const core::Exam& exam, uint64_t seed) {
    Population pop;
    pop.pack = &pack;
    pop.exam = &exam;
    pop.shape = ExamShape::fromExam(exam, pack);
    std::mt19937_64 rng(seed ^ 0x5eedf00dULL);
    std::normal_distribution<double> n01;
    pop.itemDifficulty.assign(pack.itemCount(), 0.0);
    for (size_t i = 0; i < pack.itemCount(); ++i) {
        const uint32_t d = pack.itemAt(i).item->difficulty();
        pop.itemDifficulty[i] = 0.5 * ((d == 0 ? 3.0 : d) - 3.0) + 0.6 * n01(rng);
    }
    return pop;
}

Population Population::makeWrongPriors(const core::ContentPack& pack, const core::Exam& exam, uint64_t seed) {
    Population pop;
    pop.pack = &pack;
    pop.exam = &exam;
    pop.shape = ExamShape::fromExam(exam, pack);
    std::vector<double> field(pack.itemCount());
    double mean = 0, var = 0;
    for (size_t i = 0; i < pack.itemCount(); ++i) {
        const uint32_t d = pack.itemAt(i).item->difficulty();
        field[i] = d == 0 ? 3.0 : d;
        mean += field[i];
    }
    const double n = std::max<double>(1.0, static_cast<double>(field.size()));
    mean /= n;
    for (double f : field)
        var += (f - mean) * (f - mean);
    const double sd = std::sqrt(var / n);
    std::mt19937_64 rng(seed ^ 0x0b5e55edULL);
    std::normal_distribution<double> n01;
    const double r = kWrongPriorCorrelation;
    pop.itemDifficulty.assign(pack.itemCount(), 0.0);
    for (size_t i = 0; i < pack.itemCount(); ++i) {
        const double z = sd > 0 ? (field[i] - mean) / sd : 0.0;
        pop.itemDifficulty[i] = kWrongPriorShift + kWrongPriorSd * (r * z + std::sqrt(1 - r * r) * n01(rng));
    }
    return pop;
}

Population Population::forModel(TruthKind kind, const core::ContentPack& pack, const core::Exam& exam,
                                uint64_t seed) {
    return kind == TruthKind::DashWrongPrior ? makeWrongPriors(pack, exam, seed) : make(pack, exam, seed);
}

double Learner::statementProbability(int statement, double day) const {
    const auto& floors = m_pop->shape.guessingFloors;
    const double c = std::accumulate(floors.begin(), floors.end(), 0.0) / static_cast<double>(floors.size());
    const double theta = skill(statement, day);
    double s = 0;
    for (double z : unseenDifficulties())
        s += logistic(theta - z);
    s /= static_cast<double>(unseenDifficulties().size());
    return c + (1 - c) * s;
}

Learner::ExamTruth Learner::exam(double day) const {
    const auto& shape = m_pop->shape;
    const size_t domains = shape.domainQuestions.size();
    std::vector<double> pd(domains, 0.0);
    for (size_t s = 0; s < shape.statementDomain.size(); ++s)
        pd[static_cast<size_t>(shape.statementDomain[s])] +=
            shape.statementShare[s] * statementProbability(static_cast<int>(s), day);
    // Raw score: sum of per-domain binomials, by convolution.
    std::vector<double> dist{1.0};
    double expected = 0;
    for (size_t d = 0; d < domains; ++d) {
        const int n = shape.domainQuestions[d];
        expected += n * pd[d];
        for (int q = 0; q < n; ++q) {
            std::vector<double> next(dist.size() + 1, 0.0);
            for (size_t k = 0; k < dist.size(); ++k) {
                next[k] += dist[k] * (1 - pd[d]);
                next[k + 1] += dist[k] * pd[d];
            }
            dist.swap(next);
        }
    }
    ExamTruth out;
    for (size_t k = static_cast<size_t>(std::max(0, shape.cutCorrect)); k < dist.size(); ++k)
        out.passProbability += dist[k];
    out.passProbability = clampTo(out.passProbability, 0.0, 1.0);
    out.expectedScore = shape.scoredQuestions > 0 ? expected / shape.scoredQuestions : 0;
    return out;
}

bool Learner::sitExam(double day, std::mt19937_64& rng) const {
    const auto& shape = m_pop->shape;
    std::uniform_real_distribution<double> u;
    std::normal_distribution<double> n01;
    std::vector<double> theta;
    for (size_t s = 0; s < shape.statementDomain.size(); ++s)
        theta.push_back(skill(static_cast<int>(s), day));
    int correct = 0;
    for (size_t d = 0; d < shape.domainQuestions.size(); ++d)
        for (int q = 0; q < shape.domainQuestions[d]; ++q) {
            // A task statement of the domain, by share.
            double x = u(rng), acc = 0;
            size_t pick = 0;
            for (size_t s = 0; s < shape.statementDomain.size(); ++s)
                if (static_cast<size_t>(shape.statementDomain[s]) == d) {
                    pick = s;
                    acc += shape.statementShare[s];
                    if (x < acc)
                        break;
                }
            const double b = kUnseenDifficultySd * n01(rng);
            const double c =
                shape.guessingFloors[static_cast<size_t>(u(rng) *
                                                         static_cast<double>(shape.guessingFloors.size())) %
                                     shape.guessingFloors.size()];
            if (u(rng) < c + (1 - c) * logistic(theta[pick] - b))
                ++correct;
        }
    return correct >= shape.cutCorrect;
}

double Learner::responseMinutes(bool question, bool correct, std::mt19937_64& rng) const {
    std::normal_distribution<double> n01;
    const double median = question ? 1.2 : 0.25;
    const double slower = correct ? 1.0 : 1.3;
    return std::min(10.0, median * slower * m_speed * std::exp(0.35 * n01(rng)));
}

std::unique_ptr<Learner> makeLearner(TruthKind kind, const Population& population, uint64_t seed) {
    std::mt19937_64 rng(seed);
    switch (kind) {
        case TruthKind::ActR:
            return std::make_unique<ActRLearner>(&population, rng);
        case TruthKind::Interference:
            return std::make_unique<InterferenceLearner>(&population, rng);
        case TruthKind::Hlr:
            return std::make_unique<HlrLearner>(&population, rng);
        case TruthKind::Dash:
        case TruthKind::DashWrongPrior:  // the same learners; the population differs (Population::forModel)
            return std::make_unique<DashLearner>(&population, rng);
    }
    return nullptr;
}

}  // namespace retain::sim
