// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_OP_ASYNC_CANCEL and IORING_REGISTER_SYNC_CANCEL as 6.1 has them:
 * matching by user_data, with IORING_ASYNC_CANCEL_ALL, _FD, _FD_FIXED,
 * _ANY, _OP and _USERDATA; the results (0, a count, -ENOENT, -EALREADY)
 * for a request in each state: waiting in poll (POLL_ADD, or a read that
 * armed poll), queued for an io-wq worker, running in one (sleeping in a
 * FIFO open, which the cancel interrupts), held back by a drain, linked
 * behind another; a timeout; exec with all of those armed.  Then multishot
 * POLL_ADD (and a drain behind one) and POLL_REMOVE's updates of the
 * events and the user_data of an armed poll.
 *
 * A FIFO is created in the current directory.  Where a request must be
 * sleeping in a worker, the test waits for an iou-wrk thread to be
 * sleeping (and a little longer); no test measures time.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define ENTRIES		32
#define FIFO		"./io_uring_cancel_fifo"

FIXTURE(cancel) {
	struct ring r;
	int pfd[2];
};

FIXTURE_SETUP(cancel)
{
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, 0));
	ASSERT_EQ(0, pipe(self->pfd));
	unlink(FIFO);
	ASSERT_EQ(0, mkfifo(FIFO, 0600));
}

FIXTURE_TEARDOWN(cancel)
{
	close(self->pfd[0]);
	close(self->pfd[1]);
	ring_exit(&self->r);
	unlink(FIFO);
}

static struct io_uring_sqe *nop(struct ring *r, __u64 user_data, __u8 flags)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_nop(sqe, user_data);
	sqe->flags = flags;
	return sqe;
}

static struct io_uring_sqe *poll_add(struct ring *r, int fd,
				     unsigned int events, __u64 user_data,
				     __u8 flags)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_poll_add(sqe, fd, events, user_data);
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

/* Open the FIFO for writing in a worker: it sleeps there until a reader. */
static struct io_uring_sqe *fifo_open(struct ring *r, __u64 user_data)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_rw(sqe, IORING_OP_OPENAT, AT_FDCWD, FIFO, 0, 0, user_data);
	sqe->open_flags = O_WRONLY;
	sqe->flags = IOSQE_ASYNC;
	return sqe;
}

static struct io_uring_sqe *prep_cancel(struct ring *r, __u64 target,
					unsigned int flags, __u64 user_data)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_rw(sqe, IORING_OP_ASYNC_CANCEL, -1, NULL, 0, 0, user_data);
	sqe->addr = target;
	sqe->cancel_flags = flags;
	return sqe;
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

/* Number of the iou-wrk threads of process @pid (0: us) that sleep. */
static int sleeping_workers(pid_t pid)
{
	char dir[64];

	char path[352], buf[512], *p;
	struct dirent *de;
	int n = 0, fd;
	ssize_t len;
	DIR *d;

	if (pid)
		snprintf(dir, sizeof(dir), "/proc/%d/task", pid);
	else
		snprintf(dir, sizeof(dir), "/proc/self/task");
	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/stat", dir, de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = 0;
		p = strrchr(buf, ')');
		if (strstr(buf, "(iou-wrk-") && p && p[1] == ' ' && p[2] == 'S')
			n++;
	}
	closedir(d);
	return n;
}

/*
 * Wait until @n workers sleep (one per blocked FIFO open), then a while
 * longer so that the sleep is the open's and not the worker's start.
 */
static bool wait_pid_workers_blocked(pid_t pid, int n)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (sleeping_workers(pid) >= n) {
			usleep(200 * 1000);
			return true;
		}
		usleep(5 * 1000);
	}
	return false;
}

static bool wait_workers_blocked(int n)
{
	return wait_pid_workers_blocked(0, n);
}

static int sync_cancel(struct ring *r, __u64 addr, int fd, unsigned int flags,
		       long long sec, long long nsec)
{
	struct io_uring_sync_cancel_reg reg;

	memset(&reg, 0, sizeof(reg));
	reg.addr = addr;
	reg.fd = fd;
	reg.flags = flags;
	reg.timeout.tv_sec = sec;
	reg.timeout.tv_nsec = nsec;
	return io_uring_register(r->fd, IORING_REGISTER_SYNC_CANCEL, &reg, 1);
}

