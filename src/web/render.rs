//! Server-side pages: the handlebars registry (strict mode, embedded in release builds,
//! read from disk in debug builds), its helpers, and `Ui`, which renders a page with the
//! layout's context (language, user, navigation, CSRF token, flash message).

use crate::auth::{Actor, Verb};
use crate::error::{AppError, AppResult};
use crate::web::i18n::{format_date, format_datetime, format_money, I18n, Lang};
use crate::web::session::Identity;
use crate::web::AppState;
use actix_web::http::header;
use actix_web::{dev::Payload, web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason,
};
use rust_embed::RustEmbed;
use serde_json::{json, Map, Value};
use std::future::{ready, Ready};
use std::sync::Arc;

#[derive(RustEmbed)]
#[folder = "templates"]
#[include = "*.hbs"]
pub struct TemplateFiles;

pub struct Views {
    hb: Handlebars<'static>,
}

impl Views {
    pub fn load(i18n: Arc<I18n>) -> Result<Views, String> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        // Partials are not re-indented: the layout's indented `{{> content}}` would otherwise
        // add spaces to every line of a <textarea> or <pre>, and a saved form would grow them.
        hb.set_prevent_indent(true);
        hb.set_dev_mode(
            cfg!(debug_assertions) && std::env::var_os("PAANI_TEMPLATE_RELOAD").is_some(),
        );
        hb.register_embed_templates_with_extension::<TemplateFiles>(".hbs")
            .map_err(|e| format!("templates: {e}"))?;
        hb.register_helper("month_name", Box::new(MonthHelper { i18n: i18n.clone() }));
        hb.register_helper("t", Box::new(TranslateHelper { i18n }));
        hb.register_helper("money", Box::new(money_helper));
        hb.register_helper("grouped", Box::new(count_helper));
        hb.register_helper("date", Box::new(date_helper));
        hb.register_helper("datetime", Box::new(datetime_helper));
        Ok(Views { hb })
    }

    pub fn render(&self, name: &str, data: &Value) -> AppResult<String> {
        self.hb
            .render(name, data)
            .map_err(|e| AppError::Internal(format!("template {name}: {e}")))
    }

    /// [`Views::render`] taking the data by value: the engine keeps it as the context as it
    /// is, where a borrowed value is copied whole first (a page's data, charts and all).
    pub fn render_value(&self, name: &str, data: Value) -> AppResult<String> {
        self.hb
            .render_with_context(name, &Context::from(data))
            .map_err(|e| AppError::Internal(format!("template {name}: {e}")))
    }

    pub fn has(&self, name: &str) -> bool {
        self.hb.has_template(name)
    }
}

struct TranslateHelper {
    i18n: Arc<I18n>,
}

impl HelperDef for TranslateHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let key = h
            .param(0)
            .and_then(|p| p.value().as_str())
            .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex("t", 0))?;
        let lang = ctx
            .data()
            .get("lang")
            .and_then(Value::as_str)
            .and_then(Lang::parse)
            .unwrap_or_default();
        let args: Vec<(&str, String)> = h
            .hash()
            .iter()
            .map(|(k, v)| {
                let s = match v.value() {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                (*k, s)
            })
            .collect();
        let text = self.i18n.t(lang, key, &args);
        out.write(&handlebars::html_escape(&text))?;
        Ok(())
    }
}

/// `{{month_name "2026-04"}}` (or a date): the month's name and year in the page's language.
struct MonthHelper {
    i18n: Arc<I18n>,
}

impl HelperDef for MonthHelper {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let raw = param_value(h, "month_name")?.as_str().unwrap_or_default();
        let Some(month) = crate::web::forms::parse_month(raw) else {
            return Ok(());
        };
        let lang = ctx
            .data()
            .get("lang")
            .and_then(Value::as_str)
            .and_then(Lang::parse)
            .unwrap_or_default();
        out.write(&handlebars::html_escape(
            &self.i18n.month_label(lang, month),
        ))?;
        Ok(())
    }
}

