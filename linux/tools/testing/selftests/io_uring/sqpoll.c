// SPDX-License-Identifier: GPL-2.0
/*
 * IORING_SETUP_SQPOLL: a kernel thread of the process, "iou-sqp-<pid>",
 * consumes the SQ ring without io_uring_enter(), sleeps when idle and is
 * woken with IORING_ENTER_SQ_WAKEUP.  Each case is a behaviour of 6.1 (the
 * reference).
 *
 * Covered: I/O with no system call at all, on non-fixed files; the idle
 * flag and the wakeup, and the [SQ-W] barrier protocol under a tight loop;
 * a sleeping thread using no CPU; what io_uring_enter() answers and waits
 * for on an SQPOLL ring (to_submit, GETEVENTS, SQ_WAIT); SQ_AFF; ATTACH_WQ
 * (bad fds, one thread for the rings of a process, one per process); fork,
 * exec and exit of the setup task (-EOWNERDEAD); exit with requests in
 * flight; SQEs failing at submission; CQ overflow; the setup task's creds;
 * SQPOLL with IOPOLL.
 *
 * Files are created in the current directory.  The creds cases need root,
 * the IOPOLL case /dev/nullb0 (null_blk with poll queues); they are skipped
 * without.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define ENTRIES		8
#define BS		4096
#define SQP_PREFIX	"iou-sqp-"
/* Short enough for the thread to sleep between iterations of a test. */
#define IDLE_MS		10
/* Bounds of the waits for something 6.1 does at once or within IDLE_MS. */
#define WAIT_MS		3000
#define CHILD_MS	5000
#define NULLB		"/dev/nullb0"
#define NOBODY		65534

/* Set for the exec'd image of the -EOWNERDEAD case: the ring fd it got. */
#define EXEC_FD_ENV	"IOU_SQPOLL_EXEC_FD"

/*
 * The image exec'd by sqpoll_exec_kills_thread: enter the ring that came
 * through the exec and exit with what that said, -errno as errno, 0 as 200.
 */
__attribute__((constructor)) static void exec_target(void)
{
	const char *s = getenv(EXEC_FD_ENV);
	int ret;

	if (!s)
		return;
	ret = io_uring_enter(atoi(s), 0, 0, 0);
	_exit(ret < 0 ? -ret : 200 + (ret > 50 ? 50 : ret));
}

/* The cases share no state: each makes the rings it needs. */
FIXTURE(sqpoll) {
	int unused;
};

FIXTURE_SETUP(sqpoll)
{
}

FIXTURE_TEARDOWN(sqpoll)
{
}

/* Set up an SQPOLL ring with @flags added, idling @idle_ms (0: 6.1's 1 s). */
static int sq_ring(struct ring *r, unsigned int entries, unsigned int flags,
		   unsigned int idle_ms, int wq_fd)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL | flags;
	p.sq_thread_idle = idle_ms;
	p.wq_fd = wq_fd;
	return ring_init_params(r, entries, &p);
}

/* io_uring_setup() alone, for the cases that only look at its answer. */
static int setup_fd(unsigned int flags, int wq_fd, unsigned int cpu)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	p.wq_fd = wq_fd;
	p.sq_thread_cpu = cpu;
	return io_uring_setup(ENTRIES, &p);
}

/*
 * The SQ threads of this process: how many, and the tid of one in *@tid
 * (if not NULL).  Named "iou-sqp-<pid of the setup task>".
 */
static int sqp_threads(pid_t *tid)
{
	return proc_count("/proc/self/task", SQP_PREFIX, tid);
}

/*
 * A new SQ thread names itself when it first runs: until then it has the
 * comm of its process.  Wait up to WAIT_MS for @want named threads; returns
 * how many there were last.
 */
static int sqp_wait(int want, pid_t *tid)
{
	struct timespec start;
	int nr;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((nr = sqp_threads(tid)) != want && ms_since(&start) < WAIT_MS)
		usleep(1000);
	return nr;
}

/* Threads of this process other than the calling one, of any name. */
static int other_threads(void)
{
	struct dirent *de;
	int nr = 0;
	DIR *d;

	d = opendir("/proc/self/task");
	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && atoi(de->d_name) != syscall(SYS_gettid))
			nr++;
	closedir(d);
	return nr;
}

/* Our SQ thread's comm should be "iou-sqp-<our pid>". */
static bool sqp_named_after(pid_t tid, pid_t pid)
{
	char path[64], comm[32] = "", want[32];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", tid);
	f = fopen(path, "r");
	if (!f)
		return false;
	snprintf(want, sizeof(want), SQP_PREFIX "%d\n", pid);
	ok = fgets(comm, sizeof(comm), f) && !strcmp(comm, want);
	fclose(f);
	return ok;
}

/* State letter and utime + stime (ticks) of thread @tid; 0 or -errno. */
static int thread_stat(pid_t tid, char *state, unsigned long *ticks)
{
	unsigned long utime, stime;
	char path[64], buf[1024], *p;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -EIO;
	buf[len] = 0;
	/* The comm, in parentheses, may hold anything: parse after it. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			 state, &utime, &stime) != 3)
		return -EIO;
	*ticks = utime + stime;
	return 0;
}

/* Has the SQ thread set IORING_SQ_NEED_WAKEUP (gone to sleep) within @ms? */
static bool wait_sq_sleeping(struct ring *r, long ms)
{
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		/*
		 * A hint only, no data depends on it; the kernel sets it with
		 * atomic_or() before its [SQ-W] smp_mb().
		 */
		if (__atomic_load_n(r->sq_flags, __ATOMIC_RELAXED) &
		    IORING_SQ_NEED_WAKEUP)
			return true;
		usleep(1000);
	} while (ms_since(&start) < ms);
	return false;
}

