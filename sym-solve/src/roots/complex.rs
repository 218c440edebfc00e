//! Certified complex roots: [`CertifiedRoot`], [`complex_roots`] and [`root_of`].
//!
//! # Pipeline
//!
//! 1. Split the input into square-free factors (module `intpoly`); a linear factor gives an exact
//!    rational root.
//! 2. For each factor of degree two or more: starting points from the Newton polygon (module
//!    `init`), Aberth–Ehrlich sweeps in `f64` (module `aberth64`) while the coefficients fit its
//!    range, then the MPFR phase (module `certify`) that polishes and certifies disjoint
//!    inclusion discs and decides which roots are real.
//! 3. A real root whose disc is narrower than `1 / L` (`L` the leading coefficient of its factor)
//!    is tested for being the only rational candidate `t / L` there (after refinement in exact
//!    arithmetic when the disc is wider); rational roots are reported exactly.
//! 4. The roots of all factors are put in the canonical order (module `order`).
//!
//! # Refining one root
//!
//! [`CertifiedRoot::refine`] runs Newton's method on the root's square-free factor `f` in MPFR. A
//! disc `D(z, n |f(z)| / |f'(z)|)` always contains a root of `f` (from
//! `f'/f (z) = sum_k 1 / (z - r_k)`, some `|z - r_k| <= n |f(z) / f'(z)|`); when that disc lies
//! inside the current disc, which contains exactly one root of `f`, it contains the same root and
//! replaces it. Real roots are refined with real arithmetic and stay real.

use super::RootLimits;
use super::aberth64::{F64Poly, aberth_f64};
use super::certify::{Certifier, Disc};
use super::error::RootsError;
use super::fast::certify_fast;
use super::init::newton_polygon_start;
use super::intpoly::{Factor, RootPoly, abs_sum_up, horner_gamma, sign_at_float, square_free_factors};
use super::mag::Mag;
use super::order::canonical_sort;
use super::real::{RealRoot, digits_to_bits};
use rug::float::Round;
use rug::{Assign, Complex, Float, Integer, Rational};
use std::sync::Arc;
use sym_core::poly::{IntegerRing, UPoly};

/// A root of an integer polynomial with a certified inclusion disc.
///
/// Invariants: the closed disc of radius [`radius`](Self::radius) around
/// [`midpoint`](Self::midpoint) contains exactly one root of the square-free
/// [`factor`](Self::factor), and that root is this one. When [`is_real`](Self::is_real), the
/// root is proven real and the midpoint's imaginary part is zero; otherwise it is proven
/// non-real. When [`exact`](Self::exact) is `Some(q)`, the root is the rational `q`.
#[derive(Clone, Debug)]
pub struct CertifiedRoot {
    pub(crate) factor: Arc<Factor>,
    pub(crate) re: Float,
    pub(crate) im: Float,
    pub(crate) rad: Mag,
    pub(crate) real: bool,
    pub(crate) exact: Option<Rational>,
    /// The real part, when proven rational (used by the canonical order).
    pub(crate) re_exact: Option<Rational>,
}

impl CertifiedRoot {
    /// The midpoint of the inclusion disc.
    pub fn midpoint(&self) -> Complex {
        Complex::with_val(self.re.prec().max(self.im.prec()), (&self.re, &self.im))
    }

    /// The real part of the midpoint.
    pub fn re(&self) -> &Float {
        &self.re
    }

    /// The imaginary part of the midpoint (zero for real roots).
    pub fn im(&self) -> &Float {
        &self.im
    }

    /// An upper bound on the distance from the midpoint to the root (53-bit, rounded up).
    pub fn radius(&self) -> Float {
        self.rad.to_float()
    }

    /// The multiplicity of the root in the input polynomial.
    pub fn multiplicity(&self) -> usize {
        self.factor.multiplicity
    }

    /// Whether the root is proven real (otherwise it is proven non-real).
    pub fn is_real(&self) -> bool {
        self.real
    }

