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

What `solve` prints, one solution a line: an exact form (`= value` at a point); a certified
numeric root `0.739...    (certified: radius 1e-30)` when there is no closed form (the root is the
only one within the radius; searched in --interval, or in [-100, 100] when none is given, which
makes the claim partial); an implicit root `root of F = 0 in y, in [lo, hi]` (lowered by `sym lower`
as a root op from that bracket); a family of an underdetermined system `1 - y, y    for every y`
(in JSON: a `free` list on the solution, or a top-level `families` list at a point). Lines
starting with # give the coverage when it is not complete, and notes.

`-` in place of EXPR or EQ reads standard input: `solve` takes each line as one equation of a
system; the other subcommands run once per line (lines starting with # are skipped).

Expressions use SymPy's syntax: + - * / ** (or ^), sqrt exp log sin cos tan ... LambertW Abs,
constants pi E I. `a/b` between integers is exact; `0.5` is a float. An argument that
starts with `-` is an expression, not an option; `--` ends the options.

Every run stops with a `limit` error (exit 2) after 300 s; `--timeout SECS` changes that
(0: no limit). Sizes and degrees are limited too: a huge power is refused, not attempted.

EXAMPLES:
  sym expand \"(x + y + z + 1)**20\"
  sym diff \"x**x\" x
  sym eval \"sqrt(2)\" --digits 50
  sym eval \"sin(x)/x\" --at x=1/2
  sym solve \"x**2 + y**2 = 9\" --for y --domain real
  sym solve \"a*x**2 + b*x + c\" --for x --at a=1,b=-3,c=2 --grad --json
  sym lower \"x**2 + y**2 = 9\" --for y --inputs x
  sym solve \"x = tan(x)\" --for x --interval 1/10,20
  sym solve \"y + sin(y) = x\" --for y --at x=1 --grad
  sym solve \"x + y = 1, 2*x + 2*y = 2\" --for x,y
  printf 'x**2 - 1\\n(x + 1)**3\\n' | sym expand -
";

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let (argv, limit) = match take_time_limit(argv) {
        Ok(v) => v,
        Err(e) => std::process::exit(report(Err(e), false, "")),
    };
    if let Some(secs) = limit {
        let json = argv.iter().any(|a| a == "--json");
        start_watchdog(secs, json);
    }
    let code = if argv.iter().skip(1).any(|a| a == "-") { run_stdin(&argv) } else { run(&argv) };
    std::process::exit(code);
}

/// The wall-clock limit of one `sym` run when `--timeout` is not given, in seconds.
const DEFAULT_TIME_LIMIT: f64 = 300.0;

/// Removes `--timeout SECS` (before any `--`) from the arguments and returns the time limit:
/// the default when absent, none for `--timeout 0`.
fn take_time_limit(mut argv: Vec<String>) -> Result<(Vec<String>, Option<f64>), CliError> {
    let end = argv.iter().position(|a| a == "--").unwrap_or(argv.len());
    let Some(k) = argv[..end].iter().position(|a| a == "--timeout") else {
        return Ok((argv, Some(DEFAULT_TIME_LIMIT)));
    };
    let value = argv.get(k + 1).filter(|_| k + 1 < end).cloned();
    let secs = value
        .as_deref()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| CliError::usage("--timeout takes a number of seconds (0 for no limit)"))?;
    argv.drain(k..k + 2);
    Ok((argv, (secs > 0.0).then_some(secs)))
}

/// Ends the process with a `limit` error once `secs` seconds have passed: a hostile input gets an
/// answer, never a hang. Output already written (earlier lines of `-` input) stays.
fn start_watchdog(secs: f64, json: bool) {
    let spawned = std::thread::Builder::new().name("sym-watchdog".into()).spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs_f64(secs));
        let e = CliError::new(
            "limit",
            format!("time limit of {secs} s exceeded (--timeout SECS changes it, 0 removes it)"),
        );
        let mut out = std::io::stdout().lock();
        if json {
            let _ = writeln!(out, "{}", e.json());
        }
        let _ = out.flush();
        eprintln!("{}", e.line());
        std::process::exit(2);
    });
    if let Err(e) = spawned {
        eprintln!("warning: no time limit ({e})");
    }
}

/// Longest standard input read for `-` (a hostile pipe cannot exhaust memory).
const MAX_STDIN_BYTES: u64 = 16 << 20;

/// `-` in place of the expression: reads standard input. `solve` takes every non-empty line as one
/// equation of a system; the other subcommands run once per non-empty line, printing one result per
/// line, and an error names its line. Lines starting with `#` are comments.
fn run_stdin(argv: &[String]) -> i32 {
    use std::io::Read;
    let mut text = String::new();
    if let Err(e) = std::io::stdin().take(MAX_STDIN_BYTES).read_to_string(&mut text) {
        eprintln!("error: reading standard input: {e}");
        return 2;
    }
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(k, l)| (k + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let dash = argv.iter().skip(1).position(|a| a == "-").map_or(1, |k| k + 1);
    if argv[0] == "solve" {
        let mut args: Vec<String> = argv[..dash].to_vec();
        args.extend(lines.iter().map(|(_, l)| l.to_string()));
        args.extend(argv[dash + 1..].iter().cloned());
        return run(&args);
    }
    let mut status = 0;
    for (n, line) in lines {
        let mut args = argv.to_vec();
        args[dash] = line.to_string();
        let code = report(dispatch(&args[0], &args[1..]), false, &format!(" (line {n} of standard input)"));
        status = status.max(code);
    }
    status
}

/// Runs one subcommand.
fn dispatch(cmd: &str, rest: &[String]) -> Result<String, CliError> {
    match cmd {
        "simplify" => commands::simplify(rest),
        "expand" => commands::expand(rest),
        "diff" => commands::diff(rest),
        "eval" => commands::eval(rest),
        "solve" => solve::solve(rest),
        "lower" => lower::lower(rest),
        other => Err(CliError::usage(format!("unknown subcommand `{other}` (try `sym --help`)"))),
    }
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
        other => dispatch(other, rest),
    };
    report(result, json, "")
}

/// Prints a subcommand's output, or its error (as JSON too with `json`; `context` is appended to the
/// error line), and returns the exit status.
fn report(result: Result<String, CliError>, json: bool, context: &str) -> i32 {
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
            eprintln!("{}{context}", e.line());
            2
        }
    }
}
