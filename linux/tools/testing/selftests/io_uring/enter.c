// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_enter(2): argument validation, submission and reaping of NOPs,
 * waiting for completions, dropped SQ entries, per-SQE errors, signals and
 * the extended argument.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define ENTRIES	8

FIXTURE(enter) {
	struct ring r;
};

FIXTURE_SETUP(enter)
{
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, 0));
}

FIXTURE_TEARDOWN(enter)
{
	ring_exit(&self->r);
}

/* Written by the signal handler, so always accessed atomically. */
static int got_signal;

static void on_signal(int sig)
{
	__atomic_store_n(&got_signal, sig, __ATOMIC_RELAXED);
}

/* Install a handler without SA_RESTART, so waits return EINTR. */
static int catch_signal(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static int arm_timer_ms(long ms)
{
	struct itimerval it = {
		.it_value.tv_sec = ms / 1000,
		.it_value.tv_usec = (ms % 1000) * 1000,
	};

	return setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * Guard a wait that must not block: a SIGALRM after two seconds turns a
 * wrongly blocking call into EINTR instead of a harness timeout.
 */
static int guard_wait(void)
{
	if (catch_signal(SIGALRM))
		return -1;
	return arm_timer_ms(2000);
}

struct delayed_write {
	int fd;
	long delay_ms;
	const char *buf;
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

TEST_F_TIMEOUT(enter, bad_fd, IOU_TIMEOUT)
{
	EXPECT_EQ(-EBADF, io_uring_enter(-1, 0, 0, 0));
	EXPECT_EQ(-EBADF, io_uring_enter(-1, 1, 1, IORING_ENTER_GETEVENTS));
	/* An fd number that is not open. */
	EXPECT_EQ(-EBADF, io_uring_enter(1000000, 0, 0, 0));
}

TEST_F_TIMEOUT(enter, not_io_uring_fd, IOU_TIMEOUT)
{
	int pfd[2], nullfd;

	ASSERT_EQ(0, pipe(pfd));
	EXPECT_EQ(-EOPNOTSUPP, io_uring_enter(pfd[0], 1, 0, 0));
	EXPECT_EQ(-EOPNOTSUPP, io_uring_enter(pfd[1], 0, 1,
					      IORING_ENTER_GETEVENTS));
	close(pfd[0]);
	close(pfd[1]);

	nullfd = open("/dev/null", O_RDWR);
	ASSERT_GE(nullfd, 0);
	EXPECT_EQ(-EOPNOTSUPP, io_uring_enter(nullfd, 0, 0, 0));
	close(nullfd);
}

TEST_F_TIMEOUT(enter, unknown_flags, IOU_TIMEOUT)
{
	/*
	 * 6.1 knows flag bits 0-4; later kernels define a few more, so
	 * use bits no kernel defines.
	 */
	EXPECT_EQ(-EINVAL, io_uring_enter(self->r.fd, 0, 0, 1U << 31));
	EXPECT_EQ(-EINVAL, io_uring_enter(self->r.fd, 0, 0,
					  IORING_ENTER_GETEVENTS | (1U << 30)));
}

TEST_F_TIMEOUT(enter, nop, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	sqe = ring_get_sqe(&self->r);
	ASSERT_NE(NULL, sqe);
	ring_prep_nop(sqe, 0xdeadbeefcafef00dULL);
	ASSERT_EQ(1, ring_submit_and_wait(&self->r, 1));
	ASSERT_EQ(1, ring_cq_ready(&self->r));
	ASSERT_EQ(0, ring_peek_cqe(&self->r, &cqe));
	EXPECT_EQ(0xdeadbeefcafef00dULL, cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(0, cqe.flags);
	EXPECT_EQ(-EAGAIN, ring_peek_cqe(&self->r, &cqe));
	/* The kernel consumed the SQE. */
	EXPECT_EQ(*self->r.sq_tail,
		  __atomic_load_n(self->r.sq_head, __ATOMIC_ACQUIRE));
}

TEST_F_TIMEOUT(enter, nop_batch, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	unsigned int seen = 0;
	int i, round;

	/* Several rounds, so the ring indices wrap around. */
	for (round = 0; round < 5; round++) {
		for (i = 0; i < ENTRIES; i++)
			ring_prep_nop(ring_get_sqe(&self->r), 100 + i);
		ASSERT_EQ(NULL, ring_get_sqe(&self->r));
		ASSERT_EQ(ENTRIES, ring_submit(&self->r));
		ASSERT_EQ(ENTRIES, ring_cq_ready(&self->r));

		seen = 0;
		while (!ring_peek_cqe(&self->r, &cqe)) {
			ASSERT_GE(cqe.user_data, 100);
			ASSERT_LT(cqe.user_data, 100 + ENTRIES);
			EXPECT_EQ(0, cqe.res);
			EXPECT_FALSE(seen & (1U << (cqe.user_data - 100)));
			seen |= 1U << (cqe.user_data - 100);
		}
		EXPECT_EQ((1U << ENTRIES) - 1, seen);
	}
}

TEST_F_TIMEOUT(enter, to_submit_more_than_queued, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	int i;

	/* Nothing queued: nothing submitted. */
	EXPECT_EQ(0, io_uring_enter(self->r.fd, ENTRIES, 0, 0));

	for (i = 0; i < 3; i++)
		ring_prep_nop(ring_get_sqe(&self->r), i);
	ring_flush_sq(&self->r);
	EXPECT_EQ(3, io_uring_enter(self->r.fd, 1000, 0, 0));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0, ring_peek_cqe(&self->r, &cqe));
	EXPECT_EQ(-EAGAIN, ring_peek_cqe(&self->r, &cqe));
}

TEST_F_TIMEOUT(enter, to_submit_less_than_queued, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	int i;

	for (i = 0; i < 4; i++)
		ring_prep_nop(ring_get_sqe(&self->r), i);
	ring_flush_sq(&self->r);
	EXPECT_EQ(1, io_uring_enter(self->r.fd, 1, 0, 0));
	EXPECT_EQ(1, ring_cq_ready(&self->r));
	EXPECT_EQ(3, io_uring_enter(self->r.fd, 3, 0, 0));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, ring_peek_cqe(&self->r, &cqe));
		EXPECT_EQ(i, cqe.user_data);
	}
}

TEST_F_TIMEOUT(enter, getevents_no_wait_when_zero, IOU_TIMEOUT)
{
	ASSERT_EQ(0, guard_wait());
	EXPECT_EQ(0, io_uring_enter(self->r.fd, 0, 0, IORING_ENTER_GETEVENTS));
	arm_timer_ms(0);
}

TEST_F_TIMEOUT(enter, getevents_waits_for_min_complete, IOU_TIMEOUT)
{
	struct delayed_write dw = { .delay_ms = 200, .buf = "ping", .len = 4 };
	struct io_uring_cqe cqe;
	struct timespec start;
	char buf[16] = { 0 };
	pthread_t thr;
	void *tret;
	int pfd[2], i, got_nop = 0, got_read = 0;

	ASSERT_EQ(0, pipe(pfd));
	dw.fd = pfd[1];

	ring_prep_nop(ring_get_sqe(&self->r), 1);
	ring_prep_rw(ring_get_sqe(&self->r), IORING_OP_READ, pfd[0], buf,
		     sizeof(buf), 0, 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	/* The NOP is done, the read waits for data. */
	usleep(20 * 1000);
	EXPECT_EQ(1, ring_cq_ready(&self->r));

	ASSERT_EQ(0, pthread_create(&thr, NULL, delayed_write_fn, &dw));
	clock_gettime(CLOCK_MONOTONIC, &start);
	ASSERT_EQ(0, guard_wait());
	ASSERT_EQ(0, io_uring_enter(self->r.fd, 0, 2, IORING_ENTER_GETEVENTS));
	arm_timer_ms(0);
	EXPECT_GE(ms_since(&start), 100);
	ASSERT_EQ(0, pthread_join(thr, &tret));
	EXPECT_EQ(NULL, tret);

	ASSERT_EQ(2, ring_cq_ready(&self->r));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ring_peek_cqe(&self->r, &cqe));
		if (cqe.user_data == 1) {
			EXPECT_EQ(0, cqe.res);
			got_nop++;
		} else {
			EXPECT_EQ(2, cqe.user_data);
			EXPECT_EQ(4, cqe.res);
			got_read++;
		}
	}
	EXPECT_EQ(1, got_nop);
	EXPECT_EQ(1, got_read);
	EXPECT_EQ(0, memcmp(buf, "ping", 4));
	close(pfd[0]);
	close(pfd[1]);
}

