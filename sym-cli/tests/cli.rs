//! End-to-end tests of the `sym` binary: outputs, exit statuses and error lines as fixed by the
//! CLI contract, standard input with `-`, and hostile arguments that must never panic.

use expect_test::{Expect, expect};
use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `sym` with `args` (and `stdin`), returning `"<status>\n<stdout><stderr>"`.
fn sym(args: &[&str], stdin: Option<&str>) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sym"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sym");
    {
        let mut pipe = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            pipe.write_all(text.as_bytes()).expect("write stdin");
        }
    }
    let out = child.wait_with_output().expect("wait for sym");
    format!(
        "{}\n{}{}",
        out.status.code().map_or("signal".into(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn check(args: &[&str], expected: Expect) {
    expected.assert_eq(&sym(args, None));
}

#[test]
fn core_subcommands() {
    check(
        &["simplify", "sin(pi/6) + sqrt(8) + 8**(1/3)"],
        expect![[r#"
        0
        2*sqrt(2) + 5/2
    "#]],
    );
    check(
        &["expand", "(x + 1)**3"],
        expect![[r#"
        0
        x**3 + 3*x**2 + 3*x + 1
    "#]],
    );
    check(
        &["diff", "x**x", "x", "x"],
        expect![[r#"
        0
        x**x*(log(x) + 1)**2 + x**(x - 1)
    "#]],
    );
    check(
        &["eval", "sqrt(2)", "--digits", "30"],
        expect![[r#"
        0
        1.41421356237309504880168872421
    "#]],
    );
    check(
        &["eval", "sin(x)/x", "--at", "x=1/2"],
        expect![[r#"
        0
        0.95885107720840600
    "#]],
    );
}

#[test]
fn bad_input_names_the_position() {
    check(
        &["simplify", "x + * 2"],
        expect![[r#"
        2
        error: unexpected `*` (argument 1, characters 5..5)
    "#]],
    );
    check(
        &["diff", "x", "3"],
        expect![[r#"
        2
        error: `3` is not a symbol (argument 2, characters 1..1)
    "#]],
    );
    check(
        &["frobnicate", "x"],
        expect![[r#"
        2
        error: unknown subcommand `frobnicate` (try `sym --help`)
    "#]],
    );
    check(
        &["solve", "x**2 - 4", "--for", "y"],
        expect![[r#"
        2
        error: the unknown `y` does not occur in the equation
    "#]],
    );
}

#[test]
fn seed_equations() {
    check(
        &["solve", "x**2 - 4", "--for", "x"],
        expect![[r#"
        0
        -2    = -2.0000000000000000
        2    = 2.0000000000000000
    "#]],
    );
    check(
        &["solve", "x**2 + y**2 = 9", "--for", "y", "--domain", "real"],
        expect![[r#"
        0
        -sqrt(9 - x**2)    if x**2 <= 9
        sqrt(9 - x**2)    if x**2 <= 9
    "#]],
    );
}

/// Families of underdetermined systems (`for every` the free unknowns; `free` and `families` in JSON), an
/// inconsistent system (no solution, complete), certified numeric roots and an implicit root.
#[test]
fn families_numeric_and_implicit() {
    check(
        &["solve", "x + y = 1, 2*x + 2*y = 2", "--for", "x,y"],
        expect![[r#"
        0
        1 - y, y    for every y
        # infinitely many solutions, parametrised by y
    "#]],
    );
    check(
        &["solve", "x + y = 1, 2*x + 2*y = 2", "--for", "x,y", "--json"],
        expect![[r#"
        0
        {"coverage":"complete","domain":"complex","families":[{"exact":["1 - y","y"],"free":["y"],"guard":null}],"note":"infinitely many solutions, parametrised by y","solutions":[],"unknowns":["x","y"]}
    "#]],
    );
    check(
        &["solve", "x + y + z = a, x - y = 0", "--for", "x,y,z", "--json"],
        expect![[r#"
        0
        {"coverage":"complete","domain":"complex","note":"infinitely many solutions, parametrised by z","solutions":[{"exact":["a/2 - z/2","a/2 - z/2","z"],"free":["z"],"guard":null,"multiplicity":1}],"unknowns":["x","y","z"]}
    "#]],
    );
    check(
        &["solve", "x + y = 1, x + y = 2", "--for", "x,y", "--json"],
        expect![[r#"
        0
        {"coverage":"complete","domain":"complex","solutions":[],"unknowns":["x","y"]}
    "#]],
    );
    check(
        &["solve", "cos(x) = x", "--for", "x", "--interval", "0,1"],
        expect![[r#"
        0
        0.73908513321516064    (certified: radius 9.08e-31)
        # numeric roots are certified: each is the only root within its radius, none is missing in [0, 1]
    "#]],
    );
    check(
        &["solve", "y + sin(y) = x", "--for", "y", "--domain", "real"],
        expect![[r#"
        0
        root of y - x + sin(y) = 0 in y, in [x - 1, x + 1] (the only real root)
        # no closed form: the solution is the unique real root of the equation, in its bracket
    "#]],
    );
}

#[test]
fn standard_input() {
    expect![[r#"
        2
        x**2 - 1
        x**3 + 3*x**2 + 3*x + 1
        error: unexpected end of input (argument 1, characters 5..5) (line 4 of standard input)
    "#]]
    .assert_eq(&sym(&["expand", "-"], Some("x**2 - 1\n# a comment\n(x + 1)**3\nsin(\n")));
    expect![[r#"
        0
        -sqrt(a)    = -2.0000000000000000
        sqrt(a)    = 2.0000000000000000
    "#]]
    .assert_eq(&sym(&["solve", "-", "--for", "x", "--at", "a=4"], Some("x**2 - a\n")));
}

#[test]
fn hostile_arguments_never_panic() {
    let cases: &[&[&str]] = &[
        &["simplify", "((((((((((((((((((((((((((((((((((((((((x"],
        &["expand", "(x + y)**100000000"],
        &["eval", "1/0"],
        &["eval", "x"],
        &["solve", "sin(x) = 2*x**7 - log(x)", "--for", "x"],
        &["solve", "x**1000001 - 1", "--for", "x"],
        &["diff", "x", "x", "--digits"],
        &["solve", "=", "--for", "x"],
        &["lower", "x**2", "--inputs"],
        &[],
    ];
    for args in cases {
        let out = sym(args, None);
        let status = out.lines().next().unwrap_or("");
        assert!(status == "0" || status == "2", "{args:?}: {out}");
        assert!(!out.contains("panicked"), "{args:?}: {out}");
    }
    // (One argument may hold at most 128 KiB on Linux.)
    let deep = "(".repeat(50_000) + "x" + &")".repeat(50_000);
    let out = sym(&["simplify", &deep], None);
    assert!(out.starts_with("2\n") && out.contains("error:"), "{}", &out[..out.len().min(200)]);
}

#[test]
fn time_limit_ends_a_long_run_with_a_limit_error() {
    // Expanding this takes seconds; a 0.2 s limit ends it with the contract's limit error.
    let slow = "(a + b + c + d + e + f + 1)**24";
    check(
        &["expand", slow, "--timeout", "0.2"],
        expect![[r#"
            2
            error: time limit of 0.2 s exceeded (--timeout SECS changes it, 0 removes it)
        "#]],
    );
    // With --json, standard output holds the contract's error object of kind `limit`.
    let out = sym(&["solve", &format!("{slow} = 1"), "--for", "a", "--timeout", "0.2", "--json"], None);
    let json: serde_json::Value = serde_json::from_str(out.lines().nth(1).expect("a JSON line")).expect("JSON");
    assert_eq!(json["error"]["kind"], "limit", "{out}");
    // A quick run is untouched by the limit; a malformed limit is a usage error.
    check(
        &["expand", "(x + 1)**2", "--timeout", "5"],
        expect![[r#"
        0
        x**2 + 2*x + 1
    "#]],
    );
    check(
        &["expand", "x", "--timeout", "soon"],
        expect![[r#"
        2
        error: --timeout takes a number of seconds (0 for no limit)
    "#]],
    );
}
