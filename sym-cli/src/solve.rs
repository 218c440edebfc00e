//! `sym solve`: the JSON and human-readable output of the CLI contract.

use crate::args::{OptSpec, split};
use crate::error::CliError;
use crate::numbers::{format_complex, parse_at, parse_digits};
use std::collections::{BTreeMap, BTreeSet};
use sym_core::parse::{parse_equation, split_top_level};
use sym_core::{Expr, Symbol};
use sym_solve::evaluate::{PointResult, solve_at};
use sym_solve::numeric::Point;
use sym_solve::{Domain, Interval, SolutionSet, SolveOptions};

const SPECS: &[OptSpec] = &[
    OptSpec { name: "for", takes_value: true },
    OptSpec { name: "domain", takes_value: true },
    OptSpec { name: "interval", takes_value: true },
    OptSpec { name: "at", takes_value: true },
    OptSpec { name: "grad", takes_value: false },
    OptSpec { name: "digits", takes_value: true },
    OptSpec { name: "json", takes_value: false },
];

const USAGE: &str = "sym solve EQ [EQ ...] --for X[,Y...] [--domain complex|real] [--interval LO,HI] [--at NAME=VALUE,...] [--grad] [--digits N] [--json]";

/// Parses `--interval`: `LO,HI` or `[LO,HI]` closed, `(LO,HI)` open, and half-open mixes.
pub fn parse_interval(text: &str) -> Result<Interval, CliError> {
    let t = text.trim();
    let bad = || {
        CliError::usage(format!("malformed --interval `{text}`: expected LO,HI, [LO,HI], (LO,HI), [LO,HI) or (LO,HI]"))
    };
    let (lo_open, body) = match t.chars().next() {
        Some('(') => (true, &t[1..]),
        Some('[') => (false, &t[1..]),
        _ => (false, t),
    };
    let (hi_open, body) = match body.chars().last() {
        Some(')') if t.starts_with(['(', '[']) => (true, &body[..body.len() - 1]),
        Some(']') => (false, &body[..body.len() - 1]),
        _ => (false, body),
    };
    let parts = split_top_level(body);
    if parts.len() != 2 {
        return Err(bad());
    }
    let end = |s: &str| -> Result<Expr, CliError> {
        let e = sym_core::parse(s.trim()).map_err(|_| bad())?;
        if !sym_core::expr::free_symbols(&e).is_empty() {
            return Err(CliError::usage(format!("interval endpoint `{}` must be a number", s.trim())));
        }
        Ok(e)
    };
    Ok(Interval { lo: end(parts[0].1)?, hi: end(parts[1].1)?, lo_open, hi_open })
}

