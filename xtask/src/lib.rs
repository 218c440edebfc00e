//! Workspace automation for sym (`cargo xtask ...`): tidy checks, benchmark reports, releases.

pub mod bench;
pub mod release;
pub mod tidy;
