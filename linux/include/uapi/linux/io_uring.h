/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * io_uring userspace ABI.
 *
 * An io_uring instance is a pair of rings shared between the kernel and
 * the application: the submission queue (SQ), an array of struct
 * io_uring_sqe, and the completion queue (CQ), an array of struct
 * io_uring_cqe.  The rings are created by io_uring_setup(2), mapped with
 * mmap(2) at the IORING_OFF_* offsets, driven by io_uring_enter(2) and
 * configured with io_uring_register(2).
 *
 * Everything here is ABI: sizes, member offsets and constant values must
 * never change.  New features are added only as new opcodes, new flag bits
 * or by giving meaning to fields that are reserved (and must be zero) now.
 */
#ifndef LINUX_IO_URING_H
#define LINUX_IO_URING_H

#include <linux/fs.h>
#include <linux/types.h>
#include <linux/time_types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct io_uring_sqe - submission queue entry, one request to the kernel
 * @opcode: what to do, one of enum io_uring_op
 * @flags: per-request modifiers, IOSQE_* bits
 * @ioprio: I/O priority for reads and writes; send, recv and accept reuse
 *	it for their IORING_RECVSEND_* / IORING_ACCEPT_* bits
 * @fd: file the request acts on; an index into the registered file table
 *	when IOSQE_FIXED_FILE is set
 * @off: file offset; for reads and writes -1 means the file position
 * @addr2: second pointer argument of opcodes that take two (new path,
 *	socket address, timeout update, xattr value, ...)
 * @cmd_op: command number for IORING_OP_URING_CMD
 * @__pad1: reserved
 * @addr: main pointer argument: data buffer, iovec array, path, ...
 * @splice_off_in: offset into @splice_fd_in for IORING_OP_SPLICE
 * @len: buffer length, iovec count, or another opcode-specific count
 * @rw_flags: RWF_* flags for reads and writes, as for preadv2(2)
 * @fsync_flags: IORING_FSYNC_* flags
 * @poll_events: 16-bit poll mask; old ABI, use @poll32_events
 * @poll32_events: poll mask for IORING_OP_POLL_ADD; big-endian userspace
 *	stores it with its two 16-bit halves swapped
 * @sync_range_flags: flags for sync_file_range(2)
 * @msg_flags: MSG_* flags for the send and receive opcodes
 * @timeout_flags: IORING_TIMEOUT_* flags
 * @accept_flags: flags for accept4(2)
 * @cancel_flags: IORING_ASYNC_CANCEL_* flags
 * @open_flags: O_* flags for IORING_OP_OPENAT
 * @statx_flags: AT_* flags for statx(2)
 * @fadvise_advice: advice for IORING_OP_FADVISE and IORING_OP_MADVISE
 * @splice_flags: SPLICE_F_* flags for splice and tee
 * @rename_flags: flags for renameat2(2)
 * @unlink_flags: flags for unlinkat(2)
 * @hardlink_flags: flags for linkat(2)
 * @xattr_flags: XATTR_CREATE / XATTR_REPLACE
 * @msg_ring_flags: IORING_MSG_RING_* flags
 * @uring_cmd_flags: IORING_URING_CMD_* flags
 * @user_data: opaque value handed back untouched in the completion
 * @buf_index: registered buffer to use, for the *_FIXED opcodes
 * @buf_group: buffer group to pick from when IOSQE_BUFFER_SELECT is set
 * @personality: credentials id from IORING_REGISTER_PERSONALITY, 0 for none
 * @splice_fd_in: source file of IORING_OP_SPLICE and IORING_OP_TEE
 * @file_index: for opcodes that create a file (open, accept, socket), put
 *	it in registered slot @file_index - 1 instead of returning a normal
 *	fd; 0 means a normal fd, IORING_FILE_INDEX_ALLOC means any free slot
 * @addr_len: length of the socket address in @addr2 for IORING_OP_SEND_ZC
 * @__pad3: reserved
 * @addr3: third pointer argument, for opcodes that need one
 * @__pad2: reserved
 * @cmd: command payload of IORING_OP_URING_CMD, carried in the sqe itself:
 *	16 bytes, or 80 bytes on rings set up with IORING_SETUP_SQE128
 *
 * The entry is 64 bytes, or 128 bytes with IORING_SETUP_SQE128.  Fields an
 * opcode does not use must be zero.
 */
