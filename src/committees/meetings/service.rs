//! Meetings' use cases: plan a meeting (with its SMS notices to the members), record
//! attendance, write and approve the minutes, add an addendum or photos of the attendance
//! register (each validated and written with its audit row in one transaction), and the reads
//! behind the pages and the API (meetings with their details, the decisions register,
//! regularity, the GP page's box). `create`, `record_attendance` and `save_minutes` are steps
//! inside a caller's transaction (the demo data and the tests use them).

use super::model::{self, Addendum, DecisionFilter, DecisionRow, Meeting, MeetingFilter};
use super::model::{MeetingView, NewMeeting, Regularity};
use super::{AddendumInput, AttendanceInput, MeetingInput, MeetingKind, MeetingStatus};
use super::{MinutesInput, MinutesLang};
use crate::audit::{self, Action, By, Detail, Entity};
use crate::auth::{Actor, Scope};
use crate::committees::{Committee, Member};
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use crate::web::i18n::today_in_india;
use crate::web::photos;
use chrono::NaiveDateTime;
use serde::Serialize;

/// Validate and store a planned meeting of a committee with its agenda.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    committee: &Committee,
    input: &MeetingInput,
    now: NaiveDateTime,
) -> AppResult<Meeting> {
    let mut e = FieldErrors::new();
    let kind = match input.kind.trim() {
        "" => MeetingKind::Monthly,
        k => MeetingKind::parse(k).unwrap_or_else(|| {
            e.add("kind", "field-invalid-choice");
            MeetingKind::Monthly
        }),
    };
    let day = forms::optional_date(&input.held_on, None, "held_on", &mut e);
    if day.is_none() && !e.has("held_on") {
        e.add("held_on", "field-required");
    }
    let starts_at = match input.starts_at.trim() {
        "" => None,
        t => match chrono::NaiveTime::parse_from_str(&forms::ascii_digits(t), "%H:%M") {
            Ok(t) => Some(t.format("%H:%M").to_string()),
            Err(_) => {
                e.add("starts_at", "meeting-bad-time");
                None
            }
        },
    };
    let venue = forms::optional_text(&input.venue, crate::web::forms::max::LINE, "venue", &mut e);
    let lang = match input.lang.trim() {
        "" => MinutesLang::Hi,
        l => MinutesLang::parse(l).unwrap_or_else(|| {
            e.add("lang", "field-invalid-choice");
            MinutesLang::Hi
        }),
    };
    let agenda = crate::web::forms::entries(
        &input.agenda,
        None,
        crate::web::forms::max::AGENDA,
        "agenda",
        &mut e,
    );
    if agenda.is_empty() {
        e.add("agenda", "meeting-agenda-required");
    }
    e.into_result()?;
    let m = NewMeeting {
        kind: kind.as_str(),
        held_on: day.unwrap_or_default(),
        starts_at,
        venue,
        lang: lang.as_str(),
        agenda,
        created_by: actor.user.id,
    };
    model::insert(conn, committee, &m, now)
}

/// Record who came: the meeting becomes held. Not once its minutes are approved.
pub fn record_attendance(
    conn: &mut DbConn,
    meeting: &Meeting,
    serving: &[Member],
    input: &AttendanceInput,
    now: NaiveDateTime,
) -> AppResult<Meeting> {
    if meeting.status() == MeetingStatus::Approved {
        return Err(AppError::Conflict("meeting-locked".into()));
    }
    let mut e = FieldErrors::new();
    let mut present = vec![];
    for raw in &input.present {
        match raw.trim().parse::<i64>() {
            Ok(id) if serving.iter().any(|m| m.id == id) => present.push(id),
            _ => e.add("present", "field-invalid-choice"),
        }
    }
    present.sort_unstable();
    present.dedup();
    let others = forms::optional_int(&input.others_present, 0, 100_000, "others_present", &mut e)
        .unwrap_or(0);
    let women =
        forms::optional_int(&input.others_women, 0, 100_000, "others_women", &mut e).unwrap_or(0);
    if women > others && !e.has("others_women") {
        e.add("others_women", "meeting-women-more-than-present");
    }
    e.into_result()?;
    model::set_attendance(conn, meeting.id, &present, others as i32, women as i32, now)
}