/// `sym solve ...`.
pub fn solve(argv: &[String]) -> Result<String, CliError> {
    let args = split(argv, SPECS).map_err(CliError::usage)?;
    let json = args.options.contains_key("json");
    let want_grad = args.options.contains_key("grad");
    let digits = parse_digits(args.get("digits"))?;
    if args.positional.is_empty() {
        return Err(CliError::usage(format!("missing equation; usage: {USAGE}")));
    }
    let mut equations = Vec::new();
    for (k, (_, text)) in args.positional.iter().enumerate() {
        for (offset, piece) in split_top_level(text) {
            if piece.trim().is_empty() {
                continue;
            }
            let e = parse_equation(piece).map_err(|e| CliError::from_core(e, k + 1, offset))?;
            equations.push(e);
        }
    }
    let unknowns: Vec<Symbol> = match args.get("for") {
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| match sym_core::parse(s) {
                Ok(e) if e.as_symbol().is_some() => Ok(Symbol::new(s)),
                _ => Err(CliError::usage(format!("--for expects symbol names, got `{s}`"))),
            })
            .collect::<Result<_, _>>()?,
        None => return Err(CliError::usage(format!("missing --for; usage: {USAGE}"))),
    };
    if unknowns.is_empty() {
        return Err(CliError::usage("--for names no unknown"));
    }
    let mut free: BTreeSet<Symbol> = BTreeSet::new();
    for e in &equations {
        free.extend(sym_core::expr::free_symbols(e));
    }
    // Symbols the user wrote, including ones that cancelled (their derivatives are zero).
    let mut named: BTreeSet<Symbol> = free.clone();
    for (_, text) in &args.positional {
        named.extend(sym_core::parse::symbol_names(text).iter().map(|n| Symbol::new(n)));
    }
    for u in &unknowns {
        if !free.contains(u) {
            return Err(CliError::new("unknown", format!("the unknown `{u}` does not occur in the equation")));
        }
    }
    let mut opts = SolveOptions { numeric_digits: digits, ..SolveOptions::default() };
    match args.get("domain") {
        None | Some("complex") => {}
        Some("real") => opts.domain = Domain::Real,
        Some(other) => return Err(CliError::usage(format!("--domain must be complex or real, got `{other}`"))),
    }
    if let Some(iv) = args.get("interval") {
        opts.interval = Some(parse_interval(iv)?);
        opts.domain = Domain::Real;
    }
    let at = match args.get("at") {
        Some(t) => parse_at(t)?,
        None => BTreeMap::new(),
    };
    let mut point: Point = Point::new();
    for (s, v) in at {
        if unknowns.contains(&s) {
            return Err(CliError::usage(format!("--at gives a value to the unknown `{s}`")));
        }
        if !named.contains(&s) {
            eprintln!("warning: --at names `{s}`, which does not occur in the equation");
            continue;
        }
        point.insert(s, v);
    }
    let params: Vec<Symbol> = free.iter().copied().filter(|s| !unknowns.contains(s)).collect();
    let complete_point = params.iter().all(|p| point.contains_key(p));
    if equations.len() != 1 || unknowns.len() != 1 {
        if complete_point {
            let pr = sym_solve::system_eval::solve_system_at(&equations, &unknowns, &opts, &point, digits, want_grad)
                .map_err(solve_error)?;
            return Ok(render(&pr.set, Some(&pr), digits, json));
        }
        let set = sym_solve::solve_system(&equations, &unknowns, &opts).map_err(solve_error)?;
        return Ok(render(&set, None, digits, json));
    }
    let (f, x) = (&equations[0], unknowns[0]);
    if complete_point && !params.is_empty() {
        // The parametric solution only supplies exact forms for the values at the point; for
        // radical and transcendental equations it is costly and rarely helps, so the
        // instantiated equation alone answers.
        let rational = matches!(
            sym_solve::univariate::classify(f, x),
            sym_solve::univariate::EquationKind::Polynomial | sym_solve::univariate::EquationKind::Rational
        );
        let set = if rational { Some(sym_solve::solve_one(f, x, &opts).map_err(solve_error)?) } else { None };
        let mut pr = solve_at(f, x, &opts, set.as_ref(), &point, digits, false).map_err(solve_error)?;
        if want_grad {
            add_gradients(&mut pr, f, x, &point, digits);
        }
        let shown = set.unwrap_or_else(|| pr.set.clone());
        return Ok(render(&shown, Some(&pr), digits, json));
    }
    let set = sym_solve::solve_one(f, x, &opts).map_err(solve_error)?;
    if complete_point {
        let mut pr = solve_at(f, x, &opts, Some(&set), &point, digits, false).map_err(solve_error)?;
        if want_grad {
            add_gradients(&mut pr, f, x, &point, digits);
        }
        return Ok(render(&set, Some(&pr), digits, json));
    }
    Ok(render(&set, None, digits, json))
}

/// The MPFR working precision of the values and derivatives printed with `digits` significant digits: sym-solve's
/// (the digits asked for plus 96 guard bits), so that the derivative is evaluated at a value known to that many
/// bits.
fn precision(digits: u32) -> u32 {
    (f64::from(digits) * std::f64::consts::LOG2_10).ceil() as u32 + 96
}

/// Fills in `d x / d p` for every real solution at the point and every parameter given a value, through sym-grad's
/// implicit derivatives of the equation ([`sym_grad::ImplicitGradient`]: `-F_p / F_x` at the root, in MPFR). A root
/// that the exact solver reports as multiple has no derivative (`null`), except with respect to a parameter that
/// does not occur in the equation (zero); so has a root where sym-grad's check finds `F_x` vanishing.
fn add_gradients(pr: &mut PointResult, f: &Expr, x: Symbol, point: &Point, digits: u32) {
    let prec = precision(digits);
    let mut params: Vec<Symbol> = point.keys().copied().collect();
    params.sort();
    let ig = sym_grad::ImplicitGradient::new(f, x, &params);
    for s in &mut pr.solutions {
        let v = &s.values[0];
        if !sym_solve::numeric::is_real_value(v, prec) {
            continue;
        }
        let g = ig.at(v, point, prec);
        s.grad = params
            .iter()
            .zip(g.derivatives)
            .map(|(p, d)| {
                let multiple = s.multiplicity > 1 && sym_core::expr::has_symbol(f, *p);
                (x, *p, if multiple { None } else { d })
            })
            .collect();
    }
}

fn solve_error(e: sym_solve::SolveError) -> CliError {
    match e {
        sym_solve::SolveError::Limit { .. } => CliError::new("limit", e.to_string()),
        sym_solve::SolveError::UnknownAbsent(_) => CliError::new("unknown", e.to_string()),
        other => CliError::new("solve", other.to_string()),
    }
}

