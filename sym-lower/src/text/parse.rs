//! The parser of the text form (see the parent module for the syntax).

use crate::error::{ParseError, ParseErrorKind};
use crate::graph::{Graph, InputDecl, Output};
use crate::op::{BinOp, BoolOp, CmpOp, Inst, Root, RootStart, UnOp};
use crate::types::{Elem, ResidualId, Type, Value};

/// Parses the text form into a graph (not verified: see [`crate::verify::verify`]).
///
/// # Errors
/// A [`ParseError`] with the line and column of the first token that does not fit the grammar.
pub fn parse(text: &str) -> Result<Graph, ParseError> {
    let tokens = lex(text)?;
    let mut p = Parser { tokens, pos: 0 };
    let mut residuals = Vec::new();
    loop {
        let t = p.peek();
        match &t.tok {
            Tok::Ident(w) if w == "residual" => {
                p.bump();
                let (n, at) = p.residual_ref()?;
                if n != residuals.len() {
                    return Err(at.error(ParseErrorKind::ResidualNumber { expected: residuals.len(), found: n }));
                }
                residuals.push(p.block()?);
            }
            Tok::Ident(w) if w == "graph" => {
                p.bump();
                let mut g = p.block()?;
                g.residuals = residuals;
                let end = p.peek();
                if end.tok != Tok::Eof {
                    return Err(end.expected("end of input"));
                }
                return Ok(g);
            }
            Tok::Eof => return Err(t.error(ParseErrorKind::MissingGraph)),
            _ => return Err(t.expected("`residual` or `graph`")),
        }
    }
}

#[derive(Clone, PartialEq, Debug)]
enum Tok {
    Ident(String),
    Number(String),
    Str(String),
    ValueRef(String),
    ResidualRef(String),
    Punct(char),
    Eof,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Self::Ident(s) | Self::Number(s) => format!("`{s}`"),
            Self::Str(s) => format!("string {s:?}"),
            Self::ValueRef(s) => format!("`%{s}`"),
            Self::ResidualRef(s) => format!("`@{s}`"),
            Self::Punct(c) => format!("`{c}`"),
            Self::Eof => "end of input".to_owned(),
        }
    }
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    line: usize,
    column: usize,
}

impl Token {
    fn error(&self, kind: ParseErrorKind) -> ParseError {
        ParseError { line: self.line, column: self.column, kind }
    }

    fn expected(&self, expected: &'static str) -> ParseError {
        self.error(ParseErrorKind::Expected { expected, found: self.tok.describe() })
    }
}

