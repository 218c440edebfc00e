//! The canonicalising power constructor `Expr::pow`, with exact radicals and the exponential rules.
//!
//! Rules applied (all valid for every complex value of the symbols, principal branches):
//!
//! * `x**0 = 1`, `x**1 = x`, `1**x = 1`, `0**p = 0` for `p > 0` and `zoo` for `p < 0`.
//! * Numbers: integer powers are computed exactly (up to a size limit, beyond which the power is
//!   kept unevaluated); rational powers of rationals are reduced to a rational coefficient times
//!   `q`-th-power-free integer radicals with exponents in `(0, 1)`:
//!   `8**(1/3) = 2`, `sqrt(8) = 2*sqrt(2)`, `sqrt(1/2) = sqrt(2)/2`, `(-4)**(1/2) = 2*I`,
//!   `(-8)**(1/3) = 2*(-1)**(1/3)`. Floats are evaluated in MPFR.
//! * `I**n` cycles with period 4.
//! * `(x**a)**b = x**(a*b)` when `b` is an integer, or when `a` is a real number in `(-1, 1]`
//!   (then `arg(x**a) = a*arg(x)` stays in `(-pi, pi]`, so the principal branches agree).
//! * `(c*y)**b = c**b * y**b` when `b` is an integer, or when `c > 0` is a number.
//! * `exp(log(x)) = x`, `exp(c*log(x)) = x**c` (the definition of the principal power),
//!   `exp(a + c*log(x)) = x**c * exp(a)` for numeric `c`, `exp(I*pi*k/2)` for integer `k`.

use super::{Constant, Expr, Func, Kind};
use crate::hash::StableHasher;
use crate::number::Number;
use rug::ops::Pow;
use rug::{Float, Integer, Rational};
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// Exact integer powers whose result would exceed this many bits stay unevaluated.
pub const MAX_EXACT_POWER_BITS: u64 = 1 << 22;

/// Trial division bound used to extract perfect powers from radicands.
const TRIAL_PRIMES_UP_TO: u32 = 1000;

impl Expr {
    /// `base ** exp` in canonical form.
    pub fn pow(base: Expr, exp: Expr) -> Expr {
        if exp.is_zero() {
            return Expr::one();
        }
        if exp.is_one() {
            return base;
        }
        if base.is_one() {
            return Expr::one();
        }
        if base.is_const(Constant::NaN) || exp.is_const(Constant::NaN) {
            return Expr::nan();
        }
        if let Some(r) = pow_special(&base, &exp) {
            return r;
        }
        match (base.kind(), exp.kind()) {
            (Kind::Num(b), Kind::Num(e)) if b.is_exact() && matches!(e, Number::Rational(_)) => {
                radical_cached(&base, &exp, || pow_numbers(b, e).unwrap_or_else(|| raw_pow(base.clone(), exp.clone())))
            }
            (Kind::Num(b), Kind::Num(e)) => pow_numbers(b, e).unwrap_or_else(|| raw_pow(base.clone(), exp.clone())),
            (Kind::Const(Constant::I), Kind::Num(e)) if e.is_integer() => pow_i(e),
            (Kind::Const(Constant::E), _) => pow_e(exp),
            (Kind::Add(a), Kind::Num(n)) if n.is_integer() => match super::build::split_content(a) {
                // (c*p)**n = c**n * p**n: integer powers of sums keep a primitive base.
                Some((c, prim)) => Expr::mul(Expr::pow(Expr::num(c), exp.clone()), Expr::pow(prim, exp.clone())),
                None => raw_pow(base.clone(), exp.clone()),
            },
            (Kind::Add(a), Kind::Num(n)) if n.is_exact() => match super::build::split_content(a) {
                // (|c|*s)**r = |c|**r * s**r for |c| > 0 (the sign stays inside):
                // sqrt(36 - 4*x**2) = 2*sqrt(9 - x**2), as SymPy writes it.
                Some((c, _)) if c.is_exact() && !c.abs().is_one() => {
                    let abs = c.abs();
                    let inv = abs.recip().unwrap_or(Number::ONE);
                    let inner = Expr::mul(Expr::num(inv), base.clone());
                    Expr::mul(Expr::pow(Expr::num(abs), exp.clone()), Expr::pow(inner, exp.clone()))
                }
                _ => raw_pow(base.clone(), exp.clone()),
            },
            (Kind::Pow(b0, e0), _) => {
                if exp.as_number().is_some_and(Number::is_integer) || is_real_in_half_open_unit(e0) {
                    Expr::pow(b0.clone(), Expr::mul(e0.clone(), exp))
                } else {
                    raw_pow(base.clone(), exp)
                }
            }
            (Kind::Mul(m), _) => {
                let integer_exp = exp.as_number().is_some_and(Number::is_integer);
                if integer_exp {
                    let mut parts = Vec::with_capacity(m.factors.len() + 1);
                    parts.push(Expr::pow(Expr::num(m.coeff.clone()), exp.clone()));
                    for (b, e) in m.factors.iter() {
                        parts.push(Expr::pow(b.clone(), Expr::mul(e.clone(), exp.clone())));
                    }
                    Expr::mul_all(parts)
                } else if m.coeff.is_exact() && !m.coeff.is_one() && !m.coeff.is_minus_one() {
                    // Pull out |c| (c > 0 always splits; c < 0 leaves -1 inside):
                    // (c*y)**b = |c|**b * (sign(c)*y)**b.
                    let abs = m.coeff.abs();
                    let sign = if m.coeff.is_negative() { Number::MINUS_ONE } else { Number::ONE };
                    let rest = Expr::mul_from_unique_factors(sign, m.factors.to_vec());
                    Expr::mul(Expr::pow(Expr::num(abs), exp.clone()), Expr::pow(rest, exp))
                } else {
                    raw_pow(base.clone(), exp)
                }
            }
            _ => raw_pow(base, exp),
        }
    }
}

