//! Sending: one call through the client's call-by-name door, and paging (every page read and
//! the items merged, unless `--no-paginate`).

use serde_json::{Map, Value};

use crate::debug_log;
use crate::failure::{self, Failure};
use crate::output::redact;
use crate::spec_types::Action;

/// The most pages one listing reads: a service that never says it is done stops here.
const MAX_PAGES: u64 = 100_000;

/// What calls need: the client, and whether to log.
pub struct Caller {
    /// The typed client (validation, signing, retries, redaction are its).
    pub client: generated_client::Client,
    /// `--debug`.
    pub debug: bool,
}

/// How a paged action is read.
#[derive(Clone, Copy, Debug, Default)]
pub struct PageOptions {
    /// `--no-paginate`.
    pub no_paginate: bool,
    /// `--page-size`.
    pub page_size: Option<u64>,
    /// `--max-items`.
    pub max_items: Option<u64>,
}

impl Caller {
    /// One call of `action` with `request`: the answer (the object inside `Response`).
    pub async fn once(&self, action: &Action, request: &Map<String, Value>) -> Result<Value, Failure> {
        let body = Value::Object(request.clone()).to_string();
        if self.debug {
            let mut shown = Value::Object(request.clone());
            redact(&mut shown, action.sensitive);
            debug_log::line(&format!("request {} {shown}", action.name));
        }
        let answer = self
            .client
            .send_json(action.name, &body)
            .await
            .map_err(|e| failure::from_dynamic(e, Some(action)))?;
        let value: Value = serde_json::from_str(&answer)
            .map_err(|e| Failure::other(format!("the answer of {} is not JSON: {e}", action.name)))?;
        if self.debug {
            let mut shown = value.clone();
            redact(&mut shown, action.sensitive);
            debug_log::line(&format!("answer {} {shown}", action.name));
        }
        Ok(value)
    }

    /// `action` with `request`, every page read when it pages (see [`PageOptions`]); the
    /// answer is the last page's with the items of all pages, at most `max_items`.
    pub async fn paged(
        &self,
        action: &Action,
        mut request: Map<String, Value>,
        options: PageOptions,
    ) -> Result<Value, Failure> {
        let Some(paging) = action.paging.as_ref().filter(|_| !options.no_paginate) else {
            if (options.page_size.is_some() || options.max_items.is_some()) && action.paging.is_none() {
                return Err(Failure::usage(format!(
                    "--page-size and --max-items apply to actions that page; {} does not",
                    action.command
                )));
            }
            return self.once(action, &request).await;
        };
        let page_size = match options.page_size {
            Some(n) if n > paging.max_page_size => {
                return Err(Failure::usage(format!(
                    "--page-size: must be at most {} for {}, got {n}",
                    paging.max_page_size, action.command
                )))
            }
            Some(n) => n,
            None => request
                .get(paging.limit)
                .and_then(Value::as_u64)
                .filter(|n| (1..=paging.max_page_size).contains(n))
                .unwrap_or(paging.max_page_size),
        };
        let mut offset = request.get(paging.offset).and_then(Value::as_u64).unwrap_or(0);
        let mut items: Vec<Value> = Vec::new();
        let mut pages = 0u64;
        loop {
            request.insert(paging.offset.to_owned(), Value::from(offset));
            request.insert(paging.limit.to_owned(), Value::from(page_size));
            let mut page = self.once(action, &request).await?;
            pages += 1;
            let got = match page.get_mut(paging.items).map(Value::take) {
                Some(Value::Array(list)) => list,
                _ => Vec::new(),
            };
            let count = got.len() as u64;
            items.extend(got);
            offset += count;
            let total = paging.total.and_then(|t| page.get(t)).and_then(Value::as_u64);
            let full = options.max_items.is_some_and(|max| items.len() as u64 >= max);
            let last = count < page_size || count == 0 || total.is_some_and(|t| offset >= t);
            if full || last || pages >= MAX_PAGES {
                if let Some(max) = options.max_items {
                    items.truncate(usize::try_from(max).unwrap_or(usize::MAX));
                }
                if let Value::Object(map) = &mut page {
                    map.insert(paging.items.to_owned(), Value::Array(items));
                }
                return Ok(page);
            }
        }
    }
}
