//! The executor's `root` op: residual graphs compiled to programs over blocks of lanes, and the blocked
//! safeguarded Newton iteration.
//!
//! A block is [`LANES`] lanes held in fixed-size arrays, so every residual op is a short loop that the compiler
//! unrolls and vectorises. All lanes of a block iterate together; a lane that has finished (converged or failed)
//! is frozen: its state is no longer updated, although the residual is still evaluated on it. The decisions
//! per lane are exactly those of [`crate::root::solve_lane`], in the same order and with the same arithmetic,
//! so the results are bit-identical to the reference interpreter's. (The rust-limit measurements found blocks
//! of 8 lanes with frozen lanes about 7x faster than one data-dependent Newton loop per lane.) A block is 32 lanes
//! wide: each residual instruction is dispatched once per block, so a wider block spreads that cost over more
//! lanes and gives the out-of-order core 16 independent SSE2 chains per operation, at the price of iterating until
//! the slowest of 32 lanes is done (on the quintic benchmark, 6% fewer instructions per point than 8-lane blocks
//! under callgrind, and 10-20% less time in noisy timings).
//!
//! The residual program is split once, at compile time, into the part that does not depend on the unknown `y`
//! (computed once per block, before the iteration: loop-invariant code motion) and the part that does
//! (computed at each step).

use super::kernels::{with_binary, with_cmp, with_powi, with_unary};
use super::lanes::{Lane, lanes_from_fn, map_lanes};
use crate::graph::Graph;
use crate::op::{BinOp, BoolOp, CmpOp, Inst, UnOp};
use crate::root::RootStatus;
use crate::types::Elem;

/// The number of lanes in a block.
pub(crate) const LANES: usize = 32;

/// One value per lane of a block.
pub(crate) type Lanes<T> = [T; LANES];

/// A block register aligned to a cache line, so that loading or storing it never straddles two lines (an
/// unaligned heap buffer made every register access split, and the timing depend on where the allocator put it).
#[derive(Copy, Clone, Debug)]
#[repr(C, align(64))]
pub(crate) struct Aligned<T>(pub(crate) Lanes<T>);

/// An instruction of a residual program; operands and results are register numbers (float registers, except
/// where a mask is named).
#[derive(Clone, Debug)]
pub(crate) enum BInstr {
    Unary(UnOp, u32, u32),
    Powi(u32, i32, u32),
    Binary(BinOp, u32, u32, u32),
    /// Comparison of float registers into a mask register.
    Cmp(CmpOp, u32, u32, u32),
    /// Mask registers.
    Bool(BoolOp, u32, u32, u32),
    /// Mask registers.
    Not(u32, u32),
    /// Mask condition, float branches.
    Select(u32, u32, u32, u32),
    /// Mask condition, mask branches.
    SelectMask(u32, u32, u32, u32),
}

/// A residual graph compiled for blocks: float register 0 is `y`, registers `1..=k` the parameters.
#[derive(Clone, Debug)]
pub(crate) struct BlockProgram<T> {
    n_float: usize,
    n_mask: usize,
    consts: Vec<(u32, T)>,
    mask_consts: Vec<(u32, bool)>,
    n_params: usize,
    /// Instructions that do not depend on `y`.
    pre: Vec<BInstr>,
    /// Instructions that depend on `y`.
    body: Vec<BInstr>,
    f: u32,
    df: u32,
}

/// A residual program's parts: the float constants `(register, value)`, the mask constants, the instructions
/// that do not depend on `y` and those that do, and the registers of `F` and `dF/dy`.
pub(crate) struct Parts<'p, T> {
    pub consts: &'p [(u32, T)],
    pub mask_consts: &'p [(u32, bool)],
    pub pre: &'p [BInstr],
    pub body: &'p [BInstr],
    pub f: u32,
    pub df: u32,
    /// The number of float registers (numbers from here on are free).
    pub n_float: usize,
}

