//! A parser for SymPy's `str()` syntax, with errors that carry a byte span.
//!
//! Grammar (lowest precedence first; `**` is right-associative and binds tighter than unary
//! minus, as in Python, so `-x**2` is `-(x**2)` and `2**-1` is `1/2`):
//!
//! ```text
//! equation := expr ('=' expr)?
//! expr     := or
//! or       := and ('|' and)*
//! and      := not ('&' not)*
//! not      := '~' not | rel
//! rel      := sum (('==' | '!=' | '<' | '<=' | '>' | '>=') sum)?
//! sum      := product (('+' | '-') product)*
//! product  := unary (('*' | '/') unary)*
//! unary    := ('-' | '+') unary | power
//! power    := atom ('**' | '^') unary | atom
//! atom     := number | name | name '(' args ')' | '(' expr ')'
//! ```
//!
//! `a/b` between integers is an exact rational; a literal with a decimal point or exponent is a
//! float whose precision follows from its digits (53 bits up to 17 digits). Names that SymPy
//! prints as constants (`pi`, `E`, `I`, `oo`, `zoo`, `nan`, `GoldenRatio`,
//! `TribonacciConstant`) are constants; other names are symbols. Nesting is limited
//! ([`MAX_DEPTH`]) so that hostile input gets an error, not a stack overflow.

use crate::error::{CoreError, Span};
use crate::expr::{Expr, Func, RelOp};
use crate::number::{Number, parse_float_literal};
use rug::Integer;

/// The deepest nesting of parentheses and operators the parser accepts.
pub const MAX_DEPTH: usize = 2000;

/// The longest input the parser accepts, in bytes.
pub const MAX_INPUT: usize = 1 << 20;

/// Parses an expression (relations and `Eq(a, b)` included).
pub fn parse(text: &str) -> Result<Expr, CoreError> {
    let mut p = Parser::new(text)?;
    let e = p.expr()?;
    p.expect_end()?;
    Ok(e)
}

/// Parses an equation `lhs = rhs`, `Eq(lhs, rhs)` or `lhs == rhs`, or a bare expression meaning
/// `expr = 0`, and returns `lhs - rhs`.
pub fn parse_equation(text: &str) -> Result<Expr, CoreError> {
    let mut p = Parser::new(text)?;
    let lhs = p.expr()?;
    let e = if p.peek_is(&Tok::Assign) {
        p.bump();
        let rhs = p.expr()?;
        Expr::sub(lhs, rhs)
    } else {
        match lhs.kind() {
            crate::Kind::Rel(RelOp::Eq, a, b) => Expr::sub(a.clone(), b.clone()),
            crate::Kind::Rel(..) | crate::Kind::And(_) | crate::Kind::Or(_) | crate::Kind::Not(_) => {
                return Err(CoreError::Parse {
                    message: "expected an equation, found an inequality or condition".into(),
                    span: (0, text.len()),
                });
            }
            _ => lhs,
        }
    };
    p.expect_end()?;
    Ok(e)
}

