/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal raw-syscall io_uring helpers for the io_uring selftests.
 *
 * Ring indices are shared with the kernel, so every access to a head or tail
 * that the other side writes is an acquire load, and every publication of a
 * head or tail that the other side reads is a release store.  Each one names
 * the kernel-side barrier it pairs with.
 */
#ifndef __SELFTESTS_IO_URING_TEST_H
#define __SELFTESTS_IO_URING_TEST_H

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/io_uring.h>
#include <linux/time_types.h>

#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup	425
#endif
#ifndef __NR_io_uring_enter
#define __NR_io_uring_enter	426
#endif
#ifndef __NR_io_uring_register
#define __NR_io_uring_register	427
#endif

/* Upper bound, in seconds, for any single test (enforced by the harness). */
#define IOU_TIMEOUT		10

/* Limits of the 6.1 ABI (IORING_MAX_ENTRIES, IORING_MAX_CQ_ENTRIES). */
#define IOU_MAX_ENTRIES		32768U
#define IOU_MAX_CQ_ENTRIES	(2 * IOU_MAX_ENTRIES)

/* The feature set every tested kernel must report. */
#define IOU_CORE_FEATURES	(IORING_FEAT_SINGLE_MMAP | \
				 IORING_FEAT_NODROP | \
				 IORING_FEAT_SUBMIT_STABLE | \
				 IORING_FEAT_RW_CUR_POS | \
				 IORING_FEAT_EXT_ARG)

/* The syscall wrappers return the result, or -errno on failure. */
static inline int io_uring_setup(unsigned int entries,
				 struct io_uring_params *p)
{
	long ret = syscall(__NR_io_uring_setup, entries, p);

	return ret < 0 ? -errno : (int)ret;
}

static inline int io_uring_enter2(int fd, unsigned int to_submit,
				  unsigned int min_complete, unsigned int flags,
				  const void *arg, size_t argsz)
{
	long ret = syscall(__NR_io_uring_enter, fd, to_submit, min_complete,
			   flags, arg, argsz);

	return ret < 0 ? -errno : (int)ret;
}

static inline int io_uring_enter(int fd, unsigned int to_submit,
				 unsigned int min_complete, unsigned int flags)
{
	return io_uring_enter2(fd, to_submit, min_complete, flags, NULL, 0);
}

static inline int io_uring_register(int fd, unsigned int opcode,
				    const void *arg, unsigned int nr_args)
{
	long ret = syscall(__NR_io_uring_register, fd, opcode, arg, nr_args);

	return ret < 0 ? -errno : (int)ret;
}

struct ring {
	int fd;
	struct io_uring_params p;

	void *sq_ring;
	size_t sq_ring_sz;
	void *cq_ring;		/* same mapping as sq_ring with SINGLE_MMAP */
	size_t cq_ring_sz;
	struct io_uring_sqe *sqes;
	size_t sqes_sz;

	unsigned int *sq_head;
	unsigned int *sq_tail;
	unsigned int *sq_mask;
	unsigned int *sq_entries;
	unsigned int *sq_flags;
	unsigned int *sq_dropped;
	unsigned int *sq_array;

	unsigned int *cq_head;
	unsigned int *cq_tail;
	unsigned int *cq_mask;
	unsigned int *cq_entries;
	unsigned int *cq_overflow;
	unsigned int *cq_flags;
	struct io_uring_cqe *cqes;

	/* SQEs handed out by ring_get_sqe() but not yet published. */
	unsigned int sqe_head;
	unsigned int sqe_tail;
};

#define RING_PTR(base, off)	((void *)((char *)(base) + (off)))

static inline size_t ring_sq_size(const struct io_uring_params *p)
{
	return p->sq_off.array + p->sq_entries * sizeof(__u32);
}

static inline size_t ring_cq_size(const struct io_uring_params *p)
{
	return p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
}

