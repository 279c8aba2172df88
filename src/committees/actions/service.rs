//! Action items' use cases: add one to a meeting that is not approved, close one (done or
//! dropped; a secretary closes any, a member what they own through their account), each with
//! its audit row in one transaction, and the lists. `create` is a step inside a caller's
//! transaction (the tests use it).

use super::model::{self, ActionFilter, ActionItem, NewItem};
use super::{ActionInput, ActionStatus, CloseInput};
use crate::audit::{self, Action, By, Detail, Entity};
use crate::auth::{Actor, Scope};
use crate::committees::meetings::{Meeting, MeetingStatus};
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use crate::web::i18n::today_in_india;
use chrono::{NaiveDate, NaiveDateTime};

/// One id from a form field (empty is none; anything else that is not found is an error).
fn link<F>(raw: &str, field: &str, e: &mut FieldErrors, find: F) -> Option<i64>
where
    F: FnOnce(&str) -> Option<i64>,
{
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let found = find(raw);
    if found.is_none() {
        e.add(field, "action-link-not-found");
    }
    found
}

/// Add an action item to a meeting that is not approved yet (after approval, the minutes and
/// what they decided are locked).
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    meeting: &Meeting,
    input: &ActionInput,
    now: NaiveDateTime,
) -> AppResult<ActionItem> {
    if meeting.status() == MeetingStatus::Approved {
        return Err(AppError::Conflict("meeting-locked".into()));
    }
    let gp = meeting.gp_id;
    let mut e = FieldErrors::new();
    let description = forms::required_text(
        &input.description,
        crate::web::forms::max::NOTE,
        "description",
        &mut e,
    );
    let due = forms::optional_date(&input.due_on, None, "due_on", &mut e);
    if due.is_none() && !e.has("due_on") {
        e.add("due_on", "field-required");
    }
    let owner = link(&input.owner_member_id, "owner_member_id", &mut e, |raw| {
        let id = raw.parse::<i64>().ok()?;
        let m = crate::committees::model::member_of(conn, meeting.committee_id, id).ok()?;
        m.filter(|m| m.serving_on(meeting.held_on)).map(|m| m.id)
    });
    let item = link(&input.agenda_item_id, "agenda_item_id", &mut e, |raw| {
        let id = raw.parse::<i64>().ok()?;
        crate::committees::meetings::model::agenda_item_of(conn, meeting.id, id).ok()?
    });
    let scheme = link(&input.scheme_id, "scheme_id", &mut e, |raw| {
        model::scheme_of_gp(conn, gp, raw.parse::<i64>().ok()?)
    });
    let asset = link(&input.asset_id, "asset_id", &mut e, |raw| {
        model::asset_of_gp(conn, gp, raw.parse::<i64>().ok()?)
    });
    let breakdown = link(&input.breakdown, "breakdown", &mut e, |raw| {
        model::breakdown_of_gp(conn, gp, raw)
    });
    let household = link(&input.household, "household", &mut e, |raw| {
        model::household_of_gp(conn, gp, raw)
    });
    e.into_result()?;
    let new = NewItem {
        gp_id: gp,
        meeting_id: meeting.id,
        agenda_item_id: item,
        description: description.unwrap_or_default(),
        owner_member_id: owner,
        due_on: due.unwrap_or_default(),
        scheme_id: scheme,
        asset_id: asset,
        breakdown_id: breakdown,
        household_id: household,
        created_by: actor.user.id,
    };
    model::insert(conn, &new, now)
}

/// Mark an open action item done or dropped. Closed items stay as they are (409).
fn close(
    conn: &mut DbConn,
    actor: &Actor,
    item: &ActionItem,
    input: &CloseInput,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<ActionItem> {
    if !item.is_open() {
        return Err(AppError::Conflict("action-closed".into()));
    }
    let mut e = FieldErrors::new();
    let status = match ActionStatus::parse(&input.status) {
        Some(s @ (ActionStatus::Done | ActionStatus::Dropped)) => s,
        _ => {
            e.add("status", "field-invalid-choice");
            ActionStatus::Done
        }
    };
    let on = forms::optional_date(&input.on, Some(today), "on", &mut e).unwrap_or(today);
    let held_on = crate::committees::meetings::model::find(conn, item.meeting_id)?.held_on;
    if on < held_on && !e.has("on") {
        e.add("on", "action-closed-before-meeting");
    }
    let note = forms::optional_text(&input.note, crate::web::forms::max::NOTE, "note", &mut e);
    if status == ActionStatus::Dropped && note.is_none() && !e.has("note") {
        e.add("note", "action-drop-reason-required");
    }
    e.into_result()?;
    let n = model::set_closed(conn, item.id, status, on, note, actor.user.id, now)?;
    if n == 0 {
        return Err(AppError::Conflict("action-closed".into()));
    }
    model::find(conn, item.id)
}

/// Add an action item to a meeting in the actor's scope, with its audit row.
pub fn create_action(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    meeting: i64,
    input: ActionInput,
) -> AppResult<ActionItem> {
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let m = crate::committees::meetings::model::find_in_scope(c, &actor.scope, meeting)?;
        let item = create(c, actor, &m, &input, now)?;
        log.add(
            Action::Create,
            Entity::ActionItem,
            Some(item.id),
            Detail::new("audit-detail-action-item").text("description", &item.description),
        );
        Ok(item)
    })
}

/// Close an action item in the actor's scope, with its audit row. `manages`: the actor may
/// close any item (a secretary); otherwise only one whose owner is linked to their account.
pub fn close_action(
    ctx: &Ctx,
    actor: &Actor,
    ip: &str,
    id: i64,
    manages: bool,
    input: CloseInput,
) -> AppResult<ActionItem> {
    let today = today_in_india(ctx.now());
    audit::audited(ctx, By::actor(actor, ip), |c, now, log| {
        let item = model::find_in_scope(c, &actor.scope, id)?;
        if !manages && !model::owned_by_user(c, &item, actor.user.id)? {
            return Err(AppError::Forbidden);
        }
        let item = close(c, actor, &item, &input, today, now)?;
        log.add(
            Action::StatusChange,
            Entity::ActionItem,
            Some(id),
            Detail::new("audit-detail-action-item-status")
                .text("description", &item.description)
                .word("status", format!("action-status-{}", item.status)),
        );
        Ok(item)
    })
}

/// A page of action items in scope, and how many match.
pub fn list(
    ctx: &Ctx,
    scope: &Scope,
    f: &ActionFilter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<ActionItem>, i64)> {
    let today = today_in_india(ctx.now());
    let mut conn = ctx.db.conn()?;
    model::list(&mut conn, scope, f, today, offset, limit)
}
