//! `sym-solve`: exact and certified equation solving for sym (polynomials, radicals, `RootOf`,
//! transcendental and implicit equations, systems), with guards and completeness claims.
//!
//! The solver is being built; see `ARCHITECTURE.md`.

pub mod roots;
