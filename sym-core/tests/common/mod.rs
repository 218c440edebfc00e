//! Shared proptest strategies: random expressions over every function sym-core knows.

use proptest::prelude::*;
use sym_core::{Expr, Func};

/// A leaf: a symbol, a small integer or rational, or a constant.
pub fn leaf(symbols: &'static [&'static str]) -> impl Strategy<Value = Expr> {
    prop_oneof![
        4 => proptest::sample::select(symbols).prop_map(Expr::symbol),
        2 => (-5i64..=5).prop_map(Expr::int),
        1 => (-7i64..=7, 1i64..=5).prop_map(|(p, q)| Expr::rational(p, q)),
        1 => Just(Expr::pi()),
        1 => Just(Expr::e()),
    ]
}

/// A unary function application.
fn apply(f: Func, x: Expr) -> Expr {
    Expr::func(f, x)
}

/// Random expressions of bounded depth over `symbols`, using every function.
pub fn expr(symbols: &'static [&'static str], depth: u32) -> impl Strategy<Value = Expr> {
    leaf(symbols).prop_recursive(depth, 48, 3, move |inner| {
        prop_oneof![
            3 => (inner.clone(), inner.clone()).prop_map(|(a, b)| a + b),
            3 => (inner.clone(), inner.clone()).prop_map(|(a, b)| a * b),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| a - b),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| a / b),
            2 => (inner.clone(), -3i64..=4).prop_map(|(a, n)| Expr::pow(a, Expr::int(n))),
            1 => (inner.clone(), prop_oneof![Just((1i64, 2i64)), Just((1, 3)), Just((-1, 2)), Just((3, 2))])
                .prop_map(|(a, (p, q))| Expr::pow(a, Expr::rational(p, q))),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| Expr::pow(a, b)),
            4 => (proptest::sample::select(&Func::ALL[..]), inner.clone()).prop_map(|(f, a)| apply(f, a)),
        ]
    })
}

/// Random polynomial-like expressions (sums, products, integer powers) for ring-law tests.
#[allow(dead_code)] // Used by some of the test binaries that include this module.
pub fn poly_expr(symbols: &'static [&'static str], depth: u32) -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        3 => proptest::sample::select(symbols).prop_map(Expr::symbol),
        2 => (-5i64..=5).prop_map(Expr::int),
        1 => (-7i64..=7, 1i64..=5).prop_map(|(p, q)| Expr::rational(p, q)),
        1 => Just(Expr::sqrt(Expr::int(2))),
    ];
    leaf.prop_recursive(depth, 32, 3, |inner| {
        prop_oneof![
            3 => (inner.clone(), inner.clone()).prop_map(|(a, b)| a + b),
            3 => (inner.clone(), inner.clone()).prop_map(|(a, b)| a * b),
            1 => (inner.clone(), inner.clone()).prop_map(|(a, b)| a - b),
            1 => (inner.clone(), 0i64..=3).prop_map(|(a, n)| Expr::pow(a, Expr::int(n))),
        ]
    })
}
