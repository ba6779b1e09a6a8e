// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring-bench: random block reads (or NOPs) through a raw io_uring.
 *
 * Keeps up to 'depth' requests in flight, queueing 'batch' new SQEs per
 * submit and waiting for 'reap' completions whenever the queue is full.
 * Every CQE's result is checked: a read must return exactly the block size,
 * a NOP must return 0; anything else is reported as an error.
 *
 * Prints one line per second (unless -q) and a final summary:
 *   IOPS=<n> ops=<n> secs=<s> depth=<n> batch=<n> fixed_files=<0|1>
 *   fixed_bufs=<0|1> direct=<0|1> mode=<read|nop> reap=<n> bs=<n>
 *   poll=<0|1> sqpoll=<0|1> bw_mib=<MiB/s>
 * (all on one line).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <linux/fs.h>

#include "raw_uring.h"

#define BUF_ALIGN	4096U
#define MAX_DEPTH	4096U
#define MAX_ERR_MSGS	5

struct bench {
	struct uring ring;
	unsigned int depth;
	unsigned int batch;
	unsigned int reap;
	unsigned int bs;
	int fixed_files;
	int fixed_bufs;
	int direct;
	int poll;
	int sqpoll;
	int nop;
	int quiet;
	unsigned int secs;
	unsigned long long count;
	const char *path;

	int fd;
	unsigned long long nblocks;
	char **bufs;
	unsigned long long *slot_off;	/* offset of the op using each slot */
	unsigned char *slot_busy;
	unsigned int *free_slots;
	unsigned int nr_free;
	unsigned int inflight;
	unsigned long long submitted;
	unsigned long long completed;
	unsigned long long retries;
	unsigned long long errors;
	int saw_eopnotsupp;
	unsigned long long rnd;
	int failed;
};

/* set from the signal handler; lock-free atomics are async-signal-safe */
static int interrupted;

static void on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&interrupted, 1, __ATOMIC_RELAXED);
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [options] FILE|BLOCKDEV\n"
		"       %s -n [options]\n"
		"  -d depth   requests in flight (default 32)\n"
		"  -b batch   SQEs queued per submit (default 8)\n"
		"  -r reap    completions waited for when full (default = batch)\n"
		"  -S bs      read size, k/m suffix ok (default 4k)\n"
		"  -f         fixed files (IORING_REGISTER_FILES)\n"
		"  -B         fixed buffers (IORING_REGISTER_BUFFERS, READ_FIXED)\n"
		"  -O         O_DIRECT\n"
		"  -p         IORING_SETUP_IOPOLL (needs -O)\n"
		"  -s         IORING_SETUP_SQPOLL\n"
		"  -n         IORING_OP_NOP, no file: pure ring overhead\n"
		"  -t secs    run time (default 5 unless -c is given)\n"
		"  -c count   stop after this many ops\n"
		"  -q         no per-second lines, summary only\n",
		prog, prog);
}

static int parse_num(const char *s, unsigned long long *val)
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

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* xorshift64*: cheap and good enough to scatter offsets */
static unsigned long long next_rand(struct bench *b)
{
	b->rnd ^= b->rnd >> 12;
	b->rnd ^= b->rnd << 25;
	b->rnd ^= b->rnd >> 27;
	return b->rnd * 0x2545F4914F6CDD1DULL;
}

static int open_target(struct bench *b)
{
	unsigned long long size;
	struct stat st;

	b->fd = open(b->path, O_RDONLY | (b->direct ? O_DIRECT : 0));
	if (b->fd < 0) {
		fprintf(stderr, "io_uring-bench: open %s: %s%s\n", b->path,
			strerror(errno), errno == EINVAL && b->direct ?
			" (filesystem refuses O_DIRECT?)" : "");
		return -1;
	}
	if (fstat(b->fd, &st) < 0) {
		fprintf(stderr, "io_uring-bench: stat %s: %s\n", b->path,
			strerror(errno));
		return -1;
	}
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(b->fd, BLKGETSIZE64, &size) < 0) {
			fprintf(stderr, "io_uring-bench: BLKGETSIZE64 %s: %s\n",
				b->path, strerror(errno));
			return -1;
		}
	} else if (S_ISREG(st.st_mode)) {
		size = st.st_size;
	} else {
		fprintf(stderr, "io_uring-bench: %s: not a regular file or block device\n",
			b->path);
		return -1;
	}
	b->nblocks = size / b->bs;
	if (!b->nblocks) {
		fprintf(stderr, "io_uring-bench: %s: smaller than one %u byte block\n",
			b->path, b->bs);
		return -1;
	}
	return 0;
}

