//! The app factory: the one place that knows every area. It builds the state from the core
//! (configuration, database, clock, languages, views) and each area's own parts, registers
//! each area's routes, navigation entries, the home page and the bell, and starts the server
//! and the scheduler. `main` and the tests build the app through here; `web/` and `db/` know
//! no area.
//!
//! Adding an area: its folder (mod, model, service, pages, api), then one line in each of
//! [`state`] (if it keeps state), [`routes`], [`NAV`] and, for a scheduled job,
//! [`JOBS`].

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::jobs::Job;
use crate::web::metrics::Monitor;
use crate::web::render::{redirect, NavItem, Ui};
use crate::web::AppState;
use actix_web::dev::Server;
use actix_web::{web, HttpResponse};
use std::net::TcpListener;

/// The header's navigation: home, each area's entries in this order, then the account.
const NAV: &[&[NavItem]] = &[
    &[NavItem {
        href: "/",
        label: "nav-home",
        verb: None,
    }],
    crate::dashboards::NAV,
    crate::maintenance::NAV,
    crate::breakdowns::NAV,
    crate::schemes::NAV,
    crate::supply::NAV,
    crate::har_ghar_jal::NAV,
    crate::billing::NAV,
    crate::committees::NAV,
    crate::water_quality::NAV,
    crate::places::NAV,
    crate::auth::NAV,
    crate::jobs::NAV,
    crate::sms::NAV,
    crate::audit::NAV,
    &[NavItem {
        href: "/account",
        label: "nav-account",
        verb: None,
    }],
];

/// The areas' scheduled jobs, in the order the scheduler runs them (before the reminder
/// rules, e-mail and the dashboards' figures, which the scheduler runs itself).
pub const JOBS: &[Job] = &[
    // the water-quality schedule's plans first, so their tasks are generated the same day
    Job {
        name: "water_schedule",
        daily: true,
        run: crate::water_quality::schedules::service::scheduled_sync,
    },
    Job {
        name: "maintenance_generate",
        daily: true,
        run: crate::maintenance::scheduled_generate,
    },
    Job {
        name: "breakdowns_escalate",
        daily: false,
        run: crate::breakdowns::scheduled_escalate,
    },
    Job {
        name: "demands_automatic",
        daily: false,
        run: crate::billing::demands::scheduled_demands,
    },
    Job {
        name: "late_fees",
        daily: false,
        run: crate::billing::demands::scheduled_late_fees,
    },
    // after the late fees, so the amount owed includes them
    Job {
        name: "sms_overdue",
        daily: true,
        run: crate::billing::demands::scheduled_overdue_sms,
    },
    Job {
        name: "supply_check",
        daily: true,
        run: crate::supply::watch::scheduled_check,
    },
    Job {
        name: "requests_forget",
        daily: true,
        run: crate::web::idempotency::forget_old,
    },
];

/// The state every handler reaches: the core plus each area's parts.
pub fn state(config: Config, db: Db, clock: Clock) -> AppResult<AppState> {
    let catalogue = crate::schemes::catalogue::Catalogue::load(&config.catalogue)
        .map_err(|e| AppError::Config(format!("catalogue: {e}")))?;
    let templates =
        crate::maintenance::templates::Library::load(&config.maintenance.templates_file)
            .map_err(AppError::Config)?;
    let standard = crate::water_quality::Standard::load(&config.water_quality.standard_file)
        .map_err(|e| AppError::Config(format!("water-quality standard: {e}")))?;
    let checklists = crate::water_quality::inspections::Checklists::load(
        &config.water_quality.sanitary_inspection_file,
    )
    .map_err(|e| AppError::Config(format!("sanitary inspection checklists: {e}")))?;
    let mut state = AppState::core(config, db, clock)?;
    // the audit log names asset, scheme and source kinds through the catalogue
    state.add_part(crate::audit::Lists(std::sync::Arc::new(catalogue.clone())));
    state.add_part(catalogue);
    state.add_part(standard);
    state.add_part(checklists);
    state.add_part(templates);
    state.add_part(crate::breakdowns::review::FiguresCache::default());
    state.add_part(crate::dashboards::pages::ChartCache::default());
    state.nav = NAV.iter().flat_map(|area| area.iter().copied()).collect();
    state.bell = Some(crate::reminders::unread_count);
    state.monitor = Some(Monitor {
        figures: |conn, config, now, out| {
            crate::jobs::monitor::figures(conn, config, now, last_backup_at(config), out)
        },
        problems: |conn, config, now| {
            crate::jobs::monitor::problems(conn, config, now, last_backup_at(config))
        },
    });
    Ok(state)
}

