//! The instruction set the executor's loops are compiled for, chosen when an [`crate::Executor`] is built.
//!
//! The float kernels (every slice loop, fused kernel and blocked root iteration) are compiled twice: for the
//! baseline of the target (SSE2 on x86-64) and, on x86-64, for AVX2 with FMA: each entry point below has a
//! `#[target_feature]` twin into which the kernel (`#[inline(always)]` down to its loops) is inlined. The AVX2
//! copy runs only where the CPU reports both features at run time, so the same binary runs everywhere and uses
//! the wider registers where they exist (XLA compiles for the host the same way; a portable Rust build does
//! not). One twin per kernel, not one for the whole chunk interpreter: a single function holding every inlined
//! loop took minutes to compile.
//!
//! The workspace denies `unsafe`; this module is the one library module that allows it (the benchmarks' reference
//! twins are the other place): calling a `#[target_feature]` function needs the caller's promise that the CPU has
//! the features, which [`Isa::resolve`] checks.
//!
//! Both copies compute the same bits. They perform the same IEEE operations in the same order: Rust never
//! contracts `a * b + c` into a fused multiply-add, wider registers only process more lanes per instruction,
//! and `+ - * /`, `sqrt`, comparisons and bitwise selects are exact whatever the vector width. Functions without
//! a vector form (`exp`, `sin`, ...) call the same scalar code in both. `sym-lower/tests/props.rs` checks the
//! agreement on random graphs.

#![allow(unsafe_code)]

use super::block::{BlockProgram, BlockRegs, BlockStart, Lanes, solve_block};
use super::kernels::{self, Arg, Post, PrepArg};
use super::lanes::Lane;
use crate::op::{BinOp, CmpOp, UnOp};
use crate::root::RootStatus;
use crate::scalar::Real;

/// Which instruction set the executor's loops use.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
#[non_exhaustive]
pub enum Isa {
    /// The widest the CPU supports at run time (AVX2 with FMA on x86-64 when present, else the baseline).
    #[default]
    Best,
    /// The target's baseline (SSE2 on x86-64): the loops as the crate is compiled.
    Baseline,
    /// AVX2 with FMA (x86-64). Where the CPU lacks them, the executor uses the baseline instead:
    /// [`crate::Executor::isa`] says which one runs.
    Avx2,
}

impl Isa {
    /// Whether this CPU runs the AVX2 copy of the loops.
    #[must_use]
    pub fn avx2_available() -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    }

    /// The instruction set that runs when this one is asked for: [`Isa::Baseline`] or [`Isa::Avx2`], the latter
    /// only where the CPU has it.
    #[must_use]
    pub fn resolve(self) -> Self {
        match self {
            Self::Best | Self::Avx2 if Self::avx2_available() => Self::Avx2,
            _ => Self::Baseline,
        }
    }
}

/// Defines `$name(isa, args...)`, which runs `$body` compiled for `isa`: the baseline function, or its AVX2
/// twin where `isa` is [`Isa::Avx2`] (only ever the result of [`Isa::resolve`], which checked the CPU).
macro_rules! twin {
    ($(#[$doc:meta])* fn $name:ident<$T:ident: $bound:path>($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block) => {
        $(#[$doc])*
        #[inline(always)]
        pub(crate) fn $name<$T: $bound>(isa: Isa, $($arg: $ty),*) $(-> $ret)? {
            #[inline(always)]
            fn body<$T: $bound>($($arg: $ty),*) $(-> $ret)? $body
            #[cfg(target_arch = "x86_64")]
            if isa == Isa::Avx2 {
                #[target_feature(enable = "avx2,fma")]
                fn avx2<$T: $bound>($($arg: $ty),*) $(-> $ret)? {
                    body($($arg),*)
                }
                // SAFETY: `isa` is `Avx2` only after `Isa::resolve` found AVX2 and FMA on this CPU.
                return unsafe { avx2($($arg),*) };
            }
            let _ = isa;
            body($($arg),*)
        }
    };
}

twin! {
    /// [`kernels::unary`].
    fn unary<T: Real>(op: UnOp, dst: &mut [T], a: Arg<'_, T>) { kernels::unary(op, dst, a) }
}

twin! {
    /// [`kernels::powi`].
    fn powi<T: Real>(k: i32, dst: &mut [T], a: Arg<'_, T>) { kernels::powi(k, dst, a) }
}

twin! {
    /// [`kernels::binary`].
    fn binary<T: Real>(op: BinOp, dst: &mut [T], a: Arg<'_, T>, b: Arg<'_, T>) { kernels::binary(op, dst, a, b) }
}

twin! {
    /// [`kernels::compare`].
    fn compare<T: Real>(op: CmpOp, dst: &mut [bool], a: Arg<'_, T>, b: Arg<'_, T>) {
        kernels::compare(op, dst, a, b);
    }
}

twin! {
    /// [`kernels::select_float`].
    fn select_float<T: Lane>(dst: &mut [T], c: Arg<'_, bool>, a: Arg<'_, T>, b: Arg<'_, T>) {
        kernels::select_float(dst, c, a, b);
    }
}

twin! {
    /// [`kernels::select_cmp`].
    fn select_cmp<T: Lane>(op: CmpOp, dst: &mut [T], x: Arg<'_, T>, y: Arg<'_, T>, a: Arg<'_, T>, b: Arg<'_, T>) {
        kernels::select_cmp(op, dst, x, y, a, b);
    }
}

twin! {
    /// [`kernels::fused`].
    fn fused<T: Lane>(op: BinOp, dst: &mut [T], a: &PrepArg<'_, T>, b: &PrepArg<'_, T>, post: &Post<T>) {
        kernels::fused(op, dst, a, b, post);
    }
}

twin! {
    /// One block of a `root` op: the part of the residual that does not depend on `y` (parameters already set),
    /// then [`solve_block`].
    fn root_block<T: Lane>(
        prog: &BlockProgram<T>,
        regs: &mut BlockRegs<T>,
        start: &BlockStart<T>,
        lanes: usize,
        tol: T,
        max_iter: u32,
    ) -> (Lanes<T>, Lanes<RootStatus>) {
        prog.prepare(regs);
        solve_block(prog, regs, start, lanes, tol, max_iter)
    }
}
