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
#[inline(always)]
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
#[inline(always)]
pub(crate) fn map2<T: Copy, U: Copy>(dst: &mut [U], a: Arg<'_, T>, b: Arg<'_, T>, f: impl Fn(T, T) -> U) {
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
#[inline(always)]
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

/// `dst[i] = if c[i] { a[i] } else { b[i] }` for floats, branch-free: the condition byte becomes an all-ones or
/// all-zeros mask as wide as the float and the result is `(m & a) | (!m & b)` bit for bit, so the loop vectorises
/// and costs the same whichever way the conditions fall (the branchy [`select`] loop took about 15% of the
/// quadratic's profile samples). The bits of the chosen operand are kept exactly, NaN payloads included.
#[inline(always)]
pub(crate) fn select_float<T: Lane>(dst: &mut [T], c: Arg<'_, bool>, a: Arg<'_, T>, b: Arg<'_, T>) {
    #[inline(always)]
    fn pick<T: Lane>(m: bool, x: T, y: T) -> T {
        T::sel(T::mask(m), x, y)
    }
    let Arg::Lanes(c) = c else { return select(dst, c, a, b) };
    match (a, b) {
        (Arg::Lanes(a), Arg::Lanes(b)) => {
            for (((d, &m), &x), &y) in dst.iter_mut().zip(c).zip(a).zip(b) {
                *d = pick(m, x, y);
            }
        }
        (Arg::Lanes(a), Arg::Splat(y)) => {
            for ((d, &m), &x) in dst.iter_mut().zip(c).zip(a) {
                *d = pick(m, x, y);
            }
        }
        (Arg::Splat(x), Arg::Lanes(b)) => {
            for ((d, &m), &y) in dst.iter_mut().zip(c).zip(b) {
                *d = pick(m, x, y);
            }
        }
        (Arg::Splat(x), Arg::Splat(y)) => {
            for (d, &m) in dst.iter_mut().zip(c) {
                *d = pick(m, x, y);
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
#[inline(always)]
pub(crate) fn unary<T: Real>(op: UnOp, dst: &mut [T], a: Arg<'_, T>) {
    with_unary!(op, map1, (dst, a));
}

/// Slice loop of `powi`.
#[inline(always)]
pub(crate) fn powi<T: Real>(k: i32, dst: &mut [T], a: Arg<'_, T>) {
    with_powi!(k, map1, (dst, a));
}

/// Slice loop of a binary op.
#[inline(always)]
pub(crate) fn binary<T: Real>(op: BinOp, dst: &mut [T], a: Arg<'_, T>, b: Arg<'_, T>) {
    with_binary!(op, map2, (dst, a, b));
}

/// Slice loop of a comparison.
#[inline(always)]
pub(crate) fn compare<T: Real>(op: CmpOp, dst: &mut [bool], a: Arg<'_, T>, b: Arg<'_, T>) {
    with_cmp!(op, map2, (dst, a, b));
}

/// A prepared operand of a fused kernel: `sign(scale * square?(x))`, the sign as bit masks `(b & and) ^ xor`.
#[derive(Copy, Clone)]
pub(crate) struct PrepArg<'a, T: Lane> {
    pub x: Arg<'a, T>,
    pub square: bool,
    /// Whether a scale or a sign is applied (otherwise `scale` is 1 and the masks are the identity).
    pub full: bool,
    pub scale: T,
    pub and: T::Bits,
    pub xor: T::Bits,
}

impl<T: Lane> PrepArg<'_, T> {
    /// The operand mode: bit 0 squares, bit 1 applies the scale and the sign.
    fn mode(&self) -> u8 {
        u8::from(self.square) | (u8::from(self.full) << 1)
    }
}

/// The post-operation of a fused kernel: an optional square root, then an optional sign (as bit masks).
#[derive(Copy, Clone)]
pub(crate) struct Post<T: Lane> {
    pub sqrt: bool,
    pub signed: bool,
    pub and: T::Bits,
    pub xor: T::Bits,
}

impl<T: Lane> Post<T> {
    /// The post mode: bit 0 takes the square root, bit 1 applies the sign.
    fn mode(&self) -> u8 {
        u8::from(self.sqrt) | (u8::from(self.signed) << 1)
    }
}

/// The operand preparation of mode `M` (see [`PrepArg::mode`]). The modes are compile-time constants so that a
/// plain operand costs nothing (a generic scale of 1 and identity masks would cost three operations per lane).
#[inline(always)]
fn prep<T: Lane, const M: u8>(x: T, p: &PrepArg<'_, T>) -> T {
    let v = if M & 1 == 0 { x } else { x * x };
    if M & 2 == 0 {
        v
    } else {
        let v = p.scale * v;
        T::of_bits((v.bits() & p.and) ^ p.xor)
    }
}

/// The post-operation of mode `P` (see [`Post::mode`]).
#[inline(always)]
fn post<T: Lane, const P: u8>(r: T, p: &Post<T>) -> T {
    let v = if P & 1 == 0 { r } else { r.sqrt() };
    if P & 2 == 0 { v } else { T::of_bits((v.bits() & p.and) ^ p.xor) }
}

#[inline(always)]
fn fused_ll<T: Lane, const MA: u8, const MB: u8, const P: u8>(
    dst: &mut [T],
    xa: &[T],
    xb: &[T],
    pa: &PrepArg<'_, T>,
    pb: &PrepArg<'_, T>,
    p: &Post<T>,
    f: impl Fn(T, T) -> T,
) {
    for ((d, &x), &y) in dst.iter_mut().zip(xa).zip(xb) {
        *d = post::<T, P>(f(prep::<T, MA>(x, pa), prep::<T, MB>(y, pb)), p);
    }
}

#[inline(always)]
fn fused_ls<T: Lane, const MA: u8, const P: u8>(
    dst: &mut [T],
    xa: &[T],
    y: T,
    pa: &PrepArg<'_, T>,
    p: &Post<T>,
    f: impl Fn(T, T) -> T,
) {
    for (d, &x) in dst.iter_mut().zip(xa) {
        *d = post::<T, P>(f(prep::<T, MA>(x, pa), y), p);
    }
}

#[inline(always)]
fn fused_sl<T: Lane, const MB: u8, const P: u8>(
    dst: &mut [T],
    x: T,
    xb: &[T],
    pb: &PrepArg<'_, T>,
    p: &Post<T>,
    f: impl Fn(T, T) -> T,
) {
    for (d, &y) in dst.iter_mut().zip(xb) {
        *d = post::<T, P>(f(x, prep::<T, MB>(y, pb)), p);
    }
}

/// The prepared value of a broadcast operand (computed once).
#[inline(always)]
fn prep_dyn<T: Lane>(x: T, p: &PrepArg<'_, T>) -> T {
    match p.mode() {
        0 => prep::<T, 0>(x, p),
        1 => prep::<T, 1>(x, p),
        2 => prep::<T, 2>(x, p),
        _ => prep::<T, 3>(x, p),
    }
}

#[inline(always)]
fn post_dyn<T: Lane>(r: T, p: &Post<T>) -> T {
    match p.mode() {
        0 => post::<T, 0>(r, p),
        1 => post::<T, 1>(r, p),
        2 => post::<T, 2>(r, p),
        _ => post::<T, 3>(r, p),
    }
}

#[inline(always)]
#[allow(clippy::too_many_lines)]
fn dispatch<T: Lane>(
    dst: &mut [T],
    pa: &PrepArg<'_, T>,
    pb: &PrepArg<'_, T>,
    post: &Post<T>,
    f: impl Fn(T, T) -> T + Copy,
) {
    match (pa.x, pb.x) {
        (Arg::Lanes(xa), Arg::Lanes(xb)) => dispatch_ll(dst, xa, xb, pa, pb, post, f),
        (Arg::Lanes(xa), Arg::Splat(y)) => dispatch_ls(dst, xa, prep_dyn(y, pb), pa, post, f),
        (Arg::Splat(x), Arg::Lanes(xb)) => dispatch_sl(dst, prep_dyn(x, pa), xb, pb, post, f),
        (Arg::Splat(x), Arg::Splat(y)) => dst.fill(post_dyn(f(prep_dyn(x, pa), prep_dyn(y, pb)), post)),
    }
}

#[inline(always)]
#[allow(clippy::too_many_lines)]
fn dispatch_ll<T: Lane>(
    dst: &mut [T],
    xa: &[T],
    xb: &[T],
    pa: &PrepArg<'_, T>,
    pb: &PrepArg<'_, T>,
    post: &Post<T>,
    f: impl Fn(T, T) -> T + Copy,
) {
    match (pa.mode(), pb.mode(), post.mode()) {
        (0, 0, 0) => fused_ll::<T, 0, 0, 0>(dst, xa, xb, pa, pb, post, f),
        (0, 0, 1) => fused_ll::<T, 0, 0, 1>(dst, xa, xb, pa, pb, post, f),
        (0, 0, 2) => fused_ll::<T, 0, 0, 2>(dst, xa, xb, pa, pb, post, f),
        (0, 0, 3) => fused_ll::<T, 0, 0, 3>(dst, xa, xb, pa, pb, post, f),
        (0, 1, 0) => fused_ll::<T, 0, 1, 0>(dst, xa, xb, pa, pb, post, f),
        (0, 1, 1) => fused_ll::<T, 0, 1, 1>(dst, xa, xb, pa, pb, post, f),
        (0, 1, 2) => fused_ll::<T, 0, 1, 2>(dst, xa, xb, pa, pb, post, f),
        (0, 1, 3) => fused_ll::<T, 0, 1, 3>(dst, xa, xb, pa, pb, post, f),
        (0, 2, 0) => fused_ll::<T, 0, 2, 0>(dst, xa, xb, pa, pb, post, f),
        (0, 2, 1) => fused_ll::<T, 0, 2, 1>(dst, xa, xb, pa, pb, post, f),
        (0, 2, 2) => fused_ll::<T, 0, 2, 2>(dst, xa, xb, pa, pb, post, f),
        (0, 2, 3) => fused_ll::<T, 0, 2, 3>(dst, xa, xb, pa, pb, post, f),
        (0, 3, 0) => fused_ll::<T, 0, 3, 0>(dst, xa, xb, pa, pb, post, f),
        (0, 3, 1) => fused_ll::<T, 0, 3, 1>(dst, xa, xb, pa, pb, post, f),
        (0, 3, 2) => fused_ll::<T, 0, 3, 2>(dst, xa, xb, pa, pb, post, f),
        (0, 3, 3) => fused_ll::<T, 0, 3, 3>(dst, xa, xb, pa, pb, post, f),
        (1, 0, 0) => fused_ll::<T, 1, 0, 0>(dst, xa, xb, pa, pb, post, f),
        (1, 0, 1) => fused_ll::<T, 1, 0, 1>(dst, xa, xb, pa, pb, post, f),
        (1, 0, 2) => fused_ll::<T, 1, 0, 2>(dst, xa, xb, pa, pb, post, f),
        (1, 0, 3) => fused_ll::<T, 1, 0, 3>(dst, xa, xb, pa, pb, post, f),
        (1, 1, 0) => fused_ll::<T, 1, 1, 0>(dst, xa, xb, pa, pb, post, f),
        (1, 1, 1) => fused_ll::<T, 1, 1, 1>(dst, xa, xb, pa, pb, post, f),
        (1, 1, 2) => fused_ll::<T, 1, 1, 2>(dst, xa, xb, pa, pb, post, f),
        (1, 1, 3) => fused_ll::<T, 1, 1, 3>(dst, xa, xb, pa, pb, post, f),
        (1, 2, 0) => fused_ll::<T, 1, 2, 0>(dst, xa, xb, pa, pb, post, f),
        (1, 2, 1) => fused_ll::<T, 1, 2, 1>(dst, xa, xb, pa, pb, post, f),
        (1, 2, 2) => fused_ll::<T, 1, 2, 2>(dst, xa, xb, pa, pb, post, f),
        (1, 2, 3) => fused_ll::<T, 1, 2, 3>(dst, xa, xb, pa, pb, post, f),
        (1, 3, 0) => fused_ll::<T, 1, 3, 0>(dst, xa, xb, pa, pb, post, f),
        (1, 3, 1) => fused_ll::<T, 1, 3, 1>(dst, xa, xb, pa, pb, post, f),
        (1, 3, 2) => fused_ll::<T, 1, 3, 2>(dst, xa, xb, pa, pb, post, f),
        (1, 3, 3) => fused_ll::<T, 1, 3, 3>(dst, xa, xb, pa, pb, post, f),
        (2, 0, 0) => fused_ll::<T, 2, 0, 0>(dst, xa, xb, pa, pb, post, f),
        (2, 0, 1) => fused_ll::<T, 2, 0, 1>(dst, xa, xb, pa, pb, post, f),
        (2, 0, 2) => fused_ll::<T, 2, 0, 2>(dst, xa, xb, pa, pb, post, f),
        (2, 0, 3) => fused_ll::<T, 2, 0, 3>(dst, xa, xb, pa, pb, post, f),
        (2, 1, 0) => fused_ll::<T, 2, 1, 0>(dst, xa, xb, pa, pb, post, f),
        (2, 1, 1) => fused_ll::<T, 2, 1, 1>(dst, xa, xb, pa, pb, post, f),
        (2, 1, 2) => fused_ll::<T, 2, 1, 2>(dst, xa, xb, pa, pb, post, f),
        (2, 1, 3) => fused_ll::<T, 2, 1, 3>(dst, xa, xb, pa, pb, post, f),
        (2, 2, 0) => fused_ll::<T, 2, 2, 0>(dst, xa, xb, pa, pb, post, f),
        (2, 2, 1) => fused_ll::<T, 2, 2, 1>(dst, xa, xb, pa, pb, post, f),
        (2, 2, 2) => fused_ll::<T, 2, 2, 2>(dst, xa, xb, pa, pb, post, f),
        (2, 2, 3) => fused_ll::<T, 2, 2, 3>(dst, xa, xb, pa, pb, post, f),
        (2, 3, 0) => fused_ll::<T, 2, 3, 0>(dst, xa, xb, pa, pb, post, f),
        (2, 3, 1) => fused_ll::<T, 2, 3, 1>(dst, xa, xb, pa, pb, post, f),
        (2, 3, 2) => fused_ll::<T, 2, 3, 2>(dst, xa, xb, pa, pb, post, f),
        (2, 3, 3) => fused_ll::<T, 2, 3, 3>(dst, xa, xb, pa, pb, post, f),
        (3, 0, 0) => fused_ll::<T, 3, 0, 0>(dst, xa, xb, pa, pb, post, f),
        (3, 0, 1) => fused_ll::<T, 3, 0, 1>(dst, xa, xb, pa, pb, post, f),
        (3, 0, 2) => fused_ll::<T, 3, 0, 2>(dst, xa, xb, pa, pb, post, f),
        (3, 0, 3) => fused_ll::<T, 3, 0, 3>(dst, xa, xb, pa, pb, post, f),
        (3, 1, 0) => fused_ll::<T, 3, 1, 0>(dst, xa, xb, pa, pb, post, f),
        (3, 1, 1) => fused_ll::<T, 3, 1, 1>(dst, xa, xb, pa, pb, post, f),
        (3, 1, 2) => fused_ll::<T, 3, 1, 2>(dst, xa, xb, pa, pb, post, f),
        (3, 1, 3) => fused_ll::<T, 3, 1, 3>(dst, xa, xb, pa, pb, post, f),
        (3, 2, 0) => fused_ll::<T, 3, 2, 0>(dst, xa, xb, pa, pb, post, f),
        (3, 2, 1) => fused_ll::<T, 3, 2, 1>(dst, xa, xb, pa, pb, post, f),
        (3, 2, 2) => fused_ll::<T, 3, 2, 2>(dst, xa, xb, pa, pb, post, f),
        (3, 2, 3) => fused_ll::<T, 3, 2, 3>(dst, xa, xb, pa, pb, post, f),
        (3, 3, 0) => fused_ll::<T, 3, 3, 0>(dst, xa, xb, pa, pb, post, f),
        (3, 3, 1) => fused_ll::<T, 3, 3, 1>(dst, xa, xb, pa, pb, post, f),
        (3, 3, 2) => fused_ll::<T, 3, 3, 2>(dst, xa, xb, pa, pb, post, f),
        (3, 3, 3) => fused_ll::<T, 3, 3, 3>(dst, xa, xb, pa, pb, post, f),
        _ => unreachable!("modes are two bits"),
    }
}

#[inline(always)]
fn dispatch_ls<T: Lane>(
    dst: &mut [T],
    xa: &[T],
    y: T,
    pa: &PrepArg<'_, T>,
    post: &Post<T>,
    f: impl Fn(T, T) -> T + Copy,
) {
    match (pa.mode(), post.mode()) {
        (0, 0) => fused_ls::<T, 0, 0>(dst, xa, y, pa, post, f),
        (0, 1) => fused_ls::<T, 0, 1>(dst, xa, y, pa, post, f),
        (0, 2) => fused_ls::<T, 0, 2>(dst, xa, y, pa, post, f),
        (0, 3) => fused_ls::<T, 0, 3>(dst, xa, y, pa, post, f),
        (1, 0) => fused_ls::<T, 1, 0>(dst, xa, y, pa, post, f),
        (1, 1) => fused_ls::<T, 1, 1>(dst, xa, y, pa, post, f),
        (1, 2) => fused_ls::<T, 1, 2>(dst, xa, y, pa, post, f),
        (1, 3) => fused_ls::<T, 1, 3>(dst, xa, y, pa, post, f),
        (2, 0) => fused_ls::<T, 2, 0>(dst, xa, y, pa, post, f),
        (2, 1) => fused_ls::<T, 2, 1>(dst, xa, y, pa, post, f),
        (2, 2) => fused_ls::<T, 2, 2>(dst, xa, y, pa, post, f),
        (2, 3) => fused_ls::<T, 2, 3>(dst, xa, y, pa, post, f),
        (3, 0) => fused_ls::<T, 3, 0>(dst, xa, y, pa, post, f),
        (3, 1) => fused_ls::<T, 3, 1>(dst, xa, y, pa, post, f),
        (3, 2) => fused_ls::<T, 3, 2>(dst, xa, y, pa, post, f),
        (3, 3) => fused_ls::<T, 3, 3>(dst, xa, y, pa, post, f),
        _ => unreachable!("modes are two bits"),
    }
}

#[inline(always)]
fn dispatch_sl<T: Lane>(
    dst: &mut [T],
    x: T,
    xb: &[T],
    pb: &PrepArg<'_, T>,
    post: &Post<T>,
    f: impl Fn(T, T) -> T + Copy,
) {
    match (pb.mode(), post.mode()) {
        (0, 0) => fused_sl::<T, 0, 0>(dst, x, xb, pb, post, f),
        (0, 1) => fused_sl::<T, 0, 1>(dst, x, xb, pb, post, f),
        (0, 2) => fused_sl::<T, 0, 2>(dst, x, xb, pb, post, f),
        (0, 3) => fused_sl::<T, 0, 3>(dst, x, xb, pb, post, f),
        (1, 0) => fused_sl::<T, 1, 0>(dst, x, xb, pb, post, f),
        (1, 1) => fused_sl::<T, 1, 1>(dst, x, xb, pb, post, f),
        (1, 2) => fused_sl::<T, 1, 2>(dst, x, xb, pb, post, f),
        (1, 3) => fused_sl::<T, 1, 3>(dst, x, xb, pb, post, f),
        (2, 0) => fused_sl::<T, 2, 0>(dst, x, xb, pb, post, f),
        (2, 1) => fused_sl::<T, 2, 1>(dst, x, xb, pb, post, f),
        (2, 2) => fused_sl::<T, 2, 2>(dst, x, xb, pb, post, f),
        (2, 3) => fused_sl::<T, 2, 3>(dst, x, xb, pb, post, f),
        (3, 0) => fused_sl::<T, 3, 0>(dst, x, xb, pb, post, f),
        (3, 1) => fused_sl::<T, 3, 1>(dst, x, xb, pb, post, f),
        (3, 2) => fused_sl::<T, 3, 2>(dst, x, xb, pb, post, f),
        (3, 3) => fused_sl::<T, 3, 3>(dst, x, xb, pb, post, f),
        _ => unreachable!("modes are two bits"),
    }
}

/// The slice loop of a fused kernel `sign(sqrt?(op(prep(a), prep(b))))` (see the executor's `plan` module);
/// `op` is `+ - * /`, each the scalar function of [`crate::scalar::binary`].
#[inline(always)]
pub(crate) fn fused<T: Lane>(op: BinOp, dst: &mut [T], a: &PrepArg<'_, T>, b: &PrepArg<'_, T>, post: &Post<T>) {
    match op {
        BinOp::Add => dispatch(dst, a, b, post, |x: T, y: T| x + y),
        BinOp::Sub => dispatch(dst, a, b, post, |x: T, y: T| x - y),
        BinOp::Mul => dispatch(dst, a, b, post, |x: T, y: T| x * y),
        BinOp::Div => dispatch(dst, a, b, post, |x: T, y: T| x / y),
        BinOp::Pow | BinOp::Hypot => unreachable!("only + - * / are fused"),
    }
}

/// A slice-loop operand whose kind (lanes or broadcast) is known at compile time, so that each combination of
/// operand kinds gets its own vectorised loop.
trait Src<T: Copy>: Copy {
    fn at(self, i: usize) -> T;
}

impl<T: Copy> Src<T> for &[T] {
    #[inline(always)]
    fn at(self, i: usize) -> T {
        self[i]
    }
}

/// A broadcast operand.
#[derive(Copy, Clone)]
struct Splat<T>(T);

impl<T: Copy> Src<T> for Splat<T> {
    #[inline(always)]
    fn at(self, _: usize) -> T {
        self.0
    }
}

#[inline(always)]
fn select_cmp_loop<T: Lane>(
    dst: &mut [T],
    x: impl Src<T>,
    y: impl Src<T>,
    a: impl Src<T>,
    b: impl Src<T>,
    cmp: impl Fn(T, T) -> bool,
) {
    for (i, d) in dst.iter_mut().enumerate() {
        *d = T::sel(T::mask(cmp(x.at(i), y.at(i))), a.at(i), b.at(i));
    }
}

/// Dispatches the branches' operand kinds.
#[inline(always)]
fn select_cmp_ab<T: Lane>(
    dst: &mut [T],
    x: impl Src<T>,
    y: impl Src<T>,
    a: Arg<'_, T>,
    b: Arg<'_, T>,
    cmp: impl Fn(T, T) -> bool,
) {
    let n = dst.len();
    match (a, b) {
        (Arg::Lanes(a), Arg::Lanes(b)) => select_cmp_loop(dst, x, y, &a[..n], &b[..n], cmp),
        (Arg::Lanes(a), Arg::Splat(b)) => select_cmp_loop(dst, x, y, &a[..n], Splat(b), cmp),
        (Arg::Splat(a), Arg::Lanes(b)) => select_cmp_loop(dst, x, y, Splat(a), &b[..n], cmp),
        (Arg::Splat(a), Arg::Splat(b)) => select_cmp_loop(dst, x, y, Splat(a), Splat(b), cmp),
    }
}

/// Dispatches the compared operands' kinds.
#[inline(always)]
fn select_cmp_xy<T: Lane>(
    dst: &mut [T],
    x: Arg<'_, T>,
    y: Arg<'_, T>,
    a: Arg<'_, T>,
    b: Arg<'_, T>,
    cmp: impl Fn(T, T) -> bool,
) {
    let n = dst.len();
    match (x, y) {
        (Arg::Lanes(x), Arg::Lanes(y)) => select_cmp_ab(dst, &x[..n], &y[..n], a, b, cmp),
        (Arg::Lanes(x), Arg::Splat(y)) => select_cmp_ab(dst, &x[..n], Splat(y), a, b, cmp),
        (Arg::Splat(x), Arg::Lanes(y)) => select_cmp_ab(dst, Splat(x), &y[..n], a, b, cmp),
        (Arg::Splat(x), Arg::Splat(y)) => select_cmp_ab(dst, Splat(x), Splat(y), a, b, cmp),
    }
}

/// `dst[i] = if x[i] op y[i] { a[i] } else { b[i] }` in one branch-free pass: the comparison (the scalar
/// [`crate::scalar::compare`]) becomes a float-wide mask that never goes through memory, and the chosen operand's
/// bits are kept exactly, as in [`select_float`].
#[inline(always)]
pub(crate) fn select_cmp<T: Lane>(
    op: CmpOp,
    dst: &mut [T],
    x: Arg<'_, T>,
    y: Arg<'_, T>,
    a: Arg<'_, T>,
    b: Arg<'_, T>,
) {
    with_cmp!(op, select_cmp_xy, (dst, x, y, a, b));
}
