//! Pulling changes from the list APIs (issue 28, item 6): every list that has it takes
//! `updated_since` (RFC 3339) and `page_size`, and answers with a link to the next page.
//!
//! Without `updated_since` a list pages as before (`page`), in its own order. With it, the list
//! holds the records written at or after that time (created, edited, or whose status changed),
//! in (`updated_at`, `id`) order, and pages by that key: the `next` link carries the last
//! record's time as `updated_since` and its id as `after_id`, so a record changed while a client
//! pages moves to the end and is seen again, never skipped. Each page also says `synced_at`, the
//! time to send as `updated_since` next time, and `deleted`, the ids of the kind's records
//! deleted since then (see [`crate::audit::deletions`]).
//!
//! The list's own filters still apply; a filter whose default hides some states (open tasks,
//! open breakdowns, active households …) defaults to every state when `updated_since` is given,
//! so a status change comes back as the changed record.

use crate::error::AppError;
use crate::web::pagination::{ApiPage, PageRequest, SyncPart};
use crate::web::AppState;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use chrono::{Duration, NaiveDateTime};
use serde::Deserialize;
use std::future::{ready, Ready};

/// The largest page a list gives.
pub const MAX_PAGE_SIZE: i64 = 500;

/// How far `synced_at` stays behind the time a page is read: a write whose transaction took its
/// time before the read but committed after it still comes back on the next pull (seen twice at
/// worst, never lost).
pub const SYNC_OVERLAP_SECONDS: i64 = 5;

/// The query part every list with changes takes, beside its own filters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SyncQuery {
    /// Only the records created, changed or deleted at or after this time: RFC 3339, any
    /// offset (`2026-12-08T10:00:00Z`, `2026-12-08T15:30:00%2B05:30`). Use the last page's
    /// `synced_at`.
    #[serde(default)]
    pub updated_since: Option<String>,
    /// With `updated_since`: after the record with this id at exactly that time (the `next`
    /// link sets it).
    #[serde(default)]
    #[param(value_type = Option<i64>)]
    pub after_id: Option<String>,
    /// Records per page, 1 to 500 (default: the server's page size).
    #[serde(default)]
    #[param(value_type = Option<i64>)]
    pub page_size: Option<String>,
}

/// Which changes a list is asked for: written at or after `since` (strictly after the record
/// `after_id` of that same time, when given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changes {
    pub since: NaiveDateTime,
    pub after_id: Option<i64>,
}

/// A list request's paging: the [`SyncQuery`] checked (a bad one is 400), the clock's time,
/// and the request's own path and query for the `next` link.
#[derive(Debug, Clone)]
pub struct Listing {
    pub changes: Option<Changes>,
    pub per_page: i64,
    /// `page_size` as the request gave it.
    asked_size: Option<i64>,
    pub now: NaiveDateTime,
    path: String,
    query: String,
}

/// `updated_since` as sent (a `+` of an offset left unencoded arrives as a space).
pub fn parse_since(raw: &str) -> Option<NaiveDateTime> {
    let raw = raw.trim();
    crate::clock::utc::parse(raw).or_else(|| crate::clock::utc::parse(&raw.replace(' ', "+")))
}

