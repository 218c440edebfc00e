//! Printing in SymPy's `str()` syntax (read back by [`crate::parse()`]) and in LaTeX.
//!
//! Terms of a sum are ordered for people, not by the canonical order: by total degree, highest
//! first, then lexicographically by symbol name, numbers last; when that would put a negative
//! term first and a positive one exists, the first positive term leads (`9 - x**2`, as SymPy
//! prints it). Products put the numeric coefficient and constants first and collect negative
//! powers into a denominator (`3*x/(2*y)`). `E**x` prints as `exp(x)`, `x**(1/2)` as `sqrt(x)`.

use crate::expr::{Constant, Expr, Kind, RelOp};
use crate::number::Number;
use std::cmp::Ordering;
use std::fmt::{self, Write};

/// Operator precedence levels used to decide parentheses.
pub(crate) mod prec {
    pub const OR: u8 = 10;
    pub const AND: u8 = 20;
    pub const NOT: u8 = 25;
    pub const REL: u8 = 30;
    pub const ADD: u8 = 40;
    pub const MUL: u8 = 50;
    pub const POW: u8 = 60;
    pub const ATOM: u8 = 100;
}

/// The precedence of `e` as it prints.
pub(crate) fn precedence(e: &Expr) -> u8 {
    match e.kind() {
        Kind::Add(_) => prec::ADD,
        Kind::Mul(m) => {
            if m.coeff.is_negative() {
                prec::ADD
            } else {
                prec::MUL
            }
        }
        Kind::Num(n) => match n {
            Number::Rational(_) => prec::MUL,
            _ if n.is_negative() => prec::ADD,
            _ => prec::ATOM,
        },
        Kind::Const(Constant::NegInfinity) => prec::ADD,
        Kind::Pow(b, e) => {
            if b.is_const(Constant::E) || is_half(e) {
                prec::ATOM
            } else if is_negative_exponent(e) {
                prec::MUL
            } else {
                prec::POW
            }
        }
        Kind::Rel(..) => prec::REL,
        Kind::And(_) => prec::AND,
        Kind::Or(_) => prec::OR,
        Kind::Not(_) => prec::NOT,
        _ => prec::ATOM,
    }
}

fn is_half(e: &Expr) -> bool {
    matches!(e.as_number(), Some(Number::Rational(r)) if r.numer() == 1 && r.denom() == 2)
}

fn is_negative_exponent(e: &Expr) -> bool {
    e.could_extract_minus_sign_for_print()
}

impl Expr {
    /// Whether the printer writes this exponent as a denominator (`x**(-2)` as `1/x**2` is
    /// SymPy's `x**(-2)`; only `-1` and `-1/2` become fractions for a lone power).
    fn could_extract_minus_sign_for_print(&self) -> bool {
        match self.as_number() {
            Some(n) => n.is_negative(),
            None => false,
        }
    }
}

/// A sort key that orders terms for people (see the module documentation).
struct DisplayKey {
    degree: f64,
    monomial: Vec<(String, f64)>,
    other: String,
    is_number: bool,
}

fn display_key(term: &Expr) -> DisplayKey {
    let mut key = DisplayKey { degree: 0.0, monomial: Vec::new(), other: String::new(), is_number: false };
    let visit = |f: &Expr, key: &mut DisplayKey| {
        let (b, e) = f.as_base_exp();
        match (b.kind(), e.as_number()) {
            (Kind::Sym(s), Some(n)) => {
                let d = n.to_f64();
                key.degree += d;
                key.monomial.push((s.name().to_string(), d));
            }
            (Kind::Num(_), _) | (Kind::Const(Constant::I | Constant::Pi), _) => {}
            _ => {
                key.degree += 1.0;
                let _ = write!(key.other, "{f}");
            }
        }
    };
    match term.kind() {
        Kind::Num(_) => key.is_number = true,
        Kind::Mul(m) => {
            for (b, e) in m.factors.iter() {
                visit(&Expr::pow(b.clone(), e.clone()), &mut key);
            }
        }
        _ => visit(term, &mut key),
    }
    key.monomial.sort_by(|a, b| a.0.cmp(&b.0));
    key
}

