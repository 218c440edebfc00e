//! LaTeX output, in the conventions of SymPy's `latex()`: `\frac{..}{..}` for quotients,
//! `\sqrt{..}` and `\sqrt[n]{..}` for roots, `e^{x}` for exponentials, `\sin{\left(x \right)}`
//! for functions, `\left|x\right|` for `Abs`, `\begin{cases}` for `Piecewise`, Greek letters for
//! symbols named after them.

use crate::expr::{Constant, Expr, Func, Kind, RelOp};
use crate::number::Number;
use crate::print::{display_factors, display_terms, prec, precedence};

const GREEK: [&str; 24] = [
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi",
    "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
];

impl Expr {
    /// The expression in LaTeX.
    pub fn to_latex(&self) -> String {
        let mut s = String::new();
        latex(&mut s, self);
        s
    }
}

fn symbol(name: &str) -> String {
    let (head, sub) = match name.split_once('_') {
        Some((h, s)) => (h, Some(s)),
        None => (name, None),
    };
    let lower = head.to_lowercase();
    let head = if GREEK.contains(&lower.as_str()) && lower != "omicron" {
        if head.chars().next().is_some_and(char::is_uppercase) {
            let mut c = lower.chars();
            let first = c.next().map(|f| f.to_uppercase().collect::<String>()).unwrap_or_default();
            format!("\\{first}{}", c.as_str())
        } else {
            format!("\\{lower}")
        }
    } else {
        head.to_string()
    };
    match sub {
        Some(s) => format!("{head}_{{{s}}}"),
        None => head,
    }
}

fn number(out: &mut String, n: &Number) {
    match n {
        Number::Rational(r) => {
            let sign = if r.cmp0().is_lt() { "-" } else { "" };
            out.push_str(&format!("{sign}\\frac{{{}}}{{{}}}", r.numer().clone().abs(), r.denom()));
        }
        other => out.push_str(&other.to_string()),
    }
}

fn paren(out: &mut String, e: &Expr, min: u8) {
    if precedence(e) < min {
        out.push_str("\\left(");
        latex(out, e);
        out.push_str("\\right)");
    } else {
        latex(out, e);
    }
}

fn func_name(f: Func) -> &'static str {
    match f {
        Func::Log => "\\log",
        Func::Sin => "\\sin",
        Func::Cos => "\\cos",
        Func::Tan => "\\tan",
        Func::Cot => "\\cot",
        Func::Sec => "\\sec",
        Func::Csc => "\\csc",
        Func::Asin => "\\operatorname{asin}",
        Func::Acos => "\\operatorname{acos}",
        Func::Atan => "\\operatorname{atan}",
        Func::Acot => "\\operatorname{acot}",
        Func::Sinh => "\\sinh",
        Func::Cosh => "\\cosh",
        Func::Tanh => "\\tanh",
        Func::Coth => "\\coth",
        Func::Asinh => "\\operatorname{asinh}",
        Func::Acosh => "\\operatorname{acosh}",
        Func::Atanh => "\\operatorname{atanh}",
        Func::Sign => "\\operatorname{sign}",
        Func::LambertW => "W",
        Func::Abs => "",
    }
}

fn latex(out: &mut String, e: &Expr) {
    stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || latex_inner(out, e));
}

fn latex_inner(out: &mut String, e: &Expr) {
    match e.kind() {
        Kind::Num(n) => number(out, n),
        Kind::Sym(s) => out.push_str(&symbol(s.name())),
        Kind::Const(c) => out.push_str(match c {
            Constant::Pi => "\\pi",
            Constant::E => "e",
            Constant::I => "i",
            Constant::Infinity => "\\infty",
            Constant::NegInfinity => "-\\infty",
            Constant::ComplexInfinity => "\\tilde{\\infty}",
            Constant::NaN => "\\text{NaN}",
        }),
        Kind::Bool(b) => out.push_str(if *b { "\\text{True}" } else { "\\text{False}" }),
        Kind::Add(_) => {
            for (i, t) in display_terms(e).iter().enumerate() {
                let neg = t.has_negative_coeff();
                let mag = if neg { Expr::neg(t.clone()) } else { t.clone() };
                if i == 0 {
                    if neg {
                        out.push('-');
                    }
                } else {
                    out.push_str(if neg { " - " } else { " + " });
                }
                paren(out, &mag, prec::MUL);
            }
        }
        Kind::Mul(_) => mul(out, e),
        Kind::Pow(b, x) => pow(out, b, x),
        Kind::Func(Func::Abs, args) => {
            out.push_str("\\left|");
            latex(out, &args[0]);
            out.push_str("\\right|");
        }
        Kind::Func(f, args) => {
            out.push_str(func_name(*f));
            if *f == Func::LambertW && args.len() == 2 {
                out.push_str("_{");
                latex(out, &args[1]);
                out.push('}');
            }
            out.push_str("{\\left(");
            latex(out, &args[0]);
            out.push_str(" \\right)}");
        }
        Kind::Piecewise(bs) => {
            out.push_str("\\begin{cases} ");
            for (i, (v, c)) in bs.iter().enumerate() {
                if i > 0 {
                    out.push_str(" \\\\ ");
                }
                latex(out, v);
                out.push_str(" & \\text{for}\\: ");
                if matches!(c.kind(), Kind::Bool(true)) {
                    out.push_str("\\text{otherwise}");
                } else {
                    latex(out, c);
                }
            }
            out.push_str(" \\end{cases}");
        }
        Kind::Rel(op, a, b) => {
            latex(out, a);
            out.push_str(match op {
                RelOp::Eq => " = ",
                RelOp::Ne => " \\neq ",
                RelOp::Lt => " < ",
                RelOp::Le => " \\leq ",
                RelOp::Gt => " > ",
                RelOp::Ge => " \\geq ",
            });
            latex(out, b);
        }
        Kind::And(xs) | Kind::Or(xs) => {
            let sep = if matches!(e.kind(), Kind::And(_)) { " \\wedge " } else { " \\vee " };
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                paren(out, x, prec::ATOM);
            }
        }
        Kind::Not(x) => {
            out.push_str("\\neg ");
            paren(out, x, prec::ATOM);
        }
        Kind::RootOf(r) => {
            out.push_str("\\operatorname{CRootOf}{\\left(");
            latex(out, &r.poly);
            out.push_str(&format!(", {} \\right)}}", r.index));
        }
    }
}

