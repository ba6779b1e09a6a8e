// SPDX-License-Identifier: GPL-2.0
/*
 * The life of a request as userspace sees it: what a request still holds
 * once it has completed or its task has gone, how a completion outside the
 * submitter's syscall still does what an inline one does, which identity
 * deferred work acts with, and what RWF_NOWAIT, RWF_HIPRI and O_NONBLOCK
 * mean to a request.  Each case is a behaviour of 6.1 (the reference).
 *
 * Covered: a ring polling its own fd, and two rings polling each other,
 * torn down when their task exits; a pipe's reader seeing EOF once an
 * IOSQE_ASYNC write that outlived the writer's fd completed; blocking
 * reads in workers not holding up a ready one; exec reaping the task's
 * polled I/O; a drained request issued for another task acting with its
 * submitter's creds; RWF_HIPRI refused on a ring without IOPOLL; a short
 * RWF_NOWAIT read reporting the bytes it moved; O_NONBLOCK on regular
 * files (ext4 buffered writes and direct reads, tmpfs), pipes and sockets;
 * READ_FIXED on a file with only ->read (timerfd); waits whose timeout is
 * too large for ktime or not normalized; IN_MODIFY for an O_DIRECT write
 * completed from an interrupt.
 *
 * Files are created in the current directory, which must be on a disk file
 * system (ext4) for the page cache and O_DIRECT cases; /dev/shm should be
 * tmpfs.  The IOPOLL and RWF_HIPRI device cases use /dev/nullb0 (null_blk
 * with poll queues) and are skipped without it.  Run as root.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/vfs.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#ifndef RWF_HIPRI
#define RWF_HIPRI	0x00000001
#endif
#ifndef RWF_NOWAIT
#define RWF_NOWAIT	0x00000008
#endif
#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC	0x01021994
#endif

#define ENTRIES		32
#define BS		4096
#define NR_PIPES	24	/* more than our 8 workers, far below NPROC */

/* How long a file must take at most to see EOF that 6.1 gives at once. */
#define EOF_MS		2000
/* The same for the end of a process's ring, torn down by a workqueue. */
#define TEARDOWN_MS	3000
#define CHILD_MS	5000

#define NULLB		"/dev/nullb0"
#define NULLB_TIMEOUT	"/sys/block/nullb0/queue/io_timeout"

FIXTURE(lifecycle) {
	struct ring r;
	int fd;
	char path[40];
	char *wbuf, *rbuf;	/* BS-aligned, 4 * BS each */
};

FIXTURE_SETUP(lifecycle)
{
	void *w, *r;
	int i;

	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, 0));
	strcpy(self->path, "./io_uring_lifecycle_XXXXXX");
	self->fd = mkstemp(self->path);
	ASSERT_GE(self->fd, 0);
	ASSERT_EQ(0, posix_memalign(&w, BS, 4 * BS));
	ASSERT_EQ(0, posix_memalign(&r, BS, 4 * BS));
	self->wbuf = w;
	self->rbuf = r;
	for (i = 0; i < 4 * BS; i++)
		self->wbuf[i] = (char)(i * 7 + 3);
	memset(self->rbuf, 0, 4 * BS);
}

FIXTURE_TEARDOWN(lifecycle)
{
	if (self->fd >= 0)
		close(self->fd);
	unlink(self->path);
	free(self->wbuf);
	free(self->rbuf);
	ring_exit(&self->r);
}

/*
 * Does reading @fd, whose data has been consumed, give EOF within @ms?
 * Returns 0 if so, -ETIME if not, else what read() said.
 */
static int eof_within(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char c;
	int ret;

	ret = poll(&pfd, 1, ms);
	if (ret < 0)
		return -errno;
	if (!ret)
		return -ETIME;
	ret = read(fd, &c, 1);
	return ret < 0 ? -errno : ret;
}

