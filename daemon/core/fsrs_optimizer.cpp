// The optimiser's model, loss, gradient and training loop. The data side (items, outlier filter,
// pre-training, folds) is in fsrs_optimizer_data.cpp; metrics, cross-validation and the adoption
// rule in fsrs_optimizer_eval.cpp.
#include "core/fsrs_optimizer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace retain::core {
namespace {

constexpr size_t kN = kFsrsParameterCount;
// Population spread of each parameter (fsrs-rs PARAMS_STDDEV): the L2 pull is measured in these.
constexpr std::array<double, kN> kParameterSpread = {6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6,
                                                     0.12, 0.39, 0.18,  0.33,  0.3,  0.09, 0.16,
                                                     0.57, 0.25, 1.03,  0.31,  0.32, 0.14, 0.27};
// Predictions are kept this far from 0 and 1 so the log loss stays finite.
constexpr double kProbabilityGuard = 1e-9;

// ---- Reverse-mode automatic differentiation on a small tape -----------------------------------
// Every operation on a Var appends a node with the local partial derivatives towards its (at most
// two) operands; one backward sweep then gives d(loss)/d(w) for all 21 parameters at about the cost
// of the forward pass. The tape is reused between items (no allocation after the first).
constexpr uint32_t kConstant = UINT32_MAX;  // "operand is a constant": no node, no derivative

struct Tape {
    struct Node {
        double partial[2];
        uint32_t parent[2];
    };
    std::vector<Node> nodes;
    std::vector<double> adjoint;

    uint32_t push(double pa, uint32_t a, double pb = 0, uint32_t b = kConstant) {
        nodes.push_back({{pa, pb}, {a, b}});
        return static_cast<uint32_t>(nodes.size() - 1);
    }
    // d(nodes[output])/d(nodes[i]) for i < leaves, added into `out`.
    void backward(uint32_t output, size_t leaves, std::array<double, kN>& out, double scale) {
        adjoint.assign(output + 1, 0.0);
        adjoint[output] = scale;
        for (size_t i = output + 1; i-- > 0;) {
            const double g = adjoint[i];
            if (g == 0)
                continue;
            const Node& n = nodes[i];
            for (int k = 0; k < 2; ++k)
                if (n.parent[k] != kConstant)
                    adjoint[n.parent[k]] += n.partial[k] * g;
        }
        for (size_t i = 0; i < leaves; ++i)
            out[i] += adjoint[i];
    }
};

struct Var {
    Var() = default;
    explicit Var(double x) : v(x) {}  // a constant
    Var(double x, uint32_t index, Tape* t) : v(x), i(index), tape(t) {}
    double v = 0;
    uint32_t i = kConstant;
    Tape* tape = nullptr;
};
inline double value(double x) {
    return x;
}
inline double value(const Var& x) {
    return x.v;
}

inline Var unary(const Var& a, double v, double da) {
    if (a.i == kConstant)
        return Var(v);
    return {v, a.tape->push(da, a.i), a.tape};
}
inline Var binary(const Var& a, const Var& b, double v, double da, double db) {
    if (a.i == kConstant)
        return unary(b, v, db);
    if (b.i == kConstant)
        return unary(a, v, da);
    return {v, a.tape->push(da, a.i, db, b.i), a.tape};
}
inline Var operator+(const Var& a, const Var& b) {
    return binary(a, b, a.v + b.v, 1, 1);
}
inline Var operator+(const Var& a, double b) {
    return unary(a, a.v + b, 1);
}
inline Var operator+(double a, const Var& b) {
    return unary(b, a + b.v, 1);
}
inline Var operator-(const Var& a, const Var& b) {
    return binary(a, b, a.v - b.v, 1, -1);
}
inline Var operator-(const Var& a, double b) {
    return unary(a, a.v - b, 1);
}
inline Var operator-(double a, const Var& b) {
    return unary(b, a - b.v, -1);
}
inline Var operator-(const Var& a) {
    return unary(a, -a.v, -1);
}
inline Var operator*(const Var& a, const Var& b) {
    return binary(a, b, a.v * b.v, b.v, a.v);
}
inline Var operator*(const Var& a, double b) {
    return unary(a, a.v * b, b);
}
inline Var operator*(double a, const Var& b) {
    return unary(b, a * b.v, a);
}
inline Var operator/(const Var& a, const Var& b) {
    const double r = a.v / b.v;
    return binary(a, b, r, 1.0 / b.v, -r / b.v);
}
inline Var operator/(const Var& a, double b) {
    return unary(a, a.v / b, 1.0 / b);
}
inline Var operator/(double a, const Var& b) {
    const double r = a / b.v;
    return unary(b, r, -r / b.v);
}
inline Var exp(const Var& x) {
    const double e = std::exp(x.v);
    return unary(x, e, e);
}
inline Var log(const Var& x) {
    return unary(x, std::log(x.v), 1.0 / x.v);
}
inline Var pow(const Var& x, double p) {
    const double r = std::pow(x.v, p);
    return unary(x, r, p * r / x.v);
}
inline Var pow(const Var& x, const Var& p) {
    // x^p with d/dx = p x^(p-1) and d/dp = x^p ln x (x > 0 throughout the model).
    const double r = std::pow(x.v, p.v);
    return binary(x, p, r, p.v * r / x.v, r * std::log(x.v));
}
inline double exp(double x) {
    return std::exp(x);
}
inline double log(double x) {
    return std::log(x);
}
inline double pow(double x, double p) {
    return std::pow(x, p);
}

// Selections by value; the derivative follows the chosen branch, as autodiff of min/max/clamp does.
template <typename T>
T clampValue(const T& x, double lo, double hi) {
    if (value(x) < lo)
        return T(lo);
    if (value(x) > hi)
        return T(hi);
    return x;
}
template <typename T>
const T& minByValue(const T& a, const T& b) {
    return value(b) < value(a) ? b : a;
}

// ---- The FSRS-6 model of core/fsrs.h without its 8-decimal rounding, over double or Var. -------
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

