//! `sym-core`: exact symbolic expressions.
//!
//! Expressions are immutable shared trees in canonical form ([`Expr`]), over exact numbers
//! (GMP integers and rationals with a machine-word fast path, MPFR floats carrying their
//! precision: [`Number`]). On top of them: a parser for SymPy's `str()` syntax with spanned
//! errors ([`parse()`]), printers back to that syntax and to LaTeX, expansion, substitution,
//! derivatives of any order, numeric evaluation in `f64` and in MPFR at any precision, rational
//! function normal forms, and polynomials.
//!
//! ```
//! use sym_core::{parse, Symbol};
//!
//! let e = parse("x**x").unwrap();
//! let d = e.diff(Symbol::new("x"));
//! assert_eq!(d.to_string(), "x**x*(log(x) + 1)");
//! assert_eq!(parse("sqrt(8)").unwrap().to_string(), "2*sqrt(2)");
//! assert_eq!(parse("sin(pi/6)").unwrap().to_string(), "1/2");
//! ```
#![deny(rustdoc::broken_intra_doc_links)]

pub mod diff;
pub mod error;
pub mod evalf;
pub mod expand;
pub mod expr;
pub mod functions;
pub mod hash;
pub mod latex;
pub mod number;
pub mod parse;
pub mod poly;
pub mod print;
pub mod rational;
pub mod subs;
pub mod symbol;

pub use error::{CoreError, Span};
pub use expr::{Constant, Expr, Func, Kind, RelOp};
pub use number::Number;
pub use parse::{parse, parse_equation};
pub use symbol::Symbol;
