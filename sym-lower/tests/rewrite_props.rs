//! Property tests of the safer rewrites on graphs: [`safe_rewrites`] and [`optimize`] find every site, preserve
//! values up to the naive form's rounding error, and give values within a few ulps of MPFR (256 bits).
//!
//! A random graph computes operands `p` and `q` from the inputs (the inputs themselves, `sin` of them, or half of
//! them, so a site's operands are computed values too), then one naive site over them. Per lane, with `u` the
//! unit roundoff of the element kind (`eps/2`) and `exact` the MPFR value at the operands the graph computed:
//!
//! | site | rewritten | rewritten vs `exact` | naive vs `exact` |
//! |---|---|---|---|
//! | `log(1 + p)`, `log(p + 1)` | `log1p p` | `<= 2 ulp(exact)` | `<= 1.01 u + 2 ulp(exact)`: `fl(1 + p) = (1 + p)(1 + d)`, `|log(1 + d)| <= 1.01 u` |
//! | `log(1 - p)` | `log1p(-p)` | `<= 2 ulp(exact)` | the same |
//! | `exp(p) - 1` | `expm1 p` | `<= 2 ulp(exact)` | `<= 2 ulp(exp p) + ulp(exact)` |
//! | `sqrt(p*p + q*q)`, `sqrt(powi(p, 2) + q*q)` | `hypot(p, q)` | `<= 2 ulp(exact)` | `<= 3 u exact` where the squares neither overflow nor underflow |
//!
//! So the rewritten value differs from the naive one by at most the sum of the two bounds: the pass preserves
//! values up to the naive form's own error. Where `exact` is not finite (outside the domain, at a pole, on
//! overflow of the result) both forms give the same special value, except `hypot(inf, NaN) = inf` where the naive
//! form gives NaN (IEEE 754 and MPFR agree with the rewritten form). The executor runs the rewritten graphs and
//! agrees with the interpreter bit for bit.

use ndarray::Array1;
use proptest::prelude::*;
use rug::Float;
use sym_lower::passes::{optimize, safe_rewrites};
use sym_lower::{
    BinOp, Builder, Elem, Executor, Graph, Inst, Tensor, TensorRef, Type, UnOp, Value, interpret, verify::verify,
};

const PREC: u32 = 256;

/// The naive forms the pass rewrites.
#[derive(Copy, Clone, Debug)]
enum Site {
    LogOnePlus,
    LogPlusOne,
    LogOneMinus,
    ExpMinusOne,
    SqrtMulMul,
    SqrtPowiMul,
}

const SITES: [Site; 6] =
    [Site::LogOnePlus, Site::LogPlusOne, Site::LogOneMinus, Site::ExpMinusOne, Site::SqrtMulMul, Site::SqrtPowiMul];

/// How an operand is computed from its input.
#[derive(Copy, Clone, Debug)]
enum Operand {
    Input,
    Sin,
    Half,
}

fn operand(b: &mut Builder, elem: Elem, x: Value, how: Operand) -> Value {
    match how {
        Operand::Input => x,
        Operand::Sin => b.unary(UnOp::Sin, x).unwrap(),
        Operand::Half => {
            let h = b.constant(elem, 0.5).unwrap();
            b.mul(x, h).unwrap()
        }
    }
}

/// The graph: inputs `x`, `y`; outputs `p`, `q` (the operands) and `site` (the naive form over them).
fn site_graph(site: Site, elem: Elem, hp: Operand, hq: Operand) -> Graph {
    let mut b = Builder::new();
    let x = b.input("x", Type::batch(elem)).unwrap();
    let y = b.input("y", Type::batch(elem)).unwrap();
    let p = operand(&mut b, elem, x, hp);
    let q = operand(&mut b, elem, y, hq);
    let one = b.constant(elem, 1.0).unwrap();
    let v = match site {
        Site::LogOnePlus => {
            let s = b.add(one, p).unwrap();
            b.unary(UnOp::Log, s).unwrap()
        }
        Site::LogPlusOne => {
            let s = b.add(p, one).unwrap();
            b.unary(UnOp::Log, s).unwrap()
        }
        Site::LogOneMinus => {
            let s = b.sub(one, p).unwrap();
            b.unary(UnOp::Log, s).unwrap()
        }
        Site::ExpMinusOne => {
            let e = b.unary(UnOp::Exp, p).unwrap();
            b.sub(e, one).unwrap()
        }
        Site::SqrtMulMul | Site::SqrtPowiMul => {
            let p2 = if matches!(site, Site::SqrtMulMul) { b.mul(p, p).unwrap() } else { b.powi(p, 2).unwrap() };
            let q2 = b.mul(q, q).unwrap();
            let s = b.add(p2, q2).unwrap();
            b.unary(UnOp::Sqrt, s).unwrap()
        }
    };
    b.output("p", p).unwrap();
    b.output("q", q).unwrap();
    b.output("site", v).unwrap();
    b.finish().unwrap()
}

