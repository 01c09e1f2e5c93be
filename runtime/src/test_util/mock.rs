//! A mock client for unit tests: rules that answer calls instead of the network, in the shape of
//! aws-smithy-mocks.
//!
//! A [`Rule`] is made for one action with [`mock!`](crate::mock) (`mock!(Client::describe_zones)`),
//! may [match](RuleBuilder::match_requests) only some requests (a closure over the typed
//! request), and answers with an output (made, or [computed from the
//! request](RuleBuilder::then_compute_output)), a service error (code and message), an
//! [HTTP answer](RuleBuilder::then_http_response) of any status and body, or a
//! [sequence](RuleBuilder::sequence) of them. [`mock_client!`](crate::mock_client) builds a
//! generated crate's `Client` whose calls the rules answer.
//!
//! Such a client behaves like one talking to the service, because only the exchange is
//! replaced: a request is built and checked as always (one that breaks a rule of the spec
//! fails with [`Error::Validation`] and no rule sees it), then
//! encoded; the rule reads the request back as its typed request, and its answer is written as
//! the service's JSON envelope and read by the same code that reads real answers. So an output
//! decodes into the action's response type, a service error becomes the action's error enum
//! (`DescribeZonesError::ResourceNotFound`, or its unknown-code variant), per-call settings are
//! checked, and paginators and waiters work. Nothing is signed, no credentials are asked for,
//! nothing is paced, and no connection is opened.
//!
//! By default the mock client sends each call once (no retries, so one call takes one answer)
//! and paces nothing; the last argument of `mock_client!` can change its builder, for instance
//! to turn retries back on (each attempt then takes an answer).
//!
//! # Rule modes
//!
//! - [`RuleMode::MatchAny`] (the default): the first rule, in the order given, that is for the
//!   action and matches the request answers it. Rules are never used up: a rule with a
//!   sequence gives its answers in order, then keeps giving its last one.
//! - [`RuleMode::Sequential`]: answers are used up. The first rule that is for the action,
//!   matches, and still has an answer left answers with the next one; a rule whose answers are
//!   all given is passed over from then on.
//!
//! A call no rule answers fails with [`Error::Config`] naming the action
//! and saying why (no rule for it, none matched, or all used up).
//!
//! [`Rule::num_calls`] tells how many calls a rule answered.

use std::any::TypeId;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::builder::{ClientBuilder, FromHandle};
use crate::error::{BuildError, ConfigError, Error};
use crate::validation::ValidationError;
use crate::wire::{self, Decoding, Value, WireValue};
use crate::{Credentials, RateLimit};

/// The request id every mock answer carries.
pub const MOCK_REQUEST_ID: &str = "mock-request-id";

/// How a mock client's rules are chosen; see the [module documentation](self#rule-modes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RuleMode {
    /// Answers are used up, in order.
    Sequential,
    /// The first matching rule answers, as often as asked.
    #[default]
    MatchAny,
}

/// One answer to a request (its encoding): the HTTP status and body the service would have sent.
type Answer = Arc<dyn Fn(&str) -> (u16, Vec<u8>) + Send + Sync>;
/// Whether a request body (read back as the rule's request type) matches.
type Matcher = Box<dyn Fn(&str) -> bool + Send + Sync>;
/// Whether a typed request matches, as a test wrote it.
type TypedMatcher<I> = Arc<dyn Fn(&I) -> bool + Send + Sync>;

/// A rule for one action: which requests it matches and what it answers. Made with
/// [`mock!`](crate::mock); cheap to clone, and clones share the count of calls.
#[derive(Clone)]
pub struct Rule {
    inner: Arc<RuleInner>,
}

struct RuleInner {
    /// The request type, which names the action.
    input: TypeId,
    /// The request type's name, for messages.
    input_name: &'static str,
    matcher: Matcher,
    answers: Vec<Answer>,
    calls: AtomicUsize,
}