/// The registers of one block.
#[derive(Clone, Debug)]
pub(crate) struct BlockRegs<T> {
    float: Vec<Aligned<T>>,
    mask: Vec<Lanes<bool>>,
}

impl<T: Lane> BlockProgram<T> {
    /// Compiles a verified residual graph of kind `T`.
    pub(crate) fn compile(res: &Graph) -> Self {
        #[derive(Copy, Clone)]
        enum Reg {
            F(u32),
            M(u32),
        }
        let mut regs: Vec<Reg> = Vec::with_capacity(res.len());
        let mut depends = vec![false; res.len()];
        let (mut n_float, mut n_mask) = (res.inputs.len(), 0_usize);
        let mut consts = Vec::new();
        let mut mask_consts = Vec::new();
        let (mut pre, mut body) = (Vec::new(), Vec::new());
        let to_u32 = |x: usize| u32::try_from(x).expect("residual programs are small");
        for (i, inst) in res.insts.iter().enumerate() {
            let elem = res.types[i].elem;
            let mut dep = false;
            inst.for_each_operand(|v| dep |= depends[v.index()]);
            let reg = if let Inst::Input { index } = inst {
                dep = *index == 0;
                Reg::F(*index)
            } else if elem == Elem::Bool {
                n_mask += 1;
                Reg::M(to_u32(n_mask - 1))
            } else {
                n_float += 1;
                Reg::F(to_u32(n_float - 1))
            };
            depends[i] = dep;
            regs.push(reg);
            let f = |v: crate::types::Value| match regs[v.index()] {
                Reg::F(r) | Reg::M(r) => r,
            };
            let d = match reg {
                Reg::F(r) | Reg::M(r) => r,
            };
            let instr = match inst {
                Inst::Input { .. } => None,
                Inst::Const { bits, .. } => {
                    consts.push((d, T::from_f64(f64::from_bits(*bits))));
                    None
                }
                Inst::ConstBool(b) => {
                    mask_consts.push((d, *b));
                    None
                }
                Inst::Unary(op, a) => Some(BInstr::Unary(*op, f(*a), d)),
                Inst::Powi(a, k) => Some(BInstr::Powi(f(*a), *k, d)),
                Inst::Binary(op, a, b) => Some(BInstr::Binary(*op, f(*a), f(*b), d)),
                Inst::Cmp(op, a, b) => Some(BInstr::Cmp(*op, f(*a), f(*b), d)),
                Inst::Bool(op, a, b) => Some(BInstr::Bool(*op, f(*a), f(*b), d)),
                Inst::Not(a) => Some(BInstr::Not(f(*a), d)),
                Inst::Select(c, a, b) => Some(if elem == Elem::Bool {
                    BInstr::SelectMask(f(*c), f(*a), f(*b), d)
                } else {
                    BInstr::Select(f(*c), f(*a), f(*b), d)
                }),
                Inst::Cast(..) | Inst::Sum(_) | Inst::Root(_) | Inst::RootStatus(_) | Inst::Converged(_) => {
                    unreachable!("verified: not in a residual")
                }
            };
            if let Some(instr) = instr {
                if dep { body.push(instr) } else { pre.push(instr) }
            }
        }
        let out = |k: usize| match regs[res.outputs[k].value.index()] {
            Reg::F(r) | Reg::M(r) => r,
        };
        Self { n_float, n_mask, consts, mask_consts, n_params: res.inputs.len() - 1, pre, body, f: out(0), df: out(1) }
    }

    /// Fresh registers with the constants in place.
    pub(crate) fn registers(&self) -> BlockRegs<T> {
        let mut r =
            BlockRegs { float: vec![Aligned([T::ZERO; LANES]); self.n_float], mask: vec![[false; LANES]; self.n_mask] };
        for &(d, c) in &self.consts {
            r.float[d as usize].0 = [c; LANES];
        }
        for &(d, c) in &self.mask_consts {
            r.mask[d as usize] = [c; LANES];
        }
        r
    }

