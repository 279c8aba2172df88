//! Maintenance pages: a scheme's plans and register (and its CSV and printable month), the
//! plan forms, "my tasks" (and its CSV), a task with completing and skipping it, ad-hoc work on
//! an asset, the usual plans applied, a place's compliance table (and its CSV), and the
//! photos of work.

use super::model::{self, Plan, Task};
use super::recurrence::Unit;
use super::templates::Library;
use super::{
    readings_text, service, validate_work, Compliance, PlanInput, Shown, SkipInput, TaskState,
    WorkInput,
};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::web::changed::{keep_form, Resend, CHOICE_FIELD};
use crate::web::i18n::{format_date, format_money, today_in_india, Lang};
use crate::web::pagination::PageRequest;
use crate::web::photos;
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Datelike, Duration, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/tasks", web::get().to(my_tasks_page))
        .route("/tasks.csv", web::get().to(my_tasks_csv))
        .route("/tasks/{id:\\d+}", web::get().to(task_page))
        .route("/tasks/{id:\\d+}/complete", web::post().to(complete_submit))
        .route("/tasks/{id:\\d+}/skip", web::post().to(skip_submit))
        .route("/photos/{id:\\d+}/{size}", web::get().to(photo))
        .route("/schemes/{id:\\d+}/maintenance", web::get().to(scheme_page))
        .route(
            "/schemes/{id:\\d+}/maintenance/templates",
            web::post().to(apply_templates),
        )
        .route(
            "/schemes/{id:\\d+}/maintenance.csv",
            web::get().to(register_csv),
        )
        .route(
            "/schemes/{id:\\d+}/maintenance/print",
            web::get().to(register_print),
        )
        .route(
            "/assets/{id:\\d+}/plans/templates",
            web::post().to(apply_asset_templates),
        )
        .route("/assets/{id:\\d+}/work", web::get().to(adhoc_page))
        .route("/assets/{id:\\d+}/work", web::post().to(adhoc_submit))
        .route(
            "/places/{id:\\d+}/maintenance",
            web::get().to(compliance_page),
        )
        .route(
            "/places/{id:\\d+}/maintenance.csv",
            web::get().to(compliance_csv),
        )
        .route("/schemes/{id:\\d+}/plans/new", web::get().to(new_plan_page))
        .route(
            "/schemes/{id:\\d+}/plans",
            web::post().to(create_plan_submit),
        )
        .route("/plans/{id:\\d+}/edit", web::get().to(edit_plan_page))
        .route("/plans/{id:\\d+}", web::post().to(edit_plan_submit));
}

fn every_label(p: &Plan) -> Value {
    json!({"unit_key": format!("every-{}", p.every_unit), "n": p.every_n, "window_start": p.window_start, "window_end": p.window_end})
}

/// Asset names (typed, Hindi) by id.
type AssetNames = std::collections::HashMap<i64, (String, Option<String>)>;

/// Every asset of a scheme, retired ones too (the register names them all).
fn scheme_assets(
    c: &mut crate::db::DbConn,
    scope: &crate::auth::Scope,
    scheme: i64,
) -> AppResult<Vec<crate::schemes::assets::Asset>> {
    let af = crate::schemes::assets::AssetFilter {
        scheme: Some(scheme),
        status: Some("all".into()),
        ..Default::default()
    };
    Ok(crate::schemes::assets::list(c, scope, &af, PageRequest::new(Some(1), 500))?.0)
}

fn names_of(assets: &[crate::schemes::assets::Asset]) -> AssetNames {
    assets
        .iter()
        .map(|a| (a.id, (a.name.clone(), a.name_hi.clone())))
        .collect()
}

/// A plan's or log's title with its asset's name in the reader's language.
fn asset_title(title: &str, asset: Option<i64>, names: &AssetNames, lang: Lang) -> String {
    match asset.and_then(|a| names.get(&a)) {
        Some((name, name_hi)) => {
            crate::schemes::assets::title_with_asset_name(title, name, name_hi.as_deref(), lang)
        }
        None => title.to_string(),
    }
}

fn task_json(t: &Task, p: &Plan, today: NaiveDate, grace: i64) -> Value {
    json!({
        "id": t.id, "title": p.title, "due_on": format_date(t.due_on), "deadline_on": format_date(t.deadline_on),
        "window": t.deadline_on != t.due_on,
        "shown": super::shown_state(t, today, grace).as_str(),
        "state_key": super::shown_state(t, today, grace).label_key(),
        "scheme_id": t.scheme_id, "asset_id": t.asset_id,
        "role": p.responsible_role, "every": every_label(p),
    })
}

