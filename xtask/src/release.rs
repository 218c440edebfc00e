//! `cargo xtask release`: independent versions for the workspace's crates.
//!
//! The crates are versioned on their own (the design card). A release
//!
//! 1. bumps the named crates (`--bump patch|minor|major`, or `--all` for every crate whose
//!    directory changed since its last `<crate>-v<version>` tag);
//! 2. updates the version requirements in the root `[workspace.dependencies]`, and brings in the
//!    dependents whose requirement no longer admits the new version (a breaking change of a
//!    dependency is breaking for its dependents too, since our crates expose each other's types);
//! 3. turns each released crate's `## Unreleased` changelog section into `## <version> (<date>)`
//!    (a crate released only because a dependency moved gets a line saying so; a named crate with
//!    nothing under `Unreleased` and no section for the new version is an error);
//! 4. runs `cargo publish --dry-run` over the released crates together (cargo orders them and
//!    checks each against the others' new versions);
//! 5. commits and tags `<crate>-v<version>`. Publishing itself (`cargo publish`, `git push --tags`)
//!    is left to the person holding the credentials; the command prints it.
//!
//! `--dry-run` does all of it in a temporary git worktree of `HEAD` and throws it away: the
//! checkout is never touched. Versions follow semver's compatibility rule as cargo applies it:
//! `0.x.y` to `0.x.z` is compatible, `0.x` to `0.(x+1)` is not.

use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The publishable crates, in dependency order.
pub const CRATES: [&str; 5] = ["sym-core", "sym-solve", "sym-lower", "sym-grad", "sym-cli"];

/// A `major.minor.patch` version (pre-releases are not used in this workspace).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Incompatible changes (from 1.0 on).
    pub major: u64,
    /// New features; incompatible changes while `major` is 0.
    pub minor: u64,
    /// Fixes.
    pub patch: u64,
}

impl Version {
    /// Parses `1.2.3`.
    pub fn parse(s: &str) -> Result<Version> {
        let parts: Vec<&str> = s.trim().split('.').collect();
        let [a, b, c] = parts.as_slice() else { bail!("`{s}` is not a major.minor.patch version") };
        let num = |p: &str| p.parse::<u64>().with_context(|| format!("`{s}` is not a major.minor.patch version"));
        Ok(Version { major: num(a)?, minor: num(b)?, patch: num(c)? })
    }

    /// The next version for a bump level.
    pub fn bumped(self, bump: Bump) -> Version {
        match bump {
            Bump::Major => Version { major: self.major + 1, minor: 0, patch: 0 },
            Bump::Minor => Version { major: self.major, minor: self.minor + 1, patch: 0 },
            Bump::Patch => Version { patch: self.patch + 1, ..self },
        }
    }

    /// Whether a caret requirement on `self` (cargo's default) admits `newer`.
    pub fn admits(self, newer: Version) -> bool {
        if newer < self {
            return false;
        }
        match (self.major, self.minor) {
            (0, 0) => newer == self,
            (0, m) => newer.major == 0 && newer.minor == m,
            (a, _) => newer.major == a,
        }
    }

    /// The smallest bump that breaks compatibility with `self`.
    pub fn breaking_bump(self) -> Bump {
        if self.major == 0 { Bump::Minor } else { Bump::Major }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// How far a version moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bump {
    /// `x.y.z -> x.y.(z+1)`.
    Patch,
    /// `x.y.z -> x.(y+1).0`.
    Minor,
    /// `x.y.z -> (x+1).0.0`.
    Major,
}

impl Bump {
    fn parse(s: &str) -> Result<Bump> {
        Ok(match s {
            "patch" => Bump::Patch,
            "minor" => Bump::Minor,
            "major" => Bump::Major,
            _ => bail!("--bump takes patch, minor or major, not `{s}`"),
        })
    }
}

/// One crate of the workspace as the release sees it.
#[derive(Clone, Debug)]
pub struct CrateInfo {
    /// The package name.
    pub name: String,
    /// The current version.
    pub version: Version,
    /// The workspace crates it depends on (normal dependencies).
    pub deps: Vec<String>,
}

/// One line of a release plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    /// The package name.
    pub name: String,
    /// The version before.
    pub from: Version,
    /// The version after.
    pub to: Version,
    /// Why it is released: `None` when named, else the dependency it follows.
    pub follows: Option<String>,
}