    /// The root, when it is a rational number.
    pub fn exact(&self) -> Option<&Rational> {
        self.exact.as_ref()
    }

    /// The square-free factor of the input vanishing at this root (primitive, positive leading
    /// coefficient).
    pub fn factor(&self) -> &UPoly<IntegerRing> {
        &self.factor.poly
    }

    /// The working precision of the midpoint in bits.
    pub fn precision(&self) -> u32 {
        self.re.prec()
    }

    /// Whether the exact complex number `re + i im` lies in the closed inclusion disc (decided
    /// in exact rational arithmetic).
    pub fn disc_contains(&self, re: &Rational, im: &Rational) -> bool {
        let mr = self.re.to_rational().expect("finite midpoint");
        let mi = self.im.to_rational().expect("finite midpoint");
        let r = self.radius().to_rational().expect("finite radius");
        let dr = Rational::from(re - &mr);
        let di = Rational::from(im - &mi);
        Rational::from(&dr * &dr) + Rational::from(&di * &di) <= Rational::from(&r * &r)
    }

    /// Whether the radius is at most `10^-digits` times the modulus of the midpoint (an exact
    /// root always qualifies once its midpoint is rounded finely enough).
    pub fn meets_digits(&self, digits: u32) -> bool {
        self.meets_bits(digits_to_bits(digits))
    }

    fn meets_bits(&self, bits: u32) -> bool {
        let m = Mag::from_float_down(&Float::with_val_round(53, self.re.hypot_ref(&self.im), Round::Down).0);
        if self.rad.is_zero() {
            return true;
        }
        self.rad.le(m.mul_2exp(-i64::from(bits)))
    }

    /// Refines the root until [`meets_digits`](Self::meets_digits)`(digits)` holds.
    pub fn refine(&mut self, digits: u32) -> Result<(), RootsError> {
        self.refine_with(digits, &RootLimits::default())
    }

    /// [`refine`](Self::refine) with explicit limits.
    pub fn refine_with(&mut self, digits: u32, limits: &RootLimits) -> Result<(), RootsError> {
        let bits = digits_to_bits(digits).saturating_add(1);
        if bits > limits.max_precision {
            return Err(RootsError::DigitsLimit { digits, limit: limits.max_precision });
        }
        self.refine_bits(bits, limits)
    }

