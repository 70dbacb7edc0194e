#include "sim/coverage.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "sim/report.h"
#include "sim/sim_fixture.h"
#include "sim/simulation.h"
#include "support/temp_dir.h"

using namespace retain;
using namespace retain::sim;

namespace {

// Answers everything correctly in a fixed time: only what the recorder sees matters here.
class FixedLearner final : public Learner {
public:
    FixedLearner() : Learner(nullptr) {}
    Outcome study(size_t, double, std::mt19937_64&) override {
        ++studied;
        return {true, 2.0};
    }
    double skill(int, double) const override { return 0; }
    double probabilityCorrect(size_t, double) const override { return 0.5; }
    int studied = 0;
};

const core::Exam& exam() {
    return *test::simPack().defaultExam();
}

}  // namespace

TEST(SimCoverage, layoutPlacesTheExamsStudyItemsInTheirDomains) {
    const auto layout = CoverageLayout::of(exam(), test::simPack());
    ASSERT_EQ(layout.domains.size(), 4u);
    double weights = 0;
    int items = 0, statements = 0;
    for (const auto& d : layout.domains) {
        weights += d.weight;
        items += d.studyItems;
        statements += d.statements;
    }
    EXPECT_NEAR(weights, 1.0, 1e-9);
    EXPECT_EQ(static_cast<size_t>(items), exam().items().size());
    EXPECT_EQ(static_cast<size_t>(statements), exam().taskStatements().size());
    ASSERT_FALSE(exam().reserve().empty());
    for (size_t i : exam().reserve()) {
        EXPECT_FALSE(layout.studyItem[i]) << i;
        EXPECT_GE(layout.itemDomain[i], 0) << i;  // its minutes still count in its domain
    }
}

TEST(SimCoverage, recorderCountsFirstSightingsOfStudyItemsAndTheMinutesOfEveryAnswer) {
    const auto layout = CoverageLayout::of(exam(), test::simPack());
    FixedLearner truth;
    CoverageRecorder recorder(truth, nullptr, layout);
    std::mt19937_64 rng(1);
    const size_t item = exam().itemsOf(0).front();
    const size_t reserve = exam().reserve().front();
    const auto domain = static_cast<size_t>(layout.itemDomain[item]);
    const auto reserveDomain = static_cast<size_t>(layout.itemDomain[reserve]);
    recorder.beginDay(0);
    recorder.endDay();
    recorder.beginDay(1);
    EXPECT_TRUE(recorder.study(item, 1.4, rng).correct);
    recorder.study(item, 1.5, rng);  // seen once, timed twice
    recorder.study(reserve, 1.6, rng);
    recorder.endDay();
    EXPECT_EQ(truth.studied, 3);  // every answer reaches the ground truth
    const Coverage& c = recorder.coverage();
    ASSERT_EQ(c.seenByDomain.size(), 2u);
    EXPECT_EQ(c.seenByDomain[0][domain], 0.0);
    EXPECT_DOUBLE_EQ(c.seenByDomain[1][domain], 1.0 / layout.domains[domain].studyItems);
    EXPECT_EQ(c.statementFirstSeen[0], 1);
    const int reserveStatement = layout.itemStatement[reserve];
    if (reserveStatement != 0) {  // a reserve question alone does not make its statement seen
        EXPECT_EQ(c.statementFirstSeen[static_cast<size_t>(reserveStatement)], -1);
    }
    EXPECT_DOUBLE_EQ(std::accumulate(c.domainMinutes.begin(), c.domainMinutes.end(), 0.0), 6.0);
    EXPECT_GE(c.domainMinutes[domain], 4.0);
    EXPECT_GE(c.domainMinutes[reserveDomain], 2.0);
}

