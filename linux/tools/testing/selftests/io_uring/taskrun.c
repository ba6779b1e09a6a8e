// SPDX-License-Identifier: GPL-2.0
/*
 * How completion work reaches the task: IORING_SETUP_COOP_TASKRUN,
 * TASKRUN_FLAG, SINGLE_ISSUER, DEFER_TASKRUN, and R_DISABLED with
 * IORING_REGISTER_ENABLE_RINGS.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define ENTRIES		8
#define DEFER		(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN)

FIXTURE(taskrun) {
	struct ring r;
	int pfd[2];
	char buf[16];
};

FIXTURE_SETUP(taskrun)
{
	self->r.fd = -1;
	/* a socket: a read of it is retried from task_work, never a worker */
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, self->pfd));
}

FIXTURE_TEARDOWN(taskrun)
{
	close(self->pfd[0]);
	close(self->pfd[1]);
	ring_exit(&self->r);
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

/* Queue a read of the socket, which waits for data in poll. */
static int queue_sock_read(struct ring *r, int fd, char *buf, size_t len)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	if (!sqe)
		return -ENOSPC;
	ring_prep_rw(sqe, IORING_OP_READ, fd, buf, len, 0, 1);
	return ring_submit(r);
}

/* In a test of the fixture: a read queued, nothing completed yet. */
#define QUEUE_SOCK_READ()						\
	do {								\
		ASSERT_EQ(1, queue_sock_read(&self->r, self->pfd[0],	\
					     self->buf,			\
					     sizeof(self->buf)));	\
		ASSERT_EQ(0, ring_cq_ready(&self->r));			\
	} while (0)

