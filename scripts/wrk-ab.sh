#!/usr/bin/env bash
# Before/after HTTP figures of one change, side by side: builds the server jar of two commits, then, round after
# round, starts each on a fresh SQLite directory with the benchmark seed (rate limits off) and drives it with wrk:
# GET /healthz, Feishu's GET mail group by address, users/query of 10 of 1000 mailboxes (provisioned through
# Hybridbox bulk), Hybridbox's list of those mailboxes with search= (a page of 25, 16 connections) and, last
# (its writes make the reads' kept answers stale), durable creates of mail groups.
# Prints one line per run: build, figure, req/s, p99.
#
#   scripts/wrk-ab.sh BEFORE AFTER [-r ROUNDS] [-d SECONDS] [-w WARM-UP SECONDS] [-c CONNECTIONS] [-f REGEX]
#
# -f keeps only the figures whose name matches the (extended) regular expression, e.g. -f create.
#
# Needs wrk (Debian: apt-get install wrk). Load goes to 127.0.0.1 only; each server is stopped by its PID.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
cd "$here"
command -v wrk >/dev/null || { echo "wrk-ab: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ $# -ge 2 ] || { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
before="$1" after="$2"; shift 2
rounds=3 duration=10 warmup=5 connections=64 only=.
while [ $# -gt 0 ]; do
  case "$1" in
    -r) rounds="$2"; shift 2 ;;
    -d) duration="$2"; shift 2 ;;
    -w) warmup="$2"; shift 2 ;;
    -c) connections="$2"; shift 2 ;;
    -f) only="$2"; shift 2 ;;
    *) echo "wrk-ab: unknown option $1" >&2; exit 2 ;;
  esac
done

. "$here/scripts/ab-builds.sh"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  ab_cleanup
}
trap cleanup EXIT
ab_build "$before" "$after" package

port=18190
wanted() { grep -Eq -- "$only" <<<"$1"; }
warm() { # name, wrk args...: a warm-up run of that figure, if it is wanted
  local name="$1"; shift
  if wanted "$name"; then wrk -t2 -d"${warmup}s" "$@" >/dev/null; fi
}
figure() { # name, wrk args... (figure_connections=N before it: N connections instead of -c)
  local name="$1"; shift
  local out
  wanted "$name" || return 0
  out="$(wrk -t2 -c"${figure_connections:-$connections}" -d"${duration}s" --latency "$@")"
  printf '%-8s %-28s %10s req/s  p99 %s\n' "$side" "$name" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")"
}
for round in $(seq 1 "$rounds"); do
  for side in before after; do
    data="$work/data-$side-$round"
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -jar "$work/$side/target/mailroom.jar" serve \
      --host=127.0.0.1 --port="$port" --rate-limits=off --seed src/test/resources/seeds/bench.yaml --data "$data" \
      > "$work/$side-$round.log" 2>&1 &
    server=$!
    for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
    base="http://127.0.0.1:$port"
    token="$(curl -s -X POST "$base/open-apis/auth/v3/tenant_access_token/internal" -H 'Content-Type: application/json' \
      -d '{"app_id":"cli_bench","app_secret":"secret-bench"}' | sed -n 's/.*"tenant_access_token":"\([^"]*\)".*/\1/p')"
    curl -s -o /dev/null -X POST "$base/open-apis/mail/v1/mailgroups" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d '{"email":"sales@bench.test","name":"Sales"}'
    awk 'BEGIN { printf "{\"domain\":\"bench.test\",\"items\":["
      for (k = 0; k < 1000; k++) printf "%s{\"first_name\":\"Ann\",\"last_name\":\"Berg\",\"local_part\":\"u%d\"}", (k ? "," : ""), k
      printf "]}" }' | curl -sf -o /dev/null -X POST "$base/v1/public/accounts/0b0b0b0b-0000-4000-8000-00000000be01/mailboxes/bulk" \
      -H "Authorization: Bearer hbx_sa_bench_provisioning" -H 'Content-Type: application/json' --data-binary @- \
      || { echo "wrk-ab: could not provision the mailboxes of users/query" >&2; exit 1; }
    echo "=== round $round, $side, $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    warm "GET /healthz" -c"$connections" "$base/healthz"
    warm "create mail group" -c"$connections" -s bench/wrk/create-mailgroup.lua "$base" -- "warm$round" "bench.test:$token"
    warm "GET mail group by address" -c"$connections" -s bench/wrk/get-mailgroup.lua "$base" -- "$token" sales@bench.test
    warm "users/query, 10 addresses" -c"$connections" -s bench/wrk/users-query.lua "$base" -- "$token" u 1000 bench.test
    warm "search, page of 25, -c16" -c16 -s bench/wrk/hybridbox-search.lua "$base" -- \
      hbx_sa_bench_provisioning 0b0b0b0b-0000-4000-8000-00000000be01 1000 u Ann,Berg
    figure "GET /healthz" "$base/healthz"
    figure "GET mail group by address" -s bench/wrk/get-mailgroup.lua "$base" -- "$token" sales@bench.test
    figure "users/query, 10 addresses" -s bench/wrk/users-query.lua "$base" -- "$token" u 1000 bench.test
    figure_connections=16 figure "search, page of 25, -c16" -s bench/wrk/hybridbox-search.lua "$base" -- \
      hbx_sa_bench_provisioning 0b0b0b0b-0000-4000-8000-00000000be01 1000 u Ann,Berg
    figure "create mail group" -s bench/wrk/create-mailgroup.lua "$base" -- "run$round" "bench.test:$token"
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
  done
done
