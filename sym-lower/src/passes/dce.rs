//! Dead-code elimination: keeps the inputs, the outputs and what they depend on.

use super::rebuild;
use crate::error::Result;
use crate::graph::Graph;
use crate::op::Inst;
use crate::verify::{verify, verify_if_debug};

/// Removes every value that no output depends on (inputs are kept, so the signature does not change), dead
/// code inside residual graphs, and residuals that no live `root` uses. Values are unchanged bit for bit.
///
/// # Errors
/// [`crate::Error::Verify`] if the input graph is invalid (or, in debug builds, if the pass broke an invariant).
pub fn dce(graph: &Graph) -> Result<Graph> {
    verify(graph)?;
    let live = live_set(graph);
    let mut res_live: Vec<Vec<bool>> = vec![Vec::new(); graph.residuals.len()];
    for (inst, &l) in graph.insts.iter().zip(&live) {
        if let (true, Inst::Root(r)) = (l, inst) {
            res_live[r.residual.index()] = live_set(graph.residual(r.residual));
        }
    }
    let out = rebuild(graph, Some((&live, &res_live)), &mut |b, inst, _| b.inst(inst))?;
    verify_if_debug(&out)?;
    Ok(out)
}

/// Marks the values the outputs depend on (a backward sweep: operands come before their users).
fn live_set(g: &Graph) -> Vec<bool> {
    let mut live = vec![false; g.len()];
    for o in &g.outputs {
        live[o.value.index()] = true;
    }
    for i in (0..g.len()).rev() {
        if live[i] {
            g.insts[i].for_each_operand(|v| live[v.index()] = true);
        }
    }
    live
}
