#!/bin/bash
# The main job's demo, run inside the guest: io_uring on the kernel we just built.
tools=$IOU_TOP/build/linux/tools/io_uring
exec > >(tee /mnt/out/demo.log) 2>&1
echo "demo: kernel $(uname -r) on $(nproc) CPUs"
if [ ! -x "$tools/io_uring-bench" ]; then
	echo "demo: tools/io_uring is not built"; exit 1
fi
echo; echo "demo: 100000 NOPs through the rings, 32 in flight, submitted 8 at a time"
"$tools/io_uring-bench" -n -d 32 -b 8 -c 100000 -q

echo; echo "demo: io_uring-cp of a 32 MiB random file on ext4, then verified"
head -c 32M /dev/urandom > /mnt/scratch/src
"$tools/io_uring-cp" -v /mnt/scratch/src /mnt/scratch/dst && cmp /mnt/scratch/src /mnt/scratch/dst &&
	echo "demo: cmp agrees"

echo; echo "demo: random 4 KiB O_DIRECT reads on /dev/nullb0 for 5 s, depth 32"
"$tools/io_uring-bench" -O -d 32 -b 8 -t 5 -q /dev/nullb0
echo; echo "demo: done"
