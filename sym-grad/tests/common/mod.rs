//! Shared test helpers: random expression trees over every op of the IR (a proptest strategy), their graphs,
//! central finite differences, and the tolerance of the issue.
#![allow(dead_code)]

use ndarray::{Array1, ArrayD};
use proptest::prelude::*;
use sym_lower::{
    BinOp, Builder, CmpOp, Graph, RootOptions, RootStart, Tensor, TensorRef, Type, UnOp, Value, interpret,
};

/// A random expression over two batch inputs `x`, `y` and one scalar input `p`.
#[derive(Clone, Debug)]
pub enum E {
    /// Input `x` (0), `y` (1) or `p` (2).
    Var(usize),
    /// A constant.
    Const(f64),
    /// A unary function.
    Un(UnOp, Box<E>),
    /// A binary function.
    Bin(BinOp, Box<E>, Box<E>),
    /// An integer power.
    Powi(Box<E>, i32),
    /// `select(cmp(a, b), c, d)`.
    Sel(CmpOp, Box<E>, Box<E>, Box<E>, Box<E>),
}

/// The input names of the random graphs.
pub const NAMES: [&str; 3] = ["x", "y", "p"];

/// Expressions of depth up to `depth` over every unary and binary op, `powi` and `select`.
pub fn expr(depth: u32) -> impl Strategy<Value = E> {
    let leaf = prop_oneof![
        (0usize..3).prop_map(E::Var),
        prop_oneof![Just(0.5), Just(2.0), Just(-1.5), Just(3.0)].prop_map(E::Const),
    ];
    leaf.prop_recursive(depth, 64, 4, |inner| {
        prop_oneof![
            4 => (proptest::sample::select(UnOp::ALL.to_vec()), inner.clone())
                .prop_map(|(op, a)| E::Un(op, Box::new(a))),
            4 => (proptest::sample::select(BinOp::ALL.to_vec()), inner.clone(), inner.clone())
                .prop_map(|(op, a, b)| E::Bin(op, Box::new(a), Box::new(b))),
            1 => (inner.clone(), -3i32..=4).prop_map(|(a, k)| E::Powi(Box::new(a), k)),
            1 => (
                proptest::sample::select(CmpOp::ALL.to_vec()),
                inner.clone(),
                inner.clone(),
                inner.clone(),
                inner
            )
                .prop_map(|(op, a, b, c, d)| E::Sel(op, Box::new(a), Box::new(b), Box::new(c), Box::new(d))),
        ]
    })
}

/// Builds `e` into `b` with the inputs `vars`.
pub fn build(b: &mut Builder, e: &E, vars: &[Value]) -> Value {
    match e {
        E::Var(k) => vars[*k],
        E::Const(c) => b.const_f64(*c),
        E::Un(op, a) => {
            let a = build(b, a, vars);
            b.unary(*op, a).unwrap()
        }
        E::Bin(op, a, c) => {
            let a = build(b, a, vars);
            let c = build(b, c, vars);
            b.binary(*op, a, c).unwrap()
        }
        E::Powi(a, k) => {
            let a = build(b, a, vars);
            b.powi(a, *k).unwrap()
        }
        E::Sel(op, a, c, t, f) => {
            let a = build(b, a, vars);
            let c = build(b, c, vars);
            let m = b.cmp(*op, a, c).unwrap();
            let t = build(b, t, vars);
            let f = build(b, f, vars);
            b.select(m, t, f).unwrap()
        }
    }
}

/// The graph `out = e(x, y, p)` with batch inputs `x`, `y` and a scalar `p`.
pub fn graph_of(e: &E) -> Graph {
    let mut b = Builder::new();
    let x = b.input("x", Type::F64_BATCH).unwrap();
    let y = b.input("y", Type::F64_BATCH).unwrap();
    let p = b.input("p", Type::F64).unwrap();
    let v = build(&mut b, e, &[x, y, p]);
    b.output("out", v).unwrap();
    b.finish().unwrap()
}

/// Runs `g` by the interpreter on `f64` inputs (a 1-element input of a scalar declaration is passed as a scalar).
pub fn run(g: &Graph, inputs: &[ArrayD<f64>]) -> Vec<Tensor> {
    let refs: Vec<TensorRef<'_>> = inputs.iter().map(|a| a.view().into()).collect();
    interpret(g, &refs).unwrap()
}