TEST_F_TIMEOUT(cancel, poll_by_user_data, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, -ECANCELED }, { 2, 0 } };
	struct io_uring_cqe got[2];

	poll_add(&self->r, self->pfd[0], POLLIN, 1, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	prep_cancel(&self->r, 1, 0, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
	/* Gone: found no more. */
	prep_cancel(&self->r, 1, 0, 3);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 3));
	/* Never there, or already completed. */
	prep_cancel(&self->r, 12345, 0, 4);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 4));
	nop(&self->r, 5, 0);
	EXPECT_EQ(0, one_res(_metadata, &self->r, 5));
	prep_cancel(&self->r, 5, 0, 6);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 6));
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, read_waiting_in_poll, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, -ECANCELED }, { 2, 0 } };
	struct io_uring_cqe got[2];
	char c;

	/* A read of an empty pipe arms poll; it is cancelled there. */
	prep_read(&self->r, self->pfd[0], &c, 1, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	prep_cancel(&self->r, 1, 0, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);

	/* Also with IOSQE_ASYNC: the worker arms poll, it does not block. */
	prep_read(&self->r, self->pfd[0], &c, 1, IOSQE_ASYNC);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	prep_cancel(&self->r, 1, 0, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);

	/* Nothing left to take the byte. */
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, read(self->pfd[0], &c, 1));
}

TEST_F_TIMEOUT(cancel, running_in_worker, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, -EINTR }, { 2, -EALREADY } };
	struct io_uring_cqe got[2];
	int fd;

	/* the blocking request here is an OPENAT of a FIFO */
	if (!ring_op_supported(&self->r, IORING_OP_OPENAT))
		SKIP(return, "IORING_OP_OPENAT not supported");

	/*
	 * Running work is signalled: the open sleeping for a reader is
	 * interrupted (-EINTR), and the cancel says -EALREADY.
	 */
	fifo_open(&self->r, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_TRUE(wait_workers_blocked(1));
	EXPECT_TRUE(QUIET(&self->r));
	prep_cancel(&self->r, 1, 0, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	/* Had it not been interrupted, a reader would let it complete. */
	fd = open(FIFO, O_RDONLY | O_NONBLOCK);
	ASSERT_GE(fd, 0);
	EXPECT_TRUE(QUIET(&self->r));
	close(fd);
}

TEST_F_TIMEOUT(cancel, queued_for_worker, IOU_TIMEOUT)
{
	__u32 max[2] = { 1, 1 };
	int fd;
	struct cqe_want want[] = {
		{ 3, -ECANCELED }, { 4, 0 }, { 2, -ECANCELED }, { 5, 0 },
	};
	struct io_uring_cqe got[4];
	struct cqe_want want2[] = { { 1, -EINTR }, { 6, -EALREADY } };
	struct io_uring_cqe got2[2];

	/* the blocking request here is an OPENAT of a FIFO */
	if (!ring_op_supported(&self->r, IORING_OP_OPENAT))
		SKIP(return, "IORING_OP_OPENAT not supported");

	/*
	 * One worker: the first open sleeps in it, the second open and a
	 * NOP wait in the queue.  Queued work is removed (0, the request
	 * -ECANCELED); the running one is interrupted (-EALREADY, -EINTR).
	 */
	ASSERT_EQ(0, io_uring_register(self->r.fd,
				       IORING_REGISTER_IOWQ_MAX_WORKERS,
				       max, 2));
	fifo_open(&self->r, 1);
	fifo_open(&self->r, 2);
	nop(&self->r, 3, IOSQE_ASYNC);
	ASSERT_EQ(3, ring_submit(&self->r));
	ASSERT_TRUE(wait_workers_blocked(1));
	EXPECT_TRUE(QUIET(&self->r));
	prep_cancel(&self->r, 3, 0, 4);
	prep_cancel(&self->r, 2, 0, 5);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
	prep_cancel(&self->r, 1, 0, 6);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want2, got2);
	fd = open(FIFO, O_RDONLY | O_NONBLOCK);
	ASSERT_GE(fd, 0);
	EXPECT_TRUE(QUIET(&self->r));
	close(fd);
}

