#!/usr/bin/env bash
# The scheduler's sweep on a district-sized database (issue 8's target: a full sweep under 2 s
# on SQLite, and a sweep with nothing new to do far cheaper): 1,000 gram panchayats with a
# secretary and a member each, 50,000 assets, 200,000 monthly plans and their tasks (one in
# twenty of the past ones left undone), breakdowns over two years (some open, some escalated)
# and 300,000 households. Then, each timed by the command itself and printed per job:
#   1. the first sweep of the day (task generation up to the horizon, then every rule);
#   2. the same sweep again (nothing new: every rule finds what it raised);
#   3. the next day's sweep (generation again, new due dates, some reminders resolve).
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
fi
TODAY_UTC="$(date -u +%Y-%m-%d)"
NEXT_UTC="$(date -u -d "$TODAY_UTC + 1 day" +%Y-%m-%d)"
for run in "first sweep of the day|${TODAY_UTC}T04:00" "the same sweep again (no-op)|${TODAY_UTC}T04:00" "next day's first sweep|${NEXT_UTC}T04:00"; do
  label="${run%%|*}"; at="${run##*|}"
  echo "== ${label} (--at ${at})"
  RUST_LOG=warn "$OLDPWD/$BIN" jobs run --database "$DB" --at "$at"
done