struct io_uring_sqe {
	__u8	opcode;
	__u8	flags;
	__u16	ioprio;
	__s32	fd;
	union {
		__u64	off;
		__u64	addr2;
		struct {
			__u32	cmd_op;
			__u32	__pad1;
		};
	};
	union {
		__u64	addr;
		__u64	splice_off_in;
	};
	__u32	len;
	/* opcode-specific flags: exactly one of these applies */
	union {
		__u32		rw_flags;
		__u32		fsync_flags;
		__u16		poll_events;
		__u32		poll32_events;
		__u32		sync_range_flags;
		__u32		msg_flags;
		__u32		timeout_flags;
		__u32		accept_flags;
		__u32		cancel_flags;
		__u32		open_flags;
		__u32		statx_flags;
		__u32		fadvise_advice;
		__u32		splice_flags;
		__u32		rename_flags;
		__u32		unlink_flags;
		__u32		hardlink_flags;
		__u32		xattr_flags;
		__u32		msg_ring_flags;
		__u32		uring_cmd_flags;
	};
	__u64	user_data;
	/* packed: old ARM OABI would otherwise pad this union to 4 bytes */
	union {
		__u16	buf_index;
		__u16	buf_group;
	} __attribute__((packed));
	__u16	personality;
	union {
		__s32	splice_fd_in;
		__u32	file_index;
		struct {
			__u16	addr_len;
			__u16	__pad3[1];
		};
	};
	union {
		struct {
			__u64	addr3;
			__u64	__pad2[1];
		};
		__u8	cmd[0];
	};
};

/* sqe->file_index value asking the kernel to choose a free file slot */
#define IORING_FILE_INDEX_ALLOC		(~0U)

/* Bit numbers of the sqe->flags bits below. */
enum {
	IOSQE_FIXED_FILE_BIT,
	IOSQE_IO_DRAIN_BIT,
	IOSQE_IO_LINK_BIT,
	IOSQE_IO_HARDLINK_BIT,
	IOSQE_ASYNC_BIT,
	IOSQE_BUFFER_SELECT_BIT,
	IOSQE_CQE_SKIP_SUCCESS_BIT,
};

/*
 * sqe->flags
 *
 * IOSQE_FIXED_FILE:	  sqe->fd indexes the registered file table
 * IOSQE_IO_DRAIN:	  start only once all earlier requests completed
 * IOSQE_IO_LINK:	  the next sqe starts only after this one succeeded
 * IOSQE_IO_HARDLINK:	  as IO_LINK, but the chain survives a failure
 * IOSQE_ASYNC:		  go to an async worker at once, with no first try
 * IOSQE_BUFFER_SELECT:	  take the buffer from group sqe->buf_group
 * IOSQE_CQE_SKIP_SUCCESS: post no completion unless the request fails
 */
#define IOSQE_FIXED_FILE	(1U << IOSQE_FIXED_FILE_BIT)
#define IOSQE_IO_DRAIN		(1U << IOSQE_IO_DRAIN_BIT)
#define IOSQE_IO_LINK		(1U << IOSQE_IO_LINK_BIT)
#define IOSQE_IO_HARDLINK	(1U << IOSQE_IO_HARDLINK_BIT)
#define IOSQE_ASYNC		(1U << IOSQE_ASYNC_BIT)
#define IOSQE_BUFFER_SELECT	(1U << IOSQE_BUFFER_SELECT_BIT)
#define IOSQE_CQE_SKIP_SUCCESS	(1U << IOSQE_CQE_SKIP_SUCCESS_BIT)

/*
 * io_uring_params->flags, chosen at io_uring_setup(2) time
 *
 * IOPOLL:	  busy-poll for completions of O_DIRECT I/O, no interrupts
 * SQPOLL:	  a kernel thread polls the SQ, submission needs no syscall
 * SQ_AFF:	  pin that thread to params->sq_thread_cpu
 * CQSIZE:	  params->cq_entries gives the CQ size
 * CLAMP:	  clamp too large ring sizes instead of failing
 * ATTACH_WQ:	  share the async workers of ring params->wq_fd
 * R_DISABLED:	  create the ring disabled, see IORING_REGISTER_ENABLE_RINGS
 * SUBMIT_ALL:	  keep submitting the batch when one sqe fails early
 * COOP_TASKRUN:  run completion work when the task enters the kernel
 *		  anyway, instead of interrupting it
 * TASKRUN_FLAG:  with COOP_TASKRUN or DEFER_TASKRUN, set IORING_SQ_TASKRUN
 *		  when such work is pending and io_uring_enter(2) must run it
 * SQE128:	  submission entries are 128 bytes
 * CQE32:	  completion entries are 32 bytes
 * SINGLE_ISSUER: only one task ever submits to this ring
 * DEFER_TASKRUN: run completion work only when the task waits for events
 *		  (needs SINGLE_ISSUER)
 */
