//! Supply pages: the schemes to log (`/supply`), a scheme's supply page (today's entry at
//! the top, the last 14 days, the month's figures and functionality), a day's full form, the
//! month view and the schedule form. Every form works without JavaScript.

use super::figures::Interval;
use super::service::{self, as_thousands, DayRow, Month};
use super::{LogInput, MeterEvent, Reason, ScheduleInput, Supplied};
use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::schemes::{Scheme, SchemeFilter};
use crate::web::i18n::{format_date, today_in_india, Lang};
use crate::web::pagination::{query_string, PageRequest, Pager};
use crate::web::render::{redirect_flash, Ui};
use crate::web::session::client_ip;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};

/// Days the scheme's supply page lists.
pub const RECENT_DAYS: i64 = 14;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/supply", web::get().to(schemes_page))
        .route("/supply/month.csv", web::get().to(months_csv))
        .route(
            "/schemes/{id:\\d+}/supply/month.csv",
            web::get().to(month_csv),
        )
        .route("/schemes/{id:\\d+}/supply", web::get().to(scheme_page))
        .route("/schemes/{id:\\d+}/supply", web::post().to(log_submit))
        .route("/schemes/{id:\\d+}/supply/day", web::get().to(day_page))
        .route("/schemes/{id:\\d+}/supply/month", web::get().to(month_page))
        .route(
            "/schemes/{id:\\d+}/supply/schedule",
            web::get().to(schedule_page),
        )
        .route(
            "/schemes/{id:\\d+}/supply/schedule",
            web::post().to(schedule_submit),
        );
}

fn scheme_json(s: &Scheme, lang: Lang) -> Value {
    json!({"id": s.id, "code": s.code, "name": s.display_name(lang)})
}

fn kl(litres: Option<i64>) -> Value {
    litres
        .map(as_thousands)
        .map(Value::from)
        .unwrap_or(Value::Null)
}

fn interval_json(i: Option<Interval>) -> Value {
    match i {
        Some(i) => {
            json!({"amount": as_thousands(i.amount), "days": i.days(), "several": i.days() > 1})
        }
        None => Value::Null,
    }
}

/// A meter reading counted on a day, with its source's label key.
fn reading_json(r: Option<(i64, super::Source)>) -> Value {
    match r {
        Some((v, source)) => json!({
            "value": as_thousands(v),
            "source": source.as_str(),
            "source_key": format!("supply-read-by-{}", source.as_str()),
        }),
        None => Value::Null,
    }
}

fn day_json(r: &DayRow, today: NaiveDate) -> Value {
    let log = r.log.as_ref().map(|l| {
        json!({
            "supplied": l.supplied, "supplied_key": l.supplied().label_key(),
            "reason_key": l.reason().map(|x| x.label_key()),
            "sessions": l.sessions.replace(',', ", "),
            "hours": format!("{:.1}", f64::from(l.supply_minutes) / 60.0),
            "pumping_hours": l.pumping_minutes.map(|m| format!("{:.1}", f64::from(m) / 60.0)),
            "bulk_kl": kl(l.bulk_meter_litres),
            "bulk_event_key": (l.bulk_meter_event != "none").then(|| format!("supply-meter-{}", l.bulk_meter_event)),
            "energy_kwh": kl(l.energy_meter_wh),
            "chlorine_grams": l.chlorine_grams,
            "note": l.note,
        })
    });
    json!({
        "day": r.day.to_string(),
        "is_today": r.day == today,
        "log": log,
        "water": interval_json(r.water),
        "lpcd": r.lpcd,
        "energy": interval_json(r.energy),
        "bulk": reading_json(r.bulk_reading),
        "energy_reading": reading_json(r.energy_reading),
        "editable": r.editable,
    })
}

