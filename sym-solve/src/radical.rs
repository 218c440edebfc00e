//! Radical equations: eliminate the radicals to a polynomial whose roots contain every solution
//! (an `unrad`), solve that, and keep exactly the candidates that satisfy the original equation
//! under principal branches.
//!
//! # Elimination by norms
//!
//! Every radical `b**(p/q)` whose base contains `x` becomes a power of a new symbol `y` with
//! `y**Q = b` (`Q` the least common multiple of the denominators used with that base; bases are
//! processed innermost first, so nested radicals are fine). The equation's numerator is then a
//! polynomial `F(x, y_1, ..., y_k)`. Each `y` is eliminated by the norm
//! `N(F) = res_y(F, y**Q - b) = det M`, where `M` is the matrix of multiplication by `F` on the
//! basis `1, y, ..., y**(Q-1)` of `K[y]/(y**Q - b)`. `N(F)` vanishes wherever `F` vanishes for
//! some `Q`-th root `y` of `b`, so every solution of the original equation is a root of the
//! final polynomial in `x` (possibly among spurious ones from the other branches).
//!
//! # Verification
//!
//! Candidates are checked in the original equation at high precision (principal branches,
//! [`VERIFY_BITS`] bits): a true root leaves a residual at rounding level, a spurious one a
//! residual of the size of the terms. With parameters and no point to check at, each candidate
//! is returned under the guard that the original equation holds there.

use crate::error::SolveError;
use crate::numeric::{Point, eval_at};
use crate::solution::{Branch, Coverage, SolveOptions};
use rug::Float;
use sym_core::expr::{free_symbols, has_symbol};
use sym_core::{Expr, Kind, RelOp, Symbol};

/// Working precision for verifying candidates.
pub const VERIFY_BITS: u32 = 512;

/// The largest root index `Q` eliminated (the norm is a `Q x Q` determinant).
const MAX_RADICAL_INDEX: i64 = 8;
/// The largest degree in the unknown that radical elimination may produce (the roots of a polynomial of degree
/// 100 with algebraic coefficients are beyond the solver, and the determinants grow fast on the way).
const MAX_ELIMINATED_DEGREE: u64 = 100;

/// Whether `e` is algebraic in `x`: built from `x` with `+ * /` and rational powers only
/// (functions of `x` and symbolic exponents make it transcendental).
pub fn is_algebraic_in(e: &Expr, x: Symbol) -> bool {
    if !has_symbol(e, x) {
        return true;
    }
    match e.kind() {
        Kind::Sym(_) | Kind::Num(_) | Kind::Const(_) => true,
        Kind::Add(a) => a.terms.iter().all(|(t, _)| is_algebraic_in(t, x)),
        Kind::Mul(m) => m.factors.iter().all(|(b, p)| is_algebraic_in(&Expr::pow(b.clone(), p.clone()), x)),
        Kind::Pow(b, p) => !b.is_const(sym_core::Constant::E) && p.as_rational().is_some() && is_algebraic_in(b, x),
        _ => false,
    }
}

/// A radical generator: `y**index = base`.
struct Generator {
    symbol: Symbol,
    base: Expr,
    index: i64,
}

/// The `(base, exponent)` pairs of a node: a power, or each factor of a product.
fn powers(e: &Expr) -> Vec<(Expr, Expr)> {
    match e.kind() {
        Kind::Pow(b, p) => vec![(b.clone(), p.clone())],
        Kind::Mul(m) => m.factors.to_vec(),
        _ => Vec::new(),
    }
}

/// Collects the radicals of `e` (innermost first) into generators.
fn collect(e: &Expr, x: Symbol, gens: &mut Vec<(Expr, i64)>) {
    for c in e.children() {
        collect(&c, x, gens);
    }
    for (b, p) in powers(e) {
        if let Some(r) = p.as_rational()
            && *r.denom() != 1
            && has_symbol(&b, x)
        {
            let q = r.denom().to_i64().unwrap_or(i64::MAX);
            match gens.iter_mut().find(|(g, _)| *g == b) {
                Some((_, idx)) => *idx = lcm(*idx, q),
                None => gens.push((b.clone(), q)),
            }
        }
    }
}

fn lcm(a: i64, b: i64) -> i64 {
    fn gcd(a: i64, b: i64) -> i64 {
        if b == 0 { a.abs() } else { gcd(b, a % b) }
    }
    (a / gcd(a, b)).saturating_mul(b)
}

/// Replaces radicals by powers of the generators' symbols (bottom-up, so bases are compared in
/// their replaced form, as stored in the generators).
fn replace(e: &Expr, gens: &[Generator]) -> Expr {
    let power = |b: &Expr, p: &Expr| -> Expr {
        let nb = replace(b, gens);
        if let Some(r) = p.as_rational()
            && *r.denom() != 1
            && let Some(g) = gens.iter().find(|g| g.base == nb)
        {
            // b**(p/q) = y**(p*Q/q).
            let k = rug::Rational::from(&r * g.index);
            if let Some(k) = k.numer().to_i64().filter(|_| *k.denom() == 1) {
                return Expr::pow(Expr::sym(g.symbol), Expr::int(k));
            }
        }
        Expr::pow(nb, replace(p, gens))
    };
    match e.kind() {
        Kind::Pow(b, p) => power(b, p),
        Kind::Mul(m) => {
            let mut parts = vec![Expr::num(m.coeff.clone())];
            parts.extend(m.factors.iter().map(|(b, p)| power(b, p)));
            Expr::mul_all(parts)
        }
        _ => sym_core::expr::map_children::<std::convert::Infallible>(e, |c| Ok(replace(c, gens)))
            .unwrap_or_else(|n| match n {}),
    }
}

