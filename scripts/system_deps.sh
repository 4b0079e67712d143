#!/usr/bin/env bash
# Installs Debian's Chromium (for the browser tests), fonts with Vietnamese glyphs and the Pango
# libraries WeasyPrint needs (the PDF brief) when they are missing. Needs root on Debian; elsewhere
# it says what to install and stops the test run.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium chromium-driver)
# grep reads all of fc-list's output (no -q): with pipefail an early exit would look like a failure.
fc-list 2>/dev/null | grep -i "Noto Sans" >/dev/null || need+=(fonts-noto-core)
fc-list 2>/dev/null | grep -i "Tinos" >/dev/null || need+=(fonts-croscore)
# WeasyPrint (the PDF brief) draws text with Pango and subsets fonts with HarfBuzz.
ldconfig -p 2>/dev/null | grep "libpangoft2-1.0.so.0" >/dev/null || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep "libharfbuzz-subset.so.0" >/dev/null || need+=(libharfbuzz-subset0)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} from Debian's packages..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "Please install: ${need[*]} (Debian package names), then run make test again." >&2
  exit 1
fi
