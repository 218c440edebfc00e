//! Transcendental equations in one unknown: inversion, substitution, logarithm combination and
//! Lambert W, with every candidate verified in the original equation.
//!
//! The solver rewrites `f(x) = 0` step by step into simpler equations whose solutions contain
//! those of `f` (never fewer), and keeps the candidates that satisfy `f` at high precision
//! (principal branches; real and inside the interval where asked). Each step says whether it
//! finds *every* solution; the set is `complete` only when all the steps used do.
//!
//! * **Products and common factors**: `A B = 0` gives the solutions of `A = 0` and `B = 0`
//!   (a factor common to every term of a sum is split off first: `e^u (sqrt(v) - 1)`).
//! * **Inversion**: when `x` occurs in one term, `c + k g(u) = 0` gives `g(u) = -c/k`, inverted
//!   through `exp`, `b**u` (`u = log(r)/log(b)`, real only for `r > 0`), `log`
//!   (`u = e^r`), `sinh`, `cosh` (`u = ±acosh r`, `r >= 1`), `tanh`, `coth`, the inverse
//!   functions (within their ranges), `LambertW` (`u = r e^r`, `r >= -1`), `Abs`, and, in the
//!   real domain, `sin`, `cos`, `tan` (the two periodic families `u_0 + 2 pi n`, listed inside the
//!   interval when one is given and `u` is linear in `x`; otherwise only the principal values,
//!   partial). `b(x)**e(x) = r` becomes `e log b = log r`, which misses negative bases (partial).
//! * **Substitution**: hyperbolic functions are written with `exp`, and the exponentials
//!   `b_i**u_i` whose exponents `u_i log b_i` are rational multiples of one `w` become powers of
//!   `y = e^(w/L)`; a single other kernel (say `log(x)`) becomes `y`. When `x` then only occurs
//!   through `y`, the equation in `y` is solved and each `y = y_k` inverted.
//! * **Lambert W**: `p x + q + r log(a x + b) = 0` has, with `s = a x + b > 0`,
//!   `log s = A s + B` (`A = -p/(a r)`, `B = (p b/a - q)/r`), so `-A s e^(-A s) = -A e^B` and
//!   `s = -W_k(-A e^B)/A` for the real branches `k = 0, -1`. Equations `P(x) + Q(x) e^(c x + d) = 0`
//!   with `-P/Q = k (a x + b)**m` reduce to it by taking logarithms (with the sign cases of
//!   `a x + b`).
//! * **Logarithm combination** (real domain): `sum c_i log A_i(x) = R` with rational `c_i`
//!   implies `prod A_i**c_i = e^R`, an algebraic equation.
//! * **Two exponential terms** (real domain): `k_1 prod b_i**u_i = k_2 prod d_j**v_j` with
//!   positive constant bases is `log k_1 + sum u_i log b_i = log k_2 + sum v_j log d_j`.
//!
//! Equations with parameters and no point are solved symbolically where the steps allow, every
//! candidate under the guard that the original equation holds there (coverage partial).

use crate::error::SolveError;
use crate::numeric::{Point, eval_at, is_real_value};
use crate::solution::{Branch, Coverage, Domain, SolveOptions};
use rug::Float;
use sym_core::expr::{free_symbols, has_symbol};
use sym_core::{Constant, Expr, Func, Kind, RelOp, Symbol};

/// Working precision of the verification.
const VERIFY_BITS: u32 = 512;
/// How deep the rewriting recursion goes.
const MAX_DEPTH: usize = 10;
/// The most periodic solutions listed in an interval.
const MAX_PERIODIC: i64 = 1000;

/// Candidates and whether they contain every solution.
struct Cands {
    values: Vec<Expr>,
    complete: bool,
}

impl Cands {
    fn none() -> Cands {
        Cands { values: Vec::new(), complete: true }
    }
    fn unknown() -> Cands {
        Cands { values: Vec::new(), complete: false }
    }
    fn one(v: Expr) -> Cands {
        Cands { values: vec![v], complete: true }
    }
    fn join(&mut self, other: Cands) {
        self.values.extend(other.values);
        self.complete &= other.complete;
    }
}

#[derive(Clone, Copy)]
struct Ctx<'a> {
    x: Symbol,
    real: bool,
    opts: &'a SolveOptions,
    numeric: bool,
}

/// Solves a transcendental `f = 0` for `x`: branches, coverage and notes.
pub fn solve_transcendental(
    f: &Expr,
    x: Symbol,
    opts: &SolveOptions,
) -> Result<(Vec<Branch>, Coverage, Vec<String>), SolveError> {
    let real = opts.domain == Domain::Real || opts.interval.is_some();
    let numeric = free_symbols(f).into_iter().all(|s| s == x);
    let ctx = Ctx { x, real, opts, numeric };
    let cands = solve_rec(&ctx, f, 0)?;
    let mut notes = Vec::new();
    let mut coverage = if cands.complete { Coverage::Complete } else { Coverage::Partial };
    if !real && coverage == Coverage::Complete {
        // Complex solutions of exponential and trigonometric equations come in families over the
        // integers, which are not listed.
        coverage = Coverage::Partial;
        notes.push("complex solutions: only principal values are listed".into());
    }
    let mut branches: Vec<Branch> = Vec::new();
    let mut seen: Vec<rug::Complex> = Vec::new();
    let mut unverified = false;
    for v in cands.values {
        if numeric {
            let Ok(z) = eval_at(&v, &Point::new(), VERIFY_BITS) else {
                // A candidate that cannot be evaluated cannot be checked: it may be a solution.
                unverified = true;
                continue;
            };
            if real && !is_real_value(&z, VERIFY_BITS) {
                continue;
            }
            if let Some(iv) = &opts.interval
                && !crate::filter::in_interval(z.real(), iv)
            {
                continue;
            }
            if !satisfies(f, x, &z) {
                continue;
            }
            if seen.iter().any(|w| same(w, &z)) {
                continue;
            }
            seen.push(z);
            branches.push(Branch::exact(v, Expr::true_(), 1));
        } else {
            let guard = symbolic_guard(f, x, &v, real);
            if branches.iter().any(|b| b.exact.as_ref().is_some_and(|e| e[0] == v)) {
                continue;
            }
            branches.push(Branch::exact(v, guard, 1));
        }
    }
    if unverified {
        coverage = Coverage::Partial;
        notes.push("a candidate solution could not be evaluated to check it".into());
    }
    let search = numeric && (!cands.complete || unverified) && (opts.interval.is_some() || branches.is_empty());
    if search {
        coverage = certified_search(f, x, opts, real, &seen, &mut branches, &mut notes);
    }
    if !numeric && branches.is_empty() && !cands.complete {
        // No closed form: the solution is the implicit root of the equation.
        let b = crate::implicit::implicit_branch(f, x);
        let imp = b.implicit.as_ref().map(|i| (i.bracket.is_some(), i.unique));
        branches.push(b);
        return Ok(match imp {
            Some((true, true)) if real => (
                branches,
                Coverage::Complete,
                vec!["no closed form: the solution is the unique real root of the equation, in its bracket".into()],
            ),
            _ => (branches, Coverage::Partial, vec!["no closed form: the solution is an implicit root".into()]),
        });
    }
    if !numeric {
        coverage = Coverage::Partial;
        notes.push("symbolic transcendental solutions hold where their guard does".into());
    } else if coverage != Coverage::Complete && !search {
        notes.push("transcendental equation: some solutions may be missing".into());
    }
    Ok((branches, coverage, notes))
}

