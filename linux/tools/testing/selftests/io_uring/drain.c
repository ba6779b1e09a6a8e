// SPDX-License-Identifier: GPL-2.0
/*
 * IOSQE_IO_DRAIN: a drained request starts only once every request
 * submitted before it on the ring has completed, and the requests after it
 * start only after it has (in 6.1 not after it completes).  Covered: a
 * drain held back by a pending read and released by data arriving, in
 * order; a drain on an idle ring; drains in a row; a drained poll that
 * waits, with a NOP and a cancel of it behind; a drain behind many pending
 * polls fired in reverse order; SQEs that fail at submission taking no
 * part; a drained WRITE moving the right bytes; a drained WRITE submitted
 * by a forked child on the inherited ring, which must be done with the
 * child's memory; closing the ring and exiting with a drained request
 * still held back; and a drain on an IOPOLL ring.
 *
 * Kernels that refuse IOSQE_IO_DRAIN on a NOP with EINVAL skip every case.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define ENTRIES		64
#define NR_POLLS	32
#define NR_AFTER	8
#define CHILD_MS	5000

#define NO_DRAIN	"IOSQE_IO_DRAIN not supported"
#define NO_POLL		"IORING_OP_POLL_ADD not supported"

FIXTURE(drain) {
	struct ring r;
	int pa[2];		/* pipe A: what the pending read waits on */
	int pb[2];		/* pipe B: where drained writes go */
	bool supported;
};

FIXTURE_SETUP(drain)
{
	struct ring probe;
	int ret;

	self->pa[0] = -1;
	self->pa[1] = -1;
	self->pb[0] = -1;
	self->pb[1] = -1;
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, 0));
	ASSERT_EQ(0, pipe(self->pa));
	ASSERT_EQ(0, pipe(self->pb));

	/* Probe on a ring of its own, so that the test's ring is fresh. */
	ASSERT_EQ(0, ring_init(&probe, 4, 0));
	ret = ring_run_one(&probe, IORING_OP_NOP, -1, NULL, 0, 0,
			   IOSQE_IO_DRAIN);
	ring_exit(&probe);
	self->supported = ret != -EINVAL;
}

FIXTURE_TEARDOWN(drain)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (self->pa[i] >= 0)
			close(self->pa[i]);
		if (self->pb[i] >= 0)
			close(self->pb[i]);
	}
	ring_exit(&self->r);
}

static void prep_rw(struct ring *r, int op, int fd, const void *buf,
		    unsigned int len, __u64 user_data, __u8 sqe_flags)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_rw(sqe, op, fd, buf, len, 0, user_data);
	sqe->flags = sqe_flags;
}

static void prep_read(struct ring *r, int fd, void *buf, unsigned int len,
		      __u64 user_data)
{
	prep_rw(r, IORING_OP_READ, fd, buf, len, user_data, 0);
}

static void prep_nop(struct ring *r, __u64 user_data, __u8 sqe_flags)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_nop(sqe, user_data);
	sqe->flags = sqe_flags;
}

/*
 * Wait for the next CQE, which must be @user_data's; returns its res, or
 * a value no request returns that the caller's check will show.
 */
static int next_res(struct __test_metadata *_metadata, struct ring *r,
		    __u64 user_data)
{
	struct io_uring_cqe cqe;
	int ret = ring_wait_cqe(r, &cqe);

	if (ret) {
		TH_LOG("no CQE for user_data %llu: %d",
		       (unsigned long long)user_data, ret);
		return -10000;
	}
	EXPECT_EQ(user_data, cqe.user_data) {
		TH_LOG("expected user_data %llu, got %llu (res %d)",
		       (unsigned long long)user_data,
		       (unsigned long long)cqe.user_data, cqe.res);
	}
	return cqe.res;
}

#define NEXT_RES(r, ud)	next_res(_metadata, (r), (ud))

/* Does @fd become readable within @ms?  1 if so, 0 if not, -1 on error. */
static int readable(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec start;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		ret = poll(&pfd, 1, ms);
	} while (ret < 0 && errno == EINTR && ms_since(&start) < ms);
	return ret;
}

