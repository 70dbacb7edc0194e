#include "storage/schema.h"

#include <sys/stat.h>

#include <filesystem>

namespace retain::storage {

using core::Error;
using core::ErrorCode;

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
        {1, "event log and learners", R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
CREATE TABLE learners (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL
) STRICT;
-- The append-only event log: source of truth. seq is the local insertion order (sync cursor).
CREATE TABLE events (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  learner_id TEXT NOT NULL REFERENCES learners(id),
  id         TEXT NOT NULL,
  hlc        INTEGER NOT NULL,
  wall_ms    INTEGER NOT NULL,
  kind       INTEGER NOT NULL,
  body       BLOB NOT NULL,
  UNIQUE (learner_id, id)
) STRICT;
CREATE INDEX events_by_learner ON events (learner_id, seq);
)sql"},
        {2, "sync: replica configuration, server accounts and tokens", R"sql(
-- Replica side: where and how a learner syncs, and how far.
CREATE TABLE sync_config (
  learner_id       TEXT PRIMARY KEY REFERENCES learners(id),
  server           TEXT NOT NULL,
  token            TEXT NOT NULL,
  ca_file          TEXT NOT NULL DEFAULT '',
  interval_seconds INTEGER NOT NULL DEFAULT 300,
  pushed_seq       INTEGER NOT NULL DEFAULT 0,   -- local events.seq acknowledged by the server
  pulled_cursor    INTEGER NOT NULL DEFAULT 0,   -- server cursor already pulled
  last_sync_ms     INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT NOT NULL DEFAULT '',
  failures         INTEGER NOT NULL DEFAULT 0
) STRICT;
-- Server side: per-learner secret tokens, stored as SHA-256 hashes only.
CREATE TABLE sync_tokens (
  token_hash TEXT PRIMARY KEY,
  learner_id TEXT NOT NULL REFERENCES learners(id),
  prefix     TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX sync_tokens_by_learner ON sync_tokens (learner_id);
)sql"},
        {3, "sync server: accounts and per-replica sequences", R"sql(
-- Server side: the learners that have a sync account, and when each last synced.
CREATE TABLE sync_accounts (
  learner_id   TEXT PRIMARY KEY REFERENCES learners(id),
  last_sync_ms INTEGER NOT NULL DEFAULT 0
) STRICT;
-- Server side: the highest event sequence held per learner and creating replica (HelloResponse).
CREATE TABLE sync_replicas (
  learner_id    TEXT NOT NULL REFERENCES learners(id),
  replica_id    TEXT NOT NULL,
  last_sequence INTEGER NOT NULL,
  PRIMARY KEY (learner_id, replica_id)
) STRICT;
)sql"},
        {4, "access tokens of TCP clients", R"sql(
-- Local daemon: the credentials of TCP clients (AdminService.CreateAccessToken), as SHA-256 hashes only.
-- learner_id NULL is an admin token.
CREATE TABLE access_tokens (
  token_hash TEXT PRIMARY KEY,
  prefix     TEXT NOT NULL,
  learner_id TEXT REFERENCES learners(id),
  label      TEXT NOT NULL DEFAULT '',
  created_ms INTEGER NOT NULL
) STRICT;
)sql"},
    };
    return all;
}

int currentSchemaVersion() {
    return migrations().back().version;
}

Result<int> schemaVersion(Database& db) {
    auto st = db.prepare("PRAGMA user_version");
    if (!st)
        return st.error();
    auto row = st->step();
    if (!row)
        return row.error();
    return static_cast<int>(st->columnInt(0));
}

namespace {

Result<int64_t> pragmaInt(Database& db, const char* sql) {
    auto st = db.prepare(sql);
    if (!st)
        return st.error();
    auto row = st->step();
    if (!row)
        return row.error();
    return st->columnInt(0);
}

}  // namespace

Result<Database> openRetainDatabase(const std::string& path, int targetVersion) {
    if (targetVersion <= 0)
        targetVersion = currentSchemaVersion();
    auto opened = Database::open(path, true);
    if (!opened)
        return opened.error();
    Database db = std::move(opened.value());

    // Identity first, read-only: a foreign or newer file must not be touched.
    auto appId = pragmaInt(db, "PRAGMA application_id");
    if (!appId && appId.error().code != ErrorCode::DataLoss)
        return Error{appId.error().code, "cannot read " + path + ": " + appId.error().message};
    if (!appId)
        return Error{ErrorCode::DataLoss, path + " is not a Retain database (not a readable SQLite file: " +
                                              appId.error().message + ")"};
    auto version = pragmaInt(db, "PRAGMA user_version");
    auto objects = pragmaInt(db, "SELECT count(*) FROM sqlite_master");
    if (!version || !objects)
        return Error{ErrorCode::DataLoss, path + " is not a readable SQLite file"};
    const bool fresh = *appId == 0 && *version == 0 && *objects == 0;
    if (!fresh && *appId != kApplicationId)
        return Error{ErrorCode::DataLoss, path + " is not a Retain database (application_id " +
                                              std::to_string(*appId) + "); refusing to open or modify it"};
    if (*version > currentSchemaVersion())
        return Error{ErrorCode::FailedPrecondition,
                     path + " was written by a newer Retain (schema version " + std::to_string(*version) +
                         "; this retaind supports up to " + std::to_string(currentSchemaVersion()) +
                         "). Upgrade Retain; the file was not modified"};

    // The log is private (and a replica's holds its sync token): owner-only, whatever made it before.
    if (path != ":memory:")
        for (const char* suffix : {"", "-wal", "-shm"})
            ::chmod((path + suffix).c_str(), 0600);

    if (auto s = db.exec("PRAGMA journal_mode=WAL"); !s)
        return s.error();
    if (auto s = db.exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON"); !s)
        return s.error();

    for (const auto& m : migrations()) {
        if (m.version <= *version || m.version > targetVersion)
            continue;
        Transaction tx(db);
        if (auto s = tx.begin(); !s)
            return s.error();
        if (auto s = db.exec(m.sql); !s)
            return Error{ErrorCode::Internal, "migration to schema " + std::to_string(m.version) +
                                                  " failed: " + s.error().message};
        if (auto s = db.exec("PRAGMA user_version=" + std::to_string(m.version) +
                             "; PRAGMA application_id=" + std::to_string(kApplicationId));
            !s)
            return s.error();
        if (auto s = tx.commit(); !s)
            return s.error();
    }
    return db;
}

}  // namespace retain::storage
