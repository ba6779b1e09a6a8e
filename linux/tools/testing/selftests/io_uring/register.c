// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_register(2): opcode validation, the opcode probe, registered
 * files, registered buffers and eventfd notification.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <linux/magic.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define ENTRIES		8
#define PROBE_OPS	256

FIXTURE(reg) {
	struct ring r;
	int pfd[2];
};

FIXTURE_SETUP(reg)
{
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, 0));
	ASSERT_EQ(0, pipe(self->pfd));
}

FIXTURE_TEARDOWN(reg)
{
	close(self->pfd[0]);
	close(self->pfd[1]);
	ring_exit(&self->r);
}

static struct io_uring_probe *probe_alloc(void)
{
	return calloc(1, sizeof(struct io_uring_probe) +
			 PROBE_OPS * sizeof(struct io_uring_probe_op));
}

static void *map_anon(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

TEST_F_TIMEOUT(reg, bad_opcode, IOU_TIMEOUT)
{
	/* 6.1 knows opcodes below 26; newer kernels a few more, not 255. */
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd, 255, NULL, 0));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd, 1000, NULL, 0));
}

TEST_F_TIMEOUT(reg, bad_fd, IOU_TIMEOUT)
{
	int ret;

	EXPECT_EQ(-EBADF, io_uring_register(-2, IORING_UNREGISTER_EVENTFD,
					    NULL, 0));
	EXPECT_EQ(-EBADF, io_uring_register(1000000,
					    IORING_UNREGISTER_EVENTFD,
					    NULL, 0));
	/*
	 * 6.1 treats -1 like any bad fd.  Since 6.13 fd -1 selects the
	 * ring-less ("blind") opcodes, and others fail with EINVAL.
	 */
	ret = io_uring_register(-1, IORING_UNREGISTER_EVENTFD, NULL, 0);
	if (kernel_newer_than(6, 1) && ret == -EINVAL)
		ret = -EBADF;
	EXPECT_EQ(-EBADF, ret);
	EXPECT_EQ(-EOPNOTSUPP, io_uring_register(self->pfd[0],
						 IORING_UNREGISTER_EVENTFD,
						 NULL, 0));
}

TEST_F_TIMEOUT(reg, probe, IOU_TIMEOUT)
{
	struct io_uring_probe *p = probe_alloc();
	int i;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_PROBE, p,
				       PROBE_OPS));
	/* At least every opcode of the 6.1 ABI has a slot. */
	EXPECT_GE(p->ops_len, IORING_OP_LAST);
	EXPECT_LE(p->ops_len, PROBE_OPS);
	EXPECT_EQ(p->ops_len - 1, p->last_op);
	for (i = 0; i < p->ops_len; i++)
		EXPECT_EQ(i, p->ops[i].op);
	/* Slots past ops_len are left alone. */
	for (i = p->ops_len; i < PROBE_OPS; i++) {
		EXPECT_EQ(0, p->ops[i].op);
		EXPECT_EQ(0, p->ops[i].flags);
	}

	/* The operations exercised by these selftests. */
	EXPECT_TRUE(p->ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
	EXPECT_TRUE(p->ops[IORING_OP_READV].flags & IO_URING_OP_SUPPORTED);
	EXPECT_TRUE(p->ops[IORING_OP_WRITEV].flags & IO_URING_OP_SUPPORTED);
	EXPECT_TRUE(p->ops[IORING_OP_FSYNC].flags & IO_URING_OP_SUPPORTED);
	EXPECT_TRUE(p->ops[IORING_OP_READ_FIXED].flags &
		    IO_URING_OP_SUPPORTED);
	EXPECT_TRUE(p->ops[IORING_OP_WRITE_FIXED].flags &
		    IO_URING_OP_SUPPORTED);
	EXPECT_TRUE(p->ops[IORING_OP_READ].flags & IO_URING_OP_SUPPORTED);
	EXPECT_TRUE(p->ops[IORING_OP_WRITE].flags & IO_URING_OP_SUPPORTED);
	EXPECT_TRUE(p->ops[IORING_OP_FILES_UPDATE].flags &
		    IO_URING_OP_SUPPORTED);

	/* Only the flag bit is defined. */
	for (i = 0; i < p->ops_len; i++)
		EXPECT_EQ(0, p->ops[i].flags & ~IO_URING_OP_SUPPORTED);
	free(p);
}