TEST_F_TIMEOUT(drain, drain_waits, IOU_TIMEOUT)
{
	static char buf[8];

	if (!self->supported)
		SKIP(return, NO_DRAIN);
	prep_read(&self->r, self->pa[0], buf, sizeof(buf), 1);
	prep_nop(&self->r, 2, IOSQE_IO_DRAIN);
	prep_nop(&self->r, 3, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	/* The drain waits for the read, the NOP for the drain. */
	EXPECT_TRUE(QUIET(&self->r));

	/* Here the order is the point. */
	ASSERT_EQ(1, write(self->pa[1], "x", 1));
	EXPECT_EQ(1, NEXT_RES(&self->r, 1));
	EXPECT_EQ('x', buf[0]);
	EXPECT_EQ(0, NEXT_RES(&self->r, 2));
	EXPECT_EQ(0, NEXT_RES(&self->r, 3));
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(drain, drain_nothing_pending, IOU_TIMEOUT)
{
	if (!self->supported)
		SKIP(return, NO_DRAIN);
	/* A fresh ring, then one whose earlier requests all completed. */
	EXPECT_EQ(0, ring_run_one(&self->r, IORING_OP_NOP, -1, NULL, 0, 0,
				  IOSQE_IO_DRAIN));
	EXPECT_EQ(0, ring_run_one(&self->r, IORING_OP_NOP, -1, NULL, 0, 0,
				  0));
	EXPECT_EQ(0, ring_run_one(&self->r, IORING_OP_NOP, -1, NULL, 0, 0,
				  IOSQE_IO_DRAIN));

	/* A batch: each drain waits only for NOPs that complete at once. */
	prep_nop(&self->r, 1, 0);
	prep_nop(&self->r, 2, IOSQE_IO_DRAIN);
	prep_nop(&self->r, 3, 0);
	prep_nop(&self->r, 4, IOSQE_IO_DRAIN);
	ASSERT_EQ(4, ring_submit(&self->r));
	EXPECT_EQ(0, NEXT_RES(&self->r, 1));
	EXPECT_EQ(0, NEXT_RES(&self->r, 2));
	EXPECT_EQ(0, NEXT_RES(&self->r, 3));
	EXPECT_EQ(0, NEXT_RES(&self->r, 4));
	EXPECT_TRUE(QUIET(&self->r));

	/* And the ring is back to normal. */
	EXPECT_EQ(0, ring_run_one(&self->r, IORING_OP_NOP, -1, NULL, 0, 0,
				  0));
}

TEST_F_TIMEOUT(drain, drain_chain, IOU_TIMEOUT)
{
	static char buf[8];

	if (!self->supported)
		SKIP(return, NO_DRAIN);
	prep_read(&self->r, self->pa[0], buf, sizeof(buf), 1);
	prep_nop(&self->r, 2, IOSQE_IO_DRAIN);
	prep_nop(&self->r, 3, IOSQE_IO_DRAIN);
	prep_nop(&self->r, 4, 0);
	ASSERT_EQ(4, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	/* One more drain, in a submission of its own. */
	prep_nop(&self->r, 5, IOSQE_IO_DRAIN);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));

	ASSERT_EQ(1, write(self->pa[1], "x", 1));
	EXPECT_EQ(1, NEXT_RES(&self->r, 1));
	EXPECT_EQ(0, NEXT_RES(&self->r, 2));
	EXPECT_EQ(0, NEXT_RES(&self->r, 3));
	EXPECT_EQ(0, NEXT_RES(&self->r, 4));
	EXPECT_EQ(0, NEXT_RES(&self->r, 5));
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(drain, drain_many, IOU_TIMEOUT)
{
	int pfds[NR_POLLS][2];
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	__u64 polls = 0, nops = 0;
	int i;

	if (!self->supported)
		SKIP(return, NO_DRAIN);
	if (!ring_op_supported(&self->r, IORING_OP_POLL_ADD))
		SKIP(return, NO_POLL);
	for (i = 0; i < NR_POLLS; i++) {
		ASSERT_EQ(0, pipe(pfds[i]));
		sqe = ring_get_sqe(&self->r);
		ring_prep_rw(sqe, IORING_OP_POLL_ADD, pfds[i][0], NULL, 0, 0,
			     i);
		sqe->poll32_events = ring_poll_mask(POLLIN);
	}
	prep_nop(&self->r, 100, IOSQE_IO_DRAIN);
	for (i = 0; i < NR_AFTER; i++)
		prep_nop(&self->r, 200 + i, 0);
	ASSERT_EQ(NR_POLLS + 1 + NR_AFTER, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));

	/* All polls but the first one, last first: the drain still waits. */
	for (i = NR_POLLS - 1; i > 0; i--)
		ASSERT_EQ(1, write(pfds[i][1], "x", 1));
	for (i = 1; i < NR_POLLS; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_LT(cqe.user_data, NR_POLLS) {
			TH_LOG("CQE %llu before the last poll fired",
			       (unsigned long long)cqe.user_data);
		}
		EXPECT_NE(0, cqe.user_data);
		EXPECT_EQ(POLLIN, cqe.res);
		EXPECT_EQ(0, polls & (1ULL << cqe.user_data));
		polls |= 1ULL << cqe.user_data;
	}
	EXPECT_TRUE(QUIET(&self->r));

	/* The last one: then the drain, then the NOPs in any order. */
	ASSERT_EQ(1, write(pfds[0][1], "x", 1));
	EXPECT_EQ(POLLIN, NEXT_RES(&self->r, 0));
	polls |= 1;
	EXPECT_EQ(0, NEXT_RES(&self->r, 100));
	for (i = 0; i < NR_AFTER; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_GE(cqe.user_data, 200);
		ASSERT_LT(cqe.user_data, 200 + NR_AFTER);
		EXPECT_EQ(0, cqe.res);
		EXPECT_EQ(0, nops & (1ULL << (cqe.user_data - 200)));
		nops |= 1ULL << (cqe.user_data - 200);
	}
	EXPECT_EQ((1ULL << NR_POLLS) - 1, polls);
	EXPECT_EQ((1ULL << NR_AFTER) - 1, nops);
	EXPECT_TRUE(QUIET(&self->r));
	for (i = 0; i < NR_POLLS; i++) {
		close(pfds[i][0]);
		close(pfds[i][1]);
	}
}

/*
 * What follows a drained request waits until it starts, not until it
 * completes (as 6.1): behind a drained POLL_ADD that waits, a NOP
 * completes and an ASYNC_CANCEL takes the poll away.
 */
TEST_F_TIMEOUT(drain, after_a_waiting_drain, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, -ECANCELED }, { 3, 0 } };
	struct io_uring_cqe got[2];
	struct io_uring_sqe *sqe;

	if (!self->supported)
		SKIP(return, NO_DRAIN);
	if (!ring_op_supported(&self->r, IORING_OP_POLL_ADD))
		SKIP(return, NO_POLL);
	sqe = ring_get_sqe(&self->r);
	ring_prep_poll_add(sqe, self->pa[0], POLLIN, 1);
	sqe->flags = IOSQE_IO_DRAIN;
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));

	prep_nop(&self->r, 2, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_EQ(0, NEXT_RES(&self->r, 2));

	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_ASYNC_CANCEL, -1, NULL, 0, 0, 3);
	sqe->addr = 1;
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(drain, drain_with_failed_sqe, IOU_TIMEOUT)
{
	static char buf[8];
	struct io_uring_sqe *sqe;

	if (!self->supported)
		SKIP(return, NO_DRAIN);
	/* An invalid opcode before the read too: it counts for nothing. */
	sqe = ring_get_sqe(&self->r);
	ring_prep_nop(sqe, 10);
	sqe->opcode = 200;
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_EQ(-EINVAL, NEXT_RES(&self->r, 10));

	/* Submission stops after a failed SQE: the drain goes on its own. */
	prep_read(&self->r, self->pa[0], buf, sizeof(buf), 1);
	sqe = ring_get_sqe(&self->r);
	ring_prep_nop(sqe, 2);
	sqe->opcode = 200;
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_EQ(-EINVAL, NEXT_RES(&self->r, 2));
	/* A bad fd fails at once too, whether at submission or at issue. */
	prep_rw(&self->r, IORING_OP_READ, -1, buf, sizeof(buf), 4, 0);
	prep_nop(&self->r, 3, IOSQE_IO_DRAIN);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_EQ(-EBADF, NEXT_RES(&self->r, 4));

	/* The drain waits for the read, and for nothing else. */
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pa[1], "x", 1));
	EXPECT_EQ(1, NEXT_RES(&self->r, 1));
	EXPECT_EQ(0, NEXT_RES(&self->r, 3));
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(drain, drain_write_data, IOU_TIMEOUT)
{
	static char rbuf[8], wbuf[256], got[sizeof(wbuf)];
	int i;

	if (!self->supported)
		SKIP(return, NO_DRAIN);
	for (i = 0; i < sizeof(wbuf); i++)
		wbuf[i] = i * 7 + 3;
	prep_read(&self->r, self->pa[0], rbuf, sizeof(rbuf), 1);
	prep_rw(&self->r, IORING_OP_WRITE, self->pb[1], wbuf, sizeof(wbuf), 2,
		IOSQE_IO_DRAIN);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	/* Not written yet. */
	EXPECT_EQ(0, readable(self->pb[0], 0));

	ASSERT_EQ(1, write(self->pa[1], "x", 1));
	EXPECT_EQ(1, NEXT_RES(&self->r, 1));
	EXPECT_EQ(sizeof(wbuf), NEXT_RES(&self->r, 2));
	ASSERT_EQ(1, readable(self->pb[0], 1000));
	ASSERT_EQ(sizeof(got), read(self->pb[0], got, sizeof(got)));
	EXPECT_EQ(0, memcmp(wbuf, got, sizeof(wbuf)));
	EXPECT_EQ(0, readable(self->pb[0], 0));
}

