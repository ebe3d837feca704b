#!/usr/bin/env bash
# Side-by-side load figures: Mailroom against a WireMock stub of the same calls, driven by wrk.
# Prints Markdown tables for docs/performance.md ("Side by side with a stub").
#
#   scripts/bench-vs-peer.sh [compare] [options]   Mailroom (SQLite) vs the stub: create, get,
#                                                  users/query, and /healthz (Mailroom only)
#   scripts/bench-vs-peer.sh at-size [N] [options] N mailboxes (default 1,000,000) provisioned through
#                                                  Hybridbox bulk, figures at N against 10k, start-up
#   scripts/bench-vs-peer.sh pg [options]          create/get on PostgreSQL: one node, then two nodes
#                                                  on one database, writes over 4 tenants
# Options:
#   -d, --duration S    seconds per measured wrk run (default 15)
#   -w, --warmup S      seconds of warm-up per figure and target (default 5)
#   -r, --rounds R      alternated rounds per figure, the median is printed (default 3)
#   -t, --threads T     wrk threads (default 2)
#   -c, --connections C wrk connections (default 64)
#       --small N       at-size: the small size compared against (default 10000)
#       --search-connections C  at-size: wrk connections of the search figure (default 16: a search
#                       scans the tenant, so at 64 its p50 would mostly be queueing)
#       --pg-bin DIR    pg: the PostgreSQL bin directory (default: Debian's /usr/lib/postgresql/*/bin)
#       --node-cpus C   pg: give each Mailroom node at most C cores (a CPU quota of its own cgroup, e.g.
#                       0.5; needs root and a writable cgroup cpu controller). Two nodes on one small
#                       machine otherwise share its cores with each other, PostgreSQL and wrk; with a
#                       quota each node stands for a host of its own, and the ratio shows what the
#                       second node adds, not what the machine has left.
#       --out DIR       where wrk outputs and server logs go (default target/bench-vs-peer/<run id>)
#       --keep          keep the temporary data directories
#
# Needs wrk (Debian: apt-get install wrk) and a JDK >= 21 (scripts/find-jdk.sh); downloads WireMock
# standalone from Maven Central with mvn. All load goes to 127.0.0.1; every process this script
# starts is stopped by its PID when it exits.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

echo "bench-vs-peer: load generator is wrk (Debian package 'wrk'; install with: apt-get install wrk)" >&2
if ! command -v wrk >/dev/null 2>&1; then
  echo "bench-vs-peer: wrk is not installed. Install it with 'apt-get install wrk' (as root), then run again." >&2
  exit 1
fi

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

# ---------------------------------------------------------------------------------------------------
# Options
mode=compare
case "${1:-}" in
  compare|at-size|pg) mode="$1"; shift ;;
  -h|--help) usage; exit 0 ;;
esac
size=1000000
if [ "$mode" = at-size ] && [[ "${1:-}" =~ ^[0-9]+$ ]]; then size="$1"; shift; fi
duration=15 warmup=5 rounds=3 threads=2 connections=64 small=10000 search_connections=16 pg_bin="" out="" keep=0
node_cpus=""
while [ $# -gt 0 ]; do
  case "$1" in
    -d|--duration) duration="${2%s}"; shift 2 ;;
    -w|--warmup) warmup="${2%s}"; shift 2 ;;
    -r|--rounds) rounds="$2"; shift 2 ;;
    -t|--threads) threads="$2"; shift 2 ;;
    -c|--connections) connections="$2"; shift 2 ;;
    --small) small="$2"; shift 2 ;;
    --search-connections) search_connections="$2"; shift 2 ;;
    --pg-bin) pg_bin="$2"; shift 2 ;;
    --node-cpus) node_cpus="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench-vs-peer: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for v in duration warmup rounds threads connections size small search_connections; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "bench-vs-peer: --$v wants a whole number, got '${!v}'" >&2; exit 2; }
done
[ "$rounds" -ge 1 ] && [ "$duration" -ge 1 ] || { echo "bench-vs-peer: rounds and duration must be >= 1" >&2; exit 2; }
[ "$connections" -ge "$threads" ] || { echo "bench-vs-peer: connections must be >= threads" >&2; exit 2; }
if [ -n "$node_cpus" ]; then
  [ "$mode" = pg ] || { echo "bench-vs-peer: --node-cpus is for the pg mode" >&2; exit 2; }
  awk -v c="$node_cpus" 'BEGIN { exit !(c ~ /^[0-9]*\.?[0-9]+$/ && c >= 0.05) }' \
    || { echo "bench-vs-peer: --node-cpus wants a number of cores >= 0.05, got '$node_cpus'" >&2; exit 2; }
fi

. "$here/scripts/find-jdk.sh"

# A run id that no earlier run reuses: it prefixes every address the load creates.
run_id="pb$(date -u +%y%m%d%H%M%S)$(printf '%04x' $((RANDOM % 65536)))"
out="${out:-$here/target/bench-vs-peer/$run_id}"
mkdir -p "$out/wrk"
work="$(mktemp -d /tmp/bench-vs-peer.XXXXXX)"

# ---------------------------------------------------------------------------------------------------
# Processes: every PID this script starts, stopped on exit (postgres with SIGINT: fast shutdown).
pids=()
cgroups=()  # made for --node-cpus, removed on exit once their processes are stopped
declare -A stop_signal=()
track() { pids+=("$1"); stop_signal[$1]="${2:-TERM}"; }
# untrack PID: forget a PID once it is reaped, so that cleanup never signals a reused one.
untrack() {
  local keep_pids=() p
  for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep_pids+=("$p"); done
  pids=("${keep_pids[@]}")
}
stop_pid() {
  local pid="$1" sig="${stop_signal[$1]:-TERM}" i
  if kill -0 "$pid" 2>/dev/null; then
    kill "-$sig" "$pid" 2>/dev/null || true
    for i in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  wait "$pid" 2>/dev/null || true
  untrack "$pid"
}
cleanup() {
  local status=$? i
  trap - EXIT INT TERM
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop_pid "${pids[$i]}"; done
  if [ "$keep" = 1 ]; then echo "bench-vs-peer: kept $work" >&2; else rm -rf "$work"; fi
  [ -n "${pg_root:-}" ] && [ "$keep" != 1 ] && rm -rf "$pg_root"
  for i in "${cgroups[@]}"; do rmdir "$i" 2>/dev/null || echo "bench-vs-peer: could not remove cgroup $i" >&2; done
  exit "$status"
}
trap cleanup EXIT
trap 'echo "bench-vs-peer: interrupted" >&2; exit 130' INT TERM

