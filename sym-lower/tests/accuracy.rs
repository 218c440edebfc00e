//! Accuracy against MPFR (the oracle, 256-bit): the Lambert W function, and the safer rewrites, whose new forms
//! must be as accurate as the library functions they call while the naive forms stay within their error bounds.

use proptest::prelude::*;
use rug::Float;
use rug::ops::Pow;
use sym_lower::scalar::lambertw_f64;

const PREC: u32 = 256;

fn ulp(x: f64) -> f64 {
    let a = x.abs();
    if a < f64::MIN_POSITIVE { f64::from_bits(1) } else { f64::from_bits(a.to_bits() + 1) - a }
}

/// `W0(x)` in MPFR: Newton on `w e^w - x` from the f64 result, until the step is below 2^-240.
fn lambertw_mpfr(x: f64) -> Float {
    let xs = Float::with_val(PREC, x);
    let mut w = Float::with_val(PREC, lambertw_f64(x));
    for _ in 0..50 {
        let ew = w.clone().exp();
        let f = Float::with_val(PREC, &w * &ew) - &xs;
        let d = Float::with_val(PREC, &w + 1u32) * &ew;
        let step = Float::with_val(PREC, &f / &d);
        w -= &step;
        if step.clone().abs() < Float::with_val(PREC, 2.0).pow(-240) {
            break;
        }
    }
    w
}

proptest! {
    // Away from the branch point W is well conditioned and the f64 result is within a few ulps.
    #[test]
    fn lambertw_within_ulps(x in prop_oneof![-0.3_f64..0.0, 0.0_f64..10.0, 10.0_f64..1e300, 1e-300_f64..1e-10]) {
        let w = lambertw_f64(x);
        let exact = lambertw_mpfr(x).to_f64();
        prop_assert!((w - exact).abs() <= 4.0 * ulp(exact), "x={x:e}: {w:e} vs {exact:e}");
    }

    // Near -1/e, W(x) = -1 + p - p^2/3 + ... with p = sqrt(2(e x + 1)): a perturbation of x by one ulp moves W
    // by about eps / p, so the error bound is relative to that conditioning.
    #[test]
    fn lambertw_near_branch_point(t in 0.0_f64..1e-3) {
        let x = -0.367_879_441_171_442_3 + t;
        let w = lambertw_f64(x);
        let exact = lambertw_mpfr(x).to_f64();
        let p = (2.0 * (std::f64::consts::E * x + 1.0)).max(1e-300).sqrt();
        let cond = (f64::EPSILON / p).min(1e-7);
        prop_assert!((w - exact).abs() <= 8.0 * f64::EPSILON + 4.0 * cond, "x={x:e}: {w:e} vs {exact:e}");
    }

    // log1p is within 2 ulps of the exact log(1 + x); the naive log(fl(1 + x)) differs from it by at most
    // |log(1 + d)| <= 1.01 u (u = eps/2) from rounding 1 + x, plus an ulp of rounding in log.
    #[test]
    fn log1p_rewrite(x in prop_oneof![-0.999_f64..1.0, -1e-10_f64..1e-10, 1.0_f64..1e10]) {
        let exact = Float::with_val(PREC, x).ln_1p().to_f64();
        let new = x.ln_1p();
        let naive = (1.0 + x).ln();
        prop_assert!((new - exact).abs() <= 2.0 * ulp(exact));
        prop_assert!((naive - exact).abs() <= 1.01 * f64::EPSILON / 2.0 + 2.0 * ulp(exact));
    }

    // expm1 is within 2 ulps; the naive fl(exp(x)) - 1 errs by up to an ulp of exp(x), plus the rounding of the
    // difference.
    #[test]
    fn expm1_rewrite(x in prop_oneof![-5.0_f64..5.0, -1e-10_f64..1e-10]) {
        let exact = Float::with_val(PREC, x).exp_m1().to_f64();
        let new = x.exp_m1();
        let naive = x.exp() - 1.0;
        prop_assert!((new - exact).abs() <= 2.0 * ulp(exact));
        prop_assert!((naive - exact).abs() <= 2.0 * ulp(x.exp()) + ulp(exact));
    }

    // hypot is within 2 ulps, also where x^2 overflows or underflows; the naive sqrt(x^2 + y^2) is within
    // 3 u relative where the squares stay normal.
    #[test]
    fn hypot_rewrite(x in -1e200_f64..1e200, y in -1e200_f64..1e200, scale in prop_oneof![Just(1.0_f64), Just(1e-160), Just(1e-300)]) {
        let (x, y) = (x * scale, y * scale);
        let exact = Float::with_val(PREC, x).hypot(&Float::with_val(PREC, y)).to_f64();
        let new = x.hypot(y);
        prop_assert!((new - exact).abs() <= 2.0 * ulp(exact), "{x:e} {y:e}");
        let sq = x * x + y * y;
        if sq.is_finite() && sq >= f64::MIN_POSITIVE / f64::EPSILON {
            let naive = sq.sqrt();
            prop_assert!((naive - exact).abs() <= 1.5 * f64::EPSILON * exact);
        }
    }
}