TEST_F_TIMEOUT(reg, probe_short, IOU_TIMEOUT)
{
	struct io_uring_probe *p = probe_alloc();

	ASSERT_NE(NULL, p);
	/* A short array is filled up to its size; last_op is still global. */
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_PROBE, p,
				       4));
	EXPECT_EQ(4, p->ops_len);
	EXPECT_GE(p->last_op, IORING_OP_LAST - 1);
	EXPECT_EQ(3, p->ops[3].op);
	EXPECT_EQ(0, p->ops[4].op);
	EXPECT_EQ(0, p->ops[4].flags);
	EXPECT_TRUE(p->ops[IORING_OP_NOP].flags & IO_URING_OP_SUPPORTED);
	free(p);
}

TEST_F_TIMEOUT(reg, probe_not_zeroed, IOU_TIMEOUT)
{
	struct io_uring_probe *p = probe_alloc();

	ASSERT_NE(NULL, p);
	p->resv = 1;
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_PROBE, p,
					     PROBE_OPS));
	p->resv = 0;
	p->resv2[1] = 1;
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_PROBE, p,
					     PROBE_OPS));
	p->resv2[1] = 0;
	p->ops[2].flags = IO_URING_OP_SUPPORTED;
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_PROBE, p,
					     PROBE_OPS));
	p->ops[2].flags = 0;
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_PROBE, p,
				       PROBE_OPS));
	free(p);
}

TEST_F_TIMEOUT(reg, probe_bad_args, IOU_TIMEOUT)
{
	struct io_uring_probe *p = probe_alloc();

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_PROBE, NULL,
					     PROBE_OPS));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_PROBE, p,
					     PROBE_OPS + 1));
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_PROBE, (void *)8,
					     PROBE_OPS));
	free(p);
}

TEST_F_TIMEOUT(reg, files, IOU_TIMEOUT)
{
	int fds[4] = { self->pfd[0], -1, self->pfd[1], -1 };
	int newfds[2];
	struct io_uring_files_update up;
	char buf[8] = { 0 };

	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 4));
	EXPECT_EQ(-EBUSY, io_uring_register(self->r.fd,
					    IORING_REGISTER_FILES, fds, 4));

	/* The registered files are usable through IOSQE_FIXED_FILE. */
	EXPECT_EQ(3, ring_run_one(&self->r, IORING_OP_WRITE, 2, "abc", 3, 0,
				  IOSQE_FIXED_FILE));
	EXPECT_EQ(3, ring_run_one(&self->r, IORING_OP_READ, 0, buf,
				  sizeof(buf), 0, IOSQE_FIXED_FILE));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	/* A sparse slot has no file. */
	EXPECT_EQ(-EBADF, ring_run_one(&self->r, IORING_OP_READ, 1, buf,
				       sizeof(buf), 0, IOSQE_FIXED_FILE));

	/* Fill slots 1 and 3. */
	newfds[0] = self->pfd[1];
	newfds[1] = self->pfd[0];
	memset(&up, 0, sizeof(up));
	up.offset = 1;
	up.fds = (__u64)(uintptr_t)newfds;
	EXPECT_EQ(1, io_uring_register(self->r.fd,
				       IORING_REGISTER_FILES_UPDATE, &up, 1));
	up.offset = 3;
	up.fds = (__u64)(uintptr_t)&newfds[1];
	EXPECT_EQ(1, io_uring_register(self->r.fd,
				       IORING_REGISTER_FILES_UPDATE, &up, 1));
	EXPECT_EQ(2, ring_run_one(&self->r, IORING_OP_WRITE, 1, "xy", 2, 0,
				  IOSQE_FIXED_FILE));
	EXPECT_EQ(2, ring_run_one(&self->r, IORING_OP_READ, 3, buf,
				  sizeof(buf), 0, IOSQE_FIXED_FILE));
	EXPECT_EQ(0, memcmp(buf, "xy", 2));

	/* Clear slot 1 and leave slot 2 alone (IORING_REGISTER_FILES_SKIP). */
	newfds[0] = -1;
	newfds[1] = IORING_REGISTER_FILES_SKIP;
	up.offset = 1;
	up.fds = (__u64)(uintptr_t)newfds;
	EXPECT_EQ(2, io_uring_register(self->r.fd,
				       IORING_REGISTER_FILES_UPDATE, &up, 2));
	EXPECT_EQ(-EBADF, ring_run_one(&self->r, IORING_OP_WRITE, 1, "z", 1,
				       0, IOSQE_FIXED_FILE));
	EXPECT_EQ(1, ring_run_one(&self->r, IORING_OP_WRITE, 2, "z", 1, 0,
				  IOSQE_FIXED_FILE));
	EXPECT_EQ(1, read(self->pfd[0], buf, sizeof(buf)));

	/* Updates past the end of the table. */
	up.offset = 4;
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES_UPDATE,
					     &up, 1));
	up.offset = 3;
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES_UPDATE,
					     &up, 2));

	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_UNREGISTER_FILES,
				       NULL, 0));
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_UNREGISTER_FILES, NULL, 0));
	EXPECT_EQ(-EBADF, ring_run_one(&self->r, IORING_OP_READ, 0, buf,
				       sizeof(buf), 0, IOSQE_FIXED_FILE));

	/* A new set can be registered after unregistering. */
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 2));
}

