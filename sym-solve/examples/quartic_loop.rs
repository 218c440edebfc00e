//! Solves the general quartic `a*x**4 + b*x**3 + c*x**2 + d*x + e` N times (N from the first
//! argument, default 100).
//!
//! - For instruction counts under callgrind: the difference between two values of N divided by
//!   their difference is the cost of one solve, without the setup.
//! - With `--time` as the second argument: the best of 5 rounds of N solves, in µs per solve
//!   (`benches/quartic_vs_symengine.py` alternates this with SymEngine's solve, so that both are
//!   timed in the same state of a noisy machine).

use sym_core::{Symbol, parse};
use sym_solve::{SolveOptions, solve_one};

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(100);
    let timed = std::env::args().nth(2).is_some_and(|s| s == "--time");
    let general = parse("a*x**4 + b*x**3 + c*x**2 + d*x + e").expect("the quartic parses");
    let x = Symbol::new("x");
    let opts = SolveOptions::default();
    let mut branches = 0;
    let mut best = f64::INFINITY;
    for _ in 0..if timed { 5 } else { 1 } {
        let t = std::time::Instant::now();
        for _ in 0..n {
            let set = solve_one(std::hint::black_box(&general), x, &opts).expect("the quartic solves");
            branches += set.branches.len();
        }
        best = best.min(t.elapsed().as_secs_f64() / n as f64);
    }
    if timed {
        println!("best {:.1} us per solve", best * 1e6);
    } else {
        println!("{n} solves, {branches} branches");
    }
}
