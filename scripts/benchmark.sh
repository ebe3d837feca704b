#!/usr/bin/env bash
# Prints Mailroom's throughput/latency figures (docs/performance.md). Not part of the test suite.
# Options go through as system properties, e.g. scripts/benchmark.sh -Dbench.requests=10000
# `scripts/benchmark.sh mta [-D…]` runs the MTA door's figures (socketmap look-ups, policy decisions) instead.
# `scripts/benchmark.sh search [-D…]` runs the mailbox list with search= at 10k and 1M mailboxes (ADR 0008).
# `scripts/benchmark.sh import [-D…]` times a CSV import of 100,000 users in one request (ADR 0016).
# `scripts/benchmark.sh auth [-D…]` times the token endpoint's refusals: wrong secret beside unknown app id.
# `scripts/benchmark.sh webhooks [-D…]` compares directory write throughput with 10 active webhooks and with none.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
cd "$here"
main=mailroom.bench.Benchmarks
mode="${1:-}"
if [ "$mode" = mta ] || [ "$mode" = mta-split ]; then main=mailroom.bench.MtaBenchmark; shift; fi
if [ "$mode" = search ]; then main=mailroom.bench.SearchBenchmark; shift; fi
if [ "$mode" = import ]; then main=mailroom.bench.ImportBenchmark; shift; fi
if [ "$mode" = auth ]; then main=mailroom.bench.AuthTimingBenchmark; shift; fi
if [ "$mode" = webhooks ]; then main=mailroom.bench.WebhookBenchmark; shift; fi
mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cp="target/classes:target/test-classes:$(cat target/test-classpath.txt)"
if [ "$mode" = mta-split ]; then
  # The server on core 0 and the load generator on core 1, each in its own JVM (SQLite; override with
  # -Dbench.backend=POSTGRESQL as the first option).
  backend_opt="-Dbench.backend=SQLITE"
  case "${1:-}" in -Dbench.backend=*) backend_opt="$1"; shift ;; esac
  log="$(mktemp)"
  taskset -c 0 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g "$backend_opt" -cp "$cp" \
    'mailroom.bench.MtaBenchmark$Server' > "$log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log"' EXIT
  for _ in $(seq 1 600); do grep -q '^ports ' "$log" && break; sleep 0.5; done
  ports="$(sed -n 's/^ports //p' "$log")"
  [ -n "$ports" ] || { echo "benchmark server did not start:" >&2; cat "$log" >&2; exit 1; }
  status=0
  taskset -c 1 "$JAVA_HOME/bin/java" -Xmx1g -Dbench.external="$ports" "$@" -cp "$cp" "$main" || status=$?
  trap - EXIT
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -f "$log"
  exit "$status"
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g "$@" \
  -cp "$cp" "$main"
