// SPDX-License-Identifier: GPL-2.0
/*
 * IOSQE_IO_LINK and IOSQE_IO_HARDLINK chains as 6.1 runs them: each link
 * starts once the one before it completed; a chain fails as a unit when a
 * request fails at submission (prep), at issue or at completion (an error
 * or a short read), the rest completing with -ECANCELED in chain order;
 * hardlinks carry on past errors (but not past a prep failure); a chain left
 * open at the end of a submission ends there; chains with IOSQE_ASYNC,
 * IOSQE_FIXED_FILE, IOSQE_IO_DRAIN and personalities, on IOPOLL rings; and
 * IOSQE_CQE_SKIP_SUCCESS alone and in chains.
 *
 * What io_uring_enter() returns when a request fails at prep is 6.1's: the
 * failed SQE is consumed and counted, and if it ends a chain (or stands
 * alone) submission stops after it (unless IORING_SETUP_SUBMIT_ALL);
 * inside an open chain it does not.
 *
 * Only orders 6.1 guarantees are checked: the CQEs of one chain come in
 * chain order; unrelated requests may complete in between.
 *
 * The regular files are created in the current directory.  Run as root
 * for the personality case.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define ENTRIES		16
#define BS		4096

FIXTURE(link) {
	struct ring r;
	int pfd[2];
	int closed_fd;
};

FIXTURE_SETUP(link)
{
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, 0));
	ASSERT_EQ(0, pipe(self->pfd));
	/* An fd number that is not open, and that no new file takes. */
	self->closed_fd = fcntl(self->pfd[0], F_DUPFD, 512);
	ASSERT_GE(self->closed_fd, 0);
	close(self->closed_fd);
}

FIXTURE_TEARDOWN(link)
{
	close(self->pfd[0]);
	close(self->pfd[1]);
	ring_exit(&self->r);
}

/* Queue a NOP with @flags. */
static struct io_uring_sqe *nop(struct ring *r, __u64 user_data, __u8 flags)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_nop(sqe, user_data);
	sqe->flags = flags;
	return sqe;
}

/* A NOP that fails at prep with -EINVAL (unknown rw_flags). */
static struct io_uring_sqe *bad_nop(struct ring *r, __u64 user_data,
				    __u8 flags)
{
	struct io_uring_sqe *sqe = nop(r, user_data, flags);

	sqe->rw_flags = 1;
	return sqe;
}

static struct io_uring_sqe *rw(struct ring *r, int op, int fd, void *buf,
			       unsigned int len, __u64 off, __u64 user_data,
			       __u8 flags)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_rw(sqe, op, fd, buf, len, off, user_data);
	sqe->flags = flags;
	return sqe;
}

/* Is there something to read in @fd right now? */
static bool readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1;
}

/* A regular file of @size bytes of 'f', unlinked; returns its fd. */
static int tmp_file(size_t size)
{
	char path[] = "./io_uring_link_XXXXXX";
	char buf[BS];
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	unlink(path);
	memset(buf, 'f', sizeof(buf));
	while (size) {
		size_t n = size < BS ? size : BS;

		if (write(fd, buf, n) != (ssize_t)n) {
			close(fd);
			return -1;
		}
		size -= n;
	}
	return fd;
}

TEST_F_TIMEOUT(link, order, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, 0 }, { 2, 0 }, { 3, 0 }, { 4, 0 }, { 5, 0 },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];

	/* Two chains in one batch: 1 -> 2 -> 3 and 4 -> 5. */
	nop(&self->r, 1, IOSQE_IO_LINK);
	nop(&self->r, 2, IOSQE_IO_LINK);
	nop(&self->r, 3, 0);
	nop(&self->r, 4, IOSQE_IO_LINK);
	nop(&self->r, 5, 0);
	ASSERT_EQ(5, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 5, 1, 2);
	EXPECT_BEFORE(got, 5, 2, 3);
	EXPECT_BEFORE(got, 5, 4, 5);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, waits_for_previous, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, 1 }, { 2, 3 } };
	struct io_uring_cqe got[ARRAY_SIZE(want)], cqe;
	int p2[2];
	char c, buf[3];

	ASSERT_EQ(0, pipe(p2));
	/*
	 * A read of an empty pipe, then a write to another pipe: the write
	 * is not issued before the read completed.  An unlinked NOP in the
	 * same batch is not held up by the chain.
	 */
	rw(&self->r, IORING_OP_READ, self->pfd[0], &c, 1, 0, 1, IOSQE_IO_LINK);
	rw(&self->r, IORING_OP_WRITE, p2[1], "abc", 3, 0, 2, 0);
	nop(&self->r, 3, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(3, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_TRUE(QUIET(&self->r));
	EXPECT_FALSE(readable(p2[0]));

	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 2, 1, 2);
	EXPECT_EQ('x', c);
	ASSERT_EQ(3, read(p2[0], buf, 3));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	EXPECT_TRUE(QUIET(&self->r));
	close(p2[0]);
	close(p2[1]);
}

