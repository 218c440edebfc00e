//! The differentiation engine: copying a graph into a builder, the liveness masks of `select`, and the reverse
//! (adjoint) and forward (tangent) sweeps over a graph's instructions.
//!
//! Both sweeps read a graph `g` whose values have been copied into a [`Builder`] (`map[v]` is the builder value of
//! `g`'s value `v`) and emit derivative values into the same builder, so forward values and derivatives share
//! one hash-consed graph (common subexpressions between them are merged for free).
//!
//! # Reverse mode
//!
//! For seeds `ybar_j` on outputs `y_j`, the adjoint of a value `v` is
//! `vbar = sum over users u of ubar * du/dv` (with `du/dv` from [`crate::rules`]), accumulated from the last
//! instruction to the first. This is the vector-Jacobian product over the whole batch: a scalar value used by
//! batch ops (a parameter broadcast against the lanes) receives the `sum` over lanes of their contributions,
//! while a batch value receives its contributions lane by lane. `sum(a)` passes its (scalar) cotangent to every
//! lane of `a`; `cast` casts it back; `root` is differentiated by the implicit function theorem
//! ([`crate::implicit`]).
//!
//! # NaN-safe `select`: the double select
//!
//! `u = select(c, a, b)` sends `select(c, ubar, 0)` to `a` and `select(c, 0, ubar)` to `b` (the first select).
//! That alone is not enough: where `c` is false, `a`'s own operands would receive `0 * da/dx`, and `da/dx` is
//! NaN or infinite exactly where the branch is undefined (`sqrt(-x)` for `x > 0`). So every value gets a
//! *liveness mask*: the lanes where it can influence the seeded outputs,
//! `live(v) = OR over users u of (live(u) AND cond(u, v))`, where `cond(u, v)` is `c` when `v` is only the taken
//! branch of the select `u`, `not c` when it is only the other branch, and true otherwise. Every chain-rule
//! contribution from a user whose liveness is not identically true is then selected again,
//! `select(live(u), ubar * du/dv, 0)` (the second select): the untaken branch contributes exactly zero, even
//! where its value or its derivative is NaN or infinite. Graphs without `select` get no masks at all.
//!
//! Forward mode needs no masks: `select(c, a, b)` has tangent `select(c, adot, bdot)`, which discards the
//! untaken branch's tangent instead of multiplying it.

use crate::GradOptions;
use crate::implicit::{self, RootCheck};
use crate::rules::{self, Partial};
use sym_lower::{BinOp, Builder, Elem, Graph, Inst, Shape, Type, Value};

/// The result of sym-lower calls.
type IrResult<T> = sym_lower::Result<T>;

/// Where a value can influence the seeded outputs.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) enum Live {
    /// Nowhere (no path to a seeded output).
    Never,
    /// On every lane.
    Always,
    /// On the lanes of this mask (a builder value).
    Mask(Value),
}

/// The state of one derivative construction: the builder, the options, and the implicit-function checks of the
/// roots differentiated so far (they become the per-lane status outputs).
pub(crate) struct Engine<'o> {
    /// The builder of the derivative graph.
    pub b: Builder,
    /// The options.
    pub opts: &'o GradOptions,
    /// One entry per differentiated root (and liveness mask).
    pub checks: Vec<RootCheck>,
}

impl<'o> Engine<'o> {
    /// An engine with an empty builder.
    pub fn new(opts: &'o GradOptions) -> Self {
        Self { b: Builder::new(), opts, checks: Vec::new() }
    }

    /// The type of a builder value.
    pub fn ty(&self, v: Value) -> IrResult<Type> {
        self.b.ty(v)
    }

    /// A float constant of kind `elem`.
    pub fn c(&mut self, elem: Elem, x: f64) -> IrResult<Value> {
        self.b.constant(elem, x)
    }

    /// `acc + x`, or `x` when there is no accumulator yet.
    pub fn accumulate(&mut self, acc: Option<Value>, x: Value) -> IrResult<Value> {
        match acc {
            None => Ok(x),
            Some(a) => self.b.add(a, x),
        }
    }