/// When the newest backup in `backup.dir` was taken (UTC), for `/metrics`
/// (`paani_backup_last_success_timestamp_seconds`) and `/healthz`
/// (`health.backup_max_age_hours`); `None` before the first one (gauge left out, check
/// skipped). One directory listing: cheap enough for every health call.
pub fn last_backup_at(config: &Config) -> Option<chrono::NaiveDateTime> {
    crate::backup::latest(config).map(|b| b.made_at)
}

/// Every area's routes. Fixed paths of an area come before its `{id}` paths.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home));
    crate::auth::pages::configure(cfg);
    crate::auth::otp::pages::configure(cfg);
    crate::auth::api::configure(cfg);
    crate::dashboards::pages::configure(cfg);
    crate::dashboards::api::configure(cfg);
    crate::places::pages::configure(cfg);
    crate::places::api::configure(cfg);
    crate::schemes::pages::configure(cfg);
    crate::schemes::api::configure(cfg);
    crate::schemes::assets::pages::configure(cfg);
    crate::schemes::assets::api::configure(cfg);
    crate::supply::pages::configure(cfg);
    crate::supply::api::configure(cfg);
    crate::har_ghar_jal::pages::configure(cfg);
    crate::har_ghar_jal::api::configure(cfg);
    crate::supply::devices::pages::configure(cfg);
    crate::supply::devices::api::configure(cfg);
    crate::maintenance::pages::configure(cfg);
    crate::maintenance::api::configure(cfg);
    crate::breakdowns::public::pages::configure(cfg);
    crate::breakdowns::public::api::configure(cfg);
    crate::breakdowns::phone::pages::configure(cfg);
    crate::breakdowns::review::pages::configure(cfg);
    crate::breakdowns::review::api::configure(cfg);
    crate::breakdowns::pages::configure(cfg);
    crate::breakdowns::api::configure(cfg);
    crate::billing::households::pages::configure(cfg);
    crate::billing::households::api::configure(cfg);
    crate::billing::tariffs::pages::configure(cfg);
    crate::billing::tariffs::api::configure(cfg);
    crate::billing::demands::pages::configure(cfg);
    crate::billing::demands::api::configure(cfg);
    crate::billing::payments::pages::configure(cfg);
    crate::billing::payments::api::configure(cfg);
    crate::billing::ledger::pages::configure(cfg);
    crate::billing::ledger::api::configure(cfg);
    crate::billing::cashbook::pages::configure(cfg);
    crate::billing::cashbook::api::configure(cfg);
    crate::billing::books::pages::configure(cfg);
    crate::billing::books::api::configure(cfg);
    crate::water_quality::points::pages::configure(cfg);
    crate::water_quality::points::api::configure(cfg);
    crate::water_quality::testers::pages::configure(cfg);
    crate::water_quality::testers::api::configure(cfg);
    crate::water_quality::samples::pages::configure(cfg);
    crate::water_quality::samples::api::configure(cfg);
    crate::water_quality::incidents::pages::configure(cfg);
    crate::water_quality::incidents::api::configure(cfg);
    crate::water_quality::schedules::pages::configure(cfg);
    crate::water_quality::schedules::api::configure(cfg);
    crate::water_quality::inspections::pages::configure(cfg);
    crate::water_quality::inspections::api::configure(cfg);
    crate::water_quality::kits::pages::configure(cfg);
    crate::water_quality::kits::api::configure(cfg);
    crate::water_quality::figures::pages::configure(cfg);
    crate::water_quality::figures::api::configure(cfg);
    crate::committees::pages::configure(cfg);
    crate::committees::api::configure(cfg);
    crate::committees::meetings::api::configure(cfg);
    crate::committees::actions::api::configure(cfg);
    crate::reminders::pages::configure(cfg);
    crate::reminders::api::configure(cfg);
    crate::jobs::pages::configure(cfg);
    crate::jobs::api::configure(cfg);
    crate::sms::pages::configure(cfg);
    crate::sms::api::configure(cfg);
    crate::audit::pages::configure(cfg);
    crate::offline::pages::configure(cfg);
    crate::offline::api::configure(cfg);
    crate::api::configure(cfg);
}

