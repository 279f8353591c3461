//! Accounts, roles and the login exchange of the public API.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

crate::wire_enum! {
    /// What a user may do; tenancy (`authority_id`) narrows it further.
    pub enum Role {
        Inspector = "inspector",
        TeamLead = "team_lead",
        Manager = "manager",
        AuthorityViewer = "authority_viewer",
        Admin = "admin",
    }
}

impl Role {
    /// Office roles work online in the office door; inspectors in the field app.
    pub fn is_office(self) -> bool {
        !matches!(self, Role::Inspector)
    }
}

/// Where the office door is served: the online-only pages of team leads, managers, authority
/// viewers and admins (a bundle of its own). Every other page belongs to the inspector's PWA.
pub const OFFICE_PREFIX: &str = "/kantoor";

/// True for `/kantoor` and the paths below it.
pub fn is_office_path(path: &str) -> bool {
    path.strip_prefix(OFFICE_PREFIX)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Where each role starts after logging in; office roles start behind the office door.
pub fn landing_path(role: Role) -> &'static str {
    match role {
        Role::Inspector => "/vandaag",
        Role::TeamLead => "/kantoor/team",
        Role::Manager => "/kantoor/monitoring",
        Role::AuthorityViewer => "/kantoor/gemeente",
        Role::Admin => "/kantoor/beheer",
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

/// The agency's settings the tablet applies offline exactly as the server does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencySettings {
    /// See [`crate::coords::on_site`]; [`crate::coords::DEFAULT_ON_SITE_RADIUS_M`] unless set.
    pub on_site_radius_m: u32,
    /// Days a tablet keeps a photo the server confirmed before it frees the space
    /// ([`crate::device_storage::photos_to_remove`]); absent from an older server: the default.
    #[serde(default = "default_photo_retention_days")]
    pub photo_retention_days: u32,
}

fn default_photo_retention_days() -> u32 {
    crate::device_storage::DEFAULT_PHOTO_RETENTION_DAYS
}

impl Default for AgencySettings {
    fn default() -> Self {
        AgencySettings {
            on_site_radius_m: crate::coords::DEFAULT_ON_SITE_RADIUS_M,
            photo_retention_days: default_photo_retention_days(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    /// RFC 3339 with offset.
    pub expires_at: String,
    pub user: UserInfo,
    /// Kept with the session on the tablet; a session stored before settings existed reads the
    /// defaults.
    #[serde(default)]
    pub agency: AgencySettings,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_roles_and_only_those_start_behind_the_office_door() {
        assert!(is_office_path("/kantoor"));
        assert!(is_office_path("/kantoor/team"));
        assert!(!is_office_path("/kantoorartikelen"));
        assert!(!is_office_path("/vandaag"));
        for role in Role::ALL {
            assert_eq!(
                is_office_path(landing_path(*role)),
                role.is_office(),
                "{role:?}"
            );
        }
    }

    #[test]
    fn roles_use_the_documented_wire_names() {
        for role in Role::ALL {
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
            assert_eq!(Role::parse(role.as_str()), Some(*role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn a_login_request_with_an_unknown_field_is_refused() {
        let bad = r#"{"username":"a","password":"b","admin":true}"#;
        assert!(serde_json::from_str::<LoginRequest>(bad).is_err());
    }
}
