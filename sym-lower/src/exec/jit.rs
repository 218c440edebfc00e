//! Machine code for elementwise chunk programs: x86-64 AVX2 loops that keep every intermediate in a vector
//! register.
//!
//! The slice interpreter runs one pass over a chunk per instruction, so the square roots and divisions of a
//! formula (which occupy the divider) and its other arithmetic (which occupies the other ports) run one after the
//! other; a hand-written loop overlaps them. Where a stage's chunk program is purely elementwise `f64` arithmetic
//! (`+ - * /`, `neg`, `abs`, `sqrt`, `recip`, `powi`, comparisons feeding selects, the fused kernels; no sums,
//! roots, masks or transcendental functions), [`compile`] translates it into one loop over the lanes, four per
//! iteration in `ymm` registers, the way a compiler would translate the hand-written formula. Anything else, or
//! a program that needs more than [`VALUE_REGS`] live values, stays with the interpreter.
//!
//! Same bits as the interpreter: the code performs the same IEEE operations in the same order (`vaddpd`,
//! `vsubpd`, `vmulpd`, `vdivpd`, `vsqrtpd` are correctly rounded at any width; `neg` and `abs` are the same sign
//! bit operations; a select is a bitwise blend; no fused multiply-add is ever emitted). The one liberty is that
//! `powi`'s leading multiplication by one is skipped, as the compiled interpreter loops also do (it can only
//! turn a signaling NaN into a quiet one). `sym-lower/tests/jit.rs` checks the agreement bit for bit on random
//! programs and lengths.
//!
//! The encoder writes the few VEX-encoded instructions it needs (Intel SDM vol. 2, section 2.3) into a buffer that
//! is mapped writable, filled, then remapped read-and-execute before it runs (never both). The workspace denies
//! `unsafe`; this module allows it for the mapping and the call, whose safety rests on the checks in
//! [`JitProgram::run`]: the code reads lanes `0..n` of the input pointers it was compiled for, writes lanes `0..n`
//! of its output pointers and reads the uniform table, and `run` checks that each of those slices is that long.

#![allow(unsafe_code)]

use super::plan::{ChunkProgram, FInstr, Fused, Instr, Loc, Prep, SignOp};
use crate::op::{BinOp, BoolOp, CmpOp, UnOp};
use crate::types::Elem;
use std::collections::{BTreeSet, HashMap};

/// `ymm0..VALUE_REGS` hold values; the rest are scratch.
const VALUE_REGS: u8 = 12;
/// Scratch registers: two operands, a scale, a constant mask.
const S0: u8 = 12;
const S1: u8 = 13;
const S2: u8 = 14;
const S3: u8 = 15;

/// The longest `powi` exponent compiled (a longer one stays with the interpreter).
const MAX_POWI: u32 = 64;

// General-purpose registers (System V ABI). Arguments: `rdi` the input pointers, `rsi` the `f64` output
// pointers, `rdx` the uniform table, `rcx` the lane count, `r8` the `bool` output pointers. `rax` is the lane
// index, `r10` and `r11` are scratch.
const RAX: u8 = 0;
const RCX: u8 = 1;
const RDX: u8 = 2;
const RSI: u8 = 6;
const RDI: u8 = 7;
const R8: u8 = 8;
const R10: u8 = 10;
const R11: u8 = 11;

const SIGN: u64 = 0x8000_0000_0000_0000;
const ABS: u64 = !SIGN;
const ONE: u64 = 0x3FF0_0000_0000_0000;

/// An entry of the uniform table the code reads broadcast operands from.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Slot {
    /// The uniform value of graph value `v`.
    Uni(u32),
    /// A constant, as bits.
    Bits(u64),
}

/// A compiled chunk program.
#[derive(Debug)]
pub(crate) struct JitProgram {
    code: Code,
    slots: Vec<Slot>,
    /// The input banks the code reads, the `f64` and `bool` output banks it writes.
    ins: Vec<u32>,
    outs_f64: Vec<u32>,
    outs_bool: Vec<u32>,
}

