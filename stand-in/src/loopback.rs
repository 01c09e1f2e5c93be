// The HTTP side shared by the metadata server and the STS: an accept loop that can refuse service
// (closing each new connection at once), HTTP/1.1 keep-alive connections through hyper, and a
// two-step handler (decide: close, wait or go; then answer) so slow answers are computed late.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::http::request::Parts;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// Bodies larger than this close the connection: neither server expects more than a few KiB.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What to do with a request once its head and body are read.
pub(crate) enum Decision {
    /// Close the connection without answering.
    Close,
    /// Wait this long, then answer.
    Delay(Duration),
    /// Answer now.
    Go,
}

/// One complete answer.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn json(body: Vec<u8>) -> Self {
        Self {
            status: StatusCode::OK,
            content_type: "application/json",
            body,
        }
    }

    pub(crate) fn text(status: StatusCode, body: impl Into<String>) -> Self {
        Self {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.into().into_bytes(),
        }
    }
}

/// A server's behaviour, called from connection tasks.
pub(crate) trait Handler: Send + Sync + 'static {
    /// Whether new connections are closed as soon as they are accepted.
    fn down(&self) -> bool;
    /// Counts and records the request and decides how it is treated.
    fn decide(&self, parts: &Parts, body: &[u8]) -> Decision;
    /// The answer, computed after any delay.
    fn answer(&self, parts: &Parts, body: &[u8]) -> Reply;
}

/// Binds `127.0.0.1:0` and serves `handler` until the returned task is aborted.
pub(crate) async fn spawn(handler: Arc<dyn Handler>) -> io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    Ok((addr, tokio::spawn(accept_loop(listener, handler))))
}

async fn accept_loop(listener: TcpListener, handler: Arc<dyn Handler>) {
    // Dropped when the task is aborted, which closes every open connection.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    if handler.down() {
                        drop(stream);
                        continue;
                    }
                    connections.spawn(serve_connection(stream, Arc::clone(&handler)));
                }
                Err(error) => {
                    tracing::warn!(%error, "loopback server could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            Some(_finished) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, handler: Arc<dyn Handler>) {
    let _ = stream.set_nodelay(true);
    let service = service_fn(move |request| handle(Arc::clone(&handler), request));
    if let Err(error) = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service)
        .await
    {
        tracing::debug!(%error, "loopback connection ended with an error");
    }
}

/// An `Err` makes hyper close the connection without a response.
async fn handle(handler: Arc<dyn Handler>, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, io::Error> {
    let (parts, body) = request.into_parts();
    let body = Limited::new(body, MAX_BODY_BYTES)
        .collect()
        .await
        .map_err(io::Error::other)?
        .to_bytes();
    match handler.decide(&parts, &body) {
        Decision::Close => return Err(io::Error::other("injected fault: connection closed")),
        Decision::Delay(duration) => tokio::time::sleep(duration).await,
        Decision::Go => {}
    }
    let reply = handler.answer(&parts, &body);
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = reply.status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    Ok(response)
}
