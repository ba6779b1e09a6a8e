// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring: asynchronous I/O through a pair of rings shared with userspace.
 *
 * The application queues work as submission queue entries (SQEs) and learns
 * of its end from completion queue entries (CQEs).  Each ring has exactly one
 * producer and one consumer, so neither needs a lock, only ordered indices:
 *
 *   SQ: userspace writes SQEs and the index array, then publishes sq.tail;
 *       the kernel reads sq.tail, then the entries, then publishes sq.head.
 *   CQ: the kernel writes CQEs, then publishes cq.tail;
 *       userspace reads cq.tail, then the entries, then publishes cq.head.
 *
 * Each publish is a release and each read of the other side's index an
 * acquire.  The four pairs are named where they happen:
 *   [SQ-T] sq.tail: userspace release  -> kernel smp_load_acquire()
 *   [SQ-H] sq.head: kernel smp_store_release() -> userspace acquire
 *   [CQ-T] cq.tail: kernel smp_store_release() -> userspace acquire
 *   [CQ-H] cq.head: userspace release  -> kernel smp_load_acquire()
 */
/* series: sqpoll */
/*
 * With IORING_SETUP_SQPOLL a kernel thread consumes the SQ, and sleeps
 * when idle.  Going to sleep and waking it are a store->load pattern on
 * both sides, which needs a full barrier on each:
 *   [SQ-W] kernel: set IORING_SQ_NEED_WAKEUP, smp_mb(), read sq.tail;
 *          userspace: publish sq.tail, full barrier, read sq.flags.
 * Either the thread sees the new tail, or userspace sees the flag and
 * wakes it with IORING_ENTER_SQ_WAKEUP.
 */
/* series: end */
/*
 * LOCKING
 *
 * Lock order: ctx->uring_lock -> tctx->ctx_lock -> ctx->completion_lock
 * -> tctx->lock.
 *   uring_lock (mutex): the submission side and what it owns (tables,
 *     request cache, iopoll list); task_work runs under it too, so a
 *     request continued there is as good as one being submitted.
 *   ctx_lock (mutex): which rings a task submits to; exit and exec walk
 *     them with it held, which keeps each ring from being freed.
 *   completion_lock (spinlock): the CQ side, drain counters, poll list.
 *   tctx->lock (spinlock): a task's workers, their queue, its poll list.
 * Hard irq takes none of them: ->ki_complete() and poll wakeups hand the
 * request to the submitter with io_req_task_queue(), lock-free.  The two
 * spinlocks are still taken with interrupts off.
 */
/* series: sqpoll */
/*
 * An SQ thread's sqd->lock (mutex) comes before all of them: the thread
 * holds it while it submits for its rings, and drops it between rounds.
 * The fields tagged S: are the ones it protects.
 */
/* series: end */
/*
 * A request has one owner at a time, and ownership moves, never shared:
 * the submitter (io_submit_sqes() to the end of its issue); then exactly
 * one of a driver (after -EIOCBQUEUED, until ->ki_complete()), a poll
 * wait (whoever wins io_poll_claim() takes it back), a worker queue or
 * worker, the drain list, or the task_work list; then the CQE, after
 * which it is freed.  Whoever owns it may complete it; nobody else
 * touches it.  The one place two parties race for a request is the
 * issuer against ->ki_complete(), settled by rw.refs (io_rw_issued()).
 *
 * Legend for the fields of struct io_ring_ctx and friends:
 *   I:  set up before the ring fd exists, never changed after.
 *   U:  protected by ctx->uring_lock.
 *   C:  protected by ctx->completion_lock.
 *   T:  protected by io_uring_task->lock.
 *   M:  protected by io_uring_task->ctx_lock.
 *   R:  the request's owner's (see above: one owner at a time).
 *   A:  accessed locklessly; the comment at the field says how.
 *
 * The file reads top-down along a request's life; its sections, each under
 * a banner of its own:
 *   Shared ring memory, requests and the opcode table
 *   Setup and mmap
 *   Submission: the request cache and the task's counts, issue, the
 *     batch of CQEs a submission or a task_work run posts, task_work
 *     (completion context), links, drain, io_submit_sqes()
 *   Issue: one prep/issue pair per opcode (read/write, sync)
 *   Network: send and receive, accept, connect, socket, shutdown
 *   Completion and overflow: writing CQEs, the CQ ring, wakeups
 *   Waiting for completions
 *   Async offload: poll-driven retry and worker threads (poll, POLL_ADD)
 *   Timeouts and link timeouts
 *   The SQ thread (IORING_SETUP_SQPOLL)
 *   Registration
 *   The ring file: poll, fdinfo, teardown (and cancellation)
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/syscalls.h>
#include <linux/compat.h>
#include <linux/refcount.h>
#include <linux/percpu-refcount.h>
#include <linux/file.h>
#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/uio.h>
#include <linux/anon_inodes.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/task_work.h>
#include <linux/eventfd.h>
#include <linux/hrtimer.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/nospec.h>
#include <linux/workqueue.h>
#include <linux/bvec.h>
#include <linux/highmem.h>
#include <linux/pagemap.h>
#include <linux/fsnotify.h>
#include <linux/security.h>
#include <linux/cpumask.h>
#include <linux/cpuset.h>
#include <linux/ioprio.h>
#include <linux/hugetlb.h>
#include <linux/shmem_fs.h>
#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/cred.h>
#include <linux/xarray.h>
#include <linux/audit.h>
#include <linux/hash.h>
#include <linux/io_uring.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <net/sock.h>

#include <uapi/linux/io_uring.h>

#define IORING_MAX_ENTRIES	32768
#define IORING_MAX_CQ_ENTRIES	(2 * IORING_MAX_ENTRIES)

/* setup flags we implement; anything else is refused with -EINVAL */
/* series: iopoll */
#define IO_SETUP_IOPOLL		IORING_SETUP_IOPOLL
/* series: end */
/* series: !iopoll */
#define IO_SETUP_IOPOLL		0
/* series: end */
/* series: sqpoll */
#define IO_SETUP_SQPOLL		(IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF | \
				 IORING_SETUP_ATTACH_WQ)
/* series: end */
/* series: !sqpoll */
#define IO_SETUP_SQPOLL		0
/* series: end */
/* how the ring's task_work reaches its task: see io_req_task_queue() */
#define IO_SETUP_TASKRUN	(IORING_SETUP_COOP_TASKRUN | \
				 IORING_SETUP_TASKRUN_FLAG | \
				 IORING_SETUP_DEFER_TASKRUN)
/* what io_uring_enter() looks at more closely: io_enter_check() */
#define IO_SETUP_ENTER_CHECK	(IORING_SETUP_R_DISABLED | \
				 IORING_SETUP_SINGLE_ISSUER | \
				 IORING_SETUP_DEFER_TASKRUN)
#define IORING_SETUP_SUPPORTED	(IO_SETUP_IOPOLL | IO_SETUP_SQPOLL | \
				 IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | \
				 IORING_SETUP_SUBMIT_ALL | IO_SETUP_TASKRUN | \
				 IORING_SETUP_R_DISABLED | \
				 IORING_SETUP_SINGLE_ISSUER)

/* what we promise userspace in io_uring_params.features */
/* series: rw */
#define IO_FEAT_RW		IORING_FEAT_RW_CUR_POS
/* series: end */
/* series: !rw */
#define IO_FEAT_RW		0
/* series: end */
/* series: poll */
#define IO_FEAT_POLL		IORING_FEAT_FAST_POLL
/* series: end */
/* series: !poll */
#define IO_FEAT_POLL		0
/* series: end */
/* series: sqpoll */
#define IO_FEAT_SQPOLL		IORING_FEAT_SQPOLL_NONFIXED
/* series: end */
/* series: !sqpoll */
#define IO_FEAT_SQPOLL		0
/* series: end */
#define IORING_FEATURES		(IORING_FEAT_SINGLE_MMAP | IORING_FEAT_NODROP | \
				 IORING_FEAT_SUBMIT_STABLE | IORING_FEAT_EXT_ARG | \
				 IORING_FEAT_NATIVE_WORKERS | \
				 IORING_FEAT_CUR_PERSONALITY | IORING_FEAT_CQE_SKIP | \
				 IO_FEAT_RW | IO_FEAT_POLL | IO_FEAT_SQPOLL)

/* series: sqpoll */
#define IORING_ENTER_SUPPORTED	(IORING_ENTER_GETEVENTS | IORING_ENTER_SQ_WAKEUP | \
				 IORING_ENTER_SQ_WAIT | IORING_ENTER_EXT_ARG)
/* series: end */
/* series: !sqpoll */
#define IORING_ENTER_SUPPORTED	(IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG)
/* series: end */

/* SQE flags the submission path understands */
/* series: fixed-files */
#define IO_SQE_FIXED_FILE	IOSQE_FIXED_FILE
/* series: end */
/* series: !fixed-files */
#define IO_SQE_FIXED_FILE	0
/* series: end */
/* series: drain */
#define IO_SQE_DRAIN		IOSQE_IO_DRAIN
/* series: end */
/* series: !drain */
#define IO_SQE_DRAIN		0
/* series: end */
/* series: link */
#define IO_SQE_LINKED		IOSQE_LINKED
/* series: end */
/* series: !link */
#define IO_SQE_LINKED		0
/* series: end */
#define IOSQE_SUPPORTED		(IO_SQE_FIXED_FILE | IO_SQE_DRAIN | IOSQE_ASYNC | \
				 IO_SQE_LINKED | IOSQE_CQE_SKIP_SUCCESS)
#define IOSQE_LINKED		(IOSQE_IO_LINK | IOSQE_IO_HARDLINK)

/* series: link */
/* IORING_OP_ASYNC_CANCEL and IORING_REGISTER_SYNC_CANCEL */
#define IO_CANCEL_FLAGS		(IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD | \
				 IORING_ASYNC_CANCEL_ANY | \
				 IORING_ASYNC_CANCEL_FD_FIXED | \
				 IORING_ASYNC_CANCEL_USERDATA | \
				 IORING_ASYNC_CANCEL_OP)

/* series: end */
/* series: sqpoll */
/* SQEs an SQ thread serving several rings takes from one before the next */
#define IO_SQ_FAIR_BATCH	8

/* series: end */
/* series: fixed-files */
#define IORING_MAX_FIXED_FILES	BIT(20)
/* series: fixed-bufs */
#define IORING_MAX_REG_BUFFERS	BIT(14)
/* series: end */

/* series: end */
/*
 * ======================================================================
 * Shared ring memory, requests and the opcode table
 * ======================================================================
 */

/*
 * The memory userspace maps at IORING_OFF_SQ_RING and IORING_OFF_CQ_RING
 * (one mapping serves both).  Its layout is ours: userspace finds every
 * field through the offsets handed out in io_uring_params.  Indices are
 * grouped by writer so the kernel's and the application's stores do not
 * share a cache line.
 */
struct io_rings {
	/* written by the kernel */
	u32			sq_head;
	u32			cq_tail;
	u32			sq_dropped;	/* invalid SQ array entries skipped */
	u32			sq_flags;	/* IORING_SQ_*, set/cleared atomically */
	u32			cq_overflow;	/* CQEs lost for good */
	u32			sq_ring_mask, cq_ring_mask;
	u32			sq_ring_entries, cq_ring_entries;

	/* written by userspace */
	u32			sq_tail ____cacheline_aligned_in_smp;
	u32			cq_head;
	u32			cq_flags;	/* IORING_CQ_* */

	/* then, cache aligned: the CQEs, and the SQ index array */
};

#define IO_CQES_OFFSET	ALIGN(sizeof(struct io_rings), SMP_CACHE_BYTES)

/* series: poll */
#define IO_POLL_HASH_BITS	6

/* series: end */
struct io_kiocb;
struct io_ring_ctx;

/**
 * struct io_op_def - how one opcode is prepared and issued
 * @prep: read the SQE into the request.  It runs at submission, so the SQE
 *	slot may be reused by userspace as soon as io_uring_enter() returns
 *	(IORING_FEAT_SUBMIT_STABLE).
 * @issue: do the work.  Returns 0 when the request is done (req->result is
 *	what its CQE says), -EAGAIN when it would block (with
 *	IO_ISSUE_NONBLOCK), -EIOCBQUEUED when its completion now belongs to
 *	someone else, or another negative errno for the CQE.
 * @prep_async: for a request going straight to a worker: read what the SQE
 *	points to (iovecs) while still in the submitter's context.
 * @cleanup: release what @prep or @issue acquired, when the request is freed.
 * @name: for fdinfo and diagnostics.
 * @needs_file: sqe->fd (or a fixed file index) names the file to work on.
 * @pollin: a read: when a nonblocking attempt says -EAGAIN, wait for the
 *	file to be readable with poll rather than use a worker.
 * @pollout: the same for writes.
 * @always_async: never worth trying inline (it would block anyway).
 * @iopoll: allowed on an IORING_SETUP_IOPOLL ring.
 * @audit: the issue is an auditable event of its own (audit_uring_entry()
 *	and _exit() around it), as 6.1 has it for the opcodes that are not
 *	plain I/O on an already open file: SENDMSG, RECVMSG, ACCEPT,
 *	CONNECT and SHUTDOWN of ours.
 * @ioprio: sqe->ioprio means something; for the others it must be 0.
 * @plug: block I/O: a batch of such requests is plugged, io_submit_sqes().
 * @req_flags: REQ_F_* every request of the opcode starts with, derived
 *	from the above at boot (io_uring_init()), so that submission looks
 *	at the table once.
 */
struct io_op_def {
	int (*prep)(struct io_kiocb *req, const struct io_uring_sqe *sqe);
	int (*issue)(struct io_kiocb *req, unsigned int issue_flags);
	int (*prep_async)(struct io_kiocb *req);
	void (*cleanup)(struct io_kiocb *req);
	const char *name;
	unsigned int needs_file : 1;
	unsigned int pollin : 1;
	unsigned int pollout : 1;
	unsigned int always_async : 1;
	unsigned int iopoll : 1;
	unsigned int audit : 1;
	unsigned int ioprio : 1;
	unsigned int plug : 1;
	u32 req_flags;
};

/* issue_flags */
#define IO_ISSUE_NONBLOCK	1	/* inline: must not sleep on I/O */
#define IO_ISSUE_LOCKED		2	/* the caller holds ctx->uring_lock */

/* req->flags */
enum {
	REQ_F_FIXED_FILE	= BIT(0),	/* IOSQE_FIXED_FILE, same bit */
	REQ_F_NOWAIT		= BIT(1),	/* -EAGAIN is the answer, not a retry */
	REQ_F_CUR_POS		= BIT(2),	/* offset -1: use and move f_pos */
	REQ_F_SB_WRITE		= BIT(3),	/* holds sb write access */
	REQ_F_FORCE_ASYNC	= BIT(4),	/* IOSQE_ASYNC, same bit */
	REQ_F_ISREG		= BIT(5),	/* regular file or block device */
	REQ_F_FILE_NOWAIT	= BIT(6),	/* see io_file_kind() */
	/* creds to take on, an audited op, or one never tried inline */
	REQ_F_SLOW_ISSUE	= BIT(7),
	REQ_F_COUNTED		= BIT(8),	/* in ctx->nr_issued, see drain */
	REQ_F_PREPPED		= BIT(9),	/* ->cleanup(): the op holds something */
	REQ_F_RETRIED		= BIT(10),	/* see io_req_would_block() */
	REQ_F_FAIL		= BIT(11),	/* failed: a link breaks here */
	REQ_F_HARDLINK		= BIT(12),	/* IOSQE_IO_HARDLINK */
	REQ_F_FAIL_ISSUE	= BIT(13),	/* complete with ->result at issue */
	REQ_F_CQE_SKIP		= BIT(14),	/* IOSQE_CQE_SKIP_SUCCESS */
	REQ_F_NO_CQE		= BIT(15),	/* cancelled behind a skipping link */
	REQ_F_LINK_CANCEL	= BIT(16),	/* the chain failed before us */
	REQ_F_LINK_TIMEOUT	= BIT(17),	/* ->link is our LINK_TIMEOUT */
	REQ_F_TIMEOUT_CQE	= BIT(18),	/* not counted by timeouts' off */
	REQ_F_POSTED		= BIT(19),	/* CQE posted already */
	REQ_F_IOPOLL_ASYNC	= BIT(20),	/* counted in ctx->iopoll_async */
	REQ_F_FAIL_LATE		= BIT(21),	/* FAIL_ISSUE that 6.1 finds at issue */
	REQ_F_PLUG		= BIT(22),	/* io_op_def.plug */
	REQ_F_PINNED		= BIT(23),	/* ->epoch is pinned */
};

/* what io_issue_inline() has more to do for than io_issue_nonblock() */
#define REQ_F_ISSUE_MORE (REQ_F_SLOW_ISSUE | REQ_F_FORCE_ASYNC | \
			  REQ_F_FAIL_ISSUE | REQ_F_LINK_TIMEOUT)

/* what io_req_post() has more to do for than writing the CQE */
#define REQ_F_POST_SLOW	(REQ_F_CQE_SKIP | REQ_F_NO_CQE | REQ_F_LINK_TIMEOUT | \
			 REQ_F_TIMEOUT_CQE | REQ_F_POSTED)

/* series: poll */
/* io_arm_poll() */
enum {
	IO_ARM_NO,		/* the file can't be waited for with poll */
	IO_ARM_WAITING,		/* armed: a wakeup retries the request */
	IO_ARM_READY,		/* the file is ready already */
};

/* A single-shot wait for a file to become ready, then a retry. */
struct io_poll_wait {
	struct wait_queue_entry		wait;	/* R, and the head's lock */
	/* A: NULL after POLLFREE, release/acquire; the head is freed after RCU */
	struct wait_queue_head		*head;
};

struct io_poll {
	__poll_t		events;		/* R */
	bool			multi;		/* R: the wait outlives a wakeup */
	unsigned long		claimed;	/* A: owner word, io_poll_take() */
	/* A: events of the wakeups since the owner last looked, atomic_or() */
	atomic_t		woke;
	struct io_poll_wait	w[2];		/* e.g. pipes wait on two heads */
	int			nr_heads;	/* R */
	struct hlist_node	node;		/* C: on ctx->poll_hash[] */
	struct list_head	tnode;		/* T: on tctx->poll_list */
};

/* series: end */
/* series: fixed-files */
/*
 * A request that uses an entry of a registered table (a file, a buffer)
 * takes no reference on the entry: it pins the tables' current epoch,
 * once for all it uses (io_epoch_pin()).  An entry replaced or removed is
 * retired into the current epoch, and the ring moves on to a new one
 * (io_epoch_advance()).  Requests of that epoch or an older one may still
 * use the entry, so it is dropped when the epoch and every older one are
 * done: each epoch holds a reference on the next, put when it goes.
 */
struct io_retired {
	struct io_retired	*next;
	struct file		*file;		/* a slot's file */
	unsigned long		*files;		/* an unregistered table */
	u32			nr_files;
/* series: end */
/* series: fixed-bufs */
	struct io_mapped_buf	**bufs;		/* an unregistered table */
	u32			nr_bufs;
/* series: end */
/* series: fixed-files */
};

struct io_epoch {
	/*
	 * A: the ring's while it is current (and the references it took
	 * ahead, ctx->epoch_cached), one per request pinning it, and the
	 * older epoch's.  The last put drops what was retired into it.
	 */
	atomic_t		refs;
	struct io_epoch		*next;		/* U: set when it is left */
	struct io_retired	*retired;	/* U while current */
};

/* series: end */
/* series: fixed-bufs */
struct io_mapped_buf {
	u64		ubuf;		/* user address it was registered at */
	size_t		len;
	unsigned long	acct_pages;	/* charged to RLIMIT_MEMLOCK */
	unsigned int	nr_bvecs;
	struct bio_vec	bvec[];
};

/* series: end */
/* series: rw */
struct io_rw {
	struct kiocb		kiocb;
	u64			addr;
	u32			len;
	u16			buf_index;
	rwf_t			rw_flags;
	size_t			done;		/* bytes moved by earlier attempts */
	size_t			total;		/* bytes asked for */
	refcount_t		refs;		/* the issuer's and ->ki_complete()'s */
	loff_t			pos;		/* ki_pos to start an attempt at */
/* series: fixed-bufs */
	struct io_mapped_buf	*imu;		/* READ_FIXED / WRITE_FIXED */
/* series: end */
	struct iovec		*free_iov;	/* imported iovec beyond fast_iov */
	struct iovec		fast_iov[UIO_FASTIOV];
	struct iov_iter		iter;
	struct iov_iter_state	state;
	bool			imported;
	bool			iov_failed;	/* the iovec array did not import */
};

struct io_sync {
	loff_t			off;
	loff_t			len;
	u32			flags;	/* fsync_flags or sync_range_flags */
};

/* series: end */
/* series: poll */
/* IORING_OP_POLL_ADD, single-shot; IORING_OP_POLL_REMOVE */
struct io_poll_op {
	__poll_t		events;	/* POLL_ADD: what to wait for */
	u64			target;	/* POLL_REMOVE: user_data of the poll */
	u32			flags;	/* IORING_POLL_* */
	u64			new_user_data;	/* IORING_POLL_UPDATE_USER_DATA */
};

/* series: end */
/* series: link */
/*
 * IORING_OP_TIMEOUT and IORING_OP_LINK_TIMEOUT.  Whoever sets bit 0 of
 * @claimed completes the request: the timer, a count reached, a remove or
 * a cancel, or (LINK_TIMEOUT) the completion of the request it bounds.
 */
struct io_timeout {
	struct hrtimer		timer;		/* C: started and re-armed */
	unsigned long		claimed;	/* A: test_and_set_bit() */
	ktime_t			expires;	/* R */
	enum hrtimer_mode	mode;		/* R */
	clockid_t		clock;		/* R */
	u32			flags;		/* R: IORING_TIMEOUT_* */
	u32			off;		/* C: CQEs to wait for; 0: time only */
	u32			base;		/* C: io_seq() when issued */
	bool			armed;		/* C: on timeout_list, timer started */
	struct list_head	list;		/* C: on ctx->timeout_list */
	/* C: LINK_TIMEOUT: the request it bounds, until that completes */
	struct io_kiocb		*head;
};

/* IORING_OP_TIMEOUT_REMOVE */
struct io_timeout_rem {
	u64			target;		/* user_data of the timeout */
	u32			flags;
	ktime_t			expires;	/* IORING_TIMEOUT_UPDATE */
};

/* IORING_OP_ASYNC_CANCEL */
struct io_cancel_op {
	u64			data;
	u32			flags;		/* IORING_ASYNC_CANCEL_* */
	u32			opcode;		/* IORING_ASYNC_CANCEL_OP */
	s32			fd;		/* IORING_ASYNC_CANCEL_FD */
};

/* series: end */
/* series: fixed-files */
/* IORING_OP_FILES_UPDATE: IORING_REGISTER_FILES_UPDATE as a request */
struct io_files_up {
	u64			arg;	/* __s32 fds[nr] */
	u32			offset;	/* or IORING_FILE_INDEX_ALLOC */
	u32			nr;
};

/* series: end */
/* series: net */
/*
 * What SENDMSG and RECVMSG read from the user's msghdr at their first
 * issue, in the submitter's context, and keep across attempts: so the
 * msghdr and its iovecs may change as soon as the submission returned
 * (IORING_FEAT_SUBMIT_STABLE).  SEND keeps sendto()'s address here too.
 */
struct io_msg_state {
	struct msghdr		msg;		/* R: the iterator moves on */
	struct sockaddr_storage	addr;		/* R: a send's destination */
	struct sockaddr __user	*uaddr;		/* R: RECVMSG: where the source goes */
	/* R: ____sys_sendmsg() repoints msg_control; each attempt restores it */
	void __user		*control;
	__kernel_size_t		controllen;	/* R */
	struct iovec		*free_iov;	/* R: iovecs beyond fast_iov */
	struct iovec		fast_iov[UIO_FASTIOV];
};

/* SENDMSG, RECVMSG, SEND, RECV */
struct io_sr {
	void __user		*ubuf;		/* R: the buffer, or the msghdr */
	u32			len;		/* R: SEND, RECV: of ubuf */
	u32			msg_flags;	/* R: MSG_* for every attempt */
	u16			flags;		/* R: IORING_RECVSEND_* still to do */
	u16			addr_len;	/* R: SEND: of addr */
	u32			done;		/* R: moved by earlier attempts */
	void __user		*addr;		/* R: SEND: sendto()'s address */
	struct io_msg_state	*ms;		/* R: freed by io_sr_cleanup() */
};

/* ACCEPT */
struct io_accept {
	struct sockaddr __user	*addr;		/* R: the peer's address goes here */
	int __user		*addr_len;	/* R */
	int			flags;		/* R: O_NONBLOCK, O_CLOEXEC */
	u32			file_index;	/* R: 0, slot + 1, or _ALLOC */
};

/* CONNECT */
struct io_connect {
	struct sockaddr_storage	addr;		/* R: copied at the first issue */
	struct sockaddr __user	*uaddr;		/* R */
	int			addr_len;	/* R */
	bool			copied;		/* R: addr holds uaddr's copy */
	bool			in_progress;	/* R: an attempt said -EINPROGRESS */
	bool			aborted;	/* R: one said -ECONNABORTED */
};

/* SOCKET */
struct io_socket {
	int			domain;		/* R */
	int			type;		/* R: with SOCK_NONBLOCK, _CLOEXEC */
	int			protocol;	/* R */
	u32			file_index;	/* R: 0, slot + 1, or _ALLOC */
};

/* series: end */
/* A task that has submitted to a ring: what ring teardown must reach. */
struct io_tctx_node {
	struct list_head	node;		/* U: on ctx->tctx_list */
	struct list_head	tnode;		/* M: on tctx->ctx_nodes */
	struct io_uring_task	*tctx;		/* we hold a reference */
	struct io_ring_ctx	*ctx;		/* I: freed after unlinking */
};

struct io_uring_task;

/*
 * What follows a completion in the submitter's context: see
 * io_req_task_queue().  @cancel: the request must not be issued again
 * (the task is exiting or exec'ing, or the ring is going away); what
 * already happened is still reported.
 */
typedef void (*io_tw_func_t)(struct io_kiocb *req, bool cancel);

struct io_kiocb {
	/* R, all of them unless marked: set at submission, read by each owner */
	struct io_ring_ctx	*ctx;		/* we hold a reference on refs */
	struct io_uring_task	*tctx;		/* the submitter's; counted in inflight */
	struct file		*file;		/* a reference, or the epoch's */
	const struct cred	*creds;		/* a reference; NULL: the issuer's */
/* series: fixed-files */
	struct io_epoch		*epoch;		/* with REQ_F_PINNED */
/* series: end */
	u64			user_data;
	u8			opcode;
	u8			sqe_flags;
	u32			flags;		/* REQ_F_* */
	s32			result;
	u32			cflags;
	/* R, and the lock of the list: iopoll (U), work (T), defer (C) */
	struct list_head	list;
	/* U: the batch of CQEs to post, or free (C on ctx->locked_free) */
	struct io_kiocb		*next;
/* series: link */
	/*
	 * R: the next request of an IOSQE_IO_LINK chain, which this one holds
	 * until its CQE; C while it may be our LINK_TIMEOUT, which can cut
	 * itself out (io_link_timeout_tw()).
	 */
	struct io_kiocb		*link;
/* series: end */
/* series: drain */
	u32			drain_need;	/* deferred until nr_done reaches it */
/* series: end */
/* series: rw */
	long			iopoll_res;	/* A: see io_rw_complete_iopoll() */
	bool			iopoll_done;	/* A: release/acquire, with the above */
/* series: end */
	struct llist_node	tw_node;	/* A: llist, see io_req_task_queue() */
	io_tw_func_t		tw_func;	/* A: set before tw_node is added */
/* series: poll */
	struct io_poll		poll;
/* series: end */
	union {
/* series: rw */
		struct io_rw		rw;
		struct io_sync		sync;
/* series: end */
/* series: fixed-files */
		struct io_files_up	files_up;
/* series: end */
/* series: poll */
		struct io_poll_op	poll_op;
/* series: end */
/* series: link */
		struct io_timeout	timeout;
		struct io_timeout_rem	timeout_rem;
		struct io_cancel_op	cancel_op;
/* series: end */
/* series: net */
		struct io_sr		sr;
		struct io_accept	accept;
		struct io_connect	connect;
		struct io_socket	sock;
		int			shutdown_how;	/* SHUTDOWN */
/* series: end */
	};
};

/*
 * What a task that submits to io_uring carries (current->io_uring): its
 * async workers, threads of its own made with create_io_thread(), and the
 * count of its requests in flight, which exit and exec wait to reach zero.
 */
struct io_uring_task {
	refcount_t		refs;		/* the task's and each worker's */
	struct task_struct	*task;		/* I */
	spinlock_t		lock;
	struct list_head	work;		/* T: requests for a worker */
	struct list_head	workers;	/* T: struct io_worker */
	unsigned int		nr_workers;	/* T; exec waits on it with READ_ONCE() */
	unsigned int		nr_idle;	/* T */
	unsigned int		nr_unbounded;	/* T: running io_req_unbounded() work */
	unsigned int		max_workers;	/* I: for bounded work */
	/* T: exit/exec: no new work; also read with READ_ONCE() as a hint */
	bool			dying;
	/* T, and READ_ONCE() once inflight dropped: see io_tctx_inflight_put() */
	bool			exited;
/* series: poll */
	struct list_head	poll_list;	/* T: its requests waiting in poll */
/* series: end */
	struct llist_head	tw_list;	/* A: llist, see io_req_task_queue() */
	struct callback_head	tw_cb;		/* A: queued when tw_list filled up */
	/* A: bit 0 set while tw_cb is queued or running, io_tctx_tw_run() */
	unsigned long		tw_armed;
	struct mutex		ctx_lock;	/* M: the rings it submits to */
	struct list_head	ctx_nodes;	/* M: struct io_tctx_node */
	atomic_t		inflight;	/* A: requests not yet freed, + cached */
	u32			cached;		/* A: the task's alone: io_tctx_get_many() */
	wait_queue_head_t	wait;		/* A: inflight and workers drop */
	u64			last_ctx_id;	/* A: the task's alone, io_ctx_add_tctx() */
	struct work_struct	exit_work;	/* A: set up before inflight can drop */
};

struct io_worker {
	struct list_head	node;		/* T: on tctx->workers */
	/* A: set before the thread runs, read once it went idle or took work */
	struct task_struct	*task;
	struct io_uring_task	*tctx;		/* I */
	struct io_kiocb		*cur;		/* T: being run now */
	bool			idle;		/* T */
	bool			unbounded;	/* T: cur counts in nr_unbounded */
	/* T, read by the worker: cur was interrupted by a teardown cancel */
	bool			teardown;
};

/*
 * The IOSQE_IO_LINK chain io_submit_sqes() is putting together: each
 * request holds the next one in ->link until its own CQE, then issues it,
 * or cancels it if it failed (io_req_queue_next()).
 */
struct io_submit_link {
	struct io_kiocb		*head;
	struct io_kiocb		*last;
	u32			nr;
};

struct io_ring_ctx {
	/* shared memory and its geometry */
	struct io_rings		*rings;		/* I */
	u32			*sq_array;	/* I */
	struct io_uring_cqe	*cqes;		/* I */
	struct io_uring_sqe	*sq_sqes;	/* I */
	size_t			rings_size;	/* I */
	size_t			sqes_size;	/* I */
	u32			sq_entries;	/* I */
	u32			cq_entries;	/* I */
	u32			flags;		/* I: IORING_SETUP_* */
	u64			ops;		/* I: opcodes it takes, io_ring_ops() */
	bool			compat;		/* I: set up by a compat task */
	/*
	 * A, release/acquire: IORING_SETUP_R_DISABLED until
	 * IORING_REGISTER_ENABLE_RINGS (U), which may set submitter first
	 */
	bool			disabled;
	/* I, or U until disabled is cleared: IORING_SETUP_SINGLE_ISSUER's */
	struct task_struct	*submitter;

	struct user_struct	*user;		/* I: NULL if CAP_IPC_LOCK */
	/* A: one per request allocated, in flight or cached; io_req_cache_drain() */
	struct percpu_ref	refs;
	struct completion	ref_done;	/* A: refs reached zero */

	struct mutex		uring_lock;	/* U: the submission side */
	u32			cached_sq_head;	/* U: next SQ entry to consume */
	/* U: completions of this batch, in order, linked by ->next */
	struct io_kiocb		*compl_head;
	struct io_kiocb		**compl_tail;	/* U: &->next of the last */
	struct io_kiocb		*free_reqs;	/* U: requests to reuse, a stack */
	/*
	 * U: io_submit_sqes()'s, here rather than on its stack, which
	 * CONFIG_INIT_STACK_ALL_ZERO would clear on every call
	 */
	struct io_submit_link	submit_link;	/* head NULL between calls */
	struct blk_plug		plug;
/* series: fixed-files */
	unsigned long		*files;		/* U: see IO_SLOT_BITS */
	u32			nr_files;	/* U */
	u32			file_alloc_hint; /* U: where to look for a free slot */
	/* U: the slots IORING_FILE_INDEX_ALLOC picks from, [start, end) */
	u32			file_alloc_start;
	u32			file_alloc_end;
	struct io_epoch		*epoch;		/* U: the tables', see io_epoch */
	int			epoch_cached;	/* U: its references taken ahead */
/* series: end */
/* series: fixed-bufs */
	struct io_mapped_buf	**bufs;		/* U: registered buffers */
	u32			nr_bufs;	/* U */
/* series: end */
	struct list_head	tctx_list;	/* U: struct io_tctx_node */
/* series: personality */
	struct xarray		personalities;	/* U: creds, by sqe->personality */
	u32			pers_next;	/* U: where the id search goes on */
/* series: end */
/* series: iopoll */
	struct list_head	iopoll_list;	/* U: IOPOLL requests issued */
	/* A: IOPOLL requests with a worker, not on iopoll_list yet */
	atomic_t		iopoll_async;
/* series: end */
	u32			nr_issued;	/* U: requests counted for drain */
/* series: drain */
	u32			drain_until;	/* U: nr_done new requests wait for */
	bool			drain_active;	/* U: drain_until applies */
	bool			drain_next;	/* U: drain the next request too */
	bool			drain_disabled;	/* U: CQE_SKIP_SUCCESS was used */
/* series: end */
	u64			id;		/* I: unique, unlike the address */

	spinlock_t		completion_lock; /* C: the CQ side; irq-safe */
	u32			cached_cq_tail;	/* C: next CQE slot to fill */
	struct list_head	overflow_list;	/* C: CQEs waiting for room */
	struct io_kiocb		*locked_free;	/* C: freed without uring_lock */
	bool			cq_dropped;	/* C, peeked at unlocked: see -EBADR */
/* series: eventfd */
	struct eventfd_ctx __rcu *evfd;	/* C, readers under RCU */
	bool			evfd_async;	/* C: only for async completions */
	/* A: a signal from inside an eventfd's own wakeup, sent from here */
	struct work_struct	evfd_work;
/* series: end */
/* series: poll */
	/* C: requests waiting in poll, by user_data */
	struct hlist_head	poll_hash[1 << IO_POLL_HASH_BITS];
/* series: end */
	u32			nr_done;	/* C: counted requests completed */
/* series: link */
	struct list_head	timeout_list;	/* C: armed timeouts */
/* series: end */
	u32			nr_seq_timeouts; /* C: those of them with an off */
/* series: link */
	/* C, and READ_ONCE() by waiters: CQEs of timeouts, see io_seq() */
	u32			cq_timeouts;
	u32			cq_seq_last;	/* C: see io_seq() */
/* series: end */
/* series: drain */
	struct list_head	defer_list;	/* C: held back by IOSQE_IO_DRAIN */
/* series: end */

	/* task_work of requests whose task can run no more of it */
	struct llist_head	fallback_list;	/* A: llist */
	struct work_struct	fallback_work;
	/* A: llist; IORING_SETUP_DEFER_TASKRUN: see io_req_local_queue() */
	struct llist_head	local_list;

	wait_queue_head_t	cq_wait;	/* A: io_uring_enter() waiters */
	wait_queue_head_t	poll_wait;	/* A: poll(2) on the ring fd */
	/* A: set by the first io_uring_poll(), never cleared; io_ring_polled() */
	bool			polled;
	struct work_struct	poll_work;	/* A: io_local_notify() */

	struct work_struct	exit_work;
/* series: sqpoll */

	/* IORING_SETUP_SQPOLL */
	struct io_sq_data	*sqd;		/* I: the thread submitting for us */
	struct list_head	sqd_node;	/* S: on sqd->ctx_list */
	const struct cred	*sq_creds;	/* I: the setup task's, we submit with them */
	unsigned long		sq_idle;	/* I: jiffies without work before it sleeps */
	wait_queue_head_t	sq_room_wait;	/* A: IORING_ENTER_SQ_WAIT waiters */
/* series: end */
};

/* series: sqpoll */
/*
 * An SQ thread and the rings it submits for: one, or several of one
 * process that share it with IORING_SETUP_ATTACH_WQ.  The thread is an
 * io thread of the process that set the first ring up, so it has that
 * process's mm, files and fs; it acts with each ring's sq_creds.
 */
struct io_sq_data {
	refcount_t		refs;		/* one per ring, one for the thread */
	struct mutex		lock;
	struct list_head	ctx_list;	/* S: struct io_ring_ctx */
	/* S to change; READ_ONCE() elsewhere: NULL once the thread exited */
	struct task_struct	*thread;
	wait_queue_head_t	wait;		/* A: where the idle thread sleeps */
	unsigned long		idle;		/* S: the longest of the rings' sq_idle */
	bool			stop;		/* S: the last ring is gone */
	int			cpu;		/* I: IORING_SETUP_SQ_AFF, or -1 */
	pid_t			pid;		/* I: of the task that set it up */
	pid_t			tgid;		/* I: only its process may share it */
};

