#!/bin/bash
# Build what runs in the guest: liburing 2.3's test suite (Debian's source package),
# our tools/io_uring programs and our selftests (from the kernel tree, against its headers).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
b=$top/build
mkdir -p "$b"

lu=$b/liburing-2.3
if [ ! -f "$lu/test/.built" ]; then
	echo "userspace: fetching and building liburing 2.3 from Debian's source package"
	rm -rf "$b/liburing-src" "$lu"
	mkdir -p "$b/liburing-src"
	(cd "$b/liburing-src" && apt-get source -q liburing=2.3-3 >/dev/null)
	mv "$b/liburing-src/liburing-2.3" "$lu"
	(cd "$lu" && ./configure >/dev/null && make -s -j"$(nproc)" -C src >/dev/null &&
	 make -s -j"$(nproc)" -C test >/dev/null)
	touch "$lu/test/.built"
fi

tree=$b/linux
echo "userspace: building tools/io_uring and selftests/io_uring"
if [ -f "$tree/tools/io_uring/Makefile" ]; then
	make -s -C "$tree/tools/io_uring"
fi
if [ -f "$tree/tools/testing/selftests/io_uring/Makefile" ]; then
	make -s -C "$tree/tools/testing/selftests/io_uring" KHDR_INCLUDES="-isystem $tree/usr/include"
fi
