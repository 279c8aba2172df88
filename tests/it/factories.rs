//! Factories: each makes exactly the rows a test names, through the areas' own code (the same
//! validation and writes the pages use), on an empty database — no demo data set needed.
//!
//! ```ignore
//! let app = TestApp::spawn().await;
//! let gp = app.gp();                       // state → district → block → GP → village
//! let secretary = app.secretary_of(&gp);   // a login in that GP
//! let household = app.household(&gp);
//! app.with_demands(&gp, "2026-04");        // a tariff plan and that month's demands
//! ```
//!
//! The helpers that extend the demo data set (a "foreign" district beside it, a committee in a
//! demo GP, …) are here too, so every factory lives in one module.

use crate::helpers::TestApp;
use paani::auth::{Actor, User};
use paani::places::Level;
use std::sync::atomic::{AtomicI64, Ordering};

/// LGD codes no other factory call in this process has used (each test has its own database,
/// but codes stay unique anyway, so two GPs of one test never collide).
static NEXT: AtomicI64 = AtomicI64::new(1);

/// A gram panchayat made by [`TestApp::gp`], with its chain of places.
#[derive(Debug, Clone)]
pub struct Gp {
    pub id: i64,
    pub lgd: i64,
    pub block_lgd: i64,
    pub village_id: i64,
}

impl TestApp {
    /// An administrator to act as (made the first time it is asked for).
    pub fn admin(&self) -> Actor {
        let mut c = self.conn();
        let user = match paani::auth::model::user_by_username(&mut c, "admin").unwrap() {
            Some(u) => u,
            None => {
                drop(c);
                let u = self.add_user("admin", "admin", None);
                c = self.conn();
                u
            }
        };
        paani::auth::model::actor_for(&mut c, user, None, None).unwrap()
    }

    /// A new GP in a new state, district and block, with one village.
    pub fn gp(&self) -> Gp {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        // 2-digit state, then 2, 2 and 2 digits more, like real LGD-shaped codes
        let state = 60 + n % 39;
        let district = state * 100 + n % 97;
        let block = district * 100 + n % 89;
        let gp = block * 100 + n % 83;
        let village = gp * 100 + 1;
        for (level, code, parent) in [
            (Level::State, state, None),
            (Level::District, district, Some(state)),
            (Level::Block, block, Some(district)),
        ] {
            let exists = paani::places::model::by_lgd(&mut self.conn(), level, code)
                .unwrap()
                .is_some();
            if !exists {
                self.add_place(level, code, &format!("{level:?} {code}"), parent);
            }
        }
        let g = self.add_place(Level::Gp, gp, &format!("GP {gp}"), Some(block));
        let v = self.add_place(
            Level::Village,
            village,
            &format!("Village {village}"),
            Some(gp),
        );
        Gp {
            id: g.id,
            lgd: gp,
            block_lgd: block,
            village_id: v.id,
        }
    }

    /// A Paani Samiti member of the GP (username `member-<lgd>`).
    pub fn member_of(&self, gp: &Gp) -> User {
        self.add_user(&format!("member-{}", gp.lgd), "member", Some(gp.lgd))
    }

    /// The GP's panchayat secretary (username `secretary-<lgd>`).
    pub fn secretary_of(&self, gp: &Gp) -> User {
        self.add_user(&format!("secretary-{}", gp.lgd), "secretary", Some(gp.lgd))
    }

    /// The block engineer of the GP's block (username `engineer-<block lgd>`).
    pub fn engineer_of(&self, gp: &Gp) -> User {
        self.add_user(
            &format!("engineer-{}", gp.block_lgd),
            "block_engineer",
            Some(gp.block_lgd),
        )
    }

    /// A household (category general, connected two years ago) in the GP's village.
    pub fn household(&self, gp: &Gp) -> i64 {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        household_in(self, gp.village_id, &format!("C-{n}"))
    }

    /// A tariff plan from `month` (₹50 a month for general, ₹30 for BPL, SC and ST) and that month's
    /// demands for every household of the GP; returns how many demands were raised.
    pub fn with_demands(&self, gp: &Gp, month: &str) -> i64 {
        let admin = self.admin();
        let mut c = self.conn();
        let cats = paani::config::Config::defaults().billing.categories;
        let in_force = paani::billing::tariffs::in_force(
            &mut c,
            gp.id,
            paani::web::forms::parse_month(month).expect("a month"),
        )
        .unwrap();
        if in_force.is_none() {
            let input = paani::billing::tariffs::TariffInput {
                gp_id: gp.id.to_string(),
                effective_from: month.into(),
                rates: [("general", "50"), ("bpl", "30"), ("sc", "30"), ("st", "30")]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                ..Default::default()
            };
            paani::billing::tariffs::create(
                &mut c,
                &admin,
                &cats,
                &input,
                paani::config::Config::defaults().money,
                self.clock.now(),
            )
            .unwrap();
        }
        let scope = paani::auth::Scope::Place {
            level: Level::Gp,
            id: gp.id,
        };
        let month = paani::web::forms::parse_month(month).unwrap();
        let now = self.clock.now();
        let runs = paani::db::write_transaction(&mut c, |c| {
            let p = paani::billing::demands::preview(c, &scope, month)?;
            paani::billing::demands::raise(c, Some(&admin), &p, 10, now, |_| {})
        })
        .unwrap();
        runs.iter().map(|r| i64::from(r.demands)).sum()
    }
}