fn param_value<'a>(h: &'a Helper, name: &'static str) -> Result<&'a Value, RenderError> {
    h.param(0)
        .map(|p| p.value())
        .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex(name, 0).into())
}

fn money_helper(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let v = param_value(h, "money")?;
    if let Some(p) = v.as_i64() {
        out.write(&format_money(p))?;
    }
    Ok(())
}

/// `{{grouped n}}`: a count with Indian digit grouping (25177 → 25,177).
fn count_helper(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let v = param_value(h, "grouped")?;
    if let Some(n) = v.as_i64() {
        out.write(&crate::web::i18n::format_count(n))?;
    } else if let Some(s) = v.as_str() {
        out.write(&handlebars::html_escape(s))?;
    }
    Ok(())
}

fn date_helper(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    if let Some(s) = param_value(h, "date")?.as_str() {
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            out.write(&format_date(d))?;
        } else if let Some(t) = crate::clock::utc::parse(s) {
            use chrono::TimeZone;
            out.write(&format_date(
                crate::web::i18n::ist().from_utc_datetime(&t).date_naive(),
            ))?;
        }
    }
    Ok(())
}

fn datetime_helper(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    if let Some(s) = param_value(h, "datetime")?.as_str() {
        if let Some(t) = crate::clock::utc::parse(s) {
            out.write(&format_datetime(t))?;
        }
    }
    Ok(())
}

/// A navigation entry: path, label key, and who sees it. Each area declares its own; the
/// app factory puts them in order (`AppState::nav`).
#[derive(Debug, Clone, Copy)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub verb: Option<Verb>,
}

/// Everything a handler needs to answer with a page.
pub struct Ui {
    pub state: web::Data<AppState>,
    pub identity: Identity,
    pub path: String,
    pub query: String,
}

impl FromRequest for Ui {
    type Error = AppError;
    type Future = Ready<Result<Ui, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let identity = req.extensions().get::<Identity>().cloned();
        ready(match (state, identity) {
            (Some(state), Some(identity)) => Ok(Ui {
                state,
                identity,
                path: req.path().to_string(),
                query: req.query_string().to_string(),
            }),
            _ => Err(AppError::Internal("request without identity".into())),
        })
    }
}

impl Ui {
    pub fn lang(&self) -> Lang {
        self.identity.lang
    }

    pub fn actor(&self) -> Option<&Actor> {
        self.identity.actor.as_ref()
    }

    /// The same request rendered in another language (a printout in the language of the
    /// record, such as a meeting's minutes, whatever the reader's).
    pub fn in_lang(&self, lang: Lang) -> Ui {
        let mut identity = self.identity.clone();
        identity.lang = lang;
        Ui {
            state: self.state.clone(),
            identity,
            path: self.path.clone(),
            query: self.query.clone(),
        }
    }

    /// `path` with this request's query string: an export link keeping the page's filters.
    pub fn with_query(&self, path: &str) -> String {
        if self.query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", self.query)
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.state.i18n.t(self.lang(), key, &[])
    }

    pub fn t_args(&self, key: &str, args: &[(&str, String)]) -> String {
        self.state.i18n.t(self.lang(), key, args)
    }

    /// Options for a select: each value with its `<prefix><value>` message as the label.
    pub fn choices<S: AsRef<str>>(&self, prefix: &str, values: &[S]) -> Vec<Value> {
        values
            .iter()
            .map(|v| {
                let v = v.as_ref();
                json!({"value": v, "label": self.t(&format!("{prefix}{v}"))})
            })
            .collect()
    }

    /// Field errors as `{field: message}` in the reader's language.
    pub fn field_errors(&self, errors: &crate::error::FieldErrors) -> Value {
        let mut m = Map::new();
        for e in &errors.0 {
            if m.contains_key(&e.field) {
                continue;
            }
            m.insert(
                e.field.clone(),
                Value::String(self.state.i18n.field_message(self.lang(), e)),
            );
        }
        Value::Object(m)
    }