/// The `f64` values of output `k`, broadcast to `n` lanes.
pub fn lanes(t: &Tensor, n: usize) -> Vec<f64> {
    let a = t.as_f64().expect("an f64 output");
    if a.ndim() == 0 { vec![a[[]]; n] } else { a.iter().copied().collect() }
}

/// A batch input.
pub fn batch(v: &[f64]) -> ArrayD<f64> {
    Array1::from_vec(v.to_vec()).into_dyn()
}

/// A scalar input.
pub fn scalar(v: f64) -> ArrayD<f64> {
    ndarray::arr0(v).into_dyn()
}

/// The finite-difference step of the issue: `h = eps^(1/3) max(1, |x|)`.
pub fn step(x: f64) -> f64 {
    f64::EPSILON.cbrt() * x.abs().max(1.0)
}

/// The tolerance of the issue for a derivative compared with a central difference `fd`: `1e-6 + 1e-5 |fd|`.
pub fn tol(fd: f64) -> f64 {
    1e-6 + 1e-5 * fd.abs()
}

/// Central differences of output 0 of `g` with respect to input `k`, lane by lane, with steps `h` and `h/2`:
/// `(D(h), D(h/2))`, each NaN where the samples' rounding could hide the difference. For a scalar input every
/// lane's difference is taken at once (perturbing the scalar moves every lane), which is the per-lane derivative
/// `d out_i / dp`.
pub fn central(g: &Graph, inputs: &[ArrayD<f64>], k: usize, out: usize) -> Vec<(f64, f64)> {
    let n = inputs.iter().map(|a| a.len()).max().unwrap_or(1);
    let mut res = vec![(f64::NAN, f64::NAN); n];
    for (div, slot) in [(1.0, 0), (2.0, 1)] {
        let mut plus = inputs.to_vec();
        let mut minus = inputs.to_vec();
        let mut hs = vec![0.0; n];
        for (lane, (pv, mv)) in plus[k].iter_mut().zip(minus[k].iter_mut()).enumerate() {
            let h = step(*pv) / div;
            // Make x + h and x - h exact so that the divisor is the true step.
            let xp = *pv + h;
            let xm = *pv - h;
            hs[lane] = xp - xm;
            *pv = xp;
            *mv = xm;
        }
        let fp = lanes(&run(g, &plus)[out], n);
        let fm = lanes(&run(g, &minus)[out], n);
        for i in 0..n {
            let h2 = if inputs[k].ndim() == 0 { hs[0] } else { hs[i] };
            let d = (fp[i] - fm[i]) / h2;
            // Below the resolution of the samples (a few ulps of |f| over the step) the difference says nothing:
            // `dy/dp ~ 1e7` that moves by `1e-4 h` gives exactly 0. Such a difference is NaN (not reliable).
            let noise = 4.0 * f64::EPSILON * fp[i].abs().max(fm[i].abs()) / h2.abs();
            let d = if noise > 0.1 * tol(d) { f64::NAN } else { d };
            if slot == 0 {
                res[i].0 = d;
            } else {
                res[i].1 = d;
            }
        }
    }
    res
}

/// Whether a central difference pair is a trustworthy reference: both finite and agreeing to a tenth of the
/// tolerance (the truncation error falls by 4 when the step halves, so their difference bounds it).
pub fn fd_reliable((d1, d2): (f64, f64)) -> bool {
    d1.is_finite() && d2.is_finite() && (d1 - d2).abs() <= 0.1 * tol(d2)
}

/// The residual graph `F(y, a, b) = y^5 + a y + b`, `dF/dy = 5 y^4 + a`.
pub fn quintic_residual() -> Graph {
    let mut r = Builder::new();
    let y = r.input("y", Type::F64_BATCH).unwrap();
    let a = r.input("a", Type::F64_BATCH).unwrap();
    let b = r.input("b", Type::F64_BATCH).unwrap();
    let y5 = r.powi(y, 5).unwrap();
    let ay = r.mul(a, y).unwrap();
    let f0 = r.add(y5, ay).unwrap();
    let f = r.add(f0, b).unwrap();
    let y4 = r.powi(y, 4).unwrap();
    let five = r.const_f64(5.0);
    let d0 = r.mul(five, y4).unwrap();
    let d = r.add(d0, a).unwrap();
    r.output("f", f).unwrap();
    r.output("df", d).unwrap();
    r.finish().unwrap()
}

