// Scoring predictions (log loss, RMSE(bins), AUC), time-series cross-validation and the rule for
// adopting fitted parameters.
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "core/fsrs_optimizer.h"

namespace retain::core {
namespace {

// Predictions are kept this far from 0 and 1 so the log loss stays finite.
constexpr double kProbabilityGuard = 1e-9;

}  // namespace

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
        const double p = std::clamp(predictions[k], kProbabilityGuard, 1.0 - kProbabilityGuard);
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
        const auto lengthBin = static_cast<uint32_t>(
            std::round(1.99 * std::pow(1.89, std::floor(std::log(length) / std::log(1.89)))));
        const auto lapseBin =
            lapses == 0 ? 0u
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
    e.auc = positives == 0 || negatives == 0
                ? 0.5
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
    if (a.adopt)
        a.reason = "held-out log loss improves";
    else if (std::abs(a.candidateLogLoss - a.currentLogLoss) < 1e-9)
        a.reason = "the fit gives the parameters already in use (an earlier fit found them)";
    else if (a.candidateLogLoss < a.currentLogLoss)
        a.reason = "held-out log loss improves by less than " + std::to_string(minImprovement).substr(0, 6) +
                   ", too little to change the parameters";
    else
        a.reason = "held-out log loss is worse with the fitted parameters";
    return a;
}

}  // namespace retain::core
