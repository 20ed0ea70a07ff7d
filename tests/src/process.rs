//! The `terrain` binary as a separate process, for tests that must kill it (SIGKILL) or run two
//! instances side by side.

use std::{
    io::{BufRead, BufReader},
    net::SocketAddr,
    path::PathBuf,
    process::{Child, Command, Stdio},
};

/// `target/<profile>/terrain`, beside this executable (a binary) or one folder up (a test,
/// which lives in `deps/`).
pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("own executable");
    let here = exe.parent().expect("target/<profile>");
    let bin = [here.join("terrain"), here.join("../terrain")]
        .into_iter()
        .find(|p| p.exists())
        .unwrap_or_else(|| here.join("terrain"));
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build -p server` (cargo test --workspace does)",
        bin.display()
    );
    bin
}

pub struct ServerProcess {
    pub addr: SocketAddr,
    child: Child,
}

impl ServerProcess {
    /// Starts `terrain serve` on a free port against `database_url`.
    pub fn start(database_url: &str) -> Self {
        let mut child = Command::new(binary())
            .arg("serve")
            .env("TERRAIN_ADDR", "127.0.0.1:0")
            .env("DATABASE_URL", database_url)
            .env("TERRAIN_LOG", "warn")
            .env("TERRAIN_SITE_ROOT", "/nonexistent")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn terrain");
        match child.stdout.take().and_then(listening_address) {
            Some((addr, rest)) => {
                // Keep draining stdout so the child never blocks on a full pipe.
                std::thread::spawn(move || for _ in rest.lines() {});
                Self { addr, child }
            }
            None => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("terrain exited before listening");
            }
        }
    }

    /// SIGKILL: no shutdown, no flush.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

/// Reads stdout up to the "listening on" line.
fn listening_address(
    stdout: std::process::ChildStdout,
) -> Option<(SocketAddr, BufReader<std::process::ChildStdout>)> {
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if let Some(url) = line.trim().strip_prefix("terrain listening on http://") {
            return Some((url.parse().ok()?, reader));
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