/* Is each of the first @nr pages of @fd in the page cache?  A bit each. */
static int cached_pages(int fd, int nr)
{
	unsigned char vec[8];
	void *map;
	int i, bits = 0;

	if (nr > 8)
		return -EINVAL;
	map = mmap(NULL, nr * BS, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return -errno;
	if (mincore(map, nr * BS, vec)) {
		bits = -errno;
	} else {
		for (i = 0; i < nr; i++)
			if (vec[i] & 1)
				bits |= 1 << i;
	}
	munmap(map, nr * BS);
	return bits;
}

/* @nr pages written back to disk, those from @drop_from on then dropped. */
static int write_uncached(int fd, const char *buf, int nr, off_t drop_from)
{
	if (pwrite(fd, buf, nr * BS, 0) != nr * BS || fsync(fd))
		return -errno ?: -EIO;
	return -posix_fadvise(fd, drop_from, nr * BS - drop_from,
			      POSIX_FADV_DONTNEED);
}

/*
 * In a child: a ring that holds @wfd, the write end of a pipe, as its only
 * registered file, polls its own fd (which never becomes readable, nothing
 * completes on it), or with @other, two rings each poll the other's.  Our
 * copies of the write ends are closed: only the rings keep them open, and
 * the reader sees EOF once they are freed.  Then the task exits.
 */
static void child_poll_ring_and_exit(int wfd, int wfd2, bool other)
{
	struct ring a, b;

	if (ring_init(&a, 4, 0))
		_exit(2);
	if (io_uring_register(a.fd, IORING_REGISTER_FILES, &wfd, 1))
		_exit(3);
	close(wfd);
	if (!other) {
		ring_prep_poll_add(ring_get_sqe(&a), a.fd, POLLIN, 1);
		_exit(ring_submit(&a) == 1 ? 0 : 4);
	}
	if (ring_init(&b, 4, 0))
		_exit(5);
	if (io_uring_register(b.fd, IORING_REGISTER_FILES, &wfd2, 1))
		_exit(6);
	close(wfd2);
	ring_prep_poll_add(ring_get_sqe(&a), b.fd, POLLIN, 1);
	ring_prep_poll_add(ring_get_sqe(&b), a.fd, POLLIN, 2);
	if (ring_submit(&a) != 1 || ring_submit(&b) != 1)
		_exit(7);
	_exit(0);
}

/*
 * 6.1 cancels, when a task exits, its requests on io_uring files
 * (REQ_F_INFLIGHT): a poll on a ring fd holds a reference to that ring's
 * file, and a ring that polls itself would otherwise never be released,
 * with its memory, pinned pages, registered files and the task.
 */
static void ring_poll_dies_with_task(struct __test_metadata *_metadata,
				     bool other)
{
	int p[2], q[2] = { -1, -1 };
	struct timespec start;
	int status;
	long left;
	pid_t pid;

	ASSERT_EQ(0, pipe(p));
	if (other)
		ASSERT_EQ(0, pipe(q));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		close(p[0]);
		if (other)
			close(q[0]);
		child_poll_ring_and_exit(p[1], q[1], other);
	}
	close(p[1]);
	if (other)
		close(q[1]);
	status = wait_child(pid, CHILD_MS);
	ASSERT_NE(-1, status) {
		TH_LOG("the child did not exit within %d ms", CHILD_MS);
	}
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));

	clock_gettime(CLOCK_MONOTONIC, &start);
	EXPECT_EQ(0, eof_within(p[0], TEARDOWN_MS)) {
		TH_LOG("the ring outlived its task: its files are still open");
	}
	/* Both rings go at once: what is left of the same bound. */
	left = TEARDOWN_MS - ms_since(&start);
	if (other)
		EXPECT_EQ(0, eof_within(q[0], left > 0 ? left : 0));
	close(p[0]);
	if (other)
		close(q[0]);
}

TEST_F_TIMEOUT(lifecycle, ring_polling_itself_is_freed_when_task_exits,
	       IOU_TIMEOUT)
{
	ring_poll_dies_with_task(_metadata, false);
}

TEST_F_TIMEOUT(lifecycle, rings_polling_each_other_are_freed_when_task_exits,
	       IOU_TIMEOUT)
{
	ring_poll_dies_with_task(_metadata, true);
}

/*
 * A request's file reference goes with the request: a write that had to
 * wait for room in the pipe completes after the writer closed its own fd,
 * and the reader then gets EOF (6.1 drops the request's reference in the
 * submitter's task_work; a worker must run its own task_work, where the
 * final fput() of the file goes, not leave it until it idles out).
 */