    /// The layout's context with `data` merged in at the top level.
    pub fn context(&self, title_key: &str, data: Value) -> Value {
        let lang = self.lang();
        let other = match lang {
            Lang::En => Lang::Hi,
            Lang::Hi => Lang::En,
        };
        let nav = &self.state.nav;
        let nav: Vec<Value> = match self.actor() {
            None => vec![],
            Some(actor) => nav
                .iter()
                .filter(|n| n.verb.is_none_or(|v| actor.can(v)))
                .map(|n| {
                    // the longest matching entry is the active one
                    let matches = |href: &str| {
                        if href == "/" {
                            self.path == "/"
                        } else {
                            self.path.starts_with(href)
                        }
                    };
                    let active = matches(n.href)
                        && !nav
                            .iter()
                            .any(|m| m.href.len() > n.href.len() && matches(m.href));
                    json!({"href": n.href, "label": n.label, "active": active})
                })
                .collect(),
        };
        let user = self.actor().map(|a| {
            json!({
                "id": a.user.id,
                "username": a.user.username,
                "display_name": a.user.display_name,
                "role": a.role.as_str(),
                "role_key": format!("role-{}", a.role.as_str()),
            })
        });
        let mut switch_query: Vec<(String, String)> =
            serde_urlencoded::from_str::<Vec<(String, String)>>(&self.query)
                .unwrap_or_default()
                .into_iter()
                .filter(|(k, _)| k != "lang")
                .collect();
        switch_query.push(("lang".into(), other.code().into()));
        // Query-only, so the link can never point at another host whatever the path holds.
        let lang_switch_url = format!(
            "?{}",
            serde_urlencoded::to_string(&switch_query).unwrap_or_default()
        );
        // what an admin must fix in the set-up, on every page they see
        let setup_warnings: Vec<String> = match self.actor() {
            Some(a) if a.can(crate::auth::Verb::ManageUsers) => {
                let config = &self.state.config;
                let url = config.public_url();
                match config.base_url_problem() {
                    Some(crate::config::BaseUrlProblem::Missing) => {
                        vec![self.t_args("setup-base-url-missing", &[("url", url)])]
                    }
                    Some(crate::config::BaseUrlProblem::Loopback) => vec![self.t_args(
                        "setup-base-url-loopback",
                        &[("url", url), ("listen", config.server.listen.clone())],
                    )],
                    None => vec![],
                }
            }
            _ => vec![],
        };
        let mut root = json!({
            "lang": lang.code(),
            "setup_warnings": setup_warnings,
            "title": self.t(title_key),
            "user": user,
            // the offline app's parts (outbox banner and scripts, the token they send)
            "offline_app": self.actor().is_some_and(|a| a.works_in_the_field()),
            "nav": nav,
            "csrf": self.identity.csrf,
            "flash": self.identity.flash.as_deref().map(|k| self.t(k)),
            "path": self.path,
            "other_lang": other.code(),
            "other_lang_name": self.t(&format!("lang-name-{}", other.code())),
            "lang_switch_url": lang_switch_url,
            "unread": self.identity.unread,
            "errors": {},
            // the longest text each kind of field takes (forms' maxlength)
            "max": crate::web::forms::max::table(),
            // for pages with a photo field (partials/photo_script)
            "photo_limit": {
                "bytes": self.state.config.storage.max_photo_bytes,
                "mb": format!("{:.1}", self.state.config.storage.max_photo_bytes as f64 / 1_048_576.0),
            },
        });
        if let (Value::Object(r), Value::Object(d)) = (&mut root, data) {
            for (k, v) in d {
                r.insert(k, v);
            }
        }
        root
    }

    pub fn render(&self, template: &str, title_key: &str, data: Value) -> AppResult<HttpResponse> {
        self.render_status(actix_web::http::StatusCode::OK, template, title_key, data)
    }

