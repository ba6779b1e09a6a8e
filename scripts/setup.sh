#!/bin/bash
# Install what the harness needs from Debian's packages (run as root on Debian 12).
# Cheap when everything is already there: apt is only consulted for what is missing.
set -euo pipefail

pkgs="linux-source-6.1 build-essential bc bison flex libelf-dev libssl-dev ccache cpio kmod
      dpkg-dev qemu-system-x86 e2fsprogs iproute2 procps fio liburing-dev libaio-dev sparse
      git ca-certificates xz-utils gawk gnuplot-nox"

missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done

# liburing's test suite is built from Debian's source package: that needs a deb-src entry.
if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "setup: adding a deb-src entry for bookworm"
	cat > /etc/apt/sources.list.d/iou-deb-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	need_update=1
fi

if [ -n "$missing" ] || [ -n "${need_update:-}" ]; then
	echo "setup: installing:${missing:- (none)}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	[ -z "$missing" ] || apt-get install -y -q --no-install-recommends $missing
fi
git config --global user.name >/dev/null 2>&1 || git config --global user.name "io_uring harness"
git config --global user.email >/dev/null 2>&1 || git config --global user.email "io-uring@example.org"
echo "setup: packages ok"