/* Has the thread consumed everything published within @ms? */
static bool wait_sq_empty(struct ring *r, long ms)
{
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		/* Pairs with the kernel's store-release of sq.head [SQ-H]. */
		if (__atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE) ==
		    __atomic_load_n(r->sq_tail, __ATOMIC_RELAXED))
			return true;
		usleep(1000);
	} while (ms_since(&start) < ms);
	return false;
}

/* Does a CQE show up within @ms without any io_uring_enter()? */
static int poll_cqe(struct ring *r, struct io_uring_cqe *cqe, long ms)
{
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		/* ring_peek_cqe(): acquire of cq.tail [CQ-T], release of cq.head */
		if (!ring_peek_cqe(r, cqe))
			return 0;
		usleep(1000);
	} while (ms_since(&start) < ms);
	return -ETIME;
}

static void prep_timeout(struct io_uring_sqe *sqe,
			 const struct __kernel_timespec *ts, __u64 user_data)
{
	ring_prep_rw(sqe, IORING_OP_TIMEOUT, -1, ts, 1, 0, user_data);
}

/* Queue @nr NOPs with user_data @first.. on @r, without publishing them. */
static int queue_nops(struct ring *r, int nr, __u64 first)
{
	struct io_uring_sqe *sqe;
	int i;

	for (i = 0; i < nr; i++) {
		sqe = ring_get_sqe(r);
		if (!sqe)
			return -EBUSY;
		ring_prep_nop(sqe, first + i);
	}
	return 0;
}

/* 6.1 reports IORING_FEAT_SQPOLL_NONFIXED: any fd may be used. */
TEST_F_TIMEOUT(sqpoll, setup_reports_nonfixed, IOU_TIMEOUT)
{
	struct ring r;

	ASSERT_EQ(0, sq_ring(&r, ENTRIES, 0, 0, 0));
	EXPECT_TRUE(r.p.features & IORING_FEAT_SQPOLL_NONFIXED);
	EXPECT_EQ(1, sqp_wait(1, NULL));
	ring_exit(&r);
}

