// The optimiser's model, loss, gradient, training loop, metrics, cross-validation and adoption
// rule. The data side (items, outlier filter, pre-training, folds) is in fsrs_optimizer_data.cpp.
#include "core/fsrs_optimizer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <tuple>

namespace retain::core {
namespace {

constexpr size_t kN = kFsrsParameterCount;
// Population spread of each parameter (fsrs-rs PARAMS_STDDEV): the L2 pull is measured in these.
constexpr std::array<double, kN> kParameterSpread = {6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6,  0.12, 0.39, 0.18, 0.33,
                                                     0.3,  0.09, 0.16,  0.57,  0.25, 1.03, 0.31, 0.32, 0.14, 0.27};
// Predictions are kept this far from 0 and 1 so the log loss stays finite.
constexpr double kProbabilityGuard = 1e-9;

// ---- Forward-mode automatic differentiation: a value and its 21 partial derivatives. ----------
struct Dual {
    Dual() = default;
    explicit Dual(double x) : v(x) {}  // a constant: no derivative
    double v = 0;
    std::array<double, kN> d{};
};
inline double value(double x) { return x; }
inline double value(const Dual& x) { return x.v; }

inline Dual operator+(Dual a, const Dual& b) {
    a.v += b.v;
    for (size_t i = 0; i < kN; ++i)
        a.d[i] += b.d[i];
    return a;
}
inline Dual operator+(Dual a, double b) {
    a.v += b;
    return a;
}
inline Dual operator+(double a, Dual b) { return b + a; }
inline Dual operator-(Dual a, const Dual& b) {
    a.v -= b.v;
    for (size_t i = 0; i < kN; ++i)
        a.d[i] -= b.d[i];
    return a;
}
inline Dual operator-(Dual a, double b) {
    a.v -= b;
    return a;
}
inline Dual operator-(double a, Dual b) {
    b.v = a - b.v;
    for (auto& x : b.d)
        x = -x;
    return b;
}
inline Dual operator-(Dual a) { return 0.0 - a; }
inline Dual operator*(const Dual& a, const Dual& b) {
    Dual r;
    r.v = a.v * b.v;
    for (size_t i = 0; i < kN; ++i)
        r.d[i] = a.d[i] * b.v + b.d[i] * a.v;
    return r;
}
inline Dual operator*(Dual a, double b) {
    a.v *= b;
    for (auto& x : a.d)
        x *= b;
    return a;
}
inline Dual operator*(double a, Dual b) { return b * a; }
inline Dual operator/(const Dual& a, const Dual& b) {
    Dual r;
    r.v = a.v / b.v;
    const double inv = 1.0 / b.v;
    for (size_t i = 0; i < kN; ++i)
        r.d[i] = (a.d[i] - r.v * b.d[i]) * inv;
    return r;
}
inline Dual operator/(Dual a, double b) { return a * (1.0 / b); }
inline Dual operator/(double a, const Dual& b) {
    Dual r;
    r.v = a / b.v;
    const double k = -r.v / b.v;
    for (size_t i = 0; i < kN; ++i)
        r.d[i] = k * b.d[i];
    return r;
}
// Applies f with f(x.v) = fv and f'(x.v) = dfv.
inline Dual chain(Dual x, double fv, double dfv) {
    x.v = fv;
    for (auto& g : x.d)
        g *= dfv;
    return x;
}
inline Dual exp(const Dual& x) {
    const double e = std::exp(x.v);
    return chain(x, e, e);
}
inline Dual log(const Dual& x) { return chain(x, std::log(x.v), 1.0 / x.v); }
inline Dual pow(const Dual& x, double p) { return chain(x, std::pow(x.v, p), p * std::pow(x.v, p - 1.0)); }
inline Dual pow(const Dual& x, const Dual& p) { return exp(p * log(x)); }
inline double exp(double x) { return std::exp(x); }
inline double log(double x) { return std::log(x); }
inline double pow(double x, double p) { return std::pow(x, p); }

// Selections by value; the derivative follows the chosen branch, as autodiff of min/max/clamp does.
template <typename T>
T clampValue(const T& x, double lo, double hi) {
    if (value(x) < lo)
        return T(lo);
    if (value(x) > hi)
        return T(hi);
    return x;
}
template <>
Dual clampValue<Dual>(const Dual& x, double lo, double hi) {
    Dual r;
    if (value(x) < lo)
        r.v = lo;
    else if (value(x) > hi)
        r.v = hi;
    else
        r = x;
    return r;
}
template <typename T>
const T& minByValue(const T& a, const T& b) {
    return value(b) < value(a) ? b : a;
}

// ---- The FSRS-6 model of core/fsrs.h without its 8-decimal rounding, over double or Dual. ------
template <typename T>
struct Model {
    std::array<T, kN> w;
    T decay;
    T factor;
    T easyDifficulty;  // D0(Easy), the mean-reversion target

