#!/usr/bin/env bash
# Prints Mailroom's throughput/latency figures (docs/performance.md). Not part of the test suite.
# Options go through as system properties, e.g. scripts/benchmark.sh -Dbench.requests=10000
# `scripts/benchmark.sh mta [-D…]` runs the MTA door's figures (socketmap look-ups, policy decisions) instead.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
cd "$here"
main=mailroom.bench.Benchmarks
if [ "${1:-}" = mta ]; then main=mailroom.bench.MtaBenchmark; shift; fi
mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g "$@" \
  -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" "$main"
