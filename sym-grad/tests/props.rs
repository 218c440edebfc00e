//! Property tests: IR reverse mode, forward mode, the symbolic derivative of sym-core (`Expr::diff`, lowered by
//! sym-lower and interpreted), Hessians and burn's autodiff against central finite differences, on random graphs of
//! depth up to 5 over every op, and on roots of random polynomials and implicit equations.
//!
//! The reference is the central difference `(f(x+h) - f(x-h)) / 2h` with `h = eps^(1/3) max(1, |x|)` (truncation
//! error `O(h^2)`, rounding error `O(eps |f| / h)`: both about `eps^(2/3)` relative), and the check is
//! `|ad - fd| <= 1e-6 + 1e-5 |fd|`. A lane is checked where the function is finite, every op on its path has finite
//! partials (elsewhere the chain rule is indeterminate, see `common::regular`), and the difference is a
//! trustworthy reference (the differences with steps `h` and `h/2` agree to a tenth of the tolerance), which
//! excludes points within `h` of a kink, a jump or a pole, where no derivative-free reference exists.
// Numeric checks index parallel arrays by lane, input and coefficient at once.
#![allow(clippy::needless_range_loop)]

mod common;

use common::*;
use proptest::prelude::*;
use sym_grad::{GradOptions, forward_derivatives, gradient, hessian};
use sym_lower::{Builder, Executor, RootOptions, RootStart, TensorRef, Type};

const N: usize = 8;

/// The symbolic derivatives of `e` (sym-core's `Expr::diff` of [`to_expr`]), lowered by sym-lower with its domain
/// masks and interpreted at the points: `(value, [d/dx, d/dy, d/dp])` per lane, or `None` when the expression has
/// a constant subexpression without a real value (`log(-3/2)`: sym-core's principal value is complex, and the
/// lowering refuses it, while the IR computes NaN there).
fn symbolic(e: &E, xs: &[f64], ys: &[f64], p: f64) -> Option<(Vec<f64>, [Vec<f64>; 3])> {
    use sym_lower::lower::{LowerOptions, lower_exprs};
    use sym_lower::{Error, LowerError, LowerProblem};
    let ex = to_expr(e);
    let d: Vec<sym_core::Expr> = NAMES.iter().map(|n| ex.diff(sym_core::Symbol::new(n))).collect();
    let named = [("v", &ex), ("dx", &d[0]), ("dy", &d[1]), ("dp", &d[2])];
    let g = match lower_exprs(&named, &NAMES, &LowerOptions::default()) {
        Ok(g) => g,
        Err(Error::Lower(LowerError { problem: LowerProblem::Complex | LowerProblem::Undefined { .. }, .. })) => {
            return None;
        }
        Err(other) => panic!("lowering {ex}: {other}"),
    };
    let out = run(&g, &[batch(xs), batch(ys), batch(&[p; N])]);
    let col = |name: &str| {
        let k = g.outputs.iter().position(|o| o.name == name).expect("a lowered output");
        lanes(&out[k], N)
    };
    Some((col("v"), [col("dx"), col("dy"), col("dp")]))
}

/// Root options of the test graphs: sym-lower's default tolerance `1e-15` can be below the attainable accuracy
/// `eps m(F) / |F'|` of a root with a small derivative, where its safeguarded Newton alternates between two
/// iterates (reported as `not_converged`); `1e-12` is well above it and far below what the differences resolve.
const TEST_ROOT: RootOptions = RootOptions { tol: 1e-12, max_iter: 100 };

fn points() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, f64)> {
    (proptest::collection::vec(-2.5f64..2.5, N), proptest::collection::vec(-2.5f64..2.5, N), -2.5f64..2.5)
}

