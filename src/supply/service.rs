//! Supply use cases: log a day (or correct an older one), set a scheme's schedule, each
//! checked and written with its audit row in one transaction; and the figures a page or the
//! API shows: a month's figures and functionality, the last days' rows.

use super::devices::DeviceReading;
use super::figures::{self, Figures, Interval, Period, Session};
use super::model::{self, LogValues, Meter, Schedule, SupplyLog};
use super::{
    Criterion, Functionality, LogInput, MeterEvent, Norms, Reason, ScheduleInput, Source, Supplied,
    MEMBER_EDIT_DAYS,
};
use crate::audit::{self, Action, By, Detail, Entity};
use crate::auth::{Actor, Verb};
use crate::config::Config;
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::schemes::Scheme;
use crate::web::forms;
use crate::web::i18n::today_in_india;
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use serde::Serialize;

/// The most a meter reading may be: 10¹³ litres or watt-hours.
const MAX_READING: i64 = 10_000_000_000_000;

/// A scheme's usual supply: its own schedule, or the configuration's.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Usual {
    /// "06:00-08:00,17:00-19:00".
    pub sessions: String,
    pub days_per_week: i64,
    pub minutes_per_day: i64,
    /// Set for this scheme (else the configured default).
    pub own: bool,
}

pub fn usual(conn: &mut DbConn, config: &Config, scheme: &Scheme) -> AppResult<Usual> {
    let (text, days, own) = match model::schedule_of(conn, scheme.gp_id, scheme.id)? {
        Some(s) => (s.sessions, i64::from(s.days_per_week), true),
        None => (
            config.supply.sessions.join(","),
            config.supply.days_per_week,
            false,
        ),
    };
    let sessions = figures::parse_sessions(&text).unwrap_or_default();
    Ok(Usual {
        sessions: figures::sessions_text(&sessions),
        days_per_week: days,
        minutes_per_day: figures::total_minutes(&sessions),
        own,
    })
}

/// The norms the scheme is measured against (its state's).
pub fn norms_of(conn: &mut DbConn, config: &Config, scheme: &Scheme) -> AppResult<Norms> {
    let state = model::state_lgd_of(conn, scheme.gp_id)?;
    Ok(Norms::for_state(&config.supply, state))
}

