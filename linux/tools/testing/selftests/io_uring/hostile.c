// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile arguments to io_uring_setup(2), io_uring_enter(2) and
 * io_uring_register(2): every argument with values a careless or malicious
 * caller might pass, each answered with the errno 6.1 gives.  The plain
 * cases are in setup.c, enter.c, register.c, sqpoll.c and cancel.c; these
 * are the ones left: kernel and half-mapped pointers, every unknown bit,
 * bounds, the order in which 6.1 checks its arguments, and ring state
 * written by userspace.  Each case also checks that the process has the
 * fds it had before (the fixture's teardown).
 *
 * Where 6.1 has a feature the kernel under test lacks, the case asks the
 * kernel (a feature bit, or a harmless call) and then accepts the answer
 * for an unknown flag or opcode, -EINVAL; the comment says which.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/uio.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define ENTRIES		8
#define PROBE_OPS	256
#define MAX_REG_BUFFERS	16384U	/* 6.1's IORING_MAX_REG_BUFFERS */
#define MAX_FIXED_FILES	1048576U	/* 6.1's IORING_MAX_FIXED_FILES */
#define RINGFD_REG_MAX	16		/* 6.1's IO_RINGFD_REG_MAX */

/* An address in the kernel half: no copy_from_user() may read it. */
#define KADDR		((void *)0xffffffff81000000UL)

/* Entries of /proc/self/fd, or -1. */
static int count_fds(void)
{
	int n = proc_count("/proc/self/fd", NULL, NULL);

	/* not the one the count opened */
	return n < 0 ? n : n - 1;
}

/* Threads of this process whose comm starts with @prefix. */
static int count_threads(const char *prefix)
{
	return proc_count("/proc/self/task", prefix, NULL);
}

static size_t page_sz(void)
{
	return getpagesize();
}

/*
 * Two pages, the second PROT_NONE: the last @len bytes of the first page.
 * A @len larger than what fits reaches into the unmapped page.
 */
static void *edge(size_t fits)
{
	char *p = mmap(NULL, 2 * page_sz(), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + page_sz(), page_sz(), PROT_NONE)) {
		munmap(p, 2 * page_sz());
		return NULL;
	}
	return p + page_sz() - fits;
}

static void edge_free(void *e)
{
	munmap((void *)((uintptr_t)e & ~(page_sz() - 1)), 2 * page_sz());
}

/* An address that was mapped and is no more. */
static void *unmapped(void)
{
	void *p = mmap(NULL, page_sz(), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		munmap(p, page_sz());
	return p;
}

/* A zeroed page that can only be read. */
static void *read_only(void)
{
	void *p = mmap(NULL, page_sz(), PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int opath_fd(void)
{
	return open("/", O_PATH | O_CLOEXEC);
}

static int dir_fd(void)
{
	return open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static int setup_flags(unsigned int entries, unsigned int flags)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	return io_uring_setup(entries, &p);
}

/* Expect io_uring_setup() to fail with @err; close a ring it made anyway. */
static int setup_err(struct io_uring_params *p, unsigned int entries)
{
	int ret = io_uring_setup(entries, p);

	if (ret >= 0) {
		close(ret);
		return 0;
	}
	return ret;
}

/* Written by the signal handler, so always accessed atomically. */
static int got_alarm;

static void on_alarm(int sig)
{
	__atomic_store_n(&got_alarm, 1, __ATOMIC_RELAXED);
}

/* A SIGALRM after @ms, without SA_RESTART: a wait returns EINTR. */
static int alarm_ms(long ms)
{
	struct itimerval it = {
		.it_value.tv_sec = ms / 1000,
		.it_value.tv_usec = (ms % 1000) * 1000,
	};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))
		return -1;
	return setitimer(ITIMER_REAL, &it, NULL);
}

static void alarm_off(void)
{
	struct itimerval it = { };

	setitimer(ITIMER_REAL, &it, NULL);
}

static int enter_ext(int fd, unsigned int min_complete, unsigned int flags,
		     struct io_uring_getevents_arg *arg)
{
	return io_uring_enter2(fd, 0, min_complete,
			       flags | IORING_ENTER_GETEVENTS |
			       IORING_ENTER_EXT_ARG, arg, sizeof(*arg));
}

/* Queue @n NOPs and submit them; returns what io_uring_enter() said. */
static int nops(struct ring *r, int n)
{
	int i;

	for (i = 0; i < n; i++)
		ring_prep_nop(ring_get_sqe(r), i + 1);
	return ring_submit(r);
}

/* Does the kernel register ring fds (IORING_REGISTER_RING_FDS, 5.18)? */
static bool has_ring_fds(struct ring *r)
{
	struct io_uring_rsrc_update up = {
		.offset = -1U,
		.data = r->fd,
	};

	if (io_uring_register(r->fd, IORING_REGISTER_RING_FDS, &up, 1) != 1)
		return false;
	up.data = 0;
	io_uring_register(r->fd, IORING_UNREGISTER_RING_FDS, &up, 1);
	return true;
}

/* The fixture: a ring, a pipe, and the fd count to come back to. */
FIXTURE(hostile) {
	struct ring r;
	int pfd[2];
	int fds;
};

FIXTURE_SETUP(hostile)
{
	self->fds = count_fds();
	ASSERT_GE(self->fds, 0);
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, 0));
	ASSERT_EQ(0, pipe(self->pfd));
}

FIXTURE_TEARDOWN(hostile)
{
	alarm_off();
	close(self->pfd[0]);
	close(self->pfd[1]);
	ring_exit(&self->r);
	/* no fd was left behind by a failed call */
	EXPECT_EQ(self->fds, count_fds());
}

/*
 * ======================================================================
 * io_uring_setup(2)
 * ======================================================================
 */

TEST_F_TIMEOUT(hostile, setup_every_unknown_flag_bit, IOU_TIMEOUT)
{
	/* 6.1 knows bits 0-13; later kernels define a few more. */
	int bit, first = kernel_newer_than(6, 1) ? 24 : 14;

	for (bit = first; bit < 32; bit++) {
		EXPECT_EQ(-EINVAL, setup_flags(ENTRIES, 1U << bit)) {
			TH_LOG("flag bit %d", bit);
		}
		EXPECT_EQ(-EINVAL, setup_flags(ENTRIES, IORING_SETUP_CLAMP |
						       (1U << bit))) {
			TH_LOG("flag bit %d with CLAMP", bit);
		}
	}
	/* The flags are checked before the sizes. */
	EXPECT_EQ(-EINVAL, setup_flags(0, 1U << 31));
}

/*
 * Combinations 6.1 refuses even though each flag is known.  (A kernel
 * without the task-run flags refuses them as unknown: -EINVAL as well.)
 */
TEST_F_TIMEOUT(hostile, setup_refused_flag_combinations, IOU_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, setup_flags(ENTRIES, IORING_SETUP_SQPOLL |
					       IORING_SETUP_COOP_TASKRUN));
	EXPECT_EQ(-EINVAL, setup_flags(ENTRIES, IORING_SETUP_SQPOLL |
					       IORING_SETUP_TASKRUN_FLAG));
	EXPECT_EQ(-EINVAL, setup_flags(ENTRIES, IORING_SETUP_SQPOLL |
					       IORING_SETUP_DEFER_TASKRUN |
					       IORING_SETUP_SINGLE_ISSUER));
	/* TASKRUN_FLAG needs COOP_TASKRUN (or DEFER_TASKRUN) */
	EXPECT_EQ(-EINVAL, setup_flags(ENTRIES, IORING_SETUP_TASKRUN_FLAG));
	/* DEFER_TASKRUN needs SINGLE_ISSUER */
	EXPECT_EQ(-EINVAL, setup_flags(ENTRIES, IORING_SETUP_DEFER_TASKRUN));
	/* No SQ thread was left behind. */
	EXPECT_EQ(0, count_threads("iou-sqp-"));
}

