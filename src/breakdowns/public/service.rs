//! Public complaints' use cases: file one (throttled per address and per phone; a second one
//! for the same scheme and category from the same phone while the first is open, within 48
//! hours, is not filed), look one up (a miss counts against the address's allowance).

use super::model::{self, scheme_for_code, ComplaintStatus};
use super::ComplaintInput;
use crate::breakdowns::{plain_text, Breakdown, NewBreakdown, Supply};
use crate::config::BreakdownsConfig;
use crate::context::Ctx;
use crate::db::DbConn;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::web::forms;
use crate::web::photos::{self, Checked, Owner};
use chrono::NaiveDateTime;

/// What filing a complaint came to.
#[derive(Debug, Clone)]
pub enum Filed {
    /// A new complaint.
    New(Breakdown),
    /// The same phone already reported this scheme and category, and that complaint is still
    /// open (within 48 hours): nothing new is filed, this is the earlier one.
    AlreadyReported(Breakdown),
}

impl Filed {
    pub fn breakdown(&self) -> &Breakdown {
        match self {
            Filed::New(b) | Filed::AlreadyReported(b) => b,
        }
    }

    pub fn into_breakdown(self) -> Breakdown {
        match self {
            Filed::New(b) | Filed::AlreadyReported(b) => b,
        }
    }
}

/// Throttle, then file a complaint for the scheme with `code` with its photo, if any (an
/// unknown code is not found before it can use up anyone's allowance).
pub fn file(
    ctx: &Ctx,
    ip: &str,
    code: &str,
    input: ComplaintInput,
    photos: Vec<Checked>,
) -> AppResult<Filed> {
    let now = ctx.now();
    let cfg = &ctx.config.breakdowns;
    let phone = crate::auth::normalize_mobile(&input.phone).unwrap_or_default();
    let mut conn = ctx.db.conn()?;
    scheme_for_code(&mut conn, code)?;
    drop(conn);
    if let Some(wait) = ctx
        .db
        .write_blocking(|c| model::note_attempt(c, cfg, ip, &phone, now))?
    {
        return Err(AppError::TooManyRequests {
            retry_after_secs: wait,
        });
    }
    let root = &ctx.config.storage.photos_dir;
    ctx.db.write_blocking(|c| {
        let filed = file_in(c, cfg, code, &input, now)?;
        if let Filed::New(b) = &filed {
            photos::store(c, root, b.gp_id, Owner::Breakdown(b.id), &photos, now)?;
            // its number and status link by SMS, in the language the villager used
            let lang = match crate::web::i18n::Lang::parse(&input.lang) {
                Some(l) => l.code().to_string(),
                None => crate::sms::service::household_lang(c, &ctx.config, b.gp_id)?,
            };
            crate::breakdowns::phone::model::set_reporter_lang(c, b.gp_id, b.id, &lang)?;
            crate::breakdowns::phone::service::queue_filed(c, &ctx.config, now, b, &lang)?;
        }
        Ok(filed)
    })
}

/// Look a complaint up by its number and the token of its SMS link (in place of the phone); a
/// miss counts against the address's allowance, as [`lookup`]'s.
pub fn lookup_by_token(
    ctx: &Ctx,
    ip: &str,
    number: &str,
    token: &str,
) -> AppResult<ComplaintStatus> {
    let now = ctx.now();
    let key = crate::breakdowns::phone::link_key(&ctx.config);
    let found = match crate::breakdowns::phone::status_id(&key, token) {
        Some(id) => {
            let mut conn = ctx.db.conn()?;
            model::status_of(&mut conn, id, number)
        }
        None => Err(AppError::NotFound),
    };
    if let Err(AppError::NotFound) = found {
        let cfg = &ctx.config.breakdowns;
        if let Some(wait) = ctx
            .db
            .write_blocking(|c| model::note_attempt(c, cfg, ip, "", now))?
        {
            return Err(AppError::TooManyRequests {
                retry_after_secs: wait,
            });
        }
    }
    found
}

/// Look a complaint up by its number and phone; a miss counts against the address's
/// allowance (numbers are not to be guessed).
pub fn lookup(ctx: &Ctx, ip: &str, number: &str, phone: &str) -> AppResult<ComplaintStatus> {
    let now = ctx.now();
    let mut conn = ctx.db.conn()?;
    let found = model::status(&mut conn, number, phone);
    drop(conn);
    if let Err(AppError::NotFound) = found {
        let cfg = &ctx.config.breakdowns;
        if let Some(wait) = ctx
            .db
            .write_blocking(|c| model::note_attempt(c, cfg, ip, "", now))?
        {
            return Err(AppError::TooManyRequests {
                retry_after_secs: wait,
            });
        }
    }
    found
}

/// Check and store a public complaint for the scheme with `code`, unless the same phone's
/// complaint about the same scheme and category is still open ([`Filed::AlreadyReported`]).
pub fn file_in(
    conn: &mut DbConn,
    cfg: &BreakdownsConfig,
    code: &str,
    input: &ComplaintInput,
    now: NaiveDateTime,
) -> AppResult<Filed> {
    let (scheme, _, villages) = scheme_for_code(conn, code)?;
    let mut e = FieldErrors::new();
    let name = forms::required_text(
        &plain_text(&input.name),
        crate::web::forms::max::NAME,
        "name",
        &mut e,
    );
    let phone = match crate::auth::normalize_mobile(&input.phone) {
        Some(p) => Some(p),
        None => {
            e.add("phone", "phone-invalid");
            None
        }
    };
    let village = match input.village_id.trim() {
        "" if villages.is_empty() => None,
        "" => {
            e.add("village_id", "field-required");
            None
        }
        raw => match villages.iter().find(|v| v.id.to_string() == raw) {
            Some(v) => Some(v.id),
            None => {
                e.add("village_id", "field-invalid-choice");
                None
            }
        },
    };
    if !cfg.categories.iter().any(|c| c == input.category.trim()) {
        e.add("category", "field-invalid-choice");
    }
    let supply = match input.supply.trim() {
        "" => Supply::Partial,
        s => Supply::parse(s).unwrap_or_else(|| {
            e.add("supply", "field-invalid-choice");
            Supply::Partial
        }),
    }
    .as_str();
    let description = forms::required_text(
        &plain_text(&input.description),
        crate::web::forms::max::TEXT,
        "description",
        &mut e,
    );
    if !input.lang.trim().is_empty() && crate::web::i18n::Lang::parse(&input.lang).is_none() {
        e.add("lang", "field-invalid-choice");
    }
    e.into_result()?;
    let phone = phone.expect("checked");
    if let Some(earlier) =
        model::open_duplicate(conn, scheme.id, input.category.trim(), &phone, now)?
    {
        return Ok(Filed::AlreadyReported(earlier));
    }
    crate::breakdowns::model::create(
        conn,
        &scheme,
        NewBreakdown {
            asset_id: None,
            village_id: village,
            category: input.category.trim(),
            description: &description.expect("checked"),
            supply,
            households: None,
            started: now,
            source: "public",
            reporter_name: &name.expect("checked"),
            reporter_phone: Some(&phone),
            from_task: None,
        },
        None,
        cfg,
        now,
    )
    .map(Filed::New)
}
