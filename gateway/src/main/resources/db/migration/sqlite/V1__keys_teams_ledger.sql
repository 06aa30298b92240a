-- Sluice store, SQLite dialect. Keep in step with db/migration/postgresql: same tables, columns,
-- NULL-ability and indexes; only the type names differ. Instants are epoch milliseconds (UTC),
-- money is integer micro-units, booleans are 0/1, JSON is text. STRICT makes SQLite enforce types.

CREATE TABLE teams (
  name             TEXT    NOT NULL PRIMARY KEY,
  budget_micros    INTEGER NULL,
  budget_period    TEXT    NULL CHECK (budget_period IN ('daily', 'monthly', 'total')),
  budget_mode      TEXT    NULL CHECK (budget_mode IN ('hard', 'soft')),
  alert_webhook    TEXT    NULL,
  alert_thresholds TEXT    NULL,
  created_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE api_keys (
  id            TEXT    NOT NULL PRIMARY KEY,
  key_hash      TEXT    NOT NULL UNIQUE,
  key_prefix    TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  team          TEXT    NULL,
  models        TEXT    NULL,
  limits        TEXT    NULL,
  budget_micros INTEGER NULL,
  budget_period TEXT    NULL CHECK (budget_period IN ('daily', 'monthly', 'total')),
  budget_mode   TEXT    NULL CHECK (budget_mode IN ('hard', 'soft')),
  metadata      TEXT    NULL,
  expires_at    INTEGER NULL,
  revoked_at    INTEGER NULL,
  created_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX api_keys_team ON api_keys (team);

CREATE TABLE ledger (
  id                  TEXT    NOT NULL PRIMARY KEY,
  request_id          TEXT    NOT NULL,
  attempt_no          INTEGER NOT NULL,
  ts                  INTEGER NOT NULL,
  key_name            TEXT    NOT NULL,
  key_id              TEXT    NULL,
  team                TEXT    NULL,
  model_entry         TEXT    NOT NULL,
  provider            TEXT    NOT NULL,
  target_model        TEXT    NOT NULL,
  status              INTEGER NOT NULL,
  error_class         TEXT    NULL,
  outcome             TEXT    NOT NULL,
  input_tokens        INTEGER NOT NULL,
  output_tokens       INTEGER NOT NULL,
  cached_read_tokens  INTEGER NOT NULL,
  cache_write_tokens  INTEGER NOT NULL,
  reasoning_tokens    INTEGER NOT NULL,
  cost_micros         INTEGER NOT NULL,
  price_known         INTEGER NOT NULL CHECK (price_known IN (0, 1)),
  estimated           INTEGER NOT NULL CHECK (estimated IN (0, 1)),
  latency_ms          INTEGER NOT NULL,
  ttft_ms             INTEGER NULL,
  stream              INTEGER NOT NULL CHECK (stream IN (0, 1)),
  client_disconnected INTEGER NOT NULL CHECK (client_disconnected IN (0, 1)),
  hedge               INTEGER NOT NULL CHECK (hedge IN (0, 1)),
  retry               INTEGER NOT NULL CHECK (retry IN (0, 1)),
  fallback            INTEGER NOT NULL CHECK (fallback IN (0, 1))
) STRICT;

CREATE INDEX ledger_key_name_ts ON ledger (key_name, ts);
CREATE INDEX ledger_team_ts ON ledger (team, ts);
CREATE INDEX ledger_ts ON ledger (ts);
