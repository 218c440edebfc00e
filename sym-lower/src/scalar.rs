//! Scalar semantics of every float op, shared by the reference interpreter, constant folding and the executor.
//!
//! Sharing one definition is what makes the executor agree with the interpreter bit for bit on elementwise
//! ops: both call the functions below (the executor's vectorised loops for `+ - * /`, `neg`, `sqrt`, `abs`,
//! `recip` and small `powi` compute exactly the same IEEE operations).
//!
//! `powi` uses binary powering, `x^k = prod_{bit i of k} x^(2^i)`, accumulating from the low bits:
//! `r = 1; loop { if k odd { r = r * x }; k >>= 1; if k == 0 { return r }; x = x * x }`, and `x^-k = 1 / x^k`.
//! The multiplication order is fixed by this definition, so `powi x, 2 = x*x`, `powi x, 3 = x*(x*x)`,
//! `powi x, 4 = (x*x)*(x*x)`, `powi x, 5 = x*((x*x)*(x*x))`.
//!
//! The Lambert W function `W_0` (the solution `w >= -1` of `w e^w = x`, for `x >= -1/e`) is computed in `f64`
//! from an initial approximation refined by Halley's iteration
//! `w <- w - f / (e^w (w + 1) - (w + 2) f / (2w + 2))`, `f = w e^w - x`
//! (Corless, Gonnet, Hare, Jeffrey and Knuth, "On the Lambert W function", Adv. Comput. Math. 5, 1996).
//! The initial approximation is the branch-point series in `p = sqrt(2 (e x + 1))` near `-1/e`,
//! `W ~ -1 + p - p^2/3 + 11/72 p^3`, a Pade-like rational guess `x (1 + 4x/3) / (1 + 7x/3 + 5x^2/6)` near `0`,
//! and `L1 - L2 + L2/L1` with `L1 = ln x`, `L2 = ln ln x` for large `x`.

use crate::op::{BinOp, CmpOp, UnOp};
use crate::types::Elem;
use std::fmt::Debug;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// A float element type of the IR (`f32` or `f64`), with every scalar function the IR needs.
pub trait Real:
    Copy
    + PartialOrd
    + PartialEq
    + Debug
    + Default
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// The element kind.
    const ELEM: Elem;
    /// Zero.
    const ZERO: Self;
    /// One.
    const ONE: Self;
    /// One half.
    const HALF: Self;
    /// A quiet NaN.
    const NAN: Self;
    /// The machine epsilon.
    const EPSILON: Self;
    /// Rounds an `f64` to this type (nearest even).
    fn from_f64(x: f64) -> Self;
    /// Widens to `f64` (exact).
    fn to_f64(self) -> f64;
    /// Whether the value is neither infinite nor NaN.
    fn is_finite(self) -> bool;
    /// Whether the value is NaN.
    fn is_nan(self) -> bool;
    /// The absolute value.
    fn abs(self) -> Self;
    /// The larger of two numbers (NaN-ignoring, as `f64::max`).
    fn max(self, other: Self) -> Self;
    /// The smaller of two numbers (NaN-ignoring, as `f64::min`).
    fn min(self, other: Self) -> Self;
    /// The square root.
    fn sqrt(self) -> Self;
    /// The real cube root.
    fn cbrt(self) -> Self;
    /// `e^x`.
    fn exp(self) -> Self;
    /// The natural logarithm.
    fn ln(self) -> Self;
    /// `ln(1 + x)`.
    fn ln_1p(self) -> Self;
    /// `e^x - 1`.
    fn exp_m1(self) -> Self;
    /// The sine.
    fn sin(self) -> Self;
    /// The cosine.
    fn cos(self) -> Self;
    /// The tangent.
    fn tan(self) -> Self;
    /// The arcsine.
    fn asin(self) -> Self;
    /// The arccosine.
    fn acos(self) -> Self;
    /// The arctangent.
    fn atan(self) -> Self;
    /// The hyperbolic sine.
    fn sinh(self) -> Self;
    /// The hyperbolic cosine.
    fn cosh(self) -> Self;
    /// The hyperbolic tangent.
    fn tanh(self) -> Self;
    /// The inverse hyperbolic sine.
    fn asinh(self) -> Self;
    /// The inverse hyperbolic cosine.
    fn acosh(self) -> Self;
    /// The inverse hyperbolic tangent.
    fn atanh(self) -> Self;
    /// The real power.
    fn powf(self, y: Self) -> Self;
    /// `sqrt(x^2 + y^2)` without spurious overflow.
    fn hypot(self, y: Self) -> Self;
    /// The principal branch of the Lambert W function.
    fn lambertw(self) -> Self;
}

