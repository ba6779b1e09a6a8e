// SPDX-License-Identifier: GPL-2.0
/*
 * Read and write requests: regular files (plain, vectored, current
 * position, fixed buffers, fixed files, fsync, O_DIRECT), pipes and
 * sockets, including I/O that has to wait for data.
 *
 * The test file is created in the current directory, which should be on a
 * disk file system for the O_DIRECT case.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define ENTRIES	8
#define BS	4096

FIXTURE(rw) {
	struct ring r;
	int fd;
	char path[32];
	char *wbuf, *rbuf;
};

FIXTURE_SETUP(rw)
{
	int i;

	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, 0));
	strcpy(self->path, "./io_uring_rw_XXXXXX");
	self->fd = mkstemp(self->path);
	ASSERT_GE(self->fd, 0);
	self->wbuf = malloc(4 * BS);
	self->rbuf = malloc(4 * BS);
	ASSERT_NE(NULL, self->wbuf);
	ASSERT_NE(NULL, self->rbuf);
	for (i = 0; i < 4 * BS; i++)
		self->wbuf[i] = (char)(i * 7 + 3);
	memset(self->rbuf, 0, 4 * BS);
}

FIXTURE_TEARDOWN(rw)
{
	if (self->fd >= 0)
		close(self->fd);
	unlink(self->path);
	free(self->wbuf);
	free(self->rbuf);
	ring_exit(&self->r);
}

/* Run one request on the fixture's ring. */
#define RUN(op, fd, addr, len, off, flags) \
	ring_run_one(&self->r, (op), (fd), (addr), (len), (off), (flags))

TEST_F_TIMEOUT(rw, write_read, IOU_TIMEOUT)
{
	ASSERT_EQ(BS, RUN(IORING_OP_WRITE, self->fd, self->wbuf, BS, 0, 0));
	ASSERT_EQ(BS, RUN(IORING_OP_READ, self->fd, self->rbuf, BS, 0, 0));
	EXPECT_EQ(0, memcmp(self->wbuf, self->rbuf, BS));

	/* At an offset, checked with plain syscalls. */
	ASSERT_EQ(100, RUN(IORING_OP_WRITE, self->fd, self->wbuf + 1, 100,
			   5000, 0));
	ASSERT_EQ(100, pread(self->fd, self->rbuf, 100, 5000));
	EXPECT_EQ(0, memcmp(self->wbuf + 1, self->rbuf, 100));
	/* The hole in between reads back as zeroes. */
	ASSERT_EQ(10, RUN(IORING_OP_READ, self->fd, self->rbuf, 10, 4990, 0));
	EXPECT_EQ(0, memcmp(self->rbuf, "\0\0\0\0\0\0\0\0\0\0", 10));
	/* Positioned I/O leaves the file position alone. */
	EXPECT_EQ(0, lseek(self->fd, 0, SEEK_CUR));
}

TEST_F_TIMEOUT(rw, writev_readv, IOU_TIMEOUT)
{
	struct iovec wiov[3] = {
		{ self->wbuf, 10 },
		{ self->wbuf + 10, 1000 },
		{ self->wbuf + 1010, BS },
	};
	struct iovec riov[2] = {
		{ self->rbuf, 3 },
		{ self->rbuf + 3, 2 * BS },
	};
	size_t total = 10 + 1000 + BS;

	ASSERT_EQ(total, RUN(IORING_OP_WRITEV, self->fd, wiov, 3, 512, 0));
	/* The second iovec is longer than the file: a short read. */
	ASSERT_EQ(total, RUN(IORING_OP_READV, self->fd, riov, 2, 512, 0));
	EXPECT_EQ(0, memcmp(self->wbuf, self->rbuf, total));
	ASSERT_EQ(total, pread(self->fd, self->rbuf, 2 * BS, 512));
	EXPECT_EQ(0, memcmp(self->wbuf, self->rbuf, total));
}

