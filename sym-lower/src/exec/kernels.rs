//! Elementwise loops over slices and fixed-size lane blocks, and the op dispatch shared by both.
//!
//! Each op is dispatched once per slice (or block) to a loop whose body is the op's scalar function from
//! [`crate::scalar`] with the op a compile-time constant, so the loop body inlines and, for `+ - * /`, `neg`,
//! `abs`, `sqrt`, small `powi` and comparisons, vectorises. Results are bit-identical to the scalar functions
//! because they *are* the scalar functions.

use super::lanes::Lane;
use crate::op::{BinOp, CmpOp, UnOp};
use crate::scalar::Real;

/// An operand of a slice loop: one element per lane, or one element for every lane.
#[derive(Copy, Clone)]
pub(crate) enum Arg<'a, T> {
    /// One element per lane.
    Lanes(&'a [T]),
    /// One element broadcast to every lane.
    Splat(T),
}

/// `dst[i] = f(a[i])`.
#[inline]
pub(crate) fn map1<T: Copy, U: Copy>(dst: &mut [U], a: Arg<'_, T>, f: impl Fn(T) -> U) {
    match a {
        Arg::Lanes(a) => {
            for (d, &x) in dst.iter_mut().zip(a) {
                *d = f(x);
            }
        }
        Arg::Splat(x) => dst.fill(f(x)),
    }
}

/// `dst[i] = f(a[i], b[i])`.
#[inline]
pub(crate) fn map2<T: Copy, U: Copy>(
    dst: &mut [U],
    a: Arg<'_, T>,
    b: Arg<'_, T>,
    f: impl Fn(T, T) -> U,
) {
    match (a, b) {
        (Arg::Lanes(a), Arg::Lanes(b)) => {
            for ((d, &x), &y) in dst.iter_mut().zip(a).zip(b) {
                *d = f(x, y);
            }
        }
        (Arg::Lanes(a), Arg::Splat(y)) => {
            for (d, &x) in dst.iter_mut().zip(a) {
                *d = f(x, y);
            }
        }
        (Arg::Splat(x), Arg::Lanes(b)) => {
            for (d, &y) in dst.iter_mut().zip(b) {
                *d = f(x, y);
            }
        }
        (Arg::Splat(x), Arg::Splat(y)) => dst.fill(f(x, y)),
    }
}

/// `dst[i] = if c[i] { a[i] } else { b[i] }`.
#[inline]
pub(crate) fn select<U: Copy>(dst: &mut [U], c: Arg<'_, bool>, a: Arg<'_, U>, b: Arg<'_, U>) {
    let at = |x: Arg<'_, U>, i: usize| match x {
        Arg::Lanes(s) => s[i],
        Arg::Splat(v) => v,
    };
    match (c, a, b) {
        (Arg::Lanes(c), Arg::Lanes(a), Arg::Lanes(b)) => {
            for (((d, &m), &x), &y) in dst.iter_mut().zip(c).zip(a).zip(b) {
                *d = if m { x } else { y };
            }
        }
        (Arg::Splat(m), a, b) => {
            let src = if m { a } else { b };
            match src {
                Arg::Lanes(s) => dst.copy_from_slice(&s[..dst.len()]),
                Arg::Splat(v) => dst.fill(v),
            }
        }
        (Arg::Lanes(c), a, b) => {
            for (i, (d, &m)) in dst.iter_mut().zip(c).enumerate() {
                *d = if m { at(a, i) } else { at(b, i) };
            }
        }
    }
}

