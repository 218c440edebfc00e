//! Real-number helpers for univariate polynomials: floating evaluation, Taylor shifts, sign
//! variations (Descartes' rule), Sturm sequences and root bounds; the building blocks of real root
//! isolation.
//!
//! * Taylor shift `f(x) -> f(x + c)` by the classical `O(n^2)` scheme
//!   `for i in 0..n { for j in (i..n).rev() { a_j += c a_(j+1) } }` (only additions when `c = 1`).
//! * Descartes' rule of signs: the number of positive roots (with multiplicity) is at most the
//!   number `V` of sign variations of the coefficient sequence, and has the parity of `V`.
//! * Sturm's theorem: for the sequence `s_0 = f`, `s_1 = f'`, `s_(i+1) = -rem(s_(i-1), s_i)`,
//!   the number of distinct real roots in `(a, b]` is `V(a) - V(b)`, where `V(x)` counts sign
//!   variations of `s_i(x)` (each `s_i` is scaled by a positive constant, which keeps signs).
//!   For square-free `f` this holds even when `a` or `b` is a root; the counting functions use the
//!   square-free part `f / gcd(f, f')`, so multiple roots are handled too.
//! * Cauchy's bound: every complex root satisfies `|z| < 1 + max_i |a_i / a_n|`.

use super::UPoly;
use crate::poly::ring::{Field, IntegerRing, RationalField, RealEmbedding, Ring};
use rug::{Float, Rational};

impl<R: Ring> UPoly<R> {
    /// The Taylor shift `self(x + c)`.
    pub fn taylor_shift(&self, c: &R::Elem) -> Self {
        let ring = &self.ring;
        let mut a = self.coeffs.clone();
        let Some(n) = self.degree() else {
            return self.clone();
        };
        if ring.is_zero(c) {
            return self.clone();
        }
        let one = ring.is_one(c);
        for i in 0..n {
            for j in (i..n).rev() {
                let (lo, hi) = a.split_at_mut(j + 1);
                if one {
                    ring.add_assign(&mut lo[j], &hi[0]);
                } else {
                    ring.add_mul_assign(&mut lo[j], c, &hi[0]);
                }
            }
        }
        Self::from_coeffs(ring.clone(), a)
    }

    /// The number of sign variations of the coefficient sequence (zeros skipped); by Descartes'
    /// rule, an upper bound with the right parity for the number of positive roots.
    pub fn sign_variations(&self) -> usize {
        sign_variations_of(&self.ring, self.coeffs.iter())
    }

    /// Descartes' bound on the number of positive real roots (see [`UPoly::sign_variations`]).
    pub fn descartes_bound(&self) -> usize {
        self.sign_variations()
    }
}

/// Sign variations of a sequence of ring elements (zeros skipped), with signs from
/// [`Ring::is_negative`].
pub(crate) fn sign_variations_of<'a, R: Ring>(ring: &R, seq: impl Iterator<Item = &'a R::Elem>) -> usize {
    let mut last: Option<bool> = None;
    let mut count = 0;
    for c in seq {
        if ring.is_zero(c) {
            continue;
        }
        let neg = ring.is_negative(c);
        if last.is_some_and(|l| l != neg) {
            count += 1;
        }
        last = Some(neg);
    }
    count
}

impl<R: RealEmbedding> UPoly<R> {
    /// The value at `x` in `f64` arithmetic (Horner).
    pub fn eval_f64(&self, x: f64) -> f64 {
        self.coeffs.iter().rev().fold(0.0, |acc, c| acc * x + self.ring.to_f64(c))
    }

    /// The value at `x` with `prec`-bit MPFR arithmetic (Horner).
    pub fn eval_float(&self, x: &Float, prec: u32) -> Float {
        let mut acc = Float::with_val(prec, 0);
        for c in self.coeffs.iter().rev() {
            acc *= x;
            acc += self.ring.to_float(c, prec);
        }
        acc
    }
}

