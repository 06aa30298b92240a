-- Request log, PostgreSQL dialect. Keep in step with db/migration/sqlite/V2__request_log.sql (see
-- V1's header). One row per client request, written by the same batch writer as the ledger; its
-- attempts are the ledger rows with the same request_id. Durations are microseconds.

CREATE TABLE request_log (
  id                  TEXT     NOT NULL PRIMARY KEY,
  ts                  BIGINT   NOT NULL,
  endpoint            TEXT     NOT NULL,
  key_name            TEXT     NULL,
  key_id              TEXT     NULL,
  team                TEXT     NULL,
  model               TEXT     NULL,
  provider            TEXT     NULL,
  target_model        TEXT     NULL,
  status              INTEGER  NOT NULL,
  error_class         TEXT     NULL,
  stream              BOOLEAN  NOT NULL,
  client_disconnected BOOLEAN  NOT NULL,
  latency_us          BIGINT   NOT NULL,
  ttft_us             BIGINT   NULL,
  queue_wait_us       BIGINT   NOT NULL,
  overhead_us         BIGINT   NOT NULL,
  input_tokens        BIGINT   NOT NULL,
  output_tokens       BIGINT   NOT NULL,
  cached_read_tokens  BIGINT   NOT NULL,
  cache_write_tokens  BIGINT   NOT NULL,
  reasoning_tokens    BIGINT   NOT NULL,
  cost_micros         BIGINT   NOT NULL,
  attempts            INTEGER  NOT NULL
);

-- Newest first, whole or by one filter: each index ends in (ts, id), the list's order and cursor,
-- read backwards (both engines scan a B-tree either way).
CREATE INDEX request_log_ts ON request_log (ts, id);
CREATE INDEX request_log_key_name_ts ON request_log (key_name, ts, id);
CREATE INDEX request_log_team_ts ON request_log (team, ts, id);
CREATE INDEX request_log_model_ts ON request_log (model, ts, id);
CREATE INDEX request_log_error_class_ts ON request_log (error_class, ts, id);

-- Bodies apart from the summaries: kept for less time, and never read by the list.
CREATE TABLE request_bodies (
  request_id         TEXT     NOT NULL PRIMARY KEY,
  ts                 BIGINT   NOT NULL,
  request_body       TEXT     NULL,
  response_body      TEXT     NULL,
  request_truncated  BOOLEAN  NOT NULL,
  response_truncated BOOLEAN  NOT NULL
);

CREATE INDEX request_bodies_ts ON request_bodies (ts);

-- The attempt timeline: when each attempt started, and its rows found by request id.
ALTER TABLE ledger ADD COLUMN started_at BIGINT NULL;
CREATE INDEX ledger_request_id ON ledger (request_id);
