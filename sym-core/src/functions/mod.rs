//! Function application with the automatic evaluations a user expects.
//!
//! Every rule here holds for all complex values of the symbols (principal branches), so it can
//! fire in a constructor without assumptions:
//!
//! * special values: `sin(pi/6) = 1/2`, `cos(pi/5) = (1 + sqrt(5))/4`, `atan(1) = pi/4`,
//!   `log(1) = 0`, `log(E) = 1`, `LambertW(E) = 1`, `Abs(-3) = 3`, ...;
//! * symmetry: odd functions pull out a minus sign (`sin(-x) = -sin(x)`), even ones drop it
//!   (`cos(-x) = cos(x)`);
//! * shifts by multiples of `pi/2`: `sin(x + pi) = -sin(x)`, `cos(x + pi/2) = -sin(x)`;
//! * compositions with inverses where they are identities: `sin(asin(x)) = x`,
//!   `cos(asin(x)) = sqrt(1 - x**2)`, `log(exp(a)) = a` only for real numeric `a`;
//! * `log(-n) = log(n) + I*pi`, `log(1/n) = -log(n)` for positive integers `n`, `log(I) = I*pi/2`;
//! * `Abs` is multiplicative and `Abs(x**r) = Abs(x)**r` for real `r`;
//! * float arguments are evaluated numerically at their precision.

mod table;

pub use table::{cos_pi, sin_pi, tan_pi};

use crate::error::CoreError;
use crate::expr::{Constant, Expr, Func, Kind};
use crate::number::Number;
use rug::Rational;

impl Expr {
    /// `f(arg)` for a one-argument function, in canonical form.
    pub fn func(f: Func, arg: Expr) -> Expr {
        Expr::func_n(f, vec![arg]).unwrap_or_else(|_| Expr::nan())
    }

    /// `f(args...)`; an error when the number of arguments does not fit the function.
    pub fn func_n(f: Func, args: Vec<Expr>) -> Result<Expr, CoreError> {
        let (lo, hi) = f.arity();
        if args.len() < lo || args.len() > hi {
            return Err(CoreError::Arity { func: f.name(), expected: (lo, hi), got: args.len() });
        }
        if args.iter().any(|a| a.is_const(Constant::NaN)) {
            return Ok(Expr::nan());
        }
        if let Some(v) = eval(f, &args) {
            return Ok(v);
        }
        Ok(Expr::from_kind(Kind::Func(f, args.into_boxed_slice())))
    }

    /// `LambertW(z, k)`: branch `k` of the Lambert W function (`k = 0` is the principal branch).
    pub fn lambert_w(z: Expr, k: Expr) -> Expr {
        Expr::func_n(Func::LambertW, vec![z, k]).unwrap_or_else(|_| Expr::nan())
    }

    /// Whether a minus sign can be pulled out canonically: a negative numeric coefficient, or a
    /// sum with more negative than positive terms (ties broken by the first term in canonical
    /// order). Exactly one of `e` and `-e` answers `true` unless `e` is zero.
    pub fn could_extract_minus_sign(&self) -> bool {
        match self.kind() {
            Kind::Num(n) => n.is_negative(),
            Kind::Mul(m) => m.coeff.is_negative(),
            Kind::Const(Constant::NegInfinity) => true,
            Kind::Add(a) => crate::expr::build::add_could_extract_minus_sign(a),
            _ => false,
        }
    }
}

/// The automatic evaluation of `f(args)`; `None` keeps the application unevaluated.
fn eval(f: Func, args: &[Expr]) -> Option<Expr> {
    if f == Func::LambertW {
        return eval_lambert_w(args);
    }
    let x = &args[0];
    if let Some(n) = x.as_number()
        && n.is_float()
    {
        return crate::evalf::eval_func_at_float(f, n);
    }
    if f.is_odd() && x.could_extract_minus_sign() {
        return Some(Expr::neg(Expr::func(f, Expr::neg(x.clone()))));
    }
    if f.is_even() && x.could_extract_minus_sign() {
        return Some(Expr::func(f, Expr::neg(x.clone())));
    }
    match f {
        Func::Log => eval_log(x),
        Func::Sin | Func::Cos | Func::Tan | Func::Cot | Func::Sec | Func::Csc => eval_trig(f, x),
        Func::Asin | Func::Acos | Func::Atan | Func::Acot => eval_inverse_trig(f, x),
        Func::Sinh | Func::Cosh | Func::Tanh | Func::Coth => eval_hyperbolic(f, x),
        Func::Asinh | Func::Acosh | Func::Atanh => eval_inverse_hyperbolic(f, x),
        Func::Abs => eval_abs(x),
        Func::Sign => eval_sign(x),
        Func::LambertW => None,
    }
}