fn month_json(ui: &Ui, m: &Month) -> Value {
    let f = &m.figures;
    let reasons: Vec<Value> = m
        .reasons
        .iter()
        .map(|w| {
            let args: Vec<(&str, String)> = w
                .args
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            json!({"criterion": w.criterion, "text": ui.t_args(&w.key, &args)})
        })
        .collect();
    json!({
        "month": m.month.format("%Y-%m").to_string(),
        "norms": m.norms,
        "usual": m.usual,
        "figures": {
            "days": f.days, "days_logged": f.days_logged, "days_scheduled": f.days_scheduled,
            "days_supplied": f.days_supplied, "days_without_supply": f.days_without_supply,
            "days_not_logged": f.days_not_logged,
            "hours_per_day": f.hours_per_day, "pumping_hours": f.pumping_hours,
            "volume_kl": as_thousands(f.volume_litres), "days_measured": f.days_measured,
            "persons_served": f.persons_served, "lpcd": f.lpcd,
            "regularity_percent": f.regularity_percent, "hours_percent": f.hours_percent,
            "energy_kwh_per_kl": f.energy_kwh_per_kl,
            "by_reason": f.by_reason.iter().map(|r| json!({
                "reason_key": r.reason.label_key(), "days_none": r.days_none, "days_less": r.days_less,
            })).collect::<Vec<_>>(),
        },
        "quantity": m.quantity.as_str(), "quantity_key": m.quantity.label_key(),
        "regularity": m.regularity.as_str(), "regularity_key": m.regularity.label_key(),
        "quality": m.quality.as_str(), "quality_key": m.quality.label_key(),
        "functionality": m.functionality.as_str(), "functionality_key": m.functionality.label_key(),
        "reasons": reasons,
        "tail_end": m.tail_end.as_ref().map(|t| json!({
            "done_on": crate::web::i18n::format_date(t.done_on),
            "failed": t.verdict.failed(),
            "key": if t.verdict.failed() { "supply-tail-end-failed" } else { "supply-tail-end-passed" },
            "text": reasons.last().and_then(|r| r["text"].as_str()).unwrap_or_default(),
        })),
    })
}

fn choices(ui: &Ui) -> Value {
    let list = |keys: Vec<(&str, String)>| {
        keys.into_iter()
            .map(|(v, k)| json!({"value": v, "label": ui.t(&k)}))
            .collect::<Vec<_>>()
    };
    json!({
        "supplied": list(Supplied::ALL.iter().map(|s| (s.as_str(), s.label_key())).collect()),
        "reasons": list(Reason::ALL.iter().map(|s| (s.as_str(), s.label_key())).collect()),
        "meter_events": list(MeterEvent::ALL.iter().map(|s| (s.as_str(), s.label_key())).collect()),
    })
}

/// The schemes in the actor's scope with the day each was last logged, a page at a time,
/// searchable by scheme name/code or the name of a village it serves.
async fn schemes_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<SchemeFilter>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSupply)?;
    let scope = actor.scope;
    let lang = ui.lang();
    let today = today_in_india(ui.state.clock.now());
    let f = SchemeFilter {
        q: q.q.clone(),
        page: q.page,
        ..Default::default()
    };
    let page = PageRequest::new(f.page, ui.state.config.server.page_size);
    let f2 = f.clone();
    let (rows, total, last) = ui
        .state
        .db
        .run(move |c| {
            let (rows, total) = crate::schemes::list(c, &scope, &f2, page)?;
            let keys: Vec<(i64, i64)> = rows.iter().map(|s| (s.gp_id, s.id)).collect();
            let last = super::model::last_logged(c, &keys)?;
            Ok((rows, total, last))
        })
        .await?;
    let schemes: Vec<Value> = rows
        .iter()
        .map(|s| {
            let last = last.get(&s.id).copied();
            json!({
                "scheme": scheme_json(s, lang),
                "last_logged": last.map(|d| d.to_string()),
                "logged_today": last == Some(today),
            })
        })
        .collect();
    let qs = query_string(&[("q", f.q.clone())]);
    ui.render(
        "supply/schemes",
        "supply-title",
        json!({
            "schemes": schemes,
            "filter": f,
            "csv_url": format!("/supply/month.csv?{qs}"),
            "pager": Pager::new(page, total, "/supply", &qs),
        }),
    )
}

