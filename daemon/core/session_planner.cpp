#include "core/session_planner.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <map>

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

// A review not yet due that a daily session offers when minutes are left: reviewed before today, and its
// recall fallen at least kEarlyReviewRisk.
bool worthReviewingEarly(const ItemTrack& t, double recall, int64_t today) {
    return t.lastDay < today && 1.0 - recall >= kEarlyReviewRisk;
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

double examRetentionGain(const Fsrs& f, const MemoryState& m, double elapsed, double horizon) {
    const double r = f.retrievability(elapsed, m.stability);
    const double success = f.recallStability(m.difficulty, m.stability, r, Rating::Good);
    const double failure = std::min(m.stability, f.lapseStability(m.difficulty, m.stability, r));
    const double with =
        r * f.retrievability(horizon, success) + (1.0 - r) * f.retrievability(horizon, failure);
    return std::max(0.0, with - f.retrievability(elapsed + horizon, m.stability));
}

TimeEstimates estimateTimes(const LearnerModel& model) {
    TimeEstimates t;
    // Whole milliseconds, summed exactly: a sum of doubles would follow the order of the tracks (the
    // order the events arrived in), and replicas of one learner would plan and report different minutes.
    uint64_t cardMs = 0, questionMs = 0;
    int cards = 0, questions = 0;
    for (const auto& [id, track] : model.tracks()) {
        for (const auto& a : track.answers) {
            if (a.undone || a.responseMs == 0)
                continue;
            const uint64_t ms = std::min<uint32_t>(600'000, a.responseMs);  // at most 10 minutes
            if (a.chosen.empty()) {
                cardMs += ms;
                ++cards;
            } else {
                questionMs += ms;
                ++questions;
            }
        }
    }
    if (cards >= 20)
        t.flashcardMinutes = std::max(0.05, static_cast<double>(cardMs) / 60000.0 / cards);
    if (questions >= 10)
        t.questionMinutes = std::max(0.1, static_cast<double>(questionMs) / 60000.0 / questions);
    return t;
}

int newAllowanceToday(const LearnerModel& model, int64_t nowMs) {
    const int64_t today = model.days().dayOf(nowMs);
    return std::max(0, model.settings().newItemsPerDay - model.newItemsOnDay(today));
}

int consolidationDays(int64_t daysLeft) {
    return static_cast<int>(std::min<int64_t>(kConsolidationDays, std::max<int64_t>(0, daysLeft / 4)));
}

Pacing pacing(const LearnerModel& model, int64_t nowMs) {
    Pacing p;
    const Exam* exam = model.exam();
    const ContentPack* pack = model.pack();
    const auto& s = model.settings();
    const int64_t today = model.days().dayOf(nowMs);
    const int introduced = model.newItemsOnDay(today);
    if (!exam || !pack)
        return p;
    for (size_t idx : exam->items()) {
        const auto* t = model.track(pack->itemAt(idx).item->id());
        if (unseen(t) && !suspended(t))
            ++p.unseen;
    }
    p.unseen += introduced;  // what was unseen when today began
    if (s.examDate.empty())
        return p;
    const auto examDay = StudyDayClock::parseIsoDate(s.examDate);
    if (!examDay || *examDay <= today)
        return p;
    p.daysLeft = *examDay - today;
    p.consolidationDays = consolidationDays(p.daysLeft);
    // Everything introduced before the consolidation days, spread evenly; inside them, over the days left
    // (a new item still adds coverage: never a lockout).
    const int64_t introductionDays = std::max<int64_t>(1, p.daysLeft - p.consolidationDays);
    p.perDay = static_cast<int>((p.unseen + introductionDays - 1) / introductionDays);
    p.coverableByExam = std::min<int64_t>(p.unseen, static_cast<int64_t>(s.newItemsPerDay) * p.daysLeft);
    return p;
}

AnswerDays AnswerDays::of(const LearnerModel& model) {
    AnswerDays out;
    const ContentPack* pack = model.pack();
    if (pack)
        out.firstByItem.assign(pack->itemCount(), std::numeric_limits<int64_t>::max());
    for (const auto& [id, t] : model.tracks()) {
        bool first = true;
        for (const auto& a : t.answers) {
            if (a.undone)
                continue;
            out.answeredMs.push_back(a.wallMs);
            if (first) {  // the answer that introduced the item (LearnerModel::newItemsOnDay)
                const int64_t d = model.days().dayOf(a.wallMs);
                out.introduced.push_back(d);
                if (const ItemRef* ref = pack ? pack->item(id) : nullptr)
                    out.firstByItem[ref->index] = d;
                first = false;
            }
        }
    }
    std::sort(out.introduced.begin(), out.introduced.end());
    return out;
}

PlannedStudy plannedStudy(const LearnerModel& model, int64_t nowMs, int64_t day) {
    return plannedStudy(model, AnswerDays::of(model), model.days().dayOf(nowMs), day);
}

PlannedStudy plannedStudy(const LearnerModel& model, const AnswerDays& answers, int64_t today, int64_t day) {
    PlannedStudy plan;
    const Exam* exam = model.exam();
    const ContentPack* pack = model.pack();
    if (!exam || !pack)
        return plan;
    const size_t statements = exam->taskStatements().size();
    plan.newItems.assign(statements, 0.0);
    plan.answers.assign(statements, 0.0);
    const int64_t daysLeft = std::max<int64_t>(0, day - today);
    if (daysLeft == 0)
        return plan;
    // As of today (an earlier day asks what the plan was then): answers after today do not count.
    std::vector<double> left(statements, 0.0), studied(statements, 0.0);
    double totalLeft = 0;
    for (size_t s = 0; s < statements; ++s)
        for (size_t idx : exam->itemsOf(static_cast<int>(s))) {
            if (suspended(model.track(pack->itemAt(idx).item->id())))
                continue;
            const bool seen = idx < answers.firstByItem.size() && answers.firstByItem[idx] <= today;
            (seen ? studied[s] : left[s]) += 1;
            totalLeft += seen ? 0 : 1;
        }
    const auto [introducedFrom, introducedTo] =
        std::equal_range(answers.introduced.begin(), answers.introduced.end(), today);
    const double limit =
        static_cast<double>(model.settings().newItemsPerDay) * static_cast<double>(daysLeft) -
        static_cast<double>(introducedTo - introducedFrom);
    const double newTotal = std::clamp(limit, 0.0, totalLeft);
    // The learner's recent pace: answers a day over the last 14 days (or since the first answer).
    const int64_t first = answers.introduced.empty() ? today : std::min(today, answers.introduced.front());
    const int64_t from = today - first >= 14 ? today - 14 : first;
    const int64_t to = today - first >= 14 ? today - 1 : today;
    const int64_t fromMs = model.days().dayStartMs(from), toMs = model.days().dayStartMs(to + 1);
    const auto recent = std::count_if(answers.answeredMs.begin(), answers.answeredMs.end(),
                                      [&](int64_t ms) { return ms >= fromMs && ms < toMs; });
    const double answersTotal =
        static_cast<double>(recent) / static_cast<double>(to - from + 1) * static_cast<double>(daysLeft);
    double studiedBy = 0;
    for (size_t s = 0; s < statements; ++s) {
        plan.newItems[s] = totalLeft > 0 ? newTotal * left[s] / totalLeft : 0.0;
        studiedBy += studied[s] + plan.newItems[s];
    }
    for (size_t s = 0; s < statements; ++s)
        plan.answers[s] = studiedBy > 0 ? answersTotal * (studied[s] + plan.newItems[s]) / studiedBy : 0.0;
    return plan;
}

std::string longDate(int64_t day) {
    static const char* const kMonths[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};
    const std::string iso = StudyDayClock::isoDate(day);  // YYYY-MM-DD
    const int month = std::stoi(iso.substr(5, 2));
    return std::to_string(std::stoi(iso.substr(8, 2))) + " " + kMonths[month - 1] + " " + iso.substr(0, 4);
}

std::string planSentence(const LearnerModel& model, int64_t nowMs) {
    const auto& s = model.settings();
    const Pacing p = pacing(model, nowMs);
    const int64_t today = model.days().dayOf(nowMs);
    const int cap = s.newItemsPerDay;
    const auto items = [](int64_t n) { return std::to_string(n) + (n == 1 ? " item" : " items"); };
    const auto days = [](int64_t n) { return std::to_string(n) + (n == 1 ? " day" : " days"); };
    const auto examDay = s.examDate.empty() ? std::nullopt : StudyDayClock::parseIsoDate(s.examDate);
    if (examDay && *examDay <= today)
        return "Your exam date " + longDate(*examDay) +
               " has passed: set the new one (exam_date) to pace the plan.";
    const std::string exam =
        examDay ? "your exam on " + longDate(*examDay) + " (in " + days(*examDay - today) + ")"
                : std::string();
    if (p.unseen == 0)
        return examDay ? "Everything has been introduced: reviews keep it until " + exam + "."
                       : "Everything has been introduced: daily reviews keep it.";
    if (cap == 0)
        return "Your limit is 0 new items a day: only reviews and drills until you raise new_items_per_day.";
    if (!examDay) {
        const int64_t finish = (p.unseen + cap - 1) / cap;
        return "No exam date: up to " + std::to_string(cap) +
               " new a day (your limit, when the minutes allow) after " + "the due reviews; " +
               items(p.unseen) + " to go, about " + days(finish) +
               ". Set exam_date to pace the pack to your exam.";
    }
    if (p.coverableByExam < p.unseen)
        return "Your limit of " + std::to_string(cap) + " new a day introduces " +
               std::to_string(p.coverableByExam) + " of the " + items(p.unseen) + " left before " + exam +
               "; " + std::to_string(p.unseen - p.coverableByExam) +
               " will stay unseen (the plan starts with the most valuable). Raise new_items_per_day to cover "
               "them.";
    const int64_t introductionDays = std::max<int64_t>(1, p.daysLeft - p.consolidationDays);
    if (p.perDay > cap) {
        const int64_t finish = today + (p.unseen + cap - 1) / cap;
        return "At your limit of " + std::to_string(cap) + " new a day the " + items(p.unseen) +
               " left are all introduced by " + longDate(finish) + ", " + days(*examDay - finish) +
               " before " + exam + "; raising it to " + std::to_string(p.perDay) + " would leave " +
               days(p.consolidationDays) + " to consolidate.";
    }
    return std::to_string(p.perDay) + " new a day (more when your minutes allow, up to your limit of " +
           std::to_string(cap) + ") introduces the " + items(p.unseen) + " left by " +
           longDate(today + introductionDays) + ", then " + days(p.consolidationDays) +
           " of consolidation before " + exam + ".";
}

namespace {

// Orders new items: across task statements by a deficit round robin, so that each statement's share of
// everything introduced so far follows its weight x need; questions and flashcards mixed in the proportion
// they have among the candidates (a learner practises the exam's format from the start), each kind of a
// statement by gain.
std::vector<PlannedItem> orderNewItems(std::vector<PlannedItem> fresh, const LearnerModel& model,
                                       const std::vector<MasteryEstimate>& mastery, const Exam& exam,
                                       const ContentPack& pack) {
    auto byGain = [](const PlannedItem& a, const PlannedItem& b) {
        return a.gain != b.gain ? a.gain > b.gain : a.itemIndex < b.itemIndex;
    };
    const size_t n = exam.taskStatements().size();
    std::vector<std::deque<PlannedItem>> cards(n), questions(n);
    double questionCount = 0;
    for (auto& p : fresh) {
        const auto& ref = pack.itemAt(p.itemIndex);
        const bool question = ref.item->kind() != v1::FLASHCARD;
        questionCount += question ? 1 : 0;
        (question ? questions : cards)[static_cast<size_t>(ref.statement->index)].push_back(p);
    }
    for (size_t i = 0; i < n; ++i) {
        std::sort(cards[i].begin(), cards[i].end(), byGain);
        std::sort(questions[i].begin(), questions[i].end(), byGain);
    }
    const double share = fresh.empty() ? 0 : questionCount / static_cast<double>(fresh.size());
    // Each statement's target share: domain weight x its part of the domain's items x need.
    std::vector<double> itemsIn(n, 0), seen(n, 0), target(n, 0);
    std::map<std::string, double> domainItems;
    for (size_t idx : exam.items()) {
        const auto& ref = pack.itemAt(idx);
        if (!ref.statement)
            continue;
        const auto s = static_cast<size_t>(ref.statement->index);
        itemsIn[s] += 1;
        domainItems[ref.statement->domain->id()] += 1;
        if (!unseen(model.track(ref.item->id())))
            seen[s] += 1;
    }
    double total = 0, seenTotal = 0;
    for (const auto& ts : exam.taskStatements()) {
        const auto s = static_cast<size_t>(ts.index);
        if (itemsIn[s] == 0)
            continue;
        const auto& m = mastery[s];
        target[s] = ts.domain->weight_percent() / 100.0 * itemsIn[s] / domainItems[ts.domain->id()] *
                    (1.0 - m.mean) * (1.0 + m.stddev);
        total += target[s];
        seenTotal += seen[s];
    }
    std::vector<PlannedItem> out;
    out.reserve(fresh.size());
    double questionsTaken = 0;
    while (out.size() < fresh.size()) {
        const double k = static_cast<double>(out.size());
        bool wantQuestion = questionsTaken < share * (k + 1);
        const double after = seenTotal + k + 1;
        size_t best = n;
        double bestDeficit = 0;
        for (int attempt = 0; attempt < 2 && best == n; ++attempt, wantQuestion = !wantQuestion) {
            for (size_t s = 0; s < n; ++s) {
                if ((wantQuestion ? questions : cards)[s].empty())
                    continue;
                const double deficit =
                    (total > 0 ? target[s] / total : 1.0 / static_cast<double>(n)) * after - seen[s];
                if (best == n || deficit > bestDeficit) {
                    best = s;
                    bestDeficit = deficit;
                }
            }
            if (best != n) {
                auto& q = (wantQuestion ? questions : cards)[best];
                out.push_back(q.front());
                q.pop_front();
                questionsTaken += wantQuestion ? 1 : 0;
            }
        }
        seen[best] += 1;
    }
    return out;
}

}  // namespace

int earlyReviewsAvailable(const LearnerModel& model, int64_t nowMs) {
    const Exam* exam = model.exam();
    const ContentPack* pack = model.pack();
    if (!exam || !pack)
        return 0;
    const int64_t today = model.days().dayOf(nowMs);
    int n = 0;
    for (size_t idx : exam->items()) {
        const ItemTrack* t = model.track(pack->itemAt(idx).item->id());
        if (!unseen(t) && !suspended(t) && t->dueDay > today &&
            worthReviewingEarly(*t, model.retrievability(*t, nowMs), today))
            ++n;
    }
    return n;
}

std::string nothingLeftReason(const LearnerModel& model, int64_t nowMs) {
    const auto p = pacing(model, nowMs);
    const int64_t today = model.days().dayOf(nowMs);
    const int introduced = model.newItemsOnDay(today);
    const int limit = model.settings().newItemsPerDay;
    std::string fresh;
    if (p.unseen - introduced <= 0)
        fresh = "every item has been introduced";
    else if (limit == 0)
        fresh = "your limit is 0 new items a day (new_items_per_day)";
    else
        fresh = "today's " + std::to_string(introduced) + " new " +
                (introduced == 1 ? "item is" : "items are") +
                " in (your limit, new_items_per_day = " + std::to_string(limit) + ")";
    bool anySeen = false;
    if (const Exam* exam = model.exam(); exam && model.pack())
        for (size_t idx : exam->items())
            anySeen = anySeen || !unseen(model.track(model.pack()->itemAt(idx).item->id()));
    const std::string what =
        anySeen
            ? "nothing is due, " + fresh + ", and every other review is still above " +
                  std::to_string(static_cast<int>(std::lround((1.0 - kEarlyReviewRisk) * 100))) + "% recall"
            : "nothing is due and " + fresh;
    return "Nothing worth studying is left today: " + what +
           ". A drill or Review my mistakes is always there.";
}

SessionPlan planSession(const LearnerModel& model, const KnowledgeModel& knowledge, const PlanRequest& req) {
    SessionPlan plan;
    const Exam* exam = model.exam();
    const ContentPack* pack = model.pack();
    if (!exam || !pack)
        return plan;
    const int64_t today = model.days().dayOf(req.nowMs);
    const TimeEstimates times = estimateTimes(model);

    std::vector<MasteryEstimate> mastery;
    for (size_t i = 0; i < exam->taskStatements().size(); ++i)
        mastery.push_back(knowledge.taskStatement(static_cast<int>(i), today));

    // Reviews are valued by the recall they carry to the exam date (kDefaultHorizonDays without one).
    const auto paceNow = pacing(model, req.nowMs);
    const double horizon = paceNow.daysLeft > 0 ? static_cast<double>(paceNow.daysLeft)
                                                : static_cast<double>(kDefaultHorizonDays);
    std::vector<PlannedItem> reviews, fresh, early;
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
        bool ahead = false;
        if (req.mode == PlanMode::ReviewMistakes) {
            const auto last =
                std::find_if(t->answers.rbegin(), t->answers.rend(), [](const auto& a) { return !a.undone; });
            if (last == t->answers.rend() || last->correct)
                continue;
        } else if (req.mode == PlanMode::DailyReview && t->dueDay > today) {
            if (!worthReviewingEarly(*t, r, today))
                continue;
            ahead = true;
        }
        const double elapsed = static_cast<double>(std::max<int64_t>(0, today - t->lastDay));
        p.gain = weight * need * examRetentionGain(model.fsrs(), *t->memory, elapsed, horizon) / minutes;
        std::snprintf(why, sizeof why,
                      "%s; recall %.0f%%; task statement %s mastery %.0f%% (domain weight %.0f%%)%s",
                      ahead                ? "ahead of schedule (minutes left)"
                      : t->dueDay <= today ? "due"
                                           : "not yet due",
                      r * 100, ref.statement->statement->id().c_str(), m.mean * 100, weight * 100,
                      t->leech ? "; leech" : "");
        p.reason = why;
        (ahead ? early : reviews).push_back(std::move(p));
    }
    auto byGain = [](const PlannedItem& a, const PlannedItem& b) {
        return a.gain != b.gain ? a.gain > b.gain : a.itemIndex < b.itemIndex;
    };
    std::sort(reviews.begin(), reviews.end(), byGain);
    std::sort(early.begin(), early.end(), byGain);

    // How many new items: what the minutes left after the reviews hold, up to the learner's limit, and at
    // least the exam-date pace (also up to the limit). A drill is asked for: its budget alone decides.
    double reviewMinutes = 0;
    for (const auto& p : reviews)
        reviewMinutes += p.minutes;
    double freshMinutes = 0;
    for (const auto& p : fresh)
        freshMinutes += p.minutes;
    const double perNew = fresh.empty() ? 1.0 : freshMinutes / static_cast<double>(fresh.size());
    const int room = static_cast<int>(std::max(0.0, req.minutes - reviewMinutes) / perNew);
    if (req.mode == PlanMode::Drill) {
        plan.newAllowance = room;
    } else if (req.mode == PlanMode::DailyReview) {
        const int limit = newAllowanceToday(model, req.nowMs);
        const auto pace = pacing(model, req.nowMs);
        const int paced = std::max(0, pace.perDay - model.newItemsOnDay(today));
        plan.newAllowance = std::min(limit, std::max(paced, room));
    }
    fresh = orderNewItems(std::move(fresh), model, mastery, *exam, *pack);

    // Merge both lists by gain within the time budget.
    std::vector<PlannedItem> chosen;
    size_t ri = 0, fi = 0;
    double minutes = 0;
    while ((ri < reviews.size() || fi < fresh.size()) && static_cast<int>(chosen.size()) < req.maxItems) {
        if (plan.newItems >= plan.newAllowance)
            fi = fresh.size();  // the allowance is used: the rest of the budget goes to reviews
        if (ri >= reviews.size() && fi >= fresh.size())
            break;
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
    // Minutes left: reviews ahead of schedule, most forgotten first.
    for (const auto& p : early) {
        if (static_cast<int>(chosen.size()) >= req.maxItems)
            break;
        if (minutes + p.minutes > req.minutes)
            continue;
        minutes += p.minutes;
        chosen.push_back(p);
        plan.reviews += 1;
    }
    if (chosen.empty() && req.maxItems > 0 &&
        (!reviews.empty() || (!fresh.empty() && plan.newAllowance > 0))) {
        // A budget shorter than any item still gets the single most valuable one.
        const bool takeReview =
            fresh.empty() || plan.newAllowance <= 0 || (!reviews.empty() && reviews[0].gain >= fresh[0].gain);
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
