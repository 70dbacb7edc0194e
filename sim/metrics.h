#pragma once
// Calibration and comparison statistics of the simulator.

#include <cstdint>
#include <functional>
#include <vector>

namespace retain::sim {

struct Forecast {
    double predicted = 0;   // a predicted probability
    bool happened = false;  // the outcome
};

struct ReliabilityBin {
    double lo = 0, hi = 0;  // predicted-probability range [lo, hi) (the last bin includes 1)
    int count = 0;
    double meanPredicted = 0;  // 0 when empty
    double observedRate = 0;   // 0 when empty
};

struct Calibration {
    int points = 0;
    double brier = 0;  // mean squared error of the probabilities
    double ece = 0;    // expected calibration error: sum over bins of |observed - predicted| x share
    double meanPredicted = 0;
    double observedRate = 0;
    std::vector<ReliabilityBin> bins;
};

// Brier score, ECE over `bins` equal-width bins weighted by their counts, and the reliability table.
Calibration calibrate(const std::vector<Forecast>& forecasts, int bins = 10);

struct Interval {
    double estimate = 0;
    double lo = 0;  // percentile bootstrap bounds
    double hi = 0;
};

// Percentile bootstrap of `statistic` over `n` units resampled with replacement (`reps` resamples,
// deterministic for a seed). The statistic gets the resampled unit indices.
Interval bootstrap(size_t n, const std::function<double(const std::vector<size_t>&)>& statistic, int reps,
                   uint64_t seed, double level = 0.95);

// Median (infinities allowed: censored values sort last); NaN for an empty vector.
double median(std::vector<double> values);

}  // namespace retain::sim
