//! Incident use cases: what a recorded test does to the point's incidents (opens one,
//! attaches to one, decides one as the laboratory's result, or re-tests one), and the steps
//! people take (send a sample to the laboratory, record a remedial action, close after a
//! passing re-test), each checked, written with its timeline event and audit row in one
//! transaction.

use super::model::{self, Incident, NewEvent};
use super::{
    decides, failing_groups, validate_remedy, validate_send, CloseInput, EventKind, RemedyInput,
    SendInput, Status,
};
use crate::audit::{audited, Action, By, Detail, Entity, Log};
use crate::auth::{Actor, Verb};
use crate::config::WaterIncidentsConfig;
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::water_quality::points::model::SamplingPoint;
use crate::water_quality::samples::{CheckedValue, Sample};
use crate::water_quality::{Standard, TestKind};
use crate::web::forms;
use crate::web::i18n::today_in_india;
use chrono::{Duration, NaiveDateTime};

fn days(d: i64) -> Duration {
    Duration::days(d)
}

fn audit(log: &mut Log, i: &Incident, action: Action, point: &str) {
    log.add(
        action,
        Entity::WaterIncident,
        Some(i.id),
        Detail::new("audit-detail-water-incident")
            .text("point", point)
            .word("group", super::Group::label_key_of(&i.grp))
            .word("status", super::Status::label_key_of(&i.status)),
    );
}

/// What a recorded test does to its point's incidents, inside the test's transaction: a
/// failing group opens an incident (already confirmed when the test is a laboratory's) or
/// attaches to the open one; a laboratory test that measured an open, undecided incident's
/// parameters confirms it or not ("not confirmed" ends it); a passing test on or after the
/// last remedial action is the re-test. Returns the incidents it opened (their advisories go
/// out by SMS: [`crate::sms::households::water_advisory`]).
#[allow(clippy::too_many_arguments)]
pub fn on_sample(
    conn: &mut DbConn,
    std: &Standard,
    cfg: &WaterIncidentsConfig,
    point: &SamplingPoint,
    sample: &Sample,
    values: &[CheckedValue],
    actor: Option<&Actor>,
    name: &str,
    log: &mut Log,
    now: NaiveDateTime,
) -> AppResult<Vec<Incident>> {
    let lab = sample.kind == TestKind::Laboratory.as_str();
    let mut opened = vec![];
    let today = sample.tested_on;
    let failing = failing_groups(std, values);
    let classes: Vec<(String, crate::water_quality::Class)> = values
        .iter()
        .map(|v| (v.parameter.clone(), v.class))
        .collect();
    let open = model::open_at_point(conn, point.gp_id, point.id)?;
    for (group, codes) in &failing {
        match open.iter().find(|i| i.group() == *group) {
            Some(i) => {
                let mut i = i.clone();
                let from = i.status();
                let mut params = i.parameter_list();
                for c in codes {
                    if !params.contains(c) {
                        params.push(c.clone());
                    }
                }
                i.parameters = params.join(",");
                let to = match from {
                    Status::Open | Status::SentToLab if lab => {
                        i.lab_sample_id = Some(sample.id);
                        i.due_on = Some(today + days(cfg.remediate_days));
                        Status::Confirmed
                    }
                    Status::Retested => {
                        // contaminated again after the re-test: back to the remedies
                        i.retest_sample_id = None;
                        i.due_on = Some(today + days(cfg.remediate_days));
                        Status::Remediating
                    }
                    s => s,
                };
                i.status = to.as_str().into();
                i.updated_at = now;
                model::save(conn, &i)?;
                let kind = if from != to && to == Status::Confirmed {
                    EventKind::LabResult
                } else {
                    EventKind::PositiveAgain
                };
                model::add_event(
                    conn,
                    &i,
                    kind,
                    NewEvent {
                        from: Some(from.as_str()),
                        to: (from != to).then_some(to.as_str()),
                        sample_id: Some(sample.id),
                        ..Default::default()
                    },
                    actor,
                    name,
                    now,
                )?;
                audit(log, &i, Action::Update, &point.name);
            }
            None => {
                let (status, due) = if lab {
                    (Status::Confirmed, today + days(cfg.remediate_days))
                } else {
                    (Status::Open, today + days(cfg.send_to_lab_days))
                };
                let i = model::create(conn, point, *group, codes, status, sample, due, now)?;
                model::add_event(
                    conn,
                    &i,
                    EventKind::Opened,
                    NewEvent {
                        to: Some(status.as_str()),
                        sample_id: Some(sample.id),
                        ..Default::default()
                    },
                    actor,
                    name,
                    now,
                )?;
                audit(log, &i, Action::Create, &point.name);
                opened.push(i);
            }
        }
    }
    // the open incidents of groups this test did not fail
    for i in open
        .iter()
        .filter(|i| !failing.iter().any(|(g, _)| *g == i.group()))
    {
        if decides(std, i.group(), &i.parameter_list(), &classes) != Some(false) {
            continue;
        }
        let mut i = i.clone();
        let from = i.status();
        let (to, kind) = match from {
            Status::Open | Status::SentToLab if lab => {
                i.lab_sample_id = Some(sample.id);
                i.closed_at = Some(now);
                i.due_on = None;
                (Status::NotConfirmed, EventKind::LabResult)
            }
            Status::Remediating
                if model::last_remedy_on(conn, &i)?.is_some_and(|d| sample.tested_on >= d) =>
            {
                i.retest_sample_id = Some(sample.id);
                i.due_on = None;
                (Status::Retested, EventKind::Retest)
            }
            _ => continue,
        };
        i.status = to.as_str().into();
        i.updated_at = now;
        model::save(conn, &i)?;
        model::add_event(
            conn,
            &i,
            kind,
            NewEvent {
                from: Some(from.as_str()),
                to: Some(to.as_str()),
                sample_id: Some(sample.id),
                ..Default::default()
            },
            actor,
            name,
            now,
        )?;
        audit(log, &i, Action::StatusChange, &point.name);
    }
    Ok(opened)
}

