#pragma once
// FSRS-6 memory model: the published formulas, mirroring the reference implementation ts-fsrs 5.x in
// its long-term mode (enable_short_term = false: the LongTermScheduler, whole days, no learning or
// relearning steps in minutes, and no same-day stability formula). The golden vectors in
// tests/data/fsrs/ are produced by ts-fsrs itself in exactly that mode (tools/fsrs-golden/generate.mjs)
// and tests/core/fsrs_test.cpp checks agreement.
//
// Same-day reviews (elapsed 0 days: a drill, a review of mistakes, a failed item shown again later in
// a session) take the long-term formulas with retrievability 1: a pass leaves stability where it was
// (nothing was at risk, so nothing is learned about the long term), and a lapse takes the post-lapse
// stability, never above the stability before it. So a lapse always schedules a relearning interval,
// the same whether the item was last seen a month or an hour ago: a 957-day item forgotten an hour
// after a Good comes back in about a week, not in 216 days as the short-term formula combined with
// long-term intervals would give. w17..w19 (the short-term formula's weights) are kept in the
// parameter vector for compatibility and play no part.
//
// Mirrored exactly, including the reference's numerics: every intermediate it rounds to 8 decimals
// (decay factor, interval modifier, retrievability, difficulty steps, stabilities) is rounded the
// same way with JavaScript's Math.round semantics, so interval boundaries (which round) agree too.
//
// Deviations from ts-fsrs, all at the API edge (the formulas are unchanged):
// - The reference throws on bad input; this class never throws. A negative elapsed time is treated
//   as 0, a memory state outside [S_MIN, S_MAX] x [1, 10] is clamped into it first, a desired
//   retention outside (0, 1] falls back to 0.9 and a maximum interval below 1 is treated as 1.
// - Elapsed time is given in days by the caller (whole study days between the learner's days, with
//   the learner's rollover hour); ts-fsrs derives the same number from UTC calendar dates.
// - The fuzz seed is a number; the generator is the reference's Alea seeded with its decimal string,
//   so a seed gives the same fuzz as ts-fsrs given that string by a seed strategy.

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace retain::core {

enum class Rating : int { Again = 1, Hard = 2, Good = 3, Easy = 4 };

inline constexpr int kFsrsParameterCount = 21;
inline constexpr double kFsrsMinStability = 0.001;    // ts-fsrs S_MIN
inline constexpr double kFsrsMaxStability = 36500.0;  // ts-fsrs S_MAX
inline constexpr double kFsrsMaxInitialStability = 100.0;
inline constexpr double kFsrsMinDifficulty = 1.0;
inline constexpr double kFsrsMaxDifficulty = 10.0;

// The closed interval a parameter is clipped to (ts-fsrs CLAMP_PARAMETERS with the short-term
// formula disabled and at most one relearning step; w19's floor is 0 in that mode).
struct ParameterBound {
    double lower = 0;
    double upper = 0;
};
const std::array<ParameterBound, kFsrsParameterCount>& fsrsParameterBounds();

struct FsrsParameters {
    // w0..w3 initial stabilities (Again..Easy), w4..w7 difficulty, w8..w10 recall stability,
    // w11..w14 lapse stability, w15 hard penalty, w16 easy bonus, w17..w19 the short-term
    // formula's (unused in long-term mode), w20 decay of the forgetting curve.
    std::array<double, kFsrsParameterCount> w{};

    // The published FSRS-6 default weights.
    static FsrsParameters defaults();
    // nullopt when every weight is finite and inside its bound; otherwise a message naming the first
    // bad index (e.g. "w[20] = 0.05 is outside [0.1, 0.8]").
    std::optional<std::string> validate() const;
    // Each weight clamped to its bound (a non-finite weight becomes 0 first), as the reference does
    // with any parameters it is given.
    FsrsParameters clipped() const;
};

struct MemoryState {
    double stability = 0;   // days until retrievability falls to 90 %
    double difficulty = 0;  // 1 (easy) .. 10 (hard)
};

struct SchedulingOptions {
    double desiredRetention = 0.9;
    int maximumIntervalDays = 36500;
    bool fuzz = false;
};

// Pure, cheap to copy, thread-safe for const use.
class Fsrs {
public:
    // The parameters are clipped to fsrsParameterBounds() (the reference clips silently too).
    explicit Fsrs(FsrsParameters parameters);

    const FsrsParameters& parameters() const { return m_parameters; }
    double decay() const { return m_decay; }    // -w20
    double factor() const { return m_factor; }  // 0.9^(1/decay) - 1, rounded like the reference

    // R(t, S) = (1 + factor * t / S)^decay, in [0, 1]. t < 0 counts as 0; S is clamped to
    // [S_MIN, S_MAX].
    double retrievability(double elapsedDays, double stability) const;
    // Memory after the first review.
    MemoryState initialState(Rating rating) const;
    // Memory after a review `elapsedDays` after the previous one. elapsedDays == 0 is a same-day
    // review: the same formulas at retrievability 1 (see the top of this file). A state of {0, 0}
    // means "never reviewed" (initialState), as in the reference.
    MemoryState nextState(const MemoryState& state, double elapsedDays, Rating rating) const;
    // Interval in whole days for the given stability at the desired retention, clamped to
    // [1, maximumIntervalDays]; with options.fuzz, intervals of 3 days and more are spread
    // deterministically by fuzzSeed within the reference's fuzz range (which depends on
    // elapsedDays, the days since the previous review).
    int intervalDays(double stability, const SchedulingOptions& options, uint64_t fuzzSeed = 0,
                     int elapsedDays = 0) const;
    // The intervals the four ratings would get now (index 0 = Again), with the reference's
    // rating-order constraints: again <= hard < good < easy. `state` is nullopt for a new item
    // (then elapsedDays is ignored, as in the reference). All four share one fuzz draw. The interval
    // the reference schedules after a review is previewIntervals(before, elapsed, ...)[rating - 1].
    // As in the reference, the order constraint is applied after the maximum, so Hard/Good/Easy
    // can exceed maximumIntervalDays by up to 3 days when the cap is reached.
    std::array<int, 4> previewIntervals(const std::optional<MemoryState>& state, int elapsedDays,
                                        const SchedulingOptions& options, uint64_t fuzzSeed = 0) const;

    // The reference's building blocks, exposed for tests and the optimiser's cross-checks.
    double initialStability(Rating rating) const;
    double initialDifficulty(Rating rating) const;  // unclamped, as used by mean reversion
    double nextDifficulty(double difficulty, Rating rating) const;
    double recallStability(double difficulty, double stability, double retrievability, Rating rating) const;
    double lapseStability(double difficulty, double stability, double retrievability) const;
    double intervalModifier(double desiredRetention) const;

private:
    FsrsParameters m_parameters;
    double m_decay = -0.1542;
    double m_factor = 0;
};

// The fuzz draw in [0, 1): the reference's Alea generator seeded with the decimal string of `seed`.
double fsrsFuzzFactor(uint64_t seed);

}  // namespace retain::core