/// Checks the derivatives of output 0 of `g` (inputs x, y batches and p scalar) at the given points; returns the
/// number of lanes checked.
fn check_first_derivatives(e: &E, xs: &[f64], ys: &[f64], p: f64) -> Result<usize, TestCaseError> {
    let g = graph_of(e);
    let inputs = vec![batch(xs), batch(ys), scalar(p)];
    let value_out = run(&g, &inputs);
    let scalar_out = value_out[0].shape().is_empty();
    let values = lanes(&value_out[0], N);
    let opts = GradOptions::default();
    let rev = gradient(&g, "out", &NAMES, &opts).unwrap();
    let fwd = forward_derivatives(&g, &["out"], &NAMES, &opts).unwrap();
    let rev_out = run(rev.graph(), &inputs);
    let fwd_out = run(fwd.graph(), &inputs);
    // The executor runs the derivative graphs like the interpreter does.
    let refs: Vec<TensorRef<'_>> = inputs.iter().map(|a| a.view().into()).collect();
    let fast = Executor::new(rev.graph()).unwrap().run(&refs).unwrap();
    for (a, b) in fast.iter().zip(&rev_out) {
        let (a, b) = (lanes(a, N), lanes(b, N));
        for (u, v) in a.iter().zip(&b) {
            prop_assert!(u.to_bits() == v.to_bits() || (u.is_nan() && v.is_nan()), "executor {u} vs interpreter {v}");
        }
    }
    let sym = symbolic(e, xs, ys, p);
    let mut checked = 0;
    for k in 0..3 {
        let fd = central(&g, &inputs, k, 0);
        let ad_fwd = lanes(&fwd_out[1 + k], N);
        let ad_rev = lanes(&rev_out[1 + k], N);
        let mut sum_fd = 0.0;
        let mut sum_tol = 0.0;
        let mut all = true;
        for i in 0..N {
            if !(values[i].is_finite() && fd_reliable(fd[i]) && regular(e, &[xs[i], ys[i], p]).1) {
                all = false;
                continue;
            }
            let r = fd[i].1;
            checked += 1;
            prop_assert!(
                (ad_fwd[i] - r).abs() <= tol(r),
                "forward d/d{}: lane {i}: ad {} fd {r} ({e:?})",
                NAMES[k],
                ad_fwd[i]
            );
            if k < 2 {
                prop_assert!(
                    (ad_rev[i] - r).abs() <= tol(r),
                    "reverse d/d{}: lane {i}: ad {} fd {r} ({e:?})",
                    NAMES[k],
                    ad_rev[i]
                );
            }
            // The symbolic derivative, where sym-core's expression has the IR's value (the lowering masks lanes
            // outside sym-core's real domain, such as `pow` with a negative base, which the IR may evaluate).
            if let Some((sv, sd)) = &sym
                && (sv[i] - values[i]).abs() <= 1e-9 * values[i].abs().max(1.0)
            {
                prop_assert!(
                    (sd[k][i] - r).abs() <= tol(r),
                    "symbolic d/d{}: lane {i}: {} fd {r} ({e:?})",
                    NAMES[k],
                    sd[k][i]
                );
            }
            sum_fd += r;
            sum_tol += tol(r);
        }
        // The reverse-mode derivative for the scalar p is the sum over lanes of a batch output (checked when every
        // lane is), and the derivative itself for a scalar output.
        if k == 2 && all {
            if scalar_out {
                prop_assert!(
                    (ad_rev[0] - fd[0].1).abs() <= tol(fd[0].1),
                    "reverse d/dp: ad {} fd {} ({e:?})",
                    ad_rev[0],
                    fd[0].1
                );
            } else {
                prop_assert!(
                    (ad_rev[0] - sum_fd).abs() <= sum_tol,
                    "reverse d/dp: ad {} fd {sum_fd} ({e:?})",
                    ad_rev[0]
                );
            }
        }
    }
    Ok(checked)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, max_global_rejects: 100_000, ..ProptestConfig::default() })]

    // Reverse and forward mode on random graphs of depth up to 5 agree with central differences:
    // d out_i / d x_i = (out_i(x + h e_i) - out_i(x - h e_i)) / 2h + O(h^2).
    #[test]
    fn first_derivatives_match_central_differences(e in expr(5), (xs, ys, p) in points()) {
        let checked = check_first_derivatives(&e, &xs, &ys, p)?;
        prop_assume!(checked > 0);
    }

    // The Hessian (forward over reverse) agrees with central differences of the gradient:
    // d2 out / dx_j dx_k = (g_k(x + h e_j) - g_k(x - h e_j)) / 2h + O(h^2), with g the reverse-mode gradient.
    #[test]
    fn hessian_matches_differences_of_the_gradient(e in expr(4), (xs, ys, p) in points()) {
        let g = graph_of(&e);
        let opts = GradOptions::default();
        let inputs = vec![batch(&xs), batch(&ys), scalar(p)];
        let grad = gradient(&g, "out", &["x", "y"], &opts).unwrap();
        let h = hessian(&g, "out", &["x", "y"], &opts).unwrap();
        let h_out = run(h.graph(), &inputs);
        let values = lanes(&h_out[0], N);
        let mut checked = 0;
        for j in 0..2 {
            for k in 0..2 {
                // d/dx_j of output "d(out)/d(x_k)" (output 1 + k of the gradient graph).
                let fd = central(grad.graph(), &inputs, j, 1 + k);
                let ad = lanes(&h_out[3 + 2 * k + j], N);
                for i in 0..N {
                    if !(values[i].is_finite() && fd_reliable(fd[i]) && regular(&e, &[xs[i], ys[i], p]).1) {
                        continue;
                    }
                    checked += 1;
                    let r = fd[i].1;
                    prop_assert!((ad[i] - r).abs() <= tol(r), "H[{k}][{j}] lane {i}: ad {} fd {r} ({e:?})", ad[i]);
                }
            }
        }
        prop_assume!(checked > 0);
    }

    // Roots of random cubics with one real root: F(y) = (y - r)(y^2 + s y + t) with t > s^2/4, expanded into
    // coefficients c0..c3 (the inputs). The root's derivative w.r.t. each coefficient is -y^i / F'(y) by the
    // implicit function theorem; compared with central differences of the root op itself.
    #[test]
    fn polynomial_roots_match_central_differences(
        r in -2.0f64..2.0, s in -2.0f64..2.0, dt in 0.1f64..3.0, lead in 0.5f64..2.0, g0 in -1.0f64..1.0,
    ) {
        let t = s * s / 4.0 + dt;
        // (y - r)(y^2 + s y + t) = y^3 + (s - r) y^2 + (t - r s) y - r t, scaled by `lead`.
        let c = [-r * t * lead, (t - r * s) * lead, (s - r) * lead, lead];
        let g = cubic_root_graph();
        let inputs: Vec<_> = c.iter().map(|v| batch(&[*v])).chain([batch(&[r + g0])]).collect();
        let names = ["c0", "c1", "c2", "c3"];
        let d = gradient(&g, "y", &names, &GradOptions::default()).unwrap();
        let out = run(d.graph(), &inputs);
        let y = lanes(&out[0], 1)[0];
        prop_assert_eq!(d.status(&out, 1).unwrap().unwrap()[0], sym_lower::RootStatus::Converged);
        prop_assert!((y - r).abs() <= 1e-12 * (1.0 + r.abs()));
        let fprime = 3.0 * c[3] * y * y + 2.0 * c[2] * y + c[1];
        for k in 0..4 {
            let ad = lanes(&out[1 + k], 1)[0];
            let exact = -y.powi(k as i32) / fprime;
            prop_assert!((ad - exact).abs() <= 1e-12 * (1.0 + exact.abs()), "d y/d c{k}: {ad} vs {exact}");
            let fd = central(&g, &inputs, k, 0)[0];
            prop_assert!(fd_reliable(fd));
            prop_assert!((ad - fd.1).abs() <= tol(fd.1), "d y/d c{k}: ad {ad} fd {}", fd.1);
        }
    }

    // Roots of random implicit equations F(y; a, p) = y^3 + a y - E(p) = 0 with a > 0 (increasing in y, one root),
    // where E is a random expression: dy/da = -y / F_y and dy/dp = E'(p) / F_y, checked against central
    // differences of the root, in reverse and forward mode, and the second derivative d2y/da2 against
    // differences of the first.
    #[test]
    fn implicit_roots_match_central_differences(e in expr(3), a in 0.5f64..3.0, p in -2.0f64..2.0) {
        let g = implicit_graph(&e);
        let inputs = vec![batch(&[a]), batch(&[p])];
        let opts = GradOptions::default();
        let rev = gradient(&g, "y", &["a", "p"], &opts).unwrap();
        let fwd = forward_derivatives(&g, &["y"], &["a", "p"], &opts).unwrap();
        let hes = hessian(&g, "y", &["a", "p"], &opts).unwrap();
        let rev_out = run(rev.graph(), &inputs);
        let fwd_out = run(fwd.graph(), &inputs);
        let hes_out = run(hes.graph(), &inputs);
        let y = lanes(&rev_out[0], 1)[0];
        // Where the root did not converge (a huge E(p) needs more steps than the limit), the derivatives are NaN
        // and the status says why.
        let status = rev.status(&rev_out, 1).unwrap().expect("a root was differentiated")[0];
        if status != sym_lower::RootStatus::Converged {
            // y always depends on a (E(p) may be a constant, and then dy/dp is a structural zero).
            prop_assert!(lanes(&rev_out[1], 1)[0].is_nan());
            return Ok(());
        }
        prop_assume!(y.is_finite() && regular(&e, &[p, p, p]).1);
        let mut checked = 0;
        for k in 0..2 {
            let fd = central(&g, &inputs, k, 0)[0];
            if !fd_reliable(fd) {
                continue;
            }
            checked += 1;
            let (r, f) = (lanes(&rev_out[1 + k], 1)[0], lanes(&fwd_out[1 + k], 1)[0]);
            prop_assert!((r - fd.1).abs() <= tol(fd.1), "reverse dy/d{k}: {r} vs fd {}", fd.1);
            prop_assert!((f - fd.1).abs() <= tol(fd.1), "forward dy/d{k}: {f} vs fd {}", fd.1);
            for j in 0..2 {
                let fd2 = central(rev.graph(), &inputs, j, 1 + k)[0];
                if !fd_reliable(fd2) {
                    continue;
                }
                let h = lanes(&hes_out[3 + 2 * k + j], 1)[0];
                prop_assert!((h - fd2.1).abs() <= tol(fd2.1), "H[{k}][{j}]: {h} vs fd {}", fd2.1);
            }
        }
        prop_assume!(checked > 0);
    }
}

