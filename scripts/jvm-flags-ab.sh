#!/usr/bin/env bash
# Start-up under different JVM options, alternated: each VARIANT is a string of options added to the launcher's
# defaults ("" = the defaults alone), and gets an AOT cache of its own, made the way the launcher makes one (a
# demo start whose exit writes it). Then ROUNDS rounds start every variant in turn on one data directory (seed
# bench/seeds/at-size.yaml) and print the time to the first 200 of /healthz and the server's CPU time then and
# 1.5 s later (the JIT's work after the first answer). JDK 25+ (AOT cache); the jar is ./mailroom's.
#
#   scripts/jvm-flags-ab.sh [-r ROUNDS] [--data DIR] VARIANT...
#   e.g. scripts/jvm-flags-ab.sh -r 5 "" "-XX:TieredStopAtLevel=1"
#
# Load goes to 127.0.0.1 only; every server is stopped by its PID.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=5 data="" variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    -r) rounds="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) variants+=("$1"); shift ;;
  esac
done
[ ${#variants[@]} -gt 0 ] || { echo "give at least one VARIANT (\"\" for the launcher's defaults)" >&2; exit 2; }
. "$here/scripts/find-jdk.sh"
"$here/mailroom" --version > /dev/null # builds a stale jar
jar="$here/target/mailroom.jar"
work="$(mktemp -d)" pid=""
stop() { if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap 'stop; rm -rf "$work"' EXIT
[ -n "$data" ] || data="$work/data"
port=$((20000 + RANDOM % 20000))
base=(--enable-native-access=ALL-UNNAMED -Xms16m -XX:MaxRAMPercentage=25 -XX:+UseSerialGC) # the launcher's defaults
cpu_ms() { echo $(( $(awk '{print $14 + $15}' "/proc/$1/stat") * 1000 / $(getconf CLK_TCK) )); }
wait_up() {
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
    kill -0 "$pid" 2>/dev/null || { echo "server did not start" >&2; exit 1; }
    sleep 0.01
  done
}

for i in "${!variants[@]}"; do
  # shellcheck disable=SC2206 # a variant is a string of options
  opts=(${variants[$i]})
  train="$work/train-$i"
  "$JAVA_HOME/bin/java" "${base[@]}" "${opts[@]}" -XX:AOTCacheOutput="$work/cache-$i.aot" -jar "$jar" serve --demo \
    --host=127.0.0.1 --port="$port" --data "$train" > "$work/train-$i.log" 2>&1 &
  pid=$!
  wait_up
  stop
done

declare -A wall cpu later
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) before, $(nproc) cores"
for ((r = 1; r <= rounds; r++)); do
  for i in "${!variants[@]}"; do
    # shellcheck disable=SC2206
    opts=(${variants[$i]})
    t0=$(date +%s%N)
    "$JAVA_HOME/bin/java" -XX:AOTCache="$work/cache-$i.aot" -Xlog:aot*=off -Xlog:cds*=off "${base[@]}" "${opts[@]}" \
      -jar "$jar" serve --host=127.0.0.1 --port="$port" --rate-limits=off --data="$data" \
      --seed="$here/bench/seeds/at-size.yaml" > "$work/run.log" 2>&1 &
    pid=$!
    wait_up
    wall[$i]+="$((($(date +%s%N) - t0) / 1000000)) "
    cpu[$i]+="$(cpu_ms "$pid") "
    sleep 1.5
    later[$i]+="$(cpu_ms "$pid") "
    stop
  done
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after"
med() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for i in "${!variants[@]}"; do
  echo "[${variants[$i]}]"
  echo "  first 200 after      $(med "${wall[$i]}") ms   (${wall[$i]% })"
  echo "  CPU at the first 200 $(med "${cpu[$i]}") ms   (${cpu[$i]% })"
  echo "  CPU 1.5 s later      $(med "${later[$i]}") ms   (${later[$i]% })"
done