TEST_F_TIMEOUT(lifecycle, pipe_reader_sees_eof_once_async_write_completed,
	       IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int p[2], sz, n, got;
	char c;

	ASSERT_EQ(0, pipe(p));
	/* One page of room, filled: the write has to wait. */
	sz = fcntl(p[1], F_SETPIPE_SZ, BS);
	ASSERT_GE(sz, BS);
	ASSERT_LE(sz, 4 * BS);
	ASSERT_EQ(sz, write(p[1], self->wbuf, sz));
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_WRITE, p[1], "x", 1, 0, 1);
	sqe->flags = IOSQE_ASYNC;
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));

	/* The request holds the last reference to the write side. */
	close(p[1]);
	for (got = 0; got < sz; got += n) {
		n = read(p[0], self->rbuf, sz - got);
		ASSERT_GT(n, 0);
	}
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(1, cqe.user_data);
	EXPECT_EQ(1, cqe.res);
	ASSERT_EQ(1, read(p[0], &c, 1));
	EXPECT_EQ('x', c);
	EXPECT_EQ(0, eof_within(p[0], EOF_MS)) {
		TH_LOG("no EOF within %d ms of the write's completion", EOF_MS);
	}
	close(p[0]);
}

/*
 * io-wq starts another worker when one blocks and work is queued (up to
 * RLIMIT_NPROC for unbound work such as pipe reads): a read whose data is
 * there is not held up by reads that wait for theirs.
 */
TEST_F_TIMEOUT(lifecycle, blocked_async_reads_do_not_hold_up_a_ready_one,
	       IOU_TIMEOUT)
{
	const int last = NR_PIPES - 1;
	struct io_uring_cqe cqe;
	char buf[NR_PIPES];
	int p[NR_PIPES][2];
	int i, ret, seen = 0;
	bool last_done;

	for (i = 0; i < NR_PIPES; i++) {
		struct io_uring_sqe *sqe = ring_get_sqe(&self->r);

		ASSERT_EQ(0, pipe(p[i]));
		ASSERT_NE(NULL, sqe);
		ring_prep_rw(sqe, IORING_OP_READ, p[i][0], &buf[i], 1, 0, i);
		sqe->flags = IOSQE_ASYNC;
	}
	ASSERT_EQ(NR_PIPES, ring_submit(&self->r));
	ASSERT_EQ(1, write(p[last][1], "z", 1));

	ret = ring_wait_cqe_timeout(&self->r, &cqe, EOF_MS);
	last_done = !ret && cqe.user_data == last;
	EXPECT_TRUE(last_done) {
		if (ret)
			TH_LOG("the read with data did not complete in %d ms",
			       EOF_MS);
		else
			TH_LOG("unexpected CQE %llu res %d",
			       (unsigned long long)cqe.user_data, cqe.res);
	}
	if (last_done) {
		EXPECT_EQ(1, cqe.res);
		EXPECT_EQ('z', buf[last]);
		seen++;
	}

	/* Feed the others, so that nothing is left waiting. */
	for (i = 0; i < last; i++)
		ASSERT_EQ(1, write(p[i][1], "y", 1));
	for (; seen < NR_PIPES; seen++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		EXPECT_EQ(1, cqe.res);
	}
	EXPECT_TRUE(QUIET(&self->r));
	for (i = 0; i < NR_PIPES; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
}

/*
 * Exec cancels and reaps every request of the task, polled I/O included:
 * none may be issued again later for the new image.  The child shares our
 * IOPOLL ring, queues a read on a polled queue and execs; by the time it
 * has exited, 6.1 has reaped the read and its CQE is in the ring, with
 * nobody else having polled for it.
 */
TEST_F_TIMEOUT(lifecycle, exec_reaps_polled_reads, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct ring r;
	int fd, status;
	pid_t pid;

	fd = open(NULLB, O_RDONLY | O_DIRECT);
	if (fd < 0)
		SKIP(return, NULLB " not available");
	ASSERT_EQ(0, ring_init(&r, 4, IORING_SETUP_IOPOLL));

	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		ring_prep_rw(ring_get_sqe(&r), IORING_OP_READ, fd, self->rbuf,
			     BS, 0, 9);
		/* Submit only: entering for CQEs would reap it. */
		if (ring_submit(&r) != 1)
			_exit(2);
		execl("/bin/true", "true", (char *)NULL);
		_exit(3);
	}
	status = wait_child(pid, CHILD_MS);
	ASSERT_NE(-1, status) {
		TH_LOG("the child did not exit within %d ms", CHILD_MS);
	}
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));

	EXPECT_EQ(1, ring_cq_ready(&r)) {
		TH_LOG("the child's polled read outlived its exec");
	}
	/* Ours polls for it here if the exec did not. */
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	EXPECT_EQ(9, cqe.user_data);
	EXPECT_EQ(BS, cqe.res);
	ring_exit(&r);
	close(fd);
}

