#!/usr/bin/env bash
# Search req/s on two kept data directories (e.g. 10,000 and 1,000,000 mailboxes), by the share of name words among
# the search terms (the rest are local parts u<i>), the two sizes alternated in each of ROUNDS rounds. Each run starts
# the server on the directory (seed bench/seeds/at-size.yaml, rate limits off), warms 3 s and measures 8 s with
# wrk -t2 -c16 and bench/wrk/hybridbox-search.lua. Build the directories with scripts/bulk-ab.sh --keep.
#
#   scripts/search-share-ab.sh [-r ROUNDS] DIR_SMALL N_SMALL DIR_LARGE N_LARGE SHARE...
#   e.g. scripts/search-share-ab.sh /tmp/k10k/1 10000 /tmp/k1m/1 1000000 1 0 0.5
#
# Load goes to 127.0.0.1 only; every server is stopped by its PID. The directories are served as they are (copy
# them first if they must stay untouched: the server may merge the search index).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
rounds=3
if [[ "${1:-}" == "-r" ]]; then rounds=$2; shift 2; fi
[[ $# -ge 5 ]] || { sed -n 2,11p "$0"; exit 2; }
small=$1 nsmall=$2 large=$3 nlarge=$4; shift 4
command -v wrk > /dev/null || { echo "wrk missing: sudo apt-get install -y wrk" >&2; exit 2; }
[[ -x ./mailroom ]] || { echo "./mailroom missing: build it first (mvn -B -ntp -DskipTests package)" >&2; exit 2; }
. bench/bulk-load.sh
words="$(IFS=,; echo "${bulk_first_names[*]},${bulk_last_names[*]}")"
port=31071
log=$(mktemp -d) pid=""
# a server still running when the script stops early (wrk failed, Ctrl-C) is stopped too
trap 'if [[ -n "$pid" ]]; then kill -TERM "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; fi; rm -rf "$log"' EXIT

run() { # DIR N SHARE
  ./mailroom serve --host=127.0.0.1 --port=$port --rate-limits=off --data="$1" --seed=bench/seeds/at-size.yaml \
    > "$log/server.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
    kill -0 $pid 2> /dev/null || { cat "$log/server.log" >&2; exit 1; }
    sleep 0.1
  done
  local args=(-s bench/wrk/hybridbox-search.lua "http://127.0.0.1:$port" -- "$bulk_token" "$bulk_account" "$2" u "$words")
  SEARCH_NAMES_SHARE=$3 wrk -t2 -c16 -d3 "${args[@]}" > /dev/null
  local out
  out=$(SEARCH_NAMES_SHARE=$3 wrk -t2 -c16 -d8 --latency "${args[@]}")
  kill -TERM $pid; wait $pid 2> /dev/null || true; pid=""
  printf '%s\t%s\t%s\t%s\n' "$3" "$2" "$(awk '/Requests\/sec/ {print $2}' <<< "$out")" \
    "$(awk '$1 == "50%" {print $2}' <<< "$out")"
}

printf 'names share\tmailboxes\treq/s\tp50\n'
for ((r = 1; r <= rounds; r++)); do
  for share in "$@"; do
    run "$small" "$nsmall" "$share"
    run "$large" "$nlarge" "$share"
  done
done
