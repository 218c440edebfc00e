//! The `root` op's algorithm: per-lane safeguarded Newton iteration, and its per-lane status.
//!
//! For each lane, solve `F(y) = 0` where `F(y) = F(y, params)` is the residual graph's first output and
//! `F'(y) = dF/dy` its second. This module is the scalar, one-lane definition; the reference interpreter runs
//! it lane by lane and the executor runs the same decisions on blocks of lanes (results bit-identical).
//!
//! # Algorithm
//!
//! *Start.* With a bracket `[lo, hi]`: if `lo` or `hi` is not finite the lane ends with `NoBracket`; if
//! `F(lo) = 0` (or `F(hi) = 0`) the root is that end; if either value is not finite the lane ends with
//! `NonFinite`; if `F(lo)` and `F(hi)` have the same sign the lane ends with `NoBracket`.
//! Otherwise the ends are named `neg` and `pos` so that `F(neg) < 0 < F(pos)`, and `y0` is the guess when it lies
//! strictly inside the bracket, else the midpoint `neg + (pos - neg)/2`.
//! Without a bracket, `y0` is the guess (a non-finite guess ends the lane with `NonFinite`).
//!
//! *Step* (at most `max_iter` times). Evaluate `f = F(y)`, `d = F'(y)`.
//! 1. `f = 0`: converged at `y`.
//! 2. `f` or `d` not finite: the lane ends with `NonFinite` (value `y`).
//! 3. Bracket upkeep: with a bracket, `y` replaces `neg` if `f < 0`, else `pos`. Without one, if the previous
//!    iterate's residual has the opposite sign, the two iterates become the bracket.
//! 4. Newton candidate `y' = y - f/d`. With a bracket, a candidate outside `[neg, pos]` (or NaN: this includes
//!    `d = 0` and overflow) is replaced by the midpoint `neg + (pos - neg)/2`: a bisection step. (The interval is
//!    closed because `y` itself is now an end of it: a converged Newton step that rounds to `y` must be accepted.)
//!    Without a bracket, a candidate that is not finite (`d = 0` or overflow) ends the lane with
//!    `SingularDerivative` (value `y`).
//! 5. If `|y' - y| <= tol * max(1, |y'|)`, converged at `y'`; otherwise continue from `y'`.
//!
//! After `max_iter` steps the lane ends with `NotConverged` and its last iterate.
//!
//! With a bracket the iteration cannot leave it and each bisection halves it, so it converges (to the
//! tolerance) in at most about `log2(width / (tol * max(1, |y|)))` bisections, and quadratically once Newton
//! steps stay inside (the safeguard of `rtsafe`, Press et al., *Numerical Recipes*, 3rd ed., section 9.4).
//!
//! # Values of failed lanes
//!
//! No lane gives a silent NaN: a lane's value is NaN only when its status says why (`NoBracket` at the start,
//! `NonFinite` when the guess was not finite). `NotConverged`, `SingularDerivative` and `NonFinite` during the
//! iteration keep the last finite iterate, so a caller may still inspect it.

use crate::scalar::Real;

/// The per-lane outcome of a `root` op.
///
/// In the IR a status is a value of element kind [`crate::Elem::Status`], read from a root with `root_status`;
/// `converged` turns it into a mask for `select`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, Default)]
#[repr(u8)]
pub enum RootStatus {
    /// The last step met the tolerance (or the residual was exactly zero).
    #[default]
    Converged = 0,
    /// `max_iter` steps did not meet the tolerance; the value is the last iterate.
    NotConverged = 1,
    /// The given bracket has no sign change (or a non-finite end); the value is NaN.
    NoBracket = 2,
    /// Without a bracket, `dF/dy` vanished (or the Newton step overflowed); the value is the last iterate.
    SingularDerivative = 3,
    /// The residual or its derivative was not finite at an iterate (or the guess was not finite).
    NonFinite = 4,
}

impl RootStatus {
    /// Every status, in code order.
    pub const ALL: [Self; 5] =
        [Self::Converged, Self::NotConverged, Self::NoBracket, Self::SingularDerivative, Self::NonFinite];

    /// The name used in the text form and in messages.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Converged => "converged",
            Self::NotConverged => "not_converged",
            Self::NoBracket => "no_bracket",
            Self::SingularDerivative => "singular_derivative",
            Self::NonFinite => "non_finite",
        }
    }

    /// The status with the given name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Whether the lane converged.
    #[must_use]
    pub const fn is_converged(self) -> bool {
        matches!(self, Self::Converged)
    }
}