/// A scheme in the actor's scope, its `count` days up to `last` (newest first; none when
/// `count` is not positive) and, when asked, the month starting `month`.
async fn load(
    ui: &Ui,
    actor: &Actor,
    id: i64,
    last: NaiveDate,
    count: i64,
    month: Option<NaiveDate>,
) -> AppResult<(Scheme, Vec<DayRow>, Option<Month>)> {
    let (a, config, now) = (actor.clone(), ui.state.config.clone(), ui.state.clock.now());
    ui.state
        .db
        .run(move |c| {
            let scheme = crate::schemes::find_in_scope(c, &a.scope, id)?;
            let days = if count > 0 {
                service::days_of(c, &a, &config, &scheme, last, count, now)?
            } else {
                vec![]
            };
            let m = match month {
                Some(month) => Some(service::month_of(c, &config, &scheme, month, now)?),
                None => None,
            };
            Ok((scheme, days, m))
        })
        .await
}

/// The days of the month starting `month` shown up to `today`: the last one, and how many
/// (none for a month still to come).
fn days_of_month(month: NaiveDate, today: NaiveDate) -> (NaiveDate, i64) {
    let last = (month + Months::new(1) - Duration::days(1)).min(today);
    (last, (last - month).num_days() + 1)
}

/// What the scheme's supply page shows; `form` is the day form's input (kept after an error).
async fn scheme_data(ui: &Ui, actor: &Actor, id: i64, form: &LogInput) -> AppResult<Value> {
    let today = today_in_india(ui.state.clock.now());
    let month = today.with_day(1).unwrap_or(today);
    let (scheme, days, m) = load(ui, actor, id, today, RECENT_DAYS, Some(month)).await?;
    let m = m.expect("asked for");
    let lang = ui.lang();
    let today_row = days.first().map(|d| day_json(d, today));
    Ok(json!({
        "scheme": scheme_json(&scheme, lang),
        "today": today.to_string(),
        "today_row": today_row,
        "logged_today": days.first().is_some_and(|d| d.log.is_some()),
        "days": days.iter().map(|d| day_json(d, today)).collect::<Vec<_>>(),
        "month": month_json(ui, &m),
        "recent_days": RECENT_DAYS,
        "can_log": actor.can(Verb::LogSupply),
        "can_correct": actor.can(Verb::CorrectSupply),
        "can_manage_devices": actor.can(Verb::ManageSupplyDevices),
        "form": form,
    }))
}

async fn scheme_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSupply)?;
    let data = scheme_data(&ui, &actor, path.into_inner(), &LogInput::default()).await?;
    ui.render("supply/scheme", "supply-scheme-title", data)
}

#[derive(Debug, Deserialize)]
struct DayQuery {
    #[serde(default)]
    on: Option<String>,
}

fn input_of(l: &super::SupplyLog) -> LogInput {
    LogInput {
        supply_on: l.supply_on.to_string(),
        supplied: l.supplied.clone(),
        reason: l.reason.clone().unwrap_or_default(),
        sessions: l.sessions.replace(',', ", "),
        pumping_hours: l
            .pumping_minutes
            .map(|m| {
                let h = f64::from(m) / 60.0;
                format!("{}", (h * 100.0).round() / 100.0)
            })
            .unwrap_or_default(),
        bulk_meter_kl: l.bulk_meter_litres.map(as_thousands).unwrap_or_default(),
        bulk_meter_event: l.bulk_meter_event.clone(),
        bulk_meter_capacity_kl: l
            .bulk_meter_capacity_litres
            .map(as_thousands)
            .unwrap_or_default(),
        energy_meter_kwh: l.energy_meter_wh.map(as_thousands).unwrap_or_default(),
        energy_meter_event: l.energy_meter_event.clone(),
        energy_meter_capacity_kwh: l
            .energy_meter_capacity_wh
            .map(as_thousands)
            .unwrap_or_default(),
        chlorine_grams: l.chlorine_grams.map(|g| g.to_string()).unwrap_or_default(),
        note: l.note.clone().unwrap_or_default(),
    }
}