fn decimal(x: &rug::Float, digits: u32) -> String {
    sym_core::print::format_decimal(x, digits as usize)
}

/// The free unknowns of a family branch (its values contain unknowns: `x = 1 - y` for every `y`), in the
/// unknowns' order; empty for an ordinary branch.
fn free_unknowns(b: &sym_solve::Branch, unknowns: &[Symbol]) -> Vec<Symbol> {
    let Some(ex) = &b.exact else { return Vec::new() };
    let mut free = BTreeSet::new();
    for e in ex {
        free.extend(sym_core::expr::free_symbols(e));
    }
    unknowns.iter().copied().filter(|u| free.contains(u)).collect()
}

/// A family for people: the values, `for every` the free unknowns, the guard.
fn family_line(b: &sym_solve::Branch, free: &[Symbol]) -> String {
    let ex = b.exact.as_ref().map_or(String::new(), |v| v.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", "));
    let names: Vec<&str> = free.iter().map(|s| s.name()).collect();
    let mut line = format!("{ex}    for every {}", names.join(", "));
    if !matches!(b.guard.kind(), sym_core::Kind::Bool(true)) {
        line.push_str(&format!("    if {}", b.guard));
    }
    line
}

/// A family in JSON: `{"exact": [...], "free": [...], "guard": ...}`.
fn family_json(b: &sym_solve::Branch, free: &[Symbol]) -> serde_json::Value {
    serde_json::json!({
        "exact": b.exact.as_ref().map(|v| v.iter().map(|e| e.to_string()).collect::<Vec<_>>()),
        "free": free.iter().map(|s| s.name()).collect::<Vec<_>>(),
        "guard": (!matches!(b.guard.kind(), sym_core::Kind::Bool(true))).then(|| b.guard.to_string()),
    })
}

/// An implicit root for people: `root of F = 0 in y, in [lo, hi] (unique)`.
fn implicit_text(imp: &sym_solve::ImplicitRoot) -> String {
    let mut t = format!("root of {} = 0 in {}", imp.equation, imp.unknown);
    if let Some((lo, hi)) = &imp.bracket {
        t.push_str(&format!(", in [{lo}, {hi}]"));
    }
    if imp.unique {
        t.push_str(" (the only real root)");
    }
    t
}

