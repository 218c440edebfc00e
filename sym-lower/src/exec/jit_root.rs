//! Machine code for a `root` op started from a guess: the blocked safeguarded Newton iteration of
//! [`super::block::solve_block`] with the residual evaluated in vector registers.
//!
//! The code runs blocks of [`GROUPS`] groups of 4 lanes. Each group's state (the iterate, the last iterates with
//! `F < 0` and `F > 0`, and the masks `done`, `non-finite`, `singular`) lives in a small state array; an
//! iteration evaluates the residual and takes the step for one group after the other, entirely in registers, so
//! the out-of-order core overlaps the groups' dependency chains (one group alone would wait on the latency of
//! each `vdivpd`). The block iterates until every lane is done or `max_iter` steps were taken, as the slice
//! loops' 32-lane blocks do: a finished lane is frozen, so how lanes are grouped changes no lane's result.
//!
//! Same bits as [`crate::root::solve_lane`]: every lane's iterates, and so its result and status, are those of
//! `solve_block`'s step (the comments there explain it), with the same predicates (`vcmppd` ordered comparisons
//! are Rust's `<`, `<=`, `==`; `ord` is "neither is NaN") and bitwise selects. The step reaches them with fewer
//! instructions than a literal translation (the equivalences are listed at `RootCode::step`), and the
//! residual's powers share their squares ([`super::jit::powering`]). Each lane's outcome is
//! written as a flags byte (bit 0 done, bit 1 non-finite, bit 2 singular derivative) that [`status`] turns into
//! a [`RootStatus`]. Roots with a bracket, and residuals with an op the translation does not cover, stay with the
//! slice loops.

use super::block::BInstr;
use super::jit::{
    ABS, Bank, Emitter, JitProgram, Layout, Map, ONE, R10, R11, RAX, RDI, RDX, Rm, S0, S1, S2, S3, Slot, arith,
    predicate,
};
use super::plan::{Loc, RootInstr, SignOp};
use crate::op::{BinOp, BoolOp, UnOp};
use crate::root::RootStatus;
use std::collections::HashMap;

/// Groups of 4 lanes per block. Two groups overlap enough latency; more make a block wait longer for its slowest
/// lane (quintic benchmark, scratch timings alternating builds, 100,000 points, median ns per point: 1 group
/// 10.3-10.7, 2 groups 7.4-9.7, 4 groups 10.0-12.4, 8 groups 12.1-13.5).
pub(super) const GROUPS: usize = 2;

/// The fields of a group's state, in the state array.
const Y: usize = 0;
const NEG: usize = 1;
const POS: usize = 2;
const DONE: usize = 3;
const NF: usize = 4;
const SING: usize = 5;

// General-purpose registers besides those of `jit`: the state pointer, the all-done accumulator, the iteration
// counter (and scratch at the end of a block).
const R8: u8 = 8;
const R9: u8 = 9;
const RCX: u8 = 1;

const NAN: u64 = 0x7FF8_0000_0000_0000;
const ONES: u64 = u64::MAX;
const HALF: u64 = 0x3FE0_0000_0000_0000;

/// The status of a lane from its flags byte.
pub(super) fn status(flags: u8) -> RootStatus {
    if flags & 2 != 0 {
        RootStatus::NonFinite
    } else if flags & 4 != 0 {
        RootStatus::SingularDerivative
    } else if flags & 1 == 0 {
        RootStatus::NotConverged
    } else {
        RootStatus::Converged
    }
}

/// Compiles a root started from a guess (no bracket) whose residual the translation covers.
pub(super) fn compile(r: &RootInstr<f64>, layout: Layout) -> Option<JitProgram> {
    if r.bracket.is_some() || !cfg!(all(target_arch = "x86_64", unix)) {
        return None;
    }
    if r.guess.is_none() || !matches!(r.dst, Loc::Reg(_) | Loc::Out(_)) {
        return None;
    }
    let super::block::Parts { consts, mask_consts, pre, body, f, df, n_float } = r.prog.parts();
    if !pre.iter().chain(body).all(covered) {
        return None;
    }
    // Powers written out share their squares; if that needs more registers than there are, the `powi`s as they
    // are.
    let (expanded, ef, edf) = expand_powers(pre.iter().chain(body), u32::try_from(n_float).ok()?, f, df);
    let code = RootCode { e: Emitter::bare(layout), params: &r.params, consts, mask_consts };
    code.translate(r, layout, &expanded, ef, edf).or_else(|| {
        let code = RootCode { e: Emitter::bare(layout), params: &r.params, consts, mask_consts };
        code.translate(r, layout, &pre.iter().chain(body).cloned().collect::<Vec<_>>(), f, df)
    })
}

