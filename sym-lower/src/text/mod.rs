//! The text form of graphs: a printer and a parser that reads its output back (`parse(print(g)) == g`).
//!
//! ```text
//! ; The circle branch y = -sqrt(9 - x^2).
//! graph {
//!   %0: f64[n] = input 0 "x"
//!   %1: f64[n] = mul %0, %0
//!   %2: f64 = const 9.0
//!   %3: f64[n] = sub %2, %1
//!   %4: f64[n] = sqrt %3
//!   %5: f64[n] = neg %4
//!   output "y" = %5
//! }
//! ```
//!
//! A file holds zero or more `residual @k { ... }` blocks (numbered `@0, @1, ...` in order) and then one
//! `graph { ... }` block. Inside a block each line defines the next value, `%i: type = op operands`, with its
//! type written out (`f64`, `f32`, `bool`, `status`, each optionally followed by `[n]` for a batch); or
//! declares an output, `output "name" = %i`. Comments run from `;` to the end of the line; whitespace
//! (newlines included) only separates tokens.
//!
//! Op syntax: `input K "name"`; `const LITERAL` (a float in Rust's shortest round-trip notation, `inf`, `-inf`,
//! `NaN`, or `true`/`false`); unary ops `OP %a`; binary ops, comparisons, `and`, `or`: `OP %a, %b`;
//! `powi %a, K`; `not %a`; `select %c, %a, %b`; `cast %a` (the target kind is the result type); `sum %a`;
//! `root @k (%p1, ..., %pk) [guess %g] [bracket %lo, %hi] tol T max_iter M`; `root_status %r`;
//! `converged %s`.
//!
//! The parser records what the text says, valid or not, so that the verifier can report on it; it only rejects
//! text it cannot read, with the line and column of the problem.

mod parse;
mod print;

pub use parse::parse;
pub use print::print;
