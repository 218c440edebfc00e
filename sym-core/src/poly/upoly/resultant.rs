//! Resultants and discriminants by the subresultant PRS.
//!
//! `Res(A, B) = lc(A)^deg B prod_{A(alpha) = 0} B(alpha)` is the determinant of the Sylvester
//! matrix. It is computed by Cohen's Algorithm 3.3.7 (*A Course in Computational Algebraic
//! Number Theory*) without the content extraction, which makes it valid over any integral domain
//! with exact division, in particular over polynomial rings: with coefficients in `Q[y]`, the
//! resultant in `x` of two bivariate polynomials eliminates `x`.
//!
//! With `delta = deg A - deg B`, each step replaces `(A, B)` by `(B, prem(A, B) / (g h^delta))`,
//! `g = lc(A)`, `h <- g^delta / h^(delta - 1)`, tracking the sign `(-1)^(deg A deg B)` of each
//! swap; at the end `Res = s * lc(B)^deg A / h^(deg A - 1)`.
//!
//! `disc(f) = (-1)^(n(n-1)/2) Res(f, f') / lc(f)` for `deg f = n`; when `deg f' < n - 1`
//! (characteristic `p` dividing `n`), `Res` of the formal degrees is `lc(f)^(n-1-deg f')` times the
//! resultant of the actual degrees.

use super::UPoly;
use crate::poly::ring::Ring;

impl<R: Ring> UPoly<R> {
    /// The resultant `Res(self, other)` (zero when either is zero).
    pub fn resultant(&self, other: &Self) -> R::Elem {
        assert!(self.ring == other.ring, "polynomials over different rings");
        let ring = &self.ring;
        if self.is_zero() || other.is_zero() {
            return ring.zero();
        }
        let (m, n) = (self.deg() as u64, other.deg() as u64);
        if n == 0 {
            return ring.pow(&other.lc(), m);
        }
        if m == 0 {
            return ring.pow(&self.lc(), n);
        }
        let (mut a, mut b) = (self.clone(), other.clone());
        let mut negate = false;
        if m < n {
            std::mem::swap(&mut a, &mut b);
            if m % 2 == 1 && n % 2 == 1 {
                negate = true;
            }
        }
        let mut g = ring.one();
        let mut h = ring.one();
        loop {
            let (da, db) = (a.deg() as u64, b.deg() as u64);
            let delta = da - db;
            if da % 2 == 1 && db % 2 == 1 {
                negate = !negate;
            }
            let r = a.pseudo_rem(&b).expect("nonzero divisor");
            a = b;
            let divisor = ring.mul(&g, &ring.pow(&h, delta));
            b = r.div_scalar(&divisor).expect("invariant: subresultant division is exact");
            g = a.lc();
            h = match delta {
                0 => h,
                1 => g.clone(),
                _ => ring
                    .try_div(&ring.pow(&g, delta), &ring.pow(&h, delta - 1))
                    .expect("invariant: subresultant division is exact"),
            };
            if b.deg() <= 0 {
                break;
            }
        }
        if b.is_zero() {
            return ring.zero();
        }
        let da = a.deg() as u64;
        let res = ring
            .try_div(&ring.pow(&b.lc(), da), &ring.pow(&h, da - 1))
            .expect("invariant: subresultant division is exact");
        if negate { ring.neg(&res) } else { res }
    }

    /// The discriminant `(-1)^(n(n-1)/2) Res(f, f') / lc(f)`; `None` for constants.
    pub fn discriminant(&self) -> Option<R::Elem> {
        let ring = &self.ring;
        let n = self.degree()?;
        if n == 0 {
            return None;
        }
        let d = self.derivative();
        if d.is_zero() {
            return Some(ring.zero());
        }
        let res = self.resultant(&d);
        let lc = self.lc();
        let k = (n - 1 - d.degree().expect("nonzero")) as u64;
        // Res_formal = lc^k Res_actual; divide by lc once.
        let r = if k == 0 {
            ring.try_div(&res, &lc).expect("invariant: lc(f) divides Res(f, f')")
        } else {
            ring.mul(&res, &ring.pow(&lc, k - 1))
        };
        let sign_neg = (n * (n - 1) / 2) % 2 == 1;
        Some(if sign_neg { ring.neg(&r) } else { r })
    }
}
