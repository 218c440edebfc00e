//! Benchmark of certified root finding (issue 3): all complex roots of random integer
//! polynomials of degree 20, 50, 100 and 200 (coefficients uniform in [-100, 100], fixed seed)
//! to 1e-15 relative accuracy with certified inclusion radii.
//!
//! External references measured on this machine (not run here): FLINT/Arb
//! (`arb_fmpz_poly_complex_roots`, certified) 1.4 / 10.6 / 27 / 119 ms; `numpy.roots`
//! (companion eigenvalues, not certified) 0.1 / 0.37 / 2.6 / 41 ms.
//!
//! The in-process `reference` of each group is the uncertified classical method: the eigenvalues
//! of the companion matrix in `f64` (nalgebra's real Schur decomposition), what `numpy.roots`
//! does. After the criterion groups, a table of medians (51 runs each) and the ratio
//! `sym / reference` is printed.

use criterion::{Criterion, criterion_group, criterion_main};
use nalgebra::DMatrix;
use std::hint::black_box;
use std::time::Instant;
use sym_core::poly::{IntegerRing, UPoly, Z};
use sym_solve::roots::complex_roots;

/// SplitMix64 (Steele, Lea and Flood 2014): a fixed-seed generator with no dependencies.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[-100, 100]`.
    fn coeff(&mut self) -> i64 {
        (self.next() % 201) as i64 - 100
    }
}

/// A random polynomial of degree `n` with coefficients in `[-100, 100]` (nonzero leading one).
fn random_poly(n: usize, seed: u64) -> UPoly<IntegerRing> {
    let mut g = SplitMix(seed);
    let mut c: Vec<i64> = (0..=n).map(|_| g.coeff()).collect();
    while c[n] == 0 {
        c[n] = g.coeff();
    }
    UPoly::from_i64s(Z, &c)
}

/// The roots as eigenvalues of the companion matrix (uncertified reference).
fn companion_roots(p: &UPoly<IntegerRing>) -> Vec<(f64, f64)> {
    let c = p.coeffs();
    let n = c.len() - 1;
    let an = c[n].to_f64();
    let mut m = DMatrix::<f64>::zeros(n, n);
    for i in 1..n {
        m[(i, i - 1)] = 1.0;
    }
    for i in 0..n {
        m[(i, n - 1)] = -c[i].to_f64() / an;
    }
    m.complex_eigenvalues().iter().map(|z| (z.re, z.im)).collect()
}

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[runs / 2]
}

const DEGREES: [usize; 4] = [20, 50, 100, 200];
const DIGITS: u32 = 15;

fn benches(c: &mut Criterion) {
    for n in DEGREES {
        let p = random_poly(n, 0x5eed + n as u64);
        // Sanity: every root certified to the requested accuracy.
        let roots = complex_roots(&p, DIGITS).expect("certified");
        assert_eq!(roots.iter().map(|r| r.multiplicity()).sum::<usize>(), n);
        assert!(roots.iter().all(|r| r.meets_digits(DIGITS)));
        let mut g = c.benchmark_group(format!("roots_deg{n}"));
        g.sample_size(if n >= 100 { 20 } else { 50 });
        g.bench_function("sym", |b| b.iter(|| complex_roots(black_box(&p), DIGITS).unwrap()));
        g.bench_function("reference", |b| b.iter(|| companion_roots(black_box(&p))));
        g.finish();
    }
    println!();
    println!("{:<10} {:>12} {:>12} {:>8}   (FLINT/Arb ms)", "degree", "sym ms", "ref ms", "ratio");
    let flint = [1.4, 10.6, 27.0, 119.0];
    for (n, fl) in DEGREES.into_iter().zip(flint) {
        let p = random_poly(n, 0x5eed + n as u64);
        let s = median_ms(51, || {
            black_box(complex_roots(&p, DIGITS).unwrap());
        });
        let r = median_ms(51, || {
            black_box(companion_roots(&p));
        });
        println!("{n:<10} {s:>12.3} {r:>12.3} {:>8.2}   ({fl})", s / r);
    }
}

criterion_group!(roots_benches, benches);
criterion_main!(roots_benches);
