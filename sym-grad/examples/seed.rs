//! The seed of the project, done right: solve equations exactly with sym-solve, lower the solutions with
//! sym-lower, and differentiate through them with sym-grad (IR reverse mode, the implicit function theorem, and
//! burn's autodiff).
//!
//! The recipe it replaces (SymPy's `solve`, `lambdify`, then a `GradientTape`) crashes or returns `None` on these:
//!
//! 1. `x**2 - 4 = 0`: the solutions `-2` and `2`.
//! 2. `x**2 + y**2 = 9` for `y`: the branches `y = -sqrt(9 - x**2)` and `y = sqrt(9 - x**2)`; on each,
//!    `d(y**2)/dx = -2x` (`-2` at `x = 1`) and `dy/dx = -x/y`, by reverse mode through the closed form and by
//!    the implicit function theorem on the equation; and `d(sum y**2)/dx` on burn's autodiff.
//! 3. `x**2 - c = 0` for `x`: the branches `x = ±sqrt(c)`, with `dx/dc = 1/(2x)`.
//!
//! Run it with `cargo run -p sym-grad --example seed`. The integration test `tests/seed.rs` runs the same
//! functions and checks every number against its closed form.

use anyhow::{Context, Result, anyhow};
use burn::prelude::*;
use burn::tensor::TensorData;
use ndarray::{ArrayD, IxDyn};
use sym_core::parse::parse_equation;
use sym_core::{Expr, Symbol};
use sym_grad::burn_backend::{SymFunction, flex_f64};
use sym_grad::{GradOptions, ImplicitGradient, gradient};
use sym_lower::lower::{LowerOptions, lower_solved};
use sym_lower::{Builder, Graph, RootStatus, TensorRef, Type, interpret};
use sym_solve::{SolutionSet, SolveOptions, solve_one};

/// One branch of a solved equation and the numbers computed through it.
#[derive(Clone, Debug)]
pub struct BranchReport {
    /// The exact solution, as sym-solve gives it.
    pub exact: String,
    /// The points (values of the one parameter; empty for an equation without parameters).
    pub at: Vec<f64>,
    /// The solution's values at the points.
    pub value: Vec<f64>,
    /// `d(value**2)/d(param)` by IR reverse mode through the lowered closed form.
    pub d_square: Vec<f64>,
    /// `d(value)/d(param)` by IR reverse mode through the lowered closed form.
    pub d_value: Vec<f64>,
    /// `d(value)/d(param)` by the implicit function theorem on the equation (sym-grad's `ImplicitGradient`
    /// graph), and its per-lane status.
    pub d_implicit: Vec<f64>,
    /// The status of each lane of `d_implicit`.
    pub status: Vec<RootStatus>,
}

/// Solves `equation` for `unknown` with sym-solve.
pub fn solve(equation: &str, unknown: &str) -> Result<(Expr, Symbol, SolutionSet)> {
    let f = parse_equation(equation).map_err(|e| anyhow!("{e}"))?;
    let y = Symbol::new(unknown);
    let set = solve_one(&f, y, &SolveOptions::default())?;
    Ok((f, y, set))
}

fn column(t: &sym_lower::Tensor) -> Result<Vec<f64>> {
    Ok(t.as_f64().context("an f64 output")?.iter().copied().collect())
}

/// The graph of branch `k` of a lowered solution set: input `param`, outputs `y` and `y2 = y**2`.
fn branch_graph(lowered: &Graph, unknown: Symbol, k: usize, param: &str) -> Result<Graph> {
    let mut b = Builder::new();
    let p = b.input(param, Type::F64_BATCH)?;
    let outs = b.inline(lowered, &[p])?;
    let name = format!("{}[{k}]", unknown.name());
    let pos = lowered.outputs.iter().position(|o| o.name == name).context("the branch's output")?;
    let y = outs[pos];
    let y2 = b.mul(y, y)?;
    b.output("y", y)?;
    b.output("y2", y2)?;
    Ok(b.finish()?)
}

