//! Every query parameter has the type and range the OpenAPI document gives it: a value the document
//! calls invalid is 400 in the API's error format (`request.invalid`), before anything is read, and
//! the edge values it calls valid are answered.

use serde_json::Value;
use tests::{Backend, TestServer};

async fn get(server: &TestServer, token: &str, path: &str) -> (u16, Value) {
    tests::sim::get_json(&server.client, &server.base, token, path).await
}

/// Each path answers 400 `request.invalid` with a Dutch message.
async fn refused(server: &TestServer, token: &str, paths: &[String]) {
    for path in paths {
        let (status, body) = get(server, token, path).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (400, Some("request.invalid")),
            "{path}: {body}"
        );
        assert!(body["error"]["message"].is_string(), "{path}: {body}");
    }
}

async fn answered(server: &TestServer, token: &str, paths: &[String]) {
    for path in paths {
        let (status, body) = get(server, token, path).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
}

/// `path` with each value the document does not allow for a `format: uuid` parameter: no uuid at
/// all, empty, and a real id in the forms other than the hyphenated one.
fn with_malformed_ids(path: impl Fn(&str) -> String) -> Vec<String> {
    let id = uuid::Uuid::new_v4();
    [
        "not-a-uuid".to_owned(),
        String::new(),
        "GM0197".to_owned(),
        id.simple().to_string(),
        format!("%7B{id}%7D"),
        format!("urn:uuid:{id}"),
    ]
    .iter()
    .map(|id| path(id))
    .collect()
}

/// The demo with a manager's and an authority viewer's token, and the viewer's authority.
struct Demo {
    server: TestServer,
    manager: String,
    viewer: String,
    authority: String,
}

async fn demo() -> Demo {
    let server = TestServer::with_demo(Backend::Sqlite).await;
    let manager = server.login("manager").await;
    let viewer = server.login("gemeente1").await;
    let (_, me) = get(&server, &viewer, "/api/v1/me").await;
    let authority = me["authority_id"]
        .as_str()
        .expect("a viewer's authority")
        .to_owned();
    Demo {
        server,
        manager,
        viewer,
        authority,
    }
}

/// One endpoint's parameters: `path?<with_id><malformed id>` and `path?<query>` for each of `bad`
/// are refused (the malformed id also for the authority viewer, whose answers are confined to an
/// authority), and each of `good` is answered.
async fn enforced(demo: &Demo, path: &str, with_id: &str, bad: &[String], good: &[String]) {
    let mut refusals = with_malformed_ids(|id| format!("{path}?{with_id}{id}"));
    refusals.extend(bad.iter().map(|q| format!("{path}?{q}")));
    refused(&demo.server, &demo.manager, &refusals).await;
    let not_a_uuid = format!("{path}?{with_id}not-a-uuid");
    refused(&demo.server, &demo.viewer, &[not_a_uuid]).await;
    let good: Vec<String> = good.iter().map(|q| format!("{path}?{q}")).collect();
    answered(&demo.server, &demo.manager, &good).await;
}

fn owned(queries: &[&str]) -> Vec<String> {
    queries.iter().map(|q| (*q).to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn site_search_parameters_are_enforced_as_documented() {
    let demo = demo().await;
    let mut bad = owned(&[
        "sector=",
        "sector=bakery",
        "sector=GARAGE",
        "limit=",
        "limit=0",
        "limit=201",
        "limit=-1",
        "limit=1.5",
        "limit=5&limit=6",
        "cursor=!!!",
        "colour=red",
    ]);
    // `maxLength: 200` counts what is sent, surrounding whitespace included.
    bad.push(format!("q={}", "a".repeat(201)));
    bad.push(format!("q=%20{}", "a".repeat(200)));
    let mut good = owned(&["sector=garage&limit=1", "limit=200&cursor=", "q="]);
    good.push(format!("q={}", "a".repeat(200)));
    good.push(format!("authority_id={}", demo.authority));
    good.push(format!("authority_id={}", demo.authority.to_uppercase()));
    enforced(&demo, "/api/v1/sites", "authority_id=", &bad, &good).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn programme_parameters_are_enforced_as_documented() {
    let demo = demo().await;
    let bad = owned(&[
        "",
        "year=",
        "year=1999",
        "year=2101",
        "year=2026.0",
        "year=twintig",
        "year=2026&year=2027",
        "year=2026&colour=red",
    ]);
    let mut good = owned(&["year=2000", "year=2100"]);
    good.push(format!("year=2026&authority_id={}", demo.authority));
    let with_id = "year=2026&authority_id=";
    enforced(&demo, "/api/v1/programme", with_id, &bad, &good).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn realisation_parameters_are_enforced_as_documented() {
    let demo = demo().await;
    let bad = owned(&[
        "",
        "year=1999",
        "year=2101",
        "year=twintig",
        "year=2026&months=0",
        "year=2026&months=6",
        "year=2026&months=13",
        "year=2026&months=vier",
        "year=2026&year=2027",
        "year=2026&colour=red",
    ]);
    let mut good = owned(&[
        "year=2000",
        "year=2100",
        "year=2026&months=4",
        "year=2026&months=8",
        "year=2026&months=12",
    ]);
    good.push(format!("year=2026&authority_id={}", demo.authority));
    let with_id = "year=2026&authority_id=";
    enforced(&demo, "/api/v1/reports/realisation", with_id, &bad, &good).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn day_and_feed_parameters_are_enforced_as_documented() {
    let server = TestServer::with_demo(Backend::Sqlite).await;
    let inspector = server.login("inspecteur1").await;
    let lead = server.login("teamleider1").await;
    let day_queries = [
        "date=",
        "date=2026-13-01",
        "date=2026-11-30T00:00:00Z",
        "date=2026-11-30&date=2026-12-01",
        "date=2026-11-30&colour=red",
    ];
    for (token, path) in [
        (&inspector, "/api/v1/me/visits"),
        (&lead, "/api/v1/team/visits"),
    ] {
        let bad: Vec<String> = day_queries.map(|q| format!("{path}?{q}")).to_vec();
        refused(&server, token, &bad).await;
        answered(&server, token, &[format!("{path}?date=2026-11-30")]).await;
    }

    let bad: Vec<String> = [
        "cursor=!!!",
        "cursor=Yw",
        "cursor=bm90LWpzb24",
        "cursor=&cursor=",
        "colour=red",
    ]
    .map(|q| format!("/api/v1/sync/pull?{q}"))
    .to_vec();
    refused(&server, &inspector, &bad).await;
    answered(
        &server,
        &inspector,
        &["/api/v1/sync/pull?cursor=".to_owned()],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_programme_product_over_200_characters_as_sent_is_refused() {
    let Demo {
        server,
        manager,
        authority,
        ..
    } = demo().await;
    for (product, expected) in [
        (format!(" {}", "p".repeat(200)), 400),
        ("   ".to_owned(), 400),
        ("p".repeat(200), 201),
    ] {
        let response = server
            .client
            .post(server.url("/api/v1/programme/lines"))
            .bearer_auth(&manager)
            .json(&serde_json::json!({
                "year": 2031, "product": product, "authority_id": authority,
                "task_group": "plustaak", "planned_count": 1, "planned_hours": 2.0,
            }))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(status, expected, "{product:?}: {body}");
        if expected == 400 {
            assert_eq!(body["error"]["code"], "programme.invalid_line", "{body}");
        }
    }
}
