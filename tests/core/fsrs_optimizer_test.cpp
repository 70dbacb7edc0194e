#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "core/fsrs_optimizer.h"

#ifndef RETAIN_TEST_DATA_DIR
#define RETAIN_TEST_DATA_DIR "/work/main/tests/data"
#endif

namespace retain::core {
namespace {

constexpr int64_t kHour = 3600000;
constexpr int64_t kDay = 24 * kHour;

const FsrsDataset& realLog() {
    static const FsrsDataset kData = [] {
        const auto records = readReviewLogCsv(std::string(RETAIN_TEST_DATA_DIR) + "/reviews/josh.csv");
        if (!records)
            return FsrsDataset{};
        auto data = buildFsrsDataset(*records, {9, 0});  // the learner never reviews 06:00-14:59 UTC
        return data ? std::move(data.value()) : FsrsDataset{};
    }();
    return kData;
}

ReviewLogRecord review(const std::string& card, int rating, int64_t ms) {
    ReviewLogRecord r;
    r.cardId = card;
    r.rating = static_cast<Rating>(rating);
    r.timeMs = ms;
    return r;
}

// A learner whose memory follows FSRS-6 with `truth`: reviews at the scheduled interval (with
// jitter), recall drawn from the true retrievability, Again on a lapse, mostly Good otherwise.
FsrsDataset synthetic(const FsrsParameters& truth, int cards, uint64_t seed) {
    const Fsrs model(truth);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<ReviewLogRecord> log;
    const int64_t t0 = 1700000000000 - (1700000000000 % kDay) + 10 * kHour;
    for (int c = 0; c < cards; ++c) {
        const std::string id = "c" + std::to_string(c);
        int64_t day = c / 20;  // new cards arrive over time
        const double v = u(rng);
        const int firstRating = v < 0.3 ? 1 : v < 0.4 ? 2 : v < 0.9 ? 3 : 4;
        MemoryState m = model.initialState(static_cast<Rating>(firstRating));
        log.push_back(review(id, firstRating, t0 + day * kDay));
        for (int k = 0; k < 12; ++k) {
            const int interval =
                std::max(1, static_cast<int>(std::lround(m.stability * (0.5 + 1.5 * u(rng)))));
            day += interval;
            if (day > 600)
                break;
            const bool recalled = u(rng) < model.retrievability(interval, m.stability);
            const double w = u(rng);
            const int rating = !recalled ? 1 : w < 0.1 ? 2 : w < 0.9 ? 3 : 4;
            log.push_back(review(id, rating, t0 + day * kDay + k * 60000));
            m = model.nextState(m, interval, static_cast<Rating>(rating));
        }
    }
    auto data = buildFsrsDataset(log, {4, 0});
    return data ? std::move(data.value()) : FsrsDataset{};
}

TEST(FsrsOptimizer, realLogBuildsOneItemPerLaterDayReview) {
    const auto& data = realLog();
    ASSERT_EQ(data.reviewCount, 12580u);
    EXPECT_EQ(data.cards.size(), 1205u);
    EXPECT_EQ(data.items.size(), 6372u);
    for (size_t k = 1; k < data.items.size(); ++k)
        ASSERT_LE(data.items[k - 1].timeMs, data.items[k].timeMs);
    for (const auto& item : data.items) {
        ASSERT_GE(item.length, 2u);
        ASSERT_GT(data.current(item).deltaDays, 0u);
    }
}

TEST(FsrsOptimizer, studyDaysFollowTheRolloverHourAndUtcOffset) {
    const int64_t midnight = 1717200000000;  // 2024-06-01T00:00:00Z
    const std::vector<ReviewLogRecord> log = {
        review("a", 3, midnight + 2 * kHour),       // 02:00 UTC: still the previous study day
        review("a", 3, midnight + 5 * kHour),       // 05:00: a new day at rollover 04:00 UTC
        review("a", 3, midnight + 23 * kHour),      // 23:00: same day
        review("a", 1, midnight + 27 * kHour + 1),  // 03:00 next morning: still the same day
    };
    auto utc = buildFsrsDataset(log, {4, 0});
    ASSERT_TRUE(utc);
    const auto& a = utc->cards[0];
    EXPECT_EQ(a[1].deltaDays, 1u);
    EXPECT_EQ(a[2].deltaDays, 0u);
    EXPECT_EQ(a[3].deltaDays, 0u);
    EXPECT_EQ(utc->items.size(), 1u);  // only the 05:00 review falls on a later day
    // In UTC+02:00, 02:00 UTC is 04:00 local: the first two reviews share a day; 03:00 UTC the next
    // morning is 05:00 local, a new day.
    auto east = buildFsrsDataset(log, {4, 120});
    ASSERT_TRUE(east);
    EXPECT_EQ(east->cards[0][1].deltaDays, 0u);
    EXPECT_EQ(east->cards[0][3].deltaDays, 1u);
    EXPECT_FALSE(buildFsrsDataset(log, {24, 0}));
    EXPECT_FALSE(buildFsrsDataset(log, {4, 19 * 60}));
}

TEST(FsrsOptimizer, optimiserModelAgreesWithTheScheduler) {
    const auto& data = realLog();
    ASSERT_FALSE(data.items.empty());
    auto p = FsrsParameters::defaults();
    p.w[20] = 0.4;  // a non-default decay too
    for (const auto& params : {FsrsParameters::defaults(), p}) {
        const Fsrs f(params);
        const auto predicted = predictRecall(data, data.items, params);
        for (size_t k = 0; k < data.items.size(); k += 7) {
            const auto& item = data.items[k];
            const auto& reviews = data.cards[item.card];
            MemoryState m = f.initialState(static_cast<Rating>(reviews[0].rating));
            for (uint32_t i = 1; i + 1 < item.length; ++i)
                m = f.nextState(m, reviews[i].deltaDays, static_cast<Rating>(reviews[i].rating));
            const double r = f.retrievability(data.current(item).deltaDays, m.stability);
            ASSERT_NEAR(predicted[k], r, 1e-6) << "item " << k;  // the scheduler rounds to 8 decimals
        }
    }
}

TEST(FsrsOptimizer, gradientMatchesFiniteDifferences) {
    const auto& data = realLog();
    ASSERT_GE(data.items.size(), 2000u);
    const std::span<const FsrsTrainingItem> items(data.items.data(), 2000);
    std::vector<double> weights(items.size());
    for (size_t k = 0; k < weights.size(); ++k)
        weights[k] = 0.25 + 0.75 * std::pow(static_cast<double>(k) / 1999.0, 3);
    auto other = FsrsParameters::defaults();
    other.w = {0.5, 1.5, 3.0, 9.0, 5.5, 0.9, 2.0, 0.05, 1.6, 0.2, 1.0,
               1.2, 0.1, 0.3, 1.8, 0.5, 2.2, 0.6, 0.3,  0.1, 0.25};
    for (const auto& params : {FsrsParameters::defaults(), other}) {
        std::array<double, kFsrsParameterCount> grad{};
        const double loss = fsrsLoss(data, items, weights, params, &grad);
        EXPECT_NEAR(loss, fsrsLoss(data, items, weights, params, nullptr), 1e-12);
        for (size_t i = 0; i < grad.size(); ++i) {
            const double h = 1e-6 * std::max(1.0, std::abs(params.w[i]));
            auto up = params, down = params;
            up.w[i] += h;
            down.w[i] -= h;
            const double fd = (fsrsLoss(data, items, weights, up, nullptr) -
                               fsrsLoss(data, items, weights, down, nullptr)) /
                              (2 * h);
            EXPECT_NEAR(grad[i], fd, 1e-6 + 1e-4 * std::abs(fd)) << "w[" << i << "]";
        }
    }
}

TEST(FsrsOptimizer, fittingSyntheticDataIsAtLeastAsGoodAsTheTrueParameters) {
    FsrsParameters truth;
    truth.w = {0.6, 1.8,  4.5,  14.0, 5.8, 0.7, 1.6, 0.02, 1.7, 0.12, 1.1,
               1.7, 0.08, 0.35, 1.9,  0.4, 2.5, 0.5, 0.15, 0.1, 0.35};
    ASSERT_FALSE(truth.validate());
    const auto data = synthetic(truth, 1500, 17);
    ASSERT_EQ(data.items.size(), 7665u);
    // The reference optimiser on the same log: fsrs-rs 6.5 (@open-spaced-repetition/binding 0.5.0), run on
    // this synthetic log written out as review-log CSV, its items built as
    // bench/fsrs_compare/fsrs_rs_bench.mjs builds them (--rollover-hour 4: the same 7,665 items) and fitted
    // all at once by computeParameters with short-term on (deterministic: two runs gave the same weights).
    FsrsParameters fsrsRs;
    fsrsRs.w = {0.6215, 1.8645, 4.4338, 9.4272, 6.4132, 0.7288, 2.8212, 0.0665, 2.013,  0.187, 0.9479,
                1.5106, 0.0528, 0.3,    1.7184, 0.56,   2.5872, 0.5425, 0.0912, 0.0658, 0.2809};
    FsrsOptimizerConfig config;
    config.recencyWeighting = false;  // the synthetic learner does not change over time
    const auto fit = fitFsrsParameters(data, data.items, config);
    EXPECT_GT(fit.bestEpoch, 0) << fit.note;
    EXPECT_FALSE(fit.parameters.validate());
    const double fitted = evaluateFsrs(data, data.items, fit.parameters).logLoss;
    const double trueLoss = evaluateFsrs(data, data.items, truth).logLoss;
    const double reference = evaluateFsrs(data, data.items, fsrsRs).logLoss;
    const double defaults = evaluateFsrs(data, data.items, FsrsParameters::defaults()).logLoss;
    // The defaults are 0.0145 worse than the truth here. A fit may beat the truth on its own sample (fsrs-rs
    // does, by 0.0002); over ten logs of this generator (seeds 1-9 and 17) Retain's fit never lost more than
    // 0.00036 to the truth, and here it is within 0.0001 of fsrs-rs.
    EXPECT_LE(fitted, trueLoss + 5e-4) << "fitted " << fitted << " true " << trueLoss;
    EXPECT_LE(fitted, reference + 2e-4) << "fitted " << fitted << " fsrs-rs " << reference;
    EXPECT_LT(fitted, defaults - 0.01) << "fitted " << fitted << " defaults " << defaults;
    // The decay is the curve's least determined parameter on reviews at 0.5-2 stabilities: both optimisers
    // stop well short of the truth's 0.35, pulled towards the default 0.1542 by the regularisation. fsrs-rs
    // reaches 0.281 here; on four logs of this generator the two optimisers' decays differed by 0.022 to
    // 0.039 (batch order and pre-training details), hence the margin of 0.05.
    EXPECT_NEAR(fit.parameters.w[20], fsrsRs.w[20], 0.05);
}

TEST(FsrsOptimizer, fittingIsDeterministic) {
    const auto& data = realLog();
    const std::span<const FsrsTrainingItem> train(data.items.data(), 3000);
    const auto a = fitFsrsParameters(data, train);
    const auto b = fitFsrsParameters(data, train);
    EXPECT_EQ(a.parameters.w, b.parameters.w);
    FsrsOptimizerConfig other;
    other.seed = 7;
    EXPECT_NE(fitFsrsParameters(data, train, other).parameters.w, a.parameters.w);
}

TEST(FsrsOptimizer, realLogFitBeatsTheDefaultsAndKeepsUpWithFsrsRsOnHeldOutData) {
    // Wall time is measured by bench/fsrs_compare (docs/benchmarks.md), not here.
    const auto& data = realLog();
    const auto cv = crossValidateFsrs(data, 5);
    ASSERT_EQ(cv.perFold.size(), 5u);
    EXPECT_EQ(cv.pooled.count, data.items.size() - data.items.size() / 6);
    // The same test items under the published defaults.
    const auto folds = timeSeriesSplits(data.items.size(), 5);
    const std::span<const FsrsTrainingItem> tested(data.items.data() + folds[0].testBegin,
                                                   data.items.size() - folds[0].testBegin);
    const auto defaults = evaluateFsrs(data, tested, FsrsParameters::defaults());
    EXPECT_LT(cv.pooled.logLoss, defaults.logLoss);
    // fsrs-rs 6.5 on the same split in its long-term mode, the mode Retain schedules in (docs/benchmarks.md,
    // `node bench/fsrs_compare/fsrs_rs_bench.mjs`): log loss 0.4579, RMSE(bins) 0.0607, AUC 0.652. The
    // target: log loss no worse than fsrs-rs's by more than 0.002; RMSE and AUC no worse than fsrs-rs's.
    // (fsrs-rs's default short-term mode predicts this Anki log, full of minute learning steps, better:
    // 0.4413 / 0.0445 / 0.671 with --short-term. That is the price of one consistent same-day rule.)
    EXPECT_LT(cv.pooled.logLoss, 0.4579 + 0.002);
    EXPECT_LE(cv.pooled.rmseBins, 0.0607);
    EXPECT_GE(cv.pooled.auc, 0.6523);
    for (const auto& p : cv.parameters)
        EXPECT_FALSE(p.validate());
}

TEST(FsrsOptimizer, adoptsNewParametersOnlyWhenHeldOutLossImproves) {
    const auto& data = realLog();
    const auto folds = timeSeriesSplits(data.items.size(), 5);
    const auto& last = folds.back();
    const std::span<const FsrsTrainingItem> all(data.items);
    const auto fit = fitFsrsParameters(data, all.subspan(0, last.trainEnd));
    const auto heldOut = all.subspan(last.testBegin, last.testEnd - last.testBegin);
    const auto adopt = decideFsrsAdoption(data, heldOut, FsrsParameters::defaults(), fit.parameters);
    EXPECT_TRUE(adopt.adopt) << adopt.reason << " " << adopt.currentLogLoss << " -> "
                             << adopt.candidateLogLoss;
    EXPECT_LT(adopt.candidateLogLoss, adopt.currentLogLoss);
    // The same parameters are no improvement; a much worse set is refused; so is an invalid one.
    EXPECT_FALSE(decideFsrsAdoption(data, heldOut, fit.parameters, fit.parameters).adopt);
    auto bad = fit.parameters;
    bad.w[20] = 0.8;
    bad.w[2] = 40;
    EXPECT_FALSE(decideFsrsAdoption(data, heldOut, fit.parameters, bad).adopt);
    bad.w[20] = 5;
    const auto invalid = decideFsrsAdoption(data, heldOut, FsrsParameters::defaults(), bad);
    EXPECT_FALSE(invalid.adopt);
    EXPECT_NE(invalid.reason.find("w[20]"), std::string::npos) << invalid.reason;
    EXPECT_FALSE(decideFsrsAdoption(data, {}, FsrsParameters::defaults(), fit.parameters).adopt);
    // A required margin larger than the gain keeps the current parameters.
    EXPECT_FALSE(decideFsrsAdoption(data, heldOut, FsrsParameters::defaults(), fit.parameters, 1.0).adopt);
}

TEST(FsrsOptimizer, timeSeriesSplitsTrainOnThePastAndTestOnTheNextSegment) {
    const auto six = timeSeriesSplits(6, 5);
    ASSERT_EQ(six.size(), 5u);
    for (size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(six[i].trainEnd, i + 1);
        EXPECT_EQ(six[i].testBegin, i + 1);
        EXPECT_EQ(six[i].testEnd, i + 2);
    }
    EXPECT_TRUE(timeSeriesSplits(5, 5).empty());
    EXPECT_TRUE(timeSeriesSplits(6, 0).empty());
    const auto big = timeSeriesSplits(6372, 5);
    ASSERT_EQ(big.size(), 5u);
    EXPECT_EQ(big[0].trainEnd, 1062u);
    EXPECT_EQ(big[4].testEnd, 6372u);  // the last fold runs to the end
}

TEST(FsrsOptimizer, tooLittleDataFallsBackToDefaultsOrPretrainingAndSaysSo) {
    const auto& data = realLog();
    const auto tiny = fitFsrsParameters(data, std::span<const FsrsTrainingItem>(data.items.data(), 5));
    EXPECT_EQ(tiny.parameters.w, FsrsParameters::defaults().w);
    EXPECT_EQ(tiny.bestEpoch, 0);
    EXPECT_FALSE(tiny.note.empty());
    const auto small = fitFsrsParameters(data, std::span<const FsrsTrainingItem>(data.items.data(), 40));
    EXPECT_EQ(small.bestEpoch, 0);
    EXPECT_FALSE(small.note.empty());
    for (size_t i = 4; i < 21; ++i)
        EXPECT_EQ(small.parameters.w[i], FsrsParameters::defaults().w[i]);
}

TEST(FsrsOptimizer, smoothingFillsMissingInitialStabilitiesLikeTheReference) {
    // fsrs-rs's own test vectors (parameter_initialization.rs, test_smooth_and_fill; w1 0.41, w2 0.54):
    // the missing rating 2 is 0.4^0.41 * 2.3^0.59.
    const auto s = smoothInitialStability({0.4, std::nullopt, 2.3, 10.9}, {1, 1, 1, 1});
    ASSERT_TRUE(s);
    EXPECT_NEAR((*s)[0], 0.4, 1e-6);
    EXPECT_NEAR((*s)[1], 1.1227008, 1e-6);
    EXPECT_NEAR((*s)[2], 2.3, 1e-6);
    EXPECT_NEAR((*s)[3], 10.9, 1e-6);
    const auto only2 = smoothInitialStability({std::nullopt, 0.35, std::nullopt, std::nullopt}, {0, 1, 0, 0});
    ASSERT_TRUE(only2);
    EXPECT_NEAR((*only2)[0], 0.05738148, 1e-6);
    EXPECT_NEAR((*only2)[1], 0.35, 1e-6);
    EXPECT_NEAR((*only2)[2], 0.6242943, 1e-6);
    EXPECT_NEAR((*only2)[3], 2.2453482, 1e-6);
    // Out of order: pair by pair ((1,2), (2,3), (3,4), (1,3), (2,4), (1,4)), the better supported
    // value overwrites the other; one pass, so the result need not be monotone (as in fsrs-rs).
    const auto o = smoothInitialStability({5.0, 1.0, 3.0, 9.0}, {100, 1, 50, 10});
    ASSERT_TRUE(o);
    EXPECT_EQ(*o, (std::array<double, 4>{5.0, 3.0, 5.0, 9.0}));
    const auto o2 = smoothInitialStability({2.0, 1.0, 3.0, 9.0}, {1, 100, 50, 10});
    ASSERT_TRUE(o2);
    EXPECT_EQ(*o2, (std::array<double, 4>{1.0, 1.0, 3.0, 9.0}));
    // One rating only: the defaults scaled.
    const auto one = smoothInitialStability({std::nullopt, std::nullopt, 4.613, std::nullopt}, {0, 0, 9, 0});
    ASSERT_TRUE(one);
    EXPECT_NEAR((*one)[0], 0.424, 1e-9);
    EXPECT_NEAR((*one)[3], 16.5912, 1e-9);
    EXPECT_FALSE(smoothInitialStability({1.0, 2.0, 3.0, 4.0}, {0, 0, 0, 0}));
}

TEST(FsrsOptimizer, pretrainingRecoversTheInitialStabilityBehindFirstReviews) {
    // 2000 cards first rated Good; recall after 1..6 days drawn from a curve with S0 = 5.
    const Fsrs f(FsrsParameters::defaults());
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<ReviewLogRecord> log;
    const int64_t t0 = 1717200000000 + 10 * kHour;
    for (int c = 0; c < 2000; ++c) {
        const int gap = 1 + c % 6;
        const bool recalled = u(rng) < f.retrievability(gap, 5.0);
        log.push_back(review("c" + std::to_string(c), 3, t0));
        log.push_back(review("c" + std::to_string(c), recalled ? 3 : 1, t0 + gap * kDay));
    }
    const auto data = buildFsrsDataset(log, {4, 0});
    ASSERT_TRUE(data);
    const auto prepared = prepareFsrsTrainingData(*data, data->items, true);
    EXPECT_EQ(prepared.pretrain.size(), 2000u);
    double recalled = 0;
    for (const auto& item : data->items)
        recalled += data->current(item).rating > 1;
    const auto pre = pretrainInitialStability(*data, prepared.pretrain, recalled / 2000.0);
    ASSERT_TRUE(pre) << pre.error().message;
    EXPECT_EQ(pre->counts[2], 2000u);
    // The reference computation: the maximum-likelihood S0 of these draws under the default curve
    // R(t) = (1 + f t / S)^-0.1542 with f = 0.9^(-1/0.1542) - 1, by ternary search on the binomial
    // log-likelihood (unimodal in S).
    const double decay = 0.1542, factor = std::pow(0.9, -1.0 / decay) - 1.0;
    auto logLikelihood = [&](double s) {
        double ll = 0;
        for (const auto& item : data->items) {
            const double r = std::pow(1.0 + factor * data->current(item).deltaDays / s, -decay);
            ll += std::log(data->current(item).rating > 1 ? r : 1.0 - r);
        }
        return ll;
    };
    double low = 0.5, high = 50;
    while (high - low > 1e-6) {
        const double a = low + (high - low) / 3, b = high - (high - low) / 3;
        if (logLikelihood(a) < logLikelihood(b))
            low = a;
        else
            high = b;
    }
    const double mle = (low + high) / 2;
    // The sample is the generator's: S0 = 5, about +-0.5 from 2000 draws (4.40 to 6.00 over seeds 1-8).
    EXPECT_NEAR(mle, 5.0, 1.0);
    // Pre-training as the reference does it adds Laplace smoothing towards the average recall and an L1
    // pull towards the default 2.3065, which lowered the estimate by 0.014 to 0.028 over seeds 1-8.
    EXPECT_NEAR(pre->stability[2], mle, 0.05);
    EXPECT_FALSE(pretrainInitialStability(*data, {}, 0.9));
}

TEST(FsrsOptimizer, outlierFilterDropsRareAndImplausibleFirstIntervals) {
    std::vector<ReviewLogRecord> log;
    const int64_t t0 = 1717200000000 + 10 * kHour;
    int c = 0;
    auto add = [&](int gap, int count) {
        for (int i = 0; i < count; ++i, ++c) {
            log.push_back(review("c" + std::to_string(c), 3, t0));
            log.push_back(review("c" + std::to_string(c), 3, t0 + gap * kDay));
            log.push_back(review("c" + std::to_string(c), 3, t0 + (gap + 5) * kDay));
        }
    };
    add(1, 300);
    add(3, 200);
    add(150, 50);  // plenty, but a first interval beyond 100 days after Good
    add(9, 3);     // too rare
    const auto data = buildFsrsDataset(log, {4, 0});
    ASSERT_TRUE(data);
    const auto prepared = prepareFsrsTrainingData(*data, data->items, true);
    EXPECT_EQ(prepared.pretrain.size(), 500u);
    EXPECT_EQ(prepared.train.size(), 1000u);  // both items of each kept card
    const auto unfiltered = prepareFsrsTrainingData(*data, data->items, false);
    EXPECT_EQ(unfiltered.train.size(), data->items.size());
}

TEST(FsrsOptimizer, metricsFollowTheirDefinitions) {
    const auto& data = realLog();
    const std::span<const FsrsTrainingItem> items(data.items.data(), 1000);
    std::vector<double> half(items.size(), 0.5), perfect(items.size());
    for (size_t k = 0; k < items.size(); ++k)
        perfect[k] = data.current(items[k]).rating > 1 ? 0.99 : 0.01;
    const auto h = evaluatePredictions(data, items, half);
    EXPECT_NEAR(h.logLoss, std::log(2.0), 1e-12);
    EXPECT_NEAR(h.auc, 0.5, 1e-12);
    const auto p = evaluatePredictions(data, items, perfect);
    EXPECT_NEAR(p.auc, 1.0, 1e-12);
    EXPECT_NEAR(p.logLoss, -std::log(0.99), 1e-12);
    EXPECT_LT(p.rmseBins, 0.0100001);
    EXPECT_EQ(evaluatePredictions(data, {}, {}).count, 0u);
}

}  // namespace
}  // namespace retain::core
