#!/bin/bash
# Tally a guest run: scripts/tally.sh RESULTS CONSOLE KERNEL
# Prints a line per suite, the skips and failures, the kernel splats found in the console log,
# the ours-vs-reference table for liburing, and last "N passed, N failed".  Exits 1 on any
# failure.  Rewrites RESULTS first: a liburing test that said it skipped becomes a SKIP.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
results=$1 console=$2 kernel=$3
xfail=$top/tests/expected/xfail.txt
ref=$top/tests/expected/liburing-upstream.txt
[ -f "$ref" ] || ref=/dev/null
[ "$kernel" = ours ] || xfail=/dev/null

# What counts as a splat: anything the kernel prints when it is unhappy.
splat='BUG:|WARNING:|Oops|KASAN|UBSAN|possible circular locking|possible recursive locking|'
splat+='inconsistent lock state|suspicious RCU usage|INFO: task .* blocked for more than|'
splat+='detected stall|soft lockup|hard LOCKUP|Kernel panic|general protection fault|'
splat+='unreferenced object|list_add corruption|list_del corruption|kernel BUG'
grep -aE "$splat" "$console" > "${results%/*}/splats.txt" 2>/dev/null

# Many liburing 2.3 tests that skip what they test say so and exit 0: such a PASS becomes
# "SKIP <the line that says so>" in the results file (the wordings, from liburing's sources,
# are in tests/expected/liburing-skip-patterns.txt).
gawk -v logs="${results%/*}/liburing" '
FILENAME == ARGV[1] { if (!/^#/ && NF) pat[++np] = $0; next }
$1 == "liburing" && $3 == "PASS" {
	why = ""; f = logs "/" $2 ".log"
	while (why == "" && (getline l < f) > 0) {
		gsub(/[[:space:]]+/, " ", l); gsub(/^ | $/, "", l)
		for (i = 1; i <= np && why == ""; i++)
			if (l ~ pat[i]) why = l
	}
	close(f)
	if (why != "") $0 = $1 " " $2 " SKIP " why
}
{ print }' "$top/tests/expected/liburing-skip-patterns.txt" "$results" > "$results.new" &&
	mv "$results.new" "$results"

gawk -v kernel="$kernel" -v full="${FULL:-}" -v splats="${results%/*}/splats.txt" \
	-v logs="${results%/*}/liburing" '
FILENAME == ARGV[1] { if ($1 !~ /^#/ && NF) xf[$1] = 1; next }
FILENAME == ARGV[2] { if ($1 !~ /^#/ && NF) refst[$1] = $2; next }
{
	s = $1; key = s ":" $2; st = $3; why = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ ?/, "", why)
	if (!(s in seen)) { seen[s] = 1; order[++ns] = s }
	if (s == "liburing") ours[$2] = st
	if (key in xf) {
		if (st == "PASS") { pass[s]++; xpass[++nx] = key }
		else xfl[s]++
	} else if (st == "PASS") {
		pass[s]++
		# passed on its second run (tests/expected/racy.txt): say so
		if (why != "") reruns[++nr] = key "  " why
	}
	else if (st == "SKIP") {
		skip[s]++
		# skipping on ours what the reference runs is a gap, unless xfail.txt names it
		if (kernel == "ours" && s == "liburing" && ($2 in refst) && refst[$2] == "PASS")
			gaps[++ng] = key " skips on ours" (why != "" ? " (" why ")" : "") \
				", passes on the reference (add it to tests/expected/xfail.txt)"
		else skipped[++nsk] = key (why != "" ? "  " why : "")
	}
	else { fail[s]++; failed[++nf] = key " " st tail(s, $2) }
}
# the last two lines a failed liburing test printed: the CI log then says why
function tail(s, t,    f, l, a, b) {
	if (s != "liburing") return ""
	f = logs "/" t ".log"
	while ((getline l < f) > 0) { a = b; b = l }
	close(f)
	return (a b != "") ? "  (" a (a != "" ? " / " : "") b ")" : ""
}
END {
	for (i = 1; i <= ns; i++) {
		s = order[i]
		printf "%-10s %4d passed, %3d failed, %3d skipped, %3d expected failures\n",
			s ":", pass[s], fail[s], skip[s], xfl[s]
		P += pass[s]; F += fail[s]; S += skip[s]; X += xfl[s]
	}
	for (i = 1; i <= nsk; i++) print "SKIP    " skipped[i]
	for (i = 1; i <= nr; i++) print "RERUN   " reruns[i]
	for (i = 1; i <= ng; i++) print "GAP     " gaps[i]
	for (i = 1; i <= nf; i++) print "FAILED  " failed[i]
	for (i = 1; i <= nx; i++) print "XPASS   " xpass[i] " (passes now: take it out of tests/expected/xfail.txt)"
	while ((getline l < splats) > 0) { print "SPLAT   " l; F++ }
	if (ns == 0) { print "FAILED  no results: the guest job did not run"; F++ }

	if (kernel == "ours" && length(ours)) {
		print ""
		print "liburing 2.3, ours against the reference (upstream 6.1 io_uring):"
		for (t in refst) {
			o = (t in ours) ? ours[t] : "not-run"
			cmp[o " " refst[t]]++
			if (full != "" || (o != refst[t] && o != "not-run"))
				rows[t] = sprintf("  %-28s ours %-8s reference %s", t, o, refst[t])
		}
		for (c in cmp) { split(c, a, " "); printf "  %4d tests: ours %-8s reference %s\n", cmp[c], a[1], a[2] }
		n = asorti(rows, k)
		for (i = 1; i <= n; i++) print rows[k[i]]
	}
	print ""
	printf "(%d skipped%s, %d expected failures)\n", S, ng ? ", " ng " of them gaps" : "", X
	printf "%d passed, %d failed\n", P, F
	exit F > 0
}' "$xfail" "$ref" "$results"
