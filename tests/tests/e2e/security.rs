//! Rate limiting of logins and the hash-chained audit trail: an edited entry, a removed entry and
//! a removed tail are each detected, by the server's verification and by `schouw audit verify`.

use serde_json::json;
use tests::sim::{invariants, visits_on, SimDevice};
use tests::{demo_date, on_both_databases, TestServer};

async fn attempt(server: &TestServer, username: &str, password: &str) -> (u16, String) {
    let response = server
        .client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap();
    (
        status,
        body["error"]["code"].as_str().unwrap_or("").to_owned(),
    )
}

on_both_databases! {
    async fn repeated_wrong_passwords_lock_the_account_for_a_while_even_with_the_right_password(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        for _ in 0..10 {
            assert_eq!(attempt(&server, "inspecteur4", "geraden").await, (401, "auth.invalid_credentials".into()));
        }
        assert_eq!(attempt(&server, "inspecteur4", "schouw-demo").await, (429, "auth.rate_limited".into()));
        // Other accounts are not affected by one account's lock.
        assert_eq!(attempt(&server, "inspecteur5", "schouw-demo").await.0, 200);
    }

    async fn logins_and_logouts_are_audited_in_an_intact_hash_chain(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let pool = &server.state.db.pool;
        // Loading the demo already planned days, which the planner audits.
        let server::audit::Verification::Intact { entries: before } = server::audit::verify(pool).await.unwrap() else {
            panic!("the demo's audit trail is broken");
        };
        let token = server.login("teamleider1").await;
        server.login("manager").await;
        let logout = server.client.post(server.url("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(logout.status(), 204);
        assert_eq!(server::audit::verify(pool).await.unwrap(), server::audit::Verification::Intact { entries: before + 3 });
        let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'auth.%' ORDER BY seq")
            .fetch_all(pool)
            .await
            .unwrap();
        assert_eq!(actions, ["auth.login", "auth.login", "auth.logout"]);
    }

    async fn tampering_with_an_audit_entry_is_detected(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        server.login("inspecteur1").await;
        server.login("inspecteur2").await;
        server.login("inspecteur3").await;
        let pool = &server.state.db.pool;
        sqlx::query("UPDATE audit_log SET entity_id = 'someone-else' WHERE seq = 2").execute(pool).await.unwrap();
        assert!(matches!(server::audit::verify(pool).await.unwrap(), server::audit::Verification::BrokenAt { seq: 2, .. }));
    }

    async fn deleting_an_audit_entry_in_the_middle_is_detected(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        server.login("inspecteur1").await;
        server.login("inspecteur2").await;
        let pool = &server.state.db.pool;
        let entries = invariants::audit_chain_intact(pool).await;
        assert!(entries > 3, "the demo and the logins left entries");
        sqlx::query("DELETE FROM audit_log WHERE seq = 2").execute(pool).await.unwrap();
        assert_eq!(server::audit::verify(pool).await.unwrap(),
            server::audit::Verification::BrokenAt { seq: 2, reason: "ontbrekende regel" });
    }

    async fn removing_the_last_audit_entries_after_pushes_is_detected_by_the_server_and_the_command(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        let token = server.login("inspecteur1").await;
        let visit = visits_on(&server.client, &server.base, &token, demo_date()).await[0]["id"]
            .as_str().unwrap().to_owned();
        let mut device = SimDevice::new(&server.base, server.client.clone(), &token);
        for i in 0..5 {
            let note = device.add_note(&visit, &format!("Notitie {i}"));
            device.edit_note(note, &format!("Notitie {i}, bijgewerkt"));
        }
        device.flush(4).await;
        let pool = &server.state.db.pool;
        invariants::exactly_once(pool, &device).await;
        let entries = invariants::audit_chain_intact(pool).await;
        let verify = server.command(&["audit", "verify"]).output().unwrap();
        assert!(verify.status.success(), "intact before: {}", String::from_utf8_lossy(&verify.stderr));
        assert!(String::from_utf8_lossy(&verify.stdout).contains(&format!("{entries} regels")));

        // The tail is cut off: what is left is a valid chain on its own, only the head row still
        // knows how long it was.
        sqlx::query("DELETE FROM audit_log WHERE seq > $1").bind(entries - 3).execute(pool).await.unwrap();
        assert_eq!(server::audit::verify(pool).await.unwrap(),
            server::audit::Verification::BrokenAt { seq: entries - 2, reason: "laatste regels verwijderd" });
        let verify = server.command(&["audit", "verify"]).output().unwrap();
        assert!(!verify.status.success(), "schouw audit verify must fail on a truncated chain");
        let stderr = String::from_utf8_lossy(&verify.stderr);
        assert!(stderr.contains("laatste regels verwijderd"), "{stderr}");
    }
}
