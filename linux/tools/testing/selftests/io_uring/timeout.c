// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_TIMEOUT, IORING_OP_TIMEOUT_REMOVE and IORING_OP_LINK_TIMEOUT as
 * 6.1 has them: relative and absolute timeouts on the three clocks,
 * completion-count timeouts, IORING_TIMEOUT_ETIME_SUCCESS, the errnos of
 * bad SQEs, removal and update by user_data (of timeouts and of linked
 * timeouts), a linked timeout firing before its request (which is cancelled)
 * or after it (the timeout is), racing it, not bounding a request sleeping
 * in a worker; overflowed CQEs in a count; and rings closed or tasks
 * exiting with timers armed.
 *
 * No test measures time: a timeout that must fire is short (a few ms), one
 * that must not is 100 s and gets removed; what must not have happened yet
 * is checked with a quiet period.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define ENTRIES		16

/* Never fires within a test; short enough to fire at once. */
#define LONG_S		100
#define SHORT_NS	(5 * 1000 * 1000)

static struct __kernel_timespec ts_long = { .tv_sec = LONG_S };
static struct __kernel_timespec ts_short = { .tv_nsec = SHORT_NS };

FIXTURE(timeout) {
	struct ring r;
	int pfd[2];
};

FIXTURE_SETUP(timeout)
{
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, 0));
	ASSERT_EQ(0, pipe(self->pfd));
}

FIXTURE_TEARDOWN(timeout)
{
	close(self->pfd[0]);
	close(self->pfd[1]);
	ring_exit(&self->r);
}

static struct io_uring_sqe *prep_timeout(struct ring *r,
					 const struct __kernel_timespec *ts,
					 unsigned int count, unsigned int flags,
					 __u64 user_data)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_rw(sqe, IORING_OP_TIMEOUT, -1, ts, 1, count, user_data);
	sqe->timeout_flags = flags;
	return sqe;
}

static struct io_uring_sqe *
prep_link_timeout(struct ring *r, const struct __kernel_timespec *ts,
		  unsigned int flags, __u64 user_data)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_rw(sqe, IORING_OP_LINK_TIMEOUT, -1, ts, 1, 0, user_data);
	sqe->timeout_flags = flags;
	return sqe;
}

/* TIMEOUT_REMOVE of @target, or an update of it to @ts with UPDATE flags. */
static struct io_uring_sqe *
prep_timeout_remove(struct ring *r, __u64 target,
		    const struct __kernel_timespec *ts, unsigned int flags,
		    __u64 user_data)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_rw(sqe, IORING_OP_TIMEOUT_REMOVE, -1, NULL, 0, 0, user_data);
	sqe->addr = target;
	sqe->addr2 = (__u64)(uintptr_t)ts;
	sqe->timeout_flags = flags;
	return sqe;
}

static struct io_uring_sqe *nop(struct ring *r, __u64 user_data, __u8 flags)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_nop(sqe, user_data);
	sqe->flags = flags;
	return sqe;
}

/* A one-byte read. */
static struct io_uring_sqe *prep_read(struct ring *r, int fd, void *buf,
				      __u64 user_data, __u8 flags)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_rw(sqe, IORING_OP_READ, fd, buf, 1, 0, user_data);
	sqe->flags = flags;
	return sqe;
}

/* @ms from now on @clock, as an absolute timespec. */
static struct __kernel_timespec abs_ts(clockid_t clock, long ms)
{
	struct __kernel_timespec ts;
	struct timespec now;
	long long ns;

	clock_gettime(clock, &now);
	ns = (long long)now.tv_sec * 1000000000LL + now.tv_nsec +
	     ms * 1000000LL;
	ts.tv_sec = ns / 1000000000LL;
	ts.tv_nsec = ns % 1000000000LL;
	return ts;
}

/* Submit what is queued and expect exactly one CQE: @user_data's res. */
static int one_res(struct __test_metadata *_metadata, struct ring *r,
		   __u64 user_data)
{
	struct io_uring_cqe cqe;
	int ret = ring_submit(r);

	if (ret != 1) {
		TH_LOG("submit: %d", ret);
		return -10000;
	}
	ret = ring_wait_cqe(r, &cqe);
	if (ret) {
		TH_LOG("no CQE for %llu: %d", (unsigned long long)user_data,
		       ret);
		return -10001;
	}
	EXPECT_EQ(user_data, cqe.user_data);
	EXPECT_EQ(0, cqe.flags);
	return cqe.res;
}

/* Remove the armed timeout @target: it -ECANCELED, the remove 0. */
static void remove_armed(struct __test_metadata *_metadata, struct ring *r,
			 __u64 target)
{
	struct cqe_want want[] = { { target, -ECANCELED }, { 999, 0 } };
	struct io_uring_cqe got[2];

	prep_timeout_remove(r, target, NULL, 0, 999);
	ASSERT_EQ(1, ring_submit(r));
	EXPECT_CQES(r, want, got);
}

