//! The `/api/v1` surface as one OpenAPI 3 document (`/api/openapi.json`) and a readable page
//! rendered from it (`/api/docs`). The handlers live with their areas.

use crate::error::AppResult;
use crate::web::render::Ui;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Paani API", description = "Operation & maintenance of village water schemes. Authenticate with POST /api/v1/auth/token, then send `Authorization: Bearer <token>`. Errors are application/problem+json; validation errors answer 422 with an `errors` object of per-field messages."),
    modifiers(&BearerAuth),
    tags((name = "auth"), (name = "places"), (name = "users"), (name = "schemes"), (name = "assets"), (name = "maintenance"), (name = "breakdowns"), (name = "public"), (name = "billing"), (name = "committees"), (name = "reminders"), (name = "jobs"), (name = "dashboards"), (name = "offline"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        // a meter's data logger: a per-scheme device token (supply::devices), not a user's
        components.add_security_scheme(
            "device_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A scheme's device token (made on the scheme's supply devices page), \
                         good for that one scheme's readings only.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The whole document: the common parts (above) and every area's endpoints, merged once per
/// process (it is the same for every request).
pub fn document() -> &'static Value {
    static DOCUMENT: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| {
        let mut doc = ApiDoc::openapi();
        for area in crate::app::api_documents() {
            doc.merge(area);
        }
        let mut doc = serde_json::to_value(doc).unwrap_or(Value::Null);
        name_operations(&mut doc);
        add_common_answers(&mut doc);
        doc
    })
}

/// The answers every operation can give, added where an operation does not name them itself:
/// 400 (a query string or body that cannot be read), 422 (field errors: the input layer
/// refuses a control character in any text), 404 for a path with an id, 401 and 403 for a
/// secured one; each as an RFC 9457 problem document (`Problem`).
fn add_common_answers(doc: &mut Value) {
    let problem = serde_json::json!({"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}});
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.insert(
            "Problem".into(),
            serde_json::json!({
                "type": "object",
                "description": "An error (RFC 9457), its texts in the reader's language.",
                "required": ["type", "title", "status"],
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "instance": {"type": "string"},
                    "errors": {
                        "type": "object",
                        "description": "With 422: a message per field.",
                        "additionalProperties": {"type": "string"}
                    }
                }
            }),
        );
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for op in item.values_mut() {
            let secured = op
                .get("security")
                .and_then(Value::as_array)
                .is_some_and(|s| !s.is_empty());
            // a list filter naming a place or a scheme outside the caller's scope is a 404
            let names_a_record = op
                .get("parameters")
                .and_then(Value::as_array)
                .is_some_and(|ps| {
                    ps.iter().any(|p| {
                        matches!(
                            p.get("name").and_then(Value::as_str),
                            Some(
                                "gp" | "scheme"
                                    | "place"
                                    | "village"
                                    | "block"
                                    | "committee"
                                    | "household"
                            )
                        )
                    })
                });
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            let mut add = |status: &str, description: &str| {
                let entry = responses
                    .entry(status.to_string())
                    .or_insert_with(|| serde_json::json!({"description": description}));
                if let Some(e) = entry.as_object_mut() {
                    e.entry("content").or_insert_with(|| problem.clone());
                }
            };
            add("400", "The query string or body could not be read");
            add("422", "Field errors, one message per field");
            if path.contains('{') || names_a_record {
                add("404", "Not found, or outside the caller's scope");
            }
            if secured {
                add("401", "No valid bearer token");
                add("403", "The caller's role may not do this");
            }
        }
    }
}

/// Each operation's id from its method and path (`get_households_id_ledger`): unique by
/// construction across the areas (their handlers' names repeat: `api_list`, …), and stable as
/// long as the route is. The router matches handlers by their own names before this.
fn name_operations(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let words: Vec<String> = path
            .trim_start_matches("/api/v1")
            .split('/')
            .filter(|w| !w.is_empty())
            .map(|w| {
                w.trim_matches(|c| c == '{' || c == '}')
                    .replace(['-', '.'], "_")
            })
            .collect();
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            if let Some(op) = op.as_object_mut() {
                let id = format!("{method}_{}", words.join("_"));
                op.insert("operationId".into(), Value::String(id));
            }
        }
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/openapi.json", web::get().to(openapi_json))
        .route("/api/docs", web::get().to(docs_page));
}

