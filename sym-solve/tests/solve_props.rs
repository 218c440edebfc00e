//! Property tests of `solve_one` on polynomial equations: roots substitute back, known roots come
//! back with their multiplicities, the count with multiplicity is the degree, Vieta's relations
//! hold, `RootOf` values agree across precisions, and the guarded branches of parametric closed
//! forms give the roots wherever their guards hold.
//!
//! Numeric checks are in MPFR at [`PREC`] bits. Exact roots are evaluated there after the exact
//! checks that are cheap (a rational root is substituted in exact arithmetic); radical and
//! `RootOf` roots are checked by their residual `|P(z)| <= 2^-180 * sum |c_i| max(1, |z|)^i`, far below
//! what a wrong root can leave (a wrong root of an integer polynomial of degree `n` with
//! coefficients below `2^20` leaves a residual that is not that small unless it lies within
//! about `2^-180/n` of a true root).

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use rug::ops::Pow;
use rug::{Complex, Float, Rational};
use sym_core::poly::{IntegerRing, UPoly, Z};
use sym_core::{Expr, Symbol, parse};
use sym_solve::algebraic::poly_to_expr;
use sym_solve::evaluate::guard_holds;
use sym_solve::numeric::{Point, eval_at};
use sym_solve::rootof::root_of_value;
use sym_solve::roots::complex_roots;
use sym_solve::{Coverage, SolutionSet, SolveOptions, solve_one};

/// Working precision of the numeric checks.
const PREC: u32 = 256;

/// One factor of a test polynomial, with the roots it is known to contribute.
#[derive(Clone, Debug)]
enum Factor {
    /// `d x - a`: the rational root `a/d`.
    Linear(i64, i64),
    /// `x**2 - k` for a non-square `k`: the roots `±sqrt(k)`.
    Sqrt(i64),
    /// `A x**2 + B x + C` with a non-square discriminant: two irrational (possibly non-real)
    /// roots.
    Quadratic(i64, i64, i64),
    /// A random integer cubic or quintic (coefficients from the constant term up): roots
    /// unknown, only checked by substitution, count and Vieta.
    Random(Vec<i64>),
}

impl Factor {
    fn poly(&self) -> UPoly<IntegerRing> {
        match self {
            Factor::Linear(a, d) => UPoly::from_i64s(Z, &[-a, *d]),
            Factor::Sqrt(k) => UPoly::from_i64s(Z, &[-k, 0, 1]),
            Factor::Quadratic(a, b, c) => UPoly::from_i64s(Z, &[*c, *b, *a]),
            Factor::Random(c) => UPoly::from_i64s(Z, c),
        }
    }

    /// The known roots in MPFR (empty for random factors).
    fn known_roots(&self) -> Vec<Complex> {
        let c = |re: Float| Complex::with_val(PREC, (re, 0));
        match self {
            Factor::Linear(a, d) => vec![c(Float::with_val(PREC, *a) / *d)],
            Factor::Sqrt(k) => {
                let s = Float::with_val(PREC, *k).sqrt();
                vec![c(-s.clone()), c(s)]
            }
            Factor::Quadratic(a, b, cc) => {
                // (-B ± sqrt(B^2 - 4AC)) / (2A), with the complex square root.
                let disc = Complex::with_val(PREC, (b * b - 4 * a * cc, 0)).sqrt();
                let mb = Complex::with_val(PREC, (-b, 0));
                let two_a = Complex::with_val(PREC, (2 * a, 0));
                vec![Complex::with_val(PREC, &mb - &disc) / &two_a, Complex::with_val(PREC, &mb + &disc) / &two_a]
            }
            Factor::Random(_) => Vec::new(),
        }
    }
}

fn is_square(n: i64) -> bool {
    n >= 0 && {
        let r = (n as f64).sqrt().round() as i64;
        r * r == n
    }
}

