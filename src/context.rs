//! What a use case needs and nothing more: the database, the clock and the configuration.
//! Every area's `service.rs` takes a `&Ctx`; handlers get one from the app's state
//! (`AppState::service`, which runs the use case on the blocking pool), the command line and
//! the scheduler build one from what they opened. No web type reaches a service.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use std::sync::Arc;

#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    pub clock: Clock,
    pub config: Arc<Config>,
}

impl Ctx {
    pub fn new(db: Db, clock: Clock, config: Arc<Config>) -> Ctx {
        Ctx { db, clock, config }
    }

    /// The clock's "now" (UTC).
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock.now()
    }
}