impl Rule {
    /// How many calls this rule has answered.
    pub fn num_calls(&self) -> usize {
        self.inner.calls.load(Ordering::SeqCst)
    }

    /// Whether the rule has given all its answers (which matters in [`RuleMode::Sequential`]).
    pub fn is_exhausted(&self) -> bool {
        self.num_calls() >= self.inner.answers.len()
    }
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("request", &self.inner.input_name)
            .field("answers", &self.inner.answers.len())
            .field("calls", &self.num_calls())
            .finish_non_exhaustive()
    }
}

/// Starts a [`Rule`] for the action whose request is `I` and response `O`; made by
/// [`mock!`](crate::mock), which infers both from a client method.
pub struct RuleBuilder<I, O> {
    matcher: Option<TypedMatcher<I>>,
    types: PhantomData<fn() -> (I, O)>,
}

impl<I, O> RuleBuilder<I, O>
where
    I: WireValue + 'static,
    O: WireValue + 'static,
{
    /// A rule builder for the action a client method `make` starts: the request type is what
    /// `build` gives and the response type what `send` gives. [`mock!`](crate::mock) writes
    /// this call; the three functions are never called.
    pub fn infer<C, B, F, E>(
        _make: impl Fn(&C) -> B,
        _build: impl Fn(B) -> Result<I, ValidationError>,
        _send: impl Fn(B) -> F,
    ) -> Self
    where
        F: Future<Output = Result<O, Error<E>>>,
    {
        RuleBuilder {
            matcher: None,
            types: PhantomData,
        }
    }

    /// Answers only requests for which `matches` is true; without it, every request of the
    /// action matches.
    pub fn match_requests(mut self, matches: impl Fn(&I) -> bool + Send + Sync + 'static) -> Self {
        self.matcher = Some(Arc::new(matches));
        self
    }

    /// Answers with the output `output` makes.
    pub fn then_output(self, output: impl Fn() -> O + Send + Sync + 'static) -> Rule {
        self.sequence().output(output).build()
    }

    /// Answers with the output `output` makes from the request (to echo what was sent).
    pub fn then_compute_output(self, output: impl Fn(&I) -> O + Send + Sync + 'static) -> Rule {
        self.sequence().compute_output(output).build()
    }

    /// Answers with this HTTP status and body, as a proxy or a broken service might: the call
    /// fails as it would then ([`Error::HttpStatus`] for a status other than 200,
    /// [`Error::Decode`] for a body that is not the API's JSON).
    pub fn then_http_response(self, status: u16, body: impl Into<String>) -> Rule {
        self.sequence().http_response(status, body).build()
    }

    /// Answers with the service error `code` (such as `ResourceNotFound`) and `message`; the
    /// call fails with [`Error::Service`] holding the action's error for
    /// that code.
    pub fn then_error(self, code: impl Into<String>, message: impl Into<String>) -> Rule {
        self.sequence().error(code, message).build()
    }

    /// Starts a rule with several answers, given in order.
    pub fn sequence(self) -> Sequence<I, O> {
        Sequence {
            builder: self,
            answers: Vec::new(),
        }
    }
}

/// The answers of a rule, in order; made by [`RuleBuilder::sequence`].
pub struct Sequence<I, O> {
    builder: RuleBuilder<I, O>,
    answers: Vec<Answer>,
}