/* resv[] is checked before anything else, whatever the rest says. */
TEST_F_TIMEOUT(hostile, setup_resv_checked_first, IOU_TIMEOUT)
{
	struct io_uring_params p;
	int i;

	for (i = 0; i < 3; i++) {
		memset(&p, 0, sizeof(p));
		p.resv[i] = 0x80000000U;
		EXPECT_EQ(-EINVAL, setup_err(&p, ENTRIES));
		/* with a size that is fine otherwise, and one that is not */
		p.flags = IORING_SETUP_CQSIZE;
		p.cq_entries = 64;
		EXPECT_EQ(-EINVAL, setup_err(&p, ENTRIES));
		EXPECT_EQ(-EINVAL, setup_err(&p, 0));
	}
}

/*
 * What the kernel writes (sq_entries, cq_entries without CQSIZE, features,
 * the offsets) and what the flags do not ask for (sq_thread_cpu,
 * sq_thread_idle, wq_fd) is not read: garbage there is no error.
 */
TEST_F_TIMEOUT(hostile, setup_output_and_unused_fields_ignored, IOU_TIMEOUT)
{
	struct io_uring_params p;
	struct ring r;

	memset(&p, 0xff, sizeof(p));
	memset(&p.resv, 0, sizeof(p.resv));
	p.flags = 0;
	p.wq_fd = 1000000;
	memset(&r, 0, sizeof(r));
	r.fd = io_uring_setup(ENTRIES, &p);
	ASSERT_GE(r.fd, 0);
	EXPECT_EQ(ENTRIES, p.sq_entries);
	EXPECT_EQ(2 * ENTRIES, p.cq_entries);
	EXPECT_EQ(0, p.sq_off.resv1);
	EXPECT_EQ(0, p.sq_off.resv2);
	EXPECT_EQ(0, p.cq_off.resv1);
	EXPECT_EQ(0, p.cq_off.resv2);
	EXPECT_NE(~0U, p.features);
	/* the values handed back work */
	r.p = p;
	ASSERT_EQ(0, ring_mmap(&r));
	EXPECT_EQ(0, ring_run_one(&r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	ring_exit(&r);
}

TEST_F_TIMEOUT(hostile, setup_params_kernel_and_edge_pointers, IOU_TIMEOUT)
{
	struct io_uring_params *p;

	EXPECT_EQ(-EFAULT, io_uring_setup(ENTRIES, KADDR));
	EXPECT_EQ(-EFAULT, io_uring_setup(ENTRIES, (void *)-1L));
	EXPECT_EQ(-EFAULT, io_uring_setup(ENTRIES, (void *)8));
	/* all but the last byte mapped */
	p = edge(sizeof(*p) - 1);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EFAULT, io_uring_setup(ENTRIES, p));
	edge_free(p);
	/* exactly mapped: fine */
	p = edge(sizeof(*p));
	ASSERT_NE(NULL, p);
	memset(p, 0, sizeof(*p));
	EXPECT_LE(0, setup_err(p, ENTRIES));
	edge_free(p);
}

/*
 * Params that can be read but not written back: the ring is built, then
 * the copy back fails.  Nothing must be left: no fd (the fixture checks),
 * no SQ thread, and the next fd number is the one that was free before.
 */
TEST_F_TIMEOUT(hostile, setup_params_read_only_leaves_nothing, IOU_TIMEOUT)
{
	struct io_uring_params *p = read_only();
	struct timespec start;
	int fd, next, n;

	ASSERT_NE(NULL, p);
	next = dup(0);
	ASSERT_GE(next, 0);
	close(next);
	EXPECT_EQ(-EFAULT, io_uring_setup(ENTRIES, p));
	/* read-only zeroes, so no flags: a plain ring, and an SQPOLL one */
	ASSERT_EQ(0, mprotect(p, page_sz(), PROT_READ | PROT_WRITE));
	p->flags = IORING_SETUP_SQPOLL;
	p->sq_thread_idle = 10;
	ASSERT_EQ(0, mprotect(p, page_sz(), PROT_READ));
	EXPECT_EQ(-EFAULT, io_uring_setup(ENTRIES, p));
	fd = dup(0);
	EXPECT_EQ(next, fd);
	close(fd);
	/* the SQ thread of the failed SQPOLL setup goes (asynchronously) */
	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((n = count_threads("iou-sqp-")) > 0 && ms_since(&start) < 3000)
		usleep(10 * 1000);
	EXPECT_EQ(0, n);
	munmap(p, page_sz());
}

TEST_F_TIMEOUT(hostile, setup_cqsize_below_clamped_sq, IOU_TIMEOUT)
{
	struct io_uring_params p;

	/* the SQ is clamped to 32768, then a CQ of 1 is too small */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CLAMP | IORING_SETUP_CQSIZE;
	p.cq_entries = 1;
	EXPECT_EQ(-EINVAL, setup_err(&p, UINT_MAX));
	/* a CQ of 2^31 is clamped to the maximum before rounding */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CLAMP | IORING_SETUP_CQSIZE;
	p.cq_entries = 0x80000001U;
	EXPECT_LE(0, setup_err(&p, 1));
	EXPECT_EQ(IOU_MAX_CQ_ENTRIES, p.cq_entries);
	/* entries of 2^31 + 1 round up past 32 bits without CLAMP */
	memset(&p, 0, sizeof(p));
	EXPECT_EQ(-EINVAL, setup_err(&p, 0x80000001U));
}

/* wq_fd of every wrong kind (sqpoll.c has the closed fd and the pipe). */
TEST_F_TIMEOUT(hostile, setup_wq_fd_hostile, IOU_TIMEOUT)
{
	static const unsigned int flags[] = {
		IORING_SETUP_ATTACH_WQ,
		IORING_SETUP_ATTACH_WQ | IORING_SETUP_SQPOLL,
	};
	struct io_uring_params p;
	int i, op = opath_fd(), dir = dir_fd();

	ASSERT_GE(op, 0);
	ASSERT_GE(dir, 0);
	for (i = 0; i < 2; i++) {
		memset(&p, 0, sizeof(p));
		p.flags = flags[i];
		/* an O_PATH fd is no file to fdget() */
		p.wq_fd = op;
		EXPECT_EQ(-ENXIO, setup_err(&p, ENTRIES));
		p.wq_fd = INT_MAX;
		EXPECT_EQ(-ENXIO, setup_err(&p, ENTRIES));
		p.wq_fd = 0x80000000U;
		EXPECT_EQ(-ENXIO, setup_err(&p, ENTRIES));
		/* a file, but no ring */
		p.wq_fd = dir;
		EXPECT_EQ(-EINVAL, setup_err(&p, ENTRIES));
	}
	EXPECT_EQ(0, count_threads("iou-sqp-"));
	close(op);
	close(dir);
}

/*
 * ======================================================================
 * io_uring_enter(2)
 * ======================================================================
 */

TEST_F_TIMEOUT(hostile, enter_fd_of_every_kind, IOU_TIMEOUT)
{
	int op = opath_fd(), dir = dir_fd();
	int efd = eventfd(0, EFD_CLOEXEC);

	ASSERT_GE(op, 0);
	ASSERT_GE(dir, 0);
	ASSERT_GE(efd, 0);
	EXPECT_EQ(-EBADF, io_uring_enter(op, 1, 1, IORING_ENTER_GETEVENTS));
	EXPECT_EQ(-EBADF, io_uring_enter(INT_MAX, 0, 0, 0));
	EXPECT_EQ(-EBADF, io_uring_enter(-2, 0, 0, 0));
	EXPECT_EQ(-EOPNOTSUPP, io_uring_enter(dir, 1, 1,
					      IORING_ENTER_GETEVENTS));
	EXPECT_EQ(-EOPNOTSUPP, io_uring_enter(efd, 0, 0, 0));
	close(op);
	close(dir);
	close(efd);
}

TEST_F_TIMEOUT(hostile, enter_every_unknown_flag_bit, IOU_TIMEOUT)
{
	/* 6.1 knows bits 0-4; later kernels define a few more. */
	int bit, first = kernel_newer_than(6, 1) ? 16 : 5;

	for (bit = first; bit < 32; bit++) {
		EXPECT_EQ(-EINVAL, io_uring_enter(self->r.fd, 0, 0,
						  1U << bit)) {
			TH_LOG("flag bit %d", bit);
		}
		/* checked before the fd is looked at */
		EXPECT_EQ(-EINVAL, io_uring_enter(-1, 0, 0, 1U << bit)) {
			TH_LOG("flag bit %d, bad fd", bit);
		}
	}
	/* and before anything is submitted */
	ring_prep_nop(ring_get_sqe(&self->r), 1);
	ring_flush_sq(&self->r);
	EXPECT_EQ(-EINVAL, io_uring_enter(self->r.fd, 1, 0, 1U << 31));
	EXPECT_EQ(0, ring_cq_ready(&self->r));
	EXPECT_EQ(1, io_uring_enter(self->r.fd, 1, 0, 0));
}

/* The SQPOLL flags mean nothing to a ring without an SQ thread. */
TEST_F_TIMEOUT(hostile, enter_sq_flags_without_sqpoll, IOU_TIMEOUT)
{
	EXPECT_EQ(0, io_uring_enter(self->r.fd, 0, 0, IORING_ENTER_SQ_WAKEUP));
	EXPECT_EQ(0, io_uring_enter(self->r.fd, 0, 0, IORING_ENTER_SQ_WAIT));
	EXPECT_EQ(2, nops(&self->r, 2));
	EXPECT_EQ(0, io_uring_enter(self->r.fd, 0, 2,
				    IORING_ENTER_GETEVENTS |
				    IORING_ENTER_SQ_WAKEUP |
				    IORING_ENTER_SQ_WAIT));
}

/*
 * IORING_ENTER_REGISTERED_RING with nothing registered: 6.1 answers
 * -EINVAL for an index past its table (16 slots) and -EBADF for an empty
 * slot.  A kernel that cannot register ring fds knows no such flag:
 * -EINVAL for all.
 */
TEST_F_TIMEOUT(hostile, enter_registered_ring_without_one, IOU_TIMEOUT)
{
	int empty = has_ring_fds(&self->r) ? -EBADF : -EINVAL;
	unsigned int idx;

	for (idx = 0; idx < RINGFD_REG_MAX; idx++)
		EXPECT_EQ(empty, io_uring_enter(idx, 0, 0,
						IORING_ENTER_REGISTERED_RING));
	EXPECT_EQ(-EINVAL, io_uring_enter(RINGFD_REG_MAX, 0, 0,
					  IORING_ENTER_REGISTERED_RING));
	EXPECT_EQ(-EINVAL, io_uring_enter(UINT_MAX, 0, 0,
					  IORING_ENTER_REGISTERED_RING));
	EXPECT_EQ(-EINVAL, io_uring_enter(0, 0, 0,
					  IORING_ENTER_REGISTERED_RING |
					  (1U << 31)));
}

TEST_F_TIMEOUT(hostile, enter_to_submit_huge, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	int i;

	EXPECT_EQ(0, io_uring_enter(self->r.fd, UINT_MAX, 0, 0));
	EXPECT_EQ(0, io_uring_enter(self->r.fd, 0x80000000U, 0, 0));
	for (i = 0; i < 3; i++)
		ring_prep_nop(ring_get_sqe(&self->r), i + 1);
	ring_flush_sq(&self->r);
	/* what is queued, not what was asked for, and no sign trouble */
	EXPECT_EQ(3, io_uring_enter(self->r.fd, UINT_MAX, 0, 0));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, ring_peek_cqe(&self->r, &cqe));
	EXPECT_EQ(-EAGAIN, ring_peek_cqe(&self->r, &cqe));
}