/// The graph `y = root of y^5 + a y + b` from the guess `-b/a` (inputs `a`, `b` batches), output `y`.
pub fn quintic_graph() -> Graph {
    let mut g = Builder::new();
    let a = g.input("a", Type::F64_BATCH).unwrap();
    let b = g.input("b", Type::F64_BATCH).unwrap();
    let res = g.add_residual(quintic_residual()).unwrap();
    let nb = g.neg(b).unwrap();
    let guess = g.div(nb, a).unwrap();
    let y = g.root(res, &[a, b], RootStart::Guess(guess), RootOptions::F64).unwrap();
    g.output("y", y).unwrap();
    g.finish().unwrap()
}

/// The value of `e` at a point (the IR's scalar semantics) and whether every op on the evaluated path has finite
/// partial derivatives there (the branches `select` takes; not its condition). Where a partial is infinite the
/// chain rule is indeterminate (`asin(x/x)` has derivative `0` but `asin'(1) * 0 = inf * 0`), and no automatic
/// differentiation can be checked against differences there.
pub fn regular(e: &E, vars: &[f64]) -> (f64, bool) {
    use sym_lower::scalar;
    match e {
        E::Var(k) => (vars[*k], true),
        E::Const(c) => (*c, true),
        E::Un(op, a) => {
            let (a, ok) = regular(a, vars);
            let u = scalar::unary(*op, a);
            let d = match op {
                UnOp::Neg | UnOp::Sign | UnOp::Abs => 1.0,
                UnOp::Recip => 1.0 / (a * a),
                UnOp::Sqrt => 0.5 / u,
                UnOp::Cbrt => 1.0 / (3.0 * u * u),
                UnOp::Exp => u,
                UnOp::Log => 1.0 / a,
                UnOp::Sin | UnOp::Cos => 1.0,
                UnOp::Tan | UnOp::Sec => 1.0 / a.cos().powi(2),
                UnOp::Cot | UnOp::Csc | UnOp::Coth => 1.0 / (a * a),
                UnOp::Asin | UnOp::Acos => 1.0 / ((1.0 - a) * (1.0 + a)).sqrt(),
                UnOp::Atan | UnOp::Acot => 1.0 / (1.0 + a * a),
                UnOp::Sinh | UnOp::Cosh => a.cosh(),
                UnOp::Tanh => 1.0,
                UnOp::Asinh => 1.0,
                UnOp::Acosh => 1.0 / ((a - 1.0) * (a + 1.0)).sqrt(),
                UnOp::Atanh => 1.0 / ((1.0 - a) * (1.0 + a)),
                UnOp::LambertW => 1.0 / (u.exp() * (1.0 + u)),
                UnOp::Log1p => 1.0 / (1.0 + a),
                UnOp::Expm1 => a.exp(),
                _ => f64::NAN,
            };
            (u, ok && d.is_finite() && u.is_finite())
        }
        E::Bin(op, a, b) => {
            let (a, oka) = regular(a, vars);
            let (b, okb) = regular(b, vars);
            let u = scalar::binary(*op, a, b);
            let d = match op {
                BinOp::Add | BinOp::Sub | BinOp::Mul => 1.0,
                BinOp::Div => 1.0 / (b * b),
                BinOp::Pow => b * a.powf(b - 1.0) + u * a.ln(),
                BinOp::Hypot => 1.0 / u,
                _ => f64::NAN,
            };
            (u, oka && okb && d.is_finite() && u.is_finite())
        }
        E::Powi(a, k) => {
            let (a, ok) = regular(a, vars);
            let u = scalar::powi(a, *k);
            let d = f64::from(*k) * scalar::powi(a, k - 1);
            (u, ok && d.is_finite() && u.is_finite())
        }
        E::Sel(op, a, b, t, f) => {
            let (a, _) = regular(a, vars);
            let (b, _) = regular(b, vars);
            if scalar::compare(*op, a, b) { regular(t, vars) } else { regular(f, vars) }
        }
    }
}

/// `max(x, 0)` by a select (the IR has no max).
fn at_least_zero(b: &mut Builder, x: Value) -> Value {
    let zero = b.const_f64(0.0);
    let neg = b.lt(x, zero).unwrap();
    b.select(neg, zero, x).unwrap()
}