fn factor() -> impl Strategy<Value = Factor> {
    prop_oneof![
        4 => (-12i64..13, 1i64..5).prop_map(|(a, d)| Factor::Linear(a, d)),
        2 => (2i64..40).prop_filter("non-square", |k| !is_square(*k)).prop_map(Factor::Sqrt),
        2 => (1i64..5, -9i64..10, -9i64..10)
            .prop_filter("irrational roots", |(a, b, c)| *c != 0 && !is_square(b * b - 4 * a * c))
            .prop_map(|(a, b, c)| Factor::Quadratic(a, b, c)),
        1 => prop_oneof![
            prop::collection::vec(-20i64..21, 4..5),
            prop::collection::vec(-20i64..21, 6..7),
        ]
        .prop_filter("full degree, non-zero constant", |c| c[c.len() - 1] != 0 && c[0] != 0)
        .prop_map(Factor::Random),
    ]
}

/// Factors with multiplicities 1 or 2, total degree at most 12.
fn factors() -> impl Strategy<Value = Vec<(Factor, u32)>> {
    prop::collection::vec((factor(), prop_oneof![3 => Just(1u32), 1 => Just(2u32)]), 1..5)
        .prop_filter("degree at most 12", |fs| {
            fs.iter().map(|(f, m)| f.poly().degree().unwrap_or(0) * *m as usize).sum::<usize>() <= 12
        })
}

fn product(fs: &[(Factor, u32)]) -> UPoly<IntegerRing> {
    let mut p = UPoly::from_i64s(Z, &[1]);
    for (f, m) in fs {
        for _ in 0..*m {
            p = p.mul(&f.poly());
        }
    }
    p
}

/// The largest `k` with `g**k | p` (exact division over Z).
fn multiplicity_in(p: &UPoly<IntegerRing>, g: &UPoly<IntegerRing>) -> u32 {
    let mut k = 0;
    let mut rest = p.clone();
    while let Ok(Some(q)) = rest.divides_by(g) {
        rest = q;
        k += 1;
    }
    k
}

fn coeffs_f(p: &UPoly<IntegerRing>) -> Vec<Complex> {
    p.coeffs().iter().map(|c| Complex::with_val(PREC, (c.to_integer(), 0))).collect()
}

/// `(|P(z)|, sum |c_i| max(1, |z|)^i)` by Horner's rule. The scale bounds the rounding error
/// of evaluating `P` near `z`, and also the error that an absolute error `2^-PREC` in `z` (which
/// closed forms with cancellation have, at multiple roots above all) causes.
fn residual(c: &[Complex], z: &Complex) -> (Float, Float) {
    let mut acc = Complex::new(PREC);
    let mut scale = Float::new(PREC);
    let az = Float::with_val(PREC, z.abs_ref()).max(&Float::with_val(PREC, 1));
    for ci in c.iter().rev() {
        acc = Complex::with_val(PREC, &acc * z) + ci;
        scale = Float::with_val(PREC, &scale * &az) + Float::with_val(PREC, ci.abs_ref());
    }
    (Float::with_val(PREC, acc.abs_ref()), scale)
}

fn dist(a: &Complex, b: &Complex) -> Float {
    Float::with_val(PREC, Complex::with_val(PREC, a - b).abs_ref())
}

fn modulus(a: &Complex) -> Float {
    Float::with_val(PREC, a.abs_ref())
}

/// The branches' values at `PREC` bits with multiplicities (every branch must be exact and
/// evaluable, with guard `True`).
fn values(set: &SolutionSet) -> Result<Vec<(Expr, Complex, u32)>, TestCaseError> {
    let mut out = Vec::new();
    for b in &set.branches {
        prop_assert!(matches!(b.guard.kind(), sym_core::Kind::Bool(true)), "guard {}", b.guard);
        let e = b.exact.as_ref().ok_or_else(|| TestCaseError::fail("no exact value"))?[0].clone();
        let v = eval_at(&e, &Point::new(), PREC).map_err(|err| TestCaseError::fail(format!("{e}: {err}")))?;
        out.push((e, v, b.multiplicity));
    }
    Ok(out)
}

