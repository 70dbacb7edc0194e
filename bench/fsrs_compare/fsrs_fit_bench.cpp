// Fits FSRS-6 with Retain's optimiser (core/fsrs_optimizer.h) on a review log with the 5-fold
// time-series split and prints the pooled test metrics and the wall time as one JSON line, the same
// shape as fsrs_rs_bench.mjs prints for fsrs-rs.
//
//   fsrs_fit_bench [log.csv] [--rollover-hour H] [--utc-offset-minutes M] [--folds K]
//
// Defaults: tests/data/reviews/josh.csv, rollover 09:00 UTC (that log's learner never reviews
// between 06:00 and 14:59 UTC), 5 folds.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/fsrs_optimizer.h"
#include "core/review_log_csv.h"

#ifndef RETAIN_TEST_DATA_DIR
#define RETAIN_TEST_DATA_DIR "/work/main/tests/data"
#endif

int main(int argc, char** argv) {
    using namespace retain::core;
    std::string path = std::string(RETAIN_TEST_DATA_DIR) + "/reviews/josh.csv";
    StudyDayBoundary boundary{9, 0};
    int folds = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--rollover-hour" && i + 1 < argc)
            boundary.rolloverHour = std::atoi(argv[++i]);
        else if (a == "--utc-offset-minutes" && i + 1 < argc)
            boundary.utcOffsetMinutes = std::atoi(argv[++i]);
        else if (a == "--folds" && i + 1 < argc)
            folds = std::atoi(argv[++i]);
        else if (!a.empty() && a[0] != '-')
            path = a;
        else {
            std::fprintf(stderr,
                         "usage: %s [log.csv] [--rollover-hour H] [--utc-offset-minutes M] [--folds K]\n",
                         argv[0]);
            return 2;
        }
    }
    const auto start = std::chrono::steady_clock::now();
    auto records = readReviewLogCsv(path);
    if (!records) {
        std::fprintf(stderr, "%s\n", records.error().message.c_str());
        return 1;
    }
    auto data = buildFsrsDataset(*records, boundary);
    if (!data) {
        std::fprintf(stderr, "%s\n", data.error().message.c_str());
        return 1;
    }
    const auto fitStart = std::chrono::steady_clock::now();
    const auto cv = crossValidateFsrs(*data, folds);
    const auto end = std::chrono::steady_clock::now();
    const double fitSeconds = std::chrono::duration<double>(end - fitStart).count();
    const double totalSeconds = std::chrono::duration<double>(end - start).count();
    const auto defaults = evaluateFsrs(*data, data->items, FsrsParameters::defaults());
    std::printf(
        "{\"optimizer\": \"retain\", \"folds\": %d, \"reviews\": %zu, \"items\": %zu, \"test_items\": %zu, "
        "\"test_log_loss\": %.6f, \"test_rmse_bins\": %.6f, \"test_auc\": %.6f, \"wall_seconds\": %.3f, "
        "\"wall_seconds_with_parsing\": %.3f, \"default_parameters_log_loss_all_items\": %.6f}\n",
        folds, data->reviewCount, data->items.size(), cv.pooled.count, cv.pooled.logLoss, cv.pooled.rmseBins,
        cv.pooled.auc, fitSeconds, totalSeconds, defaults.logLoss);
    return 0;
}
