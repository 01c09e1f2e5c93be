//! What the Redis tests share: the Redis they use (or the reason they skip), and a Redis server of
//! their own for the tests that stop and start it.

#![allow(dead_code)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Redis the tests use, from `TENCENTCLOUD_TEST_REDIS_URL`; `.ci/run` starts one and sets it.
pub const URL_VAR: &str = "TENCENTCLOUD_TEST_REDIS_URL";
/// The `redis-server` binary for tests that stop and restart a server of their own.
pub const SERVER_VAR: &str = "TENCENTCLOUD_TEST_REDIS_SERVER";

/// The URL of the test Redis, or `None` (having said why the test skips).
pub fn redis_url(test: &str) -> Option<String> {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("SKIPPED {test}: {URL_VAR} is not set (.ci/run starts a redis-server and sets it)");
            None
        }
    }
}

/// A key prefix no other test run uses.
pub fn unique_prefix(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("test:{test}:{}:{nanos}:", std::process::id())
}

/// A redis-server of the test's own on a free loopback port, killed on drop.
pub struct OwnRedis {
    binary: String,
    pub port: u16,
    child: Option<Child>,
}

impl OwnRedis {
    /// Starts one, or `None` (having said why the test skips) when `TENCENTCLOUD_TEST_REDIS_SERVER`
    /// is unset.
    pub fn start(test: &str) -> Option<OwnRedis> {
        let binary = match std::env::var(SERVER_VAR) {
            Ok(binary) if !binary.is_empty() => binary,
            _ => {
                eprintln!("SKIPPED {test}: {SERVER_VAR} is not set (.ci/run sets it to redis-server's path)");
                return None;
            }
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let mut redis = OwnRedis {
            binary,
            port,
            child: None,
        };
        redis.resume();
        Some(redis)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Kills the server.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port and waits until it accepts connections.
    pub fn resume(&mut self) {
        let child = Command::new(&self.binary)
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not listen within 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}
