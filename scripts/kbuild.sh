#!/bin/bash
# Configure and build a guest kernel, in tree.
#
#   scripts/kbuild.sh <ours|upstream> [debug]
#
# Runs scripts/tree.sh for the tree, then in that worktree:
#   make tinyconfig (x86_64) + config/guest.config (+ config/debug.config)
#   merged with scripts/kconfig/merge_config.sh, make olddefconfig,
#   and checks that every option of the fragments came out as asked;
#   make bzImage with ccache, make headers (usr/include, for selftests).
# The configuration is redone only when the fragments or the tree's
# Kconfig files change, so a rerun on an unchanged tree builds nothing.
# The last line printed is the path of the bzImage.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FLAVOUR=${1:-}
DEBUG=${2:-}
case $FLAVOUR in ours | upstream) ;; *) FLAVOUR= ;; esac
case $DEBUG in '' | debug) ;; *) FLAVOUR= ;; esac
if [ -z "$FLAVOUR" ]; then
	echo "usage: $0 <ours|upstream> [debug]" >&2
	exit 2
fi

say() { echo "kbuild.sh: $*"; }
die() { echo "kbuild.sh: error: $*" >&2; exit 1; }
step() {
	local what=$1 t0=$SECONDS
	shift
	say "$what ..."
	"$@"
	say "$what: done in $((SECONDS - t0))s"
}

T0=$SECONDS
TARGET=$FLAVOUR${DEBUG:+-debug}
FRAGS=("$ROOT/config/guest.config")
[ -n "$DEBUG" ] && FRAGS+=("$ROOT/config/debug.config")

command -v ccache >/dev/null || die "ccache not installed (apt-get install ccache)"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$ROOT/scripts/tree.sh" "$TARGET" | tee "$log"
WT=$(sed -n 's/^tree: //p' "$log" | tail -n 1)
[ -d "$WT" ] || die "tree.sh gave no tree"
cd "$WT"

# fixed build identity: reproducible version strings, better ccache hits
export KBUILD_BUILD_TIMESTAMP="Wed Jan  1 00:00:00 UTC 2025"
export KBUILD_BUILD_USER=io_uring KBUILD_BUILD_HOST=build KBUILD_BUILD_VERSION=1
export LC_ALL=C
# the same sources in another checkout (CI's fresh clone) still hit the cache
export CCACHE_BASEDIR=$WT CCACHE_NOHASHDIR=1
MAKE=(make -s ARCH=x86_64 CC="ccache gcc")
JOBS=$(nproc)

# --- configure -------------------------------------------------------------
STAMP=.config.fragments
want=$({
	echo "tinyconfig ARCH=x86_64"
	cat "${FRAGS[@]}"
	git ls-files -s -- '*Kconfig*' | sha1sum
} | sha1sum | cut -d' ' -f1)

if [ ! -f .config ] || [ ! -f $STAMP ] || [ "$(cat $STAMP)" != "$want" ]; then
	rm -f $STAMP
	step "make tinyconfig (log: $WT/tinyconfig.log)" \
		"${MAKE[@]}" tinyconfig >tinyconfig.log 2>&1
	step "merging ${FRAGS[*]##*/}" \
		scripts/kconfig/merge_config.sh -m .config "${FRAGS[@]}" >/dev/null
	step "make olddefconfig" "${MAKE[@]}" olddefconfig
	echo "$want" >$STAMP
else
	say "configuration up to date (fragments and Kconfig unchanged)"
	"${MAKE[@]}" olddefconfig
fi

say "checking the options of ${FRAGS[*]##*/} in $WT/.config"
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		sym=${line%%=*}
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		;;
	*) continue ;;
	esac
	have=$(grep -E "^(# )?$sym[= ]" .config || true)
	case $line in
	"# "*) [ -z "$have" ] || [ "$have" = "$line" ] || {
		echo "  $line   but .config has: $have"
		bad=1
	} ;;
	*) [ "$have" = "$line" ] || {
		echo "  $line   but .config has: ${have:-nothing}"
		bad=1
	} ;;
	esac
done < <(cat "${FRAGS[@]}")
if [ $bad != 0 ]; then
	rm -f $STAMP
	die "options above are not set as asked (missing dependency or typo?)"
fi
say "all fragment options set as asked"

# --- build -------------------------------------------------------------------
tb=$SECONDS
step "make -j$JOBS bzImage ($TARGET)" "${MAKE[@]}" -j"$JOBS" bzImage
step "make headers" "${MAKE[@]}" -j"$JOBS" headers
say "$TARGET: build took $((SECONDS - tb))s, $((SECONDS - T0))s in all"
echo "$WT/arch/x86/boot/bzImage"
