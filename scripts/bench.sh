#!/bin/bash
# ./harness bench: our kernel against the reference (the base kernel with its own io_uring).
# Two tables, both in bench/RESULTS.md:
# 1. instruction-counting (the primary table): BENCH_ICOUNT_RUNS boots of each kernel
#    (default 2; ours, reference, ours, reference) with guest.sh's IOU_ICOUNT=1 (1 vCPU, guest
#    time = executed instructions), every workload a fixed number of operations
#    (scripts/guest-bench.sh IOU_BENCH_ICOUNT=1); the mean of the boots, each kernel's spread,
#    the ratio ours/reference.
# 2. timed, 2 vCPUs (noisy; for what needs two CPUs): BENCH_ROUNDS rounds (default 3), each
#    boots ours then the reference and runs every workload for a fixed time; median, min..max,
#    ratio; bench/qd.dat and bench/qd.png (nullb0 IOPS against queue depth, bench/qd.gp).
# 3. profiles: one more instruction-counting boot of each kernel, QEMU with the TCG plugin
#    bench/insnprof.c counting every instruction by translation block, some rows (those of
#    $prows in guest-bench.sh) each between two marker instructions; bench/profile-<row>.txt:
#    instructions per operation by function, ours against the reference (BENCH_PROFILE=0: none).
# Environment: BENCH_ROUNDS=N (0: no timed table), BENCH_ICOUNT_RUNS=N (0: no counting table),
# BENCH_LONG=1 (timed: 10 s per workload, more queue depths), BENCH_PROFILE=0,
# BENCH_BUILD=0 (take the kernels and tools as they are built, build nothing).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${BENCH_ROUNDS:-3}
runs=${BENCH_ICOUNT_RUNS:-2}
[ "$rounds" -ge 0 ] 2>/dev/null && [ "$runs" -ge 0 ] 2>/dev/null && [ $((rounds + runs)) -ge 1 ] ||
	{ echo "bench: BENCH_ROUNDS and BENCH_ICOUNT_RUNS must be numbers, not both 0"; exit 2; }
secs=2 fsecs=3
[ -z "${BENCH_LONG:-}" ] || secs=10 fsecs=10
b=$top/build/bench	# snapshot of what runs, raw results
res=$top/bench
t0=$SECONDS
load=$(cut -d' ' -f1-3 /proc/loadavg)
say() { echo "bench: [$((SECONDS - t0))s] $*"; }
rm -rf "$b"
mkdir -p "$b/bin" "$b/raw" "$res"

# --- kernels and tools: copied, so that a rebuild during the run changes nothing ------------
kbuild() {	# ours|upstream: build, print the bzImage path
	"$top/scripts/kbuild.sh" "$1" > "$b/kbuild-$1.log" 2>&1 ||
		{ tail -n 20 "$b/kbuild-$1.log" >&2; echo "bench: building $1 failed" >&2; exit 1; }
	tail -n 1 "$b/kbuild-$1.log"
}
if [ "${BENCH_BUILD:-1}" = 0 ]; then
	ours=$top/build/linux/arch/x86/boot/bzImage
	ref=$top/build/upstream/arch/x86/boot/bzImage
else
	say "building the kernels (logs: $b/kbuild-*.log)"
	ours=$(kbuild ours)
	ref=$(kbuild upstream)
	make -s -C "$top/build/linux/tools/io_uring"
