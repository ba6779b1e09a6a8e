# Cut a marked source file down to the capabilities given, markers stripped.
#
#   awk -v caps="core rw ..." -v known="core rw ... sqpoll" -f series-cut.awk FILE
#
# A marker is a line of its own:
#   /* series: NAME */    lines up to the matching end are NAME's: kept once
#                         NAME is in caps
#   /* series: !NAME */   lines up to the matching end stand in for NAME
#                         until it comes: kept while NAME is not in caps
#   /* series: end */     closes the innermost open region
# Regions nest; a line is kept when every region around it is.  Every NAME
# must be in known.
function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	bad = 1
	exit 1
}
BEGIN {
	n = split(caps, c, " ")
	for (i = 1; i <= n; i++)
		have[c[i]] = 1
	n = split(known, c, " ")
	for (i = 1; i <= n; i++)
		ok[c[i]] = 1
	depth = 0
	off = 0		# open regions that drop their lines
}
/^[ \t]*\/\* series: [!a-z0-9_-]+ \*\/[ \t]*$/ {
	name = $0
	sub(/^[ \t]*\/\* series: /, "", name)
	sub(/ \*\/[ \t]*$/, "", name)
	if (name == "end") {
		if (!depth)
			fail("series: end without a region")
		off -= drop[depth--]
		next
	}
	neg = sub(/^!/, "", name)
	if (!(name in ok))
		fail("unknown capability \"" name "\"")
	drop[++depth] = neg ? (name in have) : !(name in have)
	off += drop[depth]
	next
}
/\/\* series:/ { fail("malformed series marker") }
!off { print }
END {
	if (!bad && depth)
		fail("region left open at the end")
}