async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(document())
}

/// A plain HTML rendering of the document: no scripts, no CDN.
#[derive(Debug, Default, serde::Deserialize)]
struct DocsQuery {
    /// One tag's operations in full, or "schemas"; none: the index (keeps each page small).
    tag: Option<String>,
    /// The page of the data shapes (they are many).
    page: Option<usize>,
}

/// Data shapes per page of the schema reference.
const SCHEMAS_PER_PAGE: usize = 40;

async fn docs_page(ui: Ui, q: web::Query<DocsQuery>) -> AppResult<HttpResponse> {
    let doc = document();
    let q = q.into_inner();
    let tag = q.tag.filter(|t| !t.is_empty());
    let names: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    // where a shape is described: its page of the reference
    let schema_link = |name: &str| {
        let page = names.iter().position(|n| n == name).unwrap_or(0) / SCHEMAS_PER_PAGE + 1;
        format!("/api/docs?tag=schemas&page={page}#schema-{name}")
    };
    let mut ops = vec![];
    let mut tags: Vec<String> = vec![];
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                let op_tag = op
                    .pointer("/tags/0")
                    .and_then(Value::as_str)
                    .unwrap_or("other")
                    .to_string();
                if !tags.contains(&op_tag) {
                    tags.push(op_tag.clone());
                }
                let full = tag.as_deref() == Some(op_tag.as_str());
                if tag.is_some() && !full {
                    continue;
                }
                let params: Vec<Value> = op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .map(|ps| {
                        ps.iter()
                            .map(|p| json!({"name": p.get("name"), "in": p.get("in"), "description": p.get("description").cloned().unwrap_or(Value::Null)}))
                            .collect()
                    })
                    .unwrap_or_default();
                let body = op
                    .pointer("/requestBody/content/application~1json/schema/$ref")
                    .and_then(Value::as_str)
                    .map(|r| r.rsplit('/').next().unwrap_or(r).to_string())
                    .map(|name| json!({"name": name, "href": schema_link(&name)}));
                let responses: Vec<Value> = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .map(|rs| {
                        rs.iter()
                            .map(|(code, r)| json!({"code": code, "description": r.get("description").cloned().unwrap_or(Value::Null)}))
                            .collect()
                    })
                    .unwrap_or_default();
                ops.push(json!({
                    "tag": op_tag,
                    "full": full,
                    "method": method.to_uppercase(),
                    "path": path,
                    "summary": op.get("summary").or_else(|| op.get("description")).cloned().unwrap_or(Value::Null),
                    "secured": op.get("security").is_some(),
                    "params": params,
                    "body": body,
                    "responses": responses,
                }));
            }
        }
    }
    let show_schemas = tag.as_deref() == Some("schemas");
    let pages = names.len().div_ceil(SCHEMAS_PER_PAGE).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let schemas: Vec<Value> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| {
            s.iter()
                .skip((page - 1) * SCHEMAS_PER_PAGE)
                .take(SCHEMAS_PER_PAGE)
                .map(|(name, schema)| {
                    let props: Vec<Value> = schema
                        .get("properties")
                        .and_then(Value::as_object)
                        .map(|p| {
                            p.iter()
                                .map(|(k, v)| json!({"name": k, "type": v.get("type").map(|t| t.to_string().replace('"', "")).unwrap_or_default(), "description": v.get("description").cloned().unwrap_or(Value::Null)}))
                                .collect()
                        })
                        .unwrap_or_default();
                    json!({"name": name, "props": props})
                })
                .collect()
        })
        .filter(|_| show_schemas)
        .unwrap_or_default();
    ui.render(
        "api/docs",
        "api-docs-title",
        json!({"ops": ops, "schemas": schemas, "tags": tags, "tag": tag,
               "description": doc.pointer("/info/description"),
               "schema_pages": (1..=pages).map(|p| json!({"page": p, "current": p == page})).collect::<Vec<_>>()}),
    )
}
