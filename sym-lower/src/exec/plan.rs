//! Compiling a graph for the executor: stages, uniform values, and chunk programs with register allocation.
//!
//! *Uniform values* (scalar-shaped) are computed once per call by the reference semantics (they cost nothing
//! per lane). *Batch values* are computed by a chunk program: a list of slice instructions run over chunks of
//! lanes, whose operands live in chunk-sized registers (reused after their last use, so a program touches few
//! cache lines), in the input arrays, in the output buffers (a batch output is written in place, not copied),
//! or in the uniform table (broadcast).
//!
//! *Fusion* (instruction selection): a chain of single-use elementwise ops of the form
//! `sign(sqrt?(op(sign(k * square?(a)), sign(k' * square?(b)))))`, with `op` one of `+ - * /`, `sign` any
//! composition of `neg` and `abs`, `k` a uniform factor and `square` either `x*x` or `powi x, 2`, runs as one
//! slice loop instead of one loop per op, so the intermediates stay in registers (see [`Fused`] and the `fuse`
//! function). It performs the same IEEE operations in the same order; a missing factor is a multiplication by 1,
//! which is exact (it may only turn a signaling NaN into a quiet one). The circle branch `-sqrt(9 - x*x)` is one
//! fused loop, as a hand-written one would be.
//!
//! *Compare inlining*: a comparison whose only users are float `select`s (and that is not an output) is not
//! stored as a byte mask; each select recomputes it in its own pass (`select (gt x, y), a, b` in the listing),
//! so the mask never goes through memory and the select needs no byte-to-float-mask conversion. Recomputing a
//! comparison is exact. The quadratic's cancellation-free form (two selects on `b > 0`) runs in 9 passes instead
//! of 10 (26% fewer instructions per point under callgrind).
//!
//! `sum` splits the work into *stages*: stage 0 holds everything that does not depend on a sum; a value that
//! depends on a sum of a stage-`p` batch is in stage `p + 1`. Each stage computes its uniform values, then runs
//! its chunk program, which produces the stage's batch outputs and the partial sums (one per chunk, in chunk
//! order, so results do not depend on the number of threads) of the sums that the next stage reads. Batch
//! values that a later stage needs again are recomputed there rather than stored.

use super::block::BlockProgram;
use crate::graph::Graph;
use crate::op::{BinOp, BoolOp, CmpOp, Inst, UnOp};
use crate::types::{Elem, Shape, Value};

/// Where a chunk program finds an operand or puts a result (each kind has its own registers and tables).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Loc {
    /// A chunk-sized register.
    Reg(u32),
    /// The buffer of output `k`.
    Out(u32),
    /// The array of input `k`.
    In(u32),
    /// The uniform value of graph value `v`, broadcast.
    Uni(u32),
}

/// A slice instruction over floats of kind `T`.
#[derive(Clone, Debug)]
pub(crate) enum FInstr<T> {
    Unary {
        op: UnOp,
        a: Loc,
        dst: Loc,
    },
    Powi {
        k: i32,
        a: Loc,
        dst: Loc,
    },
    Binary {
        op: BinOp,
        a: Loc,
        b: Loc,
        dst: Loc,
    },
    /// The result is a mask.
    Cmp {
        op: CmpOp,
        a: Loc,
        b: Loc,
        dst: Loc,
    },
    /// The condition is a mask.
    Select {
        c: Loc,
        a: Loc,
        b: Loc,
        dst: Loc,
    },
    /// `select(x op y, a, b)` in one pass: a comparison whose only users are float selects is recomputed inside
    /// each of them instead of being stored as a mask.
    SelectCmp {
        op: CmpOp,
        x: Loc,
        y: Loc,
        a: Loc,
        b: Loc,
        dst: Loc,
    },
    /// A fused elementwise kernel: `post(op(prep_a(a), prep_b(b)))` in one pass (see [`Fused`]).
    Fused(Box<Fused>),
    /// Adds the chunk's lanes into partial-sum slot `slot`.
    Sum {
        a: Loc,
        slot: u32,
    },
    Root(Box<RootInstr<T>>),
}

