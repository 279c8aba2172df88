//! The register's use cases: the checks of a household as typed, adding and changing one (each
//! one audited transaction) and importing a CSV file (previewed, then written in one
//! transaction with one audit line).

use super::model::{self, find, find_in_scope, Checked, Household};
use super::{column_of, own_gp, utf8_text, HouseholdInput, Status, COLUMNS, REQUIRED};
use crate::audit::{audited, Action, By, Detail, Entity, Log};
use crate::auth::{Actor, Scope};
use crate::context::Ctx;
use crate::db::schema::{households, places, schemes};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::places::{Level, Place};
use crate::schemes::Scheme;
use crate::web::csv::{self as csvw, row_error, ImportReport, RowError};
use crate::web::forms;
use crate::web::i18n::today_in_india;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Add a household to the register, with its audit line (the page and the API).
pub fn add_household(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    input: &HouseholdInput,
) -> AppResult<Household> {
    let cats = &ctx.config.billing.categories;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let h = create(c, actor, cats, input, now)?;
        log.add(
            Action::Create,
            Entity::Household,
            Some(h.id),
            household_detail(&h),
        );
        Ok(h)
    })
}

/// Change household `id`, with its audit line. The household is found in the actor's scope
/// before the input is looked at (a foreign id is not found whatever is sent); `fill` gives
/// the input from the stored household (the page sends every field, the API only those that
/// change).
pub fn change_household(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    fill: impl FnOnce(&Household) -> AppResult<HouseholdInput>,
) -> AppResult<Household> {
    let cats = &ctx.config.billing.categories;
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let old = find_in_scope(c, &actor.scope, id)?;
        let input = fill(&old)?;
        let h = update(c, actor, cats, &old, &input, now)?;
        log.add(
            Action::Update,
            Entity::Household,
            Some(id),
            household_detail(&h),
        );
        Ok(h)
    })
}

/// A household as the log names it: its connection number and the head's name.
fn household_detail(h: &Household) -> Detail {
    Detail::new("audit-detail-household")
        .text("no", &h.connection_no)
        .text("name", &h.head_name)
}

/// Check a CSV file of households and, unless `dry_run`, write it in one transaction with one
/// audit line. A preview only reads: it is checked again, in the write transaction, on
/// confirm.
pub fn import_households(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    data: &[u8],
    dry_run: bool,
) -> AppResult<Outcome> {
    let now = ctx.now();
    let today = today_in_india(now);
    let cats = &ctx.config.billing.categories;
    if dry_run {
        let mut c = ctx.db.conn()?;
        // a preview writes nothing, so its log is dropped unwritten
        import_rows(
            &mut c,
            cats,
            actor,
            &mut Log::default(),
            data,
            true,
            today,
            now,
        )
    } else {
        audited(ctx, By::actor(actor, ip), |c, now, log| {
            import_rows(c, cats, actor, log, data, false, today, now)
        })
    }
}