/// The exact value of an integer polynomial at a rational.
fn eval_exact(p: &UPoly<IntegerRing>, r: &Rational) -> Rational {
    let mut acc = Rational::new();
    for c in p.coeffs().iter().rev() {
        acc = acc * r + Rational::from(c.to_integer());
    }
    acc
}

fn check_solution(fs: &[(Factor, u32)]) -> Result<(), TestCaseError> {
    let x = Symbol::new("x");
    let p = product(fs);
    let n = p.degree().unwrap();
    let set = solve_one(&poly_to_expr(&p, x), x, &SolveOptions::default()).unwrap();
    prop_assert_eq!(set.coverage, Coverage::Complete);
    let vals = values(&set)?;
    let c = coeffs_f(&p);
    // Every root substitutes back: exactly for rationals, to 2^-180 relative otherwise.
    let tol = Float::with_val(PREC, Float::i_exp(1, -180));
    for (e, v, _) in &vals {
        if let Some(r) = e.as_rational() {
            prop_assert_eq!(eval_exact(&p, &r), Rational::new(), "rational root {} of {}", r, p.display_with("x"));
        } else {
            let (res, scale) = residual(&c, v);
            prop_assert!(res <= Float::with_val(PREC, &scale * &tol), "root {} leaves {}", e, res.to_f64());
        }
    }
    // Coverage: the count with multiplicity is the degree.
    let total: u32 = vals.iter().map(|(_, _, m)| *m).sum();
    prop_assert_eq!(total as usize, n);
    // Every known root is found with the multiplicity of its minimal polynomial in P.
    let close = Float::with_val(PREC, Float::i_exp(1, -150));
    for (f, _) in fs {
        let g = f.poly().primitive_part();
        let want = multiplicity_in(&p, &g);
        for z in f.known_roots() {
            let bound = Float::with_val(PREC, modulus(&z).max(&Float::with_val(PREC, 1)) * &close);
            let got: u32 = vals.iter().filter(|(_, v, _)| dist(v, &z) <= bound).map(|(_, _, m)| *m).sum();
            prop_assert_eq!(got, want, "known root {} of {}", z.to_string_radix(10, Some(20)), p.display_with("x"));
        }
    }
    // Vieta: sum r_i = -c_{n-1}/c_n and prod r_i = (-1)^n c_0/c_n (with multiplicity).
    let mut sum = Complex::new(PREC);
    let mut prod = Complex::with_val(PREC, (1, 0));
    for (_, v, m) in &vals {
        for _ in 0..*m {
            sum += v;
            prod *= v;
        }
    }
    let lead = &c[n];
    let want_sum = Complex::with_val(PREC, -&c[n - 1]) / lead;
    let mut want_prod = Complex::with_val(PREC, &c[0] / lead);
    if n % 2 == 1 {
        want_prod = -want_prod;
    }
    // The sum's terms are bounded by the Cauchy bound 1 + max |c_i/c_n|, the product's by its
    // n-th power; both relations hold to 2^-200 of that size.
    let cauchy: Float = c
        .iter()
        .map(|ci| Float::with_val(PREC, modulus(ci) / modulus(lead)))
        .fold(Float::with_val(PREC, 1), |a, b| a.max(&b))
        + 1u32;
    let vieta_tol = Float::with_val(PREC, Float::i_exp(1, -200));
    let sum_bound = Float::with_val(PREC, &cauchy * n as u32) * &vieta_tol;
    prop_assert!(dist(&sum, &want_sum) <= sum_bound, "Vieta sum: {} vs {}", sum, want_sum);
    let prod_bound = Float::with_val(PREC, (&cauchy).pow(n as u32)) * &vieta_tol;
    prop_assert!(dist(&prod, &want_prod) <= prod_bound, "Vieta product: {} vs {}", prod, want_prod);
    Ok(())
}

