# Sourced by the before/after scripts (benchmark-ab.sh, wrk-ab.sh): checks out two commits as worktrees in a
# temporary directory, builds each with the given Maven goal, and removes them on exit.
#   ab_build BEFORE AFTER GOAL   sets $work; builds $work/before and $work/after
#   ab_cleanup                   removes the worktrees and $work (call it from the caller's EXIT trap)
ab_cleanup() {
  for side in before after; do git worktree remove --force "$work/$side" 2>/dev/null || true; done
  rm -rf "$work"
}

ab_build() {
  local refs=("$1" "$2") goal="$3" side ref i=0
  work="$(mktemp -d)"
  for side in before after; do
    ref="${refs[$i]}"; i=$((i + 1))
    git worktree add -q --detach "$work/$side" "$ref"
    echo "building $side ($ref = $(git rev-parse --short "$ref")) ..." >&2
    (cd "$work/$side" && mvn -q -B -ntp -DskipTests -Dcheckstyle.skip "$goal") >&2
  done
}
