//! Certified real roots of an equation in one unknown on a bounded interval, by interval arithmetic.
//!
//! For `g(x) = 0` on `X0 = [a, b]` the interval is cut into boxes, each of which ends in one of three states:
//!
//! * **excluded**: the enclosure `G(X)` ([`crate::interval_eval`]) does not contain `0`, or `g` is defined
//!   nowhere on `X`, so `X` holds no root;
//! * **certified**: `g` is continuously differentiable on `X` (both `g` and `g'` evaluate with the `total`
//!   decoration), `0` is not in `G'(X)`, and the interval Newton image `N(X) = m - G(m) / G'(X)` (`m` the
//!   midpoint) lies in the interior of `X`. Then `X` holds exactly one root, and it lies in `N(X)`
//!   (Moore's theorem; Neumaier, *Interval Methods for Systems of Equations*, 1990, theorem 5.1.7: by the mean
//!   value theorem every root `r` of `X` satisfies `r = m - g(m)/g'(xi)` with `xi` in `X`, so roots lie in
//!   `N(X)`; `g` is strictly monotone on `X` since `g'` has no zero there, so there is at most one; and
//!   `N(X)` in the interior of `X` gives one by Brouwer's fixed point theorem applied to the Newton operator).
//!   The root is then refined by iterating `X <- N(X) ∩ X`, which keeps it and converges quadratically;
//! * **undecided**: neither test succeeded before the box became narrower than `2^-60` relative to its
//!   magnitude (a multiple root, a root exactly at a cut, a zero of `g'` at a root), or the box budget ran out.
//!
//! A box that is neither excluded nor certified is replaced by `N(X) ∩ X` when that is markedly smaller
//! (roots cannot leave it) and otherwise cut in two, slightly off centre so that simple numbers (`0`, `1/2`)
//! are not cut points. The set of roots in `X0` is complete when no box is undecided.

use crate::interval::Iv;
use crate::interval_eval::{Enclosure, Unsupported, enclose};
use rug::Float;
use sym_core::{Expr, Symbol};

/// The most boxes one isolation examines.
pub const MAX_BOXES: usize = 20_000;
/// Boxes narrower than `2^-MIN_WIDTH_BITS` times their magnitude are not cut further.
const MIN_WIDTH_BITS: i32 = 60;
/// The most Newton steps of one refinement.
const MAX_REFINE: usize = 200;

/// The roots of `g` in a bounded interval.
#[derive(Clone, Debug)]
pub struct Isolation {
    /// Disjoint enclosures, ascending, each containing exactly one root of `g` (a simple one).
    pub roots: Vec<Iv>,
    /// Boxes that may hold roots not listed (multiple roots, roots at a cut, or boxes left over at the limit).
    pub undecided: Vec<Iv>,
    /// Whether the box budget [`MAX_BOXES`] ran out.
    pub limit_hit: bool,
}

impl Isolation {
    /// Whether every root of `g` in the interval is listed.
    pub fn complete(&self) -> bool {
        self.undecided.is_empty() && !self.limit_hit
    }
}

/// The derivative of `g` in `x`, evaluated with [`enclose`].
struct Problem<'a> {
    g: &'a Expr,
    dg: Expr,
    x: Symbol,
}

/// What the Newton test says about a box.
enum Newton {
    /// Exactly one root, in the enclosure.
    Unique(Iv),
    /// No root.
    None,
    /// Roots, if any, lie in the (smaller) box.
    Shrunk(Iv),
    /// No conclusion.
    Unknown,
}

