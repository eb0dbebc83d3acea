#!/usr/bin/env bash
# Builds local stand-ins for the base images generated Dockerfiles name, since no registry is
# reachable: golang at this machine's Go version, distroless static and base (nonroot),
# alpine, debian slim. Stand-ins are tagged with the real names and labelled
# create-go-docker.standin; an image already carrying this recipe's label is kept.
#   standins.sh CACHE_DIR DOCKER_CLIENT
# The slow part, debootstrap, is cached as tarballs in CACHE_DIR between runs.
# Exit 77 with a "SKIP:" line when the Debian mirror cannot be reached.
set -euo pipefail
shopt -s inherit_errexit # a failure inside $(...) stops the script too
cache=${1:?usage: standins.sh CACHE_DIR DOCKER_CLIENT}
docker=${2:?usage: standins.sh CACHE_DIR DOCKER_CLIENT}
recipe=5
mkdir -p "$cache"
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

goroot=$(go env GOROOT)
go_version=$(go env GOVERSION)          # go1.26.8
go_version=${go_version#go}
go_minor=$(echo "$go_version" | cut -d. -f1,2)
alpine_version=3.23
suite=bookworm

have() { [ "$("$docker" image inspect --format '{{index .Config.Labels "create-go-docker.standin"}}' "$1" 2>/dev/null)" = "$recipe" ]; }

need_packages() {
  local missing=()
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  [ -x /bin/busybox ] || missing+=(busybox-static)
  [ -d /usr/share/zoneinfo/Europe ] || missing+=(tzdata)   # distroless ships time zones
  [ ${#missing[@]} -eq 0 ] || apt_install stand-ins "$cache/apt.log" "${missing[@]}"
}

# debootstrap once per package set; the tarball is the cache.
rootfs_tarball() { # NAME INCLUDE
  local tarball="$cache/$1.tar" dir
  if [ ! -s "$tarball" ]; then
    need_packages
    dir=$(mktemp -d)
    echo "stand-ins: debootstrap $suite minbase for $1 (cached in $tarball afterwards)" >&2
    if ! debootstrap --variant=minbase ${2:+--include=$2} "$suite" "$dir" http://deb.debian.org/debian >"$cache/$1.debootstrap.log" 2>&1; then
      rm -rf "$dir"
      tail -5 "$cache/$1.debootstrap.log" >&2
      skip "debootstrap of $suite failed (Debian mirror unreachable?); see $cache/$1.debootstrap.log"
    fi
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
    tar -C "$dir" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$dir"
  fi
  echo "$tarball"
}

import() { # DIR NAME [--change ...]
  local dir=$1 name=$2
  shift 2
  tar -C "$dir" -c . | "$docker" import --change "LABEL create-go-docker.standin=$recipe" "$@" - "$name" >/dev/null
  echo "stand-ins: built $name"
}

tag() { "$docker" tag "$1" "$2"; echo "stand-ins: tagged $2"; }

nonroot_files() { # DIR: passwd, group, CA bundle, time zones, /tmp, home: what distroless static has
  mkdir -p "$1/etc/ssl/certs" "$1/tmp" "$1/home/nonroot" "$1/root" "$1/usr/share"
  chmod 1777 "$1/tmp"
  cp -a /usr/share/zoneinfo "$1/usr/share/"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$1/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' >"$1/etc/group"
  cp /etc/ssl/certs/ca-certificates.crt "$1/etc/ssl/certs/"
  echo 'hosts: files dns' >"$1/etc/nsswitch.conf"
  chown 65532:65532 "$1/home/nonroot"
}

golang_base="golang:$go_version-$suite"
# musl-tools: only for the Alpine builder stand-in below (cgo against musl, as on Alpine).
golang_rootfs=golang-rootfs-v2
golang_packages=ca-certificates,git,openssh-client,gcc,libc6-dev,musl-tools
# The golang images' layout: the Debian rootfs, this machine's Go in /usr/local/go, GOPATH /go.
go_rootfs() { # prints a new folder holding it
  local tarball dir
  tarball=$(rootfs_tarball "$golang_rootfs" "$golang_packages")
  dir=$(mktemp -d)
  tar -C "$dir" -xf "$tarball"
  mkdir -p "$dir/usr/local/bin" "$dir/go"
  cp -rL "$goroot" "$dir/usr/local/go"   # -L: some Go installs are symlink trees
  echo "$dir"
}
import_go() { # DIR NAME: with the golang images' environment
  import "$1" "$2" \
    --change 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV GOPATH=/go' --change 'ENV GOTOOLCHAIN=local' --change "ENV GOLANG_VERSION=$go_version" \
    --change 'WORKDIR /go'
  rm -rf "$1"
}

if ! have "$golang_base"; then
  # golang:*-bookworm is buildpack-deps:bookworm-scm plus Go: git, ssh, curl-less TLS, gcc.
  dir=$(go_rootfs)
  import_go "$dir" "$golang_base"
fi
for name in "golang:$go_minor-$suite" "golang:$go_version" "golang:$go_minor"; do
  have "$name" || tag "$golang_base" "$name"
done

if ! have "debian:$suite-slim"; then
  tarball=$(rootfs_tarball debian-rootfs "")
  dir=$(mktemp -d)
  tar -C "$dir" -xf "$tarball"
  import "$dir" "debian:$suite-slim" --change 'CMD ["bash"]'
  rm -rf "$dir"
fi

static=gcr.io/distroless/static-debian12:nonroot
if ! have "$static"; then
  dir=$(mktemp -d)
  nonroot_files "$dir"
  import "$dir" "$static" --change 'USER 65532' --change 'WORKDIR /home/nonroot'
  rm -rf "$dir"
fi

base=gcr.io/distroless/base-debian12:nonroot
if ! have "$base"; then
  # static + glibc, taken from the debian rootfs (the same libc the golang stand-in links to).
  tarball=$(rootfs_tarball debian-rootfs "")
  debian=$(mktemp -d)
  tar -C "$debian" -xf "$tarball"
  dir=$(mktemp -d)
  nonroot_files "$dir"
  mkdir -p "$dir/usr/lib/x86_64-linux-gnu" "$dir/lib64"
  cp -a "$debian"/usr/lib/x86_64-linux-gnu/{libc.so.6,libm.so.6,libpthread.so.0,libdl.so.2,librt.so.1,libresolv.so.2,ld-linux-x86-64.so.2} "$dir/usr/lib/x86_64-linux-gnu/"
  cp -a "$debian"/usr/lib/x86_64-linux-gnu/libnss_*.so.2 "$dir/usr/lib/x86_64-linux-gnu/" 2>/dev/null || true
  ln -s ../usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$dir/lib64/ld-linux-x86-64.so.2"
  ln -s usr/lib "$dir/lib"
  import "$dir" "$base" --change 'USER 65532' --change 'WORKDIR /home/nonroot'
  rm -rf "$dir" "$debian"
fi

# golang:*-alpine: what a cgo build on Alpine needs is gcc targeting musl, and `apk add` of
# gcc and musl-dev. Stand-in: the Debian rootfs with musl-gcc as gcc, and an apk that
# "installs" only what is already there (the real apk needs the Alpine mirror).
golang_alpine="golang:$go_version-alpine$alpine_version"
if ! have "$golang_alpine"; then
  dir=$(go_rootfs)
  mkdir -p "$dir/etc/apk"
  for compiler in gcc cc; do
    printf '#!/bin/sh\n# create-go-docker stand-in: gcc targeting musl, as on Alpine.\nexec musl-gcc "$@"\n' >"$dir/usr/local/bin/$compiler"
    chmod 755 "$dir/usr/local/bin/$compiler"
  done
  cat >"$dir/usr/local/bin/apk" <<'APK'
#!/bin/sh
# create-go-docker stand-in for apk: the Alpine mirror is unreachable offline, so `apk add`
# succeeds only for packages this image already provides, and fails loudly for any other.
provided=" gcc musl-dev git openssh-client ca-certificates "
[ "$1" = add ] || { echo "apk stand-in: only 'apk add' is supported" >&2; exit 1; }
shift
for package in "$@"; do
  case "$package" in -*) continue ;; esac
  case "$provided" in *" $package "*) echo "apk stand-in: $package is preinstalled" ;; *) echo "apk stand-in: cannot install $package offline" >&2; exit 1 ;; esac
