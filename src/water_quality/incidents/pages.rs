//! Incident pages: the list (open or ended, by scheme, in pages), an incident with its
//! timeline and the step forms (send to the laboratory, a remedial action, close), and the
//! advisory block the scheme's public page and the member's home show while one is open.

use super::model::{self, Incident, IncidentFilter};
use super::service::{self, Notice};
use super::{advisory_keys, CloseInput, Group, Remedy, RemedyInput, SendInput, Status};
use crate::auth::{Actor, Verb};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};
use crate::water_quality::{Class, Standard, TestKind};
use crate::web::i18n::{format_date, format_datetime, today_in_india, I18n, Lang};
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/water-quality/incidents", web::get().to(list_page))
        .route(
            "/water-quality/incidents/{id:\\d+}",
            web::get().to(detail_page),
        )
        .route(
            "/water-quality/incidents/{id:\\d+}/sent-to-lab",
            web::post().to(send_submit),
        )
        .route(
            "/water-quality/incidents/{id:\\d+}/remedies",
            web::post().to(remedy_submit),
        )
        .route(
            "/water-quality/incidents/{id:\\d+}/close",
            web::post().to(close_submit),
        );
}

/// The failing parameters' names in the reader's language.
fn parameter_names(std: &Standard, i: &Incident, lang: Lang) -> String {
    i.parameter_list()
        .iter()
        .map(|c| {
            std.parameter(c)
                .map(|p| p.label(lang).to_string())
                .unwrap_or_else(|| c.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn incident_json(std: &Standard, i: &Incident, lang: Lang, today: chrono::NaiveDate) -> Value {
    json!({
        "id": i.id,
        "status": i.status, "status_key": Status::label_key_of(&i.status),
        "open": i.status().is_open(),
        "group_key": Group::label_key_of(&i.grp),
        "parameters": parameter_names(std, i, lang),
        "detected_on": format_date(i.detected_on),
        "due_on": i.due_on.map(format_date),
        "overdue": i.due_on.is_some_and(|d| d < today),
        "laboratory": i.laboratory, "sent_on": i.sent_on.map(format_date),
        "opened_sample_id": i.opened_sample_id, "lab_sample_id": i.lab_sample_id,
        "retest_sample_id": i.retest_sample_id,
        "closed_at": i.closed_at.map(format_datetime),
    })
}

async fn list_page(ui: Ui, actor: Actor, q: web::Query<IncidentFilter>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let f = q.into_inner();
    let page = PageRequest::new(f.page, ui.state.config.server.page_size);
    let (scope, lang, f2) = (actor.scope, ui.lang(), f.clone());
    let (rows, total, names) = ui
        .state
        .db
        .run(move |c| {
            let (rows, total) = model::list(c, &scope, &f2, page.offset(), page.limit())?;
            let mut names = std::collections::HashMap::new();
            for i in &rows {
                if let std::collections::hash_map::Entry::Vacant(e) = names.entry(i.point_id) {
                    let p = crate::water_quality::points::model::find(c, i.point_id)?;
                    let s = crate::schemes::model::find(c, i.scheme_id)?;
                    e.insert((
                        p.display_name(lang).to_string(),
                        s.display_name(lang).to_string(),
                    ));
                }
            }
            Ok((rows, total, names))
        })
        .await?;
    let std = ui.state.part::<Standard>();
    let today = today_in_india(ui.state.clock.now());
    let items: Vec<Value> = rows
        .iter()
        .map(|i| {
            let mut v = incident_json(std, i, lang, today);
            if let Some((p, s)) = names.get(&i.point_id) {
                v["point"] = json!(p);
                v["scheme"] = json!(s);
            }
            v
        })
        .collect();
    let status = f.status.clone().unwrap_or_else(|| "open".into());
    let statuses: Vec<Value> = ["open", "closed", "all"]
        .iter()
        .map(|s| json!({"value": s, "label": format!("wq-incidents-filter-{s}")}))
        .collect();
    let qs = query_string(&[
        ("status", Some(status.clone())),
        ("scheme", f.scheme.map(|s| s.to_string())),
    ]);
    ui.render(
        "water_quality/incidents/list",
        "wq-incidents-title",
        json!({
            "incidents": items,
            "status": status,
            "scheme": f.scheme,
            "statuses": statuses,
            "pager": Pager::new(page, total, "/water-quality/incidents", &qs),
        }),
    )
}

async fn detail_data(ui: &Ui, actor: &Actor, id: i64) -> AppResult<Value> {
    let (scope, lang) = (actor.scope, ui.lang());
    let (i, events, point, scheme) = ui
        .state
        .db
        .run(move |c| {
            let i = model::find_in_scope(c, &scope, id)?;
            let events = model::events_of(c, &i)?;
            let point = crate::water_quality::points::model::find(c, i.point_id)?;
            let scheme = crate::schemes::model::find(c, i.scheme_id)?;
            Ok((i, events, point, scheme))
        })
        .await?;
    let std = ui.state.part::<Standard>();
    let now = ui.state.clock.now();
    let today = today_in_india(now);
    let status = i.status();
    let manage = actor.can(Verb::ManageWaterQuality);
    let record = actor.can(Verb::RecordWaterTest);
    let i18n = &ui.state.i18n;
    Ok(json!({
        "i": incident_json(std, &i, lang, today),
        "point": {"id": point.id, "name": point.display_name(lang)},
        "scheme": {"id": scheme.id, "name": scheme.display_name(lang)},
        "advisories": advisory_keys(i18n, i.group(), &i.parameter_list()).iter().map(|k| i18n.t(lang, k, &[])).collect::<Vec<_>>(),
        "events": events.iter().map(|e| json!({
            "kind_key": format!("wq-incident-event-{}", e.kind),
            "to_key": e.to_status.as_deref().map(Status::label_key_of),
            "action_key": e.action.as_deref().map(Remedy::label_key_of),
            "done_on": e.done_on.map(format_date), "done_by": e.done_by,
            "sample_id": e.sample_id,
            "note": e.note, "by": e.actor_name, "at": format_datetime(e.at),
        })).collect::<Vec<_>>(),
        "can_send": manage && status == Status::Open,
        "can_remedy": manage && status.is_open(),
        "can_close": manage && status == Status::Retested,
        "close_blocked": manage && status.is_open() && status != Status::Retested,
        "lab_link": (record && TestKind::Laboratory.recordable_by(actor.role)
            && matches!(status, Status::Open | Status::SentToLab))
            .then(|| format!("/water-quality/points/{}/samples/new?kind=laboratory", point.id)),
        "retest_link": (record && status == Status::Remediating)
            .then(|| format!("/water-quality/points/{}/samples/new", point.id)),
        "remedies": Remedy::options(),
        "send": SendInput { sent_on: today.to_string(), ..Default::default() },
        "remedy": RemedyInput { done_on: today.to_string(), ..Default::default() },
        "close": CloseInput::default(),
        "today": today.to_string(),
        "failed": null,
    }))
}

async fn detail_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let data = detail_data(&ui, &actor, path.into_inner()).await?;
    ui.render("water_quality/incidents/detail", "wq-incident-title", data)
}

/// A step's answer: back to the incident, or the page again with the step's errors and
/// what was typed (`slot`: the form's data name).
async fn after(
    ui: Ui,
    actor: Actor,
    id: i64,
    r: AppResult<Incident>,
    slot: &str,
    typed: Value,
) -> AppResult<HttpResponse> {
    match r {
        Ok(_) => Ok(redirect_flash(
            &format!("/water-quality/incidents/{id}"),
            "flash-wq-incident-updated",
        )),
        Err(AppError::Validation(e)) => {
            let mut data = detail_data(&ui, &actor, id).await?;
            data[slot] = typed;
            data["failed"] = json!(slot);
            ui.render_invalid(
                "water_quality/incidents/detail",
                "wq-incident-title",
                &e,
                data,
            )
        }
        Err(e) => Err(e),
    }
}

/// A step's service function (send to the laboratory, a remedy, the close).
type StepFn<T> = fn(&Ctx, &Actor, &str, i64, T) -> AppResult<Incident>;

/// Take a step from its form: the service's answer, or the page again with what was typed
/// in the step's form (`slot`).
async fn step_submit<T: Serialize + Clone + Send + 'static>(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    id: i64,
    input: T,
    slot: &str,
    step: StepFn<T>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManageWaterQuality)?;
    let (a, ip, i2) = (actor.clone(), client_ip(&req), input.clone());
    let r = ui
        .state
        .service(move |ctx| step(ctx, &a, &ip, id, i2))
        .await;
    after(ui, actor, id, r, slot, json!(input)).await
}

async fn send_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<SendInput>,
) -> AppResult<HttpResponse> {
    let (id, input) = (path.into_inner(), form.into_inner());
    step_submit(ui, actor, req, id, input, "send", service::send_to_lab).await
}