/* Map the rings of an already set up r->fd described by r->p. */
static inline int ring_mmap(struct ring *r)
{
	struct io_uring_params *p = &r->p;

	r->sq_ring_sz = ring_sq_size(p);
	r->cq_ring_sz = ring_cq_size(p);
	if (p->features & IORING_FEAT_SINGLE_MMAP) {
		if (r->cq_ring_sz > r->sq_ring_sz)
			r->sq_ring_sz = r->cq_ring_sz;
		r->cq_ring_sz = r->sq_ring_sz;
	}

	r->sq_ring = mmap(NULL, r->sq_ring_sz, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (r->sq_ring == MAP_FAILED)
		return -errno;

	if (p->features & IORING_FEAT_SINGLE_MMAP) {
		r->cq_ring = r->sq_ring;
	} else {
		r->cq_ring = mmap(NULL, r->cq_ring_sz, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_POPULATE, r->fd,
				  IORING_OFF_CQ_RING);
		if (r->cq_ring == MAP_FAILED) {
			int err = -errno;

			munmap(r->sq_ring, r->sq_ring_sz);
			return err;
		}
	}

	r->sqes_sz = p->sq_entries * sizeof(struct io_uring_sqe);
	r->sqes = mmap(NULL, r->sqes_sz, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED) {
		int err = -errno;

		if (r->cq_ring != r->sq_ring)
			munmap(r->cq_ring, r->cq_ring_sz);
		munmap(r->sq_ring, r->sq_ring_sz);
		return err;
	}

	r->sq_head = RING_PTR(r->sq_ring, p->sq_off.head);
	r->sq_tail = RING_PTR(r->sq_ring, p->sq_off.tail);
	r->sq_mask = RING_PTR(r->sq_ring, p->sq_off.ring_mask);
	r->sq_entries = RING_PTR(r->sq_ring, p->sq_off.ring_entries);
	r->sq_flags = RING_PTR(r->sq_ring, p->sq_off.flags);
	r->sq_dropped = RING_PTR(r->sq_ring, p->sq_off.dropped);
	r->sq_array = RING_PTR(r->sq_ring, p->sq_off.array);

	r->cq_head = RING_PTR(r->cq_ring, p->cq_off.head);
	r->cq_tail = RING_PTR(r->cq_ring, p->cq_off.tail);
	r->cq_mask = RING_PTR(r->cq_ring, p->cq_off.ring_mask);
	r->cq_entries = RING_PTR(r->cq_ring, p->cq_off.ring_entries);
	r->cq_overflow = RING_PTR(r->cq_ring, p->cq_off.overflow);
	r->cq_flags = RING_PTR(r->cq_ring, p->cq_off.flags);
	r->cqes = RING_PTR(r->cq_ring, p->cq_off.cqes);

	/* Only we write the SQ tail, a relaxed read is enough. */
	r->sqe_head = __atomic_load_n(r->sq_tail, __ATOMIC_RELAXED);
	r->sqe_tail = r->sqe_head;
	return 0;
}

static inline void ring_munmap(struct ring *r)
{
	if (r->sqes && r->sqes != MAP_FAILED)
		munmap(r->sqes, r->sqes_sz);
	if (r->cq_ring && r->cq_ring != r->sq_ring)
		munmap(r->cq_ring, r->cq_ring_sz);
	if (r->sq_ring)
		munmap(r->sq_ring, r->sq_ring_sz);
	r->sqes = NULL;
	r->cq_ring = NULL;
	r->sq_ring = NULL;
}

/* Set up and map a ring; p may be NULL.  Returns 0 or -errno. */
static inline int ring_init_params(struct ring *r, unsigned int entries,
				   const struct io_uring_params *p)
{
	int ret;

	memset(r, 0, sizeof(*r));
	if (p)
		r->p = *p;
	r->fd = io_uring_setup(entries, &r->p);
	if (r->fd < 0)
		return r->fd;
	ret = ring_mmap(r);
	if (ret) {
		close(r->fd);
		r->fd = -1;
	}
	return ret;
}

static inline int ring_init(struct ring *r, unsigned int entries,
			    unsigned int flags)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	return ring_init_params(r, entries, &p);
}

