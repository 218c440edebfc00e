//! Machine code for runs of elementwise chunk-program instructions: x86-64 AVX2 loops that keep every
//! intermediate in a vector register.
//!
//! The slice interpreter runs one pass over a chunk per instruction, so the square roots and divisions of a
//! formula (which occupy the divider) and its other arithmetic (which occupies the other ports) run one after the
//! other; a hand-written loop overlaps them. [`compile`] translates a run of instructions it covers (`f64`
//! `+ - * /`, `neg`, `abs`, `sqrt`, `recip`, `powi`, comparisons, selects, mask logic, the fused kernels; not
//! sums, roots, casts or transcendental functions) into one loop over the lanes, four per iteration in `ymm`
//! registers, the way a compiler would translate the hand-written formula. Operands from outside the run are
//! loaded from the input, output and chunk-register arrays (masks as bytes); values a later instruction reads are
//! stored back. [`segments`] finds the runs of a chunk program (and hands each root to [`super::jit_root`]); the
//! executor runs a program that compiles whole over each task's lanes at once. A run that needs more than
//! [`VALUE_REGS`] live values stays with the interpreter.
//!
//! Same bits as the interpreter: the code performs the same IEEE operations in the same order (`vaddpd`,
//! `vsubpd`, `vmulpd`, `vdivpd`, `vsqrtpd` are correctly rounded at any width; `neg` and `abs` are the same sign
//! bit operations; a select is a bitwise blend; no fused multiply-add is ever emitted). The one liberty is that
//! `powi`'s leading multiplication by one is skipped, as the compiled interpreter loops also do (it can only
//! turn a signaling NaN into a quiet one). Powers are written out as their binary-powering multiplications
//! ([`powering`]), so that powers of the same value share their squares: the same products of the same operands. `sym-lower/tests/jit.rs` checks the agreement bit for bit on random
//! programs, roots and lengths; `tests/props.rs` runs every random graph with and without machine code.
//!
//! The encoder writes the few VEX-encoded instructions it needs (Intel SDM vol. 2, section 2.3) into a buffer that
//! is mapped writable, filled, then remapped read-and-execute before it runs (never both). The workspace denies
//! `unsafe`; this module allows it for the mapping and the call, whose safety rests on the checks in
//! [`JitProgram::run`]: the code reads and writes lanes `0..n` of the arrays it was compiled for (never writing
//! an input) and reads the uniform table, and `run` checks that each of those arrays is that long.

#![allow(unsafe_code)]

use super::plan::{ChunkProgram, FInstr, Fused, Instr, Loc, Prep, SignOp};
use crate::op::{BinOp, BoolOp, CmpOp, UnOp};
use crate::types::Elem;
use std::collections::{BTreeSet, HashMap};

/// `ymm0..VALUE_REGS` hold values; the rest are scratch.
pub(super) const VALUE_REGS: u8 = 12;
/// Scratch registers: two operands, a scale, a constant mask.
pub(super) const S0: u8 = 12;
pub(super) const S1: u8 = 13;
pub(super) const S2: u8 = 14;
pub(super) const S3: u8 = 15;

/// The longest `powi` exponent compiled (a longer one stays with the interpreter).
pub(super) const MAX_POWI: u32 = 64;

// General-purpose registers (System V ABI). Arguments: `rdi` the pointer table (see [`Layout`]), `rsi` the
// uniform table, `rdx` the lane count. `rax` is the lane index, `r10` and `r11` are scratch.
pub(super) const RAX: u8 = 0;
pub(super) const RDX: u8 = 2;
pub(super) const RSI: u8 = 6;
pub(super) const RDI: u8 = 7;
pub(super) const R10: u8 = 10;
pub(super) const R11: u8 = 11;

pub(super) const SIGN: u64 = 0x8000_0000_0000_0000;
pub(super) const ABS: u64 = !SIGN;
pub(super) const ONE: u64 = 0x3FF0_0000_0000_0000;

/// An entry of the uniform table the code reads broadcast operands from.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Slot {
    /// The uniform value of graph value `v`.
    Uni(u32),
    /// A constant, as bits.
    Bits(u64),
}

/// The arrays compiled code reads and writes: the entries of its pointer table.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Bank {
    /// Input `k` (`f64`).
    In(u32),
    /// Output `k` as `f64`.
    OutF64(u32),
    /// Output `k` as `bool` (one byte per lane, 0 or 1).
    OutBool(u32),
    /// Chunk register `r` of kind `f64`.
    RegF64(u32),
    /// Chunk register `r` of kind `bool`.
    RegBool(u32),
    /// The state of a root's block iteration ([`STATE_LEN`] `f64`, not indexed by lane).
    State,
    /// A root's outcome per lane, one byte (see [`super::jit_root`]).
    Flags,
}

