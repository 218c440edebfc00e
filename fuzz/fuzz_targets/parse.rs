//! Fuzz target: the expression parser and printers.
//!
//! Any text either fails to parse with an error whose span lies inside the text, or parses to an
//! expression whose SymPy-syntax print parses back to the same expression (the round-trip law of
//! `sym-core/tests/laws.rs`; where a float is printed, after one round trip)
//! and whose LaTeX print does not panic. Equations go through the same.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;
use rug::Complex;
use sym_core::evalf::{ComplexEnv, eval_complex};
use sym_core::{Expr, parse, parse_equation};

fuzz_target!(|data: &[u8]| {
    common::record(data);
    let Ok(text) = std::str::from_utf8(data) else { return };
    check(text, parse(text));
    check(text, parse_equation(text));
});

fn check(text: &str, parsed: Result<Expr, sym_core::CoreError>) {
    match parsed {
        Ok(e) => {
            let printed = e.to_string();
            let back = match parse(&printed) {
                Ok(back) => back,
                // The reader's resource limits (1 MiB of text) hold for printed text too: a power
                // evaluated exactly can print longer than the input it came from.
                Err(sym_core::CoreError::Limit { .. }) => return,
                Err(err) => panic!("{text:?} printed as {printed:?} fails to parse: {err}"),
            };
            if has_float_literal(&printed) {
                // A float computed at p bits prints with the digits that read back at p bits, which
                // cannot name every p-bit value. And float arithmetic is not associative: a number
                // times a sum with float coefficients distributes only when the product has no other
                // factor (`7*(5.0*r - 5.0)/c` reads back as `(35.0*r - 35.0)/c`, as in SymPy), so
                // float expressions need not reach a structural fixed point. The law: the text reads
                // back, then prints and reads back to the same value (almost always to the same expression).
                let again = back.to_string();
                let back2 = parse(&again).unwrap_or_else(|err| panic!("{again:?} fails to parse: {err}"));
                assert!(
                    back2 == back || same_value(&back2, &back),
                    "{text:?}: printed as {printed:?}, then as {again:?}"
                );
            } else {
                assert_eq!(back, e, "{text:?} printed as {printed:?} parses to {back}");
            }
            let _ = e.to_latex();
        }
        Err(err) => {
            // The message renders, and a span never points past the end of the text.
            let _ = err.to_string();
            if let sym_core::CoreError::Parse { span: (start, end), .. } = err {
                assert!(start <= end && end <= text.len(), "{text:?}: span {start}..{end} out of range");
            }
        }
    }
}

/// Whether printed text holds a float literal (a `.`, or an exponent after a digit).
fn has_float_literal(printed: &str) -> bool {
    let b = printed.as_bytes();
    b.contains(&b'.') || b.windows(2).any(|w| w[0].is_ascii_digit() && (w[1] == b'e' || w[1] == b'E'))
}

/// Whether `a` and `b` have the same value (relative 1e-9) at a point giving every free symbol its
/// own complex value, or both fail to evaluate there.
fn same_value(a: &Expr, b: &Expr) -> bool {
    let mut env = ComplexEnv::new();
    let symbols = sym_core::expr::free_symbols(a).into_iter().chain(sym_core::expr::free_symbols(b));
    for (k, s) in symbols.enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let t = k as f64;
        env.insert(s, Complex::with_val(128, (0.3 + 0.17 * t, 0.1 + 0.05 * t)));
    }
    match (eval_complex(a, &env, 128), eval_complex(b, &env, 128)) {
        (Ok(x), Ok(y)) => {
            let d = Complex::with_val(128, &x - &y).abs().real().to_f64();
            let scale = x.abs().real().to_f64().max(y.abs().real().to_f64()).max(1.0);
            d <= 1e-9 * scale || (d.is_nan() && scale.is_nan())
        }
        (Err(_), Err(_)) => true,
        _ => false,
    }
}
