// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_POLL_ADD and IORING_OP_POLL_REMOVE: single-shot polls that are
 * ready at submission or become ready later, on pipes, eventfds, sockets,
 * ring fds, regular files and registered files; the reported mask (what
 * was asked, plus errors and hangups); cancellation by user_data; invalid
 * fields, multishot, bad fds and IOPOLL rings; and teardown with polls
 * still armed, by closing the ring or by the submitting process exiting.
 *
 * The regular file is created in the current directory.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define ENTRIES		16
#define NR_MANY		64

#define NO_POLL		"IORING_OP_POLL_ADD/POLL_REMOVE not supported"

FIXTURE(poll) {
	struct ring r;
	int pfd[2];
	bool supported;
};

FIXTURE_SETUP(poll)
{
	self->pfd[0] = -1;
	self->pfd[1] = -1;
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, 0));
	ASSERT_EQ(0, pipe(self->pfd));
	self->supported = ring_op_supported(&self->r, IORING_OP_POLL_ADD) &&
			  ring_op_supported(&self->r, IORING_OP_POLL_REMOVE);
}

FIXTURE_TEARDOWN(poll)
{
	if (self->pfd[0] >= 0)
		close(self->pfd[0]);
	if (self->pfd[1] >= 0)
		close(self->pfd[1]);
	ring_exit(&self->r);
}

static void prep_poll_remove(struct io_uring_sqe *sqe, __u64 target,
			     __u64 user_data)
{
	ring_prep_rw(sqe, IORING_OP_POLL_REMOVE, -1, NULL, 0, 0, user_data);
	sqe->addr = target;
}

/* Queue and submit one POLL_ADD; returns what io_uring_enter() says. */
static int submit_poll(struct ring *r, int fd, unsigned int events,
		       __u64 user_data, __u8 sqe_flags)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	if (!sqe)
		return -EBUSY;
	ring_prep_poll_add(sqe, fd, events, user_data);
	sqe->flags = sqe_flags;
	return ring_submit(r);
}

static int submit_remove(struct ring *r, __u64 target, __u64 user_data)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	if (!sqe)
		return -EBUSY;
	prep_poll_remove(sqe, target, user_data);
	return ring_submit(r);
}

/*
 * Wait for the next CQE, which must be @user_data's with no flags set;
 * returns its res, or a distinct value the caller's check will show.
 */
static int wait_res(struct __test_metadata *_metadata, struct ring *r,
		    __u64 user_data)
{
	struct io_uring_cqe cqe;
	int ret = ring_wait_cqe(r, &cqe);

	if (ret) {
		TH_LOG("no CQE for user_data %llu: %d",
		       (unsigned long long)user_data, ret);
		return -10000;
	}
	EXPECT_EQ(user_data, cqe.user_data);
	EXPECT_EQ(0, cqe.flags);
	return cqe.res;
}

/* Submit one POLL_ADD and wait for its CQE; returns the CQE res. */
static int run_poll(struct __test_metadata *_metadata, struct ring *r,
		    int fd, unsigned int events, __u8 sqe_flags)
{
	int ret = submit_poll(r, fd, events, 0x5151, sqe_flags);

	if (ret != 1) {
		TH_LOG("submit: %d", ret);
		return -10001;
	}
	return wait_res(_metadata, r, 0x5151);
}

