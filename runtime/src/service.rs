//! Static facts about a service and its actions, emitted by the generator and read by the
//! runtime: where to send requests, which version to ask for, and each action's rate limit.

/// A Tencent Cloud API 3.0 service, as the generated client describes it.
#[derive(Debug)]
pub struct ServiceMeta {
    /// Short name, used in the signature's credential scope (for example `teo`).
    pub name: &'static str,
    /// API version sent as `X-TC-Version` (for example `2022-09-01`).
    pub version: &'static str,
    /// Default endpoint URL (for example `https://teo.tencentcloudapi.com`).
    pub endpoint: &'static str,
    /// International-site endpoint URL (for example `https://teo.intl.tencentcloudapi.com`).
    pub intl_endpoint: &'static str,
    /// Every action of the generated client; an [`ActionId`] is a position in this list.
    pub actions: &'static [ActionMeta],
}

/// Names one action of a service by its position in [`ServiceMeta::actions`]: what a generated
/// call hands the runtime, looked up once per call (never compared again on each attempt).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ActionId(usize);

impl ActionId {
    /// The action at `index` in the service's table.
    pub const fn new(index: usize) -> ActionId {
        ActionId(index)
    }

    /// Its position in the table.
    pub const fn index(self) -> usize {
        self.0
    }
}

/// One action of a service.
#[derive(Debug)]
pub struct ActionMeta {
    /// Wire name sent as `X-TC-Action`.
    pub name: &'static str,
    /// Documented request rate limit in requests per second, if the spec gives one.
    pub rate_limit_per_second: Option<u32>,
    /// Whether the action only reads (the spec's `read_only`): sending it twice does no harm,
    /// so a request lost on a reused connection before any answer came is sent again at once
    /// (see [`crate::retry`]).
    pub read_only: bool,
    /// Wire names of the sensitive members anywhere in this action's request or response;
    /// their values are blanked out of any body excerpt an error carries.
    pub sensitive_fields: &'static [&'static str],
}