pub fn check(
    conn: &mut DbConn,
    scope: &Scope,
    categories: &[String],
    input: &HouseholdInput,
    today: NaiveDate,
) -> AppResult<Checked> {
    let mut e = FieldErrors::new();
    // the village must be inside the actor's scope; its GP owns the household
    let village = match input.village_id.trim().parse::<i64>() {
        Ok(id) => scope
            .filter_places(places::table.into_boxed())
            .filter(places::id.eq(id))
            .filter(places::level.eq("village"))
            .select((places::id, places::gp_id))
            .first::<(i64, Option<i64>)>(conn)
            .optional()?
            .and_then(|(v, g)| g.map(|g| (v, g))),
        Err(_) => None,
    };
    if village.is_none() {
        e.add("village_id", "field-invalid-choice");
    }
    let scheme_id = match input.scheme_id.trim() {
        "" => None,
        raw => match (raw.parse::<i64>(), village) {
            (Ok(id), Some((_, gp))) => match crate::schemes::find(conn, id) {
                Ok(s) if s.gp_id == gp => Some(s.id),
                _ => {
                    e.add("scheme_id", "field-invalid-choice");
                    None
                }
            },
            _ => {
                e.add("scheme_id", "field-invalid-choice");
                None
            }
        },
    };
    let connection_no = forms::required_text(
        &input.connection_no,
        crate::web::forms::max::CODE,
        "connection_no",
        &mut e,
    );
    let head_name = forms::required_text(
        &input.head_name,
        crate::web::forms::max::NAME,
        "head_name",
        &mut e,
    );
    let members = forms::optional_int(&input.members, 1, 100, "members", &mut e);
    let category = input.category.trim().to_lowercase();
    if !categories.contains(&category) {
        e.add("category", "field-invalid-choice");
    }
    let exempt_reason = forms::optional_text(
        &input.exempt_reason,
        crate::web::forms::max::LINE,
        "exempt_reason",
        &mut e,
    );
    if category == "exempt" && exempt_reason.is_none() && !e.has("exempt_reason") {
        e.add("exempt_reason", "field-required");
    }
    let connected_on = match input.connected_on.trim() {
        "" => {
            e.add("connected_on", "field-required");
            None
        }
        raw => forms::optional_date(raw, Some(today), "connected_on", &mut e),
    };
    let status = match input.status.trim() {
        "" => Status::Active,
        s => Status::parse(s).unwrap_or_else(|| {
            e.add("status", "field-invalid-choice");
            Status::Active
        }),
    };
    let disconnected_on = forms::optional_date(
        &input.disconnected_on,
        Some(today),
        "disconnected_on",
        &mut e,
    );
    let status_reason = forms::optional_text(
        &input.status_reason,
        crate::web::forms::max::LINE,
        "status_reason",
        &mut e,
    );
    if status != Status::Active {
        if status == Status::Disconnected && disconnected_on.is_none() && !e.has("disconnected_on")
        {
            e.add("disconnected_on", "field-required");
        }
        if status_reason.is_none() && !e.has("status_reason") {
            e.add("status_reason", "field-required");
        }
    }
    let phone = match input.phone.trim() {
        "" => None,
        raw => match crate::auth::normalize_mobile(raw) {
            Some(p) => Some(p),
            None => {
                e.add("phone", "phone-invalid");
                None
            }
        },
    };
    let notes = forms::optional_text(&input.notes, crate::web::forms::max::NOTE, "notes", &mut e);
    e.into_result()?;
    let (village_id, gp_id) = village.expect("checked");
    Ok(Checked {
        gp_id,
        village_id,
        scheme_id,
        connection_no: connection_no.expect("checked").to_uppercase(),
        head_name: head_name.expect("checked"),
        members: members.map(|m| m as i32),
        category,
        exempt_reason,
        connected_on: connected_on.expect("checked"),
        status: status.as_str().to_string(),
        disconnected_on: if status == Status::Active {
            None
        } else {
            disconnected_on
        },
        status_reason: if status == Status::Active {
            None
        } else {
            status_reason
        },
        phone,
        notes,
    })
}

/// Add a household to the register; its connection number must be new in the GP.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    categories: &[String],
    input: &HouseholdInput,
    now: NaiveDateTime,
) -> AppResult<Household> {
    let c = check(
        conn,
        &actor.scope,
        categories,
        input,
        crate::web::i18n::today_in_india(now),
    )?;
    let id = model::insert_checked(conn, &c, now)?;
    find(conn, id)
}

/// Change a household (all fields, as typed).
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    categories: &[String],
    h: &Household,
    input: &HouseholdInput,
    now: NaiveDateTime,
) -> AppResult<Household> {
    let c = check(
        conn,
        &actor.scope,
        categories,
        input,
        crate::web::i18n::today_in_india(now),
    )?;
    if c.gp_id != h.gp_id {
        let mut e = FieldErrors::new();
        e.add("village_id", "household-other-gp");
        return Err(AppError::Validation(e));
    }
    model::update_checked(conn, h.id, &c, now)?;
    find(conn, h.id)
}

// ---- CSV in ----

/// What importing a row will do.
enum Plan {
    Create(Checked),
    Update(i64, Checked),
    Same,
}

/// A row to be added or changed, for the preview.
pub struct Change {
    pub line: usize,
    pub connection_no: String,
    pub head_name: String,
    pub new: bool,
}

/// What an import found (and did): the report and the rows added or changed.
pub struct Outcome {
    pub report: ImportReport,
    pub changes: Vec<Change>,
}

/// What the file's rows point at, looked up once per GP.
#[derive(Default)]
struct Lookups {
    /// GP LGD code as typed → GP id (None: not in the actor's scope).
    gps: HashMap<String, Option<i64>>,
    villages: HashMap<i64, Vec<Place>>,
    schemes: HashMap<i64, Vec<Scheme>>,
    /// The GP's households by connection number.
    households: HashMap<i64, HashMap<String, Household>>,
}

impl Lookups {
    fn gp(&mut self, c: &mut DbConn, scope: &Scope, raw: &str) -> AppResult<Option<i64>> {
        if let Some(found) = self.gps.get(raw) {
            return Ok(*found);
        }
        let found = match crate::places::parse_lgd(raw) {
            Some(code) => scope
                .filter_places(places::table.into_boxed())
                .filter(places::level.eq(Level::Gp.as_str()))
                .filter(places::lgd_code.eq(code))
                .select(places::id)
                .first::<i64>(c)
                .optional()?,
            None => None,
        };
        self.gps.insert(raw.to_string(), found);
        Ok(found)
    }

