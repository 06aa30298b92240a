#!/usr/bin/env bash
# What SQLite itself costs per ledger row, without Java: the sqlite3 shell applies Sluice's own SQLite
# migrations to a fresh file (WAL, synchronous=NORMAL, as the store opens it), then inserts batches of
# 500 ledger rows + 500 request-log rows, one transaction per batch as the writer does. The rows are
# built in SQL from a counter: time-ordered ids, the same value shapes as LedgerCost.java's. The shell's
# `.timer` gives user+system CPU per statement (one per input line). Each batch's rows are made first
# in a temporary table, so the timed INSERT only copies them into the table (scanning the temporary
# one costs well under a microsecond a row). Arms, each in its own file:
#   ledger       the ledger table as migrated (primary key + 3 secondary indexes)
#   request_log  the request log as migrated (primary key + 5 secondary indexes)
#   bare         the ledger's 35 columns in a table with no index at all (rowid only)
# Compare with ledger-cost.md's "store CPU µs/row" (the same rows through sqlite-jdbc, rollups included).
# Needs the sqlite3 shell (Debian: sqlite3); its SQLite version is printed, as it may differ from the
# one sqlite-jdbc bundles. Usage: bench/ledger/sqlite-floor.sh [BATCHES (default 40)]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
BATCHES=${1:-40}; ROWS=500
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mapfile -t migrations < <(ls "$root"/gateway/src/main/resources/db/migration/sqlite/V*.sql | sort -V)   # V2 before V10

ledger_cols="id, request_id, attempt_no, ts, key_name, key_id, team, model_entry, provider, target_model, status,
 error_class, outcome, input_tokens, output_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens,
 cost_micros, price_known, estimated, latency_ms, ttft_ms, stream, client_disconnected, hedge, retry, fallback,
 started_at, kind, saved_micros, route, route_cost_micros, route_baseline_micros, uncached_cost_micros"
# n: the row's counter; rid: a time-ordered request id (48-bit ms then random hex, as RequestIds makes).
ledger_values="rid || ':1', rid, 1, t, key, NULL, team, model, provider, 'gpt-4o-mini', 200, NULL, 'ok',
 tin, tout, 0, 0, 0, tin * 15 / 100 + tout * 60 / 100, 1, 0, 1 + abs(random() % 40), NULL, 0, 0, 0, 0, 0,
 t - 2, 'call', 0, NULL, NULL, NULL, NULL"
request_cols="id, ts, endpoint, key_name, key_id, team, model, provider, target_model, status, error_class, stream,
 client_disconnected, latency_us, ttft_us, queue_wait_us, overhead_us, input_tokens, output_tokens,
 cached_read_tokens, cache_write_tokens, reasoning_tokens, cost_micros, attempts"
request_values="rid, t, 'chat', key, NULL, team, model, provider, 'gpt-4o-mini', 200, NULL, 0, 0,
 1000 + abs(random() % 40000), NULL, 0, 90 + abs(random() % 50), 100, 20, 0, 0, 0, 45, 1"

rows_sql() { # FROM clause: ROWS rows starting at counter $1
  cat <<SQL
FROM (WITH RECURSIVE c(n) AS (SELECT $1 UNION ALL SELECT n + 1 FROM c WHERE n < $1 + $ROWS - 1)
  SELECT n, 1764892800000 + n / 6 AS t, printf('req_%012x%04x%016x', 1764892800000 + n / 6, n % 65536, abs(random())) AS rid,
    CASE n % 4 WHEN 0 THEN 'bench' WHEN 1 THEN 'team-a-1' WHEN 2 THEN 'team-a-2' ELSE 'ci' END AS key,
    CASE n % 4 WHEN 0 THEN 'bench-team' WHEN 3 THEN NULL ELSE 'team-a' END AS team,
    CASE abs(random()) % 3 WHEN 0 THEN 'bench-canned' WHEN 1 THEN 'bench-stream' ELSE 'bench-hold' END AS model,
    CASE abs(random()) % 2 WHEN 0 THEN 'canned-a' ELSE 'canned-b' END AS provider,
    20 + abs(random() % 2000) AS tin, 5 + abs(random() % 500) AS tout FROM c)
WHERE true
SQL
}

run_arm() { # arm table cols values
  local db="$work/$1.db" sql="$work/$1.sql"
  { echo "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    if [ "$1" = bare ]; then echo "CREATE TABLE ledger ($ledger_cols);"; else cat "${migrations[@]}"; fi
    echo ".timer on"
    for b in $(seq 0 $((BATCHES - 1))); do
      # the batch's rows made first, in a temporary table, so that the timed INSERT only copies them
      printf 'CREATE TEMP TABLE batch AS SELECT %s %s;\nBEGIN;\nINSERT INTO %s (%s) SELECT * FROM batch WHERE true ON CONFLICT DO NOTHING;\nCOMMIT;\nDROP TABLE batch;\n' \
        "$4" "$(rows_sql $((b * ROWS)))" "$2" "$3"
    done
  } >"$sql"
  sqlite3 "$db" <"$sql" 2>&1 | awk -v rows=$ROWS -v arm="$1" '
    /^Run Time/ { n++; if (n % 5 == 3) { u[++k] = ($6 + $8) * 1e6 / rows } }   # CREATE TEMP, BEGIN, INSERT, COMMIT, DROP
    /^Run Time/ && n % 5 == 4 { c[k] = ($6 + $8) * 1e6 / rows }                 # the COMMIT (WAL write)
    END { m = int(k / 4); s = 0; cs = 0; for (i = m + 1; i <= k; i++) { s += u[i]; cs += c[i] }   # the first quarter warms the cache
          printf "%-12s insert %.2f µs/row, commit %.2f µs/row (user+sys CPU, batches %d-%d of %d rows)\n", arm, s / (k - m), cs / (k - m), m + 1, k, rows }'
}

echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1), $BATCHES batches of $ROWS rows, load $(cut -d' ' -f1-3 /proc/loadavg)"
run_arm ledger ledger "$ledger_cols" "$ledger_values"
run_arm request_log request_log "$request_cols" "$request_values"
run_arm bare ledger "$ledger_cols" "$ledger_values"
