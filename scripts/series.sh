#!/bin/bash
# Export the series as mail-ready patches, and check it.
#
#   scripts/series.sh
#
# Builds the kernel of the series' end (scripts/kbuild.sh ours: the tree
# and the bzImage the test command uses), then writes removed..series
# with a cover letter to build/series/ and checks that
#   - each patch is checkpatch.pl --strict clean (build/series/checkpatch.txt;
#     before the MAINTAINERS patch, new files are not reported as missing
#     from MAINTAINERS);
#   - git am of the patches onto the removal commit gives, commit by
#     commit, the trees of the series, and in the end the tree the test
#     command builds (build/linux), byte for byte;
#   - each patch builds without a warning, in the worktree
#     build/series-check with build/linux's .config: fs/io_uring.o once
#     it exists, the uapi headers when it touches them, tools/io_uring and
#     the selftests when it touches those.  The bzImage of the last one is
#     the one kbuild.sh built.
# The log of the builds is build/series/build.txt.  The removal commit is
# not exported (it deletes the whole base io_uring); the cover letter
# names it and the base it applies to.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO=$ROOT/build/linux
CHECK=$ROOT/build/series-check
OUT=$ROOT/build/series
RESULTS=$ROOT/build/results
BENCH=$ROOT/bench/RESULTS.md

say() { echo "series.sh: $*"; }
die() { echo "series.sh: error: $*" >&2; exit 1; }
t0=$SECONDS

rm -rf "$OUT"
mkdir -p "$OUT"
say "building the series' end (log: $OUT/kbuild.txt)"
"$ROOT/scripts/kbuild.sh" ours >"$OUT/kbuild.txt" 2>&1 ||
	die "scripts/kbuild.sh ours failed, see $OUT/kbuild.txt"

g() { git -C "$REPO" "$@"; }
base=$(g rev-parse base)
removed=$(g rev-parse removed)
n=$(g rev-list --count removed..series)
version=$(make -s -C "$REPO" kernelversion)
pkg=$(dpkg-query -W -f '${Version}' linux-source-6.1 2>/dev/null || echo unknown)

say "format-patch removed..series ($n patches) into $OUT"
g format-patch -q --cover-letter --base="$removed" -o "$OUT" removed..series
cover=$OUT/0000-cover-letter.patch
patches=()
for p in "$OUT"/[0-9]*.patch; do
	[ "$p" = "$cover" ] || patches+=("$p")
done

# --- the cover letter ----------------------------------------------------
blurb=$(mktemp)
trap 'rm -f "$blurb"' EXIT
{
	cat <<-EOF
	This series adds a new implementation of io_uring to Linux $version
	(Debian linux-source-6.1 $pkg), written from scratch: the ring ABI
	that liburing expects, then the core in fs/io_uring.c with the x86
	system calls and the Kconfig option, then one patch per capability
	in the order they build on each other, and last example programs,
	selftests, documentation and a MAINTAINERS entry.  Each patch
	builds, and the io_uring of each is complete as far as it goes:
	what it does not do yet it refuses with -EINVAL.

	It applies on top of

	  $(g log -1 --format='%h ("%s")' "$removed")

	which takes the io_uring the base came with out of

	  $(g log -1 --format='%h ("%s")' "$base")

	$(g diff --shortstat "$base" "$removed" | sed 's/^ *//').
	That removal is not posted here because of its size; scripts/tree.sh
	in the project recreates both commits from the Debian tarball.

	How to test: with the series applied, build with CONFIG_IO_URING=y
	and run the selftests,

	  make headers
	  make -C tools/testing/selftests TARGETS=io_uring run_tests

	or liburing's own tests.  The project's "./harness test" does all of
	it in a QEMU guest (selftests, liburing 2.3's tests, fio jobs with
	verify), and "KERNEL=upstream ./harness test" the same on the base
	kernel with its own io_uring, for reference.

	EOF
	if [ -f "$RESULTS/summary.txt" ]; then
		echo "The latest results of ./harness test (build/results/summary.txt,"
		echo "$(date -u -r "$RESULTS/summary.txt" '+%Y-%m-%d %H:%M UTC')):"
		echo
		sed 's/^/  /' "$RESULTS/summary.txt"
		echo
	fi
	if [ -f "$BENCH" ]; then
		echo "Ours against the reference, the primary table of bench/RESULTS.md"
		echo "(./harness bench: instructions counted under TCG with -icount, one"
		echo "vCPU, so only the ratio means something):"
		echo
		awk '/^\| workload/ { on = 1 } on && !/^\|/ { exit } on' "$BENCH" |
			sed 's/^/  /'
		echo
	fi
} >"$blurb"

awk -v blurb="$blurb" -v subj="io_uring: a new implementation for Linux $version" '
	/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subj) }
	/^\*\*\* BLURB HERE \*\*\*$/ {
		while ((getline l < blurb) > 0) print l
		next
	}
	{ print }' "$cover" >"$cover.new"
mv "$cover.new" "$cover"