/// A random rational parameter value, zero with probability about 1/4 (so that degenerate
/// branches are exercised).
fn param() -> impl Strategy<Value = Rational> {
    prop_oneof![
        2 => Just(Rational::new()),
        5 => (-6i64..7).prop_map(Rational::from),
        2 => (-9i64..10, 1i64..5).prop_map(|(p, q)| Rational::from((p, q))),
    ]
}

fn point(names: &[&str], vals: &[Rational]) -> Point {
    names
        .iter()
        .zip(vals)
        .map(|(n, v)| (Symbol::new(n), Expr::num(sym_core::Number::from_rational(v.clone()))))
        .collect()
}

/// Checks a parametric solution set at a parameter point: the branches whose guard holds give
/// exactly the roots of the instantiated polynomial (`coeffs`, constant term first) with their
/// multiplicities, each substituting back; when every coefficient vanishes, exactly one
/// holding branch says "every x".
fn check_parametric_at(set: &SolutionSet, x: Symbol, at: &Point, coeffs: &[Rational]) -> Result<(), TestCaseError> {
    let mut holding = Vec::new();
    for b in &set.branches {
        match guard_holds(&b.guard, at) {
            Some(true) => holding.push(b),
            Some(false) => {}
            None => prop_assert!(false, "guard {} undecided at {:?}", b.guard, at),
        }
    }
    let degree = coeffs.iter().rposition(|c| *c != 0);
    let Some(n) = degree else {
        prop_assert_eq!(holding.len(), 1);
        prop_assert_eq!(&holding[0].exact.as_ref().unwrap()[0], &Expr::sym(x));
        return Ok(());
    };
    if n == 0 {
        prop_assert!(holding.is_empty(), "a non-zero constant has no roots, got {}", holding.len());
        return Ok(());
    }
    let c: Vec<Complex> = coeffs[..=n].iter().map(|q| Complex::with_val(PREC, (q, 0))).collect();
    let mut vals = Vec::new();
    for b in &holding {
        let e = &b.exact.as_ref().unwrap()[0];
        let v = eval_at(e, at, PREC).map_err(|err| TestCaseError::fail(format!("{e} at {at:?}: {err}")))?;
        let (res, scale) = residual(&c, &v);
        prop_assert!(res <= scale * Float::with_val(PREC, Float::i_exp(1, -190)), "{} leaves {}", e, res.to_f64());
        for _ in 0..b.multiplicity {
            vals.push(v.clone());
        }
    }
    prop_assert_eq!(vals.len(), n, "roots under the holding guards at {:?}", at);
    // Match against the certified roots of the instantiated polynomial (an independent solver).
    let (_, ip) =
        sym_core::poly::clear_denominators(&UPoly::from_coeffs(sym_core::poly::RationalField, coeffs[..=n].to_vec()));
    let tol = Float::with_val(PREC, 1e-15);
    for r in complex_roots(&ip, 40).unwrap() {
        let z = Complex::with_val(PREC, (r.re(), r.im()));
        let bound = Float::with_val(PREC, modulus(&z).max(&Float::with_val(PREC, 1)) * &tol);
        let got = vals.iter().filter(|v| dist(v, &z) <= bound).count();
        prop_assert_eq!(got, r.multiplicity(), "certified root {} at {:?}", z.to_string_radix(10, Some(20)), at);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/solve_props.txt",
        ))),
        ..ProptestConfig::default()
    })]

    /// Products of rational, radical, irrational-quadratic and random cubic/quintic factors:
    /// roots substitute back, known roots have their multiplicities, the count is the degree,
    /// and Vieta's relations hold.
    #[test]
    fn products_of_known_factors_are_solved(fs in factors()) {
        check_solution(&fs)?;
    }

    /// `RootOf` values at 20 and 60 digits agree to `1e-19` relative (both are certified).
    #[test]
    fn root_of_refinement_agrees_across_precisions(
        c in prop::collection::vec(-50i64..51, 6..9)
            .prop_filter("full degree, non-zero constant", |c| c[c.len() - 1] != 0 && c[0] != 0),
    ) {
        let x = Symbol::new("x");
        let p = UPoly::from_i64s(Z, &c);
        let pe = poly_to_expr(&p, x);
        let bits = |digits: u32| (digits as f64 * std::f64::consts::LOG2_10).ceil() as u32;
        for k in 0..p.degree().unwrap() as u32 {
            let lo = eval_at(&root_of_value(&pe, x, k, bits(20)).unwrap(), &Point::new(), PREC).unwrap();
            let hi = eval_at(&root_of_value(&pe, x, k, bits(60)).unwrap(), &Point::new(), PREC).unwrap();
            let bound = Float::with_val(PREC, modulus(&hi) * 1e-19);
            prop_assert!(dist(&lo, &hi) <= bound, "RootOf(.., {}): {} vs {}", k, lo, hi);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/solve_props.txt",
        ))),
        ..ProptestConfig::default()
    })]

    /// `a*x**2 + b*x + c`: at rational points (zeros included) the branches whose guard holds
    /// give exactly the roots there.
    #[test]
    fn parametric_quadratic_branches_hold_where_their_guards_do(v in prop::collection::vec(param(), 3)) {
        let x = Symbol::new("x");
        let set = solve_one(&parse("a*x**2 + b*x + c").unwrap(), x, &SolveOptions::default()).unwrap();
        let at = point(&["a", "b", "c"], &v);
        check_parametric_at(&set, x, &at, &[v[2].clone(), v[1].clone(), v[0].clone()])?;
    }
}

