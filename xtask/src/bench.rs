//! `cargo xtask bench`: runs every criterion benchmark and writes one table of medians.
//!
//! Benchmarks follow one convention: inside a criterion group, our implementation is a function
//! and the in-process reference (a hand-written loop, or another known bound) is the function
//! named `reference`. The report pairs every function with its group's `reference` and prints
//! the ratio `ours / reference` (below 1 means we are faster).

use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `cargo bench` over the workspace (extra arguments go to cargo, e.g. `-p sym-core`), then
/// writes `target/bench-report.md`.
pub fn run(root: &Path, extra: &[String]) -> Result<()> {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root).arg("bench");
    if extra.is_empty() {
        cmd.arg("--workspace");
    } else {
        cmd.args(extra);
    }
    let status = cmd.status().context("running cargo bench")?;
    if !status.success() {
        bail!("cargo bench failed with {status}");
    }
    let report = report(&root.join("target/criterion"))?;
    let out = root.join("target/bench-report.md");
    fs::write(&out, &report)?;
    print!("{report}");
    println!("\nwritten to {}", out.display());
    Ok(())
}

/// Medians (ns) of every benchmark under a criterion output directory, keyed by id.
pub fn medians(dir: &Path) -> Result<BTreeMap<String, f64>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for entry in rd.flatten() {
            let p = entry.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n == "new") {
                    let est = p.join("estimates.json");
                    if let Ok(text) = fs::read_to_string(&est)
                        && let Some(m) = median_of(&text)
                    {
                        let id =
                            p.parent().and_then(|q| q.strip_prefix(dir).ok()).map(PathBuf::from).unwrap_or_default();
                        out.insert(id.display().to_string(), m);
                    }
                } else if p.file_name().is_some_and(|n| n != "report") {
                    stack.push(p);
                }
            }
        }
    }
    Ok(out)
}

/// Extracts `median.point_estimate` from criterion's `estimates.json` without a JSON parser.
fn median_of(text: &str) -> Option<f64> {
    let i = text.find("\"median\"")?;
    let rest = &text[i..];
    let j = rest.find("\"point_estimate\":")? + "\"point_estimate\":".len();
    let num: String = rest[j..]
        .chars()
        .skip_while(|c| c.is_whitespace())
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'))
        .collect();
    num.parse().ok()
}

fn fmt_time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.3} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.3} µs", ns / 1e3)
    } else {
        format!("{ns:.1} ns")
    }
}

/// The markdown table: one row per benchmark, with its group's reference and the ratio.
pub fn report(dir: &Path) -> Result<String> {
    let m = medians(dir)?;
    let mut s = String::from("| benchmark | ours (median) | reference (median) | ratio |\n|---|---|---|---|\n");
    for (id, ns) in &m {
        let (parent, leaf) = id.rsplit_once('/').unwrap_or(("", id));
        if leaf == "reference" {
            continue;
        }
        let reference = m.get(&format!("{parent}/reference"));
        match reference {
            Some(r) => s.push_str(&format!("| {id} | {} | {} | {:.2} |\n", fmt_time(*ns), fmt_time(*r), ns / r)),
            None => s.push_str(&format!("| {id} | {} | - | - |\n", fmt_time(*ns))),
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_criterion_estimates() {
        let json = r#"{"mean":{"point_estimate":12.5},"median":{"confidence_interval":{},"point_estimate":10.25,"standard_error":1}}"#;
        assert_eq!(median_of(json), Some(10.25));
    }
}
