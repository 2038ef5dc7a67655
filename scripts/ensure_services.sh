#!/usr/bin/env bash
# Install Debian's PostgreSQL and Redis for the scale-out tests if they are not there yet.
# The tests start their own throw-away servers on loopback; nothing is enabled as a service.
set -euo pipefail
missing=()
if ! command -v initdb >/dev/null 2>&1 && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  missing+=(postgresql)
fi
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
echo "ensure_services: installing ${missing[*]} for the scale-out tests"
sudo_cmd=""
if [[ $(id -u) -ne 0 ]]; then sudo_cmd="sudo"; fi
$sudo_cmd apt-get update -qq
# policy-rc.d keeps the packages from starting system-wide servers of their own.
if [[ -d /usr/sbin && ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee /usr/sbin/policy-rc.d >/dev/null
  $sudo_cmd chmod +x /usr/sbin/policy-rc.d
  trap '$sudo_cmd rm -f /usr/sbin/policy-rc.d' EXIT
fi
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
command -v redis-server
