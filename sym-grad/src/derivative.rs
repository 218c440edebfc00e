//! The public transforms: graphs in, derivative graphs out (gradients, vector-Jacobian and Jacobian-vector
//! products, per-lane forward derivatives, Hessians), and the per-lane status of a derivative.
//!
//! Every transform returns a [`Derivative`]: an ordinary [`Graph`] (optimised by sym-lower's passes, run by its
//! interpreter or executor) whose outputs are, in order, the original graph's outputs (same names), the requested
//! derivatives, and, when the derivatives pass through `root` ops, the outputs from which
//! [`Derivative::status`] computes one [`RootStatus`] per lane. Each output's meaning is its [`Role`].
//!
//! # Which derivative
//!
//! Lanes are independent unless the graph has a `sum`. The reverse-mode transforms compute the vector-Jacobian
//! product over the whole batch: for a batch input `x` and a graph without `sum`, [`gradient`] gives the
//! per-lane derivative `dy_i/dx_i`; for a scalar input `p` (a parameter broadcast against the lanes) it gives
//! `sum_i dy_i/dp`, the gradient of `sum_i y_i`. [`forward_derivatives`] gives per-lane derivatives
//! `dy_i/dp` for scalar inputs too (one forward sweep per input). [`hessian`] is forward-over-reverse: the
//! Jacobian of the gradient, `d/dx_j (d(sum_i y_i)/dx_k)`.
//!
//! # Output names
//!
//! `d(y)/d(x)`, `d2(y)/d(x)d(z)`, `vjp(x)`, `jvp(y)`; the status outputs `root_status.k`, `root_singular.k`,
//! `root_live.k`. Seed inputs of [`vjp`] are `seed(y)`, tangent inputs of [`jvp`] are `tangent(x)`; they follow
//! the original inputs. A generated name that clashes with an existing one is [`Error::Duplicate`].

use crate::GradOptions;
#[cfg(doc)]
use crate::SingularPolicy;
use crate::engine::{self, Engine};
use crate::error::{Error, Result};
use crate::implicit::RootCheck;
use ndarray::{Array1, ArrayD};
use sym_lower::{Graph, Inst, RootStatus, Tensor, Type, Value, passes};

/// What an output of a derivative graph holds.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum Role {
    /// An output of the original graph (same name, same value).
    Value,
    /// A derivative of output `of` with respect to the inputs `wrt` (one input: first derivative; two: second).
    Derivative {
        /// The differentiated output.
        of: String,
        /// The inputs, in the order of differentiation.
        wrt: Vec<String>,
    },
    /// The vector-Jacobian product with the seed inputs, with respect to input `wrt`.
    Vjp {
        /// The input.
        wrt: String,
    },
    /// The Jacobian-vector product with the tangent inputs, of output `of`.
    Jvp {
        /// The output.
        of: String,
    },
    /// The per-lane status of the `check`-th differentiated root (a `root_status` value).
    RootStatus {
        /// The index of the root among the differentiated roots.
        check: usize,
    },
    /// The lanes where the `check`-th root's implicit-function check failed (a mask).
    RootSingular {
        /// The index of the root among the differentiated roots.
        check: usize,
    },
    /// The lanes where the `check`-th root matters to the derivatives (a mask; absent: every lane).
    RootLive {
        /// The index of the root among the differentiated roots.
        check: usize,
    },
}

/// A derivative graph and the role of each of its outputs. See the module doc.
#[derive(Clone, Debug)]
pub struct Derivative {
    graph: Graph,
    roles: Vec<Role>,
}

impl Derivative {
    /// A derivative from its graph and roles (for the burn path, which keeps them apart).
    pub(crate) fn from_parts(graph: Graph, roles: Vec<Role>) -> Self {
        Self { graph, roles }
    }

    /// The derivative graph.
    #[must_use]
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// Consumes the derivative and returns its graph.
    #[must_use]
    pub fn into_graph(self) -> Graph {
        self.graph
    }

    /// The role of each output, parallel to the graph's outputs.
    #[must_use]
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// The position of the output named `name`.
    #[must_use]
    pub fn output_index(&self, name: &str) -> Option<usize> {
        self.graph.outputs.iter().position(|o| o.name == name)
    }

    /// The number of differentiated roots (each with a status).
    #[must_use]
    pub fn root_count(&self) -> usize {
        self.roles.iter().filter(|r| matches!(r, Role::RootStatus { .. })).count()
    }

