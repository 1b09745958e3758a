#!/usr/bin/env bash
# Prints the path of a Temporal CLI binary, building it from the Go module proxy when needed.
# The CLI's own installer downloads from outside the package registries, which this project
# cannot rely on; `go install` of a tag without `replace` directives works through the proxy.
set -euo pipefail
VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="${ENTENTE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/entente-tools}"
BIN="$TOOLS/temporal-cli-$VERSION/bin/temporal"

if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  [ -x "$TEMPORAL_CLI_PATH" ] || { echo "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not executable" >&2; exit 1; }
  echo "$TEMPORAL_CLI_PATH"; exit 0
fi
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
if command -v temporal >/dev/null 2>&1 && [ -z "${ENTENTE_BUILD_CLI:-}" ]; then
  command -v temporal; exit 0
fi
command -v go >/dev/null 2>&1 || { echo "Go is needed to build the Temporal CLI (or set TEMPORAL_CLI_PATH)" >&2; exit 1; }

echo "Building the Temporal CLI $VERSION from the Go module proxy into $TOOLS (first time only; takes several minutes)..." >&2
mkdir -p "$(dirname "$BIN")"
start=$(date +%s)
export GOMODCACHE="${GOMODCACHE:-$TOOLS/go-mod}" GOCACHE="${GOCACHE:-$TOOLS/go-build}"
if ! CGO_ENABLED=0 GOBIN="$(dirname "$BIN")" go install "github.com/temporalio/cli/cmd/temporal@$VERSION" >&2; then
  echo "Retrying without the checksum database (GOSUMDB=off), which the proxy-only network may not reach" >&2
  CGO_ENABLED=0 GOSUMDB=off GOBIN="$(dirname "$BIN")" go install "github.com/temporalio/cli/cmd/temporal@$VERSION" >&2
fi
# The module cache is read-only by default; make it removable with rm -rf.
chmod -R u+w "$GOMODCACHE" 2>/dev/null || true
echo "Temporal CLI built in $(( $(date +%s) - start ))s" >&2
echo "$BIN"
