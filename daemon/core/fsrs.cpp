#include "core/fsrs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace retain::core {
namespace {

constexpr double kDefaultRetention = 0.9;

// JavaScript's Math.round: halves round up (towards +infinity), unlike std::round.
double jsRound(double x) {
    if (!std::isfinite(x))
        return x;
    double r = std::floor(x);
    if (x - r >= 0.5)  // exact: x - floor(x) is representable
        r += 1.0;
    return r;
}

// ts-fsrs roundTo(num, 8). The reference rounds many intermediates; doing the same keeps results
// bit-for-bit close enough that rounded intervals agree.
double round8(double x) {
    return jsRound(x * 100000000.0) / 100000000.0;
}

// ts-fsrs clamp(value, min, max) = min(max(value, min), max).
double clampJs(double v, double lo, double hi) {
    return std::min(std::max(v, lo), hi);
}

int gradeOf(Rating r) {
    return std::clamp(static_cast<int>(r), 1, 4);
}

// JavaScript ToUint32 of a finite double.
double toUint32(double h) {
    double t = std::fmod(std::trunc(h), 4294967296.0);
    if (t < 0)
        t += 4294967296.0;
    return t;
}

// Alea by Johannes Baagoe (MIT), as ts-fsrs ships it: Mash hashes the seed string into three
// fractions; each draw is a multiply-with-carry step. Doubles throughout, as in JavaScript.
class Mash {
public:
    double operator()(std::string_view data) {
        for (unsigned char ch : data) {
            m_n += static_cast<double>(ch);  // charCodeAt: our seeds are ASCII
            double h = 0.02519603282416938 * m_n;
            m_n = toUint32(h);
            h -= m_n;
            h *= m_n;
            m_n = toUint32(h);
            h -= m_n;
            m_n += h * 4294967296.0;
        }
        return toUint32(m_n) * 2.3283064365386963e-10;
    }

private:
    double m_n = 4022871197.0;  // 0xefc8249d
};

class Alea {
public:
    explicit Alea(std::string_view seed) {
        Mash mash;
        m_s0 = mash(" ");
        m_s1 = mash(" ");
        m_s2 = mash(" ");
        m_s0 -= mash(seed);
        if (m_s0 < 0)
            m_s0 += 1;
        m_s1 -= mash(seed);
        if (m_s1 < 0)
            m_s1 += 1;
        m_s2 -= mash(seed);
        if (m_s2 < 0)
            m_s2 += 1;
    }
    double next() {
        const double t = 2091639.0 * m_s0 + m_c * 2.3283064365386963e-10;
        m_s0 = m_s1;
        m_s1 = m_s2;
        m_c = std::trunc(t);  // t | 0, with 0 <= t < 2^31
        m_s2 = t - m_c;
        return m_s2;
    }

private:
    double m_c = 1;
    double m_s0 = 0, m_s1 = 0, m_s2 = 0;
};

struct FuzzRange {
    int minIvl = 0;
    int maxIvl = 0;
};

// ts-fsrs get_fuzz_range: +-15 % of the part of the interval between 2.5 and 7 days, +-10 % between
// 7 and 20, +-5 % beyond, never below 2 days nor (when the interval is longer than the elapsed time)
// at or below the elapsed time.
FuzzRange fuzzRange(double interval, int elapsedDays, int maximumInterval) {
    struct Band {
        double start, end, factor;
    };
    static constexpr Band kBands[] = {{2.5, 7.0, 0.15}, {7.0, 20.0, 0.1}, {20.0, HUGE_VAL, 0.05}};
    double delta = 1.0;
    for (const auto& b : kBands)
        delta += b.factor * std::max(std::min(interval, b.end) - b.start, 0.0);
    interval = std::min(interval, static_cast<double>(maximumInterval));
    double minIvl = std::max(2.0, jsRound(interval - delta));
    const double maxIvl = std::min(jsRound(interval + delta), static_cast<double>(maximumInterval));
    if (interval > elapsedDays)
        minIvl = std::max(minIvl, static_cast<double>(elapsedDays) + 1.0);
    minIvl = std::min(minIvl, maxIvl);
    return {static_cast<int>(minIvl), static_cast<int>(maxIvl)};
}

MemoryState sanitized(const MemoryState& s) {
    MemoryState out = s;
    if (!std::isfinite(out.stability))
        out.stability = kFsrsMinStability;
    if (!std::isfinite(out.difficulty))
        out.difficulty = kFsrsMaxDifficulty;
    out.stability = std::clamp(out.stability, kFsrsMinStability, kFsrsMaxStability);
    out.difficulty = std::clamp(out.difficulty, kFsrsMinDifficulty, kFsrsMaxDifficulty);
    return out;
}

}  // namespace