/// The entry point: `(inputs, f64 outputs, uniform table, lanes, bool outputs)`; the lane count is a positive
/// multiple of 4.
type Entry = unsafe extern "sysv64" fn(*const *const f64, *const *mut f64, *const f64, usize, *const *mut bool);

impl JitProgram {
    /// The uniform table for this run, from the stage's uniform values.
    pub(crate) fn table(&self, uniform: impl Fn(u32) -> f64) -> Vec<f64> {
        self.slots
            .iter()
            .map(|s| match *s {
                Slot::Uni(v) => uniform(v),
                Slot::Bits(b) => f64::from_bits(b),
            })
            .collect()
    }

    /// Runs lanes `0..n` (`n` a multiple of 4): input bank `k` is `ins[k]`, output bank `k` is `outs_f64[k]` or
    /// `outs_bool[k]` by its kind.
    ///
    /// # Panics
    /// If `n` is not a multiple of 4, or a slice the code uses is shorter than `n`, or the table does not fit.
    pub(crate) fn run(
        &self,
        ins: &[&[f64]],
        outs_f64: &mut [&mut [f64]],
        outs_bool: &mut [&mut [bool]],
        table: &[f64],
        n: usize,
    ) {
        assert!(n.is_multiple_of(4), "the compiled loop runs whole groups of 4 lanes");
        assert_eq!(table.len(), self.slots.len(), "uniform table");
        for &k in &self.ins {
            assert!(ins[k as usize].len() >= n, "input {k} shorter than the lanes run");
        }
        for &k in &self.outs_f64 {
            assert!(outs_f64[k as usize].len() >= n, "output {k} shorter than the lanes run");
        }
        for &k in &self.outs_bool {
            assert!(outs_bool[k as usize].len() >= n, "output {k} shorter than the lanes run");
        }
        if n == 0 {
            return;
        }
        let in_ptrs: Vec<*const f64> = ins.iter().map(|s| s.as_ptr()).collect();
        let f64_ptrs: Vec<*mut f64> = outs_f64.iter_mut().map(|s| s.as_mut_ptr()).collect();
        let bool_ptrs: Vec<*mut bool> = outs_bool.iter_mut().map(|s| s.as_mut_ptr()).collect();
        // SAFETY: the code was emitted by `compile` for a CPU with AVX2 (`Isa::Avx2` resolved); it reads only
        // `in_ptrs[k]` for the banks in `self.ins` and writes only `f64_ptrs[k]` and `bool_ptrs[k]` for those in
        // `self.outs_f64` and `self.outs_bool` (each `bool` written as 0 or 1), lanes `0..n`, all checked above to
        // lie inside their slices (which do not overlap: shared inputs, exclusive outputs), and
        // `table[0..slots.len()]`; it follows the System V calling convention.
        unsafe {
            (self.code.entry())(in_ptrs.as_ptr(), f64_ptrs.as_ptr(), table.as_ptr(), n, bool_ptrs.as_ptr());
        }
    }

    /// The size of the machine code, in bytes.
    pub(crate) fn code_len(&self) -> usize {
        self.code.len
    }
}

/// Compiles a chunk program to an AVX2 loop, or `None` where it holds something the translation does not cover
/// (or the platform cannot map executable memory). Only call it where the CPU has AVX2 ([`super::Isa::Avx2`]).
pub(crate) fn compile(prog: &ChunkProgram) -> Option<JitProgram> {
    if !cfg!(all(target_arch = "x86_64", unix)) || prog.n_sums != [0, 0] || prog.instrs.is_empty() {
        return None;
    }
    let mut e = Emitter::new(prog)?;
    e.asm.gpr_xor_eax();
    let top = e.asm.b.len();
    for (i, instr) in prog.instrs.iter().enumerate() {
        e.instr(i, instr)?;
    }
    e.asm.loop_back(top);
    Some(JitProgram {
        code: Code::new(&e.asm.b)?,
        slots: e.slots,
        ins: e.ins_used.into_iter().collect(),
        outs_f64: e.outs_f64.into_iter().collect(),
        outs_bool: e.outs_bool.into_iter().collect(),
    })
}

