#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# uapi-abicheck.sh - prove that our include/uapi/linux/io_uring.h has the
# ABI of the Linux 6.1 header it replaces, and that userspace builds with it.
#
# Usage: scripts/uapi-abicheck.sh [--quick] [--no-selftest] [--kernel] [-v]
#
#   --quick        host target only, no cross targets, no self-test
#   --no-selftest  skip the mutation self-test of the checker
#   --kernel       also build the 6.1 kernel's own io_uring users (io_uring/,
#                  kernel/{exit,fork}.o, net/core/scm.o, drivers/nvme/host/)
#                  from $KSRC with our header swapped in (x86_64 defconfig;
#                  a few minutes; needs flex, bison, bc, libelf-dev,
#                  libssl-dev)
#   -v             print the compared layouts
#
# Environment:
#   NEW_HDR  header to check (default: linux/include/uapi/linux/io_uring.h)
#   KSRC     pristine 6.1 tree (default: /work/base/linux-source-6.1); used
#            for the reference header, checkpatch.pl, kernel-doc and the
#            headers_install / headers_check tools
#   REF_HDR  reference header (default: $KSRC/include/uapi/linux/io_uring.h,
#            else /usr/include/linux/io_uring.h if linux-libc-dev is 6.1)
#   CC       host compiler (default: gcc)
#
# Sections:
#   1. ABI identity, per target: scripts/uapi-abicheck.py compares macro,
#      enum and struct/union sets and shapes, then compiles a generated file
#      of _Static_asserts (values, types, sizes, alignments, offsets) that
#      sees both headers at once.  Targets: the host, i386 and x32 for the
#      real x86 asm headers, and, through clang, a set of other ABIs
#      (aarch64, arm EABI, arm APCS, ppc32/64 big-endian, s390x, riscv64,
#      mips, m68k) over the asm-generic uapi headers.
#   2. Self-test: mutated copies of the new header must all FAIL, the
#      reference against itself must PASS, and bitfields are exercised.
#   3. Userspace builds: C (gnu11, c99 -pedantic, c90 as in the kernel's
#      own header test), C++, liburing 2.3 built against our header and
#      a small io_uring program run on this machine's kernel.
#   4. Kernel tooling: headers_install.sh + headers_check.pl, kernel-doc,
#      checkpatch.pl --strict.
#   5. (--kernel) the 6.1 kernel code that includes the header, built
#      against ours: no warnings allowed.
#
# Ends with "N passed, N failed" and exits non-zero if anything failed.

set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
NEW=${NEW_HDR:-$top/linux/include/uapi/linux/io_uring.h}
KSRC=${KSRC:-/work/base/linux-source-6.1}
CC=${CC:-gcc}
GEN="python3 $here/uapi-abicheck.py"

quick=0
selftest=1
kernel=0
verbose=
for a in "$@"; do
	case $a in
	--quick) quick=1; selftest=0 ;;
	--no-selftest) selftest=0 ;;
	--kernel) kernel=1 ;;
	-v) verbose=-v ;;
	*) echo "unknown option $a" >&2; exit 2 ;;
	esac
done

npass=0
nfail=0
nskip=0
failed=()
pass() { npass=$((npass + 1)); echo "PASS: $*"; }
fail() { nfail=$((nfail + 1)); failed+=("$*"); echo "FAIL: $*"; }
skip() { nskip=$((nskip + 1)); echo "SKIP: $*"; }
section() { echo; echo "=== $* ==="; }

T=$(mktemp -d /tmp/uapi-abicheck.XXXXXX)
trap 'rm -rf "$T"' EXIT

# -- the reference
if [ -n "${REF_HDR:-}" ]; then
	REF=$REF_HDR
elif [ -f "$KSRC/include/uapi/linux/io_uring.h" ]; then
	REF=$KSRC/include/uapi/linux/io_uring.h
elif dpkg-query -W -f='${Version}' linux-libc-dev 2>/dev/null |
     grep -q '^6\.1\.'; then
	REF=/usr/include/linux/io_uring.h
else
	echo "no reference header: set KSRC or REF_HDR" >&2
	exit 2