/// The general quartic's solution set, built once.
fn general_quartic() -> &'static SolutionSet {
    static SET: std::sync::OnceLock<SolutionSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        solve_one(&parse("a*x**4 + b*x**3 + c*x**2 + d*x + e").unwrap(), Symbol::new("x"), &SolveOptions::default())
            .unwrap()
    })
}

/// Quartic coefficients `[a, b, c, d, e]` that hit the degenerate cases on purpose: the
/// biquadratic `q = 0` (`b = d = 0`), the resolvent's pure cubic (`b = 0`, `e = -c^2/(12 a)`,
/// which makes `D0 = c^2 - 3bd + 12ae` vanish), a vanishing leading coefficient (with or
/// without the cubic's `D0 = c^2 - 3bd` vanishing too), or none of these.
fn quartic_point() -> impl Strategy<Value = Vec<Rational>> {
    (prop::collection::vec(param(), 5), 0u8..6).prop_map(|(mut v, shape)| {
        match shape {
            1 => {
                v[1] = Rational::new();
                v[3] = Rational::new();
            }
            2 if v[0] != 0 => {
                v[1] = Rational::new();
                v[4] = -Rational::from(&v[2] * &v[2]) / (Rational::from(12) * &v[0]);
            }
            3 => v[0] = Rational::new(),
            4 if v[1] != 0 => {
                // A cubic b x^3 + c x^2 + d x + e with D0 = c^2 - 3bd = 0: Cardano's pure case.
                v[0] = Rational::new();
                v[3] = Rational::from(&v[2] * &v[2]) / (Rational::from(3) * &v[1]);
            }
            _ => {}
        }
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/solve_props.txt",
        ))),
        ..ProptestConfig::default()
    })]

    /// The general quartic with all its degenerate-case guards: at rational points the holding
    /// branches give exactly the roots (quartic, cubic, quadratic or linear, as the point
    /// makes it).
    #[test]
    fn parametric_quartic_branches_hold_where_their_guards_do(v in quartic_point()) {
        let x = Symbol::new("x");
        let at = point(&["a", "b", "c", "d", "e"], &v);
        let set = general_quartic();
        let coeffs: Vec<Rational> = v.iter().rev().cloned().collect();
        let degree = coeffs.iter().rposition(|c| *c != 0);
        // Below degree 1 the recursion's depth limit leaves the set generic: skip those points.
        if degree.is_some_and(|n| n >= 1) {
            check_parametric_at(set, x, &at, &coeffs)?;
        }
    }
}
