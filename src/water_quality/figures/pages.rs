//! The figures page of a place (a GP, block, district; one line per GP) and the export of
//! every value tested, in a state water-quality MIS's columns (CSV).

use super::model::{export_rows, ExportRow};
use super::service::{self, PlaceFigures};
use super::{season_of, WaterQualityFigures, EXPORT_COLUMNS};
use crate::auth::Actor;
use crate::auth::Verb;
use crate::error::{AppError, AppResult};
use crate::water_quality::standard::format_micro;
use crate::water_quality::Standard;
use crate::web::i18n::{format_date, name_in, today_in_india};
use crate::web::render::Ui;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

/// Most values one export holds (a district's two years fit; narrow the dates beyond).
pub const EXPORT_MAX_ROWS: i64 = 500_000;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/water-quality/figures", web::get().to(figures_page))
        .route("/water-quality/export.csv", web::get().to(export_csv));
}

#[derive(Debug, Default, Deserialize)]
pub struct FiguresQuery {
    /// A GP, block, district or state in the reader's scope; none: the whole scope.
    #[serde(default, deserialize_with = "crate::web::forms::empty_as_none")]
    pub place: Option<i64>,
    /// The export's first and last test day (YYYY-MM-DD); the season by default.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

fn pct(p: Option<f64>) -> Value {
    p.map_or(Value::Null, |p| json!(format!("{p:.1}")))
}

/// The labels of the open incidents' age buckets ([`super::AGE_BUCKETS`]).
const AGE_LABELS: [&str; 4] = [
    "wq-figures-age-0-7",
    "wq-figures-age-8-30",
    "wq-figures-age-31-90",
    "wq-figures-age-91",
];

/// A figures block as the templates show it (dashboards use it too).
pub fn figures_json(f: &WaterQualityFigures) -> Value {
    json!({
        "points": f.points, "points_tested": f.points_tested,
        "tests": f.tests, "tests_within": f.tests_within, "within_percent": pct(f.within_percent),
        "tests_failed": f.tests_beyond_permissible + f.tests_bacteria_present,
        "tests_bacteria_present": f.tests_bacteria_present,
        "season_from": f.season_from.map(format_date), "season_to": f.season_to.map(format_date),
        "incidents_open": f.incidents_open_by_age.as_ref().map(|v| v.iter().sum::<i64>()),
        "incidents_by_age": f.incidents_open_by_age.as_ref().map(|v| {
            v.iter()
                .zip(AGE_LABELS)
                .map(|(n, label)| json!({"label": label, "n": n}))
                .collect::<Vec<_>>()
        }),
        "retests_closed": f.retests_closed,
        "days_to_retest": pct(f.days_to_passing_retest),
        "tests_overdue": f.tests_overdue,
        "has_incidents": f.incidents_open_by_age.is_some(), "has_overdue": f.tests_overdue.is_some(),
        "has_retests": f.retests_closed.is_some(),
    })
}

async fn figures_page(
    ui: Ui,
    actor: Actor,
    q: web::Query<FiguresQuery>,
) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let (scope, place, lang) = (actor.scope, q.place, ui.lang());
    let today = today_in_india(ui.state.clock.now());
    let grace = ui.state.config.maintenance.grace_days;
    let f: PlaceFigures = ui
        .state
        .db
        .run(move |c| service::place_figures(c, &scope, place, today, grace))
        .await?;
    let gps: Vec<Value> = f
        .gps
        .iter()
        .map(|g| {
            let mut v = figures_json(&g.figures);
            v["name"] = json!(name_in(lang, &g.name, g.name_hi.as_deref()));
            v["gp_id"] = json!(g.gp_id);
            v
        })
        .collect();
    ui.render(
        "water_quality/figures",
        "wq-figures-title",
        json!({
            "place": f.place_id,
            "place_name": f.name.as_deref().map(|n| name_in(lang, n, f.name_hi.as_deref())),
            "total": figures_json(&f.total),
            "gps": gps,
            "many": f.gps.len() > 1,
            "season_from": format_date(f.season_from), "season_to": format_date(f.season_to),
        }),
    )
}

