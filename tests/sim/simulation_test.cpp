#include "sim/simulation.h"

#include <gtest/gtest.h>

#include <set>

#include "sim/report.h"
#include "sim/sim_fixture.h"
#include "support/temp_dir.h"

using namespace retain;
using namespace retain::sim;

namespace {

SimConfig small(const test::TempDir& dir) {
    SimConfig c;
    c.learners = 2;
    c.days = 20;  // more than the planner's 14-day consolidation phase before the exam
    c.minutesPerDay = 30;
    c.seed = 5;
    c.checkpointEvery = 4;
    c.mockEveryDays = 0;
    c.jobs = 2;
    c.contentDir = RETAIN_CONTENT_DIR;
    c.workDir = dir.path() + "/work";
    return c;
}

const LearnerRun& find(const SimResult& r, TruthKind m, PolicyKind p, int learner) {
    for (const auto& run : r.runs)
        if (run.model == m && run.policy == p && run.learner == learner)
            return run;
    throw std::runtime_error("run not found");
}

}  // namespace

TEST(SimSimulation, aSeedReproducesTheResultsWhateverTheThreads) {
    test::TempDir dir;
    SimConfig c = small(dir);
    const SimResult a = simulate(c, test::simPack());
    c.jobs = 1;
    const SimResult b = simulate(c, test::simPack());
    ASSERT_TRUE(a.error.empty()) << a.error;
    ASSERT_EQ(a.runs.size(), 2u * 2u * 4u);
    ASSERT_EQ(a.runs.size(), b.runs.size());
    for (size_t i = 0; i < a.runs.size(); ++i) {
        EXPECT_EQ(a.runs[i].minutes, b.runs[i].minutes) << i;
        EXPECT_EQ(a.runs[i].truePass, b.runs[i].truePass) << i;
        EXPECT_EQ(a.runs[i].answers, b.runs[i].answers) << i;
        EXPECT_EQ(a.runs[i].coverage.seenByDomain, b.runs[i].coverage.seenByDomain) << i;
        EXPECT_EQ(a.runs[i].coverage.statementFirstSeen, b.runs[i].coverage.statementFirstSeen) << i;
        EXPECT_EQ(a.runs[i].coverage.domainMinutes, b.runs[i].coverage.domainMinutes) << i;
        ASSERT_EQ(a.runs[i].points.size(), b.runs[i].points.size());
        for (size_t k = 0; k < a.runs[i].points.size(); ++k)
            EXPECT_EQ(a.runs[i].points[k].predicted, b.runs[i].points[k].predicted);
    }
}

TEST(SimSimulation, policiesStudyDifferentlyWithinTheSameBudget) {
    test::TempDir dir;
    const SimResult r = simulate(small(dir), test::simPack());
    ASSERT_TRUE(r.error.empty()) << r.error;
    std::set<double> finals;
    for (auto p : allPolicies()) {
        const LearnerRun& run = find(r, TruthKind::ActR, p, 0);
        ASSERT_EQ(run.minutes.size(), 20u);
        // The budget bank: at most one item's overrun beyond 30 minutes a day.
        EXPECT_LE(run.minutes.back(), 20 * 30 + 10.0) << policyName(p);
        // Baselines always find something to study; the adaptive planner stops introducing new items
        // 14 days before the exam, so with a short horizon it runs out of work.
        EXPECT_GT(run.minutes.back(), 20 * 30 * (p == PolicyKind::Adaptive ? 0.2 : 0.9)) << policyName(p);
        EXPECT_GT(run.answers, 100u) << policyName(p);
        finals.insert(run.truePass.back() + run.trueScore.back());
    }
    EXPECT_EQ(finals.size(), allPolicies().size());  // four different outcomes
}

TEST(SimSimulation, adaptiveLearnersTakeRealMockExams) {
    test::TempDir dir;
    SimConfig c = small(dir);
    c.learners = 1;
    c.models = {TruthKind::ActR};
    c.policies = {PolicyKind::Adaptive};
    const SimResult without = simulate(c, test::simPack());
    ASSERT_TRUE(without.error.empty()) << without.error;
    c.mockEveryDays = 8;  // days 8 and 16: two full 65-question forms
    const SimResult r = simulate(c, test::simPack());
    ASSERT_TRUE(r.error.empty()) << r.error;
    const LearnerRun& run = r.runs.at(0);
    const LearnerRun& before = without.runs.at(0);
    // The forms take time from the budget, so fewer study answers, but 130 mock answers.
    EXPECT_GT(run.answers, 130u);
    EXPECT_NE(run.answers, before.answers);
    // Every checkpoint (every 4 days from day 3, and the exam day 19) has a prediction.
    std::vector<int> days;
    for (const auto& p : run.points)
        days.push_back(p.day);
    EXPECT_EQ(days, (std::vector<int>{3, 7, 11, 15, 19}));
    EXPECT_EQ(before.points.size(), run.points.size());
    for (const auto& p : run.points) {
        EXPECT_LE(p.low, p.predicted) << p.day;
        EXPECT_LE(p.predicted, p.high) << p.day;
        EXPECT_LT(p.low, p.high) << p.day;
        // The mocks' evidence puts the prediction near the truth (readiness under-predicts the adaptive
        // policy's learners by about 0.2 on average: docs/simulator.md).
        EXPECT_NEAR(p.predicted, p.truePass, 0.35) << p.day;
    }
}

