//! Numeric evaluation: in MPC/MPFR at any precision (complex, principal branches), in `f64`,
//! and to a requested number of correct digits.
//!
//! [`eval_complex`] evaluates at a fixed working precision. [`eval_digits`] wraps it in the
//! usual adaptive loop (as mpmath's `evalf` does): evaluate at `p` and at `p + 64` bits; when the
//! two agree to the requested digits, the digits are correct up to pathological cancellation
//! beyond the second precision; otherwise double `p` and try again, up to
//! [`MAX_PRECISION_BITS`]. Exact zero results are recognised when both evaluations give zero.
//!
//! Lambert W is not in MPFR; it is computed here by Halley's iteration
//! `w <- w - f / (e^w (w + 1) - (w + 2) f / (2w + 2))` with `f = w e^w - z`, from the series
//! at the branch point, the asymptotic `log z - log log z`, or `z` itself as starting points
//! (Corless, Gonnet, Hare, Jeffrey, Knuth, "On the Lambert W function", 1996).

use crate::error::CoreError;
use crate::expr::{Constant, Expr, Func, Kind, RelOp};
use crate::number::Number;
use crate::symbol::Symbol;
use rug::Assign;
use rug::float::Constant as FConst;
use rug::ops::Pow;
use rug::{Complex, Float};
use std::collections::HashMap;

/// The largest working precision the adaptive evaluator will use.
pub const MAX_PRECISION_BITS: u32 = 1 << 17;

/// Values of symbols for numeric evaluation (complex, arbitrary precision).
pub type ComplexEnv = HashMap<Symbol, Complex>;

/// Values of symbols for `f64` evaluation.
pub type F64Env = HashMap<Symbol, f64>;

fn undefined(what: &'static str) -> CoreError {
    CoreError::Undefined(what)
}

/// Evaluates `e` at working precision `prec` (bits) with complex arithmetic.
pub fn eval_complex(e: &Expr, env: &ComplexEnv, prec: u32) -> Result<Complex, CoreError> {
    let mut memo: crate::hash::ExprMap<Complex> = Default::default();
    eval_rec(e, env, prec, &mut memo)
}

/// Evaluates a real-valued `e` in `f64` (through 53-bit MPC, so every operation is correctly
/// rounded); an error when the value has a non-negligible imaginary part.
pub fn eval_f64(e: &Expr, env: &F64Env) -> Result<f64, CoreError> {
    let cenv: ComplexEnv = env.iter().map(|(k, v)| (*k, Complex::with_val(64, (*v, 0.0)))).collect();
    let z = eval_complex(e, &cenv, 64)?;
    let (re, im) = (z.real().to_f64(), z.imag().to_f64());
    if im.abs() > 1e-12 * re.abs().max(1e-300) && im.abs() > 1e-300 {
        return Err(CoreError::NotReal(im));
    }
    Ok(re)
}

/// Evaluates `e` in complex `f64` arithmetic (through MPC at 64 bits).
pub fn eval_c64(e: &Expr, env: &F64Env) -> Result<(f64, f64), CoreError> {
    let cenv: ComplexEnv = env.iter().map(|(k, v)| (*k, Complex::with_val(64, (*v, 0.0)))).collect();
    let z = eval_complex(e, &cenv, 64)?;
    Ok((z.real().to_f64(), z.imag().to_f64()))
}

