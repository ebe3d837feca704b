#!/usr/bin/env bash
# Prints Mailroom's start-up figures (docs/adr/0009-fast-start-and-small-footprint.md): the time from
# launching `mailroom serve` to the first 200 of GET /healthz (median of N starts) on an empty data
# directory and on one already holding many mailboxes, and the resident memory after 5 s idle.
#
#   scripts/startup-figures.sh [--runs N] [--mailboxes M] [LAUNCHER ...]
#
# LAUNCHER defaults to this tree's ./mailroom. Given several (e.g. an older tree's launcher and this
# one), the starts alternate between them, so that a busy machine slows both alike. Every start uses
# the demo seed plus a second tenant ("bulk", one app secret and one service-account token), so an
# existing data directory is started with two unchanged seed secrets. The populated directory is built
# once through the Hybridbox bulk API and kept in target/startup-figures/ for the next run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5
mailboxes=100000
launchers=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --mailboxes) mailboxes="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) launchers+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); shift ;;
  esac
done
[ ${#launchers[@]} -gt 0 ] || launchers=("$here/mailroom")

work="$here/target/startup-figures"
mkdir -p "$work"
port="${STARTUP_FIGURES_PORT:-18671}"
base="http://127.0.0.1:$port"
seed="$work/bulk-seed.yaml"
cat > "$seed" <<'EOF'
# A second tenant for the start-up figures: room for a million mailboxes, one app, one service account.
tenants:
  - key: bulk
    name: Bulk Inc.
    domains: [bulk.test]
    limits: {user_mailboxes: 1000000}
    apps:
      - {app_id: cli_bulk00000001, app_secret: "bulk-secret", scopes: [mail:user_mailbox]}
    hybridbox:
      account_id: 0b8e1c52-5a0e-4f55-9d61-3f1f6c0a9b11
      service_accounts:
        - {name: bulk-provisioning, token: "hbx_sa_bulk_provisioning", permissions: [mailbox.view, mailbox.create, domain.view]}
EOF

pid=""
stop() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
  fi
}
trap stop EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# start LAUNCHER DATA_DIR: launches the server in the background (pid in $pid) and sets $elapsed to
# the milliseconds until the first 200 of /healthz, $cpu to the CPU milliseconds the server used by then.
start() {
  local launcher="$1" data="$2" t0 code
  if curl -s -o /dev/null "$base/healthz"; then echo "port $port is taken" >&2; exit 1; fi
  t0="$(now_ms)"
  "$launcher" serve --port "$port" --data "$data" --demo --seed "$seed" > "$work/server.log" 2>&1 &
  pid=$!
  while :; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/healthz" || true)"
    [ "$code" = 200 ] && break
    if ! kill -0 "$pid" 2>/dev/null; then echo "server did not start:" >&2; cat "$work/server.log" >&2; exit 1; fi
    sleep 0.01
  done
  elapsed=$(( $(now_ms) - t0 ))
  cpu="$(cpu_ms "$pid")"
}

# cpu_ms PID: the CPU milliseconds (user + system) the process has used so far.
cpu_ms() { echo $(( $(awk '{print $14 + $15}' "/proc/$1/stat") * 1000 / $(getconf CLK_TCK) )); }

rss_kb() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"; }

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : int((v[NR/2]+v[NR/2+1])/2)}'; }

# The launcher builds its jar when it is missing or stale: do that before anything is timed.
for l in "${launchers[@]}"; do "$l" --version > /dev/null; done

populated="$work/populated-$mailboxes"
if [ ! -f "$populated/mailroom.db" ]; then
  echo "building $populated ($mailboxes mailboxes; once) ..." >&2
  rm -rf "$populated"
  start "${launchers[0]}" "$populated"
  domain="$(curl -s -H 'Authorization: Bearer hbx_sa_bulk_provisioning' \
    "$base/v1/public/accounts/0b8e1c52-5a0e-4f55-9d61-3f1f6c0a9b11/domains" | jq -r '.items[0].id')"
  for ((batch = 0; batch * 1000 < mailboxes; batch++)); do
    jq -cn --arg d "$domain" --argjson b "$batch" --argjson n "$mailboxes" \
      '{domain: $d, items: [range($b * 1000; [($b + 1) * 1000, $n] | min) | {first_name: "Bulk", last_name: "User \(.)", local_part: "user\(.)"}]}' |
      curl -sf -o /dev/null -H 'Authorization: Bearer hbx_sa_bulk_provisioning' -H 'Content-Type: application/json' \
        --data-binary @- "$base/v1/public/accounts/0b8e1c52-5a0e-4f55-9d61-3f1f6c0a9b11/mailboxes/bulk"
  done
  stop
fi

# One untimed start each: a launcher that keeps a start-up cache makes it on its first start.
for l in "${launchers[@]}"; do
  fresh="$(mktemp -d "$work/empty.XXXXXX")"
  start "$l" "$fresh"
  stop
  rm -rf "$fresh"
done

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
declare -A empty_ms empty_cpu settled_cpu populated_ms populated_cpu idle_kb
for ((run = 1; run <= runs; run++)); do
  for l in "${launchers[@]}"; do
    fresh="$(mktemp -d "$work/empty.XXXXXX")"
    start "$l" "$fresh"
    empty_ms[$l]+="$elapsed "
    empty_cpu[$l]+="$cpu "
    sleep 5
    idle_kb[$l]+="$(rss_kb "$pid") "
    settled_cpu[$l]+="$(cpu_ms "$pid") "
    stop
    rm -rf "$fresh"
    start "$l" "$populated"
    populated_ms[$l]+="$elapsed "
    populated_cpu[$l]+="$cpu "
    stop
  done
done

med() { tr ' ' '\n' <<< "$1" | grep . | median; }
echo "start to first 200 of /healthz and the server's CPU time by then, median of $runs starts; idle RSS and CPU 5 s later"
echo "(demo seed + bulk tenant; load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after, $(nproc) cores)"
for l in "${launchers[@]}"; do
  echo "$l"
  echo "  empty data dir     $(med "${empty_ms[$l]}") ms, CPU $(med "${empty_cpu[$l]}") ms   (ms: ${empty_ms[$l]% })"
  echo "  $mailboxes mailboxes  $(med "${populated_ms[$l]}") ms, CPU $(med "${populated_cpu[$l]}") ms   (ms: ${populated_ms[$l]% })"
  echo "  idle RSS           $(( $(med "${idle_kb[$l]}") / 1024 )) MB   (kB: ${idle_kb[$l]% })"
  echo "  CPU 5 s after the first 200 (empty)  $(med "${settled_cpu[$l]}") ms   (ms: ${settled_cpu[$l]% })"
done
