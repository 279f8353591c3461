//! One module per page; role pages guard themselves with `RequireRole`.

pub mod home;
pub mod landing;
pub mod login;
pub mod not_found;
