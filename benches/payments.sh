#!/usr/bin/env bash
# Recording payments over HTTP with durable commits: wrk POSTs ₹50 cash payments (a random
# household of one GP's 2,000, a unique Idempotency-Key each, a secretary's bearer token) to
# POST /api/v1/payments with 1, 16 and 64 connections, 15 s each, and prints requests/s, p50
# and p99 per run. The headline figure is requests/s with 16 connections. Afterwards it checks
# in the database that the receipt numbers are unique and gapless per GP and financial year,
# and that every 201 wrk received is a row there.
#
#   bash benches/payments.sh                 # release build, SQLite (synchronous = FULL)
#   PAANI_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres bash benches/payments.sh
#                                            # SQLite, then PostgreSQL: a fresh database on that
#                                            # server, dropped at the end
#   PAANI_BENCH_SECONDS=15 PAANI_BENCH_CONNECTIONS="1 16 64" PAANI_BENCH_HOUSEHOLDS=2000 …
#
# The server runs with the configuration as given (built-in defaults, PAANI_CONFIG,
# PAANI__SECTION__KEY); the header shows the synchronous setting it uses. Exits 1 when a check
# fails. Needs: wrk (Debian package `wrk`), sqlite3, curl; psql for PostgreSQL. Uses port 18183
# on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PAANI_BENCH_PORT:-18183}"
BASE="http://127.0.0.1:${PORT}"
DURATION="${PAANI_BENCH_SECONDS:-15}"
HOUSEHOLDS="${PAANI_BENCH_HOUSEHOLDS:-2000}"
CONNECTIONS="${PAANI_BENCH_CONNECTIONS:-1 16 64}"
PG_ADMIN="${PAANI_BENCH_POSTGRES_URL:-}"
# "Billing GP 000" of `paani demo --bench-households`: its households and a tariff plan.
GP_LGD=23019800
SCRIPT=benches/payments.lua

