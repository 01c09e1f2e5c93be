//! [`PaginationError`]: why a paginator stopped before the end of a listing.
//!
//! Held by `Error::Pagination` and made by the paginator; it depends on no other module
//! of the crate, so the error type and the paginator do not depend on each other. Re-exported as
//! `paginator::PaginationError`, its public home.

use std::fmt;

/// A listing that stopped before its reported total: the page at `offset` was empty although the
/// response said the listing holds `total` items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaginationError {
    /// The action.
    pub action: &'static str,
    /// The offset of the empty page.
    pub offset: u64,
    /// The total the same response reported.
    pub total: u64,
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the page at offset {} came back empty although the listing reports {} items; \
             the offset cannot advance, so paging stopped",
            self.action, self.offset, self.total
        )
    }
}

impl std::error::Error for PaginationError {}
