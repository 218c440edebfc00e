//! Systems of equations: linear systems by fraction-free elimination, polynomial systems by
//! Groebner bases, with exact solutions, guards and an honest completeness claim.
//!
//! Every equation `F_i = 0` is written `n_i / d_i` over a common denominator; the numerators are
//! the system and the denominators are checked afterwards (a solution at which one vanishes is
//! not a solution).
//!
//! * **Linear** (every numerator of degree at most one in the unknowns, coefficients anything
//!   free of them): Bareiss's fraction-free Gaussian elimination over `Q(params)` (entries are
//!   cancelled expressions, exact divisions). A pivot that is a number or a non-zero constant
//!   needs no condition; a pivot depending on parameters is assumed non-zero and the branch gets
//!   the guard `pivot != 0` (coverage `generic`: the degenerate parameter values are excluded).
//!   Rows that reduce to `0 = c` make the system inconsistent (`c` a non-zero number: no
//!   solution) or add the guard `c = 0`. Unknowns without a pivot are free: the answer is a
//!   parametric family in them.
//! * **Polynomial** (rational coefficients, possibly algebraic numbers such as `sqrt(3)` or
//!   `GoldenRatio`): each algebraic number `b**(1/q)` becomes an extra variable `a` with the
//!   relation `a**q = b`, the system is solved over `Q` ([`crate::quotient`]: grevlex Groebner
//!   basis, radical, separating element, shape lemma), and the solutions whose extra coordinates
//!   equal the intended numbers are kept. The univariate eliminant is factored over `Q` and each
//!   factor solved exactly (radicals to degree 4, `RootOf` beyond). Complete.
//! * Positive-dimensional polynomial systems, and polynomial systems with symbolic parameters,
//!   are solved as families over free unknowns (module `family`: triangular
//!   back-substitution; the parameters are always free), `Complete` or `Generic`. Parameters
//!   together with algebraic numbers, and non-polynomial systems, are reported as partial (the CLI
//!   solves them at a parameter point).

use crate::algebraic::solve_rational_poly;
use crate::error::SolveError;
use crate::groebner::{GroebnerLimits, MAX_VARS, Poly, pack};
use crate::numeric::{Point, eval_at, is_real_value};
use crate::quotient::{ZeroDim, solve_zero_dim};
use crate::solution::{Branch, Coverage, Domain, SolutionSet, SolveOptions};
use rug::{Complex, Float, Rational};
use sym_core::poly::expr::{Generators, expr_to_mpoly};
use sym_core::poly::{Lex, Limits, MPoly, RationalField, UPoly};
use sym_core::{Expr, Kind, Number, RelOp, Symbol};

/// Precision of the numeric decisions (realness, matching algebraic numbers, poles).
const DECIDE_BITS: u32 = 256;

/// Solves the system `eqs = 0` for `unknowns`.
pub fn solve_system(eqs: &[Expr], unknowns: &[Symbol], opts: &SolveOptions) -> Result<SolutionSet, SolveError> {
    for e in eqs {
        if e.is_condition() {
            return Err(SolveError::NotAnEquation(e.to_string()));
        }
    }
    for u in unknowns {
        if !eqs.iter().any(|e| sym_core::expr::has_symbol(e, *u)) {
            return Err(SolveError::UnknownAbsent(u.name().to_string()));
        }
    }
    let had_floats = eqs.iter().any(crate::univariate::has_floats);
    let eqs: Vec<Expr> = eqs.iter().map(crate::univariate::rationalize_floats).collect();
    let domain = if opts.interval.is_some() { Domain::Real } else { opts.domain };
    let mut set = SolutionSet::empty(unknowns.to_vec(), domain, Coverage::Complete);
    set.inexact_input = had_floats;
    if had_floats {
        set.notes.push("floats in the input were taken at their exact binary values".into());
    }
    let mut numers = Vec::new();
    let mut denoms = Vec::new();
    for e in &eqs {
        let (n, d) = e.as_numer_denom();
        let n = n.expand().unwrap_or(n);
        if n.is_zero() {
            continue;
        }
        if !unknowns.iter().any(|u| sym_core::expr::has_symbol(&n, *u)) && n.is_number() {
            // A non-zero constant: no solution.
            return Ok(set);
        }
        numers.push(n);
        if unknowns.iter().any(|u| sym_core::expr::has_symbol(&d, *u)) {
            denoms.push(d);
        }
    }
    if numers.is_empty() {
        // Every equation holds identically: every point is a solution.
        set.branches.push(Branch {
            exact: Some(unknowns.iter().map(|u| Expr::sym(*u)).collect()),
            numeric: None,
            guard: Expr::true_(),
            multiplicity: 1,
            radius: None,
            implicit: None,
        });
        return Ok(set);
    }
    let result = if let Some(rows) = linear_rows(&numers, unknowns) {
        crate::linear::solve_linear(&rows, unknowns, &mut set)
    } else {
        solve_polynomial(&numers, unknowns, opts, &mut set)
    };
    match result {
        Ok(()) => {}
        Err(SolveError::Limit { what, limit }) => {
            set.coverage = Coverage::Partial;
            set.branches.clear();
            set.notes.push(format!("stopped: {what} over the limit {limit}"));
        }
        Err(e) => return Err(e),
    }
    exclude_poles(&mut set, &denoms, unknowns);
    restrict(&mut set, opts);
    sort_branches(&mut set);
    Ok(set)
}

