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
use sym_core::{parse, parse_equation};

fuzz_target!(|data: &[u8]| {
    common::record(data);
    let Ok(text) = std::str::from_utf8(data) else { return };
    check(text, parse(text));
    check(text, parse_equation(text));
});

fn check(text: &str, parsed: Result<sym_core::Expr, sym_core::CoreError>) {
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
                // cannot name every p-bit value; but what was read back prints and reads back
                // unchanged (reading is a projection onto the printable floats).
                let again = back.to_string();
                let back2 = parse(&again).unwrap_or_else(|err| panic!("{again:?} fails to parse: {err}"));
                assert_eq!(back2, back, "{text:?}: printed as {printed:?}, then as {again:?}");
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
