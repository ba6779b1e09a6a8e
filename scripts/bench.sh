#!/bin/bash
# ./harness bench: our kernel against the reference (the base kernel with its own io_uring).
# Two tables, both in bench/RESULTS.md:
# 1. instruction-counting (the primary table): BENCH_ICOUNT_RUNS boots of each kernel
#    (default 2; ours, reference, ours, reference) with guest.sh's IOU_ICOUNT=1 (1 vCPU, guest
#    time = executed instructions), every workload a fixed number of operations
#    (scripts/guest-bench.sh IOU_BENCH_ICOUNT=1); the mean of the boots, each kernel's spread,
#    the ratio ours/reference. The last boot of each kernel also records `perf` profiles of the
#    NOP and nullb0 qd32 rows: bench/profile-<kernel>-<row>.txt (BENCH_PROFILE=0: none).
# 2. timed, 2 vCPUs (noisy; for what needs two CPUs): BENCH_ROUNDS rounds (default 3), each
#    boots ours then the reference and runs every workload for a fixed time; median, min..max,
#    ratio; bench/qd.dat and bench/qd.png (nullb0 IOPS against queue depth, bench/qd.gp).
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
	for f in "$g"/out/profile-*.txt; do
		[ ! -f "$f" ] || cp "$f" "$b/profile-$k-${f##*/profile-}"
	done
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
# the profiles need Debian's perf; only the bench does, so the test command's setup leaves it out
if [ "${BENCH_PROFILE:-1}" != 0 ] && ! dpkg-query -W -f '${Status}' linux-perf 2>/dev/null |
	grep -q 'ok installed'; then
	apt-get install -y -q linux-perf >/dev/null
fi
icount_env="IOU_BENCH_ICOUNT=1 IOU_BENCH_OPS=100000 IOU_BENCH_SECS=2 IOU_BENCH_TIO_WARMUP=1
	null_blk.irqmode=2 null_blk.completion_nsec=0"
for r in $(seq 1 "$runs"); do
	prof=
	[ "$r" != "$runs" ] || [ "${BENCH_PROFILE:-1}" = 0 ] || prof=IOU_BENCH_PROFILE=1
	for k in ours upstream; do
		boot icount "$r" "$k" $icount_env $prof
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
rm -f "$res"/profile-*.txt
cp "$b"/profile-*.txt "$res/" 2>/dev/null || true

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
first=$(ls "$b"/raw/*-1-ours.txt | head -n 1)
meta() { sed -n "s/^meta $2 //p" "${first%-ours.txt}-$1.txt" | head -n 1; }
cmds() { [ ! -f "$1" ] || sed -n 's/^cmd \([^ ]*\) \(.*\)/- `\1`: `\2`/p' "$1" | grep -v -- '-warmup`:'; }
top() {	# the first symbols of a perf report
	grep '%' "$1" 2>/dev/null | head -n 15 | sed 's/^ *//; s/\[kernel.kallsyms\]/[kernel]/; s/  */ /g'
}
min() { echo "$((($1 + 30) / 60)) min"; }
{
	echo "# io_uring benchmarks: ours against the reference"
	echo
	echo "Written by \`./harness bench\` (scripts/bench.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'); the run took"
	echo "$(min $((SECONDS - t0))): $(min "$icount_secs") for the instruction-counting boots ($runs per kernel),"
	echo "$(min "${timed_secs:-0}") for the timed boots ($rounds per kernel), the rest building (each boot's time: \`build/bench/boots.txt\`)."
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
	echo "In the last boot of each kernel, after the measured runs: io_uring-bench under"
	echo "\`perf record -e cpu-clock -c 20000\` (Debian's linux-perf, in the guest): a sample every 20000 ns of"
	echo "guest time = every 20000 guest instructions, so a symbol's share is its share of instructions."
	echo "The sample lands where the timer interrupt is taken: code that runs with interrupts off, hard irq"
	echo "handlers included, is charged to the code they interrupted (no NMI-driven PMU under TCG). So in"
	echo "the nullb-qd32 profile the completions null_blk runs in hard irq (its hrtimer, blk_mq_end_request,"
	echo "io_uring's ->ki_complete) are hidden in the submission symbols they interrupted, and most samples"
	echo "pile up on the few places where those interrupts land: read it for what runs in process context"
	echo "only. The IOPOLL profile has its completions in process context. The sampling costs instructions"
	echo "too (the profiled runs are slower than the table's). Whole reports: \`bench/profile-<kernel>-<row>.txt\`"
	echo "(\`perf report --stdio --sort dso,sym --percent-limit 0.5\`). The top symbols:"
	for f in "$res"/profile-ours-*.txt; do
		[ -f "$f" ] || continue
		row=${f##*/profile-ours-}; row=${row%.txt}
		echo
		echo "**$row** ($(sed -n "s/^cmd profile-$row //p" "$b"/raw/icount-*-ours.txt | head -n 1))"
		echo
		echo '```'
		pr -m -t -w 130 <(echo ours; top "$f") <(echo reference; top "$res/profile-upstream-$row.txt") |
			expand
		echo '```'
	done
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
	echo "DEFER_TASKRUN and drop those the kernel refuses: a kernel without them runs these rows on a"
	echo "different completion path than the reference (Linux 6.1 has all three)."
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
