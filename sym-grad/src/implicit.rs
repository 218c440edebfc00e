//! Derivatives of `root` ops by the implicit function theorem, with a per-lane check of the conditioning.
//!
//! A `root` op returns, lane by lane, a `y` with `F(y, p) = 0`, where `F` and `dF/dy` are the two outputs of its
//! residual graph. Where `F_y = dF/dy != 0`, the implicit function theorem gives the derivative of the root with
//! respect to the parameters without looking at the iteration that found it:
//!
//! ```text
//! dy/dp_i = -F_{p_i}(y, p) / F_y(y, p).
//! ```
//!
//! The residual graph is copied into the derivative graph with its inputs bound to `(y, p)` (the values at the
//! root), and differentiated there like any other graph:
//!
//! - **Reverse mode** (the adjoint method): with cotangent `ybar`, set `lambda = -ybar / F_y`; then
//!   `pbar_i = lambda * F_{p_i}`, which is one reverse sweep of the residual's `F` with seed `lambda`.
//! - **Forward mode**: with parameter tangents `pdot`, `ydot = -(dF/dp . pdot) / F_y`, one forward sweep of the
//!   residual.
//!
//! Both produce ordinary IR ops (the residual's own ops, `neg`, `div`), so differentiating the derivative graph
//! again gives second derivatives of roots: the tangent of `lambda` brings in `F_yy`, `F_yp` and the tangent of
//! `y` (by this same rule), which is the derivative of the IFT expression. The `root` op's iteration is never
//! differentiated; its start (guess, bracket) has no derivative.
//!
//! The IR's roots are scalar (one unknown per `root` op): systems, which would need a per-lane `k x k` solve
//! `F_y^{-1}`, are not expressible in the IR yet.
//!
//! # When the derivative does not exist: the per-lane check
//!
//! At a multiple root `F_y = 0` and the derivative does not exist; near one, the computed `F_y` is dominated by
//! rounding and the computed root's own error, and `-F_p/F_y` is a large number of arbitrary sign. The check
//! estimates the relative error of the computed `F_y` to first order:
//!
//! ```text
//! err(F_y) / |F_y| ~ (eps m(F_y) + |F_yy| dy) / |F_y|,    dy = (|F| + eps m(F)) / |F_y|,
//! ```
//!
//! where `dy` bounds the root's error (the residual left, plus the rounding of `F`), `F_yy` is the residual's
//! second derivative (one forward sweep of `dF/dy`), and `m(v)` is the rounding magnitude of a value (its error is
//! about `eps m(v)`, up to a small factor): the absolute evaluation `m(a ± b) = m(a) + m(b)`,
//! `m(a b) = m(a) m(b)`, `m(a^k) = m(a)^k`, `m(-a) = m(|a|) = m(a)`, which for a polynomial in Horner or expanded
//! form is the classic bound `sum |c_i| |y|^i` (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
//! section 5.1); for other ops the first-order rule `m(f(a, b)) = |f| + |f_a| m(a) + |f_b| m(b)` (section 3.3);
//! and `m(v) = |v|` for `y` itself and for values that do not depend on it (the data of the equation, taken as
//! rounded once: an ill-conditioned function of the parameters alone, such as `acosh` near `1`, moves the root but
//! does not make the derivative singular).
//!
//! The lane is **singular** unless `F_y != 0` and the estimate is at most [`crate::GradOptions::ift_tol`]; the
//! test is evaluated without divisions, as `eps m(F_y) |F_y| + |F_yy| (|F| + eps m(F)) <= tol F_y^2`, so NaN,
//! infinity and `F_y = 0` all fail it. At an exact double root the estimate is about `1/2` or more (the root's
//! error `dy ~ sqrt(eps)` makes `F_y ~ F_yy dy` and `F ~ F_yy dy^2 / 2`), while for two simple roots `d` apart it
//! is about `eps / d^2`: the default tolerance `1e-2` flags roots closer than about `1e-7` relative to their
//! scale, where double precision cannot tell them from a double root.
//!
//! A lane whose root did not converge, or is singular, has no derivative: its contributions are NaN (or zero,
//! with [`crate::SingularPolicy::Zero`]), and the derivative graph reports why in its per-lane status (see
//! [`crate::Derivative::status`]): the root's own status if it did not converge, `singular_derivative` if the
//! check failed. Lanes where the root is not live (an untaken `select` branch) are neither masked nor reported.

use crate::SingularPolicy;
use crate::engine::{self, Engine, Live};
use crate::rules;
use sym_lower::{Elem, Graph, Inst, RootOptions, Value};