die() { echo "bench-vs-peer: $*" >&2; exit 1; }
log() { echo "$*" >&2; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
taken_ports=" "
# pick_port VAR: a free local port, not handed out before by this script.
pick_port() {
  local p
  for p in $(seq $((20000 + RANDOM % 20000)) 45000) $(seq 20000 45000); do
    if [[ "$taken_ports" != *" $p "* ]] && ! port_in_use "$p"; then
      taken_ports="$taken_ports$p "; printf -v "$1" '%s' "$p"; return 0
    fi
  done
  die "no free port"
}

# wait_http URL PID SECONDS LOG: until URL answers 200; fails if the process died or time ran out.
wait_http() {
  local url="$1" pid="$2" limit="$3" logfile="$4" deadline=$((SECONDS + $3))
  while [ $SECONDS -lt $deadline ]; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null)" = 200 ] && return 0
    if ! kill -0 "$pid" 2>/dev/null; then tail -n 40 "$logfile" >&2; die "process $pid exited before $url answered"; fi
    sleep 0.05
  done
  tail -n 40 "$logfile" >&2
  die "$url did not answer 200 within ${limit}s"
}

# ---------------------------------------------------------------------------------------------------
# Mailroom
build_mailroom() {
  log "building Mailroom if its jar is stale ..."
  "$here/mailroom" --version >/dev/null || die "could not build Mailroom"
}
declare -A mr_pid=() mr_port=() mr_args=()
# start_mailroom NAME PORT SERVE-ARGS...: started on 127.0.0.1 with rate limits off, waited for.
start_mailroom() {
  local name="$1" port="$2"; shift 2
  mr_port[$name]="$port"; mr_args[$name]="$*"
  "$here/mailroom" serve --host=127.0.0.1 --port="$port" --rate-limits=off "$@" >>"$out/$name.log" 2>&1 &
  mr_pid[$name]=$!
  track "${mr_pid[$name]}"
  wait_http "http://127.0.0.1:$port/healthz" "${mr_pid[$name]}" 600 "$out/$name.log"
}
stop_mailroom() { stop_pid "${mr_pid[$1]}"; }
# restart_mailroom NAME: stop, start on the same data; sets startup_ms, from the start to the first 200.
restart_mailroom() {
  local name="$1" port="${mr_port[$1]}" t0 t1
  stop_mailroom "$name"
  echo "--- restart $(date -u +%FT%TZ)" >>"$out/$name.log"
  t0=$(date +%s%N)
  # shellcheck disable=SC2086  # the serve arguments were stored word by word (no spaces in them)
  "$here/mailroom" serve --host=127.0.0.1 --port="$port" --rate-limits=off ${mr_args[$name]} >>"$out/$name.log" 2>&1 &
  mr_pid[$name]=$!
  track "${mr_pid[$name]}"
  wait_http "http://127.0.0.1:$port/healthz" "${mr_pid[$name]}" 600 "$out/$name.log"
  t1=$(date +%s%N)
  startup_ms=$(((t1 - t0) / 1000000))
}

# tenant_token PORT APP_ID SECRET: a tenant_access_token from that Mailroom.
tenant_token() {
  local answer token
  answer="$(curl -sS --max-time 30 -X POST "http://127.0.0.1:$1/open-apis/auth/v3/tenant_access_token/internal" \
    -H 'Content-Type: application/json; charset=utf-8' -d "{\"app_id\":\"$2\",\"app_secret\":\"$3\"}")"
  token="$(printf '%s' "$answer" | sed -n 's/.*"tenant_access_token":"\([^"]*\)".*/\1/p')"
  [[ "$answer" == '{"code":0,'* ]] && [ -n "$token" ] || die "no tenant_access_token for $2 from port $1: $answer"
  echo "$token"
}

# create_group PORT TOKEN EMAIL: a mail group for the GET figure.
create_group() {
  local answer
  answer="$(curl -sS --max-time 30 -X POST "http://127.0.0.1:$1/open-apis/mail/v1/mailgroups" \
    -H "Authorization: Bearer $2" -H 'Content-Type: application/json; charset=utf-8' \
    -d "{\"email\":\"$3\",\"name\":\"Bench group\",\"description\":\"bench-vs-peer\",\"who_can_send_mail\":\"ANYONE\"}")"
  [[ "$answer" == '{"code":0,'* ]] || die "could not create mail group $3: $answer"
}

# Mailbox names of the provisioned mailboxes (u<i>@bench.test); the search figure looks for them.
. "$here/bench/bulk-load.sh"
name_words="$(IFS=,; echo "${bulk_first_names[*]},${bulk_last_names[*]}")"
hbx_account=$bulk_account
hbx_token=$bulk_token

# provision PORT FROM TO [REPORT]: Hybridbox bulk create of u<FROM>..u<TO-1>@bench.test, 1000 a request, over one
# kept connection per 100,000 (bench/bulk-load.sh, bodies written before the clock starts); with REPORT, prints the
# time of every 100,000 and the total (the requests' own time: each chunk's answers are checked after its clock stops).
provision() {
  local port="$1" from="$2" to="$3" report="${4:-}" chunk t0 took=0 lap end="$2"
  local url="http://127.0.0.1:$port/v1/public/accounts/$hbx_account/mailboxes/bulk"
  bulk_prepare "$work/bulk" "$url" "$hbx_token" "$from" "$to"
  for chunk in $(bulk_chunks "$work/bulk"); do
    t0=$(date +%s%N)
    bulk_send "$chunk"
    lap=$((($(date +%s%N) - t0) / 1000000)); took=$((took + lap))
    bulk_check "$chunk" || die "bulk load refused"
    end=$((end + 100000 < to ? end + 100000 : to))
    if [ -n "$report" ]; then
      printf '| %s | %.1f s | %.1f s | %s |\n' "$(commas "$end")" "$(ms_to_s "$lap")" "$(ms_to_s "$took")" \
        "$(commas $(((end - from) * 1000 / (took + 1))))"
    fi
  done
  rm -rf "$work/bulk"
}