    fn load(&mut self, c: &mut DbConn, scope: &Scope, gp: i64) -> AppResult<()> {
        if self.villages.contains_key(&gp) {
            return Ok(());
        }
        let villages: Vec<Place> = scope
            .filter_places(places::table.into_boxed())
            .filter(places::level.eq(Level::Village.as_str()))
            .filter(places::gp_id.eq(gp))
            .select(Place::as_select())
            .load(c)?;
        let scheme_list: Vec<Scheme> = schemes::table
            .filter(schemes::gp_id.eq(gp))
            .select(Scheme::as_select())
            .load(c)?;
        let known: Vec<Household> = households::table
            .filter(households::gp_id.eq(gp))
            .select(Household::as_select())
            .load(c)?;
        self.villages.insert(gp, villages);
        self.schemes.insert(gp, scheme_list);
        self.households.insert(
            gp,
            known
                .into_iter()
                .map(|h| (h.connection_no.clone(), h))
                .collect(),
        );
        Ok(())
    }

    /// A village of the GP by LGD code, or by its name (English or Hindi, any case).
    fn village(&self, gp: i64, raw: &str) -> Result<i64, &'static str> {
        let list = self.villages.get(&gp).map(Vec::as_slice).unwrap_or(&[]);
        let hits: Vec<&Place> = match crate::places::parse_lgd(raw) {
            Some(code) => list.iter().filter(|p| p.lgd_code == code).collect(),
            None => {
                let wanted = raw.to_lowercase();
                list.iter()
                    .filter(|p| {
                        p.name.to_lowercase() == wanted || p.name_hi.as_deref() == Some(raw)
                    })
                    .collect()
            }
        };
        match hits.as_slice() {
            [one] => Ok(one.id),
            [] => Err("households-import-unknown-village"),
            _ => Err("households-import-village-ambiguous"),
        }
    }

    fn scheme(&self, gp: i64, raw: &str) -> Option<i64> {
        self.schemes
            .get(&gp)?
            .iter()
            .find(|s| s.code.eq_ignore_ascii_case(raw))
            .map(|s| s.id)
    }
}