/* Before fork(): the child overwrites its own copy. */
static char cross_buf[8] = "parent";

/*
 * In the child: queue a drained WRITE of our copy of cross_buf to @fd on
 * the inherited ring, tell the parent on @sync_fd, then wait for the data
 * to show up on @read_fd (which we only poll, never read).
 */
static void child_drain_write(struct ring *r, int fd, int read_fd,
			      int sync_fd)
{
	struct io_uring_sqe *sqe;

	memcpy(cross_buf, "child!", 6);
	ring_resync_sq(r);
	sqe = ring_get_sqe(r);
	if (!sqe)
		_exit(1);
	ring_prep_rw(sqe, IORING_OP_WRITE, fd, cross_buf, 6, 0, 2);
	sqe->flags = IOSQE_IO_DRAIN;
	if (ring_submit(r) != 1)
		_exit(2);
	if (write(sync_fd, "s", 1) != 1)
		_exit(3);
	/* Stay alive until the write is done: it is ours to issue. */
	if (readable(read_fd, CHILD_MS) != 1)
		_exit(4);
	_exit(0);
}

TEST_F_TIMEOUT(drain, drain_cross_task, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 2, 6 }, { 3, 0 } };
	struct io_uring_cqe cqes[2];
	static char rbuf[8];
	char got[8], c;
	int sync[2], status;
	pid_t pid;

	if (!self->supported)
		SKIP(return, NO_DRAIN);
	/*
	 * Only the parent touches the CQ ring, and the child touches the SQ
	 * ring only between fork() and its sync byte, while the parent waits
	 * for that byte: no two processes ever share a ring index.  The
	 * child learns that its write was done from the data on pipe B
	 * (polled, not read), the parent from the write's CQE.  The child
	 * must outlive its write: 6.1 fails a drained request whose task
	 * has exited (-EFAULT) instead of issuing it.
	 */
	ASSERT_EQ(0, pipe(sync));
	prep_read(&self->r, self->pa[0], rbuf, sizeof(rbuf), 1);
	ASSERT_EQ(1, ring_submit(&self->r));

	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		child_drain_write(&self->r, self->pb[1], self->pb[0], sync[1]);

	ASSERT_EQ(1, readable(sync[0], CHILD_MS)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	ASSERT_EQ(1, read(sync[0], &c, 1));
	ring_resync_sq(&self->r);
	/* Held back behind our read. */
	EXPECT_EQ(0, readable(self->pb[0], IOU_QUIET_MS));
	EXPECT_TRUE(QUIET(&self->r));

	ASSERT_EQ(1, write(self->pa[1], "x", 1));
	/*
	 * Submitted after the drain: it may be what flushes the write.  It
	 * waits until the write is handed to the child to issue, not until
	 * it is done: the two CQEs come in either order (as on 6.1).
	 */
	prep_nop(&self->r, 3, 0);
	EXPECT_EQ(1, ring_submit(&self->r));
	EXPECT_EQ(1, NEXT_RES(&self->r, 1));
	EXPECT_CQES(&self->r, want, cqes);

	status = wait_child(pid, CHILD_MS);
	ASSERT_NE(-1, status) {
		TH_LOG("the child did not exit within %d ms", CHILD_MS);
	}
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* Written from the child's memory, never from ours. */
	memset(got, 0, sizeof(got));
	ASSERT_EQ(1, readable(self->pb[0], 0));
	EXPECT_EQ(6, read(self->pb[0], got, sizeof(got)));
	EXPECT_STREQ("child!", got);
	EXPECT_STREQ("parent", cross_buf);
	EXPECT_TRUE(QUIET(&self->r));
	close(sync[0]);
	close(sync[1]);
}

