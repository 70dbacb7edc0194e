// Personal FSRS parameters: snapshot, adopt, and the automatic trigger.
#include "engine/engine.h"

namespace retain::engine {

Result<OptimizationJob> Engine::prepareOptimization(const std::string& learnerId) {
    auto slotR = requireLearner(learnerId);
    if (!slotR)
        return slotR.error();
    LearnerSlot& slot = **slotR;
    if (slot.optimizing)
        return core::failedPrecondition("an optimisation is already running for this learner");
    OptimizationJob job;
    job.learnerId = learnerId;
    for (const auto& [itemId, track] : slot.model.tracks())
        for (const auto& a : track.answers)
            if (!a.undone)
                job.reviews.push_back({itemId, a.rating, a.wallMs, a.responseMs, 0});
    if (job.reviews.size() < core::kMinReviewsForPersonalization)
        return core::failedPrecondition("personal parameters need at least " +
                                        std::to_string(core::kMinReviewsForPersonalization) +
                                        " reviews; this learner has " + std::to_string(job.reviews.size()) +
                                        " (imported reviews count: retainctl import reviews FILE.csv)");
    const auto& days = slot.model.days();
    job.boundary.rolloverHour = days.rolloverHour();
    job.boundary.utcOffsetMinutes = days.utcOffsetMinutes(days.dayOf(m_clock.nowMs()));
    job.current = slot.model.fsrs().parameters();
    slot.optimizing = true;
    slot.optimizedAtAnswers = slot.model.answerCount();
    return job;
}

Result<v1::OptimizationReport> Engine::finishOptimization(const std::string& learnerId,
                                                          const Result<core::PersonalizationResult>& result) {
    auto slotR = requireLearner(learnerId);
    if (!slotR)
        return slotR.error();
    LearnerSlot& slot = **slotR;
    slot.optimizing = false;
    if (!result)
        return result.error();
    const auto& r = *result;
    if (r.adopted) {
        auto e = newEvent(learnerId);
        auto* p = e.mutable_parameters();
        for (double w : r.parameters.w)
            p->add_w(w);
        p->set_previous_log_loss(r.currentLogLoss);
        p->set_new_log_loss(r.candidateLogLoss);
        p->set_review_count(static_cast<uint32_t>(r.reviews));
        if (auto st = commit(slot, {std::move(e)}); !st)
            return st.error();
    }
    v1::OptimizationReport out;
    out.set_adopted(r.adopted);
    out.set_reason(r.reason);
    out.set_reviews(static_cast<uint32_t>(r.reviews));
    out.set_held_out(static_cast<uint32_t>(r.heldOut));
    out.set_current_log_loss(r.currentLogLoss);
    out.set_candidate_log_loss(r.candidateLogLoss);
    out.set_rmse_bins(r.chosen.rmseBins);
    out.set_auc(r.chosen.auc);
    for (double w : slot.model.fsrs().parameters().w)
        out.add_w(w);
    out.set_seconds(r.seconds);
    return out;
}

void Engine::maybeTriggerOptimization(LearnerSlot& slot) {
    // Refit when the history has grown by a quarter (and at least 400 answers) since the last fit.
    const uint64_t n = slot.model.answerCount();
    const uint64_t last = slot.optimizedAtAnswers;
    if (!m_trigger || slot.optimizing || n < core::kMinReviewsForPersonalization ||
        n < last + std::max<uint64_t>(core::kMinReviewsForPersonalization, last / 4))
        return;
    m_trigger(slot.model.learnerId());
}

}  // namespace retain::engine