TEST_F_TIMEOUT(reg, files_invalid, IOU_TIMEOUT)
{
	int fds[2] = { self->pfd[0], 1000000 };
	struct io_uring_files_update up;

	/* Nothing registered yet. */
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_UNREGISTER_FILES, NULL, 0));
	memset(&up, 0, sizeof(up));
	up.fds = (__u64)(uintptr_t)fds;
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_REGISTER_FILES_UPDATE,
					    &up, 1));

	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES, fds, 0));
	/* An fd that is not open. */
	EXPECT_EQ(-EBADF, io_uring_register(self->r.fd,
					    IORING_REGISTER_FILES, fds, 2));
	/* (A NULL array registers a sparse table, so use a bad pointer.) */
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILES,
					     (void *)8, 2));
	/* The failed attempts left nothing registered. */
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_UNREGISTER_FILES, NULL, 0));

	/* Unregister takes no argument. */
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 1));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_UNREGISTER_FILES, fds, 0));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_UNREGISTER_FILES, NULL, 1));
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_UNREGISTER_FILES,
				       NULL, 0));
}

TEST_F_TIMEOUT(reg, files_ring_fd, IOU_TIMEOUT)
{
	int fd = self->r.fd;

	/* A ring can't hold a reference to an io_uring file (6.1: EBADF). */
	EXPECT_EQ(-EBADF, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
					    &fd, 1));
}

TEST_F_TIMEOUT(reg, buffers, IOU_TIMEOUT)
{
	size_t len = 4 * getpagesize();
	char *mem = map_anon(2 * len);
	struct iovec iov[2];

	ASSERT_NE(MAP_FAILED, mem);
	iov[0].iov_base = mem;
	iov[0].iov_len = len;
	iov[1].iov_base = mem + len;
	iov[1].iov_len = 100;	/* need not be page sized */

	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS,
				       iov, 2));
	EXPECT_EQ(-EBUSY, io_uring_register(self->r.fd,
					    IORING_REGISTER_BUFFERS, iov, 2));
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_UNREGISTER_BUFFERS,
				       NULL, 0));
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_UNREGISTER_BUFFERS,
					    NULL, 0));
	/* And again after unregistering. */
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS,
				       iov, 1));
	/* The ring's close releases them. */
	munmap(mem, 2 * len);
}

TEST_F_TIMEOUT(reg, buffers_invalid_args, IOU_TIMEOUT)
{
	char *mem = map_anon(getpagesize());
	struct iovec iov = { .iov_base = mem, .iov_len = getpagesize() };

	ASSERT_NE(MAP_FAILED, mem);
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_UNREGISTER_BUFFERS,
					    NULL, 0));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, &iov, 0));
	/* Far beyond any limit on the number of buffers. */
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, &iov,
					     1U << 16));
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, NULL, 1));

	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS,
				       &iov, 1));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_UNREGISTER_BUFFERS,
					     &iov, 0));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_UNREGISTER_BUFFERS,
					     NULL, 1));
	munmap(mem, getpagesize());
}

