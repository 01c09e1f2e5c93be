//! Paginators: send an offset/limit listing action page after page, as aws-sdk-rust does with
//! `into_paginator()`.
//!
//! Generated code implements [`PagedRequest`] for the fluent builder of each action whose spec has
//! a `pagination` block and adds `into_paginator()`, which returns a [`Paginator`]. From there:
//!
//! - `.page_size(n)` chooses the page size (default: the largest the service accepts, so a
//!   listing takes the fewest calls under the rate limit);
//! - `.send()` gives a [`PageStream`] of whole responses;
//! - `.items().send()` gives an [`ItemStream`] of the listed items.
//!
//! Both streams have `next().await -> Option<Result<..>>` and `try_collect().await`.
//!
//! # When paging stops
//!
//! After each page the next offset is the page's offset plus the number of items it held.
//!
//! - When the response reports a total, paging stops once the next offset reaches it. A page
//!   shorter than asked for does not stop it early (a service may cap pages below the documented
//!   maximum); the offset still advances, so this never loops.
//! - When the response has no total, paging stops on a page shorter than the page size.
//! - An empty page stops paging. If the response's total says items remain past that offset, the
//!   same request would come back empty again: the stream yields [`PaginationError`] (as
//!   [`Error::Pagination`]) instead of spinning or silently ending short.
//!
//! Every other member set on the fluent builder (zone, filters, sort order) is sent with every
//! page. An `Offset` set on it is where paging starts; a `Limit` set on it is the page size unless
//! `.page_size(n)` overrides it.

use crate::error::Error;
pub use crate::pagination_error::PaginationError;
use crate::validation::{Rule, ValidationError, Violation};

/// A listing request a [`Paginator`] can send page after page. Implemented by generated fluent
/// builders; the paging facts come from the spec's `pagination` block.
pub trait PagedRequest: Clone + Send + Sized + 'static {
    /// The action's response.
    type Output: Send + 'static;
    /// One listed item.
    type Item: Send + 'static;
    /// The action's error type (`E` of [`Error<E>`]).
    type Error: Send + 'static;

    /// The action's wire name, for errors.
    const ACTION: &'static str;
    /// The wire name of the request member holding the page size.
    const LIMIT_MEMBER: &'static str;
    /// The largest page size the service accepts.
    const MAX_PAGE_SIZE: u64;

    /// The offset set on the request, if any.
    fn offset(&self) -> Option<u64>;
    /// The page size set on the request, if any.
    fn limit(&self) -> Option<u64>;
    /// The same request, asking for `limit` items from `offset`.
    fn with_page(self, offset: u64, limit: u64) -> Self;
    /// Sends the request.
    fn send_page(self) -> crate::CallFuture<Self::Output, Self::Error>;
    /// The total number of items in the listing, when the response reports one.
    fn total(output: &Self::Output) -> Option<u64>;
    /// The number of items in the page.
    fn page_len(output: &Self::Output) -> usize;
    /// The page's items, taken out of the response.
    fn into_items(output: Self::Output) -> Vec<Self::Item>;
}

/// Pages through a listing action; made by the generated `into_paginator()`.
///
/// ```no_run
/// # use tencentcloud_runtime::paginator::{Paginator, PagedRequest};
/// # async fn demo<R: PagedRequest>(request: R) -> Result<(), tencentcloud_runtime::Error<R::Error>> {
/// // Generated code: `client.describe_zones().into_paginator()`.
/// let mut pages = Paginator::new(request).page_size(50).send();
/// while let Some(page) = pages.next().await {
///     let page = page?;
///     # let _ = page;
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Paginator<R> {
    request: R,
    page_size: Option<u64>,
}

impl<R: PagedRequest> Paginator<R> {
    /// A paginator for `request`, starting at its offset (or 0).
    pub fn new(request: R) -> Self {
        Paginator {
            request,
            page_size: None,
        }
    }

    /// The number of items to ask for per page: from 1 to the action's maximum, which is the
    /// default. Anything else makes the first `next()` a [`Error::Validation`] naming the limit
    /// member and its range; nothing is sent.
    pub fn page_size(mut self, size: u64) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Streams the listed items instead of whole pages.
    pub fn items(self) -> ItemPaginator<R> {
        ItemPaginator(self)
    }

    /// Starts paging. Nothing is sent until the first `next()`.
    pub fn send(self) -> PageStream<R> {
        let size = self.page_size.or(self.request.limit()).unwrap_or(R::MAX_PAGE_SIZE);
        let state = if (1..=R::MAX_PAGE_SIZE).contains(&size) {
            State::Next(self.request.offset().unwrap_or(0))
        } else {
            State::Invalid
        };
        PageStream {
            request: self.request,
            size,
            state,
        }
    }
}

/// A [`Paginator`] that yields items; see [`Paginator::items`].
#[derive(Clone, Debug)]
pub struct ItemPaginator<R>(Paginator<R>);