/// The length of the root iteration's state array.
pub(crate) const STATE_LEN: usize = super::jit_root::GROUPS * 6 * 4;

/// How many arrays of each kind a chunk program has: the pointer table holds the inputs, the outputs as `f64`,
/// the outputs as `bool`, the `f64` registers and the `bool` registers, in that order.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    pub ins: usize,
    pub outs: usize,
    pub regs_f64: usize,
    pub regs_bool: usize,
}

impl Layout {
    fn len(self) -> usize {
        self.ins + 2 * self.outs + self.regs_f64 + self.regs_bool + 2
    }

    fn index(self, b: Bank) -> usize {
        let k = |x: u32| x as usize;
        match b {
            Bank::In(x) => k(x),
            Bank::OutF64(x) => self.ins + k(x),
            Bank::OutBool(x) => self.ins + self.outs + k(x),
            Bank::RegF64(x) => self.ins + 2 * self.outs + k(x),
            Bank::RegBool(x) => self.ins + 2 * self.outs + self.regs_f64 + k(x),
            Bank::State => self.len() - 2,
            Bank::Flags => self.len() - 1,
        }
    }

    pub(super) fn disp(self, b: Bank) -> i32 {
        i32::try_from(self.index(b) * 8).expect("pointer tables are small")
    }
}

/// The arrays of one call: lane `i` of the call is lane `in_off + i` of an input, `out_off + i` of an output and
/// `i` of a register.
pub(crate) struct Arrays<'a, 'o> {
    pub ins: &'a [&'a [f64]],
    pub in_off: usize,
    pub outs_f64: &'a mut [&'o mut [f64]],
    pub outs_bool: &'a mut [&'o mut [bool]],
    pub out_off: usize,
    pub regs_f64: &'a mut [Vec<f64>],
    pub regs_bool: &'a mut [Vec<bool>],
    /// Scratch for a root's iteration state, and its outcome per lane (see [`super::jit_root`]).
    pub state: &'a mut [f64],
    pub flags: &'a mut [u8],
}

/// Compiled code for a run of a chunk program's instructions.
#[derive(Debug)]
pub(crate) struct JitProgram {
    code: Code,
    slots: Vec<Slot>,
    layout: Layout,
    /// The arrays the code reads or writes.
    banks: Vec<Bank>,
    /// The lanes per step of the outer loop (the lane counts run are multiples of it).
    pub(super) step: usize,
    /// For a root with a status output: where the statuses go (made from the flags after the code ran).
    pub(super) status: Option<Loc>,
}

