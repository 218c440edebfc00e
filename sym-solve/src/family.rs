//! Positive-dimensional polynomial systems: the solutions as families over free unknowns.
//!
//! When a polynomial system over `Q` has infinitely many solutions, its solution set `V(I)` has a
//! dimension `d > 0`, and some `d` unknowns can be chosen freely:
//!
//! 1. *Free unknowns.* A set `U` of unknowns is independent modulo `I` when `I ∩ Q[U] = {0}`, and
//!    the largest independent sets have `d` elements. `d` is read from a grevlex basis: it is the
//!    size of the largest set containing the support of no leading monomial (Kredel and
//!    Weispfenning, "Computing dimension and independent sets for polynomial ideals", J. Symbolic
//!    Comput. 6, 1988). Sets of `d` unknowns are then tried, those whose complement has the lowest
//!    degrees in the equations first (`x + y**2 + z**3` is solved for `x`; `x**2 + y = 1` gives
//!    `y = 1 - x**2` for every `x`), ties going to the latest unknowns as in the linear solver; a
//!    set is independent exactly when the lex basis below (an elimination order) has no element
//!    in `Q[U]` alone.
//! 2. *Triangular back-substitution.* Over the field `Q(U)` the ideal is zero-dimensional in the
//!    other (dependent) unknowns `D`. A lex basis with `D > U` is computed; its elements whose
//!    lowest dependent unknown is `v` are polynomials in `v`, the dependent unknowns after `v`,
//!    and `U`. From the last dependent unknown to the first, the known values are substituted,
//!    the element of least degree in `v` is solved by the parametric univariate solver (closed
//!    forms with guards, `RootOf` beyond degree 4), and the candidate values are kept when the
//!    level's other elements vanish at them.
//!
//! The vanishing test expands first (under small limits); a remainder that does not expand to
//! zero (radicals) is evaluated at two fixed complex rational points of the free unknowns with
//! 256-bit arithmetic and kept when it vanishes there to 50 digits (a probabilistic identity
//! test: a non-zero algebraic function vanishes at a generic point with probability zero). When
//! the evaluation fails (a pole or branch point at the sample), the candidate is dropped and the
//! set becomes `partial`.
//!
//! Coverage: every solution whose free unknowns are generic is in the families (the points over
//! `Q(U)` are the generic points of the components on which `U` is free). When every leading
//! coefficient of the lex basis in the dependent unknowns is a number, the basis stays a basis
//! for every value of `U` and the families are complete; otherwise special values of `U` (where
//! a leading coefficient vanishes) may carry further solutions, and the claim is `generic`.

use crate::error::SolveError;
use crate::groebner::{Groebner, GroebnerLimits, Mono, Order, Poly, exponent, pack};
use crate::numeric::{Point, eval_at};
use crate::solution::{Branch, Coverage, SolutionSet, SolveOptions};
use rug::Float;
use sym_core::{Expr, Number, Symbol};

/// How many choices of free unknowns are tried.
const MAX_TRIES: usize = 8;

/// Precision of the numeric identity test.
const TEST_BITS: u32 = 256;

/// Solves the system `input = 0` (grevlex polynomials in `vars`: the unknowns, then the
/// parameters from index `nunknowns` on, which are always free) as families; `Ok(false)` when
/// it has no free variables beyond the parameters that the method can use, or the lex basis is
/// not usable for back-substitution.
pub(crate) fn solve_families(
    input: &[Poly],
    vars: &[Symbol],
    nunknowns: usize,
    opts: &SolveOptions,
    set: &mut SolutionSet,
) -> Result<bool, SolveError> {
    let n = vars.len();
    let grevlex = Groebner::new(input, n, Order::GrevLex, &GroebnerLimits::default())?;
    if grevlex.is_one() {
        return Ok(true);
    }
    let Some(dim) = dimension(&grevlex.leading_monomials(), n) else { return Ok(false) };
    let params: u32 = (nunknowns..n).fold(0, |m, i| m | (1 << i));
    // Candidates for the free variables: every set of `dim` variables with the parameters, those
    // whose complement (the unknowns to solve for) has the lowest degrees first, then the latest.
    let degree =
        |v: usize| input.iter().flat_map(|p| p.terms.iter().map(move |(m, _)| exponent(*m, v))).max().unwrap_or(0);
    let mut candidates: Vec<u32> =
        (1u32..(1 << n)).filter(|m| m.count_ones() as usize == dim && m & params == params).collect();
    candidates.sort_by_key(|&mask| {
        let cost: u64 = (0..n).filter(|i| mask & (1 << i) == 0).map(degree).sum();
        (cost, std::cmp::Reverse(mask))
    });
    for free in candidates.into_iter().take(MAX_TRIES) {
        if let Some(done) = try_free_set(input, vars, nunknowns, free, opts, set)? {
            return Ok(done);
        }
    }
    Ok(false)
}

