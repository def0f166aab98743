// SPDX-License-Identifier: Apache-2.0
//! Finds libnetns: $NETNS_LIB_DIR when set, else `pkg-config --libs-only-L
//! netns` (honouring PKG_CONFIG_PATH), else the linker's default path.

use std::env;
use std::process::Command;

fn main() {
    for var in [
        "NETNS_LIB_DIR",
        "PKG_CONFIG",
        "PKG_CONFIG_PATH",
        "PKG_CONFIG_LIBDIR",
        "PKG_CONFIG_SYSROOT_DIR",
    ] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    println!("cargo:rerun-if-changed=build.rs");

    let mut dirs: Vec<String> = Vec::new();
    match env::var("NETNS_LIB_DIR") {
        Ok(dir) if !dir.is_empty() => dirs.push(dir),
        _ => dirs.extend(pkg_config_dirs()),
    }
    for dir in &dirs {
        println!("cargo:rustc-link-search=native={dir}");
    }
    if let Some(dir) = dirs.first() {
        // Lets dependents (DEP_NETNS_LIB_DIR) find the library too.
        println!("cargo:lib_dir={dir}");
    }
    println!("cargo:rustc-link-lib=dylib=netns");
}

/// The -L directories pkg-config reports for `netns`; empty when pkg-config
/// is missing or does not know the package (the default path then applies).
fn pkg_config_dirs() -> Vec<String> {
    let program = env::var("PKG_CONFIG").unwrap_or_else(|_| "pkg-config".to_owned());
    let output = match Command::new(&program)
        .args(["--libs-only-L", "netns"])
        .output()
    {
        Ok(out) if out.status.success() => out,
        Ok(out) => {
            println!(
                "cargo:warning=`{program} --libs-only-L netns` failed ({}); using the default library path",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return Vec::new();
        }
        Err(err) => {
            println!("cargo:warning=cannot run {program} ({err}); using the default library path");
            return Vec::new();
        }
    };
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .filter_map(|flag| flag.strip_prefix("-L"))
        .filter(|dir| !dir.is_empty())
        .map(str::to_owned)
        .collect()
}
