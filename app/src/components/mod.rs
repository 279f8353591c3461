pub mod delivery;
pub mod header;
pub mod sync;
pub mod view_mode;