/* 6.1's thread consumes a published SQE with no io_uring_enter() at all. */
TEST_F_TIMEOUT(sqpoll, nop_without_enter, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct ring r;

	/* Idle long enough that it is still polling when we publish. */
	ASSERT_EQ(0, sq_ring(&r, ENTRIES, 0, 5000, 0));
	ring_prep_nop(ring_get_sqe(&r), 7);
	ring_flush_sq(&r);
	ASSERT_EQ(0, poll_cqe(&r, &cqe, WAIT_MS));
	EXPECT_EQ(7, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	ring_exit(&r);
}

/* 6.1: the thread reads and writes a plain (non-registered) file fd. */
TEST_F_TIMEOUT(sqpoll, write_read_plain_fd, IOU_TIMEOUT)
{
	char path[] = "./io_uring_sqpoll_XXXXXX";
	char wbuf[BS], rbuf[BS];
	struct ring r;
	int fd, i;

	fd = mkstemp(path);
	ASSERT_GE(fd, 0);
	unlink(path);
	for (i = 0; i < BS; i++)
		wbuf[i] = (char)(i * 13 + 1);
	memset(rbuf, 0, sizeof(rbuf));

	ASSERT_EQ(0, sq_ring(&r, ENTRIES, 0, 0, 0));
	EXPECT_EQ(BS, ring_run_one(&r, IORING_OP_WRITE, fd, wbuf, BS, 0, 0));
	EXPECT_EQ(BS, ring_run_one(&r, IORING_OP_READ, fd, rbuf, BS, 0, 0));
	EXPECT_EQ(0, memcmp(wbuf, rbuf, BS));
	/* The write went to the file, not somewhere of the thread's own. */
	memset(rbuf, 0, sizeof(rbuf));
	EXPECT_EQ(BS, pread(fd, rbuf, BS, 0));
	EXPECT_EQ(0, memcmp(wbuf, rbuf, BS));
	ring_exit(&r);
	close(fd);
}

/*
 * 6.1: after sq_thread_idle the thread sets IORING_SQ_NEED_WAKEUP and
 * sleeps; an SQE published then stays put until IORING_ENTER_SQ_WAKEUP.
 */
TEST_F_TIMEOUT(sqpoll, idle_sets_need_wakeup, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	unsigned int head;
	struct ring r;

	ASSERT_EQ(0, sq_ring(&r, ENTRIES, 0, IDLE_MS, 0));
	ASSERT_TRUE(wait_sq_sleeping(&r, WAIT_MS));

	/* Pairs with the kernel's store-release of sq.head [SQ-H]. */
	head = __atomic_load_n(r.sq_head, __ATOMIC_ACQUIRE);
	ring_prep_nop(ring_get_sqe(&r), 1);
	ring_flush_sq(&r);
	ASSERT_TRUE(ring_sq_needs_wakeup(&r));
	/* Nobody woke it: nothing happens. */
	EXPECT_TRUE(QUIET(&r));
	EXPECT_EQ(head, __atomic_load_n(r.sq_head, __ATOMIC_ACQUIRE));

	EXPECT_EQ(1, io_uring_enter(r.fd, 1, 0, IORING_ENTER_SQ_WAKEUP));
	ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
	EXPECT_EQ(1, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	/* Busy again, it cleared the flag; it sets it again when idle. */
	ASSERT_TRUE(wait_sq_sleeping(&r, WAIT_MS));
	ring_exit(&r);
}

/*
 * The [SQ-W] protocol under a tight loop: submit one NOP (waking the
 * thread only when it asks) and wait for it, with random short pauses
 * around the idle time so that the thread keeps going to sleep just as
 * we publish.  On 6.1 every CQE arrives.
 */
#define LOOPS	2000
TEST_F_TIMEOUT(sqpoll, wakeup_protocol_tight_loop, 90)
{
	unsigned int seed = (unsigned int)time(NULL) ^ getpid();
	int i, wakeups = 0;
	struct io_uring_cqe cqe;
	struct ring r;

	TH_LOG("seed %u", seed);
	ASSERT_EQ(0, sq_ring(&r, ENTRIES, 0, IDLE_MS, 0));
	for (i = 0; i < LOOPS; i++) {
		unsigned int pause = rand_r(&seed);
		int ret;

		/* A quarter of the time, 0 to 1.5 times the idle time. */
		if (!(pause & 3))
			usleep((pause >> 2) % (IDLE_MS * 1500));
		ring_prep_nop(ring_get_sqe(&r), i);
		ring_flush_sq(&r);
		if (ring_sq_needs_wakeup(&r)) {
			wakeups++;
			ASSERT_EQ(1, io_uring_enter(r.fd, 1, 0,
						    IORING_ENTER_SQ_WAKEUP));
		}
		/* The wait does not wake the thread: only the flag does. */
		ret = ring_wait_cqe_timeout(&r, &cqe, WAIT_MS);
		ASSERT_EQ(0, ret) {
			TH_LOG("iteration %d: no CQE (%d), sq head %u tail %u flags 0x%x",
			       i, ret, *r.sq_head, *r.sq_tail, *r.sq_flags);
		}
		ASSERT_EQ(i, cqe.user_data);
		ASSERT_EQ(0, cqe.res);
	}
	TH_LOG("%d of %d submissions needed a wakeup", wakeups, LOOPS);
	/* The pauses longer than the idle time put it to sleep. */
	EXPECT_LT(0, wakeups);
	ring_exit(&r);
}

/* 6.1: an SQ thread asleep is in state S and accumulates no CPU time. */
TEST_F_TIMEOUT(sqpoll, sleeping_thread_uses_no_cpu, IOU_TIMEOUT)
{
	unsigned long before, after;
	struct timespec start;
	char state = 0;
	struct ring r;
	pid_t tid = 0;

	ASSERT_EQ(0, sq_ring(&r, ENTRIES, 0, IDLE_MS, 0));
	ASSERT_EQ(1, sqp_wait(1, &tid));
	EXPECT_TRUE(sqp_named_after(tid, getpid()));
	ASSERT_TRUE(wait_sq_sleeping(&r, WAIT_MS));

	/* The flag is set just before schedule(): wait for it to get there. */
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		ASSERT_EQ(0, thread_stat(tid, &state, &before));
		if (state == 'S')
			break;
		usleep(1000);
	} while (ms_since(&start) < WAIT_MS);
	ASSERT_EQ('S', state);

	sleep(1);
	ASSERT_EQ(0, thread_stat(tid, &state, &after));
	EXPECT_EQ('S', state);
	/* At most the tick that may have caught it going to sleep. */
	EXPECT_GE(1, after - before) {
		TH_LOG("%lu ticks in 1 s asleep", after - before);
	}
	ring_exit(&r);
}

/*
 * 6.1 answers io_uring_enter(to_submit = N) on an SQPOLL ring with N,
 * whatever is queued: the thread submits, the syscall only reports.
 */
TEST_F_TIMEOUT(sqpoll, enter_returns_to_submit, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct ring r;
	int i;

	ASSERT_EQ(0, sq_ring(&r, ENTRIES, 0, 0, 0));
	ASSERT_EQ(0, queue_nops(&r, 3, 1));
	ring_flush_sq(&r);
	EXPECT_EQ(3, io_uring_enter(r.fd, 3, 0, IORING_ENTER_SQ_WAKEUP));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
		EXPECT_EQ(i + 1, cqe.user_data);
	}
	/* Nothing queued at all: still N, and nothing is submitted. */
	EXPECT_EQ(5, io_uring_enter(r.fd, 5, 0, 0));
	EXPECT_EQ(2, io_uring_enter(r.fd, 2, 0, IORING_ENTER_SQ_WAKEUP));
	EXPECT_EQ(0, io_uring_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAKEUP));
	EXPECT_TRUE(QUIET(&r));
	ring_exit(&r);
}

/* 6.1: GETEVENTS on an SQPOLL ring waits for min_complete as usual. */
TEST_F_TIMEOUT(sqpoll, getevents_waits_for_min_complete, IOU_TIMEOUT)
{
	struct __kernel_timespec t100 = { .tv_nsec = 100 * 1000000L };
	struct __kernel_timespec bound = { .tv_sec = WAIT_MS / 1000 };
	struct io_uring_getevents_arg arg = {
		.ts = (__u64)(uintptr_t)&bound,
	};
	struct io_uring_cqe cqe;
	struct ring r;

	ASSERT_EQ(0, sq_ring(&r, ENTRIES, 0, 0, 0));
	ASSERT_EQ(0, queue_nops(&r, 2, 1));
	prep_timeout(ring_get_sqe(&r), &t100, 3);
	ASSERT_EQ(3, ring_sqpoll_submit_and_wait(&r, 0));
	/* The third CQE is the timeout's: the wait must outlast it. */
	ASSERT_EQ(0, io_uring_enter2(r.fd, 0, 3,
				     IORING_ENTER_GETEVENTS |
				     IORING_ENTER_EXT_ARG,
				     &arg, sizeof(arg)));
	EXPECT_EQ(3, ring_cq_ready(&r));
	ASSERT_EQ(0, ring_peek_cqe(&r, &cqe));
	ASSERT_EQ(0, ring_peek_cqe(&r, &cqe));
	ASSERT_EQ(0, ring_peek_cqe(&r, &cqe));
	EXPECT_EQ(3, cqe.user_data);
	EXPECT_EQ(-ETIME, cqe.res);
	ring_exit(&r);
}