#define IORING_SETUP_IOPOLL		(1U << 0)
#define IORING_SETUP_SQPOLL		(1U << 1)
#define IORING_SETUP_SQ_AFF		(1U << 2)
#define IORING_SETUP_CQSIZE		(1U << 3)
#define IORING_SETUP_CLAMP		(1U << 4)
#define IORING_SETUP_ATTACH_WQ		(1U << 5)
#define IORING_SETUP_R_DISABLED		(1U << 6)
#define IORING_SETUP_SUBMIT_ALL		(1U << 7)
#define IORING_SETUP_COOP_TASKRUN	(1U << 8)
#define IORING_SETUP_TASKRUN_FLAG	(1U << 9)
#define IORING_SETUP_SQE128		(1U << 10)
#define IORING_SETUP_CQE32		(1U << 11)
#define IORING_SETUP_SINGLE_ISSUER	(1U << 12)
#define IORING_SETUP_DEFER_TASKRUN	(1U << 13)

/* sqe->opcode values.  Numbers are ABI: append only, just before _LAST. */
enum io_uring_op {
	IORING_OP_NOP			= 0,
	IORING_OP_READV			= 1,
	IORING_OP_WRITEV		= 2,
	IORING_OP_FSYNC			= 3,
	IORING_OP_READ_FIXED		= 4,
	IORING_OP_WRITE_FIXED		= 5,
	IORING_OP_POLL_ADD		= 6,
	IORING_OP_POLL_REMOVE		= 7,
	IORING_OP_SYNC_FILE_RANGE	= 8,
	IORING_OP_SENDMSG		= 9,
	IORING_OP_RECVMSG		= 10,
	IORING_OP_TIMEOUT		= 11,
	IORING_OP_TIMEOUT_REMOVE	= 12,
	IORING_OP_ACCEPT		= 13,
	IORING_OP_ASYNC_CANCEL		= 14,
	IORING_OP_LINK_TIMEOUT		= 15,
	IORING_OP_CONNECT		= 16,
	IORING_OP_FALLOCATE		= 17,
	IORING_OP_OPENAT		= 18,
	IORING_OP_CLOSE			= 19,
	IORING_OP_FILES_UPDATE		= 20,
	IORING_OP_STATX			= 21,
	IORING_OP_READ			= 22,
	IORING_OP_WRITE			= 23,
	IORING_OP_FADVISE		= 24,
	IORING_OP_MADVISE		= 25,
	IORING_OP_SEND			= 26,
	IORING_OP_RECV			= 27,
	IORING_OP_OPENAT2		= 28,
	IORING_OP_EPOLL_CTL		= 29,
	IORING_OP_SPLICE		= 30,
	IORING_OP_PROVIDE_BUFFERS	= 31,
	IORING_OP_REMOVE_BUFFERS	= 32,
	IORING_OP_TEE			= 33,
	IORING_OP_SHUTDOWN		= 34,
	IORING_OP_RENAMEAT		= 35,
	IORING_OP_UNLINKAT		= 36,
	IORING_OP_MKDIRAT		= 37,
	IORING_OP_SYMLINKAT		= 38,
	IORING_OP_LINKAT		= 39,
	IORING_OP_MSG_RING		= 40,
	IORING_OP_FSETXATTR		= 41,
	IORING_OP_SETXATTR		= 42,
	IORING_OP_FGETXATTR		= 43,
	IORING_OP_GETXATTR		= 44,
	IORING_OP_SOCKET		= 45,
	IORING_OP_URING_CMD		= 46,
	IORING_OP_SEND_ZC		= 47,
	IORING_OP_SENDMSG_ZC		= 48,

	/* number of opcodes; not an opcode itself */
	IORING_OP_LAST			= 49,
};

/* sqe->uring_cmd_flags: the command uses registered buffer sqe->buf_index */
#define IORING_URING_CMD_FIXED		(1U << 0)

/* sqe->fsync_flags: flush data only, like fdatasync(2) */
#define IORING_FSYNC_DATASYNC		(1U << 0)

/*
 * sqe->timeout_flags
 *
 * ABS:		   the timespec is an absolute time, not relative
 * UPDATE:	   (TIMEOUT_REMOVE) modify the timeout matching sqe->addr
 * BOOTTIME:	   measure on CLOCK_BOOTTIME
 * REALTIME:	   measure on CLOCK_REALTIME (default is CLOCK_MONOTONIC)
 * LINK_UPDATE:	   (TIMEOUT_REMOVE) modify a linked timeout instead
 * ETIME_SUCCESS:  count expiry as success, so links behind it still run
 */
#define IORING_TIMEOUT_ABS		(1U << 0)
#define IORING_TIMEOUT_UPDATE		(1U << 1)
#define IORING_TIMEOUT_BOOTTIME		(1U << 2)
#define IORING_TIMEOUT_REALTIME		(1U << 3)
#define IORING_LINK_TIMEOUT_UPDATE	(1U << 4)
#define IORING_TIMEOUT_ETIME_SUCCESS	(1U << 5)
/* the clock selection bits; at most one of them may be set */
#define IORING_TIMEOUT_CLOCK_MASK	\
	(IORING_TIMEOUT_BOOTTIME | IORING_TIMEOUT_REALTIME)