TEST_F_TIMEOUT(timeout, relative, IOU_TIMEOUT)
{
	struct __kernel_timespec zero = { 0 };

	/* Expired: -ETIME. */
	prep_timeout(&self->r, &ts_short, 0, 0, 1);
	EXPECT_EQ(-ETIME, one_res(_metadata, &self->r, 1));
	/* A zero timeout expires at once. */
	prep_timeout(&self->r, &zero, 0, 0, 2);
	EXPECT_EQ(-ETIME, one_res(_metadata, &self->r, 2));
	/* One that has not expired does not complete. */
	prep_timeout(&self->r, &ts_long, 0, 0, 3);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	remove_armed(_metadata, &self->r, 3);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, ts_copied_at_submit, IOU_TIMEOUT)
{
	struct __kernel_timespec ts = { .tv_nsec = SHORT_NS };
	struct cqe_want want[] = { { 1, -ETIME } };
	struct io_uring_cqe got[1];

	/* The timespec is read at submission: changing it later is moot. */
	prep_timeout(&self->r, &ts, 0, 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	ts.tv_sec = LONG_S;
	EXPECT_CQES(&self->r, want, got);
}

TEST_F_TIMEOUT(timeout, absolute, IOU_TIMEOUT)
{
	static const struct {
		unsigned int flag;
		clockid_t clock;
	} clocks[] = {
		{ 0, CLOCK_MONOTONIC },
		{ IORING_TIMEOUT_BOOTTIME, CLOCK_BOOTTIME },
		{ IORING_TIMEOUT_REALTIME, CLOCK_REALTIME },
	};
	struct __kernel_timespec ts;
	int i;

	for (i = 0; i < ARRAY_SIZE(clocks); i++) {
		unsigned int flags = IORING_TIMEOUT_ABS | clocks[i].flag;

		/* Soon, in the past, and far ahead on that clock. */
		ts = abs_ts(clocks[i].clock, 5);
		prep_timeout(&self->r, &ts, 0, flags, 1);
		EXPECT_EQ(-ETIME, one_res(_metadata, &self->r, 1));
		ts = abs_ts(clocks[i].clock, -1000);
		prep_timeout(&self->r, &ts, 0, flags, 2);
		EXPECT_EQ(-ETIME, one_res(_metadata, &self->r, 2));
		ts = abs_ts(clocks[i].clock, LONG_S * 1000);
		prep_timeout(&self->r, &ts, 0, flags, 3);
		ASSERT_EQ(1, ring_submit(&self->r));
		EXPECT_TRUE(QUIET(&self->r)) {
			TH_LOG("clock %d", clocks[i].clock);
		}
		remove_armed(_metadata, &self->r, 3);
	}
	/* An absolute time of 0 is long past. */
	memset(&ts, 0, sizeof(ts));
	prep_timeout(&self->r, &ts, 0, IORING_TIMEOUT_ABS, 4);
	EXPECT_EQ(-ETIME, one_res(_metadata, &self->r, 4));
	/* Relative timeouts on the other clocks. */
	prep_timeout(&self->r, &ts_short, 0, IORING_TIMEOUT_BOOTTIME, 5);
	EXPECT_EQ(-ETIME, one_res(_metadata, &self->r, 5));
	prep_timeout(&self->r, &ts_short, 0, IORING_TIMEOUT_REALTIME, 6);
	EXPECT_EQ(-ETIME, one_res(_metadata, &self->r, 6));
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, count, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 2, 0 }, { 3, 0 }, { 1, 0 } };
	struct io_uring_cqe got[ARRAY_SIZE(want)];

	/* Satisfied by two completions: res 0, after the second of them. */
	prep_timeout(&self->r, &ts_long, 2, 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	nop(&self->r, 2, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(__ring_expect_cqes(_metadata, &self->r, want, 1, got));
	EXPECT_TRUE(QUIET(&self->r));
	nop(&self->r, 3, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(__ring_expect_cqes(_metadata, &self->r, &want[1], 2,
				       &got[1]));
	EXPECT_EQ(3, got[1].user_data);
	EXPECT_TRUE(QUIET(&self->r));

	/* In one batch with the requests it counts. */
	prep_timeout(&self->r, &ts_long, 1, 0, 4);
	nop(&self->r, 5, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	want[0] = (struct cqe_want){ 5, 0 };
	want[1] = (struct cqe_want){ 4, 0 };
	EXPECT_TRUE(__ring_expect_cqes(_metadata, &self->r, want, 2, got));
	EXPECT_BEFORE(got, 2, 5, 4);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, count_from_submission, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, 0 }, { 2, 0 }, { 4, 0 }, { 3, 0 } };
	struct io_uring_cqe got[ARRAY_SIZE(want)];

	/* CQEs posted (even unreaped) before the timeout do not count. */
	nop(&self->r, 1, 0);
	nop(&self->r, 2, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	while (ring_cq_ready(&self->r) < 2)
		io_uring_enter(self->r.fd, 0, 2, IORING_ENTER_GETEVENTS);
	prep_timeout(&self->r, &ts_long, 1, 0, 3);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(__ring_expect_cqes(_metadata, &self->r, want, 2, got));
	EXPECT_TRUE(QUIET(&self->r));
	nop(&self->r, 4, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(__ring_expect_cqes(_metadata, &self->r, &want[2], 2,
				       &got[2]));
	EXPECT_BEFORE(got, 4, 4, 3);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, count_ignores_timeouts, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 2, -ETIME } };
	struct cqe_want want2[] = { { 3, 0 }, { 1, 0 } };
	struct io_uring_cqe got[2];

	/* An expired timeout's CQE is not counted by another timeout. */
	prep_timeout(&self->r, &ts_long, 1, 0, 1);
	prep_timeout(&self->r, &ts_short, 0, 0, 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
	nop(&self->r, 3, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want2, got);
	EXPECT_BEFORE(got, 2, 3, 1);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, count_several, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	int i, seen_t = 0, nops = 0;

	/*
	 * Count timeouts of 1, 2 and 3 and four NOPs: each completes (0) once
	 * its count of other CQEs has been posted since it was submitted.
	 */
	prep_timeout(&self->r, &ts_long, 3, 0, 103);
	prep_timeout(&self->r, &ts_long, 1, 0, 101);
	prep_timeout(&self->r, &ts_long, 2, 0, 102);
	ASSERT_EQ(3, ring_submit(&self->r));
	for (i = 0; i < 4; i++)
		nop(&self->r, i, 0);
	ASSERT_EQ(4, ring_submit(&self->r));
	for (i = 0; i < 7; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		EXPECT_EQ(0, cqe.res);
		if (cqe.user_data >= 100) {
			/* Not before its count of NOPs was posted. */
			EXPECT_GE(nops, cqe.user_data - 100);
			seen_t++;
		} else {
			EXPECT_EQ(nops, cqe.user_data);
			nops++;
		}
	}
	EXPECT_EQ(3, seen_t);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, count_expires, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 2, 0 }, { 1, -ETIME } };
	struct io_uring_cqe got[2];

	/* Not enough completions before the time runs out: -ETIME. */
	prep_timeout(&self->r, &ts_short, 5, 0, 1);
	nop(&self->r, 2, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, etime_success, IOU_TIMEOUT)
{
	struct io_uring_cqe got[2];
	struct cqe_want want[] = { { 2, -ETIME }, { 3, 0 } };
	struct cqe_want want2[] = { { 4, -ETIME }, { 5, -ECANCELED } };
	struct cqe_want want3[] = { { 7, 0 }, { 6, 0 }, { 8, 0 } };
	struct io_uring_cqe g[3];
	struct cqe_want want4[] = { { 10, 0 }, { 11, -ETIME } };

	/* The res is still -ETIME ... */
	prep_timeout(&self->r, &ts_short, 0, IORING_TIMEOUT_ETIME_SUCCESS, 1);
	EXPECT_EQ(-ETIME, one_res(_metadata, &self->r, 1));

	/* ... but it is no failure: a link behind it runs. */
	prep_timeout(&self->r, &ts_short, 0, IORING_TIMEOUT_ETIME_SUCCESS,
		     2)->flags = IOSQE_IO_LINK;
	nop(&self->r, 3, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 2, 2, 3);
	/* Without the flag, expiry breaks the chain. */
	prep_timeout(&self->r, &ts_short, 0, 0, 4)->flags = IOSQE_IO_LINK;
	nop(&self->r, 5, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want2, got);
	EXPECT_BEFORE(got, 2, 4, 5);
	/* A timeout satisfied by its count (res 0) does not break it. */
	prep_timeout(&self->r, &ts_long, 1, 0, 6)->flags = IOSQE_IO_LINK;
	nop(&self->r, 8, 0);
	nop(&self->r, 7, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want3, g);
	EXPECT_BEFORE(g, 3, 7, 6);
	EXPECT_BEFORE(g, 3, 6, 8);
	/*
	 * With IOSQE_CQE_SKIP_SUCCESS an expiry counting as a success posts
	 * nothing (the NOP linked behind shows it completed); a plain one
	 * posts -ETIME.
	 */
	prep_timeout(&self->r, &ts_short, 0, IORING_TIMEOUT_ETIME_SUCCESS,
		     9)->flags = IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK;
	nop(&self->r, 10, 0);
	prep_timeout(&self->r, &ts_short, 0, 0, 11)->flags =
		IOSQE_CQE_SKIP_SUCCESS;
	ASSERT_EQ(3, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want4, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, bad_sqe, IOU_TIMEOUT)
{
	struct __kernel_timespec neg_sec = { .tv_sec = -1 };
	struct __kernel_timespec neg_nsec = { .tv_nsec = -1 };
	struct io_uring_sqe *sqe;
	struct ring r;

	/* Unknown flags, including the TIMEOUT_REMOVE ones. */
	prep_timeout(&self->r, &ts_short, 0, 1U << 6, 1);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 1));
	prep_timeout(&self->r, &ts_short, 0, IORING_TIMEOUT_UPDATE, 1);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 1));
	prep_timeout(&self->r, &ts_short, 0, IORING_LINK_TIMEOUT_UPDATE, 1);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 1));
	/* Two clocks. */
	prep_timeout(&self->r, &ts_short, 0,
		     IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME, 1);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 1));
	/* len must be 1. */
	prep_timeout(&self->r, &ts_short, 0, 0, 2)->len = 0;
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 2));
	prep_timeout(&self->r, &ts_short, 0, 0, 2)->len = 2;
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 2));
	/* buf_index, splice_fd_in. */
	prep_timeout(&self->r, &ts_short, 0, 0, 3)->buf_index = 1;
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 3));
	prep_timeout(&self->r, &ts_short, 0, 0, 3)->splice_fd_in = 1;
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 3));
	/* A timespec we cannot read; negative fields. */
	prep_timeout(&self->r, (void *)8, 0, 0, 4);
	EXPECT_EQ(-EFAULT, one_res(_metadata, &self->r, 4));
	prep_timeout(&self->r, NULL, 0, 0, 4);
	EXPECT_EQ(-EFAULT, one_res(_metadata, &self->r, 4));
	prep_timeout(&self->r, &neg_sec, 0, 0, 5);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 5));
	prep_timeout(&self->r, &neg_nsec, 0, 0, 5);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 5));
	/* IOSQE_FIXED_FILE on a request without a file is ignored. */
	sqe = prep_timeout(&self->r, &ts_short, 0, 0, 6);
	sqe->flags = IOSQE_FIXED_FILE;
	EXPECT_EQ(-ETIME, one_res(_metadata, &self->r, 6));
	EXPECT_TRUE(QUIET(&self->r));

	/* Not on an IOPOLL ring. */
	ASSERT_EQ(0, ring_init(&r, 4, IORING_SETUP_IOPOLL));
	prep_timeout(&r, &ts_short, 0, 0, 7);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &r, 7));
	ring_exit(&r);
}

