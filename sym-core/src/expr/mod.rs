//! The expression type: immutable, shared, canonical trees with cached structural hashes.
//!
//! # Representation
//!
//! An [`Expr`] is an `Arc` to a node holding its [`Kind`], a cached 64-bit structural hash and its
//! depth. Cloning is a reference-count increment; `Expr` is `Send + Sync + 'static`.
//! Equality first compares pointers, then cached hashes, then structure, so equal canonical
//! expressions compare equal quickly and unequal ones almost always fail on the hash.
//! Hashes are deterministic (symbols hash by name), so canonical orders are the same in every run.
//!
//! # Canonical forms
//!
//! Nodes are only built by the constructors in [`build`](self) (`add`, `mul`, `pow`, the function
//! constructors, ...), which enforce these invariants:
//!
//! * `Add { constant, terms }`: `terms` are `(monomial, coefficient)` pairs sorted by the canonical
//!   order of the monomial; monomials are unique, never numbers, sums, or products with a numeric
//!   coefficient; coefficients are non-zero. There are two terms or more, or one term and a
//!   non-zero constant.
//! * `Mul { coeff, factors }`: `(base, exponent)` pairs sorted by base; bases are unique and never
//!   products; a numeric base only appears with a non-integer exponent; exponents are non-zero; the
//!   coefficient is non-zero; and the product is not a lone power (coefficient one, one factor).
//!   Each pair is final: `Expr::pow(base, exp)` gives it back, and a sum base with exponent one is
//!   primitive (the product builder takes pairs from canonical nodes without simplifying them).
//! * `Pow(base, exp)`: `exp` is not `0` or `1`, and the pair could not be simplified; `exp(x)` is
//!   `Pow(E, x)`, so that products of exponentials combine like any other powers.
//! * `sqrt(x)` is `Pow(x, 1/2)`, `x - y` is `x + (-1)*y` and `x/y` is `x*y**(-1)`, as in SymPy.
//!
//! The canonical order of siblings is by cached hash, then by structure on the (rare) hash ties:
//! cheap, total and deterministic. Printing uses its own, human-friendly order.
//!
//! # Deep trees
//!
//! Recursive algorithms grow the stack on demand (`stacker`), and dropping a deep tree is
//! iterative, so a chain of a million nested functions neither overflows the stack on traversal
//! nor on drop.

pub mod build;
pub mod func;
mod order;
mod power;
mod traverse;

pub use func::Func;
pub use order::cmp_canonical;
pub use power::MAX_EXACT_POWER_BITS;
pub use traverse::{free_symbols, has_symbol, map_children};

use crate::hash::StableHasher;
use crate::number::Number;
use crate::symbol::Symbol;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A symbolic expression (cheap to clone, immutable, canonical).
#[derive(Clone)]
pub struct Expr(Arc<Node>);

struct Node {
    hash: u64,
    depth: u32,
    /// Whether the tree contains a free symbol (cached, so constant subtrees are recognised
    /// in O(1)).
    symbolic: bool,
    kind: Kind,
}

/// Named constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Constant {
    /// The circle constant pi.
    Pi,
    /// Euler's number e (the base of `exp`).
    E,
    /// The imaginary unit.
    I,
    /// Positive real infinity `oo`.
    Infinity,
    /// Negative real infinity `-oo`.
    NegInfinity,
    /// Complex infinity `zoo` (e.g. `1/0`).
    ComplexInfinity,
    /// An undefined value `nan` (e.g. `0/0`, `oo - oo`).
    NaN,
}

impl Constant {
    /// The name used by the printer and the parser.
    pub fn name(self) -> &'static str {
        match self {
            Constant::Pi => "pi",
            Constant::E => "E",
            Constant::I => "I",
            Constant::Infinity => "oo",
            Constant::NegInfinity => "-oo",
            Constant::ComplexInfinity => "zoo",
            Constant::NaN => "nan",
        }
    }
}

/// Relational operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelOp {
    /// `Eq(a, b)`.
    Eq,
    /// `Ne(a, b)`.
    Ne,
    /// `a < b`.
    Lt,
    /// `a <= b`.
    Le,
    /// `a > b`.
    Gt,
    /// `a >= b`.
    Ge,
}

impl RelOp {
    /// The operator's infix symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            RelOp::Eq => "==",
            RelOp::Ne => "!=",
            RelOp::Lt => "<",
            RelOp::Le => "<=",
            RelOp::Gt => ">",
            RelOp::Ge => ">=",
        }
    }

    /// The operator with its sides swapped (`a < b` is `b > a`).
    pub fn reversed(self) -> RelOp {
        match self {
            RelOp::Lt => RelOp::Gt,
            RelOp::Le => RelOp::Ge,
            RelOp::Gt => RelOp::Lt,
            RelOp::Ge => RelOp::Le,
            other => other,
        }
    }

    /// The logical negation (`a < b` becomes `a >= b`).
    pub fn negated(self) -> RelOp {
        match self {
            RelOp::Eq => RelOp::Ne,
            RelOp::Ne => RelOp::Eq,
            RelOp::Lt => RelOp::Ge,
            RelOp::Le => RelOp::Gt,
            RelOp::Gt => RelOp::Le,
            RelOp::Ge => RelOp::Lt,
        }
    }
}

