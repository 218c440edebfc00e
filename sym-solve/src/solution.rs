//! Solution sets: branches with exact values, guards, multiplicities, and a completeness claim.

use sym_core::{Expr, Symbol};

/// Where solutions are sought.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain {
    /// All complex solutions.
    Complex,
    /// Real solutions only.
    Real,
}

impl Domain {
    /// The name used by the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Domain::Complex => "complex",
            Domain::Real => "real",
        }
    }
}

/// How complete a solution set is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Coverage {
    /// Every solution in the domain is listed, for all parameter values allowed by the guards.
    Complete,
    /// Complete except on a lower-dimensional set of parameter values, which the guards name.
    Generic,
    /// Some solutions may be missing.
    Partial,
}

impl Coverage {
    /// The name used by the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Coverage::Complete => "complete",
            Coverage::Generic => "generic",
            Coverage::Partial => "partial",
        }
    }

    /// The weaker of two claims.
    pub fn meet(self, other: Coverage) -> Coverage {
        self.max(other)
    }
}

/// A real interval restricting a real unknown; endpoints may be infinite (`oo`, `-oo`).
#[derive(Clone, Debug, PartialEq)]
pub struct Interval {
    /// Lower endpoint.
    pub lo: Expr,
    /// Upper endpoint.
    pub hi: Expr,
    /// Whether the lower endpoint is excluded.
    pub lo_open: bool,
    /// Whether the upper endpoint is excluded.
    pub hi_open: bool,
}

/// One solution branch: a value per unknown, valid where its guard holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    /// Exact values, one per unknown (possibly containing `RootOf`), or `None` when only a
    /// numeric value is known (see `numeric`).
    pub exact: Option<Vec<Expr>>,
    /// Numeric values `(re, im)` per unknown when no exact form is known (decimal strings with
    /// their own precision).
    pub numeric: Option<Vec<(rug::Float, rug::Float)>>,
    /// The condition on the parameters under which this branch is a solution (`True` when it
    /// always is).
    pub guard: Expr,
    /// The multiplicity of the root (1 for simple roots).
    pub multiplicity: u32,
    /// For a certified numeric branch: per unknown, a radius within which the true value lies around
    /// `numeric` (the root is unique there, see [`crate::certified`]); `None` otherwise.
    pub radius: Option<Vec<rug::Float>>,
    /// For a branch known only as a root of its equation (no closed form): the implicit root (then `exact`
    /// and `numeric` are `None`).
    pub implicit: Option<ImplicitRoot>,
}

/// A solution known only implicitly: a real root `y(p)` of `equation = 0` in `unknown`, a smooth function of
/// the parameters where `d equation / d unknown != 0`, with derivatives `dy/dp = -F_p / F_y` (the implicit
/// function theorem). Front ends evaluate it by a root finder started from `bracket` (sym-lower's `root` op).
#[derive(Clone, Debug, PartialEq)]
pub struct ImplicitRoot {
    /// The equation `F(unknown, params) = 0` (its left-hand side).
    pub equation: Expr,
    /// The unknown solved for.
    pub unknown: Symbol,
    /// `[lo, hi]` in the parameters with `F(lo) <= 0 <= F(hi)` or `F(lo) >= 0 >= F(hi)` for every value of the
    /// parameters, so that every real root lies in it and a safeguarded root finder converges to one; `None`
    /// when no such bracket is known.
    pub bracket: Option<(Expr, Expr)>,
    /// Whether the real root is unique for every value of the parameters (`F` strictly monotone in the unknown).
    pub unique: bool,
}

impl Branch {
    /// An exact branch for one unknown.
    pub fn exact(value: Expr, guard: Expr, multiplicity: u32) -> Branch {
        Branch { exact: Some(vec![value]), numeric: None, guard, multiplicity, radius: None, implicit: None }
    }

    /// A certified numeric branch for one real unknown: the value `mid` is within `radius` of the root.
    pub fn certified(mid: rug::Float, radius: rug::Float) -> Branch {
        let zero = rug::Float::new(mid.prec());
        Branch {
            exact: None,
            numeric: Some(vec![(mid, zero)]),
            guard: Expr::true_(),
            multiplicity: 1,
            radius: Some(vec![radius]),
            implicit: None,
        }
    }
}

/// The answer of the solver.
#[derive(Clone, Debug, PartialEq)]
pub struct SolutionSet {
    /// The unknowns, in the order of the values in each branch.
    pub unknowns: Vec<Symbol>,
    /// The domain searched.
    pub domain: Domain,
    /// The completeness claim.
    pub coverage: Coverage,
    /// The branches.
    pub branches: Vec<Branch>,
    /// Remarks for people (why coverage is partial, which limit was hit).
    pub notes: Vec<String>,
    /// Whether the input had floats: the exact forms are then exact for the floats' binary
    /// values, and front ends should show values rather than exact forms.
    pub inexact_input: bool,
}

impl SolutionSet {
    /// An empty set with the given claim.
    pub fn empty(unknowns: Vec<Symbol>, domain: Domain, coverage: Coverage) -> SolutionSet {
        SolutionSet { unknowns, domain, coverage, branches: Vec::new(), notes: Vec::new(), inexact_input: false }
    }
}

/// Options of the solver.
#[derive(Clone, Debug)]
pub struct SolveOptions {
    /// Complex or real solutions.
    pub domain: Domain,
    /// A real interval for the unknown (implies real solutions).
    pub interval: Option<Interval>,
    /// Polynomials above this degree are not attempted (the result is partial).
    pub max_degree: usize,
    /// Quartics are given in radicals (`true`) or as `RootOf` (`false`) when irreducible over Q.
    pub quartic_radicals: bool,
    /// Correct significant digits of certified numeric roots (equations without closed form).
    pub numeric_digits: u32,
}

impl Default for SolveOptions {
    fn default() -> SolveOptions {
        SolveOptions {
            domain: Domain::Complex,
            interval: None,
            max_degree: 1000,
            quartic_radicals: true,
            numeric_digits: 30,
        }
    }
}
