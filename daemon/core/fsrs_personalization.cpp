#include "core/fsrs_personalization.h"

#include <chrono>

namespace retain::core {

Result<PersonalizationResult> personalizeFsrs(const std::vector<ReviewLogRecord>& reviews,
                                              const StudyDayBoundary& boundary,
                                              const FsrsParameters& current) {
    const auto start = std::chrono::steady_clock::now();
    if (reviews.size() < kMinReviewsForPersonalization)
        return failedPrecondition("personal parameters need at least " +
                                  std::to_string(kMinReviewsForPersonalization) +
                                  " reviews; this learner has " + std::to_string(reviews.size()));
    auto data = buildFsrsDataset(reviews, boundary);
    if (!data)
        return data.error();
    // Items are in time order: train on the past, judge on the future.
    const size_t split = data->items.size() * 4 / 5;
    if (split == 0 || split == data->items.size())
        return failedPrecondition("not enough reviews after the first sight of each item to evaluate a fit");
    const std::span<const FsrsTrainingItem> all(data->items);
    const auto train = all.subspan(0, split);
    const auto heldOut = all.subspan(split);
    const auto fit = fitFsrsParameters(*data, train);
    const auto decision = decideFsrsAdoption(*data, heldOut, current, fit.parameters);
    PersonalizationResult out;
    out.adopted = decision.adopt;
    out.reason = decision.reason;
    out.reviews = data->reviewCount;
    out.heldOut = heldOut.size();
    out.currentLogLoss = decision.currentLogLoss;
    out.candidateLogLoss = decision.candidateLogLoss;
    out.parameters = decision.adopt ? fit.parameters : current;
    out.chosen = evaluateFsrs(*data, heldOut, out.parameters);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

}  // namespace retain::core
