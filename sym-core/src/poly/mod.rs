//! The polynomial engine: coefficient rings, sparse multivariate and dense univariate
//! polynomials, and the algorithms on them (products, powers, division, GCD, resultants,
//! square-free decomposition).
//!
//! # Design
//!
//! After FLINT and Symbolica: a polynomial is two parallel vectors, coefficients and packed
//! exponent vectors, sorted in a monomial order that is a type parameter ([`Lex`],
//! [`GrevLex`], [`DegLex`]), so comparisons are integer comparisons of words. The coefficient
//! [`Ring`] does the arithmetic, so each algorithm is written once and runs over `Z` ([`Z`],
//! elements [`Int`] with an `i64` fast path), `Q` ([`Q`], `rug::Rational`), `Z/p` ([`Zp`]) and
//! polynomial rings ([`PolyRing`], so `Q[a, b][x]` works).
//!
//! * [`MPoly`]: sparse multivariate; products by heap merge or dense accumulation, powers by a
//!   sparse Miller recurrence, heap division, evaluation, substitution, derivatives, recursive
//!   univariate views, and [`MPoly::gcd`].
//! * [`UPoly`]: dense univariate; division, pseudo-division, GCD (modular over `Z`,
//!   subresultant over polynomial rings), extended GCD, resultants and discriminants, Yun's
//!   square-free decomposition, Taylor shifts, Sturm sequences, and factorisation over `Z` and
//!   `Q` ([`UPoly::factor`], Zassenhaus with Hensel lifting) and over `Z/p`.
//! * [`expr`]: conversions between expressions and polynomials (generators, parameters).
//! * Operations whose results can explode take [`Limits`] and return [`PolyError::Limit`].
//!
//! # Example
//!
//! ```
//! use sym_core::poly::{parse_mpoly, Lex, MPoly, Limits, Z};
//!
//! let names = ["x", "y"];
//! let f: MPoly<_, Lex> = parse_mpoly("x + y + 1", &names, Z).unwrap();
//! let g = f.pow(3, &Limits::default()).unwrap();
//! assert_eq!(g.len(), 10);
//! let h: MPoly<_, Lex> = parse_mpoly("(x + y + 1)*(x - y)", &names, Z).unwrap();
//! assert_eq!(g.gcd(&h).display_with(&names).to_string(), "x + y + 1");
//! ```

mod error;
pub mod expr;
mod factor;
pub mod gcd;
pub mod monomial;
mod mpoly;
mod parse;
pub mod ring;
mod upoly;

pub use error::{LimitKind, Limits, PolyError};
pub use factor::Factorization;
pub use monomial::{DegLex, GrevLex, Layout, Lex, MonomialOrder};
pub use mpoly::{DisplayWith, MPoly, PolyRing};
pub use parse::parse_mpoly;
pub use ring::{Field, GcdDomain, Int, IntegerRing, Q, RationalField, RealEmbedding, Ring, Z, Zp};
pub use upoly::{PolyGcd, SquareFree, UDisplay, UPoly, clear_denominators, subresultant_gcd};