/// The entry point: `(pointer table, uniform table, lanes)`; the lane count is a positive multiple of 4.
type Entry = unsafe extern "sysv64" fn(*const *mut u8, *const f64, usize);

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

    /// Runs lanes `0..n` (`n` a multiple of [`JitProgram::step`]) of `a`.
    ///
    /// # Panics
    /// If `n` is not a multiple of the step, an array the code uses is too short for the lanes run, or the tables
    /// do not fit the program.
    pub(crate) fn run(&self, a: &mut Arrays<'_, '_>, table: &[f64], n: usize) {
        fn at<T>(s: &mut [T], off: usize, n: usize) -> *mut u8 {
            assert!(s.len() >= off + n, "an array shorter than the lanes run");
            s[off..].as_mut_ptr().cast()
        }
        assert!(n.is_multiple_of(self.step), "the compiled loop runs whole steps");
        assert_eq!(table.len(), self.slots.len(), "uniform table");
        let l = self.layout;
        assert!(
            a.ins.len() == l.ins && a.outs_f64.len() == l.outs && a.outs_bool.len() == l.outs,
            "pointer table layout"
        );
        if n == 0 {
            return;
        }
        // The pointer table, on the stack when it is small (a call per chunk should not allocate).
        let mut small = [std::ptr::null_mut::<u8>(); 32];
        let mut large = Vec::new();
        let ptrs: &mut [*mut u8] = if l.len() <= small.len() {
            &mut small[..l.len()]
        } else {
            large.resize(l.len(), std::ptr::null_mut());
            &mut large
        };
        for &b in &self.banks {
            let (i, off) = (l.index(b), a.in_off);
            ptrs[i] = match b {
                Bank::In(k) => {
                    let s = a.ins[k as usize];
                    assert!(s.len() >= off + n, "input {k} shorter than the lanes run");
                    // Read only: the code never stores through an input pointer.
                    s[off..].as_ptr().cast_mut().cast()
                }
                Bank::OutF64(k) => at(a.outs_f64[k as usize], a.out_off, n),
                Bank::OutBool(k) => at(a.outs_bool[k as usize], a.out_off, n),
                Bank::RegF64(r) => at(&mut a.regs_f64[r as usize], 0, n),
                Bank::RegBool(r) => at(&mut a.regs_bool[r as usize], 0, n),
                Bank::State => at(a.state, 0, STATE_LEN),
                Bank::Flags => at(a.flags, 0, n),
            };
        }
        // SAFETY: the code was emitted by `compile` for a CPU with AVX2 (`Isa::Avx2` resolved). It reads and
        // writes lanes `0..n` of exactly the arrays in `self.banks` (never storing through an input's pointer;
        // every `bool` it stores is 0 or 1; the state array only at `0..STATE_LEN`), each checked above to have
        // those lanes; the arrays are distinct
        // allocations or disjoint borrows (shared inputs, exclusive outputs and registers); it reads
        // `table[0..slots.len()]` and follows the System V calling convention.
        unsafe { (self.code.entry())(ptrs.as_ptr(), table.as_ptr(), n) }
    }

    /// Whether the code needs [`Arrays::state`] and [`Arrays::flags`] (a root).
    pub(crate) fn is_root(&self) -> bool {
        self.banks.contains(&Bank::State)
    }

    /// The size of the machine code, in bytes.
    pub(crate) fn code_len(&self) -> usize {
        self.code.len
    }
}

/// Compiles instructions `range` of a chunk program to an AVX2 loop, or `None` where they hold something the
/// translation does not cover (or the platform cannot map executable memory). Values that later instructions
/// read are stored to their registers. Only call it where the CPU has AVX2 ([`super::Isa::Avx2`]).
pub(crate) fn compile(prog: &ChunkProgram, range: std::ops::Range<usize>, layout: Layout) -> Option<JitProgram> {
    if !cfg!(all(target_arch = "x86_64", unix)) || range.is_empty() {
        return None;
    }
    let live_out = live_after(&prog.instrs, range.end);
    let instrs = &prog.instrs[range];
    // Powers written out share their squares; if that needs more registers than there are, the `powi`s as they
    // are.
    let fresh = u32::try_from(prog.n_regs[0]).ok()?;
    translate(&expand_powers(instrs, fresh), live_out.clone(), layout).or_else(|| translate(instrs, live_out, layout))
}

/// The loop over the lanes of a run of instructions.
fn translate(instrs: &[Instr], live_out: std::collections::HashSet<Key>, layout: Layout) -> Option<JitProgram> {
    let mut e = Emitter::new(instrs, live_out, layout)?;
    e.asm.gpr_xor_eax();
    let top = e.asm.b.len();
    for (i, instr) in instrs.iter().enumerate() {
        e.instr(i, instr)?;
    }
    e.asm.loop_back(top);
    e.finish(4, None)
}

/// The multiplications of [`crate::scalar::powi`] for an exponent of magnitude `m >= 2`, on numbered values (0
/// is the base, each product takes the next number): the running square `s * s`, and the result times the
/// square at each further set bit (binary powering). Returns the products as `(left, right)` and the number of
/// the result. Written out this way, `x**5` and `x**4` can share `x**2` and `x**4`: the same bits, since every
/// product is the same IEEE multiplication of the same operands in the same order.
pub(super) fn powering(m: u32) -> (Vec<(usize, usize)>, usize) {
    let (mut m, mut square, mut result) = (m, 0, None);
    let mut products = Vec::new();
    loop {
        if m & 1 == 1 {
            result = Some(result.map_or(square, |r| {
                products.push((r, square));
                products.len()
            }));
        }
        m >>= 1;
        if m == 0 {
            return (products, result.expect("a nonzero exponent has a set bit"));
        }
        products.push((square, square));
        square = products.len();
    }
}