/// Expands and returns the polynomial numerator of `e`.
fn numerator(e: &Expr) -> Result<Expr, SolveError> {
    let (n, _) = e.as_numer_denom();
    Ok(n.expand()?)
}

/// The norm `res_y(F, y**q - b)`: the determinant of multiplication by `F` in `K[y]/(y**q - b)`.
fn norm(f: &Expr, y: Symbol, q: i64, b: &Expr, x: Symbol) -> Result<Expr, SolveError> {
    let coeffs = f.poly_coeffs(y).ok_or_else(|| SolveError::NotAnEquation(f.to_string()))?;
    // The degree in `x` of the norm (a resultant of `F` and `y**q - b` in `y`) is at most
    // `q max_i deg c_i + deg_y F deg b`: refused beyond the limit before any work.
    let deg = |e: &Expr| crate::univariate::degree_bound(e, x).unwrap_or(u64::MAX);
    let bound = (q as u64)
        .saturating_mul(coeffs.iter().map(deg).max().unwrap_or(0))
        .saturating_add((coeffs.len() as u64).saturating_sub(1).saturating_mul(deg(&b.as_numer_denom().0)));
    if bound > MAX_ELIMINATED_DEGREE {
        return Err(SolveError::Limit { what: "degree of the eliminated polynomial", limit: MAX_ELIMINATED_DEGREE });
    }
    let q = q as usize;
    // Reduce F mod y**q - b: y**(j + q*m) = b**m y**j.
    let mut red: Vec<Expr> = vec![Expr::zero(); q];
    for (i, c) in coeffs.iter().enumerate() {
        let (m, j) = (i / q, i % q);
        red[j] = red[j].clone() + c.clone() * Expr::pow(b.clone(), Expr::int(m as i64));
    }
    // Column j of M holds y**j * F mod (y**q - b).
    let mut m = vec![vec![Expr::zero(); q]; q];
    for (j, col) in (0..q).map(|j| (j, j)) {
        for (i, c) in red.iter().enumerate() {
            let deg = i + col;
            let (row, wrap) = (deg % q, deg / q);
            let term = if wrap > 0 { c.clone() * Expr::pow(b.clone(), Expr::int(wrap as i64)) } else { c.clone() };
            m[row][j] = m[row][j].clone() + term;
        }
    }
    let det = determinant(&m);
    Ok(det.expand()?)
}

/// Determinant by Laplace expansion with memoisation over column subsets (fine for `n <= 8`).
fn determinant(m: &[Vec<Expr>]) -> Expr {
    let n = m.len();
    let mut memo: std::collections::HashMap<u32, Expr> = std::collections::HashMap::new();
    fn rec(m: &[Vec<Expr>], row: usize, cols: u32, memo: &mut std::collections::HashMap<u32, Expr>) -> Expr {
        let n = m.len();
        if row == n {
            return Expr::one();
        }
        if let Some(v) = memo.get(&cols) {
            return v.clone();
        }
        let mut acc = Vec::new();
        let mut sign = 1i64;
        for c in 0..n {
            if cols & (1 << c) != 0 {
                continue;
            }
            if !m[row][c].is_zero() {
                let minor = rec(m, row + 1, cols | (1 << c), memo);
                acc.push(Expr::int(sign) * m[row][c].clone() * minor);
            }
            sign = -sign;
        }
        let v = Expr::add_all(acc);
        let v = v.expand().unwrap_or(v);
        memo.insert(cols, v.clone());
        v
    }
    if n == 0 {
        return Expr::one();
    }
    rec(m, 0, 0, &mut memo)
}

/// The polynomial in `x` whose roots contain every solution of `f = 0`.
pub fn unrad(f: &Expr, x: Symbol) -> Result<Expr, SolveError> {
    let mut raw = Vec::new();
    collect(f, x, &mut raw);
    let mut gens: Vec<Generator> = Vec::new();
    for (i, (base, index)) in raw.into_iter().enumerate() {
        if index > MAX_RADICAL_INDEX {
            return Err(SolveError::Limit { what: "radical index", limit: MAX_RADICAL_INDEX as u64 });
        }
        let base = replace(&base, &gens);
        let symbol = Symbol::new(&format!("_unrad_{}_{i}", x.name()));
        gens.push(Generator { symbol, base, index });
    }
    let mut p = numerator(&replace(f, &gens))?;
    for g in gens.iter().rev() {
        let (bn, bd) = g.base.as_numer_denom();
        // y**Q = bn/bd: eliminate y from F, then clear bd (a power of it divides the norm's denominator).
        let nb = norm(&p, g.symbol, g.index, &(bn / bd), x)?;
        p = numerator(&nb)?;
    }
    Ok(p)
}

