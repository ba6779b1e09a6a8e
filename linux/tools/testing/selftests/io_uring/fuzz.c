// SPDX-License-Identifier: GPL-2.0
/*
 * A seeded SQE fuzzer: random batches of SQEs over every opcode, every SQE
 * flag and hostile fds, lengths, offsets and pointers, on several rings at
 * once, while a second thread closes and reopens an fd the requests use,
 * registered files and buffers change under requests in flight, children
 * and threads submit and exit, and rings are closed with requests in
 * flight.  The fuzzer checks what the ABI promises rather than what each
 * op returns:
 *
 *   - every SQE consumed gets exactly one CQE; a multishot poll a series
 *     with IORING_CQE_F_MORE ended by one without (a zero-copy send its
 *     result, then a notification); an IOSQE_CQE_SKIP_SUCCESS request at
 *     most one, and the requests linked behind one that failed (posted
 *     its CQE) may post none, as in 6.1;
 *   - no CQE carries a user_data that was never submitted, none comes
 *     twice, none after the last of a multishot series;
 *   - in an IOSQE_IO_LINK chain, every request after one that failed
 *     completes with -ECANCELED;
 *   - an opcode the ring does not support (IORING_REGISTER_PROBE) or past
 *     IORING_OP_LAST completes with -EINVAL;
 *   - once every ring is closed, the process has the fds it started with,
 *     and no io thread left (the io_threads case waits for them).
 *
 * The run is a list of sequences; sequence i is generated from the seed
 * and i alone (each SQE from the seed, i and its slot), so any subset of
 * sequences and SQEs replays on its own.  On a broken invariant the
 * fuzzer re-runs subsets in child processes to find a shorter sequence
 * that still breaks it, and prints how to replay that one.
 *
 * Environment:
 *   FUZZ_SEED=n       the seed (default: one per test case, printed; with
 *                     FUZZ_SEED the first case runs it, the others skip)
 *   FUZZ_SECONDS=n    time bound of a test case (default 15)
 *   FUZZ_SQES=n       SQE bound of a test case (default 100000)
 *   FUZZ_LONG=1       a million SQEs, no time bound, in the first case
 *                     (seed 1 unless FUZZ_SEED), the others skip
 *   FUZZ_ONLY=a,b,..  only these sequences (a replay)
 *   FUZZ_DROP=a.s,..  without these slots of those sequences
 *   FUZZ_VERBOSE=1    print every SQE and CQE
 *   FUZZ_REDUCE_SECONDS=n  time for the reduction (default 30)
 *   FUZZ_QUIESCE_MS=n how long cancelled requests may take (default 5000)
 *   FUZZ_KNOWN=1      also make what hits known bugs (see fz_gen_sqe())
 *
 * Run from a directory on a disk file system (the scratch file is made
 * there); as root for the kernel-address and RLIMIT cases to mean the same
 * on every machine.
 *
 * In the test command: the debug lane runs the three cases for 20 s each
 * (FUZZ_SECONDS=20 from harness), each a result of its own, a broken
 * invariant failing it.  FUZZ_SECONDS=n ./harness test runs them that
 * long in the first run too, FUZZ_LONG=1 a million SQEs.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define FZ_RINGS	3
#define FZ_TABLE	8192		/* tracked requests per ring */
#define FZ_MAX_BATCH	12
#define FZ_NFIXED	16		/* registered file slots */
#define FZ_NBUFS	4		/* registered buffers */
#define FZ_DATA_SZ	(256 * 1024)	/* data buffers; guard pages follow */
#define FZ_CTL_SZ	(64 * 1024)	/* iovecs, msghdrs, timespecs... */
#define FZ_FILE_SZ	(64 * 1024)
#define FZ_VICTIM	900		/* the fd the closer thread plays with */
#define FZ_CLOSED	890		/* an fd number never open */
#define FZ_KADDR	0xffff888000000000ULL
#define FZ_UD_MAGIC	0xf2ULL		/* top byte of every user_data */
#define FZ_SIDE_SLOT	100		/* rng slot of a sequence's side action */
#define FZ_RING_SLOT	200		/* rng slot of the ring choice */
#define FZ_SETUP_SLOT	201		/* rng slot of a ring's parameters */
#define FZ_MAX_PICKS	4096

/* -------------------------------------------------------------------- */
/* random numbers: one stream per (seed, sequence, slot) */

static __u64 fz_mix(__u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

struct fz_rng {
	__u64 s;
};

static void fz_rng_init(struct fz_rng *r, __u64 seed, __u32 seq, __u32 slot)
{
	r->s = fz_mix(seed ^ fz_mix(((__u64)seq << 32) | slot));
}

static __u64 fz_next(struct fz_rng *r)
{
	r->s = fz_mix(r->s);
	return r->s;
}

/* uniform in [0, n) */
static __u32 fz_below(struct fz_rng *r, __u32 n)
{
	return n ? (__u32)(fz_next(r) % n) : 0;
}

/* true with probability 1/n */
static bool fz_one_in(struct fz_rng *r, __u32 n)
{
	return fz_below(r, n) == 0;
}

/* -------------------------------------------------------------------- */
/* what the run is asked to do, and what it found */

struct fz_pick {
	__u32 seq;
	__u32 slot;	/* FZ_DROP: the slot; FZ_ONLY: unused */
};

struct fz_cfg {
	__u64 seed;
	long max_sqes;
	long max_ms;
	bool verbose;
	/* a replay: only these sequences, without these slots */
	int nr_only;
	__u32 only[FZ_MAX_PICKS];
	int nr_drop;
	struct fz_pick drop[FZ_MAX_PICKS];
	bool reducing;		/* a child of the reduction: be quiet */
	bool check_threads;	/* wait for io threads to go at the end */
	long quiesce_ms;	/* how long a request may take to be cancelled */
	bool known;		/* FUZZ_KNOWN: also what hits known bugs */
};

/* Kinds of broken invariants; a reduction keeps the kind it started with. */
enum {
	FZ_OK,
	FZ_BAD_UD,		/* CQE for a user_data never submitted */
	FZ_DUP,			/* a second CQE, or one after the last */
	FZ_MORE,		/* F_MORE on a request that is no multishot */
	FZ_MISSING,		/* a request never completed */
	FZ_LINK,		/* a link member after a failure not cancelled */
	FZ_UNSUP,		/* an unsupported opcode not refused */
	FZ_FLAGS,		/* CQE flags the ABI never sets here */
	FZ_SUBMIT,		/* io_uring_enter() refusing for good */
	FZ_FDLEAK,		/* fds not back where they started */
	FZ_THREADS,		/* io threads not gone */
	FZ_SETUP,		/* the fuzzer could not set itself up */
};

static const char * const fz_kind_names[] = {
	[FZ_OK] = "ok",
	[FZ_BAD_UD] = "CQE for a user_data never submitted",
	[FZ_DUP] = "duplicate CQE",
	[FZ_MORE] = "IORING_CQE_F_MORE on a single-shot request",
	[FZ_MISSING] = "request without its CQE",
	[FZ_LINK] = "link member after a failure not -ECANCELED",
	[FZ_UNSUP] = "unsupported opcode not -EINVAL",
	[FZ_FLAGS] = "unexpected CQE flags",
	[FZ_SUBMIT] = "io_uring_enter() keeps failing",
	[FZ_FDLEAK] = "fd count not back to the start",
	[FZ_THREADS] = "io threads left after the rings closed",
	[FZ_SETUP] = "fuzzer setup failed",
};

struct fz_stats {
	long sqes;		/* SQEs consumed by the kernel */
	long cqes;
	long seqs;
	long ms;
	long quiesces;
	long forks, threads, ring_closes, reg_updates;
};

/* -------------------------------------------------------------------- */
/* requests, rings and the environment */

enum { FZ_FREE, FZ_QUEUED, FZ_INFLIGHT, FZ_DONE };

struct fz_req {
	__u32 id;
	__u8 state;
	__u8 op;
	__u8 sqe_flags;
	bool multi;		/* POLL_ADD with IORING_POLL_ADD_MULTI */
	bool multi_sqe;		/* so from its SQE, not from an update */
	bool unsup;		/* must complete with -EINVAL */
	bool makes_fd;		/* a positive res is a new fd */
	bool closes_fd;		/* and one of ours */
	bool link_timeout;
	bool etime_ok;		/* TIMEOUT with IORING_TIMEOUT_ETIME_SUCCESS */
	bool internal;		/* the fuzzer's own cancel */
	bool more;		/* a CQE with F_MORE came */
	bool notif;		/* a zero-copy send's F_NOTIF came */
	__u32 chain;		/* 0: not in a chain */
	__u32 seq;
	__u16 slot;
	__u32 ncqe;
	int res;
};

struct fz_ring {
	struct ring r;
	bool open;
	bool lossy;		/* the kernel dropped CQEs (cq_overflow) */
	__u32 gen;
	__u32 next_id;		/* id of the next request */
	__u32 checked_id;	/* chains before this one are checked */
	__u32 next_chain;
	bool supported[256];
	bool files;		/* a file table is registered */
	bool bufs;
	bool iopoll;
	struct fz_req *reqs;
};

struct fz_env {
	char path[64];
	int file;		/* a regular file with data */
	int pipe[2];
	int sp[2];		/* a connected AF_UNIX stream pair */
	int dir;
	int listener;		/* a listening AF_UNIX socket */
	int client;		/* an unconnected AF_UNIX stream socket */
	int evfd;
	struct sockaddr_un addr;
	socklen_t addr_len;
	char *data;		/* FZ_DATA_SZ, followed by a guard page */
	char *ctl;		/* FZ_CTL_SZ, followed by a guard page */
	char *unmapped;		/* a page that is not mapped */
	pthread_t closer;
	bool closer_on;
	bool stop;		/* __atomic: the closer thread's end */
};

struct fz {
	struct fz_cfg *cfg;
	struct fz_env env;
	struct fz_ring rings[FZ_RINGS];
	__u32 gens;
	int kind;		/* first broken invariant */
	char what[512];		/* and its description */
	__u32 bad_seq;		/* the sequence it showed in */
	struct fz_stats st;
	struct timespec start;
	int base_fds;
	int base_threads;
	__u32 seq;		/* the sequence being run */
};

static const char * const fz_op_names[] = {
	[IORING_OP_NOP] = "NOP", [IORING_OP_READV] = "READV",
	[IORING_OP_WRITEV] = "WRITEV", [IORING_OP_FSYNC] = "FSYNC",
	[IORING_OP_READ_FIXED] = "READ_FIXED",
	[IORING_OP_WRITE_FIXED] = "WRITE_FIXED",
	[IORING_OP_POLL_ADD] = "POLL_ADD",
	[IORING_OP_POLL_REMOVE] = "POLL_REMOVE",
	[IORING_OP_SYNC_FILE_RANGE] = "SYNC_FILE_RANGE",
	[IORING_OP_SENDMSG] = "SENDMSG", [IORING_OP_RECVMSG] = "RECVMSG",
	[IORING_OP_TIMEOUT] = "TIMEOUT",
	[IORING_OP_TIMEOUT_REMOVE] = "TIMEOUT_REMOVE",
	[IORING_OP_ACCEPT] = "ACCEPT", [IORING_OP_ASYNC_CANCEL] = "ASYNC_CANCEL",
	[IORING_OP_LINK_TIMEOUT] = "LINK_TIMEOUT",
	[IORING_OP_CONNECT] = "CONNECT", [IORING_OP_FALLOCATE] = "FALLOCATE",
	[IORING_OP_OPENAT] = "OPENAT", [IORING_OP_CLOSE] = "CLOSE",
	[IORING_OP_FILES_UPDATE] = "FILES_UPDATE",
	[IORING_OP_STATX] = "STATX", [IORING_OP_READ] = "READ",
	[IORING_OP_WRITE] = "WRITE", [IORING_OP_FADVISE] = "FADVISE",
	[IORING_OP_MADVISE] = "MADVISE", [IORING_OP_SEND] = "SEND",
	[IORING_OP_RECV] = "RECV", [IORING_OP_OPENAT2] = "OPENAT2",
	[IORING_OP_EPOLL_CTL] = "EPOLL_CTL", [IORING_OP_SPLICE] = "SPLICE",
	[IORING_OP_PROVIDE_BUFFERS] = "PROVIDE_BUFFERS",
	[IORING_OP_REMOVE_BUFFERS] = "REMOVE_BUFFERS",
	[IORING_OP_TEE] = "TEE", [IORING_OP_SHUTDOWN] = "SHUTDOWN",
	[IORING_OP_RENAMEAT] = "RENAMEAT", [IORING_OP_UNLINKAT] = "UNLINKAT",
	[IORING_OP_MKDIRAT] = "MKDIRAT", [IORING_OP_SYMLINKAT] = "SYMLINKAT",
	[IORING_OP_LINKAT] = "LINKAT", [IORING_OP_MSG_RING] = "MSG_RING",
	[IORING_OP_FSETXATTR] = "FSETXATTR", [IORING_OP_SETXATTR] = "SETXATTR",
	[IORING_OP_FGETXATTR] = "FGETXATTR", [IORING_OP_GETXATTR] = "GETXATTR",
	[IORING_OP_SOCKET] = "SOCKET", [IORING_OP_URING_CMD] = "URING_CMD",
	[IORING_OP_SEND_ZC] = "SEND_ZC", [IORING_OP_SENDMSG_ZC] = "SENDMSG_ZC",
};

static const char *fz_op_name(unsigned int op)
{
	if (op < ARRAY_SIZE(fz_op_names) && fz_op_names[op])
		return fz_op_names[op];
	return "OP?";
}

static void fz_log(struct fz *f, const char *fmt, ...)
{
	va_list ap;

	if (f->cfg->reducing)
		return;
	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* Record the first broken invariant; the run stops at the sequence's end. */
static void fz_fail(struct fz *f, int kind, const char *fmt, ...)
{
	va_list ap;

	if (f->kind)
		return;
	f->kind = kind;
	f->bad_seq = f->seq;
	va_start(ap, fmt);
	vsnprintf(f->what, sizeof(f->what), fmt, ap);
	va_end(ap);
	fz_log(f, "BROKEN (%s): %s\n", fz_kind_names[kind], f->what);
}

static long fz_ms(struct fz *f)
{
	return ms_since(&f->start);
}

/* fds open now; the count includes the one the count itself opens */
static int fz_count_fds(void)
{
	return proc_count("/proc/self/fd", NULL, NULL);
}

static int fz_count_io_threads(void)
{
	return proc_count("/proc/self/task", "iou-", NULL);
}

/* what the fds past stderr are, when there are more than there were */
static void fz_list_fds(struct fz *f)
{
	struct dirent *de;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d)
		return;
	while ((de = readdir(d))) {
		char p[300], link[256];
		ssize_t n;

		if (de->d_name[0] == '.' || atoi(de->d_name) <= 2)
			continue;
		snprintf(p, sizeof(p), "/proc/self/fd/%s", de->d_name);
		n = readlink(p, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = 0;
		fz_log(f, "fd %s: %s\n", de->d_name, link);
	}
	closedir(d);
}

/* -------------------------------------------------------------------- */
/* register calls can wait for requests in flight (6.1 quiesces the
 * tables): bound them with a signal that interrupts them.
 */

static void fz_alarm(int sig)
{
}

static int fz_register(int fd, unsigned int op, const void *arg,
		       unsigned int nr)
{
	struct itimerval it = { .it_value = { .tv_usec = 300 * 1000 } };
	struct itimerval off = { };
	int ret;

	setitimer(ITIMER_REAL, &it, NULL);
	ret = io_uring_register(fd, op, arg, nr);
	setitimer(ITIMER_REAL, &off, NULL);
	return ret;
}

static void fz_block_alarm(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/* -------------------------------------------------------------------- */
/* the environment: files, sockets, buffers, the closer thread */

static void *fz_closer(void *arg)
{
	struct fz_env *env = arg;
	unsigned int n = 0;

	fz_block_alarm();
	while (!__atomic_load_n(&env->stop, __ATOMIC_RELAXED)) {
		switch (n++ % 5) {
		case 0:
			dup2(env->pipe[0], FZ_VICTIM);
			break;
		case 1:
			close(FZ_VICTIM);
			break;
		case 2:
			dup2(env->sp[1], FZ_VICTIM);
			break;
		case 3:
			dup2(env->file, FZ_VICTIM);
			break;
		case 4:
			close(FZ_VICTIM);
			break;
		}
		usleep(700 + (n * 37) % 1500);
	}
	close(FZ_VICTIM);
	return NULL;
}

static int fz_sockets(struct fz_env *env)
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, env->sp))
		return -errno;
	env->client = socket(AF_UNIX, SOCK_STREAM, 0);
	return env->client < 0 ? -errno : 0;
}