/* series: end */
struct io_overflow_cqe {
	struct list_head	list;
	struct io_uring_cqe	cqe;
};

static int io_nop_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
static int io_nop(struct io_kiocb *req, unsigned int issue_flags);
/* series: rw */
static int io_rw_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
static int io_read(struct io_kiocb *req, unsigned int issue_flags);
static int io_write(struct io_kiocb *req, unsigned int issue_flags);
static void io_rw_cleanup(struct io_kiocb *req);
static int io_read_prep_async(struct io_kiocb *req);
static int io_write_prep_async(struct io_kiocb *req);
static int io_fsync_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
static int io_fsync(struct io_kiocb *req, unsigned int issue_flags);
static int io_sfr_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
static int io_sfr(struct io_kiocb *req, unsigned int issue_flags);
/* series: end */
/* series: fixed-files */
static int io_files_update_prep(struct io_kiocb *req,
				const struct io_uring_sqe *sqe);
static int io_files_update_op(struct io_kiocb *req, unsigned int issue_flags);
/* series: end */
/* series: net */
static int io_sr_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
static int io_sendmsg(struct io_kiocb *req, unsigned int issue_flags);
static int io_recvmsg(struct io_kiocb *req, unsigned int issue_flags);
static int io_send(struct io_kiocb *req, unsigned int issue_flags);
static int io_recv(struct io_kiocb *req, unsigned int issue_flags);
static int io_msg_prep_async(struct io_kiocb *req);
static int io_send_prep_async(struct io_kiocb *req);
static void io_sr_cleanup(struct io_kiocb *req);
static int io_accept_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
static int io_accept(struct io_kiocb *req, unsigned int issue_flags);
static int io_connect_prep(struct io_kiocb *req,
			   const struct io_uring_sqe *sqe);
static int io_connect(struct io_kiocb *req, unsigned int issue_flags);
static int io_connect_prep_async(struct io_kiocb *req);
static int io_shutdown_prep(struct io_kiocb *req,
			    const struct io_uring_sqe *sqe);
static int io_shutdown(struct io_kiocb *req, unsigned int issue_flags);
static int io_socket_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
static int io_socket(struct io_kiocb *req, unsigned int issue_flags);
/* series: end */
/* series: poll */
static int io_poll_add_prep(struct io_kiocb *req,
			    const struct io_uring_sqe *sqe);
static int io_poll_add(struct io_kiocb *req, unsigned int issue_flags);
static int io_poll_remove_prep(struct io_kiocb *req,
			       const struct io_uring_sqe *sqe);
static int io_poll_remove(struct io_kiocb *req, unsigned int issue_flags);
/* series: end */
/* series: link */
static int io_timeout_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe);
static int io_link_timeout_prep(struct io_kiocb *req,
				const struct io_uring_sqe *sqe);
static int io_timeout_op(struct io_kiocb *req, unsigned int issue_flags);
static void io_timeout_cleanup(struct io_kiocb *req);
static int io_timeout_remove_prep(struct io_kiocb *req,
				  const struct io_uring_sqe *sqe);
static int io_timeout_remove(struct io_kiocb *req, unsigned int issue_flags);
static int io_async_cancel_prep(struct io_kiocb *req,
				const struct io_uring_sqe *sqe);
static int io_async_cancel(struct io_kiocb *req, unsigned int issue_flags);
/* series: end */

/*
 * One row per opcode; an opcode without a row is refused with -EINVAL.
 * IO_OP_DEFS rows, a power of two: io_init_req() keeps even a mispredicted
 * bound check inside the table with a mask, one instruction where
 * array_index_nospec() takes four; the rows past IORING_OP_LAST are empty.
 */
#define IO_OP_DEFS	64

static struct io_op_def io_op_defs[IO_OP_DEFS] __ro_after_init = {
	[IORING_OP_NOP] = {
		.name		= "NOP",
		.iopoll		= 1,
		.prep		= io_nop_prep,
		.issue		= io_nop,
	},
/* series: rw */
	[IORING_OP_READV] = {
		.name		= "READV",
		.iopoll		= 1,
		.ioprio		= 1,
		.plug		= 1,
		.prep		= io_rw_prep,
		.issue		= io_read,
		.prep_async	= io_read_prep_async,
		.cleanup	= io_rw_cleanup,
		.needs_file	= 1,
		.pollin		= 1,
	},
	[IORING_OP_WRITEV] = {
		.name		= "WRITEV",
		.iopoll		= 1,
		.ioprio		= 1,
		.plug		= 1,
		.prep		= io_rw_prep,
		.issue		= io_write,
		.prep_async	= io_write_prep_async,
		.cleanup	= io_rw_cleanup,
		.needs_file	= 1,
		.pollout	= 1,
	},
	[IORING_OP_FSYNC] = {
		.name		= "FSYNC",
		.prep		= io_fsync_prep,
		.issue		= io_fsync,
		.needs_file	= 1,
		.always_async	= 1,
	},
/* series: end */
/* series: poll */
	[IORING_OP_POLL_ADD] = {
		.name		= "POLL_ADD",
		.prep		= io_poll_add_prep,
		.issue		= io_poll_add,
		.needs_file	= 1,
	},
	[IORING_OP_POLL_REMOVE] = {
		.name		= "POLL_REMOVE",
		.prep		= io_poll_remove_prep,
		.issue		= io_poll_remove,
	},
/* series: end */
/* series: fixed-bufs */
	[IORING_OP_READ_FIXED] = {
		.name		= "READ_FIXED",
		.iopoll		= 1,
		.ioprio		= 1,
		.plug		= 1,
		.prep		= io_rw_prep,
		.issue		= io_read,
		.prep_async	= io_read_prep_async,
		.cleanup	= io_rw_cleanup,
		.needs_file	= 1,
		.pollin		= 1,
	},
	[IORING_OP_WRITE_FIXED] = {
		.name		= "WRITE_FIXED",
		.iopoll		= 1,
		.ioprio		= 1,
		.plug		= 1,
		.prep		= io_rw_prep,
		.issue		= io_write,
		.prep_async	= io_write_prep_async,
		.cleanup	= io_rw_cleanup,
		.needs_file	= 1,
		.pollout	= 1,
	},
/* series: end */
/* series: rw */
	[IORING_OP_SYNC_FILE_RANGE] = {
		.name		= "SYNC_FILE_RANGE",
		.prep		= io_sfr_prep,
		.issue		= io_sfr,
		.needs_file	= 1,
		.always_async	= 1,
	},
/* series: end */
/* series: net */
	[IORING_OP_SENDMSG] = {
		.name		= "SENDMSG",
		.ioprio		= 1,
		.prep		= io_sr_prep,
		.issue		= io_sendmsg,
		.prep_async	= io_msg_prep_async,
		.cleanup	= io_sr_cleanup,
		.needs_file	= 1,
		.pollout	= 1,
		.audit		= 1,
	},
	[IORING_OP_RECVMSG] = {
		.name		= "RECVMSG",
		.ioprio		= 1,
		.prep		= io_sr_prep,
		.issue		= io_recvmsg,
		.prep_async	= io_msg_prep_async,
		.cleanup	= io_sr_cleanup,
		.needs_file	= 1,
		.pollin		= 1,
		.audit		= 1,
	},
/* series: end */
/* series: link */
	[IORING_OP_TIMEOUT] = {
		.name		= "TIMEOUT",
		.prep		= io_timeout_prep,
		.issue		= io_timeout_op,
		.cleanup	= io_timeout_cleanup,
	},
	[IORING_OP_TIMEOUT_REMOVE] = {
		.name		= "TIMEOUT_REMOVE",
		.prep		= io_timeout_remove_prep,
		.issue		= io_timeout_remove,
	},
/* series: end */
/* series: net */
	[IORING_OP_ACCEPT] = {
		.name		= "ACCEPT",
		.ioprio		= 1,
		.prep		= io_accept_prep,
		.issue		= io_accept,
		.needs_file	= 1,
		.pollin		= 1,
		.audit		= 1,
	},
/* series: end */
/* series: link */
	[IORING_OP_ASYNC_CANCEL] = {
		.name		= "ASYNC_CANCEL",
		.prep		= io_async_cancel_prep,
		.issue		= io_async_cancel,
	},
	[IORING_OP_LINK_TIMEOUT] = {
		/* never issued: it rides on the request before it */
		.name		= "LINK_TIMEOUT",
		.prep		= io_link_timeout_prep,
		.cleanup	= io_timeout_cleanup,
	},
/* series: end */
/* series: net */
	[IORING_OP_CONNECT] = {
		.name		= "CONNECT",
		.prep		= io_connect_prep,
		.issue		= io_connect,
		.prep_async	= io_connect_prep_async,
		.needs_file	= 1,
		.pollout	= 1,
		.audit		= 1,
	},
/* series: end */
/* series: rw */
	[IORING_OP_READ] = {
		.name		= "READ",
		.iopoll		= 1,
		.ioprio		= 1,
		.plug		= 1,
		.prep		= io_rw_prep,
		.issue		= io_read,
		.prep_async	= io_read_prep_async,
		.cleanup	= io_rw_cleanup,
		.needs_file	= 1,
		.pollin		= 1,
	},
	[IORING_OP_WRITE] = {
		.name		= "WRITE",
		.iopoll		= 1,
		.ioprio		= 1,
		.plug		= 1,
		.prep		= io_rw_prep,
		.issue		= io_write,
		.prep_async	= io_write_prep_async,
		.cleanup	= io_rw_cleanup,
		.needs_file	= 1,
		.pollout	= 1,
	},
/* series: end */
/* series: fixed-files */
	[IORING_OP_FILES_UPDATE] = {
		.name		= "FILES_UPDATE",
		.iopoll		= 1,
		.prep		= io_files_update_prep,
		.issue		= io_files_update_op,
	},
/* series: end */
/* series: net */
	[IORING_OP_SEND] = {
		.name		= "SEND",
		.ioprio		= 1,
		.prep		= io_sr_prep,
		.issue		= io_send,
		.prep_async	= io_send_prep_async,
		.cleanup	= io_sr_cleanup,
		.needs_file	= 1,
		.pollout	= 1,
	},
	[IORING_OP_RECV] = {
		.name		= "RECV",
		.ioprio		= 1,
		.prep		= io_sr_prep,
		.issue		= io_recv,
		.cleanup	= io_sr_cleanup,
		.needs_file	= 1,
		.pollin		= 1,
	},
	[IORING_OP_SHUTDOWN] = {
		.name		= "SHUTDOWN",
		.prep		= io_shutdown_prep,
		.issue		= io_shutdown,
		.needs_file	= 1,
		.audit		= 1,
	},
	[IORING_OP_SOCKET] = {
		.name		= "SOCKET",
		.prep		= io_socket_prep,
		.issue		= io_socket,
	},
/* series: end */
};

static const struct file_operations io_uring_fops;
static struct kmem_cache *req_cachep;
static atomic64_t io_ctx_ids = ATOMIC64_INIT(0);

static inline void io_cqring_ev_posted(struct io_ring_ctx *ctx);
static inline void io_cqring_wake(struct io_ring_ctx *ctx);
/* series: eventfd */
static void io_eventfd_signal(struct io_ring_ctx *ctx);
static bool io_eventfd_woke(struct io_ring_ctx *ctx, struct io_kiocb *req);
/* series: end */
static void io_put_cqe(struct io_ring_ctx *ctx, u64 user_data, s32 res,
		       u32 cflags);
static u32 io_cq_room(struct io_ring_ctx *ctx);
static bool io_fill_cqe(struct io_ring_ctx *ctx, u64 user_data, s32 res,
			u32 cflags);
static void io_commit_cqring(struct io_ring_ctx *ctx);
static void io_req_complete(struct io_kiocb *req, s32 res);
/* series: drain */
static void io_defer_take_ready(struct io_ring_ctx *ctx,
				struct list_head *ready);
static void io_defer_queue(struct list_head *ready);
/* series: end */
static void io_fallback_work(struct work_struct *work);
static void io_poll_wait_work(struct work_struct *work);
/* series: eventfd */
static void io_eventfd_work(struct work_struct *work);
/* series: end */
static void io_queue_async(struct io_kiocb *req);
/* series: poll */
static int io_arm_poll(struct io_kiocb *req);
/* series: end */
static void io_tctx_put(struct io_uring_task *tctx);
/* series: fixed-bufs */
static void io_bufs_free(struct io_ring_ctx *ctx, struct io_mapped_buf **bufs,
			 u32 nr);
/* series: end */
/* series: net */
static int io_file_slot_install(struct io_kiocb *req, struct file *file,
				u32 file_index, unsigned int issue_flags);
/* series: end */
/* series: sqpoll */
static int io_sq_setup(struct io_ring_ctx *ctx, struct io_uring_params *p);
static void io_sq_detach(struct io_ring_ctx *ctx);
static int io_sq_enter(struct io_ring_ctx *ctx, u32 flags);
/* series: end */

/*
 * ======================================================================
 * Setup and mmap
 * ======================================================================
 */

/* series: fixed-files */
static int io_unregister_files(struct io_ring_ctx *ctx, bool teardown);
static void io_epoch_exit(struct io_ring_ctx *ctx);
/* series: fixed-bufs */
static int io_unregister_buffers(struct io_ring_ctx *ctx, bool teardown);
/* series: end */
/* series: link */
static int io_sync_cancel(struct io_ring_ctx *ctx, void __user *arg);
/* series: end */

/* series: end */
static size_t io_rings_size(u32 sq_entries, u32 cq_entries, size_t *sq_off)
{
	size_t off;

	/* size_add() and array_size() saturate: SIZE_MAX is refused */
	off = size_add(IO_CQES_OFFSET,
		       array_size(sizeof(struct io_uring_cqe), cq_entries));
	if (off == SIZE_MAX)
		return SIZE_MAX;
	off = ALIGN(off, SMP_CACHE_BYTES);
	*sq_off = off;
	return size_add(off, array_size(sizeof(u32), sq_entries));
}

/* Zeroed, memcg-accounted memory that io_uring_mmap() can map to userspace. */
static void *io_alloc_shared(size_t size)
{
	return __vmalloc_node_range(size, SHMLBA, VMALLOC_START, VMALLOC_END,
				    GFP_KERNEL_ACCOUNT | __GFP_ZERO, PAGE_KERNEL,
				    VM_USERMAP, NUMA_NO_NODE,
				    __builtin_return_address(0));
}

static void io_ring_ctx_ref_free(struct percpu_ref *ref)
{
	struct io_ring_ctx *ctx = container_of(ref, struct io_ring_ctx, refs);

	complete(&ctx->ref_done);
}

/* Free a stack of cached requests; returns how many there were. */
static u32 io_free_req_stack(struct io_kiocb *req)
{
	u32 nr = 0;

	while (req) {
		struct io_kiocb *next = req->next;

		kmem_cache_free(req_cachep, req);
		req = next;
		nr++;
	}
	return nr;
}

static void io_ring_ctx_free(struct io_ring_ctx *ctx)
{
	struct io_overflow_cqe *ocqe, *tmp;
	struct io_tctx_node *node, *next;
/* series: personality */
	const struct cred *creds;
	unsigned long index;
/* series: end */

/* series: sqpoll */
	if (ctx->sqd)
		io_sq_detach(ctx);
/* series: end */
	list_for_each_entry_safe(node, next, &ctx->tctx_list, node) {
		mutex_lock(&node->tctx->ctx_lock);
		list_del(&node->tnode);
		mutex_unlock(&node->tctx->ctx_lock);
		io_tctx_put(node->tctx);
		kfree(node);
	}
/* series: fixed-files */
	io_unregister_files(ctx, true);
/* series: end */
/* series: fixed-bufs */
	io_unregister_buffers(ctx, true);
/* series: end */
/* series: fixed-files */
	io_epoch_exit(ctx);
/* series: end */
/* series: personality */
	xa_for_each(&ctx->personalities, index, creds)
		put_cred(creds);
	xa_destroy(&ctx->personalities);
/* series: end */
	list_for_each_entry_safe(ocqe, tmp, &ctx->overflow_list, list)
		kfree(ocqe);
	io_free_req_stack(ctx->free_reqs);
	io_free_req_stack(ctx->locked_free);
/* series: eventfd */
	if (rcu_access_pointer(ctx->evfd))
		eventfd_ctx_put(rcu_access_pointer(ctx->evfd));
/* series: end */
	vfree(ctx->rings);
	vfree(ctx->sq_sqes);
	if (ctx->submitter)
		put_task_struct(ctx->submitter);
	free_uid(ctx->user);	/* NULL for CAP_IPC_LOCK, which is fine */
	percpu_ref_exit(&ctx->refs);
	kfree(ctx);
}

/*
 * The opcodes a ring takes, one bit each: those with a row in io_op_defs,
 * and on an IOPOLL ring only those that can be polled for.
 */
static u64 io_ring_ops(struct io_ring_ctx *ctx)
{
	u64 ops = 0;
	int op;

	for (op = 0; op < IORING_OP_LAST; op++) {
		if (!io_op_defs[op].prep)
			continue;
/* series: iopoll */
		if ((ctx->flags & IORING_SETUP_IOPOLL) && !io_op_defs[op].iopoll)
			continue;
/* series: end */
		ops |= BIT_ULL(op);
	}
	return ops;
}

static struct io_ring_ctx *io_ring_ctx_alloc(struct io_uring_params *p)
{
	struct io_ring_ctx *ctx;
	size_t sq_off;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return NULL;
	if (percpu_ref_init(&ctx->refs, io_ring_ctx_ref_free, 0, GFP_KERNEL)) {
		kfree(ctx);
		return NULL;
	}
	init_completion(&ctx->ref_done);
	mutex_init(&ctx->uring_lock);
	spin_lock_init(&ctx->completion_lock);
	ctx->compl_tail = &ctx->compl_head;
	INIT_LIST_HEAD(&ctx->overflow_list);
/* series: link */
	INIT_LIST_HEAD(&ctx->timeout_list);
/* series: end */
	INIT_LIST_HEAD(&ctx->tctx_list);
/* series: iopoll */
	INIT_LIST_HEAD(&ctx->iopoll_list);
/* series: end */
/* series: drain */
	INIT_LIST_HEAD(&ctx->defer_list);
/* series: end */
	ctx->id = atomic64_inc_return(&io_ctx_ids);
	init_waitqueue_head(&ctx->cq_wait);
	init_waitqueue_head(&ctx->poll_wait);
/* series: sqpoll */
	init_waitqueue_head(&ctx->sq_room_wait);
/* series: end */
	ctx->flags = p->flags;
	ctx->ops = io_ring_ops(ctx);
	ctx->compat = in_compat_syscall();
	ctx->disabled = p->flags & IORING_SETUP_R_DISABLED;
	if ((p->flags & IORING_SETUP_SINGLE_ISSUER) && !ctx->disabled)
		ctx->submitter = get_task_struct(current);
/* series: personality */
	/* ids from 1: sqe->personality 0 means none */
	xa_init_flags(&ctx->personalities, XA_FLAGS_ALLOC1);
/* series: end */
	INIT_WORK(&ctx->fallback_work, io_fallback_work);
	INIT_WORK(&ctx->poll_work, io_poll_wait_work);
/* series: eventfd */
	INIT_WORK(&ctx->evfd_work, io_eventfd_work);
/* series: end */
	ctx->sq_entries = p->sq_entries;
	ctx->cq_entries = p->cq_entries;
	/* pinned buffers count against RLIMIT_MEMLOCK unless privileged */
	if (!capable(CAP_IPC_LOCK))
		ctx->user = get_uid(current_user());

	ctx->rings_size = io_rings_size(p->sq_entries, p->cq_entries, &sq_off);
	ctx->sqes_size = array_size(sizeof(struct io_uring_sqe), p->sq_entries);
	if (ctx->rings_size == SIZE_MAX || ctx->sqes_size == SIZE_MAX)
		goto err;
	ctx->rings = io_alloc_shared(ctx->rings_size);
	ctx->sq_sqes = io_alloc_shared(ctx->sqes_size);
	if (!ctx->rings || !ctx->sq_sqes)
		goto err;
	ctx->sq_array = (u32 *)((char *)ctx->rings + sq_off);
	ctx->cqes = (void *)((char *)ctx->rings + IO_CQES_OFFSET);
	ctx->rings->sq_ring_mask = p->sq_entries - 1;
	ctx->rings->cq_ring_mask = p->cq_entries - 1;
	ctx->rings->sq_ring_entries = p->sq_entries;
	ctx->rings->cq_ring_entries = p->cq_entries;

	memset(&p->sq_off, 0, sizeof(p->sq_off));
	p->sq_off.head = offsetof(struct io_rings, sq_head);
	p->sq_off.tail = offsetof(struct io_rings, sq_tail);
	p->sq_off.ring_mask = offsetof(struct io_rings, sq_ring_mask);
	p->sq_off.ring_entries = offsetof(struct io_rings, sq_ring_entries);
	p->sq_off.flags = offsetof(struct io_rings, sq_flags);
	p->sq_off.dropped = offsetof(struct io_rings, sq_dropped);
	p->sq_off.array = sq_off;

	memset(&p->cq_off, 0, sizeof(p->cq_off));
	p->cq_off.head = offsetof(struct io_rings, cq_head);
	p->cq_off.tail = offsetof(struct io_rings, cq_tail);
	p->cq_off.ring_mask = offsetof(struct io_rings, cq_ring_mask);
	p->cq_off.ring_entries = offsetof(struct io_rings, cq_ring_entries);
	p->cq_off.overflow = offsetof(struct io_rings, cq_overflow);
	p->cq_off.cqes = IO_CQES_OFFSET;
	p->cq_off.flags = offsetof(struct io_rings, cq_flags);
	return ctx;
err:
	io_ring_ctx_free(ctx);
	return NULL;
}

/*
 * SQ entries: a power of two up to IORING_MAX_ENTRIES.  CQ entries: twice
 * that, or what IORING_SETUP_CQSIZE asks for, never fewer than the SQ.
 * IORING_SETUP_CLAMP turns "too many" into "the most we allow".
 */
static int io_ring_sizes(u32 entries, struct io_uring_params *p)
{
	bool clamp = p->flags & IORING_SETUP_CLAMP;
	u32 cq;

	if (!entries || (entries > IORING_MAX_ENTRIES && !clamp))
		return -EINVAL;
	p->sq_entries = roundup_pow_of_two(min_t(u32, entries,
						 IORING_MAX_ENTRIES));
	cq = 2 * p->sq_entries;
	if (p->flags & IORING_SETUP_CQSIZE)
		cq = p->cq_entries;
	if (!cq || (cq > IORING_MAX_CQ_ENTRIES && !clamp))
		return -EINVAL;
	p->cq_entries = roundup_pow_of_two(min_t(u32, cq, IORING_MAX_CQ_ENTRIES));
	return p->cq_entries < p->sq_entries ? -EINVAL : 0;
}

static long io_uring_setup(u32 entries, struct io_uring_params __user *params)
{
	struct io_uring_params p;
	struct io_ring_ctx *ctx;
	struct file *file;
	int ret, fd;

	if (copy_from_user(&p, params, sizeof(p)))
		return -EFAULT;
	if (memchr_inv(p.resv, 0, sizeof(p.resv)))
		return -EINVAL;
	if (p.flags & ~IORING_SETUP_SUPPORTED)
		return -EINVAL;
	/*
	 * As 6.1: the SQ thread needs its wakeups, whatever the flags say;
	 * TASKRUN_FLAG says when task_work waits, which only COOP_TASKRUN and
	 * DEFER_TASKRUN let it do; DEFER_TASKRUN runs it in the one task
	 * that may submit.
	 */
	if ((p.flags & IORING_SETUP_SQPOLL) && (p.flags & IO_SETUP_TASKRUN))
		return -EINVAL;
	if ((p.flags & IO_SETUP_TASKRUN) == IORING_SETUP_TASKRUN_FLAG)
		return -EINVAL;
	if ((p.flags & IORING_SETUP_DEFER_TASKRUN) &&
	    !(p.flags & IORING_SETUP_SINGLE_ISSUER))
		return -EINVAL;
	ret = io_ring_sizes(entries, &p);
	if (ret)
		return ret;

	ctx = io_ring_ctx_alloc(&p);
	if (!ctx)
		return -ENOMEM;
/* series: sqpoll */
	ret = io_sq_setup(ctx, &p);
	if (ret) {
		io_ring_ctx_free(ctx);
		return ret;
	}
/* series: end */
	p.features = IORING_FEATURES;

	fd = get_unused_fd_flags(O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		io_ring_ctx_free(ctx);
		return fd;
	}
	file = anon_inode_getfile("[io_uring]", &io_uring_fops, ctx,
				  O_RDWR | O_CLOEXEC);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		io_ring_ctx_free(ctx);
		return PTR_ERR(file);
	}

	if (copy_to_user(params, &p, sizeof(p))) {
		put_unused_fd(fd);
		fput(file);	/* ->release() tears the ring down */
		return -EFAULT;
	}
	fd_install(fd, file);
	return fd;
}

SYSCALL_DEFINE2(io_uring_setup, u32, entries,
		struct io_uring_params __user *, params)
{
	return io_uring_setup(entries, params);
}

static int io_uring_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct io_ring_ctx *ctx = file->private_data;
	size_t len = vma->vm_end - vma->vm_start;
	void *ptr;
	size_t size;

	switch ((loff_t)vma->vm_pgoff << PAGE_SHIFT) {
	case IORING_OFF_SQ_RING:
	case IORING_OFF_CQ_RING:
		ptr = ctx->rings;
		size = ctx->rings_size;
		break;
	case IORING_OFF_SQES:
		ptr = ctx->sq_sqes;
		size = ctx->sqes_size;
		break;
	default:
		return -EINVAL;
	}
	if (len > PAGE_ALIGN(size))
		return -EINVAL;
	return remap_vmalloc_range(vma, ptr, 0);
}

/*
 * ======================================================================
 * Submission
 * ======================================================================
 */

static int io_task_init(void);

/* Remember that @tctx submits to @ctx, so ring teardown can find its workers. */
static int io_ctx_add_tctx(struct io_ring_ctx *ctx, struct io_uring_task *tctx)
{
	struct io_tctx_node *node;

	lockdep_assert_held(&ctx->uring_lock);
	list_for_each_entry(node, &ctx->tctx_list, node)
		if (node->tctx == tctx)
			goto found;
	node = kmalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return -ENOMEM;
	refcount_inc(&tctx->refs);
	node->tctx = tctx;
	node->ctx = ctx;
	list_add(&node->node, &ctx->tctx_list);
	/* and the other way round, for the task's exit */
	mutex_lock(&tctx->ctx_lock);
	list_add(&node->tnode, &tctx->ctx_nodes);
	mutex_unlock(&tctx->ctx_lock);
found:
	tctx->last_ctx_id = ctx->id;
	return 0;
}

/* How many SQEs userspace has published that we have not consumed yet. */
static u32 io_sq_pending(struct io_ring_ctx *ctx)
{
	/* [SQ-T] pairs with userspace's release of sq.tail after the SQEs */
	return smp_load_acquire(&ctx->rings->sq_tail) - ctx->cached_sq_head;
}

/* Hand consumed SQ slots back to userspace. */
static void io_commit_sqring(struct io_ring_ctx *ctx)
{
	/* [SQ-H] pairs with userspace's acquire of sq.head before reusing slots */
	smp_store_release(&ctx->rings->sq_head, ctx->cached_sq_head);
}

/*
 * The next SQE, or NULL if the SQ array entry is out of range: such an
 * entry is consumed and counted in sq_dropped, as the ABI says.
 */
static const struct io_uring_sqe *io_next_sqe(struct io_ring_ctx *ctx)
{
	u32 mask = ctx->sq_entries - 1;
	u32 idx = READ_ONCE(ctx->sq_array[ctx->cached_sq_head++ & mask]);

	/*
	 * sq_entries is a power of two: the mask keeps even a mispredicted
	 * check inside the array, where array_index_nospec() takes more.
	 * The compiler must not drop it as implied by the check.
	 */
	if (likely(idx <= mask)) {
		OPTIMIZER_HIDE_VAR(idx);
		return &ctx->sq_sqes[idx & mask];
	}
	WRITE_ONCE(ctx->rings->sq_dropped,
		   READ_ONCE(ctx->rings->sq_dropped) + 1);
	return NULL;
}

/* series: fixed-files */
#define IO_EPOCH_CACHE	256

/*
 * Keep what the request takes from the registered tables: pin their
 * current epoch, once per request.  The ring takes its references
 * IO_EPOCH_CACHE at a time, and io_req_unpin() gives back those of
 * requests that complete under uring_lock while the epoch is current.
 */
static noinline void io_epoch_refill(struct io_ring_ctx *ctx)
{
	atomic_add(IO_EPOCH_CACHE, &ctx->epoch->refs);
	ctx->epoch_cached += IO_EPOCH_CACHE;
}

static __always_inline void io_epoch_pin(struct io_ring_ctx *ctx,
					 struct io_kiocb *req)
{
	lockdep_assert_held(&ctx->uring_lock);
	if (req->flags & REQ_F_PINNED)
		return;
	req->flags |= REQ_F_PINNED;
	req->epoch = ctx->epoch;
	/* one decrement and a sign test: -1 until refilled */
	if (unlikely(--ctx->epoch_cached < 0))
		io_epoch_refill(ctx);
}

/*
 * A slot of the registered file table: the file, and in the pointer's
 * low bits what io_rw_setup() would find out about it per request, found
 * out once (6.1 keeps them alike): REQ_F_ISREG, and with it
 * REQ_F_FILE_NOWAIT, shifted down.  Only for regular files and block
 * devices, where they can't change; see io_slot_make().
 */
#define IO_SLOT_SHIFT	5
#define IO_SLOT_BITS	((REQ_F_ISREG | REQ_F_FILE_NOWAIT) >> IO_SLOT_SHIFT)

static inline struct file *io_slot_file(unsigned long slot)
{
	return (struct file *)(slot & ~IO_SLOT_BITS);
}

/* The table's slot at index @fd, or 0; no reference is taken. */
static __always_inline unsigned long io_fixed_slot(struct io_ring_ctx *ctx,
						   unsigned int fd)
{
	unsigned int nr = ctx->nr_files;

	lockdep_assert_held(&ctx->uring_lock);
	if (unlikely(fd >= nr))
		return 0;
	return ctx->files[array_index_nospec(fd, nr)];
}

/* series: end */
/* Resolve sqe->fd: a plain descriptor, or an index into registered files. */
static struct file *io_file_get(struct io_kiocb *req, int fd)
{
/* series: fixed-files */
	unsigned long slot;

	if (!(req->flags & REQ_F_FIXED_FILE))
		return fget(fd);
	slot = io_fixed_slot(req->ctx, fd);
	if (!slot)
		return NULL;
	req->flags |= (slot & IO_SLOT_BITS) << IO_SLOT_SHIFT;
	/* the request may outlive an unregister or update of the slot */
	io_epoch_pin(req->ctx, req);
	return io_slot_file(slot);
/* series: end */
/* series: !fixed-files */
	return fget(fd);
/* series: end */
}

/*
 * Each request counts in its task's inflight until it is freed: exec
 * waits for it to drain (reaping polled I/O itself, see io_tctx_cancel()),
 * and an exited task stays pinned until then, see io_tctx_exit().
 *
 * The task takes its counts ahead, IO_TCTX_CACHE at a time, and puts
 * back what it frees itself into tctx->cached, so that submitting and
 * completing in its own syscall are not an atomic each.  Only the task
 * touches tctx->cached, and never from an interrupt (uring_lock is held:
 * io_tctx_put_locked()); exec and exit give the cache back before they
 * look at inflight.
 */
#define IO_TCTX_CACHE	256

static void io_tctx_get_many(struct io_uring_task *tctx, u32 nr)
{
	if (unlikely(tctx->cached < nr)) {
		atomic_add(nr + IO_TCTX_CACHE, &tctx->inflight);
		tctx->cached += nr + IO_TCTX_CACHE;
	}
	tctx->cached -= nr;
}

static void io_tctx_inflight_put(struct io_uring_task *tctx, u32 nr)
{
	if (!atomic_sub_and_test(nr, &tctx->inflight))
		return;
	/* the last request of an exited task lets the task go */
	if (READ_ONCE(tctx->exited))
		queue_work(system_unbound_wq, &tctx->exit_work);
	else if (wq_has_sleeper(&tctx->wait))
		wake_up(&tctx->wait);
}

/* io_tctx_inflight_put() from task context, with a uring_lock held. */
static void io_tctx_put_locked(struct io_uring_task *tctx, u32 nr)
{
	/* exited is the task's own to write: see io_tctx_exit() */
	if (likely(tctx->task == current && !tctx->exited))
		tctx->cached += nr;
	else
		io_tctx_inflight_put(tctx, nr);
}

/* The task's cache back into inflight: the task itself, before a wait. */
static void io_tctx_drop_cache(struct io_uring_task *tctx)
{
	u32 nr = tctx->cached;

	tctx->cached = 0;
	if (nr)
		io_tctx_inflight_put(tctx, nr);
}

/*
 * Requests are recycled through the ring rather than the slab: those freed
 * under uring_lock go straight back on the free_reqs stack, those freed
 * elsewhere (irq, workers) on locked_free, which submission takes over
 * when free_reqs runs dry.  Both are emptied when the ring is freed.
 * A free request has its ctx, and no file, creds, link or poll hashing:
 * set up here the first time, left so by its completion after each use
 * (io_req_put_resources(), io_req_queue_next(), __io_poll_unlink()).
 */
static noinline struct io_kiocb *io_alloc_req_slow(struct io_ring_ctx *ctx)
{
	struct io_kiocb *req;

	/* unlocked peek: a request freed just now waits for next time */
	if (READ_ONCE(ctx->locked_free)) {
		spin_lock_irq(&ctx->completion_lock);
		req = ctx->locked_free;
		ctx->locked_free = NULL;
		spin_unlock_irq(&ctx->completion_lock);
		ctx->free_reqs = req->next;
		return req;
	}
	req = kmem_cache_alloc(req_cachep, GFP_KERNEL);
	if (!req)
		return NULL;
	/*
	 * A request stays with its ring, and its memory holds the ring: no
	 * reference per submission, and whatever runs the request has it.
	 */
	percpu_ref_get(&ctx->refs);
	req->ctx = ctx;
	req->file = NULL;
	req->creds = NULL;
/* series: link */
	req->link = NULL;
/* series: end */
/* series: poll */
	INIT_HLIST_NODE(&req->poll.node);
/* series: end */
	return req;
}

static struct io_kiocb *io_alloc_req(struct io_ring_ctx *ctx)
{
	struct io_kiocb *req = ctx->free_reqs;

	lockdep_assert_held(&ctx->uring_lock);
	if (unlikely(!req))
		return io_alloc_req_slow(ctx);
	ctx->free_reqs = req->next;
	return req;
}

/* Back on the free stack: the request is not used again by the caller. */
static void io_free_req_locked(struct io_ring_ctx *ctx, struct io_kiocb *req)
{
	lockdep_assert_held(&ctx->uring_lock);
	req->next = ctx->free_reqs;
	ctx->free_reqs = req;
}

/* series: fixed-files */
static void io_epoch_put(struct io_ring_ctx *ctx, struct io_epoch *epoch,
			 u32 nr);

/* @locked: uring_lock is held, and the ring's cached references with it */
static __always_inline void io_req_unpin(struct io_kiocb *req, bool locked)
{
	struct io_ring_ctx *ctx = req->ctx;

	if (locked && req->epoch == ctx->epoch)
		ctx->epoch_cached++;
	else
		io_epoch_put(ctx, req->epoch, 1);
	/* a registered file is the table's, kept by the epoch */
	if (req->flags & REQ_F_FIXED_FILE)
		req->file = NULL;
}

/* series: end */
/*
 * Drop what the request holds; its memory and counts are the caller's.
 * It leaves the request as io_alloc_req() hands it out: no file, creds.
 * @locked: the caller holds uring_lock.
 */
static __always_inline void io_req_put_resources(struct io_kiocb *req,
						 bool locked)
{
	/*
	 * One test for the common case: none of these.  Creds come with
	 * REQ_F_SLOW_ISSUE, see io_req_keep_creds() and io_init_req().
	 */
	if (unlikely(req->flags & (REQ_F_PREPPED | REQ_F_PINNED |
				   REQ_F_SLOW_ISSUE))) {
		if (req->flags & REQ_F_PREPPED)
			io_op_defs[req->opcode].cleanup(req);
/* series: fixed-files */
		if (req->flags & REQ_F_PINNED)
			io_req_unpin(req, locked);
/* series: end */
		if ((req->flags & REQ_F_SLOW_ISSUE) && req->creds) {
			put_cred(req->creds);
			req->creds = NULL;
		}
	}
	if (req->file) {
		fput(req->file);
		req->file = NULL;
	}
}

static noinline int io_issue_slow(struct io_kiocb *req,
				  unsigned int issue_flags)
{
	const struct io_op_def *def = &io_op_defs[req->opcode];
	const struct cred *old = NULL;
	int ret;

	if (req->creds && req->creds != current_cred())
		old = override_creds(req->creds);
	if (def->audit)
		audit_uring_entry(req->opcode);
	ret = def->issue(req, issue_flags);
	if (def->audit)
		audit_uring_exit(!ret, ret);
	if (old)
		revert_creds(old);
	return ret;
}

/* Issue as the submitter's creds at submission, or its personality's. */
static int io_issue(struct io_kiocb *req, unsigned int issue_flags)
{
	if (unlikely(req->flags & REQ_F_SLOW_ISSUE))
		return io_issue_slow(req, issue_flags);
	return io_op_defs[req->opcode].issue(req, issue_flags);
}

/* series: link */
static void io_link_timeout_disarm(struct io_ring_ctx *ctx,
				   struct io_kiocb *req);
static void io_flush_seq_timeouts(struct io_ring_ctx *ctx);

