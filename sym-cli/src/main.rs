//! The `sym` command-line tool: simplify, expand, differentiate, evaluate, solve and lower
//! expressions in SymPy's syntax.
//!
//! The contract that scripts rely on is `spec/cli.md`: argument forms, the JSON output of
//! `solve`, and exit status 2 with one `error:` line for bad input.

mod args;
mod commands;
mod error;
mod lower;
mod numbers;
mod solve;

use error::CliError;
use std::io::Write;

const HELP: &str = "\
sym: exact equation solving and derivatives

USAGE:
  sym simplify EXPR                     canonical form
  sym expand EXPR                       expanded form
  sym diff EXPR VAR [VAR ...]           derivative (repeat VAR for higher order)
  sym eval EXPR [--at NAME=VALUE,...] [--digits N]
                                        numeric value (N significant digits, default 17)
  sym solve EQ [EQ ...] --for X[,Y...] [--domain complex|real] [--interval LO,HI]
            [--at NAME=VALUE,...] [--grad] [--digits N] [--json]
                                        exact solutions with guards; values and
                                        gradients at a point
  sym lower EQ|EXPR ... [--for Y] --inputs A[,B...] [--guess EXPR | --bracket LO,HI]
            [--dtype f64|f32] [--no-masks] [--no-optimize]
                                        the tensor IR (text form) of an expression, or of
                                        the real solutions of EQ in Y, with validity masks

Expressions use SymPy's syntax: + - * / ** (or ^), sqrt exp log sin cos tan ... LambertW Abs,
constants pi E I. `a/b` between integers is exact; `0.5` is a float. An argument that
starts with `-` is an expression, not an option; `--` ends the options.

EXAMPLES:
  sym expand \"(x + y + z + 1)**20\"
  sym diff \"x**x\" x
  sym eval \"sqrt(2)\" --digits 50
  sym eval \"sin(x)/x\" --at x=1/2
  sym solve \"x**2 + y**2 = 9\" --for y --domain real
  sym solve \"a*x**2 + b*x + c\" --for x --at a=1,b=-3,c=2 --grad --json
  sym lower \"x**2 + y**2 = 9\" --for y --inputs x
";

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let code = run(&argv);
    std::process::exit(code);
}

/// Runs the command line and returns the exit status.
fn run(argv: &[String]) -> i32 {
    let Some(cmd) = argv.first() else {
        eprint!("{HELP}");
        return 2;
    };
    let rest = &argv[1..];
    let json = rest.iter().any(|a| a == "--json");
    let result = match cmd.as_str() {
        "--help" | "-h" | "help" => {
            print!("{HELP}");
            return 0;
        }
        "--version" | "-V" => {
            println!("sym {}", env!("CARGO_PKG_VERSION"));
            return 0;
        }
        "simplify" => commands::simplify(rest),
        "expand" => commands::expand(rest),
        "diff" => commands::diff(rest),
        "eval" => commands::eval(rest),
        "solve" => solve::solve(rest),
        "lower" => lower::lower(rest),
        other => Err(CliError::usage(format!("unknown subcommand `{other}` (try `sym --help`)"))),
    };
    match result {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(out.as_bytes());
            let _ = stdout.flush();
            0
        }
        Err(e) => {
            if json {
                println!("{}", e.json());
            }
            eprintln!("{}", e.line());
            2
        }
    }
}