impl Problem<'_> {
    fn range(&self, e: &Expr, xv: &Iv) -> Result<Enclosure, Unsupported> {
        enclose(e, self.x, xv)
    }

    /// The interval Newton test on `xv`.
    fn newton(&self, xv: &Iv) -> Result<Newton, Unsupported> {
        let Enclosure::Range { range: d, total: true } = self.range(&self.dg, xv)? else { return Ok(Newton::Unknown) };
        if d.contains_zero() {
            return Ok(Newton::Unknown);
        }
        let m = xv.mid();
        let Enclosure::Range { range: gm, total: true } = self.range(self.g, &Iv::point(m.clone()))? else {
            return Ok(Newton::Unknown);
        };
        let n = Iv::point(m).sub(&gm.mul(&d.recip()));
        if n.interior_of(xv) {
            return Ok(Newton::Unique(n));
        }
        Ok(match n.intersect(xv) {
            None => Newton::None,
            Some(y) => {
                let (wy, wx) = (y.width(), xv.width());
                if wy < Float::with_val(wx.prec(), &wx * 0.75f64) { Newton::Shrunk(y) } else { Newton::Unknown }
            }
        })
    }

    /// Narrows the enclosure of a certified root by Newton steps until its width is at most `tol` times its
    /// magnitude (or it stops shrinking).
    fn refine(&self, mut xv: Iv, tol_bits: u32) -> Result<Iv, Unsupported> {
        for _ in 0..MAX_REFINE {
            if narrow(&xv, tol_bits as i32) {
                break;
            }
            let Enclosure::Range { range: d, total: true } = self.range(&self.dg, &xv)? else { break };
            if d.contains_zero() {
                break;
            }
            let m = xv.mid();
            let Enclosure::Range { range: gm, total: true } = self.range(self.g, &Iv::point(m.clone()))? else {
                break;
            };
            let n = Iv::point(m).sub(&gm.mul(&d.recip()));
            let Some(y) = n.intersect(&xv) else { break };
            let before = xv.width();
            let shrunk = y.width() < before;
            xv = y;
            if !shrunk {
                break;
            }
        }
        Ok(xv)
    }
}

/// Whether `xv` is narrower than `2^-bits` times `max(1, |mid|)`.
fn narrow(xv: &Iv, bits: i32) -> bool {
    let p = xv.prec();
    let scale = Float::with_val(p, xv.mid().abs()).max(&Float::with_val(p, 1));
    xv.width() <= Float::with_val(p, scale >> bits)
}

/// A cut point of `xv` a little left of the middle (`63/128` of the way).
fn cut(xv: &Iv) -> Float {
    let p = xv.prec();
    let w = Float::with_val(p + 8, &xv.hi - &xv.lo);
    let c = Float::with_val(p, &xv.lo + Float::with_val(p + 8, w * 63u32) / 128u32);
    if c <= xv.lo || c >= xv.hi { xv.mid() } else { c }
}

/// Isolates the real roots of `g(x) = 0` in `xv` (bounded), refining each to `tol_bits` bits relative to its
/// magnitude. Works at the precision of `xv`'s ends.
///
/// # Errors
/// [`Unsupported`] when `g` or its derivative has a construct that interval evaluation does not enclose.
pub fn isolate(g: &Expr, x: Symbol, xv: &Iv, tol_bits: u32) -> Result<Isolation, Unsupported> {
    let prob = Problem { g, dg: g.diff(x), x };
    let mut out = Isolation { roots: Vec::new(), undecided: Vec::new(), limit_hit: false };
    // Breadth first: when the box budget runs out in a region the enclosures cannot resolve (nearly cancelling
    // terms), the roots elsewhere, found at shallow depths, are already isolated.
    let mut work = std::collections::VecDeque::from([xv.clone()]);
    let mut boxes = 0usize;
    while let Some(b) = work.pop_front() {
        boxes += 1;
        if boxes > MAX_BOXES {
            out.limit_hit = true;
            out.undecided.push(b);
            out.undecided.extend(work.drain(..));
            break;
        }
        match prob.range(g, &b)? {
            Enclosure::Empty => continue,
            Enclosure::Range { range, .. } if !range.contains_zero() => continue,
            Enclosure::Range { total, .. } => {
                if total {
                    match prob.newton(&b)? {
                        Newton::Unique(n) => {
                            out.roots.push(prob.refine(n, tol_bits)?);
                            continue;
                        }
                        Newton::None => continue,
                        Newton::Shrunk(y) => {
                            work.push_back(y);
                            continue;
                        }
                        Newton::Unknown => {}
                    }
                }
            }
        }
        if narrow(&b, MIN_WIDTH_BITS) {
            out.undecided.push(b);
            continue;
        }
        let c = cut(&b);
        work.push_back(Iv::new(b.lo.clone(), c.clone()));
        work.push_back(Iv::new(c, b.hi));
    }
    out.roots.sort_by(|a, b| a.lo.partial_cmp(&b.lo).unwrap_or(std::cmp::Ordering::Equal));
    out.undecided.sort_by(|a, b| a.lo.partial_cmp(&b.lo).unwrap_or(std::cmp::Ordering::Equal));
    merge_adjacent(&mut out.undecided);
    Ok(out)
}

