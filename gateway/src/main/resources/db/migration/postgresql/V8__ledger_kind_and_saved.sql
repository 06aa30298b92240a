-- What a row records (call | shadow | cache_hit) and, for a response-cache hit, what the answer
-- saved. Rows written before this migration are client calls that saved nothing.
ALTER TABLE ledger ADD COLUMN kind TEXT NOT NULL DEFAULT 'call';
ALTER TABLE ledger ADD COLUMN saved_micros BIGINT NOT NULL DEFAULT 0;