/// The four roots of `a x^4 + b x^3 + c x^2 + d x + e` for a real-rooted quartic, in closed form (Ferrari, as in
/// sym-solve's `closed_form::quartic`, with the resolvent cubic solved in the real trigonometric form):
/// `x = y - B/4` with `y^4 + p y^2 + q y + r = 0`; `m` the largest root of `m^3 + p m^2 + (p^2/4 - r) m - q^2/8`;
/// `u = sqrt(2m)`; `y = (s u ± sqrt(-2p - 2m - 2 s q / u)) / 2` for `s = ±1`. Radicands that are negative by
/// rounding (they are `>= 0` for real roots) are clamped to zero, and so is the acos argument to `[-1, 1]`.
pub fn quartic_roots(g: &mut Builder, co: [Value; 5]) -> [Value; 4] {
    let k = |g: &mut Builder, x: f64| g.const_f64(x);
    let [a, b, c, d, e] = co;
    let bb = g.div(b, a).unwrap();
    let cc = g.div(c, a).unwrap();
    let dd = g.div(d, a).unwrap();
    let ee = g.div(e, a).unwrap();
    let b2 = g.powi(bb, 2).unwrap();
    let b3 = g.powi(bb, 3).unwrap();
    let b4 = g.powi(bb, 4).unwrap();
    // p = C - 3/8 B^2
    let t = k(g, 3.0 / 8.0);
    let t = g.mul(t, b2).unwrap();
    let p = g.sub(cc, t).unwrap();
    // q = D - B C / 2 + B^3 / 8
    let bc = g.mul(bb, cc).unwrap();
    let half = k(g, 0.5);
    let t1 = g.mul(half, bc).unwrap();
    let eighth = k(g, 0.125);
    let t2 = g.mul(eighth, b3).unwrap();
    let q0 = g.sub(dd, t1).unwrap();
    let q = g.add(q0, t2).unwrap();
    // r = E - B D / 4 + B^2 C / 16 - 3 B^4 / 256
    let bd = g.mul(bb, dd).unwrap();
    let quarter = k(g, 0.25);
    let s1 = g.mul(quarter, bd).unwrap();
    let b2c = g.mul(b2, cc).unwrap();
    let sixteenth = k(g, 1.0 / 16.0);
    let s2 = g.mul(sixteenth, b2c).unwrap();
    let c256 = k(g, 3.0 / 256.0);
    let s3 = g.mul(c256, b4).unwrap();
    let r0 = g.sub(ee, s1).unwrap();
    let r1 = g.add(r0, s2).unwrap();
    let r = g.sub(r1, s3).unwrap();
    // Resolvent m^3 + P2 m^2 + P1 m + P0 with P2 = p, P1 = p^2/4 - r, P0 = -q^2/8.
    let p2 = g.powi(p, 2).unwrap();
    let p2q = g.mul(quarter, p2).unwrap();
    let pp1 = g.sub(p2q, r).unwrap();
    let q2 = g.powi(q, 2).unwrap();
    let q28 = g.mul(eighth, q2).unwrap();
    let pp0 = g.neg(q28).unwrap();
    // m = t - P2/3: t^3 + alpha t + beta.
    let third = k(g, 1.0 / 3.0);
    let p2sq = g.powi(p, 2).unwrap();
    let a1 = g.mul(third, p2sq).unwrap();
    let alpha = g.sub(pp1, a1).unwrap();
    let p3 = g.powi(p, 3).unwrap();
    let c227 = k(g, 2.0 / 27.0);
    let be1 = g.mul(c227, p3).unwrap();
    let pp = g.mul(p, pp1).unwrap();
    let be2 = g.mul(third, pp).unwrap();
    let be3 = g.sub(be1, be2).unwrap();
    let beta = g.add(be3, pp0).unwrap();
    // Largest root: t0 = 2 sqrt(-alpha/3) cos(acos(3 beta / (2 alpha) sqrt(-3/alpha)) / 3).
    let na = g.neg(alpha).unwrap();
    let na3 = g.mul(third, na).unwrap();
    let na3 = at_least_zero(g, na3);
    let sq = g.sqrt(na3).unwrap();
    let two = k(g, 2.0);
    let amp = g.mul(two, sq).unwrap();
    let three = k(g, 3.0);
    let num = g.mul(three, beta).unwrap();
    let den = g.mul(two, alpha).unwrap();
    let ratio = g.div(num, den).unwrap();
    let m3 = k(g, -3.0);
    let m3a = g.div(m3, alpha).unwrap();
    let s3a = g.sqrt(m3a).unwrap();
    let arg = g.mul(ratio, s3a).unwrap();
    let one = k(g, 1.0);
    let mone = k(g, -1.0);
    let hi = g.gt(arg, one).unwrap();
    let arg = g.select(hi, one, arg).unwrap();
    let lo = g.lt(arg, mone).unwrap();
    let arg = g.select(lo, mone, arg).unwrap();
    let phi = g.acos(arg).unwrap();
    let phi3 = g.mul(third, phi).unwrap();
    let cs = g.cos(phi3).unwrap();
    let t0 = g.mul(amp, cs).unwrap();
    let shift = g.mul(third, p).unwrap();
    let m = g.sub(t0, shift).unwrap();
    let m = at_least_zero(g, m);
    // u = sqrt(2m), the two quadratics.
    let m2 = g.mul(two, m).unwrap();
    let u = g.sqrt(m2).unwrap();
    let qu = g.div(q, u).unwrap();
    let tp = g.mul(two, p).unwrap();
    let base0 = g.add(tp, m2).unwrap();
    let base = g.neg(base0).unwrap();
    let xshift = g.mul(quarter, bb).unwrap();
    let mut out = Vec::with_capacity(4);
    for s in [1.0, -1.0] {
        let sq2 = k(g, 2.0 * s);
        let t = g.mul(sq2, qu).unwrap();
        let rad = g.sub(base, t).unwrap();
        let rad = at_least_zero(g, rad);
        let w = g.sqrt(rad).unwrap();
        let su = if s > 0.0 { u } else { g.neg(u).unwrap() };
        for pm in [-1.0, 1.0] {
            let y2 = if pm > 0.0 { g.add(su, w).unwrap() } else { g.sub(su, w).unwrap() };
            let y = g.mul(half, y2).unwrap();
            out.push(g.sub(y, xshift).unwrap());
        }
    }
    [out[0], out[1], out[2], out[3]]
}