/// A sign operation: optionally clear the sign bit (`abs`), then optionally flip it (`neg`). Compositions of
/// `neg` and `abs` are closed under this form.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub(crate) struct SignOp {
    pub clear: bool,
    pub flip: bool,
}

impl SignOp {
    const NEG: Self = Self { clear: false, flip: true };
    const ABS: Self = Self { clear: true, flip: false };

    /// `outer(inner(x))`.
    fn compose(outer: Self, inner: Self) -> Self {
        if outer.clear { outer } else { Self { clear: inner.clear, flip: inner.flip ^ outer.flip } }
    }
}

/// An operand of a fused kernel: `sign(scale * square?(base))`, each part optional (a missing scale is 1,
/// which is exact: `1 * x = x`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Prep {
    pub base: Loc,
    pub square: bool,
    /// A uniform factor.
    pub scale: Option<Loc>,
    pub sign: SignOp,
}

/// A fused kernel: `sign(sqrt?(op(a, b)))` with prepared operands. The graph ops it replaces were single-use
/// intermediates, and it performs exactly their IEEE operations in their order, so the result is bit-identical.
#[derive(Clone, Debug)]
pub(crate) struct Fused {
    pub op: BinOp,
    pub a: Prep,
    pub b: Prep,
    pub sqrt: bool,
    pub sign: SignOp,
    pub dst: Loc,
}

/// A `root` op in a chunk program.
#[derive(Clone, Debug)]
pub(crate) struct RootInstr<T> {
    pub prog: BlockProgram<T>,
    pub params: Vec<Loc>,
    pub guess: Option<Loc>,
    pub bracket: Option<(Loc, Loc)>,
    pub tol: T,
    pub max_iter: u32,
    pub dst: Loc,
    /// Where the statuses go, if a `root_status` of this root is needed.
    pub status: Option<Loc>,
}

/// A slice instruction.
#[derive(Clone, Debug)]
pub(crate) enum Instr {
    F64(FInstr<f64>),
    F32(FInstr<f32>),
    Bool { op: BoolOp, a: Loc, b: Loc, dst: Loc },
    Not { a: Loc, dst: Loc },
    SelectMask { c: Loc, a: Loc, b: Loc, dst: Loc },
    SelectStatus { c: Loc, a: Loc, b: Loc, dst: Loc },
    Cast64To32 { a: Loc, dst: Loc },
    Cast32To64 { a: Loc, dst: Loc },
    Converged { a: Loc, dst: Loc },
    Copy { elem: Elem, src: Loc, dst: Loc },
}

/// A chunk program: instructions and the register counts per kind (`f64`, `f32`, `bool`, `status`).
#[derive(Clone, Debug)]
pub(crate) struct ChunkProgram {
    pub instrs: Vec<Instr>,
    pub n_regs: [usize; 4],
    /// Partial-sum slots per float kind (`f64`, `f32`).
    pub n_sums: [usize; 2],
}

/// One stage of the plan.
#[derive(Clone, Debug)]
pub(crate) struct Stage {
    /// Scalar values computed at the start of the stage, in order.
    pub uniform: Vec<Value>,
    /// The batch work of the stage.
    pub chunk: Option<ChunkProgram>,
    /// The sums this stage's chunk program accumulates: the `sum` value, its kind, its slot.
    pub sums: Vec<(Value, Elem, u32)>,
}

/// A compiled graph.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub graph: Graph,
    pub stages: Vec<Stage>,
    /// The value that defines each input.
    pub input_values: Vec<Value>,
}

/// The register-file index of a kind.
pub(crate) const fn kind_index(e: Elem) -> usize {
    match e {
        Elem::F64 => 0,
        Elem::F32 => 1,
        Elem::Bool => 2,
        Elem::Status => 3,
    }
}

fn idx(v: Value) -> u32 {
    v.as_u32()
}

