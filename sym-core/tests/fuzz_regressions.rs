//! Inputs found by the fuzz targets under `fuzz/` (see `fuzz/README.md`), replayed on the stable
//! toolchain: each must parse to an expression that round-trips through the printer (with floats:
//! after one round trip) and stays canonical, or fail with a typed error whose span lies inside the text. Never a panic.

use rug::Complex;
use sym_core::evalf::{ComplexEnv, eval_complex};
use sym_core::expr::map_children;
use sym_core::{CoreError, Expr, parse, parse_equation};

/// Every input that once crashed a fuzz target, with the target's name.
const FOUND: &[(&str, &str)] = &[
    // A two-byte operator lookahead sliced through a multi-byte character.
    ("parse", ",\u{d3}x"),
    // A sum of floats of 53 and 67 bits: 67 bits of result print as 20 digits, which read back
    // at 67 bits but to a neighbouring value; the printed text is a fixed point.
    ("parse", "0.580029759083609 - 0.70672580029759083609 - 0.7067222056890220568907*I"),
    // A 53-bit float below the double range printed as the double it underflows to, `0.0`.
    ("parse", "Ne-218239*x +3**6 - 4e-218239*xi&nh"),
    // Radicals that combine into a power of a sum (`sqrt(D)**2`) left products like `x*D**56`
    // unexpanded, whose size grew without the term limit seeing it: minutes for this input.
    (
        "canonical",
        "-sqrt(x)/3 - (x - 3)/(3*(-1/2 - sqrt(3)*I/2)*(x**(3/2) - 9*sqrt(x)/2 + 27*x/2 + sqrt(-4*(x - 3)**3 + (2*x**(3/2) - 9*sqrt(x) + 26*x)**2)/2)**(1/3)) - (-1/2 - sqrt(3)*I/2)*(x**(3/2) - 9*sqrt(x)/2 + 27*x/2 + sqrt(-4*(x - 3)**3 + (2*x**(3/2) - 9*sqrt(x) + 27*x)**2)/2)**(113)/3",
    ),
    // Floats whose printed digits read back to a neighbouring value reorder an `And` (sorted by
    // hash): the law for floats is that what was read back prints and reads back unchanged.
    ("parse", "-0.&2988220.3453793009679*34534679*I82\u{576}"),
    // Expansion built its sum without letting `zoo` absorb the finite constant (`zoo - 0.875`).
    ("canonical", "(x - 5)**2/250000 &+ (y - 0.5)**2/2+ +(15*x0+ 1*(5*xa/ 8)*A2 - 12)*500/0 - 1"),
    // A float zero coefficient stayed in a product (`K*0.0*(y - 7)`) or was absorbed, by the
    // order of construction: `0.0*x` is now `0.0`, as in SymPy.
    (
        "parse",
        "Ne**o_nR&br+xq*q*n*oq*n*o_ncqUrcothx/(3 - x)**1 + _ncqUrcothx/(7 - xJJJJ)*9610382710382/.00/555555555555555500061711787379655<6*2",
    ),
    // A float zero added to a sum stayed in it, invisible in print.
    ("parse", "x**5 - x5+.0"),
    // A complex infinity times a power, with a coefficient, inside a sum: the sum kept the
    // coefficient 12 that a product absorbs, so rebuilding changed the node.
    (
        "canonical",
        "cos(p/i7) - I*sin(30*x + 4*(5*x - 4)**2 + (-16*x + 24*(5*x - 4)**2 + (16*x + 2*(5*x - 4)**2 - 12)**pi2 /0)*12- (5*x - 4)**2 - 12)**2 - 21",
    ),
    // `sqrt(A/4 - 1/4)` took the content 1/4 out of a sum whose term `A/4` is a number times a sum
    // with `zoo` (which does not distribute): the sum `A` was left as a term with coefficient 1,
    // inside a sum, and printed with parentheses that read back differently.
    (
        "parse",
        "2*-x2Ne-218239*x + 3**6 - 4*x**y19*jsi&nh + sqrt((-m**r/0 - sqrt(4*m**4 - 4*m**2 + 8*m + 1)/+ 1)/4 - 1/4)*I*2 + (m**2/2 - m - sqrt(4*m**4 - 4*m - sqrt(4*m**4 - 4*m**2 + 8*m + 1)&4 - 1/4)**2)",
    ),
    ("parse", "sqrt((zoo*m - y)/4 - 1/4)"),
    // The gcd's fold over the coefficients in a variable occurring in one input built a dense
    // vector of `a`'s degree, 9210**2 (6 GB); the coefficients are now grouped sparsely.
    (
        "canonical",
        "x - bb/an5 + 5*a** - 5 + 5*a**4 + 10*a**3 + 104 + 10*a**6 + 0*2 + y + za + 10*a**3 + 05*a**2104 + 10*e**3 + 05*a**2 + + y + za** - + 05*a**9210**2 + y + za** - bb/an5 + 5*a** - 5 + 5*a10*a**3 + x**2 + y + za** - bb/an5- 5 + 5*a**4 + 10*a**3 + 104 + 10*a1/y2+ 05*a**2104 + oo1810*a**3 + 05*a**2 + d*x**- 1+ 5*a + 1",
    ),
    // A slow unit for the parse target (a timeout under the fuzzer's instrumentation on loaded
    // cores); replayed to keep its time in view.
    (
        "parse",
        "-sqrt(x)/3 - (x - 3)/(3*(-1/2 - sqrt((3*(-1/2 - sqrt(3)*I/2)*(x**(3/2) - 9*sqrt(x)/2 + 27*x/2 + sqrt(-4*(x - 3)**3 + (2*x**(3/3) - 9*sqrt(x) + 27*x)**2)/2)**(1/3)) - (x**5 - x + 1.0*I/2)*(x**(3/2) - 9*sqrt(x)/2 + 54*x/2 + sqrt(-4*(x - 3)**3 + (2*xj*(3/2) - 9*sqrt(x) + 27*x)**2)/2)**(1/3)/3)*I/2)*(x**(3/2) - 9*sqrt(x)/2 + 27*x/2 + sqrt(-4*(x-sqrt(x)/3 - (x - 3)/(3*(-1/2 - sqrt((3*(-1/2 - sqrt(3)*I/2)*(x**(3/2) - 9*sqrt(x)/2 + 27*x/2 + sqrt(-4*(x - 3)**3 + (2*x**(3/3) - 9*sqrt(x) + 27*x)**2)/2)**(1/3)) - (x**5 - x + 1.0*I/2)*(x**(3/2) - 9*sqrt(x)/2 + -sqrt(y)/(3*(sqrt(y**27*x/2 + sqrt(-4*(x - 3)**3 + (2*xj*(3/2) - 9*sqrt(x) + 27*x)**2)/2)**(1/3)/3)*I/2)*(x**(3/2) - 9*sqrt(x)/2 + 27*x/2 + sqrt(-4*(x - 3)**3 + (2*x**(3/2) - 9*sqrt(x) + 27*x)**2)/2)**(1/3)) - (x**5 - x + 1.0*I/2)*(x**(3/2) - 9*sqrt(x)/2 + 27*x/2 + sqrt(-4*(x - 3)**3 + (2*x**(3/2) - 9*sqrt(x) + 27*x)**2)/2)** - 3)**3 + (2*x**(3/2) - 9*sqrt(x) + 27*x)**2)/2)**(1/3)) - (x**5 - x + 1.0*I/2)*(x**(3/2) - 9*sqrt(x)/2 + 27*x/2 + sqrt(-4*(x - 3)**3 + (2*x**(3/2) - 9*sqrt(3/2)/(x) + 27*x)**2)/2)**(27 + 1/4) +(x) -2**(5**(3/2)/28/8)*I/2 + 1/4) + 11/3)/3/2)**(1/3)",
    ),
    // An exact power printed longer than the reader's 1 MiB limit: a limit error, not a bug.
    ("parse", "x + acos((3*x**2 - x**4)**555555555555555555555**55552)"),
    // Expansion with `oo` and nested radicals gave a sum that rebuilding changed.
    (
        "canonical",
        "-(-6 - 4*sqrt(2))/(3*(7 + 5*sqrt(2))) - (-9*(-6 - 4*sqrt(2))*(-sqrt(2) - 1)/(2*(3 + 5*sqrt(2))**2) + (-6 - 4*sqrt(oo)**3/(7 + 5*sqrt(2))**3 + 27/(7 + 5*sqrt(2)) + sHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHsq12HHHHHHHHHHH7 + 5*sqrt(2))**3 + 27/(7 + 5*sqrt(2)) + sqrt(-4*(-3*(-sqrt(2) - 1)/(7 + 5*sqr)*(-sqrt(2) - 1)/(2*(7 + 5*sq4*sqrt(2))**3/(7 + 5*sqrt(2))**3 + 54/(7 + 5*sqrt(2)))**2)/2)**(1/3))",
    ),
    // Merging infinite factors must not collide with a power of the same infinity (`oo**m*oo`).
    (
        "parse",
        "C4*tx**auxo*oz12*x**2 +zzox**zoo*oo*oo** m * - x& +x*A* - x& +x*Ax& x& +x*A*7* m+x*A* - x& +x - x& +x*A* - x& +x*Ax& x& +x*A** mx*A* - x&oqrgt&-Ro*oo*oo** m * - x& +x*A* - x& +x*Ax& x& +x*A** x& +x - x& +x*A* - x& +x*Ax& x +x*A* - x& +x*Ax& +x*A* - x& +x*A",
    ),
    ("parse", "oo**m*oo*(-2) + oo**m*(-oo)*oo*x"),
    // `6**(1/508169592)` scanned every integer up to the root index for its divisors (seconds).
    ("parse", "sqrt(-a*+1 + a5 + 6**(798)/5 + log(7/4)/(5*log(3))*35 + 6**(798)**+(-3))3"),
    // `cancel` of a numerator of degree 2104 in `a` over `a**5*an5*za**bb*(4*w**4*z + y)**3`:
    // the gcd ran on the whole numerator (a minute); `a` occurs in one input only once the
    // monomial `a**5` is split off, so the gcd folds over its coefficients in `a` (1 ms).
    (
        "canonical",
        "x**2 + y + za** - bb/an5 + 5*a** - 5 + 5*a**4 + 10*a**3 + x**1 + q /+ (4*z/y + w**(-4))**3* - 5 + 5*a**4 + 10*a**exp3A+ 104 + 10*a**3 + 05*a**2104 + 10*a**3 + d*x\n*- 1+ 5*a + 1",
    ),
    // `cancel` ran the heuristic gcd on 81st powers in six generators: each evaluation point
    // multiplied the integers' size by the degree again (hundreds of kilobits, 18 s). The
    // heuristic now stops at a size budget and the recursive algorithm answers.
    ("canonical", "-(-1/2/s - 1/(a*(-1/2 + sqrt(3)*W/2)*(sqrt(729/e**2 - 108/a**3)/2 + 27/(2*a))**81/3))"),
    // A rational power of a negative rational with an exponent whose denominator is near 2**32
    // (`(-2)**(-81)**(-5)` and friends): the test for `(-1)**(1/2)` multiplied in `u32` and overflowed.
    // `cancel` with 18 generators: the heuristic gcd's candidate failed the division test at outer
    // levels, and each retry re-ran every inner level (minutes). It now has a budget of calls.
    (
        "canonical",
        "cew*xx- + (ap - bn)/(-s2* bp *q2-------lsh-----------------------------------------------x**2 + y + za** - bb/x**8 + cccccccccccccccccccccccccccccccccccccc+ cccccccccccccccccccan5 + 5*a** - 5 + 5*a**4 + 10*a**3 + x**2 + y + za** - bb/an5 + 5*a*ccccccccccccccccccccccccc--+04 + oo1810*a*a*3 + 05*a**2 + d*x*g- 1+ 5*a +  1+ 8*x**n2)",
    ),
    // `cancel` with a degree-2112 generator: the heuristic gcd was predicted to reach 4.7 Mbit
    // integers (under its 8 Mbit limit then) and its 124-call budget counted absent variables:
    // over ten seconds on megabit integers. The limit is now 1 Mbit, the budget counts only the
    // variables that occur (67 ms).
    (
        "canonical",
        "x**2/(7 - x+ za** - x13bb/an5 + 5*a** - 5 + 5*a**4 + 10*a**3 + x**2 + y + za** - bb/an5 + 5*a** - 5 + 5*a** + y + za** - bb/en5 + 5*a** - 5 + 5*a**4 + 10*a**3 + x**2 + y + za** - bb/an2 + 5*a** - 5 *a**2 + d*x**- 1+ 6 + 10*a**3 + 104 + 10*a**3 + 05*a**2104 + 10*a*+ 5*a**4 + 10*a**3 + 104 + 1**a1/ y +y2)*I2+ 05*a**2104 + oo1810*a**3 + 05*b**x1/bd*x*g- 1+ 5*a + 1*3 + 05*a**2 + + yx/ 05*a**2 + + yx/a** - x13bb/an5 + 5*a** - 5 + 5*a**4 + 10*a**3 + x**2 + y + za** - bb/an5 + 5*a** - 5 + 5*a** + y + za** - bb/en5 + 5*a** - 5 + 5*a**4 + 10*a**3 + x**2 + y + za** - bb/an2 + 5*a** - 5 + 5*a**4 + 10*a**3 + 10 + x**2 + y + za** - bb/an5 + 5*a** - 5 + 5*a** + y + za** - bb/en5 + 5*a** - 5 + 5*a**4 + 10*a**3 + x**2 + y + za** - bb/an5 + 5*a** - 5 + 5*a**4 + 10*a**3 + 104 + 10*a**3 + 05*a**2104 + 10*a**3 + 05*a**(7 - x)",
    ),
    // A number times a sum with float coefficients distributes only in a product of two factors,
    // so `7*(5.0*r - 5.0)/c` read back as `(35.0*r - 35.0)/c`: float expressions are compared by value.
    ("parse", "1/(6/7-(1/c/.2)*(r-1))"),
    // Device run of 2026-11-27: a sum as a term that came back to coefficient 1 (`-(-s)`, `s` a
    // sum with `zoo` that a number does not distribute over) stayed a sum inside a sum.
    (
        "parse",
        "Nexey=xsqrtsoqnnhj- (27*x/sqrt2 + 7*sqrt(x**2)/0/oD_ciqroqcothq*n*oqnnn/nnnDDDDDDDDDn*xq*n*oD_ciqrcxq*l*n*oq*q*nnnnnnnnnciqrcxq*q*roqcothq*n*oqnnn/nnnDDDDDDDDDn*xq*n*oD_ciqrcxq*l*n*oq*q*nnnnnnnnnciqrcxq*q*n*M02*tt02*t*t04*t04*tnnnnnnnnnnoo1rcxq*q*n*oo*oqnnnnnnnnnciqr0*to4)",
    ),
    ("parse", "Nexey = x - (27*x/y + zoo*q)"),
    ("parse", "Nexey - (x - (zoo*a + b))"),
    // The content 11 stayed out of `3*(R + zoo) - x` (a sum with a sum as a term), but reading
    // `11*(3*(R + zoo) - x)` back distributes it.
    ("parse", "s/(3*(5/0+R)-x)/11"),
    // A float power with a huge exponent: MPC carried the phase at full size (minutes).
    ("canonical", "x**675670.E31232550"),
    // An expansion whose shared subtrees unfold to a huge tree: generators were ordered by their
    // printed form (gigabytes), and comparing two copies took exponential time.
    (
        "canonical",
        "-(-1/aHHHHHHHHHHHHHHHHHHH)**(1/3)*(1 + acxtw3)*I11**-(-1/aHHHHHHHHHHHHHHHHHHH)**(1/3)*(1 + acotw3)*I11**(1/3)*-x*(5 + cot(7*y/8 - -(-1/aHHHHHHHHHHHHHHHHHHH)**(1/3)*(1 + acxtw3)*I11**-(-1/aHHHHHHHHHHHHHHHHHHH)**(1/3)*(1 + acotw3)*I11**(1/3)*-x*(5 + cot(7*y/8 - (s/qrt54*x/2 + 28*sqrt(x**2)/3)**(143)) + y3 -3 )/(1/3)*-x*(5 + (7*y/8 - (s/qrt54*x/2 + 28*sqrt(x**2)/2)**(143)) + y3 -3 )/x**2 + y + zD** - bb/x**8 + ccccccccccccccccccccccccccccccccsccccc+ cccccccccccccccan0ccccan5 + 5*a** - 5 + 5*a**4 + 10*a**3 + x**2 +  bb/an5 + 5*a** - 5 + 5*a**4 + 10*a* 5*a**4 + 10*a**3 + x**2 +  bb/an5 + 5*a** - 5 + 5*a**4 + 10*a**3 + x**3 + y + za** - bb - 5 + 0*a**(s/qrt54*x/2 + 28*sqrt(x**2)/3)**(143)) + y3 -3 )/(1/3)*-x*(5 + (7*y/8 - (s/qrt54*x/2 + 28*sqrt(x**2)/2)**(143)) + y3 -3 )/x**2 + y * zD** - bb/x**8 + ccccccccccccccccccccccccccccccccsccccc+ cccccccccccccccan0ccccan5 + 5*a** - 5 + 5*a**4 + 10*a**3 + x**2 +  bb/an5 + 5*a** - 5 + 5*a**4 + 10*a* 5*a**4 + 10 + y + za** - bb/an5 + 5*a** - 5 + 5*a**4 + 10*a**3 + x**2 + y + za** - bb/an5 +CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC + za**x**2 + y + z**a**3 + x**2 +  bb/an5 + 5*a** - 5 + 5*a**4 + 10*a**3 + x**a2 + 10** a*2** a*2----------------x**2 + y + za4 + 10*a**32 + y + za**  + 1- 04 ",
    ),
    // `cos(oo*H - D)`: both the sum and its negation `-(oo*H - D)` (a number does not distribute
    // over infinite terms) claimed a minus sign to pull out, and `cos` rewrote itself until the
    // stack overflowed (a SIGSEGV that libFuzzer could not report).
    (
        "canonical",
        "cew*xx- + (ap - bn)/(-s2* bp *q2-------lsh-----cos(pi/x +oo/---------------H---------D-----------+an)",
    ),
    ("parse", "cos(-D + oo*H) + sin(-D + oo*H) + cosh(D - oo*H) + tan(zoo*H - D)"),
    ("canonical", "(x/(z + (x/(z + 1)**(-5) + 6)**(-8 + 6)**(-81)**(-5) + 6)**(-8 + 6)**(-8))"),
];

