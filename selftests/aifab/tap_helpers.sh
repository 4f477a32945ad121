# SPDX-License-Identifier: GPL-2.0
#
# Shared by the shell selftests: sourced, not run, before the test looks for
# its binaries or decides to skip: it prints nothing and sets only $n and
# $failed.
#
# find_bin CANDIDATE...: print the first candidate that is an executable
# file; print nothing if none is. Empty candidates (an unset variable) are
# passed over.
find_bin()
{
	local c

	for c in "$@"; do
		if [ -n "$c" ] && [ -x "$c" ]; then
			echo "$c"
			return
		fi
	done
}

# find_userspace NAME OVERRIDE: the aifabctl or aifabd (NAME) to test: the
# caller's OVERRIDE ($AIFABCTL, $AIFABD) if it is executable, else the one
# built next to the installed selftests (build/selftests/../userspace),
# else the one in the build tree when the test runs from the sources.
# Needs $HERE, the test's directory.
find_userspace()
{
	find_bin "$2" "$HERE/../userspace/$1/$1" \
		"$HERE/../../build/userspace/$1/$1"
}

# find_tool PATH OVERRIDE: a C tool (PATH as under build/tools, e.g.
# allreduce/allreduce): OVERRIDE ($ALLREDUCE, ...) if it is executable, else
# the one built next to the installed selftests, else the one in the build
# tree, as find_userspace looks.
find_tool()
{
	find_bin "$2" "$HERE/../tools/$1" "$HERE/../../build/tools/$1"
}

# skip_all REASON: skip the whole test, as kselftest counts it (exit 4).
skip_all()
{
	echo "1..0 # SKIP $*"
	exit 4
}

# check STATUS DESCRIPTION [DETAIL]: one TAP result line; DETAIL goes in a
# comment when the check failed. Counts into $n and $failed.
n=0
failed=0
check()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		failed=$((failed + 1))
		echo "not ok $n $2"
		[ -z "${3:-}" ] || echo "# $3" | head -c 2000
	fi
}

# counter OBJ NAME: one counter of "aifabctl stats show OBJ" ($CTL).
counter()
{
	"$CTL" stats show "$1" | awk -v want="$2" \
		'{ for (i = 2; i < NF; i += 2) if ($i == want) print $(i + 1) }'
}

# Start a process in a new network namespace; its PID in NSPID. Returns
# once the namespace exists: right after the fork, /proc/PID/ns/net is
# still the parent's.
start_netns()
{
	local _

	unshare -n sleep 600 &
	NSPID=$!
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$NSPID/ns/net")" != "$(readlink /proc/self/ns/net)" ] &&
			return 0
		sleep 0.05
	done
	return 1
}