static void fz_sockets_close(struct fz_env *env)
{
	close(env->sp[0]);
	close(env->sp[1]);
	close(env->client);
}

static char *fz_map_guarded(size_t sz)
{
	char *p = mmap(NULL, sz + 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	/*
	 * Inaccessible but still ours: an unmapped hole would be taken by
	 * the next mapping (a ring, a thread's stack) for the kernel to
	 * write over.
	 */
	mprotect(p + sz, 4096, PROT_NONE);
	return p;
}

static int fz_env_init(struct fz_env *env)
{
	static char buf[FZ_FILE_SZ];
	int i;

	memset(env, 0, sizeof(*env));
	env->file = -1;
	env->dir = -1;
	env->listener = -1;
	env->client = -1;
	env->evfd = -1;
	env->pipe[0] = -1;
	env->pipe[1] = -1;
	env->sp[0] = -1;
	env->sp[1] = -1;
	strcpy(env->path, "./io_uring_fuzz_XXXXXX");
	env->file = mkstemp(env->path);
	if (env->file < 0)
		return -errno;
	for (i = 0; i < FZ_FILE_SZ; i++)
		buf[i] = (char)(i * 13);
	if (write(env->file, buf, sizeof(buf)) != sizeof(buf))
		return -EIO;
	if (pipe(env->pipe) || fz_sockets(env))
		return -errno;
	env->dir = open(".", O_RDONLY | O_DIRECTORY);
	env->evfd = eventfd(0, 0);
	env->listener = socket(AF_UNIX, SOCK_STREAM, 0);
	if (env->dir < 0 || env->evfd < 0 || env->listener < 0)
		return -errno;
	env->addr.sun_family = AF_UNIX;
	/* abstract: nothing to clean up */
	snprintf(env->addr.sun_path + 1, sizeof(env->addr.sun_path) - 1,
		 "io_uring_fuzz_%d", getpid());
	env->addr_len = offsetof(struct sockaddr_un, sun_path) + 1 +
			strlen(env->addr.sun_path + 1);
	if (bind(env->listener, (struct sockaddr *)&env->addr, env->addr_len) ||
	    listen(env->listener, 64))
		return -errno;
	env->data = fz_map_guarded(FZ_DATA_SZ);
	env->ctl = fz_map_guarded(FZ_CTL_SZ);
	/* "unmapped": reserved PROT_NONE, for the same reason */
	env->unmapped = mmap(NULL, 4096, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!env->data || !env->ctl || env->unmapped == MAP_FAILED)
		return -ENOMEM;
	if (pthread_create(&env->closer, NULL, fz_closer, env))
		return -EAGAIN;
	env->closer_on = true;
	return 0;
}

static void fz_env_exit(struct fz_env *env)
{
	__atomic_store_n(&env->stop, true, __ATOMIC_RELAXED);
	if (env->closer_on)
		pthread_join(env->closer, NULL);
	close(FZ_VICTIM);
	fz_sockets_close(env);
	close(env->pipe[0]);
	close(env->pipe[1]);
	close(env->dir);
	close(env->evfd);
	close(env->listener);
	close(env->file);
	unlink(env->path);
	if (env->data)
		munmap(env->data, FZ_DATA_SZ + 4096);
	if (env->ctl)
		munmap(env->ctl, FZ_CTL_SZ + 4096);
	if (env->unmapped && env->unmapped != MAP_FAILED)
		munmap(env->unmapped, 4096);
}

/* -------------------------------------------------------------------- */
/* rings */

static struct fz_req *fz_req_of(struct fz_ring *fr, __u32 id)
{
	return &fr->reqs[id & (FZ_TABLE - 1)];
}

static __u64 fz_ud(struct fz_ring *fr, __u32 id)
{
	return (FZ_UD_MAGIC << 56) | ((__u64)(fr->gen & 0xffffff) << 32) | id;
}

static void fz_probe(struct fz_ring *fr)
{
	struct {
		struct io_uring_probe p;
		struct io_uring_probe_op ops[256];
	} pr;
	int i;

	memset(&pr, 0, sizeof(pr));
	memset(fr->supported, 1, sizeof(fr->supported));
	if (io_uring_register(fr->r.fd, IORING_REGISTER_PROBE, &pr, 256) < 0)
		return;
	for (i = 0; i < 256; i++)
		fr->supported[i] = i < pr.p.ops_len &&
				   (pr.p.ops[i].flags & IO_URING_OP_SUPPORTED);
}

static int fz_fd_pick(struct fz *f, struct fz_rng *rng, int self);

/* the registered file table: sparse, some slots filled */
static void fz_register_files(struct fz *f, struct fz_ring *fr,
			      struct fz_rng *rng)
{
	int fds[FZ_NFIXED], i;

	for (i = 0; i < FZ_NFIXED; i++)
		fds[i] = fz_one_in(rng, 3) ? -1 : fz_fd_pick(f, rng, fr->r.fd);
	/* a bad fd in the table fails the whole registration: fine too */
	if (!fz_register(fr->r.fd, IORING_REGISTER_FILES, fds, FZ_NFIXED))
		fr->files = true;
}

static void fz_register_bufs(struct fz *f, struct fz_ring *fr,
			     struct fz_rng *rng)
{
	struct iovec iov[FZ_NBUFS];
	int i;

	for (i = 0; i < FZ_NBUFS; i++) {
		iov[i].iov_base = f->env.data + i * 32768 + fz_below(rng, 64);
		iov[i].iov_len = 4096 + fz_below(rng, 28000);
	}
	if (!fz_register(fr->r.fd, IORING_REGISTER_BUFFERS, iov, FZ_NBUFS))
		fr->bufs = true;
}

static int fz_ring_open(struct fz *f, struct fz_ring *fr, __u32 seq)
{
	struct io_uring_params p;
	struct fz_rng rng;
	unsigned int entries;
	int ret;

	fz_rng_init(&rng, f->cfg->seed, seq, FZ_SETUP_SLOT);
	memset(&p, 0, sizeof(p));
	entries = 1U << fz_below(&rng, 6);
	if (fz_one_in(&rng, 3)) {
		p.flags |= IORING_SETUP_CQSIZE;
		p.cq_entries = entries << fz_below(&rng, 3);
	}
	if (fz_one_in(&rng, 4))
		p.flags |= IORING_SETUP_SUBMIT_ALL;
	if (fz_one_in(&rng, 12))
		p.flags |= IORING_SETUP_IOPOLL;
	ret = ring_init_params(&fr->r, entries, &p);
	if (ret)
		return ret;
	fr->open = true;
	fr->lossy = false;
	fr->iopoll = p.flags & IORING_SETUP_IOPOLL;
	fr->gen = ++f->gens;
	fr->next_id = 1;
	fr->checked_id = 1;
	fr->files = false;
	fr->bufs = false;
	memset(fr->reqs, 0, FZ_TABLE * sizeof(*fr->reqs));
	fz_probe(fr);
	if (!fz_one_in(&rng, 4))
		fz_register_files(f, fr, &rng);
	if (!fz_one_in(&rng, 3))
		fz_register_bufs(f, fr, &rng);
	if (fz_one_in(&rng, 4))
		io_uring_register(fr->r.fd, IORING_REGISTER_EVENTFD,
				  &f->env.evfd, 1);
	return 0;
}

static void fz_ring_close(struct fz_ring *fr)
{
	if (!fr->open)
		return;
	ring_exit(&fr->r);
	fr->open = false;
}

/* -------------------------------------------------------------------- */
/* generating SQEs */

/* An fd as a request names it: the ring's own, a pipe, a socket... */
static int fz_fd_pick(struct fz *f, struct fz_rng *rng, int self)
{
	struct fz_env *e = &f->env;
	int other = f->rings[fz_below(rng, FZ_RINGS)].r.fd;

	switch (fz_below(rng, 16)) {
	case 0: case 1: return e->file;
	case 2: return e->pipe[0];
	case 3: return e->pipe[1];
	case 4: return e->sp[0];
	case 5: return e->sp[1];
	case 6: return e->dir;
	case 7: return e->listener;
	case 8: return e->client;
	case 9: return FZ_CLOSED;
	case 10: return -1;
	case 11: return self;
	case 12: return other;
	case 13: return FZ_VICTIM;
	case 14: return e->evfd;
	default: return 1 << 20;
	}
}

/* A fixed file index: in the table or out of it. */
static int fz_fixed_pick(struct fz_rng *rng)
{
	switch (fz_below(rng, 8)) {
	case 0: return FZ_NFIXED + fz_below(rng, 4);
	case 1: return -1;
	case 2: return 1 << 20;
	default: return fz_below(rng, FZ_NFIXED);
	}
}

/* A pointer for the kernel to read or write @len bytes at. */
static __u64 fz_ptr_pick(struct fz *f, struct fz_rng *rng, __u32 len)
{
	__u32 off;

	switch (fz_below(rng, 12)) {
	case 0: return 0;
	case 1: return (__u64)(uintptr_t)f->env.unmapped;
	case 2: return FZ_KADDR + fz_below(rng, 1 << 20) * 4096ULL;
	case 3: return 0x1000;
	case 4:	/* runs into the guard page */
		return (__u64)(uintptr_t)(f->env.data + FZ_DATA_SZ - 16);
	default:
		off = fz_below(rng, FZ_DATA_SZ);
		if (len < FZ_DATA_SZ && off + len > FZ_DATA_SZ)
			off = FZ_DATA_SZ - len;
		return (__u64)(uintptr_t)(f->env.data + off);
	}
}

/*
 * A bad pointer for a structure the kernel reads (iovecs, msghdr, fds):
 * never one into our memory, whose contents are whatever earlier reads
 * left there, and would have the kernel write where they point.
 */
static __u64 fz_bad_ptr(struct fz *f, struct fz_rng *rng)
{
	switch (fz_below(rng, 4)) {
	case 0: return 0;
	case 1: return (__u64)(uintptr_t)f->env.unmapped;
	case 2: return FZ_KADDR + fz_below(rng, 1 << 20) * 4096ULL;
	default: return 0x1000;
	}
}

static __u32 fz_len_pick(struct fz_rng *rng)
{
	switch (fz_below(rng, 10)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return 4096;
	case 3: return 65536;
	case 4: return 0xffffffffU;
	case 5: return 0x7ffff000U;
	default: return 1 + fz_below(rng, 8192);
	}
}

static __u64 fz_off_pick(struct fz_rng *rng)
{
	switch (fz_below(rng, 8)) {
	case 0: return (__u64)-1;	/* the file position */
	case 1: return 1ULL << 62;
	case 2: return (__u64)-4096;
	case 3: return fz_below(rng, 4) * 4096ULL;
	default: return fz_below(rng, 2 * FZ_FILE_SZ);
	}
}

/* Per ring, per slot: a place in the control area for what a SQE points at. */
static char *fz_ctl_slot(struct fz *f, struct fz_ring *fr, unsigned int slot)
{
	unsigned int ring = fr - f->rings;

	return f->env.ctl + (ring * 2 * FZ_MAX_BATCH + slot % (2 * FZ_MAX_BATCH))
			     * 512;
}

static void fz_iovecs(struct fz *f, struct fz_rng *rng, struct iovec *iov,
		      int nr)
{
	int i;

	for (i = 0; i < nr; i++) {
		__u32 len = fz_one_in(rng, 8) ? fz_len_pick(rng) :
			    fz_below(rng, 8192);

		iov[i].iov_len = len;
		iov[i].iov_base = (void *)(uintptr_t)fz_ptr_pick(f, rng, len);
	}
}

static __u64 fz_ts(struct fz *f, struct fz_rng *rng, char *slot)
{
	struct __kernel_timespec *ts = (void *)slot;

	switch (fz_below(rng, 10)) {
	case 0: return 0;
	case 1: return (__u64)(uintptr_t)f->env.unmapped;
	case 2: return FZ_KADDR;
	case 3:
		ts->tv_sec = 0;
		ts->tv_nsec = 1000000000LL + fz_below(rng, 5);	/* invalid */
		break;
	case 4:
		ts->tv_sec = 100;	/* cancelled at the end */
		ts->tv_nsec = 0;
		break;
	default:
		ts->tv_sec = 0;
		ts->tv_nsec = fz_below(rng, 20) * 1000000LL;
		break;
	}
	return (__u64)(uintptr_t)ts;
}

/* user_data of a recent request of this ring (maybe one not yet issued) */
static __u64 fz_target(struct fz_ring *fr, struct fz_rng *rng)
{
	if (fz_one_in(rng, 8))
		return fz_next(rng);
	return fz_ud(fr, fr->next_id - fz_below(rng, 10));
}

/* An update with IORING_POLL_ADD_MULTI may make its target multishot. */
static void fz_poll_update_target(struct fz_ring *fr,
				  const struct io_uring_sqe *sqe)
{
	__u32 id = (__u32)sqe->addr;
	struct fz_req *rq = fz_req_of(fr, id);

	if ((sqe->len & IORING_POLL_UPDATE_EVENTS) &&
	    (sqe->len & IORING_POLL_ADD_MULTI) &&
	    sqe->addr == fz_ud(fr, id) && rq->id == id &&
	    rq->op == IORING_OP_POLL_ADD)
		rq->multi = true;
}

static const __u8 fz_ops[] = {
	IORING_OP_NOP, IORING_OP_READV, IORING_OP_WRITEV, IORING_OP_FSYNC,
	IORING_OP_READ_FIXED, IORING_OP_WRITE_FIXED, IORING_OP_POLL_ADD,
	IORING_OP_POLL_ADD, IORING_OP_POLL_REMOVE, IORING_OP_SYNC_FILE_RANGE,
	IORING_OP_SENDMSG, IORING_OP_RECVMSG, IORING_OP_TIMEOUT,
	IORING_OP_TIMEOUT, IORING_OP_TIMEOUT_REMOVE, IORING_OP_ACCEPT,
	IORING_OP_ASYNC_CANCEL, IORING_OP_ASYNC_CANCEL,
	IORING_OP_LINK_TIMEOUT, IORING_OP_LINK_TIMEOUT, IORING_OP_CONNECT,
	IORING_OP_READ, IORING_OP_READ, IORING_OP_WRITE, IORING_OP_WRITE,
	IORING_OP_FILES_UPDATE, IORING_OP_SEND, IORING_OP_RECV,
	IORING_OP_SHUTDOWN, IORING_OP_SOCKET,
};

/* Ops that 6.1 has and we may not: harmless arguments (fd -1, NULL). */
static const __u8 fz_other_ops[] = {
	IORING_OP_FALLOCATE, IORING_OP_OPENAT, IORING_OP_CLOSE,
	IORING_OP_STATX, IORING_OP_FADVISE, IORING_OP_OPENAT2,
	IORING_OP_EPOLL_CTL, IORING_OP_SPLICE, IORING_OP_TEE,
	IORING_OP_RENAMEAT, IORING_OP_UNLINKAT, IORING_OP_MKDIRAT,
	IORING_OP_SYMLINKAT, IORING_OP_LINKAT, IORING_OP_MSG_RING,
	IORING_OP_FSETXATTR, IORING_OP_SETXATTR, IORING_OP_FGETXATTR,
	IORING_OP_GETXATTR, IORING_OP_URING_CMD, IORING_OP_SEND_ZC,
	IORING_OP_SENDMSG_ZC, IORING_OP_REMOVE_BUFFERS,
};

static __u8 fz_sqe_flags(struct fz_ring *fr, struct fz_rng *rng)
{
	__u8 fl = 0;

	if (fr->files ? fz_one_in(rng, 3) : fz_one_in(rng, 20))
		fl |= IOSQE_FIXED_FILE;
	if (fz_one_in(rng, 16))
		fl |= IOSQE_IO_DRAIN;
	if (fz_one_in(rng, 4))
		fl |= IOSQE_IO_LINK;
	if (fz_one_in(rng, 14))
		fl |= IOSQE_IO_HARDLINK;
	if (fz_one_in(rng, 6))
		fl |= IOSQE_ASYNC;
	if (fz_one_in(rng, 24))
		fl |= IOSQE_BUFFER_SELECT;
	if (fz_one_in(rng, 8))
		fl |= IOSQE_CQE_SKIP_SUCCESS;
	if (fz_one_in(rng, 64))
		fl |= 1U << 7;		/* no such flag */
	return fl;
}

static bool fz_is_ring(struct fz *f, int fd)
{
	int i;

	for (i = 0; i < FZ_RINGS; i++)
		if (f->rings[i].open && f->rings[i].r.fd == fd)
			return true;
	return false;
}

/*
 * Fill @sqe from the stream of (seed, seq, slot); @fork: submitted by a
 * child, whose fds we must not close.  Returns the tracking fields.
 *
 * FUZZ_KNOWN=1 lets it make what hits known bugs, left out otherwise:
 * a multishot POLL_ADD of a ring's fd, or of the eventfd registered with
 * the ring, loops in the kernel: each CQE it posts wakes it again (6.1
 * makes such a poll single-shot at a wakeup of the ring's own posting,
 * EPOLL_URING_WAKE); a soft lockup, in the submitter or in a worker.  And the link check is then
 * strict (-ECANCELED behind a failure, or an error of the member's own
 * preparation), where by default it only wants no success behind one: a
 * LINK_TIMEOUT failing at the head of a chain, or a WRITE failing at
 * issue, lets the next member be issued (FUZZ_SEED=2 FUZZ_ONLY=405).
 */
static void fz_gen_sqe(struct fz *f, struct fz_ring *fr, __u32 seq,
		       unsigned int slot, struct io_uring_sqe *sqe,
		       struct fz_req *rq, bool fork)
{
	struct fz_rng rng;
	char *ctl = fz_ctl_slot(f, fr, slot);
	struct msghdr *msg;
	struct iovec *iov;
	int *fds, i, nr;
	__u8 op;

	fz_rng_init(&rng, f->cfg->seed, seq, slot);
	memset(sqe, 0, sizeof(*sqe));

	if (fz_one_in(&rng, 24)) {
		/* past the last opcode: -EINVAL on every kernel */
		op = IORING_OP_LAST + fz_below(&rng, 256 - IORING_OP_LAST);
	} else if (fz_one_in(&rng, 16)) {
		op = fz_other_ops[fz_below(&rng, ARRAY_SIZE(fz_other_ops))];
	} else {
		op = fz_ops[fz_below(&rng, ARRAY_SIZE(fz_ops))];
	}
	sqe->opcode = op;
	sqe->flags = fz_sqe_flags(fr, &rng);
	if (sqe->flags & IOSQE_FIXED_FILE)
		sqe->fd = fz_fixed_pick(&rng);
	else
		sqe->fd = fz_fd_pick(f, &rng, fr->r.fd);
	if (fz_one_in(&rng, 40))
		sqe->ioprio = fz_below(&rng, 0x10000);
	if (fz_one_in(&rng, 60))
		sqe->personality = 1 + fz_below(&rng, 4);

	switch (op) {
	case IORING_OP_NOP:
		if (fz_one_in(&rng, 8))
			sqe->rw_flags = fz_next(&rng);
		break;
	case IORING_OP_READ:
	case IORING_OP_WRITE:
		sqe->len = fz_len_pick(&rng);
		sqe->addr = fz_ptr_pick(f, &rng, sqe->len);
		sqe->off = fz_off_pick(&rng);
		if (fz_one_in(&rng, 6))
			sqe->rw_flags = fz_one_in(&rng, 2) ? RWF_NOWAIT :
					(int)fz_next(&rng);
		break;
	case IORING_OP_READV:
	case IORING_OP_WRITEV:
		iov = (void *)ctl;
		nr = fz_below(&rng, 5);
		fz_iovecs(f, &rng, iov, nr);
		sqe->addr = fz_one_in(&rng, 8) ? fz_bad_ptr(f, &rng) :
			    (__u64)(uintptr_t)iov;
		sqe->len = fz_one_in(&rng, 10) ? fz_len_pick(&rng) : nr;
		sqe->off = fz_off_pick(&rng);
		if (fz_one_in(&rng, 6))
			sqe->rw_flags = RWF_NOWAIT;
		break;
	case IORING_OP_READ_FIXED:
	case IORING_OP_WRITE_FIXED:
		sqe->buf_index = fz_below(&rng, FZ_NBUFS + 2);
		sqe->len = fz_one_in(&rng, 4) ? fz_len_pick(&rng) :
			   fz_below(&rng, 4096);
		if (fz_one_in(&rng, 4))
			sqe->addr = fz_ptr_pick(f, &rng, sqe->len);
		else
			sqe->addr = (__u64)(uintptr_t)(f->env.data +
				(sqe->buf_index % FZ_NBUFS) * 32768 +
				fz_below(&rng, 8192));
		sqe->off = fz_off_pick(&rng);
		break;
	case IORING_OP_FSYNC:
		sqe->fsync_flags = fz_one_in(&rng, 3) ? IORING_FSYNC_DATASYNC :
				   fz_one_in(&rng, 8) ? fz_next(&rng) : 0;
		if (fz_one_in(&rng, 4)) {
			sqe->off = fz_off_pick(&rng);
			sqe->len = fz_len_pick(&rng);
		}
		break;
	case IORING_OP_SYNC_FILE_RANGE:
		sqe->off = fz_off_pick(&rng);
		sqe->len = fz_len_pick(&rng);
		sqe->sync_range_flags = fz_below(&rng, 16);
		break;
	case IORING_OP_POLL_ADD:
		sqe->poll32_events = ring_poll_mask(fz_one_in(&rng, 8) ?
			(__u32)fz_next(&rng) :
			(fz_one_in(&rng, 2) ? POLLIN : 0) |
			(fz_one_in(&rng, 2) ? POLLOUT : 0) |
			(fz_one_in(&rng, 4) ? POLLERR | POLLHUP : 0));
		if (fz_one_in(&rng, 2))
			sqe->len = IORING_POLL_ADD_MULTI;
		else if (fz_one_in(&rng, 16))
			sqe->len = fz_next(&rng);
		/*
		 * Known bug, see the function's comment: a multishot poll of
		 * a ring or its eventfd (maybe behind a fixed file) only with
		 * FUZZ_KNOWN=1.
		 */
		if ((sqe->len & IORING_POLL_ADD_MULTI) && !f->cfg->known &&
		    ((sqe->flags & IOSQE_FIXED_FILE) || fz_is_ring(f, sqe->fd) ||
		     sqe->fd == f->env.evfd))
			sqe->len &= ~IORING_POLL_ADD_MULTI;
		rq->multi = sqe->len & IORING_POLL_ADD_MULTI;
		break;
	case IORING_OP_POLL_REMOVE:
		sqe->fd = -1;
		sqe->addr = fz_target(fr, &rng);
		if (fz_one_in(&rng, 3)) {
			sqe->len = IORING_POLL_UPDATE_EVENTS;
			sqe->poll32_events = ring_poll_mask(POLLIN | POLLOUT);
		}
		if (fz_one_in(&rng, 4))
			sqe->len |= IORING_POLL_ADD_MULTI;
		fz_poll_update_target(fr, sqe);
		break;
	case IORING_OP_TIMEOUT:
	case IORING_OP_LINK_TIMEOUT:
		sqe->fd = -1;
		sqe->addr = fz_ts(f, &rng, ctl);
		sqe->len = fz_one_in(&rng, 16) ? fz_below(&rng, 3) : 1;
		if (op == IORING_OP_TIMEOUT)
			sqe->off = fz_below(&rng, 4);
		switch (fz_below(&rng, 10)) {
		case 0:
			sqe->timeout_flags = IORING_TIMEOUT_BOOTTIME;
			break;
		case 1:
			sqe->timeout_flags = IORING_TIMEOUT_REALTIME;
			break;
		case 2:
			sqe->timeout_flags = IORING_TIMEOUT_ETIME_SUCCESS;
			break;
		case 3:
			sqe->timeout_flags = IORING_TIMEOUT_ABS;
			break;
		case 4:
			sqe->timeout_flags = fz_next(&rng);
			break;
		}
		rq->link_timeout = op == IORING_OP_LINK_TIMEOUT;
		rq->etime_ok = sqe->timeout_flags & IORING_TIMEOUT_ETIME_SUCCESS;
		break;
	case IORING_OP_TIMEOUT_REMOVE:
		sqe->fd = -1;
		sqe->addr = fz_target(fr, &rng);
		if (fz_one_in(&rng, 3)) {
			sqe->timeout_flags = IORING_TIMEOUT_UPDATE;
			sqe->addr2 = fz_ts(f, &rng, ctl);
		}
		break;
	case IORING_OP_ASYNC_CANCEL:
		sqe->addr = fz_target(fr, &rng);
		sqe->cancel_flags = fz_one_in(&rng, 2) ? 0 : fz_below(&rng, 64);
		if (sqe->cancel_flags & IORING_ASYNC_CANCEL_OP)
			sqe->len = fz_ops[fz_below(&rng, ARRAY_SIZE(fz_ops))];
		break;
	case IORING_OP_ACCEPT:
		if (fz_one_in(&rng, 2))
			sqe->fd = f->env.listener;
		if (fz_one_in(&rng, 2)) {
			socklen_t *alen = (void *)(ctl + 256);

			*alen = fz_one_in(&rng, 4) ? fz_next(&rng) : 128;
			sqe->addr = (__u64)(uintptr_t)ctl;
			sqe->addr2 = fz_one_in(&rng, 4) ?
				     fz_ptr_pick(f, &rng, 4) :
				     (__u64)(uintptr_t)alen;
		}
		sqe->accept_flags = fz_one_in(&rng, 2) ? SOCK_CLOEXEC :
				    fz_one_in(&rng, 4) ? fz_next(&rng) : 0;
		if (fz_one_in(&rng, 4))
			sqe->file_index = fz_one_in(&rng, 2) ?
				IORING_FILE_INDEX_ALLOC :
				fz_below(&rng, FZ_NFIXED + 4);
		rq->makes_fd = !sqe->file_index;
		break;
	case IORING_OP_CONNECT:
		if (fz_one_in(&rng, 2))
			sqe->fd = f->env.client;
		memcpy(ctl, &f->env.addr, sizeof(f->env.addr));
		sqe->addr = fz_one_in(&rng, 4) ? fz_bad_ptr(f, &rng) :
			    (__u64)(uintptr_t)ctl;
		sqe->off = fz_one_in(&rng, 4) ? fz_below(&rng, 256) :
			   f->env.addr_len;
		break;
	case IORING_OP_SEND:
	case IORING_OP_RECV:
		if (fz_one_in(&rng, 2))
			sqe->fd = f->env.sp[fz_below(&rng, 2)];
		sqe->len = fz_one_in(&rng, 3) ? fz_len_pick(&rng) :
			   fz_below(&rng, 512);
		sqe->addr = fz_ptr_pick(f, &rng, sqe->len);
		sqe->msg_flags = fz_one_in(&rng, 3) ? MSG_DONTWAIT :
				 fz_one_in(&rng, 4) ? MSG_WAITALL :
				 fz_one_in(&rng, 8) ? fz_next(&rng) : 0;
		if (fz_one_in(&rng, 6))
			sqe->ioprio = IORING_RECVSEND_POLL_FIRST;
		break;
	case IORING_OP_SENDMSG:
	case IORING_OP_RECVMSG:
		if (fz_one_in(&rng, 2))
			sqe->fd = f->env.sp[fz_below(&rng, 2)];
		msg = (void *)ctl;
		iov = (void *)(ctl + 128);
		memset(msg, 0, sizeof(*msg));
		nr = fz_below(&rng, 4);
		fz_iovecs(f, &rng, iov, nr);
		msg->msg_iov = fz_one_in(&rng, 8) ?
			(void *)(uintptr_t)fz_bad_ptr(f, &rng) : iov;
		msg->msg_iovlen = fz_one_in(&rng, 10) ? fz_next(&rng) : nr;
		if (fz_one_in(&rng, 6)) {
			msg->msg_control = ctl + 256;
			msg->msg_controllen = fz_below(&rng, 256);
		}
		if (fz_one_in(&rng, 6)) {
			msg->msg_name = ctl + 384;
			msg->msg_namelen = fz_below(&rng, 128);
		}
		sqe->addr = fz_one_in(&rng, 8) ? fz_bad_ptr(f, &rng) :
			    (__u64)(uintptr_t)msg;
		sqe->msg_flags = fz_one_in(&rng, 3) ? MSG_DONTWAIT :
				 fz_one_in(&rng, 8) ? fz_next(&rng) : 0;
		break;
	case IORING_OP_FILES_UPDATE:
		fds = (void *)ctl;
		nr = 1 + fz_below(&rng, 4);
		for (i = 0; i < nr; i++)
			fds[i] = fz_fd_pick(f, &rng, fr->r.fd);
		sqe->fd = -1;
		sqe->flags &= ~IOSQE_FIXED_FILE;
		sqe->addr = fz_one_in(&rng, 8) ? fz_bad_ptr(f, &rng) :
			    (__u64)(uintptr_t)fds;
		sqe->len = fz_one_in(&rng, 10) ? fz_len_pick(&rng) : nr;
		sqe->off = fz_one_in(&rng, 4) ? IORING_FILE_INDEX_ALLOC :
			   fz_below(&rng, FZ_NFIXED + 2);
		/* ALLOC: the CQE's res is a slot count, no fd of ours */
		break;
	case IORING_OP_SHUTDOWN:
		if (fz_one_in(&rng, 2))
			sqe->fd = f->env.sp[fz_below(&rng, 2)];
		sqe->len = fz_one_in(&rng, 8) ? fz_next(&rng) : fz_below(&rng, 3);
		break;
	case IORING_OP_SOCKET:
		sqe->fd = fz_one_in(&rng, 4) ? AF_INET : AF_UNIX;
		sqe->off = fz_one_in(&rng, 2) ? SOCK_STREAM :
			   fz_one_in(&rng, 2) ? SOCK_DGRAM | SOCK_NONBLOCK :
			   fz_next(&rng);
		sqe->len = 0;
		sqe->flags &= ~IOSQE_FIXED_FILE;
		if (fz_one_in(&rng, 4))
			sqe->file_index = fz_one_in(&rng, 2) ?
				IORING_FILE_INDEX_ALLOC :
				fz_below(&rng, FZ_NFIXED + 4);
		if (fz_one_in(&rng, 16))
			sqe->rw_flags = fz_next(&rng);
		rq->makes_fd = !sqe->file_index;
		break;
	default:
		/* harmless arguments whatever the kernel does with them */
		sqe->fd = -1;
		sqe->flags &= ~IOSQE_FIXED_FILE;
		break;
	}
	/* 6.1's zero-copy sends: the result with F_MORE, then F_NOTIF */
	if (op == IORING_OP_SEND_ZC || op == IORING_OP_SENDMSG_ZC)
		rq->multi = true;
	rq->multi_sqe = rq->multi;
	/* a new fd without its CQE would be one we never learn of */
	if (rq->makes_fd)
		sqe->flags &= ~IOSQE_CQE_SKIP_SUCCESS;
	rq->op = op;
	rq->sqe_flags = sqe->flags;
	rq->unsup = op >= IORING_OP_LAST || !fr->supported[op];
	/* a fixed-file SQE can still be asked of an fd-less op */
	if (rq->unsup)
		rq->makes_fd = false;
	/* a child's fd is the child's (but see fz_submit()) */
	rq->closes_fd = rq->makes_fd && !fork;
}

static void fz_describe(struct fz *f, struct fz_ring *fr,
			const struct io_uring_sqe *sqe, __u32 id, __u32 seq,
			unsigned int slot)
{
	printf("#   seq %u.%u ring %ld id %u: %s(%u) flags 0x%x fd %d addr 0x%llx",
	       seq, slot, (long)(fr - f->rings), id, fz_op_name(sqe->opcode),
	       sqe->opcode, sqe->flags, sqe->fd,
	       (unsigned long long)sqe->addr);
	printf(" len %u off 0x%llx op_flags 0x%x buf %u ioprio %u\n", sqe->len,
	       (unsigned long long)sqe->off, sqe->rw_flags, sqe->buf_index,
	       sqe->ioprio);
}

/* -------------------------------------------------------------------- */
/* completions */

static void fz_cqe(struct fz *f, struct fz_ring *fr,
		   const struct io_uring_cqe *cqe)
{
	__u64 ud = cqe->user_data;
	__u32 id = (__u32)ud;
	struct fz_req *rq = fz_req_of(fr, id);

	f->st.cqes++;
	if (f->cfg->verbose)
		printf("#   cqe ring %ld id %u res %d flags 0x%x\n",
		       (long)(fr - f->rings), id, cqe->res, cqe->flags);
	if ((ud >> 56) != FZ_UD_MAGIC ||
	    ((ud >> 32) & 0xffffff) != (fr->gen & 0xffffff) ||
	    rq->id != id || rq->state == FZ_FREE) {
		fz_fail(f, FZ_BAD_UD,
			"ring %ld: CQE user_data 0x%llx res %d flags 0x%x was never submitted",
			(long)(fr - f->rings), (unsigned long long)ud,
			cqe->res, cqe->flags);
		return;
	}
	/*
	 * 6.1's zero-copy sends: the notification (F_NOTIF, res 0) is a CQE
	 * of its own, once, after the result or in place of a skipped one
	 * (the send linked behind a failed CQE_SKIP_SUCCESS member).  It
	 * ends the request after a result with F_MORE.
	 */
	if ((cqe->flags & IORING_CQE_F_NOTIF) &&
	    (rq->op == IORING_OP_SEND_ZC || rq->op == IORING_OP_SENDMSG_ZC)) {
		if (rq->notif)
			fz_fail(f, FZ_DUP,
				"ring %ld id %u (%s, seq %u.%u): a second notification",
				(long)(fr - f->rings), id, fz_op_name(rq->op),
				rq->seq, rq->slot);
		rq->notif = true;
		if (rq->more)
			rq->state = FZ_DONE;
		return;
	}
	if (rq->state == FZ_DONE) {
		fz_fail(f, FZ_DUP,
			"ring %ld id %u (%s, seq %u.%u): CQE res %d flags 0x%x after its last (res %d)",
			(long)(fr - f->rings), id, fz_op_name(rq->op), rq->seq,
			rq->slot, cqe->res, cqe->flags, rq->res);
		return;
	}
	rq->ncqe++;
	if (cqe->flags & ~(IORING_CQE_F_MORE | IORING_CQE_F_SOCK_NONEMPTY |
			   (rq->multi ? IORING_CQE_F_NOTIF : 0)))
		fz_fail(f, FZ_FLAGS,
			"ring %ld id %u (%s, seq %u.%u): CQE flags 0x%x",
			(long)(fr - f->rings), id, fz_op_name(rq->op), rq->seq,
			rq->slot, cqe->flags);
	if (cqe->flags & IORING_CQE_F_MORE) {
		if (!rq->multi)
			fz_fail(f, FZ_MORE,
				"ring %ld id %u (%s, seq %u.%u): F_MORE, res %d",
				(long)(fr - f->rings), id, fz_op_name(rq->op),
				rq->seq, rq->slot, cqe->res);
		rq->more = true;
		rq->res = cqe->res;
		if (rq->notif)
			rq->state = FZ_DONE;
		return;
	}
	rq->state = FZ_DONE;
	rq->res = cqe->res;
	if (rq->unsup && cqe->res != -EINVAL)
		fz_fail(f, FZ_UNSUP,
			"ring %ld id %u (seq %u.%u): opcode %u completed with %d",
			(long)(fr - f->rings), id, rq->seq, rq->slot, rq->op,
			cqe->res);
	if (rq->closes_fd && cqe->res >= 0)
		close(cqe->res);
}

static int fz_reap(struct fz *f, struct fz_ring *fr)
{
	struct io_uring_cqe cqe;
	int n = 0, flushes = 0;

	for (;;) {
		while (!ring_peek_cqe(&fr->r, &cqe)) {
			fz_cqe(f, fr, &cqe);
			n++;
		}
		/*
		 * CQEs the kernel holds for want of room come out at the
		 * next GETEVENTS: without one, a full CQ ring keeps them
		 * back, one behind (as liburing, flush them).
		 */
		if (!(__atomic_load_n(fr->r.sq_flags, __ATOMIC_ACQUIRE) &
		      IORING_SQ_CQ_OVERFLOW) || ++flushes > 64)
			break;
		io_uring_enter(fr->r.fd, 0, 0, IORING_ENTER_GETEVENTS);
	}
	if (*fr->r.cq_overflow && !fr->lossy) {
		fr->lossy = true;
		fz_log(f, "ring %ld: %u CQEs dropped, no missing-CQE checks on it\n",
		       (long)(fr - f->rings), *fr->r.cq_overflow);
	}
	return n;
}

/* Wait up to @ms for one CQE, reaping all there are. */
static void fz_wait(struct fz *f, struct fz_ring *fr, int ms)
{
	struct __kernel_timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (ms % 1000) * 1000000L,
	};
	struct io_uring_getevents_arg arg = { .ts = (__u64)(uintptr_t)&ts };

	if (fz_reap(f, fr))
		return;
	io_uring_enter2(fr->r.fd, 0, 1,
			IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
			&arg, sizeof(arg));
	fz_reap(f, fr);
}