/// Compiles a verified, dead-code-free graph.
pub(crate) fn compile(graph: Graph) -> Plan {
    let g = &graph;
    let n = g.len();
    let batch = |v: Value| g.ty(v).shape == Shape::Batch;
    let mut stage = vec![0_usize; n];
    for v in g.values() {
        stage[v.index()] = match g.inst(v) {
            Inst::Sum(a) => stage[a.index()] + 1,
            inst => {
                let mut s = 0;
                inst.for_each_operand(|o| s = s.max(stage[o.index()]));
                s
            }
        };
    }
    let max_stage = stage.iter().copied().max().unwrap_or(0);
    let mut status_of: Vec<Option<Value>> = vec![None; n];
    for v in g.values() {
        if let Inst::RootStatus(r) = g.inst(v) {
            status_of[r.index()].get_or_insert(v);
        }
    }
    let mut stages = Vec::with_capacity(max_stage + 1);
    for p in 0..=max_stage {
        let uniform: Vec<Value> = g.values().filter(|&v| !batch(v) && stage[v.index()] == p).collect();
        let mut targets: Vec<Value> = Vec::new();
        let mut sums = Vec::new();
        let mut sum_slots = [0_u32; 2];
        for v in g.values() {
            if let Inst::Sum(a) = g.inst(v)
                && stage[a.index()] == p
            {
                targets.push(*a);
                let e = g.ty(v).elem;
                let k = kind_index(e);
                sums.push((v, e, sum_slots[k]));
                sum_slots[k] += 1;
            }
        }
        let out_targets: Vec<usize> = (0..g.outputs.len())
            .filter(|&k| batch(g.outputs[k].value) && stage[g.outputs[k].value.index()] == p)
            .collect();
        targets.extend(out_targets.iter().map(|&k| g.outputs[k].value));
        let chunk = if targets.is_empty() {
            None
        } else {
            Some(compile_chunk(g, &targets, &out_targets, &sums, &status_of, sum_slots))
        };
        stages.push(Stage { uniform, chunk, sums });
    }
    let mut input_values = vec![Value::new(0); graph.inputs.len()];
    for v in graph.values() {
        if let Inst::Input { index } = graph.inst(v) {
            input_values[*index as usize] = v;
        }
    }
    Plan { graph, stages, input_values }
}

/// An instruction before locations are assigned: the value it defines (if any), the batch values it reads.
struct Item {
    def: Option<Value>,
    /// A second defined value (a root's status).
    def2: Option<Value>,
    uses: Vec<Value>,
    kind: ItemKind,
}

enum ItemKind {
    Value,
    /// A fused kernel (operands are graph values, translated to locations at emission).
    Fused(Group),
    Sum(u32),
    CopyTo(u32),
    /// A float select whose condition is an inlined comparison.
    SelectCmp,
}

