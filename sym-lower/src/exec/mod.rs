//! The fast CPU executor: chunked, cache-resident, vectorisable loops over `ndarray` batches, multi-threaded
//! over chunks with rayon.
//!
//! [`Executor::new`] verifies the graph (an invalid graph is reported and never run), removes dead code, and
//! compiles it (see the `plan` module): uniform (scalar) values are computed once per call; batch values by a
//! chunk program of slice loops over chunks of [`ExecOptions::chunk`] lanes, whose temporaries live in
//! chunk-sized registers that stay in the L1/L2 cache (kept per thread from run to run, so that small batches do
//! not pay for allocating and zeroing them); `root` ops by blocked Newton (see the `block` module).
//! Chunks are grouped into tasks that rayon runs in parallel; the results do not depend on the number of
//! threads (partial sums are kept per chunk and added in chunk order).
//!
//! The float kernels exist twice, for the target's baseline (SSE2) and for AVX2 with FMA, and
//! [`ExecOptions::isa`] picks one at build time of the executor from what the CPU reports (see [`Isa`]); both
//! give the same bits.
//!
//! With AVX2, runs of elementwise `f64` instructions and `root` ops started from a guess are also compiled to
//! machine code ([`ExecOptions::jit`]; the `jit` and `jit_root` modules): one loop over the lanes with every
//! intermediate in a vector register, instead of one pass over a chunk per instruction. A program made only of
//! such instructions runs over each task's lanes without chunks; otherwise the compiled runs sit between the
//! slice loops, reading and writing the same chunk registers. Same bits as the slice loops.
//!
//! [`Executor::run_into`] writes into caller-provided buffers (allocating outputs costs 8-16 ns per point on
//! this class of machine, more than a whole simple formula); [`Executor::run`] allocates them.
//!
//! # Agreement with the interpreter
//!
//! Elementwise ops, `select`, casts and `root` agree with [`crate::interpret`] bit for bit, up to NaN payloads
//! (they call the same scalar functions, fused kernels perform the same IEEE operations in the same order, and
//! the blocked root iteration makes the same per-lane decisions). `sum` adds in a different order (per chunk, then
//! the chunk totals), so it agrees to within `(n - 1) eps sum |x_i|`; chunk boundaries do not depend on the
//! number of threads, so results are the same on one thread and on many.
//!
//! [`Executor::plan_listing`] shows the compiled plan (fused kernels, registers, stages, machine code).
//!
//! # Root statuses
//!
//! A `root` op's per-lane [`crate::RootStatus`] is a value of the graph: `root_status %r` reads it (kind
//! `status`), and it is returned like any other output, as an array of `RootStatus`; `converged` turns it into a
//! mask for `select`. Failed lanes never yield a silent NaN (see [`crate::root`]).

mod block;
mod isa;
mod jit;
mod jit_root;
mod kernels;
mod lanes;
mod plan;

use crate::error::Result;
use crate::graph::Graph;
use crate::interp::{Col, eval_inst};
use crate::op::BoolOp;
use crate::passes::dce;
use crate::root::RootStatus;
use crate::scalar::Real;
use crate::tensor::{Tensor, TensorMut, TensorRef, check_inputs, check_outputs};
use crate::types::{Elem, Shape, Value};
use block::{BlockProgram, BlockStart, LANES, Lanes};
pub use isa::Isa;
use kernels::Arg;
use ndarray::ArrayViewMutD;
use plan::{ChunkProgram, FInstr, Instr, Loc, Plan, RootInstr};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Chunk lengths are multiples of this many lanes (whole SIMD vectors; root blocks may end part-way).
const CHUNK_ALIGN: usize = 8;

/// How the executor uses threads.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
#[non_exhaustive]
pub enum Threads {
    /// Every chunk on the calling thread.
    Single,
    /// Tasks of chunks on the current rayon thread pool (install a pool to choose the thread count).
    #[default]
    Rayon,
}

/// Executor settings.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct ExecOptions {
    /// Threading.
    pub threads: Threads,
    /// Lanes per chunk (rounded up to a multiple of 8; at least 8). Temporaries take `chunk` elements each.
    pub chunk: usize,
    /// The smallest number of lanes worth a separate rayon task.
    pub min_task: usize,
    /// The instruction set of the float loops (the results are the same bits with every choice; see [`Isa`]).
    pub isa: Isa,
    /// Compile runs of elementwise `f64` instructions, and `root` ops started from a guess, to machine code where
    /// the instruction set is [`Isa::Avx2`] (one loop with every intermediate in a vector register; the same bits
    /// as the slice loops). What the translation does not cover runs on the slice loops either way.
    pub jit: bool,
}

impl Default for ExecOptions {
    fn default() -> Self {
        Self { threads: Threads::Rayon, chunk: 512, min_task: 16_384, isa: Isa::Best, jit: true }
    }
}

/// A compiled graph, ready to run on batches. See the module doc.
#[derive(Clone, Debug)]
pub struct Executor {
    plan: Plan,
    opts: ExecOptions,
    /// Per stage, the chunk program's machine code, where some of it compiled.
    jits: Vec<Option<StageCode>>,
}

/// Machine code for a stage's chunk program (see the `jit` module).
#[derive(Clone, Debug)]
enum StageCode {
    /// The whole program: run over each task's lanes at once (no temporaries, so no chunks).
    Whole(Arc<jit::JitProgram>),
    /// Runs of instructions `(first, end, code)`, run per chunk between the slice loops of the others.
    Runs(Arc<Vec<(usize, usize, jit::JitProgram)>>),
}