/// The full form of one day (today by default): what it holds, or the usual supply.
async fn day_data(
    ui: &Ui,
    actor: &Actor,
    id: i64,
    form: Option<LogInput>,
    on: Option<NaiveDate>,
) -> AppResult<Value> {
    let (a, config, now) = (actor.clone(), ui.state.config.clone(), ui.state.clock.now());
    let today = today_in_india(now);
    let day = on.unwrap_or(today);
    let (scheme, existing, usual, device_readings) = ui
        .state
        .db
        .run(move |c| {
            let scheme = crate::schemes::find_in_scope(c, &a.scope, id)?;
            let existing =
                super::model::log_on(c, scheme.gp_id, scheme.id, day, super::Source::Person)?;
            let usual = service::usual(c, &config, &scheme)?;
            let readings =
                super::devices::model::readings_between(c, scheme.gp_id, scheme.id, day, day)?;
            Ok((scheme, existing, usual, readings))
        })
        .await?;
    let form = form.unwrap_or_else(|| match &existing {
        Some(l) => input_of(l),
        None => LogInput {
            supply_on: day.to_string(),
            supplied: Supplied::AsUsual.as_str().into(),
            sessions: usual.sessions.replace(',', ", "),
            bulk_meter_event: MeterEvent::None.as_str().into(),
            energy_meter_event: MeterEvent::None.as_str().into(),
            ..Default::default()
        },
    });
    Ok(json!({
        "scheme": scheme_json(&scheme, ui.lang()),
        "day": form.supply_on.clone(),
        "day_shown": forms_date(&form.supply_on),
        "existing": existing.is_some(),
        "editable": service::may_edit(actor, day, today),
        "today": today.to_string(),
        "usual": usual,
        "choices": choices(ui),
        "form": form,
        "device_readings": super::devices::pages::readings_json(&device_readings),
    }))
}

fn forms_date(raw: &str) -> String {
    crate::web::forms::parse_date(raw)
        .map(format_date)
        .unwrap_or_else(|| raw.to_string())
}

async fn day_page(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<DayQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::LogSupply)?;
    let on = match q.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => Some(crate::web::forms::parse_date(raw).ok_or(AppError::NotFound)?),
    };
    let data = day_data(&ui, &actor, path.into_inner(), None, on).await?;
    ui.render("supply/day", "supply-day-title", data)
}

/// A day's log from either form: the page's "supplied as usual" button (which sends
/// `quick=1`) or the full form; a failed one shows the full form again with the input kept.
async fn log_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<LogInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::LogSupply)?;
    let id = path.into_inner();
    let input = form.into_inner();
    let (a, ip, i) = (actor.clone(), client_ip(&req), input.clone());
    match ui
        .state
        .service(move |ctx| service::save_log(ctx, &a, &ip, id, i))
        .await
    {
        Ok(_) => Ok(redirect_flash(
            &format!("/schemes/{id}/supply"),
            "flash-supply-saved",
        )),
        Err(AppError::Validation(e)) => {
            let mut input = input;
            if input.supplied.trim().is_empty() {
                input.supplied = Supplied::AsUsual.as_str().into();
            }
            let on = crate::web::forms::parse_date(&input.supply_on);
            let data = day_data(&ui, &actor, id, Some(input), on).await?;
            ui.render_invalid("supply/day", "supply-day-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Deserialize)]
struct MonthQuery {
    #[serde(default)]
    month: Option<String>,
}

/// `?month=YYYY-MM` (this month when left out); a month that does not read is 404.
pub fn month_from(raw: Option<&str>, today: NaiveDate) -> AppResult<NaiveDate> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today.with_day(1).unwrap_or(today)),
        Some(m) => crate::web::forms::parse_month(m).ok_or(AppError::NotFound),
    }
}

async fn month_page(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSupply)?;
    let today = today_in_india(ui.state.clock.now());
    let month = month_from(q.month.as_deref(), today)?;
    let (last, count) = days_of_month(month, today);
    let (scheme, days, m) = load(&ui, &actor, path.into_inner(), last, count, Some(month)).await?;
    let m = m.expect("asked for");
    let next = month + Months::new(1);
    ui.render(
        "supply/month",
        "supply-month-title",
        json!({
            "scheme": scheme_json(&scheme, ui.lang()),
            "month": month_json(&ui, &m),
            "days": days.iter().map(|d| day_json(d, today)).collect::<Vec<_>>(),
            "prev": (month - Months::new(1)).format("%Y-%m").to_string(),
            "next": (next <= today).then(|| next.format("%Y-%m").to_string()),
        }),
    )
}