/// The rows `[a_1, ..., a_n, b]` of `sum a_j x_j = b` when every numerator is linear in the
/// unknowns.
fn linear_rows(numers: &[Expr], unknowns: &[Symbol]) -> Option<Vec<Vec<Expr>>> {
    let mut rows = Vec::with_capacity(numers.len());
    for n in numers {
        let mut row = vec![Vec::new(); unknowns.len() + 1];
        for term in n.terms() {
            let hits: Vec<usize> =
                (0..unknowns.len()).filter(|&j| sym_core::expr::has_symbol(&term, unknowns[j])).collect();
            match hits.as_slice() {
                [] => row[unknowns.len()].push(-term),
                [j] => {
                    let c = term.poly_coeffs(unknowns[*j])?;
                    if c.len() != 2 || !c[0].is_zero() || sym_core::expr::has_symbol(&c[1], unknowns[*j]) {
                        return None;
                    }
                    row[*j].push(c[1].clone());
                }
                _ => return None,
            }
        }
        rows.push(row.into_iter().map(Expr::add_all).collect());
    }
    Some(rows)
}

/// A generator that is an algebraic number `b**(p/q)` (no symbols): `(q, b**|p|, p > 0)`, for
/// the relation `a**q = b**p` (or `a**q * b**|p| = 1` when `p < 0`) of the generator `a`.
fn algebraic_relation(g: &Expr) -> Option<(u64, Expr, bool)> {
    if !sym_core::expr::free_symbols(g).is_empty() {
        return None;
    }
    let Kind::Pow(b, p) = g.kind() else { return None };
    let r = p.as_rational()?;
    let q = r.denom().to_u64()?;
    let num = r.numer().to_i64()?;
    if q <= 1 || q > 12 {
        return None;
    }
    Some((q, Expr::pow(b.clone(), Expr::int(num.abs())), num > 0))
}