TEST(SimSimulation, minutesToReachInterpolatesAndCensors) {
    EXPECT_DOUBLE_EQ(*minutesToReach({10, 20, 30}, {0.5, 0.8, 1.0}, 0.9, 0.1), 25.0);
    EXPECT_DOUBLE_EQ(*minutesToReach({10, 20}, {0.95, 0.99}, 0.9, 0.5), 10 * 0.4 / 0.45);
    EXPECT_DOUBLE_EQ(*minutesToReach({10}, {0.2}, 0.9, 0.95), 0.0);
    EXPECT_FALSE(minutesToReach({10, 20}, {0.5, 0.6}, 0.9, 0.1).has_value());
}

TEST(SimReport, summaryAndTextHaveTheDocumentedShape) {
    test::TempDir dir;
    SimConfig c = small(dir);
    const SimResult r = simulate(c, test::simPack());
    const auto s = summarize(r, 50);
    ASSERT_EQ(s["models"].size(), 2u);
    for (const auto& m : s["models"]) {
        const auto& cal = m["calibration"];
        EXPECT_EQ(cal["bins"].size(), 10u);
        EXPECT_GE(cal["ece"].get<double>(), 0.0);
        EXPECT_GE(cal["brier"].get<double>(), 0.0);
        EXPECT_LE(cal["brier"].get<double>(), 1.0);
        EXPECT_EQ(cal["by_policy"].size(), 4u);
        ASSERT_EQ(m["policies"].size(), 4u);
        for (const auto& p : m["policies"]) {
            EXPECT_EQ(p["curve"]["minutes"].size(), 20u);
            EXPECT_EQ(p["curve"]["true_pass"].size(), 20u);
            EXPECT_TRUE(p.contains("median_minutes_to_target"));
            EXPECT_EQ(p["learners"].get<int>(), 2);
        }
        ASSERT_EQ(m["comparisons"].size(), 3u);
        EXPECT_EQ(m["comparisons"][0]["baseline"], "fsrs");
        EXPECT_TRUE(m["comparisons"][0]["true_pass_difference"].contains("lo"));
        EXPECT_TRUE(m["targets"].contains("ece_met"));
    }
    const std::string text = renderText(s);
    EXPECT_NE(text.find("ground truth: actr"), std::string::npos);
    EXPECT_NE(text.find("ground truth: interference"), std::string::npos);
    EXPECT_NE(text.find("adaptive vs fsrs"), std::string::npos);
}

TEST(SimReport, savingsAgainstABaselineThatNeverReachesTheTargetAreALowerBound) {
    // Two learners, two days: the adaptive policy reaches 0.9 after 100 and 300 minutes, FSRS never
    // does within its 400 minutes.
    SimResult r;
    r.config.learners = 2;
    r.config.days = 2;
    r.config.models = {TruthKind::ActR};
    r.config.policies = {PolicyKind::Adaptive, PolicyKind::Fsrs};
    for (int l = 0; l < 2; ++l) {
        LearnerRun a{TruthKind::ActR,
                     PolicyKind::Adaptive,
                     l,
                     {200, 400},
                     {0.8, 0.95},
                     {0.7, 0.8},
                     {},
                     true,
                     10,
                     {},
                     {}};
        a.minutesToTarget = l == 0 ? 100.0 : 300.0;
        LearnerRun f{
            TruthKind::ActR, PolicyKind::Fsrs, l, {200, 400}, {0.5, 0.6}, {0.6, 0.65}, {}, false, 10, {}, {}};
        r.runs.push_back(a);
        r.runs.push_back(f);
    }
    const auto s = summarize(r, 20);
    const auto& cmp = s["models"][0]["comparisons"][0];
    EXPECT_TRUE(cmp["baseline_median_censored"].get<bool>());
    EXPECT_NEAR(cmp["minutes_ratio"]["estimate"].get<double>(), 200.0 / 400.0, 1e-12);
    EXPECT_NEAR(cmp["savings"]["estimate"].get<double>(), 0.5, 1e-12);
    EXPECT_NEAR(cmp["true_pass_difference"]["estimate"].get<double>(), 0.35, 1e-12);
    EXPECT_NEAR(cmp["pass_rate_difference"]["estimate"].get<double>(), 1.0, 1e-12);
    EXPECT_TRUE(s["models"][0]["targets"]["efficiency_met"].get<bool>());
    EXPECT_NE(renderText(s).find("saved >= 0.500"), std::string::npos);
}
