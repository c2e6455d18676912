#!/usr/bin/env bash
# Installs everything Tracebench needs to build, run and test on Debian 12 (bookworm):
# system packages (apt), the WebDriver bridge (cargo install tauri-driver) and the npm packages
# of the UI and of the WebDriver tests. Idempotent: re-running it skips what is already there.
# Needs: a Rust toolchain (rustup) and Node.js >= 20.19 with npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_PACKAGES=(
  # build: Tauri 2 on WebKitGTK 4.1
  build-essential pkg-config libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev
  # headless app tests: X server, the native WebDriver for WebKitGTK, screenshots
  xvfb xauth webkit2gtk-driver imagemagick curl
  # report checks: pdftotext, pdfinfo, pdffonts, pdftoppm; qpdf for PDF structure
  poppler-utils qpdf
)

sudo_if_needed() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

command -v cargo >/dev/null || { echo "setup: cargo not found; install Rust with rustup first" >&2; exit 1; }
command -v node >/dev/null || { echo "setup: node not found; install Node.js >= 20.19 first" >&2; exit 1; }
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { echo "setup: Node.js $(node --version) is too old; Tracebench needs >= 20.19" >&2; exit 1; }

if ! command -v tauri-driver >/dev/null && [[ ! -x "$HOME/.cargo/bin/tauri-driver" ]]; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --version "^2" --locked
fi

for dir in ui tests/webdriver; do
  if [[ ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
    echo "setup: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
done
echo "setup: done"