/// Approve the minutes of a held meeting: from now on it is locked.
fn approve(
    conn: &mut DbConn,
    actor: &Actor,
    meeting: &Meeting,
    now: NaiveDateTime,
) -> AppResult<Meeting> {
    match meeting.status() {
        MeetingStatus::Held => model::set_approved(conn, meeting.id, actor.user.id, now),
        MeetingStatus::Approved => Err(AppError::Conflict("meeting-locked".into())),
        MeetingStatus::Planned => Err(AppError::Conflict("meeting-not-held".into())),
    }
}

/// Write the minutes of a held meeting (its attendance, and so its quorum, is recorded
/// first). Items left out keep what they had; approved minutes are locked.
pub fn save_minutes(
    conn: &mut DbConn,
    meeting: &Meeting,
    input: &MinutesInput,
    now: NaiveDateTime,
) -> AppResult<Meeting> {
    match meeting.status() {
        MeetingStatus::Approved => return Err(AppError::Conflict("meeting-locked".into())),
        MeetingStatus::Planned => {
            return Err(AppError::Conflict(
                "meeting-minutes-before-attendance".into(),
            ))
        }
        MeetingStatus::Held => {}
    }
    let agenda = model::agenda_ids(conn, meeting.id)?;
    let mut e = FieldErrors::new();
    let mut rows = vec![];
    for (i, item) in input.items.iter().enumerate() {
        let Some(id) = item
            .id
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| agenda.contains(id))
        else {
            e.add(&format!("items.{i}.id"), "field-invalid-choice");
            continue;
        };
        let discussion = forms::optional_text(
            &item.discussion,
            crate::web::forms::max::MINUTES,
            &format!("discussion_{id}"),
            &mut e,
        );
        let decision = forms::optional_text(
            &item.decision,
            crate::web::forms::max::TEXT,
            &format!("decision_{id}"),
            &mut e,
        );
        rows.push((id, discussion, decision));
    }
    e.into_result()?;
    model::set_minutes(conn, meeting.id, rows, now)
}

/// A correction to approved minutes: the minutes stay as approved, the addendum says who
/// added what and when. Before approval the minutes themselves are edited instead.
fn write_addendum(
    conn: &mut DbConn,
    actor: &Actor,
    meeting: &Meeting,
    input: &AddendumInput,
    now: NaiveDateTime,
) -> AppResult<Addendum> {
    if meeting.status() != MeetingStatus::Approved {
        return Err(AppError::Conflict("meeting-addendum-not-approved".into()));
    }
    let mut e = FieldErrors::new();
    let body = forms::required_text(&input.body, crate::web::forms::max::MINUTES, "body", &mut e);
    let item = match input.agenda_item_id.trim() {
        "" => None,
        raw => {
            let found = match raw.parse::<i64>() {
                Ok(id) => model::agenda_item_of(conn, meeting.id, id)?,
                Err(_) => None,
            };
            if found.is_none() {
                e.add("agenda_item_id", "field-invalid-choice");
            }
            found
        }
    };
    e.into_result()?;
    model::insert_addendum(
        conn,
        meeting,
        item,
        &body.unwrap_or_default(),
        (actor.user.id, &actor.user.display_name),
        now,
    )
}