/// `r` when `e` is `r*pi` for a rational `r` (including `pi` and `0`).
pub fn pi_coefficient(e: &Expr) -> Option<Rational> {
    match e.kind() {
        Kind::Const(Constant::Pi) => Some(Rational::from(1)),
        Kind::Num(n) if n.is_zero() => Some(Rational::new()),
        Kind::Mul(m) if m.factors.len() == 1 && m.factors[0].0.is_const(Constant::Pi) && m.factors[0].1.is_one() => {
            m.coeff.to_rational()
        }
        _ => None,
    }
}

/// Splits `x + k*pi/2` into `(x, k mod 4)` when the sum has a `c*pi` term with `2c` an integer.
fn split_half_pi_shift(e: &Expr) -> Option<(Expr, u32)> {
    let Kind::Add(a) = e.kind() else { return None };
    let (i, c) = a.terms.iter().enumerate().find_map(|(i, (t, c))| t.is_const(Constant::Pi).then_some((i, c)))?;
    let k = (c * &Number::int(2)).to_integer()?;
    let mut rest: Vec<Expr> = vec![Expr::num(a.constant.clone())];
    for (j, (t, c)) in a.terms.iter().enumerate() {
        if j != i {
            rest.push(Expr::mul(Expr::num(c.clone()), t.clone()));
        }
    }
    Some((Expr::add_all(rest), k.mod_u(4)))
}

/// `(c, y)` when `e = c*I*y` (the `I` factor removed), for the `sin(I*x) = I*sinh(x)` rules.
fn split_imaginary(e: &Expr) -> Option<Expr> {
    let Kind::Mul(m) = e.kind() else {
        return None;
    };
    let idx = m.factors.iter().position(|(b, x)| b.is_const(Constant::I) && x.is_one())?;
    let rest: Vec<(Expr, Expr)> =
        m.factors.iter().enumerate().filter(|(j, _)| *j != idx).map(|(_, f)| f.clone()).collect();
    Some(Expr::mul_from_unique_factors(m.coeff.clone(), rest))
}

fn recip(e: Expr) -> Expr {
    Expr::recip(e)
}

fn eval_trig(f: Func, x: &Expr) -> Option<Expr> {
    if let Some(r) = pi_coefficient(x) {
        let v = match f {
            Func::Sin => sin_pi(&r),
            Func::Cos => cos_pi(&r),
            Func::Tan => tan_pi(&r),
            Func::Cot => tan_pi(&(Rational::from((1, 2)) - &r)),
            Func::Sec => cos_pi(&r).map(recip),
            Func::Csc => sin_pi(&r).map(recip),
            _ => None,
        };
        if v.is_some() {
            return v;
        }
    }
    if let Some((rest, k)) = split_half_pi_shift(x) {
        use Func::*;
        let neg = |e: Expr| Expr::neg(e);
        let g = |h: Func| Expr::func(h, rest.clone());
        return Some(match (f, k) {
            (Sin, 0) => g(Sin),
            (Sin, 1) => g(Cos),
            (Sin, 2) => neg(g(Sin)),
            (Sin, _) => neg(g(Cos)),
            (Cos, 0) => g(Cos),
            (Cos, 1) => neg(g(Sin)),
            (Cos, 2) => neg(g(Cos)),
            (Cos, _) => g(Sin),
            (Tan, k) if k % 2 == 0 => g(Tan),
            (Tan, _) => neg(g(Cot)),
            (Cot, k) if k % 2 == 0 => g(Cot),
            (Cot, _) => neg(g(Tan)),
            (Sec, 0) => g(Sec),
            (Sec, 1) => neg(g(Csc)),
            (Sec, 2) => neg(g(Sec)),
            (Sec, _) => g(Csc),
            (Csc, 0) => g(Csc),
            (Csc, 1) => g(Sec),
            (Csc, 2) => neg(g(Csc)),
            (Csc, _) => neg(g(Sec)),
            _ => return None,
        });
    }
    if let Some(y) = split_imaginary(x) {
        // sin(I*y) = I*sinh(y), cos(I*y) = cosh(y), tan(I*y) = I*tanh(y), cot(I*y) = -I*coth(y).
        let i = Expr::i();
        return match f {
            Func::Sin => Some(i * Expr::func(Func::Sinh, y)),
            Func::Cos => Some(Expr::func(Func::Cosh, y)),
            Func::Tan => Some(i * Expr::func(Func::Tanh, y)),
            Func::Cot => Some(-(i * Expr::func(Func::Coth, y))),
            _ => None,
        };
    }
    if let Kind::Func(g, args) = x.kind()
        && args.len() == 1
    {
        let y = args[0].clone();
        let one = Expr::one();
        let s1 = || Expr::sqrt(&one - &(&y * &y));
        let s2 = || Expr::sqrt(&one + &(&y * &y));
        return match (f, g) {
            (Func::Sin, Func::Asin) | (Func::Cos, Func::Acos) | (Func::Tan, Func::Atan) | (Func::Cot, Func::Acot) => {
                Some(y)
            }
            (Func::Cos, Func::Asin) | (Func::Sin, Func::Acos) => Some(s1()),
            (Func::Sin, Func::Atan) => Some(&y / &s2()),
            (Func::Cos, Func::Atan) => Some(recip(s2())),
            (Func::Tan, Func::Asin) => Some(&y / &s1()),
            (Func::Tan, Func::Acos) => Some(&s1() / &y),
            _ => None,
        };
    }
    None
}

