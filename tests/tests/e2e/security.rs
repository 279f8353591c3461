//! Rate limiting of logins and the hash-chained audit trail.

use serde_json::json;
use tests::{on_both_databases, TestServer};

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

    async fn deleting_the_last_audit_entry_is_detected(backend: Backend) {
        let server = TestServer::with_demo(backend).await;
        server.login("inspecteur1").await;
        server.login("inspecteur2").await;
        let pool = &server.state.db.pool;
        sqlx::query("DELETE FROM audit_log WHERE seq = 2").execute(pool).await.unwrap();
        assert!(matches!(server::audit::verify(pool).await.unwrap(), server::audit::Verification::BrokenAt { .. }));
    }
}