/*
 * A tail written far ahead of the head: at most the SQ's size is taken in
 * one call (each index in the array is that of a zeroed SQE: a NOP).
 */
TEST_F_TIMEOUT(hostile, enter_sq_tail_far_ahead, IOU_TIMEOUT)
{
	struct ring *r = &self->r;
	struct io_uring_cqe cqe;
	int n = 0;

	memset(r->sqes, 0, r->sqes_sz);
	memset(r->sq_array, 0, ENTRIES * sizeof(*r->sq_array));
	/* Pairs with the kernel's load-acquire of sq.tail. */
	__atomic_store_n(r->sq_tail, 1000, __ATOMIC_RELEASE);
	EXPECT_EQ(ENTRIES, io_uring_enter(r->fd, UINT_MAX, 0, 0));
	EXPECT_EQ(ENTRIES, __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE));
	while (!ring_peek_cqe(r, &cqe)) {
		EXPECT_EQ(0, cqe.res);
		n++;
	}
	EXPECT_EQ(ENTRIES, n);
}

TEST_F_TIMEOUT(hostile, enter_min_complete_without_getevents, IOU_TIMEOUT)
{
	ASSERT_EQ(0, alarm_ms(2000));
	EXPECT_EQ(0, io_uring_enter(self->r.fd, 0, UINT_MAX, 0));
	EXPECT_EQ(0, io_uring_enter(self->r.fd, 0, 1, IORING_ENTER_SQ_WAKEUP));
	alarm_off();
}

/* min_complete is cut down to the CQ's size: a full CQ ends the wait. */
TEST_F_TIMEOUT(hostile, enter_min_complete_clamped_to_cq, IOU_TIMEOUT)
{
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 1, 0));
	ASSERT_EQ(2, r.p.cq_entries);
	EXPECT_EQ(1, nops(&r, 1));
	EXPECT_EQ(1, nops(&r, 1));
	ASSERT_EQ(0, alarm_ms(2000));
	EXPECT_EQ(0, io_uring_enter(r.fd, 0, UINT_MAX,
				    IORING_ENTER_GETEVENTS));
	EXPECT_EQ(0, io_uring_enter(r.fd, 0, 3, IORING_ENTER_GETEVENTS));
	alarm_off();
	EXPECT_EQ(2, ring_cq_ready(&r));
	ring_exit(&r);
}

/* Without GETEVENTS, IORING_ENTER_EXT_ARG's argument is not looked at. */
TEST_F_TIMEOUT(hostile, enter_ext_arg_without_getevents, IOU_TIMEOUT)
{
	EXPECT_EQ(0, io_uring_enter2(self->r.fd, 0, 0, IORING_ENTER_EXT_ARG,
				     KADDR, 3));
	EXPECT_EQ(0, io_uring_enter2(self->r.fd, 0, 1, IORING_ENTER_EXT_ARG,
				     NULL, 0));
	EXPECT_EQ(1, nops(&self->r, 1));
}

TEST_F_TIMEOUT(hostile, enter_ext_arg_bad_pointers, IOU_TIMEOUT)
{
	struct __kernel_timespec ts = { .tv_nsec = 10 * 1000000L };
	struct io_uring_getevents_arg *arg;
	size_t sz = sizeof(*arg);

	ASSERT_EQ(0, alarm_ms(2000));
	EXPECT_EQ(-EFAULT, io_uring_enter2(self->r.fd, 0, 1,
					   IORING_ENTER_GETEVENTS |
					   IORING_ENTER_EXT_ARG, NULL, sz));
	EXPECT_EQ(-EFAULT, io_uring_enter2(self->r.fd, 0, 1,
					   IORING_ENTER_GETEVENTS |
					   IORING_ENTER_EXT_ARG, KADDR, sz));
	EXPECT_EQ(-EFAULT, io_uring_enter2(self->r.fd, 0, 1,
					   IORING_ENTER_GETEVENTS |
					   IORING_ENTER_EXT_ARG, unmapped(),
					   sz));
	/* the last byte unmapped */
	arg = edge(sz - 1);
	ASSERT_NE(NULL, arg);
	memset(arg, 0, sz - 1);
	EXPECT_EQ(-EFAULT, io_uring_enter2(self->r.fd, 0, 1,
					   IORING_ENTER_GETEVENTS |
					   IORING_ENTER_EXT_ARG, arg, sz));
	edge_free(arg);
	/* exactly mapped, and read-only: only read, so fine */
	arg = edge(sz);
	ASSERT_NE(NULL, arg);
	memset(arg, 0, sz);
	arg->ts = (__u64)(uintptr_t)&ts;
	ASSERT_EQ(0, mprotect((void *)((uintptr_t)arg & ~(page_sz() - 1)),
			      page_sz(), PROT_READ));
	EXPECT_EQ(-ETIME, enter_ext(self->r.fd, 1, 0, arg));
	edge_free(arg);
	alarm_off();
}

