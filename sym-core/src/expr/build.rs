//! The canonicalising constructors: numbers, symbols, sums and products.
//!
//! Every `Expr` that is not a leaf is created here (or in the `power` module for powers and
//! in [`crate::functions`] for function applications), so the invariants listed in the module
//! documentation of [`crate::expr`] hold by construction.
//!
//! Sums collect like terms (`2*x + 3*x = 5*x`), fold numbers and distribute a numeric factor over
//! a sum (`2*(x + 1) = 2*x + 2`, as SymPy does). Products collect like bases by adding exponents
//! (`x**2 * x**3 = x**5`, `exp(x)*exp(y) = exp(x + y)`), fold numbers, reduce powers of `I`, and
//! combine numeric radicals (`sqrt(2)*sqrt(3) = sqrt(6)`, `sqrt(2)**2 = 2`).

use super::{AddData, Constant, Expr, Kind, MulData, RelOp, RootOfData, cmp_canonical};
use crate::hash::ExprMap;
use crate::number::{Number, from_wide_parts, small_parts};
use crate::symbol::Symbol;
use std::sync::OnceLock;

mod distinct;

/// Small integers are shared nodes (exponents and coefficients are mostly small).
const SMALL_MIN: i64 = -64;
const SMALL_MAX: i64 = 1024;

/// Rationals `p/q` with `2 <= q <= SMALL_DEN_MAX` and `|p| <= 2q` are shared nodes too (the
/// exponents `1/2`, `-1/3`, ... of radicals and the coefficients of closed forms).
const SMALL_DEN_MAX: i64 = 12;

/// The number of slots of the small-rational table: `4q + 1` numerators for each denominator.
const SMALL_RATIONAL_SLOTS: usize = (2 * SMALL_DEN_MAX * (SMALL_DEN_MAX + 1) - 4 + SMALL_DEN_MAX - 1) as usize;

/// The slot of `p/q` (in lowest terms, `q > 1`) in the small-rational table.
fn small_rational_slot(p: i64, q: i64) -> Option<usize> {
    if !(2..=SMALL_DEN_MAX).contains(&q) || p.unsigned_abs() > 2 * q as u64 {
        return None;
    }
    // Denominators 2..q-1 take sum(4k + 1) = 2(q - 1)q - 4 + (q - 2) slots before q's.
    let before = 2 * (q - 1) * q - 4 + (q - 2);
    Some((before + p + 2 * q) as usize)
}

/// Builders switch from linear search to a hash index beyond this many entries.
const LINEAR_LIMIT: usize = 12;

macro_rules! cached {
    ($name:ident, $doc:literal, $init:expr) => {
        #[doc = $doc]
        pub fn $name() -> Expr {
            static CELL: OnceLock<Expr> = OnceLock::new();
            CELL.get_or_init(|| $init).clone()
        }
    };
}

impl Expr {
    cached!(zero, "The integer 0.", Expr::num(Number::ZERO));
    cached!(one, "The integer 1.", Expr::num(Number::ONE));
    cached!(minus_one, "The integer -1.", Expr::num(Number::MINUS_ONE));
    cached!(half, "The rational 1/2.", Expr::from_kind(Kind::Num(Number::rational(1, 2).unwrap_or(Number::ONE))));
    cached!(pi, "The constant pi.", Expr::from_kind(Kind::Const(Constant::Pi)));
    cached!(e, "Euler's number E.", Expr::from_kind(Kind::Const(Constant::E)));
    cached!(i, "The imaginary unit I.", Expr::from_kind(Kind::Const(Constant::I)));
    cached!(infinity, "Positive infinity `oo`.", Expr::from_kind(Kind::Const(Constant::Infinity)));
    cached!(neg_infinity, "Negative infinity `-oo`.", Expr::from_kind(Kind::Const(Constant::NegInfinity)));
    cached!(complex_infinity, "Complex infinity `zoo`.", Expr::from_kind(Kind::Const(Constant::ComplexInfinity)));
    cached!(nan, "The undefined value `nan`.", Expr::from_kind(Kind::Const(Constant::NaN)));
    cached!(true_, "The condition `True`.", Expr::from_kind(Kind::Bool(true)));
    cached!(false_, "The condition `False`.", Expr::from_kind(Kind::Bool(false)));

    /// A number.
    pub fn num(n: Number) -> Expr {
        match &n {
            Number::Small(v) if (SMALL_MIN..=SMALL_MAX).contains(v) => {
                static TABLE: OnceLock<Vec<Expr>> = OnceLock::new();
                let table = TABLE.get_or_init(|| {
                    (SMALL_MIN..=SMALL_MAX).map(|k| Expr::from_kind(Kind::Num(Number::Small(k)))).collect()
                });
                table[(v - SMALL_MIN) as usize].clone()
            }
            Number::Rational(_) => match small_parts(&n).and_then(|(p, q)| small_rational_slot(p, q)) {
                Some(slot) => {
                    static TABLE: [OnceLock<Expr>; SMALL_RATIONAL_SLOTS] =
                        [const { OnceLock::new() }; SMALL_RATIONAL_SLOTS];
                    TABLE[slot].get_or_init(|| Expr::from_kind(Kind::Num(n))).clone()
                }
                None => Expr::from_kind(Kind::Num(n)),
            },
            _ => Expr::from_kind(Kind::Num(n)),
        }
    }

    /// The integer `n`.
    pub fn int(n: i64) -> Expr {
        Expr::num(Number::Small(n))
    }

    /// The rational `p/q` (`zoo` when `q` is zero and `p` is not, `nan` for `0/0`).
    pub fn rational(p: i64, q: i64) -> Expr {
        match Number::rational(p, q) {
            Some(n) => Expr::num(n),
            None if p == 0 => Expr::nan(),
            None => Expr::complex_infinity(),
        }
    }

    /// The symbol with this name.
    pub fn symbol(name: &str) -> Expr {
        Expr::from_kind(Kind::Sym(Symbol::new(name)))
    }

    /// The symbol `s` as an expression.
    pub fn sym(s: Symbol) -> Expr {
        Expr::from_kind(Kind::Sym(s))
    }

