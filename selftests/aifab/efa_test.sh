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
# - verbs not implemented yet fail with EOPNOTSUPP, loudly;
# - a topology load removes and remakes the devices.
#
# Runs as root inside tools/vm-run.

HERE=$(cd "$(dirname "$0")" && pwd)
CTL=${AIFABCTL:-$HERE/../userspace/aifabctl/aifabctl}

echo "TAP version 13"
if [ "$(id -u)" != 0 ] || [ -z "${AIFAB_KO:-}" ] || [ ! -x "$CTL" ] ||
   ! command -v ibv_devinfo >/dev/null; then
	echo "1..0 # SKIP needs root, AIFAB_KO (tools/vm-run), aifabctl and ibverbs-utils"
	exit 4
fi
TMP=$(mktemp -d)
NSPID=
cleanup()
{
	[ -z "$NSPID" ] || kill "$NSPID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
echo "1..10"

. "$HERE/tap_helpers.sh"

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

unshare -n sleep 600 &
NSPID=$!
sleep 0.2
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
check $? "verbs not implemented yet fail cleanly (queue pairs)" "st=$st $(cat "$TMP/out")"

"$CTL" topology show >"$TMP/topo.yaml" && "$CTL" topology load "$TMP/topo.yaml" &&
	[ "$(ibv_devices | grep -c '^ *aifab_efa[0-9]')" = 2 ] &&
	ibv_devinfo -d aifab_efa1 | grep -q PORT_ACTIVE
check $? "a topology load removes and remakes the devices"

grep -q '^efa_dev 2$' /sys/kernel/debug/aifab/objects
check $? "the live-object counters see the two devices"

[ "$failed" = 0 ]
