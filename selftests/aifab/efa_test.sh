#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The EFA-compatible RDMA devices, as unmodified rdma-core and libfabric
# see them, in TAP:
# - libibverbs lists one aifab_efaN per local EFA device, and libefa opens
#   it: ibv_devinfo shows the identity, the port and a non-zero GID;
# - the parent device looks like a PCI function with a bound driver, and
#   libfabric's efa provider finds every device;
# - the port follows the device's fabric links;
# - opening obeys the partition's network namespace, as accelerators do;
# - RC, which EFA does not have, fails cleanly;
# - stock ibv_ud_pingpong runs between the two devices, checking the data,
#   and the hardware counters, under EFA's names, count it;
# - libfabric's efa provider runs fi_pingpong over them, through the
#   devices (FI_EFA_ENABLE_SHM_TRANSFER=0), RDM and DGRAM;
# - killing processes mid-transfer frees every object they had;
# - rdma resource show lists the QPs; unloading the module with a device
#   open cuts the process off and leaves nothing behind;
# - RDMA namespaces: a device moves to another namespace even while a
#   process has it open (disassociated, its objects freed), and back;
# - a topology load removes and remakes the devices.
#
# Runs as root inside tools/vm-run.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tap_helpers.sh"
CTL=$(find_userspace aifabctl "${AIFABCTL:-}")

echo "TAP version 13"
if [ "$(id -u)" != 0 ] || [ -z "${AIFAB_KO:-}" ] || [ ! -x "$CTL" ] ||
   ! command -v ibv_devinfo >/dev/null; then
	skip_all "needs root, AIFAB_KO (tools/vm-run), aifabctl and ibverbs-utils"
fi
TMP=$(mktemp -d)
NSPID=
cleanup()
{
	[ -z "$NSPID" ] || kill "$NSPID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
echo "1..19"

modprobe ib_uverbs

ibv_devices >"$TMP/devs" 2>&1
[ "$(grep -c '^ *aifab_efa[0-9]' "$TMP/devs")" = 2 ] &&
	grep -Eq 'aifab_efa0[[:space:]]+0000000100000005' "$TMP/devs"
check $? "libibverbs lists two devices, with GUIDs from their fabric ids" "$(cat "$TMP/devs")"

ibv_devinfo -v -d aifab_efa0 >"$TMP/info" 2>&1
grep -q 'transport:.*unknown\|transport:.*(-1)\|transport:' "$TMP/info" &&
	grep -q 'vendor_id:.*0x1d0f' "$TMP/info" &&
	grep -q 'vendor_part_id:.*44801' "$TMP/info" &&
	grep -q 'max_qp:.*1024' "$TMP/info" &&
	grep -q 'state:.*PORT_ACTIVE' "$TMP/info" &&
	grep -q 'link_layer:.*Unspecified' "$TMP/info" &&
	grep -q 'GID\[  0\]:.*fd61:6966:6162:0000:0000:0001:0000:0005' "$TMP/info"
check $? "libefa opens the device: identity, limits, port and GID" "$(head -c 1500 "$TMP/info")"

dev=$(readlink -f /sys/class/infiniband/aifab_efa0/device)
drv=$(readlink -f "$dev/driver")
[[ $(basename "$dev") =~ ^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-9]$ ]] &&
	[ "$(basename "$drv")" = aifab-efa ] &&
	[ -r /sys/class/infiniband_verbs/abi_version ]
check $? "the parent is named like a PCI function and has a driver ($dev, $drv)"

FI_LOG_LEVEL=warn fi_info -p efa >"$TMP/fi" 2>&1
grep -q 'domain: aifab_efa0-rdm' "$TMP/fi" && grep -q 'domain: aifab_efa1-rdm' "$TMP/fi" &&
	grep -q 'domain: aifab_efa0-dgrm' "$TMP/fi"
check $? "libfabric's efa provider finds both devices, RDM and DGRAM" "$(head -c 1500 "$TMP/fi")"

for l in efa0-efa1 efa0-accel0 efa0-accel1; do
	"$CTL" link set $l state down
done
ibv_devinfo -d aifab_efa0 | grep -q 'state:.*PORT_DOWN' &&
	ibv_devinfo -d aifab_efa1 | grep -q 'state:.*PORT_ACTIVE'
st=$?
for l in efa0-efa1 efa0-accel0 efa0-accel1; do
	"$CTL" link set $l state up
done
ibv_devinfo -d aifab_efa0 | grep -q 'state:.*PORT_ACTIVE'
check $(( st || $? )) "the port is down while every link of the device is, and up again after"