/// SMS notices of a meeting just planned (issue 27): `meeting_notice` (its date, start time
/// and place: the venue, else the GP's name) to every member serving on its day who has a
/// phone, in the language of their linked account, else the GP's households' language;
/// dedupe key `meeting:<meeting id>:<member id>`, so a member is told once. None for a
/// meeting on a day already past (one recorded after the fact) or without a start time (the
/// notice names one). A meeting's day and time cannot be changed once planned, so there is no
/// second notice. A step inside the caller's transaction; returns the SMS made.
pub fn queue_notices(
    conn: &mut DbConn,
    config: &crate::config::Config,
    meeting: &Meeting,
    now: NaiveDateTime,
) -> AppResult<usize> {
    use crate::db::schema::users;
    use crate::sms::service::{household_lang, queue, QueueSms, Queued};
    use crate::web::i18n::Lang;
    use diesel::prelude::*;
    let Some(time) = meeting.starts_at.clone() else {
        return Ok(0);
    };
    if meeting.status() != MeetingStatus::Planned || meeting.held_on < today_in_india(now) {
        return Ok(0);
    }
    let members: Vec<Member> = model::serving_on(conn, meeting)?
        .into_iter()
        .filter(|m| m.phone.as_deref().is_some_and(|p| !p.trim().is_empty()))
        .collect();
    if members.is_empty() {
        return Ok(0);
    }
    let linked: Vec<i64> = members.iter().filter_map(|m| m.user_id).collect();
    let langs: std::collections::HashMap<i64, String> = if linked.is_empty() {
        Default::default()
    } else {
        users::table
            .filter(users::id.eq_any(&linked))
            .select((users::id, users::lang))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect()
    };
    let households = household_lang(conn, config, meeting.gp_id)?;
    let gp = crate::places::model::by_ids(conn, &[meeting.gp_id])?;
    let max = config.sms.variable_max_chars;
    let mut made = 0;
    for m in members {
        let lang = m
            .user_id
            .and_then(|u| langs.get(&u))
            .cloned()
            .unwrap_or_else(|| households.clone());
        let place = match meeting.venue.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => v.to_string(),
            _ => gp
                .get(&meeting.gp_id)
                .map(|p| {
                    p.display_name(Lang::parse(&lang).unwrap_or_default())
                        .to_string()
                })
                .unwrap_or_default(),
        };
        let sms = QueueSms {
            gp_id: Some(meeting.gp_id),
            to: m.phone.clone().unwrap_or_default(),
            key: "meeting_notice".into(),
            lang,
            vars: vec![
                (
                    "date".into(),
                    crate::web::i18n::format_date(meeting.held_on),
                ),
                ("time".into(), time.clone()),
                ("place".into(), crate::sms::fit(&place, max)),
            ],
            dedupe_key: format!("meeting:{}:{}", meeting.id, m.id),
            urgent: false,
        };
        if matches!(
            queue(conn, config, now, sms)?,
            Queued::Queued(_) | Queued::Refused(..)
        ) {
            made += 1;
        }
    }
    Ok(made)
}

/// Plan a meeting of a committee in the actor's scope, with its audit row.
pub fn create_meeting(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    committee: i64,
    input: MeetingInput,
) -> AppResult<Meeting> {
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let k = crate::committees::model::find_in_scope(c, &actor.scope, committee)?;
        let m = create(c, actor, &k, &input, now)?;
        queue_notices(c, &ctx.config, &m, now)?;
        log.add(
            Action::Create,
            Entity::Meeting,
            Some(m.id),
            Detail::new("audit-detail-meeting")
                .text("committee", &k.name)
                .date("day", m.held_on),
        );
        Ok(m)
    })
}

/// Record a meeting's attendance, with its audit row.
pub fn save_attendance(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: AttendanceInput,
) -> AppResult<Meeting> {
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let m = model::find_in_scope(c, &actor.scope, id)?;
        let serving = model::serving_on(c, &m)?;
        let m = record_attendance(c, &m, &serving, &input, now)?;
        log.add(
            Action::Update,
            Entity::Meeting,
            Some(id),
            Detail::new("audit-detail-meeting-attendance"),
        );
        Ok(m)
    })
}

/// Approve a meeting's minutes, with its audit row.
pub fn approve_meeting(ctx: &Ctx, actor: &Actor, ip: &str, id: i64) -> AppResult<Meeting> {
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let m = model::find_in_scope(c, &actor.scope, id)?;
        let m = approve(c, actor, &m, now)?;
        log.add(
            Action::Update,
            Entity::Meeting,
            Some(id),
            Detail::new("audit-detail-meeting-approved"),
        );
        Ok(m)
    })
}

/// Write a meeting's minutes, with its audit row.
pub fn save_meeting_minutes(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: MinutesInput,
) -> AppResult<Meeting> {
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let m = model::find_in_scope(c, &actor.scope, id)?;
        let m = save_minutes(c, &m, &input, now)?;
        log.add(
            Action::Update,
            Entity::Meeting,
            Some(id),
            Detail::new("audit-detail-meeting-minutes"),
        );
        Ok(m)
    })
}

/// Add an addendum to a meeting's approved minutes, with its audit row.
pub fn add_addendum(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    input: AddendumInput,
) -> AppResult<Addendum> {
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let m = model::find_in_scope(c, &actor.scope, id)?;
        let ad = write_addendum(c, actor, &m, &input, now)?;
        log.add(
            Action::Update,
            Entity::Meeting,
            Some(id),
            Detail::new("audit-detail-meeting-addendum"),
        );
        Ok(ad)
    })
}