/// A value correct to `digits` significant decimal digits (real and imaginary parts each
/// relative to the modulus), by adaptive precision. Symbol values are exact expressions so that
/// they too are evaluated at the working precision.
pub fn eval_digits(e: &Expr, env: &HashMap<Symbol, Expr>, digits: u32) -> Result<Complex, CoreError> {
    let target_bits = ((digits as f64) * std::f64::consts::LOG2_10).ceil() as u32 + 8;
    let mut prec = target_bits + 32;
    loop {
        let at = |p: u32| -> Result<Complex, CoreError> {
            let mut cenv = ComplexEnv::new();
            for (k, v) in env {
                cenv.insert(*k, eval_complex(v, &ComplexEnv::new(), p)?);
            }
            eval_complex(e, &cenv, p)
        };
        let a = at(prec)?;
        let b = at(prec + 64)?;
        let diff = Float::with_val(prec, Complex::with_val(prec, &a - &b).abs_ref());
        let scale = Float::with_val(prec, b.abs_ref());
        if scale.is_zero() && diff.is_zero() {
            return Ok(b);
        }
        // Agreement to target_bits relative to the modulus.
        let tol = Float::with_val(prec, &scale >> target_bits);
        if diff <= tol && !scale.is_zero() {
            return Ok(b);
        }
        if prec >= MAX_PRECISION_BITS {
            return Err(CoreError::Limit { what: "working precision in bits", limit: MAX_PRECISION_BITS as u64 });
        }
        prec = (prec * 2).min(MAX_PRECISION_BITS);
    }
}

fn czero(prec: u32) -> Complex {
    Complex::new(prec)
}

fn creal(prec: u32, x: Float) -> Complex {
    Complex::with_val(prec, (x, 0))
}

fn number_to_complex(n: &Number, prec: u32) -> Complex {
    creal(prec, n.to_float(prec))
}

fn eval_rec(
    e: &Expr,
    env: &ComplexEnv,
    prec: u32,
    memo: &mut crate::hash::ExprMap<Complex>,
) -> Result<Complex, CoreError> {
    if let Some(v) = memo.get(e) {
        return Ok(v.clone());
    }
    let mut v = stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || eval_node(e, env, prec, memo))?;
    // A signed zero imaginary part would put a negative real value on the far side of the
    // branch cuts of `log`, `sqrt` and `**`; values on a cut take the principal (arg = pi) side.
    if v.imag().is_zero() && v.imag().is_sign_negative() {
        v.mut_imag().assign(0);
    }
    // Poles and overflow are reported, never passed on as an infinity or a NaN.
    if !v.real().is_finite() || !v.imag().is_finite() {
        return Err(undefined("a pole or an overflow (the value is not finite)"));
    }
    if e.depth() > 0 {
        memo.insert(e.clone(), v.clone());
    }
    Ok(v)
}

fn eval_node(
    e: &Expr,
    env: &ComplexEnv,
    prec: u32,
    memo: &mut crate::hash::ExprMap<Complex>,
) -> Result<Complex, CoreError> {
    Ok(match e.kind() {
        Kind::Num(n) => number_to_complex(n, prec),
        Kind::Sym(s) => match env.get(s) {
            Some(v) => Complex::with_val(prec, v),
            None => return Err(CoreError::UnboundSymbol(s.name().to_string())),
        },
        Kind::Const(c) => match c {
            Constant::Pi => creal(prec, Float::with_val(prec, FConst::Pi)),
            Constant::E => creal(prec, Float::with_val(prec, 1).exp()),
            Constant::I => Complex::with_val(prec, (0, 1)),
            Constant::Infinity | Constant::NegInfinity | Constant::ComplexInfinity => {
                return Err(undefined("infinity"));
            }
            Constant::NaN => return Err(undefined("nan")),
        },
        Kind::Add(a) => {
            let mut acc = number_to_complex(&a.constant, prec);
            for (t, c) in a.terms.iter() {
                let v = eval_rec(t, env, prec, memo)?;
                acc += v * number_to_complex(c, prec);
            }
            acc
        }
        Kind::Mul(m) => {
            let mut acc = number_to_complex(&m.coeff, prec);
            for (b, x) in m.factors.iter() {
                acc *= eval_pow(b, x, env, prec, memo)?;
            }
            acc
        }
        Kind::Pow(b, x) => eval_pow(b, x, env, prec, memo)?,
        Kind::Func(f, args) => {
            let z = eval_rec(&args[0], env, prec, memo)?;
            if *f == Func::LambertW {
                let k = match args.get(1) {
                    None => 0,
                    Some(k) => k.as_i64().ok_or(CoreError::Unsupported("LambertW with a non-integer branch".into()))?,
                };
                return lambert_w(&z, k, prec);
            }
            apply_func(*f, z, prec)?
        }
        Kind::Piecewise(bs) => {
            for (v, c) in bs.iter() {
                if eval_condition(c, env, prec, memo)? {
                    return eval_rec(v, env, prec, memo);
                }
            }
            return Err(undefined("no Piecewise branch applies"));
        }
        Kind::RootOf(_) => {
            return Err(CoreError::Unsupported(
                "numeric evaluation of RootOf needs sym-solve (sym_solve::evalf)".into(),
            ));
        }
        Kind::Rel(..) | Kind::Bool(_) | Kind::And(_) | Kind::Or(_) | Kind::Not(_) => {
            return Err(CoreError::Unsupported(format!("`{e}` is a condition, not a number")));
        }
    })
}