# ---------------------------------------------------------------------------------------------------
# WireMock, the stub peer
wiremock_version=3.13.2
wiremock_jar="$here/target/peer/wiremock-standalone-$wiremock_version.jar"
start_wiremock() {
  local port="$1" maven_opts="${MAVEN_OPTS:-}" major
  if [ ! -f "$wiremock_jar" ]; then
    log "fetching org.wiremock:wiremock-standalone:$wiremock_version from Maven Central ..."
    major="$(java_major "$JAVA_HOME")"
    if [ "${major%%.*}" -ge 24 ] 2>/dev/null; then maven_opts="$maven_opts --sun-misc-unsafe-memory-access=allow"; fi
    (cd "$here" && MAVEN_OPTS="$maven_opts" mvn -q -B -ntp dependency:copy \
      -Dartifact="org.wiremock:wiremock-standalone:$wiremock_version" -DoutputDirectory=target/peer) >&2 \
      || die "could not download WireMock standalone with mvn"
  fi
  # No request journal and no request logging: under load they are memory and I/O the peer would not have.
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${WIREMOCK_JAVA_OPTS:-} -jar "$wiremock_jar" --port "$port" --bind-address 127.0.0.1 \
    --root-dir "$here/bench/peer" --no-request-journal --disable-request-logging --disable-banner \
    --container-threads $((connections + 36)) >"$out/wiremock.log" 2>&1 &
  wiremock_pid=$!
  track "$wiremock_pid"
  wait_http "http://127.0.0.1:$port/__admin/mappings" "$wiremock_pid" 120 "$out/wiremock.log"
  local stubs
  stubs="$(curl -s "http://127.0.0.1:$port/__admin/mappings" | grep -c '"request"' || true)"
  [ "$stubs" -ge 4 ] || die "WireMock loaded $stubs stubs from bench/peer/mappings, expected 4"
}

# ---------------------------------------------------------------------------------------------------
# Answers of Mailroom and the stub side by side: same status, content type, X-Tt-Logid and JSON keys.
keys_of() { grep -o '"[A-Za-z_]*":' "$1" | tr -d '\n'; }
header_of() { tr -d '\r' <"$1" | sed -n "s/^$2: *//Ip" | head -n 1; }
shape_check() { # FIGURE MAILROOM_PORT STUB_PORT PATH CURL-ARGS...
  local fig="$1" mp="$2" sp="$3" path="$4" a b; shift 4
  curl -sS --max-time 30 -D "$work/m.h" -o "$work/m.b" "$@" "http://127.0.0.1:$mp$path"
  curl -sS --max-time 30 -D "$work/s.h" -o "$work/s.b" "$@" "http://127.0.0.1:$sp$path"
  a="$(head -n 1 "$work/m.h" | cut -d' ' -f2) | $(header_of "$work/m.h" Content-Type) | logid:$(header_of "$work/m.h" X-Tt-Logid | wc -c) | $(keys_of "$work/m.b")"
  b="$(head -n 1 "$work/s.h" | cut -d' ' -f2) | $(header_of "$work/s.h" Content-Type) | logid:$(header_of "$work/s.h" X-Tt-Logid | wc -c) | $(keys_of "$work/s.b")"
  { echo "== $fig"; echo "Mailroom: $(cat "$work/m.b")"; echo "stub:     $(cat "$work/s.b")"; } >>"$out/shapes.txt"
  if [ "$a" = "$b" ]; then
    log "answers alike: $fig (${a%% | logid*})"
  else
    log "WARNING: the stub's answer to $fig differs from Mailroom's (update bench/peer/mappings):"
    log "  Mailroom: $a"; log "  stub:     $b"
    shape_warnings=$((shape_warnings + 1))
  fi
}
shape_warnings=0