async fn remedy_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<RemedyInput>,
) -> AppResult<HttpResponse> {
    let (id, input) = (path.into_inner(), form.into_inner());
    step_submit(ui, actor, req, id, input, "remedy", service::add_remedy).await
}

async fn close_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<CloseInput>,
) -> AppResult<HttpResponse> {
    let (id, input) = (path.into_inner(), form.into_inner());
    step_submit(ui, actor, req, id, input, "close", service::close).await
}

/// The advisory block: each open incident's advice in Hindi and in English (whatever the
/// page's language: neighbours read either), and when the water was last tested and whether
/// it met the standard (in the page's language). `Null` when there is nothing to say.
pub fn notice_json(i18n: &I18n, lang: Lang, n: &Notice) -> Value {
    let mut keys: Vec<String> = vec![];
    for i in &n.open {
        for k in advisory_keys(i18n, i.group(), &i.parameter_list()) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    if keys.is_empty() && n.latest.is_none() {
        return Value::Null;
    }
    json!({
        "advisories": keys.iter().map(|k| json!({
            "hi": i18n.t(Lang::Hi, k, &[]), "en": i18n.t(Lang::En, k, &[]),
        })).collect::<Vec<_>>(),
        "heading_hi": i18n.t(Lang::Hi, "wq-advisory-heading", &[]),
        "heading_en": i18n.t(Lang::En, "wq-advisory-heading", &[]),
        "last_tested": n.latest.as_ref().map(|s| {
            let met = !Class::parse(&s.overall_class).is_some_and(Class::fails);
            i18n.t(
                lang,
                if met { "wq-public-last-tested-met" } else { "wq-public-last-tested-not-met" },
                &[("date", format_date(s.tested_on))],
            )
        }),
        "lang": lang.code(),
    })
}

/// The member's home: the advisories of her GP's schemes with an open incident.
pub async fn home_notice(ui: &Ui, actor: &Actor) -> AppResult<Value> {
    if !actor.can(Verb::ViewWaterQuality) {
        return Ok(Value::Null);
    }
    let scope = actor.scope;
    let open = ui
        .state
        .db
        .run(move |c| model::open_in_scope(c, &scope))
        .await?;
    if open.is_empty() {
        return Ok(Value::Null);
    }
    let mut v = notice_json(
        &ui.state.i18n,
        ui.lang(),
        &Notice {
            open: open.clone(),
            latest: None,
        },
    );
    v["incidents"] = json!(open
        .iter()
        .map(|i| format!("/water-quality/incidents/{}", i.id))
        .collect::<Vec<_>>());
    Ok(v)
}
