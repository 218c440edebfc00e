//! Derivatives of a solution of one equation with respect to its parameters, from the equation alone: the
//! implicit function theorem on sym-core expressions, evaluated in MPFR at any precision, and the same derivative
//! as an IR derivative graph (the equation lowered by sym-lower, the solution tied to it, reverse mode).
//!
//! # The math
//!
//! A solution `y(p)` of `F(y, p_1, ..., p_k) = 0` at which `F_y = dF/dy != 0` is a differentiable function of the
//! parameters, with (implicit function theorem)
//!
//! ```text
//! dy/dp_i = -F_{p_i}(y, p) / F_y(y, p).
//! ```
//!
//! This holds for every simple root whatever its form: a closed form by radicals, a `RootOf`, a numeric root of a
//! transcendental equation. The derivative depends only on the equation and the value, never on how the value
//! was found, which is the design of the crate's `root` derivatives ([`crate::implicit`]). [`ImplicitGradient`]
//! holds the partials `F_y` and `F_{p_i}` as exact expressions (sym-core's symbolic derivative of the equation,
//! the same partials that the lowering gives a `root` op's residual), and the derivatives `-F_{p_i} / F_y`.
//!
//! # Two evaluations
//!
//! - [`ImplicitGradient::at`]: MPFR at a caller-chosen precision, at a point given by exact parameter values (a
//!   `RootOf` in the equation is resolved at the point by sym-solve), for values known to any number of digits
//!   (`sym solve --grad --digits N`). The IR's constants are `f64`, so this is the path for more digits than a
//!   double holds.
//! - [`ImplicitGradient::graph`]: an IR [`Derivative`] for batches of `f64` values: the equation lowered as the
//!   residual of [`implicit_solution`], which ties the given value to the equation (a simple root is polished by
//!   Newton, a numerically multiple one is reported), and reverse mode ([`gradient`]) through it, with the per-lane
//!   status of [`Derivative::status`].
//!
//! # When the derivative does not exist
//!
//! At a multiple root `F_y = 0` and `y(p)` is not differentiable (the two roots that meet there move like
//! `sqrt(p)`). In MPFR the value is known to `prec` bits, so a multiple root gives `|F_y|` of about
//! `|F_yy| 2^-prec |y|` while a simple root gives a number of the size of the equation's scale. The check is
//! `|F_y| >= 2^(-prec/2) max(1, |F_{p_1}|, ..., |F_{p_k}|)`: half the working precision separates the two cases
//! with a wide margin for every root whose derivative is below `2^(prec/2)` in size, and a derivative that large
//! is reported as not existing. A failing lane has the status [`RootStatus::SingularDerivative`]; one where the
//! partials cannot be evaluated (a pole of `F_y` or `F_p` at the root), [`RootStatus::NonFinite`]. A parameter
//! that does not occur in the equation has derivative zero at every root, multiple roots included: the root does
//! not move when it changes.

use crate::derivative::Derivative;
use crate::error::Result;
use crate::{GradOptions, gradient, implicit_solution};
use rug::{Complex, Float};
use sym_core::evalf::{ComplexEnv, eval_complex};
use sym_core::{Expr, Symbol};
use sym_lower::lower::{LowerOptions, lower_exprs};
use sym_lower::{Builder, RootStatus, Type};
use sym_solve::numeric::{Point, instantiate, resolve_root_ofs};

/// The implicit derivatives of a solution of `F(y, p) = 0` with respect to the parameters. See the module doc.
#[derive(Clone, Debug)]
pub struct ImplicitGradient {
    equation: Expr,
    unknown: Symbol,
    params: Vec<Symbol>,
    fy: Expr,
    fp: Vec<Expr>,
    derivatives: Vec<Expr>,
}

/// The derivatives of one solution at a point ([`ImplicitGradient::at`]).
#[derive(Clone, Debug)]
pub struct PointGradient {
    /// [`RootStatus::Converged`] where the derivatives exist, else why not.
    pub status: RootStatus,
    /// `dy/dp_i` in the order of the parameters; `None` where it does not exist.
    pub derivatives: Vec<Option<Complex>>,
}

impl ImplicitGradient {
    /// The derivatives of the solutions `unknown` of `equation = 0` with respect to `params` (a parameter that does
    /// not occur in the equation has derivative zero).
    #[must_use]
    pub fn new(equation: &Expr, unknown: Symbol, params: &[Symbol]) -> Self {
        let fy = equation.diff(unknown);
        let fp: Vec<Expr> = params.iter().map(|p| equation.diff(*p)).collect();
        let derivatives = fp.iter().map(|d| -(d.clone() / fy.clone())).collect();
        Self { equation: equation.clone(), unknown, params: params.to_vec(), fy, fp, derivatives }
    }