    /// `x` where `live` holds and `0` elsewhere.
    pub fn mask(&mut self, live: Live, x: Value) -> IrResult<Value> {
        match live {
            Live::Always => Ok(x),
            Live::Never => {
                let elem = self.ty(x)?.elem;
                self.c(elem, 0.0)
            }
            Live::Mask(m) => {
                let elem = self.ty(x)?.elem;
                let zero = self.c(elem, 0.0)?;
                self.b.select(m, x, zero)
            }
        }
    }

    /// Whether a value of type `ty` is a scalar whose liveness is a per-lane mask.
    pub fn scalar_under_batch_mask(&self, live: Live, ty: Type) -> IrResult<bool> {
        Ok(match live {
            Live::Mask(m) => ty.shape == Shape::Scalar && self.ty(m)?.shape == Shape::Batch,
            _ => false,
        })
    }

    /// `live(u) AND cond` as a liveness.
    fn and_live(&mut self, live: Live, cond: Option<Value>) -> IrResult<Live> {
        Ok(match (live, cond) {
            (Live::Never, _) => Live::Never,
            (l, None) => l,
            (Live::Always, Some(c)) => Live::Mask(c),
            (Live::Mask(m), Some(c)) => Live::Mask(self.b.and(m, c)?),
        })
    }

    /// `x OR y` as a liveness.
    fn or_live(&mut self, x: Live, y: Live) -> IrResult<Live> {
        Ok(match (x, y) {
            (Live::Never, l) | (l, Live::Never) => l,
            (Live::Always, _) | (_, Live::Always) => Live::Always,
            (Live::Mask(a), Live::Mask(b)) if a == b => Live::Mask(a),
            (Live::Mask(a), Live::Mask(b)) => Live::Mask(self.b.or(a, b)?),
        })
    }

    /// `t` as a batch shaped like the batch value `like` (for a scalar tangent that must be summed over lanes).
    pub fn broadcast_like(&mut self, t: Value, like: Value) -> IrResult<Value> {
        if self.ty(t)?.shape == Shape::Batch {
            return Ok(t);
        }
        // `x == x or x != x` is true on every lane (NaN included) and is a batch; folding does not see through it.
        let e = self.b.eq(like, like)?;
        let n = self.b.ne(like, like)?;
        let all = self.b.or(e, n)?;
        let zero = self.c(self.ty(t)?.elem, 0.0)?;
        self.b.select(all, t, zero)
    }
}

/// Copies the instructions of `g` into `b` and returns the builder value of every value of `g`. With `args`, the
/// inputs of `g` are bound to them (a residual evaluated at a root); without, `g`'s inputs are declared as inputs
/// of `b` (they must be the first inputs declared, in order).
pub(crate) fn copy_graph(b: &mut Builder, g: &Graph, args: Option<&[Value]>) -> IrResult<Vec<Value>> {
    if let Some(args) = args
        && args.len() != g.inputs.len()
    {
        return Err(sym_lower::Error::InputCount { expected: g.inputs.len(), found: args.len() });
    }
    let mut map: Vec<Value> = Vec::with_capacity(g.len());
    for inst in &g.insts {
        let v = match inst {
            Inst::Input { index } => {
                let k = *index as usize;
                match args {
                    Some(a) => a[k],
                    None => {
                        let d = &g.inputs[k];
                        b.input(&d.name, d.ty)?
                    }
                }
            }
            Inst::Root(r) => {
                let res = b.add_residual(g.residual(r.residual).clone())?;
                let mut mapped = (**r).clone();
                mapped.residual = res;
                b.inst(Inst::Root(Box::new(mapped)).map_operands(|o| map[o.index()]))?
            }
            _ => b.inst(inst.map_operands(|o| map[o.index()]))?,
        };
        map.push(v);
    }
    Ok(map)
}

