// SPDX-License-Identifier: GPL-2.0
/*
 * The network opcodes: SENDMSG, RECVMSG, SEND, RECV, ACCEPT, CONNECT,
 * SHUTDOWN and SOCKET over AF_UNIX and loopback TCP and UDP.  Each op's
 * success and error paths; when a request waits for its socket (fast poll,
 * with no extra thread) and when it answers -EAGAIN (MSG_DONTWAIT,
 * O_NONBLOCK, IORING_RECVSEND_POLL_FIRST); MSG_WAITALL, and the link a
 * short one breaks; the msghdr read at submission; SCM_RIGHTS; direct
 * accept and socket into registered slots; cancellation by close, exit
 * and ASYNC_CANCEL; and a unix socket path resolved against the
 * submitter's root after chroot (CVE-2020-29373).
 *
 * Unix socket paths are created in the current directory.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "io_uring_test.h"

#define ENTRIES		16
#define UD		0x6e6574	/* user_data of the request under test */

FIXTURE(net) {
	struct ring r;
	int sv[2];		/* AF_UNIX stream pair */
};

FIXTURE_SETUP(net)
{
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, 0));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, self->sv));
}

FIXTURE_TEARDOWN(net)
{
	close(self->sv[0]);
	close(self->sv[1]);
	ring_exit(&self->r);
}

static struct io_uring_sqe *prep_op(struct ring *r, int op, int fd,
				    const void *addr, unsigned int len,
				    unsigned int msg_flags)
{
	struct io_uring_sqe *sqe = ring_get_sqe(r);

	if (sqe) {
		ring_prep_rw(sqe, op, fd, addr, len, 0, UD);
		sqe->msg_flags = msg_flags;
	}
	return sqe;
}

/* Submit what is queued (one SQE) and wait for its CQE. */
static int submit_wait(struct ring *r, struct io_uring_cqe *cqe)
{
	int ret = ring_submit(r);

	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	ret = ring_wait_cqe_timeout(r, cqe, 5000);
	if (ret)
		return ret;
	return cqe->user_data == UD ? 0 : -EIO;
}

/* Run one prepared SQE; its CQE res (flags must be 0), or a marker value. */
static int run(struct ring *r)
{
	struct io_uring_cqe cqe;
	int ret = submit_wait(r, &cqe);

	if (ret)
		return -10000 + ret;
	if (cqe.flags)
		return -20000;
	return cqe.res;
}

static int run_op(struct ring *r, int op, int fd, const void *addr,
		  unsigned int len, unsigned int msg_flags)
{
	if (!prep_op(r, op, fd, addr, len, msg_flags))
		return -EBUSY;
	return run(r);
}

/* Submit one prepared SQE that must not complete yet. */
static bool submit_pending(struct __test_metadata *_metadata, struct ring *r)
{
	int ret = ring_submit(r);

	if (ret != 1) {
		TH_LOG("submit: %d", ret);
		return false;
	}
	return QUIET(r);
}

static int wait_ud(struct ring *r, struct io_uring_cqe *cqe)
{
	int ret = ring_wait_cqe_timeout(r, cqe, 5000);

	if (ret)
		return ret;
	return cqe->user_data == UD ? 0 : -EIO;
}

