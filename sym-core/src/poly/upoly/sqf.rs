//! Square-free decomposition by Yun's algorithm.
//!
//! For `f = c prod_i a_i^i` with the `a_i` square-free and pairwise coprime (Yun, "On square-free
//! decomposition algorithms", SYMSAC 1976): with `a_0 = gcd(f, f')`, `b_1 = f / a_0`,
//! `d_1 = f' / a_0 - b_1'`, repeat `a_i = gcd(b_i, d_i)`, `b_{i+1} = b_i / a_i`,
//! `d_{i+1} = d_i / a_i - b_{i+1}'` until `b_i = 1`. All divisions are exact, so the algorithm
//! runs over `Z` (with primitive parts) as well as over fields. It needs characteristic zero, or
//! a characteristic larger than the degree.

use super::{PolyGcd, UPoly};
use crate::poly::PolyError;
use crate::poly::ring::Ring;

/// A square-free decomposition `f = unit * prod (a_i)^(e_i)`: the `a_i` are square-free, pairwise
/// coprime, normalised and non-constant, with increasing multiplicities `e_i`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SquareFree<R: Ring> {
    /// The constant factor (the content times a unit).
    pub unit: R::Elem,
    /// The factors with their multiplicities.
    pub factors: Vec<(UPoly<R>, usize)>,
}

impl<R: PolyGcd> UPoly<R> {
    /// The square-free decomposition (Yun). Errors for the zero polynomial and when the
    /// characteristic is positive and not larger than the degree.
    pub fn square_free(&self) -> Result<SquareFree<R>, PolyError> {
        let ring = &self.ring;
        let Some(n) = self.degree() else {
            return Err(PolyError::Unsupported {
                op: "square_free",
                why: "the zero polynomial has no square-free decomposition",
            });
        };
        let p = ring.characteristic();
        if p != 0 && (n as u64) >= p {
            return Err(PolyError::Unsupported {
                op: "square_free",
                why: "Yun's algorithm needs the characteristic to exceed the degree",
            });
        }
        let (unit, f) = self.content_primitive();
        let mut factors = Vec::new();
        if n == 0 {
            return Ok(SquareFree { unit, factors });
        }
        let df = f.derivative();
        let a0 = f.gcd(&df);
        let exact = "invariant: Yun's divisions are exact";
        let mut b = f.div_exact(&a0).expect(exact);
        let mut d = df.div_exact(&a0).expect(exact).sub(&b.derivative());
        let mut i = 1;
        while b.deg() > 0 {
            let a = b.gcd(&d);
            b = b.div_exact(&a).expect(exact);
            if a.deg() > 0 {
                factors.push((a.clone(), i));
            }
            d = d.div_exact(&a).expect(exact).sub(&b.derivative());
            i += 1;
        }
        Ok(SquareFree { unit, factors })
    }

    /// The square-free part: the product of the distinct irreducible factors (normalised).
    pub fn square_free_part(&self) -> Result<Self, PolyError> {
        let sf = self.square_free()?;
        let mut r = UPoly::one(self.ring.clone());
        for (a, _) in &sf.factors {
            r = r.mul(a);
        }
        Ok(r)
    }
}

impl<R: Ring> SquareFree<R> {
    /// The product `unit * prod a_i^e_i`, in `ring`.
    pub fn expand(&self, ring: R) -> UPoly<R> {
        let mut r = UPoly::constant(ring, self.unit.clone());
        for (a, e) in &self.factors {
            for _ in 0..*e {
                r = r.mul(a);
            }
        }
        r
    }
}