    /// The per-lane status of the derivatives, from the outputs of one run of the graph (`n` lanes): for each lane,
    /// the status of the first differentiated root that matters there and did not converge, else
    /// [`RootStatus::SingularDerivative`] if a root's implicit-function check failed there, else
    /// [`RootStatus::Converged`]. Where the status is not `Converged`, the derivatives through that root are NaN
    /// (or zero, with [`SingularPolicy::Zero`]). `None` if no root was differentiated.
    ///
    /// # Errors
    /// [`Error::Ir`] with [`sym_lower::Error::OutputCount`] if `outputs` does not have one tensor per output.
    pub fn status(&self, outputs: &[Tensor], n: usize) -> Result<Option<Array1<RootStatus>>> {
        if outputs.len() != self.roles.len() {
            return Err(sym_lower::Error::OutputCount { expected: self.roles.len(), found: outputs.len() }.into());
        }
        let count = self.root_count();
        if count == 0 {
            return Ok(None);
        }
        let mut status: Vec<Option<&ArrayD<RootStatus>>> = vec![None; count];
        let mut singular: Vec<Option<&ArrayD<bool>>> = vec![None; count];
        let mut live: Vec<Option<&ArrayD<bool>>> = vec![None; count];
        for (role, t) in self.roles.iter().zip(outputs) {
            match *role {
                Role::RootStatus { check } => status[check] = t.as_status(),
                Role::RootSingular { check } => singular[check] = t.as_bool(),
                Role::RootLive { check } => live[check] = t.as_bool(),
                _ => {}
            }
        }
        // Scalars (0-dimensional, or one element) hold for every lane.
        let at = |a: &ArrayD<bool>, i: usize| {
            if a.len() == 1 {
                a.iter().next().copied().unwrap_or(false)
            } else {
                a.as_slice_memory_order().is_some_and(|s| s[i])
            }
        };
        let st_at = |a: &ArrayD<RootStatus>, i: usize| {
            if a.len() == 1 {
                a.iter().next().copied().unwrap_or_default()
            } else {
                a.as_slice_memory_order().map_or(RootStatus::Converged, |s| s[i])
            }
        };
        let mut out = Array1::from_elem(n, RootStatus::Converged);
        for (i, o) in out.iter_mut().enumerate() {
            for k in 0..count {
                if live[k].is_some_and(|l| !at(l, i)) {
                    continue;
                }
                let s = status[k].map_or(RootStatus::Converged, |s| st_at(s, i));
                if s != RootStatus::Converged {
                    *o = s;
                    break;
                }
                if singular[k].is_some_and(|m| at(m, i)) {
                    *o = RootStatus::SingularDerivative;
                    break;
                }
            }
        }
        Ok(Some(out))
    }
}

/// A derivative graph under construction.
struct Build<'o> {
    en: Engine<'o>,
    outputs: Vec<(String, Value, Role)>,
}

impl<'o> Build<'o> {
    /// Copies `graph` (its inputs become the first inputs) and keeps its outputs as values.
    fn new(graph: &Graph, opts: &'o GradOptions) -> Result<(Self, Vec<Value>)> {
        check_options(opts)?;
        let mut en = Engine::new(opts);
        let map = engine::copy_graph(&mut en.b, graph, None)?;
        let outputs = graph.outputs.iter().map(|o| (o.name.clone(), map[o.value.index()], Role::Value)).collect();
        Ok((Self { en, outputs }, map))
    }

    fn push(&mut self, name: String, v: Value, role: Role) -> Result<()> {
        if self.outputs.iter().any(|o| o.0 == name) {
            return Err(Error::Duplicate { name });
        }
        self.outputs.push((name, v, role));
        Ok(())
    }

    /// Adds the status outputs of the roots differentiated, builds and optimises the graph.
    fn finish(mut self) -> Result<Derivative> {
        let checks = std::mem::take(&mut self.en.checks);
        for (k, c) in checks.iter().enumerate() {
            let st = self.en.b.root_status(c.root)?;
            self.push(format!("root_status.{k}"), st, Role::RootStatus { check: k })?;
            self.push(format!("root_singular.{k}"), c.singular, Role::RootSingular { check: k })?;
            if let Some(l) = c.live {
                self.push(format!("root_live.{k}"), l, Role::RootLive { check: k })?;
            }
        }
        let opts = self.en.opts;
        let mut b = self.en.b;
        let mut roles = Vec::with_capacity(self.outputs.len());
        for (name, v, role) in self.outputs {
            b.output(&name, v)?;
            roles.push(role);
        }
        let mut graph = b.finish()?;
        if opts.optimize {
            graph = passes::optimize(&graph)?;
            graph = crate::simplify::absorb_quotients(&graph)?;
        }
        Ok(Derivative { graph, roles })
    }