fn eval_inverse_trig(f: Func, x: &Expr) -> Option<Expr> {
    let pi = Expr::pi();
    let angle = |r: Rational| Expr::mul(Expr::num(Number::from_rational(r)), pi.clone());
    match f {
        Func::Asin => asin_value(x).map(angle),
        Func::Acos => {
            // acos(x) = pi/2 - asin(x).
            let r = asin_value(x)?;
            Some(angle(Rational::from((1, 2)) - r))
        }
        Func::Atan => {
            if x.is_const(Constant::Infinity) {
                return Some(angle(Rational::from((1, 2))));
            }
            if let Kind::Func(Func::Tan, args) = x.kind()
                && let Some(r) = pi_coefficient(&args[0])
                && r > Rational::from((-1, 2))
                && r < Rational::from((1, 2))
            {
                return Some(args[0].clone());
            }
            table::atan_table(x).map(angle)
        }
        Func::Acot => {
            // acot(x) = atan(1/x); acot(0) = pi/2.
            if x.is_zero() {
                return Some(angle(Rational::from((1, 2))));
            }
            if x.is_const(Constant::Infinity) {
                return Some(Expr::zero());
            }
            let r = table::atan_table(&Expr::recip(x.clone()))?;
            Some(angle(r))
        }
        _ => None,
    }
}

/// `asin(x) / pi` for tabulated `x` (negative values handled by oddness upstream).
fn asin_value(x: &Expr) -> Option<Rational> {
    if let Some(r) = table::asin_table(x) {
        return Some(r);
    }
    // Negative tabulated values reach here only through acos (asin is odd and handled above).
    if x.could_extract_minus_sign() {
        return table::asin_table(&Expr::neg(x.clone())).map(|r| -r);
    }
    None
}

fn eval_hyperbolic(f: Func, x: &Expr) -> Option<Expr> {
    if x.is_zero() {
        return Some(match f {
            Func::Cosh => Expr::one(),
            Func::Coth => Expr::complex_infinity(),
            _ => Expr::zero(),
        });
    }
    if let Some(y) = split_imaginary(x) {
        // sinh(I*y) = I*sin(y), cosh(I*y) = cos(y), tanh(I*y) = I*tan(y), coth(I*y) = -I*cot(y).
        let i = Expr::i();
        return Some(match f {
            Func::Sinh => i * Expr::func(Func::Sin, y),
            Func::Cosh => Expr::func(Func::Cos, y),
            Func::Tanh => i * Expr::func(Func::Tan, y),
            _ => -(i * Expr::func(Func::Cot, y)),
        });
    }
    if let Kind::Func(g, args) = x.kind() {
        match (f, g) {
            (Func::Sinh, Func::Asinh) | (Func::Cosh, Func::Acosh) | (Func::Tanh, Func::Atanh) => {
                return Some(args[0].clone());
            }
            (Func::Coth, Func::Atanh) => return Some(recip(args[0].clone())),
            _ => {}
        }
    }
    None
}