/* the bits that turn TIMEOUT_REMOVE into an update */
#define IORING_TIMEOUT_UPDATE_MASK	\
	(IORING_TIMEOUT_UPDATE | IORING_LINK_TIMEOUT_UPDATE)

/*
 * sqe->splice_flags: on top of the splice(2) SPLICE_F_* flags, the top bit
 * says that sqe->splice_fd_in is a registered file index.
 */
#define SPLICE_F_FD_IN_FIXED		(1U << 31)

/*
 * IORING_OP_POLL_ADD / IORING_OP_POLL_REMOVE flags.  The poll mask takes
 * sqe->poll32_events, so these command flags go in sqe->len instead.
 *
 * ADD_MULTI:	      keep the poll armed; each event posts a CQE carrying
 *		      IORING_CQE_F_MORE while more are to come
 * UPDATE_EVENTS:     (POLL_REMOVE) change the mask of the poll request
 *		      whose user_data is sqe->addr
 * UPDATE_USER_DATA:  (POLL_REMOVE) give it the new user_data sqe->off
 * ADD_LEVEL:	      level-triggered instead of edge-triggered
 */
#define IORING_POLL_ADD_MULTI		(1U << 0)
#define IORING_POLL_UPDATE_EVENTS	(1U << 1)
#define IORING_POLL_UPDATE_USER_DATA	(1U << 2)
#define IORING_POLL_ADD_LEVEL		(1U << 3)

/*
 * sqe->cancel_flags for IORING_OP_ASYNC_CANCEL, and the flags of
 * struct io_uring_sync_cancel_reg.
 *
 * ALL:	       cancel every match, not only the first
 * FD:	       match on the request's file (sqe->fd), not on user_data
 * ANY:	       match every request
 * FD_FIXED:   the fd to match is a registered file index
 * USERDATA:   match on user_data; the default when no other key is given
 * OP:	       match on the request's opcode
 */
#define IORING_ASYNC_CANCEL_ALL		(1U << 0)
#define IORING_ASYNC_CANCEL_FD		(1U << 1)
#define IORING_ASYNC_CANCEL_ANY		(1U << 2)
#define IORING_ASYNC_CANCEL_FD_FIXED	(1U << 3)
#define IORING_ASYNC_CANCEL_USERDATA	(1U << 4)
#define IORING_ASYNC_CANCEL_OP		(1U << 5)

/*
 * Flags of the send, sendmsg, recv and recvmsg opcodes, in sqe->ioprio.
 *
 * RECVSEND_POLL_FIRST:	  arm poll straight away instead of trying the
 *			  transfer first and polling only on -EAGAIN
 * RECV_MULTISHOT:	  keep receiving; each receive posts a CQE carrying
 *			  IORING_CQE_F_MORE while more are to come
 * RECVSEND_FIXED_BUF:	  the data is in registered buffer sqe->buf_index
 * SEND_ZC_REPORT_USAGE:  (SEND_ZC, SENDMSG_ZC) the IORING_CQE_F_NOTIF
 *			  completion says in cqe->res whether the data was
 *			  copied after all, see IORING_NOTIF_USAGE_ZC_COPIED
 */
#define IORING_RECVSEND_POLL_FIRST	(1U << 0)
#define IORING_RECV_MULTISHOT		(1U << 1)
#define IORING_RECVSEND_FIXED_BUF	(1U << 2)
#define IORING_SEND_ZC_REPORT_USAGE	(1U << 3)

/*
 * Set in cqe->res of a zero-copy send's notification when the data had to
 * be copied, at least partly.  Test it as a flag: the other bits of res are
 * reserved.  A res of 0 means no copy was made.
 */
#define IORING_NOTIF_USAGE_ZC_COPIED	(1U << 31)

/* IORING_OP_ACCEPT flags, in sqe->ioprio: keep accepting connections */
#define IORING_ACCEPT_MULTISHOT		(1U << 0)

/* IORING_OP_MSG_RING commands, in sqe->addr */
enum {
	/* post a CQE with res = sqe->len and user_data = sqe->off */
	IORING_MSG_DATA,
	/* install registered file sqe->addr3 in the target ring's file table */
	IORING_MSG_SEND_FD,
};

/* sqe->msg_ring_flags: post no CQE in the target ring (IORING_MSG_SEND_FD) */
#define IORING_MSG_RING_CQE_SKIP	(1U << 0)

/**
 * struct io_uring_cqe - completion queue entry, one finished request
 * @user_data: the sqe's user_data, unchanged
 * @res: the result, as the equivalent syscall would return it, but with
 *	failures as a negative errno
 * @flags: IORING_CQE_F_* bits
 * @big_cqe: 16 more bytes of opcode-specific data; present only on rings
 *	set up with IORING_SETUP_CQE32
 */
