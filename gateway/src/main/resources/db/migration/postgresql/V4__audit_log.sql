-- Admin audit log, PostgreSQL dialect. Keep in step with db/migration/sqlite/V4__audit_log.sql (see
-- V1's header). One row per admin write (POST, PATCH, DELETE under /admin), written ahead: the row
-- is inserted, outcome unknown (status NULL), before the write touches anything, and completed with
-- its status, target and before/after values before the answer is sent. A row left with status NULL
-- is a write whose outcome was never recorded (the process stopped, or the store failed, meanwhile).
-- Never a secret in it: actor is the admin credential's id, before/after are the admin API's views
-- (no plain key, no key hash). Kept as long as the ledger (observability.retention.ledger).

CREATE TABLE audit_log (
  id          TEXT    NOT NULL PRIMARY KEY,
  ts          BIGINT  NOT NULL,
  actor       TEXT    NOT NULL,
  client_ip   TEXT    NULL,
  method      TEXT    NOT NULL,
  route       TEXT    NOT NULL,
  path        TEXT    NOT NULL,
  action      TEXT    NOT NULL,
  target      TEXT    NULL,
  status      INTEGER NULL,
  error       TEXT    NULL,
  before_json TEXT    NULL,
  after_json  TEXT    NULL
);

-- Newest first, whole or by one filter: each index ends in (ts, id), the list's order and cursor.
CREATE INDEX audit_log_ts ON audit_log (ts, id);
CREATE INDEX audit_log_actor_ts ON audit_log (actor, ts, id);
CREATE INDEX audit_log_action_ts ON audit_log (action, ts, id);
CREATE INDEX audit_log_target_ts ON audit_log (target, ts, id);
