//! IR file tests (Cranelift filetest style): each `tests/filetests/*.ir` file holds a graph in the text form,
//! a command, optional inputs, and the expected output after a `; ---- expect ----` line.
//!
//! Header lines (comments, so the parser skips them):
//! - `; test: print` prints the parsed graph (and checks that the printed text parses back to the same graph);
//! - `; test: parse` prints the parse error, or `ok`;
//! - `; test: verify` prints the verifier's error, or `ok`;
//! - `; test: pass NAME` runs a pass (`fold`, `cse`, `dce`, `safe-rewrites`, `optimize`) and prints the result;
//! - `; test: plan` prints the executor's compiled plan ([`sym_lower::Executor::plan_listing`]);
//! - `; test: run` evaluates the graph with the reference interpreter and the executor on the `; input NAME = ...`
//!   lines (a number for a scalar, `[x, y, ...]` for a batch), checks that they agree, and prints the outputs;
//! - `; test: lower` lowers a sym-core expression (`; expr: TEXT`) or the real solutions of an equation
//!   (`; solve: EQ` and `; for: Y`) over the inputs `; inputs: A, B, ...`, with `; options:` among `no-masks`,
//!   `no-stable`, `no-optimize`, `f32`, prints the graph, then runs it like `run` (when input lines are given)
//!   and prints the outputs. Such a file has no graph of its own.
//!
//! Run with `UPDATE_EXPECT=1` to rewrite the expected sections from the actual output.

use ndarray::{ArrayD, IxDyn};
use std::fmt::Write;
use std::path::Path;
use sym_lower::passes::Pass;
use sym_lower::{Elem, ExecOptions, Executor, Shape, Tensor, TensorRef, interpret, parse, print, verify::verify};

const MARKER: &str = "; ---- expect ----";

#[test]
fn filetests() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/filetests");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("filetests directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ir"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "expected the filetests to be present, found {}", files.len());
    let bless = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable");
        let (body, expected) = match text.split_once(MARKER) {
            Some((b, e)) => (b.trim_end().to_owned(), e.to_owned()),
            None => (text.trim_end().to_owned(), String::new()),
        };
        let actual = run_file(&body);
        let actual_section: String =
            actual.lines().map(|l| if l.is_empty() { ";\n".to_owned() } else { format!("; {l}\n") }).collect();
        let expected_section = expected.trim_start_matches('\n');
        if actual_section != expected_section {
            if bless {
                let mut new = body.clone();
                write!(new, "\n\n{MARKER}\n{actual_section}").expect("string");
                std::fs::write(path, new).expect("writable");
            } else {
                failures
                    .push(format!("{}:\n--- expected\n{expected_section}--- actual\n{actual_section}", path.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} filetests failed (bless with UPDATE_EXPECT=1):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn header<'a>(body: &'a str, key: &str) -> Vec<&'a str> {
    body.lines().filter_map(|l| l.trim().strip_prefix("; ").and_then(|r| r.strip_prefix(key))).map(str::trim).collect()
}

fn run_file(body: &str) -> String {
    let command = header(body, "test:").first().copied().unwrap_or("").to_owned();
    if command == "lower" {
        return lower_file(body);
    }
    let parsed = parse(body);
    if command == "parse" {
        return match parsed {
            Ok(_) => "ok".to_owned(),
            Err(e) => format!("error: {e}"),
        };
    }
    let graph = match parsed {
        Ok(g) => g,
        Err(e) => return format!("parse error: {e}"),
    };
    match command.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["print"] => {
            let text = print(&graph);
            let back = parse(&text).expect("printed text parses");
            assert_eq!(back, graph, "print/parse round trip");
            text
        }
        ["verify"] => match verify(&graph) {
            Ok(()) => "ok".to_owned(),
            Err(e) => format!("error: {e}"),
        },
        ["pass", name] => match Pass::from_name(name).and_then(|p| p.run(&graph)) {
            Ok(g) => print(&g),
            Err(e) => format!("error: {e}"),
        },
        ["run"] => run(&graph, body),
        // The slice-loop plan, the same on every machine (whether machine code is made depends on the CPU).
        ["plan"] => match Executor::with_options(&graph, ExecOptions { jit: false, ..ExecOptions::default() }) {
            Ok(x) => x.plan_listing(),
            Err(e) => format!("error: {e}"),
        },
        other => panic!("unknown filetest command {other:?}"),
    }
}