TEST_F_TIMEOUT(enter, submit_and_wait_one_call, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	int i;

	for (i = 0; i < 4; i++)
		ring_prep_nop(ring_get_sqe(&self->r), i);
	ASSERT_EQ(4, ring_submit_and_wait(&self->r, 4));
	EXPECT_EQ(4, ring_cq_ready(&self->r));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, ring_peek_cqe(&self->r, &cqe));
}

TEST_F_TIMEOUT(enter, sq_dropped, IOU_TIMEOUT)
{
	struct ring *r = &self->r;
	unsigned int tail, mask = r->p.sq_entries - 1;
	struct io_uring_cqe cqe;
	unsigned int seen = 0;
	int ret, submitted = 0, loops = 0;

	/* A lone invalid index: consumed, counted, no CQE, no error. */
	tail = *r->sq_tail;
	r->sq_array[tail & mask] = r->p.sq_entries;
	/* Pairs with the kernel's load-acquire of sq.tail. */
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	ret = io_uring_enter(r->fd, 1, 0, 0);
	EXPECT_EQ(0, ret);
	EXPECT_EQ(1, __atomic_load_n(r->sq_dropped, __ATOMIC_RELAXED));
	EXPECT_EQ(tail + 1, __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE));
	EXPECT_EQ(0, ring_cq_ready(r));

	/*
	 * NOP, invalid (~0U), NOP.  6.1 stops the batch at the dropped
	 * entry, so keep entering until the SQ ring is empty.
	 */
	tail++;
	memset(&r->sqes[0], 0, 2 * sizeof(r->sqes[0]));
	ring_prep_nop(&r->sqes[0], 1);
	ring_prep_nop(&r->sqes[1], 2);
	r->sq_array[tail & mask] = 0;
	r->sq_array[(tail + 1) & mask] = ~0U;
	r->sq_array[(tail + 2) & mask] = 1;
	/* Pairs with the kernel's load-acquire of sq.tail. */
	__atomic_store_n(r->sq_tail, tail + 3, __ATOMIC_RELEASE);
	ring_resync_sq(r);
	while (__atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE) != *r->sq_tail) {
		ASSERT_LT(loops++, 8);
		ret = io_uring_enter(r->fd, *r->sq_tail - *r->sq_head, 0, 0);
		ASSERT_GE(ret, 0);
		submitted += ret;
	}
	EXPECT_EQ(2, submitted);
	EXPECT_EQ(2, __atomic_load_n(r->sq_dropped, __ATOMIC_RELAXED));
	while (!ring_peek_cqe(r, &cqe)) {
		EXPECT_EQ(0, cqe.res);
		seen |= 1U << cqe.user_data;
	}
	EXPECT_EQ(0x6, seen);
}