/// A run's instructions with each `f64` `powi` of exponent magnitude 2 or more written out as its multiplications
/// ([`powering`]) into fresh registers (numbered from `fresh`; never read after the run, so never stored), each
/// product of the same two values computed once; the `powi`'s destination gets a copy of the product, or its
/// reciprocal for a negative exponent.
fn expand_powers(instrs: &[Instr], mut fresh: u32) -> Vec<Instr> {
    // A value is a location and how many times the run wrote it before.
    type Value = (Loc, u32);
    let mut writes: HashMap<Key, u32> = HashMap::new();
    let mut products: HashMap<(Value, Value), Loc> = HashMap::new();
    let mut out = Vec::with_capacity(instrs.len());
    for instr in instrs {
        match *instr {
            Instr::F64(FInstr::Powi { k, a, dst }) if k.unsigned_abs() >= 2 => {
                let value = |loc: Loc, writes: &HashMap<Key, u32>| -> Value {
                    (loc, writes.get(&(Kind::F, loc)).copied().unwrap_or(0))
                };
                let (steps, result) = powering(k.unsigned_abs());
                let mut vals = vec![a];
                for (l, r) in steps {
                    let (l, r) = (vals[l], vals[r]);
                    let p = *products.entry((value(l, &writes), value(r, &writes))).or_insert_with(|| {
                        let d = Loc::Reg(fresh);
                        fresh += 1;
                        out.push(Instr::F64(FInstr::Binary { op: BinOp::Mul, a: l, b: r, dst: d }));
                        d
                    });
                    vals.push(p);
                }
                let p = vals[result];
                out.push(if k < 0 {
                    Instr::F64(FInstr::Unary { op: UnOp::Recip, a: p, dst })
                } else {
                    Instr::Copy { elem: Elem::F64, src: p, dst }
                });
            }
            _ => out.push(instr.clone()),
        }
        for w in keys(instr).1 {
            *writes.entry(w).or_insert(0) += 1;
        }
    }
    out
}

/// The runs of a chunk program that compile, as `(first, end, code)`: maximal runs of instructions the
/// translation covers (masks read from input arrays or uniform masks end a run), of at least two instructions; a
/// run that fails to compile (too many live values) stays with the slice loops.
pub(crate) fn segments(prog: &ChunkProgram, layout: Layout) -> Vec<(usize, usize, JitProgram)> {
    let mut out = Vec::new();
    let mut start = 0;
    let n = prog.instrs.len();
    for i in 0..=n {
        let fits = i < n
            && reads_writes(&prog.instrs[i])
                .is_some_and(|(reads, _)| reads.iter().all(|r| r.0 == Kind::F || computed(r)));
        if fits {
            continue;
        }
        if i - start >= 2
            && let Some(j) = compile(prog, start..i, layout)
        {
            out.push((start, i, j));
        }
        if i < n
            && let Instr::F64(FInstr::Root(r)) = &prog.instrs[i]
            && let Some(j) = super::jit_root::compile(r, layout)
        {
            out.push((i, i + 1, j));
        }
        start = i + 1;
    }
    out
}

/// The translation state: value registers, the uniform table, which banks are used.
pub(super) struct Emitter {
    pub(super) asm: Asm,
    layout: Layout,
    /// The instruction (def) whose result each location holds now.
    cur: HashMap<Key, usize>,
    /// The last instruction reading each def, if any.
    last_use: Vec<Option<usize>>,
    /// Defs to store to their register when they are made: the last def of a register read after the run.
    store: Vec<bool>,
    reg_of: Vec<Option<u8>>,
    pub(super) free: Vec<u8>,
    slots: Vec<Slot>,
    banks: BTreeSet<Bank>,
}

/// The register file of a location: `f64` values, masks, or another kind (`f32`, statuses), which compiled code
/// never touches.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
enum Kind {
    F,
    M,
    Other,
}

/// A location of one kind.
type Key = (Kind, Loc);

/// The locations an instruction reads and the one it writes, or `None` for an instruction the translation does
/// not cover.
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
    let covered = match fi {
        FInstr::Unary { op, .. } => matches!(op, UnOp::Neg | UnOp::Abs | UnOp::Sqrt | UnOp::Recip),
        FInstr::Powi { k, .. } => k.unsigned_abs() <= MAX_POWI,
        FInstr::Binary { op, .. } => arith(*op).is_some(),
        FInstr::Fused(fz) => arith(fz.op).is_some(),
        FInstr::Cmp { .. } | FInstr::Select { .. } | FInstr::SelectCmp { .. } => true,
        FInstr::Sum { .. } | FInstr::Root(_) => false,
    };
    covered.then(|| float_keys(fi, F))
}

