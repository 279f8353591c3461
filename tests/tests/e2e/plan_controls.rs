//! The team lead's hand in the plan (issue "Team lead", planning): a planned visit moved to
//! another inspector leaves the first one's tablet and reaches the other's; a visit someone
//! started is never moved or boosted; a push to the top puts the visit first with the reason as
//! its own factor; a locked day is not planned again. Everything audited.

use serde_json::{json, Value};
use tests::sim::{a_started_violation, get_json, post_json, visits_on, SimDevice};
use tests::{demo_date, on_both_databases, TestServer};

async fn user_id(server: &TestServer, username: &str) -> String {
    sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap()
}

async fn audited(server: &TestServer, entity_id: &str, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity_id = $1 AND action = $2")
        .bind(entity_id)
        .bind(action)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap()
}

on_both_databases! {
    async fn a_moved_visit_leaves_one_tablet_and_reaches_the_other(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let (first, second) = (server.login("inspecteur1").await, server.login("inspecteur2").await);
        let lead = server.login("teamleider1").await;
        let mut tablet1 = SimDevice::new(&server.base, server.client.clone(), &first);
        let mut tablet2 = SimDevice::new(&server.base, server.client.clone(), &second);
        tablet1.pull().await;
        tablet2.pull().await;
        let visit = visits_on(&server.client, &server.base, &first, demo_date()).await.into_iter()
            .find(|v| v["status"] == "planned").unwrap();
        let id = visit["id"].as_str().unwrap().to_owned();
        let uuid: uuid::Uuid = id.parse().unwrap();
        let to = user_id(&server, "inspecteur2").await;
        let path = format!("/api/v1/team/visits/{id}/move");
        let version = visit["version"].as_i64().unwrap();

        // An old version, or an inspector the agency does not have: refused, nothing moves.
        let (status, body) = post_json(&server.client, &server.base, &lead, &path,
            &json!({"inspector_id": to, "date": demo_date(), "version": version - 1})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("record.version_conflict")));
        let (status, _) = post_json(&server.client, &server.base, &lead, &path,
            &json!({"inspector_id": uuid::Uuid::new_v4(), "date": demo_date(), "version": version})).await;
        assert_eq!(status, 400);
        // An inspector may not move visits.
        let (status, _) = post_json(&server.client, &server.base, &first, &path,
            &json!({"inspector_id": to, "date": demo_date(), "version": version})).await;
        assert_eq!(status, 403);

        let (status, moved) = post_json(&server.client, &server.base, &lead, &path,
            &json!({"inspector_id": to, "date": demo_date(), "version": version})).await;
        assert_eq!(status, 200, "{moved}");
        assert_eq!(moved["inspector_id"], to.as_str());
        let last = visits_on(&server.client, &server.base, &second, demo_date()).await;
        assert_eq!(last.last().unwrap()["id"], id.as_str(), "last on the new inspector's route");
        assert_eq!(audited(&server, &id, "visit.move").await, 1);
        // At their next sync: gone from the first tablet, on the second.
        tablet1.pull().await;
        tablet2.pull().await;
        assert!(tablet1.pulled[&uuid].data.is_none(), "the first tablet is told to drop it");
        let reached = tablet2.pulled[&uuid].data.clone().expect("the second tablet gets it");
        assert_eq!(reached["inspector_id"], to.as_str());
    }
}