/// The translation state: value registers, the uniform table, which banks are used.
struct Emitter {
    asm: Asm,
    /// The instruction (def) whose result each location holds now.
    cur: HashMap<Key, usize>,
    /// The last instruction reading each def, if any.
    last_use: Vec<Option<usize>>,
    reg_of: Vec<Option<u8>>,
    free: Vec<u8>,
    slots: Vec<Slot>,
    ins_used: BTreeSet<u32>,
    outs_f64: BTreeSet<u32>,
    outs_bool: BTreeSet<u32>,
}

/// The register file of a location: `f64` values or masks (each kind numbers its registers on its own).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
enum Kind {
    F,
    M,
}

/// A location of one kind.
type Key = (Kind, Loc);

/// The locations an instruction reads and the one it writes, or `None` for an instruction not compiled.
fn reads_writes(instr: &Instr) -> Option<(Vec<Key>, Key)> {
    use Kind::{F, M};
    let fi = match instr {
        Instr::F64(fi) => fi,
        Instr::Copy { elem: Elem::F64, src, dst } => return Some((vec![(F, *src)], (F, *dst))),
        Instr::Copy { elem: Elem::Bool, src, dst } | Instr::Not { a: src, dst } => {
            return Some((vec![(M, *src)], (M, *dst)));
        }
        Instr::Bool { a, b, dst, .. } => return Some((vec![(M, *a), (M, *b)], (M, *dst))),
        Instr::SelectMask { c, a, b, dst } => return Some((vec![(M, *c), (M, *a), (M, *b)], (M, *dst))),
        _ => return None,
    };
    Some(match fi {
        FInstr::Unary { a, dst, .. } | FInstr::Powi { a, dst, .. } => (vec![(F, *a)], (F, *dst)),
        FInstr::Binary { a, b, dst, .. } => (vec![(F, *a), (F, *b)], (F, *dst)),
        FInstr::Cmp { a, b, dst, .. } => (vec![(F, *a), (F, *b)], (M, *dst)),
        FInstr::Select { c, a, b, dst } => (vec![(M, *c), (F, *a), (F, *b)], (F, *dst)),
        FInstr::SelectCmp { x, y, a, b, dst, .. } => (vec![(F, *x), (F, *y), (F, *a), (F, *b)], (F, *dst)),
        FInstr::Fused(fz) => {
            let mut r = vec![(F, fz.a.base), (F, fz.b.base)];
            r.extend(fz.a.scale.map(|s| (F, s)));
            r.extend(fz.b.scale.map(|s| (F, s)));
            (r, (F, fz.dst))
        }
        FInstr::Sum { .. } | FInstr::Root(_) => return None,
    })
}

/// Whether a location holds a value computed by the program (rather than an input or a uniform).
fn computed(k: &Key) -> bool {
    matches!(k.1, Loc::Reg(_) | Loc::Out(_))
}

impl Emitter {
    /// Liveness: the def each read refers to, and each def's last reader.
    fn new(prog: &ChunkProgram) -> Option<Self> {
        let mut cur: HashMap<Key, usize> = HashMap::new();
        let mut last_use = vec![None; prog.instrs.len()];
        for (i, instr) in prog.instrs.iter().enumerate() {
            let (reads, dst) = reads_writes(instr)?;
            for r in reads {
                if computed(&r) {
                    last_use[*cur.get(&r)?] = Some(i);
                } else if r.0 == Kind::M {
                    // Masks from input arrays or uniform masks stay with the slice loops.
                    return None;
                }
            }
            if !computed(&dst) {
                return None;
            }
            cur.insert(dst, i);
        }
        Some(Self {
            asm: Asm::default(),
            cur: HashMap::new(),
            last_use,
            reg_of: vec![None; prog.instrs.len()],
            free: (0..VALUE_REGS).rev().collect(),
            slots: Vec::new(),
            ins_used: BTreeSet::new(),
            outs_f64: BTreeSet::new(),
            outs_bool: BTreeSet::new(),
        })
    }

