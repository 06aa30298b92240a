-- Request log list indexes, PostgreSQL dialect. Keep in step with db/migration/sqlite/V6 (see V1's header).
--
-- The list reads an index newest first and stops at the page's last row; a filter the index does
-- not lead with (status, slower than) was checked on the table row, one row lookup per index entry
-- read. A filter that matches few rows of the window (status=401, min_latency_ms=200000) then looked
-- up every row of it: with 542,000 requests in a day, 0.19 s of CPU (0.4-0.6 s on the shared
-- machine) on SQLite, 0.06 s with status and latency_us in the index after (ts, id), checked on the
-- index entry; only the rows that match are looked up (bench/results/console-api.md). The order and
-- the cursor are unchanged: (ts, id).
DROP INDEX request_log_ts;
DROP INDEX request_log_key_name_ts;
DROP INDEX request_log_team_ts;
DROP INDEX request_log_model_ts;
DROP INDEX request_log_error_class_ts;
CREATE INDEX request_log_ts ON request_log (ts, id, status, latency_us);
CREATE INDEX request_log_key_name_ts ON request_log (key_name, ts, id, status, latency_us);
CREATE INDEX request_log_team_ts ON request_log (team, ts, id, status, latency_us);
CREATE INDEX request_log_model_ts ON request_log (model, ts, id, status, latency_us);
CREATE INDEX request_log_error_class_ts ON request_log (error_class, ts, id, status, latency_us);