/// Calls `f(position, operand)` on the operands of `inst` through which derivatives flow: every operand of an
/// elementwise op, both branches of a `select` (not its condition), the operand of `cast` and `sum`, and the
/// parameters of a `root` (not its start: a root does not depend on where its iteration starts).
pub(crate) fn for_each_diff_operand(inst: &Inst, mut f: impl FnMut(usize, Value)) {
    match inst {
        Inst::Unary(_, a) | Inst::Powi(a, _) | Inst::Cast(a, _) | Inst::Sum(a) => f(0, *a),
        Inst::Binary(_, a, b) => {
            f(0, *a);
            f(1, *b);
        }
        Inst::Select(_, a, b) => {
            f(1, *a);
            f(2, *b);
        }
        Inst::Root(r) => {
            for (k, p) in r.params.iter().enumerate() {
                f(k, *p);
            }
        }
        _ => {}
    }
}

/// The values of `g` that depend differentiably on the inputs marked in `wrt` (by input index).
pub(crate) fn active_values(g: &Graph, wrt: &[bool]) -> Vec<bool> {
    let mut active = vec![false; g.len()];
    for (i, inst) in g.insts.iter().enumerate() {
        active[i] = match inst {
            Inst::Input { index } => wrt.get(*index as usize).copied().unwrap_or(false),
            _ => {
                let mut any = false;
                for_each_diff_operand(inst, |_, a| any |= active[a.index()]);
                any && g.types[i].elem.is_float()
            }
        };
    }
    active
}

/// The values of `g` through which a derivative can flow from the `active` values to the `seeds`.
fn relevant_values(g: &Graph, seeds: &[Value], active: &[bool]) -> Vec<bool> {
    let mut rel = vec![false; g.len()];
    for s in seeds {
        rel[s.index()] = active[s.index()];
    }
    for i in (0..g.len()).rev() {
        if !rel[i] {
            continue;
        }
        for_each_diff_operand(&g.insts[i], |_, a| {
            if active[a.index()] {
                rel[a.index()] = true;
            }
        });
    }
    rel
}

/// The liveness of every value of `g` with respect to the `seeds` (see the module doc), for the values marked in
/// `rel`; masks are built in the engine's builder from `map`.
pub(crate) fn liveness(
    en: &mut Engine<'_>,
    g: &Graph,
    map: &[Value],
    seeds: &[Value],
    rel: &[bool],
) -> IrResult<Vec<Live>> {
    let mut live = vec![Live::Never; g.len()];
    for s in seeds {
        live[s.index()] = Live::Always;
    }
    for i in (0..g.len()).rev() {
        if !rel[i] || live[i] == Live::Never {
            continue;
        }
        let lu = live[i];
        let inst = &g.insts[i];
        let mut edges: Vec<(Value, Option<Value>)> = Vec::new();
        match inst {
            Inst::Select(c, a, b) if a != b => {
                let cb = map[c.index()];
                edges.push((*a, Some(cb)));
                let not_c = en.b.not(cb)?;
                edges.push((*b, Some(not_c)));
            }
            _ => for_each_diff_operand(inst, |_, a| edges.push((a, None))),
        }
        for (a, cond) in edges {
            if !rel[a.index()] {
                continue;
            }
            let term = en.and_live(lu, cond)?;
            live[a.index()] = en.or_live(live[a.index()], term)?;
        }
    }
    Ok(live)
}