/// `y = root of c0 + c1 y + c2 y^2 + c3 y^3` from the guess `g` in the bracket `[g - 4, g + 4]` (all inputs
/// batches).
fn cubic_root_graph() -> sym_lower::Graph {
    let mut r = Builder::new();
    let y = r.input("y", Type::F64_BATCH).unwrap();
    let c: Vec<_> = (0..4).map(|k| r.input(&format!("c{k}"), Type::F64_BATCH).unwrap()).collect();
    // Horner: ((c3 y + c2) y + c1) y + c0, and its derivative (3 c3 y + 2 c2) y + c1.
    let mut f = c[3];
    for k in (0..3).rev() {
        let m = r.mul(f, y).unwrap();
        f = r.add(m, c[k]).unwrap();
    }
    let three = r.const_f64(3.0);
    let two = r.const_f64(2.0);
    let t3 = r.mul(three, c[3]).unwrap();
    let t3y = r.mul(t3, y).unwrap();
    let t2 = r.mul(two, c[2]).unwrap();
    let s = r.add(t3y, t2).unwrap();
    let sy = r.mul(s, y).unwrap();
    let df = r.add(sy, c[1]).unwrap();
    r.output("f", f).unwrap();
    r.output("df", df).unwrap();
    let res = r.finish().unwrap();

    let mut b = Builder::new();
    let cs: Vec<_> = (0..4).map(|k| b.input(&format!("c{k}"), Type::F64_BATCH).unwrap()).collect();
    let guess = b.input("guess", Type::F64_BATCH).unwrap();
    let four = b.const_f64(4.0);
    let lo = b.sub(guess, four).unwrap();
    let hi = b.add(guess, four).unwrap();
    let id = b.add_residual(res).unwrap();
    let start = RootStart::GuessInBracket { guess, lo, hi };
    let y = b.root(id, &cs, start, TEST_ROOT).unwrap();
    b.output("y", y).unwrap();
    b.finish().unwrap()
}