/// `raw` as a whole number of thousandths (a reading in kL as litres, in kWh as Wh), digits
/// in either script, at most three decimals; `None` when it is not one.
pub fn thousandths(raw: &str) -> Option<i64> {
    let v = forms::ascii_digits(raw.trim()).replace(',', "");
    let (whole, frac) = v.split_once('.').unwrap_or((&v, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 3
        || whole.len() > 12
    {
        return None;
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let f: i64 = format!("{frac:0<3}").parse().ok()?;
    w.checked_mul(1000)?.checked_add(f)
}

/// Litres (or Wh) as kL (or kWh) with three decimals.
pub fn as_thousands(n: i64) -> String {
    format!("{}.{:03}", n / 1000, n % 1000)
}

fn reading(raw: &str, field: &str, e: &mut FieldErrors) -> Option<i64> {
    if raw.trim().is_empty() {
        return None;
    }
    match thousandths(raw) {
        Some(v) if v <= MAX_READING => Some(v),
        Some(_) => {
            e.add(field, "supply-reading-too-large");
            None
        }
        None if raw.trim().starts_with(['-', '\u{2212}']) => {
            e.add(field, "field-negative");
            None
        }
        None => {
            e.add(field, "supply-reading-invalid");
            None
        }
    }
}

/// A meter's reading, its event and capacity, checked against the readings before and after it.
struct MeterInput<'a> {
    meter: Meter,
    value: &'a str,
    event: &'a str,
    capacity: &'a str,
    fields: [&'static str; 3],
}

fn check_meter(
    conn: &mut DbConn,
    scheme: &Scheme,
    day: Option<NaiveDate>,
    m: MeterInput<'_>,
    e: &mut FieldErrors,
) -> AppResult<(Option<i64>, MeterEvent, Option<i64>)> {
    let [f_value, f_event, f_capacity] = m.fields;
    let value = reading(m.value, f_value, e);
    let event = match m.event.trim() {
        "" => MeterEvent::None,
        t => MeterEvent::parse(t).unwrap_or_else(|| {
            e.add(f_event, "field-invalid-choice");
            MeterEvent::None
        }),
    };
    let capacity = reading(m.capacity, f_capacity, e);
    let (Some(value), Some(day)) = (value, day) else {
        return Ok((value, MeterEvent::None, None));
    };
    let prev = model::reading_before(conn, scheme.gp_id, scheme.id, day, m.meter)?;
    let prev = prev.and_then(|p| match m.meter {
        Meter::Bulk => p.bulk_meter_litres,
        Meter::Energy => p.energy_meter_wh,
    });
    // A correction of an older day must not make the next reading look lower: that would
    // read as a roll-over nobody marked. A next day marked rolled over (with a capacity at
    // least this reading) or replaced explains the drop.
    let next = model::reading_after(conn, scheme.gp_id, scheme.id, day, m.meter)?;
    let next = next.and_then(|n| match m.meter {
        Meter::Bulk => n.bulk_reading(),
        Meter::Energy => n.energy_reading(),
    });
    if let Some(n) = next {
        let explained = match n.event {
            MeterEvent::None => false,
            MeterEvent::Replaced => true,
            MeterEvent::RolledOver => n.capacity.is_some_and(|c| value <= c),
        };
        if value > n.value && !explained {
            e.add_with(
                f_value,
                "supply-reading-above-next",
                &[
                    ("next", as_thousands(n.value)),
                    ("date", crate::web::i18n::format_date(n.day)),
                ],
            );
        }
    }
    match event {
        MeterEvent::None => {
            if let Some(p) = prev.filter(|p| value < *p) {
                e.add_with(
                    f_value,
                    "supply-reading-lower",
                    &[("previous", as_thousands(p))],
                );
                e.add(f_event, "supply-meter-say-which");
            }
            Ok((Some(value), event, None))
        }
        MeterEvent::Replaced => Ok((Some(value), event, None)),
        MeterEvent::RolledOver => {
            match capacity {
                None => e.add(f_capacity, "supply-capacity-required"),
                Some(c) if c < value || prev.is_some_and(|p| c < p) => {
                    e.add(f_capacity, "supply-capacity-too-small")
                }
                Some(_) => {}
            }
            Ok((Some(value), event, capacity))
        }
    }
}

/// The days an actor may log: a member today and the [`MEMBER_EDIT_DAYS`] before; a
/// secretary (or admin) any day up to today; anyone else (an engineer, an officer) none.
pub fn may_edit(actor: &Actor, day: NaiveDate, today: NaiveDate) -> bool {
    actor.can(Verb::LogSupply)
        && day <= today
        && (actor.can(Verb::CorrectSupply) || day >= today - Duration::days(MEMBER_EDIT_DAYS))
}

/// Check a day's input for a scheme; the values to store.
pub fn check_log(
    conn: &mut DbConn,
    config: &Config,
    actor: &Actor,
    scheme: &Scheme,
    input: &LogInput,
    now: NaiveDateTime,
) -> AppResult<LogValues> {
    let today = today_in_india(now);
    let mut e = FieldErrors::new();
    let day = match input.supply_on.trim() {
        "" => Some(today),
        raw => match forms::parse_date(raw) {
            None => {
                e.add("supply_on", "field-bad-date");
                None
            }
            Some(d) if d > today => {
                e.add("supply_on", "supply-day-in-future");
                None
            }
            Some(d) if !may_edit(actor, d, today) => {
                e.add_with(
                    "supply_on",
                    "supply-day-too-old",
                    &[("days", MEMBER_EDIT_DAYS.to_string())],
                );
                None
            }
            Some(d) => Some(d),
        },
    };
    let supplied = Supplied::parse(&input.supplied).or_else(|| {
        e.add("supplied", "field-invalid-choice");
        None
    });
    let reason = match (supplied, input.reason.trim()) {
        (Some(Supplied::AsUsual), _) | (None, _) => None,
        (Some(_), "") => {
            e.add("reason", "supply-reason-required");
            None
        }
        (Some(_), r) => Reason::parse(r).or_else(|| {
            e.add("reason", "field-invalid-choice");
            None
        }),
    };
    let typed = forms::optional_text(&input.sessions, forms::max::SHORT, "sessions", &mut e);
    let sessions: Vec<Session> = match (supplied, typed.as_deref().unwrap_or("")) {
        (Some(Supplied::None), _) | (None, _) => vec![],
        (Some(s), raw) => match figures::parse_sessions(raw) {
            None => {
                e.add("sessions", "supply-sessions-invalid");
                vec![]
            }
            Some(v) if v.is_empty() && s == Supplied::AsUsual => {
                let u = usual(conn, config, scheme)?;
                figures::parse_sessions(&u.sessions).unwrap_or_default()
            }
            Some(v) if v.is_empty() => {
                e.add("sessions", "supply-sessions-required");
                vec![]
            }
            Some(v) => v,
        },
    };
    let pumping_minutes = match input.pumping_hours.trim() {
        "" => None,
        raw => match forms::parse_decimal(raw) {
            Some(h) if (0.0..=24.0).contains(&h) => Some((h * 60.0).round() as i32),
            Some(_) => {
                e.add_with(
                    "pumping_hours",
                    "field-out-of-range",
                    &[("min", "0".into()), ("max", "24".into())],
                );
                None
            }
            None => {
                e.add("pumping_hours", "field-not-a-number");
                None
            }
        },
    };
    let (bulk, bulk_event, bulk_capacity) = check_meter(
        conn,
        scheme,
        day,
        MeterInput {
            meter: Meter::Bulk,
            value: &input.bulk_meter_kl,
            event: &input.bulk_meter_event,
            capacity: &input.bulk_meter_capacity_kl,
            fields: [
                "bulk_meter_kl",
                "bulk_meter_event",
                "bulk_meter_capacity_kl",
            ],
        },
        &mut e,
    )?;
    let (energy, energy_event, energy_capacity) = check_meter(
        conn,
        scheme,
        day,
        MeterInput {
            meter: Meter::Energy,
            value: &input.energy_meter_kwh,
            event: &input.energy_meter_event,
            capacity: &input.energy_meter_capacity_kwh,
            fields: [
                "energy_meter_kwh",
                "energy_meter_event",
                "energy_meter_capacity_kwh",
            ],
        },
        &mut e,
    )?;
    let chlorine = forms::optional_int(
        &input.chlorine_grams,
        0,
        1_000_000,
        "chlorine_grams",
        &mut e,
    );
    let note = forms::optional_text(&input.note, forms::max::NOTE, "note", &mut e);
    e.into_result()?;
    let (Some(day), Some(supplied)) = (day, supplied) else {
        return Err(AppError::BadRequest("error-bad-request".into()));
    };
    let minutes = figures::total_minutes(&sessions);
    Ok(LogValues {
        gp_id: scheme.gp_id,
        scheme_id: scheme.id,
        supply_on: day,
        source: Source::Person.as_str().into(),
        supplied: supplied.as_str().into(),
        reason: reason.map(|r| r.as_str().into()),
        sessions: figures::sessions_text(&sessions),
        supply_minutes: i32::try_from(minutes).unwrap_or(0),
        pumping_minutes,
        bulk_meter_litres: bulk,
        bulk_meter_event: bulk_event.as_str().into(),
        bulk_meter_capacity_litres: bulk_capacity,
        energy_meter_wh: energy,
        energy_meter_event: energy_event.as_str().into(),
        energy_meter_capacity_wh: energy_capacity,
        chlorine_grams: chlorine.and_then(|c| i32::try_from(c).ok()),
        note,
        recorded_by: Some(actor.user.id),
        updated_at: now,
    })
}

/// Log a day's supply of a scheme in the actor's scope (or change that day's log); the row
/// and whether it is new.
pub fn save_log(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    scheme_id: i64,
    input: LogInput,
) -> AppResult<(SupplyLog, bool)> {
    actor.require(Verb::LogSupply)?;
    let config = ctx.config.clone();
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let scheme = crate::schemes::find_in_scope(c, &actor.scope, scheme_id)?;
        let v = check_log(c, &config, actor, &scheme, &input, now)?;
        let (id, created) = model::save_log(c, &v, now)?;
        log.add(
            if created {
                Action::Create
            } else {
                Action::Update
            },
            Entity::SupplyLog,
            Some(id),
            Detail::new("audit-detail-supply-log")
                .text("scheme", scheme.name.clone())
                .date("day", v.supply_on)
                .word("supplied", format!("supply-supplied-{}", v.supplied)),
        );
        let row = model::log_on(c, scheme.gp_id, scheme.id, v.supply_on, Source::Person)?
            .ok_or(AppError::NotFound)?;
        Ok((row, created))
    })
}

/// Set a scheme's usual sessions and days a week (secretaries, admins).
pub fn save_schedule(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    scheme_id: i64,
    input: ScheduleInput,
) -> AppResult<Schedule> {
    actor.require(Verb::CorrectSupply)?;
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let scheme = crate::schemes::find_in_scope(c, &actor.scope, scheme_id)?;
        let mut e = FieldErrors::new();
        let typed = forms::optional_text(&input.sessions, forms::max::SHORT, "sessions", &mut e);
        let sessions = match typed.as_deref().map(figures::parse_sessions) {
            _ if e.has("sessions") => None,
            None => {
                e.add("sessions", "field-required");
                None
            }
            Some(None) => {
                e.add("sessions", "supply-sessions-invalid");
                None
            }
            Some(Some(s)) => Some(s),
        };
        let days = forms::optional_int(&input.days_per_week, 1, 7, "days_per_week", &mut e);
        if days.is_none() && !e.has("days_per_week") {
            e.add("days_per_week", "field-required");
        }
        e.into_result()?;
        let (Some(sessions), Some(days)) = (sessions, days) else {
            return Err(AppError::BadRequest("error-bad-request".into()));
        };
        let row = Schedule {
            scheme_id: scheme.id,
            gp_id: scheme.gp_id,
            sessions: figures::sessions_text(&sessions),
            days_per_week: i32::try_from(days).unwrap_or(7),
            updated_by: Some(actor.user.id),
            updated_at: now,
        };
        model::put_schedule(c, &row)?;
        log.add(
            Action::Update,
            Entity::SupplySchedule,
            Some(scheme.id),
            Detail::new("audit-detail-supply-schedule")
                .text("scheme", scheme.name.clone())
                .text("sessions", row.sessions.clone())
                .count("days", days),
        );
        Ok(row)
    })
}