TEST_F_TIMEOUT(reg, buffer_too_big, IOU_TIMEOUT)
{
	size_t len = (1UL << 30) + getpagesize();
	struct iovec iov;
	void *mem;

	/* Reserve address space only; the length check comes first. */
	mem = mmap(NULL, len, PROT_NONE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	iov.iov_base = mem;
	iov.iov_len = len;
	/* io_uring_register(2): EFAULT if iov_len is greater than 1GiB. */
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, &iov, 1));
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_UNREGISTER_BUFFERS,
					    NULL, 0));
	munmap(mem, len);
}

TEST_F_TIMEOUT(reg, buffer_zero_length, IOU_TIMEOUT)
{
	char *mem = map_anon(getpagesize());
	struct iovec iov[2];

	ASSERT_NE(MAP_FAILED, mem);
	/* A real address with no length. */
	iov[0].iov_base = mem;
	iov[0].iov_len = 0;
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, iov, 1));
	/* ... also when it's not the first entry. */
	iov[0].iov_len = getpagesize();
	iov[1].iov_base = mem;
	iov[1].iov_len = 0;
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, iov, 2));
	/* A NULL address with a length. */
	iov[0].iov_base = NULL;
	iov[0].iov_len = getpagesize();
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, iov, 1));
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_UNREGISTER_BUFFERS,
					    NULL, 0));
	munmap(mem, getpagesize());
}

TEST_F_TIMEOUT(reg, buffer_unmapped, IOU_TIMEOUT)
{
	size_t len = 4 * getpagesize();
	struct iovec iov;
	char *mem;

	mem = map_anon(len);
	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(0, munmap(mem, len));
	iov.iov_base = mem;
	iov.iov_len = len;
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_BUFFERS, &iov, 1));
}

TEST_F_TIMEOUT(reg, buffer_file_backed, IOU_TIMEOUT)
{
	char path[] = "./io_uring_reg_XXXXXX";
	size_t len = 2 * getpagesize();
	struct statfs sfs;
	struct iovec iov;
	void *mem;
	int fd, ret;

	/* Run from a directory on a real file system (ext4, xfs, ...). */
	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	unlink(path);
	ASSERT_EQ(0, fstatfs(fd, &sfs));
	if (sfs.f_type == TMPFS_MAGIC) {
		close(fd);
		SKIP(return, "cwd is on tmpfs, whose pages may be registered");
	}
	ASSERT_EQ(0, ftruncate(fd, len));
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, mem);
	memset(mem, 1, len);

	iov.iov_base = mem;
	iov.iov_len = len;
	ret = io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS, &iov, 1);
	/*
	 * 6.1 pins the pages and then rejects the file-backed VMA with
	 * EOPNOTSUPP.  Since 6.3 the long-term pin itself already refuses
	 * such mappings, so newer kernels (seen on 6.18) answer EFAULT.
	 */
	if (kernel_newer_than(6, 1) && ret == -EFAULT)
		ret = -EOPNOTSUPP;
	EXPECT_EQ(-EOPNOTSUPP, ret);
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_UNREGISTER_BUFFERS,
					    NULL, 0));
	munmap(mem, len);
	close(fd);
}

TEST_F_TIMEOUT(reg, buffer_shmem, IOU_TIMEOUT)
{
	size_t len = 2 * getpagesize();
	struct iovec iov;
	void *mem;

	/* Shared anonymous memory is shmem, which may be registered. */
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, mem);
	iov.iov_base = mem;
	iov.iov_len = len;
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS,
				       &iov, 1));
	munmap(mem, len);
}