/// The names of the symbols written in `text` (identifiers that are not constants and not
/// called as functions), in order of first appearance. Symbols can cancel during
/// canonicalisation (`(a - b)/(2*a - 2*b)` is `1/2`), so this is what the user wrote, which the
/// CLI needs to tell "named but cancelled" from "not named at all".
pub fn symbol_names(text: &str) -> Vec<String> {
    let Ok(toks) = lex(text) else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for (i, (t, _)) in toks.iter().enumerate() {
        if let Tok::Name(name) = t {
            let called = matches!(toks.get(i + 1), Some((Tok::LParen, _)));
            if called || name_to_expr(name, (0, 0)).map(|e| e.as_symbol().is_none()).unwrap_or(true) {
                continue;
            }
            if !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    out
}

/// Splits `text` at top-level `;` and `,` (outside parentheses), returning each piece with its
/// byte offset; used for several equations given in one argument.
pub fn split_top_level(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ';' | ',' if depth == 0 => {
                out.push((start, &text[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push((start, &text[start..]));
    out
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Int(Integer),
    Float(String),
    Name(String),
    Plus,
    Minus,
    Star,
    Slash,
    Pow,
    LParen,
    RParen,
    Comma,
    Assign,
    Rel(RelOp),
    Amp,
    Pipe,
    Tilde,
    End,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Int(n) => format!("number `{n}`"),
        Tok::Float(s) => format!("number `{s}`"),
        Tok::Name(s) => format!("name `{s}`"),
        Tok::Plus => "`+`".into(),
        Tok::Minus => "`-`".into(),
        Tok::Star => "`*`".into(),
        Tok::Slash => "`/`".into(),
        Tok::Pow => "`**`".into(),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Assign => "`=`".into(),
        Tok::Rel(op) => format!("`{}`", op.symbol()),
        Tok::Amp => "`&`".into(),
        Tok::Pipe => "`|`".into(),
        Tok::Tilde => "`~`".into(),
        Tok::End => "end of input".into(),
    }
}

fn err(message: impl Into<String>, span: Span) -> CoreError {
    CoreError::Parse { message: message.into(), span }
}

fn lex(text: &str) -> Result<Vec<(Tok, Span)>, CoreError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let mut is_float = false;
            if i < b.len() && b[i] == b'.' {
                is_float = true;
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
                let mut j = i + 1;
                if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
                    j += 1;
                }
                if j < b.len() && b[j].is_ascii_digit() {
                    is_float = true;
                    i = j;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let s = &text[start..i];
            if is_float {
                out.push((Tok::Float(s.to_string()), (start, i)));
            } else {
                let n = Integer::from_str_radix(s, 10).map_err(|_| err("malformed integer", (start, i)))?;
                out.push((Tok::Int(n), (start, i)));
            }
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        if ch.is_alphabetic() || ch == '_' {
            let mut j = i;
            for (k, c2) in text[i..].char_indices() {
                if c2.is_alphanumeric() || c2 == '_' {
                    j = i + k + c2.len_utf8();
                } else {
                    break;
                }
            }
            out.push((Tok::Name(text[i..j].to_string()), (i, j)));
            i = j;
            continue;
        }
        // Bytes, not a `str` slice: the next character may be multi-byte.
        let two = &b[i..(i + 2).min(b.len())];
        let (tok, len) = match two {
            b"**" => (Tok::Pow, 2),
            b"==" => (Tok::Rel(RelOp::Eq), 2),
            b"!=" => (Tok::Rel(RelOp::Ne), 2),
            b"<=" => (Tok::Rel(RelOp::Le), 2),
            b">=" => (Tok::Rel(RelOp::Ge), 2),
            _ => match c {
                b'+' => (Tok::Plus, 1),
                b'-' => (Tok::Minus, 1),
                b'*' => (Tok::Star, 1),
                b'/' => (Tok::Slash, 1),
                b'^' => (Tok::Pow, 1),
                b'(' => (Tok::LParen, 1),
                b')' => (Tok::RParen, 1),
                b',' => (Tok::Comma, 1),
                b'=' => (Tok::Assign, 1),
                b'<' => (Tok::Rel(RelOp::Lt), 1),
                b'>' => (Tok::Rel(RelOp::Gt), 1),
                b'&' => (Tok::Amp, 1),
                b'|' => (Tok::Pipe, 1),
                b'~' => (Tok::Tilde, 1),
                _ => {
                    let w = ch.len_utf8();
                    return Err(err(format!("unexpected character `{ch}`"), (i, i + w)));
                }
            },
        };
        out.push((tok, (i, i + len)));
        i += len;
    }
    out.push((Tok::End, (text.len(), text.len())));
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, Span)>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn new(text: &str) -> Result<Parser, CoreError> {
        if text.len() > MAX_INPUT {
            return Err(CoreError::Limit { what: "input length in bytes", limit: MAX_INPUT as u64 });
        }
        Ok(Parser { toks: lex(text)?, pos: 0, depth: 0 })
    }

    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }

    fn peek_is(&self, t: &Tok) -> bool {
        self.peek() == t
    }

    fn span(&self) -> Span {
        self.toks[self.pos].1
    }

    fn bump(&mut self) -> (Tok, Span) {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn expect(&mut self, t: Tok, what: &str) -> Result<Span, CoreError> {
        if *self.peek() == t {
            Ok(self.bump().1)
        } else {
            Err(err(format!("expected {what}, found {}", describe(self.peek())), self.span()))
        }
    }

    fn expect_end(&mut self) -> Result<(), CoreError> {
        match self.peek() {
            Tok::End => Ok(()),
            Tok::RParen => Err(err("unmatched `)`", self.span())),
            Tok::Assign => Err(err("`=` is only allowed once, between the two sides of an equation", self.span())),
            t => Err(err(format!("unexpected {}", describe(t)), self.span())),
        }
    }

    fn enter(&mut self) -> Result<(), CoreError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(CoreError::Limit { what: "nesting depth of the input", limit: MAX_DEPTH as u64 });
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, CoreError> {
        self.enter()?;
        let r = stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || self.or());
        self.depth -= 1;
        r
    }

    fn or(&mut self) -> Result<Expr, CoreError> {
        let mut parts = vec![self.and()?];
        while self.peek_is(&Tok::Pipe) {
            self.bump();
            parts.push(self.and()?);
        }
        if parts.len() == 1 {
            return Ok(parts.pop().unwrap_or_else(Expr::false_));
        }
        Ok(Expr::or_all(parts))
    }

    fn and(&mut self) -> Result<Expr, CoreError> {
        let mut parts = vec![self.not()?];
        while self.peek_is(&Tok::Amp) {
            self.bump();
            parts.push(self.not()?);
        }
        if parts.len() == 1 {
            return Ok(parts.pop().unwrap_or_else(Expr::true_));
        }
        Ok(Expr::and_all(parts))
    }

    fn not(&mut self) -> Result<Expr, CoreError> {
        if self.peek_is(&Tok::Tilde) {
            self.bump();
            self.enter()?;
            let inner = self.not();
            self.depth -= 1;
            return Ok(Expr::not(inner?));
        }
        self.rel()
    }

    fn rel(&mut self) -> Result<Expr, CoreError> {
        let lhs = self.sum()?;
        if let Tok::Rel(op) = *self.peek() {
            self.bump();
            let rhs = self.sum()?;
            if let Tok::Rel(_) = self.peek() {
                return Err(err("chained comparisons are not supported; use `&`", self.span()));
            }
            return Ok(Expr::rel(op, lhs, rhs));
        }
        Ok(lhs)
    }

    fn sum(&mut self) -> Result<Expr, CoreError> {
        let mut terms = vec![self.product()?];
        loop {
            match self.peek() {
                Tok::Plus => {
                    self.bump();
                    terms.push(self.product()?);
                }
                Tok::Minus => {
                    self.bump();
                    let t = self.product()?;
                    terms.push(Expr::neg(t));
                }
                _ => break,
            }
        }
        Ok(if terms.len() == 1 { terms.pop().unwrap_or_else(Expr::zero) } else { Expr::add_all(terms) })
    }

    fn product(&mut self) -> Result<Expr, CoreError> {
        let mut acc = self.unary()?;
        loop {
            match self.peek() {
                Tok::Star => {
                    self.bump();
                    let r = self.unary()?;
                    acc = Expr::mul(acc, r);
                }
                Tok::Slash => {
                    self.bump();
                    let r = self.unary()?;
                    acc = Expr::div(acc, r);
                }
                Tok::Name(_) | Tok::Int(_) | Tok::Float(_) | Tok::LParen => {
                    return Err(err(
                        format!("unexpected {}; multiplication must be written with `*`", describe(self.peek())),
                        self.span(),
                    ));
                }
                _ => return Ok(acc),
            }
        }
    }

    fn unary(&mut self) -> Result<Expr, CoreError> {
        match self.peek() {
            Tok::Minus | Tok::Plus => {
                let neg = self.peek_is(&Tok::Minus);
                self.bump();
                self.enter()?;
                let inner = stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || self.unary());
                self.depth -= 1;
                let inner = inner?;
                Ok(if neg { Expr::neg(inner) } else { inner })
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> Result<Expr, CoreError> {
        let base = self.atom()?;
        if self.peek_is(&Tok::Pow) {
            self.bump();
            self.enter()?;
            let exp = stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || self.unary());
            self.depth -= 1;
            return Ok(Expr::pow(base, exp?));
        }
        Ok(base)
    }

    fn atom(&mut self) -> Result<Expr, CoreError> {
        let (tok, span) = self.bump();
        match tok {
            Tok::Int(n) => Ok(Expr::num(Number::from_integer(n))),
            Tok::Float(s) => parse_float_literal(&s).map(Expr::num).ok_or_else(|| err("malformed number", span)),
            Tok::LParen => {
                let e = self.expr()?;
                if self.peek_is(&Tok::Comma) {
                    return Err(err("tuples are only allowed inside Piecewise", self.span()));
                }
                self.expect(Tok::RParen, "`)`")?;
                Ok(e)
            }
            Tok::Name(name) => {
                if self.peek_is(&Tok::LParen) {
                    self.call(&name, span)
                } else {
                    name_to_expr(&name, span)
                }
            }
            Tok::End => Err(err("unexpected end of input", span)),
            t => Err(err(format!("unexpected {}", describe(&t)), span)),
        }
    }

    /// Parses `( arg, arg, ... )` after a function name.
    fn args(&mut self) -> Result<Vec<(Expr, Span)>, CoreError> {
        self.expect(Tok::LParen, "`(`")?;
        let mut out = Vec::new();
        if self.peek_is(&Tok::RParen) {
            self.bump();
            return Ok(out);
        }
        loop {
            let start = self.span().0;
            let e = self.expr()?;
            let end = self.toks[self.pos.saturating_sub(1)].1.1;
            out.push((e, (start, end)));
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RParen => {
                    self.bump();
                    return Ok(out);
                }
                t => {
                    return Err(err(format!("expected `,` or `)`, found {}", describe(t)), self.span()));
                }
            }
        }
    }

    fn call(&mut self, name: &str, span: Span) -> Result<Expr, CoreError> {
        if name == "Piecewise" {
            return self.piecewise();
        }
        let open = self.span();
        let args = self.args()?;
        let full = (span.0, self.toks[self.pos.saturating_sub(1)].1.1);
        let n = args.len();
        let arity = |lo: usize, hi: usize| -> Result<(), CoreError> {
            if n < lo || n > hi {
                let want = if lo == hi { format!("{lo}") } else { format!("{lo} or {hi}") };
                Err(err(format!("`{name}` takes {want} argument(s), got {n}"), full))
            } else {
                Ok(())
            }
        };
        let a = |i: usize| args[i].0.clone();
        let _ = open;
        match name {
            "sqrt" => {
                arity(1, 1)?;
                Ok(Expr::sqrt(a(0)))
            }
            "cbrt" => {
                arity(1, 1)?;
                Ok(Expr::pow(a(0), Expr::rational(1, 3)))
            }
            "root" => {
                arity(2, 2)?;
                Ok(Expr::pow(a(0), Expr::recip(a(1))))
            }
            "exp" => {
                arity(1, 1)?;
                Ok(Expr::exp(a(0)))
            }
            "log" | "ln" => {
                arity(1, 2)?;
                if n == 2 { Ok(Expr::div(Expr::log(a(0)), Expr::log(a(1)))) } else { Ok(Expr::log(a(0))) }
            }
            "abs" => {
                arity(1, 1)?;
                Ok(Expr::func(Func::Abs, a(0)))
            }
            "Eq" | "Ne" | "Lt" | "Le" | "Gt" | "Ge" => {
                arity(2, 2)?;
                let op = match name {
                    "Eq" => RelOp::Eq,
                    "Ne" => RelOp::Ne,
                    "Lt" => RelOp::Lt,
                    "Le" => RelOp::Le,
                    "Gt" => RelOp::Gt,
                    _ => RelOp::Ge,
                };
                Ok(Expr::rel(op, a(0), a(1)))
            }
            "And" => Ok(Expr::and_all(args.into_iter().map(|x| x.0))),
            "Or" => Ok(Expr::or_all(args.into_iter().map(|x| x.0))),
            "Not" => {
                arity(1, 1)?;
                Ok(Expr::not(a(0)))
            }
            "Rational" => {
                arity(2, 2)?;
                Ok(Expr::div(a(0), a(1)))
            }
            "Integer" | "S" | "Float" | "N" => {
                arity(1, 1)?;
                Ok(a(0))
            }
            "RootOf" | "CRootOf" => {
                arity(2, 3)?;
                let (poly, var, idx) = if n == 3 {
                    let var = a(1)
                        .as_symbol()
                        .ok_or_else(|| err("the second argument of RootOf must be a symbol", args[1].1))?;
                    (a(0), var, &args[2])
                } else {
                    let syms = crate::expr::free_symbols(&a(0));
                    if syms.len() != 1 {
                        return Err(err(
                            "RootOf(poly, k) needs a polynomial in one symbol; write RootOf(poly, x, k)",
                            args[0].1,
                        ));
                    }
                    let var = *syms.iter().next().ok_or_else(|| err("empty polynomial", args[0].1))?;
                    (a(0), var, &args[1])
                };
                let k = idx
                    .0
                    .as_i64()
                    .and_then(|k| u32::try_from(k).ok())
                    .ok_or_else(|| err("the root index must be a non-negative integer", idx.1))?;
                Ok(Expr::root_of(poly, var, k))
            }
            _ => match Func::from_name(name) {
                Some(f) => {
                    let (lo, hi) = f.arity();
                    arity(lo, hi)?;
                    Expr::func_n(f, args.into_iter().map(|x| x.0).collect()).map_err(|e| err(e.to_string(), full))
                }
                None => Err(err(format!("unknown function `{name}`"), span)),
            },
        }
    }

    fn piecewise(&mut self) -> Result<Expr, CoreError> {
        self.expect(Tok::LParen, "`(`")?;
        let mut branches = Vec::new();
        loop {
            self.expect(Tok::LParen, "`(` opening a (value, condition) pair")?;
            let v = self.expr()?;
            self.expect(Tok::Comma, "`,` between value and condition")?;
            let cond_span = self.span();
            let c = self.expr()?;
            if !c.is_condition() {
                return Err(err(
                    "a Piecewise condition must be a relation, `True` or a logical combination",
                    cond_span,
                ));
            }
            self.expect(Tok::RParen, "`)` closing a (value, condition) pair")?;
            branches.push((v, c));
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RParen => {
                    self.bump();
                    break;
                }
                t => {
                    return Err(err(format!("expected `,` or `)`, found {}", describe(t)), self.span()));
                }
            }
        }
        Ok(Expr::piecewise(branches))
    }
}

fn name_to_expr(name: &str, span: Span) -> Result<Expr, CoreError> {
    Ok(match name {
        "pi" => Expr::pi(),
        "E" => Expr::e(),
        "I" => Expr::i(),
        "oo" => Expr::infinity(),
        "zoo" => Expr::complex_infinity(),
        "nan" => Expr::nan(),
        "True" => Expr::true_(),
        "False" => Expr::false_(),
        // (1 + sqrt(5))/2.
        "GoldenRatio" => (Expr::one() + Expr::sqrt(Expr::int(5))) * Expr::half(),
        // The real root of t**3 - t**2 - t - 1: (1 + cbrt(19 - 3*sqrt(33)) + cbrt(19 + 3*sqrt(33)))/3.
        "TribonacciConstant" => {
            let s33 = Expr::sqrt(Expr::int(33));
            let third = Expr::rational(1, 3);
            let c1 = Expr::pow(Expr::int(19) - Expr::int(3) * s33.clone(), third.clone());
            let c2 = Expr::pow(Expr::int(19) + Expr::int(3) * s33, third.clone());
            (Expr::one() + c1 + c2) * third
        }
        "EulerGamma" | "Catalan" | "Infinity" | "NaN" | "ComplexInfinity" => {
            return Err(err(format!("the constant `{name}` is not supported"), span));
        }
        _ => {
            if Func::from_name(name).is_some() || matches!(name, "sqrt" | "exp" | "Piecewise" | "RootOf" | "CRootOf") {
                return Err(err(format!("`{name}` is a function; call it as `{name}(...)`"), span));
            }
            Expr::symbol(name)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{Expect, expect};

    fn check(input: &str, expect: Expect) {
        let out = match parse(input) {
            Ok(e) => e.to_string(),
            Err(CoreError::Parse { message, span }) => {
                format!("error {}..{}: {message}", span.0, span.1)
            }
            Err(e) => format!("error: {e}"),
        };
        expect.assert_eq(&out);
    }

    #[test]
    fn precedence_and_rationals() {
        check("-x**2", expect![["-x**2"]]);
        check("2**-1", expect![["1/2"]]);
        check("x**y**z", expect![["x**(y**z)"]]);
        check("1/3 + 1/6", expect![["1/2"]]);
        check("x^2", expect![["x**2"]]);
        check("0.5*x", expect![["0.5*x"]]);
        check("a - (b - c)", expect![["a - b + c"]]);
    }

    #[test]
    fn functions_and_constants() {
        check("sqrt(8)", expect![["2*sqrt(2)"]]);
        check("exp(log(x))", expect![["x"]]);
        check("log(8, 2)", expect![["log(8)/log(2)"]]);
        check("GoldenRatio", expect!["sqrt(5)/2 + 1/2"]);
        check("Piecewise((x, x < 0), (-x, True))", expect![["Piecewise((x, x < 0), (-x, True))"]]);
        check("Eq(x, 1)", expect![["Eq(x, 1)"]]);
        check("CRootOf(x**5 - x + 1, 0)", expect![["RootOf(x**5 - x + 1, 0)"]]);
    }

    #[test]
    fn errors_have_spans() {
        check("x + ", expect![["error 4..4: unexpected end of input"]]);
        check("foo(x)", expect![["error 0..3: unknown function `foo`"]]);
        check("2x", expect![["error 1..2: unexpected name `x`; multiplication must be written with `*`"]]);
        check("(x + 1", expect![["error 6..6: expected `)`, found end of input"]]);
        check("x $ y", expect![["error 2..3: unexpected character `$`"]]);
        check("sin(x, y)", expect![["error 0..9: `sin` takes 1 argument(s), got 2"]]);
        check("x)", expect![["error 1..2: unmatched `)`"]]);
    }

    #[test]
    fn equations() {
        let e = parse_equation("x**2 + y**2 = 9").unwrap();
        assert_eq!(e.to_string(), "x**2 + y**2 - 9");
        let e = parse_equation("Eq(x, 2)").unwrap();
        assert_eq!(e.to_string(), "x - 2");
        assert!(parse_equation("x < 2").is_err());
        assert_eq!(split_top_level("x + y = 1; f(a, b) = 2").len(), 2);
    }

    #[test]
    fn deep_nesting_is_a_limit_not_a_crash() {
        let deep = "(".repeat(100_000) + "x" + &")".repeat(100_000);
        assert!(matches!(parse(&deep), Err(CoreError::Limit { .. })));
        let ok = "(".repeat(500) + "x" + &")".repeat(500);
        assert_eq!(parse(&ok).unwrap().to_string(), "x");
    }
}
