//! A conservative sign analysis of real expressions, so that lowering can skip domain checks it can prove
//! unnecessary (`sqrt(x**2 + 1)` needs no `x**2 + 1 >= 0` mask, `log(exp(x) + 1)` no positivity test).
//!
//! The rules hold wherever the expression has a real value (the analysis says nothing about where it has one):
//! numbers by their sign; `pi`, `E` and `exp(x)` are positive; even integer powers and `Abs` are non-negative;
//! a non-integer rational power `x**(p/q)` is non-negative where it is real (its principal value for `x >= 0`;
//! for `x < 0` it is not real); `cosh` is positive; sums and products combine signs in the obvious way
//! (a sum of non-negative terms with a positive constant is positive, ...). Anything else is [`Sign::Unknown`].

use std::collections::HashMap;
use sym_core::expr::{AddData, MulData};
use sym_core::{Constant, Expr, Func, Kind};

/// What is known about the sign of a real expression.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) enum Sign {
    /// `> 0` wherever real.
    Pos,
    /// `>= 0` wherever real.
    NonNeg,
    /// Nothing is known.
    Unknown,
}

impl Sign {
    /// Whether the expression is known to be `>= 0`.
    pub(crate) fn nonneg(self) -> bool {
        matches!(self, Self::Pos | Self::NonNeg)
    }

    /// Whether the expression is known to be `> 0`.
    pub(crate) fn pos(self) -> bool {
        self == Self::Pos
    }

    fn times(self, other: Self) -> Self {
        match (self, other) {
            (Self::Pos, Self::Pos) => Self::Pos,
            (Self::Unknown, _) | (_, Self::Unknown) => Self::Unknown,
            _ => Self::NonNeg,
        }
    }

    fn plus(self, other: Self) -> Self {
        match (self, other) {
            (Self::Unknown, _) | (_, Self::Unknown) => Self::Unknown,
            (Self::Pos, _) | (_, Self::Pos) => Self::Pos,
            _ => Self::NonNeg,
        }
    }
}

/// The sign of a number (exact or float).
fn number_sign(n: &sym_core::Number) -> Sign {
    if n.is_positive() {
        Sign::Pos
    } else if n.is_zero() {
        Sign::NonNeg
    } else {
        Sign::Unknown
    }
}

/// Memoised facts about subexpressions (their sign, whether they are constants), so that lowering a large DAG
/// stays linear: each node is analysed once.
#[derive(Default, Debug)]
pub(crate) struct Facts {
    sign: HashMap<Expr, Sign>,
    constant: HashMap<Expr, bool>,
}

impl Facts {
    /// What is known about the sign of `e` (see the module doc).
    pub(crate) fn sign(&mut self, e: &Expr) -> Sign {
        if let Some(&s) = self.sign.get(e) {
            return s;
        }
        let s = stacker::maybe_grow(64 * 1024, 1024 * 1024, || match e.kind() {
            Kind::Num(n) => number_sign(n),
            Kind::Const(Constant::Pi | Constant::E | Constant::Infinity) => Sign::Pos,
            Kind::Add(a) => self.sum_sign(a),
            Kind::Mul(m) => self.product_sign(m),
            Kind::Pow(b, x) => self.power_sign(b, x),
            Kind::Func(Func::Abs, _) => Sign::NonNeg,
            Kind::Func(Func::Cosh, _) => Sign::Pos,
            _ => Sign::Unknown,
        });
        if e.depth() > 0 {
            self.sign.insert(e.clone(), s);
        }
        s
    }

    /// Whether `e` has no free symbols and no infinity or `nan` constant (so MPFR can evaluate it).
    pub(crate) fn is_constant(&mut self, e: &Expr) -> bool {
        if let Some(&c) = self.constant.get(e) {
            return c;
        }
        let c = stacker::maybe_grow(64 * 1024, 1024 * 1024, || match e.kind() {
            Kind::Num(_) | Kind::Bool(_) => true,
            Kind::Sym(_) => false,
            Kind::Const(c) => matches!(c, Constant::Pi | Constant::E | Constant::I),
            Kind::RootOf(r) => sym_core::expr::free_symbols(&r.poly).iter().all(|s| *s == r.var),
            _ => e.children().iter().all(|x| self.is_constant(x)),
        });
        if e.depth() > 0 {
            self.constant.insert(e.clone(), c);
        }
        c
    }

    /// The sign of `base ** exp`.
    fn power_sign(&mut self, base: &Expr, exp: &Expr) -> Sign {
        if base.is_const(Constant::E) {
            return Sign::Pos;
        }
        match exp.as_number() {
            Some(n) if n.is_integer() => {
                let even = n.to_integer().is_some_and(|k| k.is_even());
                match (even, self.sign(base)) {
                    (_, Sign::Pos) => Sign::Pos,
                    (true, _) => Sign::NonNeg,
                    (false, s) => s,
                }
            }
            // A non-integer real power is real only for a non-negative base, and then non-negative.
            Some(n) if n.is_exact() => match self.sign(base) {
                Sign::Pos => Sign::Pos,
                _ => Sign::NonNeg,
            },
            _ => {
                if self.sign(base).pos() {
                    Sign::Pos
                } else {
                    Sign::Unknown
                }
            }
        }
    }

    fn sum_sign(&mut self, a: &AddData) -> Sign {
        let mut s = number_sign(&a.constant);
        for (m, c) in a.terms.iter() {
            s = s.plus(number_sign(c).times(self.sign(m)));
            if s == Sign::Unknown {
                break;
            }
        }
        s
    }

    fn product_sign(&mut self, m: &MulData) -> Sign {
        let mut s = number_sign(&m.coeff);
        for (b, e) in m.factors.iter() {
            s = s.times(self.power_sign(b, e));
            if s == Sign::Unknown {
                break;
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sym_core::parse;

    #[test]
    fn signs() {
        let mut f = Facts::default();
        let mut s = |t: &str| f.sign(&parse(t).unwrap());
        assert_eq!(s("x**2 + 1"), Sign::Pos);
        assert_eq!(s("x**2"), Sign::NonNeg);
        assert_eq!(s("exp(x) + Abs(y)"), Sign::Pos);
        assert_eq!(s("sqrt(x)*3"), Sign::NonNeg);
        assert_eq!(s("x**2 - 1"), Sign::Unknown);
        assert_eq!(s("-x**2"), Sign::Unknown);
        assert_eq!(s("x**3"), Sign::Unknown);
        assert_eq!(s("cosh(x)*pi"), Sign::Pos);
        assert!(f.is_constant(&parse("sqrt(2) + RootOf(x**5 - x - 1, x, 0)").unwrap()));
        assert!(!f.is_constant(&parse("sqrt(2) + y").unwrap()));
        assert!(!f.is_constant(&parse("oo + 1").unwrap()));
    }
}