    pub fn render_status(
        &self,
        status: actix_web::http::StatusCode,
        template: &str,
        title_key: &str,
        data: Value,
    ) -> AppResult<HttpResponse> {
        let ctx = self.context(title_key, data);
        let body = self.state.views.render_value(template, ctx)?;
        Ok(HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(body))
    }

    /// A form that failed validation: the same page again, 422, errors beside the fields.
    pub fn render_invalid(
        &self,
        template: &str,
        title_key: &str,
        errors: &crate::error::FieldErrors,
        mut data: Value,
    ) -> AppResult<HttpResponse> {
        if let Value::Object(m) = &mut data {
            m.insert("errors".into(), self.field_errors(errors));
        }
        let ctx = self.context(title_key, data);
        let body = self.state.views.render_value(template, ctx)?;
        let body = self.with_error_summary(body, errors)?;
        Ok(
            HttpResponse::build(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY)
                .content_type("text/html; charset=utf-8")
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .body(body),
        )
    }

    /// A failed form's page with the summary of its errors at the top of the form (or of
    /// the content): each field's label and message, linking to the field. It takes the
    /// focus when the page opens (`autofocus`), so the browser scrolls to it; no script.
    fn with_error_summary(
        &self,
        mut body: String,
        errors: &crate::error::FieldErrors,
    ) -> AppResult<String> {
        let mut listed: Vec<(String, String)> = vec![];
        for e in &errors.0 {
            if !listed.iter().any(|(f, _)| f == &e.field) {
                listed.push((
                    e.field.clone(),
                    self.state.i18n.field_message(self.lang(), e),
                ));
            }
        }
        if listed.is_empty() {
            return Ok(body);
        }
        let (place, items) = crate::web::forms::error_summary(&body, &listed);
        let summary = self.state.views.render_value(
            "partials/error_summary",
            json!({"lang": self.lang().code(), "count": items.len(), "items": items}),
        )?;
        let at = place.or_else(|| {
            let main = body.find("<main")?;
            body[main..].find('>').map(|e| main + e + 1)
        });
        match at {
            Some(at) => body.insert_str(at, &summary),
            None => body.insert_str(0, &summary),
        }
        Ok(body)
    }
}

/// 303 See Other to `to`.
pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

/// 303 to `to`, showing the flash message `key` on the next page.
pub fn redirect_flash(to: &str, key: &str) -> HttpResponse {
    let mut res = redirect(to);
    let _ = res.add_cookie(&crate::web::session::flash_cookie(key));
    res
}

/// A link that opens WhatsApp with `text` filled in (`https://wa.me/?text=…`): a plain link,
/// no script needed. The text should carry an absolute address ([`Config::public_url`]) so
/// the message's reader can open it.
///
/// [`Config::public_url`]: crate::config::Config::public_url
pub fn whatsapp_url(text: &str) -> String {
    format!("https://wa.me/?text={}", percent_encode(text))
}

/// `text` percent-encoded as RFC 3986 asks: every byte of its UTF-8 but the unreserved
/// characters (letters, digits, `-._~`) as `%XX`, so a space is `%20` (not `+`, which some
/// WhatsApp clients show as a plus) and `&`, `=`, `?`, `#` and `/` of a link inside stay put.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn whatsapp_links_carry_the_text_encoded() {
        let url = super::whatsapp_url(
            "शिकायत 23010101-B7 & more: https://p.example/c/status?number=23010101-B7",
        );
        assert!(url.starts_with("https://wa.me/?text="), "{url}");
        assert!(!url.contains(' ') && !url.contains("&more") && !url.contains("?number"));
        assert!(url.contains("%20") && !url.contains('+'), "{url}");
        assert!(url.contains("https%3A%2F%2Fp.example%2Fc%2Fstatus%3Fnumber%3D23010101-B7"));
        let text = url.split_once("text=").unwrap().1;
        let back: Vec<(String, String)> =
            serde_urlencoded::from_str(&format!("text={text}")).unwrap();
        assert_eq!(
            back[0].1,
            "शिकायत 23010101-B7 & more: https://p.example/c/status?number=23010101-B7"
        );
    }
}
