#include "sim/policies.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/clock.h"
#include "core/knowledge_model.h"
#include "core/learner_model.h"
#include "core/readiness.h"
#include "core/session_planner.h"
#include "core/study_day.h"
#include "sim/policy_support.h"

namespace retain::sim {

const char* policyName(PolicyKind kind) {
    switch (kind) {
        case PolicyKind::Adaptive:
            return "adaptive";
        case PolicyKind::Fsrs:
            return "fsrs";
        case PolicyKind::Random:
            return "random";
        case PolicyKind::Sm2:
            return "sm2";
    }
    return "?";
}

bool parsePolicy(const std::string& name, PolicyKind* out) {
    for (auto k : allPolicies())
        if (name == policyName(k)) {
            *out = k;
            return true;
        }
    return false;
}

const std::vector<PolicyKind>& allPolicies() {
    static const std::vector<PolicyKind> all{PolicyKind::Adaptive, PolicyKind::Fsrs, PolicyKind::Random,
                                             PolicyKind::Sm2};
    return all;
}

int64_t simulationStartDay() {
    static const int64_t day = *core::StudyDayClock::parseIsoDate("2026-01-05");
    return day;
}

int64_t simulationStartMs() {
    return simulationStartDay() * 86'400'000LL + 8 * 3'600'000LL;
}

// ---- Shared by the baselines ------------------------------------------------------------------------

BaselinePolicy::BaselinePolicy(const core::ContentPack& pack)
    : m_pack(pack), m_exam(pack.defaultExam()), m_model("simulated", &pack), m_knowledge(m_exam) {}

std::optional<Prediction> BaselinePolicy::predictedPass(int day) {
    core::ReadinessOptions o;
    o.recommendations = false;
    const auto r = core::estimateReadiness(*m_exam, m_pack, m_knowledge, simulationStartDay() + day, o);
    if (!r.enoughEvidence)
        return std::nullopt;
    return Prediction{r.passProbability, r.passLow, r.passHigh};
}

std::optional<double> BaselinePolicy::forecastPass(int day, int examDay) {
    // As the engine forecasts a later date: the plan kept (the learner's limit, their recent pace).
    const int64_t today = simulationStartDay() + day, exam = simulationStartDay() + examDay;
    const auto plan = core::plannedStudy(m_model, core::AnswerDays::of(m_model), today, exam);
    core::ReadinessOptions o;
    o.recommendations = false;
    const auto r =
        core::estimateReadiness(*m_exam, m_pack, m_knowledge.withPlannedStudy(plan, today, exam), exam, o);
    if (!r.enoughEvidence)
        return std::nullopt;
    return r.passProbability;
}

Outcome BaselinePolicy::present(size_t index, int day, double minutesUsed, Learner& learner,
                                std::mt19937_64& rng) {
    const Outcome o = learner.study(index, studyTime(day, minutesUsed), rng);
    record(index, o, day, minutesUsed + o.minutes);
    m_knowledge.observe(m_pack.itemAt(index), o.correct, simulationStartDay() + day);
    ++m_answers;
    return o;
}

// An AnswerRecorded event as the engine writes it (questions graded GOOD or AGAIN, flashcards self-graded
// GOOD or AGAIN), folded.
void BaselinePolicy::record(size_t index, const Outcome& o, int day, double minutesUsed) {
    const auto& item = *m_pack.itemAt(index).item;
    int64_t ms = simulationStartMs() + day * 86'400'000LL + static_cast<int64_t>(minutesUsed * 60'000);
    ms = std::max(ms, m_lastMs + 1);
    m_lastMs = ms;
    core::v1::Event e;
    e.set_id("0000000000000000-" + std::to_string(m_answers + 1));
    e.set_learner_id("simulated");
    e.set_hlc(core::HybridClock::make(ms, 0));
    e.set_wall_time_ms(ms);
    auto* a = e.mutable_answer();
    a->set_item_id(item.id());
    a->set_item_revision(item.revision());
    a->set_rating(o.correct ? core::v1::GOOD : core::v1::AGAIN);
    a->set_correct(o.correct);
    a->set_response_ms(static_cast<uint32_t>(std::clamp(o.minutes * 60'000, 1000.0, 3'600'000.0)));
    a->set_mode(core::v1::DAILY_REVIEW);
    a->set_session_id("day-" + std::to_string(day));
    m_model.apply(e);
}

double studyTime(int day, double minutesUsed) {
    return day + 8.0 / 24 + minutesUsed / 1440.0;
}

// ---- FSRS without weighting ---------------------------------------------------------------------

namespace {

class FsrsPolicy final : public BaselinePolicy {
public:
    FsrsPolicy(const core::ContentPack& pack, const PolicyOptions& o)
        : BaselinePolicy(pack), m_newPerDay(o.newItemsPerDay) {}
    PolicyKind kind() const override { return PolicyKind::Fsrs; }

    double studyDay(int day, double budget, Learner& learner, std::mt19937_64& rng) override {
        const int64_t today = simulationStartDay() + day;
        std::vector<std::pair<int64_t, size_t>> due;
        for (const auto& [id, track] : m_model.tracks())
            if (track.memory && !track.suspended && track.dueDay <= today)
                if (const auto* ref = m_pack.item(id))
                    due.push_back({track.dueDay, ref->index});
        std::sort(due.begin(), due.end());
        std::vector<size_t> queue;
        for (const auto& d : due)
            queue.push_back(d.second);
        int allowance = m_newPerDay;
        for (size_t i : m_exam->items()) {
            if (allowance <= 0)
                break;
            const auto* t = m_model.track(m_pack.itemAt(i).item->id());
            if (!t || !t->memory) {
                queue.push_back(i);
                --allowance;
            }
        }
        RelearnQueue relearn;
        double used = 0;
        size_t cursor = 0;
        while (used < budget) {
            auto next = relearn.take(m_presented, cursor >= queue.size());
            if (!next && cursor < queue.size())
                next = queue[cursor++];
            if (!next)
                break;
            const Outcome o = present(*next, day, used, learner, rng);
            used += o.minutes;
            ++m_presented;
            if (!o.correct)
                relearn.add(*next, m_presented);
        }
        return used;
    }

private:
    int m_newPerDay;
    uint32_t m_presented = 0;
};

// ---- Random order -------------------------------------------------------------------------------

class RandomPolicy final : public BaselinePolicy {
public:
    RandomPolicy(const core::ContentPack& pack, uint64_t seed) : BaselinePolicy(pack), m_order(seed) {}
    PolicyKind kind() const override { return PolicyKind::Random; }
    double studyDay(int day, double budget, Learner& learner, std::mt19937_64& rng) override {
        std::vector<size_t> items = m_exam->items();
        std::shuffle(items.begin(), items.end(), m_order);
        double used = 0;
        for (size_t i : items) {
            if (used >= budget)
                break;
            used += present(i, day, used, learner, rng).minutes;
        }
        return used;
    }

private:
    std::mt19937_64 m_order;
};

// ---- Anki's default SM-2 ------------------------------------------------------------------------

class Sm2Policy final : public BaselinePolicy {
public:
    Sm2Policy(const core::ContentPack& pack, const PolicyOptions& o)
        : BaselinePolicy(pack), m_cards(pack.itemCount()), m_newPerDay(o.newItemsPerDay) {}
    PolicyKind kind() const override { return PolicyKind::Sm2; }

    double studyDay(int day, double budget, Learner& learner, std::mt19937_64& rng) override {
        // Learning cards left over from yesterday come first, then due reviews by due day, then new.
        std::vector<std::pair<int, size_t>> due;
        std::vector<Pending> learning;
        for (size_t i : m_exam->items()) {
            const Card& c = m_cards[i];
            if (c.state == State::Review && c.dueDay <= day)
                due.push_back({c.dueDay, i});
            else if (c.state == State::Learning || c.state == State::Relearning)
                learning.push_back({i, 0});
        }
        std::sort(due.begin(), due.end());
        std::vector<size_t> queue;
        for (const auto& d : due)
            queue.push_back(d.second);
        int allowance = m_newPerDay;
        for (size_t i : m_exam->items())
            if (m_cards[i].state == State::New && allowance-- > 0)
                queue.push_back(i);
        double used = 0;
        size_t cursor = 0;
        while (used < budget) {
            // A learning card whose step has passed, else the queue, else the earliest learning card.
            std::optional<size_t> next;
            auto ready = std::min_element(learning.begin(), learning.end(),
                                          [](const Pending& a, const Pending& b) { return a.at < b.at; });
            if (ready != learning.end() && (ready->at <= used || cursor >= queue.size())) {
                next = ready->item;
                learning.erase(ready);
            } else if (cursor < queue.size()) {
                next = queue[cursor++];
            }
            if (!next)
                break;
            const Outcome o = present(*next, day, used, learner, rng);
            used += o.minutes;
            if (auto step = answer(*next, o.correct, day))
                learning.push_back({*next, used + *step});
        }
        return used;
    }

private:
    enum class State { New, Learning, Review, Relearning };
    struct Card {
        State state = State::New;
        int step = 0;
        double ease = 2.5;
        double interval = 0;
        int dueDay = 0;
        int lastDay = 0;
    };
    struct Pending {
        size_t item;
        double at;  // minutes into the day
    };
    static constexpr double kLearningSteps[] = {1, 10};
    static constexpr double kRelearningStep = 10;

    // Applies Anki's SM-2 to a Good (correct) or Again answer; returns the minutes until the card is
    // shown again today, when it stays in (re)learning.
    std::optional<double> answer(size_t index, bool correct, int day) {
        Card& c = m_cards[index];
        switch (c.state) {
            case State::New:
            case State::Learning:
                c.state = State::Learning;
                if (!correct) {
                    c.step = 0;
                    return kLearningSteps[0];
                }
                if (++c.step < 2)
                    return kLearningSteps[c.step];
                c.state = State::Review;
                c.interval = 1;
                break;
            case State::Review:
                if (!correct) {
                    c.ease = std::max(1.3, c.ease - 0.2);
                    c.interval = 1;
                    c.state = State::Relearning;
                    return kRelearningStep;
                } else {
                    const double late = std::max(0, day - c.dueDay);
                    c.interval = std::max(c.interval + 1, std::round((c.interval + late / 2) * c.ease));
                }
                break;
            case State::Relearning:
                if (!correct)
                    return kRelearningStep;
                c.state = State::Review;
                break;
        }
        c.interval = std::min(c.interval, 36500.0);
        c.lastDay = day;
        c.dueDay = day + static_cast<int>(c.interval);
        return std::nullopt;
    }

    std::vector<Card> m_cards;
    int m_newPerDay;
};

}  // namespace

std::optional<size_t> RelearnQueue::take(uint32_t presented, bool anyway) {
    auto it =
        std::find_if(m_items.begin(), m_items.end(), [&](const auto& r) { return r.second <= presented; });
    if (it == m_items.end() && anyway && !m_items.empty())
        it = m_items.begin();
    if (it == m_items.end())
        return std::nullopt;
    const size_t item = it->first;
    m_items.erase(it);
    return item;
}

void RelearnQueue::add(size_t item, uint32_t presented) {
    if (++m_count[item] <= kMaxPerDay)
        m_items.push_back({item, presented + kGap});
}

std::unique_ptr<Policy> makePolicy(PolicyKind kind, const core::ContentPack& pack,
                                   const PolicyOptions& options, uint64_t seed, std::string* error) {
    switch (kind) {
        case PolicyKind::Adaptive:
            return makeAdaptivePolicy(pack, options, error);
        case PolicyKind::Fsrs:
            return std::make_unique<FsrsPolicy>(pack, options);
        case PolicyKind::Random:
            return std::make_unique<RandomPolicy>(pack, seed);
        case PolicyKind::Sm2:
            return std::make_unique<Sm2Policy>(pack, options);
    }
    return nullptr;
}

}  // namespace retain::sim