fn eval_inverse_hyperbolic(f: Func, x: &Expr) -> Option<Expr> {
    match f {
        Func::Asinh | Func::Atanh if x.is_zero() => Some(Expr::zero()),
        // The poles of atanh, as in SymPy.
        Func::Atanh if x.is_one() => Some(Expr::infinity()),
        Func::Atanh if x.as_i64() == Some(-1) => Some(Expr::neg_infinity()),
        Func::Acosh if x.is_one() => Some(Expr::zero()),
        Func::Acosh if x.is_zero() => Some(Expr::i() * Expr::pi() * Expr::half()),
        _ => None,
    }
}

fn eval_log(x: &Expr) -> Option<Expr> {
    match x.kind() {
        Kind::Num(n) => {
            if n.is_zero() {
                return Some(Expr::complex_infinity());
            }
            if n.is_one() {
                return Some(Expr::zero());
            }
            if n.is_negative() {
                // log(-n) = log(n) + I*pi for n > 0 (principal branch).
                return Some(Expr::log(Expr::num(-n)) + Expr::i() * Expr::pi());
            }
            if let Number::Rational(r) = n
                && r.numer() == 1
            {
                return Some(Expr::neg(Expr::log(Expr::num(Number::from_integer(r.denom().clone())))));
            }
            None
        }
        Kind::Const(Constant::E) => Some(Expr::one()),
        Kind::Const(Constant::I) => Some(Expr::i() * Expr::pi() * Expr::half()),
        Kind::Const(Constant::Infinity) => Some(Expr::infinity()),
        Kind::Const(Constant::ComplexInfinity) => Some(Expr::infinity()),
        Kind::Mul(m) if m.factors.len() == 1 && m.factors[0].0.is_const(Constant::I) && m.factors[0].1.is_one() => {
            // log(c*I) = log(|c|) + sign(c)*I*pi/2 for real exact c.
            let c = &m.coeff;
            if !c.is_exact() {
                return None;
            }
            let half_pi = Expr::pi() * Expr::half();
            let s = if c.is_negative() { Expr::minus_one() } else { Expr::one() };
            Some(Expr::log(Expr::num(c.abs())) + s * Expr::i() * half_pi)
        }
        Kind::Pow(b, e) if b.is_const(Constant::E) => {
            // log(exp(a)) = a exactly when Im(a) is in (-pi, pi]; we accept real numeric a.
            let a = e.as_number()?;
            a.is_exact().then(|| e.clone())
        }
        _ => None,
    }
}

fn eval_abs(x: &Expr) -> Option<Expr> {
    match x.kind() {
        Kind::Num(n) => Some(Expr::num(n.abs())),
        Kind::Const(Constant::Pi | Constant::E) => Some(x.clone()),
        Kind::Const(Constant::I) => Some(Expr::one()),
        Kind::Const(Constant::Infinity | Constant::NegInfinity | Constant::ComplexInfinity) => Some(Expr::infinity()),
        Kind::Func(Func::Abs, _) => Some(x.clone()),
        Kind::Mul(m) => {
            // |c * prod(b**e)| = |c| * prod(|b**e|).
            let mut parts = vec![Expr::num(m.coeff.abs())];
            for (b, e) in m.factors.iter() {
                parts.push(Expr::func(Func::Abs, Expr::pow(b.clone(), e.clone())));
            }
            Some(Expr::mul_all(parts))
        }
        Kind::Pow(b, e) => {
            // |b**r| = |b|**r for real r (principal branch); |exp(z)| stays.
            let r = e.as_number()?;
            if b.is_const(Constant::E) {
                return None;
            }
            if let Some(bn) = b.as_number()
                && bn.is_positive()
            {
                return Some(x.clone());
            }
            if b.is_const(Constant::I) {
                return Some(Expr::one());
            }
            Some(Expr::pow(Expr::func(Func::Abs, b.clone()), Expr::num(r.clone())))
        }
        Kind::Add(a) => {
            // An exact complex number p + q*I has modulus sqrt(p**2 + q**2).
            if a.terms.len() == 1 && a.terms[0].0.is_const(Constant::I) {
                let (p, q) = (Expr::num(a.constant.clone()), Expr::num(a.terms[0].1.clone()));
                return Some(Expr::sqrt(&p * &p + &q * &q));
            }
            None
        }
        _ => None,
    }
}

