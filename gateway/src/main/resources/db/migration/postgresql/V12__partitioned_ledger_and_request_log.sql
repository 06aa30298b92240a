-- PostgreSQL at volume: the ledger and the request log become tables partitioned by month on their
-- time column (ts, epoch milliseconds, UTC), and the ledger gets a daily rollup next to the hourly one.
--
-- Partitions are named <table>_yYYYYmMM and hold [first of the month, first of the next month);
-- a DEFAULT partition (<table>_default) takes any row whose month has no partition yet, so an insert
-- never fails. The store creates the current and the next month's partitions when it opens and once
-- a day (store.PgPartitions); retention drops whole months older than the retention window and deletes
-- rows only in the month at its edge.
--
-- A unique constraint on a partitioned table must contain the partition key, so the keys become
-- (ts, id) for the ledger and (id, ts) for the request log. Exactly-once is unchanged: a row's id is
-- its request id and attempt number, and a row written again (the journal's replay, a retried batch)
-- carries the same ts to the millisecond (the journal stores what the column stores), so it lands in
-- the same partition and conflicts with itself there (INSERT ... ON CONFLICT DO NOTHING).
--
-- Indexes (each one costs every insert; see README "PostgreSQL at volume" for the query that uses each):
--   ledger: PRIMARY KEY (ts, id)        time windows: the edge hours of reports, rowsBetween, retention
--                                       (replaces ledger_ts (ts), which it serves)
--           (request_id)                a request's attempts (request detail)
--           (key_name, ts, cost, kind)  a key's spend over its budget period, index-only (V10)
--           (team, ts, cost, kind)      a team's spend, index-only (V10)
--   request_log: PRIMARY KEY (id, ts)   one request by id (detail), exactly-once
--           (ts, id, status, latency_us) and (key_name|team|model|error_class, ts, id, status, latency_us):
--                                       the newest-first list, whole or by one filter (V6)

-- The tables as they are: renamed aside, their constraint names freed for the new tables.
ALTER TABLE ledger RENAME TO ledger_v11;
ALTER TABLE ledger_v11 RENAME CONSTRAINT ledger_pkey TO ledger_v11_pkey;
DROP INDEX ledger_ts;
DROP INDEX ledger_request_id;
DROP INDEX ledger_key_name_ts_cost_kind;
DROP INDEX ledger_team_ts_cost_kind;
ALTER TABLE request_log RENAME TO request_log_v11;
ALTER TABLE request_log_v11 RENAME CONSTRAINT request_log_pkey TO request_log_v11_pkey;
DROP INDEX request_log_ts;
DROP INDEX request_log_key_name_ts;
DROP INDEX request_log_team_ts;
DROP INDEX request_log_model_ts;
DROP INDEX request_log_error_class_ts;

-- Same columns, in the same order, as V1, V2, V8 and V9 left them.
CREATE TABLE ledger (
  id                    TEXT     NOT NULL,
  request_id            TEXT     NOT NULL,
  attempt_no            INTEGER  NOT NULL,
  ts                    BIGINT   NOT NULL,
  key_name              TEXT     NOT NULL,
  key_id                TEXT     NULL,
  team                  TEXT     NULL,
  model_entry           TEXT     NOT NULL,
  provider              TEXT     NOT NULL,
  target_model          TEXT     NOT NULL,
  status                INTEGER  NOT NULL,
  error_class           TEXT     NULL,
  outcome               TEXT     NOT NULL,
  input_tokens          BIGINT   NOT NULL,
  output_tokens         BIGINT   NOT NULL,
  cached_read_tokens    BIGINT   NOT NULL,
  cache_write_tokens    BIGINT   NOT NULL,
  reasoning_tokens      BIGINT   NOT NULL,
  cost_micros           BIGINT   NOT NULL,
  price_known           BOOLEAN  NOT NULL,
  estimated             BOOLEAN  NOT NULL,
  latency_ms            BIGINT   NOT NULL,
  ttft_ms               BIGINT   NULL,
  stream                BOOLEAN  NOT NULL,
  client_disconnected   BOOLEAN  NOT NULL,
  hedge                 BOOLEAN  NOT NULL,
  retry                 BOOLEAN  NOT NULL,
  fallback              BOOLEAN  NOT NULL,
  started_at            BIGINT   NULL,
  kind                  TEXT     NOT NULL DEFAULT 'call',
  saved_micros          BIGINT   NOT NULL DEFAULT 0,
  route                 TEXT     NULL,
  route_cost_micros     BIGINT   NULL,
  route_baseline_micros BIGINT   NULL,
  uncached_cost_micros  BIGINT   NULL,
  PRIMARY KEY (ts, id)
) PARTITION BY RANGE (ts);

CREATE TABLE request_log (
  id                  TEXT     NOT NULL,
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
  attempts            INTEGER  NOT NULL,
  PRIMARY KEY (id, ts)
) PARTITION BY RANGE (ts);

CREATE TABLE ledger_default PARTITION OF ledger DEFAULT;
CREATE TABLE request_log_default PARTITION OF request_log DEFAULT;

-- A partition for every month from the oldest row kept to the month after this one (what the store
-- keeps ahead from now on), then the rows moved in.
DO $$
DECLARE
  t TEXT;
  oldest BIGINT;
  m DATE;
  last DATE := (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month')::date;
BEGIN
  FOREACH t IN ARRAY ARRAY['ledger', 'request_log'] LOOP
    EXECUTE format('SELECT min(ts) FROM %I', t || '_v11') INTO oldest;
    m := date_trunc('month', COALESCE(to_timestamp(oldest / 1000.0) AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'))::date;
    WHILE m <= last LOOP
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)',
          t || to_char(m, '"_y"YYYY"m"MM'), t,
          (extract(epoch FROM m::timestamp) * 1000)::bigint,
          (extract(epoch FROM (m + interval '1 month')::timestamp) * 1000)::bigint);
      m := (m + interval '1 month')::date;
    END LOOP;
  END LOOP;
END $$;

INSERT INTO ledger (id, request_id, attempt_no, ts, key_name, key_id, team, model_entry, provider, target_model,
    status, error_class, outcome, input_tokens, output_tokens, cached_read_tokens, cache_write_tokens,
    reasoning_tokens, cost_micros, price_known, estimated, latency_ms, ttft_ms, stream, client_disconnected, hedge,
    retry, fallback, started_at, kind, saved_micros, route, route_cost_micros, route_baseline_micros,
    uncached_cost_micros)
SELECT id, request_id, attempt_no, ts, key_name, key_id, team, model_entry, provider, target_model,
    status, error_class, outcome, input_tokens, output_tokens, cached_read_tokens, cache_write_tokens,
    reasoning_tokens, cost_micros, price_known, estimated, latency_ms, ttft_ms, stream, client_disconnected, hedge,
    retry, fallback, started_at, kind, saved_micros, route, route_cost_micros, route_baseline_micros,
    uncached_cost_micros
FROM ledger_v11;
DROP TABLE ledger_v11;

INSERT INTO request_log (id, ts, endpoint, key_name, key_id, team, model, provider, target_model, status,
    error_class, stream, client_disconnected, latency_us, ttft_us, queue_wait_us, overhead_us, input_tokens,
    output_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, cost_micros, attempts)
SELECT id, ts, endpoint, key_name, key_id, team, model, provider, target_model, status,
    error_class, stream, client_disconnected, latency_us, ttft_us, queue_wait_us, overhead_us, input_tokens,
    output_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, cost_micros, attempts
FROM request_log_v11;
DROP TABLE request_log_v11;

-- Indexes after the rows (one build instead of an insert each); created on the parent, so on every
-- partition, present and future.
CREATE INDEX ledger_request_id ON ledger (request_id);
CREATE INDEX ledger_key_name_ts_cost_kind ON ledger (key_name, ts, cost_micros, kind);
CREATE INDEX ledger_team_ts_cost_kind ON ledger (team, ts, cost_micros, kind);
CREATE INDEX request_log_ts ON request_log (ts, id, status, latency_us);
CREATE INDEX request_log_key_name_ts ON request_log (key_name, ts, id, status, latency_us);
CREATE INDEX request_log_team_ts ON request_log (team, ts, id, status, latency_us);
CREATE INDEX request_log_model_ts ON request_log (model, ts, id, status, latency_us);
CREATE INDEX request_log_error_class_ts ON request_log (error_class, ts, id, status, latency_us);

-- The ledger summed per UTC day, next to the hourly rollup (V9) and kept the same way: upserted in
-- the ledger insert's transaction by the rows actually inserted. A month's report reads whole days
-- here, whole hours at the window's edge days from ledger_hourly and the rows of the partial edge
-- hours from the ledger: for a gateway with a few thousand (key, model, target) groups an hour, a month
-- is tens of thousands of daily rows instead of millions of hourly ones (measured in
-- bench/results/pg-volume.md).
CREATE TABLE ledger_daily (
  day                   BIGINT NOT NULL,
  key_name              TEXT   NOT NULL,
  team                  TEXT   NOT NULL,
  model_entry           TEXT   NOT NULL,
  provider              TEXT   NOT NULL,
  target_model          TEXT   NOT NULL,
  kind                  TEXT   NOT NULL,
  attempts              BIGINT NOT NULL,
  requests              BIGINT NOT NULL,
  input_tokens          BIGINT NOT NULL,
  output_tokens         BIGINT NOT NULL,
  cached_read_tokens    BIGINT NOT NULL,
  cache_write_tokens    BIGINT NOT NULL,
  reasoning_tokens      BIGINT NOT NULL,
  cost_micros           BIGINT NOT NULL,
  answer_cost_micros    BIGINT NOT NULL,
  unpriced_attempts     BIGINT NOT NULL,
  saved_micros          BIGINT NOT NULL,
  answered              BIGINT NOT NULL,
  rerouted              BIGINT NOT NULL,
  rerouted_fallbacks    BIGINT NOT NULL,
  rerouted_unpriced     BIGINT NOT NULL,
  route_cost_micros     BIGINT NOT NULL,
  route_baseline_micros BIGINT NOT NULL,
  cache_attempts        BIGINT NOT NULL,
  cache_unpriced        BIGINT NOT NULL,
  cache_cost_micros     BIGINT NOT NULL,
  uncached_cost_micros  BIGINT NOT NULL,
  PRIMARY KEY (day, key_name, team, model_entry, provider, target_model, kind)
);

-- The hours already summed, added up per day.
INSERT INTO ledger_daily (day, key_name, team, model_entry, provider, target_model, kind, attempts, requests, input_tokens, output_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, cost_micros, answer_cost_micros, unpriced_attempts, saved_micros, answered, rerouted, rerouted_fallbacks, rerouted_unpriced, route_cost_micros, route_baseline_micros, cache_attempts, cache_unpriced, cache_cost_micros, uncached_cost_micros)
SELECT (hour / 86400000) * 86400000, key_name, team, model_entry, provider, target_model, kind,
    SUM(attempts), SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cached_read_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(cost_micros), SUM(answer_cost_micros), SUM(unpriced_attempts), SUM(saved_micros), SUM(answered), SUM(rerouted), SUM(rerouted_fallbacks), SUM(rerouted_unpriced), SUM(route_cost_micros), SUM(route_baseline_micros), SUM(cache_attempts), SUM(cache_unpriced), SUM(cache_cost_micros), SUM(uncached_cost_micros)
FROM ledger_hourly
GROUP BY (hour / 86400000) * 86400000, key_name, team, model_entry, provider, target_model, kind;
