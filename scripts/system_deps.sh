#!/usr/bin/env bash
# Installs Debian's Chromium (for the browser tests) and fonts with Vietnamese glyphs when they
# are missing. Needs root on Debian; elsewhere it says what to install and stops the test run.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium chromium-driver)
# grep reads all of fc-list's output (no -q): with pipefail an early exit would look like a failure.
fc-list 2>/dev/null | grep -i "Noto Sans" >/dev/null || need+=(fonts-noto-core)
fc-list 2>/dev/null | grep -i "Tinos" >/dev/null || need+=(fonts-croscore)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} from Debian's packages..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "Please install: ${need[*]} (Debian package names), then run make test again." >&2
  exit 1
fi