TEST_F_TIMEOUT(cancel, held_by_drain, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, 1 }, { 2, 0 }, { 3, -ENOENT } };
	struct io_uring_cqe got[3];
	char c;

	/*
	 * A request held back by IOSQE_IO_DRAIN is in no list a cancel
	 * searches: SYNC_CANCEL does not find it; an ASYNC_CANCEL is itself
	 * held back behind the drain, and when it runs the NOP is done.
	 */
	prep_read(&self->r, self->pfd[0], &c, 1, 0);
	nop(&self->r, 2, IOSQE_IO_DRAIN);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_EQ(-ENOENT, sync_cancel(&self->r, 2, 0, 0, -1, -1));
	EXPECT_TRUE(QUIET(&self->r));
	prep_cancel(&self->r, 2, 0, 3);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 3, 1, 2);
	EXPECT_BEFORE(got, 3, 1, 3);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, linked_behind, IOU_TIMEOUT)
{
	struct cqe_want want[] = {
		{ 1, -ECANCELED }, { 2, -ECANCELED }, { 4, 0 },
	};
	struct io_uring_cqe got[3];
	char c;

	/* A link not yet issued is not found ... */
	prep_read(&self->r, self->pfd[0], &c, 1, IOSQE_IO_LINK);
	nop(&self->r, 2, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	prep_cancel(&self->r, 2, 0, 3);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 3));
	EXPECT_TRUE(QUIET(&self->r));
	/* ... cancelling its head cancels it too, in chain order. */
	prep_cancel(&self->r, 1, 0, 4);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_BEFORE(got, 3, 1, 2);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, timeout, IOU_TIMEOUT)
{
	struct __kernel_timespec ts = { .tv_sec = 100 };
	struct cqe_want want[] = { { 1, -ECANCELED }, { 2, 0 } };
	struct io_uring_cqe got[2];
	struct io_uring_sqe *sqe;

	/* A timeout is found by user_data too. */
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_TIMEOUT, -1, &ts, 1, 0, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	prep_cancel(&self->r, 1, 0, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, all, IOU_TIMEOUT)
{
	struct io_uring_cqe got[4];
	int i;
	struct cqe_want want[] = { { 7, -ECANCELED }, { 8, 0 } };
	struct cqe_want want2[] = {
		{ 7, -ECANCELED }, { 7, -ECANCELED }, { 9, 2 },
	};

	/* Three polls with one user_data: without ALL, one at a time. */
	for (i = 0; i < 3; i++)
		poll_add(&self->r, self->pfd[0], POLLIN, 7, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	prep_cancel(&self->r, 7, 0, 8);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
	/* With ALL: the rest; the res is how many. */
	prep_cancel(&self->r, 7, IORING_ASYNC_CANCEL_ALL, 9);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want2, got);
	EXPECT_TRUE(QUIET(&self->r));
	/* ALL finding nothing: 0, not -ENOENT. */
	prep_cancel(&self->r, 7, IORING_ASYNC_CANCEL_ALL, 10);
	EXPECT_EQ(0, one_res(_metadata, &self->r, 10));
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, fd, IOU_TIMEOUT)
{
	struct io_uring_cqe got[4];
	struct io_uring_sqe *sqe;
	int p2[2];
	struct cqe_want want[] = {
		{ 1, -ECANCELED }, { 2, -ECANCELED }, { 4, 2 },
	};
	struct cqe_want want2[] = { { 3, -ECANCELED }, { 7, 0 } };

	ASSERT_EQ(0, pipe(p2));
	/* Two polls on one pipe, one on another; user_data is ignored. */
	poll_add(&self->r, self->pfd[0], POLLIN, 1, 0);
	poll_add(&self->r, self->pfd[0], POLLIN, 2, 0);
	poll_add(&self->r, p2[0], POLLIN, 3, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	sqe = prep_cancel(&self->r, 0,
			  IORING_ASYNC_CANCEL_FD |
			  IORING_ASYNC_CANCEL_ALL, 4);
	sqe->fd = self->pfd[0];
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
	/* Nothing more on that fd; a bad fd. */
	sqe = prep_cancel(&self->r, 0, IORING_ASYNC_CANCEL_FD, 5);
	sqe->fd = self->pfd[0];
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 5));
	sqe = prep_cancel(&self->r, 0, IORING_ASYNC_CANCEL_FD, 6);
	sqe->fd = 100000;
	EXPECT_EQ(-EBADF, one_res(_metadata, &self->r, 6));
	/*
	 * FD with USERDATA: both must match, as the man page has it.  (The
	 * 6.1.192 reference compares only the file of a request waiting in
	 * poll, and would cancel poll 3 here.)
	 */
	sqe = prep_cancel(&self->r, 4, IORING_ASYNC_CANCEL_FD |
			  IORING_ASYNC_CANCEL_USERDATA, 7);
	sqe->fd = p2[0];
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 7));
	sqe = prep_cancel(&self->r, 3, IORING_ASYNC_CANCEL_FD |
			  IORING_ASYNC_CANCEL_USERDATA, 7);
	sqe->fd = p2[0];
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want2, got);
	EXPECT_TRUE(QUIET(&self->r));
	close(p2[0]);
	close(p2[1]);
	/* Nothing: 0. */
	prep_cancel(&self->r, 0, IORING_ASYNC_CANCEL_ANY, 5);
	EXPECT_EQ(0, one_res(_metadata, &self->r, 5));
}

