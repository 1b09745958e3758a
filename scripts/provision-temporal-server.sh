#!/usr/bin/env bash
# Builds the team mode's Temporal binaries from the Go module proxy (first time only) and prints
# three lines, KEY=path: TEMPORAL_SERVER, TEMPORAL_SQL_TOOL, TEMPORAL_UI_SERVER, and a fourth,
# TEMPORAL_SCHEMA_DIR, the PostgreSQL schemas that ship inside the server's module.
# Cached under ~/.cache/entente-tools/<name>-<version>, like the CLI: a second run only prints.
# The server's and the UI's binaries are both called `server`, hence one GOBIN each.
#   eval "$(bash scripts/provision-temporal-server.sh)"
# With --cached-only it builds nothing: it fails (exit 3) when the binaries are not cached yet.
set -euo pipefail
CACHED_ONLY=false
[ "${1:-}" = "--cached-only" ] && CACHED_ONLY=true
SERVER_VERSION="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
UI_VERSION="${TEMPORAL_UI_VERSION:-v2.42.1}"
TOOLS="${ENTENTE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/entente-tools}"
SERVER_DIR="$TOOLS/temporal-server-$SERVER_VERSION"
UI_DIR="$TOOLS/temporal-ui-server-$UI_VERSION"
export GOMODCACHE="${GOMODCACHE:-$TOOLS/go-mod}" GOCACHE="${GOCACHE:-$TOOLS/go-build}"

build() { # <GOBIN> <package@version>
  if $CACHED_ONLY; then echo "$2 is not built yet in $1 (run scripts/provision-temporal-server.sh)" >&2; exit 3; fi
  command -v go >/dev/null 2>&1 || { echo "Go is needed to build $2" >&2; exit 1; }
  mkdir -p "$1"
  local t; t=$(date +%s)
  echo "Building $2 from the Go module proxy into $1 (first time only; minutes)..." >&2
  if ! CGO_ENABLED=0 GOBIN="$1" go install "$2" >&2; then
    echo "Retrying without the checksum database (GOSUMDB=off), which the proxy-only network may not reach" >&2
    CGO_ENABLED=0 GOSUMDB=off GOBIN="$1" go install "$2" >&2
  fi
  # The module cache is read-only by default; make it removable with rm -rf.
  chmod -R u+w "$GOMODCACHE" 2>/dev/null || true
  echo "Built $2 in $(( $(date +%s) - t ))s" >&2
}

# .complete is written last, so that an interrupted build is redone rather than half-used.
if [ ! -f "$SERVER_DIR/.complete" ]; then
  build "$SERVER_DIR/bin" "go.temporal.io/server/cmd/server@$SERVER_VERSION"
  build "$SERVER_DIR/bin" "go.temporal.io/server/cmd/tools/sql@$SERVER_VERSION"
  # The schemas are read from the module cache; keep a copy beside the binaries so that
  # cleaning the module cache does not break the cached server.
  rm -rf "$SERVER_DIR/schema"
  cp -R "$GOMODCACHE/go.temporal.io/server@$SERVER_VERSION/schema/postgresql" "$SERVER_DIR/schema"
  chmod -R u+w "$SERVER_DIR/schema"
  touch "$SERVER_DIR/.complete"
fi
if [ ! -f "$UI_DIR/.complete" ]; then
  build "$UI_DIR/bin" "github.com/temporalio/ui-server/v2/cmd/server@$UI_VERSION"
  touch "$UI_DIR/.complete"
fi

echo "TEMPORAL_SERVER=$SERVER_DIR/bin/server"
echo "TEMPORAL_SQL_TOOL=$SERVER_DIR/bin/sql"
echo "TEMPORAL_UI_SERVER=$UI_DIR/bin/server"
echo "TEMPORAL_SCHEMA_DIR=$SERVER_DIR/schema"
