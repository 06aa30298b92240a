-- Stats rollups, SQLite dialect. Keep in step with db/migration/postgresql/V3__stats.sql: same
-- columns, NULL-ability and key; only the type names and the storage differ. Each engine keeps a
-- grain's rows together, since a query reads one grain's time range: SQLite stores the table
-- WITHOUT ROWID, in primary-key order; PostgreSQL partitions it by grain.
--
-- One row per (grain, minute, replica, series): a replica's cumulative totals for that minute,
-- rewritten by each flush (UPSERT), never touched by another replica; readers add replicas up.
-- A dimension that is absent, or outside the row's grain, is '' (so the key has no NULL).
-- Histograms are HdrHistogram V2 encodings of microseconds; ttft is NULL when no request had one.
-- The key starts with (grain, minute): a query reads one grain's rows of a time range in order.

CREATE TABLE stats (
  grain         TEXT    NOT NULL CHECK (grain IN ('provider', 'model', 'team', 'target', 'key', 'all')),
  minute        INTEGER NOT NULL,
  replica       TEXT    NOT NULL,
  model         TEXT    NOT NULL,
  provider      TEXT    NOT NULL,
  target        TEXT    NOT NULL,
  key_name      TEXT    NOT NULL,
  team          TEXT    NOT NULL,
  requests      INTEGER NOT NULL,
  errors        INTEGER NOT NULL,
  input_tokens  INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cost_micros   INTEGER NOT NULL,
  latency       BLOB    NOT NULL,
  ttft          BLOB    NULL,
  overhead      BLOB    NOT NULL,
  PRIMARY KEY (grain, minute, replica, model, provider, target, key_name, team)
) STRICT, WITHOUT ROWID;