/*
 * May @id end without a CQE?  6.1 posts none for an IOSQE_CQE_SKIP_SUCCESS
 * request that succeeds (nor for one whose op fails without marking
 * itself failed, FSYNC say).  One that fails posts its CQE, and then none
 * comes for any request linked after it, multishot or not: the chain is
 * failed quietly.  A chain failed at submission (a member's preparation
 * failed) is failed through its head, so a CQE_SKIP_SUCCESS head posts
 * -ECANCELED and the member that failed, its own error included, posts
 * nothing.  So: its own flag, or an earlier member of its chain with the
 * flag that posted a CQE.
 */
static bool fz_may_skip(struct fz_ring *fr, __u32 id)
{
	struct fz_req *rq = fz_req_of(fr, id);
	__u32 j;

	/*
	 * A multishot POLL_ADD (or zero-copy send) with the flag fails its
	 * prep, with a CQE; one made multishot by an update may have
	 * completed before it, without one (the update then fails).
	 */
	if ((rq->sqe_flags & IOSQE_CQE_SKIP_SUCCESS) && !rq->multi_sqe)
		return true;
	for (j = id - 1; rq->chain && j != fr->checked_id - 1; j--) {
		struct fz_req *m = fz_req_of(fr, j);

		if (m->chain != rq->chain)
			break;
		if ((m->sqe_flags & IOSQE_CQE_SKIP_SUCCESS) && m->ncqe)
			return true;
	}
	return false;
}