/// The families with the unknowns in `free` free; `None` when they are not independent (an
/// element of the lex basis involves only them) or the basis is not triangular.
fn try_free_set(
    input: &[Poly],
    vars: &[Symbol],
    nunknowns: usize,
    free: u32,
    opts: &SolveOptions,
    set: &mut SolutionSet,
) -> Result<Option<bool>, SolveError> {
    let n = vars.len();
    let limits = GroebnerLimits::default();
    // New order: the dependent unknowns (in the given order), then the free ones.
    let perm: Vec<usize> =
        (0..n).filter(|i| free & (1 << i) == 0).chain((0..n).filter(|i| free & (1 << i) != 0)).collect();
    let ndep = n - free.count_ones() as usize;
    let syms: Vec<Symbol> = perm.iter().map(|&i| vars[i]).collect();
    let permuted: Vec<Poly> = input
        .iter()
        .map(|p| permute(p, &perm))
        .collect::<Option<_>>()
        .ok_or(SolveError::Limit { what: "polynomial degree", limit: crate::groebner::MAX_DEGREE })?;
    let lex = Groebner::new(&permuted, n, Order::Lex, &limits)?;
    // Each element by its lowest-ordered dependent unknown (its "main" unknown in lex).
    let mut levels: Vec<Vec<Expr>> = vec![Vec::new(); ndep];
    let mut constant_leads = true;
    for p in &lex.basis {
        let Some(k) = (0..ndep).find(|&k| p.terms.iter().any(|(m, _)| exponent(*m, k) > 0)) else {
            // An element in the free unknowns only: they are not independent.
            return Ok(None);
        };
        constant_leads &= leading_coefficient_is_number(p, k);
        levels[k].push(to_expr(p, &syms));
    }
    if levels.iter().any(Vec::is_empty) {
        return Ok(None);
    }
    // Sample points for every variable: the free ones, and a dependent one left free by a case.
    let sample = sample_points(&syms);
    // Parametric quartics stay `RootOf`: their radicals, substituted into the next levels, grow
    // without bound.
    let level_opts = SolveOptions { quartic_radicals: false, ..opts.clone() };
    // Partial solutions: values of the dependent unknowns from `k` on, and their guard.
    let mut partial: Vec<(Vec<(Expr, Expr)>, Expr)> = vec![(Vec::new(), Expr::true_())];
    let mut coverage = if constant_leads { Coverage::Complete } else { Coverage::Generic };
    for k in (0..ndep).rev() {
        let v = syms[k];
        let mut next = Vec::new();
        for (values, guard) in &partial {
            let polys: Vec<Expr> = levels[k]
                .iter()
                .map(|e| {
                    let s = e.subs_all(values);
                    bounded_expand(&s)
                })
                .collect();
            let Some(main) = polys
                .iter()
                .filter(|e| sym_core::expr::has_symbol(e, v))
                .min_by_key(|e| e.poly_coeffs(v).map_or(usize::MAX, |c| c.len()))
            else {
                // No element involves `v` here: if they all vanish, `v` is free on this branch;
                // one that does not vanish rules the branch out.
                match all_vanish(polys.iter(), &sample) {
                    Some(true) => {
                        let mut vals = values.clone();
                        vals.push((Expr::sym(v), Expr::sym(v)));
                        next.push((vals, guard.clone()));
                    }
                    Some(false) => {}
                    None => coverage = Coverage::Partial,
                }
                continue;
            };
            let sub = crate::univariate::solve_one(main, v, &level_opts)?;
            coverage = coverage.meet(sub.coverage);
            for b in sub.branches {
                let Some(value) = b.exact.as_ref().map(|e| e[0].clone()) else {
                    coverage = Coverage::Partial;
                    continue;
                };
                let pair = (Expr::sym(v), value.clone());
                let Some(joint) = simplify_guard(&Expr::and_all([guard.clone(), b.guard.clone()])) else {
                    continue;
                };
                // The other elements must vanish at the value, under the values the guard fixes.
                let mut at = vec![pair.clone()];
                at.extend(fixed_values(&joint));
                let special = guard_atoms(&joint)
                    .any(|a| matches!(a.kind(), sym_core::Kind::Rel(sym_core::RelOp::Eq, ..)))
                    && at.len() == 1;
                let others: Vec<Expr> = polys.iter().filter(|e| *e != main).map(|e| e.subs_all(&at)).collect();
                match all_vanish(others.iter(), &sample) {
                    Some(true) => {}
                    // Under an equation the sample points do not satisfy, the test says nothing
                    // about the special values: they are dropped and the claim becomes generic.
                    _ if special => {
                        coverage = coverage.meet(Coverage::Generic);
                        continue;
                    }
                    Some(false) => continue,
                    None => {
                        // Undecided (a sample point outside the value's domain): dropped, and
                        // the set no longer claims to be complete.
                        coverage = Coverage::Partial;
                        continue;
                    }
                }
                let mut vals: Vec<(Expr, Expr)> =
                    values.iter().map(|(s, e)| (s.clone(), e.subs(&pair.0, &pair.1))).collect();
                vals.push(pair);
                next.push((vals, joint));
            }
        }
        partial = next;
    }
    for (values, guard) in partial {
        // Values under the parameter values their guard fixes (`a = 0`).
        let fixed = fixed_values(&guard);
        let exact: Vec<Expr> = vars[..nunknowns]
            .iter()
            .map(|s| values.iter().find(|(k, _)| *k == Expr::sym(*s)).map_or_else(|| Expr::sym(*s), |(_, e)| e.clone()))
            .map(|e| if fixed.is_empty() { e } else { e.subs_all(&fixed) })
            .collect();
        // An unknown the guard fixes is given by its value: the equation leaves the guard.
        let unknown_fixed = |a: &&Expr| {
            fixed.iter().any(|(s, v)| {
                **a == Expr::rel(sym_core::RelOp::Eq, s.clone(), v.clone())
                    && s.as_symbol().is_some_and(|s| vars[..nunknowns].contains(&s))
            })
        };
        let guard = Expr::and_all(guard_atoms(&guard).filter(|a| !unknown_fixed(a)).cloned().collect::<Vec<_>>());
        set.branches.push(Branch {
            exact: Some(exact),
            numeric: None,
            guard,
            multiplicity: 1,
            radius: None,
            implicit: None,
        });
    }
    set.coverage = set.coverage.meet(coverage);
    let free_unknowns: Vec<&str> =
        syms[ndep..].iter().filter(|s| vars[..nunknowns].contains(s)).map(|s| s.name()).collect();
    if !free_unknowns.is_empty() {
        set.notes.push(format!("infinitely many solutions, parametrised by {}", free_unknowns.join(", ")));
    }
    if coverage == Coverage::Generic {
        set.notes.push(
            "for generic values of the free unknowns and parameters: special values may carry further solutions".into(),
        );
    }
    Ok(Some(true))
}