# ---------------------------------------------------------------------------------------------------
# wrk runs and their figures
wrk_n=0
wrk_timeout=10
# run_wrk LABEL PORT SCRIPT SECONDS THREADS CONNECTIONS [SCRIPT-ARGS...]: sets r_rps r_p50 r_p99 r_bad r_sock
run_wrk() {
  local label="$1" port="$2" script="$3" secs="$4" t="$5" c="$6" file; shift 6
  wrk_n=$((wrk_n + 1))
  file="$out/wrk/$(printf '%03d' "$wrk_n")-$label.txt"
  cpu_mark
  wrk -t"$t" -c"$c" -d"${secs}s" --timeout "${wrk_timeout}s" -s "$here/bench/wrk/$script" \
    "http://127.0.0.1:$port" -- "$@" >"$file" 2>&1 || { cat "$file" >&2; die "wrk failed ($label)"; }
  cpu_take
  settle "$port"
  parse_wrk "$file"
}
# ---------------------------------------------------------------------------------------------------
# CPU: what Mailroom, PostgreSQL and the whole machine used while wrk ran, from /proc (clock ticks)
clk_tck="$(getconf CLK_TCK)"
# ticks_of PID...: user and system ticks of the processes, and of their children they have waited for
ticks_of() {
  local t=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    t=$((t + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
# The postmaster and its backends (a backend that exits passes its time to the postmaster's children's).
pg_pids() { if [ -n "${postgres_pid:-}" ]; then echo "$postgres_pid"; pgrep -P "$postgres_pid" || true; fi; }
machine_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }
cpu_mark() {
  c_t0=$(date +%s%N); c_mr0=$(ticks_of "${mr_pid[@]}"); c_pg0=$(ticks_of $(pg_pids)); c_all0=$(machine_busy)
}
# cpu_take: sets r_mr_cores r_pg_cores r_all_cores, the cores each used on average since cpu_mark
cpu_take() {
  local t1 mr pg all
  t1=$(date +%s%N); mr=$(ticks_of "${mr_pid[@]}"); pg=$(ticks_of $(pg_pids)); all=$(machine_busy)
  read -r r_mr_cores r_pg_cores r_all_cores < <(awk -v s="$(( t1 - c_t0 ))" -v hz="$clk_tck" \
    -v mr="$(( mr - c_mr0 ))" -v pg="$(( pg - c_pg0 ))" -v all="$(( all - c_all0 ))" \
    'BEGIN { s /= 1e9; printf "%.2f %.2f %.2f\n", mr / hz / s, pg / hz / s, all / hz / s }')
}

# --node-cpus: PID (all its threads) into a cgroup of its own, its CPU quota $node_cpus cores a period
limit_cpu() {
  local pid="$1" dir quota
  quota="$(awk -v c="$node_cpus" 'BEGIN { printf "%d", c * 100000 }')"
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then  # cgroup v2
    dir="/sys/fs/cgroup/bench-vs-peer-$run_id-$pid"
    grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control || echo +cpu >/sys/fs/cgroup/cgroup.subtree_control \
      || die "--node-cpus: cannot enable the cpu controller in /sys/fs/cgroup (run as root)"
    mkdir "$dir" || die "--node-cpus: cannot make $dir (run as root)"
    cgroups+=("$dir")
    echo "$quota 100000" >"$dir/cpu.max" || die "--node-cpus: cannot set $dir/cpu.max"
  elif [ -d /sys/fs/cgroup/cpu ]; then  # cgroup v1
    dir="/sys/fs/cgroup/cpu/bench-vs-peer-$run_id-$pid"
    mkdir "$dir" || die "--node-cpus: cannot make $dir (run as root)"
    cgroups+=("$dir")
    { echo 100000 >"$dir/cpu.cfs_period_us" && echo "$quota" >"$dir/cpu.cfs_quota_us"; } \
      || die "--node-cpus: cannot set the quota in $dir"
  else
    die "--node-cpus: no cgroup cpu controller under /sys/fs/cgroup"
  fi
  echo "$pid" >"$dir/cgroup.procs" || die "--node-cpus: cannot move $pid into $dir"
  log "Mailroom PID $pid limited to $node_cpus cores ($dir)"
}

field() { sed -n "s/^@@ requests=.* $2=\([^ ]*\).*/\1/p" "$1"; }
parse_wrk() {
  grep -q '^@@ requests=' "$1" || { cat "$1" >&2; die "no result line in $1"; }
  r_rps="$(field "$1" rps)"; r_p50="$(field "$1" p50_ms)"; r_p99="$(field "$1" p99_ms)"
  r_bad="$(field "$1" nonsuccess)"
  r_sock=$(( $(field "$1" connect) + $(field "$1" read) + $(field "$1" write) + $(field "$1" timeout) ))
  if grep -q '^@@ first-non-success' "$1"; then log "  $(basename "$1"): $(grep '^@@ first-non-success' "$1" | cut -c4-)"; fi
}

# wrk stops with requests in flight; the server still works them off (a search at a million mailboxes
# takes a while, and the reads behind it wait). So after each run against Mailroom, wait until a mail
# group GET answers quickly twice in a row: the next run then starts on an idle server.
declare -A settle_url=() settle_token=()
settle_on() { settle_url[$1]="http://127.0.0.1:$1/open-apis/mail/v1/mailgroups/$3"; settle_token[$1]="$2"; }
settle() {
  local port="$1" t0=$SECONDS quick=0 took
  [ -n "${settle_url[$port]:-}" ] || return 0
  while [ $((SECONDS - t0)) -lt 300 ]; do
    took="$(curl -s -o /dev/null -w '%{time_total}' --max-time 30 -H "Authorization: Bearer ${settle_token[$port]}" \
      "${settle_url[$port]}" || echo 30)"
    if awk -v t="$took" 'BEGIN { exit !(t < 0.25) }'; then quick=$((quick + 1)); else quick=0; fi
    [ "$quick" -ge 2 ] && break
    sleep 0.2
  done
  [ $((SECONDS - t0)) -lt 2 ] || log "  (waited $((SECONDS - t0)) s for 127.0.0.1:$port to finish the requests wrk left in flight)"
}

declare -A rps=() p50=() p99=() bad=() sock=() mr_cores=() pg_cores=() all_cores=()
# record KEY: appends the last run's figures under KEY
record() {
  rps[$1]="${rps[$1]:-} $r_rps"; p50[$1]="${p50[$1]:-} $r_p50"; p99[$1]="${p99[$1]:-} $r_p99"
  mr_cores[$1]="${mr_cores[$1]:-} $r_mr_cores"; pg_cores[$1]="${pg_cores[$1]:-} $r_pg_cores"
  all_cores[$1]="${all_cores[$1]:-} $r_all_cores"
  bad[$1]=$(( ${bad[$1]:-0} + r_bad )); sock[$1]=$(( ${sock[$1]:-0} + r_sock ))
}
median() { printf '%s\n' $1 | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
commas() { printf '%.0f' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta'; }
ms() {
  if awk -v v="$1" 'BEGIN { exit !(v >= 100) }'; then echo "$(commas "$1") ms"
  else awk -v v="$1" 'BEGIN { if (v >= 10) printf "%.1f ms", v; else printf "%.2f ms", v }'; fi
}
ms_to_s() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "—"; else printf "%.2f", a / b }'; }
failures() { # KEY: "0", or "3 (+2 socket errors)"
  local s="${bad[$1]:-0}"
  [ "${sock[$1]:-0}" = 0 ] || s="$s (+${sock[$1]} socket errors)"
  echo "$s"
}
progress() { log "$(printf '  %-34s round %s: %8.1f req/s  p50 %s  p99 %s  non-success %s%s' "$1" "$2" "$r_rps" "$(ms "$r_p50")" "$(ms "$r_p99")" "$r_bad" "$([ "$r_sock" = 0 ] || echo " socket errors $r_sock")")"; }

# figure KEY ROUND LABEL PORT SCRIPT [ARGS...]: one measured run (and on round 0 a warm-up)
figure() {
  local key="$1" round="$2" label="$3" port="$4" script="$5"; shift 5
  if [ "$round" = 0 ]; then
    [ "$warmup" -gt 0 ] && run_wrk "$label-warmup" "$port" "$script" "$warmup" "$threads" "${figure_connections:-$connections}" "$@"
    return 0
  fi
  run_wrk "$label-r$round" "$port" "$script" "$duration" "$threads" "${figure_connections:-$connections}" "$@"
  record "$key"
  progress "$key" "$round"
}
# A fresh address prefix for each wrk run of the create figure.
next_prefix() { create_n=$((create_n + 1)); prefix="$run_id$(printf '%03d' "$create_n")"; }
create_n=0

environment() {
  local commit dirty=""
  commit="$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  [ -z "$(git -C "$here" status --porcelain -- src pom.xml 2>/dev/null)" ] || dirty=" (with uncommitted changes)"
  local jvm=""
  [ -z "${MAILROOM_JAVA_OPTS:-}" ] || jvm=", MAILROOM_JAVA_OPTS=\"$MAILROOM_JAVA_OPTS\""
  echo "Run $run_id, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit$dirty, $(nproc) cores, JDK $(java_major "$JAVA_HOME")$jvm, $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2);"
  local warm="first a warm-up pass of ${warmup} s per figure and target"
  [ "$mode" = compare ] && warm="$warm, then per figure another ${warmup} s each"
  echo "wrk -t$threads -c$connections; $warm, and $rounds alternated rounds of ${duration} s, the median shown; load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg)."
}
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

# ===================================================================================================
mode_compare() {
  local mport sport token group k r
  build_mailroom
  pick_port mport; pick_port sport
  log "Mailroom on 127.0.0.1:$mport (SQLite in $work/mailroom, seed src/test/resources/seeds/bench.yaml), stub on 127.0.0.1:$sport"
  start_mailroom mailroom "$mport" --data="$work/mailroom" --seed="$here/src/test/resources/seeds/bench.yaml"
  start_wiremock "$sport"
  token="$(tenant_token "$mport" cli_bench secret-bench)"
  log "provisioning 1000 mailboxes (u0..u999@bench.test) for users/query ..."
  provision "$mport" 0 1000
  group="$run_id-get@bench.test"
  create_group "$mport" "$token" "$group"
  settle_on "$mport" "$token" "$group"

  shape_check "create mail group" "$mport" "$sport" /open-apis/mail/v1/mailgroups -X POST \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json; charset=utf-8' \
    -d "{\"email\":\"$run_id-shape@bench.test\",\"name\":\"Bench group\",\"description\":\"bench-vs-peer\",\"who_can_send_mail\":\"ANYONE\"}"
  shape_check "get mail group" "$mport" "$sport" "/open-apis/mail/v1/mailgroups/$group" -H "Authorization: Bearer $token"
  local list="" k
  for k in 1 2 3 4 5 6 7 8 9 10; do list="$list${list:+,}\"u$((k * 97))@bench.test\""; done
  shape_check "users/query" "$mport" "$sport" /open-apis/mail/v1/users/query -X POST \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json; charset=utf-8' \
    -d "{\"email_list\":[$list]}"

  # A fresh JVM takes a while to compile its hot paths (creates ran at a third of their speed for the
  # first 10 s): one warm-up pass over every figure first, then each figure's own warm-up and rounds.
  log "warm-up pass over every figure ..."
  for k in create get query healthz; do compare_figure "$k" 0; done
  for k in create get query healthz; do
    for r in $(seq 0 "$rounds"); do compare_figure "$k" "$r"; done
  done

  echo
  echo "### Side by side with a stub: figures of run $run_id"
  echo
  environment
  echo
  echo "| call (Mailroom: SQLite, durable writes; stub: WireMock $wiremock_version) | Mailroom req/s | Mailroom p99 | stub req/s | stub p99 | Mailroom / stub | non-success (Mailroom / stub) |"
  echo "|---|---|---|---|---|---|---|"
  row_vs "Feishu: create mail group (POST /open-apis/mail/v1/mailgroups, a new address each)" create
  row_vs "Feishu: get mail group by address (GET /open-apis/mail/v1/mailgroups/{email})" get
  row_vs "Feishu: users/query, 10 addresses (POST /open-apis/mail/v1/users/query)" query
  printf '| GET /healthz (Mailroom only: HTTP and JSON, no directory) | %s | %s | — | — | — | %s |\n' \
    "$(commas "$(median "${rps[healthz-m]}")")" "$(ms "$(median "${p99[healthz-m]}")")" "$(failures healthz-m)"
  echo
  [ "$shape_warnings" = 0 ] || echo "WARNING: $shape_warnings stub answer(s) differ from Mailroom's; see $out/shapes.txt"
  echo "(wrk outputs and server logs: ${out#"$here"/})"
}
# compare_figure FIGURE ROUND: Mailroom, then the stub (round 0: warm-up)
compare_figure() {
  local r="$2"
  case "$1" in
    create)
      next_prefix; figure create-m "$r" create-mailroom "$mport" create-mailgroup.lua "$prefix" "bench.test:$token"
      next_prefix; figure create-s "$r" create-stub "$sport" create-mailgroup.lua "$prefix" "bench.test:$token" ;;
    get)
      figure get-m "$r" get-mailroom "$mport" get-mailgroup.lua "$token" "$group"
      figure get-s "$r" get-stub "$sport" get-mailgroup.lua "$token" "$group" ;;
    query)
      figure query-m "$r" query-mailroom "$mport" users-query.lua "$token" u 1000 bench.test
      figure query-s "$r" query-stub "$sport" users-query.lua "$token" u 1000 bench.test ;;
    healthz)
      figure healthz-m "$r" healthz-mailroom "$mport" healthz.lua ;;
  esac
}
row_vs() {
  local m s
  m="$(median "${rps[$2-m]}")"; s="$(median "${rps[$2-s]}")"
  printf '| %s | %s | %s | %s | %s | %s | %s / %s |\n' "$1" "$(commas "$m")" "$(ms "$(median "${p99[$2-m]}")")" \
    "$(commas "$s")" "$(ms "$(median "${p99[$2-s]}")")" "$(ratio "$m" "$s")" "$(failures "$2-m")" "$(failures "$2-s")"
}

