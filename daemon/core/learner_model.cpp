#include "core/learner_model.h"

#include <algorithm>

namespace retain::core {

LearnerModel::LearnerModel(std::string learnerId, const ContentPack* pack)
    : m_learnerId(std::move(learnerId)), m_pack(pack), m_fsrs(FsrsParameters::defaults()) {}

SchedulingOptions LearnerModel::schedulingOptions() const {
    SchedulingOptions o;
    o.desiredRetention = m_settings.desiredRetention;
    o.maximumIntervalDays = m_settings.maximumIntervalDays;
    o.fuzz = true;
    return o;
}

const Exam* LearnerModel::exam() const {
    if (!m_pack)
        return nullptr;
    if (!m_settings.examCode.empty())
        if (const auto* e = m_pack->exam(m_settings.examCode))
            return e;
    return m_pack->defaultExam();
}

const ItemTrack* LearnerModel::track(const std::string& itemId) const {
    auto it = m_tracks.find(itemId);
    return it == m_tracks.end() ? nullptr : &it->second;
}

std::pair<const std::string*, const AnswerRecord*> LearnerModel::findAnswer(
    const std::string& eventId) const {
    auto it = m_answerItem.find(eventId);
    if (it == m_answerItem.end())
        return {nullptr, nullptr};
    const auto& t = m_tracks.at(it->second);
    for (const auto& a : t.answers)
        if (a.eventId == eventId)
            return {&it->second, &a};
    return {nullptr, nullptr};
}

int32_t LearnerModel::internSession(const std::string& sessionId) {
    if (sessionId.empty())
        return -1;
    auto [it, inserted] = m_sessions.emplace(sessionId, static_cast<int32_t>(m_sessions.size()));
    return it->second;
}

int32_t LearnerModel::sessionIndex(const std::string& sessionId) const {
    auto it = m_sessions.find(sessionId);
    return it == m_sessions.end() ? -2 : it->second;
}

double LearnerModel::retrievability(const ItemTrack& t, int64_t nowMs) const {
    if (!t.memory)
        return 0;
    const double elapsed = std::max<int64_t>(0, m_days.dayOf(nowMs) - t.lastDay);
    return m_fsrs.retrievability(elapsed, t.memory->stability);
}

int LearnerModel::newItemsOnDay(int64_t day) const {
    int n = 0;
    for (const auto& [id, t] : m_tracks) {
        for (const auto& a : t.answers) {
            if (a.undone)
                continue;
            if (m_days.dayOf(a.wallMs) == day)
                ++n;
            break;  // only the first counted answer introduces the item
        }
    }
    return n;
}

bool LearnerModel::apply(const v1::Event& e) {
    if (!m_eventIds.insert(e.id()).second)
        return false;
    ++m_eventCount;
    m_lastHlc = std::max(m_lastHlc, e.hlc());
    switch (e.payload_case()) {
        case v1::Event::kLearnerCreated:
            if (m_name.empty() || m_createdMs == 0 || e.wall_time_ms() < m_createdMs) {
                m_name = e.learner_created().name();
                m_createdMs = e.wall_time_ms();
            }
            break;
        case v1::Event::kAnswer: {
            ++m_answerCount;
            const auto& a = e.answer();
            AnswerRecord r;
            r.hlc = e.hlc();
            r.eventId = e.id();
            r.wallMs = e.wall_time_ms();
            r.rating = static_cast<Rating>(std::clamp(static_cast<int>(a.rating()), 1, 4));
            r.correct = a.correct();
            r.mode = static_cast<uint8_t>(a.mode());
            r.responseMs = a.response_ms();
            r.session = internSession(a.session_id());
            r.chosen.assign(a.chosen_options().begin(), a.chosen_options().end());
            r.undone = m_pendingUndo.erase(e.id()) > 0;
            auto& t = m_tracks[a.item_id()];
            m_answerItem[e.id()] = a.item_id();
            const bool last = t.answers.empty() ||
                              foldsBefore(t.answers.back().hlc, t.answers.back().eventId, r.hlc, r.eventId);
            if (last && !r.undone) {
                t.answers.push_back(std::move(r));
                // Fast path: fold just the new answer.
                if (m_bulk)
                    t.pending = foldStep(t, t.answers.back());
                else
                    schedule(a.item_id(), t, foldStep(t, t.answers.back()));
                t.leech = t.lapses >= m_settings.leechThreshold;
            } else {
                auto pos =
                    std::upper_bound(t.answers.begin(), t.answers.end(), r, [](const auto& x, const auto& y) {
                        return foldsBefore(x.hlc, x.eventId, y.hlc, y.eventId);
                    });
                t.answers.insert(pos, std::move(r));
                foldItem(a.item_id(), t);
            }
            break;
        }
        case v1::Event::kUndo: {
            const auto& target = e.undo().answer_event_id();
            auto it = m_answerItem.find(target);
            if (it == m_answerItem.end()) {
                m_pendingUndo.insert(target);
                break;
            }
            auto& t = m_tracks[it->second];
            for (auto& a : t.answers)
                if (a.eventId == target)
                    a.undone = true;
            foldItem(it->second, t);
            break;
        }
        case v1::Event::kSuspension: {
            auto& t = m_tracks[e.suspension().item_id()];
            if (foldsBefore(t.suspensionHlc, t.suspensionEventId, e.hlc(), e.id())) {
                t.suspended = e.suspension().suspended();
                t.suspensionHlc = e.hlc();
                t.suspensionEventId = e.id();
            }
            break;
        }
        case v1::Event::kSetting:
            applySetting(e);
            break;
        case v1::Event::kParameters: {
            if (foldsBefore(m_parametersHlc, m_parametersEventId, e.hlc(), e.id())) {
                FsrsParameters p = FsrsParameters::defaults();
                const auto& w = e.parameters().w();
                if (w.size() == static_cast<int>(p.w.size())) {
                    std::copy(w.begin(), w.end(), p.w.begin());
                    if (!p.validate()) {
                        m_fsrs = Fsrs(p);
                        m_parametersHlc = e.hlc();
                        m_parametersEventId = e.id();
                        refoldAll();
                    }
                }
            }
            break;
        }
        case v1::Event::kMockExam: {
            auto pos = std::upper_bound(m_mocks.begin(), m_mocks.end(), e, [](const auto& x, const auto& y) {
                return foldsBefore(x.hlc(), x.id(), y.hlc(), y.id());
            });
            m_mocks.insert(pos, e);
            break;
        }
        default:
            break;  // session boundaries and unknown kinds do not change item memory
    }
    return true;
}

void LearnerModel::applySetting(const v1::Event& e) {
    const auto& key = e.setting().key();
    auto& s = m_settingLog[key];
    if (!foldsBefore(s.hlc, s.eventId, e.hlc(), e.id()))
        return;
    s = {e.hlc(), e.id(), e.setting().value()};
    LearnerSettings next = m_settings;
    if (!next.set(key, e.setting().value()))
        return;  // a value this version cannot apply is ignored
    const bool refold = next.timeZone != m_settings.timeZone ||
                        next.dayRolloverHour != m_settings.dayRolloverHour ||
                        next.desiredRetention != m_settings.desiredRetention ||
                        next.maximumIntervalDays != m_settings.maximumIntervalDays ||
                        next.leechThreshold != m_settings.leechThreshold;
    m_settings = next;
    if (auto clock = StudyDayClock::make(m_settings.timeZone, m_settings.dayRolloverHour))
        m_days = *clock;
    if (refold)
        refoldAll();
}

void LearnerModel::endBulkLoad() {
    m_bulk = false;
    for (auto& [id, t] : m_tracks) {
        if (t.pending)
            schedule(id, t, *t.pending);
        t.pending.reset();
    }
}

void LearnerModel::refoldAll() {
    for (auto& [id, t] : m_tracks)
        foldItem(id, t);
}

uint64_t fuzzSeed(const std::string& eventId) {
    uint64_t h = 1469598103934665603ULL;  // FNV-1a: the same on every platform, so replicas agree
    for (unsigned char c : eventId)
        h = (h ^ c) * 1099511628211ULL;
    return h;
}

uint64_t LearnerModel::scheduleSeed(const std::string& itemId, int reviewsBefore) {
    return fuzzSeed(itemId + "#" + std::to_string(reviewsBefore));
}

PendingSchedule LearnerModel::foldStep(ItemTrack& t, AnswerRecord& a) const {
    const int64_t day = m_days.dayOf(a.wallMs);
    PendingSchedule pending{t.memory, t.memory ? static_cast<int>(std::max<int64_t>(0, day - t.lastDay)) : 0,
                            t.reviews, a.rating};
    if (!t.memory) {
        a.retrievabilityBefore = 0;
        t.memory = m_fsrs.initialState(a.rating);
    } else {
        a.retrievabilityBefore = m_fsrs.retrievability(pending.elapsed, t.memory->stability);
        t.memory = m_fsrs.nextState(*t.memory, pending.elapsed, a.rating);
    }
    a.after = *t.memory;
    ++t.reviews;
    if (a.rating == Rating::Again && t.reviews > 1)
        ++t.lapses;
    t.lastDay = day;
    t.lastMs = a.wallMs;
    return pending;
}

void LearnerModel::schedule(const std::string& itemId, ItemTrack& t, const PendingSchedule& p) const {
    // The interval is the one the answer buttons showed: the reference's rating-ordered preview, with
    // fuzz. Only the last answer's interval matters, so the fold computes it once per item.
    const auto intervals = m_fsrs.previewIntervals(p.before, p.elapsed, schedulingOptions(),
                                                   scheduleSeed(itemId, p.reviewsBefore));
    t.intervalDays = intervals[static_cast<size_t>(p.rating) - 1];
    t.dueDay = t.lastDay + t.intervalDays;
}

void LearnerModel::foldItem(const std::string& itemId, ItemTrack& t) {
    t.pending.reset();
    t.memory.reset();
    t.reviews = t.lapses = t.intervalDays = 0;
    t.lastDay = t.lastMs = t.dueDay = 0;
    t.leech = false;
    std::optional<PendingSchedule> last;
    for (auto& a : t.answers)
        if (!a.undone)
            last = foldStep(t, a);
    if (last)
        schedule(itemId, t, *last);
    t.leech = t.lapses >= m_settings.leechThreshold;
}

}  // namespace retain::core