TEST_F_TIMEOUT(timeout, remove, IOU_TIMEOUT)
{
	struct io_uring_cqe got[2];
	struct cqe_want want[] = {
		{ 0, -ECANCELED }, { 2, -ECANCELED },
		{ 3, 0 }, { 4, 0 },
	};
	struct io_uring_cqe g[4];
	struct cqe_want want2[] = { { 9, 1 } };
	char c;

	/* Armed: the timeout -ECANCELED, the remove 0. */
	prep_timeout(&self->r, &ts_long, 0, 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	remove_armed(_metadata, &self->r, 1);
	EXPECT_TRUE(QUIET(&self->r));

	/* A count timeout, and one with user_data 0, in the same batch. */
	prep_timeout(&self->r, &ts_long, 0, 0, 0);
	prep_timeout(&self->r, &ts_long, 8, 0, 2);
	prep_timeout_remove(&self->r, 0, NULL, 0, 3);
	prep_timeout_remove(&self->r, 2, NULL, 0, 4);
	ASSERT_EQ(4, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, g);
	EXPECT_TRUE(QUIET(&self->r));

	/* Nothing by that user_data, or already fired: -ENOENT. */
	prep_timeout_remove(&self->r, 12345, NULL, 0, 5);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 5));
	prep_timeout(&self->r, &ts_short, 0, 0, 6);
	EXPECT_EQ(-ETIME, one_res(_metadata, &self->r, 6));
	prep_timeout_remove(&self->r, 6, NULL, 0, 7);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 7));
	/* Removed already. */
	prep_timeout_remove(&self->r, 1, NULL, 0, 8);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 8));
	/* A request that is not a timeout. */
	prep_read(&self->r, self->pfd[0], &c, 9, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	prep_timeout_remove(&self->r, 9, NULL, 0, 10);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 10));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_CQES(&self->r, want2, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, remove_bad_sqe, IOU_TIMEOUT)
{
	struct __kernel_timespec neg = { .tv_sec = -1 };

	prep_timeout(&self->r, &ts_long, 0, 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	/* Flags without UPDATE: none allowed, not even ABS or a clock. */
	prep_timeout_remove(&self->r, 1, NULL, IORING_TIMEOUT_ABS, 2);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 2));
	prep_timeout_remove(&self->r, 1, NULL, IORING_TIMEOUT_BOOTTIME, 2);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 2));
	/* len, buf_index, splice_fd_in, a fixed file. */
	prep_timeout_remove(&self->r, 1, NULL, 0, 3)->len = 1;
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 3));
	prep_timeout_remove(&self->r, 1, NULL, 0, 3)->buf_index = 1;
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 3));
	prep_timeout_remove(&self->r, 1, NULL, 0, 3)->splice_fd_in = 1;
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 3));
	prep_timeout_remove(&self->r, 1, NULL, 0, 3)->flags = IOSQE_FIXED_FILE;
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 3));
	/* Updates: a clock flag, an unreadable or negative timespec. */
	prep_timeout_remove(&self->r, 1, &ts_long,
			    IORING_TIMEOUT_UPDATE | IORING_TIMEOUT_BOOTTIME, 4);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 4));
	prep_timeout_remove(&self->r, 1, (void *)8, IORING_TIMEOUT_UPDATE, 4);
	EXPECT_EQ(-EFAULT, one_res(_metadata, &self->r, 4));
	prep_timeout_remove(&self->r, 1, &neg, IORING_TIMEOUT_UPDATE, 4);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 4));
	prep_timeout_remove(&self->r, 1, &ts_long,
			    IORING_TIMEOUT_UPDATE | (1U << 6), 4);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 4));
	/* The target was not touched. */
	EXPECT_TRUE(QUIET(&self->r));
	remove_armed(_metadata, &self->r, 1);
}

