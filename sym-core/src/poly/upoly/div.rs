//! Division of univariate polynomials: with remainder (unit leading coefficient), pseudo-division
//! and exact division.
//!
//! * `divrem`: `a = q b + r`, `deg r < deg b`, when `lc(b)` is a unit (always over a field).
//! * `pseudo_divrem`: `lc(b)^(deg a - deg b + 1) a = q b + r`, `deg r < deg b`, over any ring
//!   (Knuth, TAOCP vol. 2, Algorithm 4.6.1R).
//! * `div_exact`: the quotient of an exact division over an integral domain, where every
//!   leading-coefficient division must be exact and the remainder zero.

use super::UPoly;
use crate::poly::PolyError;
use crate::poly::ring::Ring;

impl<R: Ring> UPoly<R> {
    /// `(q, r)` with `self = q b + r` and `deg r < deg b`; needs `lc(b)` to be a unit.
    pub fn divrem(&self, b: &Self) -> Result<(Self, Self), PolyError> {
        let ring = &self.ring;
        if b.is_zero() {
            return Err(PolyError::DivisionByZero { op: "divrem" });
        }
        let lc = b.lc();
        let inv = ring.try_div(&ring.one(), &lc).ok_or(PolyError::Unsupported {
            op: "divrem",
            why: "the divisor's leading coefficient is not a unit (use pseudo_divrem)",
        })?;
        let db = b.coeffs.len() - 1;
        if self.coeffs.len() <= db {
            return Ok((Self::zero(ring.clone()), self.clone()));
        }
        let mut r = self.coeffs.clone();
        let mut q = vec![ring.zero(); r.len() - db];
        for i in (db..r.len()).rev() {
            if ring.is_zero(&r[i]) {
                continue;
            }
            let c = ring.mul(&r[i], &inv);
            for (j, bj) in b.coeffs[..db].iter().enumerate() {
                ring.sub_mul_assign(&mut r[i - db + j], &c, bj);
            }
            r[i] = ring.zero();
            q[i - db] = c;
        }
        r.truncate(db);
        Ok((Self::from_coeffs(ring.clone(), q), Self::from_coeffs(ring.clone(), r)))
    }

    /// The remainder of [`UPoly::divrem`].
    pub fn rem(&self, b: &Self) -> Result<Self, PolyError> {
        Ok(self.divrem(b)?.1)
    }

    /// `(q, r)` with `lc(b)^(deg self - deg b + 1) self = q b + r` and `deg r < deg b`
    /// (when `deg self < deg b`: `q = 0`, `r = self`).
    pub fn pseudo_divrem(&self, b: &Self) -> Result<(Self, Self), PolyError> {
        let ring = &self.ring;
        if b.is_zero() {
            return Err(PolyError::DivisionByZero { op: "pseudo_divrem" });
        }
        let db = b.coeffs.len() - 1;
        if self.coeffs.len() <= db {
            return Ok((Self::zero(ring.clone()), self.clone()));
        }
        let lc = b.lc();
        let mut r = self.coeffs.clone();
        let mut q = vec![ring.zero(); r.len() - db];
        // Knuth 4.6.1R: at step k, multiply everything so far by lc and subtract.
        for i in (db..r.len()).rev() {
            let c = std::mem::replace(&mut r[i], ring.zero());
            for x in q[i - db + 1..].iter_mut() {
                ring.mul_assign(x, &lc);
            }
            for x in r[..i].iter_mut() {
                ring.mul_assign(x, &lc);
            }
            if !ring.is_zero(&c) {
                for (j, bj) in b.coeffs[..db].iter().enumerate() {
                    ring.sub_mul_assign(&mut r[i - db + j], &c, bj);
                }
            }
            q[i - db] = c;
        }
        r.truncate(db);
        Ok((Self::from_coeffs(ring.clone(), q), Self::from_coeffs(ring.clone(), r)))
    }

    /// The pseudo-remainder: `r` of [`UPoly::pseudo_divrem`], computed without the quotient.
    pub fn pseudo_rem(&self, b: &Self) -> Result<Self, PolyError> {
        let ring = &self.ring;
        if b.is_zero() {
            return Err(PolyError::DivisionByZero { op: "pseudo_rem" });
        }
        let db = b.coeffs.len() - 1;
        if self.coeffs.len() <= db {
            return Ok(self.clone());
        }
        let lc = b.lc();
        let mut r = self.coeffs.clone();
        for i in (db..r.len()).rev() {
            let c = std::mem::replace(&mut r[i], ring.zero());
            for x in r[..i].iter_mut() {
                ring.mul_assign(x, &lc);
            }
            if !ring.is_zero(&c) {
                for (j, bj) in b.coeffs[..db].iter().enumerate() {
                    ring.sub_mul_assign(&mut r[i - db + j], &c, bj);
                }
            }
        }
        r.truncate(db);
        Ok(Self::from_coeffs(ring.clone(), r))
    }

    /// The exact quotient `self / b`, or [`PolyError::NotExact`].
    pub fn div_exact(&self, b: &Self) -> Result<Self, PolyError> {
        self.divides_by(b)?.ok_or(PolyError::NotExact { op: "div_exact" })
    }

    /// `Some(q)` with `self = q b`, `None` when `b` does not divide `self`.
    pub fn divides_by(&self, b: &Self) -> Result<Option<Self>, PolyError> {
        let ring = &self.ring;
        if b.is_zero() {
            return Err(PolyError::DivisionByZero { op: "div_exact" });
        }
        if self.is_zero() {
            return Ok(Some(self.clone()));
        }
        let db = b.coeffs.len() - 1;
        if self.coeffs.len() <= db {
            return Ok(None);
        }
        // Cheap necessary condition: the constant terms divide (when b's is nonzero).
        if !ring.is_zero(&b.coeffs[0]) && ring.try_div(&self.coeffs[0], &b.coeffs[0]).is_none() {
            return Ok(None);
        }
        let lc = b.lc();
        let mut r = self.coeffs.clone();
        let mut q = vec![ring.zero(); r.len() - db];
        for i in (db..r.len()).rev() {
            if ring.is_zero(&r[i]) {
                continue;
            }
            let Some(c) = ring.try_div(&r[i], &lc) else {
                return Ok(None);
            };
            for (j, bj) in b.coeffs[..db].iter().enumerate() {
                ring.sub_mul_assign(&mut r[i - db + j], &c, bj);
            }
            r[i] = ring.zero();
            q[i - db] = c;
        }
        if r[..db].iter().any(|c| !ring.is_zero(c)) {
            return Ok(None);
        }
        Ok(Some(Self::from_coeffs(ring.clone(), q)))
    }
}