struct io_uring_cqe {
	__u64	user_data;
	__s32	res;
	__u32	flags;
	__u64	big_cqe[];
};

/*
 * cqe->flags
 *
 * BUFFER:	  a provided buffer was used; its id is
 *		  flags >> IORING_CQE_BUFFER_SHIFT
 * MORE:	  the request stays active and will post more completions
 * SOCK_NONEMPTY: the socket still had data to read after this receive
 * NOTIF:	  a zero-copy send's notification that its buffer is free
 *		  again, as opposed to the completion of the send itself
 */
#define IORING_CQE_F_BUFFER		(1U << 0)
#define IORING_CQE_F_MORE		(1U << 1)
#define IORING_CQE_F_SOCK_NONEMPTY	(1U << 2)
#define IORING_CQE_F_NOTIF		(1U << 3)

enum {
	IORING_CQE_BUFFER_SHIFT		= 16,
};

/*
 * mmap(2) offsets on the ring fd: the SQ ring, the CQ ring (the same
 * mapping with IORING_FEAT_SINGLE_MMAP) and the sqe array.
 */
#define IORING_OFF_SQ_RING		0ULL
#define IORING_OFF_CQ_RING		0x8000000ULL
#define IORING_OFF_SQES			0x10000000ULL
/* the part of the mmap offset that selects the region */
#define IORING_OFF_MMAP_MASK		0xf8000000ULL

/**
 * struct io_sqring_offsets - where the SQ ring fields are in its mapping
 * @head: consumer index, advanced by the kernel
 * @tail: producer index, advanced by the application
 * @ring_mask: entries - 1, to turn an index into a slot
 * @ring_entries: number of slots
 * @flags: IORING_SQ_* bits, written by the kernel
 * @dropped: count of invalid sqes the kernel skipped
 * @array: array of sqe indices, one per ring slot
 * @resv1: reserved
 * @resv2: reserved
 *
 * Each member is a byte offset from the start of the IORING_OFF_SQ_RING
 * mapping, filled in by io_uring_setup(2).
 */
struct io_sqring_offsets {
	__u32 head;
	__u32 tail;
	__u32 ring_mask;
	__u32 ring_entries;
	__u32 flags;
	__u32 dropped;
	__u32 array;
	__u32 resv1;
	__u64 resv2;
};

/*
 * SQ ring flags word
 *
 * NEED_WAKEUP:	 the SQPOLL thread sleeps; wake it with
 *		 IORING_ENTER_SQ_WAKEUP
 * CQ_OVERFLOW:	 completions were held back because the CQ ring was full
 * TASKRUN:	 completion work is pending; enter the kernel to run it
 */
#define IORING_SQ_NEED_WAKEUP		(1U << 0)
#define IORING_SQ_CQ_OVERFLOW		(1U << 1)
#define IORING_SQ_TASKRUN		(1U << 2)

/**
 * struct io_cqring_offsets - where the CQ ring fields are in its mapping
 * @head: consumer index, advanced by the application
 * @tail: producer index, advanced by the kernel
 * @ring_mask: entries - 1, to turn an index into a slot
 * @ring_entries: number of slots
 * @overflow: count of completions that could not be posted at all
 * @cqes: the array of struct io_uring_cqe
 * @flags: IORING_CQ_* bits, written by the application
 * @resv1: reserved
 * @resv2: reserved
 *
 * Each member is a byte offset from the start of the IORING_OFF_CQ_RING
 * mapping, filled in by io_uring_setup(2).
 */
struct io_cqring_offsets {
	__u32 head;
	__u32 tail;
	__u32 ring_mask;
	__u32 ring_entries;
	__u32 overflow;
	__u32 cqes;
	__u32 flags;
	__u32 resv1;
	__u64 resv2;
};

/* CQ ring flags word: do not signal the registered eventfd for now */
#define IORING_CQ_EVENTFD_DISABLED	(1U << 0)

/*
 * io_uring_enter(2) flags
 *
 * GETEVENTS:	     wait for min_complete completions
 * SQ_WAKEUP:	     wake the sleeping SQPOLL thread
 * SQ_WAIT:	     wait until the SQ ring has a free slot (SQPOLL)
 * EXT_ARG:	     the argument is a struct io_uring_getevents_arg, not a
 *		     bare sigset pointer
 * REGISTERED_RING:  fd is an index from IORING_REGISTER_RING_FDS
 */
#define IORING_ENTER_GETEVENTS		(1U << 0)
#define IORING_ENTER_SQ_WAKEUP		(1U << 1)
#define IORING_ENTER_SQ_WAIT		(1U << 2)
#define IORING_ENTER_EXT_ARG		(1U << 3)
#define IORING_ENTER_REGISTERED_RING	(1U << 4)

