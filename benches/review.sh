#!/usr/bin/env bash
# Latency of the block engineer's breakdown review page for a block with 100 gram panchayats
# and 20,000 breakdowns over two years (issue 5's target: p95 under 50 ms on SQLite), measured
# with wrk. Prints wrk's latency distribution (50/75/90/99%), a p95 from a second, single-
# connection run that records every request's time with curl, and the time of requests whose
# figures are not kept yet (they are kept until the minute turns or a breakdown changes).
#
#   bash benches/review.sh                                   # release build, SQLite
#   PAANI_BENCH_GPS=100 PAANI_BENCH_BREAKDOWNS=20000 bash benches/review.sh
#
# Needs: wrk (Debian package `wrk`), curl. Uses port 18182 on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PAANI_BENCH_PORT:-18182}"
BASE="http://127.0.0.1:${PORT}"
DURATION="${PAANI_BENCH_SECONDS:-10}"
GPS="${PAANI_BENCH_GPS:-100}"
BREAKDOWNS="${PAANI_BENCH_BREAKDOWNS:-20000}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

cargo build --release --bin paani -q
BIN=target/release/paani
WORK="$(mktemp -d)"
DB="${PAANI_BENCH_DB:-sqlite://${WORK}/bench.db}"
cleanup() { [[ -n "${PID:-}" ]] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

"$BIN" demo --database "$DB" --bench-gps "$GPS" --bench-breakdowns "$BREAKDOWNS" 2>&1 | grep -i "bench block ready"
PAANI__BACKUP__ENABLED=false RUST_LOG=warn "$BIN" serve --database "$DB" --listen "127.0.0.1:${PORT}" >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 50); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done

JAR="$WORK/jar"
CSRF=$(curl -fs -c "$JAR" "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"//')
curl -fs -o /dev/null -b "$JAR" -c "$JAR" -d "_csrf=$CSRF&username=bench-engineer&password=paani-demo-2024" "$BASE/login"
SESSION=$(awk '$6=="paani_session"{print $7}' "$JAR")
PAGE="/breakdowns/review"
BODY="$(curl -fs -H "Cookie: paani_session=$SESSION" "$BASE$PAGE")"
grep -q 'Bench GP' <<<"$BODY" || { echo "the review page did not show the bench block" >&2; exit 1; }

for path in "$PAGE" "$PAGE?status=all&age=8-30&sort=newest"; do
  echo "wrk: GET $path as bench-engineer, 2 threads, 4 connections, ${DURATION}s, database ${DB%%://*}"
  wrk -t2 -c4 -d"${DURATION}s" --latency -H "Cookie: paani_session=$SESSION" "$BASE$path" | sed -n '/Latency Distribution/,/Requests\/sec/p'
done

echo "curl: 200 sequential requests of $PAGE (time_total per request)"
for _ in $(seq 1 200); do
  curl -fs -o /dev/null -w '%{time_total}\n' -H "Cookie: paani_session=$SESSION" "$BASE$PAGE"
done | sort -n | awk '{a[NR]=$1} END {printf "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)\n", a[int(NR*0.50)]*1000, a[int(NR*0.95)]*1000, a[int(NR*0.99)]*1000, a[NR]*1000, NR}'

echo "curl: uncached figures, one request for each of the last 24 months (each computes afresh)"
for m in $(seq 0 23); do
  MONTH=$(date -u -d "$(date -u +%Y-%m-15) -$m month" +%Y-%m)
  curl -fs -o /dev/null -w '%{time_total}\n' -H "Cookie: paani_session=$SESSION" "$BASE$PAGE?month=$MONTH"
done | sort -n | awk '{a[NR]=$1} END {printf "p50 %.1f ms, p95 %.1f ms, max %.1f ms (n=%d)\n", a[int(NR*0.50)]*1000, a[int(NR*0.95)]*1000, a[NR]*1000, NR}'
