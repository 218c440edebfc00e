//! Workspace automation (`cargo xtask`).

fn main() {}
