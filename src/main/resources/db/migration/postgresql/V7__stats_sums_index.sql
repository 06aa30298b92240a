-- The stats sums without the histograms, PostgreSQL dialect. Keep in step with
-- db/migration/sqlite/V7__stats_sums_index.sql. The query of a sum metric (requests, errors, tokens,
-- cost: SUM ... GROUP BY bucket and group over one grain's time range) needs no histogram: with the
-- sums in the index it can be answered by an index-only scan of each partition's (grain, minute)
-- range where the visibility map allows, instead of reading the heap rows with their histograms.
CREATE INDEX stats_sums ON stats (grain, minute) INCLUDE (model, provider, target, key_name, team, requests, errors,
  input_tokens, output_tokens, cost_micros);
