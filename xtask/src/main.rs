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
        Some("-h" | "--help") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown task `{other}`\n{USAGE}"),
    }
}
