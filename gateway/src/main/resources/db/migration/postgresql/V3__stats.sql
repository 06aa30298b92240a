-- Stats rollups, PostgreSQL dialect. Keep in step with db/migration/sqlite/V3__stats.sql: same
-- columns, NULL-ability and key; only the type names and the storage differ. Each engine keeps a
-- grain's rows together, since a query reads one grain's time range: SQLite stores the table
-- WITHOUT ROWID, in primary-key order; PostgreSQL partitions it by grain (otherwise a day of one
-- grain's rows is spread over every page of the table, among the other grains' rows).
--
-- One row per (grain, minute, replica, series): a replica's cumulative totals for that minute,
-- rewritten by each flush (UPSERT), never touched by another replica; readers add replicas up.
-- A dimension that is absent, or outside the row's grain, is '' (so the key has no NULL).
-- Histograms are HdrHistogram V2 encodings of microseconds; ttft is NULL when no request had one.
-- The key starts with (grain, minute): a query reads one grain's rows of a time range in order.

CREATE TABLE stats (
  grain         TEXT    NOT NULL CHECK (grain IN ('provider', 'model', 'team', 'target', 'key', 'all')),
  minute        BIGINT  NOT NULL,
  replica       TEXT    NOT NULL,
  model         TEXT    NOT NULL,
  provider      TEXT    NOT NULL,
  target        TEXT    NOT NULL,
  key_name      TEXT    NOT NULL,
  team          TEXT    NOT NULL,
  requests      BIGINT  NOT NULL,
  errors        BIGINT  NOT NULL,
  input_tokens  BIGINT  NOT NULL,
  output_tokens BIGINT  NOT NULL,
  cost_micros   BIGINT  NOT NULL,
  latency       BYTEA   NOT NULL,
  ttft          BYTEA   NULL,
  overhead      BYTEA   NOT NULL,
  PRIMARY KEY (grain, minute, replica, model, provider, target, key_name, team)
) PARTITION BY LIST (grain);

CREATE TABLE stats_provider PARTITION OF stats FOR VALUES IN ('provider');
CREATE TABLE stats_model PARTITION OF stats FOR VALUES IN ('model');
CREATE TABLE stats_team PARTITION OF stats FOR VALUES IN ('team');
CREATE TABLE stats_target PARTITION OF stats FOR VALUES IN ('target');
CREATE TABLE stats_key PARTITION OF stats FOR VALUES IN ('key');
CREATE TABLE stats_all PARTITION OF stats FOR VALUES IN ('all');