TEST_F_TIMEOUT(rw, current_position, IOU_TIMEOUT)
{
	struct iovec iov = { self->rbuf + 6, 4 };
	char buf[8] = { 0 };

	if (!(self->r.p.features & IORING_FEAT_RW_CUR_POS))
		SKIP(return, "no IORING_FEAT_RW_CUR_POS");

	/* Offset -1 writes at, and advances, the file position. */
	ASSERT_EQ(3, RUN(IORING_OP_WRITE, self->fd, "abc", 3, -1ULL, 0));
	EXPECT_EQ(3, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(3, RUN(IORING_OP_WRITE, self->fd, "def", 3, -1ULL, 0));
	EXPECT_EQ(6, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(4, write(self->fd, "ghij", 4));
	ASSERT_EQ(10, pread(self->fd, self->rbuf, 16, 0));
	EXPECT_EQ(0, memcmp(self->rbuf, "abcdefghij", 10));

	/* Reads likewise. */
	ASSERT_EQ(2, lseek(self->fd, 2, SEEK_SET));
	ASSERT_EQ(3, RUN(IORING_OP_READ, self->fd, buf, 3, -1ULL, 0));
	EXPECT_EQ(0, memcmp(buf, "cde", 3));
	EXPECT_EQ(5, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(1, RUN(IORING_OP_READ, self->fd, buf, 1, -1ULL, 0));
	EXPECT_EQ('f', buf[0]);
	EXPECT_EQ(6, lseek(self->fd, 0, SEEK_CUR));

	/* And the vectored forms; a short read advances by what was read. */
	memset(self->rbuf, 0, 16);
	ASSERT_EQ(4, RUN(IORING_OP_READV, self->fd, &iov, 1, -1ULL, 0));
	EXPECT_EQ(0, memcmp(self->rbuf + 6, "ghij", 4));
	EXPECT_EQ(10, lseek(self->fd, 0, SEEK_CUR));
	ASSERT_EQ(0, RUN(IORING_OP_READV, self->fd, &iov, 1, -1ULL, 0));
	EXPECT_EQ(10, lseek(self->fd, 0, SEEK_CUR));
	iov.iov_base = "KLM";
	iov.iov_len = 3;
	ASSERT_EQ(3, RUN(IORING_OP_WRITEV, self->fd, &iov, 1, -1ULL, 0));
	EXPECT_EQ(13, lseek(self->fd, 0, SEEK_CUR));
}

TEST_F_TIMEOUT(rw, short_read_at_eof, IOU_TIMEOUT)
{
	ASSERT_EQ(100, pwrite(self->fd, self->wbuf, 100, 0));
	EXPECT_EQ(100, RUN(IORING_OP_READ, self->fd, self->rbuf, BS, 0, 0));
	EXPECT_EQ(0, memcmp(self->wbuf, self->rbuf, 100));
	EXPECT_EQ(50, RUN(IORING_OP_READ, self->fd, self->rbuf, 100, 50, 0));
	EXPECT_EQ(0, memcmp(self->wbuf + 50, self->rbuf, 50));
	EXPECT_EQ(1, RUN(IORING_OP_READ, self->fd, self->rbuf, 100, 99, 0));
}

TEST_F_TIMEOUT(rw, read_past_eof, IOU_TIMEOUT)
{
	struct iovec iov = { self->rbuf, BS };

	ASSERT_EQ(100, pwrite(self->fd, self->wbuf, 100, 0));
	EXPECT_EQ(0, RUN(IORING_OP_READ, self->fd, self->rbuf, BS, 100, 0));
	EXPECT_EQ(0, RUN(IORING_OP_READ, self->fd, self->rbuf, BS, 1 << 20,
			 0));
	EXPECT_EQ(0, RUN(IORING_OP_READV, self->fd, &iov, 1, BS, 0));
	/* A zero-length read is fine too. */
	EXPECT_EQ(0, RUN(IORING_OP_READ, self->fd, self->rbuf, 0, 0, 0));
}

TEST_F_TIMEOUT(rw, read_only_fd, IOU_TIMEOUT)
{
	int ro = open(self->path, O_RDONLY);

	ASSERT_GE(ro, 0);
	EXPECT_EQ(-EBADF, RUN(IORING_OP_WRITE, ro, self->wbuf, 10, 0, 0));
	close(ro);
}

TEST_F_TIMEOUT(rw, fixed_buffers, IOU_TIMEOUT)
{
	size_t len = 4 * BS;
	char *mem = mmap(NULL, 2 * len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct iovec iov[2];

	ASSERT_NE(MAP_FAILED, mem);
	iov[0].iov_base = mem;
	iov[0].iov_len = len;
	iov[1].iov_base = mem + len;
	iov[1].iov_len = len;
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS,
				       iov, 2));
	memcpy(mem, self->wbuf, len);

	/* Whole buffer 0 out, into buffer 1. */
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_WRITE_FIXED, self->fd, mem, len, 0, 1);
	sqe->buf_index = 0;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(len, cqe.res);

	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_READ_FIXED, self->fd, mem + len, len, 0,
		     2);
	sqe->buf_index = 1;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(len, cqe.res);
	EXPECT_EQ(0, memcmp(mem, mem + len, len));

	/* A sub-range in the middle of a buffer, at an unaligned address. */
	memset(mem + len, 0, len);
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_READ_FIXED, self->fd, mem + len + 777,
		     1000, 333, 3);
	sqe->buf_index = 1;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(1000, cqe.res);
	EXPECT_EQ(0, memcmp(mem + len + 777, self->wbuf + 333, 1000));

	/* Up to the very end of a buffer, short at EOF. */
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_READ_FIXED, self->fd, mem + len + len - 10,
		     10, len - 4, 4);
	sqe->buf_index = 1;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(4, cqe.res);
	munmap(mem, 2 * len);
}