type IrResult<T> = sym_lower::Result<T>;

/// A differentiated root and the masks its status output is built from (builder values).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) struct RootCheck {
    /// The `root` value.
    pub root: Value,
    /// The lanes where the implicit-function check failed.
    pub singular: Value,
    /// The lanes where the root matters (`None`: every lane).
    pub live: Option<Value>,
}

/// The IFT quantities of one root at its value: the residual copied at `(y, p)`, `F_y`, and the lanes where the
/// derivative exists.
struct Local {
    /// The residual graph's values, bound to the root and its parameters.
    map_r: Vec<Value>,
    /// `dF/dy` at the root.
    fy: Value,
    /// The lanes where the root converged and the check passed.
    ok: Value,
    /// The float kind.
    elem: Elem,
}

fn root_of(g: &Graph, i: usize) -> &sym_lower::Root {
    match &g.insts[i] {
        Inst::Root(r) => r,
        _ => unreachable!("implicit differentiation is only called on root ops"),
    }
}

fn local(en: &mut Engine<'_>, g: &Graph, i: usize, map: &[Value], live: Live) -> IrResult<Local> {
    let r = root_of(g, i);
    let res = g.residual(r.residual);
    let y = map[i];
    let elem = g.types[i].elem;
    let mut args = vec![y];
    args.extend(r.params.iter().map(|p| map[p.index()]));
    let map_r = engine::copy_graph(&mut en.b, res, Some(&args))?;
    let f = map_r[res.outputs[0].value.index()];
    let fy = map_r[res.outputs[1].value.index()];
    let singular = singular_mask(en, res, &map_r, f, fy, elem)?;
    let status = en.b.root_status(y)?;
    let conv = en.b.converged(status)?;
    let not_sing = en.b.not(singular)?;
    let ok = en.b.and(conv, not_sing)?;
    let live_mask = match live {
        Live::Never => None,
        Live::Always => Some(None),
        Live::Mask(m) => Some(Some(m)),
    };
    if let Some(live) = live_mask {
        let check = RootCheck { root: y, singular, live };
        if !en.checks.contains(&check) {
            en.checks.push(check);
        }
    }
    Ok(Local { map_r, fy, ok, elem })
}

/// The lanes where the implicit-function derivative is not trustworthy (see the module doc).
fn singular_mask(
    en: &mut Engine<'_>,
    res: &Graph,
    map_r: &[Value],
    f: Value,
    fy: Value,
    elem: Elem,
) -> IrResult<Value> {
    let eps = match elem {
        Elem::F32 => f64::from(f32::EPSILON),
        _ => f64::EPSILON,
    };
    let m = magnitude(en, res, map_r)?;
    let zero = en.c(elem, 0.0)?;
    let m_f = m[res.outputs[0].value.index()].unwrap_or(zero);
    let m_fy = m[res.outputs[1].value.index()].unwrap_or(zero);
    let one = en.c(elem, 1.0)?;
    let dots = engine::forward(en, res, map_r, &[(0, one)], None)?;
    let fyy = dots[res.outputs[1].value.index()].unwrap_or(zero);
    let b = &mut en.b;
    let epsv = b.constant(elem, eps)?;
    let tol = b.constant(elem, en.opts.ift_tol)?;
    let afy = b.abs(fy)?;
    let af = b.abs(f)?;
    let afyy = b.abs(fyy)?;
    // eps m(F_y) |F_y| + |F_yy| (|F| + eps m(F)) <= tol F_y^2, and F_y != 0.
    let t1 = b.mul(epsv, m_fy)?;
    let t1 = b.mul(t1, afy)?;
    let em = b.mul(epsv, m_f)?;
    let dy = b.add(af, em)?;
    let t2 = b.mul(afyy, dy)?;
    let lhs = b.add(t1, t2)?;
    let fy2 = b.mul(fy, fy)?;
    let rhs = b.mul(tol, fy2)?;
    let good = b.le(lhs, rhs)?;
    let nonzero = b.ne(fy, zero)?;
    let ok = b.and(good, nonzero)?;
    b.not(ok)
}

