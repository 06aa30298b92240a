-- Per-request savings facts, recorded with the attempts (billing.Accountant), priced at the prices
-- when the request ran: how the answering attempt was routed, and for a priced reroute what all the
-- request's attempts cost and what the answer would have cost on its model entry's first target;
-- for an attempt that used a provider's prompt cache, its price without the cache.
-- NULL on rows written before V9: they are in no savings figure.
ALTER TABLE ledger ADD COLUMN route TEXT NULL;
ALTER TABLE ledger ADD COLUMN route_cost_micros INTEGER NULL;
ALTER TABLE ledger ADD COLUMN route_baseline_micros INTEGER NULL;
ALTER TABLE ledger ADD COLUMN uncached_cost_micros INTEGER NULL;

-- The ledger summed per UTC hour and (key, team, model entry, provider, target model, kind),
-- upserted in the ledger insert's transaction by the rows actually inserted (a replayed row adds
-- nothing). Reports over long windows read it, and the ledger's rows only for the partial hours at
-- a window's edges. team is '' for none (a NULL would never conflict, so never be summed into).
CREATE TABLE ledger_hourly (
  hour                  BIGINT NOT NULL,
  key_name              TEXT   NOT NULL,
  team                  TEXT   NOT NULL,
  model_entry           TEXT   NOT NULL,
  provider              TEXT   NOT NULL,
  target_model          TEXT   NOT NULL,
  kind                  TEXT   NOT NULL,
  attempts              INTEGER NOT NULL,
  requests              INTEGER NOT NULL,
  input_tokens          INTEGER NOT NULL,
  output_tokens         INTEGER NOT NULL,
  cached_read_tokens    INTEGER NOT NULL,
  cache_write_tokens    INTEGER NOT NULL,
  reasoning_tokens      INTEGER NOT NULL,
  cost_micros           INTEGER NOT NULL,
  answer_cost_micros    INTEGER NOT NULL,
  unpriced_attempts     INTEGER NOT NULL,
  saved_micros          INTEGER NOT NULL,
  answered              INTEGER NOT NULL,
  rerouted              INTEGER NOT NULL,
  rerouted_fallbacks    INTEGER NOT NULL,
  rerouted_unpriced     INTEGER NOT NULL,
  route_cost_micros     INTEGER NOT NULL,
  route_baseline_micros INTEGER NOT NULL,
  cache_attempts        INTEGER NOT NULL,
  cache_unpriced        INTEGER NOT NULL,
  cache_cost_micros     INTEGER NOT NULL,
  uncached_cost_micros  INTEGER NOT NULL,
  PRIMARY KEY (hour, key_name, team, model_entry, provider, target_model, kind)
) WITHOUT ROWID;

-- The rows already recorded: their spend, tokens and counts (their savings columns are NULL, so 0).
-- The same per-row sums as JdbcLedgerRollup.SUMS.
INSERT INTO ledger_hourly (hour, key_name, team, model_entry, provider, target_model, kind, attempts, requests,
    input_tokens, output_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, cost_micros,
    answer_cost_micros, unpriced_attempts, saved_micros, answered, rerouted, rerouted_fallbacks, rerouted_unpriced,
    route_cost_micros, route_baseline_micros, cache_attempts, cache_unpriced, cache_cost_micros, uncached_cost_micros)
SELECT (ts / 3600000) * 3600000, key_name, COALESCE(team, ''), model_entry, provider, target_model, kind,
    COUNT(*), SUM(CASE WHEN attempt_no <= 1 THEN 1 ELSE 0 END),
    SUM(input_tokens), SUM(output_tokens), SUM(cached_read_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens),
    SUM(cost_micros), SUM(CASE WHEN outcome = 'ok' THEN cost_micros ELSE 0 END),
    SUM(CASE WHEN price_known THEN 0 ELSE 1 END), SUM(saved_micros),
    0, 0, 0, 0, 0, 0, 0,
    SUM(CASE WHEN (cached_read_tokens > 0 OR cache_write_tokens > 0) AND NOT price_known THEN 1 ELSE 0 END), 0, 0
FROM ledger
GROUP BY (ts / 3600000) * 3600000, key_name, COALESCE(team, ''), model_entry, provider, target_model, kind;