/// The areas' JSON endpoints as OpenAPI documents, merged into `/api/openapi.json` (each
/// area's `api.rs` declares its endpoints once, with `endpoints!`, which also routes them).
pub fn api_documents() -> Vec<utoipa::openapi::OpenApi> {
    use utoipa::OpenApi;
    vec![
        crate::dashboards::api::Api::openapi(),
        crate::places::api::Api::openapi(),
        crate::auth::api::Api::openapi(),
        crate::schemes::api::Api::openapi(),
        crate::schemes::assets::api::Api::openapi(),
        crate::supply::api::Api::openapi(),
        crate::har_ghar_jal::api::Api::openapi(),
        crate::supply::devices::api::Api::openapi(),
        crate::water_quality::points::api::Api::openapi(),
        crate::water_quality::testers::api::Api::openapi(),
        crate::water_quality::samples::api::Api::openapi(),
        crate::water_quality::incidents::api::Api::openapi(),
        crate::water_quality::schedules::api::Api::openapi(),
        crate::water_quality::inspections::api::Api::openapi(),
        crate::water_quality::kits::api::Api::openapi(),
        crate::water_quality::figures::api::Api::openapi(),
        crate::billing::households::api::Api::openapi(),
        crate::billing::tariffs::api::Api::openapi(),
        crate::billing::demands::api::Api::openapi(),
        crate::billing::payments::api::Api::openapi(),
        crate::billing::ledger::api::Api::openapi(),
        crate::billing::cashbook::api::Api::openapi(),
        crate::billing::books::api::Api::openapi(),
        crate::maintenance::api::Api::openapi(),
        crate::breakdowns::api::Api::openapi(),
        crate::breakdowns::review::api::Api::openapi(),
        crate::breakdowns::public::api::Api::openapi(),
        crate::committees::api::Api::openapi(),
        crate::committees::meetings::api::Api::openapi(),
        crate::committees::actions::api::Api::openapi(),
        crate::reminders::api::Api::openapi(),
        crate::jobs::api::Api::openapi(),
        crate::sms::api::Api::openapi(),
        crate::offline::api::Api::openapi(),
    ]
}

/// Serve the app on `listener` (the plumbing's middleware around [`routes`]).
pub fn serve(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    crate::web::serve(listener, state, routes)
}

/// Start the scheduler inside the server when `jobs.enabled`: its first sweep (tasks up to the
/// horizon, escalation, reminders) at once, then every `jobs.interval_seconds`; its e-mail
/// uses the server's templates.
pub fn start_scheduler(state: &AppState) {
    if !state.config.jobs.enabled {
        return;
    }
    let config = (*state.config).clone();
    let mailer = crate::mail::Mailer::with(&config, state.i18n.clone(), state.views.clone());
    crate::jobs::spawn_runner(state.db.clone(), config, state.clock.clone(), mailer);
}

/// A member's home is their task list (the GP's dashboard is one tap away); a lab analyst's
/// the list of water tests of their district; everyone else's the dashboard of their place.
async fn home(ui: Ui) -> AppResult<HttpResponse> {
    let Some(actor) = ui.actor() else {
        return Ok(redirect("/login"));
    };
    let actor = actor.clone();
    if actor.role == crate::auth::Role::Member {
        return crate::maintenance::pages::my_tasks_page(ui, actor).await;
    }
    if actor.role == crate::auth::Role::LabAnalyst {
        return Ok(redirect("/water-quality/samples"));
    }
    let place = actor.user.place_id;
    crate::dashboards::pages::dashboard(ui, actor, place, Default::default()).await
}
