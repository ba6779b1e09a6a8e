// SPDX-License-Identifier: GPL-2.0
/*
 * What a ring takes from its process and its user comes back when the ring
 * goes, whatever was in flight: the RLIMIT_MEMLOCK charge of registered
 * buffers (the user's locked_vm) and their pinned pages (the process's
 * VmPin, which 6.1 charges), the files that requests and the file
 * table hold, the process's fds, and the io worker threads.  Each resource
 * class is one case; teardown of a closed ring is asynchronous, so each
 * check waits (bounded) for the resource to come back.
 *
 * Run as root: the memlock case drops to an unprivileged uid, for which
 * the charge is made.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define BS		4096
#define MEMLOCK		(32 * BS)	/* the limit the memlock case sets */
#define BUF_SZ		(24 * BS)	/* fits once under it, not twice */
#define ROUNDS		16
#define BACK_MS		3000		/* for an async teardown to finish */

static int io_threads(void)
{
	return proc_count("/proc/self/task", "iou-", NULL);
}

/* Queue a read of @len bytes of @fd that will not complete by itself. */
static void queue_read(struct ring *r, int fd, void *buf, __u8 flags,
		       __u64 user_data)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_rw(sqe, IORING_OP_READ, fd, buf, 1, 0, user_data);
	sqe->flags = flags;
}

/*
 * Register @sz bytes at @buf on a new ring, retrying for BACK_MS while the
 * charge of a ring just closed is not back yet.  Returns the ring fd or
 * -errno.
 */
static int ring_with_buffer(struct ring *r, void *buf, size_t sz)
{
	struct iovec iov = { .iov_base = buf, .iov_len = sz };
	struct timespec start;
	int ret;

	ret = ring_init(r, 4, 0);
	if (ret)
		return ret;
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		ret = io_uring_register(r->fd, IORING_REGISTER_BUFFERS, &iov, 1);
		if (ret != -ENOMEM)
			break;
		usleep(10 * 1000);
	} while (ms_since(&start) < BACK_MS);
	if (ret) {
		ring_exit(r);
		return ret;
	}
	return r->fd;
}

/*
 * The child of the memlock case, unprivileged under MEMLOCK: exits 0 if
 * every round could register again what the one before released, 10 + the
 * round that could not, 2 if the limit was not enforced at all.
 */
static int memlock_rounds(void *buf, int pfd[2])
{
	struct rlimit rl = { MEMLOCK, MEMLOCK };
	struct ring a, b;
	char c;
	int i, ret;

	if (setrlimit(RLIMIT_MEMLOCK, &rl) || setgid(65534) || setuid(65534))
		return 3;
	/* sanity: the charge is made, or there is nothing to see leak */
	if (ring_with_buffer(&a, buf, BUF_SZ) < 0)
		return 4;
	ret = ring_with_buffer(&b, buf, BUF_SZ);
	if (ret >= 0)
		return 2;
	ring_exit(&a);

	for (i = 0; i < ROUNDS; i++) {
		if (ring_with_buffer(&a, buf, BUF_SZ) < 0)
			return 10 + i;
		switch (i % 4) {
		case 0:		/* unregister, then close */
			if (io_uring_register(a.fd, IORING_UNREGISTER_BUFFERS,
					      NULL, 0))
				return 5;
			break;
		case 1:		/* close with the buffer registered */
			break;
		case 2:		/* close with a READ_FIXED in flight */
		case 3: {	/* the same, the read in a worker */
			struct io_uring_sqe *sqe = ring_get_sqe(&a);

			ring_prep_rw(sqe, IORING_OP_READ_FIXED, pfd[0], buf, 1,
				     0, 1);
			sqe->flags = i % 4 == 3 ? IOSQE_ASYNC : 0;
			if (ring_submit(&a) != 1)
				return 6;
			break;
		}
		}
		ring_exit(&a);
	}
	/* what the reads above were waiting for: nobody takes it now */
	c = 0;
	if (write(pfd[1], &c, 1) != 1)
		return 7;
	return 0;
}

FIXTURE(leak) {
	int unused;
};

FIXTURE_SETUP(leak)
{
}

FIXTURE_TEARDOWN(leak)
{
}