/* series: end */
/* io_req_post(), for a request with more to it than its CQE. */
static noinline void io_req_post_slow(struct io_ring_ctx *ctx,
				      struct io_kiocb *req)
{
	u32 flags = req->flags;

/* series: link */
	if (flags & REQ_F_LINK_TIMEOUT)
		io_link_timeout_disarm(ctx, req);
	if (flags & REQ_F_POSTED)
		return;
/* series: end */
	/* IOSQE_CQE_SKIP_SUCCESS: only a failure is posted */
/* series: link */
	if (!(flags & REQ_F_NO_CQE) &&
	    (!(flags & REQ_F_CQE_SKIP) || (flags & REQ_F_FAIL))) {
		io_fill_cqe(ctx, req->user_data, req->result, req->cflags);
		if (flags & REQ_F_TIMEOUT_CQE)
			WRITE_ONCE(ctx->cq_timeouts, ctx->cq_timeouts + 1);
	}
/* series: end */
/* series: !link */
	if (!(flags & REQ_F_CQE_SKIP) || (flags & REQ_F_FAIL))
		io_fill_cqe(ctx, req->user_data, req->result, req->cflags);
/* series: end */
	if (flags & REQ_F_COUNTED)
		ctx->nr_done++;
}

/*
 * Post @req's CQE, count it for drain, and take off its link timeout;
 * the caller commits the CQ ring and, after it, queues what follows.
 */
static void io_req_post(struct io_ring_ctx *ctx, struct io_kiocb *req)
{
	lockdep_assert_held(&ctx->completion_lock);
	if (unlikely(req->flags & REQ_F_POST_SLOW)) {
		io_req_post_slow(ctx, req);
	} else {
		io_fill_cqe(ctx, req->user_data, req->result, req->cflags);
		if (req->flags & REQ_F_COUNTED)
			ctx->nr_done++;
	}
/* series: link */
	/* a count reached posts right behind the CQE that reached it */
	if (unlikely(ctx->nr_seq_timeouts))
		io_flush_seq_timeouts(ctx);
/* series: end */
}

/* series: link */
static void io_req_queue_next(struct io_kiocb *req);

/* series: end */
/*
 * How many CQEs io_flush_compl_list() may write without io_req_post():
 * none while a sequence timeout counts them (io_flush_seq_timeouts()).
 */
static u32 io_flush_room(struct io_ring_ctx *ctx)
{
/* series: link */
	if (unlikely(ctx->nr_seq_timeouts))
		return 0;
/* series: end */
	return io_cq_room(ctx);
}

/* series: drain */
/* io_cq_unlock_post() with requests held back by a drain. */
static noinline void io_cq_unlock_post_defer(struct io_ring_ctx *ctx)
	__releases(&ctx->completion_lock)
{
	LIST_HEAD(ready);

	io_defer_take_ready(ctx, &ready);
	spin_unlock_irq(&ctx->completion_lock);
	io_cqring_ev_posted(ctx);
	io_defer_queue(&ready);
}

/* series: end */
/*
 * The end of a completion_lock section that posted CQEs: publish them,
 * drop the lock, tell whoever waits, and let go what a drain held back
 * until their count.
 */
static __always_inline void io_cq_unlock_post(struct io_ring_ctx *ctx)
	__releases(&ctx->completion_lock)
{
	io_commit_cqring(ctx);
/* series: drain */
	if (unlikely(!list_empty(&ctx->defer_list))) {
		io_cq_unlock_post_defer(ctx);
		return;
	}
/* series: end */
	spin_unlock_irq(&ctx->completion_lock);
	io_cqring_ev_posted(ctx);
}

/* Post the completions batched during submission with one lock round trip. */
static void io_flush_compl_list(struct io_ring_ctx *ctx)
{
	struct io_uring_task *tctx = NULL;
	struct io_kiocb *req, *next;
	u32 run = 0, room;

	lockdep_assert_held(&ctx->uring_lock);
	if (!ctx->compl_head)
		return;
	/* ends the batch: requests completed from here on make the next */
	*ctx->compl_tail = NULL;
	next = ctx->compl_head;
	ctx->compl_head = NULL;
	ctx->compl_tail = &ctx->compl_head;
	spin_lock_irq(&ctx->completion_lock);
	room = io_flush_room(ctx);
	while (next) {
		req = next;
		next = req->next;
		/* the common case, without io_fill_cqe()'s checks per CQE */
		if (likely(room && !(req->flags & REQ_F_POST_SLOW))) {
			io_put_cqe(ctx, req->user_data, req->result,
				   req->cflags);
			room--;
			if (req->flags & REQ_F_COUNTED)
				ctx->nr_done++;
		} else {
			io_req_post(ctx, req);
			room = io_flush_room(ctx);
		}
/* series: link */
		/* lock-free, as in io_req_complete() */
		if (unlikely(req->link))
			io_req_queue_next(req);
/* series: end */
		/* one put per run of requests of the same task */
		if (unlikely(req->tctx != tctx)) {
			if (run)
				io_tctx_put_locked(tctx, run);
			tctx = req->tctx;
			run = 0;
		}
		run++;
		io_free_req_locked(ctx, req);
	}
	io_cq_unlock_post(ctx);
	io_tctx_put_locked(tctx, run);
}

/*
 * Complete a request from the submitting task, with uring_lock held.  A
 * negative result is a failure (a link breaks, a skipped CQE is posted),
 * except where 6.1 has it otherwise: __io_req_complete_locked().  What
 * it holds goes now; its CQE with the batch, io_flush_compl_list().
 */
static __always_inline void io_req_complete_ctx(struct io_ring_ctx *ctx,
						struct io_kiocb *req, s32 res)
{
	lockdep_assert_held(&ctx->uring_lock);
	io_req_put_resources(req, true);
	req->result = res;
	*ctx->compl_tail = req;
	ctx->compl_tail = &req->next;
}

static __always_inline void __io_req_complete_locked(struct io_kiocb *req,
						     s32 res)
{
	io_req_complete_ctx(req->ctx, req, res);
}

static void io_req_complete_locked(struct io_kiocb *req, s32 res)
{
	if (unlikely(res < 0))
		req->flags |= REQ_F_FAIL;
	__io_req_complete_locked(req, res);
}

/*
 * Completion context.  Whatever has to follow a completion or a wakeup in
 * the submitter's own context (a retry, a requeue to a worker, a held-back
 * request now ready, the end of a read or write that completed in an irq)
 * is queued here, from any context, and run by the submitting task as
 * task_work: under the ring's uring_lock, as if it were submitting, with
 * its CQEs posted in one batch per ring.  The task's mm, files, creds and
 * memcg are the ones that apply.
 *
 * A task that can run no more task_work (it is past exit_task_work())
 * hands its list to each request's ring, whose fallback_work runs the
 * functions with @cancel set: nothing is issued again, what completed is
 * still posted.
 */
static void io_tw_run_list(struct llist_node *node, bool fallback)
{
	struct io_ring_ctx *ctx = NULL;
	bool cancel = false;

	while (node) {
		struct io_kiocb *req = llist_entry(node, struct io_kiocb,
						   tw_node);

		/* the function may free the request */
		node = node->next;
		if (req->ctx != ctx) {
			if (ctx) {
				io_flush_compl_list(ctx);
				mutex_unlock(&ctx->uring_lock);
				percpu_ref_put(&ctx->refs);
			}
			ctx = req->ctx;
			/* the request's own reference may go with it */
			percpu_ref_get(&ctx->refs);
			mutex_lock(&ctx->uring_lock);
			/* io_req_task_queue() set it for what we run now */
			if (ctx->flags & IORING_SETUP_TASKRUN_FLAG)
				atomic_andnot(IORING_SQ_TASKRUN,
					      (atomic_t *)&ctx->rings->sq_flags);
			/*
			 * In exit_task_work() the task's mm, files and fs are
			 * gone.  Looked at once a run: the requests of a task's
			 * list are all its own (the fallback cancels anyway).
			 */
			cancel = fallback || (current->flags & PF_EXITING) ||
				 READ_ONCE(req->tctx->dying) ||
				 percpu_ref_is_dying(&ctx->refs);
		}
		req->tw_func(req, cancel);
	}
	if (ctx) {
		io_flush_compl_list(ctx);
		mutex_unlock(&ctx->uring_lock);
		percpu_ref_put(&ctx->refs);
	}
}

/*
 * The task's callback.  It runs what was queued, and what is queued while
 * it runs, until it finds the list empty once it has disarmed: a request
 * queued onto an empty list while tw_armed is set is left to us, so that
 * completions coming in during a run do not each queue another one.
 */
static void io_tctx_tw_run(struct callback_head *cb)
{
	struct io_uring_task *tctx = container_of(cb, struct io_uring_task,
						  tw_cb);

	for (;;) {
		struct llist_node *node = llist_del_all(&tctx->tw_list);

		if (node) {
			/* in the order they were queued */
			io_tw_run_list(llist_reverse_order(node), false);
			continue;
		}
		clear_bit(0, &tctx->tw_armed);
		/* pairs with test_and_set_bit() in io_req_task_queue() */
		smp_mb__after_atomic();
		/* one queued after we looked: ours, unless it armed again */
		if (llist_empty(&tctx->tw_list) ||
		    test_and_set_bit(0, &tctx->tw_armed))
			return;
	}
}

static void io_fallback_work(struct work_struct *work)
{
	struct io_ring_ctx *ctx = container_of(work, struct io_ring_ctx,
					       fallback_work);

	io_tw_run_list(llist_reverse_order(llist_del_all(&ctx->fallback_list)),
		       true);
}

/*
 * IORING_SETUP_DEFER_TASKRUN: the ring's task_work waits on the ring itself
 * (ctx->local_list) for its one submitter to run it in io_uring_enter()
 * with IORING_ENTER_GETEVENTS, instead of interrupting the task.  What the
 * submitter can no longer run goes to the fallback, which cancels: at exec
 * and exit (io_tctx_cancel()) and when the ring is released.
 */
static void io_local_fallback(struct io_ring_ctx *ctx)
{
	struct llist_node *first = llist_del_all(&ctx->local_list), *last;

	if (!first)
		return;
	/* newest first on both lists: io_fallback_work() reverses */
	for (last = first; last->next; last = last->next)
		;
	llist_add_batch(first, last, &ctx->fallback_list);
	queue_work(system_unbound_wq, &ctx->fallback_work);
}

/* The deferred task_work queued so far, in the order it was queued. */
static struct llist_node *io_local_take(struct io_ring_ctx *ctx)
{
	/* before we look: an adder sets it again after its llist_add() */
	if ((ctx->flags & IORING_SETUP_TASKRUN_FLAG) &&
	    (READ_ONCE(ctx->rings->sq_flags) & IORING_SQ_TASKRUN))
		atomic_andnot(IORING_SQ_TASKRUN,
			      (atomic_t *)&ctx->rings->sq_flags);
	return llist_reverse_order(llist_del_all(&ctx->local_list));
}

/* The submitter runs the ring's deferred task_work; without uring_lock. */
static void io_run_local(struct io_ring_ctx *ctx)
{
	struct llist_node *node;

	while ((node = io_local_take(ctx)))
		io_tw_run_list(node, false);
}

/*
 * io_run_local() from io_uring_enter(), which holds the ring and its
 * uring_lock already: what io_tw_run_list() does, without taking them
 * again.  The list holds requests of this ring and of its submitter only.
 */
static void io_run_local_locked(struct io_ring_ctx *ctx)
{
	struct llist_node *node;

	lockdep_assert_held(&ctx->uring_lock);
	while ((node = io_local_take(ctx))) {
		struct io_kiocb *req = llist_entry(node, struct io_kiocb,
						   tw_node);
		/* as io_tw_run_list() decides it */
		bool cancel = (current->flags & PF_EXITING) ||
			      READ_ONCE(req->tctx->dying) ||
			      percpu_ref_is_dying(&ctx->refs);

		do {
			req = llist_entry(node, struct io_kiocb, tw_node);
			/* the function may free the request */
			node = node->next;
			req->tw_func(req, cancel);
		} while (node);
	}
	io_flush_compl_list(ctx);
}

/*
 * Anyone in poll(2) on the ring fd?  Nobody, unless it was ever polled: one
 * test then instead of a look at the queue.  After the caller's smp_mb().
 */
static inline bool io_ring_polled(struct io_ring_ctx *ctx)
{
	if (likely(!READ_ONCE(ctx->polled)))
		return false;
	/* the caller's smp_mb() pairs with the one in io_uring_poll() */
	return waitqueue_active(&ctx->poll_wait);
}

/* series: rw */
/* The task is past its last task_work run: its rings take the list over. */
static void io_tctx_tw_fallback(struct io_uring_task *tctx)
{
	struct llist_node *node = llist_del_all(&tctx->tw_list);

	while (node) {
		struct io_kiocb *req = llist_entry(node, struct io_kiocb,
						   tw_node);
		struct io_ring_ctx *ctx = req->ctx;

		node = node->next;
		/*
		 * Once added, the request may be run and freed, and the ring
		 * with it, before queue_work(): hold the ring across both.
		 */
		percpu_ref_get(&ctx->refs);
		if (llist_add(&req->tw_node, &ctx->fallback_list))
			queue_work(system_unbound_wq, &ctx->fallback_work);
		percpu_ref_put(&ctx->refs);
	}
}

/*
 * The first request on a DEFER_TASKRUN ring's list: tell the submitter,
 * waiting in io_cqring_wait() or in poll(2) or on the eventfd.  Pollers of
 * the ring fd are woken by a worker: we may be inside a wakeup of that
 * very queue (a ring that polls its own fd, or two that poll each other).
 */
static void io_local_notify(struct io_ring_ctx *ctx, bool evfd_own)
{
/* series: eventfd */
	if (unlikely(rcu_access_pointer(ctx->evfd)) && !evfd_own)
		io_eventfd_signal(ctx);
/* series: end */
	/* after llist_add(), before the lookups below */
	smp_mb();
	/* pairs with prepare_to_wait()'s barrier in io_cqring_wait() */
	if (waitqueue_active(&ctx->cq_wait))
		wake_up_all(&ctx->cq_wait);
	/* pairs with the smp_mb() after poll_wait() in io_uring_poll() */
	if (io_ring_polled(ctx))
		queue_work(system_unbound_wq, &ctx->poll_work);
}

/* io_req_task_queue() for a ring with IORING_SETUP_DEFER_TASKRUN */
static void io_req_local_queue(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_uring_task *tctx = req->tctx;
	bool exec, first, evfd_own = false;

	/*
	 * On the list the request may be run and freed at once, and with it
	 * the last references to its task and ring: what we need of the
	 * request and the task is read first, and the ring held meanwhile.
	 */
	exec = READ_ONCE(tctx->dying) && !READ_ONCE(tctx->exited);
/* series: eventfd */
	if (unlikely(rcu_access_pointer(ctx->evfd)))
		evfd_own = io_eventfd_woke(ctx, req);
/* series: end */
	percpu_ref_get(&ctx->refs);
	first = llist_add(&req->tw_node, &ctx->local_list);
	if (ctx->flags & IORING_SETUP_TASKRUN_FLAG)
		atomic_or(IORING_SQ_TASKRUN, (atomic_t *)&ctx->rings->sq_flags);
	/*
	 * An exec and the ring's release cancel what is on the list.  The
	 * release: llist_add() is a full barrier, so either it finds our
	 * request or we see the ring dying (pairs with the smp_mb() in
	 * io_uring_release()).  An exec that set dying after we looked
	 * comes back for the list (__io_uring_cancel() loops).  An exited
	 * submitter's requests wait for the ring's release, as in 6.1.
	 */
	if (unlikely(exec || percpu_ref_is_dying(&ctx->refs)))
		io_local_fallback(ctx);
	else if (first)
		io_local_notify(ctx, evfd_own);
	percpu_ref_put(&ctx->refs);
}

/* io_req_task_queue() onto the task's list, with @notify for the kick. */
static __always_inline void io_req_tctx_queue(struct io_kiocb *req,
					      enum task_work_notify_mode notify)
{
	struct io_uring_task *tctx = req->tctx;

	/* entries on the list: whoever put the first one armed a run */
	if (!llist_add(&req->tw_node, &tctx->tw_list))
		return;
	/*
	 * The first: arm tw_cb, unless it is armed, queued or running, which
	 * takes this request too (io_tctx_tw_run()).  Armed from here until
	 * its run disarms, it is queued at most once.  test_and_set_bit()
	 * is a full barrier, after llist_add(): pairs with the
	 * smp_mb__after_atomic() in io_tctx_tw_run().
	 */
	for (;;) {
		if (test_and_set_bit(0, &tctx->tw_armed))
			return;
		/*
		 * The task is alive or pinned: it pins itself at exit until its
		 * last request is freed (io_tctx_exit()), and this one is not.
		 */
		if (likely(!task_work_add(tctx->task, &tctx->tw_cb, notify)))
			break;
		/* past its last task_work run: the rings take the list over */
		io_tctx_tw_fallback(tctx);
		clear_bit(0, &tctx->tw_armed);
		/* pairs with test_and_set_bit() of an adder we kept out */
		smp_mb__after_atomic();
		if (llist_empty(&tctx->tw_list))
			return;
	}
	/* an exec'ing task waits for its requests in an uninterruptible sleep */
	if (unlikely(READ_ONCE(tctx->dying)))
		wake_up(&tctx->wait);
}

/* io_req_task_queue() for a ring set up with one of IO_SETUP_TASKRUN */
static noinline void io_req_task_queue_flags(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;

	if (ctx->flags & IORING_SETUP_DEFER_TASKRUN) {
		io_req_local_queue(req);
		return;
	}
	/* cleared when the task runs the ring's requests */
	if (ctx->flags & IORING_SETUP_TASKRUN_FLAG)
		atomic_or(IORING_SQ_TASKRUN, (atomic_t *)&ctx->rings->sq_flags);
	/*
	 * COOP_TASKRUN: no IPI to a task running in userspace, it runs the
	 * list when it next enters the kernel; a sleeping one is woken all
	 * the same.  ctx is read before the llist_add(): after it, the
	 * request and its ring may be gone.
	 */
	io_req_tctx_queue(req, (ctx->flags & IORING_SETUP_COOP_TASKRUN) ?
			       TWA_SIGNAL_NO_IPI : TWA_SIGNAL);
}

/**
 * io_req_task_queue - continue a request in its submitter's context
 * @req: the request; its reference passes to @func
 * @func: what to do there
 *
 * Any context, hard irq included.  One task_work callback runs all the
 * task's queued requests: only the first of a batch queues it.
 */
static void io_req_task_queue(struct io_kiocb *req, io_tw_func_t func)
{
	req->tw_func = func;
	if (unlikely(req->ctx->flags & IO_SETUP_TASKRUN))
		io_req_task_queue_flags(req);
	else
		io_req_tctx_queue(req, TWA_SIGNAL);
}

/* series: end */
/*
 * A request about to wait outside the submitter's syscall keeps the creds
 * it is being submitted with (IORING_FEAT_CUR_PERSONALITY): whatever
 * issues it later, a worker or task_work, acts with them.
 */
static void io_req_keep_creds(struct io_kiocb *req)
{
	if (!req->creds) {
		req->creds = get_current_cred();
		req->flags |= REQ_F_SLOW_ISSUE;
	}
}

/*
 * A request is not a syscall that can be restarted: the kernel-internal
 * restart codes (ERESTARTSYS .. ERESTARTNOHAND, ERESTART_RESTARTBLOCK)
 * reach userspace as the interruption they stand for.
 */
static __always_inline s32 io_fixup_result(long ret)
{
	/* the restart codes are -512 .. -516: one compare for the rest */
	if (unlikely(ret <= -ERESTARTSYS) &&
	    (ret >= -ERESTARTNOHAND || ret == -ERESTART_RESTARTBLOCK))
		return -EINTR;
	return ret;
}

/* series: poll */
static void io_issue_tw(struct io_kiocb *req, bool cancel);

/* series: end */
/* series: poll */
/*
 * What to do with a request that would have blocked: wait for its file
 * with poll when it can be polled, else hand it to a worker.  A file that
 * is ready by the time the wait is armed gets one more nonblocking try
 * (from task_work: we may be deep in a retry already), then a worker.
 */
static void io_req_would_block(struct io_kiocb *req)
{
	switch (io_arm_poll(req)) {
	case IO_ARM_WAITING:
		return;
	case IO_ARM_READY:
		if (!(req->flags & REQ_F_RETRIED)) {
			req->flags |= REQ_F_RETRIED;
			io_req_task_queue(req, io_issue_tw);
			return;
		}
		fallthrough;
	case IO_ARM_NO:
		io_queue_async(req);
	}
}

/* series: end */
/* series: !poll */
/* What to do with a request that would have blocked: hand it to a worker. */
static void io_req_would_block(struct io_kiocb *req)
{
	io_queue_async(req);
}

/* series: end */
/* io_issue_nonblock() when the attempt did not complete the request. */
static noinline void io_issue_nonblock_done(struct io_ring_ctx *ctx,
					    struct io_kiocb *req, int ret)
{
/* series: iopoll */
	/* queued and polled: it waits for io_iopoll_reap() */
	if (ret == -EIOCBQUEUED) {
		list_add_tail(&req->list, &ctx->iopoll_list);
		return;
	}
/* series: end */
	if (ret == -EAGAIN && !(req->flags & REQ_F_NOWAIT)) {
		io_req_would_block(req);
		return;
	}
	io_req_complete_locked(req, io_fixup_result(ret));
}

/*
 * Try a request without blocking, with uring_lock, as its submitter.
 * Inline: the submission loop's common cases are done and queued.
 * @plain: the caller found no REQ_F_ISSUE_MORE, so no REQ_F_SLOW_ISSUE.
 */
static __always_inline void io_issue_nonblock(struct io_kiocb *req,
					      bool plain)
{
	unsigned int issue_flags = IO_ISSUE_NONBLOCK | IO_ISSUE_LOCKED;
	struct io_ring_ctx *ctx = req->ctx;
	int ret;

	if (plain)
		ret = io_op_defs[req->opcode].issue(req, issue_flags);
	else
		ret = io_issue(req, issue_flags);

	if (likely(ret >= 0))
		io_req_complete_ctx(ctx, req, ret);
	/*
	 * Queued: the completion may have run and freed the request
	 * already, unless it is polled.
	 */
	else if (ret != -EIOCBQUEUED || (ctx->flags & IO_SETUP_IOPOLL))
		io_issue_nonblock_done(ctx, req, ret);
}

/* series: link */
static void io_link_timeout_arm(struct io_kiocb *req);

/* series: end */
/* io_issue_inline() for a request with REQ_F_ISSUE_MORE. */
static noinline void io_issue_inline_slow(struct io_kiocb *req)
{
	const struct io_op_def *def = &io_op_defs[req->opcode];
	int ret;

/* series: link */
	/*
	 * Failed before its turn (set up early, it met what 6.1 finds at
	 * issue: see io_rw_prep_async()), or bounded by a link timeout.
	 */
	if (unlikely(req->flags & (REQ_F_FAIL_ISSUE | REQ_F_LINK_TIMEOUT))) {
		if (req->flags & REQ_F_FAIL_ISSUE) {
			io_req_complete_locked(req, req->result);
			return;
		}
		io_link_timeout_arm(req);
	}
/* series: end */
/* series: !link */
	/* failed before its turn: set up early, it met what 6.1 finds at issue */
	if (unlikely(req->flags & REQ_F_FAIL_ISSUE)) {
		io_req_complete_locked(req, req->result);
		return;
	}
/* series: end */

	if (def->always_async || (req->flags & REQ_F_FORCE_ASYNC)) {
		/* what the SQE points to is read now, not by the worker */
		ret = def->prep_async ? def->prep_async(req) : 0;
		if (ret) {
			io_req_complete_locked(req, ret);
			return;
		}
		io_queue_async(req);
		return;
	}
	io_issue_nonblock(req, false);
}

/* Issue a request at submission, or from task_work once it may start. */
static __always_inline void io_issue_inline(struct io_kiocb *req)
{
	if (unlikely(req->flags & REQ_F_ISSUE_MORE))
		io_issue_inline_slow(req);
	else
		io_issue_nonblock(req, true);
}

/* series: poll */
/*
 * From task_work: a poll retry, or a held-back request now ready.  Either
 * is issued as at submission, unless it must not be issued any more.
 */
static void io_issue_tw(struct io_kiocb *req, bool cancel)
{
	if (cancel)
		io_req_complete_locked(req, -ECANCELED);
	else if (unlikely(req->flags & REQ_F_FAIL_ISSUE))
		io_req_complete_locked(req, req->result);
	else
		io_issue_inline(req);
}

/* series: end */
/* series: link */
/*
 * A request behind a failed link: its own error if its preparation met
 * one.  Not what 6.1 finds at issue (a bad fd, most of a read or write set
 * up early, REQ_F_FAIL_LATE), which a cancelled request never reaches.
 */
static void io_link_cancel_tw(struct io_kiocb *req, bool cancel)
{
	bool own = (req->flags & (REQ_F_FAIL_ISSUE | REQ_F_FAIL_LATE)) ==
		   REQ_F_FAIL_ISSUE;

	io_req_complete_locked(req, own ? req->result : -ECANCELED);
}

/*
 * After a request's CQE: issue the request linked behind it, or, if it
 * failed (and the link is not a hardlink; and in any case once a chain
 * is failing), cancel it, which goes on down the chain one by one, each
 * with its CQE in order.  As in 6.1, the cancelled requests post no CQE
 * behind a request that was to skip its own on success, and post one
 * whatever they asked otherwise.  Either way the next request runs as
 * its submitter, from task_work.
 */
static void io_req_queue_next(struct io_kiocb *req)
{
	struct io_kiocb *next = req->link;

	req->link = NULL;
	if (!(req->flags & REQ_F_FAIL) ||
	    ((req->flags & REQ_F_HARDLINK) && !(req->flags & REQ_F_LINK_CANCEL))) {
		io_req_task_queue(next, io_issue_tw);
		return;
	}
	next->flags |= REQ_F_LINK_CANCEL;
	if (req->flags & (REQ_F_CQE_SKIP | REQ_F_NO_CQE))
		next->flags |= REQ_F_NO_CQE;
	else
		next->flags &= ~REQ_F_CQE_SKIP;
	io_req_task_queue(next, io_link_cancel_tw);
}

/* series: end */
/* series: drain */
/*
 * IOSQE_IO_DRAIN: the request starts once every request submitted before
 * it has completed, and the ones after it wait until it starts (as in 6.1,
 * not until it completes: a cancel behind a drained poll reaches it).
 * Requests that pass submission are numbered (nr_issued) and their
 * completions counted (nr_done); a held-back request waits on
 * ctx->defer_list, in submission order, for nr_done to reach its
 * drain_need.  Whoever counts a completion takes the requests that became
 * ready off the list and queues each to its own submitter, which issues
 * it from task_work.
 */
static void io_defer_take_ready(struct io_ring_ctx *ctx,
				struct list_head *ready)
{
	struct io_kiocb *req, *tmp;

	lockdep_assert_held(&ctx->completion_lock);
	list_for_each_entry_safe(req, tmp, &ctx->defer_list, list) {
		if ((s32)(ctx->nr_done - req->drain_need) < 0)
			break;
		list_move_tail(&req->list, ready);
	}
}

/* Out of completion_lock: task_work_add() wakes the task up. */
static void io_defer_queue(struct list_head *ready)
{
	struct io_kiocb *req, *tmp;

	list_for_each_entry_safe(req, tmp, ready, list) {
		list_del_init(&req->list);
		io_req_task_queue(req, io_issue_tw);
	}
}

/* series: end */
/* series: drain */
/*
 * io_queue_sqe() while a drain is on, or for a drained request (@seq: the
 * number it was given).  A drained chain waits as one.
 */
static noinline void io_queue_sqe_drain(struct io_ring_ctx *ctx,
					struct io_kiocb *req, u32 seq)
{
	const struct io_op_def *def = &io_op_defs[req->opcode];
	u32 need;

	if (req->flags & REQ_F_FAIL_ISSUE) {
		/* failed at submission, or a link of its chain did */
		io_req_complete_locked(req, req->result);
		return;
	}
	need = ctx->drain_until;
	if (req->sqe_flags & IOSQE_IO_DRAIN) {
		need = seq;
		ctx->drain_until = seq;
		ctx->drain_active = true;
	}

	/*
	 * It may be issued from task_work: read what the SQE points to now,
	 * and keep the creds it was submitted with.
	 */
	if (def->prep_async) {
		int ret = def->prep_async(req);

		if (ret) {
			io_req_complete_locked(req, ret);
			return;
		}
	}
	io_req_keep_creds(req);
	req->drain_need = need;
	/* one section: a completion counted after it sees the request listed */
	spin_lock_irq(&ctx->completion_lock);
	if (list_empty(&ctx->defer_list) &&
	    (s32)(ctx->nr_done - need) >= 0) {
		if (!(req->sqe_flags & IOSQE_IO_DRAIN))
			ctx->drain_active = false;
		spin_unlock_irq(&ctx->completion_lock);
		io_issue_inline(req);
		return;
	}
	list_add_tail(&req->list, &ctx->defer_list);
	spin_unlock_irq(&ctx->completion_lock);
}

/* series: end */
/*
 * Issue a request that passed submission, with the @nr - 1 requests linked
 * behind it, or hold it back for a drain.
 */
static __always_inline void io_queue_sqe(struct io_ring_ctx *ctx,
					 struct io_kiocb *req, u32 nr)
{
/* series: drain */
	if (unlikely(ctx->drain_active || (req->sqe_flags & IOSQE_IO_DRAIN))) {
		ctx->nr_issued += nr;
		io_queue_sqe_drain(ctx, req, ctx->nr_issued - nr);
		return;
	}
/* series: end */
	io_issue_inline(req);
	/* after: one add to memory (only io_queue_sqe_drain() reads it) */
	ctx->nr_issued += nr;
}

/* series: link */
/*
 * IORING_OP_LINK_TIMEOUT bounds the request linked just before it, which
 * arms it when issued (io_link_timeout_arm()) and cuts it out when it
 * completes first.
 */
static int io_link_timeout_attach(struct io_kiocb *req,
				  struct io_submit_link *link)
{
	struct io_kiocb *prev;

	/* io_submit_sqes() sets ->last with ->head */
	if (!link->head)
		return -EINVAL;
	prev = link->last;
	if (prev->opcode == IORING_OP_LINK_TIMEOUT || req->timeout.off)
		return -EINVAL;
	prev->flags |= REQ_F_LINK_TIMEOUT;
	req->timeout.head = prev;
	return 0;
}

/*
 * Its prep attaches it, last of io_init_req()'s steps for an op without
 * a file; the chain being built is the ring's, see io_submit_sqes().
 */
static int io_link_timeout_prep(struct io_kiocb *req,
				const struct io_uring_sqe *sqe)
{
	int ret = io_timeout_prep(req, sqe);

	if (ret)
		return ret;
	return io_link_timeout_attach(req, &req->ctx->submit_link);
}

/* series: end */
/* The SQE flags past FIXED_FILE and ASYNC: drain, links, CQE skipping. */
static int io_init_req_flags(struct io_ring_ctx *ctx, struct io_kiocb *req,
			     struct io_submit_link *link)
{
	u8 flags = req->sqe_flags;

/* series: link */
	if (flags & IOSQE_IO_HARDLINK)
		req->flags |= REQ_F_HARDLINK;
/* series: end */
/* series: drain */
	if (flags & IOSQE_CQE_SKIP_SUCCESS) {
		/* as 6.1: drain can't count CQEs that may not come */
		req->flags |= REQ_F_CQE_SKIP;
		ctx->drain_disabled = true;
	}
/* series: end */
/* series: !drain */
	if (flags & IOSQE_CQE_SKIP_SUCCESS)
		req->flags |= REQ_F_CQE_SKIP;
/* series: end */
/* series: drain */
	if (flags & IOSQE_IO_DRAIN) {
		if (ctx->drain_disabled)
			return -EOPNOTSUPP;
/* series: link */
		/* a drained link drains its chain, and what follows it */
		if (link->head) {
			link->head->sqe_flags |= IOSQE_IO_DRAIN;
			req->sqe_flags &= ~IOSQE_IO_DRAIN;
			ctx->drain_next = true;
		}
/* series: end */
	}
/* series: end */
	return 0;
}

static int io_init_req(struct io_ring_ctx *ctx, struct io_kiocb *req,
		       const struct io_uring_sqe *sqe,
		       struct io_submit_link *link)
{
	const struct io_op_def *def;
/* series: personality */
	u16 personality;
/* series: end */
	unsigned int op;
	int ret;

	req->opcode = READ_ONCE(sqe->opcode);
	req->sqe_flags = READ_ONCE(sqe->flags);
	req->user_data = READ_ONCE(sqe->user_data);

	op = req->opcode;
	/* one test for an opcode we lack or this ring refuses, see ->ops */
	if (unlikely(op >= IO_OP_DEFS || !(ctx->ops & BIT_ULL(op)) ||
		     (req->sqe_flags & ~IOSQE_SUPPORTED)))
		goto invalid;
	/* the mask is for a mispredicted check: keep it, see IO_OP_DEFS */
	OPTIMIZER_HIDE_VAR(op);
	def = &io_op_defs[op & (IO_OP_DEFS - 1)];
	/*
	 * Counted in ctx->nr_issued by io_queue_sqe(); the same bits as the
	 * SQE's: see io_uring_init().
	 */
	req->flags = REQ_F_COUNTED | def->req_flags |
		     (req->sqe_flags & (IOSQE_FIXED_FILE | IOSQE_ASYNC));
	if (!def->ioprio && READ_ONCE(sqe->ioprio))
		return -EINVAL;
	if (unlikely(req->sqe_flags & ~(IOSQE_FIXED_FILE | IOSQE_ASYNC))) {
		ret = io_init_req_flags(ctx, req, link);
		if (ret)
			return ret;
	}
/* series: personality */
	personality = READ_ONCE(sqe->personality);
	if (unlikely(personality)) {
		const struct cred *creds;

		lockdep_assert_held(&ctx->uring_lock);
		creds = xa_load(&ctx->personalities, personality);
		if (!creds)
			return -EINVAL;
		/* the LSM may refuse acting as someone else, as for 6.1 */
		ret = security_uring_override_creds(creds);
		if (ret)
			return ret;
		req->creds = get_cred(creds);
		req->flags |= REQ_F_SLOW_ISSUE;
	}
/* series: end */
	ret = def->prep(req, sqe);
	if (unlikely(ret))
		return ret;
	if (def->needs_file) {
		req->file = io_file_get(req, READ_ONCE(sqe->fd));
		/* as 6.1 finds it at issue: the request fails, not submission */
		if (unlikely(!req->file)) {
			req->result = -EBADF;
			req->flags |= REQ_F_FAIL_ISSUE | REQ_F_FAIL_LATE;
		}
	}
	return 0;
invalid:
	req->flags = REQ_F_COUNTED;
	return -EINVAL;
}

/*
 * A request that passed io_init_req() (@ret 0) or failed it.  Returns
 * false if submission stops here: as in 6.1, after a request that failed
 * and ends its chain (or has none).  A chain with a failed request is
 * still consumed to its end, then completes: the failed request with its
 * error, the others with -ECANCELED.
 */
static bool io_submit_one(struct io_ring_ctx *ctx, struct io_kiocb *req,
			  int ret, struct io_submit_link *link)
{
	struct io_kiocb *head = link->head;
	bool linked = req->sqe_flags & IOSQE_LINKED;

	if (likely(!head && !linked && !ret)) {
/* series: drain */
		if (unlikely(ctx->drain_next)) {
			ctx->drain_next = false;
			req->sqe_flags |= IOSQE_IO_DRAIN;
		}
/* series: end */
		io_queue_sqe(ctx, req, 1);
		return true;
	}

/* series: link */
	if (head) {
		/* issued later, from task_work: as submitted now */
		if (!ret && !(req->flags & REQ_F_FAIL_ISSUE)) {
			if (io_op_defs[req->opcode].prep_async)
				ret = io_op_defs[req->opcode].prep_async(req);
			io_req_keep_creds(req);
		}
		link->last->link = req;
		link->last = req;
		link->nr++;
	}
/* series: end */
	if (unlikely(ret)) {
		req->result = ret;
/* series: link */
		/* the whole chain fails, hardlinks or not */
/* series: end */
		req->flags |= REQ_F_FAIL_ISSUE | REQ_F_LINK_CANCEL;
/* series: link */
		/*
		 * The head fails the chain; it reports -ECANCELED itself,
		 * unless its own preparation failed (not REQ_F_FAIL_LATE:
		 * the head is never issued to find that).
		 */
		if (head && (head->flags & (REQ_F_FAIL_ISSUE | REQ_F_FAIL_LATE)) !=
			    REQ_F_FAIL_ISSUE) {
			head->result = -ECANCELED;
			head->flags |= REQ_F_FAIL_ISSUE | REQ_F_LINK_CANCEL;
			head->flags &= ~REQ_F_FAIL_LATE;
		}
/* series: end */
	}
/* series: link */
	if (linked) {
		if (!head) {
			link->head = req;
			link->last = req;
			link->nr = 1;
		}
		return true;
	}
	/* the end of the chain: the head goes, the rest wait behind it */
	if (head) {
		link->head = NULL;
		req = head;
	}
/* series: end */
/* series: drain */
	if (unlikely(ctx->drain_next) && !(req->sqe_flags & IOSQE_IO_DRAIN)) {
		ctx->drain_next = false;
		req->sqe_flags |= IOSQE_IO_DRAIN;
	}
/* series: end */
	io_queue_sqe(ctx, req, head ? link->nr : 1);
	return !ret;
}

/*
 * Consume up to @nr SQEs.  Returns how many were consumed.  An SQE that
 * fails its preparation counts: it completes with the error, and
 * submission stops after it (after its chain, if it is linked).  A bad
 * file descriptor is an error of the request alone and does not stop
 * submission.  A chain still open at the end is issued as it is.
 */