/* Run a function in a child process; its exit status is its result. */
static int in_child(int (*fn)(struct ring *r), struct ring *r)
{
	int status;
	pid_t pid = fork();

	if (!pid)
		_exit(fn(r));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Without an SQE of its own: the SQ ring is shared with the parent. */
static int child_submits(struct ring *r)
{
	return io_uring_enter(r->fd, 1, 0, 0) == -EEXIST ? 0 : 1;
}

static int child_waits(struct ring *r)
{
	return io_uring_enter(r->fd, 0, 0, IORING_ENTER_GETEVENTS) ==
	       -EEXIST ? 0 : 1;
}

static int child_registers(struct ring *r)
{
	return io_uring_register(r->fd, IORING_REGISTER_PROBE, NULL, 0) ==
	       -EEXIST ? 0 : 1;
}

/* The combinations 6.1 accepts, each of them working for a NOP. */
TEST_F_TIMEOUT(taskrun, setup_flags_accepted, IOU_TIMEOUT)
{
	static const unsigned int flags[] = {
		IORING_SETUP_COOP_TASKRUN,
		IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG,
		IORING_SETUP_SINGLE_ISSUER,
		IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_SQPOLL,
		DEFER,
		DEFER | IORING_SETUP_TASKRUN_FLAG,
		DEFER | IORING_SETUP_COOP_TASKRUN,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		ASSERT_EQ(0, ring_init(&self->r, ENTRIES, flags[i])) {
			TH_LOG("flags %#x", flags[i]);
		}
		EXPECT_EQ(0, ring_run_one(&self->r, IORING_OP_NOP, -1, NULL, 0,
					  0, 0)) {
			TH_LOG("flags %#x", flags[i]);
		}
		ring_exit(&self->r);
	}
}

/* A ring set up disabled takes nothing until it is enabled, once. */
TEST_F_TIMEOUT(taskrun, r_disabled, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;

	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, IORING_SETUP_R_DISABLED));
	sqe = ring_get_sqe(&self->r);
	ring_prep_nop(sqe, 1);
	EXPECT_EQ(-EBADFD, ring_submit(&self->r));
	EXPECT_EQ(-EBADFD, io_uring_enter(self->r.fd, 0, 0,
					  IORING_ENTER_GETEVENTS));
	/* registering works meanwhile; restrictions are not implemented */
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       self->pfd, 2));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_ENABLE_RINGS,
					     NULL, 1));
	EXPECT_EQ(0, io_uring_register(self->r.fd,
				       IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(-EBADFD, io_uring_register(self->r.fd,
					     IORING_REGISTER_ENABLE_RINGS,
					     NULL, 0));
	EXPECT_EQ(-EBADFD, io_uring_register(self->r.fd,
					     IORING_REGISTER_RESTRICTIONS,
					     NULL, 0));
	/* the NOP queued while disabled goes now */
	EXPECT_EQ(1, io_uring_enter(self->r.fd, 1, 1, IORING_ENTER_GETEVENTS));
	EXPECT_EQ(1, ring_cq_ready(&self->r));
}

/* An SQ thread waits for its disabled ring to be enabled. */
TEST_F_TIMEOUT(taskrun, r_disabled_sqpoll, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;

	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, IORING_SETUP_SQPOLL |
						  IORING_SETUP_R_DISABLED));
	sqe = ring_get_sqe(&self->r);
	ring_prep_nop(sqe, 7);
	ring_flush_sq(&self->r);
	EXPECT_EQ(-EBADFD, io_uring_enter(self->r.fd, 1, 0,
					  IORING_ENTER_SQ_WAKEUP));
	usleep(50000);
	EXPECT_EQ(0, ring_cq_ready(&self->r));
	ASSERT_EQ(0, io_uring_register(self->r.fd,
				       IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(7, cqe.user_data);
}

/* Only the task that set the ring up submits and registers. */
TEST_F_TIMEOUT(taskrun, single_issuer, IOU_TIMEOUT)
{
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES,
			       IORING_SETUP_SINGLE_ISSUER));
	EXPECT_EQ(0, in_child(child_submits, &self->r));
	EXPECT_EQ(0, in_child(child_registers, &self->r));
	/* waiting is anyone's without DEFER_TASKRUN */
	EXPECT_EQ(0, io_uring_enter(self->r.fd, 0, 0,
				    IORING_ENTER_GETEVENTS));
	EXPECT_EQ(0, ring_run_one(&self->r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
}

/* With R_DISABLED, the submitter is the task that enables the ring. */
TEST_F_TIMEOUT(taskrun, single_issuer_enabler, IOU_TIMEOUT)
{
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES,
			       IORING_SETUP_SINGLE_ISSUER |
			       IORING_SETUP_R_DISABLED));
	/* anyone may register before: nobody is the submitter yet */
	EXPECT_EQ(0, io_uring_register(self->r.fd,
				       IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(0, in_child(child_submits, &self->r));
	EXPECT_EQ(0, ring_run_one(&self->r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
}

/*
 * DEFER_TASKRUN: a read that the socket's data completes does not post its
 * CQE until the submitter asks for completions; TASKRUN_FLAG says it is
 * waiting, a registered eventfd and poll(2) on the ring fd say so too.
 */
TEST_F_TIMEOUT(taskrun, defer_waits_for_getevents, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	int efd = eventfd(0, EFD_NONBLOCK);

	ASSERT_LE(0, efd);
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES,
			       DEFER | IORING_SETUP_TASKRUN_FLAG));
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_EVENTFD,
				       &efd, 1));
	QUEUE_SOCK_READ();
	EXPECT_FALSE(*self->r.sq_flags & IORING_SQ_TASKRUN);
	EXPECT_FALSE(readable(self->r.fd));

	ASSERT_EQ(3, write(self->pfd[1], "abc", 3));
	EXPECT_EQ(0, ring_cq_ready(&self->r));
	EXPECT_TRUE(*self->r.sq_flags & IORING_SQ_TASKRUN);
	EXPECT_TRUE(readable(efd));
	EXPECT_TRUE(readable(self->r.fd));
	/* submitting alone does not run it: only the NOP's CQE comes */
	ring_prep_nop(ring_get_sqe(&self->r), 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_peek_cqe(&self->r, &cqe));
	EXPECT_EQ(2, cqe.user_data);
	EXPECT_EQ(0, ring_cq_ready(&self->r));

	EXPECT_EQ(0, io_uring_enter(self->r.fd, 0, 0,
				    IORING_ENTER_GETEVENTS));
	EXPECT_FALSE(*self->r.sq_flags & IORING_SQ_TASKRUN);
	ASSERT_EQ(0, ring_peek_cqe(&self->r, &cqe));
	EXPECT_EQ(1, cqe.user_data);
	EXPECT_EQ(3, cqe.res);
	EXPECT_EQ(0, memcmp(self->buf, "abc", 3));
	close(efd);
}

static int child_writes_later(struct ring *r)
{
	usleep(100000);
	return write(r->p.wq_fd, "x", 1) == 1 ? 0 : 1;
}

/* A submitter asleep in io_uring_enter() is woken by deferred work. */
TEST_F_TIMEOUT(taskrun, defer_wakes_the_waiter, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct ring w;
	pid_t pid;
	int status;

	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, DEFER));
	QUEUE_SOCK_READ();
	memset(&w, 0, sizeof(w));
	w.p.wq_fd = self->pfd[1];
	pid = fork();
	if (!pid)
		_exit(child_writes_later(&w));
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, io_uring_enter(self->r.fd, 0, 1,
				    IORING_ENTER_GETEVENTS));
	ASSERT_EQ(0, ring_peek_cqe(&self->r, &cqe));
	EXPECT_EQ(1, cqe.res);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Only the submitter may wait on a DEFER_TASKRUN ring. */
