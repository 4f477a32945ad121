#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may open a local device, and what an open file pins, in TAP:
# - aifabctl dev show reports each local accelerator's node, memory and
#   jobs, and how many files are open on it;
# - a device's partition membership, its partition and the topology cannot
#   change while a file is open on it (EBUSY); once it closes they can;
# - a partition bound to a network namespace opens only from there: others
#   get EACCES, counted as open_refused; unbinding lifts that;
# - a topology load announces devices leaving and arriving on "monitor".
#
# Runs as root inside tools/vm-run. Device nodes are opened by the shell
# (exec N<>NODE), so a refused open is a plain "Permission denied".

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tap_helpers.sh"
CTL=$(find_userspace aifabctl "${AIFABCTL:-}")

echo "TAP version 13"
if [ "$(id -u)" != 0 ] || [ -z "${AIFAB_KO:-}" ] || [ ! -x "$CTL" ]; then
	skip_all "needs root, AIFAB_KO (tools/vm-run) and a built aifabctl"
fi
TMP=$(mktemp -d)
NSPID=
MON=
cleanup()
{
	[ -z "$MON" ] || kill "$MON" 2>/dev/null
	[ -z "$NSPID" ] || kill "$NSPID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
echo "1..14"

node_of()
{
	cat "/sys/class/aifab_dev/$1/dev_node"
}

# field DEV KEY: one value of "aifabctl -j dev show DEV".
field()
{
	"$CTL" -j dev show "$1" | python3 -c \
		'import json, sys; print(json.load(sys.stdin)[0].get(sys.argv[1]))' "$2"
}


N0=$(node_of accel0)
N1=$(node_of accel1)
[ -c "$N0" ] && [ -c "$N1" ] && [ -z "$(node_of efa0)" ]
check $? "local accelerators have device nodes ($N0, $N1), EFA devices none yet"

[ "$(field accel0 dev_node)" = "$N0" ] && [ "$(field accel0 open_count)" = 0 ] &&
	[ "$(field accel0 mem_used)" = 0 ] && [ "$(field accel0 jobs_completed)" = 0 ]
check $? "dev show reports node, open count, memory and jobs"

exec 3<>"$N0"
[ "$(field accel0 open_count)" = 1 ]
check $? "an open file is counted"

"$CTL" partition add p1 tenant t1 dev accel0 2>"$TMP/err"
st=$?
[ $st != 0 ] && grep -q "device is open" "$TMP/err" && ! "$CTL" partition show p1 >/dev/null 2>&1
check $? "an open device cannot join a partition" "$(cat "$TMP/err")"

"$CTL" partition add p1 tenant t1 dev accel1 && exec 4<>"$N1" &&
	! "$CTL" partition del p1 2>"$TMP/err" && grep -q "device is open" "$TMP/err" &&
	! "$CTL" partition set p1 del dev accel1 2>/dev/null &&
	"$CTL" -j partition show p1 | grep -q '"accel1"'
check $? "a partition with an open member cannot be deleted or shrunk" "$(cat "$TMP/err")"

"$CTL" topology show >"$TMP/topo.yaml"
! "$CTL" partition del p1 2>/dev/null
exec 4>&-
"$CTL" partition del p1 && ! "$CTL" topology load "$TMP/topo.yaml" 2>"$TMP/err" &&
	grep -q "device is open" "$TMP/err" && [ -c "$N0" ]
check $? "closing lets the partition go; the topology stays while accel0 is open" "$(cat "$TMP/err")"
exec 3>&-

start_netns
NS=/proc/$NSPID/ns/net
"$CTL" partition add pA tenant tA netns "$NS" dev accel1
check $? "a partition can be bound to a network namespace"

cookie=$("$CTL" -j partition show pA | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["netns_cookie"])')
[ -n "$cookie" ] && [ "$cookie" != None ] && [ "$cookie" != 0 ]
check $? "partition show reports the namespace's cookie ($cookie)"

before=$(counter accel1 open_refused)
( exec 5<>"$N1" ) 2>"$TMP/err"
st=$?
after=$(counter accel1 open_refused)
[ $st != 0 ] && grep -q "Permission denied" "$TMP/err" && [ "$after" = $((before + 1)) ]
check $? "opening from another namespace is refused with EACCES and counted" "st=$st $(cat "$TMP/err") open_refused $before -> $after"

nsenter -t "$NSPID" -n sh -c "exec 5<>$N1"
check $? "opening from the partition's namespace works"

( exec 5<>"$N0" )
check $? "an unpartitioned device still opens from anywhere"

"$CTL" partition set pA netns none && ( exec 5<>"$N1" ) &&
	[ "$("$CTL" -j partition show pA | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["netns_cookie"])')" = None ]
check $? "unbinding lets every namespace open it again"

! "$CTL" partition set pA netns /proc/self/status 2>"$TMP/err" &&
	! "$CTL" partition set pA netns no-such-ns 2>>"$TMP/err" &&
	! "$CTL" partition add pB tenant tB netns none 2>>"$TMP/err"
check $? "bad namespaces are refused" "$(cat "$TMP/err")"
"$CTL" partition del pA

"$CTL" -j monitor >"$TMP/mon" &
MON=$!
sleep 0.3
"$CTL" topology show >"$TMP/cur.yaml" && "$CTL" topology load "$TMP/cur.yaml"
sleep 0.3
kill "$MON"
MON=
grep -q '"event":"dev".*"action":"del".*"name":"accel0"' "$TMP/mon" &&
	grep -q '"event":"dev".*"action":"new".*"name":"accel0"' "$TMP/mon" &&
	[ -c "$(node_of accel0)" ]
check $? "a topology load announces devices leaving and arriving, and remakes their nodes" "$(head -c 600 "$TMP/mon")"

[ "$failed" = 0 ]