/*
 * A registered buffer that does not start on a page: ranges that start in
 * its first, partial page, on the boundary after it, and pages further in.
 */
TEST_F_TIMEOUT(rw, fixed_buffer_unaligned, IOU_TIMEOUT)
{
	static const struct { size_t at, len; } t[] = {
		{ 0, 3 * BS }, { 1, 100 }, { BS - 101, 2 }, { BS - 100, 50 },
		{ BS - 99, BS }, { 2 * BS - 100, 10 }, { 2 * BS + 7, BS - 7 },
		{ 3 * BS - 1, 1 }, { 3 * BS, 0 },
	};
	char *mem = mmap(NULL, 4 * BS, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *buf = mem + 100;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct iovec iov;
	size_t i;

	ASSERT_NE(MAP_FAILED, mem);
	ASSERT_EQ(4 * BS, pwrite(self->fd, self->wbuf, 4 * BS, 0));
	iov.iov_base = buf;
	iov.iov_len = 3 * BS;
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS,
				       &iov, 1));
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		memset(mem, 0, 4 * BS);
		sqe = ring_get_sqe(&self->r);
		/* file offset i: each range reads different bytes */
		ring_prep_rw(sqe, IORING_OP_READ_FIXED, self->fd,
			     buf + t[i].at, t[i].len, i, i);
		sqe->buf_index = 0;
		ASSERT_EQ(1, ring_submit(&self->r));
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		EXPECT_EQ((int)t[i].len, cqe.res) TH_LOG("range %zu", i);
		EXPECT_EQ(0, memcmp(buf + t[i].at, self->wbuf + i, t[i].len))
			TH_LOG("range %zu", i);
		/* and nothing outside it */
		EXPECT_EQ(0, buf[t[i].at - 1]) TH_LOG("range %zu", i);
		EXPECT_EQ(0, buf[t[i].at + t[i].len]) TH_LOG("range %zu", i);
	}
	munmap(mem, 4 * BS);
}