static int alloc_slots(struct bench *b)
{
	unsigned int i;

	b->bufs = calloc(b->depth, sizeof(*b->bufs));
	b->slot_off = calloc(b->depth, sizeof(*b->slot_off));
	b->slot_busy = calloc(b->depth, sizeof(*b->slot_busy));
	b->free_slots = calloc(b->depth, sizeof(*b->free_slots));
	if (!b->bufs || !b->slot_off || !b->slot_busy || !b->free_slots)
		goto oom;
	for (i = 0; i < b->depth; i++) {
		if (!b->nop && posix_memalign((void **)&b->bufs[i], BUF_ALIGN,
					      b->bs))
			goto oom;
		b->free_slots[i] = b->depth - 1 - i;
	}
	b->nr_free = b->depth;
	return 0;
oom:
	fprintf(stderr, "io_uring-bench: out of memory\n");
	return -1;
}

static void free_slots(struct bench *b)
{
	unsigned int i;

	if (b->bufs)
		for (i = 0; i < b->depth; i++)
			free(b->bufs[i]);
	free(b->bufs);
	free(b->slot_off);
	free(b->slot_busy);
	free(b->free_slots);
}

static int setup_ring(struct bench *b)
{
	struct io_uring_params p;
	struct iovec *iov;
	unsigned int i;
	int ret;

	memset(&p, 0, sizeof(p));
	if (b->poll)
		p.flags |= IORING_SETUP_IOPOLL;
	if (b->sqpoll) {
		p.flags |= IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 1000;
	}
	ret = uring_init(&b->ring, b->depth, &p);
	if (ret < 0) {
		fprintf(stderr, "io_uring-bench: io_uring_setup: %s%s\n",
			strerror(-ret), ret == -EPERM && b->sqpoll ?
			" (SQPOLL may need privileges)" : "");
		return -1;
	}

	if (b->fixed_files) {
		ret = sys_io_uring_register(b->ring.fd, IORING_REGISTER_FILES,
					    &b->fd, 1);
		if (ret < 0) {
			fprintf(stderr, "io_uring-bench: IORING_REGISTER_FILES: %s\n",
				strerror(-ret));
			return -1;
		}
	}
	if (b->fixed_bufs) {
		iov = calloc(b->depth, sizeof(*iov));
		if (!iov) {
			fprintf(stderr, "io_uring-bench: out of memory\n");
			return -1;
		}
		for (i = 0; i < b->depth; i++) {
			iov[i].iov_base = b->bufs[i];
			iov[i].iov_len = b->bs;
		}
		ret = sys_io_uring_register(b->ring.fd, IORING_REGISTER_BUFFERS,
					    iov, b->depth);
		free(iov);
		if (ret < 0) {
			fprintf(stderr, "io_uring-bench: IORING_REGISTER_BUFFERS: %s%s\n",
				strerror(-ret), ret == -ENOMEM ?
				" (RLIMIT_MEMLOCK too low?)" : "");
			return -1;
		}
	}
	return 0;
}

static void teardown(struct bench *b)
{
	int ret;

	if (b->ring.fd >= 0 && b->fixed_bufs) {
		ret = sys_io_uring_register(b->ring.fd,
					    IORING_UNREGISTER_BUFFERS, NULL, 0);
		if (ret < 0 && ret != -ENXIO)
			fprintf(stderr, "io_uring-bench: IORING_UNREGISTER_BUFFERS: %s\n",
				strerror(-ret));
	}
	if (b->ring.fd >= 0 && b->fixed_files) {
		ret = sys_io_uring_register(b->ring.fd, IORING_UNREGISTER_FILES,
					    NULL, 0);
		if (ret < 0 && ret != -ENXIO)
			fprintf(stderr, "io_uring-bench: IORING_UNREGISTER_FILES: %s\n",
				strerror(-ret));
	}
	uring_exit(&b->ring);
	free_slots(b);
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
}

static void prep_one(struct bench *b, struct io_uring_sqe *sqe,
		     unsigned int slot)
{
	unsigned long long off = 0;
	int fd = b->fixed_files ? 0 : b->fd;

	if (b->nop) {
		sqe->opcode = IORING_OP_NOP;
	} else {
		off = (next_rand(b) % b->nblocks) * b->bs;
		if (b->fixed_bufs) {
			uring_prep_rw(sqe, IORING_OP_READ_FIXED, fd,
				      b->bufs[slot], b->bs, off);
			sqe->buf_index = slot;
		} else {
			uring_prep_rw(sqe, IORING_OP_READ, fd, b->bufs[slot],
				      b->bs, off);
		}
		if (b->fixed_files)
			sqe->flags |= IOSQE_FIXED_FILE;
	}
	b->slot_off[slot] = off;
	sqe->user_data = slot;
}

