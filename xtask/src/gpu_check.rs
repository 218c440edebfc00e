//! `cargo xtask gpu-check`: the one short script to run on a lent GPU machine.
//!
//! It builds and runs sym-grad's `gpu_check` example in release mode with the `wgpu` feature (the circle branch's
//! value and gradient on 1e8 `f64` points on the first wgpu adapter, checked against the CPU on a sample, with the
//! time per point; see `sym-grad/examples/gpu_check.rs`). Extra arguments are passed to the example (the number of
//! points). Everything builds without a GPU; without a wgpu adapter the example reports it and exits with
//! [`NO_ADAPTER`], and this task says plainly that nothing was checked and exits with that status too, so that a
//! script on a GPU machine whose driver is missing does not read as a pass.

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::process::Command;

/// The exit status of the `gpu_check` example (and of this task) when the machine has no wgpu adapter.
pub const NO_ADAPTER: i32 = 3;

/// The outcome of a GPU check that ran to the end.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum Outcome {
    /// The example ran on an adapter and its checks passed.
    Checked,
    /// There is no wgpu adapter on this machine: nothing was checked.
    NoAdapter,
}

/// The cargo invocation that builds and runs the example, with `extra` arguments for it.
pub fn command(root: &Path, extra: &[String]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root).args([
        "run",
        "--release",
        "-p",
        "sym-grad",
        "--features",
        "wgpu",
        "--example",
        "gpu_check",
        "--",
    ]);
    cmd.args(extra);
    cmd
}

/// Runs the check (see the module doc).
///
/// # Errors
/// When cargo cannot be started, the build fails, or the example's checks fail on the GPU.
pub fn run(root: &Path, extra: &[String]) -> Result<Outcome> {
    let status = command(root, extra).status().context("running cargo")?;
    match status.code() {
        Some(0) => Ok(Outcome::Checked),
        Some(NO_ADAPTER) => Ok(Outcome::NoAdapter),
        _ => bail!("gpu-check failed ({status}): see the output above"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_the_example_in_release_with_wgpu() {
        let cmd = command(Path::new("/w"), &["1000".to_owned()]);
        let args: Vec<String> = cmd.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert_eq!(
            args,
            ["run", "--release", "-p", "sym-grad", "--features", "wgpu", "--example", "gpu_check", "--", "1000"]
        );
        assert_eq!(cmd.get_current_dir(), Some(Path::new("/w")));
    }

    #[test]
    fn the_example_uses_the_same_no_adapter_status() {
        let src =
            std::fs::read_to_string(crate::tidy::workspace_root().join("sym-grad/examples/gpu_check.rs")).unwrap();
        assert!(src.contains(&format!("const NO_ADAPTER: i32 = {NO_ADAPTER};")), "the example's NO_ADAPTER differs");
    }
}