/**
 * struct io_uring_params - io_uring_setup(2) argument
 * @sq_entries: out: number of SQ entries
 * @cq_entries: in with IORING_SETUP_CQSIZE: wanted CQ size; out: CQ size
 * @flags: in: IORING_SETUP_* bits
 * @sq_thread_cpu: in with IORING_SETUP_SQ_AFF: CPU of the SQPOLL thread
 * @sq_thread_idle: in with IORING_SETUP_SQPOLL: idle time in milliseconds
 *	before that thread goes to sleep
 * @features: out: IORING_FEAT_* bits this kernel supports
 * @wq_fd: in with IORING_SETUP_ATTACH_WQ: ring whose workers to share
 * @resv: reserved, must be zero
 * @sq_off: out: layout of the SQ ring
 * @cq_off: out: layout of the CQ ring
 */
struct io_uring_params {
	__u32 sq_entries;
	__u32 cq_entries;
	__u32 flags;
	__u32 sq_thread_cpu;
	__u32 sq_thread_idle;
	__u32 features;
	__u32 wq_fd;
	__u32 resv[3];
	struct io_sqring_offsets sq_off;
	struct io_cqring_offsets cq_off;
};

/*
 * io_uring_params->features: what the running kernel guarantees
 *
 * SINGLE_MMAP:	     SQ and CQ rings share one mapping
 * NODROP:	     completions are not dropped when the CQ ring is full,
 *		     they are kept until there is room
 * SUBMIT_STABLE:    sqe data is consumed by the time submission returns
 * RW_CUR_POS:	     off == -1 reads or writes at the file position
 * CUR_PERSONALITY:  requests run with the submitter's credentials
 * FAST_POLL:	     pollable files are polled internally, not blocked on
 * POLL_32BITS:	     poll masks are 32 bits wide (poll32_events)
 * SQPOLL_NONFIXED:  SQPOLL works without registered files
 * EXT_ARG:	     IORING_ENTER_EXT_ARG is supported
 * NATIVE_WORKERS:   async workers are threads of the submitting process
 * RSRC_TAGS:	     registered files and buffers can carry tags
 * CQE_SKIP:	     IOSQE_CQE_SKIP_SUCCESS is supported
 * LINKED_FILE:	     files of linked requests are looked up when the
 *		     request starts, not at submission
 */
#define IORING_FEAT_SINGLE_MMAP		(1U << 0)
#define IORING_FEAT_NODROP		(1U << 1)
#define IORING_FEAT_SUBMIT_STABLE	(1U << 2)
#define IORING_FEAT_RW_CUR_POS		(1U << 3)
#define IORING_FEAT_CUR_PERSONALITY	(1U << 4)
#define IORING_FEAT_FAST_POLL		(1U << 5)
#define IORING_FEAT_POLL_32BITS		(1U << 6)
#define IORING_FEAT_SQPOLL_NONFIXED	(1U << 7)
#define IORING_FEAT_EXT_ARG		(1U << 8)
#define IORING_FEAT_NATIVE_WORKERS	(1U << 9)
#define IORING_FEAT_RSRC_TAGS		(1U << 10)
#define IORING_FEAT_CQE_SKIP		(1U << 11)
#define IORING_FEAT_LINKED_FILE		(1U << 12)

/* io_uring_register(2) opcodes */
enum {
	IORING_REGISTER_BUFFERS			= 0,
	IORING_UNREGISTER_BUFFERS		= 1,
	IORING_REGISTER_FILES			= 2,
	IORING_UNREGISTER_FILES			= 3,
	IORING_REGISTER_EVENTFD			= 4,
	IORING_UNREGISTER_EVENTFD		= 5,
	IORING_REGISTER_FILES_UPDATE		= 6,
	/* eventfd signalled only for completions that finished async */
	IORING_REGISTER_EVENTFD_ASYNC		= 7,
	IORING_REGISTER_PROBE			= 8,
	IORING_REGISTER_PERSONALITY		= 9,
	IORING_UNREGISTER_PERSONALITY		= 10,
	IORING_REGISTER_RESTRICTIONS		= 11,
	IORING_REGISTER_ENABLE_RINGS		= 12,

	/* variants taking struct io_uring_rsrc_register / _update2 */
	IORING_REGISTER_FILES2			= 13,
	IORING_REGISTER_FILES_UPDATE2		= 14,
	IORING_REGISTER_BUFFERS2		= 15,
	IORING_REGISTER_BUFFERS_UPDATE		= 16,

	/* CPU mask of the async workers */
	IORING_REGISTER_IOWQ_AFF		= 17,
	IORING_UNREGISTER_IOWQ_AFF		= 18,

	/* limits on async worker counts, see IO_WQ_BOUND / IO_WQ_UNBOUND */
	IORING_REGISTER_IOWQ_MAX_WORKERS	= 19,

	/* ring fds usable with IORING_ENTER_REGISTERED_RING */
	IORING_REGISTER_RING_FDS		= 20,
	IORING_UNREGISTER_RING_FDS		= 21,

