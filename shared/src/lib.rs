//! Schouw's domain, shared by the tablet app (wasm32) and the server (x86_64).
//!
//! Pure Rust: no I/O, no async runtime, no clock reads (time is always a parameter),
//! so the same rules give the same answers offline on a tablet and on the server.

pub mod auth;
pub mod board;
pub mod calendar;
pub mod capacity;
pub mod checklist;
pub mod coords;
pub mod device_storage;
pub mod enforcement;
pub mod equal_treatment;
pub mod error;
pub mod lhso;
pub mod nl;
pub mod planner;
pub mod programme;
pub mod report;
pub mod review;
pub mod risk;
pub mod sync;
pub mod team;
pub mod visit;
pub mod wire;

pub use auth::{LoginRequest, LoginResponse, Role, UserInfo};
pub use error::{ApiError, ErrorBody, ErrorCode};