/*
 * GETEVENTS on an IOPOLL ring waits for a read that a worker has yet to
 * issue (IOSQE_ASYNC), instead of returning at once because there is
 * nothing to poll yet; one io_uring_enter() returns with its CQE.  6.1
 * returns early there (and liburing calls it again and again): ours does
 * better on purpose.
 */
TEST_F_TIMEOUT(lifecycle, iopoll_wait_covers_reads_still_with_a_worker,
	       IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct ring r;
	int fd;

	fd = open(NULLB, O_RDONLY | O_DIRECT);
	if (fd < 0)
		SKIP(return, NULLB " not available");
	ASSERT_EQ(0, ring_init(&r, 4, IORING_SETUP_IOPOLL));

	sqe = ring_get_sqe(&r);
	ring_prep_rw(sqe, IORING_OP_READ, fd, self->rbuf, BS, 0, 11);
	sqe->flags |= IOSQE_ASYNC;
	ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
	EXPECT_EQ(1, ring_cq_ready(&r)) {
		TH_LOG("GETEVENTS returned before the worker's read was polled");
	}
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	EXPECT_EQ(11, cqe.user_data);
	EXPECT_EQ(BS, cqe.res);
	ring_exit(&r);
	close(fd);
}

struct creds_thread {
	struct ring *r;
	int fd;			/* a set-user-ID file */
	int warm[2];		/* what the warm-up write goes to */
	int done[2];		/* the thread sleeps on it until the end */
	pthread_barrier_t bar;
	int err;
};

/*
 * The second thread: gets a worker while it has every capability, then
 * drops CAP_FSETID and submits a drained write to the set-user-ID file.
 */
static void *drop_fsetid_and_write(void *arg)
{
	struct creds_thread *t = arg;
	struct io_uring_sqe *sqe;
	char c;

	if (ring_run_one(t->r, IORING_OP_WRITE, t->warm[1], "w", 1, 0,
			 IOSQE_ASYNC) != 1)
		t->err = 1;
	/*
	 * An fsuid change from 0 to non-zero drops the file system
	 * capabilities, CAP_FSETID among them, from this thread's effective
	 * set (the raw syscall: it is per thread).
	 */
	syscall(SYS_setfsuid, 65534);
	if (syscall(SYS_setfsuid, -1) != 65534)
		t->err = 2;
	pthread_barrier_wait(&t->bar);		/* the main thread submits */
	pthread_barrier_wait(&t->bar);
	sqe = ring_get_sqe(t->r);
	ring_prep_rw(sqe, IORING_OP_WRITE, t->fd, "data", 4, 0, 3);
	sqe->flags = IOSQE_IO_DRAIN;
	if (ring_submit(t->r) != 1)
		t->err = 3;
	pthread_barrier_wait(&t->bar);
	/* Interruptible: 6.1 issues the drained write from our task_work. */
	if (read(t->done[0], &c, 1) != 1)
		t->err = 4;
	return NULL;
}

/*
 * A request acts with its submitter's creds at submission, whoever ends
 * up issuing it.  Here the completion that releases a drain comes in the
 * main thread, whose own drained request goes first; the second thread's
 * drained write then runs on its behalf.  A write by a task without
 * CAP_FSETID clears the set-user-ID bit of the file it writes to; with
 * the creds the second thread's worker was created with, it would not.
 */
