//! Names and uids as Kubernetes makes them, deterministic so the same commands on two fresh
//! states give the same bytes.
//!
//! Each purpose has its own source, so a change in one place leaves unrelated names alone: a value
//! is a hash of the state's seed, a key naming the purpose and the object (`name/pods/default/web-`),
//! and a counter kept per key. One more Event advances only the Events' uid counter; one more
//! ReplicaSet pod advances only that ReplicaSet's `generateName` counter. The counters live in the
//! state (`meta.json`); [`Names::mark`] / [`Names::release`] let a failed request take back what
//! it drew.

use std::collections::BTreeMap;

/// The alphabet of `generateName` suffixes and pod-template hashes
/// (apimachinery `util/rand`: consonants and digits that cannot spell words).
pub const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// A small deterministic stream (splitmix64) whose whole state is one `u64`.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    /// The stream for `key`'s `n`-th draw under `seed`.
    pub fn keyed(seed: u64, key: &str, n: u64) -> Rng {
        let mut r = Rng(seed ^ fnv1a64(key.as_bytes()));
        let base = r.next_u64();
        Rng(base ^ n.wrapping_mul(0xD6E8_FEB8_6659_FD93))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `n` characters from [`ALPHANUMS`], as the API server appends to `generateName`.
    pub fn suffix(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| ALPHANUMS[(self.next_u64() % ALPHANUMS.len() as u64) as usize] as char)
            .collect()
    }

    /// A version-4 style UUID string.
    pub fn uid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        let hi = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
        let lo = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            hi >> 32,
            (hi >> 16) & 0xFFFF,
            hi & 0xFFFF,
            lo >> 48,
            lo & 0xFFFF_FFFF_FFFF
        )
    }
}

fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv1a64_from(0xcbf2_9ce4_8422_2325, bytes)
}

