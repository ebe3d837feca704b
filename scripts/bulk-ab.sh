#!/usr/bin/env bash
# The bulk load alone, alternated between launchers: each round starts every launcher on a fresh SQLite data
# directory (seed bench/seeds/at-size.yaml, rate limits off), provisions N mailboxes u0..u<N-1>@bench.test
# through Hybridbox bulk, 1000 a request, exactly as scripts/bench-vs-peer.sh at-size does (bench/bulk-load.sh),
# and prints the time.
#
#   scripts/bulk-ab.sh [-n N] [-r ROUNDS] [--keep DIR] [LAUNCHER...]   (default: -n 300000 -r 3 ./mailroom)
#
# --keep DIR: the last round's data directory of each launcher is kept as DIR/<i>/ (i = 1, 2, … in the order
# given), stopped cleanly 15 s after its load (time for the search index's merge): a copy to look at (e.g. with bench/search-probe.py). Load goes to 127.0.0.1 only;
# every server is stopped by its PID.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=300000 rounds=3 keep="" launchers=()
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n="$2"; shift 2 ;;
    -r) rounds="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) launchers+=("$1"); shift ;;
  esac
done
[ ${#launchers[@]} -gt 0 ] || launchers=("$here/mailroom")
work="$(mktemp -d)" pid=""
stop() { if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap 'stop; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
. "$here/bench/bulk-load.sh"
url="http://127.0.0.1:$port/v1/public/accounts/$bulk_account/mailboxes/bulk"
bulk_prepare "$work/bulk" "$url" "$bulk_token" 0 "$n"

# load LAUNCHER DATA: starts the server (pid in $pid) and sets $ms to the milliseconds the bulk load of N took
# (the requests' own time: each chunk's answers are checked after its clock stops).
load() {
  local chunk t0
  "$1" serve --host=127.0.0.1 --port="$port" --rate-limits=off --data="$2" --seed="$here/bench/seeds/at-size.yaml" \
    > "$2.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
    kill -0 "$pid" 2>/dev/null || { echo "server did not start:" >&2; cat "$2.log" >&2; exit 1; }
    sleep 0.1
  done
  ms=0
  for chunk in $(bulk_chunks "$work/bulk"); do
    t0=$(date +%s%N)
    bulk_send "$chunk"
    ms=$((ms + ($(date +%s%N) - t0) / 1000000))
    bulk_check "$chunk" || exit 1
  done
}

for l in "${launchers[@]}"; do "$l" --version > /dev/null; done # builds a stale jar before anything is timed
declare -A times
echo "bulk load of $n mailboxes, 1000 a request; load average $(cut -d' ' -f1-3 /proc/loadavg) before, $(nproc) cores"
for ((r = 1; r <= rounds; r++)); do
  for i in "${!launchers[@]}"; do
    data="$work/data-$i"
    rm -rf "$data" "$data.log"
    load "${launchers[$i]}" "$data"
    # A kept directory gets the pause in which the server merges its search index (ADR 0038) before it stops.
    if [ -n "$keep" ] && [ "$r" = "$rounds" ]; then sleep 15; fi
    stop
    times[$i]+="$ms "
    echo "  round $r  ${launchers[$i]}  $ms ms"
    if [ -n "$keep" ] && [ "$r" = "$rounds" ]; then mkdir -p "$keep"; rm -rf "${keep:?}/$((i + 1))"; mv "$data" "$keep/$((i + 1))"; fi
  done
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after"
for i in "${!launchers[@]}"; do
  echo "${launchers[$i]}: median $(tr ' ' '\n' <<< "${times[$i]}" | grep . | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}') ms (${times[$i]% })"
done
