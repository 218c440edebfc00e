//! Property tests of the system solver: every returned solution satisfies its equations, and
//! systems built from known solutions recover exactly those solutions.

use proptest::prelude::*;
use rug::Complex;
use sym_core::evalf::{ComplexEnv, eval_complex};
use sym_core::{Expr, Symbol};
use sym_solve::numeric::{Point, eval_at};
use sym_solve::{Coverage, SolveOptions, solve_system};

const PREC: u32 = 200;

fn values(b: &sym_solve::Branch) -> Vec<Complex> {
    b.exact.as_ref().unwrap().iter().map(|e| eval_at(e, &Point::new(), PREC).unwrap()).collect()
}

/// `|F(X)| <= 1e-40` for every equation (exact solutions evaluated at 200 bits).
fn satisfies(eqs: &[Expr], vars: &[Symbol], vals: &[Complex]) -> bool {
    let mut env = ComplexEnv::new();
    for (v, z) in vars.iter().zip(vals) {
        env.insert(*v, z.clone());
    }
    eqs.iter().all(|e| {
        let r = eval_complex(e, &env, PREC).unwrap();
        rug::Float::with_val(PREC, r.abs_ref()).to_f64() < 1e-40
    })
}

/// The values of a family branch with its free unknowns set to `free` (those it does not use are
/// ignored).
fn family_values(b: &sym_solve::Branch, free: &[(Symbol, Expr)]) -> Vec<Complex> {
    let pairs: Vec<(Expr, Expr)> = free.iter().map(|(s, v)| (Expr::sym(*s), v.clone())).collect();
    b.exact.as_ref().unwrap().iter().map(|e| eval_at(&e.subs_all(&pairs), &Point::new(), PREC).unwrap()).collect()
}