fn cmp_display(a: &DisplayKey, b: &DisplayKey) -> Ordering {
    a.is_number
        .cmp(&b.is_number)
        .then_with(|| b.degree.partial_cmp(&a.degree).unwrap_or(Ordering::Equal))
        .then_with(|| {
            // Lexicographic by symbol: a higher power of an earlier symbol comes first.
            for (x, y) in a.monomial.iter().zip(b.monomial.iter()) {
                let o = x.0.cmp(&y.0).then_with(|| y.1.partial_cmp(&x.1).unwrap_or(Ordering::Equal));
                if o.is_ne() {
                    return o;
                }
            }
            b.monomial.len().cmp(&a.monomial.len())
        })
        .then_with(|| a.other.cmp(&b.other))
}

/// The terms of a sum in display order, each as `(is_negative, printed magnitude)`.
fn ordered_terms(e: &Expr) -> Vec<Expr> {
    let Kind::Add(a) = e.kind() else {
        return vec![e.clone()];
    };
    let mut terms: Vec<(DisplayKey, Expr)> = a
        .terms
        .iter()
        .map(|(t, c)| {
            let term = Expr::mul(Expr::num(c.clone()), t.clone());
            (display_key(t), term)
        })
        .collect();
    if !a.constant.is_zero() {
        let c = Expr::num(a.constant.clone());
        terms.push((display_key(&c), c));
    }
    terms.sort_by(|x, y| cmp_display(&x.0, &y.0));
    let mut out: Vec<Expr> = terms.into_iter().map(|(_, t)| t).collect();
    if out.first().is_some_and(|t| t.has_negative_coeff())
        && let Some(i) = out.iter().position(|t| !t.has_negative_coeff())
    {
        let t = out.remove(i);
        out.insert(0, t);
    }
    out
}

/// Writes `e` in SymPy's syntax.
fn write_expr(out: &mut String, e: &Expr) {
    stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || write_expr_inner(out, e));
}

fn write_paren(out: &mut String, e: &Expr, min_prec: u8) {
    if precedence(e) < min_prec {
        out.push('(');
        write_expr(out, e);
        out.push(')');
    } else {
        write_expr(out, e);
    }
}

fn write_expr_inner(out: &mut String, e: &Expr) {
    match e.kind() {
        Kind::Num(n) => {
            let _ = write!(out, "{n}");
        }
        Kind::Sym(s) => out.push_str(s.name()),
        Kind::Const(c) => out.push_str(c.name()),
        Kind::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        Kind::Add(_) => {
            for (i, t) in ordered_terms(e).iter().enumerate() {
                let neg = t.has_negative_coeff();
                let mag = if neg { Expr::neg(t.clone()) } else { t.clone() };
                if i == 0 {
                    if neg {
                        out.push('-');
                    }
                } else {
                    out.push_str(if neg { " - " } else { " + " });
                }
                // A term in a sum never needs parentheses unless it is itself a sum.
                write_paren(out, &mag, prec::MUL);
            }
        }
        Kind::Mul(m) => write_mul(out, &m.coeff, &m.factors),
        Kind::Pow(b, x) => write_pow(out, b, x),
        Kind::Func(f, args) => {
            out.push_str(f.name());
            out.push('(');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, a);
            }
            out.push(')');
        }
        Kind::Piecewise(bs) => {
            out.push_str("Piecewise(");
            for (i, (v, c)) in bs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push('(');
                write_expr(out, v);
                out.push_str(", ");
                write_expr(out, c);
                out.push(')');
            }
            out.push(')');
        }
        Kind::Rel(op, a, b) => match op {
            RelOp::Eq | RelOp::Ne => {
                out.push_str(if *op == RelOp::Eq { "Eq(" } else { "Ne(" });
                write_expr(out, a);
                out.push_str(", ");
                write_expr(out, b);
                out.push(')');
            }
            _ => {
                write_paren(out, a, prec::ADD);
                let _ = write!(out, " {} ", op.symbol());
                write_paren(out, b, prec::ADD);
            }
        },
        Kind::And(xs) | Kind::Or(xs) => {
            let (sep, p) =
                if matches!(e.kind(), Kind::And(_)) { (" & ", prec::AND + 1) } else { (" | ", prec::OR + 1) };
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                // Infix relations are parenthesised, as SymPy prints them: (x < 1) & (y > 2);
                // Eq and Ne print as calls and need none.
                let infix_rel = matches!(x.kind(), Kind::Rel(op, ..) if !matches!(op, RelOp::Eq | RelOp::Ne));
                write_paren(out, x, if infix_rel { prec::ATOM } else { p });
            }
        }
        Kind::Not(x) => {
            out.push('~');
            write_paren(out, x, prec::ATOM);
        }
        Kind::RootOf(r) => {
            out.push_str("RootOf(");
            write_expr(out, &r.poly);
            let syms = crate::expr::free_symbols(&r.poly);
            if syms.len() == 1 && syms.contains(&r.var) {
                let _ = write!(out, ", {})", r.index);
            } else {
                let _ = write!(out, ", {}, {})", r.var, r.index);
            }
        }
    }
}