impl<I, O> Sequence<I, O>
where
    I: WireValue + 'static,
    O: WireValue + 'static,
{
    /// Then answers with the output `output` makes.
    pub fn output(mut self, output: impl Fn() -> O + Send + Sync + 'static) -> Self {
        self.answers
            .push(Arc::new(move |_: &str| (200, success_body(output().to_wire()))));
        self
    }

    /// Then answers with the output `output` makes from the request.
    pub fn compute_output(mut self, output: impl Fn(&I) -> O + Send + Sync + 'static) -> Self {
        self.answers.push(Arc::new(move |body: &str| {
            match wire::from_str::<I>(body, Decoding::Tolerant) {
                Ok(request) => (200, success_body(output(&request).to_wire())),
                // Not reached: the rule matched, so the request read back.
                Err(e) => (
                    200,
                    error_body("InternalError", &format!("the mock could not read the request: {e}")),
                ),
            }
        }));
        self
    }

    /// Then answers with the service error `code` and `message`.
    pub fn error(mut self, code: impl Into<String>, message: impl Into<String>) -> Self {
        let body = error_body(&code.into(), &message.into());
        self.answers.push(Arc::new(move |_: &str| (200, body.clone())));
        self
    }

    /// Then answers with this HTTP status and body.
    pub fn http_response(mut self, status: u16, body: impl Into<String>) -> Self {
        let body = body.into().into_bytes();
        self.answers.push(Arc::new(move |_: &str| (status, body.clone())));
        self
    }

    /// Gives the answer added last `times` times in all (at least once).
    pub fn times(mut self, times: usize) -> Self {
        if let Some(last) = self.answers.last().cloned() {
            for _ in 1..times {
                self.answers.push(Arc::clone(&last));
            }
        }
        self
    }

    /// The rule. A sequence with no answer makes a rule that never answers (a call it matches
    /// fails naming the action).
    pub fn build(self) -> Rule {
        let matcher = self.builder.matcher;
        Rule {
            inner: Arc::new(RuleInner {
                input: TypeId::of::<I>(),
                input_name: short_type_name::<I>(),
                matcher: Box::new(move |body| {
                    // The body is the request's own encoding, so it reads back; one that did not
                    // would match nothing.
                    match (&matcher, wire::from_str::<I>(body, Decoding::Tolerant)) {
                        (_, Err(_)) => false,
                        (None, Ok(_)) => true,
                        (Some(matches), Ok(request)) => matches(&request),
                    }
                }),
                answers: self.answers,
                calls: AtomicUsize::new(0),
            }),
        }
    }
}

/// The last segment of a type's path, for messages.
fn short_type_name<T>() -> &'static str {
    let name = std::any::type_name::<T>();
    name.rsplit("::").next().unwrap_or(name)
}

/// `{"Response": {..output.., "RequestId": ..}}`.
fn success_body(output: Value) -> Vec<u8> {
    let mut response = match output {
        Value::Object(members) => members,
        _ => serde_json::Map::new(),
    };
    response
        .entry("RequestId")
        .or_insert_with(|| Value::String(MOCK_REQUEST_ID.to_owned()));
    envelope(Value::Object(response))
}

/// `{"Response": {"Error": {"Code": .., "Message": ..}, "RequestId": ..}}`.
fn error_body(code: &str, message: &str) -> Vec<u8> {
    envelope(serde_json::json!({
        "Error": {"Code": code, "Message": message},
        "RequestId": MOCK_REQUEST_ID,
    }))
}

fn envelope(response: Value) -> Vec<u8> {
    serde_json::json!({ "Response": response }).to_string().into_bytes()
}

/// A mock client's rules: what answers its calls.
pub struct Rules {
    mode: RuleMode,
    rules: Vec<Rule>,
    /// Held while a rule is chosen and counted, so concurrent calls take distinct answers.
    choosing: Mutex<()>,
}

impl Rules {
    /// The rules, chosen as `mode` says.
    pub fn new(mode: RuleMode, rules: &[&Rule]) -> Rules {
        Rules {
            mode,
            rules: rules.iter().map(|r| (*r).clone()).collect(),
            choosing: Mutex::new(()),
        }
    }

