-- Stats rollups' errors by error class, PostgreSQL dialect. Keep in step with
-- db/migration/sqlite/V5__stats_errors.sql. Beside V3's stats table, same key plus the class:
-- one row per (grain, minute, replica, series, error_class) with that replica's cumulative count for
-- the minute, written in the same transaction as the series' stats row (UPSERT), never touched by
-- another replica; readers add replicas up. A series' rows here add up to its stats row's errors.
-- error_class is the request's error code (upstream_timeout, rate_limit_exceeded, http_502 …), or
-- 'other' past the classes kept apart per series. Only minutes with errors have rows, so the
-- table is far smaller than stats and is not partitioned: the key starts with (grain, minute).

CREATE TABLE stats_errors (
  grain       TEXT    NOT NULL CHECK (grain IN ('provider', 'model', 'team', 'target', 'key', 'all')),
  minute      BIGINT  NOT NULL,
  replica     TEXT    NOT NULL,
  model       TEXT    NOT NULL,
  provider    TEXT    NOT NULL,
  target      TEXT    NOT NULL,
  key_name    TEXT    NOT NULL,
  team        TEXT    NOT NULL,
  error_class TEXT    NOT NULL,
  errors      BIGINT  NOT NULL,
  PRIMARY KEY (grain, minute, replica, model, provider, target, key_name, team, error_class)
);