fn eval_pow(
    b: &Expr,
    x: &Expr,
    env: &ComplexEnv,
    prec: u32,
    memo: &mut crate::hash::ExprMap<Complex>,
) -> Result<Complex, CoreError> {
    if b.is_const(Constant::E) {
        let v = eval_rec(x, env, prec, memo)?;
        return Ok(v.exp());
    }
    let bv = eval_rec(b, env, prec, memo)?;
    if let Some(n) = x.as_number() {
        if let Some(k) = n.as_i64() {
            if bv.is_zero() && k < 0 {
                return Err(undefined("division by zero"));
            }
            if let Ok(k32) = i32::try_from(k) {
                return Ok(bv.pow(k32));
            }
        }
        if let Number::Rational(r) = n
            && r.numer() == 1
            && r.denom() == 2
        {
            return Ok(bv.sqrt());
        }
    }
    let xv = eval_rec(x, env, prec, memo)?;
    if bv.is_zero() {
        let re = xv.real();
        return if re.is_sign_positive() && !re.is_zero() {
            Ok(czero(prec))
        } else {
            Err(undefined("zero to a non-positive power"))
        };
    }
    // b**x = exp(x log b): a phase Im(x log b) beyond 2**prec cannot be reduced mod 2 pi at this
    // precision (MPC would carry it at its full size: minutes for `x**6.7e31232555`). The value is
    // then zero if its modulus underflows, else undefined at this precision.
    // |Im(x log b)| <= |x| (|ln|b|| + pi) < 2**(ex + bits(|eb| + 5)), from the exponents alone: the
    // logarithm is taken only when the bound reaches the threshold.
    let exp_of = |f: &Float| i64::from(f.get_exp().unwrap_or(i32::MIN / 2));
    let ex = exp_of(xv.real()).max(exp_of(xv.imag()));
    let eb = exp_of(bv.real()).max(exp_of(bv.imag()));
    let log_bits = 64 - (eb.unsigned_abs() + 5).leading_zeros();
    if ex + i64::from(log_bits) <= i64::from(prec) + 16 {
        return Ok(bv.pow(&xv));
    }
    let w = Complex::with_val(prec, bv.ln_ref()) * &xv;
    if w.imag().get_exp().is_some_and(|e| i64::from(e) > i64::from(prec) + 16) {
        return if w.real().is_sign_negative() && w.real().get_exp().is_some_and(|e| e > 40) {
            Ok(czero(prec))
        } else {
            Err(undefined("a power whose phase exceeds the working precision"))
        };
    }
    Ok(bv.pow(&xv))
}

fn real_part_checked(z: &Complex, prec: u32) -> Result<Float, CoreError> {
    let scale = Float::with_val(prec, z.abs_ref());
    let tol = Float::with_val(prec, &scale >> (prec.saturating_sub(16)));
    if Float::with_val(prec, z.imag().abs_ref()) > tol {
        return Err(CoreError::NotReal(z.imag().to_f64()));
    }
    Ok(z.real().clone())
}