impl Executor {
    /// Verifies and compiles `graph` with the default options.
    ///
    /// # Errors
    /// [`crate::Error::Verify`] if the graph breaks an invariant.
    pub fn new(graph: &Graph) -> Result<Self> {
        Self::with_options(graph, ExecOptions::default())
    }

    /// Verifies and compiles `graph`.
    ///
    /// # Errors
    /// [`crate::Error::Verify`] if the graph breaks an invariant.
    pub fn with_options(graph: &Graph, opts: ExecOptions) -> Result<Self> {
        let g = dce(graph)?;
        let chunk = opts.chunk.max(CHUNK_ALIGN).div_ceil(CHUNK_ALIGN) * CHUNK_ALIGN;
        let opts = ExecOptions { chunk, isa: opts.isa.resolve(), ..opts };
        let plan = plan::compile(g);
        let jits = plan
            .stages
            .iter()
            .map(|st| {
                let prog = st.chunk.as_ref().filter(|_| opts.jit && opts.isa == Isa::Avx2)?;
                let layout = jit::Layout {
                    ins: plan.graph.inputs.len(),
                    outs: plan.graph.outputs.len(),
                    regs_f64: prog.n_regs[0],
                    regs_bool: prog.n_regs[2],
                };
                if let Some(whole) = jit::compile(prog, 0..prog.instrs.len(), layout) {
                    return Some(StageCode::Whole(Arc::new(whole)));
                }
                let runs = jit::segments(prog, layout);
                (!runs.is_empty()).then(|| StageCode::Runs(Arc::new(runs)))
            })
            .collect();
        Ok(Self { plan, opts, jits })
    }

    /// The instruction set the float loops run with: [`Isa::Avx2`] or [`Isa::Baseline`] (what
    /// [`ExecOptions::isa`] resolved to on this CPU).
    #[must_use]
    pub fn isa(&self) -> Isa {
        self.opts.isa
    }

    /// The graph this executor runs (after dead-code elimination; inputs and outputs are the original ones).
    #[must_use]
    pub fn graph(&self) -> &Graph {
        &self.plan.graph
    }

    /// A readable listing of the compiled plan: per stage, the uniform values and the chunk program's
    /// instructions with their locations (`r3` a register, `out1` an output buffer, `in0` an input array,
    /// `u%5` the uniform value of `%5`). For tests and for seeing what the executor does with a graph.
    #[must_use]
    pub fn plan_listing(&self) -> String {
        use std::fmt::Write;
        let mut s = plan::listing(&self.plan);
        for (k, j) in self.jits.iter().enumerate() {
            match j {
                Some(StageCode::Whole(j)) => {
                    let _ = writeln!(
                        s,
                        "stage {k}: machine code (x86-64 AVX2) for every instruction, {} bytes",
                        j.code_len()
                    );
                }
                Some(StageCode::Runs(runs)) => {
                    for (first, end, j) in runs.iter() {
                        let _ = writeln!(
                            s,
                            "stage {k}: machine code (x86-64 AVX2) for instructions {first}..{end}, {} bytes",
                            j.code_len()
                        );
                    }
                }
                None => {}
            }
        }
        s
    }

    /// Whether every instruction of stage `stage`'s chunk program runs as machine code (see
    /// [`ExecOptions::jit`]; [`Executor::plan_listing`] also shows runs of instructions that do).
    #[must_use]
    pub fn compiled(&self, stage: usize) -> bool {
        matches!(self.jits.get(stage), Some(Some(StageCode::Whole(_))))
    }