/// Display rank of a factor inside a product: constants, then symbols, then the rest.
fn factor_rank(b: &Expr) -> u8 {
    match b.kind() {
        Kind::Num(_) => 0,
        Kind::Const(Constant::I) => 1,
        Kind::Const(_) => 2,
        Kind::Sym(_) => 3,
        Kind::Pow(..) => 4,
        Kind::Func(..) => 5,
        _ => 6,
    }
}

fn sort_factors_for_display(fs: &mut [(Expr, Expr)]) {
    fs.sort_by(|a, b| {
        factor_rank(&a.0).cmp(&factor_rank(&b.0)).then_with(|| {
            let (sa, sb) = (a.0.to_string(), b.0.to_string());
            sa.cmp(&sb)
        })
    });
}

fn write_mul(out: &mut String, coeff: &Number, factors: &[(Expr, Expr)]) {
    let mut num: Vec<(Expr, Expr)> = Vec::new();
    let mut den: Vec<(Expr, Expr)> = Vec::new();
    for (b, x) in factors {
        if is_negative_exponent(x) {
            den.push((b.clone(), Expr::neg(x.clone())));
        } else {
            num.push((b.clone(), x.clone()));
        }
    }
    sort_factors_for_display(&mut num);
    sort_factors_for_display(&mut den);
    let (mut cnum, cden) = match coeff {
        Number::Rational(r) => (Number::from_integer(r.numer().clone()), Some(Number::from_integer(r.denom().clone()))),
        other => (other.clone(), None),
    };
    if cnum.is_negative() {
        out.push('-');
        cnum = -&cnum;
    }
    let mut first = true;
    if !cnum.is_one() {
        let _ = write!(out, "{cnum}");
        first = false;
    }
    for (b, x) in &num {
        if !first {
            out.push('*');
        }
        first = false;
        write_factor(out, b, x);
    }
    if first {
        out.push('1');
    }
    let den_count = den.len() + usize::from(cden.is_some());
    if den_count == 0 {
        return;
    }
    out.push('/');
    if den_count > 1 {
        out.push('(');
    }
    let mut dfirst = true;
    if let Some(d) = &cden {
        let _ = write!(out, "{d}");
        dfirst = false;
    }
    for (b, x) in &den {
        if !dfirst {
            out.push('*');
        }
        dfirst = false;
        write_factor(out, b, x);
    }
    if den_count > 1 {
        out.push(')');
    }
}

/// Writes `b**x` as a factor of a product (parenthesised when needed).
fn write_factor(out: &mut String, b: &Expr, x: &Expr) {
    if x.is_one() {
        write_paren(out, b, prec::MUL + 1);
    } else {
        write_pow(out, b, x);
    }
}

fn write_pow(out: &mut String, b: &Expr, x: &Expr) {
    if b.is_const(Constant::E) {
        out.push_str("exp(");
        write_expr(out, x);
        out.push(')');
        return;
    }
    if is_half(x) {
        out.push_str("sqrt(");
        write_expr(out, b);
        out.push(')');
        return;
    }
    if let Some(n) = x.as_number()
        && n.is_negative()
    {
        let pos = -n;
        if pos.is_one() {
            out.push_str("1/");
            write_paren(out, b, prec::POW + 1);
            return;
        }
        if matches!(&pos, Number::Rational(r) if r.numer() == 1 && r.denom() == 2) {
            out.push_str("1/sqrt(");
            write_expr(out, b);
            out.push(')');
            return;
        }
    }
    // Bases: anything below atoms (and any power) is parenthesised, as are non-integer or
    // negative numbers.
    let base_needs_paren = match b.kind() {
        Kind::Num(n) => !n.is_integer() || n.is_negative(),
        Kind::Pow(bb, xx) => !(bb.is_const(Constant::E) || is_half(xx)),
        _ => precedence(b) < prec::ATOM,
    };
    if base_needs_paren {
        out.push('(');
        write_expr(out, b);
        out.push(')');
    } else {
        write_expr(out, b);
    }
    out.push_str("**");
    let exp_is_atom = match x.kind() {
        Kind::Num(n) => n.is_integer() && !n.is_negative() || (n.is_float() && !n.is_negative()),
        Kind::Sym(_) | Kind::Func(..) => true,
        Kind::Const(c) => *c != Constant::NegInfinity,
        Kind::Pow(bb, xx) => bb.is_const(Constant::E) || is_half(xx),
        _ => false,
    };
    if exp_is_atom {
        write_expr(out, x);
    } else {
        out.push('(');
        write_expr(out, x);
        out.push(')');
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        write_expr(&mut s, self);
        f.write_str(&s)
    }
}

