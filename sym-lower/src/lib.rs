//! `sym-lower`: see the crate documentation in ARCHITECTURE.md.