    /// Runs the graph and returns freshly allocated outputs (0-dimensional for scalars, `n` lanes for batches).
    ///
    /// # Errors
    /// [`crate::Error::InputCount`] or [`crate::Error::Input`] if the inputs do not fit the graph.
    pub fn run(&self, inputs: &[TensorRef<'_>]) -> Result<Vec<Tensor>> {
        let g = &self.plan.graph;
        let n = check_inputs(g, inputs)?.unwrap_or(0);
        let mut outs: Vec<Tensor> = g.outputs.iter().map(|o| Tensor::zeros(g.ty(o.value), n)).collect();
        let mut views: Vec<TensorMut<'_>> = outs.iter_mut().map(Tensor::view_mut).collect();
        self.run_into(inputs, &mut views)?;
        drop(views);
        Ok(outs)
    }

    /// Runs the graph, writing output `k` into `outputs[k]` (0-dimensional for a scalar output, `n` lanes for a
    /// batch output; any memory layout, contiguous is fastest).
    ///
    /// # Errors
    /// [`crate::Error::InputCount`], [`crate::Error::Input`], [`crate::Error::OutputCount`] or
    /// [`crate::Error::Output`] if the tensors do not fit the graph.
    pub fn run_into(&self, inputs: &[TensorRef<'_>], outputs: &mut [TensorMut<'_>]) -> Result<()> {
        let g = &self.plan.graph;
        let n = check_inputs(g, inputs)?.unwrap_or(0);
        check_outputs(g, outputs, n)?;

        // Input arrays as contiguous slices (copied only if a view is not contiguous), and scalar inputs.
        let owned: Vec<Option<Tensor>> = inputs
            .iter()
            .map(|t| {
                let contiguous = match t {
                    TensorRef::F64(a) => a.as_slice().is_some(),
                    TensorRef::F32(a) => a.as_slice().is_some(),
                    TensorRef::Bool(a) => a.as_slice().is_some(),
                    TensorRef::Status(a) => a.as_slice().is_some(),
                };
                (!contiguous).then(|| match t {
                    TensorRef::F64(a) => Tensor::F64(a.as_standard_layout().into_owned()),
                    TensorRef::F32(a) => Tensor::F32(a.as_standard_layout().into_owned()),
                    TensorRef::Bool(a) => Tensor::Bool(a.as_standard_layout().into_owned()),
                    TensorRef::Status(a) => Tensor::Status(a.as_standard_layout().into_owned()),
                })
            })
            .collect();
        let k_in = inputs.len();
        let mut ins = InBanks {
            f64: vec![&[][..]; k_in],
            f32: vec![&[][..]; k_in],
            b: vec![&[][..]; k_in],
            st: vec![&[][..]; k_in],
        };
        let mut vals: Vec<Col> = vec![Col::F64(Vec::new()); g.len()];
        for (k, (t, copy)) in inputs.iter().zip(&owned).enumerate() {
            let v = self.plan.input_values[k].index();
            let batch = g.inputs[k].ty.shape == Shape::Batch;
            macro_rules! bind {
                ($field:ident, $col:ident, $a:expr) => {{
                    let s = match copy {
                        Some(Tensor::$col(c)) => a_slice(c),
                        _ => a_slice($a),
                    };
                    if batch {
                        ins.$field[k] = s;
                    } else {
                        vals[v] = Col::$col(s.to_vec());
                    }
                }};
            }
            match t {
                TensorRef::F64(a) => bind!(f64, F64, a),
                TensorRef::F32(a) => bind!(f32, F32, a),
                TensorRef::Bool(a) => bind!(b, Bool, a),
                TensorRef::Status(a) => bind!(st, Status, a),
            }
        }

        // Output buffers as contiguous slices (through a temporary if a batch buffer is not contiguous).
        let mut temps: Vec<(usize, Tensor)> = Vec::new();
        for (k, t) in outputs.iter_mut().enumerate() {
            let contiguous = match t {
                TensorMut::F64(a) => a.as_slice_mut().is_some(),
                TensorMut::F32(a) => a.as_slice_mut().is_some(),
                TensorMut::Bool(a) => a.as_slice_mut().is_some(),
                TensorMut::Status(a) => a.as_slice_mut().is_some(),
            };
            if !contiguous {
                temps.push((k, Tensor::zeros(g.ty(g.outputs[k].value), n)));
            }
        }
        {
            let mut temp_refs: Vec<Option<&mut Tensor>> = (0..outputs.len()).map(|_| None).collect();
            for (k, t) in &mut temps {
                temp_refs[*k] = Some(t);
            }
            let mut outs = OutBanks::default();
            for (k, (direct, temp)) in outputs.iter_mut().zip(temp_refs).enumerate() {
                if g.ty(g.outputs[k].value).shape == Shape::Scalar {
                    outs.push_empty();
                    continue;
                }
                match (temp, direct) {
                    (Some(Tensor::F64(a)), _) => outs.push_f64(a.as_slice_mut().expect("standard layout")),
                    (Some(Tensor::F32(a)), _) => outs.push_f32(a.as_slice_mut().expect("standard layout")),
                    (Some(Tensor::Bool(a)), _) => outs.push_b(a.as_slice_mut().expect("standard layout")),
                    (Some(Tensor::Status(a)), _) => outs.push_st(a.as_slice_mut().expect("standard layout")),
                    (None, TensorMut::F64(a)) => outs.push_f64(slice_mut(a)),
                    (None, TensorMut::F32(a)) => outs.push_f32(slice_mut(a)),
                    (None, TensorMut::Bool(a)) => outs.push_b(slice_mut(a)),
                    (None, TensorMut::Status(a)) => outs.push_st(slice_mut(a)),
                }
            }
            let mut statuses: HashMap<Value, Vec<RootStatus>> = HashMap::new();
            for (k_stage, stage) in self.plan.stages.iter().enumerate() {
                for &v in &stage.uniform {
                    match g.inst(v) {
                        crate::op::Inst::Input { .. } | crate::op::Inst::Sum(_) => {}
                        _ => vals[v.index()] = eval_inst(g, v.index(), &vals, &mut statuses, 1),
                    }
                }
                if let (Some(prog), true) = (&stage.chunk, n > 0) {
                    let jit = self.jits[k_stage].as_ref();
                    let partials = self.run_chunks(prog, jit, n, &ins, &mut outs, &vals);
                    for &(s, e, slot) in &stage.sums {
                        let slot = slot as usize;
                        vals[s.index()] = match e {
                            Elem::F32 => Col::F32(vec![partials.iter().fold(0.0, |acc, p| acc + p.f32[slot])]),
                            _ => Col::F64(vec![partials.iter().fold(0.0, |acc, p| acc + p.f64[slot])]),
                        };
                    }
                } else {
                    for &(s, e, _) in &stage.sums {
                        vals[s.index()] = match e {
                            Elem::F32 => Col::F32(vec![0.0]),
                            _ => Col::F64(vec![0.0]),
                        };
                    }
                }
            }
        }
        for (k, target) in outputs.iter_mut().enumerate() {
            let v = g.outputs[k].value;
            if g.ty(v).shape != Shape::Scalar {
                continue;
            }
            match (target, &vals[v.index()]) {
                (TensorMut::F64(a), Col::F64(x)) => a.fill(x[0]),
                (TensorMut::F32(a), Col::F32(x)) => a.fill(x[0]),
                (TensorMut::Bool(a), Col::Bool(x)) => a.fill(x[0]),
                (TensorMut::Status(a), Col::Status(x)) => a.fill(x[0]),
                _ => unreachable!("checked: output kinds"),
            }
        }
        for (k, t) in temps {
            match (&mut outputs[k], t) {
                (TensorMut::F64(a), Tensor::F64(t)) => a.assign(&t),
                (TensorMut::F32(a), Tensor::F32(t)) => a.assign(&t),
                (TensorMut::Bool(a), Tensor::Bool(t)) => a.assign(&t),
                (TensorMut::Status(a), Tensor::Status(t)) => a.assign(&t),
                _ => unreachable!("checked: output kinds"),
            }
        }
        Ok(())
    }

    /// Runs a chunk program over all `n` lanes; returns the partial sums of each chunk, in chunk order.
    fn run_chunks(
        &self,
        prog: &ChunkProgram,
        jit: Option<&StageCode>,
        n: usize,
        ins: &InBanks<'_>,
        outs: &mut OutBanks<'_>,
        vals: &[Col],
    ) -> Vec<Partial> {
        let chunk = self.opts.chunk;
        let n_chunks = n.div_ceil(chunk);
        let threads = match self.opts.threads {
            Threads::Single => 1,
            Threads::Rayon => rayon::current_num_threads(),
        };
        // Tasks of whole chunks: enough for load balance (roots vary per lane), none smaller than `min_task`.
        let max_tasks = (n / self.opts.min_task.max(1)).max(1);
        let n_tasks = (threads * 4).min(max_tasks).min(n_chunks).max(1);
        let chunks_per_task = n_chunks.div_ceil(n_tasks);
        let task_len = chunks_per_task * chunk;
        let task_outs = outs.split(task_len, n);
        // The uniform tables of the machine code, once per call.
        let uniform = |v: u32| match &vals[v as usize] {
            Col::F64(x) => x[0],
            _ => unreachable!("verified: f64 uniform operands"),
        };
        let tables: Vec<Vec<f64>> = match jit {
            Some(StageCode::Whole(j)) => vec![j.table(uniform)],
            Some(StageCode::Runs(runs)) => runs.iter().map(|(_, _, j)| j.table(uniform)).collect(),
            None => Vec::new(),
        };
        let work = |(t, mut to): (usize, OutBanks<'_>)| -> Vec<Partial> {
            let base = t * task_len;
            let len = task_len.min(n - base);
            // Machine code for the whole program runs the task's lanes in groups of 4 (no temporaries, so no
            // chunks); the slice loops run the rest.
            let mut off = 0;
            let mut runs: &[(usize, usize, jit::JitProgram)] = &[];
            match jit {
                Some(StageCode::Whole(j)) => {
                    off = len / 4 * 4;
                    let mut a = jit::Arrays {
                        ins: &ins.f64,
                        in_off: base,
                        outs_f64: &mut to.f64,
                        outs_bool: &mut to.b,
                        out_off: 0,
                        regs_f64: &mut [],
                        regs_bool: &mut [],
                        state: &mut [],
                        flags: &mut [],
                    };
                    j.run(&mut a, &tables[0], off);
                    if off == len {
                        return Vec::new();
                    }
                }
                Some(StageCode::Runs(r)) => runs = r,
                None => {}
            }
            // Registers as long as a chunk, or as the task when it is shorter (a small batch zeroes and allocates
            // only what it uses).
            let mut fr = Frame::new(prog, ins, &mut to, vals, base, chunk.min(len - off), self.opts.isa);
            if runs.iter().any(|(_, _, j)| j.is_root()) {
                // Room to start the state on a cache line (see `exec_runs`).
                fr.state = vec![0.0; jit::STATE_LEN + 8];
                fr.flags = vec![0; chunk.min(len - off)];
            }
            let mut parts = Vec::with_capacity((len - off).div_ceil(chunk));
            while off < len {
                fr.off = off;
                fr.len = chunk.min(len - off);
                fr.sums_f64.iter_mut().for_each(|s| *s = 0.0);
                fr.sums_f32.iter_mut().for_each(|s| *s = 0.0);
                exec_runs(&prog.instrs, runs, &tables, &mut fr);
                parts.push(Partial { f64: fr.sums_f64.clone(), f32: fr.sums_f32.clone() });
                off += chunk;
            }
            parts
        };
        let per_task: Vec<Vec<Partial>> = if n_tasks == 1 {
            task_outs.into_iter().enumerate().map(work).collect()
        } else {
            task_outs.into_par_iter().enumerate().map(work).collect()
        };
        per_task.into_iter().flatten().collect()
    }
}

fn a_slice<T>(a: &ndarray::ArrayBase<impl ndarray::Data<Elem = T>, ndarray::IxDyn>) -> &[T] {
    a.as_slice().expect("contiguous (non-contiguous inputs are copied)")
}

fn slice_mut<'a, T>(a: &'a mut ArrayViewMutD<'_, T>) -> &'a mut [T] {
    a.as_slice_mut().expect("contiguous (non-contiguous outputs go through a temporary)")
}

/// Runs a chunk program on the current chunk: the compiled runs of instructions as machine code (whole groups
/// of 4 lanes; the slice loops do a chunk's last few lanes, at register offset `roff`), the others as slice loops.
fn exec_runs(instrs: &[Instr], runs: &[(usize, usize, jit::JitProgram)], tables: &[Vec<f64>], fr: &mut Frame<'_, '_>) {
    let mut next = 0;
    for ((first, end, code), table) in runs.iter().zip(tables) {
        for i in &instrs[next..*first] {
            exec(i, fr);
        }
        let n4 = fr.len / code.step * code.step;
        // A root's state is stored and reloaded every step: aligned to a cache line, no access is split across
        // two lines (which made the timing depend on where the allocator put the array).
        let skip = fr.state.as_ptr().align_offset(64).min(fr.state.len().saturating_sub(jit::STATE_LEN));
        let mut a = jit::Arrays {
            ins: &fr.ins.f64,
            in_off: fr.base + fr.off,
            outs_f64: &mut fr.outs.f64,
            outs_bool: &mut fr.outs.b,
            out_off: fr.off,
            regs_f64: &mut fr.regs.f64,
            regs_bool: &mut fr.regs.b,
            state: &mut fr.state[skip..],
            flags: &mut fr.flags,
        };
        code.run(&mut a, table, n4);
        if let Some(loc) = code.status {
            let flags = std::mem::take(&mut fr.flags);
            with_dst::<RootStatus>(fr, loc, |d, _| {
                for (s, &f) in d[..n4].iter_mut().zip(&flags) {
                    *s = jit_root::status(f);
                }
            });
            fr.flags = flags;
        }
        if n4 < fr.len {
            let (off, len) = (fr.off, fr.len);
            (fr.off, fr.len, fr.roff) = (off + n4, len - n4, n4);
            for i in &instrs[*first..*end] {
                exec(i, fr);
            }
            (fr.off, fr.len, fr.roff) = (off, len, 0);
        }
        next = *end;
    }
    for i in &instrs[next..] {
        exec(i, fr);
    }
}

/// The partial sums of one chunk.
#[derive(Clone, Debug)]
struct Partial {
    f64: Vec<f64>,
    f32: Vec<f32>,
}

/// Input arrays by kind, indexed by input number (empty for inputs of other kinds or scalars).
#[derive(Default)]
struct InBanks<'a> {
    f64: Vec<&'a [f64]>,
    f32: Vec<&'a [f32]>,
    b: Vec<&'a [bool]>,
    st: Vec<&'a [RootStatus]>,
}