fi
cp "$ours" "$b/bzImage-ours"
cp "$ref" "$b/bzImage-upstream"
# for the profiles: the kernels' symbols, and the functions of their io_uring
for k in ours upstream; do
	t=$([ $k = ours ] && echo "$ours" || echo "$ref")
	t=${t%/arch/x86/boot/bzImage}
	cp "$t/System.map" "$b/System.map-$k"
	nm --defined-only $(ls "$t"/fs/io_uring.o "$t"/io_uring/*.o 2>/dev/null) |
		awk '$2 ~ /^[tTwW]$/ { print $3 }' | sort -u > "$b/io_uring-$k.syms"
done
for t in io_uring-bench io_uring-pingpong; do
	cp "$top/build/linux/tools/io_uring/$t" "$b/bin/" || say "no $t: its rows will be n/a"
done

# fio's t/io_uring, from Debian's source package of the fio that is installed
fv=$(dpkg-query -W -f='${Version}' fio)
fsrc=$top/build/fio-src/fio-${fv%%-*}
if [ ! -x "$fsrc/t/io_uring" ] && [ "${BENCH_BUILD:-1}" != 0 ]; then
	say "building t/io_uring from Debian's fio $fv source package"
	rm -rf "$top/build/fio-src" && mkdir -p "$top/build/fio-src"
	(cd "$top/build/fio-src" && apt-get source -q "fio=$fv" > fetch.log 2>&1 &&
	 cd "$fsrc" && ./configure --disable-native > configure.log 2>&1 &&
	 make -s -j"$(nproc)" t/io_uring > make.log 2>&1) || say "t/io_uring did not build, see build/fio-src"
fi
cp "$fsrc/t/io_uring" "$b/bin/t_io_uring" 2>/dev/null || say "no t/io_uring: its rows will be n/a"

# the profiles' QEMU plugin, built against qemu-plugin.h from Debian's source package of the
# QEMU that is installed (only that file is kept), and the marker instruction it waits for
profile=${BENCH_PROFILE:-1}
if [ "$profile" != 0 ]; then
	qv=$(dpkg-query -W -f='${source:Version}' qemu-system-x86)
	qsrc=$top/build/qemu-src/${qv#*:}
	if [ ! -f "$qsrc/qemu-plugin.h" ]; then
		say "fetching qemu-plugin.h from Debian's qemu $qv source package"
		rm -rf "$top/build/qemu-src" && mkdir -p "$qsrc"
		(cd "$qsrc" && apt-get source -q --download-only "qemu=$qv" > fetch.log 2>&1 &&
		 tar -xOf qemu_*.orig.tar.* --wildcards '*/include/qemu/qemu-plugin.h' > plugin.h &&
		 mv plugin.h qemu-plugin.h && rm -f qemu_*) || say "no qemu-plugin.h, see $qsrc"
	fi
	gcc -O2 -Wall -shared -fPIC -I"$qsrc" -o "$b/insnprof.so" "$top/bench/insnprof.c" &&
		printf '.globl _start\n_start: xchg %%bx, %%bx\nmov $60, %%eax\nxor %%edi, %%edi\nsyscall\n' |
		gcc -nostdlib -static -x assembler -o "$b/bin/iou-mark" - ||
		{ say "the plugin did not build: no profiles"; profile=0; }
fi

# --- the boots ------------------------------------------------------------------------------------
# boot MODE N KERNEL [GUEST_ENV...]: one boot running every workload; raw/MODE-N-KERNEL.txt
boot() {
	local mode=$1 r=$2 k=$3 s=$SECONDS g=$top/build/guest-bench-$3
	shift 3
	DEBUG= KERNEL=bench-$k IOU_GUEST_ENV="IOU_BENCH_BIN=$b/bin $*" \
		"$top/scripts/guest.sh" "$b/bzImage-$k" "$top/scripts/guest-bench.sh" 1800 \
		> "$b/raw/$mode-$r-$k.console" 2>&1 || say "$mode $r $k: the guest did not finish"
	touch "$g/out/bench.txt"
	cp "$g/out/bench.txt" "$b/raw/$mode-$r-$k.txt"
	cp -r "$g/out/logs" "$b/raw/$mode-$r-$k.logs" 2>/dev/null || true
	grep -E 'BUG|WARNING|Oops|Call Trace|hung_task|stall' "$b/raw/$mode-$r-$k.console" |
		sed "s/^/$mode $r $k: /" | head -n 5 | tee -a "$b/splats.txt" || true
	rm -f "$g/scratch.img"
	echo "$mode $r $k $((SECONDS - s))" >> "$b/boots.txt"
	say "$mode $r $k: $((SECONDS - s))s, $(grep -c ' IOPS$\| us$\| rt/s$' "$b/raw/$mode-$r-$k.txt") rows," \
		"$(grep -c ' n/a ' "$b/raw/$mode-$r-$k.txt") n/a"
}