    explicit Model(const std::array<T, kN>& weights) : w(weights) {
        decay = -w[20];
        factor = exp(std::log(0.9) / decay) - 1.0;
        easyDifficulty = w[4] - exp(3.0 * w[5]) + 1.0;
    }

    T retrievability(double t, const T& s) const { return pow(1.0 + factor * t / s, decay); }

    void init(int g, T& s, T& d) const {
        // ts-fsrs: S0 = max(w[G-1], 0.1).
        s = value(w[static_cast<size_t>(g - 1)]) < 0.1 ? T(0.1) : w[static_cast<size_t>(g - 1)];
        d = clampValue(w[4] - exp(static_cast<double>(g - 1) * w[5]) + 1.0, 1.0, 10.0);
    }

    void step(double t, int g, T& s, T& d) const {
        T next;
        if (t == 0) {
            T sinc = pow(s, -w[19]) * exp(w[17] * (static_cast<double>(g - 3) + w[18]));
            if (g >= 2 && value(sinc) < 1.0)
                sinc = T(1.0);
            next = s * sinc;
        } else {
            const T r = retrievability(t, s);
            if (g == 1) {
                const T fail = clampValue(w[11] * pow(d, -w[12]) * (pow(s + 1.0, w[13]) - 1.0) * exp((1.0 - r) * w[14]),
                                          kFsrsMinStability, kFsrsMaxStability);
                const T bound = clampValue(s / exp(w[17] * w[18]), kFsrsMinStability, kFsrsMaxStability);
                next = minByValue(bound, fail);
            } else {
                T growth = exp(w[8]) * (11.0 - d) * pow(s, -w[9]) * (exp((1.0 - r) * w[10]) - 1.0);
                if (g == 2)
                    growth = growth * w[15];
                if (g == 4)
                    growth = growth * w[16];
                next = s * (growth + 1.0);
            }
        }
        s = clampValue(next, kFsrsMinStability, kFsrsMaxStability);
        const T damped = d + (-w[6] * static_cast<double>(g - 3)) * (10.0 - d) / 9.0;
        d = clampValue(w[7] * easyDifficulty + (1.0 - w[7]) * damped, 1.0, 10.0);
    }

