// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring-cp: copy a file with io_uring, keeping up to 'depth' block
 * copies in flight. Each block is read with IORING_OP_READ (READV with -V)
 * and, once the read has completed, written with IORING_OP_WRITE (WRITEV).
 * Short transfers are resubmitted for the remainder.
 *
 * Usage: io_uring-cp [-d depth] [-b blocksize] [-D] [-V] [-v] SRC DST
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <linux/fs.h>

#include "raw_uring.h"

#define DIRECT_ALIGN	4096U
#define VERIFY_CHUNK	(1024U * 1024U)

enum slot_state {
	SLOT_FREE,
	SLOT_READ,
	SLOT_WRITE,
};

struct slot {
	enum slot_state state;
	unsigned long long off;	/* file offset of this block */
	unsigned int len;	/* bytes of file data in this block */
	unsigned int io_len;	/* bytes to transfer in the current phase */
	unsigned int done;	/* bytes of io_len transferred so far */
	char *buf;
	struct iovec iov;
};

struct copy {
	struct uring ring;
	struct slot *slots;
	unsigned int depth;
	unsigned int bs;
	int direct;
	int vectored;
	int in_fd;
	int out_fd;
	const char *src;
	const char *dst;
	unsigned long long size;
	unsigned long long next_off;
	unsigned int busy;	/* slots with a request queued or in flight */
	unsigned int errors;
	int failed;
};

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [-d depth] [-b blocksize] [-D] [-V] [-v] SRC DST\n"
		"  -d depth      requests in flight (default 16)\n"
		"  -b blocksize  bytes per request, k/m suffix ok (default 128k)\n"
		"  -D            O_DIRECT on both files (blocksize: multiple of %u)\n"
		"  -V            use READV/WRITEV instead of READ/WRITE\n"
		"  -v            verify: read both files back and compare\n",
		prog, DIRECT_ALIGN);
}

static int parse_size(const char *s, unsigned long long *val)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K':
		v <<= 10;
		end++;
		break;
	case 'm': case 'M':
		v <<= 20;
		end++;
		break;
	case 'g': case 'G':
		v <<= 30;
		end++;
		break;
	}
	if (*end)
		return -1;
	*val = v;
	return 0;
}

static int file_size(int fd, unsigned long long *size)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, size) < 0)
			return -errno;
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	*size = st.st_size;
	return 0;
}

static unsigned int round_up_direct(unsigned int len)
{
	return (len + DIRECT_ALIGN - 1) & ~(DIRECT_ALIGN - 1);
}

/* Queue the remainder of the slot's current phase. */
static int queue_slot(struct copy *c, struct slot *s)
{
	struct io_uring_sqe *sqe;
	int write = s->state == SLOT_WRITE;
	int fd = write ? c->out_fd : c->in_fd;
	char *addr = s->buf + s->done;
	unsigned int len = s->io_len - s->done;
	unsigned long long off = s->off + s->done;

	sqe = uring_get_sqe_wait(&c->ring);
	if (!sqe) {
		/* at most one request per slot and depth <= SQ entries */
		fprintf(stderr, "io_uring-cp: no free SQE\n");
		return -1;
	}
	if (c->vectored) {
		s->iov.iov_base = addr;
		s->iov.iov_len = len;
		uring_prep_rw(sqe, write ? IORING_OP_WRITEV : IORING_OP_READV,
			      fd, &s->iov, 1, off);
	} else {
		uring_prep_rw(sqe, write ? IORING_OP_WRITE : IORING_OP_READ,
			      fd, addr, len, off);
	}
	sqe->user_data = s - c->slots;
	return 0;
}

static int start_block(struct copy *c, struct slot *s)
{
	unsigned long long left = c->size - c->next_off;

	s->state = SLOT_READ;
	s->off = c->next_off;
	s->len = left < c->bs ? (unsigned int)left : c->bs;
	/* O_DIRECT reads of the tail block ask for a whole aligned block */
	s->io_len = c->direct ? round_up_direct(s->len) : s->len;
	s->done = 0;
	c->next_off += s->len;
	c->busy++;
	return queue_slot(c, s);
}

static void slot_error(struct copy *c, struct slot *s, const char *what,
		       int err)
{
	int write = s->state == SLOT_WRITE;

	/* requests still in flight tend to fail the same way: say it once */
	if (!c->errors++)
		fprintf(stderr, "io_uring-cp: %s %s at offset %llu (%u bytes): %s\n",
			what, write ? c->dst : c->src, s->off + s->done,
			s->io_len - s->done, strerror(err));
	c->failed = 1;
}

