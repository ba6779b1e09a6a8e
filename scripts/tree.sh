#!/bin/bash
# Make or update the kernel source trees under build/.
#
#   scripts/tree.sh [ours|upstream|ours-debug|upstream-debug]   (default: ours)
#
# build/linux is a git repo with
#   tag base       the Debian linux-source-6.1 tarball exactly as unpacked
#   tag removed    base minus its io_uring implementation
#   branch series  removed + the commits of patches/series: one per line,
#                  each laying in its part of linux/ (marked source files
#                  cut down to the capabilities so far by
#                  scripts/series-cut.awk), or a patch applied with git am
#                  (LINUX_DIR=dir takes the new files from dir instead of linux/)
# Commits use a fixed identity and fixed dates, so the same inputs always
# give the same commit ids. The series is assembled in the scratch worktree
# build/stage; the trees that get built are then moved with
# `git checkout -f --detach`, which rewrites only the files that changed, so
# make sees no mtime churn on an unchanged series.
#
#   ours            build/linux            at series
#   ours-debug      build/linux-debug      at series
#   upstream        build/upstream         at base
#   upstream-debug  build/upstream-debug   at base
#
# The last line printed is "tree: <path>".
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$ROOT/build
REPO=$BUILD/linux
STAGE=$BUILD/stage
TARBALL=${TARBALL:-/usr/src/linux-source-6.1.tar.xz}
# the series' new files; override to build from a snapshot elsewhere
LINUX_DIR=${LINUX_DIR:-$ROOT/linux}
TARGET=${1:-ours}

case $TARGET in
ours) WT=$REPO ;;
ours-debug) WT=$BUILD/linux-debug ;;
upstream) WT=$BUILD/upstream ;;
upstream-debug) WT=$BUILD/upstream-debug ;;
*)
	echo "usage: $0 [ours|upstream|ours-debug|upstream-debug]" >&2
	exit 2
	;;
esac

ID_NAME="io_uring team"
ID_EMAIL="io-uring@example.org"
export GIT_AUTHOR_NAME=$ID_NAME GIT_AUTHOR_EMAIL=$ID_EMAIL
export GIT_COMMITTER_NAME=$ID_NAME GIT_COMMITTER_EMAIL=$ID_EMAIL
export GIT_AUTHOR_DATE="2025-01-01T00:00:00+0000"
export GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
export GIT_CONFIG_NOSYSTEM=1 TZ=UTC LC_ALL=C
SOB="Signed-off-by: $ID_NAME <$ID_EMAIL>"

say() { echo "tree.sh: $*"; }
die() { echo "tree.sh: error: $*" >&2; exit 1; }

# step "what" cmd...: print what is being done, run it, print how long it took.
step() {
	local what=$1 t0=$SECONDS
	shift
	say "$what ..."
	"$@"
	say "$what: done in $((SECONDS - t0))s"
}

g() { git -C "$REPO" "$@"; }

# --- commit 1: the base, exactly as unpacked --------------------------------
import_base() {
	if [ ! -f "$TARBALL" ]; then
		say "$TARBALL missing, installing linux-source-6.1"
		apt-get install -y linux-source-6.1 >/dev/null ||
			die "cannot install linux-source-6.1 (try apt-get update)"
	fi
	rm -rf "$REPO"
	mkdir -p "$REPO"
	step "unpacking $TARBALL" \
		tar -xJf "$TARBALL" -C "$REPO" --strip-components=1
	g init -q
	g config core.fileMode true
	g config gc.auto 0
	g config advice.detachedHead false
	g config user.name "$ID_NAME"
	g config user.email "$ID_EMAIL"
	# -f: the tarball is the truth, even files a .gitignore would skip
	step "adding the base to git (slow, done once)" g add -A -f .
	local mk=$REPO/Makefile ver tree commit
	ver=$(awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3}
		/^SUBLEVEL =/{s=$3} END{print v "." p "." s}' "$mk")
	tree=$(g write-tree)
	commit=$(printf 'Linux %s (Debian linux-source-6.1)\n\nThe tree of %s, unmodified.\n' \
		"$ver" "$(basename "$TARBALL")" | g commit-tree "$tree")
	g tag base "$commit"
	g update-ref --no-deref HEAD "$commit"
}

# --- commit 2: take the base's io_uring out ----------------------------------
# must_change FILE CMD...: run an edit, fail if it did not change FILE.
must_change() {
	local f=$1 before
	shift
	before=$(sha1sum <"$f")
	"$@"
	[ "$(sha1sum <"$f")" != "$before" ] || die "edit did not apply to $f: $*"
}