macro_rules! impl_real {
    ($t:ty, $elem:expr) => {
        impl Real for $t {
            const ELEM: Elem = $elem;
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const HALF: Self = 0.5;
            const NAN: Self = <$t>::NAN;
            const EPSILON: Self = <$t>::EPSILON;
            #[inline]
            #[allow(clippy::cast_possible_truncation, clippy::unnecessary_cast)]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline]
            #[allow(clippy::unnecessary_cast)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline]
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
            #[inline]
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            #[inline]
            fn abs(self) -> Self {
                <$t>::abs(self)
            }
            #[inline]
            fn max(self, other: Self) -> Self {
                <$t>::max(self, other)
            }
            #[inline]
            fn min(self, other: Self) -> Self {
                <$t>::min(self, other)
            }
            #[inline]
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            #[inline]
            fn cbrt(self) -> Self {
                <$t>::cbrt(self)
            }
            #[inline]
            fn exp(self) -> Self {
                <$t>::exp(self)
            }
            #[inline]
            fn ln(self) -> Self {
                <$t>::ln(self)
            }
            #[inline]
            fn ln_1p(self) -> Self {
                <$t>::ln_1p(self)
            }
            #[inline]
            fn exp_m1(self) -> Self {
                <$t>::exp_m1(self)
            }
            #[inline]
            fn sin(self) -> Self {
                <$t>::sin(self)
            }
            #[inline]
            fn cos(self) -> Self {
                <$t>::cos(self)
            }
            #[inline]
            fn tan(self) -> Self {
                <$t>::tan(self)
            }
            #[inline]
            fn asin(self) -> Self {
                <$t>::asin(self)
            }
            #[inline]
            fn acos(self) -> Self {
                <$t>::acos(self)
            }
            #[inline]
            fn atan(self) -> Self {
                <$t>::atan(self)
            }
            #[inline]
            fn sinh(self) -> Self {
                <$t>::sinh(self)
            }
            #[inline]
            fn cosh(self) -> Self {
                <$t>::cosh(self)
            }
            #[inline]
            fn tanh(self) -> Self {
                <$t>::tanh(self)
            }
            #[inline]
            fn asinh(self) -> Self {
                <$t>::asinh(self)
            }
            #[inline]
            fn acosh(self) -> Self {
                <$t>::acosh(self)
            }
            #[inline]
            fn atanh(self) -> Self {
                <$t>::atanh(self)
            }
            #[inline]
            fn powf(self, y: Self) -> Self {
                <$t>::powf(self, y)
            }
            #[inline]
            fn hypot(self, y: Self) -> Self {
                <$t>::hypot(self, y)
            }
            #[inline]
            fn lambertw(self) -> Self {
                Self::from_f64(lambertw_f64(self.to_f64()))
            }
        }
    };
}

impl_real!(f64, Elem::F64);
impl_real!(f32, Elem::F32);

/// `x^k` by binary powering (the multiplication order is part of the IR's semantics; see the module doc).
#[inline]
#[must_use]
pub fn powi<T: Real>(x: T, k: i32) -> T {
    let p = powu(x, k.unsigned_abs());
    if k < 0 { T::ONE / p } else { p }
}

#[inline]
fn powu<T: Real>(mut x: T, mut k: u32) -> T {
    let mut r = T::ONE;
    loop {
        if k & 1 == 1 {
            r = r * x;
        }
        k >>= 1;
        if k == 0 {
            return r;
        }
        x = x * x;
    }
}

/// `sign x`: -1, 0 or 1; a zero keeps its sign and NaN stays NaN.
#[inline]
#[must_use]
pub fn sign<T: Real>(x: T) -> T {
    if x > T::ZERO {
        T::ONE
    } else if x < T::ZERO {
        -T::ONE
    } else {
        x
    }
}