fn lex(text: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut line, mut col) = (0, 1, 1);
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    while i < chars.len() {
        let c = chars[i];
        let (l0, c0) = (line, col);
        let start = i;
        let mut advance = |i: &mut usize, n: usize| {
            for k in 0..n {
                if chars[*i + k] == '\n' {
                    line += 1;
                    col = 1;
                } else {
                    col += 1;
                }
            }
            *i += n;
        };
        if c.is_whitespace() {
            advance(&mut i, 1);
            continue;
        }
        if c == ';' {
            let mut n = 0;
            while i + n < chars.len() && chars[i + n] != '\n' {
                n += 1;
            }
            advance(&mut i, n);
            continue;
        }
        let tok = if c == '"' {
            let mut s = String::new();
            let mut n = 1;
            loop {
                match chars.get(i + n) {
                    None | Some('\n') => {
                        return Err(ParseError { line: l0, column: c0, kind: ParseErrorKind::UnterminatedString });
                    }
                    Some('"') => {
                        n += 1;
                        break;
                    }
                    Some('\\') => {
                        match chars.get(i + n + 1) {
                            Some('n') => s.push('\n'),
                            Some(&e @ ('"' | '\\')) => s.push(e),
                            _ => {
                                return Err(ParseError {
                                    line: l0,
                                    column: c0 + n,
                                    kind: ParseErrorKind::UnexpectedChar('\\'),
                                });
                            }
                        }
                        n += 2;
                    }
                    Some(&ch) => {
                        s.push(ch);
                        n += 1;
                    }
                }
            }
            advance(&mut i, n);
            Tok::Str(s)
        } else if c == '%' || c == '@' {
            let mut n = 1;
            while i + n < chars.len() && chars[i + n].is_ascii_digit() {
                n += 1;
            }
            let digits: String = chars[start + 1..start + n].iter().collect();
            advance(&mut i, n);
            if c == '%' { Tok::ValueRef(digits) } else { Tok::ResidualRef(digits) }
        } else if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' {
            // A number: sign, then digits, dots, letters (for exponents, `inf`, `NaN`), and a sign after `e`.
            let mut n = 1;
            while i + n < chars.len() {
                let ch = chars[i + n];
                let after_e = matches!(chars[i + n - 1], 'e' | 'E') && (ch == '-' || ch == '+');
                if word(ch) || after_e {
                    n += 1;
                } else {
                    break;
                }
            }
            let s: String = chars[start..start + n].iter().collect();
            advance(&mut i, n);
            Tok::Number(s)
        } else if c.is_ascii_alphabetic() || c == '_' {
            let mut n = 1;
            while i + n < chars.len() && (chars[i + n].is_ascii_alphanumeric() || chars[i + n] == '_') {
                n += 1;
            }
            let s: String = chars[start..start + n].iter().collect();
            advance(&mut i, n);
            Tok::Ident(s)
        } else if "{}()[],=:".contains(c) {
            advance(&mut i, 1);
            Tok::Punct(c)
        } else {
            return Err(ParseError { line: l0, column: c0, kind: ParseErrorKind::UnexpectedChar(c) });
        };
        tokens.push(Token { tok, line: l0, column: c0 });
    }
    tokens.push(Token { tok: Tok::Eof, line, column: col });
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Token {
        self.tokens[self.pos.min(self.tokens.len() - 1)].clone()
    }

    fn bump(&mut self) -> Token {
        let t = self.peek();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn punct(&mut self, c: char, expected: &'static str) -> Result<(), ParseError> {
        let t = self.bump();
        if t.tok == Tok::Punct(c) { Ok(()) } else { Err(t.expected(expected)) }
    }

    fn eat_punct(&mut self, c: char) -> bool {
        if self.peek().tok == Tok::Punct(c) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn keyword(&mut self, w: &str, expected: &'static str) -> Result<(), ParseError> {
        let t = self.bump();
        match &t.tok {
            Tok::Ident(s) if s == w => Ok(()),
            _ => Err(t.expected(expected)),
        }
    }

    fn eat_keyword(&mut self, w: &str) -> bool {
        if matches!(&self.peek().tok, Tok::Ident(s) if s == w) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn index(t: &Token, digits: &str) -> Result<usize, ParseError> {
        let n: u32 = digits.parse().map_err(|_| t.error(ParseErrorKind::BadNumber(digits.to_owned())))?;
        Ok(n as usize)
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        let t = self.bump();
        match &t.tok {
            Tok::ValueRef(d) => Ok(Value::new(u32::try_from(Self::index(&t, d)?).unwrap_or(u32::MAX))),
            _ => Err(t.expected("a value `%N`")),
        }
    }

    fn residual_ref(&mut self) -> Result<(usize, Token), ParseError> {
        let t = self.bump();
        match &t.tok {
            Tok::ResidualRef(d) => Ok((Self::index(&t, d)?, t.clone())),
            _ => Err(t.expected("a residual `@N`")),
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let t = self.bump();
        match t.tok {
            Tok::Str(s) => Ok(s),
            _ => Err(t.expected("a string")),
        }
    }

    fn number_text(&mut self) -> Result<(String, Token), ParseError> {
        let t = self.bump();
        match &t.tok {
            Tok::Number(s) | Tok::Ident(s) => Ok((s.clone(), t.clone())),
            _ => Err(t.expected("a number")),
        }
    }

    fn integer<I: std::str::FromStr>(&mut self) -> Result<I, ParseError> {
        let (s, t) = self.number_text()?;
        s.parse().map_err(|_| t.error(ParseErrorKind::BadNumber(s)))
    }

    fn float(&mut self) -> Result<f64, ParseError> {
        let (s, t) = self.number_text()?;
        s.parse().map_err(|_| t.error(ParseErrorKind::BadNumber(s)))
    }

    fn ty(&mut self) -> Result<Type, ParseError> {
        let t = self.bump();
        let Tok::Ident(name) = &t.tok else {
            return Err(t.expected("a type"));
        };
        let elem = Elem::from_name(name).ok_or_else(|| t.error(ParseErrorKind::UnknownType(name.clone())))?;
        if self.eat_punct('[') {
            self.keyword("n", "`n`")?;
            self.punct(']', "`]`")?;
            Ok(Type::batch(elem))
        } else {
            Ok(Type::scalar(elem))
        }
    }

    fn block(&mut self) -> Result<Graph, ParseError> {
        self.punct('{', "`{`")?;
        let mut g = Graph::default();
        loop {
            let t = self.peek();
            match &t.tok {
                Tok::Punct('}') => {
                    self.bump();
                    return Ok(g);
                }
                Tok::Ident(w) if w == "output" => {
                    self.bump();
                    let name = self.string()?;
                    self.punct('=', "`=`")?;
                    let value = self.value()?;
                    g.outputs.push(Output { name, value });
                }
                Tok::ValueRef(d) => {
                    self.bump();
                    let n = Self::index(&t, d)?;
                    if n != g.insts.len() {
                        return Err(t.error(ParseErrorKind::ValueNumber { expected: g.insts.len(), found: n }));
                    }
                    self.punct(':', "`:`")?;
                    let ty = self.ty()?;
                    self.punct('=', "`=`")?;
                    let inst = self.inst(ty, &mut g)?;
                    g.insts.push(inst);
                    g.types.push(ty);
                }
                _ => return Err(t.expected("`%N`, `output` or `}`")),
            }
        }
    }

    fn inst(&mut self, ty: Type, g: &mut Graph) -> Result<Inst, ParseError> {
        let t = self.bump();
        let Tok::Ident(op) = &t.tok else {
            return Err(t.expected("an op"));
        };
        let inst = match op.as_str() {
            "input" => {
                let at = t.clone();
                let index: u32 = self.integer()?;
                let name = self.string()?;
                let k = index as usize;
                if k > g.insts.len() {
                    return Err(at.error(ParseErrorKind::InputIndex { index, value: g.insts.len() }));
                }
                if k >= g.inputs.len() {
                    let missing = g.inputs.len()..=k;
                    g.inputs.extend(missing.map(|j| InputDecl { name: format!("<missing {j}>"), ty }));
                    g.inputs[k] = InputDecl { name, ty };
                } else if g.inputs[k].name.starts_with("<missing ") {
                    g.inputs[k] = InputDecl { name, ty };
                }
                Inst::Input { index }
            }
            "const" => {
                let (s, tok) = self.number_text()?;
                match ty.elem {
                    Elem::Bool => match s.as_str() {
                        "true" => Inst::ConstBool(true),
                        "false" => Inst::ConstBool(false),
                        _ => return Err(tok.error(ParseErrorKind::BadNumber(s))),
                    },
                    Elem::F32 => {
                        let x: f32 = s.parse().map_err(|_| tok.error(ParseErrorKind::BadNumber(s.clone())))?;
                        Inst::constant(Elem::F32, f64::from(x))
                    }
                    elem => {
                        let x: f64 = s.parse().map_err(|_| tok.error(ParseErrorKind::BadNumber(s.clone())))?;
                        Inst::constant(elem, x)
                    }
                }
            }
            "powi" => {
                let a = self.value()?;
                self.punct(',', "`,`")?;
                Inst::Powi(a, self.integer()?)
            }
            "not" => Inst::Not(self.value()?),
            "and" | "or" => {
                let a = self.value()?;
                self.punct(',', "`,`")?;
                let b = self.value()?;
                Inst::Bool(if op == "and" { BoolOp::And } else { BoolOp::Or }, a, b)
            }
            "select" => {
                let c = self.value()?;
                self.punct(',', "`,`")?;
                let a = self.value()?;
                self.punct(',', "`,`")?;
                Inst::Select(c, a, self.value()?)
            }
            "cast" => Inst::Cast(self.value()?, ty.elem),
            "sum" => Inst::Sum(self.value()?),
            "root_status" => Inst::RootStatus(self.value()?),
            "converged" => Inst::Converged(self.value()?),
            "root" => self.root()?,
            name => {
                if let Some(u) = UnOp::from_name(name) {
                    Inst::Unary(u, self.value()?)
                } else if let Some(b) = BinOp::from_name(name) {
                    let a = self.value()?;
                    self.punct(',', "`,`")?;
                    Inst::Binary(b, a, self.value()?)
                } else if let Some(c) = CmpOp::from_name(name) {
                    let a = self.value()?;
                    self.punct(',', "`,`")?;
                    Inst::Cmp(c, a, self.value()?)
                } else {
                    return Err(t.error(ParseErrorKind::UnknownOp(name.to_owned())));
                }
            }
        };
        Ok(inst)
    }

    fn root(&mut self) -> Result<Inst, ParseError> {
        let (n, _) = self.residual_ref()?;
        let residual = ResidualId::new(u32::try_from(n).unwrap_or(u32::MAX));
        self.punct('(', "`(`")?;
        let mut params = Vec::new();
        if !self.eat_punct(')') {
            loop {
                params.push(self.value()?);
                if self.eat_punct(')') {
                    break;
                }
                self.punct(',', "`,` or `)`")?;
            }
        }
        let guess = if self.eat_keyword("guess") { Some(self.value()?) } else { None };
        let bracket = if self.eat_keyword("bracket") {
            let lo = self.value()?;
            self.punct(',', "`,`")?;
            Some((lo, self.value()?))
        } else {
            None
        };
        let start = match (guess, bracket) {
            (Some(g), None) => RootStart::Guess(g),
            (None, Some((lo, hi))) => RootStart::Bracket(lo, hi),
            (Some(guess), Some((lo, hi))) => RootStart::GuessInBracket { guess, lo, hi },
            (None, None) => return Err(self.peek().expected("`guess` or `bracket`")),
        };
        self.keyword("tol", "`tol`")?;
        let tol = self.float()?;
        self.keyword("max_iter", "`max_iter`")?;
        let max_iter = self.integer()?;
        Ok(Inst::Root(Box::new(Root { residual, params, start, tol_bits: tol.to_bits(), max_iter })))
    }
}