/* 6.1: the pad word of io_uring_getevents_arg must be zero. */
TEST_F_TIMEOUT(hostile, enter_ext_arg_pad, IOU_TIMEOUT)
{
	struct __kernel_timespec ts = { .tv_nsec = 10 * 1000000L };
	struct io_uring_getevents_arg arg;

	/* Since 6.12 the pad word is min_wait_usec. */
	if (kernel_newer_than(6, 1))
		SKIP(return, "pad is min_wait_usec on this kernel");
	memset(&arg, 0, sizeof(arg));
	arg.ts = (__u64)(uintptr_t)&ts;
	arg.pad = 1;
	ASSERT_EQ(0, alarm_ms(2000));
	EXPECT_EQ(-EINVAL, enter_ext(self->r.fd, 1, 0, &arg));
	arg.pad = 0x80000000U;
	EXPECT_EQ(-EINVAL, enter_ext(self->r.fd, 1, 0, &arg));
	/* even when there is nothing to wait for */
	EXPECT_EQ(-EINVAL, enter_ext(self->r.fd, 0, 0, &arg));
	arg.pad = 0;
	EXPECT_EQ(-ETIME, enter_ext(self->r.fd, 1, 0, &arg));
	alarm_off();
}

TEST_F_TIMEOUT(hostile, enter_ext_arg_bad_timespec, IOU_TIMEOUT)
{
	struct __kernel_timespec *ts;
	struct io_uring_getevents_arg arg;
	int ret;

	memset(&arg, 0, sizeof(arg));
	ASSERT_EQ(0, alarm_ms(2000));
	/* a wait that needs the timeout cannot read it */
	arg.ts = (__u64)(uintptr_t)unmapped();
	EXPECT_EQ(-EFAULT, enter_ext(self->r.fd, 1, 0, &arg));
	arg.ts = (__u64)(uintptr_t)KADDR;
	EXPECT_EQ(-EFAULT, enter_ext(self->r.fd, 1, 0, &arg));
	ts = edge(sizeof(*ts) - 1);
	ASSERT_NE(NULL, ts);
	arg.ts = (__u64)(uintptr_t)ts;
	EXPECT_EQ(-EFAULT, enter_ext(self->r.fd, 1, 0, &arg));
	edge_free(ts);

	/*
	 * With the CQE already there, 6.1 returns before it reads the
	 * timespec (0); later kernels (6.12) read it up front (-EFAULT), as
	 * does ours.  Both refuse it whenever it is needed.
	 */
	EXPECT_EQ(1, nops(&self->r, 1));
	arg.ts = (__u64)(uintptr_t)KADDR;
	ret = enter_ext(self->r.fd, 1, 0, &arg);
	EXPECT_TRUE(ret == 0 || ret == -EFAULT) {
		TH_LOG("ret %d", ret);
	}
	alarm_off();
}

TEST_F_TIMEOUT(hostile, enter_ext_arg_bad_sigmask, IOU_TIMEOUT)
{
	struct __kernel_timespec ts = { .tv_nsec = 10 * 1000000L };
	struct io_uring_getevents_arg arg;
	sigset_t mask;

	sigemptyset(&mask);
	memset(&arg, 0, sizeof(arg));
	arg.ts = (__u64)(uintptr_t)&ts;
	ASSERT_EQ(0, alarm_ms(2000));
	/* a size that is not the kernel's sigset_t */
	arg.sigmask = (__u64)(uintptr_t)&mask;
	arg.sigmask_sz = 0;
	EXPECT_EQ(-EINVAL, enter_ext(self->r.fd, 1, 0, &arg));
	arg.sigmask_sz = 4;
	EXPECT_EQ(-EINVAL, enter_ext(self->r.fd, 1, 0, &arg));
	arg.sigmask_sz = UINT_MAX;
	EXPECT_EQ(-EINVAL, enter_ext(self->r.fd, 1, 0, &arg));
	/* the right size somewhere unreadable */
	arg.sigmask_sz = _NSIG / 8;
	arg.sigmask = (__u64)(uintptr_t)unmapped();
	EXPECT_EQ(-EFAULT, enter_ext(self->r.fd, 1, 0, &arg));
	arg.sigmask = (__u64)(uintptr_t)KADDR;
	EXPECT_EQ(-EFAULT, enter_ext(self->r.fd, 1, 0, &arg));
	/* no sigmask: its size is not looked at */
	arg.sigmask = 0;
	arg.sigmask_sz = 12345;
	EXPECT_EQ(-ETIME, enter_ext(self->r.fd, 1, 0, &arg));
	alarm_off();
}

/* Without EXT_ARG the argument is the sigmask itself. */
TEST_F_TIMEOUT(hostile, enter_sigmask_bad_pointer, IOU_TIMEOUT)
{
	void *gone = unmapped();

	ASSERT_EQ(0, alarm_ms(2000));
	EXPECT_EQ(-EFAULT, io_uring_enter2(self->r.fd, 0, 1,
					   IORING_ENTER_GETEVENTS, gone,
					   _NSIG / 8));
	EXPECT_EQ(-EFAULT, io_uring_enter2(self->r.fd, 0, 1,
					   IORING_ENTER_GETEVENTS, KADDR,
					   _NSIG / 8));
	/* only read when the call has to wait */
	EXPECT_EQ(1, nops(&self->r, 1));
	EXPECT_EQ(0, io_uring_enter2(self->r.fd, 0, 1,
				     IORING_ENTER_GETEVENTS, gone,
				     _NSIG / 8));
	EXPECT_EQ(0, io_uring_enter2(self->r.fd, 0, 1,
				     IORING_ENTER_GETEVENTS, gone, 3));
	alarm_off();
}

/* A NULL sigmask with any size is no sigmask: the wait just waits. */
TEST_F_TIMEOUT(hostile, enter_null_sigmask_any_size, IOU_TIMEOUT)
{
	__atomic_store_n(&got_alarm, 0, __ATOMIC_RELAXED);
	ASSERT_EQ(0, alarm_ms(100));
	EXPECT_EQ(-EINTR, io_uring_enter2(self->r.fd, 0, 1,
					  IORING_ENTER_GETEVENTS, NULL,
					  12345));
	EXPECT_EQ(1, __atomic_load_n(&got_alarm, __ATOMIC_RELAXED));
}

/*
 * A CQ head written past the tail: 6.1 counts tail - head as the CQEs
 * ready, so a wait returns at once ("if user messes with these they will
 * just get an early return"); nothing hangs, and a sane head makes the
 * ring work again.
 */
