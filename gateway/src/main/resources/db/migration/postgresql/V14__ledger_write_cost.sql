-- Fewer index entries per ledger and request-log row (the batch writer's CPU per row,
-- bench/results/ledger-cost.md). Keep in step with db/migration/sqlite/V14 (see V1's header).
--
-- SQLite also drops ledger_request_id there (it reads a request's attempts from its id key's range);
-- PostgreSQL keeps it: its key is (ts, id), and its text collation need not order ':' before ';'.
--
-- error_class is null on every request that succeeded, team on every key without a team: those
-- rows no longer get an entry in the indexes on them. Every read of these indexes filters on the
-- column (error_class = ?, team = ?, team IS NOT NULL), which implies the index's WHERE, so each
-- read still uses its index. Created on the partitioned parents, so on every partition.
DROP INDEX request_log_error_class_ts;
CREATE INDEX request_log_error_class_ts ON request_log (error_class, ts, id, status, latency_us)
  WHERE error_class IS NOT NULL;
DROP INDEX request_log_team_ts;
CREATE INDEX request_log_team_ts ON request_log (team, ts, id, status, latency_us) WHERE team IS NOT NULL;
DROP INDEX ledger_team_ts_cost_kind;
CREATE INDEX ledger_team_ts_cost_kind ON ledger (team, ts, cost_micros, kind) WHERE team IS NOT NULL;
