-- Shadow traffic, SQLite dialect. Keep in step with db/migration/postgresql/V10__shadow_pairs.sql.
-- One row per shadow pair: a client request's primary answer and a shadow candidate's answer to a
-- copy of it, with what each took and how they compare. p_* is the primary, c_* the candidate.
-- Durations are milliseconds; a comparison not made is NULL; similarity is cosine, -1 to 1.
CREATE TABLE shadow_pairs (
  id                TEXT    NOT NULL PRIMARY KEY,
  request_id        TEXT    NOT NULL,
  ts                INTEGER NOT NULL,
  model_entry       TEXT    NOT NULL,
  candidate         TEXT    NOT NULL,
  stream            INTEGER NOT NULL CHECK (stream IN (0, 1)),
  p_target          TEXT    NULL,
  p_latency_ms      INTEGER NOT NULL,
  p_ttft_ms         INTEGER NULL,
  p_input_tokens    INTEGER NOT NULL,
  p_output_tokens   INTEGER NOT NULL,
  p_cost_micros     INTEGER NOT NULL,
  p_error           TEXT    NULL,
  p_finish_reason   TEXT    NULL,
  p_output_chars    INTEGER NOT NULL,
  c_target          TEXT    NULL,
  c_latency_ms      INTEGER NOT NULL,
  c_ttft_ms         INTEGER NULL,
  c_input_tokens    INTEGER NOT NULL,
  c_output_tokens   INTEGER NOT NULL,
  c_cost_micros     INTEGER NOT NULL,
  c_error           TEXT    NULL,
  c_finish_reason   TEXT    NULL,
  c_output_chars    INTEGER NOT NULL,
  exact_match       INTEGER NULL CHECK (exact_match IN (0, 1)),
  json_valid        INTEGER NULL CHECK (json_valid IN (0, 1)),
  schema_match      INTEGER NULL CHECK (schema_match IN (0, 1)),
  tools_agree       INTEGER NULL CHECK (tools_agree IN (0, 1)),
  similarity        REAL    NULL
) STRICT;

CREATE INDEX shadow_pairs_model_ts ON shadow_pairs (model_entry, ts);
CREATE INDEX shadow_pairs_ts ON shadow_pairs (ts);

-- Shadow calls are in the ledger (kind = 'shadow') but never in a key's or team's spend: the spend
-- reads filter on kind, so kind joins the covering indexes of V7 (the reads stay index-only scans).
CREATE INDEX ledger_key_name_ts_cost_kind ON ledger (key_name, ts, cost_micros, kind);
CREATE INDEX ledger_team_ts_cost_kind ON ledger (team, ts, cost_micros, kind);
DROP INDEX ledger_key_name_ts_cost;
DROP INDEX ledger_team_ts_cost;