TEST_F_TIMEOUT(cancel, op_poll, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	char c;
	struct cqe_want want[] = {
		{ 1, -ECANCELED }, { 2, -ECANCELED }, { 4, 2 },
	};
	struct cqe_want want2[] = { { 3, -ECANCELED }, { 6, 0 } };
	struct io_uring_cqe got[3];

	/*
	 * OP matches the opcode, as the man page has it: both POLL_ADDs with
	 * ALL, then the READ waiting in poll by opcode and user_data.  (The
	 * 6.1.192 reference looks for requests waiting in poll by their file
	 * and finds none of them.)
	 */
	poll_add(&self->r, self->pfd[0], POLLIN, 1, 0);
	poll_add(&self->r, self->pfd[0], POLLIN, 2, 0);
	prep_read(&self->r, self->pfd[0], &c, 3, 0);
	ASSERT_EQ(3, ring_submit(&self->r));
	sqe = prep_cancel(&self->r, 0, IORING_ASYNC_CANCEL_OP |
			  IORING_ASYNC_CANCEL_ALL, 4);
	sqe->len = IORING_OP_POLL_ADD;
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
	sqe = prep_cancel(&self->r, 3, IORING_ASYNC_CANCEL_OP |
			  IORING_ASYNC_CANCEL_USERDATA, 6);
	sqe->len = IORING_OP_READ;
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want2, got);
	sqe = prep_cancel(&self->r, 1, IORING_ASYNC_CANCEL_OP, 5);
	sqe->len = IORING_OP_POLL_ADD;
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 5));
	EXPECT_TRUE(QUIET(&self->r));
	/* Nothing was left armed to take the byte. */
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_EQ(1, read(self->pfd[0], &c, 1));
}

TEST_F_TIMEOUT(cancel, op_queued, IOU_TIMEOUT)
{
	__u32 max[2] = { 1, 1 };
	struct io_uring_sqe *sqe;
	int fd;
	struct cqe_want want[] = {
		{ 2, -ECANCELED }, { 3, -ECANCELED }, { 4, 1 },
	};
	struct io_uring_cqe got[3];
	struct io_uring_cqe cqe;

	/* the blocking request here is an OPENAT of a FIFO */
	if (!ring_op_supported(&self->r, IORING_OP_OPENAT))
		SKIP(return, "IORING_OP_OPENAT not supported");

	/*
	 * Work queued for a worker is matched by its opcode.  With ALL, the
	 * count is of the passes that found some: one pass removes every
	 * matching work item from the queue, so two NOPs count as 1.
	 */
	ASSERT_EQ(0, io_uring_register(self->r.fd,
				       IORING_REGISTER_IOWQ_MAX_WORKERS,
				       max, 2));
	fifo_open(&self->r, 1);
	nop(&self->r, 2, IOSQE_ASYNC);
	nop(&self->r, 3, IOSQE_ASYNC);
	ASSERT_EQ(3, ring_submit(&self->r));
	ASSERT_TRUE(wait_workers_blocked(1));
	sqe = prep_cancel(&self->r, 0, IORING_ASYNC_CANCEL_OP |
			  IORING_ASYNC_CANCEL_ALL, 4);
	sqe->len = IORING_OP_NOP;
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
	fd = open(FIFO, O_RDONLY | O_NONBLOCK);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(1, cqe.user_data);
	EXPECT_LE(0, cqe.res);
	EXPECT_TRUE(QUIET(&self->r));
	close(fd);
}

