//! `cargo xtask`: the workspace's automation entry point.

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  tidy     layering, file headers and sizes (also run by `cargo test -p xtask`)
  bench    run every criterion benchmark and write target/bench-report.md
  release  <crate>... | --all  --bump patch|minor|major [--dry-run] [--no-verify]
           bump versions (and the dependents that must follow), cut changelog sections,
           `cargo publish --dry-run` in dependency order, commit and tag <crate>-v<version>
  gpu-check [POINTS]
           sym-grad's circle value+gradient on the first wgpu adapter (release, feature `wgpu`),
           checked against the CPU and timed; exits with status 3 when there is no adapter
";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = xtask::tidy::workspace_root();
    match args.first().map(String::as_str) {
        Some("tidy") => {
            xtask::tidy::run(&root)?;
            println!("tidy: ok");
            Ok(())
        }
        Some("bench") => xtask::bench::run(&root, &args[1..]),
        Some("release") => xtask::release::run(&root, &args[1..]),
        Some("gpu-check") => match xtask::gpu_check::run(&root, &args[1..])? {
            xtask::gpu_check::Outcome::Checked => {
                println!("gpu-check: ok");
                Ok(())
            }
            xtask::gpu_check::Outcome::NoAdapter => {
                eprintln!(
                    "gpu-check: no wgpu adapter on this machine (a GPU with a Vulkan or Metal driver is needed): \
                     nothing was checked"
                );
                std::process::exit(xtask::gpu_check::NO_ADAPTER);
            }
        },
        Some("-h" | "--help") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown task `{other}`\n{USAGE}"),
    }
}