impl Listing {
    pub fn parse(
        q: &SyncQuery,
        default_page_size: i64,
        now: NaiveDateTime,
        path: &str,
        query: &str,
    ) -> Result<Listing, AppError> {
        let bad = |key: &str| AppError::BadRequest(key.into());
        let since = match q.updated_since.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => Some(parse_since(s).ok_or_else(|| bad("sync-updated-since-bad"))?),
            None => None,
        };
        let after_id = match q.after_id.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => Some(
                s.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|_| since.is_some())
                    .ok_or_else(|| bad("sync-after-id-bad"))?,
            ),
            None => None,
        };
        let asked_size = match q.page_size.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(s) => Some(
                s.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
                    .ok_or_else(|| bad("sync-page-size-bad"))?,
            ),
            None => None,
        };
        Ok(Listing {
            changes: since.map(|since| Changes { since, after_id }),
            per_page: asked_size.unwrap_or(default_page_size.clamp(1, MAX_PAGE_SIZE)),
            asked_size,
            now,
            path: path.to_string(),
            query: query.to_string(),
        })
    }

    /// A list whose pages hold another number of records by default than the server's.
    pub fn default_size(mut self, per_page: i64) -> Listing {
        self.per_page = self.asked_size.unwrap_or(per_page.clamp(1, MAX_PAGE_SIZE));
        self
    }

    /// The page asked for: by `page` number, or (pulling changes) always the first after the key.
    pub fn page(&self, number: Option<i64>) -> PageRequest {
        match self.changes {
            Some(_) => PageRequest::new(Some(1), self.per_page),
            None => PageRequest::new(number, self.per_page),
        }
    }

    /// The answer: the page's items with the link to the next page, and, pulling changes, the
    /// time to pull from next and the ids deleted since. `key` gives an item's change time and
    /// id (the order of a pull); `total` counts what matches from this page on when pulling.
    pub fn finish<T>(
        &self,
        items: Vec<T>,
        page: PageRequest,
        total: i64,
        key: impl Fn(&T) -> (NaiveDateTime, i64),
        deleted: Vec<i64>,
    ) -> ApiPage<T> {
        let next = match self.changes {
            Some(_) => items
                .last()
                .filter(|_| items.len() as i64 == page.per_page && total > page.per_page)
                .map(|last| {
                    let (at, id) = key(last);
                    self.link(&[
                        ("updated_since", crate::clock::utc::text(&at)),
                        ("after_id", id.to_string()),
                    ])
                }),
            None => (page.number * page.per_page < total)
                .then(|| self.link(&[("page", (page.number + 1).to_string())])),
        };
        let mut out = ApiPage::new(items, page, total);
        out.sync = Some(SyncPart {
            next,
            synced_at: self.changes.map(|_| {
                crate::clock::utc::text(&(self.now - Duration::seconds(SYNC_OVERLAP_SECONDS)))
            }),
            deleted: self.changes.map(|_| deleted),
        });
        out
    }

    /// This request's path and query with `set` replacing (or adding) those parameters.
    fn link(&self, set: &[(&str, String)]) -> String {
        let mut pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(&self.query).unwrap_or_default();
        pairs.retain(|(k, _)| k != "page" && k != "after_id" && !set.iter().any(|(s, _)| s == k));
        pairs.extend(set.iter().map(|(k, v)| (k.to_string(), v.clone())));
        let q = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("{}?{}", self.path, q)
    }
}

impl FromRequest for Listing {
    type Error = AppError;
    type Future = Ready<Result<Listing, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(state) = req.app_data::<web::Data<AppState>>() else {
            return ready(Err(AppError::Internal("no app state".into())));
        };
        let q: SyncQuery = match serde_urlencoded::from_str(req.query_string()) {
            Ok(q) => q,
            Err(_) => return ready(Err(AppError::BadRequest("sync-query-bad".into()))),
        };
        ready(Listing::parse(
            &q,
            state.config.server.page_size,
            state.clock.now(),
            req.path(),
            req.query_string(),
        ))
    }
}

/// Narrow a boxed list query to the changes asked for (nothing when `None`): written at or
/// after `since`, or after the key (`since`, `after_id`). `$at` is the change time, `$id` the
/// record's id.
#[macro_export]
macro_rules! changed_since {
    ($q:expr, $changes:expr, $at:expr, $id:expr) => {{
        let mut __q = $q;
        if let Some(__c) = $changes {
            __q = match __c.after_id {
                Some(__after) => {
                    __q.filter($at.gt(__c.since).or($at.eq(__c.since).and($id.gt(__after))))
                }
                None => __q.filter($at.ge(__c.since)),
            };
        }
        __q
    }};
}

