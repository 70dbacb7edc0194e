// Study sessions: plan, present, grade, undo, summarise.
#include <algorithm>
#include <numeric>
#include <random>
#include <set>

#include "core/ids.h"
#include "engine/engine.h"

namespace retain::engine {

using core::Error;
using core::ErrorCode;

namespace {

// An item answered AGAIN comes back after this many other items, at most this many times a session.
constexpr uint32_t kRelearnGap = 4;
constexpr int kMaxRelearnPerSession = 2;

core::PlanMode planMode(v1::StudyMode mode) {
    switch (mode) {
        case v1::DRILL:
            return core::PlanMode::Drill;
        case v1::REVIEW_MISTAKES:
            return core::PlanMode::ReviewMistakes;
        default:
            return core::PlanMode::DailyReview;
    }
}

// Why a session planned nothing: a daily review says what is done and what is not there; a drill or a
// review of mistakes had nothing in its scope.
std::string emptySessionReason(v1::StudyMode mode, const core::LearnerModel& model, int64_t nowMs) {
    switch (mode) {
        case v1::DAILY_REVIEW:
            return core::nothingLeftReason(model, nowMs);
        case v1::REVIEW_MISTAKES:
            return "no answer is wrong now: no mistakes to review";
        default:
            return "nothing in this session's scope to study";
    }
}

// Presentation order of a question's options: shuffled, deterministic per session and item.
std::vector<uint32_t> optionOrder(const v1::Item& item, const std::string& sessionId) {
    std::vector<uint32_t> order(static_cast<size_t>(item.options_size()));
    std::iota(order.begin(), order.end(), 0u);
    std::mt19937_64 rng(core::fuzzSeed(sessionId + "/" + item.id()));
    std::shuffle(order.begin(), order.end(), rng);
    return order;
}

// Derived grade of a question from correctness and response time relative to the learner's norm.
core::Rating questionRating(bool correct, uint32_t responseMs, double typicalMinutes) {
    if (!correct)
        return core::Rating::Again;
    const double minutes = responseMs / 60000.0;
    if (minutes > 2.0 * typicalMinutes)
        return core::Rating::Hard;
    if (minutes < 0.4 * typicalMinutes)
        return core::Rating::Easy;
    return core::Rating::Good;
}

}  // namespace

Result<OpenSession*> Engine::requireSession(LearnerSlot& slot, const std::string& sessionId) {
    auto it = slot.sessions.find(sessionId);
    if (it == slot.sessions.end())
        return core::notFound("session \"" + sessionId + "\" not found for this learner");
    return &it->second;
}

Result<v1::Session> Engine::startSession(const v1::StartSessionRequest& req) {
    auto slotR = requireLearner(req.learner_id());
    if (!slotR)
        return slotR.error();
    LearnerSlot& slot = **slotR;
    const core::Exam* exam = slot.model.exam();
    if (!exam)
        return core::failedPrecondition("no content is loaded for the learner's exam");
    if (req.mode() == v1::DRILL) {
        bool known = exam->taskStatement(req.scope()) || exam->domain(req.scope());
        if (!known)
            return core::invalidArgument("scope: \"" + req.scope() +
                                         "\" is neither a domain nor a task statement of " + exam->code());
    }
    std::vector<v1::Event> events;
    // Starting a session ends the open one.
    if (!slot.openSession.empty()) {
        auto& old = slot.sessions[slot.openSession];
        if (!old.ended) {
            auto e = newEvent(slot.model.learnerId());
            e.mutable_session()->set_session_id(old.info.id());
            e.mutable_session()->set_mode(old.info.mode());
            e.mutable_session()->set_start(false);
            events.push_back(std::move(e));
            old.ended = true;
            old.endedMs = m_clock.nowMs();
        }
    }
    OpenSession session;
    const int64_t now = m_clock.nowMs();
    const std::string id = core::randomHex(16);
    const auto& settings = slot.model.settings();
    double minutes = req.minutes();
    if (minutes == 0) {
        if (req.mode() == v1::DAILY_REVIEW || req.mode() == v1::STUDY_MODE_UNSPECIFIED) {
            // What is left of today's minutes (at least 5, so a learner who wants more can have it).
            const int64_t today = slot.model.days().dayOf(now);
            double studied = 0;
            for (const auto& [itemId, t] : slot.model.tracks())
                for (const auto& a : t.answers)
                    if (!a.undone && slot.model.days().dayOf(a.wallMs) == today)
                        studied += a.responseMs / 60000.0;
            minutes = std::max(5.0, settings.minutesPerDay - studied);
        } else {
            minutes = 20;
        }
    }
    core::PlanRequest plan{planMode(req.mode()), req.scope(), minutes,
                           req.max_items() ? static_cast<int>(req.max_items()) : 1000, now};
    auto& know = knowledge(slot);
    session.plan = core::planSession(slot.model, know, plan);
    session.minutesBudget = minutes;
    const int64_t day = slot.model.days().dayOf(now);
    for (size_t i = 0; i < exam->taskStatements().size(); ++i)
        session.masteryBefore.push_back(know.taskStatement(static_cast<int>(i), day).mean);
    auto& info = session.info;
    info.set_id(id);
    info.set_learner_id(slot.model.learnerId());
    info.set_mode(req.mode() == v1::STUDY_MODE_UNSPECIFIED ? v1::DAILY_REVIEW : req.mode());
    info.set_scope(req.scope());
    info.set_planned_reviews(static_cast<uint32_t>(session.plan.reviews));
    info.set_planned_new(static_cast<uint32_t>(session.plan.newItems));
    info.set_estimated_minutes(session.plan.minutes);
    info.set_started_ms(now);
    auto e = newEvent(slot.model.learnerId());
    e.mutable_session()->set_session_id(id);
    e.mutable_session()->set_mode(info.mode());
    e.mutable_session()->set_start(true);
    e.mutable_session()->set_scope(req.scope());
    events.push_back(std::move(e));
    if (auto st = commit(slot, std::move(events)); !st)
        return st.error();
    slot.sessions[id] = std::move(session);
    slot.openSession = id;
    return slot.sessions[id].info;
}

Result<v1::NextItemResponse> Engine::nextItem(const v1::NextItemRequest& req) {
    auto slotR = requireLearner(req.learner_id());
    if (!slotR)
        return slotR.error();
    LearnerSlot& slot = **slotR;
    auto sessionR = requireSession(slot, req.session_id());
    if (!sessionR)
        return sessionR.error();
    OpenSession& s = **sessionR;
    v1::NextItemResponse out;
    const uint32_t done = static_cast<uint32_t>(s.answers.size());
    out.set_done(done);
    if (s.ended) {
        out.set_finished(true);
        out.set_finished_reason("the session has ended");
        return out;
    }
    std::optional<size_t> pick = s.current;
    std::string reason;
    // A requeued item whose turn has come, else the plan, else any requeued item.
    auto ready = std::find_if(s.requeue.begin(), s.requeue.end(),
                              [&](const auto& r) { return r.notBefore <= s.presented; });
    if (!pick && ready == s.requeue.end() && s.cursor >= s.plan.items.size() && !s.requeue.empty())
        ready = s.requeue.begin();
    if (!pick && ready != s.requeue.end()) {
        pick = ready->item;
        s.requeue.erase(ready);
        reason = "again: relearning within this session";
    }
    if (!pick && s.cursor < s.plan.items.size()) {
        pick = s.plan.items[s.cursor].itemIndex;
        reason = s.plan.items[s.cursor].reason;
        ++s.cursor;
    }
    if (!pick) {
        out.set_finished(true);
        out.set_finished_reason(s.plan.items.empty()
                                    ? emptySessionReason(s.info.mode(), slot.model, m_clock.nowMs())
                                    : "all planned items are done");
        return out;
    }
    if (reason.empty())
        reason = "current item";
    s.current = pick;
    out.set_remaining(static_cast<uint32_t>(s.plan.items.size() - s.cursor + s.requeue.size() + 1));
    const auto& ref = m_pack->itemAt(*pick);
    const auto& item = *ref.item;
    auto* p = out.mutable_item();
    p->set_id(item.id());
    p->set_revision(item.revision());
    p->set_task_statement(item.task_statement());
    if (ref.statement)
        p->set_domain_id(ref.statement->domain->id());
    p->set_kind(item.kind());
    p->set_prompt(item.prompt());
    for (uint32_t idx : optionOrder(item, s.info.id())) {
        p->add_options(item.options(static_cast<int>(idx)).text());
        p->add_option_index(idx);
    }
    if (item.kind() == v1::MULTIPLE_RESPONSE)
        p->set_choose(static_cast<uint32_t>(core::correctCount(item)));
    const auto* track = slot.model.track(item.id());
    p->set_is_new(!track || !track->memory);
    if (track && track->leech) {
        p->set_is_leech(true);
        p->set_leech_explanation(item.explanation());
        for (const auto& r : item.related())
            if (const auto* rel = m_pack->item(r); !rel || !rel->item->mock_reserve())  // never the reserve
                p->add_related_item_ids(r);
    }
    const int64_t today = slot.model.days().dayOf(m_clock.nowMs());
    std::optional<core::MemoryState> memory;
    int elapsed = 0;
    if (track && track->memory) {
        memory = track->memory;
        elapsed = static_cast<int>(std::max<int64_t>(0, today - track->lastDay));
    }
    // The same fuzz seed as the fold's for this answer (the item and its review count), so a button's
    // interval is the one the answer gets.
    const auto intervals = slot.model.fsrs().previewIntervals(
        memory, elapsed, slot.model.schedulingOptions(),
        core::LearnerModel::scheduleSeed(item.id(), track ? track->reviews : 0));
    for (int v : intervals)
        out.add_interval_days(static_cast<uint32_t>(v));
    out.set_reason(reason);
    return out;
}

Result<v1::AnswerResponse> Engine::answer(const v1::AnswerRequest& req) {
    auto slotR = requireLearner(req.learner_id());
    if (!slotR)
        return slotR.error();
    LearnerSlot& slot = **slotR;
    auto sessionR = requireSession(slot, req.session_id());
    if (!sessionR)
        return sessionR.error();
    OpenSession& s = **sessionR;
    if (s.ended)
        return core::failedPrecondition("session " + s.info.id() + " has ended; start a new one");
    const auto* ref = m_pack->item(req.item_id());
    if (!ref)
        return core::notFound("item \"" + req.item_id() + "\" not found");
    if (!s.current || *s.current != ref->index)
        return core::failedPrecondition(
            "item \"" + req.item_id() +
            "\" is not the session's current item; call NextItem and answer what it returns");
    const auto& item = *ref->item;
    const bool question = item.kind() != v1::FLASHCARD;
    if (!question && req.rating() == v1::RATING_UNSPECIFIED)
        return core::invalidArgument("rating: a flashcard needs a self-grade (AGAIN, HARD, GOOD or EASY)");
    if (question && req.chosen_options().empty())
        return core::invalidArgument("chosen_options: a question needs at least one chosen option");
    if (!question && !req.chosen_options().empty())
        return core::invalidArgument("chosen_options: a flashcard has no options");
    std::vector<uint32_t> chosen(req.chosen_options().begin(), req.chosen_options().end());
    for (uint32_t c : chosen)
        if (c >= static_cast<uint32_t>(item.options_size()))
            return core::invalidArgument("chosen_options: option " + std::to_string(c) +
                                         " does not exist (the item has " +
                                         std::to_string(item.options_size()) + " options, numbered from 0)");
    std::sort(chosen.begin(), chosen.end());
    if (std::adjacent_find(chosen.begin(), chosen.end()) != chosen.end())
        return core::invalidArgument("chosen_options: an option is chosen twice");
    if (item.kind() == v1::MULTIPLE_CHOICE && chosen.size() != 1)
        return core::invalidArgument("chosen_options: a multiple-choice question takes exactly one option");
    if (item.kind() == v1::MULTIPLE_RESPONSE && chosen.size() > static_cast<size_t>(core::correctCount(item)))
        return core::invalidArgument("chosen_options: this question asks for " +
                                     std::to_string(core::correctCount(item)) + " options; " +
                                     std::to_string(chosen.size()) + " were chosen");

    bool correct;
    core::Rating rating;
    if (question) {
        std::vector<uint32_t> right;
        for (int i = 0; i < item.options_size(); ++i)
            if (item.options(i).correct())
                right.push_back(static_cast<uint32_t>(i));
        correct = right == chosen;  // all-or-nothing
        rating = questionRating(correct, req.response_ms(), core::estimateTimes(slot.model).questionMinutes);
    } else {
        rating = static_cast<core::Rating>(req.rating());
        correct = rating != core::Rating::Again;
    }
    auto e = newEvent(slot.model.learnerId());
    auto* a = e.mutable_answer();
    a->set_item_id(item.id());
    a->set_item_revision(item.revision());
    a->set_rating(static_cast<v1::Rating>(rating));
    for (uint32_t c : chosen)
        a->add_chosen_options(c);
    a->set_correct(correct);
    a->set_response_ms(req.response_ms());
    a->set_mode(s.info.mode());
    a->set_session_id(s.info.id());
    const std::string eventId = e.id();
    const bool wasLeech = slot.model.track(item.id()) && slot.model.track(item.id())->leech;
    if (auto st = commit(slot, {std::move(e)}); !st)
        return st.error();

    s.current.reset();
    s.answers.push_back(eventId);
    maybeTriggerOptimization(slot);
    if (rating == core::Rating::Again && ++s.relearnCount[ref->index] <= kMaxRelearnPerSession) {
        // Relearn within the session: show it again after a few other items.
        s.requeue.push_back({ref->index, s.presented + kRelearnGap});
    }
    const auto* track = slot.model.track(item.id());
    v1::AnswerResponse out;
    out.set_event_id(eventId);
    out.set_correct(correct);
    out.set_rating(static_cast<v1::Rating>(rating));
    for (int i = 0; i < item.options_size(); ++i) {
        if (item.options(i).correct())
            out.add_correct_options(static_cast<uint32_t>(i));
        out.add_option_explanations(item.options(i).explanation());
    }
    out.set_explanation(item.explanation());
    out.set_answer(item.answer());
    *out.mutable_references() = item.references();
    out.set_as_of(item.as_of());
    out.set_interval_days(static_cast<uint32_t>(track->intervalDays));
    out.set_due_date(core::StudyDayClock::isoDate(track->dueDay));
    out.set_stability(track->memory->stability);
    out.set_difficulty(track->memory->difficulty);
    out.set_became_leech(track->leech && !wasLeech);
    return out;
}

Result<v1::UndoResponse> Engine::undo(const v1::UndoRequest& req) {
    auto slotR = requireLearner(req.learner_id());
    if (!slotR)
        return slotR.error();
    LearnerSlot& slot = **slotR;
    auto sessionR = requireSession(slot, req.session_id());
    if (!sessionR)
        return sessionR.error();
    OpenSession& s = **sessionR;
    std::string target = req.answer_event_id();
    if (target.empty()) {
        for (auto it = s.answers.rbegin(); it != s.answers.rend() && target.empty(); ++it) {
            auto [itemId, rec] = slot.model.findAnswer(*it);
            if (rec && !rec->undone)
                target = *it;
        }
        if (target.empty())
            return core::failedPrecondition("nothing to undo in this session");
    }
    auto [itemId, rec] = slot.model.findAnswer(target);
    if (!rec)
        return core::notFound("answer event \"" + target + "\" not found for this learner");
    if (rec->undone)
        return core::failedPrecondition("answer " + target + " is already undone");
    const std::string item = *itemId;
    auto e = newEvent(slot.model.learnerId());
    e.mutable_undo()->set_answer_event_id(target);
    if (auto st = commit(slot, {std::move(e)}); !st)
        return st.error();
    if (const auto* ref = m_pack->item(item); ref && !s.ended) {
        // Offer the item again next; drop a relearning copy queued by the undone answer.
        std::erase_if(s.requeue, [&](const auto& r) { return r.item == ref->index; });
        if (s.current)
            s.requeue.insert(s.requeue.begin(), {*s.current, 0});
        s.current = ref->index;
    }
    v1::UndoResponse out;
    out.set_undone_event_id(target);
    out.set_item_id(item);
    return out;
}

v1::SessionSummary Engine::summarize(LearnerSlot& slot, const OpenSession& s) {
    v1::SessionSummary out;
    *out.mutable_session() = s.info;
    out.set_ended(s.ended);
    const int32_t idx = slot.model.sessionIndex(s.info.id());
    for (const auto& id : s.answers) {
        auto [itemId, a] = slot.model.findAnswer(id);
        if (!a || a->undone || a->session != idx)
            continue;
        out.set_answered(out.answered() + 1);
        if (a->correct)
            out.set_correct(out.correct() + 1);
        const auto* t = slot.model.track(*itemId);
        if (t && !t->answers.empty()) {
            auto first =
                std::find_if(t->answers.begin(), t->answers.end(), [](const auto& x) { return !x.undone; });
            if (first != t->answers.end() && first->eventId == id)
                out.set_new_items(out.new_items() + 1);
        }
        switch (a->rating) {
            case core::Rating::Again:
                out.set_again(out.again() + 1);
                break;
            case core::Rating::Hard:
                out.set_hard(out.hard() + 1);
                break;
            case core::Rating::Good:
                out.set_good(out.good() + 1);
                break;
            case core::Rating::Easy:
                out.set_easy(out.easy() + 1);
                break;
        }
        out.set_seconds(out.seconds() + a->responseMs / 1000.0);
    }
    if (const core::Exam* exam = slot.model.exam()) {
        auto& know = knowledge(slot);
        const int64_t day = slot.model.days().dayOf(m_clock.nowMs());
        for (size_t i = 0; i < exam->taskStatements().size() && i < s.masteryBefore.size(); ++i) {
            const double after = know.taskStatement(static_cast<int>(i), day).mean;
            if (std::abs(after - s.masteryBefore[i]) < 1e-9)
                continue;
            auto* c = out.add_mastery_changes();
            c->set_task_statement(exam->taskStatements()[i].statement->id());
            c->set_before(s.masteryBefore[i]);
            c->set_after(after);
        }
    }
    return out;
}

Result<v1::SessionSummary> Engine::endSession(const v1::EndSessionRequest& req) {
    auto slotR = requireLearner(req.learner_id());
    if (!slotR)
        return slotR.error();
    LearnerSlot& slot = **slotR;
    auto sessionR = requireSession(slot, req.session_id());
    if (!sessionR)
        return sessionR.error();
    OpenSession& s = **sessionR;
    if (!s.ended) {
        auto e = newEvent(slot.model.learnerId());
        e.mutable_session()->set_session_id(s.info.id());
        e.mutable_session()->set_mode(s.info.mode());
        e.mutable_session()->set_start(false);
        if (auto st = commit(slot, {std::move(e)}); !st)
            return st.error();
        s.ended = true;
        s.endedMs = m_clock.nowMs();
        if (slot.openSession == s.info.id())
            slot.openSession.clear();
    }
    return summarize(slot, s);
}

Result<v1::SessionSummary> Engine::sessionSummary(const v1::GetSessionSummaryRequest& req) {
    auto slotR = requireLearner(req.learner_id());
    if (!slotR)
        return slotR.error();
    auto sessionR = requireSession(**slotR, req.session_id());
    if (!sessionR)
        return sessionR.error();
    return summarize(**slotR, **sessionR);
}

Result<v1::ImportReviewsResponse> Engine::importReviews(const v1::ImportReviewsRequest& req) {
    auto slotR = requireLearner(req.learner_id());
    if (!slotR)
        return slotR.error();
    LearnerSlot& slot = **slotR;
    std::vector<v1::Event> events;
    v1::ImportReviewsResponse out;
    std::set<std::pair<std::string, int64_t>> batch;
    for (const auto& r : req.reviews()) {
        const std::string itemId = "import/" + r.card_id();
        // Idempotent by (card, time): skip what this learner already has, or what repeats in the batch.
        bool seen = !batch.insert({itemId, r.time_ms()}).second;
        if (const auto* t = slot.model.track(itemId); t && !seen)
            seen = std::any_of(t->answers.begin(), t->answers.end(),
                               [&](const auto& a) { return a.wallMs == r.time_ms(); });
        if (seen) {
            out.set_duplicates(out.duplicates() + 1);
            continue;
        }
        auto e = newEvent(slot.model.learnerId());
        // The review's own time orders it in the fold (hlc from its wall time, then our sequence).
        e.set_wall_time_ms(r.time_ms());
        e.set_hlc(core::HybridClock::make(r.time_ms(), 0));
        auto* a = e.mutable_answer();
        a->set_item_id(itemId);
        a->set_rating(r.rating());
        a->set_correct(r.rating() != v1::AGAIN);
        a->set_response_ms(r.duration_ms());
        a->set_mode(v1::IMPORTED);
        events.push_back(std::move(e));
    }
    out.set_imported(static_cast<uint32_t>(events.size()));
    if (auto st = commit(slot, std::move(events)); !st)
        return st.error();
    uint64_t total = 0;
    for (const auto& [id, t] : slot.model.tracks())
        if (id.rfind("import/", 0) == 0)
            total += t.answers.size();
    out.set_total_imported(total);
    maybeTriggerOptimization(slot);
    return out;
}

}  // namespace retain::engine
