//! Page numbers for long lists, and the links between pages.

use serde::Serialize;

#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub number: i64,
    pub per_page: i64,
}

impl PageRequest {
    pub fn new(number: Option<i64>, per_page: i64) -> Self {
        PageRequest {
            number: number.unwrap_or(1).clamp(1, 1_000_000),
            per_page: per_page.clamp(1, 500),
        }
    }
    pub fn limit(&self) -> i64 {
        self.per_page
    }
    pub fn offset(&self) -> i64 {
        (self.number - 1) * self.per_page
    }
}

/// One page of an API list: the items and where they stand in the whole. A list that takes
/// `updated_since` and `page_size` ([`crate::web::sync`]) adds `next` (and, pulling changes,
/// `synced_at` and `deleted`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiPage<T> {
    pub items: Vec<T>,
    pub page: i64,
    pub per_page: i64,
    /// How many records match (pulling changes: from this page on).
    pub total: i64,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    #[schema(inline)]
    pub sync: Option<SyncPart>,
}

/// The paging links of a list that takes `updated_since` ([`crate::web::sync`]).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SyncPart {
    /// The absolute path and query of the next page, or null on the last.
    pub next: Option<String>,
    /// Pulling changes (`updated_since` given): the time to send as `updated_since` next time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub synced_at: Option<String>,
    /// Pulling changes: the ids of this kind's records deleted since `updated_since` (always
    /// empty for a kind that is never deleted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted: Option<Vec<i64>>,
}

impl<T> ApiPage<T> {
    pub fn new(items: Vec<T>, req: PageRequest, total: i64) -> Self {
        ApiPage {
            items,
            page: req.number,
            per_page: req.per_page,
            total,
            sync: None,
        }
    }
}

/// What a list template needs to draw "previous / page x of y / next".
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    pub per_page: i64,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
}

impl Pager {
    /// `base_query` holds the list's other filters, already URL-encoded, without `page`.
    pub fn new(req: PageRequest, total: i64, path: &str, base_query: &str) -> Pager {
        let pages = ((total + req.per_page - 1) / req.per_page).max(1);
        let link = |n: i64| {
            if base_query.is_empty() {
                format!("{path}?page={n}")
            } else {
                format!("{path}?{base_query}&page={n}")
            }
        };
        Pager {
            page: req.number,
            pages,
            total,
            per_page: req.per_page,
            prev_url: (req.number > 1).then(|| link(req.number - 1)),
            next_url: (req.number < pages).then(|| link(req.number + 1)),
        }
    }
}

/// URL-encode the non-empty filters of a list (for pager links and CSV exports).
pub fn query_string(pairs: &[(&str, Option<String>)]) -> String {
    let kept: Vec<(&str, String)> = pairs
        .iter()
        .filter_map(|(k, v)| {
            v.as_ref()
                .filter(|v| !v.is_empty())
                .map(|v| (*k, v.clone()))
        })
        .collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages() {
        let p = Pager::new(PageRequest::new(Some(2), 10), 25, "/x", "q=a");
        assert_eq!(p.pages, 3);
        assert_eq!(p.prev_url.as_deref(), Some("/x?q=a&page=1"));
        assert_eq!(p.next_url.as_deref(), Some("/x?q=a&page=3"));
        let p = Pager::new(PageRequest::new(Some(1), 10), 0, "/x", "");
        assert_eq!(p.pages, 1);
        assert!(p.prev_url.is_none() && p.next_url.is_none());
        assert_eq!(PageRequest::new(Some(-4), 10).offset(), 0);
    }
}