/// The member's home: overdue, due today and this week, biggest first.
pub async fn my_tasks_page(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewMaintenance)?;
    let today = today_in_india(ui.state.clock.now());
    let grace = ui.state.config.maintenance.grace_days;
    let scope = actor.scope;
    let f = super::my_tasks_filter(today);
    let now = ui.state.clock.now();
    let see_breakdowns = actor.can(Verb::ViewBreakdowns);
    let spans = crate::schemes::pages::spans_gps(&actor);
    let (rows, open, places, names) = ui
        .state
        .db
        .run(move |c| {
            let (rows, _) = model::list_tasks(c, &scope, &f, PageRequest::new(Some(1), 200))?;
            let ids: Vec<i64> = rows.iter().filter_map(|(t, _)| t.asset_id).collect();
            let names = crate::schemes::assets::model::names_of(c, &ids)?;
            let open = match see_breakdowns {
                true => Some(crate::breakdowns::model::open_rows(c, &scope, None, now)?),
                false => None,
            };
            // rows across several GPs name where they are (one set of queries for the page)
            let places = match spans {
                true => {
                    let ids: Vec<i64> = rows
                        .iter()
                        .map(|(t, _)| t.scheme_id)
                        .chain(open.iter().flat_map(|o| o.0.iter().map(|b| b.scheme_id)))
                        .collect();
                    crate::schemes::model::whereabouts_of(c, &ids)?
                }
                false => Default::default(),
            };
            Ok((rows, open, places, names))
        })
        .await?;
    // while a contamination incident is open, the advisory comes first
    let water = crate::water_quality::incidents::pages::home_notice(&ui, &actor).await?;
    let (mut overdue, mut due_today, mut week) = (vec![], vec![], vec![]);
    let library = ui.state.part::<Library>();
    for (t, p) in &rows {
        let p = &library.localized(ui.lang(), p);
        let mut v = task_json(t, p, today, grace);
        v["title"] = json!(asset_title(&p.title, t.asset_id, &names, ui.lang()));
        v["where"] = crate::schemes::pages::where_json(places.get(&t.scheme_id), ui.lang());
        match super::shown_state(t, today, grace) {
            Shown::Overdue => overdue.push(v),
            Shown::Due if t.due_on == today || t.deadline_on >= today => due_today.push(v),
            _ => week.push(v),
        }
    }
    ui.render(
        "maintenance/my_tasks",
        "tasks-title",
        json!({
            "overdue": overdue, "due_today": due_today, "week": week,
            "today": format_date(today),
            "csv_url": "/tasks.csv",
            "can_record": actor.can(Verb::RecordWork),
            "breakdowns": open
                .map(|o| crate::breakdowns::open_box_json(&o, None, now, &places, ui.lang()))
                .unwrap_or(Value::Null),
            "water_notice": water,
        }),
    )
}

/// The tasks "my tasks" shows: open ones due up to a week from today (overdue ones too).
/// The tasks of "my tasks" as CSV, every one of them (the page shows the first 200), by due
/// date, with the state shown (overdue, due, upcoming). Streamed: a block has thousands.
async fn my_tasks_csv(ui: Ui, actor: Actor) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewMaintenance)?;
    let today = today_in_india(ui.state.clock.now());
    let grace = ui.state.config.maintenance.grace_days;
    let (scope, f) = (actor.scope, super::my_tasks_filter(today));
    let header = [
        "id",
        "gp_lgd_code",
        "scheme_code",
        "asset_id",
        "task",
        "due_on",
        "deadline_on",
        "state",
        "responsible_role",
    ];
    Ok(crate::web::csv::stream(
        &ui.state.db,
        "tasks.csv",
        &header,
        move |c, emit| {
            crate::web::csv::each_page(
                c,
                500,
                |c, page| Ok(model::list_tasks(c, &scope, &f, page)?.0),
                |c, rows| {
                    let gps = crate::places::model::by_ids(
                        c,
                        &rows.iter().map(|(t, _)| t.gp_id).collect::<Vec<_>>(),
                    )?;
                    let schemes =
                        crate::schemes::by_ids(c, rows.iter().map(|(t, _)| t.scheme_id).collect())?;
                    for (t, p) in rows {
                        emit(vec![
                            t.id.to_string(),
                            gps.get(&t.gp_id)
                                .map(|g| g.lgd_code.to_string())
                                .unwrap_or_default(),
                            schemes
                                .get(&t.scheme_id)
                                .map(|s| s.code.clone())
                                .unwrap_or_default(),
                            t.asset_id.map(|a| a.to_string()).unwrap_or_default(),
                            String::from(&p.title),
                            t.due_on.to_string(),
                            t.deadline_on.to_string(),
                            super::shown_state(&t, today, grace).as_str().to_string(),
                            p.responsible_role.clone().unwrap_or_default(),
                        ])?;
                    }
                    Ok(())
                },
            )
        },
    ))
}

/// A task in scope, its plan, its scheme and the cash-book entry that paid for it (if any).
type TaskRecords = (
    Task,
    Plan,
    crate::schemes::Scheme,
    Option<crate::billing::cashbook::Entry>,
    AssetNames,
);

