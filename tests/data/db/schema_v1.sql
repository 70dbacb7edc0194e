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
