// The HTTP side: the accept loop (one task owning every connection task, so aborting it closes
// everything), HTTP/1.1 keep-alive connections through hyper, and the per-request handler that
// reads the body, applies a queued fault, runs the checks and the action, and records the request.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::http::request::Parts;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::actions::Api;
use crate::connections::{Activity, InFlight};
use crate::faults::{Canned, Fault, Plan};
use crate::record::{Outcome, RecordedRequest, Verification};
use crate::response::{error_body, success_body, ApiError};
use crate::state::{Shared, State};
use crate::verify::{verify, Checked, Inbound, KeyLookup};

/// The service's documented cap on a POST body.
const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;
/// How long a cut-short body waits after its bytes before failing, so they reach the client first.
const CUT_SHORT_PAUSE: Duration = Duration::from_millis(50);

/// Accepts connections until aborted; dropping the `JoinSet` on abort closes every open connection.
pub(crate) async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    let mut accepted_count: u64 = 0;
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    accepted_count += 1;
                    connections.spawn(serve_connection(stream, accepted_count, Arc::clone(&shared)));
                }
                Err(error) => {
                    // Usually descriptor exhaustion: back off instead of spinning.
                    tracing::warn!(%error, "stand-in could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            Some(_finished) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: tokio::net::TcpStream, connection: u64, shared: Arc<Shared>) {
    // Latency matters more than packet count on loopback.
    let _ = stream.set_nodelay(true);
    let close_idle_after = shared.lock().connections.close_idle_after;
    let activity = Arc::new(Activity::new());
    let service = {
        let activity = Arc::clone(&activity);
        service_fn(move |request| handle(Arc::clone(&shared), connection, Arc::clone(&activity), request))
    };
    let conn = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let result = match close_idle_after {
        None => conn.await,
        Some(limit) => loop {
            // Sleeps until the connection could have been idle for `limit`, then looks.
            let wait = match activity.idle_for() {
                Some(idle) if idle >= limit => {
                    conn.as_mut().graceful_shutdown();
                    break conn.await;
                }
                Some(idle) => limit - idle,
                None => limit,
            };
            tokio::select! {
                result = conn.as_mut() => break result,
                () = tokio::time::sleep(wait) => {}
            }
        },
    };
    if let Err(error) = result {
        tracing::debug!(%error, "stand-in connection ended with an error");
    }
}

/// Answers one request. An `Err` makes hyper close the connection without a response.
async fn handle(
    shared: Arc<Shared>,
    connection: u64,
    activity: Arc<Activity>,
    request: Request<Incoming>,
) -> Result<Response<ReplyBody>, io::Error> {
    let received_at = Instant::now();
    let stale = activity.begin(shared.lock().connections.drop_stale_after);
    let _in_flight = InFlight(&activity);
    let (parts, body) = request.into_parts();
    let body = read_body(body).await?;

    let (fault, request_id, checked) = {
        let mut state = shared.lock();
        let unavailable = state
            .connections
            .unavailable_until
            .is_some_and(|until| Instant::now() < until);
        let fault = if stale {
            Some(Fault::DropConnection)
        } else if unavailable {
            Some(Fault::html_status(503))
        } else {
            let fault = state.faults.pop_front();
            match (fault, &mut state.throttle) {
                (None, Some(throttle)) => throttle.check(received_at),
                (fault, _) => fault,
            }
        };
        let request_id = state.rng.request_id();
        let checked = match &body {
            Some(body) => check_request(&parts, body, &state),
            None => Err(ApiError::new(
                "RequestSizeLimitExceeded",
                format!("The request body exceeds {MAX_BODY_BYTES} bytes."),
            )),
        };
        (fault, request_id, checked)
    };
    let mut record = new_record(&parts, body.unwrap_or_default(), received_at, connection, &checked);
    record.fault.clone_from(&fault);

    let mut content_type = "application/json";
    let mut delay = None;
    match fault.as_ref().map(|fault| fault.plan(&request_id)) {
        Some(Plan::Replace(canned)) => {
            if let Some(Fault::ApiError { code, .. }) = &fault {
                record.outcome = Outcome::ApiError { code: code.clone() };
            }
            finish(&shared, record);
            return Ok(canned_response(canned));
        }
        Some(Plan::Drop) => {
            finish(&shared, record);
            return Err(io::Error::other("injected fault: connection dropped"));
        }
        Some(Plan::Delay(duration)) => delay = Some(duration),
        Some(Plan::ContentTypeWithParams) => content_type = "application/json; charset=utf-8",
        None => {}
    }

    let serve = async move {
        if let Some(duration) = delay {
            tokio::time::sleep(duration).await;
        }
        let answer = checked.and_then(|(checked, api)| {
            let mut state = shared.lock();
            let state = &mut *state;
            let mut ctx = crate::actions::Ctx {
                store: &mut state.store,
                rng: &mut state.rng,
                now: state.clock.now(),
            };
            crate::actions::answer(api, &checked.action, &record.body, &mut ctx, state.spec.loaded())
        });
        let (outcome, body) = match answer {
            Ok(fields) => (Outcome::Success, success_body(fields, &request_id)),
            Err(error) => (
                Outcome::ApiError {
                    code: error.code.clone(),
                },
                error_body(&error, &request_id),
            ),
        };
        record.outcome = outcome;
        finish(&shared, record);
        Ok(canned_response(Canned {
            status: StatusCode::OK,
            content_type: content_type.to_owned(),
            body,
            cut_short: false,
        }))
    };
    if delay.is_none() {
        return serve.await;
    }
    // A slow reply runs on its own task: like the real service, the stand-in finishes (records
    // and runs) a request even when the client gave up waiting and hung up.
    match tokio::spawn(serve).await {
        Ok(reply) => reply,
        Err(error) => Err(io::Error::other(error)),
    }
}

/// The whole body, or `None` when it exceeds the size cap; `Err` when the client went away mid-body.
async fn read_body(body: Incoming) -> Result<Option<Vec<u8>>, io::Error> {
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(Some(collected.to_bytes().to_vec())),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => Ok(None),
        Err(error) => Err(io::Error::other(error)),
    }
}