# ===================================================================================================
mode_at_size() {
  local bport sport seed="$here/bench/seeds/at-size.yaml" r btok stok group k
  [ "$size" -ge 1000 ] && [ "$small" -ge 1000 ] || die "at-size wants N >= 1000 and --small >= 1000"
  [ "$size" -le 9999000 ] || die "bench/seeds/at-size.yaml allows 10,000,000 user mailboxes; N must be at most 9,999,000"
  build_mailroom
  pick_port sport; pick_port bport
  log "Mailroom at $(commas "$small") on 127.0.0.1:$sport, at $(commas "$size") on 127.0.0.1:$bport (SQLite, seed bench/seeds/at-size.yaml)"
  start_mailroom small "$sport" --data="$work/small" --seed="$seed"
  start_mailroom big "$bport" --data="$work/big" --seed="$seed"

  log "provisioning $(commas "$small") mailboxes on the small one ..."
  provision "$sport" 0 "$small" >/dev/null
  local provisioned="$work/provisioning.md"
  log "provisioning $(commas "$size") mailboxes through POST /v1/public/accounts/{id}/mailboxes/bulk (1000 a request) ..."
  {
    echo "| mailboxes provisioned | since the line above | total | mailboxes/s so far |"
    echo "|---|---|---|---|"
    provision "$bport" 0 "$size" report
  } | tee "$provisioned" >&2

  stok="$(tenant_token "$sport" cli_bench secret-bench)"; btok="$(tenant_token "$bport" cli_bench secret-bench)"
  group="$run_id-get@bench.test"
  create_group "$sport" "$stok" "$group"; create_group "$bport" "$btok" "$group"
  settle_on "$sport" "$stok" "$group"; settle_on "$bport" "$btok" "$group"

  wrk_timeout=60   # a search scans the tenant: at a million mailboxes, with 64 connections queued
  for r in $(seq 0 "$rounds"); do
    [ "$r" = 0 ] && log "warm-up" || log "round $r"
    figure get-s "$r" get-small "$sport" get-mailgroup.lua "$stok" "$group"
    figure get-b "$r" get-big "$bport" get-mailgroup.lua "$btok" "$group"
    next_prefix; figure create-s "$r" create-small "$sport" create-mailgroup.lua "$prefix" "bench.test:$stok"
    next_prefix; figure create-b "$r" create-big "$bport" create-mailgroup.lua "$prefix" "bench.test:$btok"
    figure query-s "$r" query-small "$sport" users-query.lua "$stok" u "$small" bench.test
    figure query-b "$r" query-big "$bport" users-query.lua "$btok" u "$size" bench.test
    figure_connections=$search_connections figure search-s "$r" search-small "$sport" hybridbox-search.lua "$hbx_token" "$hbx_account" "$small" u "$name_words"
    figure_connections=$search_connections figure search-b "$r" search-big "$bport" hybridbox-search.lua "$hbx_token" "$hbx_account" "$size" u "$name_words"
  done
  local start_s="" start_b=""
  for r in $(seq 1 "$rounds"); do
    restart_mailroom small; start_s="$start_s $startup_ms"
    restart_mailroom big; start_b="$start_b $startup_ms"
    log "  start-up round $r: at $(commas "$small") ${start_s##* } ms, at $(commas "$size") ${start_b##* } ms"
  done

  echo
  echo "### At size: figures of run $run_id"
  echo
  environment
  echo
  echo "Provisioning $(commas "$size") mailboxes (Hybridbox bulk, one request of 1000 at a time, SQLite):"
  echo
  cat "$provisioned"
  echo
  local S B
  S="at $(commas "$small")"; B="at $(commas "$size")"
  echo "| figure | $S | $B | $B / $S | within 15 %? | non-success ($S / $B) |"
  echo "|---|---|---|---|---|---|"
  row_size "Feishu: get mail group by address, req/s" rps get up
  row_size "Feishu: get mail group by address, p99" p99 get down
  row_size "Feishu: create mail group, req/s" rps create up
  row_size "Feishu: create mail group, p99" p99 create down
  row_size "Feishu: users/query (10 random addresses), req/s" rps query up
  row_size "Feishu: users/query (10 random addresses), p99" p99 query down
  row_size "Hybridbox: list with search= (random term, page of 25; $search_connections connections), p50" p50 search down
  row_size "Hybridbox: list with search= ($search_connections connections), req/s" rps search up
  local ss sb
  ss="$(median "$start_s")"; sb="$(median "$start_b")"
  printf '| start-up: process start to first 200 of /healthz, same data dir | %s | %s | %s | %s | — |\n' \
    "$(ms "$ss")" "$(ms "$sb")" "$(ratio "$sb" "$ss")" "$(within "$sb" "$ss" down)"
  echo
  echo "(wrk outputs and server logs: ${out#"$here"/})"
}
within() { awk -v a="$1" -v b="$2" -v dir="$3" 'BEGIN { if (b == 0) print "—"; else if (dir == "up") print (a / b >= 0.85 ? "yes" : "**no**"); else print (a / b <= 1.15 ? "yes" : "**no**") }'; }
row_size() { # LABEL METRIC FIGURE up|down
  local label="$1" s b
  local -n metric="$2"
  s="$(median "${metric[$3-s]}")"; b="$(median "${metric[$3-b]}")"
  if [ "$2" = rps ]; then
    printf '| %s | %s | %s | %s | %s | %s / %s |\n' "$label" "$(commas "$s")" "$(commas "$b")" "$(ratio "$b" "$s")" \
      "$(within "$b" "$s" "$4")" "$(failures "$3-s")" "$(failures "$3-b")"
  else
    printf '| %s | %s | %s | %s | %s | %s / %s |\n' "$label" "$(ms "$s")" "$(ms "$b")" "$(ratio "$b" "$s")" \
      "$(within "$b" "$s" "$4")" "$(failures "$3-s")" "$(failures "$3-b")"
  fi
}

