#!/bin/bash
# PID 1 of the test guest: mount what a userspace needs on top of the read-only 9p root,
# run $IOU_JOB with its output in /mnt/out, then power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
# a private /tmp, but a project checked out under the host's /tmp stays in sight
mkdir -p /run/host-tmp
mount --bind /tmp /run/host-tmp
mount -t tmpfs tmpfs /tmp
case $IOU_TOP in
/tmp/?*)
	d=${IOU_TOP#/tmp/}
	d=${d%%/*}
	mkdir -p "/tmp/$d"
	mount --bind "/run/host-tmp/$d" "/tmp/$d"
	;;
esac
mount -t tmpfs tmpfs /mnt
mkdir -p /mnt/out /mnt/scratch
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out /mnt/out
mount -t ext4 /dev/vda /mnt/scratch
ip link set lo up
echo 60 > /proc/sys/kernel/hung_task_timeout_secs 2>/dev/null
ulimit -n 65536

echo "guest: up, $(nproc) CPUs, kernel $(uname -r), job $IOU_JOB"
cd /mnt/scratch
if [ "$IOU_JOB" = shell ]; then
	setsid -c bash -i
	echo 0 > /mnt/out/job.rc
else
	bash "$IOU_JOB"
	echo $? > /mnt/out/job.rc
fi
dmesg > /mnt/out/dmesg.txt
cd /
umount /mnt/scratch
sync
echo o > /proc/sysrq-trigger
# init must not exit, or the kernel panics: the power-off may take the 9p
# root away before it is done, and a sleep that can't be run any more
# (exit 126) would end the script
while :; do
	sleep 10 2>/dev/null
done
