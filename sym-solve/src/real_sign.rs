//! Signs of expressions that hold for every real value of their symbols (where the expression is defined).
//!
//! A sufficient, structural test: `exp(u) > 0` and `cosh(u) >= 1 > 0` for real `u`; a positive base to any real
//! power is positive; an even integer power is non-negative; a principal root `b**(p/q)` with even `q` is
//! non-negative where it is real; `Abs` is non-negative; products and sums combine the signs of their parts
//! (a sum of non-negative terms with one positive term is positive). Constants (`E`, `pi`, numbers) have their
//! sign. Symbols have no known sign. `None` means "not proved", never "false".

use sym_core::{Constant, Expr, Func, Kind};

/// What is known about the sign of an expression for all real values of its symbols.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    /// Strictly positive.
    Positive,
    /// Non-negative.
    NonNegative,
    /// Strictly negative.
    Negative,
    /// Non-positive.
    NonPositive,
    /// Zero.
    Zero,
}

impl Sign {
    fn neg(self) -> Sign {
        match self {
            Sign::Positive => Sign::Negative,
            Sign::NonNegative => Sign::NonPositive,
            Sign::Negative => Sign::Positive,
            Sign::NonPositive => Sign::NonNegative,
            Sign::Zero => Sign::Zero,
        }
    }

    fn mul(self, other: Sign) -> Sign {
        use Sign::*;
        match (self, other) {
            (Zero, _) | (_, Zero) => Zero,
            (Positive, s) | (s, Positive) => s,
            (Negative, s) | (s, Negative) => s.neg(),
            (NonNegative, NonNegative) | (NonPositive, NonPositive) => NonNegative,
            (NonNegative, NonPositive) | (NonPositive, NonNegative) => NonPositive,
        }
    }

    /// The sign of a sum of two terms, when it follows from theirs.
    fn add(self, other: Sign) -> Option<Sign> {
        use Sign::*;
        Some(match (self, other) {
            (Zero, s) | (s, Zero) => s,
            (Positive, Positive | NonNegative) | (NonNegative, Positive) => Positive,
            (NonNegative, NonNegative) => NonNegative,
            (Negative, Negative | NonPositive) | (NonPositive, Negative) => Negative,
            (NonPositive, NonPositive) => NonPositive,
            _ => return None,
        })
    }

    /// Whether the sign says `> 0`.
    pub fn is_positive(self) -> bool {
        self == Sign::Positive
    }

    /// Whether the sign says `>= 0`.
    pub fn is_nonnegative(self) -> bool {
        matches!(self, Sign::Positive | Sign::NonNegative | Sign::Zero)
    }
}

/// The sign of `e` for all real values of its symbols, where `e` is defined and real; `None` when not proved.
pub fn sign(e: &Expr) -> Option<Sign> {
    stacker::maybe_grow(32 * 1024, 1024 * 1024, || sign_rec(e))
}

fn number_sign(n: &sym_core::Number) -> Sign {
    if n.is_zero() {
        Sign::Zero
    } else if n.is_negative() {
        Sign::Negative
    } else {
        Sign::Positive
    }
}

fn sign_rec(e: &Expr) -> Option<Sign> {
    match e.kind() {
        Kind::Num(n) => Some(number_sign(n)),
        Kind::Const(Constant::E | Constant::Pi) => Some(Sign::Positive),
        Kind::Add(a) => {
            let mut acc = number_sign(&a.constant);
            for (t, c) in a.terms.iter() {
                let s = number_sign(c).mul(sign(t)?);
                acc = acc.add(s)?;
            }
            Some(acc)
        }
        Kind::Mul(m) => {
            let mut acc = number_sign(&m.coeff);
            for (b, p) in m.factors.iter() {
                acc = acc.mul(power_sign(b, p)?);
            }
            Some(acc)
        }
        Kind::Pow(b, p) => power_sign(b, p),
        Kind::Func(f, args) => match f {
            Func::Cosh => Some(Sign::Positive),
            Func::Abs => Some(Sign::NonNegative),
            // Odd increasing functions vanishing at zero keep the sign of their argument.
            Func::Sinh | Func::Tanh | Func::Atan | Func::Asinh | Func::Atanh | Func::Asin if args.len() == 1 => {
                sign(&args[0])
            }
            // W_0 is increasing with W_0(0) = 0.
            Func::LambertW if args.len() == 1 => sign(&args[0]),
            _ => None,
        },
        _ => None,
    }
}

/// The sign of `b**p` for real `b` and `p` where it is real.
fn power_sign(b: &Expr, p: &Expr) -> Option<Sign> {
    let base = if b.is_const(Constant::E) { Some(Sign::Positive) } else { sign(b) };
    if base == Some(Sign::Positive) {
        return Some(Sign::Positive);
    }
    let r = p.as_rational()?;
    if r.denom().is_even() {
        // A principal even root is non-negative where it is real.
        return Some(if base == Some(Sign::Zero) { Sign::Zero } else { Sign::NonNegative });
    }
    if r.numer().is_even() {
        // An even power of an odd root (or an integer power): non-negative, positive if the base is never zero.
        return Some(match base {
            Some(Sign::Negative) => Sign::Positive,
            Some(Sign::Zero) => Sign::Zero,
            _ => Sign::NonNegative,
        });
    }
    // An odd power keeps the sign of the base (a negative exponent keeps it too, where defined).
    let s = base?;
    Some(if r < 0 {
        match s {
            Sign::NonNegative => Sign::Positive,
            Sign::NonPositive => Sign::Negative,
            other => other,
        }
    } else {
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn check(inputs: &[&str], expect: expect_test::Expect) {
        let out: Vec<String> =
            inputs.iter().map(|s| format!("{s}: {:?}", sign(&sym_core::parse(s).unwrap()))).collect();
        expect.assert_eq(&out.join("\n"));
    }

    #[test]
    fn signs() {
        check(
            &["exp(t)", "-exp(t) - 1", "x**2 + 1", "x**2", "sqrt(x) + 2", "x", "x - 1", "E*exp(2*t)*cosh(u)", "1/x**2"],
            expect![[r#"
                exp(t): Some(Positive)
                -exp(t) - 1: Some(Negative)
                x**2 + 1: Some(Positive)
                x**2: Some(NonNegative)
                sqrt(x) + 2: Some(Positive)
                x: None
                x - 1: None
                E*exp(2*t)*cosh(u): Some(Positive)
                1/x**2: Some(NonNegative)"#]],
        );
    }
}
