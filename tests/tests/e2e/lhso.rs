//! LHSO advice and the active matrix (API.md "LHSO assessment"), black-box, with the shipped
//! default matrix; an agency's own matrix is tested in `agency_config.rs`.

use serde_json::{json, Value};
use tests::sim::post_json;
use tests::{on_both_databases, TestServer};

const CRIMINAL_LAW: [&str; 2] = ["official_report", "punishment_order"];

async fn assess(server: &TestServer, token: &str, body: &Value) -> (u16, Value) {
    post_json(
        &server.client,
        &server.base,
        token,
        "/api/v1/lhso/assess",
        body,
    )
    .await
}

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

fn interventions(body: &Value) -> Vec<&str> {
    body["interventions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect()
}

// The advice depends on the agency's active matrix, which is read from the database.
on_both_databases! {
    async fn a_direct_placement_gives_the_documented_advice(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;

        let (status, b3) = assess(
            &server,
            &token,
            &json!({"consequence": 3, "behaviour": "B"}),
        )
        .await;
        assert_eq!(status, 200, "{b3}");
        assert_eq!(b3["cell"], "B3");
        assert_eq!(b3["consequence"], 3);
        assert_eq!(b3["behaviour"], "B");
        assert_eq!(b3["boa_consultation"], true);
        assert_eq!(b3["matrix_version"], "lhso-default-2022");
        assert!(!interventions(&b3).is_empty());
        assert!(b3["remedy_days"].is_null() || b3["remedy_days"].is_u64());
        assert!(b3["explanation"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s.as_str().is_some_and(|s| !s.is_empty())));

        let (status, a1) = assess(
            &server,
            &token,
            &json!({"consequence": 1, "behaviour": "A"}),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(a1["cell"], "A1");
        assert_eq!(a1["boa_consultation"], false);
        assert!(interventions(&a1).iter().all(|i| !CRIMINAL_LAW.contains(i)));

        // A repeat offence never makes the advice lighter.
        let (status, repeat) = assess(
            &server,
            &token,
            &json!({"consequence": 1, "behaviour": "A", "repeat_offence": true, "matrix_version": "lhso-default-2022"}),
        )
        .await;
        assert_eq!(status, 200);
        assert!(repeat["cell"].as_str().unwrap() >= "A1");

        // Every role may ask for advice, not only inspectors.
        let viewer = server.login("gemeente1").await;
        let (status, _) = assess(
            &server,
            &viewer,
            &json!({"consequence": 4, "behaviour": "D"}),
        )
        .await;
        assert_eq!(status, 200);
    }

    async fn out_of_range_and_malformed_input_are_refused_with_their_own_codes(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        for body in [
            json!({"consequence": 5, "behaviour": "B"}),
            json!({"consequence": 0, "behaviour": "A"}),
            json!({"consequence": 2, "behaviour": "E"}),
            json!({"consequence": 2}),
            json!({}),
            json!({"answers": {"no_such_question": "yes"}}),
            json!({"consequence": 2, "behaviour": "A", "matrix_version": "lhso-elders-2030"}),
        ] {
            let (status, answer) = assess(&server, &token, &body).await;
            assert_eq!(
                (status, code(&answer)),
                (400, "lhso.invalid_input"),
                "{body}"
            );
        }
        for body in [
            json!({"consequence": "drie", "behaviour": "B"}),
            json!({"consequence": 3, "behaviour": "B", "colour": "red"}),
            json!([3, "B"]),
        ] {
            let (status, answer) = assess(&server, &token, &body).await;
            assert_eq!((status, code(&answer)), (400, "request.invalid"), "{body}");
        }
        let response = server
            .client
            .post(server.url("/api/v1/lhso/assess"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{\"consequence\": 3,")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400);
        assert_eq!(code(&response.json().await.unwrap()), "request.invalid");

        let anonymous = server
            .client
            .post(server.url("/api/v1/lhso/assess"))
            .json(&json!({"consequence": 3, "behaviour": "B"}))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 401);
    }

    async fn the_matrix_is_reported_and_its_questions_place_a_violation(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("teamleider1").await;
        let response = server
            .client
            .get(server.url("/api/v1/lhso/matrix"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let matrix: Value = response.json().await.unwrap();
        assert_eq!(matrix["version"], "lhso-default-2022");
        assert_eq!(matrix["is_default"], true);
        let cells = matrix["cells"].as_object().unwrap();
        assert_eq!(cells.len(), 16);
        for boa in ["A4", "B3", "B4", "C2", "C3", "C4", "D1", "D2", "D3", "D4"] {
            assert_eq!(cells[boa]["boa_consultation"], true, "{boa}");
        }
        for admin in ["A1", "A2", "A3", "B1", "B2", "C1"] {
            assert_eq!(cells[admin]["boa_consultation"], false, "{admin}");
        }
        for axis in ["consequence", "behaviour"] {
            assert_eq!(
                matrix["labels"][axis].as_object().unwrap().len(),
                4,
                "{axis}"
            );
        }
        let questions = matrix["questions"].as_array().unwrap();
        assert!(questions.iter().any(|q| q["axis"] == "consequence"));
        assert!(questions.iter().any(|q| q["axis"] == "behaviour"));

        // Answer every question with its lightest option, then with its heaviest.
        let pick = |heaviest: bool| {
            let answers: serde_json::Map<String, Value> = questions
                .iter()
                .map(|q| {
                    let options = q["options"].as_array().unwrap();
                    let by_weight = |o: &&Value| o["weight"].as_u64().unwrap();
                    let option = if heaviest {
                        options.iter().max_by_key(by_weight)
                    } else {
                        options.iter().min_by_key(by_weight)
                    }
                    .unwrap();
                    (
                        q["id"].as_str().unwrap().to_owned(),
                        option["value"].clone(),
                    )
                })
                .collect();
            json!({ "answers": answers })
        };
        let (status, light) = assess(&server, &token, &pick(false)).await;
        assert_eq!(status, 200, "{light}");
        assert_eq!(light["cell"], "A1");
        assert_eq!(light["matrix_version"], "lhso-default-2022");
        let (status, heavy) = assess(&server, &token, &pick(true)).await;
        assert_eq!(status, 200, "{heavy}");
        assert_eq!(heavy["cell"], "D4");
        assert_eq!(heavy["boa_consultation"], true);
        assert!(interventions(&heavy)
            .iter()
            .any(|i| CRIMINAL_LAW.contains(i)));

        let anonymous = server
            .client
            .get(server.url("/api/v1/lhso/matrix"))
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 401);
    }
}