/// Calls `$apply($($args,)* f)` with `f` the scalar function of the unary op `$op` (a constant in each arm).
macro_rules! with_unary {
    ($op:expr, $apply:expr, ($($args:expr),*)) => {{
        use $crate::op::UnOp as __U;
        use $crate::scalar::unary as __un;
        match $op {
            __U::Neg => $apply($($args,)* |x| __un(__U::Neg, x)),
            __U::Recip => $apply($($args,)* |x| __un(__U::Recip, x)),
            __U::Sqrt => $apply($($args,)* |x| __un(__U::Sqrt, x)),
            __U::Cbrt => $apply($($args,)* |x| __un(__U::Cbrt, x)),
            __U::Exp => $apply($($args,)* |x| __un(__U::Exp, x)),
            __U::Log => $apply($($args,)* |x| __un(__U::Log, x)),
            __U::Sin => $apply($($args,)* |x| __un(__U::Sin, x)),
            __U::Cos => $apply($($args,)* |x| __un(__U::Cos, x)),
            __U::Tan => $apply($($args,)* |x| __un(__U::Tan, x)),
            __U::Cot => $apply($($args,)* |x| __un(__U::Cot, x)),
            __U::Sec => $apply($($args,)* |x| __un(__U::Sec, x)),
            __U::Csc => $apply($($args,)* |x| __un(__U::Csc, x)),
            __U::Asin => $apply($($args,)* |x| __un(__U::Asin, x)),
            __U::Acos => $apply($($args,)* |x| __un(__U::Acos, x)),
            __U::Atan => $apply($($args,)* |x| __un(__U::Atan, x)),
            __U::Acot => $apply($($args,)* |x| __un(__U::Acot, x)),
            __U::Sinh => $apply($($args,)* |x| __un(__U::Sinh, x)),
            __U::Cosh => $apply($($args,)* |x| __un(__U::Cosh, x)),
            __U::Tanh => $apply($($args,)* |x| __un(__U::Tanh, x)),
            __U::Coth => $apply($($args,)* |x| __un(__U::Coth, x)),
            __U::Asinh => $apply($($args,)* |x| __un(__U::Asinh, x)),
            __U::Acosh => $apply($($args,)* |x| __un(__U::Acosh, x)),
            __U::Atanh => $apply($($args,)* |x| __un(__U::Atanh, x)),
            __U::Abs => $apply($($args,)* |x| __un(__U::Abs, x)),
            __U::Sign => $apply($($args,)* |x| __un(__U::Sign, x)),
            __U::LambertW => $apply($($args,)* |x| __un(__U::LambertW, x)),
            __U::Log1p => $apply($($args,)* |x| __un(__U::Log1p, x)),
            __U::Expm1 => $apply($($args,)* |x| __un(__U::Expm1, x)),
        }
    }};
}

/// Calls `$apply($($args,)* f)` with `f` the scalar function of the binary op `$op`.
macro_rules! with_binary {
    ($op:expr, $apply:expr, ($($args:expr),*)) => {{
        use $crate::op::BinOp as __B;
        use $crate::scalar::binary as __bin;
        match $op {
            __B::Add => $apply($($args,)* |x, y| __bin(__B::Add, x, y)),
            __B::Sub => $apply($($args,)* |x, y| __bin(__B::Sub, x, y)),
            __B::Mul => $apply($($args,)* |x, y| __bin(__B::Mul, x, y)),
            __B::Div => $apply($($args,)* |x, y| __bin(__B::Div, x, y)),
            __B::Pow => $apply($($args,)* |x, y| __bin(__B::Pow, x, y)),
            __B::Hypot => $apply($($args,)* |x, y| __bin(__B::Hypot, x, y)),
        }
    }};
}

/// Calls `$apply($($args,)* f)` with `f` the scalar function of the comparison `$op`.
macro_rules! with_cmp {
    ($op:expr, $apply:expr, ($($args:expr),*)) => {{
        use $crate::op::CmpOp as __C;
        use $crate::scalar::compare as __cmp;
        match $op {
            __C::Lt => $apply($($args,)* |x, y| __cmp(__C::Lt, x, y)),
            __C::Le => $apply($($args,)* |x, y| __cmp(__C::Le, x, y)),
            __C::Gt => $apply($($args,)* |x, y| __cmp(__C::Gt, x, y)),
            __C::Ge => $apply($($args,)* |x, y| __cmp(__C::Ge, x, y)),
            __C::Eq => $apply($($args,)* |x, y| __cmp(__C::Eq, x, y)),
            __C::Ne => $apply($($args,)* |x, y| __cmp(__C::Ne, x, y)),
        }
    }};
}

/// Calls `$apply($($args,)* f)` with `f = |x| powi(x, k)`, specialised for small constant `k` so that the
/// binary-powering loop unrolls (same multiplications, same order, same bits).
macro_rules! with_powi {
    ($k:expr, $apply:expr, ($($args:expr),*)) => {{
        use $crate::scalar::powi as __powi;
        match $k {
            -1 => $apply($($args,)* |x| __powi(x, -1)),
            -2 => $apply($($args,)* |x| __powi(x, -2)),
            2 => $apply($($args,)* |x| __powi(x, 2)),
            3 => $apply($($args,)* |x| __powi(x, 3)),
            4 => $apply($($args,)* |x| __powi(x, 4)),
            5 => $apply($($args,)* |x| __powi(x, 5)),
            6 => $apply($($args,)* |x| __powi(x, 6)),
            k => $apply($($args,)* move |x| __powi(x, k)),
        }
    }};
}

pub(crate) use {with_binary, with_cmp, with_powi, with_unary};

/// Slice loop of a unary op.
#[inline]
pub(crate) fn unary<T: Real>(op: UnOp, dst: &mut [T], a: Arg<'_, T>) {
    with_unary!(op, map1, (dst, a));
}

/// Slice loop of `powi`.
#[inline]
pub(crate) fn powi<T: Real>(k: i32, dst: &mut [T], a: Arg<'_, T>) {
    with_powi!(k, map1, (dst, a));
}

/// Slice loop of a binary op.
#[inline]
pub(crate) fn binary<T: Real>(op: BinOp, dst: &mut [T], a: Arg<'_, T>, b: Arg<'_, T>) {
    with_binary!(op, map2, (dst, a, b));
}

