-- The ledger summed per UTC day, next to the hourly rollup (V9) and kept the same way: upserted in
-- the ledger insert's transaction by the rows actually inserted. A month's report reads whole days
-- here, whole hours at the window's edge days from ledger_hourly and the rows of the partial edge
-- hours from the ledger (bench/results/pg-volume.md). On PostgreSQL the same migration also
-- partitions the ledger and the request log by month; SQLite keeps its tables as they are.
CREATE TABLE ledger_daily (
  day                   INTEGER NOT NULL,
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
  PRIMARY KEY (day, key_name, team, model_entry, provider, target_model, kind)
);

-- The hours already summed, added up per day.
INSERT INTO ledger_daily (day, key_name, team, model_entry, provider, target_model, kind, attempts, requests, input_tokens, output_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, cost_micros, answer_cost_micros, unpriced_attempts, saved_micros, answered, rerouted, rerouted_fallbacks, rerouted_unpriced, route_cost_micros, route_baseline_micros, cache_attempts, cache_unpriced, cache_cost_micros, uncached_cost_micros)
SELECT (hour / 86400000) * 86400000, key_name, team, model_entry, provider, target_model, kind,
    SUM(attempts), SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cached_read_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(cost_micros), SUM(answer_cost_micros), SUM(unpriced_attempts), SUM(saved_micros), SUM(answered), SUM(rerouted), SUM(rerouted_fallbacks), SUM(rerouted_unpriced), SUM(route_cost_micros), SUM(route_baseline_micros), SUM(cache_attempts), SUM(cache_unpriced), SUM(cache_cost_micros), SUM(uncached_cost_micros)
FROM ledger_hourly
GROUP BY (hour / 86400000) * 86400000, key_name, team, model_entry, provider, target_model, kind;