/// Output buffers by kind, indexed by output number (empty for outputs of other kinds or scalars).
#[derive(Default)]
struct OutBanks<'a> {
    f64: Vec<&'a mut [f64]>,
    f32: Vec<&'a mut [f32]>,
    b: Vec<&'a mut [bool]>,
    st: Vec<&'a mut [RootStatus]>,
}

impl<'a> OutBanks<'a> {
    fn push_empty(&mut self) {
        self.f64.push(&mut []);
        self.f32.push(&mut []);
        self.b.push(&mut []);
        self.st.push(&mut []);
    }
    fn push_f64(&mut self, s: &'a mut [f64]) {
        self.push_empty();
        *self.f64.last_mut().expect("pushed") = s;
    }
    fn push_f32(&mut self, s: &'a mut [f32]) {
        self.push_empty();
        *self.f32.last_mut().expect("pushed") = s;
    }
    fn push_b(&mut self, s: &'a mut [bool]) {
        self.push_empty();
        *self.b.last_mut().expect("pushed") = s;
    }
    fn push_st(&mut self, s: &'a mut [RootStatus]) {
        self.push_empty();
        *self.st.last_mut().expect("pushed") = s;
    }

    /// Splits every buffer into pieces of `task_len` lanes, one bank per task (reborrowed: the banks are whole
    /// again when the pieces are dropped).
    fn split(&mut self, task_len: usize, n: usize) -> Vec<OutBanks<'_>> {
        fn spread<'s, T>(
            bufs: &'s mut [&mut [T]],
            tasks: &mut [OutBanks<'s>],
            task_len: usize,
            pick: impl for<'t> Fn(&'t mut OutBanks<'s>) -> &'t mut Vec<&'s mut [T]>,
        ) {
            for buf in bufs {
                let mut pieces: Vec<&'s mut [T]> =
                    if buf.is_empty() { Vec::new() } else { buf.chunks_mut(task_len).collect() };
                pieces.reverse();
                for t in tasks.iter_mut() {
                    pick(t).push(pieces.pop().unwrap_or(&mut []));
                }
            }
        }
        let n_tasks = n.div_ceil(task_len).max(1);
        let mut tasks: Vec<OutBanks<'_>> = (0..n_tasks).map(|_| OutBanks::default()).collect();
        spread(&mut self.f64, &mut tasks, task_len, |t| &mut t.f64);
        spread(&mut self.f32, &mut tasks, task_len, |t| &mut t.f32);
        spread(&mut self.b, &mut tasks, task_len, |t| &mut t.b);
        spread(&mut self.st, &mut tasks, task_len, |t| &mut t.st);
        tasks
    }
}