async fn schedule_data(
    ui: &Ui,
    actor: &Actor,
    id: i64,
    form: Option<ScheduleInput>,
) -> AppResult<Value> {
    let (a, config) = (actor.clone(), ui.state.config.clone());
    let (scheme, usual) = ui
        .state
        .db
        .run(move |c| {
            let scheme = crate::schemes::find_in_scope(c, &a.scope, id)?;
            let usual = service::usual(c, &config, &scheme)?;
            Ok((scheme, usual))
        })
        .await?;
    let form = form.unwrap_or_else(|| ScheduleInput {
        sessions: usual.sessions.replace(',', ", "),
        days_per_week: usual.days_per_week.to_string(),
    });
    Ok(json!({"scheme": scheme_json(&scheme, ui.lang()), "usual": usual, "form": form}))
}

async fn schedule_page(ui: Ui, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    actor.require(Verb::CorrectSupply)?;
    let data = schedule_data(&ui, &actor, path.into_inner(), None).await?;
    ui.render("supply/schedule", "supply-schedule-title", data)
}

async fn schedule_submit(
    ui: Ui,
    actor: Actor,
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<ScheduleInput>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::CorrectSupply)?;
    let id = path.into_inner();
    let input = form.into_inner();
    let (a, ip, i) = (actor.clone(), client_ip(&req), input.clone());
    match ui
        .state
        .service(move |ctx| service::save_schedule(ctx, &a, &ip, id, i))
        .await
    {
        Ok(_) => Ok(redirect_flash(
            &format!("/schemes/{id}/supply"),
            "flash-supply-schedule-saved",
        )),
        Err(AppError::Validation(e)) => {
            let data = schedule_data(&ui, &actor, id, Some(input)).await?;
            ui.render_invalid("supply/schedule", "supply-schedule-title", &e, data)
        }
        Err(e) => Err(e),
    }
}

/// An optional number as text (empty when absent).
fn cell<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

const DAY_COLUMNS: &[&str] = &[
    "date",
    "supplied",
    "reason",
    "sessions",
    "supply_minutes",
    "pumping_minutes",
    "bulk_meter_kl",
    "bulk_meter_event",
    "bulk_meter_capacity_kl",
    "water_kl",
    "water_over_days",
    "lpcd",
    "energy_meter_kwh",
    "energy_meter_event",
    "energy_meter_capacity_kwh",
    "energy_kwh",
    "chlorine_grams",
    "note",
    "bulk_meter_source",
    "energy_meter_source",
];

/// A scheme's daily logs for a month (`?month=YYYY-MM`), oldest first, one row a day (days
/// without a log have only the date).
async fn month_csv(
    ui: Ui,
    actor: Actor,
    path: web::Path<i64>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSupply)?;
    let today = today_in_india(ui.state.clock.now());
    let month = month_from(q.month.as_deref(), today)?;
    let (last, count) = days_of_month(month, today);
    let (scheme, days, _) = load(&ui, &actor, path.into_inner(), last, count, None).await?;
    let rows = days.iter().rev().map(|d| {
        // the meter readings counted: the operator's, or else the day's last device reading
        let bulk = cell(d.bulk_reading.map(|r| as_thousands(r.0)));
        let energy = cell(d.energy_reading.map(|r| as_thousands(r.0)));
        let mut row = vec![d.day.to_string()];
        match &d.log {
            Some(l) => row.extend([
                l.supplied.clone(),
                l.reason.clone().unwrap_or_default(),
                l.sessions.clone(),
                l.supply_minutes.to_string(),
                cell(l.pumping_minutes),
                bulk,
                l.bulk_meter_event.clone(),
                cell(l.bulk_meter_capacity_litres.map(as_thousands)),
            ]),
            None => {
                row.extend(std::iter::repeat_n(String::new(), 5));
                row.extend([bulk, String::new(), String::new()]);
            }
        }
        row.extend([
            cell(d.water.map(|w| as_thousands(w.amount))),
            cell(d.water.map(|w| w.days())),
            cell(d.lpcd),
        ]);
        match &d.log {
            Some(l) => row.extend([
                energy,
                l.energy_meter_event.clone(),
                cell(l.energy_meter_capacity_wh.map(as_thousands)),
                cell(d.energy.map(|e| as_thousands(e.amount))),
                cell(l.chlorine_grams),
                l.note.clone().unwrap_or_default(),
            ]),
            None => {
                row.extend([energy, String::new(), String::new()]);
                row.push(cell(d.energy.map(|e| as_thousands(e.amount))));
                row.extend(std::iter::repeat_n(String::new(), 2));
            }
        }
        row.push(cell(d.bulk_reading.map(|r| r.1.as_str())));
        row.push(cell(d.energy_reading.map(|r| r.1.as_str())));
        row
    });
    crate::web::csv::response(
        &format!("supply-{}-{}.csv", scheme.code, month.format("%Y-%m")),
        DAY_COLUMNS,
        rows.collect::<Vec<_>>(),
    )
}