static int io_submit_sqes(struct io_ring_ctx *ctx, u32 nr)
{
	struct io_uring_task *tctx = current->io_uring;
	struct io_submit_link *link = &ctx->submit_link;
	bool alloc_failed = false, plugged = false;
	u32 done = 0;
	int ret;

	lockdep_assert_held(&ctx->uring_lock);
	nr = min3(nr, io_sq_pending(ctx), ctx->sq_entries);
	if (!nr)
		return 0;
	if (unlikely(!tctx)) {
		ret = io_task_init();
		if (ret)
			return ret;
		tctx = current->io_uring;
	}
	if (unlikely(tctx->last_ctx_id != ctx->id)) {
		ret = io_ctx_add_tctx(ctx, tctx);
		if (ret)
			return ret;
	}
	io_tctx_get_many(tctx, nr);

	while (done < nr) {
		const struct io_uring_sqe *sqe;
		struct io_kiocb *req;

		req = io_alloc_req(ctx);
		if (unlikely(!req)) {
			alloc_failed = true;
			break;
		}
		sqe = io_next_sqe(ctx);
		if (unlikely(!sqe)) {
			io_free_req_locked(ctx, req);
			break;
		}
		done++;
		req->tctx = tctx;
		req->result = 0;
		req->cflags = 0;

		ret = io_init_req(ctx, req, sqe, link);
		/*
		 * Block I/O of one batch reaches the driver together when the
		 * plug is finished: one run of tags, one doorbell, and the
		 * completions of a batch close together.
		 */
		if (unlikely(req->flags & REQ_F_PLUG) && !ret && !plugged &&
		    nr > 2) {
			blk_start_plug_nr_ios(&ctx->plug, nr - done + 1);
			plugged = true;
		}
		if (!io_submit_one(ctx, req, ret, link) &&
		    !(ctx->flags & IORING_SETUP_SUBMIT_ALL))
			break;
	}
/* series: link */
	if (unlikely(link->head)) {
		struct io_kiocb *head = link->head;

		link->head = NULL;
		io_queue_sqe(ctx, head, link->nr);
	}
/* series: end */

	if (plugged)
		blk_finish_plug(&ctx->plug);
	if (done < nr)
		io_tctx_put_locked(tctx, nr - done);
	io_commit_sqring(ctx);
	io_flush_compl_list(ctx);
	/* nothing consumed for want of memory: tell userspace to retry */
	return done || !alloc_failed ? done : -EAGAIN;
}

/*
 * ======================================================================
 * Issue: one prep/issue pair per opcode
 * ======================================================================
 */

static int io_nop_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	/* as 6.1: room for flags some day */
	return READ_ONCE(sqe->rw_flags) ? -EINVAL : 0;
}

static int io_nop(struct io_kiocb *req, unsigned int issue_flags)
{
	return 0;
}

/* series: rw */
/* READ, WRITE, READV, WRITEV, READ_FIXED, WRITE_FIXED */
static int io_rw_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
/* series: fixed-bufs */
	struct io_ring_ctx *ctx = req->ctx;
/* series: end */
	struct io_rw *rw = &req->rw;
	u16 ioprio;
	int ret;

	req->iopoll_done = false;
/* series: fixed-bufs */
	rw->imu = NULL;
/* series: end */
	rw->free_iov = NULL;
	rw->imported = false;
	rw->iov_failed = false;
	rw->done = 0;
	rw->addr = READ_ONCE(sqe->addr);
	rw->len = READ_ONCE(sqe->len);
	rw->rw_flags = (__force rwf_t)READ_ONCE(sqe->rw_flags);
	rw->kiocb.ki_pos = READ_ONCE(sqe->off);

	/* no priority given: the task's own, as for read(2) */
	ioprio = READ_ONCE(sqe->ioprio);
	ret = ioprio ? ioprio_check_cap(ioprio) : 0;
	if (ret)
		return ret;
	rw->kiocb.ki_ioprio = ioprio ?: get_current_ioprio();

/* series: fixed-bufs */
	if (req->opcode == IORING_OP_READ_FIXED ||
	    req->opcode == IORING_OP_WRITE_FIXED) {
		u16 idx = READ_ONCE(sqe->buf_index);

		lockdep_assert_held(&ctx->uring_lock);
		if (unlikely(idx >= ctx->nr_bufs))
			return -EFAULT;
		rw->imu = ctx->bufs[array_index_nospec(idx, ctx->nr_bufs)];
		if (unlikely(!rw->imu))
			return -EFAULT;
		/* the request may outlive an unregister of the table */
		io_epoch_pin(ctx, req);
	}
/* series: end */
	return 0;
}

static __always_inline void io_end_sb_write(struct io_kiocb *req)
{
	if (req->flags & REQ_F_SB_WRITE) {
		req->flags &= ~REQ_F_SB_WRITE;
		kiocb_end_write(&req->rw.kiocb);
	}
}

static void io_rw_cleanup(struct io_kiocb *req)
{
	struct io_rw *rw = &req->rw;

	/* a write cancelled between two attempts: fsfreeze waits for this */
	io_end_sb_write(req);
	kfree(rw->free_iov);
}

/* series: fixed-bufs */
static int io_import_fixed(struct io_rw *rw, int ddir)
{
	struct io_mapped_buf *imu = rw->imu;
	const struct bio_vec *bv = imu->bvec;
	size_t skip;
	u64 end;

	if (unlikely(check_add_overflow(rw->addr, (u64)rw->len, &end)))
		return -EFAULT;
	if (unlikely(rw->addr < imu->ubuf || end > imu->ubuf + imu->len))
		return -EFAULT;
	/*
	 * A page per bvec, the first from the buffer's offset in its page
	 * (io_pin_buffer()): where the range starts is arithmetic, without
	 * walking there with iov_iter_advance().
	 */
	skip = rw->addr - imu->ubuf;
	if (skip >= bv->bv_len) {
		skip -= bv->bv_len;
		bv += 1 + (skip >> PAGE_SHIFT);
		skip &= ~PAGE_MASK;
	}
	iov_iter_bvec(&rw->iter, ddir, bv, imu->nr_bvecs - (bv - imu->bvec),
		      skip + rw->len);
	rw->iter.iov_offset = skip;
	rw->iter.count = rw->len;
	return 0;
}

/* series: end */
static int io_import(struct io_kiocb *req, int ddir)
{
	struct io_rw *rw = &req->rw;
	struct iovec *iov = rw->fast_iov;
	ssize_t ret;

/* series: fixed-bufs */
	if (rw->imu)
		return io_import_fixed(rw, ddir);
/* series: end */
	if (req->opcode == IORING_OP_READ || req->opcode == IORING_OP_WRITE)
		return import_single_range(ddir, u64_to_user_ptr(rw->addr),
					   rw->len, iov, &rw->iter);
	ret = __import_iovec(ddir, u64_to_user_ptr(rw->addr), rw->len,
			     UIO_FASTIOV, &iov, &rw->iter, req->ctx->compat);
	if (ret < 0) {
		rw->iov_failed = true;
		return ret;
	}
	rw->free_iov = iov;
	req->flags |= REQ_F_PREPPED;
	return 0;
}

/*
 * What a read or write needs to know of @file: REQ_F_ISREG for a regular
 * file or block device, and REQ_F_FILE_NOWAIT if an attempt on it can be
 * told not to block (IOCB_NOWAIT, or the file's own O_NONBLOCK).  The
 * latter decides, as in 6.1, what O_NONBLOCK on the file means to a
 * request: if the file can, only "don't block the submitter" (the request
 * still waits, in poll or a worker); if not, "fail with -EAGAIN".  Regular
 * files and block devices can unless their queue can't; a file system
 * without a device (tmpfs, 9p) never waits for one.
 */
static __always_inline u32 io_file_kind(struct file *file, umode_t mode)
{
	struct block_device *bdev;

	if (S_ISREG(mode))
		bdev = file_inode(file)->i_sb->s_bdev;
	else if (S_ISBLK(mode))
		bdev = I_BDEV(file->f_mapping->host);
	else if (S_ISSOCK(mode))
		return REQ_F_FILE_NOWAIT;
	else	/* anything with ->read or ->write honours O_NONBLOCK */
		return (file->f_flags & O_NONBLOCK) ||
		       (file->f_mode & FMODE_NOWAIT) ? REQ_F_FILE_NOWAIT : 0;
	if (!bdev || bdev_nowait(bdev))
		return REQ_F_ISREG | REQ_F_FILE_NOWAIT;
	return REQ_F_ISREG;
}

static void io_rw_complete(struct kiocb *kiocb, long res);
/* series: iopoll */
static void io_rw_complete_iopoll(struct kiocb *kiocb, long res);
/* series: end */

/*
 * First issue: set up the kiocb and import the buffers, which must happen
 * in the submitter's context.  Later attempts start from the saved state.
 */
static int io_rw_setup(struct io_kiocb *req, int ddir)
{
	struct io_rw *rw = &req->rw;
	struct kiocb *kiocb = &rw->kiocb;
	struct file *file = req->file;
	umode_t mode = file_inode(file)->i_mode;
	int ret;

	if (rw->imported) {
		iov_iter_restore(&rw->iter, &rw->state);
		/* set up early (a link, a drain): f_pos as it is at issue */
		kiocb->ki_pos = rw->pos;
		if ((req->flags & REQ_F_CUR_POS) && !rw->done)
			kiocb->ki_pos = file->f_pos;
		return 0;
	}
	if (unlikely(!(file->f_mode & (ddir == READ ? FMODE_READ : FMODE_WRITE))))
		return -EBADF;

	kiocb->ki_filp = file;
	kiocb->ki_flags = iocb_flags(file);
	kiocb->ki_complete = io_rw_complete;
	ret = kiocb_set_rw_flags(kiocb, rw->rw_flags);
	if (unlikely(ret))
		return ret;
	/* a registered file brings them along: IO_SLOT_BITS */
	if (!(req->flags & REQ_F_ISREG))
		req->flags |= io_file_kind(file, mode);
	/* RWF_NOWAIT, or O_NONBLOCK on a file that can't do without blocking */
	if ((kiocb->ki_flags & IOCB_NOWAIT) ||
	    ((file->f_flags & O_NONBLOCK) && !(req->flags & REQ_F_FILE_NOWAIT)))
		req->flags |= REQ_F_NOWAIT;
/* series: iopoll */
	if (req->ctx->flags & IORING_SETUP_IOPOLL) {
		/* only direct I/O completes where a poll can find it */
		if (!(kiocb->ki_flags & IOCB_DIRECT) || !file->f_op->iopoll)
			return -EOPNOTSUPP;
		/*
		 * A polled bio ends in the poller's task context, so it may
		 * come from and go back to the per-cpu bio cache; the block
		 * layer drops the cache with the polling if the queue can't.
		 */
		kiocb->ki_flags |= IOCB_HIPRI | IOCB_ALLOC_CACHE;
		kiocb->ki_complete = io_rw_complete_iopoll;
	} else if (kiocb->ki_flags & IOCB_HIPRI) {
		/* RWF_HIPRI: nobody would poll for it */
		return -EINVAL;
	}
/* series: end */
/* series: !iopoll */
	/* RWF_HIPRI: nobody would poll for it */
	if (kiocb->ki_flags & IOCB_HIPRI)
		return -EINVAL;
/* series: end */
	if (kiocb->ki_pos == -1) {
		if (file->f_mode & FMODE_STREAM) {
			kiocb->ki_pos = 0;
		} else {
			req->flags |= REQ_F_CUR_POS;
			kiocb->ki_pos = file->f_pos;
		}
	}

	ret = io_import(req, ddir);
	if (unlikely(ret))
		return ret;
	ret = rw_verify_area(ddir, file,
			     (file->f_mode & FMODE_STREAM) ? NULL : &kiocb->ki_pos,
			     iov_iter_count(&rw->iter));
	if (unlikely(ret))
		return ret;
	rw->total = iov_iter_count(&rw->iter);
	iov_iter_save_state(&rw->iter, &rw->state);
	rw->pos = kiocb->ki_pos;
	rw->imported = true;
	return 0;
}

/*
 * Set up at submission, behind a link or a drain.  There 6.1 only reads a
 * vectored op's iovec array, whose failure is the SQE's own (and fails the
 * chain); the rest (the file's mode, rw_flags, the range, a plain or fixed
 * buffer) it finds at issue: the request fails when its turn comes, and
 * not at all, -ECANCELED, if its chain failed before it.
 */
static int io_rw_prep_async(struct io_kiocb *req, int ddir)
{
	int ret = io_rw_setup(req, ddir);

	if (likely(!ret) || req->rw.iov_failed)
		return ret;
	req->result = ret;
	req->flags |= REQ_F_FAIL_ISSUE | REQ_F_FAIL_LATE;
	return 0;
}

static int io_read_prep_async(struct io_kiocb *req)
{
	return io_rw_prep_async(req, READ);
}

static int io_write_prep_async(struct io_kiocb *req)
{
	return io_rw_prep_async(req, WRITE);
}

/* The last step of every read or write, whatever context completes it. */
static __always_inline long io_rw_finish(struct io_kiocb *req, long ret)
{
	struct io_rw *rw = &req->rw;

	if (ret >= 0)
		ret += rw->done;
	else if (rw->done && ret != -EAGAIN)
		ret = rw->done;
	/* as 6.1: anything short of what was asked breaks a link */
	if (ret >= 0 && ret != rw->total)
		req->flags |= REQ_F_FAIL;
	if ((req->flags & REQ_F_CUR_POS) && ret > 0)
		req->file->f_pos = rw->kiocb.ki_pos;
	io_end_sb_write(req);
	return ret;
}

/* Did a nonblocking attempt's bio find no tag?  Then it goes to a worker. */
static bool io_rw_want_reissue(struct io_kiocb *req, long res)
{
	return res == -EAGAIN && (req->rw.kiocb.ki_flags & IOCB_NOWAIT) &&
	       !(req->flags & REQ_F_NOWAIT);
}

/* An attempt said -EAGAIN after it was queued: again, blocking, in a worker. */
static void io_rw_reissue_tw(struct io_kiocb *req, bool cancel)
{
	/* the worker's attempt takes sb write access afresh */
	io_end_sb_write(req);
	req->rw.kiocb.ki_flags &= ~IOCB_NOWAIT;
	req->iopoll_done = false;
	if (cancel)
		io_req_complete_locked(req, -ECANCELED);
	else
		io_queue_async(req);
}

/* What io_rw_complete() left for the submitter's context. */
static void io_rw_complete_tw(struct io_kiocb *req, bool cancel)
{
	long res = req->iopoll_res;

	if (io_rw_want_reissue(req, res)) {
		io_rw_reissue_tw(req, cancel);
		return;
	}
	/* the issue only reported what moved by the time it returned */
	if (res > 0) {
		if (req->rw.kiocb.ki_flags & IOCB_WRITE)
			fsnotify_modify(req->file);
		else
			fsnotify_access(req->file);
	}
	res = io_fixup_result(io_rw_finish(req, res));
	/* io_req_complete_locked(), inline: this is every IRQ-driven I/O */
	if (unlikely(res < 0))
		req->flags |= REQ_F_FAIL;
	__io_req_complete_locked(req, res);
}

/*
 * ->ki_complete(): I/O that went -EIOCBQUEUED ends here, often in hard
 * irq.  The rest (fsnotify, sb write access, f_pos, a retry) happens in
 * the submitter's context, see io_req_task_queue().
 */
static void io_rw_complete(struct kiocb *kiocb, long res)
{
	struct io_kiocb *req = container_of(kiocb, struct io_kiocb, rw.kiocb);

	/*
	 * The filesystem may still be using the kiocb on the issuing side
	 * (ext4 touches it after iomap_dio_rw() returned): whoever of the
	 * two is last finishes the request, see io_rw_issued().
	 */
	req->iopoll_res = res;
	if (!refcount_dec_and_test(&req->rw.refs))
		return;
	io_req_task_queue(req, io_rw_complete_tw);
}

/* series: iopoll */
/*
 * ->ki_complete() of polled I/O: from the poller, or an irq.  The poller
 * posts the CQE when it finds the request done, in io_iopoll_reap().
 */
static void io_rw_complete_iopoll(struct kiocb *kiocb, long res)
{
	struct io_kiocb *req = container_of(kiocb, struct io_kiocb, rw.kiocb);

	req->iopoll_res = res;
	/* pairs with smp_load_acquire() of iopoll_done in io_iopoll_reap() */
	smp_store_release(&req->iopoll_done, true);
}

/* series: end */
/*
 * Done with one attempt.  A nonblocking attempt that moved part of the
 * data of a regular file goes on from there in a worker (a short count
 * from a file is only ever end-of-file), unless the request asked not to
 * wait: then the short count is its answer.
 */
static int __io_rw_done(struct io_kiocb *req, long ret, bool nonblock)
{
	struct io_rw *rw = &req->rw;

	if (nonblock && ret == -EOPNOTSUPP && !(req->flags & REQ_F_NOWAIT))
		ret = -EAGAIN;
	if (nonblock && ret == -EAGAIN) {
		io_end_sb_write(req);
		return (req->flags & REQ_F_NOWAIT) ? io_rw_finish(req, ret) : ret;
	}
	/*
	 * Short against what this attempt asked for, not against what is
	 * left in the iterator: the block layer does not advance a bvec
	 * iterator (registered buffers) for async direct I/O.
	 */
	if (nonblock && ret > 0 && (req->flags & REQ_F_ISREG) &&
	    ret < rw->state.count && !(req->flags & REQ_F_NOWAIT)) {
		iov_iter_restore(&rw->iter, &rw->state);
		iov_iter_advance(&rw->iter, ret);
		iov_iter_save_state(&rw->iter, &rw->state);
		rw->pos = rw->kiocb.ki_pos;
		rw->done += ret;
		io_end_sb_write(req);
		return -EAGAIN;
	}
	return io_rw_finish(req, ret);
}

/* The common case first: the I/O is queued, its completion comes later. */
static __always_inline int io_rw_done(struct io_kiocb *req, long ret,
				      bool nonblock)
{
	if (ret == -EIOCBQUEUED)
		return ret;
	return __io_rw_done(req, ret, nonblock);
}

/*
 * Files with ->read or ->write but no _iter variant: one segment at a
 * time.  A registered buffer is still the user memory it was registered
 * from, in the submitter's mm (which a worker shares): its segment is
 * passed by that address.
 */
static long io_loop_rw(struct io_kiocb *req, int ddir)
{
	struct io_rw *rw = &req->rw;
	struct file *file = req->file;
	loff_t *ppos = (file->f_mode & FMODE_STREAM) ? NULL : &rw->kiocb.ki_pos;
	long done = 0;

	while (iov_iter_count(&rw->iter)) {
		struct iovec iov;
		ssize_t n;

/* series: fixed-bufs */
		if (iov_iter_is_bvec(&rw->iter)) {
			iov.iov_len = iov_iter_count(&rw->iter);
			iov.iov_base = u64_to_user_ptr(rw->addr + rw->len -
						       iov.iov_len);
		} else {
			iov = iov_iter_iovec(&rw->iter);
		}
/* series: end */
/* series: !fixed-bufs */
		iov = iov_iter_iovec(&rw->iter);
/* series: end */

		if (ddir == READ)
			n = file->f_op->read(file, iov.iov_base, iov.iov_len, ppos);
		else
			n = file->f_op->write(file, iov.iov_base, iov.iov_len, ppos);
		if (n < 0)
			return done ? done : n;
		done += n;
		if (n != iov.iov_len)
			break;
		iov_iter_advance(&rw->iter, n);
	}
	return done;
}

/* Only a file's own O_NONBLOCK keeps plain ->read and ->write from blocking. */
static bool io_loop_may(struct io_kiocb *req, bool nonblock)
{
	return !nonblock || (req->file->f_flags & O_NONBLOCK);
}

/*
 * ->read_iter() or ->write_iter() returned: if it said -EIOCBQUEUED but the
 * completion already came, the result is ours to report.
 */
static long io_rw_issued(struct io_kiocb *req, long ret)
{
	if (ret != -EIOCBQUEUED || req->rw.kiocb.ki_complete != io_rw_complete)
		return ret;
	if (!refcount_dec_and_test(&req->rw.refs))
		return ret;
	return req->iopoll_res;
}

static int io_read(struct io_kiocb *req, unsigned int issue_flags)
{
	bool nonblock = issue_flags & IO_ISSUE_NONBLOCK;
	struct io_rw *rw = &req->rw;
	struct kiocb *kiocb = &rw->kiocb;
	struct file *file = req->file;
	long ret;

	ret = io_rw_setup(req, READ);
	if (unlikely(ret))
		return ret;
	if (nonblock) {
		if (!(req->flags & REQ_F_FILE_NOWAIT))
			return -EAGAIN;
		kiocb->ki_flags |= IOCB_NOWAIT;
	} else if (!(req->flags & REQ_F_NOWAIT)) {
		kiocb->ki_flags &= ~IOCB_NOWAIT;
	}

	refcount_set(&rw->refs, 2);
/* series: iopoll */
	if (req->ctx->flags & IORING_SETUP_IOPOLL)
		kiocb->private = NULL;	/* iocb_bio_iopoll() reads it as a bio */
/* series: end */
	if (likely(file->f_op->read_iter))
		ret = io_rw_issued(req, call_read_iter(file, kiocb, &rw->iter));
	else if (file->f_op->read && io_loop_may(req, nonblock))
		ret = io_loop_rw(req, READ);
	else
		ret = file->f_op->read ? -EAGAIN : -EINVAL;
	if (ret > 0)
		fsnotify_access(file);
	return io_rw_done(req, ret, nonblock);
}

static int io_write(struct io_kiocb *req, unsigned int issue_flags)
{
	bool nonblock = issue_flags & IO_ISSUE_NONBLOCK;
	struct io_rw *rw = &req->rw;
	struct kiocb *kiocb = &rw->kiocb;
	struct file *file = req->file;
	long ret;

	ret = io_rw_setup(req, WRITE);
	if (unlikely(ret))
		return ret;
	if (nonblock) {
		if (!(req->flags & REQ_F_FILE_NOWAIT))
			return -EAGAIN;
		/* most filesystems block in buffered writes whatever we ask */
		if ((req->flags & REQ_F_ISREG) &&
		    !(kiocb->ki_flags & IOCB_DIRECT) &&
		    !(file->f_mode & FMODE_BUF_WASYNC))
			return -EAGAIN;
		kiocb->ki_flags |= IOCB_NOWAIT;
	} else if (!(req->flags & REQ_F_NOWAIT)) {
		kiocb->ki_flags &= ~IOCB_NOWAIT;
	}

	if (S_ISREG(file_inode(file)->i_mode)) {
		struct super_block *sb = file_inode(file)->i_sb;

		if (nonblock) {
			if (!sb_start_write_trylock(sb))
				return -EAGAIN;
			/* the completion may run elsewhere: hand lockdep over */
			__sb_writers_release(sb, SB_FREEZE_WRITE);
		} else {
			kiocb_start_write(kiocb);
		}
		req->flags |= REQ_F_SB_WRITE | REQ_F_PREPPED;
	}
	kiocb->ki_flags |= IOCB_WRITE;

	refcount_set(&rw->refs, 2);
/* series: iopoll */
	if (req->ctx->flags & IORING_SETUP_IOPOLL)
		kiocb->private = NULL;
/* series: end */
	if (likely(file->f_op->write_iter))
		ret = io_rw_issued(req, call_write_iter(file, kiocb, &rw->iter));
	else if (file->f_op->write && io_loop_may(req, nonblock))
		ret = io_loop_rw(req, WRITE);
	else
		ret = file->f_op->write ? -EAGAIN : -EINVAL;
	if (ret > 0)
		fsnotify_modify(file);
	return io_rw_done(req, ret, nonblock);
}

/* Do the SQE fields that only data transfers use carry anything? */
static bool io_sqe_has_addr_buf(const struct io_uring_sqe *sqe)
{
	return READ_ONCE(sqe->addr) || READ_ONCE(sqe->buf_index) ||
	       READ_ONCE(sqe->splice_fd_in);
}

static int io_fsync_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_sync *sync = &req->sync;

	sync->off = READ_ONCE(sqe->off);
	sync->len = READ_ONCE(sqe->len);
	sync->flags = READ_ONCE(sqe->fsync_flags);
	/* the fields FSYNC has no use for must be zero, the offset sane */
	if (unlikely(io_sqe_has_addr_buf(sqe) || sync->off < 0 ||
		     (sync->flags & ~IORING_FSYNC_DATASYNC)))
		return -EINVAL;
	return 0;
}

static int io_fsync(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_sync *sync = &req->sync;
	loff_t end = sync->off + sync->len;

	if (issue_flags & IO_ISSUE_NONBLOCK)
		return -EAGAIN;
	return vfs_fsync_range(req->file, sync->off, end > 0 ? end : LLONG_MAX,
			       sync->flags & IORING_FSYNC_DATASYNC);
}

static int io_sfr_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_sync *sync = &req->sync;

	sync->off = READ_ONCE(sqe->off);
	sync->len = READ_ONCE(sqe->len);
	sync->flags = READ_ONCE(sqe->sync_range_flags);
	/* sync_file_range() itself checks the range and the flags */
	return io_sqe_has_addr_buf(sqe) ? -EINVAL : 0;
}

static int io_sfr(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_sync *sync = &req->sync;

	if (issue_flags & IO_ISSUE_NONBLOCK)
		return -EAGAIN;
	return sync_file_range(req->file, sync->off, sync->len, sync->flags);
}

/* series: end */
/* series: net */
/*
 * ======================================================================
 * Network: send and receive, accept, connect, socket, shutdown
 * ======================================================================
 *
 * Each op is one attempt of the syscall it stands for, on a socket that
 * can always be tried without blocking (MSG_DONTWAIT, or O_NONBLOCK for
 * accept and connect): one that would block answers -EAGAIN, and the core
 * waits for the socket in poll and tries again from task_work (fast poll),
 * with no worker thread.  MSG_DONTWAIT in sqe->msg_flags asks for the
 * -EAGAIN instead.  A worker tries a forced-async request the same way
 * (io_worker_run()), so O_NONBLOCK on the socket does not turn a request
 * into an -EAGAIN either.
 */

/*
 * The socket behind the request's file, or NULL.  Marks the file as one
 * that can be waited for in poll when an attempt would block.
 */
static struct socket *io_sock(struct io_kiocb *req)
{
	struct socket *sock = sock_from_file(req->file);

	if (sock)
		req->flags |= REQ_F_FILE_NOWAIT;
	return sock;
}

/* The SQE fields of SENDMSG, RECVMSG, SEND and RECV */
static int io_sr_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	bool send = req->opcode == IORING_OP_SENDMSG ||
		    req->opcode == IORING_OP_SEND;
	u32 msg_flags = READ_ONCE(sqe->msg_flags);
	struct io_sr *sr = &req->sr;
	u64 unused;

	/* all of it first: io_sr_cleanup() runs whatever fails below */
	*sr = (struct io_sr) {
		.ubuf	= u64_to_user_ptr(READ_ONCE(sqe->addr)),
		.len	= READ_ONCE(sqe->len),
		.flags	= READ_ONCE(sqe->ioprio),
	};
	/*
	 * addr2 is sendto()'s address, for SEND alone; the word of its
	 * length doubles as file_index, which nothing here uses.
	 */
	if (req->opcode != IORING_OP_SEND) {
		unused = READ_ONCE(sqe->addr2) | READ_ONCE(sqe->file_index);
	} else {
		unused = READ_ONCE(sqe->__pad3[0]);
		sr->addr = u64_to_user_ptr(READ_ONCE(sqe->addr2));
		sr->addr_len = READ_ONCE(sqe->addr_len);
	}
	/* multishot and provided buffers are not ours (yet) */
	if (unused || (sr->flags & ~IORING_RECVSEND_POLL_FIRST))
		return -EINVAL;

	/* a user's own MSG_CMSG_COMPAT would have its msghdr misread */
	msg_flags &= ~MSG_CMSG_COMPAT;
	if (req->ctx->compat)
		msg_flags |= MSG_CMSG_COMPAT;
	/* a send never raises SIGPIPE: the CQE says -EPIPE */
	if (send)
		msg_flags |= MSG_NOSIGNAL;
	/* "don't wait" is the request's answer, not just the attempt's */
	if (msg_flags & MSG_DONTWAIT)
		req->flags |= REQ_F_NOWAIT;
	sr->msg_flags = msg_flags;
	return 0;
}

static void io_sr_cleanup(struct io_kiocb *req)
{
	struct io_msg_state *ms = req->sr.ms;

	if (ms) {
		kfree(ms->free_iov);
		kfree(ms);
	}
}

/*
 * Read the user's msghdr, or SEND's address, once: at the first issue or
 * before the request leaves the submitter (->prep_async()).
 */
static int io_msg_import(struct io_kiocb *req)
{
	struct io_sr *sr = &req->sr;
	struct io_msg_state *ms;
	struct iovec *iov;
	int ret;

	if (sr->ms)
		return 0;
	/* zeroed: the msghdr fields the copy leaves alone stay cleared */
	ms = kzalloc(sizeof(*ms), GFP_KERNEL_ACCOUNT);
	if (!ms)
		return -ENOMEM;
	iov = ms->fast_iov;
	ms->msg.msg_name = &ms->addr;
	switch (req->opcode) {
	case IORING_OP_SENDMSG:
		ret = sendmsg_copy_msghdr(&ms->msg, sr->ubuf, sr->msg_flags,
					  &iov);
		break;
	case IORING_OP_RECVMSG:
		ret = recvmsg_copy_msghdr(&ms->msg, sr->ubuf, sr->msg_flags,
					  &ms->uaddr, &iov);
		/* an ask for IORING_CQE_F_SOCK_NONEMPTY */
		ms->msg.msg_get_inq = 1;
		break;
	default:	/* IORING_OP_SEND with an address */
		ret = move_addr_to_kernel(sr->addr, sr->addr_len, &ms->addr);
		iov = NULL;
		break;
	}
	if (ret) {
		/* a failed import of the iovecs frees them itself */
		kfree(ms);
		/* as 6.1, too many iovecs are refused as readv() does */
		return ret == -EMSGSIZE ? -EINVAL : ret;
	}
	ms->free_iov = iov;
	ms->control = ms->msg.msg_control_user;
	ms->controllen = ms->msg.msg_controllen;
	sr->ms = ms;
	req->flags |= REQ_F_PREPPED;
	return 0;
}

static int io_msg_prep_async(struct io_kiocb *req)
{
	return io_msg_import(req);
}

static int io_send_prep_async(struct io_kiocb *req)
{
	return req->sr.addr ? io_msg_import(req) : 0;
}

/*
 * IORING_RECVSEND_POLL_FIRST: the first nonblocking attempt is not made,
 * the socket is waited for first.  A blocking attempt (a worker) is as
 * good as a wait.
 */
static bool io_sr_poll_first(struct io_sr *sr, bool nonblock)
{
	if (!(sr->flags & IORING_RECVSEND_POLL_FIRST))
		return false;
	sr->flags &= ~IORING_RECVSEND_POLL_FIRST;
	return nonblock;
}

static unsigned int io_sr_flags(struct io_sr *sr, bool nonblock)
{
	return sr->msg_flags | (nonblock ? MSG_DONTWAIT : 0);
}

/*
 * An attempt of a send or receive gave *@ret: what moved of the @want bytes
 * it asked for, or an error.  MSG_WAITALL on a stream means all of it: a
 * short attempt goes on where it stopped, and whatever ends it (an error,
 * EOF, a signal), the answer is what moved.  Returns true if a blocking
 * attempt is to be followed by another at once; else *@ret is the answer,
 * or -EAGAIN to wait for the socket and go on.
 */
static bool io_sr_again(struct io_kiocb *req, struct socket *sock, int *ret,
			size_t want, unsigned int flags, bool nonblock)
{
	struct io_sr *sr = &req->sr;
	int res = *ret;

	if (res > 0 && res < want && (flags & MSG_WAITALL) &&
	    (sock->type == SOCK_STREAM || sock->type == SOCK_SEQPACKET)) {
		sr->done += res;
		/* ancillary data goes with the first part only */
		if (sr->ms) {
			sr->ms->control = NULL;
			sr->ms->controllen = 0;
		}
		if (req->flags & REQ_F_NOWAIT) {
			/* as 6.1: short of the whole length breaks a link */
			req->flags |= REQ_F_FAIL;
			*ret = sr->done;
			return false;
		}
		if (!nonblock)
			return true;
		*ret = -EAGAIN;
		return false;
	}
	/* an O_NONBLOCK socket says so to a blocking attempt too */
	if (res == -EAGAIN && !(req->flags & REQ_F_NOWAIT))
		return false;
	/* an error, or short of MSG_WAITALL's length: a link breaks here */
	if (res < 0 || ((flags & MSG_WAITALL) && res < want))
		req->flags |= REQ_F_FAIL;
	if (res >= 0)
		*ret = res + sr->done;
	else if (sr->done)
		*ret = sr->done;
	return false;
}

