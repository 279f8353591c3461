//! Passwords (argon2id with OWASP parameters) and opaque bearer tokens.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

use shared::{ErrorCode, UserInfo};

use crate::db;
use crate::error::AppError;
use crate::AppState;

/// OWASP's recommended argon2id setting: 19 MiB memory, 2 iterations, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

/// True when `password` matches the stored PHC string. A malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A new random token for the client and the digest the server keeps.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let digest = token_digest(&token);
    (token, digest)
}

pub fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The authenticated caller of an `/api/v1` request (from `Authorization: Bearer <token>`).
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub info: UserInfo,
    pub agency_id: String,
    pub token_digest: String,
}

/// The one role check of the API: `auth.forbidden` unless the user has one of `roles`.
pub fn require_role(user: &AuthUser, roles: &[shared::Role]) -> Result<(), AppError> {
    if roles.contains(&user.info.role) {
        Ok(())
    } else {
        Err(ErrorCode::AuthForbidden.into())
    }
}

/// An office reader of agency-wide lists and the authority it is confined to: `Some` for an
/// authority_viewer (refused without an authority), `None` for team leads, managers and admins;
/// inspectors are refused.
pub fn office_reader(user: &AuthUser) -> Result<Option<uuid::Uuid>, AppError> {
    use shared::Role;
    require_role(
        user,
        &[
            Role::AuthorityViewer,
            Role::TeamLead,
            Role::Manager,
            Role::Admin,
        ],
    )?;
    if user.info.role == Role::AuthorityViewer {
        Ok(Some(
            user.info.authority_id.ok_or(ErrorCode::AuthForbidden)?,
        ))
    } else {
        Ok(None)
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ErrorCode::AuthRequired)?;
        let digest = token_digest(token);
        let user_id = db::tokens::active_user(&state.db.pool, &digest, &db::now_text())
            .await?
            .ok_or(ErrorCode::AuthRequired)?;
        let row = db::users::by_id(&state.db.pool, &user_id)
            .await?
            .filter(|u| u.active != 0)
            .ok_or(ErrorCode::AuthRequired)?;
        Ok(AuthUser {
            info: row.info()?,
            agency_id: row.agency_id,
            token_digest: digest,
        })
    }
}

/// The client's address for rate limiting: the TCP peer, or the first `X-Forwarded-For` hop when
/// the server is configured to trust its proxy.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.config.trust_proxy {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(str::trim)
                .filter(|v| !v.is_empty());
            if let Some(addr) = forwarded {
                return Ok(ClientAddr(addr.to_owned()));
            }
        }
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip().to_string())
            .unwrap_or_else(|| "unknown".to_owned());
        Ok(ClientAddr(peer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let phc = hash_password("schouw-demo").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("schouw-demo", &phc));
        assert!(!verify_password("Schouw-demo", &phc));
        assert!(!verify_password("schouw-demo", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_only_their_digest_is_kept() {
        let (a, da) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(da, token_digest(&a));
        assert_ne!(da, a);
        assert_eq!(a.len(), 43);
    }
}