/// Solves `equation` for `unknown`, lowers every branch as a function of `param`, and differentiates each at the
/// points `at` (see [`BranchReport`]).
pub fn branches(equation: &str, unknown: &str, param: &str, at: &[f64]) -> Result<Vec<BranchReport>> {
    let (f, y, set) = solve(equation, unknown)?;
    let lowered = lower_solved(&f, y, &set, &[param], &LowerOptions::default())?;
    let implicit = ImplicitGradient::new(&f, y, &[Symbol::new(param)]).graph(&GradOptions::default())?;
    let xs = ArrayD::from_shape_vec(IxDyn(&[at.len()]), at.to_vec())?;
    let mut out = Vec::new();
    for (k, branch) in set.branches.iter().enumerate() {
        let exact = branch.exact.as_ref().context("an exact branch")?[0].to_string();
        let g = branch_graph(&lowered, y, k, param)?;
        let dsq = gradient(&g, "y2", &[param], &GradOptions::default())?;
        let dy = gradient(&g, "y", &[param], &GradOptions::default())?;
        let run = |g: &Graph| interpret(g, &[TensorRef::from(&xs)]);
        let sq = run(dsq.graph())?;
        let d = run(dy.graph())?;
        let value = column(&d[0])?;
        // The implicit derivative at the branch's values: inputs (value, param).
        let ys = ArrayD::from_shape_vec(IxDyn(&[at.len()]), value.clone())?;
        let imp = interpret(implicit.graph(), &[TensorRef::from(&ys), TensorRef::from(&xs)])?;
        let status = implicit.status(&imp, at.len())?.context("the implicit derivative has a status")?.to_vec();
        out.push(BranchReport {
            exact,
            at: at.to_vec(),
            value,
            d_square: column(&sq[2])?,
            d_value: column(&d[2])?,
            d_implicit: column(&imp[1])?,
            status,
        });
    }
    Ok(out)
}

/// The values of the solutions of an equation without parameters (lowered to constants).
pub fn constants(equation: &str, unknown: &str) -> Result<Vec<(String, f64)>> {
    let (f, y, set) = solve(equation, unknown)?;
    let lowered = lower_solved(&f, y, &set, &[], &LowerOptions::default())?;
    let out = interpret(&lowered, &[])?;
    let mut res = Vec::new();
    for (k, branch) in set.branches.iter().enumerate() {
        let name = format!("{}[{k}]", y.name());
        let pos = lowered.outputs.iter().position(|o| o.name == name).context("the branch's output")?;
        let v = column(&out[pos])?;
        res.push((branch.exact.as_ref().context("an exact branch")?[0].to_string(), v[0]));
    }
    Ok(res)
}

/// `d(sum_i y_i**2)/dx_i` on burn's autodiff (the Flex CPU backend in `f64`) through branch `k` of the circle,
/// and the branch's values.
pub fn circle_on_burn(k: usize, at: &[f64]) -> Result<(Vec<f64>, Vec<f64>)> {
    let (f, y, set) = solve("x**2 + y**2 = 9", "y")?;
    let lowered = lower_solved(&f, y, &set, &["x"], &LowerOptions::default())?;
    let g = branch_graph(&lowered, y, k, "x")?;
    let device = flex_f64()?;
    let func = SymFunction::new(&g)?;
    let x: Tensor<1> = Tensor::from_data(TensorData::new(at.to_vec(), [at.len()]), &device).require_grad();
    let outs = func.call(std::slice::from_ref(&x))?;
    let host = |t: Tensor<1>| -> Result<Vec<f64>> {
        t.into_data().convert::<f64>().try_into_vec::<f64>().map_err(|e| anyhow!("{e:?}"))
    };
    let values = host(outs[0].clone().inner())?;
    let loss = outs[1].clone().sum();
    let grads = loss.backward();
    let g = host(x.grad(&grads).context("x has a gradient")?)?;
    Ok((values, g))
}

fn show(title: &str, reports: &[BranchReport], param: &str) {
    println!("{title}");
    for r in reports {
        println!("  branch {}", r.exact);
        for i in 0..r.at.len() {
            println!(
                "    {param} = {:>5}: value {:>20.16}  d(value^2)/d{param} {:>20.16}  d(value)/d{param} {:>20.16}  \
                 implicit {:>20.16} ({})",
                r.at[i],
                r.value[i],
                r.d_square[i],
                r.d_value[i],
                r.d_implicit[i],
                r.status[i].name()
            );
        }
    }
}

#[allow(dead_code)]
fn main() -> Result<()> {
    println!("x**2 - 4 = 0");
    for (exact, v) in constants("x**2 - 4", "x")? {
        println!("  x = {exact} = {v}");
    }
    let circle = branches("x**2 + y**2 = 9", "y", "x", &[-2.5, -1.0, 0.0, 1.0, 2.5])?;
    show("x**2 + y**2 = 9 for y (d(y^2)/dx = -2x, dy/dx = -x/y)", &circle, "x");
    for (k, branch) in circle.iter().enumerate() {
        let (values, g) = circle_on_burn(k, &[1.0, 2.0])?;
        println!("  burn, branch {}: y = {values:?}, d(sum y^2)/dx = {g:?}", branch.exact);
    }
    let parametric = branches("x**2 - c", "x", "c", &[0.25, 1.0, 4.0, 9.0])?;
    show("x**2 - c = 0 for x (dx/dc = 1/(2x))", &parametric, "c");
    Ok(())
}
