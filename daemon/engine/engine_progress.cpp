// Progress: today, mastery, due forecast, review history, retention.
#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "engine/engine.h"

namespace retain::engine {

namespace {
struct DayStats {
    uint32_t reviews = 0, correct = 0, newItems = 0;
    uint64_t responseMs = 0;  // summed exactly: the figures must not depend on the order of the sum
    double minutes() const { return static_cast<double>(responseMs) / 60000.0; }
};

// The learner's item tracks in item-id order. Sums of doubles over the tracks must not follow the hash
// map's order, which depends on the order the events arrived in: replicas of one learner would report
// figures that differ in their last digits.
std::vector<const core::ItemTrack*> tracksInOrder(const core::LearnerModel& model) {
    std::vector<std::pair<const std::string*, const core::ItemTrack*>> byId;
    byId.reserve(model.tracks().size());
    for (const auto& [id, t] : model.tracks())
        byId.emplace_back(&id, &t);
    std::sort(byId.begin(), byId.end(), [](const auto& a, const auto& b) { return *a.first < *b.first; });
    std::vector<const core::ItemTrack*> out;
    out.reserve(byId.size());
    for (const auto& [id, t] : byId)
        out.push_back(t);
    return out;
}

std::map<int64_t, DayStats> statsByDay(const core::LearnerModel& model) {
    std::map<int64_t, DayStats> days;
    for (const auto& [id, t] : model.tracks()) {
        bool first = true;
        for (const auto& a : t.answers) {
            if (a.undone)
                continue;
            auto& d = days[model.days().dayOf(a.wallMs)];
            ++d.reviews;
            if (a.correct)
                ++d.correct;
            if (first)
                ++d.newItems;
            first = false;
            d.responseMs += a.responseMs;
        }
    }
    return days;
}

std::pair<uint32_t, uint32_t> streaks(const std::map<int64_t, DayStats>& days, int64_t today) {
    uint32_t longest = 0, run = 0;
    int64_t prev = INT64_MIN;
    for (const auto& [day, s] : days) {
        run = (day == prev + 1) ? run + 1 : 1;
        longest = std::max(longest, run);
        prev = day;
    }
    uint32_t current = 0;
    int64_t d = days.count(today) ? today : today - 1;
    while (days.count(d)) {
        ++current;
        --d;
    }
    return {current, longest};
}
}  // namespace

Result<v1::TodaySummary> Engine::today(const std::string& learnerId) {
    auto s = requireLearner(learnerId);
    if (!s)
        return s.error();
    const auto& model = (*s)->model;
    const int64_t now = m_clock.nowMs();
    const int64_t today = model.days().dayOf(now);
    v1::TodaySummary out;
    out.set_today(core::StudyDayClock::isoDate(today));
    const core::Exam* exam = model.exam();
    const auto times = core::estimateTimes(model);
    uint32_t due = 0, seen = 0, unseen = 0;
    double minutes = 0;
    if (exam) {
        out.set_exam_code(exam->code());
        for (size_t idx : exam->items()) {
            const auto& ref = m_pack->itemAt(idx);
            const auto* t = model.track(ref.item->id());
            const double m =
                ref.item->kind() == v1::FLASHCARD ? times.flashcardMinutes : times.questionMinutes;
            if (t && t->suspended)
                continue;
            if (t && t->memory) {
                ++seen;
                if (t->dueDay <= today) {
                    ++due;
                    minutes += m;
                }
            } else {
                ++unseen;
            }
        }
        out.set_items_total(static_cast<uint32_t>(exam->items().size()));
    }
    const int allowance = std::min<int>(core::newAllowanceToday(model, now), static_cast<int>(unseen));
    out.set_due(due);
    out.set_new_available(static_cast<uint32_t>(allowance));
    out.set_estimated_minutes(minutes + allowance * (times.flashcardMinutes + times.questionMinutes) / 2);
    out.set_items_seen(seen);
    out.set_plan(core::planSentence(model, now));
    const int ahead = core::earlyReviewsAvailable(model, now);
    out.set_ahead_available(static_cast<uint32_t>(ahead));
    out.set_minutes_per_day(static_cast<uint32_t>(model.settings().minutesPerDay));
    const auto days = statsByDay(model);
    const auto [current, longest] = streaks(days, today);
    (void)longest;
    out.set_current_streak(current);
    if (auto it = days.find(today); it != days.end()) {
        out.set_reviewed_today(it->second.reviews);
        out.set_minutes_today(it->second.minutes());
    }
    const uint32_t work = due + static_cast<uint32_t>(allowance) + static_cast<uint32_t>(ahead);
    if (work == 0) {
        out.set_status(core::nothingLeftReason(model, now));
    } else if (out.minutes_today() >= model.settings().minutesPerDay && model.settings().minutesPerDay > 0) {
        const auto count = [](uint32_t n, const char* what) { return std::to_string(n) + " " + what; };
        std::string more;
        for (const auto& part :
             {due > 0 ? count(due, "due") : std::string(),
              allowance > 0 ? count(static_cast<uint32_t>(allowance), "new") : std::string(),
              ahead > 0 ? count(static_cast<uint32_t>(ahead), "worth reviewing early") : std::string()})
            if (!part.empty())
                more += (more.empty() ? "" : ", ") + part;
        const int budget = model.settings().minutesPerDay;
        out.set_status("Today's " + std::to_string(budget) + (budget == 1 ? " minute is" : " minutes are") +
                       " used. More is there if you want it: " + more + ".");
    }
    if (!model.settings().examDate.empty()) {
        out.set_exam_date(model.settings().examDate);
        if (auto examDay = core::StudyDayClock::parseIsoDate(model.settings().examDate))
            out.set_days_to_exam(static_cast<int32_t>(*examDay - today));
    }
    return out;
}

Result<v1::MasteryReport> Engine::mastery(const std::string& learnerId) {
    auto s = requireLearner(learnerId);
    if (!s)
        return s.error();
    LearnerSlot& slot = **s;
    const core::Exam* exam = slot.model.exam();
    v1::MasteryReport out;
    if (!exam)
        return out;
    auto& know = knowledge(slot);
    const int64_t day = slot.model.days().dayOf(m_clock.nowMs());
    std::map<std::string, std::pair<uint32_t, uint32_t>> domainItems;  // seen, total
    for (const auto& ts : exam->taskStatements()) {
        const auto m = know.taskStatement(ts.index, day);
        auto* o = out.add_task_statements();
        o->set_id(ts.statement->id());
        o->set_title(ts.statement->title());
        o->set_weight_percent(ts.domain->weight_percent());
        o->set_mean(m.mean);
        o->set_stddev(m.stddev);
        o->set_questions_answered(m.questions);
        o->set_flashcard_reviews(m.flashcards);
        uint32_t seen = 0;
        for (size_t idx : exam->itemsOf(ts.index)) {
            const auto* t = slot.model.track(m_pack->itemAt(idx).item->id());
            if (t && t->memory)
                ++seen;
        }
        o->set_items_seen(seen);
        o->set_items_total(static_cast<uint32_t>(exam->itemsOf(ts.index).size()));
        domainItems[ts.domain->id()].first += seen;
        domainItems[ts.domain->id()].second += o->items_total();
    }
    for (const auto& d : exam->blueprint().domains()) {
        const auto m = know.domain(d.id(), day);
        auto* o = out.add_domains();
        o->set_id(d.id());
        o->set_title(d.name());
        o->set_weight_percent(d.weight_percent());
        o->set_mean(m.mean);
        o->set_stddev(m.stddev);
        o->set_questions_answered(m.questions);
        o->set_flashcard_reviews(m.flashcards);
        o->set_items_seen(domainItems[d.id()].first);
        o->set_items_total(domainItems[d.id()].second);
    }
    return out;
}

Result<v1::DueForecast> Engine::dueForecast(const std::string& learnerId, uint32_t days) {
    auto s = requireLearner(learnerId);
    if (!s)
        return s.error();
    const auto& model = (*s)->model;
    const int64_t today = model.days().dayOf(m_clock.nowMs());
    std::vector<uint32_t> counts(days ? days : 30, 0);
    for (const auto& [id, t] : model.tracks()) {
        if (!t.memory || t.suspended)
            continue;
        const int64_t offset = std::max<int64_t>(0, t.dueDay - today);
        if (offset < static_cast<int64_t>(counts.size()))
            ++counts[static_cast<size_t>(offset)];
    }
    v1::DueForecast out;
    for (size_t i = 0; i < counts.size(); ++i) {
        auto* d = out.add_days();
        d->set_date(core::StudyDayClock::isoDate(today + static_cast<int64_t>(i)));
        d->set_due(counts[i]);
    }
    return out;
}

Result<v1::ReviewHistory> Engine::reviewHistory(const v1::GetReviewHistoryRequest& req) {
    auto s = requireLearner(req.learner_id());
    if (!s)
        return s.error();
    const auto& model = (*s)->model;
    const int64_t today = model.days().dayOf(m_clock.nowMs());
    const int64_t from =
        req.from_date().empty() ? today - 364 : *core::StudyDayClock::parseIsoDate(req.from_date());
    const int64_t to = req.to_date().empty() ? today : *core::StudyDayClock::parseIsoDate(req.to_date());
    const auto days = statsByDay(model);
    v1::ReviewHistory out;
    for (auto it = days.lower_bound(from); it != days.end() && it->first <= to; ++it) {
        auto* d = out.add_days();
        d->set_date(core::StudyDayClock::isoDate(it->first));
        d->set_reviews(it->second.reviews);
        d->set_correct(it->second.correct);
        d->set_new_items(it->second.newItems);
        d->set_minutes(it->second.minutes());
    }
    const auto [current, longest] = streaks(days, today);
    out.set_current_streak(current);
    out.set_longest_streak(longest);
    return out;
}

Result<v1::RetentionReport> Engine::retention(const std::string& learnerId) {
    auto s = requireLearner(learnerId);
    if (!s)
        return s.error();
    const auto& model = (*s)->model;
    constexpr int kBins = 10;
    struct Acc {
        double predicted = 0, actual = 0;
        uint32_t n = 0;
    };
    std::vector<Acc> bins(kBins);
    std::map<int64_t, Acc> weeks;
    Acc all;
    for (const auto* t : tracksInOrder(model)) {
        bool first = true;
        for (const auto& a : t->answers) {
            if (a.undone)
                continue;
            if (first) {  // first sight has no prediction
                first = false;
                continue;
            }
            const double p = a.retrievabilityBefore;
            const double y = a.rating != core::Rating::Again ? 1.0 : 0.0;
            auto& b = bins[std::min(kBins - 1, static_cast<int>(p * kBins))];
            b.predicted += p;
            b.actual += y;
            ++b.n;
            const int64_t day = model.days().dayOf(a.wallMs);
            auto& w = weeks[day - ((day + 3) % 7)];  // weeks start on Monday (1970-01-01 was a Thursday)
            w.predicted += p;
            w.actual += y;
            ++w.n;
            all.actual += y;
            ++all.n;
        }
    }
    v1::RetentionReport out;
    for (int i = 0; i < kBins; ++i) {
        if (!bins[i].n)
            continue;
        auto* b = out.add_bins();
        b->set_predicted_low(i / double(kBins));
        b->set_predicted_high((i + 1) / double(kBins));
        b->set_mean_predicted(bins[i].predicted / bins[i].n);
        b->set_actual(bins[i].actual / bins[i].n);
        b->set_count(bins[i].n);
    }
    for (const auto& [start, w] : weeks) {
        auto* o = out.add_weeks();
        o->set_week_start(core::StudyDayClock::isoDate(start));
        o->set_predicted(w.predicted / w.n);
        o->set_actual(w.actual / w.n);
        o->set_count(w.n);
    }
    out.set_actual_retention(all.n ? all.actual / all.n : 0);
    out.set_desired_retention(model.settings().desiredRetention);
    return out;
}

}  // namespace retain::engine