TEST(SimCoverage, checkpointsAreCeilingsOfTheDays) {
    EXPECT_EQ(coverageCheckpointDays(30), (std::vector<int>{3, 8, 15, 30}));
    EXPECT_EQ(coverageCheckpointDays(20), (std::vector<int>{2, 5, 10, 20}));
    EXPECT_EQ(coverageCheckpointDays(2), (std::vector<int>{1, 1, 1, 2}));
    EXPECT_EQ(earlyDays(30), 3);
    EXPECT_EQ(earlyDays(31), 4);
    EXPECT_EQ(earlyDays(5), 1);
}

TEST(SimCoverage, everyPolicysSharesAreBoundedGrowByDayAndSplitItsMinutes) {
    test::TempDir dir;
    SimConfig c;
    c.learners = 1;
    c.days = 10;
    c.minutesPerDay = 20;
    c.seed = 3;
    c.models = {TruthKind::ActR};
    c.mockEveryDays = 5;  // a mock form's answers count too
    c.jobs = 2;
    c.contentDir = RETAIN_CONTENT_DIR;
    c.workDir = dir.path() + "/work";
    const SimResult r = simulate(c, test::simPack());
    ASSERT_TRUE(r.error.empty()) << r.error;
    ASSERT_EQ(r.domains.size(), 4u);
    ASSERT_EQ(r.runs.size(), allPolicies().size());
    for (const auto& run : r.runs) {
        const std::string name = policyName(run.policy);
        const Coverage& cov = run.coverage;
        ASSERT_EQ(cov.seenByDomain.size(), 10u) << name;
        for (size_t day = 0; day < cov.seenByDomain.size(); ++day)
            for (size_t d = 0; d < 4; ++d) {
                EXPECT_GE(cov.seenByDomain[day][d], day ? cov.seenByDomain[day - 1][d] : 0.0) << name;
                EXPECT_LE(cov.seenByDomain[day][d], 1.0) << name;
            }
        EXPECT_GT(*std::max_element(cov.seenByDomain.back().begin(), cov.seenByDomain.back().end()), 0.0);
        ASSERT_EQ(cov.statementFirstSeen.size(), 15u) << name;
        for (int first : cov.statementFirstSeen) {
            EXPECT_GE(first, -1) << name;
            EXPECT_LT(first, 10) << name;
        }
        // Every minute the policy used was spent on some domain's item.
        const double minutes = std::accumulate(cov.domainMinutes.begin(), cov.domainMinutes.end(), 0.0);
        EXPECT_NEAR(minutes, run.minutes.back(), 1e-6) << name;
    }
    const auto s = summarize(r, 20);
    EXPECT_EQ(s["exam"]["domains"].size(), 4u);
    for (const auto& p : s["models"][0]["policies"]) {
        const auto& cov = p["coverage"];
        ASSERT_EQ(cov["checkpoints"].size(), 4u);
        EXPECT_EQ(cov["checkpoints"][0]["day"], 1);
        EXPECT_EQ(cov["checkpoints"][3]["day"], 10);
        double previous = 0;
        for (const auto& cp : cov["checkpoints"]) {
            double least = 1;
            for (const auto& share : cp["seen_by_domain"])
                least = std::min(least, share.get<double>());
            EXPECT_GE(least, 0.0);
            EXPECT_GE(cp["seen_by_domain"][0].get<double>(), previous);
            previous = cp["seen_by_domain"][0].get<double>();
        }
        EXPECT_GE(cov["statements_seen_early"].get<double>(), 0.0);
        EXPECT_LE(cov["statements_seen_early"].get<double>(), 1.0);
        EXPECT_GE(cov["learners_missing_statement"].get<int>(), 0);
        EXPECT_LE(cov["learners_missing_statement"].get<int>(), 1);
        double total = 0;
        for (const auto& share : cov["time_share_by_domain"])
            total += share.get<double>();
        EXPECT_NEAR(total, 1.0, 1e-9) << p["policy"];
        EXPECT_LE(cov["min_seen_at_exam"].get<double>(), 1.0);
    }
    EXPECT_NE(renderText(s).find("coverage: share of each domain's study items seen"), std::string::npos);
}
