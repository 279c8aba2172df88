//! The phone's snapshot: what a field user needs with no signal, read in one go.

use super::{model, SNAPSHOT_MAX};
use crate::auth::{Actor, Verb};
use crate::billing::households::Household;
use crate::context::Ctx;
use crate::error::AppResult;
use crate::maintenance::{Plan, Task};
use crate::schemes::assets::model::AssetFilter;
use crate::schemes::assets::Asset;
use crate::schemes::model::SchemeFilter;
use crate::schemes::Scheme;
use crate::water_quality::points::SamplingPoint;
use crate::web::i18n::today_in_india;
use crate::web::pagination::PageRequest;
use chrono::NaiveDateTime;

/// What the phone keeps (each list inside the actor's scope, at most [`SNAPSHOT_MAX`]).
pub struct Snapshot {
    /// When it was read (UTC): sent back with each queued form as `Paani-Seen-At`.
    pub synced_at: NaiveDateTime,
    /// The member's home list: open tasks due within the week and the overdue.
    pub tasks: Vec<(Task, Plan)>,
    pub schemes: Vec<Scheme>,
    /// Assets in service.
    pub assets: Vec<Asset>,
    /// Active sampling points (for the water-test form).
    pub points: Vec<SamplingPoint>,
    /// For a collector (`Verb::ManageBilling`): the households that owe, with what they owe.
    pub households: Option<Vec<(Household, i64)>>,
}

/// The snapshot for `actor`, as of the clock's now.
pub fn snapshot(ctx: &Ctx, actor: &Actor) -> AppResult<Snapshot> {
    let now = ctx.now();
    let today = today_in_india(now);
    let scope = actor.scope;
    let page = PageRequest::new(Some(1), SNAPSHOT_MAX);
    let mut conn = ctx.db.conn()?;
    let c = &mut conn;
    let tasks = match actor.can(Verb::ViewMaintenance) {
        true => {
            let f = crate::maintenance::my_tasks_filter(today);
            crate::maintenance::model::list_tasks(c, &scope, &f, page)?.0
        }
        false => Vec::new(),
    };
    let schemes = crate::schemes::model::list(c, &scope, &SchemeFilter::default(), page)?.0;
    let assets = crate::schemes::assets::model::list(c, &scope, &AssetFilter::default(), page)?.0;
    let points =
        crate::water_quality::points::model::list_in_scope(c, &scope, None, None, 0, SNAPSHOT_MAX)?
            .0
            .into_iter()
            .filter(|p| p.active)
            .collect();
    let households = match actor.can(Verb::ManageBilling) {
        true => Some(model::households_with_dues(c, &scope, SNAPSHOT_MAX)?),
        false => None,
    };
    Ok(Snapshot {
        synced_at: now,
        tasks,
        schemes,
        assets,
        points,
        households,
    })
}