/// Quality, the third criterion, from water quality: not met when a contamination incident
/// was open on a day of the period at one of the scheme's sampling points; met when every
/// point in use was tested within `water_quality.incidents.tested_within_days` before the
/// period's end; not assessed otherwise (no sampling point, or a point without a recent
/// test).
pub fn quality_criterion(
    conn: &mut DbConn,
    config: &Config,
    scheme: &Scheme,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Criterion> {
    Ok(criterion_of(
        crate::water_quality::incidents::service::quality_of_scheme(
            conn,
            &config.water_quality.incidents,
            scheme.gp_id,
            scheme.id,
            from,
            to,
        )?,
    ))
}

/// Water quality's answer (met, not met, unknown) as a criterion.
fn criterion_of(quality: Option<bool>) -> Criterion {
    match quality {
        Some(true) => Criterion::Met,
        Some(false) => Criterion::NotMet,
        None => Criterion::NotAssessed,
    }
}

/// Why a criterion came out as it did: a message and its arguments.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Why {
    pub criterion: String,
    pub key: String,
    #[schema(value_type = Object)]
    pub args: std::collections::BTreeMap<String, String>,
}

fn why(criterion: &str, key: &str, args: &[(&str, String)]) -> Why {
    Why {
        criterion: criterion.into(),
        key: key.into(),
        args: args
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    }
}