TEST_F_TIMEOUT(hostile, enter_cq_head_past_tail, IOU_TIMEOUT)
{
	struct ring *r = &self->r;
	unsigned int head = *r->cq_head;
	struct io_uring_cqe cqe;

	__atomic_store_n(r->cq_head, head + 100, __ATOMIC_RELEASE);
	ASSERT_EQ(0, alarm_ms(2000));
	EXPECT_EQ(0, io_uring_enter(r->fd, 0, 1, IORING_ENTER_GETEVENTS));
	alarm_off();
	__atomic_store_n(r->cq_head, head, __ATOMIC_RELEASE);
	EXPECT_EQ(0, ring_run_one(r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	EXPECT_EQ(-EAGAIN, ring_peek_cqe(r, &cqe));
}

/*
 * ======================================================================
 * io_uring_register(2)
 * ======================================================================
 */

/* 6.1 checks the opcode before it looks up the fd. */
TEST_F_TIMEOUT(hostile, register_opcode_out_of_range, IOU_TIMEOUT)
{
	static const unsigned int ops[] = {
		IORING_REGISTER_LAST, IORING_REGISTER_LAST + 1, 255, 1000,
		0x80000000U, UINT_MAX,
	};
	int i, op = opath_fd();

	ASSERT_GE(op, 0);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd, ops[i],
						     NULL, 0));
		EXPECT_EQ(-EINVAL, io_uring_register(-2, ops[i], NULL, 0)) {
			TH_LOG("opcode %u, bad fd", ops[i]);
		}
		EXPECT_EQ(-EINVAL, io_uring_register(INT_MAX, ops[i],
						     NULL, 0));
		EXPECT_EQ(-EINVAL, io_uring_register(self->pfd[0], ops[i],
						     NULL, 0)) {
			TH_LOG("opcode %u, pipe fd", ops[i]);
		}
		EXPECT_EQ(-EINVAL, io_uring_register(op, ops[i], NULL, 0));
	}
	close(op);
}

TEST_F_TIMEOUT(hostile, register_fd_of_every_kind, IOU_TIMEOUT)
{
	int op = opath_fd(), dir = dir_fd();
	int efd = eventfd(0, EFD_CLOEXEC);

	ASSERT_GE(op, 0);
	ASSERT_GE(dir, 0);
	ASSERT_GE(efd, 0);
	EXPECT_EQ(-EBADF, io_uring_register(op, IORING_REGISTER_PROBE,
					    NULL, 0));
	EXPECT_EQ(-EBADF, io_uring_register(INT_MAX, IORING_REGISTER_PROBE,
					    NULL, 0));
	EXPECT_EQ(-EOPNOTSUPP, io_uring_register(dir, IORING_REGISTER_PROBE,
						 NULL, 0));
	EXPECT_EQ(-EOPNOTSUPP, io_uring_register(efd, IORING_REGISTER_PROBE,
						 NULL, 0));
	close(op);
	close(dir);
	close(efd);
}

/* 6.1: a NULL array is -EFAULT, before the count or the table is looked at. */
TEST_F_TIMEOUT(hostile, register_buffers_null_array, IOU_TIMEOUT)
{
	char *mem = mmap(NULL, page_sz(), PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec iov = { .iov_base = mem, .iov_len = page_sz() };

	ASSERT_NE(MAP_FAILED, mem);
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, NULL, 0));
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, NULL,
					     MAX_REG_BUFFERS + 1));
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS,
				       &iov, 1));
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, NULL, 1));
	/* the table is checked before the count */
	EXPECT_EQ(-EBUSY, io_uring_register(self->r.fd,
					    IORING_REGISTER_BUFFERS, &iov, 0));
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_UNREGISTER_BUFFERS,
				       NULL, 0));
	munmap(mem, page_sz());
}

TEST_F_TIMEOUT(hostile, register_buffers_bad_array, IOU_TIMEOUT)
{
	char *mem = mmap(NULL, page_sz(), PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec *iov;

	ASSERT_NE(MAP_FAILED, mem);
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, KADDR,
					     1));
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS,
					     unmapped(), 1));
	/* a good first entry, the second one unreadable */
	iov = edge(sizeof(*iov));
	ASSERT_NE(NULL, iov);
	iov->iov_base = mem;
	iov->iov_len = page_sz();
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, iov, 2));
	/* the first was let go again */
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_UNREGISTER_BUFFERS,
					    NULL, 0));
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS,
				       iov, 1));
	edge_free(iov);
	munmap(mem, page_sz());
}

/* Up to IORING_MAX_REG_BUFFERS entries, each may be empty (NULL, 0). */
TEST_F_TIMEOUT(hostile, register_buffers_count_bounds, IOU_TIMEOUT)
{
	struct iovec *iov = calloc(MAX_REG_BUFFERS + 1, sizeof(*iov));

	ASSERT_NE(NULL, iov);
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, iov,
					     MAX_REG_BUFFERS + 1));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, iov,
					     UINT_MAX));
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS,
				       iov, MAX_REG_BUFFERS));
	/* an empty slot is no buffer */
	EXPECT_EQ(-EFAULT, ring_run_one(&self->r, IORING_OP_READ_FIXED,
					self->pfd[0], (void *)4096, 1, 0, 0));
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_UNREGISTER_BUFFERS,
				       NULL, 0));
	free(iov);
}

/* One iovec at a time, each refused, and each leaving nothing registered. */
TEST_F_TIMEOUT(hostile, register_buffers_hostile_iovec, IOU_TIMEOUT)
{
	size_t ps = page_sz();
	char *mem = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ro = read_only();
	struct {
		void *base;
		size_t len;
		int err;
	} c[] = {
		{ KADDR, ps, -EFAULT },
		/* the end rounded up to a page wraps */
		{ (void *)-ps, ps, -EOVERFLOW },
		{ (void *)(-ps + 1), 2 * ps, -EOVERFLOW },
		{ mem, SIZE_MAX, -EFAULT },	/* more than 1 GiB */
		{ mem, (1UL << 30) + 1, -EFAULT },
		{ ro, ps, -EFAULT },		/* pinned for writing */
		{ unmapped(), ps, -EFAULT },
		{ mem + ps - 1, 2, -EFAULT },	/* into PROT_NONE */
		{ NULL, 1, -EFAULT },
		{ mem, 0, -EFAULT },
	};
	struct iovec iov;
	int i;

	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_NE(NULL, ro);
	ASSERT_EQ(0, mprotect(mem + ps, ps, PROT_NONE));
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		iov.iov_base = c[i].base;
		iov.iov_len = c[i].len;
		EXPECT_EQ(c[i].err, io_uring_register(self->r.fd,
						      IORING_REGISTER_BUFFERS,
						      &iov, 1)) {
			TH_LOG("case %d: %p + %zu", i, c[i].base, c[i].len);
		}
		EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
						    IORING_UNREGISTER_BUFFERS,
						    NULL, 0));
	}
	/* unaligned but mapped: fine */
	iov.iov_base = mem + 1;
	iov.iov_len = ps - 1;
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS,
				       &iov, 1));
	munmap(mem, 2 * ps);
	munmap(ro, ps);
}

/* One buffer over two mappings, anonymous then shmem: 6.1 -EINVAL. */
TEST_F_TIMEOUT(hostile, register_buffers_across_two_mappings, IOU_TIMEOUT)
{
	size_t ps = page_sz();
	char *mem = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec iov = { .iov_base = mem, .iov_len = 2 * ps };

	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(mem + ps, mmap(mem + ps, ps, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, &iov, 1));
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_UNREGISTER_BUFFERS,
					    NULL, 0));
	munmap(mem, 2 * ps);
}

/*
 * The ring's own memory as a buffer.  6.1 maps the rings' pages into a
 * VMA of the ring file, which is neither shmem nor hugetlbfs: refused
 * like any file mapping.
 */
TEST_F_TIMEOUT(hostile, register_buffers_ring_memory, IOU_TIMEOUT)
{
	struct iovec iov = {
		.iov_base = self->r.sqes,
		.iov_len = self->r.sqes_sz,
	};
	int ret;

	ret = io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS, &iov, 1);
	EXPECT_EQ(-EOPNOTSUPP, ret);
	iov.iov_base = self->r.sq_ring;
	iov.iov_len = self->r.sq_ring_sz;
	ret = io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS, &iov, 1);
	EXPECT_EQ(-EOPNOTSUPP, ret);
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_UNREGISTER_BUFFERS,
					    NULL, 0));
	/* the ring is unharmed */
	EXPECT_EQ(0, ring_run_one(&self->r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
}

/* 6.1: a NULL array is -EFAULT, before the count or the table is looked at. */
TEST_F_TIMEOUT(hostile, register_files_null_array, IOU_TIMEOUT)
{
	int fds[1] = { self->pfd[0] };

	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES, NULL, 0));
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES, NULL,
					     UINT_MAX));
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 1));
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES, NULL, 1));
	EXPECT_EQ(-EBUSY, io_uring_register(self->r.fd,
					    IORING_REGISTER_FILES, fds, 0));
}

