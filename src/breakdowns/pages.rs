//! Breakdown pages: the list (and its CSV), the report form, a breakdown with its timeline,
//! workflow steps and comments; and the open box shown on other areas' pages.

use super::model::{self, Breakdown, BreakdownFilter};
use super::review::FiguresCache;
use super::CommentInput;
use super::{is_open, may, next_statuses, service, ReportInput, Status, Supply, TransitionInput};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::web::changed::{keep_form, Choice, Resend};
use crate::web::i18n::{format_datetime, format_money};
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::photos;
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/breakdowns", web::get().to(list_page))
        .route("/breakdowns.csv", web::get().to(list_csv))
        .route("/breakdowns", web::post().to(report_submit))
        .route("/breakdowns/new", web::get().to(new_page))
        .route("/breakdowns/{id:\\d+}", web::get().to(detail_page))
        .route(
            "/breakdowns/{id:\\d+}/transition",
            web::post().to(transition_submit),
        )
        .route(
            "/breakdowns/{id:\\d+}/comment",
            web::post().to(comment_submit),
        );
}

/// Say that breakdowns changed (the review's figures are computed again).
pub(crate) fn figures_changed<T>(state: &AppState, result: &AppResult<T>) {
    if result.is_ok() {
        state.part::<FiguresCache>().changed();
    }
}

/// Where a breakdown stands against its repair deadline, for `breakdowns/sla.hbs`: open,
/// overdue, and the time left (or overdue) in hours, or in days beyond two days.
pub(crate) fn sla_json(b: &Breakdown, now: NaiveDateTime) -> Value {
    let open = is_open(&b.status);
    let left = (b.resolve_due_at - now).num_hours();
    let hours = left.abs();
    json!({
        "open": open, "overdue": open && left < 0, "hours": hours,
        "days": (hours >= 48).then_some(hours / 24),
    })
}

/// Open breakdowns with their age and service-deadline state, escalated and oldest first: the
/// box on the home, task and dashboard pages (`gp`: only that GP's), for
/// `breakdowns/open_box.hbs` from [`model::open_rows`].
/// `places`: where the rows are, for a reader whose scope spans several GPs (else empty).
pub fn open_box_json(
    open: &(Vec<Breakdown>, i64),
    gp: Option<i64>,
    now: NaiveDateTime,
    places: &std::collections::HashMap<i64, crate::schemes::model::Whereabouts>,
    lang: crate::web::i18n::Lang,
) -> Value {
    let (rows, total) = open;
    json!({
        "rows": rows.iter().map(|b| {
            let mut v = breakdown_json(b, now);
            v["where"] = crate::schemes::pages::where_json(places.get(&b.scheme_id), lang);
            v
        }).collect::<Vec<_>>(),
        "total": total,
        "more": *total > rows.len() as i64,
        "gp": gp,
    })
}

fn breakdown_json(b: &Breakdown, now: NaiveDateTime) -> Value {
    let sla = sla_json(b, now);
    json!({
        "id": b.id, "number": b.number, "category_key": format!("breakdown-cat-{}", b.category),
        "description": b.description, "supply_key": format!("breakdown-supply-{}", b.supply),
        "status": b.status, "status_key": format!("breakdown-status-{}", b.status),
        "reported_at": format_datetime(b.created_at), "reporter": b.reporter_name,
        "resolve_due": format_datetime(b.resolve_due_at),
        "open": sla["open"], "overdue": sla["overdue"], "sla": sla,
        "escalation_level": b.escalation_level,
        "assigned_name": b.assigned_name, "assigned_phone": b.assigned_phone,
        "resolution": b.resolution, "cost": b.cost_paise.map(format_money),
        "scheme_id": b.scheme_id, "asset_id": b.asset_id, "households": b.households_affected,
        "age_days": (now - b.created_at).num_days(),
        "source_key": format!("breakdown-source-{}", b.source),
        "reporter_phone": b.reporter_phone,
        "visit_on": b.visit_on.map(crate::web::i18n::format_date),
    })
}

/// The review page's narrowing to one block, which its list (and so its export) also takes.
#[derive(Debug, Default, Deserialize)]
struct BlockQuery {
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    block: Option<i64>,
}

