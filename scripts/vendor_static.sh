#!/usr/bin/env bash
# Installs the browser libraries with npm and copies the files the pages use into the static folder,
# so that every page works offline and behind a firewall.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/cchc/web/static/vendor
if [ -f "$dest/.complete" ] && [ "$dest/.complete" -nt package.json ]; then exit 0; fi
mkdir -p var/npm
cp package.json .npmrc var/npm/
(cd var/npm && npm install --silent --no-package-lock --ignore-scripts >/dev/null)
mods=var/npm/node_modules
mkdir -p "$dest/bootstrap" "$dest/bootstrap-icons/fonts" "$dest/echarts" "$dest/htmx"
cp "$mods/bootstrap/dist/css/bootstrap.min.css" "$mods/bootstrap/dist/js/bootstrap.bundle.min.js" "$dest/bootstrap/"
cp "$mods/bootstrap-icons/font/bootstrap-icons.min.css" "$dest/bootstrap-icons/"
cp "$mods/bootstrap-icons/font/fonts/"* "$dest/bootstrap-icons/fonts/"
cp "$mods/echarts/dist/echarts.min.js" "$dest/echarts/"
cp "$mods/htmx.org/dist/htmx.min.js" "$dest/htmx/"
touch "$dest/.complete"