TEST_F_TIMEOUT(hostile, register_files_count_bounds, IOU_TIMEOUT)
{
	struct rlimit old, rl;
	int *fds;

	fds = malloc((MAX_FIXED_FILES + 1) * sizeof(*fds));
	ASSERT_NE(NULL, fds);
	memset(fds, 0xff, (MAX_FIXED_FILES + 1) * sizeof(*fds));
	EXPECT_EQ(-EMFILE, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES, fds,
					     MAX_FIXED_FILES + 1));
	EXPECT_EQ(-EMFILE, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES, fds,
					     UINT_MAX));
	/* more than RLIMIT_NOFILE */
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	rl = old;
	rl.rlim_cur = 64;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	EXPECT_EQ(-EMFILE, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES, fds, 65));
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 64));
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_UNREGISTER_FILES,
				       NULL, 0));
	free(fds);
}

/*
 * Bad entries after a good one: refused, and the good one's file reference
 * is dropped again (the pipe's reader sees EOF once its writer is closed).
 */
TEST_F_TIMEOUT(hostile, register_files_hostile_entries, IOU_TIMEOUT)
{
	int bad[] = { IORING_REGISTER_FILES_SKIP, INT_MIN, INT_MAX, -1000,
		      0 };
	struct pollfd pfd = { .fd = self->pfd[0], .events = POLLIN };
	int i, *fds, op = opath_fd();

	ASSERT_GE(op, 0);
	bad[ARRAY_SIZE(bad) - 1] = op;	/* O_PATH: no file to fget() */
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES, KADDR, 1));
	fds = edge(2 * sizeof(*fds));
	ASSERT_NE(NULL, fds);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		fds[0] = self->pfd[1];
		fds[1] = bad[i];
		EXPECT_EQ(-EBADF, io_uring_register(self->r.fd,
						    IORING_REGISTER_FILES,
						    fds, 2)) {
			TH_LOG("fd %d", bad[i]);
		}
	}
	/* the array runs into PROT_NONE after an empty slot */
	fds[1] = -1;
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES, fds, 3));
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_UNREGISTER_FILES, NULL, 0));
	close(self->pfd[1]);
	self->pfd[1] = -1;
	EXPECT_EQ(1, poll(&pfd, 1, 1000));
	EXPECT_TRUE(pfd.revents & POLLHUP);
	edge_free(fds);
	close(op);
}

/*
 * IORING_REGISTER_FILES_UPDATE: 6.1 checks the count, reads the argument,
 * checks resv, then that offset + count fits in 32 bits (-EOVERFLOW),
 * and only then whether there is a table (-ENXIO) and it is big enough.
 */
TEST_F_TIMEOUT(hostile, register_files_update_check_order, IOU_TIMEOUT)
{
	int fds[2] = { self->pfd[0], self->pfd[1] };
	struct io_uring_files_update up;

	memset(&up, 0, sizeof(up));
	up.fds = (__u64)(uintptr_t)fds;
	/* no table yet */
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES_UPDATE,
					     &up, 0));
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES_UPDATE,
					     NULL, 1));
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES_UPDATE,
					     KADDR, 1));
	up.resv = 1;
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES_UPDATE,
					     &up, 1));
	up.resv = 0;
	up.offset = UINT_MAX;
	EXPECT_EQ(-EOVERFLOW, io_uring_register(self->r.fd,
						IORING_REGISTER_FILES_UPDATE,
						&up, 2));
	up.offset = 0;
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_REGISTER_FILES_UPDATE,
					    &up, 1));

	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 2));
	up.offset = 0x80000000U;
	EXPECT_EQ(-EOVERFLOW, io_uring_register(self->r.fd,
						IORING_REGISTER_FILES_UPDATE,
						&up, 0x80000000U));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES_UPDATE,
					     &up, 1));
	up.offset = 2;
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES_UPDATE,
					     &up, 1));
	/* the fd array itself unreadable */
	up.offset = 0;
	up.fds = (__u64)(uintptr_t)KADDR;
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES_UPDATE,
					     &up, 1));
	up.fds = 0;
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES_UPDATE,
					     &up, 1));
}

/* The same bounds for IORING_OP_FILES_UPDATE, which shares the code. */
TEST_F_TIMEOUT(hostile, files_update_op_overflow, IOU_TIMEOUT)
{
	int fds[2] = { self->pfd[0], self->pfd[1] };

	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 2));
	EXPECT_EQ(-EOVERFLOW, ring_run_one(&self->r, IORING_OP_FILES_UPDATE,
					   -1, fds, 2, 0xffffffffULL - 1, 0));
	EXPECT_EQ(-EINVAL, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1,
					fds, 1, 0x80000000U, 0));
}

/* 6.1: an eventfd already registered is -EBUSY, whatever the argument. */
TEST_F_TIMEOUT(hostile, register_eventfd_hostile, IOU_TIMEOUT)
{
	int efd = eventfd(0, EFD_CLOEXEC), op = opath_fd();
	int ringfd = self->r.fd;

	ASSERT_GE(efd, 0);
	ASSERT_GE(op, 0);
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_EVENTFD, KADDR,
					     1));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_EVENTFD, &efd,
					     0));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_EVENTFD_ASYNC,
					     &efd, UINT_MAX));
	EXPECT_EQ(-EBADF, io_uring_register(self->r.fd,
					    IORING_REGISTER_EVENTFD, &op, 1));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_EVENTFD, &ringfd,
					     1));
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_EVENTFD,
				       &efd, 1));
	EXPECT_EQ(-EBUSY, io_uring_register(self->r.fd,
					    IORING_REGISTER_EVENTFD, NULL, 1));
	EXPECT_EQ(-EBUSY, io_uring_register(self->r.fd,
					    IORING_REGISTER_EVENTFD_ASYNC,
					    KADDR, 1));
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_UNREGISTER_EVENTFD,
				       NULL, 0));
	close(efd);
	close(op);
}

/*
 * 6.1 reads, checks (all zero) and writes back the whole array the caller
 * sized, not only the slots of the opcodes it knows.
 */
TEST_F_TIMEOUT(hostile, register_probe_hostile, IOU_TIMEOUT)
{
	size_t ops_sz = PROBE_OPS * sizeof(struct io_uring_probe_op);
	size_t sz = sizeof(struct io_uring_probe) + ops_sz;
	struct io_uring_probe *p = calloc(1, sz), *e;
	void *ro = read_only();

	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, ro);
	/* room for no op at all */
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_PROBE, p,
				       0));
	EXPECT_EQ(0, p->ops_len);
	EXPECT_GE(p->last_op, IORING_OP_LAST - 1);
	/* a nonzero byte past the opcodes the kernel knows */
	memset(p, 0, sz);
	p->ops[PROBE_OPS - 1].op = 1;
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_PROBE, p,
					     PROBE_OPS));
	EXPECT_EQ(1, p->ops[PROBE_OPS - 1].op);
	EXPECT_EQ(0, p->ops_len);
	free(p);
	/* the array's last slot unmapped */
	e = edge(sz - sizeof(struct io_uring_probe_op));
	ASSERT_NE(NULL, e);
	memset(e, 0, sz - sizeof(struct io_uring_probe_op));
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_PROBE, e,
					     PROBE_OPS));
	EXPECT_EQ(0, e->ops_len);
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_PROBE, e,
				       PROBE_OPS - 1));
	edge_free(e);
	/* readable zeroes that cannot be written back */
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_PROBE, ro, 4));
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_PROBE, KADDR, 4));
	munmap(ro, page_sz());
}