/// The terms of `e` in the order the printer shows them (a sum's terms, or `e` alone).
pub fn display_terms(e: &Expr) -> Vec<Expr> {
    ordered_terms(e)
}

/// The factors of a product in display order as `(base, exponent)` pairs.
pub fn display_factors(e: &Expr) -> (Number, Vec<(Expr, Expr)>) {
    match e.kind() {
        Kind::Mul(m) => {
            let mut fs = m.factors.to_vec();
            sort_factors_for_display(&mut fs);
            (m.coeff.clone(), fs)
        }
        Kind::Num(n) => (n.clone(), Vec::new()),
        _ => {
            let (b, x) = e.as_base_exp();
            (Number::ONE, vec![(b, x)])
        }
    }
}

/// Formats a float with `digits` significant decimal digits: positional notation for moderate
/// exponents (`1.4142135623730951`, `0.00012`), scientific beyond (`1.5e+30`), `0` for zero.
pub fn format_decimal(x: &rug::Float, digits: usize) -> String {
    if x.is_zero() {
        return "0".to_string();
    }
    if !x.is_finite() {
        return if x.is_nan() {
            "nan".into()
        } else if x.is_sign_negative() {
            "-oo".into()
        } else {
            "oo".into()
        };
    }
    let digits = digits.max(1);
    let (neg, ds, exp) = x.to_sign_string_exp(10, Some(digits));
    let exp = exp.unwrap_or(0);
    let sign = if neg { "-" } else { "" };
    // The value is 0.ds * 10**exp.
    let point = exp;
    let body = if (-5..=21).contains(&point) {
        if point <= 0 {
            format!("0.{}{}", "0".repeat((-point) as usize), ds)
        } else if (point as usize) >= ds.len() {
            format!("{}{}", ds, "0".repeat(point as usize - ds.len()))
        } else {
            format!("{}.{}", &ds[..point as usize], &ds[point as usize..])
        }
    } else {
        let (first, rest) = ds.split_at(1);
        let e = point - 1;
        if rest.is_empty() { format!("{first}e{e:+}") } else { format!("{first}.{rest}e{e:+}") }
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use crate::parse;
    use expect_test::{Expect, expect};

    fn check(input: &str, expect: Expect) {
        expect.assert_eq(&parse(input).unwrap().to_string());
    }

    #[test]
    fn decimals() {
        let f = |v: f64, d| super::format_decimal(&rug::Float::with_val(53, v), d);
        assert_eq!(f(1.5, 5), "1.5000");
        assert_eq!(f(-0.000123, 3), "-0.000123");
        assert_eq!(f(1.5e30, 3), "1.50e+30");
        assert_eq!(f(0.0, 3), "0");
        assert_eq!(f(12345.0, 3), "12300");
    }

    #[test]
    fn sums_and_products() {
        check("9 - x**2", expect![["9 - x**2"]]);
        check("x**2 - 4", expect![["x**2 - 4"]]);
        check("-x - 1", expect![["-x - 1"]]);
        check("x/2", expect![["x/2"]]);
        check("-3*x/(2*y)", expect![["-3*x/(2*y)"]]);
        check("1/x", expect![["1/x"]]);
        check("x**(-2)", expect![["x**(-2)"]]);
        check("y/x**2", expect![["y/x**2"]]);
        check("1/sqrt(x)", expect![["1/sqrt(x)"]]);
        check("2*I*pi", expect![["2*I*pi"]]);
        check("(x + 1)**2*y", expect![["y*(x + 1)**2"]]);
        check("(x+1)*(y+2)", expect![["(x + 1)*(y + 2)"]]);
        check("x**y*2", expect![["2*x**y"]]);
        check("exp(x)*exp(y)", expect![["exp(x + y)"]]);
        check("(-1)**(1/3)", expect![["(-1)**(1/3)"]]);
        check("(1/2)**x", expect![["(1/2)**x"]]);
        check("x**(1/3)", expect![["x**(1/3)"]]);
        check("-oo", expect![["-oo"]]);
        check("(x < 1) & (y > 2)", expect![["(x < 1) & (y > 2)"]]);
    }
}