static int handle_cqe(struct copy *c, const struct io_uring_cqe *cqe)
{
	struct slot *s;
	int res = cqe->res;

	if (cqe->user_data >= c->depth ||
	    c->slots[cqe->user_data].state == SLOT_FREE) {
		fprintf(stderr, "io_uring-cp: bogus CQE user_data=%llu res=%d\n",
			(unsigned long long)cqe->user_data, res);
		c->failed = 1;
		return -1;
	}
	s = &c->slots[cqe->user_data];

	if (res == -EINTR || res == -EAGAIN) {
		/* transient: try the same transfer again */
		if (c->failed)
			goto release;
		return queue_slot(c, s);
	}
	if (res < 0) {
		slot_error(c, s, s->state == SLOT_WRITE ? "write" : "read",
			   -res);
		goto release;
	}

	if (s->state == SLOT_READ) {
		if (res == 0) {
			fprintf(stderr,
				"io_uring-cp: %s: unexpected EOF at offset %llu (file shrank?)\n",
				c->src, s->off + s->done);
			c->failed = 1;
			goto release;
		}
		s->done += res;
		if (s->done < s->len) {
			/* short read: fetch the rest of the block */
			if (c->failed)
				goto release;
			return queue_slot(c, s);
		}
		/* block complete: write it out */
		s->state = SLOT_WRITE;
		s->done = 0;
		if (c->direct) {
			s->io_len = round_up_direct(s->len);
			memset(s->buf + s->len, 0, s->io_len - s->len);
		} else {
			s->io_len = s->len;
		}
		if (c->failed)
			goto release;
		return queue_slot(c, s);
	}

	if (res == 0) {
		slot_error(c, s, "write", EIO);
		goto release;
	}
	s->done += res;
	if (s->done < s->io_len && !c->failed)
		return queue_slot(c, s);
release:
	s->state = SLOT_FREE;
	c->busy--;
	return 0;
}

static int reap(struct copy *c)
{
	struct io_uring_cqe *cqe;
	unsigned int dropped;
	int ret = 0;

	while ((cqe = uring_peek_cqe(&c->ring))) {
		struct io_uring_cqe copy = *cqe;

		/* free the slot before handling: handling may queue an SQE */
		uring_cq_advance(&c->ring, 1);
		if (handle_cqe(c, &copy) < 0)
			ret = -1;
	}
	dropped = uring_cq_dropped(&c->ring);
	if (dropped) {
		fprintf(stderr, "io_uring-cp: kernel dropped %u completions\n",
			dropped);
		return -1;
	}
	return ret;
}

static int copy_loop(struct copy *c)
{
	unsigned int i;
	int ret;

	while ((!c->failed && c->next_off < c->size) || c->busy) {
		/* overflowed completions: reap before submitting more */
		if (uring_cq_overflowed(&c->ring) && reap(c) < 0)
			return -1;

		while (!c->failed && c->busy < c->depth &&
		       c->next_off < c->size) {
			for (i = 0; i < c->depth; i++)
				if (c->slots[i].state == SLOT_FREE)
					break;
			if (start_block(c, &c->slots[i]) < 0)
				return -1;
		}

		ret = uring_submit_and_wait_retry(&c->ring, c->busy ? 1 : 0);
		if (ret < 0) {
			fprintf(stderr, "io_uring-cp: io_uring_enter: %s\n",
				strerror(-ret));
			return -1;
		}
		if (reap(c) < 0)
			return -1;
	}
	if (c->errors > 1)
		fprintf(stderr, "io_uring-cp: %u requests failed in total\n",
			c->errors);
	return c->failed ? -1 : 0;
}

static int read_full(int fd, char *buf, size_t len, size_t *got)
{
	ssize_t r;

	*got = 0;
	while (*got < len) {
		r = read(fd, buf + *got, len - *got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!r)
			break;
		*got += r;
	}
	return 0;
}

static int verify_copy(const char *src, const char *dst)
{
	unsigned long long total = 0;
	char *a = NULL, *b = NULL;
	int fa = -1, fb = -1;
	size_t ga, gb, i;
	int ret = -1, err;

	fa = open(src, O_RDONLY);
	if (fa < 0) {
		fprintf(stderr, "io_uring-cp: verifying: open %s: %s\n", src,
			strerror(errno));
		goto out;
	}
	fb = open(dst, O_RDONLY);
	if (fb < 0) {
		fprintf(stderr, "io_uring-cp: verifying: open %s: %s\n", dst,
			strerror(errno));
		goto out;
	}
	a = malloc(VERIFY_CHUNK);
	b = malloc(VERIFY_CHUNK);
	if (!a || !b) {
		fprintf(stderr, "io_uring-cp: verifying: out of memory\n");
		goto out;
	}

	for (;;) {
		err = read_full(fa, a, VERIFY_CHUNK, &ga);
		if (err) {
			fprintf(stderr, "io_uring-cp: verifying: read %s: %s\n",
				src, strerror(-err));
			goto out;
		}
		err = read_full(fb, b, VERIFY_CHUNK, &gb);
		if (err) {
			fprintf(stderr, "io_uring-cp: verifying: read %s: %s\n",
				dst, strerror(-err));
			goto out;
		}
		if (memcmp(a, b, ga < gb ? ga : gb)) {
			for (i = 0; a[i] == b[i]; i++)
				;
			fprintf(stderr,
				"io_uring-cp: verifying: files differ at offset %llu\n",
				total + i);
			goto out;
		}
		if (ga != gb) {
			fprintf(stderr,
				"io_uring-cp: verifying: sizes differ (%s ends at %llu)\n",
				ga < gb ? src : dst,
				total + (ga < gb ? ga : gb));
			goto out;
		}
		total += ga;
		if (ga < VERIFY_CHUNK)
			break;
	}
	printf("verified %llu bytes\n", total);
	ret = 0;
out:
	free(a);
	free(b);
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return ret;
}

