//! The integrators' API description (`docs/API.md`) and the OpenAPI document name the same
//! endpoints, and both exist in the router: a documented path that is not served, or a served path
//! the prose does not mention, fails here. The repository's own documents link inside it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

const API_DOC: &str = include_str!("../../../docs/API.md");
const OPENAPI: &str = include_str!("../../../server/openapi/openapi.json");

const METHODS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];

/// Every `METHOD /api/v1/...` (and `METHOD /healthz`) the text mentions, without query strings.
fn mentioned_endpoints(text: &str) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for method in METHODS {
        let needle = format!("{method} /");
        let mut from = 0;
        while let Some(at) = text[from..].find(&needle).map(|i| from + i) {
            from = at + needle.len();
            let word_start = text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_ascii_alphanumeric());
            if !word_start {
                continue;
            }
            let path: String = text[at + method.len() + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "/{}_-.".contains(*c))
                .collect();
            let path = path.trim_end_matches('.').to_owned();
            if path.starts_with("/api/v1/") || path == "/healthz" {
                out.insert((method.to_owned(), path));
            }
        }
    }
    out
}

fn openapi_operations() -> BTreeSet<(String, String)> {
    let doc: Value = serde_json::from_str(OPENAPI).expect("the OpenAPI document is JSON");
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            let method = method.to_uppercase();
            if METHODS.contains(&method.as_str()) {
                out.insert((method, path.clone()));
            }
        }
    }
    out
}

fn served_endpoints() -> BTreeSet<(String, String)> {
    let mut served: BTreeSet<(String, String)> = server::api::endpoints()
        .into_iter()
        .map(|e| (e.method.to_owned(), format!("/api/v1{}", e.path)))
        .collect();
    served.insert(("GET".to_owned(), "/healthz".to_owned()));
    served
}

#[test]
fn the_parser_reads_method_lines_and_inline_mentions() {
    let found = mentioned_endpoints(
        "GET /api/v1/sites?q=x\n`PUT /api/v1/blobs/{sha256}`, then HEAD /healthz.\n\
         FORGET /api/v1/nothing, GET /elsewhere",
    );
    let expected: BTreeSet<(String, String)> = [
        ("GET", "/api/v1/sites"),
        ("PUT", "/api/v1/blobs/{sha256}"),
        ("HEAD", "/healthz"),
    ]
    .into_iter()
    .map(|(m, p)| (m.to_owned(), p.to_owned()))
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn every_endpoint_of_the_api_description_is_in_the_openapi_document_and_served() {
    let documented = mentioned_endpoints(API_DOC);
    assert!(
        documented.len() >= 20,
        "docs/API.md names its endpoints: {documented:?}"
    );
    let openapi = openapi_operations();
    let served = served_endpoints();
    let not_in_openapi: Vec<_> = documented.difference(&openapi).collect();
    let not_served: Vec<_> = documented.difference(&served).collect();
    assert!(
        not_in_openapi.is_empty(),
        "docs/API.md names endpoints server/openapi/openapi.json does not: {not_in_openapi:?}"
    );
    assert!(
        not_served.is_empty(),
        "docs/API.md names endpoints the router does not serve: {not_served:?}"
    );
}

#[test]
fn every_operation_of_the_openapi_document_is_described_in_the_api_description() {
    let documented = mentioned_endpoints(API_DOC);
    let missing: Vec<_> = openapi_operations()
        .into_iter()
        .filter(|op| !documented.contains(op))
        .collect();
    assert!(
        missing.is_empty(),
        "operations of the OpenAPI document docs/API.md does not describe: {missing:?}"
    );
}

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the repository")
        .to_path_buf()
}

/// The relative targets of `[text](target)` links, without `#anchors`.
fn relative_links(text: &str) -> Vec<&str> {
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            let target = &rest[..rest.find(')')?];
            let target = target.split('#').next().unwrap_or("");
            let external = target.contains("://") || target.starts_with("mailto:");
            (!external && !target.is_empty()).then_some(target)
        })
        .collect()
}

#[test]
fn the_repository_documents_link_only_inside_the_repository() {
    let root = repository_root()
        .canonicalize()
        .expect("the repository root");
    let mut documents = vec![root.join("README.md"), root.join("ARCHITECTURE.md")];
    for entry in std::fs::read_dir(root.join("docs")).expect("docs/") {
        let path = entry.expect("a docs/ entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            documents.push(path);
        }
    }
    for document in documents {
        let text = std::fs::read_to_string(&document)
            .unwrap_or_else(|e| panic!("{}: {e}", document.display()));
        let name = document.strip_prefix(&root).unwrap_or(&document).display();
        assert!(
            !text.contains("../shared"),
            "{name} refers to ../shared, outside the repository"
        );
        let dir = document.parent().expect("a document is in a folder");
        for target in relative_links(&text) {
            let resolved = dir.join(target).canonicalize();
            assert!(
                resolved.is_ok_and(|r| r.starts_with(&root)),
                "{name}: the link {target} does not resolve inside the repository"
            );
        }
    }
}