TEST_F_TIMEOUT(cancel, bad_sqe, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;

	poll_add(&self->r, self->pfd[0], POLLIN, 1, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	/* Unknown flags, ANY with FD or OP, off, splice_fd_in. */
	prep_cancel(&self->r, 1, 1U << 6, 2);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 2));
	prep_cancel(&self->r, 1, IORING_ASYNC_CANCEL_ANY |
		    IORING_ASYNC_CANCEL_FD, 2)->fd = self->pfd[0];
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 2));
	prep_cancel(&self->r, 1, IORING_ASYNC_CANCEL_ANY |
		    IORING_ASYNC_CANCEL_OP, 2)->len = IORING_OP_POLL_ADD;
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 2));
	prep_cancel(&self->r, 1, 0, 2)->off = 1;
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 2));
	prep_cancel(&self->r, 1, 0, 2)->splice_fd_in = 1;
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 2));
	/* A len without OP is ignored. */
	sqe = prep_cancel(&self->r, 12345, 0, 3);
	sqe->len = 1;
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 3));
	/* The target was not touched. */
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, sync_cancel, IOU_TIMEOUT)
{
	struct io_uring_cqe got[2];
	int i;
	struct cqe_want want[] = { { 1, -ECANCELED } };
	struct cqe_want want2[] = { { 2, -ECANCELED }, { 2, -ECANCELED } };
	struct cqe_want want3[] = { { 3, -ECANCELED } };

	/* Found: 0, and the request's CQE is there once it returns. */
	poll_add(&self->r, self->pfd[0], POLLIN, 1, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_EQ(0, sync_cancel(&self->r, 1, 0, 0, -1, -1));
	ASSERT_EQ(1, ring_cq_ready(&self->r));
	EXPECT_CQES(&self->r, want, got);
	/* Not found. */
	EXPECT_EQ(-ENOENT, sync_cancel(&self->r, 1, 0, 0, -1, -1));
	EXPECT_EQ(-ENOENT, sync_cancel(&self->r, 1, 0, 0, 1, 0));
	/* ALL: how many, as ASYNC_CANCEL says. */
	for (i = 0; i < 2; i++)
		poll_add(&self->r, self->pfd[0], POLLIN, 2, 0);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_EQ(2, sync_cancel(&self->r, 2, 0, IORING_ASYNC_CANCEL_ALL,
				 -1, -1));
	EXPECT_CQES(&self->r, want2, got);
	/* And ALL finding nothing: 0 as well. */
	EXPECT_EQ(0, sync_cancel(&self->r, 2, 0, IORING_ASYNC_CANCEL_ALL,
				 -1, -1));
	/* By fd. */
	poll_add(&self->r, self->pfd[0], POLLIN, 3, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_EQ(0, sync_cancel(&self->r, 0, self->pfd[0],
				 IORING_ASYNC_CANCEL_FD, -1, -1));
	EXPECT_CQES(&self->r, want3, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, sync_cancel_running, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, -EINTR } };
	struct io_uring_cqe got[1];
	int ret;

	/* the blocking request here is an OPENAT of a FIFO */
	if (!ring_op_supported(&self->r, IORING_OP_OPENAT))
		SKIP(return, "IORING_OP_OPENAT not supported");

	/*
	 * Work running in a worker: SYNC_CANCEL interrupts it and waits
	 * until it is gone, then returns 0.  6.1 sometimes misses the
	 * request going away and sleeps until its timeout (then -ETIME, or
	 * for ever without one): the timeout here is finite, and both are
	 * accepted.  The request's -EINTR is posted either way.
	 */
	fifo_open(&self->r, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_TRUE(wait_workers_blocked(1));
	ret = sync_cancel(&self->r, 1, 0, 0, 1, 0);
	EXPECT_TRUE(ret == 0 || ret == -ETIME) {
		TH_LOG("SYNC_CANCEL: %d", ret);
	}
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, sync_cancel_bad, IOU_TIMEOUT)
{
	struct io_uring_sync_cancel_reg reg;
	int fds[1] = { self->pfd[0] };

	poll_add(&self->r, self->pfd[0], POLLIN, 1, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	/* Unknown flags, padding. */
	EXPECT_EQ(-EINVAL, sync_cancel(&self->r, 1, 0, 1U << 6, -1, -1));
	memset(&reg, 0, sizeof(reg));
	reg.addr = 1;
	reg.timeout.tv_sec = -1;
	reg.timeout.tv_nsec = -1;
	reg.pad[3] = 1;
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_SYNC_CANCEL,
					     &reg, 1));
	/* An unreadable argument. */
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_SYNC_CANCEL,
					     (void *)8, 1));
	/* A bad fd; a fixed slot with no table, or out of it. */
	EXPECT_EQ(-EBADF, sync_cancel(&self->r, 0, 100000,
				      IORING_ASYNC_CANCEL_FD, -1, -1));
	EXPECT_EQ(-EBADF, sync_cancel(&self->r, 0, 0,
				      IORING_ASYNC_CANCEL_FD |
				      IORING_ASYNC_CANCEL_FD_FIXED, -1, -1));
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 1));
	EXPECT_EQ(-EBADF, sync_cancel(&self->r, 0, 1,
				      IORING_ASYNC_CANCEL_FD |
				      IORING_ASYNC_CANCEL_FD_FIXED, -1, -1));
	/* The poll was not touched. */
	EXPECT_TRUE(QUIET(&self->r));
	EXPECT_EQ(0, sync_cancel(&self->r, 1, 0, 0, -1, -1));
}