/// A slot of one kind's register file, input bank and output bank.
trait Kind: Copy + Default + Send + Sync + 'static {
    fn regs<'f>(fr: &'f Frame<'_, '_>) -> &'f [Vec<Self>];
    fn regs_mut<'f>(fr: &'f mut Frame<'_, '_>) -> &'f mut Vec<Vec<Self>>;
    fn ins<'f>(fr: &'f Frame<'_, '_>) -> &'f [&'f [Self]];
    fn outs<'f, 'o>(fr: &'f Frame<'_, 'o>) -> &'f [&'o mut [Self]];
    fn outs_mut<'f, 'o>(fr: &'f mut Frame<'_, 'o>) -> &'f mut Vec<&'o mut [Self]>;
    fn uni(c: &Col) -> Self;
}

macro_rules! impl_kind {
    ($t:ty, $field:ident, $col:ident) => {
        impl Kind for $t {
            fn regs<'f>(fr: &'f Frame<'_, '_>) -> &'f [Vec<Self>] {
                &fr.regs.$field
            }
            fn regs_mut<'f>(fr: &'f mut Frame<'_, '_>) -> &'f mut Vec<Vec<Self>> {
                &mut fr.regs.$field
            }
            fn ins<'f>(fr: &'f Frame<'_, '_>) -> &'f [&'f [Self]] {
                &fr.ins.$field
            }
            fn outs<'f, 'o>(fr: &'f Frame<'_, 'o>) -> &'f [&'o mut [Self]] {
                &fr.outs.$field
            }
            fn outs_mut<'f, 'o>(fr: &'f mut Frame<'_, 'o>) -> &'f mut Vec<&'o mut [Self]> {
                &mut fr.outs.$field
            }
            fn uni(c: &Col) -> Self {
                match c {
                    Col::$col(v) => v[0],
                    _ => unreachable!("verified: uniform kinds"),
                }
            }
        }
    };
}