# --- checkpatch ----------------------------------------------------------
say "checkpatch.pl --strict"
fail=0
: >"$OUT/checkpatch.txt"
# "does MAINTAINERS need updating?" is answered by a later patch of the series
maint=$(grep -l '^+++ b/MAINTAINERS$' "${patches[@]}" | tail -n 1 || true)
ignore=(--ignore FILE_PATH_CHANGES)
for p in "${patches[@]}"; do
	[ "$p" != "$maint" ] || ignore=()
	out=$(cd "$REPO" && scripts/checkpatch.pl --strict --showfile "${ignore[@]}" "$p" 2>&1 || true)
	{ echo "=== ${p##*/}"; echo "$out"; echo; } >>"$OUT/checkpatch.txt"
	total=$(echo "$out" | grep -E '^total: [0-9]+ errors' | tail -n 1)
	printf '  %-60s %s\n' "${p##*/}" "${total:-checkpatch gave no total}"
	case $total in "total: 0 errors, 0 warnings, 0 checks"*) ;; *) fail=1 ;; esac
done
[ $fail = 0 ] || say "FAILED: checkpatch is not clean (details: $OUT/checkpatch.txt)"

# --- git am reproduces the series and the tested tree ------------------------
say "git am onto removed, in $CHECK"
if [ ! -e "$CHECK/.git" ]; then
	g worktree prune
	g worktree add -q -f --detach "$CHECK" "$removed"
fi
c() { git -C "$CHECK" "$@"; }
c am --abort >/dev/null 2>&1 || true
c checkout -q -f --detach "$removed"
c am -q "${patches[@]}" || die "git am of $OUT onto removed failed"
mapfile -t amd < <(c rev-list --reverse "$removed..HEAD")
mapfile -t ours < <(g rev-list --reverse removed..series)
for i in "${!ours[@]}"; do
	[ "$(c rev-parse "${amd[$i]}^{tree}")" = "$(g rev-parse "${ours[$i]}^{tree}")" ] || {
		say "FAILED: patch $((i + 1)) applied gives another tree than the series"
		fail=1
	}
done
if [ "$(c rev-parse HEAD^{tree})" = "$(g rev-parse HEAD^{tree})" ] &&
	[ -z "$(g status --porcelain --untracked-files=no)" ]; then
	say "the patches applied give the tree the test command builds ($REPO)"
else
	say "FAILED: the patches applied differ from $REPO"
	fail=1
fi

# --- each patch builds ---------------------------------------------------
export KBUILD_BUILD_TIMESTAMP="Wed Jan  1 00:00:00 UTC 2025"
export KBUILD_BUILD_USER=io_uring KBUILD_BUILD_HOST=build KBUILD_BUILD_VERSION=1
export LC_ALL=C CCACHE_BASEDIR=$CHECK CCACHE_NOHASHDIR=1
MAKE=(make -s -C "$CHECK" ARCH=x86_64 CC="ccache gcc" -j"$(nproc)")
log=$OUT/build.txt
: >"$log"

# build_step WHAT CMD...: run a build, its output to the log; fail on a
# warning as on an error.
build_step() {
	local what=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	{ echo "--- $what (exit $rc)"; [ -z "$out" ] || echo "$out"; } >>"$log"
	if [ $rc != 0 ] || echo "$out" | grep -q 'warning:'; then
		echo "FAILED $what"
		return 1
	fi
	echo "$what"
}

say "building each patch (log: $log)"
for i in "${!amd[@]}"; do
	rev=${amd[$i]} did=()
	{ echo; echo "=== $((i + 1)) $(c log -1 --format=%s "$rev")"; } >>"$log"
	c checkout -q -f --detach "$rev"
	files=$(c diff --name-only "$rev^" "$rev")
	cp "$REPO/.config" "$CHECK/.config"
	build_step olddefconfig "${MAKE[@]}" olddefconfig >/dev/null || fail=1
	if grep -q '^include/uapi/' <<<"$files"; then
		did+=("$(build_step headers "${MAKE[@]}" headers)") || fail=1
	fi
	if [ -f "$CHECK/fs/io_uring.c" ]; then
		did+=("$(build_step fs/io_uring.o "${MAKE[@]}" fs/io_uring.o)") || fail=1
	fi
	if grep -q '^tools/io_uring/' <<<"$files"; then
		did+=("$(build_step tools/io_uring make -s -C "$CHECK/tools/io_uring")") || fail=1
		make -s -C "$CHECK/tools/io_uring" clean
	fi
	if grep -q '^tools/testing/selftests/io_uring/' <<<"$files"; then
		sout=$(mktemp -d)
		build_step headers "${MAKE[@]}" headers >/dev/null || fail=1
		did+=("$(build_step selftests make -s -C "$CHECK/tools/testing/selftests/io_uring" \
			OUTPUT="$sout" KHDR_INCLUDES="-isystem $CHECK/usr/include")") || fail=1
		rm -rf "$sout"
	fi
	[ $((i + 1)) != ${#amd[@]} ] || did+=("bzImage (kbuild.sh)")
	lines=$(c diff --numstat "$rev^" "$rev" | awk '{ n += $1 + $2 } END { print n + 0 }')
	printf '  %-60s %6s lines  %s\n' "${patches[$i]##*/}" "$lines" "${did[*]:-nothing to build}"
done

say "done in $((SECONDS - t0))s; patches in $OUT"
if [ $fail != 0 ]; then
	say "the series check FAILED (see above)"
	exit 1
fi
say "the series check passed: checkpatch clean, git am gives the tested tree, each patch builds"