/// The list (or the review page's list) as CSV with the same filters (streamed: a block has
/// tens of thousands). A `block` outside the actor's scope is not found, as on the review page.
async fn list_csv(
    ui: Ui,
    actor: Actor,
    q: web::Query<BreakdownFilter>,
    b: web::Query<BlockQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBreakdowns)?;
    let mut f = q.into_inner();
    f.page = None;
    let (own, block) = (actor.scope, b.block);
    let scope = match block {
        Some(b) => ui.state.db.run(move |c| own.narrowed_to(c, b)).await?,
        None => own,
    };
    let now = ui.state.clock.now();
    let header = [
        "number",
        "gp_lgd_code",
        "scheme_code",
        "category",
        "status",
        "supply",
        "reported_at",
        "reporter",
        "resolve_due_at",
        "resolved_at",
        "escalation_level",
        "assigned_to",
        "cost_rupees",
        "description",
    ];
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "breakdowns.csv",
        &header,
        move |c, emit| {
            let time = |t: NaiveDateTime| format_datetime(t);
            crate::web::csv::each_page(
                c,
                500,
                |c, page| Ok(model::list(c, &scope, &f, page, now)?.0),
                |c, rows| {
                    let ids: Vec<i64> = rows.iter().map(|b| b.gp_id).collect();
                    let gps = crate::places::model::by_ids(c, &ids)?;
                    let schemes =
                        crate::schemes::by_ids(c, rows.iter().map(|b| b.scheme_id).collect())?;
                    for b in rows {
                        emit(vec![
                            b.number.clone(),
                            gps.get(&b.gp_id)
                                .map(|p| p.lgd_code.to_string())
                                .unwrap_or_default(),
                            schemes
                                .get(&b.scheme_id)
                                .map(|s| s.code.clone())
                                .unwrap_or_default(),
                            b.category.clone(),
                            b.status.clone(),
                            b.supply.clone(),
                            time(b.created_at),
                            String::from(&b.reporter_name),
                            time(b.resolve_due_at),
                            b.resolved_at.map(time).unwrap_or_default(),
                            b.escalation_level.to_string(),
                            String::from(b.assigned_name.as_deref().unwrap_or("")),
                            b.cost_paise
                                .map(crate::web::csv::rupees)
                                .unwrap_or_default(),
                            String::from(&b.description),
                        ])?;
                    }
                    Ok(())
                },
            )
        },
    ))
}

async fn list_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<BreakdownFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBreakdowns)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, ui.state.config.server.page_size);
    let (f2, scope) = (f.clone(), actor.scope);
    let now = ui.state.clock.now();
    let spans = crate::schemes::pages::spans_gps(&actor);
    let (rows, total, places) = ui
        .state
        .db
        .run(move |c| {
            let (rows, total) = model::list(c, &scope, &f2, page, now)?;
            // rows across several GPs name where they are (one set of queries for the page)
            let places = match spans {
                true => {
                    let ids: Vec<i64> = rows.iter().map(|b| b.scheme_id).collect();
                    crate::schemes::model::whereabouts_of(c, &ids)?
                }
                false => Default::default(),
            };
            Ok((rows, total, places))
        })
        .await?;
    let lang = ui.lang();
    let qs = query_string(&[
        ("status", f.status.clone()),
        ("scheme", f.scheme.map(|s| s.to_string())),
        ("escalated", f.escalated.map(|e| e.to_string())),
    ]);
    ui.render(
        "breakdowns/list",
        "breakdowns-title",
        json!({
            "csv_url": ui.with_query("/breakdowns.csv"),
            "rows": rows.iter().map(|b| {
                let mut v = breakdown_json(b, now);
                v["where"] = crate::schemes::pages::where_json(places.get(&b.scheme_id), lang);
                v
            }).collect::<Vec<_>>(),
            "filter": f,
            "statuses": status_options(),
            "can_report": actor.can(Verb::ReportBreakdown),
            "can_review": actor.can(Verb::ReviewBreakdowns),
            "pager": Pager::new(page, total, "/breakdowns", &qs),
        }),
    )
}

fn form_data(ui: &Ui, input: &ReportInput, schemes: &[crate::schemes::Scheme]) -> Value {
    json!({
        "form": input,
        "schemes": schemes.iter().map(|s| json!({"id": s.id.to_string(), "name": s.display_name(ui.lang())})).collect::<Vec<_>>(),
        "categories": ui.state.config.breakdowns.categories.iter().map(|c| json!({"value": c, "label": format!("breakdown-cat-{c}")})).collect::<Vec<_>>(),
        "supplies": supply_options(),
    })
}