TEST_F_TIMEOUT(lifecycle, drained_write_acts_with_submitter_creds,
	       IOU_TIMEOUT)
{
	struct creds_thread t = { .r = &self->r, .fd = self->fd };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int x[2], i, ret;
	struct stat st;
	pthread_t thr;

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, fchmod(self->fd, S_ISUID | 0777));
	ASSERT_EQ(0, pipe(x));
	ASSERT_EQ(0, pipe(t.warm));
	ASSERT_EQ(0, pipe(t.done));
	ASSERT_EQ(0, pthread_barrier_init(&t.bar, NULL, 2));
	ASSERT_EQ(0, pthread_create(&thr, NULL, drop_fsetid_and_write, &t));

	/* The ring is ours between the barriers, the thread's outside. */
	pthread_barrier_wait(&t.bar);
	ring_prep_poll_add(ring_get_sqe(&self->r), x[0], POLLIN, 1);
	sqe = ring_get_sqe(&self->r);
	ring_prep_nop(sqe, 2);
	sqe->flags = IOSQE_IO_DRAIN;
	ret = ring_submit(&self->r);
	pthread_barrier_wait(&t.bar);
	pthread_barrier_wait(&t.bar);
	EXPECT_EQ(2, ret);

	/* Nothing may run before the poll completes. */
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(x[1], "x", 1));
	for (i = 0; i < 3; i++) {
		ret = ring_wait_cqe(&self->r, &cqe);
		EXPECT_EQ(0, ret);
		if (ret)
			break;
		EXPECT_EQ(i + 1, cqe.user_data);
		EXPECT_EQ(i == 0 ? POLLIN : i == 1 ? 0 : 4, cqe.res);
	}
	ASSERT_EQ(1, write(t.done[1], "d", 1));
	ASSERT_EQ(0, pthread_join(thr, NULL));
	EXPECT_EQ(0, t.err);

	ASSERT_EQ(0, fstat(self->fd, &st));
	EXPECT_EQ(0, st.st_mode & S_ISUID) {
		TH_LOG("the write kept S_ISUID: it ran with CAP_FSETID");
	}
	pthread_barrier_destroy(&t.bar);
	close(x[0]);
	close(x[1]);
	close(t.warm[0]);
	close(t.warm[1]);
	close(t.done[0]);
	close(t.done[1]);
}

/* Only a ring set up with IORING_SETUP_IOPOLL polls for completions. */
TEST_F_TIMEOUT(lifecycle, hipri_read_is_refused_without_iopoll, IOU_TIMEOUT)
{
	ASSERT_EQ(BS, pwrite(self->fd, self->wbuf, BS, 0));
	EXPECT_EQ(-EINVAL, ring_run_one_rwf(&self->r, IORING_OP_READ, self->fd,
					    self->rbuf, BS, 0, 0, RWF_HIPRI));
	EXPECT_EQ(-EINVAL, ring_run_one_rwf(&self->r, IORING_OP_WRITE, self->fd,
					    self->wbuf, BS, 0, 0, RWF_HIPRI));
}

static int read_sysfs(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	return 0;
}

static int write_sysfs(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

/*
 * The same on a device with poll queues, where a polled bio that nobody
 * polls for would never complete.  Should it be issued anyway, the queue's
 * timeout, shortened to a second meanwhile, still ends it.
 */
TEST_F_TIMEOUT(lifecycle, hipri_read_on_polled_queue_is_refused_without_iopoll,
	       IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	char old[32];
	int fd, ret;

	fd = open(NULLB, O_RDONLY | O_DIRECT);
	if (fd < 0)
		SKIP(return, NULLB " not available");
	ASSERT_EQ(0, read_sysfs(NULLB_TIMEOUT, old, sizeof(old)));
	ASSERT_EQ(0, write_sysfs(NULLB_TIMEOUT, "1000"));

	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_READ, fd, self->rbuf, BS, 0, 5);
	sqe->rw_flags = RWF_HIPRI;
	ret = ring_submit(&self->r);
	if (ret == 1)
		ret = ring_wait_cqe_timeout(&self->r, &cqe, CHILD_MS);
	write_sysfs(NULLB_TIMEOUT, old);
	ASSERT_EQ(0, ret) {
		TH_LOG("the polled read never completed");
	}
	EXPECT_EQ(5, cqe.user_data);
	EXPECT_EQ(-EINVAL, cqe.res);
	close(fd);
}