    /// A named constant.
    pub fn constant(c: Constant) -> Expr {
        match c {
            Constant::Pi => Expr::pi(),
            Constant::E => Expr::e(),
            Constant::I => Expr::i(),
            Constant::Infinity => Expr::infinity(),
            Constant::NegInfinity => Expr::neg_infinity(),
            Constant::ComplexInfinity => Expr::complex_infinity(),
            Constant::NaN => Expr::nan(),
        }
    }

    /// `a + b`.
    pub fn add(a: Expr, b: Expr) -> Expr {
        sum_of(&[(a, Number::ONE), (b, Number::ONE)])
    }

    /// `a - b`.
    pub fn sub(a: Expr, b: Expr) -> Expr {
        sum_of(&[(a, Number::ONE), (Expr::neg(b), Number::ONE)])
    }

    /// `-a`.
    pub fn neg(a: Expr) -> Expr {
        product_of(&[Expr::minus_one(), a])
    }

    /// `a * b`.
    pub fn mul(a: Expr, b: Expr) -> Expr {
        product_of(&[a, b])
    }

    /// `a / b`.
    pub fn div(a: Expr, b: Expr) -> Expr {
        product_of(&[a, Expr::pow(b, Expr::minus_one())])
    }

    /// `1 / a`.
    pub fn recip(a: Expr) -> Expr {
        Expr::pow(a, Expr::minus_one())
    }

    /// `sqrt(a)`, that is `a ** (1/2)` (principal branch).
    pub fn sqrt(a: Expr) -> Expr {
        Expr::pow(a, Expr::half())
    }

    /// `exp(a)`, that is `E ** a`.
    pub fn exp(a: Expr) -> Expr {
        Expr::pow(Expr::e(), a)
    }

    /// `log(a)` (principal branch).
    pub fn log(a: Expr) -> Expr {
        Expr::func(super::Func::Log, a)
    }

    /// The sum of all `args`, in canonical form.
    pub fn add_all(args: impl IntoIterator<Item = Expr>) -> Expr {
        sum_of(&args.into_iter().map(|a| (a, Number::ONE)).collect::<Vec<_>>())
    }

    /// The linear combination `c_1 e_1 + c_2 e_2 + ...` of the pairs `(e_i, c_i)`, in canonical
    /// form: the sum of the products `c_i * e_i`, without building them (a polynomial from its
    /// monomials and coefficients).
    pub fn linear_combination(terms: impl IntoIterator<Item = (Expr, Number)>) -> Expr {
        sum_of(&terms.into_iter().collect::<Vec<_>>())
    }

    /// The product of all `args`, in canonical form.
    pub fn mul_all(args: impl IntoIterator<Item = Expr>) -> Expr {
        product_of(&args.into_iter().collect::<Vec<_>>())
    }

    /// A relation `lhs op rhs`; evaluates to `True`/`False` when both sides are exact real
    /// numbers (or structurally equal, for `Eq`/`Ne`).
    pub fn rel(op: RelOp, lhs: Expr, rhs: Expr) -> Expr {
        if let (Some(a), Some(b)) = (lhs.as_number(), rhs.as_number())
            && a.is_exact()
            && b.is_exact()
        {
            let o = a.cmp_value(b);
            let t = match op {
                RelOp::Eq => o.is_eq(),
                RelOp::Ne => o.is_ne(),
                RelOp::Lt => o.is_lt(),
                RelOp::Le => o.is_le(),
                RelOp::Gt => o.is_gt(),
                RelOp::Ge => o.is_ge(),
            };
            return Expr::boolean(t);
        }
        if lhs == rhs && !has_nan(&lhs) {
            match op {
                RelOp::Eq | RelOp::Le | RelOp::Ge => return Expr::true_(),
                RelOp::Ne | RelOp::Lt | RelOp::Gt => return Expr::false_(),
            }
        }
        Expr::from_kind(Kind::Rel(op, lhs, rhs))
    }

    /// `True` or `False`.
    pub fn boolean(b: bool) -> Expr {
        if b { Expr::true_() } else { Expr::false_() }
    }

    /// The conjunction of conditions (flattened; `True` dropped; `False` absorbs).
    pub fn and_all(args: impl IntoIterator<Item = Expr>) -> Expr {
        let mut out: Vec<Expr> = Vec::new();
        for a in args {
            match a.kind() {
                Kind::Bool(true) => {}
                Kind::Bool(false) => return Expr::false_(),
                Kind::And(xs) => out.extend(xs.iter().cloned()),
                _ => out.push(a),
            }
        }
        out.sort_by(cmp_canonical);
        out.dedup();
        match out.len() {
            0 => Expr::true_(),
            1 => out.pop().unwrap_or_else(Expr::true_),
            _ => Expr::from_kind(Kind::And(out.into_boxed_slice())),
        }
    }

    /// The disjunction of conditions (flattened; `False` dropped; `True` absorbs).
    pub fn or_all(args: impl IntoIterator<Item = Expr>) -> Expr {
        let mut out: Vec<Expr> = Vec::new();
        for a in args {
            match a.kind() {
                Kind::Bool(false) => {}
                Kind::Bool(true) => return Expr::true_(),
                Kind::Or(xs) => out.extend(xs.iter().cloned()),
                _ => out.push(a),
            }
        }
        out.sort_by(cmp_canonical);
        out.dedup();
        match out.len() {
            0 => Expr::false_(),
            1 => out.pop().unwrap_or_else(Expr::false_),
            _ => Expr::from_kind(Kind::Or(out.into_boxed_slice())),
        }
    }

    /// The negation of a condition (relations are negated in place: `Not(x < 1)` is `x >= 1`).
    pub fn not(a: Expr) -> Expr {
        match a.kind() {
            Kind::Bool(b) => Expr::boolean(!b),
            Kind::Not(x) => x.clone(),
            Kind::Rel(op, l, r) => Expr::rel(op.negated(), l.clone(), r.clone()),
            _ => Expr::from_kind(Kind::Not(a)),
        }
    }

