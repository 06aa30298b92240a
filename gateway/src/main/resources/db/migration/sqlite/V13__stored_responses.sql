-- Who created each response OpenAI stores for a request passed through (/v1/responses): the
-- response id, the client key that created it, the provider (by name) that holds it, and when
-- (epoch milliseconds). GET/DELETE /v1/responses/{id} answer only the key that created the id.
-- Rows are aged out with the ledger's retention.
CREATE TABLE stored_responses (
  response_id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  ts BIGINT NOT NULL
);
CREATE INDEX stored_responses_ts ON stored_responses (ts);