/// Slice loop of a comparison.
#[inline]
pub(crate) fn compare<T: Real>(op: CmpOp, dst: &mut [bool], a: Arg<'_, T>, b: Arg<'_, T>) {
    with_cmp!(op, map2, (dst, a, b));
}

/// A prepared operand of a fused kernel: `sign(scale * square?(x))`, the sign as bit masks `(b & and) ^ xor`.
#[derive(Copy, Clone)]
pub(crate) struct PrepArg<'a, T: Lane> {
    pub x: Arg<'a, T>,
    pub square: bool,
    pub scale: T,
    pub and: T::Bits,
    pub xor: T::Bits,
}

#[inline(always)]
fn prep<T: Lane, const SQ: bool>(x: T, scale: T, and: T::Bits, xor: T::Bits) -> T {
    let v = if SQ { x * x } else { x };
    let v = scale * v;
    T::of_bits((v.bits() & and) ^ xor)
}

#[inline(always)]
fn post<T: Lane, const SQRT: bool>(r: T, and: T::Bits, xor: T::Bits) -> T {
    let v = if SQRT { r.sqrt() } else { r };
    T::of_bits((v.bits() & and) ^ xor)
}

#[inline(always)]
fn fused_loop<T: Lane, const SQA: bool, const SQB: bool, const SQRT: bool>(
    dst: &mut [T],
    a: PrepArg<'_, T>,
    b: PrepArg<'_, T>,
    and: T::Bits,
    xor: T::Bits,
    f: impl Fn(T, T) -> T,
) {
    let pa = |x: T| prep::<T, SQA>(x, a.scale, a.and, a.xor);
    let pb = |y: T| prep::<T, SQB>(y, b.scale, b.and, b.xor);
    let out = |r: T| post::<T, SQRT>(r, and, xor);
    match (a.x, b.x) {
        (Arg::Lanes(xa), Arg::Lanes(xb)) => {
            for ((d, &x), &y) in dst.iter_mut().zip(xa).zip(xb) {
                *d = out(f(pa(x), pb(y)));
            }
        }
        (Arg::Lanes(xa), Arg::Splat(y)) => {
            let y = pb(y);
            for (d, &x) in dst.iter_mut().zip(xa) {
                *d = out(f(pa(x), y));
            }
        }
        (Arg::Splat(x), Arg::Lanes(xb)) => {
            let x = pa(x);
            for (d, &y) in dst.iter_mut().zip(xb) {
                *d = out(f(x, pb(y)));
            }
        }
        (Arg::Splat(x), Arg::Splat(y)) => dst.fill(out(f(pa(x), pb(y)))),
    }
}

macro_rules! fused_variants {
    ($f:expr, $sqa:expr, $sqb:expr, $sqrt:expr, ($($args:expr),*)) => {
        match ($sqa, $sqb, $sqrt) {
            (false, false, false) => fused_loop::<T, false, false, false>($($args,)* $f),
            (false, false, true) => fused_loop::<T, false, false, true>($($args,)* $f),
            (false, true, false) => fused_loop::<T, false, true, false>($($args,)* $f),
            (false, true, true) => fused_loop::<T, false, true, true>($($args,)* $f),
            (true, false, false) => fused_loop::<T, true, false, false>($($args,)* $f),
            (true, false, true) => fused_loop::<T, true, false, true>($($args,)* $f),
            (true, true, false) => fused_loop::<T, true, true, false>($($args,)* $f),
            (true, true, true) => fused_loop::<T, true, true, true>($($args,)* $f),
        }
    };
}

/// The slice loop of a fused kernel `sign(sqrt?(op(prep(a), prep(b))))` (see the executor's `plan` module);
/// `op` is `+ - * /`, each the scalar function of [`crate::scalar::binary`].
#[inline]
pub(crate) fn fused<T: Lane>(
    op: BinOp,
    dst: &mut [T],
    a: PrepArg<'_, T>,
    b: PrepArg<'_, T>,
    sqrt: bool,
    and: T::Bits,
    xor: T::Bits,
) {
    let (sa, sb) = (a.square, b.square);
    match op {
        BinOp::Add => fused_variants!(|x: T, y: T| x + y, sa, sb, sqrt, (dst, a, b, and, xor)),
        BinOp::Sub => fused_variants!(|x: T, y: T| x - y, sa, sb, sqrt, (dst, a, b, and, xor)),
        BinOp::Mul => fused_variants!(|x: T, y: T| x * y, sa, sb, sqrt, (dst, a, b, and, xor)),
        BinOp::Div => fused_variants!(|x: T, y: T| x / y, sa, sb, sqrt, (dst, a, b, and, xor)),
        BinOp::Pow | BinOp::Hypot => unreachable!("only + - * / are fused"),
    }
}
