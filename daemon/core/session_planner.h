#pragma once
// The session builder: which due and new items to study now, in what order.
//
// Each candidate is scored by its expected exam-score gain per minute:
//   gain = domain weight x (1 - mastery of its task statement) x forgetting risk (x uncertainty bonus)
// where forgetting risk is 1 - R (probability of having forgotten it now) for a review and a fixed
// learning value for a new item. Candidates are taken by gain per estimated minute within the session's
// minutes and the day's new-item allowance, then interleaved so questions and flashcards alternate and
// one task statement does not run in a long block. With an exam date, new material is paced so all of
// it is introduced before the consolidation phase (the last kConsolidationDays days).

#include <cstdint>
#include <string>
#include <vector>

#include "core/knowledge_model.h"
#include "core/learner_model.h"

namespace retain::core {

enum class PlanMode { DailyReview, Drill, ReviewMistakes };

struct PlanRequest {
    PlanMode mode = PlanMode::DailyReview;
    std::string scope;    // Drill: domain id or task statement id
    double minutes = 20;  // time budget of the session
    int maxItems = 1000;
    int64_t nowMs = 0;
};

struct PlannedItem {
    size_t itemIndex = 0;  // into ContentPack::items()
    bool isNew = false;
    double gain = 0;  // expected gain per minute (for "why this item")
    double minutes = 0;
    std::string reason;
};

struct SessionPlan {
    std::vector<PlannedItem> items;
    int reviews = 0;
    int newItems = 0;
    double minutes = 0;
    int newAllowance = 0;  // new items still allowed today (after pacing)
};

inline constexpr int kConsolidationDays = 14;

// Estimated minutes to answer an item (flashcard or question), from the learner's own response times
// when there are enough, else defaults.
struct TimeEstimates {
    double flashcardMinutes = 0.4;
    double questionMinutes = 1.6;
};
TimeEstimates estimateTimes(const LearnerModel& model);

// New items allowed today: the daily limit, minus those already introduced, paced by the exam date.
int newAllowanceToday(const LearnerModel& model, int64_t nowMs);

SessionPlan planSession(const LearnerModel& model, const KnowledgeModel& knowledge,
                        const PlanRequest& request);

}  // namespace retain::core