fi
echo "reference: $REF"
echo "new:       $NEW"
[ -f "$NEW" ] || { echo "missing $NEW" >&2; exit 2; }
for tool in python3 clang "$CC"; do
	if ! command -v "$tool" >/dev/null; then
		echo "FAIL: $tool is required (Debian: apt-get install clang gcc python3)"
		echo "0 passed, 1 failed"
		exit 1
	fi
done

# Each include dir holds one linux/io_uring.h so that <linux/io_uring.h>
# resolves to the header under test while <linux/fs.h> etc. stay the system's.
mkdir -p "$T/new/linux" "$T/ref/linux"
ln -s "$NEW" "$T/new/linux/io_uring.h"
ln -s "$REF" "$T/ref/linux/io_uring.h"

# ======================================================================
section "1. ABI identity"

abicheck() {	# name, then uapi-abicheck.py options
	local name=$1; shift
	local out
	out=$($GEN $verbose "$@" "$REF" "$NEW" 2>&1)
	local rc=$?
	echo "--- $name"
	echo "$out"
	if [ $rc -eq 0 ]; then
		pass "ABI $name"
	else
		fail "ABI $name"
	fi
}

abicheck "host ($($CC -dumpmachine), run-time checks)" --cc "$CC"

if [ $quick -eq 0 ]; then
	x86inc=/usr/include/$($CC -dumpmachine)
	if $CC -m32 -isystem "$x86inc" -fsyntax-only -x c /dev/null 2>/dev/null; then
		abicheck "i386 ($CC -m32)" --cc "$CC" --no-run \
			--cflags "-m32 -isystem $x86inc"
	else
		skip "ABI i386: $CC -m32 does not work here"
	fi
	abicheck "x32 (clang)" --cc clang --no-run \
		--cflags "--target=x86_64-linux-gnux32 -isystem $x86inc"

	# Other architectures: the uapi asm/ headers of most of them are the
	# asm-generic ones, so point asm/ there.
	mkdir -p "$T/shim/asm"
	for f in /usr/include/asm-generic/*.h; do
		echo "#include <asm-generic/${f##*/}>" > "$T/shim/asm/${f##*/}"
	done
	res=$(clang -print-resource-dir)
	cross="-nostdinc -isystem $res/include -isystem $T/shim -isystem /usr/include"
	for t in aarch64-linux-gnu arm-linux-gnueabihf \
		 "arm-linux-gnu -mabi=apcs-gnu -mfloat-abi=soft" \
		 powerpc-linux-gnu powerpc64-linux-gnu s390x-linux-gnu \
		 riscv64-linux-gnu mips-linux-gnu m68k-linux-gnu; do
		if clang --target=$t $cross -fsyntax-only -x c /dev/null \
			2>/dev/null; then
			abicheck "--target=$t (clang)" --cc clang --no-run \
				--cflags "--target=$t $cross"
		else
			skip "ABI $t: clang cannot target it"
		fi
	done
fi

# ======================================================================
if [ $selftest -eq 1 ]; then
section "2. Self-test of the checker"

out=$($GEN "$REF" "$REF" 2>&1)
if [ $? -eq 0 ]; then
	pass "self-test: reference against itself passes"
else
	echo "$out"
	fail "self-test: reference against itself"
fi

# mutate DESCRIPTION PYTHON-REGEX REPLACEMENT [extra checker options]:
# the mutated header must make the checker fail.
mutate() {
	local desc=$1 re=$2 rep=$3; shift 3
	local m="$T/mut.h"
	python3 - "$NEW" "$m" "$re" "$rep" <<'EOF'
import re, sys
src, dst, pat, rep = sys.argv[1:]
text = open(src).read()
new, n = re.subn(pat, rep, text, count=1, flags=re.M)
open(dst, "w").write(new)
sys.exit(0 if n == 1 and new != text else 1)
EOF
	if [ $? -ne 0 ]; then
		fail "self-test: mutation '$desc' did not apply"
		return
	fi
	local out
	out=$($GEN "$@" "$REF" "$m" 2>&1)
	if [ $? -ne 0 ]; then
		pass "self-test: caught $desc: $(echo "$out" |
			grep -m1 'FAIL:' | sed 's/^ *FAIL: //' | cut -c1-90)"
	else
		echo "$out"
		fail "self-test: NOT caught: $desc"
	fi
}