TEST_F_TIMEOUT(rw, fixed_buffer_errors, IOU_TIMEOUT)
{
	size_t len = 2 * BS;
	/* A guard page on each side of the registered buffer. */
	char *mem = mmap(NULL, len + 2 * BS, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec iov;
	char *buf;
	struct {
		int op;
		char *addr;
		unsigned int len;
		int index;
	} bad[] = {
		/* buf_index past the registered table */
		{ IORING_OP_READ_FIXED, NULL, 100, 1 },
		{ IORING_OP_WRITE_FIXED, NULL, 100, 0xffff },
		/* starts before the buffer */
		{ IORING_OP_READ_FIXED, NULL, 100, -1 },
		/* runs past its end */
		{ IORING_OP_WRITE_FIXED, NULL, 100, -2 },
		/* entirely outside it */
		{ IORING_OP_READ_FIXED, NULL, 100, -3 },
	};
	int i;

	ASSERT_NE(MAP_FAILED, mem);
	buf = mem + BS;
	bad[0].addr = buf;
	bad[1].addr = buf;
	bad[2].addr = buf - 1;
	bad[3].addr = buf + len - 50;
	bad[4].addr = self->wbuf;

	/* Nothing registered: EFAULT (io_uring_enter(2), CQE ERRORS). */
	EXPECT_EQ(-EFAULT, ring_run_one(&self->r, IORING_OP_READ_FIXED,
					self->fd, buf, 100, 0, 0));

	ASSERT_EQ(100, pwrite(self->fd, self->wbuf, 100, 0));
	iov.iov_base = buf;
	iov.iov_len = len;
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS,
				       &iov, 1));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct io_uring_sqe *sqe = ring_get_sqe(&self->r);
		struct io_uring_cqe cqe;

		ring_prep_rw(sqe, bad[i].op, self->fd, bad[i].addr, bad[i].len,
			     0, i);
		sqe->buf_index = bad[i].index < 0 ? 0 : bad[i].index;
		ASSERT_EQ(1, ring_submit(&self->r));
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		EXPECT_EQ(i, cqe.user_data);
		/*
		 * An out of range buf_index is EFAULT in 6.1 (the man page
		 * also lists EINVAL for an invalid buf_index).
		 */
		EXPECT_EQ(-EFAULT, cqe.res) {
			TH_LOG("case %d", i);
		}
	}
	munmap(mem, len + 2 * BS);
}

TEST_F_TIMEOUT(rw, fixed_file, IOU_TIMEOUT)
{
	int files[2] = { -1, self->fd };

	/* No files registered. */
	EXPECT_EQ(-EBADF, RUN(IORING_OP_WRITE, 0, self->wbuf, 10, 0,
			      IOSQE_FIXED_FILE));

	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       files, 2));
	ASSERT_EQ(BS, RUN(IORING_OP_WRITE, 1, self->wbuf, BS, 0,
			  IOSQE_FIXED_FILE));
	ASSERT_EQ(BS, RUN(IORING_OP_READ, 1, self->rbuf, BS, 0,
			  IOSQE_FIXED_FILE));
	EXPECT_EQ(0, memcmp(self->wbuf, self->rbuf, BS));
	EXPECT_EQ(0, RUN(IORING_OP_FSYNC, 1, NULL, 0, 0, IOSQE_FIXED_FILE));

	/* The slot, not the fd number, is what counts. */
	EXPECT_EQ(-EBADF, RUN(IORING_OP_READ, 0, self->rbuf, BS, 0,
			      IOSQE_FIXED_FILE));
	EXPECT_EQ(-EBADF, RUN(IORING_OP_READ, 2, self->rbuf, BS, 0,
			      IOSQE_FIXED_FILE));
	EXPECT_EQ(-EBADF, RUN(IORING_OP_READ, 1000, self->rbuf, BS, 0,
			      IOSQE_FIXED_FILE));
	EXPECT_EQ(-EBADF, RUN(IORING_OP_READ, -1, self->rbuf, BS, 0,
			      IOSQE_FIXED_FILE));

	/* The registered file outlives the process's own fd. */
	close(self->fd);
	self->fd = -1;
	memset(self->rbuf, 0, BS);
	ASSERT_EQ(BS, RUN(IORING_OP_READ, 1, self->rbuf, BS, 0,
			  IOSQE_FIXED_FILE));
	EXPECT_EQ(0, memcmp(self->wbuf, self->rbuf, BS));
}

