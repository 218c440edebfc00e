//! `sym lower`: prints the tensor IR of an expression, or of the solutions of an equation, in its text form.
//!
//! ```text
//! sym lower EXPR --inputs A[,B...]                       one expression: outputs "value" and "ok"
//! sym lower EQ --for Y --inputs A[,B...]                 the real solutions of EQ in Y: outputs "Y[i]", "ok[i]"
//!           [--guess EXPR | --bracket LO,HI]             start for RootOf and implicit solutions
//!           [--dtype f64|f32] [--no-masks] [--no-optimize]
//! ```
//!
//! With `--for`, the equation is solved in the real domain (the IR is real) and the solution set lowered with
//! [`sym_lower::lower::lower_solved`]. With `--guess` or `--bracket` it is lowered instead as the implicit root
//! reached from that start (outputs "Y" and "ok"), which is also the way to lower an equation the solver has no
//! closed form and no bracket for. (For equations like `y + sin(y) = x` the solver derives a bracket itself, and
//! its implicit-root branch is lowered as a `root` op started from it.) Bad input exits with status 2 and one
//! `error:` line.

use crate::args::{OptSpec, split};
use crate::error::CliError;
use sym_core::parse::split_top_level;
use sym_core::{Expr, Symbol};
use sym_lower::lower::{LowerOptions, Start, lower_expr, lower_exprs, lower_implicit, lower_solved};
use sym_lower::{Error, LowerProblem};
use sym_solve::{Domain, SolveOptions};

const SPECS: &[OptSpec] = &[
    OptSpec { name: "for", takes_value: true },
    OptSpec { name: "inputs", takes_value: true },
    OptSpec { name: "guess", takes_value: true },
    OptSpec { name: "bracket", takes_value: true },
    OptSpec { name: "dtype", takes_value: true },
    OptSpec { name: "no-masks", takes_value: false },
    OptSpec { name: "no-optimize", takes_value: false },
];

const USAGE: &str = "sym lower EQ|EXPR ... [--for Y] --inputs A[,B...] [--guess EXPR | --bracket LO,HI] [--dtype f64|f32] [--no-masks] [--no-optimize]";

/// A lowering error as a CLI error: resource limits are `limit`, everything else `lower`.
fn lower_error(e: Error) -> CliError {
    match &e {
        Error::Lower(le) if matches!(le.problem, LowerProblem::Limit { .. }) => CliError::new("limit", e.to_string()),
        _ => CliError::new("lower", e.to_string()),
    }
}

/// Parses a symbol name given to an option.
fn symbol(name: &str, option: &str) -> Result<Symbol, CliError> {
    match sym_core::parse(name) {
        Ok(e) if e.as_symbol().is_some() => Ok(Symbol::new(name)),
        _ => Err(CliError::usage(format!("--{option} expects symbol names, got `{name}`"))),
    }
}

/// Parses an expression given to an option.
fn option_expr(text: &str, option: &str) -> Result<Expr, CliError> {
    sym_core::parse(text.trim()).map_err(|e| CliError::usage(format!("--{option}: {e}")))
}

/// The start given by `--guess` and `--bracket`, if any.
fn start(args: &crate::args::Args) -> Result<Option<Start>, CliError> {
    let guess = args.get("guess").map(|g| option_expr(g, "guess")).transpose()?;
    let bracket = match args.get("bracket") {
        None => None,
        Some(b) => {
            let parts = split_top_level(b);
            if parts.len() != 2 {
                return Err(CliError::usage(format!("malformed --bracket `{b}`: expected LO,HI")));
            }
            Some((option_expr(parts[0].1, "bracket")?, option_expr(parts[1].1, "bracket")?))
        }
    };
    Ok(match (guess, bracket) {
        (None, None) => None,
        (Some(g), None) => Some(Start::Guess(g)),
        (None, Some((lo, hi))) => Some(Start::Bracket(lo, hi)),
        (Some(guess), Some((lo, hi))) => Some(Start::GuessInBracket { guess, lo, hi }),
    })
}