on_both_databases! {
    async fn a_started_visit_is_never_moved_or_boosted(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let first = server.login("inspecteur1").await;
        let lead = server.login("teamleider1").await;
        let v = a_started_violation(&server.client, &server.base, &first, demo_date()).await;
        let id = v.visit["id"].as_str().unwrap();
        let (_, now) = get_json(&server.client, &server.base, &lead, &format!("/api/v1/visits/{id}")).await;
        let version = now["version"].as_i64().unwrap();
        let to = user_id(&server, "inspecteur2").await;
        let (status, body) = post_json(&server.client, &server.base, &lead, &format!("/api/v1/team/visits/{id}/move"),
            &json!({"inspector_id": to, "date": demo_date(), "version": version})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("plan.visit_not_movable")));
        let (status, body) = post_json(&server.client, &server.base, &lead, &format!("/api/v1/team/visits/{id}/boost"),
            &json!({"reason": "Klacht", "version": version})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("plan.visit_not_movable")));
        let (_, after) = get_json(&server.client, &server.base, &lead, &format!("/api/v1/visits/{id}")).await;
        assert_eq!((after["inspector_id"].clone(), after["version"].clone()), (now["inspector_id"].clone(), now["version"].clone()));
        assert_eq!(audited(&server, id, "visit.move").await + audited(&server, id, "visit.boost").await, 0);
    }
}

on_both_databases! {
    async fn a_boosted_visit_goes_first_with_the_reason_as_its_own_factor(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let first = server.login("inspecteur1").await;
        let lead = server.login("teamleider1").await;
        let day = visits_on(&server.client, &server.base, &first, demo_date()).await;
        let last = day.last().unwrap().clone();
        let id = last["id"].as_str().unwrap();
        assert!(last["route_order"].as_i64().unwrap() > 1);
        let path = format!("/api/v1/team/visits/{id}/boost");
        let (status, _) = post_json(&server.client, &server.base, &lead, &path,
            &json!({"reason": "   ", "version": last["version"]})).await;
        assert_eq!(status, 400, "a reason is required");
        let (status, boosted) = post_json(&server.client, &server.base, &lead, &path,
            &json!({"reason": "Klacht van omwonenden over stank", "version": last["version"]})).await;
        assert_eq!(status, 200, "{boosted}");
        let again = visits_on(&server.client, &server.base, &first, demo_date()).await;
        assert_eq!(again[0]["id"], id, "first on the day");
        assert_eq!(again.len(), day.len());
        let orders: Vec<i64> = again.iter().map(|v| v["route_order"].as_i64().unwrap()).collect();
        assert!(orders.windows(2).all(|w| w[0] < w[1]), "{orders:?}");
        let factor = again[0]["priority"]["factors"].as_array().unwrap().iter()
            .find(|f| f["name"] == "manual_boost").cloned().unwrap();
        assert_eq!(factor["note"], "Klacht van omwonenden over stank");
        assert!(factor["contribution"].as_f64().unwrap() > 0.0);
        let sum: f64 = again[0]["priority"]["factors"].as_array().unwrap().iter().map(|f| f["contribution"].as_f64().unwrap()).sum();
        assert_eq!(again[0]["priority"]["score"].as_f64().unwrap(), sum);
        // Every visit of that day has a new version, so the tablet learns the new order.
        assert!(again.iter().all(|v| day.iter().find(|d| d["id"] == v["id"]).unwrap()["version"].as_i64() < v["version"].as_i64()));
        assert_eq!(audited(&server, id, "visit.boost").await, 1);
    }
}

