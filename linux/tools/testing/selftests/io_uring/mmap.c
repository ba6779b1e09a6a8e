// SPDX-License-Identifier: GPL-2.0
/*
 * mmap(2) of the io_uring rings: the three documented offsets, invalid
 * offsets and sizes, the single SQ/CQ mapping and the lifetime of the
 * mapping beyond close(2) of the ring fd.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define ENTRIES	8

FIXTURE(mmap) {
	int fd;
	struct io_uring_params p;
	size_t sq_sz, cq_sz, sqes_sz;
};

FIXTURE_SETUP(mmap)
{
	memset(&self->p, 0, sizeof(self->p));
	self->fd = io_uring_setup(ENTRIES, &self->p);
	ASSERT_GE(self->fd, 0);
	self->sq_sz = ring_sq_size(&self->p);
	self->cq_sz = ring_cq_size(&self->p);
	self->sqes_sz = self->p.sq_entries * sizeof(struct io_uring_sqe);
}

FIXTURE_TEARDOWN(mmap)
{
	if (self->fd >= 0)
		close(self->fd);
}

static void *map(int fd, size_t len, off_t off)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
}

TEST_F_TIMEOUT(mmap, documented_offsets, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqes;
	void *sq, *cq;

	sq = map(self->fd, self->sq_sz, IORING_OFF_SQ_RING);
	ASSERT_NE(MAP_FAILED, sq);
	cq = map(self->fd, self->cq_sz, IORING_OFF_CQ_RING);
	ASSERT_NE(MAP_FAILED, cq);
	sqes = map(self->fd, self->sqes_sz, IORING_OFF_SQES);
	ASSERT_NE(MAP_FAILED, sqes);

	EXPECT_EQ(ENTRIES - 1,
		  *(unsigned int *)RING_PTR(sq, self->p.sq_off.ring_mask));
	EXPECT_EQ(ENTRIES,
		  *(unsigned int *)RING_PTR(sq, self->p.sq_off.ring_entries));
	EXPECT_EQ(2 * ENTRIES - 1,
		  *(unsigned int *)RING_PTR(cq, self->p.cq_off.ring_mask));
	EXPECT_EQ(2 * ENTRIES,
		  *(unsigned int *)RING_PTR(cq, self->p.cq_off.ring_entries));

	/* The SQE array is plain writable memory. */
	memset(sqes, 0xa5, self->sqes_sz);
	EXPECT_EQ(0xa5, ((unsigned char *)sqes)[self->sqes_sz - 1]);

	EXPECT_EQ(0, munmap(sqes, self->sqes_sz));
	EXPECT_EQ(0, munmap(cq, self->cq_sz));
	EXPECT_EQ(0, munmap(sq, self->sq_sz));
}

TEST_F_TIMEOUT(mmap, read_only_mapping, IOU_TIMEOUT)
{
	void *sq;

	sq = mmap(NULL, self->sq_sz, PROT_READ, MAP_SHARED, self->fd,
		  IORING_OFF_SQ_RING);
	ASSERT_NE(MAP_FAILED, sq);
	EXPECT_EQ(ENTRIES,
		  *(unsigned int *)RING_PTR(sq, self->p.sq_off.ring_entries));
	munmap(sq, self->sq_sz);
}

TEST_F_TIMEOUT(mmap, bad_offset, IOU_TIMEOUT)
{
	/*
	 * Offsets that no kernel assigns meaning to.  (Later kernels use
	 * 0x20000000 and up for other regions and mask the low bits, so stay
	 * clear of those.)
	 */
	static const off_t bad[] = { 0x18000000, 0x40000000 };
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		void *p = map(self->fd, getpagesize(), bad[i]);

		EXPECT_EQ(MAP_FAILED, p) {
			TH_LOG("offset 0x%lx mapped", (long)bad[i]);
			munmap(p, getpagesize());
		}
		/*
		 * We answer EINVAL; the reference 6.1 io_uring (and 6.18)
		 * fail the region lookup with ENOMEM.
		 */
		if (errno == ENOMEM)
			continue;
		EXPECT_EQ(EINVAL, errno);
	}
}

TEST_F_TIMEOUT(mmap, too_large, IOU_TIMEOUT)
{
	/* Far more than an 8-entry ring can occupy. */
	size_t big = 64 * getpagesize();
	static const off_t offs[] = { IORING_OFF_SQ_RING, IORING_OFF_CQ_RING,
				      IORING_OFF_SQES };
	int i;

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		void *p = map(self->fd, big, offs[i]);

		/*
		 * We refuse a mapping larger than the ring with EINVAL.  The
		 * reference 6.1 io_uring checks against its power-of-two
		 * page allocation, so it maps some oversized requests and
		 * refuses others with EAGAIN; 6.18 maps them.  Only an
		 * error other than those is wrong everywhere.
		 */
		if (p != MAP_FAILED) {
			munmap(p, big);
			continue;
		}
		if (errno == EAGAIN)
			continue;
		EXPECT_EQ(EINVAL, errno);
	}
}

