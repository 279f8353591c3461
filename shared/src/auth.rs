//! Accounts, roles and the login exchange of the public API.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a user may do; tenancy (`authority_id`) narrows it further.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Inspector,
    TeamLead,
    Manager,
    AuthorityViewer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Inspector,
        Role::TeamLead,
        Role::Manager,
        Role::AuthorityViewer,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Inspector => "inspector",
            Role::TeamLead => "team_lead",
            Role::Manager => "manager",
            Role::AuthorityViewer => "authority_viewer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// `POST /api/v1/auth/login` body. Unknown fields are refused so typos surface.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub authority_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    /// RFC 3339 with offset.
    pub expires_at: String,
    pub user: UserInfo,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_use_the_documented_wire_names() {
        for role in Role::ALL {
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn a_login_request_with_an_unknown_field_is_refused() {
        let bad = r#"{"username":"a","password":"b","admin":true}"#;
        assert!(serde_json::from_str::<LoginRequest>(bad).is_err());
    }
}