# instruction counting: 1 vCPU, fixed operation counts; null_blk completes every request from
# its hrtimer, in hard irq (irqmode=2), as a device would: with its default (softirq) and one
# CPU, a completion runs inline in the submitter's own call
export IOU_ICOUNT=1
ti=$SECONDS
icount_env="IOU_BENCH_ICOUNT=1 IOU_BENCH_OPS=100000 IOU_BENCH_SECS=2 IOU_BENCH_TIO_WARMUP=1
	null_blk.irqmode=2 null_blk.completion_nsec=0"
for r in $(seq 1 "$runs"); do
	for k in ours upstream; do
		boot icount "$r" "$k" $icount_env
	done
done
icount_secs=$((SECONDS - ti))
unset IOU_ICOUNT

# timed: 2 vCPUs, interleaved ours, reference, ours, reference ...
tt=$SECONDS
for r in $(seq 1 "$rounds"); do
	for k in ours upstream; do
		boot timed "$r" "$k" IOU_BENCH_SECS=$secs IOU_BENCH_FIO_SECS=$fsecs ${BENCH_LONG:+IOU_BENCH_LONG=1}
	done
done
timed_secs=$((SECONDS - tt))

# profiles: instruction counting again, with the plugin; its dumps in build/bench/insnprof-KERNEL/
tp=$SECONDS
if [ "$profile" != 0 ]; then
	for k in ours upstream; do
		rm -rf "$b/insnprof-$k" && mkdir -p "$b/insnprof-$k"
		IOU_ICOUNT=1 IOU_QEMU_ARGS="-plugin $b/insnprof.so,out=$b/insnprof-$k/dump" \
			boot insnprof 1 "$k" $icount_env IOU_BENCH_PROFILE=1
	done
fi
profile_secs=$((SECONDS - tp))

# --- the counting table: mean of the boots, each kernel's spread, ratio ----------------------------
# one line per row: row unit ours(mean spread% ok) ref(mean spread% ok) ratio ratio-per-run
awk '
FNR == 1 { k = FILENAME ~ /-ours\.txt$/ ? "ours" : "ref"; split(FILENAME, p, "-"); run = p[length(p) - 1] }
NF != 3 || $1 ~ /^(cmd|note|time|meta)$/ { next }
{
	if (!($1 in unit)) { order[++nrows] = $1; unit[$1] = $3 }
	if ($2 == "n/a") next
	n = ++cnt[$1, k]; sum[$1, k] += $2; val[$1, k, run] = $2; runs[run] = 1
	if (n == 1 || $2 < lo[$1, k]) lo[$1, k] = $2
	if (n == 1 || $2 > hi[$1, k]) hi[$1, k] = $2
}
function mean(r, k) { return cnt[r, k] ? sum[r, k] / cnt[r, k] : "-" }
function spread(r, k) { return cnt[r, k] ? 100 * (hi[r, k] - lo[r, k]) / mean(r, k) : "-" }
END {
	for (i = 1; i <= nrows; i++) {
		r = order[i]; o = mean(r, "ours"); f = mean(r, "ref"); by = ""
		for (n = 1; n in runs; n++)
			by = by (by == "" ? "" : ",") (val[r, "ours", n] && val[r, "ref", n] ?
				sprintf("%.3f", val[r, "ours", n] / val[r, "ref", n]) : "-")
		print r, unit[r], o, spread(r, "ours"), cnt[r, "ours"] + 0, f, spread(r, "ref"), cnt[r, "ref"] + 0,
			(o != "-" && f != "-" && f > 0) ? o / f : "-", by == "" ? "-" : by
	}
}' $(ls "$b"/raw/icount-*.txt 2>/dev/null) < /dev/null > "$b/icount.txt"

