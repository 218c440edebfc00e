//! Implicit roots: the solution of `F(y, p) = 0` in `y` when no closed form is found, kept as the equation
//! itself ([`ImplicitRoot`]), with a bracket and a uniqueness claim where they can be proved.
//!
//! **Bracket.** When the numerator of `F` is `c y + R_0(p) + sum_i k_i(p) B_i(y, p)` with a non-zero number
//! `c`, `R_0` and `k_i` free of `y`, and every `B_i` bounded for real arguments, `|B_i| <= M_i` (`sin`, `cos`,
//! `tanh` by 1, `atan` by `pi/2`, products and positive integer powers of those), let
//! `B = sum_i |k_i| M_i`. Then at `y_- = (-R_0 - B)/c` the numerator is `-B + sum_i k_i B_i <= 0` and at
//! `y_+ = (-R_0 + B)/c` it is `>= 0`, and it is continuous, so `[y_-, y_+]` (ordered by the sign of `c`)
//! holds a root for every real `p` and contains every real root (outside it `|c y + R_0| > B`).
//!
//! **Uniqueness.** When `F_y` depends on `y` only and its interval enclosure over the whole line
//! ([`crate::interval_eval`]) is non-negative (or non-positive) and not `{0}`, `F` is monotone in `y`; being
//! analytic and not constant in `y`, its derivative vanishes only at isolated points, so `F` is strictly
//! monotone and the real root is unique (`y + sin(y) = x`: `F_y = 1 + cos(y)` in `[0, 2]`).

use crate::interval::Iv;
use crate::interval_eval::{Enclosure, enclose};
use crate::solution::{Branch, ImplicitRoot};
use sym_core::expr::has_symbol;
use sym_core::{Constant, Expr, Func, Kind, Symbol};

/// The implicit-root branch of `f = 0` in `y`.
pub fn implicit_branch(f: &Expr, y: Symbol) -> Branch {
    let (n, d) = f.as_numer_denom();
    let n = n.expand().unwrap_or(n);
    let free_d = !has_symbol(&d, y);
    let bracket = if free_d { bracket(&n, y) } else { None };
    let unique = bracket.is_some() && free_d && monotone(&n, y);
    // Where the denominator vanishes the equation is undefined.
    let guard = if d.is_number() { Expr::true_() } else { Expr::rel(sym_core::RelOp::Ne, d, Expr::zero()) };
    Branch {
        exact: None,
        numeric: None,
        guard,
        multiplicity: 1,
        radius: None,
        implicit: Some(ImplicitRoot { equation: f.clone(), unknown: y, bracket, unique }),
    }
}

/// A bound `M` (a constant) with `|h| <= M` for every real value of the symbols in `h`.
fn bound(h: &Expr) -> Option<Expr> {
    match h.kind() {
        Kind::Func(Func::Sin | Func::Cos | Func::Tanh, _) => Some(Expr::one()),
        Kind::Func(Func::Atan, _) => Some(Expr::constant(Constant::Pi) / Expr::int(2)),
        Kind::Pow(b, p) => {
            let k = p.as_rational().filter(|r| r.denom() == &1 && *r > 0)?;
            Some(Expr::pow(bound(b)?, Expr::num(sym_core::Number::from_rational(k))))
        }
        Kind::Mul(m) => {
            let mut acc = Expr::num(m.coeff.clone().abs());
            for (b, p) in m.factors.iter() {
                acc = acc * bound(&Expr::pow(b.clone(), p.clone()))?;
            }
            Some(acc)
        }
        _ => None,
    }
}

/// `|k|` for an expression free of the unknown (a number's absolute value, else `Abs(k)`).
fn abs(k: &Expr) -> Expr {
    match k.as_number() {
        Some(n) => Expr::num(n.abs()),
        None => Expr::func(Func::Abs, k.clone()),
    }
}

/// The bracket of the module documentation, when `n` has that form.
fn bracket(n: &Expr, y: Symbol) -> Option<(Expr, Expr)> {
    let mut c = Vec::new();
    let mut r0 = Vec::new();
    let mut b = Vec::new();
    let ye = Expr::sym(y);
    for t in n.terms() {
        if !has_symbol(&t, y) {
            r0.push(t);
            continue;
        }
        let (k, h): (Vec<Expr>, Vec<Expr>) = t.factors().into_iter().partition(|g| !has_symbol(g, y));
        let (k, h) = (Expr::mul_all(k), Expr::mul_all(h));
        if h == ye {
            k.as_number()?;
            c.push(k);
            continue;
        }
        b.push(abs(&k) * bound(&h)?);
    }
    let c = Expr::add_all(c);
    if c.is_zero() || b.is_empty() {
        return None;
    }
    let (r0, bsum) = (Expr::add_all(r0), Expr::add_all(b));
    let lo = (-r0.clone() - bsum.clone()) / c.clone();
    let hi = (-r0 + bsum) / c.clone();
    let (lo, hi) = (lo.expand().unwrap_or(lo), hi.expand().unwrap_or(hi));
    Some(if c.could_extract_minus_sign() { (hi, lo) } else { (lo, hi) })
}

/// Whether `n` is provably strictly monotone in `y` for all real values (see the module documentation).
fn monotone(n: &Expr, y: Symbol) -> bool {
    let dn = n.diff(y);
    if sym_core::expr::free_symbols(&dn).iter().any(|s| *s != y) {
        return false;
    }
    match enclose(&dn, y, &Iv::entire(128)) {
        Ok(Enclosure::Range { range, .. }) => {
            !(range.lo.is_zero() && range.hi.is_zero()) && (range.lo >= 0 || range.hi <= 0)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn show(f: &str) -> String {
        let b = implicit_branch(&sym_core::parse_equation(f).unwrap(), Symbol::new("y"));
        let imp = b.implicit.unwrap();
        let br = imp.bracket.map_or("none".to_string(), |(lo, hi)| format!("[{lo}, {hi}]"));
        format!("{f}: bracket {br}, unique {}", imp.unique)
    }

    #[test]
    fn brackets() {
        let cases = [
            "y + sin(y) = x",
            "2*y - a*cos(3*y) = x",
            "-y + atan(y)**2/2 + t",
            "y*exp(y) + y = x",
            "y + y**3*sin(y) = x",
        ];
        expect![[r#"
            y + sin(y) = x: bracket [x - 1, x + 1], unique true
            2*y - a*cos(3*y) = x: bracket [x/2 - Abs(a)/2, x/2 + Abs(a)/2], unique false
            -y + atan(y)**2/2 + t: bracket [t - pi**2/8, t + pi**2/8], unique false
            y*exp(y) + y = x: bracket none, unique false
            y + y**3*sin(y) = x: bracket none, unique false"#]]
        .assert_eq(&cases.map(show).join("\n"));
    }
}