    fn slot(&mut self, s: Slot) -> i32 {
        let k = self.slots.iter().position(|&t| t == s).unwrap_or_else(|| {
            self.slots.push(s);
            self.slots.len() - 1
        });
        i32::try_from(k * 8).expect("small table")
    }

    /// Broadcasts a table entry into `reg`.
    fn broadcast(&mut self, reg: u8, s: Slot) {
        let disp = self.slot(s);
        self.asm.vex(Map::X0F38, 0x19, reg, 0, Rm::Mem { base: RDX, index: None, disp }, None);
    }

    /// The register holding operand `loc` (loading or broadcasting it into `scratch` when it is not in one).
    fn get(&mut self, loc: Loc, scratch: u8) -> u8 {
        self.get_kind(Kind::F, loc, scratch)
    }

    /// The register holding the mask at `loc` (always computed by the program: checked in `new`).
    fn mask(&mut self, loc: Loc) -> u8 {
        self.get_kind(Kind::M, loc, S3)
    }

    fn get_kind(&mut self, kind: Kind, loc: Loc, scratch: u8) -> u8 {
        match loc {
            Loc::Reg(_) | Loc::Out(_) => self.reg_of[self.cur[&(kind, loc)]].expect("a live value is in a register"),
            Loc::In(k) => {
                self.ins_used.insert(k);
                self.asm.mov_load(R11, RDI, disp_of(k));
                self.asm.vex(Map::X0F, 0x10, scratch, 0, Rm::Mem { base: R11, index: Some(RAX), disp: 0 }, None);
                scratch
            }
            Loc::Uni(v) => {
                self.broadcast(scratch, Slot::Uni(v));
                scratch
            }
        }
    }

    fn op3(&mut self, op: u8, dst: u8, a: u8, b: u8) {
        self.asm.vex(Map::X0F, op, dst, a, Rm::Reg(b), None);
    }

    /// `dst = sign(src)` with a constant mask in `S3`.
    fn sign(&mut self, dst: u8, src: u8, s: SignOp) -> u8 {
        let mut v = src;
        if s.clear {
            self.broadcast(S3, Slot::Bits(ABS));
            self.op3(0x54, dst, v, S3);
            v = dst;
        }
        if s.flip {
            self.broadcast(S3, Slot::Bits(SIGN));
            self.op3(0x57, dst, v, S3);
            v = dst;
        }
        v
    }

    /// A fused operand `sign(scale * square?(base))` into `scratch` (or the base's own register when plain).
    fn prep(&mut self, p: &Prep, scratch: u8) -> u8 {
        let mut v = self.get(p.base, scratch);
        if p.square {
            self.op3(0x59, scratch, v, v);
            v = scratch;
        }
        if p.scale.is_some() || p.sign.clear || p.sign.flip {
            let k = match p.scale {
                Some(s) => self.get(s, S2),
                None => {
                    self.broadcast(S2, Slot::Bits(ONE));
                    S2
                }
            };
            self.op3(0x59, scratch, k, v);
            v = self.sign(scratch, scratch, p.sign);
        }
        v
    }

    fn fused(&mut self, fz: &Fused, d: u8) -> Option<()> {
        let a = self.prep(&fz.a, S0);
        let b = self.prep(&fz.b, S1);
        self.op3(arith(fz.op)?, d, a, b);
        if fz.sqrt {
            self.asm.vex(Map::X0F, 0x51, d, 0, Rm::Reg(d), None);
        }
        self.sign(d, d, fz.sign);
        Some(())
    }

    fn powi(&mut self, k: i32, a: u8, d: u8) -> Option<()> {
        let mut m = k.unsigned_abs();
        if m > MAX_POWI {
            return None;
        }
        if m == 0 {
            self.broadcast(d, Slot::Bits(ONE));
            return Some(());
        }
        // `scalar::powu`: binary powering, the result multiplied by the running square at each set bit.
        let (mut x, mut have) = (a, false);
        loop {
            if m & 1 == 1 {
                if have {
                    self.op3(0x59, d, d, x);
                } else {
                    self.asm.vex(Map::X0F, 0x28, d, 0, Rm::Reg(x), None);
                    have = true;
                }
            }
            m >>= 1;
            if m == 0 {
                break;
            }
            self.op3(0x59, S1, x, x);
            x = S1;
        }
        if k < 0 {
            self.broadcast(S3, Slot::Bits(ONE));
            self.op3(0x5E, d, S3, d);
        }
        Some(())
    }