TEST_F_TIMEOUT(link, data_flows_along, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, 5 }, { 2, 5 }, { 3, 5 } };
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	char buf[8] = { 0 };
	int fd = tmp_file(0);

	ASSERT_GE(fd, 0);
	/* write -> read back -> write it further on: each sees the last. */
	rw(&self->r, IORING_OP_WRITE, fd, "hello", 5, 0, 1, IOSQE_IO_LINK);
	rw(&self->r, IORING_OP_READ, fd, buf, 5, 0, 2, IOSQE_IO_LINK);
	rw(&self->r, IORING_OP_WRITE, fd, buf, 5, 5, 3, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 3, 1, 2);
	EXPECT_BEFORE(got, 3, 2, 3);
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(5, pread(fd, buf, 5, 5));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	close(fd);
}

TEST_F_TIMEOUT(link, prep_fail_head, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, -EINVAL }, { 2, -ECANCELED }, { 3, -ECANCELED }, { 4, 0 },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];

	/*
	 * The head fails at prep: the chain is still assembled to its end
	 * and then failed, so the whole batch is consumed.
	 */
	bad_nop(&self->r, 1, IOSQE_IO_LINK);
	nop(&self->r, 2, IOSQE_IO_LINK);
	nop(&self->r, 3, 0);
	nop(&self->r, 4, 0);
	ASSERT_EQ(4, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 4, 1, 2);
	EXPECT_BEFORE(got, 4, 2, 3);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, prep_fail_middle, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, -ECANCELED }, { 2, -EINVAL }, { 3, -ECANCELED }, { 4, 0 },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];

	/* The head never runs: it completes -ECANCELED, first. */
	nop(&self->r, 1, IOSQE_IO_LINK);
	bad_nop(&self->r, 2, IOSQE_IO_LINK);
	nop(&self->r, 3, 0);
	nop(&self->r, 4, 0);
	ASSERT_EQ(4, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 4, 1, 2);
	EXPECT_BEFORE(got, 4, 2, 3);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, prep_fail_last, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, -ECANCELED }, { 2, -ECANCELED }, { 3, -EINVAL },
	};
	struct cqe_want want2[] = { { 4, 0 } };
	struct io_uring_cqe got[ARRAY_SIZE(want)], got2[1];

	/*
	 * The failing SQE ends the chain: submission stops after it, the
	 * SQE behind it is left in the SQ ring for the next enter.
	 */
	nop(&self->r, 1, IOSQE_IO_LINK);
	nop(&self->r, 2, IOSQE_IO_LINK);
	bad_nop(&self->r, 3, 0);
	nop(&self->r, 4, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 3, 1, 2);
	EXPECT_BEFORE(got, 3, 2, 3);
	EXPECT_TRUE(QUIET(&self->r));
	EXPECT_EQ(1, io_uring_enter(self->r.fd, 1, 0, 0));
	EXPECT_CQES(&self->r, want2, got2);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, prep_fail_submit_all, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, -ECANCELED }, { 2, -EINVAL }, { 3, -EINVAL }, { 4, 0 },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	struct ring r;

	/*
	 * With IORING_SETUP_SUBMIT_ALL submission goes on past a failed
	 * chain end and a failed lone SQE: all four are consumed.
	 */
	ASSERT_EQ(0, ring_init(&r, 8, IORING_SETUP_SUBMIT_ALL));
	nop(&r, 1, IOSQE_IO_LINK);
	bad_nop(&r, 2, 0);
	bad_nop(&r, 3, 0);
	nop(&r, 4, 0);
	ASSERT_EQ(4, ring_submit(&r));
	EXPECT_CQES(&r, want, got);
	EXPECT_BEFORE(got, 4, 1, 2);
	EXPECT_TRUE(QUIET(&r));
	ring_exit(&r);
}