/// An incident in scope, its point, and the check that the actor may act on it.
fn load(c: &mut DbConn, actor: &Actor, id: i64) -> AppResult<(Incident, SamplingPoint)> {
    actor.require(Verb::ManageWaterQuality)?;
    let i = model::find_in_scope(c, &actor.scope, id)?;
    let p = crate::water_quality::points::model::find(c, i.point_id)?;
    Ok((i, p))
}

fn refuse(field: &str, key: &str) -> AppError {
    let mut e = FieldErrors::new();
    e.add(field, key);
    AppError::Validation(e)
}

/// Who takes a step: a signed-in person, or Paani itself by a name (the demo's history).
#[derive(Clone, Copy)]
pub struct StepBy<'a> {
    pub actor: Option<&'a Actor>,
    pub name: &'a str,
}

impl<'a> StepBy<'a> {
    /// A signed-in person.
    pub fn person(actor: &'a Actor) -> StepBy<'a> {
        StepBy {
            actor: Some(actor),
            name: "",
        }
    }
}

/// A step on an incident in scope, as a person takes it: checked, with its event and audit
/// row, in one transaction.
fn step_in_scope(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    step: impl FnOnce(
        &mut DbConn,
        Incident,
        &SamplingPoint,
        NaiveDateTime,
        &mut Log,
    ) -> AppResult<Incident>,
) -> AppResult<Incident> {
    audited(ctx, By::actor(actor, ip), |c, now, log| {
        let (i, point) = load(c, actor, id)?;
        step(c, i, &point, now, log)
    })
}

/// Record that a sample went to the laboratory (an open, undecided incident).
pub fn send_to_lab(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: SendInput,
) -> AppResult<Incident> {
    let cfg = ctx.config.water_quality.incidents.clone();
    let by = StepBy::person(actor);
    step_in_scope(ctx, actor, ip, id, |c, i, point, now, log| {
        record_send(c, &cfg, by, i, point, &input, now, log)
    })
}

/// [`send_to_lab`]'s step on an incident already loaded, inside the caller's transaction
/// (`now`: when it is recorded; the day sent may not be after it).
#[allow(clippy::too_many_arguments)]
pub fn record_send(
    c: &mut DbConn,
    cfg: &WaterIncidentsConfig,
    by: StepBy,
    mut i: Incident,
    point: &SamplingPoint,
    input: &SendInput,
    now: NaiveDateTime,
    log: &mut Log,
) -> AppResult<Incident> {
    let (lab, on, note) =
        validate_send(input, i.detected_on, today_in_india(now)).map_err(AppError::Validation)?;
    if i.status() != Status::Open {
        return Err(refuse("laboratory", "wq-incident-step-not-now"));
    }
    i.laboratory = Some(lab);
    i.sent_on = Some(on);
    i.status = Status::SentToLab.as_str().into();
    i.due_on = Some(on + days(cfg.lab_result_days));
    i.updated_at = now;
    model::save(c, &i)?;
    model::add_event(
        c,
        &i,
        EventKind::SentToLab,
        NewEvent {
            from: Some(Status::Open.as_str()),
            to: Some(Status::SentToLab.as_str()),
            done_on: Some(on),
            note: note.as_deref(),
            done_by: i.laboratory.as_deref(),
            ..Default::default()
        },
        by.actor,
        by.name,
        now,
    )?;
    audit(log, &i, Action::StatusChange, &point.name);
    Ok(i)
}

/// Record a remedial action. Any open incident takes one (a public advisory may go out on
/// the field test's day); a confirmed incident moves on to `remediating`, whose deadline is
/// the re-test's.
pub fn add_remedy(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: RemedyInput,
) -> AppResult<Incident> {
    let cfg = ctx.config.water_quality.incidents.clone();
    let by = StepBy::person(actor);
    step_in_scope(ctx, actor, ip, id, |c, i, point, now, log| {
        record_remedy(c, &cfg, by, i, point, &input, now, log)
    })
}

/// [`add_remedy`]'s step on an incident already loaded, inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub fn record_remedy(
    c: &mut DbConn,
    cfg: &WaterIncidentsConfig,
    by: StepBy,
    mut i: Incident,
    point: &SamplingPoint,
    input: &RemedyInput,
    now: NaiveDateTime,
    log: &mut Log,
) -> AppResult<Incident> {
    let v =
        validate_remedy(input, i.detected_on, today_in_india(now)).map_err(AppError::Validation)?;
    let from = i.status();
    if !from.is_open() {
        return Err(refuse("action", "wq-incident-step-not-now"));
    }
    let to = match from {
        Status::Confirmed | Status::Remediating => Status::Remediating,
        s => s,
    };
    if to == Status::Remediating {
        i.due_on = Some(v.done_on + days(cfg.retest_days));
    }
    i.status = to.as_str().into();
    i.updated_at = now;
    model::save(c, &i)?;
    model::add_event(
        c,
        &i,
        EventKind::Remedial,
        NewEvent {
            from: Some(from.as_str()),
            to: (from != to).then_some(to.as_str()),
            action: Some(v.action.as_str()),
            done_on: Some(v.done_on),
            done_by: Some(&v.done_by),
            note: v.note.as_deref(),
            ..Default::default()
        },
        by.actor,
        by.name,
        now,
    )?;
    audit(log, &i, Action::Update, &point.name);
    Ok(i)
}