	/* shared-memory rings of provided buffers, struct io_uring_buf_reg */
	IORING_REGISTER_PBUF_RING		= 22,
	IORING_UNREGISTER_PBUF_RING		= 23,

	/* cancel and wait, struct io_uring_sync_cancel_reg */
	IORING_REGISTER_SYNC_CANCEL		= 24,

	/* slots that IORING_FILE_INDEX_ALLOC picks from */
	IORING_REGISTER_FILE_ALLOC_RANGE	= 25,

	/* number of register opcodes; not an opcode itself */
	IORING_REGISTER_LAST
};

/* Index into the IORING_REGISTER_IOWQ_MAX_WORKERS array of two counts. */
enum {
	IO_WQ_BOUND,
	IO_WQ_UNBOUND,
};

/**
 * struct io_uring_files_update - IORING_REGISTER_FILES_UPDATE argument
 * @offset: first slot to replace
 * @resv: reserved
 * @fds: pointer to an array of __s32 fds
 *
 * Old form of struct io_uring_rsrc_update, which has the same layout.
 */
struct io_uring_files_update {
	__u32 offset;
	__u32 resv;
	__aligned_u64 fds;
};

/* io_uring_rsrc_register->flags: start with empty slots, data is unused */
#define IORING_RSRC_REGISTER_SPARSE	(1U << 0)

/**
 * struct io_uring_rsrc_register - argument of IORING_REGISTER_FILES2 and
 *	IORING_REGISTER_BUFFERS2
 * @nr: number of slots
 * @flags: IORING_RSRC_REGISTER_* bits
 * @resv2: reserved
 * @data: pointer to an array of @nr fds or struct iovec
 * @tags: pointer to an array of @nr __u64 tags, or 0; a tagged slot posts
 *	a CQE with the tag as user_data once its resource is released
 */
struct io_uring_rsrc_register {
	__u32 nr;
	__u32 flags;
	__u64 resv2;
	__aligned_u64 data;
	__aligned_u64 tags;
};

/**
 * struct io_uring_rsrc_update - argument of IORING_REGISTER_FILES_UPDATE
 *	and IORING_(UN)REGISTER_RING_FDS
 * @offset: first slot to replace
 * @resv: reserved
 * @data: pointer to an array of __s32 fds; for the ring fd opcodes the
 *	fd itself
 */
struct io_uring_rsrc_update {
	__u32 offset;
	__u32 resv;
	__aligned_u64 data;
};

/**
 * struct io_uring_rsrc_update2 - argument of IORING_REGISTER_FILES_UPDATE2
 *	and IORING_REGISTER_BUFFERS_UPDATE
 * @offset: first slot to replace
 * @resv: reserved
 * @data: pointer to an array of @nr fds or struct iovec
 * @tags: pointer to an array of @nr __u64 tags, or 0
 * @nr: number of slots to replace
 * @resv2: reserved
 */
struct io_uring_rsrc_update2 {
	__u32 offset;
	__u32 resv;
	__aligned_u64 data;
	__aligned_u64 tags;
	__u32 nr;
	__u32 resv2;
};

/*
 * Not used by any io_uring_register(2) opcode; these two remain only
 * because an earlier released header carried them.
 */
struct io_uring_notification_slot {
	__u64 tag;
	__u64 resv[3];
};

struct io_uring_notification_register {
	__u32 nr_slots;
	__u32 resv;
	__u64 resv2;
	__u64 data;
	__u64 resv3;
};

/* An fd value in a files update meaning: leave this slot as it is. */
#define IORING_REGISTER_FILES_SKIP	(-2)

/* io_uring_probe_op->flags: the opcode is supported */
#define IO_URING_OP_SUPPORTED		(1U << 0)

/**
 * struct io_uring_probe_op - support information for one opcode
 * @op: the opcode
 * @resv: reserved
 * @flags: IO_URING_OP_* bits
 * @resv2: reserved
 */
struct io_uring_probe_op {
	__u8 op;
	__u8 resv;
	__u16 flags;
	__u32 resv2;
};

/**
 * struct io_uring_probe - IORING_REGISTER_PROBE argument
 * @last_op: out: highest opcode this kernel knows
 * @ops_len: out: number of valid @ops entries
 * @resv: reserved
 * @resv2: reserved
 * @ops: one entry per opcode, sized by the caller (nr_args)
 */
struct io_uring_probe {
	__u8 last_op;
	__u8 ops_len;
	__u16 resv;
	__u32 resv2[3];
	struct io_uring_probe_op ops[];
};

/**
 * struct io_uring_restriction - one IORING_REGISTER_RESTRICTIONS entry
 * @opcode: IORING_RESTRICTION_* kind of this entry
 * @register_op: the io_uring_register(2) opcode to allow
 * @sqe_op: the sqe opcode to allow
 * @sqe_flags: IOSQE_* bits allowed or required
 * @resv: reserved
 * @resv2: reserved
 */