/// Check every row, and unless `dry_run` (or a row is wrong) write them all, with one audit
/// line. Runs inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
fn import_rows(
    c: &mut DbConn,
    categories: &[String],
    actor: &Actor,
    log: &mut Log,
    data: &[u8],
    dry_run: bool,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Outcome> {
    let mut out = Outcome {
        report: ImportReport {
            dry_run,
            ..Default::default()
        },
        changes: vec![],
    };
    let report = &mut out.report;
    let Some(text) = utf8_text(data) else {
        report
            .errors
            .push(row_error(0, "-", "households-import-not-utf8", vec![]));
        return Ok(out);
    };
    let own = own_gp(&actor.scope);
    let mut required = REQUIRED.to_vec();
    if own.is_none() {
        required.push("gp_lgd_code");
    }
    let rows = match csvw::named_rows(text.as_bytes(), COLUMNS, &required) {
        Ok(r) => r,
        Err(errors) => {
            report.errors = errors;
            return Ok(out);
        }
    };
    report.rows = rows.len();
    let mut look = Lookups::default();
    let mut seen = HashSet::new();
    let mut plans = vec![];
    for (line, mut m) in rows {
        let mut take = |k: &str| {
            m.remove(k)
                .and_then(|v| v.as_str().map(|s| s.trim().to_string()))
                .unwrap_or_default()
        };
        let (gp_raw, village_raw, scheme_raw) =
            (take("gp_lgd_code"), take("village"), take("scheme_code"));
        let gp = match (gp_raw.as_str(), own) {
            ("", Some(own)) => own,
            ("", None) => {
                report
                    .errors
                    .push(row_error(line, "gp_lgd_code", "field-required", vec![]));
                continue;
            }
            (raw, _) => match look.gp(c, &actor.scope, raw)? {
                Some(gp) => gp,
                None => {
                    report.errors.push(row_error(
                        line,
                        "gp_lgd_code",
                        "households-import-unknown-gp",
                        vec![],
                    ));
                    continue;
                }
            },
        };
        look.load(c, &actor.scope, gp)?;
        let mut input: HouseholdInput = match crate::web::forms::from_json(Value::Object(m), None) {
            Ok(i) => i,
            Err(_) => {
                report
                    .errors
                    .push(row_error(line, "-", "import-row-unreadable", vec![]));
                continue;
            }
        };
        let mut bad = false;
        if village_raw.is_empty() {
            report
                .errors
                .push(row_error(line, "village", "field-required", vec![]));
            bad = true;
        } else {
            match look.village(gp, &village_raw) {
                Ok(id) => input.village_id = id.to_string(),
                Err(key) => {
                    report.errors.push(row_error(line, "village", key, vec![]));
                    bad = true;
                }
            }
        }
        if !scheme_raw.is_empty() {
            match look.scheme(gp, &scheme_raw) {
                Some(id) => input.scheme_id = id.to_string(),
                None => {
                    report.errors.push(row_error(
                        line,
                        "scheme_code",
                        "households-import-unknown-scheme",
                        vec![],
                    ));
                    bad = true;
                }
            }
        }
        let checked = match check(c, &actor.scope, categories, &input, today) {
            Ok(ch) => Some(ch),
            Err(AppError::Validation(fe)) => {
                report.errors.extend(
                    fe.0.into_iter()
                        // the village and scheme were reported above already
                        .filter(|e| {
                            !(bad && matches!(e.field.as_str(), "village_id" | "scheme_id"))
                        })
                        .map(|mut e| {
                            e.field = column_of(&e.field).to_string();
                            RowError { line, error: e }
                        }),
                );
                None
            }
            Err(e) => return Err(e),
        };
        let Some(checked) = checked.filter(|_| !bad) else {
            continue;
        };
        let (gp_id, number) = checked.key();
        if !seen.insert((gp_id, number.to_string())) {
            report.errors.push(row_error(
                line,
                "connection_no",
                "households-import-twice",
                vec![],
            ));
            continue;
        }
        let existing = look
            .households
            .get(&gp_id)
            .and_then(|known| known.get(number));
        let plan = match existing {
            None => Plan::Create(checked),
            Some(h) if checked.same_as(h) => Plan::Same,
            Some(h) => Plan::Update(h.id, checked),
        };
        plans.push((line, plan));
    }
    if !report.errors.is_empty() {
        return Ok(out);
    }
    for (line, plan) in plans {
        let (checked, new) = match plan {
            Plan::Same => {
                report.unchanged += 1;
                continue;
            }
            Plan::Create(ch) => {
                report.created += 1;
                if !dry_run {
                    model::insert_checked(c, &ch, now)?;
                }
                (ch, true)
            }
            Plan::Update(id, ch) => {
                report.updated += 1;
                if !dry_run {
                    model::update_checked(c, id, &ch, now)?;
                }
                (ch, false)
            }
        };
        out.changes.push(Change {
            line,
            connection_no: checked.connection_no,
            head_name: checked.head_name,
            new,
        });
    }
    if !dry_run {
        log.add(
            Action::Import,
            Entity::Household,
            None,
            Detail::new("audit-detail-import")
                .count("rows", report.rows)
                .count("created", report.created)
                .count("updated", report.updated)
                .count("unchanged", report.unchanged),
        );
    }
    Ok(out)
}

// ---- changed meanwhile ----

/// Before a payment sent from a device: a household in scope disconnected after the device
/// last saw it (`Paani-Seen-At`) is a change to decide on, unless the user chose
/// `send_anyway` (the money was collected). Without that time, or for a household not found
/// (the payment's own checks say so), nothing to decide.
pub fn still_connected(
    conn: &mut DbConn,
    scope: &Scope,
    household_id: &str,
    resend: crate::web::changed::Resend,
) -> AppResult<()> {
    use crate::web::changed::{ChangeKind, Changed, Choice};
    let (Some(seen), Ok(id)) = (resend.seen_at, household_id.trim().parse::<i64>()) else {
        return Ok(());
    };
    let Ok(h) = find_in_scope(conn, scope, id) else {
        return Ok(());
    };
    let disconnected_since = h.status == Status::Disconnected.as_str() && h.updated_at > seen;
    if !disconnected_since || resend.chose(Choice::SendAnyway) {
        return Ok(());
    }
    let reason = h.status_reason.clone().unwrap_or_default();
    let key = if reason.trim().is_empty() {
        "conflict-household-summary"
    } else {
        "conflict-household-summary-why"
    };
    let date = h
        .disconnected_on
        .unwrap_or_else(|| today_in_india(h.updated_at));
    Err(Changed::new(
        ChangeKind::HouseholdDisconnected,
        key,
        format!("/households/{}", h.id),
    )
    .text("no", &h.connection_no)
    .text("name", &h.head_name)
    .text("date", crate::web::i18n::format_date(date))
    .text("reason", reason)
    .field("status", &h.status)
    .field("connection_no", &h.connection_no)
    .field("head_name", &h.head_name)
    .field("disconnected_on", h.disconnected_on)
    .field("status_reason", &h.status_reason)
    .field("updated_at", crate::clock::utc::text(&h.updated_at))
    .into_error())
}