TEST_F_TIMEOUT(reg, eventfd, IOU_TIMEOUT)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	int bad = -1;

	ASSERT_GE(efd, 0);
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_UNREGISTER_EVENTFD,
					    NULL, 0));
	EXPECT_EQ(-EBADF, io_uring_register(self->r.fd,
					    IORING_REGISTER_EVENTFD, &bad, 1));
	/* A valid fd that is not an eventfd. */
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_EVENTFD,
					     &self->pfd[0], 1));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_EVENTFD, &efd, 2));
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_EVENTFD, NULL, 1));

	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_EVENTFD,
				       &efd, 1));
	EXPECT_EQ(-EBUSY, io_uring_register(self->r.fd,
					    IORING_REGISTER_EVENTFD, &efd, 1));
	EXPECT_EQ(-EBUSY, io_uring_register(self->r.fd,
					    IORING_REGISTER_EVENTFD_ASYNC,
					    &efd, 1));
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_UNREGISTER_EVENTFD,
				       NULL, 0));
	EXPECT_EQ(-ENXIO, io_uring_register(self->r.fd,
					    IORING_UNREGISTER_EVENTFD,
					    NULL, 0));
	/* Re-registering after unregistering is fine. */
	EXPECT_EQ(0, io_uring_register(self->r.fd,
				       IORING_REGISTER_EVENTFD_ASYNC, &efd, 1));
	EXPECT_EQ(0, io_uring_register(self->r.fd, IORING_UNREGISTER_EVENTFD,
				       NULL, 0));
	close(efd);
}

TEST_F_TIMEOUT(reg, eventfd_signalled, IOU_TIMEOUT)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct io_uring_cqe cqe;
	__u64 val = 0;

	ASSERT_GE(efd, 0);
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_EVENTFD,
				       &efd, 1));
	/* Nothing completed yet. */
	EXPECT_EQ(-1, read(efd, &val, sizeof(val)));
	EXPECT_EQ(EAGAIN, errno);

	ring_prep_nop(ring_get_sqe(&self->r), 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(sizeof(val), read(efd, &val, sizeof(val)));
	EXPECT_GE(val, 1);

	/* IORING_CQ_EVENTFD_DISABLED in the CQ flags mutes notifications. */
	__atomic_store_n(self->r.cq_flags, IORING_CQ_EVENTFD_DISABLED,
			 __ATOMIC_RELEASE);
	ring_prep_nop(ring_get_sqe(&self->r), 2);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(-1, read(efd, &val, sizeof(val)));
	EXPECT_EQ(EAGAIN, errno);

	__atomic_store_n(self->r.cq_flags, 0, __ATOMIC_RELEASE);
	ring_prep_nop(ring_get_sqe(&self->r), 3);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(sizeof(val), read(efd, &val, sizeof(val)));
	EXPECT_GE(val, 1);
	close(efd);
}

TEST_F_TIMEOUT(reg, eventfd_async, IOU_TIMEOUT)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	__u64 val = 0;

	ASSERT_GE(efd, 0);
	ASSERT_EQ(0, io_uring_register(self->r.fd,
				       IORING_REGISTER_EVENTFD_ASYNC, &efd, 1));

	/* A NOP completes inline while being submitted: no notification. */
	ring_prep_nop(ring_get_sqe(&self->r), 1);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(-1, read(efd, &val, sizeof(val)));
	EXPECT_EQ(EAGAIN, errno);

	/* Forced to the async workers, the same NOP does notify. */
	sqe = ring_get_sqe(&self->r);
	ring_prep_nop(sqe, 2);
	sqe->flags = IOSQE_ASYNC;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(2, cqe.user_data);
	ASSERT_EQ(sizeof(val), read(efd, &val, sizeof(val)));
	EXPECT_GE(val, 1);
	close(efd);
}