fn render(set: &SolutionSet, at: Option<&PointResult>, digits: u32, json: bool) -> String {
    let coverage = at.map_or(set.coverage, |p| p.set.coverage.meet(sym_solve::Coverage::Complete));
    let coverage = if at.is_some() { coverage } else { set.coverage };
    let mut notes: Vec<String> = Vec::new();
    for n in set.notes.iter().chain(at.map(|p| &p.set.notes).into_iter().flatten()) {
        if !notes.contains(n) {
            notes.push(n.clone());
        }
    }
    // Families of an underdetermined system have no values at a point: they are listed on their own.
    let families: Vec<(&sym_solve::Branch, Vec<Symbol>)> = match at {
        Some(p) => p
            .set
            .branches
            .iter()
            .map(|b| (b, free_unknowns(b, &p.set.unknowns)))
            .filter(|(_, f)| !f.is_empty())
            .collect(),
        None => Vec::new(),
    };
    if json {
        let mut sols = Vec::new();
        match at {
            Some(p) => {
                for s in &p.solutions {
                    let exact = if set.inexact_input || p.set.inexact_input {
                        serde_json::Value::Null
                    } else {
                        s.exact.as_ref().map_or(serde_json::Value::Null, |v| v.iter().map(|e| e.to_string()).collect())
                    };
                    let mut obj = serde_json::json!({
                        "exact": exact,
                        "guard": s.guard.as_ref().map(|g| g.to_string()),
                        "multiplicity": s.multiplicity,
                        "values": s.values.iter().map(|z| vec![decimal(z.real(), digits), decimal(z.imag(), digits)]).collect::<Vec<_>>(),
                    });
                    if let Some(r) = &s.radius {
                        obj["radius"] = r.iter().map(|x| decimal(x, 3)).collect();
                    }
                    if !s.grad.is_empty() {
                        let mut g = serde_json::Map::new();
                        for (unknown, param, d) in &s.grad {
                            let key = format!("d{unknown}/d{param}");
                            g.insert(
                                key,
                                d.as_ref().map_or(serde_json::Value::Null, |z| decimal(z.real(), digits).into()),
                            );
                        }
                        obj["grad"] = serde_json::Value::Object(g);
                    }
                    sols.push(obj);
                }
            }
            None => {
                for b in &set.branches {
                    let exact = match (&b.exact, set.inexact_input) {
                        (Some(v), false) => v.iter().map(|e| e.to_string()).collect(),
                        _ => serde_json::Value::Null,
                    };
                    let guard = (!matches!(b.guard.kind(), sym_core::Kind::Bool(true))).then(|| b.guard.to_string());
                    let mut obj = serde_json::json!({ "exact": exact, "guard": guard, "multiplicity": b.multiplicity });
                    let free = free_unknowns(b, &set.unknowns);
                    if !free.is_empty() {
                        obj["free"] = free.iter().map(|s| s.name()).collect::<Vec<_>>().into();
                    }
                    if let Some(imp) = &b.implicit {
                        obj["implicit"] = serde_json::json!({
                            "equation": imp.equation.to_string(),
                            "unknown": imp.unknown.name(),
                            "bracket": imp.bracket.as_ref().map(|(lo, hi)| vec![lo.to_string(), hi.to_string()]),
                            "unique": imp.unique,
                        });
                    }
                    if let (Some(num), Some(r)) = (&b.numeric, &b.radius) {
                        obj["values"] = num
                            .iter()
                            .map(|(re, im)| vec![decimal(re, digits), decimal(im, digits)])
                            .collect::<Vec<_>>()
                            .into();
                        obj["radius"] = r.iter().map(|x| decimal(x, 3)).collect();
                    }
                    sols.push(obj);
                }
            }
        }
        let mut obj = serde_json::json!({
            "unknowns": set.unknowns.iter().map(|s| s.name()).collect::<Vec<_>>(),
            "domain": set.domain.name(),
            "coverage": coverage.name(),
            "solutions": sols,
        });
        if !families.is_empty() {
            obj["families"] = families.iter().map(|(b, f)| family_json(b, f)).collect();
        }
        if !notes.is_empty() {
            obj["note"] = notes.join("; ").into();
        }
        return format!("{obj}\n");
    }
    let mut out = String::new();
    match at {
        Some(p) => {
            for s in &p.solutions {
                let val = s.values.iter().map(|z| format_complex(z, digits)).collect::<Vec<_>>().join(", ");
                match &s.exact {
                    Some(e) if !set.inexact_input => {
                        let ex = e.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ");
                        out.push_str(&format!("{ex}    = {val}"));
                    }
                    _ => out.push_str(&val),
                }
                if let Some(r) = &s.radius {
                    let shown = r.iter().map(|x| decimal(x, 3)).collect::<Vec<_>>().join(", ");
                    out.push_str(&format!("    (certified: radius {shown})"));
                }
                for (unknown, param, d) in &s.grad {
                    let shown = d.as_ref().map_or("undefined".to_string(), |z| decimal(z.real(), digits));
                    out.push_str(&format!("    d{unknown}/d{param} = {shown}"));
                }
                out.push('\n');
            }
            for (b, free) in &families {
                out.push_str(&family_line(b, free));
                out.push('\n');
            }
        }
        None => {
            for b in &set.branches {
                let ex = match (&b.exact, &b.numeric) {
                    (Some(v), _) => v.iter().map(|e| e.to_string()).collect::<Vec<_>>().join(", "),
                    (None, Some(num)) => {
                        let vals: Vec<String> = num
                            .iter()
                            .map(|(re, im)| format_complex(&rug::Complex::with_val(re.prec(), (re, im)), digits))
                            .collect();
                        match &b.radius {
                            Some(r) => format!(
                                "{}    (certified: radius {})",
                                vals.join(", "),
                                r.iter().map(|x| decimal(x, 3)).collect::<Vec<_>>().join(", ")
                            ),
                            None => vals.join(", "),
                        }
                    }
                    (None, None) => match &b.implicit {
                        Some(imp) => implicit_text(imp),
                        None => "(numeric only)".to_string(),
                    },
                };
                let free = free_unknowns(b, &set.unknowns);
                if !free.is_empty() {
                    out.push_str(&family_line(b, &free));
                    out.push('\n');
                    continue;
                }
                out.push_str(&ex);
                if !matches!(b.guard.kind(), sym_core::Kind::Bool(true)) {
                    out.push_str(&format!("    if {}", b.guard));
                }
                if b.multiplicity > 1 {
                    out.push_str(&format!("    (multiplicity {})", b.multiplicity));
                }
                out.push('\n');
            }
        }
    }
    if coverage != sym_solve::Coverage::Complete {
        out.push_str(&format!("# coverage: {}\n", coverage.name()));
    }
    for n in notes {
        out.push_str(&format!("# {n}\n"));
    }
    out
}