TEST_F_TIMEOUT(link, prep_fail_hardlink, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, 0 }, { 2, -EINVAL }, { 3, -ECANCELED },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];

	/*
	 * A prep failure fails a hardlinked chain like a linked one, the
	 * requests before it included (none of them was issued).
	 */
	nop(&self->r, 1, IOSQE_IO_HARDLINK);
	bad_nop(&self->r, 2, IOSQE_IO_HARDLINK);
	nop(&self->r, 3, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	want[0].res = -ECANCELED;
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 3, 1, 2);
	EXPECT_BEFORE(got, 3, 2, 3);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, issue_fail_ebadf, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, 0 }, { 2, -EBADF }, { 3, -ECANCELED }, { 4, -ECANCELED },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	char c;

	/* A bad fd fails at issue: what follows it is cancelled. */
	nop(&self->r, 1, IOSQE_IO_LINK);
	rw(&self->r, IORING_OP_READ, self->closed_fd, &c, 1, 0, 2,
	   IOSQE_IO_LINK);
	nop(&self->r, 3, IOSQE_IO_LINK);
	nop(&self->r, 4, 0);
	ASSERT_EQ(4, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 4, 1, 2);
	EXPECT_BEFORE(got, 4, 2, 3);
	EXPECT_BEFORE(got, 4, 3, 4);
	EXPECT_TRUE(QUIET(&self->r));

	/* The same as the head of a chain. */
	rw(&self->r, IORING_OP_READ, self->closed_fd, &c, 1, 0, 5,
	   IOSQE_IO_LINK);
	nop(&self->r, 6, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	want[0] = (struct cqe_want){ 5, -EBADF };
	want[1] = (struct cqe_want){ 6, -ECANCELED };
	EXPECT_TRUE(__ring_expect_cqes(_metadata, &self->r, want, 2, got));
	EXPECT_BEFORE(got, 2, 5, 6);
	EXPECT_TRUE(QUIET(&self->r));
}

/*
 * A bad fd is an error of the issue, which a request cancelled behind a
 * failure never reaches: it completes -ECANCELED like the others (found
 * by the fuzzer, FUZZ_SEED=2 FUZZ_ONLY=33).
 */
TEST_F_TIMEOUT(link, ebadf_cancelled_behind_failure, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, -ENXIO }, { 2, -ECANCELED }, { 3, -ECANCELED },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	struct io_uring_sqe *sqe;
	__s32 fd = -1;
	char c;

	/* No file table: FILES_UPDATE fails at issue with -ENXIO. */
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_FILES_UPDATE, -1, &fd, 1, 0, 1);
	sqe->flags = IOSQE_IO_LINK;
	rw(&self->r, IORING_OP_READ, self->closed_fd, &c, 1, 0, 2,
	   IOSQE_IO_LINK);
	nop(&self->r, 3, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 3, 1, 2);
	EXPECT_BEFORE(got, 3, 2, 3);
	EXPECT_TRUE(QUIET(&self->r));
}

/*
 * A head with a bad fd is never issued when a later link fails at prep:
 * -ECANCELED, as any head of a chain failed at submission.
 */
TEST_F_TIMEOUT(link, ebadf_head_of_prep_failed_chain, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, -ECANCELED }, { 2, -EINVAL },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	char c;

	rw(&self->r, IORING_OP_READ, self->closed_fd, &c, 1, 0, 1,
	   IOSQE_IO_LINK);
	bad_nop(&self->r, 2, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 2, 1, 2);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, complete_fail_bad_offset, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, -EINVAL }, { 2, -ECANCELED }, { 3, -ECANCELED },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	char buf[16];
	int fd = tmp_file(BS);

	ASSERT_GE(fd, 0);
	/* A negative offset (other than -1) on a regular file. */
	rw(&self->r, IORING_OP_READ, fd, buf, sizeof(buf), -2ULL, 1,
	   IOSQE_IO_LINK);
	nop(&self->r, 2, IOSQE_IO_LINK);
	nop(&self->r, 3, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 3, 1, 2);
	EXPECT_BEFORE(got, 3, 2, 3);
	EXPECT_TRUE(QUIET(&self->r));
	close(fd);
}

/*
 * A LINK_TIMEOUT at the head of a chain has nothing to bound: -EINVAL at
 * prep, and the chain it heads fails with it.  The write behind it, which
 * would fail at issue (the pipe's read end), is never issued: -ECANCELED.
 */
TEST_F_TIMEOUT(link, link_timeout_head_fails_chain, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, -EINVAL }, { 2, -ECANCELED },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	struct __kernel_timespec ts = { .tv_sec = 1 };
	struct io_uring_sqe *sqe;
	char c = 'x';

	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_LINK_TIMEOUT, -1, &ts, 1, 0, 1);
	sqe->flags = IOSQE_IO_LINK;
	rw(&self->r, IORING_OP_WRITE, self->pfd[0], &c, 1, 0, 2, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
}

/* The same behind a write that fails at issue (a negative offset). */
TEST_F_TIMEOUT(link, issue_fail_cancels_failing_write, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, -EINVAL }, { 2, -ECANCELED },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	char buf[16] = { 0 };
	int fd = tmp_file(BS);

	ASSERT_GE(fd, 0);
	rw(&self->r, IORING_OP_WRITE, fd, buf, sizeof(buf), -2ULL, 1,
	   IOSQE_IO_LINK);
	rw(&self->r, IORING_OP_WRITE, self->pfd[0], buf, 1, 0, 2, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 2, 1, 2);
	EXPECT_TRUE(QUIET(&self->r));
	close(fd);
}