/* Is a request still owed its (last) CQE?  @with_skip: count those too. */
static bool fz_outstanding(struct fz_ring *fr, bool with_skip)
{
	__u32 id;

	for (id = fr->checked_id; id != fr->next_id; id++) {
		struct fz_req *rq = fz_req_of(fr, id);

		if (rq->state != FZ_INFLIGHT && rq->state != FZ_QUEUED)
			continue;
		if (with_skip || !fz_may_skip(fr, id))
			return true;
	}
	return false;
}

/* -------------------------------------------------------------------- */
/* submission */

/*
 * Publish @n prepared SQEs (ids first..first+n-1) and have the kernel
 * consume them all, by @how: 0 us, 1 a child process that exits at once,
 * 2 a thread that exits at once.
 */
struct fz_thread_arg {
	int fd;
	unsigned int n;
};

static void *fz_submit_thread(void *arg)
{
	struct fz_thread_arg *a = arg;

	fz_block_alarm();
	io_uring_enter(a->fd, a->n, 0, 0);
	return NULL;
}

static void fz_submit(struct fz *f, struct fz_ring *fr, __u32 first,
		      unsigned int n, int how)
{
	__u32 head0 = __atomic_load_n(fr->r.sq_head, __ATOMIC_ACQUIRE);
	unsigned int pending, done;
	struct timespec t0;
	__u32 id;
	int ret;

	ring_flush_sq(&fr->r);
	if (how == 1) {
		pid_t pid = fork();

		if (pid == 0) {
			io_uring_enter(fr->r.fd, n, 0, 0);
			_exit(0);
		}
		if (pid > 0)
			wait_child(pid, 5000);
		f->st.forks++;
		/*
		 * Submission stops after an SQE that fails it: what the child
		 * left, we submit, and the fds those make are ours.
		 */
		done = __atomic_load_n(fr->r.sq_head, __ATOMIC_ACQUIRE) - head0;
		for (id = first + done; id != first + n; id++)
			fz_req_of(fr, id)->closes_fd =
				fz_req_of(fr, id)->makes_fd;
	} else if (how == 2) {
		struct fz_thread_arg a = { .fd = fr->r.fd, .n = n };
		pthread_t t;

		if (!pthread_create(&t, NULL, fz_submit_thread, &a))
			pthread_join(t, NULL);
		f->st.threads++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		done = __atomic_load_n(fr->r.sq_head, __ATOMIC_ACQUIRE) - head0;
		pending = n - done;
		if (!pending)
			break;
		ret = io_uring_enter(fr->r.fd, pending, 0, 0);
		/* -EBUSY, -EAGAIN: make room, then retry */
		if (ret <= 0)
			fz_wait(f, fr, 10);
		if (ms_since(&t0) > 3000) {
			fz_fail(f, FZ_SUBMIT,
				"ring %ld: %u SQEs not consumed: %d",
				(long)(fr - f->rings), pending, ret);
			break;
		}
	}
	done = __atomic_load_n(fr->r.sq_head, __ATOMIC_ACQUIRE) - head0;
	for (id = first; id != first + n; id++) {
		struct fz_req *rq = fz_req_of(fr, id);

		if (id - first < done) {
			/* its CQE may have come while we made room */
			if (rq->state == FZ_QUEUED)
				rq->state = FZ_INFLIGHT;
			f->st.sqes++;
		} else if (rq->state == FZ_QUEUED) {
			/* never consumed: the ring is broken, drop it */
			rq->state = FZ_DONE;
			rq->ncqe = 1;
		}
	}
	if (done != n)
		ring_resync_sq(&fr->r);
}

