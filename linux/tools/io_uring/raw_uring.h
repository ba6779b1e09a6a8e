/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal raw-syscall io_uring helpers for the tools in this directory.
 *
 * Everything here is written against the uapi header only: setup maps the
 * SQ ring, the CQ ring (a single mapping when IORING_FEAT_SINGLE_MMAP is
 * advertised) and the SQE array; SQEs are handed out locally, published by
 * filling the SQ index array and store-releasing sq.tail, and completions
 * are consumed by load-acquiring cq.tail and store-releasing cq.head.
 *
 * Ownership of the shared ring words:
 *   sq.tail, cq.head	written by us, read by the kernel
 *   sq.head, cq.tail	written by the kernel, read by us
 *   sq.flags		written by the kernel (NEED_WAKEUP, CQ_OVERFLOW)
 */
#ifndef IO_URING_TOOLS_RAW_URING_H
#define IO_URING_TOOLS_RAW_URING_H

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/io_uring.h>

#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup	425
#endif
#ifndef __NR_io_uring_enter
#define __NR_io_uring_enter	426
#endif
#ifndef __NR_io_uring_register
#define __NR_io_uring_register	427
#endif

/* Ordered accesses to the ring words shared with the kernel. */
#define io_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define io_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
/* Unordered single-copy access to a word the other side may change. */
#define io_load_relaxed(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#define io_smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)

struct uring_sq {
	unsigned int *khead;
	unsigned int *ktail;
	unsigned int *kflags;
	unsigned int *kdropped;
	unsigned int *array;
	struct io_uring_sqe *sqes;
	unsigned int mask;
	unsigned int entries;
	/* SQEs handed out by uring_get_sqe() but not yet published */
	unsigned int sqe_head;
	unsigned int sqe_tail;
	void *ring;
	size_t ring_sz;
	size_t sqes_sz;
};

struct uring_cq {
	unsigned int *khead;
	unsigned int *ktail;
	unsigned int *koverflow;
	struct io_uring_cqe *cqes;
	unsigned int mask;
	unsigned int entries;
	void *ring;
	size_t ring_sz;
};

struct uring {
	struct uring_sq sq;
	struct uring_cq cq;
	unsigned int setup_flags;
	unsigned int features;
	int fd;
};

static inline int sys_io_uring_setup(unsigned int entries,
				     struct io_uring_params *p)
{
	long ret = syscall(__NR_io_uring_setup, entries, p);

	return ret < 0 ? -errno : (int)ret;
}

static inline int sys_io_uring_enter(int fd, unsigned int to_submit,
				     unsigned int min_complete,
				     unsigned int flags)
{
	long ret = syscall(__NR_io_uring_enter, fd, to_submit, min_complete,
			   flags, NULL, 0);

	return ret < 0 ? -errno : (int)ret;
}

static inline int sys_io_uring_register(int fd, unsigned int opcode,
					const void *arg, unsigned int nr_args)
{
	long ret = syscall(__NR_io_uring_register, fd, opcode, arg, nr_args);

	return ret < 0 ? -errno : (int)ret;
}

static inline void *uring_ptr(void *base, unsigned int off)
{
	return (char *)base + off;
}

static inline void uring_unmap(struct uring *r)
{
	if (r->sq.sqes && r->sq.sqes != MAP_FAILED)
		munmap(r->sq.sqes, r->sq.sqes_sz);
	if (r->cq.ring && r->cq.ring != MAP_FAILED && r->cq.ring != r->sq.ring)
		munmap(r->cq.ring, r->cq.ring_sz);
	if (r->sq.ring && r->sq.ring != MAP_FAILED)
		munmap(r->sq.ring, r->sq.ring_sz);
	r->sq.sqes = NULL;
	r->sq.ring = NULL;
	r->cq.ring = NULL;
}

/*
 * Map the rings of an io_uring instance created with @p. Returns 0 or a
 * negative errno; on failure nothing stays mapped.
 */
