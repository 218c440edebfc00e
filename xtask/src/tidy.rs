//! The tidy checks: layering of the crates, where burn may appear, file headers and sizes.
//!
//! Run as `cargo xtask tidy` or as the ordinary test `cargo test -p xtask`.

use anyhow::{Context, Result, bail};
use std::fs;
use std::path::{Path, PathBuf};

/// The library crates in dependency order: each may depend only on crates before it.
pub const LAYERS: [&str; 5] = ["sym-core", "sym-solve", "sym-lower", "sym-grad", "sym-cli"];

/// The longest a source file may be.
pub const MAX_LINES: usize = 1500;

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// The names of the dependencies declared in a manifest's `[dependencies]`,
/// `[dev-dependencies]` and `[build-dependencies]` tables (also target-specific ones).
pub fn declared_dependencies(manifest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_deps = false;
    for line in manifest.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            let table = t.trim_matches(|c| c == '[' || c == ']');
            in_deps = table.ends_with("dependencies");
            // A dotted table such as [dependencies.foo] names the dependency itself.
            if let Some((head, name)) = table.rsplit_once('.')
                && head.ends_with("dependencies")
            {
                out.push(name.trim_matches('"').to_string());
                in_deps = false;
            }
            continue;
        }
        if in_deps && !t.is_empty() && !t.starts_with('#') {
            let name: String = t.chars().take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_').collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

/// Checks that sym crates depend only on crates of lower layers, xtask on none, and that only
/// sym-grad declares burn.
pub fn check_layering(root: &Path) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for (i, krate) in LAYERS.iter().enumerate() {
        let manifest = fs::read_to_string(root.join(krate).join("Cargo.toml"))
            .with_context(|| format!("reading {krate}/Cargo.toml"))?;
        for dep in declared_dependencies(&manifest) {
            if let Some(j) = LAYERS.iter().position(|l| *l == dep)
                && j >= i
            {
                problems.push(format!(
                    "{krate} depends on {dep}, which is not below it (core <- solve <- lower <- grad <- cli)"
                ));
            }
            if dep == "burn" && *krate != "sym-grad" {
                problems.push(format!("{krate} depends on burn; only sym-grad may"));
            }
        }
    }
    let manifest = fs::read_to_string(root.join("xtask/Cargo.toml"))?;
    for dep in declared_dependencies(&manifest) {
        if LAYERS.contains(&dep.as_str()) {
            problems.push(format!("xtask depends on {dep}; xtask must not depend on sym crates"));
        }
    }
    Ok(problems)
}

/// Every `.rs` file under the workspace crates (tests, benches, examples included).
pub fn rust_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = LAYERS
        .iter()
        .map(|c| root.join(c))
        .chain([root.join("xtask"), root.join("examples"), root.join("fuzz")])
        .collect();
    while let Some(dir) = stack.pop() {
        let Ok(rd) = fs::read_dir(&dir) else { continue };
        for entry in rd.flatten() {
            let p = entry.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() {
                if name != "target" && !name.starts_with('.') {
                    stack.push(p);
                }
            } else if name.ends_with(".rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Checks that every Rust file starts with a `//!` doc comment and is at most [`MAX_LINES`] long,
/// and that `burn` is named in at most one module of sym-grad.
pub fn check_files(root: &Path) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut burn_modules = Vec::new();
    for path in rust_files(root) {
        let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let rel = path.strip_prefix(root).unwrap_or(&path).display().to_string();
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        if !first.trim_start().starts_with("//!") {
            problems.push(format!("{rel}: the first line must be a `//!` doc comment saying what the file is"));
        }
        let n = text.lines().count();
        if n > MAX_LINES {
            problems.push(format!("{rel}: {n} lines (limit {MAX_LINES}); split it by concept"));
        }
        let names_burn = text.lines().any(|l| {
            let t = l.trim_start();
            !t.starts_with("//") && (t.contains("burn::") || t.starts_with("use burn"))
        });
        // xtask itself mentions burn only in these checks.
        if names_burn && !rel.starts_with("xtask/") {
            if !rel.starts_with("sym-grad/src/") {
                if !rel.starts_with("sym-grad/") {
                    problems.push(format!("{rel}: names burn; only sym-grad may"));
                }
            } else {
                burn_modules.push(rel);
            }
        }
    }
    let walls: std::collections::BTreeSet<String> = burn_modules
        .iter()
        .map(|p| {
            // The wall is one module: a file, or a directory module and its children.
            let rest = p.trim_start_matches("sym-grad/src/");
            rest.split('/').next().unwrap_or(rest).trim_end_matches(".rs").to_string()
        })
        .collect();
    if walls.len() > 1 {
        problems.push(format!("burn is named in several sym-grad modules ({walls:?}); keep it behind one module"));
    }
    Ok(problems)
}

/// Runs every tidy check and fails with the list of problems.
pub fn run(root: &Path) -> Result<()> {
    let mut problems = check_layering(root)?;
    problems.extend(check_files(root)?);
    if !problems.is_empty() {
        bail!("tidy found {} problem(s):\n  {}", problems.len(), problems.join("\n  "));
    }
    Ok(())
}
