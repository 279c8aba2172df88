//! The authorization matrix: every route × every role × own scope / foreign scope.
//! Add a route by adding one line to `ROUTES`.

use crate::factories::{
    add_action_item, add_breakdown, add_committee, add_foreign_district, add_foreign_scheme,
    add_household, add_payment_and_entry, task_and_plan,
};
use crate::helpers::{TestApp, ROLES};
use paani::places::Level;
use reqwest::Method;

/// (method, path, expected for admin, officer, engineer, secretary, member — in their own
/// scope, then on a record in a foreign district; then for an anonymous visitor).
/// `{gp}` is a gram panchayat, `{user}` a user account; `{body}` routes send an empty form/JSON.
type Row = (&'static str, &'static str, [u16; 5], [u16; 5], u16);

pub const ROUTES: &[Row] = &[
    ("GET", "/", [200; 5], [200; 5], 303),
    ("GET", "/login", [303; 5], [303; 5], 200),
    ("POST", "/login", [401; 5], [401; 5], 401),
    ("GET", "/static/paani.css", [200; 5], [200; 5], 200),
    ("POST", "/account/password", [422; 5], [422; 5], 303),
    ("POST", "/account/language", [422; 5], [422; 5], 303),
    ("GET", "/account", [200; 5], [200; 5], 303),
    (
        "POST",
        "/account/sessions/end-others",
        [303; 5],
        [303; 5],
        303,
    ),
    (
        "POST",
        "/account/sessions/999999/end",
        [404; 5],
        [404; 5],
        303,
    ),
    ("GET", "/resume", [303; 5], [303; 5], 303),
    ("POST", "/resume/discard", [303; 5], [303; 5], 303),
    ("GET", "/places", [200; 5], [200; 5], 303),
    (
        "GET",
        "/places/{gp}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/admin/places/new",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        303,
    ),
    (
        "POST",
        "/admin/places",
        [422, 403, 403, 403, 403],
        [422, 403, 403, 403, 403],
        303,
    ),
    (
        "GET",
        "/admin/places/import",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        303,
    ),
    (
        "GET",
        "/admin/places/{gp}/edit",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        303,
    ),
    (
        "POST",
        "/admin/places/{gp}",
        [422, 403, 403, 403, 403],
        [422, 403, 403, 403, 403],
        303,
    ),
    (
        "GET",
        "/admin/places/{gp}/deactivate",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        303,
    ),
    (
        "POST",
        "/admin/places/{gp}/activate",
        [303, 403, 403, 403, 403],
        [303, 403, 403, 403, 403],
        303,
    ),
    (
        "GET",
        "/admin/users",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        303,
    ),
    (
        "GET",
        "/admin/users/new",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        303,
    ),
    (
        "POST",
        "/admin/users",
        [422, 403, 403, 403, 403],
        [422, 403, 403, 403, 403],
        303,
    ),
    (
        "GET",
        "/admin/users/{user}/edit",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        303,
    ),
    (
        "POST",
        "/admin/users/{user}",
        [422, 403, 403, 403, 403],
        [422, 403, 403, 403, 403],
        303,
    ),
    (
        "GET",
        "/admin/users/{user}/password",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        303,
    ),
    (
        "POST",
        "/admin/users/{user}/password",
        [422, 403, 403, 403, 403],
        [422, 403, 403, 403, 403],
        303,
    ),
    (
        "GET",
        "/admin/users/{user}/deactivate",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        303,
    ),
    (
        "POST",
        "/admin/users/{user}/activate",
        [303, 403, 403, 403, 403],
        [303, 403, 403, 403, 403],
        303,
    ),
    (
        "GET",
        "/admin/audit",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        303,
    ),
    ("GET", "/api/docs", [200; 5], [200; 5], 200),
    ("GET", "/api/openapi.json", [200; 5], [200; 5], 200),
    ("GET", "/healthz", [200; 5], [200; 5], 200),
    ("GET", "/api/v1/me", [200; 5], [200; 5], 401),
    ("GET", "/api/v1/places", [200; 5], [200; 5], 401),
    (
        "POST",
        "/api/v1/places",
        [422, 403, 403, 403, 403],
        [422, 403, 403, 403, 403],
        401,
    ),
    (
        "GET",
        "/api/v1/places/{gp}",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    (
        "PATCH",
        "/api/v1/places/{gp}",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        401,
    ),
    (
        "GET",
        "/api/v1/users",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        401,
    ),
    (
        "POST",
        "/api/v1/users",
        [422, 403, 403, 403, 403],
        [422, 403, 403, 403, 403],
        401,
    ),
    (
        "GET",
        "/api/v1/users/{user}",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        401,
    ),
    (
        "PATCH",
        "/api/v1/users/{user}",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        401,
    ),
    ("DELETE", "/api/v1/auth/token", [401; 5], [401; 5], 401),
    ("POST", "/api/v1/auth/token", [422; 5], [422; 5], 422),
    (
        "POST",
        "/admin/places/import",
        [400, 403, 403, 403, 403],
        [400, 403, 403, 403, 403],
        303,
    ),
    // Schemes and assets: secretaries manage their own GP's; everyone reads in scope.
    ("GET", "/schemes", [200; 5], [200; 5], 303),
    ("GET", "/schemes.csv", [200; 5], [200; 5], 303),
    (
        "GET",
        "/schemes/new",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 200, 403],
        303,
    ),
    (
        "POST",
        "/schemes",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        303,
    ),
    (
        "GET",
        "/schemes/import",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 200, 403],
        303,
    ),
    (
        "POST",
        "/schemes/import",
        [400, 403, 403, 400, 403],
        [400, 403, 403, 400, 403],
        303,
    ),
    (
        "GET",
        "/schemes/{scheme}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "POST",
        "/schemes/{scheme}",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/schemes/{scheme}/edit",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/schemes/{scheme}/status",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/schemes/{scheme}/card",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/schemes/{scheme}/assets/new",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/schemes/{scheme}/assets",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/places/{gp}/lifecycle",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    ("GET", "/assets.csv", [200; 5], [200; 5], 303),
    // Water quality: sampling points (secretaries manage their GP's; everyone reads in scope).
    (
        "GET",
        "/schemes/{scheme}/sampling-points",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/schemes/{scheme}/sampling-points/new",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/schemes/{scheme}/sampling-points",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/schemes/{scheme}/sampling-points/from-assets",
        [303, 403, 403, 303, 403],
        [303, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/water-quality/points/999999/edit",
        [404, 403, 403, 404, 403],
        [404, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/water-quality/points/999999",
        [404, 403, 403, 404, 403],
        [404, 403, 403, 404, 403],
        303,
    ),
    ("GET", "/water-quality/testers", [200; 5], [200; 5], 303),
    (
        "GET",
        "/water-quality/testers?gp={gp}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/water-quality/testers/new?gp={gp}",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/water-quality/testers",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        303,
    ),
    (
        "GET",
        "/water-quality/testers/999999/edit",
        [404, 403, 403, 404, 403],
        [404, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/water-quality/testers/999999",
        [404, 403, 403, 404, 403],
        [404, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/api/v1/water-quality/testers",
        [200; 5],
        [200; 5],
        401,
    ),
    (
        "POST",
        "/api/v1/water-quality/testers",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        401,
    ),
    ("GET", "/water-quality/samples", [200; 5], [200; 5], 303),
    (
        "GET",
        "/water-quality/samples/999999",
        [404; 5],
        [404; 5],
        303,
    ),
    (
        "GET",
        "/water-quality/points/999999/samples/new",
        [404, 403, 403, 404, 404],
        [404, 403, 403, 404, 404],
        303,
    ),
    (
        "POST",
        "/water-quality/points/999999/samples",
        [404, 403, 403, 404, 404],
        [404, 403, 403, 404, 404],
        303,
    ),
    (
        "GET",
        "/api/v1/water-quality/samples",
        [200; 5],
        [200; 5],
        401,
    ),
    (
        "GET",
        "/api/v1/water-quality/samples/999999",
        [404; 5],
        [404; 5],
        401,
    ),
    (
        "POST",
        "/api/v1/water-quality/samples",
        [422, 403, 403, 422, 422],
        [422, 403, 403, 422, 422],
        401,
    ),
    (
        "GET",
        "/api/v1/water-quality/points",
        [200; 5],
        [200; 5],
        401,
    ),
    (
        "POST",
        "/api/v1/water-quality/points",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        401,
    ),
    (
        "GET",
        "/api/v1/water-quality/points/999999",
        [404; 5],
        [404; 5],
        401,
    ),
    (
        "GET",
        "/assets/import",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 200, 403],
        303,
    ),
    (
        "POST",
        "/assets/import",
        [400, 403, 403, 400, 403],
        [400, 403, 403, 400, 403],
        303,
    ),
    (
        "GET",
        "/assets/{asset}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "POST",
        "/assets/{asset}",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/assets/{asset}/edit",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/assets/{asset}/status",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/assets/{asset}/replace",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/assets/{asset}/replace",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/assets/{asset}/retire",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/assets/{asset}/retire",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    ("GET", "/api/v1/schemes", [200; 5], [200; 5], 401),
    (
        "POST",
        "/api/v1/schemes",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        401,
    ),
    (
        "GET",
        "/api/v1/schemes/{scheme}",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    (
        "PATCH",
        "/api/v1/schemes/{scheme}",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        401,
    ),
    (
        "POST",
        "/api/v1/schemes/{scheme}/status",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        401,
    ),
    (
        "GET",
        "/api/v1/schemes/{scheme}/summary",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    ("GET", "/api/v1/assets", [200; 5], [200; 5], 401),
    (
        "POST",
        "/api/v1/assets",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        401,
    ),
    (
        "GET",
        "/api/v1/assets/{asset}",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    (
        "PATCH",
        "/api/v1/assets/{asset}",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        401,
    ),
    (
        "POST",
        "/api/v1/assets/{asset}/status",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        401,
    ),
    (
        "POST",
        "/api/v1/assets/{asset}/replace",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        401,
    ),
    // Supply: everyone in scope reads; members and secretaries log; secretaries correct
    // older days and set the schedule.
    ("GET", "/supply", [200; 5], [200; 5], 303),
    ("GET", "/supply/month.csv", [200; 5], [200; 5], 303),
    (
        "GET",
        "/schemes/{scheme}/supply/month.csv",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/schemes/{scheme}/supply",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "POST",
        "/schemes/{scheme}/supply",
        [422, 403, 403, 422, 422],
        [422, 403, 403, 404, 404],
        303,
    ),
    (
        "GET",
        "/schemes/{scheme}/supply/day",
        [200, 403, 403, 200, 200],
        [200, 403, 403, 404, 404],
        303,
    ),
    (
        "GET",
        "/schemes/{scheme}/supply/month",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/schemes/{scheme}/supply/schedule",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/schemes/{scheme}/supply/schedule",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/api/v1/supply/schemes/{scheme}/logs",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    (
        "POST",
        "/api/v1/supply/schemes/{scheme}/logs",
        [422, 403, 403, 422, 422],
        [422, 403, 403, 404, 404],
        401,
    ),
    (
        "GET",
        "/api/v1/supply/schemes/{scheme}/figures",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    (
        "GET",
        "/api/v1/supply/schemes/{scheme}/functionality",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    // Maintenance: members and secretaries record work; secretaries plan; engineers read.
    ("GET", "/tasks", [200; 5], [200; 5], 303),
    (
        "GET",
        "/schemes/{scheme}/maintenance",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "POST",
        "/schemes/{scheme}/maintenance/templates",
        [303, 403, 403, 303, 403],
        [303, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/schemes/{scheme}/plans/new",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/schemes/{scheme}/plans",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    ("GET", "/api/v1/maintenance/plans", [200; 5], [200; 5], 401),
    ("GET", "/api/v1/maintenance/tasks", [200; 5], [200; 5], 401),
    ("GET", "/api/v1/maintenance/logs", [422; 5], [422; 5], 401),
    (
        "GET",
        "/tasks/{task}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    ("GET", "/photos/999999/small", [404; 5], [404; 5], 303),
    ("GET", "/breakdowns", [200; 5], [200; 5], 303),
    (
        "GET",
        "/breakdowns/{breakdown}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "POST",
        "/breakdowns/{breakdown}/transition",
        [409; 5],
        [409, 404, 404, 404, 404],
        303,
    ),
    (
        "POST",
        "/breakdowns/{breakdown}/comment",
        [422; 5],
        [422, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/api/v1/breakdowns/{breakdown}",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    (
        "POST",
        "/api/v1/breakdowns/{breakdown}/transition",
        [409; 5],
        [409, 404, 404, 404, 404],
        401,
    ),
    (
        "POST",
        "/api/v1/breakdowns/{breakdown}/comment",
        [422; 5],
        [422, 404, 404, 404, 404],
        401,
    ),
    (
        "GET",
        "/breakdowns/new",
        [200, 403, 403, 200, 200],
        [200, 403, 403, 200, 200],
        303,
    ),
    (
        "POST",
        "/breakdowns",
        [422, 403, 403, 422, 422],
        [422, 403, 403, 422, 422],
        303,
    ),
    ("GET", "/api/v1/breakdowns", [200; 5], [200; 5], 401),
    ("GET", "/api/v1/breakdowns/figures", [200; 5], [200; 5], 401),
    (
        "GET",
        "/breakdowns/review",
        [200, 200, 200, 403, 403],
        [200, 200, 200, 403, 403],
        303,
    ),
    ("GET", "/breakdowns/register", [200; 5], [200; 5], 303),
    (
        "POST",
        "/breakdowns/{breakdown}/visit",
        [422, 422, 422, 403, 403],
        [422, 404, 404, 403, 403],
        303,
    ),
    (
        "POST",
        "/breakdowns/{breakdown}/level",
        [422, 422, 422, 403, 403],
        [422, 404, 404, 403, 403],
        303,
    ),
    // the public complaint pages: anyone, for any scheme in service
    ("GET", "/c", [200; 5], [200; 5], 200),
    ("GET", "/c/{code}", [200; 5], [200; 5], 200),
    ("POST", "/c/{code}", [422; 5], [422; 5], 422),
    ("GET", "/c/{code}/qr.svg", [200; 5], [200; 5], 200),
    ("GET", "/c/NO-SUCH-SCHEME", [404; 5], [404; 5], 404),
    ("GET", "/c/status", [200; 5], [200; 5], 200),
    (
        "POST",
        "/api/v1/public/complaints/{code}",
        [422; 5],
        [422; 5],
        422,
    ),
    (
        "GET",
        "/api/v1/public/complaints/status",
        [404; 5],
        [404; 5],
        404,
    ),
    // billing
    ("GET", "/api/v1/households", [200; 5], [200; 5], 401),
    (
        "POST",
        "/api/v1/households",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        401,
    ),
    (
        "GET",
        "/api/v1/households/{household}",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    (
        "PATCH",
        "/api/v1/households/{household}",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        401,
    ),
    // payments, receipts, ledgers, arrears, the cash book
    ("GET", "/payments", [200; 5], [200; 5], 303),
    (
        "GET",
        "/payments/new?household={household}",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/payments",
        [404, 403, 403, 404, 403],
        [404, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/payments/{payment}/receipt",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "POST",
        "/payments/{payment}/cancel",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/r/not-a-receipt-token-00000000000",
        [404; 5],
        [404; 5],
        404,
    ),
    (
        "GET",
        "/households/{household}/ledger",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    ("GET", "/arrears", [200; 5], [200; 5], 303),
    ("GET", "/defaulters", [200; 5], [200; 5], 303),
    ("GET", "/cashbook", [200; 5], [200; 5], 303),
    (
        "GET",
        "/cashbook/new",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 200, 403],
        303,
    ),
    (
        "POST",
        "/cashbook",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        303,
    ),
    (
        "POST",
        "/cashbook/{entry}/cancel",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    ("GET", "/tariffs", [200; 5], [200; 5], 303),
    (
        "POST",
        "/tariffs",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        303,
    ),
    ("GET", "/demands", [200; 5], [200; 5], 303),
    (
        "POST",
        "/demands",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        303,
    ),
    (
        "POST",
        "/demands/late-fees",
        [303, 403, 403, 303, 403],
        [303, 403, 403, 303, 403],
        303,
    ),
    ("GET", "/api/v1/payments", [200; 5], [200; 5], 401),
    (
        "POST",
        "/api/v1/payments",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        401,
    ),
    (
        "GET",
        "/api/v1/payments/{payment}",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    (
        "POST",
        "/api/v1/payments/{payment}/cancel",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        401,
    ),
    (
        "GET",
        "/api/v1/payments/{payment}/receipt",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    (
        "GET",
        "/api/v1/ledger/{household}",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    ("GET", "/api/v1/arrears", [200; 5], [200; 5], 401),
    ("GET", "/api/v1/defaulters", [200; 5], [200; 5], 401),
    (
        "GET",
        "/api/v1/collection-efficiency",
        [200; 5],
        [200; 5],
        401,
    ),
    ("GET", "/api/v1/cashbook", [200; 5], [200; 5], 401),
    (
        "POST",
        "/api/v1/cashbook",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        401,
    ),
    (
        "POST",
        "/api/v1/cashbook/{entry}/cancel",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        401,
    ),
    (
        "POST",
        "/api/v1/demands/late-fees",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 200, 403],
        401,
    ),
    // the Paani Samiti
    ("GET", "/committees", [200; 5], [200; 5], 303),
    (
        "POST",
        "/committees",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        303,
    ),
    (
        "GET",
        "/committees/{committee}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "POST",
        "/committees/{committee}/members",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/committees/{committee}/members/{member}/end",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/committees/{committee}/reconstitute",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    ("GET", "/api/v1/committees", [200; 5], [200; 5], 401),
    (
        "POST",
        "/api/v1/committees",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        401,
    ),
    (
        "GET",
        "/api/v1/committees/{committee}",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    (
        "POST",
        "/api/v1/committees/{committee}/members",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        401,
    ),
    (
        "POST",
        "/api/v1/committees/{committee}/reconstitute",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        401,
    ),
    (
        "GET",
        "/committees/{committee}/meetings/new",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/meetings/{meeting}/attendance",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/committees/{committee}/meetings",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/meetings/{meeting}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "POST",
        "/meetings/{meeting}/attendance",
        [303, 403, 403, 303, 403],
        [303, 403, 403, 404, 403],
        303,
    ),
    ("GET", "/api/v1/meetings", [200; 5], [200; 5], 401),
    (
        "POST",
        "/api/v1/meetings",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        401,
    ),
    (
        "GET",
        "/api/v1/meetings/{meeting}",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    (
        "POST",
        "/api/v1/meetings/{meeting}/attendance",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        401,
    ),
    // the meeting is held now: its minutes (an empty set of items saves nothing) and action
    // items (an empty one is refused)
    (
        "POST",
        "/meetings/{meeting}/minutes",
        [303, 403, 403, 303, 403],
        [303, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/api/v1/meetings/{meeting}/minutes",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        401,
    ),
    (
        "POST",
        "/meetings/{meeting}/actions",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/api/v1/action-items",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        401,
    ),
    // the attendance rows above made the meeting held: the admin approves it, then it is locked
    (
        "POST",
        "/api/v1/meetings/{meeting}/approve",
        [200, 403, 403, 409, 403],
        [200, 403, 403, 404, 403],
        401,
    ),
    // approved: the minutes are locked; addenda are taken (an empty one is refused)
    (
        "POST",
        "/api/v1/meetings/{meeting}/minutes",
        [409, 403, 403, 409, 403],
        [409, 403, 403, 404, 403],
        401,
    ),
    (
        "POST",
        "/meetings/{meeting}/addenda",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/api/v1/meetings/{meeting}/addenda",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        401,
    ),
    // a form without a photo is refused before the lock is looked at
    (
        "POST",
        "/meetings/{meeting}/photos",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "GET",
        "/meetings/{meeting}/print",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    ("GET", "/meetings/regularity", [200; 5], [200; 5], 303),
    (
        "GET",
        "/api/v1/meetings/regularity",
        [200; 5],
        [200; 5],
        401,
    ),
    // dashboards and the monthly report: everyone in scope; a foreign GP is not found
    ("GET", "/dashboard", [200; 5], [200; 5], 303),
    ("GET", "/api/v1/dashboard", [200; 5], [200; 5], 401),
    (
        "GET",
        "/places/{gp}/dashboard",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/places/{gp}/dashboard.csv",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/places/{gp}/report",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/places/{gp}/report.csv",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/places/{gp}/report.json",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/api/v1/dashboard?place={gp}",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    (
        "GET",
        "/api/v1/reports/monthly?place={gp}",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    // exports of lists (filtered within scope: a foreign GP's rows are simply not there)
    ("GET", "/breakdowns.csv", [200; 5], [200; 5], 303),
    ("GET", "/payments.csv", [200; 5], [200; 5], 303),
    ("GET", "/defaulters.csv", [200; 5], [200; 5], 303),
    ("GET", "/action-items.csv", [200; 5], [200; 5], 303),
    ("GET", "/places.csv", [200; 5], [200; 5], 303),
    (
        "GET",
        "/admin/users.csv",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        303,
    ),
    (
        "GET",
        "/admin/audit.csv",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        303,
    ),
    ("GET", "/decisions", [200; 5], [200; 5], 303),
    ("GET", "/decisions.csv", [200; 5], [200; 5], 303),
    // the remaining lists' exports: a GP, committee, place or household named outside the
    // scope is not found, on the page and in the export alike
    (
        "GET",
        "/decisions.csv?gp={gp}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    ("GET", "/cashbook.csv", [200; 5], [200; 5], 303),
    (
        "GET",
        "/cashbook.csv?gp={gp}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/arrears?gp={gp}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    ("GET", "/arrears.csv", [200; 5], [200; 5], 303),
    (
        "GET",
        "/arrears.csv?gp={gp}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    ("GET", "/collection-efficiency.csv", [200; 5], [200; 5], 303),
    (
        "GET",
        "/collection-efficiency.csv?gp={gp}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    ("GET", "/meetings.csv", [200; 5], [200; 5], 303),
    (
        "GET",
        "/meetings.csv?gp={gp}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/meetings.csv?committee={committee}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/meetings/regularity?gp={gp}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    ("GET", "/meetings/regularity.csv", [200; 5], [200; 5], 303),
    (
        "GET",
        "/meetings/regularity.csv?gp={gp}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    ("GET", "/inbox.csv", [200; 5], [200; 5], 303),
    ("GET", "/tariffs.csv", [200; 5], [200; 5], 303),
    ("GET", "/demand-runs.csv", [200; 5], [200; 5], 303),
    ("GET", "/committees.csv", [200; 5], [200; 5], 303),
    (
        "GET",
        "/committees/{committee}/members.csv",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    ("GET", "/tasks.csv", [200; 5], [200; 5], 303),
    (
        "GET",
        "/places/{gp}/maintenance.csv",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/places/{gp}/lifecycle.csv",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/households/{household}/ledger.csv",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/breakdowns.csv?block={gp}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    ("GET", "/api/v1/decisions", [200; 5], [200; 5], 401),
    // action items (nobody named as owner): everyone reads them in scope, secretaries close
    // them (an empty close is refused); others may close only their own, so a foreign one is
    // not found before it is refused
    ("GET", "/action-items", [200; 5], [200; 5], 303),
    ("GET", "/api/v1/action-items", [200; 5], [200; 5], 401),
    (
        "GET",
        "/action-items/{action}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/api/v1/action-items/{action}",
        [200; 5],
        [200, 404, 404, 404, 404],
        401,
    ),
    (
        "POST",
        "/action-items/{action}/close",
        [422, 403, 403, 422, 403],
        [422, 404, 404, 404, 404],
        303,
    ),
    (
        "POST",
        "/api/v1/action-items/{action}/close",
        [422, 403, 403, 422, 403],
        [422, 404, 404, 404, 404],
        401,
    ),
    // an empty form names no GP: not found for those who may change it
    (
        "POST",
        "/demands/automatic",
        [404, 403, 403, 404, 403],
        [404, 403, 403, 404, 403],
        303,
    ),
    // the inbox and the scheduler (reminders are the caller's own; 999999 is nobody's)
    ("GET", "/inbox", [200; 5], [200; 5], 303),
    ("POST", "/inbox/read-all", [303; 5], [303; 5], 303),
    ("GET", "/inbox/999999", [404; 5], [404; 5], 303),
    ("POST", "/inbox/999999/read", [404; 5], [404; 5], 303),
    ("GET", "/api/v1/reminders", [200; 5], [200; 5], 401),
    (
        "POST",
        "/api/v1/reminders/read-all",
        [200; 5],
        [200; 5],
        401,
    ),
    (
        "POST",
        "/api/v1/reminders/999999/read",
        [404; 5],
        [404; 5],
        401,
    ),
    ("POST", "/account/reminders", [422; 5], [422; 5], 303),
    (
        "GET",
        "/admin/jobs",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        303,
    ),
    (
        "GET",
        "/api/v1/jobs/runs",
        [200, 403, 403, 403, 403],
        [200, 403, 403, 403, 403],
        401,
    ),
    // the household register pages
    ("GET", "/households", [200; 5], [200; 5], 303),
    ("GET", "/households/export.csv", [200; 5], [200; 5], 303),
    (
        "GET",
        "/households/new",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 200, 403],
        303,
    ),
    (
        "POST",
        "/households",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        303,
    ),
    (
        "GET",
        "/households/import",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 200, 403],
        303,
    ),
    (
        "POST",
        "/households/import",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        303,
    ),
    (
        "GET",
        "/households/{household}",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/households/{household}/edit",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/households/{household}",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    ("GET", "/api/v1/tariffs", [200; 5], [200; 5], 401),
    (
        "POST",
        "/api/v1/tariffs",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        401,
    ),
    (
        "GET",
        "/api/v1/demands/preview",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        401,
    ),
    (
        "POST",
        "/api/v1/demands",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        401,
    ),
    ("GET", "/api/v1/demands", [200; 5], [200; 5], 401),
    ("GET", "/api/v1/demand-runs", [200; 5], [200; 5], 401),
    (
        "POST",
        "/api/v1/demand-runs/999999/cancel",
        [404, 403, 403, 404, 403],
        [404, 403, 403, 404, 403],
        401,
    ),
    (
        "POST",
        "/api/v1/breakdowns",
        [422, 403, 403, 422, 422],
        [422, 403, 403, 422, 422],
        401,
    ),
    (
        "GET",
        "/places/{gp}/maintenance",
        [200; 5],
        [200, 404, 404, 404, 404],
        303,
    ),
    (
        "GET",
        "/assets/{asset}/work",
        [200, 403, 403, 200, 200],
        [200, 403, 403, 404, 404],
        303,
    ),
    (
        "POST",
        "/assets/{asset}/work",
        [422, 403, 403, 422, 422],
        [422, 403, 403, 404, 404],
        303,
    ),
    (
        "POST",
        "/api/v1/maintenance/plans",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 422, 403],
        401,
    ),
    (
        "POST",
        "/api/v1/maintenance/logs",
        [422, 403, 403, 422, 422],
        [422, 403, 403, 422, 422],
        401,
    ),
    (
        "POST",
        "/tasks/{task}/complete",
        [422, 403, 403, 422, 422],
        [422, 403, 403, 404, 404],
        303,
    ),
    (
        "POST",
        "/tasks/{task}/skip",
        [422, 403, 403, 422, 422],
        [422, 403, 403, 404, 404],
        303,
    ),
    (
        "GET",
        "/plans/{plan}/edit",
        [200, 403, 403, 200, 403],
        [200, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/plans/{plan}",
        [422, 403, 403, 422, 403],
        [422, 403, 403, 404, 403],
        303,
    ),
    (
        "POST",
        "/api/v1/maintenance/tasks/{task}/complete",
        [422, 403, 403, 422, 422],
        [422, 403, 403, 404, 404],
        401,
    ),
    (
        "POST",
        "/api/v1/maintenance/tasks/{task}/skip",
        [422, 403, 403, 422, 422],
        [422, 403, 403, 404, 404],
        401,
    ),
    // State-changing rows last: they deactivate the GP and then the secretary.
    (
        "POST",
        "/admin/places/{gp}/deactivate",
        [303, 403, 403, 403, 403],
        [303, 403, 403, 403, 403],
        303,
    ),
    (
        "POST",
        "/admin/places/{gp}/activate",
        [303, 403, 403, 403, 403],
        [303, 403, 403, 403, 403],
        303,
    ),
    (
        "POST",
        "/admin/users/{user}/deactivate",
        [303, 403, 403, 403, 403],
        [303, 403, 403, 403, 403],
        303,
    ),
    ("POST", "/logout", [303; 5], [303; 5], 303),
];

#[tokio::test]
async fn authorization_matrix() {
    // The matrix sends empty log-in forms from one address: lift the throttle for it.
    let app = TestApp::spawn_with(|c| {
        c.auth.login_max_failures = 10_000;
        c.auth.login_address_max_failures = 10_000;
        c.breakdowns.public_per_ip_per_hour = 10_000;
        c.breakdowns.public_per_phone_per_day = 10_000;
    })
    .await;
    paani::demo::seed(&app.db, &app.clock).unwrap();
    let own_gp = app.place_id(Level::Gp, 23010101);
    // a user in the actors' own GP who is not one of the actors (the matrix deactivates them)
    let own_user = app.add_user("ownuser", "member", Some(23010101)).id;
    let (foreign_gp, foreign_user) = add_foreign_district(&app);
    let (foreign_scheme, foreign_asset) = add_foreign_scheme(&app);
    let (own_scheme, _) = crate::schemes::demo_scheme_ids(&app);
    let (own_task, own_plan) = task_and_plan(&app, own_gp);
    let (foreign_task, foreign_plan) = task_and_plan(&app, foreign_gp);
    let own_breakdown = add_breakdown(&app, own_scheme);
    let foreign_breakdown = add_breakdown(&app, foreign_scheme);
    let own_household = add_household(&app, 23010101);
    let foreign_household = add_household(&app, 23990101);
    let own_pay = add_payment_and_entry(&app, 23010101, own_household);
    let foreign_pay = add_payment_and_entry(&app, 23990101, foreign_household);
    let own_committee = add_committee(&app, 23010101);
    let foreign_committee = add_committee(&app, 23990101);
    let own_action = add_action_item(&app, own_committee.2);
    let foreign_action = add_action_item(&app, foreign_committee.2);
    let code_of = |id: i64| paani::schemes::find(&mut app.conn(), id).unwrap().code;
    let (own_code, foreign_code) = (code_of(own_scheme), code_of(foreign_scheme));
    let own_asset = {
        use diesel::prelude::*;
        use paani::db::schema::assets;
        let mut c = app.conn();
        assets::table
            .filter(assets::scheme_id.eq(own_scheme))
            .filter(assets::status.eq("working"))
            .select(assets::id)
            .order(assets::id)
            .first::<i64>(&mut *c)
            .unwrap()
    };

    let mut browsers = vec![];
    let mut tokens = vec![];
    for role in ROLES {
        browsers.push(app.login_as(role).await);
        tokens.push(app.api_token(role).await);
    }
    let anon = app.browser();
    let mut failures = vec![];
    for (method, path, own, foreign, anon_expected) in ROUTES {
        for (scope, expected, gp, user, scheme, asset, task, plan, breakdown, code, household) in [
            (
                "own",
                own,
                own_gp,
                own_user,
                own_scheme,
                own_asset,
                own_task,
                own_plan,
                own_breakdown,
                &own_code,
                own_household,
            ),
            (
                "foreign",
                foreign,
                foreign_gp,
                foreign_user,
                foreign_scheme,
                foreign_asset,
                foreign_task,
                foreign_plan,
                foreign_breakdown,
                &foreign_code,
                foreign_household,
            ),
        ] {
            let path = path
                .replace("{gp}", &gp.to_string())
                .replace("{user}", &user.to_string())
                .replace("{scheme}", &scheme.to_string())
                .replace("{asset}", &asset.to_string())
                .replace("{task}", &task.to_string())
                .replace("{plan}", &plan.to_string())
                .replace("{breakdown}", &breakdown.to_string())
                .replace("{code}", code)
                .replace("{household}", &household.to_string())
                .replace(
                    "{payment}",
                    &(if scope == "own" { own_pay } else { foreign_pay })
                        .0
                        .to_string(),
                )
                .replace(
                    "{entry}",
                    &(if scope == "own" { own_pay } else { foreign_pay })
                        .1
                        .to_string(),
                )
                .replace(
                    "{committee}",
                    &(if scope == "own" {
                        own_committee
                    } else {
                        foreign_committee
                    })
                    .0
                    .to_string(),
                )
                .replace(
                    "{member}",
                    &(if scope == "own" {
                        own_committee
                    } else {
                        foreign_committee
                    })
                    .1
                    .to_string(),
                )
                .replace(
                    "{meeting}",
                    &(if scope == "own" {
                        own_committee
                    } else {
                        foreign_committee
                    })
                    .2
                    .to_string(),
                )
                .replace(
                    "{action}",
                    &(if scope == "own" {
                        own_action
                    } else {
                        foreign_action
                    })
                    .to_string(),
                );
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            for (i, role) in ROLES.iter().enumerate() {
                let status = send(&app, &browsers[i], &tokens[i], &method, &path).await;
                if status != expected[i] {
                    failures.push(format!(
                        "{method} {path} as {role} ({scope}): expected {}, got {status}",
                        expected[i]
                    ));
                }
            }
        }
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let p = path
            .replace("{gp}", &own_gp.to_string())
            .replace("{user}", &own_user.to_string())
            .replace("{scheme}", &own_scheme.to_string())
            .replace("{asset}", &own_asset.to_string())
            .replace("{task}", &own_task.to_string())
            .replace("{plan}", &own_plan.to_string())
            .replace("{breakdown}", &own_breakdown.to_string())
            .replace("{code}", &own_code)
            .replace("{household}", &own_household.to_string())
            .replace("{payment}", &own_pay.0.to_string())
            .replace("{entry}", &own_pay.1.to_string())
            .replace("{committee}", &own_committee.0.to_string())
            .replace("{member}", &own_committee.1.to_string())
            .replace("{meeting}", &own_committee.2.to_string())
            .replace("{action}", &own_action.to_string());
        let status = send_anon(&anon, &method, &p).await;
        if status != *anon_expected {
            failures.push(format!(
                "{method} {p} anonymous: expected {anon_expected}, got {status}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix:\n{}",
        failures.join("\n")
    );
}

async fn send(
    app: &TestApp,
    b: &crate::helpers::Browser,
    token: &str,
    method: &Method,
    path: &str,
) -> u16 {
    if path.starts_with("/api/v1/") {
        let mut req = app
            .client
            .request(method.clone(), app.url(path))
            .bearer_auth(token);
        if matches!(*method, Method::POST | Method::PATCH) {
            req = req.json(&serde_json::json!({}));
        }
        // DELETE /api/v1/auth/token would revoke the token the matrix uses: send a bogus one.
        if path == "/api/v1/auth/token" && *method == Method::DELETE {
            req = app
                .client
                .request(method.clone(), app.url(path))
                .bearer_auth("not-a-token");
        }
        return req.send().await.unwrap().status().as_u16();
    }
    if *method == Method::POST {
        return b.post_form(path, &[]).await.status().as_u16();
    }
    b.client
        .request(method.clone(), b.url(path))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn send_anon(b: &crate::helpers::Browser, method: &Method, path: &str) -> u16 {
    if *method == Method::POST && !path.starts_with("/api/") {
        let token = b.csrf("/login").await;
        return b
            .client
            .post(b.url(path))
            .form(&[("_csrf", token.as_str())])
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
    }
    let mut req = b.client.request(method.clone(), b.url(path));
    if matches!(*method, Method::POST | Method::PATCH) {
        req = req.json(&serde_json::json!({}));
    }
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn every_api_route_is_in_the_openapi_document() {
    let app = TestApp::spawn().await;
    let doc: serde_json::Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let mut listed = std::collections::BTreeSet::new();
    for (p, item) in paths {
        for m in item.as_object().unwrap().keys() {
            listed.insert(format!("{} {}", m.to_uppercase(), p));
        }
    }
    let mut routed = std::collections::BTreeSet::new();
    for (m, p, ..) in ROUTES.iter().filter(|r| r.1.starts_with("/api/v1/")) {
        // a query string is not part of the route
        let p = p.split('?').next().unwrap_or(p);
        routed.insert(format!(
            "{m} {}",
            p.replace("{gp}", "{id}")
                .replace("{user}", "{id}")
                .replace("{scheme}", "{id}")
                .replace("{asset}", "{id}")
                .replace("{task}", "{id}")
                .replace("{plan}", "{id}")
                .replace("{breakdown}", "{id}")
                .replace("{household}", "{id}")
                .replace("{payment}", "{id}")
                .replace("{entry}", "{id}")
                .replace("{committee}", "{id}")
                .replace("{meeting}", "{id}")
                .replace("{action}", "{id}")
                .replace("/999999", "/{id}")
        ));
    }
    assert_eq!(
        listed, routed,
        "the OpenAPI document and the routes must agree"
    );
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}