/*
 * 6.1: IORING_ENTER_SQ_WAIT returns 0 once the SQ ring has room; on a full
 * ring with the thread asleep, SQ_WAKEUP | SQ_WAIT returns after it took
 * the entries.
 */
TEST_F_TIMEOUT(sqpoll, sq_wait_waits_for_room, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	unsigned int head;
	struct ring r;
	int i;

	ASSERT_EQ(0, sq_ring(&r, ENTRIES, 0, IDLE_MS, 0));
	/* Not full: at once. */
	EXPECT_EQ(0, io_uring_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAIT));

	ASSERT_TRUE(wait_sq_sleeping(&r, WAIT_MS));
	ASSERT_EQ(0, queue_nops(&r, ENTRIES, 1));
	EXPECT_EQ(NULL, ring_get_sqe(&r));
	ring_flush_sq(&r);
	/* Pairs with the kernel's store-release of sq.head [SQ-H]. */
	head = __atomic_load_n(r.sq_head, __ATOMIC_ACQUIRE);
	EXPECT_EQ(ENTRIES, *r.sq_tail - head);

	EXPECT_EQ(0, io_uring_enter(r.fd, 0, 0,
				    IORING_ENTER_SQ_WAKEUP |
				    IORING_ENTER_SQ_WAIT));
	/* Pairs with the kernel's store-release of sq.head [SQ-H]. */
	EXPECT_NE(head, __atomic_load_n(r.sq_head, __ATOMIC_ACQUIRE));
	for (i = 0; i < ENTRIES; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
		EXPECT_EQ(i + 1, cqe.user_data);
	}
	ring_exit(&r);
}

/*
 * SQ_WAIT without the wakeup: it sleeps until another thread wakes the
 * SQ thread, which then makes room; 6.1 returns 0 only after that.
 */
struct waker {
	int fd;
	int woken;		/* set before the wakeup, atomically */
};

static void *waker_fn(void *arg)
{
	struct waker *w = arg;

	usleep(100 * 1000);
	/* Pairs with the acquire in the waiter once SQ_WAIT returned. */
	__atomic_store_n(&w->woken, 1, __ATOMIC_RELEASE);
	io_uring_enter(w->fd, 0, 0, IORING_ENTER_SQ_WAKEUP);
	return NULL;
}

TEST_F_TIMEOUT(sqpoll, sq_wait_sleeps_until_room, IOU_TIMEOUT)
{
	struct waker w = { 0 };
	unsigned int head;
	pthread_t th;
	struct ring r;

	ASSERT_EQ(0, sq_ring(&r, ENTRIES, 0, IDLE_MS, 0));
	ASSERT_TRUE(wait_sq_sleeping(&r, WAIT_MS));
	ASSERT_EQ(0, queue_nops(&r, ENTRIES, 1));
	ring_flush_sq(&r);
	/* Pairs with the kernel's store-release of sq.head [SQ-H]. */
	head = __atomic_load_n(r.sq_head, __ATOMIC_ACQUIRE);

	w.fd = r.fd;
	ASSERT_EQ(0, pthread_create(&th, NULL, waker_fn, &w));
	EXPECT_EQ(0, io_uring_enter(r.fd, 0, 0, IORING_ENTER_SQ_WAIT));
	/* Pairs with the release in waker_fn(). */
	EXPECT_EQ(1, __atomic_load_n(&w.woken, __ATOMIC_ACQUIRE));
	/* Pairs with the kernel's store-release of sq.head [SQ-H]. */
	EXPECT_NE(head, __atomic_load_n(r.sq_head, __ATOMIC_ACQUIRE));
	pthread_join(th, NULL);
	ring_exit(&r);
}

/* Does the ring's fdinfo show @line within @ms? */
static bool fdinfo_shows(int fd, const char *line, long ms)
{
	struct timespec start;
	char path[64], buf[4096];
	ssize_t len;
	int ifd;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		ifd = open(path, O_RDONLY);
		if (ifd < 0)
			return false;
		len = read(ifd, buf, sizeof(buf) - 1);
		close(ifd);
		if (len > 0) {
			buf[len] = 0;
			if (strstr(buf, line))
				return true;
		}
		usleep(5000);
	} while (ms_since(&start) < ms);
	return false;
}

/* 6.1: SQ_AFF pins the thread to sq_thread_cpu; fdinfo shows where it is. */
TEST_F_TIMEOUT(sqpoll, sq_aff_cpu0, IOU_TIMEOUT)
{
	struct io_uring_params p;
	char line[64];
	pid_t tid = 0;
	struct ring r;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF;
	p.sq_thread_cpu = 0;
	p.sq_thread_idle = IDLE_MS;
	ASSERT_EQ(0, ring_init_params(&r, ENTRIES, &p));
	EXPECT_EQ(0, ring_run_one(&r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	ASSERT_EQ(1, sqp_wait(1, &tid));
	snprintf(line, sizeof(line), "SqThread:\t%d\n", tid);
	EXPECT_TRUE(fdinfo_shows(r.fd, line, WAIT_MS));
	EXPECT_TRUE(fdinfo_shows(r.fd, "SqThreadCpu:\t0\n", WAIT_MS));
	ring_exit(&r);
}

/* 6.1's fdinfo has the SQ thread lines for every ring: -1 without one. */
TEST_F_TIMEOUT(sqpoll, fdinfo_without_sqpoll, IOU_TIMEOUT)
{
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, ENTRIES, 0));
	EXPECT_TRUE(fdinfo_shows(r.fd, "SqThread:\t-1\n", WAIT_MS));
	EXPECT_TRUE(fdinfo_shows(r.fd, "SqThreadCpu:\t-1\n", WAIT_MS));
	ring_exit(&r);
}

