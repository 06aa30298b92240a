-- Sluice store, PostgreSQL dialect. Keep in step with db/migration/sqlite: same tables, columns,
-- NULL-ability and indexes; only the type names differ. Instants are epoch milliseconds (UTC),
-- money is integer micro-units (BIGINT), JSON is text (read and written as text on both engines).

CREATE TABLE teams (
  name             TEXT    NOT NULL PRIMARY KEY,
  budget_micros    BIGINT  NULL,
  budget_period    TEXT    NULL CHECK (budget_period IN ('daily', 'monthly', 'total')),
  budget_mode      TEXT    NULL CHECK (budget_mode IN ('hard', 'soft')),
  alert_webhook    TEXT    NULL,
  alert_thresholds TEXT    NULL,
  created_at       BIGINT  NOT NULL
);

CREATE TABLE api_keys (
  id            TEXT    NOT NULL PRIMARY KEY,
  key_hash      TEXT    NOT NULL UNIQUE,
  key_prefix    TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  team          TEXT    NULL,
  models        TEXT    NULL,
  limits        TEXT    NULL,
  budget_micros BIGINT  NULL,
  budget_period TEXT    NULL CHECK (budget_period IN ('daily', 'monthly', 'total')),
  budget_mode   TEXT    NULL CHECK (budget_mode IN ('hard', 'soft')),
  metadata      TEXT    NULL,
  expires_at    BIGINT  NULL,
  revoked_at    BIGINT  NULL,
  created_at    BIGINT  NOT NULL
);

CREATE INDEX api_keys_team ON api_keys (team);

CREATE TABLE ledger (
  id                  TEXT     NOT NULL PRIMARY KEY,
  request_id          TEXT     NOT NULL,
  attempt_no          INTEGER  NOT NULL,
  ts                  BIGINT   NOT NULL,
  key_name            TEXT     NOT NULL,
  key_id              TEXT     NULL,
  team                TEXT     NULL,
  model_entry         TEXT     NOT NULL,
  provider            TEXT     NOT NULL,
  target_model        TEXT     NOT NULL,
  status              INTEGER  NOT NULL,
  error_class         TEXT     NULL,
  outcome             TEXT     NOT NULL,
  input_tokens        BIGINT   NOT NULL,
  output_tokens       BIGINT   NOT NULL,
  cached_read_tokens  BIGINT   NOT NULL,
  cache_write_tokens  BIGINT   NOT NULL,
  reasoning_tokens    BIGINT   NOT NULL,
  cost_micros         BIGINT   NOT NULL,
  price_known         BOOLEAN  NOT NULL,
  estimated           BOOLEAN  NOT NULL,
  latency_ms          BIGINT   NOT NULL,
  ttft_ms             BIGINT   NULL,
  stream              BOOLEAN  NOT NULL,
  client_disconnected BOOLEAN  NOT NULL,
  hedge               BOOLEAN  NOT NULL,
  retry               BOOLEAN  NOT NULL,
  fallback            BOOLEAN  NOT NULL
);

CREATE INDEX ledger_key_name_ts ON ledger (key_name, ts);
CREATE INDEX ledger_team_ts ON ledger (team, ts);
CREATE INDEX ledger_ts ON ledger (ts);
