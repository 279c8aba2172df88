#!/usr/bin/env bash
# Latency of the scheme list page for a GP with 3 schemes and 45 assets, measured with wrk
# (a load generator, not a test). Prints wrk's latency distribution; the p50 is its "50%" line.
#
#   bash benches/scheme_list.sh            # release build, SQLite
#   PAANI_BENCH_DB=postgres://postgres@127.0.0.1/paani_bench bash benches/scheme_list.sh
#
# Needs: wrk (Debian package `wrk`), curl. Uses port 18181 on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PAANI_BENCH_PORT:-18181}"
BASE="http://127.0.0.1:${PORT}"
DURATION="${PAANI_BENCH_SECONDS:-10}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

cargo build --release --bin paani -q
BIN=target/release/paani
WORK="$(mktemp -d)"
DB="${PAANI_BENCH_DB:-sqlite://${WORK}/bench.db}"
cleanup() { [[ -n "${PID:-}" ]] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

"$BIN" demo --database "$DB" >/dev/null
# A secretary for Dhanori GP (23010103), which has three demo schemes.
echo "bench-password-1" | "$BIN" user add --database "$DB" --username benchsec --role secretary --gp 23010103 --password-stdin >/dev/null
PAANI__BACKUP__ENABLED=false RUST_LOG=warn "$BIN" serve --database "$DB" --listen "127.0.0.1:${PORT}" >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 50); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done

token() {
  curl -fs -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/'
}
SEC_TOKEN="$(token benchsec bench-password-1)"
# Top the GP up to exactly 45 assets in service, spread over its three schemes.
SCHEMES=$(curl -fs "$BASE/api/v1/schemes" -H "authorization: Bearer $SEC_TOKEN" | grep -o '"id":[0-9]*' | cut -d: -f2)
COUNT=$(curl -fs "$BASE/api/v1/assets?page=1" -H "authorization: Bearer $SEC_TOKEN" | grep -o '"total":[0-9]*' | cut -d: -f2)
N=$(echo "$SCHEMES" | wc -l)
i=0
while [[ "$COUNT" -lt 45 ]]; do
  S=$(echo "$SCHEMES" | sed -n "$(( i % N + 1 ))p")
  curl -fs -o /dev/null -X POST "$BASE/api/v1/assets" -H "authorization: Bearer $SEC_TOKEN" \
    -H 'content-type: application/json' \
    -d "{\"scheme_id\":$S,\"kind\":\"valve\",\"name\":\"Bench valve $i\",\"installed_on\":\"2020-01-0$(( i % 9 + 1 ))\"}"
  COUNT=$((COUNT + 1)); i=$((i + 1))
done
echo "GP 23010103: $N schemes, $COUNT assets in service"

# A browser session for the page itself.
JAR="$WORK/jar"
CSRF=$(curl -fs -c "$JAR" "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"//')
curl -fs -o /dev/null -b "$JAR" -c "$JAR" -d "_csrf=$CSRF&username=benchsec&password=bench-password-1" "$BASE/login"
SESSION=$(awk '$6=="paani_session"{print $7}' "$JAR")
curl -fs -o /dev/null -H "Cookie: paani_session=$SESSION" "$BASE/schemes" || { echo "the list page did not open" >&2; exit 1; }

echo "wrk: GET /schemes as the GP's secretary, 2 threads, 8 connections, ${DURATION}s, database ${DB%%://*}"
wrk -t2 -c8 -d"${DURATION}s" --latency -H "Cookie: paani_session=$SESSION" "$BASE/schemes"