/// The release plan: the named crates with their bump, then every dependent whose requirement no
/// longer admits a new version, in dependency order.
pub fn plan(crates: &[CrateInfo], named: &[String], bump: Bump) -> Result<Vec<Planned>> {
    for n in named {
        if !crates.iter().any(|c| &c.name == n) {
            bail!("`{n}` is not a publishable crate of the workspace ({})", CRATES.join(", "));
        }
    }
    let mut out: Vec<Planned> = Vec::new();
    for c in crates {
        let entry = if named.contains(&c.name) {
            Some(Planned { name: c.name.clone(), from: c.version, to: c.version.bumped(bump), follows: None })
        } else {
            // A dependency released with an incompatible version drags this crate along.
            out.iter().find(|p| c.deps.contains(&p.name) && !p.from.admits(p.to)).map(|p| Planned {
                name: c.name.clone(),
                from: c.version,
                to: c.version.bumped(c.version.breaking_bump()),
                follows: Some(format!("{} {}", p.name, p.to)),
            })
        };
        out.extend(entry);
    }
    Ok(out)
}

/// The `version = "..."` of a manifest's `[package]` section.
pub fn package_version(manifest: &str) -> Result<Version> {
    let mut in_package = false;
    for line in manifest.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_package = t == "[package]";
        } else if in_package && let Some(v) = assignment(t, "version") {
            return Version::parse(v);
        }
    }
    bail!("no version in [package]")
}

/// The manifest with its `[package]` version replaced.
pub fn set_package_version(manifest: &str, to: Version) -> Result<String> {
    let mut in_package = false;
    let mut done = false;
    let mut out = String::with_capacity(manifest.len());
    for line in manifest.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') {
            in_package = t == "[package]";
        }
        if in_package && !done && assignment(t, "version").is_some() {
            out.push_str(&format!("version = \"{to}\"\n"));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    if !done {
        bail!("no version in [package]");
    }
    Ok(out)
}

/// The workspace crates a manifest depends on in `[dependencies]` (`sym-x.workspace = true` or a
/// table).
pub fn workspace_deps(manifest: &str) -> Vec<String> {
    let mut in_deps = false;
    let mut out = Vec::new();
    for line in manifest.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_deps = t == "[dependencies]";
        } else if in_deps {
            let key = t.split(['=', '.', ' ']).next().unwrap_or("");
            if CRATES.contains(&key) {
                out.push(key.to_string());
            }
        }
    }
    out
}

/// The root manifest with the version requirement of `name` in `[workspace.dependencies]` set.
pub fn set_requirement(root_manifest: &str, name: &str, to: Version) -> Result<String> {
    let mut in_ws = false;
    let mut done = false;
    let mut out = String::with_capacity(root_manifest.len());
    for line in root_manifest.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') {
            in_ws = t == "[workspace.dependencies]";
        }
        let key = t.split(['=', ' ']).next().unwrap_or("");
        if in_ws && key == name {
            let Some(at) = line.find("version = \"") else {
                bail!("the workspace dependency `{name}` names no version");
            };
            let start = at + "version = \"".len();
            let end = start + line[start..].find('"').context("unterminated version string")?;
            out.push_str(&line[..start]);
            out.push_str(&to.to_string());
            out.push_str(&line[end..]);
            done = true;
        } else {
            out.push_str(line);
        }
    }
    if !done {
        bail!("`{name}` is not in [workspace.dependencies]");
    }
    Ok(out)
}

