#pragma once
// The event log and learner registry on SQLite. Appends are durable when they return: one
// transaction per batch, WAL with synchronous=FULL. Not thread-safe: the daemon uses it from its
// write strand only.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "retain/v1/events.pb.h"
#include "storage/sqlite.h"

namespace retain::storage {

namespace v1 = ::retain::v1;

struct LearnerRow {
    std::string id;
    std::string name;
    int64_t createdMs = 0;
};

struct AppendResult {
    uint32_t inserted = 0;
    uint32_t duplicates = 0;
};

// Inserts `events` (each under its own learner id) inside the caller's transaction; an event already
// present (same learner and id) is counted as a duplicate and left alone. Shared by the event store and
// the sync server's store, which keep events in the same table.
Result<AppendResult> insertEvents(Database& db, const std::vector<v1::Event>& events);

class EventStore {
public:
    explicit EventStore(Database db);

    // This replica's id, created on first use and kept in meta.
    Result<std::string> replicaId();
    // Highest sequence number used by this replica's own event ids.
    Result<uint64_t> lastOwnSequence(const std::string& replicaId);

    Result<std::vector<LearnerRow>> learners();
    // Inserts a learner row (ALREADY_EXISTS when the name is taken).
    core::Status addLearner(const LearnerRow& row);

    // Appends events in one durable transaction; events already present (same learner and id) are
    // counted as duplicates and left alone. Learners must exist.
    Result<AppendResult> append(const std::vector<v1::Event>& events);
    // Calls `fn` for every event of a learner in local insertion order. Stops on a corrupt row with DataLoss.
    core::Status forEachEvent(const std::string& learnerId,
                              const std::function<void(v1::Event&&, int64_t seq)>& fn, int64_t afterSeq = 0,
                              int64_t limit = -1);
    Result<int64_t> eventCount(const std::string& learnerId);

    // Online backup of the whole database to a new file (without the replica id: a restored copy is a
    // new replica, so that it never reuses event ids).
    Result<uint64_t> backupTo(const std::string& path);
    Database& database() { return m_db; }

private:
    Database m_db;
};

}  // namespace retain::storage