/*
 * A slot answers for the file in it now: one that held a regular file and
 * holds a pipe returns what the pipe has (a regular file's short read
 * would go on for the rest), and the other way round.
 */
TEST_F_TIMEOUT(rw, fixed_file_kind_follows_slot, IOU_TIMEOUT)
{
	struct io_uring_files_update up = { 0 };
	char buf[16] = { 0 };
	int files[1], pfd[2];

	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ(BS, pwrite(self->fd, self->wbuf, BS, 0));
	files[0] = self->fd;
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       files, 1));
	EXPECT_EQ(BS, RUN(IORING_OP_READ, 0, self->rbuf, BS, 0,
			  IOSQE_FIXED_FILE));

	/* The same slot, now the pipe's read end, with less than asked. */
	up.fds = (__u64)(uintptr_t)&pfd[0];
	ASSERT_EQ(1, io_uring_register(self->r.fd,
				       IORING_REGISTER_FILES_UPDATE, &up, 1));
	ASSERT_EQ(5, write(pfd[1], "hello", 5));
	EXPECT_EQ(5, RUN(IORING_OP_READ, 0, buf, sizeof(buf), 0,
			 IOSQE_FIXED_FILE));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));

	/* And back: the regular file, read past its end. */
	up.fds = (__u64)(uintptr_t)&self->fd;
	ASSERT_EQ(1, io_uring_register(self->r.fd,
				       IORING_REGISTER_FILES_UPDATE, &up, 1));
	EXPECT_EQ(16, RUN(IORING_OP_READ, 0, buf, sizeof(buf), BS - 16,
			  IOSQE_FIXED_FILE));
	EXPECT_EQ(0, RUN(IORING_OP_READ, 0, buf, sizeof(buf), BS,
			 IOSQE_FIXED_FILE));
	close(pfd[0]);
	close(pfd[1]);
}

TEST_F_TIMEOUT(rw, fsync, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	ASSERT_EQ(BS, RUN(IORING_OP_WRITE, self->fd, self->wbuf, BS, 0, 0));
	EXPECT_EQ(0, RUN(IORING_OP_FSYNC, self->fd, NULL, 0, 0, 0));

	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_FSYNC, self->fd, NULL, 0, 0, 1);
	sqe->fsync_flags = IORING_FSYNC_DATASYNC;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(0, cqe.res);

	/* Unknown fsync flags. */
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_FSYNC, self->fd, NULL, 0, 0, 2);
	sqe->fsync_flags = 1U << 5;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(-EINVAL, cqe.res);

	EXPECT_EQ(-EBADF, RUN(IORING_OP_FSYNC, -1, NULL, 0, 0, 0));
}

TEST_F_TIMEOUT(rw, bad_fd, IOU_TIMEOUT)
{
	int closed = dup(self->fd);

	ASSERT_GE(closed, 0);
	close(closed);
	EXPECT_EQ(-EBADF, RUN(IORING_OP_READ, -1, self->rbuf, 10, 0, 0));
	EXPECT_EQ(-EBADF, RUN(IORING_OP_READ, closed, self->rbuf, 10, 0, 0));
	EXPECT_EQ(-EBADF, RUN(IORING_OP_WRITE, 1000000, self->wbuf, 10, 0, 0));
	EXPECT_EQ(-EBADF, RUN(IORING_OP_READV, -1, NULL, 0, 0, 0));
}

TEST_F_TIMEOUT(rw, bad_buffer, IOU_TIMEOUT)
{
	ASSERT_EQ(100, pwrite(self->fd, self->wbuf, 100, 0));
	EXPECT_EQ(-EFAULT, RUN(IORING_OP_READ, self->fd, (void *)8, 100, 0, 0));
	EXPECT_EQ(-EFAULT, RUN(IORING_OP_READV, self->fd, (void *)8, 1, 0, 0));
}

struct delayed_write {
	int fd;
	long delay_ms;
	const void *buf;
	size_t len;
};

static void *delayed_write_fn(void *arg)
{
	struct delayed_write *dw = arg;

	usleep(dw->delay_ms * 1000);
	if (write(dw->fd, dw->buf, dw->len) != (ssize_t)dw->len)
		return (void *)1;
	return NULL;
}