/// Chunk-sized registers by kind.
#[derive(Default)]
struct Regs {
    f64: Vec<Vec<f64>>,
    f32: Vec<Vec<f32>>,
    b: Vec<Vec<bool>>,
    st: Vec<Vec<RootStatus>>,
}

/// Everything an instruction can read or write, for the current chunk of a task.
struct Frame<'a, 'o> {
    regs: Regs,
    ins: &'a InBanks<'a>,
    outs: &'a mut OutBanks<'o>,
    vals: &'a [Col],
    /// The task's first lane (absolute).
    base: usize,
    /// The chunk's first lane, relative to the task.
    off: usize,
    /// The chunk's length.
    len: usize,
    /// The first register lane of the chunk's lanes (0, except while the slice loops finish a chunk's last lanes
    /// after machine code did the others).
    roff: usize,
    /// Scratch of machine-code roots: the iteration state, and the outcome per lane of the chunk.
    state: Vec<f64>,
    flags: Vec<u8>,
    sums_f64: Vec<f64>,
    sums_f32: Vec<f32>,
    /// The instruction set of the float kernels (resolved).
    isa: Isa,
}

impl_kind!(f64, f64, F64);
impl_kind!(f32, f32, F32);
impl_kind!(bool, b, Bool);
impl_kind!(RootStatus, st, Status);

impl<'a, 'o> Frame<'a, 'o> {
    fn new(
        prog: &ChunkProgram,
        ins: &'a InBanks<'a>,
        outs: &'a mut OutBanks<'o>,
        vals: &'a [Col],
        base: usize,
        chunk: usize,
        isa: Isa,
    ) -> Self {
        let regs = REG_POOL.with_borrow_mut(|pool| Regs {
            f64: take_regs(&mut pool.f64, prog.n_regs[0], chunk, 0.0),
            f32: take_regs(&mut pool.f32, prog.n_regs[1], chunk, 0.0),
            b: take_regs(&mut pool.b, prog.n_regs[2], chunk, false),
            st: take_regs(&mut pool.st, prog.n_regs[3], chunk, RootStatus::Converged),
        });
        Self {
            regs,
            ins,
            outs,
            vals,
            base,
            off: 0,
            len: 0,
            roff: 0,
            state: Vec::new(),
            flags: Vec::new(),
            sums_f64: vec![0.0; prog.n_sums[0]],
            sums_f32: vec![0.0; prog.n_sums[1]],
            isa,
        }
    }
}

impl Drop for Frame<'_, '_> {
    fn drop(&mut self) {
        let regs = std::mem::take(&mut self.regs);
        REG_POOL.with_borrow_mut(|pool| {
            give_regs(&mut pool.f64, regs.f64);
            give_regs(&mut pool.f32, regs.f32);
            give_regs(&mut pool.b, regs.b);
            give_regs(&mut pool.st, regs.st);
        });
    }
}

thread_local! {
    /// Chunk registers of finished runs on this thread, reused by the next run (a run over a small batch would
    /// otherwise spend most of its time allocating and zeroing them). Their stale contents are never read: every
    /// instruction writes its result's lanes before any instruction reads them.
    static REG_POOL: std::cell::RefCell<Regs> = std::cell::RefCell::new(Regs::default());
}

/// Registers kept per kind and thread, and the largest kept (in elements): enough for the executors of a
/// training loop, bounded so that a huge chunk size does not stay allocated.
const POOL_REGS: usize = 64;
const POOL_MAX_LEN: usize = 1 << 16;

/// `n` registers of `len` elements, from the pool where it has them (contents unspecified).
fn take_regs<T: Copy>(pool: &mut Vec<Vec<T>>, n: usize, len: usize, fill: T) -> Vec<Vec<T>> {
    (0..n)
        .map(|_| {
            let mut v = pool.pop().unwrap_or_default();
            v.resize(len, fill);
            v
        })
        .collect()
}

fn give_regs<T>(pool: &mut Vec<Vec<T>>, regs: Vec<Vec<T>>) {
    for v in regs {
        if pool.len() < POOL_REGS && v.len() <= POOL_MAX_LEN && v.capacity() > 0 {
            pool.push(v);
        }
    }
}

