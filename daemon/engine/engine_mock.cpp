// Mock exams: a timed blueprint-shaped form, answered, flagged, paused, submitted (or timed out) and
// scored like the real exam. Submission writes the answers (mode MOCK_EXAM) and the result as events, so
// mocks feed the memory and knowledge models and their reports survive restarts.
#include <algorithm>
#include <cmath>

#include "core/ids.h"
#include "engine/engine.h"

namespace retain::engine {

namespace {

int64_t secondsLeft(const MockState& m, int64_t now) {
    const int64_t paused = m.pausedTotalMs + (m.pausedAt ? now - *m.pausedAt : 0);
    const int64_t elapsed = (now - m.startedMs - paused) / 1000;
    return std::max<int64_t>(0, m.limitSeconds - elapsed);
}

// A finished mock had the exam's whole form: as many questions as the real exam (an exam no longer in
// the content cannot say, so its mocks count as practice).
bool isFullForm(const core::Exam* exam, const v1::MockExamFinished& f) {
    if (!exam)
        return false;
    const auto& form = exam->blueprint().form();
    return f.item_ids_size() > 0 ? static_cast<uint32_t>(f.item_ids_size()) >= form.total_questions()
                                 : f.scored_total() >= form.scored_questions();
}

}  // namespace

v1::MockExam Engine::describeMock(const MockState& m, const std::string& learnerId) const {
    v1::MockExam out;
    out.set_id(m.id);
    out.set_learner_id(learnerId);
    const int64_t now = m_clock.nowMs();
    for (size_t q = 0; q < m.form.size(); ++q) {
        const auto& ref = m_pack->itemAt(m.form[q].itemIndex);
        if (q == 0 && ref.exam)
            out.set_exam_code(ref.exam->code());
        auto* o = out.add_questions();
        o->set_number(static_cast<uint32_t>(q + 1));
        o->set_item_id(ref.item->id());
        o->set_kind(ref.item->kind());
        o->set_prompt(ref.item->prompt());
        for (uint32_t idx : m.form[q].optionOrder) {
            o->add_options(ref.item->options(static_cast<int>(idx)).text());
            o->add_option_index(idx);
        }
        if (ref.item->kind() == v1::MULTIPLE_RESPONSE)
            o->set_choose(static_cast<uint32_t>(core::correctCount(*ref.item)));
        for (uint32_t c : m.chosen[q])
            o->add_chosen_options(c);
        o->set_flagged(m.flagged[q]);
        if (!m.chosen[q].empty())
            out.set_answered(out.answered() + 1);
        if (m.flagged[q])
            out.set_flagged(out.flagged() + 1);
    }
    out.set_started_ms(m.startedMs);
    out.set_time_limit_seconds(static_cast<uint32_t>(m.limitSeconds));
    out.set_seconds_left(static_cast<uint32_t>(secondsLeft(m, now)));
    out.set_paused(m.pausedAt.has_value());
    out.set_exam_conditions(m.examConditions);
    return out;
}

Result<v1::MockExam> Engine::startMock(const v1::StartMockRequest& req) {
    auto slotR = requireLearner(req.learner_id());
    if (!slotR)
        return slotR.error();
    LearnerSlot& slot = **slotR;
    const core::Exam* exam = req.exam_code().empty() ? slot.model.exam() : m_pack->exam(req.exam_code());
    if (!exam)
        return core::notFound("exam \"" + req.exam_code() + "\" not found");
    const auto& form = exam->blueprint().form();
    if (req.questions() > form.total_questions())
        return core::invalidArgument("questions: at most " + std::to_string(form.total_questions()) +
                                     " for " + exam->code());
    MockState m;
    m.id = core::randomHex(16);
    m.startedMs = m_clock.nowMs();
    m.form = core::drawMockForm(*exam, *m_pack, slot.model, m.startedMs, core::fuzzSeed(m.id),
                                static_cast<int>(req.questions()));
    if (m.form.empty())
        return core::failedPrecondition("the pack has no questions for " + exam->code());
    const int total = static_cast<int>(m.form.size());
    // A shorter form gets a proportional time; a non-default limit is not under exam conditions.
    const int64_t proportional = static_cast<int64_t>(form.duration_minutes()) * 60 * total /
                                 static_cast<int64_t>(form.total_questions());
    m.limitSeconds = req.minutes() ? static_cast<int64_t>(req.minutes()) * 60 : proportional;
    m.examConditions = req.minutes() == 0 && total == static_cast<int>(form.total_questions());
    m.chosen.assign(m.form.size(), {});
    m.flagged.assign(m.form.size(), false);
    const std::string id = m.id;
    slot.mocks.emplace(id, std::move(m));
    return describeMock(slot.mocks.at(id), req.learner_id());
}

Result<MockState*> Engine::openMock(LearnerSlot& slot, const std::string& mockId) {
    auto it = slot.mocks.find(mockId);
    if (it == slot.mocks.end()) {
        for (const auto& e : slot.model.mocks())
            if (e.mock_exam().mock_id() == mockId)
                return core::failedPrecondition("mock " + mockId + " has been submitted; see its report");
        return core::notFound("mock \"" + mockId + "\" not found for this learner");
    }
    if (!it->second.pausedAt && secondsLeft(it->second, m_clock.nowMs()) == 0) {
        auto r = finishMock(slot, mockId, true);
        if (!r)
            return r.error();
        return core::failedPrecondition("time ran out for mock " + mockId + "; it was submitted as it stood");
    }
    return &it->second;
}

Result<v1::MockExam> Engine::getMock(const std::string& learnerId, const std::string& mockId) {
    auto slotR = requireLearner(learnerId);
    if (!slotR)
        return slotR.error();
    auto m = openMock(**slotR, mockId);
    if (!m)
        return m.error();
    return describeMock(**m, learnerId);
}

Result<v1::MockExam> Engine::answerMock(const v1::AnswerMockRequest& req) {
    auto slotR = requireLearner(req.learner_id());
    if (!slotR)
        return slotR.error();
    auto mR = openMock(**slotR, req.mock_id());
    if (!mR)
        return mR.error();
    MockState& m = **mR;
    if (m.pausedAt)
        return core::failedPrecondition("the mock is paused; resume it to answer");
    if (req.number() < 1 || req.number() > m.form.size())
        return core::invalidArgument("number: question " + std::to_string(req.number()) +
                                     " does not exist (1-" + std::to_string(m.form.size()) + ")");
    const auto& item = *m_pack->itemAt(m.form[req.number() - 1].itemIndex).item;
    std::vector<uint32_t> chosen(req.chosen_options().begin(), req.chosen_options().end());
    std::sort(chosen.begin(), chosen.end());
    if (std::adjacent_find(chosen.begin(), chosen.end()) != chosen.end())
        return core::invalidArgument("chosen_options: an option is chosen twice");
    for (uint32_t c : chosen)
        if (c >= static_cast<uint32_t>(item.options_size()))
            return core::invalidArgument("chosen_options: option " + std::to_string(c) +
                                         " does not exist (0-" + std::to_string(item.options_size() - 1) +
                                         ")");
    if (item.kind() == v1::MULTIPLE_CHOICE && chosen.size() > 1)
        return core::invalidArgument("chosen_options: question " + std::to_string(req.number()) +
                                     " takes one option");
    if (item.kind() == v1::MULTIPLE_RESPONSE && chosen.size() > static_cast<size_t>(core::correctCount(item)))
        return core::invalidArgument("chosen_options: question " + std::to_string(req.number()) +
                                     " asks for " + std::to_string(core::correctCount(item)) + " options; " +
                                     std::to_string(chosen.size()) + " were chosen");
    m.chosen[req.number() - 1] = std::move(chosen);  // empty clears the answer
    return describeMock(m, req.learner_id());
}

Result<v1::MockExam> Engine::flagQuestion(const v1::FlagQuestionRequest& req) {
    auto slotR = requireLearner(req.learner_id());
    if (!slotR)
        return slotR.error();
    auto mR = openMock(**slotR, req.mock_id());
    if (!mR)
        return mR.error();
    MockState& m = **mR;
    if (req.number() < 1 || req.number() > m.form.size())
        return core::invalidArgument("number: question " + std::to_string(req.number()) +
                                     " does not exist (1-" + std::to_string(m.form.size()) + ")");
    m.flagged[req.number() - 1] = req.flagged();
    return describeMock(m, req.learner_id());
}

Result<v1::MockExam> Engine::pauseMock(const v1::PauseMockRequest& req) {
    auto slotR = requireLearner(req.learner_id());
    if (!slotR)
        return slotR.error();
    auto mR = openMock(**slotR, req.mock_id());
    if (!mR)
        return mR.error();
    MockState& m = **mR;
    const int64_t now = m_clock.nowMs();
    if (req.paused() && !m.pausedAt) {
        m.pausedAt = now;
        m.examConditions = false;  // the real exam cannot be paused
    } else if (!req.paused() && m.pausedAt) {
        m.pausedTotalMs += now - *m.pausedAt;
        m.pausedAt.reset();
    }
    return describeMock(m, req.learner_id());
}

Result<v1::MockReport> Engine::finishMock(LearnerSlot& slot, const std::string& mockId, bool timedOut) {
    MockState& m = slot.mocks.at(mockId);
    const auto& first = m_pack->itemAt(m.form.front().itemIndex);
    const core::Exam& exam = *first.exam;
    const auto score = core::scoreMock(exam, *m_pack, m.form, m.chosen);
    const int64_t now = m_clock.nowMs();
    std::vector<v1::Event> events;
    int answered = 0;
    for (const auto& c : m.chosen)
        answered += !c.empty();
    const int64_t spentMs = std::max<int64_t>(1, now - m.startedMs - m.pausedTotalMs);
    const auto perAnswer =
        static_cast<uint32_t>(std::clamp<int64_t>(spentMs / std::max(1, answered), 1, 3'600'000));
    for (size_t q = 0; q < m.form.size(); ++q) {
        if (m.chosen[q].empty())
            continue;
        const auto& item = *m_pack->itemAt(m.form[q].itemIndex).item;
        auto e = newEvent(slot.model.learnerId());
        auto* a = e.mutable_answer();
        a->set_item_id(item.id());
        a->set_item_revision(item.revision());
        a->set_rating(score.correct[q] ? v1::GOOD : v1::AGAIN);
        for (uint32_t c : m.chosen[q])
            a->add_chosen_options(c);
        a->set_correct(score.correct[q]);
        a->set_response_ms(perAnswer);
        a->set_mode(v1::MOCK_EXAM);
        a->set_session_id(m.id);
        events.push_back(std::move(e));
    }
    auto e = newEvent(slot.model.learnerId());
    auto* r = e.mutable_mock_exam();
    r->set_mock_id(m.id);
    r->set_exam_code(exam.code());
    r->set_scored_correct(static_cast<uint32_t>(score.scoredCorrect));
    r->set_scored_total(static_cast<uint32_t>(score.scoredTotal));
    r->set_estimated_scaled_score(static_cast<uint32_t>(std::lround(score.scaledScore)));
    r->set_passed(score.passed);
    r->set_exam_conditions(m.examConditions);
    r->set_started_ms(m.startedMs);
    r->set_finished_ms(now);
    r->set_timed_out(timedOut);
    for (const auto& d : score.domains) {
        auto* o = r->add_domains();
        o->set_domain_id(d.domainId);
        o->set_correct(static_cast<uint32_t>(d.correct));
        o->set_total(static_cast<uint32_t>(d.total));
    }
    for (size_t q = 0; q < m.form.size(); ++q) {
        r->add_item_ids(m_pack->itemAt(m.form[q].itemIndex).item->id());
        if (!m.form[q].scored)
            r->add_unscored_numbers(static_cast<uint32_t>(q + 1));
        if (m.flagged[q])
            r->add_flagged_numbers(static_cast<uint32_t>(q + 1));
        auto* order = r->add_option_orders();
        for (uint32_t idx : m.form[q].optionOrder)
            order->add_option_index(idx);
    }
    events.push_back(std::move(e));
    if (auto st = commit(slot, std::move(events)); !st)
        return st.error();
    slot.mocks.erase(mockId);
    return mockReport(slot.model.learnerId(), mockId);
}

Result<v1::MockReport> Engine::submitMock(const std::string& learnerId, const std::string& mockId) {
    auto slotR = requireLearner(learnerId);
    if (!slotR)
        return slotR.error();
    LearnerSlot& slot = **slotR;
    if (!slot.mocks.count(mockId)) {
        for (const auto& e : slot.model.mocks())
            if (e.mock_exam().mock_id() == mockId)
                return mockReport(learnerId, mockId);  // idempotent
        return core::notFound("mock \"" + mockId + "\" not found for this learner");
    }
    const bool timedOut =
        !slot.mocks.at(mockId).pausedAt && secondsLeft(slot.mocks.at(mockId), m_clock.nowMs()) == 0;
    return finishMock(slot, mockId, timedOut);
}

Result<v1::MockReport> Engine::mockReport(const std::string& learnerId, const std::string& mockId) {
    auto slotR = requireLearner(learnerId);
    if (!slotR)
        return slotR.error();
    LearnerSlot& slot = **slotR;
    const v1::Event* found = nullptr;
    for (const auto& e : slot.model.mocks())
        if (e.mock_exam().mock_id() == mockId)
            found = &e;
    if (!found) {
        if (slot.mocks.count(mockId))
            return core::failedPrecondition("mock " + mockId + " is still open; submit it first");
        return core::notFound("mock \"" + mockId + "\" not found for this learner");
    }
    const auto& f = found->mock_exam();
    const core::Exam* exam = m_pack->exam(f.exam_code());
    v1::MockReport out;
    out.set_mock_id(f.mock_id());
    out.set_exam_code(f.exam_code());
    out.set_full_form(isFullForm(exam, f));
    if (out.full_form()) {  // a practice form's scaled score would be a guess from a handful of answers
        out.set_scaled_score(f.estimated_scaled_score());
        out.set_passed(f.passed());
    }
    out.set_scored_correct(f.scored_correct());
    out.set_scored_total(f.scored_total());
    out.set_exam_conditions(f.exam_conditions());
    out.set_timed_out(f.timed_out());
    out.set_started_ms(f.started_ms());
    out.set_finished_ms(f.finished_ms());
    if (exam) {
        out.set_passing_scaled_score(exam->blueprint().form().passing_scaled_score());
        out.set_assumption_note(exam->blueprint().form().cut_assumption_note());
    }
    for (const auto& d : f.domains()) {
        auto* o = out.add_domains();
        o->set_domain_id(d.domain_id());
        if (exam)
            if (const auto* dom = exam->domain(d.domain_id()))
                o->set_name(dom->name());
        o->set_correct(d.correct());
        o->set_total(d.total());
        o->set_meets(exam && d.total() > 0 &&
                     static_cast<double>(d.correct()) / d.total() >=
                         exam->blueprint().form().assumed_cut_fraction());
    }
    // The learner's choices come from the mock's answer events.
    const int32_t session = slot.model.sessionIndex(mockId);
    for (int q = 0; q < f.item_ids_size(); ++q) {
        auto* r = out.add_review();
        const uint32_t number = static_cast<uint32_t>(q + 1);
        r->set_number(number);
        const auto* ref = m_pack->item(f.item_ids(q));
        if (ref)
            *r->mutable_item() = *ref->item;
        else
            r->mutable_item()->set_id(f.item_ids(q));  // removed from the content since
        if (const auto* t = slot.model.track(f.item_ids(q)))
            for (const auto& a : t->answers)
                if (a.session == session && !a.undone) {
                    for (uint32_t c : a.chosen)
                        r->add_chosen_options(c);
                    r->set_correct(a.correct);
                }
        r->set_scored(std::find(f.unscored_numbers().begin(), f.unscored_numbers().end(), number) ==
                      f.unscored_numbers().end());
        r->set_flagged(std::find(f.flagged_numbers().begin(), f.flagged_numbers().end(), number) !=
                       f.flagged_numbers().end());
        // The order shown, if recorded and still valid for the item as it is now.
        if (q < f.option_orders_size() && f.option_orders(q).option_index_size() == r->item().options_size())
            *r->mutable_option_order() = f.option_orders(q).option_index();
    }
    return out;
}

Result<v1::ListMocksResponse> Engine::listMocks(const std::string& learnerId) {
    auto slotR = requireLearner(learnerId);
    if (!slotR)
        return slotR.error();
    LearnerSlot& slot = **slotR;
    v1::ListMocksResponse out;
    for (const auto& [id, m] : slot.mocks) {
        auto* e = out.add_mocks();
        e->set_mock_id(id);
        e->set_started_ms(m.startedMs);
        e->set_exam_conditions(m.examConditions);
    }
    for (auto it = slot.model.mocks().rbegin(); it != slot.model.mocks().rend(); ++it) {
        const auto& f = it->mock_exam();
        auto* e = out.add_mocks();
        e->set_mock_id(f.mock_id());
        e->set_started_ms(f.started_ms());
        e->set_submitted(true);
        e->set_full_form(isFullForm(m_pack->exam(f.exam_code()), f));
        if (e->full_form()) {
            e->set_scaled_score(f.estimated_scaled_score());
            e->set_passed(f.passed());
        }
        e->set_scored_correct(f.scored_correct());
        e->set_scored_total(f.scored_total());
        e->set_exam_conditions(f.exam_conditions());
    }
    return out;
}

}  // namespace retain::engine