# ===================================================================================================
# PostgreSQL: a throwaway cluster of Debian's binaries (initdb into a temp dir, own port).
find_pg_bin() {
  local c
  if [ -n "$pg_bin" ]; then [ -x "$pg_bin/postgres" ] || die "--pg-bin $pg_bin has no postgres binary"; return 0; fi
  for c in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$c/postgres" ] && [ -x "$c/initdb" ]; then pg_bin="$c"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && [ -x "$(dirname "$(readlink -f "$(command -v initdb)")")/postgres" ]; then
    pg_bin="$(dirname "$(readlink -f "$(command -v initdb)")")"; return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "no PostgreSQL binaries found; installing Debian's postgresql package (apt-get, non-interactive) ..."
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 \
      || die "apt-get install postgresql failed"
    find_pg_bin; return 0
  fi
  die "no PostgreSQL binaries: install Debian's postgresql package or pass --pg-bin DIR"
}
# as_pg CMD...: runs CMD in the cluster's directory as the cluster's owner (execs: the PID is CMD's).
as_pg() {
  cd "$pg_root"
  if [ "$(id -u)" = 0 ]; then exec setpriv --reuid="$pg_user" --regid="$pg_user" --init-groups -- "$@"; else exec "$@"; fi
}
start_postgres() {
  local port="$1" deadline
  find_pg_bin
  pg_user="$(id -un)"
  if [ "$(id -u)" = 0 ]; then  # postgres refuses to run as root
    if id postgres >/dev/null 2>&1; then pg_user=postgres; else pg_user=nobody; fi
  fi
  pg_root="$(mktemp -d /tmp/bench-vs-peer-pg.XXXXXX)"
  chown "$pg_user" "$pg_root"
  log "PostgreSQL: $pg_bin, a fresh cluster in $pg_root on 127.0.0.1:$port (run as $pg_user; fsync on)"
  (as_pg "$pg_bin/initdb" -D "$pg_root/data" -U postgres --auth=trust -E UTF8) >"$out/postgres-initdb.log" 2>&1 \
    || { cat "$out/postgres-initdb.log" >&2; die "initdb failed"; }
  (as_pg "$pg_bin/postgres" -D "$pg_root/data" -p "$port" -k "$pg_root" -c listen_addresses=127.0.0.1 \
    -c max_connections=200) >"$out/postgres.log" 2>&1 &
  postgres_pid=$!
  track "$postgres_pid" INT
  deadline=$((SECONDS + 60))
  until "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" 2>/dev/null; do
    kill -0 "$postgres_pid" 2>/dev/null || { cat "$out/postgres.log" >&2; die "postgres exited"; }
    [ $SECONDS -lt $deadline ] || die "postgres did not get ready in 60 s"
    sleep 0.2
  done
  "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres mailroom_bench || die "createdb failed"
}

