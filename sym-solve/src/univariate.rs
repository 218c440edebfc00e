//! One equation in one unknown: classification and the polynomial and rational cases.
//!
//! `f(x) = 0` is written `n(x)/d(x)` over a common denominator. When `n` and `d` are polynomials
//! in `x`:
//!
//! * with rational coefficients, common factors are cancelled (`gcd(n, d)`), so the roots of the
//!   reduced numerator are exactly the solutions (no pole can be a root), and they are found
//!   exactly ([`crate::algebraic`]): complete;
//! * with symbolic coefficients (parameters, radicals, `I`, `E`), the closed forms of degree 1 to
//!   4 are used under the guard that the leading coefficient does not vanish, and the cases
//!   where it does are solved recursively under their guards; degree 5 and up gives parametric
//!   `RootOf`s. Roots of `n` that make `d` vanish are excluded where the test is decidable.
//!
//! Radical equations go to [`crate::radical`]; anything else is reported as partial.
//! Floats in the input are replaced by their exact binary values first (so a root of
//! `x - 0.5` is exactly `1/2`), and exact forms are then withheld from the output.

use crate::algebraic::{integer_poly, rational_coeffs, solve_rational_poly};
use crate::closed_form::closed_form_cases;
use crate::error::SolveError;
use crate::solution::{Branch, Coverage, Domain, SolutionSet, SolveOptions};
use sym_core::poly::RationalField;
use sym_core::{Expr, Kind, Number, RelOp, Symbol};

/// How many nested leading-coefficient case splits the parametric solver makes.
const MAX_CASE_DEPTH: usize = 3;

/// What kind of equation `f = 0` is in `x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EquationKind {
    /// A polynomial in `x`.
    Polynomial,
    /// A ratio of polynomials in `x`.
    Rational,
    /// Algebraic: rational powers of expressions in `x`.
    Radical,
    /// Anything else (functions of `x`, symbolic exponents).
    Transcendental,
}

/// Classifies `f = 0` as an equation in `x`.
pub fn classify(f: &Expr, x: Symbol) -> EquationKind {
    if f.is_polynomial_in(x) {
        return EquationKind::Polynomial;
    }
    let (n, d) = f.as_numer_denom();
    if n.is_polynomial_in(x) && d.is_polynomial_in(x) {
        return EquationKind::Rational;
    }
    if crate::radical::is_algebraic_in(f, x) { EquationKind::Radical } else { EquationKind::Transcendental }
}

/// Solves `f = 0` for `x`.
pub fn solve_one(f: &Expr, x: Symbol, opts: &SolveOptions) -> Result<SolutionSet, SolveError> {
    if f.is_condition() {
        return Err(SolveError::NotAnEquation(f.to_string()));
    }
    if !sym_core::expr::has_symbol(f, x) {
        return Err(SolveError::UnknownAbsent(x.name().to_string()));
    }
    let had_floats = has_floats(f);
    let f = if had_floats { rationalize_floats(f) } else { f.clone() };
    let domain = if opts.interval.is_some() { Domain::Real } else { opts.domain };
    let mut set = SolutionSet::empty(vec![x], domain, Coverage::Complete);
    let (n, d) = f.as_numer_denom();
    let poly_case = n.is_polynomial_in(x) && d.is_polynomial_in(x);
    if poly_case {
        let (branches, coverage) = solve_rational_function(&n, &d, x, opts)?;
        set.branches = branches;
        set.coverage = coverage;
    } else if crate::radical::is_algebraic_in(&f, x) {
        absorb(&mut set, "radical elimination", crate::radical::solve_radical(&f, x, opts))?;
        numeric_fallback(&mut set, &f, x, opts);
    } else {
        absorb(&mut set, "transcendental solving", crate::transcendental::solve_transcendental(&f, x, opts))?;
    }
    if had_floats {
        set.inexact_input = true;
        set.notes.push("floats in the input were taken at their exact binary values".into());
    }
    exclude_poles(&mut set, &f, x);
    crate::filter::restrict_domain(&mut set, &f, opts);
    Ok(set)
}

