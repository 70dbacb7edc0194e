// Readiness on a date and its history.
#include <algorithm>
#include <cmath>

#include "core/readiness.h"
#include "core/session_planner.h"
#include "engine/engine.h"

namespace retain::engine {

namespace {

void fill(const core::ReadinessEstimate& r, const core::Exam& exam, v1::Readiness* out) {
    const auto& form = exam.blueprint().form();
    out->set_enough_evidence(r.enoughEvidence);
    for (const auto& m : r.missing)
        out->add_missing(m);
    out->set_passing_scaled_score(form.passing_scaled_score());
    out->set_scored_questions(static_cast<uint32_t>(r.scoredQuestions));
    out->set_assumed_cut_fraction(form.assumed_cut_fraction());
    out->set_assumption_note(form.cut_assumption_note());
    if (!r.enoughEvidence)
        return;  // the estimates stay unset: no guessing
    out->set_pass_probability(r.passProbability);
    out->set_pass_probability_low(r.passLow);
    out->set_pass_probability_high(r.passHigh);
    out->set_scaled_score(r.scaledScore);
    out->set_scaled_score_low(r.scaledLow);
    out->set_scaled_score_high(r.scaledHigh);
    out->set_expected_correct(r.expectedCorrect);
    for (const auto& d : r.domains) {
        auto* o = out->add_domains();
        o->set_domain_id(d.domainId);
        if (const auto* dom = exam.domain(d.domainId)) {
            o->set_name(dom->name());
            o->set_weight_percent(dom->weight_percent());
        }
        o->set_questions(static_cast<uint32_t>(d.questions));
        o->set_expected_fraction(d.expectedFraction);
        o->set_meets(d.meets);
    }
    for (size_t i = 0; i < r.recommendations.size() && i < 5; ++i) {
        const auto& rec = r.recommendations[i];
        if (rec.passProbabilityGain <= 0.001)
            break;
        const auto& ts = exam.taskStatements()[static_cast<size_t>(rec.index)];
        auto* o = out->add_recommendations();
        o->set_task_statement(ts.statement->id());
        o->set_title(ts.statement->title());
        o->set_pass_probability_gain(rec.passProbabilityGain);
    }
}

}  // namespace

Result<v1::Readiness> Engine::readiness(const std::string& learnerId, const std::string& date) {
    auto slotR = requireLearner(learnerId);
    if (!slotR)
        return slotR.error();
    LearnerSlot& slot = **slotR;
    const core::Exam* exam = slot.model.exam();
    if (!exam)
        return core::failedPrecondition("no content is loaded for the learner's exam");
    const int64_t today = slot.model.days().dayOf(m_clock.nowMs());
    std::string when = date;
    if (when.empty()) {
        const auto examDay = core::StudyDayClock::parseIsoDate(slot.model.settings().examDate);
        when = examDay && *examDay >= today ? slot.model.settings().examDate
                                            : core::StudyDayClock::isoDate(today);
    }
    const auto day = core::StudyDayClock::parseIsoDate(when);
    if (!day)
        return core::invalidArgument("date: must be YYYY-MM-DD, got \"" + when + "\"");
    if (*day < today)
        return core::invalidArgument("date: " + when + " is in the past; readiness looks forward");
    v1::Readiness out;
    out.set_date(when);
    if (*day == today) {
        fill(core::estimateReadiness(*exam, *m_pack, knowledge(slot), *day), *exam, &out);
        return out;
    }
    // A later date: on that date if the learner keeps to their plan, with today's estimate beside it.
    const auto plan = core::plannedStudy(slot.model, m_clock.nowMs(), *day);
    const auto projected = knowledge(slot).withPlannedStudy(plan, today, *day);
    fill(core::estimateReadiness(*exam, *m_pack, projected, *day), *exam, &out);
    double newItems = 0, answers = 0;
    for (size_t i = 0; i < plan.newItems.size(); ++i) {
        newItems += plan.newItems[i];
        answers += plan.answers[i];
    }
    out.set_planned_new_items(static_cast<uint32_t>(std::lround(newItems)));
    out.set_planned_answers(static_cast<uint32_t>(std::lround(answers)));
    if (out.enough_evidence()) {
        core::ReadinessOptions o;
        o.recommendations = false;
        const auto now = core::estimateReadiness(*exam, *m_pack, knowledge(slot), today, o);
        auto* t = out.mutable_today();
        t->set_date(core::StudyDayClock::isoDate(today));
        t->set_pass_probability(now.passProbability);
        t->set_pass_probability_low(now.passLow);
        t->set_pass_probability_high(now.passHigh);
    }
    return out;
}

Result<v1::ReadinessHistory> Engine::readinessHistory(const std::string& learnerId) {
    auto slotR = requireLearner(learnerId);
    if (!slotR)
        return slotR.error();
    LearnerSlot& slot = **slotR;
    const core::Exam* exam = slot.model.exam();
    if (!exam)
        return core::failedPrecondition("no content is loaded for the learner's exam");
    // Replay the evidence in fold order; at the end of each study day with answers, estimate readiness
    // for that day (fewer draws, no recommendations). The last 180 study days. Today's point is estimated
    // exactly as GetReadiness for today is (all its draws), so the two never disagree about one day.
    struct Ev {
        uint64_t hlc;
        const std::string* id;
        const core::ItemRef* ref;
        bool correct;
        int64_t day;
    };
    std::vector<Ev> evidence;
    for (const auto& [itemId, track] : slot.model.tracks()) {
        const auto* ref = m_pack->item(itemId);
        if (!ref || ref->exam != exam)
            continue;
        for (const auto& a : track.answers)
            if (!a.undone)
                evidence.push_back({a.hlc, &a.eventId, ref, a.correct, slot.model.days().dayOf(a.wallMs)});
    }
    std::sort(evidence.begin(), evidence.end(),
              [](const Ev& a, const Ev& b) { return core::foldsBefore(a.hlc, *a.id, b.hlc, *b.id); });
    std::vector<int64_t> days;
    for (const auto& e : evidence)
        if (days.empty() || days.back() != e.day)
            days.push_back(e.day);
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    const int64_t firstDay = days.size() > 180 ? days[days.size() - 180] : (days.empty() ? 0 : days.front());
    const int64_t today = slot.model.days().dayOf(m_clock.nowMs());
    core::KnowledgeModel k(exam);
    core::ReadinessOptions past;
    past.draws = 64;
    past.recommendations = false;
    const auto examDay = core::StudyDayClock::parseIsoDate(slot.model.settings().examDate);
    const auto answerDays = examDay ? core::AnswerDays::of(slot.model) : core::AnswerDays{};
    v1::ReadinessHistory out;
    size_t i = 0;
    for (int64_t d : days) {
        while (i < evidence.size() && evidence[i].day <= d) {
            k.observe(*evidence[i].ref, evidence[i].correct, evidence[i].day);
            ++i;
        }
        if (d < firstDay)
            continue;
        const auto r = d == today ? core::estimateReadiness(*exam, *m_pack, knowledge(slot), d)
                                  : core::estimateReadiness(*exam, *m_pack, k, d, past);
        auto* p = out.add_points();
        p->set_date(core::StudyDayClock::isoDate(d));
        p->set_enough_evidence(r.enoughEvidence);
        if (r.enoughEvidence) {
            p->set_pass_probability(r.passProbability);
            p->set_scaled_score(r.scaledScore);
        }
        // The exam-date forecast made that day, with the plan as it stood then; today's exactly as
        // GetReadiness for the exam date makes it.
        if (r.enoughEvidence && examDay && *examDay > d) {
            const auto plan = core::plannedStudy(slot.model, answerDays, d, *examDay);
            core::ReadinessOptions o = d == today ? core::ReadinessOptions{} : past;
            o.recommendations = false;
            const auto f = core::estimateReadiness(
                *exam, *m_pack, (d == today ? knowledge(slot) : k).withPlannedStudy(plan, d, *examDay),
                *examDay, o);
            p->set_exam_date_pass_probability(f.passProbability);
        }
    }
    return out;
}

}  // namespace retain::engine
