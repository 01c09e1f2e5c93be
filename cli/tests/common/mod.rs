//! A stand-in served on a background thread, and `teo` run as a process against it with a
//! scratch home directory (so no real profile is read).
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::mpsc;

pub use teo_stand_in::{StandIn, TaskStatus};

/// The zone every test stand-in has.
pub const ZONE: &str = "zone-2o0kx8ipb1zq";
/// A 32-byte key in base64, valid for the gateway key actions.
pub const GATEWAY_KEY: &str = "b8sfnemqzF5TNCwwtshVmG/gyCJVi/rP+7A+jsBwqGY=";

/// A running stand-in and a scratch home.
pub struct Env {
    pub stand_in: StandIn,
    pub home: PathBuf,
}

/// Starts a stand-in with [`ZONE`] (`example.com`) on a thread of its own.
pub fn start() -> Env {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let stand_in = StandIn::builder()
                .zone_with_id(ZONE, "example.com")
                .start()
                .await
                .unwrap();
            tx.send(stand_in).unwrap();
            std::future::pending::<()>().await;
        });
    });
    let stand_in = rx.recv().unwrap();
    let home = std::env::temp_dir().join(format!(
        "teo-cli-test-{}-{}",
        std::process::id(),
        stand_in.local_addr().port()
    ));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).unwrap();
    Env { stand_in, home }
}

impl Env {
    /// `teo` pointed at the stand-in with its credentials in the environment.
    pub fn teo(&self) -> assert_cmd::Command {
        let mut cmd = self.bare();
        cmd.env("TENCENTCLOUD_SECRET_ID", StandIn::DEFAULT_SECRET_ID)
            .env("TENCENTCLOUD_SECRET_KEY", StandIn::DEFAULT_SECRET_KEY)
            .arg("--endpoint")
            .arg(self.stand_in.endpoint());
        cmd
    }

    /// `teo` with no credentials in the environment and no endpoint.
    pub fn bare(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("teo").unwrap();
        cmd.env_clear()
            .env("HOME", &self.home)
            // The instance role source is tried last; a closed port answers at once.
            .env("TENCENTCLOUD_METADATA_ENDPOINT", "http://127.0.0.1:1")
            .timeout(std::time::Duration::from_secs(60));
        cmd
    }

    /// Actions the stand-in received, in order.
    pub fn actions(&self) -> Vec<String> {
        self.stand_in.requests().into_iter().filter_map(|r| r.action).collect()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

/// Stdout as JSON.
pub fn json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Stderr as text.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Stdout as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}
