/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * io_uring: what the rest of the kernel sees of it.
 *
 * Task lifetime hooks (exit, exec, fork), the SCM_RIGHTS check that keeps
 * ring fds out of unix sockets, and the uring_cmd interface that drivers
 * implement in file_operations->uring_cmd.
 */
#ifndef _LINUX_IO_URING_H
#define _LINUX_IO_URING_H

#include <linux/sched.h>
#include <linux/xarray.h>
#include <uapi/linux/io_uring.h>

/* issue_flags handed to ->uring_cmd() and its completion helpers */
enum io_uring_cmd_flags {
	IO_URING_F_COMPLETE_DEFER	= 1,
	IO_URING_F_UNLOCKED		= 2,
	IO_URING_F_SQE128		= 4,
	IO_URING_F_CQE32		= 8,
	IO_URING_F_IOPOLL		= 16,
	IO_URING_F_MULTISHOT		= 32,
	IO_URING_F_IOWQ			= 64,
	/* the sign bit: the caller must not block */
	IO_URING_F_NONBLOCK		= INT_MIN,
};

/* A driver's view of an IORING_OP_URING_CMD request. */
struct io_uring_cmd {
	struct file	*file;
	const void	*cmd;
	union {
		void (*task_work_cb)(struct io_uring_cmd *cmd, unsigned int flags);
		void *cookie;
	};
	u32		cmd_op;
	u32		flags;
	u8		pdu[32];	/* scratch space owned by the driver */
};

/*
 * IORING_OP_URING_CMD is not implemented yet: no ring ever hands a driver
 * a command, so these are never reached with a live request.
 */
static inline int io_uring_cmd_import_fixed(u64 ubuf, unsigned long len,
					    int rw, struct iov_iter *iter,
					    void *ioucmd)
{
	return -EOPNOTSUPP;
}

static inline void io_uring_cmd_done(struct io_uring_cmd *cmd, ssize_t ret,
				     ssize_t res2, unsigned int issue_flags)
{
}

static inline void
io_uring_cmd_complete_in_task(struct io_uring_cmd *ioucmd,
			      void (*cb)(struct io_uring_cmd *, unsigned int))
{
}

#if defined(CONFIG_IO_URING)
void __io_uring_cancel(bool cancel_all);
void __io_uring_free(struct task_struct *tsk);
bool io_is_uring_fops(struct file *file);

/* do_exit(): cancel what this task submitted to rings it no longer reaches */
static inline void io_uring_files_cancel(void)
{
	if (current->io_uring)
		__io_uring_cancel(false);
}

/* begin_new_exec(): nothing submitted before exec, IOPOLL aside, outlives it */
static inline void io_uring_task_cancel(void)
{
	if (current->io_uring)
		__io_uring_cancel(true);
}

/* __put_task_struct(): release the per-task io_uring context */
static inline void io_uring_free(struct task_struct *tsk)
{
	if (tsk->io_uring)
		__io_uring_free(tsk);
}
#else
static inline bool io_is_uring_fops(struct file *file)
{
	return false;
}

static inline void io_uring_files_cancel(void)
{
}

static inline void io_uring_task_cancel(void)
{
}

static inline void io_uring_free(struct task_struct *tsk)
{
}
#endif

#endif
