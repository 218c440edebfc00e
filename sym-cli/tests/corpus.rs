//! The SymPy solver corpus, run through the `sym` binary and scored like
//! `score_corpus.py` does: `pass` (every expected root found, nothing wrong, gradients
//! matching), `partial` (honest: coverage not complete, nothing wrong), `wrong` (a returned value
//! that is not a root, a false `complete` claim, a gradient mismatch), `error` (non-zero exit,
//! invalid output, timeout) or `panic`.
//!
//! The residual check of returned roots that match no expected root evaluates the equation with
//! sym-core at 200 bits (the Python scorer uses SymPy at 30 digits; both accept
//! `|F| <= 1e-8 (1 + largest |term|)`). The data (public split of the corpus, BSD-3-Clause,
//! see `data/NOTICE.md`) is vendored, so the test does not need anything outside the repository.

use rug::{Complex, Float};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use sym_core::evalf::{ComplexEnv, eval_complex};
use sym_core::{Expr, Kind, Symbol};

const VALUE_TOL: f64 = 1e-9;
const GRAD_REL: f64 = 1e-7;
const GRAD_ABS: f64 = 1e-9;
const RESIDUAL_TOL: f64 = 1e-8;
const TIMEOUT: Duration = Duration::from_secs(60);

/// The kinds this test scores (issue 3's and issue 6's kinds).
const KINDS: &[&str] = &["poly", "rational", "radical", "transcendental", "implicit", "system"];

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Status {
    Pass,
    Partial,
    Wrong,
    Error,
    Panic,
}

type Point = Vec<(f64, f64)>;

fn split_top(text: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut depth = 0i32;
    for ch in text.chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        if ch == ',' && depth == 0 {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(ch);
        }
    }
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

/// `Interval.Ropen(a, b)` -> `[a,b)` for the CLI.
fn interval_arg(text: &str) -> Option<(String, String, bool, bool)> {
    let t = text.trim();
    let (kind, rest) = match t.strip_prefix("Interval") {
        Some(r) => match r.strip_prefix('.') {
            Some(r2) => {
                let i = r2.find('(')?;
                (&r2[..i], &r2[i..])
            }
            None => ("", r),
        },
        None => return None,
    };
    let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
    let args = split_top(inner);
    let (mut lo_open, mut hi_open) = (matches!(kind, "open" | "Lopen"), matches!(kind, "open" | "Ropen"));
    if args.len() == 4 {
        lo_open = args[2] == "True";
        hi_open = args[3] == "True";
    }
    Some((args[0].clone(), args[1].clone(), lo_open, hi_open))
}

fn command_args(case: &Value) -> Vec<String> {
    let mut out = vec!["solve".to_string()];
    for e in case["equations"].as_array().into_iter().flatten() {
        let s = e.as_str().unwrap_or("");
        out.push(if s.trim_start().starts_with('-') { format!("({s})") } else { s.to_string() });
    }
    let unknowns: Vec<&str> = case["unknowns"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    out.push("--for".into());
    out.push(unknowns.join(","));
    out.push("--domain".into());
    out.push(case["domain"].as_str().unwrap_or("complex").into());
    if let Some(iv) = case["interval"].as_str()
        && let Some((lo, hi, lo_open, hi_open)) = interval_arg(iv)
    {
        out.push(format!("--interval={}{lo},{hi}{}", if lo_open { '(' } else { '[' }, if hi_open { ')' } else { ']' }));
    }
    if let Some(params) = case["params"].as_object()
        && !params.is_empty()
    {
        let at: Vec<String> = params.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("0"))).collect();
        out.push("--at".into());
        out.push(at.join(","));
    }
    if !case["gradients"].is_null() {
        out.push("--grad".into());
    }
    out.extend(["--digits".into(), "20".into(), "--json".into()]);
    out
}

fn as_point(entry: &Value, complex: bool) -> Point {
    let parse = |v: &Value| v.as_str().and_then(|s| s.parse::<f64>().ok()).unwrap_or(f64::NAN);
    if complex {
        let pairs: Vec<&Value> = match entry.as_array() {
            Some(a) if a.first().is_some_and(Value::is_array) => a.iter().collect(),
            _ => vec![entry],
        };
        pairs.iter().map(|p| (parse(&p[0]), parse(&p[1]))).collect()
    } else {
        match entry.as_array() {
            Some(a) => a.iter().map(|v| (parse(v), 0.0)).collect(),
            None => vec![(parse(entry), 0.0)],
        }
    }
}

fn close(a: (f64, f64), b: (f64, f64)) -> bool {
    let s = VALUE_TOL * 1f64.max((b.0 * b.0 + b.1 * b.1).sqrt());
    (a.0 - b.0).abs() <= s && (a.1 - b.1).abs() <= s
}

