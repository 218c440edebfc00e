//! Zassenhaus recombination: true factors over `Z` from the lifted modular factors.
//!
//! With `f` primitive and square-free, `b = lc(f)` and the monic lifted factors `G_1..G_r`
//! modulo `M > 2 |b| 2^n ||f||_2` (Mignotte's bound times `|b|`, so that `b g / lc(g)` of every
//! true factor `g` lies in the symmetric range), subsets `S` of growing size `s` are tried:
//! `g* = b prod_{i in S} G_i mods M` is a true factor's multiple exactly when `pp(g*)` divides `f`
//! (von zur Gathen and Gerhard, *Modern Computer Algebra*, Algorithm 15.19). Two cheap tests
//! prune subsets before the product is formed:
//!
//! * **degrees**: the degree of a factor must be a subset sum of the factor degrees modulo every
//!   prime tried (`allowed`);
//! * **trailing coefficient**: `g*(0)` must divide `b f(0)`.
//!
//! Found factors are removed with their modular factors and the search continues; the last
//! cofactor is irreducible once no subset of at most half the remaining factors works.

use super::hensel::reduce_symmetric;
use crate::poly::ring::{Int, IntegerRing};
use crate::poly::upoly::UPoly;
use rug::Integer;
use rug::ops::RemRounding;

/// The next `k`-subset of `0..n` in lexicographic order, in place; `false` after the last.
fn next_combination(c: &mut [usize], n: usize) -> bool {
    let k = c.len();
    let mut i = k;
    while i > 0 {
        i -= 1;
        if c[i] < n - k + i {
            c[i] += 1;
            for j in i + 1..k {
                c[j] = c[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

/// The irreducible factors (primitive, positive leading coefficient) of a primitive square-free
/// `f` with positive leading coefficient, from its monic lifted factors modulo `m`.
pub(crate) fn recombine(
    f: &UPoly<IntegerRing>,
    lifted: Vec<UPoly<IntegerRing>>,
    m: &Integer,
    allowed: &[bool],
) -> Vec<UPoly<IntegerRing>> {
    let mut rest = f.clone();
    let mut pool = lifted;
    let mut found = Vec::new();
    let mut s = 1;
    while 2 * s <= pool.len() {
        let mut hit: Option<(Vec<usize>, UPoly<IntegerRing>, UPoly<IntegerRing>)> = None;
        let n = pool.len();
        let b = rest.lc().to_integer();
        let trailing = &b * rest.coeff(0).to_integer();
        let mut comb: Vec<usize> = (0..s).collect();
        loop {
            let deg: usize = comb.iter().map(|&i| pool[i].deg() as usize).sum();
            if allowed.get(deg).copied().unwrap_or(false) {
                // Trailing-coefficient test on b * prod G_i(0) mods m.
                let mut t0 = b.clone();
                for &i in &comb {
                    t0 *= pool[i].coeff(0).to_integer();
                    t0 = t0.rem_euc(m);
                }
                let t0 = crate::poly::upoly::symmetric_mod(&t0, m);
                if !t0.is_zero() && trailing.is_divisible(&t0) {
                    let mut g = UPoly::constant(IntegerRing, Int::from(&b));
                    for &i in &comb {
                        g = reduce_symmetric(&g.mul(&pool[i]), m);
                    }
                    let g = g.primitive_part();
                    if let Ok(Some(q)) = rest.divides_by(&g) {
                        hit = Some((comb.clone(), g, q));
                        break;
                    }
                }
            }
            if !next_combination(&mut comb, n) {
                break;
            }
        }
        match hit {
            Some((comb, g, q)) => {
                found.push(g);
                rest = q.primitive_part();
                let mut i = 0;
                pool.retain(|_| {
                    let keep = !comb.contains(&i);
                    i += 1;
                    keep
                });
            }
            None => s += 1,
        }
    }
    if rest.deg() > 0 {
        found.push(rest);
    }
    found
}