/// The rounding magnitude `m(v)` of every float value of a residual graph (see the module doc).
fn magnitude(en: &mut Engine<'_>, g: &Graph, map: &[Value]) -> IrResult<Vec<Option<Value>>> {
    let mut m: Vec<Option<Value>> = vec![None; g.len()];
    let mut wrt_y = vec![false; g.inputs.len()];
    wrt_y[0] = true;
    let on_y = engine::active_values(g, &wrt_y);
    for (i, inst) in g.insts.iter().enumerate() {
        let elem = g.types[i].elem;
        if !elem.is_float() {
            continue;
        }
        let u = map[i];
        let mo = |v: &Value| m[v.index()];
        m[i] = match inst {
            // Values that do not depend on y are the data of the equation: rounded once.
            _ if !on_y[i] => Some(en.b.abs(u)?),
            Inst::Input { .. } => Some(en.b.abs(u)?),
            // The absolute evaluation (the classic bound for polynomials).
            Inst::Unary(sym_lower::UnOp::Neg | sym_lower::UnOp::Abs, a) => mo(a),
            Inst::Binary(sym_lower::BinOp::Add | sym_lower::BinOp::Sub, a, b) => match (mo(a), mo(b)) {
                (Some(x), Some(y)) => Some(en.b.add(x, y)?),
                _ => None,
            },
            Inst::Binary(sym_lower::BinOp::Mul, a, b) => match (mo(a), mo(b)) {
                (Some(x), Some(y)) => Some(en.b.mul(x, y)?),
                _ => None,
            },
            Inst::Powi(a, k) if *k >= 0 => match mo(a) {
                Some(x) => Some(en.b.powi(x, *k)?),
                None => None,
            },
            // Elsewhere the first-order rule |f| + sum |f_a| m(a).
            Inst::Unary(..) | Inst::Binary(..) | Inst::Powi(..) => {
                let ops = inst.operands();
                let want: Vec<bool> = ops.iter().map(|a| m[a.index()].is_some()).collect();
                let mapped = inst.map_operands(|o| map[o.index()]);
                let mut acc = en.b.abs(u)?;
                for (pos, p) in rules::partials(&mut en.b, elem, &mapped, u, &want)? {
                    let ma = m[ops[pos].index()].expect("wanted operands have magnitudes");
                    let ap = match p {
                        rules::Partial::Const(k) => rules::Partial::Const(k.abs()),
                        rules::Partial::Value(v) => rules::Partial::Value(en.b.abs(v)?),
                        rules::Partial::Quotient { num, den } => {
                            rules::Partial::Quotient { num: num.abs(), den: en.b.abs(den)? }
                        }
                    };
                    let term = rules::scale_strong(&mut en.b, elem, ma, ap)?;
                    acc = en.b.add(acc, term)?;
                }
                Some(acc)
            }
            Inst::Select(c, a, b) => match (m[a.index()], m[b.index()]) {
                (Some(ma), Some(mb)) => Some(en.b.select(map[c.index()], ma, mb)?),
                _ => None,
            },
            _ => None,
        };
    }
    Ok(m)
}

/// The value that replaces a derivative where it does not exist.
fn fill(en: &mut Engine<'_>, elem: Elem) -> IrResult<Value> {
    match en.opts.singular {
        SingularPolicy::Nan => en.c(elem, f64::NAN),
        SingularPolicy::Zero => en.c(elem, 0.0),
    }
}

/// Reverse mode through root `i` of `g`: the contributions `(parameter position, value)` of cotangent `ybar` to
/// the parameters marked in `want`.
pub(crate) fn reverse(
    en: &mut Engine<'_>,
    g: &Graph,
    i: usize,
    map: &[Value],
    ybar: Value,
    live: Live,
    want: &[bool],
) -> IrResult<Vec<(usize, Value)>> {
    let loc = local(en, g, i, map, live)?;
    let r = root_of(g, i);
    let res = g.residual(r.residual);
    let q = en.b.div(ybar, loc.fy)?;
    let lambda = en.b.neg(q)?;
    let mut wrt = vec![false];
    wrt.extend_from_slice(want);
    let adj = engine::reverse(en, res, &loc.map_r, &[(res.outputs[0].value, lambda)], &wrt)?;
    let fill = fill(en, loc.elem)?;
    let scalar_root = en.scalar_under_batch_mask(live, g.types[i])?;
    let mut out = Vec::new();
    for (k, &w) in want.iter().enumerate() {
        if !w {
            continue;
        }
        let Some(pv) = res.input_value(k + 1) else {
            continue;
        };
        if let Some(a) = adj[pv.index()] {
            let a = en.b.select(loc.ok, a, fill)?;
            let a = if scalar_root {
                // A scalar root's cotangent is a sum over lanes: zero exactly where it is never live.
                let zero = en.c(loc.elem, 0.0)?;
                let z = en.b.eq(ybar, zero)?;
                en.b.select(z, zero, a)?
            } else {
                en.mask(live, a)?
            };
            out.push((k, a));
        }
    }
    Ok(out)
}