fn same_point(p: &Point, q: &Point) -> bool {
    p.len() == q.len() && p.iter().zip(q).all(|(a, b)| close(*a, *b))
}

/// Whether the returned values (decimal strings) satisfy every equation at the parameter point.
fn residual_ok(case: &Value, raw: &[(String, String)], real: bool) -> Option<bool> {
    const PREC: u32 = 200;
    let mut env = ComplexEnv::new();
    for (k, v) in case["params"].as_object().into_iter().flatten() {
        let r = sym_core::parse(v.as_str()?).ok()?;
        env.insert(Symbol::new(k), eval_complex(&r, &ComplexEnv::new(), PREC).ok()?);
    }
    for (u, (re, im)) in case["unknowns"].as_array()?.iter().zip(raw) {
        let re = Float::with_val(PREC, Float::parse(re).ok()?);
        let im = if real { Float::new(PREC) } else { Float::with_val(PREC, Float::parse(im).ok()?) };
        env.insert(Symbol::new(u.as_str()?), Complex::with_val(PREC, (re, im)));
    }
    let size = |e: &Expr| -> Option<f64> {
        let z = eval_complex(e, &env, PREC).ok()?;
        Some(Float::with_val(PREC, z.abs_ref()).to_f64())
    };
    for text in case["equations"].as_array()? {
        let e = sym_core::parse(text.as_str()?).ok()?;
        let scale = e.terms().iter().filter_map(size).fold(0.0f64, f64::max);
        let Some(r) = size(&e) else { return Some(false) };
        if r > RESIDUAL_TOL * (1.0 + scale) {
            return Some(false);
        }
        let mut stack = vec![e.clone()];
        while let Some(n) = stack.pop() {
            let dens: Vec<Expr> = match n.kind() {
                Kind::Pow(b, p) if p.as_number().is_some_and(|k| k.is_negative()) => vec![b.clone()],
                Kind::Mul(m) => m
                    .factors
                    .iter()
                    .filter(|(_, p)| p.as_number().is_some_and(|k| k.is_negative()))
                    .map(|(b, _)| b.clone())
                    .collect(),
                _ => Vec::new(),
            };
            for d in dens {
                match size(&d) {
                    Some(v) if v > 1e-15 * (1.0 + scale) => {}
                    _ => return Some(false),
                }
            }
            stack.extend(n.children());
        }
    }
    Some(true)
}

fn classify(case: &Value, out: &std::process::Output, elapsed: Duration) -> (Status, String) {
    if elapsed > TIMEOUT {
        return (Status::Error, format!("took {elapsed:?}"));
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(101) | None => {
            return (Status::Panic, stderr.lines().find(|l| l.contains("panicked")).unwrap_or("killed").to_string());
        }
        Some(0) => {}
        Some(c) => return (Status::Error, format!("exit {c}: {}", stderr.trim())),
    }
    let obj: Value = match serde_json::from_slice(&out.stdout) {
        Ok(v) => v,
        Err(e) => return (Status::Error, format!("invalid JSON: {e}")),
    };
    let coverage = obj["coverage"].as_str().unwrap_or("");
    if !["complete", "generic", "partial"].contains(&coverage) {
        return (Status::Error, format!("bad coverage {coverage:?}"));
    }
    let unknowns = case["unknowns"].as_array().map_or(0, Vec::len);
    let real_dom = case["domain"] == "real";
    let real_exp: Vec<Point> =
        case["real_roots"].as_array().into_iter().flatten().map(|r| as_point(r, false)).collect();
    let mut expected = real_exp.clone();
    if !real_dom {
        expected.extend(case["complex_roots"].as_array().into_iter().flatten().map(|c| as_point(c, true)));
    }
    let mut matched = vec![false; expected.len()];
    let mut best: BTreeMap<usize, (f64, Value)> = BTreeMap::new();
    let mut wrong = Vec::new();
    let mut unverified = 0;
    for s in obj["solutions"].as_array().into_iter().flatten() {
        let Some(vals) = s["values"].as_array().filter(|v| v.len() == unknowns) else {
            return (Status::Error, "a solution without values".into());
        };
        let raw: Vec<(String, String)> = vals
            .iter()
            .map(|v| (v[0].as_str().unwrap_or("nan").to_string(), v[1].as_str().unwrap_or("nan").to_string()))
            .collect();
        let point: Point =
            raw.iter().map(|(r, i)| (r.parse().unwrap_or(f64::NAN), i.parse().unwrap_or(f64::NAN))).collect();
        let hits: Vec<usize> = (0..expected.len()).filter(|&i| same_point(&point, &expected[i])).collect();
        for &i in &hits {
            matched[i] = true;
            let d = point
                .iter()
                .zip(&expected[i])
                .map(|(a, b)| (a.0 - b.0).abs().max((a.1 - b.1).abs()))
                .fold(0.0, f64::max);
            if best.get(&i).is_none_or(|(bd, _)| d < *bd) {
                best.insert(i, (d, s["grad"].clone()));
            }
        }
        if real_dom && point.iter().any(|z| z.1.abs() > VALUE_TOL * 1f64.max(z.0.abs())) {
            wrong.push(format!("non-real value {point:?} in the real domain"));
            continue;
        }
        if !hits.is_empty() {
            continue;
        }
        let verdict = residual_ok(case, &raw, real_dom);
        if case["numeric_complete"] == true {
            wrong.push(format!("{point:?} matches no expected root (residual check: {verdict:?})"));
        } else if verdict == Some(false) {
            wrong.push(format!("{point:?} is not a root"));
        } else if verdict.is_none() {
            unverified += 1;
        }
    }
    let missing = matched.iter().filter(|m| !**m).count();
    for (key, per_root) in case["gradients"].as_object().into_iter().flatten() {
        for (i, want) in per_root.as_array().into_iter().flatten().enumerate() {
            let Some(want) = want.as_str().and_then(|w| w.parse::<f64>().ok()) else { continue };
            let Some((_, grad)) = best.get(&i) else { continue };
            let got = grad[key.as_str()].as_str().and_then(|g| g.parse::<f64>().ok());
            let ok = got.is_some_and(|g| (g - want).abs() <= (GRAD_REL * want.abs()).max(GRAD_ABS));
            if !ok {
                wrong.push(format!("{key} at root {i}: got {got:?}, expected {want}"));
            }
        }
    }
    if missing > 0 && coverage == "complete" {
        wrong.insert(0, format!("claims complete but misses {missing} of {}", expected.len()));
    }
    if !wrong.is_empty() {
        return (Status::Wrong, wrong.join("; "));
    }
    if missing == 0 && unverified == 0 {
        return (Status::Pass, String::new());
    }
    (Status::Partial, format!("misses {missing} of {} (coverage {coverage})", expected.len()))
}