start_netns
"$CTL" partition add pE tenant tE netns "/proc/$NSPID/ns/net" dev efa0
before=$(counter efa0 open_refused)
ibv_devinfo -d aifab_efa0 >"$TMP/out" 2>&1
st=$?
after=$(counter efa0 open_refused)
[ $st != 0 ] && [ "$after" = $((before + 1)) ]
check $? "opening from outside the partition's namespace is refused and counted" "st=$st open_refused $before -> $after: $(cat "$TMP/out")"

nsenter -t "$NSPID" -n ibv_devinfo -d aifab_efa0 >"$TMP/out" 2>&1 &&
	ibv_devinfo -d aifab_efa1 >/dev/null 2>&1
check $? "it opens from the namespace; other devices still open from anywhere" "$(cat "$TMP/out")"
"$CTL" partition del pE

ibv_rc_pingpong -d aifab_efa0 >"$TMP/out" 2>&1
st=$?
[ $st != 0 ] && grep -q "Couldn't create QP" "$TMP/out"
check $? "RC queue pairs, which EFA does not have, fail cleanly" "st=$st $(cat "$TMP/out")"

"$CTL" topology show >"$TMP/topo.yaml" && "$CTL" topology load "$TMP/topo.yaml" &&
	[ "$(ibv_devices | grep -c '^ *aifab_efa[0-9]')" = 2 ] &&
	ibv_devinfo -d aifab_efa1 | grep -q PORT_ACTIVE
check $? "a topology load removes and remakes the devices"

# Stock rdma-core: -c checks every received byte.
stat_of()
{
	rdma statistic show link "$1/1" | tr ' ' '\n' | grep -A1 -x "$2" | tail -n1
}
sends=$(stat_of aifab_efa1 send_wrs)
ip link set lo up
timeout 120 ibv_ud_pingpong -d aifab_efa0 -g 0 -c -n 50 >"$TMP/srv" 2>&1 &
srv=$!
for _ in $(seq 50); do
	ss -ltn 2>/dev/null | grep -q ':18515 ' && break
	sleep 0.2
done
timeout 120 ibv_ud_pingpong -d aifab_efa1 -g 0 -c -n 50 127.0.0.1 >"$TMP/cli" 2>&1
cst=$?
wait $srv
sst=$?
[ $cst = 0 ] && [ $sst = 0 ] && grep -q '50 iters' "$TMP/cli"
check $? "ibv_ud_pingpong runs between aifab_efa0 and aifab_efa1, data checked" "client $cst: $(cat "$TMP/cli"); server $sst: $(cat "$TMP/srv")"

after=$(stat_of aifab_efa1 send_wrs)
[ -n "$after" ] && [ "$after" -ge $((sends + 50)) ] &&
	[ "$(stat_of aifab_efa0 recv_wrs)" -ge 50 ] &&
	[ "$(stat_of aifab_efa0 rx_bytes)" -gt 0 ]
check $? "rdma statistic counts it: send_wrs $sends -> $after" "$(rdma statistic show link aifab_efa0/1)"

# libfabric, through the device rather than its shared-memory shortcut.
fi_pp()
{
	local ep=$1 port=$2

	FI_EFA_ENABLE_SHM_TRANSFER=0 timeout 120 fi_pingpong -p efa -e "$ep" \
		-d "aifab_efa0-${ep/dgram/dgrm}" -B "$port" -I 100 -S 1024 \
		>"$TMP/fsrv" 2>&1 &
	local srv=$!
	for _ in $(seq 50); do
		ss -ltn 2>/dev/null | grep -q ":$port " && break
		sleep 0.2
	done
	FI_EFA_ENABLE_SHM_TRANSFER=0 timeout 120 fi_pingpong -p efa -e "$ep" \
		-d "aifab_efa1-${ep/dgram/dgrm}" -P "$port" -I 100 -S 1024 \
		127.0.0.1 >"$TMP/fcli" 2>&1
	local cst=$?
	wait $srv
	[ $cst = 0 ] && [ $? = 0 ] && grep -q '1k *100' "$TMP/fcli"
}
sends=$(stat_of aifab_efa1 send_wrs)
fi_pp rdm 47600
check $? "fi_pingpong over the efa provider, RDM, 100 x 1 KiB" "$(cat "$TMP/fcli" "$TMP/fsrv")"
fi_pp dgram 47601
st=$?
after=$(stat_of aifab_efa1 send_wrs)
[ $st = 0 ] && [ "$after" -ge $((sends + 200)) ]
check $? "... and DGRAM; the devices carried it: send_wrs $sends -> $after" "$(cat "$TMP/fcli" "$TMP/fsrv")"

# Killed mid-transfer: every QP, CQ, region and mapping goes with them.
timeout 120 ibv_ud_pingpong -d aifab_efa0 -g 0 -p 18601 -n 100000000 >/dev/null 2>&1 &
srv=$!
for _ in $(seq 50); do
	ss -ltn 2>/dev/null | grep -q ':18601 ' && break
	sleep 0.2
