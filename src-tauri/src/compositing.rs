//! Whether the webview composites its layers on the GPU.
//!
//! WebKitGTK composites the page (the canvas's layers, the panels around it) through OpenGL. On a
//! machine without a GPU, such as a virtual machine or a locked-down laptop with its GPU driver
//! missing, Mesa then runs that OpenGL on the CPU (llvmpipe), and every frame costs far more than
//! WebKit painting the page on the CPU itself. Measured in the release app on the 2-core
//! development VM (BENCHMARKS.md, "Compositing"): with compositing, a pan or zoom frame of the
//! 5,000-node canvas took 78–80 ms at p95 and the first paint of a freshly opened case 0.8 s;
//! without it, 25 ms and under 0.1 s.
//!
//! So where the machine has no GPU render node (`/dev/dri/renderD*`), the app turns WebKit's
//! compositing off (`WEBKIT_DISABLE_COMPOSITING_MODE=1`) before the webview starts. A value the
//! user set for that variable, either way, is kept: it is the way to force either choice.

use std::ffi::OsString;
use std::path::Path;

/// WebKitGTK's switch for its compositing mode.
pub const SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Where Linux lists the GPU render nodes (`renderD128`, …).
pub const RENDER_NODES: &str = "/dev/dri";

/// What to do about compositing, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compositing {
    /// The user set the switch: their value stands.
    UserChoice(OsString),
    /// A GPU render node exists: WebKit's default (compositing on the GPU).
    Gpu,
    /// No GPU render node: compositing off, WebKit paints on the CPU.
    Off,
}

impl Compositing {
    /// Decides from the user's value of [`SWITCH`] (if any) and the render-node directory.
    pub fn decide(user_value: Option<OsString>, render_nodes: &Path) -> Self {
        if let Some(value) = user_value {
            return Self::UserChoice(value);
        }
        if has_render_node(render_nodes) {
            Self::Gpu
        } else {
            Self::Off
        }
    }
}

fn has_render_node(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

/// Applies the decision for this machine to the process environment, which the webview's
/// processes inherit. Must run before the webview starts and before any other thread exists.
pub fn choose() {
    let decision = Compositing::decide(std::env::var_os(SWITCH), Path::new(RENDER_NODES));
    if decision == Compositing::Off {
        std::env::set_var(SWITCH, "1");
        eprintln!(
            "tracebench-app: no GPU render node in {RENDER_NODES}: the webview paints on the CPU \
             without compositing ({SWITCH}=1; set it to 0 to keep compositing)"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_render_node_compositing_is_turned_off() {
        // A machine with no /dev/dri at all (a VM, CI) and one whose /dev/dri has only a card
        // node (a display without a render node: no GPU that Mesa would use): both would run
        // WebKit's OpenGL compositing in llvmpipe.
        let none = tempfile::tempdir().unwrap();
        let missing = none.path().join("dri");
        assert_eq!(
            Compositing::decide(None, &missing),
            Compositing::Off,
            "no /dev/dri"
        );
        std::fs::create_dir(&missing).unwrap();
        std::fs::write(missing.join("card0"), b"").unwrap();
        assert_eq!(
            Compositing::decide(None, &missing),
            Compositing::Off,
            "card node only"
        );
    }

    #[test]
    fn a_render_node_keeps_webkits_gpu_compositing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("card0"), b"").unwrap();
        std::fs::write(dir.path().join("renderD128"), b"").unwrap();
        assert_eq!(Compositing::decide(None, dir.path()), Compositing::Gpu);
    }

    #[test]
    fn the_users_own_setting_wins_either_way() {
        // Someone who sets the switch (to force compositing back on with 0, or off on a machine
        // with a GPU) gets exactly that, whatever the machine has.
        let gpu = tempfile::tempdir().unwrap();
        std::fs::write(gpu.path().join("renderD128"), b"").unwrap();
        let none = tempfile::tempdir().unwrap();
        for (value, dir) in [("0", none.path()), ("1", gpu.path())] {
            assert_eq!(
                Compositing::decide(Some(value.into()), dir),
                Compositing::UserChoice(value.into()),
                "{value} with render nodes in {dir:?}"
            );
        }
    }
}
