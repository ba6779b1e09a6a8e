#!/bin/bash
# ./harness bench: our kernel against the reference (the base kernel with its own io_uring).
# Boots them in turn, ours then reference, for BENCH_ROUNDS rounds (default 3), in the same
# QEMU set-up (scripts/guest.sh), runs the same workloads in each boot
# (scripts/guest-bench.sh), then writes bench/RESULTS.md (median, min..max and the ratio
# ours/reference of every row), bench/qd.dat and bench/qd.png (nullb0 IOPS against queue
# depth, plotted by bench/qd.gp) and prints the table.
# Environment: BENCH_ROUNDS=N, BENCH_LONG=1 (10 s per workload, more queue depths),
# BENCH_BUILD=0 (take the kernels and tools as they are built, build nothing).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${BENCH_ROUNDS:-3}
[ "$rounds" -ge 1 ] 2>/dev/null || { echo "bench: BENCH_ROUNDS must be a number >= 1"; exit 2; }
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

# --- the boots: ours, reference, ours, reference ... -----------------------------------------
export IOU_GUEST_ENV="IOU_BENCH_BIN=$b/bin IOU_BENCH_SECS=$secs IOU_BENCH_FIO_SECS=$fsecs ${BENCH_LONG:+IOU_BENCH_LONG=1}"
for r in $(seq 1 "$rounds"); do
	for k in ours upstream; do
		s=$SECONDS
		g=$top/build/guest-bench-$k
		DEBUG= KERNEL=bench-$k "$top/scripts/guest.sh" "$b/bzImage-$k" "$top/scripts/guest-bench.sh" 900 \
			> "$b/raw/$r-$k.console" 2>&1 || say "round $r $k: the guest did not finish"
		touch "$g/out/bench.txt"
		cp "$g/out/bench.txt" "$b/raw/$r-$k.txt"
		cp -r "$g/out/logs" "$b/raw/$r-$k.logs" 2>/dev/null || true
		grep -E 'BUG|WARNING|Oops|Call Trace|hung_task|stall' "$b/raw/$r-$k.console" |
			sed "s/^/round $r $k: /" | head -n 5 | tee -a "$b/splats.txt" || true
		say "round $r/$rounds $k: $((SECONDS - s))s, $(grep -c ' IOPS$\| us$' "$b/raw/$r-$k.txt") rows," \
			"$(grep -c ' n/a ' "$b/raw/$r-$k.txt") n/a"
	done
done

# --- medians, spread, ratio --------------------------------------------------------------------
# one line per row: row unit ours(med min max ok) ref(med min max ok) ratio
awk -v rounds="$rounds" '
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
}' "$b"/raw/*-ours.txt "$b"/raw/*-upstream.txt > "$b/summary.txt"

# nullb0 O_DIRECT random reads against queue depth, for the plot
awk '$1 ~ /^nullb-qd[0-9]+$/ { d = $1; sub(/^nullb-qd/, "", d); print d, $3, $4, $5, $7, $8, $9 }' \
	"$b/summary.txt" | sort -n > "$res/qd.dat"
sed -i '1i # depth ours_median ours_min ours_max ref_median ref_min ref_max (IOPS; - = n/a)' "$res/qd.dat"
gnuplot -e "datafile='$res/qd.dat'; outfile='$res/qd.png'" "$res/qd.gp" ||
	say "gnuplot failed, no plot"