/// Puts a solver's `(branches, coverage, notes)` into `set`; a limit error makes the set partial
/// with a note naming the `stage` that stopped, other errors are returned.
fn absorb(
    set: &mut SolutionSet,
    stage: &str,
    result: Result<(Vec<Branch>, Coverage, Vec<String>), SolveError>,
) -> Result<(), SolveError> {
    match result {
        Ok((branches, coverage, notes)) => {
            set.branches = branches;
            set.coverage = coverage;
            set.notes.extend(notes);
            Ok(())
        }
        Err(SolveError::Limit { what, limit }) => {
            set.coverage = Coverage::Partial;
            set.notes.push(format!("{stage} stopped: {what} over the limit {limit}"));
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Completes a radical equation that elimination could not solve (`set` partial), with no symbol but `x`, in the
/// real domain, by the certified numeric search ([`crate::certified::equation_roots`]), which adds every real root
/// it can prove. When `f` is a sum of rational powers of `x` ([`crate::fewnomial`]), the half-lines are treated
/// apart: `x > 0` only within the root bound, so the answer there is complete when the search is (or when it finds
/// as many roots as Laguerre's rule allows); `x < 0` not at all when the imaginary part has no root there (else
/// the claim is partial); `x = 0` exactly.
fn numeric_fallback(set: &mut SolutionSet, f: &Expr, x: Symbol, opts: &SolveOptions) {
    let real = opts.domain == Domain::Real || opts.interval.is_some();
    if set.coverage == Coverage::Complete || !real || sym_core::expr::free_symbols(f).into_iter().any(|s| s != x) {
        return;
    }
    let seen: Vec<rug::Complex> = set
        .branches
        .iter()
        .filter_map(|b| b.exact.as_ref())
        .filter_map(|e| crate::numeric::eval_at(&e[0], &crate::numeric::Point::new(), 512).ok())
        .collect();
    let whole = crate::Interval {
        lo: Expr::constant(sym_core::Constant::NegInfinity),
        hi: Expr::constant(sym_core::Constant::Infinity),
        lo_open: true,
        hi_open: true,
    };
    let iv = opts.interval.clone().unwrap_or(whole);
    let (lo, hi) = (iv.lo.as_rational(), iv.hi.as_rational());
    let bound = if hi.as_ref().is_none_or(|h| *h > 0) { crate::fewnomial::analyse(f, x) } else { None };
    let Some(bound) = bound else {
        set.coverage =
            crate::transcendental::certified_search(f, x, opts, real, &seen, &mut set.branches, &mut set.notes);
        return;
    };
    let mut complete = true;
    let search = |part: crate::Interval, set: &mut SolutionSet| {
        let inner = SolveOptions { interval: Some(part), ..opts.clone() };
        crate::transcendental::certified_search(f, x, &inner, real, &seen, &mut set.branches, &mut set.notes)
            == Coverage::Complete
    };
    // x < 0.
    if lo.as_ref().is_none_or(|l| *l < 0) {
        if bound.no_negative_root {
            set.notes.push(format!("no root {x} < 0: the imaginary part has none (principal branches)"));
        } else {
            // The interval enclosures see only real values, and a negative x makes every non-integer power
            // non-real: a root there (imaginary parts cancelling, as `x**(1/3) - x**(2/3) - 1` at -1) is beyond
            // the numeric search.
            complete = false;
            set.notes.push(format!("roots {x} < 0 were not searched (the imaginary parts may cancel there)"));
        }
    }
    // x = 0.
    let zero_in = |end: &Option<rug::Rational>, open: bool, below: bool| match end {
        None => true,
        Some(e) if *e == 0 => !open,
        Some(e) => (*e < 0) == below,
    };
    if zero_in(&lo, iv.lo_open, true)
        && zero_in(&hi, iv.hi_open, false)
        && f.subs(&Expr::sym(x), &Expr::zero()).is_zero()
    {
        let known = seen.iter().any(|z| z.real().is_zero() && z.imag().is_zero());
        if !known {
            set.branches.insert(0, Branch::exact(Expr::zero(), Expr::true_(), 1));
        }
    }
    // x > 0: the interval cut to the root bound's window. A bound below 2^-60 (it can underflow to 0: two
    // exponents 3e-15 apart put a root near 10^(-1.6e14)) is raised to 2^-60, and the roots below it are left to
    // Laguerre's count: bisecting towards such a root would only spend the search's box budget.
    let tiny = rug::Rational::from((1, 1u64 << 60));
    let (lower, unsearched) = if bound.lower < tiny {
        (tiny.clone(), lo.as_ref().is_none_or(|l| *l < tiny))
    } else {
        (bound.lower.clone(), false)
    };
    let (wlo, wlo_open) = match lo {
        Some(l) if l >= lower => (l, iv.lo_open),
        _ => (lower, false),
    };
    let (whi, whi_open) = match hi {
        Some(h) if h <= bound.upper => (h, iv.hi_open),
        _ => (bound.upper.clone(), false),
    };
    let window = format!("[{}, {}]", wlo.to_f64(), whi.to_f64());
    if wlo <= whi {
        let before = set.branches.len();
        let part = crate::Interval {
            lo: Expr::num(Number::from(wlo.clone())),
            hi: Expr::num(Number::from(whi.clone())),
            lo_open: wlo_open,
            hi_open: whi_open,
        };
        let searched = search(part, set) && !unsearched;
        let inside = |z: &rug::Complex| {
            z.imag().is_zero() && rug::Float::with_val(512, z.real()) > 0 && {
                let r = z.real().to_rational();
                r.is_some_and(|r| r >= wlo && r <= whi)
            }
        };
        let found = seen.iter().filter(|z| inside(z)).count() + set.branches.len() - before;
        if searched {
            set.notes.push(format!("a sum of powers of {x}: every positive root lies in {window} (root bound)"));
        } else if found == bound.sign_changes {
            set.notes.push(format!(
                "a sum of powers of {x}: {found} certified positive roots, as many as the coefficients change sign \
                 (Laguerre's rule)"
            ));
        } else {
            complete = false;
            if unsearched {
                set.notes.push(format!("positive roots below {} were not searched", tiny.to_f64()));
            }
        }
    }
    set.coverage = if complete { Coverage::Complete } else { Coverage::Partial };
    crate::transcendental::sort_by_real_value(&mut set.branches);
}

/// The bases of every negative power in `e` (the expressions that must not vanish).
fn denominators(e: &Expr, out: &mut Vec<Expr>) {
    let pairs: Vec<(Expr, Expr)> = match e.kind() {
        Kind::Pow(b, p) => vec![(b.clone(), p.clone())],
        Kind::Mul(m) => m.factors.to_vec(),
        _ => Vec::new(),
    };
    for (b, p) in pairs {
        if p.as_number().is_some_and(Number::is_negative) && !out.contains(&b) {
            out.push(b);
        }
    }
    for c in e.children() {
        denominators(&c, out);
    }
}

/// Removes numeric roots at which some denominator of the original equation vanishes (the
/// combined numerator can have roots there: `(x - 1)/(1 + 1/(x - 1))` is `(x - 1)**2/x` after
/// clearing, but `x = 1` is not a solution).
fn exclude_poles(set: &mut SolutionSet, f: &Expr, x: Symbol) {
    let mut dens = Vec::new();
    denominators(f, &mut dens);
    dens.retain(|d| sym_core::expr::has_symbol(d, x));
    if dens.is_empty() {
        return;
    }
    set.branches.retain(|b| {
        let Some(v) = b.exact.as_ref().map(|e| e[0].clone()) else { return true };
        if !sym_core::expr::free_symbols(&v).is_empty() {
            return true;
        }
        !dens.iter().any(|d| {
            let at = d.subs(&Expr::sym(x), &v);
            match crate::numeric::eval_at(&at, &Default::default(), 256) {
                Ok(z) => rug::Float::with_val(256, z.abs_ref()).to_f64() < 1e-60,
                Err(_) => true,
            }
        })
    });
}

/// Roots of `n/d` for polynomials `n` and `d` in `x`.
fn solve_rational_function(
    n: &Expr,
    d: &Expr,
    x: Symbol,
    opts: &SolveOptions,
) -> Result<(Vec<Branch>, Coverage), SolveError> {
    // The degree is bounded before expansion, so that `x**1000000000 - 1` is refused before a
    // coefficient vector of that length is built.
    for part in [n, d] {
        if degree_bound(part, x).is_none_or(|k| k > opts.max_degree as u64) {
            return Err(SolveError::Limit { what: "polynomial degree", limit: opts.max_degree as u64 });
        }
    }
    let cn = n.poly_coeffs(x).ok_or_else(|| SolveError::NotAnEquation(n.to_string()))?;
    let cd = d.poly_coeffs(x).ok_or_else(|| SolveError::NotAnEquation(d.to_string()))?;
    if cn.is_empty() {
        // The numerator vanishes identically: every x that is not a pole solves it.
        return Ok((
            vec![Branch::exact(Expr::sym(x), Expr::rel(RelOp::Ne, d.clone(), Expr::zero()), 1)],
            Coverage::Complete,
        ));
    }
    if let (Some(qn), Some(qd)) = (rational_coeffs(&cn), rational_coeffs(&cd)) {
        // Cancel gcd(n, d): the reduced numerator has no root in common with d.
        let pn = integer_poly(&qn);
        let pd = integer_poly(&qd);
        let g = pn.gcd(&pd);
        let reduced = if g.degree().is_some_and(|k| k > 0) { pn.div_exact(&g).unwrap_or(pn) } else { pn };
        let qr: Vec<rug::Rational> = reduced.coeffs().iter().map(|c| rug::Rational::from(c.to_integer())).collect();
        let _ = RationalField;
        if qr.len() <= 1 {
            return Ok((Vec::new(), Coverage::Complete));
        }
        return Ok((solve_rational_poly(&qr, x, opts), Coverage::Complete));
    }
    let mut coverage = Coverage::Complete;
    let mut branches = Vec::new();
    parametric(&cn, x, Expr::true_(), 0, opts, &mut branches, &mut coverage);
    // Exclude roots that make the denominator vanish identically; keep a guard otherwise.
    if !cd.iter().skip(1).all(Expr::is_zero) {
        let mut kept = Vec::with_capacity(branches.len());
        for mut b in branches {
            let Some(v) = b.exact.as_ref().map(|e| e[0].clone()) else {
                kept.push(b);
                continue;
            };
            let dv = d.subs(&Expr::sym(x), &v);
            let dv = dv.expand().unwrap_or(dv);
            if dv.is_zero() {
                continue;
            }
            if !dv.is_number() {
                b.guard = Expr::and_all([b.guard, Expr::rel(RelOp::Ne, dv, Expr::zero())]);
            }
            kept.push(b);
        }
        branches = kept;
    }
    Ok((branches, coverage))
}

/// An upper bound on the degree in `x` of a polynomial expression in `x`, without expanding:
/// the maximum over the terms of a sum, the sum over the factors of a product, `k` times the
/// base's bound for a power with exponent `k`. Saturates instead of overflowing; `None` for
/// parts that are not polynomial in `x` (the caller has checked that they are not there).
pub(crate) fn degree_bound(e: &Expr, x: Symbol) -> Option<u64> {
    if !sym_core::expr::has_symbol(e, x) {
        return Some(0);
    }
    match e.kind() {
        Kind::Sym(_) => Some(1),
        Kind::Add(a) => a.terms.iter().try_fold(0u64, |m, (t, _)| Some(m.max(degree_bound(t, x)?))),
        Kind::Mul(m) => m.factors.iter().try_fold(0u64, |acc, (b, p)| Some(acc.saturating_add(power_bound(b, p, x)?))),
        Kind::Pow(b, p) => power_bound(b, p, x),
        _ => None,
    }
}

/// The degree bound of `b**p` for a non-negative integer `p`.
fn power_bound(b: &Expr, p: &Expr, x: Symbol) -> Option<u64> {
    let db = degree_bound(b, x)?;
    if db == 0 {
        return Some(0);
    }
    let k = p.as_number().filter(|n| n.is_integer() && !n.is_negative())?;
    let k = k.to_integer().and_then(|i| i.to_u64()).unwrap_or(u64::MAX);
    Some(db.saturating_mul(k))
}

/// Solves `sum c_i x**i = 0` with symbolic coefficients, splitting on the leading coefficient.
fn parametric(
    c: &[Expr],
    x: Symbol,
    guard: Expr,
    depth: usize,
    opts: &SolveOptions,
    out: &mut Vec<Branch>,
    coverage: &mut Coverage,
) {
    let mut c = c.to_vec();
    while c.last().is_some_and(Expr::is_zero) {
        c.pop();
    }
    match c.len() {
        0 => {
            // 0 = 0: every x solves it under this guard.
            out.push(Branch::exact(Expr::sym(x), guard, 1));
            return;
        }
        1 => {
            // A constant: no solution unless it vanishes, which is a condition on parameters.
            if !c[0].is_number() {
                out.push(Branch::exact(
                    Expr::sym(x),
                    Expr::and_all([guard, Expr::rel(RelOp::Eq, vanishing_part(&c[0]), Expr::zero())]),
                    1,
                ));
            }
            return;
        }
        _ => {}
    }
    // Strip x**k factors: x = 0 is a root of multiplicity k.
    let k = c.iter().take_while(|e| e.is_zero()).count();
    if k > 0 {
        out.push(Branch::exact(Expr::zero(), guard.clone(), k as u32));
        c.drain(..k);
        if c.len() == 1 {
            // `a x**k = 0`: when `a` vanishes, every x.
            if !c[0].is_number() {
                out.push(Branch::exact(
                    Expr::sym(x),
                    Expr::and_all([guard, Expr::rel(RelOp::Eq, vanishing_part(&c[0]), Expr::zero())]),
                    1,
                ));
            }
            return;
        }
    }
    // A content in the parameters, `g(p) * q(x, p)`: the roots of `q` solve the equation for
    // every parameter value (no guard needed), and where `g` vanishes every x does.
    if let Some((g, prim)) = parameter_content(&c) {
        parametric(&prim, x, guard.clone(), depth, opts, out, coverage);
        out.push(Branch::exact(
            Expr::sym(x),
            Expr::and_all([guard, Expr::rel(RelOp::Eq, vanishing_part(&g), Expr::zero())]),
            1,
        ));
        return;
    }
    let lead = c[c.len() - 1].clone();
    let lead_may_vanish = may_vanish(&lead);
    let main_guard = if lead_may_vanish {
        Expr::and_all([guard.clone(), Expr::rel(RelOp::Ne, vanishing_part(&lead), Expr::zero())])
    } else {
        guard.clone()
    };
    let degree = c.len() - 1;
    if degree <= 4 && (degree < 4 || opts.quartic_radicals) {
        match closed_form_cases(&c) {
            Some(cases) => {
                for case in cases {
                    let g = Expr::and_all([main_guard.clone(), case.guard]);
                    for r in case.roots {
                        out.push(Branch::exact(r, g.clone(), 1));
                    }
                }
            }
            None => *coverage = Coverage::Partial,
        }
    } else {
        let poly = Expr::add_all(
            c.iter().enumerate().map(|(i, ci)| ci.clone() * Expr::pow(Expr::sym(x), Expr::int(i as i64))),
        );
        for k in 0..degree as u32 {
            out.push(Branch::exact(Expr::root_of(poly.clone(), x, k), main_guard.clone(), 1));
        }
    }
    if lead_may_vanish {
        if depth < MAX_CASE_DEPTH {
            let sub_guard = Expr::and_all([guard, Expr::rel(RelOp::Eq, vanishing_part(&lead), Expr::zero())]);
            let lower: Vec<Expr> = c[..c.len() - 1].to_vec();
            parametric(&lower, x, sub_guard, depth + 1, opts, out, coverage);
        } else {
            *coverage = (*coverage).meet(Coverage::Generic);
        }
    }
}

/// The content `g` of coefficients polynomial in their parameters (their gcd, a polynomial with
/// symbols) and the primitive coefficients `c_i / g`, or `None` when the content is a number or
/// a coefficient is not polynomial.
fn parameter_content(c: &[Expr]) -> Option<(Expr, Vec<Expr>)> {
    use sym_core::poly::expr::{Generators, expr_to_mpoly, mpoly_to_expr};
    use sym_core::poly::{Lex, Limits, MPoly};
    if content_is_constant(c) {
        return None;
    }
    let limits = Limits { max_terms: 10_000, ..Limits::default() };
    let mut gens = Generators::new([]);
    let convert = |gens: &mut Generators| -> Option<Vec<MPoly<RationalField, Lex>>> {
        c.iter().map(|e| expr_to_mpoly::<Lex>(e, gens, &limits).ok()).collect()
    };
    let mut polys = convert(&mut gens)?;
    if polys.iter().any(|p| p.nvars() != gens.len()) {
        // Generators found late: convert again with the full list.
        polys = convert(&mut gens)?;
    }
    let g = polys.iter().filter(|p| !p.is_zero()).try_fold(None::<MPoly<RationalField, Lex>>, |acc, p| {
        let next = match acc {
            None => p.clone(),
            Some(a) => a.gcd(p),
        };
        if next.is_constant() { None } else { Some(Some(next)) }
    })??;
    let content = mpoly_to_expr(&g, gens.gens());
    if sym_core::expr::free_symbols(&content).is_empty() {
        return None;
    }
    let prim =
        polys.iter().map(|p| p.div_exact(&g).ok().map(|q| mpoly_to_expr(&q, gens.gens()))).collect::<Option<_>>()?;
    Some((content, prim))
}

/// Whether the coefficients' content is plainly a number, without converting them: a non-zero
/// number among them, or monomials in symbols (`a`, `3*a**2*b`) with no symbol common to all of
/// them. A content with a symbol divides each monomial, so it is a monomial in that monomial's
/// symbols; other coefficients only narrow it further.
fn content_is_constant(c: &[Expr]) -> bool {
    let mut common: Option<Vec<Symbol>> = None;
    for e in c {
        if e.is_zero() {
            continue;
        }
        if let Some(n) = e.as_number() {
            // A non-zero exact number (floats are left to the conversion).
            if n.is_exact() {
                return true;
            }
            continue;
        }
        let Some(symbols) = monomial_symbols(e) else { continue };
        let next: Vec<Symbol> = match common {
            None => symbols,
            Some(prev) => prev.into_iter().filter(|s| symbols.contains(s)).collect(),
        };
        if next.is_empty() {
            return true;
        }
        common = Some(next);
    }
    false
}

/// The symbols of a monomial in symbols with positive integer exponents and a numeric
/// coefficient (`a`, `-2*a*b**3`), or `None` for any other expression.
fn monomial_symbols(e: &Expr) -> Option<Vec<Symbol>> {
    let power = |b: &Expr, k: &Expr| b.as_symbol().filter(|_| k.as_i64().is_some_and(|k| k > 0));
    match e.kind() {
        Kind::Sym(s) => Some(vec![*s]),
        Kind::Pow(b, k) => power(b, k).map(|s| vec![s]),
        Kind::Mul(m) if m.coeff.is_exact() => m.factors.iter().map(|(b, k)| power(b, k)).collect(),
        _ => None,
    }
}

/// An expression that vanishes exactly where `e` does, for guards: for a polynomial over `Q` in
/// its symbols, its square-free part `p / gcd(p, dp/dx_1, ..., dp/dx_n)` without numeric content
/// (`2*a**2` gives `a`); anything else as it is.
fn vanishing_part(e: &Expr) -> Expr {
    use sym_core::poly::expr::{Generators, expr_to_mpoly, mpoly_to_expr};
    use sym_core::poly::{Lex, Limits};
    // A number, and a symbol (square-free and primitive), are their own vanishing parts.
    if e.is_number() || e.as_symbol().is_some() {
        return e.clone();
    }
    let mut gens = Generators::new([]);
    let Ok(p) = expr_to_mpoly::<Lex>(e, &mut gens, &Limits { max_terms: 2_000, ..Limits::default() }) else {
        return e.clone();
    };
    if gens.gens().iter().any(|g| g.as_symbol().is_none()) {
        return e.clone();
    }
    let g = (0..p.nvars()).fold(p.clone(), |g, v| g.gcd(&p.derivative(v)));
    let Ok(sqf) = p.div_exact(&g) else { return e.clone() };
    let (_, prim) = sqf.content_primitive();
    mpoly_to_expr(&prim, gens.gens())
}

/// Whether a coefficient may be zero: it has parameters, or it is a constant that does not
/// evaluate to a clearly non-zero number.
fn may_vanish(c: &Expr) -> bool {
    if c.is_number() {
        return c.is_zero();
    }
    if !sym_core::expr::free_symbols(c).is_empty() {
        return true;
    }
    match crate::numeric::eval_at(c, &Default::default(), 256) {
        Ok(z) => rug::Float::with_val(256, z.abs_ref()).to_f64() < 1e-50,
        Err(_) => true,
    }
}

/// Whether `e` contains a floating-point number.
pub fn has_floats(e: &Expr) -> bool {
    let mut stack = vec![e.clone()];
    while let Some(n) = stack.pop() {
        if let Kind::Num(num) = n.kind()
            && num.is_float()
        {
            return true;
        }
        if let Kind::Mul(m) = n.kind()
            && m.coeff.is_float()
        {
            return true;
        }
        if let Kind::Add(a) = n.kind()
            && (a.constant.is_float() || a.terms.iter().any(|(_, c)| c.is_float()))
        {
            return true;
        }
        stack.extend(n.children());
    }
    false
}

/// Replaces every float by the exact rational it represents.
pub fn rationalize_floats(e: &Expr) -> Expr {
    fn exact(n: &Number) -> Number {
        match n {
            Number::Float(f) => f.to_rational().map(Number::from_rational).unwrap_or(Number::ZERO),
            other => other.clone(),
        }
    }
    match e.kind() {
        Kind::Num(n) => Expr::num(exact(n)),
        Kind::Add(a) => {
            let mut parts = vec![Expr::num(exact(&a.constant))];
            for (t, c) in a.terms.iter() {
                parts.push(Expr::num(exact(c)) * rationalize_floats(t));
            }
            Expr::add_all(parts)
        }
        Kind::Mul(m) => {
            let mut parts = vec![Expr::num(exact(&m.coeff))];
            for (b, p) in m.factors.iter() {
                parts.push(Expr::pow(rationalize_floats(b), rationalize_floats(p)));
            }
            Expr::mul_all(parts)
        }
        _ => sym_core::expr::map_children::<std::convert::Infallible>(e, |c| Ok(rationalize_floats(c)))
            .unwrap_or_else(|n| match n {}),
    }
}
