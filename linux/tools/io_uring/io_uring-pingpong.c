// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring-pingpong: request/response round-trip latency over a stream
 * socket, every socket read and write an IORING_OP_READ / IORING_OP_WRITE,
 * or with -m an IORING_OP_RECV / IORING_OP_SEND.
 *
 * A client and a server process (fork()) each own a ring. The client writes
 * a size-byte message and reads the echo back, one request in flight; the
 * server echoes every message. Each side submits one SQE at a time and waits
 * for its CQE, so a round trip is four io_uring_enter() calls in all. Short
 * reads and writes are resubmitted for the remainder.
 *
 *   tcp   127.0.0.1, an ephemeral port, TCP_NODELAY on both ends
 *   unix  socketpair(AF_UNIX, SOCK_STREAM)
 *
 * Prints one line of key=value pairs in a fixed order (on one line):
 *   transport=tcp ops=readwrite|sendrecv size=64 iters=<n> secs=<s>
 *   p50_us=<t> p99_us=<t> min_us=<t> max_us=<t> mean_us=<t>
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "raw_uring.h"

#define MAX_SIZE	65536U

struct opts {
	unsigned long iters;
	unsigned long warmup;
	unsigned int size;
	unsigned int secs;
	int tcp;
};

/* the opcodes that move the messages: READ/WRITE, or RECV/SEND with -m */
static int op_in = IORING_OP_READ, op_out = IORING_OP_WRITE;

static void usage(const char *prog)
{
	fprintf(stderr,
		"Usage: %s [options] tcp|unix\n"
		"  -n iters   measured round trips (default 10000)\n"
		"  -w warmup  unmeasured round trips first (default 100)\n"
		"  -s size    message size in bytes (default 64)\n"
		"  -t secs    stop measuring after this long (default: no limit)\n"
		"  -m         IORING_OP_RECV and SEND instead of READ and WRITE\n",
		prog);
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * One op_in or op_out request of @len bytes at @buf on @fd,
 * waited for. Returns the CQE result (bytes moved or a negative errno);
 * -EINTR and -EAGAIN completions are reissued.
 */
static int ring_rw_once(struct uring *r, int op, int fd, char *buf,
			unsigned int len)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int ret;

again:
	sqe = uring_get_sqe(r);
	if (!sqe)
		return -EBUSY;	/* one request at a time: cannot happen */
	uring_prep_rw(sqe, op, fd, buf, len, 0);
	sqe->user_data = op;
	for (;;) {
		ret = uring_submit_and_wait_retry(r, 1);
		if (ret < 0)
			return ret;
		cqe = uring_peek_cqe(r);
		if (cqe)
			break;
	}
	if (cqe->user_data != (unsigned long long)op) {
		fprintf(stderr, "io_uring-pingpong: bogus CQE user_data=%llu\n",
			(unsigned long long)cqe->user_data);
		uring_cq_advance(r, 1);
		return -EIO;
	}
	ret = cqe->res;
	uring_cq_advance(r, 1);
	if (ret == -EINTR || ret == -EAGAIN)
		goto again;
	if (uring_cq_dropped(r)) {
		fprintf(stderr, "io_uring-pingpong: kernel dropped completions\n");
		return -EIO;
	}
	return ret;
}

/*
 * Move exactly @len bytes. Returns @len, 0 on end of file before the first
 * byte (reads only), or a negative errno (-EPIPE: end of file mid-message).
 */
static int ring_rw_all(struct uring *r, int op, int fd, char *buf,
		       unsigned int len)
{
	unsigned int done = 0;
	int ret;

	while (done < len) {
		ret = ring_rw_once(r, op, fd, buf + done, len - done);
		if (ret < 0)
			return ret;
		if (!ret) {
			if (op == op_in && !done)
				return 0;
			return -EPIPE;
		}
		done += ret;
	}
	return len;
}