    // Probability of recall at the item's last review, from the reviews before it.
    T predict(const FsrsDataset& data, const FsrsTrainingItem& item) const {
        const auto& reviews = data.cards[item.card];
        T s, d;
        init(reviews[0].rating, s, d);
        for (uint32_t i = 1; i + 1 < item.length; ++i)
            step(static_cast<double>(reviews[i].deltaDays), reviews[i].rating, s, d);
        return retrievability(static_cast<double>(reviews[item.length - 1].deltaDays), s);
    }
};

std::array<Dual, kN> seeded(const FsrsParameters& p) {
    std::array<Dual, kN> w;
    for (size_t i = 0; i < kN; ++i) {
        w[i].v = p.w[i];
        w[i].d[i] = 1.0;
    }
    return w;
}

double guard(double p) { return std::clamp(p, kProbabilityGuard, 1.0 - kProbabilityGuard); }

// Adds weight * BCE of one item to `loss` and its gradient to `grad`.
void accumulate(const Model<Dual>& model, const FsrsDataset& data, const FsrsTrainingItem& item, double weight,
                double& loss, std::array<double, kN>& grad) {
    const Dual p = model.predict(data, item);
    const double pv = guard(p.v);
    const bool recalled = data.current(item).rating > 1;
    loss += -weight * (recalled ? std::log(pv) : std::log(1.0 - pv));
    if (pv != p.v)
        return;  // the guard is flat
    const double dLdp = recalled ? -weight / pv : weight / (1.0 - pv);
    for (size_t i = 0; i < kN; ++i)
        grad[i] += dLdp * p.d[i];
}

double l2Penalty(const FsrsParameters& w, const FsrsParameters& start) {
    double sum = 0;
    for (size_t i = 0; i < kN; ++i) {
        const double z = (w.w[i] - start.w[i]) / kParameterSpread[i];
        sum += z * z;
    }
    return sum;
}

// Mean-free weighted loss of a whole set plus the full L2 penalty, per item (the reference's
// epoch-end validation loss).
double fullLoss(const FsrsDataset& data, std::span<const FsrsTrainingItem> items, std::span<const double> weights,
                const FsrsParameters& w, const FsrsParameters& start, double gamma) {
    const Model<double> model(w.w);
    double sum = 0;
    for (size_t k = 0; k < items.size(); ++k) {
        const double p = guard(model.predict(data, items[k]));
        sum += -weights[k] * (data.current(items[k]).rating > 1 ? std::log(p) : std::log(1.0 - p));
    }
    return (sum + gamma * l2Penalty(w, start)) / static_cast<double>(std::max<size_t>(1, items.size()));
}

struct Adam {
    std::array<double, kN> m{}, v{};
    int t = 0;
    void step(double lr, std::array<double, kN>& w, const std::array<double, kN>& g) {
        constexpr double kB1 = 0.9, kB2 = 0.999, kEps = 1e-8;
        ++t;
        const double c1 = 1.0 - std::pow(kB1, t), c2 = 1.0 - std::pow(kB2, t);
        for (size_t i = 0; i < kN; ++i) {
            m[i] = m[i] * kB1 + g[i] * (1.0 - kB1);
            v[i] = v[i] * kB2 + g[i] * g[i] * (1.0 - kB2);
            w[i] -= lr * (m[i] / c1) / (std::sqrt(v[i] / c2) + kEps);
        }
    }
};

}  // namespace

std::vector<double> predictRecall(const FsrsDataset& data, std::span<const FsrsTrainingItem> items,
                                  const FsrsParameters& parameters) {
    const Model<double> model(parameters.clipped().w);
    std::vector<double> out;
    out.reserve(items.size());
    for (const auto& item : items)
        out.push_back(model.predict(data, item));
    return out;
}

double fsrsLoss(const FsrsDataset& data, std::span<const FsrsTrainingItem> items, std::span<const double> weights,
                const FsrsParameters& parameters, std::array<double, kN>* gradient) {
    if (items.empty())
        return 0;
    auto weightOf = [&](size_t k) { return k < weights.size() ? weights[k] : 1.0; };
    double loss = 0, total = 0;
    if (gradient) {
        gradient->fill(0);
        const Model<Dual> model(seeded(parameters));
        for (size_t k = 0; k < items.size(); ++k) {
            accumulate(model, data, items[k], weightOf(k), loss, *gradient);
            total += weightOf(k);
        }
        for (auto& g : *gradient)
            g /= total;
    } else {
        const Model<double> model(parameters.w);
        for (size_t k = 0; k < items.size(); ++k) {
            const double p = guard(model.predict(data, items[k]));
            loss += -weightOf(k) * (data.current(items[k]).rating > 1 ? std::log(p) : std::log(1.0 - p));
            total += weightOf(k);
        }
    }
    return loss / total;
}

FsrsFit fitFsrsParameters(const FsrsDataset& data, std::span<const FsrsTrainingItem> train,
                          const FsrsOptimizerConfig& config) {
    FsrsFit fit;
    fit.parameters = FsrsParameters::defaults();
    double recalled = 0;
    for (const auto& item : train)
        recalled += data.current(item).rating > 1;
    const double averageRecall = train.empty() ? 0.0 : recalled / static_cast<double>(train.size());
    auto prepared = prepareFsrsTrainingData(data, train, config.filterOutliers);
    fit.pretrainingItems = prepared.pretrain.size();
    if (prepared.train.size() < 8) {
        fit.note = "fewer than 8 usable reviews: default parameters";
        return fit;
    }
    const auto pretrained = pretrainInitialStability(data, prepared.pretrain, averageRecall);
    if (!pretrained) {
        fit.note = pretrained.error().message + ": default parameters";
        return fit;
    }
    fit.pretrainedInitialStability = pretrained->stability;
    std::copy(pretrained->stability.begin(), pretrained->stability.end(), fit.parameters.w.begin());
    fit.parameters = fit.parameters.clipped();
    if (prepared.train.size() == prepared.pretrain.size() || prepared.train.size() < 64) {
        fit.note = "too few reviews beyond first reviews for training: pre-trained initial stabilities only";
        fit.trainingItems = prepared.train.size();
        return fit;
    }

    // Recency weights over the time order, then the sequence-length cap (weights are assigned first,
    // as in the reference).
    std::vector<FsrsTrainingItem> items;
    std::vector<double> weights;
    const double denominator = std::max(1.0, static_cast<double>(prepared.train.size()) - 1.0);
    for (size_t k = 0; k < prepared.train.size(); ++k) {
        if (prepared.train[k].length - 1 > static_cast<uint32_t>(config.maxSequenceLength))
            continue;  // history longer than the cap (the reference caps reviews.len() incl. current)
        items.push_back(prepared.train[k]);
        weights.push_back(config.recencyWeighting ? 0.25 + 0.75 * std::pow(static_cast<double>(k) / denominator, 3) : 1.0);
    }
    fit.trainingItems = items.size();
    const size_t n = items.size();
    if (n == 0) {
        fit.note = "every history is longer than the sequence cap: pre-trained initial stabilities only";
        return fit;
    }
    const size_t batchSize = static_cast<size_t>(std::max(1, config.batchSize));
    const int epochs = std::max(1, config.epochs);
    const double iterations = static_cast<double>((n / batchSize + 1) * static_cast<size_t>(epochs));

    const FsrsParameters start = fit.parameters;
    FsrsParameters w = start;
    FsrsParameters best = start;
    double bestLoss = HUGE_VAL;
    Adam adam;
    std::mt19937_64 rng(config.seed);
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t{0});
    int stepCount = 0;
    for (int epoch = 1; epoch <= epochs; ++epoch) {
        std::shuffle(order.begin(), order.end(), rng);
        for (size_t begin = 0; begin < n; begin += batchSize) {
            const size_t end = std::min(n, begin + batchSize);
            ++stepCount;
            // Cosine annealing from the initial rate towards 0 over all iterations.
            const double lr = config.learningRate * 0.5 * (1.0 + std::cos(M_PI * stepCount / iterations));
            std::array<double, kN> grad{};
            double loss = 0;
            const Model<Dual> model(seeded(w));
            for (size_t k = begin; k < end; ++k)
                accumulate(model, data, items[order[k]], weights[order[k]], loss, grad);
            // L2 pull, scaled by this batch's share of the data.
            const double share = config.l2Gamma * static_cast<double>(end - begin) / static_cast<double>(n);
            for (size_t i = 0; i < kN; ++i)
                grad[i] += 2.0 * share * (w.w[i] - start.w[i]) / (kParameterSpread[i] * kParameterSpread[i]);
            if (!config.trainInitialStability)
                std::fill(grad.begin(), grad.begin() + 4, 0.0);
            if (!config.trainShortTerm)
                std::fill(grad.begin() + 17, grad.begin() + 20, 0.0);
            adam.step(lr, w.w, grad);
            w = w.clipped();
        }
        const double epochLoss = fullLoss(data, items, weights, w, start, config.l2Gamma);
        if (epochLoss < bestLoss) {
            bestLoss = epochLoss;
            best = w;
            fit.bestEpoch = epoch;
        }
    }
    fit.trainingLoss = bestLoss;
    std::array<std::optional<double>, 4> s0;
    for (size_t i = 0; i < 4; ++i)
        s0[i] = best.w[i];
    if (const auto smoothed = smoothInitialStability(s0, pretrained->counts))
        std::copy(smoothed->begin(), smoothed->end(), best.w.begin());
    fit.parameters = best.clipped();
    return fit;
}

