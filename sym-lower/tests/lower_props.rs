//! Property tests of lowering: for random expressions over every function sym-core knows (and `Piecewise`),
//! the executor and the reference interpreter agree bit for bit, an output is NaN exactly where its mask is false,
//! and both agree with the MPFR evaluation of the sym-core expression where that value is real, finite and
//! well conditioned:
//!
//! `|lowered - exact| <= 1e-9 * max(1, |exact|)`,
//!
//! where a point is well conditioned when perturbing each input by a relative `2^-40` (about 1e-12) moves the
//! exact value by at most `1e-6 * max(1e-3, |exact|)` and does not change whether it is real. (The lowered
//! graph rounds every operation, so near a singularity or a cancellation its error is the exact function's
//! sensitivity times a few ulps; the perturbation test measures that sensitivity.) At a well-conditioned point
//! the masks must also agree with MPFR: a real finite exact value has its mask set, and a set mask has a real
//! exact value.

use ndarray::Array1;
use proptest::prelude::*;
use rug::{Complex, Float};
use sym_core::evalf::{ComplexEnv, eval_complex};
use sym_core::{Expr, Func, RelOp, Symbol};
use sym_lower::lower::{LowerOptions, lower_expr};
use sym_lower::{Executor, TensorRef, interpret, parse, print};

/// A leaf: a symbol, a small integer or rational, or a constant.
fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        4 => proptest::sample::select(&["x", "y"][..]).prop_map(Expr::symbol),
        2 => (-5i64..=5).prop_map(Expr::int),
        1 => (-7i64..=7, 1i64..=5).prop_map(|(p, q)| Expr::rational(p, q)),
        1 => Just(Expr::pi()),
        1 => Just(Expr::e()),
    ]
}

/// Random expressions of bounded depth, with every function, powers, and `Piecewise` with relations.
fn expr(depth: u32) -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(depth, 40, 3, |inner| {
        prop_oneof![
            3 => (inner.clone(), inner.clone()).prop_map(|(a, b)| a + b),
            3 => (inner.clone(), inner.clone()).prop_map(|(a, b)| a * b),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| a - b),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| a / b),
            2 => (inner.clone(), -3i64..=4).prop_map(|(a, n)| Expr::pow(a, Expr::int(n))),
            1 => (inner.clone(), prop_oneof![Just((1i64, 2i64)), Just((1, 3)), Just((-1, 2)), Just((3, 2)), Just((2, 3))])
                .prop_map(|(a, (p, q))| Expr::pow(a, Expr::rational(p, q))),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::pow(a, b)),
            4 => (proptest::sample::select(&Func::ALL[..]), inner.clone()).prop_map(|(f, a)| Expr::func(f, a)),
            1 => (inner.clone(), inner.clone(), inner.clone(), inner.clone(),
                  proptest::sample::select(&[RelOp::Lt, RelOp::Le, RelOp::Gt, RelOp::Ge][..]))
                .prop_map(|(v, w, a, b, op)| Expr::piecewise([(v, Expr::rel(op, a, b)), (w, Expr::true_())])),
        ]
    })
}

/// The exact value at a point: `Some(Some(v))` real, `Some(None)` not real, `None` undefined.
/// Whether `e` mentions `oo` or `-oo` (which the IR carries as IEEE infinities).
fn has_infinity(e: &Expr) -> bool {
    e.is_const(sym_core::Constant::Infinity)
        || e.is_const(sym_core::Constant::NegInfinity)
        || e.children().iter().any(has_infinity)
}

fn exact(e: &Expr, x: f64, y: f64) -> Option<Option<f64>> {
    exact_at(e, x, y, 256)
}

fn exact_at(e: &Expr, x: f64, y: f64, prec: u32) -> Option<Option<f64>> {
    let env: ComplexEnv =
        [("x", x), ("y", y)].iter().map(|(n, v)| (Symbol::new(n), Complex::with_val(prec, (*v, 0.0)))).collect();
    let z = eval_complex(e, &env, prec).ok()?;
    let m = Float::with_val(prec, z.abs_ref());
    let im = Float::with_val(prec, z.imag().abs_ref());
    let real = z.imag().is_zero() || im <= m * 1e-50_f64;
    Some(real.then(|| z.real().to_f64()))
}

/// Whether every intermediate value that the real IR computes is real at the point: every subexpression, every
/// factor `b**e` of a product, and of a `Piecewise` the conditions consulted and the branch taken. (A complex
/// intermediate can give a real result, `acos(y)/sqrt(x)` at `x = -1`, `y = 2`, which the real IR cannot compute:
/// it reports the lane as undefined. Constant subexpressions are folded exactly, so only their value counts.)
fn real_path(e: &Expr, x: f64, y: f64) -> bool {
    use sym_core::Kind;
    match e.kind() {
        Kind::Piecewise(bs) => {
            for (v, c) in bs.iter() {
                if !real_path(c, x, y) {
                    return false;
                }
                let holds = match c.kind() {
                    Kind::Bool(b) => *b,
                    Kind::Rel(op, a, b) => match (exact(a, x, y), exact(b, x, y)) {
                        (Some(Some(p)), Some(Some(q))) => match op {
                            RelOp::Lt => p < q,
                            RelOp::Le => p <= q,
                            RelOp::Gt => p > q,
                            RelOp::Ge => p >= q,
                            RelOp::Eq => p == q,
                            RelOp::Ne => p != q,
                        },
                        _ => return false,
                    },
                    _ => return false,
                };
                if holds {
                    return real_path(v, x, y);
                }
            }
            false
        }
        Kind::Rel(_, a, b) => real_path(a, x, y) && real_path(b, x, y),
        Kind::Bool(_) => true,
        _ => {
            if !matches!(exact(e, x, y), Some(Some(_))) {
                return false;
            }
            // Constant subexpressions are folded in MPFR, complex intermediates and all.
            if sym_core::expr::free_symbols(e).is_empty() {
                return true;
            }
            if let Kind::Mul(m) = e.kind()
                && !m.factors.iter().all(|(b, p)| real_path(&Expr::pow(b.clone(), p.clone()), x, y))
            {
                return false;
            }
            if let Kind::Pow(b, p) = e.kind() {
                return real_path(b, x, y) && real_path(p, x, y);
            }
            e.children().iter().all(|c| real_path(c, x, y))
        }
    }
}

