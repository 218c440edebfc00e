//! Workspace automation for sym (`cargo xtask ...`): tidy checks, benchmark reports, the GPU check.

pub mod bench;
pub mod gpu_check;
pub mod tidy;