/// A sum: a numeric constant plus `coefficient * monomial` terms (see the module invariants).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddData {
    /// The numeric constant term (possibly zero).
    pub constant: Number,
    /// The non-constant terms, sorted canonically by monomial.
    pub terms: Box<[(Expr, Number)]>,
}

/// A product: a numeric coefficient times `base ** exponent` factors (see the module invariants).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MulData {
    /// The numeric coefficient (never zero).
    pub coeff: Number,
    /// The factors, sorted canonically by base.
    pub factors: Box<[(Expr, Expr)]>,
}

/// `RootOf(poly, var, index)`: the `index`-th root of a polynomial in `var` in the canonical
/// order (real roots ascending, then complex ones by real part, then imaginary part). The
/// polynomial may have parameters (other symbols). Its numeric meaning is given by sym-solve's
/// certified isolation; sym-core knows its derivative.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RootOfData {
    /// The polynomial (an expression polynomial in `var`).
    pub poly: Expr,
    /// The polynomial's variable.
    pub var: Symbol,
    /// The root's index in the canonical order.
    pub index: u32,
}

/// The kinds of expression nodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An exact or floating-point number.
    Num(Number),
    /// A symbol.
    Sym(Symbol),
    /// A named constant.
    Const(Constant),
    /// A sum.
    Add(AddData),
    /// A product.
    Mul(MulData),
    /// A power `base ** exp` (also `exp(x)` as `E ** x` and `sqrt(x)` as `x ** (1/2)`).
    Pow(Expr, Expr),
    /// A function application.
    Func(Func, Box<[Expr]>),
    /// `Piecewise((value, condition), ...)`: the first branch whose condition holds.
    Piecewise(Box<[(Expr, Expr)]>),
    /// A relation between two expressions.
    Rel(RelOp, Expr, Expr),
    /// `True` or `False`.
    Bool(bool),
    /// Conjunction of conditions.
    And(Box<[Expr]>),
    /// Disjunction of conditions.
    Or(Box<[Expr]>),
    /// Negation of a condition.
    Not(Expr),
    /// An indexed root of a polynomial.
    RootOf(RootOfData),
}

impl Kind {
    fn tag(&self) -> u64 {
        match self {
            Kind::Num(_) => 1,
            Kind::Sym(_) => 2,
            Kind::Const(_) => 3,
            Kind::Add(_) => 4,
            Kind::Mul(_) => 5,
            Kind::Pow(..) => 6,
            Kind::Func(..) => 7,
            Kind::Piecewise(_) => 8,
            Kind::Rel(..) => 9,
            Kind::Bool(_) => 10,
            Kind::And(_) => 11,
            Kind::Or(_) => 12,
            Kind::Not(_) => 13,
            Kind::RootOf(_) => 14,
        }
    }

    fn compute_hash_depth(&self) -> (u64, u32, bool) {
        let mut h = StableHasher::with_tag(self.tag());
        let mut depth = 0u32;
        let mut symbolic = matches!(self, Kind::Sym(_));
        let mut child = |h: &mut StableHasher, e: &Expr| {
            h.write_u64(e.0.hash);
            depth = depth.max(e.0.depth);
            symbolic |= e.0.symbolic;
        };
        match self {
            Kind::Num(n) => n.hash(&mut h),
            Kind::Sym(s) => h.write_u64(s.stable_hash()),
            Kind::Const(c) => h.write_u64(*c as u64),
            Kind::Add(a) => {
                a.constant.hash(&mut h);
                for (t, c) in a.terms.iter() {
                    child(&mut h, t);
                    c.hash(&mut h);
                }
            }
            Kind::Mul(m) => {
                m.coeff.hash(&mut h);
                for (b, e) in m.factors.iter() {
                    child(&mut h, b);
                    child(&mut h, e);
                }
            }
            Kind::Pow(b, e) => {
                child(&mut h, b);
                child(&mut h, e);
            }
            Kind::Func(f, args) => {
                h.write_u64(*f as u64);
                for a in args.iter() {
                    child(&mut h, a);
                }
            }
            Kind::Piecewise(bs) => {
                for (v, c) in bs.iter() {
                    child(&mut h, v);
                    child(&mut h, c);
                }
            }
            Kind::Rel(op, a, b) => {
                h.write_u64(*op as u64);
                child(&mut h, a);
                child(&mut h, b);
            }
            Kind::Bool(b) => h.write_u8(*b as u8),
            Kind::And(xs) | Kind::Or(xs) => {
                for x in xs.iter() {
                    child(&mut h, x);
                }
            }
            Kind::Not(x) => child(&mut h, x),
            Kind::RootOf(r) => {
                child(&mut h, &r.poly);
                h.write_u64(r.var.stable_hash());
                h.write_u32(r.index);
            }
        }
        if let Kind::RootOf(r) = self {
            // The polynomial's variable is bound, not free.
            symbolic = traverse::free_symbols(&r.poly).iter().any(|s| *s != r.var);
        }
        let is_leaf = matches!(self, Kind::Num(_) | Kind::Sym(_) | Kind::Const(_) | Kind::Bool(_));
        (h.finish(), if is_leaf { 0 } else { depth.saturating_add(1) }, symbolic)
    }