impl<R: Field + RealEmbedding> UPoly<R> {
    /// The Sturm sequence `f, f', -rem(f, f'), ...`, each term scaled to leading coefficient
    /// of absolute value one (positive factors keep the sign pattern).
    pub fn sturm_sequence(&self) -> Vec<Self> {
        let ring = &self.ring;
        let unit_abs = |p: Self| -> Self {
            if p.is_zero() {
                return p;
            }
            let lc = p.lc();
            let abs = if ring.is_negative(&lc) { ring.neg(&lc) } else { lc };
            let inv = ring.inv(&abs).expect("nonzero");
            p.scale(&inv)
        };
        let mut seq = vec![unit_abs(self.clone())];
        if self.is_zero() {
            return seq;
        }
        let d = self.derivative();
        if d.is_zero() {
            return seq;
        }
        seq.push(unit_abs(d));
        loop {
            let n = seq.len();
            let r = seq[n - 2].rem(&seq[n - 1]).expect("nonzero divisor over a field");
            if r.is_zero() {
                break;
            }
            seq.push(unit_abs(r.neg()));
        }
        seq
    }

    /// Sign variations of a Sturm sequence at the point `x`.
    pub fn sturm_variations_at(seq: &[Self], x: &R::Elem) -> usize {
        let Some(first) = seq.first() else { return 0 };
        let vals: Vec<R::Elem> = seq.iter().map(|p| p.eval(x)).collect();
        sign_variations_of(&first.ring, vals.iter())
    }

    /// Sign variations of a Sturm sequence at `+infinity` (`positive = true`) or `-infinity`.
    pub fn sturm_variations_at_infinity(seq: &[Self], positive: bool) -> usize {
        let Some(first) = seq.first() else { return 0 };
        let ring = &first.ring;
        let signs: Vec<R::Elem> = seq
            .iter()
            .map(|p| {
                let lc = p.lc();
                let odd = p.degree().unwrap_or(0) % 2 == 1;
                if !positive && odd { ring.neg(&lc) } else { lc }
            })
            .collect();
        sign_variations_of(ring, signs.iter())
    }

    /// The square-free part `f / gcd(f, f')` (monic), which has the same distinct roots.
    fn separable_part(&self) -> Self {
        if self.degree().unwrap_or(0) <= 1 {
            return self.clone();
        }
        let g = self.gcd_euclid(&self.derivative());
        self.div_exact(&g).expect("invariant: the gcd divides")
    }

    /// The number of distinct real roots in `(a, b]` (Sturm), for `a < b`; endpoints may be
    /// roots of any multiplicity.
    pub fn count_roots_between(&self, a: &R::Elem, b: &R::Elem) -> usize {
        let seq = self.separable_part().sturm_sequence();
        let va = Self::sturm_variations_at(&seq, a);
        let vb = Self::sturm_variations_at(&seq, b);
        va.saturating_sub(vb)
    }

    /// The number of distinct real roots (Sturm).
    pub fn count_real_roots(&self) -> usize {
        let seq = self.separable_part().sturm_sequence();
        Self::sturm_variations_at_infinity(&seq, false).saturating_sub(Self::sturm_variations_at_infinity(&seq, true))
    }
}

impl UPoly<RationalField> {
    /// Cauchy's root bound `1 + max_i |a_i / a_n|` (every complex root is smaller in absolute
    /// value); zero for constants.
    pub fn cauchy_bound(&self) -> Rational {
        let Some(n) = self.degree() else {
            return Rational::new();
        };
        if n == 0 {
            return Rational::new();
        }
        let lc = self.lc();
        let mut max = Rational::new();
        for c in &self.coeffs[..n] {
            let q = Rational::from(c / &lc).abs();
            if q > max {
                max = q;
            }
        }
        max + 1u32
    }
}

impl UPoly<IntegerRing> {
    /// This polynomial over `Q`.
    pub fn to_rational(&self) -> UPoly<RationalField> {
        self.map_coeffs(RationalField, |c| Rational::from(c.to_integer()))
    }

    /// Cauchy's root bound (see [`UPoly::<RationalField>::cauchy_bound`]).
    pub fn cauchy_bound(&self) -> Rational {
        self.to_rational().cauchy_bound()
    }
}
