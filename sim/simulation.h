#pragma once
// The simulation: a population of learners per ground-truth model, each studied by every policy from
// the same starting state (paired), day by day under a daily minutes budget, with the true exam and
// Retain's prediction recorded along the way.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/content_pack.h"
#include "sim/coverage.h"
#include "sim/ground_truth.h"
#include "sim/policies.h"

namespace retain::sim {

struct SimConfig {
    int learners = 40;
    int days = 60;  // study days; the exam is at the end of the last one
    double minutesPerDay = 40;
    uint64_t seed = 1;
    // The models Retain was tuned against; the held-out ones (hlr, dash, dash-wrongprior) are opt-in, so
    // the default run and ./dev bench stay comparable with earlier figures.
    std::vector<TruthKind> models = defaultTruths();
    std::vector<PolicyKind> policies = allPolicies();
    int checkpointEvery = 5;  // calibration points every N days (and on the exam day)
    int mockEveryDays = 20;   // adaptive policy: a mock exam every N days (0: none)
    // The learner's new_items_per_day: honoured by adaptive, fsrs and sm2 (random order has no limit).
    int newItemsPerDay = 20;
    double target = 0.9;  // true pass probability for "minutes to reach"
    int jobs = 1;
    std::string contentDir;  // for the adaptive policy's engine
    std::string workDir;     // throw-away databases (default: /dev/shm or the temp directory)
};

// Retain's prediction against one simulated sitting of the real exam.
struct CalibrationPoint {
    int day = 0;
    double predicted = 0;  // Retain's pass probability
    bool passed = false;   // the simulated sitting (Bernoulli draws from the ground truth)
    double truePass = 0;   // the ground truth's pass probability
    double low = 0;        // Retain's 80 % interval of its pass probability
    double high = 0;
    double forecast = -1;  // Retain's forecast of the pass probability on the exam day; -1: none
};

// One learner studied by one policy under one ground-truth model.
struct LearnerRun {
    TruthKind model = TruthKind::ActR;
    PolicyKind policy = PolicyKind::Adaptive;
    int learner = 0;
    std::vector<double> minutes;            // cumulative study minutes at the end of each day
    std::vector<double> truePass;           // true pass probability at the end of each day
    std::vector<double> trueScore;          // expected fraction correct on the real exam
    std::optional<double> minutesToTarget;  // minutes until the true pass probability first reached target
    bool passedExam = false;                // the real exam at the end of the last day
    uint64_t answers = 0;
    std::vector<CalibrationPoint> points;
    Coverage coverage;  // what the learner met of the exam, day by day (sim/coverage.h)
};

struct SimResult {
    SimConfig config;
    std::vector<LearnerRun> runs;         // model-major, then learner, then policy (config order)
    std::vector<CoverageDomain> domains;  // the exam's domains, for the coverage measures
    std::string error;                    // set when the simulation could not run
};

// Runs the whole simulation (config.jobs threads; results do not depend on the number of threads).
// `progress` (optional) is called after each learner with (done, total), from any thread.
SimResult simulate(const SimConfig& config, const core::ContentPack& pack,
                   const std::function<void(int, int)>& progress = {});

// Minutes at which a per-day curve first reaches `target` (linear interpolation between day ends, from
// zero minutes at probability `start`); nullopt when it never does.
std::optional<double> minutesToReach(const std::vector<double>& minutes, const std::vector<double>& pass,
                                     double target, double start);

}  // namespace retain::sim