static int nr_threads(void)
{
	return proc_count("/proc/self/task", NULL, NULL);
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/*
 * A loopback socket of @type bound to an ephemeral port, which @addr gets;
 * a stream socket listens.
 */
static int bound_socket(int type, struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(AF_INET, type, 0);

	if (fd < 0)
		return -1;
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) ||
	    (type == SOCK_STREAM && listen(fd, 8)) ||
	    getsockname(fd, (struct sockaddr *)addr, &len)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int tcp_listener(struct sockaddr_in *addr)
{
	return bound_socket(SOCK_STREAM, addr);
}

static int udp_bound(struct sockaddr_in *addr)
{
	return bound_socket(SOCK_DGRAM, addr);
}

struct delayed {
	int fd;
	long ms;
	const char *buf;
	size_t len;
	bool shut;	/* then shutdown(SHUT_WR) */
};

static void *delayed_send_fn(void *arg)
{
	struct delayed *d = arg;

	usleep(d->ms * 1000);
	if (d->len && send(d->fd, d->buf, d->len, MSG_NOSIGNAL) != d->len)
		return (void *)1;
	if (d->shut)
		shutdown(d->fd, SHUT_WR);
	return NULL;
}

TEST_F_TIMEOUT(net, probe_lists_the_network_opcodes, IOU_TIMEOUT)
{
	EXPECT_TRUE(ring_op_supported(&self->r, IORING_OP_SENDMSG));
	EXPECT_TRUE(ring_op_supported(&self->r, IORING_OP_RECVMSG));
	EXPECT_TRUE(ring_op_supported(&self->r, IORING_OP_SEND));
	EXPECT_TRUE(ring_op_supported(&self->r, IORING_OP_RECV));
	EXPECT_TRUE(ring_op_supported(&self->r, IORING_OP_ACCEPT));
	EXPECT_TRUE(ring_op_supported(&self->r, IORING_OP_CONNECT));
	EXPECT_TRUE(ring_op_supported(&self->r, IORING_OP_SHUTDOWN));
	EXPECT_TRUE(ring_op_supported(&self->r, IORING_OP_SOCKET));
}

TEST_F_TIMEOUT(net, send_then_recv_over_unix_stream, IOU_TIMEOUT)
{
	char buf[16] = { 0 };

	ASSERT_EQ(5, run_op(&self->r, IORING_OP_SEND, self->sv[0], "hello", 5, 0));
	ASSERT_EQ(5, run_op(&self->r, IORING_OP_RECV, self->sv[1], buf,
			    sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
}

TEST_F_TIMEOUT(net, recv_waits_in_poll_without_a_thread, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	char buf[16] = { 0 };
	int threads = nr_threads();

	ASSERT_NE(NULL, prep_op(&self->r, IORING_OP_RECV, self->sv[1], buf,
				sizeof(buf), 0));
	ASSERT_TRUE(submit_pending(_metadata, &self->r));
	/* fast poll: waiting on the socket takes no worker thread */
	EXPECT_EQ(threads, nr_threads());
	ASSERT_EQ(3, write(self->sv[0], "abc", 3));
	ASSERT_EQ(0, wait_ud(&self->r, &cqe));
	EXPECT_EQ(3, cqe.res);
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	EXPECT_EQ(threads, nr_threads());
}

TEST_F_TIMEOUT(net, recvmsg_and_sendmsg_wait_in_poll_without_a_thread,
	       IOU_TIMEOUT)
{
	char big[65536], buf[16];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct iovec siov = { .iov_base = big, .iov_len = sizeof(big) };
	struct msghdr smsg = { .msg_iov = &siov, .msg_iovlen = 1 };
	struct io_uring_cqe cqe;
	int threads = nr_threads();
	ssize_t n;

	ASSERT_NE(NULL, prep_op(&self->r, IORING_OP_RECVMSG, self->sv[1],
				&msg, 1, 0));
	ASSERT_TRUE(submit_pending(_metadata, &self->r));
	EXPECT_EQ(threads, nr_threads());
	ASSERT_EQ(2, write(self->sv[0], "hi", 2));
	ASSERT_EQ(0, wait_ud(&self->r, &cqe));
	EXPECT_EQ(2, cqe.res);

	/* fill the socket up, then a sendmsg waits for room */
	memset(big, 'x', sizeof(big));
	set_nonblock(self->sv[0]);
	while (send(self->sv[0], big, sizeof(big), 0) > 0)
		;
	ASSERT_NE(NULL, prep_op(&self->r, IORING_OP_SENDMSG, self->sv[0],
				&smsg, 1, 0));
	ASSERT_TRUE(submit_pending(_metadata, &self->r));
	EXPECT_EQ(threads, nr_threads());
	set_nonblock(self->sv[1]);
	do {
		n = read(self->sv[1], big, sizeof(big));
	} while (n > 0 || (n < 0 && errno == EINTR));
	ASSERT_EQ(0, wait_ud(&self->r, &cqe));
	EXPECT_GT(cqe.res, 0);
}

TEST_F_TIMEOUT(net, recv_on_nonblocking_socket_still_waits, IOU_TIMEOUT)
{
	char buf[16];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring_cqe cqe;

	set_nonblock(self->sv[1]);
	ASSERT_NE(NULL, prep_op(&self->r, IORING_OP_RECV, self->sv[1], buf,
				sizeof(buf), 0));
	ASSERT_TRUE(submit_pending(_metadata, &self->r));
	ASSERT_EQ(1, write(self->sv[0], "a", 1));
	ASSERT_EQ(0, wait_ud(&self->r, &cqe));
	EXPECT_EQ(1, cqe.res);

	ASSERT_NE(NULL, prep_op(&self->r, IORING_OP_RECVMSG, self->sv[1],
				&msg, 0, 0));
	ASSERT_TRUE(submit_pending(_metadata, &self->r));
	ASSERT_EQ(1, write(self->sv[0], "b", 1));
	ASSERT_EQ(0, wait_ud(&self->r, &cqe));
	EXPECT_EQ(1, cqe.res);
}

TEST_F_TIMEOUT(net, async_recvmsg_on_nonblocking_socket_still_waits,
	       IOU_TIMEOUT)
{
	char buf[16];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;

	set_nonblock(self->sv[1]);
	sqe = prep_op(&self->r, IORING_OP_RECVMSG, self->sv[1], &msg, 0, 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = IOSQE_ASYNC;
	ASSERT_TRUE(submit_pending(_metadata, &self->r));
	ASSERT_EQ(1, write(self->sv[0], "b", 1));
	ASSERT_EQ(0, wait_ud(&self->r, &cqe));
	EXPECT_EQ(1, cqe.res);
}

TEST_F_TIMEOUT(net, async_recv_waits_for_data, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	char buf[16];

	sqe = prep_op(&self->r, IORING_OP_RECV, self->sv[1], buf,
		      sizeof(buf), 0);
	ASSERT_NE(NULL, sqe);
	sqe->flags = IOSQE_ASYNC;
	ASSERT_TRUE(submit_pending(_metadata, &self->r));
	ASSERT_EQ(2, write(self->sv[0], "xy", 2));
	ASSERT_EQ(0, wait_ud(&self->r, &cqe));
	EXPECT_EQ(2, cqe.res);
}

TEST_F_TIMEOUT(net, dontwait_answers_eagain, IOU_TIMEOUT)
{
	char buf[16];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	EXPECT_EQ(-EAGAIN, run_op(&self->r, IORING_OP_RECV, self->sv[1], buf,
				  sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(-EAGAIN, run_op(&self->r, IORING_OP_RECVMSG, self->sv[1],
				  &msg, 0, MSG_DONTWAIT));
}

TEST_F_TIMEOUT(net, poll_first_completes_once_ready, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	char buf[16];

	/* data already there: the poll is ready at once */
	ASSERT_EQ(1, write(self->sv[0], "a", 1));
	sqe = prep_op(&self->r, IORING_OP_RECV, self->sv[1], buf,
		      sizeof(buf), 0);
	sqe->ioprio = IORING_RECVSEND_POLL_FIRST;
	EXPECT_EQ(1, run(&self->r));

	sqe = prep_op(&self->r, IORING_OP_RECV, self->sv[1], buf,
		      sizeof(buf), 0);
	sqe->ioprio = IORING_RECVSEND_POLL_FIRST;
	ASSERT_TRUE(submit_pending(_metadata, &self->r));
	ASSERT_EQ(1, write(self->sv[0], "b", 1));
	ASSERT_EQ(0, wait_ud(&self->r, &cqe));
	EXPECT_EQ(1, cqe.res);

	sqe = prep_op(&self->r, IORING_OP_SEND, self->sv[0], "c", 1, 0);
	sqe->ioprio = IORING_RECVSEND_POLL_FIRST;
	EXPECT_EQ(1, run(&self->r));
}

TEST_F_TIMEOUT(net, poll_first_with_dontwait_answers_eagain, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	char buf[16];

	ASSERT_EQ(1, write(self->sv[0], "a", 1));
	sqe = prep_op(&self->r, IORING_OP_RECV, self->sv[1], buf,
		      sizeof(buf), MSG_DONTWAIT);
	sqe->ioprio = IORING_RECVSEND_POLL_FIRST;
	EXPECT_EQ(-EAGAIN, run(&self->r));
}

TEST_F_TIMEOUT(net, unknown_recvsend_flags_are_refused, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	char buf[16];

	sqe = prep_op(&self->r, IORING_OP_SEND, self->sv[0], "a", 1, 0);
	sqe->ioprio = 0x80;
	EXPECT_EQ(-EINVAL, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_RECV, self->sv[1], buf, 1, 0);
	sqe->ioprio = 0x80;
	EXPECT_EQ(-EINVAL, run(&self->r));
	/* multishot needs provided buffers */
	sqe = prep_op(&self->r, IORING_OP_RECV, self->sv[1], buf, 1, 0);
	sqe->ioprio = IORING_RECV_MULTISHOT;
	EXPECT_EQ(-EINVAL, run(&self->r));
}

TEST_F_TIMEOUT(net, reserved_fields_are_refused, IOU_TIMEOUT)
{
	struct msghdr msg = { 0 };
	struct io_uring_sqe *sqe;
	char buf[4];

	sqe = prep_op(&self->r, IORING_OP_SENDMSG, self->sv[0], &msg, 0, 0);
	sqe->addr2 = 1;
	EXPECT_EQ(-EINVAL, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_RECVMSG, self->sv[1], &msg, 0, 0);
	sqe->file_index = 1;
	EXPECT_EQ(-EINVAL, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_RECV, self->sv[1], buf, 1, 0);
	sqe->addr2 = 1;
	EXPECT_EQ(-EINVAL, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_SEND, self->sv[0], buf, 1, 0);
	sqe->__pad3[0] = 1;
	EXPECT_EQ(-EINVAL, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_SHUTDOWN, self->sv[0], NULL, SHUT_WR, 0);
	sqe->off = 1;
	EXPECT_EQ(-EINVAL, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_SHUTDOWN, self->sv[0], buf, SHUT_WR, 0);
	EXPECT_EQ(-EINVAL, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_ACCEPT, self->sv[0], NULL, 1, 0);
	EXPECT_EQ(-EINVAL, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_ACCEPT, self->sv[0], NULL, 0, 0);
	sqe->buf_index = 1;
	EXPECT_EQ(-EINVAL, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_CONNECT, self->sv[0], buf, 0, 0);
	sqe->len = 1;
	EXPECT_EQ(-EINVAL, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_SOCKET, AF_UNIX, NULL, 0, 0);
	sqe->off = SOCK_DGRAM;
	sqe->rw_flags = 1;
	EXPECT_EQ(-EINVAL, run(&self->r));
}

TEST_F_TIMEOUT(net, non_sockets_answer_enotsock, IOU_TIMEOUT)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct msghdr msg = { 0 };
	char buf[4];
	int p[2];

	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(-ENOTSOCK, run_op(&self->r, IORING_OP_SEND, p[1], "a", 1, 0));
	EXPECT_EQ(-ENOTSOCK, run_op(&self->r, IORING_OP_RECV, p[0], buf, 1, 0));
	EXPECT_EQ(-ENOTSOCK, run_op(&self->r, IORING_OP_SENDMSG, p[1], &msg, 0, 0));
	EXPECT_EQ(-ENOTSOCK, run_op(&self->r, IORING_OP_RECVMSG, p[0], &msg, 0, 0));
	EXPECT_EQ(-ENOTSOCK, run_op(&self->r, IORING_OP_ACCEPT, p[0], NULL, 0, 0));
	EXPECT_EQ(-ENOTSOCK, run_op(&self->r, IORING_OP_SHUTDOWN, p[0], NULL,
				    SHUT_RDWR, 0));
	prep_op(&self->r, IORING_OP_CONNECT, p[0], &sin, 0, 0)->addr2 = sizeof(sin);
	EXPECT_EQ(-ENOTSOCK, run(&self->r));
	EXPECT_EQ(-EBADF, run_op(&self->r, IORING_OP_RECV, 1000, buf, 1, 0));
	close(p[0]);
	close(p[1]);
}

TEST_F_TIMEOUT(net, bad_pointers_answer_efault, IOU_TIMEOUT)
{
	void *bad = (void *)16;

	EXPECT_EQ(-EFAULT, run_op(&self->r, IORING_OP_SENDMSG, self->sv[0],
				  bad, 0, 0));
	EXPECT_EQ(-EFAULT, run_op(&self->r, IORING_OP_RECVMSG, self->sv[1],
				  bad, 0, 0));
	EXPECT_EQ(-EFAULT, run_op(&self->r, IORING_OP_SEND, self->sv[0],
				  bad, 4, 0));
	ASSERT_EQ(1, write(self->sv[0], "a", 1));
	EXPECT_EQ(-EFAULT, run_op(&self->r, IORING_OP_RECV, self->sv[1],
				  bad, 4, 0));
	prep_op(&self->r, IORING_OP_CONNECT, self->sv[0], bad, 0, 0)->addr2 = 16;
	EXPECT_EQ(-EFAULT, run(&self->r));
}

TEST_F_TIMEOUT(net, bad_msghdrs_are_refused, IOU_TIMEOUT)
{
	struct iovec iov = { .iov_base = "a", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = UIO_MAXIOV + 1 };

	/* unlike sendmsg(2)'s -EMSGSIZE: 6.1 checks the count as readv() */
	EXPECT_EQ(-EINVAL, run_op(&self->r, IORING_OP_SENDMSG, self->sv[0],
				  &msg, 0, 0));
	EXPECT_EQ(-EINVAL, run_op(&self->r, IORING_OP_RECVMSG, self->sv[1],
				  &msg, 0, 0));
	msg.msg_iovlen = 1;
	msg.msg_iov = (void *)16;
	EXPECT_EQ(-EFAULT, run_op(&self->r, IORING_OP_SENDMSG, self->sv[0],
				  &msg, 0, 0));
	msg.msg_iov = &iov;
	msg.msg_control = (void *)16;
	msg.msg_controllen = sizeof(struct cmsghdr) + 4;
	EXPECT_EQ(-EFAULT, run_op(&self->r, IORING_OP_SENDMSG, self->sv[0],
				  &msg, 0, 0));
}

/* A bad SQE pointer fails the request, not the submission. */
TEST_F_TIMEOUT(net, bad_msghdr_does_not_stop_submission, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	int i, seen = 0;

	prep_op(&self->r, IORING_OP_SENDMSG, self->sv[0], (void *)16, 0, 0);
	ring_prep_nop(ring_get_sqe(&self->r), 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		EXPECT_EQ(cqe.user_data == UD ? -EFAULT : 0, cqe.res);
		seen |= cqe.user_data == UD ? 1 : 2;
	}
	EXPECT_EQ(3, seen);
}

TEST_F_TIMEOUT(net, sendmsg_recvmsg_over_udp_report_names_and_flags,
	       IOU_TIMEOUT)
{
	struct sockaddr_in a, b, from;
	char out1[] = "abc", out2[] = "defg", in1[2], in2[8];
	struct iovec siov[2] = { { out1, 3 }, { out2, 4 } };
	struct iovec riov[2] = { { in1, 2 }, { in2, 8 } };
	struct msghdr smsg = { .msg_iov = siov, .msg_iovlen = 2 };
	struct msghdr rmsg = {
		.msg_name = &from, .msg_namelen = sizeof(from) + 10,
		.msg_iov = riov, .msg_iovlen = 2,
	};
	int fa = udp_bound(&a), fb = udp_bound(&b);

	ASSERT_GE(fa, 0);
	ASSERT_GE(fb, 0);
	smsg.msg_name = &b;
	smsg.msg_namelen = sizeof(b);
	ASSERT_EQ(7, run_op(&self->r, IORING_OP_SENDMSG, fa, &smsg, 0, 0));
	ASSERT_EQ(7, run_op(&self->r, IORING_OP_RECVMSG, fb, &rmsg, 0, 0));
	EXPECT_EQ(sizeof(from), rmsg.msg_namelen);
	EXPECT_EQ(a.sin_port, from.sin_port);
	EXPECT_EQ(0, memcmp(in1, "ab", 2));
	EXPECT_EQ(0, memcmp(in2, "cdefg", 5));
	EXPECT_EQ(0, rmsg.msg_flags);

	/* a datagram too long for the buffer: MSG_TRUNC, the true length */
	riov[1].iov_len = 1;
	ASSERT_EQ(7, run_op(&self->r, IORING_OP_SENDMSG, fa, &smsg, 0, 0));
	EXPECT_EQ(3, run_op(&self->r, IORING_OP_RECVMSG, fb, &rmsg, 0, 0));
	EXPECT_EQ(MSG_TRUNC, rmsg.msg_flags);
	ASSERT_EQ(7, run_op(&self->r, IORING_OP_SENDMSG, fa, &smsg, 0, 0));
	EXPECT_EQ(7, run_op(&self->r, IORING_OP_RECVMSG, fb, &rmsg, 0,
			    MSG_TRUNC));
	close(fa);
	close(fb);
}

TEST_F_TIMEOUT(net, send_with_an_address_is_sendto, IOU_TIMEOUT)
{
	struct sockaddr_in a, b;
	struct io_uring_sqe *sqe;
	char buf[8];
	int fa = udp_bound(&a), fb = udp_bound(&b);

	ASSERT_GE(fa, 0);
	ASSERT_GE(fb, 0);
	sqe = prep_op(&self->r, IORING_OP_SEND, fa, "xyz", 3, 0);
	sqe->addr2 = (__u64)(uintptr_t)&b;
	sqe->addr_len = sizeof(b);
	ASSERT_EQ(3, run(&self->r));
	EXPECT_EQ(3, recv(fb, buf, sizeof(buf), MSG_DONTWAIT));
	/* no address on an unconnected datagram socket */
	EXPECT_EQ(-EDESTADDRREQ, run_op(&self->r, IORING_OP_SEND, fa, "x", 1, 0));
	close(fa);
	close(fb);
}

TEST_F_TIMEOUT(net, msghdr_is_read_at_submission, IOU_TIMEOUT)
{
	char buf[16] = { 0 }, other[16] = { 0 };
	struct iovec *iov = calloc(1, sizeof(*iov));
	struct msghdr *msg = calloc(1, sizeof(*msg));
	struct io_uring_cqe cqe;

	iov->iov_base = buf;
	iov->iov_len = sizeof(buf);
	msg->msg_iov = iov;
	msg->msg_iovlen = 1;
	ASSERT_NE(NULL, prep_op(&self->r, IORING_OP_RECVMSG, self->sv[1],
				msg, 0, 0));
	ASSERT_TRUE(submit_pending(_metadata, &self->r));
	/* IORING_FEAT_SUBMIT_STABLE: both may change once submitted */
	iov->iov_base = other;
	msg->msg_iovlen = 0;
	ASSERT_EQ(4, write(self->sv[0], "data", 4));
	ASSERT_EQ(0, wait_ud(&self->r, &cqe));
	EXPECT_EQ(4, cqe.res);
	EXPECT_EQ(0, memcmp(buf, "data", 4));
	EXPECT_EQ(0, other[0]);
	free(iov);
	free(msg);
}

TEST_F_TIMEOUT(net, scm_rights_pass_a_file, IOU_TIMEOUT)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u, ru;
	struct iovec iov = { .iov_base = "f", .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	char in;
	struct iovec riov = { .iov_base = &in, .iov_len = 1 };
	struct msghdr rmsg = {
		.msg_iov = &riov, .msg_iovlen = 1,
		.msg_control = ru.buf, .msg_controllen = sizeof(ru.buf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	int p[2], fd;
	char c;

	ASSERT_EQ(0, pipe(p));
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &p[1], sizeof(int));
	ASSERT_EQ(1, run_op(&self->r, IORING_OP_SENDMSG, self->sv[0], &msg, 0, 0));
	ASSERT_EQ(1, run_op(&self->r, IORING_OP_RECVMSG, self->sv[1], &rmsg,
			    0, 0));
	cm = CMSG_FIRSTHDR(&rmsg);
	ASSERT_NE(NULL, cm);
	ASSERT_EQ(SCM_RIGHTS, cm->cmsg_type);
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	ASSERT_EQ(1, write(fd, "z", 1));
	ASSERT_EQ(1, read(p[0], &c, 1));
	EXPECT_EQ('z', c);
	close(fd);

	/* a ring fd can't travel: it could keep itself alive */
	memcpy(CMSG_DATA(CMSG_FIRSTHDR(&msg)), &self->r.fd, sizeof(int));
	EXPECT_EQ(-EINVAL, run_op(&self->r, IORING_OP_SENDMSG, self->sv[0],
				  &msg, 0, 0));
	close(p[0]);
	close(p[1]);
}

TEST_F_TIMEOUT(net, waitall_recv_waits_for_the_whole_length, IOU_TIMEOUT)
{
	struct delayed d = { .fd = self->sv[0], .ms = 100, .buf = "5678",
			     .len = 4 };
	struct io_uring_cqe cqe;
	char buf[8] = { 0 };
	pthread_t t;

	ASSERT_EQ(4, write(self->sv[0], "1234", 4));
	ASSERT_NE(NULL, prep_op(&self->r, IORING_OP_RECV, self->sv[1], buf,
				sizeof(buf), MSG_WAITALL));
	ASSERT_EQ(0, pthread_create(&t, NULL, delayed_send_fn, &d));
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, wait_ud(&self->r, &cqe));
	pthread_join(t, NULL);
	EXPECT_EQ(8, cqe.res);
	EXPECT_EQ(0, memcmp(buf, "12345678", 8));
}

TEST_F_TIMEOUT(net, waitall_recvmsg_reports_the_partial_count_at_eof,
	       IOU_TIMEOUT)
{
	struct delayed d = { .fd = self->sv[0], .ms = 100, .buf = "56",
			     .len = 2, .shut = true };
	char buf[8] = { 0 };
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring_cqe cqe;
	pthread_t t;

	ASSERT_EQ(4, write(self->sv[0], "1234", 4));
	ASSERT_NE(NULL, prep_op(&self->r, IORING_OP_RECVMSG, self->sv[1], &msg,
				0, MSG_WAITALL));
	ASSERT_EQ(0, pthread_create(&t, NULL, delayed_send_fn, &d));
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, wait_ud(&self->r, &cqe));
	pthread_join(t, NULL);
	EXPECT_EQ(6, cqe.res);
	EXPECT_EQ(0, memcmp(buf, "123456", 6));
}

TEST_F_TIMEOUT(net, waitall_with_dontwait_reports_what_was_there, IOU_TIMEOUT)
{
	char buf[8];

	ASSERT_EQ(4, write(self->sv[0], "1234", 4));
	EXPECT_EQ(4, run_op(&self->r, IORING_OP_RECV, self->sv[1], buf,
			    sizeof(buf), MSG_WAITALL | MSG_DONTWAIT));
}

TEST_F_TIMEOUT(net, waitall_on_datagrams_takes_one, IOU_TIMEOUT)
{
	char buf[8];
	int sv[2];

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	ASSERT_EQ(3, write(sv[0], "abc", 3));
	EXPECT_EQ(3, run_op(&self->r, IORING_OP_RECV, sv[1], buf, sizeof(buf),
			    MSG_WAITALL));
	close(sv[0]);
	close(sv[1]);
}

TEST_F_TIMEOUT(net, peer_close_completes_recv_and_fails_send, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	char buf[4];

	ASSERT_NE(NULL, prep_op(&self->r, IORING_OP_RECV, self->sv[1], buf,
				sizeof(buf), 0));
	ASSERT_TRUE(submit_pending(_metadata, &self->r));
	close(self->sv[0]);
	ASSERT_EQ(0, wait_ud(&self->r, &cqe));
	EXPECT_EQ(0, cqe.res);
	/* MSG_NOSIGNAL is implied: -EPIPE, no SIGPIPE */
	EXPECT_EQ(-EPIPE, run_op(&self->r, IORING_OP_SEND, self->sv[1], "a", 1, 0));
	self->sv[0] = socket(AF_UNIX, SOCK_STREAM, 0);
}

TEST_F_TIMEOUT(net, closing_the_ring_cancels_waiting_requests, IOU_TIMEOUT)
{
	char buf[4];
	pid_t pid;

	ASSERT_NE(NULL, prep_op(&self->r, IORING_OP_RECV, self->sv[1], buf,
				sizeof(buf), 0));
	ASSERT_TRUE(submit_pending(_metadata, &self->r));
	ring_exit(&self->r);
	/* the socket is still usable: the request let go of it */
	ASSERT_EQ(1, write(self->sv[0], "a", 1));
	ASSERT_EQ(1, read(self->sv[1], buf, 1));

	/* and a task that exits with one armed */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		struct ring r;

		if (ring_init(&r, 4, 0))
			_exit(1);
		if (!prep_op(&r, IORING_OP_RECV, self->sv[1], buf, 4, 0) ||
		    ring_submit(&r) != 1)
			_exit(2);
		_exit(0);
	}
	EXPECT_EQ(0, wait_child(pid, 5000));
	ASSERT_EQ(1, write(self->sv[0], "b", 1));
	set_nonblock(self->sv[1]);
	EXPECT_EQ(1, read(self->sv[1], buf, 1));
	ASSERT_EQ(0, ring_init(&self->r, ENTRIES, 0));
}

TEST_F_TIMEOUT(net, tcp_accept_connect_send_recv_shutdown, IOU_TIMEOUT)
{
	struct sockaddr_in addr, peer;
	socklen_t plen = sizeof(peer);
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int lfd = tcp_listener(&addr), cfd, afd;
	char buf[8];

	ASSERT_GE(lfd, 0);
	/* an accept waits for a connection */
	sqe = prep_op(&self->r, IORING_OP_ACCEPT, lfd, &peer, 0, 0);
	sqe->addr2 = (__u64)(uintptr_t)&plen;
	ASSERT_TRUE(submit_pending(_metadata, &self->r));

	cfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_GE(cfd, 0);
	sqe = prep_op(&self->r, IORING_OP_CONNECT, cfd, &addr, 0, 0);
	sqe->addr2 = sizeof(addr);
	sqe->user_data = 2;
	ASSERT_EQ(1, ring_submit(&self->r));
	ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
	if (cqe.user_data == 2) {
		EXPECT_EQ(0, cqe.res);
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		ASSERT_EQ(UD, cqe.user_data);
	} else {
		ASSERT_EQ(UD, cqe.user_data);
		afd = cqe.res;
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		EXPECT_EQ(2, cqe.user_data);
		EXPECT_EQ(0, cqe.res);
		cqe.res = afd;
	}
	afd = cqe.res;
	ASSERT_GE(afd, 0);
	EXPECT_EQ(sizeof(peer), plen);
	EXPECT_EQ(AF_INET, peer.sin_family);
	EXPECT_EQ(0, fcntl(afd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(afd, F_GETFL) & O_NONBLOCK);

	ASSERT_EQ(4, run_op(&self->r, IORING_OP_SEND, cfd, "ping", 4, 0));
	ASSERT_EQ(4, run_op(&self->r, IORING_OP_RECV, afd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "ping", 4));
	ASSERT_EQ(0, run_op(&self->r, IORING_OP_SHUTDOWN, cfd, NULL, SHUT_WR, 0));
	/* at EOF TCP's "bytes left" hint is 1: IORING_CQE_F_SOCK_NONEMPTY */
	ASSERT_NE(NULL, prep_op(&self->r, IORING_OP_RECV, afd, buf,
				sizeof(buf), 0));
	ASSERT_EQ(0, submit_wait(&self->r, &cqe));
	EXPECT_EQ(0, cqe.res);
	EXPECT_EQ(-EINVAL, run_op(&self->r, IORING_OP_SHUTDOWN, cfd, NULL, 7, 0));
	close(afd);
	close(cfd);
	close(lfd);
}

TEST_F_TIMEOUT(net, accept_flags, IOU_TIMEOUT)
{
	struct sockaddr_in addr;
	struct io_uring_sqe *sqe;
	int lfd = tcp_listener(&addr), cfd, afd;

	ASSERT_GE(lfd, 0);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(cfd, (struct sockaddr *)&addr, sizeof(addr)));
	sqe = prep_op(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 0);
	sqe->accept_flags = SOCK_NONBLOCK | SOCK_CLOEXEC;
	afd = run(&self->r);
	ASSERT_GE(afd, 0);
	EXPECT_EQ(FD_CLOEXEC, fcntl(afd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_NONBLOCK, fcntl(afd, F_GETFL) & O_NONBLOCK);
	close(afd);

	sqe = prep_op(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 0);
	sqe->accept_flags = O_APPEND;
	EXPECT_EQ(-EINVAL, run(&self->r));
	/* multishot is not for plain accept without a slot choice */
	sqe = prep_op(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 0);
	sqe->ioprio = 0x80;
	EXPECT_EQ(-EINVAL, run(&self->r));
	/* not listening */
	EXPECT_EQ(-EINVAL, run_op(&self->r, IORING_OP_ACCEPT, cfd, NULL, 0, 0));
	/* a bad address length pointer */
	ASSERT_EQ(0, close(socket(AF_INET, SOCK_STREAM, 0)));
	afd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(afd, (struct sockaddr *)&addr, sizeof(addr)));
	sqe = prep_op(&self->r, IORING_OP_ACCEPT, lfd, &addr, 0, 0);
	sqe->addr2 = 16;
	EXPECT_EQ(-EFAULT, run(&self->r));
	close(afd);
	close(cfd);
	close(lfd);
}

TEST_F_TIMEOUT(net, accept_on_a_nonblocking_listener_still_waits, IOU_TIMEOUT)
{
	struct sockaddr_in addr;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	int lfd = tcp_listener(&addr), cfd, i;
	int threads = nr_threads();

	ASSERT_GE(lfd, 0);
	set_nonblock(lfd);
	for (i = 0; i < 2; i++) {
		sqe = prep_op(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 0);
		ASSERT_NE(NULL, sqe);
		/* then from a worker, which waits in poll all the same */
		sqe->flags = i ? IOSQE_ASYNC : 0;
		ASSERT_TRUE(submit_pending(_metadata, &self->r));
		if (!i)
			EXPECT_EQ(threads, nr_threads());
		cfd = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_EQ(0, connect(cfd, (struct sockaddr *)&addr,
				     sizeof(addr)));
		ASSERT_EQ(0, wait_ud(&self->r, &cqe));
		EXPECT_GE(cqe.res, 0);
		close(cqe.res);
		close(cfd);
	}
	close(lfd);
}

TEST_F_TIMEOUT(net, connect_errors, IOU_TIMEOUT)
{
	struct sockaddr_in addr;
	struct io_uring_sqe *sqe;
	int lfd = tcp_listener(&addr), cfd;

	ASSERT_GE(lfd, 0);
	close(lfd);	/* nobody listens on the port now */
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	sqe = prep_op(&self->r, IORING_OP_CONNECT, cfd, &addr, 0, 0);
	sqe->addr2 = sizeof(addr);
	EXPECT_EQ(-ECONNREFUSED, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_CONNECT, cfd, &addr, 0, 0);
	sqe->addr2 = 1;
	EXPECT_EQ(-EINVAL, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_CONNECT, cfd, &addr, 0, 0);
	sqe->addr2 = 4096;
	EXPECT_EQ(-EINVAL, run(&self->r));
	close(cfd);
}

TEST_F_TIMEOUT(net, connect_on_a_nonblocking_socket_completes, IOU_TIMEOUT)
{
	struct sockaddr_in addr;
	struct io_uring_sqe *sqe;
	int lfd = tcp_listener(&addr), cfd;

	ASSERT_GE(lfd, 0);
	cfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	sqe = prep_op(&self->r, IORING_OP_CONNECT, cfd, &addr, 0, 0);
	sqe->addr2 = sizeof(addr);
	EXPECT_EQ(0, run(&self->r));
	close(cfd);

	cfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	sqe = prep_op(&self->r, IORING_OP_CONNECT, cfd, &addr, 0, 0);
	sqe->addr2 = sizeof(addr);
	sqe->flags = IOSQE_ASYNC;
	EXPECT_EQ(0, run(&self->r));
	close(cfd);
	close(lfd);
}

TEST_F_TIMEOUT(net, socket_creates_a_descriptor, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	int fd;

	sqe = prep_op(&self->r, IORING_OP_SOCKET, AF_INET, NULL, 0, 0);
	sqe->off = SOCK_DGRAM | SOCK_CLOEXEC;
	fd = run(&self->r);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(fd, F_GETFL) & O_NONBLOCK);
	close(fd);

	sqe = prep_op(&self->r, IORING_OP_SOCKET, AF_UNIX, NULL, 0, 0);
	sqe->off = SOCK_STREAM | SOCK_NONBLOCK;
	fd = run(&self->r);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(O_NONBLOCK, fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);

	sqe = prep_op(&self->r, IORING_OP_SOCKET, 1234, NULL, 0, 0);
	sqe->off = SOCK_STREAM;
	EXPECT_EQ(-EAFNOSUPPORT, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_SOCKET, AF_INET, NULL, 0, 0);
	sqe->off = SOCK_STREAM | O_APPEND;
	EXPECT_EQ(-EINVAL, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_SOCKET, AF_INET, NULL, 0, 0);
	sqe->off = 77;
	EXPECT_EQ(-EINVAL, run(&self->r));
	/* direct needs a table */
	sqe = prep_op(&self->r, IORING_OP_SOCKET, AF_INET, NULL, 0, 0);
	sqe->off = SOCK_DGRAM;
	sqe->file_index = 1;
	EXPECT_EQ(-ENXIO, run(&self->r));
}

TEST_F_TIMEOUT(net, direct_socket_and_accept_fill_registered_slots,
	       IOU_TIMEOUT)
{
	int fds[3] = { -1, -1, -1 };
	struct sockaddr_in addr;
	struct io_uring_sqe *sqe;
	int lfd, cfd;
	char buf[4];

	ASSERT_EQ(0, io_uring_register(self->r.fd, IORING_REGISTER_FILES,
				       fds, 3));
	/* SOCKET into slot 0 (file_index 1) */
	sqe = prep_op(&self->r, IORING_OP_SOCKET, AF_INET, NULL, 0, 0);
	sqe->off = SOCK_STREAM;
	sqe->file_index = 1;
	ASSERT_EQ(0, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_SOCKET, AF_INET, NULL, 0, 0);
	sqe->off = SOCK_STREAM | SOCK_CLOEXEC;
	sqe->file_index = 1;
	EXPECT_EQ(-EINVAL, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_SOCKET, AF_INET, NULL, 0, 0);
	sqe->off = SOCK_STREAM;
	sqe->file_index = 4;
	EXPECT_EQ(-EINVAL, run(&self->r));

	/* connect with the direct socket to a listener */
	lfd = tcp_listener(&addr);
	ASSERT_GE(lfd, 0);
	sqe = prep_op(&self->r, IORING_OP_CONNECT, 0, &addr, 0, 0);
	sqe->addr2 = sizeof(addr);
	sqe->flags = IOSQE_FIXED_FILE;
	ASSERT_EQ(0, run(&self->r));

	/* accept into a slot the kernel picks: slot 1 is the free one */
	sqe = prep_op(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 0);
	sqe->file_index = IORING_FILE_INDEX_ALLOC;
	ASSERT_EQ(1, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_SEND, 0, "dir", 3, 0);
	sqe->flags = IOSQE_FIXED_FILE;
	ASSERT_EQ(3, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_RECV, 1, buf, sizeof(buf), 0);
	sqe->flags = IOSQE_FIXED_FILE;
	ASSERT_EQ(3, run(&self->r));
	EXPECT_EQ(0, memcmp(buf, "dir", 3));

	/* a slot in use is replaced; with CLOEXEC it is refused */
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(cfd, (struct sockaddr *)&addr, sizeof(addr)));
	sqe = prep_op(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 0);
	sqe->file_index = 3;
	sqe->accept_flags = SOCK_CLOEXEC;
	EXPECT_EQ(-EINVAL, run(&self->r));
	sqe = prep_op(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 0);
	sqe->file_index = 2;
	EXPECT_EQ(0, run(&self->r));
	close(cfd);
	/* the last free slot, then none */
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(cfd, (struct sockaddr *)&addr, sizeof(addr)));
	sqe = prep_op(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 0);
	sqe->file_index = IORING_FILE_INDEX_ALLOC;
	EXPECT_EQ(2, run(&self->r));
	close(cfd);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(cfd, (struct sockaddr *)&addr, sizeof(addr)));
	sqe = prep_op(&self->r, IORING_OP_ACCEPT, lfd, NULL, 0, 0);
	sqe->file_index = IORING_FILE_INDEX_ALLOC;
	EXPECT_EQ(-ENFILE, run(&self->r));
	close(cfd);
	close(lfd);
}