fn close(a: &Complex, b: i64) -> bool {
    let d = Complex::with_val(PREC, a - rug::Integer::from(b));
    rug::Float::with_val(PREC, d.abs_ref()).to_f64() < 1e-40
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A square integer system `A X = A X0` with `det A != 0` has exactly the solution `X0`.
    #[test]
    fn linear_recovers_solution(a in proptest::collection::vec(-5i64..=5, 9), x0 in proptest::collection::vec(-6i64..=6, 3)) {
        let det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
        prop_assume!(det != 0);
        let vars: Vec<Symbol> = ["x", "y", "z"].iter().map(|s| Symbol::new(s)).collect();
        let eqs: Vec<Expr> = (0..3).map(|i| {
            let lhs = Expr::add_all((0..3).map(|j| Expr::int(a[3 * i + j]) * Expr::sym(vars[j])));
            let rhs: i64 = (0..3).map(|j| a[3 * i + j] * x0[j]).sum();
            lhs - Expr::int(rhs)
        }).collect();
        let set = solve_system(&eqs, &vars, &SolveOptions::default()).unwrap();
        prop_assert_eq!(set.coverage, Coverage::Complete);
        prop_assert_eq!(set.branches.len(), 1);
        let v = values(&set.branches[0]);
        for (z, want) in v.iter().zip(&x0) {
            prop_assert!(close(z, *want));
        }
    }

    /// `prod (x - a_i) = 0, y = L(x)` mixed by an invertible combination has exactly the points
    /// `(a_i, L(a_i))`, and every returned solution satisfies the equations.
    #[test]
    fn polynomial_recovers_points(
        roots in proptest::collection::btree_set(-4i64..=4, 1..4),
        l in proptest::collection::vec(-3i64..=3, 3),
        mix in -3i64..=3,
    ) {
        let (x, y) = (Symbol::new("x"), Symbol::new("y"));
        let (xe, ye) = (Expr::sym(x), Expr::sym(y));
        let f = Expr::mul_all(roots.iter().map(|r| xe.clone() - Expr::int(*r)));
        let line = ye.clone() - (Expr::int(l[0]) + Expr::int(l[1]) * xe.clone() + Expr::int(l[2]) * xe.clone() * xe.clone());
        let eqs = vec![f.clone() + Expr::int(mix) * xe.clone() * line.clone(), line.clone()];
        let vars = vec![x, y];
        let set = solve_system(&eqs, &vars, &SolveOptions::default()).unwrap();
        prop_assert_eq!(set.coverage, Coverage::Complete);
        prop_assert_eq!(set.branches.len(), roots.len());
        for (b, r) in set.branches.iter().zip(&roots) {
            let v = values(b);
            prop_assert!(satisfies(&eqs, &vars, &v));
            prop_assert!(close(&v[0], *r));
            prop_assert!(close(&v[1], l[0] + l[1] * r + l[2] * r * r));
        }
    }

    /// Families: `(x - f(z)) (x - g(z)) = 0, y = h(x, z)` (mixed by an invertible combination) is
    /// one-dimensional, with the components `x = f(z)` and `x = g(z)`: every family returned
    /// satisfies the equations at sample values of its free unknowns, and at a sample `z` both
    /// components' points are among the families' values.
    #[test]
    fn families_satisfy_and_recover(
        f in proptest::collection::vec(-3i64..=3, 3),
        g in proptest::collection::vec(-3i64..=3, 3),
        h in proptest::collection::vec(-2i64..=2, 3),
        mix in -2i64..=2,
    ) {
        let [x, y, z] = ["x", "y", "z"].map(Symbol::new);
        let [xe, ye, ze] = [x, y, z].map(Expr::sym);
        let quad = |c: &[i64], t: &Expr| Expr::int(c[0]) + Expr::int(c[1]) * t.clone() + Expr::int(c[2]) * Expr::pow(t.clone(), Expr::int(2));
        let comp = (xe.clone() - quad(&f, &ze)) * (xe.clone() - quad(&g, &ze));
        let graph = ye.clone() - (Expr::int(h[0]) * xe.clone() * ze.clone() + Expr::int(h[1]) * xe.clone() + Expr::int(h[2]));
        let eqs = vec![comp.clone() + Expr::int(mix) * ze.clone() * graph.clone(), graph.clone()];
        let vars = [x, y, z];
        let set = solve_system(&eqs, &vars, &SolveOptions::default()).unwrap();
        prop_assert!(set.coverage != Coverage::Partial, "{:?}", set.notes);
        let z0 = Expr::rational(5, 11);
        let at = |b: &sym_solve::Branch| family_values(b, &[(x, Expr::rational(2, 3)), (y, Expr::rational(-1, 5)), (z, z0.clone())]);
        for b in &set.branches {
            if matches!(b.guard.kind(), sym_core::Kind::Bool(true)) {
                prop_assert!(satisfies(&eqs, &vars, &at(b)), "{:?}", b.exact);
            }
        }
        // Each component's point at z = 5/11 lies on a family whose guard holds there.
        let z0q = rug::Rational::from((5, 11));
        for c in [&f, &g] {
            let xq = rug::Rational::from(c[0]) + rug::Rational::from(c[1] * &z0q) + c[2] * z0q.clone().square();
            let yq = (h[0] * xq.clone() * &z0q) + rug::Rational::from(h[1] * &xq) + h[2];
            let target = [xq, yq, z0q.clone()].map(|q| Expr::num(sym_core::Number::from_rational(q)));
            let pairs: Vec<(Symbol, Expr)> = vars.iter().copied().zip(target.iter().cloned()).collect();
            let subs: Vec<(Expr, Expr)> = pairs.iter().map(|(s, v)| (Expr::sym(*s), v.clone())).collect();
            let found = set.branches.iter().any(|b| {
                let holds = matches!(b.guard.subs_all(&subs).kind(), sym_core::Kind::Bool(true));
                let v = family_values(b, &pairs);
                holds && v.iter().zip(&target).all(|(z, t)| {
                    let t = eval_at(t, &Point::new(), PREC).unwrap();
                    rug::Float::with_val(PREC, Complex::with_val(PREC, z - &t).abs_ref()).to_f64() < 1e-30
                })
            });
            prop_assert!(found, "component x = {:?} at z = 5/11 missing: {:?}", c, set.branches.iter().map(|b| (&b.exact, &b.guard)).collect::<Vec<_>>());
        }
    }

    /// Random systems of two polynomials in three unknowns (infinitely many solutions, or none):
    /// never a panic, and every family without a guard satisfies the equations at sample values
    /// of its free unknowns.
    #[test]
    fn random_curves_give_sound_families(
        c1 in proptest::collection::vec(-2i64..=2, 10),
        c2 in proptest::collection::vec(-2i64..=2, 10),
    ) {
        let [x, y, z] = ["x", "y", "z"].map(Symbol::new);
        let [xe, ye, ze] = [x, y, z].map(Expr::sym);
        // Coefficients of 1, x, y, z, x^2, y^2, z^2, x*y, y*z, z*x.
        let monos = [
            Expr::one(), xe.clone(), ye.clone(), ze.clone(),
            xe.clone() * xe.clone(), ye.clone() * ye.clone(), ze.clone() * ze.clone(),
            xe.clone() * ye.clone(), ye.clone() * ze.clone(), ze.clone() * xe.clone(),
        ];
        let poly = |c: &[i64]| Expr::add_all(c.iter().zip(&monos).map(|(k, m)| Expr::int(*k) * m.clone()));
        let eqs = vec![poly(&c1), poly(&c2)];
        let vars = [x, y, z];
        prop_assume!(eqs.iter().all(|e| vars.iter().any(|v| sym_core::expr::has_symbol(e, *v))));
        prop_assume!(vars.iter().all(|v| eqs.iter().any(|e| sym_core::expr::has_symbol(e, *v))));
        let set = solve_system(&eqs, &vars, &SolveOptions::default()).unwrap();
        let sample = [(x, Expr::rational(2, 7)), (y, Expr::rational(-3, 5)), (z, Expr::rational(5, 11))];
        for b in &set.branches {
            if b.exact.is_some() && matches!(b.guard.kind(), sym_core::Kind::Bool(true)) {
                let v = family_values(b, &sample);
                if v.iter().all(|z| z.real().is_finite() && z.imag().is_finite()) {
                    prop_assert!(satisfies(&eqs, &vars, &v), "{:?} for {:?}", b.exact, eqs);
                }
            }
        }
    }

    /// Circles through known points: two circles meeting in two points, returned in order.
    #[test]
    fn circles_meet_where_built(c in -3i64..=3, d in 1i64..=3) {
        // x^2 + y^2 = d^2 + c^2 and (x - 2c)^2 + y^2 = d^2 + c^2 meet at (c, +-d).
        let (x, y) = (Symbol::new("x"), Symbol::new("y"));
        let (xe, ye) = (Expr::sym(x), Expr::sym(y));
        let r2 = Expr::int(d * d + c * c);
        let eqs = vec![
            Expr::pow(xe.clone(), Expr::int(2)) + Expr::pow(ye.clone(), Expr::int(2)) - r2.clone(),
            Expr::pow(xe.clone() - Expr::int(2 * c), Expr::int(2)) + Expr::pow(ye.clone(), Expr::int(2)) - r2,
        ];
        let set = solve_system(&eqs, &[x, y], &SolveOptions::default()).unwrap();
        if c == 0 {
            // The same circle: a family over y, both halves, each satisfying the equations.
            prop_assert_eq!(set.coverage, Coverage::Complete);
            prop_assert_eq!(set.branches.len(), 2);
            for b in &set.branches {
                let v = family_values(b, &[(y, Expr::rational(3, 7))]);
                prop_assert!(satisfies(&eqs, &[x, y], &v));
            }
        } else {
            prop_assert_eq!(set.branches.len(), 2);
            let v0 = values(&set.branches[0]);
            let v1 = values(&set.branches[1]);
            prop_assert!(close(&v0[0], c) && close(&v0[1], -d));
            prop_assert!(close(&v1[0], c) && close(&v1[1], d));
        }
    }
}