    /// Refines until the radius is at most `2^-bits |midpoint|`.
    pub(crate) fn refine_bits(&mut self, bits: u32, limits: &RootLimits) -> Result<(), RootsError> {
        if let Some(q) = &self.exact {
            let prec = (bits + 64).max(self.re.prec());
            let (re, rad) = exact_midpoint(q, prec);
            self.re = re;
            self.im = Float::new(prec);
            self.rad = rad;
            return Ok(());
        }
        let n = self.factor.degree();
        let nbits = usize::BITS - n.leading_zeros();
        let mut prec = (bits + 2 * nbits + 64).max(self.re.prec());
        let mut steps = 0usize;
        let mut x = Float::with_val(prec, &self.re);
        let mut y = Float::with_val(prec, &self.im);
        while !self.meets_bits(bits) {
            steps += 1;
            // Newton converges quadratically from a certified disc; precision doublings add a
            // few steps. 200 steps cover any precision the limits allow.
            if steps > limits.max_iterations.min(200) {
                return Err(RootsError::IterationLimit { iterations: steps });
            }
            let cf = self.factor.floats(prec);
            let (p, dp, perr, derr) = eval_pd(&self.factor, &cf, &x, &y, prec, self.real);
            let pabs = Mag::from_float_up(&Float::with_val_round(53, p.abs_ref(), Round::Up).0).add_up(perr);
            let dlo = Mag::from_float_down(&Float::with_val_round(53, dp.abs_ref(), Round::Down).0).sub_down(derr);
            // Certify the current point against the current disc.
            if !dlo.is_zero() {
                let rho = Mag::from_f64(n as f64).mul_up(pabs).div_up(dlo);
                let dx = Float::with_val(prec, &x - &self.re);
                let dy = Float::with_val(prec, &y - &self.im);
                // The differences are rounded with relative error 2^-prec; pad by 2^-52.
                let shift = Mag::from_float_up(&Float::with_val_round(53, dx.hypot_ref(&dy), Round::Up).0)
                    .mul_up(Mag::from_f64(1.0 + f64::EPSILON));
                if shift.add_up(rho).le(self.rad) && rho.lt_strict(self.rad) {
                    self.re = x.clone();
                    self.im = y.clone();
                    self.rad = rho;
                    if self.meets_bits(bits) {
                        break;
                    }
                }
            }
            let noisy =
                !Mag::from_float_down(&Float::with_val_round(53, p.abs_ref(), Round::Down).0).gt(perr.mul_2exp(2));
            if noisy {
                let next = prec.saturating_mul(2);
                if next > limits.max_precision {
                    return Err(RootsError::PrecisionLimit { limit: limits.max_precision });
                }
                prec = next;
                x.set_prec(prec);
                y.set_prec(prec);
                continue;
            }
            if dp.is_zero() {
                return Err(RootsError::IterationLimit { iterations: steps });
            }
            let step = Complex::with_val(prec, &p / &dp);
            let (sr, si) = step.into_real_imag();
            x -= sr;
            if !self.real {
                y -= si;
            }
        }
        Ok(())
    }
}

impl Mag {
    /// `self < other`.
    fn lt_strict(self, other: Mag) -> bool {
        other.gt(self)
    }
}

/// `(f(z), f'(z), error bound on f(z), error bound on f'(z))` at `z = x + i y` (`y` ignored and
/// taken as zero when `real`).
fn eval_pd(f: &Factor, cf: &[Float], x: &Float, y: &Float, prec: u32, real: bool) -> (Complex, Complex, Mag, Mag) {
    let n = f.degree();
    let zero = Float::new(prec);
    let y = if real { &zero } else { y };
    let mut pr = Float::with_val(prec, &cf[n]);
    let mut pi = Float::new(prec);
    let mut t1 = Float::new(prec);
    let mut t2 = Float::new(prec);
    // Derivative coefficients k a_k, evaluated by their own Horner pass for a clean error bound.
    let mut dr = Float::with_val(prec, &cf[n] * n as u64);
    let mut di = Float::new(prec);
    for k in (0..n).rev() {
        t1.assign(&pr * x - &pi * y);
        t1 += &cf[k];
        t2.assign(&pr * y + &pi * x);
        std::mem::swap(&mut pr, &mut t1);
        std::mem::swap(&mut pi, &mut t2);
        if k >= 1 {
            let dk = Float::with_val(prec, &cf[k] * k as u64);
            t1.assign(&dr * x - &di * y);
            t1 += &dk;
            t2.assign(&dr * y + &di * x);
            std::mem::swap(&mut dr, &mut t1);
            std::mem::swap(&mut di, &mut t2);
        }
    }
    let r = Mag::from_float_up(&Float::with_val_round(53, x.hypot_ref(y), Round::Up).0);
    let perr = horner_gamma(n, prec).mul_up(abs_sum_up(&f.abs_up, r));
    let dabs: Vec<Mag> = f.abs_up.iter().enumerate().skip(1).map(|(k, a)| a.mul_up(Mag::from_f64(k as f64))).collect();
    // The derivative coefficients k a_k are rounded once more (the product by k): one extra
    // factor (1 + u), covered by gamma of one degree higher.
    let derr = horner_gamma(n + 1, prec).mul_up(abs_sum_up(&dabs, r));
    (Complex::with_val(prec, (pr, pi)), Complex::with_val(prec, (dr, di)), perr, derr)
}