TEST_F_TIMEOUT(enter, invalid_opcode, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	sqe = ring_get_sqe(&self->r);
	ring_prep_nop(sqe, 0x55);
	sqe->opcode = 255;
	/* Counted as consumed; the error comes back in the CQE. */
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(0x55, cqe.user_data);
	EXPECT_EQ(-EINVAL, cqe.res);

	/* The ring still works afterwards. */
	EXPECT_EQ(0, ring_run_one(&self->r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
}

TEST_F_TIMEOUT(enter, opcode_last, IOU_TIMEOUT)
{
	struct io_uring_probe *probe;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	size_t sz = sizeof(*probe) + 256 * sizeof(probe->ops[0]);

	/* The first opcode the kernel doesn't know, as its probe says. */
	probe = calloc(1, sz);
	ASSERT_NE(NULL, probe);
	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_PROBE,
				       probe, 256));

	sqe = ring_get_sqe(&self->r);
	ring_prep_nop(sqe, 0x66);
	sqe->opcode = probe->last_op + 1;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(0x66, cqe.user_data);
	EXPECT_EQ(-EINVAL, cqe.res);
	free(probe);
}

TEST_F_TIMEOUT(enter, invalid_sqe_flags, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	/* Bit 7 is past IOSQE_CQE_SKIP_SUCCESS, the last known flag. */
	sqe = ring_get_sqe(&self->r);
	ring_prep_nop(sqe, 0x77);
	sqe->flags = 1U << 7;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	EXPECT_EQ(0x77, cqe.user_data);
	EXPECT_EQ(-EINVAL, cqe.res);
}