/* Multishot POLL_ADD and POLL_REMOVE updates. */

static struct io_uring_sqe *poll_multi(struct ring *r, int fd,
				       unsigned int events, __u64 user_data)
{
	struct io_uring_sqe *sqe = poll_add(r, fd, events, user_data, 0);

	sqe->len = IORING_POLL_ADD_MULTI;
	return sqe;
}

static struct io_uring_sqe *poll_update(struct ring *r, __u64 target,
					__u64 new_user_data,
					unsigned int events,
					unsigned int flags, __u64 user_data)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	ring_prep_rw(sqe, IORING_OP_POLL_REMOVE, -1, NULL, flags,
		     new_user_data, user_data);
	sqe->addr = target;
	sqe->poll32_events = ring_poll_mask(events);
	return sqe;
}

static void drain_pipe(int fd)
{
	char buf[64];
	int flags = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	fcntl(fd, F_SETFL, flags);
}

TEST_F_TIMEOUT(cancel, poll_multi, IOU_TIMEOUT)
{
	struct io_uring_cqe got[2];
	int i;
	struct cqe_want want[] = { { 1, -ECANCELED }, { 2, 0 } };
	struct cqe_want want2[] = { { 3, POLLIN, IORING_CQE_F_MORE } };
	struct cqe_want want3[] = { { 3, -ECANCELED }, { 4, 0 } };

	/* One CQE per event, each with IORING_CQE_F_MORE. */
	poll_multi(&self->r, self->pfd[0], POLLIN, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	for (i = 0; i < 3; i++) {
		struct cqe_want want[] = { { 1, POLLIN, IORING_CQE_F_MORE } };

		ASSERT_EQ(1, write(self->pfd[1], "x", 1));
		EXPECT_CQES(&self->r, want, got);
		EXPECT_TRUE(QUIET(&self->r));
		drain_pipe(self->pfd[0]);
	}
	/* Removed: a final -ECANCELED without MORE, and the remove's 0. */
	poll_update(&self->r, 1, 0, 0, 0, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_TRUE(QUIET(&self->r));
	drain_pipe(self->pfd[0]);

	/* Ready at submission: a first CQE at once, still armed. */
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	poll_multi(&self->r, self->pfd[0], POLLIN, 3);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want2, got);
	EXPECT_TRUE(QUIET(&self->r));
	/* ASYNC_CANCEL ends it the same way. */
	prep_cancel(&self->r, 3, 0, 4);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want3, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, poll_multi_hangup, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, POLLHUP, IORING_CQE_F_MORE } };
	struct cqe_want want2[] = { { 1, -ECANCELED }, { 2, 0 } };
	struct io_uring_cqe got[2];

	/*
	 * The writer going away: POLLHUP, and the poll stays armed (MORE);
	 * no further wakeup comes, it ends when removed.
	 */
	poll_multi(&self->r, self->pfd[0], POLLIN, 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	close(self->pfd[1]);
	self->pfd[1] = open("/dev/null", O_WRONLY);
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
	poll_update(&self->r, 1, 0, 0, 0, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want2, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, poll_multi_skip_refused, IOU_TIMEOUT)
{
	/* Multishot with IOSQE_CQE_SKIP_SUCCESS: -EINVAL. */
	poll_multi(&self->r, self->pfd[0], POLLIN, 1)->flags =
		IOSQE_CQE_SKIP_SUCCESS;
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 1));
}