    /// Emits instruction `i`.
    fn instr(&mut self, i: usize, instr: &Instr) -> Option<()> {
        let (reads, dst) = reads_writes(instr)?;
        let d = self.free.pop()?;
        match instr {
            Instr::Copy { src, elem, .. } => {
                let a = if *elem == Elem::Bool { self.mask(*src) } else { self.get(*src, S0) };
                self.asm.vex(Map::X0F, 0x28, d, 0, Rm::Reg(a), None);
            }
            Instr::Not { a, .. } => {
                let a = self.mask(*a);
                self.broadcast(S2, Slot::Bits(u64::MAX));
                self.op3(0x57, d, a, S2);
            }
            Instr::Bool { op, a, b, .. } => {
                let (a, b) = (self.mask(*a), self.mask(*b));
                self.op3(if *op == BoolOp::And { 0x54 } else { 0x56 }, d, a, b);
            }
            Instr::SelectMask { c, a, b, .. } => {
                let (c, a, b) = (self.mask(*c), self.mask(*a), self.mask(*b));
                self.asm.vex(Map::X0F3A, 0x4B, d, b, Rm::Reg(a), Some(c << 4));
            }
            Instr::F64(FInstr::Cmp { op, a, b, .. }) => {
                let a = self.get(*a, S0);
                let b = self.get(*b, S1);
                self.asm.vex(Map::X0F, 0xC2, d, a, Rm::Reg(b), Some(predicate(*op)));
            }
            Instr::F64(FInstr::Select { c, a, b, .. }) => {
                let c = self.mask(*c);
                let a = self.get(*a, S0);
                let b = self.get(*b, S1);
                self.asm.vex(Map::X0F3A, 0x4B, d, b, Rm::Reg(a), Some(c << 4));
            }
            Instr::F64(FInstr::Unary { op, a, .. }) => {
                let a = self.get(*a, S0);
                match op {
                    UnOp::Neg => {
                        self.sign(d, a, SignOp { clear: false, flip: true });
                    }
                    UnOp::Abs => {
                        self.sign(d, a, SignOp { clear: true, flip: false });
                    }
                    UnOp::Sqrt => self.asm.vex(Map::X0F, 0x51, d, 0, Rm::Reg(a), None),
                    UnOp::Recip => {
                        self.broadcast(S3, Slot::Bits(ONE));
                        self.op3(0x5E, d, S3, a);
                    }
                    _ => return None,
                }
            }
            Instr::F64(FInstr::Powi { k, a, .. }) => {
                let a = self.get(*a, S0);
                self.powi(*k, a, d)?;
            }
            Instr::F64(FInstr::Binary { op, a, b, .. }) => {
                let op = arith(*op)?;
                let a = self.get(*a, S0);
                let b = self.get(*b, S1);
                self.op3(op, d, a, b);
            }
            Instr::F64(FInstr::SelectCmp { op, x, y, a, b, .. }) => {
                let x = self.get(*x, S0);
                let y = self.get(*y, S1);
                self.asm.vex(Map::X0F, 0xC2, S0, x, Rm::Reg(y), Some(predicate(*op)));
                let a = self.get(*a, S1);
                let b = self.get(*b, S2);
                // `vblendvpd d, b, a, mask`: `a` where the mask's sign bit is set, else `b`.
                self.asm.vex(Map::X0F3A, 0x4B, d, b, Rm::Reg(a), Some(S0 << 4));
            }
            Instr::F64(FInstr::Fused(fz)) => self.fused(fz, d)?,
            _ => return None,
        }
        match dst {
            (Kind::F, Loc::Out(k)) => {
                self.outs_f64.insert(k);
                self.asm.mov_load(R11, RSI, disp_of(k));
                self.asm.vex(Map::X0F, 0x11, d, 0, Rm::Mem { base: R11, index: Some(RAX), disp: 0 }, None);
            }
            (Kind::M, Loc::Out(k)) => {
                // Four sign bits to four bytes 0/1: `b * 0x0020_4081` moves bit `j` to bit `8j` (no two partial
                // products meet), then the mask keeps bit 0 of each byte.
                self.outs_bool.insert(k);
                self.asm.vex(Map::X0F, 0x50, R10, 0, Rm::Reg(d), None);
                self.asm.b.extend_from_slice(&[0x45, 0x69, 0xD2]);
                self.asm.b.extend_from_slice(&0x0020_4081_u32.to_le_bytes());
                self.asm.b.extend_from_slice(&[0x41, 0x81, 0xE2]);
                self.asm.b.extend_from_slice(&0x0101_0101_u32.to_le_bytes());
                self.asm.mov_load(R11, R8, disp_of(k));
                // `mov [r11 + rax], r10d`
                self.asm.b.extend_from_slice(&[0x45, 0x89, 0x14, 0x03]);
            }
            _ => {}
        }
        // Operands read for the last time give their registers back (after the result took its own).
        let mut dying: Vec<usize> = reads
            .iter()
            .filter(|r| computed(r))
            .map(|r| self.cur[r])
            .filter(|&def| self.last_use[def] == Some(i))
            .collect();
        dying.sort_unstable();
        dying.dedup();
        for def in dying {
            if let Some(r) = self.reg_of[def].take() {
                self.free.push(r);
            }
        }
        self.cur.insert(dst, i);
        if self.last_use[i].is_some() {
            self.reg_of[i] = Some(d);
        } else {
            self.free.push(d);
        }
        Some(())
    }
}