/// The record of a request before its answer is known (`outcome` is filled in later).
fn new_record(
    parts: &Parts,
    body: Vec<u8>,
    received_at: Instant,
    connection: u64,
    checked: &Result<(Checked, Api), ApiError>,
) -> RecordedRequest {
    let text = |value: &HeaderValue| String::from_utf8_lossy(value.as_bytes()).into_owned();
    RecordedRequest {
        action: parts.headers.get("x-tc-action").map(text),
        method: parts.method.to_string(),
        path: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.to_string(), ToString::to_string),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), text(value)))
            .collect(),
        body,
        received_at,
        connection,
        verification: match checked {
            Ok(_) => Verification::Passed,
            Err(error) => Verification::Failed {
                code: error.code.clone(),
                message: error.message.clone(),
            },
        },
        fault: None,
        outcome: Outcome::Injected,
    }
}

/// Method and path first (the stand-in serves `POST /` only), then the protocol checks for the
/// service `X-TC-Version` names: SSL Certificates for `2019-12-05`, TEO otherwise.
fn check_request(parts: &Parts, body: &[u8], state: &State) -> Result<(Checked, Api), ApiError> {
    if parts.method != Method::POST {
        return Err(ApiError::new(
            "UnsupportedProtocol",
            format!(
                "The HTTP method {} is not supported; this stand-in serves POST only.",
                parts.method
            ),
        ));
    }
    if parts.uri.path() != "/" {
        return Err(ApiError::new(
            "InvalidParameter",
            format!("The request path `{}` must be `/`.", parts.uri.path()),
        ));
    }
    let inbound = Inbound {
        query: parts.uri.query().unwrap_or(""),
        headers: &parts.headers,
        body,
    };
    let now = state.clock.now();
    let lookup = |secret_id: &str| {
        if secret_id == state.credentials.secret_id() {
            KeyLookup::Active(state.credentials.clone())
        } else {
            state.issued.lookup(secret_id, now)
        }
    };
    let version = parts.headers.get("x-tc-version").and_then(|value| value.to_str().ok());
    let api = Api::for_version(version);
    verify(&inbound, api.service(), lookup, now).map(|checked| (checked, api))
}

fn finish(shared: &Shared, record: RecordedRequest) {
    tracing::debug!(
        action = record.action.as_deref().unwrap_or("-"),
        verification = record.verification.code().unwrap_or("passed"),
        outcome = ?record.outcome,
        "stand-in answered",
    );
    shared.lock().records.push(record);
}

fn canned_response(canned: Canned) -> Response<ReplyBody> {
    let declared_length = if canned.cut_short {
        canned.body.len() * 2 + 16
    } else {
        canned.body.len()
    };
    let mut response = Response::new(ReplyBody::new(canned.body, canned.cut_short));
    *response.status_mut() = canned.status;
    let headers = response.headers_mut();
    let content_type = HeaderValue::from_str(&canned.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    headers.insert(CONTENT_TYPE, content_type);
    headers.insert(CONTENT_LENGTH, HeaderValue::from(declared_length));
    response
}

/// A response body sent in one frame. When `cut_short`, it then pauses (so hyper flushes the
/// head and the bytes so far) and fails, which makes hyper abort the connection before the
/// declared `Content-Length` is reached.
pub(crate) struct ReplyBody {
    data: Option<Bytes>,
    cut_short: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl ReplyBody {
    fn new(data: Vec<u8>, cut_short: bool) -> Self {
        let pause = cut_short.then(|| Box::pin(tokio::time::sleep(CUT_SHORT_PAUSE)));
        Self {
            data: Some(Bytes::from(data)),
            cut_short: pause,
        }
    }
}

impl Body for ReplyBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if let Some(data) = this.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        match this.cut_short.as_mut().map(|pause| pause.as_mut().poll(cx)) {
            None => Poll::Ready(None),
            Some(Poll::Pending) => Poll::Pending,
            Some(Poll::Ready(())) => {
                this.cut_short = None;
                Poll::Ready(Some(Err(io::Error::other("injected fault: body cut short"))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && self.cut_short.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        match (&self.data, &self.cut_short) {
            (Some(data), None) => SizeHint::with_exact(data.len() as u64),
            (None, None) => SizeHint::with_exact(0),
            (_, Some(_)) => SizeHint::default(),
        }
    }
}