static int serve(int fd, unsigned int size)
{
	struct uring ring;
	char *buf;
	int ret;

	buf = malloc(size);
	if (!buf)
		return 1;
	ret = uring_init(&ring, 4, NULL);
	if (ret < 0) {
		fprintf(stderr, "io_uring-pingpong: server: io_uring_setup: %s\n",
			strerror(-ret));
		free(buf);
		return 1;
	}
	for (;;) {
		ret = ring_rw_all(&ring, op_in, fd, buf, size);
		if (ret <= 0)
			break;
		ret = ring_rw_all(&ring, op_out, fd, buf, size);
		if (ret < 0)
			break;
	}
	if (ret < 0)
		fprintf(stderr, "io_uring-pingpong: server: %s\n",
			strerror(-ret));
	uring_exit(&ring);
	free(buf);
	return ret < 0;
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/* nearest-rank percentile of the sorted @lat */
static double pct_us(const unsigned long long *lat, unsigned long n,
		     unsigned int pct)
{
	unsigned long rank = (n * pct + 99) / 100;

	if (!rank)
		rank = 1;
	return lat[rank - 1] / 1000.0;
}

static int client(int fd, const struct opts *o, const char *name)
{
	unsigned long long *lat, t0, t1, start, deadline = 0, sum = 0;
	unsigned long i, n = 0;
	struct uring ring;
	char *msg, *reply;
	int ret, status = 1;

	lat = calloc(o->iters, sizeof(*lat));
	msg = malloc(o->size);
	reply = malloc(o->size);
	if (!lat || !msg || !reply) {
		fprintf(stderr, "io_uring-pingpong: out of memory\n");
		goto out_free;
	}
	ret = uring_init(&ring, 4, NULL);
	if (ret < 0) {
		fprintf(stderr, "io_uring-pingpong: io_uring_setup: %s\n",
			strerror(-ret));
		goto out_free;
	}

	start = now_ns();
	for (i = 0; n < o->iters; i++) {
		memset(msg, 'a' + i % 26, o->size);
		memcpy(msg, &i, o->size < sizeof(i) ? o->size : sizeof(i));
		t0 = now_ns();
		ret = ring_rw_all(&ring, op_out, fd, msg, o->size);
		if (ret >= 0)
			ret = ring_rw_all(&ring, op_in, fd, reply, o->size);
		t1 = now_ns();
		if (ret <= 0) {
			fprintf(stderr, "io_uring-pingpong: round trip %lu: %s\n",
				i, ret ? strerror(-ret) : "server closed");
			goto out_ring;
		}
		if (memcmp(msg, reply, o->size)) {
			fprintf(stderr, "io_uring-pingpong: round trip %lu: reply differs\n",
				i);
			goto out_ring;
		}
		if (i == o->warmup && o->secs)
			deadline = t1 + o->secs * 1000000000ULL;
		if (i < o->warmup)
			continue;
		lat[n++] = t1 - t0;
		sum += t1 - t0;
		if (deadline && t1 >= deadline)
			break;
	}

	qsort(lat, n, sizeof(*lat), cmp_ull);
	printf("transport=%s ops=%s size=%u iters=%lu secs=%.3f ", name,
	       op_in == IORING_OP_RECV ? "sendrecv" : "readwrite", o->size, n,
	       (now_ns() - start) / 1e9);
	printf("p50_us=%.1f p99_us=%.1f min_us=%.1f max_us=%.1f mean_us=%.1f\n",
	       pct_us(lat, n, 50), pct_us(lat, n, 99), lat[0] / 1000.0,
	       lat[n - 1] / 1000.0, sum / 1000.0 / n);
	status = 0;
out_ring:
	uring_exit(&ring);
out_free:
	free(lat);
	free(msg);
	free(reply);
	return status;
}

/* a connected TCP pair over 127.0.0.1; returns 0 or -1 */
static int tcp_pair(int sv[2])
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int lfd, one = 1;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(lfd, 1) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &len) < 0)
		goto fail;
	sv[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (sv[0] < 0)
		goto fail;
	if (connect(sv[0], (struct sockaddr *)&sin, sizeof(sin)) < 0)
		goto fail_client;
	sv[1] = accept(lfd, NULL, NULL);
	if (sv[1] < 0)
		goto fail_client;
	close(lfd);
	setsockopt(sv[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(sv[1], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
fail_client:
	close(sv[0]);
fail:
	close(lfd);
	return -1;
}

static int parse_ul(const char *s, unsigned long *val)
{
	char *end;

	errno = 0;
	*val = strtoul(s, &end, 0);
	return errno || end == s || *end || *s == '-' ? -1 : 0;
}

int main(int argc, char *argv[])
{
	struct opts o = { .iters = 10000, .warmup = 100, .size = 64 };
	unsigned long val;
	int opt, sv[2], wstatus, status;
	const char *name;
	pid_t pid;

	while ((opt = getopt(argc, argv, "n:w:s:t:hm")) != -1) {
		if (opt == 'h') {
			usage(argv[0]);
			return 0;
		}
		if (opt == 'm') {
			op_in = IORING_OP_RECV;
			op_out = IORING_OP_SEND;
			continue;
		}
		if (opt == '?' || parse_ul(optarg, &val)) {
			usage(argv[0]);
			return 1;
		}
		switch (opt) {
		case 'n':
			o.iters = val;
			break;
		case 'w':
			o.warmup = val;
			break;
		case 's':
			o.size = val;
			break;
		case 't':
			o.secs = val;
			break;
		}
	}
	if (argc - optind != 1 || !o.iters || !o.size || o.size > MAX_SIZE ||
	    o.secs > 86400) {
		usage(argv[0]);
		return 1;
	}
	name = argv[optind];
	if (!strcmp(name, "tcp")) {
		o.tcp = 1;
	} else if (strcmp(name, "unix")) {
		usage(argv[0]);
		return 1;
	}

	if (o.tcp ? tcp_pair(sv) : socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		perror("io_uring-pingpong: socket pair");
		return 1;
	}
	/* a write to a closed peer must fail with EPIPE, not kill us */
	signal(SIGPIPE, SIG_IGN);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("io_uring-pingpong: fork");
		return 1;
	}
	if (!pid) {
		close(sv[0]);
		_exit(serve(sv[1], o.size));
	}
	close(sv[1]);
	status = client(sv[0], &o, name);
	/* end of file for the server, which then exits */
	shutdown(sv[0], SHUT_WR);
	close(sv[0]);
	if (waitpid(pid, &wstatus, 0) < 0 || !WIFEXITED(wstatus) ||
	    WEXITSTATUS(wstatus)) {
		fprintf(stderr, "io_uring-pingpong: the server failed\n");
		status = 1;
	}
	return status;
}