TEST_F_TIMEOUT(mmap, not_io_uring_fd, IOU_TIMEOUT)
{
	int pfd[2];
	void *p;

	ASSERT_EQ(0, pipe(pfd));
	p = map(pfd[0], getpagesize(), IORING_OFF_SQ_RING);
	EXPECT_EQ(MAP_FAILED, p);
	close(pfd[0]);
	close(pfd[1]);
}

TEST_F_TIMEOUT(mmap, single_mmap, IOU_TIMEOUT)
{
	size_t sz = self->sq_sz > self->cq_sz ? self->sq_sz : self->cq_sz;
	struct io_uring_cqe *cqes_a, *cqes_b;
	unsigned int *flags_a, *flags_b;
	void *a, *b;

	if (!(self->p.features & IORING_FEAT_SINGLE_MMAP))
		SKIP(return, "no IORING_FEAT_SINGLE_MMAP");

	/* One mapping of the SQ ring offset big enough for both rings. */
	a = map(self->fd, sz, IORING_OFF_SQ_RING);
	ASSERT_NE(MAP_FAILED, a);
	b = map(self->fd, self->cq_sz, IORING_OFF_CQ_RING);
	ASSERT_NE(MAP_FAILED, b);

	EXPECT_EQ(2 * ENTRIES - 1,
		  *(unsigned int *)RING_PTR(a, self->p.cq_off.ring_mask));

	/* Both mappings show the same CQ pages, in both directions. */
	cqes_a = RING_PTR(a, self->p.cq_off.cqes);
	cqes_b = RING_PTR(b, self->p.cq_off.cqes);
	cqes_a[3].user_data = 0x1122334455667788ULL;
	EXPECT_EQ(0x1122334455667788ULL, cqes_b[3].user_data);
	cqes_b[2 * ENTRIES - 1].res = -42;
	EXPECT_EQ(-42, cqes_a[2 * ENTRIES - 1].res);

	flags_a = RING_PTR(a, self->p.cq_off.flags);
	flags_b = RING_PTR(b, self->p.cq_off.flags);
	*flags_b = IORING_CQ_EVENTFD_DISABLED;
	EXPECT_EQ(IORING_CQ_EVENTFD_DISABLED, *flags_a);
	*flags_a = 0;
	EXPECT_EQ(0, *flags_b);

	munmap(b, self->cq_sz);
	munmap(a, sz);
}

TEST_F_TIMEOUT(mmap, single_mmap_completion, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct ring r;

	/* ring_init() maps the CQ through the SQ offset with SINGLE_MMAP. */
	ASSERT_EQ(0, ring_init(&r, ENTRIES, 0));
	if (!(r.p.features & IORING_FEAT_SINGLE_MMAP)) {
		ring_exit(&r);
		SKIP(return, "no IORING_FEAT_SINGLE_MMAP");
	}
	ASSERT_EQ(r.sq_ring, r.cq_ring);
	ring_prep_nop(ring_get_sqe(&r), 77);
	ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
	ASSERT_EQ(0, ring_peek_cqe(&r, &cqe));
	EXPECT_EQ(77, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	ring_exit(&r);
}

TEST_F_TIMEOUT(mmap, valid_after_close, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqes;
	unsigned int *entries;
	void *sq, *cq;

	sq = map(self->fd, self->sq_sz, IORING_OFF_SQ_RING);
	ASSERT_NE(MAP_FAILED, sq);
	cq = map(self->fd, self->cq_sz, IORING_OFF_CQ_RING);
	ASSERT_NE(MAP_FAILED, cq);
	sqes = map(self->fd, self->sqes_sz, IORING_OFF_SQES);
	ASSERT_NE(MAP_FAILED, sqes);

	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;

	/* The mappings keep the ring memory alive. */
	entries = RING_PTR(sq, self->p.sq_off.ring_entries);
	EXPECT_EQ(ENTRIES, *entries);
	entries = RING_PTR(cq, self->p.cq_off.ring_entries);
	EXPECT_EQ(2 * ENTRIES, *entries);
	memset(sqes, 0x5a, self->sqes_sz);
	EXPECT_EQ(0x5a, ((unsigned char *)sqes)[0]);
	*(unsigned int *)RING_PTR(sq, self->p.sq_off.array) = 3;
	EXPECT_EQ(3, *(unsigned int *)RING_PTR(sq, self->p.sq_off.array));

	EXPECT_EQ(0, munmap(sqes, self->sqes_sz));
	EXPECT_EQ(0, munmap(cq, self->cq_sz));
	EXPECT_EQ(0, munmap(sq, self->sq_sz));
}

TEST_F_TIMEOUT(mmap, usable_after_close_via_dup, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct ring r;
	int fd2;

	ASSERT_EQ(0, ring_init(&r, ENTRIES, 0));
	fd2 = dup(r.fd);
	ASSERT_GE(fd2, 0);
	close(r.fd);
	r.fd = fd2;
	ring_prep_nop(ring_get_sqe(&r), 5);
	ASSERT_EQ(1, ring_submit_and_wait(&r, 1));
	ASSERT_EQ(0, ring_peek_cqe(&r, &cqe));
	EXPECT_EQ(5, cqe.user_data);
	ring_exit(&r);
}

TEST_HARNESS_MAIN
