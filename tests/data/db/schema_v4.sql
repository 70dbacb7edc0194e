CREATE TABLE access_tokens (
  token_hash TEXT PRIMARY KEY,
  prefix     TEXT NOT NULL,
  learner_id TEXT REFERENCES learners(id),
  label      TEXT NOT NULL DEFAULT '',
  created_ms INTEGER NOT NULL
) STRICT;
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
CREATE TABLE learners (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL
) STRICT;
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
CREATE TABLE sync_accounts (
  learner_id   TEXT PRIMARY KEY REFERENCES learners(id),
  last_sync_ms INTEGER NOT NULL DEFAULT 0
) STRICT;
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
CREATE TABLE sync_replicas (
  learner_id    TEXT NOT NULL REFERENCES learners(id),
  replica_id    TEXT NOT NULL,
  last_sequence INTEGER NOT NULL,
  PRIMARY KEY (learner_id, replica_id)
) STRICT;
CREATE TABLE sync_tokens (
  token_hash TEXT PRIMARY KEY,
  learner_id TEXT NOT NULL REFERENCES learners(id),
  prefix     TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX sync_tokens_by_learner ON sync_tokens (learner_id);