fn compile_chunk(
    g: &Graph,
    targets: &[Value],
    out_targets: &[usize],
    sums: &[(Value, Elem, u32)],
    status_of: &[Option<Value>],
    n_sums: [u32; 2],
) -> ChunkProgram {
    let batch = |v: Value| g.ty(v).shape == Shape::Batch;
    // The batch values the targets depend on.
    let mut needed = vec![false; g.len()];
    for &t in targets {
        needed[t.index()] = true;
    }
    for i in (0..g.len()).rev() {
        if needed[i] {
            g.insts[i].for_each_operand(|o| {
                if batch(o) {
                    needed[o.index()] = true;
                }
            });
        }
    }
    // Each root whose status is needed computes it; a needed status needs its root.
    for v in g.values() {
        if let (true, Inst::RootStatus(r)) = (needed[v.index()], g.inst(v)) {
            needed[r.index()] = true;
        }
    }
    let groups = fuse(g, &needed, targets, out_targets);
    let inlined = inline_compares(g, &needed, targets, out_targets);
    // Output buffers that values are written to directly: the first output of each value.
    let mut out_loc: Vec<Option<u32>> = vec![None; g.len()];
    for &k in out_targets {
        let v = g.outputs[k].value;
        if !matches!(g.inst(v), Inst::Input { .. }) && out_loc[v.index()].is_none() {
            out_loc[v.index()] = Some(u32::try_from(k).expect("few outputs"));
        }
    }
    // Items in order.
    let mut items: Vec<Item> = Vec::new();
    let batch_ops = |inst: &Inst| {
        let mut u = Vec::new();
        inst.for_each_operand(|o| {
            if batch(o) {
                u.push(o);
            }
        });
        u
    };
    for v in g.values() {
        if !needed[v.index()] || groups.absorbed[v.index()] {
            continue;
        }
        if let Some(group) = &groups.head[v.index()] {
            let mut uses = Vec::new();
            for p in [&group.a, &group.b] {
                if batch(p.base) {
                    uses.push(p.base);
                }
            }
            items.push(Item { def: Some(v), def2: None, uses, kind: ItemKind::Fused(group.clone()) });
            continue;
        }
        match g.inst(v) {
            Inst::Input { .. } | Inst::RootStatus(_) => {}
            Inst::Cmp(..) if inlined[v.index()] => {}
            Inst::Select(c, a, b) if inlined[c.index()] => {
                let Inst::Cmp(_, x, y) = g.inst(*c) else { unreachable!("inlined values are comparisons") };
                let uses = [*x, *y, *a, *b].into_iter().filter(|&o| batch(o)).collect();
                items.push(Item { def: Some(v), def2: None, uses, kind: ItemKind::SelectCmp });
            }
            inst @ Inst::Root(_) => {
                let st = status_of[v.index()].filter(|s| needed[s.index()]);
                items.push(Item { def: Some(v), def2: st, uses: batch_ops(inst), kind: ItemKind::Value });
            }
            inst => items.push(Item { def: Some(v), def2: None, uses: batch_ops(inst), kind: ItemKind::Value }),
        }
    }
    for &(s, _, slot) in sums {
        if let Inst::Sum(a) = g.inst(s) {
            items.push(Item { def: None, def2: None, uses: vec![*a], kind: ItemKind::Sum(slot) });
        }
    }
    for &k in out_targets {
        let v = g.outputs[k].value;
        let k32 = u32::try_from(k).expect("few outputs");
        if out_loc[v.index()] != Some(k32) {
            items.push(Item { def: None, def2: None, uses: vec![v], kind: ItemKind::CopyTo(k32) });
        }
    }
    // Last uses.
    let mut last_use = vec![usize::MAX; g.len()];
    for (i, it) in items.iter().enumerate() {
        for u in &it.uses {
            last_use[u.index()] = i;
        }
    }
    // Locations and register allocation (a result never shares a register with an operand of its own op).
    let mut loc: Vec<Option<Loc>> = vec![None; g.len()];
    let mut free: [Vec<u32>; 4] = Default::default();
    let mut n_regs = [0_usize; 4];
    let loc_of = |loc: &[Option<Loc>], v: Value| -> Loc {
        if !batch(v) {
            Loc::Uni(idx(v))
        } else if let Inst::Input { index } = g.inst(v) {
            Loc::In(*index)
        } else {
            loc[v.index()].expect("operands are placed before use")
        }
    };
    let mut instrs = Vec::with_capacity(items.len());
    for (i, it) in items.iter().enumerate() {
        for d in [it.def, it.def2].into_iter().flatten() {
            let l = if let Some(k) = out_loc[d.index()] {
                Loc::Out(k)
            } else {
                let kind = kind_index(g.ty(d).elem);
                let r = free[kind].pop().unwrap_or_else(|| {
                    n_regs[kind] += 1;
                    u32::try_from(n_regs[kind] - 1).expect("few registers")
                });
                Loc::Reg(r)
            };
            loc[d.index()] = Some(l);
        }
        let l = |v: Value| loc_of(&loc, v);
        let instr = match it.kind {
            ItemKind::Sum(slot) => {
                let a = it.uses[0];
                match g.ty(a).elem {
                    Elem::F32 => Instr::F32(FInstr::Sum { a: l(a), slot }),
                    _ => Instr::F64(FInstr::Sum { a: l(a), slot }),
                }
            }
            ItemKind::CopyTo(k) => {
                let v = it.uses[0];
                Instr::Copy { elem: g.ty(v).elem, src: l(v), dst: Loc::Out(k) }
            }
            ItemKind::SelectCmp => {
                let v = it.def.expect("a select defines its value");
                let Inst::Select(c, a, b) = *g.inst(v) else { unreachable!("a select item") };
                let Inst::Cmp(op, x, y) = *g.inst(c) else { unreachable!("an inlined comparison") };
                let (x, y, a, b, dst) = (l(x), l(y), l(a), l(b), l(v));
                match g.ty(v).elem {
                    Elem::F32 => Instr::F32(FInstr::SelectCmp { op, x, y, a, b, dst }),
                    _ => Instr::F64(FInstr::SelectCmp { op, x, y, a, b, dst }),
                }
            }
            ItemKind::Value => {
                let v = it.def.expect("a value item defines its value");
                value_instr(g, v, &l, it.def2.map(&l))
            }
            ItemKind::Fused(ref group) => {
                let v = it.def.expect("a fused item defines its value");
                let prep =
                    |p: &GroupPrep| Prep { base: l(p.base), square: p.square, scale: p.scale.map(&l), sign: p.sign };
                let fused = Box::new(Fused {
                    op: group.op,
                    a: prep(&group.a),
                    b: prep(&group.b),
                    sqrt: group.sqrt,
                    sign: group.sign,
                    dst: l(v),
                });
                match g.ty(v).elem {
                    Elem::F32 => Instr::F32(FInstr::Fused(fused)),
                    _ => Instr::F64(FInstr::Fused(fused)),
                }
            }
        };
        instrs.push(instr);
        // Free the registers of values whose last use this was, and of values nobody reads.
        let mut release = |v: Value| {
            if let Some(Loc::Reg(r)) = loc[v.index()] {
                free[kind_index(g.ty(v).elem)].push(r);
            }
        };
        let mut uniq = it.uses.clone();
        uniq.sort_unstable();
        uniq.dedup();
        for u in uniq {
            if last_use[u.index()] == i {
                release(u);
            }
        }
        for d in [it.def, it.def2].into_iter().flatten() {
            if last_use[d.index()] == usize::MAX {
                release(d);
            }
        }
    }
    ChunkProgram { instrs, n_regs, n_sums: [n_sums[0] as usize, n_sums[1] as usize] }
}