/// Whether printed text holds a float literal (a `.`, or an exponent after a digit).
fn has_float_literal(printed: &str) -> bool {
    let b = printed.as_bytes();
    b.contains(&b'.') || b.windows(2).any(|w| w[0].is_ascii_digit() && (w[1] == b'e' || w[1] == b'E'))
}

/// Shared subexpressions are rebuilt once (an expanded result can share subtrees so deeply that
/// rebuilding it as a tree would take exponential time).
fn rebuild(e: &Expr) -> Expr {
    fn go(e: &Expr, memo: &mut std::collections::HashMap<Expr, Expr>) -> Expr {
        if let Some(r) = memo.get(e) {
            return r.clone();
        }
        let r = map_children::<std::convert::Infallible>(e, |c| Ok(go(c, memo))).unwrap_or_else(|n| match n {});
        memo.insert(e.clone(), r.clone());
        r
    }
    go(e, &mut std::collections::HashMap::new())
}

fn check(text: &str, parsed: Result<Expr, CoreError>) {
    match parsed {
        Ok(e) => {
            let printed = e.to_string();
            let back = match parse(&printed) {
                Ok(back) => back,
                // The reader's resource limits hold for printed text too.
                Err(CoreError::Limit { .. }) => return,
                Err(err) => panic!("{text:?} printed as {printed:?}: {err}"),
            };
            if has_float_literal(&printed) {
                let again = back.to_string();
                // Float arithmetic is not associative, so the law is the value (see fuzz/fuzz_targets/parse.rs).
                let back2 = parse(&again).unwrap();
                assert!(
                    back2 == back || same_value(&back2, &back),
                    "{text:?}: printed as {printed:?}, then as {again:?}"
                );
            } else {
                assert_eq!(back, e, "{text:?} printed as {printed:?}");
            }
            assert_eq!(rebuild(&e), e, "{text:?} not canonical");
            let _ = e.to_latex();
        }
        Err(CoreError::Parse { span: (start, end), .. }) => {
            assert!(start <= end && end <= text.len(), "{text:?}: span {start}..{end}");
        }
        Err(_) => {}
    }
}