/// Solves a radical equation `f = 0` for `x`. Returns branches, a coverage claim and notes.
pub fn solve_radical(
    f: &Expr,
    x: Symbol,
    opts: &SolveOptions,
) -> Result<(Vec<Branch>, Coverage, Vec<String>), SolveError> {
    let p = unrad(f, x)?;
    if !p.is_polynomial_in(x) {
        return Ok((Vec::new(), Coverage::Partial, vec!["radicals could not be eliminated".into()]));
    }
    if !has_symbol(&p, x) {
        // The elimination lost x: no finite polynomial condition, nothing to report as complete.
        return Ok((
            Vec::new(),
            Coverage::Partial,
            vec!["the radical elimination did not produce a polynomial in the unknown".into()],
        ));
    }
    // A high degree with algebraic (not rational) coefficients: unless the polynomial factors, the roots would be
    // `RootOf`s that cannot be evaluated, so none of them could be checked; the factoring itself is costly there.
    if let Some(c) = p.poly_coeffs(x)
        && c.len() > 25
        && crate::algebraic::rational_coeffs(&c).is_none()
        && free_symbols(&p).len() == 1
    {
        return Ok((
            Vec::new(),
            Coverage::Partial,
            vec![format!("the eliminated polynomial has degree {} and algebraic coefficients", c.len() - 1)],
        ));
    }
    let inner_opts = SolveOptions { domain: crate::solution::Domain::Complex, interval: None, ..opts.clone() };
    let cands = crate::univariate::solve_one(&p, x, &inner_opts)?;
    let params: Vec<Symbol> = free_symbols(f).into_iter().filter(|s| *s != x).collect();
    let mut out = Vec::new();
    let mut unverified = false;
    for b in cands.branches {
        let Some(v) = b.exact.as_ref().map(|e| e[0].clone()) else { continue };
        if params.is_empty() {
            match satisfies(f, x, &v, &Point::new()) {
                Ok(true) => out.push(Branch { multiplicity: 1, ..b }),
                Ok(false) => {}
                // A candidate that cannot be evaluated (a `RootOf` with algebraic coefficients) may be a root.
                Err(_) => unverified = true,
            }
        } else {
            let residual = f.subs(&Expr::sym(x), &v);
            let guard = Expr::and_all([b.guard.clone(), Expr::rel(RelOp::Eq, residual, Expr::zero())]);
            out.push(Branch { guard, multiplicity: 1, ..b });
        }
    }
    dedup_branches(&mut out);
    if unverified {
        return Ok((out, Coverage::Partial, vec!["some candidate roots could not be evaluated to check them".into()]));
    }
    Ok((out, cands.coverage, Vec::new()))
}

/// Whether `x = v` satisfies `f = 0` at the point (principal branches, high precision).
pub fn satisfies(f: &Expr, x: Symbol, v: &Expr, point: &Point) -> Result<bool, SolveError> {
    let at = f.subs(&Expr::sym(x), v);
    let val = match eval_at(&at, point, VERIFY_BITS) {
        Ok(z) => z,
        Err(SolveError::Core(_)) => return Ok(false),
        Err(e) => return Err(e),
    };
    let scale = term_scale(f, x, v, point);
    let m = Float::with_val(VERIFY_BITS, val.abs_ref());
    Ok(m.to_f64() <= scale * 1e-100)
}

/// The largest modulus among the terms of `f` at the candidate (the scale of the residual).
fn term_scale(f: &Expr, x: Symbol, v: &Expr, point: &Point) -> f64 {
    let mut s = 1.0f64;
    for t in f.terms() {
        if let Ok(z) = eval_at(&t.subs(&Expr::sym(x), v), point, 128) {
            s = s.max(Float::with_val(128, z.abs_ref()).to_f64());
        }
    }
    s
}

/// Removes duplicate values (the same root found through two factors).
fn dedup_branches(bs: &mut Vec<Branch>) {
    let mut seen: Vec<Expr> = Vec::new();
    bs.retain(|b| match &b.exact {
        Some(v) if seen.contains(&v[0]) => false,
        Some(v) => {
            seen.push(v[0].clone());
            true
        }
        None => true,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use sym_core::parse;

    #[test]
    fn elimination_polynomials() {
        let x = Symbol::new("x");
        let p = unrad(&parse("sqrt(x) - 1").unwrap(), x).unwrap();
        let c = p.poly_coeffs(x).unwrap();
        assert_eq!((c.len(), (c[0].clone() + c[1].clone()).is_zero()), (2, true), "{p}");
        let p = unrad(&parse("x + sqrt(2*x**2 - 7) - 3").unwrap(), x).unwrap();
        assert_eq!(p.poly_coeffs(x).unwrap().len(), 3);
        let p = unrad(&parse("x**(1/3) + sqrt(x) - 2").unwrap(), x).unwrap();
        assert!(p.is_polynomial_in(x), "{p}");
    }
}
