//! Property tests of certified root finding: polynomials built from known rational and Gaussian
//! rational roots have every root recovered inside its certified disc with the right
//! multiplicity, realness and exactness; isolating intervals hold exactly one root (Sturm);
//! Vieta's relations hold to the certified accuracy; refinement at two precisions agrees.

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use rug::{Complex, Float, Integer, Rational};
use sym_core::poly::{IntegerRing, RationalField, UPoly, Z};
use sym_solve::roots::{
    CertifiedRoot, RootPoly, complex_roots, count_real_roots, count_real_roots_in, isolate_real_roots, root_of,
};

/// A known root: `(a + b i) / d` with `d > 0`; `b = 0` for rational roots.
#[derive(Clone, Debug)]
struct Known {
    a: i64,
    b: i64,
    d: i64,
}

/// The minimal integer factor of a known root (and its conjugate): `d x - a`, or
/// `d^2 x^2 - 2 a d x + a^2 + b^2`.
fn factor_of(k: &Known) -> UPoly<IntegerRing> {
    if k.b == 0 {
        UPoly::from_i64s(Z, &[-k.a, k.d])
    } else {
        UPoly::from_i64s(Z, &[k.a * k.a + k.b * k.b, -2 * k.a * k.d, k.d * k.d])
    }
}

fn known_root() -> impl Strategy<Value = Known> {
    (-30i64..31, prop_oneof![Just(0i64), -20i64..21], 1i64..7).prop_map(|(a, b, d)| Known { a, b, d })
}

/// The polynomial `prod factor(k_i)^(m_i)` with the list of roots it has (with multiplicity):
/// each known non-real root contributes itself and its conjugate.
fn build(ks: &[(Known, usize)]) -> (UPoly<IntegerRing>, Vec<(Rational, Rational)>) {
    let mut p = UPoly::from_i64s(Z, &[1]);
    let mut roots = Vec::new();
    for (k, m) in ks {
        for _ in 0..*m {
            p = p.mul(&factor_of(k));
            let re = Rational::from((k.a, k.d));
            let im = Rational::from((k.b, k.d));
            roots.push((re.clone(), im.clone()));
            if k.b != 0 {
                roots.push((re, -im));
            }
        }
    }
    (p, roots)
}

/// Distinct known roots (dropping duplicates, whose multiplicities add up).
fn known_set() -> impl Strategy<Value = Vec<(Known, usize)>> {
    prop::collection::vec((known_root(), 1usize..3), 1..6).prop_map(|v| {
        let mut out: Vec<(Known, usize)> = Vec::new();
        for (k, m) in v {
            let same = |o: &Known| {
                Rational::from((o.a, o.d)) == Rational::from((k.a, k.d))
                    && Rational::from((o.b.abs(), o.d)) == Rational::from((k.b.abs(), k.d))
            };
            if let Some(e) = out.iter_mut().find(|(o, _)| same(o)) {
                e.1 += m;
            } else {
                out.push((k, m));
            }
        }
        out
    })
}

fn random_poly() -> impl Strategy<Value = UPoly<IntegerRing>> {
    prop::collection::vec(-100i64..101, 2..26)
        .prop_filter("nonconstant", |c| c.iter().skip(1).any(|&x| x != 0))
        .prop_map(|c| UPoly::from_i64s(Z, &c))
}

