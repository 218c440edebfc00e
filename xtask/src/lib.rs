//! Workspace automation for sym (`cargo xtask ...`): tidy checks, benchmark reports, releases, the GPU check.

pub mod bench;
pub mod gpu_check;
pub mod release;
pub mod tidy;