/* Reap n CQEs with user_data 1..n into res[]; returns how many were seen. */
static int reap_by_user_data(struct ring *r, int *res, int n)
{
	struct io_uring_cqe cqe;
	int seen = 0;

	while (!ring_peek_cqe(r, &cqe)) {
		if (cqe.user_data < 1 || cqe.user_data > n)
			return -1;
		res[cqe.user_data - 1] = cqe.res;
		seen++;
	}
	return seen;
}

TEST_F_TIMEOUT(enter, error_stops_batch, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	int res[3] = { 1, 1, 1 };

	/*
	 * Without IORING_SETUP_SUBMIT_ALL a submission error ends the
	 * batch: the failing SQE is counted, the ones after it stay queued.
	 * (The order of the two CQEs is not specified.)
	 */
	ring_prep_nop(ring_get_sqe(&self->r), 1);
	sqe = ring_get_sqe(&self->r);
	ring_prep_nop(sqe, 2);
	sqe->opcode = 255;
	ring_prep_nop(ring_get_sqe(&self->r), 3);
	EXPECT_EQ(2, ring_submit(&self->r));
	EXPECT_EQ(2, reap_by_user_data(&self->r, res, 3));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(-EINVAL, res[1]);
	EXPECT_EQ(1, res[2]);

	EXPECT_EQ(1, io_uring_enter(self->r.fd, 1, 0, 0));
	EXPECT_EQ(1, reap_by_user_data(&self->r, res, 3));
	EXPECT_EQ(0, res[2]);
}

TEST_F_TIMEOUT(enter, submit_all_continues, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	int res[3] = { 1, 1, 1 };
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, ENTRIES, IORING_SETUP_SUBMIT_ALL));
	ring_prep_nop(ring_get_sqe(&r), 1);
	sqe = ring_get_sqe(&r);
	ring_prep_nop(sqe, 2);
	sqe->opcode = 255;
	ring_prep_nop(ring_get_sqe(&r), 3);
	EXPECT_EQ(3, ring_submit(&r));
	EXPECT_EQ(3, reap_by_user_data(&r, res, 3));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(-EINVAL, res[1]);
	EXPECT_EQ(0, res[2]);
	ring_exit(&r);
}

TEST_F_TIMEOUT(enter, getevents_eintr, IOU_TIMEOUT)
{
	struct timespec start;
	int ret;

	__atomic_store_n(&got_signal, 0, __ATOMIC_RELAXED);
	ASSERT_EQ(0, catch_signal(SIGALRM));
	ASSERT_EQ(0, arm_timer_ms(100));
	clock_gettime(CLOCK_MONOTONIC, &start);
	/* Nothing is in flight, so this sleeps until the signal. */
	ret = io_uring_enter(self->r.fd, 0, 1, IORING_ENTER_GETEVENTS);
	EXPECT_EQ(-EINTR, ret);
	EXPECT_EQ(SIGALRM, __atomic_load_n(&got_signal, __ATOMIC_RELAXED));
	EXPECT_GE(ms_since(&start), 50);
}

TEST_F_TIMEOUT(enter, sigmask_blocks_signal, IOU_TIMEOUT)
{
	struct io_uring_getevents_arg arg;
	struct __kernel_timespec ts = { .tv_nsec = 300 * 1000000L };
	sigset_t mask;
	int ret;

	/* SIGALRM blocked by the wait's sigmask: the wait runs to -ETIME. */
	__atomic_store_n(&got_signal, 0, __ATOMIC_RELAXED);
	ASSERT_EQ(0, catch_signal(SIGALRM));
	sigemptyset(&mask);
	sigaddset(&mask, SIGALRM);
	memset(&arg, 0, sizeof(arg));
	arg.sigmask = (__u64)(uintptr_t)&mask;
	arg.sigmask_sz = _NSIG / 8;
	arg.ts = (__u64)(uintptr_t)&ts;
	ASSERT_EQ(0, arm_timer_ms(50));
	ret = io_uring_enter2(self->r.fd, 0, 1,
			      IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
			      &arg, sizeof(arg));
	EXPECT_EQ(-ETIME, ret);
	/* Delivered once the original mask is restored. */
	EXPECT_EQ(SIGALRM, __atomic_load_n(&got_signal, __ATOMIC_RELAXED));
}

