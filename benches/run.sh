#!/usr/bin/env bash
# The benchmark suite (issue 10): on a data set built by `paani demo --scale`, for each
# backend asked for, it prints and saves a table of
#   - building the data set (wall time, the generator's peak RSS, rows);
#   - the scheduler's sweep: the first sweep on the data set (full: the task horizon, every
#     rule, escalation, the dashboards' figures), the same sweep again (no-op), and the next
#     day's sweep (steady state), each with its slowest jobs;
#   - page latency with 16 concurrent clients (wrk, asking for gzip as browsers do): a
#     member's "my tasks", the GP dashboard, a household's ledger, a scheme's page, the block's
#     breakdown review and the block dashboard (p50, p95, p99, requests/s, errors, page size);
#   - the functionality computation for a district: the district officer's month figures and
#     functionality of every scheme (`GET /supply/month.csv`, this month and the last), one
#     request at a time, the median of three (part "supply");
#   - the server's peak RSS over the page runs, and the database's size on disk;
#   - a backup while nothing else runs (`paani backup`: time, file size) and its check
#     (`paani backup --verify`);
#   - with PAANI_BENCH_PARTS naming them: demand generation for 1,000,000 households against
#     the raw INSERT … SELECT (benches/demands.sh) and payments over HTTP with 1, 16 and 64
#     clients (benches/payments.sh), which build their own data sets.
#
#   bash benches/run.sh                         # district, SQLite and PostgreSQL, release
#   bash benches/run.sh district sqlite         # one backend
#   bash benches/run.sh block both              # a block: a few minutes
#   PAANI_BENCH_PARTS="build sweep pages demands payments" bash benches/run.sh district both
#   PAANI_BENCH_SMOKE=1 bash benches/run.sh block sqlite   # CI: debug build, 2 s per page
#
# Environment (all optional):
#   PAANI_BENCH_PARTS         what to run (default "build sweep pages supply backup")
#   PAANI_BENCH_SECONDS       seconds of wrk per page (default 15)
#   PAANI_BENCH_POSTGRES_URL  an admin URL; the suite makes (and drops) database paani_bench_<scale>
#   PAANI_BENCH_DATA          keep the SQLite data set in this directory, and reuse the data set
#                             found there (or the PostgreSQL database left by an earlier run)
#                             instead of building it: sweeps then start from what it holds
#   PAANI_BENCH_OUT           also write the tables (markdown) to this file
#   PAANI_BENCH_SMOKE=1       the debug binary, 2 s per page (a request may take 10 s), and the
#                             run fails on any error
#   PAANI_BENCH_PORT          the server's port on 127.0.0.1 (default 18184)
#   PAANI_BENCH_BIN           run this paani binary instead of building one (an older build kept
#                             aside, to compare two builds on one data set in one session)
#
# Needs: wrk and curl (Debian packages), psql for PostgreSQL, GNU time (/usr/bin/time).
# Nothing here is timed by a test: the figures are printed for a person (see BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
SCALE="${1:-district}"
BACKENDS="${2:-both}"
PARTS="${PAANI_BENCH_PARTS:-build sweep pages supply backup}"
DURATION="${PAANI_BENCH_SECONDS:-15}"
PG_ADMIN="${PAANI_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PORT="${PAANI_BENCH_PORT:-18184}"
BASE="http://127.0.0.1:${PORT}"
SMOKE="${PAANI_BENCH_SMOKE:-}"
DATA="${PAANI_BENCH_DATA:-}"
OUT="${PAANI_BENCH_OUT:-}"
CLIENTS=16

case "$SCALE" in block|district|state|tiny) ;; *) echo "scale must be block, district or state" >&2; exit 2 ;; esac
case "$BACKENDS" in sqlite) BACKENDS="sqlite" ;; postgres) BACKENDS="postgres" ;; both) BACKENDS="sqlite postgres" ;;
  *) echo "backend must be sqlite, postgres or both" >&2; exit 2 ;; esac
for tool in wrk curl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install wrk curl time)" >&2; exit 2; }
done
[[ "$BACKENDS" == *postgres* ]] && { command -v psql >/dev/null || { echo "psql is missing" >&2; exit 2; }; }

