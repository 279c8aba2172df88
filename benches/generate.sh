#!/usr/bin/env bash
# Task generation speed: 100,000 active maintenance plans (copies of the demo's template plans,
# so a realistic mix of weekly, monthly, six-monthly and yearly-window plans), their next 60
# days, on SQLite. Prints what `paani maintenance generate` reports (plans/s) and the rows made.
#
#   bash benches/generate.sh [PLANS]
#
# Needs python3 (its sqlite3 module) to multiply the plans. Target: under 2 s for 100,000 plans.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PLANS="${1:-100000}"
cargo build --release --bin paani -q
BIN=target/release/paani
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DB="$WORK/gen.db"
"$BIN" demo --database "sqlite://$DB" >/dev/null
python3 - "$DB" "$PLANS" <<'PY'
import sqlite3, sys
db, want = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
c.execute("DELETE FROM maintenance_logs")
c.execute("DELETE FROM maintenance_tasks")
have = c.execute("SELECT COUNT(*) FROM maintenance_plans").fetchone()[0]
cols = "gp_id, scheme_id, asset_id, template_code, title, instructions, checklist, readings, water_quality, every_unit, every_n, start_on, window_start, window_end, responsible_user_id, responsible_role, estimated_cost_paise, active, created_at, updated_at"
while have < want:
    n = min(have, want - have)
    c.execute(f"INSERT INTO maintenance_plans ({cols}) SELECT {cols} FROM maintenance_plans ORDER BY id LIMIT {n}")
    have += n
c.commit()
print(f"{have} plans ready:", dict(c.execute("SELECT every_unit || '/' || every_n, COUNT(*) FROM maintenance_plans GROUP BY 1").fetchall()))
PY
echo "paani maintenance generate (next 60 days, SQLite, synchronous=FULL):"
"$BIN" maintenance generate --database "sqlite://$DB" 2>/dev/null
echo "again (nothing new to add):"
"$BIN" maintenance generate --database "sqlite://$DB" 2>/dev/null
