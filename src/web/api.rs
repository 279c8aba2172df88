//! JSON endpoints declared once. An area's `api.rs` lists its handlers in [`endpoints!`];
//! the macro derives the area's OpenAPI document from their `#[utoipa::path]` attributes and
//! registers each handler at exactly the path and method that document gives it. So an
//! endpoint cannot be served without being documented, nor documented at a path it is not
//! served at. Path parameters documented as integers only match digits (`{id:\d+}`), so a
//! fixed path such as `/api/v1/meetings/regularity` never depends on being registered before
//! `/api/v1/meetings/{id}`.

use actix_web::http::Method;
use actix_web::{web, Route};
use serde_json::Value;

/// The area's endpoints: `endpoints!(api_list, api_get, …);` in its `api.rs` gives
/// `pub struct Api` (its OpenAPI document: `<Api as utoipa::OpenApi>::openapi()`) and
/// `pub fn configure(cfg)` (its routes). The app factory calls both.
#[macro_export]
macro_rules! endpoints {
    ($($handler:ident),+ $(,)?) => {
        /// This area's JSON endpoints as an OpenAPI document (merged into `/api/openapi.json`).
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($handler),+))]
        pub struct Api;

        /// This area's JSON endpoints, each at the path and method its documentation gives.
        pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
            let doc = $crate::web::api::operations(&<Api as utoipa::OpenApi>::openapi());
            $(
                $crate::web::api::register(cfg, &doc, stringify!($handler), |method| {
                    actix_web::web::method(method).to($handler)
                });
            )+
        }
    };
}

/// One documented operation: where it is served and its operation id (the handler's name).
pub struct Operation {
    pub path: String,
    pub method: Method,
    pub operation_id: String,
}

/// The operations of a document, with each integer path parameter written as a digits-only
/// pattern for the router.
pub fn operations(doc: &utoipa::openapi::OpenApi) -> Vec<Operation> {
    let doc = serde_json::to_value(doc).unwrap_or(Value::Null);
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            let Ok(method) = Method::from_bytes(method.to_uppercase().as_bytes()) else {
                continue;
            };
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            out.push(Operation {
                path: router_path(path, op),
                method,
                operation_id: id.to_string(),
            });
        }
    }
    out
}

/// `path` with each path parameter that the operation documents as an integer made to match
/// digits only.
fn router_path(path: &str, op: &Value) -> String {
    let mut path = path.to_string();
    for p in op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let is_path = p.get("in").and_then(Value::as_str) == Some("path");
        let is_int = p.pointer("/schema/type").and_then(Value::as_str) == Some("integer");
        if let (true, true, Some(name)) = (is_path, is_int, p.get("name").and_then(Value::as_str)) {
            path = path.replace(&format!("{{{name}}}"), &format!("{{{name}:\\d+}}"));
        }
    }
    path
}

/// Register the handler whose operation id is `operation_id` at every path and method the
/// document gives it. A handler missing from the document is a programming error that the
/// derive already refuses to compile, so nothing is registered for it here.
pub fn register(
    cfg: &mut web::ServiceConfig,
    doc: &[Operation],
    operation_id: &str,
    route: impl Fn(Method) -> Route,
) {
    for op in doc.iter().filter(|o| o.operation_id == operation_id) {
        cfg.route(&op.path, route(op.method.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integer_path_parameters_match_digits_only() {
        let op = json!({"parameters": [
            {"name": "id", "in": "path", "schema": {"type": "integer", "format": "int64"}},
            {"name": "code", "in": "path", "schema": {"type": "string"}},
            {"name": "page", "in": "query", "schema": {"type": "integer"}}
        ]});
        assert_eq!(
            router_path("/api/v1/things/{id}/by/{code}", &op),
            "/api/v1/things/{id:\\d+}/by/{code}"
        );
        assert_eq!(router_path("/api/v1/things", &json!({})), "/api/v1/things");
    }
}
