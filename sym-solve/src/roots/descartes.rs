//! Real root isolation by Descartes' rule of signs with bisection (the Vincent–Collins–Akritas
//! method in the form of Collins and Akritas, "Polynomial real root isolation using Descartes'
//! rule of signs", SYMSAC 1976; see also Eigenwillig, *Real root isolation for exact and
//! approximate polynomials using Descartes' rule of signs*, PhD thesis, 2008).
//!
//! # The method
//!
//! For a square-free `f` in `Z[x]` with `f(0) != 0`, every positive root is below `2^b`, where
//! Fujiwara's bound `|z| <= 2 max_k |a_(n-k) / a_n|^(1/k)` is evaluated on bit lengths
//! (see [`root_bound_exp`]). The interval `(0, 2^b)` is mapped to `(0, 1)` by
//! `g(x) = f(2^b x)` (scaled to integers). For a polynomial `g` whose roots in `(0, 1)` are
//! wanted, the Möbius transform `T g(x) = (x + 1)^n g(1 / (x + 1))` maps `(0, 1)` onto
//! `(0, infinity)`, so the number `V` of sign variations of its coefficients bounds the number of
//! roots of `g` in `(0, 1)` and has the same parity; by the one- and two-circle theorems
//! (Ostrowski 1950; Krandick and Mehlhorn 2006) `V = 0` or `V = 1` is reached after finitely
//! many bisections for square-free input. `V = 0` discards an interval, `V = 1` reports it as
//! isolating, `V >= 2` bisects: the halves of `(0, 1)` are represented by
//! `g_l(x) = 2^n g(x / 2)` and `g_r(x) = g_l(x + 1)`, both with integer coefficients. A root at
//! the midpoint shows as `g_r(0) = 0`; it is reported as an exact point and divided out of
//! `g_r`.
//!
//! All arithmetic is exact (GMP integers); common powers of two are removed from each node's
//! coefficients. The transform `T g` is a reversal followed by a Taylor shift by one, computed
//! by the `O(n^2)` addition scheme that finalises coefficient `i` in pass `i`, so the variation
//! count stops as soon as two variations are seen.

use rug::{Integer, Rational};

/// A root found by the isolation: an exact point or an open isolating interval.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Isolated {
    /// A root at exactly this dyadic rational.
    Exact(Rational),
    /// Exactly one root in the open interval `(lo, hi)`, with dyadic endpoints, `lo < hi`.
    Interval(Rational, Rational),
}

/// The least `b` such that every complex root of `c` (with `c_n != 0`) has absolute value
/// below `2^b`: with `|a_(n-k)| < 2^(bits a_(n-k))` and `|a_n| >= 2^(bits a_n - 1)`, Fujiwara's
/// bound is below `2^(1 + max_k ceil((bits a_(n-k) - bits a_n + 1) / k))`.
pub(crate) fn root_bound_exp(c: &[Integer]) -> i64 {
    let n = c.len() - 1;
    let ln = i64::from(c[n].significant_bits());
    let mut best = i64::MIN;
    for k in 1..=n {
        let a = &c[n - k];
        if a.is_zero() {
            continue;
        }
        let num = i64::from(a.significant_bits()) - ln + 1;
        let k = k as i64;
        let q = num.div_euclid(k) + i64::from(num.rem_euclid(k) != 0);
        best = best.max(q);
    }
    if best == i64::MIN {
        // Only the leading term: every root is zero.
        return 0;
    }
    best + 1
}

/// Sign variations of the coefficients of `(x + 1)^n g(1 / (x + 1))`, capped at 2.
fn descartes_test(g: &[Integer], buf: &mut Vec<Integer>) -> u32 {
    buf.clear();
    buf.extend(g.iter().rev().cloned());
    let n = buf.len() - 1;
    let mut count = 0;
    let mut last = 0;
    let mut see = |v: &Integer, count: &mut u32| {
        let s = v.cmp0() as i32;
        if s != 0 {
            if last != 0 && s != last {
                *count += 1;
            }
            last = s;
        }
    };
    for i in 0..n {
        for j in (i..n).rev() {
            let (lo, hi) = buf.split_at_mut(j + 1);
            lo[j] += &hi[0];
        }
        see(&buf[i], &mut count);
        if count >= 2 {
            return 2;
        }
    }
    see(&buf[n], &mut count);
    count.min(2)
}

/// Divides all coefficients by their largest common power of two.
fn remove_two_power(g: &mut [Integer]) {
    let t = g.iter().filter_map(|a| a.find_one(0)).min().unwrap_or(0);
    if t > 0 {
        for a in g.iter_mut() {
            *a >>= t;
        }
    }
}

/// The Taylor shift `g(x + 1)` in place.
fn taylor_shift_one(g: &mut [Integer]) {
    let n = g.len() - 1;
    for i in 0..n {
        for j in (i..n).rev() {
            let (lo, hi) = g.split_at_mut(j + 1);
            lo[j] += &hi[0];
        }
    }
}

