//! The sites API (issue 4 "API", "Roles and tenancy"): search with keyset cursors, detail with the
//! inspection history, and who sees which site.

use std::collections::HashSet;

use serde_json::Value;
use tests::{on_both_databases, TestServer};

async fn get(server: &TestServer, token: &str, path: &str) -> (u16, Value) {
    let response = server
        .client
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Every page of a search, following the cursors; the sites in the order they came.
async fn all_pages(server: &TestServer, token: &str, query: &str) -> Vec<Value> {
    let mut sites = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/sites?{query}&cursor={c}"),
            None => format!("/api/v1/sites?{query}"),
        };
        let (status, body) = get(server, token, &path).await;
        assert_eq!(status, 200, "{path}: {body}");
        sites.extend(body["sites"].as_array().unwrap().iter().cloned());
        match body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return sites,
        }
    }
}

async fn scalar<T>(server: &TestServer, sql: &str) -> T
where
    T: Send + Unpin + for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    sqlx::query_scalar(sql)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap()
}

fn ids(sites: &[Value]) -> Vec<String> {
    sites
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A second agency with one site, directly in the database: nobody of the demo agency may see it.
async fn foreign_site(server: &TestServer) -> String {
    use server::db::seed;
    let mut tx = server.state.db.pool.begin().await.unwrap();
    let agency = uuid::Uuid::new_v4().to_string();
    let authority = uuid::Uuid::new_v4().to_string();
    let site = uuid::Uuid::new_v4().to_string();
    seed::agency(
        &mut tx,
        &seed::AgencyRecord {
            id: &agency,
            code: "ODR",
            name: "Omgevingsdienst Rivierenland",
        },
    )
    .await
    .unwrap();
    seed::authority(
        &mut tx,
        &seed::AuthorityRecord {
            id: &authority,
            agency_id: &agency,
            kind: "municipality",
            cbs_code: "GM0263",
            name: "Wageningen",
        },
    )
    .await
    .unwrap();
    server::db::sites::insert_many(
        &mut tx,
        &[seed::SiteRecord {
            id: site.clone(),
            agency_id: agency,
            authority_id: authority,
            external_key: "ODR-1".into(),
            name: "Garage Aalten-Vreemd".into(),
            street: "Markt".into(),
            house_number: "1".into(),
            postcode: "6701 AB".into(),
            city: "Aalten".into(),
            lat: 51.97,
            lon: 5.66,
            sector: "garage".into(),
            activities_json: "[]".into(),
            surroundings_json: "[]".into(),
            attributes_json: "{}".into(),
        }],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    site
}

on_both_databases! {
    async fn search_finds_sites_by_postcode_and_by_city(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let (id, postcode, city): (String, String, String) =
            sqlx::query_as("SELECT id, postcode, city FROM sites ORDER BY external_key LIMIT 1")
                .fetch_one(&server.state.db.pool).await.unwrap();

        for q in [postcode.clone(), postcode.to_lowercase(), postcode.replace(' ', "")] {
            let found = all_pages(&server, &token, &format!("q={}&limit=200", q.replace(' ', "%20"))).await;
            assert!(ids(&found).contains(&id), "postcode {q:?} finds the site");
            assert!(found.iter().all(|s| s["postcode"] == postcode.as_str()), "only that postcode");
        }
        let found = all_pages(&server, &token, &format!("q={}&limit=200", city.to_uppercase())).await;
        assert!(ids(&found).contains(&id));
        let in_city: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sites WHERE city = $1")
            .bind(&city).fetch_one(&server.state.db.pool).await.unwrap();
        assert!(found.len() as i64 >= in_city, "every site in {city} is found");

        let (status, body) = get(&server, &token, "/api/v1/sites?q=zzzz-bestaat-niet").await;
        assert_eq!(status, 200);
        assert_eq!(body["sites"], Value::Array(vec![]));
        assert_eq!(body["next_cursor"], Value::Null);
        // LIKE wildcards in the query are taken literally.
        let (_, body) = get(&server, &token, "/api/v1/sites?q=%25").await;
        assert_eq!(body["sites"], Value::Array(vec![]));
    }

    async fn search_matches_within_one_field_and_follows_every_write(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let (id, name, street, city): (String, String, String, String) =
            sqlx::query_as("SELECT id, name, street, city FROM sites ORDER BY external_key LIMIT 1")
                .fetch_one(&server.state.db.pool).await.unwrap();
        // The stored search text joins the fields with U+001F; neither a text spanning two fields
        // with that separator nor one with a space finds anything.
        let (name, street) = (name.to_lowercase(), street.to_lowercase());
        for q in [format!("{name}\u{1f}{street}"), format!("{name} {street}"), format!("{street}\u{1f}"),
                  format!("{city} {name}")] {
            let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
            let found = all_pages(&server, &token, &format!("q={encoded}")).await;
            assert!(found.is_empty(), "{q:?} matches no single field");
        }
        // Any UPDATE keeps the search in step (generated columns, migration 0005).
        sqlx::query("UPDATE sites SET name = 'Zzyzx Werkplaats', postcode = '9999 ZZ' WHERE id = $1")
            .bind(&id).execute(&server.state.db.pool).await.unwrap();
        for q in ["zzyzx%20werk", "9999zz", "9999%20zz"] {
            let found = all_pages(&server, &token, &format!("q={q}")).await;
            assert_eq!(ids(&found), vec![id.clone()], "{q}");
        }
    }

    async fn cursors_walk_every_match_once_in_name_order(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("teamleider1").await;
        let expected: i64 = scalar(&server, "SELECT COUNT(*) FROM sites WHERE sector = 'garage'").await;
        let sites = all_pages(&server, &token, "sector=garage&limit=37").await;
        assert_eq!(sites.len() as i64, expected, "no gaps");
        let unique: HashSet<String> = ids(&sites).into_iter().collect();
        assert_eq!(unique.len(), sites.len(), "no duplicates");
        assert!(sites.iter().all(|s| s["sector"] == "garage"));
        // The default page is 50 and says there is more.
        let (_, first) = get(&server, &token, "/api/v1/sites").await;
        assert_eq!(first["sites"].as_array().unwrap().len(), 50);
        assert!(first["next_cursor"].is_string());
        // All sites of the agency, 200 at a time.
        let everything = all_pages(&server, &token, "limit=200").await;
        let total: i64 = scalar(&server, "SELECT COUNT(*) FROM sites").await;
        assert_eq!(everything.len() as i64, total);
        assert_eq!(ids(&everything).into_iter().collect::<HashSet<_>>().len() as i64, total);
    }

    async fn an_authority_viewer_never_sees_a_site_of_another_authority(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("gemeente1").await;
        let (_, me) = get(&server, &token, "/api/v1/me").await;
        let own = me["authority_id"].as_str().unwrap().to_owned();
        let code: String = sqlx::query_scalar("SELECT cbs_code FROM authorities WHERE id = $1")
            .bind(&own).fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(code, "GM0197");

        let seen = all_pages(&server, &token, "limit=200").await;
        let expected: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sites WHERE authority_id = $1")
            .bind(&own).fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(seen.len() as i64, expected);
        assert!(seen.iter().all(|s| s["authority_id"] == own.as_str()));
        // A city of another municipality, or another authority asked for by id: nothing.
        let elsewhere = all_pages(&server, &token, "q=winterswijk&limit=200").await;
        assert!(elsewhere.iter().all(|s| s["authority_id"] == own.as_str()));
        let (other_site, other_authority): (String, String) = sqlx::query_as(
            "SELECT id, authority_id FROM sites WHERE authority_id <> $1 ORDER BY id LIMIT 1",
        ).bind(&own).fetch_one(&server.state.db.pool).await.unwrap();
        let (status, body) = get(&server, &token, &format!("/api/v1/sites?authority_id={other_authority}")).await;
        assert_eq!((status, body["sites"].as_array().map(Vec::len)), (200, Some(0)));

        let (status, body) = get(&server, &token, &format!("/api/v1/sites/{other_site}")).await;
        assert_eq!((status, body["error"]["code"].as_str()), (404, Some("request.not_found")));
        let own_site = seen.first().map(|s| s["id"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("Aalten has sites"));
        let (status, _) = get(&server, &token, &format!("/api/v1/sites/{own_site}")).await;
        assert_eq!(status, 200);
        // The manager sees the other municipality's site.
        let manager = server.login("manager").await;
        let (status, _) = get(&server, &manager, &format!("/api/v1/sites/{other_site}")).await;
        assert_eq!(status, 200);
    }

    async fn the_detail_has_the_inspection_history_with_violations(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur3").await;
        let site_id: String = scalar(&server, "SELECT site_id FROM violations WHERE remedy_deadline IS NOT NULL ORDER BY id LIMIT 1").await;
        let inspections: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inspections WHERE site_id = $1")
            .bind(&site_id).fetch_one(&server.state.db.pool).await.unwrap();
        let (status, site) = get(&server, &token, &format!("/api/v1/sites/{site_id}")).await;
        assert_eq!(status, 200, "{site}");
        assert_eq!(site["id"], site_id.as_str());
        assert!(site["address"].as_str().unwrap().contains(", "));
        let history = site["inspections"].as_array().unwrap();
        assert_eq!(history.len() as i64, inspections);
        let dates: Vec<&str> = history.iter().map(|i| i["date"].as_str().unwrap()).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
        let violation = history.iter()
            .flat_map(|i| i["violations"].as_array().unwrap())
            .find(|v| v["remedy_deadline"].is_string())
            .expect("a violation with a remedy deadline");
        assert!(violation["cell"].as_str().unwrap().len() == 2);
        assert!(violation["intervention"].is_string());
        assert!(history.iter().all(|i| ["compliant", "violations"].contains(&i["result"].as_str().unwrap())));
    }

    async fn unknown_and_foreign_ids_are_404_and_bad_parameters_400(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let foreign = foreign_site(&server).await;
        let token = server.login("manager").await;
        for path in [
            format!("/api/v1/sites/{foreign}"),
            format!("/api/v1/sites/{}", uuid::Uuid::new_v4()),
            "/api/v1/sites/not-a-uuid".to_owned(),
        ] {
            let (status, body) = get(&server, &token, &path).await;
            assert_eq!((status, body["error"]["code"].as_str()), (404, Some("request.not_found")), "{path}");
        }
        let found = all_pages(&server, &token, "q=aalten-vreemd").await;
        assert!(found.is_empty(), "another agency's site is never listed");

        for query in [
            "cursor=!!!", "cursor=bm90LWpzb24", "limit=0", "limit=201", "limit=tien",
            "sector=bakery", "authority_id=GM0197", "colour=red",
        ] {
            let (status, body) = get(&server, &token, &format!("/api/v1/sites?{query}")).await;
            assert_eq!((status, body["error"]["code"].as_str()), (400, Some("request.invalid")), "{query}");
        }
        let response = server.client.get(server.url("/api/v1/sites")).send().await.unwrap();
        assert_eq!(response.status(), 401);
    }
}