fn value_instr(g: &Graph, v: Value, l: &dyn Fn(Value) -> Loc, status: Option<Loc>) -> Instr {
    let dst = l(v);
    let ty = g.ty(v);
    macro_rules! float {
        ($elem:expr, $fi:expr) => {
            match $elem {
                Elem::F32 => Instr::F32($fi),
                _ => Instr::F64($fi),
            }
        };
    }
    match g.inst(v) {
        Inst::Unary(op, a) => float!(ty.elem, FInstr::Unary { op: *op, a: l(*a), dst }),
        Inst::Powi(a, k) => float!(ty.elem, FInstr::Powi { k: *k, a: l(*a), dst }),
        Inst::Binary(op, a, b) => float!(ty.elem, FInstr::Binary { op: *op, a: l(*a), b: l(*b), dst }),
        Inst::Cmp(op, a, b) => float!(g.ty(*a).elem, FInstr::Cmp { op: *op, a: l(*a), b: l(*b), dst }),
        Inst::Bool(op, a, b) => Instr::Bool { op: *op, a: l(*a), b: l(*b), dst },
        Inst::Not(a) => Instr::Not { a: l(*a), dst },
        Inst::Select(c, a, b) => {
            let (c, a, b) = (l(*c), l(*a), l(*b));
            match ty.elem {
                Elem::F64 => Instr::F64(FInstr::Select { c, a, b, dst }),
                Elem::F32 => Instr::F32(FInstr::Select { c, a, b, dst }),
                Elem::Bool => Instr::SelectMask { c, a, b, dst },
                Elem::Status => Instr::SelectStatus { c, a, b, dst },
            }
        }
        Inst::Cast(a, to) => match (g.ty(*a).elem, to) {
            (Elem::F64, Elem::F32) => Instr::Cast64To32 { a: l(*a), dst },
            (Elem::F32, Elem::F64) => Instr::Cast32To64 { a: l(*a), dst },
            (e, _) => Instr::Copy { elem: e, src: l(*a), dst },
        },
        Inst::Converged(a) => Instr::Converged { a: l(*a), dst },
        Inst::Root(r) => {
            let res = g.residual(r.residual);
            let params: Vec<Loc> = r.params.iter().map(|&p| l(p)).collect();
            let guess = r.start.guess().map(l);
            let bracket = r.start.bracket().map(|(a, b)| (l(a), l(b)));
            match ty.elem {
                Elem::F32 => Instr::F32(FInstr::Root(Box::new(RootInstr {
                    prog: BlockProgram::compile(res),
                    params,
                    guess,
                    bracket,
                    #[allow(clippy::cast_possible_truncation)]
                    tol: r.tol() as f32,
                    max_iter: r.max_iter,
                    dst,
                    status,
                }))),
                _ => Instr::F64(FInstr::Root(Box::new(RootInstr {
                    prog: BlockProgram::compile(res),
                    params,
                    guess,
                    bracket,
                    tol: r.tol(),
                    max_iter: r.max_iter,
                    dst,
                    status,
                }))),
            }
        }
        Inst::Input { .. } | Inst::Const { .. } | Inst::ConstBool(_) | Inst::Sum(_) | Inst::RootStatus(_) => {
            unreachable!("not a batch instruction of a chunk program")
        }
    }
}