async fn load_task(state: &web::Data<AppState>, actor: &Actor, id: i64) -> AppResult<TaskRecords> {
    let scope = actor.scope;
    state
        .db
        .run(move |c| {
            let t = model::find_task_in_scope(c, &scope, id)?;
            let p = model::find_plan(c, t.plan_id)?;
            let s = crate::schemes::find(c, t.scheme_id)?;
            let paid = crate::billing::cashbook::model::entry_for(
                c,
                crate::billing::cashbook::WorkLink::Task(id),
            )?;
            let names = crate::schemes::assets::model::names_of(c, &Vec::from_iter(t.asset_id))?;
            Ok((t, p, s, paid, names))
        })
        .await
}

fn task_page_data(ui: &Ui, actor: &Actor, task: &TaskRecords, input: &WorkInput) -> Value {
    let (t, p, s, paid, names) = task;
    let today = today_in_india(ui.state.clock.now());
    let grace = ui.state.config.maintenance.grace_days;
    let mut p = ui.state.part::<Library>().localized(ui.lang(), p);
    p.title = asset_title(&p.title, t.asset_id, names, ui.lang());
    let p = &p;
    let checked: Vec<usize> = input
        .checked
        .split(',')
        .filter_map(|x| x.trim().parse().ok())
        .collect();
    let values: Vec<&str> = input.readings.split(';').collect();
    json!({
        "task": task_json(t, p, today, grace),
        "scheme": {"id": s.id, "name": s.display_name(ui.lang())},
        "instructions": p.instructions,
        "checklist": p.checklist().iter().enumerate().map(|(i, item)| json!({"i": i, "item": item, "checked": checked.contains(&i)})).collect::<Vec<_>>(),
        "readings": p.reading_specs().iter().enumerate().map(|(i, r)| json!({"i": i, "name": r.name, "unit": r.unit, "min": r.min, "max": r.max, "value": values.get(i).map(|v| v.trim()).unwrap_or("")})).collect::<Vec<_>>(),
        "form": input,
        "statuses": crate::schemes::assets::AssetStatus::options(),
        "is_open": t.state() == Some(TaskState::Open),
        "can_record": actor.can(Verb::RecordWork),
        "can_record_expense": actor.can(Verb::ManageBilling) && paid.is_none(),
        "expense": paid.as_ref().map(crate::billing::cashbook::pages::entry_link),
    })
}

async fn task_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewMaintenance)?;
    let task = load_task(&ui.state, &actor, path.into_inner()).await?;
    // a water-quality check's task is done on its point's test or inspection form, and once
    // done shows the record that did it
    let (task_id, plan_id) = (task.0.id, task.0.plan_id);
    let check = ui
        .state
        .db
        .run(move |c| {
            let check = crate::water_quality::schedules::model::check_of_plan(c, plan_id)?;
            let record = match check {
                Some(_) => crate::water_quality::schedules::model::record_of_task(c, task_id)?,
                None => None,
            };
            Ok(check.map(|k| (k, record)))
        })
        .await?;
    if let Some(((point, kind), record)) = check {
        let form = crate::water_quality::schedules::pages::form_link(point, kind, actor.role);
        let to = match (record, form) {
            (Some((Some(s), _)), _) => format!("/water-quality/samples/{s}"),
            (Some((_, Some(i))), _) => format!("/water-quality/inspections/{i}"),
            (_, Some(form)) if task.0.state() == Some(TaskState::Open) => form,
            _ => format!("/water-quality/samples?point={point}"),
        };
        return Ok(HttpResponse::SeeOther()
            .insert_header((actix_web::http::header::LOCATION, to))
            .finish());
    }
    let input = WorkInput {
        done_on: today_in_india(ui.state.clock.now()).to_string(),
        // the cost goes to the cash book unless the secretary unticks it
        record_expense: "true".into(),
        ..Default::default()
    };
    let data = task_page_data(&ui, &actor, &task, &input);
    ui.render("maintenance/task", "task-title", data)
}

/// Checkbox and reading fields arrive as `check_<i>` and `reading_<i>`; fold them into the
/// API's shape.
fn work_from_form(fields: &std::collections::HashMap<String, Vec<u8>>) -> WorkInput {
    let f = |k: &str| {
        fields
            .get(k)
            .map(|v| String::from_utf8_lossy(v).into_owned())
            .unwrap_or_default()
    };
    let mut checked = vec![];
    let mut readings = vec![];
    for i in 0..30 {
        if fields.contains_key(&format!("check_{i}")) {
            checked.push(i.to_string());
        }
    }
    for i in 0..10 {
        readings.push(f(&format!("reading_{i}")).replace(';', ""));
    }
    while readings.last().is_some_and(|r| r.is_empty()) {
        readings.pop();
    }
    WorkInput {
        done_on: f("done_on"),
        done_by: f("done_by"),
        checked: checked.join(","),
        readings: readings.join(";"),
        notes: f("notes"),
        cost: f("cost"),
        parts: f("parts"),
        asset_status: f("asset_status"),
        title: f("title"),
        record_expense: f("record_expense"),
    }
}