/// A scheme's month: its figures, the three criteria and its functionality with reasons.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Month {
    /// The month's first day.
    pub month: NaiveDate,
    pub norms: Norms,
    pub usual: Usual,
    pub figures: Figures,
    pub quantity: Criterion,
    pub regularity: Criterion,
    pub quality: Criterion,
    pub functionality: Functionality,
    pub reasons: Vec<Why>,
    /// The latest tail-end check counted for the month (in it, or the month before until
    /// one is done); a failed one makes quantity not met.
    pub tail_end: Option<super::tail_end::TailEnd>,
}

fn num(x: Option<f64>) -> String {
    x.map(|v| format!("{v}")).unwrap_or_else(|| "0".into())
}

/// One meter's readings counted, each with its source: the operator's (from `logs` and the
/// latest log before them, `before`) and, on days without one, the day's last device
/// reading ([`figures::with_device`]).
fn meter_readings(
    logs: &[SupplyLog],
    before: Option<&SupplyLog>,
    device: &[DeviceReading],
    meter: Meter,
) -> Vec<(figures::Reading, Source)> {
    let of = |l: &SupplyLog| match meter {
        Meter::Bulk => l.bulk_reading(),
        Meter::Energy => l.energy_reading(),
    };
    let person: Vec<figures::Reading> = logs
        .iter()
        .filter(|l| l.source == Source::Person.as_str())
        .chain(before)
        .filter_map(of)
        .collect();
    let device: Vec<(NaiveDate, i64)> = device
        .iter()
        .filter_map(|r| {
            let v = match meter {
                Meter::Bulk => r.bulk_meter_litres,
                Meter::Energy => r.energy_meter_wh,
            };
            v.map(|v| (r.read_on, v))
        })
        .collect();
    figures::with_device(&person, &device)
}

