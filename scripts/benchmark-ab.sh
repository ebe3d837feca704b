#!/usr/bin/env bash
# Before/after figures of one change, measured side by side: builds the server's classes of two commits and
# runs one benchmark of this working tree (a mailroom.bench class of src/test) on each in turn, round after
# round, so that both see the same machine. Prints each run's figure lines, headed by the build and the load.
#
#   scripts/benchmark-ab.sh BEFORE AFTER [-r ROUNDS] [--grep REGEX] BENCHMARK_CLASS [-Dname=value ...]
#   e.g. scripts/benchmark-ab.sh HEAD~1 HEAD --grep '^POSTGRESQL' mailroom.bench.MtaBenchmark -Dbench.backends=POSTGRESQL
#
# The benchmark's own classes come from this tree, compiled against the AFTER commit's; a benchmark that
# uses an API the BEFORE commit lacks cannot run on it. Traffic stays on 127.0.0.1 (the benchmarks' own).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
cd "$here"

[ $# -ge 3 ] || { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
before="$1" after="$2"; shift 2
rounds=3 pattern='.'
while [ $# -gt 0 ]; do
  case "$1" in
    -r|--rounds) rounds="$2"; shift 2 ;;
    --grep) pattern="$2"; shift 2 ;;
    *) break ;;
  esac
done
main="$1"; shift
props=("$@")

. "$here/scripts/ab-builds.sh"
trap ab_cleanup EXIT
ab_build "$before" "$after" compile
mvn -q -B -ntp -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
tests="target/test-classes:$(cat target/test-classpath.txt)"

for round in $(seq 1 "$rounds"); do
  for side in before after; do
    echo "=== round $round, $side, $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g "${props[@]}" \
      -cp "$work/$side/target/classes:$tests" "$main" 2>&1 | grep -E "$pattern" || true
  done
done