/// A conjunction of guards simplified, or `None` when it cannot hold. Atoms `e = 0` and
/// `e != 0` are compared up to a non-zero number; an equation fixing a parameter (`a = 0`,
/// `b - 2 = 0`) is substituted into the others; duplicates go. The cases of an earlier level
/// constrain the parameters, and a later level's case split may contradict them.
fn simplify_guard(guard: &Expr) -> Option<Expr> {
    use sym_core::{Kind, RelOp};
    if let Kind::Bool(b) = guard.kind() {
        return b.then(|| guard.clone());
    }
    let atoms: Vec<Expr> = guard_atoms(guard).cloned().collect();
    let mut rels: Vec<(RelOp, Expr)> = Vec::new();
    let mut others: Vec<Expr> = Vec::new();
    for a in atoms {
        match a.kind() {
            Kind::Rel(op @ (RelOp::Eq | RelOp::Ne), l, r) => rels.push((*op, normalise(&(l.clone() - r.clone())))),
            _ => others.push(a),
        }
    }
    // Substitute the parameters that equations fix, one at a time.
    let mut fixed: Vec<(Expr, Expr)> = Vec::new();
    loop {
        let mut changed = false;
        for i in 0..rels.len() {
            let (op, d) = &rels[i];
            if *op != RelOp::Eq {
                continue;
            }
            let Some((s, value)) = fixes_a_symbol(d) else { continue };
            let pair = (Expr::sym(s), value);
            fixed.push(pair.clone());
            rels.remove(i);
            for (_, e) in rels.iter_mut() {
                *e = normalise(&e.subs(&pair.0, &pair.1));
            }
            changed = true;
            break;
        }
        if !changed {
            break;
        }
    }
    let mut kept: Vec<(RelOp, Expr)> = Vec::new();
    for (op, d) in rels {
        if d.is_number() {
            if d.is_zero() != (op == RelOp::Eq) {
                return None;
            }
            continue;
        }
        if kept.iter().any(|(o, e)| *e == d && *o != op) {
            return None;
        }
        if !kept.contains(&(op, d.clone())) {
            kept.push((op, d));
        }
    }
    let atoms = fixed
        .into_iter()
        .map(|(s, v)| Expr::rel(RelOp::Eq, s, v))
        .chain(kept.into_iter().map(|(op, d)| Expr::rel(op, d, Expr::zero())))
        .chain(others);
    Some(Expr::and_all(atoms))
}