/// Store checked photos of a meeting's signed attendance register (at most
/// [`photos::MAX_PHOTOS`] in all, until the minutes are approved), with its audit row. The
/// meeting is found in scope by the caller first.
pub fn add_photos(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    meeting: &Meeting,
    checked: Vec<photos::Checked>,
) -> AppResult<usize> {
    let (id, gp) = (meeting.id, meeting.gp_id);
    let root = ctx.config.storage.photos_dir.clone();
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let m = model::find(c, id)?;
        if m.status() == MeetingStatus::Approved {
            return Err(AppError::Conflict("meeting-locked".into()));
        }
        let have = photos::count_of_meeting(c, id)? as usize;
        if have + checked.len() > photos::MAX_PHOTOS {
            let mut e = FieldErrors::new();
            e.add_with(
                "photos",
                "photo-too-many",
                &[("max", photos::MAX_PHOTOS.to_string())],
            );
            return Err(AppError::Validation(e));
        }
        let n = photos::store(c, &root, gp, photos::Owner::Meeting(id), &checked, now)?;
        log.add(
            Action::Update,
            Entity::Meeting,
            Some(id),
            Detail::new("audit-detail-meeting-photos").count("count", n),
        );
        Ok(n)
    })
}

/// One meeting in scope with its details.
pub fn meeting_view(ctx: &Ctx, scope: &Scope, id: i64) -> AppResult<MeetingView> {
    let mut conn = ctx.db.conn()?;
    let c: &mut DbConn = &mut conn;
    let m = model::find_in_scope(c, scope, id)?;
    model::view(c, &ctx.config.committees, m)
}

/// A page of meetings in scope with their details, and how many match.
pub fn meeting_views(
    ctx: &Ctx,
    scope: &Scope,
    f: &MeetingFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<MeetingView>, i64)> {
    let mut conn = ctx.db.conn()?;
    let c: &mut DbConn = &mut conn;
    let (list, total) = model::list(c, scope, f, offset, limit)?;
    Ok((model::views(c, &ctx.config.committees, list)?, total))
}

/// A page of the decisions register (a GP outside the scope is not found).
pub fn decisions(
    ctx: &Ctx,
    scope: &Scope,
    f: &DecisionFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<DecisionRow>, i64)> {
    let mut conn = ctx.db.conn()?;
    let c: &mut DbConn = &mut conn;
    scope.check_gp(c, f.gp)?;
    model::decisions(c, scope, f, offset, limit)
}

/// Pulling the decisions register: the agenda items gone from it since (see
/// [`model::cleared_decisions`]).
pub fn cleared_decisions(
    ctx: &Ctx,
    scope: &Scope,
    changes: &crate::web::sync::Changes,
) -> AppResult<Vec<i64>> {
    let mut conn = ctx.db.conn()?;
    model::cleared_decisions(&mut conn, scope, changes)
}

/// Every GP in scope (or just `gp`, which must be in scope) with its meeting regularity today.
pub fn regularity(ctx: &Ctx, scope: &Scope, gp: Option<i64>) -> AppResult<Vec<Regularity>> {
    let today = today_in_india(ctx.now());
    let mut conn = ctx.db.conn()?;
    let c: &mut DbConn = &mut conn;
    scope.check_gp(c, gp)?;
    model::regularity(c, scope, gp, today)
}

/// What the GP page's committee box shows: the GP's meeting regularity and its open and
/// overdue action items.
#[derive(Debug, Clone, Serialize)]
pub struct GpCommitteeBox {
    #[serde(flatten)]
    pub regularity: Regularity,
    pub open_actions: i64,
    pub overdue_actions: i64,
}

/// The committee box of a GP in scope (none when the place is not an active GP).
pub fn gp_box(ctx: &Ctx, scope: &Scope, gp: i64) -> AppResult<Option<GpCommitteeBox>> {
    let Some(r) = regularity(ctx, scope, Some(gp))?.into_iter().next() else {
        return Ok(None);
    };
    let today = today_in_india(ctx.now());
    let mut conn = ctx.db.conn()?;
    let (open, overdue) = crate::committees::actions::model::open_counts(&mut conn, gp, today)?;
    Ok(Some(GpCommitteeBox {
        regularity: r,
        open_actions: open,
        overdue_actions: overdue,
    }))
}