TEST_F_TIMEOUT(drain, close_with_deferred, IOU_TIMEOUT)
{
	static char buf[8];
	struct timespec start;
	struct ring r;
	char c;

	if (!self->supported)
		SKIP(return, NO_DRAIN);
	ASSERT_EQ(0, ring_init(&r, 4, 0));
	prep_read(&r, self->pa[0], buf, sizeof(buf), 1);
	prep_nop(&r, 2, IOSQE_IO_DRAIN);
	prep_nop(&r, 3, 0);
	ASSERT_EQ(3, ring_submit(&r));
	EXPECT_TRUE(QUIET(&r));

	clock_gettime(CLOCK_MONOTONIC, &start);
	ring_exit(&r);
	EXPECT_LT(ms_since(&start), 2000);

	/* The pipe still works, and the dead read took nothing. */
	ASSERT_EQ(1, write(self->pa[1], "x", 1));
	ASSERT_EQ(1, readable(self->pa[0], 1000));
	EXPECT_EQ(1, read(self->pa[0], &c, 1));
	EXPECT_EQ('x', c);

	/* The fixture's ring was not affected. */
	EXPECT_EQ(0, ring_run_one(&self->r, IORING_OP_NOP, -1, NULL, 0, 0,
				  IOSQE_IO_DRAIN));
}

