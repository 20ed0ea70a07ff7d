//! Generates the `i18n` module from `locales/{fr,ar,en}.json` (French is the default).

use leptos_i18n_parser::parse_locales::{
    options::{Config, ParseOptions},
    parse_locales,
};
use std::{env, fs, path::PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=locales");
    if let Err(err) = generate() {
        println!("cargo::error=translations: {err}");
    }
}

fn generate() -> Result<(), Box<dyn std::error::Error>> {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    // interpolate_display: t_string! may interpolate values (names, counts) into attribute text.
    let cfg = Config::new("fr")?
        .add_locales(["ar", "en"])?
        .parse_options(ParseOptions::new().interpolate_display(true));
    let parsed = parse_locales(Some(manifest_dir), cfg)?;
    for warning in parsed.diag.warnings().iter() {
        println!("cargo::warning={warning}");
    }
    for error in parsed.diag.errors().iter() {
        println!("cargo::error={error}");
    }
    let attrs = "#![allow(missing_docs, clippy::all, clippy::unwrap_used)]".parse()?;
    let code = leptos_i18n_codegen::gen_code(&parsed, None, false, Some(&attrs), false)?;
    let out = PathBuf::from(env::var("OUT_DIR")?).join("i18n");
    fs::create_dir_all(&out)?;
    fs::write(out.join("mod.rs"), code.to_string())?;
    Ok(())
}