/// A work form (urlencoded, or multipart with photos): the fields, and the photos checked off
/// the async threads (they are decoded to make the small copy).
async fn read_work_form(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    payload: web::Payload,
) -> AppResult<(
    WorkInput,
    Result<Vec<photos::Checked>, crate::error::FieldErrors>,
)> {
    let (input, photos, _) = read_work_form_fields(state, req, payload).await?;
    Ok((input, photos))
}

/// [`read_work_form`], with the form's other text fields as sent (less the photos).
async fn read_work_form_fields(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    payload: web::Payload,
) -> AppResult<(
    WorkInput,
    Result<Vec<photos::Checked>, crate::error::FieldErrors>,
    Vec<(String, String)>,
)> {
    let mut fields =
        crate::web::forms::read_any_form(req, payload, state.config.server.max_body_bytes).await?;
    let files = photos::photos_from_form(&mut fields);
    let mut sent: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (k.clone(), String::from_utf8_lossy(v).into_owned()))
        .collect();
    sent.sort();
    Ok((
        work_from_form(&fields),
        photos::check_photos(state, files).await?,
        sent,
    ))
}

async fn complete_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    actor.require(Verb::RecordWork)?;
    let id = path.into_inner();
    let (input, photos, sent) = read_work_form_fields(&ui.state, &req, payload).await?;
    let choice = sent
        .iter()
        .find(|(k, _)| k == CHOICE_FIELD)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    let resend = Resend::from_request(&req, choice);
    let result = match photos {
        Ok(photos) => {
            let (a, ip, input) = (actor.clone(), client_ip(&req), input.clone());
            let also = ui.t_args("conflict-also-done-note", &[("date", "{date}".into())]);
            ui.state
                .service_with(move |ctx, lib: &Library| {
                    service::complete_task(ctx, &a, &ip, lib, id, input, photos, resend, &also)
                })
                .await
                .map_err(|e| keep_form(e, sent.iter().map(|(k, v)| (k.as_str(), v.clone()))))
        }
        Err(e) => {
            // Report the other fields' problems too, in one go, checked against the task's
            // plan (its readings, its checklist) as a submission without photos would be.
            let mut all = e;
            let (_, plan, _, _, _) = load_task(&ui.state, &actor, id).await?;
            if let Err(more) = validate_work(
                Some(&plan),
                &input,
                &actor,
                ui.state.config.money,
                today_in_india(ui.state.clock.now()),
            ) {
                all.0.extend(more.0);
            }
            Err(AppError::Validation(all))
        }
    };
    match result {
        // the work kept beside a task completed meanwhile
        Ok(log) if log.task_id.is_none() => Ok(redirect_flash(
            &format!("/tasks/{id}"),
            "flash-conflict-kept-both",
        )),
        // A failed check leads straight to the breakdown form, prefilled.
        Ok(log) if input.asset_status == "failed" => Ok(redirect_flash(
            &format!(
                "/breakdowns/new?scheme={}{}&task={id}",
                log.scheme_id,
                log.asset_id
                    .map(|a| format!("&asset={a}"))
                    .unwrap_or_default()
            ),
            "flash-task-done-report",
        )),
        Ok(log) => Ok(redirect_flash(
            "/tasks",
            if log.out_of_range {
                "flash-task-done-out-of-range"
            } else {
                "flash-task-done"
            },
        )),
        Err(AppError::Validation(e)) => {
            let task = load_task(&ui.state, &actor, id).await?;
            ui.render_invalid(
                "maintenance/task",
                "task-title",
                &e,
                task_page_data(&ui, &actor, &task, &input),
            )
        }
        Err(e) => Err(e),
    }
}

/// A photo of work done (`/photos/{id}`) or its small copy (`/photos/{id}/small`), for people
/// whose scope includes its GP.
async fn photo(ui: Ui, actor: Actor, path: web::Path<(i64, String)>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewMaintenance)?;
    let (id, size) = path.into_inner();
    let small = match size.as_str() {
        "small" => true,
        "full" => false,
        _ => return Err(AppError::NotFound),
    };
    let (scope, root) = (actor.scope, ui.state.config.storage.photos_dir.clone());
    let (bytes, mime) = ui
        .state
        .db
        .run(move |c| {
            let p = model::photo_in_scope(c, &scope, id)?;
            photos::read(&root, &p, small)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(mime)
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "private, max-age=86400",
        ))
        .body(bytes))
}