/// The `symbol = number` atoms of a guard, as substitution pairs.
fn fixed_values(guard: &Expr) -> Vec<(Expr, Expr)> {
    guard_atoms(guard)
        .filter_map(|a| match a.kind() {
            sym_core::Kind::Rel(sym_core::RelOp::Eq, l, r) if l.as_symbol().is_some() && r.is_number() => {
                Some((l.clone(), r.clone()))
            }
            _ => None,
        })
        .collect()
}

/// The atoms of a conjunction.
fn guard_atoms(guard: &Expr) -> impl Iterator<Item = &Expr> {
    let atoms: &[Expr] = match guard.kind() {
        sym_core::Kind::And(v) => v,
        _ => std::slice::from_ref(guard),
    };
    atoms.iter()
}

/// `(s, v)` when `d = 0` says `s = v` for a symbol `s` and a number `v` (`d` normalised).
fn fixes_a_symbol(d: &Expr) -> Option<(Symbol, Expr)> {
    let symbols = sym_core::expr::free_symbols(d);
    if symbols.len() != 1 {
        return None;
    }
    let s = *symbols.iter().next()?;
    let c = d.poly_coeffs(s)?;
    (c.len() == 2 && c[1].is_one() && c[0].is_number()).then(|| (s, Expr::neg(c[0].clone())))
}

/// `e` expanded and scaled so that its first term has coefficient 1 (equal up to a non-zero
/// number means equal here).
fn normalise(e: &Expr) -> Expr {
    let x = e.expand().unwrap_or_else(|_| e.clone());
    let Some(first) = x.terms().into_iter().next() else { return x };
    let (k, _) = first.as_coeff_monomial();
    let Some(inv) = k.recip().filter(|_| !x.is_number()) else { return x };
    let scaled = x * Expr::num(inv);
    scaled.expand().unwrap_or(scaled)
}

