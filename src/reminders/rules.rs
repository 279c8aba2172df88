//! The reminder rules. Each is one set-based `INSERT … SELECT` over the records whose condition
//! holds today, one row per recipient, skipping (user, dedupe key) pairs that exist (and `ON
//! CONFLICT DO NOTHING` for a concurrent run), then one `UPDATE` that resolves the reminders
//! whose condition has cleared. The dedupe key is `rule:subject:period`, so the same subject
//! in the same period never reminds twice, and a new period (next month) reminds again.
//!
//! Recipients are found by role and place: the GP's secretaries or members, the engineers of
//! its block, the officers of its district (or state), or one named user (the plan's
//! responsible person, an action item's owner through their linked account).

use crate::config::{MaintenanceConfig, RemindersConfig, WaterIncidentsConfig};
use crate::db::{sql_for, DbConn};
use crate::error::AppResult;
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Date, Text, Timestamp};

/// Who a rule tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The candidate's named user (`hint`); when it has none, the GP's members.
    ResponsibleOrMembers,
    /// The candidate's named user; when it has none, the GP's secretaries.
    ResponsibleOrSecretaries,
    Secretaries,
    Engineers,
    Officers,
}

impl Audience {
    /// The name used in `reminders.audiences`.
    pub fn parse(name: &str) -> Option<Audience> {
        Some(match name {
            "responsible_or_members" => Audience::ResponsibleOrMembers,
            "responsible_or_secretaries" => Audience::ResponsibleOrSecretaries,
            "secretaries" => Audience::Secretaries,
            "engineers" => Audience::Engineers,
            "officers" => Audience::Officers,
            _ => return None,
        })
    }

    fn sql(self) -> &'static str {
        match self {
            Audience::ResponsibleOrMembers => {
                "(u.id = c.hint OR (c.hint IS NULL AND u.role = 'member' AND u.place_id = c.gp_id))"
            }
            Audience::ResponsibleOrSecretaries => {
                "(u.id = c.hint OR (c.hint IS NULL AND u.role = 'secretary' AND u.place_id = c.gp_id))"
            }
            Audience::Secretaries => "(u.role = 'secretary' AND u.place_id = c.gp_id)",
            Audience::Engineers => "(u.role = 'block_engineer' AND u.place_id = g.block_id)",
            Audience::Officers => {
                "(u.role = 'district_officer' AND (u.place_id = g.district_id OR u.place_id = g.state_id))"
            }
        }
    }
}

/// A value bound into a rule's SQL.
#[derive(Debug, Clone)]
pub enum Bind {
    Date(NaiveDate),
    Time(NaiveDateTime),
    Text(String),
    Int(i64),
}

/// One rule: what to raise and what clears it.
pub struct Rule {
    pub name: &'static str,
    pub subject_kind: &'static str,
    /// `SELECT gp_id, subject_id, period, label, link, due_on, hint FROM …` with `?` binds.
    pub candidates: String,
    pub binds: Vec<Bind>,
    /// Who is told: the rule's own list, or `reminders.audiences.<rule>` when configured.
    pub audience: Vec<Audience>,
    /// A condition on `reminders` (the row being resolved) that says its cause has cleared.
    pub cleared: String,
    pub cleared_binds: Vec<Bind>,
    /// Runs once a day (the first sweep of the day): its candidates are costly to find.
    pub daily: bool,
}

/// How many reminders a rule raised and resolved.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Outcome {
    pub raised: usize,
    pub resolved: usize,
}

macro_rules! bound_execute {
    ($conn:expr, $sql:expr, $binds:expr) => {
        $crate::on_backend!($conn, |c| {
            let mut q = diesel::sql_query($sql).into_boxed();
            for b in $binds {
                q = match b {
                    Bind::Date(d) => q.bind::<Date, _>(*d),
                    Bind::Time(t) => q.bind::<Timestamp, _>(*t),
                    Bind::Text(s) => q.bind::<Text, _>(s.clone()),
                    Bind::Int(n) => q.bind::<diesel::sql_types::BigInt, _>(*n),
                };
            }
            q.execute(c)
        })
    };
}