/* What the last attempt of a receive says beyond its result. */
static void io_recv_done(struct io_kiocb *req, int ret, unsigned int flags,
			 const struct msghdr *msg)
{
	/* TCP's hint of bytes left, asked for with msg_get_inq */
	if (ret >= 0 && msg->msg_inq)
		req->cflags |= IORING_CQE_F_SOCK_NONEMPTY;
	/* as 6.1: MSG_WAITALL that did not get all of it breaks a link */
	if ((flags & MSG_WAITALL) && (msg->msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
		req->flags |= REQ_F_FAIL;
}

/* SENDMSG and RECVMSG: the msghdr read once, its iterator moving on. */
static int io_sendrecvmsg(struct io_kiocb *req, unsigned int issue_flags,
			  int ddir)
{
	bool nonblock = issue_flags & IO_ISSUE_NONBLOCK;
	struct socket *sock = io_sock(req);
	struct io_sr *sr = &req->sr;
	struct io_msg_state *ms;
	unsigned int flags;
	size_t want;
	int ret;

	if (!sock)
		return -ENOTSOCK;
	ret = io_msg_import(req);
	if (ret)
		return ret;
	if (io_sr_poll_first(sr, nonblock))
		return -EAGAIN;
	ms = sr->ms;
	flags = io_sr_flags(sr, nonblock);
	do {
		want = iov_iter_count(&ms->msg.msg_iter);
		if (ddir == WRITE) {
			/* ____sys_sendmsg() leaves msg_control at its copy */
			ms->msg.msg_control_user = ms->control;
			ms->msg.msg_controllen = ms->controllen;
			ms->msg.msg_control_is_user = true;
			ret = __sys_sendmsg_sock(sock, &ms->msg, flags);
		} else {
			/* with ancillary data the first part is the answer */
			if (ms->msg.msg_controllen)
				want = 0;
			ret = __sys_recvmsg_sock(sock, &ms->msg, sr->ubuf,
						 ms->uaddr, flags);
		}
	} while (io_sr_again(req, sock, &ret, want, flags, nonblock));
	if (ddir == READ)
		io_recv_done(req, ret, flags, &ms->msg);
	return ret;
}

static int io_sendmsg(struct io_kiocb *req, unsigned int issue_flags)
{
	return io_sendrecvmsg(req, issue_flags, WRITE);
}

static int io_recvmsg(struct io_kiocb *req, unsigned int issue_flags)
{
	return io_sendrecvmsg(req, issue_flags, READ);
}

/* SEND and RECV: a msghdr on the stack for each attempt. */
static int io_sendrecv(struct io_kiocb *req, unsigned int issue_flags,
		       int ddir)
{
	bool nonblock = issue_flags & IO_ISSUE_NONBLOCK;
	struct socket *sock = io_sock(req);
	struct io_sr *sr = &req->sr;
	unsigned int flags;
	struct msghdr msg;
	struct iovec iov;
	size_t want;
	int ret;

	if (!sock)
		return -ENOTSOCK;
	if (sr->addr) {
		ret = io_msg_import(req);
		if (ret)
			return ret;
	}
	if (io_sr_poll_first(sr, nonblock))
		return -EAGAIN;
	flags = io_sr_flags(sr, nonblock);
	do {
		memset(&msg, 0, sizeof(msg));
		ret = import_single_range(ddir, sr->ubuf + sr->done,
					  sr->len - sr->done, &iov, &msg.msg_iter);
		if (ret)
			break;
		/* at most MAX_RW_COUNT: a full attempt is not a short one */
		want = iov_iter_count(&msg.msg_iter);
		if (ddir == WRITE) {
			if (sr->ms) {
				msg.msg_name = &sr->ms->addr;
				msg.msg_namelen = sr->addr_len;
			}
			msg.msg_flags = flags & ~MSG_INTERNAL_SENDMSG_FLAGS;
			ret = sock_sendmsg(sock, &msg);
		} else {
			msg.msg_get_inq = 1;
			ret = sock_recvmsg(sock, &msg, flags);
		}
	} while (io_sr_again(req, sock, &ret, want, flags, nonblock));
	if (ddir == READ)
		io_recv_done(req, ret, flags, &msg);
	return ret;
}

static int io_send(struct io_kiocb *req, unsigned int issue_flags)
{
	return io_sendrecv(req, issue_flags, WRITE);
}

static int io_recv(struct io_kiocb *req, unsigned int issue_flags)
{
	return io_sendrecv(req, issue_flags, READ);
}

static int io_accept_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_accept *acc = &req->accept;
	int flags;

	if (READ_ONCE(sqe->len) || READ_ONCE(sqe->buf_index))
		return -EINVAL;
	/* IORING_ACCEPT_MULTISHOT is not ours (yet) */
	if (READ_ONCE(sqe->ioprio))
		return -EINVAL;
	acc->addr = u64_to_user_ptr(READ_ONCE(sqe->addr));
	acc->addr_len = u64_to_user_ptr(READ_ONCE(sqe->addr2));
	acc->file_index = READ_ONCE(sqe->file_index);
	flags = READ_ONCE(sqe->accept_flags);
	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	/* a registered slot has no close-on-exec */
	if (acc->file_index && (flags & SOCK_CLOEXEC))
		return -EINVAL;
	/* as accept4(): the new file wants O_NONBLOCK, on every arch */
	if (flags & SOCK_NONBLOCK)
		flags = (flags & ~SOCK_NONBLOCK) | O_NONBLOCK;
	acc->flags = flags;
	return 0;
}

static int io_accept(struct io_kiocb *req, unsigned int issue_flags)
{
	bool nonblock = issue_flags & IO_ISSUE_NONBLOCK;
	struct io_accept *acc = &req->accept;
	struct file *file;
	int fd = -1;

	if (!io_sock(req))
		return -ENOTSOCK;
	if (!acc->file_index) {
		fd = get_unused_fd_flags(acc->flags);
		if (fd < 0)
			return fd;
	}
	file = do_accept(req->file, nonblock ? O_NONBLOCK : 0, acc->addr,
			 acc->addr_len, acc->flags);
	if (IS_ERR(file)) {
		if (fd >= 0)
			put_unused_fd(fd);
		return PTR_ERR(file);
	}
	if (fd < 0)
		return io_file_slot_install(req, file, acc->file_index,
					    issue_flags);
	fd_install(fd, file);
	return fd;
}

static int io_connect_prep(struct io_kiocb *req,
			   const struct io_uring_sqe *sqe)
{
	struct io_connect *conn = &req->connect;

	if (READ_ONCE(sqe->len) || READ_ONCE(sqe->buf_index) ||
	    READ_ONCE(sqe->rw_flags) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	conn->uaddr = u64_to_user_ptr(READ_ONCE(sqe->addr));
	conn->addr_len = READ_ONCE(sqe->addr2);
	conn->copied = false;
	conn->in_progress = false;
	conn->aborted = false;
	return 0;
}

/* The address is read in the submitter, once: a later attempt reuses it. */
static int io_connect_prep_async(struct io_kiocb *req)
{
	struct io_connect *conn = &req->connect;
	int ret;

	if (conn->copied)
		return 0;
	ret = move_addr_to_kernel(conn->uaddr, conn->addr_len, &conn->addr);
	conn->copied = !ret;
	return ret;
}

/*
 * A connect that can't complete at once (-EINPROGRESS) goes on in the
 * background; the socket polls writable when it is done, or in error.
 * The next attempt then finds it connected (-EISCONN), and the answer is
 * the socket's error, if any, as getsockopt(SO_ERROR) would say.
 */
static int io_connect(struct io_kiocb *req, unsigned int issue_flags)
{
	bool nonblock = issue_flags & IO_ISSUE_NONBLOCK;
	struct io_connect *conn = &req->connect;
	struct socket *sock;
	int ret;

	ret = io_connect_prep_async(req);
	if (ret)
		return ret;
	sock = io_sock(req);
	if (!sock)
		return -ENOTSOCK;
	if (conn->in_progress && (vfs_poll(req->file, NULL) & EPOLLERR))
		return sock_error(sock->sk);
	ret = __sys_connect_file(req->file, &conn->addr, conn->addr_len,
				 nonblock ? O_NONBLOCK : 0);
	switch (ret) {
	case -EINPROGRESS:
		conn->in_progress = true;
		return -EAGAIN;
	case -EALREADY:
		/* woken before the connection was made */
		return conn->in_progress ? -EAGAIN : ret;
	case -ECONNABORTED:
		/* a listener going away under us: one more go, as 6.1 */
		if (!nonblock || conn->aborted)
			return ret;
		conn->aborted = true;
		return -EAGAIN;
	case -EISCONN:
	case -EBADFD:
		return conn->in_progress ? sock_error(sock->sk) : ret;
	default:
		return ret;
	}
}

static int io_shutdown_prep(struct io_kiocb *req,
			    const struct io_uring_sqe *sqe)
{
	if (READ_ONCE(sqe->off) || READ_ONCE(sqe->addr) ||
	    READ_ONCE(sqe->rw_flags) || READ_ONCE(sqe->buf_index) ||
	    READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	req->shutdown_how = READ_ONCE(sqe->len);
	return 0;
}

/* Shutting down never waits for the peer: done at once. */
static int io_shutdown(struct io_kiocb *req, unsigned int issue_flags)
{
	struct socket *sock = sock_from_file(req->file);

	if (!sock)
		return -ENOTSOCK;
	return __sys_shutdown_sock(sock, req->shutdown_how);
}

static int io_socket_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_socket *s = &req->sock;
	int flags;

	if (READ_ONCE(sqe->addr) || READ_ONCE(sqe->rw_flags) ||
	    READ_ONCE(sqe->buf_index))
		return -EINVAL;
	s->domain = READ_ONCE(sqe->fd);
	s->type = READ_ONCE(sqe->off);
	s->protocol = READ_ONCE(sqe->len);
	s->file_index = READ_ONCE(sqe->file_index);
	flags = s->type & ~SOCK_TYPE_MASK;
	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	if (s->file_index && (flags & SOCK_CLOEXEC))
		return -EINVAL;
	return 0;
}

static int io_socket(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_socket *s = &req->sock;
	struct file *file;
	int fd = -1;

	if (!s->file_index) {
		/* SOCK_CLOEXEC is O_CLOEXEC */
		fd = get_unused_fd_flags(s->type & SOCK_CLOEXEC);
		if (fd < 0)
			return fd;
	}
	file = __sys_socket_file(s->domain, s->type, s->protocol);
	if (IS_ERR(file)) {
		if (fd >= 0)
			put_unused_fd(fd);
		return PTR_ERR(file);
	}
	if (fd < 0)
		return io_file_slot_install(req, file, s->file_index,
					    issue_flags);
	fd_install(fd, file);
	return fd;
}

/* series: end */
/*
 * ======================================================================
 * Completion and overflow
 * ======================================================================
 */

static u32 io_cqring_ready(struct io_ring_ctx *ctx)
{
	u32 tail = READ_ONCE(ctx->cached_cq_tail);

	/* [CQ-H] pairs with userspace's release of cq.head once it read CQEs */
	return tail - smp_load_acquire(&ctx->rings->cq_head);
}

/*
 * Queue a CQE that does not fit.  Returns false if even that failed, in
 * which case the CQE is lost: counted in cq_overflow and reported to the
 * next waiter as -EBADR.
 */
static bool io_overflow_cqe(struct io_ring_ctx *ctx, u64 user_data, s32 res,
			    u32 cflags)
{
	struct io_overflow_cqe *ocqe;

	lockdep_assert_held(&ctx->completion_lock);
	ocqe = kmalloc(sizeof(*ocqe), GFP_ATOMIC | __GFP_ACCOUNT);
	if (!ocqe) {
		WRITE_ONCE(ctx->rings->cq_overflow,
			   READ_ONCE(ctx->rings->cq_overflow) + 1);
		ctx->cq_dropped = true;
		return false;
	}
	if (list_empty(&ctx->overflow_list))
		atomic_or(IORING_SQ_CQ_OVERFLOW,
			  (atomic_t *)&ctx->rings->sq_flags);
	ocqe->cqe.user_data = user_data;
	ocqe->cqe.res = res;
	ocqe->cqe.flags = cflags;
	list_add_tail(&ocqe->list, &ctx->overflow_list);
	return true;
}

/* Write a CQE into a slot known to be free. */
static void io_put_cqe(struct io_ring_ctx *ctx, u64 user_data, s32 res,
		       u32 cflags)
{
	struct io_uring_cqe *cqe;

	cqe = &ctx->cqes[ctx->cached_cq_tail & (ctx->cq_entries - 1)];
	WRITE_ONCE(cqe->user_data, user_data);
	WRITE_ONCE(cqe->res, res);
	WRITE_ONCE(cqe->flags, cflags);
	ctx->cached_cq_tail++;
}

/*
 * How many CQEs may be written without looking again: none while older
 * ones wait on the overflow list.  Only grows while completion_lock is
 * held, as userspace can only free slots.
 */
static u32 io_cq_room(struct io_ring_ctx *ctx)
{
	lockdep_assert_held(&ctx->completion_lock);
	if (unlikely(!list_empty(&ctx->overflow_list)))
		return 0;
	return ctx->cq_entries - io_cqring_ready(ctx);
}

/*
 * Write one CQE; the caller publishes it with io_commit_cqring().  CQEs
 * queued on the overflow list go first, to keep completions in order.
 */
static bool io_fill_cqe(struct io_ring_ctx *ctx, u64 user_data, s32 res,
			u32 cflags)
{
	lockdep_assert_held(&ctx->completion_lock);
	if (unlikely(!io_cq_room(ctx)))
		return io_overflow_cqe(ctx, user_data, res, cflags);

	io_put_cqe(ctx, user_data, res, cflags);
	return true;
}

static void io_commit_cqring(struct io_ring_ctx *ctx)
{
	lockdep_assert_held(&ctx->completion_lock);
	/* [CQ-T] pairs with userspace's acquire of cq.tail before reading CQEs */
	smp_store_release(&ctx->rings->cq_tail, ctx->cached_cq_tail);
}

/*
 * Move queued overflow CQEs into the ring as far as there is room.
 * Returns true if the backlog is now empty.
 */
static bool io_flush_overflow(struct io_ring_ctx *ctx)
{
	struct io_overflow_cqe *ocqe;
	bool moved = false, empty;
	unsigned long flags;

	spin_lock_irqsave(&ctx->completion_lock, flags);
	while (!list_empty(&ctx->overflow_list) &&
	       io_cqring_ready(ctx) < ctx->cq_entries) {
		struct io_uring_cqe *cqe;

		ocqe = list_first_entry(&ctx->overflow_list,
					struct io_overflow_cqe, list);
		cqe = &ctx->cqes[ctx->cached_cq_tail++ &
					(ctx->cq_entries - 1)];
		*cqe = ocqe->cqe;
		list_del(&ocqe->list);
		kfree(ocqe);
		moved = true;
	}
/* series: link */
	if (moved && ctx->nr_seq_timeouts)
		io_flush_seq_timeouts(ctx);
/* series: end */
	empty = list_empty(&ctx->overflow_list);
	if (empty)
		atomic_andnot(IORING_SQ_CQ_OVERFLOW,
			      (atomic_t *)&ctx->rings->sq_flags);
	if (moved)
		io_commit_cqring(ctx);
	spin_unlock_irqrestore(&ctx->completion_lock, flags);
	if (moved)
		io_cqring_ev_posted(ctx);
	return empty;
}

/* series: iopoll */
/*
 * An IOPOLL request handed to a worker has left it: issued, on its way to
 * poll, or completing.  The caller wakes waiters, see
 * io_iopoll_wait_async().
 */
static void io_iopoll_async_put(struct io_kiocb *req)
{
	req->flags &= ~REQ_F_IOPOLL_ASYNC;
	atomic_dec(&req->ctx->iopoll_async);
}

/* series: end */
/*
 * Complete a request without uring_lock: from a worker, or a canceller.
 * Never from hard irq: what completes there goes through task_work
 * first, so the CQE is posted, and an overflow entry charged, in task
 * context.
 */
static void io_req_complete(struct io_kiocb *req, s32 res)
{
	struct io_uring_task *tctx = req->tctx;
	struct io_ring_ctx *ctx = req->ctx;

	req->result = res;
	if (res < 0)
		req->flags |= REQ_F_FAIL;
/* series: iopoll */
	/* a waiter for it wakes with the CQE, see io_iopoll_wait_async() */
	if (unlikely(req->flags & REQ_F_IOPOLL_ASYNC))
		io_iopoll_async_put(req);
/* series: end */
	io_req_put_resources(req, false);
	spin_lock_irq(&ctx->completion_lock);
	io_req_post(ctx, req);
/* series: link */
	/* lock-free, and before the request can be reused */
	if (req->link)
		io_req_queue_next(req);
/* series: end */
	/*
	 * From here on the request may be reused by the submitter, or freed
	 * by io_req_cache_drain() with the reference it held on the ring:
	 * ours keeps the ring to the end of the function.
	 */
	percpu_ref_get(&ctx->refs);
	req->next = ctx->locked_free;
	WRITE_ONCE(ctx->locked_free, req);
	io_cq_unlock_post(ctx);
	io_tctx_inflight_put(tctx, 1);
	percpu_ref_put(&ctx->refs);
}

/* series: eventfd */
/* Count new CQEs on the registered eventfd, if it wants them. */
static void io_eventfd_signal(struct io_ring_ctx *ctx)
{
	struct eventfd_ctx *evfd;
	bool async;

	if (READ_ONCE(ctx->rings->cq_flags) & IORING_CQ_EVENTFD_DISABLED)
		return;
	/*
	 * IORING_REGISTER_EVENTFD_ASYNC: only completions run by a worker,
	 * an io thread without a task context; not the SQ thread's, as 6.1.
	 */
	async = in_task() && (current->flags & PF_IO_WORKER) &&
		!current->io_uring;
	/* io_unregister_eventfd() waits for this section before the put */
	rcu_read_lock();
	evfd = rcu_dereference(ctx->evfd);
	if (evfd && (async || !READ_ONCE(ctx->evfd_async))) {
		/*
		 * Inside an eventfd's wakeup (deferred task_work queued by a
		 * poll on an eventfd), eventfd would refuse: a worker sends it.
		 */
		if (eventfd_signal_allowed())
			eventfd_signal_mask(evfd, 1,
					    (__force u32)EPOLL_URING_WAKE);
		else
			queue_work(system_unbound_wq, &ctx->evfd_work);
	}
	rcu_read_unlock();
}

/*
 * Is @req's wakeup that of the ring's own eventfd (a poll on it)?  Then
 * the CQE that signalled it told its readers already: a second count
 * for the deferred task_work would be one too many.
 */
static bool io_eventfd_woke(struct io_ring_ctx *ctx, struct io_kiocb *req)
{
	struct eventfd_ctx *evfd;
	bool ret;

	/* not inside an eventfd's wakeup, or the request waits on no file */
	if (eventfd_signal_allowed() || !req->file)
		return false;
	evfd = eventfd_ctx_fileget(req->file);
	if (IS_ERR(evfd))
		return false;
	rcu_read_lock();
	ret = evfd == rcu_dereference(ctx->evfd);
	rcu_read_unlock();
	eventfd_ctx_put(evfd);
	return ret;
}

static void io_eventfd_work(struct work_struct *work)
{
	struct io_ring_ctx *ctx = container_of(work, struct io_ring_ctx,
					       evfd_work);
	struct eventfd_ctx *evfd;

	rcu_read_lock();
	evfd = rcu_dereference(ctx->evfd);
	if (evfd)
		eventfd_signal_mask(evfd, 1, (__force u32)EPOLL_URING_WAKE);
	rcu_read_unlock();
}

/* series: end */
/*
 * Tell whoever waits that new CQEs are visible.  Inline: every flush of
 * completions ends here, and mostly nobody waits.
 */
static inline void io_cqring_ev_posted(struct io_ring_ctx *ctx)
{
/* series: eventfd */
	/* first, so that a waiter woken by the CQE finds the eventfd counted */
	if (unlikely(rcu_access_pointer(ctx->evfd)))
		io_eventfd_signal(ctx);
/* series: end */
	io_cqring_wake(ctx);
}

static void io_poll_wait_work(struct work_struct *work)
{
	struct io_ring_ctx *ctx = container_of(work, struct io_ring_ctx,
					       poll_work);

	wake_up_interruptible_poll(&ctx->poll_wait, EPOLL_URING_WAKE |
				   EPOLLIN | EPOLLRDNORM);
}

/* Wake io_uring_enter() waiters and pollers of the ring fd. */
static inline void io_cqring_wake(struct io_ring_ctx *ctx)
{
	/* one barrier for both lookups below: the new cq.tail, then waiters */
	smp_mb();
	/* pairs with prepare_to_wait()'s barrier in io_cqring_wait() */
	if (waitqueue_active(&ctx->cq_wait))
		wake_up_all(&ctx->cq_wait);
	/*
	 * pairs with the smp_mb() after poll_wait() in io_uring_poll();
	 * EPOLL_URING_WAKE: a CQE woke it, see io_poll_wake()
	 */
	if (io_ring_polled(ctx))
		wake_up_interruptible_poll(&ctx->poll_wait, EPOLL_URING_WAKE |
					   EPOLLIN | EPOLLRDNORM);
}

/*
 * ======================================================================
 * Waiting for completions
 * ======================================================================
 */

struct io_wait_args {
	const sigset_t __user	*sig;
	size_t			sigsz;
	ktime_t			timeout;	/* absolute, KTIME_MAX: none */
};

static int io_get_wait_args(u32 flags, const void __user *argp, size_t argsz,
			    struct io_wait_args *w)
{
	struct io_uring_getevents_arg arg;
	struct timespec64 ts;

	w->timeout = KTIME_MAX;
	if (!(flags & IORING_ENTER_EXT_ARG)) {
		w->sig = argp;
		w->sigsz = argsz;
		return 0;
	}
	if (argsz != sizeof(arg))
		return -EINVAL;
	if (copy_from_user(&arg, argp, sizeof(arg)))
		return -EFAULT;
	if (arg.pad)
		return -EINVAL;
	w->sig = u64_to_user_ptr(arg.sigmask);
	w->sigsz = arg.sigmask_sz;
	if (arg.ts) {
		if (get_timespec64(&ts, u64_to_user_ptr(arg.ts)))
			return -EFAULT;
		/*
		 * One too far out to reach is no timeout, not expired; one
		 * in the past has expired (ktime_add_safe() wants both >= 0).
		 */
		w->timeout = ktime_add_safe(ktime_get(),
					    max_t(ktime_t, 0, timespec64_to_ktime(ts)));
	}
	return 0;
}

/* series: iopoll */
/* An IOPOLL ring polls without sigmask or timeout, but the form is checked. */
static int io_check_ext_arg(u32 flags, const void __user *argp, size_t argsz)
{
	struct io_uring_getevents_arg arg;

	if (!(flags & IORING_ENTER_EXT_ARG))
		return 0;
	if (argsz != sizeof(arg))
		return -EINVAL;
	return copy_from_user(&arg, argp, sizeof(arg)) ? -EFAULT : 0;
}

/* series: end */
static int io_check_cq(struct io_ring_ctx *ctx, u32 min_events)
{
	if (unlikely(!list_empty_careful(&ctx->overflow_list)))
		io_flush_overflow(ctx);
	if (unlikely(READ_ONCE(ctx->cq_dropped))) {
		bool dropped;

		/* one waiter reports it */
		spin_lock_irq(&ctx->completion_lock);
		dropped = ctx->cq_dropped;
		ctx->cq_dropped = false;
		spin_unlock_irq(&ctx->completion_lock);
		if (dropped)
			return -EBADR;
	}
	if (!min_events)
		return 1;
	/* cached_cq_tail is read racily: only a hint to stop waiting */
	return io_cqring_ready(ctx) >= min_events;
}

/* io_cqring_wait() when it has to: what is set up here costs */
static noinline int io_cqring_sleep(struct io_ring_ctx *ctx, u32 min_events,
				    struct io_wait_args *w, u32 nr_timeouts)
{
	struct hrtimer_sleeper timer;
	DEFINE_WAIT(wait);
	int ret;

	if (w->sig) {
#ifdef CONFIG_COMPAT
		if (in_compat_syscall())
			ret = set_compat_user_sigmask((const compat_sigset_t __user *)w->sig,
						      w->sigsz);
		else
#endif
			ret = set_user_sigmask(w->sig, w->sigsz);
		if (ret)
			return ret;
	}

	if (w->timeout != KTIME_MAX) {
		hrtimer_init_sleeper_on_stack(&timer, CLOCK_MONOTONIC,
					      HRTIMER_MODE_ABS);
		hrtimer_set_expires(&timer.timer, w->timeout);
	}

	for (;;) {
		prepare_to_wait(&ctx->cq_wait, &wait, TASK_INTERRUPTIBLE);
		ret = io_check_cq(ctx, min_events);
		if (ret)
			break;
		/*
		 * DEFER_TASKRUN's task_work (only ours to run, io_enter_check())
		 * wakes us; io_req_local_queue()'s llist_add() and the wakeup's
		 * barrier pair with prepare_to_wait()'s.
		 */
		if (unlikely(!llist_empty(&ctx->local_list))) {
			__set_current_state(TASK_RUNNING);
			io_run_local(ctx);
			continue;
		}
/* series: link */
		if (READ_ONCE(ctx->cq_timeouts) != nr_timeouts)
			break;
/* series: end */
		if (task_work_pending(current) ||
		    test_thread_flag(TIF_NOTIFY_SIGNAL)) {
			__set_current_state(TASK_RUNNING);
			clear_notify_signal();
			if (task_work_pending(current))
				task_work_run();
			continue;
		}
		/*
		 * Only a real signal ends the wait: task_work queued with
		 * TWA_SIGNAL since the check above (a drain kick, a poll
		 * retry) also makes signal_pending() true, and is only ours
		 * to run on the next round.
		 */
		if (task_sigpending(current)) {
			ret = -EINTR;
			break;
		}
		if (w->timeout == KTIME_MAX) {
			schedule();
			continue;
		}
		if (!timer.task) {
			ret = -ETIME;
			break;
		}
		hrtimer_sleeper_start_expires(&timer, HRTIMER_MODE_ABS);
		schedule();
		hrtimer_cancel(&timer.timer);
	}
	finish_wait(&ctx->cq_wait, &wait);
	if (w->timeout != KTIME_MAX)
		destroy_hrtimer_on_stack(&timer.timer);
	restore_saved_sigmask_unless(ret == -EINTR);
	/* as 6.1: a timeout or a signal with CQEs to reap is no error */
	if ((ret == -ETIME || ret == -EINTR) && io_cqring_ready(ctx))
		return 0;
	return ret < 0 ? ret : 0;
}

static int io_cqring_wait(struct io_ring_ctx *ctx, u32 min_events,
			  struct io_wait_args *w)
{
/* series: link */
	/* a timeout's CQE ends the wait, min_events or not, as in 6.1 */
	u32 nr_timeouts = READ_ONCE(ctx->cq_timeouts);
/* series: end */
/* series: !link */
	u32 nr_timeouts = 0;
/* series: end */
	int ret;

	min_events = min(min_events, ctx->cq_entries);
	/* with min_events 0 this only moves overflowed CQEs into the ring */
	ret = io_check_cq(ctx, min_events);
	if (ret)
		return ret < 0 ? ret : 0;
	return io_cqring_sleep(ctx, min_events, w, nr_timeouts);
}

/* series: iopoll */
/*
 * IORING_SETUP_IOPOLL: completions are found by polling the device for the
 * requests in flight, not by sleeping for an interrupt.  Returns how many
 * CQEs were posted.
 */
static int io_iopoll_reap(struct io_ring_ctx *ctx)
{
	DEFINE_IO_COMP_BATCH(iob);
	struct io_kiocb *req, *tmp;
	int nr = 0;

	lockdep_assert_held(&ctx->uring_lock);
	/*
	 * Requests mostly share a queue, and one poll reaps all of its done
	 * requests: poll until something completed, then go and reap.
	 */
	list_for_each_entry(req, &ctx->iopoll_list, list) {
		struct kiocb *kiocb = &req->rw.kiocb;

		if (READ_ONCE(req->iopoll_done))
			break;
		kiocb->ki_filp->f_op->iopoll(kiocb, &iob, BLK_POLL_ONESHOT);
		if (!rq_list_empty(iob.req_list) || READ_ONCE(req->iopoll_done))
			break;
	}
	if (!rq_list_empty(iob.req_list))
		iob.complete(&iob);

	list_for_each_entry_safe(req, tmp, &ctx->iopoll_list, list) {
		long res;

		/* pairs with smp_store_release() in io_rw_complete_iopoll() */
		if (!smp_load_acquire(&req->iopoll_done))
			continue;
		list_del(&req->list);
		res = req->iopoll_res;
		/* we may be another task: the submitter's own workers retry */
		if (io_rw_want_reissue(req, res)) {
			io_req_task_queue(req, io_rw_reissue_tw);
			continue;
		}
		io_req_complete_locked(req, io_fixup_result(io_rw_finish(req, res)));
		nr++;
	}
	io_flush_compl_list(ctx);
	return nr;
}

/*
 * Nothing to poll, but requests on their way to the iopoll list from a
 * worker: sleep until one gets there or completes (io_worker_run(),
 * io_req_complete()), rather than return to a caller that would spin.
 */
static int io_iopoll_wait_async(struct io_ring_ctx *ctx, u32 min_events)
{
	DEFINE_WAIT(wait);
	int ret = 0;

	prepare_to_wait(&ctx->cq_wait, &wait, TASK_INTERRUPTIBLE);
	if (task_work_pending(current) || test_thread_flag(TIF_NOTIFY_SIGNAL)) {
		__set_current_state(TASK_RUNNING);
		clear_notify_signal();
		if (task_work_pending(current))
			task_work_run();
	} else if (task_sigpending(current)) {
		ret = -EINTR;
	} else if (atomic_read(&ctx->iopoll_async) &&
		   list_empty_careful(&ctx->iopoll_list) &&
		   llist_empty(&ctx->local_list) &&
		   io_cqring_ready(ctx) < min_events) {
		schedule();
	}
	finish_wait(&ctx->cq_wait, &wait);
	return ret;
}

static int io_iopoll_check(struct io_ring_ctx *ctx, u32 min_events)
{
	int ret = 0;

	min_events = min(min_events, ctx->cq_entries);
	mutex_lock(&ctx->uring_lock);
	for (;;) {
		ret = io_check_cq(ctx, min_events);
		/* with min_events 0, still reap what is done */
		if (ret < 0 || (ret && min_events))
			break;
		ret = 0;
		if (list_empty(&ctx->iopoll_list)) {
			if (!min_events || !atomic_read(&ctx->iopoll_async))
				break;
			mutex_unlock(&ctx->uring_lock);
			if (ctx->flags & IORING_SETUP_DEFER_TASKRUN)
				io_run_local(ctx);
			ret = io_iopoll_wait_async(ctx, min_events);
			mutex_lock(&ctx->uring_lock);
			if (ret)
				break;
			continue;
		}
		io_iopoll_reap(ctx);
		if (!min_events)
			break;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		/*
		 * Between two polls, others may have the lock and the CPU; and
		 * a retry or a held-back request may be queued to us.
		 */
		mutex_unlock(&ctx->uring_lock);
		if (task_work_pending(current))
			task_work_run();
		if (ctx->flags & IORING_SETUP_DEFER_TASKRUN)
			io_run_local(ctx);
		cond_resched();
		mutex_lock(&ctx->uring_lock);
	}
	mutex_unlock(&ctx->uring_lock);
	return ret < 0 ? ret : 0;
}

/* series: end */
/*
 * A ring set up disabled answers -EBADFD until enabled; with
 * IORING_SETUP_SINGLE_ISSUER only its submitter may submit (the SQ thread
 * submits for an SQPOLL ring, whoever enters); with DEFER_TASKRUN only
 * it may wait, and it runs the ring's task_work first.
 */
static int io_enter_check(struct io_ring_ctx *ctx, u32 to_submit, u32 flags)
{
	/* pairs with smp_store_release() in io_register_enable() */
	if (smp_load_acquire(&ctx->disabled))
		return -EBADFD;
	if (to_submit && (ctx->flags & IORING_SETUP_SINGLE_ISSUER) &&
	    !(ctx->flags & IORING_SETUP_SQPOLL) && ctx->submitter != current)
		return -EEXIST;
	if ((flags & IORING_ENTER_GETEVENTS) &&
	    (ctx->flags & IORING_SETUP_DEFER_TASKRUN) &&
	    ctx->submitter != current)
		return -EEXIST;
	return 0;
}

/*
 * A DEFER_TASKRUN ring's submitter entering to wait: it submits and runs
 * the deferred task_work under one hold of uring_lock.
 */
static noinline long io_enter_submit_local(struct io_ring_ctx *ctx,
					   u32 to_submit)
{
	long submitted = 0;

	if (!to_submit && llist_empty(&ctx->local_list))
		return 0;
	mutex_lock(&ctx->uring_lock);
	if (to_submit)
		submitted = io_submit_sqes(ctx, to_submit);
	if (submitted == to_submit)
		io_run_local_locked(ctx);
	mutex_unlock(&ctx->uring_lock);
	return submitted;
}

SYSCALL_DEFINE6(io_uring_enter, unsigned int, fd, u32, to_submit,
		u32, min_complete, u32, flags, const void __user *, argp,
		size_t, argsz)
{
	struct io_ring_ctx *ctx;
	long submitted = 0;
	struct fd f;
	long ret;

	if (flags & ~IORING_ENTER_SUPPORTED)
		return -EINVAL;
	f = fdget(fd);
	if (!f.file)
		return -EBADF;
	ret = -EOPNOTSUPP;
	if (f.file->f_op != &io_uring_fops)
		goto out;
	ctx = f.file->private_data;

	if (unlikely(ctx->flags & IO_SETUP_ENTER_CHECK)) {
		ret = io_enter_check(ctx, to_submit, flags);
		if (ret)
			goto out;
		/* checked by io_enter_check(): we are the submitter */
		if ((ctx->flags & IORING_SETUP_DEFER_TASKRUN) &&
		    (flags & IORING_ENTER_GETEVENTS)) {
			submitted = io_enter_submit_local(ctx, to_submit);
			if (submitted != to_submit)
				goto out;
			to_submit = 0;
		}
	}
	ret = 0;
/* series: sqpoll */
	if (ctx->flags & IORING_SETUP_SQPOLL) {
		ret = io_sq_enter(ctx, flags);
		if (ret)
			goto out;
		/* as 6.1 answers: the thread will get to them, not us */
		submitted = to_submit;
		to_submit = 0;
	}
/* series: end */
	if (to_submit) {
		mutex_lock(&ctx->uring_lock);
		submitted = io_submit_sqes(ctx, to_submit);
		mutex_unlock(&ctx->uring_lock);
		if (submitted != to_submit)
			goto out;
	}
	if (flags & IORING_ENTER_GETEVENTS) {
		/* here: CONFIG_INIT_STACK_ALL_ZERO clears it where declared */
		struct io_wait_args w;

/* series: iopoll */
/* series: sqpoll */
		/* with SQPOLL the thread polls, and we wait as usual */
/* series: end */
		if ((ctx->flags & (IORING_SETUP_IOPOLL | IORING_SETUP_SQPOLL)) ==
		    IORING_SETUP_IOPOLL) {
			/* as in 6.1, the argument is checked, then not used */
			ret = io_check_ext_arg(flags, argp, argsz);
			if (!ret)
				ret = io_iopoll_check(ctx, min_complete);
		} else {
			ret = io_get_wait_args(flags, argp, argsz, &w);
			if (!ret)
				ret = io_cqring_wait(ctx, min_complete, &w);
		}
/* series: end */
/* series: !iopoll */
		ret = io_get_wait_args(flags, argp, argsz, &w);
		if (!ret)
			ret = io_cqring_wait(ctx, min_complete, &w);
/* series: end */
	}
out:
	fdput(f);
	return submitted ? submitted : ret;
}

/*
 * ======================================================================
 * Async offload: poll-driven retry and worker threads
 * ======================================================================
 *
 * A request that would block takes one of two roads.  If its file can be
 * polled, it waits on the file's wait queue(s) and is retried, nonblocking
 * again, by task_work in the submitting task once the file is ready.
 * Otherwise a worker runs it to completion, blocking as a plain syscall
 * would.  Workers are threads of the submitting task, created with
 * create_io_thread(), so they carry its mm, files and credentials.
 */

#define IO_WORKER_IDLE_TIMEOUT	(5 * HZ)

/* series: poll */
/*
 * A polled request is on two lists: its ring's poll_hash (for ring
 * teardown and cancel by user_data) and its task's poll_list (for exit and
 * exec).  Whoever claims it (the armer, a wakeup or a cancel; see
 * io_poll_claim()) takes it off both lists and off the wait queues, and
 * completes or retries it.
 */

struct io_poll_table {
	struct poll_table_struct	pt;
	struct io_kiocb			*req;
	bool				too_many;
};

/*
 * req->poll.claimed is the request's owner word while it waits in poll.
 * Whoever sets IO_POLL_CLAIMED owns the request: the armer while it queues
 * the wait entries, then a wakeup or a canceller, who ends the wait.  One
 * that finds it owned sets IO_POLL_WOKEN instead (io_poll_take()), and the
 * owner cannot let go without seeing it: io_poll_release() is a cmpxchg
 * from "claimed, nothing happened" to 0, so the owner either lets go with
 * nothing pending, after which it touches nothing, or finds the event and
 * stays owner to act on it.
 */
#define IO_POLL_CLAIMED	0
#define IO_POLL_WOKEN	1
#define IO_POLL_CANCEL	2	/* a multishot poll's canceller left it to us */
#define IO_POLL_LAST	3	/* a multishot poll's next event is its last */

static bool io_poll_claim(struct io_kiocb *req)
{
	return !test_and_set_bit(IO_POLL_CLAIMED, &req->poll.claimed);
}

/*
 * Claim the request, or leave word for its owner that something happened
 * (a wakeup, a cancel).  The caller holds a lock the owner must take
 * before the request can be freed: a wait queue head's, or one of the
 * poll lists'.
 */
static bool io_poll_take(struct io_kiocb *req)
{
	if (io_poll_claim(req))
		return true;
	set_bit(IO_POLL_WOKEN, &req->poll.claimed);
	/* WOKEN before the retry; pairs with the cmpxchg in io_poll_release() */
	smp_mb__after_atomic();
	/* the owner may have let go before it could see the bit */
	return io_poll_claim(req);
}

/* Let go of a request with nothing pending; false: still ours, act on it. */
static bool io_poll_release(struct io_kiocb *req)
{
	/* full barrier; pairs with the one in io_poll_take() */
	return cmpxchg(&req->poll.claimed, BIT(IO_POLL_CLAIMED), 0) ==
	       BIT(IO_POLL_CLAIMED);
}

/* Take a claimed request off the wait queues it is still on. */
static void io_poll_remove_waits(struct io_kiocb *req)
{
	int i;

	for (i = 0; i < req->poll.nr_heads; i++) {
		struct io_poll_wait *w = &req->poll.w[i];
		struct wait_queue_head *head;

		/* a POLLFREE wakeup clears the head; it is freed after RCU */
		rcu_read_lock();
		/* pairs with smp_store_release() of the head in io_poll_wake() */
		head = smp_load_acquire(&w->head);
		if (head) {
			spin_lock_irq(&head->lock);
			list_del_init(&w->wait.entry);
			spin_unlock_irq(&head->lock);
		}
		rcu_read_unlock();
	}
}

/* Where a request waiting in poll is found by its user_data. */
static struct hlist_head *io_poll_bucket(struct io_ring_ctx *ctx, u64 data)
{
	return &ctx->poll_hash[hash_64(data, IO_POLL_HASH_BITS)];
}

/* Take a claimed request off the ring's and the task's poll lists. */
static void __io_poll_unlink(struct io_kiocb *req)
{
	lockdep_assert_held(&req->ctx->completion_lock);
	hlist_del_init(&req->poll.node);
	spin_lock(&req->tctx->lock);
	list_del_init(&req->poll.tnode);
	spin_unlock(&req->tctx->lock);
}

static void io_poll_unlink(struct io_kiocb *req)
{
	spin_lock_irq(&req->ctx->completion_lock);
	__io_poll_unlink(req);
	spin_unlock_irq(&req->ctx->completion_lock);
}

/* In the submitter, with the claim: the file is ready, try again. */
static void io_poll_task_func(struct io_kiocb *req, bool cancel)
{
	__poll_t mask = (__force __poll_t)atomic_read(&req->poll.woke);

	io_poll_unlink(req);
	io_poll_remove_waits(req);
	/*
	 * POLL_ADD: the event that woke us, as 6.1 posts it, even if it is
	 * gone by now (a reader took the data since).
	 */
	if (req->opcode == IORING_OP_POLL_ADD && mask && !cancel &&
	    !(req->flags & REQ_F_FAIL_ISSUE)) {
		io_req_complete_locked(req, mangle_poll(mask &
							req->poll_op.events));
		return;
	}
	io_issue_tw(req, cancel);
}

static void io_poll_multi_tw(struct io_kiocb *req, bool cancel);

static int io_poll_wake(struct wait_queue_entry *wait, unsigned int mode,
			int sync, void *key)
{
	struct io_poll_wait *w = container_of(wait, struct io_poll_wait, wait);
	struct io_kiocb *req = wait->private;
	__poll_t mask = key_to_poll(key), events;
	bool pollfree = mask & POLLFREE;
	bool ours;

	if (!pollfree && mask &&
	    !(mask & (req->poll.events | EPOLLERR | EPOLLHUP)))
		return 0;
	/*
	 * What woke us, for the owner: the event may be gone by the time it
	 * looks (a reader took the data), yet it happened.  Before the take:
	 * its barrier orders it for the owner that finds IO_POLL_WOKEN.
	 */
	events = mask & (req->poll.events | EPOLLERR | EPOLLHUP);
	if (events)
		atomic_or((__force int)events, &req->poll.woke);
	/*
	 * A ring posting a CQE woke a multishot poll (of that ring's fd or
	 * eventfd): the event it posts would wake it again, for ever.  As in
	 * 6.1, that event is its last.  multi is fixed while the wait is
	 * queued.
	 */
	if (unlikely(mask & EPOLL_URING_WAKE) && req->poll.multi)
		set_bit(IO_POLL_LAST, &req->poll.claimed);
	/*
	 * The request can't be freed under us: its owner takes this head's
	 * lock first, in io_poll_remove_waits(), unless the head is gone.
	 */
	ours = io_poll_take(req);
	/* a multishot poll stays on the queue for the next event */
	if ((ours && !req->poll.multi) || pollfree)
		list_del_init(&wait->entry);
	/*
	 * POLLFREE: the head goes away once we return, and the owner must
	 * skip it.  That lets the owner free the request without waiting
	 * for us: unless the request is ours, storing the NULL is the last
	 * we touch it.
	 */
	if (unlikely(pollfree))
		/* pairs with smp_load_acquire() in io_poll_remove_waits() */
		smp_store_release(&w->head, NULL);
	if (!ours)
		return 0;
	io_req_task_queue(req, req->poll.multi ? io_poll_multi_tw :
						 io_poll_task_func);
	return 1;
}

static void io_poll_queue_proc(struct file *file, struct wait_queue_head *head,
			       struct poll_table_struct *pt)
{
	struct io_poll_table *ipt = container_of(pt, struct io_poll_table, pt);
	struct io_kiocb *req = ipt->req;
	struct io_poll_wait *w;

	if (req->poll.nr_heads == ARRAY_SIZE(req->poll.w)) {
		ipt->too_many = true;
		return;
	}
	w = &req->poll.w[req->poll.nr_heads++];
	w->head = head;
	add_wait_queue(head, &w->wait);
}

/*
 * Wait for @events on the request's file.  Returns 0 once waiting: a
 * wakeup retries the request from io_poll_task_func().  Returns the ready
 * mask if the file is ready already, or -EINVAL if it has more wait queues
 * than we keep; nothing is left armed then.
 */
static __poll_t __io_arm_poll(struct io_kiocb *req, __poll_t events,
			      bool multi, int *err)
{
	struct io_uring_task *tctx = req->tctx;
	struct io_ring_ctx *ctx = req->ctx;
	struct io_poll_table ipt;
	__poll_t mask;
	int i;

again:
	*err = 0;
	req->poll.events = events;
	req->poll.multi = multi;
	/* ours until the wait is fully armed; see io_poll_claim() */
	req->poll.claimed = BIT(IO_POLL_CLAIMED);
	atomic_set(&req->poll.woke, 0);
	req->poll.nr_heads = 0;
	for (i = 0; i < ARRAY_SIZE(req->poll.w); i++) {
		init_waitqueue_func_entry(&req->poll.w[i].wait, io_poll_wake);
		req->poll.w[i].wait.private = req;
		req->poll.w[i].head = NULL;
	}

	spin_lock_irq(&ctx->completion_lock);
	hlist_add_head(&req->poll.node, io_poll_bucket(ctx, req->user_data));
	spin_unlock_irq(&ctx->completion_lock);
	spin_lock_irq(&tctx->lock);
	list_add_tail(&req->poll.tnode, &tctx->poll_list);
	spin_unlock_irq(&tctx->lock);

	ipt.req = req;
	ipt.too_many = false;
	init_poll_funcptr(&ipt.pt, io_poll_queue_proc);
	ipt.pt._key = events;
	mask = vfs_poll(req->file, &ipt.pt) & (events | EPOLLERR | EPOLLHUP);

	/* multishot and ready: armed, and still ours to post the event */
	if (!ipt.too_many && mask && multi)
		return mask;
	if (!ipt.too_many && !mask) {
		/*
		 * Let go, unless a wakeup or a cancel came meanwhile: then
		 * the request is still ours to act on.  A cancel that walked
		 * the poll lists before we were on them marked the task or
		 * ring dying first, which the lists' locks let us see.  Once
		 * let go, the request is not ours to touch.
		 */
		if (!READ_ONCE(tctx->dying) && !percpu_ref_is_dying(&ctx->refs) &&
		    io_poll_release(req))
			return 0;
		req->poll.claimed = BIT(IO_POLL_CLAIMED);
		io_poll_unlink(req);
		io_poll_remove_waits(req);
		if (READ_ONCE(tctx->dying) || percpu_ref_is_dying(&ctx->refs)) {
			*err = -ECANCELED;
			return 0;
		}
		goto again;
	}
	/* ready already, or more wait queues than we keep: undo */
	io_poll_unlink(req);
	io_poll_remove_waits(req);
	if (ipt.too_many)
		*err = -EINVAL;
	return mask;
}

/* A read or write would block: wait for the file to become ready. */
static int io_arm_poll(struct io_kiocb *req)
{
	const struct io_op_def *def = &io_op_defs[req->opcode];
	__poll_t mask;
	int err;

	if (!(def->pollin || def->pollout) || !req->file ||
	    !file_can_poll(req->file))
		return IO_ARM_NO;
	/* the retry may come after the task changed its creds */
	io_req_keep_creds(req);
	mask = __io_arm_poll(req, def->pollin ? (EPOLLIN | EPOLLRDNORM) :
						(EPOLLOUT | EPOLLWRNORM),
			     false, &err);
	/* with an error, the worker sees the cancel or copes with the file */
	if (err)
		return IO_ARM_NO;
	if (!mask)
		return IO_ARM_WAITING;
	/*
	 * Ready.  A file that can't be tried without blocking (a pipe or a
	 * tty without O_NONBLOCK) waited in poll all the same, as in 6.1,
	 * rather than in a worker; now a worker won't wait long for it.
	 */
	return (req->flags & REQ_F_FILE_NOWAIT) ? IO_ARM_READY : IO_ARM_NO;
}

/*
 * IORING_OP_POLL_ADD rides on the same machinery: its issue arms the wait,
 * and the retry after a wakeup finds the file ready and completes with
 * the mask.  Edge-triggered, as in 6.1 (IORING_POLL_ADD_LEVEL is refused).
 * With IORING_POLL_ADD_MULTI the wait stays armed: each wakeup's owner
 * posts the mask with IORING_CQE_F_MORE, and only a cancel ends it, with a
 * last CQE without the flag, which alone counts for drain.
 */
#define IO_POLL_ALWAYS	(EPOLLERR | EPOLLHUP | EPOLLNVAL | EPOLLRDHUP)

static __poll_t io_poll_parse_events(const struct io_uring_sqe *sqe)
{
	u32 events = READ_ONCE(sqe->poll32_events);

#ifdef __BIG_ENDIAN
	events = swahw32(events);
#endif
	/* errors and hangups are reported whether asked for or not */
	return demangle_poll(events) | IO_POLL_ALWAYS;
}

static int io_poll_add_prep(struct io_kiocb *req,
			    const struct io_uring_sqe *sqe)
{
	u32 flags = READ_ONCE(sqe->len);

	if (READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->off) ||
	    READ_ONCE(sqe->addr) || (flags & ~IORING_POLL_ADD_MULTI))
		return -EINVAL;
	/* a multishot CQE is a success that must not be skipped */
	if ((flags & IORING_POLL_ADD_MULTI) && (req->flags & REQ_F_CQE_SKIP))
		return -EINVAL;
	req->poll_op.flags = flags;
	req->poll_op.events = io_poll_parse_events(sqe);
	return 0;
}

/* An event of a multishot poll: a CQE with IORING_CQE_F_MORE. */
static void io_poll_post_more(struct io_kiocb *req, __poll_t mask)
{
	struct io_ring_ctx *ctx = req->ctx;

	spin_lock_irq(&ctx->completion_lock);
	io_fill_cqe(ctx, req->user_data, mangle_poll(mask & req->poll_op.events),
		    IORING_CQE_F_MORE);
/* series: link */
	if (unlikely(ctx->nr_seq_timeouts))
		io_flush_seq_timeouts(ctx);
/* series: end */
	io_commit_cqring(ctx);
	spin_unlock_irq(&ctx->completion_lock);
	io_cqring_ev_posted(ctx);
}

/* The owner of a multishot poll: should it end (cancel, exit, POLLFREE)? */
static bool io_poll_multi_ending(struct io_kiocb *req)
{
	int i;

	if (test_bit(IO_POLL_CANCEL, &req->poll.claimed) ||
	    READ_ONCE(req->tctx->dying) || percpu_ref_is_dying(&req->ctx->refs))
		return true;
	for (i = 0; i < req->poll.nr_heads; i++)
		if (!READ_ONCE(req->poll.w[i].head))
			return true;
	return false;
}

/*
 * The owner of a multishot poll: take the event, post what is ready.
 * Returns false if the event is the poll's last (IO_POLL_LAST), with the
 * result to complete it with in *@res, and posts nothing.
 */
static bool io_poll_multi_event(struct io_kiocb *req, s32 *res)
{
	__poll_t mask;

	clear_bit(IO_POLL_WOKEN, &req->poll.claimed);
	/* what the wakeups said; if they said nothing, what is ready now */
	mask = (__force __poll_t)atomic_xchg(&req->poll.woke, 0);
	if (!mask)
		mask = vfs_poll(req->file, NULL) &
		       (req->poll.events | EPOLLERR | EPOLLHUP);
	if (unlikely(test_bit(IO_POLL_LAST, &req->poll.claimed))) {
		*res = mangle_poll(mask & req->poll_op.events);
		return false;
	}
	if (mask)
		io_poll_post_more(req, mask);
	return true;
}

/*
 * The owner of an armed multishot poll lets go, posting whatever event
 * came while it held it.  Returns false, still the owner, if the poll is
 * to end instead, with its result in *@res: -ECANCELED (a cancel, exit,
 * POLLFREE), or its last event's mask.
 */
static bool io_poll_multi_settle(struct io_kiocb *req, s32 *res)
{
	*res = -ECANCELED;
	for (;;) {
		if (io_poll_multi_ending(req))
			return false;
		if (io_poll_release(req))
			return true;
		if (!io_poll_multi_event(req, res))
			return false;
	}
}

/* A multishot poll's wakeup, in its submitter: post, stay armed. */
static void io_poll_multi_tw(struct io_kiocb *req, bool cancel)
{
	s32 res = -ECANCELED;

	if (!cancel && !io_poll_multi_ending(req) &&
	    io_poll_multi_event(req, &res) && io_poll_multi_settle(req, &res))
		return;
	io_poll_unlink(req);
	io_poll_remove_waits(req);
	io_req_complete_locked(req, res);
}

static int io_poll_add(struct io_kiocb *req, unsigned int issue_flags)
{
	bool multi = req->poll_op.flags & IORING_POLL_ADD_MULTI;
	__poll_t mask;
	s32 res;
	int err;

	mask = __io_arm_poll(req, req->poll_op.events, multi, &err);
	if (err)
		return err;
	if (!mask)
		return -EIOCBQUEUED;	/* the wakeup's retry completes it */
	if (!multi)
		return mangle_poll(mask & req->poll_op.events);
	/* ready at once: the first event, and the wait stays armed */
	io_poll_post_more(req, mask);
	if (io_poll_multi_settle(req, &res))
		return -EIOCBQUEUED;
	io_poll_unlink(req);
	io_poll_remove_waits(req);
	return res;
}

static int io_poll_remove_prep(struct io_kiocb *req,
			       const struct io_uring_sqe *sqe)
{
	struct io_poll_op *op = &req->poll_op;
	u32 flags = READ_ONCE(sqe->len);

	if (READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->splice_fd_in) ||
	    (flags & ~(IORING_POLL_UPDATE_EVENTS | IORING_POLL_UPDATE_USER_DATA |
		       IORING_POLL_ADD_MULTI)) ||
	    flags == IORING_POLL_ADD_MULTI)	/* meaningless alone, as 6.1 */
		return -EINVAL;
	op->flags = flags;
	op->target = READ_ONCE(sqe->addr);
	op->new_user_data = READ_ONCE(sqe->off);
	if (!(flags & IORING_POLL_UPDATE_USER_DATA) && op->new_user_data)
		return -EINVAL;
	if (flags & IORING_POLL_UPDATE_EVENTS)
		op->events = io_poll_parse_events(sqe);
	else if (READ_ONCE(sqe->poll32_events))
		return -EINVAL;
	return 0;
}

