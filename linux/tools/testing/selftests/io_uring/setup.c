// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_setup(2): parameter validation, ring sizing and the returned
 * file descriptor and parameters.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

struct setup_state {
	int fd;
	struct io_uring_params p;
};

FIXTURE(setup) {
	struct setup_state s;
};

FIXTURE_SETUP(setup)
{
	self->s.fd = -1;
}

FIXTURE_TEARDOWN(setup)
{
	if (self->s.fd >= 0)
		close(self->s.fd);
}

/* Set up with the given flags (and cq_entries), keeping the fd for teardown. */
static int do_setup(struct setup_state *s, unsigned int entries,
		    unsigned int flags, unsigned int cq_entries)
{
	memset(&s->p, 0, sizeof(s->p));
	s->p.flags = flags;
	s->p.cq_entries = cq_entries;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = io_uring_setup(entries, &s->p);
	return s->fd < 0 ? s->fd : 0;
}

#define SETUP(entries, flags, cq_entries) \
	do_setup(&self->s, entries, flags, cq_entries)

TEST_F_TIMEOUT(setup, zero_entries, IOU_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, SETUP(0, 0, 0));
	EXPECT_EQ(-EINVAL, SETUP(0, IORING_SETUP_CLAMP, 0));
}

TEST_F_TIMEOUT(setup, too_many_entries, IOU_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, SETUP(IOU_MAX_ENTRIES + 1, 0, 0));
	EXPECT_EQ(-EINVAL, SETUP(2 * IOU_MAX_ENTRIES, 0, 0));
	EXPECT_EQ(-EINVAL, SETUP(UINT_MAX, 0, 0));
}

TEST_F_TIMEOUT(setup, max_entries, IOU_TIMEOUT)
{
	ASSERT_EQ(0, SETUP(IOU_MAX_ENTRIES, 0, 0));
	EXPECT_EQ(IOU_MAX_ENTRIES, self->s.p.sq_entries);
	EXPECT_EQ(IOU_MAX_CQ_ENTRIES, self->s.p.cq_entries);
}

TEST_F_TIMEOUT(setup, clamp_entries, IOU_TIMEOUT)
{
	ASSERT_EQ(0, SETUP(IOU_MAX_ENTRIES + 1, IORING_SETUP_CLAMP, 0));
	EXPECT_EQ(IOU_MAX_ENTRIES, self->s.p.sq_entries);
	EXPECT_EQ(IOU_MAX_CQ_ENTRIES, self->s.p.cq_entries);

	ASSERT_EQ(0, SETUP(UINT_MAX, IORING_SETUP_CLAMP, 0));
	EXPECT_EQ(IOU_MAX_ENTRIES, self->s.p.sq_entries);
	EXPECT_EQ(IOU_MAX_CQ_ENTRIES, self->s.p.cq_entries);

	/* Clamping does not touch sizes that are in range. */
	ASSERT_EQ(0, SETUP(8, IORING_SETUP_CLAMP, 0));
	EXPECT_EQ(8, self->s.p.sq_entries);
	EXPECT_EQ(16, self->s.p.cq_entries);
}

TEST_F_TIMEOUT(setup, round_up_pow2, IOU_TIMEOUT)
{
	static const unsigned int in[] = { 1, 2, 3, 5, 7, 9, 100, 1000, 4097,
					   IOU_MAX_ENTRIES - 1 };
	static const unsigned int out[] = { 1, 2, 4, 8, 8, 16, 128, 1024, 8192,
					    IOU_MAX_ENTRIES };
	int i;

	for (i = 0; i < ARRAY_SIZE(in); i++) {
		ASSERT_EQ(0, SETUP(in[i], 0, 0));
		EXPECT_EQ(out[i], self->s.p.sq_entries) {
			TH_LOG("entries %u", in[i]);
		}
	}
}

TEST_F_TIMEOUT(setup, cq_default_double, IOU_TIMEOUT)
{
	unsigned int n;

	for (n = 1; n <= IOU_MAX_ENTRIES; n <<= 1) {
		ASSERT_EQ(0, SETUP(n, 0, 0));
		EXPECT_EQ(n, self->s.p.sq_entries);
		EXPECT_EQ(2 * n, self->s.p.cq_entries);
	}
}

