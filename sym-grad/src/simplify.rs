//! A rewrite for derivative graphs: products with a quotient of a constant, `(c / d) * p -> (c p) / d`, where the
//! quotient has no other use.
//!
//! Chain-rule products meet the quotient partials of [`crate::rules`] (`1/(2 sqrt u)`, `1/b`, ...) as
//! `ubar * (c / d)` followed by a product with the next partial. When the quotient is used once, the product can
//! absorb it: `(c / d) * p = (c p) / d` is one division either way, one multiplication fewer, and a constant `c`
//! meets the constants in `p` (`(0.5 / s) * (2 x) = x / s` for the circle). Only single-use quotients are
//! rewritten: a quotient shared by several products would otherwise become several divisions. The result is
//! equal in exact arithmetic and differs by a rounding.

use sym_lower::{BinOp, Builder, Graph, Inst, Value, passes};

/// The constant value of `v` in `g`, if it is a constant.
fn constant(g: &Graph, v: Value) -> Option<f64> {
    match g.inst(v) {
        Inst::Const { bits, .. } => Some(f64::from_bits(*bits)),
        _ => None,
    }
}

/// If `v` is `c / d` for a constant `c`, `(c, d)`.
fn quotient(g: &Graph, v: Value) -> Option<(f64, Value)> {
    match g.inst(v) {
        Inst::Binary(BinOp::Div, n, d) => constant(g, *n).map(|c| (c, *d)),
        _ => None,
    }
}

/// Applies the rewrite (see the module doc) and re-optimises; a graph with nothing to rewrite is returned as is.
pub(crate) fn absorb_quotients(graph: &Graph) -> sym_lower::Result<Graph> {
    let uses = graph.use_counts();
    let single = |v: Value| uses[v.index()] == 1;
    let candidate = |i: usize| match &graph.insts[i] {
        Inst::Binary(BinOp::Mul, a, b) => {
            (single(*a) && quotient(graph, *a).is_some()) || (single(*b) && quotient(graph, *b).is_some())
        }
        _ => false,
    };
    if !(0..graph.len()).any(candidate) {
        return Ok(graph.clone());
    }
    // Rebuild with the rewrite applied to the top level (residual graphs are kept as they are).
    let mut b = Builder::new();
    let mut new: Vec<Value> = Vec::with_capacity(graph.len());
    for i in 0..graph.len() {
        if !candidate(i) {
            let inst = &graph.insts[i];
            let v = match inst {
                Inst::Input { index } => {
                    let d = &graph.inputs[*index as usize];
                    b.input(&d.name, d.ty)?
                }
                Inst::Root(r) => {
                    let res = b.add_residual(graph.residual(r.residual).clone())?;
                    let mut m = (**r).clone();
                    m.residual = res;
                    b.inst(Inst::Root(Box::new(m)).map_operands(|o| new[o.index()]))?
                }
                _ => b.inst(inst.map_operands(|o| new[o.index()]))?,
            };
            new.push(v);
            continue;
        }
        let Inst::Binary(BinOp::Mul, x, y) = graph.insts[i] else { unreachable!("candidates are products") };
        let (q, p) = if single(x) && quotient(graph, x).is_some() { (x, y) } else { (y, x) };
        let (c, d) = quotient(graph, q).expect("checked above");
        let elem = graph.types[i].elem;
        let pv = new[p.index()];
        // (c / d) * p = (c p) / d, folding c into a constant factor of p.
        let num = match graph.inst(p) {
            Inst::Binary(BinOp::Mul, w, k) if constant(graph, *k).is_some() => {
                let kc = b.constant(elem, c * constant(graph, *k).unwrap_or(1.0))?;
                b.mul(new[w.index()], kc)?
            }
            Inst::Binary(BinOp::Mul, k, w) if constant(graph, *k).is_some() => {
                let kc = b.constant(elem, c * constant(graph, *k).unwrap_or(1.0))?;
                b.mul(new[w.index()], kc)?
            }
            _ => {
                let cc = b.constant(elem, c)?;
                b.mul(pv, cc)?
            }
        };
        let v = b.div(num, new[d.index()])?;
        new.push(v);
    }
    for o in &graph.outputs {
        b.output(&o.name, new[o.value.index()])?;
    }
    passes::optimize(&b.finish()?)
}
