//! The printer of the text form (see the parent module for the syntax).

use crate::graph::Graph;
use crate::op::{Inst, RootStart};
use crate::types::Elem;
use std::fmt::Write;

/// Prints a graph in the text form; [`crate::parse`] reads it back.
#[must_use]
pub fn print(graph: &Graph) -> String {
    let mut out = String::new();
    for (k, r) in graph.residuals.iter().enumerate() {
        let _ = writeln!(out, "residual @{k} {{");
        body(&mut out, r);
        out.push_str("}\n\n");
    }
    out.push_str("graph {\n");
    body(&mut out, graph);
    out.push_str("}\n");
    out
}

fn body(out: &mut String, g: &Graph) {
    for (i, inst) in g.insts.iter().enumerate() {
        let _ = write!(out, "  %{i}: ");
        match g.types.get(i) {
            Some(t) => {
                let _ = write!(out, "{t}");
            }
            None => out.push('?'),
        }
        let _ = write!(out, " = {}", inst.opcode());
        match inst {
            Inst::Input { index } => {
                let name = g.inputs.get(*index as usize).map_or("", |d| d.name.as_str());
                let _ = write!(out, " {index} {}", quote(name));
            }
            Inst::Const { elem, bits } => {
                let x = f64::from_bits(*bits);
                match elem {
                    #[allow(clippy::cast_possible_truncation)]
                    Elem::F32 => {
                        let _ = write!(out, " {:?}", x as f32);
                    }
                    _ => {
                        let _ = write!(out, " {x:?}");
                    }
                }
            }
            Inst::ConstBool(b) => {
                let _ = write!(out, " {b}");
            }
            Inst::Powi(a, k) => {
                let _ = write!(out, " {a}, {k}");
            }
            Inst::Root(r) => {
                let params: Vec<String> = r.params.iter().map(ToString::to_string).collect();
                let _ = write!(out, " {} ({})", r.residual, params.join(", "));
                match r.start {
                    RootStart::Guess(g) => {
                        let _ = write!(out, " guess {g}");
                    }
                    RootStart::Bracket(lo, hi) => {
                        let _ = write!(out, " bracket {lo}, {hi}");
                    }
                    RootStart::GuessInBracket { guess, lo, hi } => {
                        let _ = write!(out, " guess {guess} bracket {lo}, {hi}");
                    }
                }
                let _ = write!(out, " tol {:?} max_iter {}", r.tol(), r.max_iter);
            }
            _ => {
                let ops: Vec<String> = inst.operands().iter().map(ToString::to_string).collect();
                let _ = write!(out, " {}", ops.join(", "));
            }
        }
        out.push('\n');
    }
    for o in &g.outputs {
        let _ = writeln!(out, "  output {} = {}", quote(&o.name), o.value);
    }
}

/// A string literal: `"` ... `"` with `\"`, `\\` and `\n` escaped.
fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}