/// Raise what is due and resolve what has cleared, for one rule.
pub fn apply(conn: &mut DbConn, rule: &Rule, now: NaiveDateTime) -> AppResult<Outcome> {
    let key = format!(
        "'{}:' || CAST(c.subject_id AS TEXT) || ':' || c.period",
        rule.name
    );
    // the rules whose reminders go by SMS too, to those who want them and have a phone
    let sms = if super::sms_kind(rule.name).is_some() {
        "CASE WHEN u.phone IS NULL OR u.phone = '' OR u.sms_pref = 'off' \
         THEN 'none' ELSE 'pending' END"
    } else {
        "'none'"
    };
    let audience = rule
        .audience
        .iter()
        .map(|a| a.sql())
        .collect::<Vec<_>>()
        .join(" OR ");
    let insert = sql_for(
        conn,
        &format!(
            "INSERT INTO reminders (gp_id, user_id, rule, subject_kind, subject_id, dedupe_key, \
             label, link, due_on, created_at, updated_at, email_state, sms_state) \
             SELECT c.gp_id, u.id, '{rule}', '{kind}', c.subject_id, {key}, c.label, c.link, \
             c.due_on, ?, ?, CASE WHEN u.email IS NULL OR u.email = '' OR u.email_pref = 'off' \
             THEN 'none' ELSE 'pending' END, {sms} \
             FROM ({candidates}) c \
             JOIN places g ON g.id = c.gp_id \
             JOIN users u ON u.active = TRUE AND ({audience}) \
             WHERE NOT EXISTS (SELECT 1 FROM reminders r WHERE r.user_id = u.id \
             AND r.dedupe_key = {key}) \
             ON CONFLICT (user_id, dedupe_key) DO NOTHING",
            rule = rule.name,
            kind = rule.subject_kind,
            candidates = rule.candidates,
        ),
    );
    let mut binds = vec![Bind::Time(now), Bind::Time(now)];
    binds.extend(rule.binds.iter().cloned());
    let raised = bound_execute!(conn, &insert, binds.iter())?;
    let resolve = sql_for(
        conn,
        &format!(
            "UPDATE reminders SET resolved_at = ?, updated_at = ? WHERE rule = '{rule}' AND resolved_at IS NULL \
             AND ({cleared})",
            rule = rule.name,
            cleared = rule.cleared,
        ),
    );
    let mut binds = vec![Bind::Time(now), Bind::Time(now)];
    binds.extend(rule.cleared_binds.iter().cloned());
    let resolved = bound_execute!(conn, &resolve, binds.iter())?;
    Ok(Outcome { raised, resolved })
}

const OPEN_BREAKDOWN: &str = "('reported', 'acknowledged', 'in_progress', 'reopened')";
const ASSET_IN_SERVICE: &str = "('working', 'needs_attention', 'failed')";

