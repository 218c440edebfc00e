//! Decorated interval evaluation of sym-core expressions in one real variable.
//!
//! For an expression `f(x)` and an interval `X`, [`enclose`] returns an [`Enclosure`]: either `Empty` (`f` is
//! defined, with a real value, at no point of `X`), or a range `F` that contains `f(x)` for every `x` of `X`
//! where `f` is defined and real, together with a flag `total` that holds only when `f` is defined, real and
//! continuous on all of `X` (the decoration of IEEE 1788's "defined and continuous"). The two uses differ:
//!
//! * excluding roots needs only the range: if `0` is not in `F`, `f` has no zero in `X`, whatever its domain;
//! * proving a root needs `total` (the intermediate value theorem and the mean value theorem need continuity).
//!
//! `Empty` is combined with care, because under principal branches two non-real values can give a real one
//! (`sqrt(x)*sqrt(x - 1)` and `(-1)**(1/3) - (-1)**(2/3)` are real, `exp(sqrt(x))` is `-1` at `x = -pi**2`): a sum
//! or product with a part that is nowhere real is `Empty` only when the other part is real everywhere (a product
//! is then `0` where that part vanishes), and a function or power of a non-real argument, like a sum or product
//! of two such parts, knows nothing (the whole line, not total). So is a base that may be negative raised to a
//! varying exponent (`(-2)**x` is real at the integers).
//!
//! Each node is evaluated once per call (sharing is kept by a memo). Functions defined on part of the line
//! intersect their argument's range with their domain first (`log` with `(0, oo)`, a root `b**(p/q)` of
//! non-integer exponent with `[0, oo)` as for SymPy's principal branch, `asin` with `[-1, 1]`, ...): an empty
//! intersection makes the node `Empty`; a proper one clears `total`. Poles (`1/u` with `0` in `U`, `tan` at
//! `pi/2 + k pi`, `coth` at `0`) give the whole line and clear `total`. Constructs without an enclosure here
//! (other symbols, `I`, `LambertW`, `Piecewise`, `RootOf`, conditions) are [`Unsupported`].

use crate::interval::Iv;
use rug::Float;
use std::collections::HashMap;
use sym_core::{Constant, Expr, Func, Kind, Number, Symbol};

/// What interval evaluation knows about `f` on `X`.
#[derive(Clone, Debug, PartialEq)]
pub enum Enclosure {
    /// `f` has a real value at no point of `X`.
    Empty,
    /// `range` contains every real value of `f` on `X`; `total`: `f` is defined, real and continuous on all of
    /// `X`.
    Range {
        /// The enclosure of the values.
        range: Iv,
        /// Whether `f` is defined, real and continuous on all of `X`.
        total: bool,
    },
}

/// An expression that [`enclose`] cannot evaluate (the construct is named).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported(pub String);

type Memo = HashMap<Expr, Enclosure>;

/// Encloses the values of `e` for `x` in `xv` at the precision of `xv`.
pub fn enclose(e: &Expr, x: Symbol, xv: &Iv) -> Result<Enclosure, Unsupported> {
    let mut memo = Memo::new();
    enc(e, x, xv, &mut memo)
}

fn range(range: Iv, total: bool) -> Enclosure {
    Enclosure::Range { range, total }
}

fn number(n: &Number, prec: u32) -> Result<Iv, Unsupported> {
    n.to_rational().map(|q| Iv::rational(&q, prec)).ok_or_else(|| Unsupported(format!("the number {n:?}")))
}

fn enc(e: &Expr, x: Symbol, xv: &Iv, memo: &mut Memo) -> Result<Enclosure, Unsupported> {
    if let Some(r) = memo.get(e) {
        return Ok(r.clone());
    }
    let r = stacker::maybe_grow(32 * 1024, 1024 * 1024, || enc_node(e, x, xv, memo))?;
    memo.insert(e.clone(), r.clone());
    Ok(r)
}

