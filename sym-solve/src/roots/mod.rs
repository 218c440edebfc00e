//! Certified roots of univariate polynomials with integer or rational coefficients: the engine
//! behind `RootOf` and behind every numeric root that `sym-solve` reports.
//!
//! # What is certified
//!
//! * [`isolate_real_roots`]: the real roots in exact arithmetic (Descartes' rule of signs with
//!   bisection), as exact rationals or disjoint open intervals with dyadic endpoints, ascending;
//!   [`RealRoot::refine_digits`] narrows an interval to any width (bisection with exact signs,
//!   and a verified Newton fast path).
//! * [`complex_roots`]: all complex roots, each with a midpoint and a radius such that the
//!   closed disc contains exactly that root (Braess–Hadeler inclusion discs with rigorous error
//!   bounds); real roots are proven real and non-real roots proven non-real by conjugate
//!   symmetry; rational real roots are exact.
//! * [`root_of`]: the `k`-th root in the canonical order (see below), refined to any number of
//!   digits.
//!
//! Multiple roots are found on the square-free factorisation (Yun), so multiplicities are exact.
//!
//! # How the complex roots are computed
//!
//! Per square-free factor (module `complex`): Newton-polygon starting points (module `init`);
//! Aberth–Ehrlich sweeps in `f64` (module `aberth64`); then, when the scaled coefficients are
//! exact in `f64`, one compensated Newton–Aberth step with error-free transformations that also
//! yields rigorous residual bounds (module `fast`), which certifies well-conditioned roots to
//! about 28 digits without MPFR. Otherwise (clusters, large coefficients, more digits) the MPFR
//! phase (module `certify`) iterates at a working precision that doubles as needed. The
//! certification of discs (radii, disjointness, realness, conjugate pairs) is shared (module
//! `certify`). Upper and lower bounds use directed `Mag` arithmetic (module `mag`).
//! [`RealRoot`]s come from Descartes' method in exact integer arithmetic (module `descartes`).
//!
//! # The canonical order (`RootOf` indices)
//!
//! Real roots first, ascending; then the non-real roots by ascending real part, ties (equal real
//! parts, such as a conjugate pair) by ascending imaginary part, so `x^2 + 1` has `RootOf(.., 0)
//! = -i` and `RootOf(.., 1) = i`. [`complex_roots`] lists distinct roots in this order with
//! their multiplicities; [`root_of`] counts roots with multiplicity (index `k` runs over
//! `0..degree`). How ties are decided with certified precision is documented in the module
//! `order`: equal real parts are proven equal for conjugate pairs and for rational real parts;
//! anything else is separated by refinement or reported as [`RootsError::OrderUndecided`].
//!
//! # Limits
//!
//! [`RootLimits`] bounds the degree, the working precision and the number of sweeps, so no input
//! makes these functions run without bound; exceeding a limit is a [`RootsError`].
//!
//! # Example
//!
//! ```
//! use sym_core::poly::{UPoly, Z};
//! use sym_solve::roots::{complex_roots, isolate_real_roots, root_of};
//!
//! // x^5 - x + 1: one real root, two conjugate pairs.
//! let p = UPoly::from_i64s(Z, &[1, -1, 0, 0, 0, 1]);
//! let real = isolate_real_roots(&p).unwrap();
//! assert_eq!(real.len(), 1);
//! let roots = complex_roots(&p, 20).unwrap();
//! assert_eq!(roots.len(), 5);
//! assert!(roots[0].is_real());
//! // RootOf(p, 0) is the real root, about -1.1673.
//! let r = root_of(&p, 0, 30).unwrap();
//! assert!((r.re().to_f64() + 1.1673039782614187).abs() < 1e-15);
//! ```

mod aberth64;
mod certify;
mod complex;
mod descartes;
mod error;
mod fast;
mod init;
mod intpoly;
mod mag;
mod order;
mod real;

pub use complex::{CertifiedRoot, complex_roots, complex_roots_with, root_of, root_of_with};
pub use error::RootsError;
pub use intpoly::RootPoly;
pub use real::{RealRoot, count_real_roots, count_real_roots_in, isolate_real_roots, isolate_real_roots_with};

/// Resource limits for the root finders.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RootLimits {
    /// The largest degree accepted.
    pub max_degree: usize,
    /// The largest working precision in bits (also bounds requested digits).
    pub max_precision: u32,
    /// The largest number of iteration sweeps (Aberth sweeps or Newton steps) per factor.
    pub max_iterations: usize,
}

impl Default for RootLimits {
    /// Degree 10,000; 2^18 bits (about 79,000 digits); 1,000 sweeps (random polynomials of
    /// degree 200 need about 15, clusters a few dozen).
    fn default() -> Self {
        RootLimits { max_degree: 10_000, max_precision: 1 << 18, max_iterations: 1_000 }
    }
}

impl RootLimits {
    /// The default limits with another degree limit.
    pub fn with_max_degree(mut self, max_degree: usize) -> Self {
        self.max_degree = max_degree;
        self
    }

    /// The default limits with another precision limit (bits).
    pub fn with_max_precision(mut self, max_precision: u32) -> Self {
        self.max_precision = max_precision;
        self
    }

    /// The default limits with another sweep limit.
    pub fn with_max_iterations(mut self, max_iterations: usize) -> Self {
        self.max_iterations = max_iterations;
        self
    }
}
