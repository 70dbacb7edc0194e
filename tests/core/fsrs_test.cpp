// FSRS-6 against the reference (ts-fsrs golden vectors from tools/fsrs-golden/generate.mjs) and
// properties that must hold for any parameters.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>

#include "core/fsrs.h"

#ifndef RETAIN_TEST_DATA_DIR
#define RETAIN_TEST_DATA_DIR "/work/main/tests/data"
#endif

namespace retain::core {
namespace {

constexpr double kTolerance = 1e-4;

const nlohmann::json& golden() {
    static const nlohmann::json kGolden = [] {
        std::ifstream in(std::string(RETAIN_TEST_DATA_DIR) + "/fsrs/golden.json");
        if (!in)
            return nlohmann::json();
        return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    }();
    return kGolden;
}

FsrsParameters parameterSet(int index) {
    FsrsParameters p;
    const auto& w = golden()["parameter_sets"][static_cast<size_t>(index)]["w"];
    for (size_t i = 0; i < p.w.size(); ++i)
        p.w[i] = w[i].get<double>();
    return p;
}

SchedulingOptions optionsOf(const nlohmann::json& o) {
    SchedulingOptions s;
    s.desiredRetention = o["desiredRetention"].get<double>();
    s.maximumIntervalDays = o["maximumInterval"].get<int>();
    s.fuzz = o["fuzz"].get<bool>();
    return s;
}

std::array<int, 4> arrayOf(const nlohmann::json& j) {
    return {j[0].get<int>(), j[1].get<int>(), j[2].get<int>(), j[3].get<int>()};
}

#define ASSERT_GOLDEN_LOADED()                                                  \
    ASSERT_TRUE(golden().is_object()) << "cannot read " << RETAIN_TEST_DATA_DIR \
                                      << "/fsrs/golden.json (run tools/fsrs-golden/generate.mjs)"

TEST(Fsrs, defaultParametersAreThePublishedFsrs6Weights) {
    const auto w = FsrsParameters::defaults().w;
    EXPECT_DOUBLE_EQ(w[0], 0.212);
    EXPECT_DOUBLE_EQ(w[3], 8.2956);
    EXPECT_DOUBLE_EQ(w[20], 0.1542);
    EXPECT_FALSE(FsrsParameters::defaults().validate());
    if (golden().is_object()) {
        EXPECT_EQ(parameterSet(0).w, w) << "the reference's defaults changed";
    }
}

TEST(Fsrs, validateNamesTheBadIndex) {
    auto p = FsrsParameters::defaults();
    p.w[20] = 0.05;
    auto error = p.validate();
    ASSERT_TRUE(error);
    EXPECT_NE(error->find("w[20]"), std::string::npos) << *error;
    p = FsrsParameters::defaults();
    p.w[7] = std::nan("");
    error = p.validate();
    ASSERT_TRUE(error);
    EXPECT_NE(error->find("w[7]"), std::string::npos) << *error;
    EXPECT_EQ(p.clipped().w[7], 0.001);  // NaN becomes 0, then its lower bound, as in the reference
}

TEST(Fsrs, retrievabilityMatchesTheReferenceOnAGrid) {
    ASSERT_GOLDEN_LOADED();
    int checked = 0;
    for (const auto& row : golden()["retrievability"]) {
        const Fsrs f(parameterSet(row[0].get<int>()));
        const double t = row[1].get<double>(), s = row[2].get<double>(), r = row[3].get<double>();
        EXPECT_NEAR(f.retrievability(t, s), r, kTolerance) << "set " << row[0] << " t=" << t << " s=" << s;
        ++checked;
    }
    EXPECT_GE(checked, 300);
}

// Every step of every sequence: retrievability before the review, the four previewed intervals,
// stability and difficulty after it, the scheduled interval, and retrievability at later times.
TEST(Fsrs, everyStepOfEverySequenceMatchesTheReference) {
    ASSERT_GOLDEN_LOADED();
    int steps = 0, fuzzed = 0, sameDay = 0, lapses = 0, intervalMismatches = 0;
    double worst = 0;
    for (const auto& seq : golden()["sequences"]) {
        const Fsrs f(parameterSet(seq["set"].get<int>()));
        const auto options = optionsOf(seq["options"]);
        std::optional<MemoryState> state;
        int lastDay = 0;
        int index = 0;
        for (const auto& st : seq["steps"]) {
            const auto rating = static_cast<Rating>(st["rating"].get<int>());
            const int day = st["day"].get<int>();
            const uint64_t seed = std::stoull(st["seed"].get<std::string>());
            const int elapsed = state ? day - lastDay : 0;
            ASSERT_EQ(elapsed, st["elapsed"].get<int>());
            const std::string where = "set " + seq["set"].dump() + " options " + seq["options"].dump() +
                                      " step " + std::to_string(index);
            const auto preview = f.previewIntervals(state, elapsed, options, seed);
            if (state) {
                const double r = f.retrievability(elapsed, state->stability);
                EXPECT_NEAR(r, st["r_before"].get<double>(), kTolerance) << where;
                state = f.nextState(*state, elapsed, rating);
                sameDay += elapsed == 0;
                lapses += rating == Rating::Again;
            } else {
                state = f.initialState(rating);
            }
            const double s = st["stability"].get<double>(), d = st["difficulty"].get<double>();
            EXPECT_NEAR(state->stability, s, kTolerance * std::max(1.0, s)) << where;
            EXPECT_NEAR(state->difficulty, d, kTolerance) << where;
            worst = std::max(
                {worst, std::abs(state->stability - s) / std::max(1.0, s), std::abs(state->difficulty - d)});
            const auto expected = arrayOf(st["preview"]);
            if (preview != expected)
                ++intervalMismatches;
            EXPECT_EQ(preview, expected) << where;
            EXPECT_EQ(preview[static_cast<size_t>(rating) - 1], st["interval"].get<int>()) << where;
            for (const auto& probe : st["r_probe"])
                EXPECT_NEAR(f.retrievability(probe[0].get<double>(), state->stability),
                            probe[1].get<double>(), kTolerance)
                    << where;
            fuzzed += options.fuzz;
            lastDay = day;
            ++index;
            ++steps;
        }
    }
    EXPECT_EQ(intervalMismatches, 0);
    EXPECT_GE(steps, 1000);
    EXPECT_GE(fuzzed, 200);
    EXPECT_GE(sameDay, 100);
    EXPECT_GE(lapses, 200);
    EXPECT_LT(worst, 1e-9) << "not bit-close to the reference any more";
}

TEST(Fsrs, coversDefaultAndAtLeastTwoOtherParameterSetsWithDifferentDecays) {
    ASSERT_GOLDEN_LOADED();
    std::set<double> decays;
    for (const auto& p : golden()["parameter_sets"])
        decays.insert(p["w"][20].get<double>());
    EXPECT_GE(decays.size(), 3u);
}

// --- Properties -------------------------------------------------------------------------------

TEST(Fsrs, retrievabilityIsNinetyPercentAtTheStabilityForAnyDecay) {
    for (double decay : {0.1, 0.1542, 0.3, 0.5, 0.8}) {
        auto p = FsrsParameters::defaults();
        p.w[20] = decay;
        const Fsrs f(p);
        for (double s : {0.5, 3.0, 40.0, 900.0})
            EXPECT_NEAR(f.retrievability(s, s), 0.9, 1e-6) << decay << " " << s;
        EXPECT_EQ(f.retrievability(0, 5), 1.0);
    }
}

TEST(Fsrs, retrievabilityFallsWithTimeAndRisesWithStability) {
    const Fsrs f(FsrsParameters::defaults());
    for (double t = 0; t < 1000; t += 7.5)
        EXPECT_GT(f.retrievability(t, 10), f.retrievability(t + 7.5, 10));
    for (double s = 0.5; s < 1000; s *= 1.7)
        EXPECT_LT(f.retrievability(20, s), f.retrievability(20, s * 1.7));
}

TEST(Fsrs, betterRatingsNeverGiveLowerStabilityOrHigherDifficulty) {
    const Fsrs f(FsrsParameters::defaults());
    std::mt19937 gen(7);
    std::uniform_real_distribution<double> sDist(0.1, 400), dDist(1, 10), tDist(0, 600);
    for (int i = 0; i < 2000; ++i) {
        const MemoryState m{sDist(gen), dDist(gen)};
        const double t = i % 5 == 0 ? 0 : std::floor(tDist(gen));
        MemoryState prev = f.nextState(m, t, Rating::Again);
        for (int g = 2; g <= 4; ++g) {
            const auto next = f.nextState(m, t, static_cast<Rating>(g));
            EXPECT_GE(next.stability, prev.stability) << "S=" << m.stability << " t=" << t << " g=" << g;
            EXPECT_LE(next.difficulty, prev.difficulty);
            prev = next;
        }
    }
}

TEST(Fsrs, successfulReviewsNeverLowerStabilityAndLapsesNeverRaiseIt) {
    const Fsrs f(FsrsParameters::defaults());
    for (double s : {0.01, 0.5, 3.0, 30.0, 3000.0})
        for (double t : {0.0, 1.0, 5.0, 60.0, 2000.0}) {
            const MemoryState m{s, 5.0};
            for (int g = 2; g <= 4; ++g)
                EXPECT_GE(f.nextState(m, t, static_cast<Rating>(g)).stability, s)
                    << s << " " << t << " " << g;
            EXPECT_LE(f.nextState(m, t, Rating::Again).stability, s) << s << " " << t;
        }
}

TEST(Fsrs, longerWaitsBeforeASuccessGiveMoreStability) {
    const Fsrs f(FsrsParameters::defaults());
    const MemoryState m{10, 5};
    double prev = 0;
    for (double t = 1; t < 200; t += 3) {
        const double s = f.nextState(m, t, Rating::Good).stability;
        EXPECT_GE(s, prev) << t;
        prev = s;
    }
}

TEST(Fsrs, previewIntervalsFollowTheRatingOrder) {
    const Fsrs f(FsrsParameters::defaults());
    std::mt19937 gen(11);
    std::uniform_real_distribution<double> sDist(0.01, 5000), dDist(1, 10), tDist(0, 400);
    for (bool fuzz : {false, true})
        for (int i = 0; i < 2000; ++i) {
            SchedulingOptions o;
            o.fuzz = fuzz;
            o.desiredRetention = 0.7 + 0.29 * (i % 10) / 9.0;
            const std::optional<MemoryState> m =
                i % 50 == 0 ? std::nullopt : std::optional<MemoryState>(MemoryState{sDist(gen), dDist(gen)});
            const auto iv = f.previewIntervals(m, static_cast<int>(tDist(gen)), o, gen());
            EXPECT_GE(iv[0], 1);
            EXPECT_LE(iv[0], iv[1]);
            EXPECT_LT(iv[1], iv[2]);
            EXPECT_LT(iv[2], iv[3]);
        }
}

TEST(Fsrs, fuzzIsDeterministicBoundedAndActuallySpreads) {
    const Fsrs f(FsrsParameters::defaults());
    SchedulingOptions plain, fuzzy;
    fuzzy.fuzz = true;
    std::set<int> seen;
    for (uint64_t seed = 0; seed < 400; ++seed) {
        const int base = f.intervalDays(100, plain);
        const int a = f.intervalDays(100, fuzzy, seed * 7919);
        EXPECT_EQ(a, f.intervalDays(100, fuzzy, seed * 7919));
        EXPECT_GE(a, base - 7);  // 1 + 15% of 4.5 + 10% of 13 + 5% of 80 = 6.98 days either side
        EXPECT_LE(a, base + 7);
        seen.insert(a);
        const double draw = fsrsFuzzFactor(seed);
        EXPECT_GE(draw, 0.0);
        EXPECT_LT(draw, 1.0);
    }
    EXPECT_GE(seen.size(), 10u);
    // Short intervals are never fuzzed.
    EXPECT_EQ(f.intervalDays(1.2, fuzzy, 99), f.intervalDays(1.2, plain));
}

TEST(Fsrs, intervalsStayWithinOneDayAndTheMaximum) {
    const Fsrs f(FsrsParameters::defaults());
    SchedulingOptions o;
    o.maximumIntervalDays = 365;
    for (bool fuzz : {false, true}) {
        o.fuzz = fuzz;
        for (double s : {0.0001, 0.001, 0.3, 1.0, 50.0, 364.0, 5000.0, 1e9}) {
            const int iv = f.intervalDays(s, o, 12345);
            EXPECT_GE(iv, 1) << s;
            EXPECT_LE(iv, 365) << s;
        }
    }
    // At 90 % desired retention the interval is the stability (the definition of stability).
    EXPECT_EQ(f.intervalDays(42.0, SchedulingOptions{}), 42);
    SchedulingOptions lower;
    lower.desiredRetention = 0.8;
    EXPECT_GT(f.intervalDays(42.0, lower), 42);
}

TEST(Fsrs, stateStaysInsideTheReferenceBoundsWhateverTheHistory) {
    for (int set = 0; set < 3; ++set) {
        auto p = FsrsParameters::defaults();
        if (set == 1)
            p.w[20] = 0.8;
        if (set == 2)
            for (size_t i = 0; i < p.w.size(); ++i)
                p.w[i] = fsrsParameterBounds()[i].upper;
        const Fsrs f(p);
        std::mt19937 gen(static_cast<unsigned>(set));
        MemoryState m = f.initialState(Rating::Again);
        for (int i = 0; i < 3000; ++i) {
            const auto rating = static_cast<Rating>(1 + gen() % 4);
            const double t = (gen() % 3 == 0) ? 0.0 : static_cast<double>(gen() % 3000);
            m = f.nextState(m, t, rating);
            ASSERT_GE(m.stability, kFsrsMinStability);
            ASSERT_LE(m.stability, kFsrsMaxStability);
            ASSERT_GE(m.difficulty, 1.0);
            ASSERT_LE(m.difficulty, 10.0);
        }
    }
}

TEST(Fsrs, badInputIsClampedNeverThrownOrPropagatedAsNaN) {
    const Fsrs f(FsrsParameters::defaults());
    const auto m = f.nextState({-5, 42}, -3, Rating::Good);
    EXPECT_TRUE(std::isfinite(m.stability));
    EXPECT_GE(m.difficulty, 1.0);
    EXPECT_LE(m.difficulty, 10.0);
    EXPECT_TRUE(std::isfinite(f.retrievability(std::nan(""), 3)));
    SchedulingOptions o;
    o.desiredRetention = 7;  // out of range: the default 0.9 is used
    o.maximumIntervalDays = -4;
    EXPECT_EQ(f.intervalDays(10, o), 1);
    EXPECT_EQ(f.nextState({0, 0}, 5, Rating::Easy).stability, f.initialState(Rating::Easy).stability);
}

TEST(Fsrs, sameDayReviewsTakeTheLongTermFormulasAtRecallOne) {
    const Fsrs f(FsrsParameters::defaults());
    const auto w = FsrsParameters::defaults().w;
    const double s = 3.0, d = 5.0;
    // A pass on the same day changes difficulty only: R = 1 makes the growth term 0.
    for (Rating g : {Rating::Hard, Rating::Good, Rating::Easy}) {
        const auto next = f.nextState({s, d}, 0, g);
        EXPECT_DOUBLE_EQ(next.stability, s);
        EXPECT_DOUBLE_EQ(next.difficulty, f.nextDifficulty(d, g));
    }
    // A lapse on the same day: the post-lapse stability at R = 1, at most S.
    const double lapse = w[11] * std::pow(d, -w[12]) * (std::pow(s + 1.0, w[13]) - 1.0);
    EXPECT_NEAR(f.nextState({s, d}, 0, Rating::Again).stability, std::min(s, lapse), 1e-8);
    // The 957-day item of the outside check (Good, then Again an hour later): about a week, where the
    // short-term formula kept 216 days and scheduled them.
    const auto mature = f.nextState({957, d}, 0, Rating::Again);
    EXPECT_NEAR(mature.stability, w[11] * std::pow(d, -w[12]) * (std::pow(958.0, w[13]) - 1.0), 1e-6);
    const auto preview = f.previewIntervals(MemoryState{957, d}, 0, SchedulingOptions{});
    EXPECT_GE(preview[0], 5);
    EXPECT_LE(preview[0], 9);
    EXPECT_EQ(preview[0], f.intervalDays(mature.stability, SchedulingOptions{}));
}

TEST(Fsrs, aLapseNeverRaisesStabilityAndIsBoundedBySWhateverTheElapsedTime) {
    // The long-term bound is S itself (no e^(w17 w18) shrink): with parameters whose lapse formula
    // would exceed S, stability stays at S.
    auto p = FsrsParameters::defaults();
    p.w[11] = 5.0;
    p.w[13] = 0.9;
    p.w[14] = 4.0;
    const Fsrs f(p);
    for (double t : {0.0, 1.0, 30.0, 400.0}) {
        const auto next = f.nextState({2.0, 1.0}, t, Rating::Again);
        EXPECT_LE(next.stability, 2.0) << t;
        EXPECT_DOUBLE_EQ(next.stability, std::min(2.0, f.lapseStability(1.0, 2.0, f.retrievability(t, 2.0))))
            << t;
    }
}

}  // namespace
}  // namespace retain::core