/// The residual `P(y; a, b, c, d, e) = (((a y + b) y + c) y + d) y + e`, `P' = ((4a y + 3b) y + 2c) y + d`.
pub fn quartic_residual() -> Graph {
    let mut r = Builder::new();
    let y = r.input("y", Type::F64_BATCH).unwrap();
    let co: Vec<Value> = ["a", "b", "c", "d", "e"].iter().map(|n| r.input(n, Type::F64_BATCH).unwrap()).collect();
    let mut f = co[0];
    for c in &co[1..] {
        let m = r.mul(f, y).unwrap();
        f = r.add(m, *c).unwrap();
    }
    let mut df = None;
    for (k, c) in co[..4].iter().enumerate() {
        let w = r.const_f64(f64::from(4 - k as i32));
        let t = r.mul(w, *c).unwrap();
        df = Some(match df {
            None => t,
            Some(acc) => {
                let m = r.mul(acc, y).unwrap();
                r.add(m, t).unwrap()
            }
        });
    }
    r.output("f", f).unwrap();
    r.output("df", df.unwrap()).unwrap();
    r.finish().unwrap()
}

/// The quartic graph: inputs `a..e` (batches), outputs `r0..r3`. With `implicit`, each closed-form root is tied to
/// the polynomial by `sym_grad::implicit_solution` (derivatives by the implicit function theorem); without, the
/// derivatives go through the formula.
pub fn quartic_graph(implicit: bool) -> Graph {
    let mut g = Builder::new();
    let co: Vec<Value> = ["a", "b", "c", "d", "e"].iter().map(|n| g.input(n, Type::F64_BATCH).unwrap()).collect();
    let roots = quartic_roots(&mut g, [co[0], co[1], co[2], co[3], co[4]]);
    for (k, r) in roots.iter().enumerate() {
        let v = if implicit { sym_grad::implicit_solution(&mut g, *r, quartic_residual(), &co).unwrap() } else { *r };
        g.output(&format!("r{k}"), v).unwrap();
    }
    g.finish().unwrap()
}

