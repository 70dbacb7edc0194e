#pragma once
// The session builder: which due and new items to study now, in what order.
//
// One objective: spend the learner's minutes where they raise the predicted exam result on the exam date
// most (on a horizon of kDefaultHorizonDays when there is no date). Each candidate is scored by its
// expected gain per minute:
//   gain = domain weight x (1 - mastery of its task statement) x (1 + uncertainty) x value
// where a review's value is the recall it carries to the exam date (examRetentionGain) and a new item's a
// fixed coverage value (kNewItemValue, about what one first exposure keeps over 60 days under the default
// parameters). Candidates are taken by gain per estimated minute within the session's
// minutes, then interleaved so questions and flashcards alternate and one task statement does not run in a
// long block.
//
// New items: as many as the minutes left after the due reviews allow, up to the learner's daily limit, and
// at least the pace that introduces the whole pack before the last days before the exam (consolidation:
// min(14, a quarter of the days left)) — never a lockout: close to the exam a new item still adds coverage.
// They are spread over the task statements in proportion to weight x need (a deficit round robin over
// what each statement has had so far), so weighting decides how much each part gets without starving
// the light domains. Drill sessions introduce new items of their scope beyond the daily limit (the
// learner asked). When the due reviews and new items leave minutes, reviews not yet due whose recall has
// dropped fill them (ahead of schedule), so a willing learner always has work.

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
    int newAllowance = 0;  // new items this plan may introduce (the limit, the budget and the pace)
};

inline constexpr int kConsolidationDays = 14;
// Minutes left after the due reviews and new items go to reviews not yet due whose recall has fallen
// at least this far (1 - R), reviewed before today.
inline constexpr double kEarlyReviewRisk = 0.05;
// The horizon reviews are valued at when the learner has set no exam date.
inline constexpr int kDefaultHorizonDays = 30;

// Estimated minutes to answer an item (flashcard or question), from the learner's own response times
// when there are enough, else defaults.
struct TimeEstimates {
    double flashcardMinutes = 0.4;
    double questionMinutes = 1.6;
};
TimeEstimates estimateTimes(const LearnerModel& model);

// New items allowed today: the learner's daily limit (new_items_per_day) minus those already introduced.
// The limit is the learner's; no other cap applies (pacing is a floor, below).
int newAllowanceToday(const LearnerModel& model, int64_t nowMs);

// How the planner paces new material toward the exam date. Without an exam date only `unseen` is set.
struct Pacing {
    int unseen = 0;               // items not yet introduced when today began (suspended ones excluded)
    int64_t daysLeft = 0;         // days to the exam (0: no exam date, or it is past)
    int consolidationDays = 0;    // the last days before the exam, where reviews come first
    int perDay = 0;               // new items a day that introduce everything before the consolidation days
    int64_t coverableByExam = 0;  // items the learner's limit can still introduce before the exam
};
// min(kConsolidationDays, a quarter of the days left).
int consolidationDays(int64_t daysLeft);
Pacing pacing(const LearnerModel& model, int64_t nowMs);
// The plan in a sentence, for Today and `retainctl today`: how many new items a day, until when, what is
// left for consolidation, and any limit that keeps part of the pack unseen by the exam.
std::string planSentence(const LearnerModel& model, int64_t nowMs);
// What keeping to the plan adds between now and the start of `day`, per task statement: new items at the
// learner's daily limit (never more than are left, spread over the statements by what each has left)
// and answers at the learner's own recent rate (answers a day over the last 14 days, or since they
// began if that is sooner), spread over the statements by the items they will have studied; as of the
// study day of `nowMs` (answers after it are ignored, so history can ask what the plan was). Readiness's
// forecast for a later date projects the knowledge model with it (KnowledgeModel::withPlannedStudy).
PlannedStudy plannedStudy(const LearnerModel& model, int64_t nowMs, int64_t day);
// What plannedStudy reads of a learner's answers, gathered once for callers that ask about many days
// (readiness history). Only first answers are turned into study days; the pace counts answers by time.
struct AnswerDays {
    std::vector<int64_t> introduced;   // per item answered: the study day of its first answer, sorted
    std::vector<int64_t> firstByItem;  // per pack item index: that day; INT64_MAX: never answered
    std::vector<int64_t> answeredMs;   // the time of every answer not undone (any order)
    static AnswerDays of(const LearnerModel& model);
};
PlannedStudy plannedStudy(const LearnerModel& model, const AnswerDays& answers, int64_t today, int64_t day);
// "3 January 2027" for a study day.
std::string longDate(int64_t day);

// Expected recall on the exam date, `horizon` days from today, if an item with memory `m` last reviewed
// `elapsed` days ago is reviewed today, minus its recall then without the review. The review succeeds
// with probability R now (recall stability) or lapses (post-lapse stability, at most S).
double examRetentionGain(const Fsrs& f, const MemoryState& m, double elapsed, double horizon);

// Reviews a daily session would offer ahead of schedule now (the rule above), suspended items excluded.
int earlyReviewsAvailable(const LearnerModel& model, int64_t nowMs);

// Why a learner has nothing left worth studying today, for Today and a session that ends empty: nothing
// due, the new items of the day in (or none left to introduce), no review worth doing early.
std::string nothingLeftReason(const LearnerModel& model, int64_t nowMs);

SessionPlan planSession(const LearnerModel& model, const KnowledgeModel& knowledge,
                        const PlanRequest& request);

}  // namespace retain::core