/// The polynomial system over `Q`, algebraic numbers as extra variables.
fn solve_polynomial(
    numers: &[Expr],
    unknowns: &[Symbol],
    opts: &SolveOptions,
    set: &mut SolutionSet,
) -> Result<(), SolveError> {
    let limits = Limits::default();
    let mut gens = Generators::from_symbols(unknowns);
    let mut polys: Vec<MPoly<RationalField, Lex>> = Vec::new();
    for n in numers {
        match expr_to_mpoly::<Lex>(n, &mut gens, &limits) {
            Ok(p) => polys.push(p),
            Err(_) => {
                set.coverage = Coverage::Partial;
                set.notes.push("the system is not polynomial in the unknowns".into());
                numeric_fallback(numers, unknowns, set);
                return Ok(());
            }
        }
    }
    // Relations of the algebraic numbers (which may introduce further generators); symbols
    // other than the unknowns are parameters.
    let mut k = unknowns.len();
    let mut params = Vec::new();
    while k < gens.len() {
        let g = gens.gens()[k].clone();
        if unknowns.iter().any(|u| sym_core::expr::has_symbol(&g, *u)) {
            set.coverage = Coverage::Partial;
            set.notes.push(format!("the system is not polynomial in the unknowns (it involves {g})"));
            numeric_fallback(numers, unknowns, set);
            return Ok(());
        }
        if let Some(s) = g.as_symbol() {
            params.push(s);
            k += 1;
            continue;
        }
        let Some((q, base, positive)) = algebraic_relation(&g) else {
            set.coverage = Coverage::Partial;
            set.notes.push(format!(
                "polynomial systems with the parameter or constant {g} are solved only at a point (--at)"
            ));
            return Ok(());
        };
        let b = expr_to_mpoly::<Lex>(&base, &mut gens, &limits)?;
        let nv = gens.len();
        let aq = MPoly::var(RationalField, nv, k).pow(q, &limits)?;
        let one = MPoly::one(RationalField, nv);
        polys.push(if positive { aq - b } else { aq * b - one });
        k += 1;
    }
    let nvars = gens.len();
    if nvars > MAX_VARS {
        return Err(SolveError::Limit { what: "variables of a polynomial system", limit: MAX_VARS as u64 });
    }
    let mut input = Vec::with_capacity(polys.len());
    for p in &polys {
        let mut terms = Vec::with_capacity(p.len());
        for (c, e) in p.terms() {
            let mut e = e;
            e.resize(nvars, 0);
            let m = pack(&e).ok_or(SolveError::Limit { what: "polynomial degree", limit: 127 })?;
            terms.push((m, c.clone()));
        }
        input.push(Poly::from_terms(crate::groebner::Order::GrevLex, terms));
    }
    if !params.is_empty() {
        // Parameters: solved over Q(params) as families in which they are free (with algebraic
        // numbers too, only at a point).
        let vars: Vec<Symbol> = unknowns.iter().copied().chain(params.iter().copied()).collect();
        if nvars == vars.len() && crate::family::solve_families(&input, &vars, unknowns.len(), opts, set)? {
            return Ok(());
        }
        set.coverage = Coverage::Partial;
        let names: Vec<&str> = params.iter().map(|s| s.name()).collect();
        set.notes.push(format!(
            "this polynomial system with the parameters {} is solved only at a point (--at)",
            names.join(", ")
        ));
        return Ok(());
    }
    match solve_zero_dim(&input, nvars, &GroebnerLimits::default())? {
        ZeroDim::Inconsistent => Ok(()),
        ZeroDim::PositiveDimensional => {
            if nvars == unknowns.len() && crate::family::solve_families(&input, unknowns, unknowns.len(), opts, set)? {
                return Ok(());
            }
            set.coverage = Coverage::Partial;
            set.notes.push("the polynomial system has infinitely many solutions (not parametrised here)".into());
            Ok(())
        }
        ZeroDim::Points { minpoly, coords } => {
            let targets: Vec<Complex> = gens.gens()[unknowns.len()..]
                .iter()
                .map(|g| eval_at(g, &Point::new(), DECIDE_BITS))
                .collect::<Result<_, _>>()?;
            emit_points(&minpoly, &coords, unknowns.len(), &targets, set)
        }
    }
}

/// Real solutions by damped Newton ([`crate::newton`]) for square systems without parameters;
/// the set stays partial.
fn numeric_fallback(numers: &[Expr], unknowns: &[Symbol], set: &mut SolutionSet) {
    let params = numers.iter().flat_map(sym_core::expr::free_symbols).any(|s| !unknowns.contains(&s));
    if params {
        return;
    }
    let sols = crate::newton::newton_solutions(numers, unknowns);
    if !sols.is_empty() {
        set.notes.push(format!("{} real solution(s) found numerically (damped Newton)", sols.len()));
    }
    for s in sols {
        let numeric = s.iter().map(|v| (Float::with_val(53, *v), Float::new(53))).collect::<Vec<(Float, Float)>>();
        set.branches.push(Branch {
            exact: None,
            numeric: Some(numeric),
            guard: Expr::true_(),
            multiplicity: 1,
            radius: None,
            implicit: None,
        });
    }
}

