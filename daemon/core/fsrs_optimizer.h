#pragma once
// Fitting FSRS-6 parameters to one learner's review history, the way fsrs-rs (the reference
// optimiser, 6.x) does it, and deciding whether the fit is worth adopting.
//
// One deliberate difference: the model fitted is the scheduler's (fsrs.h, ts-fsrs's long-term mode),
// so a same-day review in a history takes the long-term formulas at R = 1, where fsrs-rs applies its
// short-term formula; w17..w19 do not appear in it, so they keep their starting values. Parameters are fitted
// to the model that will use them.
//
// Pipeline (fitFsrsParameters):
//   1. Items: every review of an item after its first that falls on a later study day than the
//      review before it is one training example; its input is the item's earlier reviews (same-day
//      ones included, with delta 0), its label is recalled (rating > Again) or not. Items are kept
//      in the time order of the predicted review.
//   2. Outlier filter (fsrs-rs filter_outlier): among items with exactly one long-term review,
//      (first rating, first interval) groups that are tiny or have implausibly long first intervals
//      are dropped, and so is every item whose first interval is in a dropped group.
//   3. Pre-training of the initial stabilities w0..w3: for each first rating, the S0 minimising the
//      log loss of the forgetting curve over the first long-term reviews (Laplace-smoothed recall
//      per interval, an L1 pull towards the default), by ternary search; out-of-order values are
//      reconciled and missing ratings filled from the others (fsrs-rs smooth_and_fill).
//   4. Training: Adam (beta 0.9 / 0.999, eps 1e-8) on mini-batches of 512 shuffled items (seeded),
//      5 epochs, learning rate 0.04 on a cosine-annealing schedule, loss = sum of the
//      recency-weighted binary cross-entropy (weights 0.25 + 0.75 (i/(n-1))^3 over the time order)
//      plus an L2 pull towards the starting parameters scaled by each parameter's population
//      spread; after every step the parameters are clipped to fsrsParameterBounds(). The epoch with
//      the lowest full-training-set loss wins; then w0..w3 are smoothed again as in step 3.
//   Gradients are exact (hand-written reverse-mode differentiation of the model), not finite
//   differences.
//
// The model trained is the scheduler's own (core/fsrs.h, without its 8-decimal rounding), so
// fitted parameters are optimal for what Retain actually schedules. Deterministic for a seed.
// Never throws; bad input gives an Error.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/fsrs.h"
#include "core/result.h"
#include "core/review_log_csv.h"

namespace retain::core {

// How review times map to study days: a day starts at rolloverHour local time, local time being
// UTC + utcOffsetMinutes.
struct StudyDayBoundary {
    int rolloverHour = 4;
    int utcOffsetMinutes = 0;
};

struct FsrsReview {
    uint8_t rating = 3;      // 1..4
    uint32_t deltaDays = 0;  // study days since the item's previous review (0: first or same day)
};

// One training example: reviews[0 .. length-1] of card `card`; the last one is predicted.
struct FsrsTrainingItem {
    uint32_t card = 0;
    uint32_t length = 0;
    int64_t timeMs = 0;  // when the predicted review happened
};

struct FsrsDataset {
    std::vector<std::string> cardIds;
    std::vector<std::vector<FsrsReview>> cards;  // each card's reviews in time order
    std::vector<FsrsTrainingItem> items;         // sorted by (timeMs, card, length)
    size_t reviewCount = 0;