/// What the MIS calls who tested: FTK (and the H2S vial, a field kit) or the laboratory.
fn tested_by(kind: &str) -> &'static str {
    match kind {
        "laboratory" => "LAB",
        "h2s" => "FTK-H2S",
        _ => "FTK",
    }
}

fn value_text(r: &ExportRow) -> String {
    match (r.value_micro, r.present, r.agreeable) {
        (Some(v), _, _) => format_micro(v),
        (_, Some(true), _) => "present".into(),
        (_, Some(false), _) => "absent".into(),
        (_, _, Some(true)) => "agreeable".into(),
        (_, _, Some(false)) => "not_agreeable".into(),
        _ => String::new(),
    }
}

/// The limits of a parameter as the export writes them: acceptable, and permissible (the
/// acceptable limit again where the standard allows no relaxation); `absent` / `agreeable`
/// for the parameters read that way.
pub fn limits_text(std: &Standard, code: &str) -> (String, String) {
    use crate::water_quality::Measure;
    let Some(p) = std.parameter(code) else {
        return (String::new(), String::new());
    };
    match p.measure {
        Measure::Presence => ("absent".into(), "absent".into()),
        Measure::Agreeable => ("agreeable".into(), "agreeable".into()),
        Measure::Number => {
            let a = p.acceptable_text().unwrap_or_default();
            let b = p.permissible_text().unwrap_or_else(|| a.clone());
            (a, b)
        }
    }
}

fn date_param(s: &Option<String>) -> Result<Option<chrono::NaiveDate>, AppError> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => crate::web::forms::parse_date(s)
            .map(Some)
            .ok_or(AppError::BadRequest("wq-export-bad-date".into())),
    }
}

async fn export_csv(ui: Ui, actor: Actor, q: web::Query<FiguresQuery>) -> AppResult<HttpResponse> {
    actor.require(Verb::ViewWaterQuality)?;
    let today = today_in_india(ui.state.clock.now());
    let (season_from, season_to) = season_of(today);
    let from = date_param(&q.from)?.unwrap_or(season_from);
    let to = date_param(&q.to)?.unwrap_or(season_to);
    let (scope, place) = (actor.scope, q.place);
    let (rows, places, gps) = ui
        .state
        .db
        .run(move |c| {
            let gps = service::gps_of(c, &scope, place)?;
            let ids: Vec<i64> = gps.iter().map(|g| g.id).collect();
            let rows = export_rows(c, &ids, from, to, EXPORT_MAX_ROWS)?;
            let mut want: Vec<i64> = rows.iter().map(|r| r.village_id).collect();
            for g in &gps {
                want.extend(
                    [g.block_id, g.district_id, g.state_id]
                        .into_iter()
                        .flatten(),
                );
            }
            want.sort_unstable();
            want.dedup();
            let places = crate::places::model::by_ids(c, &want)?;
            Ok((rows, places, gps))
        })
        .await?;
    let std = ui.state.part::<Standard>();
    let gps: std::collections::HashMap<i64, crate::dashboards::model::GpPlace> =
        gps.into_iter().map(|g| (g.id, g)).collect();
    let name = |id: Option<i64>| {
        id.and_then(|i| places.get(&i))
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    let body = rows.iter().map(|r| {
        let g = gps.get(&r.gp_id);
        let (acceptable, permissible) = limits_text(std, &r.parameter);
        vec![
            name(g.and_then(|g| g.state_id)),
            name(g.and_then(|g| g.district_id)),
            name(g.and_then(|g| g.block_id)),
            g.map(|g| g.name.clone()).unwrap_or_default(),
            name(Some(r.village_id)),
            places
                .get(&r.village_id)
                .map(|p| p.lgd_code.to_string())
                .unwrap_or_default(),
            r.point_name.clone(),
            r.point_kind.clone(),
            r.sample_id.to_string(),
            r.sampled_on.to_string(),
            r.tested_on.to_string(),
            tested_by(&r.kind).into(),
            r.laboratory.clone().unwrap_or_default(),
            r.lab_sample_no.clone().unwrap_or_default(),
            r.parameter.clone(),
            value_text(r),
            r.unit.clone(),
            acceptable,
            permissible,
            r.class.clone(),
        ]
    });
    crate::web::csv::response("water-quality-tests.csv", &EXPORT_COLUMNS, body)
}