TEST_F_TIMEOUT(leak, memlock_charge_returns, 60)
{
	int pfd[2], status;
	void *buf;
	pid_t pid;

	if (geteuid())
		SKIP(return, "needs root to drop to an unprivileged uid");
	buf = mmap(NULL, BUF_SZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(memlock_rounds(buf, pfd));
	status = wait_child(pid, 30000);
	ASSERT_TRUE(WIFEXITED(status));
	/* 10 + n: round n found the charge of the earlier rounds not back */
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(pfd[0]);
	close(pfd[1]);
	munmap(buf, BUF_SZ);
}

/*
 * A pipe's reader sees EOF once the last reference to its write end is
 * gone: the ring's file table holds one, while reads of the other end are
 * in flight (in poll and in a worker) when the ring is closed.
 */
TEST_F_TIMEOUT(leak, files_of_requests_and_table_return, 30)
{
	int pfd[2], wfd, fds[1];
	struct pollfd p;
	struct ring r;
	char buf[8];
	int ret;

	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ(0, ring_init(&r, 8, 0));
	wfd = dup(pfd[1]);
	ASSERT_GE(wfd, 0);
	fds[0] = wfd;
	ASSERT_EQ(0, io_uring_register(r.fd, IORING_REGISTER_FILES, fds, 1));
	queue_read(&r, pfd[0], buf, 0, 1);		/* waits in poll */
	queue_read(&r, pfd[0], buf, IOSQE_ASYNC, 2);	/* waits in a worker */
	ASSERT_EQ(2, ring_submit(&r));
	close(wfd);
	close(pfd[1]);

	/* the table's reference keeps the pipe open for writing */
	p = (struct pollfd){ .fd = pfd[0], .events = POLLIN };
	EXPECT_EQ(0, poll(&p, 1, 100));
	ring_exit(&r);
	/* the ring's teardown drops it, and completes the reads */
	ret = poll(&p, 1, BACK_MS);
	EXPECT_EQ(1, ret);
	EXPECT_TRUE(p.revents & POLLHUP);
	close(pfd[0]);
}

/* The fds a process has are the ones it had, once its rings are gone. */
TEST_F_TIMEOUT(leak, fds_return, 30)
{
	int before = proc_count("/proc/self/fd", NULL, NULL);
	int pfd[2], sv[2], i;
	struct ring r;
	char buf[8];

	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	for (i = 0; i < 4; i++) {
		struct io_uring_sqe *sqe;

		ASSERT_EQ(0, ring_init(&r, 8, 0));
		queue_read(&r, pfd[0], buf, i & 1 ? IOSQE_ASYNC : 0, 1);
		sqe = ring_get_sqe(&r);
		ring_prep_rw(sqe, IORING_OP_RECV, sv[0], buf, 1, 0, 2);
		ring_prep_poll_add(ring_get_sqe(&r), r.fd, POLLIN, 3);
		ASSERT_EQ(3, ring_submit(&r));
		ring_exit(&r);
	}
	close(pfd[0]);
	close(pfd[1]);
	close(sv[0]);
	close(sv[1]);
	EXPECT_EQ(before, proc_count("/proc/self/fd", NULL, NULL));
}

/*
 * Worker threads of a task go once idle (6.1: after 5 s), and with its
 * rings' requests: none is left busy by a ring closed mid-flight.  6.1
 * keeps the last worker of each of the task's io-wq accounts until the
 * task exits (io-wq.c: an idle worker times out only if it is not its
 * account's last), so one may stay; ours lets them all go.
 */
TEST_F_TIMEOUT(leak, io_threads_return, 30)
{
	int before = io_threads();
	struct timespec start;
	int pfd[2], i, n;
	struct ring r;
	char buf[8];

	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ(0, ring_init(&r, 16, 0));
	for (i = 0; i < 4; i++)
		queue_read(&r, pfd[0], buf, IOSQE_ASYNC, i);
	ASSERT_EQ(4, ring_submit(&r));
	/* the workers exist while the reads block in them */
	usleep(100 * 1000);
	EXPECT_LT(before, io_threads());
	ring_exit(&r);
	close(pfd[0]);
	close(pfd[1]);

	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((n = io_threads()) > before + 1 && ms_since(&start) < 12000)
		usleep(100 * 1000);
	EXPECT_GE(before + 1, n);
}

/* The task's pinned memory (VmPin), in kB, or -1. */
static long vm_pinned_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmPin: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Wait up to BACK_MS for VmPin to be @kb again; what it is then. */
static long vm_pinned_back_to(long kb)
{
	struct timespec start;
	long now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((now = vm_pinned_kb()) != kb && ms_since(&start) < BACK_MS)
		usleep(10 * 1000);
	return now;
}

/*
 * Registered buffers are pinned pages.  6.1 charges them to the mm's
 * pinned_vm (VmPin), whoever registers them; we charge only the user's
 * RLIMIT_MEMLOCK (the memlock case), so VmPin does not move.  Either
 * way it is back where it was once the buffers are unregistered, and
 * once a ring closed with them registered is gone.
 */
TEST_F_TIMEOUT(leak, pinned_memory_returns, 30)
{
	long before = vm_pinned_kb(), during;
	struct iovec iov;
	struct ring r;
	void *buf;

	if (before < 0)
		SKIP(return, "no VmPin in /proc/self/status");
	buf = mmap(NULL, BUF_SZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	iov.iov_base = buf;
	iov.iov_len = BUF_SZ;

	ASSERT_EQ(0, ring_init(&r, 4, 0));
	ASSERT_EQ(0, io_uring_register(r.fd, IORING_REGISTER_BUFFERS, &iov, 1));
	during = vm_pinned_kb();
	TH_LOG("VmPin %ld kB, %ld kB with %d kB registered", before, during,
	       BUF_SZ / 1024);
	/* nothing else, or the whole buffer */
	EXPECT_TRUE(during == before || during == before + BUF_SZ / 1024);
	ASSERT_EQ(0, io_uring_register(r.fd, IORING_UNREGISTER_BUFFERS,
				       NULL, 0));
	EXPECT_EQ(before, vm_pinned_back_to(before));

	/* closed with them registered, twice over */
	ASSERT_EQ(0, io_uring_register(r.fd, IORING_REGISTER_BUFFERS, &iov, 1));
	ring_exit(&r);
	EXPECT_EQ(before, vm_pinned_back_to(before));
	ASSERT_EQ(0, ring_init(&r, 4, 0));
	ASSERT_EQ(0, io_uring_register(r.fd, IORING_REGISTER_BUFFERS, &iov, 1));
	ring_exit(&r);
	EXPECT_EQ(before, vm_pinned_back_to(before));
	munmap(buf, BUF_SZ);
}

TEST_HARNESS_MAIN