/// Whether the exact function is well conditioned at the point (see the module doc).
fn well_conditioned(e: &Expr, x: f64, y: f64, at: Option<Option<f64>>) -> bool {
    let Some(Some(v)) = at else {
        // Undefined or not real: stable if the perturbed points agree.
        let d = 2f64.powi(-40);
        return [(x * (1.0 + d), y), (x * (1.0 - d), y), (x, y * (1.0 + d)), (x, y * (1.0 - d))]
            .iter()
            .all(|&(p, q)| exact(e, p, q).map(|r| r.is_some()) == at.map(|r| r.is_some()));
    };
    if !v.is_finite() || v.abs() > 1e250 {
        return false;
    }
    // A value that moves with the working precision sits on a pole of a constant argument (`cot(pi)` is
    // 1e77 at 256 bits): no perturbation of x or y shows it.
    match exact_at(e, x, y, 512) {
        Some(Some(w)) if (w - v).abs() <= 1e-12 * v.abs().max(1.0) => {}
        _ => return false,
    }
    let d = 2f64.powi(-40);
    let tol = 1e-6 * v.abs().max(1e-3);
    [(x * (1.0 + d), y), (x * (1.0 - d), y), (x, y * (1.0 + d)), (x, y * (1.0 - d))]
        .iter()
        .all(|&(p, q)| matches!(exact(e, p, q), Some(Some(w)) if (w - v).abs() <= tol))
}

fn lanes() -> impl Strategy<Value = Vec<(f64, f64)>> {
    proptest::collection::vec((-3.0f64..3.0, -3.0f64..3.0), 8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn executor_interpreter_and_mpfr_agree(e in expr(4), pts in lanes()) {
        let g = match lower_expr(&e, &["x", "y"], &LowerOptions::default()) {
            Ok(g) => g,
            // Constants with no real value (`acos(3)`, `zoo`) are refused with an error naming them.
            Err(sym_lower::Error::Lower(err)) => {
                prop_assert!(matches!(err.problem, sym_lower::LowerProblem::Complex | sym_lower::LowerProblem::Undefined { .. }), "{e}: {err}");
                return Ok(());
            }
            Err(other) => return Err(TestCaseError::fail(format!("{e}: {other}"))),
        };
        // The lowered graph prints and parses back.
        prop_assert_eq!(&parse(&print(&g)).unwrap(), &g);
        let xs = Array1::from_iter(pts.iter().map(|p| p.0));
        let ys = Array1::from_iter(pts.iter().map(|p| p.1));
        let ins = [TensorRef::from(&xs), TensorRef::from(&ys)];
        let fast = Executor::new(&g).unwrap().run(&ins).unwrap();
        let slow = interpret(&g, &ins).unwrap();
        // Outputs that do not depend on the inputs are scalars (0-dimensional): broadcast them.
        let at_f = |t: &sym_lower::Tensor, k: usize| {
            let a = t.as_f64().unwrap();
            if a.ndim() == 0 { a[[]] } else { a[[k]] }
        };
        let at_b = |t: &sym_lower::Tensor, k: usize| {
            let a = t.as_bool().unwrap();
            if a.ndim() == 0 { a[[]] } else { a[[k]] }
        };
        for (k, &(x, y)) in pts.iter().enumerate() {
            let (a, b) = (at_f(&fast[0], k), at_f(&slow[0], k));
            let (okk, sokk) = (at_b(&fast[1], k), at_b(&slow[1], k));
            prop_assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "{e} at ({x}, {y}): executor {a}, interpreter {b}");
            prop_assert_eq!(okk, sokk);
            // No silent NaN: NaN exactly where the mask is false.
            prop_assert_eq!(a.is_nan(), !okk, "{} at ({}, {}): value {} ok {}", e, x, y, a, okk);
            let at = exact(&e, x, y);
            if !well_conditioned(&e, x, y, at) {
                continue;
            }
            match at {
                Some(Some(r)) => {
                    if !real_path(&e, x, y) {
                        // A complex intermediate: the real IR reports the lane undefined.
                        prop_assert!(!okk, "{e} at ({x}, {y}): a complex intermediate, but the mask is set");
                        continue;
                    }
                    prop_assert!(okk, "{e} at ({x}, {y}): exact {r}, but the mask is false (value {a})");
                    prop_assert!((a - r).abs() <= 1e-9 * r.abs().max(1.0), "{e} at ({x}, {y}): {a} vs exact {r}");
                }
                // MPFR has no infinities: `x**oo` or `atan(oo*x)` have no reference value here.
                None if has_infinity(&e) => continue,
                _ => prop_assert!(!okk, "{e} at ({x}, {y}): no real exact value ({at:?}), but {a} with the mask set"),
            }
        }
    }
}
