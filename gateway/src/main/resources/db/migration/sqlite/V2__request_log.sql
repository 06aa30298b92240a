-- Request log, SQLite dialect. Keep in step with db/migration/postgresql/V2__request_log.sql (see
-- V1's header). One row per client request, written by the same batch writer as the ledger; its
-- attempts are the ledger rows with the same request_id. Durations are microseconds.

CREATE TABLE request_log (
  id                  TEXT    NOT NULL PRIMARY KEY,
  ts                  INTEGER NOT NULL,
  endpoint            TEXT    NOT NULL,
  key_name            TEXT    NULL,
  key_id              TEXT    NULL,
  team                TEXT    NULL,
  model               TEXT    NULL,
  provider            TEXT    NULL,
  target_model        TEXT    NULL,
  status              INTEGER NOT NULL,
  error_class         TEXT    NULL,
  stream              INTEGER NOT NULL CHECK (stream IN (0, 1)),
  client_disconnected INTEGER NOT NULL CHECK (client_disconnected IN (0, 1)),
  latency_us          INTEGER NOT NULL,
  ttft_us             INTEGER NULL,
  queue_wait_us       INTEGER NOT NULL,
  overhead_us         INTEGER NOT NULL,
  input_tokens        INTEGER NOT NULL,
  output_tokens       INTEGER NOT NULL,
  cached_read_tokens  INTEGER NOT NULL,
  cache_write_tokens  INTEGER NOT NULL,
  reasoning_tokens    INTEGER NOT NULL,
  cost_micros         INTEGER NOT NULL,
  attempts            INTEGER NOT NULL
) STRICT;

-- Newest first, whole or by one filter: each index ends in (ts, id), the list's order and cursor,
-- read backwards (both engines scan a B-tree either way).
CREATE INDEX request_log_ts ON request_log (ts, id);
CREATE INDEX request_log_key_name_ts ON request_log (key_name, ts, id);
CREATE INDEX request_log_team_ts ON request_log (team, ts, id);
CREATE INDEX request_log_model_ts ON request_log (model, ts, id);
CREATE INDEX request_log_error_class_ts ON request_log (error_class, ts, id);

-- Bodies apart from the summaries: kept for less time, and never read by the list.
CREATE TABLE request_bodies (
  request_id         TEXT    NOT NULL PRIMARY KEY,
  ts                 INTEGER NOT NULL,
  request_body       TEXT    NULL,
  response_body      TEXT    NULL,
  request_truncated  INTEGER NOT NULL CHECK (request_truncated IN (0, 1)),
  response_truncated INTEGER NOT NULL CHECK (response_truncated IN (0, 1))
) STRICT;

CREATE INDEX request_bodies_ts ON request_bodies (ts);

-- The attempt timeline: when each attempt started, and its rows found by request id.
ALTER TABLE ledger ADD COLUMN started_at INTEGER NULL;
CREATE INDEX ledger_request_id ON ledger (request_id);
