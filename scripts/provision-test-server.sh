#!/usr/bin/env bash
# Prints the path of an executable that runs Temporal's Java time-skipping test server,
# resolving it from Maven Central into .tools/ the first time.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="${ENTENTE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/entente-tools}"
POM="$ROOT/scripts/test-server/pom.xml"
VERSION="$(sed -n 's:.*<temporal.test.server.version>\(.*\)</temporal.test.server.version>.*:\1:p' "$POM")"
DIR="$TOOLS/temporal-test-server-$VERSION"
WRAPPER="$DIR/bin/temporal-test-server"

if [ -x "$WRAPPER" ] && [ -f "$DIR/.complete" ]; then echo "$WRAPPER"; exit 0; fi
command -v mvn >/dev/null 2>&1 || { echo "Maven is needed to fetch the Temporal test server" >&2; exit 1; }
command -v java >/dev/null 2>&1 || { echo "Java is needed to run the Temporal test server" >&2; exit 1; }

echo "Fetching the Temporal test server $VERSION from Maven Central into $DIR..." >&2
rm -rf "$DIR"; mkdir -p "$DIR/lib" "$DIR/bin"
mvn -q -B -f "$POM" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$DIR/lib" >&2

# Class-data sharing: dump the classes the server loads once, so that later starts map them
# instead of parsing jars; it brings the JVM's start well inside the SDK's 5 s connect window.
JSA="$DIR/server.jsa"
# The archive is only used by a JVM started with the same options and classpath.
JVM_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss1m"
PORT=$((20000 + RANDOM % 20000))
java $JVM_OPTS -XX:ArchiveClassesAtExit="$JSA" -cp "$DIR/lib/*" io.temporal.testserver.TestServer "$PORT" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 300); do (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[ -f "$JSA" ] || echo "Class-data sharing archive not created; the server will start a little slower" >&2

cat > "$WRAPPER" <<WRAP
#!/usr/bin/env bash
# exec, so that the SDK's SIGKILL reaches the JVM itself rather than this shell.
cds=()
[ -f "$JSA" ] && cds=(-XX:SharedArchiveFile="$JSA" -Xshare:auto)
exec java "\${cds[@]}" $JVM_OPTS -cp "$DIR/lib/*" io.temporal.testserver.TestServer "\$@"
WRAP
chmod +x "$WRAPPER"
touch "$DIR/.complete"
echo "$WRAPPER"