TEST_F_TIMEOUT(enter, ext_arg_timeout, IOU_TIMEOUT)
{
	struct __kernel_timespec ts = { .tv_nsec = 100 * 1000000L };
	struct io_uring_getevents_arg arg;
	struct timespec start;
	int ret;

	memset(&arg, 0, sizeof(arg));
	arg.ts = (__u64)(uintptr_t)&ts;
	ASSERT_EQ(0, guard_wait());
	clock_gettime(CLOCK_MONOTONIC, &start);
	ret = io_uring_enter2(self->r.fd, 0, 1,
			      IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
			      &arg, sizeof(arg));
	arm_timer_ms(0);
	EXPECT_EQ(-ETIME, ret);
	EXPECT_GE(ms_since(&start), 80);
	EXPECT_LT(ms_since(&start), 1500);
}

TEST_F_TIMEOUT(enter, ext_arg_completes_before_timeout, IOU_TIMEOUT)
{
	struct __kernel_timespec ts = { .tv_sec = 1 };
	struct io_uring_getevents_arg arg;
	struct io_uring_cqe cqe;
	struct timespec start;
	int ret;

	memset(&arg, 0, sizeof(arg));
	arg.ts = (__u64)(uintptr_t)&ts;
	ring_prep_nop(ring_get_sqe(&self->r), 9);
	ring_flush_sq(&self->r);
	clock_gettime(CLOCK_MONOTONIC, &start);
	ret = io_uring_enter2(self->r.fd, 1, 1,
			      IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG,
			      &arg, sizeof(arg));
	EXPECT_EQ(1, ret);
	EXPECT_LT(ms_since(&start), 500);
	ASSERT_EQ(0, ring_peek_cqe(&self->r, &cqe));
	EXPECT_EQ(9, cqe.user_data);
}

TEST_F_TIMEOUT(enter, ext_arg_no_timeout_pointer, IOU_TIMEOUT)
{
	struct io_uring_getevents_arg arg;

	/* ts == 0 means no timeout; a completed NOP returns at once. */
	memset(&arg, 0, sizeof(arg));
	ring_prep_nop(ring_get_sqe(&self->r), 1);
	ring_flush_sq(&self->r);
	ASSERT_EQ(0, guard_wait());
	EXPECT_EQ(1, io_uring_enter2(self->r.fd, 1, 1,
				     IORING_ENTER_GETEVENTS |
				     IORING_ENTER_EXT_ARG,
				     &arg, sizeof(arg)));
	arm_timer_ms(0);
	EXPECT_EQ(1, ring_cq_ready(&self->r));
}

TEST_F_TIMEOUT(enter, ext_arg_bad_size, IOU_TIMEOUT)
{
	struct __kernel_timespec ts = { .tv_nsec = 1000000L };
	struct {
		struct io_uring_getevents_arg arg;
		char pad[16];
	} a;

	memset(&a, 0, sizeof(a));
	a.arg.ts = (__u64)(uintptr_t)&ts;
	ASSERT_EQ(0, guard_wait());
	EXPECT_EQ(-EINVAL, io_uring_enter2(self->r.fd, 0, 1,
					   IORING_ENTER_GETEVENTS |
					   IORING_ENTER_EXT_ARG,
					   &a, sizeof(a.arg) - 1));
	EXPECT_EQ(-EINVAL, io_uring_enter2(self->r.fd, 0, 1,
					   IORING_ENTER_GETEVENTS |
					   IORING_ENTER_EXT_ARG,
					   &a, sizeof(a.arg) + 8));
	EXPECT_EQ(-EINVAL, io_uring_enter2(self->r.fd, 0, 1,
					   IORING_ENTER_GETEVENTS |
					   IORING_ENTER_EXT_ARG,
					   &a, 0));
	arm_timer_ms(0);
}