/// The scalar function of a unary op.
#[inline]
#[must_use]
pub fn unary<T: Real>(op: UnOp, x: T) -> T {
    match op {
        UnOp::Neg => -x,
        UnOp::Recip => T::ONE / x,
        UnOp::Sqrt => x.sqrt(),
        UnOp::Cbrt => x.cbrt(),
        UnOp::Exp => x.exp(),
        UnOp::Log => x.ln(),
        UnOp::Sin => x.sin(),
        UnOp::Cos => x.cos(),
        UnOp::Tan => x.tan(),
        UnOp::Cot => T::ONE / x.tan(),
        UnOp::Sec => T::ONE / x.cos(),
        UnOp::Csc => T::ONE / x.sin(),
        UnOp::Asin => x.asin(),
        UnOp::Acos => x.acos(),
        UnOp::Atan => x.atan(),
        UnOp::Acot => (T::ONE / x).atan(),
        UnOp::Sinh => x.sinh(),
        UnOp::Cosh => x.cosh(),
        UnOp::Tanh => x.tanh(),
        UnOp::Coth => T::ONE / x.tanh(),
        UnOp::Asinh => x.asinh(),
        UnOp::Acosh => x.acosh(),
        UnOp::Atanh => x.atanh(),
        UnOp::Abs => x.abs(),
        UnOp::Sign => sign(x),
        UnOp::LambertW => x.lambertw(),
        UnOp::Log1p => x.ln_1p(),
        UnOp::Expm1 => x.exp_m1(),
    }
}

/// The scalar function of a binary op.
#[inline]
#[must_use]
pub fn binary<T: Real>(op: BinOp, x: T, y: T) -> T {
    match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div => x / y,
        BinOp::Pow => x.powf(y),
        BinOp::Hypot => x.hypot(y),
    }
}

/// The scalar function of a comparison (IEEE: comparisons with NaN are false, except `ne`).
#[inline]
#[must_use]
pub fn compare<T: Real>(op: CmpOp, x: T, y: T) -> bool {
    match op {
        CmpOp::Lt => x < y,
        CmpOp::Le => x <= y,
        CmpOp::Gt => x > y,
        CmpOp::Ge => x >= y,
        CmpOp::Eq => x == y,
        CmpOp::Ne => x != y,
    }
}

/// `-1/e` rounded to nearest: the branch point of `W`.
const MINUS_INV_E: f64 = -0.367_879_441_171_442_33;

