//! The OpenAPI document (`GET /api/v1/openapi.json`) describes exactly the endpoints the router
//! serves: adding an endpoint without documenting it fails here. Each check runs against a server
//! on SQLite and one on PostgreSQL: the document is served by the same router on both.

use std::collections::BTreeSet;

use serde_json::Value;
use shared::ErrorCode;
use tests::{on_both_databases, Backend, TestServer};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Endpoints that answer without a token.
const PUBLIC: [(&str, &str); 3] = [
    ("POST", "/api/v1/auth/login"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/healthz"),
];

async fn served_document(backend: Backend) -> Value {
    let server = TestServer::empty(backend).await;
    let response = server
        .client
        .get(server.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the document is public");
    let content_type = response.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let text = response.text().await.unwrap();
    serde_json::from_str(&text).expect("the document is valid JSON")
}

/// Every (METHOD, path, operation) of the document.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths is an object") {
        for (method, operation) in item.as_object().expect("a path item is an object") {
            if METHODS.contains(&method.as_str()) {
                out.push((method.to_uppercase(), path.clone(), operation));
            }
        }
    }
    out
}

/// Follows a local `$ref` (`#/a/b`) to what it names.
fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

fn deref<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => deref(
            doc,
            resolve(doc, r).unwrap_or_else(|| panic!("{r} resolves")),
        ),
        None => value,
    }
}

fn collect_refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// The error codes a response schema allows (`enum` on `error.code`), following `$ref`s and `allOf`.
fn error_codes(doc: &Value, schema: &Value, out: &mut BTreeSet<String>) {
    let schema = deref(doc, schema);
    if let Some(codes) = schema.pointer("/properties/error/properties/code/enum") {
        for code in codes.as_array().expect("enum is an array") {
            out.insert(code.as_str().expect("codes are strings").to_owned());
        }
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        error_codes(doc, part, out);
    }
}

fn refers_to_error_schema(doc: &Value, schema: &Value) -> bool {
    let direct = schema.get("$ref").and_then(Value::as_str);
    if direct == Some("#/components/schemas/Error") {
        return true;
    }
    let schema = deref(doc, schema);
    schema["allOf"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|part| refers_to_error_schema(doc, part))
}

on_both_databases! {
    async fn the_document_is_openapi_3_1_with_bearer_auth(backend: Backend) {
        let doc = served_document(backend).await;
        let version = doc["openapi"].as_str().expect("openapi version");
        assert!(version.starts_with("3.1."), "openapi {version}");
        assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
        let scheme = &doc["components"]["securitySchemes"]["bearerAuth"];
        assert_eq!(
            (scheme["type"].as_str(), scheme["scheme"].as_str()),
            (Some("http"), Some("bearer"))
        );
        assert_eq!(doc["security"], serde_json::json!([{"bearerAuth": []}]));
    }

    async fn the_documented_paths_are_exactly_the_served_endpoints(backend: Backend) {
        let doc = served_document(backend).await;
        let documented: BTreeSet<(String, String)> = operations(&doc)
            .into_iter()
            .map(|(m, p, _)| (m, p))
            .collect();
        let mut served: BTreeSet<(String, String)> = server::api::endpoints()
            .into_iter()
            .map(|e| (e.method.to_owned(), format!("/api/v1{}", e.path)))
            .collect();
        served.insert(("GET".to_owned(), "/healthz".to_owned()));
        let undocumented: Vec<_> = served.difference(&documented).collect();
        let unknown: Vec<_> = documented.difference(&served).collect();
        assert!(
            undocumented.is_empty(),
            "endpoints missing from server/openapi/openapi.json: {undocumented:?}"
        );
        assert!(unknown.is_empty(), "documented but not served: {unknown:?}");
    }

    async fn every_operation_documents_its_parameters_security_and_answers(backend: Backend) {
        let doc = served_document(backend).await;
        let mut operation_ids = BTreeSet::new();
        for (method, path, op) in operations(&doc) {
            let name = format!("{method} {path}");
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{name}: summary"
            );
            assert!(
                op["description"].as_str().is_some_and(|s| !s.is_empty()),
                "{name}: description"
            );
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: operationId"));
            assert!(
                operation_ids.insert(id.to_owned()),
                "{name}: duplicate operationId {id}"
            );

            // Public exactly where the server answers without a token.
            let public = PUBLIC.contains(&(method.as_str(), path.as_str()));
            assert_eq!(
                op.get("security") == Some(&serde_json::json!([])),
                public,
                "{name}: security"
            );

            // Every `{name}` of the path is a documented path parameter, and nothing else is.
            let parameters: Vec<&Value> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| deref(&doc, p))
                .collect();
            let in_path: BTreeSet<&str> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                .collect();
            let documented: BTreeSet<&str> = parameters
                .iter()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().expect("parameter name"))
                .collect();
            assert_eq!(in_path, documented, "{name}: path parameters");
            for p in &parameters {
                assert!(
                    p["schema"]["type"].is_string(),
                    "{name}: parameter {} has a typed schema",
                    p["name"]
                );
                if p["in"] == "path" {
                    assert_eq!(p["required"], true, "{name}: path parameters are required");
                }
            }

            let responses = op["responses"]
                .as_object()
                .unwrap_or_else(|| panic!("{name}: responses"));
            let statuses: Vec<u16> = responses
                .keys()
                .map(|k| k.parse().unwrap_or_else(|_| panic!("{name}: status {k}")))
                .collect();
            assert!(
                statuses.iter().any(|s| (200..300).contains(s)),
                "{name}: a 2xx answer"
            );
            // A public operation without parameters or body has no client error to answer
            // (`/healthz`, this document); every other operation documents its 4xx answers.
            let takes_input = !parameters.is_empty() || op.get("requestBody").is_some();
            if !public || takes_input {
                assert!(
                    statuses.iter().any(|s| (400..500).contains(s)),
                    "{name}: a 4xx answer"
                );
            }
            if !public {
                assert!(
                    statuses.contains(&401),
                    "{name}: 401 auth.required without a token"
                );
            }
            for (status, response) in responses {
                let status: u16 = status.parse().unwrap();
                let response = deref(&doc, response);
                assert!(
                    response["description"].is_string(),
                    "{name} {status}: description"
                );
                if status < 400 {
                    continue;
                }
                // Error answers use the one error format, and each code it lists exists and is
                // answered with exactly this status.
                let schema = &response["content"]["application/json"]["schema"];
                assert!(
                    refers_to_error_schema(&doc, schema),
                    "{name} {status}: error format"
                );
                let mut codes = BTreeSet::new();
                error_codes(&doc, schema, &mut codes);
                assert!(!codes.is_empty(), "{name} {status}: lists its error codes");
                for code in codes {
                    let parsed = ErrorCode::parse(&code)
                        .unwrap_or_else(|| panic!("{name} {status}: unknown code {code}"));
                    assert_eq!(
                        parsed.http_status(),
                        status,
                        "{name}: {code} is not a {status}"
                    );
                }
            }
        }
    }

    async fn every_reference_resolves(backend: Backend) {
        let doc = served_document(backend).await;
        let mut refs = Vec::new();
        collect_refs(&doc, &mut refs);
        assert!(refs.len() > 50, "the document reuses its components");
        for r in refs {
            assert!(r.starts_with("#/"), "only local references: {r}");
            assert!(resolve(&doc, r).is_some(), "{r} does not resolve");
        }
    }
}