/// Whether the value of output `site` is computed by the rewritten op.
fn rewritten(g: &Graph, site: Site) -> bool {
    let v = g.outputs.iter().find(|o| o.name == "site").unwrap().value;
    match site {
        Site::LogOnePlus | Site::LogPlusOne | Site::LogOneMinus => matches!(g.inst(v), Inst::Unary(UnOp::Log1p, _)),
        Site::ExpMinusOne => matches!(g.inst(v), Inst::Unary(UnOp::Expm1, _)),
        Site::SqrtMulMul | Site::SqrtPowiMul => matches!(g.inst(v), Inst::Binary(BinOp::Hypot, ..)),
    }
}

/// The unit in the last place of `x` in the element kind.
fn ulp(x: f64, elem: Elem) -> f64 {
    if elem == Elem::F32 {
        #[allow(clippy::cast_possible_truncation)]
        let a = (x as f32).abs();
        if a < f32::MIN_POSITIVE {
            return f64::from(f32::from_bits(1));
        }
        return f64::from(f32::from_bits(a.to_bits() + 1) - a);
    }
    let a = x.abs();
    if a < f64::MIN_POSITIVE { f64::from_bits(1) } else { f64::from_bits(a.to_bits() + 1) - a }
}

fn unit_roundoff(elem: Elem) -> f64 {
    if elem == Elem::F32 { f64::from(f32::EPSILON) / 2.0 } else { f64::EPSILON / 2.0 }
}

/// The exact value of the site at the operands, rounded to f64 (MPFR has no infinities for poles: it gives them
/// as infinities or NaN, which the caller treats as "not finite").
fn exact(site: Site, p: f64, q: f64) -> f64 {
    let fp = Float::with_val(PREC, p);
    let e = match site {
        Site::LogOnePlus | Site::LogPlusOne => fp.ln_1p(),
        Site::LogOneMinus => (-fp).ln_1p(),
        Site::ExpMinusOne => fp.exp_m1(),
        Site::SqrtMulMul | Site::SqrtPowiMul => fp.hypot(&Float::with_val(PREC, q)),
    };
    e.to_f64()
}

/// The naive form's error bound at the point (see the module doc), `None` where it has none.
fn naive_bound(site: Site, elem: Elem, p: f64, q: f64, exact: f64) -> Option<f64> {
    let u = unit_roundoff(elem);
    match site {
        Site::LogOnePlus | Site::LogPlusOne | Site::LogOneMinus => Some(1.01 * u + 2.0 * ulp(exact, elem)),
        Site::ExpMinusOne => Some(2.0 * ulp(p.exp(), elem) + ulp(exact, elem)),
        Site::SqrtMulMul | Site::SqrtPowiMul => {
            // The squares and their sum stay normal and finite in the element kind.
            let (max, min_normal) = if elem == Elem::F32 {
                (f64::from(f32::MAX), f64::from(f32::MIN_POSITIVE))
            } else {
                (f64::MAX, f64::MIN_POSITIVE)
            };
            let ok = |t: f64| t == 0.0 || (t * t >= min_normal / u && t * t <= max / 4.0);
            (ok(p) && ok(q)).then_some(3.0 * u * exact)
        }
    }
}

fn tensors(elem: Elem, x: &[f64], y: &[f64]) -> Vec<Tensor> {
    let f = |v: &[f64]| match elem {
        #[allow(clippy::cast_possible_truncation)]
        Elem::F32 => Tensor::from(Array1::from_iter(v.iter().map(|&e| e as f32))),
        _ => Tensor::from(Array1::from_iter(v.iter().copied())),
    };
    vec![f(x), f(y)]
}

