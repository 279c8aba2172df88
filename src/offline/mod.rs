//! Work without a signal (issue 28, items 1, 2 and 4 on the phone's side): the installable
//! app and its outbox.
//!
//! The server's part is small: the web app manifest (`/manifest.webmanifest`), the service
//! worker served from the root so its scope is the whole site (`/sw.js`, from
//! `static/sw.js`), what the phone keeps for the field (`/offline/data.json`, also
//! `/api/v1/offline/data`: my open tasks, the GP's schemes, assets and sampling points, a
//! collector's households with dues, and the pages to keep) and the outbox page's shell
//! (`/outbox`), which `static/offline.js` fills from IndexedDB. Everything the phone queues is
//! sent later to the ordinary form handlers with an idempotency key
//! (`crate::web::idempotency`), so the server needs no queue of its own.
//!
//! - `model`: the reads behind the snapshot (households' dues in one pass).
//! - `service`: the snapshot as one read.
//! - `pages`: the manifest, the service worker and the outbox page.
//! - `api`: the snapshot as JSON.

pub mod api;
pub mod model;
pub mod pages;
pub mod service;

/// Where the phone asks for its open receipt books with the browser's session (the
/// receipt-book area's `/receipt-books/mine.json`, the same as `/api/v1/receipt-books/mine`
/// for a token; the phone treats a 404 as "no books").
pub const RECEIPT_BOOKS_URL: &str = "/receipt-books/mine.json";

/// The pages every signed-in phone keeps, whatever the role may do (the outbox and home).
pub const ALWAYS_KEPT: &[&str] = &["/", "/outbox"];

/// At most this many of a kind go into the snapshot (a GP has far fewer; a wider scope gets
/// the first ones: the offline app is for the field roles of one GP).
pub const SNAPSHOT_MAX: i64 = 500;