    /// Re-registers the root checks of a derivative graph that was copied into this one (so that its status
    /// outputs are rebuilt once, merged with new checks), and drops them from the value outputs.
    fn import_checks(&mut self, d: &Derivative, map: &[Value]) {
        // Per check: its status, singular and live outputs.
        type Slots = [Option<Value>; 3];
        let mut found: Vec<Slots> = Vec::new();
        for (o, role) in d.graph.outputs.iter().zip(&d.roles) {
            let v = map[o.value.index()];
            let (check, slot) = match *role {
                Role::RootStatus { check } => (check, 0),
                Role::RootSingular { check } => (check, 1),
                Role::RootLive { check } => (check, 2),
                _ => continue,
            };
            if found.len() <= check {
                found.resize(check + 1, [None; 3]);
            }
            found[check][slot] = Some(v);
        }
        for [st, sing, live] in found {
            let (Some(st), Some(singular)) = (st, sing) else {
                continue;
            };
            let root = match self.en.b.graph().inst(st) {
                Inst::RootStatus(r) => *r,
                _ => continue,
            };
            let check = RootCheck { root, singular, live };
            if !self.en.checks.contains(&check) {
                self.en.checks.push(check);
            }
        }
        self.outputs.retain(|o| matches!(o.2, Role::Value | Role::Derivative { .. }));
    }
}

fn check_options(opts: &GradOptions) -> Result<()> {
    if !(opts.ift_tol.is_finite() && opts.ift_tol > 0.0) {
        return Err(Error::InvalidOption { option: "ift_tol", reason: "must be positive and finite" });
    }
    Ok(())
}

/// The index of input `name`, checking that it is a float.
fn input_index(graph: &Graph, name: &str) -> Result<usize> {
    let k = graph
        .inputs
        .iter()
        .position(|i| i.name == name)
        .ok_or_else(|| Error::UnknownInput { name: name.to_owned() })?;
    let ty = graph.inputs[k].ty;
    if !ty.elem.is_float() {
        return Err(Error::NotDifferentiable { name: name.to_owned(), ty });
    }
    Ok(k)
}

/// The indices of the inputs `wrt` (distinct floats) and the mask over all inputs.
fn wrt_inputs(graph: &Graph, wrt: &[&str]) -> Result<(Vec<usize>, Vec<bool>)> {
    let mut idx = Vec::with_capacity(wrt.len());
    let mut mask = vec![false; graph.inputs.len()];
    for name in wrt {
        let k = input_index(graph, name)?;
        if mask[k] {
            return Err(Error::Duplicate { name: (*name).to_owned() });
        }
        mask[k] = true;
        idx.push(k);
    }
    Ok((idx, mask))
}

/// The value of output `name`, checking that it is a float.
fn output_value(graph: &Graph, name: &str) -> Result<(Value, Type)> {
    let v = graph.output(name).ok_or_else(|| Error::UnknownOutput { name: name.to_owned() })?;
    let ty = graph.ty(v);
    if !ty.elem.is_float() {
        return Err(Error::NotDifferentiable { name: name.to_owned(), ty });
    }
    Ok((v, ty))
}

/// The graph value of input `k`, or `None` if the graph never defines it (an input must be defined, so this is
/// only a guard).
fn input_value(graph: &Graph, k: usize) -> Result<Value> {
    graph
        .input_value(k)
        .ok_or_else(|| Error::Ir(sym_lower::Error::Unsupported { name: format!("input {k} without an input op") }))
}

/// The adjoint of input `k` from a reverse sweep, or a zero of its kind and shape if nothing flowed into it.
fn adjoint_or_zero(en: &mut Engine<'_>, graph: &Graph, adj: &[Option<Value>], k: usize) -> Result<Value> {
    let v = input_value(graph, k)?;
    Ok(match adj[v.index()] {
        Some(a) => a,
        None => en.c(graph.inputs[k].ty.elem, 0.0)?,
    })
}