/// The dimension of the solution set: the size of the largest set of unknowns containing no
/// leading monomial's support; `None` when it is zero (a zero-dimensional ideal).
fn dimension(lms: &[Mono], n: usize) -> Option<usize> {
    let support = |m: Mono| -> u32 { (0..n).filter(|&i| exponent(m, i) > 0).fold(0, |s, i| s | (1 << i)) };
    let supports: Vec<u32> = lms.iter().map(|&m| support(m)).collect();
    (1u32..(1 << n))
        .filter(|&mask| supports.iter().all(|&s| s & !mask != 0))
        .map(|mask| mask.count_ones() as usize)
        .max()
}

/// `p` with variable `perm[j]` renamed to `j` (grevlex terms; any order is re-sorted later).
fn permute(p: &Poly, perm: &[usize]) -> Option<Poly> {
    let terms = p
        .terms
        .iter()
        .map(|(m, c)| {
            let exps: Vec<u64> = perm.iter().map(|&old| exponent(*m, old)).collect();
            Some((pack(&exps)?, c.clone()))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Poly::from_terms(Order::Lex, terms))
}

/// Whether the leading coefficient of `p` in its main unknown `k` (a polynomial in the later
/// dependent unknowns and the free ones) is a number: the only term of the leading degree in
/// `x_k` is that power of `x_k` alone.
fn leading_coefficient_is_number(p: &Poly, k: usize) -> bool {
    let deg = p.terms.iter().map(|(m, _)| exponent(*m, k)).max().unwrap_or(0);
    let top: Vec<&Mono> = p.terms.iter().map(|(m, _)| m).filter(|m| exponent(**m, k) == deg).collect();
    top.len() == 1 && (0..crate::groebner::MAX_VARS).all(|i| i == k || exponent(*top[0], i) == 0)
}

fn to_expr(p: &Poly, syms: &[Symbol]) -> Expr {
    Expr::add_all(p.terms.iter().map(|(m, c)| {
        let factors = syms
            .iter()
            .enumerate()
            .filter(|(i, _)| exponent(*m, *i) > 0)
            .map(|(i, s)| Expr::pow(Expr::sym(*s), Expr::int(exponent(*m, i) as i64)));
        Expr::mul_all(std::iter::once(Expr::num(Number::from_rational(c.clone()))).chain(factors))
    }))
}

/// Two points of the free unknowns for the identity test: fixed complex rationals
/// (reproducible; complex, so that real-only cancellations cannot hide a non-zero function).
fn sample_points(free: &[Symbol]) -> Vec<Point> {
    [(6_180_339, 2_718_281), (-14_142_135, 5_772_156)]
        .iter()
        .map(|&(re, im)| {
            free.iter()
                .enumerate()
                .map(|(i, s)| {
                    let shift = 1_731_001 * i as i64;
                    let z = Expr::rational(re + shift, 10_000_000) + Expr::rational(im - shift, 10_000_000) * Expr::i();
                    (*s, z)
                })
                .collect()
        })
        .collect()
}

/// `e` expanded under small limits (values with radicals substituted into polynomials can expand
/// to huge sums), or `e` itself past them.
fn bounded_expand(e: &Expr) -> Expr {
    let limits = sym_core::expand::ExpandLimits { max_terms: 2_000, max_products: 100_000 };
    e.expand_with(limits).unwrap_or_else(|_| e.clone())
}

/// Whether every `e` is zero: identically after expansion, or numerically at every sample point;
/// `None` when an evaluation fails (a pole or a branch point at a sample).
fn all_vanish<'a>(es: impl Iterator<Item = &'a Expr>, sample: &[Point]) -> Option<bool> {
    for e in es {
        let e = bounded_expand(e);
        if e.is_zero() {
            continue;
        }
        for p in sample {
            let z = eval_at(&e, p, TEST_BITS).ok()?;
            if !(z.real().is_finite() && z.imag().is_finite()) {
                return None;
            }
            if Float::with_val(TEST_BITS, z.abs_ref()).to_f64() >= 1e-50 {
                return Some(false);
            }
        }
    }
    Some(true)
}