TEST_F_TIMEOUT(rw, pipe_data_ready, IOU_TIMEOUT)
{
	char buf[16] = { 0 };
	int pfd[2];

	ASSERT_EQ(0, pipe(pfd));
	ASSERT_EQ(5, write(pfd[1], "hello", 5));
	/* Pipes are not seekable: offset 0 (or -1) is required. */
	EXPECT_EQ(5, RUN(IORING_OP_READ, pfd[0], buf, sizeof(buf), 0, 0));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(5, RUN(IORING_OP_WRITE, pfd[1], "world", 5, -1ULL, 0));
	EXPECT_EQ(5, read(pfd[0], buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "world", 5));
	close(pfd[1]);
	/* EOF once the write side is closed. */
	EXPECT_EQ(0, RUN(IORING_OP_READ, pfd[0], buf, sizeof(buf), 0, 0));
	close(pfd[0]);
}

static void pipe_read_later(struct __test_metadata *_metadata,
			    struct ring *r, __u8 sqe_flags)
{
	struct delayed_write dw = { .delay_ms = 100, .buf = "late", .len = 4 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	char buf[16] = { 0 };
	pthread_t thr;
	void *tret;
	int pfd[2];

	ASSERT_EQ(0, pipe(pfd));
	dw.fd = pfd[1];
	sqe = ring_get_sqe(r);
	ring_prep_rw(sqe, IORING_OP_READ, pfd[0], buf, sizeof(buf), 0, 42);
	sqe->flags = sqe_flags;
	ASSERT_EQ(1, ring_submit(r));

	/* No data: nothing completes for a while. */
	EXPECT_EQ(-ETIME, ring_wait_cqe_timeout(r, &cqe, 50));

	ASSERT_EQ(0, pthread_create(&thr, NULL, delayed_write_fn, &dw));
	ASSERT_EQ(0, ring_wait_cqe(r, &cqe));
	ASSERT_EQ(0, pthread_join(thr, &tret));
	EXPECT_EQ(NULL, tret);
	EXPECT_EQ(42, cqe.user_data);
	EXPECT_EQ(4, cqe.res);
	EXPECT_EQ(0, memcmp(buf, "late", 4));
	close(pfd[0]);
	close(pfd[1]);
}

TEST_F_TIMEOUT(rw, pipe_data_later, IOU_TIMEOUT)
{
	pipe_read_later(_metadata, &self->r, 0);
}

TEST_F_TIMEOUT(rw, pipe_data_later_async, IOU_TIMEOUT)
{
	/* Forced to an io-wq worker, where the read blocks. */
	pipe_read_later(_metadata, &self->r, IOSQE_ASYNC);
}

TEST_F_TIMEOUT(rw, pipe_many_readers, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	char buf[4][4];
	int pfd[2], i, seen = 0;

	/* Several reads parked on one empty pipe, fed one at a time. */
	ASSERT_EQ(0, pipe(pfd));
	for (i = 0; i < 4; i++)
		ring_prep_rw(ring_get_sqe(&self->r), IORING_OP_READ, pfd[0],
			     buf[i], 4, 0, i);
	ASSERT_EQ(4, ring_submit(&self->r));
	EXPECT_EQ(0, ring_cq_ready(&self->r));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(4, write(pfd[1], "abcd", 4));
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		EXPECT_EQ(4, cqe.res);
		ASSERT_LT(cqe.user_data, 4);
		EXPECT_EQ(0, memcmp(buf[cqe.user_data], "abcd", 4));
		seen |= 1 << cqe.user_data;
	}
	EXPECT_EQ(0xf, seen);
	close(pfd[0]);
	close(pfd[1]);
}

