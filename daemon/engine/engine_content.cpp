// Content queries: blueprints, search, item detail, suspension.
#include <algorithm>
#include <cctype>
#include <sstream>

#include "engine/engine.h"

namespace retain::engine {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string searchableText(const v1::Item& item) {
    std::string t = item.id() + ' ' + item.prompt() + ' ' + item.answer() + ' ' + item.explanation();
    for (const auto& o : item.options())
        t += ' ' + o.text();
    for (const auto& tag : item.tags())
        t += ' ' + tag;
    return lower(t);
}

}  // namespace

void Engine::fillMemory(const LearnerSlot& slot, const core::ItemTrack* t, v1::ItemMemory* out) const {
    const int64_t now = m_clock.nowMs();
    const int64_t today = slot.model.days().dayOf(now);
    if (t && t->suspended)
        out->set_state(v1::SUSPENDED);
    else if (!t || !t->memory)
        out->set_state(v1::NEW);
    else if (t->leech)
        out->set_state(v1::LEECH);
    else if (t->dueDay <= today)
        out->set_state(v1::DUE);
    else if (t->memory->stability < 1.0)
        out->set_state(v1::LEARNING);
    else
        out->set_state(v1::REVIEW);
    if (!t || !t->memory)
        return;
    out->set_stability(t->memory->stability);
    out->set_difficulty(t->memory->difficulty);
    out->set_retrievability(slot.model.retrievability(*t, now));
    out->set_due_date(core::StudyDayClock::isoDate(t->dueDay));
    out->set_reviews(static_cast<uint32_t>(t->reviews));
    out->set_lapses(static_cast<uint32_t>(t->lapses));
    out->set_last_review_ms(t->lastMs);
    out->set_decay(-slot.model.fsrs().decay());
}

Result<v1::Blueprint> Engine::getBlueprint(const std::string& code) {
    if (const auto* e = m_pack->exam(code))
        return e->blueprint();
    return core::notFound("exam \"" + code + "\" not found (no loaded blueprint has this code)");
}

Result<v1::ListBlueprintsResponse> Engine::listBlueprints() {
    v1::ListBlueprintsResponse out;
    for (const auto& e : m_pack->exams()) {
        *out.add_blueprints() = e->blueprint();
        out.add_item_counts(static_cast<uint32_t>(e->items().size()));
    }
    return out;
}

Result<v1::SearchItemsResponse> Engine::searchItems(const v1::SearchItemsRequest& req) {
    const LearnerSlot* learner = nullptr;
    if (!req.learner_id().empty()) {
        auto s = requireLearner(req.learner_id());
        if (!s)
            return s.error();
        learner = *s;
    }
    const core::Exam* exam = !req.exam_code().empty() ? m_pack->exam(req.exam_code())
                             : learner                ? learner->model.exam()
                                                      : m_pack->defaultExam();
    if (!exam)
        return core::notFound("exam \"" + req.exam_code() + "\" not found");
    std::vector<std::string> words;
    {
        std::istringstream in(lower(req.query()));
        for (std::string w; in >> w;)
            words.push_back(w);
    }
    const size_t pageSize = req.page_size() ? req.page_size() : 100;
    size_t offset = 0;
    if (!req.page_token().empty())
        offset = std::stoul(req.page_token());  // validated by the service
    v1::SearchItemsResponse out;
    uint32_t total = 0;
    for (size_t idx : exam->items()) {
        const auto& ref = m_pack->itemAt(idx);
        const auto& item = *ref.item;
        if (!req.domain_id().empty() && (!ref.statement || ref.statement->domain->id() != req.domain_id()))
            continue;
        if (!req.task_statement().empty() && item.task_statement() != req.task_statement())
            continue;
        if (req.kind() != v1::ITEM_KIND_UNSPECIFIED && item.kind() != req.kind())
            continue;
        if (!words.empty()) {
            const std::string text = searchableText(item);
            if (!std::all_of(words.begin(), words.end(),
                             [&](const auto& w) { return text.find(w) != std::string::npos; }))
                continue;
        }
        v1::ItemMemory memory;
        if (learner)
            fillMemory(*learner, learner->model.track(item.id()), &memory);
        if (req.state() != v1::ITEM_STATE_UNSPECIFIED && memory.state() != req.state())
            continue;
        if (total++ < offset || static_cast<size_t>(out.items_size()) >= pageSize)
            continue;
        auto* s = out.add_items();
        s->set_id(item.id());
        s->set_task_statement(item.task_statement());
        if (ref.statement)
            s->set_domain_id(ref.statement->domain->id());
        s->set_kind(item.kind());
        s->set_prompt_preview(item.prompt().size() > 200 ? item.prompt().substr(0, 197) + "..."
                                                         : item.prompt());
        *s->mutable_tags() = item.tags();
        if (learner)
            *s->mutable_memory() = memory;
    }
    out.set_total(total);
    if (offset + static_cast<size_t>(out.items_size()) < total)
        out.set_next_page_token(std::to_string(offset + out.items_size()));
    return out;
}

Result<v1::ItemDetail> Engine::getItem(const v1::GetItemRequest& req) {
    const auto* ref = m_pack->item(req.item_id());
    if (!ref)
        return core::notFound("item \"" + req.item_id() + "\" not found");
    v1::ItemDetail out;
    *out.mutable_item() = *ref->item;
    if (ref->statement)
        out.set_domain_id(ref->statement->domain->id());
    if (req.learner_id().empty())
        return out;
    auto s = requireLearner(req.learner_id());
    if (!s)
        return s.error();
    const auto* t = (*s)->model.track(req.item_id());
    fillMemory(**s, t, out.mutable_memory());
    out.set_suspended(t && t->suspended);
    if (t) {
        for (const auto& a : t->answers) {
            if (a.undone)
                continue;
            auto* h = out.add_history();
            h->set_time_ms(a.wallMs);
            h->set_rating(static_cast<v1::Rating>(a.rating));
            h->set_correct(a.correct);
            h->set_response_ms(a.responseMs);
            h->set_mode(static_cast<v1::StudyMode>(a.mode));
            h->set_stability(a.after.stability);
            h->set_difficulty(a.after.difficulty);
            h->set_retrievability_before(a.retrievabilityBefore);
        }
    }
    return out;
}

Result<v1::ItemDetail> Engine::setSuspended(const v1::SetSuspendedRequest& req) {
    auto s = requireLearner(req.learner_id());
    if (!s)
        return s.error();
    if (!m_pack->item(req.item_id()))
        return core::notFound("item \"" + req.item_id() + "\" not found");
    const auto* t = (*s)->model.track(req.item_id());
    if ((t && t->suspended) != req.suspended()) {
        auto e = newEvent(req.learner_id());
        e.mutable_suspension()->set_item_id(req.item_id());
        e.mutable_suspension()->set_suspended(req.suspended());
        if (auto st = commit(**s, {std::move(e)}); !st)
            return st.error();
    }
    v1::GetItemRequest get;
    get.set_item_id(req.item_id());
    get.set_learner_id(req.learner_id());
    return getItem(get);
}

}  // namespace retain::engine