/// One case's outcome: id, kind, status, reason, seconds.
type CaseResult = (String, String, Status, String, f64);

#[test]
fn corpus_score() {
    let text = include_str!("data/sympy_solvers_public.jsonl");
    let cases: Vec<Value> =
        text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect();
    let cases: Vec<Value> = cases.into_iter().filter(|c| KINDS.contains(&c["kind"].as_str().unwrap_or(""))).collect();
    let results: Mutex<Vec<CaseResult>> = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        let i = *n;
                        *n += 1;
                        i
                    };
                    let Some(case) = cases.get(i) else { break };
                    let t = Instant::now();
                    let out =
                        Command::new(env!("CARGO_BIN_EXE_sym")).args(command_args(case)).output().expect("run sym");
                    let elapsed = t.elapsed();
                    let (status, why) = classify(case, &out, elapsed);
                    let id = case["id"].as_str().unwrap_or("?").to_string();
                    let kind = case["kind"].as_str().unwrap_or("?").to_string();
                    results.lock().unwrap().push((id, kind, status, why, elapsed.as_secs_f64()));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let statuses = [Status::Pass, Status::Partial, Status::Wrong, Status::Error, Status::Panic];
    println!("{:<16}{:>6}{:>9}{:>9}{:>9}{:>9}{:>9}", "kind", "cases", "pass", "partial", "wrong", "error", "panic");
    for kind in KINDS.iter().copied().chain(["total"]) {
        let rows: Vec<_> = results.iter().filter(|r| kind == "total" || r.1 == kind).collect();
        let counts: Vec<usize> = statuses.iter().map(|s| rows.iter().filter(|r| r.2 == *s).count()).collect();
        println!(
            "{kind:<16}{:>6}{:>9}{:>9}{:>9}{:>9}{:>9}",
            rows.len(),
            counts[0],
            counts[1],
            counts[2],
            counts[3],
            counts[4]
        );
    }
    for r in &results {
        if r.2 != Status::Pass {
            println!("  {:?} {} ({:.2} s): {}", r.2, r.0, r.4, r.3);
        }
    }
    let count = |s: Status| results.iter().filter(|r| r.2 == s).count();
    let passed = count(Status::Pass);
    println!("{passed} passed, {} failed", results.len() - passed);
    assert_eq!(count(Status::Panic), 0, "sym panicked");
    assert_eq!(count(Status::Wrong), 0, "sym returned wrong answers or a false completeness claim");
    assert_eq!(count(Status::Error), 0, "sym failed on valid input");
    // Issues 3 and 6: at least 90% of the cases pass (85% is issue 6's bar for its kinds).
    assert!(passed * 10 >= results.len() * 9, "pass rate {passed}/{} is below 90%", results.len());
}