/// The reverse sweep: the adjoint of every value of `g` for cotangent `seeds` `(output value of g, builder
/// value)`, flowing only into the inputs marked in `wrt`. Returns `adj[v]` (`None` where no derivative flows).
pub(crate) fn reverse(
    en: &mut Engine<'_>,
    g: &Graph,
    map: &[Value],
    seeds: &[(Value, Value)],
    wrt: &[bool],
) -> IrResult<Vec<Option<Value>>> {
    let active = active_values(g, wrt);
    let seed_values: Vec<Value> = seeds.iter().map(|s| s.0).collect();
    let rel = relevant_values(g, &seed_values, &active);
    let live = liveness(en, g, map, &seed_values, &rel)?;
    let mut adj: Vec<Option<Value>> = vec![None; g.len()];
    for &(v, s) in seeds {
        if active[v.index()] {
            adj[v.index()] = Some(en.accumulate(adj[v.index()], s)?);
        }
    }
    for i in (0..g.len()).rev() {
        let Some(ubar) = adj[i] else { continue };
        if !rel[i] {
            continue;
        }
        let inst = &g.insts[i];
        let u = map[i];
        let elem = g.types[i].elem;
        let mut contribs: Vec<(Value, Value)> = Vec::new();
        match inst {
            Inst::Binary(BinOp::Div, a, b) => {
                // abar = ubar / b and bbar = -u abar: one division.
                let scalar_user = en.scalar_under_batch_mask(live[i], g.types[i])?;
                let ca = en.b.div(ubar, map[b.index()])?;
                let cb = if rel[b.index()] {
                    let m = en.b.mul(u, ca)?;
                    Some(en.b.neg(m)?)
                } else {
                    None
                };
                let strong = en.opts.strong_zero || scalar_user;
                let zero_at = if strong {
                    let zero = en.c(elem, 0.0)?;
                    Some((en.b.eq(ubar, zero)?, zero))
                } else {
                    None
                };
                for (operand, c) in [(Some(*a), Some(ca)), (Some(*b), cb)] {
                    let (Some(operand), Some(mut c)) = (operand, c) else { continue };
                    if !rel[operand.index()] {
                        continue;
                    }
                    if let Some((z, zero)) = zero_at {
                        c = en.b.select(z, zero, c)?;
                    }
                    if !scalar_user {
                        c = en.mask(live[i], c)?;
                    }
                    contribs.push((operand, c));
                }
            }
            Inst::Unary(..) | Inst::Binary(..) | Inst::Powi(..) => {
                let mapped = inst.map_operands(|o| map[o.index()]);
                let ops = inst.operands();
                let want: Vec<bool> = ops.iter().map(|a| rel[a.index()]).collect();
                // A scalar value's cotangent is already a sum over lanes, so a per-lane mask cannot select it:
                // there the strong zero does the masking (its cotangent is exactly zero where it is never live).
                let scalar_user = en.scalar_under_batch_mask(live[i], g.types[i])?;
                let strong = (en.opts.strong_zero && rules::may_be_infinite(inst)) || scalar_user;
                for (pos, p) in rules::partials(&mut en.b, elem, &mapped, u, &want)? {
                    let c = if strong {
                        rules::scale_strong(&mut en.b, elem, ubar, p)?
                    } else {
                        rules::scale(&mut en.b, elem, ubar, p)?
                    };
                    let c = if matches!(p, Partial::Const(_)) || scalar_user { c } else { en.mask(live[i], c)? };
                    contribs.push((ops[pos], c));
                }
            }
            Inst::Select(c, a, b) => {
                let cb = map[c.index()];
                if a == b {
                    contribs.push((*a, ubar));
                } else {
                    let zero = en.c(elem, 0.0)?;
                    if rel[a.index()] {
                        contribs.push((*a, en.b.select(cb, ubar, zero)?));
                    }
                    if rel[b.index()] {
                        contribs.push((*b, en.b.select(cb, zero, ubar)?));
                    }
                }
            }
            Inst::Cast(a, _) => {
                let to = g.types[a.index()].elem;
                contribs.push((*a, en.b.cast(ubar, to)?));
            }
            Inst::Sum(a) => contribs.push((*a, ubar)),
            Inst::Root(r) => {
                let want: Vec<bool> = r.params.iter().map(|p| rel[p.index()]).collect();
                for (k, c) in implicit::reverse(en, g, i, map, ubar, live[i], &want)? {
                    contribs.push((r.params[k], c));
                }
            }
            _ => {}
        }
        for (a, c) in contribs {
            if rel[a.index()] {
                // A scalar used by batch ops receives the sum over lanes of their contributions (each masked
                // per lane before the sum).
                let c = if g.types[a.index()].shape == Shape::Scalar && g.types[i].shape == Shape::Batch {
                    // A contribution that is the same on every lane (a scalar-typed cotangent of a batch value,
                    // such as the seed `1`) is broadcast to the lanes before the sum, so that it counts `n` times.
                    let c = en.broadcast_like(c, u)?;
                    en.b.sum(c)?
                } else {
                    c
                };
                adj[a.index()] = Some(en.accumulate(adj[a.index()], c)?);
            }
        }
    }
    Ok(adj)
}