/* IORING_OP_FILES_UPDATE: IORING_REGISTER_FILES_UPDATE as a request. */
TEST_F_TIMEOUT(reg, files_update_op, IOU_TIMEOUT)
{
	int fds[4] = { self->pfd[0], -1, -1, -1 };
	int up[2] = { self->pfd[1], IORING_REGISTER_FILES_SKIP };
	char buf[8] = { 0 };

	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 4));
	/* Slot 1 gets the pipe's write end, slot 2 is skipped. */
	EXPECT_EQ(2, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1, up, 2,
				  1, 0));
	EXPECT_EQ(2, ring_run_one(&self->r, IORING_OP_WRITE, 1, "ok", 2, 0,
				  IOSQE_FIXED_FILE));
	EXPECT_EQ(2, ring_run_one(&self->r, IORING_OP_READ, 0, buf,
				  sizeof(buf), 0, IOSQE_FIXED_FILE));
	EXPECT_EQ(0, memcmp(buf, "ok", 2));
	EXPECT_EQ(-EBADF, ring_run_one(&self->r, IORING_OP_READ, 2, buf,
				       sizeof(buf), 0, IOSQE_FIXED_FILE));

	/* From a worker (IOSQE_ASYNC), which takes the table's lock itself. */
	up[0] = -1;
	EXPECT_EQ(1, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1, up, 1,
				  1, IOSQE_ASYNC));
	EXPECT_EQ(-EBADF, ring_run_one(&self->r, IORING_OP_WRITE, 1, "x", 1,
				       0, IOSQE_FIXED_FILE));
}

TEST_F_TIMEOUT(reg, files_update_op_alloc, IOU_TIMEOUT)
{
	int fds[3] = { -1, self->pfd[0], -1 };
	int up[3] = { self->pfd[1], self->pfd[1], self->pfd[1] };
	struct io_uring_files_update fup;
	int *ro;

	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 3));
	/*
	 * IORING_FILE_INDEX_ALLOC puts each file in a free slot and writes
	 * the slot over the fd: two free slots, so two of three are done.
	 */
	EXPECT_EQ(2, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1, up, 3,
				  (__u64)(__s64)-1, 0));
	EXPECT_TRUE((up[0] == 0 && up[1] == 2) || (up[0] == 2 && up[1] == 0));
	EXPECT_EQ(self->pfd[1], up[2]);
	EXPECT_EQ(1, ring_run_one(&self->r, IORING_OP_WRITE, up[0], "a", 1, 0,
				  IOSQE_FIXED_FILE));
	EXPECT_EQ(1, ring_run_one(&self->r, IORING_OP_WRITE, up[1], "b", 1, 0,
				  IOSQE_FIXED_FILE));
	/* The table is full now. */
	up[0] = self->pfd[1];
	EXPECT_EQ(-ENFILE, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1,
					up, 1, IORING_FILE_INDEX_ALLOC, 0));

	/* Nowhere to write the slot back: the file is not left installed. */
	fds[0] = -1;
	memset(&fup, 0, sizeof(fup));
	fup.fds = (__u64)(uintptr_t)fds;
	ASSERT_EQ(1, io_uring_register(self->r.fd,
				       IORING_REGISTER_FILES_UPDATE, &fup, 1));
	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ro[0] = self->pfd[1];
	ASSERT_EQ(0, mprotect(ro, 4096, PROT_READ));
	EXPECT_EQ(-EFAULT, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1,
					ro, 1, IORING_FILE_INDEX_ALLOC, 0));
	EXPECT_EQ(-EBADF, ring_run_one(&self->r, IORING_OP_WRITE, 0, "c", 1,
				       0, IOSQE_FIXED_FILE));
	munmap(ro, 4096);
}

TEST_F_TIMEOUT(reg, file_alloc_range, IOU_TIMEOUT)
{
	int fds[4] = { -1, -1, -1, -1 };
	struct io_uring_file_index_range range = { .off = 1, .len = 2 };
	int up[3];

	/* No table: only an empty range fits. */
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILE_ALLOC_RANGE,
					     &range, 0));
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 4));
	/* Bad arguments. */
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILE_ALLOC_RANGE,
					     &range, 1));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILE_ALLOC_RANGE,
					     NULL, 0));
	EXPECT_EQ(-EFAULT, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILE_ALLOC_RANGE,
					     (void *)8, 0));
	range.resv = 1;
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILE_ALLOC_RANGE,
					     &range, 0));
	range.resv = 0;
	range.len = 4;
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_FILE_ALLOC_RANGE,
					     &range, 0));
	range.len = ~0U;
	EXPECT_EQ(-EOVERFLOW, io_uring_register(self->r.fd,
						IORING_REGISTER_FILE_ALLOC_RANGE,
						&range, 0));
	/* Slots 1 and 2 only: two files fit, the third does not. */
	range.len = 2;
	ASSERT_EQ(0, io_uring_register(self->r.fd,
				       IORING_REGISTER_FILE_ALLOC_RANGE,
				       &range, 0));
	up[0] = self->pfd[1];
	up[1] = self->pfd[1];
	up[2] = self->pfd[1];
	EXPECT_EQ(2, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1, up, 3,
				  IORING_FILE_INDEX_ALLOC, 0));
	EXPECT_TRUE((up[0] == 1 && up[1] == 2) || (up[0] == 2 && up[1] == 1));
	EXPECT_EQ(-EBADF, ring_run_one(&self->r, IORING_OP_WRITE, 0, "a", 1, 0,
				       IOSQE_FIXED_FILE));
	EXPECT_EQ(1, ring_run_one(&self->r, IORING_OP_WRITE, 1, "a", 1, 0,
				  IOSQE_FIXED_FILE));
	EXPECT_EQ(-ENFILE, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1,
					up, 1, IORING_FILE_INDEX_ALLOC, 0));
}