    /// `Piecewise((value, condition), ...)`: branches after a `True` condition are dropped,
    /// `False` branches are removed, and a lone `True` branch is its value.
    pub fn piecewise(branches: impl IntoIterator<Item = (Expr, Expr)>) -> Expr {
        let mut out: Vec<(Expr, Expr)> = Vec::new();
        for (v, c) in branches {
            match c.kind() {
                Kind::Bool(false) => continue,
                Kind::Bool(true) => {
                    out.push((v, c));
                    break;
                }
                _ => out.push((v, c)),
            }
        }
        match out.as_slice() {
            [] => Expr::nan(),
            [(v, c)] if matches!(c.kind(), Kind::Bool(true)) => v.clone(),
            _ => Expr::from_kind(Kind::Piecewise(out.into_boxed_slice())),
        }
    }

    /// `RootOf(poly, var, index)`. No simplification happens here; sym-solve evaluates it.
    pub fn root_of(poly: Expr, var: Symbol, index: u32) -> Expr {
        Expr::from_kind(Kind::RootOf(RootOfData { poly, var, index }))
    }

    /// A sum from a numeric constant and `(monomial, coefficient)` pairs whose monomials are
    /// already canonical monomials (not numbers, sums, or products with a coefficient) and
    /// pairwise distinct. Used by fast paths (polynomial conversion) that know this holds.
    pub(crate) fn add_from_unique_terms(mut constant: Number, mut terms: Vec<(Expr, Number)>) -> Expr {
        terms.retain(|(_, c)| !c.is_zero());
        // Infinities absorb the finite constant here too (`zoo - 7/8` is `zoo`), as in `add`.
        if terms.iter().any(|(t, _)| matches!(t.kind(), Kind::Const(c) if is_special(*c))) {
            match absorb_specials(&mut terms) {
                Some(special) => return special,
                None => constant = Number::ZERO,
            }
        }
        terms.sort_unstable_by(|a, b| cmp_canonical(&a.0, &b.0));
        finish_sum(constant, terms)
    }

    /// A product node from a coefficient and already-simplified, distinct `(base, exponent)`
    /// factors. Used by the power rules for numeric radicals.
    pub(crate) fn mul_from_unique_factors(coeff: Number, mut factors: Vec<(Expr, Expr)>) -> Expr {
        factors.sort_unstable_by(|a, b| cmp_canonical(&a.0, &b.0));
        finish_product(coeff, factors)
    }

    /// Splits a term into its numeric coefficient and monomial (`3*x*y` is `(3, x*y)`).
    pub fn as_coeff_monomial(&self) -> (Number, Expr) {
        match self.kind() {
            Kind::Num(n) => (n.clone(), Expr::one()),
            Kind::Mul(m) if !m.coeff.is_one() => (m.coeff.clone(), monomial_of(m)),
            _ => (Number::ONE, self.clone()),
        }
    }

    /// The numeric coefficient of a term (`-3` for `-3*x`, `1` for `x`).
    pub fn coeff_number(&self) -> Number {
        match self.kind() {
            Kind::Num(n) => n.clone(),
            Kind::Mul(m) => m.coeff.clone(),
            _ => Number::ONE,
        }
    }

    /// Whether the term's numeric coefficient is negative (`-x`, `-2*y`, `-3`).
    pub fn has_negative_coeff(&self) -> bool {
        self.coeff_number().is_negative()
    }

    /// The terms of a sum as expressions (the expression itself when it is not a sum).
    pub fn terms(&self) -> Vec<Expr> {
        match self.kind() {
            Kind::Add(a) => {
                let mut out: Vec<Expr> =
                    a.terms.iter().map(|(t, c)| Expr::mul(Expr::num(c.clone()), t.clone())).collect();
                if !a.constant.is_zero() {
                    out.push(Expr::num(a.constant.clone()));
                }
                out
            }
            _ => vec![self.clone()],
        }
    }

    /// The factors of a product as expressions (coefficient first when it is not one).
    pub fn factors(&self) -> Vec<Expr> {
        match self.kind() {
            Kind::Mul(m) => {
                let mut out = Vec::with_capacity(m.factors.len() + 1);
                if !m.coeff.is_one() {
                    out.push(Expr::num(m.coeff.clone()));
                }
                out.extend(m.factors.iter().map(|(b, e)| Expr::pow(b.clone(), e.clone())));
                out
            }
            _ => vec![self.clone()],
        }
    }

    /// Splits `self` into `(base, exponent)`: `x**3` is `(x, 3)`, `x` is `(x, 1)`.
    pub fn as_base_exp(&self) -> (Expr, Expr) {
        match self.kind() {
            Kind::Pow(b, e) => (b.clone(), e.clone()),
            _ => (self.clone(), Expr::one()),
        }
    }
}

/// The sum of `c * e` over the pairs `(e, c)`: by sorting when their monomials only need
/// collecting, else by the builder.
fn sum_of(args: &[(Expr, Number)]) -> Expr {
    if let Some(s) = distinct::sum(args) {
        return s;
    }
    let mut acc = SumBuilder::default();
    for (a, c) in args {
        acc.push(a, c);
    }
    acc.finish()
}

/// The product of `args`: by sorting when their bases are distinct, else by the builder.
fn product_of(args: &[Expr]) -> Expr {
    if let Some(p) = distinct::product(args) {
        return p;
    }
    let mut acc = ProductBuilder::default();
    for a in args {
        acc.push(a.clone());
    }
    acc.finish()
}

fn has_nan(e: &Expr) -> bool {
    e.is_const(Constant::NaN)
}

/// Collects `(monomial, coefficient)` pairs whose monomials are canonical (no numeric coefficient,
/// not sums), adding coefficients of equal monomials; used by fast paths that produce such terms.
#[derive(Default)]
pub(crate) struct TermCollector {
    index: ExprMap<usize>,
    terms: Vec<(Expr, Number)>,
    constant: Number,
}

impl TermCollector {
    /// Adds `coeff * monomial` (a monomial equal to one adds to the constant).
    pub(crate) fn add(&mut self, monomial: Expr, coeff: Number) {
        if monomial.is_one() {
            self.constant = &self.constant + &coeff;
            return;
        }
        match self.index.get(&monomial) {
            Some(&i) => self.terms[i].1 = &self.terms[i].1 + &coeff,
            None => {
                self.index.insert(monomial.clone(), self.terms.len());
                self.terms.push((monomial, coeff));
            }
        }
    }

