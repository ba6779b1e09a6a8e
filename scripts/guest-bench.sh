#!/bin/bash
# Runs inside the guest (see guest-init.sh) for scripts/bench.sh: every workload once, and one
# line per measurement in /mnt/out/bench.txt:
#   <row> <value|n/a> <unit>        unit IOPS or us (latency)
#   cmd <name> <command line>       what ran (output in /mnt/out/logs/<name>.log)
#   note <row> <text>               why a row is n/a (the last line of its log)
#   time <name> <seconds>           how long it took, start-up included
#   meta <key> <value...>
# Environment (kernel command line): IOU_BENCH_BIN (io_uring-bench, io_uring-pingpong,
# t_io_uring), IOU_BENCH_SECS (run time of each workload), IOU_BENCH_FIO_SECS (each fio
# job), IOU_BENCH_LONG=1 (more queue depths), IOU_BENCH_TIO_WARMUP=N (t/io_uring runs N s
# longer and its first N per-second figures stay out of the mean: the first second holds the
# submitter's start-up, noise the instruction-counting mode of guest.sh would otherwise show).
# IOU_BENCH_ICOUNT=1: the instruction-counting mode (guest.sh IOU_ICOUNT=1, 1 vCPU): every
# workload runs a fixed number of operations instead of a fixed time (IOU_BENCH_OPS I/Os,
# 5x as many NOPs, IOU_BENCH_OPS/2 round trips; t/io_uring, which only knows run times, runs
# IOU_BENCH_SECS after IOU_BENCH_TIO_WARMUP), ping-pong gives round trips per second, there is
# no SQPOLL row (its thread would share the one vCPU).
# IOU_BENCH_PROFILE=1: the profiling boot (QEMU with bench/insnprof.c): only the rows in $prows,
# each bracketed by $bin/iou-mark, whose marker instruction makes the plugin write the counts
# since the last one; a line "profile <row> <operations>" per row, in order.
set -uo pipefail	# no -e: a workload that fails is an "n/a" row, not the end of the run
out=/mnt/out
res=$out/bench.txt
icount=${IOU_BENCH_ICOUNT:-}
ops=${IOU_BENCH_OPS:-100000}
secs=${IOU_BENCH_SECS:-2}
fsecs=${IOU_BENCH_FIO_SECS:-3}
dev=/dev/nullb0
file=/mnt/scratch/bench.dat
: > "$res"
mkdir -p $out/logs
# the tools from tmpfs: a page fault read over 9p in a measured loop would stall the guest,
# and in the instruction-counting mode its clock then jumps ahead to the next timer
bin=/tmp/bench-bin
cp -r "$IOU_BENCH_BIN" $bin
mark= prows=
if [ -n "${IOU_BENCH_PROFILE:-}" ]; then
	mark=$bin/iou-mark
	prows="nop-batch1 nop-batch8 nop-batch32 nullb-qd1 nullb-qd32 nullb-qd32-fixedfiles-fixedbufs
		nullb-qd32-iopoll pagecache-qd32 pingpong-tcp pingpong-unix"
fi

# Under TCG every process costs: the bookkeeping below sticks to bash builtins.

# run NAME CMD...: run a workload, its output in logs/NAME.log; returns its exit status
run() {
	local name=$1 c t rc log=$out/logs/$1.log
	shift
	c="$*"
	echo "cmd $name ${c//$bin\//}" >> "$res"
	# between the markers, nothing over 9p: the guest would idle meanwhile, its clock jump ahead
	# and the timer interrupts catching up count in the row
	[ -z "$mark" ] || log=/tmp/$name.log
	t=${EPOCHREALTIME/./}
	[ -z "$mark" ] || $mark
	timeout -k 5 $((fsecs + secs + 120)) "$@" > $log 2>&1
	rc=$?
	[ -z "$mark" ] || { $mark; cp $log $out/logs/; }
	t=$((${EPOCHREALTIME/./} - t))
	printf 'time %s %d.%03d\n' "$name" $((t / 1000000)) $((t / 1000 % 1000)) >> "$res"
	return $rc
}

# emit ROW VALUE UNIT [LOG]: one measurement; an empty VALUE is n/a
emit() {
	echo "$1 ${2:-n/a} $3" >> "$res"
	echo "  $1 ${2:-n/a} $3"
	if [ -z "$2" ] && [ -n "${4:-}" ]; then
		echo "note $1 $(grep -v '^$' "$4" | tail -n 1 | cut -c 1-200)" >> "$res"
	fi
}

