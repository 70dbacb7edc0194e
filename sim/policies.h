#pragma once
// Study policies compared by the simulator. Each studies one simulated learner day by day within a
// minutes budget and can say what Retain's readiness would predict from the answers it produced.
//
//  - adaptive: Retain itself. An in-process engine (the daemon's Engine over a throw-away SQLite
//    database, with a simulated clock) plans daily-review sessions with the real session planner,
//    FSRS-6 memory and knowledge model, and gives real mock exams; its readiness is the product's.
//  - fsrs: the same FSRS-6 fold (core::LearnerModel) with no domain or weakness weighting: due items
//    by due day, then new items in pack order (20 a day), AGAIN items again later in the session.
//  - random: items drawn uniformly from the pack, each at most once a day.
//  - sm2: Anki's default SM-2 (learning steps 1 and 10 minutes, graduating interval 1 day, easy
//    interval 4, starting ease 2.5, 20 new cards a day, lapses relearn with ease - 0.2).
// For the baselines, the predicted pass probability is core::estimateReadiness over a knowledge model
// fed with the same answers, exactly as the engine would compute it for such a history.

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/content_pack.h"
#include "sim/ground_truth.h"

namespace retain::sim {

enum class PolicyKind { Adaptive, Fsrs, Random, Sm2 };
const char* policyName(PolicyKind kind);
bool parsePolicy(const std::string& name, PolicyKind* out);
const std::vector<PolicyKind>& allPolicies();

struct PolicyOptions {
    std::string contentDir;     // the adaptive policy loads its own copy of the pack (engine)
    std::string workDir;        // where the adaptive policy's throw-away database goes
    int examDay = 60;           // study day of the exam (the learners' exam date)
    double minutesPerDay = 40;  // the learner's daily minutes setting
    int mockEveryDays = 20;     // adaptive: a full mock exam every N study days (0: none)
    int newItemsPerDay = 20;
};

// The first study day, 08:00 UTC: 2026-01-05.
int64_t simulationStartMs();
int64_t simulationStartDay();  // its study day number (core::StudyDayClock)

struct Prediction {
    double pass = 0;
    double low = 0;  // the 80 % interval readiness shows
    double high = 0;
};

class Policy {
public:
    virtual ~Policy() = default;
    virtual PolicyKind kind() const = 0;
    // Studies study day `day` (0-based) while the minutes used are below `budget`; returns the minutes
    // used (the last item may overrun the budget a little).
    virtual double studyDay(int day, double budget, Learner& learner, std::mt19937_64& rng) = 0;
    // Retain's pass probability for an exam at the end of study day `day`, with its 80 % interval;
    // nullopt while readiness says there is not enough evidence.
    virtual std::optional<Prediction> predictedPass(int day) = 0;
    // Retain's forecast, at the end of study day `day`, of the pass probability at the end of study day
    // `examDay` if the learner keeps to their plan (GetReadiness for a later date); nullopt when readiness
    // has not enough evidence.
    virtual std::optional<double> forecastPass(int day, int examDay) = 0;
    // Answers given so far (all items, all days).
    virtual uint64_t answers() const = 0;
};

// A policy for one learner. The adaptive policy can fail to start (content, database): nullptr and
// `error` set.
std::unique_ptr<Policy> makePolicy(PolicyKind kind, const core::ContentPack& pack,
                                   const PolicyOptions& options, uint64_t seed, std::string* error);

}  // namespace retain::sim