/*
 * Queue one SQE of the fuzzer's own (a cancel-everything) and track it.
 */
static void fz_cancel_all(struct fz *f, struct fz_ring *fr)
{
	struct io_uring_sync_cancel_reg sync_cancel = {
		.flags = IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL,
		.timeout = { .tv_sec = 0, .tv_nsec = 1000000 },
	};
	struct io_uring_sqe *sqe;
	__u32 id = fr->next_id;
	struct fz_req *rq;

	/* an IOPOLL ring has no cancel: what is there completes by itself */
	if (fr->iopoll)
		return;
	/*
	 * A cancel SQE waits behind a drained request held back, as all
	 * that is submitted then does (6.1 too), and cannot reach what the
	 * drain waits for: the register call can, and then the drain goes.
	 */
	fz_register(fr->r.fd, IORING_REGISTER_SYNC_CANCEL, &sync_cancel, 1);
	sqe = ring_get_sqe(&fr->r);
	if (!sqe)
		return;
	rq = fz_req_of(fr, id);
	memset(rq, 0, sizeof(*rq));
	rq->id = id;
	rq->op = IORING_OP_ASYNC_CANCEL;
	rq->internal = true;
	rq->state = FZ_QUEUED;
	rq->seq = f->seq;
	rq->slot = 999;
	sqe->opcode = IORING_OP_ASYNC_CANCEL;
	sqe->fd = -1;
	sqe->cancel_flags = IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL;
	sqe->user_data = fz_ud(fr, id);
	fr->next_id++;
	fz_submit(f, fr, id, 1, 0);
}