static inline void ring_exit(struct ring *r)
{
	ring_munmap(r);
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/* Next free SQE, zeroed, or NULL if the SQ ring is full. */
static inline struct io_uring_sqe *ring_get_sqe(struct ring *r)
{
	/* Pairs with the kernel's store-release of sq.head after consuming. */
	unsigned int head = __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
	struct io_uring_sqe *sqe;

	if (r->sqe_tail - head >= r->p.sq_entries)
		return NULL;
	sqe = &r->sqes[r->sqe_tail & (r->p.sq_entries - 1)];
	r->sqe_tail++;
	memset(sqe, 0, sizeof(*sqe));
	return sqe;
}

/* Publish the SQEs handed out so far; returns how many are pending. */
static inline unsigned int ring_flush_sq(struct ring *r)
{
	unsigned int mask = r->p.sq_entries - 1;
	unsigned int tail = __atomic_load_n(r->sq_tail, __ATOMIC_RELAXED);

	while (r->sqe_head != r->sqe_tail) {
		r->sq_array[tail & mask] = r->sqe_head & mask;
		tail++;
		r->sqe_head++;
	}
	/* Pairs with the kernel's load-acquire of sq.tail (then SQE reads). */
	__atomic_store_n(r->sq_tail, tail, __ATOMIC_RELEASE);
	/* Pairs with the kernel's store-release of sq.head after consuming. */
	return tail - __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
}

/* Re-read our SQ position after someone else (e.g. a child) used the ring. */
static inline void ring_resync_sq(struct ring *r)
{
	r->sqe_head = __atomic_load_n(r->sq_tail, __ATOMIC_RELAXED);
	r->sqe_tail = r->sqe_head;
}

/*
 * [SQ-W], the userspace half: sq.tail has just been published; does the SQ
 * thread need IORING_ENTER_SQ_WAKEUP to see it?  Publishing the tail and
 * reading the flag are a store then a load, which only a full barrier keeps
 * in order.  Either the thread sees our tail before it sleeps, or we see
 * its IORING_SQ_NEED_WAKEUP and wake it.
 */
static inline bool ring_sq_needs_wakeup(struct ring *r)
{
	/*
	 * [SQ-W] sq.tail store before the sq.flags load; pairs with the
	 * kernel's smp_mb() between setting IORING_SQ_NEED_WAKEUP and
	 * re-reading sq.tail before the SQ thread sleeps.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	/* Ordered by the [SQ-W] fence above; nothing else is read after it. */
	return __atomic_load_n(r->sq_flags, __ATOMIC_RELAXED) &
	       IORING_SQ_NEED_WAKEUP;
}

/*
 * Submit on an IORING_SETUP_SQPOLL ring as liburing does: publish the
 * queued SQEs, and enter only to wake a sleeping thread (SQ_WAKEUP, and
 * only when it asked for it) or to wait for @wait_nr completions.  Returns
 * how many SQEs were published, or -errno from io_uring_enter().
 */
static inline int ring_sqpoll_submit_and_wait(struct ring *r,
					      unsigned int wait_nr)
{
	unsigned int n = r->sqe_tail - r->sqe_head;
	unsigned int flags = 0;
	int ret;

	ring_flush_sq(r);
	if (ring_sq_needs_wakeup(r))
		flags |= IORING_ENTER_SQ_WAKEUP;
	if (wait_nr)
		flags |= IORING_ENTER_GETEVENTS;
	if (!flags)
		return n;
	ret = io_uring_enter(r->fd, n, wait_nr, flags);
	return ret < 0 ? ret : (int)n;
}

static inline int ring_submit_and_wait(struct ring *r, unsigned int wait_nr)
{
	unsigned int n;

	if (r->p.flags & IORING_SETUP_SQPOLL)
		return ring_sqpoll_submit_and_wait(r, wait_nr);
	n = ring_flush_sq(r);

	return io_uring_enter(r->fd, n, wait_nr,
			      wait_nr ? IORING_ENTER_GETEVENTS : 0);
}

static inline int ring_submit(struct ring *r)
{
	return ring_submit_and_wait(r, 0);
}

/* Number of CQEs ready to be reaped. */
static inline unsigned int ring_cq_ready(struct ring *r)
{
	/* Pairs with the kernel's store-release of cq.tail (after CQEs). */
	unsigned int tail = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE);

	return tail - *r->cq_head;
}