    /// The sum, plus `constant`.
    pub(crate) fn finish(self, constant: Number) -> Expr {
        Expr::add_from_unique_terms(&self.constant + &constant, self.terms)
    }
}

/// Splits a sum into its numeric content and primitive part, `a = c * p`, when `c != 1`.
///
/// For exact coefficients the content is `gcd(numerators) / lcm(denominators)`, so `p` has
/// coprime integer coefficients; its sign is chosen so that `p` does not start with a minus sign
/// ([`Expr::could_extract_minus_sign`]). With float coefficients only the sign is normalised.
/// Sums inside products and integer powers are kept primitive, which makes products of sums
/// canonical regardless of how they were associated.
pub(crate) fn split_content(a: &AddData) -> Option<(Number, Expr)> {
    // Sums with infinities are left alone (-zoo is zoo, so signs cannot be moved through them).
    if has_special_term(a) {
        return None;
    }
    let mut content = Number::ONE;
    match small_content(a) {
        Some(c) => content = c,
        None if a.constant.is_exact() && a.terms.iter().all(|(_, c)| c.is_exact()) => {
            let mut g = rug::Integer::new();
            let mut l = rug::Integer::from(1);
            let coeffs = a.terms.iter().map(|(_, c)| c).chain(std::iter::once(&a.constant).filter(|c| !c.is_zero()));
            for c in coeffs {
                let (n, d) = (c.numer().unwrap_or_default(), c.denom().unwrap_or_else(|| rug::Integer::from(1)));
                g = g.gcd(&n);
                l = l.lcm(&d);
            }
            if g != 0 {
                content = Number::from_rational(rug::Rational::from((g, l)));
            }
        }
        None => {}
    }
    if add_could_extract_minus_sign(a) != content.is_negative() {
        content = -content;
    }
    // A sum as a term (`(zoo*m - y)/4`: a number times a sum that did not distribute) keeps a
    // coefficient other than 1: dividing its coefficient out would leave a sum directly inside a
    // sum. Other contents come out (`3*(R + zoo) - x` times 11 reads back as `33*(R + zoo) - 11*x`).
    if content.is_one() || a.terms.iter().any(|(t, c)| matches!(t.kind(), Kind::Add(_)) && *c == content) {
        return None;
    }
    let inv = content.recip()?;
    let terms: Vec<(Expr, Number)> = a.terms.iter().map(|(t, c)| (t.clone(), c * &inv)).collect();
    Some((content, finish_sum(&a.constant * &inv, terms)))
}

/// The positive content `gcd(numerators) / lcm(denominators)` of a sum's coefficients in machine
/// words, or `None` when a coefficient is a float or too large (the caller then uses GMP).
/// The result is in lowest terms: a prime dividing both the gcd and the lcm would divide some
/// coefficient's numerator and denominator.
fn small_content(a: &AddData) -> Option<Number> {
    let (mut g, mut l) = (0u64, 1u64);
    let constant = std::iter::once(&a.constant).filter(|c| !c.is_zero());
    for c in a.terms.iter().map(|(_, c)| c).chain(constant) {
        let (n, d) = small_parts(c)?;
        g = gcd_u64(g, n.unsigned_abs());
        let d = d.unsigned_abs();
        l = l.checked_mul(d / gcd_u64(l, d))?;
    }
    if g == 0 {
        return Some(Number::ONE);
    }
    from_wide_parts(g as i128, l as i128)
}

/// Whether a sum has an infinite or undefined term (`oo`, `-oo`, `zoo`, `nan`), alone or as a
/// factor of the term (`zoo*y`: `-zoo*y` is `zoo*y`, so no sign can be moved through it either).
fn has_special_term(a: &AddData) -> bool {
    let special = |e: &Expr| matches!(e.kind(), Kind::Const(c) if is_special(*c));
    a.terms.iter().any(|(t, _)| match t.kind() {
        Kind::Mul(m) => m.factors.iter().any(|(b, _)| special(b)),
        Kind::Pow(b, _) => special(b),
        _ => special(t),
    })
}