/// Joins undecided boxes that touch (a cluster near a multiple root is reported once).
fn merge_adjacent(v: &mut Vec<Iv>) {
    let mut out: Vec<Iv> = Vec::with_capacity(v.len());
    for b in v.drain(..) {
        match out.last_mut() {
            Some(last) if last.hi >= b.lo => *last = last.hull(&b),
            _ => out.push(b),
        }
    }
    *v = out;
}

/// The midpoint and the radius (rounded up) of an enclosure: every member lies within the radius of the
/// midpoint.
pub fn mid_rad(xv: &Iv) -> (Float, Float) {
    let p = xv.prec();
    let m = xv.mid();
    let r1 = Float::with_val_round(p, &xv.hi - &m, rug::float::Round::Up).0;
    let r2 = Float::with_val_round(p, &m - &xv.lo, rug::float::Round::Up).0;
    (m, r1.max(&r2))
}

/// The search interval used when the caller gives none (or an infinite end): `[-DEFAULT_BOUND, DEFAULT_BOUND]`.
pub const DEFAULT_BOUND: i64 = 100;

/// Certified roots of an equation `f = 0` (not of an auxiliary function).
#[derive(Clone, Debug)]
pub struct EquationRoots {
    /// Enclosures of the roots, ascending, each with exactly one root of `f`.
    pub roots: Vec<Iv>,
    /// Whether every root of `f` in the searched interval is listed.
    pub complete: bool,
    /// Whether the searched interval is the caller's whole interval (no default bound replaced an infinite end
    /// or a missing interval).
    pub whole_interval: bool,
    /// The interval searched, for notes.
    pub searched: (Float, Float),
}

/// `tan`, `cot`, `sec`, `csc`, `tanh`, `coth` written as quotients, so that their poles become zeros of a
/// denominator and the numerator is continuous through them.
fn quotient_form(e: &Expr) -> Expr {
    use sym_core::{Func, Kind};
    let e = sym_core::expr::map_children::<std::convert::Infallible>(e, |c| Ok(quotient_form(c)))
        .unwrap_or_else(|n| match n {});
    let Kind::Func(f, args) = e.kind() else { return e };
    if args.len() != 1 {
        return e;
    }
    let u = args[0].clone();
    let (sin, cos) = (Expr::func(Func::Sin, u.clone()), Expr::func(Func::Cos, u.clone()));
    let (sinh, cosh) = (Expr::func(Func::Sinh, u.clone()), Expr::func(Func::Cosh, u));
    match f {
        Func::Tan => sin / cos,
        Func::Cot => cos / sin,
        Func::Sec => Expr::recip(cos),
        Func::Csc => Expr::recip(sin),
        Func::Tanh => sinh / cosh,
        Func::Coth => cosh / sinh,
        _ => e,
    }
}