TEST_F_TIMEOUT(link, complete_fail_efault, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, 0 }, { 2, -EFAULT }, { 3, -ECANCELED },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	int fd = tmp_file(BS);

	ASSERT_GE(fd, 0);
	/* A read into an unmapped buffer fails the chain from there. */
	nop(&self->r, 1, IOSQE_IO_LINK);
	rw(&self->r, IORING_OP_READ, fd, (void *)8, 16, 0, 2, IOSQE_IO_LINK);
	nop(&self->r, 3, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 3, 1, 2);
	EXPECT_BEFORE(got, 3, 2, 3);
	EXPECT_TRUE(QUIET(&self->r));
	close(fd);
}

TEST_F_TIMEOUT(link, short_read_file, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, 100 }, { 2, -ECANCELED }, { 3, -ECANCELED },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	char buf[BS];
	int fd = tmp_file(100);

	ASSERT_GE(fd, 0);
	/* A short read of a regular file: success for it, not for the chain. */
	rw(&self->r, IORING_OP_READ, fd, buf, sizeof(buf), 0, 1, IOSQE_IO_LINK);
	nop(&self->r, 2, IOSQE_IO_LINK);
	nop(&self->r, 3, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 3, 1, 2);
	EXPECT_BEFORE(got, 3, 2, 3);
	EXPECT_TRUE(QUIET(&self->r));

	/* A read at EOF (0 bytes) too. */
	rw(&self->r, IORING_OP_READ, fd, buf, sizeof(buf), 100, 4,
	   IOSQE_IO_LINK);
	nop(&self->r, 5, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	want[0] = (struct cqe_want){ 4, 0 };
	want[1] = (struct cqe_want){ 5, -ECANCELED };
	EXPECT_TRUE(__ring_expect_cqes(_metadata, &self->r, want, 2, got));
	EXPECT_BEFORE(got, 2, 4, 5);

	/* A full read does not break it. */
	rw(&self->r, IORING_OP_READ, fd, buf, 100, 0, 6, IOSQE_IO_LINK);
	nop(&self->r, 7, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	want[0] = (struct cqe_want){ 6, 100 };
	want[1] = (struct cqe_want){ 7, 0 };
	EXPECT_TRUE(__ring_expect_cqes(_metadata, &self->r, want, 2, got));
	EXPECT_BEFORE(got, 2, 6, 7);
	EXPECT_TRUE(QUIET(&self->r));
	close(fd);
}

TEST_F_TIMEOUT(link, short_read_pipe, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, 2 }, { 2, -ECANCELED } };
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	char buf[16];

	/* Asked for 16, the pipe holds 2: the chain breaks there too. */
	ASSERT_EQ(2, write(self->pfd[1], "ab", 2));
	rw(&self->r, IORING_OP_READ, self->pfd[0], buf, sizeof(buf), 0, 1,
	   IOSQE_IO_LINK);
	nop(&self->r, 2, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 2, 1, 2);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, hardlink_continues, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, -EBADF }, { 2, 100 }, { 3, 0 }, { 4, -EBADF },
		{ 5, -ECANCELED },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	char buf[BS];
	int fd = tmp_file(100);

	ASSERT_GE(fd, 0);
	/*
	 * Past an issue failure and a short read; a plain link after the
	 * hardlinks still breaks on the next failure.
	 */
	rw(&self->r, IORING_OP_READ, self->closed_fd, buf, 1, 0, 1,
	   IOSQE_IO_HARDLINK);
	rw(&self->r, IORING_OP_READ, fd, buf, sizeof(buf), 0, 2,
	   IOSQE_IO_HARDLINK);
	nop(&self->r, 3, IOSQE_IO_HARDLINK);
	rw(&self->r, IORING_OP_READ, self->closed_fd, buf, 1, 0, 4,
	   IOSQE_IO_LINK);
	nop(&self->r, 5, 0);
	ASSERT_EQ(5, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 5, 1, 2);
	EXPECT_BEFORE(got, 5, 2, 3);
	EXPECT_BEFORE(got, 5, 3, 4);
	EXPECT_BEFORE(got, 5, 4, 5);
	EXPECT_TRUE(QUIET(&self->r));
	close(fd);
}