TEST_F_TIMEOUT(reg, files_update_op_errors, IOU_TIMEOUT)
{
	int fds[2] = { self->pfd[0], self->pfd[1] };
	int ringfd = self->r.fd, bad = 1000000;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	/* No table yet. */
	EXPECT_EQ(-ENXIO, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1,
				       fds, 1, 0, 0));
	EXPECT_EQ(-ENXIO, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1,
				       fds, 1, IORING_FILE_INDEX_ALLOC, 0));
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 2));
	/* Nothing to update, or past the end of the table. */
	EXPECT_EQ(-EINVAL, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1,
					fds, 0, 0, 0));
	EXPECT_EQ(-EINVAL, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1,
					fds, 1, 2, 0));
	EXPECT_EQ(-EINVAL, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1,
					fds, 2, 1, 0));
	/* Bad pointer, fd not open, a ring fd. */
	EXPECT_EQ(-EFAULT, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1,
					(void *)8, 1, 0, 0));
	EXPECT_EQ(-EBADF, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1,
				       &bad, 1, 0, 0));
	EXPECT_EQ(-EBADF, ring_run_one(&self->r, IORING_OP_FILES_UPDATE, -1,
				       &ringfd, 1, 0, 0));
	/* Fields the opcode has no use for must be zero. */
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_FILES_UPDATE, -1, fds, 1, 0, 7);
	sqe->rw_flags = 1;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);
}

/* Submit a NOP naming @personality, optionally forced to a worker. */
static int nop_as(struct ring *r, __u16 personality, __u8 flags)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);
	struct io_uring_cqe cqe;

	if (!sqe)
		return -EBUSY;
	ring_prep_nop(sqe, 9);
	sqe->personality = personality;
	sqe->flags = flags;
	if (ring_submit(r) != 1 || ring_wait_cqe(r, &cqe) || cqe.user_data != 9)
		return -EIO;
	return cqe.res;
}

/* No personality is registered: any id in sqe->personality is unknown. */
TEST_F_TIMEOUT(reg, unknown_personality, IOU_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, nop_as(&self->r, 1, 0));
	EXPECT_EQ(-EINVAL, nop_as(&self->r, 0xffff, 0));
	EXPECT_EQ(0, nop_as(&self->r, 0, 0));
}

TEST_F_TIMEOUT(reg, personality, IOU_TIMEOUT)
{
	int id, id2;

	EXPECT_TRUE(self->r.p.features & IORING_FEAT_CUR_PERSONALITY);
	id = io_uring_register(self->r.fd, IORING_REGISTER_PERSONALITY,
			       NULL, 0);
	ASSERT_GE(id, 1);
	ASSERT_LE(id, 0xffff);
	id2 = io_uring_register(self->r.fd, IORING_REGISTER_PERSONALITY,
				NULL, 0);
	ASSERT_GE(id2, 1);
	EXPECT_NE(id, id2);

	/* Requests may name it, inline or from a worker. */
	EXPECT_EQ(0, nop_as(&self->r, id, 0));
	EXPECT_EQ(0, nop_as(&self->r, id2, IOSQE_ASYNC));
	EXPECT_EQ(-EINVAL, nop_as(&self->r, id + id2, 0));

	/* Once unregistered, the id is unknown. */
	EXPECT_EQ(0, io_uring_register(self->r.fd,
				       IORING_UNREGISTER_PERSONALITY, NULL, id));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_UNREGISTER_PERSONALITY,
					     NULL, id));
	EXPECT_EQ(-EINVAL, nop_as(&self->r, id, 0));
	EXPECT_EQ(0, nop_as(&self->r, id2, 0));
	/* id2 stays registered: ring teardown drops it. */
}