/// The locations a float instruction of kind `k` reads and writes (a root's status is written too; see
/// [`keys`]).
fn float_keys<T>(fi: &FInstr<T>, k: Kind) -> (Vec<Key>, Key) {
    use Kind::M;
    match fi {
        FInstr::Unary { a, dst, .. } | FInstr::Powi { a, dst, .. } => (vec![(k, *a)], (k, *dst)),
        FInstr::Binary { a, b, dst, .. } => (vec![(k, *a), (k, *b)], (k, *dst)),
        FInstr::Cmp { a, b, dst, .. } => (vec![(k, *a), (k, *b)], (M, *dst)),
        FInstr::Select { c, a, b, dst } => (vec![(M, *c), (k, *a), (k, *b)], (k, *dst)),
        FInstr::SelectCmp { x, y, a, b, dst, .. } => (vec![(k, *x), (k, *y), (k, *a), (k, *b)], (k, *dst)),
        FInstr::Fused(fz) => {
            let mut r = vec![(k, fz.a.base), (k, fz.b.base)];
            r.extend(fz.a.scale.map(|s| (k, s)));
            r.extend(fz.b.scale.map(|s| (k, s)));
            (r, (k, fz.dst))
        }
        // A sum writes no location (a partial sum); `Other` at an input keeps it out of every liveness set.
        FInstr::Sum { a, .. } => (vec![(k, *a)], (Kind::Other, Loc::In(u32::MAX))),
        FInstr::Root(r) => {
            let mut reads: Vec<Key> = r.params.iter().map(|&p| (k, p)).collect();
            reads.extend(r.guess.map(|g| (k, g)));
            if let Some((a, b)) = r.bracket {
                reads.extend([(k, a), (k, b)]);
            }
            (reads, (k, r.dst))
        }
    }
}

/// Every location an instruction reads and writes, of every kind.
fn keys(instr: &Instr) -> (Vec<Key>, Vec<Key>) {
    use Kind::{F, M, Other};
    let one = |(r, w): (Vec<Key>, Key)| (r, vec![w]);
    match instr {
        Instr::F64(fi) => {
            let (r, mut w) = one(float_keys(fi, F));
            if let FInstr::Root(root) = fi {
                w.extend(root.status.map(|s| (Other, s)));
            }
            (r, w)
        }
        Instr::F32(fi) => one(float_keys(fi, Other)),
        Instr::Bool { a, b, dst, .. } => (vec![(M, *a), (M, *b)], vec![(M, *dst)]),
        Instr::Not { a, dst } => (vec![(M, *a)], vec![(M, *dst)]),
        Instr::SelectMask { c, a, b, dst } => (vec![(M, *c), (M, *a), (M, *b)], vec![(M, *dst)]),
        Instr::SelectStatus { c, a, b, dst } => (vec![(M, *c), (Other, *a), (Other, *b)], vec![(Other, *dst)]),
        Instr::Cast64To32 { a, dst } => (vec![(F, *a)], vec![(Other, *dst)]),
        Instr::Cast32To64 { a, dst } => (vec![(Other, *a)], vec![(F, *dst)]),
        Instr::Converged { a, dst } => (vec![(Other, *a)], vec![(M, *dst)]),
        Instr::Copy { elem, src, dst } => {
            let k = match elem {
                Elem::F64 => F,
                Elem::Bool => M,
                _ => Other,
            };
            (vec![(k, *src)], vec![(k, *dst)])
        }
    }
}

/// The registers (`f64` and masks) that instructions from `from` on read before writing them.
fn live_after(instrs: &[Instr], from: usize) -> std::collections::HashSet<Key> {
    let (mut live, mut killed) = (std::collections::HashSet::new(), std::collections::HashSet::new());
    for instr in &instrs[from..] {
        let (reads, writes) = keys(instr);
        for r in reads {
            if matches!(r, (Kind::F | Kind::M, Loc::Reg(_))) && !killed.contains(&r) {
                live.insert(r);
            }
        }
        killed.extend(writes);
    }
    live
}

/// Whether a location holds a value computed by the program (rather than an input or a uniform).
fn computed(k: &Key) -> bool {
    matches!(k.1, Loc::Reg(_) | Loc::Out(_))
}

impl Emitter {
    /// An emitter without instructions, for code written by hand around the helpers (roots).
    pub(super) fn bare(layout: Layout) -> Self {
        Self {
            asm: Asm::default(),
            layout,
            cur: HashMap::new(),
            last_use: Vec::new(),
            store: Vec::new(),
            reg_of: Vec::new(),
            free: (0..VALUE_REGS).rev().collect(),
            slots: Vec::new(),
            banks: BTreeSet::new(),
        }
    }