/// The midpoint `q` rounded to `prec` bits and an upper bound on the rounding error.
fn exact_midpoint(q: &Rational, prec: u32) -> (Float, Mag) {
    let re = Float::with_val(prec, q);
    let diff = (re.to_rational().expect("finite") - q).abs();
    let rad =
        if diff.is_zero() { Mag::ZERO } else { Mag::from_float_up(&Float::with_val_round(53, &diff, Round::Up).0) };
    (re, rad)
}

/// The certified exact root `q` of `factor`.
fn exact_root(factor: &Arc<Factor>, q: Rational, prec: u32) -> CertifiedRoot {
    let (re, rad) = exact_midpoint(&q, prec);
    CertifiedRoot {
        factor: Arc::clone(factor),
        re,
        im: Float::new(prec),
        rad,
        real: true,
        exact: Some(q),
        re_exact: None,
    }
}

/// Starting points for the MPFR phase as `(re, im)` pairs.
type Points = Vec<(Float, Float)>;

/// The `f64` phase for the factor: Aberth in `f64` when the coefficients and roots fit, then
/// the fast certification. Returns the certified discs, or the points for the MPFR phase.
fn f64_phase(f: &Factor, bits: u32, limits: &RootLimits) -> Result<Vec<Disc>, Points> {
    let start = newton_polygon_start(&f.c);
    let in_range = start.iter().all(|(l, _)| l.abs() < 500.0);
    if in_range && let Some(p) = F64Poly::new(&f.c) {
        let mut zr: Vec<f64> = start.iter().map(|(l, a)| l.exp2() * a.cos()).collect();
        let mut zi: Vec<f64> = start.iter().map(|(l, a)| l.exp2() * a.sin()).collect();
        let sweeps = limits.max_iterations.min(100 + f.degree());
        let (_, done) = aberth_f64(&p, &mut zr, &mut zi, sweeps);
        let finite = zr.iter().chain(&zi).all(|v| v.is_finite());
        if finite
            && done.iter().all(|&d| d)
            && let Some(discs) = certify_fast(&p, &zr, &zi, bits)
        {
            return Ok(discs);
        }
        return Err(zr
            .into_iter()
            .zip(zi)
            .map(|(r, i)| {
                if r.is_finite() && i.is_finite() {
                    (Float::with_val(53, r), Float::with_val(53, i))
                } else {
                    (Float::with_val(53, 1), Float::with_val(53, 0.5))
                }
            })
            .collect());
    }
    Err(start
        .iter()
        .map(|(l, a)| {
            let r = Float::with_val(64, *l).exp2();
            (
                Float::with_val(64, &r * Float::with_val(64, *a).cos()),
                Float::with_val(64, &r * Float::with_val(64, *a).sin()),
            )
        })
        .collect())
}

/// The certified roots of one square-free factor, to `bits` relative bits.
fn factor_roots(f: &Arc<Factor>, bits: u32, limits: &RootLimits) -> Result<Vec<CertifiedRoot>, RootsError> {
    let n = f.degree();
    let nbits = usize::BITS - n.leading_zeros();
    let prec0 = (bits + 2 * nbits + 32).max(96);
    if n == 1 {
        let q = Rational::from((Integer::from(-&f.c[0]), f.c[1].clone()));
        return Ok(vec![exact_root(f, q, prec0)]);
    }
    let discs = match f64_phase(f, bits, limits) {
        Ok(discs) => discs,
        Err(start) => Certifier::new(f, start, bits, prec0).run(limits)?.0,
    };
    let mut out = Vec::with_capacity(n);
    for d in discs {
        let Disc { re, im, rad, real } = d;
        let mut root = CertifiedRoot { factor: Arc::clone(f), re, im, rad, real, exact: None, re_exact: None };
        if real {
            detect_rational(&mut root);
        }
        out.push(root);
    }
    Ok(out)
}