fn household_in(app: &TestApp, village_id: i64, connection_no: &str) -> i64 {
    let admin = app.admin();
    let mut c = app.conn();
    let input = paani::billing::HouseholdInput {
        village_id: village_id.to_string(),
        connection_no: connection_no.into(),
        head_name: "Test Head".into(),
        category: "general".into(),
        connected_on: "2024-04-01".into(),
        ..Default::default()
    };
    let cats = paani::config::Config::defaults().billing.categories;
    paani::billing::create(&mut c, &admin, &cats, &input, app.clock.now())
        .unwrap()
        .id
}

// ---- beside the demo data set ----

/// The demo data plus a second district with one GP and one member: "foreign" to every
/// non-admin demo user.
pub fn add_foreign_district(app: &TestApp) -> (i64, i64) {
    app.add_place(Level::District, 2399, "Far District", Some(23));
    app.add_place(Level::Block, 239901, "Far Block", Some(2399));
    let gp = app.add_place(Level::Gp, 23990101, "Far GP", Some(239901));
    let user = app.add_user("faruser", "member", Some(23990101));
    (gp.id, user.id)
}

/// A committee in the GP with one member and a planned meeting: (committee, member, meeting).
pub fn add_committee(app: &TestApp, gp_lgd: i64) -> (i64, i64, i64) {
    let actor = app.admin();
    let mut c = app.conn();
    let gp = app.place_id(Level::Gp, gp_lgd);
    let input = paani::committees::CommitteeInput {
        gp_id: gp.to_string(),
        name: "Paani Samiti".into(),
        constituted_on: "2025-01-01".into(),
        ..Default::default()
    };
    let k = paani::committees::create(&mut c, &actor, &input, app.clock.now()).unwrap();
    let cfg = paani::config::Config::defaults().committees;
    let m = paani::committees::MemberInput {
        name: "Kamla Bai".into(),
        gender: "female".into(),
        social_category: "st".into(),
        term_from: "2025-01-01".into(),
        ..Default::default()
    };
    let m = paani::committees::add_member(&mut c, &cfg, &k, &m, app.clock.now()).unwrap();
    let meeting = paani::committees::meetings::MeetingInput {
        held_on: "2026-01-10".into(),
        agenda: "Accounts".into(),
        ..Default::default()
    };
    let meeting =
        paani::committees::meetings::create(&mut c, &actor, &k, &meeting, app.clock.now()).unwrap();
    (k.id, m.id, meeting.id)
}

/// An open action item with nobody named as its owner on a meeting, made as the admin.
pub fn add_action_item(app: &TestApp, meeting: i64) -> i64 {
    let actor = app.admin();
    let mut c = app.conn();
    let m = paani::committees::meetings::find(&mut c, meeting).unwrap();
    let input = paani::committees::actions::ActionInput {
        description: "Clean the tank".into(),
        due_on: "2026-02-10".into(),
        ..Default::default()
    };
    paani::committees::actions::create(&mut c, &actor, &m, &input, app.clock.now())
        .unwrap()
        .id
}

/// A payment by a household and a cash book entry in its GP, both recorded by a secretary of
/// that GP who is not one of the matrix's actors: (payment id, entry id).
pub fn add_payment_and_entry(app: &TestApp, gp_lgd: i64, household: i64) -> (i64, i64) {
    let recorder = app.add_user(&format!("rec{gp_lgd}"), "secretary", Some(gp_lgd));
    let mut c = app.conn();
    let actor = paani::auth::model::actor_for(&mut c, recorder, None, None).unwrap();
    let now = app.clock.now();
    let input = paani::billing::payments::PaymentInput {
        household_id: household.to_string(),
        amount: "50".into(),
        ..Default::default()
    };
    let p = paani::db::write_transaction(&mut c, |c| {
        paani::billing::payments::record(
            c,
            &actor,
            &input,
            None,
            paani::config::Config::defaults().money,
            now,
        )
    })
    .unwrap();
    let entry = paani::billing::cashbook::EntryInput {
        kind: "expense".into(),
        head: "electricity".into(),
        amount: "700".into(),
        ..Default::default()
    };
    let e = paani::billing::cashbook::create(
        &mut c,
        &actor,
        &entry,
        paani::config::Config::defaults().money,
        now,
    )
    .unwrap();
    (p.id, e.id)
}

/// A household in the GP with this LGD code, in its first village (a village is added to a GP
/// that has none), made through the model code as the admin.
pub fn add_household(app: &TestApp, gp_lgd: i64) -> i64 {
    let gp = app.place_id(Level::Gp, gp_lgd);
    let village = {
        use diesel::prelude::*;
        use paani::db::schema::places;
        let found: Option<i64> = places::table
            .filter(places::parent_id.eq(gp))
            .select(places::id)
            .first(&mut *app.conn())
            .optional()
            .unwrap();
        found.unwrap_or_else(|| {
            app.add_place(
                Level::Village,
                gp_lgd * 100 + 1,
                "Far Village",
                Some(gp_lgd),
            )
            .id
        })
    };
    household_in(app, village, &format!("C-{gp_lgd}"))
}

