//! A scripted loopback HTTP/1.1 server for the runtime's own tests: it records every request
//! (method, path, headers, body bytes) and answers each with the next scripted reply, so tests
//! can check exactly what was sent and how each kind of answer is handled.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Answers with this status, content type and body.
    Http {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
    },
    /// Waits, then does the inner reply.
    Delay(Duration, Box<Reply>),
    /// Closes the connection without answering.
    Close,
}

impl Reply {
    /// A 200 with a JSON body.
    pub fn json(body: &str) -> Reply {
        Reply::Http {
            status: 200,
            content_type: "application/json",
            body: body.as_bytes().to_vec(),
        }
    }

    /// Any status, content type and body.
    pub fn status(status: u16, content_type: &'static str, body: &str) -> Reply {
        Reply::Http {
            status,
            content_type,
            body: body.as_bytes().to_vec(),
        }
    }

    /// An API error envelope with this code.
    pub fn service_error(code: &str) -> Reply {
        Reply::json(&format!(
            r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"scripted {code}"}},"RequestId":"req-{code}"}}}}"#
        ))
    }
}

/// A running server; it stops when the test's runtime ends.
pub struct Server {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// Starts a server answering with `replies` in order; the last one repeats.
    pub async fn start(replies: Vec<Reply>) -> Server {
        Server::start_with(replies, true).await
    }

    /// Like [`Server::start`], but keeps no record of requests (for benchmarks, whose request
    /// count is unbounded).
    pub async fn start_unrecorded(replies: Vec<Reply>) -> Server {
        Server::start_with(replies, false).await
    }

    async fn start_with(replies: Vec<Reply>, record: bool) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(VecDeque::from(replies)));
        let recorded = Arc::clone(&requests);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(
                    stream,
                    record.then(|| Arc::clone(&recorded)),
                    Arc::clone(&script),
                ));
            }
        });
        Server { url, requests }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("lock").clone()
    }
}

/// An address on which nothing listens.
pub async fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    url
}

async fn serve(stream: TcpStream, recorded: Option<Arc<Mutex<Vec<Recorded>>>>, script: Arc<Mutex<VecDeque<Reply>>>) {
    let mut reader = BufReader::new(stream);
    loop {
        let Some(request) = read_request(&mut reader).await else {
            return;
        };
        if let Some(recorded) = &recorded {
            recorded.lock().expect("lock").push(request);
        }
        let reply = {
            let mut script = script.lock().expect("lock");
            if script.len() > 1 {
                script.pop_front()
            } else {
                script.front().cloned()
            }
        };
        let Some(reply) = reply else { return };
        if !answer(reader.get_mut(), reply).await {
            return;
        }
    }
}

async fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Recorded> {
    let mut line = String::new();
    if reader.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).await.ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    Some(Recorded {
        method,
        path,
        headers,
        body,
    })
}

/// Writes the reply; false when the connection should end.
async fn answer(stream: &mut TcpStream, reply: Reply) -> bool {
    let mut reply = reply;
    while let Reply::Delay(wait, inner) = reply {
        tokio::time::sleep(wait).await;
        reply = *inner;
    }
    match reply {
        Reply::Http {
            status,
            content_type,
            body,
        } => {
            let head = format!(
                "HTTP/1.1 {status} Scripted\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            // One write, so Nagle's algorithm never holds the body back waiting for an ACK.
            let mut message = head.into_bytes();
            message.extend_from_slice(&body);
            stream.write_all(&message).await.is_ok()
        }
        Reply::Close | Reply::Delay(..) => false,
    }
}