# --- RESULTS.md ----------------------------------------------------------------------------------
table() {
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
first=$b/raw/1-ours.txt
meta() { sed -n "s/^meta $2 //p" "$b/raw/1-$1.txt" | head -n 1; }
{
	echo "# io_uring benchmarks: ours against the reference"
	echo
	echo "Written by \`./harness bench\` (scripts/bench.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'); the run took $(((SECONDS - t0 + 30) / 60)) min."
	echo
	echo "- Base kernel: Linux $(make -s -C "$top/build/upstream" kernelversion 2>/dev/null || echo '?') from Debian's linux-source-6.1 $(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo '?')."
	echo "  **ours** = the base with its io_uring replaced by this series (guest: $(meta ours kernel) $(meta ours version));"
	echo "  **reference** = the unmodified base with its own io_uring (guest: $(meta upstream kernel) $(meta upstream version)); same config (config/guest.config)."
	echo "- VM: $(qemu-system-x86_64 --version | head -n 1), TCG (no KVM, multi-threaded), -cpu max, 2 vCPUs, 3 GiB;"
	echo "  host: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) CPUs, shared with other work"
	echo "  (load average at the start: $load)."
	echo "  Devices: /dev/nullb0 = null_blk queue_mode=2 (blk-mq) submit_queues=2 poll_queues=2 (no data transfer);"
	echo "  the page-cache file is 64 MiB on ext4 on virtio-blk, read once before the runs."
	echo "- Method: rounds: $rounds, each boots ours then the reference (interleaved: A B A B ...); every boot runs"
	echo "  every workload once, ${secs} s each (each fio job ${fsecs} s). Median over the rounds, spread = min..max."
	echo
	echo "**Under TCG the absolute figures mean little**: every guest instruction is emulated (far slower than"
	echo "hardware, and not uniformly so), and the host is shared. The figure of merit is the ratio ours/reference"
	echo "within one run. IOPS rows: higher is better (ratio > 1: ours faster). Latency rows (us): lower is better"
	echo "(ratio < 1: ours faster). n/a: the workload failed on that kernel (see below)."
	echo "The fio libaio and psync rows do not touch io_uring: their ratios would be 1.00 without noise, so"
	echo "how far they stray shows how much of any other ratio is noise."
	echo
	table
	echo
	echo "![nullb0 O_DIRECT 4 KiB random reads: IOPS against queue depth](qd.png)"
	echo
	echo "\`qd.png\`: nullb0 O_DIRECT 4 KiB random reads (io_uring-bench, batch min(depth, 8)), median IOPS"
	echo "against queue depth with min..max bars; data in \`qd.dat\`, plotted by \`qd.gp\`."
	echo
	echo "## Workloads"
	echo
	echo "As run in the guest (\`scripts/guest-bench.sh\`; io_uring-bench and io_uring-pingpong are"
	echo "linux/tools/io_uring, t_io_uring is fio's t/io_uring built from Debian's fio source package):"
	echo
	sed -n 's/^cmd \([^ ]*\) \(.*\)/- `\1`: `\2`/p' "$first"
	echo
	echo "fio's io_uring engine and t/io_uring ask for IORING_SETUP_COOP_TASKRUN, SINGLE_ISSUER and"
	echo "DEFER_TASKRUN and drop those the kernel refuses: a kernel without them runs these rows on a"
	echo "different completion path than the reference (Linux 6.1 has all three)."
	echo
	echo "io_uring-pingpong: a client and a server process, each with its own ring, one 64-byte message in"
	echo "flight, every socket read and write an IORING_OP_READ/IORING_OP_WRITE (the -sendrecv rows:"
	echo "IORING_OP_RECV/IORING_OP_SEND); the figure is the"
	echo "round-trip latency (p50, p99) over as many round trips as fit in ${secs} s. Both processes run on"
	echo "vCPU 0 (taskset): a wake-up across vCPUs would measure the host's scheduler more than the guest."
	echo
	echo "## Rows without a figure"
	echo
	notes=$(for f in "$b"/raw/*.txt; do
		k=$(basename "$f" .txt); k=${k#*-}
		sed -n "s/^note \([^ ]*\) \(.*\)/- \1 on $k: \2/p" "$f"
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
	echo
	echo "## Not measured"
	echo
	echo "Instructions per I/O in the guest kernel (QEMU TCG plugin): Debian's qemu-system-x86 7.2 ships no"
	echo "TCG plugins (no libinsn.so; \`dpkg -L qemu-system-x86 qemu-system-common | grep plugin\` is empty),"
	echo "so this is left out."
} > "$res/RESULTS.md"

echo
table
echo
say "done: $res/RESULTS.md, $res/qd.png (raw results: $b/raw)"
