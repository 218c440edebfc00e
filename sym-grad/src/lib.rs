//! `sym-grad`: see the crate documentation in ARCHITECTURE.md.
