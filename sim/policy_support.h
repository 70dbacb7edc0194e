#pragma once
// Internals shared by the policies (not part of the simulator's interface).

#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/knowledge_model.h"
#include "core/learner_model.h"
#include "sim/policies.h"

namespace retain::sim {

// Fractional days since the first study day at `minutesUsed` into study day `day` (study starts 08:00).
double studyTime(int day, double minutesUsed);

// A baseline. Its answers are folded as the engine would fold them (core::LearnerModel: FSRS-6 memory
// per item, which the FSRS baseline also schedules with) and feed a knowledge model, so its predicted
// pass probability is core::estimateReadiness exactly as Retain would compute it for such a history.
class BaselinePolicy : public Policy {
public:
    explicit BaselinePolicy(const core::ContentPack& pack);
    std::optional<Prediction> predictedPass(int day) override;
    std::optional<double> forecastPass(int day, int examDay) override;
    uint64_t answers() const override { return m_answers; }

protected:
    // The learner studies an item; the answer is folded and the knowledge model sees it.
    Outcome present(size_t index, int day, double minutesUsed, Learner& learner, std::mt19937_64& rng);
    const core::ContentPack& m_pack;
    const core::Exam* m_exam;
    core::LearnerModel m_model;
    core::KnowledgeModel m_knowledge;
    uint64_t m_answers = 0;

private:
    void record(size_t index, const Outcome& o, int day, double minutesUsed);
    int64_t m_lastMs = 0;
};

// Items answered wrong are shown again after a few others, at most twice a day (as the engine does).
class RelearnQueue {
public:
    std::optional<size_t> take(uint32_t presented, bool anyway);
    void add(size_t item, uint32_t presented);

private:
    static constexpr uint32_t kGap = 4;
    static constexpr int kMaxPerDay = 2;
    std::vector<std::pair<size_t, uint32_t>> m_items;
    std::map<size_t, int> m_count;
};

std::unique_ptr<Policy> makeAdaptivePolicy(const core::ContentPack& pack, const PolicyOptions& options,
                                           std::string* error);

}  // namespace retain::sim