TEST_F_TIMEOUT(cancel, poll_update_events, IOU_TIMEOUT)
{
	struct io_uring_cqe got[2];
	struct cqe_want want[] = { { 2, 0 }, { 1, POLLOUT } };
	struct cqe_want want2[] = { { 4, 0 } };
	struct cqe_want want3[] = { { 3, POLLIN } };

	/* A POLLIN poll on the write end never fires; make it POLLOUT. */
	poll_add(&self->r, self->pfd[1], POLLIN, 1, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	poll_update(&self->r, 1, 0, POLLOUT,
		    IORING_POLL_UPDATE_EVENTS, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
	/* An update that leaves it waiting: only the update's CQE. */
	poll_add(&self->r, self->pfd[0], POLLIN, 3, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	poll_update(&self->r, 3, 0, POLLIN | POLLPRI,
		    IORING_POLL_UPDATE_EVENTS, 4);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want2, got);
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_CQES(&self->r, want3, got);
	/* Nothing armed by that user_data. */
	poll_update(&self->r, 3, 0, POLLIN, IORING_POLL_UPDATE_EVENTS, 5);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 5));
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, poll_update_user_data, IOU_TIMEOUT)
{
	struct io_uring_cqe got[2];
	struct cqe_want want[] = { { 2, 0 } };
	struct cqe_want want2[] = { { 11, POLLIN } };
	struct cqe_want want3[] = {
		{ 5, 0 }, { 44, POLLOUT, IORING_CQE_F_MORE },
	};
	struct cqe_want want4[] = { { 44, -ECANCELED }, { 6, 0 } };

	poll_add(&self->r, self->pfd[0], POLLIN, 1, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	poll_update(&self->r, 1, 11, 0,
		    IORING_POLL_UPDATE_USER_DATA, 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	/* The old user_data is gone, the new one found. */
	poll_update(&self->r, 1, 12, 0, IORING_POLL_UPDATE_USER_DATA, 3);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 3));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_CQES(&self->r, want2, got);
	drain_pipe(self->pfd[0]);

	/* Both at once, on a multishot poll: it stays multishot. */
	poll_multi(&self->r, self->pfd[1], POLLIN, 4);
	ASSERT_EQ(1, ring_submit(&self->r));
	poll_update(&self->r, 4, 44, POLLOUT,
		    IORING_POLL_UPDATE_EVENTS |
		    IORING_POLL_UPDATE_USER_DATA |
		    IORING_POLL_ADD_MULTI, 5);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want3, got);
	prep_cancel(&self->r, 44, 0, 6);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want4, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, poll_update_bad, IOU_TIMEOUT)
{
	char c;

	poll_add(&self->r, self->pfd[0], POLLIN, 1, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	/* A new user_data without UPDATE_USER_DATA. */
	poll_update(&self->r, 1, 11, 0, 0, 2);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 2));
	/* Events without UPDATE_EVENTS; ADD_MULTI alone; unknown flags. */
	poll_update(&self->r, 1, 0, POLLIN, 0, 2);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 2));
	poll_update(&self->r, 1, 0, 0, IORING_POLL_ADD_MULTI, 2);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 2));
	poll_update(&self->r, 1, 0, 0, 1U << 10, 2);
	EXPECT_EQ(-EINVAL, one_res(_metadata, &self->r, 2));
	/* Only POLL_ADD requests are found: a waiting READ is not. */
	prep_read(&self->r, self->pfd[0], &c, 3, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	poll_update(&self->r, 3, 0, POLLIN, IORING_POLL_UPDATE_EVENTS, 4);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 4));
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, poll_multi_drain, IOU_TIMEOUT)
{
	struct io_uring_cqe got[2];
	struct cqe_want want[] = { { 1, POLLIN, IORING_CQE_F_MORE } };
	struct cqe_want want2[] = { { 1, -ECANCELED }, { 2, 0 } };

	/*
	 * A drain waits for a multishot poll to end: its MORE CQEs do not
	 * count, its final one does.  (Removed with SYNC_CANCEL: a
	 * POLL_REMOVE would itself be held behind the drain.)
	 */
	poll_multi(&self->r, self->pfd[0], POLLIN, 1);
	nop(&self->r, 2, IOSQE_IO_DRAIN);
	ASSERT_EQ(2, ring_submit(&self->r));
	EXPECT_TRUE(QUIET(&self->r));
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
	EXPECT_EQ(0, sync_cancel(&self->r, 1, 0, 0, -1, -1));
	EXPECT_CQES(&self->r, want2, got);
	EXPECT_BEFORE(got, 2, 1, 2);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, exec_with_armed, IOU_TIMEOUT)
{
	int status;
	pid_t pid;
	struct pollfd pfd = { .fd = self->pfd[0], .events = POLLIN };

	/* the request that sleeps in a worker is an OPENAT of a FIFO */
	if (!ring_op_supported(&self->r, IORING_OP_OPENAT))
		SKIP(return, "IORING_OP_OPENAT not supported");

	/*
	 * A child arms a poll, a read waiting in poll with a chain behind
	 * it, and an open sleeping in a worker, then execs: exec cancels
	 * them and the program runs to its end.
	 */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		struct ring r;
		char c;

		if (ring_init(&r, 8, 0))
			_exit(2);
		poll_add(&r, self->pfd[0], POLLIN, 1, 0);
		prep_read(&r, self->pfd[0], &c, 2, IOSQE_IO_LINK);
		nop(&r, 3, 0);
		fifo_open(&r, 4);
		if (ring_submit(&r) != 4)
			_exit(3);
		if (!wait_workers_blocked(1))
			_exit(4);
		execl("/bin/true", "true", NULL);
		_exit(5);
	}
	status = wait_child(pid, 5000);
	ASSERT_NE(-1, status) {
		TH_LOG("the child did not exit within 5s");
	}
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* Nothing of the child's still waits on the pipe. */
	ASSERT_EQ(1, write(self->pfd[1], "x", 1));
	EXPECT_EQ(1, poll(&pfd, 1, 1000));
}

