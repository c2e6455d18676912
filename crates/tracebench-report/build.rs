//! Embeds the git commit the crate is built from as `TRACEBENCH_BUILD_HASH`, for the cover of
//! every report. `TRACEBENCH_BUILD_HASH` in the build environment wins (packagers building
//! from a tarball set it); without either, the hash is "unknown".

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn main() {
    println!("cargo:rerun-if-env-changed=TRACEBENCH_BUILD_HASH");
    let hash = match std::env::var("TRACEBENCH_BUILD_HASH") {
        Ok(h) if !h.trim().is_empty() => h.trim().to_string(),
        _ => {
            if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
                // Rebuild when the checked-out commit moves.
                println!("cargo:rerun-if-changed={dir}/HEAD");
                println!("cargo:rerun-if-changed={dir}/packed-refs");
                if let Some(head) = git(&["symbolic-ref", "-q", "HEAD"]) {
                    println!("cargo:rerun-if-changed={dir}/{head}");
                }
            }
            git(&["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".to_string())
        }
    };
    println!("cargo:rustc-env=TRACEBENCH_BUILD_HASH={hash}");
}