/// `(unknown, param, d unknown / d param)` entries of a solution.
type Grad = Vec<(Symbol, Symbol, Option<Complex>)>;

/// The solution of `solve_system_at` nearest to `target` (all values), with its gradient entries.
fn nearest(eqs: &[Expr], vars: &[Symbol], point: &Point, target: &[f64]) -> (Vec<f64>, Grad) {
    let pr = sym_solve::system_eval::solve_system_at(eqs, vars, &SolveOptions::default(), point, 40, true).unwrap();
    let dist = |s: &sym_solve::evaluate::PointSolution| -> f64 {
        s.values.iter().zip(target).map(|(z, t)| (z.real().to_f64() - t).abs() + z.imag().to_f64().abs()).sum()
    };
    let best = pr
        .solutions
        .iter()
        .min_by(|a, b| dist(a).partial_cmp(&dist(b)).unwrap())
        .expect("a solution near the built one");
    (best.values.iter().map(|z| z.real().to_f64()).collect(), best.grad.clone())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Gradients of system solutions against central differences. The system
    /// `m11 u + m12 v + m13 u^2 + k1 (p - p0) = 0`, `m21 u + m22 v + m23 u v + k2 (q - q0) + k3 (p - p0) = 0`
    /// with `u = x - x0`, `v = y - y0` has the solution `(x0, y0)` at `(p0, q0)`, regular when
    /// `m11 m22 - m12 m21 != 0` (the Jacobian there). `dX/dp = -J_X^{-1} J_p` as returned must agree with
    /// `(X(p0 + h) - X(p0 - h)) / 2h` (the solution followed is the one nearest `(x0, y0)`; `h = 1e-6`:
    /// truncation `O(h^2)`), to `1e-7` relative.
    #[test]
    fn system_gradients_match_central_differences(
        m in proptest::collection::vec(-4i64..=4, 6),
        k in proptest::collection::vec(-3i64..=3, 3),
        x0 in -3i64..=3, y0 in -3i64..=3, p0 in -2i64..=2, q0 in -2i64..=2,
    ) {
        prop_assume!(m[0] * m[4] - m[1] * m[3] != 0);
        let (x, y, p, q) = (Symbol::new("x"), Symbol::new("y"), Symbol::new("p"), Symbol::new("q"));
        let u = Expr::sym(x) - Expr::int(x0);
        let v = Expr::sym(y) - Expr::int(y0);
        let dp = Expr::sym(p) - Expr::int(p0);
        let dq = Expr::sym(q) - Expr::int(q0);
        let e1 = Expr::int(m[0]) * u.clone() + Expr::int(m[1]) * v.clone()
            + Expr::int(m[2]) * Expr::pow(u.clone(), Expr::int(2)) + Expr::int(k[0]) * dp.clone();
        let e2 = Expr::int(m[3]) * u.clone() + Expr::int(m[4]) * v.clone() + Expr::int(m[5]) * u * v
            + Expr::int(k[1]) * dq + Expr::int(k[2]) * dp;
        let eqs = [e1.expand().unwrap(), e2.expand().unwrap()];
        let vars = [x, y];
        let at = |pv: Expr, qv: Expr| -> Point {
            let mut pt = Point::new();
            pt.insert(p, pv);
            pt.insert(q, qv);
            pt
        };
        let target = [x0 as f64, y0 as f64];
        let (center, grad) = nearest(&eqs, &vars, &at(Expr::int(p0), Expr::int(q0)), &target);
        prop_assert!((center[0] - target[0]).abs() < 1e-12 && (center[1] - target[1]).abs() < 1e-12);
        let h = Expr::rational(1, 1_000_000);
        for (param, shift) in [(p, 0usize), (q, 1usize)] {
            let bump = |s: i64| {
                let d = Expr::int(s) * h.clone();
                if shift == 0 { at(Expr::int(p0) + d, Expr::int(q0)) } else { at(Expr::int(p0), Expr::int(q0) + d) }
            };
            let (plus, _) = nearest(&eqs, &vars, &bump(1), &target);
            let (minus, _) = nearest(&eqs, &vars, &bump(-1), &target);
            for (i, var) in vars.iter().enumerate() {
                let fd = (plus[i] - minus[i]) / 2e-6;
                let g = grad.iter().find(|(a, b, _)| a == var && *b == param).and_then(|t| t.2.as_ref())
                    .expect("a gradient at a regular solution");
                let g = g.real().to_f64();
                prop_assert!((g - fd).abs() <= 1e-7 * g.abs().max(1.0), "d{}/d{}: {} vs {}", var, param, g, fd);
            }
        }
    }
}
