//! Start-up failures end with one line that says what to fix, never a panic trace.
//! (These run the `terrain` binary itself, so they live beside it.)
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed anyway

use std::process::{Command, Output};

fn terrain(env: &[(&str, &str)], args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_terrain"));
    cmd.current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("TERRAIN_DATABASE_URL")
        .env("TERRAIN_ADDR", "127.0.0.1:0")
        .env("TERRAIN_LOG", "off")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn one_clear_line(out: &Output, expected: &str) {
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected, got: {stderr}");
    assert!(lines[0].starts_with("terrain: "), "{stderr}");
    assert!(lines[0].contains(expected), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_malformed_database_url_is_named() {
    let out = terrain(
        &[("DATABASE_URL", "mysql://root:secret@localhost/x")],
        &["serve"],
    );
    one_clear_line(&out, "is not a database address");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("secret"));
}

#[test]
fn an_unreachable_postgresql_is_named() {
    // Port 1 on loopback: nothing listens there.
    let out = terrain(
        &[("DATABASE_URL", "postgres://postgres@127.0.0.1:1/test")],
        &["migrate"],
    );
    one_clear_line(
        &out,
        "cannot open the database postgres://postgres@127.0.0.1:1/test",
    );
}

#[test]
fn an_unwritable_data_folder_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, b"").unwrap();
    let url = format!("sqlite://{}/data/terrain.db?mode=rwc", file.display());
    let out = terrain(&[("DATABASE_URL", &url)], &["serve"]);
    one_clear_line(&out, "cannot create or write the data folder");
}

#[test]
fn a_port_in_use_is_named() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = terrain(&[("TERRAIN_ADDR", &addr)], &["serve"]);
    one_clear_line(&out, &format!("{addr} is already in use"));
}

#[test]
fn a_bad_address_setting_is_named() {
    let out = terrain(&[("TERRAIN_ADDR", "localhost")], &["serve"]);
    one_clear_line(&out, "TERRAIN_ADDR");
}

#[test]
fn migrate_creates_the_default_sqlite_database_under_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_terrain"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("TERRAIN_DATABASE_URL")
        .env("TERRAIN_LOG", "off")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("data/terrain.db").exists());
}