/// An operand of the current chunk.
fn arg<'f, T: Kind>(fr: &'f Frame<'_, '_>, loc: Loc) -> Arg<'f, T> {
    let (off, len) = (fr.off, fr.len);
    match loc {
        Loc::Reg(r) => Arg::Lanes(&T::regs(fr)[r as usize][fr.roff..fr.roff + len]),
        Loc::Out(k) => Arg::Lanes(&T::outs(fr)[k as usize][off..off + len]),
        Loc::In(k) => {
            let start = fr.base + off;
            Arg::Lanes(&T::ins(fr)[k as usize][start..start + len])
        }
        Loc::Uni(v) => Arg::Splat(T::uni(&fr.vals[v as usize])),
    }
}

/// A result location taken out of the frame while an instruction writes it (so that operands can be borrowed
/// from the frame at the same time; a result is never one of its own op's operands).
enum Hole<'o, T> {
    Reg(u32, Vec<T>),
    Out(u32, &'o mut [T]),
}

impl<T> Hole<'_, T> {
    fn slice(&mut self, off: usize, roff: usize, len: usize) -> &mut [T] {
        match self {
            Self::Reg(_, v) => &mut v[roff..roff + len],
            Self::Out(_, s) => &mut s[off..off + len],
        }
    }
}

fn take<'o, T: Kind>(fr: &mut Frame<'_, 'o>, loc: Loc) -> Hole<'o, T> {
    match loc {
        Loc::Reg(r) => Hole::Reg(r, std::mem::take(&mut T::regs_mut(fr)[r as usize])),
        Loc::Out(k) => Hole::Out(k, std::mem::take(&mut T::outs_mut(fr)[k as usize])),
        Loc::In(_) | Loc::Uni(_) => unreachable!("results go to registers or outputs"),
    }
}

fn put<'o, T: Kind>(fr: &mut Frame<'_, 'o>, hole: Hole<'o, T>) {
    match hole {
        Hole::Reg(r, v) => T::regs_mut(fr)[r as usize] = v,
        Hole::Out(k, s) => T::outs_mut(fr)[k as usize] = s,
    }
}

/// Runs `f(dst, frame)` with the result location of kind `U` taken out of the frame.
#[inline]
fn with_dst<U: Kind>(fr: &mut Frame<'_, '_>, dst: Loc, f: impl FnOnce(&mut [U], &Frame<'_, '_>)) {
    let mut h = take::<U>(fr, dst);
    f(h.slice(fr.off, fr.roff, fr.len), fr);
    put(fr, h);
}

fn exec(i: &Instr, fr: &mut Frame<'_, '_>) {
    match i {
        Instr::F64(fi) => exec_float(fi, fr),
        Instr::F32(fi) => exec_float(fi, fr),
        Instr::Bool { op, a, b, dst } => with_dst::<bool>(fr, *dst, |d, fr| match op {
            BoolOp::And => kernels::map2(d, arg(fr, *a), arg(fr, *b), |x: bool, y| x && y),
            BoolOp::Or => kernels::map2(d, arg(fr, *a), arg(fr, *b), |x: bool, y| x || y),
        }),
        Instr::Not { a, dst } => with_dst::<bool>(fr, *dst, |d, fr| kernels::map1(d, arg(fr, *a), |x: bool| !x)),
        Instr::SelectMask { c, a, b, dst } => {
            with_dst::<bool>(fr, *dst, |d, fr| kernels::select(d, arg(fr, *c), arg(fr, *a), arg(fr, *b)));
        }
        Instr::SelectStatus { c, a, b, dst } => {
            with_dst::<RootStatus>(fr, *dst, |d, fr| kernels::select(d, arg(fr, *c), arg(fr, *a), arg(fr, *b)));
        }
        Instr::Cast64To32 { a, dst } => {
            with_dst::<f32>(fr, *dst, |d, fr| kernels::map1(d, arg::<f64>(fr, *a), f32::from_f64));
        }
        Instr::Cast32To64 { a, dst } => {
            with_dst::<f64>(fr, *dst, |d, fr| kernels::map1(d, arg::<f32>(fr, *a), f64::from));
        }
        Instr::Converged { a, dst } => with_dst::<bool>(fr, *dst, |d, fr| {
            kernels::map1(d, arg::<RootStatus>(fr, *a), RootStatus::is_converged);
        }),
        Instr::Copy { elem, src, dst } => match elem {
            Elem::F64 => copy::<f64>(fr, *src, *dst),
            Elem::F32 => copy::<f32>(fr, *src, *dst),
            Elem::Bool => copy::<bool>(fr, *src, *dst),
            Elem::Status => copy::<RootStatus>(fr, *src, *dst),
        },
    }
}

fn copy<T: Kind>(fr: &mut Frame<'_, '_>, src: Loc, dst: Loc) {
    with_dst::<T>(fr, dst, |d, fr| kernels::map1(d, arg::<T>(fr, src), |x| x));
}

