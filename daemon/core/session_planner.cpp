#include "core/session_planner.h"

#include <algorithm>
#include <cmath>
#include <deque>

namespace retain::core {
namespace {

// Expected value of introducing a new item relative to rescuing a fully forgotten review.
constexpr double kNewItemValue = 0.6;

bool unseen(const ItemTrack* t) {
    return !t || !t->memory;
}
bool suspended(const ItemTrack* t) {
    return t && t->suspended;
}

bool inScope(const ItemRef& ref, const std::string& scope) {
    if (scope.empty())
        return true;
    return ref.statement && (ref.statement->statement->id() == scope || ref.statement->domain->id() == scope);
}

// Interleaves questions and flashcards (in proportion to their counts) and avoids two items of the
// same task statement in a row when another is available, keeping each kind's priority order.
std::vector<PlannedItem> interleave(const std::vector<PlannedItem>& chosen, const ContentPack& pack) {
    std::deque<PlannedItem> questions, cards;
    for (const auto& p : chosen)
        (pack.itemAt(p.itemIndex).item->kind() == v1::FLASHCARD ? cards : questions).push_back(p);
    std::vector<PlannedItem> out;
    out.reserve(chosen.size());
    double qTaken = 0, cTaken = 0;
    const double qTotal = static_cast<double>(questions.size()), cTotal = static_cast<double>(cards.size());
    const TaskStatementRef* last = nullptr;
    while (!questions.empty() || !cards.empty()) {
        // Take from the kind that is furthest behind its share.
        const bool takeQuestion = cards.empty() || (!questions.empty() && qTaken / qTotal <= cTaken / cTotal);
        auto& q = takeQuestion ? questions : cards;
        // Prefer, within the next few of this kind, one from a different task statement.
        size_t pick = 0;
        for (size_t i = 0; i < std::min<size_t>(q.size(), 4); ++i) {
            if (pack.itemAt(q[i].itemIndex).statement != last) {
                pick = i;
                break;
            }
        }
        out.push_back(q[pick]);
        last = pack.itemAt(q[pick].itemIndex).statement;
        q.erase(q.begin() + static_cast<long>(pick));
        (takeQuestion ? qTaken : cTaken) += 1;
    }
    return out;
}

}  // namespace

TimeEstimates estimateTimes(const LearnerModel& model) {
    TimeEstimates t;
    double cardSum = 0, questionSum = 0;
    int cards = 0, questions = 0;
    for (const auto& [id, track] : model.tracks()) {
        for (const auto& a : track.answers) {
            if (a.undone || a.responseMs == 0)
                continue;
            const double minutes = std::min(10.0, a.responseMs / 60000.0);
            if (a.chosen.empty()) {
                cardSum += minutes;
                ++cards;
            } else {
                questionSum += minutes;
                ++questions;
            }
        }
    }
    if (cards >= 20)
        t.flashcardMinutes = std::max(0.05, cardSum / cards);
    if (questions >= 10)
        t.questionMinutes = std::max(0.1, questionSum / questions);
    return t;
}

int newAllowanceToday(const LearnerModel& model, int64_t nowMs) {
    const auto& s = model.settings();
    const int64_t today = model.days().dayOf(nowMs);
    const int introduced = model.newItemsOnDay(today);
    const int limit = std::max(0, s.newItemsPerDay - introduced);
    const Exam* exam = model.exam();
    const ContentPack* pack = model.pack();
    if (!exam || !pack || s.examDate.empty())
        return limit;
    const auto examDay = StudyDayClock::parseIsoDate(s.examDate);
    if (!examDay || today < 0)
        return limit;
    const int64_t cutoff = *examDay - kConsolidationDays;
    if (today >= cutoff)
        return 0;  // consolidation phase: reviews and mock exams only
    int remaining = 0;
    for (size_t idx : exam->items()) {
        const auto* t = model.track(pack->itemAt(idx).item->id());
        if (unseen(t) && !suspended(t))
            ++remaining;
    }
    // Spread what was unseen at the start of today evenly over the days left before the cutoff.
    const int64_t daysLeft = cutoff - today;
    const int target = static_cast<int>((remaining + introduced + daysLeft - 1) / daysLeft);
    return std::min(limit, std::max(0, target - introduced));
}

SessionPlan planSession(const LearnerModel& model, const KnowledgeModel& knowledge, const PlanRequest& req) {
    SessionPlan plan;
    const Exam* exam = model.exam();
    const ContentPack* pack = model.pack();
    if (!exam || !pack)
        return plan;
    const int64_t today = model.days().dayOf(req.nowMs);
    const TimeEstimates times = estimateTimes(model);
    plan.newAllowance = newAllowanceToday(model, req.nowMs);

    std::vector<MasteryEstimate> mastery;
    for (size_t i = 0; i < exam->taskStatements().size(); ++i)
        mastery.push_back(knowledge.taskStatement(static_cast<int>(i), today));

    std::vector<PlannedItem> reviews, fresh;
    for (size_t idx : exam->items()) {
        const ItemRef& ref = pack->itemAt(idx);
        if (!ref.statement)
            continue;
        if (req.mode == PlanMode::Drill && !inScope(ref, req.scope))
            continue;
        const ItemTrack* t = model.track(ref.item->id());
        if (suspended(t))
            continue;
        const auto& m = mastery[ref.statement->index];
        const double weight = ref.statement->domain->weight_percent() / 100.0;
        const double need = (1.0 - m.mean) * (1.0 + m.stddev);
        const double minutes =
            ref.item->kind() == v1::FLASHCARD ? times.flashcardMinutes : times.questionMinutes;
        PlannedItem p{idx, false, 0, minutes, {}};
        char why[160];
        if (unseen(t)) {
            if (req.mode == PlanMode::ReviewMistakes)
                continue;
            p.isNew = true;
            p.gain = weight * need * kNewItemValue / minutes;
            std::snprintf(why, sizeof why, "new; task statement %s mastery %.0f%% (domain weight %.0f%%)",
                          ref.statement->statement->id().c_str(), m.mean * 100, weight * 100);
            p.reason = why;
            fresh.push_back(std::move(p));
            continue;
        }
        const double r = model.retrievability(*t, req.nowMs);
        if (req.mode == PlanMode::ReviewMistakes) {
            const auto last =
                std::find_if(t->answers.rbegin(), t->answers.rend(), [](const auto& a) { return !a.undone; });
            if (last == t->answers.rend() || last->correct)
                continue;
        } else if (req.mode == PlanMode::DailyReview && t->dueDay > today) {
            continue;
        }
        p.gain = weight * need * (1.0 - r) / minutes;
        std::snprintf(
            why, sizeof why, "%s; recall %.0f%%; task statement %s mastery %.0f%% (domain weight %.0f%%)%s",
            t->dueDay <= today ? "due" : "not yet due", r * 100, ref.statement->statement->id().c_str(),
            m.mean * 100, weight * 100, t->leech ? "; leech" : "");
        p.reason = why;
        reviews.push_back(std::move(p));
    }
    auto byGain = [](const PlannedItem& a, const PlannedItem& b) {
        return a.gain != b.gain ? a.gain > b.gain : a.itemIndex < b.itemIndex;
    };
    std::sort(reviews.begin(), reviews.end(), byGain);
    // New items: each kind ranked by gain (ties in pack order), then mixed in the proportion the kinds
    // have among the candidates. Ranking both kinds together by gain per minute would starve questions
    // (they take longer per item), and a learner must practise the exam's format from the start.
    {
        std::vector<PlannedItem> cards, questions;
        for (auto& p : fresh)
            (pack->itemAt(p.itemIndex).item->kind() == v1::FLASHCARD ? cards : questions).push_back(p);
        std::sort(cards.begin(), cards.end(), byGain);
        std::sort(questions.begin(), questions.end(), byGain);
        const double share =
            fresh.empty() ? 0 : static_cast<double>(questions.size()) / static_cast<double>(fresh.size());
        fresh.clear();
        size_t c = 0, q = 0;
        while (c < cards.size() || q < questions.size()) {
            const bool takeQuestion =
                c >= cards.size() ||
                (q < questions.size() && static_cast<double>(q) < share * static_cast<double>(c + q + 1));
            fresh.push_back(takeQuestion ? questions[q++] : cards[c++]);
        }
    }
    if (static_cast<int>(fresh.size()) > plan.newAllowance)
        fresh.resize(static_cast<size_t>(plan.newAllowance));

    // Merge both lists by gain within the time budget.
    std::vector<PlannedItem> chosen;
    size_t ri = 0, fi = 0;
    double minutes = 0;
    while ((ri < reviews.size() || fi < fresh.size()) && static_cast<int>(chosen.size()) < req.maxItems) {
        const bool takeReview =
            fi >= fresh.size() || (ri < reviews.size() && reviews[ri].gain >= fresh[fi].gain);
        const PlannedItem& next = takeReview ? reviews[ri] : fresh[fi];
        if (minutes + next.minutes > req.minutes) {
            // Too long for what is left of the budget: a shorter item further down may still fit.
            (takeReview ? ri : fi) += 1;
            continue;
        }
        minutes += next.minutes;
        chosen.push_back(next);
        (takeReview ? ri : fi) += 1;
        (next.isNew ? plan.newItems : plan.reviews) += 1;
    }
    if (chosen.empty() && req.maxItems > 0 && (!reviews.empty() || !fresh.empty())) {
        // A budget shorter than any item still gets the single most valuable one.
        const bool takeReview = fresh.empty() || (!reviews.empty() && reviews[0].gain >= fresh[0].gain);
        const PlannedItem& best = takeReview ? reviews[0] : fresh[0];
        minutes = best.minutes;
        chosen.push_back(best);
        (best.isNew ? plan.newItems : plan.reviews) += 1;
    }
    plan.minutes = minutes;
    plan.items = interleave(chosen, *pack);
    return plan;
}

}  // namespace retain::core