TEST_F_TIMEOUT(setup, cqsize, IOU_TIMEOUT)
{
	ASSERT_EQ(0, SETUP(4, IORING_SETUP_CQSIZE, 64));
	EXPECT_EQ(4, self->s.p.sq_entries);
	EXPECT_EQ(64, self->s.p.cq_entries);

	/* Rounded up to a power of two. */
	ASSERT_EQ(0, SETUP(4, IORING_SETUP_CQSIZE, 10));
	EXPECT_EQ(16, self->s.p.cq_entries);

	/* A CQ as big as the SQ is fine. */
	ASSERT_EQ(0, SETUP(8, IORING_SETUP_CQSIZE, 8));
	EXPECT_EQ(8, self->s.p.sq_entries);
	EXPECT_EQ(8, self->s.p.cq_entries);

	/*
	 * The comparison with the SQ size is made after rounding: 5 becomes
	 * 8, which is not smaller than the 8-entry SQ.
	 */
	ASSERT_EQ(0, SETUP(8, IORING_SETUP_CQSIZE, 5));
	EXPECT_EQ(8, self->s.p.cq_entries);

	ASSERT_EQ(0, SETUP(1, IORING_SETUP_CQSIZE, IOU_MAX_CQ_ENTRIES));
	EXPECT_EQ(1, self->s.p.sq_entries);
	EXPECT_EQ(IOU_MAX_CQ_ENTRIES, self->s.p.cq_entries);
}

TEST_F_TIMEOUT(setup, cqsize_invalid, IOU_TIMEOUT)
{
	/* Smaller than the SQ ring. */
	EXPECT_EQ(-EINVAL, SETUP(8, IORING_SETUP_CQSIZE, 4));
	EXPECT_EQ(-EINVAL, SETUP(64, IORING_SETUP_CQSIZE, 1));
	/* Zero. */
	EXPECT_EQ(-EINVAL, SETUP(8, IORING_SETUP_CQSIZE, 0));
	/* Too big without IORING_SETUP_CLAMP. */
	EXPECT_EQ(-EINVAL, SETUP(8, IORING_SETUP_CQSIZE,
				 IOU_MAX_CQ_ENTRIES + 1));
	EXPECT_EQ(-EINVAL, SETUP(8, IORING_SETUP_CQSIZE, UINT_MAX));
}

TEST_F_TIMEOUT(setup, cqsize_clamp, IOU_TIMEOUT)
{
	ASSERT_EQ(0, SETUP(8, IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP,
			   IOU_MAX_CQ_ENTRIES + 1));
	EXPECT_EQ(8, self->s.p.sq_entries);
	EXPECT_EQ(IOU_MAX_CQ_ENTRIES, self->s.p.cq_entries);

	ASSERT_EQ(0, SETUP(8, IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP,
			   UINT_MAX));
	EXPECT_EQ(IOU_MAX_CQ_ENTRIES, self->s.p.cq_entries);

	/* Without CQSIZE, cq_entries is ignored, even with CLAMP. */
	ASSERT_EQ(0, SETUP(8, IORING_SETUP_CLAMP, UINT_MAX));
	EXPECT_EQ(16, self->s.p.cq_entries);
}

TEST_F_TIMEOUT(setup, cq_entries_ignored_without_cqsize, IOU_TIMEOUT)
{
	ASSERT_EQ(0, SETUP(8, 0, 3));
	EXPECT_EQ(16, self->s.p.cq_entries);
}

TEST_F_TIMEOUT(setup, unknown_flags, IOU_TIMEOUT)
{
	/*
	 * Bits above IORING_SETUP_DEFER_TASKRUN are unknown to 6.1, but later
	 * kernels give meaning to some of them, so only use the top bit.
	 */
	EXPECT_EQ(-EINVAL, SETUP(8, 1U << 31, 0));
	EXPECT_EQ(-EINVAL, SETUP(8, IORING_SETUP_CQSIZE | (1U << 31), 16));
}

TEST_F_TIMEOUT(setup, sq_aff_without_sqpoll, IOU_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, SETUP(8, IORING_SETUP_SQ_AFF, 0));
}

TEST_F_TIMEOUT(setup, resv_nonzero, IOU_TIMEOUT)
{
	int i;

	for (i = 0; i < 3; i++) {
		memset(&self->s.p, 0, sizeof(self->s.p));
		self->s.p.resv[i] = 1;
		EXPECT_EQ(-EINVAL, io_uring_setup(8, &self->s.p)) {
			TH_LOG("resv[%d]", i);
		}
	}
}

TEST_F_TIMEOUT(setup, bad_params_pointer, IOU_TIMEOUT)
{
	void *none;

	EXPECT_EQ(-EFAULT, io_uring_setup(8, NULL));

	none = mmap(NULL, getpagesize(), PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, none);
	EXPECT_EQ(-EFAULT, io_uring_setup(8, none));

	/* Readable but not writable: the result cannot be copied back. */
	ASSERT_EQ(0, mprotect(none, getpagesize(), PROT_READ));
	EXPECT_EQ(-EFAULT, io_uring_setup(8, none));
	munmap(none, getpagesize());
}