TEST_F_TIMEOUT(timeout, update, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 2, 0 }, { 1, -ETIME } };
	struct io_uring_cqe got[2];
	struct __kernel_timespec ts;
	struct cqe_want w[] = { { 4, 0 } };
	struct __kernel_timespec mid = { .tv_nsec = 200 * 1000000 };

	/* A long timeout shortened: the update 0, then the timeout -ETIME. */
	prep_timeout(&self->r, &ts_long, 0, 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	prep_timeout_remove(&self->r, 1, &ts_short, IORING_TIMEOUT_UPDATE, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));

	/* To an absolute time in the past: expires at once. */
	prep_timeout(&self->r, &ts_long, 0, 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	ts = abs_ts(CLOCK_MONOTONIC, -1000);
	prep_timeout_remove(&self->r, 1, &ts,
			    IORING_TIMEOUT_UPDATE | IORING_TIMEOUT_ABS, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));

	/* A short one lengthened: it no longer fires; then removed. */
	prep_timeout(&self->r, &mid, 0, 0, 3);
	prep_timeout_remove(&self->r, 3, &ts_long, IORING_TIMEOUT_UPDATE, 4);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, w, got);
	EXPECT_TRUE(QUIET(&self->r));
	remove_armed(_metadata, &self->r, 3);

	/* Nothing to update, or an expired one: -ENOENT. */
	prep_timeout_remove(&self->r, 12345, &ts_long, IORING_TIMEOUT_UPDATE, 5);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 5));
	prep_timeout_remove(&self->r, 1, &ts_long, IORING_TIMEOUT_UPDATE, 5);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 5));
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, update_drops_count, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 2, 0 }, { 3, 0 } };
	struct io_uring_cqe got[2];

	/*
	 * Updating a count timeout makes it a pure timeout: completions no
	 * longer satisfy it.
	 */
	prep_timeout(&self->r, &ts_long, 1, 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	prep_timeout_remove(&self->r, 1, &ts_long, IORING_TIMEOUT_UPDATE, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	nop(&self->r, 3, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
	remove_armed(_metadata, &self->r, 1);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, link_timeout_fires_read, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, -ECANCELED }, { 2, -ETIME } };
	struct io_uring_cqe got[2];
	char c;

	/* A read waiting (armed poll) on an empty pipe is cancelled. */
	prep_read(&self->r, self->pfd[0], &c, 1, IOSQE_IO_LINK);
	prep_link_timeout(&self->r, &ts_short, 0, 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
	/* It is gone: the pipe keeps its byte. */
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, read(self->pfd[0], &c, 1));
}

