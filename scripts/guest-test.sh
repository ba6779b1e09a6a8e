#!/bin/bash
# Runs inside the guest (see guest-init.sh): every suite writes "suite name STATUS" lines to
# /mnt/out/results.txt and each test's own output to /mnt/out/<suite>/<name>.log.
# STATUS is PASS, FAIL, SKIP or TIMEOUT.  Progress goes to the console.
top=$IOU_TOP
out=/mnt/out
res=$out/results.txt
tree=$top/build/linux
: > "$res"

record() {	# suite name rc
	local st=FAIL
	case $3 in
	0) st=PASS ;;
	77|4) st=SKIP ;;	# liburing's T_EXIT_SKIP, kselftest's KSFT_SKIP
	124|137) st=TIMEOUT ;;
	esac
	echo "$1 $2 $st" >> "$res"
	echo "  $1 $2 $st"
}

# Our selftests: one result per harness test case, from the TAP lines.
sel=$tree/tools/testing/selftests/io_uring
if [ -d "$sel" ] && [ "${IOU_SELFTESTS:-1}" = 1 ]; then
	echo "== selftests"
	mkdir -p $out/selftests /mnt/scratch/selftests
	progs=$(sed -n 's/^TEST_GEN_PROGS *[:+]*= *//p' "$sel/Makefile")
	# the fuzzer when asked for (any FUZZ_* setting; the debug lane asks)
	[ -z "${FUZZ_SECONDS:-}${FUZZ_SEED:-}${FUZZ_LONG:-}${FUZZ_SQES:-}" ] || progs+=" fuzz"
	for t in $progs; do
		[ -x "$sel/$t" ] || { record selftests "$t" 1; continue; }
		# the fuzzer bounds itself (FUZZ_SECONDS, FUZZ_SQES, FUZZ_LONG);
		# this is for a hang, with time to reduce what it found
		tmo=${IOU_SELFTEST_TIMEOUT:-120}
		[ "$t" != fuzz ] || tmo=$([ -n "${FUZZ_LONG:-}" ] && echo 86400 || echo 400)
		(cd /mnt/scratch/selftests && timeout -k 5 $tmo "$sel/$t") > $out/selftests/$t.log 2>&1
		rc=$?
		awk -v p="$t" '
			/^#  RUN / { run = $3 }
			/^(not )?ok [0-9]+ / {
				st = ($1 == "not") ? "FAIL" : "PASS"
				name = ($1 == "not") ? $4 : $3
				# a skipped case is "ok N # SKIP why", without its name
				if (name == "#") name = run
				if ($0 ~ /# SKIP/) st = "SKIP"
				sub(/^global\./, "", name)
				print "selftests " p "." name " " st
			}' $out/selftests/$t.log | tee -a "$res" | sed 's/^/  /'
		# a crash or timeout must not hide behind the cases that did pass
		case $rc in 0|4) ;; *) record selftests "$t" $rc ;; esac
	done
fi

# liburing 2.3's suite: each test from its own scratch directory on ext4, bounded.
lu=$top/build/liburing-2.3/test
racy=$top/tests/expected/racy.txt
if [ -n "${IOU_LIBURING_LIST:-}" ]; then
	echo "== liburing"
	mkdir -p $out/liburing
	while read -r t; do
		d=/mnt/scratch/liburing/$t
		mkdir -p "$d"
		ln -s "$lu/exec-target.t" "$d/"	# timeout's exec test looks for ./exec-target.t
		(cd "$d" && timeout -k 5 "${IOU_TEST_TIMEOUT:-60}" "$lu/$t.t") > $out/liburing/$t.log 2>&1
		rc=$?
		# a test that races by construction gets a second run, see racy.txt
		if [ $rc != 0 ] && [ $rc != 77 ] && grep -q "^liburing:$t " "$racy"; then
			mv $out/liburing/$t.log $out/liburing/$t.log.1
			(cd "$d" && timeout -k 5 "${IOU_TEST_TIMEOUT:-60}" "$lu/$t.t") > $out/liburing/$t.log 2>&1
			rc=$?
		fi
		if [ $rc = 0 ] && [ -f $out/liburing/$t.log.1 ]; then
			echo "liburing $t PASS rerun after: $(tail -n 2 $out/liburing/$t.log.1 | tr '\n' ' ')" >> "$res"
			echo "  liburing $t PASS (on its second run)"
		else
			record liburing "$t" $rc
		fi
		rm -rf "$d"
	done < "$IOU_LIBURING_LIST"
fi

# fio: verified random read/write through the io_uring engine.
if [ -n "${IOU_FIO_JOBS:-}" ]; then
	echo "== fio"
	mkdir -p $out/fio
	for j in ${IOU_FIO_JOBS//,/ }; do
		(cd /mnt/scratch && timeout -k 5 300 fio "$top/tests/fio/$j.fio") > $out/fio/$j.log 2>&1
		record fio "$j" $?
	done
fi
echo "== done"
