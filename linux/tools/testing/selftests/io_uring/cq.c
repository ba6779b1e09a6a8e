// SPDX-License-Identifier: GPL-2.0
/*
 * Completion queue overflow without loss (IORING_FEAT_NODROP) and ring
 * teardown with work still pending: close with unreaped CQEs and parked
 * reads, fork and exit with a ring open, a task exiting with a read pending.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define SQ_ENTRIES	4
#define CQ_ENTRIES	8

FIXTURE(cq) {
	struct ring r;
};

FIXTURE_SETUP(cq)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = CQ_ENTRIES;
	ASSERT_EQ(0, ring_init_params(&self->r, SQ_ENTRIES, &p));
	ASSERT_EQ(SQ_ENTRIES, self->r.p.sq_entries);
	ASSERT_EQ(CQ_ENTRIES, self->r.p.cq_entries);
}

FIXTURE_TEARDOWN(cq)
{
	ring_exit(&self->r);
}

static unsigned int sq_flags(struct ring *r)
{
	/* Pairs with the kernel's atomic update of the SQ ring flags. */
	return __atomic_load_n(r->sq_flags, __ATOMIC_ACQUIRE);
}

/*
 * Submit NOPs with user_data 0..n-1 in SQ-sized batches without reaping.
 * Returns how many were submitted; stops early if the kernel refuses
 * further submissions while overflowed (EBUSY, io_uring_setup(2) NODROP).
 */
static int submit_nops(struct ring *r, int n, int *busy)
{
	int done = 0;

	*busy = 0;
	while (done < n) {
		int batch = n - done < SQ_ENTRIES ? n - done : SQ_ENTRIES;
		int i, ret;

		for (i = 0; i < batch; i++)
			ring_prep_nop(ring_get_sqe(r), done + i);
		ret = ring_submit(r);
		if (ret == -EBUSY) {
			/* Withdraw the unsubmitted SQEs. */
			*busy = 1;
			r->sqe_tail -= batch;
			r->sqe_head -= batch;
			__atomic_store_n(r->sq_tail, r->sqe_tail,
					 __ATOMIC_RELEASE);
			break;
		}
		if (ret != batch)
			return ret < 0 ? ret : -EIO;
		done += batch;
	}
	return done;
}

