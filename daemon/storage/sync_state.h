#pragma once
// A replica's sync configuration and cursors, per learner (table sync_config), kept in the daemon's
// database so that a restart resumes where the last sync stopped. Called on the engine strand only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/sqlite.h"

namespace retain::storage {

struct ReplicaSyncConfig {
    std::string learnerId;
    std::string server;
    std::string token;  // the data directory is owner-only
    std::string caFile;
    uint32_t intervalSeconds = 300;
    int64_t pushedSeq = 0;     // local events.seq up to which the server has acknowledged our events
    int64_t pulledCursor = 0;  // server cursor up to which events were pulled and stored
    int64_t lastSyncMs = 0;
    std::string lastError;
    uint32_t failures = 0;
};

Result<std::vector<ReplicaSyncConfig>> loadSyncConfigs(Database& db);
Result<std::optional<ReplicaSyncConfig>> loadSyncConfig(Database& db, const std::string& learnerId);
// Inserts or replaces the whole row.
Status saveSyncConfig(Database& db, const ReplicaSyncConfig& config);
Status deleteSyncConfig(Database& db, const std::string& learnerId);
// The highest local sequence of a learner's events (0 when none), and how many come after `seq`.
Result<int64_t> lastLocalSeq(Database& db, const std::string& learnerId);
Result<int64_t> eventsAfter(Database& db, const std::string& learnerId, int64_t seq);

}  // namespace retain::storage