# two_nodes KEY ROUND LABEL SCRIPT ARGS...: the same load split over nodes A and B at once
two_nodes() {
  local key="$1" round="$2" label="$3" script="$4" secs="$duration" fa fb pa pb; shift 4
  [ "$round" = 0 ] && secs="$warmup"
  [ "$secs" -gt 0 ] || return 0
  wrk_n=$((wrk_n + 1)); fa="$out/wrk/$(printf '%03d' "$wrk_n")-$label-a-r$round.txt"
  wrk_n=$((wrk_n + 1)); fb="$out/wrk/$(printf '%03d' "$wrk_n")-$label-b-r$round.txt"
  cpu_mark
  wrk -t$((threads > 1 ? threads / 2 : 1)) -c$((connections / 2)) -d"${secs}s" --timeout "${wrk_timeout}s" \
    -s "$here/bench/wrk/$script" "http://127.0.0.1:${mr_port[a]}" -- "${node_args_a[@]}" >"$fa" 2>&1 &
  pa=$!; track "$pa"
  wrk -t$((threads > 1 ? threads / 2 : 1)) -c$((connections / 2)) -d"${secs}s" --timeout "${wrk_timeout}s" \
    -s "$here/bench/wrk/$script" "http://127.0.0.1:${mr_port[b]}" -- "${node_args_b[@]}" >"$fb" 2>&1 &
  pb=$!; track "$pb"
  wait "$pa" || { cat "$fa" >&2; die "wrk failed ($label, node a)"; }
  untrack "$pa"
  wait "$pb" || { cat "$fb" >&2; die "wrk failed ($label, node b)"; }
  untrack "$pb"
  cpu_take
  settle "${mr_port[a]}"; settle "${mr_port[b]}"
  [ "$round" = 0 ] && return 0
  local ra pa50 pa99 ba sa
  parse_wrk "$fa"; ra="$r_rps"; pa50="$r_p50"; pa99="$r_p99"; ba="$r_bad"; sa="$r_sock"
  parse_wrk "$fb"
  r_rps="$(awk -v a="$ra" -v b="$r_rps" 'BEGIN { print a + b }')"
  r_p50="$(awk -v a="$pa50" -v b="$r_p50" 'BEGIN { print (a > b ? a : b) }')"
  r_p99="$(awk -v a="$pa99" -v b="$r_p99" 'BEGIN { print (a > b ? a : b) }')"
  r_bad=$((ba + r_bad)); r_sock=$((sa + r_sock))
  record "$key"
  progress "$key" "$round"
}

