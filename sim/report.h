#pragma once
// The simulator's report: a JSON summary (figures, calibration, per-policy efficiency, paired
// comparisons with bootstrap intervals, mean curves) and its text rendering.

#include <string>

#include <nlohmann/json.hpp>

#include "sim/simulation.h"

namespace retain::sim {

inline constexpr double kEceTarget = 0.05;
inline constexpr double kSavingsTarget = 0.20;

// Summary of a simulation. Shape:
// {"config": {...}, "exam": {"domains": [{id, name, weight (fraction), study_items, task_statements}]},
//  "models": [{"model", "held_out" (Retain was never tuned against it), "calibration":
//   {points, brier, ece, mean_predicted, observed_rate, bins: [{lo, hi, count, mean_predicted,
//   observed_rate}], by_policy: {name: {points, brier, ece, mean_predicted, observed_rate,
//   interval_coverage}}},
//   "policies": [{"policy", learners, mean_minutes, mean_answers, mean_true_pass, pass_rate,
//   mean_true_score, median_minutes_to_target (null: not reached by half), reached_target,
//   "curve": {"minutes": [...], "true_pass": [...]}, "coverage": {...} (sim/coverage.h: coverageSummary)}],
//   "comparisons": [{"baseline", "minutes_ratio": {estimate, lo, hi}, "savings": {...},
//   "baseline_median_censored" (the baseline's median learner never reached the target: its total
//   minutes stand in, so the ratio is an upper bound and the savings a lower bound),
//   "true_pass_difference": {...}, "pass_rate_difference": {...}}],
//   "targets": {"ece_met", "efficiency_met"}}]}
nlohmann::json summarize(const SimResult& result, int bootstrapReps = 2000);

std::string renderText(const nlohmann::json& summary);

}  // namespace retain::sim