FsrsEvaluation evaluatePredictions(const FsrsDataset& data, std::span<const FsrsTrainingItem> items,
                                   std::span<const double> predictions) {
    FsrsEvaluation e;
    e.count = std::min(items.size(), predictions.size());
    if (e.count == 0)
        return e;
    struct Bin {
        double predicted = 0, actual = 0, count = 0;
    };
    std::map<std::tuple<uint32_t, uint32_t, uint32_t>, Bin> bins;
    std::vector<std::pair<double, int>> ranked;
    ranked.reserve(e.count);
    double loss = 0;
    for (size_t k = 0; k < e.count; ++k) {
        const auto& item = items[k];
        const double p = guard(predictions[k]);
        const int y = data.current(item).rating > 1;
        loss += -(y ? std::log(p) : std::log(1.0 - p));
        ranked.emplace_back(predictions[k], y);
        // The FSRS benchmark's bins: interval, number of long-term reviews, number of lapses.
        const auto& reviews = data.cards[item.card];
        const double delta = reviews[item.length - 1].deltaDays;
        const auto deltaBin = static_cast<uint32_t>(
            std::round(2.48 * std::pow(3.62, std::floor(std::log(delta) / std::log(3.62))) * 100.0));
        double longTerm = 0, lapses = 0;
        for (uint32_t i = 0; i < item.length; ++i) {
            longTerm += reviews[i].deltaDays > 0;
            if (i + 1 < item.length)
                lapses += reviews[i].rating == 1 && reviews[i].deltaDays > 0;
        }
        const double length = longTerm + 1.0;
        const auto lengthBin =
            static_cast<uint32_t>(std::round(1.99 * std::pow(1.89, std::floor(std::log(length) / std::log(1.89)))));
        const auto lapseBin = lapses == 0 ? 0u
                                          : static_cast<uint32_t>(std::round(
                                                1.65 * std::pow(1.73, std::floor(std::log(lapses) / std::log(1.73)))));
        auto& b = bins[{deltaBin, lengthBin, lapseBin}];
        b.predicted += predictions[k];
        b.actual += y;
        b.count += 1;
    }
    e.logLoss = loss / static_cast<double>(e.count);
    double sq = 0, total = 0;
    for (const auto& [key, b] : bins) {
        const double diff = b.predicted / b.count - b.actual / b.count;
        sq += diff * diff * b.count;
        total += b.count;
    }
    e.rmseBins = std::sqrt(sq / total);
    // AUC by rank sums (Mann-Whitney U), ties sharing their average rank.
    std::sort(ranked.begin(), ranked.end());
    double positives = 0, rankSum = 0;
    for (size_t i = 0; i < ranked.size();) {
        size_t j = i;
        while (j < ranked.size() && ranked[j].first == ranked[i].first)
            ++j;
        const double avgRank = (static_cast<double>(i) + static_cast<double>(j - 1)) / 2.0 + 1.0;
        for (size_t k = i; k < j; ++k)
            if (ranked[k].second) {
                positives += 1;
                rankSum += avgRank;
            }
        i = j;
    }
    const double negatives = static_cast<double>(ranked.size()) - positives;
    e.auc = positives == 0 || negatives == 0 ? 0.5
                                             : (rankSum - positives * (positives + 1) / 2.0) / (positives * negatives);
    return e;
}

