#!/usr/bin/env bash
# Installs what yunshu's commands need on a fresh machine, and nothing that is
# already there: Debian packages (openssl for the local control plane's
# certificates, setpriv so its processes die with their parent, git,
# Chromium and a Chinese font for the console's browser tests: Playwright
# drives Debian's Chromium, as it cannot download its own here), then
# the npm packages, which bring Node 24 (the npm package node@24) into
# node_modules/.bin. The Kubernetes binaries, helm, Pulumi, prometheus and
# promtool are built from Go modules on first use (tools/controlplane/,
# tools/toolchain/), not installed here: a distribution's package of a server
# may install and start a system service, which `make test` must never do.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '[yunshu] %s\n' "$*" >&2; }

missing=()
command -v openssl >/dev/null || missing+=(openssl)
command -v setpriv >/dev/null || missing+=(util-linux)
command -v git >/dev/null || missing+=(git)
command -v chromium >/dev/null || missing+=(chromium)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    say "missing Debian packages: ${missing[*]}; install them (apt-get install ${missing[*]}) and run this again"
    exit 1
  fi
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v npm >/dev/null; then
  say "npm is missing: install Node.js with npm (any version >= 18; npm then installs Node 24 for yunshu)"
  exit 1
fi

stamp=node_modules/.yunshu-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  say "installing npm packages (npm ci), Node 24 among them"
  npm ci --no-audit --no-fund --loglevel=error >&2
  touch "$stamp"
fi

node_modules/.bin/node scripts/require-node.js