/*
 * POLL_REMOVE: cancel the POLL_ADD whose user_data is sqe->addr, or with
 * IORING_POLL_UPDATE_* re-arm it with new events or a new user_data.  0, -ENOENT, or -EALREADY if a
 * single-shot poll's wakeup got there first.
 */
static int io_poll_remove(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_poll_op *op = &req->poll_op;
	struct io_ring_ctx *ctx = req->ctx;
	struct io_kiocb *poll = NULL, *r;
	int ret = -ENOENT;
	__poll_t mask;
	s32 res;
	int err;

	spin_lock_irq(&ctx->completion_lock);
	hlist_for_each_entry(r, io_poll_bucket(ctx, op->target), poll.node) {
		if (r->opcode != IORING_OP_POLL_ADD || r->user_data != op->target)
			continue;
		/* a multishot poll's owner ends it when it lets go */
		if (r->poll.multi && !op->flags)
			set_bit(IO_POLL_CANCEL, &r->poll.claimed);
		ret = r->poll.multi && !op->flags ? 0 : -EALREADY;
		if (!io_poll_take(r))
			break;
		__io_poll_unlink(r);
		poll = r;
		ret = 0;
		break;
	}
	spin_unlock_irq(&ctx->completion_lock);
	if (!poll)
		return ret;
	io_poll_remove_waits(poll);
	if (!op->flags) {
		io_req_complete(poll, -ECANCELED);
		return 0;
	}
	/* as 6.1: new events, the poll stays single- or multishot */
	if (op->flags & IORING_POLL_UPDATE_EVENTS)
		poll->poll_op.events = op->events;
	if (op->flags & IORING_POLL_UPDATE_USER_DATA)
		poll->user_data = op->new_user_data;
	mask = __io_arm_poll(poll, poll->poll_op.events,
			     poll->poll_op.flags & IORING_POLL_ADD_MULTI, &err);
	if (err) {
		io_req_complete(poll, err);
	} else if (mask && !poll->poll.multi) {
		io_req_complete(poll, mangle_poll(mask & poll->poll_op.events));
	} else if (mask) {
		io_poll_post_more(poll, mask);
		if (!io_poll_multi_settle(poll, &res)) {
			io_poll_unlink(poll);
			io_poll_remove_waits(poll);
			io_req_complete(poll, res);
		}
	}
	return 0;
}

/* series: end */
/* series: link */
/*
 * ======================================================================
 * Timeouts and link timeouts
 * ======================================================================
 *
 * An issued TIMEOUT, and a LINK_TIMEOUT once the request it bounds is
 * issued, is armed: on ctx->timeout_list with its hrtimer started.  Who
 * ends it is whoever wins io_timeout_claim(): the timer (-ETIME), the CQE
 * count reaching its target (0), TIMEOUT_REMOVE or a cancel (-ECANCELED)
 * or, for a LINK_TIMEOUT, the completion of the request it bounds
 * (-ECANCELED).  The timer runs in hard irq and takes no lock: it hands
 * the request to the submitter's task_work, which takes it off the list.
 * A callback that lost the claim may still be running when the request
 * completes: io_timeout_cleanup() waits for it before the request is
 * freed.
 */

static bool io_timeout_claim(struct io_kiocb *req)
{
	return !test_and_set_bit(0, &req->timeout.claimed);
}

static void io_timeout_unlist(struct io_ring_ctx *ctx, struct io_kiocb *req)
{
	struct io_timeout *t = &req->timeout;

	lockdep_assert_held(&ctx->completion_lock);
	if (!t->armed)
		return;
	t->armed = false;
	list_del_init(&t->list);
	if (t->off)
		ctx->nr_seq_timeouts--;
}

/*
 * What a timeout's off counts: the CQEs that reached the CQ ring, those of
 * timeouts that fired or were satisfied excepted, as in 6.1.  Such a CQE
 * is counted out when posted, in the ring or not; one still waiting in the
 * overflow list must not move the count back.
 */
static u32 io_seq(struct io_ring_ctx *ctx)
{
	u32 seq = ctx->cached_cq_tail - ctx->cq_timeouts;

	lockdep_assert_held(&ctx->completion_lock);
	if ((s32)(seq - ctx->cq_seq_last) < 0)
		return ctx->cq_seq_last;
	ctx->cq_seq_last = seq;
	return seq;
}

static void io_timeout_cleanup(struct io_kiocb *req)
{
	/* a callback that lost the claim may be on its way out */
	hrtimer_cancel(&req->timeout.timer);
}

/* The timer won: post -ETIME, not counted in other timeouts' off. */
static void io_timeout_expired_tw(struct io_kiocb *req, bool cancel)
{
	struct io_ring_ctx *ctx = req->ctx;
	s32 res = req->result;

	spin_lock_irq(&ctx->completion_lock);
	io_timeout_unlist(ctx, req);
	spin_unlock_irq(&ctx->completion_lock);
	req->flags |= REQ_F_TIMEOUT_CQE;
	if (req->timeout.flags & IORING_TIMEOUT_ETIME_SUCCESS)
		__io_req_complete_locked(req, res);
	else
		io_req_complete_locked(req, res);
}

/* Removed or cancelled. */
static void io_timeout_cancel_tw(struct io_kiocb *req, bool cancel)
{
	io_req_complete_locked(req, -ECANCELED);
}

/* A link timeout whose request completed first: as 6.1, not a failure. */
static void io_link_timeout_disarmed_tw(struct io_kiocb *req, bool cancel)
{
	__io_req_complete_locked(req, -ECANCELED);
}

static enum hrtimer_restart io_timeout_fn(struct hrtimer *timer)
{
	struct io_kiocb *req = container_of(timer, struct io_kiocb,
					    timeout.timer);

	if (io_timeout_claim(req)) {
		req->result = -ETIME;
		io_req_task_queue(req, io_timeout_expired_tw);
	}
	return HRTIMER_NORESTART;
}

/* What remains of a timeout whose CQE io_flush_seq_timeouts() posted. */
static void io_timeout_posted_tw(struct io_kiocb *req, bool cancel)
{
	io_req_complete_locked(req, 0);
}

/*
 * A CQE was posted: complete the counted timeouts whose count it reached,
 * their CQEs right behind it (in the order they were issued), so that
 * userspace sees each where its count was met.  What else their
 * completion needs, their submitter does later.
 */
static void io_flush_seq_timeouts(struct io_ring_ctx *ctx)
{
	struct io_kiocb *req, *tmp;
	u32 seq = io_seq(ctx);

	list_for_each_entry_safe(req, tmp, &ctx->timeout_list, timeout.list) {
		struct io_timeout *t = &req->timeout;

		if (!t->off || seq - t->base < t->off || !io_timeout_claim(req))
			continue;
		io_timeout_unlist(ctx, req);
		if (!(req->flags & (REQ_F_CQE_SKIP | REQ_F_NO_CQE))) {
			io_fill_cqe(ctx, req->user_data, 0, 0);
			WRITE_ONCE(ctx->cq_timeouts, ctx->cq_timeouts + 1);
		}
		if (req->flags & REQ_F_COUNTED)
			ctx->nr_done++;
		req->flags |= REQ_F_POSTED;
		io_req_task_queue(req, io_timeout_posted_tw);
	}
}

/* io_try_cancel_req(): the request is ours to complete (off its waits) */
enum {
	IO_CANCEL_TAKEN = 1,
	IO_CANCEL_POLL,		/* io_poll_remove_waits() first */
};

static int io_try_cancel_req(struct io_ring_ctx *ctx, struct io_kiocb *req);

/*
 * Take link timeout @lt out of the chain of @head, the request it bounds:
 * the chain goes on from @head as if it had none.  completion_lock held,
 * which is what lets the timer's side and @head's completion race for it.
 */
static void io_link_timeout_cut(struct io_kiocb *lt, struct io_kiocb *head)
{
	lockdep_assert_held(&lt->ctx->completion_lock);
	head->link = lt->link;
	lt->link = NULL;
	lt->timeout.head = NULL;
}

/*
 * The link timeout's timer won.  It cuts itself out of the chain and
 * cancels the request it bounds, if that has not completed yet: that
 * one's CQE then says -ECANCELED (or -EINTR, interrupted in a worker),
 * ours -ETIME, or, as in 6.1, the cancel's failure (-ENOENT, -EALREADY).
 */
static void io_link_timeout_tw(struct io_kiocb *req, bool cancel)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_kiocb *head;
	int ret = 0;

	spin_lock_irq(&ctx->completion_lock);
	io_timeout_unlist(ctx, req);
	head = req->timeout.head;
	if (head) {
		io_link_timeout_cut(req, head);
		ret = io_try_cancel_req(ctx, head);
	}
	spin_unlock_irq(&ctx->completion_lock);
	if (ret > 0) {
		if (ret == IO_CANCEL_POLL)
			io_poll_remove_waits(head);
		io_req_complete_locked(head, -ECANCELED);
		ret = 0;
	}
	/* as 6.1: not a failure (CQE_SKIP_SUCCESS skips it) */
	__io_req_complete_locked(req, ret ?: -ETIME);
}

static enum hrtimer_restart io_link_timeout_fn(struct hrtimer *timer)
{
	struct io_kiocb *req = container_of(timer, struct io_kiocb,
					    timeout.timer);

	if (io_timeout_claim(req))
		io_req_task_queue(req, io_link_timeout_tw);
	return HRTIMER_NORESTART;
}

/* The request a LINK_TIMEOUT bounds is being issued: start the clock. */
static void io_link_timeout_arm(struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_kiocb *lt;

	spin_lock_irq(&ctx->completion_lock);
	lt = req->link;
	if (lt && lt->opcode == IORING_OP_LINK_TIMEOUT && !lt->timeout.armed &&
	    !test_bit(0, &lt->timeout.claimed)) {
		lt->timeout.armed = true;
		list_add_tail(&lt->timeout.list, &ctx->timeout_list);
		hrtimer_start(&lt->timeout.timer, lt->timeout.expires,
			      lt->timeout.mode);
	}
	spin_unlock_irq(&ctx->completion_lock);
}

/*
 * The request a LINK_TIMEOUT bounds completed: unless the timer cut it out
 * already, take the timeout off the chain and cancel it.  If its timer
 * fired meanwhile, its task_work finds nothing left to cancel.
 */
static void io_link_timeout_disarm(struct io_ring_ctx *ctx,
				   struct io_kiocb *req)
{
	struct io_kiocb *lt = req->link;

	lockdep_assert_held(&ctx->completion_lock);
	if (!lt || lt->opcode != IORING_OP_LINK_TIMEOUT)
		return;
	io_link_timeout_cut(lt, req);
	if (!io_timeout_claim(lt))
		return;
	io_timeout_unlist(ctx, lt);
	io_req_task_queue(lt, io_link_timeout_disarmed_tw);
}

static clockid_t io_timeout_clock(u32 flags)
{
	if (flags & IORING_TIMEOUT_BOOTTIME)
		return CLOCK_BOOTTIME;
	if (flags & IORING_TIMEOUT_REALTIME)
		return CLOCK_REALTIME;
	return CLOCK_MONOTONIC;
}

