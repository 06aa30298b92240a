-- One row per model entry with a canary: its phase and share, when its step started, its last
-- rollback (reason with the numbers), and the config it belongs to (fingerprint). Times are epoch
-- milliseconds; the share is in parts per million. A write only lands if its version is newer.
CREATE TABLE canary_state (
  model TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  phase TEXT NOT NULL,
  share_ppm BIGINT NOT NULL,
  step_started_at BIGINT NOT NULL,
  reason TEXT,
  rolled_back_at BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL
);
