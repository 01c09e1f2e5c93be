// The HTTP side: the accept loop (one task owning every connection task, so aborting it closes
// everything), HTTP/1.1 keep-alive connections through hyper, and the per-request handler that
// reads the body, applies a queued fault, runs the checks and the action, and records the request.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::faults::{Canned, Plan};
use crate::record::{Outcome, RecordedRequest, Verification};
use crate::response::{error_body, success_body, ApiError};
use crate::state::Shared;
use crate::verify::{verify, Checked, Inbound};

/// The service's documented cap on a POST body.
const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// Accepts connections until aborted; dropping the `JoinSet` on abort closes every open connection.
pub(crate) async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    connections.spawn(serve_connection(stream, Arc::clone(&shared)));
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

async fn serve_connection(stream: tokio::net::TcpStream, shared: Arc<Shared>) {
    // Latency matters more than packet count on loopback.
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |request| handle(Arc::clone(&shared), request));
    if let Err(error) = http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(stream), service).await
    {
        tracing::debug!(%error, "stand-in connection ended with an error");
    }
}

/// Answers one request. An `Err` makes hyper close the connection without a response.
async fn handle(shared: Arc<Shared>, request: Request<Incoming>) -> Result<Response<ReplyBody>, io::Error> {
    let received_at = Instant::now();
    let (parts, body) = request.into_parts();
    let (body, too_large) = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => (collected.to_bytes().to_vec(), false),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => (Vec::new(), true),
        // The client went away mid-body: nobody to answer.
        Err(error) => return Err(io::Error::other(error)),
    };

    let (fault, request_id, checked) = {
        let mut state = shared.lock();
        let fault = state.faults.pop_front();
        let request_id = state.rng.request_id();
        let checked = if too_large {
            Err(ApiError::new(
                "RequestSizeLimitExceeded",
                format!("The request body exceeds {MAX_BODY_BYTES} bytes."),
            ))
        } else {
            check_request(&parts, &body, &state)
        };
        (fault, request_id, checked)
    };

    let mut record = RecordedRequest {
        action: parts.headers.get("x-tc-action").and_then(|value| value.to_str().ok()).map(str::to_owned),
        method: parts.method.to_string(),
        path: parts.uri.path_and_query().map_or_else(|| parts.uri.to_string(), ToString::to_string),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
            .collect(),
        body,
        received_at,
        verification: match &checked {
            Ok(_) => Verification::Passed,
            Err(error) => Verification::Failed { code: error.code.clone(), message: error.message.clone() },
        },
        fault: fault.clone(),
        outcome: Outcome::Injected,
    };

    let mut json_content_type = "application/json";
    match fault.as_ref().map(|fault| fault.plan(&request_id)) {
        Some(Plan::Replace(canned)) => {
            if let Some(crate::faults::Fault::ApiError { code, .. }) = &fault {
                record.outcome = Outcome::ApiError { code: code.clone() };
            }
            finish(&shared, record);
            return Ok(canned_response(canned));
        }
        Some(Plan::Drop) => {
            finish(&shared, record);
            return Err(io::Error::other("injected fault: connection dropped"));
        }
        Some(Plan::Delay(duration)) => tokio::time::sleep(duration).await,
        Some(Plan::ContentTypeWithParams) => json_content_type = "application/json; charset=utf-8",
        None => {}
    }

    let answer = {
        let mut state = shared.lock();
        let state = &mut *state;
        checked.and_then(|checked| crate::actions::run(&checked.action, &record.body, &mut state.zones, &mut state.rng))
    };
    let body = match answer {
        Ok(fields) => {
            record.outcome = Outcome::Success;
            success_body(fields, &request_id)
        }
        Err(error) => {
            record.outcome = Outcome::ApiError { code: error.code.clone() };
            error_body(&error, &request_id)
        }
    };
    finish(&shared, record);
    Ok(canned_response(Canned { status: StatusCode::OK, content_type: json_content_type.to_owned(), body, cut_short: false }))
}

/// Method and path first (the stand-in serves `POST /` only), then the protocol checks.
fn check_request(
    parts: &hyper::http::request::Parts,
    body: &[u8],
    state: &crate::state::State,
) -> Result<Checked, ApiError> {
    if parts.method != Method::POST {
        return Err(ApiError::new(
            "UnsupportedProtocol",
            format!("The HTTP method {} is not supported; this stand-in serves POST only.", parts.method),
        ));
    }
    if parts.uri.path() != "/" {
        return Err(ApiError::new("InvalidParameter", format!("The request path `{}` must be `/`.", parts.uri.path())));
    }
    let inbound = Inbound { query: parts.uri.query().unwrap_or(""), headers: &parts.headers, body };
    verify(&inbound, &state.credentials, state.clock.now())
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
    let declared_length = if canned.cut_short { canned.body.len() * 2 + 16 } else { canned.body.len() };
    let mut response = Response::new(ReplyBody { data: Some(Bytes::from(canned.body)), cut_short: canned.cut_short });
    *response.status_mut() = canned.status;
    let headers = response.headers_mut();
    let content_type =
        HeaderValue::from_str(&canned.content_type).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    headers.insert(CONTENT_TYPE, content_type);
    headers.insert(CONTENT_LENGTH, HeaderValue::from(declared_length));
    response
}

/// A response body sent in one frame; when `cut_short`, an error follows it so hyper aborts the
/// connection before the declared `Content-Length` is reached.
pub(crate) struct ReplyBody {
    data: Option<Bytes>,
    cut_short: bool,
}

impl Body for ReplyBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if let Some(data) = this.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if this.cut_short {
            this.cut_short = false;
            return Poll::Ready(Some(Err(io::Error::other("injected fault: body cut short"))));
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && !self.cut_short
    }

    fn size_hint(&self) -> SizeHint {
        match (&self.data, self.cut_short) {
            (Some(data), false) => SizeHint::with_exact(data.len() as u64),
            (None, false) => SizeHint::with_exact(0),
            (_, true) => SizeHint::default(),
        }
    }
}
