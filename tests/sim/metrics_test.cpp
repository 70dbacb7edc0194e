#include "sim/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace retain::sim;

TEST(SimMetrics, brierAndExpectedCalibrationErrorOnKnownInputs) {
    // Bin [0.1, 0.2): two forecasts of 0.15, one happened (observed 0.5, gap 0.35).
    // Bin [0.9, 1.0]: two forecasts of 0.95 and 1.0, both happened (mean 0.975, gap 0.025).
    const std::vector<Forecast> f{{0.15, true}, {0.15, false}, {0.95, true}, {1.0, true}};
    const Calibration c = calibrate(f, 10);
    EXPECT_EQ(c.points, 4);
    const double brier = (0.85 * 0.85 + 0.15 * 0.15 + 0.05 * 0.05 + 0.0) / 4;
    EXPECT_NEAR(c.brier, brier, 1e-12);
    EXPECT_NEAR(c.ece, 0.5 * 0.35 + 0.5 * 0.025, 1e-12);
    ASSERT_EQ(c.bins.size(), 10u);
    EXPECT_EQ(c.bins[1].count, 2);
    EXPECT_NEAR(c.bins[1].observedRate, 0.5, 1e-12);
    EXPECT_EQ(c.bins[9].count, 2);  // 1.0 falls in the last bin
    EXPECT_NEAR(c.bins[9].meanPredicted, 0.975, 1e-12);
    EXPECT_EQ(c.bins[5].count, 0);
    EXPECT_NEAR(c.meanPredicted, 0.5625, 1e-12);
    EXPECT_NEAR(c.observedRate, 0.75, 1e-12);
}

TEST(SimMetrics, eceWeighsEachBinsGapByItsShare) {
    std::vector<Forecast> f;
    for (int i = 0; i < 10; ++i)
        f.push_back({0.35, i >= 7});  // observed 0.3: gap 0.05
    for (int i = 0; i < 4; ++i)
        f.push_back({0.75, i < 3});  // observed 0.75: no gap
    const Calibration c = calibrate(f, 10);
    EXPECT_NEAR(c.ece, (10 * 0.05 + 4 * 0.0) / 14, 1e-12);
    EXPECT_TRUE(calibrate({}, 10).points == 0);
}

TEST(SimMetrics, bootstrapIsDeterministicAndBracketsTheEstimate) {
    std::vector<double> x;
    for (int i = 0; i < 50; ++i)
        x.push_back(i % 7);
    auto mean = [&](const std::vector<size_t>& idx) {
        double s = 0;
        for (size_t i : idx)
            s += x[i];
        return s / static_cast<double>(idx.size());
    };
    const Interval a = bootstrap(x.size(), mean, 500, 42);
    const Interval b = bootstrap(x.size(), mean, 500, 42);
    EXPECT_EQ(a.lo, b.lo);
    EXPECT_EQ(a.hi, b.hi);
    EXPECT_LT(a.lo, a.estimate);
    EXPECT_GT(a.hi, a.estimate);
    EXPECT_LT(a.hi - a.lo, 2.0);
}

TEST(SimMetrics, medianSortsCensoredValuesLast) {
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_EQ(median({3, 1, 2}), 2);
    EXPECT_EQ(median({4, 1, 3, 2}), 2.5);
    EXPECT_EQ(median({1, inf, inf}), inf);
    EXPECT_EQ(median({1, 2, inf}), 2);
    EXPECT_TRUE(std::isnan(median({})));
}