/// A scheme with one asset in the foreign GP (made by an admin through the model code).
pub fn add_foreign_scheme(app: &TestApp) -> (i64, i64) {
    scheme_in(app, 23990101, "Far")
}

/// A scheme named "<label> PWS" with one pump (its template plans and 60 days of tasks) in
/// the GP with this LGD code: (scheme id, asset id).
pub fn scheme_in(app: &TestApp, gp_lgd: i64, label: &str) -> (i64, i64) {
    let actor = app.admin();
    let mut c = app.conn();
    let cat = paani::schemes::catalogue::Catalogue::builtin();
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let input = paani::schemes::SchemeInput {
        gp_lgd_code: gp_lgd.to_string(),
        name: format!("{label} PWS"),
        kind: "pws".into(),
        ..Default::default()
    };
    let v = paani::schemes::validate(&mut c, &actor, &cat, &input, today, 30)
        .unwrap()
        .unwrap();
    let s = paani::schemes::create(&mut c, &actor, &v, app.clock.now()).unwrap();
    let av = paani::schemes::assets::validate(
        &cat,
        &paani::schemes::assets::AssetInput {
            kind: "pump".into(),
            name: format!("{label} pump"),
            ..Default::default()
        },
        paani::config::Config::defaults().money,
        today,
    )
    .unwrap();
    let a = paani::schemes::assets::create(&mut c, &s, &av, None, app.clock.now()).unwrap();
    let lib = paani::maintenance::templates::Library::load("").unwrap();
    paani::maintenance::templates::apply_to_asset(
        &mut c,
        &lib,
        &s,
        &a,
        today,
        paani::web::i18n::Lang::En,
        app.clock.now(),
    )
    .unwrap();
    paani::maintenance::generate(
        &mut c,
        Some(s.gp_id),
        today,
        today + chrono::Duration::days(60),
        app.clock.now(),
        |_| {},
    )
    .unwrap();
    (s.id, a.id)
}

/// A breakdown reported by the admin on a scheme.
pub fn add_breakdown(app: &TestApp, scheme: i64) -> i64 {
    let actor = app.admin();
    let mut c = app.conn();
    let cfg = paani::config::Config::defaults().breakdowns;
    let input = paani::breakdowns::ReportInput {
        scheme_id: scheme.to_string(),
        category: "pipeline".into(),
        description: "Leak".into(),
        supply: "partial".into(),
        ..Default::default()
    };
    paani::breakdowns::report(&mut c, &actor, &cfg, &input, "app", app.clock.now())
        .unwrap()
        .id
}

/// An open task and its plan in a GP.
pub fn task_and_plan(app: &TestApp, gp_id: i64) -> (i64, i64) {
    use diesel::prelude::*;
    use paani::db::schema::maintenance_tasks as mt;
    let mut c = app.conn();
    mt::table
        .filter(mt::gp_id.eq(gp_id))
        .filter(mt::state.eq("open"))
        .order(mt::id)
        .select((mt::id, mt::plan_id))
        .first(&mut *c)
        .unwrap()
}

/// A scheme in the GP serving its village, with a borewell, an overhead tank and a pump
/// (the first two are sampled, the pump is not): (scheme id, [borewell, ohsr, pump] ids).
pub fn water_scheme(app: &TestApp, gp: &Gp) -> (i64, [i64; 3]) {
    let actor = app.admin();
    let mut c = app.conn();
    let cat = paani::schemes::catalogue::Catalogue::builtin();
    let today = paani::web::i18n::today_in_india(app.clock.now());
    let village_lgd = gp.lgd * 100 + 1;
    let input = paani::schemes::SchemeInput {
        gp_lgd_code: gp.lgd.to_string(),
        name: format!("Water {} PWS", gp.lgd),
        kind: "pws".into(),
        villages: village_lgd.to_string(),
        ..Default::default()
    };
    let v = paani::schemes::validate(&mut c, &actor, &cat, &input, today, 30)
        .unwrap()
        .unwrap();
    let s = paani::schemes::create(&mut c, &actor, &v, app.clock.now()).unwrap();
    let mut ids = [0; 3];
    for (i, (kind, name)) in [
        ("borewell", "Borewell 1"),
        ("ohsr", "OHSR"),
        ("pump", "Pump"),
    ]
    .into_iter()
    .enumerate()
    {
        let av = paani::schemes::assets::validate(
            &cat,
            &paani::schemes::assets::AssetInput {
                kind: kind.into(),
                name: name.into(),
                ..Default::default()
            },
            paani::config::Config::defaults().money,
            today,
        )
        .unwrap();
        ids[i] = paani::schemes::assets::create(&mut c, &s, &av, None, app.clock.now())
            .unwrap()
            .id;
    }
    (s.id, ids)
}