/// Radicals of exact numbers remembered per thread (bounded: the table is cleared when full).
const RADICAL_CACHE_SIZE: usize = 512;

type RadicalCache = HashMap<(Expr, Expr), Expr, BuildHasherDefault<StableHasher>>;

thread_local! {
    static RADICALS: RefCell<RadicalCache> = RefCell::new(RadicalCache::default());
}

/// `base ** exp` for an exact number and a non-integral rational exponent, from the per-thread
/// table or by `compute` (the reduction of `sqrt(12) = 2*sqrt(3)` factors the radicand, which
/// costs microseconds; closed forms build the same few radicals over and over).
fn radical_cached(base: &Expr, exp: &Expr, compute: impl FnOnce() -> Expr) -> Expr {
    let key = (base.clone(), exp.clone());
    if let Some(v) = RADICALS.with(|c| c.borrow().get(&key).cloned()) {
        return v;
    }
    let v = compute();
    RADICALS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= RADICAL_CACHE_SIZE {
            c.clear();
        }
        c.insert(key, v.clone());
    });
    v
}

fn raw_pow(base: Expr, exp: Expr) -> Expr {
    Expr::from_kind(Kind::Pow(base, exp))
}

/// Whether `e` is a real number in `(-1, 1]`.
fn is_real_in_half_open_unit(e: &Expr) -> bool {
    match e.as_number() {
        Some(n) => {
            n.cmp_value(&Number::MINUS_ONE) == Ordering::Greater && n.cmp_value(&Number::ONE) != Ordering::Greater
        }
        None => false,
    }
}

/// Zero bases, infinite bases and infinite exponents.
fn pow_special(base: &Expr, exp: &Expr) -> Option<Expr> {
    let sign = exp.as_number().map(Number::signum);
    if base.is_zero() {
        return match sign {
            Some(1) => Some(Expr::zero()),
            Some(-1) => Some(Expr::complex_infinity()),
            _ => None,
        };
    }
    match base.kind() {
        Kind::Const(Constant::Infinity) => match sign {
            Some(1) => Some(Expr::infinity()),
            Some(-1) => Some(Expr::zero()),
            _ => None,
        },
        Kind::Const(Constant::ComplexInfinity) => match sign {
            Some(1) => Some(Expr::complex_infinity()),
            Some(-1) => Some(Expr::zero()),
            _ => None,
        },
        Kind::Const(Constant::NegInfinity) => match exp.as_number() {
            Some(n) if n.is_integer() && n.is_positive() => {
                let odd = n.to_integer().is_some_and(|k| k.is_odd());
                Some(if odd { Expr::neg_infinity() } else { Expr::infinity() })
            }
            Some(n) if n.is_negative() => Some(Expr::zero()),
            _ => None,
        },
        _ => None,
    }
}

/// `I ** n` for an integer `n`.
fn pow_i(n: &Number) -> Expr {
    let k = n.to_integer().map(|k| k.mod_u(4)).unwrap_or(0);
    match k {
        0 => Expr::one(),
        1 => Expr::i(),
        2 => Expr::minus_one(),
        _ => Expr::mul_from_unique_factors(Number::MINUS_ONE, vec![(Expr::i(), Expr::one())]),
    }
}