/// The device readings a period starting `from` needs: those of its days and of the
/// [`LOOK_BACK_DAYS`] before it (where its first interval may start).
fn device_readings(
    conn: &mut DbConn,
    scheme: &Scheme,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<DeviceReading>> {
    Ok(super::devices::model::readings_between(
        conn,
        scheme.gp_id,
        scheme.id,
        from - Duration::days(LOOK_BACK_DAYS),
        to.max(from),
    )?
    .into_iter()
    .map(|(r, _)| r)
    .collect())
}

/// The month starting `month` (its first day) of a scheme, counted up to today.
pub fn month_of(
    conn: &mut DbConn,
    config: &Config,
    scheme: &Scheme,
    month: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Month> {
    let (month, to) = month_span(month, now);
    let usual = usual(conn, config, scheme)?;
    let norms = norms_of(conn, config, scheme)?;
    let persons =
        model::persons_served(conn, scheme.gp_id, scheme.id, norms.persons_per_household)?;
    let logs = model::logs_between(conn, scheme.gp_id, scheme.id, month, to.max(month))?;
    let bulk_before = model::reading_before(conn, scheme.gp_id, scheme.id, month, Meter::Bulk)?;
    let energy_before = model::reading_before(conn, scheme.gp_id, scheme.id, month, Meter::Energy)?;
    let device = device_readings(conn, scheme, month, to)?;
    let loaded = Loaded {
        usual,
        norms,
        persons,
        logs,
        bulk_before,
        energy_before,
        device,
    };
    let tail_end = super::tail_end::latest(conn, scheme.gp_id, scheme.id, month, to)?;
    let quality = quality_criterion(conn, config, scheme, month, to)?;
    Ok(month_with(config, month, to, loaded, tail_end, quality))
}

/// The month's first day and the last day counted (its last, or today).
fn month_span(month: NaiveDate, now: NaiveDateTime) -> (NaiveDate, NaiveDate) {
    let today = today_in_india(now);
    let month = month.with_day(1).unwrap_or(month);
    let last = month + Months::new(1) - Duration::days(1);
    (month, last.min(today))
}

/// What a scheme's figures for a period are computed from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub usual: Usual,
    pub norms: Norms,
    pub persons: i64,
    /// The period's logs, oldest first.
    pub logs: Vec<SupplyLog>,
    /// The latest logs before the period with a bulk (energy) meter reading.
    pub bulk_before: Option<SupplyLog>,
    pub energy_before: Option<SupplyLog>,
    /// Device readings of the period and the [`LOOK_BACK_DAYS`] before it, oldest first.
    pub device: Vec<DeviceReading>,
}

impl Loaded {
    /// The figures of `from..=to` (the logs and device readings loaded for it). A meter's
    /// reading on a day is the operator's when there is one, else the day's last device
    /// reading ([`figures::with_device`]).
    pub fn figures(&self, from: NaiveDate, to: NaiveDate) -> Figures {
        let bulk = meter_readings(
            &self.logs,
            self.bulk_before.as_ref(),
            &self.device,
            Meter::Bulk,
        );
        let energy = meter_readings(
            &self.logs,
            self.energy_before.as_ref(),
            &self.device,
            Meter::Energy,
        );
        let by_device = |r: &[(figures::Reading, Source)]| {
            r.iter()
                .filter(|(x, s)| *s == Source::Device && from <= x.day && x.day <= to)
                .count() as i64
        };
        let (bulk_by_device, energy_by_device) = (by_device(&bulk), by_device(&energy));
        let bulk: Vec<figures::Reading> = bulk.into_iter().map(|x| x.0).collect();
        let energy: Vec<figures::Reading> = energy.into_iter().map(|x| x.0).collect();
        let period = Period {
            from,
            to,
            days_per_week: self.usual.days_per_week,
            scheduled_minutes_per_day: self.usual.minutes_per_day,
        };
        let days: Vec<_> = self
            .logs
            .iter()
            .filter(|l| l.source == Source::Person.as_str())
            .map(SupplyLog::day)
            .collect();
        let mut f = figures::figures(period, &days, &bulk, &energy, self.persons);
        f.bulk_readings_by_device = bulk_by_device;
        f.energy_readings_by_device = energy_by_device;
        f
    }
}

/// Days of logs read before a period with the period itself, so that the reading before it
/// is usually among them (a scheme without one there costs one more grouped query).
const LOOK_BACK_DAYS: i64 = 35;

/// What the figures of `from..=to` of many schemes are computed from, read with one set of
/// queries for the whole list (per [`model::MANY`] schemes), by scheme id. The same as
/// [`month_of`] reads one scheme at a time.
pub fn load_many(
    conn: &mut DbConn,
    config: &Config,
    schemes: &[Scheme],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<std::collections::HashMap<i64, Loaded>> {
    use std::collections::HashMap;
    let keys: Vec<(i64, i64)> = schemes.iter().map(|s| (s.gp_id, s.id)).collect();
    let mut gps: Vec<i64> = keys.iter().map(|k| k.0).collect();
    gps.sort_unstable();
    gps.dedup();
    let states = model::state_lgds_of(conn, &gps)?;
    let norms_of_gp = |gp: i64| Norms::for_state(&config.supply, states.get(&gp).copied());
    let schedules = model::schedules_of(conn, &keys)?;
    let persons =
        model::persons_served_many(conn, &keys, &|gp| norms_of_gp(gp).persons_per_household)?;
    let back = from - Duration::days(LOOK_BACK_DAYS);
    let mut logs = model::logs_between_many(conn, &keys, back, to.max(from))?;
    // the latest reading before the period among the logs read, else one read further back
    let before = |logs: &[SupplyLog], meter: Meter| -> Option<SupplyLog> {
        logs.iter()
            .filter(|l| l.supply_on < from)
            .filter(|l| match meter {
                Meter::Bulk => l.bulk_meter_litres.is_some(),
                Meter::Energy => l.energy_meter_wh.is_some(),
            })
            .max_by_key(|l| l.supply_on)
            .cloned()
    };
    let mut found: HashMap<i64, (Option<SupplyLog>, Option<SupplyLog>)> = HashMap::new();
    for s in schemes {
        let l = logs.get(&s.id).map(Vec::as_slice).unwrap_or(&[]);
        found.insert(s.id, (before(l, Meter::Bulk), before(l, Meter::Energy)));
    }
    let missing = |meter: Meter| -> Vec<(i64, i64)> {
        keys.iter()
            .filter(|k| {
                found.get(&k.1).is_some_and(|f| match meter {
                    Meter::Bulk => f.0.is_none(),
                    Meter::Energy => f.1.is_none(),
                })
            })
            .copied()
            .collect()
    };
    let (no_bulk, no_energy) = (missing(Meter::Bulk), missing(Meter::Energy));
    let older_bulk = model::readings_before_many(conn, &no_bulk, back, Meter::Bulk)?;
    let older_energy = model::readings_before_many(conn, &no_energy, back, Meter::Energy)?;
    let mut device = super::devices::model::readings_between_many(conn, &keys, back, to.max(from))?;
    let mut out = HashMap::new();
    for s in schemes {
        let norms = norms_of_gp(s.gp_id);
        let (text, days, own) = match schedules.get(&s.id) {
            Some(x) => (x.sessions.clone(), i64::from(x.days_per_week), true),
            None => (
                config.supply.sessions.join(","),
                config.supply.days_per_week,
                false,
            ),
        };
        let sessions = figures::parse_sessions(&text).unwrap_or_default();
        let (b, e) = found.remove(&s.id).unwrap_or_default();
        let mut own_logs = logs.remove(&s.id).unwrap_or_default();
        own_logs.retain(|l| l.supply_on >= from);
        out.insert(
            s.id,
            Loaded {
                usual: Usual {
                    sessions: figures::sessions_text(&sessions),
                    days_per_week: days,
                    minutes_per_day: figures::total_minutes(&sessions),
                    own,
                },
                norms,
                persons: persons.get(&s.id).copied().unwrap_or(0),
                logs: own_logs,
                bulk_before: b.or_else(|| older_bulk.get(&s.id).cloned()),
                energy_before: e.or_else(|| older_energy.get(&s.id).cloned()),
                device: device.remove(&s.id).unwrap_or_default(),
            },
        );
    }
    Ok(out)
}

/// The month starting `month` of each of these schemes (in their order), as [`month_of`]
/// gives it, read with one set of queries for the list rather than one per scheme.
pub fn months_of(
    conn: &mut DbConn,
    config: &Config,
    schemes: &[Scheme],
    month: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Vec<Month>> {
    let (month, to) = month_span(month, now);
    let mut loaded = load_many(conn, config, schemes, month, to)?;
    // the tail-end checks and the quality criterion of the whole list, each one query set
    let keys: Vec<(i64, i64)> = schemes.iter().map(|s| (s.gp_id, s.id)).collect();
    let mut tail_ends = super::tail_end::latest_many(conn, &keys, month, to)?;
    let qualities = crate::water_quality::incidents::service::quality_of_schemes(
        conn,
        &config.water_quality.incidents,
        &keys,
        month,
        to,
    )?;
    schemes
        .iter()
        .map(|s| {
            let l = loaded.remove(&s.id).ok_or(AppError::NotFound)?;
            let quality = criterion_of(qualities.get(&s.id).copied().flatten());
            Ok(month_with(
                config,
                month,
                to,
                l,
                tail_ends.remove(&s.id),
                quality,
            ))
        })
        .collect()
}

/// A scheme's month from what was loaded for it, its latest tail-end check counted (as
/// [`super::tail_end::latest`] finds it) and its quality criterion.
fn month_with(
    config: &Config,
    month: NaiveDate,
    to: NaiveDate,
    loaded: Loaded,
    tail_end: Option<(i64, NaiveDate, figures::TailEndReadings)>,
    quality: Criterion,
) -> Month {
    let f = loaded.figures(month, to);
    let Loaded {
        usual: u,
        norms,
        persons,
        ..
    } = loaded;
    let tail_end = tail_end.map(|t| judge_tail_end(config, norms, &u, t));
    let lpcd_quantity = figures::quantity_criterion(&f, norms);
    let quantity =
        figures::quantity_with_tail_end(lpcd_quantity, tail_end.as_ref().map(|t| t.verdict));
    let regularity = figures::regularity_criterion(&f, norms);
    let mut reasons = vec![];
    let norm = norms.lpcd_norm.to_string();
    reasons.push(match lpcd_quantity {
        Criterion::Met => why(
            "quantity",
            "supply-why-lpcd-met",
            &[("lpcd", num(f.lpcd)), ("norm", norm)],
        ),
        Criterion::NotMet => why(
            "quantity",
            "supply-why-lpcd-below",
            &[("lpcd", num(f.lpcd)), ("norm", norm)],
        ),
        Criterion::NotAssessed if persons == 0 => why("quantity", "supply-why-no-households", &[]),
        Criterion::NotAssessed => why("quantity", "supply-why-no-readings", &[]),
    });
    let share = norms.regularity_percent.to_string();
    let reg_args = [
        ("supplied", f.days_supplied.to_string()),
        ("scheduled", f.days_scheduled.to_string()),
        ("days", num(f.regularity_percent)),
        ("hours", num(f.hours_percent)),
        ("share", share),
    ];
    reasons.push(match regularity {
        Criterion::Met => why("regularity", "supply-why-regular", &reg_args),
        Criterion::NotMet => why("regularity", "supply-why-irregular", &reg_args),
        Criterion::NotAssessed => why("regularity", "supply-why-nothing-scheduled", &[]),
    });
    reasons.push(match quality {
        Criterion::Met => why("quality", "supply-why-quality-met", &[]),
        Criterion::NotMet => why("quality", "supply-why-quality-not-met", &[]),
        Criterion::NotAssessed => why("quality", "supply-why-quality-not-assessed", &[]),
    });
    // the tail-end check's reason comes last (pages show the first three by criterion)
    if let Some(t) = &tail_end {
        reasons.push(tail_end_why(t, norms, config));
    }
    Month {
        month,
        norms,
        usual: u,
        functionality: figures::functionality(quantity, regularity, quality),
        figures: f,
        quantity,
        regularity,
        quality,
        reasons,
        tail_end,
    }
}

/// The tail-end check counted for a month (see [`super::tail_end::latest`]), judged.
pub fn tail_end_of(
    conn: &mut DbConn,
    config: &Config,
    scheme: &Scheme,
    norms: Norms,
    usual: &Usual,
    month: NaiveDate,
    to: NaiveDate,
) -> AppResult<Option<super::tail_end::TailEnd>> {
    let found = super::tail_end::latest(conn, scheme.gp_id, scheme.id, month, to)?;
    Ok(found.map(|t| judge_tail_end(config, norms, usual, t)))
}

/// A tail-end check's work record, day and readings, judged.
fn judge_tail_end(
    config: &Config,
    norms: Norms,
    usual: &Usual,
    (log_id, done_on, readings): (i64, NaiveDate, figures::TailEndReadings),
) -> super::tail_end::TailEnd {
    let verdict = figures::tail_end_verdict(
        &readings,
        norms,
        usual.minutes_per_day,
        config.supply.tail_end_min_head_m,
    );
    super::tail_end::TailEnd {
        log_id,
        done_on,
        lpm: readings.lpm().map(|x| (x * 10.0).round() / 10.0),
        readings,
        verdict,
    }
}

/// Why the tail-end check counts as it does: failed (water did not reach, too little, too
/// little head) or passed; criterion "quantity".
fn tail_end_why(t: &super::tail_end::TailEnd, norms: Norms, config: &Config) -> Why {
    let day = crate::web::i18n::format_date(t.done_on);
    let need = (norms.lpcd_norm * norms.persons_per_household).to_string();
    let head = format!("{}", config.supply.tail_end_min_head_m);
    let r = &t.readings;
    let key = if r.reached == Some(false) {
        "supply-why-tail-end-dry"
    } else if t.verdict.quantity == Criterion::NotMet {
        "supply-why-tail-end-short"
    } else if t.verdict.pressure == Criterion::NotMet {
        "supply-why-tail-end-low-head"
    } else {
        "supply-why-tail-end-ok"
    };
    why(
        "quantity",
        key,
        &[
            ("date", day),
            ("need", need),
            ("head", head),
            ("lpm", num(t.lpm)),
            ("measured", num(r.head_m)),
        ],
    )
}

/// One day of a scheme's recent supply: its log (if any) and what its meters measured in the
/// interval ending that day.
#[derive(Debug, Clone, Serialize)]
pub struct DayRow {
    pub day: NaiveDate,
    pub log: Option<SupplyLog>,
    pub water: Option<Interval>,
    pub lpcd: Option<f64>,
    pub energy: Option<Interval>,
    /// The bulk (energy) meter reading counted on the day and its source: the operator's
    /// log, or else the day's last device reading.
    pub bulk_reading: Option<(i64, Source)>,
    pub energy_reading: Option<(i64, Source)>,
    pub editable: bool,
}

/// The `count` days up to `last`, newest first.
pub fn days_of(
    conn: &mut DbConn,
    actor: &Actor,
    config: &Config,
    scheme: &Scheme,
    last: NaiveDate,
    count: i64,
    now: NaiveDateTime,
) -> AppResult<Vec<DayRow>> {
    let today = today_in_india(now);
    let first = last - Duration::days(count - 1);
    let norms = norms_of(conn, config, scheme)?;
    let persons =
        model::persons_served(conn, scheme.gp_id, scheme.id, norms.persons_per_household)?;
    let logs: Vec<SupplyLog> = model::logs_between(conn, scheme.gp_id, scheme.id, first, last)?
        .into_iter()
        .filter(|l| l.source == Source::Person.as_str())
        .collect();
    let bulk_before = model::reading_before(conn, scheme.gp_id, scheme.id, first, Meter::Bulk)?;
    let energy_before = model::reading_before(conn, scheme.gp_id, scheme.id, first, Meter::Energy)?;
    let device = device_readings(conn, scheme, first, last)?;
    let bulk = meter_readings(&logs, bulk_before.as_ref(), &device, Meter::Bulk);
    let energy = meter_readings(&logs, energy_before.as_ref(), &device, Meter::Energy);
    let plain = |r: &[(figures::Reading, Source)]| r.iter().map(|x| x.0).collect::<Vec<_>>();
    let water = figures::intervals(&plain(&bulk));
    let power = figures::intervals(&plain(&energy));
    let on = |r: &[(figures::Reading, Source)], day: NaiveDate| {
        r.iter()
            .find(|x| x.0.day == day)
            .map(|(x, s)| (x.value, *s))
    };
    Ok((0..count)
        .map(|i| last - Duration::days(i))
        .map(|day| {
            let w = water.iter().find(|x| x.to == day).copied();
            DayRow {
                day,
                log: logs.iter().find(|l| l.supply_on == day).cloned(),
                lpcd: w.filter(|_| persons > 0).map(|w| {
                    (w.amount as f64 / w.days() as f64 / persons as f64 * 10.0).round() / 10.0
                }),
                water: w,
                energy: power.iter().find(|x| x.to == day).copied(),
                bulk_reading: on(&bulk, day),
                energy_reading: on(&energy, day),
                editable: may_edit(actor, day, today),
            }
        })
        .collect())
}

/// Days the engineer's review looks back over (today included).
pub const WATCH_DAYS: i64 = 7;

/// What the engineer's review lists of supply: over the last [`WATCH_DAYS`] days, the
/// schemes in service with no supply log at all (with the day each was last logged), and
/// those whose water measured is below their lpcd norm (quantity not met).
#[derive(Debug, Clone, Default)]
pub struct Watch {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub not_logged: Vec<(Scheme, Option<NaiveDate>)>,
    /// With their lpcd over the days and their norm.
    pub below: Vec<(Scheme, Option<f64>, i64)>,
}

/// The review's supply lists for the schemes in `scope` (only those of the place `place`,
/// when given), read per [`model::MANY`] schemes with one set of queries; `shown` of each
/// list get the day they were last logged, the rest are only counted.
pub fn watch(
    conn: &mut DbConn,
    config: &Config,
    scope: &crate::auth::Scope,
    place: Option<i64>,
    now: NaiveDateTime,
) -> AppResult<Watch> {
    let to = today_in_india(now);
    let from = to - Duration::days(WATCH_DAYS - 1);
    let f = crate::schemes::model::SchemeFilter {
        place,
        ..Default::default()
    };
    let mut out = Watch {
        from,
        to,
        ..Default::default()
    };
    let mut after = 0;
    loop {
        let batch = crate::schemes::model::list_all(conn, scope, &f, after, model::MANY as i64)?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        let batch: Vec<Scheme> = batch
            .into_iter()
            .filter(|s| s.status != crate::schemes::SchemeStatus::Decommissioned.as_str())
            .collect();
        let loaded = load_many(conn, config, &batch, from, to)?;
        for s in batch {
            let Some(l) = loaded.get(&s.id) else { continue };
            if l.logs.is_empty() {
                out.not_logged.push((s, None));
                continue;
            }
            let fg = l.figures(from, to);
            if figures::quantity_criterion(&fg, l.norms) == Criterion::NotMet {
                out.below.push((s, fg.lpcd, l.norms.lpcd_norm));
            }
        }
    }
    out.below
        .sort_by(|a, b| a.1.unwrap_or(0.0).total_cmp(&b.1.unwrap_or(0.0)));
    Ok(out)
}

/// The day each of the first `n` schemes not logged was last logged (before the window).
pub fn last_logged_of(conn: &mut DbConn, w: &mut Watch, n: usize) -> AppResult<()> {
    let keys: Vec<(i64, i64)> = w
        .not_logged
        .iter()
        .take(n)
        .map(|(s, _)| (s.gp_id, s.id))
        .collect();
    let last = model::last_logged(conn, &keys)?;
    for (s, d) in w.not_logged.iter_mut().take(n) {
        *d = last.get(&s.id).copied();
    }
    Ok(())
}
