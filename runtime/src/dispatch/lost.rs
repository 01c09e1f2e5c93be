//! Tells a connection that closed or reset before any answer from other transport failures.
//!
//! The HTTP client reports it as hyper's "connection closed before message completed"
//! (`IncompleteMessage`) when the peer closed cleanly, or as an I/O error (reset, aborted,
//! broken pipe, unexpected end of stream) when it did not. The reqwest error's source chain
//! holds one of them.

use std::error::Error as StdError;
use std::io;

/// Whether `error`, raised before the answer's head arrived, says the connection closed or
/// reset with no answer.
pub(crate) fn before_answer(error: &reqwest::Error) -> bool {
    let mut next: Option<&(dyn StdError + 'static)> = error.source();
    while let Some(e) = next {
        if let Some(hyper) = e.downcast_ref::<hyper::Error>() {
            if hyper.is_incomplete_message() {
                return true;
            }
        }
        if let Some(io) = e.downcast_ref::<io::Error>() {
            if closed(io.kind()) {
                return true;
            }
        }
        next = e.source();
    }
    false
}

/// I/O error kinds of a connection the peer closed or reset.
fn closed(kind: io::ErrorKind) -> bool {
    matches!(
        kind,
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_kinds() {
        assert!(closed(io::ErrorKind::ConnectionReset));
        assert!(closed(io::ErrorKind::BrokenPipe));
        assert!(closed(io::ErrorKind::UnexpectedEof));
        assert!(!closed(io::ErrorKind::TimedOut));
        assert!(!closed(io::ErrorKind::ConnectionRefused));
    }
}
