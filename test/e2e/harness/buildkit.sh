#!/usr/bin/env bash
# Installs what the BuildKit part of the harness needs: buildkitd and buildctl (a standalone
# builder, so a "fresh CI runner" is just a new, empty state directory), buildx (for
# `buildx build --check` and `buildx bake` through its remote driver), a registry (Debian's
# docker-registry, for base images and the exported build cache) and runc (the builder's
# OCI worker runs RUN steps with it).
#   buildkit.sh install CACHE_DIR   prints the bin directory holding the three Go tools on the last line
# The Go tools are built once with `go install` through the Go module proxy (no prebuilt
# binary can be downloaded here) and kept in CACHE_DIR/bin; the pinned versions are checked
# with `go version -m`, so a stale binary is rebuilt.
# Exit 77 with a "SKIP:" line when this machine cannot (no Go, no root for apt, no mirror):
# the suite then reports its tests as skipped, never as passed (as engine.sh does).
set -euo pipefail
command=${1:?usage: buildkit.sh install CACHE_DIR}
cache=${2:?usage: buildkit.sh install CACHE_DIR}
[ "$command" = install ] || { echo "usage: buildkit.sh install CACHE_DIR" >&2; exit 2; }

BUILDKIT_VERSION=v0.18.2
BUILDX_VERSION=v0.19.3
bin="$cache/bin"
mkdir -p "$bin"

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Debian packages: the registry, and runc (it comes with docker.io, which engine.sh installs,
# but this script may run on a machine that has an engine from elsewhere).
missing=()
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v runc >/dev/null 2>&1 || missing+=(runc)
[ ${#missing[@]} -eq 0 ] || apt_install buildkit "$cache/buildkit-apt.log" "${missing[@]}"

command -v go >/dev/null 2>&1 || skip "no Go toolchain to build buildkitd, buildctl and buildx with"

# "MODULE VERSION" of a Go binary's main module, empty when it is missing or not a Go binary.
built_from() { go version -m "$1" 2>/dev/null | awk '$1 == "mod" { print $2, $3; exit }'; }

install_tool() { # MODULE VERSION PACKAGE...
  local module=$1 version=$2 package name stale=()
  shift 2
  for package in "$@"; do
    name=${package##*/}
    [ "$(built_from "$bin/$name")" = "$module $version" ] || stale+=("$package@$version")
  done
  [ ${#stale[@]} -gt 0 ] || return 0
  echo "buildkit: go install ${stale[*]} (a few minutes on 2 cores; kept in $bin)"
  local work started
  work=$(mktemp -d)
  started=$(date +%s)
  # From an empty folder, so no go.mod or go.work around it takes part.
  if ! (cd "$work" && GOBIN="$bin" GOWORK=off GOFLAGS="" go install "${stale[@]}") >"$cache/buildkit-go-install.log" 2>&1; then
    rm -rf "$work"
    tail -5 "$cache/buildkit-go-install.log" >&2
    skip "go install ${stale[*]} failed (Go module proxy unreachable?); see $cache/buildkit-go-install.log"
  fi
  rm -rf "$work"
  echo "buildkit: built ${stale[*]} in $(($(date +%s) - started)) s"
}

install_tool github.com/moby/buildkit "$BUILDKIT_VERSION" github.com/moby/buildkit/cmd/buildkitd github.com/moby/buildkit/cmd/buildctl
install_tool github.com/docker/buildx "$BUILDX_VERSION" github.com/docker/buildx/cmd/buildx

echo "buildkit: buildkitd/buildctl $BUILDKIT_VERSION, buildx $BUILDX_VERSION, $(docker-registry --version 2>/dev/null | head -1), runc $(runc --version | awk 'NR == 1 { print $3 }')"
echo "$bin"