/* Personality ids are 1..65535: then 6.1's xa_alloc_cyclic() says -EBUSY. */
TEST_F_TIMEOUT(hostile, register_personality_exhausted, 60)
{
	int i, id = 0;

	for (i = 0; i < 65535; i++) {
		id = io_uring_register(self->r.fd, IORING_REGISTER_PERSONALITY,
				       NULL, 0);
		if (id < 0)
			break;
	}
	EXPECT_EQ(65535, i) {
		TH_LOG("register %d failed: %d", i, id);
	}
	EXPECT_EQ(-EBUSY, io_uring_register(self->r.fd,
					    IORING_REGISTER_PERSONALITY,
					    NULL, 0));
	/* one freed can be had again */
	EXPECT_EQ(0, io_uring_register(self->r.fd,
				       IORING_UNREGISTER_PERSONALITY, NULL,
				       777));
	EXPECT_EQ(777, io_uring_register(self->r.fd,
					 IORING_REGISTER_PERSONALITY, NULL,
					 0));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_UNREGISTER_PERSONALITY,
					     NULL, UINT_MAX));
	/* the ring's close drops them all */
}

/*
 * Restrictions and IORING_REGISTER_ENABLE_RINGS only apply to a ring set
 * up with IORING_SETUP_R_DISABLED: 6.1 answers -EBADFD for an enabled one.
 * A kernel without R_DISABLED knows neither opcode: -EINVAL.
 */