mutate "changed macro value" \
	'^(#define IORING_SETUP_SQE128\s+)\(1U << 10\)' '\1(1U << 14)'
mutate "macro type int instead of unsigned" \
	'^(#define IORING_FSYNC_DATASYNC\s+)\(1U << 0\)' '\1(1 << 0)'
mutate "macro ULL turned into UL" \
	'^(#define IORING_OFF_SQES\s+)0x10000000ULL' '\g<1>0x10000000UL'
mutate "dropped macro" '^#define IORING_OFF_MMAP_MASK.*\n' ''
mutate "extra macro" '^(#define IORING_FEAT_LINKED_FILE.*\n)' \
	'\1#define IORING_FEAT_EXTRA (1U << 13)\n'
mutate "enum constant value" \
	'^(\tIORING_OP_SEND_ZC\s+= )47' '\g<1>50'
mutate "enum constant moved to another enum" \
	'^\tIO_WQ_UNBOUND,\n' ''
mutate "swapped members" \
	'^\t__u16\tbid;\n\t__u16\tresv;' '\t__u16\tresv;\n\t__u16\tbid;'
mutate "reordered union members (same offsets)" \
	'^\t\t__u64\toff;\n\t\t__u64\taddr2;' '\t\t__u64\taddr2;\n\t\t__u64\toff;'
mutate "renamed member" '\baddr_len;' 'addrlen;'
mutate "signedness of a member" '^(\t)__s32(\tres;)' '\1__u32\2'
mutate "__aligned_u64 -> __u64" \
	'^(\t)__aligned_u64( tags;\n\t__u32 nr;)' '\1__u64\2'
mutate "__aligned_u64 -> __u64 (i386 layout)" \
	'^(\t)__aligned_u64( tags;\n\t__u32 nr;)' '\1__u64\2' \
	--cflags "-m32 -isystem /usr/include/$($CC -dumpmachine)" --no-run
mutate "packed attribute dropped" \
	'^\t\} __attribute__\(\(packed\)\);' '\t};'
mutate "zero-length array made flexible" \
	'__u8\tcmd\[0\];' '__DECLARE_FLEX_ARRAY(__u8, cmd);'
mutate "struct turned into union" \
	'^struct io_uring_recvmsg_out \{' 'union io_uring_recvmsg_out {'
mutate "array length" '^(\t__u64\tresv)\[3\];' '\1[4];'
mutate "dropped struct" \
	'^struct io_uring_notification_slot \{\n.*\n.*\n\};\n' ''
mutate "bitfield instead of plain member" \
	'^(\t__u16\tbid);' '\1 : 16;'

# bitfields: identical ones pass (run-time check runs), different fail
cat > "$T/bf1.h" <<'EOF'
#ifndef BF_H
#define BF_H
struct bf { unsigned int a : 3; unsigned int b : 5; int c : 7; };
#endif
EOF
sed 's/b : 5/b : 6/' "$T/bf1.h" > "$T/bf2.h"
out=$($GEN "$T/bf1.h" "$T/bf1.h" 2>&1)
if [ $? -eq 0 ] && echo "$out" | grep -q '(3 bitfields)'; then
	pass "self-test: identical bitfields pass"
else
	echo "$out"; fail "self-test: identical bitfields"
fi
out=$($GEN "$T/bf1.h" "$T/bf2.h" 2>&1)
if [ $? -ne 0 ] && echo "$out" | grep -q 'FAIL: bitfield struct bf.b'; then
	pass "self-test: bitfield width change caught at run time too"
else
	echo "$out"; fail "self-test: bitfield width change"
fi
fi

# ======================================================================
section "3. Userspace builds"

# compile NAME FLAGS... : stdin is the source; output kept in $T/cc.out
compile() {
	local lang=$1; shift
	"$@" -x "$lang" - -o /dev/null > "$T/cc.out" 2>&1
}