TEST_F_TIMEOUT(rw, socketpair, IOU_TIMEOUT)
{
	struct delayed_write dw = { .delay_ms = 100, .buf = "later", .len = 5 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	char buf[32] = { 0 };
	pthread_t thr;
	void *tret;
	int sv[2];

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));

	/* WRITE on one end, READ on the other. */
	EXPECT_EQ(6, RUN(IORING_OP_WRITE, sv[0], "sock-1", 6, 0, 0));
	EXPECT_EQ(6, RUN(IORING_OP_READ, sv[1], buf, sizeof(buf), 0, 0));
	EXPECT_EQ(0, memcmp(buf, "sock-1", 6));

	/* And the other direction with SEND/RECV, where the ring has them. */
	if (ring_op_supported(&self->r, IORING_OP_SEND) &&
	    ring_op_supported(&self->r, IORING_OP_RECV)) {
		sqe = ring_get_sqe(&self->r);
		ring_prep_rw(sqe, IORING_OP_SEND, sv[1], "sock-2", 6, 0, 1);
		ASSERT_EQ(1, ring_submit(&self->r));
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		EXPECT_EQ(6, cqe.res);
		sqe = ring_get_sqe(&self->r);
		ring_prep_rw(sqe, IORING_OP_RECV, sv[0], buf, sizeof(buf), 0, 2);
		ASSERT_EQ(1, ring_submit(&self->r));
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		EXPECT_EQ(6, cqe.res);
		EXPECT_EQ(0, memcmp(buf, "sock-2", 6));
	}

	/* A read that has to wait for the peer. */
	dw.fd = sv[0];
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_READ, sv[1], buf, sizeof(buf), 0, 3);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_EQ(-ETIME, ring_wait_cqe_timeout(&self->r, &cqe, 50));
	ASSERT_EQ(0, pthread_create(&thr, NULL, delayed_write_fn, &dw));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	ASSERT_EQ(0, pthread_join(thr, &tret));
	EXPECT_EQ(NULL, tret);
	EXPECT_EQ(3, cqe.user_data);
	EXPECT_EQ(5, cqe.res);
	EXPECT_EQ(0, memcmp(buf, "later", 5));

	/* The peer going away ends a pending read with EOF. */
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_READ, sv[1], buf, sizeof(buf), 0, 4);
	ASSERT_EQ(1, ring_submit(&self->r));
	EXPECT_EQ(-ETIME, ring_wait_cqe_timeout(&self->r, &cqe, 20));
	close(sv[0]);
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(4, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	close(sv[1]);
}

TEST_F_TIMEOUT(rw, o_direct, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct iovec iov;
	void *wb, *rb;
	int fd, ret;

	fd = open(self->path, O_RDWR | O_DIRECT);
	if (fd < 0 && errno == EINVAL)
		SKIP(return, "O_DIRECT not supported by this file system");
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, posix_memalign(&wb, BS, 2 * BS));
	ASSERT_EQ(0, posix_memalign(&rb, BS, 2 * BS));
	memcpy(wb, self->wbuf, 2 * BS);
	memset(rb, 0, 2 * BS);

	ret = RUN(IORING_OP_WRITE, fd, wb, 2 * BS, BS, 0);
	if (ret == -EINVAL) {
		close(fd);
		SKIP(return, "O_DIRECT write refused (block size > 4 KiB?)");
	}
	ASSERT_EQ(2 * BS, ret);
	ASSERT_EQ(BS, RUN(IORING_OP_READ, fd, rb, BS, 2 * BS, 0));
	EXPECT_EQ(0, memcmp(rb, self->wbuf + BS, BS));

	/* Through a registered buffer as well. */
	iov.iov_base = rb;
	iov.iov_len = 2 * BS;
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_BUFFERS,
				       &iov, 1));
	memset(rb, 0, 2 * BS);
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_READ_FIXED, fd, rb, 2 * BS, BS, 7);
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(2 * BS, cqe.res);
	EXPECT_EQ(0, memcmp(rb, self->wbuf, 2 * BS));

	/* The data went to the file. */
	ASSERT_EQ(2 * BS, pread(self->fd, self->rbuf, 2 * BS, BS));
	EXPECT_EQ(0, memcmp(self->rbuf, self->wbuf, 2 * BS));
	close(fd);
	free(wb);
	free(rb);
}

TEST_HARNESS_MAIN
