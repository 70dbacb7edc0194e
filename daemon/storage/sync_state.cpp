#include "storage/sync_state.h"

namespace retain::storage {

namespace {

constexpr const char* kColumns =
    "learner_id, server, token, ca_file, interval_seconds, pushed_seq, pulled_cursor, last_sync_ms, "
    "last_error, failures";

ReplicaSyncConfig readRow(const Statement& st) {
    ReplicaSyncConfig c;
    c.learnerId = st.columnText(0);
    c.server = st.columnText(1);
    c.token = st.columnText(2);
    c.caFile = st.columnText(3);
    c.intervalSeconds = static_cast<uint32_t>(st.columnInt(4));
    c.pushedSeq = st.columnInt(5);
    c.pulledCursor = st.columnInt(6);
    c.lastSyncMs = st.columnInt(7);
    c.lastError = st.columnText(8);
    c.failures = static_cast<uint32_t>(st.columnInt(9));
    return c;
}

Result<std::vector<ReplicaSyncConfig>> query(Database& db, const std::string& where, const std::string& key) {
    auto st = db.prepare(std::string("SELECT ") + kColumns + " FROM sync_config" + where);
    if (!st)
        return st.error();
    if (!key.empty())
        st->bind(1, key);
    std::vector<ReplicaSyncConfig> out;
    if (auto s = st->forEachRow([&]() -> core::Status {
            out.push_back(readRow(*st));
            return core::okStatus();
        });
        !s)
        return s.error();
    return out;
}

Result<int64_t> scalar(Database& db, const char* sql, const std::string& learnerId, int64_t arg) {
    auto st = db.prepare(sql);
    if (!st)
        return st.error();
    st->bind(1, learnerId).bind(2, arg);
    auto row = st->step();
    if (!row)
        return row.error();
    return st->columnInt(0);
}

}  // namespace

Result<std::vector<ReplicaSyncConfig>> loadSyncConfigs(Database& db) {
    return query(db, " ORDER BY learner_id", "");
}

Result<std::optional<ReplicaSyncConfig>> loadSyncConfig(Database& db, const std::string& learnerId) {
    auto rows = query(db, " WHERE learner_id = ?", learnerId);
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<ReplicaSyncConfig>();
    return std::optional<ReplicaSyncConfig>(std::move(rows->front()));
}

Status saveSyncConfig(Database& db, const ReplicaSyncConfig& c) {
    auto st = db.prepare(std::string("INSERT OR REPLACE INTO sync_config (") + kColumns +
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return st.error();
    st->bind(1, c.learnerId)
        .bind(2, c.server)
        .bind(3, c.token)
        .bind(4, c.caFile)
        .bind(5, static_cast<int64_t>(c.intervalSeconds))
        .bind(6, c.pushedSeq)
        .bind(7, c.pulledCursor)
        .bind(8, c.lastSyncMs)
        .bind(9, c.lastError)
        .bind(10, static_cast<int64_t>(c.failures));
    return st->run();
}

Status deleteSyncConfig(Database& db, const std::string& learnerId) {
    auto st = db.prepare("DELETE FROM sync_config WHERE learner_id = ?");
    if (!st)
        return st.error();
    return st->bind(1, learnerId).run();
}

Result<int64_t> lastLocalSeq(Database& db, const std::string& learnerId) {
    auto st = db.prepare("SELECT COALESCE(MAX(seq), 0) FROM events WHERE learner_id = ?");
    if (!st)
        return st.error();
    st->bind(1, learnerId);
    auto row = st->step();
    if (!row)
        return row.error();
    return st->columnInt(0);
}

Result<int64_t> eventsAfter(Database& db, const std::string& learnerId, int64_t seq) {
    return scalar(db, "SELECT count(*) FROM events WHERE learner_id = ? AND seq > ?", learnerId, seq);
}

}  // namespace retain::storage