/// `E ** x`, with the logarithm rules.
fn pow_e(x: Expr) -> Expr {
    match x.kind() {
        Kind::Func(Func::Log, args) if args.len() == 1 => return args[0].clone(),
        Kind::Const(Constant::Infinity) => return Expr::infinity(),
        Kind::Const(Constant::NegInfinity) => return Expr::zero(),
        Kind::Mul(m) => {
            // exp(c*log(y)) = y**c for a numeric c.
            if m.factors.len() == 1 && m.factors[0].1.is_one() {
                if let Kind::Func(Func::Log, args) = m.factors[0].0.kind() {
                    return Expr::pow(args[0].clone(), Expr::num(m.coeff.clone()));
                }
                // exp(k*I*pi/2) for integer k.
                if m.factors[0].0.is_const(Constant::I) {
                    return raw_pow(Expr::e(), x.clone());
                }
            }
            if let Some(v) = exp_i_pi(&m.coeff, &m.factors) {
                return v;
            }
        }
        Kind::Add(a) => {
            // Pull out logarithms with numeric coefficients: exp(a + c*log(y)) = y**c * exp(a).
            let mut logs = Vec::new();
            let mut rest = vec![Expr::num(a.constant.clone())];
            for (t, c) in a.terms.iter() {
                match t.kind() {
                    Kind::Func(Func::Log, args) if args.len() == 1 => {
                        logs.push(Expr::pow(args[0].clone(), Expr::num(c.clone())));
                    }
                    _ => rest.push(Expr::mul(Expr::num(c.clone()), t.clone())),
                }
            }
            if !logs.is_empty() {
                logs.push(Expr::exp(Expr::add_all(rest)));
                return Expr::mul_all(logs);
            }
        }
        Kind::Num(n) if n.is_float() => {
            let p = n.prec().unwrap_or(53);
            if let Some(v) = Number::from_float(n.to_float(p).exp()) {
                return Expr::num(v);
            }
        }
        _ => {}
    }
    raw_pow(Expr::e(), x)
}

/// `exp(c * I * pi)` for `c` a half-integer multiple: `exp(I*pi) = -1`, `exp(I*pi/2) = I`.
fn exp_i_pi(c: &Number, factors: &[(Expr, Expr)]) -> Option<Expr> {
    if factors.len() != 2 {
        return None;
    }
    let has = |k: Constant| factors.iter().any(|(b, e)| b.is_const(k) && e.is_one());
    if !(has(Constant::I) && has(Constant::Pi)) {
        return None;
    }
    let twice = (c * &Number::int(2)).to_integer()?;
    Some(match twice.mod_u(4) {
        0 => Expr::one(),
        1 => Expr::i(),
        2 => Expr::minus_one(),
        _ => Expr::neg(Expr::i()),
    })
}

/// Powers of two numbers. `None` keeps the power unevaluated (too large, or not representable).
fn pow_numbers(b: &Number, e: &Number) -> Option<Expr> {
    if b.is_float() || e.is_float() {
        return pow_float(b, e);
    }
    if let Some(n) = e.to_integer().filter(|_| e.is_integer()) {
        return b.pow_int(&n, MAX_EXACT_POWER_BITS).map(Expr::num);
    }
    let (Some(br), Some(er)) = (b.to_rational(), e.to_rational()) else {
        return None;
    };
    pow_rational_rational(&br, &er)
}

/// A float power, evaluated in MPFR; negative bases with non-integer exponents give complex
/// results `r * (cos(pi e) + I sin(pi e))`.
fn pow_float(b: &Number, e: &Number) -> Option<Expr> {
    let prec = b.prec().unwrap_or(0).max(e.prec().unwrap_or(0)).max(53);
    let (bf, ef) = (b.to_float(prec), e.to_float(prec));
    if bf.is_zero() {
        return None;
    }
    if !bf.is_sign_negative() || ef.is_integer() {
        let v = Float::with_val(prec, bf.clone().pow(&ef));
        return Number::from_float(v).map(Expr::num);
    }
    let modulus = Float::with_val(prec, (-bf).pow(&ef));
    let angle = Float::with_val(prec, rug::float::Constant::Pi) * &ef;
    let re = Number::from_float(Float::with_val(prec, angle.cos_ref()) * &modulus)?;
    let im = Number::from_float(Float::with_val(prec, angle.sin_ref()) * &modulus)?;
    Some(Expr::add(Expr::num(re), Expr::mul(Expr::num(im), Expr::i())))
}

