#!/usr/bin/env bash
# Installs the real third-party peers our integration tests run against
# (Kamailio as registrar/proxy, sipp as scripted UA, dnsmasq for DNS/SRV,
# openssl for the test CA; ALSA headers for the native audio modules, which
# `npm ci` builds next; ffmpeg, sox and tshark as independent media tools).
# Idempotent: when everything is already installed
# it only makes sure the system-wide Kamailio service is not running, and
# returns within a second.
#
#   npm run test:setup        (= bash test/setup.sh)
#
# Debian 12 (bookworm). Uses sudo only when not run as root.
set -euo pipefail

PACKAGES=(kamailio kamailio-tls-modules sip-tester dnsmasq-base openssl
  libasound2-dev alsa-utils ffmpeg sox tshark)
# Commands the test harness calls, checked after installing.
COMMANDS=(kamailio kamcmd sipp dnsmasq openssl aplay ffmpeg sox tshark)

log() { printf '[test:setup] %s\n' "$*"; }

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  log "not root and sudo is missing: cannot install ${PACKAGES[*]}" >&2
  exit 1
fi

missing_packages() {
  local pkg status
  for pkg in "${PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
    [ "$status" = "installed" ] || printf '%s\n' "$pkg"
  done
}

# Another apt/dpkg run (e.g. a provisioning step in the background) may hold
# the dpkg lock: apt waits for it instead of failing.
APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)

# Tests start their own Kamailio instances on free loopback ports; the Debian
# service would bind 0.0.0.0:5060, which the phone under test uses.
keep_system_kamailio_off() {
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    if systemctl is-active --quiet kamailio 2>/dev/null; then
      log "stopping the system kamailio service"
      "${SUDO[@]}" systemctl stop kamailio || true
    fi
    if systemctl is-enabled --quiet kamailio 2>/dev/null; then
      log "disabling the system kamailio service"
      "${SUDO[@]}" systemctl disable --quiet kamailio || true
    fi
  else
    # No systemd running (containers, CI): a sysv-style start may still have
    # happened if no policy-rc.d denied it.
    if [ -x /etc/init.d/kamailio ] && [ -f /run/kamailio/kamailio.pid ]; then
      log "stopping the system kamailio service (init.d)"
      "${SUDO[@]}" /etc/init.d/kamailio stop || true
    fi
    if command -v systemctl >/dev/null 2>&1 && systemctl is-enabled --quiet kamailio 2>/dev/null; then
      log "disabling the system kamailio service (offline)"
      "${SUDO[@]}" systemctl disable --quiet kamailio >/dev/null 2>&1 || true
    fi
  fi
}

mapfile -t MISSING < <(missing_packages)

if [ "${#MISSING[@]}" -eq 0 ]; then
  log "all packages present (${PACKAGES[*]}): skipping apt"
else
  log "missing packages: ${MISSING[*]}"

  # Keep maintainer scripts from starting services during the install. If a
  # policy-rc.d already exists (e.g. Docker images ship one) leave it alone.
  POLICY=/usr/sbin/policy-rc.d
  CREATED_POLICY=0
  if [ ! -e "$POLICY" ]; then
    log "installing a temporary $POLICY so the kamailio service does not start"
    printf '#!/bin/sh\n# temporary, from deskphone test/setup.sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
    "${SUDO[@]}" chmod 755 "$POLICY"
    CREATED_POLICY=1
  fi
  remove_policy() {
    if [ "$CREATED_POLICY" = 1 ]; then
      log "removing the temporary $POLICY"
      "${SUDO[@]}" rm -f "$POLICY"
    fi
  }
  trap remove_policy EXIT

  log "apt-get update"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" update -qq
  log "apt-get install ${PACKAGES[*]}"
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y -qq \
    --no-install-recommends "${PACKAGES[@]}" >/dev/null
  log "installed"
fi

keep_system_kamailio_off

for cmd in "${COMMANDS[@]}"; do
  if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$cmd" ]; then
    log "command '$cmd' is still missing after the install" >&2
    exit 1
  fi
done
if ! compgen -G '/usr/lib/*/kamailio/modules/tls.so' >/dev/null; then
  log "kamailio tls.so module is missing (kamailio-tls-modules)" >&2
  exit 1
fi

log "ready: $(/usr/sbin/kamailio -v 2>/dev/null | head -n1); $(sipp -v 2>/dev/null | grep -o 'SIPp v[^ ]*' | head -n1)"