/* 6.1: an offline or out-of-range sq_thread_cpu is -EINVAL. */
TEST_F_TIMEOUT(sqpoll, sq_aff_bad_cpu, IOU_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, setup_fd(IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF,
				    0, 4096));
	EXPECT_EQ(-EINVAL, setup_fd(IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF,
				    0, (unsigned int)-1));
	/* No thread was left behind by the failed setups. */
	EXPECT_EQ(0, other_threads());
}

/* 6.1: SQ_AFF without SQPOLL is -EINVAL. */
TEST_F_TIMEOUT(sqpoll, sq_aff_without_sqpoll, IOU_TIMEOUT)
{
	EXPECT_EQ(-EINVAL, setup_fd(IORING_SETUP_SQ_AFF, 0, 0));
}

/* An fd number that is not open. */
static int closed_fd(void)
{
	int fd = open("/dev/null", O_RDONLY);

	close(fd);
	return fd;
}

/* 6.1: SQPOLL | ATTACH_WQ with a wq_fd that is not open is -ENXIO. */
TEST_F_TIMEOUT(sqpoll, attach_closed_fd, IOU_TIMEOUT)
{
	EXPECT_EQ(-ENXIO, setup_fd(IORING_SETUP_SQPOLL | IORING_SETUP_ATTACH_WQ,
				   closed_fd(), 0));
	EXPECT_EQ(-ENXIO, setup_fd(IORING_SETUP_SQPOLL | IORING_SETUP_ATTACH_WQ,
				   -1, 0));
	EXPECT_EQ(0, other_threads());
}

/* 6.1: SQPOLL | ATTACH_WQ with a wq_fd that is no ring (a pipe) is -EINVAL. */
TEST_F_TIMEOUT(sqpoll, attach_pipe, IOU_TIMEOUT)
{
	int p[2];

	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-EINVAL, setup_fd(IORING_SETUP_SQPOLL | IORING_SETUP_ATTACH_WQ,
				    p[0], 0));
	EXPECT_EQ(0, other_threads());
	close(p[0]);
	close(p[1]);
}

/* 6.1: SQPOLL | ATTACH_WQ to a ring without an SQ thread is -EINVAL. */
TEST_F_TIMEOUT(sqpoll, attach_ring_without_sqpoll, IOU_TIMEOUT)
{
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, ENTRIES, 0));
	EXPECT_EQ(-EINVAL, setup_fd(IORING_SETUP_SQPOLL | IORING_SETUP_ATTACH_WQ,
				    r.fd, 0));
	EXPECT_EQ(0, other_threads());
	ring_exit(&r);
}

/*
 * 6.1: ATTACH_WQ without SQPOLL only checks wq_fd: any ring (with or
 * without SQPOLL) is accepted, a non-ring fd is -EINVAL, a closed one
 * -ENXIO.
 */
TEST_F_TIMEOUT(sqpoll, attach_without_sqpoll, IOU_TIMEOUT)
{
	struct ring plain, sq;
	int fd, p[2];

	ASSERT_EQ(0, ring_init(&plain, ENTRIES, 0));
	ASSERT_EQ(0, sq_ring(&sq, ENTRIES, 0, 0, 0));
	fd = setup_fd(IORING_SETUP_ATTACH_WQ, plain.fd, 0);
	EXPECT_LE(0, fd);
	close(fd);
	fd = setup_fd(IORING_SETUP_ATTACH_WQ, sq.fd, 0);
	EXPECT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-EINVAL, setup_fd(IORING_SETUP_ATTACH_WQ, p[0], 0));
	EXPECT_EQ(-ENXIO, setup_fd(IORING_SETUP_ATTACH_WQ, closed_fd(), 0));
	/* Still only the SQPOLL ring's thread. */
	EXPECT_EQ(1, sqp_wait(1, NULL));
	close(p[0]);
	close(p[1]);
	ring_exit(&sq);
	ring_exit(&plain);
}

/* 6.1: two SQPOLL rings set up independently get a thread each. */
TEST_F_TIMEOUT(sqpoll, two_rings_two_threads, IOU_TIMEOUT)
{
	struct ring a, b;

	ASSERT_EQ(0, sq_ring(&a, ENTRIES, 0, 0, 0));
	ASSERT_EQ(0, sq_ring(&b, ENTRIES, 0, 0, 0));
	EXPECT_EQ(2, other_threads());
	EXPECT_EQ(2, sqp_wait(2, NULL));
	ring_exit(&b);
	ring_exit(&a);
}

/*
 * 6.1: a ring attached with ATTACH_WQ shares the SQ thread of wq_fd's ring;
 * both do I/O through it, and the second keeps working once the first is
 * closed.
 */