    /// The equation `F`.
    #[must_use]
    pub fn equation(&self) -> &Expr {
        &self.equation
    }

    /// The unknown `y`.
    #[must_use]
    pub fn unknown(&self) -> Symbol {
        self.unknown
    }

    /// The parameters, in the order of the derivatives.
    #[must_use]
    pub fn params(&self) -> &[Symbol] {
        &self.params
    }

    /// `F_y`, as an expression in the unknown and the parameters.
    #[must_use]
    pub fn fy(&self) -> &Expr {
        &self.fy
    }

    /// `dy/dp_i = -F_{p_i} / F_y` for each parameter, as expressions in the unknown and the parameters (valid at
    /// the solutions where `F_y != 0`).
    #[must_use]
    pub fn derivatives(&self) -> &[Expr] {
        &self.derivatives
    }

    /// The derivatives at the solution `value` (to `prec` bits) for the parameter values `point`, in MPFR with
    /// `prec` bits. See the module doc for the existence check.
    #[must_use]
    pub fn at(&self, value: &Complex, point: &Point, prec: u32) -> PointGradient {
        let mut env = ComplexEnv::new();
        env.insert(self.unknown, value.clone());
        let eval = |e: &Expr| -> Option<Complex> {
            let resolved = resolve_root_ofs(&instantiate(e, point), prec).ok()?;
            let z = eval_complex(&resolved, &env, prec).ok()?;
            (z.real().is_finite() && z.imag().is_finite()).then_some(z)
        };
        let absent: Vec<bool> = self.params.iter().map(|p| !sym_core::expr::has_symbol(&self.equation, *p)).collect();
        let zero = || Some(Complex::new(prec));
        let fail = |status| PointGradient {
            status,
            derivatives: absent.iter().map(|&a| if a { zero() } else { None }).collect(),
        };
        let Some(fy) = eval(&self.fy) else { return fail(RootStatus::NonFinite) };
        let mut fp = Vec::with_capacity(self.params.len());
        for (d, &a) in self.fp.iter().zip(&absent) {
            if a {
                fp.push(Complex::new(prec));
                continue;
            }
            match eval(d) {
                Some(z) => fp.push(z),
                None => return fail(RootStatus::NonFinite),
            }
        }
        let mut scale = Float::with_val(prec, 1);
        for z in &fp {
            scale.max_mut(&Float::with_val(prec, z.abs_ref()));
        }
        let fym = Float::with_val(prec, fy.abs_ref());
        if fym.is_zero() || fym < Float::with_val(prec, &scale >> (prec / 2)) {
            return fail(RootStatus::SingularDerivative);
        }
        let derivatives = fp
            .into_iter()
            .zip(&absent)
            .map(|(p, &a)| if a { zero() } else { Some(Complex::with_val(prec, -(p / &fy))) })
            .collect();
        PointGradient { status: RootStatus::Converged, derivatives }
    }

    /// The IR derivative graph of the solution: batch inputs `"<y>.value"` (the solution, `f64`) and the
    /// parameters by name; outputs `y` (the value tied to the equation by [`implicit_solution`]: a simple root is
    /// polished by Newton, a numerically multiple one kept and reported), `d(y)/d(p)` for each parameter, and the
    /// status outputs of [`Derivative::status`]. The residual is the equation lowered by sym-lower (without
    /// domain masks: the residual is evaluated at the root only).
    ///
    /// # Errors
    /// [`crate::Error::Ir`] if the equation cannot be lowered (a construct without a real `f64` form, a
    /// parametric `RootOf`), [`crate::Error::Duplicate`] if a parameter is named `"<y>.value"`.
    pub fn graph(&self, opts: &GradOptions) -> Result<Derivative> {
        let y = self.unknown.name();
        let mut names: Vec<&str> = vec![y];
        names.extend(self.params.iter().map(|p| p.name()));
        let lower = LowerOptions { masks: false, ..LowerOptions::default() };
        let residual = lower_exprs(&[("f", &self.equation), ("df", &self.fy)], &names, &lower)?;
        let value_name = format!("{y}.value");
        if self.params.iter().any(|p| p.name() == value_name) {
            return Err(crate::Error::Duplicate { name: value_name });
        }
        let mut b = Builder::new();
        let v = b.input(&value_name, Type::F64_BATCH)?;
        let ps: Vec<_> = self.params.iter().map(|p| b.input(p.name(), Type::F64_BATCH)).collect::<Result<_, _>>()?;
        let r = implicit_solution(&mut b, v, residual, &ps)?;
        b.output(y, r)?;
        let g = b.finish()?;
        let wrt: Vec<&str> = self.params.iter().map(|p| p.name()).collect();
        gradient(&g, y, &wrt, opts)
    }
}