remove_io_uring() {
	# in $STAGE, checked out at base
	say "removing the base io_uring implementation"
	git rm -q -r io_uring tools/io_uring

	must_change Kbuild \
		sed -i '/^obj-\$(CONFIG_IO_URING)[[:space:]]*+= io_uring\/$/d' Kbuild
	must_change init/Kconfig sed -i '/^config IO_URING$/,/^$/d' init/Kconfig
	must_change fs/Kconfig sed -i '/^config IO_WQ$/,/^$/d' fs/Kconfig

	# the scheduler hooks of io-wq workers; the workqueue ones stay
	local c=kernel/sched/core.c
	must_change $c sed -i '\|^#include "../../io_uring/io-wq.h"$|d' $c
	local sleeping running
	sleeping='\tif \(task_flags & \(PF_WQ_WORKER \| PF_IO_WORKER\)\) \{\n\t\tif \(task_flags & PF_WQ_WORKER\)\n\t\t\twq_worker_sleeping\(tsk\);\n\t\telse\n\t\t\tio_wq_worker_sleeping\(tsk\);\n\t\}\n'
	running='\tif \(tsk->flags & \(PF_WQ_WORKER \| PF_IO_WORKER\)\) \{\n\t\tif \(tsk->flags & PF_WQ_WORKER\)\n\t\t\twq_worker_running\(tsk\);\n\t\telse\n\t\t\tio_wq_worker_running\(tsk\);\n\t\}\n'
	must_change $c perl -0pi -e "s/$sleeping/\\tif (task_flags & PF_WQ_WORKER)\\n\\t\\twq_worker_sleeping(tsk);\\n/" $c
	must_change $c perl -0pi -e "s/$running/\\tif (tsk->flags & PF_WQ_WORKER)\\n\\t\\twq_worker_running(tsk);\\n/" $c
	! grep -n 'io_wq\|io_uring' $c || die "$c still refers to io_uring"

	# both tables: scripts/checksyscalls.sh warns about a call i386 has
	# and x86-64 lacks
	local t=arch/x86/entry/syscalls/syscall_64.tbl
	must_change $t sed -i -E '/^42[5-7][[:space:]]+common[[:space:]]+io_uring_/d' $t
	t=arch/x86/entry/syscalls/syscall_32.tbl
	must_change $t sed -i -E '/^42[5-7][[:space:]]+i386[[:space:]]+io_uring_/d' $t
	local h=include/linux/syscalls.h
	must_change $h sed -i '/^asmlinkage long sys_io_uring_setup(/,/nr_args);$/d' $h
	if [ "$(grep -c io_uring_params $h)" = 1 ]; then
		must_change $h sed -i '/^struct io_uring_params;$/d' $h
	fi
	! grep -n 'io_uring' $h || die "$h still refers to io_uring"

	must_change MAINTAINERS sed -i '/^IO_URING$/,/^$/d' MAINTAINERS

	# headers only the removed code used
	local f users
	for f in include/trace/events/io_uring.h include/linux/io_uring_types.h; do
		users=$(git grep -l -F "${f#include/}" -- . ":!$f" ":!MAINTAINERS" || true)
		if [ -z "$users" ]; then
			git rm -q "$f"
		else
			say "keeping $f, still included by: $users"
		fi
	done

	git add -A
	git commit -q -F - <<-EOF
	io_uring: remove the base implementation

	Take out the io_uring the base tree came with, so the following
	patches can add a new one: the io_uring/ directory and tools/io_uring/,
	its Kconfig options (IO_URING, IO_WQ) and Kbuild line, the io-wq
	worker hooks in the scheduler (the workqueue ones stay), the x86
	syscall table entries 425-427 and their declarations, the
	io_uring_types.h and trace event headers that only it used, and its
	MAINTAINERS entry.

	The task hooks in exit, exec, fork and SCM_RIGHTS keep calling into
	<linux/io_uring.h>, whose !CONFIG_IO_URING stubs they now get.

	$SOB
	EOF
}

# --- the series ----------------------------------------------------------------
# linux_files: the series' new files under $LINUX_DIR, NUL-separated and
# relative to it: what the project would commit (tracked and untracked, not
# what its .gitignore excludes), less ELF build products.
linux_files() {
	[ -d "$LINUX_DIR" ] || return 0
	cd "$LINUX_DIR"
	if git rev-parse --git-dir >/dev/null 2>&1; then
		git ls-files -z -c -o --exclude-standard .
	else
		find . -type f -print0
	fi | while IFS= read -r -d '' f; do
		[ -f "$f" ] || continue
		if [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ]; then
			say "skipping ${f#./}: a build product (add it to .gitignore)" >&2
			continue
		fi
		printf '%s\0' "${f#./}"
	done
}

# lay_in CAPS PATH...: copy the files of linux/ under the PATHs into the
# stage, each marked source file cut down to the capabilities CAPS (see
# scripts/series-cut.awk), and add them to the index.
lay_in() {
	local caps=$1 f p
	shift
	while IFS= read -r -d '' f; do
		for p; do
			case $f in "$p" | "$p"/*) ;; *) continue ;; esac
			mkdir -p "$(dirname "$f")"
			cp "$LINUX_DIR/$f" "$f"
			case $f in *.[ch])
				grep -q '/\* series: ' "$f" || break
				awk -v caps="$caps" -v known="$KNOWN" \
					-f "$ROOT/scripts/series-cut.awk" \
					"$LINUX_DIR/$f" >"$f" || die "cannot cut $f"
			esac
			break
		done
	done <"$FILES"
	git add -f -- "$@"
}

# the capabilities patches/series names, in order
series_caps() {
	sed -e 's/#.*//' "$ROOT/patches/series" | awk '$1 && $1 !~ /\.patch$/ { print $1 }'
}