TEST_F_TIMEOUT(timeout, link_timeout_fires_async_read, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, -ECANCELED }, { 2, -ETIME } };
	struct __kernel_timespec ts = { .tv_nsec = 20 * SHORT_NS };
	struct io_uring_cqe got[2];
	char c;

	/*
	 * With IOSQE_ASYNC the read of a pipe, pollable, does not block in
	 * the worker: it waits in poll, and is cancelled like one.  A timeout
	 * that fires while the worker is still making its nonblocking try
	 * finds the request running and cannot take it (on 6.1 neither):
	 * the longer timeout leaves the worker time enough even on a loaded
	 * TCG guest, where 5 ms did not always.
	 */
	prep_read(&self->r, self->pfd[0], &c, 1, IOSQE_ASYNC | IOSQE_IO_LINK);
	prep_link_timeout(&self->r, &ts, 0, 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, read(self->pfd[0], &c, 1));
}

TEST_F_TIMEOUT(timeout, link_timeout_blocked_worker, IOU_TIMEOUT)
{
	char path[] = "./io_uring_timeout_fifo";
	struct io_uring_cqe got[2];
	struct io_uring_sqe *sqe;
	int fd, i;

	/* the blocking request here is an OPENAT of a FIFO */
	if (!ring_op_supported(&self->r, IORING_OP_OPENAT))
		SKIP(return, "IORING_OP_OPENAT not supported");

	unlink(path);
	ASSERT_EQ(0, mkfifo(path, 0600));
	/*
	 * Opening a FIFO for writing with IOSQE_ASYNC sleeps in a worker
	 * until a reader comes.  6.1 arms a linked timeout once the issue
	 * of its request returned: it does not bound a request sleeping in
	 * a worker.  The open completes when a reader comes; the timeout,
	 * armed only then, is disarmed (-ECANCELED) or fires first and finds
	 * nothing to cancel (-ENOENT).
	 */
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_OPENAT, AT_FDCWD, path, 0, 0, 1);
	sqe->open_flags = O_WRONLY;
	sqe->flags = IOSQE_ASYNC | IOSQE_IO_LINK;
	prep_link_timeout(&self->r, &ts_short, 0, 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	fd = open(path, O_RDONLY | O_NONBLOCK);
	ASSERT_GE(fd, 0);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &got[i]));
		EXPECT_TRUE(got[i].user_data == 1 ? got[i].res >= 0 :
			    got[i].res == -ECANCELED || got[i].res == -ENOENT) {
			TH_LOG("user_data %llu res %d",
			       (unsigned long long)got[i].user_data, got[i].res);
		}
		if (got[i].res >= 0)
			close(got[i].res);
	}
	EXPECT_NE(got[0].user_data, got[1].user_data);
	EXPECT_TRUE(QUIET(&self->r));
	close(fd);
	unlink(path);
}

