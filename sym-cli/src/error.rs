//! Errors reported by the `sym` command: one `error:` line on standard error and exit status 2,
//! or a JSON error object with `--json`.

use sym_core::CoreError;

/// A user-facing error.
#[derive(Debug)]
pub struct CliError {
    /// A short machine-readable kind: `parse`, `usage`, `unknown`, `limit`, `eval`, ...
    pub kind: &'static str,
    /// The message for people.
    pub message: String,
    /// The byte span within the offending argument, when there is one.
    pub span: Option<(usize, usize)>,
    /// Which argument (1-based among positionals) the span refers to.
    pub arg: Option<usize>,
}

impl CliError {
    /// A usage error (bad options or arguments).
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError { kind: "usage", message: message.into(), span: None, arg: None }
    }

    /// An error of a given kind with no position.
    pub fn new(kind: &'static str, message: impl Into<String>) -> CliError {
        CliError { kind, message: message.into(), span: None, arg: None }
    }

    /// Wraps a sym-core error raised while handling positional argument `arg` (1-based), whose
    /// text started at byte `offset` of that argument.
    pub fn from_core(e: CoreError, arg: usize, offset: usize) -> CliError {
        match e {
            CoreError::Parse { message, span } => {
                CliError { kind: "parse", message, span: Some((span.0 + offset, span.1 + offset)), arg: Some(arg) }
            }
            CoreError::Limit { .. } => CliError { kind: "limit", message: e.to_string(), span: None, arg: Some(arg) },
            other => CliError { kind: "eval", message: other.to_string(), span: None, arg: Some(arg) },
        }
    }

    /// The one-line message, naming the position when there is one.
    pub fn line(&self) -> String {
        match (self.span, self.arg) {
            (Some((s, e)), Some(a)) => {
                format!("error: {} (argument {a}, characters {}..{})", self.message, s + 1, e.max(s + 1))
            }
            (None, Some(a)) => format!("error: {} (argument {a})", self.message),
            _ => format!("error: {}", self.message),
        }
    }

    /// The JSON error object of the CLI contract.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "error": {
                "kind": self.kind,
                "message": self.message,
                "span": self.span.map(|(s, e)| vec![s, e]),
            }
        })
    }
}