fn mul(out: &mut String, e: &Expr) {
    let (coeff, factors) = display_factors(e);
    let mut num: Vec<Expr> = Vec::new();
    let mut den: Vec<Expr> = Vec::new();
    let (cn, cd) = match &coeff {
        Number::Rational(r) => (Number::from_integer(r.numer().clone()), Number::from_integer(r.denom().clone())),
        other => (other.clone(), Number::ONE),
    };
    let negative = cn.is_negative();
    let cn = cn.abs();
    if !cn.is_one() {
        num.push(Expr::num(cn));
    }
    if !cd.is_one() {
        den.push(Expr::num(cd));
    }
    for (b, x) in factors {
        if x.as_number().is_some_and(Number::is_negative) {
            den.push(Expr::pow(b, Expr::neg(x)));
        } else {
            num.push(Expr::pow(b, x));
        }
    }
    if negative {
        out.push('-');
    }
    let product = |out: &mut String, items: &[Expr]| {
        if items.is_empty() {
            out.push('1');
        }
        for (i, f) in items.iter().enumerate() {
            if i > 0 {
                // Numbers next to numbers need an explicit operator.
                let prev_num = items[i - 1].is_number();
                out.push_str(if prev_num && f.is_number() { " \\cdot " } else { " " });
            }
            paren(out, f, prec::MUL + 1);
        }
    };
    if den.is_empty() {
        product(out, &num);
    } else {
        out.push_str("\\frac{");
        product(out, &num);
        out.push_str("}{");
        product(out, &den);
        out.push('}');
    }
}

fn pow(out: &mut String, b: &Expr, x: &Expr) {
    if b.is_const(Constant::E) {
        out.push_str("e^{");
        latex(out, x);
        out.push('}');
        return;
    }
    if let Some(Number::Rational(r)) = x.as_number() {
        if r.cmp0().is_lt() {
            out.push_str("\\frac{1}{");
            pow(out, b, &Expr::neg(x.clone()));
            out.push('}');
            return;
        }
        if r.numer() == 1 {
            if r.denom() == 2 {
                out.push_str("\\sqrt{");
            } else {
                out.push_str(&format!("\\sqrt[{}]{{", r.denom()));
            }
            latex(out, b);
            out.push('}');
            return;
        }
    }
    if x.as_number().is_some_and(Number::is_negative) {
        out.push_str("\\frac{1}{");
        pow(out, b, &Expr::neg(x.clone()));
        out.push('}');
        return;
    }
    let base_paren = match b.kind() {
        Kind::Num(n) => !n.is_integer() || n.is_negative(),
        Kind::Func(..) | Kind::Pow(..) => true,
        _ => precedence(b) < prec::ATOM,
    };
    if base_paren {
        out.push_str("\\left(");
        latex(out, b);
        out.push_str("\\right)");
    } else {
        latex(out, b);
    }
    out.push_str("^{");
    latex(out, x);
    out.push('}');
}

#[cfg(test)]
mod tests {
    use crate::parse;
    use expect_test::{Expect, expect};

    fn check(input: &str, expect: Expect) {
        expect.assert_eq(&parse(input).unwrap().to_latex());
    }

    #[test]
    fn latex_forms() {
        check("x**2 + 2*x + 1", expect![["x^{2} + 2 x + 1"]]);
        check("-3*x/(2*y)", expect![["-\\frac{3 x}{2 y}"]]);
        check("sqrt(x + 1) + x**(1/3)", expect![[r#"\sqrt{x + 1} + \sqrt[3]{x}"#]]);
        check("exp(-x)*sin(alpha)", expect![[r#"e^{-x} \sin{\left(\alpha \right)}"#]]);
        check("Abs(x) + 1/2", expect![["\\left|x\\right| + \\frac{1}{2}"]]);
        check(
            "Piecewise((x, x < 0), (-x, True))",
            expect![[r#"\begin{cases} x & \text{for}\: x < 0 \\ -x & \text{for}\: \text{otherwise} \end{cases}"#]],
        );
        check("(x + 1)**2", expect![["\\left(x + 1\\right)^{2}"]]);
        check("I*pi/2", expect![["\\frac{i \\pi}{2}"]]);
    }
}