TEST_F_TIMEOUT(cancel, other_task, IOU_TIMEOUT)
{
	int go[2], done[2], status, fd;
	pid_t pid;
	char c;
	struct cqe_want want[] = {
		{ 1, -ECANCELED }, { 3, 0 }, { 2, -EINTR },
		{ 4, -EALREADY },
	};
	struct io_uring_cqe got[4];

	/* the request that sleeps in a worker is an OPENAT of a FIFO */
	if (!ring_op_supported(&self->r, IORING_OP_OPENAT))
		SKIP(return, "IORING_OP_OPENAT not supported");

	/*
	 * A child submits on the ring it shares with us, a poll and an open
	 * sleeping in its own worker, and stays.  We cancel both: the poll
	 * is found (0), the open is interrupted in the child's worker
	 * (-EALREADY for the cancel, -EINTR for the open).
	 */
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		poll_add(&self->r, self->pfd[0], POLLIN, 1, 0);
		fifo_open(&self->r, 2);
		if (ring_submit(&self->r) != 2)
			_exit(2);
		if (write(go[1], "g", 1) != 1)
			_exit(3);
		/* Until the parent is done with our requests. */
		if (read(done[0], &c, 1) != 1)
			_exit(4);
		_exit(0);
	}
	ASSERT_EQ(1, read(go[0], &c, 1));
	ring_resync_sq(&self->r);
	ASSERT_TRUE(wait_pid_workers_blocked(pid, 1));
	EXPECT_TRUE(QUIET(&self->r));
	prep_cancel(&self->r, 1, 0, 3);
	ASSERT_EQ(1, ring_submit(&self->r));
	prep_cancel(&self->r, 2, 0, 4);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	fd = open(FIFO, O_RDONLY | O_NONBLOCK);
	ASSERT_GE(fd, 0);
	EXPECT_TRUE(QUIET(&self->r));
	close(fd);
	ASSERT_EQ(1, write(done[1], "d", 1));
	status = wait_child(pid, 5000);
	ASSERT_NE(-1, status);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(go[0]);
	close(go[1]);
	close(done[0]);
	close(done[1]);
}

TEST_F_TIMEOUT(cancel, link_timeout_not_found, IOU_TIMEOUT)
{
	struct __kernel_timespec ts = { .tv_sec = 100 };
	struct cqe_want want[] = {
		{ 1, -ECANCELED }, { 2, -ECANCELED }, { 4, 0 },
	};
	struct io_uring_cqe got[3];
	struct io_uring_sqe *sqe;
	char c;

	/*
	 * An armed linked timeout is not found by its user_data; cancelling
	 * its request cancels it too.
	 */
	prep_read(&self->r, self->pfd[0], &c, 1, IOSQE_IO_LINK);
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_LINK_TIMEOUT, -1, &ts, 1, 0, 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	prep_cancel(&self->r, 2, 0, 3);
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 3));
	EXPECT_TRUE(QUIET(&self->r));
	prep_cancel(&self->r, 1, 0, 4);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_F_TIMEOUT(cancel, from_worker, IOU_TIMEOUT)
{
	struct cqe_want want[] = { { 1, -ECANCELED }, { 2, 0 } };
	struct io_uring_cqe got[2];

	/* An ASYNC_CANCEL issued from a worker (IOSQE_ASYNC) finds the same. */
	poll_add(&self->r, self->pfd[0], POLLIN, 1, 0);
	ASSERT_EQ(1, ring_submit(&self->r));
	prep_cancel(&self->r, 1, 0, 2)->flags = IOSQE_ASYNC;
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_CQES(&self->r, want, got);
	prep_cancel(&self->r, 1, 0, 3)->flags = IOSQE_ASYNC;
	EXPECT_EQ(-ENOENT, one_res(_metadata, &self->r, 3));
	EXPECT_TRUE(QUIET(&self->r));
}

TEST_HARNESS_MAIN