/// The forward sweep: the tangent of every value of `g` for tangents `(input index, builder value)` of its
/// inputs. `live` (from [`liveness`] for the outputs of interest) decides which roots' checks are reported;
/// `None` reports every root. Returns `dot[v]` (`None` where the value does not depend on the tangents).
pub(crate) fn forward(
    en: &mut Engine<'_>,
    g: &Graph,
    map: &[Value],
    tangents: &[(usize, Value)],
    live: Option<&[Live]>,
) -> IrResult<Vec<Option<Value>>> {
    let mut dot: Vec<Option<Value>> = vec![None; g.len()];
    for (i, inst) in g.insts.iter().enumerate() {
        let elem = g.types[i].elem;
        if let Inst::Input { index } = inst {
            dot[i] = tangents.iter().find(|t| t.0 == *index as usize).map(|t| t.1);
            continue;
        }
        if !elem.is_float() {
            continue;
        }
        let u = map[i];
        dot[i] = match inst {
            Inst::Binary(BinOp::Div, a, b) => {
                // udot = (adot - u bdot) / b: one division.
                let (ta, tb) = (dot[a.index()], dot[b.index()]);
                let num = match (ta, tb) {
                    (None, None) => continue,
                    (Some(t), None) => t,
                    (ta, Some(t)) => {
                        let m = en.b.mul(u, t)?;
                        match ta {
                            Some(x) => en.b.sub(x, m)?,
                            None => en.b.neg(m)?,
                        }
                    }
                };
                let q = en.b.div(num, map[b.index()])?;
                if en.opts.strong_zero {
                    let zero = en.c(elem, 0.0)?;
                    let z = en.b.eq(num, zero)?;
                    Some(en.b.select(z, zero, q)?)
                } else {
                    Some(q)
                }
            }
            Inst::Unary(..) | Inst::Binary(..) | Inst::Powi(..) => {
                let ops = inst.operands();
                let want: Vec<bool> = ops.iter().map(|a| dot[a.index()].is_some()).collect();
                if !want.iter().any(|w| *w) {
                    continue;
                }
                let mapped = inst.map_operands(|o| map[o.index()]);
                let strong = en.opts.strong_zero && rules::may_be_infinite(inst);
                let mut acc = None;
                for (pos, p) in rules::partials(&mut en.b, elem, &mapped, u, &want)? {
                    let t = dot[ops[pos].index()].expect("wanted operands have tangents");
                    let term = if strong {
                        rules::scale_strong(&mut en.b, elem, t, p)?
                    } else {
                        rules::scale(&mut en.b, elem, t, p)?
                    };
                    acc = Some(en.accumulate(acc, term)?);
                }
                acc
            }
            Inst::Select(c, a, b) => {
                let (ta, tb) = (dot[a.index()], dot[b.index()]);
                if ta.is_none() && tb.is_none() {
                    continue;
                }
                let zero = en.c(elem, 0.0)?;
                let cb = map[c.index()];
                Some(en.b.select(cb, ta.unwrap_or(zero), tb.unwrap_or(zero))?)
            }
            Inst::Cast(a, to) => match dot[a.index()] {
                Some(t) => Some(en.b.cast(t, *to)?),
                None => None,
            },
            Inst::Sum(a) => match dot[a.index()] {
                Some(t) => {
                    let t = en.broadcast_like(t, map[a.index()])?;
                    Some(en.b.sum(t)?)
                }
                None => None,
            },
            Inst::Root(r) => {
                let pt: Vec<Option<Value>> = r.params.iter().map(|p| dot[p.index()]).collect();
                if pt.iter().all(Option::is_none) {
                    continue;
                }
                let l = live.map_or(Live::Always, |l| l[i]);
                implicit::forward(en, g, i, map, &pt, l)?
            }
            _ => None,
        };
    }
    Ok(dot)
}

/// The liveness of `g`'s values with respect to `outputs`, for a forward sweep that reports root checks only
/// where a root matters.
pub(crate) fn output_liveness(
    en: &mut Engine<'_>,
    g: &Graph,
    map: &[Value],
    outputs: &[Value],
    wrt: &[bool],
) -> IrResult<Vec<Live>> {
    let active = active_values(g, wrt);
    let rel = relevant_values(g, outputs, &active);
    liveness(en, g, map, outputs, &rel)
}
