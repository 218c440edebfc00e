//! Priority queues of packed monomials with a `u64` payload each, used by the product, power
//! and division kernels to merge streams of terms in decreasing order.
//!
//! * [`KeyHeap`]: a binary max-heap. Keys and payloads live in two parallel vectors;
//!   `std::collections::BinaryHeap` of a `(key, i, j)` struct was measured slower here: its sift
//!   loops write the fields one by one and read the element back as one wide move, which stalls
//!   store forwarding on every step.
//! * [`ScanQueue`]: an unsorted array scanned for the maximum; faster than a heap for the few
//!   streams of a power of a short polynomial or a product by a short factor.
//!
//! Both implement [`Merger`]: `pop_max_all` removes every entry with the largest key at once,
//! which is what the kernels need (they sum all contributions to one monomial).

use crate::poly::monomial::ExpKey;

/// Streams at most this long use the linear scan.
pub(crate) const SCAN_MAX: usize = 12;

/// A queue of `(key, payload)` entries that yields the largest key with all its payloads.
pub(crate) trait Merger<K> {
    /// Inserts an entry.
    fn push(&mut self, key: K, val: u64);
    /// Removes every entry with the largest key, appending their payloads to `out`; returns the
    /// key, or `None` when empty.
    fn pop_max_all(&mut self, out: &mut Vec<u64>) -> Option<K>;
}

/// A max-heap of `(key, payload)` pairs ordered by key.
pub(crate) struct KeyHeap<K> {
    keys: Vec<K>,
    vals: Vec<u64>,
}

impl<K: ExpKey> KeyHeap<K> {
    /// An empty heap with room for `n` entries.
    pub(crate) fn with_capacity(n: usize) -> Self {
        KeyHeap { keys: Vec::with_capacity(n), vals: Vec::with_capacity(n) }
    }

    /// Removes and returns the entry with the largest key.
    #[inline]
    fn pop(&mut self) -> Option<(K, u64)> {
        let last_key = self.keys.pop()?;
        let last_val = self.vals.pop().expect("parallel vectors");
        if self.keys.is_empty() {
            return Some((last_key, last_val));
        }
        let top_key = std::mem::replace(&mut self.keys[0], last_key.clone());
        let top_val = self.vals[0];
        let n = self.keys.len();
        let mut pos = 0;
        loop {
            let left = 2 * pos + 1;
            if left >= n {
                break;
            }
            let right = left + 1;
            let child = if right < n && self.keys[right] > self.keys[left] { right } else { left };
            if self.keys[child] <= last_key {
                break;
            }
            self.keys[pos] = self.keys[child].clone();
            self.vals[pos] = self.vals[child];
            pos = child;
        }
        self.keys[pos] = last_key;
        self.vals[pos] = last_val;
        Some((top_key, top_val))
    }
}

impl<K: ExpKey> Merger<K> for KeyHeap<K> {
    #[inline]
    fn push(&mut self, key: K, val: u64) {
        let mut pos = self.keys.len();
        self.keys.push(key.clone());
        self.vals.push(val);
        while pos > 0 {
            let parent = (pos - 1) / 2;
            if self.keys[parent] >= key {
                break;
            }
            self.keys[pos] = self.keys[parent].clone();
            self.vals[pos] = self.vals[parent];
            pos = parent;
        }
        self.keys[pos] = key;
        self.vals[pos] = val;
    }

    #[inline]
    fn pop_max_all(&mut self, out: &mut Vec<u64>) -> Option<K> {
        let (key, v) = self.pop()?;
        out.push(v);
        while self.keys.first().is_some_and(|k| *k == key) {
            out.push(self.pop().expect("nonempty").1);
        }
        Some(key)
    }
}

/// An unsorted queue scanned linearly for its maximum.
pub(crate) struct ScanQueue<K> {
    keys: Vec<K>,
    vals: Vec<u64>,
}

impl<K: ExpKey> ScanQueue<K> {
    /// An empty queue with room for `n` entries.
    pub(crate) fn with_capacity(n: usize) -> Self {
        ScanQueue { keys: Vec::with_capacity(n), vals: Vec::with_capacity(n) }
    }
}

impl<K: ExpKey> Merger<K> for ScanQueue<K> {
    #[inline]
    fn push(&mut self, key: K, val: u64) {
        self.keys.push(key);
        self.vals.push(val);
    }

    #[inline]
    fn pop_max_all(&mut self, out: &mut Vec<u64>) -> Option<K> {
        let n = self.keys.len();
        if n == 0 {
            return None;
        }
        let mut best = 0;
        for i in 1..n {
            if self.keys[i] > self.keys[best] {
                best = i;
            }
        }
        let key = self.keys[best].clone();
        let mut i = 0;
        while i < self.keys.len() {
            if self.keys[i] == key {
                out.push(self.vals.swap_remove(i));
                self.keys.swap_remove(i);
            } else {
                i += 1;
            }
        }
        Some(key)
    }
}