# want ROW: whether to run ROW (in the profiling boot, only those in $prows)
want() {
	[ -z "$mark" ] || [[ " $prows " == *[[:space:]]"$1"[[:space:]]* ]]
}

# grab LOG REGEX: the first parenthesised group of the last line of LOG that matches
grab() {
	local line v=
	while read -r line; do
		[[ $line =~ $2 ]] && v=${BASH_REMATCH[1]}
	done < "$1"
	echo "$v"
}

# uring_bench ROW OPS ARGS...: io_uring-bench for IOU_BENCH_SECS, or OPS operations in the
# instruction-counting mode; its final IOPS= summary
uring_bench() {
	local row=$1 n=$2 v=
	shift 2
	want "$row" || return 0
	[ -z "$mark" ] || echo "profile $row $n" >> "$res"
	if [ -n "$icount" ]; then set -- -c "$n" "$@"; else set -- -t "$secs" "$@"; fi
	run "$row" "$bin/io_uring-bench" -q "$@" &&
		v=$(grab $out/logs/$row.log '^IOPS=([0-9]+) ')
	emit "$row" "$v" IOPS $out/logs/$row.log
}

# fio_jobs WHAT TARGET DIRECT: one fio run, a job per engine (one after the other, --stonewall);
# rows fio-<name of the target>-<engine>, read IOPS from the terse (v3) lines: field 3 is
# the job name, 5 the error, 8 the read IOPS
fio_jobs() {
	local what=$1 target=$2 direct=$3 e d v args=() len
	local -A iops=()
	[ -z "$mark" ] || return 0	# a run for several rows
	for e in io_uring libaio psync; do
		d=32
		[ $e = psync ] && d=1
		args+=(--name=fio-$what-$e --ioengine=$e --iodepth=$d)
	done
	# the same jobs, a few I/Os each, unmeasured: fio's code read in before the measured run
	run fio-$what-warmup fio --filename="$target" --direct="$direct" --rw=randread --bs=4k \
		--invalidate=0 --io_size=64k --stonewall --eta=never "${args[@]}"
	len=(--time_based --runtime="$fsecs")
	[ -z "$icount" ] || len=(--io_size=$((ops * 4))k)
	run fio-$what fio --filename="$target" --direct="$direct" --rw=randread --bs=4k \
		--invalidate=0 "${len[@]}" --stonewall --eta=never \
		--output-format=terse "${args[@]}"
	for e in io_uring libaio psync; do
		v=$(awk -F';' -v j=fio-$what-$e '$1 == 3 && $3 == j && $5 == 0 { printf "%.0f\n", $8 }' \
			$out/logs/fio-$what.log)
		emit fio-$what-$e "$v" IOPS
		[ -n "$v" ] || echo "note fio-$what-$e $(grep -m 1 -i 'error\|fio:' \
			$out/logs/fio-$what.log | cut -c 1-200)" >> "$res"
		iops[$e]=$v
	done
	# io_uring's operations per libaio's, in the same time (= per instruction, when counting)
	v=
	[ -z "${iops[io_uring]}" ] || [ -z "${iops[libaio]}" ] ||
		v=$(awk "BEGIN { printf \"%.4f\n\", ${iops[io_uring]} / ${iops[libaio]} }")
	emit fio-$what-io_uring/libaio "$v" x
}

# t_io_uring ROW ARGS...: fio's t/io_uring, the mean of its per-second IOPS= lines
t_io_uring() {
	local row=$1 v= warm=${IOU_BENCH_TIO_WARMUP:-0}
	shift
	want "$row" || return 0
	if [ ! -x "$bin/t_io_uring" ]; then
		echo "t/io_uring was not built" > $out/logs/$row.log
		emit "$row" "" IOPS $out/logs/$row.log
		return
	fi
	run "$row" "$bin/t_io_uring" -r $((secs + warm)) "$@" &&
		v=$(awk -v warm="$warm" '/^IOPS=/ && ++k > warm {
				x = $1; sub(/^IOPS=/, "", x); sub(/,$/, "", x)
				m = 1
				if (x ~ /M$/) m = 1e6
				if (x ~ /K$/) m = 1e3
				sub(/[KM]$/, "", x)
				s += x * m; n++
			}
			END { if (n) printf "%.0f\n", s / n }' $out/logs/$row.log)
	emit "$row" "$v" IOPS $out/logs/$row.log
}