    /// Records that the code uses `bank` (its pointer loaded by hand).
    pub(super) fn note(&mut self, bank: Bank) {
        self.banks.insert(bank);
    }

    /// The program: the code so far, mapped executable.
    pub(super) fn finish(self, step: usize, status: Option<Loc>) -> Option<JitProgram> {
        Some(JitProgram {
            code: Code::new(&self.asm.b)?,
            slots: self.slots,
            layout: self.layout,
            banks: self.banks.into_iter().collect(),
            step,
            status,
        })
    }

    /// Liveness within the run: the def each read refers to, each def's last reader, and which defs are stored.
    fn new(instrs: &[Instr], live_out: std::collections::HashSet<Key>, layout: Layout) -> Option<Self> {
        let mut cur: HashMap<Key, usize> = HashMap::new();
        let mut last_use = vec![None; instrs.len()];
        for (i, instr) in instrs.iter().enumerate() {
            let (reads, dst) = reads_writes(instr)?;
            for r in reads {
                match cur.get(&r) {
                    Some(&def) => last_use[def] = Some(i),
                    // Input and uniform masks stay with the slice loops.
                    None if r.0 == Kind::M && !computed(&r) => return None,
                    None => {}
                }
            }
            if !computed(&dst) {
                return None;
            }
            cur.insert(dst, i);
        }
        let mut store = vec![false; instrs.len()];
        for (key, &def) in &cur {
            store[def] = live_out.contains(key);
        }
        Some(Self { last_use, store, reg_of: vec![None; instrs.len()], ..Self::bare(layout) })
    }

    pub(super) fn slot(&mut self, s: Slot) -> i32 {
        let k = self.slots.iter().position(|&t| t == s).unwrap_or_else(|| {
            self.slots.push(s);
            self.slots.len() - 1
        });
        i32::try_from(k * 8).expect("small table")
    }

    /// Broadcasts a table entry into `reg`.
    pub(super) fn broadcast(&mut self, reg: u8, s: Slot) {
        let disp = self.slot(s);
        self.asm.vex(Map::X0F38, 0x19, reg, 0, Rm::Mem { base: RSI, index: None, disp }, None);
    }

    /// The register holding operand `loc` (loading or broadcasting it into `scratch` when it is not in one).
    fn get(&mut self, loc: Loc, scratch: u8) -> u8 {
        if let Some(&def) = self.cur.get(&(Kind::F, loc)) {
            return self.reg_of[def].expect("a live value is in a register");
        }
        // Not computed in this run: from memory.
        let bank = match loc {
            Loc::In(k) => Bank::In(k),
            Loc::Out(k) => Bank::OutF64(k),
            Loc::Reg(r) => Bank::RegF64(r),
            Loc::Uni(v) => {
                self.broadcast(scratch, Slot::Uni(v));
                return scratch;
            }
        };
        self.load(scratch, bank);
        scratch
    }

    /// The register holding the mask at `loc` (computed in this run, or loaded into `scratch` from a register or
    /// output array: never an input or uniform mask, checked in `new`).
    fn mask(&mut self, loc: Loc, scratch: u8) -> u8 {
        if let Some(&def) = self.cur.get(&(Kind::M, loc)) {
            return self.reg_of[def].expect("a live mask is in a register");
        }
        let bank = match loc {
            Loc::Reg(r) => Bank::RegBool(r),
            Loc::Out(k) => Bank::OutBool(k),
            Loc::In(_) | Loc::Uni(_) => unreachable!("checked in `new`"),
        };
        // Bytes 0/1 to lanes 0/1 (`vpmovzxbq`), then bit 0 to the sign bit (`vpsllq 63`): only sign bits of masks
        // are ever read (`vblendvpd`, `vmovmskpd`; the bitwise ops act on each bit alike).
        self.point(bank);
        self.asm.vex(Map::X0F38, 0x32, scratch, 0, Rm::Bytes { base: R11, index: RAX }, None);
        self.asm.vex(Map::X0F, 0x73, 6, scratch, Rm::Reg(scratch), Some(63));
        scratch
    }

    /// Points `r11` at the current lanes' array `bank`.
    pub(super) fn point(&mut self, bank: Bank) {
        self.banks.insert(bank);
        self.asm.mov_load(R11, RDI, self.layout.disp(bank));
    }