done
timeout 120 ibv_ud_pingpong -d aifab_efa1 -g 0 -p 18601 -n 100000000 127.0.0.1 >/dev/null 2>&1 &
cli=$!
sleep 2
moving=$(stat_of aifab_efa1 send_wrs)
pkill -9 -x ibv_ud_pingpong
wait $srv $cli 2>/dev/null
for _ in $(seq 50); do
	grep -q '^efa_mmap 0$' /sys/kernel/debug/aifab/objects && break
	sleep 0.2
done
grep -Eq '^efa_(qp|cq|mr|ah|mmap) 0$' /sys/kernel/debug/aifab/objects &&
	[ "$(grep -Ec '^efa_(qp|cq|mr|ah|mmap) 0$' /sys/kernel/debug/aifab/objects)" = 5 ] &&
	[ "$moving" -gt "$after" ]
check $? "processes killed mid-transfer leave no QP, CQ, region or mapping (send_wrs $after -> $moving)" "$(cat /sys/kernel/debug/aifab/objects)"

# An open device: ib_core's resource tracking sees its QP.
timeout 60 ibv_ud_pingpong -d aifab_efa1 -g 0 -p 18602 >/dev/null 2>&1 &
held=$!
for _ in $(seq 50); do
	grep -q '^efa_qp 1$' /sys/kernel/debug/aifab/objects && break
	sleep 0.2
done
rdma resource show qp link aifab_efa1/1 >"$TMP/res" 2>&1
grep -q 'aifab_efa1/1 lqpn [0-9]* type UD state' "$TMP/res" ||
	grep -q 'aifab_efa1/1 lqpn [0-9]*.*type UD' "$TMP/res"
check $? "rdma resource show lists the open QP" "$(cat "$TMP/res")"
# Unloading cuts the open process off (ib_core disassociates it) rather
# than waiting for it: its objects go, and the module reports none left.
# A marker, not a line count: the log may be a full ring by now.
echo "efa_test: unloading with aifab_efa1 open" >/dev/kmsg
rmmod aifab 2>"$TMP/err"
rst=$?
dmesg | sed -n '/efa_test: unloading with aifab_efa1 open/,$p' >"$TMP/dm"
[ $rst = 0 ] && ! [ -e /sys/class/infiniband/aifab_efa1 ] &&
	grep -q 'aifab: unloaded, no live objects' "$TMP/dm"
st=$?
pkill -x ibv_ud_pingpong
wait $held 2>/dev/null
insmod "$AIFAB_KO" && [ -e /sys/class/infiniband/aifab_efa1 ]
check $(( st || $? )) "unloading with a device open cuts its process off, leaves no object behind, and loads again" "rmmod $rst: $(cat "$TMP/err" "$TMP/dm")"

# RDMA namespaces. Switching the mode needs no other namespace alive.
kill "$NSPID" 2>/dev/null
NSPID=
for _ in $(seq 50); do
	rdma system set netns exclusive 2>/dev/null && break
	sleep 0.2
done
ip netns add aifab_rdma &&
	timeout 60 ibv_ud_pingpong -d aifab_efa0 -g 0 -p 18600 >"$TMP/held" 2>&1 &
held=$!
for _ in $(seq 50); do
	grep -q '^efa_qp 1$' /sys/kernel/debug/aifab/objects && break
	sleep 0.2
done
rdma dev set aifab_efa0 netns aifab_rdma 2>"$TMP/err" &&
	! ibv_devices | grep -q aifab_efa0 &&
	ip netns exec aifab_rdma ibv_devices | grep -q aifab_efa0 &&
	grep -q '^efa_qp 0$' /sys/kernel/debug/aifab/objects &&
	ip netns exec aifab_rdma ibv_devinfo -d aifab_efa0 | grep -q PORT_ACTIVE
check $? "aifab_efa0 moves to another RDMA namespace while open: its user is cut off, its objects freed" "$(rdma system show; cat "$TMP/err"; ibv_devices; cat /sys/kernel/debug/aifab/objects)"
kill $held 2>/dev/null
wait $held 2>/dev/null

ip netns del aifab_rdma
for _ in $(seq 50); do
	ibv_devices | grep -q aifab_efa0 && break
	sleep 0.2
done
ibv_devices | grep -q aifab_efa0 &&
	grep -q '^efa_cq 0$' /sys/kernel/debug/aifab/objects
st=$?
for _ in $(seq 50); do
	rdma system set netns shared 2>/dev/null && break
	sleep 0.2
done
check $st "it comes back when the namespace goes" "$(ibv_devices; rdma system show)"

grep -q '^efa_dev 2$' /sys/kernel/debug/aifab/objects
check $? "the live-object counters see the two devices"

[ "$failed" = 0 ]