    /// The answer (HTTP status and body) to a call of `action` whose request has type `input`
    /// and encoding `body`, or why there is none.
    pub(crate) fn answer(&self, action: &str, input: TypeId, body: &[u8]) -> Result<(u16, Vec<u8>), ConfigError> {
        let text = std::str::from_utf8(body).unwrap_or_default();
        // A poisoned lock only means another test thread panicked while choosing; the counts
        // are atomics and stay consistent.
        let _guard = self.choosing.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut for_action = 0;
        let mut matched = 0;
        for rule in self.rules.iter().filter(|r| r.inner.input == input) {
            for_action += 1;
            let inner = &rule.inner;
            if !(inner.matcher)(text) {
                continue;
            }
            matched += 1;
            let given = inner.calls.load(Ordering::SeqCst);
            let index = match self.mode {
                RuleMode::Sequential if given >= inner.answers.len() => continue,
                RuleMode::Sequential => given,
                RuleMode::MatchAny => given.min(inner.answers.len().saturating_sub(1)),
            };
            let Some(answer) = inner.answers.get(index) else {
                continue;
            };
            inner.calls.fetch_add(1, Ordering::SeqCst);
            return Ok(answer(text));
        }
        let why = if for_action == 0 {
            "the mock client has no rule for it".to_owned()
        } else if matched == 0 {
            format!("none of its {for_action} rule(s) matched the request")
        } else {
            format!("the {matched} rule(s) that matched the request have given all their answers")
        };
        Err(ConfigError(format!("no mock rule answers {action}: {why}")))
    }
}

impl fmt::Debug for Rules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rules")
            .field("mode", &self.mode)
            .field("rules", &self.rules)
            .finish_non_exhaustive()
    }
}

/// A client `C` whose calls `rules` answer, chosen as `mode` says; see the
/// [module documentation](self). It has placeholder credentials (never used), sends each call
/// once and paces nothing; `configure` may change its builder before it is built (retries,
/// per-attempt timeouts, a region). [`mock_client!`](crate::mock_client) calls this.
pub fn client<C: FromHandle>(
    mode: RuleMode,
    rules: &[&Rule],
    configure: impl FnOnce(ClientBuilder<C>) -> ClientBuilder<C>,
) -> Result<C, BuildError> {
    let builder = ClientBuilder::<C>::new()
        .credentials(Credentials::new("mock-secret-id", "mock-secret-key"))
        .disable_retries()
        .rate_limit(RateLimit::Disabled);
    configure(builder.with_mock(Arc::new(Rules::new(mode, rules)))).build()
}

/// Starts a mock [`Rule`] for one action of a generated client, named by its client method:
/// `mock!(Client::describe_zones)`. The request and response types are inferred from it.
///
/// ```text
/// let rule = mock!(Client::describe_zones)
///     .match_requests(|r| r.limit == Some(10))
///     .then_output(|| DescribeZonesResponse::builder().total_count(0).build().unwrap());
/// ```
#[macro_export]
macro_rules! mock {
    ($($method:tt)+) => {
        $crate::test_util::mock::RuleBuilder::infer($($method)+, |b| b.build(), |b| b.send())
    };
}

/// Builds a generated crate's `Client` whose calls mock [`Rule`]s answer:
/// `mock_client!(generated_client, [&rule_a, &rule_b])`, optionally with a [`RuleMode`] before
/// the rules (the default is [`RuleMode::MatchAny`]) and a closure changing the client's builder
/// after them.
///
/// # Panics
///
/// When the client does not build: only when the closure set something invalid (a zero
/// timeout), and the message says what.
#[macro_export]
macro_rules! mock_client {
    ($krate:ident, [$($rule:expr),* $(,)?]) => {
        $crate::mock_client!($krate, $crate::test_util::mock::RuleMode::MatchAny, [$($rule),*], |b| b)
    };
    ($krate:ident, $mode:expr, [$($rule:expr),* $(,)?]) => {
        $crate::mock_client!($krate, $mode, [$($rule),*], |b| b)
    };
    ($krate:ident, $mode:expr, [$($rule:expr),* $(,)?], $configure:expr) => {{
        match $crate::test_util::mock::client::<$krate::Client>($mode, &[$($rule),*], $configure) {
            ::core::result::Result::Ok(client) => client,
            ::core::result::Result::Err(e) => ::core::panic!("the mock client does not build: {e}"),
        }
    }};
}