/// The sym-core expression of `e` over the symbols `x`, `y`, `p`, with the IR's real semantics: constants exact,
/// `cbrt(a)` the real cube root `sign(a) |a|^(1/3)`, `log1p(a) = log(1 + a)`, `expm1(a) = exp(a) - 1`,
/// `hypot(a, b) = sqrt(a^2 + b^2)`, and `select(cmp(a, b), t, f)` the `Piecewise((t, cmp(a, b)), (f, True))`.
pub fn to_expr(e: &E) -> sym_core::Expr {
    use sym_core::{Expr, Func, RelOp};
    match e {
        E::Var(k) => Expr::symbol(NAMES[*k]),
        E::Const(c) => {
            // The constants of `expr` are halves of integers.
            #[allow(clippy::cast_possible_truncation)]
            let twice = (c * 2.0) as i64;
            Expr::rational(twice, 2)
        }
        E::Un(op, a) => {
            let a = to_expr(a);
            match op {
                UnOp::Neg => Expr::neg(a),
                UnOp::Recip => Expr::recip(a),
                UnOp::Sqrt => Expr::sqrt(a),
                UnOp::Cbrt => Expr::mul(
                    Expr::func(Func::Sign, a.clone()),
                    Expr::pow(Expr::func(Func::Abs, a), Expr::rational(1, 3)),
                ),
                UnOp::Exp => Expr::exp(a),
                UnOp::Log => Expr::log(a),
                UnOp::Log1p => Expr::log(Expr::add(Expr::int(1), a)),
                UnOp::Expm1 => Expr::sub(Expr::exp(a), Expr::int(1)),
                UnOp::Sin => Expr::func(Func::Sin, a),
                UnOp::Cos => Expr::func(Func::Cos, a),
                UnOp::Tan => Expr::func(Func::Tan, a),
                UnOp::Cot => Expr::func(Func::Cot, a),
                UnOp::Sec => Expr::func(Func::Sec, a),
                UnOp::Csc => Expr::func(Func::Csc, a),
                UnOp::Asin => Expr::func(Func::Asin, a),
                UnOp::Acos => Expr::func(Func::Acos, a),
                UnOp::Atan => Expr::func(Func::Atan, a),
                UnOp::Acot => Expr::func(Func::Acot, a),
                UnOp::Sinh => Expr::func(Func::Sinh, a),
                UnOp::Cosh => Expr::func(Func::Cosh, a),
                UnOp::Tanh => Expr::func(Func::Tanh, a),
                UnOp::Coth => Expr::func(Func::Coth, a),
                UnOp::Asinh => Expr::func(Func::Asinh, a),
                UnOp::Acosh => Expr::func(Func::Acosh, a),
                UnOp::Atanh => Expr::func(Func::Atanh, a),
                UnOp::Abs => Expr::func(Func::Abs, a),
                UnOp::Sign => Expr::func(Func::Sign, a),
                UnOp::LambertW => Expr::func(Func::LambertW, a),
                other => unreachable!("an op the tests do not generate: {other:?}"),
            }
        }
        E::Bin(op, a, b) => {
            let (a, b) = (to_expr(a), to_expr(b));
            match op {
                BinOp::Add => Expr::add(a, b),
                BinOp::Sub => Expr::sub(a, b),
                BinOp::Mul => Expr::mul(a, b),
                BinOp::Div => Expr::div(a, b),
                BinOp::Pow => Expr::pow(a, b),
                BinOp::Hypot => Expr::sqrt(Expr::add(Expr::pow(a, Expr::int(2)), Expr::pow(b, Expr::int(2)))),
                other => unreachable!("an op the tests do not generate: {other:?}"),
            }
        }
        E::Powi(a, k) => Expr::pow(to_expr(a), Expr::int(i64::from(*k))),
        E::Sel(op, a, b, t, f) => {
            let rel = match op {
                CmpOp::Lt => RelOp::Lt,
                CmpOp::Le => RelOp::Le,
                CmpOp::Gt => RelOp::Gt,
                CmpOp::Ge => RelOp::Ge,
                CmpOp::Eq => RelOp::Eq,
                CmpOp::Ne => RelOp::Ne,
                other => unreachable!("a comparison the tests do not generate: {other:?}"),
            };
            let c = Expr::rel(rel, to_expr(a), to_expr(b));
            Expr::piecewise([(to_expr(t), c), (to_expr(f), Expr::boolean(true))])
        }
    }
}