fn exec_float<T: lanes::Lane + Kind + Partials>(fi: &FInstr<T>, fr: &mut Frame<'_, '_>) {
    match fi {
        FInstr::Unary { op, a, dst } => with_dst::<T>(fr, *dst, |d, fr| isa::unary(fr.isa, *op, d, arg(fr, *a))),
        FInstr::Powi { k, a, dst } => with_dst::<T>(fr, *dst, |d, fr| isa::powi(fr.isa, *k, d, arg(fr, *a))),
        FInstr::Binary { op, a, b, dst } => {
            with_dst::<T>(fr, *dst, |d, fr| isa::binary(fr.isa, *op, d, arg(fr, *a), arg(fr, *b)));
        }
        FInstr::Cmp { op, a, b, dst } => {
            with_dst::<bool>(fr, *dst, |d, fr| isa::compare(fr.isa, *op, d, arg::<T>(fr, *a), arg::<T>(fr, *b)));
        }
        FInstr::Select { c, a, b, dst } => {
            with_dst::<T>(fr, *dst, |d, fr| isa::select_float(fr.isa, d, arg(fr, *c), arg(fr, *a), arg(fr, *b)));
        }
        FInstr::SelectCmp { op, x, y, a, b, dst } => with_dst::<T>(fr, *dst, |d, fr| {
            isa::select_cmp(fr.isa, *op, d, arg(fr, *x), arg(fr, *y), arg(fr, *a), arg(fr, *b));
        }),
        FInstr::Fused(fz) => with_dst::<T>(fr, fz.dst, |d, fr| {
            let prep = |p: &plan::Prep| kernels::PrepArg {
                x: arg(fr, p.base),
                square: p.square,
                full: p.scale.is_some() || p.sign.clear || p.sign.flip,
                scale: p.scale.map_or(T::ONE, |s| match arg::<T>(fr, s) {
                    Arg::Splat(v) => v,
                    Arg::Lanes(_) => unreachable!("scales are uniform"),
                }),
                and: if p.sign.clear { !T::SIGN } else { T::ONES },
                xor: if p.sign.flip { T::SIGN } else { T::NONE },
            };
            let post = kernels::Post {
                sqrt: fz.sqrt,
                signed: fz.sign.clear || fz.sign.flip,
                and: if fz.sign.clear { !T::SIGN } else { T::ONES },
                xor: if fz.sign.flip { T::SIGN } else { T::NONE },
            };
            isa::fused(fr.isa, fz.op, d, &prep(&fz.a), &prep(&fz.b), &post);
        }),
        FInstr::Sum { a, slot } => {
            let s = match arg::<T>(fr, *a) {
                Arg::Lanes(x) => x.iter().fold(T::ZERO, |acc, &v| acc + v),
                Arg::Splat(_) => unreachable!("sums read batches"),
            };
            T::add_partial(fr, *slot as usize, s);
        }
        FInstr::Root(r) => exec_root(r, fr),
    }
}

/// Partial-sum slots by float kind.
trait Partials {
    fn add_partial(fr: &mut Frame<'_, '_>, slot: usize, s: Self);
}

impl Partials for f64 {
    fn add_partial(fr: &mut Frame<'_, '_>, slot: usize, s: Self) {
        fr.sums_f64[slot] = s;
    }
}

impl Partials for f32 {
    fn add_partial(fr: &mut Frame<'_, '_>, slot: usize, s: Self) {
        fr.sums_f32[slot] = s;
    }
}

/// Lanes `start..start + LANES` of an operand (lanes past the end repeat the last lane; they are never used).
#[inline]
fn gather<T: Copy>(a: Arg<'_, T>, start: usize, lanes: usize) -> Lanes<T> {
    match a {
        Arg::Lanes(s) if lanes == LANES => s[start..start + LANES].try_into().expect("a whole block"),
        Arg::Lanes(s) => lanes::lanes_from_fn(|l| s[start + l.min(lanes - 1)]),
        Arg::Splat(v) => [v; LANES],
    }
}

fn exec_root<T: lanes::Lane + Kind>(r: &RootInstr<T>, fr: &mut Frame<'_, '_>) {
    let mut hy = take::<T>(fr, r.dst);
    let mut hs = r.status.map(|s| take::<RootStatus>(fr, s));
    let (off, roff, len) = (fr.off, fr.roff, fr.len);
    {
        let ys = hy.slice(off, roff, len);
        let mut st = hs.as_mut().map(|h| h.slice(off, roff, len));
        let mut regs = r.prog.registers();
        let params: Vec<Arg<'_, T>> = r.params.iter().map(|&p| arg(fr, p)).collect();
        debug_assert_eq!(params.len(), r.prog.n_params());
        let guess = r.guess.map(|g| arg::<T>(fr, g));
        let bracket = r.bracket.map(|(a, b)| (arg::<T>(fr, a), arg::<T>(fr, b)));
        let mut start = 0;
        while start < len {
            let lanes = LANES.min(len - start);
            for (k, &p) in params.iter().enumerate() {
                BlockProgram::set_param(&mut regs, k, gather(p, start, lanes));
            }
            let bs = match (guess, bracket) {
                (Some(g), None) => BlockStart::Guess(gather(g, start, lanes)),
                (None, Some((a, b))) => BlockStart::Bracket(gather(a, start, lanes), gather(b, start, lanes)),
                (Some(g), Some((a, b))) => BlockStart::GuessInBracket(
                    gather(g, start, lanes),
                    gather(a, start, lanes),
                    gather(b, start, lanes),
                ),
                (None, None) => unreachable!("verified: a root has a start"),
            };
            let (y, s) = isa::root_block(fr.isa, &r.prog, &mut regs, &bs, lanes, r.tol, r.max_iter);
            ys[start..start + lanes].copy_from_slice(&y[..lanes]);
            if let Some(st) = st.as_mut() {
                st[start..start + lanes].copy_from_slice(&s[..lanes]);
            }
            start += LANES;
        }
    }
    put(fr, hy);
    if let Some(h) = hs {
        put(fr, h);
    }
}
