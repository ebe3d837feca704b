#!/usr/bin/env bash
# Installs the mail system the end-to-end tests drive (Postfix, Dovecot LMTP, swaks) and openssl (the
# documented webhook signature check runs in a test) from Debian's
# packages, only when missing, without letting the packages configure or start a system MTA.
set -euo pipefail

packages=(postfix dovecot-core dovecot-lmtpd swaks openssl)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-deps: missing ${missing[*]}; run as root to install them" >&2
    exit 1
fi

echo "install-test-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
echo "postfix postfix/mailname string localhost" | debconf-set-selections

# The tests start their own Postfix and Dovecot: the packages must not start system ones.
# policy-rc.d answering 101 forbids every init script action during the install.
policy=/usr/sbin/policy-rc.d
saved=""
if [ -e "$policy" ]; then
    saved="$(mktemp)"
    cp -p "$policy" "$saved"
fi
restore() {
    if [ -n "$saved" ]; then mv -f "$saved" "$policy"; else rm -f "$policy"; fi
}
trap restore EXIT
printf '#!/bin/sh\nexit 101\n' > "$policy"
chmod 755 "$policy"

apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

# Should a package have started a daemon anyway, stop it: only the tests' own instances may run.
if [ -x /usr/sbin/postfix ] && postfix status >/dev/null 2>&1; then postfix stop || true; fi
if [ -r /run/dovecot/master.pid ]; then kill "$(cat /run/dovecot/master.pid)" 2>/dev/null || true; fi