/// `y = root of y^3 + a y - E(p)` (inputs `a`, `p` batches), bracketed by `[-B, B]` with
/// `B = 1 + |E(p)| / a + |E(p)|^(1/3)`, which contains the root.
fn implicit_graph(e: &E) -> sym_lower::Graph {
    let mut r = Builder::new();
    let y = r.input("y", Type::F64_BATCH).unwrap();
    let a = r.input("a", Type::F64_BATCH).unwrap();
    let p = r.input("p", Type::F64_BATCH).unwrap();
    let ep = build(&mut r, e, &[p, p, p]);
    let y3 = r.powi(y, 3).unwrap();
    let ay = r.mul(a, y).unwrap();
    let s = r.add(y3, ay).unwrap();
    let f = r.sub(s, ep).unwrap();
    let three = r.const_f64(3.0);
    let y2 = r.powi(y, 2).unwrap();
    let t = r.mul(three, y2).unwrap();
    let df = r.add(t, a).unwrap();
    r.output("f", f).unwrap();
    r.output("df", df).unwrap();
    let res = r.finish().unwrap();

    let mut b = Builder::new();
    let a = b.input("a", Type::F64_BATCH).unwrap();
    let p = b.input("p", Type::F64_BATCH).unwrap();
    let ep = build(&mut b, e, &[p, p, p]);
    let ae = b.abs(ep).unwrap();
    let q = b.div(ae, a).unwrap();
    let cb = b.cbrt(ae).unwrap();
    let one = b.const_f64(1.0);
    let s = b.add(q, cb).unwrap();
    let hi = b.add(s, one).unwrap();
    let lo = b.neg(hi).unwrap();
    let id = b.add_residual(res).unwrap();
    let y = b.root(id, &[a, p], RootStart::Bracket(lo, hi), TEST_ROOT).unwrap();
    b.output("y", y).unwrap();
    b.finish().unwrap()
}