/// The integer in a narrow enclosure, if there is one.
fn integer_inside(r: &crate::interval::Iv) -> Option<rug::Integer> {
    let k = r.lo.clone().ceil().to_integer()?;
    (Float::with_val(r.prec(), &k) <= r.hi && r.width() < 1).then_some(k)
}

/// Adds the certified numeric roots ([`crate::certified::equation_roots`]) that are not among the exact values
/// `seen`, sorts the branches by value, and returns the coverage: `Complete` in the real domain when the whole
/// interval was searched and every root in it is certified, `Partial` otherwise.
pub(crate) fn certified_search(
    f: &Expr,
    x: Symbol,
    opts: &SolveOptions,
    real: bool,
    seen: &[rug::Complex],
    branches: &mut Vec<Branch>,
    notes: &mut Vec<String>,
) -> Coverage {
    let found = match crate::certified::equation_roots(f, x, opts.interval.as_ref(), opts.numeric_digits) {
        Ok(r) => r,
        Err(crate::interval_eval::Unsupported(what)) => {
            notes.push(format!("no certified numeric search: `{what}` has no interval enclosure"));
            return Coverage::Partial;
        }
    };
    let mut added = false;
    for r in &found.roots {
        if seen.iter().any(|z| is_real_value(z, VERIFY_BITS) && r.contains(&Float::with_val(r.prec(), z.real()))) {
            continue;
        }
        added = true;
        // An integer in the enclosure that solves the equation exactly is the root (unique there).
        if let Some(k) = integer_inside(r)
            && f.subs(&Expr::sym(x), &Expr::num(sym_core::Number::from_integer(k.clone()))).is_zero()
        {
            branches.push(Branch::exact(Expr::num(sym_core::Number::from_integer(k)), Expr::true_(), 1));
            continue;
        }
        let (m, rad) = crate::certified::mid_rad(r);
        branches.push(Branch::certified(m, rad));
    }
    if added {
        sort_by_real_value(branches);
    }
    let (lo, hi) = (&found.searched.0, &found.searched.1);
    let range = format!("[{}, {}]", lo.to_f64(), hi.to_f64());
    if !found.complete {
        notes.push(format!("certified numeric roots in {range}: some may be missing (multiple or unresolved roots)"));
        return Coverage::Partial;
    }
    if !real || !found.whole_interval {
        notes.push(format!("real roots were searched in {range} only (numeric, certified)"));
        return Coverage::Partial;
    }
    if added {
        notes.push(format!(
            "numeric roots are certified: each is the only root within its radius, none is missing in {range}"
        ));
    }
    Coverage::Complete
}

/// Sorts numeric branches by the real part of their value (each value computed once; a branch without one
/// counts as 0).
pub(crate) fn sort_by_real_value(branches: &mut Vec<Branch>) {
    let key = |b: &Branch| -> Float {
        match (&b.numeric, &b.exact) {
            (Some(v), _) => v[0].0.clone(),
            (None, Some(e)) => eval_at(&e[0], &Point::new(), 128).map_or(Float::new(53), |z| z.real().clone()),
            (None, None) => Float::new(53),
        }
    };
    let mut keyed: Vec<(Float, Branch)> = branches.drain(..).map(|b| (key(&b), b)).collect();
    keyed.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    branches.extend(keyed.into_iter().map(|(_, b)| b));
}

/// The guard of a symbolic candidate `v`: `True` (or `z != 0`, `z > 0` conditions) when `f(v) = 0` is
/// proved an identity by the Lambert W rewrites below (the real-domain filter then adds the conditions
/// under which `v` is real), else `Eq(f(v), 0)` (the equation must hold there, which a front end checks at
/// a point).
///
/// The rewrites: `W_k(z) e^(W_k(z)) = z` on every branch gives `e^(c W_k(z)) = (z / W_k(z))^c` for an
/// integer `c` (`z != 0`), which turns `e^(t - W(e^t))` into `W(e^t)`; in the real domain,
/// `log(W_0(z)) = log(z) - W_0(z)` for `z > 0` (then `W_0(z) > 0`) and `log(e^u) = u` for real `u`.
/// After them `f(v)` is put over a common denominator and expanded; a zero numerator proves the identity
/// wherever `v` is defined and the collected conditions hold.
fn symbolic_guard(f: &Expr, x: Symbol, v: &Expr, real: bool) -> Expr {
    let at = f.subs(&Expr::sym(x), v);
    let fallback = || Expr::rel(RelOp::Eq, at.clone(), Expr::zero());
    let mut conds = Vec::new();
    let rewritten = rewrite_lambert(&at, real, &mut conds);
    if conds.is_empty() {
        return fallback();
    }
    let (num, _) = rewritten.together().as_numer_denom();
    // A residue free of symbols (`log(3/2) + log(2/3)`) is decided at 512 bits, as numeric candidates are.
    let vanishes = |n: &Expr| {
        n.is_zero()
            || (free_symbols(n).is_empty()
                && eval_at(n, &Point::new(), VERIFY_BITS).is_ok_and(|z| {
                    Float::with_val(VERIFY_BITS, z.abs_ref()) < Float::with_val(VERIFY_BITS, 1u32) >> 400u32
                }))
    };
    match num.expand() {
        Ok(n) if vanishes(&n) => {
            use crate::real_sign::{Sign, sign};
            let mut out: Vec<Expr> = Vec::new();
            // `z != 0` conditions are not kept: `z` is not identically zero (`W(0)` evaluates to 0), so the points
            // where it vanishes are limits of points where the identity holds, and `f(v)`, built from functions
            // continuous on their domains, vanishes there too wherever it is defined.
            for (z, positive) in conds {
                if positive && sign(&z) != Some(Sign::Positive) {
                    let c = Expr::rel(RelOp::Gt, z, Expr::zero());
                    if !out.contains(&c) {
                        out.push(c);
                    }
                }
            }
            Expr::and_all(out)
        }
        _ => fallback(),
    }
}