    // The scheduler's long-term mode (fsrs.h): a same-day review (t = 0) takes the same formulas at
    // R = 1, and a lapse is bounded by S itself. w17..w19 play no part.
    void step(double t, int g, T& s, T& d) const {
        T next;
        const T r = retrievability(t, s);
        if (g == 1) {
            const T fail =
                clampValue(w[11] * pow(d, -w[12]) * (pow(s + 1.0, w[13]) - 1.0) * exp((1.0 - r) * w[14]),
                           kFsrsMinStability, kFsrsMaxStability);
            next = minByValue(s, fail);
        } else {
            T growth = exp(w[8]) * (11.0 - d) * pow(s, -w[9]) * (exp((1.0 - r) * w[10]) - 1.0);
            if (g == 2)
                growth = growth * w[15];
            if (g == 4)
                growth = growth * w[16];
            next = s * (growth + 1.0);
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

// Starts a tape whose first 21 nodes are the parameters.
std::array<Var, kN> leaves(Tape& tape, const FsrsParameters& p) {
    tape.nodes.clear();
    std::array<Var, kN> w;
    for (size_t i = 0; i < kN; ++i)
        w[i] = Var(p.w[i], tape.push(0, kConstant), &tape);
    return w;
}

double guard(double p) {
    return std::clamp(p, kProbabilityGuard, 1.0 - kProbabilityGuard);
}

// Adds weight * BCE of one item to `loss` and its gradient to `grad`. The tape holds the
// parameters and the model's constants (the first `prefix` nodes); the item's nodes are dropped
// afterwards.
void accumulate(const Model<Var>& model, Tape& tape, size_t prefix, const FsrsDataset& data,
                const FsrsTrainingItem& item, double weight, double& loss, std::array<double, kN>& grad) {
    tape.nodes.resize(prefix);
    const Var p = model.predict(data, item);
    const double pv = guard(p.v);
    const bool recalled = data.current(item).rating > 1;
    loss += -weight * (recalled ? std::log(pv) : std::log(1.0 - pv));
    if (pv != p.v || p.i == kConstant)
        return;  // the guard is flat; or the prediction does not depend on w
    const double dLdp = recalled ? -weight / pv : weight / (1.0 - pv);
    tape.backward(p.i, kN, grad, dLdp);
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
double fullLoss(const FsrsDataset& data, std::span<const FsrsTrainingItem> items,
                std::span<const double> weights, const FsrsParameters& w, const FsrsParameters& start,
                double gamma) {
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

double fsrsLoss(const FsrsDataset& data, std::span<const FsrsTrainingItem> items,
                std::span<const double> weights, const FsrsParameters& parameters,
                std::array<double, kN>* gradient) {
    if (items.empty())
        return 0;
    auto weightOf = [&](size_t k) { return k < weights.size() ? weights[k] : 1.0; };
    double loss = 0, total = 0;
    if (gradient) {
        gradient->fill(0);
        Tape tape;
        const Model<Var> model(leaves(tape, parameters));
        const size_t prefix = tape.nodes.size();
        for (size_t k = 0; k < items.size(); ++k) {
            accumulate(model, tape, prefix, data, items[k], weightOf(k), loss, *gradient);
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
        weights.push_back(
            config.recencyWeighting ? 0.25 + 0.75 * std::pow(static_cast<double>(k) / denominator, 3) : 1.0);
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
    Tape tape;
    for (int epoch = 1; epoch <= epochs; ++epoch) {
        std::shuffle(order.begin(), order.end(), rng);
        for (size_t begin = 0; begin < n; begin += batchSize) {
            const size_t end = std::min(n, begin + batchSize);
            ++stepCount;
            // Cosine annealing from the initial rate towards 0 over all iterations.
            const double lr = config.learningRate * 0.5 * (1.0 + std::cos(M_PI * stepCount / iterations));
            std::array<double, kN> grad{};
            double loss = 0;
            const Model<Var> model(leaves(tape, w));
            const size_t prefix = tape.nodes.size();
            for (size_t k = begin; k < end; ++k)
                accumulate(model, tape, prefix, data, items[order[k]], weights[order[k]], loss, grad);
            // L2 pull, scaled by this batch's share of the data.
            const double share = config.l2Gamma * static_cast<double>(end - begin) / static_cast<double>(n);
            for (size_t i = 0; i < kN; ++i)
                grad[i] += 2.0 * share * (w.w[i] - start.w[i]) / (kParameterSpread[i] * kParameterSpread[i]);
            if (!config.trainInitialStability)
                std::fill(grad.begin(), grad.begin() + 4, 0.0);
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

}  // namespace retain::core