(( HOUSEHOLDS >= 1 && HOUSEHOLDS <= 10000 )) || { echo "PAANI_BENCH_HOUSEHOLDS must be 1 to 10000 (one GP)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install sqlite3" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing: apt-get install curl" >&2; exit 1; }
if [[ -n "$PG_ADMIN" ]]; then
  command -v psql >/dev/null || { echo "psql is missing: apt-get install postgresql-client" >&2; exit 1; }
fi

cargo build --release --bin paani -q
BIN=target/release/paani
WORK="$(mktemp -d)"
PID=""
PG_DB=""
cleanup() {
  if [[ -n "$PID" ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  if [[ -n "$PG_DB" ]]; then
    psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/acks"
ROWS="$WORK/table"
: >"$ROWS"
FAILED=0

# sql DB QUERY: the rows, columns separated by '|'
sql() {
  if [[ "$1" == postgres* ]]; then
    psql -qtAX -F'|' "$1" -c "$2"
  else
    sqlite3 "${1#sqlite://}" "$2"
  fi
}

# field NAME LINE: the value of NAME=value in a `result …` line of payments.lua
field() { grep -o "\b$1=[^ ]*" <<<"$2" | cut -d= -f2; }

stop_server() {
  if [[ -n "$PID" ]]; then
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=""
  fi
}

# bench LABEL DB: seed, serve, one wrk run per connection count, stop, check.
bench() {
  local label="$1" db="$2"
  echo
  echo "== ${label}"
  "$BIN" demo --database "$db" --bench-households "$HOUSEHOLDS" 2>/dev/null | grep -i "billing bench block ready"
  "$BIN" demands raise --database "$db" --month "$(date -u +%Y-%m)" --place "$GP_LGD" --yes 2>/dev/null | grep -i "raised" || true
  echo "bench-password-1" | "$BIN" user add --database "$db" --username benchsec --role secretary \
    --gp "$GP_LGD" --password-stdin >/dev/null
  local ids="$WORK/ids-${label}.txt"
  sql "$db" "SELECT h.id FROM households h JOIN places g ON g.id = h.gp_id
             WHERE g.level = 'gp' AND g.lgd_code = ${GP_LGD} ORDER BY h.id" >"$ids"
  echo "$(wc -l <"$ids") households in GP ${GP_LGD}, payments by secretary benchsec"
  if [[ "$db" == postgres* ]]; then
    echo "PostgreSQL: synchronous_commit = $(sql "$db" 'SHOW synchronous_commit'), fsync = $(sql "$db" 'SHOW fsync')"
  else
    # The server sets the pragma on each connection from database.sqlite_synchronous; check-config
    # reads the configuration exactly as `serve` does, from the same environment.
    local sync
    sync="$("$BIN" check-config --database "$db" | sed -n 's/^sqlite_synchronous *= *"\(.*\)"/\1/p')"
    echo "SQLite: PRAGMA synchronous = ${sync} (the server's database.sqlite_synchronous), journal_mode = $(sql "$db" 'PRAGMA journal_mode')"
  fi

  PAANI__BACKUP__ENABLED=false RUST_LOG=warn "$BIN" serve --database "$db" --listen "127.0.0.1:${PORT}" >"$WORK/server-${label}.log" 2>&1 &
  PID=$!
  local ready=""
  for _ in $(seq 1 150); do
    if curl -fs "$BASE/healthz" >/dev/null; then ready=1; break; fi
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.2
  done
  [[ -n "$ready" ]] || { echo "paani serve did not start:" >&2; cat "$WORK/server-${label}.log" >&2; exit 1; }
  local token
  token="$(curl -fs -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
    -d '{"username":"benchsec","password":"bench-password-1"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')"

  local c t out r seen=0 most=0
  for c in $CONNECTIONS; do
    t=$(( c < 2 ? c : 2 ))
    echo "wrk -t${t} -c${c} -d${DURATION}s: POST /api/v1/payments"
    out="$(wrk -t"$t" -c"$c" -d"${DURATION}s" --timeout 30s --latency -s "$SCRIPT" "$BASE/api/v1/payments" \
      -- "$ids" "$token" "${label}-c${c}" "$WORK/acks")"
    r="$(sed -n 's/^result //p' <<<"$out")"
    [[ -n "$r" ]] || { echo "$out" >&2; echo "wrk printed no result" >&2; exit 1; }
    grep -E '^(statuses other than 201|first such answer)' <<<"$out" || true
    local sockets=$(( $(field connect_errors "$r") + $(field read_errors "$r") + $(field write_errors "$r") + $(field timeouts "$r") ))
    printf '%-9s %5s %7s %11s %8s %8s %8s %8s %8s\n' "$label" "$c" "$t" "$(field rps "$r")" \
      "$(field p50_ms "$r")" "$(field p99_ms "$r")" "$(field created "$r")" "$(field other "$r")" "$sockets" >>"$ROWS"
    seen=$(( seen + $(field created "$r") ))
    most=$(( most + c ))
  done
  stop_server
  local errors
  errors="$(grep -ci 'error' "$WORK/server-${label}.log" || true)"
  local locked
  locked="$(grep -ci 'database is locked' "$WORK/server-${label}.log" || true)"
  echo "server log: ${errors} line(s) mentioning an error, ${locked} 'database is locked'"
  grep -i 'error' "$WORK/server-${label}.log" | head -3 || true

  # Receipt numbers: per (GP, financial year) 1..n, each once, the counter at n (none burnt).
  # The bench GP in detail; the demo data's own payments (other GPs) in one line.
  local gp_id bench_user
  gp_id="$(sql "$db" "SELECT id FROM places WHERE level = 'gp' AND lgd_code = ${GP_LGD}")"
  bench_user="$(sql "$db" "SELECT id FROM users WHERE username = 'benchsec'")"
  local groups bad=0 n=0 other_bad=0 other_groups=0
  groups="$(sql "$db" "SELECT p.gp_id, p.fy, COUNT(*), MIN(p.seq), MAX(p.seq), COUNT(DISTINCT p.seq),
      COUNT(DISTINCT p.receipt_no), MAX(c.last_number)
    FROM payments p JOIN receipt_counters c ON c.gp_id = p.gp_id AND c.fy = p.fy
    GROUP BY p.gp_id, p.fy ORDER BY p.gp_id, p.fy")"
  while IFS='|' read -r g fy count min max dseq drec counter; do
    [[ -n "${count:-}" ]] || continue
    if (( g == gp_id )); then
      echo "GP ${GP_LGD} (id ${g}), ${fy}: count ${count}, min ${min}, max ${max}, distinct seq ${dseq}," \
        "distinct receipt_no ${drec}, counter ${counter}"
      n=$(( n + count ))
      if (( min != 1 || max != count || dseq != count || drec != count || counter != count )); then bad=1; fi
    else
      other_groups=$(( other_groups + 1 ))
      if (( min != 1 || max != count || dseq != count || drec != count || counter != count )); then other_bad=1; fi
    fi
  done <<<"$groups"
  (( n > 0 )) || bad=1
  echo "receipts: ${n}, unique and gapless: $( (( bad == 0 )) && echo yes || echo no)"
  echo "(the demo data's payments in other GPs: ${other_groups} (GP, year) groups, unique and gapless:" \
    "$( (( other_bad == 0 )) && echo yes || echo no))"

  # Every 201 is a row; the bench user's rows without a 201 are requests in flight when wrk
  # ended a run (it stops reading, the server still commits them).
  { cat "$WORK/acks/${label}-"*.txt 2>/dev/null || true; } | sort >"$WORK/acked-${label}.txt"
  sql "$db" "SELECT receipt_no FROM payments WHERE recorded_by = ${bench_user}" | sort >"$WORK/stored-${label}.txt"
  local acked dup missing stored unacked
  acked="$(wc -l <"$WORK/acked-${label}.txt")"
  dup="$(uniq -d "$WORK/acked-${label}.txt" | wc -l)"
  missing="$(comm -23 "$WORK/acked-${label}.txt" "$WORK/stored-${label}.txt" | wc -l)"
  stored="$(wc -l <"$WORK/stored-${label}.txt")"
  unacked=$(( stored - acked ))
  echo "201 responses seen by wrk: ${seen} (receipt numbers read from them: ${acked}, repeated: ${dup});" \
    "rows recorded by the bench: ${stored}"
  echo "acknowledged receipts missing from the database: ${missing}; rows whose 201 wrk did not read" \
    "(in flight when a run ended, at most ${most}): ${unacked}"
  if (( bad != 0 || other_bad != 0 || missing != 0 || dup != 0 || acked != seen || stored != n \
        || unacked < 0 || unacked > most )); then
    echo "CHECK FAILED (${label})"
    FAILED=1
  fi
}

echo "paani payments benchmark: POST /api/v1/payments over HTTP, ${HOUSEHOLDS} households in one GP," \
  "${DURATION}s per run, connections: ${CONNECTIONS}, release build, $(nproc) CPU(s)"
bench sqlite "sqlite://${WORK}/bench.db"
if [[ -n "$PG_ADMIN" ]]; then
  PG_DB="paani_bench_payments_$$"
  psql -q "$PG_ADMIN" -c "CREATE DATABASE ${PG_DB}" >/dev/null
  bench postgres "${PG_ADMIN%/*}/${PG_DB}"
fi

echo
printf '%-9s %5s %7s %11s %8s %8s %8s %8s %8s\n' backend conns threads requests/s "p50 ms" "p99 ms" 201s non-201 "sock err"
cat "$ROWS"
awk '$2 == 16 { printf "headline (16 connections, %s): %s requests/s\n", $1, $4 }' "$ROWS"
exit "$FAILED"