TEST_F_TIMEOUT(sqpoll, attach_shares_one_thread, IOU_TIMEOUT)
{
	struct ring a, b;
	pid_t tid = 0;

	ASSERT_EQ(0, sq_ring(&a, ENTRIES, 0, IDLE_MS, 0));
	ASSERT_EQ(0, sq_ring(&b, ENTRIES, IORING_SETUP_ATTACH_WQ, IDLE_MS,
			     a.fd));
	/* One thread besides us, and it is the SQ thread. */
	EXPECT_EQ(1, other_threads());
	EXPECT_EQ(1, sqp_wait(1, &tid));
	EXPECT_TRUE(sqp_named_after(tid, getpid()));

	EXPECT_EQ(0, ring_run_one(&a, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	EXPECT_EQ(0, ring_run_one(&b, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	/* Both asleep, both woken through their own ring. */
	ASSERT_TRUE(wait_sq_sleeping(&a, WAIT_MS));
	ASSERT_TRUE(wait_sq_sleeping(&b, WAIT_MS));
	EXPECT_EQ(0, ring_run_one(&b, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	EXPECT_EQ(0, ring_run_one(&a, IORING_OP_NOP, -1, NULL, 0, 0, 0));

	ring_exit(&a);
	EXPECT_EQ(0, ring_run_one(&b, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	ASSERT_TRUE(wait_sq_sleeping(&b, WAIT_MS));
	EXPECT_EQ(0, ring_run_one(&b, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	EXPECT_EQ(1, sqp_wait(1, NULL));
	ring_exit(&b);
}

/* 6.1: the SQ thread exits once its last ring is closed. */
TEST_F_TIMEOUT(sqpoll, thread_exits_with_last_ring, IOU_TIMEOUT)
{
	struct timespec start;
	struct ring a, b;

	ASSERT_EQ(0, sq_ring(&a, ENTRIES, 0, 0, 0));
	ASSERT_EQ(0, sq_ring(&b, ENTRIES, IORING_SETUP_ATTACH_WQ, 0, a.fd));
	ASSERT_EQ(1, sqp_wait(1, NULL));
	EXPECT_EQ(0, ring_run_one(&b, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	ring_exit(&b);
	EXPECT_EQ(0, ring_run_one(&a, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	EXPECT_EQ(1, other_threads());
	ring_exit(&a);
	/* Ring teardown is asynchronous in 6.1: a bounded wait. */
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (other_threads() && ms_since(&start) < WAIT_MS)
		usleep(5000);
	EXPECT_EQ(0, other_threads());
}

/* 6.1: a forked child has no SQ thread; the parent's thread still serves. */
TEST_F_TIMEOUT(sqpoll, fork_child_has_no_thread, IOU_TIMEOUT)
{
	struct ring r;
	int status;
	pid_t pid;

	ASSERT_EQ(0, sq_ring(&r, ENTRIES, 0, 0, 0));
	ASSERT_EQ(1, sqp_wait(1, NULL));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(other_threads() == 0 ? 0 : 1);
	status = wait_child(pid, CHILD_MS);
	ASSERT_NE(-1, status);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, ring_run_one(&r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	ring_exit(&r);
}

/*
 * 6.1: ATTACH_WQ to another process's SQPOLL ring succeeds with a thread
 * of the caller's own ("iou-sqp-<child pid>").
 */
TEST_F_TIMEOUT(sqpoll, fork_child_attach_gets_own_thread, IOU_TIMEOUT)
{
	struct ring r;
	int status;
	pid_t pid;

	ASSERT_EQ(0, sq_ring(&r, ENTRIES, 0, 0, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct ring c;
		pid_t tid = 0;

		if (sq_ring(&c, ENTRIES, IORING_SETUP_ATTACH_WQ, 0, r.fd))
			_exit(1);
		if (other_threads() != 1 || sqp_wait(1, &tid) != 1)
			_exit(2);
		if (!sqp_named_after(tid, getpid()))
			_exit(3);
		if (ring_run_one(&c, IORING_OP_NOP, -1, NULL, 0, 0, 0))
			_exit(4);
		_exit(0);
	}
	status = wait_child(pid, CHILD_MS);
	ASSERT_NE(-1, status);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("1 setup, 2 thread count, 3 name, 4 NOP");
	}
	EXPECT_EQ(0, ring_run_one(&r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	EXPECT_EQ(1, sqp_wait(1, NULL));
	ring_exit(&r);
}

/*
 * 6.1: exec kills the SQ thread; a ring fd carried over the exec answers
 * io_uring_enter() with -EOWNERDEAD (checked by exec_target()).
 */
TEST_F_TIMEOUT(sqpoll, exec_kills_thread, IOU_TIMEOUT)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char val[16];
		struct ring r;

		if (sq_ring(&r, ENTRIES, 0, 0, 0))
			_exit(251);
		if (ring_run_one(&r, IORING_OP_NOP, -1, NULL, 0, 0, 0))
			_exit(252);
		if (fcntl(r.fd, F_SETFD, 0))
			_exit(253);
		snprintf(val, sizeof(val), "%d", r.fd);
		setenv(EXEC_FD_ENV, val, 1);
		execl("/proc/self/exe", "sqpoll", (char *)NULL);
		_exit(254);
	}
	status = wait_child(pid, CHILD_MS);
	ASSERT_NE(-1, status);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(EOWNERDEAD, WEXITSTATUS(status)) {
		TH_LOG("exit %d: errno, or 200 + a result, or 25x before exec",
		       WEXITSTATUS(status));
	}
}

/*
 * 6.1: when the setup process exits, its SQ thread goes with it, and a
 * ring that outlived it in another process answers -EOWNERDEAD.
 */
TEST_F_TIMEOUT(sqpoll, setup_task_exit_eownerdead, IOU_TIMEOUT)
{
	struct pollfd pfd;
	int status, go[2], res[2];
	unsigned char c = 0;
	pid_t pid;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(res));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct timespec start;
		struct ring r;
		pid_t owner;
		int ret;

		close(go[1]);
		close(res[0]);
		if (sq_ring(&r, ENTRIES, 0, 0, 0))
			_exit(1);
		owner = fork();
		if (owner < 0)
			_exit(2);
		/* The setup task: exit with its ring still open elsewhere. */
		if (owner)
			_exit(0);
		/* The grandchild keeps the ring; the test says when. */
		if (read(go[0], &c, 1) != 1)
			_exit(3);
		/* The thread dies with its process, maybe a bit after it. */
		clock_gettime(CLOCK_MONOTONIC, &start);
		do {
			ret = io_uring_enter(r.fd, 0, 0, 0);
			if (ret)
				break;
			usleep(5000);
		} while (ms_since(&start) < WAIT_MS);
		c = ret < 0 ? -ret : 100 + ret;
		if (write(res[1], &c, 1) != 1)
			_exit(4);
		_exit(0);
	}
	close(go[0]);
	close(res[1]);
	/* The setup task exited and was reaped: let the grandchild look. */
	status = wait_child(pid, CHILD_MS);
	ASSERT_NE(-1, status);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(1, write(go[1], "x", 1));
	close(go[1]);

	pfd.fd = res[0];
	pfd.events = POLLIN;
	ASSERT_EQ(1, poll(&pfd, 1, CHILD_MS));
	ASSERT_EQ(1, read(res[0], &c, 1));
	EXPECT_EQ(EOWNERDEAD, c) {
		TH_LOG("the grandchild's enter said %d (errno, or 100 + result)",
		       c);
	}
	close(res[0]);
}

/*
 * 6.1: a process exiting with requests in flight on its SQPOLL ring (a
 * read on an empty pipe, a poll on the ring's own fd, a 10 s timeout)
 * does not hang.
 */
static void exit_with_requests(struct __test_metadata *_metadata, bool kill_it)
{
	int status, ready[2];
	pid_t pid;

	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct __kernel_timespec ts = { .tv_sec = 10 };
		struct ring r;
		int p[2];
		char buf[16];

		close(ready[0]);
		if (pipe(p) || sq_ring(&r, ENTRIES, 0, 0, 0))
			_exit(1);
		ring_prep_rw(ring_get_sqe(&r), IORING_OP_READ, p[0], buf,
			     sizeof(buf), 0, 1);
		ring_prep_poll_add(ring_get_sqe(&r), r.fd, POLLIN, 2);
		prep_timeout(ring_get_sqe(&r), &ts, 3);
		if (ring_submit(&r) != 3)
			_exit(2);
		/* In flight: consumed by the thread, nothing completed. */
		if (!wait_sq_empty(&r, WAIT_MS))
			_exit(3);
		if (ring_cq_ready(&r))
			_exit(4);
		if (write(ready[1], "x", 1) != 1)
			_exit(5);
		if (kill_it)
			pause();
		_exit(0);
	}
	close(ready[1]);
	if (kill_it) {
		char c;

		ASSERT_EQ(1, read(ready[0], &c, 1));
		kill(pid, SIGKILL);
	}
	status = wait_child(pid, CHILD_MS);
	close(ready[0]);
	ASSERT_NE(-1, status) {
		TH_LOG("the child did not exit within %d ms", CHILD_MS);
	}
	if (kill_it) {
		ASSERT_TRUE(WIFSIGNALED(status));
	} else {
		ASSERT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
}

TEST_F_TIMEOUT(sqpoll, exit_with_requests_in_flight, IOU_TIMEOUT)
{
	exit_with_requests(_metadata, false);
}

/* The same, for a process killed by SIGKILL. */
TEST_F_TIMEOUT(sqpoll, killed_with_requests_in_flight, IOU_TIMEOUT)
{
	exit_with_requests(_metadata, true);
}

/*
 * 6.1: SQEs the thread fails at submission (bad opcode: -EINVAL; fd not
 * open: -EBADF) still post their CQE with their user_data.
 */
TEST_F_TIMEOUT(sqpoll, submission_errors_post_cqes, IOU_TIMEOUT)
{
	const struct cqe_want want[] = {
		{ .user_data = 1, .res = -EINVAL },
		{ .user_data = 2, .res = -EBADF },
		{ .user_data = 3, .res = 0 },
	};
	struct io_uring_cqe got[ARRAY_SIZE(want)];
	struct io_uring_sqe *sqe;
	char buf[16];
	struct ring r;

	ASSERT_EQ(0, sq_ring(&r, ENTRIES, 0, 0, 0));
	sqe = ring_get_sqe(&r);
	ring_prep_nop(sqe, 1);
	sqe->opcode = 0xff;
	ring_prep_rw(ring_get_sqe(&r), IORING_OP_READ, closed_fd(), buf,
		     sizeof(buf), 0, 2);
	ring_prep_nop(ring_get_sqe(&r), 3);
	ASSERT_EQ(3, ring_submit(&r));
	EXPECT_CQES(&r, want, got);
	EXPECT_TRUE(QUIET(&r));
	ring_exit(&r);
}

/*
 * 6.1: with the thread as submitter, completions beyond the CQ ring go to
 * the overflow list (IORING_SQ_CQ_OVERFLOW set) and none is lost: reaping
 * and GETEVENTS bring them all, in order.
 */
#define OVF_CQ		4
#define OVF_NR		16
TEST_F_TIMEOUT(sqpoll, cq_overflow, IOU_TIMEOUT)
{
	struct io_uring_params p;
	struct io_uring_cqe cqe;
	struct timespec start;
	struct ring r;
	int i, seen = 0;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL | IORING_SETUP_CQSIZE;
	p.cq_entries = OVF_CQ;
	ASSERT_EQ(0, ring_init_params(&r, OVF_CQ, &p));
	ASSERT_EQ(OVF_CQ, r.p.cq_entries);
	for (i = 0; i < OVF_NR; i += OVF_CQ) {
		ASSERT_EQ(0, queue_nops(&r, OVF_CQ, i + 1));
		ASSERT_EQ(OVF_CQ, ring_submit(&r));
		ASSERT_TRUE(wait_sq_empty(&r, WAIT_MS));
	}
	/*
	 * Set once the CQ ring is full, by the thread's last submission
	 * (relaxed: the CQEs are read through the [CQ-T] acquire below).
	 */
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!(__atomic_load_n(r.sq_flags, __ATOMIC_RELAXED) &
		 IORING_SQ_CQ_OVERFLOW) && ms_since(&start) < WAIT_MS)
		usleep(1000);
	EXPECT_TRUE(__atomic_load_n(r.sq_flags, __ATOMIC_RELAXED) &
		    IORING_SQ_CQ_OVERFLOW);
	EXPECT_EQ(OVF_CQ, ring_cq_ready(&r));

	/* ring_wait_cqe() enters with GETEVENTS when the CQ ring is empty. */
	for (i = 0; i < OVF_NR; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&r, &cqe)) {
			TH_LOG("CQE %d of %d lost", i + 1, OVF_NR);
		}
		EXPECT_EQ(i + 1, cqe.user_data);
		EXPECT_EQ(0, cqe.res);
		seen++;
	}
	EXPECT_EQ(OVF_NR, seen);
	EXPECT_EQ(0, *r.cq_overflow);
	EXPECT_FALSE(__atomic_load_n(r.sq_flags, __ATOMIC_RELAXED) &
		     IORING_SQ_CQ_OVERFLOW);
	EXPECT_TRUE(QUIET(&r));
	ring_exit(&r);
}

/* Submit IORING_OP_SOCKET for a raw ICMP socket; its CQE res. */
static int raw_socket_op(struct ring *r)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);
	struct io_uring_cqe cqe;
	int ret;

	ring_prep_rw(sqe, IORING_OP_SOCKET, AF_INET, NULL, IPPROTO_ICMP,
		     SOCK_RAW, 5);
	ret = ring_submit(r);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = ring_wait_cqe(r, &cqe);
	if (ret)
		return ret;
	if (cqe.res >= 0)
		close(cqe.res);
	return cqe.user_data == 5 ? cqe.res : -EIO;
}

static int raw_socket(void)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	if (fd < 0)
		return -errno;
	close(fd);
	return fd;
}

/*
 * 6.1: the SQ thread acts with the creds of its ring's setup.  Root sets
 * up the ring, then drops to nobody: a raw socket (CAP_NET_RAW), refused
 * to the process and to its plain ring, is still made by the thread.
 */
TEST_F_TIMEOUT(sqpoll, creds_of_setup_root, IOU_TIMEOUT)
{
	struct ring sq, plain;

	if (geteuid())
		SKIP(return, "needs root");
	if (raw_socket() < 0)
		SKIP(return, "no raw sockets");
	ASSERT_EQ(0, sq_ring(&sq, ENTRIES, 0, 0, 0));
	if (!ring_op_supported(&sq, IORING_OP_SOCKET))
		SKIP(return, "no IORING_OP_SOCKET");
	ASSERT_EQ(0, ring_init(&plain, ENTRIES, 0));

	ASSERT_EQ(0, setresgid(NOBODY, NOBODY, NOBODY));
	ASSERT_EQ(0, setresuid(NOBODY, NOBODY, NOBODY));
	EXPECT_EQ(-EPERM, raw_socket());
	EXPECT_EQ(-EPERM, raw_socket_op(&plain));
	EXPECT_LE(0, raw_socket_op(&sq));
	ring_exit(&plain);
	ring_exit(&sq);
}

/*
 * The converse: set up while unprivileged (euid nobody), then root again:
 * the process makes the raw socket, 6.1's SQ thread still refuses.
 */
TEST_F_TIMEOUT(sqpoll, creds_of_setup_nobody, IOU_TIMEOUT)
{
	struct ring sq;

	if (geteuid())
		SKIP(return, "needs root");
	if (raw_socket() < 0)
		SKIP(return, "no raw sockets");
	/* Saved uid 0 to come back; euid nobody clears the caps. */
	ASSERT_EQ(0, setresuid(0, NOBODY, 0));
	ASSERT_EQ(-EPERM, raw_socket());
	ASSERT_EQ(0, sq_ring(&sq, ENTRIES, 0, 0, 0));
	if (!ring_op_supported(&sq, IORING_OP_SOCKET))
		SKIP(return, "no IORING_OP_SOCKET");
	ASSERT_EQ(0, setresuid(0, 0, 0));
	EXPECT_LE(0, raw_socket());
	EXPECT_EQ(-EPERM, raw_socket_op(&sq));
	ring_exit(&sq);
}

/*
 * 6.1: SQPOLL with IOPOLL: the thread submits and polls O_DIRECT reads on
 * a polled queue; the application waits with GETEVENTS as usual, also
 * after the thread went to sleep.
 */
TEST_F_TIMEOUT(sqpoll, sqpoll_iopoll_nullb, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct ring r;
	void *buf;
	int fd, i, round;

	fd = open(NULLB, O_RDONLY | O_DIRECT);
	if (fd < 0)
		SKIP(return, NULLB " not available");
	ASSERT_EQ(0, posix_memalign(&buf, BS, 4 * BS));
	ASSERT_EQ(0, sq_ring(&r, ENTRIES, IORING_SETUP_IOPOLL, IDLE_MS, 0));
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 4; i++)
			ring_prep_rw(ring_get_sqe(&r), IORING_OP_READ, fd,
				     (char *)buf + i * BS, BS, i * BS, i);
		ASSERT_EQ(4, ring_submit(&r));
		for (i = 0; i < 4; i++) {
			ASSERT_EQ(0, ring_wait_cqe(&r, &cqe));
			EXPECT_EQ(BS, cqe.res);
			EXPECT_GT(4, cqe.user_data);
		}
		/* The second round wakes it from its sleep. */
		ASSERT_TRUE(wait_sq_sleeping(&r, WAIT_MS));
	}
	ring_exit(&r);
	free(buf);
	close(fd);
}

TEST_HARNESS_MAIN