# wrk counts a request not answered within this as an error (its default, 2 s); the smoke's
# debug build spends 5-30 times the CPU of a release build on a page, so it waits longer: it
# checks that pages work under load, not how fast.
WRK_TIMEOUT=2s
if [[ -n "$SMOKE" ]]; then
  DURATION=2
  WRK_TIMEOUT=10s
  PROFILE_DIR=debug
  cargo build --bin paani -q
elif [[ -z "${PAANI_BENCH_BIN:-}" ]]; then
  PROFILE_DIR=release
  cargo build --release --bin paani -q
fi
BIN="${PAANI_BENCH_BIN:-$ROOT/target/${PROFILE_DIR:-release}/paani}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/paani-bench.XXXXXX")"
PID=""
DROP_PG=""
cleanup() {
  if [[ -n "$PID" ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  if [[ -n "$DROP_PG" ]]; then psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DROP_PG WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
FAILED=0
fail() { echo "FAILED: $*" >&2; FAILED=1; [[ -n "$SMOKE" ]] && exit 1; return 0; }

# The place codes of the data set (see src/demo/scale.rs): the first district and block, a GP
# in its middle.
DISTRICT=2301
BLOCK=230101
GP=230101050
[[ "$SCALE" == tiny ]] && GP=230101005
TODAY="$(date -u +%Y-%m-%d)"
TOMORROW="$(date -u -d "$TODAY + 1 day" +%Y-%m-%d)"

TABLE="$WORK/table.md"
: >"$TABLE"
row() { printf '%s\n' "$*" | tee -a "$TABLE" >/dev/null; }

machine() {
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
  if [[ -n "${PAANI_BENCH_BIN:-}" ]]; then
    echo "paani: the binary ${PAANI_BENCH_BIN}; $(date -u '+%Y-%m-%d %H:%M') UTC"
  else
    echo "paani: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '+changes'), ${PROFILE_DIR} build; $(date -u '+%Y-%m-%d %H:%M') UTC"
  fi
}

# ---------------------------------------------------------------------------------------------
# The data set.

build() { # backend db
  local backend="$1" db="$2" log="$WORK/build.log"
  echo "== building the ${SCALE} data set on ${backend}"
  if ! /usr/bin/time -f "TIME %e %M" "$BIN" demo --scale "$SCALE" --database "$db" >"$log" 2>&1; then
    tail -20 "$log" >&2; fail "building the data set"; return
  fi
  grep -E "is built" "$log" | sed 's/^/  /'
  local t rss rows
  read -r _ t rss < <(grep '^TIME' "$log")
  rows="$(grep -E "is built" "$log" | grep -oE "[0-9,]+ rows" | head -1 | cut -d" " -f1)"
  row "| build the data set (\`paani demo --scale ${SCALE}\`) | ${t} s | ${rows:-?} rows, generator peak RSS $((rss / 1024)) MiB |"
}

# ---------------------------------------------------------------------------------------------
# The scheduler's sweeps.

sweep() { # label at db
  local label="$1" at="$2" db="$3" log="$WORK/sweep.log"
  echo "== sweep: ${label} (--at ${at})"
  if ! PAANI__BACKUP__ENABLED=false RUST_LOG=warn /usr/bin/time -f "TIME %e %M" "$BIN" jobs run --database "$db" --at "$at" >"$log" 2>&1; then
    tail -20 "$log" >&2; fail "sweep ${label}"; return
  fi
  local t rss slow
  read -r _ t rss < <(grep '^TIME' "$log")
  # the three slowest jobs, "name ms"
  slow="$(grep -E '^  [a-z_]+ +\{' "$log" | sed -E 's/^  ([a-z_]+) +.*"ms":([0-9]+).*/\2 \1/' | sort -rn | head -3 \
    | awk '{printf "%s%s %.1f s", (NR>1?", ":""), $2, $1/1000}')"
  grep -E '^run ' "$log" | sed 's/^/  /'
  row "| sweep: ${label} | ${t} s | slowest: ${slow:-none}; peak RSS $((rss / 1024)) MiB |"
}

# ---------------------------------------------------------------------------------------------
# Pages under load.

cat >"$WORK/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.1f %.1f %.1f %.1f %d %.0f %d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, summary.requests / (summary.duration / 1e6), errors))
end
LUA

login() { # user → session cookie value
  local jar="$WORK/jar-$1" csrf
  csrf=$(curl -fs -c "$jar" "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | sed 's/.*value="//;s/"//')
  curl -fs -o /dev/null -b "$jar" -c "$jar" -d "_csrf=$csrf&username=$1&password=paani-demo-2024" "$BASE/login"
  awk '$6=="paani_session"{print $7}' "$jar" | grep . || { echo "could not log in as $1" >&2; return 1; }
}

get() { # session path → body (fails unless 200)
  local code
  code=$(curl -s -o "$WORK/body" -w '%{http_code}' -H "Cookie: paani_session=$1" "$BASE$2")
  [[ "$code" == 200 ]] || { echo "GET $2 answered $code" >&2; return 1; }
  cat "$WORK/body"
}

page() { # label session path marker
  local label="$1" s="$2" path="$3" marker="$4" body r gz
  if ! body="$(get "$s" "$path")"; then fail "$label: GET $path"; return; fi
  grep -q -- "$marker" <<<"$body" || { fail "$label: GET $path did not show '$marker'"; return; }
  # as a phone's browser asks: compressed
  gz=$(curl -s -o /dev/null -w '%{size_download}' -H "Accept-Encoding: gzip" -H "Cookie: paani_session=$s" "$BASE$path")
  r="$(wrk -t2 -c"$CLIENTS" -d"${DURATION}s" --timeout "$WRK_TIMEOUT" -s "$WORK/report.lua" -H "Accept-Encoding: gzip" \
    -H "Cookie: paani_session=$s" "$BASE$path" | grep '^RESULT')"
  read -r _ p50 p95 p99 max n rps errors <<<"$r"
  printf '  %-34s %-34s p50 %6s ms  p95 %6s ms  p99 %6s ms  %6s/s  %s errors\n' "$label" "$path" "$p50" "$p95" "$p99" "$rps" "$errors"
  [[ "$errors" == 0 ]] || fail "$label: $errors errors under load"
  row "| ${label} \`GET ${path}\` ($(( $(wc -c <<<"$body") / 1024 )) KB, $(( gz / 1024 )) KB gzipped) | p50 ${p50} ms, **p95 ${p95} ms**, p99 ${p99} ms | ${rps} req/s, ${n} requests, ${errors} errors |"
}

serve_start() { # db → the server runs as $PID (jobs off)
  PAANI__JOBS__ENABLED=false RUST_LOG=warn "$BIN" serve --database "$1" --listen "127.0.0.1:${PORT}" >"$WORK/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done
  curl -fs "$BASE/healthz" >/dev/null || { tail "$WORK/server.log" >&2; return 1; }
}

pages() { # backend db
  local db="$2"
  echo "== pages, ${CLIENTS} concurrent clients, ${DURATION} s each"
  serve_start "$db" || { fail "the server did not start"; return; }
  local member secretary engineer household scheme
  member="$(login "member-$GP")" && secretary="$(login "secretary-$GP")" && engineer="$(login "engineer-$BLOCK")" \
    || { fail "logging in"; return; }
  household="$(get "$secretary" "/households" | grep -oE 'href="/households/[0-9]+"' | head -1 | tr -dc 0-9)"
  scheme="$(get "$member" "/schemes" | grep -oE 'href="/schemes/[0-9]+"' | head -1 | tr -dc 0-9)"
  [[ -n "$household" && -n "$scheme" ]] || { fail "finding a household and a scheme of GP $GP"; return; }
  page "member: my tasks" "$member" "/tasks" 'href="/tasks/'
  page "GP dashboard (secretary)" "$secretary" "/dashboard" "dash-now"
  page "household ledger (secretary)" "$secretary" "/households/$household/ledger" 'id="balance"'
  page "scheme page (member)" "$member" "/schemes/$scheme" "/schemes/$scheme/maintenance"
  page "block breakdown review (engineer)" "$engineer" "/breakdowns/review" 'action="/breakdowns/review"'
  page "block dashboard, 100 GPs (engineer)" "$engineer" "/dashboard" "dash-table"
  local hwm
  hwm="$(awk '/VmHWM/{print $2}' /proc/$PID/status)"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  echo "  server peak RSS: $((hwm / 1024)) MiB"
  row "| server peak RSS over the page runs | $((hwm / 1024)) MiB | |"
}

# ---------------------------------------------------------------------------------------------
# The functionality computation for a district: every scheme's month figures and functionality,
# as the district officer downloads them (the schemes read 200 at a time, each batch's logs,
# schedules, households and readings with one set of queries: supply::service::months_of).

supply_month() { # backend db
  local db="$2" officer month code t times rows bytes
  echo "== supply: the district's month functionality (GET /supply/month.csv, officer-${DISTRICT})"
  serve_start "$db" || { fail "the server did not start"; return; }
  officer="$(login "officer-$DISTRICT")" || { fail "logging in as officer-$DISTRICT"; kill "$PID"; wait "$PID" 2>/dev/null; PID=""; return; }
  for month in "$(date -u +%Y-%m)" "$(date -u -d "$(date -u +%Y-%m-01) - 1 day" +%Y-%m)"; do
    times=""
    for _ in 1 2 3; do
      read -r code t < <(curl -s -o "$WORK/month.csv" -w '%{http_code} %{time_total}\n' \
        -H "Cookie: paani_session=$officer" "$BASE/supply/month.csv?month=$month")
      [[ "$code" == 200 ]] || { fail "GET /supply/month.csv?month=$month answered $code"; break; }
      times="$times $t"
    done
    grep -q "functionality" "$WORK/month.csv" || { fail "the month CSV has no functionality column"; continue; }
    rows=$(( $(wc -l <"$WORK/month.csv") - 1 ))
    bytes=$(stat -c %s "$WORK/month.csv")
    t="$(tr ' ' '\n' <<<"$times" | grep . | sort -n | sed -n 2p)"
    local functional below
    functional="$(grep -cE ',functional(,[0-9]+)?$' "$WORK/month.csv" || true)"
    below="$(grep -cE ',not_met,[a-z_]*,[a-z_]*,[a-z_]*(,[0-9]+)?$' "$WORK/month.csv" || true)"
    echo "  ${month}: ${rows} schemes in ${t} s (median of 3: ${times# }), ${functional} functional, ${below} below the lpcd norm"
    row "| a district's month functionality (\`GET /supply/month.csv?month=${month}\`, officer, ${rows} schemes) | median **${t} s** of 3 | $((bytes / 1024)) KB; ${functional} functional, ${below} below the lpcd norm |"
  done
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
}

size() { # backend db
  local bytes
  if [[ "$1" == sqlite ]]; then
    local f="${2#sqlite://}"
    bytes=$(( $(stat -c %s "$f") + $(stat -c %s "$f-wal" 2>/dev/null || echo 0) ))
  else
    bytes="$(psql -qtAX "$2" -c "SELECT pg_database_size(current_database())")"
  fi
  echo "  database on disk: $((bytes / 1048576)) MiB"
  row "| database size on disk | $((bytes / 1048576)) MiB | |"
}

backup_and_verify() { # db
  local dir="$WORK/backups" log="$WORK/backup.log" t rss file bytes
  echo "== backup and verify"
  if ! PAANI__STORAGE__DATA_DIR="$WORK" /usr/bin/time -f "TIME %e %M" "$BIN" backup --database "$1" --to "$dir" >"$log" 2>&1; then
    tail -20 "$log" >&2; fail "backup"; return
  fi
  read -r _ t rss < <(grep '^TIME' "$log")
  file="$(ls -t "$dir"/paani-*.tar | head -1)"
  bytes="$(stat -c %s "$file")"
  echo "  backup: ${t} s, $((bytes / 1048576)) MiB"
  row "| backup (\`paani backup\`, nothing else running) | ${t} s | $((bytes / 1048576)) MiB file, peak RSS $((rss / 1024)) MiB |"
  if ! PAANI__STORAGE__DATA_DIR="$WORK" /usr/bin/time -f "TIME %e %M" "$BIN" backup --database "$1" --verify "$file" >"$log" 2>&1; then
    tail -20 "$log" >&2; fail "backup --verify"; rm -f "$file"; return
  fi
  read -r _ t rss < <(grep '^TIME' "$log")
  echo "  verify: ${t} s"
  row "| verify the backup (\`paani backup --verify\`) | ${t} s | peak RSS $((rss / 1024)) MiB |"
  rm -f "$file"
}

# ---------------------------------------------------------------------------------------------

machine | tee "$WORK/machine"
for backend in $BACKENDS; do
  echo
  echo "################ ${SCALE} on ${backend}"
  row ""
  row "### ${SCALE} on ${backend}"
  row ""
  row "| what | figure | detail |"
  row "|---|---|---|"
  reuse=""
  if [[ "$backend" == sqlite ]]; then
    dir="${DATA:-$WORK}"
    mkdir -p "$dir"
    db="sqlite://${dir}/${SCALE}.db"
    [[ -n "$DATA" && -f "${dir}/${SCALE}.db" ]] && reuse=1
  else
    name="paani_bench_${SCALE}"
    db="${PG_ADMIN%/*}/${name}"
    exists="$(psql -qtAX "$PG_ADMIN" -c "SELECT 1 FROM pg_database WHERE datname = '${name}'")"
    if [[ -n "$DATA" && "$exists" == 1 ]]; then
      reuse=1
    else
      psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS ${name} WITH (FORCE)" -c "CREATE DATABASE ${name}" >/dev/null
      [[ -z "$DATA" ]] && DROP_PG="$name"
    fi
  fi
  if [[ " $PARTS " == *" build "* && -z "$reuse" ]]; then
    build "$backend" "$db"
    # fresh planner statistics after the bulk load, as autovacuum would gather them
    [[ "$backend" == postgres ]] && psql -q "$db" -c "ANALYZE"
  elif [[ -n "$reuse" ]]; then
    echo "== reusing the data set at ${db}"
    row "| data set | reused | ${db} |"
  fi
  if [[ " $PARTS " == *" sweep "* ]]; then
    sweep "first on the data set (full)" "${TODAY}T04:00" "$db"
    sweep "five minutes later, the next tick (no-op)" "${TODAY}T04:05" "$db"
    sweep "next day (steady state)" "${TOMORROW}T04:00" "$db"
  fi
  [[ " $PARTS " == *" pages "* ]] && pages "$backend" "$db"
  [[ " $PARTS " == *" supply "* ]] && supply_month "$backend" "$db"
  size "$backend" "$db"
  [[ " $PARTS " == *" backup "* ]] && backup_and_verify "$db"
  if [[ -n "$DROP_PG" ]]; then
    psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DROP_PG WITH (FORCE)" >/dev/null; DROP_PG=""
  fi
done

if [[ " $PARTS " == *" demands "* ]]; then
  for backend in $BACKENDS; do
    echo; echo "################ demand generation on ${backend} (benches/demands.sh)"
    if [[ "$backend" == sqlite ]]; then
      bash benches/demands.sh || fail "benches/demands.sh on SQLite"
    else
      psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS paani_bench_demands WITH (FORCE)" -c "CREATE DATABASE paani_bench_demands" >/dev/null
      PAANI_BENCH_DB="${PG_ADMIN%/*}/paani_bench_demands" bash benches/demands.sh || fail "benches/demands.sh on PostgreSQL"
      psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS paani_bench_demands WITH (FORCE)" >/dev/null
    fi
  done
fi
if [[ " $PARTS " == *" payments "* ]]; then
  echo; echo "################ payments over HTTP (benches/payments.sh)"
  if [[ "$BACKENDS" == *postgres* ]]; then
    PAANI_BENCH_POSTGRES_URL="$PG_ADMIN" bash benches/payments.sh || fail "benches/payments.sh"
  else
    bash benches/payments.sh || fail "benches/payments.sh"
  fi
fi

echo
cat "$WORK/machine"
cat "$TABLE"
if [[ -n "$OUT" ]]; then
  { cat "$WORK/machine"; cat "$TABLE"; } >>"$OUT"
fi
exit "$FAILED"