fn eval_sign(x: &Expr) -> Option<Expr> {
    match x.kind() {
        Kind::Num(n) => Some(Expr::int(n.signum() as i64)),
        Kind::Const(Constant::Pi | Constant::E | Constant::Infinity) => Some(Expr::one()),
        Kind::Const(Constant::I) => Some(Expr::i()),
        Kind::Mul(m) if !m.coeff.is_one() => {
            let rest = Expr::mul_from_unique_factors(Number::ONE, m.factors.to_vec());
            Some(Expr::int(m.coeff.signum() as i64) * Expr::func(Func::Sign, rest))
        }
        Kind::Func(Func::Sign, _) => None,
        _ => None,
    }
}

fn eval_lambert_w(args: &[Expr]) -> Option<Expr> {
    let z = &args[0];
    let branch = match args.get(1) {
        None => 0,
        Some(k) => k.as_i64()?,
    };
    if branch == 0 && args.len() == 2 {
        return Some(Expr::func(Func::LambertW, z.clone()));
    }
    if let Some(n) = z.as_number()
        && n.is_float()
    {
        return crate::evalf::eval_lambert_w_at_float(n, branch);
    }
    let minus_inv_e = Expr::neg(Expr::recip(Expr::e()));
    let log2 = Expr::log(Expr::int(2));
    match branch {
        0 => {
            if z.is_zero() {
                return Some(Expr::zero());
            }
            if z.is_const(Constant::E) {
                return Some(Expr::one());
            }
            if *z == minus_inv_e {
                return Some(Expr::minus_one());
            }
            if *z == Expr::neg(&log2 * &Expr::half()) {
                return Some(Expr::neg(log2));
            }
            if z.is_const(Constant::Infinity) {
                return Some(Expr::infinity());
            }
            None
        }
        -1 => {
            if *z == minus_inv_e {
                return Some(Expr::minus_one());
            }
            if *z == Expr::neg(&log2 * &Expr::half()) {
                return Some(Expr::int(-2) * log2);
            }
            if z.is_zero() {
                return Some(Expr::neg_infinity());
            }
            None
        }
        _ => z.is_zero().then(Expr::neg_infinity),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(e: Expr) -> String {
        e.to_string()
    }

    #[test]
    fn special_values() {
        let pi = Expr::pi();
        assert_eq!(s(Expr::func(Func::Sin, pi.clone() * Expr::rational(1, 6))), "1/2");
        assert_eq!(s(Expr::func(Func::Cos, pi.clone())), "-1");
        assert_eq!(s(Expr::func(Func::Tan, pi.clone() * Expr::rational(1, 4))), "1");
        assert_eq!(s(Expr::func(Func::Asin, Expr::rational(1, 2))), "pi/6");
        assert_eq!(s(Expr::func(Func::Acos, Expr::rational(-1, 2))), "2*pi/3");
        assert_eq!(s(Expr::func(Func::Atan, Expr::one())), "pi/4");
        assert_eq!(s(Expr::log(Expr::e())), "1");
        assert_eq!(s(Expr::log(Expr::rational(1, 2))), "-log(2)");
        assert_eq!(s(Expr::func(Func::LambertW, Expr::e())), "1");
    }

    #[test]
    fn symmetries_and_shifts() {
        let x = Expr::symbol("x");
        assert_eq!(s(Expr::func(Func::Sin, -x.clone())), "-sin(x)");
        assert_eq!(s(Expr::func(Func::Cos, -x.clone())), "cos(x)");
        assert_eq!(s(Expr::func(Func::Sin, x.clone() + Expr::pi())), "-sin(x)");
        assert_eq!(s(Expr::func(Func::Cos, x.clone() + Expr::pi() * Expr::half())), "-sin(x)");
        assert_eq!(s(Expr::func(Func::Sin, Expr::func(Func::Asin, x.clone()))), "x");
        assert_eq!(s(Expr::log(Expr::exp(x.clone()))), "log(exp(x))");
        assert_eq!(s(Expr::log(Expr::exp(Expr::int(2)))), "2");
    }
}
