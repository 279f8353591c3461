pub mod delivery;
pub mod header;
pub mod sync;