/// Whether the translation covers a residual instruction.
fn covered(i: &BInstr) -> bool {
    match i {
        BInstr::Unary(op, ..) => matches!(op, UnOp::Neg | UnOp::Abs | UnOp::Sqrt | UnOp::Recip),
        BInstr::Powi(_, k, _) => k.unsigned_abs() <= super::jit::MAX_POWI,
        BInstr::Binary(op, ..) => arith(*op).is_some(),
        BInstr::Cmp(..) | BInstr::Bool(..) | BInstr::Not(..) | BInstr::Select(..) | BInstr::SelectMask(..) => true,
    }
}

struct RootCode<'r> {
    e: Emitter,
    params: &'r [Loc],
    consts: &'r [(u32, f64)],
    mask_consts: &'r [(u32, bool)],
}

/// A residual register: float or mask, by number.
type BReg = (bool, u32);

impl RootCode<'_> {
    /// The code for root `r` with the residual `instrs` (`F` and `dF/dy` in registers `f` and `df`), or `None`
    /// where the registers do not suffice.
    fn translate(
        mut self,
        r: &RootInstr<f64>,
        layout: Layout,
        instrs: &[BInstr],
        f: u32,
        df: u32,
    ) -> Option<JitProgram> {
        let guess = r.guess?;
        // `ymm0` holds the iterate; the others are free.
        self.e.free.retain(|&x| x != 0);
        self.e.asm.gpr_xor_eax();
        self.e.asm.mov_load(R9, RDI, layout.disp(Bank::State));
        self.e.note(Bank::State);
        let block_top = self.e.asm.b.len();
        self.mov_imm(R8, 0xF);
        for g in 0..GROUPS {
            self.init(g, guess);
        }
        self.mov_imm(RCX, r.max_iter);
        let iter_top = self.e.asm.b.len();
        // `cmp r8d, 0xF; je end; test ecx, ecx; jz end; dec ecx; mov r8d, 0xF`
        self.e.asm.b.extend_from_slice(&[0x41, 0x83, 0xF8, 0x0F]);
        let j1 = self.e.asm.jcc(0x84);
        self.e.asm.b.extend_from_slice(&[0x85, 0xC9]);
        let j2 = self.e.asm.jcc(0x84);
        self.e.asm.b.extend_from_slice(&[0xFF, 0xC9]);
        self.mov_imm(R8, 0xF);
        for g in 0..GROUPS {
            let (fr, dr) = self.eval(g, instrs, f, df)?;
            self.step(g, fr, dr, r.tol)?;
        }
        self.e.asm.jmp_back(iter_top);
        let end = self.e.asm.b.len();
        self.e.asm.patch(j1, end);
        self.e.asm.patch(j2, end);
        for g in 0..GROUPS {
            self.finish_group(g, r.dst);
        }
        // `add rax, 4 * GROUPS; cmp rax, rdx; jb block_top; vzeroupper; ret`
        self.e.asm.b.extend_from_slice(&[0x48, 0x83, 0xC0, u8::try_from(4 * GROUPS).expect("small block")]);
        self.e.asm.b.extend_from_slice(&[0x48, 0x39, 0xC0 | (RDX << 3) | RAX]);
        let j = self.e.asm.jcc(0x82);
        self.e.asm.patch(j, block_top);
        self.e.asm.b.extend_from_slice(&[0xC5, 0xF8, 0x77, 0xC3]);
        self.e.finish(4 * GROUPS, r.status)
    }

    fn mov_imm(&mut self, reg: u8, imm: u32) {
        if reg >= 8 {
            self.e.asm.b.push(0x41);
        }
        self.e.asm.b.push(0xB8 | (reg & 7));
        self.e.asm.b.extend_from_slice(&imm.to_le_bytes());
    }

    /// Field `field` of group `g`'s state.
    fn state(field: usize, g: usize) -> Rm {
        let disp = i32::try_from((g * 6 + field) * 32).expect("small state");
        Rm::Mem { base: R9, index: None, disp }
    }

    fn load_state(&mut self, reg: u8, field: usize, g: usize) {
        self.e.asm.vex(Map::X0F, 0x10, reg, 0, Self::state(field, g), None);
    }

    fn store_state(&mut self, reg: u8, field: usize, g: usize) {
        self.e.asm.vex(Map::X0F, 0x11, reg, 0, Self::state(field, g), None);
    }

    /// Four lanes of group `g` of the `f64` operand at `loc` into `scratch` (a uniform is broadcast).
    fn lanes(&mut self, loc: Loc, g: usize, scratch: u8) {
        let bank = match loc {
            Loc::In(k) => Bank::In(k),
            Loc::Out(k) => Bank::OutF64(k),
            Loc::Reg(r) => Bank::RegF64(r),
            Loc::Uni(v) => {
                self.e.broadcast(scratch, Slot::Uni(v));
                return;
            }
        };
        self.e.point(bank);
        let disp = i32::try_from(g * 32).expect("small block");
        self.e.asm.vex(Map::X0F, 0x10, scratch, 0, Rm::Mem { base: R11, index: Some(RAX), disp }, None);
    }

    fn alloc(&mut self) -> Option<u8> {
        self.e.free.pop()
    }

    fn release(&mut self, r: u8) {
        self.e.free.push(r);
    }

    fn op(&mut self, op: u8, d: u8, a: u8, b: u8) {
        self.e.op3(op, d, a, b);
    }

    fn cmp(&mut self, d: u8, a: u8, b: u8, pred: u8) {
        self.e.asm.vex(Map::X0F, 0xC2, d, a, Rm::Reg(b), Some(pred));
    }

    /// `d = mask ? a : b` (on the mask's sign bit).
    fn blend(&mut self, d: u8, mask: u8, a: u8, b: u8) {
        self.e.asm.vex(Map::X0F3A, 0x4B, d, b, Rm::Reg(a), Some(mask << 4));
    }

    fn bits(&mut self, reg: u8, bits: u64) {
        self.e.broadcast(reg, Slot::Bits(bits));
    }

    /// `done |= mask`'s lanes into the all-done accumulator: `vmovmskpd r10d, mask; and r8d, r10d`.
    fn accumulate(&mut self, mask: u8) {
        self.e.asm.vex(Map::X0F, 0x50, R10, 0, Rm::Reg(mask), None);
        self.e.asm.b.extend_from_slice(&[0x45, 0x21, 0xD0]);
    }

    /// The start of group `g`: the guess where finite, else NaN with the lane done and non-finite.
    fn init(&mut self, g: usize, guess: Loc) {
        self.lanes(guess, g, S2);
        self.op(0x5C, S0, S2, S2);
        self.bits(S1, 0);
        self.cmp(S0, S0, S1, 0x00);
        self.store_state(S1, SING, g);
        self.bits(S1, NAN);
        self.store_state(S1, NEG, g);
        self.store_state(S1, POS, g);
        self.blend(S3, S0, S2, S1);
        self.store_state(S3, Y, g);
        self.bits(S1, ONES);
        self.op(0x55, S1, S0, S1);
        self.store_state(S1, DONE, g);
        self.store_state(S1, NF, g);
        self.accumulate(S1);
    }

    /// Evaluates the residual for group `g` at its iterate (loaded into `ymm0`): the registers of `F` and `dF/dy`
    /// (allocated, never `ymm0` or a scratch register).
    fn eval(&mut self, g: usize, instrs: &[BInstr], f: u32, df: u32) -> Option<(u8, u8)> {
        self.load_state(0, Y, g);
        // Liveness: the last reader of each def; `F` and `dF/dy` are read at the end.
        let mut cur: HashMap<BReg, usize> = HashMap::new();
        let mut last_use = vec![None; instrs.len()];
        for (i, ins) in instrs.iter().enumerate() {
            let (reads, dst) = breg_keys(ins);
            for r in reads {
                if let Some(&d) = cur.get(&r) {
                    last_use[d] = Some(i);
                }
            }
            cur.insert(dst, i);
        }
        for key in [(false, f), (false, df)] {
            if let Some(&d) = cur.get(&key) {
                last_use[d] = Some(instrs.len());
            }
        }
        let mut reg_of: Vec<Option<u8>> = vec![None; instrs.len()];
        let mut now: HashMap<BReg, usize> = HashMap::new();
        for (i, ins) in instrs.iter().enumerate() {
            let (reads, dst) = breg_keys(ins);
            let d = self.alloc()?;
            let src = |c: &mut Self, key: BReg, scratch: u8, now: &HashMap<BReg, usize>| -> u8 {
                c.operand(g, key, scratch, now.get(&key).and_then(|&x| reg_of[x]))
            };
            match *ins {
                BInstr::Unary(op, a, _) => {
                    let a = src(self, (false, a), S0, &now);
                    match op {
                        UnOp::Neg => {
                            self.e.sign(d, a, SignOp { clear: false, flip: true });
                        }
                        UnOp::Abs => {
                            self.e.sign(d, a, SignOp { clear: true, flip: false });
                        }
                        UnOp::Sqrt => self.e.asm.vex(Map::X0F, 0x51, d, 0, Rm::Reg(a), None),
                        UnOp::Recip => {
                            self.bits(S3, ONE);
                            self.op(0x5E, d, S3, a);
                        }
                        _ => return None,
                    }
                }
                BInstr::Powi(a, k, _) => {
                    let a = src(self, (false, a), S0, &now);
                    self.e.powi(k, a, d)?;
                }
                BInstr::Binary(op, a, b, _) => {
                    let a = src(self, (false, a), S0, &now);
                    let b = src(self, (false, b), S1, &now);
                    self.op(arith(op)?, d, a, b);
                }
                BInstr::Cmp(op, a, b, _) => {
                    let a = src(self, (false, a), S0, &now);
                    let b = src(self, (false, b), S1, &now);
                    self.cmp(d, a, b, predicate(op));
                }
                BInstr::Bool(op, a, b, _) => {
                    let a = src(self, (true, a), S0, &now);
                    let b = src(self, (true, b), S1, &now);
                    self.op(if op == BoolOp::And { 0x54 } else { 0x56 }, d, a, b);
                }
                BInstr::Not(a, _) => {
                    let a = src(self, (true, a), S0, &now);
                    self.bits(S1, ONES);
                    self.op(0x57, d, a, S1);
                }
                BInstr::Select(c, a, b, _) | BInstr::SelectMask(c, a, b, _) => {
                    let mask = matches!(*ins, BInstr::SelectMask(..));
                    let c = src(self, (true, c), S2, &now);
                    let a = src(self, (mask, a), S0, &now);
                    let b = src(self, (mask, b), S1, &now);
                    self.blend(d, c, a, b);
                }
            }
            // Operands read for the last time give their registers back.
            let mut dying: Vec<usize> =
                reads.iter().filter_map(|r| now.get(r).copied()).filter(|&x| last_use[x] == Some(i)).collect();
            dying.sort_unstable();
            dying.dedup();
            for x in dying {
                if let Some(r) = reg_of[x].take() {
                    self.release(r);
                }
            }
            now.insert(dst, i);
            if last_use[i].is_some() {
                reg_of[i] = Some(d);
            } else {
                self.release(d);
            }
        }
        // `F` and `dF/dy` in registers of their own (a residual may return `y`, a parameter or a constant, or the
        // same value twice).
        let mut out = [0_u8; 2];
        for (k, reg) in [f, df].into_iter().enumerate() {
            let held = now.get(&(false, reg)).and_then(|&x| reg_of[x].take());
            out[k] = match held {
                Some(r) => r,
                None if k == 1 && reg == f => {
                    let d = self.alloc()?;
                    self.e.asm.vex(Map::X0F, 0x28, d, 0, Rm::Reg(out[0]), None);
                    d
                }
                None => {
                    let d = self.alloc()?;
                    let s = self.operand(g, (false, reg), S0, None);
                    self.e.asm.vex(Map::X0F, 0x28, d, 0, Rm::Reg(s), None);
                    d
                }
            };
        }
        // Anything else still held (never read again) is free.
        for r in reg_of.into_iter().flatten() {
            self.release(r);
        }
        Some((out[0], out[1]))
    }

    /// The register of a residual operand: `held` if computed, else `y`, a parameter or a constant in `scratch`.
    fn operand(&mut self, g: usize, (mask, r): BReg, scratch: u8, held: Option<u8>) -> u8 {
        if let Some(h) = held {
            return h;
        }
        if mask {
            let c = self.mask_consts.iter().find(|&&(d, _)| d == r).is_some_and(|&(_, c)| c);
            self.bits(scratch, if c { ONES } else { 0 });
            return scratch;
        }
        if r == 0 {
            return 0;
        }
        if let Some(&(_, c)) = self.consts.iter().find(|&&(d, _)| d == r) {
            self.bits(scratch, c.to_bits());
            return scratch;
        }
        match self.params.get(r as usize - 1) {
            Some(&p) => self.lanes(p, g, scratch),
            // A register read before any write holds zero, as in `BlockProgram::registers`.
            None => self.bits(scratch, 0),
        }
        scratch
    }

    /// The step of `solve_block` for group `g`, from `F` in `fr` and `dF/dy` in `dr` (both released).
    ///
    /// The same lane results as the slice loops' step, computed with fewer instructions: finiteness of `F` and
    /// `dF/dy` as `(F - F) + (dF - dF) == 0` (zero exactly when both are finite); "inside the bracket" as
    /// `min(n2, p2) <= newton <= max(n2, p2)` (it only counts where both ends are known, and then it is the two-sided
    /// test of `solve_block`); `max(1, |next|)` as `vmaxpd`, which is `|next| > 1 ? |next| : 1` like the select it
    /// replaces. The bracket ends are stored for every lane, done or not: a done lane's are never read for a lane
    /// that is not done (they only feed its own frozen step), so its result cannot change. Two branches skip work that changes nothing for the group's four lanes: the bisection fallback
    /// where no lane tracks a bracket (Newton's method from one side, the common case), and the bookkeeping of
    /// non-finite and singular stops where no lane stops for either.
    fn step(&mut self, g: usize, fr: u8, dr: u8, tol: f64) -> Option<()> {
        let z = self.alloc()?;
        self.op(0x57, z, z, z);
        let zd = self.alloc()?;
        self.cmp(zd, fr, z, 0x00);
        // Not finite: (F - F) + (dF - dF) != 0 or unordered.
        self.op(0x5C, S0, fr, fr);
        self.op(0x5C, S1, dr, dr);
        self.op(0x58, S0, S0, S1);
        let nfin = self.alloc()?;
        self.cmp(nfin, S0, z, 0x04);
        // `F < 0` as the sign bit of `F`: they differ only for -0 and NaN, where the lane stops this step.
        let n2 = self.alloc()?;
        self.load_state(S0, NEG, g);
        self.blend(n2, fr, 0, S0);
        let p2 = self.alloc()?;
        self.load_state(S0, POS, g);
        self.blend(p2, fr, S0, 0);
        self.op(0x5E, S0, fr, dr);
        let next = self.alloc()?;
        self.op(0x5C, next, 0, S0);
        self.release(fr);
        self.release(dr);
        let trk = self.alloc()?;
        self.cmp(trk, n2, p2, 0x07);
        // singular = !tracking & !finite(newton)
        self.op(0x5C, S0, next, next);
        self.cmp(S0, S0, z, 0x04);
        let sing = self.alloc()?;
        self.op(0x55, sing, trk, S0);
        // Where a lane tracks a bracket: the midpoint where the Newton iterate is outside it.
        let skip = self.if_any(trk);
        self.op(0x5D, S0, n2, p2);
        self.cmp(S0, next, S0, 0x1D);
        self.op(0x5F, S1, n2, p2);
        self.cmp(S1, next, S1, 0x12);
        self.op(0x54, S0, S0, S1);
        self.op(0x55, S0, S0, trk);
        self.op(0x5C, S1, p2, n2);
        self.bits(S2, HALF);
        self.op(0x59, S1, S1, S2);
        self.op(0x58, S1, n2, S1);
        self.blend(next, S0, S1, next);
        self.end_if(skip);
        self.release(trk);
        // conv = |next - y| <= tol * max(1, |next|)
        self.bits(S1, ABS);
        self.op(0x54, S0, next, S1);
        self.bits(S1, ONE);
        self.op(0x5F, S0, S0, S1);
        self.bits(S1, tol.to_bits());
        self.op(0x59, S0, S1, S0);
        self.op(0x5C, S1, next, 0);
        self.bits(S2, ABS);
        self.op(0x54, S1, S1, S2);
        let conv = z;
        self.cmp(conv, S1, S0, 0x12);
        let done = self.alloc()?;
        self.load_state(done, DONE, g);
        // Lanes not running this step: zero residual or done.
        self.op(0x56, zd, zd, done);
        let stops = self.alloc()?;
        self.op(0x56, stops, nfin, sing);
        let skip = self.if_any(stops);
        // non-finite |= !finite & running; singular |= singular & finite & running
        self.op(0x55, S1, zd, nfin);
        self.load_state(S2, NF, g);
        self.op(0x56, S1, S2, S1);
        self.store_state(S1, NF, g);
        self.op(0x55, S1, nfin, sing);
        self.op(0x55, S1, zd, S1);
        self.load_state(S2, SING, g);
        self.op(0x56, S1, S1, S2);
        self.store_state(S1, SING, g);
        self.end_if(skip);
        // y keeps its value where stop | done (stop = zero | !finite | singular)
        self.op(0x56, S0, zd, stops);
        self.blend(S1, S0, 0, next);
        self.store_state(S1, Y, g);
        self.store_state(n2, NEG, g);
        self.store_state(p2, POS, g);
        // done |= stop | conv
        self.op(0x56, S0, S0, conv);
        self.store_state(S0, DONE, g);
        self.accumulate(S0);
        for r in [zd, nfin, n2, p2, next, sing, conv, done, stops] {
            self.release(r);
        }
        Some(())
    }

    /// Starts code that runs only where some lane of `mask` is set: `vmovmskpd r10d, mask; test r10d, r10d; jz`,
    /// the jump to be patched by [`Self::end_if`].
    fn if_any(&mut self, mask: u8) -> usize {
        self.e.asm.vex(Map::X0F, 0x50, R10, 0, Rm::Reg(mask), None);
        self.e.asm.b.extend_from_slice(&[0x45, 0x85, 0xD2]);
        self.e.asm.jcc(0x84)
    }

    fn end_if(&mut self, jump: usize) {
        let here = self.e.asm.b.len();
        self.e.asm.patch(jump, here);
    }

    /// Writes group `g`'s iterate to `dst` and its flags byte per lane (`done | nf << 1 | sing << 2`).
    fn finish_group(&mut self, g: usize, dst: Loc) {
        let disp = i32::try_from(g * 32).expect("small block");
        let bank = match dst {
            Loc::Out(k) => Bank::OutF64(k),
            Loc::Reg(r) => Bank::RegF64(r),
            Loc::In(_) | Loc::Uni(_) => unreachable!("checked: results go to registers or outputs"),
        };
        self.load_state(S0, Y, g);
        self.e.point(bank);
        self.e.asm.vex(Map::X0F, 0x11, S0, 0, Rm::Mem { base: R11, index: Some(RAX), disp }, None);
        // Each mask's four lanes to four bytes 0/1 (`Asm::mask_bytes`), shifted into its flag bit.
        for (field, reg, shift) in [(DONE, R10, 0_u8), (NF, R8, 1), (SING, RCX, 2)] {
            self.load_state(S0, field, g);
            self.e.asm.mask_bytes(reg, S0);
            let (rex, low) = (reg >= 8, reg & 7);
            if shift > 0 {
                // `shl reg, shift; or r10d, reg`
                if rex {
                    self.e.asm.b.push(0x41);
                }
                self.e.asm.b.extend_from_slice(&[0xC1, 0xE0 | low, shift]);
                self.e.asm.b.push(if rex { 0x45 } else { 0x41 });
                self.e.asm.b.extend_from_slice(&[0x09, 0xC0 | (low << 3) | (R10 & 7)]);
            }
        }
        self.e.point(Bank::Flags);
        // `mov [r11 + rax + 4g], r10d`
        self.e.asm.b.extend_from_slice(&[0x45, 0x89, 0x94, 0x03]);
        self.e.asm.b.extend_from_slice(&i32::try_from(g * 4).expect("small block").to_le_bytes());
    }
}