/// The comparisons that are recomputed inside their users instead of stored: a batch comparison that is not a
/// target (an output or a sum operand) and whose every user is a float `select` of the comparison's float kind
/// that reads it as the condition only. Recomputing a comparison is exact, and it saves a mask pass and the
/// conversion of a byte mask to a float-wide one in each select.
fn inline_compares(g: &Graph, needed: &[bool], targets: &[Value], out_targets: &[usize]) -> Vec<bool> {
    let n = g.len();
    let mut ok: Vec<bool> = g
        .values()
        .map(|v| needed[v.index()] && g.ty(v).shape == Shape::Batch && matches!(g.inst(v), Inst::Cmp(..)))
        .collect();
    for &t in targets {
        ok[t.index()] = false;
    }
    for &k in out_targets {
        ok[g.outputs[k].value.index()] = false;
    }
    for v in g.values() {
        if !needed[v.index()] {
            continue;
        }
        let inst = g.inst(v);
        let fits = |c: Value| match (inst, g.inst(c)) {
            (Inst::Select(cond, a, b), Inst::Cmp(_, x, _)) => {
                *cond == c && *a != c && *b != c && g.ty(v).elem.is_float() && g.ty(v).elem == g.ty(*x).elem
            }
            _ => false,
        };
        inst.for_each_operand(|o| {
            if o.index() < n && ok[o.index()] && !fits(o) {
                ok[o.index()] = false;
            }
        });
    }
    ok
}

/// An operand of a fusion group, in graph values.
#[derive(Clone, Debug)]
struct GroupPrep {
    base: Value,
    square: bool,
    scale: Option<Value>,
    sign: SignOp,
}

/// A fusion group: the value it defines is `sign(sqrt?(op(a, b)))`.
#[derive(Clone, Debug)]
struct Group {
    op: BinOp,
    a: GroupPrep,
    b: GroupPrep,
    sqrt: bool,
    sign: SignOp,
}

/// The fusion decisions of a chunk program: the group headed by each value, and the values absorbed into groups.
struct Groups {
    head: Vec<Option<Group>>,
    absorbed: Vec<bool>,
}

