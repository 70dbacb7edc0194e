#pragma once
// Personal FSRS parameters for one learner: fit on the older 80 % of their review history (in time
// order), compare with the parameters in use on the newest 20 % (never seen by the fit), and adopt
// the candidate only when it predicts those held-out reviews better. Pure: runs on a worker thread.

#include <string>
#include <vector>

#include "core/fsrs_optimizer.h"
#include "core/review_log_csv.h"

namespace retain::core {

// Reviews needed before the daemon fits personal parameters automatically (and on demand).
inline constexpr size_t kMinReviewsForPersonalization = 400;

struct PersonalizationResult {
    bool adopted = false;
    std::string reason;
    size_t reviews = 0;
    size_t heldOut = 0;
    double currentLogLoss = 0;
    double candidateLogLoss = 0;
    FsrsEvaluation chosen;      // held-out metrics of the parameters in use afterwards
    FsrsParameters parameters;  // in use afterwards (candidate if adopted, else current)
    double seconds = 0;
};

Result<PersonalizationResult> personalizeFsrs(const std::vector<ReviewLogRecord>& reviews,
                                              const StudyDayBoundary& boundary,
                                              const FsrsParameters& current);

}  // namespace retain::core
