#!/usr/bin/env bash
# Dashboard latency on a district-sized database (issue 9's targets on SQLite with 16
# concurrent clients: a GP dashboard p95 < 30 ms, a block dashboard p95 < 150 ms). The data
# set is the sweep benchmark's: 1,000 GPs in one bench block (ten times the block the target
# names), 300,000 households, 50,000 assets and their plans and tasks, 40,000 breakdowns.
# Prints: the time to compute every GP's figures once (the scheduler's dashboards_refresh),
# then wrk's figures (p50/p95/p99, requests/s) for the GP dashboard and the block dashboard,
# and the server's peak RSS.
#
#   bash benches/dashboards.sh                                   # release build, SQLite
#   PAANI_BENCH_GPS=100 bash benches/dashboards.sh               # a block of 100 GPs
#   PAANI_BENCH_DB=postgres://postgres@127.0.0.1:5432/paani_bench bash benches/dashboards.sh
#
# Needs: wrk (Debian package `wrk`), curl. Uses port 18183 on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PAANI_BENCH_PORT:-18183}"
BASE="http://127.0.0.1:${PORT}"
DURATION="${PAANI_BENCH_SECONDS:-10}"
GPS="${PAANI_BENCH_GPS:-1000}"
BREAKDOWNS="${PAANI_BENCH_BREAKDOWNS:-40000}"
HOUSEHOLDS="${PAANI_BENCH_HOUSEHOLDS:-300000}"
ASSETS="${PAANI_BENCH_ASSETS_PER_GP:-50}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

cargo build --release --bin paani -q
BIN="$PWD/target/release/paani"
WORK="$(mktemp -d)"
DB="${PAANI_BENCH_DB:-sqlite://${WORK}/bench.db}"
cleanup() { [[ -n "${PID:-}" ]] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

/usr/bin/time -f "data set built in %e s" "$BIN" demo --database "$DB" --bench-gps "$GPS" \
  --bench-breakdowns "$BREAKDOWNS" --bench-assets-per-gp "$ASSETS" \
  --bench-households "$HOUSEHOLDS" 2>&1 | grep -Ei "ready|built in"
[[ "$DB" == sqlite://* ]] || psql "$DB" -qc "ANALYZE"
/usr/bin/time -f "every GP's figures computed once (dashboards_refresh) in %e s" \
  "$BIN" jobs run --database "$DB" --only dashboards_refresh 2>&1 | grep -E "computed once|dashboards_refresh" | tail -2

PAANI__JOBS__ENABLED=false RUST_LOG=warn "$BIN" serve --database "$DB" --listen "127.0.0.1:${PORT}" >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 50); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done

session() { # user → session cookie value
  local jar="$WORK/jar-$1" csrf
  csrf=$(curl -fs -c "$jar" "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"//')
  curl -fs -o /dev/null -b "$jar" -c "$jar" -d "_csrf=$csrf&username=$1&password=paani-demo-2024" "$BASE/login"
  awk '$6=="paani_session"{print $7}' "$jar" | grep . || { echo "could not log in as $1" >&2; cat "$jar" >&2; tail -5 "$WORK/server.log" >&2; exit 1; }
}
cat >"$WORK/p95.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms  %d requests, %.0f/s, %d errors\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
  io.write(string.format("  (errors: status %d, connect %d, read %d, timeout %d)\n", summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.timeout))
end
LUA
measure() { # label, user, path, expected text
  local s body
  s=$(session "$2")
  body=$(curl -fs -H "Cookie: paani_session=$s" "$BASE$3")
  grep -q "$4" <<<"$body" || { echo "$3 did not show '$4'" >&2; exit 1; }
  echo "== $1: GET $3 ($(wc -c <<<"$body") bytes), 16 connections, ${DURATION} s"
  wrk -t2 -c16 -d"${DURATION}s" -s "$WORK/p95.lua" -H "Cookie: paani_session=$s" "$BASE$3" | tail -2
}
GP_USER="bench-sec-2301990001"
measure "GP dashboard (secretary)" "$GP_USER" "/dashboard" "dash-now"
# the engineer's own dashboard is the bench block's
measure "block dashboard, ${GPS} GPs (engineer)" bench-engineer "/dashboard" "dash-table"
echo "server peak RSS: $(grep VmHWM /proc/$PID/status | awk '{print $2, $3}')"
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
[[ "$DB" == sqlite://* ]] && echo "database: $(du -h "${DB#sqlite://}" | cut -f1) on disk (SQLite)"