/*
 * RWF_NOWAIT asks not to wait, not to lose what moved: a read whose first
 * page is in the page cache and second is not returns the first page.
 * RWF_NOWAIT also means IOCB_NOIO, so the second page is not even read in
 * and the result does not depend on how fast the disk is.
 */
TEST_F_TIMEOUT(lifecycle, short_nowait_read_returns_the_bytes_read,
	       IOU_TIMEOUT)
{
	ASSERT_EQ(0, write_uncached(self->fd, self->wbuf, 2, BS));
	ASSERT_EQ(1, cached_pages(self->fd, 2)) {
		TH_LOG("could not drop only the second page from the cache");
	}
	EXPECT_EQ(BS, ring_run_one_rwf(&self->r, IORING_OP_READ, self->fd,
				       self->rbuf, 2 * BS, 0, 0, RWF_NOWAIT));
	EXPECT_EQ(0, memcmp(self->wbuf, self->rbuf, BS));
}

/*
 * On a file that can be tried without blocking, O_NONBLOCK only keeps the
 * submitter from blocking: the request still waits (for a worker, or in
 * poll) and does the transfer.  Buffered writes on ext4 block whatever one
 * asks, so this one is done by a worker.
 */
TEST_F_TIMEOUT(lifecycle, nonblock_file_write_is_done, IOU_TIMEOUT)
{
	int fd = open(self->path, O_RDWR | O_NONBLOCK);

	ASSERT_GE(fd, 0);
	EXPECT_EQ(BS, ring_run_one(&self->r, IORING_OP_WRITE, fd, self->wbuf,
				   BS, 0, 0));
	ASSERT_EQ(BS, pread(self->fd, self->rbuf, BS, 0));
	EXPECT_EQ(0, memcmp(self->wbuf, self->rbuf, BS));
	close(fd);
}

/*
 * The same for a read: an O_DIRECT read of a range with dirty page cache
 * has to write it back first, which an attempt under IOCB_NOWAIT refuses
 * with -EAGAIN (filemap_range_needs_writeback()).  The page cache case
 * proper, a buffered read of pages not yet read in, depends on how fast
 * the disk is: the attempt may find the pages it started reading done.
 */
TEST_F_TIMEOUT(lifecycle, nonblock_direct_read_of_dirty_range_returns_data,
	       IOU_TIMEOUT)
{
	int fd;

	fd = open(self->path, O_RDONLY | O_DIRECT | O_NONBLOCK);
	if (fd < 0 && errno == EINVAL)
		SKIP(return, "O_DIRECT not supported by this file system");
	ASSERT_GE(fd, 0);
	/* Dirty in the page cache, not written back yet. */
	ASSERT_EQ(2 * BS, pwrite(self->fd, self->wbuf, 2 * BS, 0));
	EXPECT_EQ(2 * BS, ring_run_one(&self->r, IORING_OP_READ, fd,
				       self->rbuf, 2 * BS, 0, 0));
	EXPECT_EQ(0, memcmp(self->wbuf, self->rbuf, 2 * BS));
	close(fd);
}

/* tmpfs has no device to wait for: 6.1 reads it inline, as if no flag. */
TEST_F_TIMEOUT(lifecycle, nonblock_read_on_tmpfs_returns_the_data,
	       IOU_TIMEOUT)
{
	char path[] = "/dev/shm/io_uring_lifecycle_XXXXXX";
	struct statfs sfs;
	int fd, nfd;

	fd = mkstemp(path);
	if (fd < 0)
		SKIP(return, "no /dev/shm");
	if (fstatfs(fd, &sfs) || sfs.f_type != TMPFS_MAGIC) {
		close(fd);
		unlink(path);
		SKIP(return, "/dev/shm is not tmpfs");
	}
	ASSERT_EQ(BS, pwrite(fd, self->wbuf, BS, 0));
	nfd = open(path, O_RDONLY | O_NONBLOCK);
	unlink(path);
	ASSERT_GE(nfd, 0);
	EXPECT_EQ(BS, ring_run_one(&self->r, IORING_OP_READ, nfd, self->rbuf,
				   BS, 0, 0));
	EXPECT_EQ(0, memcmp(self->wbuf, self->rbuf, BS));
	close(nfd);
	close(fd);
}

/*
 * A READ on an empty O_NONBLOCK pipe or socket waits in poll for the data
 * instead of failing with -EAGAIN, and returns it.
 */