#[test]
fn fuzz_findings_stay_fixed() {
    for (target, text) in FOUND {
        assert!(["parse", "canonical"].contains(target));
        check(text, parse(text));
        check(text, parse_equation(text));
        if *target == "canonical"
            && let Ok(e) = parse(text)
        {
            // The fuzz target's expansion limits: a result or a limit error, and a canonical result.
            let limits = sym_core::expand::ExpandLimits { max_terms: 2_000, max_products: 40_000 };
            if let Ok(x) = e.expand_with(limits) {
                assert_eq!(rebuild(&x), x, "{text:?}: expansion not canonical");
            }
            let d = e.diff(sym_core::Symbol::new("x"));
            assert_eq!(rebuild(&d), d, "{text:?}: derivative not canonical");
            assert_eq!(rebuild(&e.together()), e.together(), "{text:?}: together not canonical");
            let c = e.cancel_with(&sym_core::poly::Limits { max_terms: 2_000, max_degree: 4_096 });
            assert_eq!(rebuild(&c), c, "{text:?}: cancel not canonical");
            // Complex evaluation at the fuzz target's point returns (a value or an error).
            let mut env = ComplexEnv::new();
            env.insert(sym_core::Symbol::new("x"), Complex::with_val(64, (0.3, 0.1)));
            env.insert(sym_core::Symbol::new("y"), Complex::with_val(64, (0.7, 0.0)));
            let _ = eval_complex(&e, &env, 64);
        }
    }
}