/// The gradient of output `of` with respect to each input in `wrt`: the reverse sweep with cotangent `1` on every
/// lane, with outputs `d(of)/d(x)` (see the module doc for the meaning on scalar inputs).
///
/// # Errors
/// [`Error::UnknownOutput`], [`Error::UnknownInput`], [`Error::NotDifferentiable`] for bad names;
/// [`Error::Ir`] if the graph is invalid.
pub fn gradient(graph: &Graph, of: &str, wrt: &[&str], opts: &GradOptions) -> Result<Derivative> {
    let (out, ty) = output_value(graph, of)?;
    let (idx, mask) = wrt_inputs(graph, wrt)?;
    let (mut bd, map) = Build::new(graph, opts)?;
    let one = bd.en.c(ty.elem, 1.0)?;
    let adj = engine::reverse(&mut bd.en, graph, &map, &[(out, one)], &mask)?;
    for (&k, name) in idx.iter().zip(wrt) {
        let g = adjoint_or_zero(&mut bd.en, graph, &adj, k)?;
        bd.push(
            format!("d({of})/d({name})"),
            g,
            Role::Derivative { of: of.to_owned(), wrt: vec![(*name).to_owned()] },
        )?;
    }
    bd.finish()
}

/// The vector-Jacobian product: for seed inputs `seed(y)` (one per output in `of`, of the output's type), the
/// outputs `vjp(x) = sum_y seed(y) . dy/dx` for each input `x` in `wrt`.
///
/// # Errors
/// As [`gradient`]; [`Error::Duplicate`] if a seed name clashes with an input.
pub fn vjp(graph: &Graph, of: &[&str], wrt: &[&str], opts: &GradOptions) -> Result<Derivative> {
    let outs: Vec<(Value, Type)> = of.iter().map(|n| output_value(graph, n)).collect::<Result<_>>()?;
    let (idx, mask) = wrt_inputs(graph, wrt)?;
    let (mut bd, map) = Build::new(graph, opts)?;
    let mut seeds = Vec::with_capacity(of.len());
    for ((v, ty), name) in outs.iter().zip(of) {
        let s = declare(&mut bd, graph, &format!("seed({name})"), *ty)?;
        seeds.push((*v, s));
    }
    let adj = engine::reverse(&mut bd.en, graph, &map, &seeds, &mask)?;
    for (&k, name) in idx.iter().zip(wrt) {
        let g = adjoint_or_zero(&mut bd.en, graph, &adj, k)?;
        bd.push(format!("vjp({name})"), g, Role::Vjp { wrt: (*name).to_owned() })?;
    }
    bd.finish()
}

/// Declares a new input after the original ones, refusing a name the graph already has.
fn declare(bd: &mut Build<'_>, graph: &Graph, name: &str, ty: Type) -> Result<Value> {
    if graph.inputs.iter().any(|i| i.name == name) {
        return Err(Error::Duplicate { name: name.to_owned() });
    }
    Ok(bd.en.b.input(name, ty)?)
}

/// The Jacobian-vector product: for tangent inputs `tangent(x)` (one per input in `wrt`, of the input's type),
/// the outputs `jvp(y) = sum_x dy/dx . tangent(x)` for each output `y` in `of`.
///
/// # Errors
/// As [`gradient`]; [`Error::Duplicate`] if a tangent name clashes with an input.
pub fn jvp(graph: &Graph, wrt: &[&str], of: &[&str], opts: &GradOptions) -> Result<Derivative> {
    let outs: Vec<(Value, Type)> = of.iter().map(|n| output_value(graph, n)).collect::<Result<_>>()?;
    let (idx, mask) = wrt_inputs(graph, wrt)?;
    let (mut bd, map) = Build::new(graph, opts)?;
    let mut tangents = Vec::with_capacity(idx.len());
    for (&k, name) in idx.iter().zip(wrt) {
        let t = declare(&mut bd, graph, &format!("tangent({name})"), graph.inputs[k].ty)?;
        tangents.push((k, t));
    }
    let out_values: Vec<Value> = outs.iter().map(|o| o.0).collect();
    let live = engine::output_liveness(&mut bd.en, graph, &map, &out_values, &mask)?;
    let dots = engine::forward(&mut bd.en, graph, &map, &tangents, Some(&live))?;
    for ((v, ty), name) in outs.iter().zip(of) {
        let d = match dots[v.index()] {
            Some(d) => d,
            None => bd.en.c(ty.elem, 0.0)?,
        };
        bd.push(format!("jvp({name})"), d, Role::Jvp { of: (*name).to_owned() })?;
    }
    bd.finish()
}