fn eval_condition(
    c: &Expr,
    env: &ComplexEnv,
    prec: u32,
    memo: &mut crate::hash::ExprMap<Complex>,
) -> Result<bool, CoreError> {
    Ok(match c.kind() {
        Kind::Bool(b) => *b,
        Kind::Rel(op, a, b) => {
            let d = eval_rec(&Expr::sub(a.clone(), b.clone()), env, prec, memo)?;
            match op {
                RelOp::Eq => d.is_zero(),
                RelOp::Ne => !d.is_zero(),
                _ => {
                    let r = real_part_checked(&d, prec)?;
                    match op {
                        RelOp::Lt => r.is_sign_negative() && !r.is_zero(),
                        RelOp::Le => r.is_sign_negative() || r.is_zero(),
                        RelOp::Gt => r.is_sign_positive() && !r.is_zero(),
                        _ => r.is_sign_positive() || r.is_zero(),
                    }
                }
            }
        }
        Kind::And(xs) => {
            for x in xs.iter() {
                if !eval_condition(x, env, prec, memo)? {
                    return Ok(false);
                }
            }
            true
        }
        Kind::Or(xs) => {
            for x in xs.iter() {
                if eval_condition(x, env, prec, memo)? {
                    return Ok(true);
                }
            }
            false
        }
        Kind::Not(x) => !eval_condition(x, env, prec, memo)?,
        _ => return Err(CoreError::Unsupported(format!("`{c}` is not a condition"))),
    })
}

/// Applies a one-argument function to a complex value (principal branches, SymPy's conventions).
pub fn apply_func(f: Func, z: Complex, prec: u32) -> Result<Complex, CoreError> {
    let one = || Complex::with_val(prec, (1, 0));
    let recip = |w: Complex, what: &'static str| -> Result<Complex, CoreError> {
        if w.is_zero() { Err(undefined(what)) } else { Ok(one() / w) }
    };
    Ok(match f {
        Func::Log => {
            if z.is_zero() {
                return Err(undefined("log(0)"));
            }
            z.ln()
        }
        Func::Sin => z.sin(),
        Func::Cos => z.cos(),
        Func::Tan => z.tan(),
        Func::Cot => recip(z.tan(), "cot at a pole")?,
        Func::Sec => recip(z.cos(), "sec at a pole")?,
        Func::Csc => recip(z.sin(), "csc at a pole")?,
        Func::Asin => z.asin(),
        Func::Acos => z.acos(),
        Func::Atan => z.atan(),
        Func::Acot => {
            if z.is_zero() {
                creal(prec, Float::with_val(prec, FConst::Pi) / 2u32)
            } else {
                (one() / z).atan()
            }
        }
        Func::Sinh => z.sinh(),
        Func::Cosh => z.cosh(),
        Func::Tanh => z.tanh(),
        Func::Coth => recip(z.tanh(), "coth at a pole")?,
        Func::Asinh => z.asinh(),
        Func::Acosh => z.acosh(),
        Func::Atanh => z.atanh(),
        Func::Abs => creal(prec, Float::with_val(prec, z.abs_ref())),
        Func::Sign => {
            if z.is_zero() {
                czero(prec)
            } else {
                let m = Float::with_val(prec, z.abs_ref());
                z / m
            }
        }
        Func::LambertW => lambert_w(&z, 0, prec)?,
    })
}