fn disp_of(k: u32) -> i32 {
    i32::try_from(k).ok().and_then(|k| k.checked_mul(8)).expect("bank index fits a displacement")
}

/// The opcode of an arithmetic op (`VEX.256.66.0F`), or `None` for one not compiled.
fn arith(op: BinOp) -> Option<u8> {
    match op {
        BinOp::Add => Some(0x58),
        BinOp::Mul => Some(0x59),
        BinOp::Sub => Some(0x5C),
        BinOp::Div => Some(0x5E),
        BinOp::Pow | BinOp::Hypot => None,
    }
}

/// The `vcmppd` predicate with the truth table of Rust's comparison (false on NaN, except `!=`).
fn predicate(op: CmpOp) -> u8 {
    match op {
        CmpOp::Lt => 0x11,
        CmpOp::Le => 0x12,
        CmpOp::Gt => 0x1E,
        CmpOp::Ge => 0x1D,
        CmpOp::Eq => 0x00,
        CmpOp::Ne => 0x04,
    }
}

/// The opcode map of a VEX instruction.
#[derive(Copy, Clone)]
enum Map {
    X0F = 1,
    X0F38 = 2,
    X0F3A = 3,
}

/// The `r/m` operand: a `ymm` register, or memory at `[base + index * 8 + disp]`.
#[derive(Copy, Clone)]
enum Rm {
    Reg(u8),
    Mem { base: u8, index: Option<u8>, disp: i32 },
}

/// A byte buffer with the encoders used above.
#[derive(Default)]
struct Asm {
    b: Vec<u8>,
}

impl Asm {
    /// A 256-bit VEX instruction with the `66` prefix and `W0`: `reg` is the ModRM `reg` field (usually the
    /// destination), `v` the `vvvv` operand (0 where unused), then `rm` and an optional immediate.
    fn vex(&mut self, map: Map, op: u8, reg: u8, v: u8, rm: Rm, imm: Option<u8>) {
        let (x, base) = match rm {
            Rm::Reg(r) => (0, r),
            Rm::Mem { base, index, .. } => (index.unwrap_or(0), base),
        };
        let inv = |r: u8| (!r >> 3) & 1;
        self.b.push(0xC4);
        self.b.push((inv(reg) << 7) | (inv(x) << 6) | (inv(base) << 5) | map as u8);
        self.b.push(((!v & 0xF) << 3) | 0b100 | 0b01);
        self.b.push(op);
        self.modrm(reg, rm);
        if let Some(i) = imm {
            self.b.push(i);
        }
    }