/// Knows nothing: every real value is possible, and `f` may be undefined or non-real somewhere.
fn unknown(prec: u32) -> Enclosure {
    range(Iv::entire(prec), false)
}

/// The sum of two enclosures. A sum with a part that is nowhere real is nowhere real only when the other part is
/// real everywhere; two non-real parts can add up to a real value (`(-1)**(1/3) - (-1)**(2/3) = 1`), so then
/// nothing is known.
fn sum(a: Enclosure, b: Enclosure, prec: u32) -> Enclosure {
    match (a, b) {
        (Enclosure::Range { range: ra, total: ta }, Enclosure::Range { range: rb, total: tb }) => {
            range(ra.add(&rb), ta && tb)
        }
        (Enclosure::Range { total: true, .. }, Enclosure::Empty)
        | (Enclosure::Empty, Enclosure::Range { total: true, .. }) => Enclosure::Empty,
        _ => unknown(prec),
    }
}

/// The product of two enclosures. A part that is nowhere real times a part that is real everywhere is real only
/// where the latter vanishes (`sqrt(x)*(x + 1)` is `0` at `x = -1`); two non-real parts can multiply to a real
/// value (`sqrt(x)*sqrt(x - 1)` for `x < 0`).
fn product(a: Enclosure, b: Enclosure, prec: u32) -> Enclosure {
    match (a, b) {
        (Enclosure::Range { range: ra, total: ta }, Enclosure::Range { range: rb, total: tb }) => {
            range(ra.mul(&rb), ta && tb)
        }
        (Enclosure::Range { range: r, total: true }, Enclosure::Empty)
        | (Enclosure::Empty, Enclosure::Range { range: r, total: true }) => {
            if r.contains_zero() {
                range(Iv::point(Float::new(prec)), false)
            } else {
                Enclosure::Empty
            }
        }
        _ => unknown(prec),
    }
}

fn enc_node(e: &Expr, x: Symbol, xv: &Iv, memo: &mut Memo) -> Result<Enclosure, Unsupported> {
    let prec = xv.prec();
    Ok(match e.kind() {
        Kind::Num(n) => range(number(n, prec)?, true),
        Kind::Sym(s) if *s == x => range(xv.clone(), true),
        Kind::Const(Constant::Pi) => range(Iv::pi(prec), true),
        Kind::Const(Constant::E) => range(Iv::e(prec), true),
        Kind::Add(a) => {
            let mut acc = range(number(&a.constant, prec)?, true);
            for (t, c) in a.terms.iter() {
                let c = range(number(c, prec)?, true);
                let te = enc(t, x, xv, memo)?;
                acc = sum(acc, product(c, te, prec), prec);
            }
            acc
        }
        Kind::Mul(m) => {
            let mut acc = range(number(&m.coeff, prec)?, true);
            for (b, p) in m.factors.iter() {
                let f = power(b, p, x, xv, memo)?;
                acc = product(acc, f, prec);
            }
            acc
        }
        Kind::Pow(b, p) => power(b, p, x, xv, memo)?,
        Kind::Func(f, args) if args.len() == 1 => {
            let a = enc(&args[0], x, xv, memo)?;
            // A function of a non-real argument can be real (`exp(sqrt(x))` is `-1` at `x = -pi**2`).
            let Enclosure::Range { range: u, total } = a else { return Ok(unknown(prec)) };
            function(*f, &u, total)?
        }
        _ => return Err(Unsupported(e.to_string())),
    })
}