/// The changelog with its `## Unreleased` section renamed to the release (a fresh, empty
/// `## Unreleased` goes above it). A follower with nothing unreleased gets a line naming the
/// dependency it follows. An existing `## <version>` section is accepted as it is.
pub fn release_changelog(text: &str, to: Version, date: &str, follows: Option<&str>) -> Result<String> {
    let heading = format!("## {to}");
    if text.lines().any(|l| l.trim() == heading || l.trim().starts_with(&format!("{heading} "))) {
        return Ok(text.to_string());
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(at) = lines.iter().position(|l| l.trim().eq_ignore_ascii_case("## Unreleased")) else {
        bail!("the changelog has neither `## Unreleased` nor `## {to}`");
    };
    let end = lines[at + 1..].iter().position(|l| l.starts_with("## ")).map_or(lines.len(), |k| at + 1 + k);
    let has_entries = lines[at + 1..end].iter().any(|l| !l.trim().is_empty());
    let mut out: String = lines[..at].concat();
    out.push_str("## Unreleased\n\n");
    out.push_str(&format!("## {to} ({date})\n"));
    match (has_entries, follows) {
        (true, _) => out.push_str(&lines[at + 1..end].concat()),
        (false, Some(dep)) => out.push_str(&format!("\n- Depends on {dep}.\n\n")),
        (false, None) => bail!("nothing under `## Unreleased` to release as {to}"),
    }
    out.push_str(&lines[end..].concat());
    Ok(out)
}

/// Today's date (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    civil_date((secs / 86_400) as i64)
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn assignment<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(key)?.trim_start().strip_prefix('=')?.trim();
    rest.strip_prefix('"')?.split('"').next()
}

fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git").current_dir(dir).args(args).output().context("running git")?;
    if !out.status.success() {
        bail!("git {} failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn read_crates(root: &Path) -> Result<Vec<CrateInfo>> {
    CRATES
        .iter()
        .map(|name| {
            let path = root.join(name).join("Cargo.toml");
            let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            let version = package_version(&text).with_context(|| path.display().to_string())?;
            Ok(CrateInfo { name: name.to_string(), version, deps: workspace_deps(&text) })
        })
        .collect()
}

/// The crates whose directory changed since their last release tag (all, when never tagged).
fn changed_since_tag(root: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for name in CRATES {
        let tags = git(root, &["tag", "--list", &format!("{name}-v*")])?;
        let last = tags
            .lines()
            .filter_map(|t| Some((Version::parse(t.strip_prefix(&format!("{name}-v"))?).ok()?, t.to_string())))
            .max();
        let changed = match last {
            None => true,
            Some((_, tag)) => !git(root, &["diff", "--name-only", &tag, "HEAD", "--", name])?.trim().is_empty(),
        };
        if changed {
            out.push(name.to_string());
        }
    }
    Ok(out)
}

struct Options {
    named: Vec<String>,
    all: bool,
    bump: Option<Bump>,
    dry_run: bool,
    no_verify: bool,
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut o = Options { named: Vec::new(), all: false, bump: None, dry_run: false, no_verify: false };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--all" => o.all = true,
            "--dry-run" => o.dry_run = true,
            "--no-verify" => o.no_verify = true,
            "--bump" => o.bump = Some(Bump::parse(it.next().context("--bump needs patch, minor or major")?)?),
            s if s.starts_with("--bump=") => o.bump = Some(Bump::parse(&s["--bump=".len()..])?),
            s if s.starts_with('-') => bail!("unknown option `{s}`"),
            s => o.named.push(s.to_string()),
        }
    }
    if o.all != o.named.is_empty() {
        bail!("name the crates to release, or pass --all (not both)");
    }
    Ok(o)
}

/// `cargo xtask release <crate>... --bump patch|minor|major [--dry-run] [--no-verify]` or
/// `cargo xtask release --all --bump ...`.
pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let o = parse_args(args)?;
    let bump = o.bump.context("--bump patch|minor|major is required")?;
    let crates = read_crates(root)?;
    let named = if o.all { changed_since_tag(root)? } else { o.named.clone() };
    if named.is_empty() {
        println!("release: nothing changed since the last tags");
        return Ok(());
    }
    let plan = plan(&crates, &named, bump)?;
    println!("release plan:");
    for p in &plan {
        let why = p.follows.as_ref().map(|d| format!(" (follows {d})")).unwrap_or_default();
        println!("  {:<10} {} -> {}{why}", p.name, p.from, p.to);
    }

    // Where the edits happen: a throw-away worktree for a dry run, the checkout otherwise.
    let work: PathBuf = if o.dry_run {
        let dir = std::env::temp_dir().join(format!("sym-release-{}", std::process::id()));
        git(root, &["worktree", "add", "--detach", &dir.to_string_lossy(), "HEAD"])?;
        dir
    } else {
        if !git(root, &["status", "--porcelain", "--untracked-files=no"])?.trim().is_empty() {
            bail!("the checkout has uncommitted changes; commit or stash them first (or use --dry-run)");
        }
        root.to_path_buf()
    };
    let result = apply_and_verify(&work, &plan, o.no_verify);
    if o.dry_run {
        let _ = git(root, &["worktree", "remove", "--force", &work.to_string_lossy()]);
        result?;
        println!("release: dry run passed; nothing was changed");
        return Ok(());
    }
    result?;
    let names: Vec<String> = plan.iter().map(|p| format!("{} {}", p.name, p.to)).collect();
    git(root, &["commit", "-a", "-q", "-m", &format!("release: {}", names.join(", "))])?;
    for p in &plan {
        git(root, &["tag", &format!("{}-v{}", p.name, p.to)])?;
    }
    println!("release: committed and tagged. To publish, in this order:");
    for p in &plan {
        println!("  cargo publish -p {}", p.name);
    }
    println!("  git push --follow-tags");
    Ok(())
}