/* A timespec from userspace, as 6.1 checks it. */
static int io_timeout_get_ts(u64 addr, ktime_t *expires)
{
	struct timespec64 ts;

	if (get_timespec64(&ts, u64_to_user_ptr(addr)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0)
		return -EINVAL;
	*expires = timespec64_to_ktime(ts);
	return 0;
}

/* TIMEOUT and LINK_TIMEOUT */
static int io_timeout_prep(struct io_kiocb *req, const struct io_uring_sqe *sqe)
{
	struct io_timeout *t = &req->timeout;
	bool link = req->opcode == IORING_OP_LINK_TIMEOUT;
	int ret;

	/* first: ->cleanup() cancels the timer whatever fails below */
	hrtimer_init(&t->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	req->flags |= REQ_F_PREPPED;
	t->claimed = 0;
	t->armed = false;
	t->head = NULL;
	INIT_LIST_HEAD(&t->list);
	if (READ_ONCE(sqe->buf_index) || READ_ONCE(sqe->len) != 1 ||
	    READ_ONCE(sqe->splice_fd_in) || READ_ONCE(sqe->addr3) ||
	    READ_ONCE(sqe->__pad2[0]))
		return -EINVAL;
	t->off = READ_ONCE(sqe->off);
	t->flags = READ_ONCE(sqe->timeout_flags);
	if ((t->off && link) ||
	    (t->flags & ~(IORING_TIMEOUT_ABS | IORING_TIMEOUT_CLOCK_MASK |
			  IORING_TIMEOUT_ETIME_SUCCESS)) ||
	    hweight32(t->flags & IORING_TIMEOUT_CLOCK_MASK) > 1)
		return -EINVAL;
	ret = io_timeout_get_ts(READ_ONCE(sqe->addr), &t->expires);
	if (ret)
		return ret;
	t->clock = io_timeout_clock(t->flags);
	t->mode = (t->flags & IORING_TIMEOUT_ABS) ? HRTIMER_MODE_ABS :
						     HRTIMER_MODE_REL;
	hrtimer_init(&t->timer, t->clock, t->mode);
	t->timer.function = link ? io_link_timeout_fn : io_timeout_fn;
	return 0;
}

static int io_timeout_op(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_ring_ctx *ctx = req->ctx;
	struct io_timeout *t = &req->timeout;

	spin_lock_irq(&ctx->completion_lock);
	if (t->off) {
		t->base = io_seq(ctx);
		ctx->nr_seq_timeouts++;
	}
	t->armed = true;
	list_add_tail(&t->list, &ctx->timeout_list);
	hrtimer_start(&t->timer, t->expires, t->mode);
	spin_unlock_irq(&ctx->completion_lock);
	/* from here on the timer, a count or a cancel completes it */
	return -EIOCBQUEUED;
}

static int io_timeout_remove_prep(struct io_kiocb *req,
				  const struct io_uring_sqe *sqe)
{
	struct io_timeout_rem *tr = &req->timeout_rem;
	u32 flags;

	if ((req->flags & REQ_F_FIXED_FILE) || READ_ONCE(sqe->buf_index) ||
	    READ_ONCE(sqe->len) || READ_ONCE(sqe->splice_fd_in) ||
	    READ_ONCE(sqe->addr3) || READ_ONCE(sqe->__pad2[0]))
		return -EINVAL;
	tr->target = READ_ONCE(sqe->addr);
	flags = READ_ONCE(sqe->timeout_flags);
	tr->flags = flags;
	if (!(flags & IORING_TIMEOUT_UPDATE_MASK))
		return flags ? -EINVAL : 0;
	if (hweight32(flags & IORING_TIMEOUT_CLOCK_MASK) > 1 ||
	    (flags & ~(IORING_TIMEOUT_UPDATE_MASK | IORING_TIMEOUT_ABS)))
		return -EINVAL;
	return io_timeout_get_ts(READ_ONCE(sqe->addr2), &tr->expires);
}

/*
 * TIMEOUT_REMOVE: cancel the TIMEOUT with user_data sqe->addr, or with
 * IORING_TIMEOUT_UPDATE re-arm it (then for time only), or with
 * IORING_LINK_TIMEOUT_UPDATE re-arm an armed LINK_TIMEOUT.  0, -ENOENT,
 * or -EALREADY if it is completing already.
 */
static int io_timeout_remove(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_timeout_rem *tr = &req->timeout_rem;
	struct io_ring_ctx *ctx = req->ctx;
	bool update = tr->flags & IORING_TIMEOUT_UPDATE;
	/* LINK_TIMEOUT_UPDATE without UPDATE removes, and only TIMEOUTs */
	u8 opcode = (update && (tr->flags & IORING_LINK_TIMEOUT_UPDATE)) ?
		    IORING_OP_LINK_TIMEOUT : IORING_OP_TIMEOUT;
	struct io_kiocb *found = NULL, *r;
	int ret = -ENOENT;

	spin_lock_irq(&ctx->completion_lock);
	list_for_each_entry(r, &ctx->timeout_list, timeout.list) {
		if (r->opcode == opcode && r->user_data == tr->target) {
			found = r;
			break;
		}
	}
	if (found) {
		struct io_timeout *t = &found->timeout;

		ret = -EALREADY;
		if (!io_timeout_claim(found))
			goto out;
		ret = 0;
		if (!update) {
			io_timeout_unlist(ctx, found);
			io_req_task_queue(found, io_timeout_cancel_tw);
			goto out;
		}
		/* ours now: no callback can be on its way in, only out */
		hrtimer_cancel(&t->timer);
		if (t->off) {
			t->off = 0;
			ctx->nr_seq_timeouts--;
		}
		t->mode = (tr->flags & IORING_TIMEOUT_ABS) ? HRTIMER_MODE_ABS :
							      HRTIMER_MODE_REL;
		t->expires = tr->expires;
		hrtimer_init(&t->timer, t->clock, t->mode);
		t->timer.function = opcode == IORING_OP_LINK_TIMEOUT ?
				    io_link_timeout_fn : io_timeout_fn;
		/* the claim goes back before the timer can want it */
		clear_bit(0, &t->claimed);
		hrtimer_start(&t->timer, t->expires, t->mode);
	}
out:
	spin_unlock_irq(&ctx->completion_lock);
	return ret;
}

/* series: end */
static void io_tctx_put(struct io_uring_task *tctx)
{
	if (refcount_dec_and_test(&tctx->refs))
		kfree(tctx);
}

/*
 * Work on a regular file or a block device ends by itself: it shares a
 * pool of workers bounded as 6.1's io-wq bounds it.  Anything else (a
 * pipe, a socket, a tty) may block until someone else acts, so it never
 * waits behind busy workers: it gets one of its own, within RLIMIT_NPROC.
 */
static bool io_req_unbounded(struct io_kiocb *req)
{
	umode_t mode;

	if (!req->file)
		return false;
	mode = file_inode(req->file)->i_mode;
	return !S_ISREG(mode) && !S_ISBLK(mode);
}

/* series: poll */
/* What a cancel finds running in @worker (io_cancel_work()). */
static void io_worker_set_cur(struct io_worker *worker, struct io_kiocb *req)
{
	spin_lock_irq(&worker->tctx->lock);
	worker->cur = req;
	spin_unlock_irq(&worker->tctx->lock);
}

/* series: end */
/*
 * Run one request in a worker, blocking as needed.  worker->cur names it
 * while it is the worker's.  After -EIOCBQUEUED it is the driver's, and
 * until the worker loop clears cur a cancel may still look at it there
 * (a known, narrow window: the interrupt it sends is cleared before the
 * worker takes its next request).
 */
static void io_worker_run(struct io_worker *worker, struct io_kiocb *req)
{
/* series: poll */
	const struct io_op_def *def = &io_op_defs[req->opcode];
/* series: end */
/* series: iopoll */
	struct io_ring_ctx *ctx = req->ctx;
	/* after -EIOCBQUEUED the request, and the ring, may be gone */
	bool iopoll = ctx->flags & IORING_SETUP_IOPOLL;
/* series: end */
	int ret;

	if (percpu_ref_is_dying(&req->ctx->refs)) {
		io_req_complete(req, -ECANCELED);
		return;
	}
/* series: poll */
	/*
	 * IOSQE_ASYNC on a file that can be polled: as in 6.1, try without
	 * blocking and wait in poll rather than sleep in the worker; the
	 * wakeup brings the request back through task_work.
	 */
	ret = -EAGAIN;
	if ((req->flags & REQ_F_FORCE_ASYNC) && (def->pollin || def->pollout) &&
	    req->file && file_can_poll(req->file)) {
		ret = io_issue(req, IO_ISSUE_NONBLOCK);
		if (ret == -EAGAIN && !(req->flags & REQ_F_NOWAIT)) {
			/*
			 * Once armed, a wakeup may complete and free it: a
			 * cancel must not find it as ours any more.
			 */
			io_worker_set_cur(worker, NULL);
			if (req->flags & REQ_F_IOPOLL_ASYNC) {
				io_iopoll_async_put(req);
				wake_up_all(&ctx->cq_wait);
			}
			if (io_arm_poll(req) == IO_ARM_WAITING)
				return;
			/* still ours; a cancel may have missed it meanwhile */
			io_worker_set_cur(worker, req);
			if (READ_ONCE(req->tctx->dying) ||
			    percpu_ref_is_dying(&ctx->refs)) {
				io_req_complete(req, -ECANCELED);
				return;
			}
		}
	}
	if (ret == -EAGAIN && !(req->flags & REQ_F_NOWAIT))
		ret = io_issue(req, 0);
/* series: end */
/* series: !poll */
	ret = -EAGAIN;
	if (!(req->flags & REQ_F_NOWAIT))
		ret = io_issue(req, 0);
/* series: end */
/* series: iopoll */
	if (ret == -EIOCBQUEUED) {
		/* only a polled request is sure to be still there */
		if (iopoll) {
			mutex_lock(&ctx->uring_lock);
			list_add_tail(&req->list, &ctx->iopoll_list);
			/*
			 * Whoever polls must come back for it: a waiter in
			 * io_iopoll_wait_async(), an SQ thread gone idle.
			 * Under the lock: once reaped, the ring may go.
			 */
			io_iopoll_async_put(req);
			wake_up_all(&ctx->cq_wait);
/* series: sqpoll */
			if (ctx->sqd)
				wake_up(&ctx->sqd->wait);
/* series: end */
			mutex_unlock(&ctx->uring_lock);
		}
		return;
	}
/* series: end */
/* series: !iopoll */
	/* the request, and the ring, may be gone already */
	if (ret == -EIOCBQUEUED)
		return;
/* series: end */
	/*
	 * Interrupted by exit, exec or ring teardown, not by a signal:
	 * -ECANCELED.  Interrupted by ASYNC_CANCEL: -EINTR, as in 6.1.
	 */
	if (io_fixup_result(ret) == -EINTR &&
	    (fatal_signal_pending(current) || READ_ONCE(worker->teardown)))
		ret = -ECANCELED;
	io_req_complete(req, io_fixup_result(ret));
}

static void io_cancel_list(struct list_head *list)
{
	struct io_kiocb *req, *tmp;

	list_for_each_entry_safe(req, tmp, list, list) {
		list_del_init(&req->list);
		io_req_complete(req, -ECANCELED);
	}
}

static int io_worker_fn(void *data)
{
	struct io_worker *worker = data;
	struct io_uring_task *tctx = worker->tctx;
	bool fatal = false, timed_out = false;
	LIST_HEAD(cancel);
	char name[TASK_COMM_LEN];

	snprintf(name, sizeof(name), "iou-wrk-%d", task_pid_nr(tctx->task));
	set_task_comm(current, name);

	for (;;) {
		struct io_kiocb *req = NULL;

		spin_lock_irq(&tctx->lock);
		/*
		 * Once killed, take no more work: get_signal() has consumed the
		 * SIGKILL, and a blocking call would now sleep through it.
		 */
		if (!fatal && !list_empty(&tctx->work)) {
			req = list_first_entry(&tctx->work, struct io_kiocb, list);
			list_del_init(&req->list);
			worker->cur = req;
			WRITE_ONCE(worker->teardown, false);
			worker->unbounded = io_req_unbounded(req);
			tctx->nr_unbounded += worker->unbounded;
		} else if (!fatal && !timed_out && !tctx->dying) {
			worker->idle = true;
			tctx->nr_idle++;
			__set_current_state(TASK_INTERRUPTIBLE);
		} else {
			break;		/* with tctx->lock held */
		}
		spin_unlock_irq(&tctx->lock);

		if (req) {
			io_worker_run(worker, req);
			spin_lock_irq(&tctx->lock);
			worker->cur = NULL;
			tctx->nr_unbounded -= worker->unbounded;
			worker->unbounded = false;
			spin_unlock_irq(&tctx->lock);
		} else {
			timed_out = !schedule_timeout(IO_WORKER_IDLE_TIMEOUT);
			spin_lock_irq(&tctx->lock);
			if (worker->idle) {
				worker->idle = false;
				tctx->nr_idle--;
			}
			spin_unlock_irq(&tctx->lock);
		}

		/* a cancel kicked us out of a blocking call: that is all */
		if (test_thread_flag(TIF_NOTIFY_SIGNAL))
			clear_notify_signal();
		/*
		 * The last fput() of a request's file is task_work on an io
		 * thread: run it now, or a pipe's reader waits for its EOF
		 * until we idle out.
		 */
		if (task_work_pending(current)) {
			__set_current_state(TASK_RUNNING);
			task_work_run();
		}
		if (task_sigpending(current)) {
			struct ksignal ksig;

			__set_current_state(TASK_RUNNING);
			if (get_signal(&ksig))
				fatal = true;
		}
	}

	list_del(&worker->node);
	tctx->nr_workers--;
	/* the process is dying, or nobody is left to run what is queued */
	if (fatal || tctx->dying || !tctx->nr_workers)
		list_splice_init(&tctx->work, &cancel);
	spin_unlock_irq(&tctx->lock);

	io_cancel_list(&cancel);
	wake_up(&tctx->wait);
	io_tctx_put(tctx);
	kfree(worker);
	do_exit(0);
}

/* Start one more worker; runs in the submitting task itself. */
static void io_worker_create(struct io_uring_task *tctx)
{
	struct io_worker *worker;
	struct task_struct *tsk;
	LIST_HEAD(cancel);

	worker = kzalloc(sizeof(*worker), GFP_KERNEL);
	if (worker) {
		worker->tctx = tctx;
		refcount_inc(&tctx->refs);
		spin_lock_irq(&tctx->lock);
		tctx->nr_workers++;
		list_add_tail(&worker->node, &tctx->workers);
		spin_unlock_irq(&tctx->lock);

		tsk = create_io_thread(io_worker_fn, worker, NUMA_NO_NODE);
		if (!IS_ERR(tsk)) {
			worker->task = tsk;
			wake_up_new_task(tsk);
			return;
		}
		spin_lock_irq(&tctx->lock);
		list_del(&worker->node);
		tctx->nr_workers--;
		spin_unlock_irq(&tctx->lock);
		io_tctx_put(tctx);
		kfree(worker);
	}

	/* no worker and none coming: what is queued would wait forever */
	spin_lock_irq(&tctx->lock);
	if (!tctx->nr_workers)
		list_splice_init(&tctx->work, &cancel);
	spin_unlock_irq(&tctx->lock);
	io_cancel_list(&cancel);
}

/* With no worker idle, does @req get a new one? */
static bool io_worker_wanted(struct io_uring_task *tctx, struct io_kiocb *req)
{
	unsigned long limit = task_rlimit(current, RLIMIT_NPROC);

	lockdep_assert_held(&tctx->lock);
	if (!io_req_unbounded(req))
		limit = min_t(unsigned long, limit,
			      tctx->max_workers + tctx->nr_unbounded);
	return tctx->nr_workers < limit;
}

/*
 * Queue a request for the submitter's workers.  Only ever called in the
 * submitter's own context (its syscall or its task_work, see
 * io_req_task_queue()): the creds the request keeps are the submitter's,
 * and a new worker is created right here, as a thread of the submitter.
 */
static void io_queue_async(struct io_kiocb *req)
{
	struct io_uring_task *tctx = req->tctx;
	struct io_worker *worker;
	bool create = false;

	io_req_keep_creds(req);
/* series: iopoll */
	/* until it is on the iopoll list, GETEVENTS waits for it, not polls */
	if (unlikely(req->ctx->flags & IORING_SETUP_IOPOLL) &&
	    !(req->flags & REQ_F_IOPOLL_ASYNC)) {
		req->flags |= REQ_F_IOPOLL_ASYNC;
		atomic_inc(&req->ctx->iopoll_async);
	}
/* series: end */
	spin_lock_irq(&tctx->lock);
	if (unlikely(tctx->dying)) {
		spin_unlock_irq(&tctx->lock);
		io_req_complete(req, -ECANCELED);
		return;
	}
	list_add_tail(&req->list, &tctx->work);
	if (tctx->nr_idle) {
		list_for_each_entry(worker, &tctx->workers, node) {
			if (worker->idle) {
				worker->idle = false;
				tctx->nr_idle--;
				wake_up_process(worker->task);
				break;
			}
		}
	} else {
		create = io_worker_wanted(tctx, req);
	}
	spin_unlock_irq(&tctx->lock);

	if (create)
		io_worker_create(tctx);
}

/* Set up current->io_uring on a task's first submission. */
static int io_task_init(void)
{
	struct io_uring_task *tctx;

	/* zeroed: tw_list is an empty llist, the counts are 0 */
	tctx = kzalloc(sizeof(*tctx), GFP_KERNEL);
	if (!tctx)
		return -ENOMEM;
	refcount_set(&tctx->refs, 1);
	tctx->task = current;
	tctx->max_workers = max(8U, 4 * num_online_cpus());
	/* workers and what they run */
	spin_lock_init(&tctx->lock);
	INIT_LIST_HEAD(&tctx->workers);
	INIT_LIST_HEAD(&tctx->work);
/* series: poll */
	INIT_LIST_HEAD(&tctx->poll_list);
/* series: end */
	init_waitqueue_head(&tctx->wait);
	/* the rings it submits to */
	mutex_init(&tctx->ctx_lock);
	INIT_LIST_HEAD(&tctx->ctx_nodes);
	/* completion context, see io_req_task_queue() */
	init_task_work(&tctx->tw_cb, io_tctx_tw_run);
	current->io_uring = tctx;
	return 0;
}

/* series: sqpoll */
/*
 * ======================================================================
 * The SQ thread (IORING_SETUP_SQPOLL)
 * ======================================================================
 *
 * The thread does what io_uring_enter() does for other rings: it consumes
 * the SQ, as the submitter of every request (they run on its task_work,
 * their blocking parts on its own workers), and for IOPOLL rings it reaps
 * completions too.  It polls the SQ for sq_idle jiffies after the last
 * work, then sets IORING_SQ_NEED_WAKEUP and sleeps until
 * IORING_ENTER_SQ_WAKEUP, task_work or a signal wakes it ([SQ-W]).
 *
 * It stops when its last ring is freed, or when its process dies or
 * execs (a fatal signal).  A ring that outlives it answers -EOWNERDEAD.
 */

static void io_sq_data_put(struct io_sq_data *sqd)
{
	if (refcount_dec_and_test(&sqd->refs))
		kfree(sqd);
}

/*
 * One round on @ctx: reap polled completions, submit up to @cap SQEs.
 * Returns true if there was something to do.
 */
static bool io_sq_round(struct io_ring_ctx *ctx, u32 cap)
{
	const struct cred *old = NULL;
	bool busy;
	int ret = 0;

	/*
	 * A ring being torn down takes no new requests, a disabled one none
	 * yet (pairs with smp_store_release() in io_register_enable()).
	 */
	if (percpu_ref_is_dying(&ctx->refs) || smp_load_acquire(&ctx->disabled))
		return false;
	/* cached_sq_head is ours alone to write: a peek without uring_lock */
	if (!io_sq_pending(ctx) && list_empty_careful(&ctx->iopoll_list))
		return false;

	mutex_lock(&ctx->uring_lock);
	/*
	 * Again, now that it counts: the exit work frees the cached requests
	 * under uring_lock after the kill, and the ring may go once they are
	 * back; a request allocated past that would outlive it.
	 */
	if (unlikely(percpu_ref_is_dying(&ctx->refs))) {
		mutex_unlock(&ctx->uring_lock);
		return false;
	}
	if (!list_empty(&ctx->iopoll_list))
		io_iopoll_reap(ctx);
	if (io_sq_pending(ctx)) {
		if (ctx->sq_creds != current_cred())
			old = override_creds(ctx->sq_creds);
		ret = io_submit_sqes(ctx, cap);
		if (old)
			revert_creds(old);
	}
	busy = ret > 0 || !list_empty(&ctx->iopoll_list);
	mutex_unlock(&ctx->uring_lock);

	/* pairs with prepare_to_wait()'s barrier in io_sq_wait_room() */
	if (ret > 0 && wq_has_sleeper(&ctx->sq_room_wait))
		wake_up(&ctx->sq_room_wait);
	return busy;
}

/*
 * Task_work (completions of our requests, the last fput() of their
 * files) and signals, with sqd->lock dropped.  Returns true if the thread
 * was killed: its process is exiting or exec'ing.
 */
static bool io_sq_handle_events(void)
{
	struct ksignal ksig;

	if (test_thread_flag(TIF_NOTIFY_SIGNAL))
		clear_notify_signal();
	if (task_work_pending(current))
		task_work_run();
	return task_sigpending(current) && get_signal(&ksig);
}

/* Is there anything for the thread on its rings?  With sqd->lock held. */
static bool io_sq_has_work(struct io_sq_data *sqd)
{
	struct io_ring_ctx *ctx;

	list_for_each_entry(ctx, &sqd->ctx_list, sqd_node) {
		if (percpu_ref_is_dying(&ctx->refs) || READ_ONCE(ctx->disabled))
			continue;
		if (io_sq_pending(ctx) || !list_empty_careful(&ctx->iopoll_list))
			return true;
	}
	return false;
}

static void io_sq_set_wakeup(struct io_sq_data *sqd, bool on)
{
	struct io_ring_ctx *ctx;

	list_for_each_entry(ctx, &sqd->ctx_list, sqd_node) {
		atomic_t *flags = (atomic_t *)&ctx->rings->sq_flags;

		if (on)
			atomic_or(IORING_SQ_NEED_WAKEUP, flags);
		else
			atomic_andnot(IORING_SQ_NEED_WAKEUP, flags);
	}
}

/* Idle long enough: sleep until there is work, or until woken. */
static void io_sq_sleep(struct io_sq_data *sqd)
{
	DEFINE_WAIT(wait);

	/* on the queue before the flag: a wakeup that saw it finds us */
	prepare_to_wait(&sqd->wait, &wait, TASK_INTERRUPTIBLE);
	io_sq_set_wakeup(sqd, true);
	/* [SQ-W] the flag before the tails; pairs with userspace's barrier */
	smp_mb__after_atomic();
	if (!io_sq_has_work(sqd) && !sqd->stop && !task_work_pending(current) &&
	    !task_sigpending(current)) {
		mutex_unlock(&sqd->lock);
		schedule();
		mutex_lock(&sqd->lock);
	}
	io_sq_set_wakeup(sqd, false);
	finish_wait(&sqd->wait, &wait);
}

static int io_sq_thread(void *data)
{
	struct io_sq_data *sqd = data;
	char name[TASK_COMM_LEN];
	unsigned long timeout;
	bool killed = false;

	snprintf(name, sizeof(name), "iou-sqp-%d", sqd->pid);
	set_task_comm(current, name);
	if (sqd->cpu != -1)
		set_cpus_allowed_ptr(current, cpumask_of(sqd->cpu));

	mutex_lock(&sqd->lock);
	timeout = jiffies + sqd->idle;
	while (!sqd->stop) {
		struct io_ring_ctx *ctx;
		bool busy = false;
		u32 cap = list_is_singular(&sqd->ctx_list) ? U32_MAX :
			  IO_SQ_FAIR_BATCH;

		list_for_each_entry(ctx, &sqd->ctx_list, sqd_node)
			busy |= io_sq_round(ctx, cap);
		if (busy)
			timeout = jiffies + sqd->idle;

		if (busy || time_before(jiffies, timeout) ||
		    task_work_pending(current) || task_sigpending(current)) {
			mutex_unlock(&sqd->lock);
			killed = io_sq_handle_events();
			cond_resched();
			mutex_lock(&sqd->lock);
			if (killed)
				break;
			continue;
		}
		io_sq_sleep(sqd);
		timeout = jiffies + sqd->idle;
	}
	/* a ring left behind: userspace enters, and learns of it there */
	io_sq_set_wakeup(sqd, true);
	WRITE_ONCE(sqd->thread, NULL);
	mutex_unlock(&sqd->lock);
	io_sq_data_put(sqd);
	do_exit(0);
}

/*
 * IORING_SETUP_ATTACH_WQ: the SQ thread of the ring @fd, with a reference
 * taken; NULL if it belongs to another process, which gets a thread of its
 * own, as in 6.1.
 */
static struct io_sq_data *io_sq_attach(int fd)
{
	struct io_ring_ctx *other;
	struct io_sq_data *sqd;
	struct fd f = fdget(fd);

	if (!f.file)
		return ERR_PTR(-ENXIO);
	if (f.file->f_op != &io_uring_fops) {
		fdput(f);
		return ERR_PTR(-EINVAL);
	}
	other = f.file->private_data;
	sqd = other->sqd;
	if (!sqd)
		sqd = ERR_PTR(-EINVAL);
	else if (sqd->tgid != current->tgid)
		sqd = NULL;
	else
		refcount_inc(&sqd->refs);
	fdput(f);
	return sqd;
}

/* IORING_SETUP_SQ_AFF: an online CPU the caller's cpuset allows. */
static int io_sq_check_cpu(u32 cpu)
{
	cpumask_var_t allowed;
	bool ok;

	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -EINVAL;
	if (!alloc_cpumask_var(&allowed, GFP_KERNEL))
		return -ENOMEM;
	cpuset_cpus_allowed(current, allowed);
	ok = cpumask_test_cpu(cpu, allowed);
	free_cpumask_var(allowed);
	return ok ? 0 : -EINVAL;
}

static struct io_sq_data *io_sq_create(struct io_uring_params *p)
{
	struct io_sq_data *sqd;
	struct task_struct *tsk;
	int ret = 0;

	if (p->flags & IORING_SETUP_SQ_AFF)
		ret = io_sq_check_cpu(p->sq_thread_cpu);
	if (ret)
		return ERR_PTR(ret);
	sqd = kzalloc(sizeof(*sqd), GFP_KERNEL);
	if (!sqd)
		return ERR_PTR(-ENOMEM);
	/* the caller's reference and the thread's */
	refcount_set(&sqd->refs, 2);
	mutex_init(&sqd->lock);
	INIT_LIST_HEAD(&sqd->ctx_list);
	init_waitqueue_head(&sqd->wait);
	sqd->cpu = p->flags & IORING_SETUP_SQ_AFF ? p->sq_thread_cpu : -1;
	sqd->pid = current->pid;
	sqd->tgid = current->tgid;
	tsk = create_io_thread(io_sq_thread, sqd, NUMA_NO_NODE);
	if (IS_ERR(tsk)) {
		kfree(sqd);
		return ERR_CAST(tsk);
	}
	/* it runs once a ring is on its list, see io_sq_setup() */
	sqd->thread = tsk;
	return sqd;
}

/*
 * Setup: start the SQ thread, or attach the ring to the one of @p->wq_fd.
 * What IORING_SETUP_ATTACH_WQ alone names is checked and, as in 6.1,
 * otherwise unused: each task has workers of its own.
 */
static int io_sq_setup(struct io_ring_ctx *ctx, struct io_uring_params *p)
{
	struct task_struct *start = NULL;
	struct io_sq_data *sqd = NULL;
	int ret;

	if (!(ctx->flags & IORING_SETUP_SQPOLL)) {
		struct fd f;

		if (ctx->flags & IORING_SETUP_SQ_AFF)
			return -EINVAL;
		if (!(ctx->flags & IORING_SETUP_ATTACH_WQ))
			return 0;
		f = fdget(p->wq_fd);
		if (!f.file)
			return -ENXIO;
		ret = f.file->f_op == &io_uring_fops ? 0 : -EINVAL;
		fdput(f);
		return ret;
	}

	ret = security_uring_sqpoll();
	if (ret)
		return ret;
	if (ctx->flags & IORING_SETUP_ATTACH_WQ) {
		sqd = io_sq_attach(p->wq_fd);
		if (IS_ERR(sqd))
			return PTR_ERR(sqd);
	}
	if (!sqd) {
		sqd = io_sq_create(p);
		if (IS_ERR(sqd))
			return PTR_ERR(sqd);
		start = sqd->thread;
	}

	ctx->sq_idle = msecs_to_jiffies(p->sq_thread_idle) ?: HZ;
	mutex_lock(&sqd->lock);
	/* a thread on its way out takes no new ring */
	if (!sqd->thread) {
		mutex_unlock(&sqd->lock);
		io_sq_data_put(sqd);
		return -ENXIO;
	}
	ctx->sq_creds = get_current_cred();
	ctx->sqd = sqd;
	list_add_tail(&ctx->sqd_node, &sqd->ctx_list);
	sqd->idle = max(sqd->idle, ctx->sq_idle);
	mutex_unlock(&sqd->lock);
	if (start)
		wake_up_new_task(start);
	else
		wake_up(&sqd->wait);	/* to clear our NEED_WAKEUP, see io_sq_sleep() */
	return 0;
}

/* The ring is being freed: it leaves its SQ thread, the last one stops it. */
static void io_sq_detach(struct io_ring_ctx *ctx)
{
	struct io_sq_data *sqd = ctx->sqd;
	struct io_ring_ctx *other;

	mutex_lock(&sqd->lock);
	list_del(&ctx->sqd_node);
	sqd->idle = 0;
	list_for_each_entry(other, &sqd->ctx_list, sqd_node)
		sqd->idle = max(sqd->idle, other->sq_idle);
	if (list_empty(&sqd->ctx_list))
		sqd->stop = true;
	mutex_unlock(&sqd->lock);
	wake_up(&sqd->wait);
	io_sq_data_put(sqd);
	put_cred(ctx->sq_creds);
}

/* IORING_ENTER_SQ_WAIT: until the thread has made room in the SQ ring. */
static void io_sq_wait_room(struct io_ring_ctx *ctx)
{
	struct io_rings *r = ctx->rings;
	DEFINE_WAIT(wait);

	for (;;) {
		prepare_to_wait(&ctx->sq_room_wait, &wait, TASK_INTERRUPTIBLE);
		/* the thread publishes sq.head, then looks for sleepers */
		if (READ_ONCE(r->sq_tail) - READ_ONCE(r->sq_head) < ctx->sq_entries)
			break;
		if (signal_pending(current) || !READ_ONCE(ctx->sqd->thread))
			break;
		schedule();
	}
	finish_wait(&ctx->sq_room_wait, &wait);
}

/*
 * io_uring_enter() on an SQPOLL ring submits nothing itself: it wakes the
 * thread or waits for room.
 */
static int io_sq_enter(struct io_ring_ctx *ctx, u32 flags)
{
	if (unlikely(!list_empty_careful(&ctx->overflow_list)))
		io_flush_overflow(ctx);
	if (unlikely(!READ_ONCE(ctx->sqd->thread)))
		return -EOWNERDEAD;
	if (flags & IORING_ENTER_SQ_WAKEUP)
		wake_up(&ctx->sqd->wait);
	if (flags & IORING_ENTER_SQ_WAIT)
		io_sq_wait_room(ctx);
	return 0;
}

/* series: end */
/*
 * ======================================================================
 * Registration
 * ======================================================================
 */

/*
 * IORING_REGISTER_PROBE: userspace hands in a zeroed io_uring_probe with
 * room for @nr ops and gets back which opcodes this kernel implements.
 * As 6.1, all @nr slots are read, checked and written back, also those
 * past the opcodes we know.
 */
static int io_probe(struct io_ring_ctx *ctx, void __user *arg, unsigned int nr)
{
	unsigned int i, len = min_t(unsigned int, nr, IORING_OP_LAST);
	struct io_uring_probe *p;
	size_t size;
	int ret = 0;

	size = struct_size(p, ops, nr);
	p = memdup_user(arg, size);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (memchr_inv(p, 0, size)) {
		ret = -EINVAL;
		goto out;
	}
	p->last_op = IORING_OP_LAST - 1;
	p->ops_len = len;
	for (i = 0; i < len; i++) {
		p->ops[i].op = i;
		/* an opcode we do not implement has no prep, and stays 0 */
		p->ops[i].flags = io_op_defs[i].prep ? IO_URING_OP_SUPPORTED : 0;
	}
	if (copy_to_user(arg, p, size))
		ret = -EFAULT;
out:
	kfree(p);
	return ret;
}

/* series: eventfd */
static int io_register_eventfd(struct io_ring_ctx *ctx, void __user *arg,
			       bool async)
{
	struct eventfd_ctx *evfd;
	s32 fd;

	/* as 6.1: one registered already is -EBUSY, whatever @arg is */
	if (rcu_access_pointer(ctx->evfd))
		return -EBUSY;
	if (copy_from_user(&fd, arg, sizeof(fd)))
		return -EFAULT;
	evfd = eventfd_ctx_fdget(fd);
	if (IS_ERR(evfd))
		return PTR_ERR(evfd);
	spin_lock_irq(&ctx->completion_lock);
	WRITE_ONCE(ctx->evfd_async, async);
	rcu_assign_pointer(ctx->evfd, evfd);
	spin_unlock_irq(&ctx->completion_lock);
	return 0;
}

static int io_unregister_eventfd(struct io_ring_ctx *ctx)
{
	struct eventfd_ctx *evfd;

	spin_lock_irq(&ctx->completion_lock);
	evfd = rcu_dereference_protected(ctx->evfd,
					 lockdep_is_held(&ctx->completion_lock));
	RCU_INIT_POINTER(ctx->evfd, NULL);
	spin_unlock_irq(&ctx->completion_lock);
	if (!evfd)
		return -ENXIO;
	/* wait for io_cqring_ev_posted() calls that may still signal it */
	synchronize_rcu();
	eventfd_ctx_put(evfd);
	return 0;
}

/* series: end */
/* series: fixed-files */
/*
 * A file for the registered table.  Never a ring: one in its own table, or
 * in another's that is in its table, would keep itself alive.
 */
static struct file *io_table_fget(int fd)
{
	struct file *file = fget(fd);

	if (file && io_is_uring_fops(file)) {
		fput(file);
		file = NULL;
	}
	return file;
}

static void io_files_free(unsigned long *files, u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++)
		if (files[i])
			fput(io_slot_file(files[i]));
	kvfree(files);
}

/* The slot for @file, see IO_SLOT_BITS. */
static unsigned long io_slot_make(struct file *file)
{
	u32 kind = io_file_kind(file, file_inode(file)->i_mode);

	/* what other files answer may change: see IO_SLOT_BITS */
	if (!(kind & REQ_F_ISREG))
		return (unsigned long)file;
	return (unsigned long)file | (kind >> IO_SLOT_SHIFT);
}

static void io_retired_free(struct io_ring_ctx *ctx, struct io_retired *r)
{
	while (r) {
		struct io_retired *next = r->next;

		if (r->file)
			fput(r->file);
		if (r->files)
			io_files_free(r->files, r->nr_files);
/* series: end */
/* series: fixed-bufs */
		if (r->bufs)
			io_bufs_free(ctx, r->bufs, r->nr_bufs);
/* series: end */
/* series: fixed-files */
		kfree(r);
		r = next;
	}
}

/*
 * Drop @nr references on @epoch.  The last one drops what was retired
 * into it and the epoch's reference on the next.  From any context but
 * hard irq: completion never puts from there.
 */
static void io_epoch_put(struct io_ring_ctx *ctx, struct io_epoch *epoch,
			 u32 nr)
{
	/*
	 * atomic_sub_and_test() is fully ordered: io_epoch_advance() wrote
	 * ->next and ->retired before its put, the last put reads them after.
	 */
	while (epoch && atomic_sub_and_test(nr, &epoch->refs)) {
		struct io_epoch *next = epoch->next;

		io_retired_free(ctx, epoch->retired);
		kfree(epoch);
		epoch = next;
		nr = 1;
	}
}

/* The first epoch, when a table is registered. */
static int io_epoch_init(struct io_ring_ctx *ctx)
{
	if (ctx->epoch)
		return 0;
	ctx->epoch = kzalloc(sizeof(*ctx->epoch), GFP_KERNEL_ACCOUNT);
	if (!ctx->epoch)
		return -ENOMEM;
	atomic_set(&ctx->epoch->refs, 1);
	return 0;
}

/*
 * A node on the current epoch's retired list, for the caller to fill in
 * before io_epoch_advance(); NULL if there is no memory for it.
 */
static struct io_retired *io_retire(struct io_ring_ctx *ctx)
{
	struct io_retired *r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);

	lockdep_assert_held(&ctx->uring_lock);
	if (r) {
		r->next = ctx->epoch->retired;
		ctx->epoch->retired = r;
	}
	return r;
}

/*
 * After entries were retired: leave the current epoch, so that what was
 * retired goes as soon as the requests that may use it are done.  Without
 * memory for the next epoch the retired entries wait for a later advance,
 * or the ring's end.
 */
static void io_epoch_advance(struct io_ring_ctx *ctx)
{
	struct io_epoch *old = ctx->epoch, *epoch;
	int cached = ctx->epoch_cached;

	lockdep_assert_held(&ctx->uring_lock);
	if (!old || !old->retired)
		return;
	epoch = kzalloc(sizeof(*epoch), GFP_KERNEL_ACCOUNT);
	if (!epoch)
		return;
	/* the ring's, and the old epoch's until it goes */
	atomic_set(&epoch->refs, 2);
	old->next = epoch;
	ctx->epoch = epoch;
	ctx->epoch_cached = 0;
	io_epoch_put(ctx, old, 1 + cached);
}

/* At the ring's end: no request is left to pin an epoch. */
static void io_epoch_exit(struct io_ring_ctx *ctx)
{
	if (ctx->epoch)
		io_epoch_put(ctx, ctx->epoch, 1 + ctx->epoch_cached);
}

/* Registered files: a table of file references, indexed by sqe->fd. */
static int io_register_files(struct io_ring_ctx *ctx, void __user *arg,
			     unsigned int nr)
{
	__s32 __user *fds = arg;
	unsigned long *files;
	unsigned int i;
	int ret = 0;

	if (ctx->files)
		return -EBUSY;
	if (!nr)
		return -EINVAL;
	if (nr > IORING_MAX_FIXED_FILES || nr > rlimit(RLIMIT_NOFILE))
		return -EMFILE;
	files = kvcalloc(nr, sizeof(*files), GFP_KERNEL_ACCOUNT);
	if (!files)
		return -ENOMEM;

	for (i = 0; i < nr; i++) {
		struct file *file;
		s32 fd;

		if (copy_from_user(&fd, &fds[i], sizeof(fd))) {
			ret = -EFAULT;
			break;
		}
		if (fd == -1)
			continue;	/* an empty slot, for FILES_UPDATE */
		file = io_table_fget(fd);
		if (!file) {
			ret = -EBADF;
			break;
		}
		files[i] = io_slot_make(file);
	}
	/* the table's first user sets up the epoch */
	if (!ret)
		ret = io_epoch_init(ctx);
	if (ret) {
		io_files_free(files, i);
		return ret;
	}
	ctx->files = files;
	ctx->nr_files = nr;
	ctx->file_alloc_start = 0;
	ctx->file_alloc_end = nr;
	return 0;
}

/*
 * @teardown: at the ring's end, without uring_lock: nothing else runs,
 * and no request is left to use the table.
 */
static int io_unregister_files(struct io_ring_ctx *ctx, bool teardown)
{
	struct io_retired *r;

	if (!ctx->files)
		return -ENXIO;
	if (teardown) {
		io_files_free(ctx->files, ctx->nr_files);
	} else {
		/* requests in flight may use the files: see io_epoch */
		r = io_retire(ctx);
		if (!r)
			return -ENOMEM;
		r->files = ctx->files;
		r->nr_files = ctx->nr_files;
		io_epoch_advance(ctx);
	}
	ctx->files = NULL;
	ctx->nr_files = 0;
	ctx->file_alloc_hint = 0;
	ctx->file_alloc_start = 0;
	ctx->file_alloc_end = 0;
	return 0;
}

/*
 * A free slot of the table for IORING_FILE_INDEX_ALLOC, or -ENFILE: within
 * the range IORING_REGISTER_FILE_ALLOC_RANGE set, else the whole table.
 */
static int io_file_slot_alloc(struct io_ring_ctx *ctx)
{
	u32 start = ctx->file_alloc_start, nr = ctx->file_alloc_end - start;
	u32 i, idx;

	lockdep_assert_held(&ctx->uring_lock);
	if (ctx->file_alloc_hint < start || ctx->file_alloc_hint >= start + nr)
		ctx->file_alloc_hint = start;
	for (i = 0; i < nr; i++) {
		idx = start + (ctx->file_alloc_hint - start + i) % nr;
		if (!ctx->files[idx]) {
			ctx->file_alloc_hint = idx + 1;
			return idx;
		}
	}
	return -ENFILE;
}

/* series: end */
/* series: net */
/**
 * io_file_slot_install - put a file a request created in the table
 * @req: the request (direct accept or socket)
 * @file: the new file; its reference goes to the table, or is put
 * @file_index: sqe->file_index: slot + 1, replacing what is there, or
 *	IORING_FILE_INDEX_ALLOC for a free slot
 * @issue_flags: whether uring_lock is held already
 *
 * Returns 0, or the slot chosen for IORING_FILE_INDEX_ALLOC, or -ENXIO
 * (no table), -EINVAL (no such slot), -ENFILE (no free slot).
 */
static int io_file_slot_install(struct io_kiocb *req, struct file *file,
				u32 file_index, unsigned int issue_flags)
{
	bool alloc = file_index == IORING_FILE_INDEX_ALLOC;
	struct io_ring_ctx *ctx = req->ctx;
	struct io_retired *r;
	int slot;

	if (!(issue_flags & IO_ISSUE_LOCKED))
		mutex_lock(&ctx->uring_lock);
	if (alloc)
		slot = io_file_slot_alloc(ctx);
	else if (!ctx->files)
		slot = -ENXIO;
	else if (file_index - 1 >= ctx->nr_files)
		slot = -EINVAL;
	else
		slot = array_index_nospec(file_index - 1, ctx->nr_files);
	if (slot >= 0 && ctx->files[slot]) {
		/* requests in flight may use the old file: see io_epoch */
		r = io_retire(ctx);
		if (r)
			r->file = io_slot_file(ctx->files[slot]);
		else
			slot = -ENOMEM;
	}
	if (slot >= 0) {
		ctx->files[slot] = io_slot_make(file);
		file = NULL;
		io_epoch_advance(ctx);
	}
	if (!(issue_flags & IO_ISSUE_LOCKED))
		mutex_unlock(&ctx->uring_lock);
	if (file)
		fput(file);
	if (slot < 0)
		return slot;
	return alloc ? slot : 0;
}

/* series: end */
/* series: fixed-files */
/* IORING_REGISTER_FILE_ALLOC_RANGE */
static int io_register_file_alloc_range(struct io_ring_ctx *ctx,
					void __user *arg)
{
	struct io_uring_file_index_range r;
	u64 end;

	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	/* [off, off + len) in 32 bits, inside the table; resv for later */
	end = (u64)r.off + r.len;
	if (end > U32_MAX)
		return -EOVERFLOW;
	if (end > ctx->nr_files || r.resv)
		return -EINVAL;
	ctx->file_alloc_start = r.off;
	ctx->file_alloc_end = end;
	ctx->file_alloc_hint = r.off;
	return 0;
}

/*
 * Put the files @fds names into @nr slots from @offset: -1 empties a slot,
 * IORING_REGISTER_FILES_SKIP leaves it alone.  With @offset
 * IORING_FILE_INDEX_ALLOC (only the FILES_UPDATE opcode), each file goes
 * into a free slot and its index is written back over its fd.  Returns
 * how many were done, or the first one's error if none was.
 */
static int io_files_update(struct io_ring_ctx *ctx, __s32 __user *fds,
			   u32 offset, u32 nr, bool alloc)
{
	unsigned int done;
	u32 end;
	int ret = 0;

	lockdep_assert_held(&ctx->uring_lock);
	/* as 6.1: a range past 32 bits first, then no table, then too small */
	if (!alloc && check_add_overflow(offset, nr, &end))
		return -EOVERFLOW;
	if (!ctx->files)
		return -ENXIO;
	if (!alloc && end > ctx->nr_files)
		return -EINVAL;

	for (done = 0; done < nr; done++) {
		struct file *file = NULL;
		struct io_retired *r;
		int idx = offset + done;
		s32 fd;

		if (copy_from_user(&fd, &fds[done], sizeof(fd))) {
			ret = -EFAULT;
			break;
		}
		if (!alloc && fd == IORING_REGISTER_FILES_SKIP)
			continue;
		if (alloc || fd != -1) {
			file = io_table_fget(fd);
			if (!file) {
				ret = -EBADF;
				break;
			}
		}
		if (alloc) {
			idx = io_file_slot_alloc(ctx);
			if (idx >= 0 && put_user(idx, &fds[done]))
				idx = -EFAULT;
			if (idx < 0) {
				fput(file);
				ret = idx;
				break;
			}
		}
		idx = array_index_nospec(idx, ctx->nr_files);
		/* requests in flight may use the old file: see io_epoch */
		if (ctx->files[idx]) {
			r = io_retire(ctx);
			if (!r) {
				if (file)
					fput(file);
				ret = -ENOMEM;
				break;
			}
			r->file = io_slot_file(ctx->files[idx]);
		}
		ctx->files[idx] = file ? io_slot_make(file) : 0;
	}
	io_epoch_advance(ctx);
	return done ? done : ret;
}

static int io_update_files(struct io_ring_ctx *ctx, void __user *arg,
			   unsigned int nr)
{
	struct io_uring_files_update up;

	/* as 6.1: the argument is checked before the table */
	if (!nr)
		return -EINVAL;
	if (copy_from_user(&up, arg, sizeof(up)))
		return -EFAULT;
	if (up.resv)
		return -EINVAL;
	return io_files_update(ctx, u64_to_user_ptr(up.fds), up.offset, nr,
			       false);
}

static int io_files_update_prep(struct io_kiocb *req,
				const struct io_uring_sqe *sqe)
{
	struct io_files_up *up = &req->files_up;

	if (READ_ONCE(sqe->rw_flags) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	/* 6.1 keeps the low 32 bits: liburing passes -1 sign-extended */
	up->offset = READ_ONCE(sqe->off);
	up->nr = READ_ONCE(sqe->len);
	up->arg = READ_ONCE(sqe->addr);
	return up->nr ? 0 : -EINVAL;
}

static int io_files_update_op(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_files_up *up = &req->files_up;
	struct io_ring_ctx *ctx = req->ctx;
	int ret;

	/* a worker (IOSQE_ASYNC) gets here without the table's lock */
	if (!(issue_flags & IO_ISSUE_LOCKED))
		mutex_lock(&ctx->uring_lock);
	ret = io_files_update(ctx, u64_to_user_ptr(up->arg), up->offset,
			      up->nr, up->offset == IORING_FILE_INDEX_ALLOC);
	if (!(issue_flags & IO_ISSUE_LOCKED))
		mutex_unlock(&ctx->uring_lock);
	return ret;
}

/* series: end */
/* series: fixed-bufs */
/*
 * Registered buffers: user memory pinned once, so READ_FIXED and
 * WRITE_FIXED skip the page walk.  Pinned pages count against
 * RLIMIT_MEMLOCK for users without CAP_IPC_LOCK.
 */
static int io_account_mem(struct io_ring_ctx *ctx, unsigned long nr_pages)
{
	unsigned long limit, cur, new;

	if (!ctx->user)
		return 0;
	limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	cur = atomic_long_read(&ctx->user->locked_vm);
	do {
		new = cur + nr_pages;
		if (new > limit)
			return -ENOMEM;
	} while (!atomic_long_try_cmpxchg(&ctx->user->locked_vm, &cur, new));
	return 0;
}

static void io_unaccount_mem(struct io_ring_ctx *ctx, unsigned long nr_pages)
{
	if (ctx->user)
		atomic_long_sub(nr_pages, &ctx->user->locked_vm);
}

static void io_mapped_buf_free(struct io_ring_ctx *ctx,
			       struct io_mapped_buf *imu)
{
	unsigned int i;

	for (i = 0; i < imu->nr_bvecs; i++)
		unpin_user_page(imu->bvec[i].bv_page);
	io_unaccount_mem(ctx, imu->acct_pages);
	kvfree(imu);
}

static void io_bufs_free(struct io_ring_ctx *ctx, struct io_mapped_buf **bufs,
			 u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++)
		if (bufs[i])
			io_mapped_buf_free(ctx, bufs[i]);
	kvfree(bufs);
}

static int io_copy_iov(struct io_ring_ctx *ctx, struct iovec *iov,
		       void __user *arg, unsigned int i)
{
#ifdef CONFIG_COMPAT
	if (ctx->compat) {
		struct compat_iovec __user *uiov = arg;
		struct compat_iovec ciov;

		if (copy_from_user(&ciov, &uiov[i], sizeof(ciov)))
			return -EFAULT;
		iov->iov_base = compat_ptr(ciov.iov_base);
		iov->iov_len = ciov.iov_len;
		return 0;
	}
#endif
	if (copy_from_user(iov, &((struct iovec __user *)arg)[i], sizeof(*iov)))
		return -EFAULT;
	return 0;
}

static int io_pin_buffer(struct io_ring_ctx *ctx, const struct iovec *iov,
			 struct io_mapped_buf **pimu)
{
	unsigned long ubuf = (unsigned long)iov->iov_base, end;
	struct vm_area_struct **vmas = NULL;
	struct page **pages = NULL;
	struct io_mapped_buf *imu;
	unsigned long nr_pages, i;
	size_t off, left;
	long pinned = 0;
	int ret;

	if (!iov->iov_len || iov->iov_len > SZ_1G)
		return -EFAULT;
	if (check_add_overflow(ubuf, iov->iov_len, &end) ||
	    check_add_overflow(end, PAGE_SIZE - 1, &end))
		return -EOVERFLOW;
	nr_pages = (end >> PAGE_SHIFT) - (ubuf >> PAGE_SHIFT);

	ret = -ENOMEM;
	pages = kvmalloc_array(nr_pages, sizeof(*pages), GFP_KERNEL);
	vmas = kvmalloc_array(nr_pages, sizeof(*vmas), GFP_KERNEL);
	imu = kvmalloc(struct_size(imu, bvec, nr_pages), GFP_KERNEL_ACCOUNT);
	if (!pages || !vmas || !imu)
		goto out;

	mmap_read_lock(current->mm);
	pinned = pin_user_pages(ubuf, nr_pages, FOLL_WRITE | FOLL_LONGTERM,
				pages, vmas);
	ret = pinned == nr_pages ? 0 : (pinned < 0 ? pinned : -EFAULT);
	for (i = 0; !ret && i < nr_pages; i++) {
		struct file *file = vmas[i]->vm_file;

		/* one mapping only; of files, only shmem and hugetlbfs */
		if (file != vmas[0]->vm_file)
			ret = -EINVAL;
		else if (file && !vma_is_shmem(vmas[i]) &&
			 !is_file_hugepages(file))
			ret = -EOPNOTSUPP;
	}
	mmap_read_unlock(current->mm);
	if (!ret)
		ret = io_account_mem(ctx, nr_pages);
	if (ret)
		goto out;

	off = ubuf & ~PAGE_MASK;
	left = iov->iov_len;
	for (i = 0; i < nr_pages; i++) {
		size_t n = min_t(size_t, left, PAGE_SIZE - off);

		bvec_set_page(&imu->bvec[i], pages[i], n, off);
		off = 0;
		left -= n;
	}
	imu->ubuf = ubuf;
	imu->len = iov->iov_len;
	imu->nr_bvecs = nr_pages;
	imu->acct_pages = nr_pages;
	*pimu = imu;
	imu = NULL;
	pinned = 0;
out:
	if (pinned > 0)
		unpin_user_pages(pages, pinned);
	kvfree(imu);
	kvfree(vmas);
	kvfree(pages);
	return ret;
}

static int io_register_buffers(struct io_ring_ctx *ctx, void __user *arg,
			       unsigned int nr)
{
	struct io_mapped_buf **bufs;
	unsigned int i;
	int ret = 0;

	if (ctx->bufs)
		return -EBUSY;
	if (!nr || nr > IORING_MAX_REG_BUFFERS)
		return -EINVAL;
	bufs = kvcalloc(nr, sizeof(*bufs), GFP_KERNEL_ACCOUNT);
	if (!bufs)
		return -ENOMEM;

	for (i = 0; i < nr; i++) {
		struct iovec iov;

		ret = io_copy_iov(ctx, &iov, arg, i);
		if (ret)
			break;
		/* a NULL base with no length is an empty slot */
		if (!iov.iov_base) {
			if (iov.iov_len)
				ret = -EFAULT;
			if (ret)
				break;
			continue;
		}
		ret = io_pin_buffer(ctx, &iov, &bufs[i]);
		if (ret)
			break;
	}
	if (!ret)
		ret = io_epoch_init(ctx);
	if (ret) {
		io_bufs_free(ctx, bufs, i);
		return ret;
	}
	ctx->bufs = bufs;
	ctx->nr_bufs = nr;
	return 0;
}

