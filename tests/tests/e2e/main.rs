//! End-to-end tests against the real server, one binary: each scenario group is a module.
//! One binary instead of one per file saves gigabytes of linked test executables and minutes of
//! link time (each would statically link the server, sqlx and image).

mod agency_config;
mod api_docs;
mod auth;
mod authorization;
mod enforcement;
mod equal_treatment;
mod import;
mod lhso;
mod openapi;
mod plan_controls;
mod programme;
mod query_params;
mod reports;
mod reviews;
mod security;
mod sites;
mod sync_blobs;
mod sync_conflicts;
mod sync_crash;
mod sync_delivery;
mod sync_lhso;
mod sync_property;
mod sync_visits;
mod team;
mod visits;