static int queue_ops(struct bench *b, unsigned int nr)
{
	struct io_uring_sqe *sqe;
	unsigned int slot;

	while (nr--) {
		sqe = uring_get_sqe_wait(&b->ring);
		if (!sqe) {
			fprintf(stderr, "io_uring-bench: no free SQE\n");
			return -1;
		}
		slot = b->free_slots[--b->nr_free];
		b->slot_busy[slot] = 1;
		prep_one(b, sqe, slot);
		b->inflight++;
		b->submitted++;
	}
	return 0;
}

static int check_cqe(struct bench *b, const struct io_uring_cqe *cqe)
{
	unsigned long long slot = cqe->user_data;
	int want = b->nop ? 0 : (int)b->bs;
	struct io_uring_sqe *sqe;

	if (slot >= b->depth || !b->slot_busy[slot]) {
		fprintf(stderr, "io_uring-bench: bogus CQE user_data=%llu res=%d\n",
			slot, cqe->res);
		return -1;
	}
	if (cqe->res == -EAGAIN && !b->failed) {
		/* the block layer was out of resources: reissue, don't count */
		sqe = uring_get_sqe_wait(&b->ring);
		if (sqe) {
			prep_one(b, sqe, slot);
			b->retries++;
			return 1;
		}
	}
	b->slot_busy[slot] = 0;
	b->free_slots[b->nr_free++] = slot;
	b->inflight--;
	if (cqe->res != want) {
		if (cqe->res == -EOPNOTSUPP)
			b->saw_eopnotsupp = 1;
		if (++b->errors > MAX_ERR_MSGS)
			return -1;
		if (cqe->res < 0)
			fprintf(stderr, "io_uring-bench: %s at offset %llu failed: %s (res=%d)\n",
				b->nop ? "nop" : "read", b->slot_off[slot],
				strerror(-cqe->res), cqe->res);
		else
			fprintf(stderr,
				"io_uring-bench: short %s at offset %llu: res=%d, expected %d\n",
				b->nop ? "nop" : "read", b->slot_off[slot],
				cqe->res, want);
		return -1;
	}
	b->completed++;
	return 0;
}

static int reap_cqes(struct bench *b)
{
	struct io_uring_cqe *cqe;
	unsigned int dropped;
	int ret = 0;

	while ((cqe = uring_peek_cqe(&b->ring))) {
		if (check_cqe(b, cqe) < 0)
			ret = -1;
		uring_cq_advance(&b->ring, 1);
	}
	dropped = uring_cq_dropped(&b->ring);
	if (dropped) {
		fprintf(stderr, "io_uring-bench: kernel dropped %u completions\n",
			dropped);
		ret = -1;
	}
	return ret;
}

static void print_summary(struct bench *b, double secs)
{
	double iops = secs > 0 ? b->completed / secs : 0;

	/* one line, stable key=value order: scripts parse this */
	printf("IOPS=%.0f ops=%llu secs=%.3f depth=%u batch=%u ",
	       iops, b->completed, secs, b->depth, b->batch);
	printf("fixed_files=%d fixed_bufs=%d direct=%d mode=%s ",
	       b->fixed_files, b->fixed_bufs, b->direct,
	       b->nop ? "nop" : "read");
	printf("reap=%u bs=%u poll=%d sqpoll=%d bw_mib=%.1f retries=%llu\n",
	       b->reap, b->nop ? 0 : b->bs, b->poll, b->sqpoll,
	       b->nop ? 0.0 : iops * b->bs / (1024.0 * 1024.0), b->retries);
}

