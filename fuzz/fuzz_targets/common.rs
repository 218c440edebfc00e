//! What every fuzz target shares.

use std::path::PathBuf;
use std::sync::OnceLock;

/// Writes the input about to run to `$SYM_FUZZ_LAST.<pid>` when `SYM_FUZZ_LAST` is set. A stack
/// overflow kills the process before libFuzzer's handler can save the input (the main thread has
/// no alternate signal stack); this file then still holds it.
pub fn record(data: &[u8]) {
    static PATH: OnceLock<Option<PathBuf>> = OnceLock::new();
    let path = PATH.get_or_init(|| {
        std::env::var_os("SYM_FUZZ_LAST").map(|p| {
            let mut p = p;
            p.push(format!(".{}", std::process::id()));
            PathBuf::from(p)
        })
    });
    if let Some(p) = path {
        let _ = std::fs::write(p, data);
    }
}