/// Forward mode through root `i` of `g`: the tangent of the root for parameter tangents `pdot` (by position).
pub(crate) fn forward(
    en: &mut Engine<'_>,
    g: &Graph,
    i: usize,
    map: &[Value],
    pdot: &[Option<Value>],
    live: Live,
) -> IrResult<Option<Value>> {
    let loc = local(en, g, i, map, live)?;
    let r = root_of(g, i);
    let res = g.residual(r.residual);
    let tangents: Vec<(usize, Value)> = pdot.iter().enumerate().filter_map(|(k, t)| t.map(|t| (k + 1, t))).collect();
    let dots = engine::forward(en, res, &loc.map_r, &tangents, None)?;
    let Some(fdot) = dots[res.outputs[0].value.index()] else {
        return Ok(None);
    };
    let q = en.b.div(fdot, loc.fy)?;
    let ydot = en.b.neg(q)?;
    let fill = fill(en, loc.elem)?;
    Ok(Some(en.b.select(loc.ok, ydot, fill)?))
}

/// A copy of `v` through which no derivative flows (`stop_gradient`), expressed with the IR's own ops: a `root`
/// with no parameters of the residual `F(y) = 0`, started from `v`. Its first evaluation finds `F = 0` and
/// returns the start unchanged, so the value is `v` bit for bit (NaN for a NaN `v`, with the status
/// `non_finite`), and a root has no derivative with respect to its start.
///
/// # Errors
/// [`sym_lower::Error::Build`] if `v` is not a float.
pub fn stop_gradient(b: &mut sym_lower::Builder, v: Value) -> sym_lower::Result<Value> {
    let elem = b.ty(v)?.elem;
    let mut r = sym_lower::Builder::new();
    r.input("y", sym_lower::Type::batch(elem))?;
    let zero = r.constant(elem, 0.0)?;
    let one = r.constant(elem, 1.0)?;
    r.output("f", zero)?;
    r.output("df", one)?;
    let id = b.add_residual(r.finish()?)?;
    b.root(id, &[], sym_lower::RootStart::Guess(v), RootOptions { tol: 1.0, max_iter: 1 })
}

/// The iteration of [`implicit_solution`] at a simple root (`f64`): Newton from a guess inside its basin, whose
/// error squares at every step. The tolerance is well above the attainable accuracy `eps m(F) / |F_y|` of all
/// but the most ill-conditioned roots (below it, sym-lower's iteration can alternate between two neighbours);
/// a last step of `1e-9` leaves an error of about `1e-18 |F_yy / F_y|`.
pub const POLISH: RootOptions = RootOptions { tol: 1e-9, max_iter: 4 };

/// The bound on `|F_yy F| / F_y^2` at a closed-form value above which [`implicit_solution`] reports the value as a
/// multiple root: at a double root it is about `1/2` (`F ~ F_yy d^2 / 2`, `F_y ~ F_yy d` for an error `d`), at a
/// simple root it is the relative size of the closed form's error against the distance to the nearest other root.
pub const MULTIPLE_ROOT_TOL: f64 = 1e-2;