done
APK
  chmod 755 "$dir/usr/local/bin/apk"
  printf 'https://dl-cdn.alpinelinux.org/alpine/v%s/main\nhttps://dl-cdn.alpinelinux.org/alpine/v%s/community\n' "$alpine_version" "$alpine_version" >"$dir/etc/apk/repositories"
  echo "$alpine_version.0" >"$dir/etc/alpine-release"
  import_go "$dir" "$golang_alpine"
fi
have "golang:$go_minor-alpine$alpine_version" || tag "$golang_alpine" "golang:$go_minor-alpine$alpine_version"

if ! have "alpine:$alpine_version"; then
  # busybox instead of musl userland: enough for the shell steps generated Alpine stages run
  # (they add the user by appending to /etc/passwd, never with apk or adduser).
  need_packages
  dir=$(mktemp -d)
  mkdir -p "$dir/bin" "$dir/sbin" "$dir/usr/bin" "$dir/usr/sbin" "$dir/etc/ssl/certs" "$dir/tmp" "$dir/root" "$dir/home"
  chmod 1777 "$dir/tmp"
  cp /bin/busybox "$dir/bin/busybox"
  chroot "$dir" /bin/busybox --install -s
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$dir/etc/passwd"
  printf 'root:x:0:root\n' >"$dir/etc/group"
  cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/"
  # musl's dynamic loader (which is also its libc), so cgo binaries linked against musl run.
  musl=$(mktemp -d)
  tar -C "$musl" -xf "$(rootfs_tarball "$golang_rootfs" "$golang_packages")" ./usr/lib/x86_64-linux-musl/libc.so
  mkdir -p "$dir/lib"
  cp "$musl/usr/lib/x86_64-linux-musl/libc.so" "$dir/lib/ld-musl-x86_64.so.1"
  ln -s ld-musl-x86_64.so.1 "$dir/lib/libc.musl-x86_64.so.1"
  rm -rf "$musl"
  echo "$alpine_version.0" >"$dir/etc/alpine-release"
  printf 'NAME="Alpine Linux (create-go-docker stand-in)"\nID=alpine\nVERSION_ID=%s.0\n' "$alpine_version" >"$dir/etc/os-release"
  import "$dir" "alpine:$alpine_version" --change 'CMD ["/bin/sh"]'
  rm -rf "$dir"
fi

echo "stand-ins (local images with real names, NOT the upstream images): $golang_base golang:$go_minor-$suite $golang_alpine debian:$suite-slim $static $base alpine:$alpine_version"