async fn skip_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<SkipInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::RecordWork)?;
    let id = path.into_inner();
    let (a, ip, reason) = (actor.clone(), client_ip(&req), form.into_inner().reason);
    match ui
        .state
        .service(move |ctx| service::skip_task(ctx, &a, &ip, id, reason))
        .await
    {
        Ok(()) => Ok(redirect_flash("/tasks", "flash-task-skipped")),
        Err(AppError::Validation(e)) => {
            let task = load_task(&ui.state, &actor, id).await?;
            let mut data = task_page_data(&ui, &actor, &task, &WorkInput::default());
            data["skip_error"] = json!(true);
            ui.render_invalid("maintenance/task", "task-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Deserialize)]
struct RegisterQuery {
    /// YYYY-MM: the month to show (default: this month).
    month: Option<String>,
    /// Only work on this asset.
    asset: Option<i64>,
    /// Only work from this plan.
    plan: Option<i64>,
}

impl RegisterQuery {
    fn filter(&self, from: NaiveDate, until: NaiveDate) -> model::LogFilter {
        model::LogFilter {
            from: Some(from),
            until: Some(until),
            asset: self.asset,
            plan: self.plan,
        }
    }
}

fn month_bounds(month: Option<&str>, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = month
        .and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (first, next - Duration::days(1))
}

async fn scheme_page(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<RegisterQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewMaintenance)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let today = today_in_india(ui.state.clock.now());
    let (from, until) = month_bounds(q.month.as_deref(), today);
    let lf = q.filter(from, until);
    let grace = ui.state.config.maintenance.grace_days;
    let (scheme, plans, logs, months, photos, assets) = ui
        .state
        .db
        .run(move |c| {
            let s = crate::schemes::find_in_scope(c, &scope, id)?;
            let plans = model::plans_of_scheme(c, id)?;
            let logs = model::logs_of_scheme(c, id, lf, 500)?;
            let ids: Vec<i64> = logs.iter().map(|l| l.id).collect();
            let photos = photos::of_logs(c, &ids)?;
            let assets = scheme_assets(c, &scope, id)?;
            let mut months = vec![];
            for k in 0..6u32 {
                let start = from
                    .checked_sub_months(chrono::Months::new(k))
                    .unwrap_or(from);
                let end = start
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(start)
                    - Duration::days(1);
                let comp = model::compliance(c, &scope, Some(id), start, end.min(today), grace)?;
                months.push((start, comp));
            }
            Ok((s, plans, logs, months, photos, assets))
        })
        .await?;
    let names = names_of(&assets);
    let lang = ui.lang();
    let library = ui.state.part::<Library>();
    let prev = from
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(from);
    let next = from
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(from);
    ui.render("maintenance/scheme", "register-title", json!({
        "scheme": {"id": scheme.id, "name": scheme.display_name(lang), "code": scheme.code},
        "plans": plans.iter().map(|p| json!({"id": p.id, "title": asset_title(&library.plan_title(lang, p.template_code.as_deref(), &p.title), p.asset_id, &names, lang), "every": every_label(p), "active": p.active, "role": p.responsible_role, "water_quality": p.water_quality})).collect::<Vec<_>>(),
        "month": from.format("%Y-%m").to_string(),
        "month_label": format!("{}-{}", from.format("%m"), from.year()),
        "prev_month": prev.format("%Y-%m").to_string(),
        "next_month": next.format("%Y-%m").to_string(),
        "logs": logs.iter().map(|l| {
            let mut v = log_json_with(l, &photos, library, lang);
            v["title"] = json!(asset_title(v["title"].as_str().unwrap_or_default(), l.asset_id, &names, lang));
            v
        }).collect::<Vec<_>>(),
        "assets": assets.iter().map(|a| json!({"id": a.id, "name": a.display_name(lang)})).collect::<Vec<_>>(),
        "filter": {"asset": q.asset, "plan": q.plan},
        "filter_qs": crate::web::pagination::query_string(&[("asset", q.asset.map(|a| a.to_string())), ("plan", q.plan.map(|p| p.to_string()))]),
        "compliance": months.iter().map(|(m, c)| json!({"month": format!("{}-{}", m.format("%m"), m.year()), "due": c.due, "on_time": c.on_time, "percent": c.percent})).collect::<Vec<_>>(),
        "can_manage": actor.can(Verb::ManagePlans),
    }))
}

fn log_json_with(l: &model::Log, photos: &[photos::Photo], library: &Library, lang: Lang) -> Value {
    let mut v = log_json(l, library, lang);
    v["photos"] = json!(photos
        .iter()
        .filter(|p| p.log_id == Some(l.id))
        .map(|p| p.id)
        .collect::<Vec<_>>());
    v
}

/// A log as pages show it: its title and readings in the reader's language while they are
/// still a template's texts.
fn log_json(l: &model::Log, library: &Library, lang: Lang) -> Value {
    let people: Vec<String> = serde_json::from_str(&l.done_by).unwrap_or_default();
    let readings: Vec<super::ReadingValue> = serde_json::from_str(&l.readings).unwrap_or_default();
    let (title, readings) = library.localize_log(lang, &l.title, readings);
    json!({
        "id": l.id, "title": title, "done_on": format_date(l.done_on), "done_by": people.join(", "),
        "readings": readings.iter().map(|r| json!({"name": r.name, "value": r.value, "unit": r.unit, "out_of_range": r.out_of_range})).collect::<Vec<_>>(),
        "out_of_range": l.out_of_range, "water_quality": l.water_quality,
        "notes": l.notes, "cost": l.cost_paise.map(format_money), "task_id": l.task_id,
    })
}

/// The month's register as CSV (UTF-8 with BOM).
async fn register_csv(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<RegisterQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewMaintenance)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let today = today_in_india(ui.state.clock.now());
    let (from, until) = month_bounds(q.month.as_deref(), today);
    let lf = q.filter(from, until);
    let (scheme, logs) = ui
        .state
        .db
        .run(move |c| {
            let s = crate::schemes::find_in_scope(c, &scope, id)?;
            let logs = model::logs_of_scheme(c, id, lf, 100_000)?;
            Ok((s, logs))
        })
        .await?;
    let rows = logs.iter().map(|l| {
        let people: Vec<String> = serde_json::from_str(&l.done_by).unwrap_or_default();
        let readings: Vec<super::ReadingValue> =
            serde_json::from_str(&l.readings).unwrap_or_default();
        let parts: Vec<super::PartUsed> = serde_json::from_str(&l.parts).unwrap_or_default();
        vec![
            l.done_on.to_string(),
            l.title.clone(),
            people.join(", "),
            readings
                .iter()
                .map(|r| {
                    format!(
                        "{}={}{}{}",
                        r.name,
                        r.value,
                        r.unit,
                        if r.out_of_range {
                            " (out of range)"
                        } else {
                            ""
                        }
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            parts
                .iter()
                .map(|p| format!("{} {}", p.part, p.qty).trim().to_string())
                .collect::<Vec<_>>()
                .join("; "),
            l.cost_paise
                .map(|c| format!("{}.{:02}", c / 100, c % 100))
                .unwrap_or_default(),
            l.notes.clone().unwrap_or_default(),
        ]
    });
    crate::web::csv::response(
        &format!("maintenance-{}-{}.csv", scheme.code, from.format("%Y-%m")),
        &[
            "done_on", "work", "done_by", "readings", "parts", "cost", "notes",
        ],
        rows,
    )
}

/// The month's register on one A4 page, JJM style.
async fn register_print(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<RegisterQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewMaintenance)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let today = today_in_india(ui.state.clock.now());
    let (from, until) = month_bounds(q.month.as_deref(), today);
    let lf = q.filter(from, until);
    let grace = ui.state.config.maintenance.grace_days;
    let (scheme, gp, logs, comp, assets) = ui
        .state
        .db
        .run(move |c| {
            let s = crate::schemes::find_in_scope(c, &scope, id)?;
            let gp = crate::places::model::find(c, s.gp_id)?;
            let logs = model::logs_of_scheme(c, id, lf, 2000)?;
            let comp = model::compliance(c, &scope, Some(id), from, until.min(today), grace)?;
            let assets = scheme_assets(c, &scope, id)?;
            Ok((s, gp, logs, comp, assets))
        })
        .await?;
    let names = names_of(&assets);
    let mut logs = logs;
    logs.reverse();
    let lang = ui.lang();
    ui.render(
        "maintenance/print",
        "register-title",
        json!({
            "scheme": {"id": scheme.id, "name": scheme.display_name(lang), "code": scheme.code},
            "gp": gp.display_name(lang),
            "month_label": format!("{}-{}", from.format("%m"), from.year()),
            "logs": logs.iter().map(|l| {
                let mut v = log_json(l, ui.state.part::<Library>(), lang);
                v["title"] = json!(asset_title(v["title"].as_str().unwrap_or_default(), l.asset_id, &names, lang));
                v
            }).collect::<Vec<_>>(),
            "compliance": {"due": comp.due, "on_time": comp.on_time, "percent": comp.percent},
            "printed_on": format_date(today),
        }),
    )
}

async fn adhoc_data(ui: &Ui, actor: &Actor, id: i64, input: &WorkInput) -> AppResult<Value> {
    let scope = actor.scope;
    let a = ui
        .state
        .db
        .run(move |c| crate::schemes::assets::find_in_scope(c, &scope, id))
        .await?;
    if !a.status().in_service() {
        return Err(AppError::Conflict("asset-not-in-service".into()));
    }
    Ok(
        json!({"asset": {"id": a.id, "name": a.display_name(ui.lang())}, "form": input, "statuses": crate::schemes::assets::AssetStatus::options()}),
    )
}

async fn adhoc_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::RecordWork)?;
    let input = WorkInput {
        done_on: today_in_india(ui.state.clock.now()).to_string(),
        ..Default::default()
    };
    let data = adhoc_data(&ui, &actor, path.into_inner(), &input).await?;
    ui.render("maintenance/adhoc", "work-adhoc-title", data)
}

async fn adhoc_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    actor.require(Verb::RecordWork)?;
    let id = path.into_inner();
    let (input, photos) = read_work_form(&ui.state, &req, payload).await?;
    let result = match photos {
        Ok(photos) => {
            let (a, ip, input) = (actor.clone(), client_ip(&req), input.clone());
            ui.state
                .service(move |ctx| service::log_adhoc(ctx, &a, &ip, id, input, photos))
                .await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    match result {
        Ok(_) => Ok(redirect_flash(
            &format!("/assets/{id}"),
            "flash-work-logged",
        )),
        Err(AppError::Validation(e)) => {
            let data = adhoc_data(&ui, &actor, id, &input).await?;
            ui.render_invalid("maintenance/adhoc", "work-adhoc-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

/// Accept the usual plans proposed for a (new) asset.
async fn apply_asset_templates(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlans)?;
    let id = path.into_inner();
    let (ip, lang) = (client_ip(&req), ui.lang());
    let library = ui.state.part::<Library>().clone();
    ui.state
        .service(move |ctx| service::apply_asset_templates(ctx, &actor, &ip, &library, id, lang))
        .await?;
    Ok(redirect_flash(
        &format!("/assets/{id}"),
        "flash-templates-applied",
    ))
}

async fn apply_templates(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlans)?;
    let id = path.into_inner();
    let (ip, lang) = (client_ip(&req), ui.lang());
    let library = ui.state.part::<Library>().clone();
    ui.state
        .service(move |ctx| service::apply_scheme_templates(ctx, &actor, &ip, &library, id, lang))
        .await?;
    Ok(redirect_flash(
        &format!("/schemes/{id}/maintenance"),
        "flash-templates-applied",
    ))
}

fn plan_form_data(
    ui: &Ui,
    scheme: &crate::schemes::Scheme,
    assets: &[crate::schemes::assets::Asset],
    input: &PlanInput,
    plan_id: Option<i64>,
) -> Value {
    json!({
        "scheme": {"id": scheme.id, "name": scheme.display_name(ui.lang())},
        "assets": assets.iter().map(|a| json!({"id": a.id.to_string(), "name": a.display_name(ui.lang())})).collect::<Vec<_>>(),
        "units": Unit::ALL.iter().map(|u| json!({"value": u.as_str(), "label": format!("plan-unit-{}", u.as_str())})).collect::<Vec<_>>(),
        "form": input, "plan_id": plan_id, "is_new": plan_id.is_none(),
        "action": match plan_id { Some(p) => format!("/plans/{p}"), None => format!("/schemes/{}/plans", scheme.id) },
    })
}

async fn scheme_and_assets(
    state: &web::Data<AppState>,
    actor: &Actor,
    id: i64,
) -> AppResult<(crate::schemes::Scheme, Vec<crate::schemes::assets::Asset>)> {
    let scope = actor.scope;
    state
        .db
        .run(move |c| {
            let s = crate::schemes::find_in_scope(c, &scope, id)?;
            let f = crate::schemes::assets::AssetFilter {
                scheme: Some(id),
                ..Default::default()
            };
            let (a, _) =
                crate::schemes::assets::list(c, &scope, &f, PageRequest::new(Some(1), 500))?;
            Ok((s, a))
        })
        .await
}

async fn new_plan_page(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<std::collections::HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlans)?;
    let (s, assets) = scheme_and_assets(&ui.state, &actor, path.into_inner()).await?;
    let input = PlanInput {
        asset_id: q.get("asset").cloned().unwrap_or_default(),
        every_unit: "month".into(),
        every_n: "1".into(),
        start_on: today_in_india(ui.state.clock.now()).to_string(),
        active: "1".into(),
        ..Default::default()
    };
    ui.render(
        "maintenance/plan_form",
        "plan-new-title",
        plan_form_data(&ui, &s, &assets, &input, None),
    )
}

async fn create_plan_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<PlanInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlans)?;
    let id = path.into_inner();
    let input = form.into_inner();
    let (a, ip, inp) = (actor.clone(), client_ip(&req), input.clone());
    match ui
        .state
        .service_with(move |ctx, lib: &Library| {
            service::save_plan(ctx, &a, &ip, lib, id, None, inp)
        })
        .await
    {
        Ok(_) => Ok(redirect_flash(
            &format!("/schemes/{id}/maintenance"),
            "flash-plan-saved",
        )),
        Err(AppError::Validation(e)) => {
            let (s, assets) = scheme_and_assets(&ui.state, &actor, id).await?;
            ui.render_invalid(
                "maintenance/plan_form",
                "plan-new-title",
                &e,
                plan_form_data(&ui, &s, &assets, &input, None),
            )
        }
        Err(e) => Err(e),
    }
}

fn input_of(p: &Plan, username: Option<String>) -> PlanInput {
    PlanInput {
        asset_id: p.asset_id.map(|a| a.to_string()).unwrap_or_default(),
        title: p.title.clone(),
        instructions: p.instructions.clone().unwrap_or_default(),
        checklist: p.checklist().join("\n"),
        readings: readings_text(&p.reading_specs()),
        water_quality: if p.water_quality {
            "1".into()
        } else {
            String::new()
        },
        every_unit: p.every_unit.clone(),
        every_n: p.every_n.to_string(),
        start_on: p.start_on.to_string(),
        window_start: p.window_start.clone().unwrap_or_default(),
        window_end: p.window_end.clone().unwrap_or_default(),
        responsible_username: username.unwrap_or_default(),
        responsible_role: p.responsible_role.clone().unwrap_or_default(),
        estimated_cost: p
            .estimated_cost_paise
            .map(|c| format!("{}.{:02}", c / 100, c % 100))
            .unwrap_or_default(),
        active: if p.active { "1".into() } else { "0".into() },
    }
}

async fn edit_plan_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlans)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let (p, user) = ui
        .state
        .db
        .run(move |c| {
            let p = model::find_plan_in_scope(c, &scope, id)?;
            let user = match p.responsible_user_id {
                Some(u) => Some(crate::auth::model::find_user(c, u)?.username),
                None => None,
            };
            Ok((p, user))
        })
        .await?;
    let (s, assets) = scheme_and_assets(&ui.state, &actor, p.scheme_id).await?;
    ui.render(
        "maintenance/plan_form",
        "plan-edit-title",
        plan_form_data(&ui, &s, &assets, &input_of(&p, user), Some(id)),
    )
}