static void nonblock_read_waits(struct __test_metadata *_metadata,
				struct ring *r, int rfd, int wfd)
{
	struct io_uring_cqe cqe;
	char buf[16] = { 0 };
	int ret;

	ring_prep_rw(ring_get_sqe(r), IORING_OP_READ, rfd, buf, sizeof(buf),
		     0, 6);
	ASSERT_EQ(1, ring_submit(r));
	ret = ring_quiet(r, IOU_QUIET_MS, &cqe);
	ASSERT_EQ(-ETIME, ret) {
		TH_LOG("completed with no data: %d, res %d", ret, cqe.res);
	}
	ASSERT_EQ(4, write(wfd, "late", 4));
	ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
	EXPECT_EQ(6, cqe.user_data);
	EXPECT_EQ(4, cqe.res);
	EXPECT_EQ(0, memcmp(buf, "late", 4));
}

TEST_F_TIMEOUT(lifecycle, nonblock_pipe_read_waits_for_data, IOU_TIMEOUT)
{
	int p[2];

	ASSERT_EQ(0, pipe2(p, O_NONBLOCK));
	nonblock_read_waits(_metadata, &self->r, p[0], p[1]);
	close(p[0]);
	close(p[1]);
}

TEST_F_TIMEOUT(lifecycle, nonblock_socket_read_waits_for_data, IOU_TIMEOUT)
{
	int sv[2];

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv));
	nonblock_read_waits(_metadata, &self->r, sv[1], sv[0]);
	close(sv[0]);
	close(sv[1]);
}

/*
 * A file with ->read but no ->read_iter is read one segment at a time; a
 * registered buffer is still the user memory it was registered from.
 */
TEST_F_TIMEOUT(lifecycle, read_fixed_on_timerfd_returns_the_count,
	       IOU_TIMEOUT)
{
	struct itimerspec its = { .it_value = { 0, 1000 * 1000 } };
	struct iovec iov = { self->rbuf, BS };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	__u64 count = 0;
	int tfd;

	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	ASSERT_GE(tfd, 0);
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS,
				       &iov, 1));
	/* Expired before the read: it does not have to wait. */
	ASSERT_EQ(0, timerfd_settime(tfd, 0, &its, NULL));
	usleep(20 * 1000);

	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_READ_FIXED, tfd, self->rbuf + 8, 8, 0, 7);
	sqe->buf_index = 0;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(7, cqe.user_data);
	EXPECT_EQ(8, cqe.res);
	memcpy(&count, self->rbuf + 8, sizeof(count));
	EXPECT_EQ(1, count);
	close(tfd);
}

struct delayed_write {
	int fd;
	long delay_ms;
};

static void *delayed_write_fn(void *arg)
{
	struct delayed_write *dw = arg;

	usleep(dw->delay_ms * 1000);
	if (write(dw->fd, "w", 1) != 1)
		return (void *)1;
	return NULL;
}

/*
 * IORING_ENTER_EXT_ARG with a timeout beyond what ktime can hold: 6.1
 * saturates the absolute expiry (ktime_add_safe() in the hrtimer code),
 * so the wait lasts until the CQE comes rather than ending at once with
 * -ETIME.  The CQE comes from a read fed 100 ms later.
 */
TEST_F_TIMEOUT(lifecycle, wait_with_huge_timeout_waits_for_the_cqe,
	       IOU_TIMEOUT)
{
	static const long long secs[] = {
		LLONG_MAX,
		9223372036LL,	/* KTIME_SEC_MAX */
		1LL << 40,
	};
	struct io_uring_getevents_arg arg = { 0 };
	struct __kernel_timespec ts = { 0 };
	struct io_uring_cqe cqe;
	unsigned int i;

	arg.ts = (__u64)(uintptr_t)&ts;
	for (i = 0; i < ARRAY_SIZE(secs); i++) {
		struct delayed_write dw = { .delay_ms = 100 };
		pthread_t thr;
		void *tret;
		char c;
		int p[2], ret;

		ASSERT_EQ(0, pipe(p));
		dw.fd = p[1];
		ring_prep_rw(ring_get_sqe(&self->r), IORING_OP_READ, p[0], &c,
			     1, 0, i);
		ASSERT_EQ(1, ring_submit(&self->r));
		ASSERT_EQ(0, pthread_create(&thr, NULL, delayed_write_fn, &dw));
		ts.tv_sec = secs[i];
		ret = io_uring_enter2(self->r.fd, 0, 1,
				      IORING_ENTER_GETEVENTS |
				      IORING_ENTER_EXT_ARG, &arg, sizeof(arg));
		EXPECT_EQ(0, ret) {
			TH_LOG("tv_sec %lld: the wait ended with %d", secs[i],
			       ret);
		}
		ASSERT_EQ(0, pthread_join(thr, &tret));
		EXPECT_EQ(NULL, tret);
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		EXPECT_EQ(i, cqe.user_data);
		EXPECT_EQ(1, cqe.res);
		close(p[0]);
		close(p[1]);
	}
}

