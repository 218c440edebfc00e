//! `sym-solve`: see the crate documentation in ARCHITECTURE.md.
