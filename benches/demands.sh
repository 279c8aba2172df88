#!/usr/bin/env bash
# Raising a month's demands for 1,000,000 households (100 GPs of 10,000) in one run, against
# the physical limit: the same rows written by one bare INSERT … SELECT in the same process on
# the same database (`paani demands raise --against-raw`: the raw statement runs first, is
# committed and timed, its rows are removed, then paani raises them). Prints both rates and
# their ratio (issue 6's target: at least 50% of the raw rate).
#
#   bash benches/demands.sh                    # release build, SQLite (synchronous=FULL)
#   PAANI_BENCH_HOUSEHOLDS=200000 bash benches/demands.sh
#   PAANI_BENCH_DB=postgres://postgres@127.0.0.1/paani_bench bash benches/demands.sh
#                                              # an empty PostgreSQL database
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N="${PAANI_BENCH_HOUSEHOLDS:-1000000}"
cargo build --release --bin paani -q
BIN=target/release/paani
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DB="${PAANI_BENCH_DB:-sqlite://${WORK}/bench.db}"
MONTH="$(date -u +%Y-%m)"

echo "seeding the demo data and ${N} households on ${DB%%://*}…"
"$BIN" demo --database "$DB" --bench-households "$N" 2>/dev/null | grep -i "billing bench"
[[ "$DB" == sqlite://* ]] || psql -q "$DB" -c "ANALYZE"
echo "paani demands raise --month $MONTH --place 230198 --yes --against-raw"
"$BIN" demands raise --database "$DB" --month "$MONTH" --place 230198 --yes --against-raw 2>/dev/null
