#!/usr/bin/env bash
# Starts (or finds) the Docker engine the e2e suite builds with.
#   engine.sh start STATE_DIR DAEMON_JSON   prints the docker client path on the last line
#   engine.sh stop STATE_DIR                stops the engine only if `start` started it
# Exit 77 with a "SKIP:" line when this machine cannot run an engine (no root, no Debian
# mirror): the suite reports its tests as skipped, never as passed.
set -euo pipefail
command=${1:?usage: engine.sh start|stop STATE_DIR [DAEMON_JSON]}
state=${2:?usage: engine.sh start|stop STATE_DIR [DAEMON_JSON]}
mkdir -p "$state"

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Debian's client matches Debian's engine; a newer client elsewhere on PATH (e.g. 28.x
# without the buildx plugin) would not use BuildKit against engine 20.10.
client() {
  if [ -x /usr/bin/docker ]; then echo /usr/bin/docker; else command -v docker || true; fi
}

answers() {
  local docker
  docker=$(client)
  [ -n "$docker" ] && timeout 10 "$docker" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

if [ "$command" = stop ]; then
  if [ -f "$state/dockerd.pid" ]; then
    pid=$(cat "$state/dockerd.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    rm -f "$state/dockerd.pid"
    echo "engine: stopped the dockerd this suite started (pid $pid)"
  fi
  exit 0
fi

# What the suite needs beyond Node and Go: the engine, debootstrap and busybox for the
# stand-in images, sshd/ssh-agent for the SSH git host, openssl for the test CA.
missing=()
answers || command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
[ -x /bin/busybox ] || missing+=(busybox-static)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh-agent >/dev/null 2>&1 || missing+=(openssh-client)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v git >/dev/null 2>&1 || missing+=(git)
# systemd-analyze verify reads the generated docker/http-proxy.conf drop-in.
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
[ ${#missing[@]} -eq 0 ] || apt_install engine "$state/apt.log" "${missing[@]}"

if answers; then
  echo "engine: using the engine that was already running ($($(client) version --format '{{.Server.Version}}'))"
  client
  exit 0
fi

[ "$(id -u)" = 0 ] || skip "no Docker engine answers and starting dockerd needs root (run as root, or start dockerd first)"

# overlay2 (much faster than vfs); no bridge and no iptables: builds and containers use the
# host network, which also lets RUN steps reach the local module proxy and git servers.
echo "engine: starting dockerd (overlay2, config $3)"
dockerd --storage-driver=overlay2 --iptables=false --bridge=none \
  --config-file "${3:?DAEMON_JSON}" --pidfile "$state/dockerd.pid.dockerd" \
  >"$state/dockerd.log" 2>&1 &
echo $! >"$state/dockerd.pid"
for _ in $(seq 1 120); do
  if answers; then
    echo "engine: dockerd $($(client) version --format '{{.Server.Version}}') is up"
    client
    exit 0
  fi
  kill -0 "$(cat "$state/dockerd.pid")" 2>/dev/null || break
  sleep 0.5
done
tail -20 "$state/dockerd.log" >&2
echo "engine: dockerd did not start (log: $state/dockerd.log)" >&2
exit 1