base_src='#include <sys/uio.h>
#include <linux/fs.h>
#include <linux/io_uring.h>
int main(void)
{
	struct io_uring_sqe sqe = { .opcode = IORING_OP_READV };
	struct io_uring_params p = { .flags = IORING_SETUP_SQPOLL };

	return sqe.opcode + (int)p.flags + (int)sizeof(struct io_uring_cqe);
}'

if echo "$base_src" | compile c $CC -I"$T/new" -Wall -Wextra -Werror \
	-std=gnu11 -fsyntax-only; then
	pass "gcc -std=gnu11 -Wall -Wextra -Werror"
else
	cat "$T/cc.out"; fail "gcc -std=gnu11 -Wall -Wextra -Werror"
fi
if echo "$base_src" | compile c clang -I"$T/new" -Wall -Wextra -Werror \
	-std=gnu11 -fsyntax-only; then
	pass "clang -std=gnu11 -Wall -Wextra -Werror"
else
	cat "$T/cc.out"; fail "clang -std=gnu11 -Wall -Wextra -Werror"
fi

# -std=c99 -pedantic: the 6.1 header itself is not pedantic-clean
# (anonymous structs/unions, a zero-length array), so ours must produce no
# diagnostic that the reference does not produce as well.
pedantic() {	# dir -> sorted diagnostic kinds, locations dropped
	echo "$base_src" | compile c $CC -I"$1" -std=c99 -pedantic -Wall \
		-Wextra -fsyntax-only
	grep -E 'warning:|error:' "$T/cc.out" |
		sed -E 's/^[^:]*:[0-9]+:[0-9]+: //' | sort
}
pedantic "$T/ref" > "$T/ped.ref"
pedantic "$T/new" > "$T/ped.new"
if [ -z "$(comm -13 "$T/ped.ref" "$T/ped.new")" ]; then
	pass "gcc -std=c99 -pedantic: $(wc -l < "$T/ped.new") diagnostics, same as 6.1's $(wc -l < "$T/ped.ref") ($(sort -u "$T/ped.ref" | sed 's/ \[-W.*//' | paste -sd';'))"
else
	comm -13 "$T/ped.ref" "$T/ped.new"
	fail "gcc -std=c99 -pedantic: new diagnostics"
fi

# The kernel's own uapi header test (usr/include/Makefile): C90, header
# included twice.
if $CC -std=c90 -Wall -Werror=implicit-function-declaration -Werror \
	-I"$T/new" -fsyntax-only -x c /dev/null \
	-include "$T/new/linux/io_uring.h" \
	-include "$T/new/linux/io_uring.h" > "$T/cc.out" 2>&1; then
	pass "kernel hdrtest flags (-std=c90, included twice)"
else
	cat "$T/cc.out"; fail "kernel hdrtest flags"
fi

# C++: extern "C", designated members, sizeof
cxx_src='#include <linux/io_uring.h>
static_assert(sizeof(io_uring_sqe) == 64, "sqe");
static_assert(sizeof(io_uring_cqe) == 16, "cqe");
int main() { io_uring_op op = IORING_OP_NOP; return op; }'
if command -v g++ >/dev/null; then
	echo "$cxx_src" | compile c++ g++ -I"$T/ref" -std=gnu++17 -Wall \
		-Wextra -fsyntax-only
	grep -c 'warning:' "$T/cc.out" > "$T/cxx.ref"
	if echo "$cxx_src" | compile c++ g++ -I"$T/new" -std=gnu++17 -Wall \
		-Wextra -fsyntax-only; then
		if [ "$(grep -c 'warning:' "$T/cc.out")" -le "$(cat "$T/cxx.ref")" ]; then
			pass "g++ -std=gnu++17 -Wall -Wextra"
		else
			cat "$T/cc.out"; fail "g++: more warnings than with 6.1"
		fi
	else
		cat "$T/cc.out"; fail "g++ -std=gnu++17"
	fi
else
	skip "g++ not installed"
fi