/*
 * Nor does 6.1 refuse a timeout that is not normalized: a negative one has
 * already expired, and tv_nsec past a second is added as it is.
 */
TEST_F_TIMEOUT(lifecycle, wait_with_unnormalized_timeout_times_out,
	       IOU_TIMEOUT)
{
	static const struct __kernel_timespec tss[] = {
		{ .tv_sec = -1, .tv_nsec = 0 },
		{ .tv_sec = 0, .tv_nsec = -1 },
		{ .tv_sec = 0, .tv_nsec = 1100 * 1000 * 1000 },
	};
	struct io_uring_getevents_arg arg = { 0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tss); i++) {
		int ret;

		arg.ts = (__u64)(uintptr_t)&tss[i];
		ret = io_uring_enter2(self->r.fd, 0, 1,
				      IORING_ENTER_GETEVENTS |
				      IORING_ENTER_EXT_ARG, &arg, sizeof(arg));
		EXPECT_EQ(-ETIME, ret) {
			TH_LOG("{ %lld, %lld }", (long long)tss[i].tv_sec,
			       (long long)tss[i].tv_nsec);
		}
	}
}

/* Any IN_MODIFY event on the inotify fd @in within @ms? */
static bool got_modify(int in, int ms)
{
	struct pollfd pfd = { .fd = in, .events = POLLIN };
	union {
		struct inotify_event ev;	/* for the alignment */
		char buf[4096];
	} u;
	struct inotify_event *ev;
	ssize_t n;
	char *p;

	if (poll(&pfd, 1, ms) != 1)
		return false;
	n = read(in, u.buf, sizeof(u.buf));
	for (p = u.buf; n > 0 && p < u.buf + n; p += sizeof(*ev) + ev->len) {
		ev = (struct inotify_event *)p;
		if (ev->mask & IN_MODIFY)
			return true;
	}
	return false;
}

/*
 * fsnotify_modify() for every write that moved data, however it completes:
 * an O_DIRECT overwrite on ext4 completes from the disk's interrupt.  Each
 * write is checked on its own, inotify merging equal events in a row.
 */
TEST_F_TIMEOUT(lifecycle, direct_write_completed_from_irq_sends_in_modify,
	       IOU_TIMEOUT)
{
	int fd, in, i, ret;

	ASSERT_EQ(2 * BS, pwrite(self->fd, self->wbuf, 2 * BS, 0));
	ASSERT_EQ(0, fsync(self->fd));
	fd = open(self->path, O_RDWR | O_DIRECT);
	if (fd < 0 && errno == EINVAL)
		SKIP(return, "O_DIRECT not supported by this file system");
	ASSERT_GE(fd, 0);
	in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	ASSERT_GE(in, 0);
	ASSERT_GE(inotify_add_watch(in, self->path, IN_MODIFY), 0);

	for (i = 0; i < 8; i++) {
		ret = ring_run_one(&self->r, IORING_OP_WRITE, fd,
				   self->wbuf + (i & 1) * BS, BS,
				   (i & 1) * BS, 0);
		if (ret == -EINVAL && !i)
			SKIP(break, "O_DIRECT write refused");
		ASSERT_EQ(BS, ret);
		ASSERT_TRUE(got_modify(in, 1000)) {
			TH_LOG("write %d: no IN_MODIFY", i);
		}
	}
	close(in);
	close(fd);
}

TEST_HARNESS_MAIN
