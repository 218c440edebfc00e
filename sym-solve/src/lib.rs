//! `sym-solve`: exact and certified equation solving for sym.
//!
//! Equations in one unknown are solved exactly where closed forms exist (radicals for degrees
//! 1 to 4, `RootOf` beyond), with the guards under which each branch holds and an honest
//! completeness claim ([`Coverage`]). Systems go to [`solve_system`]: linear ones by fraction-free
//! elimination with rank guards, polynomial ones through Groebner bases.
//!
//! ```
//! use sym_core::{Symbol, parse};
//! use sym_solve::{Coverage, Domain, SolveOptions, solve_one};
//!
//! // The circle solved for y, in the real domain: two branches, each with its guard.
//! let opts = SolveOptions { domain: Domain::Real, ..SolveOptions::default() };
//! let set = solve_one(&parse("x**2 + y**2 - 9").unwrap(), Symbol::new("y"), &opts).unwrap();
//! let shown: Vec<String> = set
//!     .branches
//!     .iter()
//!     .map(|b| format!("{} if {}", b.exact.as_ref().unwrap()[0], b.guard))
//!     .collect();
//! assert_eq!(shown, ["-sqrt(9 - x**2) if x**2 <= 9", "sqrt(9 - x**2) if x**2 <= 9"]);
//! assert_eq!(set.coverage, Coverage::Complete);
//!
//! // A quintic without radicals: five exact RootOf branches, not an empty list.
//! let set = solve_one(&parse("x**5 - x + t").unwrap(), Symbol::new("x"), &SolveOptions::default()).unwrap();
//! assert_eq!(set.branches.len(), 5);
//! assert_eq!(set.branches[0].exact.as_ref().unwrap()[0].to_string(), "RootOf(x**5 + t - x, x, 0)");
//! ```
#![deny(rustdoc::broken_intra_doc_links)]

pub mod algebraic;
pub mod certified;
pub mod closed_form;
pub mod error;
pub mod evaluate;
mod family;
pub mod fewnomial;
pub mod filter;
pub mod groebner;
mod guarded;
pub mod implicit;
pub mod interval;
pub mod interval_eval;
pub mod linear;
pub mod newton;
pub mod numeric;
pub mod quotient;
pub mod radical;
pub mod real_sign;
pub mod rootof;
pub mod roots;
pub mod solution;
pub mod system;
pub mod system_eval;
pub mod transcendental;
pub mod univariate;
mod zero_test;

pub use error::SolveError;
pub use solution::{Branch, Coverage, Domain, ImplicitRoot, Interval, SolutionSet, SolveOptions};
pub use system::solve_system;
pub use univariate::solve_one;