const MONTH_COLUMNS: &[&str] = &[
    "scheme_code",
    "scheme_name",
    "month",
    "persons_served",
    "days",
    "days_scheduled",
    "days_logged",
    "days_supplied",
    "days_without_supply",
    "days_not_logged",
    "regularity_percent",
    "hours_percent",
    "hours_per_day",
    "water_kl",
    "lpcd",
    "lpcd_norm",
    "energy_kwh_per_kl",
    "quantity",
    "regularity",
    "quality",
    "functionality",
    "bulk_readings_by_device",
];

#[derive(Debug, Deserialize)]
struct MonthsQuery {
    #[serde(default)]
    month: Option<String>,
    #[serde(default)]
    q: Option<String>,
}

/// The month's figures and functionality of every scheme in scope (the `/supply` search
/// applies), one row a scheme, streamed: 200 schemes at a time, each batch's figures read
/// with one set of queries ([`service::months_of`]).
async fn months_csv(ui: Ui, actor: Actor, q: web::Query<MonthsQuery>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewSupply)?;
    let (config, now) = (ui.state.config.clone(), ui.state.clock.now());
    let month = month_from(q.month.as_deref(), today_in_india(now))?;
    let f = SchemeFilter {
        q: q.q.clone(),
        ..Default::default()
    };
    let scope = actor.scope;
    Ok(crate::web::csv::stream(
        &ui.state.db,
        &format!("supply-{}.csv", month.format("%Y-%m")),
        MONTH_COLUMNS,
        move |c, emit| {
            let mut after = 0;
            loop {
                let batch = crate::schemes::model::list_all(c, &scope, &f, after, 200)?;
                let Some(last) = batch.last() else {
                    return Ok(());
                };
                after = last.id;
                // the batch's months from one set of queries, not one set per scheme
                let months = service::months_of(c, &config, &batch, month, now)?;
                for (s, m) in batch.into_iter().zip(months) {
                    let fg = &m.figures;
                    emit(vec![
                        s.code.clone(),
                        s.name.clone(),
                        month.format("%Y-%m").to_string(),
                        fg.persons_served.to_string(),
                        fg.days.to_string(),
                        fg.days_scheduled.to_string(),
                        fg.days_logged.to_string(),
                        fg.days_supplied.to_string(),
                        fg.days_without_supply.to_string(),
                        fg.days_not_logged.to_string(),
                        cell(fg.regularity_percent),
                        cell(fg.hours_percent),
                        cell(fg.hours_per_day),
                        as_thousands(fg.volume_litres),
                        cell(fg.lpcd),
                        m.norms.lpcd_norm.to_string(),
                        cell(fg.energy_kwh_per_kl),
                        m.quantity.as_str().into(),
                        m.regularity.as_str().into(),
                        m.quality.as_str().into(),
                        m.functionality.as_str().into(),
                        fg.bulk_readings_by_device.to_string(),
                    ])?;
                }
            }
        },
    ))
}