/// The rewrites of [`symbolic_guard`]; `conds` collects `(z, positive)`: `z != 0`, or `z > 0` when `positive`.
fn rewrite_lambert(e: &Expr, real: bool, conds: &mut Vec<(Expr, bool)>) -> Expr {
    let rec = |c: &Expr, conds: &mut Vec<(Expr, bool)>| rewrite_lambert(c, real, conds);
    match e.kind() {
        Kind::Add(_) => Expr::add_all(e.terms().iter().map(|t| rec(t, conds)).collect::<Vec<_>>()),
        Kind::Mul(_) => Expr::mul_all(e.factors().iter().map(|t| rec(t, conds)).collect::<Vec<_>>()),
        Kind::Pow(b, u) if b.is_const(Constant::E) => {
            let u = rec(u, conds);
            let mut rest = Vec::new();
            let mut factor = Vec::new();
            for t in u.terms() {
                let (c, g) = match t.kind() {
                    Kind::Mul(m) if m.factors.len() == 1 && m.factors[0].1.is_one() => {
                        (m.coeff.clone(), m.factors[0].0.clone())
                    }
                    _ => (sym_core::Number::ONE, t.clone()),
                };
                match g.kind() {
                    Kind::Func(Func::LambertW, wargs) if c.is_integer() => {
                        let z = wargs[0].clone();
                        conds.push((z.clone(), false));
                        factor.push(Expr::pow(z / g.clone(), Expr::num(c)));
                    }
                    _ => rest.push(t),
                }
            }
            Expr::mul_all(factor) * Expr::exp(Expr::add_all(rest))
        }
        Kind::Func(Func::Log, args) if real => {
            let a = rec(&args[0], conds);
            let factors = a.factors();
            // log(prod a_i) = sum log(a_i) when every factor is positive.
            let positive = |g: &Expr| {
                crate::real_sign::sign(g) == Some(crate::real_sign::Sign::Positive)
                    || matches!(g.kind(), Kind::Func(Func::LambertW, w) if w.len() == 1)
            };
            if factors.len() > 1 && factors.iter().all(positive) {
                return Expr::add_all(factors.iter().map(|g| rec(&Expr::log(g.clone()), conds)).collect::<Vec<_>>());
            }
            match a.kind() {
                Kind::Func(Func::LambertW, wargs) if wargs.len() == 1 => {
                    let z = wargs[0].clone();
                    conds.push((z.clone(), true));
                    rec(&Expr::log(z), conds) - a.clone()
                }
                Kind::Pow(b, u) if b.is_const(Constant::E) => u.clone(),
                _ => Expr::log(a),
            }
        }
        _ => sym_core::expr::map_children::<std::convert::Infallible>(e, |c| Ok(rec(c, conds)))
            .unwrap_or_else(|n| match n {}),
    }
}

fn same(a: &rug::Complex, b: &rug::Complex) -> bool {
    let d = Float::with_val(VERIFY_BITS, rug::Complex::with_val(VERIFY_BITS, a - b).abs_ref());
    let s = Float::with_val(VERIFY_BITS, b.abs_ref()).max(&Float::with_val(VERIFY_BITS, 1));
    d <= Float::with_val(VERIFY_BITS, &s >> 300)
}

/// Whether `f(z) = 0` to the working precision, relative to the size of the terms of `f`.
pub fn satisfies(f: &Expr, x: Symbol, z: &rug::Complex) -> bool {
    let mut env = sym_core::evalf::ComplexEnv::new();
    env.insert(x, z.clone());
    let Ok(v) = sym_core::evalf::eval_complex(f, &env, VERIFY_BITS) else { return false };
    let mut scale = Float::with_val(VERIFY_BITS, 1);
    for t in f.terms() {
        if let Ok(tv) = sym_core::evalf::eval_complex(&t, &env, VERIFY_BITS) {
            let m = Float::with_val(VERIFY_BITS, tv.abs_ref());
            if m.is_finite() && m > scale {
                scale = m;
            }
        }
    }
    let m = Float::with_val(VERIFY_BITS, v.abs_ref());
    m.is_finite() && m <= Float::with_val(VERIFY_BITS, &scale >> 400)
}

fn free_of(e: &Expr, x: Symbol) -> bool {
    !has_symbol(e, x)
}

/// A numeric value of a constant expression, when it has no symbols.
fn value(e: &Expr) -> Option<rug::Complex> {
    if !free_symbols(e).is_empty() {
        return None;
    }
    eval_at(e, &Point::new(), 256).ok()
}

/// `Some(sign)` of a real constant (`-1`, `0`, `1`); `None` when symbolic or not real.
fn real_sign(e: &Expr) -> Option<i32> {
    let z = value(e)?;
    if !is_real_value(&z, 256) {
        return None;
    }
    let r = z.real();
    Some(if r.is_zero() || Float::with_val(256, r.abs_ref()).to_f64() < 1e-70 {
        0
    } else if r.is_sign_negative() {
        -1
    } else {
        1
    })
}

/// Compares a real constant with a number: `Some(Ordering)`.
fn cmp_const(e: &Expr, k: i64) -> Option<std::cmp::Ordering> {
    real_sign(&(e.clone() - Expr::int(k))).map(|s| s.cmp(&0))
}

fn solve_rec(ctx: &Ctx, f: &Expr, depth: usize) -> Result<Cands, SolveError> {
    let x = ctx.x;
    if depth > MAX_DEPTH {
        return Ok(Cands::unknown());
    }
    let (n, _) = f.as_numer_denom();
    if free_of(&n, x) {
        return Ok(if n.is_zero() { Cands::unknown() } else { Cands::none() });
    }
    if crate::radical::is_algebraic_in(&n, x) {
        return algebraic(ctx, &n);
    }
    // Products.
    let xf: Vec<Expr> = n.factors().into_iter().filter(|g| !free_of(g, x)).collect();
    if xf.len() > 1 {
        let mut out = Cands::none();
        for g in xf {
            let (b, p) = g.as_base_exp();
            let piece = if free_of(&p, x) && real_sign(&p) == Some(1) { b } else { g };
            out.join(solve_rec(ctx, &piece, depth + 1)?);
        }
        return Ok(out);
    }
    // A factor common to every term.
    if let Some((common, rest)) = common_factor(&n, x) {
        let mut out = solve_rec(ctx, &common, depth + 1)?;
        out.join(solve_rec(ctx, &rest, depth + 1)?);
        return Ok(out);
    }
    // Isolation of the only term with x.
    let terms = n.terms();
    let (with_x, without): (Vec<Expr>, Vec<Expr>) = terms.into_iter().partition(|t| !free_of(t, x));
    if with_x.len() == 1 {
        let (k, g) = split_const(&with_x[0], x);
        let rhs = -Expr::add_all(without) / k;
        let rhs = rhs.expand().unwrap_or(rhs);
        if let Some(c) = invert(ctx, &g, &rhs, depth)? {
            return Ok(c);
        }
    }
    // Hyperbolic functions in terms of exp.
    if has_hyperbolic(&n, x) {
        let h = rewrite_hyperbolic(&n, x);
        let (hn, _) = h.as_numer_denom();
        let hn = hn.expand().unwrap_or(hn);
        return solve_rec(ctx, &hn, depth + 1);
    }
    if let Some(c) = substitute(ctx, &n, depth)? {
        return Ok(c);
    }
    if let Some(c) = lambert(ctx, &n, depth)? {
        return Ok(c);
    }
    if ctx.real {
        if let Some(c) = log_combination(ctx, &n, depth)? {
            return Ok(c);
        }
        if let Some(c) = two_exponentials(ctx, &n, depth)? {
            return Ok(c);
        }
    }
    Ok(Cands::unknown())
}