/// `b ** (p/q)` for rationals, reduced to `coefficient * product of radicals`.
fn pow_rational_rational(b: &Rational, e: &Rational) -> Option<Expr> {
    if b.cmp0() == Ordering::Equal {
        return None;
    }
    // e = n + r with n integer, r in (0, 1).
    let n = e.clone().floor().into_numer_denom().0;
    let r = Rational::from(e - &n);
    let q = r.denom().to_u32()?;
    let p = r.numer().to_u32()?;
    let mut coeff = Number::from_rational(b.clone()).pow_int(&n, MAX_EXACT_POWER_BITS)?;
    let mut factors: Vec<(Expr, Expr)> = Vec::new();
    let negative = b.cmp0() == Ordering::Less;
    let abs = Rational::from(b.abs_ref());
    let (num, den) = abs.into_numer_denom();
    // |b|**r = num**r * den**(-r) = num**r * den**(1-r) / den.
    push_radical(&num, p, q, &mut coeff, &mut factors)?;
    if den != 1 {
        coeff = coeff.checked_div(&Number::from_integer(den.clone()))?;
        push_radical(&den, q - p, q, &mut coeff, &mut factors)?;
    }
    if negative {
        // (-1)**r with r in (0, 1): I for r = 1/2, otherwise kept as a radical of -1.
        if u64::from(p) * 2 == u64::from(q) {
            factors.push((Expr::i(), Expr::one()));
        } else {
            factors.push((Expr::minus_one(), Expr::num(Number::from_rational(r))));
        }
    }
    if factors.len() <= 1 {
        return Some(Expr::mul_from_unique_factors(coeff, factors));
    }
    // Several radicals: let the product rules combine equal exponents (sqrt(2/3) = sqrt(6)/3).
    // Each factor is a final single radical, so this does not recurse back here.
    let mut parts = vec![Expr::num(coeff)];
    parts.extend(factors.into_iter().map(|(b, x)| Expr::mul_from_unique_factors(Number::ONE, vec![(b, x)])));
    Some(Expr::mul_all(parts))
}

/// Multiplies `coeff * factors` by `m**(p/q)` for an integer `m > 0` and `0 < p < q`, in the
/// canonical form `k * s**(1/q')`: with `M = m**p = k**q * s` (`s` free of `q`-th powers) and
/// `s = t**g` for the largest `g | q`, the radical is `k * t**(1/(q/g))`
/// (so `12**(2/3) = 144**(1/3) = 2*18**(1/3)`, as SymPy writes it).
fn push_radical(m: &Integer, p: u32, q: u32, coeff: &mut Number, factors: &mut Vec<(Expr, Expr)>) -> Option<()> {
    if *m == 1 {
        return Some(());
    }
    if (m.significant_bits() as u64) * (p as u64) > MAX_EXACT_POWER_BITS / 64 {
        // Too large to raise to the p-th power: keep m**(p/q) as it is.
        factors.push((
            Expr::num(Number::from_integer(m.clone())),
            Expr::num(Number::from_rational(Rational::from((p, q)))),
        ));
        return Some(());
    }
    let big = m.clone().pow(p);
    let (k, s, g) = split_radicand(&big, q);
    *coeff = &*coeff * &Number::from_integer(k);
    if s != 1 {
        let t = if g > 1 { s.root(g) } else { s };
        let qq = q / g;
        factors.push((Expr::num(Number::from_integer(t)), Expr::num(Number::from_rational(Rational::from((1, qq))))));
    }
    Some(())
}

/// Splits `m = k**q * s` with `s` free of `q`-th powers of small primes, and reports the largest
/// `g` dividing `q` such that `s` is a perfect `g`-th power.
fn split_radicand(m: &Integer, q: u32) -> (Integer, Integer, u32) {
    let mut k = Integer::from(1);
    let mut s = Integer::from(1);
    let mut rest = m.clone();
    let mut exps: Vec<u32> = Vec::new();
    let mut p = 2u32;
    while p <= TRIAL_PRIMES_UP_TO && rest > 1 {
        if rest.is_divisible_u(p) {
            let mut count = 0u32;
            while rest.is_divisible_u(p) {
                rest /= p;
                count += 1;
            }
            let pp = Integer::from(p);
            k *= pp.clone().pow(count / q);
            let left = count % q;
            if left > 0 {
                s *= pp.clone().pow(left);
                exps.push(left);
            }
        }
        p += if p == 2 { 1 } else { 2 };
    }
    if rest > 1 {
        // The cofactor has no small prime factors: test it for perfect q-th powers only.
        // A perfect q-th power above 1 has at least q bits.
        let r = if u64::from(q) > u64::from(rest.significant_bits()) { Integer::from(1) } else { rest.clone().root(q) };
        if r.clone().pow(q) == rest {
            k *= r;
        } else {
            s *= &rest;
            // Unknown factorisation: the perfect-power reduction below uses a direct test.
            exps.push(0);
        }
    }
    // The largest g | q such that s is a perfect g-th power.
    let mut g = 1;
    if s > 1 {
        for d in divisors_descending(q) {
            if d < 2 || u64::from(d) > u64::from(s.significant_bits()) {
                // s > 1 is no perfect d-th power when 2**d exceeds it.
                continue;
            }
            let known_ok = exps.iter().all(|&x| x == 0 || x % d == 0);
            if known_ok {
                let t = s.clone().root(d);
                if t.clone().pow(d) == s {
                    g = d;
                    break;
                }
            }
        }
    }
    (k, s, g)
}

