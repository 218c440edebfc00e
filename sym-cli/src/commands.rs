//! The subcommands that work on expressions: `simplify`, `expand`, `diff`, `eval`.

use crate::args::{OptSpec, split};
use crate::error::CliError;
use crate::numbers::{format_complex, parse_at, parse_digits};
use std::collections::HashMap;
use sym_core::{Expr, Symbol, parse};

fn one_expr(argv: &[String], specs: &[OptSpec], usage: &str) -> Result<(Expr, crate::args::Args), CliError> {
    let args = split(argv, specs).map_err(CliError::usage)?;
    if args.positional.is_empty() {
        return Err(CliError::usage(format!("missing expression; usage: {usage}")));
    }
    let e = parse(&args.positional[0].1).map_err(|e| CliError::from_core(e, 1, 0))?;
    Ok((e, args))
}

/// `sym simplify EXPR`: the canonical form.
pub fn simplify(argv: &[String]) -> Result<String, CliError> {
    let (e, args) = one_expr(argv, &[], "sym simplify EXPR")?;
    if args.positional.len() > 1 {
        return Err(CliError::usage("simplify takes one expression"));
    }
    Ok(format!("{e}\n"))
}

/// `sym expand EXPR`: the expanded form.
pub fn expand(argv: &[String]) -> Result<String, CliError> {
    let (e, args) = one_expr(argv, &[], "sym expand EXPR")?;
    if args.positional.len() > 1 {
        return Err(CliError::usage("expand takes one expression"));
    }
    let x = e.expand().map_err(|err| CliError::from_core(err, 1, 0))?;
    Ok(format!("{x}\n"))
}

/// `sym diff EXPR VAR [VAR ...]`: the derivative, repeated variables meaning higher order.
pub fn diff(argv: &[String]) -> Result<String, CliError> {
    let (mut e, args) = one_expr(argv, &[], "sym diff EXPR VAR [VAR ...]")?;
    if args.positional.len() < 2 {
        return Err(CliError::usage("missing variable; usage: sym diff EXPR VAR [VAR ...]"));
    }
    for (k, (_, v)) in args.positional.iter().enumerate().skip(1) {
        let var = parse(v).map_err(|err| CliError::from_core(err, k + 1, 0))?;
        let Some(s) = var.as_symbol() else {
            return Err(CliError {
                kind: "usage",
                message: format!("`{v}` is not a symbol"),
                span: Some((0, v.len())),
                arg: Some(k + 1),
            });
        };
        e = e.diff(s);
    }
    Ok(format!("{e}\n"))
}

/// `sym eval EXPR [--at NAME=VALUE,...] [--digits N]`: the numeric value.
pub fn eval(argv: &[String]) -> Result<String, CliError> {
    let specs = [OptSpec { name: "at", takes_value: true }, OptSpec { name: "digits", takes_value: true }];
    let (e, args) = one_expr(argv, &specs, "sym eval EXPR [--at NAME=VALUE,...] [--digits N]")?;
    if args.positional.len() > 1 {
        return Err(CliError::usage("eval takes one expression"));
    }
    let digits = parse_digits(args.get("digits"))?;
    let at = match args.get("at") {
        Some(t) => parse_at(t)?,
        None => Default::default(),
    };
    let free = sym_core::expr::free_symbols(&e);
    for s in at.keys() {
        if !free.contains(s) {
            eprintln!("warning: --at names `{s}`, which does not occur in the expression");
        }
    }
    let env: HashMap<Symbol, Expr> = at.into_iter().collect();
    let z = sym_core::evalf::eval_digits(&e, &env, digits).map_err(|err| CliError::from_core(err, 1, 0))?;
    Ok(format!("{}\n", format_complex(&z, digits)))
}