/*
 * How a link member behind a failed one may complete: -ECANCELED, or the
 * error its own preparation (prep, or reading what the SQE points to for
 * a later issue) met at submission, which it keeps.
 */
static bool fz_cancelled(const struct fz_req *m)
{
	switch (m->res) {
	case -ECANCELED:
	case -EINVAL:
	case -EFAULT:
	case -EOPNOTSUPP:
	case -EPERM:
	case -EMSGSIZE:
	case -ENOMEM:
		return true;
	}
	return false;
}

/*
 * Does a negative res of @m cancel the rest of its chain?  In 6.1 a
 * failure at submission always does, one at issue only for the ops that
 * mark themselves failed: not FSYNC, SYNC_FILE_RANGE, SHUTDOWN or
 * POLL_ADD, whose errors the chain goes on after.  A LINK_TIMEOUT's own
 * -ECANCELED or -ETIME is no failure of the chain's.
 */
static bool fz_fails_link(const struct fz_req *m, bool head)
{
	if (m->unsup)
		return true;
	switch (m->op) {
	case IORING_OP_FSYNC:
	case IORING_OP_SYNC_FILE_RANGE:
	case IORING_OP_SHUTDOWN:
	case IORING_OP_POLL_ADD:
	case IORING_OP_NOP:
		return false;
	case IORING_OP_LINK_TIMEOUT:
		return head;
	case IORING_OP_TIMEOUT:
		return !(m->etime_ok && m->res == -ETIME);
	}
	return true;
}

/*
 * The chains of [checked_id, next_id), all complete: after a failed
 * request of an IO_LINK chain (no hardlink in it), every later one that
 * posted a CQE must say -ECANCELED.
 */
static void fz_check_links(struct fz *f, struct fz_ring *fr)
{
	__u32 id = fr->checked_id;

	while (id != fr->next_id) {
		struct fz_req *rq = fz_req_of(fr, id);
		__u32 chain = rq->chain, end = id, i;
		bool hard = false, failed = false;
		__u32 first_bad = 0;

		if (!chain) {
			id++;
			continue;
		}
		while (end != fr->next_id && fz_req_of(fr, end)->chain == chain) {
			if (fz_req_of(fr, end)->sqe_flags & IOSQE_IO_HARDLINK)
				hard = true;
			end++;
		}
		for (i = id; !hard && i != end; i++) {
			struct fz_req *m = fz_req_of(fr, i);

			if (!m->ncqe)
				continue;
			if (failed && !fr->lossy &&
			    (f->cfg->known ? !fz_cancelled(m) : m->res >= 0)) {
				fz_fail(f, FZ_LINK,
					"ring %ld: chain %u..%u: id %u (%s, seq %u.%u) res %d after id %u (%s) failed with %d",
					(long)(fr - f->rings), id, end - 1, i,
					fz_op_name(m->op), m->seq, m->slot,
					m->res, first_bad,
					fz_op_name(fz_req_of(fr, first_bad)->op),
					fz_req_of(fr, first_bad)->res);
				break;
			}
			if (!failed && m->res < 0 && fz_fails_link(m, i == id)) {
				failed = true;
				first_bad = i;
			}
		}
		id = end;
	}
}

/*
 * Bring @fr to rest: cancel what is pending until every request that must
 * post a CQE did, then check the chains.  Requests that may complete
 * without a CQE (CQE_SKIP_SUCCESS) are left as they are.
 */