build_series() {
	local inputs
	FILES=$(mktemp)
	linux_files | LC_ALL=C sort -z >"$FILES"
	# everything the series commits are made of; same inputs, same commits
	inputs=$({
		sha1sum "$ROOT/scripts/tree.sh" "$ROOT/scripts/series-cut.awk" "$ROOT"/patches/*
		(cd "$LINUX_DIR" 2>/dev/null && xargs -0 -r stat -c '%a %n' <"$FILES" &&
			xargs -0 -r sha1sum <"$FILES")
	} 2>/dev/null | sha1sum | cut -d' ' -f1)
	local cache=$BUILD/.series-inputs
	if [ -f "$cache" ] && [ "$(cut -d' ' -f1 "$cache")" = "$inputs" ]; then
		SERIES=$(cut -d' ' -f2 "$cache")
		if [ "$(g rev-parse -q --verify refs/heads/series || true)" = "$SERIES" ]; then
			say "series inputs unchanged, head $SERIES"
			rm -f "$FILES"
			return
		fi
	fi
	rm -f "$cache"

	if [ ! -e "$STAGE/.git" ]; then
		g worktree prune
		step "creating the staging worktree $STAGE" \
			g worktree add -q -f --detach "$STAGE" base
	fi
	cd "$STAGE"
	git am --abort >/dev/null 2>&1 || true
	git checkout -q -f --detach base
	git clean -q -f -d -x
	remove_io_uring
	local removed
	removed=$(git rev-parse HEAD)
	if [ "$(g rev-parse -q --verify 'refs/tags/removed^{commit}' || true)" != "$removed" ]; then
		g tag -f removed "$removed" >/dev/null
		say "tag removed -> $removed"
	fi

	# patches/series, one commit a line (see the comment at its top)
	KNOWN=$(series_caps | xargs)
	local caps="" laid=() name items item
	while read -r name items; do
		case $name in '' | '#'*) continue ;; esac
		if [ "${name%.patch}" != "$name" ]; then
			say "git am $name"
			git am -q "$ROOT/patches/$name" || {
				git am --abort || true
				die "patch $name does not apply"
			}
			continue
		fi
		[ -f "$ROOT/patches/$name.msg" ] || die "patches/$name.msg missing"
		caps="$caps $name"
		for item in $items; do
			case $item in
			*.patch)
				git apply --index "$ROOT/patches/$item" ||
					die "$name: patch $item does not apply"
				;;
			*)
				[ -e "$LINUX_DIR/$item" ] || die "$name: no linux/$item"
				laid+=("$item")
				;;
			esac
		done
		[ ${#laid[@]} = 0 ] || lay_in "$caps" "${laid[@]}"
		! git diff --cached --quiet || die "commit $name changes nothing"
		git commit -q -F "$ROOT/patches/$name.msg"
		say "$(git log -1 --format=%s): $(git diff --shortstat HEAD^ HEAD)"
	done < <(sed -e 's/[[:space:]]*#.*//' "$ROOT/patches/series")

	# the series must end with all of linux/ in it
	local f p
	while IFS= read -r -d '' f; do
		for p in "${laid[@]}"; do
			case $f in "$p" | "$p"/*) continue 2 ;; esac
		done
		die "linux/$f is in no commit of patches/series"
	done <"$FILES"
	rm -f "$FILES"

	SERIES=$(git rev-parse HEAD)
	cd "$ROOT"
	g update-ref refs/heads/series "$SERIES"
	echo "$inputs $SERIES" >"$cache"
	say "series: $(g rev-list --count removed..series) commits on removed, head $SERIES"
}

# sync_tree WORKTREE COMMIT: make WORKTREE show COMMIT, touching only the
# files that differ.
sync_tree() {
	local wt=$1 rev=$2
	if [ ! -e "$wt/.git" ]; then
		g worktree prune
		step "creating worktree $wt" g worktree add -q -f --detach "$wt" "$rev"
		return
	fi
	if [ "$(git -C "$wt" rev-parse HEAD)" = "$(g rev-parse "$rev^{commit}")" ] &&
		git -C "$wt" diff --quiet HEAD; then
		say "$wt already at $rev"
		return
	fi
	step "checking out $rev in $wt" git -C "$wt" checkout -q -f --detach "$rev"
}

mkdir -p "$BUILD"
# one tree.sh at a time: they share build/stage and the refs
exec 9>"$BUILD/.tree.lock"
flock 9
if ! g rev-parse -q --verify 'refs/tags/base^{commit}' >/dev/null 2>&1; then
	step "creating $REPO from the tarball" import_base
fi

case $TARGET in
ours | ours-debug)
	step "assembling the series" build_series
	sync_tree "$WT" "$SERIES"
	;;
upstream | upstream-debug)
	sync_tree "$WT" base
	;;
esac
echo "tree: $WT"
