# SPDX-License-Identifier: GPL-2.0
#
# Shared by the shell selftests: sourced, not run.
#
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