/// The residual's instructions with each `powi` of exponent magnitude 2 or more written out as its
/// multiplications ([`super::jit::powering`]), each product of the same two registers computed once (`y**5` and
/// `y**4` share `y**2` and `y**4`). New registers are numbered from `fresh`; the residual registers are single
/// assignment, so a `powi` whose result is an existing register is renamed to it (`F` and `dF/dy` too).
fn expand_powers<'i>(
    instrs: impl Iterator<Item = &'i BInstr>,
    mut fresh: u32,
    f: u32,
    df: u32,
) -> (Vec<BInstr>, u32, u32) {
    let mut out = Vec::new();
    let mut products: HashMap<(u32, u32), u32> = HashMap::new();
    let mut alias: HashMap<u32, u32> = HashMap::new();
    let name = |alias: &HashMap<u32, u32>, r: u32| alias.get(&r).copied().unwrap_or(r);
    for i in instrs {
        let i = rename_floats(i, |r| name(&alias, r));
        match i {
            BInstr::Powi(a, k, d) if k.unsigned_abs() >= 2 => {
                let (steps, result) = super::jit::powering(k.unsigned_abs());
                let mut vals = vec![a];
                for (l, r) in steps {
                    let (l, r) = (vals[l], vals[r]);
                    let p = *products.entry((l, r)).or_insert_with(|| {
                        out.push(BInstr::Binary(BinOp::Mul, l, r, fresh));
                        fresh += 1;
                        fresh - 1
                    });
                    vals.push(p);
                }
                if k < 0 {
                    out.push(BInstr::Unary(UnOp::Recip, vals[result], d));
                } else {
                    alias.insert(d, vals[result]);
                }
            }
            BInstr::Binary(BinOp::Mul, a, b, d) => match products.get(&(a, b)) {
                Some(&p) => {
                    alias.insert(d, p);
                }
                None => {
                    products.insert((a, b), d);
                    out.push(i);
                }
            },
            _ => out.push(i),
        }
    }
    (out, name(&alias, f), name(&alias, df))
}

