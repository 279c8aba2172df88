//! The providers' hooks for complaints by phone: a missed call (`/hooks/missed-call/exotel`,
//! Exotel's Passthru applet: a GET with CallSid, CallFrom/From, CallTo/To, Direction, …) and
//! an inbound SMS (`/hooks/sms/{transport}/inbound`: Exotel's From/To/Body, or a generic
//! `from` and `text`, as query, form or JSON). Both carry `sms.callback_secret` as
//! `?secret=…` or an `X-Paani-Secret` header, like the delivery reports. Answers: 200 with an
//! empty `text/plain` body whatever was done (Passthru takes 200 as its first branch; Exotel's
//! SMS reply applet would send a body as the reply, and replies go through the outbox), 401
//! for a wrong secret, 404 when callbacks are off or the provider is unknown.

use super::service::{self, InboundSms, MissedCall};
use crate::error::AppError;
use crate::sms::pages::callback_secret;
use crate::web::AppState;
use actix_web::{web, HttpRequest, HttpResponse};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/hooks/missed-call/{provider}", web::get().to(missed_call))
        .route("/hooks/missed-call/{provider}", web::head().to(head))
        .route("/hooks/sms/{transport}/inbound", web::get().to(inbound))
        .route("/hooks/sms/{transport}/inbound", web::post().to(inbound))
        .route("/hooks/sms/{transport}/inbound", web::head().to(head));
}

/// The providers that report missed calls in a shape Paani reads.
pub const CALL_PROVIDERS: [&str; 1] = ["exotel"];

fn done() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").finish()
}

/// Exotel checks the address with a HEAD first: the same headers as the GET.
async fn head() -> HttpResponse {
    done()
}

fn answer(result: Result<(), AppError>) -> HttpResponse {
    match result {
        Ok(()) => done(),
        Err(AppError::Unauthorized) => HttpResponse::Unauthorized().body("wrong secret"),
        Err(AppError::NotFound) => HttpResponse::NotFound().body("not found"),
        Err(e) => {
            tracing::error!(error = %e, "phone hook failed");
            HttpResponse::InternalServerError().body("error")
        }
    }
}

/// The first value of any of these fields (names as the providers spell them).
fn field(fields: &[(String, String)], names: &[&str]) -> String {
    names
        .iter()
        .find_map(|n| fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()))
        .unwrap_or_default()
}

async fn missed_call(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let (secret, query) = callback_secret(&req);
    if !CALL_PROVIDERS.contains(&path.as_str()) {
        return HttpResponse::NotFound().body("not found");
    }
    let call = MissedCall {
        call_sid: field(&query, &["CallSid"]),
        from: field(&query, &["CallFrom", "From"]),
    };
    let r = state
        .service(move |ctx| service::missed_call(ctx, secret.as_deref(), call).map(|_| ()))
        .await;
    answer(r)
}

async fn inbound(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let (secret, mut fields) = callback_secret(&req);
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type.starts_with("application/json") {
        if let Ok(serde_json::Value::Object(m)) = serde_json::from_slice(&body) {
            fields.extend(
                m.into_iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string()))),
            );
        }
    } else if !body.is_empty() {
        fields.extend(
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body).unwrap_or_default(),
        );
    }
    let sms = InboundSms {
        from: field(&fields, &["From", "from"]),
        body: field(&fields, &["Body", "text", "body"]),
    };
    let transport = path.into_inner();
    let r = state
        .service(move |ctx| {
            service::inbound_sms(ctx, &transport, secret.as_deref(), sms).map(|_| ())
        })
        .await;
    answer(r)
}
