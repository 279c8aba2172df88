#!/usr/bin/env bash
# The scheduler's sweep on a district-sized database (issue 8's target: a full sweep under 2 s
# on SQLite, and a sweep with nothing new to do far cheaper): 1,000 gram panchayats with a
# secretary and a member each, 50,000 assets, 200,000 monthly plans and their tasks (one in
# twenty of the past ones left undone), breakdowns over two years (some open, some escalated)
# and 300,000 households. Then sweeps on successive days, each timed by the command itself
# and per job (jobs that raised nothing in under 10 ms are left out of the listing).
#
#   bash benches/sweep.sh                                            # release build, SQLite
#   PAANI_BENCH_DB=postgres://postgres@127.0.0.1:5432/paani_bench bash benches/sweep.sh
#   PAANI_BENCH_GPS=100 bash benches/sweep.sh                        # a block, for a quick look
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
GPS="${PAANI_BENCH_GPS:-1000}"
BREAKDOWNS="${PAANI_BENCH_BREAKDOWNS:-40000}"
HOUSEHOLDS="${PAANI_BENCH_HOUSEHOLDS:-300000}"
ASSETS="${PAANI_BENCH_ASSETS_PER_GP:-50}"

cargo build --release --bin paani -q
BIN=target/release/paani
WORK="$(mktemp -d)"
DB="${PAANI_BENCH_DB:-sqlite://${WORK}/bench.db}"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

/usr/bin/time -f "data set built in %e s, peak RSS %M KB" \
  "$OLDPWD/$BIN" demo --database "$DB" --bench-gps "$GPS" --bench-breakdowns "$BREAKDOWNS" \
  --bench-assets-per-gp "$ASSETS" --bench-households "$HOUSEHOLDS" 2>&1 \
  | grep -Ei "ready|built in"
if [[ "$DB" == sqlite://* ]]; then
  echo "database: $(du -h "${DB#sqlite://}" | cut -f1) on disk (SQLite)"
else
  # fresh statistics after the bulk load, as autovacuum would make them
  psql "$DB" -qc "ANALYZE"
fi
# Day 0 is the first sweep ever (the whole horizon is generated); the benchmark's plans were
# all made today, so they count as changed until day 3, when the steady state starts: each
# day's first sweep generates only the day the horizon moved on.
T="$(date -u +%Y-%m-%d)"
day() { date -u -d "$T + $1 day" +%Y-%m-%d; }
# The no-op runs are the next tick, five minutes later: the command's clock runs on from
# --at, so a second run at the same --at would start before the first one ended.
for run in "day 0: first sweep ever|$(day 0)T04:00" "day 0 again: nothing new (no-op)|$(day 0)T04:05" \
           "day 1|$(day 1)T04:00" "day 2|$(day 2)T04:00" "day 3: steady state|$(day 3)T04:00" \
           "day 3 again: no-op|$(day 3)T04:05" "day 4 (a quarter of the plans fall due)|$(day 4)T04:00"; do
  label="${run%%|*}"; at="${run##*|}"
  echo "== ${label} (--at ${at})"
  PAANI__BACKUP__ENABLED=false RUST_LOG=warn "$OLDPWD/$BIN" jobs run --database "$DB" --at "$at" | grep -v '"raised":0,"resolved":0,"ms":[0-9]}'
done
