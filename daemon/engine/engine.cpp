#include "engine/engine.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "core/content_loader.h"
#include "core/event_check.h"
#include "core/ids.h"
#include "core/knowledge_fold.h"
#include "core/study_day.h"
#include "storage/schema.h"

namespace retain::engine {

using core::Error;
using core::ErrorCode;
namespace fs = std::filesystem;

Engine::Engine(const EngineConfig& config, core::ContentPack pack, const core::Clock& clock)
    : m_config(config),
      m_pack(std::make_unique<core::ContentPack>(std::move(pack))),
      m_clock(clock),
      m_hlc(clock),
      m_startedMs(clock.nowMs()) {}

Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::open(const EngineConfig& config, core::ContentPack pack,
                                             const core::Clock& clock) {
    std::error_code ec;
    const bool created = fs::create_directories(config.dataDir, ec);
    if (ec)
        return Error{ErrorCode::Internal,
                     "cannot create data directory " + config.dataDir + ": " + ec.message()};
    // A directory made here is private; an existing one is the user's to set (never chmod-ed).
    if (created)
        fs::permissions(config.dataDir, fs::perms::owner_all, fs::perm_options::replace, ec);
    auto db = storage::openRetainDatabase((fs::path(config.dataDir) / "retain.db").string());
    if (!db)
        return db.error();
    std::unique_ptr<Engine> engine(new Engine(config, std::move(pack), clock));
    engine->m_store = std::make_unique<storage::EventStore>(std::move(db.value()));
    auto replica = engine->m_store->replicaId();
    if (!replica)
        return replica.error();
    engine->m_replicaId = *replica;
    auto seq = engine->m_store->lastOwnSequence(engine->m_replicaId);
    if (!seq)
        return seq.error();
    engine->m_sequence = *seq;
    // A sync server keeps many learners' logs for others to fold; it folds none itself.
    if (config.mode == "sync-server")
        return engine;
    if (auto s = engine->loadLearners(); !s) {
        if (s.error().code != ErrorCode::DataLoss)
            return s.error();
        return Error{
            ErrorCode::DataLoss,
            (fs::path(config.dataDir) / "retain.db").string() + " is damaged (" + s.error().message +
                "). `retaind --salvage NEW.db` copies everything readable into a new database and lists "
                "what was lost; then stop retaind, keep the damaged file aside and move NEW.db to "
                "retain.db"};
    }
    return engine;
}

core::Status Engine::loadLearners() {
    auto rows = m_store->learners();
    if (!rows)
        return rows.error();
    m_learners.clear();
    for (const auto& row : *rows) {
        auto slot = std::make_unique<LearnerSlot>(row.id, m_pack.get());
        uint64_t maxHlc = 0;
        slot->model.beginBulkLoad();
        auto s = m_store->forEachEvent(row.id, [&](v1::Event&& e, int64_t) {
            maxHlc = std::max(maxHlc, e.hlc());
            slot->model.apply(e);
        });
        slot->model.endBulkLoad();
        if (!s)
            return s;
        m_hlc.observe(maxHlc);
        m_learners.emplace(row.id, std::move(slot));
    }
    return core::okStatus();
}

LearnerSlot* Engine::slot(const std::string& learnerId) {
    auto it = m_learners.find(learnerId);
    return it == m_learners.end() ? nullptr : it->second.get();
}

Result<LearnerSlot*> Engine::requireLearner(const std::string& learnerId) {
    if (auto* s = slot(learnerId))
        return s;
    return core::notFound("learner \"" + learnerId + "\" not found");
}

v1::Event Engine::newEvent(const std::string& learnerId) {
    v1::Event e;
    e.set_id(m_replicaId + "-" + std::to_string(++m_sequence));
    e.set_learner_id(learnerId);
    e.set_hlc(m_hlc.now());
    e.set_wall_time_ms(m_clock.nowMs());
    return e;
}

core::Status Engine::commit(LearnerSlot& slot, std::vector<v1::Event> events) {
    // The validator a sync server and a replica apply to others' events holds for ours too: an event this
    // daemon writes is one it could push (requests are validated before; this is the backstop).
    for (const auto& e : events)
        if (auto problem = core::checkEvent(e, m_clock.nowMs()))
            return core::invalidArgument(*problem);
    auto r = m_store->append(events);
    if (!r)
        return r.error();
    for (const auto& e : events) {
        if (e.has_answer() && slot.knowledge && e.hlc() >= slot.model.lastHlc()) {
            if (const auto* ref = m_pack->item(e.answer().item_id()))
                slot.knowledge->observe(*ref, e.answer().correct(),
                                        slot.model.days().dayOf(e.wall_time_ms()));
        } else if (!e.has_session() && !e.has_learner_created()) {
            slot.knowledge.reset();  // undo, settings, out-of-order: rebuild on next use
        }
        slot.model.apply(e);
    }
    return core::okStatus();
}

core::KnowledgeModel& Engine::knowledge(LearnerSlot& slot) {
    if (slot.knowledge && slot.knowledge->exam() == slot.model.exam())
        return *slot.knowledge;
    slot.knowledge = core::foldKnowledge(slot.model, *m_pack);
    return *slot.knowledge;
}

// ---- Learners -----------------------------------------------------------------------------------

v1::Learner Engine::describe(const LearnerSlot& slot) const {
    v1::Learner l;
    const auto& m = slot.model;
    l.set_id(m.learnerId());
    l.set_name(m.name());
    l.set_created_ms(m.createdMs());
    l.set_event_count(m.eventCount());
    l.set_personal_parameters(m.personalParameters());
    auto* s = l.mutable_settings();
    const auto& st = m.settings();
    s->set_exam_code(m.exam() ? m.exam()->code() : st.examCode);
    s->set_exam_date(st.examDate);
    s->set_time_zone(st.timeZone);
    s->set_day_rollover_hour(static_cast<uint32_t>(st.dayRolloverHour));
    s->set_new_items_per_day(static_cast<uint32_t>(st.newItemsPerDay));
    s->set_minutes_per_day(static_cast<uint32_t>(st.minutesPerDay));
    s->set_desired_retention(st.desiredRetention);
    s->set_leech_threshold(static_cast<uint32_t>(st.leechThreshold));
    s->set_maximum_interval_days(static_cast<uint32_t>(st.maximumIntervalDays));
    s->set_display_name(st.displayName.empty() ? m.name() : st.displayName);
    return l;
}

Result<v1::Learner> Engine::createLearner(const v1::CreateLearnerRequest& req) {
    if (m_config.mode == "sync-server")
        return core::failedPrecondition(
            "this daemon is a sync server: learners study on their own daemons; add sync accounts with "
            "`retainctl sync-server add-learner NAME`");
    for (const auto& [id, s] : m_learners)
        if (s->model.name() == req.name())
            return Error{ErrorCode::AlreadyExists, "a learner named \"" + req.name() + "\" already exists"};
    const std::string id = req.id().empty() ? core::newLearnerId() : req.id();
    if (m_learners.count(id))
        return Error{ErrorCode::AlreadyExists, "a learner with id " + id + " already exists"};
    const int64_t now = m_clock.nowMs();
    // Settings the request's shape cannot tell are wrong, checked before anything is written.
    if (!req.settings().exam_code().empty() && !m_pack->exam(req.settings().exam_code()))
        return core::invalidArgument("settings.exam_code: no loaded blueprint has code \"" +
                                     req.settings().exam_code().substr(0, 40) + "\"");
    if (!req.settings().exam_date().empty()) {
        // The learner's study days are not known yet: a day of slack for time zones west of UTC.
        const auto day = core::StudyDayClock::parseIsoDate(req.settings().exam_date());
        if (day && (*day + 1) * 86'400'000LL < now)
            return core::invalidArgument("settings.exam_date: " + req.settings().exam_date() +
                                         " is in the past");
    }
    if (auto s = m_store->addLearner({id, req.name(), now}); !s)
        return s.error();
    auto slot = std::make_unique<LearnerSlot>(id, m_pack.get());
    std::vector<v1::Event> events;
    auto created = newEvent(id);
    created.mutable_learner_created()->set_name(req.name());
    events.push_back(std::move(created));
    // Initial settings: only fields that differ from the defaults are recorded.
    const core::LearnerSettings defaults;
    v1::UpdateSettingsRequest asUpdate;
    *asUpdate.mutable_settings() = req.settings();
    const auto& s = req.settings();
    auto put = [&](const std::string& key, const std::string& value) {
        if (value == defaults.get(key))
            return;
        auto e = newEvent(id);
        e.mutable_setting()->set_key(key);
        e.mutable_setting()->set_value(value);
        events.push_back(std::move(e));
    };
    if (!s.exam_code().empty())
        put("exam_code", s.exam_code());
    if (!s.exam_date().empty())
        put("exam_date", s.exam_date());
    // A learner's days roll over in their own zone: the client's when it says, else this machine's.
    put("time_zone", s.time_zone().empty() ? core::localTimeZoneName() : s.time_zone());
    if (s.day_rollover_hour())
        put("day_rollover_hour", std::to_string(s.day_rollover_hour()));
    if (s.new_items_per_day())
        put("new_items_per_day", std::to_string(s.new_items_per_day()));
    if (s.minutes_per_day())
        put("minutes_per_day", std::to_string(s.minutes_per_day()));
    if (s.desired_retention() != 0) {
        core::LearnerSettings tmp;
        tmp.desiredRetention = s.desired_retention();
        put("desired_retention", tmp.get("desired_retention"));
    }
    if (s.leech_threshold())
        put("leech_threshold", std::to_string(s.leech_threshold()));
    if (s.maximum_interval_days())
        put("maximum_interval_days", std::to_string(s.maximum_interval_days()));
    if (!s.display_name().empty())
        put("display_name", s.display_name());
    auto* raw = slot.get();
    m_learners.emplace(id, std::move(slot));
    if (auto st = commit(*raw, std::move(events)); !st) {
        m_learners.erase(id);
        return st.error();
    }
    return describe(*raw);
}

Result<v1::Learner> Engine::getLearner(const std::string& idOrName) {
    if (auto* s = slot(idOrName))
        return describe(*s);
    for (const auto& [id, s] : m_learners)
        if (s->model.name() == idOrName)
            return describe(*s);
    return core::notFound("learner \"" + idOrName + "\" not found (neither an id nor a name on this daemon)");
}

Result<v1::ListLearnersResponse> Engine::listLearners() {
    v1::ListLearnersResponse out;
    std::vector<const LearnerSlot*> all;
    for (const auto& [id, s] : m_learners)
        all.push_back(s.get());
    std::sort(all.begin(), all.end(), [](auto* a, auto* b) { return a->model.name() < b->model.name(); });
    for (const auto* s : all)
        *out.add_learners() = describe(*s);
    return out;
}

Result<v1::Learner> Engine::updateSettings(const v1::UpdateSettingsRequest& req) {
    auto slot = requireLearner(req.learner_id());
    if (!slot)
        return slot.error();
    const auto* desc = v1::LearnerSettings::descriptor();
    const auto* refl = v1::LearnerSettings::GetReflection();
    std::vector<v1::Event> events;
    for (const auto& key : req.fields()) {
        const auto* field = desc->FindFieldByName(key);
        std::string value;
        switch (field->cpp_type()) {
            case google::protobuf::FieldDescriptor::CPPTYPE_STRING:
                value = refl->GetString(req.settings(), field);
                break;
            case google::protobuf::FieldDescriptor::CPPTYPE_UINT32:
                value = std::to_string(refl->GetUInt32(req.settings(), field));
                break;
            case google::protobuf::FieldDescriptor::CPPTYPE_DOUBLE: {
                core::LearnerSettings tmp;
                tmp.desiredRetention = refl->GetDouble(req.settings(), field);
                value = tmp.get("desired_retention");
                break;
            }
            default:
                break;
        }
        if (key == "exam_date" && !value.empty()) {
            const int64_t today = (*slot)->model.days().dayOf(m_clock.nowMs());
            const auto day = core::StudyDayClock::parseIsoDate(value);
            if (day && *day < today)
                return core::invalidArgument("settings.exam_date: " + value + " is in the past (today is " +
                                             core::StudyDayClock::isoDate(today) + ")");
        }
        if (key == "exam_code" && !value.empty() && !m_pack->exam(value))
            return core::invalidArgument("settings.exam_code: no loaded blueprint has code \"" +
                                         value.substr(0, 40) + "\"");
        auto e = newEvent(req.learner_id());
        e.mutable_setting()->set_key(key);
        e.mutable_setting()->set_value(value);
        events.push_back(std::move(e));
    }
    if (auto st = commit(**slot, std::move(events)); !st)
        return st.error();
    return describe(**slot);
}

// ---- Admin --------------------------------------------------------------------------------------

v1::VersionInfo Engine::version() const {
    v1::VersionInfo v;
    v.set_version(m_config.version);
    v.set_schema_version(static_cast<uint32_t>(storage::currentSchemaVersion()));
    v.set_data_dir(m_config.dataDir);
    v.set_content_dir(m_config.contentDir);
    v.set_mode(m_config.mode);
    v.set_replica_id(m_replicaId);
    v.set_started_ms(m_startedMs);
    return v;
}

Result<v1::BackupResponse> Engine::backup(const std::string& path) {
    auto bytes = m_store->backupTo(path);
    if (!bytes)
        return bytes.error();
    v1::BackupResponse r;
    r.set_path(path);
    r.set_bytes(*bytes);
    return r;
}

Result<v1::RebuildResponse> Engine::rebuild(const std::string& learnerId) {
    const auto start = std::chrono::steady_clock::now();
    v1::RebuildResponse r;
    std::vector<std::string> ids;
    if (!learnerId.empty()) {
        if (!slot(learnerId))
            return core::notFound("learner \"" + learnerId + "\" not found");
        ids.push_back(learnerId);
    } else {
        for (const auto& [id, s] : m_learners)
            ids.push_back(id);
    }
    for (const auto& id : ids) {
        auto fresh = std::make_unique<LearnerSlot>(id, m_pack.get());
        fresh->model.beginBulkLoad();
        auto s = m_store->forEachEvent(id, [&](v1::Event&& e, int64_t) { fresh->model.apply(e); });
        fresh->model.endBulkLoad();
        if (!s)
            return s.error();
        r.set_events(r.events() + fresh->model.eventCount());
        // Open sessions are ephemeral views over the log; keep them.
        fresh->sessions = std::move(m_learners[id]->sessions);
        fresh->openSession = m_learners[id]->openSession;
        m_learners[id] = std::move(fresh);
    }
    r.set_learners(static_cast<uint32_t>(ids.size()));
    r.set_seconds(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return r;
}

Result<v1::ReloadContentResponse> Engine::reloadContent() {
    auto loaded = core::loadContent(m_config.contentDir);
    if (!loaded.pack) {
        std::string msg =
            "content in " + m_config.contentDir + " has " + std::to_string(loaded.errors.size()) +
            " error(s); the current pack stays in service. First: " + loaded.errors.front().format();
        return core::failedPrecondition(msg);
    }
    m_retiredPacks.push_back(std::move(m_pack));
    m_pack = std::make_unique<core::ContentPack>(std::move(*loaded.pack));
    for (auto& [id, s] : m_learners) {
        s->model.setContent(m_pack.get());
        s->knowledge.reset();
        // Plans index items of the old pack: end open sessions.
        for (auto& [sid, session] : s->sessions)
            session.ended = true;
        s->openSession.clear();
    }
    v1::ReloadContentResponse r;
    r.set_blueprints(static_cast<uint32_t>(m_pack->exams().size()));
    r.set_items(static_cast<uint32_t>(m_pack->itemCount()));
    return r;
}

core::Status Engine::checkpoint() {
    return m_store->database().exec("PRAGMA wal_checkpoint(PASSIVE)");
}

core::Status Engine::adoptLearner(const std::string& learnerId, const std::string& name) {
    if (slot(learnerId))
        return core::okStatus();
    // The row's name must be unique on this daemon (the learner's name proper comes from its log): when a
    // local learner already has it, the row gets the name and the start of the id.
    auto added = m_store->addLearner({learnerId, name, m_clock.nowMs()});
    if (!added && added.error().code == ErrorCode::AlreadyExists)
        added = m_store->addLearner({learnerId, name + "-" + learnerId.substr(0, 8), m_clock.nowMs()});
    if (!added)
        return added;
    m_learners.emplace(learnerId, std::make_unique<LearnerSlot>(learnerId, m_pack.get()));
    return core::okStatus();
}

Result<storage::AppendResult> Engine::ingest(const std::vector<v1::Event>& events) {
    std::unordered_map<std::string, std::vector<v1::Event>> byLearner;
    for (const auto& e : events) {
        if (!slot(e.learner_id()))
            return core::notFound("learner \"" + e.learner_id() + "\" not found");
        byLearner[e.learner_id()].push_back(e);
    }
    auto r = m_store->append(events);
    if (!r)
        return r.error();
    for (auto& [id, list] : byLearner) {
        auto* s = slot(id);
        s->knowledge.reset();
        for (const auto& e : list) {
            m_hlc.observe(e.hlc());
            s->model.apply(e);
        }
    }
    return r;
}

}  // namespace retain::engine