on_both_databases! {
    async fn a_locked_day_is_not_planned_again(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let lead = server.login("teamleider1").await;
        // A working day far ahead that nobody planned yet.
        let mut day = demo_date() + chrono::Days::new(60);
        while !shared::calendar::is_workday(day) {
            day = day + chrono::Days::new(1);
        }
        let lock = |locked: bool| {
            let request = server.client.put(server.url(&format!("/api/v1/team/days/{day}/lock")))
                .bearer_auth(&lead).json(&json!({"locked": locked}));
            async move {
                let response = request.send().await.unwrap();
                (response.status().as_u16(), response.json::<Value>().await.unwrap())
            }
        };
        let (status, body) = lock(true).await;
        assert_eq!((status, body["locked"].as_bool()), (200, Some(true)), "{body}");
        let (status, body) = post_json(&server.client, &server.base, &lead, "/api/v1/team/plan", &json!({"date": day})).await;
        assert_eq!((status, body["error"]["code"].as_str()), (409, Some("plan.day_locked")));
        // The planner's own runs leave it alone too.
        let summary = server::planning::ensure_planned(&server.state.db, day, 1).await.unwrap();
        assert!(!summary.days.contains(&day), "{:?}", summary.days);
        let planned: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE planned_date = $1")
            .bind(day.to_string()).fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(planned, 0);
        let board: Value = server.client.get(server.url(&format!("/api/v1/team/board?date={day}"))).bearer_auth(&lead)
            .send().await.unwrap().json().await.unwrap();
        assert_eq!(board["locked"], true);
        // Unlocked, the day is planned.
        assert_eq!(lock(false).await.0, 200);
        let (status, body) = post_json(&server.client, &server.base, &lead, "/api/v1/team/plan", &json!({"date": day})).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["inspectors"].as_array().unwrap().iter().any(|i| !i["visits"].as_array().unwrap().is_empty()));
        let locks: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('day.lock', 'day.unlock')")
            .fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(locks, 2);
        // Inspectors may not lock.
        let inspector = server.login("inspecteur1").await;
        let refused = server.client.put(server.url(&format!("/api/v1/team/days/{day}/lock")))
            .bearer_auth(&inspector).json(&json!({"locked": true})).send().await.unwrap();
        assert_eq!(refused.status(), 403);
    }
}