/* In a child: a ring of our own, a drain held back, and exit. */
static void child_defer_and_exit(int fd)
{
	static char buf[8];
	struct ring r;

	if (ring_init(&r, 4, 0))
		_exit(2);
	prep_read(&r, fd, buf, sizeof(buf), 1);
	prep_nop(&r, 2, IOSQE_IO_DRAIN);
	prep_nop(&r, 3, 0);
	if (ring_submit(&r) != 3)
		_exit(3);
	if (ring_cq_ready(&r))
		_exit(4);
	_exit(0);
}

TEST_F_TIMEOUT(drain, exit_with_deferred, IOU_TIMEOUT)
{
	int status;
	pid_t pid;
	char c;

	if (!self->supported)
		SKIP(return, NO_DRAIN);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		child_defer_and_exit(self->pa[0]);
	status = wait_child(pid, CHILD_MS);
	ASSERT_NE(-1, status) {
		TH_LOG("the child did not exit within %d ms", CHILD_MS);
	}
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* The child's read went away with it. */
	ASSERT_EQ(1, write(self->pa[1], "x", 1));
	ASSERT_EQ(1, readable(self->pa[0], 1000));
	EXPECT_EQ(1, read(self->pa[0], &c, 1));
	EXPECT_EQ('x', c);
}

/*
 * Reap one CQE on an IOPOLL ring, with GETEVENTS: a kernel may return
 * before min_complete is reached when nothing is on its poll list.
 */
static int iopoll_cqe(struct ring *r, struct io_uring_cqe *cqe)
{
	struct timespec start;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (ring_peek_cqe(r, cqe)) {
		if (ms_since(&start) > 2000)
			return -ETIME;
		ret = io_uring_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS);
		if (ret < 0 && ret != -EINTR)
			return ret;
	}
	return 0;
}

TEST_F_TIMEOUT(drain, drain_on_iopoll_ring_nop, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct ring r;
	int i, ret;

	if (!self->supported)
		SKIP(return, NO_DRAIN);
	ASSERT_EQ(0, ring_init(&r, 4, IORING_SETUP_IOPOLL));
	prep_nop(&r, 1, IOSQE_IO_DRAIN);
	ret = io_uring_enter(r.fd, ring_flush_sq(&r), 1,
			     IORING_ENTER_GETEVENTS);
	ASSERT_EQ(1, ret);
	ASSERT_EQ(0, iopoll_cqe(&r, &cqe));
	EXPECT_EQ(1, cqe.user_data);
	EXPECT_EQ(0, cqe.res);

	/* Behind a NOP of the same submission, and before another. */
	prep_nop(&r, 2, 0);
	prep_nop(&r, 3, IOSQE_IO_DRAIN);
	prep_nop(&r, 4, 0);
	ret = io_uring_enter(r.fd, ring_flush_sq(&r), 1,
			     IORING_ENTER_GETEVENTS);
	ASSERT_EQ(3, ret);
	for (i = 2; i <= 4; i++) {
		ASSERT_EQ(0, iopoll_cqe(&r, &cqe)) {
			TH_LOG("no CQE for user_data %d", i);
		}
		EXPECT_EQ(i, cqe.user_data);
		EXPECT_EQ(0, cqe.res);
	}
	EXPECT_EQ(0, ring_cq_ready(&r));
	ring_exit(&r);
}

TEST_HARNESS_MAIN