TEST_F_TIMEOUT(cq, overflow_nodrop, IOU_TIMEOUT)
{
	struct ring *r = &self->r;
	unsigned char seen[32] = { 0 };
	struct io_uring_cqe cqe;
	int submitted, busy, reaped = 0, rounds = 0, i;

	if (!(r->p.features & IORING_FEAT_NODROP))
		SKIP(return, "no IORING_FEAT_NODROP");

	/* Four times the CQ ring. */
	submitted = submit_nops(r, 4 * CQ_ENTRIES, &busy);
	ASSERT_GE(submitted, CQ_ENTRIES + SQ_ENTRIES);
	TH_LOG("submitted %d of %d NOPs%s", submitted, 4 * CQ_ENTRIES,
	       busy ? ", then EBUSY" : "");

	/* The CQ ring is full and the kernel says it is holding the rest. */
	EXPECT_EQ(CQ_ENTRIES, ring_cq_ready(r));
	EXPECT_TRUE(sq_flags(r) & IORING_SQ_CQ_OVERFLOW);
	/*
	 * In 6.1 cq.overflow only counts CQEs that were really lost, which
	 * NODROP avoids, so it stays 0 here.
	 */
	EXPECT_EQ(0, __atomic_load_n(r->cq_overflow, __ATOMIC_RELAXED));

	/*
	 * Reap everything.  Entering with GETEVENTS moves held CQEs into the
	 * ring as space frees up.
	 */
	while (reaped < submitted) {
		ASSERT_LT(rounds++, 4 * submitted);
		while (!ring_peek_cqe(r, &cqe)) {
			ASSERT_LT(cqe.user_data, submitted);
			EXPECT_EQ(0, cqe.res);
			EXPECT_EQ(0, seen[cqe.user_data]);
			seen[cqe.user_data]++;
			reaped++;
		}
		if (reaped < submitted)
			ASSERT_EQ(0, io_uring_enter(r->fd, 0, 0,
						    IORING_ENTER_GETEVENTS));
	}
	EXPECT_EQ(submitted, reaped);
	for (i = 0; i < submitted; i++)
		EXPECT_EQ(1, seen[i]);

	/* All flushed: the flag is gone and the ring works normally. */
	EXPECT_EQ(0, ring_cq_ready(r));
	EXPECT_FALSE(sq_flags(r) & IORING_SQ_CQ_OVERFLOW);
	EXPECT_EQ(0, __atomic_load_n(r->cq_overflow, __ATOMIC_RELAXED));
	EXPECT_EQ(0, ring_run_one(r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
}

TEST_F_TIMEOUT(cq, overflow_order, IOU_TIMEOUT)
{
	struct ring *r = &self->r;
	struct io_uring_cqe cqe;
	int submitted, busy, next = 0, rounds = 0;

	/* NOPs complete in submission order, and overflow keeps that order. */
	submitted = submit_nops(r, 3 * CQ_ENTRIES, &busy);
	ASSERT_GT(submitted, CQ_ENTRIES);
	while (next < submitted) {
		ASSERT_LT(rounds++, 4 * submitted);
		while (!ring_peek_cqe(r, &cqe)) {
			EXPECT_EQ(next, cqe.user_data);
			next++;
		}
		if (next < submitted)
			ASSERT_EQ(0, io_uring_enter(r->fd, 0, 0,
						    IORING_ENTER_GETEVENTS));
	}
}

TEST_F_TIMEOUT(cq, overflow_wait, IOU_TIMEOUT)
{
	struct ring *r = &self->r;
	struct io_uring_cqe cqe;
	int submitted, busy, i;

	submitted = submit_nops(r, 2 * CQ_ENTRIES, &busy);
	ASSERT_GT(submitted, CQ_ENTRIES);
	/* Waiting for the whole ring's worth returns at once. */
	ASSERT_EQ(0, io_uring_enter(r->fd, 0, CQ_ENTRIES,
				    IORING_ENTER_GETEVENTS));
	for (i = 0; i < submitted; i++) {
		ASSERT_EQ(0, ring_wait_cqe(r, &cqe)) {
			TH_LOG("CQE %d of %d missing", i, submitted);
		}
	}
	EXPECT_EQ(-EAGAIN, ring_peek_cqe(r, &cqe));
}

TEST_F_TIMEOUT(cq, close_with_pending, IOU_TIMEOUT)
{
	struct ring *r = &self->r;
	struct timespec start;
	char buf[2][8];
	int pfd[2], i;

	ASSERT_EQ(0, pipe(pfd));
	/* Unreaped CQEs... */
	for (i = 0; i < SQ_ENTRIES; i++)
		ring_prep_nop(ring_get_sqe(r), i);
	ASSERT_EQ(SQ_ENTRIES, ring_submit(r));
	/* ...and reads parked on an empty pipe, one of them in io-wq. */
	ring_prep_rw(ring_get_sqe(r), IORING_OP_READ, pfd[0], buf[0], 8, 0,
		     10);
	ring_prep_rw(ring_get_sqe(r), IORING_OP_READ, pfd[0], buf[1], 8, 0,
		     11);
	r->sqes[(r->sqe_tail - 1) & (SQ_ENTRIES - 1)].flags = IOSQE_ASYNC;
	ASSERT_EQ(2, ring_submit(r));
	usleep(20 * 1000);

	clock_gettime(CLOCK_MONOTONIC, &start);
	ring_exit(r);
	EXPECT_LT(ms_since(&start), 2000);

	/* The pipe is still perfectly usable. */
	ASSERT_EQ(3, write(pfd[1], "abc", 3));
	close(pfd[0]);
	close(pfd[1]);
}

TEST_F_TIMEOUT(cq, close_fd_keep_mapping, IOU_TIMEOUT)
{
	struct ring *r = &self->r;
	char buf[8];
	int pfd[2];

	/* Closing the fd with a read pending while the rings stay mapped. */
	ASSERT_EQ(0, pipe(pfd));
	ring_prep_rw(ring_get_sqe(r), IORING_OP_READ, pfd[0], buf, 8, 0, 1);
	ASSERT_EQ(1, ring_submit(r));
	close(r->fd);
	r->fd = -1;
	usleep(20 * 1000);
	ring_munmap(r);
	ASSERT_EQ(3, write(pfd[1], "abc", 3));
	close(pfd[0]);
	close(pfd[1]);
}

TEST_F_TIMEOUT(cq, fork_exit, IOU_TIMEOUT)
{
	struct ring *r = &self->r;
	struct io_uring_cqe cqe;
	int status;
	pid_t pid;

	/* A child that inherits the ring and just exits. */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(0);
	status = wait_child(pid, 3000);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, ring_run_one(r, IORING_OP_NOP, -1, NULL, 0, 0, 0));

	/* A child that uses the inherited ring, then exits. */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (ring_run_one(r, IORING_OP_NOP, -1, NULL, 0, 0, 0))
			_exit(1);
		_exit(0);
	}
	status = wait_child(pid, 3000);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* The parent carries on with the same ring. */
	ring_resync_sq(r);
	ring_prep_nop(ring_get_sqe(r), 99);
	ASSERT_EQ(1, ring_submit(r));
	ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
	EXPECT_EQ(99, cqe.user_data);
	EXPECT_EQ(-EAGAIN, ring_peek_cqe(r, &cqe));
}

