#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# aifabd and RDMA namespaces, in TAP. In shared mode a partition bound to
# a tenant's namespace moves nothing, and aifabd says why (log level info).
# In exclusive mode (rdma system set netns exclusive) aifabd --once moves
# the partition's EFA device into the tenant's namespace, where libibverbs
# opens it and the initial namespace no longer lists it; a second pass has
# nothing to do; a new binding moves it to the new namespace; a partition
# the kernel refuses to delete (a member is open) moves nothing; and a
# partition removed from the configuration sends its device home. The
# mode is shared again at the end.
#
# Runs as root inside tools/vm-run (AIFAB_KO names the module), which it
# reloads first so that the fabric starts empty.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tap_helpers.sh"
D=$(find_userspace aifabd "${AIFABD:-}")
NS=aifabd_rdma
NS2=aifabd_rdma2
DEV=aifab_efa0

echo "TAP version 13"
if [ "$(id -u)" != 0 ] || [ -z "${AIFAB_KO:-}" ] || [ -z "$D" ] ||
   ! command -v rdma >/dev/null || ! command -v ip >/dev/null ||
   ! command -v ibv_devinfo >/dev/null; then
	skip_all "needs root, AIFAB_KO (tools/vm-run), rdma, ip, ibv_devinfo and aifabd built"
fi
TMP=$(mktemp -d)
held=

# The mode changes only while no other network namespace is alive.
set_mode()
{
	local _

	for _ in $(seq 50); do
		rdma system set netns "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	return 1
}

cleanup()
{
	[ -z "$held" ] || kill "$held" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	ip netns del "$NS2" 2>/dev/null
	set_mode shared
	rm -rf "$TMP"
}
trap cleanup EXIT
echo "1..10"

run_d()
{
	"$D" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

detail()
{
	echo "exit $rc; stdout: $(cat "$TMP/out"); stderr: $(cat "$TMP/err"); init: $(rdma dev | tr '\n' ' ')"
}

# in_ns NS: does namespace NS ("" the initial one) list $DEV?
in_ns()
{
	if [ -n "$1" ]; then
		ip netns exec "$1" rdma dev | grep -q "$DEV:"
	else
		rdma dev | grep -q "$DEV:"
	fi
}

# config TENANT_NETNS WITH_PARTITION
config()
{
	cat <<YAML
tenants:
- name: acme
  netns: $1
YAML
	[ "$2" = 1 ] && cat <<YAML
partitions:
- name: red
  tenant: acme
  devices: [accel0, efa0]
YAML
}

rmmod aifab 2>/dev/null
insmod "$AIFAB_KO" || { echo "Bail out! cannot load $AIFAB_KO"; exit 1; }
set_mode shared || { echo "Bail out! rdma system set netns shared failed"; exit 1; }
ip netns add "$NS" || { echo "Bail out! ip netns add $NS failed"; exit 1; }
config "$NS" 1 >"$TMP/red.yaml"
config "$NS" 0 >"$TMP/none.yaml"
config "$NS2" 1 >"$TMP/red2.yaml"

# 1: shared mode: the partition is made and bound, nothing moves, and the
# info log says why.
run_d --config "$TMP/red.yaml" --once --log-level info
[ $rc = 0 ] && grep -q "^partition add red" "$TMP/out" &&
	! grep -q "rdma dev set" "$TMP/out" &&
	grep -q "rdma: device efa0 of partition red stays in every network namespace.*netns mode is shared" "$TMP/err" &&
	in_ns "" && in_ns "$NS"
check $? "shared mode: nothing moves, and the log says why" "$(detail)"

run_d --config "$TMP/none.yaml" --once
ip netns del "$NS"
# 2
set_mode exclusive && ip netns add "$NS" && ip netns add "$NS2"
check $? "rdma system set netns exclusive" "$(rdma system show)"

# 3: a dry run names the move and makes none.
run_d --config "$TMP/red.yaml" --dry-run
[ $rc = 0 ] &&
	grep -q "^rdma dev set $DEV netns $NS  # device efa0 ($DEV) of partition red: into tenant acme's netns $NS, from the initial netns" "$TMP/out" &&
	in_ns "" && ! in_ns "$NS"
check $? "--dry-run prints the move after the partition and moves nothing" "$(detail)"

# 4: --once moves it; the other device stays.
run_d --config "$TMP/red.yaml" --once
[ $rc = 0 ] && grep -q "applied 2 operations" "$TMP/out" &&
	in_ns "$NS" && ! in_ns "" && rdma dev | grep -q aifab_efa1:
check $? "--once moves $DEV into the tenant's namespace and out of the initial one" "$(detail)"

# 5: libibverbs opens it there (the partition admits that namespace).
ip netns exec "$NS" ibv_devinfo -d "$DEV" >"$TMP/info" 2>&1 &&
	grep -q PORT_ACTIVE "$TMP/info"
check $? "ibv_devinfo -d $DEV works inside the namespace" "$(cat "$TMP/info")"

# 6: nothing more to do.
run_d --config "$TMP/red.yaml" --once
[ $rc = 0 ] && [ "$(cat "$TMP/out")" = "nothing to change" ]
check $? "a second pass has nothing to do" "$(detail)"

# 7: a new binding: the kernel rebinds, then the device follows.
run_d --config "$TMP/red2.yaml" --once
[ $rc = 0 ] && grep -q "^partition set red netns $NS2" "$TMP/out" &&
	grep -q "^rdma dev set $DEV netns $NS2 .*from netns $NS$" "$TMP/out" &&
	in_ns "$NS2" && ! in_ns "$NS"
check $? "a new binding moves it from the old namespace to the new one" "$(detail)"

# 8: a member open in the namespace: the kernel refuses to delete the
# partition (EBUSY), so the device does not move and its user keeps it.
ip netns exec "$NS2" timeout 60 ibv_ud_pingpong -d "$DEV" -g 0 -p 18610 \
	>"$TMP/held" 2>&1 &
held=$!
for _ in $(seq 50); do
	grep -q '^efa_qp 1$' /sys/kernel/debug/aifab/objects && break
	sleep 0.2
done
run_d --config "$TMP/none.yaml" --once
[ $rc = 1 ] &&
	grep -q "^aifabd: operation 1 of 2 (partition del red) failed: Device or resource busy" "$TMP/err" &&
	in_ns "$NS2" && kill -0 "$held" 2>/dev/null
check $? "an open member: the partition stays, the device does not move" "$(detail)"
kill "$held" 2>/dev/null
wait "$held" 2>/dev/null
held=

# 9: the partition goes: its device comes home, after the delete.
run_d --config "$TMP/none.yaml" --once
[ $rc = 0 ] && grep -q "^partition del red" "$TMP/out" &&
	grep -q "^rdma dev set $DEV netns /proc/1/ns/net  # device efa0 ($DEV): back to the initial netns from netns $NS2, in no partition" "$TMP/out" &&
	in_ns "" && ! in_ns "$NS2"
check $? "removing the partition sends $DEV home" "$(detail)"

# 10: the mode back to shared, as the other tests expect it.
ip netns del "$NS"
ip netns del "$NS2"
set_mode shared && rdma system show | grep -q "netns shared"
check $? "rdma system set netns shared again" "$(rdma system show)"

[ "$failed" = 0 ]