fn fnv1a64_from(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A position in the undo log, from [`Names::mark`].
#[derive(Debug, Clone, Copy)]
#[must_use]
pub struct Mark(usize);

/// The generators of one state: its seed and a counter per key.
#[derive(Debug, Clone, Default)]
pub struct Names {
    seed: u64,
    counters: BTreeMap<String, u64>,
    /// (key, value before) for every draw since the outermost open [`Mark`].
    undo: Vec<(String, Option<u64>)>,
    open: usize,
    dirty: bool,
}

impl Names {
    pub fn new(seed: u64, counters: BTreeMap<String, u64>) -> Names {
        Names {
            seed,
            counters,
            ..Names::default()
        }
    }

    /// The counters, to keep in the state.
    pub fn counters(&self) -> &BTreeMap<String, u64> {
        &self.counters
    }

    /// Whether a draw happened since the last [`Self::clean`].
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    pub fn clean(&mut self) {
        self.dirty = false;
    }

    /// The next draw of `key`'s own stream.
    fn draw(&mut self, key: &str) -> Rng {
        let before = match self.counters.get_mut(key) {
            Some(c) => {
                *c += 1;
                Some(*c - 1)
            }
            None => {
                self.counters.insert(key.to_string(), 1);
                None
            }
        };
        if self.open > 0 {
            self.undo.push((key.to_string(), before));
        }
        self.dirty = true;
        Rng::keyed(self.seed, key, before.unwrap_or(0))
    }

    /// A 5-character `generateName` suffix for `prefix` among the `plural` in `ns` (the caller
    /// draws again while the name is taken).
    pub fn suffix(&mut self, plural: &str, ns: &str, prefix: &str) -> String {
        self.draw(&format!("name/{plural}/{ns}/{prefix}")).suffix(5)
    }

    /// A 5-character suffix that is a pure function of the seed and `key`, drawing on no
    /// counter: for names derived from something already unique (a pod's uid), so that no
    /// counter per object piles up in the state.
    pub fn derived_suffix(&self, key: &str) -> String {
        Rng::keyed(self.seed, key, 0).suffix(5)
    }

    /// The uid of a new object: the kind's own stream, mixed with the object's key.
    pub fn uid(&mut self, plural: &str, ns: &str, name: &str) -> String {
        let mut r = self.draw(&format!("uid/{plural}"));
        let key = fnv1a64_from(fnv1a64_from(fnv1a64(ns.as_bytes()), b"/"), name.as_bytes());
        let mixed = r.next_u64() ^ key;
        Rng(mixed).uid()
    }

    /// The next number of `purpose`'s own stream (cluster IPs, node ports).
    pub fn next_u64(&mut self, purpose: &str) -> u64 {
        self.draw(&format!("n/{purpose}")).next_u64()
    }

    /// Opens a request: [`Self::release`] with `keep == false` takes back every draw since.
    pub fn mark(&mut self) -> Mark {
        self.open += 1;
        Mark(self.undo.len())
    }

    /// Closes the request opened by `m`, keeping or taking back its draws.
    pub fn release(&mut self, m: Mark, keep: bool) {
        if !keep {
            while self.undo.len() > m.0 {
                let (k, v) = self.undo.pop().expect("non-empty");
                match v {
                    Some(v) => self.counters.insert(k, v),
                    None => self.counters.remove(&k),
                };
            }
        }
        self.open = self.open.saturating_sub(1);
        if self.open == 0 {
            self.undo.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_well_formed() {
        let mut a = Rng(42);
        let mut b = Rng(42);
        let s = a.suffix(5);
        assert_eq!(s, b.suffix(5));
        assert_eq!(s.len(), 5);
        assert!(s.bytes().all(|c| ALPHANUMS.contains(&c)));
        let u = a.uid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_eq!(u, b.uid());
    }

    #[test]
    fn same_seed_same_names() {
        let mut a = Names::new(7, BTreeMap::new());
        let mut b = Names::new(7, BTreeMap::new());
        for _ in 0..3 {
            assert_eq!(
                a.suffix("pods", "default", "web-"),
                b.suffix("pods", "default", "web-")
            );
            assert_eq!(
                a.uid("pods", "default", "web"),
                b.uid("pods", "default", "web")
            );
        }
        let mut c = Names::new(8, BTreeMap::new());
        assert_ne!(
            Names::new(7, BTreeMap::new()).suffix("pods", "default", "web-"),
            c.suffix("pods", "default", "web-")
        );
    }

    #[test]
    fn an_extra_event_does_not_rename_the_next_pod() {
        let mut quiet = Names::new(1, BTreeMap::new());
        let mut noisy = Names::new(1, BTreeMap::new());
        noisy.uid("events", "default", "web.1");
        noisy.uid("events", "default", "web.2");
        assert_eq!(
            quiet.suffix("pods", "default", "web-"),
            noisy.suffix("pods", "default", "web-")
        );
        assert_eq!(
            quiet.uid("pods", "default", "web-x"),
            noisy.uid("pods", "default", "web-x")
        );
    }

    #[test]
    fn another_prefix_does_not_rename_the_next_pod() {
        let mut quiet = Names::new(1, BTreeMap::new());
        let mut noisy = Names::new(1, BTreeMap::new());
        noisy.suffix("pods", "default", "other-");
        noisy.suffix("pods", "kube-system", "web-");
        noisy.uid("configmaps", "default", "cm");
        assert_eq!(
            quiet.suffix("pods", "default", "web-"),
            noisy.suffix("pods", "default", "web-")
        );
    }

    #[test]
    fn successive_draws_differ_and_uids_stay_unique() {
        let mut n = Names::new(1, BTreeMap::new());
        let names: std::collections::BTreeSet<String> =
            (0..200).map(|_| n.suffix("pods", "d", "w-")).collect();
        assert!(names.len() > 195, "{}", names.len());
        // The same name created again (deleted in between) gets a new uid.
        let uids: std::collections::BTreeSet<String> =
            (0..200).map(|_| n.uid("pods", "d", "same")).collect();
        assert_eq!(uids.len(), 200);
    }

    #[test]
    fn counters_survive_a_round_trip_through_the_state() {
        let mut a = Names::new(3, BTreeMap::new());
        a.suffix("pods", "d", "w-");
        assert!(a.is_dirty());
        let mut b = Names::new(3, a.counters().clone());
        assert_eq!(a.suffix("pods", "d", "w-"), b.suffix("pods", "d", "w-"));
    }

    #[test]
    fn a_released_mark_takes_back_its_draws() {
        let mut n = Names::new(5, BTreeMap::new());
        n.suffix("pods", "d", "w-");
        let before = n.counters().clone();
        let m = n.mark();
        n.suffix("pods", "d", "w-");
        n.uid("pods", "d", "x");
        let inner = n.mark();
        n.suffix("pods", "d", "v-");
        n.release(inner, true);
        n.release(m, false);
        assert_eq!(n.counters(), &before);
        let m = n.mark();
        n.suffix("pods", "d", "w-");
        n.release(m, true);
        assert_ne!(n.counters(), &before);
    }
}