/* @teardown: as for io_unregister_files() */
static int io_unregister_buffers(struct io_ring_ctx *ctx, bool teardown)
{
	struct io_retired *r;

	if (!ctx->bufs)
		return -ENXIO;
	if (teardown) {
		io_bufs_free(ctx, ctx->bufs, ctx->nr_bufs);
	} else {
		/* requests in flight may use the buffers: see io_epoch */
		r = io_retire(ctx);
		if (!r)
			return -ENOMEM;
		r->bufs = ctx->bufs;
		r->nr_bufs = ctx->nr_bufs;
		io_epoch_advance(ctx);
	}
	ctx->bufs = NULL;
	ctx->nr_bufs = 0;
	return 0;
}

/* series: end */
/* series: personality */
/* IORING_REGISTER_PERSONALITY: the caller's creds, for sqe->personality. */
static int io_register_personality(struct io_ring_ctx *ctx)
{
	const struct cred *creds = get_current_cred();
	u32 id;
	int ret;

	ret = xa_alloc_cyclic(&ctx->personalities, &id, (void *)creds,
			      XA_LIMIT(1, USHRT_MAX), &ctx->pers_next,
			      GFP_KERNEL);
	if (ret < 0) {
		put_cred(creds);
		return ret;
	}
	return id;
}

/* Requests that named the id keep their own reference to the creds. */
static int io_unregister_personality(struct io_ring_ctx *ctx, unsigned int id)
{
	const struct cred *creds = xa_erase(&ctx->personalities, id);

	if (!creds)
		return -EINVAL;
	put_cred(creds);
	return 0;
}

/* series: end */
/* IORING_REGISTER_ENABLE_RINGS: a ring set up IORING_SETUP_R_DISABLED */
static int io_register_enable(struct io_ring_ctx *ctx)
{
	if (!ctx->disabled)
		return -EBADFD;
	/* the first to enable it is the one to submit */
	if ((ctx->flags & IORING_SETUP_SINGLE_ISSUER) && !ctx->submitter)
		ctx->submitter = get_task_struct(current);
	/* pairs with smp_load_acquire() in io_enter_check(), io_sq_round() */
	smp_store_release(&ctx->disabled, false);
/* series: sqpoll */
	if (ctx->sqd)
		wake_up(&ctx->sqd->wait);
/* series: end */
	return 0;
}

static int io_register(struct io_ring_ctx *ctx, unsigned int opcode,
		       void __user *arg, unsigned int nr_args)
{
	lockdep_assert_held(&ctx->uring_lock);
	/* IORING_SETUP_SINGLE_ISSUER: the submitter's alone, as 6.1 */
	if (ctx->submitter && ctx->submitter != current)
		return -EEXIST;

	switch (opcode) {
	case IORING_REGISTER_PROBE:
		if (!arg || nr_args > 256)
			return -EINVAL;
		return io_probe(ctx, arg, nr_args);
	case IORING_REGISTER_ENABLE_RINGS:
		if (arg || nr_args)
			return -EINVAL;
		return io_register_enable(ctx);
	case IORING_REGISTER_RESTRICTIONS:
		/* 6.1's first answer, for a ring not set up disabled ... */
		if (!ctx->disabled)
			return -EBADFD;
		/* ... but restrictions themselves are not implemented */
		return -EINVAL;
/* series: eventfd */
	case IORING_REGISTER_EVENTFD:
	case IORING_REGISTER_EVENTFD_ASYNC:
		if (nr_args != 1)
			return -EINVAL;
		return io_register_eventfd(ctx, arg,
					   opcode == IORING_REGISTER_EVENTFD_ASYNC);
	case IORING_UNREGISTER_EVENTFD:
		if (arg || nr_args)
			return -EINVAL;
		return io_unregister_eventfd(ctx);
/* series: end */
/* series: fixed-files */
	/* as 6.1: no array is -EFAULT, before the table or the count */
	case IORING_REGISTER_FILES:
		if (!arg)
			return -EFAULT;
		return io_register_files(ctx, arg, nr_args);
	case IORING_UNREGISTER_FILES:
		if (arg || nr_args)
			return -EINVAL;
		return io_unregister_files(ctx, false);
	case IORING_REGISTER_FILES_UPDATE:
		return io_update_files(ctx, arg, nr_args);
/* series: end */
/* series: fixed-bufs */
	case IORING_REGISTER_BUFFERS:
		if (!arg)
			return -EFAULT;
		return io_register_buffers(ctx, arg, nr_args);
	case IORING_UNREGISTER_BUFFERS:
		if (arg || nr_args)
			return -EINVAL;
		return io_unregister_buffers(ctx, false);
/* series: end */
/* series: personality */
	case IORING_REGISTER_PERSONALITY:
		if (arg || nr_args)
			return -EINVAL;
		return io_register_personality(ctx);
	case IORING_UNREGISTER_PERSONALITY:
		if (arg)
			return -EINVAL;
		return io_unregister_personality(ctx, nr_args);
/* series: end */
/* series: link */
	case IORING_REGISTER_SYNC_CANCEL:
		if (!arg || nr_args != 1)
			return -EINVAL;
		return io_sync_cancel(ctx, arg);
/* series: end */
/* series: fixed-files */
	case IORING_REGISTER_FILE_ALLOC_RANGE:
		if (!arg || nr_args)
			return -EINVAL;
		return io_register_file_alloc_range(ctx, arg);
/* series: end */
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE4(io_uring_register, unsigned int, fd, unsigned int, opcode,
		void __user *, arg, unsigned int, nr_args)
{
	struct io_ring_ctx *ctx;
	struct fd f;
	long ret;

	/* the ABI answers an unknown opcode with -EINVAL whatever @fd is */
	if (opcode >= IORING_REGISTER_LAST)
		return -EINVAL;
	f = fdget(fd);
	if (!f.file || f.file->f_op != &io_uring_fops) {
		ret = f.file ? -EOPNOTSUPP : -EBADF;
		fdput(f);
		return ret;
	}
	ctx = f.file->private_data;
	mutex_lock(&ctx->uring_lock);
	ret = io_register(ctx, opcode, arg, nr_args);
	mutex_unlock(&ctx->uring_lock);
	fdput(f);
	return ret;
}

/*
 * ======================================================================
 * The ring file: poll, fdinfo, teardown
 * ======================================================================
 */

static __poll_t io_uring_poll(struct file *file, poll_table *wait)
{
	struct io_ring_ctx *ctx = file->private_data;
	__poll_t mask = 0;

	/* once: wakers read the flag's cache line on every post */
	if (!READ_ONCE(ctx->polled))
		WRITE_ONCE(ctx->polled, true);
	poll_wait(file, &ctx->poll_wait, wait);
	/*
	 * ->polled and our wait entry before the ring state: pairs with the
	 * smp_mb() in io_cqring_wake() and io_local_notify()
	 */
	smp_mb();
	if (READ_ONCE(ctx->rings->sq_tail) - ctx->cached_sq_head !=
	    ctx->sq_entries)
		mask |= EPOLLOUT | EPOLLWRNORM;
	/* deferred task_work too: the submitter gets its CQEs by entering */
	if (!list_empty_careful(&ctx->overflow_list) ||
	    !llist_empty(&ctx->local_list) ||
	    READ_ONCE(ctx->rings->cq_tail) != READ_ONCE(ctx->rings->cq_head))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static void io_uring_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct io_ring_ctx *ctx = file->private_data;
	struct io_rings *r = ctx->rings;
	struct io_overflow_cqe *ocqe;
/* series: personality */
	const struct cred *creds;
	unsigned long index;
/* series: end */
	unsigned int n = 0;
	int pid = -1, cpu = -1;

	seq_printf(m, "SqEntries:\t%u\nSqHead:\t%u\nSqTail:\t%u\nCachedSqHead:\t%u\n",
		   ctx->sq_entries, READ_ONCE(r->sq_head), READ_ONCE(r->sq_tail),
		   READ_ONCE(ctx->cached_sq_head));
	seq_printf(m, "CqEntries:\t%u\nCqHead:\t%u\nCqTail:\t%u\nCachedCqTail:\t%u\n",
		   ctx->cq_entries, READ_ONCE(r->cq_head), READ_ONCE(r->cq_tail),
		   READ_ONCE(ctx->cached_cq_tail));
	seq_printf(m, "SqDropped:\t%u\nCqOverflow:\t%u\n",
		   READ_ONCE(r->sq_dropped), READ_ONCE(r->cq_overflow));
	spin_lock_irq(&ctx->completion_lock);
	list_for_each_entry(ocqe, &ctx->overflow_list, list)
		n++;
	spin_unlock_irq(&ctx->completion_lock);
	seq_printf(m, "CqOverflowList:\t%u\n", n);
	/* as 6.1, -1 for a ring without an SQ thread, or one that exited */
/* series: sqpoll */
	if (ctx->sqd) {
		struct task_struct *tsk;

		/*
		 * The thread clears sqd->thread under the lock before it goes;
		 * it holds the lock while it submits, so don't wait for it.
		 */
		if (mutex_trylock(&ctx->sqd->lock)) {
			tsk = ctx->sqd->thread;
			if (tsk) {
				pid = task_pid_nr(tsk);
				cpu = task_cpu(tsk);
			}
			mutex_unlock(&ctx->sqd->lock);
		}
	}
/* series: end */
	seq_printf(m, "SqThread:\t%d\nSqThreadCpu:\t%d\n", pid, cpu);

	/* the tables only change under uring_lock; don't block fdinfo on it */
	if (!mutex_trylock(&ctx->uring_lock))
		return;
/* series: fixed-files */
	seq_printf(m, "UserFiles:\t%u\n", ctx->nr_files);
	for (n = 0; n < ctx->nr_files; n++)
		if (ctx->files[n])
			seq_printf(m, "%5u: %pD\n", n,
				   io_slot_file(ctx->files[n]));
/* series: end */
/* series: fixed-bufs */
	seq_printf(m, "UserBufs:\t%u\n", ctx->nr_bufs);
	for (n = 0; n < ctx->nr_bufs; n++)
		if (ctx->bufs[n])
			seq_printf(m, "%5u: 0x%llx/%zu\n", n, ctx->bufs[n]->ubuf,
				   ctx->bufs[n]->len);
/* series: end */
/* series: personality */
	seq_puts(m, "Personalities:\n");
	xa_for_each(&ctx->personalities, index, creds)
		seq_printf(m, "%5lu: uid %u gid %u\n", index,
			   from_kuid_munged(seq_user_ns(m), creds->euid),
			   from_kgid_munged(seq_user_ns(m), creds->egid));
/* series: end */
	mutex_unlock(&ctx->uring_lock);
}

/*
 * A dying ring's cached requests go back to the slab, with the references
 * they held on it (see io_alloc_req_slow()).  Those still in flight come
 * back to the cache as they complete, for the next call.
 */
static void io_req_cache_drain(struct io_ring_ctx *ctx)
{
	struct io_kiocb *locked;
	u32 nr;

	mutex_lock(&ctx->uring_lock);
	nr = io_free_req_stack(ctx->free_reqs);
	ctx->free_reqs = NULL;
	spin_lock_irq(&ctx->completion_lock);
	locked = ctx->locked_free;
	ctx->locked_free = NULL;
	spin_unlock_irq(&ctx->completion_lock);
	mutex_unlock(&ctx->uring_lock);
	nr += io_free_req_stack(locked);
	if (nr)
		percpu_ref_put_many(&ctx->refs, nr);
}

static void io_ring_exit_work(struct work_struct *work)
{
	struct io_ring_ctx *ctx = container_of(work, struct io_ring_ctx,
					       exit_work);

	/* until every request is back and freed, looking every 50 ms */
	for (;;) {
		io_req_cache_drain(ctx);
		if (wait_for_completion_timeout(&ctx->ref_done, HZ / 20))
			break;
/* series: iopoll */
		/* polled requests only complete when someone polls for them */
		if (ctx->flags & IORING_SETUP_IOPOLL) {
			mutex_lock(&ctx->uring_lock);
			io_iopoll_reap(ctx);
			mutex_unlock(&ctx->uring_lock);
		}
/* series: end */
	}
	/* the last request may have been freed from fallback_work */
	flush_work(&ctx->fallback_work);
	flush_work(&ctx->poll_work);
/* series: eventfd */
	/* queued by the last of them, perhaps */
	flush_work(&ctx->evfd_work);
/* series: end */
	io_ring_ctx_free(ctx);
}

/*
 * Cancellation.  A request waits in one of a few places until it is
 * issued or completes: held back by a drain (ctx->defer_list), queued for
 * a worker (tctx->work), running in a worker (worker->cur), waiting in
 * poll (ctx->poll_list and tctx->poll_list), or in flight in a driver
 * (counted in tctx->inflight; polled ones on ctx->iopoll_list).  Ring
 * teardown, exec and exit each cancel what matches them in every one of
 * those places, through io_cancel_reqs(); what is in a driver is waited
 * for (or reaped, for IOPOLL).
 */
struct io_cancel {
	struct io_ring_ctx	*ctx;		/* NULL: any ring */
	struct io_uring_task	*tctx;		/* NULL: any task */
	bool			ring_files;	/* only requests on a ring fd */
	/* ASYNC_CANCEL and REGISTER_SYNC_CANCEL: what the SQE names */
	bool			by_sqe;
/* series: link */
	u32			flags;		/* IORING_ASYNC_CANCEL_* */
	u64			data;
	u32			opcode;
	struct file		*file;
	struct io_kiocb		*self;		/* the cancel request */
/* series: end */
	u32			limit;		/* cancel no more; 0: no limit */
	u32			nr;		/* cancelled */
	u32			nr_running;	/* found past the point of return */
};

static bool io_cancel_full(const struct io_cancel *c)
{
	return c->limit && c->nr >= c->limit;
}

static bool io_cancel_match(struct io_kiocb *req, const struct io_cancel *c)
{
/* series: link */
	u32 flags = c->flags;

/* series: end */
	if (c->ctx && req->ctx != c->ctx)
		return false;
	if (c->tctx && req->tctx != c->tctx)
		return false;
	/* a ring's own requests on ring fds may keep it alive for good */
	if (c->ring_files && !(req->file && req->file->f_op == &io_uring_fops))
		return false;
/* series: link */
	if (!c->by_sqe)
		return true;
	if (req == c->self)
		return false;
	if (flags & IORING_ASYNC_CANCEL_ANY)
		return true;
	if ((flags & IORING_ASYNC_CANCEL_FD) && req->file != c->file)
		return false;
	if ((flags & IORING_ASYNC_CANCEL_OP) && req->opcode != c->opcode)
		return false;
	/* user_data, unless only FD or OP were asked for */
	if ((!(flags & (IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_OP)) ||
	     (flags & IORING_ASYNC_CANCEL_USERDATA)) && req->user_data != c->data)
		return false;
/* series: end */
	return true;
}

/* series: drain */
/* Held back by a drain, on one ring. */
static void io_cancel_deferred(struct io_ring_ctx *ctx,
			       const struct io_cancel *c)
{
	struct io_kiocb *req, *tmp;
	LIST_HEAD(list);

	spin_lock_irq(&ctx->completion_lock);
	list_for_each_entry_safe(req, tmp, &ctx->defer_list, list)
		if (io_cancel_match(req, c))
			list_move_tail(&req->list, &list);
	spin_unlock_irq(&ctx->completion_lock);
	io_cancel_list(&list);
}

/* series: end */
/* series: poll */
/*
 * Waiting in poll: found through the ring's list or the task's, as @c
 * names one.  Whoever claims a request ends it; one already claimed is
 * being retried or completed by someone else.
 */
static void io_cancel_polls(struct io_cancel *c)
{
	struct io_kiocb *req, *tmp;
	LIST_HEAD(list);

	if (c->ctx) {
		struct hlist_node *n;
		int i;

		spin_lock_irq(&c->ctx->completion_lock);
		for (i = 0; i < ARRAY_SIZE(c->ctx->poll_hash); i++) {
			hlist_for_each_entry_safe(req, n, &c->ctx->poll_hash[i],
						  poll.node) {
				if (io_cancel_full(c) || !io_cancel_match(req, c))
					continue;
				/* a multishot poll's owner ends it for us */
				if (req->poll.multi && c->by_sqe)
					set_bit(IO_POLL_CANCEL, &req->poll.claimed);
				if (!io_poll_take(req)) {
					if (req->poll.multi && c->by_sqe)
						c->nr++;
					else
						c->nr_running++;
					continue;
				}
				__io_poll_unlink(req);
				list_add_tail(&req->list, &list);
				c->nr++;
			}
		}
		spin_unlock_irq(&c->ctx->completion_lock);
	} else {
		/* task first, then each request's ring: take a copy of both */
		spin_lock_irq(&c->tctx->lock);
		list_for_each_entry_safe(req, tmp, &c->tctx->poll_list,
					 poll.tnode) {
			if (!io_cancel_match(req, c) || !io_poll_take(req))
				continue;
			list_del_init(&req->poll.tnode);
			list_add_tail(&req->list, &list);
		}
		spin_unlock_irq(&c->tctx->lock);
		list_for_each_entry(req, &list, list) {
			spin_lock_irq(&req->ctx->completion_lock);
			hlist_del_init(&req->poll.node);
			spin_unlock_irq(&req->ctx->completion_lock);
		}
	}

	list_for_each_entry_safe(req, tmp, &list, list) {
		list_del_init(&req->list);
		io_poll_remove_waits(req);
		io_req_complete(req, -ECANCELED);
	}
}

/* series: end */
/*
 * Queued for @tctx's workers, or running in one: the latter are kicked
 * out of whatever blocking call they are in, and complete -ECANCELED.
 */
static void io_cancel_work(struct io_uring_task *tctx, struct io_cancel *c)
{
	struct io_kiocb *req, *tmp;
	struct io_worker *worker;
	LIST_HEAD(list);

	spin_lock_irq(&tctx->lock);
	list_for_each_entry_safe(req, tmp, &tctx->work, list) {
		if (io_cancel_full(c))
			break;
		if (io_cancel_match(req, c)) {
			list_move_tail(&req->list, &list);
			c->nr++;
		}
	}
	list_for_each_entry(worker, &tctx->workers, node) {
		if (!io_cancel_full(c) && worker->cur &&
		    io_cancel_match(worker->cur, c)) {
			if (!c->by_sqe)
				WRITE_ONCE(worker->teardown, true);
			__set_notify_signal(worker->task);
			c->nr_running++;
		}
	}
	spin_unlock_irq(&tctx->lock);
	io_cancel_list(&list);
}

/* series: link */
/*
 * Armed timeouts on one ring.  A LINK_TIMEOUT leaves its chain, which goes
 * on as if it had none.
 */
static void io_cancel_timeouts(struct io_ring_ctx *ctx, struct io_cancel *c)
{
	struct io_kiocb *req, *tmp;
	LIST_HEAD(list);

	spin_lock_irq(&ctx->completion_lock);
	list_for_each_entry_safe(req, tmp, &ctx->timeout_list, timeout.list) {
		struct io_kiocb *head = req->timeout.head;

		if (io_cancel_full(c) || !io_cancel_match(req, c))
			continue;
		/* as 6.1: ASYNC_CANCEL finds a link timeout's request, not it */
		if (c->by_sqe && req->opcode == IORING_OP_LINK_TIMEOUT)
			continue;
		if (!io_timeout_claim(req)) {
			c->nr_running++;
			continue;
		}
		io_timeout_unlist(ctx, req);
		if (head)
			io_link_timeout_cut(req, head);
		list_add_tail(&req->list, &list);
		c->nr++;
	}
	spin_unlock_irq(&ctx->completion_lock);
	io_cancel_list(&list);
}

/*
 * Take @req from wherever it waits, for the link timeout bounding it.  The
 * chain still holds it and it can't complete meanwhile: its CQE needs
 * completion_lock, which the caller holds.  Returns IO_CANCEL_TAKEN or
 * IO_CANCEL_POLL when it is ours to complete, -EALREADY when a wakeup or
 * the timer got there first, or -ENOENT: in a driver, on its way to its
 * CQE, or running in a worker (which is interrupted), as 6.1 answers.
 */
static int io_try_cancel_req(struct io_ring_ctx *ctx, struct io_kiocb *req)
{
	struct io_uring_task *tctx = req->tctx;
	struct io_worker *worker;
	struct io_kiocb *r;
	int ret = -ENOENT;

	lockdep_assert_held(&ctx->completion_lock);
	if (!hlist_unhashed(&req->poll.node)) {
		if (!io_poll_claim(req))
			return -EALREADY;
		__io_poll_unlink(req);
		return IO_CANCEL_POLL;
	}
	if (req->opcode == IORING_OP_TIMEOUT && req->timeout.armed) {
		if (!io_timeout_claim(req))
			return -EALREADY;
		io_timeout_unlist(ctx, req);
		return IO_CANCEL_TAKEN;
	}
	list_for_each_entry(r, &ctx->defer_list, list) {
		if (r == req) {
			list_del_init(&req->list);
			return IO_CANCEL_TAKEN;
		}
	}
	spin_lock(&tctx->lock);
	list_for_each_entry(r, &tctx->work, list) {
		if (r == req) {
			list_del_init(&req->list);
			ret = IO_CANCEL_TAKEN;
			goto out;
		}
	}
	list_for_each_entry(worker, &tctx->workers, node) {
		if (worker->cur == req) {
			__set_notify_signal(worker->task);
			break;
		}
	}
out:
	spin_unlock(&tctx->lock);
	return ret;
}

static int io_async_cancel_prep(struct io_kiocb *req,
				const struct io_uring_sqe *sqe)
{
	struct io_cancel_op *op = &req->cancel_op;
	u32 flags;

	if (READ_ONCE(sqe->off) || READ_ONCE(sqe->splice_fd_in))
		return -EINVAL;
	op->data = READ_ONCE(sqe->addr);
	flags = READ_ONCE(sqe->cancel_flags);
	op->flags = flags;
	if (flags & ~IO_CANCEL_FLAGS)
		return -EINVAL;
	if (flags & IORING_ASYNC_CANCEL_FD) {
		if (flags & IORING_ASYNC_CANCEL_ANY)
			return -EINVAL;
		op->fd = READ_ONCE(sqe->fd);
	}
	if (flags & IORING_ASYNC_CANCEL_OP) {
		if (flags & IORING_ASYNC_CANCEL_ANY)
			return -EINVAL;
		op->opcode = READ_ONCE(sqe->len);
	}
	return 0;
}

/*
 * Cancel what @c names on its ring: queued for or running in a worker of
 * any task submitting to it, waiting in poll, or (unless matching by
 * file) an armed timeout.  uring_lock held.  As 6.1 answers: with ALL or
 * ANY the number found; else 0, -EALREADY (only found running, and
 * interrupted if it sleeps interruptibly), or -ENOENT.
 */
static int io_cancel_sqe(struct io_cancel *c)
{
	struct io_ring_ctx *ctx = c->ctx;
	struct io_tctx_node *node;

	lockdep_assert_held(&ctx->uring_lock);
	c->limit = (c->flags & (IORING_ASYNC_CANCEL_ALL |
				IORING_ASYNC_CANCEL_ANY)) ? 0 : 1;
	list_for_each_entry(node, &ctx->tctx_list, node)
		io_cancel_work(node->tctx, c);
	io_cancel_polls(c);
	if (!(c->flags & IORING_ASYNC_CANCEL_FD))
		io_cancel_timeouts(ctx, c);
	if (!c->limit)
		return c->nr + c->nr_running;
	if (c->nr)
		return 0;
	return c->nr_running ? -EALREADY : -ENOENT;
}

/* A file of the registered table, for IORING_ASYNC_CANCEL_FD_FIXED. */
static struct file *io_fixed_file_get(struct io_ring_ctx *ctx, int fd)
{
	struct file *file = io_slot_file(io_fixed_slot(ctx, fd));

	if (file)
		get_file(file);
	return file;
}

static int io_async_cancel(struct io_kiocb *req, unsigned int issue_flags)
{
	struct io_cancel_op *op = &req->cancel_op;
	struct io_ring_ctx *ctx = req->ctx;
	struct io_cancel c = {
		.ctx	= ctx,
		.by_sqe	= true,
		.flags	= op->flags,
		.data	= op->data,
		.opcode	= op->opcode,
		.self	= req,
	};
	int ret = -EBADF;

	/* a worker (IOSQE_ASYNC) gets here without the lock */
	if (!(issue_flags & IO_ISSUE_LOCKED))
		mutex_lock(&ctx->uring_lock);
	if (op->flags & IORING_ASYNC_CANCEL_FD) {
		if ((op->flags & IORING_ASYNC_CANCEL_FD_FIXED) ||
		    (req->flags & REQ_F_FIXED_FILE))
			c.file = io_fixed_file_get(ctx, op->fd);
		else
			c.file = fget(op->fd);
		if (!c.file)
			goto out;
	}
	ret = io_cancel_sqe(&c);
	if (c.file)
		fput(c.file);
out:
	if (!(issue_flags & IO_ISSUE_LOCKED))
		mutex_unlock(&ctx->uring_lock);
	return ret;
}

/*
 * IORING_REGISTER_SYNC_CANCEL: ASYNC_CANCEL as a syscall that, when what it
 * found is running, waits until it is not (or the timeout passed: -ETIME).
 */
static int io_sync_cancel(struct io_ring_ctx *ctx, void __user *arg)
{
	struct io_uring_sync_cancel_reg sc;
	ktime_t timeout = KTIME_MAX;
	struct file *file = NULL;
	DEFINE_WAIT(wait);
	int ret;

	lockdep_assert_held(&ctx->uring_lock);
	if (copy_from_user(&sc, arg, sizeof(sc)))
		return -EFAULT;
	if ((sc.flags & ~IO_CANCEL_FLAGS) || memchr_inv(sc.pad, 0, sizeof(sc.pad)))
		return -EINVAL;
	if ((sc.flags & IORING_ASYNC_CANCEL_FD) &&
	    (sc.flags & IORING_ASYNC_CANCEL_ANY))
		return -EINVAL;
	if (sc.flags & IORING_ASYNC_CANCEL_FD) {
		file = (sc.flags & IORING_ASYNC_CANCEL_FD_FIXED) ?
		       io_fixed_file_get(ctx, sc.fd) : fget(sc.fd);
		if (!file)
			return -EBADF;
	}
	if (sc.timeout.tv_sec != -1 || sc.timeout.tv_nsec != -1) {
		struct timespec64 ts = {
			.tv_sec		= sc.timeout.tv_sec,
			.tv_nsec	= sc.timeout.tv_nsec,
		};

		timeout = ktime_add_safe(ktime_get(),
					 max_t(ktime_t, 0, timespec64_to_ktime(ts)));
	}

	for (bool first = true;; first = false) {
		struct io_cancel c = {
			.ctx	= ctx,
			.by_sqe	= true,
			.flags	= sc.flags,
			.data	= sc.addr,
			.file	= file,
		};

		prepare_to_wait(&ctx->cq_wait, &wait, TASK_INTERRUPTIBLE);
		ret = io_cancel_sqe(&c);
		/* what was found running and is gone now is done with */
		if (!first && (ret == -ENOENT || ret > 0))
			ret = 0;
		if (ret != -EALREADY)
			break;
		mutex_unlock(&ctx->uring_lock);
		/* a retry or a completion queued to us; the next round looks */
		if (task_work_pending(current) ||
		    test_thread_flag(TIF_NOTIFY_SIGNAL)) {
			__set_current_state(TASK_RUNNING);
			clear_notify_signal();
			if (task_work_pending(current))
				task_work_run();
		} else if (task_sigpending(current)) {
			ret = -EINTR;
		} else if (!schedule_hrtimeout(timeout == KTIME_MAX ? NULL :
					       &timeout, HRTIMER_MODE_ABS)) {
			ret = -ETIME;
		}
		mutex_lock(&ctx->uring_lock);
		if (ret == -EINTR || ret == -ETIME)
			break;
	}
	finish_wait(&ctx->cq_wait, &wait);
	if (file)
		fput(file);
	return ret;
}

/* series: end */
/* Everywhere a ring's requests wait: at ring teardown. */
static void io_cancel_ring(struct io_ring_ctx *ctx)
{
	struct io_cancel c = { .ctx = ctx };
	struct io_tctx_node *node;

/* series: drain */
	io_cancel_deferred(ctx, &c);
/* series: end */
/* series: poll */
	io_cancel_polls(&c);
/* series: end */
/* series: link */
	io_cancel_timeouts(ctx, &c);
/* series: end */
	mutex_lock(&ctx->uring_lock);
	list_for_each_entry(node, &ctx->tctx_list, node)
		io_cancel_work(node->tctx, &c);
	mutex_unlock(&ctx->uring_lock);
}

static int io_uring_release(struct inode *inode, struct file *file)
{
	struct io_ring_ctx *ctx = file->private_data;

	file->private_data = NULL;
	/* from here on, workers and poll retries cancel what they pick up */
	percpu_ref_kill(&ctx->refs);
	/* pairs with llist_add() in io_req_local_queue() */
	smp_mb();
	io_local_fallback(ctx);
	io_cancel_ring(ctx);
	/* requests in flight may take a while: do not hold up close(2) */
	INIT_WORK(&ctx->exit_work, io_ring_exit_work);
	queue_work(system_unbound_wq, &ctx->exit_work);
	return 0;
}

/* A ring fd can be mmapped, polled and closed; it has no read or write. */
static const struct file_operations io_uring_fops = {
	.mmap		= io_uring_mmap,
	.poll		= io_uring_poll,
	.show_fdinfo	= io_uring_show_fdinfo,
	.release	= io_uring_release,
};

/**
 * io_is_uring_fops - is this an io_uring instance?
 * @file: any open file
 *
 * Used to keep ring fds out of SCM_RIGHTS messages, where a ring holding a
 * reference to the socket that holds the ring would never be freed.
 */
bool io_is_uring_fops(struct file *file)
{
	return file->f_op == &io_uring_fops;
}

/*
 * Cancel what @tctx has waiting anywhere (@ring_files: only its requests
 * on ring fds), kick its workers out of blocking calls on cancelled
 * requests, and reap its polled I/O, which completes only when someone
 * polls for it.  From here on the task takes no new work (dying).
 */
static void io_tctx_cancel(struct io_uring_task *tctx, bool ring_files)
{
	struct io_cancel c = { .tctx = tctx, .ring_files = ring_files };
	struct io_tctx_node *node;
	struct io_worker *worker;

	spin_lock_irq(&tctx->lock);
	tctx->dying = true;
	list_for_each_entry(worker, &tctx->workers, node)
		if (worker->idle)
			wake_up_process(worker->task);
	spin_unlock_irq(&tctx->lock);
	/*
	 * The DEFER_TASKRUN rings we submit to: what waits on them for us to
	 * run is cancelled.  At exec, io_req_local_queue() takes over once it
	 * sees dying; what it queued before that, our next round finds.
	 */
	mutex_lock(&tctx->ctx_lock);
	list_for_each_entry(node, &tctx->ctx_nodes, tnode)
		if (node->ctx->flags & IORING_SETUP_DEFER_TASKRUN)
			io_local_fallback(node->ctx);
	mutex_unlock(&tctx->ctx_lock);
	io_cancel_work(tctx, &c);
/* series: poll */
	io_cancel_polls(&c);
/* series: end */
/* series: iopoll */

	/*
	 * The ring can't be freed meanwhile: that unlinks its node under
	 * ctx_lock first.  uring_lock nests outside ctx_lock, hence only a
	 * trylock; whoever holds it is likely reaping already, and the
	 * caller comes back.
	 */
	mutex_lock(&tctx->ctx_lock);
	list_for_each_entry(node, &tctx->ctx_nodes, tnode) {
		struct io_ring_ctx *ctx = node->ctx;

/* series: drain */
		io_cancel_deferred(ctx, &c);
/* series: end */
/* series: link */
		if (!ring_files)
			io_cancel_timeouts(ctx, &c);
/* series: end */
		if (!ring_files && (ctx->flags & IORING_SETUP_IOPOLL) &&
		    mutex_trylock(&ctx->uring_lock)) {
			io_iopoll_reap(ctx);
			mutex_unlock(&ctx->uring_lock);
		}
	}
	mutex_unlock(&tctx->ctx_lock);
/* series: end */
}

/*
 * The rings an exited task submitted to need not reach it any more: drop
 * its nodes, or a long-lived ring used by many short-lived threads would
 * keep one per thread.  A ring being freed (no reference to be had) drops
 * the node itself.
 */
static void io_tctx_unlink_rings(struct io_uring_task *tctx)
{
	struct io_tctx_node *node, *n;
	struct io_ring_ctx *ctx;

	for (;;) {
		node = NULL;
		mutex_lock(&tctx->ctx_lock);
		list_for_each_entry(n, &tctx->ctx_nodes, tnode) {
			if (percpu_ref_tryget(&n->ctx->refs)) {
				node = n;
				break;
			}
		}
		mutex_unlock(&tctx->ctx_lock);
		if (!node)
			return;
		ctx = node->ctx;
		mutex_lock(&ctx->uring_lock);
		mutex_lock(&tctx->ctx_lock);
		list_del(&node->tnode);
		mutex_unlock(&tctx->ctx_lock);
		list_del(&node->node);
		mutex_unlock(&ctx->uring_lock);
		percpu_ref_put(&ctx->refs);
		/* not the last: the task still holds its own */
		io_tctx_put(tctx);
		kfree(node);
	}
}

static void io_tctx_exit_work(struct work_struct *work)
{
	struct io_uring_task *tctx = container_of(work, struct io_uring_task,
						  exit_work);

	io_tctx_unlink_rings(tctx);
	/* may free the task, and with it tctx: the last thing we do */
	put_task_struct(tctx->task);
}

/*
 * A task exits: as in 6.1, its requests run on without it.  Its workers,
 * threads of the same process, finish what is queued and go (all of them
 * die at once if the whole process exits); anything that would need the
 * task itself later, a poll retry or a new worker, completes with
 * -ECANCELED instead.  So do its requests on ring fds: a ring polling
 * itself, or two polling each other, would otherwise never be released.
 * The requests reach the task through tctx->task, so it is kept until the
 * last of them is freed (io_tctx_inflight_put()); the bias on inflight
 * keeps that from racing with us.
 */
static void io_tctx_exit(struct io_uring_task *tctx)
{
	get_task_struct(current);
	INIT_WORK(&tctx->exit_work, io_tctx_exit_work);
	atomic_inc(&tctx->inflight);
	spin_lock_irq(&tctx->lock);
	WRITE_ONCE(tctx->exited, true);
	spin_unlock_irq(&tctx->lock);
	io_tctx_cancel(tctx, true);
	/* what is queued to us sees the task dying, and cancels */
	if (task_work_pending(current))
		task_work_run();
	/* exited: what the task frees from now on is put one by one */
	io_tctx_drop_cache(tctx);
	io_tctx_inflight_put(tctx, 1);
}

/**
 * __io_uring_cancel - cancel the calling task's io_uring requests
 * @cancel_all: true at exec: every request the task submitted ends before
 *	this returns, its workers are gone, and the task may submit again
 *	after; unless a fatal signal comes first, which ends the exec
 *	anyway (the task stays dying, and its exit cleans up).  False at
 *	exit: see io_tctx_exit().
 */
void __io_uring_cancel(bool cancel_all)
{
	struct io_uring_task *tctx = current->io_uring;
	long ret;

	if (!cancel_all) {
		io_tctx_exit(tctx);
		return;
	}
	for (;;) {
		io_tctx_cancel(tctx, false);
		/* what is queued to us cancels itself when run here */
		if (task_work_pending(current))
			task_work_run();
		/* what the task freed itself may be all that is left */
		io_tctx_drop_cache(tctx);
		if (!atomic_read(&tctx->inflight))
			break;
		ret = wait_event_killable_timeout(tctx->wait,
						  !atomic_read(&tctx->inflight) ||
						  task_work_pending(current),
						  HZ / 10);
		if (ret < 0)
			return;
	}
	/* the old workers are on their way out, start afresh */
	if (wait_event_killable(tctx->wait, !READ_ONCE(tctx->nr_workers)))
		return;
	spin_lock_irq(&tctx->lock);
	tctx->dying = false;
	spin_unlock_irq(&tctx->lock);
}

/**
 * __io_uring_free - release a task's io_uring context
 * @tsk: the task being freed
 */
void __io_uring_free(struct task_struct *tsk)
{
	struct io_uring_task *tctx = tsk->io_uring;

	tsk->io_uring = NULL;
	io_tctx_put(tctx);
}

static int __init io_uring_init(void)
{
	struct io_op_def *def;

	BUILD_BUG_ON(REQ_F_FIXED_FILE != IOSQE_FIXED_FILE);
	BUILD_BUG_ON(REQ_F_FORCE_ASYNC != IOSQE_ASYNC);
	BUILD_BUG_ON(IORING_OP_LAST > IO_OP_DEFS);
	BUILD_BUG_ON(IO_OP_DEFS & (IO_OP_DEFS - 1));
/* series: fixed-files */
	/* IO_SLOT_BITS: two bits below a struct file's alignment */
	BUILD_BUG_ON(IO_SLOT_BITS != 3 || __alignof__(struct file) < 4);
/* series: end */
	for (def = io_op_defs; def < io_op_defs + IORING_OP_LAST; def++) {
		if (def->plug)
			def->req_flags |= REQ_F_PLUG;
		if (def->always_async || def->audit)
			def->req_flags |= REQ_F_SLOW_ISSUE;
	}
	req_cachep = KMEM_CACHE(io_kiocb, SLAB_HWCACHE_ALIGN | SLAB_PANIC |
				SLAB_ACCOUNT);
	return 0;
}
device_initcall(io_uring_init);
