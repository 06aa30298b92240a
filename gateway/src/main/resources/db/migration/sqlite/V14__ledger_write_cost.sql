-- Fewer index entries per ledger and request-log row (the batch writer's CPU per row,
-- bench/results/ledger-cost.md). Keep in step with db/migration/postgresql/V14 (see V1's header).
--
-- A request's attempts (request detail) read the id key's range [request_id || ':', request_id || ';')
-- (a ledger id is request_id:attempt_no), checked against request_id: the request_id index goes.
-- PostgreSQL keeps it (its key is (ts, id), and its text collation need not order ':' before ';').
DROP INDEX ledger_request_id;

-- error_class is null on every request that succeeded, team on every key without a team: those
-- rows no longer get an entry in the indexes on them. Every read of these indexes filters on the
-- column (error_class = ?, team = ?, team IS NOT NULL), which implies the index's WHERE, so each
-- read still uses its index (EXPLAIN QUERY PLAN in bench/results/ledger-cost.md).
DROP INDEX request_log_error_class_ts;
CREATE INDEX request_log_error_class_ts ON request_log (error_class, ts, id, status, latency_us)
  WHERE error_class IS NOT NULL;
DROP INDEX request_log_team_ts;
CREATE INDEX request_log_team_ts ON request_log (team, ts, id, status, latency_us) WHERE team IS NOT NULL;
DROP INDEX ledger_team_ts_cost_kind;
CREATE INDEX ledger_team_ts_cost_kind ON ledger (team, ts, cost_micros, kind) WHERE team IS NOT NULL;