    /// Moves the children out (leaving empty slices), for the iterative drop of deep trees.
    fn take_children(&mut self, out: &mut Vec<Expr>) {
        match self {
            Kind::Add(a) => out.extend(std::mem::take(&mut a.terms).into_vec().into_iter().map(|(t, _)| t)),
            Kind::Mul(m) => {
                for (b, e) in std::mem::take(&mut m.factors).into_vec() {
                    out.push(b);
                    out.push(e);
                }
            }
            Kind::Func(_, args) | Kind::And(args) | Kind::Or(args) => out.extend(std::mem::take(args).into_vec()),
            Kind::Piecewise(bs) => {
                for (v, c) in std::mem::take(bs).into_vec() {
                    out.push(v);
                    out.push(c);
                }
            }
            Kind::Pow(..) | Kind::Rel(..) | Kind::Not(_) | Kind::RootOf(_) => {
                // Children held by value: swap them out for a shared leaf.
                let leaf = Expr::zero();
                match self {
                    Kind::Pow(b, e) | Kind::Rel(_, b, e) => {
                        out.push(std::mem::replace(b, leaf.clone()));
                        out.push(std::mem::replace(e, leaf));
                    }
                    Kind::Not(x) => out.push(std::mem::replace(x, leaf)),
                    Kind::RootOf(r) => out.push(std::mem::replace(&mut r.poly, leaf)),
                    _ => {}
                }
            }
            Kind::Num(_) | Kind::Sym(_) | Kind::Const(_) | Kind::Bool(_) => {}
        }
    }
}

/// Trees deeper than this are dropped iteratively.
const DEEP_DROP: u32 = 256;

impl Drop for Node {
    fn drop(&mut self) {
        if self.depth < DEEP_DROP {
            return;
        }
        let mut stack = Vec::new();
        self.kind.take_children(&mut stack);
        while let Some(e) = stack.pop() {
            if let Ok(mut node) = Arc::try_unwrap(e.0) {
                node.kind.take_children(&mut stack);
                // `node` drops here with no children left, so no recursion happens.
            }
        }
    }
}

impl Expr {
    /// Wraps a kind into a node. Only the canonicalising constructors call this.
    pub(crate) fn from_kind(kind: Kind) -> Expr {
        let (hash, depth, symbolic) = kind.compute_hash_depth();
        Expr(Arc::new(Node { hash, depth, symbolic, kind }))
    }

    /// The node's kind, for pattern matching.
    pub fn kind(&self) -> &Kind {
        &self.0.kind
    }

    /// The cached structural hash (deterministic across runs).
    pub fn hash_value(&self) -> u64 {
        self.0.hash
    }

    /// The height of the tree (leaves have depth zero).
    pub fn depth(&self) -> u32 {
        self.0.depth
    }

    /// Whether the expression contains a free symbol (O(1): cached at construction).
    pub fn has_free_symbols(&self) -> bool {
        self.0.symbolic
    }

    /// Whether two expressions are the same allocation (a sufficient test for equality).
    pub fn ptr_eq(&self, other: &Expr) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The number, when this is one.
    pub fn as_number(&self) -> Option<&Number> {
        match self.kind() {
            Kind::Num(n) => Some(n),
            _ => None,
        }
    }

    /// The symbol, when this is one.
    pub fn as_symbol(&self) -> Option<Symbol> {
        match self.kind() {
            Kind::Sym(s) => Some(*s),
            _ => None,
        }
    }

    /// Whether this is a number.
    pub fn is_number(&self) -> bool {
        matches!(self.kind(), Kind::Num(_))
    }

    /// Whether this is exactly the integer zero.
    pub fn is_zero(&self) -> bool {
        matches!(self.kind(), Kind::Num(n) if n.is_zero() && n.is_exact())
    }

    /// Whether this is exactly the integer one.
    pub fn is_one(&self) -> bool {
        matches!(self.kind(), Kind::Num(n) if n.is_one())
    }

