#!/usr/bin/env bash
# Prints the path of a Chromium for the web page's browser test, installing Debian's package when
# it is missing (Playwright's own browser download reaches outside the package registries).
#   export CHROMIUM_PATH=$(bash scripts/chromium.sh)
set -euo pipefail
for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
echo "== installing Chromium from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq chromium >&2
echo /usr/bin/chromium
