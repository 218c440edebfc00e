//! Interned symbols: a global table maps names to `u32` ids, so a [`Symbol`] is `Copy` and compares in one instruction.
//!
//! Names are interned for the life of the process (a symbol table never shrinks, as in SymEngine
//! and Symbolica). Ordering is by name, so canonical sorting and printing are deterministic across
//! runs and threads, independent of interning order.

use crate::hash::stable_hash_str;
use std::collections::HashMap;
use std::fmt;
use std::sync::{OnceLock, RwLock};

/// An interned symbol name.
#[derive(Copy, Clone, PartialEq, Eq, Hash)]
pub struct Symbol(u32);

struct Interner {
    names: Vec<&'static str>,
    hashes: Vec<u64>,
    ids: HashMap<&'static str, u32>,
}

fn interner() -> &'static RwLock<Interner> {
    static TABLE: OnceLock<RwLock<Interner>> = OnceLock::new();
    TABLE.get_or_init(|| RwLock::new(Interner { names: Vec::new(), hashes: Vec::new(), ids: HashMap::new() }))
}

impl Symbol {
    /// The symbol with this name (interned on first use).
    pub fn new(name: &str) -> Symbol {
        {
            let table = interner().read().unwrap_or_else(|e| e.into_inner());
            if let Some(&id) = table.ids.get(name) {
                return Symbol(id);
            }
        }
        let mut table = interner().write().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = table.ids.get(name) {
            return Symbol(id);
        }
        let id = u32::try_from(table.names.len()).expect("more than 2^32 distinct symbols");
        let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
        table.names.push(leaked);
        table.hashes.push(stable_hash_str(leaked));
        table.ids.insert(leaked, id);
        Symbol(id)
    }

    /// The symbol's name.
    pub fn name(self) -> &'static str {
        interner().read().unwrap_or_else(|e| e.into_inner()).names[self.0 as usize]
    }

    /// A hash of the name that is the same in every run (used in expression hashes).
    pub(crate) fn stable_hash(self) -> u64 {
        interner().read().unwrap_or_else(|e| e.into_inner()).hashes[self.0 as usize]
    }
}

impl PartialOrd for Symbol {
    fn partial_cmp(&self, other: &Symbol) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Symbol {
    fn cmp(&self, other: &Symbol) -> std::cmp::Ordering {
        if self.0 == other.0 { std::cmp::Ordering::Equal } else { self.name().cmp(other.name()) }
    }
}

impl fmt::Debug for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