/* Reap @nr CQEs, in whatever order they come. */
static int reap(struct ring *r, struct io_uring_cqe *cqes, int nr)
{
	int i, ret;

	for (i = 0; i < nr; i++) {
		ret = ring_wait_cqe(r, &cqes[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/* The reaped CQE of @user_data, or NULL. */
static struct io_uring_cqe *find_cqe(struct io_uring_cqe *cqes, int nr,
				     __u64 user_data)
{
	int i;

	for (i = 0; i < nr; i++)
		if (cqes[i].user_data == user_data)
			return &cqes[i];
	return NULL;
}

/*
 * Remove the armed POLL_ADD @target: two CQEs, in either order, the
 * remove's with 0 and the poll's with -ECANCELED.
 */
static void remove_armed(struct __test_metadata *_metadata, struct ring *r,
			 __u64 target, __u64 user_data)
{
	bool seen_poll = false, seen_remove = false;
	struct io_uring_cqe cqe;
	int i;

	ASSERT_EQ(1, submit_remove(r, target, user_data));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
		EXPECT_EQ(0, cqe.flags);
		if (cqe.user_data == target && !seen_poll) {
			EXPECT_EQ(-ECANCELED, cqe.res);
			seen_poll = true;
		} else if (cqe.user_data == user_data && !seen_remove) {
			EXPECT_EQ(0, cqe.res);
			seen_remove = true;
		} else {
			TH_LOG("unexpected CQE: user_data %llu res %d",
			       (unsigned long long)cqe.user_data, cqe.res);
			EXPECT_TRUE(false);
		}
	}
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

/* Read whatever a (non-blocking) pipe or socket holds. */
static void drain(int fd)
{
	char buf[4096];
	int flags = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	fcntl(fd, F_SETFL, flags);
}

TEST_F_TIMEOUT(poll, ready_at_submit, IOU_TIMEOUT)
{
	char c;

	if (!self->supported)
		SKIP(return, NO_POLL);
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_EQ(POLLIN, run_poll(_metadata, &self->r, self->pfd[0],
				   POLLIN, 0));
	/* Only what was asked for (a read end is never writable). */
	EXPECT_EQ(POLLIN, run_poll(_metadata, &self->r, self->pfd[0],
				   POLLIN | POLLOUT | POLLPRI, 0));
	EXPECT_EQ(POLLIN | POLLRDNORM,
		  run_poll(_metadata, &self->r, self->pfd[0],
			   POLLIN | POLLRDNORM, 0));
	/* Polling consumed nothing. */
	EXPECT_EQ(1, read(self->pfd[0], &c, 1));
	EXPECT_EQ('x', c);
}

TEST_F_TIMEOUT(poll, ready_later, IOU_TIMEOUT)
{
	struct delayed_write dw = { .fd = self->pfd[1], .delay_ms = 100 };
	pthread_t thr;
	void *tret;

	if (!self->supported)
		SKIP(return, NO_POLL);
	ASSERT_EQ(1, submit_poll(&self->r, self->pfd[0], POLLIN, 1, 0));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_EQ(POLLIN, wait_res(_metadata, &self->r, 1));
	drain(self->pfd[0]);

	/* Woken by another thread while we sleep in io_uring_enter(). */
	ASSERT_EQ(1, submit_poll(&self->r, self->pfd[0], POLLIN, 2, 0));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(0, pthread_create(&thr, NULL, delayed_write_fn, &dw));
	EXPECT_EQ(POLLIN, wait_res(_metadata, &self->r, 2));
	ASSERT_EQ(0, pthread_join(thr, &tret));
	EXPECT_EQ(NULL, tret);
}

TEST_F_TIMEOUT(poll, async_flag, IOU_TIMEOUT)
{
	if (!self->supported)
		SKIP(return, NO_POLL);
	/* Issued from an io-wq worker; the wakeup still completes it. */
	ASSERT_EQ(1, submit_poll(&self->r, self->pfd[0], POLLIN, 1,
				 IOSQE_ASYNC));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_EQ(POLLIN, wait_res(_metadata, &self->r, 1));
	/* And one that is ready when the worker gets to it. */
	EXPECT_EQ(POLLIN, run_poll(_metadata, &self->r, self->pfd[0], POLLIN,
				   IOSQE_ASYNC));
}

TEST_F_TIMEOUT(poll, pollout_pipe, IOU_TIMEOUT)
{
	char buf[4096];
	ssize_t n;

	if (!self->supported)
		SKIP(return, NO_POLL);
	memset(buf, 'o', sizeof(buf));
	/* An empty pipe is writable, and its write end is never readable. */
	EXPECT_EQ(POLLOUT, run_poll(_metadata, &self->r, self->pfd[1],
				    POLLOUT, 0));
	EXPECT_EQ(POLLOUT, run_poll(_metadata, &self->r, self->pfd[1],
				    POLLIN | POLLOUT, 0));

	/* Fill it, wait for room, make room. */
	ASSERT_EQ(0, fcntl(self->pfd[1], F_SETFL, O_NONBLOCK));
	do {
		n = write(self->pfd[1], buf, sizeof(buf));
	} while (n > 0);
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(1, submit_poll(&self->r, self->pfd[1], POLLOUT, 1, 0));
	EXPECT_TRUE(QUIET(&self->r));
	drain(self->pfd[0]);
	EXPECT_EQ(POLLOUT, wait_res(_metadata, &self->r, 1));
}

TEST_F_TIMEOUT(poll, hangup, IOU_TIMEOUT)
{
	int pfd[2];

	if (!self->supported)
		SKIP(return, NO_POLL);
	/* The last writer going away ends a POLLIN poll with POLLHUP. */
	ASSERT_EQ(1, submit_poll(&self->r, self->pfd[0], POLLIN, 1, 0));
	EXPECT_TRUE(QUIET(&self->r));
	close(self->pfd[1]);
	self->pfd[1] = -1;
	EXPECT_EQ(POLLHUP, wait_res(_metadata, &self->r, 1));
	/* From then on at once, even when nothing at all was asked for. */
	EXPECT_EQ(POLLHUP, run_poll(_metadata, &self->r, self->pfd[0],
				    POLLIN, 0));
	EXPECT_EQ(POLLHUP, run_poll(_metadata, &self->r, self->pfd[0], 0, 0));

	/* The last reader going away: POLLERR on the write end. */
	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ(1, submit_poll(&self->r, pfd[1], POLLIN, 2, 0));
	EXPECT_TRUE(QUIET(&self->r));
	close(pfd[0]);
	EXPECT_EQ(POLLERR, wait_res(_metadata, &self->r, 2));
	EXPECT_EQ(POLLOUT | POLLERR, run_poll(_metadata, &self->r, pfd[1],
					      POLLOUT, 0));
	close(pfd[1]);
}

TEST_F_TIMEOUT(poll, eventfd, IOU_TIMEOUT)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	__u64 val = 1;

	if (!self->supported) {
		close(efd);
		SKIP(return, NO_POLL);
	}
	ASSERT_GE(efd, 0);
	EXPECT_EQ(POLLOUT, run_poll(_metadata, &self->r, efd, POLLOUT, 0));
	ASSERT_EQ(1, submit_poll(&self->r, efd, POLLIN, 1, 0));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(sizeof(val), write(efd, &val, sizeof(val)));
	EXPECT_EQ(POLLIN, wait_res(_metadata, &self->r, 1));
	EXPECT_EQ(POLLIN | POLLOUT, run_poll(_metadata, &self->r, efd,
					     POLLIN | POLLOUT, 0));
	close(efd);
}

TEST_F_TIMEOUT(poll, socket, IOU_TIMEOUT)
{
	char buf[8];
	int sv[2];

	if (!self->supported)
		SKIP(return, NO_POLL);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	EXPECT_EQ(POLLOUT, run_poll(_metadata, &self->r, sv[0], POLLOUT, 0));
	ASSERT_EQ(1, submit_poll(&self->r, sv[1], POLLIN, 1, 0));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(3, send(sv[0], "abc", 3, 0));
	EXPECT_EQ(POLLIN, wait_res(_metadata, &self->r, 1));
	ASSERT_EQ(3, recv(sv[1], buf, sizeof(buf), 0));

	/* The peer closing: POLLRDHUP comes along without being asked. */
	ASSERT_EQ(1, submit_poll(&self->r, sv[1], POLLIN, 2, 0));
	EXPECT_TRUE(QUIET(&self->r));
	close(sv[0]);
	EXPECT_EQ(POLLIN | POLLHUP | POLLRDHUP,
		  wait_res(_metadata, &self->r, 2));
	close(sv[1]);
}

TEST_F_TIMEOUT(poll, ring_fd, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct ring r2;

	if (!self->supported)
		SKIP(return, NO_POLL);
	ASSERT_EQ(0, ring_init(&r2, 4, 0));
	/* Room in its SQ ring: writable. */
	EXPECT_EQ(POLLOUT, run_poll(_metadata, &self->r, r2.fd, POLLOUT, 0));

	/* Readable once it has a CQE to reap. */
	ASSERT_EQ(1, submit_poll(&self->r, r2.fd, POLLIN, 1, 0));
	EXPECT_TRUE(QUIET(&self->r));
	ring_prep_nop(ring_get_sqe(&r2), 2);
	ASSERT_EQ(1, ring_submit(&r2));
	EXPECT_EQ(POLLIN, wait_res(_metadata, &self->r, 1));
	/* Still readable while the CQE is there. */
	EXPECT_EQ(POLLIN, run_poll(_metadata, &self->r, r2.fd, POLLIN, 0));

	/* Reaped: no longer readable. */
	ASSERT_EQ(0, ring_peek_cqe(&r2, &cqe));
	EXPECT_EQ(2, cqe.user_data);
	ASSERT_EQ(1, submit_poll(&self->r, r2.fd, POLLIN, 3, 0));
	EXPECT_TRUE(QUIET(&self->r));
	remove_armed(_metadata, &self->r, 3, 4);
	ring_exit(&r2);
}

TEST_F_TIMEOUT(poll, regular_file, IOU_TIMEOUT)
{
	char path[] = "./io_uring_poll_XXXXXX";
	int fd;

	if (!self->supported)
		SKIP(return, NO_POLL);
	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	unlink(path);
	/* No ->poll: always readable and writable. */
	EXPECT_EQ(POLLIN | POLLOUT, run_poll(_metadata, &self->r, fd,
					     POLLIN | POLLOUT, 0));
	EXPECT_EQ(POLLIN, run_poll(_metadata, &self->r, fd, POLLIN, 0));
	EXPECT_EQ(POLLOUT, run_poll(_metadata, &self->r, fd, POLLOUT, 0));
	close(fd);
}

TEST_F_TIMEOUT(poll, fixed_file, IOU_TIMEOUT)
{
	int fds[2] = { self->pfd[0], -1 };

	if (!self->supported)
		SKIP(return, NO_POLL);
	/* No table registered yet. */
	EXPECT_EQ(-EBADF, run_poll(_metadata, &self->r, 0, POLLIN,
				   IOSQE_FIXED_FILE));
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 2));
	/* The registered file outlives the process's own fd. */
	close(self->pfd[0]);
	self->pfd[0] = -1;
	ASSERT_EQ(1, submit_poll(&self->r, 0, POLLIN, 1, IOSQE_FIXED_FILE));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_EQ(POLLIN, wait_res(_metadata, &self->r, 1));
	EXPECT_EQ(POLLIN, run_poll(_metadata, &self->r, 0, POLLIN,
				   IOSQE_FIXED_FILE));
	/* An empty slot, and one past the end of the table. */
	EXPECT_EQ(-EBADF, run_poll(_metadata, &self->r, 1, POLLIN,
				   IOSQE_FIXED_FILE));
	EXPECT_EQ(-EBADF, run_poll(_metadata, &self->r, 2, POLLIN,
				   IOSQE_FIXED_FILE));
}

TEST_F_TIMEOUT(poll, fd_closed_while_armed, IOU_TIMEOUT)
{
	if (!self->supported)
		SKIP(return, NO_POLL);
	/* The request holds its own reference: closing the fd is no cancel. */
	ASSERT_EQ(1, submit_poll(&self->r, self->pfd[0], POLLIN, 1, 0));
	close(self->pfd[0]);
	self->pfd[0] = -1;
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_EQ(POLLIN, wait_res(_metadata, &self->r, 1));
}

TEST_F_TIMEOUT(poll, shared_file, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	int i, seen = 0;

	if (!self->supported)
		SKIP(return, NO_POLL);
	/* Several polls on one file: one event completes them all. */
	for (i = 0; i < 4; i++)
		ring_prep_poll_add(ring_get_sqe(&self->r), self->pfd[0], POLLIN, i);
	ASSERT_EQ(4, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_LT(cqe.user_data, 4);
		EXPECT_EQ(POLLIN, cqe.res);
		EXPECT_EQ(0, cqe.flags);
		seen |= 1 << cqe.user_data;
	}
	EXPECT_EQ(0xf, seen);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(poll, remove, IOU_TIMEOUT)
{
	struct io_uring_cqe cqes[2], *cqe;

	if (!self->supported)
		SKIP(return, NO_POLL);
	ASSERT_EQ(1, submit_poll(&self->r, self->pfd[0], POLLIN, 1, 0));
	EXPECT_TRUE(QUIET(&self->r));
	remove_armed(_metadata, &self->r, 1, 2);
	/* It is really gone: an event now completes nothing. */
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_TRUE(QUIET(&self->r));
	drain(self->pfd[0]);

	/* Armed and removed within one submission. */
	ring_prep_poll_add(ring_get_sqe(&self->r), self->pfd[0], POLLIN, 3);
	prep_poll_remove(ring_get_sqe(&self->r), 3, 4);
	ASSERT_EQ(2, ring_submit(&self->r));
	ASSERT_EQ(0, reap(&self->r, cqes, 2));
	cqe = find_cqe(cqes, 2, 3);
	ASSERT_NE(NULL, cqe);
	EXPECT_EQ(-ECANCELED, cqe->res);
	EXPECT_EQ(0, cqe->flags);
	cqe = find_cqe(cqes, 2, 4);
	ASSERT_NE(NULL, cqe);
	EXPECT_EQ(0, cqe->res);
	EXPECT_EQ(0, cqe->flags);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(poll, remove_not_found, IOU_TIMEOUT)
{
	struct io_uring_cqe cqes[2], *cqe;
	char c;

	if (!self->supported)
		SKIP(return, NO_POLL);
	ASSERT_EQ(1, submit_remove(&self->r, 12345, 1));
	EXPECT_EQ(-ENOENT, wait_res(_metadata, &self->r, 1));
	ASSERT_EQ(1, submit_remove(&self->r, 0, 2));
	EXPECT_EQ(-ENOENT, wait_res(_metadata, &self->r, 2));

	/* An armed poll with another user_data is left alone. */
	ASSERT_EQ(1, submit_poll(&self->r, self->pfd[0], POLLIN, 3, 0));
	ASSERT_EQ(1, submit_remove(&self->r, 33, 4));
	EXPECT_EQ(-ENOENT, wait_res(_metadata, &self->r, 4));

	/* A read waiting for data is not a poll request. */
	ring_prep_rw(ring_get_sqe(&self->r), IORING_OP_READ, self->pfd[0],
		     &c, 1, 0, 5);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, submit_remove(&self->r, 5, 6));
	EXPECT_EQ(-ENOENT, wait_res(_metadata, &self->r, 6));

	/*
	 * Both still armed.  Two bytes: the read takes one, and whichever
	 * runs first, the poll still finds the pipe readable.
	 */
	ASSERT_EQ(2, write(self->pfd[1], "xy", 2));
	ASSERT_EQ(0, reap(&self->r, cqes, 2));
	cqe = find_cqe(cqes, 2, 3);
	ASSERT_NE(NULL, cqe);
	EXPECT_EQ(POLLIN, cqe->res);
	cqe = find_cqe(cqes, 2, 5);
	ASSERT_NE(NULL, cqe);
	EXPECT_EQ(1, cqe->res);
}

TEST_F_TIMEOUT(poll, remove_after_fire, IOU_TIMEOUT)
{
	if (!self->supported)
		SKIP(return, NO_POLL);
	/* Completed at submission. */
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_EQ(POLLIN, run_poll(_metadata, &self->r, self->pfd[0],
				   POLLIN, 0));
	ASSERT_EQ(1, submit_remove(&self->r, 0x5151, 1));
	EXPECT_EQ(-ENOENT, wait_res(_metadata, &self->r, 1));
	drain(self->pfd[0]);

	/* Completed by a wakeup. */
	ASSERT_EQ(1, submit_poll(&self->r, self->pfd[0], POLLIN, 2, 0));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_EQ(POLLIN, wait_res(_metadata, &self->r, 2));
	ASSERT_EQ(1, submit_remove(&self->r, 2, 3));
	EXPECT_EQ(-ENOENT, wait_res(_metadata, &self->r, 3));
	drain(self->pfd[0]);

	/* Already removed. */
	ASSERT_EQ(1, submit_poll(&self->r, self->pfd[0], POLLIN, 4, 0));
	remove_armed(_metadata, &self->r, 4, 5);
	ASSERT_EQ(1, submit_remove(&self->r, 4, 6));
	EXPECT_EQ(-ENOENT, wait_res(_metadata, &self->r, 6));
}

TEST_F_TIMEOUT(poll, bad_fields, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	int i;

	if (!self->supported)
		SKIP(return, NO_POLL);
	/*
	 * POLL_ADD: addr, off, buf_index and unknown len flags.  The pipe is
	 * readable, so a poll that is wrongly accepted completes at once.
	 */
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	for (i = 0; i < 4; i++) {
		sqe = ring_get_sqe(&self->r);
		ring_prep_poll_add(sqe, self->pfd[0], POLLIN, 10 + i);
		if (i == 0)
			sqe->addr = 1;
		else if (i == 1)
			sqe->off = 1;
		else if (i == 2)
			sqe->buf_index = 1;
		else
			sqe->len = 1U << 31;
		ASSERT_EQ(1, ring_submit(&self->r));
		EXPECT_EQ(-EINVAL, wait_res(_metadata, &self->r, 10 + i)) {
			TH_LOG("POLL_ADD case %d", i);
		}
	}
	drain(self->pfd[0]);

	/*
	 * POLL_REMOVE, aimed at an armed poll so that a wrongly accepted
	 * one shows: len (unknown flags, or ADD_MULTI without an update),
	 * off, poll32_events, buf_index, splice_fd_in.
	 */
	ASSERT_EQ(1, submit_poll(&self->r, self->pfd[0], POLLIN, 1, 0));
	for (i = 0; i < 6; i++) {
		sqe = ring_get_sqe(&self->r);
		prep_poll_remove(sqe, 1, 20 + i);
		if (i == 0)
			sqe->len = 1U << 31;
		else if (i == 1)
			sqe->len = IORING_POLL_ADD_MULTI;
		else if (i == 2)
			sqe->off = 1;
		else if (i == 3)
			sqe->poll32_events = ring_poll_mask(POLLIN);
		else if (i == 4)
			sqe->buf_index = 1;
		else
			sqe->splice_fd_in = 1;
		ASSERT_EQ(1, ring_submit(&self->r));
		EXPECT_EQ(-EINVAL, wait_res(_metadata, &self->r, 20 + i)) {
			TH_LOG("POLL_REMOVE case %d", i);
		}
	}
	/* The target was not touched. */
	EXPECT_TRUE(QUIET(&self->r));
	remove_armed(_metadata, &self->r, 1, 2);
}

TEST_F_TIMEOUT(poll, multishot_refused, IOU_TIMEOUT)
{
	static const unsigned int flags[] = {
		IORING_POLL_ADD_MULTI,
		IORING_POLL_ADD_LEVEL,
		IORING_POLL_ADD_MULTI | IORING_POLL_ADD_LEVEL,
	};
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int i, ret;

	if (!self->supported)
		SKIP(return, NO_POLL);
	/*
	 * Our kernel has no multishot or level-triggered polls yet and
	 * refuses them with EINVAL.  Stock kernels arm a multishot poll (and
	 * refuse LEVEL): an accepted one must then be an armed poll that
	 * POLL_REMOVE cancels.  The pipe stays empty so that no kernel posts
	 * a stream of CQEs.
	 */
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		sqe = ring_get_sqe(&self->r);
		ring_prep_poll_add(sqe, self->pfd[0], POLLIN, 1);
		sqe->len = flags[i];
		ASSERT_EQ(1, ring_submit(&self->r));
		ret = ring_wait_cqe_timeout(&self->r, &cqe, IOU_QUIET_MS);
		if (!ret) {
			EXPECT_EQ(1, cqe.user_data);
			EXPECT_EQ(-EINVAL, cqe.res) {
				TH_LOG("flags 0x%x", flags[i]);
			}
			EXPECT_EQ(0, cqe.flags);
			continue;
		}
		ASSERT_EQ(-ETIME, ret);
		TH_LOG("flags 0x%x accepted: removing the armed poll",
		       flags[i]);
		remove_armed(_metadata, &self->r, 1, 2);
	}
}

TEST_F_TIMEOUT(poll, bad_fd, IOU_TIMEOUT)
{
	struct io_uring_cqe cqes[2], *cqe;
	int closed;

	if (!self->supported)
		SKIP(return, NO_POLL);
	closed = dup(self->pfd[0]);
	ASSERT_GE(closed, 0);
	close(closed);
	EXPECT_EQ(-EBADF, run_poll(_metadata, &self->r, -1, POLLIN, 0));
	EXPECT_EQ(-EBADF, run_poll(_metadata, &self->r, closed, POLLIN, 0));
	EXPECT_EQ(-EBADF, run_poll(_metadata, &self->r, 1000000, POLLIN, 0));
	/* A bad fd fails the request alone, not the rest of the batch. */
	ring_prep_poll_add(ring_get_sqe(&self->r), -1, POLLIN, 1);
	ring_prep_poll_add(ring_get_sqe(&self->r), self->pfd[1], POLLOUT, 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	ASSERT_EQ(0, reap(&self->r, cqes, 2));
	cqe = find_cqe(cqes, 2, 1);
	ASSERT_NE(NULL, cqe);
	EXPECT_EQ(-EBADF, cqe->res);
	cqe = find_cqe(cqes, 2, 2);
	ASSERT_NE(NULL, cqe);
	EXPECT_EQ(POLLOUT, cqe->res);
}

TEST_F_TIMEOUT(poll, iopoll_ring_refused, IOU_TIMEOUT)
{
	struct ring r;

	if (!self->supported)
		SKIP(return, NO_POLL);
	ASSERT_EQ(0, ring_init(&r, 4, IORING_SETUP_IOPOLL));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_EQ(-EINVAL, run_poll(_metadata, &r, self->pfd[0], POLLIN, 0));
	ASSERT_EQ(1, submit_remove(&r, 0x5151, 1));
	EXPECT_EQ(-EINVAL, wait_res(_metadata, &r, 1));
	ring_exit(&r);
}

TEST_F_TIMEOUT(poll, close_with_armed_poll, IOU_TIMEOUT)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct pollfd pfd = { .events = POLLIN };
	struct ring r, r2;
	__u64 val = 1;

	if (!self->supported) {
		close(efd);
		SKIP(return, NO_POLL);
	}
	ASSERT_GE(efd, 0);
	ASSERT_EQ(0, ring_init(&r, 8, 0));
	ASSERT_EQ(0, ring_init(&r2, 4, 0));
	/* Armed on a pipe, an eventfd, another ring; one CQE unreaped. */
	ASSERT_EQ(1, submit_poll(&r, self->pfd[0], POLLIN, 1, 0));
	ASSERT_EQ(1, submit_poll(&r, efd, POLLIN, 2, 0));
	ASSERT_EQ(1, submit_poll(&r, r2.fd, POLLIN, 3, 0));
	ASSERT_EQ(1, submit_poll(&r, self->pfd[1], POLLOUT, 4, 0));
	EXPECT_EQ(1, ring_cq_ready(&r));
	/* The polled ring goes first: the poll keeps its file alive. */
	ring_exit(&r2);
	ring_exit(&r);

	/* The wait queue entries went with the ring's requests. */
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	ASSERT_EQ(sizeof(val), write(efd, &val, sizeof(val)));
	pfd.fd = self->pfd[0];
	EXPECT_EQ(1, poll(&pfd, 1, 1000));
	EXPECT_EQ(POLLIN, pfd.revents);
	close(efd);

	/* The fixture's ring was not affected. */
	EXPECT_EQ(0, ring_run_one(&self->r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
}

/*
 * In a child: arm a poll on @fd, which never becomes ready, and one on
 * @race_fd, which the parent writes to at about the time we exit.
 */
static void child_arm_and_exit(int fd, int race_fd)
{
	struct io_uring_cqe cqe;
	struct ring r;

	if (ring_init(&r, 4, 0))
		_exit(2);
	ring_prep_poll_add(ring_get_sqe(&r), fd, POLLIN, 1);
	ring_prep_poll_add(ring_get_sqe(&r), race_fd, POLLIN, 2);
	if (ring_submit(&r) != 2)
		_exit(3);
	while (!ring_peek_cqe(&r, &cqe))
		if (cqe.user_data != 2 || cqe.res != POLLIN)
			_exit(4);
	_exit(0);
}

TEST_F_TIMEOUT(poll, exit_with_armed_poll, IOU_TIMEOUT)
{
	struct pollfd pfd = { .events = POLLIN };
	int race[2], status;
	pid_t pid;

	if (!self->supported)
		SKIP(return, NO_POLL);
	ASSERT_EQ(0, pipe(race));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		child_arm_and_exit(self->pfd[0], race[0]);
	ASSERT_EQ(1, write(race[1], "r", 1));
	status = wait_child(pid, 5000);
	ASSERT_NE(-1, status) {
		TH_LOG("the child did not exit within 5s");
	}
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));

	/* The child's wait queue entries went away with it. */
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	pfd.fd = self->pfd[0];
	EXPECT_EQ(1, poll(&pfd, 1, 1000));
	EXPECT_EQ(POLLIN, pfd.revents);
	close(race[0]);
	close(race[1]);
}

TEST_F_TIMEOUT(poll, exit_shared_ring, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	int status;
	pid_t pid;

	if (!self->supported)
		SKIP(return, NO_POLL);
	/* A child arms a poll on the ring it inherited, then exits. */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		if (submit_poll(&self->r, self->pfd[0], POLLIN, 77, 0) != 1)
			_exit(3);
		_exit(0);
	}
	status = wait_child(pid, 5000);
	ASSERT_NE(-1, status) {
		TH_LOG("the child did not exit within 5s");
	}
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ring_resync_sq(&self->r);

	/*
	 * Our kernel cancels the child's poll when it exits.  Stock 6.1
	 * leaves it armed (it only cancels requests on ring fds at exit) and
	 * fails it with -ECANCELED once the file wakes it up.
	 */
	if (ring_peek_cqe(&self->r, &cqe)) {
		TH_LOG("the child's poll outlived it: waking it up");
		ASSERT_EQ(1, write(self->pfd[1], "x", 1));
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	}
	EXPECT_EQ(77, cqe.user_data);
	EXPECT_EQ(-ECANCELED, cqe.res);
	EXPECT_TRUE(QUIET(&self->r));

	/* The ring carries on. */
	drain(self->pfd[0]);
	EXPECT_EQ(0, ring_run_one(&self->r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	ASSERT_EQ(1, submit_poll(&self->r, self->pfd[0], POLLIN, 1, 0));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_EQ(POLLIN, wait_res(_metadata, &self->r, 1));
}

TEST_F_TIMEOUT(poll, many_polls, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	int pfds[NR_MANY][2];
	__u64 fired = 0, cancelled = 0, removed = 0;
	struct ring r;
	int i;

	if (!self->supported)
		SKIP(return, NO_POLL);
	ASSERT_EQ(0, ring_init(&r, NR_MANY, 0));
	for (i = 0; i < NR_MANY; i++) {
		ASSERT_EQ(0, pipe(pfds[i]));
		ring_prep_poll_add(ring_get_sqe(&r), pfds[i][0], POLLIN, i);
	}
	ASSERT_EQ(NR_MANY, ring_submit(&r));
	EXPECT_TRUE(QUIET(&r));

	/* Fire the even ones. */
	for (i = 0; i < NR_MANY; i += 2)
		ASSERT_EQ(1, write(pfds[i][1], "x", 1));
	for (i = 0; i < NR_MANY / 2; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
		ASSERT_LT(cqe.user_data, NR_MANY);
		EXPECT_EQ(0, cqe.user_data & 1);
		EXPECT_EQ(POLLIN, cqe.res);
		EXPECT_EQ(0, fired & (1ULL << cqe.user_data));
		fired |= 1ULL << cqe.user_data;
	}
	EXPECT_TRUE(QUIET(&r));

	/* Remove the odd ones. */
	for (i = 1; i < NR_MANY; i += 2)
		prep_poll_remove(ring_get_sqe(&r), i, 1000 + i);
	ASSERT_EQ(NR_MANY / 2, ring_submit(&r));
	for (i = 0; i < NR_MANY; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
		if (cqe.user_data >= 1000) {
			ASSERT_LT(cqe.user_data, 1000 + NR_MANY);
			EXPECT_EQ(0, cqe.res);
			EXPECT_EQ(0, removed & (1ULL << (cqe.user_data - 1000)));
			removed |= 1ULL << (cqe.user_data - 1000);
		} else {
			ASSERT_LT(cqe.user_data, NR_MANY);
			EXPECT_EQ(-ECANCELED, cqe.res);
			EXPECT_EQ(0, cancelled & (1ULL << cqe.user_data));
			cancelled |= 1ULL << cqe.user_data;
		}
	}
	EXPECT_EQ(0x5555555555555555ULL, fired);
	EXPECT_EQ(0xaaaaaaaaaaaaaaaaULL, cancelled);
	EXPECT_EQ(0xaaaaaaaaaaaaaaaaULL, removed);

	/* Nothing left armed. */
	for (i = 1; i < NR_MANY; i += 2)
		ASSERT_EQ(1, write(pfds[i][1], "x", 1));
	EXPECT_TRUE(QUIET(&r));
	for (i = 0; i < NR_MANY; i++) {
		close(pfds[i][0]);
		close(pfds[i][1]);
	}
	ring_exit(&r);
}

/*
 * Wait for the end of multishot poll @ud (a CQE without IORING_CQE_F_MORE),
 * counting its CQEs and those of @other_ud.  Returns the final res, or
 * -ETIME if it did not end within two seconds.
 */
static int wait_multishot_end(struct ring *r, __u64 ud, __u64 other_ud,
			      int *nr_more, int *nr_other)
{
	struct io_uring_cqe cqe;

	for (;;) {
		if (ring_wait_cqe_timeout(r, &cqe, 2000))
			return -ETIME;
		if (cqe.user_data == other_ud) {
			(*nr_other)++;
		} else if (cqe.user_data == ud) {
			if (!(cqe.flags & IORING_CQE_F_MORE))
				return cqe.res;
			(*nr_more)++;
		}
	}
}

/*
 * A multishot poll of the ring's own fd: each CQE the ring posts wakes it,
 * and the event it would post wakes it again.  As in 6.1, a wakeup that a
 * CQE caused ends it: its last CQE (POLLIN, no F_MORE) comes right after
 * the NOP's.  Before the fix the kernel posted events in a loop, for ever
 * (a soft lockup found by the fuzzer).
 */
TEST_F_TIMEOUT(poll, multishot_on_own_ring_ends, IOU_TIMEOUT)
{
	int nr_more = 0, nr_nop = 0;
	struct io_uring_sqe *sqe;

	if (!self->supported)
		SKIP(return, NO_POLL);
	sqe = ring_get_sqe(&self->r);
	ring_prep_poll_add(sqe, self->r.fd, POLLIN, 1);
	sqe->len = IORING_POLL_ADD_MULTI;
	ring_prep_nop(ring_get_sqe(&self->r), 2);
	ASSERT_EQ(2, ring_submit(&self->r));

	EXPECT_EQ(POLLIN, wait_multishot_end(&self->r, 1, 2, &nr_more,
					     &nr_nop) & POLLIN);
	EXPECT_EQ(1, nr_nop);
	EXPECT_LE(nr_more, 1);
	EXPECT_TRUE(QUIET(&self->r));
}

/* The same for the ring's registered eventfd, which each CQE signals. */
TEST_F_TIMEOUT(poll, multishot_on_own_eventfd_ends, IOU_TIMEOUT)
{
	int nr_more = 0, nr_nop = 0, efd;
	struct io_uring_sqe *sqe;

	if (!self->supported)
		SKIP(return, NO_POLL);
	efd = eventfd(0, EFD_NONBLOCK);
	ASSERT_GE(efd, 0);
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_EVENTFD,
				       &efd, 1));
	sqe = ring_get_sqe(&self->r);
	ring_prep_poll_add(sqe, efd, POLLIN, 1);
	sqe->len = IORING_POLL_ADD_MULTI;
	ring_prep_nop(ring_get_sqe(&self->r), 2);
	ASSERT_EQ(2, ring_submit(&self->r));

	EXPECT_EQ(POLLIN, wait_multishot_end(&self->r, 1, 2, &nr_more,
					     &nr_nop) & POLLIN);
	EXPECT_EQ(1, nr_nop);
	EXPECT_LE(nr_more, 1);
	EXPECT_TRUE(QUIET(&self->r));
	close(efd);
}

TEST_HARNESS_MAIN