/// The real roots of `f = 0` (no symbol but `x`) in `interval` (or in the default interval), certified: `f` is
/// written `n/d` over a common denominator (with the pole-carrying functions as quotients), the roots of `n`
/// are isolated ([`isolate`]) on the interval widened by a little (so that a root at an end is inside a box),
/// and each is kept when `d` does not vanish on its enclosure (else it is a pole, or undecided) and the
/// enclosure lies inside the interval (one that straddles an end is undecided). `digits` is the number of
/// correct significant digits asked of each root.
///
/// # Errors
/// [`Unsupported`] when interval evaluation cannot enclose `f`.
pub fn equation_roots(
    f: &Expr,
    x: Symbol,
    interval: Option<&crate::Interval>,
    digits: u32,
) -> Result<EquationRoots, Unsupported> {
    let tol_bits = (f64::from(digits) * std::f64::consts::LOG2_10).ceil() as u32 + 8;
    let prec = tol_bits + 64;
    let end = |e: &Expr, default: i64| -> Result<(Float, bool), Unsupported> {
        match e.kind() {
            sym_core::Kind::Const(sym_core::Constant::Infinity | sym_core::Constant::NegInfinity) => {
                Ok((Float::with_val(prec, default), false))
            }
            _ => {
                let z = crate::numeric::eval_at(e, &crate::numeric::Point::new(), prec + 32)
                    .map_err(|_| Unsupported(format!("the interval end {e}")))?;
                Ok((Float::with_val(prec, z.real()), true))
            }
        }
    };
    let (lo, hi, lo_open, hi_open, whole) = match interval {
        Some(iv) => {
            let (lo, lf) = end(&iv.lo, -DEFAULT_BOUND)?;
            let (hi, hf) = end(&iv.hi, DEFAULT_BOUND)?;
            (lo, hi, iv.lo_open, iv.hi_open, lf && hf)
        }
        None => (Float::with_val(prec, -DEFAULT_BOUND), Float::with_val(prec, DEFAULT_BOUND), false, false, false),
    };
    if lo > hi {
        return Ok(EquationRoots { roots: Vec::new(), complete: true, whole_interval: whole, searched: (lo, hi) });
    }
    let (n, d) = quotient_form(f).as_numer_denom();
    let n = n.expand().unwrap_or(n);
    let pad = {
        let w = Float::with_val(prec, &hi - &lo).max(&Float::with_val(prec, 1));
        Float::with_val(prec, w >> 12)
    };
    // The widening never crosses zero: there non-integer powers stop being real, and boxes of such sums of
    // non-real terms cannot be excluded (their imaginary parts might cancel), which would spend the box budget.
    let mut wlo = Float::with_val(prec, &lo - &pad);
    if lo > 0 {
        wlo = wlo.max(&Float::with_val(prec, &lo / 2u32));
    }
    let mut whi = Float::with_val(prec, &hi + &pad);
    if hi < 0 {
        whi = whi.min(&Float::with_val(prec, &hi / 2u32));
    }
    let wide = Iv::new(wlo, whi);
    let iso = isolate(&n, x, &wide, tol_bits)?;
    let target = Iv::new(lo.clone(), hi.clone());
    let mut complete = iso.complete() || iso.undecided.iter().all(|u| u.intersect(&target).is_none());
    if iso.limit_hit {
        complete = false;
    }
    let mut roots = Vec::new();
    for r in iso.roots {
        // Outside the closed interval: not a solution here.
        if r.hi < lo || r.lo > hi {
            continue;
        }
        let inside_lo = if lo_open { r.lo > lo } else { r.lo >= lo };
        let inside_hi = if hi_open { r.hi < hi } else { r.hi <= hi };
        if !(inside_lo && inside_hi) {
            // The root is within rounding of an end of the interval: undecided.
            complete = false;
            continue;
        }
        if !d.is_number() {
            match enclose(&d, x, &r)? {
                Enclosure::Range { range, total: true } if !range.contains_zero() => {}
                _ => {
                    // A zero of the numerator where the denominator may vanish: a pole or undecided.
                    complete = false;
                    continue;
                }
            }
        }
        roots.push(r);
    }
    Ok(EquationRoots { roots, complete, whole_interval: whole, searched: (lo, hi) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(f: &str, lo: f64, hi: f64) -> (Vec<f64>, bool) {
        let x = Symbol::new("x");
        let g = sym_core::parse(f).unwrap();
        let xv = Iv::new(Float::with_val(128, lo), Float::with_val(128, hi));
        let iso = isolate(&g, x, &xv, 60).unwrap();
        (iso.roots.iter().map(|r| r.mid().to_f64()).collect(), iso.complete())
    }

    #[test]
    fn simple() {
        let (r, c) = roots("x - cos(x)", 0.0, 1.0);
        assert!(c);
        assert_eq!(r.len(), 1, "{r:?}");
        assert!((r[0] - 0.7390851332151607).abs() < 1e-15);
    }
}
