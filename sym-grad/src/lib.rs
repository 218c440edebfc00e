//! `sym-grad`: derivatives through sym solutions (IR reverse and forward mode, implicit-function
//! gradients) and execution on burn backends.
//!
//! Being built; see `ARCHITECTURE.md`.