/// The principal branch `W_0` of the Lambert W function in `f64` (see the module doc for the method).
#[must_use]
pub fn lambertw_f64(x: f64) -> f64 {
    if x.is_nan() || x < MINUS_INV_E {
        return f64::NAN;
    }
    if x == 0.0 {
        return x;
    }
    if x == f64::INFINITY {
        return f64::INFINITY;
    }
    if x == MINUS_INV_E {
        return -1.0;
    }
    // Initial approximation, by region.
    let mut w = if x < -0.25 {
        // Branch-point series in p = sqrt(2(e x + 1)); e x + 1 is computed as e (x + 1/e) with 1/e split in two
        // parts so that the small difference keeps its relative accuracy near the branch point.
        let e = std::f64::consts::E;
        let inv_e_hi = 0.367_879_441_171_442_33;
        let inv_e_lo = -1.242_052_689_804_2e-17;
        let p = (2.0 * e * ((x + inv_e_hi) + inv_e_lo)).max(0.0).sqrt();
        -1.0 + p * (1.0 + p * (-1.0 / 3.0 + p * (11.0 / 72.0)))
    } else if x < 3.0 {
        x * (1.0 + 4.0 / 3.0 * x) / (1.0 + x * (7.0 / 3.0 + 5.0 / 6.0 * x))
    } else {
        let l1 = x.ln();
        let l2 = l1.ln();
        l1 - l2 + l2 / l1
    };
    // Halley's iteration; cubic convergence, so a handful of steps reach full precision from these guesses.
    for _ in 0..12 {
        let ew = w.exp();
        let f = w * ew - x;
        let wp1 = w + 1.0;
        if wp1 == 0.0 {
            break;
        }
        let denom = ew * wp1 - (w + 2.0) * f / (2.0 * wp1);
        if denom == 0.0 || !denom.is_finite() {
            break;
        }
        let step = f / denom;
        let next = w - step;
        if !next.is_finite() {
            break;
        }
        w = next.max(-1.0);
        if step.abs() <= 4.0 * f64::EPSILON * w.abs().max(f64::MIN_POSITIVE) {
            break;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn powi_order_is_binary_powering() {
        let x = 1.1_f64;
        assert_eq!(powi(x, 0), 1.0);
        assert_eq!(powi(x, 1), x);
        assert_eq!(powi(x, 2), x * x);
        assert_eq!(powi(x, 3), x * (x * x));
        assert_eq!(powi(x, 4), (x * x) * (x * x));
        assert_eq!(powi(x, 5), x * ((x * x) * (x * x)));
        assert_eq!(powi(x, -2), 1.0 / (x * x));
        assert_eq!(powi(2.0_f64, i32::MIN), 0.0);
    }

    proptest! {
        /// The identity the constant folder uses: `powi |x|, k` is `powi x, k` (even `k`) or its `abs` (odd `k`),
        /// bit for bit, for every non-NaN `x` (subnormals, overflow and signed zeros included).
        #[test]
        fn powers_of_abs(bits in any::<u64>(), k in -40i32..40) {
            let x = f64::from_bits(bits);
            prop_assume!(!x.is_nan());
            let p = powi(x, k);
            let want = if k % 2 == 0 { p } else { p.abs() };
            prop_assert_eq!(powi(x.abs(), k).to_bits(), want.to_bits());
            let x32 = x as f32;
            let p32 = powi(x32, k);
            let want32 = if k % 2 == 0 { p32 } else { p32.abs() };
            prop_assert_eq!(powi(x32.abs(), k).to_bits(), want32.to_bits());
        }
    }

    #[test]
    fn lambertw_special_values() {
        assert_eq!(lambertw_f64(0.0), 0.0);
        assert_eq!(lambertw_f64(MINUS_INV_E), -1.0);
        assert!(lambertw_f64(-0.5).is_nan());
        assert!(lambertw_f64(f64::NAN).is_nan());
        assert_eq!(lambertw_f64(f64::INFINITY), f64::INFINITY);
        // W(e) = 1 and W(1) is the omega constant.
        assert!((lambertw_f64(std::f64::consts::E) - 1.0).abs() <= 2.0 * f64::EPSILON);
        assert!((lambertw_f64(1.0) - 0.567_143_290_409_783_8).abs() <= 2.0 * f64::EPSILON);
    }

    #[test]
    fn sign_and_acot_conventions() {
        assert_eq!(sign(-3.0_f64), -1.0);
        assert_eq!(sign(0.0_f64).to_bits(), 0.0_f64.to_bits());
        assert_eq!(sign(-0.0_f64).to_bits(), (-0.0_f64).to_bits());
        assert!(sign(f64::NAN).is_nan());
        assert_eq!(unary(UnOp::Acot, 0.0_f64), std::f64::consts::FRAC_PI_2);
    }

    proptest! {
        // W is the inverse of w e^w on w >= -1: the residual w e^w - x is small relative to the
        // condition of the residual, |x| + |w e^w| (w e^w has relative error about 2 eps (1 + |w|)).
        #[test]
        fn lambertw_inverts_w_exp_w(x in prop_oneof![
            -0.367_879_441_171_442_2_f64..0.0,
            0.0_f64..10.0,
            10.0_f64..1e300,
            -0.367_879_441_171_442_3_f64..-0.367_879_4,
        ]) {
            let w = lambertw_f64(x);
            prop_assert!(w >= -1.0);
            let back = w * w.exp();
            let tol = 8.0 * f64::EPSILON * (1.0 + w.abs()) * x.abs().max(f64::MIN_POSITIVE);
            prop_assert!((back - x).abs() <= tol, "x={x:e} w={w:e} back={back:e}");
        }

        // W is increasing, so its f64 values are monotone up to rounding.
        #[test]
        fn lambertw_is_monotone(x in -0.36_f64..100.0, d in 1e-6_f64..1.0) {
            prop_assert!(lambertw_f64(x) <= lambertw_f64(x + d) + 4.0 * f64::EPSILON);
        }
    }
}