/// `i` with its float operands renamed by `f` (mask operands and the result unchanged).
fn rename_floats(i: &BInstr, f: impl Fn(u32) -> u32) -> BInstr {
    match *i {
        BInstr::Unary(op, a, d) => BInstr::Unary(op, f(a), d),
        BInstr::Powi(a, k, d) => BInstr::Powi(f(a), k, d),
        BInstr::Binary(op, a, b, d) => BInstr::Binary(op, f(a), f(b), d),
        BInstr::Cmp(op, a, b, d) => BInstr::Cmp(op, f(a), f(b), d),
        BInstr::Select(c, a, b, d) => BInstr::Select(c, f(a), f(b), d),
        BInstr::Bool(..) | BInstr::Not(..) | BInstr::SelectMask(..) => i.clone(),
    }
}

/// The residual registers an instruction reads and the one it writes.
fn breg_keys(i: &BInstr) -> (Vec<BReg>, BReg) {
    match *i {
        BInstr::Unary(_, a, d) | BInstr::Powi(a, _, d) => (vec![(false, a)], (false, d)),
        BInstr::Binary(_, a, b, d) => (vec![(false, a), (false, b)], (false, d)),
        BInstr::Cmp(_, a, b, d) => (vec![(false, a), (false, b)], (true, d)),
        BInstr::Bool(_, a, b, d) => (vec![(true, a), (true, b)], (true, d)),
        BInstr::Not(a, d) => (vec![(true, a)], (true, d)),
        BInstr::Select(c, a, b, d) => (vec![(true, c), (false, a), (false, b)], (false, d)),
        BInstr::SelectMask(c, a, b, d) => (vec![(true, c), (true, a), (true, b)], (true, d)),
    }
}