/// Close an incident: only after a passing re-test.
pub fn close(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: CloseInput,
) -> AppResult<Incident> {
    let by = StepBy::person(actor);
    step_in_scope(ctx, actor, ip, id, |c, i, point, now, log| {
        record_close(c, by, i, point, &input, now, log)
    })
}

/// [`close`]'s step on an incident already loaded, inside the caller's transaction.
pub fn record_close(
    c: &mut DbConn,
    by: StepBy,
    mut i: Incident,
    point: &SamplingPoint,
    input: &CloseInput,
    now: NaiveDateTime,
    log: &mut Log,
) -> AppResult<Incident> {
    let mut e = FieldErrors::new();
    let note = forms::optional_text(&input.note, forms::max::NOTE, "note", &mut e);
    e.into_result()?;
    if i.status() != Status::Retested || i.retest_sample_id.is_none() {
        return Err(refuse("note", "wq-incident-close-needs-retest"));
    }
    i.status = Status::Closed.as_str().into();
    i.closed_at = Some(now);
    i.due_on = None;
    i.updated_at = now;
    model::save(c, &i)?;
    model::add_event(
        c,
        &i,
        EventKind::Closed,
        NewEvent {
            from: Some(Status::Retested.as_str()),
            to: Some(Status::Closed.as_str()),
            note: note.as_deref(),
            ..Default::default()
        },
        by.actor,
        by.name,
        now,
    )?;
    audit(log, &i, Action::StatusChange, &point.name);
    Ok(i)
}

/// What the villagers of a scheme see: the open incidents' advisories and the latest test.
pub struct Notice {
    pub open: Vec<Incident>,
    pub latest: Option<Sample>,
}

/// The public notice of a scheme (no login: only the advisory and the latest test's day
/// and result).
pub fn notice(conn: &mut DbConn, gp_id: i64, scheme_id: i64) -> AppResult<Notice> {
    let open = model::open_of_scheme(conn, gp_id, scheme_id)?;
    let (latest, _) = crate::water_quality::samples::model::latest_of_scheme(
        conn,
        gp_id,
        scheme_id,
        // every test (a day both backends store: PostgreSQL's dates start at 4713 BC)
        chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default(),
    )?;
    Ok(Notice { open, latest })
}