async fn schemes_of(
    state: &web::Data<AppState>,
    actor: &Actor,
) -> AppResult<Vec<crate::schemes::Scheme>> {
    let scope = actor.scope;
    let f = crate::schemes::SchemeFilter::default();
    Ok(state
        .db
        .run(move |c| crate::schemes::list(c, &scope, &f, PageRequest::new(Some(1), 200)))
        .await?
        .0)
}

/// The report form; `?scheme=&asset=&task=` prefill it (a failed maintenance check links here).
async fn new_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<std::collections::HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ReportBreakdown)?;
    let g = |k: &str| q.get(k).cloned().unwrap_or_default();
    let input = ReportInput {
        scheme_id: g("scheme"),
        asset_id: g("asset"),
        from_task_id: g("task"),
        supply: Supply::Partial.as_str().into(),
        category: g("category"),
        ..Default::default()
    };
    let schemes = schemes_of(&ui.state, &actor).await?;
    ui.render(
        "breakdowns/form",
        "breakdown-new-title",
        form_data(&ui, &input, &schemes),
    )
}

/// The report form: urlencoded, or multipart with up to three photos.
async fn report_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ReportBreakdown)?;
    let mut fields =
        crate::web::forms::read_any_form(&req, payload, ui.state.config.server.max_body_bytes)
            .await?;
    let files = photos::photos_from_form(&mut fields);
    let input: ReportInput = crate::web::forms::from_fields(&fields);
    let result = match photos::check_photos(&ui.state, files).await? {
        Ok(photos) => {
            let (a, ip, input) = (actor.clone(), client_ip(&req), input.clone());
            let r = ui
                .state
                .service(move |ctx| service::report(ctx, &a, &ip, input, photos, "app"))
                .await;
            figures_changed(&ui.state, &r);
            r
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    match result {
        Ok(b) => Ok(redirect_flash(
            &format!("/breakdowns/{}", b.id),
            "flash-breakdown-reported",
        )),
        Err(AppError::Validation(e)) => {
            let schemes = schemes_of(&ui.state, &actor).await?;
            ui.render_invalid(
                "breakdowns/form",
                "breakdown-new-title",
                &e,
                form_data(&ui, &input, &schemes),
            )
        }
        Err(e) => Err(e),
    }
}

pub(crate) async fn detail_data(ui: &Ui, actor: &Actor, id: i64) -> AppResult<Value> {
    let scope = actor.scope;
    let (b, events, scheme, dups, photos, village, expense) = ui
        .state
        .db
        .run(move |c| {
            let b = model::find_in_scope(c, &scope, id)?;
            let events = model::timeline(c, id)?;
            let scheme = crate::schemes::find(c, b.scheme_id)?;
            let dups = model::likely_duplicates(c, &b)?;
            let photos = photos::of_breakdown(c, id)?;
            let village = match b.village_id {
                Some(v) => Some(crate::places::model::find(c, v)?),
                None => None,
            };
            let expense = crate::billing::cashbook::model::entry_for(
                c,
                crate::billing::cashbook::WorkLink::Breakdown(id),
            )?;
            Ok((b, events, scheme, dups, photos, village, expense))
        })
        .await?;
    let now = ui.state.clock.now();
    // one form per step the actor may take, each with only its own fields
    let next: Vec<Value> = next_statuses(&b.status)
        .iter()
        .filter(|s| may(actor, **s))
        .map(|s| {
            json!({
                "value": s.as_str(), "label": s.label_key(),
                "assign": *s == Status::InProgress,
                "resolve": *s == Status::Resolved,
                "duplicate": *s == Status::Duplicate,
                "note_required": matches!(s, Status::Rejected | Status::Reopened),
                "current": false,
            })
        })
        .collect();
    Ok(json!({
        "b": breakdown_json(&b, now),
        "scheme": {"id": scheme.id, "name": scheme.display_name(ui.lang())},
        "events": events.iter().map(|e| json!({
            "kind_key": format!("breakdown-event-{}", e.kind), "to_key": e.to_status.as_ref().map(|s| format!("breakdown-status-{s}")),
            "note": e.note.as_deref().map(|n| ui.state.i18n.system_text(ui.lang(), n)), "by": e.actor_name, "at": format_datetime(e.at),
        })).collect::<Vec<_>>(),
        "next": next,
        "duplicates": dups.iter().map(|d| json!({"id": d.id, "number": d.number})).collect::<Vec<_>>(),
        "statuses": crate::schemes::assets::AssetStatus::options(),
        "scheme_statuses": crate::schemes::SchemeStatus::options(),
        // the repair's cost goes to the cash book unless the secretary unticks it
        "form": TransitionInput { record_expense: "true".into(), ..TransitionInput::default() },
        "can_record_expense": actor.can(Verb::ManageBilling) && expense.is_none(),
        "expense": expense.map(|e| crate::billing::cashbook::pages::entry_link(&e)),
        "photos": photos.iter().map(|p| p.id).collect::<Vec<_>>(),
        "village": village.map(|v| v.display_name(ui.lang()).to_string()),
        "can_review": actor.can(Verb::ReviewBreakdowns),
        "levels": (0..=2).filter(|l| *l != b.escalation_level).map(|l| json!({"value": l, "label": format!("breakdown-level-{l}")})).collect::<Vec<_>>(),
        "today": crate::web::i18n::today_in_india(now).to_string(),
    }))
}

async fn detail_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBreakdowns)?;
    let data = detail_data(&ui, &actor, path.into_inner()).await?;
    ui.render("breakdowns/detail", "breakdown-title", data)
}