# --- the timed table: medians, spread, ratio -------------------------------------------------------
# one line per row: row unit ours(med min max ok) ref(med min max ok) ratio
awk '
function stats(r, k,    n, i, j, t, a) {
	n = cnt[r, k]
	for (i = 1; i <= n; i++) a[i] = val[r, k, i]
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	if (!n) return "- - - 0"
	med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	return med " " a[1] " " a[n] " " n
}
FNR == 1 { k = FILENAME ~ /-ours\.txt$/ ? "ours" : "ref" }
NF != 3 || ($3 != "IOPS" && $3 != "us") { next }
{
	if (!($1 in unit)) { order[++nrows] = $1; unit[$1] = $3 }
	if ($2 != "n/a") val[$1, k, ++cnt[$1, k]] = $2
}
END {
	for (i = 1; i <= nrows; i++) {
		r = order[i]
		split(stats(r, "ours"), o); split(stats(r, "ref"), f)
		ratio = (o[4] && f[4] && f[1] > 0) ? sprintf("%.2f", o[1] / f[1]) : "-"
		print r, unit[r], o[1], o[2], o[3], o[4], f[1], f[2], f[3], f[4], ratio
	}
}' $(ls "$b"/raw/timed-*.txt 2>/dev/null) < /dev/null > "$b/summary.txt"

# nullb0 O_DIRECT random reads against queue depth, for the plot
if [ "$rounds" -ge 1 ]; then
	awk '$1 ~ /^nullb-qd[0-9]+$/ { d = $1; sub(/^nullb-qd/, "", d); print d, $3, $4, $5, $7, $8, $9 }' \
		"$b/summary.txt" | sort -n > "$res/qd.dat"
	sed -i '1i # depth ours_median ours_min ours_max ref_median ref_min ref_max (IOPS; - = n/a)' "$res/qd.dat"
	gnuplot -e "datafile='$res/qd.dat'; outfile='$res/qd.png'" "$res/qd.gp" ||
		say "gnuplot failed, no plot"
fi