TEST_F_TIMEOUT(timeout, link_timeout_fires_poll, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, -ECANCELED }, { 2, -ETIME } };
	struct io_uring_cqe got[2];
	struct io_uring_sqe *sqe = ring_get_sqe(&self->r);

	/* A poll waiting for the pipe is removed. */
	ring_prep_poll_add(sqe, self->pfd[0], POLLIN, 1);
	sqe->flags = IOSQE_IO_LINK;
	prep_link_timeout(&self->r, &ts_short, 0, 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, link_timeout_fires_chain, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, 0 }, { 2, -ECANCELED }, { 3, -ETIME }, { 4, -ECANCELED },
		{ 5, -ECANCELED },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	char c;

	/*
	 * NOP -> read (bounded by the timeout) -> NOP -> NOP: the timer
	 * starts when the read is issued; the read is cancelled, what
	 * follows it too, in order.
	 */
	nop(&self->r, 1, IOSQE_IO_LINK);
	prep_read(&self->r, self->pfd[0], &c, 2, IOSQE_IO_LINK);
	prep_link_timeout(&self->r, &ts_short, 0, 3)->flags = IOSQE_IO_LINK;
	nop(&self->r, 4, IOSQE_IO_LINK);
	nop(&self->r, 5, 0);
	ASSERT_EQ(5, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 5, 1, 2);
	EXPECT_BEFORE(got, 5, 2, 4);
	EXPECT_BEFORE(got, 5, 4, 5);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, link_timeout_request_first, IOU_TIMEOUT)
{
	struct io_uring_cqe got[3];
	char c;
	struct cqe_want want[] = { { 1, 0 }, { 2, -ECANCELED } };
	struct cqe_want want2[] = {
		{ 3, 1 }, { 4, -ECANCELED }, { 5, 0 },
	};
	struct cqe_want want3[] = {
		{ 6, -EBADF }, { 7, -ECANCELED }, { 8, -ECANCELED },
	};

	/* Done at once: the timeout -ECANCELED. */
	nop(&self->r, 1, IOSQE_IO_LINK);
	prep_link_timeout(&self->r, &ts_long, 0, 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
	/* Done later, before the timer: same; the chain goes on. */
	prep_read(&self->r, self->pfd[0], &c, 3, IOSQE_IO_LINK);
	prep_link_timeout(&self->r, &ts_long, 0, 4)->flags = IOSQE_IO_LINK;
	nop(&self->r, 5, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_CQES(&self->r, want2, got);
	EXPECT_BEFORE(got, 3, 3, 5);
	EXPECT_TRUE(QUIET(&self->r));
	/* The request fails: it, the timeout -ECANCELED, the rest too. */
	prep_read(&self->r, 100000, &c, 6, IOSQE_IO_LINK);
	prep_link_timeout(&self->r, &ts_long, 0, 7)->flags = IOSQE_IO_LINK;
	nop(&self->r, 8, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want3, got);
	EXPECT_BEFORE(got, 3, 6, 8);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, link_timeout_bad, IOU_TIMEOUT)
{
	struct io_uring_cqe got[3];
	struct cqe_want want[] = { { 2, 0 }, { 3, -EINVAL } };
	struct cqe_want want2[] = {
		{ 4, -ECANCELED }, { 5, -ECANCELED }, { 6, -EINVAL },
	};
	struct cqe_want want3[] = { { 7, -ECANCELED }, { 8, -EINVAL } };

	/* Alone, or not behind a link: -EINVAL. */
	prep_link_timeout(&self->r, &ts_short, 0, 1);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 1));
	nop(&self->r, 2, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	prep_link_timeout(&self->r, &ts_short, 0, 3);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	/* Behind another linked timeout: fails the chain at prep. */
	nop(&self->r, 4, IOSQE_IO_LINK);
	prep_link_timeout(&self->r, &ts_long, 0, 5)->flags = IOSQE_IO_LINK;
	prep_link_timeout(&self->r, &ts_long, 0, 6);
	ASSERT_EQ(3, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want2, got);
	/* A count (off) is not allowed; nor is len != 1. */
	nop(&self->r, 7, IOSQE_IO_LINK);
	prep_link_timeout(&self->r, &ts_long, 0, 8)->off = 1;
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want3, got);
	nop(&self->r, 7, IOSQE_IO_LINK);
	prep_link_timeout(&self->r, &ts_long, 0, 8)->len = 2;
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want3, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, link_timeout_update, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 3, 0 }, { 1, -ECANCELED }, { 2, -ETIME },
	};
	struct io_uring_cqe got[3];
	char c;

	/* UPDATE | LINK_TIMEOUT_UPDATE shortens a linked timeout. */
	prep_read(&self->r, self->pfd[0], &c, 1, IOSQE_IO_LINK);
	prep_link_timeout(&self->r, &ts_long, 0, 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	prep_timeout_remove(&self->r, 2, &ts_short,
			    IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE, 3);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));

	/* No such linked timeout: -ENOENT; a plain timeout is not one. */
	prep_timeout_remove(&self->r, 2, &ts_short,
			    IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE, 4);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 4));
	prep_timeout(&self->r, &ts_long, 0, 0, 5);
	ASSERT_EQ(1, ring_submit(&self->r));
	prep_timeout_remove(&self->r, 5, &ts_short,
			    IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE, 6);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 6));
	remove_armed(_metadata, &self->r, 5);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, link_timeout_not_removable, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, 1 }, { 2, -ECANCELED } };
	struct io_uring_cqe got[2];
	char c;

	/*
	 * TIMEOUT_REMOVE only knows plain timeouts: a linked one is not
	 * found, whether or not LINK_TIMEOUT_UPDATE (without UPDATE, which
	 * makes it a remove) is given.
	 */
	prep_read(&self->r, self->pfd[0], &c, 1, IOSQE_IO_LINK);
	prep_link_timeout(&self->r, &ts_long, 0, 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	prep_timeout_remove(&self->r, 2, NULL, 0, 3);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 3));
	prep_timeout_remove(&self->r, 2, &ts_short, IORING_LINK_TIMEOUT_UPDATE, 4);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 4));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(timeout, close_with_armed, IOU_TIMEOUT)
{
	struct ring r;
	char c;
	int i;

	/* Plain, count and linked timeouts armed; the ring is closed. */
	ASSERT_EQ(0, ring_init(&r, 8, 0));
	prep_timeout(&r, &ts_long, 0, 0, 1);
	prep_timeout(&r, &ts_long, 4, 0, 2);
	prep_read(&r, self->pfd[0], &c, 3, IOSQE_IO_LINK);
	prep_link_timeout(&r, &ts_long, 0, 4)->flags = IOSQE_IO_LINK;
	nop(&r, 5, 0);
	ASSERT_EQ(5, ring_submit(&r));
	ring_exit(&r);

	/* And timers firing while rings go away. */
	for (i = 0; i < 20; i++) {
		struct __kernel_timespec ts = { .tv_nsec = i * 100000 };

		ASSERT_EQ(0, ring_init(&r, 8, 0));
		prep_timeout(&r, &ts, 0, 0, 1);
		prep_read(&r, self->pfd[0], &c, 2, IOSQE_IO_LINK);
		prep_link_timeout(&r, &ts, 0, 3);
		ASSERT_EQ(3, ring_submit(&r));
		ring_exit(&r);
	}
	/* Nothing of those rings still reads the pipe. */
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	ASSERT_EQ(1, read(self->pfd[0], &c, 1));
	EXPECT_EQ(0, ring_run_one(&self->r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
}

TEST_F_TIMEOUT(timeout, exit_with_armed, IOU_TIMEOUT)
{
	int status, i;
	pid_t pid;

	/* A child arms timeouts and linked chains, then exits. */
	for (i = 0; i < 4; i++) {
		pid = fork();
		ASSERT_GE(pid, 0);
		if (!pid) {
			struct __kernel_timespec ts = { .tv_nsec = i * 500000 };
			struct ring r;
			char c;

			if (ring_init(&r, 8, 0))
				_exit(2);
			prep_timeout(&r, &ts_long, 0, 0, 1);
			prep_timeout(&r, &ts_long, 2, 0, 2);
			prep_timeout(&r, &ts, 0, 0, 3);
			prep_read(&r, self->pfd[0], &c, 4, IOSQE_IO_LINK);
			prep_link_timeout(&r, i & 1 ? &ts : &ts_long, 0, 5)->flags =
				IOSQE_IO_LINK;
			nop(&r, 6, 0);
			prep_read(&r, self->pfd[0], &c, 7,
				  IOSQE_ASYNC | IOSQE_IO_LINK);
			prep_link_timeout(&r, &ts_long, 0, 8);
			if (ring_submit(&r) != 8)
				_exit(3);
			_exit(0);
		}
		status = wait_child(pid, 5000);
		ASSERT_NE(-1, status) {
			TH_LOG("the child did not exit within 5s");
		}
		EXPECT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
}

TEST_F_TIMEOUT(timeout, count_overflow, IOU_TIMEOUT)
{
	struct io_uring_params p;
	struct io_uring_cqe cqe;
	struct ring r;
	int i, nops = 0;

	/*
	 * CQEs that overflowed count once they are flushed to the CQ ring:
	 * a timeout waiting for 6 stays armed while 2 of the 6 are in the
	 * overflow list, and completes (0) after them.
	 */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 4;
	ASSERT_EQ(0, ring_init_params(&r, 4, &p));
	ASSERT_EQ(4, *r.cq_entries);
	prep_timeout(&r, &ts_long, 6, 0, 100);
	ASSERT_EQ(1, ring_submit(&r));
	for (i = 0; i < 4; i++)
		nop(&r, i, 0);
	ASSERT_EQ(4, ring_submit(&r));
	nop(&r, 4, 0);
	nop(&r, 5, 0);
	ASSERT_EQ(2, ring_submit(&r));
	EXPECT_EQ(4, ring_cq_ready(&r));
	EXPECT_TRUE(__atomic_load_n(r.sq_flags, __ATOMIC_ACQUIRE) &
		    IORING_SQ_CQ_OVERFLOW);
	for (i = 0; i < 7; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
		EXPECT_EQ(0, cqe.res);
		if (cqe.user_data == 100) {
			EXPECT_EQ(6, nops);
		} else {
			EXPECT_EQ(nops, cqe.user_data);
			nops++;
		}
	}
	EXPECT_TRUE(QUIET(&r));
	ring_exit(&r);
}

struct racing_write {
	int fd;
	int delay_us;
};

static void *racing_write_fn(void *arg)
{
	struct racing_write *rw = arg;

	usleep(rw->delay_us);
	if (write(rw->fd, "x", 1) != 1)
		return (void *)1;
	return NULL;
}

TEST_F_TIMEOUT(timeout, link_timeout_race, 60)
{
	struct __kernel_timespec ts = { .tv_nsec = 1000 * 1000 };
	int i;

	/*
	 * A read bounded by a 1 ms linked timeout, and a write at about
	 * that time.  Two CQEs, always, and one of:
	 * - the read gets the byte; the timeout -ECANCELED (disarmed), or
	 *   it fired: -ETIME, -ENOENT or -EALREADY as its cancel found the
	 *   read (which 6.1 lets complete all the same, when the wakeup had
	 *   already taken it).
	 * - the read -ECANCELED and the byte stays in the pipe; the timeout
	 *   -ETIME, or -ENOENT (6.1 posts that too).
	 */
	for (i = 0; i < 200; i++) {
		struct racing_write rw = { self->pfd[1], (i % 20) * 100 };
		struct io_uring_cqe got[2];
		pthread_t thr;
		void *tret;
		int rres = 0, tres = 0, j;
		char c;

		prep_read(&self->r, self->pfd[0], &c, 1, IOSQE_IO_LINK);
		prep_link_timeout(&self->r, &ts, 0, 2);
		ASSERT_EQ(0, pthread_create(&thr, NULL, racing_write_fn, &rw));
		ASSERT_EQ(2, ring_submit(&self->r));
		for (j = 0; j < 2; j++) {
			ASSERT_EQ(0, ring_wait_cqe(&self->r, &got[j]));
			if (got[j].user_data == 1)
				rres = got[j].res;
			else
				tres = got[j].res;
		}
		ASSERT_EQ(0, pthread_join(thr, &tret));
		EXPECT_TRUE((rres == 1 &&
			     (tres == -ECANCELED || tres == -ETIME ||
			      tres == -ENOENT || tres == -EALREADY)) ||
			    (rres == -ECANCELED &&
			     (tres == -ETIME || tres == -ENOENT))) {
			TH_LOG("read %d, timeout %d", rres, tres);
		}
		if (rres != 1)
			ASSERT_EQ(1, read(self->pfd[0], &c, 1));
		ASSERT_TRUE(QUIET(&self->r));
	}
}

TEST_HARNESS_MAIN