/// A page's form as sent: the use case's input, with the idempotency key and the choice made
/// about a breakdown that changed meanwhile (`web::changed`).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct Resent<T> {
    #[serde(flatten)]
    input: T,
    idempotency_key: String,
    on_conflict: String,
}

async fn transition_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<Resent<TransitionInput>>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBreakdowns)?;
    let id = path.into_inner();
    let sent = crate::web::changed::form_fields(&*form);
    let resend = Resend::from_request(&req, &form.on_conflict);
    let input = form.into_inner().input;
    let (a, ip, inp) = (actor.clone(), client_ip(&req), input.clone());
    let r = ui
        .state
        .service(move |ctx| service::transition(ctx, &a, &ip, id, inp, resend))
        .await
        .map_err(|e| keep_form(e, sent.iter().map(|(k, v)| (k.as_str(), v.clone()))));
    figures_changed(&ui.state, &r);
    match r {
        Ok(b) if resend.chose(Choice::KeepBoth) && b.status != input.to.trim() => Ok(
            redirect_flash(&format!("/breakdowns/{id}"), "flash-conflict-kept-both"),
        ),
        Ok(_) => Ok(redirect_flash(
            &format!("/breakdowns/{id}"),
            "flash-breakdown-updated",
        )),
        Err(AppError::Validation(e)) => {
            let mut data = detail_data(&ui, &actor, id).await?;
            // the step that failed keeps what was typed and shows its errors
            if let Some(steps) = data["next"].as_array_mut() {
                for step in steps {
                    step["current"] = json!(step["value"] == input.to.trim());
                }
            }
            data["form"] = json!(input);
            ui.render_invalid("breakdowns/detail", "breakdown-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

async fn comment_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<Resent<CommentInput>>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewBreakdowns)?;
    let id = path.into_inner();
    let sent = crate::web::changed::form_fields(&*form);
    let resend = Resend::from_request(&req, &form.on_conflict);
    let (a, note) = (actor.clone(), form.into_inner().input.note);
    match ui
        .state
        .service(move |ctx| service::comment(ctx, &a, id, note, resend))
        .await
        .map_err(|e| keep_form(e, sent.iter().map(|(k, v)| (k.as_str(), v.clone()))))
    {
        Ok(()) => Ok(redirect_flash(
            &format!("/breakdowns/{id}"),
            "flash-comment-added",
        )),
        Err(AppError::Validation(e)) => {
            let data = detail_data(&ui, &actor, id).await?;
            ui.render_invalid("breakdowns/detail", "breakdown-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

/// The workflow's statuses for a select.
pub(crate) fn status_options() -> Vec<Value> {
    Status::ALL
        .iter()
        .map(|s| json!({"value": s.as_str(), "label": s.label_key()}))
        .collect()
}

/// How bad the supply is, for a select.
pub(crate) fn supply_options() -> Vec<Value> {
    Supply::ALL
        .iter()
        .map(|s| json!({"value": s.as_str(), "label": s.label_key()}))
        .collect()
}