    /// The parts of the program, for the machine code of roots.
    pub(crate) fn parts(&self) -> Parts<'_, T> {
        Parts {
            consts: &self.consts,
            mask_consts: &self.mask_consts,
            pre: &self.pre,
            body: &self.body,
            f: self.f,
            df: self.df,
            n_float: self.n_float,
        }
    }

    /// The number of parameters.
    pub(crate) fn n_params(&self) -> usize {
        self.n_params
    }

    /// Sets parameter `k` (0-based) of the block.
    pub(crate) fn set_param(regs: &mut BlockRegs<T>, k: usize, v: Lanes<T>) {
        regs.float[k + 1].0 = v;
    }

    /// Computes the part of the residual that does not depend on `y` (after the parameters are set).
    #[inline(always)]
    pub(crate) fn prepare(&self, regs: &mut BlockRegs<T>) {
        for i in &self.pre {
            exec(i, regs);
        }
    }

    /// `(F(y), dF/dy(y))` for each lane, as references into the registers (copying them out cost a few percent of
    /// a root's time).
    #[inline(always)]
    pub(crate) fn eval<'r>(&self, regs: &'r mut BlockRegs<T>, y: Lanes<T>) -> (&'r Lanes<T>, &'r Lanes<T>) {
        regs.float[0].0 = y;
        for i in &self.body {
            exec(i, regs);
        }
        (&regs.float[self.f as usize].0, &regs.float[self.df as usize].0)
    }
}

#[inline(always)]
fn blk1<T: Copy, U: Copy>(dst: &mut Lanes<U>, x: Lanes<T>, f: impl Fn(T) -> U) {
    *dst = map_lanes(&x, f);
}

#[inline(always)]
fn blk2<T: Copy, U: Copy>(dst: &mut Lanes<U>, x: Lanes<T>, y: Lanes<T>, f: impl Fn(T, T) -> U) {
    *dst = lanes_from_fn(|i| f(x[i], y[i]));
}

#[inline(always)]
fn exec<T: Lane>(i: &BInstr, r: &mut BlockRegs<T>) {
    match *i {
        BInstr::Unary(op, a, d) => {
            let x = r.float[a as usize].0;
            with_unary!(op, blk1, (&mut r.float[d as usize].0, x));
        }
        BInstr::Powi(a, k, d) => {
            let x = r.float[a as usize].0;
            with_powi!(k, blk1, (&mut r.float[d as usize].0, x));
        }
        BInstr::Binary(op, a, b, d) => {
            let (x, y) = (r.float[a as usize].0, r.float[b as usize].0);
            with_binary!(op, blk2, (&mut r.float[d as usize].0, x, y));
        }
        BInstr::Cmp(op, a, b, d) => {
            let (x, y) = (r.float[a as usize].0, r.float[b as usize].0);
            with_cmp!(op, blk2, (&mut r.mask[d as usize], x, y));
        }
        BInstr::Bool(op, a, b, d) => {
            let (x, y) = (r.mask[a as usize], r.mask[b as usize]);
            r.mask[d as usize] = match op {
                BoolOp::And => lanes_from_fn(|l| x[l] && y[l]),
                BoolOp::Or => lanes_from_fn(|l| x[l] || y[l]),
            };
        }
        BInstr::Not(a, d) => {
            let x = r.mask[a as usize];
            r.mask[d as usize] = map_lanes(&x, |b| !b);
        }
        BInstr::Select(c, a, b, d) => {
            let (m, x, y) = (r.mask[c as usize], r.float[a as usize].0, r.float[b as usize].0);
            r.float[d as usize].0 = lanes_from_fn(|l| if m[l] { x[l] } else { y[l] });
        }
        BInstr::SelectMask(c, a, b, d) => {
            let (m, x, y) = (r.mask[c as usize], r.mask[a as usize], r.mask[b as usize]);
            r.mask[d as usize] = lanes_from_fn(|l| if m[l] { x[l] } else { y[l] });
        }
    }
}