/// Solves an algebraic equation with the univariate solver.
fn algebraic(ctx: &Ctx, n: &Expr) -> Result<Cands, SolveError> {
    let opts = SolveOptions {
        domain: if ctx.real { Domain::Real } else { Domain::Complex },
        interval: None,
        ..ctx.opts.clone()
    };
    let set = match crate::univariate::solve_one(n, ctx.x, &opts) {
        Ok(s) => s,
        Err(SolveError::Limit { .. }) => return Ok(Cands::unknown()),
        Err(e) => return Err(e),
    };
    let mut out = Cands { values: Vec::new(), complete: set.coverage == Coverage::Complete };
    for b in set.branches {
        let Some(ex) = b.exact else {
            out.complete = false;
            continue;
        };
        let ok = matches!(b.guard.kind(), Kind::Bool(true))
            || crate::evaluate::guard_holds(&b.guard, &Point::new()) == Some(true);
        if ok && ex[0] != Expr::sym(ctx.x) {
            out.values.push(ex[0].clone());
        } else {
            out.complete = false;
        }
    }
    Ok(out)
}

/// `t = k * g` with `k` free of `x`.
fn split_const(t: &Expr, x: Symbol) -> (Expr, Expr) {
    let (k, g): (Vec<Expr>, Vec<Expr>) = t.factors().into_iter().partition(|f| free_of(f, x));
    (Expr::mul_all(k), Expr::mul_all(g))
}