/// Branch `k` of the Lambert W function at `z`, at `prec` bits.
pub fn lambert_w(z: &Complex, k: i64, prec: u32) -> Result<Complex, CoreError> {
    let wp = prec + 32;
    let z = Complex::with_val(wp, z);
    if z.is_zero() {
        return if k == 0 { Ok(Complex::new(prec)) } else { Err(undefined("LambertW(0, k) for k != 0")) };
    }
    let (zr, zi) = (z.real().to_f64(), z.imag().to_f64());
    let inv_e = (-1.0f64).exp();
    // Initial guess in f64 complex arithmetic.
    let w0: (f64, f64) = {
        let near_branch = ((zr + inv_e).powi(2) + zi * zi).sqrt() < 0.3;
        if k == 0 && near_branch || (k == -1 && near_branch && zi.abs() < 1e-300 && zr < 0.0) {
            // Series at the branch point: w = -1 + p - p^2/3 + 11/72 p^3, p = +-sqrt(2(e z + 1)).
            let t = 2.0 * (std::f64::consts::E * zr + 1.0);
            let (pr, pi) = csqrt(t, 2.0 * std::f64::consts::E * zi);
            let (pr, pi) = if k == -1 { (-pr, -pi) } else { (pr, pi) };
            let (p2r, p2i) = (pr * pr - pi * pi, 2.0 * pr * pi);
            let (p3r, p3i) = (p2r * pr - p2i * pi, p2r * pi + p2i * pr);
            (-1.0 + pr - p2r / 3.0 + 11.0 / 72.0 * p3r, pi - p2i / 3.0 + 11.0 / 72.0 * p3i)
        } else if k == 0 && (zr * zr + zi * zi).sqrt() < 3.0 {
            // W(z) ~ log(1 + z) for moderate z (exact to first order at 0).
            clog(1.0 + zr, zi)
        } else {
            if k == -1 && zi == 0.0 && zr < 0.0 && zr > -inv_e {
                // Real branch below -1: w = L1 - log(-L1) with L1 = log(-z) < -1.
                let l1 = (-zr).ln();
                (l1 - (-l1).ln(), 0.0)
            } else {
                // Asymptotic: w = L1 - log(L1), L1 = log(z) + 2 pi i k.
                let (lr, mut li) = clog(zr, zi);
                li += 2.0 * std::f64::consts::PI * k as f64;
                let (l2r, l2i) = clog(lr, li);
                (lr - l2r, li - l2i)
            }
        }
    };
    let mut w = Complex::with_val(wp, w0);
    let one = Complex::with_val(wp, (1, 0));
    let two = Complex::with_val(wp, (2, 0));
    let tol = Float::with_val(wp, Float::with_val(wp, 1) >> (prec + 8));
    for _ in 0..200 {
        let ew = Complex::with_val(wp, w.exp_ref());
        let f = Complex::with_val(wp, &w * &ew) - &z;
        let wp1 = Complex::with_val(wp, &w + &one);
        if wp1.is_zero() {
            break;
        }
        let denom = Complex::with_val(wp, &ew * &wp1)
            - Complex::with_val(wp, &w + &two) * &f / (Complex::with_val(wp, &wp1 * &two));
        if denom.is_zero() {
            break;
        }
        let step = f / denom;
        w -= &step;
        let size = Float::with_val(wp, step.abs_ref());
        let scale = Float::with_val(wp, w.abs_ref()).max(&Float::with_val(wp, 1));
        if size <= Float::with_val(wp, &tol * &scale) {
            return Ok(Complex::with_val(prec, &w));
        }
    }
    // Branch points converge linearly; accept the iterate if the residual is small.
    let ew = Complex::with_val(wp, w.exp_ref());
    let res = Float::with_val(wp, (Complex::with_val(wp, &w * &ew) - &z).abs_ref());
    if res < Float::with_val(wp, Float::with_val(wp, 1) >> (prec / 2)) {
        return Ok(Complex::with_val(prec, &w));
    }
    Err(CoreError::Undefined("LambertW did not converge"))
}

fn csqrt(re: f64, im: f64) -> (f64, f64) {
    let m = (re * re + im * im).sqrt();
    let r = ((m + re) / 2.0).max(0.0).sqrt();
    let i = ((m - re) / 2.0).max(0.0).sqrt();
    (r, if im < 0.0 { -i } else { i })
}

fn clog(re: f64, im: f64) -> (f64, f64) {
    ((re * re + im * im).sqrt().ln(), im.atan2(re))
}

/// Converts a complex float result into an expression `re + im*I` of floats at `prec` bits.
fn complex_to_expr(z: &Complex, prec: u32) -> Option<Expr> {
    let re = Number::from_float(Float::with_val(prec, z.real()))?;
    if z.imag().is_zero() {
        return Some(Expr::num(re));
    }
    let im = Number::from_float(Float::with_val(prec, z.imag()))?;
    Some(Expr::add(Expr::num(re), Expr::mul(Expr::num(im), Expr::i())))
}