TEST_F_TIMEOUT(link, open_at_end_of_batch, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, 0 }, { 2, 0 } };
	struct cqe_want want2[] = { { 3, 1 }, { 4, 0 } };
	struct io_uring_cqe got[2], cqe;
	char c;

	/* The last SQE of a submission still carries IOSQE_IO_LINK. */
	nop(&self->r, 1, IOSQE_IO_LINK);
	nop(&self->r, 2, IOSQE_IO_LINK);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 2, 1, 2);
	EXPECT_TRUE(QUIET(&self->r));

	/*
	 * The chain ended with the batch: the next submission is not linked
	 * to it, even behind a blocked head.
	 */
	rw(&self->r, IORING_OP_READ, self->pfd[0], &c, 1, 0, 3, IOSQE_IO_LINK);
	nop(&self->r, 4, IOSQE_IO_LINK);
	ASSERT_EQ(2, ring_submit(&self->r));
	nop(&self->r, 5, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(5, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_CQES(&self->r, want2, got);
	EXPECT_BEFORE(got, 2, 3, 4);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, submit_one_by_one, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, 0 }, { 2, 0 } };
	struct io_uring_cqe got[2];

	/*
	 * A chain split across io_uring_enter() calls is two chains: each
	 * call's last SQE ends its chain.
	 */
	nop(&self->r, 1, IOSQE_IO_LINK);
	nop(&self->r, 2, 0);
	ASSERT_EQ(2, ring_flush_sq(&self->r));
	EXPECT_EQ(1, io_uring_enter(self->r.fd, 1, 0, 0));
	EXPECT_EQ(1, io_uring_enter(self->r.fd, 1, 0, 0));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, async, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, 0 }, { 2, 0 }, { 3, 0 }, { 4, 3 }, { 5, 3 },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	char buf[3];
	int i;

	/* Every request punted to a worker; the order holds. */
	for (i = 0; i < 3; i++)
		nop(&self->r, i + 1, IOSQE_ASYNC | IOSQE_IO_LINK);
	rw(&self->r, IORING_OP_WRITE, self->pfd[1], "abc", 3, 0, 4,
	   IOSQE_ASYNC | IOSQE_IO_LINK);
	rw(&self->r, IORING_OP_READ, self->pfd[0], buf, 3, 0, 5, IOSQE_ASYNC);
	ASSERT_EQ(5, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	for (i = 1; i < 5; i++)
		EXPECT_BEFORE(got, 5, i, i + 1);
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	EXPECT_TRUE(QUIET(&self->r));

	/* A failure in a worker still cancels the rest. */
	rw(&self->r, IORING_OP_READ, self->closed_fd, buf, 1, 0, 6,
	   IOSQE_ASYNC | IOSQE_IO_LINK);
	nop(&self->r, 7, IOSQE_ASYNC);
	ASSERT_EQ(2, ring_submit(&self->r));
	want[0] = (struct cqe_want){ 6, -EBADF };
	want[1] = (struct cqe_want){ 7, -ECANCELED };
	EXPECT_TRUE(__ring_expect_cqes(_metadata, &self->r, want, 2, got));
	EXPECT_BEFORE(got, 2, 6, 7);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, async_blocking_head, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, 1 }, { 2, 0 } };
	struct io_uring_cqe got[2];
	char c;

	/* A head blocked in a worker holds back the link behind it. */
	rw(&self->r, IORING_OP_READ, self->pfd[0], &c, 1, 0, 1,
	   IOSQE_ASYNC | IOSQE_IO_LINK);
	nop(&self->r, 2, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 2, 1, 2);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, fixed_file, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, 3 }, { 2, 3 } };
	struct cqe_want want2[] = {
		{ 3, 0 }, { 4, -EBADF }, { 5, -ECANCELED },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)], got2[3];
	int fds[2] = { self->pfd[0], self->pfd[1] };
	char buf[3];

	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 2));
	rw(&self->r, IORING_OP_WRITE, 1, "abc", 3, 0, 1,
	   IOSQE_FIXED_FILE | IOSQE_IO_LINK);
	rw(&self->r, IORING_OP_READ, 0, buf, 3, 0, 2, IOSQE_FIXED_FILE);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 2, 1, 2);
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	EXPECT_TRUE(QUIET(&self->r));

	/* A slot past the table's end fails at issue and breaks the chain. */
	nop(&self->r, 3, IOSQE_IO_LINK);
	rw(&self->r, IORING_OP_READ, 5, buf, 3, 0, 4,
	   IOSQE_FIXED_FILE | IOSQE_IO_LINK);
	rw(&self->r, IORING_OP_READ, 0, buf, 3, 0, 5, IOSQE_FIXED_FILE);
	ASSERT_EQ(3, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want2, got2);
	EXPECT_BEFORE(got2, 3, 3, 4);
	EXPECT_BEFORE(got2, 3, 4, 5);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, drain_head, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, 1 }, { 2, 0 }, { 3, 0 } };
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	char c;

	/*
	 * A drained chain head waits for everything submitted before it;
	 * its links follow it.
	 */
	rw(&self->r, IORING_OP_READ, self->pfd[0], &c, 1, 0, 1, 0);
	nop(&self->r, 2, IOSQE_IO_DRAIN | IOSQE_IO_LINK);
	nop(&self->r, 3, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 3, 1, 2);
	EXPECT_BEFORE(got, 3, 2, 3);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, drain_inside, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, 1 }, { 2, 0 }, { 3, 0 }, { 4, 1 } };
	struct cqe_want want2[] = { { 5, 0 } };
	struct io_uring_cqe got[ARRAY_SIZE(want)], got2[1];
	int p2[2];
	char c, d;

	ASSERT_EQ(0, pipe(p2));
	/*
	 * IOSQE_IO_DRAIN on a request inside a chain drains the chain as a
	 * unit: its head waits for what came before, and the request after
	 * the chain waits for the whole chain.
	 */
	rw(&self->r, IORING_OP_READ, self->pfd[0], &c, 1, 0, 1, 0);
	nop(&self->r, 2, IOSQE_IO_LINK);
	nop(&self->r, 3, IOSQE_IO_DRAIN | IOSQE_IO_LINK);
	rw(&self->r, IORING_OP_READ, p2[0], &d, 1, 0, 4, 0);
	nop(&self->r, 5, 0);
	ASSERT_EQ(5, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &got[0]));
	EXPECT_EQ(1, got[0].user_data);
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &got[1]));
	EXPECT_EQ(2, got[1].user_data);
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &got[2]));
	EXPECT_EQ(3, got[2].user_data);
	/* 4 blocks on the empty pipe; 5 waits for it. */
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(p2[1], "y", 1));
	EXPECT_TRUE(__ring_expect_cqes(_metadata, &self->r, &want[3], 1,
				       &got[3]));
	EXPECT_CQES(&self->r, want2, got2);
	EXPECT_TRUE(QUIET(&self->r));
	close(p2[0]);
	close(p2[1]);
}