/// `f` applied to an argument with range `u` (`total` for the argument).
fn function(f: Func, u: &Iv, total: bool) -> Result<Enclosure, Unsupported> {
    let p = u.prec();
    let entire = || range(Iv::entire(p), false);
    let one = || Float::with_val(p, 1);
    let minus_one = || Float::with_val(p, -1);
    // The argument restricted to a closed domain [lo, hi] (infinite ends allowed).
    let restrict = |lo: Float, hi: Float| -> Option<(Iv, bool)> {
        let dom = Iv::new(lo, hi);
        u.intersect(&dom).map(|r| {
            let inside = r == *u;
            (r, inside)
        })
    };
    Ok(match f {
        Func::Sin => range(u.sin(), total),
        Func::Cos => range(u.cos(), total),
        Func::Tan => match u.tan() {
            Some(r) => range(r, total),
            None => entire(),
        },
        Func::Cot => match u.cot() {
            Some(r) => range(r, total),
            None => entire(),
        },
        Func::Sec | Func::Csc => {
            let c = if f == Func::Sec { u.cos() } else { u.sin() };
            if c.contains_zero() { entire() } else { range(c.recip(), total) }
        }
        Func::Atan => range(u.atan(), total),
        Func::Acot => {
            // SymPy's acot(x) = atan(1/x): a jump at 0.
            if u.contains_zero() {
                let half = Iv::pi(p);
                let top = Float::with_val(p, &half.hi / 2u32);
                let h = Iv::new(Float::with_val(p, -&top), top);
                range(h, false)
            } else {
                range(u.recip().atan(), total)
            }
        }
        Func::Asin | Func::Acos | Func::Atanh => {
            let Some((r, inside)) = restrict(minus_one(), one()) else { return Ok(Enclosure::Empty) };
            let v = match f {
                Func::Asin => r.asin(),
                Func::Acos => r.acos(),
                _ => r.atanh(),
            };
            // atanh is infinite at ±1, so it is continuous only strictly inside.
            let open_ok = f != Func::Atanh || (r.lo > -1 && r.hi < 1);
            range(v, total && inside && open_ok)
        }
        Func::Acosh => {
            let Some((r, inside)) = restrict(one(), Float::with_val(p, rug::float::Special::Infinity)) else {
                return Ok(Enclosure::Empty);
            };
            range(r.acosh(), total && inside)
        }
        Func::Log => {
            if u.hi <= 0 {
                return Ok(Enclosure::Empty);
            }
            let inside = u.lo > 0;
            let r = if inside { u.clone() } else { Iv::new(Float::new(p), u.hi.clone()) };
            range(r.ln(), total && inside)
        }
        Func::Sinh => range(u.sinh(), total),
        Func::Cosh => range(u.cosh(), total),
        Func::Tanh => range(u.tanh(), total),
        Func::Coth => {
            if u.contains_zero() {
                entire()
            } else {
                range(u.coth(), total)
            }
        }
        Func::Asinh => range(u.asinh(), total),
        Func::Abs => range(u.abs(), total),
        Func::Sign => {
            if u.lo > 0 {
                range(Iv::point(one()), total)
            } else if u.hi < 0 {
                range(Iv::point(minus_one()), total)
            } else {
                range(Iv::new(minus_one(), one()), false)
            }
        }
        Func::LambertW => return Err(Unsupported("LambertW".into())),
    })
}