/*
 * CVE-2020-29373: a sendmsg to a unix socket path that runs in another
 * context (IOSQE_ASYNC) must resolve the path against the submitter's
 * root.  After chroot(dir), "<cwd>/cve.sock" means dir/<cwd>/cve.sock.
 */
TEST_F_TIMEOUT(net, unix_path_resolves_in_the_submitters_root, IOU_TIMEOUT)
{
	char cwd[48], root[64], inner[128], cmd[256], buf[8];
	struct sockaddr_un out = { .sun_family = AF_UNIX };
	struct sockaddr_un in = { .sun_family = AF_UNIX };
	int fout, fin, status;
	pid_t pid;

	if (geteuid())
		SKIP(return, "chroot needs root");
	if (!getcwd(cwd, sizeof(cwd)))
		SKIP(return, "the current directory's path is too long");
	ASSERT_GT(sizeof(root), snprintf(root, sizeof(root), "%s/cveroot", cwd));
	ASSERT_GT(sizeof(inner), snprintf(inner, sizeof(inner), "%s%s", root, cwd));
	ASSERT_GT(sizeof(cmd), snprintf(cmd, sizeof(cmd),
					"rm -rf '%s'; mkdir -p '%s'", root, inner));
	ASSERT_EQ(0, system(cmd));
	ASSERT_GT(sizeof(out.sun_path), snprintf(out.sun_path, sizeof(out.sun_path),
						 "%s/cve.sock", cwd));
	ASSERT_GT(sizeof(in.sun_path), snprintf(in.sun_path, sizeof(in.sun_path),
						"%s/cve.sock", inner));
	unlink(out.sun_path);
	fout = socket(AF_UNIX, SOCK_DGRAM, 0);
	fin = socket(AF_UNIX, SOCK_DGRAM, 0);
	ASSERT_EQ(0, bind(fout, (struct sockaddr *)&out, sizeof(out)));
	ASSERT_EQ(0, bind(fin, (struct sockaddr *)&in, sizeof(in)));

	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		struct iovec iov = { .iov_base = "c", .iov_len = 1 };
		struct msghdr msg = {
			.msg_name = &out, .msg_namelen = sizeof(out),
			.msg_iov = &iov, .msg_iovlen = 1,
		};
		struct io_uring_sqe *sqe;
		struct sockaddr_un *dst = calloc(1, sizeof(*dst));
		struct ring r;
		int fd, ret;

		if (ring_init(&r, 4, 0) || chroot(root) || chdir("/"))
			_exit(1);
		fd = socket(AF_UNIX, SOCK_DGRAM, 0);
		sqe = prep_op(&r, IORING_OP_SENDMSG, fd, &msg, 0, 0);
		sqe->flags = IOSQE_ASYNC;
		if (run(&r) != 1)
			_exit(2);
		/* and a connect, then a send on it */
		*dst = out;
		sqe = prep_op(&r, IORING_OP_CONNECT, fd, dst, 0, 0);
		sqe->addr2 = sizeof(*dst);
		sqe->flags = IOSQE_ASYNC;
		ret = run(&r);
		if (ret)
			_exit(3);
		if (run_op(&r, IORING_OP_SEND, fd, "d", 1, 0) != 1)
			_exit(4);
		_exit(0);
	}
	ASSERT_EQ(0, waitpid(pid, &status, 0) == pid ? 0 : -1);
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(1, recv(fin, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ('c', buf[0]);
	EXPECT_EQ(1, recv(fin, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ('d', buf[0]);
	EXPECT_EQ(-1, recv(fout, buf, sizeof(buf), MSG_DONTWAIT));
	close(fout);
	close(fin);
	unlink(out.sun_path);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	EXPECT_EQ(0, system(cmd));
}

TEST_F_TIMEOUT(net, recv_reports_more_data_left_on_tcp, IOU_TIMEOUT)
{
	struct sockaddr_in addr;
	struct io_uring_cqe cqe;
	int lfd = tcp_listener(&addr), cfd, afd;
	char buf[4];

	ASSERT_GE(lfd, 0);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(cfd, (struct sockaddr *)&addr, sizeof(addr)));
	afd = accept(lfd, NULL, NULL);
	ASSERT_GE(afd, 0);
	ASSERT_EQ(8, write(cfd, "12345678", 8));
	usleep(20 * 1000);
	ASSERT_NE(NULL, prep_op(&self->r, IORING_OP_RECV, afd, buf, 4, 0));
	ASSERT_EQ(0, submit_wait(&self->r, &cqe));
	EXPECT_EQ(4, cqe.res);
	EXPECT_EQ(IORING_CQE_F_SOCK_NONEMPTY, cqe.flags);
	ASSERT_NE(NULL, prep_op(&self->r, IORING_OP_RECV, afd, buf, 4, 0));
	ASSERT_EQ(0, submit_wait(&self->r, &cqe));
	EXPECT_EQ(4, cqe.res);
	EXPECT_EQ(0, cqe.flags);
	close(afd);
	close(cfd);
	close(lfd);
}

/*
 * As 6.1: a MSG_WAITALL receive that ends short (EOF here) reports what it
 * got, and breaks the link after it like a failure.
 */
TEST_F_TIMEOUT(net, short_waitall_receive_breaks_its_link, IOU_TIMEOUT)
{
	struct io_uring_cqe cqe;
	struct io_uring_sqe *sqe;
	char buf[8];
	int i;

	ASSERT_EQ(4, write(self->sv[0], "1234", 4));
	ASSERT_EQ(0, shutdown(self->sv[0], SHUT_WR));
	sqe = prep_op(&self->r, IORING_OP_RECV, self->sv[1], buf, sizeof(buf),
		      MSG_WAITALL);
	sqe->flags = IOSQE_IO_LINK;
	ring_prep_nop(ring_get_sqe(&self->r), 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		EXPECT_EQ(cqe.user_data == UD ? 4 : -ECANCELED, cqe.res);
	}

	/* a whole one does not */
	ASSERT_EQ(2, write(self->sv[1], "ab", 2));
	sqe = prep_op(&self->r, IORING_OP_RECV, self->sv[0], buf, 2,
		      MSG_WAITALL);
	sqe->flags = IOSQE_IO_LINK;
	ring_prep_nop(ring_get_sqe(&self->r), 2);
	ASSERT_EQ(2, ring_submit(&self->r));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		EXPECT_EQ(cqe.user_data == UD ? 2 : 0, cqe.res);
	}
}

TEST_F_TIMEOUT(net, async_cancel_ends_a_waiting_receive, IOU_TIMEOUT)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	char buf[4];
	int i;

	ASSERT_NE(NULL, prep_op(&self->r, IORING_OP_RECV, self->sv[1], buf,
				sizeof(buf), 0));
	ASSERT_TRUE(submit_pending(_metadata, &self->r));
	sqe = ring_get_sqe(&self->r);
	ring_prep_rw(sqe, IORING_OP_ASYNC_CANCEL, -1, NULL, 0, 0, 2);
	sqe->addr = UD;
	ASSERT_EQ(1, ring_submit(&self->r));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, ring_wait_cqe(&self->r, &cqe));
		EXPECT_EQ(cqe.user_data == UD ? -ECANCELED : 0, cqe.res);
	}
	/* the socket gave nothing away */
	ASSERT_EQ(1, write(self->sv[0], "a", 1));
	EXPECT_EQ(1, recv(self->sv[1], buf, sizeof(buf), MSG_DONTWAIT));
}

TEST_HARNESS_MAIN
