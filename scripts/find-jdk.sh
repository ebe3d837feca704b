# Sourced by ./mailroom and ./run-tests: exports JAVA_HOME as a JDK >= 21 (JAVA_HOME first, then
# /usr/lib/jvm), installing Debian's openjdk-21 as a last resort on a machine that has none.
# The version from the JDK's release file when it has one: starting a JVM only to ask costs ~50 ms a candidate.
java_major() {
  local version=""
  [ -r "$1/release" ] && version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release")"
  if [ -n "$version" ]; then echo "$version"; return 0; fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}
pick_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(java_major "$candidate")"
    if [ -n "$major" ] && [ "${major%%.*}" -ge 21 ] 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME="$(pick_jdk)"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "no JDK >= 21 found; installing openjdk-21-jdk-headless" >&2
    apt-get update -qq >&2 && apt-get install -y -qq openjdk-21-jdk-headless >&2 || true
  fi
  JAVA_HOME="$(pick_jdk)" || { echo "no JDK >= 21 found (set JAVA_HOME or install one under /usr/lib/jvm)" >&2; exit 1; }
fi
export JAVA_HOME