    fn modrm(&mut self, reg: u8, rm: Rm) {
        match rm {
            Rm::Reg(r) => self.b.push(0xC0 | ((reg & 7) << 3) | (r & 7)),
            Rm::Mem { base, index: Some(i), disp } => {
                self.b.push(0x84 | ((reg & 7) << 3));
                self.b.push(0xC0 | ((i & 7) << 3) | (base & 7));
                self.b.extend_from_slice(&disp.to_le_bytes());
            }
            Rm::Mem { base, index: None, disp } => {
                debug_assert!(base & 7 != 4, "rsp and r12 need a SIB byte");
                self.b.push(0x80 | ((reg & 7) << 3) | (base & 7));
                self.b.extend_from_slice(&disp.to_le_bytes());
            }
        }
    }

    /// `mov reg, [base + disp32]` (64-bit).
    fn mov_load(&mut self, reg: u8, base: u8, disp: i32) {
        self.b.push(0x48 | (((reg >> 3) & 1) << 2) | ((base >> 3) & 1));
        self.b.push(0x8B);
        self.modrm(reg, Rm::Mem { base, index: None, disp });
    }

    /// `xor eax, eax`: the lane index starts at 0.
    fn gpr_xor_eax(&mut self) {
        self.b.extend_from_slice(&[0x31, 0xC0]);
    }

    /// `add rax, 4; cmp rax, rcx; jb top; vzeroupper; ret`.
    fn loop_back(&mut self, top: usize) {
        self.b.extend_from_slice(&[0x48, 0x83, 0xC0 | RAX, 0x04]);
        self.b.extend_from_slice(&[0x48, 0x39, 0xC0 | (RCX << 3) | RAX]);
        let end = self.b.len() + 6;
        let rel = i32::try_from(top as i64 - end as i64).expect("small loop");
        self.b.extend_from_slice(&[0x0F, 0x82]);
        self.b.extend_from_slice(&rel.to_le_bytes());
        self.b.extend_from_slice(&[0xC5, 0xF8, 0x77, 0xC3]);
    }
}

/// Executable memory holding one function.
#[derive(Debug)]
struct Code {
    ptr: *mut u8,
    len: usize,
}

// SAFETY: the mapping is never written after `Code::new` returns; sharing it between threads only runs it.
unsafe impl Send for Code {}
// SAFETY: as above.
unsafe impl Sync for Code {}

impl Code {
    /// Maps `bytes` as read-and-execute memory (through a writable mapping that is then remapped).
    #[cfg(all(target_arch = "x86_64", unix))]
    fn new(bytes: &[u8]) -> Option<Self> {
        let len = bytes.len().max(1);
        // SAFETY: a fresh anonymous private mapping of `len` bytes; filled within its bounds, then made
        // read-and-execute; unmapped on every failure path and in `Drop`.
        unsafe {
            let p = libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            if p == libc::MAP_FAILED {
                return None;
            }
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), p.cast::<u8>(), bytes.len());
            if libc::mprotect(p, len, libc::PROT_READ | libc::PROT_EXEC) != 0 {
                libc::munmap(p, len);
                return None;
            }
            Some(Self { ptr: p.cast(), len })
        }
    }

    #[cfg(not(all(target_arch = "x86_64", unix)))]
    fn new(_: &[u8]) -> Option<Self> {
        None
    }

    fn entry(&self) -> Entry {
        // SAFETY: `ptr` is the start of a function emitted by `compile` with this signature.
        unsafe { std::mem::transmute::<*mut u8, Entry>(self.ptr) }
    }
}

impl Drop for Code {
    fn drop(&mut self) {
        #[cfg(all(target_arch = "x86_64", unix))]
        // SAFETY: the mapping made in `Code::new`, unmapped once.
        unsafe {
            libc::munmap(self.ptr.cast(), self.len);
        }
    }
}