async fn edit_plan_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<PlanInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ManagePlans)?;
    let id = path.into_inner();
    let input = form.into_inner();
    let (a, ip, inp) = (actor.clone(), client_ip(&req), input.clone());
    match ui
        .state
        .service_with(move |ctx, lib: &Library| {
            service::save_plan(ctx, &a, &ip, lib, 0, Some(id), inp)
        })
        .await
    {
        Ok(p) => Ok(redirect_flash(
            &format!("/schemes/{}/maintenance", p.scheme_id),
            "flash-plan-saved",
        )),
        Err(AppError::Validation(e)) => {
            let scope = actor.scope;
            let p = ui
                .state
                .db
                .run(move |c| model::find_plan_in_scope(c, &scope, id))
                .await?;
            let (s, assets) = scheme_and_assets(&ui.state, &actor, p.scheme_id).await?;
            ui.render_invalid(
                "maintenance/plan_form",
                "plan-edit-title",
                &e,
                plan_form_data(&ui, &s, &assets, &input, Some(id)),
            )
        }
        Err(e) => Err(e),
    }
}

async fn compliance_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewMaintenance)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let today = today_in_india(ui.state.clock.now());
    let grace = ui.state.config.maintenance.grace_days;
    let lang = ui.lang();
    let spans = crate::schemes::pages::spans_gps(&actor);
    let (place, rows, places) = ui
        .state
        .db
        .run(move |c| {
            let (place, rows) = model::compliance_rows(c, &scope, id, today, grace, lang)?;
            // a scheme row names its villages and GP for a reader who sees several GPs
            let places = match spans {
                true => {
                    let ids: Vec<i64> = rows.iter().filter_map(|r| r.scheme_id).collect();
                    crate::schemes::model::whereabouts_of(c, &ids)?
                }
                false => Default::default(),
            };
            Ok((place, rows, places))
        })
        .await?;
    let pct = |c: &Compliance| json!({"due": c.due, "on_time": c.on_time, "percent": c.percent});
    let place_of = |r: &model::ComplianceRow| {
        r.scheme_id
            .and_then(|s| places.get(&s))
            .map(|w| crate::schemes::pages::where_json(Some(w), lang))
            .unwrap_or(Value::Null)
    };
    ui.render("maintenance/compliance", "compliance-title", json!({
        "place": {"id": place.id, "name": place.display_name(lang), "level_key": place.level().label_key()},
        "csv_url": format!("/places/{}/maintenance.csv", place.id),
        "rows": rows.iter().map(|r| json!({"name": r.name, "href": r.href, "where": place_of(r), "q3": pct(&r.q3), "q12": pct(&r.q12)})).collect::<Vec<_>>(),
    }))
}

/// The compliance table as on the page, as CSV (at most 500 lines: written in memory).
async fn compliance_csv(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewMaintenance)?;
    let (id, scope) = (path.into_inner(), actor.scope);
    let today = today_in_india(ui.state.clock.now());
    let grace = ui.state.config.maintenance.grace_days;
    let lang = ui.lang();
    let (place, rows) = ui
        .state
        .db
        .run(move |c| model::compliance_rows(c, &scope, id, today, grace, lang))
        .await?;
    let opt = |p: Option<i64>| p.map(|p| p.to_string()).unwrap_or_default();
    crate::web::csv::response(
        &format!("compliance-{}.csv", place.lgd_code),
        &[
            "level",
            "code",
            "name",
            "due_3_months",
            "on_time_3_months",
            "percent_3_months",
            "due_12_months",
            "on_time_12_months",
            "percent_12_months",
        ],
        rows.iter().map(|r| {
            vec![
                r.level.to_string(),
                r.code.clone(),
                String::from(&r.name),
                r.q3.due.to_string(),
                r.q3.on_time.to_string(),
                opt(r.q3.percent),
                r.q12.due.to_string(),
                r.q12.on_time.to_string(),
                opt(r.q12.percent),
            ]
        }),
    )
}