static inline int uring_mmap(struct uring *r, const struct io_uring_params *p)
{
	struct uring_sq *sq = &r->sq;
	struct uring_cq *cq = &r->cq;
	int ret;

	sq->ring_sz = p->sq_off.array + p->sq_entries * sizeof(unsigned int);
	cq->ring_sz = p->cq_off.cqes +
		      p->cq_entries * sizeof(struct io_uring_cqe);
	sq->sqes_sz = p->sq_entries * sizeof(struct io_uring_sqe);

	if (p->features & IORING_FEAT_SINGLE_MMAP) {
		if (cq->ring_sz > sq->ring_sz)
			sq->ring_sz = cq->ring_sz;
		cq->ring_sz = sq->ring_sz;
	}

	sq->ring = mmap(NULL, sq->ring_sz, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (sq->ring == MAP_FAILED) {
		ret = -errno;
		sq->ring = NULL;
		return ret;
	}

	if (p->features & IORING_FEAT_SINGLE_MMAP) {
		cq->ring = sq->ring;
	} else {
		cq->ring = mmap(NULL, cq->ring_sz, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_POPULATE, r->fd,
				IORING_OFF_CQ_RING);
		if (cq->ring == MAP_FAILED) {
			ret = -errno;
			cq->ring = NULL;
			uring_unmap(r);
			return ret;
		}
	}

	sq->sqes = mmap(NULL, sq->sqes_sz, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (sq->sqes == MAP_FAILED) {
		ret = -errno;
		sq->sqes = NULL;
		uring_unmap(r);
		return ret;
	}

	sq->khead = uring_ptr(sq->ring, p->sq_off.head);
	sq->ktail = uring_ptr(sq->ring, p->sq_off.tail);
	sq->kflags = uring_ptr(sq->ring, p->sq_off.flags);
	sq->kdropped = uring_ptr(sq->ring, p->sq_off.dropped);
	sq->array = uring_ptr(sq->ring, p->sq_off.array);
	sq->mask = *(unsigned int *)uring_ptr(sq->ring, p->sq_off.ring_mask);
	sq->entries = *(unsigned int *)uring_ptr(sq->ring,
						 p->sq_off.ring_entries);
	/* nothing is queued yet, so our private copy starts at the tail */
	sq->sqe_head = *sq->ktail;
	sq->sqe_tail = sq->sqe_head;

	cq->khead = uring_ptr(cq->ring, p->cq_off.head);
	cq->ktail = uring_ptr(cq->ring, p->cq_off.tail);
	cq->koverflow = uring_ptr(cq->ring, p->cq_off.overflow);
	cq->cqes = uring_ptr(cq->ring, p->cq_off.cqes);
	cq->mask = *(unsigned int *)uring_ptr(cq->ring, p->cq_off.ring_mask);
	cq->entries = *(unsigned int *)uring_ptr(cq->ring,
						 p->cq_off.ring_entries);
	return 0;
}

/*
 * Create an instance with at least @entries SQ entries. @p may be NULL or
 * carry setup flags / sq_thread_idle etc.; it is updated with what the
 * kernel returned. Returns 0 or a negative errno.
 */
static inline int uring_init(struct uring *r, unsigned int entries,
			     struct io_uring_params *p)
{
	struct io_uring_params local;
	int ret;

	if (!p) {
		memset(&local, 0, sizeof(local));
		p = &local;
	}
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	/* the helpers assume 64-byte SQEs and 16-byte CQEs */
	if (p->flags & (IORING_SETUP_SQE128 | IORING_SETUP_CQE32))
		return -EINVAL;

	ret = sys_io_uring_setup(entries, p);
	if (ret < 0)
		return ret;
	r->fd = ret;
	r->setup_flags = p->flags;
	r->features = p->features;

	ret = uring_mmap(r, p);
	if (ret < 0) {
		close(r->fd);
		r->fd = -1;
	}
	return ret;
}

static inline void uring_exit(struct uring *r)
{
	uring_unmap(r);
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/*
 * Return a zeroed SQE to fill in, or NULL if the SQ ring is full. The SQE
 * becomes visible to the kernel only at the next uring_flush_sq().
 */
static inline struct io_uring_sqe *uring_get_sqe(struct uring *r)
{
	struct uring_sq *sq = &r->sq;
	/* [SQ-H] pairs with the kernel's smp_store_release() of sq.head after it read the SQEs */
	unsigned int head = io_load_acquire(sq->khead);
	struct io_uring_sqe *sqe;

	if (sq->sqe_tail - head >= sq->entries)
		return NULL;
	sqe = &sq->sqes[sq->sqe_tail & sq->mask];
	sq->sqe_tail++;
	memset(sqe, 0, sizeof(*sqe));
	return sqe;
}

/* Number of SQEs handed out but not yet published to the kernel. */
static inline unsigned int uring_sq_pending(const struct uring *r)
{
	return r->sq.sqe_tail - r->sq.sqe_head;
}

/*
 * Publish all SQEs obtained so far: fill the index array, then release the
 * new tail. Returns the number of entries the kernel has yet to consume.
 */
static inline unsigned int uring_flush_sq(struct uring *r)
{
	struct uring_sq *sq = &r->sq;
	unsigned int tail = *sq->ktail;	/* only we write sq.tail */

	while (sq->sqe_head != sq->sqe_tail) {
		sq->array[tail & sq->mask] = sq->sqe_head & sq->mask;
		sq->sqe_head++;
		tail++;
	}
	/* [SQ-T] pairs with the kernel's smp_load_acquire() of sq.tail before reading SQEs */
	io_store_release(sq->ktail, tail);

	/* [SQ-H] pairs with the kernel's smp_store_release() of sq.head after it read the SQEs */
	return tail - io_load_acquire(sq->khead);
}

/*
 * SQPOLL only: must the poller thread be woken? The full barrier orders our
 * sq.tail store before the flags load (store->load, which acquire/release
 * cannot give).
 */
static inline int uring_sq_needs_wakeup(struct uring *r)
{
	/*
	 * [SQ-W] pairs with the SQ thread's smp_mb__after_atomic() between
	 * setting IORING_SQ_NEED_WAKEUP and re-reading sq.tail (io_sq_sleep())
	 */
	io_smp_mb();
	return io_load_relaxed(r->sq.kflags) & IORING_SQ_NEED_WAKEUP;
}

/*
 * Completions are parked in the kernel's overflow list: reap the CQ and
 * enter with GETEVENTS so the kernel can flush them before we submit more.
 */
static inline int uring_cq_overflowed(struct uring *r)
{
	/* a hint only; the io_uring_enter() that acts on it is a full barrier */
	return io_load_relaxed(r->sq.kflags) & IORING_SQ_CQ_OVERFLOW;
}

/* Completions lost for good (kernels without IORING_FEAT_NODROP). */
static inline unsigned int uring_cq_dropped(struct uring *r)
{
	return io_load_relaxed(r->cq.koverflow);
}

/* Number of CQEs ready to be consumed. */
static inline unsigned int uring_cq_ready(struct uring *r)
{
	/* [CQ-T] pairs with the kernel's smp_store_release() of cq.tail after writing CQEs */
	return io_load_acquire(r->cq.ktail) - *r->cq.khead;
}

/* Return the oldest unconsumed CQE, or NULL if the CQ ring is empty. */
static inline struct io_uring_cqe *uring_peek_cqe(struct uring *r)
{
	struct uring_cq *cq = &r->cq;
	unsigned int head = *cq->khead;	/* only we write cq.head */

	/* [CQ-T] pairs with the kernel's smp_store_release() of cq.tail after writing CQEs */
	if (io_load_acquire(cq->ktail) == head)
		return NULL;
	return &cq->cqes[head & cq->mask];
}

/* Hand @nr consumed CQE slots back to the kernel. */
static inline void uring_cq_advance(struct uring *r, unsigned int nr)
{
	struct uring_cq *cq = &r->cq;

	/* [CQ-H] pairs with the kernel's smp_load_acquire() of cq.head: our slots may be reused */
	io_store_release(cq->khead, *cq->khead + nr);
}

/*
 * Publish queued SQEs and enter the kernel to submit them and/or wait for
 * @wait_nr completions. -EINTR is retried (the unconsumed count is
 * recomputed, so a retry never submits twice). -EAGAIN and -EBUSY are
 * returned: the caller must reap completions and call again. Returns the
 * number of SQEs the kernel consumed, or a negative errno.
 */
static inline int uring_submit_and_wait(struct uring *r, unsigned int wait_nr)
{
	unsigned int to_submit, flags;
	int ret;

	for (;;) {
		to_submit = uring_flush_sq(r);
		flags = 0;
		if (wait_nr || uring_cq_overflowed(r))
			flags |= IORING_ENTER_GETEVENTS;

		if (r->setup_flags & IORING_SETUP_SQPOLL) {
			if (to_submit && uring_sq_needs_wakeup(r))
				flags |= IORING_ENTER_SQ_WAKEUP;
			if (!flags)
				return to_submit;
		} else if (!to_submit && !flags) {
			return 0;
		}

		ret = sys_io_uring_enter(r->fd, to_submit, wait_nr, flags);
		if (ret != -EINTR)
			return ret;
	}
}

static inline int uring_submit(struct uring *r)
{
	return uring_submit_and_wait(r, 0);
}

/*
 * uring_submit_and_wait() that rides out -EAGAIN/-EBUSY: if completions are
 * ready it returns 0 so the caller reaps them (which is what the kernel is
 * asking for) and calls again; otherwise it backs off briefly and retries,
 * giving up after about a second of continuous refusals.
 */
static inline int uring_submit_and_wait_retry(struct uring *r,
					      unsigned int wait_nr)
{
	unsigned int tries = 0;
	int ret;

	for (;;) {
		ret = uring_submit_and_wait(r, wait_nr);
		if (ret != -EAGAIN && ret != -EBUSY)
			return ret;
		if (uring_cq_ready(r))
			return 0;
		if (++tries > 10000)
			return ret;
		usleep(100);
	}
}

/*
 * uring_get_sqe() that makes room when the SQ ring is full. Without SQPOLL
 * that means submitting what is queued (once). With SQPOLL the poller may
 * post a CQE before it publishes the sq.head that covers its SQE, so a ring
 * that "should" have room can still look full: wait with IORING_ENTER_SQ_WAIT
 * until the poller has consumed entries.
 */
static inline struct io_uring_sqe *uring_get_sqe_wait(struct uring *r)
{
	struct io_uring_sqe *sqe;
	unsigned int flags;
	int ret, tries = 0;

	while (!(sqe = uring_get_sqe(r))) {
		if (!(r->setup_flags & IORING_SETUP_SQPOLL)) {
			if (tries++)
				return NULL;
			ret = uring_submit(r);
			if (ret <= 0 && ret != -EAGAIN && ret != -EBUSY)
				return NULL;
			continue;
		}
		uring_flush_sq(r);
		flags = IORING_ENTER_SQ_WAIT;
		if (uring_sq_needs_wakeup(r))
			flags |= IORING_ENTER_SQ_WAKEUP;
		ret = sys_io_uring_enter(r->fd, 0, 0, flags);
		if (ret < 0 && ret != -EINTR && ret != -EAGAIN &&
		    ret != -EBUSY)
			return NULL;
	}
	return sqe;
}

static inline void uring_prep_rw(struct io_uring_sqe *sqe, int op, int fd,
				 const void *addr, unsigned int len,
				 unsigned long long off)
{
	sqe->opcode = op;
	sqe->fd = fd;
	sqe->addr = (unsigned long)addr;
	sqe->len = len;
	sqe->off = off;
}

#endif /* IO_URING_TOOLS_RAW_URING_H */