TEST_F_TIMEOUT(cq, fork_exit_own_ring, IOU_TIMEOUT)
{
	int status, pfd[2];
	char buf[8];
	pid_t pid;

	/*
	 * A child with its own ring, a read pending on a pipe (one end
	 * still open in the parent) and NOP CQEs never reaped, exits
	 * without closing anything.
	 */
	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct ring cr;

		if (ring_init(&cr, SQ_ENTRIES, 0))
			_exit(1);
		ring_prep_nop(ring_get_sqe(&cr), 1);
		ring_prep_rw(ring_get_sqe(&cr), IORING_OP_READ, pfd[0], buf,
			     sizeof(buf), 0, 2);
		if (ring_submit(&cr) != 2)
			_exit(2);
		_exit(0);
	}
	status = wait_child(pid, 3000);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The pending read did not steal data written after the exit. */
	usleep(20 * 1000);
	ASSERT_EQ(3, write(pfd[1], "abc", 3));
	EXPECT_EQ(3, read(pfd[0], buf, sizeof(buf)));
	close(pfd[0]);
	close(pfd[1]);
}

TEST_F_TIMEOUT(cq, child_exit_pending_read_shared_ring, IOU_TIMEOUT)
{
	struct ring *r = &self->r;
	struct io_uring_cqe cqe;
	int status, pfd[2];
	char buf[8];
	pid_t pid;

	/*
	 * A child submits a read on the parent's ring and exits before any
	 * data arrives; its exit must not wait for the data.  The request
	 * belongs to the dead task and can never run: it completes with
	 * -ECANCELED (6.1 does so when the pipe wakes it up; cancelling at
	 * exit would be as good) and leaves the data in the pipe.
	 */
	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		ring_prep_rw(ring_get_sqe(r), IORING_OP_READ, pfd[0], buf,
			     sizeof(buf), 0, 0x5eed);
		if (ring_submit(r) != 1)
			_exit(1);
		_exit(0);
	}
	status = wait_child(pid, 3000);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ring_resync_sq(r);

	ASSERT_EQ(3, write(pfd[1], "abc", 3));
	ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
	EXPECT_EQ(0x5eed, cqe.user_data);
	EXPECT_EQ(-ECANCELED, cqe.res);
	EXPECT_EQ(3, read(pfd[0], buf, sizeof(buf)));

	/* The ring and the pipe still work. */
	ASSERT_EQ(3, write(pfd[1], "def", 3));
	EXPECT_EQ(3, ring_run_one(r, IORING_OP_READ, pfd[0], buf, sizeof(buf),
				  0, 0));
	close(pfd[0]);
	close(pfd[1]);
}

TEST_HARNESS_MAIN