mode_pg() {
  local pgport aport bport url seed="$here/bench/seeds/four-tenants.yaml" i r group
  local -a tok=() pairs=()
  build_mailroom
  pick_port pgport; pick_port aport; pick_port bport
  start_postgres "$pgport"
  url="jdbc:postgresql://127.0.0.1:$pgport/mailroom_bench?user=postgres"
  log "Mailroom nodes a (127.0.0.1:$aport) and b (127.0.0.1:$bport) on $url, seed bench/seeds/four-tenants.yaml"
  # With --database-url the operator door's token file must be named; both nodes share one (a writes it).
  start_mailroom a "$aport" --database-url="$url" --seed="$seed" --admin-token-file="$out/admin-token"
  start_mailroom b "$bport" --database-url="$url" --seed="$seed" --admin-token-file="$out/admin-token"
  for i in 1 2 3 4; do
    tok[$i]="$(tenant_token "$aport" "cli_bench$i" "secret-bench$i")"
    pairs+=("bench$i.test:${tok[$i]}")
  done
  # A token from one node is good on the other (tokens are checked against the database).
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$bport/open-apis/mail/v1/mailgroups?page_size=1" \
      -H "Authorization: Bearer ${tok[1]}")" = 200 ] || die "node b does not take node a's token"
  group="$run_id-get@bench1.test"
  create_group "$aport" "${tok[1]}" "$group"
  settle_on "$aport" "${tok[1]}" "$group"; settle_on "$bport" "${tok[1]}" "$group"

  for r in $(seq 0 "$rounds"); do
    [ "$r" = 0 ] && log "warm-up" || log "round $r"
    next_prefix; figure create1t "$r" create-1node-1tenant "$aport" create-mailgroup.lua "$prefix" "${pairs[0]}"
    next_prefix; figure create1 "$r" create-1node-4tenants "$aport" create-mailgroup.lua "$prefix" "${pairs[@]}"
    # Node b serves only the two-node runs: warm it as long as node a, or its JIT still compiles in round 1.
    if [ "$r" = 0 ]; then next_prefix; figure create1 0 create-node-b "$bport" create-mailgroup.lua "$prefix" "${pairs[@]}"; fi
    next_prefix; node_args_a=("${prefix}a" "${pairs[@]}"); node_args_b=("${prefix}b" "${pairs[@]}")
    two_nodes create2 "$r" create-2nodes-4tenants create-mailgroup.lua
    figure get1 "$r" get-1node "$aport" get-mailgroup.lua "${tok[1]}" "$group"
    if [ "$r" = 0 ]; then figure get1 0 get-node-b "$bport" get-mailgroup.lua "${tok[1]}" "$group"; fi
    node_args_a=("${tok[1]}" "$group"); node_args_b=("${tok[1]}" "$group")
    two_nodes get2 "$r" get-2nodes get-mailgroup.lua
    # The quota comes after the warm-up: held to a fraction of a core, the JIT would still be compiling in round 1.
    if [ "$r" = 0 ] && [ -n "$node_cpus" ]; then limit_cpu "${mr_pid[a]}"; limit_cpu "${mr_pid[b]}"; fi
  done

  echo
  echo "### PostgreSQL, one node and two: figures of run $run_id"
  echo
  environment
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{ print $3 }') ($pg_bin, a fresh cluster, fsync on) on the same machine;"
  echo "two nodes: two wrk at once, -t$((threads > 1 ? threads / 2 : 1)) -c$((connections / 2)) each (the same $connections connections in all), req/s summed, the worse p99."
  [ -z "$node_cpus" ] || echo "each Mailroom node held to $node_cpus cores by a CPU quota of its own cgroup (--node-cpus) from the end of the warm-up on, in the one-node and the two-node runs alike."
  echo
  echo "| call (PostgreSQL) | 1 node req/s | 1 node p99 | 2 nodes req/s (sum) | 2 nodes p99 (worse node) | 2 nodes / 1 node | non-success (1 / 2 nodes) |"
  echo "|---|---|---|---|---|---|---|"
  printf '| Feishu: create mail group, 1 tenant | %s | %s | — | — | — | %s |\n' \
    "$(commas "$(median "${rps[create1t]}")")" "$(ms "$(median "${p99[create1t]}")")" "$(failures create1t)"
  row_nodes "Feishu: create mail group, writes over 4 tenants" create
  row_nodes "Feishu: get mail group by address" get
  echo
  echo "Cores busy while wrk ran (medians of the rounds; Mailroom: both nodes' JVMs together; the machine: all of it,"
  echo "wrk and the kernel included, of $(nproc)), and CPU time per request:"
  echo
  echo "| run (PostgreSQL) | req/s | Mailroom cores | PostgreSQL cores | machine cores | Mailroom CPU per request | PostgreSQL CPU per request |"
  echo "|---|---|---|---|---|---|---|"
  row_cpu "create, 1 node, 1 tenant" create1t
  row_cpu "create, 1 node, 4 tenants" create1
  row_cpu "create, 2 nodes, 4 tenants" create2
  row_cpu "get, 1 node" get1
  row_cpu "get, 2 nodes" get2
  echo
  echo "(wrk outputs and server logs: ${out#"$here"/})"
}
row_nodes() {
  local one two
  one="$(median "${rps[${2}1]}")"; two="$(median "${rps[${2}2]}")"
  printf '| %s | %s | %s | %s | %s | %s | %s / %s |\n' "$1" "$(commas "$one")" "$(ms "$(median "${p99[${2}1]}")")" \
    "$(commas "$two")" "$(ms "$(median "${p99[${2}2]}")")" "$(ratio "$two" "$one")" "$(failures "${2}1")" "$(failures "${2}2")"
}

# per_request CORES REQ/S: µs of CPU per request
per_request() { awk -v c="$1" -v r="$2" 'BEGIN { printf "%.0f", (r > 0 ? c * 1e6 / r : 0) }'; }
row_cpu() {
  local r m p
  r="$(median "${rps[$2]}")"; m="$(median "${mr_cores[$2]}")"; p="$(median "${pg_cores[$2]}")"
  printf '| %s | %s | %s | %s | %s | %s µs | %s µs |\n' "$1" "$(commas "$r")" "$m" "$p" "$(median "${all_cores[$2]}")" \
    "$(per_request "$m" "$r")" "$(per_request "$p" "$r")"
}

case "$mode" in
  compare) mode_compare ;;
  at-size) mode_at_size ;;
  pg) mode_pg ;;
esac
