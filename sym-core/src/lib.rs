//! `sym-core`: see the crate documentation in ARCHITECTURE.md.
pub mod poly;