int main(int argc, char *argv[])
{
	struct copy c = { .depth = 16, .bs = 128 << 10, .in_fd = -1,
			  .out_fd = -1 };
	unsigned long long val;
	int do_verify = 0, flags, ret, opt, status = 1;
	struct stat st;
	unsigned int i;

	while ((opt = getopt(argc, argv, "d:b:DVvh")) != -1) {
		switch (opt) {
		case 'd':
			if (parse_size(optarg, &val) || !val || val > 4096) {
				fprintf(stderr, "io_uring-cp: bad depth '%s' (1..4096)\n",
					optarg);
				return 1;
			}
			c.depth = val;
			break;
		case 'b':
			if (parse_size(optarg, &val) || !val ||
			    val > (1U << 30)) {
				fprintf(stderr, "io_uring-cp: bad blocksize '%s' (1..1g)\n",
					optarg);
				return 1;
			}
			c.bs = val;
			break;
		case 'D':
			c.direct = 1;
			break;
		case 'V':
			c.vectored = 1;
			break;
		case 'v':
			do_verify = 1;
			break;
		case 'h':
			usage(argv[0]);
			return 0;
		default:
			usage(argv[0]);
			return 1;
		}
	}
	if (argc - optind != 2) {
		usage(argv[0]);
		return 1;
	}
	c.src = argv[optind];
	c.dst = argv[optind + 1];
	if (c.direct && c.bs % DIRECT_ALIGN) {
		fprintf(stderr, "io_uring-cp: -D needs a blocksize that is a multiple of %u\n",
			DIRECT_ALIGN);
		return 1;
	}

	flags = c.direct ? O_DIRECT : 0;
	c.in_fd = open(c.src, O_RDONLY | flags);
	if (c.in_fd < 0) {
		fprintf(stderr, "io_uring-cp: open %s: %s%s\n", c.src,
			strerror(errno), errno == EINVAL && c.direct ?
			" (filesystem refuses O_DIRECT?)" : "");
		return 1;
	}
	ret = file_size(c.in_fd, &c.size);
	if (ret) {
		fprintf(stderr, "io_uring-cp: %s: %s\n", c.src,
			ret == -EINVAL ? "not a regular file or block device" :
			strerror(-ret));
		goto out_close;
	}
	c.out_fd = open(c.dst, O_WRONLY | O_CREAT | O_TRUNC | flags, 0644);
	if (c.out_fd < 0) {
		fprintf(stderr, "io_uring-cp: open %s: %s%s\n", c.dst,
			strerror(errno), errno == EINVAL && c.direct ?
			" (filesystem refuses O_DIRECT?)" : "");
		goto out_close;
	}

	c.slots = calloc(c.depth, sizeof(*c.slots));
	if (!c.slots) {
		fprintf(stderr, "io_uring-cp: out of memory\n");
		goto out_close;
	}
	for (i = 0; i < c.depth; i++) {
		/* aligned for O_DIRECT; -D blocksizes are already aligned */
		if (posix_memalign((void **)&c.slots[i].buf, DIRECT_ALIGN,
				   c.bs)) {
			fprintf(stderr, "io_uring-cp: out of memory for %u x %u byte buffers\n",
				c.depth, c.bs);
			goto out_free;
		}
	}

	ret = uring_init(&c.ring, c.depth, NULL);
	if (ret < 0) {
		fprintf(stderr, "io_uring-cp: io_uring_setup: %s\n",
			strerror(-ret));
		goto out_free;
	}

	if (copy_loop(&c) == 0)
		status = 0;
	uring_exit(&c.ring);

	/* an O_DIRECT copy wrote the tail block padded: trim it */
	if (!status && c.direct && fstat(c.out_fd, &st) == 0 &&
	    S_ISREG(st.st_mode) && ftruncate(c.out_fd, c.size) < 0) {
		fprintf(stderr, "io_uring-cp: truncate %s: %s\n", c.dst,
			strerror(errno));
		status = 1;
	}
	if (close(c.out_fd) < 0) {
		fprintf(stderr, "io_uring-cp: close %s: %s\n", c.dst,
			strerror(errno));
		status = 1;
	}
	c.out_fd = -1;

	if (!status && do_verify && verify_copy(c.src, c.dst) < 0)
		status = 1;
out_free:
	for (i = 0; i < c.depth; i++)
		free(c.slots[i].buf);
	free(c.slots);
out_close:
	if (c.out_fd >= 0)
		close(c.out_fd);
	close(c.in_fd);
	return status;
}