/// The divisors of `q`, largest first (from its factorisation by trial division: `q` fits 32 bits,
/// so at most 1,344 divisors, where a scan of `2..=q` took a second for `q` near `5 * 10**8`).
fn divisors_descending(q: u32) -> Vec<u32> {
    let mut divisors = vec![1u32];
    let mut rest = q;
    let mut p = 2u32;
    while p.saturating_mul(p) <= rest {
        if rest.is_multiple_of(p) {
            let mut power = 1u32;
            let n = divisors.len();
            while rest.is_multiple_of(p) {
                rest /= p;
                power *= p;
                for i in 0..n {
                    divisors.push(divisors[i] * power);
                }
            }
        }
        p += 1;
    }
    if rest > 1 {
        let n = divisors.len();
        for i in 0..n {
            divisors.push(divisors[i] * rest);
        }
    }
    divisors.sort_unstable_by(|a, b| b.cmp(a));
    divisors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divisors_of_small_and_large_numbers() {
        assert_eq!(divisors_descending(12), [12, 6, 4, 3, 2, 1]);
        assert_eq!(divisors_descending(1), [1]);
        assert_eq!(divisors_descending(97), [97, 1]);
        // 798**3 = (2*3*7*19)**3 has 4**4 divisors.
        let big = 508_169_592;
        let d = divisors_descending(big);
        assert!(d.iter().all(|x| big % x == 0) && d.windows(2).all(|w| w[0] > w[1]));
        assert_eq!(d.len(), 256);
    }

    fn p(b: Expr, e: Expr) -> String {
        Expr::pow(b, e).to_string()
    }

    #[test]
    fn exact_radicals() {
        let r = |a, b| Expr::rational(a, b);
        assert_eq!(p(Expr::int(8), r(1, 3)), "2");
        assert_eq!(p(Expr::int(8), r(1, 2)), "2*sqrt(2)");
        assert_eq!(p(r(1, 2), r(1, 2)), "sqrt(2)/2");
        assert_eq!(p(Expr::int(-4), r(1, 2)), "2*I");
        assert_eq!(p(Expr::int(-8), r(1, 3)), "2*(-1)**(1/3)");
        assert_eq!(p(Expr::int(4), r(1, 4)), "sqrt(2)");
        assert_eq!(p(Expr::int(2), r(3, 2)), "2*sqrt(2)");
        assert_eq!(p(Expr::int(2), r(-1, 2)), "sqrt(2)/2");
        assert_eq!(p(Expr::int(12), r(2, 3)), "2*18**(1/3)");
        assert_eq!(p(r(2, 3), r(1, 2)), "sqrt(6)/3");
    }

    #[test]
    fn cached_radicals_are_the_computed_ones() {
        // The second call of each is answered by the per-thread table.
        for (n, p, q) in [(12, 2, 3), (8, 1, 2), (-8, 1, 3), (3, 1, 2), (2, -1, 3), (-4, 1, 2)] {
            let (b, e) = (Expr::int(n), Expr::rational(p, q));
            let fresh = pow_numbers(b.as_number().unwrap(), e.as_number().unwrap()).unwrap();
            assert_eq!(Expr::pow(b.clone(), e.clone()), fresh);
            assert_eq!(Expr::pow(b, e), fresh);
        }
    }

    #[test]
    fn powers_of_i_and_e() {
        assert_eq!(p(Expr::i(), Expr::int(2)), "-1");
        assert_eq!(p(Expr::i(), Expr::int(3)), "-I");
        assert_eq!(p(Expr::i(), Expr::int(-1)), "-I");
        let x = Expr::symbol("x");
        assert_eq!(Expr::exp(Expr::log(x.clone())).to_string(), "x");
        assert_eq!(Expr::exp(Expr::mul(Expr::int(2), Expr::log(x.clone()))).to_string(), "x**2");
        assert_eq!(Expr::exp(Expr::mul(Expr::i(), Expr::pi())).to_string(), "-1");
    }
}
