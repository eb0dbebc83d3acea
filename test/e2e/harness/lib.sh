# shellcheck shell=bash
# Shared by the harness scripts (sourced): skip, and installing missing Debian packages.

# SKIP: the suite reports its tests as skipped with this reason, never as passed.
skip() { echo "SKIP: $*" >&2; exit 77; }

# apt_install LABEL LOG PACKAGE...: installs the packages from Debian (root only), or skips.
apt_install() {
  local label=$1 log=$2
  shift 2
  [ "$(id -u)" = 0 ] || skip "missing $*, and installing them needs root"
  echo "$label: installing from Debian: $*"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"; } >"$log" 2>&1; then
    tail -5 "$log" >&2
    skip "could not install $* from the Debian mirror (see $log)"
  fi
}