fn gcd_u64(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// [`Expr::could_extract_minus_sign`] for a sum, without building it: more negative than
/// positive terms (the constant counts), ties broken by the first term in canonical order.
pub(crate) fn add_could_extract_minus_sign(a: &AddData) -> bool {
    // A number does not distribute over a sum with infinite terms, so the negation of such a sum
    // is the product `-1 * sum`, which answers `true`: the sum itself must answer `false`
    // (answering by its terms' signs made `cos(oo*H - D)` rewrite itself forever).
    if has_special_term(a) {
        return false;
    }
    let mut balance = 0i64;
    if !a.constant.is_zero() {
        balance += a.constant.signum() as i64;
    }
    balance += a.terms.iter().map(|(_, c)| c.signum() as i64).sum::<i64>();
    if balance != 0 {
        return balance < 0;
    }
    a.terms.first().is_some_and(|(_, c)| c.is_negative())
}

/// The monomial of a product: the product without its numeric coefficient.
fn monomial_of(m: &MulData) -> Expr {
    finish_product(Number::ONE, m.factors.to_vec())
}

/// Accumulates a sum: a numeric constant plus monomials with their coefficients (a linear scan
/// for few terms, a hash index beyond [`LINEAR_LIMIT`]).
#[derive(Default)]
struct SumBuilder {
    constant: Option<Number>,
    terms: Vec<(Expr, Number)>,
    index: Option<ExprMap<usize>>,
}

impl SumBuilder {
    fn add_constant(&mut self, n: Number) {
        self.constant = Some(match self.constant.take() {
            Some(c) => &c + &n,
            None => n,
        });
    }

    fn position(&self, t: &Expr) -> Option<usize> {
        match &self.index {
            Some(ix) => ix.get(t).copied(),
            None => self.terms.iter().position(|(u, _)| u == t),
        }
    }

    fn add_term(&mut self, t: &Expr, c: Number) {
        if !c.is_one() && has_infinite_factor(t) {
            let (t, c) = normalize_infinite(t, c);
            return self.add_term_plain(&t, c);
        }
        self.add_term_plain(t, c)
    }

    fn add_term_plain(&mut self, t: &Expr, c: Number) {
        if let Some(i) = self.position(t) {
            let slot = &mut self.terms[i].1;
            *slot = &*slot + &c;
            return;
        }
        if let Some(ix) = &mut self.index {
            ix.insert(t.clone(), self.terms.len());
        } else if self.terms.len() >= LINEAR_LIMIT {
            let mut ix: ExprMap<usize> = ExprMap::default();
            for (i, (u, _)) in self.terms.iter().enumerate() {
                ix.insert(u.clone(), i);
            }
            ix.insert(t.clone(), self.terms.len());
            self.index = Some(ix);
        }
        self.terms.push((t.clone(), c));
    }

    /// Adds `c * e`.
    fn push(&mut self, e: &Expr, c: &Number) {
        match e.kind() {
            Kind::Num(n) => self.add_constant(c * n),
            Kind::Add(a) => {
                self.add_constant(c * &a.constant);
                for (t, k) in a.terms.iter() {
                    self.add_term(t, c * k);
                }
            }
            Kind::Mul(m) if !m.coeff.is_one() => {
                let mono = monomial_of(m);
                self.add_term(&mono, c * &m.coeff);
            }
            _ => self.add_term(e, c.clone()),
        }
    }

    fn finish(self) -> Expr {
        let mut constant = self.constant.unwrap_or(Number::ZERO);
        let mut terms = self.terms;
        terms.retain(|(_, c)| !c.is_zero());
        // A sum stays a term of a sum only with a coefficient that did not distribute over it (a
        // sum with infinite terms); one that came back to coefficient 1 (`-(-s)`) is a plain sum
        // again, and its terms join this one (else it would print as `x + (s)` and read back flat).
        if terms.iter().any(|(t, c)| c.is_one() && matches!(t.kind(), Kind::Add(_))) {
            let mut flat = SumBuilder::default();
            flat.add_constant(constant);
            for (t, c) in &terms {
                if c.is_one() && matches!(t.kind(), Kind::Add(_)) {
                    flat.push(t, c);
                } else {
                    flat.add_term(t, c.clone());
                }
            }
            return flat.finish();
        }
        // Infinities and nan absorb finite constants and each other.
        if terms.iter().any(|(t, _)| matches!(t.kind(), Kind::Const(c) if is_special(*c))) {
            match absorb_specials(&mut terms) {
                Some(special) => return special,
                None => constant = Number::ZERO,
            }
        }
        terms.sort_unstable_by(|a, b| cmp_canonical(&a.0, &b.0));
        finish_sum(constant, terms)
    }
}

/// Whether the monomial `t` (a product with coefficient one) has an infinite factor.
fn has_infinite_factor(t: &Expr) -> bool {
    match t.kind() {
        Kind::Mul(m) => m.factors.iter().any(|(b, e)| {
            e.is_one()
                && matches!(
                    b.kind(),
                    Kind::Const(Constant::Infinity | Constant::NegInfinity | Constant::ComplexInfinity)
                )
        }),
        _ => false,
    }
}

/// `c * t` for a monomial `t` with an infinite factor, split back into monomial and coefficient:
/// the product absorbs the coefficient into the infinity (see `apply_infinities`).
fn normalize_infinite(t: &Expr, c: Number) -> (Expr, Number) {
    let p = Expr::mul(Expr::num(c), t.clone());
    match p.kind() {
        Kind::Mul(m) if !m.coeff.is_one() => (monomial_of(m), m.coeff.clone()),
        _ => (p, Number::ONE),
    }
}

fn is_special(c: Constant) -> bool {
    matches!(c, Constant::Infinity | Constant::NegInfinity | Constant::ComplexInfinity | Constant::NaN)
}

/// Resolves the infinities among the terms of a sum: returns `Some(result)` when the sum is
/// `nan`; otherwise merges them into one infinite term and asks the caller to drop the constant.
fn absorb_specials(terms: &mut Vec<(Expr, Number)>) -> Option<Expr> {
    let (mut pos, mut neg, mut cplx) = (false, false, false);
    for (t, c) in terms.iter() {
        if let Kind::Const(k) = t.kind() {
            match k {
                Constant::NaN => return Some(Expr::nan()),
                Constant::Infinity => {
                    if c.is_positive() {
                        pos = true
                    } else {
                        neg = true
                    }
                }
                Constant::NegInfinity => {
                    if c.is_positive() {
                        neg = true
                    } else {
                        pos = true
                    }
                }
                Constant::ComplexInfinity => {
                    if cplx {
                        return Some(Expr::nan());
                    }
                    cplx = true
                }
                _ => {}
            }
        }
    }
    if (pos && neg) || (cplx && (pos || neg)) {
        return Some(Expr::nan());
    }
    terms.retain(|(t, _)| !matches!(t.kind(), Kind::Const(c) if is_special(*c)));
    let inf = if cplx {
        Expr::complex_infinity()
    } else if pos {
        Expr::infinity()
    } else {
        Expr::neg_infinity()
    };
    terms.push((inf, Number::ONE));
    None
}

/// Builds the sum node from sorted, distinct, non-zero terms.
fn finish_sum(constant: Number, mut terms: Vec<(Expr, Number)>) -> Expr {
    // A monomial with an infinite factor absorbs its coefficient as a product does (`2*oo*x` is
    // `oo*x`, `-oo*x` keeps the sign in the infinity): every path that scales or merges
    // coefficients (content splitting, merging `oo*x + oo*x`) ends here.
    if terms.iter().any(|(t, c)| !c.is_one() && has_infinite_factor(t)) {
        for (t, c) in terms.iter_mut() {
            if !c.is_one() && has_infinite_factor(t) {
                (*t, *c) = normalize_infinite(t, c.clone());
            }
        }
        terms.sort_unstable_by(|a, b| cmp_canonical(&a.0, &b.0));
        // A sign moved into the infinity can meet an equal monomial: `oo*x + oo*x` is `oo*x`.
        terms.dedup_by(|a, b| a.0 == b.0);
    }
    match terms.len() {
        0 => Expr::num(constant),
        // A zero constant is dropped, a float zero too (SymPy: `x + 0.0` is `x`): the printer
        // never shows it, so keeping it would break the print/parse round trip.
        1 if constant.is_zero() => {
            let (t, c) = terms.pop().unwrap_or_else(|| (Expr::zero(), Number::ZERO));
            scale_monomial(c, t)
        }
        _ => {
            let constant = if constant.is_zero() { Number::ZERO } else { constant };
            Expr::from_kind(Kind::Add(AddData { constant, terms: terms.into_boxed_slice() }))
        }
    }
}

/// `c * t` for a canonical monomial `t` (cheap: no re-canonicalisation of `t`'s factors).
fn scale_monomial(c: Number, t: Expr) -> Expr {
    if c.is_one() {
        return t;
    }
    match t.kind() {
        Kind::Mul(m) => finish_product(&c * &m.coeff, m.factors.to_vec()),
        Kind::Pow(b, e) => finish_product(c, vec![(b.clone(), e.clone())]),
        Kind::Const(k) if is_special(*k) => Expr::mul(Expr::num(c), t),
        _ => finish_product(c, vec![(t, Expr::one())]),
    }
}

/// Builds the product node from a coefficient and sorted, distinct, simplified factors.
fn finish_product(coeff: Number, mut factors: Vec<(Expr, Expr)>) -> Expr {
    if coeff.is_zero() {
        // A zero coefficient, a float zero too, is the product (SymPy: `0.0*x` is `0.0`).
        return Expr::num(coeff);
    }
    match factors.len() {
        0 => Expr::num(coeff),
        1 if coeff.is_one() => {
            let (b, e) = factors.pop().unwrap_or_else(|| (Expr::one(), Expr::one()));
            if e.is_one() { b } else { Expr::from_kind(Kind::Pow(b, e)) }
        }
        1 if factors[0].1.is_one() && matches!(factors[0].0.kind(), Kind::Add(a) if !has_special_term(a)) => {
            // A number times a sum distributes, as in SymPy: 2*(x + 1) = 2*x + 2. Not over
            // infinities: `-(x + zoo)` would become `-x + zoo`, which no longer shows the sign
            // and so cannot be printed back to the same product.
            let (b, _) = factors.pop().unwrap_or_else(|| (Expr::zero(), Expr::one()));
            let mut acc = SumBuilder::default();
            acc.push(&b, &coeff);
            acc.finish()
        }
        _ => Expr::from_kind(Kind::Mul(MulData { coeff, factors: factors.into_boxed_slice() })),
    }
}

/// An exponent being accumulated for one base: numbers are summed without allocating.
enum ExpAcc {
    /// The exponent of a factor taken from a canonical node (a product's factor, a power, or an
    /// atom with exponent one) and not combined with another factor yet: `base ** exp` is already
    /// in canonical form, so `finish` uses the pair as it is instead of simplifying it again.
    Canonical(Expr),
    Num(Number),
    Sum(Vec<Expr>),
}

impl ExpAcc {
    fn add(&mut self, e: &Expr) {
        let current = std::mem::replace(self, ExpAcc::Sum(Vec::new()));
        *self = match (current, e.as_number()) {
            (ExpAcc::Canonical(x), m) => match (x.as_number(), m) {
                (Some(n), Some(m)) => ExpAcc::Num(n + m),
                _ => ExpAcc::Sum(vec![x, e.clone()]),
            },
            (ExpAcc::Num(n), Some(m)) => ExpAcc::Num(&n + m),
            (ExpAcc::Num(n), None) => ExpAcc::Sum(vec![Expr::num(n), e.clone()]),
            (ExpAcc::Sum(mut v), _) => {
                v.push(e.clone());
                ExpAcc::Sum(v)
            }
        };
    }

    /// The exponent, and whether the pair is known to be canonical.
    fn into_expr(self) -> (Expr, bool) {
        match self {
            ExpAcc::Canonical(x) => (x, true),
            ExpAcc::Num(n) => (Expr::num(n), false),
            ExpAcc::Sum(v) => (Expr::add_all(v), false),
        }
    }
}

/// Whether `base ** exp` is already simplified, as the factor of a product: [`Expr::pow`] gives
/// it back unchanged, and a sum with exponent one is primitive. The fast path of
/// [`ProductBuilder::finish`] relies on this for factors taken from canonical nodes; debug
/// builds check it.
#[cfg(debug_assertions)]
fn is_simplified_factor(b: &Expr, e: &Expr) -> bool {
    let p = Expr::pow(b.clone(), e.clone());
    match p.kind() {
        Kind::Pow(b2, e2) => b2 == b && e2 == e,
        Kind::Num(_) | Kind::Mul(_) | Kind::Const(Constant::NaN) => false,
        Kind::Add(a) => e.is_one() && p == *b && split_content(a).is_none(),
        _ => e.is_one() && p == *b,
    }
}

/// Accumulates a product: a numeric coefficient and bases with their exponents (a linear scan
/// for few bases, a hash index beyond [`LINEAR_LIMIT`]).
#[derive(Default)]
struct ProductBuilder {
    coeff: Option<Number>,
    bases: Vec<(Expr, ExpAcc)>,
    index: Option<ExprMap<usize>>,
    nan: bool,
}

impl ProductBuilder {
    fn mul_coeff(&mut self, n: &Number) {
        self.coeff = Some(match self.coeff.take() {
            Some(c) => &c * n,
            None => n.clone(),
        });
    }

    /// Multiplies by `b ** e`; `canonical` says that the pair comes from a canonical node (see
    /// [`ExpAcc::Canonical`]).
    fn add_factor(&mut self, b: &Expr, e: &Expr, canonical: bool) {
        let pos = match &self.index {
            Some(ix) => ix.get(b).copied(),
            None => self.bases.iter().position(|(u, _)| u == b),
        };
        if let Some(i) = pos {
            self.bases[i].1.add(e);
            return;
        }
        let acc = match e.as_number() {
            _ if canonical => ExpAcc::Canonical(e.clone()),
            Some(n) => ExpAcc::Num(n.clone()),
            None => ExpAcc::Sum(vec![e.clone()]),
        };
        if let Some(ix) = &mut self.index {
            ix.insert(b.clone(), self.bases.len());
        } else if self.bases.len() >= LINEAR_LIMIT {
            let mut ix: ExprMap<usize> = ExprMap::default();
            for (i, (u, _)) in self.bases.iter().enumerate() {
                ix.insert(u.clone(), i);
            }
            ix.insert(b.clone(), self.bases.len());
            self.index = Some(ix);
        }
        self.bases.push((b.clone(), acc));
    }

    fn push(&mut self, a: Expr) {
        match a.kind() {
            Kind::Num(n) => self.mul_coeff(n),
            Kind::Mul(m) => {
                self.mul_coeff(&m.coeff);
                for (b, e) in m.factors.iter() {
                    self.add_factor(b, e, true);
                }
            }
            Kind::Pow(b, e) => self.add_factor(b, e, true),
            Kind::Const(Constant::NaN) => self.nan = true,
            // A bare sum must still be made primitive; any other atom is its own factor.
            Kind::Add(_) => self.add_factor(&a, &Expr::one(), false),
            _ => self.add_factor(&a, &Expr::one(), true),
        }
    }

    fn finish(mut self) -> Expr {
        if self.nan {
            return Expr::nan();
        }
        let mut coeff = self.coeff.take().unwrap_or(Number::ONE);
        if coeff.is_zero() {
            // `0*x` is `0` and `0.0*x` is `0.0` (as in SymPy), whatever the factors' values; an
            // infinite factor makes it undefined.
            let has_infinite = self.bases.iter().any(|(b, _)| matches!(b.kind(), Kind::Const(c) if is_special(*c)));
            return if has_infinite { Expr::nan() } else { Expr::num(coeff) };
        }
        // Combine exponents per base, then simplify each power; repeat while simplification
        // produced bases that collide (e.g. sqrt(-1) becoming I next to an existing I).
        let mut factors: Vec<(Expr, Expr)> = Vec::new();
        let mut pending: Vec<(Expr, Expr, bool)>;
        let mut rounds = 0;
        let mut simplify = true;
        if self.bases.iter().all(|(_, acc)| matches!(acc, ExpAcc::Canonical(_))) {
            // Fast path: every pair is simplified and the bases are distinct, so the first round
            // below would copy the pairs as they are; only numeric radicals may still combine.
            factors.reserve_exact(self.bases.len());
            for (b, acc) in self.bases.drain(..) {
                let (e, _) = acc.into_expr();
                #[cfg(debug_assertions)]
                debug_assert!(is_simplified_factor(&b, &e), "non-canonical factor {b} ** {e}");
                factors.push((b, e));
            }
            pending = Vec::new();
            simplify = combine_numeric_radicals(&mut factors);
            if simplify {
                rounds = 1;
                pending = std::mem::take(&mut factors).into_iter().map(|(b, e)| (b, e, false)).collect();
            }
        } else {
            pending = std::mem::take(&mut self.bases)
                .into_iter()
                .map(|(b, acc)| {
                    let (e, canonical) = acc.into_expr();
                    (b, e, canonical)
                })
                .collect();
        }
        if simplify {
            loop {
                factors = Vec::with_capacity(pending.len());
                let mut merged: ExprMap<usize> = ExprMap::default();
                let use_index = pending.len() > LINEAR_LIMIT;
                let mut collided = false;
                for (b, e, canonical) in pending.drain(..) {
                    if e.is_zero() {
                        continue;
                    }
                    let mut put = |b: Expr, e: Expr, factors: &mut Vec<(Expr, Expr)>| {
                        let found =
                            if use_index { merged.get(&b).copied() } else { factors.iter().position(|(u, _)| *u == b) };
                        if let Some(i) = found {
                            let old = std::mem::replace(&mut factors[i].1, Expr::zero());
                            factors[i].1 = Expr::add(old, e);
                            collided = true;
                        } else {
                            if use_index {
                                merged.insert(b.clone(), factors.len());
                            }
                            factors.push((b, e));
                        }
                    };
                    if canonical {
                        // Taken unchanged from a canonical node: simplifying it again would give it
                        // back (re-simplifying numeric radicals such as sqrt(3) is costly).
                        #[cfg(debug_assertions)]
                        debug_assert!(is_simplified_factor(&b, &e), "non-canonical factor {b} ** {e}");
                        put(b, e, &mut factors);
                        continue;
                    }
                    let p = Expr::pow(b, e);
                    match p.kind() {
                        Kind::Num(n) => coeff = &coeff * n,
                        Kind::Mul(m) => {
                            coeff = &coeff * &m.coeff;
                            for (b2, e2) in m.factors.iter() {
                                put(b2.clone(), e2.clone(), &mut factors);
                            }
                        }
                        Kind::Pow(b2, e2) => put(b2.clone(), e2.clone(), &mut factors),
                        Kind::Const(Constant::NaN) => return Expr::nan(),
                        Kind::Add(a) => match split_content(a) {
                            // A sum factor is kept primitive: its numeric content joins the
                            // coefficient, so that (2*x + 2)*y and 2*((x + 1)*y) agree.
                            Some((c, prim)) => {
                                coeff = &coeff * &c;
                                put(prim, Expr::one(), &mut factors);
                            }
                            None => put(p.clone(), Expr::one(), &mut factors),
                        },
                        _ => put(p.clone(), Expr::one(), &mut factors),
                    }
                }
                if !collided {
                    collided = combine_numeric_radicals(&mut factors);
                }
                rounds += 1;
                if !collided || rounds > 8 {
                    break;
                }
                pending = std::mem::take(&mut factors).into_iter().map(|(b, e)| (b, e, false)).collect();
            }
        }
        factors.retain(|(_, e)| !e.is_zero());
        if let Some(special) = apply_infinities(&mut coeff, &mut factors) {
            return special;
        }
        if coeff.is_zero() {
            return Expr::num(coeff);
        }
        factors.sort_unstable_by(|a, b| cmp_canonical(&a.0, &b.0));
        finish_product(coeff, factors)
    }
}

/// Multiplies positive integer bases that carry the same rational exponent:
/// `2**(1/2) * 3**(1/2) = 6**(1/2)`. Returns whether anything was merged (so the caller
/// simplifies again: `6**(1/2)` may itself simplify).
fn combine_numeric_radicals(factors: &mut Vec<(Expr, Expr)>) -> bool {
    let mut changed = false;
    let mut i = 0;
    while i < factors.len() {
        let is_radical = |f: &(Expr, Expr)| {
            matches!(f.0.as_number(), Some(n) if n.is_integer() && n.is_positive())
                && matches!(f.1.as_number(), Some(Number::Rational(_)))
        };
        if is_radical(&factors[i]) {
            let mut j = i + 1;
            while j < factors.len() {
                if is_radical(&factors[j]) && factors[j].1 == factors[i].1 {
                    let (bj, _) = factors.remove(j);
                    let (Some(a), Some(b)) = (factors[i].0.as_number(), bj.as_number()) else {
                        continue;
                    };
                    factors[i].0 = Expr::num(a * b);
                    changed = true;
                } else {
                    j += 1;
                }
            }
        }
        i += 1;
    }
    changed
}

/// Applies the rules for infinite factors: a real coefficient gives `oo` its sign, `0*oo` is
/// handled by the caller, and `zoo` absorbs non-zero coefficients.
fn apply_infinities(coeff: &mut Number, factors: &mut Vec<(Expr, Expr)>) -> Option<Expr> {
    let infinite = |f: &(Expr, Expr)| -> Option<Constant> {
        match f.0.kind() {
            Kind::Const(c @ (Constant::Infinity | Constant::NegInfinity | Constant::ComplexInfinity))
                if f.1.is_one() =>
            {
                Some(*c)
            }
            _ => None,
        }
    };
    let kinds: Vec<Constant> = factors.iter().filter_map(infinite).collect();
    if kinds.is_empty() {
        return None;
    }
    // All infinite factors become one: `zoo` absorbs the others; real ones multiply their signs
    // with the coefficient's (`oo*(-oo)` is `-oo`, two `-oo` are `oo`).
    let one = if kinds.contains(&Constant::ComplexInfinity) {
        Expr::complex_infinity()
    } else {
        let negatives = kinds.iter().filter(|c| **c == Constant::NegInfinity).count();
        let negative = coeff.is_negative() != (negatives % 2 == 1);
        if negative { Expr::neg_infinity() } else { Expr::infinity() }
    };
    *coeff = Number::ONE;
    factors.retain(|f| infinite(f).is_none());
    // A power of the same infinity (`oo**m`) takes it into its exponent: `oo**(m + 1)`.
    match factors.iter().position(|f| f.0 == one && f.1.as_number().is_none()) {
        Some(i) => {
            let e = Expr::add(factors[i].1.clone(), Expr::one());
            if e.is_zero() {
                factors.remove(i);
            } else {
                factors[i].1 = e;
            }
        }
        None => factors.push((one, Expr::one())),
    }
    None
}

impl std::ops::Add for Expr {
    type Output = Expr;
    fn add(self, rhs: Expr) -> Expr {
        Expr::add(self, rhs)
    }
}

impl std::ops::Sub for Expr {
    type Output = Expr;
    fn sub(self, rhs: Expr) -> Expr {
        Expr::sub(self, rhs)
    }
}

impl std::ops::Mul for Expr {
    type Output = Expr;
    fn mul(self, rhs: Expr) -> Expr {
        Expr::mul(self, rhs)
    }
}

impl std::ops::Div for Expr {
    type Output = Expr;
    fn div(self, rhs: Expr) -> Expr {
        Expr::div(self, rhs)
    }
}

impl std::ops::Neg for Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        Expr::neg(self)
    }
}

