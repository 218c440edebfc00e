//! A small parser from text to [`MPoly`], for tests, examples and quick construction.
//!
//! Grammar (whitespace ignored; `**` is accepted for `^`):
//!
//! ```text
//! sum     = product (("+" | "-") product)*
//! product = unary (("*" | "/") unary)*        // "/" only by a constant that divides exactly
//! unary   = ("-" | "+") unary | power
//! power   = atom ("^" integer)?
//! atom    = integer | name | "(" sum ")"
//! ```
//!
//! Names are looked up in the given list (`x_i` is `names[i]`). Powers obey [`Limits::default`].

use crate::poly::monomial::MonomialOrder;
use crate::poly::mpoly::MPoly;
use crate::poly::ring::Ring;
use crate::poly::{Limits, PolyError};
use rug::Integer;

/// Parses `text` as a polynomial in the variables `names` over `ring`.
pub fn parse_mpoly<R: Ring, O: MonomialOrder>(text: &str, names: &[&str], ring: R) -> Result<MPoly<R, O>, PolyError> {
    let mut p = Parser { s: text.as_bytes(), pos: 0, names, ring };
    let r = p.sum()?;
    p.skip_ws();
    if p.pos != p.s.len() {
        return Err(p.err("unexpected character"));
    }
    Ok(r)
}

struct Parser<'a, R: Ring> {
    s: &'a [u8],
    pos: usize,
    names: &'a [&'a str],
    ring: R,
}

impl<R: Ring> Parser<'_, R> {
    fn err(&self, what: &'static str) -> PolyError {
        PolyError::Parse { pos: self.pos, what }
    }

    fn skip_ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.pos).copied()
    }

    fn sum<O: MonomialOrder>(&mut self) -> Result<MPoly<R, O>, PolyError> {
        let mut acc = self.product()?;
        while let Some(c @ (b'+' | b'-')) = self.peek() {
            self.pos += 1;
            let rhs = self.product()?;
            acc = if c == b'+' { acc.add(&rhs) } else { acc.sub(&rhs) };
        }
        Ok(acc)
    }

    fn product<O: MonomialOrder>(&mut self) -> Result<MPoly<R, O>, PolyError> {
        let mut acc = self.unary()?;
        loop {
            match self.peek() {
                Some(b'*') if self.s.get(self.pos + 1) != Some(&b'*') => {
                    self.pos += 1;
                    let rhs = self.unary()?;
                    acc = acc.try_mul(&rhs, &Limits::default())?;
                }
                Some(b'/') => {
                    self.pos += 1;
                    let at = self.pos;
                    let rhs: MPoly<R, O> = self.unary()?;
                    if !rhs.is_constant() || rhs.is_zero() {
                        return Err(PolyError::Parse { pos: at, what: "division by a non-constant or zero" });
                    }
                    acc = acc
                        .div_scalar(&rhs.coeffs()[0])
                        .ok_or(PolyError::Parse { pos: at, what: "division not exact in this ring" })?;
                }
                _ => return Ok(acc),
            }
        }
    }

    fn unary<O: MonomialOrder>(&mut self) -> Result<MPoly<R, O>, PolyError> {
        match self.peek() {
            Some(b'-') => {
                self.pos += 1;
                Ok(self.unary()?.neg())
            }
            Some(b'+') => {
                self.pos += 1;
                self.unary()
            }
            _ => self.power(),
        }
    }

    fn power<O: MonomialOrder>(&mut self) -> Result<MPoly<R, O>, PolyError> {
        let base = self.atom()?;
        let caret = match self.peek() {
            Some(b'^') => 1,
            Some(b'*') if self.s.get(self.pos + 1) == Some(&b'*') => 2,
            _ => 0,
        };
        if caret == 0 {
            return Ok(base);
        }
        self.pos += caret;
        self.skip_ws();
        let start = self.pos;
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_digit() {
            self.pos += 1;
        }
        let digits = std::str::from_utf8(&self.s[start..self.pos]).map_err(|_| self.err("bad exponent"))?;
        let k: u64 = digits.parse().map_err(|_| self.err("expected a non-negative integer exponent"))?;
        base.pow(k, &Limits::default())
    }

    fn atom<O: MonomialOrder>(&mut self) -> Result<MPoly<R, O>, PolyError> {
        let n = self.names.len();
        match self.peek() {
            Some(b'(') => {
                self.pos += 1;
                let r = self.sum()?;
                if self.peek() != Some(b')') {
                    return Err(self.err("expected ')'"));
                }
                self.pos += 1;
                Ok(r)
            }
            Some(c) if c.is_ascii_digit() => {
                let start = self.pos;
                while self.pos < self.s.len() && self.s[self.pos].is_ascii_digit() {
                    self.pos += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.pos]).map_err(|_| self.err("bad number"))?;
                let v = Integer::from_str_radix(text, 10).map_err(|_| self.err("bad number"))?;
                Ok(MPoly::constant(self.ring.clone(), n, self.ring.from_integer(&v)))
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let start = self.pos;
                while self.pos < self.s.len() && (self.s[self.pos].is_ascii_alphanumeric() || self.s[self.pos] == b'_')
                {
                    self.pos += 1;
                }
                let name = std::str::from_utf8(&self.s[start..self.pos]).map_err(|_| self.err("bad name"))?;
                match self.names.iter().position(|x| *x == name) {
                    Some(v) => Ok(MPoly::var(self.ring.clone(), n, v)),
                    None => Err(PolyError::Parse { pos: start, what: "unknown variable name" }),
                }
            }
            _ => Err(self.err("expected a number, a name or '('")),
        }
    }
}