const std::array<ParameterBound, kFsrsParameterCount>& fsrsParameterBounds() {
    static const std::array<ParameterBound, kFsrsParameterCount> kBounds = {{
        {kFsrsMinStability, kFsrsMaxInitialStability},  // w0 initial stability (Again)
        {kFsrsMinStability, kFsrsMaxInitialStability},  // w1 initial stability (Hard)
        {kFsrsMinStability, kFsrsMaxInitialStability},  // w2 initial stability (Good)
        {kFsrsMinStability, kFsrsMaxInitialStability},  // w3 initial stability (Easy)
        {1.0, 10.0},                                    // w4 initial difficulty (Good)
        {0.001, 4.0},                                   // w5 initial difficulty (multiplier)
        {0.001, 4.0},                                   // w6 difficulty step
        {0.001, 0.75},                                  // w7 mean reversion
        {0.0, 4.5},                                     // w8 recall stability (exponent)
        {0.0, 0.8},                                     // w9 recall stability (negative power)
        {0.001, 3.5},                                   // w10 recall stability (R exponent)
        {0.001, 5.0},                                   // w11 lapse stability (multiplier)
        {0.001, 0.25},                                  // w12 lapse stability (D power)
        {0.001, 0.9},                                   // w13 lapse stability (S power)
        {0.0, 4.0},                                     // w14 lapse stability (R exponent)
        {0.0, 1.0},                                     // w15 hard penalty
        {1.0, 6.0},                                     // w16 easy bonus
        {0.0, 2.0},                                     // w17 same-day stability (exponent)
        {0.0, 2.0},                                     // w18 same-day stability (offset)
        {0.0, 0.8},                                     // w19 same-day stability (S power)
        {0.1, 0.8},                                     // w20 decay
    }};
    return kBounds;
}

FsrsParameters FsrsParameters::defaults() {
    return {{0.212,  1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001,  1.8722, 0.1666, 0.796,
             1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542}};
}

std::optional<std::string> FsrsParameters::validate() const {
    const auto& bounds = fsrsParameterBounds();
    for (int i = 0; i < kFsrsParameterCount; ++i) {
        const double v = w[static_cast<size_t>(i)];
        const auto& b = bounds[static_cast<size_t>(i)];
        char buf[160];
        if (!std::isfinite(v)) {
            std::snprintf(buf, sizeof buf, "w[%d] is not a finite number", i);
            return std::string(buf);
        }
        if (v < b.lower || v > b.upper) {
            std::snprintf(buf, sizeof buf, "w[%d] = %g is outside [%g, %g]", i, v, b.lower, b.upper);
            return std::string(buf);
        }
    }
    return std::nullopt;
}

FsrsParameters FsrsParameters::clipped() const {
    FsrsParameters out = *this;
    const auto& bounds = fsrsParameterBounds();
    for (size_t i = 0; i < out.w.size(); ++i) {
        const double v = std::isfinite(out.w[i]) ? out.w[i] : 0.0;  // JS: `parameters[i] || 0`
        out.w[i] = clampJs(v, bounds[i].lower, bounds[i].upper);
    }
    return out;
}

Fsrs::Fsrs(FsrsParameters parameters) : m_parameters(parameters.clipped()) {
    // ts-fsrs computeDecayFactor: decay = -w20, factor = e^(ln 0.9 / decay) - 1, rounded.
    m_decay = -m_parameters.w[20];
    m_factor = round8(std::exp(std::pow(m_decay, -1.0) * std::log(0.9)) - 1.0);
}

double Fsrs::retrievability(double elapsedDays, double stability) const {
    const double t = std::isfinite(elapsedDays) ? std::max(elapsedDays, 0.0) : 0.0;
    const double s = std::isfinite(stability) ? clampJs(stability, kFsrsMinStability, kFsrsMaxStability)
                                              : kFsrsMinStability;
    return round8(std::pow(1.0 + (m_factor * t) / s, m_decay));
}

double Fsrs::initialStability(Rating rating) const {
    return std::max(m_parameters.w[static_cast<size_t>(gradeOf(rating) - 1)], 0.1);
}

double Fsrs::initialDifficulty(Rating rating) const {
    const auto& w = m_parameters.w;
    return round8(w[4] - std::exp((gradeOf(rating) - 1) * w[5]) + 1.0);
}

MemoryState Fsrs::initialState(Rating rating) const {
    return {initialStability(rating),
            clampJs(initialDifficulty(rating), kFsrsMinDifficulty, kFsrsMaxDifficulty)};
}