/// Supply's quality criterion for a scheme's period `from`..=`to`: not met when an incident
/// (not one the laboratory did not confirm) was open on a day of it; met when every sampling
/// point in use was tested within `tested_within_days` before `to`; otherwise (no point, a
/// point not tested that recently) not assessed.
pub fn quality_of_scheme(
    conn: &mut DbConn,
    cfg: &WaterIncidentsConfig,
    gp_id: i64,
    scheme_id: i64,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> AppResult<Option<bool>> {
    use crate::db::schema::{sampling_points, water_samples};
    use diesel::prelude::*;
    if model::open_during(conn, gp_id, scheme_id, from, to)? {
        return Ok(Some(false));
    }
    let points: Vec<i64> = sampling_points::table
        .filter(sampling_points::gp_id.eq(gp_id))
        .filter(sampling_points::scheme_id.eq(scheme_id))
        .filter(sampling_points::active.eq(true))
        .select(sampling_points::id)
        .load(conn)?;
    if points.is_empty() {
        return Ok(None);
    }
    let since = to - days(cfg.tested_within_days);
    let tested: Vec<i64> = water_samples::table
        .filter(water_samples::gp_id.eq(gp_id))
        .filter(water_samples::point_id.eq_any(&points))
        .filter(water_samples::tested_on.ge(since))
        .filter(water_samples::tested_on.le(to))
        .select(water_samples::point_id)
        .distinct()
        .load(conn)?;
    Ok(points.iter().all(|p| tested.contains(p)).then_some(true))
}

/// [`quality_of_scheme`] for many (gp, scheme) pairs at once, by scheme: three queries per
/// [`crate::supply::model::MANY`] schemes instead of three per scheme. Each answer is the
/// one `quality_of_scheme` gives.
pub fn quality_of_schemes(
    conn: &mut DbConn,
    cfg: &WaterIncidentsConfig,
    schemes: &[(i64, i64)],
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> AppResult<std::collections::HashMap<i64, Option<bool>>> {
    use crate::db::schema::{sampling_points, water_incidents, water_samples};
    use diesel::prelude::*;
    use std::collections::{HashMap, HashSet};
    let mut out = HashMap::new();
    let from_utc = crate::web::i18n::india_midnight_utc(from);
    let since = to - days(cfg.tested_within_days);
    for chunk in schemes.chunks(crate::supply::model::MANY) {
        let ids: Vec<i64> = chunk.iter().map(|s| s.1).collect();
        let mut gps: Vec<i64> = chunk.iter().map(|s| s.0).collect();
        gps.sort_unstable();
        gps.dedup();
        let open: HashSet<i64> = water_incidents::table
            .filter(water_incidents::gp_id.eq_any(&gps))
            .filter(water_incidents::scheme_id.eq_any(&ids))
            .filter(water_incidents::status.ne(super::Status::NotConfirmed.as_str()))
            .filter(water_incidents::detected_on.le(to))
            .filter(
                water_incidents::closed_at
                    .is_null()
                    .or(water_incidents::closed_at.ge(from_utc)),
            )
            .select(water_incidents::scheme_id)
            .distinct()
            .load::<i64>(conn)?
            .into_iter()
            .collect();
        let points: Vec<(i64, i64)> = sampling_points::table
            .filter(sampling_points::gp_id.eq_any(&gps))
            .filter(sampling_points::scheme_id.eq_any(&ids))
            .filter(sampling_points::active.eq(true))
            .select((sampling_points::id, sampling_points::scheme_id))
            .load(conn)?;
        let point_ids: Vec<i64> = points.iter().map(|p| p.0).collect();
        let mut tested: HashSet<i64> = HashSet::new();
        for part in point_ids.chunks(crate::supply::model::MANY) {
            tested.extend(
                water_samples::table
                    .filter(water_samples::gp_id.eq_any(&gps))
                    .filter(water_samples::point_id.eq_any(part))
                    .filter(water_samples::tested_on.ge(since))
                    .filter(water_samples::tested_on.le(to))
                    .select(water_samples::point_id)
                    .distinct()
                    .load::<i64>(conn)?,
            );
        }
        for &(_, id) in chunk {
            let answer = if open.contains(&id) {
                Some(false)
            } else {
                let mine: Vec<i64> = points.iter().filter(|p| p.1 == id).map(|p| p.0).collect();
                (!mine.is_empty() && mine.iter().all(|p| tested.contains(p))).then_some(true)
            };
            out.insert(id, answer);
        }
    }
    Ok(out)
}