# liburing 2.3 ships its own copy of this header under the same include
# guard (LINUX_IO_URING_H).  Including ours first makes every inline helper
# of <liburing.h> compile against our definitions instead.
if [ -f /usr/include/liburing.h ]; then
	cat > "$T/uring.c" <<'EOF'
#include <linux/io_uring.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring_probe *probe;
	char buf[16] = "";
	int fds[2], ret;

	memset(&p, 0, sizeof(p));
	ret = io_uring_queue_init_params(8, &ring, &p);
	if (ret < 0) {
		printf("io_uring_setup: %s\n", strerror(-ret));
		return 77;
	}
	if (!(p.features & IORING_FEAT_SINGLE_MMAP) ||
	    ring.sq.ring_sz == 0 || p.sq_off.array == 0) {
		printf("unexpected params\n");
		return 1;
	}
	probe = io_uring_get_probe_ring(&ring);
	if (!probe || !io_uring_opcode_supported(probe, IORING_OP_READ)) {
		printf("probe failed\n");
		return 1;
	}
	io_uring_free_probe(probe);

	if (pipe(fds) || write(fds[1], "uring", 5) != 5)
		return 1;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	sqe->flags |= IOSQE_IO_LINK;
	io_uring_sqe_set_data64(sqe, 1);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fds[0], buf, sizeof(buf), -1);
	io_uring_sqe_set_data64(sqe, 2);
	if (io_uring_submit_and_wait(&ring, 2) != 2)
		return 1;
	for (int i = 1; i <= 2; i++) {
		if (io_uring_wait_cqe(&ring, &cqe))
			return 1;
		if (cqe->user_data != (__u64)i ||
		    cqe->res != (i == 1 ? 0 : 5)) {
			printf("cqe %d: user_data %llu res %d\n", i,
			       (unsigned long long)cqe->user_data, cqe->res);
			return 1;
		}
		io_uring_cqe_seen(&ring, cqe);
	}
	if (memcmp(buf, "uring", 5))
		return 1;
	io_uring_queue_exit(&ring);
	printf("nop + linked read through liburing: ok\n");
	return 0;
}
EOF
	if $CC -I"$T/new" -Wall -Wextra -Werror -std=gnu11 -E "$T/uring.c" \
		> "$T/uring.i" 2> "$T/cc.out" &&
	   $CC -I"$T/new" -Wall -Wextra -Werror -std=gnu11 "$T/uring.c" \
		-o "$T/uring" -luring >> "$T/cc.out" 2>&1; then
		# which file did struct io_uring_sqe come from?
		from=$(awk '/^# [0-9]+ "/ { f = $3 }
			    /^struct io_uring_sqe \{/ { print f; exit }' "$T/uring.i")
		if [ "$from" = "\"$T/new/linux/io_uring.h\"" ]; then
			pass "liburing 2.3 <liburing.h> builds against our header (-Wall -Wextra -Werror)"
		else
			fail "liburing test used $from, not our header"
		fi
		out=$("$T/uring" 2>&1)
		case $? in
		0) pass "liburing program runs on this kernel: $out" ;;
		77) skip "liburing program: no io_uring on this kernel ($out)" ;;
		*) echo "$out"; fail "liburing program run" ;;
		esac
	else
		cat "$T/cc.out"; fail "liburing 2.3 build against our header"
	fi
else
	skip "liburing 2.3 headers not installed (apt-get install liburing-dev)"
fi

# ======================================================================
section "4. Kernel tooling"

if [ -f "$KSRC/scripts/headers_install.sh" ] &&
   $CC -O2 -o "$T/unifdef" "$KSRC/scripts/unifdef.c" 2>/dev/null; then
	sed "s@scripts/unifdef@$T/unifdef@" "$KSRC/scripts/headers_install.sh" \
		> "$T/headers_install.sh"
	mkdir -p "$T/inst/linux"
	if sh "$T/headers_install.sh" "$NEW" "$T/inst/linux/io_uring.h" \
		> "$T/cc.out" 2>&1 &&
	   perl "$KSRC/usr/include/headers_check.pl" /usr/include x86 \
		"$T/inst/linux/io_uring.h" >> "$T/cc.out" 2>&1 &&
	   [ ! -s "$T/cc.out" ]; then
		# nothing in a uapi header of ours should need rewriting
		if cmp -s "$NEW" "$T/inst/linux/io_uring.h"; then
			pass "headers_install.sh + headers_check.pl (installed copy is identical)"
		else
			diff "$NEW" "$T/inst/linux/io_uring.h"
			fail "headers_install.sh rewrote the header"
		fi
	else
		cat "$T/cc.out"; fail "headers_install.sh / headers_check.pl"
	fi
