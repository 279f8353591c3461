//! One module per page; role pages guard themselves with `RequireRole`.

pub mod accessibility;
pub mod day_map;
pub mod guard;
pub mod home;
pub mod login;
pub mod my_day;
pub mod not_found;
pub mod sync;
pub mod visit;