/// Ties a value computed in closed form (a root of a polynomial by radicals, say) to the equation it solves, so
/// that its derivatives come from the implicit function theorem instead of the formula, and its value stays the
/// closed form's, bit for bit.
///
/// Differentiating a closed form is exact in exact arithmetic but fragile in floating point: at a double root
/// the radicand of a square root is zero and its derivative infinite, and the infinity reaches the *other* roots
/// through shared subexpressions (the resolvent cubic of a quartic), giving NaN gradients where the derivatives
/// exist. Through the implicit function theorem each root's derivative depends only on `F_y` at that root, and a
/// root that is double gets the status `singular_derivative` (see the module doc) while the others are exact.
///
/// # Construction
///
/// With `c = stop_gradient(value)` and `q_i = stop_gradient(p_i)` (see [`stop_gradient`]), the result is the
/// `root` in `y` of `G(y; p, c, q, w, k) = F(y; p) - w F(c; q)`, with `dG/dy = F_y(y; p) + k`, started from `c`;
/// `w` and `k` are per-lane constants (no derivative flows into `c`, `q`, `w`, `k`), and `G_p = F_p`,
/// `G_y = F_y`, so the implicit function theorem gives `dy/dp = -F_p(y; p) / F_y(y; p)` either way.
///
/// The closed form is first classified at `c`, by `h = |F_yy(c) F(c)| / F_y(c)^2`, Kantorovich's quantity for
/// Newton's method (it converges quadratically from `c` when `h <= 1/2`):
///
/// - `h <= `[`MULTIPLE_ROOT_TOL`] (a simple root, and `c` well inside its basin): `w = 0`, `k = 0`. `G = F`, and
///   the root op polishes `c` by Newton ([`POLISH`]), so the value is as accurate as the root allows (the closed
///   form can lose digits near clustered roots) and the usual per-lane check applies to the derivative.
/// - otherwise (numerically a multiple root, or `F_y(c) = 0`): `w = 1`, `k = NaN`. `G` is exactly zero at `c` (the
///   two evaluations of `F` are the same operations on the same bits), so the root op returns `c` unchanged
///   (a Newton step there is rounding noise over a tiny `F_y` and could jump to another root), and the NaN in
///   `dG/dy` fails the implicit-function check: the lane gets the status `singular_derivative` and no
///   derivative.
///
/// # Errors
/// [`sym_lower::Error::Build`] or [`sym_lower::Error::Verify`] if the residual does not fit `value` and
/// `params`.
pub fn implicit_solution(
    b: &mut sym_lower::Builder,
    value: Value,
    residual: Graph,
    params: &[Value],
) -> sym_lower::Result<Value> {
    let elem = b.ty(value)?.elem;
    let ty = sym_lower::Type::batch(elem);
    // G(y; p, c, q, k) = F(y; p) - F(c; q), G_y = F_y(y; p) + k.
    let mut r = sym_lower::Builder::new();
    let y = r.input("y", ty)?;
    let p: Vec<Value> = (0..params.len()).map(|k| r.input(&format!("p{k}"), ty)).collect::<sym_lower::Result<_>>()?;
    let c = r.input("c", ty)?;
    let q: Vec<Value> = (0..params.len()).map(|k| r.input(&format!("q{k}"), ty)).collect::<sym_lower::Result<_>>()?;
    let wv = r.input("w", ty)?;
    let kv = r.input("k", ty)?;
    let mut at_y = vec![y];
    at_y.extend(&p);
    let mut at_c = vec![c];
    at_c.extend(&q);
    let fy = r.inline(&residual, &at_y)?;
    let fc = r.inline(&residual, &at_c)?;
    let wf = r.mul(wv, fc[0])?;
    let g = r.sub(fy[0], wf)?;
    let dg = r.add(fy[1], kv)?;
    r.output("f", g)?;
    r.output("df", dg)?;
    let id = b.add_residual(r.finish()?)?;

    let c = stop_gradient(b, value)?;
    let q: Vec<Value> = params.iter().map(|&pv| stop_gradient(b, pv)).collect::<sym_lower::Result<_>>()?;
    // F, F_y and F_yy at the closed form, from the residual and its forward derivative in y.
    let yname = residual.inputs[0].name.clone();
    let out_names: Vec<String> = residual.outputs.iter().map(|o| o.name.clone()).collect();
    let d = crate::forward_derivatives(&residual, &[&out_names[1]], &[&yname], &crate::GradOptions::default())
        .map_err(|e| match e {
            crate::Error::Ir(e) => e,
            other => sym_lower::Error::Unsupported { name: format!("derivative of the residual: {other}") },
        })?;
    let mut at = vec![c];
    at.extend(&q);
    let vals = b.inline(d.graph(), &at)?;
    let (f, f1, f2) = (vals[0], vals[1], vals[2]);
    let af = b.abs(f)?;
    let af2 = b.abs(f2)?;
    let lhs = b.mul(af, af2)?;
    let tol = b.constant(elem, MULTIPLE_ROOT_TOL)?;
    let sq = b.mul(f1, f1)?;
    let rhs = b.mul(tol, sq)?;
    let simple = b.le(lhs, rhs)?;
    let zero = b.constant(elem, 0.0)?;
    let nz = b.ne(f1, zero)?;
    let simple = b.and(simple, nz)?;
    let nan = b.constant(elem, f64::NAN)?;
    let one = b.constant(elem, 1.0)?;
    let k = b.select(simple, zero, nan)?;
    let w = b.select(simple, zero, one)?;

    let mut all = params.to_vec();
    all.push(c);
    all.extend(q);
    all.push(w);
    all.push(k);
    let opts = match elem {
        Elem::F32 => RootOptions { tol: 1e-5, max_iter: POLISH.max_iter },
        _ => POLISH,
    };
    b.root(id, &all, sym_lower::RootStart::Guess(c), opts)
}