TEST_F_TIMEOUT(enter, ext_arg_bad_pointer, IOU_TIMEOUT)
{
	struct io_uring_getevents_arg arg;

	ASSERT_EQ(0, guard_wait());
	EXPECT_EQ(-EFAULT, io_uring_enter2(self->r.fd, 0, 1,
					   IORING_ENTER_GETEVENTS |
					   IORING_ENTER_EXT_ARG,
					   (void *)8, sizeof(arg)));
	arm_timer_ms(0);
}

/*
 * Opcodes past the table, in its empty rows, past its 64 rows, and ones
 * we do not implement fail in their CQE; on an IOPOLL ring, so do the
 * ones that can't be polled for, while NOP still runs.
 */
TEST(opcode_edges)
{
	static const int bad[] = {
		IORING_OP_LAST, 63, 64, 65, 127, 128, 255, IORING_OP_OPENAT,
	};
	struct ring r;
	unsigned int i;

	ASSERT_EQ(0, ring_init(&r, 4, 0));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, ring_run_one(&r, bad[i], -1, NULL, 0, 0, 0)) {
			TH_LOG("opcode %d", bad[i]);
		}
	}
	EXPECT_EQ(0, ring_run_one(&r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	ring_exit(&r);

	ASSERT_EQ(0, ring_init(&r, 4, IORING_SETUP_IOPOLL));
	EXPECT_EQ(-EINVAL, ring_run_one(&r, IORING_OP_FSYNC, 0, NULL, 0, 0, 0));
	EXPECT_EQ(-EINVAL, ring_run_one(&r, IORING_OP_POLL_ADD, 0, NULL, 0, 0,
					0));
	EXPECT_EQ(-EINVAL, ring_run_one(&r, 255, -1, NULL, 0, 0, 0));
	EXPECT_EQ(0, ring_run_one(&r, IORING_OP_NOP, -1, NULL, 0, 0, 0));
	ring_exit(&r);
}

/* An IOPOLL ring polls without the argument, but checks it all the same. */
TEST(ext_arg_checked_on_iopoll_ring)
{
	struct io_uring_getevents_arg arg;
	struct ring r;

	ASSERT_EQ(0, ring_init(&r, 4, IORING_SETUP_IOPOLL));
	memset(&arg, 0, sizeof(arg));
	EXPECT_EQ(-EINVAL, io_uring_enter2(r.fd, 0, 0,
					   IORING_ENTER_GETEVENTS |
					   IORING_ENTER_EXT_ARG,
					   &arg, sizeof(arg) - 1));
	EXPECT_EQ(-EFAULT, io_uring_enter2(r.fd, 0, 0,
					   IORING_ENTER_GETEVENTS |
					   IORING_ENTER_EXT_ARG,
					   (void *)8, sizeof(arg)));
	EXPECT_EQ(0, io_uring_enter2(r.fd, 0, 0,
				     IORING_ENTER_GETEVENTS |
				     IORING_ENTER_EXT_ARG,
				     &arg, sizeof(arg)));
	ring_exit(&r);
}

TEST_F_TIMEOUT(enter, sigmask_bad_size, IOU_TIMEOUT)
{
	sigset_t mask;

	sigemptyset(&mask);
	ASSERT_EQ(0, guard_wait());
	EXPECT_EQ(-EINVAL, io_uring_enter2(self->r.fd, 0, 1,
					   IORING_ENTER_GETEVENTS,
					   &mask, _NSIG / 8 - 1));
	EXPECT_EQ(-EINVAL, io_uring_enter2(self->r.fd, 0, 1,
					   IORING_ENTER_GETEVENTS,
					   &mask, 4));
	EXPECT_EQ(-EINVAL, io_uring_enter2(self->r.fd, 0, 1,
					   IORING_ENTER_GETEVENTS,
					   &mask, sizeof(mask)));
	arm_timer_ms(0);
}

TEST_F_TIMEOUT(enter, sigmask_good_size, IOU_TIMEOUT)
{
	sigset_t mask;

	sigemptyset(&mask);
	ring_prep_nop(ring_get_sqe(&self->r), 1);
	ring_flush_sq(&self->r);
	ASSERT_EQ(0, guard_wait());
	EXPECT_EQ(1, io_uring_enter2(self->r.fd, 1, 1, IORING_ENTER_GETEVENTS,
				     &mask, _NSIG / 8));
	arm_timer_ms(0);
	EXPECT_EQ(1, ring_cq_ready(&self->r));
}

TEST_HARNESS_MAIN