TEST_F_TIMEOUT(taskrun, defer_others_cannot_wait, IOU_TIMEOUT)
{
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, DEFER));
	EXPECT_EQ(0, in_child(child_waits, &self->r));
	EXPECT_EQ(0, in_child(child_submits, &self->r));
	EXPECT_EQ(0, io_uring_enter(self->r.fd, 0, 0,
				    IORING_ENTER_GETEVENTS));
}

/*
 * A ring closed with deferred work on it: the work is cancelled (or its
 * CQE posted) by the teardown, which neither hangs nor leaks: the socket
 * the request holds is closed in the end.
 */
TEST_F_TIMEOUT(taskrun, defer_ring_closed_with_work, IOU_TIMEOUT)
{
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, DEFER));
	QUEUE_SOCK_READ();
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_EQ(0, ring_cq_ready(&self->r));
	ring_exit(&self->r);
	close(self->pfd[0]);
	self->pfd[0] = -1;
	/* the teardown runs in a worker: give it time, not a deadline */
	EXPECT_EQ(0, write_until_epipe(self->pfd[1]));
}

/*
 * A poll's event stays with it: data that woke it, read before the
 * submitter asked for completions, still gives the POLLIN it had.
 */
TEST_F_TIMEOUT(taskrun, defer_poll_event_kept, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	char c;

	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, DEFER));
	ring_prep_poll_add(ring_get_sqe(&self->r), self->pfd[0], POLLIN, 1);
	sqe = ring_get_sqe(&self->r);
	ring_prep_poll_add(sqe, self->pfd[0], POLLIN, 2);
	sqe->len = IORING_POLL_ADD_MULTI;
	ASSERT_EQ(2, ring_submit(&self->r));

	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	ASSERT_EQ(1, read(self->pfd[0], &c, 1));
	EXPECT_EQ(0, io_uring_enter(self->r.fd, 0, 0,
				    IORING_ENTER_GETEVENTS));
	ASSERT_EQ(2, ring_cq_ready(&self->r));
	ASSERT_EQ(0, ring_peek_cqe(&self->r, &cqe));
	EXPECT_TRUE(cqe.res & POLLIN);
	EXPECT_EQ(cqe.user_data == 2, !!(cqe.flags & IORING_CQE_F_MORE));
	ASSERT_EQ(0, ring_peek_cqe(&self->r, &cqe));
	EXPECT_TRUE(cqe.res & POLLIN);
	EXPECT_EQ(cqe.user_data == 2, !!(cqe.flags & IORING_CQE_F_MORE));
}

/*
 * DEFER_TASKRUN rings that poll their own fd, or each other's: the wakeup
 * a CQE sends to the ring fd's waiters queues deferred work from inside
 * that very wait queue, which must not be woken again from there.
 */
TEST_F_TIMEOUT(taskrun, defer_polls_ring_fds, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	struct ring b;

	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, DEFER));
	ASSERT_EQ(0, ring_init(&b, ENTRIES, DEFER));
	sqe = ring_get_sqe(&self->r);
	ring_prep_poll_add(sqe, self->r.fd, POLLIN, 1);
	sqe->len = IORING_POLL_ADD_MULTI;
	ring_prep_poll_add(ring_get_sqe(&self->r), b.fd, POLLIN, 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	ring_prep_poll_add(ring_get_sqe(&b), self->r.fd, POLLIN, 3);
	ASSERT_EQ(1, ring_submit(&b));

	ring_prep_nop(ring_get_sqe(&self->r), 4);
	ASSERT_EQ(1, ring_submit(&self->r));
	ring_prep_nop(ring_get_sqe(&b), 5);
	ASSERT_EQ(1, ring_submit(&b));
	/* each ring's polls fired; their CQEs come when asked for */
	ASSERT_EQ(0, ring_wait_cqe(&b, &cqe));
	EXPECT_EQ(5, cqe.user_data);
	ASSERT_EQ(0, ring_wait_cqe(&b, &cqe));
	EXPECT_EQ(3, cqe.user_data);
	EXPECT_TRUE(cqe.res & POLLIN);
	ring_exit(&b);
}

/* COOP_TASKRUN: completions still come, at the next entry at the latest. */
TEST_F_TIMEOUT(taskrun, coop_taskrun_completes, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;

	ASSERT_EQ(0, ring_init(&self->r, ENTRIES,
			       IORING_SETUP_COOP_TASKRUN |
			       IORING_SETUP_TASKRUN_FLAG));
	QUEUE_SOCK_READ();
	ASSERT_EQ(2, write(self->pfd[1], "ok", 2));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(2, cqe.res);
	EXPECT_FALSE(*self->r.sq_flags & IORING_SQ_TASKRUN);
}

TEST_HARNESS_MAIN
