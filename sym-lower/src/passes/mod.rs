//! Graph-to-graph passes: constant folding, common-subexpression elimination, dead-code elimination and
//! numerically safer rewrites.
//!
//! Every pass verifies its input (an invalid graph is reported, never transformed), rebuilds the graph through a
//! [`Builder`] (so the result is hash-consed: CSE comes with every pass), applies itself to the residual graphs
//! too, and verifies its output in debug builds ([`crate::verify::verify_if_debug`], Cranelift's `verify_if`).
//!
//! | pass | what it does | values |
//! |---|---|---|
//! | [`fold_constants`] | evaluates ops whose operands are constants, and exact identities (`x*1`, `x/1`, `x-0`, `x+(-0)`, `neg neg x`, `powi x, 1`, `powi (abs x), k`, `not not b`, `select` of a constant or of equal branches, `cast` to the same kind, `and`/`or` with a constant) | bit for bit |
//! | [`cse`] | merges equal instructions | bit for bit |
//! | [`dce()`] | removes values no output depends on (inputs stay) and unused residuals | bit for bit |
//! | [`safe_rewrites`] | `log(1+x) -> log1p x`, `log(1-x) -> log1p(-x)`, `exp(x)-1 -> expm1 x`, `sqrt(x*x+y*y) -> hypot(x, y)` | exact over the reals; the new forms are more accurate (see [`safe_rewrites`]) |

mod dce;
mod fold;
mod rewrite;

pub use dce::dce;
pub use fold::fold_constants;
pub use rewrite::safe_rewrites;

use crate::builder::Builder;
use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::op::Inst;
use crate::types::{ResidualId, Value};
use crate::verify::{verify, verify_if_debug};

/// The passes, by name (for the text-form file tests and the CLI).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum Pass {
    /// [`fold_constants`].
    Fold,
    /// [`cse`].
    Cse,
    /// [`dce()`].
    Dce,
    /// [`safe_rewrites`].
    SafeRewrites,
    /// [`optimize`]: all of them.
    Optimize,
}

impl Pass {
    /// Every pass.
    pub const ALL: [Self; 5] = [Self::Fold, Self::Cse, Self::Dce, Self::SafeRewrites, Self::Optimize];

    /// The pass's name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Fold => "fold",
            Self::Cse => "cse",
            Self::Dce => "dce",
            Self::SafeRewrites => "safe-rewrites",
            Self::Optimize => "optimize",
        }
    }

    /// The pass with the given name.
    ///
    /// # Errors
    /// [`Error::Unsupported`] naming it if there is no such pass.
    pub fn from_name(name: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name).ok_or_else(|| Error::Unsupported { name: name.to_owned() })
    }

    /// Runs the pass.
    ///
    /// # Errors
    /// [`Error::Verify`] if the input graph is invalid (or, in debug builds, if the pass broke an invariant).
    pub fn run(self, graph: &Graph) -> Result<Graph> {
        match self {
            Self::Fold => fold_constants(graph),
            Self::Cse => cse(graph),
            Self::Dce => dce(graph),
            Self::SafeRewrites => safe_rewrites(graph),
            Self::Optimize => optimize(graph),
        }
    }
}

/// Merges equal instructions (the rebuild through the hash-consing builder does all the work).
///
/// # Errors
/// [`Error::Verify`] if the input graph is invalid (or, in debug builds, if the pass broke an invariant).
pub fn cse(graph: &Graph) -> Result<Graph> {
    verify(graph)?;
    let out = rebuild(graph, None, &mut |b, inst, _| b.inst(inst))?;
    verify_if_debug(&out)?;
    Ok(out)
}

/// The standard pipeline: safer rewrites, constant folding, then dead-code elimination (all hash-consed).
///
/// # Errors
/// [`Error::Verify`] if the input graph is invalid (or, in debug builds, if a pass broke an invariant).
pub fn optimize(graph: &Graph) -> Result<Graph> {
    let g = safe_rewrites(graph)?;
    let g = fold_constants(&g)?;
    dce(&g)
}

/// What a rewriting callback sees: the graph rebuilt so far, the instruction with its operands already mapped
/// into that graph, and the old value's id.
pub(crate) type Rewrite<'a> = dyn FnMut(&mut Builder, Inst, Value) -> Result<Value> + 'a;

/// Rebuilds `graph` through a builder, instruction by instruction, letting `f` choose the new value of each
/// non-input instruction; residuals are rebuilt with the same callback first. With `keep`, only the instructions
/// marked `true` (and every input) are rebuilt, and only the residuals marked in `keep_residuals`.
pub(crate) fn rebuild(graph: &Graph, keep: Option<(&[bool], &[Vec<bool>])>, f: &mut Rewrite<'_>) -> Result<Graph> {
    let mut b = Builder::new();
    let mut res_map: Vec<Option<ResidualId>> = Vec::with_capacity(graph.residuals.len());
    for (k, r) in graph.residuals.iter().enumerate() {
        let used = keep.is_none_or(|(_, rk)| rk.get(k).is_some_and(|m| !m.is_empty()));
        if used {
            let sub_keep = keep.map(|(_, rk)| (rk[k].as_slice(), &[][..]));
            let nr = rebuild(r, sub_keep, f)?;
            res_map.push(Some(b.add_residual(nr)?));
        } else {
            res_map.push(None);
        }
    }
    let mut map: Vec<Option<Value>> = vec![None; graph.len()];
    for (i, inst) in graph.insts.iter().enumerate() {
        let old = Value::new(u32::try_from(i).expect("verified"));
        let v = if let Inst::Input { index } = inst {
            let decl = &graph.inputs[*index as usize];
            b.input(&decl.name, decl.ty)?
        } else {
            if keep.is_some_and(|(k, _)| !k[i]) {
                continue;
            }
            let mut mapped = inst.map_operands(|o| map[o.index()].expect("operands are kept with their users"));
            if let Inst::Root(r) = &mut mapped {
                r.residual = res_map[r.residual.index()].expect("a kept root keeps its residual");
            }
            f(&mut b, mapped, old)?
        };
        map[i] = Some(v);
    }
    for o in &graph.outputs {
        b.output(&o.name, map[o.value.index()].expect("outputs are kept"))?;
    }
    b.finish()
}