else
	skip "headers_install.sh: no kernel tree at $KSRC"
fi

if [ -x "$KSRC/scripts/kernel-doc" ] || [ -f "$KSRC/scripts/kernel-doc" ]; then
	perl "$KSRC/scripts/kernel-doc" -none "$NEW" > "$T/cc.out" 2>&1
	if [ ! -s "$T/cc.out" ]; then
		pass "kernel-doc -none: no warnings"
	else
		cat "$T/cc.out"; fail "kernel-doc warnings"
	fi
else
	skip "kernel-doc: no kernel tree at $KSRC"
fi

# checkpatch's "Prefer using the BIT macro" cannot be followed here: BIT()
# is kernel-internal, and the uapi _BITUL() is 1UL << n, which would turn
# the ABI's unsigned int flag constants into unsigned long ones.
if [ -f "$KSRC/scripts/checkpatch.pl" ]; then
	perl "$KSRC/scripts/checkpatch.pl" --strict --no-tree --no-summary \
		--terse -f "$NEW" > "$T/cc.out" 2>&1
	nbit=$(grep -c 'CHECK: Prefer using the BIT macro' "$T/cc.out")
	if ! grep -v 'CHECK: Prefer using the BIT macro' "$T/cc.out" |
	     grep -q .; then
		pass "checkpatch.pl --strict: clean but for $nbit ABI-forced 'Prefer using the BIT macro' checks"
	else
		grep -v 'CHECK: Prefer using the BIT macro' "$T/cc.out"
		fail "checkpatch.pl --strict"
	fi
else
	skip "checkpatch.pl: no kernel tree at $KSRC"
fi

# ======================================================================
if [ $kernel -eq 1 ]; then
section "5. Kernel build against our header"
if [ -f "$KSRC/Makefile" ]; then
	# a symlink copy of the read-only tree with only our header swapped
	cp -as "$(cd "$KSRC" && pwd)" "$T/ktree"
	rm "$T/ktree/include/uapi/linux/io_uring.h"
	ln -s "$NEW" "$T/ktree/include/uapi/linux/io_uring.h"
	kmake() { make -C "$T/ktree" O="$T/kbuild" "$@"; }
	if kmake defconfig > "$T/kbuild.log" 2>&1 &&
	   "$T/ktree/scripts/config" --file "$T/kbuild/.config" \
		-e IO_URING -e NVME_CORE -e BLK_DEV_NVME &&
	   kmake olddefconfig >> "$T/kbuild.log" 2>&1 &&
	   kmake -j"$(nproc)" io_uring/ kernel/exit.o kernel/fork.o \
		net/core/scm.o drivers/nvme/host/ >> "$T/kbuild.log" 2>&1; then
		if grep -E 'warning:|error:' "$T/kbuild.log" |
		   grep -v '^.*tools/' | grep -q .; then
			grep -E 'warning:|error:' "$T/kbuild.log"
			fail "kernel build: warnings"
		else
			pass "kernel build: $(grep -cE '^ +CC +(io_uring|kernel|net|drivers)/' "$T/kbuild.log") objects of 6.1's io_uring users compile cleanly against our header"
		fi
	else
		tail -30 "$T/kbuild.log"
		fail "kernel build"
	fi
else
	skip "kernel build: no kernel tree at $KSRC"
fi
fi

# ======================================================================
echo
if [ $nfail -ne 0 ]; then
	printf 'failed: %s\n' "${failed[@]}"
fi
echo "RESULT: $([ $nfail -eq 0 ] && echo PASS || echo FAIL)"
echo "$npass passed, $nfail failed, $nskip skipped"
[ $nfail -eq 0 ]
