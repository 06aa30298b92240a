-- Request log list indexes, SQLite dialect. Keep in step with db/migration/postgresql/V6 (see V1's header).
--
-- The list reads an index newest first and stops at the page's last row; a filter the index does
-- not lead with (status, slower than) was checked on the table row, one row lookup per index entry
-- read. A filter that matches few rows of a day (status=429, min_latency_ms=30000) then looked up
-- every row of the window: ~2 s with a million requests (bench/results/console-api.md). Each index
-- now also holds status and latency_us after (ts, id), so those filters are checked on the index
-- entry and only rows that match are looked up. The order and the cursor are unchanged: (ts, id).
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
