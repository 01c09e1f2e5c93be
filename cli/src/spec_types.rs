//! The shapes of the generated table (`table.rs`): what the command line knows of each action,
//! request member and waiter. Written by hand; the generator fills them in.

/// How one value of a member is read from the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Text, as given (strings, dates and timestamps, closed sets of strings).
    Str,
    /// A signed 64-bit integer.
    Int,
    /// An unsigned 64-bit integer.
    Uint,
    /// A number. (TEO has no float member today; other services do.)
    #[allow(dead_code)]
    Float,
    /// `true` or `false` (the flag alone means `true`).
    Bool,
    /// JSON text: an object, or a list inside a list.
    Json,
}

impl Kind {
    /// The word help and errors use for the kind.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Str => "text",
            Kind::Int => "an integer",
            Kind::Uint => "a non-negative integer",
            Kind::Float => "a number",
            Kind::Bool => "true or false",
            Kind::Json => "JSON",
        }
    }
}

/// One request member.
#[derive(Debug)]
pub struct Member {
    /// Its wire name (`ZoneId`), also accepted as a flag (`--ZoneId`, tccli's spelling).
    pub wire: &'static str,
    /// Its flag, kebab-case (`zone-id`).
    pub flag: &'static str,
    /// How one value is read.
    pub kind: Kind,
    /// Whether the member is a list of such values (the flag may repeat).
    pub list: bool,
    /// Whether the request needs it.
    pub required: bool,
    /// Whether it is a secret: its flag takes only `@PATH` or `@-`.
    pub sensitive: bool,
    /// One line of documentation.
    pub doc: &'static str,
    /// A placeholder value as JSON text, for `--generate-cli-skeleton`.
    pub skeleton: &'static str,
}

/// How an action pages.
#[derive(Debug)]
pub struct Paging {
    /// The request member holding the index of the first item.
    pub offset: &'static str,
    /// The request member holding the page size.
    pub limit: &'static str,
    /// The response member holding the size of the whole listing, if any.
    pub total: Option<&'static str>,
    /// The response member holding the page's items.
    pub items: &'static str,
    /// The largest page the service accepts.
    pub max_page_size: u64,
}

/// One action.
#[derive(Debug)]
pub struct Action {
    /// Its wire name (`DescribeZones`), also accepted as the command (tccli's spelling).
    pub name: &'static str,
    /// Its command, kebab-case (`describe-zones`).
    pub command: &'static str,
    /// One line of documentation.
    pub doc: &'static str,
    /// Its request members.
    pub input: &'static [Member],
    /// How it pages, if it does.
    pub paging: Option<Paging>,
    /// Wire names of the sensitive members anywhere in its request or response.
    pub sensitive: &'static [&'static str],
}

/// One waiter.
#[derive(Debug)]
pub struct Waiter {
    /// Its name (`PurgeTasksDone`).
    pub name: &'static str,
    /// Its command under `teo wait`, kebab-case (`purge-tasks-done`).
    pub command: &'static str,
    /// One line of documentation.
    pub doc: &'static str,
    /// The action it polls.
    pub action: &'static str,
    /// The response member listing the items; `None` when the status is the response's own.
    pub items: Option<&'static str>,
    /// The member of each item holding its status.
    pub status: &'static str,
    /// Members that name an item in messages.
    pub names: &'static [&'static str],
    /// Statuses meaning done.
    pub success: &'static [&'static str],
    /// Statuses meaning failed.
    pub failure: &'static [&'static str],
    /// Statuses meaning still in progress.
    pub retry: &'static [&'static str],
    /// The first wait between polls, in seconds.
    pub min_delay: u64,
    /// The longest wait between polls, in seconds.
    pub max_delay: u64,
}

/// The action whose command or wire name is `name` (`describe-zones` or `DescribeZones`).
pub fn find_action(name: &str) -> Option<&'static Action> {
    crate::table::ACTIONS
        .iter()
        .find(|a| a.command == name || a.name == name)
}

/// The waiter whose command or name is `name` (`purge-tasks-done` or `PurgeTasksDone`).
pub fn find_waiter(name: &str) -> Option<&'static Waiter> {
    crate::table::WAITERS
        .iter()
        .find(|w| w.command == name || w.name == name)
}
