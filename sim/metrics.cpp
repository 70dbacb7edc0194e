#include "sim/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace retain::sim {

Calibration calibrate(const std::vector<Forecast>& forecasts, int bins) {
    Calibration c;
    bins = std::max(1, bins);
    c.points = static_cast<int>(forecasts.size());
    for (int b = 0; b < bins; ++b)
        c.bins.push_back({static_cast<double>(b) / bins, static_cast<double>(b + 1) / bins, 0, 0, 0});
    if (forecasts.empty())
        return c;
    for (const auto& f : forecasts) {
        const double p = std::clamp(f.predicted, 0.0, 1.0);
        const double y = f.happened ? 1.0 : 0.0;
        c.brier += (p - y) * (p - y);
        c.meanPredicted += p;
        c.observedRate += y;
        auto& bin = c.bins[static_cast<size_t>(std::min(bins - 1, static_cast<int>(p * bins)))];
        ++bin.count;
        bin.meanPredicted += p;
        bin.observedRate += y;
    }
    const double n = static_cast<double>(forecasts.size());
    c.brier /= n;
    c.meanPredicted /= n;
    c.observedRate /= n;
    for (auto& bin : c.bins) {
        if (bin.count == 0)
            continue;
        bin.meanPredicted /= bin.count;
        bin.observedRate /= bin.count;
        c.ece += bin.count / n * std::abs(bin.observedRate - bin.meanPredicted);
    }
    return c;
}

Interval bootstrap(size_t n, const std::function<double(const std::vector<size_t>&)>& statistic, int reps,
                   uint64_t seed, double level) {
    Interval out;
    std::vector<size_t> all(n);
    for (size_t i = 0; i < n; ++i)
        all[i] = i;
    out.estimate = statistic(all);
    if (n == 0 || reps <= 0) {
        out.lo = out.hi = out.estimate;
        return out;
    }
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<size_t> pick(0, n - 1);
    std::vector<double> stats;
    std::vector<size_t> sample(n);
    for (int r = 0; r < reps; ++r) {
        for (auto& s : sample)
            s = pick(rng);
        stats.push_back(statistic(sample));
    }
    std::erase_if(stats, [](double x) { return std::isnan(x); });  // undefined resamples
    if (stats.empty()) {
        out.lo = out.hi = std::numeric_limits<double>::quiet_NaN();
        return out;
    }
    std::sort(stats.begin(), stats.end());  // infinities last
    const double alpha = (1 - level) / 2;
    auto at = [&](double q) {
        const size_t k = std::min(stats.size() - 1,
                                  static_cast<size_t>(std::floor(q * static_cast<double>(stats.size()))));
        return stats[k];
    };
    out.lo = at(alpha);
    out.hi = at(1 - alpha);
    return out;
}

double median(std::vector<double> values) {
    if (values.empty())
        return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    if (n % 2 == 1)
        return values[n / 2];
    const double a = values[n / 2 - 1], b = values[n / 2];
    if (std::isinf(a) || std::isinf(b))
        return std::isinf(a) ? a : b;
    return (a + b) / 2;
}

}  // namespace retain::sim