mod burn_props {
    //! burn's autodiff (the custom node whose backward is the IR's vector-Jacobian product, evaluated with burn
    //! ops) against central differences, and burn's values against the interpreter's.

    use super::*;
    use burn::prelude::*;
    use burn::tensor::TensorData;
    use sym_grad::burn_backend::{SymFunction, flex_f64};

    fn t64(v: &[f64], device: &Device) -> Tensor<1> {
        Tensor::from_data(TensorData::new(v.to_vec(), [v.len()]), device)
    }

    fn host(t: Tensor<1>) -> Vec<f64> {
        t.into_data().convert::<f64>().try_into_vec::<f64>().unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, max_global_rejects: 100_000, ..ProptestConfig::default() })]

        // d(sum_i out_i)/dx_i per lane, and the sum over lanes for the scalar p, from burn's backward.
        #[test]
        fn burn_gradients_match_central_differences(e in expr(5), (xs, ys, p) in points()) {
            let g = graph_of(&e);
            let inputs = vec![batch(&xs), batch(&ys), scalar(p)];
            let value_out = run(&g, &inputs);
            let scalar_out = value_out[0].shape().is_empty();
            let values = lanes(&value_out[0], N);
            let device = flex_f64().unwrap();
            let f = SymFunction::new(&g).unwrap();
            let tx = t64(&xs, &device).require_grad();
            let ty = t64(&ys, &device).require_grad();
            let tp = t64(&[p], &device).require_grad();
            let out = f.call(&[tx.clone(), ty.clone(), tp.clone()]).unwrap().remove(0);
            let bv = host(out.clone().inner());
            for i in 0..N {
                let (a, b) = (bv[if scalar_out { 0 } else { i }], values[i]);
                prop_assert!(a == b || (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-12 * (1.0 + b.abs()),
                    "burn value {a} vs interpreter {b} ({e:?})");
            }
            let grads = out.sum().backward();
            let zero = |t: &Tensor<1>, n: usize| t.grad(&grads).map_or(vec![0.0; n], host);
            let gx = zero(&tx, N);
            let gy = zero(&ty, N);
            let gp = zero(&tp, 1);
            let mut checked = 0;
            for (k, gk) in [(0, &gx), (1, &gy)] {
                let fd = central(&g, &inputs, k, 0);
                for i in 0..N {
                    if !(values[i].is_finite() && fd_reliable(fd[i]) && regular(&e, &[xs[i], ys[i], p]).1) {
                        continue;
                    }
                    checked += 1;
                    let r = fd[i].1;
                    prop_assert!((gk[i] - r).abs() <= tol(r), "burn d/d{}: lane {i}: {} vs fd {r} ({e:?})", NAMES[k], gk[i]);
                }
            }
            let fd = central(&g, &inputs, 2, 0);
            let ok = (0..N).all(|i| values[i].is_finite() && fd_reliable(fd[i]) && regular(&e, &[xs[i], ys[i], p]).1);
            if ok {
                let (sum, t): (f64, f64) = if scalar_out {
                    (fd[0].1, tol(fd[0].1))
                } else {
                    (fd.iter().map(|d| d.1).sum(), fd.iter().map(|d| tol(d.1)).sum())
                };
                prop_assert!((gp[0] - sum).abs() <= t, "burn d/dp: {} vs fd {sum} ({e:?})", gp[0]);
            }
            prop_assume!(checked > 0);
        }
    }
}