TEST_F_TIMEOUT(setup, ring_offsets, IOU_TIMEOUT)
{
	static const unsigned int sizes[] = { 1, 4, 8, 256, 4096 };
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct io_sqring_offsets *so;
		struct io_cqring_offsets *co;
		struct ring r;
		size_t sq_sz, cq_sz;

		ASSERT_EQ(0, ring_init(&r, sizes[i], 0));
		so = &r.p.sq_off;
		co = &r.p.cq_off;
		sq_sz = ring_sq_size(&r.p);
		cq_sz = ring_cq_size(&r.p);

		/* Every field lies inside its ring and is 4-byte aligned. */
		EXPECT_LT(so->head, sq_sz);
		EXPECT_LT(so->tail, sq_sz);
		EXPECT_LT(so->ring_mask, sq_sz);
		EXPECT_LT(so->ring_entries, sq_sz);
		EXPECT_LT(so->flags, sq_sz);
		EXPECT_LT(so->dropped, sq_sz);
		EXPECT_EQ(0, (so->head | so->tail | so->ring_mask |
			      so->ring_entries | so->flags | so->dropped |
			      so->array) & 3);
		EXPECT_LT(co->head, cq_sz);
		EXPECT_LT(co->tail, cq_sz);
		EXPECT_LT(co->ring_mask, cq_sz);
		EXPECT_LT(co->ring_entries, cq_sz);
		EXPECT_LT(co->overflow, cq_sz);
		EXPECT_LT(co->flags, cq_sz);
		EXPECT_EQ(0, (co->head | co->tail | co->ring_mask |
			      co->ring_entries | co->overflow | co->flags) & 3);
		EXPECT_EQ(0, co->cqes % sizeof(__u64));

		/* Head and tail are distinct words. */
		EXPECT_NE(so->head, so->tail);
		EXPECT_NE(co->head, co->tail);

		/* The reserved words are zero. */
		EXPECT_EQ(0, so->resv1);
		EXPECT_EQ(0, so->resv2);
		EXPECT_EQ(0, co->resv1);
		EXPECT_EQ(0, co->resv2);

		/* The mapped values agree with the parameters. */
		EXPECT_EQ(sizes[i], r.p.sq_entries);
		EXPECT_EQ(r.p.sq_entries - 1, *r.sq_mask);
		EXPECT_EQ(r.p.sq_entries, *r.sq_entries);
		EXPECT_EQ(r.p.cq_entries - 1, *r.cq_mask);
		EXPECT_EQ(r.p.cq_entries, *r.cq_entries);

		/* A new ring is empty. */
		EXPECT_EQ(0, *r.sq_head);
		EXPECT_EQ(0, *r.sq_tail);
		EXPECT_EQ(0, *r.sq_dropped);
		EXPECT_EQ(0, *r.sq_flags);
		EXPECT_EQ(0, *r.cq_head);
		EXPECT_EQ(0, *r.cq_tail);
		EXPECT_EQ(0, *r.cq_overflow);
		EXPECT_EQ(0, *r.cq_flags);

		ring_exit(&r);
	}
}

TEST_F_TIMEOUT(setup, fd_cloexec_rdwr, IOU_TIMEOUT)
{
	int fl;

	ASSERT_EQ(0, SETUP(8, 0, 0));
	fl = fcntl(self->s.fd, F_GETFD);
	ASSERT_GE(fl, 0);
	EXPECT_TRUE(fl & FD_CLOEXEC);
	fl = fcntl(self->s.fd, F_GETFL);
	ASSERT_GE(fl, 0);
	EXPECT_EQ(O_RDWR, fl & O_ACCMODE);
}

TEST_F_TIMEOUT(setup, proc_fd_link, IOU_TIMEOUT)
{
	char path[64], link[128];
	ssize_t n;

	ASSERT_EQ(0, SETUP(8, 0, 0));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", self->s.fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0 && errno == ENOENT)
		SKIP(return, "/proc is not mounted");
	ASSERT_GT(n, 0);
	link[n] = '\0';
	EXPECT_STREQ("anon_inode:[io_uring]", link);
}

TEST_F_TIMEOUT(setup, features, IOU_TIMEOUT)
{
	ASSERT_EQ(0, SETUP(8, 0, 0));
	EXPECT_EQ(IOU_CORE_FEATURES, self->s.p.features & IOU_CORE_FEATURES) {
		TH_LOG("features 0x%x", self->s.p.features);
	}
	EXPECT_TRUE(self->s.p.features & IORING_FEAT_SINGLE_MMAP);
	EXPECT_TRUE(self->s.p.features & IORING_FEAT_NODROP);
	EXPECT_TRUE(self->s.p.features & IORING_FEAT_SUBMIT_STABLE);
	EXPECT_TRUE(self->s.p.features & IORING_FEAT_RW_CUR_POS);
	EXPECT_TRUE(self->s.p.features & IORING_FEAT_EXT_ARG);
}

TEST_F_TIMEOUT(setup, many_rings, IOU_TIMEOUT)
{
	int fds[64], i;

	for (i = 0; i < 64; i++) {
		memset(&self->s.p, 0, sizeof(self->s.p));
		fds[i] = io_uring_setup(4, &self->s.p);
		ASSERT_GE(fds[i], 0);
	}
	for (i = 0; i < 64; i++)
		EXPECT_EQ(0, close(fds[i]));
}

TEST_HARNESS_MAIN