    const FsrsReview& current(const FsrsTrainingItem& item) const {
        return cards[item.card][item.length - 1];
    }
};

// Groups reviews by card, orders them by time (stable for equal times), assigns study days and
// builds the training items. An invalid boundary (hour outside 0..23, offset beyond +-18 h) is an
// InvalidArgument error.
Result<FsrsDataset> buildFsrsDataset(std::span<const ReviewLogRecord> reviews,
                                     const StudyDayBoundary& boundary);

// Steps 2 and 3, exposed for tests.
struct FsrsPreparedData {
    std::vector<FsrsTrainingItem> pretrain;  // items with exactly one long-term review, filtered
    std::vector<FsrsTrainingItem> train;     // all items, filtered, in the given order
};
FsrsPreparedData prepareFsrsTrainingData(const FsrsDataset& data, std::span<const FsrsTrainingItem> items,
                                         bool filterOutliers);
struct FsrsPretraining {
    std::array<double, 4> stability{};  // w0..w3
    std::array<uint32_t, 4> counts{};   // pre-training items per first rating
};
// Fails (FailedPrecondition) when there is no pre-training item at all.
Result<FsrsPretraining> pretrainInitialStability(const FsrsDataset& data,
                                                 std::span<const FsrsTrainingItem> pretrain,
                                                 double averageRecall);
// fsrs-rs smooth_and_fill: keeps the ratings that have counts; for each pair (1,2), (2,3), (3,4),
// (1,3), (2,4), (1,4) in that order, when the lower rating's value is the larger, the better
// supported of the two overwrites the other (one pass, like the reference); fills missing ratings
// by fixed geometric relations; clamps to [S_MIN, 100]. nullopt when no rating has data.
std::optional<std::array<double, 4>> smoothInitialStability(
    const std::array<std::optional<double>, 4>& byRating, const std::array<uint32_t, 4>& counts);

struct FsrsOptimizerConfig {
    int epochs = 5;
    int batchSize = 512;
    double learningRate = 4e-2;
    int maxSequenceLength = 64;  // longer histories are left out of training (not of evaluation)
    double l2Gamma = 1.0;        // strength of the pull towards the starting parameters
    uint64_t seed = 2023;
    bool recencyWeighting = true;  // false: plain (unweighted) log loss
    bool filterOutliers = true;
    bool trainInitialStability = true;  // fsrs-rs with short-term on trains w0..w3 after pre-training
};

struct FsrsFit {
    FsrsParameters parameters;
    std::array<double, 4> pretrainedInitialStability{};
    size_t trainingItems = 0;     // after the outlier filter and the length cap
    size_t pretrainingItems = 0;  // items with one long-term review, after the outlier filter
    int bestEpoch = 0;            // 0: no gradient training happened (too little data)
    double trainingLoss = 0;      // mean weighted loss of the chosen epoch
    std::string note;             // why training stopped early, when it did
};

// Fits parameters on `train` (items of `data`, in time order). With fewer than 8 usable items the
// defaults come back, with fewer than 64 (or nothing beyond first reviews) the pre-trained initial
// stabilities on the default parameters, as fsrs-rs does; `note` says which.
FsrsFit fitFsrsParameters(const FsrsDataset& data, std::span<const FsrsTrainingItem> train,
                          const FsrsOptimizerConfig& config = {});

// Predicted probability of recall for each item (before its predicted review).
std::vector<double> predictRecall(const FsrsDataset& data, std::span<const FsrsTrainingItem> items,
                                  const FsrsParameters& parameters);

struct FsrsEvaluation {
    double logLoss = 0;   // mean binary cross-entropy (natural log)
    double rmseBins = 0;  // RMSE over (interval, review count, lapse count) bins, the FSRS benchmark's
    double auc = 0;       // area under the ROC curve (0.5 when only one class is present)
    size_t count = 0;
};

FsrsEvaluation evaluatePredictions(const FsrsDataset& data, std::span<const FsrsTrainingItem> items,
                                   std::span<const double> predictions);
FsrsEvaluation evaluateFsrs(const FsrsDataset& data, std::span<const FsrsTrainingItem> items,
                            const FsrsParameters& parameters);

// Mean loss (weighted binary cross-entropy, weights default to 1) and, when `gradient` is not null,
// its exact gradient with respect to w. The L2 term is not included. For tests and tooling.
double fsrsLoss(const FsrsDataset& data, std::span<const FsrsTrainingItem> items,
                std::span<const double> weights, const FsrsParameters& parameters,
                std::array<double, kFsrsParameterCount>* gradient);

// Time-series cross-validation folds over n items in time order (fsrs-rs TimeSeriesSplit): the data
// are cut into k + 1 segments; fold i trains on segments 0..i and tests on segment i + 1 (the last
// fold's test runs to the end). Empty when n < k + 1 or k < 1.
struct TimeSeriesFold {
    size_t trainEnd = 0;  // train = [0, trainEnd)
    size_t testBegin = 0;
    size_t testEnd = 0;  // test = [testBegin, testEnd)
};
std::vector<TimeSeriesFold> timeSeriesSplits(size_t itemCount, int folds);

struct FsrsCrossValidation {
    FsrsEvaluation pooled;  // all folds' test predictions evaluated together
    std::vector<FsrsEvaluation> perFold;
    std::vector<FsrsParameters> parameters;  // fitted per fold
};
FsrsCrossValidation crossValidateFsrs(const FsrsDataset& data, int folds,
                                      const FsrsOptimizerConfig& config = {});

// Whether to switch from `current` to `candidate`: only when the candidate's log loss on held-out
// items (not used to fit it) is lower by at least `minImprovement`.
struct FsrsAdoption {
    bool adopt = false;
    double currentLogLoss = 0;
    double candidateLogLoss = 0;
    std::string reason;
};
FsrsAdoption decideFsrsAdoption(const FsrsDataset& data, std::span<const FsrsTrainingItem> heldOut,
                                const FsrsParameters& current, const FsrsParameters& candidate,
                                double minImprovement = 0.0);

}  // namespace retain::core