/* Copy out and consume one CQE; -EAGAIN if the CQ ring is empty. */
static inline int ring_peek_cqe(struct ring *r, struct io_uring_cqe *cqe)
{
	unsigned int head = *r->cq_head;
	/* Pairs with the kernel's store-release of cq.tail (after CQEs). */
	unsigned int tail = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE);

	if (head == tail)
		return -EAGAIN;
	*cqe = r->cqes[head & *r->cq_mask];
	/* Pairs with the kernel's load of cq.head before reusing a CQE slot. */
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return 0;
}

/* Wait up to timeout_ms for a CQE; -ETIME on timeout, -errno on error. */
static inline int ring_wait_cqe_timeout(struct ring *r,
					struct io_uring_cqe *cqe,
					unsigned int timeout_ms)
{
	struct __kernel_timespec ts = {
		.tv_sec = timeout_ms / 1000,
		.tv_nsec = (timeout_ms % 1000) * 1000000L,
	};
	struct io_uring_getevents_arg arg = {
		.ts = (__u64)(uintptr_t)&ts,
	};
	int ret;

	for (;;) {
		if (!ring_peek_cqe(r, cqe))
			return 0;
		ret = io_uring_enter2(r->fd, 0, 1,
				      IORING_ENTER_GETEVENTS |
				      IORING_ENTER_EXT_ARG,
				      &arg, sizeof(arg));
		if (ret < 0 && ret != -EINTR) {
			if (!ring_peek_cqe(r, cqe))
				return 0;
			return ret;
		}
	}
}

static inline int ring_wait_cqe(struct ring *r, struct io_uring_cqe *cqe)
{
	return ring_wait_cqe_timeout(r, cqe, 2000);
}

static inline void ring_prep_rw(struct io_uring_sqe *sqe, int op, int fd,
				const void *addr, unsigned int len,
				__u64 off, __u64 user_data)
{
	sqe->opcode = op;
	sqe->fd = fd;
	sqe->addr = (__u64)(uintptr_t)addr;
	sqe->len = len;
	sqe->off = off;
	sqe->user_data = user_data;
}

static inline void ring_prep_nop(struct io_uring_sqe *sqe, __u64 user_data)
{
	ring_prep_rw(sqe, IORING_OP_NOP, -1, NULL, 0, 0, user_data);
}

/* sqe->poll32_events has its 16-bit halves swapped on big-endian. */
static inline __u32 ring_poll_mask(unsigned int events)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	events = (events << 16) | (events >> 16);
#endif
	return events;
}

static inline void ring_prep_poll_add(struct io_uring_sqe *sqe, int fd,
				      unsigned int events, __u64 user_data)
{
	ring_prep_rw(sqe, IORING_OP_POLL_ADD, fd, NULL, 0, 0, user_data);
	sqe->poll32_events = ring_poll_mask(events);
}

/*
 * Queue, submit and wait for a single SQE with @sqe_flags and, for a read
 * or write, @rw_flags; returns its CQE res.
 */
