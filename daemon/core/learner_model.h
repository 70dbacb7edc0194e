#pragma once
// The fold: a learner's derived state (settings, item memory, suspensions, leeches) computed from
// their event log. Deterministic: the same set of events gives the same state whatever order they
// arrive in, because every derived value is a function of events sorted by (hlc, id) and of the
// learner's final (last-writer-wins) settings and parameters.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/content_pack.h"
#include "core/fsrs.h"
#include "core/learner_settings.h"
#include "core/study_day.h"
#include "retain/v1/events.pb.h"

namespace retain::core {

// One answer as the fold keeps it (compact: a learner may have hundreds of thousands).
struct AnswerRecord {
    uint64_t hlc = 0;
    std::string eventId;
    int64_t wallMs = 0;
    Rating rating = Rating::Good;
    bool correct = false;
    bool undone = false;
    uint8_t mode = 0;  // v1::StudyMode
    uint32_t responseMs = 0;
    int32_t session = -1;  // interned session id, -1 when none
    std::vector<uint32_t> chosen;
    // Derived by the fold for this answer (valid when !undone).
    double retrievabilityBefore = 0;
    MemoryState after;
};

// What scheduling an answer needs: the memory before it and the days since the previous review.
struct PendingSchedule {
    std::optional<MemoryState> before;
    int elapsed = 0;
    int reviewsBefore = 0;
    Rating rating = Rating::Good;
};

// One item's history and the memory derived from it.
struct ItemTrack {
    std::vector<AnswerRecord> answers;  // sorted by (hlc, eventId)
    // Suspension, last writer wins.
    bool suspended = false;
    uint64_t suspensionHlc = 0;
    std::string suspensionEventId;
    // Derived:
    std::optional<MemoryState> memory;  // nullopt: never answered (or every answer undone)
    int64_t lastDay = 0;
    int64_t lastMs = 0;
    int64_t dueDay = 0;
    int reviews = 0;
    int lapses = 0;
    int intervalDays = 0;
    bool leech = false;
    // Bulk loading: the last answer's scheduling, done once in endBulkLoad().
    std::optional<PendingSchedule> pending;
};

class LearnerModel {
public:
    LearnerModel(std::string learnerId, const ContentPack* pack);

    // Folds one event (any order). Returns false for an event already folded (same id).
    bool apply(const v1::Event& event);
    // Bulk loading (start-up, rebuild): scheduling, which only matters for each item's last answer,
    // is deferred to endBulkLoad().
    void beginBulkLoad() { m_bulk = true; }
    void endBulkLoad();
    // Re-derives everything from the recorded events (after a settings change, a content reload or on
    // demand).
    void refoldAll();
    void setContent(const ContentPack* pack) { m_pack = pack; }
    const ContentPack* pack() const { return m_pack; }

    const std::string& learnerId() const { return m_learnerId; }
    const std::string& name() const { return m_name; }
    int64_t createdMs() const { return m_createdMs; }
    uint64_t eventCount() const { return m_eventCount; }
    // Answers folded (undone ones included): a cheap measure of how much history there is.
    uint64_t answerCount() const { return m_answerCount; }
    uint64_t lastHlc() const { return m_lastHlc; }
    const LearnerSettings& settings() const { return m_settings; }
    const StudyDayClock& days() const { return m_days; }
    const Fsrs& fsrs() const { return m_fsrs; }
    bool personalParameters() const { return m_parametersHlc != 0; }
    SchedulingOptions schedulingOptions() const;
    const Exam* exam() const;

    const ItemTrack* track(const std::string& itemId) const;
    // Finished mock exams (MockExamFinished events), in fold order.
    const std::vector<v1::Event>& mocks() const { return m_mocks; }
    const std::unordered_map<std::string, ItemTrack>& tracks() const { return m_tracks; }
    // Finds an answer by event id: {item id, record}; nullptr when unknown.
    std::pair<const std::string*, const AnswerRecord*> findAnswer(const std::string& eventId) const;
    int32_t internSession(const std::string& sessionId);
    // Fuzz seed of an item's next interval: a function of the item and how many reviews it has had, so
    // the answer buttons can show exactly the interval the answer will get, on every replica.
    static uint64_t scheduleSeed(const std::string& itemId, int reviewsBefore);
    int32_t sessionIndex(const std::string& sessionId) const;

    // Probability of recall of an item at a time (0 for never seen).
    double retrievability(const ItemTrack& track, int64_t nowMs) const;
    // New items introduced (first answered) on a study day.
    int newItemsOnDay(int64_t day) const;

private:
    void foldItem(const std::string& itemId, ItemTrack& track);
    // Folds one (not undone) answer onto the item's memory; schedule() then sets its due day.
    PendingSchedule foldStep(ItemTrack& track, AnswerRecord& answer) const;
    void schedule(const std::string& itemId, ItemTrack& track, const PendingSchedule& pending) const;
    void applySetting(const v1::Event& e);

    std::string m_learnerId;
    const ContentPack* m_pack;
    std::string m_name;
    int64_t m_createdMs = 0;
    uint64_t m_eventCount = 0;
    uint64_t m_answerCount = 0;
    uint64_t m_lastHlc = 0;
    std::unordered_set<std::string> m_eventIds;
    // Settings: key -> (hlc, event id, value), last writer wins.
    struct Setting {
        uint64_t hlc = 0;
        std::string eventId;
        std::string value;
    };
    std::map<std::string, Setting> m_settingLog;
    LearnerSettings m_settings;
    StudyDayClock m_days;
    // Personal FSRS parameters, last writer wins.
    uint64_t m_parametersHlc = 0;
    std::string m_parametersEventId;
    Fsrs m_fsrs;
    std::unordered_map<std::string, ItemTrack> m_tracks;
    // Answer event id -> item id; undos seen before their answer (out-of-order sync).
    std::unordered_map<std::string, std::string> m_answerItem;
    std::unordered_set<std::string> m_pendingUndo;
    std::unordered_map<std::string, int32_t> m_sessions;
    bool m_bulk = false;
    std::vector<v1::Event> m_mocks;
};

// Deterministic seed for interval fuzz, derived from the answer's event id.
uint64_t fuzzSeed(const std::string& eventId);

// Orders events as the fold does.
inline bool foldsBefore(uint64_t hlcA, const std::string& idA, uint64_t hlcB, const std::string& idB) {
    return hlcA != hlcB ? hlcA < hlcB : idA < idB;
}

}  // namespace retain::core
