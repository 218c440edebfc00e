//! Parsing of `--at` points and `--digits`, and formatting of numeric values for output.

use crate::error::CliError;
use rug::{Integer, Rational};
use std::collections::BTreeMap;
use sym_core::{Expr, Symbol};

/// Parses an exact decimal or rational literal (`3/2`, `-4`, `0.125`, `1e-3`) into a rational.
pub fn parse_exact_value(text: &str) -> Option<Rational> {
    let t = text.trim();
    if let Some((p, q)) = t.split_once('/') {
        let p = parse_exact_value(p)?;
        let q = parse_exact_value(q)?;
        if q == 0 {
            return None;
        }
        return Some(p / q);
    }
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i32>().ok()?),
        None => (t, 0),
    };
    let (neg, m) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
    };
    let (int_part, frac_part) = m.split_once('.').unwrap_or((m, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part.chars().chain(frac_part.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int_part}{frac_part}");
    let n = Integer::from_str_radix(if digits.is_empty() { "0" } else { &digits }, 10).ok()?;
    let scale = exp - frac_part.len() as i32;
    if scale.unsigned_abs() > 100_000 {
        return None;
    }
    let mut r = Rational::from(n);
    if scale >= 0 {
        r *= Integer::from(Integer::u_pow_u(10, scale as u32));
    } else {
        r /= Integer::from(Integer::u_pow_u(10, (-scale) as u32));
    }
    Some(if neg { -r } else { r })
}

/// Parses `NAME=VALUE,NAME=VALUE` into exact values.
pub fn parse_at(text: &str) -> Result<BTreeMap<Symbol, Expr>, CliError> {
    let mut out = BTreeMap::new();
    for part in text.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((name, value)) = part.split_once('=') else {
            return Err(CliError::new("usage", format!("malformed --at entry `{part}`: expected NAME=VALUE")));
        };
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(CliError::new("usage", format!("malformed --at name `{name}`")));
        }
        let v = parse_exact_value(value).ok_or_else(|| {
            CliError::new(
                "usage",
                format!("malformed --at value `{value}` for `{name}`: expected an integer, p/q or a decimal"),
            )
        })?;
        out.insert(Symbol::new(name), Expr::num(sym_core::Number::from_rational(v)));
    }
    Ok(out)
}

/// Parses `--digits` (1 to 100000).
pub fn parse_digits(text: Option<&str>) -> Result<u32, CliError> {
    match text {
        None => Ok(17),
        Some(t) => match t.trim().parse::<u32>() {
            Ok(d) if (1..=100_000).contains(&d) => Ok(d),
            _ => Err(CliError::new("usage", format!("--digits must be an integer from 1 to 100000, got `{t}`"))),
        },
    }
}

/// Formats a complex value as `re`, `im*I` or `re + im*I` with `digits` significant digits,
/// dropping a part that is zero to the working precision relative to the other.
pub fn format_complex(z: &rug::Complex, digits: u32) -> String {
    let (re, im) = (z.real(), z.imag());
    let d = digits as usize;
    let negligible = |a: &rug::Float, b: &rug::Float| {
        a.is_zero() || (!b.is_zero() && (a.clone().abs() < (b.clone().abs() >> (digits as f64 * 3.33 + 10.0) as u32)))
    };
    let re_s = sym_core::print::format_decimal(re, d);
    if negligible(im, re) {
        return re_s;
    }
    let im_abs = sym_core::print::format_decimal(&im.clone().abs(), d);
    if negligible(re, im) {
        return if im.is_sign_negative() { format!("-{im_abs}*I") } else { format!("{im_abs}*I") };
    }
    let sign = if im.is_sign_negative() { "-" } else { "+" };
    format!("{re_s} {sign} {im_abs}*I")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_values() {
        assert_eq!(parse_exact_value("3/2"), Some(Rational::from((3, 2))));
        assert_eq!(parse_exact_value("-0.125"), Some(Rational::from((-1, 8))));
        assert_eq!(parse_exact_value("1e-3"), Some(Rational::from((1, 1000))));
        assert_eq!(parse_exact_value("1/0"), None);
        assert_eq!(parse_exact_value("abc"), None);
    }
}