/// Makes a real root exact when it is rational (see the module docs).
fn detect_rational(root: &mut CertifiedRoot) {
    let f = &root.factor;
    let r = root.rad.to_float();
    let prec = root.re.prec() + 64;
    let lo = Float::with_val_round(prec, &root.re - &r, Round::Down).0;
    let hi = Float::with_val_round(prec, &root.re + &r, Round::Up).0;
    let slo = sign_at_float(f, &lo);
    let shi = sign_at_float(f, &hi);
    let to_q = |x: &Float| x.to_rational().expect("finite");
    if slo.is_eq() || shi.is_eq() {
        let q = if slo.is_eq() { to_q(&lo) } else { to_q(&hi) };
        *root = exact_root(f, q, root.re.prec());
        return;
    }
    debug_assert!(slo != shi, "a certified real disc brackets a sign change");
    if slo == shi {
        return;
    }
    let mut rr = RealRoot::from_bracket(f, to_q(&lo), to_q(&hi), slo as i8);
    rr.detect_rational();
    if let Some(q) = rr.exact() {
        *root = exact_root(f, q.clone(), root.re.prec());
    }
}

/// All distinct complex roots of `p` in the canonical order, each certified to `digits`
/// significant digits (radius at most `10^-digits` times the modulus of the midpoint), with its
/// multiplicity.
///
/// The canonical order (the index order of `RootOf`): the real roots in ascending order, then the
/// non-real roots by ascending real part, ties (equal real parts, such as conjugate pairs) by
/// ascending imaginary part. See the module `order` for how ties are certified.
pub fn complex_roots(p: &impl RootPoly, digits: u32) -> Result<Vec<CertifiedRoot>, RootsError> {
    complex_roots_with(p, digits, &RootLimits::default())
}

/// [`complex_roots`] with explicit limits.
pub fn complex_roots_with(
    p: &impl RootPoly,
    digits: u32,
    limits: &RootLimits,
) -> Result<Vec<CertifiedRoot>, RootsError> {
    let bits = digits_to_bits(digits).saturating_add(1);
    if bits > limits.max_precision {
        return Err(RootsError::DigitsLimit { digits, limit: limits.max_precision });
    }
    let p = p.to_integer_poly();
    let factors = square_free_factors(&p, limits.max_degree)?;
    let mut roots = Vec::new();
    for f in &factors {
        if f.degree() == 1 && f.c[0].is_zero() {
            roots.push(exact_root(f, Rational::new(), 64));
            continue;
        }
        roots.extend(factor_roots(f, bits, limits)?);
    }
    canonical_sort(&mut roots, bits, limits)?;
    Ok(roots)
}

/// The `k`-th root of `p` (from zero, counting multiplicity) in the canonical order of
/// [`complex_roots`], certified to `digits` significant digits: `RootOf(p, k)`.
pub fn root_of(p: &impl RootPoly, k: usize, digits: u32) -> Result<CertifiedRoot, RootsError> {
    root_of_with(p, k, digits, &RootLimits::default())
}

/// [`root_of`] with explicit limits.
pub fn root_of_with(
    p: &impl RootPoly,
    k: usize,
    digits: u32,
    limits: &RootLimits,
) -> Result<CertifiedRoot, RootsError> {
    let q = p.to_integer_poly();
    let degree = q.degree().ok_or(RootsError::ZeroPolynomial)?;
    if k >= degree {
        return Err(RootsError::IndexOutOfRange { index: k, degree });
    }
    // Order the roots at modest precision, then refine only the one asked for.
    let roots = complex_roots_with(&q, digits.min(16), limits)?;
    let mut seen = 0;
    for r in roots {
        seen += r.multiplicity();
        if k < seen {
            let mut r = r;
            if digits > 16 {
                r.refine_with(digits, limits)?;
            }
            return Ok(r);
        }
    }
    unreachable!("the multiplicities of the roots sum to the degree")
}