impl<R: PagedRequest> ItemPaginator<R> {
    /// Starts paging. Nothing is sent until the first `next()`.
    pub fn send(self) -> ItemStream<R> {
        ItemStream {
            pages: self.0.send(),
            buffered: Vec::new().into_iter(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum State {
    /// The next page starts at this offset.
    Next(u64),
    /// The page size is out of range: the first `next()` reports it.
    Invalid,
    /// Nothing more to yield.
    Done,
}

/// The pages of a listing, one response each; see [`Paginator::send`].
#[derive(Debug)]
pub struct PageStream<R> {
    request: R,
    size: u64,
    state: State,
}

impl<R: PagedRequest> PageStream<R> {
    /// The next page, or `None` when the listing is done. After an error, `None`.
    pub async fn next(&mut self) -> Option<Result<R::Output, Error<R::Error>>> {
        let offset = match self.state {
            State::Done => return None,
            State::Invalid => {
                self.state = State::Done;
                return Some(Err(Error::Validation(self.size_error())));
            }
            State::Next(offset) => offset,
        };
        self.state = State::Done;
        let page = match self.request.clone().with_page(offset, self.size).send_page().await {
            Ok(page) => page,
            Err(e) => return Some(Err(e)),
        };
        let len = R::page_len(&page) as u64;
        let total = R::total(&page);
        if len == 0 {
            return match total {
                Some(total) if offset < total => Some(Err(Error::Pagination(PaginationError {
                    action: R::ACTION,
                    offset,
                    total,
                }))),
                _ => Some(Ok(page)),
            };
        }
        let next = offset.saturating_add(len);
        let more = match total {
            Some(total) => next < total,
            None => len >= self.size,
        };
        if more && next < i64::MAX as u64 {
            self.state = State::Next(next);
        }
        Some(Ok(page))
    }

    /// Every remaining page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<R::Output>, Error<R::Error>> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }

    fn size_error(&self) -> ValidationError {
        ValidationError {
            target: R::ACTION,
            violations: vec![Violation {
                member: R::LIMIT_MEMBER.to_owned(),
                rule: Rule::Range {
                    min: Some("1".to_owned()),
                    max: Some(R::MAX_PAGE_SIZE.to_string()),
                },
            }],
        }
    }
}

/// The items of a listing, page after page; see [`ItemPaginator::send`].
#[derive(Debug)]
pub struct ItemStream<R: PagedRequest> {
    pages: PageStream<R>,
    buffered: std::vec::IntoIter<R::Item>,
}

impl<R: PagedRequest> ItemStream<R> {
    /// The next item, or `None` when the listing is done. After an error, `None`.
    pub async fn next(&mut self) -> Option<Result<R::Item, Error<R::Error>>> {
        loop {
            if let Some(item) = self.buffered.next() {
                return Some(Ok(item));
            }
            match self.pages.next().await? {
                Ok(page) => self.buffered = R::into_items(page).into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// Every remaining item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<R::Item>, Error<R::Error>> {
        let mut items = Vec::new();
        for item in std::mem::take(&mut self.buffered) {
            items.push(item);
        }
        while let Some(page) = self.pages.next().await {
            items.extend(R::into_items(page?));
        }
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// The (offset, limit, filter) of each request sent.
    type Sent = Arc<Mutex<Vec<(u64, u64, &'static str)>>>;

    /// A listing served from memory: `served` items in all, `cap` at most per page whatever
    /// is asked, `total` reported or not; every request is recorded.
    #[derive(Clone, Debug)]
    struct Listing {
        offset: Option<u64>,
        limit: Option<u64>,
        filter: &'static str,
        served: u64,
        cap: u64,
        report_total: Option<u64>,
        sent: Sent,
    }

    #[derive(Debug)]
    struct Page {
        total: Option<u64>,
        items: Vec<u64>,
    }

    impl Listing {
        fn new(served: u64) -> Self {
            Listing {
                offset: None,
                limit: None,
                filter: "zone-name",
                served,
                cap: u64::MAX,
                report_total: Some(served),
                sent: Arc::default(),
            }
        }

        fn sent(&self) -> Vec<(u64, u64, &'static str)> {
            self.sent.lock().map(|s| s.clone()).unwrap_or_default()
        }
    }

    impl PagedRequest for Listing {
        type Output = Page;
        type Item = u64;
        type Error = crate::error::tests::Failure;
        const ACTION: &'static str = "DescribeThings";
        const LIMIT_MEMBER: &'static str = "Limit";
        const MAX_PAGE_SIZE: u64 = 10;

        fn offset(&self) -> Option<u64> {
            self.offset
        }
        fn limit(&self) -> Option<u64> {
            self.limit
        }
        fn with_page(mut self, offset: u64, limit: u64) -> Self {
            self.offset = Some(offset);
            self.limit = Some(limit);
            self
        }
        fn send_page(self) -> crate::CallFuture<Page, Self::Error> {
            let (offset, limit) = (self.offset.unwrap_or(0), self.limit.unwrap_or(20));
            if let Ok(mut sent) = self.sent.lock() {
                sent.push((offset, limit, self.filter));
            }
            let end = self.served.min(offset.saturating_add(limit.min(self.cap)));
            let items = (offset..end.max(offset)).collect();
            Box::pin(std::future::ready(Ok(Page {
                total: self.report_total,
                items,
            })))
        }
        fn total(output: &Page) -> Option<u64> {
            output.total
        }
        fn page_len(output: &Page) -> usize {
            output.items.len()
        }
        fn into_items(output: Page) -> Vec<u64> {
            output.items
        }
    }

    fn run<T>(future: impl std::future::Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime")
            .block_on(future)
    }

    #[test]
    fn stops_at_the_total_with_the_largest_page_by_default() {
        let listing = Listing::new(25);
        let items = run(Paginator::new(listing.clone()).items().send().try_collect()).unwrap();
        assert_eq!(items, (0..25).collect::<Vec<_>>());
        assert_eq!(
            listing.sent(),
            [(0, 10, "zone-name"), (10, 10, "zone-name"), (20, 10, "zone-name")]
        );
    }

    #[test]
    fn an_exact_multiple_makes_no_extra_call() {
        let listing = Listing::new(20);
        let pages = run(Paginator::new(listing.clone()).page_size(5).send().try_collect()).unwrap();
        assert_eq!(pages.len(), 4);
        assert_eq!(listing.sent().len(), 4);
    }

    #[test]
    fn without_a_total_a_short_page_ends_the_listing() {
        let mut listing = Listing::new(7);
        listing.report_total = None;
        let items = run(Paginator::new(listing.clone())
            .page_size(3)
            .items()
            .send()
            .try_collect())
        .unwrap();
        assert_eq!(items, (0..7).collect::<Vec<_>>());
        assert_eq!(listing.sent().iter().map(|s| s.0).collect::<Vec<_>>(), [0, 3, 6]);
    }

    #[test]
    fn without_a_total_an_empty_page_ends_the_listing() {
        let mut listing = Listing::new(6);
        listing.report_total = None;
        let pages = run(Paginator::new(listing.clone()).page_size(3).send().try_collect()).unwrap();
        let lens: Vec<usize> = pages.iter().map(|p| p.items.len()).collect();
        assert_eq!(lens, [3, 3, 0]);
    }

    #[test]
    fn a_short_page_below_the_total_keeps_paging() {
        let mut listing = Listing::new(12);
        listing.cap = 4;
        let items = run(Paginator::new(listing.clone()).items().send().try_collect()).unwrap();
        assert_eq!(items, (0..12).collect::<Vec<_>>());
        assert_eq!(listing.sent().iter().map(|s| s.0).collect::<Vec<_>>(), [0, 4, 8]);
    }

    #[test]
    fn an_empty_page_below_the_total_is_an_error_not_a_spin() {
        let mut listing = Listing::new(4);
        listing.report_total = Some(9);
        let mut stream = Paginator::new(listing.clone()).page_size(4).send();
        run(async {
            assert_eq!(
                stream.next().await.map(|p| p.map(|p| p.items.len()).ok()),
                Some(Some(4))
            );
            let error = stream.next().await.and_then(Result::err).map(|e| e.to_string());
            assert_eq!(
                error.as_deref(),
                Some(
                    "DescribeThings: the page at offset 4 came back empty although the listing \
                     reports 9 items; the offset cannot advance, so paging stopped"
                )
            );
            assert!(stream.next().await.is_none());
        });
        assert_eq!(listing.sent().len(), 2);
    }

    #[test]
    fn an_empty_listing_yields_one_empty_page() {
        let listing = Listing::new(0);
        let pages = run(Paginator::new(listing.clone()).send().try_collect()).unwrap();
        assert_eq!(pages.len(), 1);
        assert!(pages[0].items.is_empty());
    }

    #[test]
    fn a_page_size_out_of_range_is_a_validation_error_and_sends_nothing() {
        for size in [0, 11] {
            let listing = Listing::new(5);
            let error = run(Paginator::new(listing.clone())
                .page_size(size)
                .items()
                .send()
                .try_collect())
            .unwrap_err();
            assert_eq!(
                error.to_string(),
                "invalid DescribeThings: Limit: must be between 1 and 10; the request was not sent"
            );
            assert!(listing.sent().is_empty());
        }
    }

    #[test]
    fn starts_at_the_offset_and_uses_the_limit_set_on_the_request() {
        let mut listing = Listing::new(9);
        listing.offset = Some(4);
        listing.limit = Some(2);
        listing.filter = "zone-id";
        let items = run(Paginator::new(listing.clone()).items().send().try_collect()).unwrap();
        assert_eq!(items, [4, 5, 6, 7, 8]);
        assert_eq!(
            listing.sent(),
            [(4, 2, "zone-id"), (6, 2, "zone-id"), (8, 2, "zone-id")]
        );
    }

    #[test]
    fn items_stream_one_at_a_time_across_pages() {
        let listing = Listing::new(3);
        let mut stream = Paginator::new(listing.clone()).page_size(2).items().send();
        let seen = run(async {
            let mut seen = Vec::new();
            while let Some(item) = stream.next().await {
                seen.push(item.unwrap());
            }
            seen
        });
        assert_eq!(seen, [0, 1, 2]);
        assert_eq!(listing.sent().len(), 2);
    }
}