# --- the profiles: instructions per operation by function, ours against the reference ------------
# bysym DUMP SYSTEM_MAP: "function instructions", each block's to the text symbol at or before its
# address; user space (address 0 in the dumps) is [user]
bysym() {
	{ awk '$2 ~ /^[tTwW]$/ { print $1, 0, $3 }' "$2"; awk '{ printf "%s 1 %.0f\n", $1, $2 * $3 }' "$1"; } |
		LC_ALL=C sort -k1,1 -k2,2n |
		awk '$2 == 0 { s = $3; next }
			{ n[$1 ~ /^0+$/ ? "[user]" : s == "" ? "[unknown]" : s] += $3 }
			END { for (s in n) printf "%s %.0f\n", s, n[s] }'
}
# profile ROW: bench/profile-ROW.txt, and a line "row ours ref ours-io_uring ref-io_uring" in
# build/bench/profiles.txt. Row i of a boot is between its markers 2i and 2i + 1: dump 2i + 1.
profile_row() {
	local row=$1 k i ops f cmd= to tr io ir
	local -A n fig
	for k in ours upstream; do
		i= ops=
		read -r i ops < <(awk -v r="$row" '$1 == "profile" { if ($2 == r) print i + 0, $3; i++ }' \
			"$b/raw/insnprof-1-$k.txt") || true
		f=$b/insnprof-$k/dump.$((2 * ${i:-0} + 1))
		[ -n "$ops" ] && [ -f "$f" ] || { say "profile $row: no counts from $k"; return; }
		n[$k]=$ops
		bysym "$f" "$b/System.map-$k" > "$b/insnprof-$k/$row.txt"
		fig[$k]=$(awk -v r="$row" '$1 == r { print $2 == "n/a" ? "n/a" : sprintf("%.0f", 1e9 / $2) }' \
			"$b/raw/insnprof-1-$k.txt")
		cmd=${cmd:-$(sed -n "s/^cmd $row //p" "$b/raw/insnprof-1-$k.txt")}
	done
	# per function: ours ref difference name; io_uring's own functions marked
	awk -v no="${n[ours]}" -v nr="${n[upstream]}" '
	FILENAME == ARGV[1] || FILENAME == ARGV[2] { own[$1]; next }
	FILENAME == ARGV[3] { o[$1] = $2 / no; f[$1]; next }
	{ r[$1] = $2 / nr; f[$1] }
	END {
		for (s in f) {
			d = o[s] - r[s]
			printf "%.3f %9.1f %9.1f %+9.1f  %s%s\n", d < 0 ? -d : d, o[s], r[s], d, s,
				s in own ? " [io_uring]" : ""
			to += o[s]; tr += r[s]
			if (s in own) { io += o[s]; ir += r[s] }
		}
		printf "total %.1f %.1f %.1f %.1f\n", to, tr, io, ir
	}' "$b/io_uring-ours.syms" "$b/io_uring-upstream.syms" "$b/insnprof-ours/$row.txt" \
		"$b/insnprof-upstream/$row.txt" > "$b/insnprof-ours/$row.cmp"
	read -r to tr io ir < <(sed -n 's/^total //p' "$b/insnprof-ours/$row.cmp") || true
	echo "$row $to $tr $io $ir" >> "$b/profiles.txt"
	{
		echo "$row: guest instructions per operation, by function: ours against the reference"
		echo "(bench/insnprof.c; see RESULTS.md). Command: $cmd"
		echo "Operations: ${n[ours]}; counted from the start of the command to its end, its process's"
		echo "start and exit included. The table's figure for this run (1e9 / its rate): ours ${fig[ours]},"
		echo "reference ${fig[upstream]}. [io_uring]: a function of io_uring itself (fs/io_uring.c in"
		echo "ours, io_uring/ in the reference); [user]: all of user space."
		echo
		printf '%9s %9s %9s  %s\n' ours reference ours-ref function
		awk '{ printf "%9.1f %9.1f %+9.1f  %s\n", $1, $2, $1 - $2, "total" }' <<< "$to $tr"
		awk '{ printf "%9.1f %9.1f %+9.1f  %s\n", $1, $2, $1 - $2, "io_uring (the [io_uring] functions)" }' <<< "$io $ir"
		grep '  \[user\]$' "$b/insnprof-ours/$row.cmp" | cut -d' ' -f2- || true
		echo
		grep -v '^total ' "$b/insnprof-ours/$row.cmp" | sort -k1,1gr |
			awk 'NR <= 40 { print substr($0, index($0, " ") + 1) }'
	} > "$res/profile-$row.txt"
}
rm -f "$res"/profile-*.txt "$b/profiles.txt"
if [ "$profile" != 0 ]; then
	for row in $(awk '$1 == "profile" { print $2 }' "$b/raw/insnprof-1-ours.txt"); do
		profile_row "$row"
	done
fi