static void fz_quiesce(struct fz *f, struct fz_ring *fr)
{
	struct timespec t0;
	__u32 id;
	int round;

	if (!fr->open)
		return;
	f->st.quiesces++;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (round = 0; ; round++) {
		fz_wait(f, fr, round ? 20 : 1);
		/* a flood of CQEs must not make a flood of cancels */
		if (round)
			usleep(5 * 1000);
		if (!fz_outstanding(fr, round < 3))
			break;
		if (ms_since(&t0) > f->cfg->quiesce_ms)
			break;
		if (round)
			fz_cancel_all(f, fr);
	}
	fz_reap(f, fr);
	for (id = fr->checked_id; id != fr->next_id; id++) {
		struct fz_req *rq = fz_req_of(fr, id);

		if (rq->state != FZ_INFLIGHT || fz_may_skip(fr, id) ||
		    fr->lossy)
			continue;
		fz_fail(f, FZ_MISSING,
			"ring %ld id %u (%s, seq %u.%u, flags 0x%x): no %sCQE after %ld ms and a cancel of everything",
			(long)(fr - f->rings), id, fz_op_name(rq->op), rq->seq,
			rq->slot, rq->sqe_flags, rq->ncqe ? "last " : "",
			ms_since(&t0));
		break;
	}
	fz_check_links(f, fr);
	fr->checked_id = fr->next_id;
}

/* -------------------------------------------------------------------- */
/* sequences */

static bool fz_dropped(struct fz *f, __u32 seq, unsigned int slot)
{
	int i;

	for (i = 0; i < f->cfg->nr_drop; i++)
		if (f->cfg->drop[i].seq == seq && f->cfg->drop[i].slot == slot)
			return true;
	return false;
}

/* What goes on while the batch is in flight. */
static void fz_side(struct fz *f, struct fz_ring *fr, __u32 seq)
{
	struct fz_rng rng;
	int fds[4], i, nr;

	if (fz_dropped(f, seq, FZ_SIDE_SLOT))
		return;
	fz_rng_init(&rng, f->cfg->seed, seq, FZ_SIDE_SLOT);
	switch (fz_below(&rng, 24)) {
	case 0:
	case 1:
	case 2:	/* swap registered files under requests in flight */
		nr = 1 + fz_below(&rng, 4);
		for (i = 0; i < nr; i++)
			fds[i] = fz_one_in(&rng, 3) ? -1 :
				 fz_fd_pick(f, &rng, fr->r.fd);
		{
			struct io_uring_files_update up = {
				.offset = fz_below(&rng, FZ_NFIXED + 2),
				.fds = (__u64)(uintptr_t)fds,
			};

			fz_register(fr->r.fd, IORING_REGISTER_FILES_UPDATE,
				    &up, nr);
		}
		f->st.reg_updates++;
		break;
	case 3:
		if (fr->files && !fz_register(fr->r.fd,
					      IORING_UNREGISTER_FILES, NULL, 0))
			fr->files = false;
		else if (!fr->files)
			fz_register_files(f, fr, &rng);
		f->st.reg_updates++;
		break;
	case 4:
		if (fr->bufs && !fz_register(fr->r.fd,
					     IORING_UNREGISTER_BUFFERS, NULL, 0))
			fr->bufs = false;
		else if (!fr->bufs)
			fz_register_bufs(f, fr, &rng);
		f->st.reg_updates++;
		break;
	case 5:
		if (fz_one_in(&rng, 2))
			io_uring_register(fr->r.fd, IORING_REGISTER_EVENTFD,
					  &f->env.evfd, 1);
		else
			io_uring_register(fr->r.fd, IORING_UNREGISTER_EVENTFD,
					  NULL, 0);
		break;
	case 6:	/* feed the pipe and the socket that reads wait on */
		{
			struct pollfd pfd = { .fd = f->env.pipe[1],
					      .events = POLLOUT };

			/*
			 * Only into room: nobody may be reading, and a
			 * blocking write to a full pipe would hang us here.
			 * Under PIPE_BUF, with a slot free, it can't block.
			 */
			if (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLOUT) &&
			    write(f->env.pipe[1], f->env.data,
				  1 + fz_below(&rng, 64)) < 0)
				break;
			send(f->env.sp[1], f->env.data, 1 + fz_below(&rng, 64),
			     MSG_DONTWAIT);
		}
		break;
	case 7: /* a connection for ACCEPT to take */
		{
			int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

			if (s >= 0) {
				connect(s, (struct sockaddr *)&f->env.addr,
					f->env.addr_len);
				close(s);
			}
		}
		break;
	}
}

/* Run sequence @seq: one batch of SQEs on one ring, and what goes with it. */
static void fz_sequence(struct fz *f, __u32 seq)
{
	struct io_uring_sqe sqes[FZ_MAX_BATCH];
	struct fz_req reqs[FZ_MAX_BATCH];
	struct fz_ring *fr;
	struct fz_rng rng;
	unsigned int n, i, nq = 0, how;
	__u32 first, chain = 0;
	bool close_ring, open_chain = false;

	f->seq = seq;
	fz_rng_init(&rng, f->cfg->seed, seq, FZ_RING_SLOT);
	fr = &f->rings[fz_below(&rng, FZ_RINGS)];
	if (!fr->open && fz_ring_open(f, fr, seq)) {
		fz_log(f, "seq %u: ring setup failed\n", seq);
		return;
	}
	n = 1 + fz_below(&rng, FZ_MAX_BATCH);
	if (n > fr->r.p.sq_entries)
		n = fr->r.p.sq_entries;
	how = fz_one_in(&rng, 12) ? 1 + fz_below(&rng, 2) : 0;
	close_ring = fz_one_in(&rng, 40);

	/* make room in the table: nothing outstanding may be overwritten */
	if (fr->next_id - fr->checked_id > FZ_TABLE / 2)
		fz_quiesce(f, fr);

	first = fr->next_id;
	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe;
		struct fz_req *rq;

		if (fz_dropped(f, seq, i))
			continue;
		memset(&reqs[nq], 0, sizeof(reqs[nq]));
		fz_gen_sqe(f, fr, seq, i, &sqes[nq], &reqs[nq], how == 1);
		sqe = ring_get_sqe(&fr->r);
		if (!sqe)
			break;
		*sqe = sqes[nq];
		rq = fz_req_of(fr, fr->next_id);
		*rq = reqs[nq];
		rq->id = fr->next_id;
		rq->seq = seq;
		rq->slot = i;
		rq->state = FZ_QUEUED;
		if (!open_chain && (sqe->flags & (IOSQE_IO_LINK | IOSQE_IO_HARDLINK)))
			chain = ++fr->next_chain ?: ++fr->next_chain;
		rq->chain = open_chain || (sqe->flags &
				(IOSQE_IO_LINK | IOSQE_IO_HARDLINK)) ? chain : 0;
		open_chain = sqe->flags & (IOSQE_IO_LINK | IOSQE_IO_HARDLINK);
		sqe->user_data = fz_ud(fr, rq->id);
		if (f->cfg->verbose)
			fz_describe(f, fr, sqe, rq->id, seq, i);
		fr->next_id++;
		nq++;
	}
	if (f->cfg->verbose && how)
		printf("#   seq %u: submitted by a %s\n", seq,
		       how == 1 ? "child process" : "thread");
	if (nq)
		fz_submit(f, fr, first, nq, how);
	fz_side(f, fr, seq);
	fz_wait(f, fr, 1);

	if (close_ring && !fz_dropped(f, seq, FZ_SIDE_SLOT + 1)) {
		__u32 id;
		bool fd_pending = false;

		/* an fd made for us that we would never learn of */
		fz_reap(f, fr);
		for (id = fr->checked_id; id != fr->next_id; id++) {
			struct fz_req *rq = fz_req_of(fr, id);

			if (rq->state == FZ_INFLIGHT && rq->closes_fd)
				fd_pending = true;
		}
		if (!fd_pending) {
			fz_ring_close(fr);
			f->st.ring_closes++;
			return;
		}
	}
	if (fz_one_in(&rng, 4) || fr->iopoll)
		fz_quiesce(f, fr);
}

static bool fz_selected(struct fz *f, __u32 seq)
{
	int i;

	if (!f->cfg->nr_only)
		return true;
	for (i = 0; i < f->cfg->nr_only; i++)
		if (f->cfg->only[i] == seq)
			return true;
	return false;
}

/* If the fuzzer itself crashes, say where: a kernel may have written over it. */
/* what the crash handler prints; __atomic, the handler may interrupt the store */
static __u32 fz_crash_seq;

static void fz_crash(int sig)
{
	char msg[96];
	int n;

	n = snprintf(msg, sizeof(msg), "# fuzz: signal %d in sequence %u\n",
		     sig, __atomic_load_n(&fz_crash_seq, __ATOMIC_RELAXED));
	if (write(STDOUT_FILENO, msg, n) < 0)
		_exit(FZ_SETUP);
	_exit(FZ_SETUP);
}

/* The whole run; returns FZ_OK or the kind of the first broken invariant. */
static int fz_run(struct fz_cfg *cfg, struct fz_stats *st, __u32 *bad_seq,
		  char *what, size_t what_sz)
{
	struct fz *f = calloc(1, sizeof(*f));
	__u32 seq, last = 0;
	int i, kind, fds;

	if (!f)
		return FZ_SETUP;
	f->cfg = cfg;
	clock_gettime(CLOCK_MONOTONIC, &f->start);
	signal(SIGPIPE, SIG_IGN);
	/* no SA_RESTART: the alarm interrupts a register call */
	sigaction(SIGALRM, &(struct sigaction){ .sa_handler = fz_alarm }, NULL);
	signal(SIGSEGV, fz_crash);
	signal(SIGBUS, fz_crash);
	f->base_fds = fz_count_fds();
	f->base_threads = fz_count_io_threads();
	for (i = 0; i < FZ_RINGS; i++) {
		f->rings[i].reqs = calloc(FZ_TABLE, sizeof(struct fz_req));
		f->rings[i].r.fd = -1;
		if (!f->rings[i].reqs)
			return FZ_SETUP;
	}
	if (fz_env_init(&f->env)) {
		fz_fail(f, FZ_SETUP, "environment: %s", strerror(errno));
		goto out;
	}
	if (cfg->nr_only)
		for (i = 0; i < cfg->nr_only; i++)
			if (cfg->only[i] > last)
				last = cfg->only[i];

	for (seq = 0; !f->kind; seq++) {
		if (cfg->nr_only ? seq > last :
		    (f->st.sqes >= cfg->max_sqes ||
		     (cfg->max_ms && fz_ms(f) >= cfg->max_ms)))
			break;
		if (!fz_selected(f, seq))
			continue;
		__atomic_store_n(&fz_crash_seq, seq, __ATOMIC_RELAXED);
		fz_sequence(f, seq);
		f->st.seqs++;
	}
	for (i = 0; i < FZ_RINGS; i++)
		fz_quiesce(f, &f->rings[i]);
out:
	for (i = 0; i < FZ_RINGS; i++)
		fz_ring_close(&f->rings[i]);
	fz_env_exit(&f->env);

	fds = fz_count_fds();
	if (!f->kind && fds != f->base_fds) {
		fz_fail(f, FZ_FDLEAK, "%d fds open, %d at the start", fds,
			f->base_fds);
		fz_list_fds(f);
	}
	if (!f->kind && cfg->check_threads) {
		struct timespec t0;
		int n;

		/* idle workers go after a while (6.1: 5 s) */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		while ((n = fz_count_io_threads()) > f->base_threads &&
		       ms_since(&t0) < 12000)
			usleep(100 * 1000);
		if (n > f->base_threads)
			fz_fail(f, FZ_THREADS, "%d io threads, %d at the start",
				n, f->base_threads);
	}
	f->st.ms = fz_ms(f);
	*st = f->st;
	*bad_seq = f->bad_seq;
	snprintf(what, what_sz, "%s", f->what);
	kind = f->kind;
	for (i = 0; i < FZ_RINGS; i++)
		free(f->rings[i].reqs);
	free(f);
	return kind;
}