/// `f(x)` for a float `x`, evaluated at the float's precision (used by the constructors, so
/// that `sin(0.5)` becomes a float as in SymPy). `None` keeps the application unevaluated
/// (e.g. at a pole).
pub fn eval_func_at_float(f: Func, x: &Number) -> Option<Expr> {
    let prec = x.prec()?;
    let z = creal(prec, x.to_float(prec));
    let v = apply_func(f, z, prec).ok()?;
    complex_to_expr(&v, prec)
}

/// `LambertW(x, k)` for a float `x`.
pub fn eval_lambert_w_at_float(x: &Number, k: i64) -> Option<Expr> {
    let prec = x.prec()?;
    let z = creal(prec, x.to_float(prec));
    let v = lambert_w(&z, k, prec).ok()?;
    complex_to_expr(&v, prec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn at(e: &str, digits: u32) -> String {
        let z = eval_digits(&parse(e).unwrap(), &HashMap::new(), digits).unwrap();
        let (_, s, exp) = z.real().to_sign_string_exp(10, Some(digits as usize));
        format!("{s}e{}", exp.unwrap_or(0))
    }

    #[test]
    fn sqrt2_to_50_digits() {
        assert_eq!(at("sqrt(2)", 50), "14142135623730950488016887242096980785696718753769e1");
    }

    #[test]
    fn lambert_w_values() {
        let w = eval_f64(&parse("LambertW(1)").unwrap(), &F64Env::new()).unwrap();
        assert!((w - 0.567_143_290_409_783_8).abs() < 1e-15);
        let w = eval_f64(&parse("LambertW(-1/4, -1)").unwrap(), &F64Env::new()).unwrap();
        assert!((w * w.exp() + 0.25).abs() < 1e-14 && w < -1.0, "{w}");
        let w = eval_f64(&parse("LambertW(-1/4)").unwrap(), &F64Env::new()).unwrap();
        assert!((w * w.exp() + 0.25).abs() < 1e-14 && w > -1.0, "{w}");
        let w = eval_f64(&parse("LambertW(1000)").unwrap(), &F64Env::new()).unwrap();
        assert!((w * w.exp() - 1000.0).abs() < 1e-9, "{w}");
    }

    #[test]
    fn complex_values_and_errors() {
        let (re, im) = eval_c64(&parse("sqrt(-4)").unwrap(), &F64Env::new()).unwrap();
        assert_eq!((re, im), (0.0, 2.0));
        assert!(matches!(eval_f64(&parse("log(-1)").unwrap(), &F64Env::new()), Err(CoreError::NotReal(_))));
        assert!(matches!(eval_f64(&parse("x + 1").unwrap(), &F64Env::new()), Err(CoreError::UnboundSymbol(_))));
    }

    #[test]
    fn negative_reals_sit_on_the_principal_side_of_cuts() {
        // Both forms of the same negative base must pick arg = +pi, whatever sign of zero
        // the arithmetic produced on the way.
        let env = {
            let mut m = ComplexEnv::new();
            m.insert(Symbol::new("x"), Complex::with_val(100, (0.0, -0.13957060837172672)));
            m
        };
        let a = eval_complex(&parse("(pi*(E - 4))**x").unwrap(), &env, 100).unwrap();
        let b = eval_complex(&parse("(E*pi - 4*pi)**x").unwrap(), &env, 100).unwrap();
        let d = Complex::with_val(100, &a - &b);
        assert!(Float::with_val(100, d.abs_ref()) < 1e-25, "{a} vs {b}");
        let l = eval_c64(&parse("log(pi*(E - 4))").unwrap(), &F64Env::new()).unwrap();
        assert!((l.1 - std::f64::consts::PI).abs() < 1e-15, "{l:?}");
    }
}