# --- RESULTS.md ----------------------------------------------------------------------------------
icount_table() {
	echo "| workload | ours ops/s | ours instr/op | reference ops/s | reference instr/op | ours/ref | ours/ref by run | spread ours, ref |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	awk -v runs="$runs" '
	function rate(x, u) { return x == "-" ? "n/a" : sprintf(u == "x" ? "%.3f" : "%.0f", x) }
	function ins(x, u) { return (x == "-" || u == "x") ? "" : sprintf("%.0f", 1e9 / x) }
	function sp(x, n) { return x == "-" ? "n/a" : sprintf("%.2f%%", x) (n < runs ? " (" n "/" runs " ok)" : "") }
	{
		name = $1
		if (name ~ /-(libaio|psync)$/) name = name " (control)"
		if ($2 == "x") { sub(/-io_uring\/libaio$/, ": io_uring ops per libaio op", name) }
		if ($2 == "rt/s") name = name " (round trips)"
		printf "| %s | %s | %s | %s | %s | %s | %s | %s, %s |\n", name, rate($3, $2), ins($3, $2),
			rate($6, $2), ins($6, $2), $9 == "-" ? "-" : sprintf("%.3f", $9), $10, sp($4, $5), sp($7, $8)
	}' "$b/icount.txt"
}
timed_table() {
	echo "| workload | unit | ours median | ours min..max | reference median | reference min..max | ours/ref |"
	echo "|---|---|---:|---:|---:|---:|---:|"
	awk -v rounds="$rounds" '
	function num(x, u) { return x == "-" ? "n/a" : (u == "us" ? sprintf("%.1f", x) : sprintf("%.0f", x)) }
	function spread(lo, hi, ok, u,   s) {
		if (!ok) return "n/a"
		s = num(lo, u) ".." num(hi, u)
		return ok < rounds ? s " (" ok "/" rounds " ok)" : s
	}
	{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, num($3, $2),
		spread($4, $5, $6, $2), num($7, $2), spread($8, $9, $10, $2), $11 }' "$b/summary.txt"
}
first=$b/raw/icount-1-ours.txt
[ -f "$first" ] || first=$b/raw/timed-1-ours.txt
meta() { sed -n "s/^meta $2 //p" "${first%-ours.txt}-$1.txt" | head -n 1; }
cmds() { [ ! -f "$1" ] || sed -n 's/^cmd \([^ ]*\) \(.*\)/- `\1`: `\2`/p' "$1" | grep -v -- '-warmup`:'; }
min() { echo "$((($1 + 30) / 60)) min"; }
{
	echo "# io_uring benchmarks: ours against the reference"
	echo
	echo "Written by \`./harness bench\` (scripts/bench.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'); the run took"
	echo "$(min $((SECONDS - t0))): $(min "$icount_secs") for the instruction-counting boots ($runs per kernel),"
	echo "$(min "${timed_secs:-0}") for the timed boots ($rounds per kernel), $(min "$profile_secs") for the profiling boots,"
	echo "the rest building (each boot's time: \`build/bench/boots.txt\`)."
	echo
	echo "- Base kernel: Linux $(make -s -C "$top/build/upstream" kernelversion 2>/dev/null || echo '?') from Debian's linux-source-6.1 $(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo '?')."
	echo "  **ours** = the base with its io_uring replaced by this series (guest: $(meta ours kernel) $(meta ours version));"
	echo "  **reference** = the unmodified base with its own io_uring (guest: $(meta upstream kernel) $(meta upstream version)); same config (config/guest.config)."
	echo "- VM: $(qemu-system-x86_64 --version | head -n 1), TCG (no KVM), -cpu max, 3 GiB;"
	echo "  host: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) CPUs, shared with other work"
	echo "  (load average at the start: $load)."
	echo "  Devices: /dev/nullb0 = null_blk queue_mode=2 (blk-mq), poll_queues=2, no data transfer;"
	echo "  the page-cache file is 64 MiB on ext4 on virtio-blk, read once before the runs."
	echo
	echo "## 1. Instruction counting (the primary table)"
	echo
	echo "Each boot runs QEMU with 1 vCPU, \`-accel tcg,thread=single -icount shift=0,sleep=off\`"
	echo "(\`IOU_ICOUNT=1\` in scripts/guest.sh): the guest's clock advances exactly 1 ns per guest instruction"
	echo "executed, whatever the host does. A rate the guest measures is therefore"
	echo "**ops/s = 1e9 / (instructions per operation)**, counting every instruction the guest executed"
	echo "while the workload ran: user and kernel, the workload's own code, interrupts, softirqs, timer ticks,"
	echo "and whatever else ran on the CPU. \"instr/op\" is that figure, 1e9 / ops/s. Higher ops/s is"
	echo "better; ours/ref > 1 means ours executes fewer instructions per operation. It is not a count of"
	echo "io_uring's own instructions: a row's difference between the kernels is, since the rest is the"
	echo "same code (same config, same binaries). Instructions are not cycles: cache misses, branch"
	echo "mispredictions and the cost of each instruction are invisible here, so on hardware a difference"
	echo "may be smaller or larger; this measures the work done."
	echo
	echo "Method: $runs boots per kernel, alternating ours, reference, ours, reference; every boot runs every"
	echo "workload once; each workload a fixed number of operations ($(meta ours ops) I/Os, five times as many"
	echo "NOPs, half as many ping-pong round trips; fio $(meta ours ops) I/Os per engine), so it costs the same"
	echo "host time on a loaded machine. t/io_uring only runs for a time: $(meta ours secs) s of guest time after"
	echo "a 1 s warm-up, and prints 3 significant digits (for the M figures of the NOP row: ±0.5%)."
	echo "Figures: the mean of the boots. \"ours/ref by run\" is the ratio within each pair of boots,"
	echo "\"spread\" (max - min) / mean of each kernel's boots: the repeatability."
	echo "null_blk completes every non-polled request in hard irq (\`null_blk.irqmode=2 completion_nsec=0\`: its"
	echo "hrtimer fires at once), as a device would; with its default (softirq) and one CPU the completion runs"
	echo "inline in the submitter's own call, which no device does. The IOPOLL row polls (null_blk's poll queues)."
	echo
	echo "The control rows (fio libaio and psync) do not touch io_uring: the same instructions on both kernels,"
	echo "so their ratio shows what else differs between the boots. The \"io_uring ops per libaio op\" rows"
	echo "are fio's io_uring IOPS over its libaio IOPS within one kernel: operations per instruction of the"
	echo "io_uring engine against libaio's, at the same depth (32); the 2019 series claimed 2x on hardware."
	echo "There is no SQPOLL row here: with one vCPU its kernel thread and the submitter take turns on the same"
	echo "CPU (see the timed table)."
	echo
	icount_table
	echo
	echo "### Profiles"
	echo
	echo "Where the instructions of a row go, by function, exactly: after the other boots, one more"
	echo "instruction-counting boot of each kernel runs these rows (same command lines) with a QEMU TCG"
	echo "plugin, \`bench/insnprof.c\`, that counts every guest instruction executed: each translation"
	echo "block adds its instruction count each time it runs. The guest brackets each row's command with a"
	echo "marker instruction (\`xchg %bx,%bx\`), at which the plugin writes out and clears its counts; a"
	echo "block's instructions go to the function of System.map at or before its address (user space is"
	echo "one line, [user]), divided by the row's operations. No sampling, so no skew: instructions run"
	echo "with interrupts off or in hard irq (null_blk's completions) are counted where they run, and the"
	echo "functions add up exactly to the total. The total is a little above the table's instr/op: it"
	echo "includes the command's start and exit. The count is exact, the work counted not quite repeatable:"
	echo "where the guest waits for the host (9p) its clock jumps ahead, and the timer interrupts that"
	echo "follow vary from boot to boot, by up to about 1% of a row's total (io_uring's functions repeat to"
	echo "0.1 instr/op). [io_uring] marks io_uring's own functions (fs/io_uring.o"
	echo "in ours, io_uring/*.o in the reference). \`bench/profile-<row>.txt\`: the totals and the 40"
	echo "functions that differ most between the kernels, in instructions per operation."
	echo
	if [ -s "$b/profiles.txt" ]; then
		echo "| workload | ours instr/op | reference instr/op | ours - ref | io_uring functions: ours | reference | ours - ref |"
		echo "|---|---:|---:|---:|---:|---:|---:|"
		awk '{ printf "| [%s](profile-%s.txt) | %.0f | %.0f | %+.0f | %.0f | %.0f | %+.0f |\n",
			$1, $1, $2, $3, $2 - $3, $4, $5, $4 - $5 }' "$b/profiles.txt"
	else
		echo "Not run (BENCH_PROFILE=0, or the plugin did not build)."
	fi
	echo
	echo "## 2. Timed, 2 vCPUs (noisy)"
	echo
	echo "**Noisy: for what needs two CPUs (SQPOLL), or as a sanity check of the table above.** QEMU with"
	echo "multi-threaded TCG and 2 vCPUs, guest time is host time. Rounds: $rounds, each boots ours then the"
	echo "reference; every boot runs every workload once, ${secs} s each (each fio job ${fsecs} s). Median over"
	echo "the rounds, spread = min..max. null_blk as it comes (irqmode=1), submit_queues=2."
	echo
	echo "Under TCG the absolute figures mean little: every guest instruction is emulated (far slower than"
	echo "hardware, and not uniformly so), and the host is shared: the control rows (libaio, psync) stray by"
	echo "tens of percent. IOPS rows: higher is better (ratio > 1: ours faster). Latency rows (us): lower is"
	echo "better (ratio < 1: ours faster). n/a: the workload failed on that kernel (see below)."
	echo
	if [ "$rounds" -ge 1 ]; then
		timed_table
		echo
		echo "![nullb0 O_DIRECT 4 KiB random reads: IOPS against queue depth](qd.png)"
		echo
		echo "\`qd.png\`: nullb0 O_DIRECT 4 KiB random reads (io_uring-bench, batch min(depth, 8)), median IOPS"
		echo "against queue depth with min..max bars; data in \`qd.dat\`, plotted by \`qd.gp\`."
	else
		echo "Not run (BENCH_ROUNDS=0)."
	fi
	echo
	echo "## Workloads"
	echo
	echo "As run in the guest (\`scripts/guest-bench.sh\`; io_uring-bench and io_uring-pingpong are"
	echo "linux/tools/io_uring, t_io_uring is fio's t/io_uring built from Debian's fio source package)."
	echo "Instruction counting:"
	echo
	cmds "$b/raw/icount-1-ours.txt"
	echo
	echo "Timed:"
	echo
	cmds "$b/raw/timed-1-ours.txt"
	echo
	echo "Before each fio run the same jobs run for 64 KiB each, unmeasured, so that fio's code is read in."
	echo "fio's io_uring engine and t/io_uring ask for IORING_SETUP_COOP_TASKRUN, SINGLE_ISSUER and"
	echo "DEFER_TASKRUN and drop those the kernel refuses. Both kernels accept all three, so those rows"
	echo "run on the same completion path on both: completions wait for the task's io_uring_enter()."
	echo
	echo "io_uring-pingpong: a client and a server process, each with its own ring, one 64-byte message in"
	echo "flight, every socket read and write an IORING_OP_READ/IORING_OP_WRITE (the -sendrecv rows:"
	echo "IORING_OP_RECV/IORING_OP_SEND). Counting: round trips per second of guest time. Timed: the"
	echo "round-trip latency (p50, p99) over as many round trips as fit in ${secs} s, both processes on"
	echo "vCPU 0 (taskset): a wake-up across vCPUs would measure the host's scheduler more than the guest."
	echo
	echo "## Rows without a figure"
	echo
	notes=$(for f in "$b"/raw/*.txt; do
		k=$(basename "$f" .txt)
		sed -n "s/^note \([^ ]*\) \(.*\)/- \1 (${k%%-*}) on ${k##*-}: \2/p" "$f"
	done | sed 's/ on upstream:/ on the reference:/' | sort -u)
	echo "${notes:-None: every workload ran on both kernels.}"
	echo
	echo "## Kernel splats in the guests' consoles"
	echo
	if [ -s "$b/splats.txt" ]; then
		sed 's/^/    /' "$b/splats.txt"
	else
		echo "None."
	fi
} > "$res/RESULTS.md"

echo
[ "$runs" -lt 1 ] || icount_table
echo
[ "$rounds" -lt 1 ] || timed_table
echo
say "done: $res/RESULTS.md, $res/qd.png (raw results: $b/raw)"
