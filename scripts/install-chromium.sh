#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests, if it is not there yet.
# Idempotent; needs root (CI and the developers' machines run as root).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-chromium: not root; install Debian's chromium package by hand for the browser tests" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
if ! apt-get install -y -q chromium; then
  apt-get -f install -y -q   # a machine with half-installed packages
  apt-get install -y -q chromium
fi
