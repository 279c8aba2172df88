#!/usr/bin/env bash
# Raising a month's demands for 1,000,000 households (100 GPs of 10,000) in one run, against
# the same rows written by a bare INSERT … SELECT in the sqlite3 shell on a copy of the same
# database: prints both rates and their ratio (issue 6's target: at least 50% of the raw rate).
#
#   bash benches/demands.sh                    # release build, SQLite
#   PAANI_BENCH_HOUSEHOLDS=200000 bash benches/demands.sh
#   PAANI_BENCH_DB=postgres://postgres@127.0.0.1/paani_bench bash benches/demands.sh
#
# Needs: sqlite3 (Debian package `sqlite3`); psql for the PostgreSQL run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N="${PAANI_BENCH_HOUSEHOLDS:-1000000}"
cargo build --release --bin paani -q
BIN=target/release/paani
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DB="${PAANI_BENCH_DB:-sqlite://${WORK}/bench.db}"
MONTH="$(date -u +%Y-%m)"

echo "seeding the demo data and ${N} households…"
"$BIN" demo --database "$DB" --bench-households "$N" 2>/dev/null | grep -i "billing bench"

# The raw statement: the same rows, one INSERT … SELECT over all the bench GPs.
RAW_SQL="INSERT INTO demand_runs (id, gp_id, month, plan_id, demands, total_paise, created_at)
  VALUES (999999, (SELECT id FROM places WHERE lgd_code = 23019800), '${MONTH}-01',
          (SELECT MIN(id) FROM tariff_plans), 0, 0, '2026-01-01 00:00:00');
INSERT INTO demands (gp_id, household_id, month, run_id, amount_paise, due_on, created_at)
  SELECT h.gp_id, h.id, '${MONTH}-01', 999999, r.monthly_paise, '${MONTH}-15', '2026-01-01 00:00:00'
  FROM households h
  JOIN tariff_plans p ON p.gp_id = h.gp_id
  JOIN tariff_rates r ON r.plan_id = p.id AND r.category = h.category
  JOIN places g ON g.id = h.gp_id AND g.block_id = (SELECT id FROM places WHERE lgd_code = 230198)
  WHERE h.status = 'active' AND r.monthly_paise > 0;"

if [[ "$DB" == sqlite://* ]]; then
  FILE="${DB#sqlite://}"
  command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install sqlite3" >&2; exit 1; }
  cp "$FILE" "$WORK/raw.db"
  [[ -f "$FILE-wal" ]] && cp "$FILE-wal" "$WORK/raw.db-wal" || true
  echo "paani demands raise --month $MONTH --place 230198 --yes (synchronous=FULL, one transaction)"
  OUT="$("$BIN" demands raise --database "$DB" --month "$MONTH" --place 230198 --yes 2>/dev/null)"
  echo "$OUT"
  PAANI_RATE="$(grep -o '([0-9]* rows/s)' <<<"$OUT" | tr -dc 0-9)"
  ROWS="$(grep -o 'Raised [0-9]*' <<<"$OUT" | tr -dc 0-9)"
  echo "sqlite3: the same INSERT … SELECT on a copy (journal_mode WAL, synchronous=FULL, one transaction)"
  START=$(date +%s.%N)
  sqlite3 "$WORK/raw.db" "PRAGMA synchronous=FULL; BEGIN IMMEDIATE; ${RAW_SQL} COMMIT;"
  END=$(date +%s.%N)
  RAW_ROWS="$(sqlite3 "$WORK/raw.db" "SELECT COUNT(*) FROM demands WHERE run_id = 999999;")"
  awk -v n="$RAW_ROWS" -v s="$START" -v e="$END" -v p="$PAANI_RATE" -v r="$ROWS" 'BEGIN {
    raw = n / (e - s);
    printf "raw sqlite3: %d rows in %.2f s (%.0f rows/s)\n", n, e - s, raw;
    printf "paani: %d rows at %d rows/s = %.0f%% of the raw rate\n", r, p, 100 * p / raw }'
else
  command -v psql >/dev/null || { echo "psql is missing" >&2; exit 1; }
  echo "paani demands raise --month $MONTH --place 230198 --yes (PostgreSQL, one transaction)"
  OUT="$("$BIN" demands raise --database "$DB" --month "$MONTH" --place 230198 --yes 2>/dev/null)"
  echo "$OUT"
  PAANI_RATE="$(grep -o '([0-9]* rows/s)' <<<"$OUT" | tr -dc 0-9)"
  echo "psql: the same INSERT … SELECT, after removing paani's rows"
  psql -q "$DB" -c "DELETE FROM demands WHERE gp_id IN (SELECT id FROM places WHERE block_id = (SELECT id FROM places WHERE lgd_code = 230198));"
  START=$(date +%s.%N)
  psql -q "$DB" -c "BEGIN; ${RAW_SQL} COMMIT;"
  END=$(date +%s.%N)
  RAW_ROWS="$(psql -qtA "$DB" -c "SELECT COUNT(*) FROM demands WHERE run_id = 999999;")"
  awk -v n="$RAW_ROWS" -v s="$START" -v e="$END" -v p="$PAANI_RATE" 'BEGIN {
    raw = n / (e - s);
    printf "raw psql: %d rows in %.2f s (%.0f rows/s)\n", n, e - s, raw;
    printf "paani: %d rows/s = %.0f%% of the raw rate\n", p, 100 * p / raw }'
fi