static inline int ring_run_one_rwf(struct ring *r, int op, int fd,
				   const void *addr, unsigned int len,
				   __u64 off, __u8 sqe_flags, int rw_flags)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);
	struct io_uring_cqe cqe;
	int ret;

	if (!sqe)
		return -EBUSY;
	ring_prep_rw(sqe, op, fd, addr, len, off, 0x1234);
	sqe->flags = sqe_flags;
	sqe->rw_flags = rw_flags;
	ret = ring_submit(r);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = ring_wait_cqe(r, &cqe);
	if (ret)
		return ret;
	if (cqe.user_data != 0x1234)
		return -EIO;
	return cqe.res;
}

static inline int ring_run_one(struct ring *r, int op, int fd,
			       const void *addr, unsigned int len, __u64 off,
			       __u8 sqe_flags)
{
	return ring_run_one_rwf(r, op, fd, addr, len, off, sqe_flags, 0);
}

/* Does IORING_REGISTER_PROBE list @op as supported on this ring? */
static inline bool ring_op_supported(struct ring *r, int op)
{
	struct {
		struct io_uring_probe p;
		struct io_uring_probe_op ops[256];
	} pr;

	memset(&pr, 0, sizeof(pr));
	if (io_uring_register(r->fd, IORING_REGISTER_PROBE, &pr, 256) < 0)
		return false;
	return op < pr.p.ops_len &&
	       (pr.p.ops[op].flags & IO_URING_OP_SUPPORTED);
}

/*
 * True if the running kernel is newer than major.minor.  The tests target the
 * 6.1 ABI; where later kernels legitimately answer differently, the check is
 * strict on 6.1 and relaxed (and commented) on newer kernels.
 */
static inline bool kernel_newer_than(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi > minor);
}

/* Milliseconds elapsed on CLOCK_MONOTONIC since *start. */
static inline long ms_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	       (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Wait up to @ms for @pid to exit; its wait status, or -1 (killed) if not. */
/*
 * Write to @fd until the other end is gone: 0 once write() fails with
 * EPIPE (SIGPIPE ignored), -1 if it still succeeds after about 2 s.  For
 * a file whose last reference goes from a worker or a work item.
 */
static inline int write_until_epipe(int fd)
{
	int i;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < 200; i++) {
		if (write(fd, "x", 1) != 1)
			return errno == EPIPE ? 0 : -1;
		usleep(10000);
	}
	return -1;
}