on_both_databases! {
    async fn an_inspectors_hours_and_absence_shape_the_planned_day(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let lead = server.login("teamleider1").await;
        let mut day = demo_date() + chrono::Days::new(50);
        while !shared::calendar::is_workday(day) {
            day = day + chrono::Days::new(1);
        }
        let (first, second) = (user_id(&server, "inspecteur1").await, user_id(&server, "inspecteur2").await);
        let put = |token: String, path: String, body: Value| {
            let request = server.client.put(server.url(&path)).bearer_auth(token).json(&body);
            async move {
                let response = request.send().await.unwrap();
                (response.status().as_u16(), response.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        let capacity = format!("/api/v1/team/inspectors/{first}/capacity");
        let absence = format!("/api/v1/team/inspectors/{second}/absences/{day}");
        // Out of range, not a planner, not an inspector of the agency: refused.
        assert_eq!(put(lead.clone(), capacity.clone(), json!({"capacity_hours": 20.0})).await.0, 400);
        assert_eq!(put(server.login("inspecteur1").await, capacity.clone(), json!({"capacity_hours": 3.0})).await.0, 403);
        let lead_id = user_id(&server, "teamleider1").await;
        assert_eq!(put(lead.clone(), format!("/api/v1/team/inspectors/{lead_id}/capacity"), json!({"capacity_hours": 3.0})).await.0, 404);

        assert_eq!(put(lead.clone(), capacity.clone(), json!({"capacity_hours": 3.0})).await, (200, json!({"capacity_hours": 3.0})));
        let (status, body) = put(lead.clone(), absence.clone(), json!({"absent": true})).await;
        assert_eq!((status, body["absent"].as_bool()), (200, Some(true)));
        let (status, planned) = post_json(&server.client, &server.base, &lead, "/api/v1/team/plan", &json!({"date": day})).await;
        assert_eq!(status, 200, "{planned}");
        let of = |id: &str| planned["inspectors"].as_array().unwrap().iter()
            .find(|i| i["inspector_id"] == id).unwrap()["visits"].as_array().unwrap().clone();
        assert!(of(&second).is_empty(), "absent: no visits");
        let hours = |size: &str| match size { "S" => 1.0, "M" => 2.0, "L" => 4.0, "XL" => 6.0, _ => 8.0 };
        let first_hours: f64 = of(&first).iter().map(|v| hours(v["size"].as_str().unwrap())).sum();
        assert!(first_hours <= 3.0, "within the 3 hours: {first_hours}");
        assert!(!of(&user_id(&server, "inspecteur3").await).is_empty(), "the others are planned");
        // The board says so, and both changes are audited.
        let (_, board) = get_json(&server.client, &server.base, &lead, &format!("/api/v1/team/board?date={day}")).await;
        let line = |id: &str| board["inspectors"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap().clone();
        assert_eq!((line(&first)["capacity_hours"].as_f64(), line(&second)["absent"].as_bool()), (Some(3.0), Some(true)));
        assert_eq!(audited(&server, &first, "inspector.capacity").await, 1);
        assert_eq!(audited(&server, &second, "inspector.absent").await, 1);
        // Back to the default.
        assert_eq!(put(lead.clone(), capacity, json!({"capacity_hours": null})).await.0, 200);
    }
}

on_both_databases! {
    async fn a_boosted_site_is_planned_with_the_reason_and_its_planned_visit_goes_first(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let lead = server.login("teamleider1").await;
        // A site nobody visits or plans.
        let site: String = sqlx::query_scalar(
            "SELECT s.id FROM sites s WHERE NOT EXISTS (SELECT 1 FROM visits v WHERE v.site_id = s.id) ORDER BY s.id LIMIT 1")
            .fetch_one(&server.state.db.pool).await.unwrap();
        let path = format!("/api/v1/team/sites/{site}/boost");
        let reason = "Melding van de politie over een lozing";
        for bad in [json!({"reason": "  "}), json!({"reason": reason, "until": "2020-01-01"})] {
            assert_eq!(post_json(&server.client, &server.base, &lead, &path, &bad).await.0, 400, "{bad}");
        }
        assert_eq!(post_json(&server.client, &server.base, &server.login("inspecteur1").await, &path, &json!({"reason": reason})).await.0, 403);
        assert_eq!(post_json(&server.client, &server.base, &lead, &format!("/api/v1/team/sites/{}/boost", uuid::Uuid::new_v4()), &json!({"reason": reason})).await.0, 404);
        let (status, boost) = post_json(&server.client, &server.base, &lead, &path, &json!({"reason": reason})).await;
        assert_eq!(status, 201, "{boost}");
        assert!(boost["visit_id"].is_null(), "no visit to lift: {boost}");
        assert_eq!(audited(&server, &site, "site.boost").await, 1);

        // The next day the planner plans has the site, with the reason as its own factor.
        let mut day = demo_date() + chrono::Days::new(45);
        while !shared::calendar::is_workday(day) {
            day = day + chrono::Days::new(1);
        }
        let (status, planned) = post_json(&server.client, &server.base, &lead, "/api/v1/team/plan", &json!({"date": day})).await;
        assert_eq!(status, 200, "{planned}");
        let visit = planned["inspectors"].as_array().unwrap().iter()
            .flat_map(|i| i["visits"].as_array().unwrap().clone())
            .find(|v| v["site"]["id"] == site.as_str()).expect("the boosted site is planned");
        let factor = visit["priority"]["factors"].as_array().unwrap().iter()
            .find(|f| f["name"] == "manual_boost").cloned().unwrap();
        assert_eq!(factor["note"], reason);
        assert!(factor["contribution"].as_f64().unwrap() > 0.0);

        // A site with a visit planned from today on that nobody started: it goes first now.
        let busy = planned["inspectors"].as_array().unwrap().iter()
            .find(|i| i["visits"].as_array().unwrap().len() >= 2).expect("an inspector with two visits").clone();
        let last = busy["visits"].as_array().unwrap().last().unwrap().clone();
        let (status, lifted) = post_json(&server.client, &server.base, &lead,
            &format!("/api/v1/team/sites/{}/boost", last["site"]["id"].as_str().unwrap()), &json!({"reason": reason})).await;
        assert_eq!(status, 201, "{lifted}");
        assert_eq!(lifted["visit_id"], last["id"]);
        let (_, again) = get_json(&server.client, &server.base, &lead, &format!("/api/v1/team/visits?date={day}")).await;
        let mine = again["inspectors"].as_array().unwrap().iter()
            .find(|i| i["inspector_id"] == busy["inspector_id"]).unwrap()["visits"].as_array().unwrap().clone();
        assert_eq!(mine[0]["id"], last["id"]);
    }
}