/// Elementwise fusion (instruction selection). Visiting values from last to first, a value `h` heads a group
/// when it is `sign(sqrt?(op(a, b)))` with `op` one of `+ - * /`, where every intermediate is a float batch
/// used once (by the next op of the pattern, and not an output or a sum operand), and each operand `a`, `b` is
/// `sign(k * square?(base))` with the same single-use rule, `k` a uniform value, `square` either `x*x` or
/// `powi x, 2`, and each part optional. A group replaces several slice passes by one, with the same IEEE
/// operations in the same order. Groups that absorb nothing are left as plain instructions.
fn fuse(g: &Graph, needed: &[bool], targets: &[Value], out_targets: &[usize]) -> Groups {
    let n = g.len();
    let batch_float = |v: Value| {
        let t = g.ty(v);
        t.shape == Shape::Batch && t.elem.is_float()
    };
    let mut uses = vec![0_u32; n];
    for v in g.values() {
        if needed[v.index()] {
            g.inst(v).for_each_operand(|o| uses[o.index()] += 1);
        }
    }
    let mut pinned = vec![false; n];
    for &t in targets {
        pinned[t.index()] = true;
    }
    for &k in out_targets {
        pinned[g.outputs[k].value.index()] = true;
    }
    let mut groups = Groups { head: vec![None; n], absorbed: vec![false; n] };
    for h in g.values().rev() {
        if !needed[h.index()] || groups.absorbed[h.index()] || !batch_float(h) {
            continue;
        }
        let absorbable = |v: Value, absorbed: &[bool]| {
            batch_float(v)
                && uses[v.index()] == 1
                && !pinned[v.index()]
                && !absorbed[v.index()]
                && !matches!(g.inst(v), Inst::Input { .. })
        };
        // The post chain: signs, then an optional sqrt, then the core binary op.
        let mut chain: Vec<Value> = Vec::new();
        let mut cur = h;
        let mut sign = SignOp::default();
        let mut sqrt = false;
        loop {
            let next = match g.inst(cur) {
                Inst::Unary(UnOp::Neg, x) if !sqrt => {
                    sign = SignOp::compose(sign, SignOp::NEG);
                    *x
                }
                Inst::Unary(UnOp::Abs, x) if !sqrt => {
                    sign = SignOp::compose(sign, SignOp::ABS);
                    *x
                }
                Inst::Unary(UnOp::Sqrt, x) if !sqrt => {
                    sqrt = true;
                    *x
                }
                _ => break,
            };
            if !absorbable(next, &groups.absorbed) {
                break;
            }
            chain.push(cur);
            cur = next;
        }
        let Inst::Binary(op @ (BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div), a, b) = *g.inst(cur) else {
            continue;
        };
        // The chain must end right at the core: undo a trailing sign/sqrt that did not reach a binary op.
        let mut absorbed_here: Vec<Value> = chain.iter().skip(1).copied().collect();
        if cur != h {
            absorbed_here.push(cur);
        }
        let prep = |v: Value, absorbed_here: &mut Vec<Value>| {
            let mut p = GroupPrep { base: v, square: false, scale: None, sign: SignOp::default() };
            let taken = |w: Value, here: &[Value]| here.contains(&w) || groups.absorbed[w.index()];
            let ok = |w: Value, here: &[Value]| absorbable(w, &groups.absorbed) && !taken(w, here);
            let mut cur = v;
            while ok(cur, absorbed_here) {
                let (op, x) = match *g.inst(cur) {
                    Inst::Unary(UnOp::Neg, x) => (SignOp::NEG, x),
                    Inst::Unary(UnOp::Abs, x) => (SignOp::ABS, x),
                    _ => break,
                };
                p.sign = SignOp::compose(p.sign, op);
                absorbed_here.push(cur);
                cur = x;
            }
            if ok(cur, absorbed_here)
                && let Inst::Binary(BinOp::Mul, x, y) = *g.inst(cur)
            {
                let uniform = |w: Value| g.ty(w).shape == Shape::Scalar;
                let split = match (uniform(x), uniform(y)) {
                    (true, false) => Some((x, y)),
                    (false, true) => Some((y, x)),
                    _ => None,
                };
                if let Some((k, rest)) = split {
                    p.scale = Some(k);
                    absorbed_here.push(cur);
                    cur = rest;
                }
            }
            if ok(cur, absorbed_here) {
                let sq = match *g.inst(cur) {
                    Inst::Binary(BinOp::Mul, x, y) if x == y => Some(x),
                    Inst::Powi(x, 2) => Some(x),
                    _ => None,
                };
                if let Some(x) = sq {
                    p.square = true;
                    absorbed_here.push(cur);
                    cur = x;
                }
            }
            p.base = cur;
            p
        };
        let pa = prep(a, &mut absorbed_here);
        let pb = prep(b, &mut absorbed_here);
        if absorbed_here.is_empty() && cur == h {
            continue;
        }
        for v in absorbed_here {
            groups.absorbed[v.index()] = true;
        }
        groups.head[h.index()] = Some(Group { op, a: pa, b: pb, sqrt, sign });
    }
    groups
}

impl std::fmt::Display for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Reg(r) => write!(f, "r{r}"),
            Self::Out(k) => write!(f, "out{k}"),
            Self::In(k) => write!(f, "in{k}"),
            Self::Uni(v) => write!(f, "u%{v}"),
        }
    }
}