static int run(struct bench *b)
{
	unsigned long long last_done = 0;
	double start, now, last, end_time;
	unsigned int nr, wait_nr, sec = 0;
	int stopping = 0, ret;

	start = now_sec();
	last = start;
	end_time = b->secs ? start + b->secs : 0;
	now = start;

	for (;;) {
		if (!stopping &&
		    (__atomic_load_n(&interrupted, __ATOMIC_RELAXED) ||
		     b->failed ||
		     (end_time && now >= end_time) ||
		     (b->count && b->submitted >= b->count)))
			stopping = 1;
		if (stopping && !b->inflight)
			break;

		/* overflowed completions: reap before submitting more */
		if (uring_cq_overflowed(&b->ring) && reap_cqes(b) < 0)
			b->failed = 1;

		nr = 0;
		if (!stopping) {
			nr = b->depth - b->inflight;
			if (nr > b->batch)
				nr = b->batch;
			if (b->count && b->count - b->submitted < nr)
				nr = b->count - b->submitted;
			if (queue_ops(b, nr) < 0)
				return -1;
		}

		wait_nr = 0;
		if (b->inflight == b->depth)
			wait_nr = b->reap;
		else if (stopping || !nr)
			wait_nr = 1;
		if (wait_nr > b->inflight)
			wait_nr = b->inflight;

		ret = uring_submit_and_wait_retry(&b->ring, wait_nr);
		if (ret < 0) {
			fprintf(stderr, "io_uring-bench: io_uring_enter: %s\n",
				strerror(-ret));
			return -1;
		}
		if (reap_cqes(b) < 0)
			b->failed = 1;

		now = now_sec();
		if (now - last >= 1.0) {
			sec++;
			if (!b->quiet)
				printf("sec=%u IOPS=%.0f inflight=%u\n", sec,
				       (b->completed - last_done) / (now - last),
				       b->inflight);
			last = now;
			last_done = b->completed;
		}
	}

	if (b->failed) {
		if (b->errors)
			fprintf(stderr, "io_uring-bench: %llu ops failed\n",
				b->errors);
		if (b->poll && b->saw_eopnotsupp)
			fprintf(stderr,
				"io_uring-bench: IOPOLL needs a device with poll queues (see /sys/block/*/queue/io_poll)\n");
		return -1;
	}
	print_summary(b, now_sec() - start);
	return 0;
}

int main(int argc, char *argv[])
{
	struct bench b = { .depth = 32, .batch = 8, .bs = 4096, .fd = -1 };
	struct sigaction sa;
	unsigned long long val;
	int opt, status = 1, have_time = 0;

	b.ring.fd = -1;
	while ((opt = getopt(argc, argv, "d:b:r:S:fBOpsnt:c:qh")) != -1) {
		switch (opt) {
		case 'd':
		case 'b':
		case 'r':
			if (parse_num(optarg, &val) || !val || val > MAX_DEPTH) {
				fprintf(stderr, "io_uring-bench: -%c: bad value '%s' (1..%u)\n",
					opt, optarg, MAX_DEPTH);
				return 1;
			}
			if (opt == 'd')
				b.depth = val;
			else if (opt == 'b')
				b.batch = val;
			else
				b.reap = val;
			break;
		case 'S':
			if (parse_num(optarg, &val) || !val || val > (1U << 30)) {
				fprintf(stderr, "io_uring-bench: bad block size '%s'\n",
					optarg);
				return 1;
			}
			b.bs = val;
			break;
		case 'f':
			b.fixed_files = 1;
			break;
		case 'B':
			b.fixed_bufs = 1;
			break;
		case 'O':
			b.direct = 1;
			break;
		case 'p':
			b.poll = 1;
			break;
		case 's':
			b.sqpoll = 1;
			break;
		case 'n':
			b.nop = 1;
			break;
		case 't':
			if (parse_num(optarg, &val) || !val || val > 86400) {
				fprintf(stderr, "io_uring-bench: bad runtime '%s'\n",
					optarg);
				return 1;
			}
			b.secs = val;
			have_time = 1;
			break;
		case 'c':
			if (parse_num(optarg, &val) || !val) {
				fprintf(stderr, "io_uring-bench: bad count '%s'\n",
					optarg);
				return 1;
			}
			b.count = val;
			break;
		case 'q':
			b.quiet = 1;
			break;
		case 'h':
			usage(argv[0]);
			return 0;
		default:
			usage(argv[0]);
			return 1;
		}
	}
	if (b.nop ? argc != optind : argc - optind != 1) {
		usage(argv[0]);
		return 1;
	}
	if (b.nop) {
		if (b.fixed_files || b.fixed_bufs || b.direct) {
			fprintf(stderr,
				"io_uring-bench: -n takes no file: -f, -B and -O do not apply\n");
			return 1;
		}
	} else {
		b.path = argv[optind];
	}
	if (b.poll && !b.nop && !b.direct) {
		fprintf(stderr, "io_uring-bench: -p (IOPOLL) needs -O (O_DIRECT)\n");
		return 1;
	}
	if (!have_time && !b.count)
		b.secs = 5;
	if (b.batch > b.depth)
		b.batch = b.depth;
	if (!b.reap)
		b.reap = b.batch;
	if (b.reap > b.depth)
		b.reap = b.depth;
	b.rnd = ((unsigned long long)getpid() << 32) ^ (unsigned long long)time(NULL);
	if (!b.rnd)
		b.rnd = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: let waits see EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (!b.nop && open_target(&b) < 0)
		goto out;
	if (alloc_slots(&b) < 0)
		goto out;
	if (setup_ring(&b) < 0)
		goto out;
	if (run(&b) == 0)
		status = 0;
out:
	teardown(&b);
	return status;
}