impl std::fmt::Display for RootStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The iteration limits of a `root` op.
#[derive(Copy, Clone, PartialEq, Debug)]
pub struct RootOptions {
    /// The relative step tolerance (see the module doc, step 5).
    pub tol: f64,
    /// The most steps per lane.
    pub max_iter: u32,
}

impl RootOptions {
    /// Defaults for `f64`: `tol = 1e-15`, `max_iter = 100`.
    pub const F64: Self = Self { tol: 1e-15, max_iter: 100 };
    /// Defaults for `f32`: `tol = 1e-6`, `max_iter = 100`.
    pub const F32: Self = Self { tol: 1e-6, max_iter: 100 };
}

/// Solves one lane: `residual(y)` returns `(F(y), dF/dy(y))`. See the module doc for the algorithm.
pub fn solve_lane<T: Real>(
    mut residual: impl FnMut(T) -> (T, T),
    guess: Option<T>,
    bracket: Option<(T, T)>,
    tol: T,
    max_iter: u32,
) -> (T, RootStatus) {
    // Bracket ends with F(neg) < 0 < F(pos); NaN while no bracket is known.
    let (mut neg, mut pos, mut bracketed);
    let mut y;
    if let Some((lo, hi)) = bracket {
        if !(lo.is_finite() && hi.is_finite()) {
            return (T::NAN, RootStatus::NoBracket);
        }
        let (flo, _) = residual(lo);
        if flo == T::ZERO {
            return (lo, RootStatus::Converged);
        }
        let (fhi, _) = residual(hi);
        if fhi == T::ZERO {
            return (hi, RootStatus::Converged);
        }
        if !(flo.is_finite() && fhi.is_finite()) {
            return (T::NAN, RootStatus::NonFinite);
        }
        if (flo < T::ZERO) == (fhi < T::ZERO) {
            return (T::NAN, RootStatus::NoBracket);
        }
        (neg, pos) = if flo < T::ZERO { (lo, hi) } else { (hi, lo) };
        bracketed = true;
        let inside = |g: T| g > lo.min(hi) && g < lo.max(hi);
        y = match guess {
            Some(g) if inside(g) => g,
            _ => neg + (pos - neg) * T::HALF,
        };
    } else {
        y = guess.unwrap_or(T::NAN);
        if !y.is_finite() {
            return (T::NAN, RootStatus::NonFinite);
        }
        neg = T::NAN;
        pos = T::NAN;
        bracketed = false;
    }
    let (mut prev_y, mut prev_f) = (T::NAN, T::NAN);
    for _ in 0..max_iter {
        let (f, d) = residual(y);
        if f == T::ZERO {
            return (y, RootStatus::Converged);
        }
        if !(f.is_finite() && d.is_finite()) {
            return (y, RootStatus::NonFinite);
        }
        if bracketed {
            if f < T::ZERO {
                neg = y;
            } else {
                pos = y;
            }
        } else if (prev_f < T::ZERO && f > T::ZERO) || (prev_f > T::ZERO && f < T::ZERO) {
            (neg, pos) = if f < T::ZERO { (y, prev_y) } else { (prev_y, y) };
            bracketed = true;
        }
        let mut next = y - f / d;
        if bracketed {
            if !(next >= neg.min(pos) && next <= neg.max(pos)) {
                next = neg + (pos - neg) * T::HALF;
            }
        } else if !next.is_finite() {
            return (y, RootStatus::SingularDerivative);
        }
        if (next - y).abs() <= tol * T::ONE.max(next.abs()) {
            return (next, RootStatus::Converged);
        }
        prev_y = y;
        prev_f = f;
        y = next;
    }
    (y, RootStatus::NotConverged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn quintic(a: f64, b: f64) -> impl FnMut(f64) -> (f64, f64) {
        move |y: f64| (y.powi(5) + a * y + b, 5.0 * y.powi(4) + a)
    }

    #[test]
    fn statuses_of_edge_cases() {
        // No sign change on [1, 2] for y^2 + 1.
        let r = solve_lane(|y: f64| (y * y + 1.0, 2.0 * y), None, Some((1.0, 2.0)), 1e-15, 50);
        assert!(r.0.is_nan());
        assert_eq!(r.1, RootStatus::NoBracket);
        // y^2 + 1 from 0: the derivative vanishes at the start.
        let r = solve_lane(|y: f64| (y * y + 1.0, 2.0 * y), Some(0.0), None, 1e-15, 50);
        assert_eq!(r, (0.0, RootStatus::SingularDerivative));
        // A bracket end that is a root.
        let r = solve_lane(|y: f64| (y - 2.0, 1.0), None, Some((2.0, 5.0)), 1e-15, 50);
        assert_eq!(r, (2.0, RootStatus::Converged));
        // Too few steps.
        let r = solve_lane(|y: f64| (y.exp() - 1e6, y.exp()), Some(100.0), None, 1e-15, 3);
        assert_eq!(r.1, RootStatus::NotConverged);
        assert!(r.0.is_finite());
        // A NaN parameter.
        let r = solve_lane(|y: f64| (y - f64::NAN, 1.0), Some(1.0), None, 1e-15, 50);
        assert_eq!(r.1, RootStatus::NonFinite);
        // A NaN guess.
        let r = solve_lane(|y: f64| (y, 1.0), Some(f64::NAN), None, 1e-15, 50);
        assert!(r.0.is_nan());
        assert_eq!(r.1, RootStatus::NonFinite);
    }

    #[test]
    fn bisection_rescues_a_bad_newton_step() {
        // atan has a root at 0; Newton from 2 diverges, the bracket [-1, 3] keeps it.
        let f = |y: f64| (y.atan(), 1.0 / (1.0 + y * y));
        let (y, s) = solve_lane(f, Some(2.0), Some((-1.0, 3.0)), 1e-15, 100);
        assert_eq!(s, RootStatus::Converged);
        assert!(y.abs() < 1e-15);
        // Without a bracket, Newton from 2 overshoots to the other side of the root (f changes sign), so the two
        // iterates become a bracket and the safeguard takes over.
        let (y, s) = solve_lane(f, Some(2.0), None, 1e-15, 100);
        assert_eq!(s, RootStatus::Converged);
        assert!(y.abs() < 1e-15);
        // y^2 + 1 has no real root: Newton wanders, never sees a sign change, and runs out of steps.
        let (y, s) = solve_lane(|y: f64| (y * y + 1.0, 2.0 * y), Some(0.5), None, 1e-15, 100);
        assert_eq!(s, RootStatus::NotConverged);
        assert!(y.is_finite());
    }

    proptest! {
        // The quintic y^5 + a y + b with a > 0 is increasing, so it has exactly one real root; Newton from -b/a
        // converges and the residual at the root is at the rounding level of its terms.
        #[test]
        fn quintic_root_from_guess(a in 1.0_f64..2.0, b in -1.0_f64..1.0) {
            let (y, s) = solve_lane(quintic(a, b), Some(-b / a), None, 1e-15, 100);
            prop_assert_eq!(s, RootStatus::Converged);
            let scale = y.abs().powi(5) + a * y.abs() + b.abs();
            prop_assert!((y.powi(5) + a * y + b).abs() <= 8.0 * f64::EPSILON * scale);
        }

        // From a bracket in either orientation, the same root.
        #[test]
        fn quintic_root_from_bracket(a in 1.0_f64..2.0, b in -1.0_f64..1.0, flip: bool) {
            let br = if flip { (1.0, -1.0) } else { (-1.0, 1.0) };
            let (y, s) = solve_lane(quintic(a, b), None, Some(br), 1e-15, 100);
            prop_assert_eq!(s, RootStatus::Converged);
            let (z, _) = solve_lane(quintic(a, b), Some(-b / a), None, 1e-15, 100);
            prop_assert!((y - z).abs() <= 4.0 * f64::EPSILON);
        }

        // With a valid bracket every lane converges, even for a residual with a flat region where Newton alone
        // fails: the safeguard keeps the iterate inside and bisects.
        #[test]
        fn bracket_always_converges(c in -0.99_f64..0.99, g in -5.0_f64..5.0) {
            let f = |y: f64| ((y - c).powi(3) * 1e-3 + (y - c).atan(), 3e-3 * (y - c).powi(2) + 1.0 / (1.0 + (y - c).powi(2)));
            let (y, s) = solve_lane(f, Some(g), Some((-1.0, 1.0)), 1e-15, 200);
            prop_assert_eq!(s, RootStatus::Converged);
            prop_assert!((y - c).abs() <= 1e-14);
        }
    }
}