fn month_key(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn months_ahead(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(d)
}

/// FTK tests recorded that name kit batch `b` (the stock a test uses).
const KIT_BATCH_USED: &str = "(SELECT COUNT(*) FROM water_samples s WHERE s.gp_id = b.gp_id \
                              AND s.kind = 'ftk' AND s.kit_batch = b.batch)";

/// Tests left in a GP's kit batches unexpired on the bound day (`?`): each batch's tests less
/// the FTK tests naming it, never below zero.
fn kit_tests_left(gp: &str) -> String {
    format!(
        "(SELECT COALESCE(CAST(SUM(CASE WHEN b.tests > {KIT_BATCH_USED} \
         THEN b.tests - {KIT_BATCH_USED} ELSE 0 END) AS BIGINT), 0) \
         FROM water_kit_batches b WHERE b.gp_id = {gp} AND b.expires_on >= ?)"
    )
}

/// Every reminder rule, as it stands on `today` (India) at `now` (UTC).
pub fn all(
    cfg: &RemindersConfig,
    maintenance: &MaintenanceConfig,
    water: &WaterIncidentsConfig,
    defaulter_months: i64,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Vec<Rule> {
    use Audience::*;
    use Bind::{Date as D, Int, Text as T, Time as At};
    let task = |extra: &str| {
        format!(
            "SELECT t.gp_id, t.id AS subject_id, '' AS period, p.title AS label, \
             '/tasks/' || CAST(t.id AS TEXT) AS link, t.due_on AS due_on, \
             p.responsible_user_id AS hint \
             FROM maintenance_tasks t JOIN maintenance_plans p ON p.id = t.plan_id \
             WHERE t.state = 'open' AND {extra}"
        )
    };
    let task_cleared =
        "EXISTS (SELECT 1 FROM maintenance_tasks t WHERE t.id = reminders.subject_id \
                        AND t.state <> 'open')"
            .to_string();
    let breakdown = |extra: &str| {
        format!(
            "SELECT b.gp_id, b.id AS subject_id, '{{period}}' AS period, b.number AS label, \
             '/breakdowns/' || CAST(b.id AS TEXT) AS link, CAST(NULL AS DATE) AS due_on, \
             CAST(NULL AS BIGINT) AS hint \
             FROM breakdowns b WHERE b.status IN {OPEN_BREAKDOWN} AND {extra}"
        )
    };
    let breakdown_closed = format!(
        "EXISTS (SELECT 1 FROM breakdowns b WHERE b.id = reminders.subject_id \
         AND b.status NOT IN {OPEN_BREAKDOWN})"
    );
    let water_incident = |extra: &str| {
        format!(
            "SELECT i.gp_id, i.id AS subject_id, i.status AS period, p.name AS label, \
             '/water-quality/incidents/' || CAST(i.id AS TEXT) AS link, i.due_on AS due_on, \
             CAST(NULL AS BIGINT) AS hint \
             FROM water_incidents i JOIN sampling_points p ON p.id = i.point_id \
             WHERE i.status NOT IN ('closed', 'not_confirmed') AND {extra}"
        )
    };
    let water_incident_moved = "NOT EXISTS (SELECT 1 FROM water_incidents i \
                                WHERE i.id = reminders.subject_id \
                                AND i.status NOT IN ('closed', 'not_confirmed') \
                                AND reminders.dedupe_key = reminders.rule || ':' \
                                || CAST(i.id AS TEXT) || ':' || i.status)"
        .to_string();
    let action = |extra: &str| {
        format!(
            "SELECT a.gp_id, a.id AS subject_id, '' AS period, a.description AS label, \
             '/action-items/' || CAST(a.id AS TEXT) AS link, a.due_on AS due_on, \
             m.user_id AS hint \
             FROM action_items a LEFT JOIN committee_members m ON m.id = a.owner_member_id \
             WHERE a.status = 'open' AND {extra}"
        )
    };
    let action_closed = "EXISTS (SELECT 1 FROM action_items a WHERE a.id = reminders.subject_id \
                         AND a.status <> 'open')"
        .to_string();
    let asset_life = format!(
        "SELECT a.gp_id, a.id AS subject_id, '' AS period, a.name AS label, \
         '/assets/' || CAST(a.id AS TEXT) AS link, a.end_of_life_on AS due_on, \
         CAST(NULL AS BIGINT) AS hint \
         FROM assets a WHERE a.status IN {ASSET_IN_SERVICE} \
         AND a.end_of_life_on >= ? AND a.end_of_life_on <= ?"
    );
    let asset_life_cleared = format!(
        "EXISTS (SELECT 1 FROM assets a WHERE a.id = reminders.subject_id \
         AND (a.status NOT IN {ASSET_IN_SERVICE} OR a.end_of_life_on IS NULL \
         OR a.end_of_life_on > reminders.due_on))"
    );
    // a GP's main committee, for the meeting rules
    let committee_gp = String::from(
        "SELECT k.gp_id, k.gp_id AS subject_id, ? AS period, p2.name AS label, \
         '/committees/' || CAST(k.id AS TEXT) AS link, CAST(NULL AS DATE) AS due_on, \
         CAST(NULL AS BIGINT) AS hint \
         FROM committees k JOIN places p2 ON p2.id = k.gp_id \
         WHERE k.village_id IS NULL AND p2.active = TRUE AND k.constituted_on <= ? \
         AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.gp_id = k.gp_id \
         AND m.status <> 'planned' AND m.held_on >= ? AND m.held_on <= ?)",
    );
    let meeting_held = "EXISTS (SELECT 1 FROM meetings m WHERE m.gp_id = reminders.subject_id \
                        AND m.status <> 'planned' \
                        AND reminders.dedupe_key = reminders.rule || ':' \
                        || CAST(m.gp_id AS TEXT) || ':' || SUBSTR(CAST(m.held_on AS TEXT), 1, 7))"
        .to_string();

    // what the daily supply check found (`supply::watch`), one finding a row
    let supply_watch = |rule: &str| {
        format!(
            "SELECT w.gp_id, w.scheme_id AS subject_id, w.period AS period, s.name AS label, \
             w.link AS link, CAST(NULL AS DATE) AS due_on, CAST(NULL AS BIGINT) AS hint \
             FROM supply_watch w JOIN schemes s ON s.id = w.scheme_id \
             WHERE w.rule = '{rule}' AND s.status <> 'decommissioned'"
        )
    };
    let supply_watch_cleared = "NOT EXISTS (SELECT 1 FROM supply_watch w \
                                WHERE w.rule = reminders.rule AND w.scheme_id = reminders.subject_id \
                                AND reminders.dedupe_key = reminders.rule || ':' \
                                || CAST(w.scheme_id AS TEXT) || ':' || w.period)"
        .to_string();

    let this_month = first_of_month(today);
    let last_month = first_of_month(this_month - Duration::days(1));
    let last_month_end = this_month - Duration::days(1);
    let life_early = months_ahead(today, cfg.asset_life_months_early);
    let life_late = months_ahead(today, cfg.asset_life_months_late);
    let design_end = months_ahead(today, cfg.design_end_months);

    let mut rules = vec![
        Rule {
            name: "task_due_soon",
            subject_kind: "task",
            candidates: task("t.due_on >= ? AND t.due_on <= ?"),
            binds: vec![D(today), D(today + Duration::days(cfg.task_due_soon_days))],
            audience: vec![ResponsibleOrMembers],
            // done, or overdue now (the overdue reminder takes over)
            cleared: "EXISTS (SELECT 1 FROM maintenance_tasks t WHERE t.id = reminders.subject_id \
                      AND (t.state <> 'open' OR t.deadline_on < ?))"
                .into(),
            cleared_binds: vec![D(today - Duration::days(maintenance.grace_days))],
            daily: false,
        },
        Rule {
            name: "task_overdue",
            subject_kind: "task",
            candidates: task("t.deadline_on < ?"),
            binds: vec![D(today - Duration::days(maintenance.grace_days))],
            audience: vec![ResponsibleOrMembers, Secretaries],
            cleared: task_cleared.clone(),
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            name: "task_overdue_engineer",
            subject_kind: "task",
            candidates: task("t.deadline_on < ?"),
            binds: vec![D(today
                - Duration::days(maintenance.grace_days + cfg.task_overdue_engineer_days))],
            audience: vec![Engineers],
            cleared: task_cleared.clone(),
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            name: "water_test_overdue",
            subject_kind: "task",
            candidates: task("p.water_quality = TRUE AND t.deadline_on < ?"),
            binds: vec![D(today - Duration::days(maintenance.grace_days))],
            audience: vec![Secretaries, Engineers],
            cleared: task_cleared,
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            name: "water_out_of_range",
            subject_kind: "log",
            candidates: "SELECT l.gp_id, l.id AS subject_id, '' AS period, l.title AS label, \
                         '/schemes/' || CAST(l.scheme_id AS TEXT) AS link, l.done_on AS due_on, \
                         CAST(NULL AS BIGINT) AS hint \
                         FROM maintenance_logs l WHERE l.water_quality = TRUE \
                         AND l.out_of_range = TRUE AND l.done_on >= ? \
                         AND NOT EXISTS (SELECT 1 FROM maintenance_logs n \
                         WHERE n.plan_id = l.plan_id AND n.done_on >= l.done_on AND n.id > l.id \
                         AND n.out_of_range = FALSE)"
                .into(),
            binds: vec![D(today - Duration::days(30))],
            audience: vec![Secretaries, Engineers],
            // a later reading of the same plan in range clears it
            cleared: "EXISTS (SELECT 1 FROM maintenance_logs l JOIN maintenance_logs n \
                      ON n.plan_id = l.plan_id AND n.done_on >= l.done_on AND n.id > l.id \
                      WHERE l.id = reminders.subject_id AND n.out_of_range = FALSE)"
                .into(),
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            // a contamination incident's step past its deadline (the period is the step, so
            // each late step reminds once); cleared when the incident moves on or ends
            name: "water_incident_overdue",
            subject_kind: "water_incident",
            candidates: water_incident("i.due_on < ?"),
            binds: vec![D(today)],
            audience: vec![Secretaries, Engineers],
            cleared: water_incident_moved.clone(),
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            name: "water_incident_overdue_district",
            subject_kind: "water_incident",
            candidates: water_incident("i.due_on < ?"),
            binds: vec![D(today - Duration::days(water.district_after_days))],
            audience: vec![Officers],
            cleared: water_incident_moved,
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            name: "breakdown_unacknowledged",
            subject_kind: "breakdown",
            candidates: breakdown("b.acknowledged_at IS NULL AND b.ack_due_at < ?")
                .replace("{period}", "ack"),
            binds: vec![At(now)],
            audience: vec![Secretaries],
            cleared: format!(
                "EXISTS (SELECT 1 FROM breakdowns b WHERE b.id = reminders.subject_id \
                 AND (b.acknowledged_at IS NOT NULL OR b.status NOT IN {OPEN_BREAKDOWN}))"
            ),
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            name: "breakdown_escalated",
            subject_kind: "breakdown",
            candidates: breakdown("b.escalation_level >= 1").replace("{period}", "L1"),
            binds: vec![],
            audience: vec![Engineers],
            cleared: breakdown_closed.clone(),
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            name: "breakdown_escalated_district",
            subject_kind: "breakdown",
            candidates: breakdown("b.escalation_level >= 2").replace("{period}", "L2"),
            binds: vec![],
            audience: vec![Officers],
            cleared: breakdown_closed,
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            name: "action_due_soon",
            subject_kind: "action_item",
            candidates: action("a.due_on >= ? AND a.due_on <= ?"),
            binds: vec![D(today), D(today + Duration::days(cfg.action_due_soon_days))],
            audience: vec![ResponsibleOrSecretaries],
            // closed, or past its due date (the overdue reminder takes over)
            cleared: "EXISTS (SELECT 1 FROM action_items a WHERE a.id = reminders.subject_id \
                      AND (a.status <> 'open' OR a.due_on < ?))"
                .into(),
            cleared_binds: vec![D(today)],
            daily: false,
        },
        Rule {
            name: "action_overdue",
            subject_kind: "action_item",
            candidates: action("a.due_on < ?"),
            binds: vec![D(today)],
            audience: vec![ResponsibleOrSecretaries, Secretaries],
            cleared: action_closed,
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            name: "asset_life_early",
            subject_kind: "asset",
            // not those already within the later window: that reminder is theirs
            candidates: asset_life.clone(),
            binds: vec![D(life_late + Duration::days(1)), D(life_early)],
            audience: vec![Secretaries],
            // the later reminder takes over once the asset is within its window
            cleared: format!(
                "({asset_life_cleared} OR EXISTS (SELECT 1 FROM assets a \
                 WHERE a.id = reminders.subject_id AND a.end_of_life_on <= ?))"
            ),
            cleared_binds: vec![D(life_late)],
            daily: false,
        },
        Rule {
            name: "asset_life_late",
            subject_kind: "asset",
            candidates: asset_life.clone(),
            binds: vec![D(today), D(life_late)],
            audience: vec![Secretaries, Engineers],
            cleared: asset_life_cleared,
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            name: "asset_warranty",
            subject_kind: "asset",
            candidates: format!(
                "SELECT a.gp_id, a.id AS subject_id, '' AS period, a.name AS label, \
                 '/assets/' || CAST(a.id AS TEXT) AS link, a.warranty_until AS due_on, \
                 CAST(NULL AS BIGINT) AS hint \
                 FROM assets a WHERE a.status IN {ASSET_IN_SERVICE} \
                 AND a.warranty_until >= ? AND a.warranty_until <= ?"
            ),
            binds: vec![D(today), D(today + Duration::days(cfg.warranty_days))],
            audience: vec![Secretaries],
            cleared: format!(
                "EXISTS (SELECT 1 FROM assets a WHERE a.id = reminders.subject_id \
                 AND (a.status NOT IN {ASSET_IN_SERVICE} OR a.warranty_until IS NULL \
                 OR a.warranty_until <> reminders.due_on))"
            ),
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            name: "scheme_design_end",
            subject_kind: "scheme",
            candidates: "SELECT s.gp_id, s.id AS subject_id, '' AS period, s.name AS label, \
                         '/schemes/' || CAST(s.id AS TEXT) AS link, s.design_end_on AS due_on, \
                         CAST(NULL AS BIGINT) AS hint \
                         FROM schemes s WHERE s.status <> 'decommissioned' \
                         AND s.design_end_on >= ? AND s.design_end_on <= ?"
                .into(),
            binds: vec![D(today), D(design_end)],
            audience: vec![Secretaries, Engineers],
            cleared: "EXISTS (SELECT 1 FROM schemes s WHERE s.id = reminders.subject_id \
                      AND (s.status = 'decommissioned' OR s.design_end_on IS NULL \
                      OR s.design_end_on > reminders.due_on))"
                .into(),
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            // No log in the N days before today; only schemes that log their supply (one log
            // at least) and were made before the gap began.
            name: "supply_not_logged",
            subject_kind: "scheme",
            candidates: "SELECT s.gp_id, s.id AS subject_id, \
                         (SELECT CAST(MAX(l.supply_on) AS TEXT) FROM supply_logs l \
                         WHERE l.scheme_id = s.id) AS period, s.name AS label, \
                         '/schemes/' || CAST(s.id AS TEXT) || '/supply' AS link, \
                         CAST(NULL AS DATE) AS due_on, CAST(NULL AS BIGINT) AS hint \
                         FROM schemes s WHERE s.status <> 'decommissioned' AND s.created_at < ? \
                         AND EXISTS (SELECT 1 FROM supply_logs l WHERE l.scheme_id = s.id) \
                         AND NOT EXISTS (SELECT 1 FROM supply_logs l WHERE l.scheme_id = s.id \
                         AND l.supply_on >= ?)"
                .into(),
            binds: vec![
                At(now - Duration::days(cfg.supply_not_logged_days)),
                D(today - Duration::days(cfg.supply_not_logged_days)),
            ],
            audience: vec![ResponsibleOrMembers, Secretaries],
            cleared: "EXISTS (SELECT 1 FROM schemes s WHERE s.id = reminders.subject_id \
                      AND (s.status = 'decommissioned' OR EXISTS (SELECT 1 FROM supply_logs l \
                      WHERE l.scheme_id = s.id AND l.supply_on >= ?)))"
                .into(),
            cleared_binds: vec![D(today - Duration::days(cfg.supply_not_logged_days))],
            daily: false,
        },
        Rule {
            // The daily supply check (`supply::watch`) found the scheme's last
            // `supply_lpcd_low_days` logged days below its state's lpcd norm; period = the
            // run's first day. Cleared once the check no longer finds that run.
            name: "supply_lpcd_low",
            subject_kind: "scheme",
            candidates: supply_watch("supply_lpcd_low"),
            binds: vec![],
            audience: vec![Secretaries, Engineers],
            cleared: supply_watch_cleared.clone(),
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            // The daily supply check found energy per kL up by `supply_energy_rise_percent`
            // over three months on the three before: service the pump (the link leads to the
            // pump service plan's open task when there is one).
            name: "supply_energy_rising",
            subject_kind: "scheme",
            candidates: supply_watch("supply_energy_rising"),
            binds: vec![],
            audience: vec![Secretaries, Engineers],
            cleared: supply_watch_cleared,
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            // The tests left in a GP's unexpired kit batches (their tests less the FTK tests
            // naming them) below the threshold, once it has received any; the period is its
            // latest delivery, so running low again after a refill reminds again.
            name: "ftk_refills_low",
            subject_kind: "gp",
            candidates: format!(
                "SELECT g.id AS gp_id, g.id AS subject_id, \
                 (SELECT CAST(MAX(b.received_on) AS TEXT) FROM water_kit_batches b \
                 WHERE b.gp_id = g.id) AS period, g.name AS label, \
                 '/water-quality/kits?gp=' || CAST(g.id AS TEXT) AS link, \
                 CAST(NULL AS DATE) AS due_on, CAST(NULL AS BIGINT) AS hint \
                 FROM places g WHERE g.id IN (SELECT b.gp_id FROM water_kit_batches b) \
                 AND {} < ?",
                kit_tests_left("g.id")
            ),
            binds: vec![D(today), Int(cfg.ftk_low_tests)],
            audience: vec![Secretaries],
            cleared: format!("{} >= ?", kit_tests_left("reminders.subject_id")),
            cleared_binds: vec![D(today), Int(cfg.ftk_low_tests)],
            daily: false,
        },
        Rule {
            // A batch with tests left that expires within N days (not yet expired).
            name: "ftk_kits_expiring",
            subject_kind: "kit_batch",
            candidates: format!(
                "SELECT b.gp_id, b.id AS subject_id, CAST(b.expires_on AS TEXT) AS period, \
                 b.batch AS label, '/water-quality/kits?gp=' || CAST(b.gp_id AS TEXT) AS link, \
                 b.expires_on AS due_on, CAST(NULL AS BIGINT) AS hint \
                 FROM water_kit_batches b WHERE b.expires_on >= ? AND b.expires_on <= ? \
                 AND b.tests > {}",
                KIT_BATCH_USED
            ),
            binds: vec![D(today), D(today + Duration::days(cfg.ftk_expiry_days))],
            audience: vec![Secretaries],
            // used up, or expired (the low-stock reminder counts it out from then)
            cleared: format!(
                "EXISTS (SELECT 1 FROM water_kit_batches b WHERE b.id = reminders.subject_id \
                 AND (b.expires_on < ? OR b.tests <= {KIT_BATCH_USED}))"
            ),
            cleared_binds: vec![D(today)],
            daily: false,
        },
        Rule {
            name: "meeting_missed",
            subject_kind: "gp",
            candidates: committee_gp.clone(),
            binds: vec![
                T(month_key(last_month)),
                D(last_month),
                D(last_month),
                D(last_month_end),
            ],
            audience: vec![Secretaries, Engineers],
            cleared: meeting_held.clone(),
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            name: "demands_not_raised",
            subject_kind: "gp",
            candidates: "SELECT tp.gp_id, tp.gp_id AS subject_id, ? AS period, \
                         p2.name AS label, '/demands' AS link, CAST(NULL AS DATE) AS due_on, \
                         CAST(NULL AS BIGINT) AS hint \
                         FROM (SELECT DISTINCT gp_id FROM tariff_plans WHERE effective_from <= ?) tp \
                         JOIN places p2 ON p2.id = tp.gp_id \
                         WHERE p2.active = TRUE AND NOT EXISTS (SELECT 1 FROM demand_runs d \
                         WHERE d.gp_id = tp.gp_id AND d.month = ? AND d.cancelled_at IS NULL)"
                .into(),
            binds: vec![T(month_key(this_month)), D(this_month), D(this_month)],
            audience: vec![Secretaries],
            cleared: "EXISTS (SELECT 1 FROM demand_runs d WHERE d.gp_id = reminders.subject_id \
                      AND d.cancelled_at IS NULL AND reminders.dedupe_key = reminders.rule \
                      || ':' || CAST(d.gp_id AS TEXT) || ':' || SUBSTR(CAST(d.month AS TEXT), 1, 7))"
                .into(),
            cleared_binds: vec![],
            daily: false,
        },
        Rule {
            name: "no_collection",
            subject_kind: "gp",
            candidates: "SELECT d.gp_id, d.gp_id AS subject_id, ? AS period, p2.name AS label, \
                         '/payments' AS link, CAST(NULL AS DATE) AS due_on, \
                         CAST(NULL AS BIGINT) AS hint \
                         FROM (SELECT DISTINCT gp_id FROM demand_runs WHERE month = ? \
                         AND cancelled_at IS NULL) d JOIN places p2 ON p2.id = d.gp_id \
                         WHERE p2.active = TRUE AND NOT EXISTS (SELECT 1 FROM payments y \
                         WHERE y.gp_id = d.gp_id AND y.paid_on >= ? AND y.paid_on <= ? \
                         AND y.cancelled_at IS NULL)"
                .into(),
            binds: vec![
                T(month_key(last_month)),
                D(last_month),
                D(last_month),
                D(last_month_end),
            ],
            audience: vec![Secretaries],
            cleared: "EXISTS (SELECT 1 FROM payments y WHERE y.gp_id = reminders.subject_id \
                      AND y.cancelled_at IS NULL AND reminders.dedupe_key = reminders.rule \
                      || ':' || CAST(y.gp_id AS TEXT) || ':' || SUBSTR(CAST(y.paid_on AS TEXT), 1, 7))"
                .into(),
            cleared_binds: vec![],
            daily: false,
        },
    ];
    // Once a month, the defaulters list: households with `defaulter_months` or more unpaid
    // months, counted per GP (the ledger's oldest-first settlement, over every GP: costly, so
    // once a day); it resolves when the month ends.
    rules.push(Rule {
        name: "defaulters_ready",
        subject_kind: "gp",
        candidates: format!(
            "{unpaid} SELECT h.gp_id, h.gp_id AS subject_id, ? AS period, \
             CAST(COUNT(*) AS TEXT) AS label, '/defaulters' AS link, \
             CAST(NULL AS DATE) AS due_on, CAST(NULL AS BIGINT) AS hint \
             FROM (SELECT household_id FROM u WHERE unpaid > 0 GROUP BY household_id \
             HAVING COUNT(*) >= ?) x JOIN households h ON h.id = x.household_id \
             GROUP BY h.gp_id",
            unpaid = crate::billing::ledger::unpaid_sql_all()
        ),
        binds: vec![
            D(this_month - Duration::days(1)),
            T(month_key(this_month)),
            Bind::Int(defaulter_months),
        ],
        audience: vec![Secretaries],
        cleared: "reminders.created_at < ?".into(),
        cleared_binds: vec![At(
            this_month.and_hms_opt(0, 0, 0).unwrap_or(now) - Duration::minutes(330)
        )],
        daily: true,
    });
    // This month's meeting is due only from the configured day on.
    if today.day() >= cfg.meeting_due_day {
        rules.push(Rule {
            name: "meeting_due",
            subject_kind: "gp",
            candidates: committee_gp.clone(),
            binds: vec![
                T(month_key(this_month)),
                D(this_month),
                D(this_month),
                D(today),
            ],
            audience: vec![Secretaries],
            cleared: meeting_held,
            cleared_binds: vec![],
            daily: false,
        });
    }
    if today.day() < cfg.demands_due_day {
        rules.retain(|r| r.name != "demands_not_raised");
    }
    for r in &mut rules {
        if let Some(names) = cfg.audiences.get(r.name) {
            r.audience = names.iter().filter_map(|n| Audience::parse(n)).collect();
        }
    }
    rules
}

/// The rules whose label is the GP's name (as raised, in English): pages name the GP again in
/// the reader's language ([`super::model::name_subjects`]).
pub const GP_NAMED: [&str; 5] = [
    "ftk_refills_low",
    "meeting_missed",
    "meeting_due",
    "demands_not_raised",
    "no_collection",
];

/// The names of every rule (for `--only` and the runs page), in the order they run.
pub const NAMES: &[&str] = &[
    "task_due_soon",
    "task_overdue",
    "task_overdue_engineer",
    "water_test_overdue",
    "water_out_of_range",
    "water_incident_overdue",
    "water_incident_overdue_district",
    "breakdown_unacknowledged",
    "breakdown_escalated",
    "breakdown_escalated_district",
    "action_due_soon",
    "action_overdue",
    "asset_life_early",
    "asset_life_late",
    "asset_warranty",
    "scheme_design_end",
    "supply_not_logged",
    "supply_lpcd_low",
    "supply_energy_rising",
    "ftk_refills_low",
    "ftk_kits_expiring",
    "meeting_missed",
    "demands_not_raised",
    "no_collection",
    "defaulters_ready",
    "meeting_due",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_named_once() {
        let cfg = crate::config::Config::defaults();
        let day = NaiveDate::from_ymd_opt(2027, 3, 25).unwrap();
        let now = day.and_hms_opt(4, 0, 0).unwrap();
        let mut cfg = cfg;
        cfg.reminders.audiences.insert(
            "task_overdue".into(),
            vec!["engineers".into(), "officers".into()],
        );
        let rules = all(
            &cfg.reminders,
            &cfg.maintenance,
            &cfg.water_quality.incidents,
            3,
            day,
            now,
        );
        let overdue = rules.iter().find(|r| r.name == "task_overdue").unwrap();
        assert_eq!(
            overdue.audience,
            vec![Audience::Engineers, Audience::Officers]
        );
        for r in &rules {
            assert!(NAMES.contains(&r.name), "{} is not in NAMES", r.name);
            // bind marks outside string literals (a link such as '/kits?gp=' is not one)
            let marks = |sql: &str| {
                let mut in_str = false;
                sql.chars()
                    .filter(|c| {
                        if *c == '\'' {
                            in_str = !in_str;
                        }
                        *c == '?' && !in_str
                    })
                    .count()
            };
            assert_eq!(marks(&r.candidates), r.binds.len(), "{}: binds", r.name);
            assert_eq!(
                marks(&r.cleared),
                r.cleared_binds.len(),
                "{}: cleared",
                r.name
            );
        }
        assert_eq!(rules.len(), NAMES.len(), "on the 25th every rule runs");
        // early in the month neither this month's meeting nor the demands are due yet
        let early = NaiveDate::from_ymd_opt(2027, 3, 2).unwrap();
        let names: Vec<&str> = all(
            &cfg.reminders,
            &cfg.maintenance,
            &cfg.water_quality.incidents,
            3,
            early,
            now,
        )
        .iter()
        .map(|r| r.name)
        .collect();
        assert!(!names.contains(&"meeting_due") && !names.contains(&"demands_not_raised"));
    }
}