FsrsEvaluation evaluateFsrs(const FsrsDataset& data, std::span<const FsrsTrainingItem> items,
                            const FsrsParameters& parameters) {
    const auto predictions = predictRecall(data, items, parameters);
    return evaluatePredictions(data, items, predictions);
}

FsrsCrossValidation crossValidateFsrs(const FsrsDataset& data, int folds, const FsrsOptimizerConfig& config) {
    FsrsCrossValidation cv;
    std::vector<FsrsTrainingItem> testItems;
    std::vector<double> predictions;
    const std::span<const FsrsTrainingItem> all(data.items);
    for (const auto& fold : timeSeriesSplits(all.size(), folds)) {
        const auto fit = fitFsrsParameters(data, all.subspan(0, fold.trainEnd), config);
        const auto test = all.subspan(fold.testBegin, fold.testEnd - fold.testBegin);
        const auto p = predictRecall(data, test, fit.parameters);
        cv.perFold.push_back(evaluatePredictions(data, test, p));
        cv.parameters.push_back(fit.parameters);
        testItems.insert(testItems.end(), test.begin(), test.end());
        predictions.insert(predictions.end(), p.begin(), p.end());
    }
    cv.pooled = evaluatePredictions(data, testItems, predictions);
    return cv;
}

FsrsAdoption decideFsrsAdoption(const FsrsDataset& data, std::span<const FsrsTrainingItem> heldOut,
                                const FsrsParameters& current, const FsrsParameters& candidate,
                                double minImprovement) {
    FsrsAdoption a;
    if (heldOut.empty()) {
        a.reason = "no held-out reviews to compare on: keeping the current parameters";
        return a;
    }
    if (const auto bad = candidate.validate()) {
        a.reason = "candidate parameters are invalid (" + *bad + "): keeping the current parameters";
        return a;
    }
    a.currentLogLoss = evaluateFsrs(data, heldOut, current).logLoss;
    a.candidateLogLoss = evaluateFsrs(data, heldOut, candidate).logLoss;
    a.adopt = a.candidateLogLoss < a.currentLogLoss - minImprovement;
    a.reason = a.adopt ? "held-out log loss improves" : "held-out log loss does not improve enough";
    return a;
}

}  // namespace retain::core