/// `sym lower ...`.
pub fn lower(argv: &[String]) -> Result<String, CliError> {
    let args = split(argv, SPECS).map_err(CliError::usage)?;
    if args.positional.is_empty() {
        return Err(CliError::usage(format!("missing expression; usage: {USAGE}")));
    }
    let inputs: Vec<String> = match args.get("inputs") {
        Some(list) => list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        None => return Err(CliError::usage(format!("missing --inputs; usage: {USAGE}"))),
    };
    let mut input_syms = Vec::with_capacity(inputs.len());
    for name in &inputs {
        let s = symbol(name, "inputs")?;
        if input_syms.contains(&s) {
            return Err(CliError::usage(format!("--inputs names `{name}` twice")));
        }
        input_syms.push(s);
    }
    let input_refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let mut opts = LowerOptions::default();
    match args.get("dtype") {
        None | Some("f64") => {}
        Some("f32") => opts = LowerOptions::f32(),
        Some(other) => return Err(CliError::usage(format!("--dtype must be f64 or f32, got `{other}`"))),
    }
    opts.masks = !args.options.contains_key("no-masks");
    opts.optimize = !args.options.contains_key("no-optimize");
    let start = start(&args)?;

    // The pieces: several arguments, or one argument split at top-level `,` and `;`.
    let mut pieces: Vec<(usize, usize, String)> = Vec::new();
    for (k, (_, text)) in args.positional.iter().enumerate() {
        for (offset, piece) in split_top_level(text) {
            if !piece.trim().is_empty() {
                pieces.push((k + 1, offset, piece.to_owned()));
            }
        }
    }

    let graph = match args.get("for") {
        None => {
            if start.is_some() {
                return Err(CliError::usage("--guess and --bracket need --for"));
            }
            let mut exprs = Vec::with_capacity(pieces.len());
            for (arg, offset, text) in &pieces {
                exprs.push(sym_core::parse(text).map_err(|e| CliError::from_core(e, *arg, *offset))?);
            }
            if exprs.len() == 1 {
                lower_expr(&exprs[0], &input_refs, &opts).map_err(lower_error)?
            } else {
                let names: Vec<String> = (0..exprs.len()).map(|k| format!("value{k}")).collect();
                let named: Vec<(&str, &Expr)> = names.iter().map(String::as_str).zip(exprs.iter()).collect();
                lower_exprs(&named, &input_refs, &opts).map_err(lower_error)?
            }
        }
        Some(y) => {
            let y = symbol(y.trim(), "for")?;
            if pieces.len() != 1 {
                return Err(CliError::usage("lower --for takes one equation (systems are not solved yet)"));
            }
            let (arg, offset, text) = &pieces[0];
            let f = sym_core::parse_equation(text).map_err(|e| CliError::from_core(e, *arg, *offset))?;
            if !sym_core::expr::has_symbol(&f, y) {
                return Err(CliError::new("unknown", format!("the unknown `{y}` does not occur in the equation")));
            }
            if input_syms.contains(&y) {
                return Err(CliError::usage(format!("`{y}` is both the unknown and an input")));
            }
            if let Some(s) = &start {
                lower_implicit(&f, y, s, &input_refs, &opts).map_err(lower_error)?
            } else {
                let sopts = SolveOptions { domain: Domain::Real, ..SolveOptions::default() };
                let set = sym_solve::solve_one(&f, y, &sopts).map_err(|e| match e {
                    sym_solve::SolveError::Limit { .. } => CliError::new("limit", e.to_string()),
                    other => CliError::new("solve", other.to_string()),
                })?;
                let unstarted = set.branches.iter().any(|b| b.implicit.as_ref().is_some_and(|i| i.bracket.is_none()));
                if unstarted || (set.branches.is_empty() && set.coverage != sym_solve::Coverage::Complete) {
                    return Err(CliError::new(
                        "lower",
                        format!(
                            "the equation has no closed-form solution in `{y}`; give --guess EXPR or --bracket LO,HI \
                             to lower it as an implicit root"
                        ),
                    ));
                }
                lower_solved(&f, y, &set, &input_refs, &opts).map_err(lower_error)?
            }
        }
    };
    Ok(sym_lower::print(&graph))
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn run(args: &[&str]) -> Result<String, String> {
        let argv: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        lower(&argv).map_err(|e| format!("{} [{}]", e.line(), e.kind))
    }

    #[test]
    fn expression() {
        expect![[r#"
            graph {
              %0: f64[n] = input 0 "x"
              %1: f64 = const 9.0
              %2: f64[n] = powi %0, 2
              %3: f64[n] = sub %1, %2
              %4: f64[n] = sqrt %3
              %5: f64[n] = neg %4
              output "value" = %5
            }
        "#]]
        .assert_eq(&run(&["-sqrt(9 - x**2)", "--inputs", "x", "--no-masks"]).unwrap());
        // Several expressions share one graph.
        let two = run(&["sin(x), sin(x)**2", "--inputs=x", "--dtype", "f32", "--no-masks"]).unwrap();
        assert!(two.contains("output \"value0\"") && two.contains("output \"value1\"") && two.contains("f32[n]"));
    }

    #[test]
    fn solutions() {
        expect![[r#"
            graph {
              %0: f64[n] = input 0 "x"
              %1: f64[n] = powi %0, 2
              %2: f64 = const 9.0
              %3: bool[n] = le %1, %2
              %4: f64[n] = sub %2, %1
              %5: f64 = const 1.0
              %6: f64[n] = select %3, %4, %5
              %7: f64[n] = sqrt %6
              %8: f64[n] = neg %7
              %9: f64 = const NaN
              %10: f64[n] = select %3, %8, %9
              %11: f64[n] = select %3, %7, %9
              output "y[0]" = %10
              output "ok[0]" = %3
              output "y[1]" = %11
              output "ok[1]" = %3
            }
        "#]]
        .assert_eq(&run(&["x**2 + y**2 = 9", "--for", "y", "--inputs", "x", "--no-masks"]).unwrap());
        // An implicit root from a guess: one root op.
        expect![[r#"
            residual @0 {
              %0: f64[n] = input 0 "y"
              %1: f64[n] = input 1 "a"
              %2: f64[n] = input 2 "b"
              %3: f64[n] = powi %0, 5
              %4: f64[n] = mul %0, %1
              %5: f64[n] = add %2, %3
              %6: f64[n] = add %4, %5
              %7: f64[n] = powi %0, 4
              %8: f64 = const 5.0
              %9: f64[n] = mul %7, %8
              %10: f64[n] = add %1, %9
              output "F" = %6
              output "dF" = %10
            }

            graph {
              %0: f64[n] = input 0 "a"
              %1: f64[n] = input 1 "b"
              %2: f64[n] = neg %1
              %3: f64[n] = div %2, %0
              %4: f64[n] = root @0 (%0, %1) guess %3 tol 1e-15 max_iter 100
              output "y" = %4
            }
        "#]]
        .assert_eq(
            &run(&["y**5 + a*y + b", "--for", "y", "--inputs", "a,b", "--guess", "-b/a", "--no-masks"]).unwrap(),
        );
        // A Lambert W solution: the branch W_{-1}(exp(t)) is never real (exp(t) > 0), so one branch remains.
        expect![[r#"
            graph {
              %0: f64[n] = input 0 "t"
              %1: f64[n] = exp %0
              %2: f64[n] = lambertw %1
              %3: f64[n] = sub %0, %2
              %4: bool[n] = eq %3, %3
              %5: f64 = const NaN
              %6: f64[n] = select %4, %3, %5
              output "y[0]" = %6
              output "ok[0]" = %4
            }
        "#]]
        .assert_eq(&run(&["y + exp(y) = t", "--for", "y", "--inputs", "t"]).unwrap());
        // No closed form: the implicit root, started from the solver's bracket [x - 1, x + 1].
        let implicit = run(&["y + sin(y) = x", "--for", "y", "--inputs", "x", "--no-masks"]).unwrap();
        assert!(implicit.contains("root @0 (%0) bracket %2, %3"), "{implicit}");
        let with_masks = run(&["y + exp(y) = t", "--for", "y", "--inputs", "t", "--bracket", "t - 1, t + 1"]).unwrap();
        assert!(with_masks.contains("converged") && with_masks.contains("output \"ok\""));
    }

    #[test]
    fn errors() {
        let errs: Vec<String> = [
            &["x + I", "--inputs", "x"][..],
            &["x + z", "--inputs", "x"],
            &["x +", "--inputs", "x"],
            &["x"],
            &["x**2 = 4", "--for", "q", "--inputs", "x"],
            &["y*exp(y) + y = x", "--for", "y", "--inputs", "x"],
            &["x", "--inputs", "x,x"],
            &["y**2 = x", "--for", "y", "--inputs", "x,y"],
            &["x", "--inputs", "x", "--dtype", "f16"],
            &["x", "--inputs", "x", "--guess", "1"],
            &["y**2 = x", "--for", "y", "--inputs", "x", "--bracket", "1"],
        ]
        .iter()
        .map(|a| run(a).unwrap_err())
        .collect();
        expect![[r#"
            error: cannot lower `I`: its value is not real, and the IR is real [lower]
            error: cannot lower `z`: the symbol `z` is not an input (inputs: x) [lower]
            error: unexpected end of input (argument 1, characters 4..4) [parse]
            error: missing --inputs; usage: sym lower EQ|EXPR ... [--for Y] --inputs A[,B...] [--guess EXPR | --bracket LO,HI] [--dtype f64|f32] [--no-masks] [--no-optimize] [usage]
            error: the unknown `q` does not occur in the equation [unknown]
            error: the equation has no closed-form solution in `y`; give --guess EXPR or --bracket LO,HI to lower it as an implicit root [lower]
            error: --inputs names `x` twice [usage]
            error: `y` is both the unknown and an input [usage]
            error: --dtype must be f64 or f32, got `f16` [usage]
            error: --guess and --bracket need --for [usage]
            error: malformed --bracket `1`: expected LO,HI [usage]"#]]
        .assert_eq(&errs.join("\n"));
    }
}