fn as_f64s(t: &Tensor) -> Vec<f64> {
    match t {
        Tensor::F64(a) => a.iter().copied().collect(),
        Tensor::F32(a) => a.iter().map(|&v| f64::from(v)).collect(),
        other => panic!("not a float tensor: {other:?}"),
    }
}

/// Runs `g` with the interpreter and the executor, checks that they agree bit for bit, and returns the outputs.
fn run(g: &Graph, ins: &[Tensor]) -> Result<Vec<Vec<f64>>, TestCaseError> {
    let views: Vec<TensorRef<'_>> = ins.iter().map(Tensor::view).collect();
    let slow = interpret(g, &views).unwrap();
    let fast = Executor::new(g).unwrap().run(&views).unwrap();
    let (slow, fast): (Vec<_>, Vec<_>) = (slow.iter().map(as_f64s).collect(), fast.iter().map(as_f64s).collect());
    for (s, f) in slow.iter().zip(&fast) {
        for (a, b) in s.iter().zip(f) {
            prop_assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "interpreter {a}, executor {b}");
        }
    }
    Ok(slow)
}

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => -0.999_f64..1.0,
        2 => -1e-10_f64..1e-10,
        1 => 1.0_f64..1e10,
        1 => -1e10_f64..-1.0,
        1 => -1e-300_f64..1e-300,
        1 => 1e150_f64..1e200,
        1 => Just(-1.0),
        1 => Just(0.0),
    ]
}

fn how() -> impl Strategy<Value = Operand> {
    prop_oneof![2 => Just(Operand::Input), 1 => Just(Operand::Sin), 1 => Just(Operand::Half)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn rewrites_preserve_values_and_are_accurate(
        site in proptest::sample::select(&SITES[..]),
        elem in prop_oneof![3 => Just(Elem::F64), 1 => Just(Elem::F32)],
        (hp, hq) in (how(), how()),
        pts in proptest::collection::vec((value(), value()), 1..12),
    ) {
        let g = site_graph(site, elem, hp, hq);
        let (xs, ys): (Vec<f64>, Vec<f64>) = pts.iter().copied().unzip();
        let ins = tensors(elem, &xs, &ys);
        let naive = run(&g, &ins)?;
        for (name, h) in [("safe_rewrites", safe_rewrites(&g).unwrap()), ("optimize", optimize(&g).unwrap())] {
            verify(&h).unwrap();
            prop_assert!(rewritten(&h, site), "{name} missed the site {site:?}:\n{h}");
            let new = run(&h, &ins)?;
            // The operands are untouched.
            prop_assert_eq!(&new[0].iter().map(|v| v.to_bits()).collect::<Vec<_>>(), &naive[0].iter().map(|v| v.to_bits()).collect::<Vec<_>>());
            for (k, (&p, &q)) in naive[0].iter().zip(&naive[1]).enumerate() {
                let (n, r) = (naive[2][k], new[2][k]);
                let ex = exact(site, p, q);
                let at = format!("{name}, {site:?} {elem:?} at p = {p:e}, q = {q:e}: naive {n:e}, rewritten {r:e}, exact {ex:e}");
                // The exact value in the element kind (f32 results overflow sooner).
                #[allow(clippy::cast_possible_truncation)]
                let ex_k = if elem == Elem::F32 { f64::from(ex as f32) } else { ex };
                if !ex_k.is_finite() {
                    // Outside the domain, at a pole or on overflow: the same special value.
                    prop_assert!(r.to_bits() == ex_k.to_bits() || (r.is_nan() && ex_k.is_nan()), "{at}");
                    let hypot_of_nan = matches!(site, Site::SqrtMulMul | Site::SqrtPowiMul) && (p.is_nan() || q.is_nan());
                    prop_assert!(n.to_bits() == r.to_bits() || (n.is_nan() && (r.is_nan() || hypot_of_nan)), "{at}");
                    continue;
                }
                prop_assert!((r - ex).abs() <= 2.0 * ulp(ex, elem), "{at}");
                if let Some(bound) = naive_bound(site, elem, p, q, ex) {
                    prop_assert!((n - ex).abs() <= bound, "{at}: naive bound {bound:e}");
                    prop_assert!((n - r).abs() <= bound + 2.0 * ulp(ex, elem), "{at}");
                }
            }
        }
    }
}