    /// Loads four lanes of `bank` into `reg`.
    pub(super) fn load(&mut self, reg: u8, bank: Bank) {
        self.point(bank);
        self.asm.vex(Map::X0F, 0x10, reg, 0, Rm::Mem { base: R11, index: Some(RAX), disp: 0 }, None);
    }

    /// Stores four lanes of `reg` to `bank` (`f64`).
    pub(super) fn store_f64(&mut self, reg: u8, bank: Bank) {
        self.point(bank);
        self.asm.vex(Map::X0F, 0x11, reg, 0, Rm::Mem { base: R11, index: Some(RAX), disp: 0 }, None);
    }

    /// Stores the four lanes of mask `reg` to `bank` as bytes 0 or 1 (see [`Asm::mask_bytes`]).
    pub(super) fn store_mask(&mut self, reg: u8, bank: Bank) {
        self.asm.mask_bytes(R10, reg);
        self.point(bank);
        // `mov [r11 + rax], r10d`
        self.asm.b.extend_from_slice(&[0x45, 0x89, 0x14, 0x03]);
    }

    pub(super) fn op3(&mut self, op: u8, dst: u8, a: u8, b: u8) {
        self.asm.vex(Map::X0F, op, dst, a, Rm::Reg(b), None);
    }

    /// `dst = sign(src)` with a constant mask in `S3`.
    pub(super) fn sign(&mut self, dst: u8, src: u8, s: SignOp) -> u8 {
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

    pub(super) fn powi(&mut self, k: i32, a: u8, d: u8) -> Option<()> {
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
                let a = if *elem == Elem::Bool { self.mask(*src, S0) } else { self.get(*src, S0) };
                self.asm.vex(Map::X0F, 0x28, d, 0, Rm::Reg(a), None);
            }
            Instr::Not { a, .. } => {
                let a = self.mask(*a, S0);
                self.broadcast(S2, Slot::Bits(u64::MAX));
                self.op3(0x57, d, a, S2);
            }
            Instr::Bool { op, a, b, .. } => {
                let (a, b) = (self.mask(*a, S0), self.mask(*b, S1));
                self.op3(if *op == BoolOp::And { 0x54 } else { 0x56 }, d, a, b);
            }
            Instr::SelectMask { c, a, b, .. } => {
                let (c, a, b) = (self.mask(*c, S0), self.mask(*a, S1), self.mask(*b, S2));
                self.asm.vex(Map::X0F3A, 0x4B, d, b, Rm::Reg(a), Some(c << 4));
            }
            Instr::F64(FInstr::Cmp { op, a, b, .. }) => {
                let a = self.get(*a, S0);
                let b = self.get(*b, S1);
                self.asm.vex(Map::X0F, 0xC2, d, a, Rm::Reg(b), Some(predicate(*op)));
            }
            Instr::F64(FInstr::Select { c, a, b, .. }) => {
                let c = self.mask(*c, S2);
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
        // Outputs are always written; registers when a later instruction reads them.
        match dst {
            (Kind::F, Loc::Out(k)) => self.store_f64(d, Bank::OutF64(k)),
            (Kind::M, Loc::Out(k)) => self.store_mask(d, Bank::OutBool(k)),
            (Kind::F, Loc::Reg(r)) if self.store[i] => self.store_f64(d, Bank::RegF64(r)),
            (Kind::M, Loc::Reg(r)) if self.store[i] => self.store_mask(d, Bank::RegBool(r)),
            _ => {}
        }
        // Operands read for the last time give their registers back (after the result took its own).
        let mut dying: Vec<usize> = reads
            .iter()
            .filter_map(|r| self.cur.get(r).copied())
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

/// The opcode of an arithmetic op (`VEX.256.66.0F`), or `None` for one not compiled.
pub(super) fn arith(op: BinOp) -> Option<u8> {
    match op {
        BinOp::Add => Some(0x58),
        BinOp::Mul => Some(0x59),
        BinOp::Sub => Some(0x5C),
        BinOp::Div => Some(0x5E),
        BinOp::Pow | BinOp::Hypot => None,
    }
}

/// The `vcmppd` predicate with the truth table of Rust's comparison (false on NaN, except `!=`).
pub(super) fn predicate(op: CmpOp) -> u8 {
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
pub(super) enum Map {
    X0F = 1,
    X0F38 = 2,
    X0F3A = 3,
}

/// The `r/m` operand: a `ymm` register, memory at `[base + index * 8 + disp]`, or bytes at `[base + index]`.
#[derive(Copy, Clone)]
pub(super) enum Rm {
    Reg(u8),
    Mem { base: u8, index: Option<u8>, disp: i32 },
    Bytes { base: u8, index: u8 },
}

/// A byte buffer with the encoders used above.
#[derive(Default)]
pub(super) struct Asm {
    pub(super) b: Vec<u8>,
}

impl Asm {
    /// A 256-bit VEX instruction with the `66` prefix and `W0`: `reg` is the ModRM `reg` field (usually the
    /// destination), `v` the `vvvv` operand (0 where unused), then `rm` and an optional immediate.
    pub(super) fn vex(&mut self, map: Map, op: u8, reg: u8, v: u8, rm: Rm, imm: Option<u8>) {
        let (x, base) = match rm {
            Rm::Reg(r) => (0, r),
            Rm::Mem { base, index, .. } => (index.unwrap_or(0), base),
            Rm::Bytes { base, index } => (index, base),
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
            Rm::Bytes { base, index } => {
                debug_assert!(base & 7 != 5, "rbp and r13 need a displacement");
                self.b.push(0x04 | ((reg & 7) << 3));
                self.b.push(((index & 7) << 3) | (base & 7));
            }
            Rm::Mem { base, index: None, disp } => {
                debug_assert!(base & 7 != 4, "rsp and r12 need a SIB byte");
                self.b.push(0x80 | ((reg & 7) << 3) | (base & 7));
                self.b.extend_from_slice(&disp.to_le_bytes());
            }
        }
    }

    /// `mov reg, [base + disp32]` (64-bit).
    pub(super) fn mov_load(&mut self, reg: u8, base: u8, disp: i32) {
        self.b.push(0x48 | (((reg >> 3) & 1) << 2) | ((base >> 3) & 1));
        self.b.push(0x8B);
        self.modrm(reg, Rm::Mem { base, index: None, disp });
    }

    /// The four lanes of mask `ymm` as four bytes 0 or 1 in general-purpose register `gpr` (32 bits): the sign bits
    /// (`vmovmskpd`) times `0x0020_4081` move bit `j` to bit `8j` (no two partial products meet), then `and`
    /// keeps bit 0 of each byte.
    pub(super) fn mask_bytes(&mut self, gpr: u8, ymm: u8) {
        self.vex(Map::X0F, 0x50, gpr, 0, Rm::Reg(ymm), None);
        let (rex, low) = (gpr >= 8, gpr & 7);
        // `imul gpr, gpr, 0x0020_4081`
        if rex {
            self.b.push(0x45);
        }
        self.b.extend_from_slice(&[0x69, 0xC0 | (low << 3) | low]);
        self.b.extend_from_slice(&0x0020_4081_u32.to_le_bytes());
        // `and gpr, 0x0101_0101`
        if rex {
            self.b.push(0x41);
        }
        self.b.extend_from_slice(&[0x81, 0xE0 | low]);
        self.b.extend_from_slice(&0x0101_0101_u32.to_le_bytes());
    }

    /// A conditional jump `0F cc rel32` to be patched; returns the position of its displacement.
    pub(super) fn jcc(&mut self, cc: u8) -> usize {
        self.b.extend_from_slice(&[0x0F, cc, 0, 0, 0, 0]);
        self.b.len() - 4
    }

    /// Points the jump whose displacement is at `at` to `target`.
    pub(super) fn patch(&mut self, at: usize, target: usize) {
        let rel = i32::try_from(target as i64 - (at as i64 + 4)).expect("short code");
        self.b[at..at + 4].copy_from_slice(&rel.to_le_bytes());
    }

    /// `jmp target` (backwards).
    pub(super) fn jmp_back(&mut self, target: usize) {
        self.b.extend_from_slice(&[0xE9, 0, 0, 0, 0]);
        let at = self.b.len() - 4;
        self.patch(at, target);
    }

    /// `xor eax, eax`: the lane index starts at 0.
    pub(super) fn gpr_xor_eax(&mut self) {
        self.b.extend_from_slice(&[0x31, 0xC0]);
    }

    /// `add rax, 4; cmp rax, rdx; jb top; vzeroupper; ret`.
    fn loop_back(&mut self, top: usize) {
        self.b.extend_from_slice(&[0x48, 0x83, 0xC0 | RAX, 0x04]);
        self.b.extend_from_slice(&[0x48, 0x39, 0xC0 | (RDX << 3) | RAX]);
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