/* -------------------------------------------------------------------- */
/* reduction: re-run subsets in children, keep what still breaks */

static int fz_try(struct fz_cfg *cfg, int want, long ms)
{
	struct fz_stats st;
	char what[512];
	__u32 bad;
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 0;
	if (pid == 0) {
		cfg->reducing = true;
		cfg->verbose = false;
		cfg->check_threads = false;
		_exit(fz_run(cfg, &st, &bad, what, sizeof(what)));
	}
	status = wait_child(pid, ms);
	return WIFEXITED(status) && WEXITSTATUS(status) == want;
}

static void fz_print_replay(struct fz_cfg *cfg)
{
	int i;

	printf("# replay: FUZZ_SEED=%llu FUZZ_ONLY=", (unsigned long long)cfg->seed);
	for (i = 0; i < cfg->nr_only; i++)
		printf("%s%u", i ? "," : "", cfg->only[i]);
	if (cfg->nr_drop) {
		printf(" FUZZ_DROP=");
		for (i = 0; i < cfg->nr_drop; i++)
			printf("%s%u.%u", i ? "," : "", cfg->drop[i].seq,
			       cfg->drop[i].slot);
	}
	printf(" FUZZ_VERBOSE=1 ./fuzz\n");
}

static void fz_reduce(struct fz_cfg *orig, int kind, __u32 bad_seq,
		      long run_ms)
{
	struct fz_cfg *c = malloc(sizeof(*c));
	long budget = 30, per_try;
	struct timespec t0;
	__u32 nr, chunk, i, s;
	const char *e = getenv("FUZZ_REDUCE_SECONDS");

	if (!c)
		return;
	if (e)
		budget = atol(e);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	*c = *orig;
	/* a try may have to go as far as the run went, and quiesce */
	per_try = 10000 + 2 * run_ms + orig->quiesce_ms;
	if (!c->nr_only) {
		nr = bad_seq + 1 < FZ_MAX_PICKS ? bad_seq + 1 : FZ_MAX_PICKS;
		for (i = 0; i < nr; i++)
			c->only[i] = bad_seq + 1 - nr + i;
		c->nr_only = nr;
	}
	printf("# reducing %d sequences (%lds at most)\n", c->nr_only, budget);

	/* first, the failing sequence alone */
	{
		struct fz_cfg *t = malloc(sizeof(*t));

		*t = *c;
		t->nr_only = 1;
		t->only[0] = bad_seq;
		if (fz_try(t, kind, per_try))
			*c = *t;
		free(t);
	}
	/* then drop chunks of sequences, halving the chunk */
	for (chunk = c->nr_only / 2; chunk; chunk /= 2) {
		for (s = 0; s + chunk <= (__u32)c->nr_only;) {
			struct fz_cfg *t;

			if (ms_since(&t0) > budget * 1000)
				goto slots;
			t = malloc(sizeof(*t));
			*t = *c;
			memmove(&t->only[s], &t->only[s + chunk],
				(t->nr_only - s - chunk) * sizeof(t->only[0]));
			t->nr_only -= chunk;
			if (t->nr_only && fz_try(t, kind, per_try))
				*c = *t;
			else
				s += chunk;
			free(t);
		}
	}
slots:
	/* then single SQEs (and side actions) of what is left */
	for (i = 0; i < (__u32)c->nr_only; i++) {
		unsigned int slot;

		for (slot = 0; slot <= FZ_SIDE_SLOT + 1; slot++) {
			if (slot == FZ_MAX_BATCH)
				slot = FZ_SIDE_SLOT;
			if (ms_since(&t0) > budget * 1000 ||
			    c->nr_drop >= FZ_MAX_PICKS)
				goto done;
			c->drop[c->nr_drop].seq = c->only[i];
			c->drop[c->nr_drop].slot = slot;
			c->nr_drop++;
			if (!fz_try(c, kind, per_try))
				c->nr_drop--;
		}
	}
done:
	printf("# reduced in %lds to %d sequences, %d slots dropped\n",
	       ms_since(&t0) / 1000, c->nr_only, c->nr_drop);
	fz_print_replay(c);
	/* show it: one verbose run of the reduced sequence */
	if (fz_try(c, kind, per_try))
		printf("# (it still breaks the invariant)\n");
	c->verbose = true;
	c->reducing = false;
	{
		struct fz_stats st;
		char what[512];
		__u32 bad;
		pid_t pid = fork();

		if (pid == 0)
			_exit(fz_run(c, &st, &bad, what, sizeof(what)));
		if (pid > 0)
			wait_child(pid, per_try);
	}
	free(c);
}

/* -------------------------------------------------------------------- */
/* configuration from the environment */

static long fz_env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v && *v ? strtol(v, NULL, 0) : def;
}

static void fz_parse_list(struct fz_cfg *cfg)
{
	const char *v = getenv("FUZZ_ONLY");
	char *end;

	while (v && *v && cfg->nr_only < FZ_MAX_PICKS) {
		cfg->only[cfg->nr_only++] = strtoul(v, &end, 0);
		v = *end ? end + 1 : end;
	}
	v = getenv("FUZZ_DROP");
	while (v && *v && cfg->nr_drop < FZ_MAX_PICKS) {
		cfg->drop[cfg->nr_drop].seq = strtoul(v, &end, 0);
		cfg->drop[cfg->nr_drop].slot = *end == '.' ?
			strtoul(end + 1, &end, 0) : 0;
		cfg->nr_drop++;
		v = *end ? end + 1 : end;
	}
}

/*
 * One fuzz run with @seed unless FUZZ_SEED says otherwise; returns
 * FZ_OK or the broken invariant (after reducing it).
 */
static int fz_main(__u64 seed, long def_seconds, bool check_threads)
{
	struct fz_cfg *cfg = calloc(1, sizeof(*cfg));
	struct fz_stats st;
	char what[512];
	__u32 bad_seq;
	int kind;

	if (!cfg)
		return FZ_SETUP;
	cfg->seed = fz_env_long("FUZZ_SEED", seed);
	cfg->max_ms = fz_env_long("FUZZ_SECONDS", def_seconds) * 1000;
	cfg->max_sqes = fz_env_long("FUZZ_SQES", 100000);
	if (fz_env_long("FUZZ_LONG", 0)) {
		cfg->max_sqes = 1000000;
		cfg->max_ms = fz_env_long("FUZZ_SECONDS", 0) * 1000;
	}
	cfg->verbose = fz_env_long("FUZZ_VERBOSE", 0);
	cfg->check_threads = check_threads;
	cfg->quiesce_ms = fz_env_long("FUZZ_QUIESCE_MS", 5000);
	cfg->known = fz_env_long("FUZZ_KNOWN", 0);
	fz_parse_list(cfg);

	printf("# seed %llu, at most %ld SQEs, %ld s\n",
	       (unsigned long long)cfg->seed, cfg->max_sqes, cfg->max_ms / 1000);
	kind = fz_run(cfg, &st, &bad_seq, what, sizeof(what));
	printf("# seed %llu: %ld SQEs, %ld CQEs, %ld sequences in %ld ms",
	       (unsigned long long)cfg->seed, st.sqes, st.cqes, st.seqs, st.ms);
	printf(" (%ld quiesces, %ld forks, %ld threads, %ld ring closes, %ld table changes)\n",
	       st.quiesces, st.forks, st.threads, st.ring_closes,
	       st.reg_updates);
	if (kind) {
		printf("# seed %llu broke an invariant at sequence %u: %s\n",
		       (unsigned long long)cfg->seed, bad_seq, what);
		if (kind != FZ_SETUP && kind != FZ_THREADS && kind != FZ_FDLEAK)
			fz_reduce(cfg, kind, bad_seq, st.ms);
		else
			printf("# replay: FUZZ_SEED=%llu ./fuzz\n",
			       (unsigned long long)cfg->seed);
	}
	/* the harness ends the case with _exit(): the figures must be out */
	fflush(stdout);
	free(cfg);
	return kind;
}

/* -------------------------------------------------------------------- */
/* the test cases: a short run per seed; FUZZ_* variables override */

#define FZ_CASE_SECONDS	15
#define FZ_CASE_TIMEOUT	(24 * 3600)	/* our own bounds apply */

/* FUZZ_SEED=n, or FUZZ_LONG=1 (a million SQEs): one run, the first case's */
static bool fz_one_run(void)
{
	return getenv("FUZZ_SEED") || fz_env_long("FUZZ_LONG", 0);
}

FIXTURE(fuzz) {
	int unused;
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, random_sqes_seed_1, FZ_CASE_TIMEOUT)
{
	ASSERT_EQ(FZ_OK, fz_main(1, FZ_CASE_SECONDS, false));
}

TEST_F_TIMEOUT(fuzz, random_sqes_seed_2, FZ_CASE_TIMEOUT)
{
	if (fz_one_run())
		SKIP(return, "FUZZ_SEED or FUZZ_LONG: the first case runs it");
	ASSERT_EQ(FZ_OK, fz_main(2, FZ_CASE_SECONDS, false));
}

/* the last one also waits for the io threads to go */
TEST_F_TIMEOUT(fuzz, random_sqes_seed_3_leave_no_io_threads, FZ_CASE_TIMEOUT)
{
	if (fz_one_run())
		SKIP(return, "FUZZ_SEED or FUZZ_LONG: the first case runs it");
	ASSERT_EQ(FZ_OK, fz_main(3, FZ_CASE_SECONDS, true));
}

TEST_HARNESS_MAIN