/// The start of a block's iteration.
pub(crate) enum BlockStart<T> {
    Guess(Lanes<T>),
    Bracket(Lanes<T>, Lanes<T>),
    GuessInBracket(Lanes<T>, Lanes<T>, Lanes<T>),
}

/// Solves the first `lanes` lanes of a block (parameters already set and `prepare`d): the blocked form of
/// [`crate::root::solve_lane`], decision for decision.
#[inline(always)]
pub(crate) fn solve_block<T: Lane>(
    prog: &BlockProgram<T>,
    regs: &mut BlockRegs<T>,
    start: &BlockStart<T>,
    lanes: usize,
    tol: T,
    max_iter: u32,
) -> (Lanes<T>, Lanes<RootStatus>) {
    let nan = [T::NAN; LANES];
    let mut y = nan;
    let mut status = [RootStatus::Converged; LANES];
    let mut done: Lanes<bool> = lanes_from_fn(|l| l >= lanes);
    let (mut neg, mut pos) = (nan, nan);
    let (guess, bracket) = match start {
        BlockStart::Guess(g) => (Some(g), None),
        BlockStart::Bracket(lo, hi) => (None, Some((lo, hi))),
        BlockStart::GuessInBracket(g, lo, hi) => (Some(g), Some((lo, hi))),
    };
    if let Some((lo, hi)) = bracket {
        for l in 0..LANES {
            if !(done[l] || lo[l].is_finite() && hi[l].is_finite()) {
                (y[l], status[l], done[l]) = (T::NAN, RootStatus::NoBracket, true);
            }
        }
        let flo = *prog.eval(regs, *lo).0;
        for l in 0..LANES {
            if !done[l] && flo[l] == T::ZERO {
                (y[l], status[l], done[l]) = (lo[l], RootStatus::Converged, true);
            }
        }
        let fhi = *prog.eval(regs, *hi).0;
        for l in 0..LANES {
            if done[l] {
                continue;
            }
            if fhi[l] == T::ZERO {
                (y[l], status[l], done[l]) = (hi[l], RootStatus::Converged, true);
            } else if !(flo[l].is_finite() && fhi[l].is_finite()) {
                (y[l], status[l], done[l]) = (T::NAN, RootStatus::NonFinite, true);
            } else if (flo[l] < T::ZERO) == (fhi[l] < T::ZERO) {
                (y[l], status[l], done[l]) = (T::NAN, RootStatus::NoBracket, true);
            } else {
                (neg[l], pos[l]) = if flo[l] < T::ZERO { (lo[l], hi[l]) } else { (hi[l], lo[l]) };
                let inside = |g: T| g > lo[l].min(hi[l]) && g < lo[l].max(hi[l]);
                y[l] = match guess {
                    Some(g) if inside(g[l]) => g[l],
                    _ => neg[l] + (pos[l] - neg[l]) * T::HALF,
                };
            }
        }
    } else if let Some(g) = guess {
        // The common case first, without branches: every guess finite (lanes past `lanes` are copies of the last).
        if g.iter().fold(true, |acc, &x| acc & T::finite_by_sub(x)) {
            for l in 0..LANES {
                y[l] = if done[l] { y[l] } else { g[l] };
            }
        } else {
            for l in 0..LANES {
                if done[l] {
                    continue;
                }
                y[l] = g[l];
                if !y[l].is_finite() {
                    (y[l], status[l], done[l]) = (T::NAN, RootStatus::NonFinite, true);
                }
            }
        }
    }
    // The step of `solve_lane`, written lane-parallel without branches so that it vectorises: every candidate
    // result is computed for every lane, masks are all-ones or all-zeros bit patterns as wide as `T` (so every
    // lane operation stays one SIMD lane wide), and bitwise selects keep what the scalar code's branches would
    // keep. The status code is kept as a `T`: 0 running, 1 converged, 2 non-finite, 3 singular derivative.
    //
    // The bracket is kept as "the last iterate with F < 0" (`neg`) and "the last iterate with F > 0" (`pos`), NaN
    // until seen; a lane is bracketed when both are known. This is the scalar rule in another form: with a start
    // bracket both are known from the start, and without one every iterate before the first sign change has the
    // sign of the first, so when the sign first changes `neg` and `pos` are exactly the current and the previous
    // iterate. Finiteness is tested as `x - x == 0`, which is false exactly for infinities and NaN.
    let mut m_done = T::masks(done);
    // Why lanes stopped during the iteration (a lane that stops for a reason other than these converged).
    let none = [T::NONE; LANES];
    let (mut m_non_finite, mut m_singular) = (none, none);
    for _ in 0..max_iter {
        if T::all(m_done) {
            break;
        }
        let (f, d) = prog.eval(regs, y);
        // The new `done` masks go to another array: updated in place, `m_done[l] | x` became an AVX2 masked store
        // ("set where x"), which AMD cores run slowly (about a sixth of the quintic benchmark's time).
        let mut next_done = m_done;
        // One loop over the lanes with a branch-free body, which the compiler vectorises (two f64 lanes per SSE2
        // register), keeping each lane's state in registers.
        for l in 0..LANES {
            let (fl, dl, yl) = (f[l], d[l], y[l]);
            let active = !m_done[l];
            let zero = T::mask(fl == T::ZERO);
            let finite = T::mask(T::finite_by_sub(fl) & T::finite_by_sub(dl));
            let f_neg = T::mask(fl < T::ZERO);
            let n2 = T::sel(f_neg, yl, neg[l]);
            let p2 = T::sel(f_neg, pos[l], yl);
            let width = p2 - n2;
            let tracking = T::mask(!n2.is_nan() & !p2.is_nan());
            let newton = yl - fl / dl;
            // `newton` in [min(n2, p2), max(n2, p2)] (both known when it matters), without min and max.
            let inside = T::mask(((newton >= n2) & (newton <= p2)) | ((newton >= p2) & (newton <= n2)));
            let mid = n2 + width * T::HALF;
            let next = T::sel(!inside & tracking, mid, newton);
            let singular = !tracking & T::mask(!T::finite_by_sub(newton));
            // `max(1, |next|)`, NaN-ignoring like `f64::max`: a NaN `next` gives 1 (a plain float select, which
            // compiles to one `max` instruction).
            let big = next.abs();
            let scale = T::sel(T::mask(big > T::ONE), big, T::ONE);
            let conv = T::mask((next - yl).abs() <= tol * scale);
            // Precedence of the scalar code: zero, then non-finite, then singular, then the step test.
            let live = !zero & active;
            m_non_finite[l] = m_non_finite[l] | (!finite & live);
            m_singular[l] = m_singular[l] | (singular & finite & live);
            let stop = zero | !finite | singular;
            y[l] = T::sel(!stop & active, next, yl);
            neg[l] = T::sel(active, n2, neg[l]);
            pos[l] = T::sel(active, p2, pos[l]);
            next_done[l] = m_done[l] | stop | conv;
        }
        m_done = next_done;
    }
    // Statuses other than `Converged` are rare: each fix-up loop runs only when some lane needs it.
    if !T::all(lanes_from_fn(|l| !(m_non_finite[l] | m_singular[l]))) {
        let (non_finite, singular) = (T::unmask(m_non_finite), T::unmask(m_singular));
        for l in 0..LANES {
            if non_finite[l] {
                status[l] = RootStatus::NonFinite;
            } else if singular[l] {
                status[l] = RootStatus::SingularDerivative;
            }
        }
    }
    if !T::all(m_done) {
        let done = T::unmask(m_done);
        for l in 0..LANES {
            if !done[l] {
                status[l] = RootStatus::NotConverged;
            }
        }
    }
    (y, status)
}