/// Per-lane first derivatives by forward mode: for each input `x` in `wrt` (one forward sweep with tangent `1`)
/// and each output `y` in `of`, the output `d(y)/d(x)`, which is `dy_i/dx` lane by lane for scalar and batch
/// inputs alike (when the graph has no `sum`).
///
/// # Errors
/// As [`gradient`].
pub fn forward_derivatives(graph: &Graph, of: &[&str], wrt: &[&str], opts: &GradOptions) -> Result<Derivative> {
    let outs: Vec<(Value, Type)> = of.iter().map(|n| output_value(graph, n)).collect::<Result<_>>()?;
    let (idx, mask) = wrt_inputs(graph, wrt)?;
    let (mut bd, map) = Build::new(graph, opts)?;
    let out_values: Vec<Value> = outs.iter().map(|o| o.0).collect();
    let live = engine::output_liveness(&mut bd.en, graph, &map, &out_values, &mask)?;
    let mut results = Vec::new();
    for (&k, xname) in idx.iter().zip(wrt) {
        let one = bd.en.c(graph.inputs[k].ty.elem, 1.0)?;
        let dots = engine::forward(&mut bd.en, graph, &map, &[(k, one)], Some(&live))?;
        for ((v, ty), yname) in outs.iter().zip(of) {
            let d = match dots[v.index()] {
                Some(d) => d,
                None => bd.en.c(ty.elem, 0.0)?,
            };
            results.push((
                format!("d({yname})/d({xname})"),
                d,
                Role::Derivative { of: (*yname).to_owned(), wrt: vec![(*xname).to_owned()] },
            ));
        }
    }
    for (name, d, role) in results {
        bd.push(name, d, role)?;
    }
    bd.finish()
}

/// The gradient and the Hessian of output `of` with respect to the inputs `wrt`, forward-over-reverse: the
/// gradient graph of [`gradient`] differentiated again by one forward sweep per input. Outputs: the values, the
/// gradient `d(of)/d(x)`, then `d2(of)/d(x)d(z)` for every pair (row `x`, column `z`). Roots are differentiated
/// twice by the implicit function theorem (see [`crate::implicit`]).
///
/// # Errors
/// As [`gradient`].
pub fn hessian(graph: &Graph, of: &str, wrt: &[&str], opts: &GradOptions) -> Result<Derivative> {
    let inner_opts = GradOptions { optimize: true, ..*opts };
    let g1 = gradient(graph, of, wrt, &inner_opts)?;
    let (idx, mask) = wrt_inputs(&g1.graph, wrt)?;
    let (mut bd, map) = Build::new(&g1.graph, opts)?;
    for o in &mut bd.outputs {
        if let Some(pos) = g1.graph.outputs.iter().position(|x| x.name == o.0) {
            o.2 = g1.roles[pos].clone();
        }
    }
    bd.import_checks(&g1, &map);
    let grads: Vec<Value> = wrt
        .iter()
        .map(|x| g1.graph.output(&format!("d({of})/d({x})")).expect("gradient outputs are named so"))
        .collect();
    let live = engine::output_liveness(&mut bd.en, &g1.graph, &map, &grads, &mask)?;
    let mut cols: Vec<Vec<Value>> = Vec::with_capacity(idx.len());
    for &j in &idx {
        let elem = g1.graph.inputs[j].ty.elem;
        let one = bd.en.c(elem, 1.0)?;
        let dots = engine::forward(&mut bd.en, &g1.graph, &map, &[(j, one)], Some(&live))?;
        let col = grads
            .iter()
            .map(|gv| match dots[gv.index()] {
                Some(d) => Ok(d),
                None => bd.en.c(elem, 0.0),
            })
            .collect::<sym_lower::Result<Vec<Value>>>()?;
        cols.push(col);
    }
    for (r, xr) in wrt.iter().enumerate() {
        for (c, xc) in wrt.iter().enumerate() {
            bd.push(
                format!("d2({of})/d({xr})d({xc})"),
                cols[c][r],
                Role::Derivative { of: of.to_owned(), wrt: vec![(*xr).to_owned(), (*xc).to_owned()] },
            )?;
        }
    }
    bd.finish()
}
