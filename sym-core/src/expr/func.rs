//! The named functions sym knows, with their printed names and arities.
//!
//! `sqrt` and `exp` are not functions here: `sqrt(x)` is `x**(1/2)` and `exp(x)` is `E**x`, so
//! that powers and exponentials combine by the ordinary power rules. The parser and the printer
//! translate between the two views.

/// A named elementary or special function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Func {
    /// Natural logarithm (principal branch).
    Log,
    /// Sine.
    Sin,
    /// Cosine.
    Cos,
    /// Tangent.
    Tan,
    /// Cotangent.
    Cot,
    /// Secant.
    Sec,
    /// Cosecant.
    Csc,
    /// Inverse sine (principal branch).
    Asin,
    /// Inverse cosine (principal branch).
    Acos,
    /// Inverse tangent (principal branch).
    Atan,
    /// Inverse cotangent (SymPy's convention: `acot(x) = atan(1/x)`).
    Acot,
    /// Hyperbolic sine.
    Sinh,
    /// Hyperbolic cosine.
    Cosh,
    /// Hyperbolic tangent.
    Tanh,
    /// Hyperbolic cotangent.
    Coth,
    /// Inverse hyperbolic sine.
    Asinh,
    /// Inverse hyperbolic cosine.
    Acosh,
    /// Inverse hyperbolic tangent.
    Atanh,
    /// Absolute value (modulus for complex arguments).
    Abs,
    /// Sign: `x/Abs(x)`, zero at zero.
    Sign,
    /// Lambert W: `LambertW(z)` is the principal branch, `LambertW(z, k)` branch `k`.
    LambertW,
}

impl Func {
    /// Every function, in declaration order.
    pub const ALL: [Func; 21] = [
        Func::Log,
        Func::Sin,
        Func::Cos,
        Func::Tan,
        Func::Cot,
        Func::Sec,
        Func::Csc,
        Func::Asin,
        Func::Acos,
        Func::Atan,
        Func::Acot,
        Func::Sinh,
        Func::Cosh,
        Func::Tanh,
        Func::Coth,
        Func::Asinh,
        Func::Acosh,
        Func::Atanh,
        Func::Abs,
        Func::Sign,
        Func::LambertW,
    ];

    /// The name in SymPy's syntax.
    pub fn name(self) -> &'static str {
        match self {
            Func::Log => "log",
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Cot => "cot",
            Func::Sec => "sec",
            Func::Csc => "csc",
            Func::Asin => "asin",
            Func::Acos => "acos",
            Func::Atan => "atan",
            Func::Acot => "acot",
            Func::Sinh => "sinh",
            Func::Cosh => "cosh",
            Func::Tanh => "tanh",
            Func::Coth => "coth",
            Func::Asinh => "asinh",
            Func::Acosh => "acosh",
            Func::Atanh => "atanh",
            Func::Abs => "Abs",
            Func::Sign => "sign",
            Func::LambertW => "LambertW",
        }
    }

    /// The function with this SymPy name.
    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// The accepted numbers of arguments, inclusive.
    pub fn arity(self) -> (usize, usize) {
        match self {
            Func::LambertW => (1, 2),
            _ => (1, 1),
        }
    }

    /// Whether `f(-x) = -f(x)`.
    pub fn is_odd(self) -> bool {
        matches!(
            self,
            Func::Sin
                | Func::Tan
                | Func::Cot
                | Func::Csc
                | Func::Asin
                | Func::Atan
                | Func::Acot
                | Func::Sinh
                | Func::Tanh
                | Func::Coth
                | Func::Asinh
                | Func::Atanh
                | Func::Sign
        )
    }

    /// Whether `f(-x) = f(x)`.
    pub fn is_even(self) -> bool {
        matches!(self, Func::Cos | Func::Sec | Func::Cosh | Func::Abs)
    }
}