fn apply_and_verify(work: &Path, plan: &[Planned], no_verify: bool) -> Result<()> {
    let date = today();
    let root_manifest = work.join("Cargo.toml");
    let mut root_text = fs::read_to_string(&root_manifest)?;
    for p in plan {
        let manifest = work.join(&p.name).join("Cargo.toml");
        let text = fs::read_to_string(&manifest)?;
        fs::write(&manifest, set_package_version(&text, p.to)?)?;
        if p.name != "sym-cli" {
            root_text = set_requirement(&root_text, &p.name, p.to)?;
        }
        let log = work.join(&p.name).join("CHANGELOG.md");
        let text = fs::read_to_string(&log).with_context(|| format!("reading {}", log.display()))?;
        let new = release_changelog(&text, p.to, &date, p.follows.as_deref())
            .with_context(|| format!("{}'s CHANGELOG.md", p.name))?;
        fs::write(&log, new)?;
    }
    fs::write(&root_manifest, root_text)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(work).args(["publish", "--dry-run", "--allow-dirty"]);
    if no_verify {
        cmd.arg("--no-verify");
    }
    for p in plan {
        cmd.args(["-p", &p.name]);
    }
    let status = cmd.status().context("running cargo publish --dry-run")?;
    if !status.success() {
        bail!("cargo publish --dry-run failed ({status})");
    }
    let mut by_name = BTreeMap::new();
    for p in plan {
        by_name.insert(p.name.clone(), p.to);
    }
    for (name, v) in by_name {
        let text = fs::read_to_string(work.join(&name).join("Cargo.toml"))?;
        if package_version(&text)? != v {
            bail!("{name}: the manifest did not take version {v}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    fn crates() -> Vec<CrateInfo> {
        let deps = |d: &[&str]| d.iter().map(|s| s.to_string()).collect();
        vec![
            CrateInfo { name: "sym-core".into(), version: v("0.1.0"), deps: deps(&[]) },
            CrateInfo { name: "sym-solve".into(), version: v("0.1.2"), deps: deps(&["sym-core"]) },
            CrateInfo { name: "sym-lower".into(), version: v("0.1.0"), deps: deps(&["sym-core", "sym-solve"]) },
            CrateInfo { name: "sym-grad".into(), version: v("1.0.0"), deps: deps(&["sym-lower"]) },
            CrateInfo { name: "sym-cli".into(), version: v("0.1.0"), deps: deps(&["sym-grad"]) },
        ]
    }

    #[test]
    fn versions_bump_and_compare_like_cargo() {
        assert_eq!(v("0.1.9").bumped(Bump::Patch), v("0.1.10"));
        assert_eq!(v("0.1.9").bumped(Bump::Minor), v("0.2.0"));
        assert_eq!(v("1.4.2").bumped(Bump::Major), v("2.0.0"));
        assert!(v("0.1.0").admits(v("0.1.7")));
        assert!(!v("0.1.0").admits(v("0.2.0")));
        assert!(!v("0.0.3").admits(v("0.0.4")));
        assert!(v("1.2.0").admits(v("1.9.0")));
        assert!(!v("1.2.0").admits(v("2.0.0")));
        assert!(Version::parse("1.2").is_err() && Version::parse("1.x.0").is_err());
    }

    #[test]
    fn compatible_bumps_release_only_the_named_crates() {
        let p = plan(&crates(), &["sym-core".into()], Bump::Patch).unwrap();
        assert_eq!(p, vec![Planned { name: "sym-core".into(), from: v("0.1.0"), to: v("0.1.1"), follows: None }]);
    }

    #[test]
    fn breaking_bumps_drag_dependents_along_transitively() {
        let p = plan(&crates(), &["sym-core".into()], Bump::Minor).unwrap();
        let got: Vec<(String, String, Option<String>)> =
            p.iter().map(|p| (p.name.clone(), p.to.to_string(), p.follows.clone())).collect();
        assert_eq!(
            got,
            vec![
                ("sym-core".into(), "0.2.0".into(), None),
                ("sym-solve".into(), "0.2.0".into(), Some("sym-core 0.2.0".into())),
                ("sym-lower".into(), "0.2.0".into(), Some("sym-core 0.2.0".into())),
                ("sym-grad".into(), "2.0.0".into(), Some("sym-lower 0.2.0".into())),
                ("sym-cli".into(), "0.2.0".into(), Some("sym-grad 2.0.0".into())),
            ]
        );
        assert!(plan(&crates(), &["sym-nope".into()], Bump::Patch).is_err());
    }

    #[test]
    fn manifests_are_edited_in_place() {
        let m = "[package]\nname = \"sym-solve\"\nversion = \"0.1.0\"\n\n[dependencies]\nsym-core.workspace = true\nrug = { workspace = true }\n\n[dev-dependencies]\nsym-lower.workspace = true\n";
        assert_eq!(package_version(m).unwrap(), v("0.1.0"));
        let n = set_package_version(m, v("0.2.0")).unwrap();
        assert_eq!(package_version(&n).unwrap(), v("0.2.0"));
        assert_eq!(n.replace("0.2.0", "0.1.0"), m);
        assert_eq!(workspace_deps(m), vec!["sym-core".to_string()]);
        let root = "[workspace.dependencies]\nsym-core = { path = \"sym-core\", version = \"0.1.0\" }\nsym-solve = { path = \"sym-solve\", version = \"0.1.0\" }\n";
        let r = set_requirement(root, "sym-solve", v("0.3.1")).unwrap();
        assert_eq!(
            r,
            "[workspace.dependencies]\nsym-core = { path = \"sym-core\", version = \"0.1.0\" }\nsym-solve = { path = \"sym-solve\", version = \"0.3.1\" }\n"
        );
        assert!(set_requirement(root, "sym-grad", v("1.0.0")).is_err());
    }

    #[test]
    fn changelog_sections_are_cut_from_unreleased() {
        let log = "# Changelog\n\n## Unreleased\n\n- New thing.\n\n## 0.1.0 (2026-01-01)\n\n- First.\n";
        let out = release_changelog(log, v("0.2.0"), "2026-11-27", None).unwrap();
        assert_eq!(
            out,
            "# Changelog\n\n## Unreleased\n\n## 0.2.0 (2026-11-27)\n\n- New thing.\n\n## 0.1.0 (2026-01-01)\n\n- First.\n"
        );
        // Already released by hand: accepted unchanged.
        assert_eq!(release_changelog(&out, v("0.2.0"), "2026-11-28", None).unwrap(), out);
        // Nothing to release for a named crate; a follower gets a line.
        let empty = "# Changelog\n\n## Unreleased\n\n## 0.1.0\n";
        assert!(release_changelog(empty, v("0.1.1"), "2026-11-27", None).is_err());
        let f = release_changelog(empty, v("0.2.0"), "2026-11-27", Some("sym-core 0.2.0")).unwrap();
        assert!(f.contains("## 0.2.0 (2026-11-27)\n\n- Depends on sym-core 0.2.0.\n"), "{f}");
        assert!(release_changelog("# Changelog\n", v("0.1.1"), "d", None).is_err());
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_784), "2026-11-27");
    }

    #[test]
    fn arguments_are_checked() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(parse_args(&s(&["--bump", "patch"])).is_err());
        assert!(parse_args(&s(&["sym-core", "--all", "--bump", "patch"])).is_err());
        assert!(parse_args(&s(&["sym-core", "--bump", "tiny"])).is_err());
        let o = parse_args(&s(&["sym-core", "sym-solve", "--bump=minor", "--dry-run"])).unwrap();
        assert_eq!(o.named.len(), 2);
        assert!(o.dry_run && o.bump == Some(Bump::Minor));
    }
}