/// A factor containing `x` common to every term of the sum `n`: `(common, n / common)`.
fn common_factor(n: &Expr, x: Symbol) -> Option<(Expr, Expr)> {
    let terms = n.terms();
    if terms.len() < 2 {
        return None;
    }
    let first = terms[0].factors();
    for f in first {
        if free_of(&f, x) {
            continue;
        }
        let (b, p) = f.as_base_exp();
        // The smallest power of b present in every term.
        let mut min_p = p.clone();
        let mut ok = true;
        for t in &terms[1..] {
            let hit = t.factors().into_iter().map(|g| g.as_base_exp()).find(|(gb, _)| *gb == b);
            match hit {
                Some((_, q)) if q == min_p => {}
                Some((_, q)) => match (q.as_rational(), min_p.as_rational()) {
                    (Some(a), Some(c)) => {
                        if a < c {
                            min_p = q.clone();
                        }
                    }
                    _ => {
                        ok = false;
                        break;
                    }
                },
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && min_p.as_rational().is_none_or(|r| r > 0) {
            let common = Expr::pow(b, min_p);
            let rest = Expr::add_all(terms.iter().map(|t| t.clone() / common.clone()));
            return Some((common, rest));
        }
    }
    None
}

/// Solves `g = rhs` for `x` through the outermost function of `g`; `None` when `g` is not
/// invertible here.
fn invert(ctx: &Ctx, g: &Expr, rhs: &Expr, depth: usize) -> Result<Option<Cands>, SolveError> {
    let x = ctx.x;
    // The real-domain shortcuts below (`e**u = r` has no solution for `r <= 0`, ...) assume that the inner
    // argument is real wherever `x` is; one that is not (`exp(sqrt(x)) = -1` at `x = -pi**2`) is solved as in the
    // complex domain, and only the final `x` is required to be real.
    let inner_real = match g.kind() {
        // A negative constant base is real only at integer exponents (`(-2)**x = -2` at `x = 1`).
        Kind::Pow(b, p) if free_of(b, x) => always_real(p, x) && (b.is_const(Constant::E) || real_sign(b) == Some(1)),
        Kind::Pow(b, p) => always_real(b, x) && always_real(p, x),
        Kind::Func(_, args) => args.iter().all(|a| always_real(a, x)),
        _ => true,
    };
    if ctx.real
        && let Kind::Pow(b, p) = g.kind()
        && free_of(b, x)
        && always_real(p, x)
        && let Some(c) = negative_base_real(ctx, b, p, rhs, depth)?
    {
        return Ok(Some(c));
    }
    let relaxed = Ctx { real: false, ..*ctx };
    let ctx = if ctx.real && !inner_real { &relaxed } else { ctx };
    let sub = |u: &Expr, v: Expr| solve_rec(ctx, &(u.clone() - v), depth + 1);
    match g.kind() {
        Kind::Pow(b, p) if free_of(b, x) => {
            // b**p = rhs.
            if ctx.real {
                match real_sign(rhs) {
                    Some(s) if s <= 0 => return Ok(Some(Cands::none())),
                    _ => {}
                }
                if real_sign(&(b.clone() - Expr::int(1))) == Some(0) {
                    // 1**p = rhs: no solution unless rhs = 1, when every x is one.
                    let one = real_sign(&(rhs.clone() - Expr::int(1)));
                    return Ok(Some(if one.is_some_and(|s| s != 0) { Cands::none() } else { Cands::unknown() }));
                }
                if real_sign(b).is_some_and(|s| s <= 0) {
                    return Ok(None);
                }
            }
            let logb = if b.is_const(Constant::E) { Expr::int(1) } else { Expr::log(b.clone()) };
            let exponent = match (b.as_rational(), rhs.as_rational()) {
                (Some(bq), Some(rq)) => rational_log(&rq, &bq).map(|t| Expr::num(sym_core::Number::from(t))),
                _ => None,
            };
            let mut c = sub(p, exponent.unwrap_or_else(|| Expr::log(rhs.clone()) / logb))?;
            if !ctx.real {
                c.complete = false;
            }
            Ok(Some(c))
        }
        Kind::Pow(b, p) if !free_of(p, x) => {
            // b(x)**e(x) = rhs: e log b = log rhs (positive bases only).
            if ctx.real && real_sign(rhs).is_some_and(|s| s <= 0) {
                return Ok(None);
            }
            let eq = p.clone() * Expr::log(b.clone()) - Expr::log(rhs.clone());
            let mut c = solve_rec(ctx, &eq, depth + 1)?;
            c.complete = false;
            Ok(Some(c))
        }
        Kind::Pow(b, p) => {
            // A symbolic power b**p = rhs with p free of x: b = rhs**(1/p) for positive values.
            let mut c = sub(b, Expr::pow(rhs.clone(), Expr::recip(p.clone())))?;
            c.complete = false;
            Ok(Some(c))
        }
        Kind::Func(func, args) if args.len() == 1 => {
            let u = &args[0];
            let r = rhs.clone();
            let cmp = |k: i64| cmp_const(rhs, k);
            use std::cmp::Ordering::*;
            let out = match func {
                Func::Log => {
                    if ctx.real && value(rhs).is_some_and(|z| !is_real_value(&z, 256)) {
                        Cands::none()
                    } else {
                        sub(u, Expr::exp(r))?
                    }
                }
                Func::Sinh => sub(u, Expr::func(Func::Asinh, r))?,
                Func::Asinh => sub(u, Expr::func(Func::Sinh, r))?,
                Func::Tanh => match (cmp(1), cmp(-1)) {
                    (Some(Less), Some(Greater)) => sub(u, Expr::func(Func::Atanh, r))?,
                    (Some(_), Some(_)) if ctx.real => Cands::none(),
                    _ => return Ok(None),
                },
                Func::Coth => match (cmp(1), cmp(-1)) {
                    (Some(Greater), _) | (_, Some(Less)) => sub(u, Expr::func(Func::Atanh, Expr::recip(r)))?,
                    (Some(_), Some(_)) if ctx.real => Cands::none(),
                    _ => return Ok(None),
                },
                Func::Atanh => sub(u, Expr::func(Func::Tanh, r))?,
                Func::Cosh => match cmp(1) {
                    Some(Less) if ctx.real => Cands::none(),
                    Some(Equal) => sub(u, Expr::zero())?,
                    Some(Greater) => {
                        let a = Expr::func(Func::Acosh, r);
                        let mut c = sub(u, a.clone())?;
                        c.join(sub(u, -a)?);
                        c
                    }
                    _ => return Ok(None),
                },
                Func::Acosh => match cmp(0) {
                    Some(Less) if ctx.real => Cands::none(),
                    Some(_) => sub(u, Expr::func(Func::Cosh, r))?,
                    None => return Ok(None),
                },
                Func::Atan => match (
                    cmp_const(&(Expr::constant(Constant::Pi) / Expr::int(2) - r.clone()), 0),
                    cmp_const(&(Expr::constant(Constant::Pi) / Expr::int(2) + r.clone()), 0),
                ) {
                    (Some(Greater), Some(Greater)) => sub(u, Expr::func(Func::Tan, r))?,
                    (Some(_), Some(_)) if ctx.real => Cands::none(),
                    _ => return Ok(None),
                },
                Func::Asin => match (
                    cmp_const(&(Expr::constant(Constant::Pi) / Expr::int(2) - r.clone()), 0),
                    cmp_const(&(Expr::constant(Constant::Pi) / Expr::int(2) + r.clone()), 0),
                ) {
                    (Some(Less), _) | (_, Some(Less)) if ctx.real => Cands::none(),
                    (Some(_), Some(_)) => sub(u, Expr::func(Func::Sin, r))?,
                    _ => return Ok(None),
                },
                Func::Acos => match (cmp(0), cmp_const(&(Expr::constant(Constant::Pi) - r.clone()), 0)) {
                    (Some(Less), _) | (_, Some(Less)) if ctx.real => Cands::none(),
                    (Some(_), Some(_)) => sub(u, Expr::func(Func::Cos, r))?,
                    _ => return Ok(None),
                },
                Func::LambertW => match cmp(-1) {
                    Some(Less) if ctx.real => Cands::none(),
                    Some(_) => sub(u, r.clone() * Expr::exp(r))?,
                    None => return Ok(None),
                },
                Func::Abs => match cmp(0) {
                    Some(Less) => Cands::none(),
                    Some(_) => {
                        let mut c = sub(u, r.clone())?;
                        c.join(sub(u, -r)?);
                        c
                    }
                    None => return Ok(None),
                },
                Func::Sin | Func::Cos | Func::Tan => return periodic(ctx, *func, u, rhs, depth),
                _ => return Ok(None),
            };
            Ok(Some(out))
        }
        _ => Ok(None),
    }
}

/// `sin u = r`, `cos u = r`, `tan u = r` in the real domain: the families `u_0 + P n`, listed in
/// the interval when `u` is linear in `x`; principal values otherwise (partial).
fn periodic(ctx: &Ctx, func: Func, u: &Expr, rhs: &Expr, depth: usize) -> Result<Option<Cands>, SolveError> {
    if !ctx.real {
        return Ok(None);
    }
    let pi = Expr::constant(Constant::Pi);
    let (bases, period): (Vec<Expr>, Expr) = match func {
        Func::Sin | Func::Cos => {
            match (cmp_const(rhs, 1), cmp_const(rhs, -1)) {
                (Some(std::cmp::Ordering::Greater), _) | (_, Some(std::cmp::Ordering::Less)) => {
                    return Ok(Some(Cands::none()));
                }
                (Some(_), Some(_)) => {}
                _ => return Ok(None),
            }
            if func == Func::Sin {
                let a = Expr::func(Func::Asin, rhs.clone());
                (vec![a.clone(), pi.clone() - a], Expr::int(2) * pi.clone())
            } else {
                let a = Expr::func(Func::Acos, rhs.clone());
                (vec![a.clone(), -a], Expr::int(2) * pi.clone())
            }
        }
        _ => (vec![Expr::func(Func::Atan, rhs.clone())], pi.clone()),
    };
    // u = alpha x + beta with constant alpha, beta: enumerate inside the interval.
    let x = ctx.x;
    if let (Some(iv), Some(c)) = (&ctx.opts.interval, u.poly_coeffs(x))
        && c.len() == 2
        && c.iter().all(|k| free_symbols(k).is_empty())
    {
        let (beta, alpha) = (c[0].clone(), c[1].clone());
        let lo = value(&iv.lo).map(|z| z.real().to_f64());
        let hi = value(&iv.hi).map(|z| z.real().to_f64());
        let (a, b) = (value(&alpha).map(|z| z.real().to_f64()), value(&beta).map(|z| z.real().to_f64()));
        let p = value(&period).map(|z| z.real().to_f64());
        if let (Some(lo), Some(hi), Some(a), Some(b), Some(p)) = (lo, hi, a, b, p)
            && lo.is_finite()
            && hi.is_finite()
            && a != 0.0
        {
            let (ulo, uhi) = if a > 0.0 { (a * lo + b, a * hi + b) } else { (a * hi + b, a * lo + b) };
            let mut out = Cands::none();
            for base in &bases {
                let Some(u0) = value(base).map(|z| z.real().to_f64()) else { return Ok(None) };
                let n_lo = ((ulo - u0) / p).floor() as i64 - 1;
                let n_hi = ((uhi - u0) / p).ceil() as i64 + 1;
                if n_hi - n_lo > MAX_PERIODIC {
                    return Err(SolveError::Limit {
                        what: "periodic solutions in the interval",
                        limit: MAX_PERIODIC as u64,
                    });
                }
                for n in n_lo..=n_hi {
                    let un = base.clone() + Expr::int(n) * period.clone();
                    out.values.push((un - beta.clone()) / alpha.clone());
                }
            }
            return Ok(Some(out));
        }
    }
    let mut out = Cands::none();
    for base in bases {
        out.join(solve_rec(ctx, &(u.clone() - base), depth + 1)?);
    }
    out.complete = false;
    Ok(Some(out))
}

/// `b**p = r` in the real domain for a negative rational base `b`, a rational `r` and a real exponent `p`:
/// the principal value `|b|**p exp(i pi p)` is real exactly at integer `p`, so the solutions are `p = n` for the
/// integer `n` with `|b|**n = |r|` and `(-1)**n = sign(r)`, if there is one (`(-2)**x = 4` at `x = 2`, `(-2)**x = -8`
/// at `x = 3`, `(-2)**x = 8` nowhere). `None` when this does not apply or cannot decide (an exponent beyond the
/// reach of [`integer_log`]); `b = -1` with `r = ±1` is a whole family of integers, left unknown.
fn negative_base_real(ctx: &Ctx, b: &Expr, p: &Expr, rhs: &Expr, depth: usize) -> Result<Option<Cands>, SolveError> {
    let (Some(bq), Some(rq)) = (b.as_rational(), rhs.as_rational()) else { return Ok(None) };
    if bq >= 0 {
        return Ok(None);
    }
    if rq == 0 {
        return Ok(Some(Cands::none()));
    }
    let (abs_b, abs_r) = (rug::Rational::from(-&bq), rug::Rational::from(rq.abs_ref()));
    if abs_b == 1 {
        return Ok(Some(if abs_r == 1 { Cands::unknown() } else { Cands::none() }));
    }
    let n = match integer_log(&abs_r, &abs_b) {
        IntegerLog::Exactly(n) => n,
        IntegerLog::NoInteger => return Ok(Some(Cands::none())),
        IntegerLog::Undecided => return Ok(None),
    };
    if (n % 2 == 0) != (rq > 0) {
        return Ok(Some(Cands::none()));
    }
    solve_rec(ctx, &(p.clone() - Expr::int(n)), depth + 1).map(Some)
}

/// What [`integer_log`] found.
#[derive(Debug, PartialEq)]
enum IntegerLog {
    Exactly(i64),
    NoInteger,
    Undecided,
}

/// The integer `n` with `b**n = r` (positive rationals, `b != 1`). `ln r / ln b` at 256 bits is within
/// `1e-70` relative of the true quotient, so one farther than `1e-40` from every integer proves there is none;
/// a near-integer `n` is decided exactly (`b**n = r`) when the powers are small enough to compute.
fn integer_log(r: &rug::Rational, b: &rug::Rational) -> IntegerLog {
    let t = Float::with_val(256, r).ln() / Float::with_val(256, b).ln();
    if !t.is_finite() {
        return IntegerLog::Undecided;
    }
    let n = t.clone().round();
    let off = Float::with_val(256, &t - &n).abs();
    let scale = Float::with_val(256, t.abs_ref()).max(&Float::with_val(256, 1));
    if off > scale * Float::with_val(256, 1e-40) {
        return IntegerLog::NoInteger;
    }
    let Some(n) = n.to_i32_saturating().filter(|k| k.unsigned_abs() < 1 << 16) else { return IntegerLog::Undecided };
    let bits = b.numer().significant_bits() + b.denom().significant_bits();
    if u64::from(bits) * u64::from(n.unsigned_abs()) > 1 << 22 {
        return IntegerLog::Undecided;
    }
    if rational_powi(b, i64::from(n)) == *r { IntegerLog::Exactly(i64::from(n)) } else { IntegerLog::NoInteger }
}

/// The rational `t` with `b^t = r` for positive rationals `b != 1` and `r`, when there is one with a
/// denominator of at most 1000 (`log(8)/log(4) = 3/2`): the continued fraction of `ln r / ln b` in `f64`
/// proposes it, exact arithmetic (`b^p = r^q`) decides.
fn rational_log(r: &rug::Rational, b: &rug::Rational) -> Option<rug::Rational> {
    if *r <= 0 || *b <= 0 || *b == 1 {
        return None;
    }
    let ln = |q: &rug::Rational| Float::with_val(128, q).ln().to_f64();
    let t = ln(r) / ln(b);
    if !t.is_finite() {
        return None;
    }
    // Convergents p/q of t.
    let (mut p0, mut q0, mut p1, mut q1) = (1i64, 0i64, t.floor() as i64, 1i64);
    let mut frac = t - t.floor();
    for _ in 0..40 {
        if q1 > 1000 || p1.unsigned_abs() > 1000 {
            return None;
        }
        let bits = |q: &rug::Rational| q.numer().significant_bits() + q.denom().significant_bits();
        if u64::from(bits(b)) * p1.unsigned_abs() + u64::from(bits(r)) * q1.unsigned_abs() < 1 << 20
            && rational_powi(b, p1) == rational_powi(r, q1)
        {
            return Some(rug::Rational::from((p1, q1)));
        }
        if frac.abs() < 1e-12 {
            return None;
        }
        let a = (1.0 / frac).floor();
        frac = 1.0 / frac - a;
        let a = a as i64;
        (p0, q0, p1, q1) = (p1, q1, a.checked_mul(p1)?.checked_add(p0)?, a.checked_mul(q1)?.checked_add(q0)?);
    }
    None
}

/// `base**k` for an integer `k` (callers bound the size of the result; `|k|` beyond `u32` saturates).
fn rational_powi(base: &rug::Rational, k: i64) -> rug::Rational {
    let m = u32::try_from(k.unsigned_abs()).unwrap_or(u32::MAX);
    let v = rug::Rational::from(rug::ops::Pow::pow(base, m));
    if k < 0 { v.recip() } else { v }
}

/// Whether `e` is real (or undefined, at a pole) at every real `x`, by its form: numbers, `x`, `pi`, `E`, sums,
/// products, integer powers, positive constants to real powers, and functions real on the whole real line of
/// real arguments. `false` means "not known" (`sqrt(x)`, `log(x)`, `asin(x)`, other symbols).
fn always_real(e: &Expr, x: Symbol) -> bool {
    match e.kind() {
        Kind::Num(_) => true,
        Kind::Sym(s) => *s == x,
        Kind::Const(c) => matches!(c, Constant::Pi | Constant::E),
        Kind::Add(_) | Kind::Mul(_) => e.children().iter().all(|c| always_real(c, x)),
        Kind::Pow(b, p) => {
            let integer = p.as_rational().is_some_and(|q| q.is_integer());
            let positive_base = free_of(b, x) && real_sign(b).is_some_and(|s| s > 0);
            always_real(b, x) && always_real(p, x) && (integer || positive_base)
        }
        Kind::Func(f, args) => {
            use Func::*;
            matches!(
                f,
                Sin | Cos | Tan | Cot | Sec | Csc | Atan | Acot | Sinh | Cosh | Tanh | Coth | Asinh | Abs | Sign
            ) && args.iter().all(|a| always_real(a, x))
        }
        _ => false,
    }
}

/// Whether `e` applies `sinh`, `cosh`, `tanh` or `coth` to an argument with `x`.
fn has_hyperbolic(e: &Expr, x: Symbol) -> bool {
    if free_of(e, x) {
        return false;
    }
    if let Kind::Func(Func::Sinh | Func::Cosh | Func::Tanh | Func::Coth, _) = e.kind() {
        return true;
    }
    e.children().iter().any(|c| has_hyperbolic(c, x))
}

/// `sinh`, `cosh`, `tanh`, `coth` of arguments with `x` written with `exp`.
fn rewrite_hyperbolic(e: &Expr, x: Symbol) -> Expr {
    if free_of(e, x) {
        return e.clone();
    }
    let e = sym_core::expr::map_children::<std::convert::Infallible>(e, |c| Ok(rewrite_hyperbolic(c, x)))
        .unwrap_or_else(|n| match n {});
    if let Kind::Func(f, args) = e.kind()
        && args.len() == 1
    {
        let u = args[0].clone();
        let (p, m) = (Expr::exp(u.clone()), Expr::exp(-u));
        let two = Expr::int(2);
        return match f {
            Func::Sinh => (p - m) / two,
            Func::Cosh => (p + m) / two,
            Func::Tanh => (p.clone() - m.clone()) / (p + m),
            Func::Coth => (p.clone() + m.clone()) / (p - m),
            _ => e,
        };
    }
    e
}

/// Replaces whole subexpressions (also factors of products, which are not nodes of their own).
fn replace(e: &Expr, pairs: &[(Expr, Expr)]) -> Expr {
    if let Some((_, v)) = pairs.iter().find(|(k, _)| k == e) {
        return v.clone();
    }
    match e.kind() {
        Kind::Mul(m) => {
            let mut parts = vec![Expr::num(m.coeff.clone())];
            parts.extend(m.factors.iter().map(|(b, p)| replace(&Expr::pow(b.clone(), p.clone()), pairs)));
            Expr::mul_all(parts)
        }
        Kind::Add(_) => Expr::add_all(e.terms().iter().map(|t| replace(t, pairs)).collect::<Vec<_>>()),
        Kind::Pow(b, p) => Expr::pow(replace(b, pairs), replace(p, pairs)),
        _ => sym_core::expr::map_children::<std::convert::Infallible>(e, |c| Ok(replace(c, pairs)))
            .unwrap_or_else(|n| match n {}),
    }
}

/// The maximal subexpressions with `x` that are not algebraic in `x` (kernels).
fn kernels(e: &Expr, x: Symbol, out: &mut Vec<Expr>) {
    if free_of(e, x) {
        return;
    }
    let kernel = match e.kind() {
        Kind::Func(..) => true,
        Kind::Pow(b, p) => !free_of(p, x) || (p.as_rational().is_none() && !free_of(b, x)),
        _ => false,
    };
    if kernel {
        if !out.contains(e) {
            out.push(e.clone());
        }
        return;
    }
    if let Kind::Mul(m) = e.kind() {
        for (b, p) in m.factors.iter() {
            kernels(&Expr::pow(b.clone(), p.clone()), x, out);
        }
        return;
    }
    for c in e.children() {
        kernels(&c, x, out);
    }
}

/// `log` of an exponential kernel `b**u` (`u log b`, or `u` for `E`), when the base is free of
/// `x`.
fn exp_log(k: &Expr, x: Symbol) -> Option<Expr> {
    let Kind::Pow(b, p) = k.kind() else { return None };
    if !free_of(b, x) || free_of(p, x) {
        return None;
    }
    Some(if b.is_const(Constant::E) { p.clone() } else { p.clone() * Expr::log(b.clone()) })
}

/// Replaces the kernels by powers of one new symbol when that removes `x`; solves for it and
/// inverts.
fn substitute(ctx: &Ctx, n: &Expr, depth: usize) -> Result<Option<Cands>, SolveError> {
    let x = ctx.x;
    let mut ks = Vec::new();
    kernels(n, x, &mut ks);
    if ks.is_empty() {
        return Ok(None);
    }
    let y = Symbol::new(&format!("\u{1}y{depth}"));
    let ye = Expr::sym(y);
    // Exponentials with commensurable exponents.
    let logs: Option<Vec<Expr>> = ks.iter().map(|k| exp_log(k, x)).collect();
    let (g, back) = if let Some(logs) = logs {
        let w = logs[0].clone();
        let mut ratios = Vec::with_capacity(logs.len());
        for l in &logs {
            let r = (l.clone() / w.clone()).cancel();
            let r = r.expand().unwrap_or(r);
            match r.as_rational() {
                Some(q) => ratios.push(q),
                None => return Ok(None),
            }
        }
        let lcm = ratios.iter().fold(rug::Integer::from(1), |acc, q| acc.lcm(q.denom()));
        let wl = w / Expr::num(sym_core::Number::from_integer(lcm.clone()));
        let pairs: Vec<(Expr, Expr)> = ks
            .iter()
            .zip(&ratios)
            .map(|(k, q)| {
                let e = rug::Rational::from(q * &lcm);
                (k.clone(), Expr::pow(ye.clone(), Expr::num(sym_core::Number::from_rational(e))))
            })
            .collect();
        (replace(n, &pairs), Expr::exp(wl))
    } else {
        // One kernel that carries every occurrence of x (others may contain it: log(K) with K).
        let found = ks.iter().find_map(|k| {
            let g = replace(n, &[(k.clone(), ye.clone())]);
            (!has_symbol(&g, x)).then(|| (g, k.clone()))
        });
        match found {
            Some(p) => p,
            None => return Ok(None),
        }
    };
    if has_symbol(&g, x) {
        return Ok(None);
    }
    let inner = Ctx { x: y, real: ctx.real, opts: ctx.opts, numeric: ctx.numeric };
    let ys = solve_rec(&inner, &g, depth + 1)?;
    let mut out = Cands { values: Vec::new(), complete: ys.complete };
    for yk in ys.values {
        out.join(solve_rec(ctx, &(back.clone() - yk), depth + 1)?);
    }
    Ok(Some(out))
}

/// Lambert-type equations (see the module documentation).
fn lambert(ctx: &Ctx, n: &Expr, depth: usize) -> Result<Option<Cands>, SolveError> {
    if !ctx.real {
        return Ok(None);
    }
    let x = ctx.x;
    let mut ks = Vec::new();
    kernels(n, x, &mut ks);
    if ks.len() != 1 {
        return Ok(None);
    }
    let k = ks[0].clone();
    let y = Symbol::new(&format!("\u{1}w{depth}"));
    let g = replace(n, &[(k.clone(), Expr::sym(y))]);
    let Some(cy) = g.poly_coeffs(y) else { return Ok(None) };
    if cy.len() != 2 {
        return Ok(None);
    }
    if let Kind::Func(Func::Log, args) = k.kind() {
        // p x + q + r log(a x + b) = 0.
        let Some(cx) = cy[0].poly_coeffs(x) else { return Ok(None) };
        let Some(lin) = args[0].poly_coeffs(x) else { return Ok(None) };
        if cx.len() > 2 || lin.len() != 2 || has_symbol(&cy[1], x) {
            return Ok(None);
        }
        let p = cx.get(1).cloned().unwrap_or_else(Expr::zero);
        let q = cx.first().cloned().unwrap_or_else(Expr::zero);
        return Ok(Some(log_linear(ctx, &p, &q, &cy[1], &lin[1], &lin[0])));
    }
    let Some(w) = exp_log(&k, x) else { return Ok(None) };
    let Some(cw) = w.poly_coeffs(x) else { return Ok(None) };
    if cw.len() != 2 {
        return Ok(None);
    }
    // e^w = -P/Q = K (a x + b)**m.
    let ratio = (-cy[0].clone() / cy[1].clone()).cancel();
    let Some((kk, a, b, m)) = power_of_linear(&ratio, x) else { return Ok(None) };
    let mut out = Cands::none();
    let signs: Vec<i64> = if m % 2 == 0 { vec![1, -1] } else { vec![real_sign(&kk).map_or(1, |s| s as i64)] };
    let kabs = if real_sign(&kk) == Some(-1) { -kk.clone() } else { kk.clone() };
    if m % 2 == 0 && real_sign(&kk) != Some(1) {
        return Ok(Some(Cands::none()));
    }
    for s in signs {
        // w = log|K| + m log(s (a x + b)) with s (a x + b) > 0.
        let (sa, sb) = (Expr::int(s) * a.clone(), Expr::int(s) * b.clone());
        let p = cw[1].clone();
        let q = cw[0].clone() - Expr::log(kabs.clone());
        let c = log_linear(ctx, &p, &q, &Expr::int(-m), &sa, &sb);
        out.join(c);
    }
    Ok(Some(out))
}

/// `r = K (a x + b)**m` for an integer `m != 0`: `(K, a, b, m)`.
fn power_of_linear(r: &Expr, x: Symbol) -> Option<(Expr, Expr, Expr, i64)> {
    let (num, den) = r.as_numer_denom();
    let (poly, m_sign, k) = if free_of(&den, x) {
        (num, 1, Expr::recip(den))
    } else if free_of(&num, x) {
        (den, -1, num)
    } else {
        return None;
    };
    let c = poly.poly_coeffs(x)?;
    let m = c.len().checked_sub(1)? as i64;
    if m == 0 {
        return None;
    }
    let lead = c[m as usize].clone();
    // poly = lead (x + s)**m with s = c_{m-1} / (m lead).
    let s = c[m as usize - 1].clone() / (Expr::int(m) * lead.clone());
    let check = lead.clone() * Expr::pow(Expr::sym(x) + s.clone(), Expr::int(m)) - poly;
    let check = check.expand().ok()?.cancel();
    if !check.expand().ok()?.is_zero() {
        return None;
    }
    let kk = if m_sign == 1 { k * Expr::pow(lead, Expr::int(1)) } else { k / lead };
    Some((kk, Expr::int(1), s, m * m_sign))
}

/// `p x + q + r log(a x + b) = 0` by Lambert W (real branches).
fn log_linear(ctx: &Ctx, p: &Expr, q: &Expr, r: &Expr, a: &Expr, b: &Expr) -> Cands {
    let _ = ctx;
    if p.is_zero() {
        // log(a x + b) = -q/r.
        return Cands::one((Expr::exp(-q.clone() / r.clone()) - b.clone()) / a.clone());
    }
    let big_a = -p.clone() / (a.clone() * r.clone());
    let big_b = (p.clone() * b.clone() / a.clone() - q.clone()) / r.clone();
    let arg = -big_a.clone() * Expr::exp(big_b);
    let mut out = Cands::none();
    let branches: Vec<i64> = match cmp_const(&arg, 0) {
        Some(std::cmp::Ordering::Less) => match cmp_const(&(arg.clone() + Expr::exp(Expr::int(-1))), 0) {
            Some(std::cmp::Ordering::Less) => vec![],
            Some(std::cmp::Ordering::Equal) => vec![0],
            Some(_) => vec![0, -1],
            None => {
                out.complete = false;
                vec![0]
            }
        },
        Some(_) => vec![0],
        None => {
            out.complete = false;
            vec![0, -1]
        }
    };
    for k in branches {
        let w =
            if k == 0 { Expr::func(Func::LambertW, arg.clone()) } else { Expr::lambert_w(arg.clone(), Expr::int(k)) };
        let s = -w / big_a.clone();
        out.values.push((s - b.clone()) / a.clone());
    }
    out
}

/// `sum c_i log A_i = R` (real domain): `prod A_i**c_i = e^R`.
fn log_combination(ctx: &Ctx, n: &Expr, depth: usize) -> Result<Option<Cands>, SolveError> {
    let x = ctx.x;
    let mut logs: Vec<(Expr, Expr)> = Vec::new();
    let mut rest = Vec::new();
    for t in n.terms() {
        if free_of(&t, x) {
            rest.push(t);
            continue;
        }
        let (k, g) = split_const(&t, x);
        match g.kind() {
            Kind::Func(Func::Log, args) if k.as_rational().is_some() => logs.push((args[0].clone(), k)),
            _ => return Ok(None),
        }
    }
    if logs.len() < 2 {
        return Ok(None);
    }
    // Divide by the gcd of the coefficients first (`3 log A - 3 log x + 5` is `log A - log x + 5/3`), so the
    // algebraic equation has the lowest degree.
    let g = logs.iter().fold(rug::Rational::new(), |g, (_, k)| {
        let q = k.as_rational().unwrap_or_default().abs();
        let num = rug::Integer::from(g.numer().gcd_ref(q.numer()));
        let den = rug::Integer::from(g.denom().lcm_ref(q.denom()));
        if g == 0 { q } else { rug::Rational::from((num, den)) }
    });
    let scale = Expr::num(sym_core::Number::from_rational(g.clone()));
    let mut lhs = Vec::new();
    let mut rhs = vec![Expr::exp(-Expr::add_all(rest) / scale)];
    for (a, k) in logs {
        let q = k.as_rational().unwrap_or_default() / &g;
        let e = Expr::num(sym_core::Number::from_rational(q.clone().abs()));
        if q > 0 {
            lhs.push(Expr::pow(a, e));
        } else {
            rhs.push(Expr::pow(a, e));
        }
    }
    let eq = Expr::mul_all(lhs) - Expr::mul_all(rhs);
    let (num, _) = eq.as_numer_denom();
    let num = num.expand().unwrap_or(num);
    Ok(Some(solve_rec(ctx, &num, depth + 1)?))
}

/// `k_1 prod b_i**u_i + k_2 prod d_j**v_j = 0` with positive constant bases (real domain).
fn two_exponentials(ctx: &Ctx, n: &Expr, depth: usize) -> Result<Option<Cands>, SolveError> {
    let x = ctx.x;
    let terms = n.terms();
    if terms.len() != 2 {
        return Ok(None);
    }
    let mut sides = Vec::new();
    for t in &terms {
        let (k, g) = split_const(t, x);
        let mut log_sum = Vec::new();
        for f in g.factors() {
            let Some(l) = exp_log(&f, x) else { return Ok(None) };
            let Kind::Pow(b, _) = f.kind() else { return Ok(None) };
            if !b.is_const(Constant::E) && real_sign(b) != Some(1) {
                return Ok(None);
            }
            log_sum.push(l);
        }
        sides.push((k, Expr::add_all(log_sum)));
    }
    // k_1 e^{L_1} = -k_2 e^{L_2}: needs k_1 / (-k_2) > 0.
    let ratio = -sides[1].0.clone() / sides[0].0.clone();
    match real_sign(&ratio) {
        Some(1) => {}
        Some(_) => return Ok(Some(Cands::none())),
        None => return Ok(None),
    }
    let eq = sides[0].1.clone() - sides[1].1.clone() - Expr::log(ratio);
    let eq = eq.expand().unwrap_or(eq);
    Ok(Some(solve_rec(ctx, &eq, depth + 1)?))
}
