#!/usr/bin/env bash
# Installs Debian's chromium for the console's browser tests (playwright-core drives /usr/bin/chromium;
# no browser is downloaded by npm). Idempotent: nothing to do when chromium is already there.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
command -v chromium >/dev/null