TEST_F_TIMEOUT(reg, personality_bad_args, IOU_TIMEOUT)
{
	int id;

	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_PERSONALITY,
					     self, 0));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_REGISTER_PERSONALITY,
					     NULL, 1));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_UNREGISTER_PERSONALITY,
					     NULL, 0));
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_UNREGISTER_PERSONALITY,
					     NULL, 0x10000));
	id = io_uring_register(self->r.fd, IORING_REGISTER_PERSONALITY,
			       NULL, 0);
	ASSERT_GE(id, 1);
	EXPECT_EQ(-EINVAL, io_uring_register(self->r.fd,
					     IORING_UNREGISTER_PERSONALITY,
					     self, id));
	EXPECT_EQ(0, io_uring_register(self->r.fd,
				       IORING_UNREGISTER_PERSONALITY, NULL, id));
}

/* A request keeps its personality's creds when it is unregistered. */
TEST_F_TIMEOUT(reg, personality_outlives_unregister, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	char buf[4];
	int id;

	id = io_uring_register(self->r.fd, IORING_REGISTER_PERSONALITY,
			       NULL, 0);
	ASSERT_GE(id, 1);
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_READ, self->pfd[0], buf, sizeof(buf), 0,
		     5);
	sqe->personality = id;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, io_uring_register(self->r.fd,
				       IORING_UNREGISTER_PERSONALITY, NULL, id));
	ASSERT_EQ(2, write(self->pfd[1], "ok", 2));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(5, cqe.user_data);
	EXPECT_EQ(2, cqe.res);
}

/*
 * A read in flight keeps its registered file and buffer when both leave
 * their tables, through two updates: the first retires another slot, the
 * second the pipe's read end, so the file must outlive a generation of
 * the tables that no request of its own uses.  The read end stays open
 * (a write finds a reader) until the read's CQE, and closes with it.
 */
TEST_F_TIMEOUT(reg, entries_outlive_their_tables, IOU_TIMEOUT)
{
	int fds[2] = { self->pfd[0], self->pfd[1] };
	struct io_uring_files_update up;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int clear = -1;
	struct iovec iov;
	char *buf;

	buf = map_anon(4096);
	ASSERT_NE(MAP_FAILED, buf);
	iov.iov_base = buf;
	iov.iov_len = 4096;
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 2));
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS,
				       &iov, 1));
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_READ_FIXED, 0, buf + 100, 8, 0, 7);
	sqe->flags = IOSQE_FIXED_FILE;
	sqe->buf_index = 0;
	ASSERT_EQ(1, ring_submit(&self->r));

	memset(&up, 0, sizeof(up));
	up.fds = (__u64)(uintptr_t)&clear;
	up.offset = 1;
	ASSERT_EQ(1, io_uring_register(self->r.fd,
				       IORING_REGISTER_FILES_UPDATE, &up, 1));
	up.offset = 0;
	ASSERT_EQ(1, io_uring_register(self->r.fd,
				       IORING_REGISTER_FILES_UPDATE, &up, 1));
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_UNREGISTER_BUFFERS,
				       NULL, 0));
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_UNREGISTER_FILES,
				       NULL, 0));
	close(self->pfd[0]);
	self->pfd[0] = -1;

	/* the read's file is the last reference to the read end */
	ASSERT_EQ(5, write(self->pfd[1], "hello", 5));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(7, cqe.user_data);
	EXPECT_EQ(5, cqe.res);
	EXPECT_EQ(0, memcmp(buf + 100, "hello", 5));
	/* and it goes with the read (a worker's fput() may lag a little) */
	EXPECT_EQ(0, write_until_epipe(self->pfd[1]));
	munmap(buf, 4096);
}

TEST_HARNESS_MAIN