impl std::ops::Add for &Expr {
    type Output = Expr;
    fn add(self, rhs: &Expr) -> Expr {
        Expr::add(self.clone(), rhs.clone())
    }
}

impl std::ops::Sub for &Expr {
    type Output = Expr;
    fn sub(self, rhs: &Expr) -> Expr {
        Expr::sub(self.clone(), rhs.clone())
    }
}

impl std::ops::Mul for &Expr {
    type Output = Expr;
    fn mul(self, rhs: &Expr) -> Expr {
        Expr::mul(self.clone(), rhs.clone())
    }
}

impl std::ops::Div for &Expr {
    type Output = Expr;
    fn div(self, rhs: &Expr) -> Expr {
        Expr::div(self.clone(), rhs.clone())
    }
}

impl std::ops::Neg for &Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        Expr::neg(self.clone())
    }
}

impl From<i64> for Expr {
    fn from(n: i64) -> Expr {
        Expr::int(n)
    }
}

impl From<Number> for Expr {
    fn from(n: Number) -> Expr {
        Expr::num(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_do_not_distribute_over_infinite_terms() {
        // -(zoo*y - 5) would otherwise become 5 - zoo*y, whose term -zoo*y is not canonical
        // (-zoo is zoo) and which parses back to zoo*y + 5.
        let y = Expr::symbol("y");
        let s = Expr::add(Expr::int(-5), Expr::mul(Expr::complex_infinity(), y));
        let n = Expr::neg(s);
        assert_eq!(n.to_string(), "-(zoo*y - 5)");
        assert_eq!(crate::parse(&n.to_string()).unwrap(), n);
    }

    #[test]
    fn small_rational_slots_are_distinct_and_in_range() {
        let mut seen = vec![false; SMALL_RATIONAL_SLOTS];
        for q in 2..=SMALL_DEN_MAX {
            for p in -2 * q..=2 * q {
                let slot = small_rational_slot(p, q).unwrap();
                assert!(!seen[slot], "{p}/{q}");
                seen[slot] = true;
            }
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(small_rational_slot(25, 12), None);
        assert_eq!(small_rational_slot(1, 13), None);
        // Shared nodes are the same values as fresh ones.
        let h = Expr::num(Number::rational(-5, 12).unwrap());
        assert!(h.ptr_eq(&Expr::rational(-5, 12)));
        assert_eq!(h, Expr::from_kind(Kind::Num(Number::rational(-5, 12).unwrap())));
    }
}