/// The roots of the square-free `c` (`c(0) != 0`) in `(0, infinity)`, ascending.
pub(crate) fn isolate_positive(c: &[Integer]) -> Vec<Isolated> {
    let n = c.len() - 1;
    if n == 0 {
        return Vec::new();
    }
    let b = root_bound_exp(c);
    // g0(x) = 2^(max(0, -b) n) f(2^b x), an integer polynomial with the roots of f in (0, 2^b)
    // mapped to (0, 1).
    let g0: Vec<Integer> = c
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let s = if b >= 0 { b * i as i64 } else { -b * (n - i) as i64 };
            Integer::from(a << u32::try_from(s).expect("shift fits"))
        })
        .collect();
    let endpoint = |num: &Integer, k: u32| -> Rational {
        // num * 2^(b - k)
        let e = b - i64::from(k);
        let e32 = i32::try_from(e).expect("binary exponents fit in i32");
        Rational::from(num) << e32
    };
    let mut out = Vec::new();
    let mut buf = Vec::new();
    // Nodes: (c, k, g) for the interval (c 2^(b-k), (c+1) 2^(b-k)).
    let mut stack: Vec<(Integer, u32, Vec<Integer>)> = vec![(Integer::new(), 0, g0)];
    while let Some((cn, k, mut g)) = stack.pop() {
        if g.len() <= 1 {
            continue;
        }
        match descartes_test(&g, &mut buf) {
            0 => {}
            1 => {
                let lo = endpoint(&cn, k);
                let hi = endpoint(&Integer::from(&cn + 1), k);
                out.push(Isolated::Interval(lo, hi));
            }
            _ => {
                let m = g.len() - 1;
                for (i, a) in g.iter_mut().enumerate() {
                    *a <<= u32::try_from(m - i).expect("degree fits in u32");
                }
                remove_two_power(&mut g);
                let mut gr = g.clone();
                taylor_shift_one(&mut gr);
                let c2 = Integer::from(&cn << 1);
                let c2p1 = Integer::from(&c2 + 1);
                if gr[0].is_zero() {
                    out.push(Isolated::Exact(endpoint(&c2p1, k + 1)));
                    gr.remove(0);
                }
                // Right half pushed first so that the left half is processed first.
                stack.push((c2p1, k + 1, gr));
                stack.push((c2, k + 1, g));
            }
        }
    }
    out.sort_by(|a, b| key(a).cmp(key(b)));
    out
}

/// The sort key of an isolated root: its lower end (intervals and points are disjoint).
fn key(r: &Isolated) -> &Rational {
    match r {
        Isolated::Exact(q) => q,
        Isolated::Interval(lo, _) => lo,
    }
}

/// The roots of the square-free `c` (`c(0) != 0`) on the whole real line, ascending.
pub(crate) fn isolate_real(c: &[Integer]) -> Vec<Isolated> {
    let neg: Vec<Integer> =
        c.iter().enumerate().map(|(i, a)| if i % 2 == 1 { Integer::from(-a) } else { a.clone() }).collect();
    let mut out: Vec<Isolated> = isolate_positive(&neg)
        .into_iter()
        .rev()
        .map(|r| match r {
            Isolated::Exact(q) => Isolated::Exact(-q),
            Isolated::Interval(lo, hi) => Isolated::Interval(-hi, -lo),
        })
        .collect();
    out.extend(isolate_positive(c));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &[i64]) -> Vec<Integer> {
        v.iter().map(|&x| Integer::from(x)).collect()
    }

    #[test]
    fn bound_covers_roots() {
        // x^2 - 4: roots +-2, bound must exceed 2.
        assert!(root_bound_exp(&ints(&[-4, 0, 1])) >= 2);
        // 1000 x - 1: root 1/1000.
        let b = root_bound_exp(&ints(&[-1, 1000]));
        assert!(b <= 0);
    }

    #[test]
    fn isolates_small_cases() {
        // (x - 1)(x + 2)(2x - 1) = 2x^3 + x^2 - 5x + 2
        let r = isolate_real(&ints(&[2, -5, 1, 2]));
        assert_eq!(r.len(), 3);
        // x^2 - 2
        let r = isolate_real(&ints(&[-2, 0, 1]));
        assert_eq!(r.len(), 2);
        for iso in &r {
            if let Isolated::Interval(lo, hi) = iso {
                let lo2 = Rational::from(lo * lo);
                let hi2 = Rational::from(hi * hi);
                assert!((lo2 < 2 && hi2 > 2) || (lo2 > 2 && hi2 < 2));
            } else {
                panic!("sqrt(2) is irrational");
            }
        }
        // x^2 + 1: none.
        assert!(isolate_real(&ints(&[1, 0, 1])).is_empty());
    }
}
