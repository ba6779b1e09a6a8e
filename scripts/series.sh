#!/bin/bash
# Export the series as mail-ready patches and checkpatch them.
#
#   scripts/series.sh
#
# Brings build/linux up to date (scripts/tree.sh ours), then writes
# removed..series with a cover letter to build/series/, and runs
# scripts/checkpatch.pl --strict on every patch (full output in
# build/series/checkpatch.txt). The removal commit is not exported (it
# deletes the whole base io_uring); the cover letter names it and the
# base it applies to.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO=$ROOT/build/linux
OUT=$ROOT/build/series
SUMMARY=$ROOT/build/results/summary.txt

say() { echo "series.sh: $*"; }
t0=$SECONDS

say "updating the trees"
"$ROOT/scripts/tree.sh" ours

g() { git -C "$REPO" "$@"; }
base=$(g rev-parse base)
removed=$(g rev-parse removed)
n=$(g rev-list --count removed..series)
version=$(make -s -C "$REPO" kernelversion)
pkg=$(dpkg-query -W -f '${Version}' linux-source-6.1 2>/dev/null || echo unknown)

say "format-patch removed..series ($n patches) into $OUT"
rm -rf "$OUT"
mkdir -p "$OUT"
g format-patch -q --cover-letter --base="$removed" -o "$OUT" removed..series

blurb=$(mktemp)
trap 'rm -f "$blurb"' EXIT
{
	cat <<-EOF
	This series adds a new implementation of io_uring to Linux $version
	(Debian linux-source-6.1 $pkg), written from scratch: the ring ABI
	that liburing expects, the core in fs/io_uring.c, the x86-64 syscall
	wiring, the Kconfig option and build glue, a MAINTAINERS entry, and
	with them example programs, selftests and documentation.

	It applies on top of

	  $(g log -1 --format='%h ("%s")' "$removed")

	which takes the io_uring the base came with out of

	  $(g log -1 --format='%h ("%s")' "$base")

	$(g diff --shortstat "$base" "$removed" | sed 's/^ *//').
	That removal is not posted here because of its size; scripts/tree.sh
	in the project recreates both commits from the Debian tarball.

	EOF
	if [ -f "$SUMMARY" ]; then
		echo "Test results ($(basename "$SUMMARY")):"
		echo
		sed 's/^/  /' "$SUMMARY"
		echo
	fi
} >"$blurb"

cover=$OUT/0000-cover-letter.patch
awk -v blurb="$blurb" -v subj="io_uring: a new implementation for Linux $version" '
	/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subj) }
	/^\*\*\* BLURB HERE \*\*\*$/ {
		while ((getline l < blurb) > 0) print l
		next
	}
	{ print }' "$cover" >"$cover.new"
mv "$cover.new" "$cover"

say "checkpatch.pl --strict"
errors=0 warnings=0 checks=0
: >"$OUT/checkpatch.txt"
for p in "$OUT"/[0-9]*.patch; do
	[ "$p" = "$cover" ] && continue
	out=$(cd "$REPO" && scripts/checkpatch.pl --strict --showfile "$p" 2>&1 || true)
	{ echo "=== ${p##*/}"; echo "$out"; echo; } >>"$OUT/checkpatch.txt"
	total=$(echo "$out" | grep -E '^total: [0-9]+ errors' | tail -n 1)
	printf '  %-60s %s\n' "${p##*/}" "${total:-checkpatch gave no total}"
	set -- $(echo "$total" | sed -E 's/^total: ([0-9]+) errors, ([0-9]+) warnings, ([0-9]+) checks.*/\1 \2 \3/;t;s/.*/0 0 0/')
	errors=$((errors + $1)) warnings=$((warnings + $2)) checks=$((checks + $3))
done
say "checkpatch total: $errors errors, $warnings warnings, $checks checks (details: $OUT/checkpatch.txt)"
say "done in $((SECONDS - t0))s; patches in $OUT"
ls -1 "$OUT"/*.patch