impl std::fmt::Display for Prep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = self.base.to_string();
        if self.square {
            s = format!("sq({s})");
        }
        if let Some(k) = self.scale {
            s = format!("{k}*{s}");
        }
        if self.sign.clear {
            s = format!("abs({s})");
        }
        if self.sign.flip {
            s = format!("neg({s})");
        }
        f.write_str(&s)
    }
}

fn float_listing<T: std::fmt::Debug>(kind: &str, fi: &FInstr<T>) -> String {
    match fi {
        FInstr::Unary { op, a, dst } => format!("{dst} = {kind}.{} {a}", op.name()),
        FInstr::Powi { k, a, dst } => format!("{dst} = {kind}.powi {a}, {k}"),
        FInstr::Binary { op, a, b, dst } => format!("{dst} = {kind}.{} {a}, {b}", op.name()),
        FInstr::Cmp { op, a, b, dst } => format!("{dst} = {kind}.{} {a}, {b}", op.name()),
        FInstr::Select { c, a, b, dst } => format!("{dst} = {kind}.select {c}, {a}, {b}"),
        FInstr::SelectCmp { op, x, y, a, b, dst } => {
            format!("{dst} = {kind}.select ({} {x}, {y}), {a}, {b}", op.name())
        }
        FInstr::Fused(fz) => {
            let mut s = format!("{}({}, {})", fz.op.name(), fz.a, fz.b);
            if fz.sqrt {
                s = format!("sqrt({s})");
            }
            if fz.sign.clear {
                s = format!("abs({s})");
            }
            if fz.sign.flip {
                s = format!("neg({s})");
            }
            format!("{} = {kind}.fused {s}", fz.dst)
        }
        FInstr::Sum { a, slot } => format!("sum[{slot}] += {kind} {a}"),
        FInstr::Root(r) => {
            let params: Vec<String> = r.params.iter().map(ToString::to_string).collect();
            let mut s = format!("{} = {kind}.root ({})", r.dst, params.join(", "));
            if let Some(g) = r.guess {
                s += &format!(" guess {g}");
            }
            if let Some((lo, hi)) = r.bracket {
                s += &format!(" bracket {lo}, {hi}");
            }
            if let Some(st) = r.status {
                s += &format!(", status -> {st}");
            }
            s
        }
    }
}

/// The text of [`crate::Executor::plan_listing`].
pub(crate) fn listing(plan: &Plan) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (p, stage) in plan.stages.iter().enumerate() {
        let uni: Vec<String> = stage.uniform.iter().map(ToString::to_string).collect();
        let _ = writeln!(out, "stage {p}: uniform [{}]", uni.join(", "));
        if let Some(prog) = &stage.chunk {
            let _ = writeln!(
                out,
                "  registers: {} f64, {} f32, {} bool, {} status",
                prog.n_regs[0], prog.n_regs[1], prog.n_regs[2], prog.n_regs[3]
            );
            for i in &prog.instrs {
                let line = match i {
                    Instr::F64(fi) => float_listing("f64", fi),
                    Instr::F32(fi) => float_listing("f32", fi),
                    Instr::Bool { op, a, b, dst } => format!("{dst} = {} {a}, {b}", op.name()),
                    Instr::Not { a, dst } => format!("{dst} = not {a}"),
                    Instr::SelectMask { c, a, b, dst } => {
                        format!("{dst} = bool.select {c}, {a}, {b}")
                    }
                    Instr::SelectStatus { c, a, b, dst } => {
                        format!("{dst} = status.select {c}, {a}, {b}")
                    }
                    Instr::Cast64To32 { a, dst } => format!("{dst} = f32.cast {a}"),
                    Instr::Cast32To64 { a, dst } => format!("{dst} = f64.cast {a}"),
                    Instr::Converged { a, dst } => format!("{dst} = converged {a}"),
                    Instr::Copy { elem, src, dst } => format!("{dst} = {}.copy {src}", elem.name()),
                };
                let _ = writeln!(out, "  {line}");
            }
        }
        for (s, _, slot) in &stage.sums {
            let _ = writeln!(out, "  {s} = sum[{slot}]");
        }
    }
    out
}
