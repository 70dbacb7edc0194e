// Calibration as a test: a short retain-sim run over several seeds, with assertions on how well Retain's
// pass probability matches the simulated learners' true one, so that a change that breaks readiness
// fails the build. The long runs (200 learners, every policy) stay in ./dev bench and docs/simulator.md.
//
// Each seed simulates the adaptive policy's own learners (the ones the product serves) and random-order
// learners under both ground-truth models, 60 days at 40 minutes, a mock exam every 20 days, as ./dev
// bench does, and pools every checkpoint. Three figures per model:
// - ECE against the true pass probability (bins of the prediction; the sittings' own Bernoulli noise left
//   out, so a few hundred checkpoints measure it well), and against the simulated sittings;
// - the mean signed error (predicted minus true): the bias;
// - the correlation of predicted and true probabilities: a constant or shuffled prediction can be
//   calibrated on average, but cannot rank learners.
// The bounds are today's measured figures plus a margin for seed noise (see the comment at boundsFor);
// they are not the product's target (ECE <= 0.05, docs/simulator.md), which readiness meets in some
// cells and not in others. Tightening a bound when readiness improves is part of the change.
//
// Longer on request: RETAIN_CALIBRATION_LEARNERS (default 6), RETAIN_CALIBRATION_SEEDS (default 3) and
// RETAIN_CALIBRATION_SEED_BASE (default 101: seeds 101, 102, 103).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>

#include "sim/metrics.h"
#include "sim/sim_fixture.h"
#include "sim/simulation.h"
#include "support/temp_dir.h"

using namespace retain;
using namespace retain::sim;

namespace {

int envInt(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && std::atoi(v) > 0 ? std::atoi(v) : fallback;
}

struct Figures {
    int points = 0;
    double eceTruth = 0;     // binned |mean true - mean predicted|, weighted by bin counts
    double eceSittings = 0;  // the same against the simulated sittings
    double bias = 0;         // mean predicted - mean true
    double correlation = 0;  // Pearson, predicted vs true
};

// Computed here from the raw points (not with the simulator's report code, which is what the test
// checks the figures of in docs/simulator.md).
Figures figuresOf(const std::vector<CalibrationPoint>& points) {
    Figures f;
    f.points = static_cast<int>(points.size());
    if (points.empty())
        return f;
    constexpr int kBins = 10;
    double binPredicted[kBins] = {}, binTrue[kBins] = {}, binPassed[kBins] = {};
    int binCount[kBins] = {};
    double sp = 0, st = 0, spp = 0, stt = 0, spt = 0;
    for (const auto& p : points) {
        const int b = std::min(kBins - 1, static_cast<int>(std::clamp(p.predicted, 0.0, 1.0) * kBins));
        binPredicted[b] += p.predicted;
        binTrue[b] += p.truePass;
        binPassed[b] += p.passed ? 1.0 : 0.0;
        ++binCount[b];
        sp += p.predicted;
        st += p.truePass;
        spp += p.predicted * p.predicted;
        stt += p.truePass * p.truePass;
        spt += p.predicted * p.truePass;
    }
    const double n = static_cast<double>(points.size());
    for (int b = 0; b < kBins; ++b) {
        if (binCount[b] == 0)
            continue;
        f.eceTruth += std::abs(binTrue[b] - binPredicted[b]) / n;
        f.eceSittings += std::abs(binPassed[b] - binPredicted[b]) / n;
    }
    f.bias = (sp - st) / n;
    const double cov = spt / n - (sp / n) * (st / n);
    const double vp = spp / n - (sp / n) * (sp / n), vt = stt / n - (st / n) * (st / n);
    f.correlation = vp > 0 && vt > 0 ? cov / std::sqrt(vp * vt) : 0;
    return f;
}

struct Bounds {
    double eceTruth, eceSittings, bias, correlation;
};

// The bounds: the worst of four seed sets (bases 101, 201, 301, 401; 6 learners x 3 seeds each) measured
// when they were last set (2026-12-08, after each item came to count once with its latest answer and the
// form's difficulty shift entered the draws), plus 0.05 in the ECEs and the bias and minus 0.1 in the
// correlation. Measured (worst set): adaptive ECE vs truth 0.056 / 0.103, vs sittings 0.092 / 0.109, bias
// -0.056 / -0.103, correlation 0.922 / 0.790 (actr / interference); random order 0.037 / 0.147, 0.064 /
// 0.134, -0.037 / -0.147, 0.901 / 0.865. (Before: adaptive ECE vs truth 0.194 / 0.276; random order under
// interference 0.110, now a little worse.) The adaptive figures also vary by about 0.02 between runs of
// the same seeds (the engine draws a mock's form from the mock's random id), well inside the margins.
Bounds boundsFor(TruthKind model, PolicyKind policy) {
    if (policy == PolicyKind::Adaptive)
        return model == TruthKind::ActR ? Bounds{0.11, 0.15, 0.11, 0.82} : Bounds{0.16, 0.16, 0.16, 0.69};
    return model == TruthKind::ActR ? Bounds{0.09, 0.12, 0.09, 0.80} : Bounds{0.20, 0.19, 0.20, 0.76};
}

}  // namespace

TEST(SimCalibration, readinessTracksTheTruePassProbabilityOverSeveralSeeds) {
    const int learners = envInt("RETAIN_CALIBRATION_LEARNERS", 6);
    const int seeds = envInt("RETAIN_CALIBRATION_SEEDS", 3);
    const int seedBase = envInt("RETAIN_CALIBRATION_SEED_BASE", 101);
    std::map<std::pair<TruthKind, PolicyKind>, std::vector<CalibrationPoint>> pooled;
    for (int s = 0; s < seeds; ++s) {
        test::TempDir dir;
        SimConfig c;
        c.learners = learners;
        c.days = 60;
        c.minutesPerDay = 40;
        c.seed = static_cast<uint64_t>(seedBase + s);
        c.policies = {PolicyKind::Adaptive, PolicyKind::Random};
        c.checkpointEvery = 5;
        c.mockEveryDays = 20;
        c.jobs = 2;
        c.contentDir = RETAIN_CONTENT_DIR;
        c.workDir = dir.path() + "/work";
        const SimResult r = simulate(c, test::simPack());
        ASSERT_TRUE(r.error.empty()) << r.error;
        for (const auto& run : r.runs)
            pooled[{run.model, run.policy}].insert(pooled[{run.model, run.policy}].end(), run.points.begin(),
                                                   run.points.end());
    }
    ASSERT_EQ(pooled.size(), 4u);
    for (const auto& [key, points] : pooled) {
        const auto [model, policy] = key;
        const Figures f = figuresOf(points);
        const Bounds b = boundsFor(model, policy);
        const std::string what = std::string(truthName(model)) + "/" + policyName(policy);
        std::cout << what << ": " << f.points << " checkpoints, ECE vs truth " << f.eceTruth << " (bound "
                  << b.eceTruth << "), vs sittings " << f.eceSittings << " (bound " << b.eceSittings
                  << "), bias " << f.bias << " (bound +-" << b.bias << "), correlation " << f.correlation
                  << " (bound >= " << b.correlation << ")\n";
        // Every learner has a prediction at most checkpoints once the evidence is in (day 20 onwards).
        EXPECT_GE(f.points, learners * seeds * 6) << what;
        EXPECT_LE(f.eceTruth, b.eceTruth) << what;
        EXPECT_LE(f.eceSittings, b.eceSittings) << what;
        EXPECT_LE(std::abs(f.bias), b.bias) << what;
        EXPECT_GE(f.correlation, b.correlation) << what;
    }
}
