#!/bin/bash
# Boot a kernel in QEMU (TCG, 2 vCPUs) with the host's / as a read-only 9p root and run one
# job script inside it; the guest writes to build/guest/out (a writable 9p share).
#   scripts/guest.sh BZIMAGE JOB [TIMEOUT_SECONDS]     JOB: a script path, or "shell"
# IOU_ICOUNT=1: instruction-counting mode, 1 vCPU (see below).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
img=$1 job=$2 limit=${3:-2400}
g=$top/build/guest-${KERNEL:-ours}${DEBUG:+-debug}
rm -rf "$g/out" && mkdir -p "$g/out"

# A fresh ext4 scratch disk per boot: tests run from it (O_DIRECT works there, not on 9p).
rm -f "$g/scratch.img"
truncate -s 4G "$g/scratch.img"
mkfs.ext4 -q -F "$g/scratch.img"

env="IOU_TOP=$top IOU_JOB=$job ${IOU_GUEST_ENV:-}"
# debug kernels: SLUB checks without per-allocation stack traces, and a
# soft-lockup threshold that allows for KASAN under TCG
[ -z "${DEBUG:-}" ] || env="slub_debug=FZP watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=120 $env"
append="console=ttyS0 root=/dev/root rootfstype=9p ro init=$top/scripts/guest-init.sh
	rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose
	panic=-1 loglevel=6 null_blk.queue_mode=2 null_blk.poll_queues=2
	null_blk.submit_queues=2 null_blk.nr_devices=1 $env"

# IOU_ICOUNT=1: instruction-counting mode, for exact benchmark figures on a noisy host.
# Guest time then advances 1 ns per executed guest instruction, so a rate the guest measures
# is 1e9 / (instructions per operation) whatever the host's load; sleep=off lets an idle
# guest's clock jump to the next timer instead of waiting for the host's. 1 vCPU and
# single-threaded TCG: icount needs both (an SMP guest hangs at CPU bring-up, QEMU 7.2).
accel=tcg,thread=multi cpus=(-smp 2)
[ -z "${IOU_ICOUNT:-}" ] || accel=tcg,thread=single cpus=(-smp 1 -icount shift=0,sleep=off)
qemu=(qemu-system-x86_64 -accel $accel -cpu max "${cpus[@]}" -m 3G -no-reboot
	-display none -monitor none -kernel "$img" -append "$(echo $append)"
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap
	-device virtio-9p-pci,fsdev=root,mount_tag=/dev/root
	-fsdev local,id=out,path="$g/out",security_model=none,multidevs=remap
	-device virtio-9p-pci,fsdev=out,mount_tag=out
	-drive file="$g/scratch.img",if=virtio,format=raw,cache=unsafe)
# IOU_QEMU_ARGS: more QEMU options, e.g. a TCG plugin (bench/insnprof.c)
[ -z "${IOU_QEMU_ARGS:-}" ] || qemu+=($IOU_QEMU_ARGS)

if [ "$job" = shell ]; then
	exec "${qemu[@]}" -serial mon:stdio
fi
rc=0
timeout -k 10 "$limit" "${qemu[@]}" -serial stdio </dev/null | tee "$g/console.log" || rc=$?
if [ "$rc" = 124 ]; then
	echo "guest: killed after ${limit}s" | tee -a "$g/console.log"
fi
[ -f "$g/out/job.rc" ] || { echo "guest: the job did not finish"; exit 1; }
exit 0