/// `b ** p`.
fn power(b: &Expr, p: &Expr, x: Symbol, xv: &Iv, memo: &mut Memo) -> Result<Enclosure, Unsupported> {
    let prec = xv.prec();
    if b.is_const(Constant::E) {
        let Enclosure::Range { range: u, total } = enc(p, x, xv, memo)? else { return Ok(unknown(prec)) };
        return Ok(range(u.exp(), total));
    }
    let be = enc(b, x, xv, memo)?;
    // A power of a non-real base can be real (`sqrt(x)**2`).
    let Enclosure::Range { range: bu, total: bt } = be else { return Ok(unknown(prec)) };
    // A rational exponent with a small numerator and denominator: integer powers and real roots. (A float
    // exponent, taken at its exact binary value, has a 2^k denominator: it goes the general way below.)
    let small = p.as_rational().and_then(|q| Some((q.numer().clone().abs().to_u32()?, q.denom().to_u32()?, q)));
    if let Some((n, d, q)) = small {
        let num = q.numer().clone();
        let base = if d == 1 {
            (bu, bt)
        } else {
            // Principal branch: real only for a non-negative base.
            let Some(r) =
                bu.intersect(&Iv::new(Float::new(prec), Float::with_val(prec, rug::float::Special::Infinity)))
            else {
                return Ok(Enclosure::Empty);
            };
            let inside = r == bu;
            (r.root(d), bt && inside)
        };
        let (v, t) = base;
        let pow = v.powi(n);
        if num >= 0 {
            return Ok(range(pow, t));
        }
        if pow.contains_zero() {
            if pow.lo == 0 && pow.hi == 0 {
                return Ok(Enclosure::Empty);
            }
            return Ok(range(Iv::entire(prec), false));
        }
        return Ok(range(pow.recip(), t));
    }
    // A general exponent: b**p = exp(p log b), real for b > 0 (principal branch; a rational exponent with a large
    // denominator is not an integer, so a negative base gives no real value either).
    let pe = enc(p, x, xv, memo)?;
    let Enclosure::Range { range: pu, total: pt } = pe else { return Ok(unknown(prec)) };
    if bu.lo.cmp0() != Some(std::cmp::Ordering::Greater) && !p.is_number() && !matches!(p.kind(), Kind::Const(_)) {
        // A base that may be negative or zero, to a varying exponent: real at the integers it takes
        // (`(-2)**x = -2` at `x = 1`), which this enclosure does not track.
        return Ok(unknown(prec));
    }
    let Enclosure::Range { range: l, total: lt } = function(Func::Log, &bu, bt)? else {
        return Ok(Enclosure::Empty);
    };
    Ok(range(pu.mul(&l).exp(), pt && lt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn show(e: &str, lo: f64, hi: f64) -> String {
        let x = Symbol::new("x");
        let xv = Iv::new(Float::with_val(64, lo), Float::with_val(64, hi));
        match enclose(&sym_core::parse(e).unwrap(), x, &xv) {
            Ok(Enclosure::Empty) => format!("{e} on [{lo}, {hi}]: empty"),
            Ok(Enclosure::Range { range, total }) => {
                format!("{e} on [{lo}, {hi}]: [{:.6}, {:.6}] total={total}", range.lo.to_f64(), range.hi.to_f64())
            }
            Err(Unsupported(s)) => format!("{e}: unsupported {s}"),
        }
    }

    #[test]
    fn decorations() {
        let cases = [
            show("x**2 - 2*x", 0.0, 3.0),
            show("log(x)", -2.0, -1.0),
            show("log(x)", -1.0, 1.0),
            show("sqrt(x) + 1", -1.0, 4.0),
            show("1/x", -1.0, 1.0),
            show("tan(x)", 1.0, 2.0),
            show("x - cos(x)", 0.0, 1.0),
            show("exp(-x) + x**(1/3)", 1.0, 8.0),
            show("LambertW(x)", 0.0, 1.0),
            show("x + y", 0.0, 1.0),
        ];
        expect![[r#"
            x**2 - 2*x on [0, 3]: [-6.000000, 9.000000] total=true
            log(x) on [-2, -1]: empty
            log(x) on [-1, 1]: [-inf, 0.000000] total=false
            sqrt(x) + 1 on [-1, 4]: [1.000000, 3.000000] total=false
            1/x on [-1, 1]: [-inf, inf] total=false
            tan(x) on [1, 2]: [-inf, inf] total=false
            x - cos(x) on [0, 1]: [-1.000000, 0.459698] total=true
            exp(-x) + x**(1/3) on [1, 8]: [1.000335, 2.367879] total=true
            LambertW(x): unsupported LambertW
            x + y: unsupported y"#]]
        .assert_eq(&cases.join("\n"));
    }
}