    /// Whether this is the constant `c`.
    pub fn is_const(&self, c: Constant) -> bool {
        matches!(self.kind(), Kind::Const(k) if *k == c)
    }

    /// Whether this is a boolean-valued node (relation, `And`, `Or`, `Not`, `True`, `False`).
    pub fn is_condition(&self) -> bool {
        matches!(self.kind(), Kind::Rel(..) | Kind::Bool(_) | Kind::And(_) | Kind::Or(_) | Kind::Not(_))
    }

    /// The exact rational value, when this is an exact number.
    pub fn as_rational(&self) -> Option<rug::Rational> {
        self.as_number().and_then(Number::to_rational)
    }

    /// The `i64` value, when this is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// The direct children, in order (for generic traversals).
    pub fn children(&self) -> Vec<Expr> {
        match self.kind() {
            Kind::Num(_) | Kind::Sym(_) | Kind::Const(_) | Kind::Bool(_) => Vec::new(),
            Kind::Add(a) => a.terms.iter().map(|(t, _)| t.clone()).collect(),
            Kind::Mul(m) => m.factors.iter().flat_map(|(b, e)| [b.clone(), e.clone()]).collect(),
            Kind::Pow(b, e) | Kind::Rel(_, b, e) => vec![b.clone(), e.clone()],
            Kind::Func(_, args) | Kind::And(args) | Kind::Or(args) => args.to_vec(),
            Kind::Piecewise(bs) => bs.iter().flat_map(|(v, c)| [v.clone(), c.clone()]).collect(),
            Kind::Not(x) => vec![x.clone()],
            Kind::RootOf(r) => vec![r.poly.clone()],
        }
    }

    /// The number of nodes in the tree, counting shared subtrees once per occurrence
    /// (capped at `cap` to bound the work).
    pub fn tree_size(&self, cap: usize) -> usize {
        let mut count = 0usize;
        let mut stack = vec![self.clone()];
        while let Some(e) = stack.pop() {
            count += 1;
            if count >= cap {
                return cap;
            }
            stack.extend(e.children());
        }
        count
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Expr) -> bool {
        if self.ptr_eq(other) {
            return true;
        }
        if self.0.hash != other.0.hash || self.0.depth != other.0.depth {
            return false;
        }
        if self.0.depth < EQ_MEMO_DEPTH {
            return self.0.kind == other.0.kind;
        }
        eq_deep(self, other)
    }
}

/// Nodes at least this deep are compared through [`eq_deep`].
const EQ_MEMO_DEPTH: u32 = 3;

/// The deep-node comparisons an outermost comparison makes before it starts a memo.
const EQ_MEMO_AFTER: u32 = 4096;

/// The outermost deep comparison running on a thread: its nesting level, its number of deep-node
/// comparisons so far, and (past [`EQ_MEMO_AFTER`] of them) the pairs of nodes (by address) found
/// equal. Both nodes of a pair stay alive while it runs (they are borrowed from its operands), so
/// addresses cannot be reused; the memo is cleared when it returns.
#[derive(Default)]
struct EqState {
    level: u32,
    visited: u32,
    equal_pairs: std::collections::HashSet<(usize, usize)>,
}

thread_local! {
    static EQ_STATE: std::cell::RefCell<EqState> = std::cell::RefCell::new(EqState::default());
}

/// Structural equality of deep nodes. Small comparisons run as they are; a large one (two
/// separately built copies of a graph whose shared subtrees unfold to a huge tree) memoises the
/// pairs found equal, so it takes time linear in the graph, not in the tree.
fn eq_deep(a: &Expr, b: &Expr) -> bool {
    let key = (Arc::as_ptr(&a.0) as usize, Arc::as_ptr(&b.0) as usize);
    let (memo, seen) = EQ_STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.level += 1;
        s.visited = s.visited.saturating_add(1);
        let memo = s.visited > EQ_MEMO_AFTER;
        (memo, memo && s.equal_pairs.contains(&key))
    });
    let equal = seen || a.0.kind == b.0.kind;
    EQ_STATE.with(|s| {
        let mut s = s.borrow_mut();
        if memo && equal {
            s.equal_pairs.insert(key);
        }
        s.level -= 1;
        if s.level == 0 {
            s.visited = 0;
            s.equal_pairs.clear();
        }
    });
    equal
}

impl Eq for Expr {}

impl Hash for Expr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0.hash);
    }
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn expr_is_send_sync_static() {
        assert_send_sync::<Expr>();
    }

    #[test]
    fn deep_trees_drop_without_overflow() {
        let x = Expr::symbol("x");
        let mut e = x.clone();
        for _ in 0..200_000 {
            e = Expr::func(Func::Sin, e);
        }
        assert_eq!(e.depth(), 200_000);
        drop(e);
    }
}