/// Order a boxed list query: by (`$at`, `$id`) when pulling changes, else by `$default`.
#[macro_export]
macro_rules! sync_order {
    ($q:expr, $changes:expr, $at:expr, $id:expr, $default:expr) => {{
        if $changes.is_some() {
            $q.order(($at.asc(), $id.asc()))
        } else {
            $q.order($default)
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        crate::clock::utc::parse(s).unwrap()
    }

    fn listing(q: SyncQuery) -> Result<Listing, AppError> {
        Listing::parse(&q, 50, t("2026-12-08T10:00:00Z"), "/api/v1/x", "state=all")
    }

    #[test]
    fn since_takes_any_offset_to_utc() {
        let q = SyncQuery {
            updated_since: Some("2026-12-08 15:30:00 05:30".replacen(' ', "T", 1)),
            ..Default::default()
        };
        // "+05:30" sent unencoded arrives as " 05:30"
        let l = listing(q).unwrap();
        assert_eq!(l.changes.unwrap().since, t("2026-12-08T10:00:00Z"));
        for bad in ["yesterday", "2026-13-01T00:00:00Z", "12-08-2026"] {
            let q = SyncQuery {
                updated_since: Some(bad.into()),
                ..Default::default()
            };
            assert!(matches!(listing(q), Err(AppError::BadRequest(_))), "{bad}");
        }
    }

    #[test]
    fn page_size_is_bounded_and_after_id_needs_since() {
        for (size, ok) in [
            ("1", true),
            ("500", true),
            ("0", false),
            ("501", false),
            ("x", false),
        ] {
            let q = SyncQuery {
                page_size: Some(size.into()),
                ..Default::default()
            };
            assert_eq!(listing(q).is_ok(), ok, "{size}");
        }
        let q = SyncQuery {
            after_id: Some("4".into()),
            ..Default::default()
        };
        assert!(listing(q).is_err());
        assert_eq!(listing(SyncQuery::default()).unwrap().per_page, 50);
    }

    #[test]
    fn next_links_keep_the_query() {
        let l = listing(SyncQuery::default()).unwrap();
        let page = l.page(Some(2));
        let p = l.finish(
            vec![(t("2026-12-08T09:00:00Z"), 1)],
            page,
            200,
            |x| *x,
            vec![],
        );
        let s = p.sync.unwrap();
        assert_eq!(s.next.as_deref(), Some("/api/v1/x?state=all&page=3"));
        assert!(s.synced_at.is_none() && s.deleted.is_none());

        let q = SyncQuery {
            updated_since: Some("2026-12-08T08:00:00Z".into()),
            page_size: Some("2".into()),
            ..Default::default()
        };
        let l = Listing::parse(
            &q,
            50,
            t("2026-12-08T10:00:00Z"),
            "/api/v1/x",
            "updated_since=2026-12-08T08%3A00%3A00Z&page_size=2&page=7",
        )
        .unwrap();
        let page = l.page(Some(7));
        assert_eq!(page.offset(), 0);
        let items = vec![
            (t("2026-12-08T08:30:00Z"), 9),
            (t("2026-12-08T09:00:00Z"), 4),
        ];
        let p = l.finish(items, page, 3, |x| *x, vec![5]);
        let s = p.sync.unwrap();
        assert_eq!(
            s.next.as_deref(),
            Some("/api/v1/x?page_size=2&updated_since=2026-12-08T09%3A00%3A00.000000Z&after_id=4")
        );
        assert_eq!(s.synced_at.as_deref(), Some("2026-12-08T09:59:55.000000Z"));
        assert_eq!(s.deleted, Some(vec![5]));
        // the last page links nowhere
        let p = l.finish(
            vec![(t("2026-12-08T08:30:00Z"), 9)],
            page,
            1,
            |x| *x,
            vec![],
        );
        assert!(p.sync.unwrap().next.is_none());
    }
}
