// Everything a running stand-in remembers, behind one mutex: the accepted credentials, the clock,
// the resource store (gateway keys and zones), the queue of injected faults, the record of
// requests, a tiny non-cryptographic RNG for request ids, resource ids and generated keys, and the
// spec the actions without state are answered from.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::sync::{Mutex, MutexGuard, PoisonError};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::faults::Fault;
use crate::issued::IssuedKeys;
use crate::record::RecordedRequest;
use crate::spec_catalog::SpecSource;
use crate::store::Store;
use crate::throttle::Throttle;
use crate::verify::{Clock, Credentials};

/// The mutable state shared by the handle and every connection task.
///
/// No `Debug`: it holds zone keys and credentials, which must not reach logs.
pub(crate) struct State {
    pub(crate) credentials: Credentials,
    /// Temporary credentials accepted besides `credentials`, shared with linked issuers.
    pub(crate) issued: Arc<IssuedKeys>,
    pub(crate) clock: Clock,
    /// Gateway keys and zones with their resources.
    pub(crate) store: Store,
    pub(crate) faults: VecDeque<Fault>,
    pub(crate) records: Vec<RecordedRequest>,
    pub(crate) rng: Rng,
    /// The spec the TEO actions without state are answered from.
    pub(crate) spec: SpecSource,
    /// Connection-level faults switched on.
    pub(crate) connections: crate::connections::ConnectionFaults,
    /// Throttling above a rate the client is not told, when set.
    pub(crate) throttle: Option<Throttle>,
}

/// `State` behind a mutex that a panicking holder cannot poison for everyone else.
pub(crate) struct Shared(Mutex<State>);

impl Shared {
    pub(crate) fn new(state: State) -> Self {
        Self(Mutex::new(state))
    }

    /// Locks the state; a poisoned lock still hands out the data, which every update leaves consistent.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// xorshift64*: plenty for request ids and test keys, which need no secrecy.
#[derive(Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    /// Seeds from the wall clock and a process-wide counter, so two stand-ins never share a sequence.
    pub(crate) fn from_entropy() -> Self {
        static SEEDS: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos() as u64);
        let counter = SEEDS.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
        Self((nanos ^ counter.rotate_left(17) ^ u64::from(std::process::id())) | 1)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn fill(&mut self, bytes: &mut [u8]) {
        for chunk in bytes.chunks_mut(8) {
            let random = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&random[..chunk.len()]);
        }
    }

    /// A version-4-shaped UUID string, the form the service's RequestIds take.
    pub(crate) fn request_id(&mut self) -> String {
        let mut bytes = [0u8; 16];
        self.fill(&mut bytes);
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex = hex::encode(bytes);
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        )
    }

    /// `count` random lowercase letters and digits, the alphabet of the service's short ids.
    pub(crate) fn alphanumerics(&mut self, count: usize) -> String {
        const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        (0..count)
            .map(|_| char::from(ALPHABET[(self.next_u64() % 36) as usize]))
            .collect()
    }

    /// `count` random letters (both cases) and digits, the alphabet of SSL certificate ids.
    pub(crate) fn short_id(&mut self, count: usize) -> String {
        const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..count)
            .map(|_| char::from(ALPHABET[(self.next_u64() % 62) as usize]))
            .collect()
    }

    /// A fresh gateway secret key: 32 random bytes, base64-encoded (44 characters).
    pub(crate) fn secret_key(&mut self) -> String {
        let mut bytes = [0u8; 32];
        self.fill(&mut bytes);
        STANDARD.encode(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_look_like_uuids_and_differ() {
        let mut rng = Rng::from_entropy();
        let (first, second) = (rng.request_id(), rng.request_id());
        assert_ne!(first, second);
        let groups: Vec<usize> = first.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(first.as_bytes()[14], b'4');
    }

    #[test]
    fn alphanumerics_use_the_short_id_alphabet() {
        let mut rng = Rng::from_entropy();
        let id = rng.alphanumerics(12);
        assert_eq!(id.len(), 12);
        assert!(id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()), "{id}");
        assert_ne!(id, rng.alphanumerics(12));
    }

    #[test]
    fn generated_keys_decode_to_32_bytes() {
        let mut rng = Rng::from_entropy();
        let key = rng.secret_key();
        assert_eq!(STANDARD.decode(&key).map(|bytes| bytes.len()), Ok(32));
        assert_ne!(key, rng.secret_key());
    }
}
