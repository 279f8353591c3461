pub mod header;
pub mod sync;
