//! `sym-solve`: exact and certified equation solving for sym.
//!
//! Equations in one unknown are solved exactly where closed forms exist (radicals for degrees
//! 1 to 4, `RootOf` beyond), with the guards under which each branch holds and an honest
//! completeness claim ([`Coverage`]).
#![deny(rustdoc::broken_intra_doc_links)]

pub mod algebraic;
pub mod closed_form;
pub mod error;
pub mod evaluate;
pub mod filter;
pub mod groebner;
mod guarded;
pub mod linear;
pub mod newton;
pub mod numeric;
pub mod quotient;
pub mod radical;
pub mod rootof;
pub mod roots;
pub mod solution;
pub mod system;
pub mod system_eval;
pub mod transcendental;
pub mod univariate;
mod zero_test;

pub use error::SolveError;
pub use solution::{Branch, Coverage, Domain, Interval, SolutionSet, SolveOptions};
pub use system::solve_system;
pub use univariate::solve_one;