TEST_F_TIMEOUT(hostile, register_restrictions_when_enabled, IOU_TIMEOUT)
{
	struct io_uring_restriction res[1];
	int fd = setup_flags(ENTRIES, IORING_SETUP_R_DISABLED);
	int err = fd >= 0 ? -EBADFD : -EINVAL;

	if (fd >= 0)
		close(fd);
	else
		EXPECT_EQ(-EINVAL, fd);
	memset(res, 0, sizeof(res));
	res[0].opcode = IORING_RESTRICTION_SQE_OP;
	res[0].sqe_op = IORING_OP_NOP;
	EXPECT_EQ(err, io_uring_register(self->r.fd,
					 IORING_REGISTER_RESTRICTIONS, res, 1));
	EXPECT_EQ(err, io_uring_register(self->r.fd,
					 IORING_REGISTER_RESTRICTIONS, NULL,
					 UINT_MAX));
	EXPECT_EQ(err, io_uring_register(self->r.fd,
					 IORING_REGISTER_ENABLE_RINGS, NULL, 0));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_ENABLE_RINGS,
					     res, 0));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_ENABLE_RINGS,
					     NULL, 1));
	/* the ring is unrestricted */
	EXPECT_EQ(0, ring_run_one(&self->r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
}

/*
 * IORING_REGISTER_FILES2 / BUFFERS2 and their _UPDATE2 forms, behind
 * IORING_FEAT_RSRC_TAGS; a kernel without that feature knows none of the
 * four opcodes: -EINVAL.
 */
TEST_F_TIMEOUT(hostile, register_rsrc2_hostile, IOU_TIMEOUT)
{
	static const unsigned int reg_ops[] = {
		IORING_REGISTER_FILES2, IORING_REGISTER_BUFFERS2,
	};
	static const unsigned int up_ops[] = {
		IORING_REGISTER_FILES_UPDATE2, IORING_REGISTER_BUFFERS_UPDATE,
	};
	bool has = self->r.p.features & IORING_FEAT_RSRC_TAGS;
	struct io_uring_rsrc_register rr;
	struct io_uring_rsrc_update2 up;
	int fds[1] = { -1 };
	int i;

#define RSRC_ERR(e)	(has ? (e) : -EINVAL)
	for (i = 0; i < 2; i++) {
		int fd = self->r.fd, op = reg_ops[i];

		memset(&rr, 0, sizeof(rr));
		rr.nr = 1;
		rr.data = (__u64)(uintptr_t)fds;
		rr.flags = IORING_RSRC_REGISTER_SPARSE;
		rr.data = 0;
		/* the size of the argument is nr_args */
		EXPECT_EQ(RSRC_ERR(-EINVAL),
			  io_uring_register(fd, op, &rr, sizeof(rr) - 1));
		EXPECT_EQ(RSRC_ERR(-EINVAL),
			  io_uring_register(fd, op, &rr, sizeof(rr) + 8));
		EXPECT_EQ(RSRC_ERR(-EFAULT),
			  io_uring_register(fd, op, NULL, sizeof(rr)));
		EXPECT_EQ(RSRC_ERR(-EFAULT),
			  io_uring_register(fd, op, KADDR, sizeof(rr)));
		rr.nr = 0;
		EXPECT_EQ(RSRC_ERR(-EINVAL),
			  io_uring_register(fd, op, &rr, sizeof(rr)));
		rr.nr = 1;
		rr.resv2 = 1;
		EXPECT_EQ(RSRC_ERR(-EINVAL),
			  io_uring_register(fd, op, &rr, sizeof(rr)));
		rr.resv2 = 0;
		rr.flags = 1U << 31;
		EXPECT_EQ(RSRC_ERR(-EINVAL),
			  io_uring_register(fd, op, &rr, sizeof(rr)));
		/* sparse, but with an array */
		rr.flags = IORING_RSRC_REGISTER_SPARSE;
		rr.data = (__u64)(uintptr_t)fds;
		EXPECT_EQ(RSRC_ERR(-EINVAL),
			  io_uring_register(fd, op, &rr, sizeof(rr)));

		op = up_ops[i];
		memset(&up, 0, sizeof(up));
		up.nr = 1;
		up.data = (__u64)(uintptr_t)fds;
		EXPECT_EQ(RSRC_ERR(-EINVAL),
			  io_uring_register(fd, op, &up, sizeof(up) - 1));
		EXPECT_EQ(RSRC_ERR(-EFAULT),
			  io_uring_register(fd, op, KADDR, sizeof(up)));
		up.nr = 0;
		EXPECT_EQ(RSRC_ERR(-EINVAL),
			  io_uring_register(fd, op, &up, sizeof(up)));
		up.nr = 1;
		up.resv = 1;
		EXPECT_EQ(RSRC_ERR(-EINVAL),
			  io_uring_register(fd, op, &up, sizeof(up)));
		up.resv = 0;
		up.resv2 = 1;
		EXPECT_EQ(RSRC_ERR(-EINVAL),
			  io_uring_register(fd, op, &up, sizeof(up)));
		up.resv2 = 0;
		up.offset = UINT_MAX;
		up.nr = 2;
		EXPECT_EQ(RSRC_ERR(-EOVERFLOW),
			  io_uring_register(fd, op, &up, sizeof(up)));
		up.offset = 0;
		up.nr = 1;
		/* nothing registered */
		EXPECT_EQ(RSRC_ERR(-ENXIO),
			  io_uring_register(fd, op, &up, sizeof(up)));
	}
#undef RSRC_ERR
}

/*
 * The io-wq opcodes.  6.1 has them; a kernel without them (where a
 * harmless IORING_REGISTER_IOWQ_MAX_WORKERS call fails) answers -EINVAL.
 */
TEST_F_TIMEOUT(hostile, register_iowq_hostile, IOU_TIMEOUT)
{
	__u32 counts[2] = { 0, 0 };
	int fd = self->r.fd;
	bool has;
	int ret;

	ret = io_uring_register(fd, IORING_REGISTER_IOWQ_MAX_WORKERS,
				counts, 2);
	has = ret == 0;
	if (!has)
		EXPECT_EQ(-EINVAL, ret);
#define IOWQ_ERR(e)	(has ? (e) : -EINVAL)
	EXPECT_EQ(-EINVAL, io_uring_register(fd, IORING_REGISTER_IOWQ_AFF,
					     NULL, 8));
	EXPECT_EQ(-EINVAL, io_uring_register(fd, IORING_REGISTER_IOWQ_AFF,
					     counts, 0));
	EXPECT_EQ(IOWQ_ERR(-EFAULT),
		  io_uring_register(fd, IORING_REGISTER_IOWQ_AFF, KADDR, 8));
	EXPECT_EQ(-EINVAL, io_uring_register(fd, IORING_UNREGISTER_IOWQ_AFF,
					     counts, 0));
	EXPECT_EQ(-EINVAL, io_uring_register(fd, IORING_UNREGISTER_IOWQ_AFF,
					     NULL, 1));
	EXPECT_EQ(-EINVAL, io_uring_register(fd,
					     IORING_REGISTER_IOWQ_MAX_WORKERS,
					     counts, 1));
	EXPECT_EQ(-EINVAL, io_uring_register(fd,
					     IORING_REGISTER_IOWQ_MAX_WORKERS,
					     counts, 3));
	EXPECT_EQ(-EINVAL, io_uring_register(fd,
					     IORING_REGISTER_IOWQ_MAX_WORKERS,
					     NULL, 2));
	EXPECT_EQ(IOWQ_ERR(-EFAULT),
		  io_uring_register(fd, IORING_REGISTER_IOWQ_MAX_WORKERS,
				    KADDR, 2));
	counts[1] = 0x80000000U;
	EXPECT_EQ(-EINVAL, io_uring_register(fd,
					     IORING_REGISTER_IOWQ_MAX_WORKERS,
					     counts, 2));
#undef IOWQ_ERR
}

/*
 * IORING_(UN)REGISTER_RING_FDS: 6.1 has 16 slots per task.  A kernel that
 * cannot register ring fds answers -EINVAL throughout.
 */
TEST_F_TIMEOUT(hostile, register_ring_fds_hostile, IOU_TIMEOUT)
{
	bool has = has_ring_fds(&self->r);
	struct io_uring_rsrc_update up[RINGFD_REG_MAX + 1];
	int fd = self->r.fd;

#define RFD_ERR(e)	(has ? (e) : -EINVAL)
	memset(up, 0, sizeof(up));
	up[0].offset = -1U;
	up[0].data = fd;
	EXPECT_EQ(-EINVAL, io_uring_register(fd, IORING_REGISTER_RING_FDS,
					     up, 0));
	EXPECT_EQ(-EINVAL, io_uring_register(fd, IORING_REGISTER_RING_FDS,
					     up, RINGFD_REG_MAX + 1));
	EXPECT_EQ(RFD_ERR(-EFAULT),
		  io_uring_register(fd, IORING_REGISTER_RING_FDS, KADDR, 1));
	up[0].resv = 1;
	EXPECT_EQ(RFD_ERR(-EINVAL),
		  io_uring_register(fd, IORING_REGISTER_RING_FDS, up, 1));
	up[0].resv = 0;
	up[0].offset = RINGFD_REG_MAX;
	EXPECT_EQ(RFD_ERR(-EINVAL),
		  io_uring_register(fd, IORING_REGISTER_RING_FDS, up, 1));
	/* what is registered must be a ring */
	up[0].offset = -1U;
	up[0].data = self->pfd[0];
	EXPECT_EQ(RFD_ERR(-EOPNOTSUPP),
		  io_uring_register(fd, IORING_REGISTER_RING_FDS, up, 1));
	up[0].data = 1000000;
	EXPECT_EQ(RFD_ERR(-EBADF),
		  io_uring_register(fd, IORING_REGISTER_RING_FDS, up, 1));

	memset(up, 0, sizeof(up));
	EXPECT_EQ(-EINVAL, io_uring_register(fd, IORING_UNREGISTER_RING_FDS,
					     up, 0));
	EXPECT_EQ(-EINVAL, io_uring_register(fd, IORING_UNREGISTER_RING_FDS,
					     up, RINGFD_REG_MAX + 1));
	up[0].data = 1;
	EXPECT_EQ(RFD_ERR(-EINVAL),
		  io_uring_register(fd, IORING_UNREGISTER_RING_FDS, up, 1));
	up[0].data = 0;
	up[0].offset = RINGFD_REG_MAX;
	EXPECT_EQ(RFD_ERR(-EINVAL),
		  io_uring_register(fd, IORING_UNREGISTER_RING_FDS, up, 1));
	/* an empty slot: unregistered all the same */
	up[0].offset = 3;
	EXPECT_EQ(RFD_ERR(1),
		  io_uring_register(fd, IORING_UNREGISTER_RING_FDS, up, 1));
#undef RFD_ERR
}

/*
 * IORING_(UN)REGISTER_PBUF_RING.  A kernel without provided-buffer rings
 * (unregistering an unknown group is not -ENOENT) answers -EINVAL.
 */
TEST_F_TIMEOUT(hostile, register_pbuf_ring_hostile, IOU_TIMEOUT)
{
	struct io_uring_buf_reg reg;
	int fd = self->r.fd, ret;
	void *ring = mmap(NULL, page_sz(), PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool has;

	ASSERT_NE(MAP_FAILED, ring);
	/* a group past 6.1's array of 64, so nothing is set up for it */
	memset(&reg, 0, sizeof(reg));
	reg.bgid = 1000;
	ret = io_uring_register(fd, IORING_UNREGISTER_PBUF_RING, &reg, 1);
	has = ret == -ENOENT;
	if (!has)
		EXPECT_EQ(-EINVAL, ret);
#define PBR_ERR(e)	(has ? (e) : -EINVAL)
	reg.ring_addr = (__u64)(uintptr_t)ring;
	reg.ring_entries = 8;
	EXPECT_EQ(-EINVAL, io_uring_register(fd, IORING_REGISTER_PBUF_RING,
					     &reg, 0));
	EXPECT_EQ(-EINVAL, io_uring_register(fd, IORING_REGISTER_PBUF_RING,
					     &reg, 2));
	EXPECT_EQ(-EINVAL, io_uring_register(fd, IORING_REGISTER_PBUF_RING,
					     NULL, 1));
	EXPECT_EQ(PBR_ERR(-EFAULT),
		  io_uring_register(fd, IORING_REGISTER_PBUF_RING, KADDR, 1));
	reg.pad = 1;
	EXPECT_EQ(PBR_ERR(-EINVAL),
		  io_uring_register(fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	reg.pad = 0;
	reg.resv[2] = 1;
	EXPECT_EQ(PBR_ERR(-EINVAL),
		  io_uring_register(fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	reg.resv[2] = 0;
	reg.ring_addr = 0;
	EXPECT_EQ(PBR_ERR(-EFAULT),
		  io_uring_register(fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	reg.ring_addr = (__u64)(uintptr_t)ring + 64;
	EXPECT_EQ(PBR_ERR(-EINVAL),
		  io_uring_register(fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	reg.ring_addr = (__u64)(uintptr_t)ring;
	reg.ring_entries = 3;
	EXPECT_EQ(PBR_ERR(-EINVAL),
		  io_uring_register(fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	reg.ring_entries = 65536;
	EXPECT_EQ(PBR_ERR(-EINVAL),
		  io_uring_register(fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	reg.ring_entries = 8;
	reg.ring_addr = (__u64)(uintptr_t)unmapped();
	EXPECT_EQ(PBR_ERR(-EFAULT),
		  io_uring_register(fd, IORING_REGISTER_PBUF_RING, &reg, 1));
	/* nothing was registered */
	EXPECT_EQ(PBR_ERR(-ENOENT),
		  io_uring_register(fd, IORING_UNREGISTER_PBUF_RING, &reg, 1));
	EXPECT_EQ(-EINVAL, io_uring_register(fd, IORING_UNREGISTER_PBUF_RING,
					     NULL, 1));
	reg.resv[0] = 1;
	EXPECT_EQ(PBR_ERR(-EINVAL),
		  io_uring_register(fd, IORING_UNREGISTER_PBUF_RING, &reg, 1));
#undef PBR_ERR
	munmap(ring, page_sz());
}

TEST_HARNESS_MAIN