static inline int wait_child(pid_t pid, long ms)
{
	struct timespec start;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (ms_since(&start) < ms) {
		pid_t ret = waitpid(pid, &status, WNOHANG);

		if (ret == pid)
			return status;
		if (ret < 0)
			return -1;
		usleep(5 * 1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/*
 * Does nothing complete within @ms?  Returns -ETIME if so, else what the
 * peek or the wait said, with the CQE in @cqe.
 */
static inline int ring_quiet(struct ring *r, int ms, struct io_uring_cqe *cqe)
{
	int ret;

	memset(cqe, 0, sizeof(*cqe));
	ret = ring_peek_cqe(r, cqe);
	if (ret == -EAGAIN)
		ret = ring_wait_cqe_timeout(r, cqe, ms);
	return ret;
}

#ifdef __KSELFTEST_HARNESS_H
/* Long enough for a request wrongly armed or released to complete. */
#define IOU_QUIET_MS	50

/* In a harness test: true if no CQE comes within IOU_QUIET_MS, else log it. */
static inline bool __ring_quiet_logged(struct __test_metadata *_metadata,
				       struct ring *r)
{
	struct io_uring_cqe cqe;
	int ret = ring_quiet(r, IOU_QUIET_MS, &cqe);

	if (ret != -ETIME)
		TH_LOG("expected no CQE, got %d: user_data %llu res %d", ret,
		       (unsigned long long)cqe.user_data, cqe.res);
	return ret == -ETIME;
}

#define QUIET(r)	__ring_quiet_logged(_metadata, (r))

/* One CQE a test expects: its user_data, res and flags. */
struct cqe_want {
	__u64 user_data;
	int res;
	unsigned int flags;
};

/*
 * In a harness test: reap exactly @nr CQEs into @got (each within the usual
 * wait) and check that they are the @nr of @want, one each, in any order;
 * false (with the stray ones logged) if not.  Order is checked separately,
 * with ring_cqe_pos(), only where 6.1 guarantees it.
 */
static inline bool __ring_expect_cqes(struct __test_metadata *_metadata,
				      struct ring *r,
				      const struct cqe_want *want, int nr,
				      struct io_uring_cqe *got)
{
	unsigned long long seen = 0;
	bool ok = true;
	int i, j, ret;

	for (i = 0; i < nr; i++) {
		ret = ring_wait_cqe(r, &got[i]);
		if (ret) {
			TH_LOG("CQE %d of %d missing: %d", i + 1, nr, ret);
			memset(&got[i], 0xff, sizeof(got[i]));
			ok = false;
			continue;
		}
		for (j = 0; j < nr; j++)
			if (!(seen & (1ULL << j)) &&
			    want[j].user_data == got[i].user_data)
				break;
		if (j == nr) {
			TH_LOG("unexpected CQE: user_data %llu res %d flags 0x%x",
			       (unsigned long long)got[i].user_data,
			       got[i].res, got[i].flags);
			ok = false;
			continue;
		}
		seen |= 1ULL << j;
		if (got[i].res != want[j].res ||
		    got[i].flags != want[j].flags) {
			TH_LOG("user_data %llu: res %d flags 0x%x, want res %d flags 0x%x",
			       (unsigned long long)got[i].user_data,
			       got[i].res, got[i].flags, want[j].res,
			       want[j].flags);
			ok = false;
		}
	}
	return ok;
}

#define EXPECT_CQES(r, want, got)					\
	EXPECT_TRUE(__ring_expect_cqes(_metadata, (r), (want),		\
				       sizeof(want) / sizeof((want)[0]), (got)))

/* @a's CQE came before @b's among the @nr reaped into @got. */
#define EXPECT_BEFORE(got, nr, a, b)					\
	EXPECT_TRUE(ring_cqe_before((got), (nr), (a), (b)))
#endif

/* Position of @user_data among @nr reaped CQEs, or -1. */
static inline int ring_cqe_pos(const struct io_uring_cqe *got, int nr,
			       __u64 user_data)
{
	int i;

	for (i = 0; i < nr; i++)
		if (got[i].user_data == user_data)
			return i;
	return -1;
}

/* Did @a's CQE come before @b's among the @nr reaped into @got? */
static inline bool ring_cqe_before(const struct io_uring_cqe *got, int nr,
				   __u64 a, __u64 b)
{
	return ring_cqe_pos(got, nr, a) < ring_cqe_pos(got, nr, b);
}

/*
 * The entries of a /proc directory (/proc/self/fd, /proc/self/task): all
 * of them, or with @comm_prefix the tasks whose comm starts with it, the
 * id of the last one counted in *@last if @last is not NULL.  -1 if @dir
 * can't be read.  A count of fds includes the one the count opens.
 */
static inline int proc_count(const char *dir, const char *comm_prefix,
			     pid_t *last)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[300], comm[32] = "";
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		if (comm_prefix) {
			snprintf(path, sizeof(path), "%s/%s/comm", dir,
				 de->d_name);
			f = fopen(path, "r");
			if (!f)
				continue;	/* gone meanwhile */
			if (!fgets(comm, sizeof(comm), f) ||
			    strncmp(comm, comm_prefix, strlen(comm_prefix))) {
				fclose(f);
				continue;
			}
			fclose(f);
		}
		n++;
		if (last)
			*last = atoi(de->d_name);
	}
	closedir(d);
	return n;
}

#endif /* __SELFTESTS_IO_URING_TEST_H */