# pingpong NAME TRANSPORT [OPTION...]: two rows, p50 and p99 round-trip latency. Client and
# server share one vCPU: wake-ups across vCPUs would measure the host's scheduler more than the
# guest.
pingpong() {
	local p50= p99= name=$1 transport=$2 v=
	shift 2
	want "$name" || return 0
	if [ -n "$icount" ]; then	# round trips per second of guest time
		[ -z "$mark" ] || echo "profile $name $((ops / 2))" >> "$res"
		run "$name" "$bin/io_uring-pingpong" "$@" -s 64 -n $((ops / 2)) "$transport" &&
			v=$(awk '{ for (i = 1; i <= NF; i++) { split($i, f, "="); k[f[1]] = f[2] } }
				END { if (k["secs"] > 0) printf "%.0f\n", k["iters"] / k["secs"] }' \
				$out/logs/$name.log)
		emit "$name" "$v" rt/s $out/logs/$name.log
		return
	fi
	if run "$name" taskset -c 0 "$bin/io_uring-pingpong" "$@" -s 64 -n 1000000 -t "$secs" "$transport"; then
		p50=$(grab $out/logs/$name.log ' p50_us=([0-9.]+) ')
		p99=$(grab $out/logs/$name.log ' p99_us=([0-9.]+) ')
	fi
	emit "$name-p50" "$p50" us $out/logs/$name.log
	emit "$name-p99" "$p99" us $out/logs/$name.log
}

echo "meta kernel $(uname -r)" >> "$res"
echo "meta version $(uname -v)" >> "$res"
echo "meta cpus $(nproc)" >> "$res"
echo "meta mode $([ -n "$icount" ] && echo icount || echo timed)" >> "$res"
echo "meta secs $secs" >> "$res"
echo "meta fio_secs $fsecs" >> "$res"
echo "meta ops $ops" >> "$res"
echo "meta nullb $(cat /sys/block/nullb0/queue/io_poll 2>/dev/null) $(ls /sys/block/nullb0/mq 2>/dev/null | wc -l)" >> "$res"
echo "meta nullb_irqmode $(cat /sys/module/null_blk/parameters/irqmode 2>/dev/null)" >> "$res"

# each tool once, unmeasured: its code and libraries paged in
"$bin/io_uring-bench" -q -n -c 1000 > /dev/null 2>&1
"$bin/io_uring-bench" -q -O -c 1000 $dev > /dev/null 2>&1
"$bin/io_uring-pingpong" -n 100 tcp > /dev/null 2>&1

echo "== bench: io_uring-bench NOPs"
for b in 1 8 32; do
	uring_bench nop-batch$b $((ops * 5)) -n -d 32 -b $b
done

echo "== bench: io_uring-bench, $dev O_DIRECT 4 KiB random reads"
depths="1 32 128"
[ -n "${IOU_BENCH_LONG:-}" ] && depths="1 2 4 8 16 32 64 128 256"
for d in $depths; do
	uring_bench nullb-qd$d $ops -O -d $d -b $((d < 8 ? d : 8)) $dev
done
uring_bench nullb-qd32-fixedfiles $ops -O -f -d 32 -b 8 $dev
uring_bench nullb-qd32-fixedfiles-fixedbufs $ops -O -f -B -d 32 -b 8 $dev
uring_bench nullb-qd32-iopoll $ops -O -p -d 32 -b 8 $dev
[ -n "$icount" ] || uring_bench nullb-qd32-sqpoll $ops -O -s -d 32 -b 8 $dev

echo "== bench: io_uring-bench, buffered 4 KiB random reads from the page cache"
dd if=/dev/zero of=$file bs=1M count=64 status=none
cat $file > /dev/null
# written back now, atime included: a writeback later on would land in some other row
sync
uring_bench pagecache-qd32 $ops -d 32 -b 8 $file

echo "== bench: io_uring-pingpong, 64-byte request/response"
pingpong pingpong-tcp tcp
pingpong pingpong-unix unix
pingpong pingpong-tcp-sendrecv tcp -m
pingpong pingpong-unix-sendrecv unix -m

echo "== bench: fio $(fio --version)"
fio_jobs nullb $dev 1
fio_jobs pagecache $file 0

echo "== bench: fio's t/io_uring"
t_io_uring t_io_uring-nullb-qd32 -d 32 -s 8 -c 8 -p 0 -B 1 -F 1 -X 0 -n 1 $dev
t_io_uring t_io_uring-nop-qd32 -N 1 -d 32 -s 8 -c 8 -p 0 -B 0 -F 0 -X 0 -n 1

rm -f $file
echo "== bench: done"