/// The branches of the shape-lemma parametrisation, keeping the points whose extra coordinates
/// are the intended algebraic numbers.
fn emit_points(
    minpoly: &UPoly<RationalField>,
    coords: &[UPoly<RationalField>],
    nunknowns: usize,
    targets: &[Complex],
    set: &mut SolutionSet,
) -> Result<(), SolveError> {
    let t = Symbol::new("t");
    let factors = minpoly.factor()?;
    let opts = SolveOptions { quartic_radicals: false, ..SolveOptions::default() };
    for (f, _) in &factors.factors {
        if f.degree().is_none_or(|d| d == 0) {
            continue;
        }
        let reduced: Vec<UPoly<RationalField>> =
            coords.iter().map(|h| h.rem(f).unwrap_or_else(|_| h.clone())).collect();
        let fc: Vec<Rational> = f.coeffs().to_vec();
        for root in solve_rational_poly(&fc, t, &opts) {
            let Some(r) = root.exact.as_ref().map(|v| v[0].clone()) else { continue };
            let values: Vec<Expr> = reduced
                .iter()
                .map(|h| {
                    let e = sym_core::poly::expr::upoly_to_expr(h, &r);
                    e.expand().unwrap_or(e)
                })
                .collect();
            let mut ok = true;
            for (v, target) in values[nunknowns..].iter().zip(targets) {
                let z = eval_at(v, &Point::new(), DECIDE_BITS)?;
                if !close(&z, target) {
                    ok = false;
                    break;
                }
            }
            if ok {
                set.branches.push(Branch {
                    exact: Some(values[..nunknowns].to_vec()),
                    numeric: None,
                    guard: Expr::true_(),
                    multiplicity: 1,
                    radius: None,
                    implicit: None,
                });
            }
        }
    }
    Ok(())
}

fn close(a: &Complex, b: &Complex) -> bool {
    let d = Float::with_val(DECIDE_BITS, Complex::with_val(DECIDE_BITS, a - b).abs_ref());
    let s = Float::with_val(DECIDE_BITS, b.abs_ref()).max(&Float::with_val(DECIDE_BITS, 1));
    d <= Float::with_val(DECIDE_BITS, &s >> (DECIDE_BITS / 2))
}

/// Numeric values of a branch without parameters, or `None`.
fn branch_values(b: &Branch) -> Option<Vec<Complex>> {
    let ex = b.exact.as_ref()?;
    if ex.iter().any(|e| !sym_core::expr::free_symbols(e).is_empty()) {
        return None;
    }
    ex.iter().map(|e| eval_at(e, &Point::new(), DECIDE_BITS).ok()).collect()
}

/// Removes solutions at which a denominator vanishes; adds `d != 0` guards to parametric ones.
fn exclude_poles(set: &mut SolutionSet, denoms: &[Expr], unknowns: &[Symbol]) {
    if denoms.is_empty() {
        return;
    }
    let mut kept = Vec::new();
    for mut b in std::mem::take(&mut set.branches) {
        let Some(ex) = b.exact.clone() else {
            kept.push(b);
            continue;
        };
        let pairs: Vec<(Expr, Expr)> = unknowns.iter().map(|u| Expr::sym(*u)).zip(ex).collect();
        let mut drop = false;
        for d in denoms {
            let at = d.subs_all(&pairs);
            if sym_core::expr::free_symbols(&at).is_empty() {
                match eval_at(&at, &Point::new(), DECIDE_BITS) {
                    Ok(z) if Float::with_val(DECIDE_BITS, z.abs_ref()).to_f64() > 1e-60 => {}
                    _ => drop = true,
                }
            } else {
                let at = at.expand().unwrap_or(at);
                if at.is_zero() {
                    drop = true;
                } else {
                    b.guard = Expr::and_all([b.guard.clone(), Expr::rel(RelOp::Ne, at, Expr::zero())]);
                }
            }
        }
        if !drop {
            kept.push(b);
        }
    }
    set.branches = kept;
}

/// Applies the real domain (and the interval, to every unknown) to numeric branches.
fn restrict(set: &mut SolutionSet, opts: &SolveOptions) {
    if set.domain != Domain::Real {
        return;
    }
    set.branches.retain(|b| match branch_values(b) {
        Some(vals) => vals.iter().all(|z| {
            is_real_value(z, DECIDE_BITS)
                && opts.interval.as_ref().is_none_or(|iv| crate::filter::in_interval(z.real(), iv))
        }),
        None => true,
    });
}

/// Sorts numeric branches lexicographically by their values in the unknowns' order.
fn sort_branches(set: &mut SolutionSet) {
    let mut keyed: Vec<(Option<Vec<Complex>>, Branch)> =
        std::mem::take(&mut set.branches).into_iter().map(|b| (branch_values(&b), b)).collect();
    keyed.sort_by(|a, b| match (&a.0, &b.0) {
        (Some(x), Some(y)) => x
            .iter()
            .zip(y)
            .map(|(p, q)| crate::evaluate::cmp_values(p, q, DECIDE_BITS))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    set.branches = keyed.into_iter().map(|(_, b)| b).collect();
}

/// A number as an expression (used by the linear solver's tests).
pub fn rational_expr(r: &Rational) -> Expr {
    Expr::num(Number::from_rational(r.clone()))
}
