// The optimiser's data side: turning a review log into training items, the outlier filter, the
// pre-training of the initial stabilities, and time-series folds. The training loop and the
// metrics are in fsrs_optimizer.cpp.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "core/fsrs_optimizer.h"

namespace retain::core {
namespace {

constexpr int64_t kDayMs = 86400000;
constexpr double kInitialStabilityMax = 100.0;

int64_t floorDiv(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

uint32_t longTermReviews(const FsrsDataset& data, const FsrsTrainingItem& item) {
    const auto& reviews = data.cards[item.card];
    uint32_t n = 0;
    for (uint32_t i = 0; i < item.length; ++i)
        n += reviews[i].deltaDays > 0;
    return n;
}

// The first review with a positive interval (every item has one: its last review).
const FsrsReview& firstLongTermReview(const FsrsDataset& data, const FsrsTrainingItem& item) {
    const auto& reviews = data.cards[item.card];
    for (uint32_t i = 0; i < item.length; ++i)
        if (reviews[i].deltaDays > 0)
            return reviews[i];
    return reviews[item.length - 1];
}

}  // namespace

Result<FsrsDataset> buildFsrsDataset(std::span<const ReviewLogRecord> reviews,
                                     const StudyDayBoundary& boundary) {
    if (boundary.rolloverHour < 0 || boundary.rolloverHour > 23)
        return invalidArgument("rollover hour must be 0..23, got " + std::to_string(boundary.rolloverHour));
    if (std::abs(boundary.utcOffsetMinutes) > 18 * 60)
        return invalidArgument("UTC offset must be within +-18 hours, got " +
                               std::to_string(boundary.utcOffsetMinutes) + " minutes");
    const int64_t shiftMs = static_cast<int64_t>(boundary.utcOffsetMinutes) * 60000 -
                            static_cast<int64_t>(boundary.rolloverHour) * 3600000;

    FsrsDataset data;
    std::unordered_map<std::string, uint32_t> cardIndex;
    std::vector<std::vector<const ReviewLogRecord*>> byCard;
    for (const auto& r : reviews) {
        auto [it, inserted] = cardIndex.try_emplace(r.cardId, static_cast<uint32_t>(byCard.size()));
        if (inserted) {
            byCard.emplace_back();
            data.cardIds.push_back(r.cardId);
        }
        byCard[it->second].push_back(&r);
    }
    data.cards.resize(byCard.size());
    for (uint32_t c = 0; c < byCard.size(); ++c) {
        auto& list = byCard[c];
        std::stable_sort(list.begin(), list.end(), [](const ReviewLogRecord* a, const ReviewLogRecord* b) {
            return a->timeMs < b->timeMs;
        });
        auto& out = data.cards[c];
        out.reserve(list.size());
        int64_t prevDay = 0;
        for (size_t i = 0; i < list.size(); ++i) {
            const int64_t day = floorDiv(list[i]->timeMs + shiftMs, kDayMs);
            FsrsReview review;
            review.rating = static_cast<uint8_t>(list[i]->rating);
            review.deltaDays = i == 0 ? 0 : static_cast<uint32_t>(day - prevDay);
            out.push_back(review);
            prevDay = day;
            if (i > 0 && review.deltaDays > 0)
                data.items.push_back({c, static_cast<uint32_t>(i + 1), list[i]->timeMs});
        }
        data.reviewCount += list.size();
    }
    std::sort(data.items.begin(), data.items.end(), [](const FsrsTrainingItem& a, const FsrsTrainingItem& b) {
        if (a.timeMs != b.timeMs)
            return a.timeMs < b.timeMs;
        if (a.card != b.card)
            return a.card < b.card;
        return a.length < b.length;
    });
    return data;
}

FsrsPreparedData prepareFsrsTrainingData(const FsrsDataset& data, std::span<const FsrsTrainingItem> items,
                                         bool filterOutliers) {
    FsrsPreparedData out;
    std::vector<FsrsTrainingItem> pretrain;
    for (const auto& item : items)
        if (longTermReviews(data, item) == 1)
            pretrain.push_back(item);
    if (!filterOutliers) {
        out.pretrain = std::move(pretrain);
        out.train.assign(items.begin(), items.end());
        return out;
    }
    // Group the pre-training items by first rating, then by their first interval.
    std::map<int, std::map<uint32_t, std::vector<FsrsTrainingItem>>> groups;
    for (const auto& item : pretrain)
        groups[data.cards[item.card][0].rating][data.current(item).deltaDays].push_back(item);
    std::array<std::set<uint32_t>, 5> removed;
    for (auto& [rating, byDelta] : groups) {
        std::vector<std::pair<uint32_t, std::vector<FsrsTrainingItem>*>> sub;
        size_t total = 0;
        for (auto& [delta, list] : byDelta) {
            sub.emplace_back(delta, &list);
            total += list.size();
        }
        // Smallest groups first (ties: shortest interval first): drop them until about 5 % (at
        // least 20 items) are gone; then keep groups of 6+ items with a plausible first interval.
        std::sort(sub.begin(), sub.end(), [](const auto& a, const auto& b) {
            if (a.second->size() != b.second->size())
                return a.second->size() < b.second->size();
            return a.first < b.first;
        });
        const size_t threshold = std::max<size_t>(20, total / 20);
        size_t dropped = 0;
        const uint32_t maxDelta = rating != 4 ? 100 : 365;
        for (auto& [delta, list] : sub) {
            if (dropped + list->size() >= threshold) {
                if (list->size() >= 6 && delta <= maxDelta)
                    out.pretrain.insert(out.pretrain.end(), list->begin(), list->end());
                else
                    removed[static_cast<size_t>(rating)].insert(delta);
            } else {
                dropped += list->size();
                removed[static_cast<size_t>(rating)].insert(delta);
            }
        }
    }
    for (const auto& item : items) {
        const int first = data.cards[item.card][0].rating;
        if (!removed[static_cast<size_t>(first)].count(firstLongTermReview(data, item).deltaDays))
            out.train.push_back(item);
    }
    return out;
}

std::optional<std::array<double, 4>> smoothInitialStability(
    const std::array<std::optional<double>, 4>& byRating, const std::array<uint32_t, 4>& counts) {
    static constexpr std::array<double, 4> kDefault = {0.212, 1.2931, 2.3065, 8.2956};
    std::array<std::optional<double>, 5> s;  // 1-based, as the reference writes it
    for (int r = 1; r <= 4; ++r)
        if (counts[static_cast<size_t>(r - 1)] > 0)
            s[static_cast<size_t>(r)] = byRating[static_cast<size_t>(r - 1)];
    auto count = [&](int r) { return counts[static_cast<size_t>(r - 1)]; };
    for (auto [small, big] :
         std::array<std::pair<int, int>, 6>{{{1, 2}, {2, 3}, {3, 4}, {1, 3}, {2, 4}, {1, 4}}}) {
        auto& a = s[static_cast<size_t>(small)];
        auto& b = s[static_cast<size_t>(big)];
        if (a && b && *a > *b) {
            if (count(small) > count(big))
                b = *a;
            else
                a = *b;
        }
    }
    const double w1 = 0.41, w2 = 0.54;  // fsrs-rs parameter_initialization.rs (since 2024; 3/5 before)
    const int present =
        static_cast<int>(std::count_if(s.begin() + 1, s.end(), [](const auto& v) { return v.has_value(); }));
    if (present == 0)
        return std::nullopt;
    std::array<double, 4> out{};
    using std::pow;
    if (present == 1) {
        int r = 1;
        while (!s[static_cast<size_t>(r)])
            ++r;
        const double factor = *s[static_cast<size_t>(r)] / kDefault[static_cast<size_t>(r - 1)];
        for (size_t i = 0; i < 4; ++i)
            out[i] = kDefault[i] * factor;
    } else {
        auto& r1 = s[1];
        auto& r2 = s[2];
        auto& r3 = s[3];
        auto& r4 = s[4];
        if (present == 2) {
            const double c = w1 + w2 - w1 * w2;
            if (!r1 && !r2) {
                r2 = pow(*r3, 1.0 / (1.0 - w2)) * pow(*r4, 1.0 - 1.0 / (1.0 - w2));
                r1 = pow(*r2, 1.0 / w1) * pow(*r3, 1.0 - 1.0 / w1);
            } else if (!r1 && !r3) {
                r3 = pow(*r2, 1.0 - w2) * pow(*r4, w2);
                r1 = pow(*r2, 1.0 / w1) * pow(*r3, 1.0 - 1.0 / w1);
            } else if (!r1 && !r4) {
                r4 = pow(*r2, 1.0 - 1.0 / w2) * pow(*r3, 1.0 / w2);
                r1 = pow(*r2, 1.0 / w1) * pow(*r3, 1.0 - 1.0 / w1);
            } else if (!r2 && !r3) {
                r2 = pow(*r1, w1 / c) * pow(*r4, 1.0 - w1 / c);
                r3 = pow(*r1, 1.0 - w2 / c) * pow(*r4, w2 / c);
            } else if (!r2 && !r4) {
                r2 = pow(*r1, w1) * pow(*r3, 1.0 - w1);
                r4 = pow(*r2, 1.0 - 1.0 / w2) * pow(*r3, 1.0 / w2);
            } else {  // r3 and r4 missing
                r3 = pow(*r1, 1.0 - 1.0 / (1.0 - w1)) * pow(*r2, 1.0 / (1.0 - w1));
                r4 = pow(*r2, 1.0 - 1.0 / w2) * pow(*r3, 1.0 / w2);
            }
        } else if (present == 3) {
            if (!r1)
                r1 = pow(*r2, 1.0 / w1) * pow(*r3, 1.0 - 1.0 / w1);
            else if (!r2)
                r2 = pow(*r1, w1) * pow(*r3, 1.0 - w1);
            else if (!r3)
                r3 = pow(*r2, 1.0 - w2) * pow(*r4, w2);
            else
                r4 = pow(*r2, 1.0 - 1.0 / w2) * pow(*r3, 1.0 / w2);
        }
        for (size_t i = 0; i < 4; ++i)
            out[i] = *s[i + 1];
    }
    for (auto& v : out)
        v = std::clamp(v, kFsrsMinStability, kInitialStabilityMax);
    return out;
}

Result<FsrsPretraining> pretrainInitialStability(const FsrsDataset& data,
                                                 std::span<const FsrsTrainingItem> pretrain,
                                                 double averageRecall) {
    // first rating -> first long-term interval -> (recalled, total)
    std::array<std::map<uint32_t, std::pair<double, double>>, 4> groups;
    FsrsPretraining out;
    for (const auto& item : pretrain) {
        const int first = data.cards[item.card][0].rating;
        const auto& review = firstLongTermReview(data, item);
        auto& g = groups[static_cast<size_t>(first - 1)][review.deltaDays];
        g.first += review.rating > 1 ? 1.0 : 0.0;
        g.second += 1.0;
        ++out.counts[static_cast<size_t>(first - 1)];
    }
    // The forgetting curve with the default decay, as the reference pre-trains.
    const double decay = -FsrsParameters::defaults().w[20];
    const double factor = std::pow(0.9, 1.0 / decay) - 1.0;
    std::array<std::optional<double>, 4> fitted;
    for (size_t r = 0; r < 4; ++r) {
        if (groups[r].empty())
            continue;
        const double defaultS0 = FsrsParameters::defaults().w[r];
        auto loss = [&](double s) {
            double total = 0;
            for (const auto& [delta, g] : groups[r]) {
                const double n = g.second;
                // Laplace smoothing towards the average recall.
                const double y = (g.first + averageRecall) / (n + 1.0);
                const double p = std::pow(1.0 + factor * delta / s, decay);
                total += -(y * std::log(p) + (1.0 - y) * std::log(1.0 - p)) * n;
            }
            return total + std::abs(s - defaultS0) / 16.0;
        };
        double low = kFsrsMinStability, high = kInitialStabilityMax, best = defaultS0;
        for (int iter = 0; high - low > std::numeric_limits<double>::epsilon() && iter < 1000; ++iter) {
            const double mid1 = low + (high - low) / 3.0;
            const double mid2 = high - (high - low) / 3.0;
            if (loss(mid1) < loss(mid2))
                high = mid2;
            else
                low = mid1;
            best = (high + low) / 2.0;
        }
        fitted[r] = best;
    }
    const auto smoothed = smoothInitialStability(fitted, out.counts);
    if (!smoothed)
        return failedPrecondition("no review history beyond first reviews to pre-train initial stabilities");
    out.stability = *smoothed;
    return out;
}

std::vector<TimeSeriesFold> timeSeriesSplits(size_t itemCount, int folds) {
    std::vector<TimeSeriesFold> out;
    if (folds < 1 || itemCount == 0)
        return out;
    const size_t k = static_cast<size_t>(folds);
    const size_t segment = itemCount / (k + 1);
    if (segment == 0)
        return out;
    for (size_t i = 0; i < k; ++i) {
        const size_t testBegin = (i + 1) * segment;
        const size_t testEnd = i + 1 == k ? itemCount : (i + 2) * segment;
        out.push_back({testBegin, testBegin, testEnd});
    }
    return out;
}

}  // namespace retain::core