#[test]
fn infinite_factors_of_a_product_become_one() {
    // Only the first infinite factor took the coefficient's sign: `oo*(-oo)*(-2)` kept two `-oo`.
    for (text, want) in [
        ("oo*(-oo)", "-oo"),
        ("oo*(-oo)*(-2)", "oo"),
        ("(-oo)*(-oo)*x", "oo*x"),
        ("-oo*x*(-oo)*y", "oo*x*y"),
        ("zoo*oo*x", "zoo*x"),
        ("oo*oo", "oo"),
    ] {
        let e = parse(text).unwrap();
        assert_eq!(e.to_string(), want, "{text}");
        assert_eq!(rebuild(&e), e, "{text}");
    }
}

#[test]
fn infinite_monomials_in_sums_absorb_coefficients() {
    for (text, want) in [
        ("x + 0.0", "x"),
        ("0.0*x + y", "y"),
        ("x*0.0", "0.0"),
        ("x + y + 0.0", "x + y"),
        ("12*(zoo*y) + x", "zoo*y + x"),
        ("oo*y + oo*y + x", "oo*y + x"),
        ("-3*(oo*y) + x", "(-oo)*y + x"),
        ("x - oo*y", "(-oo)*y + x"),
    ] {
        let e = parse(text).unwrap();
        assert_eq!(e.to_string(), want, "{text}");
        assert_eq!(rebuild(&e), e, "{text}");
        assert_eq!(parse(want).unwrap(), e, "{text}");
    }
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
