//! Build script of the `actionkit` binary: compiles the decision engine (`action-core`) for
//! `wasm32-unknown-unknown`, runs wasm-bindgen on it in-process (`--target nodejs` glue), and
//! leaves `engine.wasm` and `engine.js` in `OUT_DIR` for `include_bytes!`/`include_str!`.
//!
//! Building an Action later never invokes cargo: policy authors only need the binary.
//!
//! The engine is built by a nested `cargo build` into its own target directory (the outer build
//! holds the lock on the main one) with the `engine` profile (size-optimised, `panic = "abort"`)
//! and a 64 KB WASM stack: that keeps linear memory at a few pages, which makes instantiation
//! and the harness's memory bridge several times cheaper (see docs/PERFORMANCE.md).

use std::env;
use std::path::{Path, PathBuf};
use std::process::{exit, Command};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

fn fail(message: &str) -> ! {
    // `cargo::error=` shows the message without a backtrace (cargo 1.84+); the plain line
    // covers the log for older cargo.
    println!("cargo::error={message}");
    eprintln!("error: {message}");
    exit(1)
}

fn main() {
    let root = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    let core_dir = root.join("action-core");
    // The workspace manifest holds the `engine` profile and the wasm-bindgen dependency.
    for watched in ["action-core/src", "action-core/Cargo.toml", "Cargo.toml", "Cargo.lock", "build/engine.rs"] {
        println!("cargo::rerun-if-changed={}", root.join(watched).display());
    }
    println!("cargo::rerun-if-env-changed=ACTIONKIT_ENGINE_WASM");

    // An escape hatch for packagers: a prebuilt engine (already processed by nothing else).
    let wasm_path = match env::var_os("ACTIONKIT_ENGINE_WASM") {
        Some(path) => PathBuf::from(path),
        None => build_engine(&root, &core_dir, &out_dir),
    };
    bindgen(&wasm_path, &out_dir);
}

fn build_engine(root: &Path, core_dir: &Path, out_dir: &Path) -> PathBuf {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    check_target_installed(&rustc);

    // OUT_DIR is <target>/<profile>/build/actionkit-<hash>/out; the engine gets <target>/engine.
    let target_dir =
        out_dir.ancestors().nth(4).map(|t| t.join("engine")).unwrap_or_else(|| root.join("target").join("engine"));
    let mut command = Command::new(&cargo);
    command
        .current_dir(root)
        // `cargo rustc --crate-type cdylib`: action-core itself is only an rlib (a cdylib crate
        // type in its manifest would put a second, hash-less rlib next to the native one and
        // break doctests of its dependents with E0460).
        .args(["rustc", "--quiet", "--package", "action-core", "--lib", "--crate-type", "cdylib"])
        .args(["--features", "wasm"])
        .args(["--target", WASM_TARGET, "--profile", "engine", "--target-dir"])
        .arg(&target_dir)
        // Only our own flags reach the engine: the outer build's RUSTFLAGS are for the host.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .env("CARGO_ENCODED_RUSTFLAGS", "-Clink-arg=-zstack-size=65536");
    if env::var_os("CARGO_NET_OFFLINE").is_some() {
        command.arg("--offline");
    }
    let status = command.status().unwrap_or_else(|e| fail(&format!("cannot run cargo: {e}")));
    if !status.success() {
        fail(&format!("building the WASM engine from {} failed (see the cargo output above)", core_dir.display()));
    }
    target_dir.join(WASM_TARGET).join("engine").join("action_core.wasm")
}

fn check_target_installed(rustc: &std::ffi::OsStr) {
    let sysroot = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let installed = sysroot.is_some_and(|s| s.join("lib").join("rustlib").join(WASM_TARGET).is_dir());
    if !installed {
        fail(&format!(
            "the Rust target `{WASM_TARGET}` is not installed; actionkit compiles its decision \
             engine for it. Run `rustup target add {WASM_TARGET}` and build again"
        ));
    }
}

fn bindgen(wasm_path: &Path, out_dir: &Path) {
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen.input_path(wasm_path).typescript(false).remove_name_section(true).remove_producers_section(true);
    let mut output = bindgen
        .nodejs(true)
        .and_then(|b| b.generate_output())
        .unwrap_or_else(|e| fail(&format!("wasm-bindgen failed on {}: {e:#}", wasm_path.display())));
    let js = output.js().to_string();
    let wasm = output.wasm_mut().emit_wasm();
    for (name, bytes) in [("engine.js", js.as_bytes()), ("engine.wasm", wasm.as_slice())] {
        let path = out_dir.join(name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
    }
}