/// Distance check `|m1 - m2| <= r1 + r2` in exact arithmetic (two discs meet).
fn discs_meet(a: &CertifiedRoot, b: &CertifiedRoot) -> bool {
    let q = |x: &Float| x.to_rational().unwrap();
    let dr = q(a.re()) - q(b.re());
    let di = q(a.im()) - q(b.im());
    let r = q(&a.radius()) + q(&b.radius());
    Rational::from(&dr * &dr) + Rational::from(&di * &di) <= Rational::from(&r * &r)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/roots_props.txt",
        ))),
        ..ProptestConfig::default()
    })]

    /// Every known root lies in exactly one certified disc, which has the known multiplicity,
    /// realness and (for rational roots) exact value; every disc holds a known root.
    #[test]
    fn known_roots_are_recovered(ks in known_set(), digits in prop_oneof![Just(15u32), Just(40u32)]) {
        let (p, roots) = build(&ks);
        let found = complex_roots(&p, digits).unwrap();
        let total: usize = found.iter().map(|r| r.multiplicity()).sum();
        prop_assert_eq!(total, p.degree().unwrap());
        for r in &found {
            prop_assert!(r.meets_digits(digits));
        }
        for (re, im) in &roots {
            let hits: Vec<&CertifiedRoot> = found.iter().filter(|r| r.disc_contains(re, im)).collect();
            prop_assert_eq!(hits.len(), 1, "root {} + {} i in {} discs", re, im, hits.len());
            let h = hits[0];
            let mult = roots.iter().filter(|(a, b)| a == re && b == im).count();
            prop_assert_eq!(h.multiplicity(), mult);
            prop_assert_eq!(h.is_real(), im.is_zero());
            if im.is_zero() {
                prop_assert_eq!(h.exact(), Some(re));
            }
        }
    }

        /// The same with large coefficients (beyond `f64`'s 53 bits: the MPFR path) and clusters of
    /// close roots (`a/d` and `(a+1)/d` for large `d`).
    #[test]
    fn big_and_close_roots(
        base in prop::collection::vec((-(1i64 << 30)..(1i64 << 30), 1i64..(1i64 << 30)), 1..4),
        close in 0usize..3,
        digits in prop_oneof![Just(15u32), Just(30u32)],
    ) {
        let mut ks: Vec<(Known, usize)> = Vec::new();
        for (i, &(a, d)) in base.iter().enumerate() {
            let b = if i % 2 == 1 { d / 3 + 1 } else { 0 };
            ks.push((Known { a, b, d }, 1));
            if i < close {
                ks.push((Known { a: a + 1, b, d }, 1));
            }
        }
        // Drop duplicates.
        let mut uniq: Vec<(Known, usize)> = Vec::new();
        for (k, m) in ks {
            let q = (Rational::from((k.a, k.d)), Rational::from((k.b, k.d)));
            if !uniq.iter().any(|(o, _)| (Rational::from((o.a, o.d)), Rational::from((o.b, o.d))) == q) {
                uniq.push((k, m));
            }
        }
        let (p, roots) = build(&uniq);
        let found = complex_roots(&p, digits).unwrap();
        for r in &found {
            prop_assert!(r.meets_digits(digits));
        }
        for (re, im) in &roots {
            let hits = found.iter().filter(|r| r.disc_contains(re, im)).count();
            prop_assert_eq!(hits, 1);
        }
        prop_assert_eq!(found.iter().map(|r| r.multiplicity()).sum::<usize>(), p.degree().unwrap());
    }

    /// The canonical order: reals ascending first, then by real part, then imaginary part.
    #[test]
    fn canonical_order(ks in known_set()) {
        let (p, _) = build(&ks);
        let found = complex_roots(&p, 15).unwrap();
        for w in found.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            prop_assert!(a.is_real() || !b.is_real());
            if a.is_real() == b.is_real() {
                let ka = (a.re().to_f64(), a.im().to_f64());
                let kb = (b.re().to_f64(), b.im().to_f64());
                // Known roots are rationals with small denominators: real parts either agree
                // exactly or differ by far more than the rounding of the midpoints.
                if (ka.0 - kb.0).abs() < 1e-9 {
                    prop_assert!(ka.1 < kb.1);
                } else {
                    prop_assert!(ka.0 < kb.0);
                }
            }
        }
    }

    /// Vieta: sum of roots = -a_(n-1)/a_n and product = (-1)^n a_0 / a_n, to the accuracy the
    /// radii certify (|sum m_i z_i - sum m_i r_i| <= sum m_i rad_i, and for the product the
    /// first-order bound |prod| sum m_i rad_i / |z_i| with a factor 2 for higher orders).
    #[test]
    fn vieta(p in random_poly()) {
        let found = complex_roots(&p, 30).unwrap();
        let n = p.degree().unwrap();
        let prec = 256;
        let mut sum = Complex::new(prec);
        let mut prod = Complex::with_val(prec, 1);
        let mut rad_sum = Float::new(prec);
        let mut rel_sum = Float::new(prec);
        for r in &found {
            let m = r.multiplicity();
            let z = Complex::with_val(prec, r.midpoint());
            for _ in 0..m {
                sum += &z;
                prod *= &z;
                rad_sum += r.radius();
                if !z.is_zero() {
                    rel_sum += Float::with_val(prec, r.radius() / Float::with_val(prec, z.abs_ref()));
                }
            }
        }
        let c = p.coeffs();
        let an = Float::with_val(prec, c[n].to_integer());
        let s_true = -Float::with_val(prec, c[n - 1].to_integer()) / &an;
        let ds = Float::with_val(prec, Complex::with_val(prec, sum - &s_true).abs_ref());
        prop_assert!(ds <= rad_sum.clone() * 1.000001 + 1e-60, "sum off by {} > {}", ds, rad_sum);
        if !c[0].is_zero() {
            let sign: i32 = if n % 2 == 0 { 1 } else { -1 };
            let p_true: Float = Float::with_val(prec, c[0].to_integer()) * sign / &an;
            let dp = Float::with_val(prec, Complex::with_val(prec, prod - &p_true).abs_ref());
            let tol = Float::with_val(prec, p_true.abs_ref()) * &rel_sum * 2u32 + 1e-60;
            prop_assert!(dp <= tol, "product off by {} > {}", dp, tol);
        }
    }

    /// The number of real discs equals the Sturm count; isolating intervals hold exactly one
    /// root of their factor (Sturm on the closed interval) and are disjoint and ascending.
    #[test]
    fn real_roots_agree_with_sturm(p in random_poly()) {
        let q = p.to_rational();
        let sturm = q.count_real_roots();
        prop_assert_eq!(count_real_roots(&p).unwrap(), sturm);
        let found = complex_roots(&p, 15).unwrap();
        prop_assert_eq!(found.iter().filter(|r| r.is_real()).count(), sturm);
        let iso = isolate_real_roots(&p).unwrap();
        prop_assert_eq!(iso.len(), sturm);
        for w in iso.windows(2) {
            prop_assert!(w[0].hi() <= w[1].lo());
        }
        for r in &iso {
            let f = r.factor().to_rational();
            match r.exact() {
                Some(x) => prop_assert!(f.eval(x).is_zero()),
                None => {
                    // Sturm counts roots in (a, b]; neither end is a root of this root's
                    // factor except possibly lo, so count on (lo, hi).
                    prop_assert!(f.eval(r.hi()) != 0);
                    prop_assert_eq!(f.count_roots_between(r.lo(), r.hi()), 1);
                }
            }
        }
    }

    /// Counting in an interval agrees with Sturm's theorem on `(a, b]` plus the root at `a`.
    #[test]
    fn count_in_interval(p in random_poly(), a in -300i64..300, w in 1i64..300, d in 1i64..8) {
        let lo = Rational::from((a, d));
        let hi = Rational::from((a + w, d));
        let got = count_real_roots_in(&p, &lo, &hi).unwrap();
        let q = p.to_rational();
        let at_lo = usize::from(q.eval(&lo).is_zero());
        prop_assert_eq!(got, q.count_roots_between(&lo, &hi) + at_lo);
    }

    /// Refining a real root keeps it inside the old interval and to the requested width.
    #[test]
    fn real_refinement(p in random_poly(), digits in 5u32..60) {
        let iso = isolate_real_roots(&p).unwrap();
        for mut r in iso {
            let (lo0, hi0) = (r.lo().clone(), r.hi().clone());
            r.refine_digits(digits, &Default::default()).unwrap();
            prop_assert!(lo0 <= *r.lo() && *r.hi() <= hi0);
            if r.exact().is_none() {
                let f = r.factor().to_rational();
                prop_assert_eq!(f.count_roots_between(r.lo(), r.hi()), 1);
                let w = r.width() * Rational::from(Integer::from(10).pow_ref_u(digits));
                let m = Rational::from(r.lo().abs_ref()).min(Rational::from(r.hi().abs_ref()));
                prop_assert!(w <= m);
            }
        }
    }

    /// Roots of random polynomials of degree up to 80 at 15 digits (the `f64` fast path) and at
    /// 45 digits (the MPFR path): the discs pair up one to one (each fine disc meets exactly one
    /// coarse disc, of the same root in the canonical order).
    #[test]
    fn fast_and_mpfr_paths_agree(
        c in prop::collection::vec(-100i64..101, 20..81)
            .prop_filter("nonconstant", |c| c.iter().skip(1).any(|&x| x != 0)),
    ) {
        let p = UPoly::from_i64s(Z, &c);
        let coarse = complex_roots(&p, 15).unwrap();
        let fine = complex_roots(&p, 45).unwrap();
        prop_assert_eq!(coarse.len(), fine.len());
        for (a, b) in coarse.iter().zip(&fine) {
            prop_assert!(discs_meet(a, b));
            prop_assert_eq!(a.is_real(), b.is_real());
            prop_assert_eq!(a.multiplicity(), b.multiplicity());
            prop_assert!(b.meets_digits(45));
        }
    }

    /// RootOf at two precisions: the discs meet, and the finer one is within the coarser one's
    /// tolerance; every index is in range.
    #[test]
    fn root_of_agrees_across_precisions(p in random_poly(), k in 0usize..25) {
        let n = p.degree().unwrap();
        let k = k % n;
        let a = root_of(&p, k, 12).unwrap();
        let b = root_of(&p, k, 45).unwrap();
        prop_assert!(b.meets_digits(45));
        prop_assert!(discs_meet(&a, &b));
        prop_assert_eq!(a.is_real(), b.is_real());
    }

    /// Rational input is the same as its cleared integer form.
    #[test]
    fn rational_input(ks in known_set(), den in 1i64..9) {
        let (p, _) = build(&ks);
        let q: UPoly<RationalField> = p.to_rational().map_coeffs(RationalField, |c| Rational::from(c / den));
        prop_assert_eq!(q.to_integer_poly().degree(), p.degree());
        let a = complex_roots(&p, 15).unwrap();
        let b = complex_roots(&q, 15).unwrap();
        prop_assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            prop_assert!(discs_meet(x, y));
        }
    }
}

trait PowRefU {
    fn pow_ref_u(&self, e: u32) -> Integer;
}

impl PowRefU for Integer {
    fn pow_ref_u(&self, e: u32) -> Integer {
        use rug::ops::Pow;
        Integer::from(self.pow(e))
    }
}