fn lower_file(body: &str) -> String {
    use sym_lower::lower::{LowerOptions, lower_expr, lower_solved};
    let inputs: Vec<&str> = header(body, "inputs:")
        .first()
        .map(|l| l.split(',').map(str::trim).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let options: Vec<&str> =
        header(body, "options:").first().map(|l| l.split_whitespace().collect()).unwrap_or_default();
    let mut opts = if options.contains(&"f32") { LowerOptions::f32() } else { LowerOptions::default() };
    opts.masks = !options.contains(&"no-masks");
    opts.stable = !options.contains(&"no-stable");
    opts.optimize = !options.contains(&"no-optimize");
    let lowered = if let Some(text) = header(body, "expr:").first() {
        lower_expr(&sym_core::parse(text).expect("the expression parses"), &inputs, &opts)
    } else {
        let eq = sym_core::parse_equation(header(body, "solve:").first().expect("`; expr:` or `; solve:`"))
            .expect("the equation parses");
        let y = sym_core::Symbol::new(header(body, "for:").first().expect("`; for: Y`"));
        let sopts = sym_solve::SolveOptions { domain: sym_solve::Domain::Real, ..Default::default() };
        let set = sym_solve::solve_one(&eq, y, &sopts).expect("the equation solves");
        lower_solved(&eq, y, &set, &inputs, &opts)
    };
    let graph = match lowered {
        Ok(g) => g,
        Err(e) => return format!("error: {e}"),
    };
    let mut out = print(&graph);
    if !header(body, "input").is_empty() {
        out.push('\n');
        out.push_str(&run(&graph, body));
    }
    out
}

fn run(graph: &sym_lower::Graph, body: &str) -> String {
    let mut tensors = Vec::new();
    for decl in &graph.inputs {
        let line = header(body, "input")
            .into_iter()
            .find_map(|l| l.strip_prefix(decl.name.as_str()).and_then(|r| r.trim().strip_prefix('=')))
            .unwrap_or_else(|| panic!("no `; input {} = ...` line", decl.name))
            .trim();
        let items: Vec<&str> = line
            .trim_start_matches('[')
            .trim_end_matches(']')
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let dim = match decl.ty.shape {
            Shape::Scalar => IxDyn(&[]),
            Shape::Batch => IxDyn(&[items.len()]),
        };
        let t = match decl.ty.elem {
            Elem::F64 => Tensor::F64(
                ArrayD::from_shape_vec(dim, items.iter().map(|s| s.parse().expect("f64")).collect()).expect("shape"),
            ),
            Elem::F32 => Tensor::F32(
                ArrayD::from_shape_vec(dim, items.iter().map(|s| s.parse().expect("f32")).collect()).expect("shape"),
            ),
            Elem::Bool => Tensor::Bool(
                ArrayD::from_shape_vec(dim, items.iter().map(|s| s.parse().expect("bool")).collect()).expect("shape"),
            ),
            Elem::Status => panic!("status inputs are not supported in filetests"),
        };
        tensors.push(t);
    }
    let views: Vec<TensorRef<'_>> = tensors.iter().map(Tensor::view).collect();
    let slow = match interpret(graph, &views) {
        Ok(v) => v,
        Err(e) => {
            // The executor rejects what the interpreter rejects, with the same error: an invalid graph is never run.
            let fast = Executor::new(graph).and_then(|x| x.run(&views));
            assert_eq!(fast.err().as_ref(), Some(&e), "the executor rejects what the interpreter rejects");
            return format!("error: {e}");
        }
    };
    let fast =
        Executor::new(graph).and_then(|x| x.run(&views)).expect("the executor accepts what the interpreter accepts");
    let mut out = String::new();
    for ((o, s), f) in graph.outputs.iter().zip(&slow).zip(&fast) {
        assert!(same(s, f), "output {}: interpreter {s:?} vs executor {f:?}", o.name);
        writeln!(out, "{} = {}", o.name, show(s)).expect("string");
    }
    out
}

/// Bitwise equality of floats (NaN equal to NaN).
fn same(a: &Tensor, b: &Tensor) -> bool {
    match (a, b) {
        (Tensor::F64(x), Tensor::F64(y)) => {
            x.shape() == y.shape()
                && x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan()))
        }
        (Tensor::F32(x), Tensor::F32(y)) => {
            x.shape() == y.shape()
                && x.iter().zip(y).all(|(p, q)| p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan()))
        }
        _ => a == b,
    }
}

fn show(t: &Tensor) -> String {
    fn list<T: std::fmt::Debug>(a: &ArrayD<T>) -> String {
        let items: Vec<String> = a.iter().map(|x| format!("{x:?}")).collect();
        if a.ndim() == 0 { items[0].clone() } else { format!("[{}]", items.join(", ")) }
    }
    match t {
        Tensor::F64(a) => list(a),
        Tensor::F32(a) => list(a),
        Tensor::Bool(a) => list(a),
        Tensor::Status(a) => {
            let items: Vec<String> = a.iter().map(ToString::to_string).collect();
            if a.ndim() == 0 { items[0].clone() } else { format!("[{}]", items.join(", ")) }
        }
        _ => panic!("unknown tensor kind"),
    }
}