double Fsrs::nextDifficulty(double d, Rating rating) const {
    const auto& w = m_parameters.w;
    const double deltaD = -w[6] * (gradeOf(rating) - 3);
    // Linear damping: the step shrinks as D approaches 10.
    const double nextD = d + round8((deltaD * (10.0 - d)) / 9.0);
    // Mean reversion towards D0(Easy).
    const double reverted = round8(w[7] * initialDifficulty(Rating::Easy) + (1.0 - w[7]) * nextD);
    return clampJs(reverted, kFsrsMinDifficulty, kFsrsMaxDifficulty);
}

double Fsrs::recallStability(double d, double s, double r, Rating rating) const {
    const auto& w = m_parameters.w;
    const double hardPenalty = rating == Rating::Hard ? w[15] : 1.0;
    const double easyBonus = rating == Rating::Easy ? w[16] : 1.0;
    return round8(clampJs(s * (1.0 + std::exp(w[8]) * (11.0 - d) * std::pow(s, -w[9]) *
                                         (std::exp((1.0 - r) * w[10]) - 1.0) * hardPenalty * easyBonus),
                          kFsrsMinStability, kFsrsMaxStability));
}

double Fsrs::lapseStability(double d, double s, double r) const {
    const auto& w = m_parameters.w;
    return round8(
        clampJs(w[11] * std::pow(d, -w[12]) * (std::pow(s + 1.0, w[13]) - 1.0) * std::exp((1.0 - r) * w[14]),
                kFsrsMinStability, kFsrsMaxStability));
}

MemoryState Fsrs::nextState(const MemoryState& state, double elapsedDays, Rating rating) const {
    if (state.difficulty == 0 && state.stability == 0)
        return initialState(rating);
    const MemoryState cur = sanitized(state);
    const double t = std::isfinite(elapsedDays) ? std::max(elapsedDays, 0.0) : 0.0;
    const double r = retrievability(t, cur.stability);  // 1 on the same day
    double newS = 0;
    if (rating == Rating::Again) {
        // A lapse never raises stability (long-term mode: the bound is S itself, with no same-day
        // shrink factor e^(w17 w18)).
        const double afterFail = lapseStability(cur.difficulty, cur.stability, r);
        newS = clampJs(round8(cur.stability), kFsrsMinStability, afterFail);
    } else {
        newS = recallStability(cur.difficulty, cur.stability, r, rating);
    }
    return {newS, nextDifficulty(cur.difficulty, rating)};
}

double Fsrs::intervalModifier(double desiredRetention) const {
    const double r = std::isfinite(desiredRetention) && desiredRetention > 0 && desiredRetention <= 1
                         ? desiredRetention
                         : kDefaultRetention;
    return round8((std::pow(r, 1.0 / m_decay) - 1.0) / m_factor);
}

double fsrsFuzzFactor(uint64_t seed) {
    Alea alea(std::to_string(seed));
    return alea.next();
}

int Fsrs::intervalDays(double stability, const SchedulingOptions& options, uint64_t fuzzSeed,
                       int elapsedDays) const {
    const int maximum = std::max(1, options.maximumIntervalDays);
    const double s = std::isfinite(stability) ? stability : kFsrsMinStability;
    const double raw = std::min(std::max(1.0, jsRound(s * intervalModifier(options.desiredRetention))),
                                static_cast<double>(maximum));
    if (!options.fuzz || raw < 2.5)
        return static_cast<int>(jsRound(raw));
    const auto range = fuzzRange(raw, std::max(0, elapsedDays), maximum);
    const double draw = fsrsFuzzFactor(fuzzSeed);
    return static_cast<int>(std::floor(draw * (range.maxIvl - range.minIvl + 1) + range.minIvl));
}

std::array<int, 4> Fsrs::previewIntervals(const std::optional<MemoryState>& state, int elapsedDays,
                                          const SchedulingOptions& options, uint64_t fuzzSeed) const {
    const bool isNew = !state || (state->difficulty == 0 && state->stability == 0);
    const int elapsed = isNew ? 0 : std::max(0, elapsedDays);
    std::array<int, 4> out{};
    for (int g = 1; g <= 4; ++g) {
        const auto rating = static_cast<Rating>(g);
        const MemoryState next = isNew ? initialState(rating) : nextState(*state, elapsed, rating);
        out[static_cast<size_t>(g - 1)] = intervalDays(next.stability, options, fuzzSeed, elapsed);
    }
    // The reference's order constraints, applied in this sequence.
    out[0] = std::min(out[0], out[1]);
    out[1] = std::max(out[1], out[0] + 1);
    out[2] = std::max(out[2], out[1] + 1);
    out[3] = std::max(out[3], out[2] + 1);
    return out;
}

}  // namespace retain::core