TEST_F_TIMEOUT(link, personality, IOU_TIMEOUT)
{
	char path[] = "./io_uring_link_root_XXXXXX";
	int fd, status;
	pid_t pid;

	/* the linked request that needs the creds is an OPENAT */
	if (!ring_op_supported(&self->r, IORING_OP_OPENAT))
		SKIP(return, "IORING_OP_OPENAT not supported");

	if (geteuid())
		SKIP(return, "needs root");
	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, fchmod(fd, 0600));
	close(fd);

	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		struct io_uring_cqe c[3];
		struct io_uring_sqe *sqe;
		struct ring r;
		int id, i;

		if (ring_init(&r, 8, 0))
			_exit(2);
		/* Root's creds, registered before dropping them. */
		id = io_uring_register(r.fd, IORING_REGISTER_PERSONALITY,
				       NULL, 0);
		if (id <= 0)
			_exit(3);
		if (setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(4);

		/* Without it: the open fails and cancels the rest. */
		nop(&r, 1, IOSQE_IO_LINK);
		sqe = ring_get_sqe(&r);
		ring_prep_rw(sqe, IORING_OP_OPENAT, AT_FDCWD, path, 0, 0, 2);
		sqe->open_flags = O_RDONLY;
		sqe->flags = IOSQE_IO_LINK;
		nop(&r, 3, 0);
		if (ring_submit(&r) != 3)
			_exit(5);
		for (i = 0; i < 3; i++)
			if (ring_wait_cqe(&r, &c[i]) || c[i].user_data != i + 1)
				_exit(6);
		if (c[0].res || c[1].res != -EACCES || c[2].res != -ECANCELED)
			_exit(7);

		/* With it, each linked request acts as root. */
		nop(&r, 4, IOSQE_IO_LINK)->personality = id;
		sqe = ring_get_sqe(&r);
		ring_prep_rw(sqe, IORING_OP_OPENAT, AT_FDCWD, path, 0, 0, 5);
		sqe->open_flags = O_RDONLY;
		sqe->flags = IOSQE_IO_LINK;
		sqe->personality = id;
		nop(&r, 6, 0)->personality = id;
		if (ring_submit(&r) != 3)
			_exit(8);
		for (i = 0; i < 3; i++)
			if (ring_wait_cqe(&r, &c[i]) || c[i].user_data != i + 4)
				_exit(9);
		if (c[0].res || c[1].res < 0 || c[2].res)
			_exit(10);

		/* An unknown personality fails at prep, like any prep error. */
		nop(&r, 7, IOSQE_IO_LINK);
		nop(&r, 8, IOSQE_IO_LINK)->personality = id + 100;
		nop(&r, 9, 0);
		if (ring_submit(&r) != 3)
			_exit(11);
		for (i = 0; i < 3; i++)
			if (ring_wait_cqe(&r, &c[i]) || c[i].user_data != i + 7)
				_exit(12);
		if (c[0].res != -ECANCELED || c[1].res != -EINVAL ||
		    c[2].res != -ECANCELED)
			_exit(13);
		_exit(0);
	}
	status = wait_child(pid, 5000);
	unlink(path);
	ASSERT_NE(-1, status);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F_TIMEOUT(link, skip_success_alone, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 2, 0 } };
	struct cqe_want want2[] = { { 3, -EINVAL }, { 4, -EBADF } };
	struct cqe_want want3[] = { { 5, 1 } };
	struct io_uring_cqe got[2];
	char c, buf[8];

	/* A successful request with IOSQE_CQE_SKIP_SUCCESS posts nothing. */
	nop(&self->r, 1, IOSQE_CQE_SKIP_SUCCESS);
	nop(&self->r, 2, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));

	/* A failing one posts its error, at prep or at issue. */
	bad_nop(&self->r, 3, IOSQE_CQE_SKIP_SUCCESS);
	ASSERT_EQ(1, ring_submit(&self->r));
	rw(&self->r, IORING_OP_READ, self->closed_fd, &c, 1, 0, 4,
	   IOSQE_CQE_SKIP_SUCCESS);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want2, got);
	EXPECT_TRUE(QUIET(&self->r));

	/* A short read counts as a failure here too: it is posted. */
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	rw(&self->r, IORING_OP_READ, self->pfd[0], buf, sizeof(buf), 0, 5,
	   IOSQE_CQE_SKIP_SUCCESS);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(__ring_expect_cqes(_metadata, &self->r, want3, 1, got));
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, skip_success_chain, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 3, 0 } };
	struct io_uring_cqe got[3];

	/* A successful chain with all but the last skipped: one CQE. */
	nop(&self->r, 1, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
	nop(&self->r, 2, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
	nop(&self->r, 3, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));

	/* All of them skipped: none; a sentinel shows the chain ran. */
	nop(&self->r, 4, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
	nop(&self->r, 5, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
	nop(&self->r, 6, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
	nop(&self->r, 7, 0);
	ASSERT_EQ(4, ring_submit(&self->r));
	want[0].user_data = 7;
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(link, skip_success_failed_chain, IOU_TIMEOUT)
{
	struct io_uring_cqe got[4];
	char c;

	/*
	 * The failing request has the skip flag: it posts its error, and the
	 * links it cancels post nothing, skip flag or not.
	 */
	{
		struct cqe_want want[] = { { 1, 0 }, { 2, -EBADF } };

		nop(&self->r, 1, IOSQE_IO_LINK);
		rw(&self->r, IORING_OP_READ, self->closed_fd, &c, 1, 0, 2,
		   IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
		nop(&self->r, 3, IOSQE_IO_LINK);
		nop(&self->r, 4, 0);
		ASSERT_EQ(4, ring_submit(&self->r));
		EXPECT_CQES(&self->r, want, got);
		EXPECT_BEFORE(got, 2, 1, 2);
		EXPECT_TRUE(QUIET(&self->r));
	}

	/*
	 * The failing request has no skip flag: the cancelled links post
	 * -ECANCELED even where they asked to skip success.
	 */
	{
		struct cqe_want want[] = {
			{ 5, -EBADF }, { 6, -ECANCELED }, { 7, -ECANCELED },
		};

		rw(&self->r, IORING_OP_READ, self->closed_fd, &c, 1, 0, 5,
		   IOSQE_IO_LINK);
		nop(&self->r, 6, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
		nop(&self->r, 7, IOSQE_CQE_SKIP_SUCCESS);
		ASSERT_EQ(3, ring_submit(&self->r));
		EXPECT_CQES(&self->r, want, got);
		EXPECT_BEFORE(got, 3, 5, 6);
		EXPECT_BEFORE(got, 3, 6, 7);
		EXPECT_TRUE(QUIET(&self->r));
	}

	/* Hardlinked: the error is posted, the rest run and skip. */
	{
		struct cqe_want want[] = { { 8, -EBADF }, { 10, 0 } };

		rw(&self->r, IORING_OP_READ, self->closed_fd, &c, 1, 0, 8,
		   IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_HARDLINK);
		nop(&self->r, 9, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_HARDLINK);
		nop(&self->r, 10, 0);
		ASSERT_EQ(3, ring_submit(&self->r));
		EXPECT_CQES(&self->r, want, got);
		EXPECT_BEFORE(got, 2, 8, 10);
		EXPECT_TRUE(QUIET(&self->r));
	}
}

TEST_F_TIMEOUT(link, skip_success_prep_fail, IOU_TIMEOUT)
{
	struct io_uring_cqe got[3];

	/* The head skips and fails at prep: only its error. */
	{
		struct cqe_want want[] = { { 1, -EINVAL } };

		bad_nop(&self->r, 1, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
		nop(&self->r, 2, IOSQE_IO_LINK);
		nop(&self->r, 3, 0);
		ASSERT_EQ(3, ring_submit(&self->r));
		EXPECT_CQES(&self->r, want, got);
		EXPECT_TRUE(QUIET(&self->r));
	}

	/*
	 * A later member fails at prep and the head skips: the head posts
	 * -ECANCELED and nothing else of the chain is posted, not even the
	 * failed member's error.
	 */
	{
		struct cqe_want want[] = { { 4, -ECANCELED } };

		nop(&self->r, 4, IOSQE_CQE_SKIP_SUCCESS | IOSQE_IO_LINK);
		bad_nop(&self->r, 5, IOSQE_IO_LINK);
		nop(&self->r, 6, 0);
		ASSERT_EQ(3, ring_submit(&self->r));
		EXPECT_CQES(&self->r, want, got);
		EXPECT_TRUE(QUIET(&self->r));
	}
}

/*
 * An IOPOLL ring's io_uring_enter() does not sleep for CQEs that are not
 * polled for (its EXT_ARG timeout is not used): reap @nr CQEs by polling,
 * for at most @ms; then check that no more come within IOU_QUIET_MS.
 */
static int iopoll_reap(struct ring *r, struct io_uring_cqe *got, int nr,
		       long ms)
{
	struct timespec start;
	int i = 0, ret;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (ms_since(&start) < ms) {
		while (i < nr && !ring_peek_cqe(r, &got[i]))
			i++;
		if (i == nr)
			break;
		ret = io_uring_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS);
		if (ret < 0)
			return ret;
		usleep(1000);
	}
	return i;
}

TEST_F_TIMEOUT(link, iopoll_nops, IOU_TIMEOUT)
{
	struct io_uring_cqe got[5], extra;
	struct ring r;
	int i;

	ASSERT_EQ(0, ring_init(&r, 8, IORING_SETUP_IOPOLL));
	nop(&r, 1, IOSQE_IO_LINK);
	nop(&r, 2, IOSQE_IO_LINK);
	nop(&r, 3, 0);
	ASSERT_EQ(3, ring_submit(&r));
	ASSERT_EQ(3, iopoll_reap(&r, got, 3, 2000));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(i + 1, got[i].user_data);
		EXPECT_EQ(0, got[i].res);
	}

	/* An opcode an IOPOLL ring refuses fails the chain at prep. */
	nop(&r, 4, IOSQE_IO_LINK)->opcode = IORING_OP_POLL_ADD;
	nop(&r, 5, 0);
	ASSERT_EQ(2, ring_submit(&r));
	ASSERT_EQ(2, iopoll_reap(&r, got, 2, 2000));
	EXPECT_EQ(4, got[0].user_data);
	EXPECT_EQ(-EINVAL, got[0].res);
	EXPECT_EQ(5, got[1].user_data);
	EXPECT_EQ(-ECANCELED, got[1].res);
	EXPECT_EQ(0, iopoll_reap(&r, &extra, 1, IOU_QUIET_MS));
	ring_exit(&r);
}

TEST_F_TIMEOUT(link, long_chain, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct ring r;
	int i, n = 128;

	/* One chain as long as the SQ ring, completing in order. */
	ASSERT_EQ(0, ring_init(&r, n, 0));
	for (i = 0; i < n; i++)
		nop(&r, i, i == n - 1 ? 0 : IOSQE_IO_LINK);
	ASSERT_EQ(n, ring_submit(&r));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
		EXPECT_EQ(i, cqe.user_data);
		EXPECT_EQ(0, cqe.res);
	}
	EXPECT_TRUE(QUIET(&r));
	ring_exit(&r);
}

TEST_F_TIMEOUT(link, exit_with_blocked_chain, IOU_TIMEOUT)
{
	int status;
	pid_t pid;

	/* A child leaves a chain blocked on an empty pipe and exits. */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		struct ring r;
		char c;

		if (ring_init(&r, 8, 0))
			_exit(2);
		rw(&r, IORING_OP_READ, self->pfd[0], &c, 1, 0, 1,
		   IOSQE_IO_LINK);
		nop(&r, 2, IOSQE_IO_LINK);
		rw(&r, IORING_OP_READ, self->pfd[0], &c, 1, 0, 3,
		   IOSQE_ASYNC | IOSQE_IO_LINK);
		nop(&r, 4, 0);
		if (ring_submit(&r) != 4)
			_exit(3);
		_exit(0);
	}
	status = wait_child(pid, 5000);
	ASSERT_NE(-1, status) {
		TH_LOG("the child did not exit within 5s");
	}
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* Nothing of the child's still reads from the pipe. */
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_TRUE(readable(self->pfd[0]));
}

TEST_HARNESS_MAIN