struct io_uring_restriction {
	__u16 opcode;
	union {
		__u8 register_op;
		__u8 sqe_op;
		__u8 sqe_flags;
	};
	__u8 resv;
	__u32 resv2[3];
};

/**
 * struct io_uring_buf - one buffer in a provided buffer ring
 * @addr: start of the buffer
 * @len: its length
 * @bid: buffer id reported back in cqe->flags
 * @resv: reserved; in the first entry this is the ring tail
 */
struct io_uring_buf {
	__u64	addr;
	__u32	len;
	__u16	bid;
	__u16	resv;
};

/**
 * struct io_uring_buf_ring - a provided buffer ring, shared with the kernel
 * @resv1: overlays bufs[0].addr
 * @resv2: overlays bufs[0].len
 * @resv3: overlays bufs[0].bid
 * @tail: producer index, advanced by the application; it overlays
 *	bufs[0].resv so that the ring needs no header of its own
 * @bufs: the ring entries
 */
struct io_uring_buf_ring {
	union {
		struct {
			__u64	resv1;
			__u32	resv2;
			__u16	resv3;
			__u16	tail;
		};
		__DECLARE_FLEX_ARRAY(struct io_uring_buf, bufs);
	};
};

/**
 * struct io_uring_buf_reg - argument of IORING_REGISTER_PBUF_RING and
 *	IORING_UNREGISTER_PBUF_RING
 * @ring_addr: page aligned address of the struct io_uring_buf_ring
 * @ring_entries: number of entries, a power of two
 * @bgid: buffer group id the ring serves
 * @pad: reserved
 * @resv: reserved
 */
struct io_uring_buf_reg {
	__u64	ring_addr;
	__u32	ring_entries;
	__u16	bgid;
	__u16	pad;
	__u64	resv[3];
};

/* io_uring_restriction->opcode */
enum {
	/* allow register_op */
	IORING_RESTRICTION_REGISTER_OP		= 0,
	/* allow sqe_op */
	IORING_RESTRICTION_SQE_OP		= 1,
	/* sqe flags in sqe_flags may be used */
	IORING_RESTRICTION_SQE_FLAGS_ALLOWED	= 2,
	/* sqe flags in sqe_flags must be set on every sqe */
	IORING_RESTRICTION_SQE_FLAGS_REQUIRED	= 3,

	IORING_RESTRICTION_LAST
};

/**
 * struct io_uring_getevents_arg - io_uring_enter(2) argument with
 *	IORING_ENTER_EXT_ARG
 * @sigmask: pointer to the signal mask to wait with, or 0
 * @sigmask_sz: size of that signal mask
 * @pad: reserved
 * @ts: pointer to a struct __kernel_timespec wait timeout, or 0
 */
struct io_uring_getevents_arg {
	__u64	sigmask;
	__u32	sigmask_sz;
	__u32	pad;
	__u64	ts;
};

/**
 * struct io_uring_sync_cancel_reg - IORING_REGISTER_SYNC_CANCEL argument
 * @addr: user_data to match
 * @fd: file to match, with IORING_ASYNC_CANCEL_FD
 * @flags: IORING_ASYNC_CANCEL_* bits
 * @timeout: how long to wait for the cancellation; -1 in both fields means
 *	no limit
 * @pad: reserved
 */
struct io_uring_sync_cancel_reg {
	__u64				addr;
	__s32				fd;
	__u32				flags;
	struct __kernel_timespec	timeout;
	__u64				pad[4];
};

/**
 * struct io_uring_file_index_range - IORING_REGISTER_FILE_ALLOC_RANGE
 *	argument: slots [off, off + len) are used for automatic allocation
 * @off: first slot
 * @len: number of slots
 * @resv: reserved
 */
struct io_uring_file_index_range {
	__u32	off;
	__u32	len;
	__u64	resv;
};

/**
 * struct io_uring_recvmsg_out - header a multishot IORING_OP_RECVMSG
 *	writes at the start of each buffer it fills
 * @namelen: full length of the source address; the address follows this
 *	header in a slot of msghdr.msg_namelen bytes and is cut to fit it
 * @controllen: bytes of control data in the msghdr.msg_controllen bytes
 *	slot after the address slot
 * @payloadlen: full length of the message; the payload follows the control
 *	slot and is truncated if it is longer than the room left
 * @flags: msg_flags of the received message
 *
 * The layout is: this header, address slot, control slot, payload.
 */
struct io_uring_recvmsg_out {
	__u32 namelen;
	__u32 controllen;
	__u32 payloadlen;
	__u32 flags;
};

#ifdef __cplusplus
}
#endif

#endif /* LINUX_IO_URING_H */
