#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A partition's device nodes belong to its tenant's group, in TAP:
# - the platform device of each accelerator and EFA device shows its
#   partition and tenant (aifab_partition, aifab_tenant);
# - aifabd --once writes /run/aifab/tenants/TENANT for tenants with a
#   group, and the kernel sends a "change" uevent, with AIFAB_PARTITION and
#   AIFAB_TENANT, to the nodes of devices that join a partition;
# - with udev/72-aifab.rules, systemd-udevd gives the accelerator node and
#   the uverbs node of a partitioned device to its tenant's group (0660),
#   those of a tenant without group to root (0600), and leaves other
#   devices' nodes alone;
# - a new group for the tenant moves its nodes, and deleting the partition
#   gives them back what the stock rules give.
#
# Runs as root inside tools/vm-run (AIFAB_KO names the module), which it
# reloads first. The guest has no udevd: the test starts systemd-udevd with
# the rules in /run/udev/rules.d, and stops it at the end.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tap_helpers.sh"
CTL=$(find_userspace aifabctl "${AIFABCTL:-}")
D=$(find_userspace aifabd "${AIFABD:-}")
RULES=
for c in "$HERE/../../udev/72-aifab.rules" "$HERE/../udev/72-aifab.rules"; do
	[ -f "$c" ] && RULES=$c && break
done
UDEVD=$(find_bin /lib/systemd/systemd-udevd /usr/lib/systemd/systemd-udevd)

echo "TAP version 13"
if [ "$(id -u)" != 0 ] || [ -z "${AIFAB_KO:-}" ] || [ -z "$CTL" ] ||
   [ -z "$D" ] || [ -z "$RULES" ] || [ -z "$UDEVD" ] ||
   ! command -v udevadm >/dev/null || ! command -v groupadd >/dev/null; then
	skip_all "needs root, AIFAB_KO (tools/vm-run), systemd-udevd, groupadd, the rules, and aifabctl and aifabd built"
fi
TMP=$(mktemp -d)
UDEVD_STARTED=
MON=
cleanup()
{
	[ -z "$MON" ] || kill "$MON" 2>/dev/null
	if [ -n "$UDEVD_STARTED" ]; then
		udevadm control --exit 2>/dev/null
		rm -f /run/udev/rules.d/72-aifab.rules
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
echo "1..11"

reload()
{
	rmmod aifab 2>/dev/null
	insmod "$AIFAB_KO" && modprobe ib_uverbs
}

# The sysfs directory of a device node.
sys_of()
{
	printf '/sys/dev/char/%d:%d' "0x$(stat -c %t "$1")" "0x$(stat -c %T "$1")"
}

# The uverbs node of an RDMA device.
uverbs_of()
{
	local u

	for u in /sys/class/infiniband_verbs/uverbs*; do
		if [ "$(cat "$u/ibdev" 2>/dev/null)" = "$1" ]; then
			echo "/dev/infiniband/${u##*/}"
			return
		fi
	done
}

owner()
{
	stat -c %G:%a "$1"
}

# owners: the owner of each node under test, in one line.
owners()
{
	echo "$(owner "$A0") $(owner "$A1") $(owner "$U0") $(owner "$U1")"
}

settle()
{
	udevadm settle --timeout=60
}

detail()
{
	echo "owners now: $(owners); udevadm test of $A0:"
	udevadm test --action=change "$(sys_of "$A0")" 2>&1 | grep -i 'aifab\|GROUP\|MODE' | head -20
}

reload || { echo "Bail out! cannot load $AIFAB_KO"; exit 1; }
A0=$(cat /sys/class/aifab_dev/accel0/dev_node)
A1=$(cat /sys/class/aifab_dev/accel1/dev_node)
# The RDMA devices are made in the fabric's order: aifab_efaN is efaN.
U0=$(uverbs_of aifab_efa0)
U1=$(uverbs_of aifab_efa1)
if [ ! -c "$A0" ] || [ ! -c "$A1" ] || [ ! -c "$U0" ] || [ ! -c "$U1" ]; then
	echo "Bail out! device nodes missing: '$A0' '$A1' '$U0' '$U1'"
	exit 1
fi

# 1: the owner attributes, on the nodes' parent: empty while unpartitioned.
ok=0
for node in "$A0" "$U0"; do
	p=$(sys_of "$node")/device
	[ -f "$p/aifab_partition" ] && [ -f "$p/aifab_tenant" ] &&
		[ -z "$(cat "$p/aifab_partition")" ] && [ -z "$(cat "$p/aifab_tenant")" ] ||
		ok=1
done
check $ok "the nodes' platform devices show an empty partition and tenant"

# 2: udevd with the rules; the nodes' stock owners as a base line.
mkdir -p /run/udev/rules.d
cp "$RULES" /run/udev/rules.d/72-aifab.rules
groupadd -f aifab_t1 && groupadd -f aifab_t2
if ! udevadm control --ping 2>/dev/null; then
	"$UDEVD" --daemon >"$TMP/udevd.log" 2>&1 && UDEVD_STARTED=1
fi
udevadm control --reload
for node in "$A0" "$A1" "$U0" "$U1"; do
	udevadm trigger --action=add "$(sys_of "$node")"
done
settle
BASE=$(owners)
udevadm control --ping && [ -n "$BASE" ]
check $? "systemd-udevd runs with the rules; stock owners: $BASE"

# 3: aifabd writes the tenant files; the partitions appear.
cat >"$TMP/aifab.yaml" <<EOF
tenants:
- name: acme
  group: aifab_t1
- name: globex
partitions:
- name: red
  tenant: acme
  devices: [accel0, efa0]
- name: blue
  tenant: globex
  devices: [accel1]
EOF
udevadm monitor --kernel --property --subsystem-match=accel \
	--subsystem-match=drm --subsystem-match=infiniband_verbs \
	>"$TMP/mon" 2>&1 &
MON=$!
sleep 1
"$D" --once --config "$TMP/aifab.yaml" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc = 0 ] && [ "$(cat /run/aifab/tenants/acme)" = "AIFAB_GROUP=aifab_t1" ] &&
	[ ! -e /run/aifab/tenants/globex ] &&
	[ "$("$CTL" partition show red | grep -c accel0)" = 1 ]
check $? "aifabd --once writes /run/aifab/tenants/acme and makes the partitions" \
	"exit $rc: $(cat "$TMP/out" "$TMP/err")"

# 4: the attributes follow.
p0=$(sys_of "$A0")/device
pu=$(sys_of "$U0")/device
[ "$(cat "$p0/aifab_partition")" = red ] && [ "$(cat "$p0/aifab_tenant")" = acme ] &&
	[ "$(cat "$pu/aifab_partition")" = red ] && [ "$(cat "$pu/aifab_tenant")" = acme ] &&
	[ "$(cat "$(sys_of "$A1")/device/aifab_tenant")" = globex ] &&
	[ -z "$(cat "$(sys_of "$U1")/device/aifab_tenant")" ]
check $? "aifab_partition and aifab_tenant name each device's owner"

# 5: the kernel's change uevents, with the owner, to both nodes of efa0
# and accel0; none to efa1's.
settle
sleep 1
kill "$MON" 2>/dev/null
wait "$MON" 2>/dev/null
MON=
events()
{
	# The properties of each change event to $1's node, one line each.
	awk -v dev="$(basename "$(readlink -f "$(sys_of "$1")")")" '
		/^KERNEL\[/ { ev = ($2 == "change") && $3 ~ ("/" dev "$"); line = ""; next }
		ev && /^AIFAB_/ { line = line " " $0 }
		ev && /^$/ { print line; ev = 0 }' "$TMP/mon"
}
events "$A0" | grep -q ' AIFAB_PARTITION=red AIFAB_TENANT=acme' &&
	events "$U0" | grep -q ' AIFAB_PARTITION=red AIFAB_TENANT=acme' &&
	events "$A1" | grep -q ' AIFAB_PARTITION=blue AIFAB_TENANT=globex' &&
	[ -z "$(events "$U1")" ]
check $? "the kernel sends change uevents with AIFAB_PARTITION and AIFAB_TENANT" \
	"$(head -c 1500 "$TMP/mon")"

# 6: udev gave the nodes to the tenant's group; globex has none: root only.
settle
want1=${BASE##* }
[ "$(owner "$A0")" = aifab_t1:660 ] && [ "$(owner "$U0")" = aifab_t1:660 ] &&
	[ "$(owner "$A1")" = root:600 ] && [ "$(owner "$U1")" = "$want1" ]
check $? "partitioned nodes: acme's are aifab_t1 0660, globex's root 0600, efa1's stock" \
	"$(detail)"

# 7: a second pass changes nothing.
"$D" --once --config "$TMP/aifab.yaml" >"$TMP/out" 2>"$TMP/err"
rc=$?
settle
[ $rc = 0 ] && [ "$(owner "$A0")" = aifab_t1:660 ] && [ "$(owner "$U0")" = aifab_t1:660 ]
check $? "a second aifabd pass keeps the owners" "exit $rc; $(detail)"

# 8: a new group for acme: aifabd rewrites the file and re-triggers.
sed -i 's/group: aifab_t1/group: aifab_t2/' "$TMP/aifab.yaml"
"$D" --once --config "$TMP/aifab.yaml" >"$TMP/out" 2>"$TMP/err"
rc=$?
settle
[ $rc = 0 ] && [ "$(cat /run/aifab/tenants/acme)" = "AIFAB_GROUP=aifab_t2" ] &&
	[ "$(owner "$A0")" = aifab_t2:660 ] && [ "$(owner "$U0")" = aifab_t2:660 ] &&
	[ "$(owner "$A1")" = root:600 ]
check $? "a new group moves the tenant's nodes to it" "exit $rc; $(detail)"

# 9: devices leave a partition: back to the stock owners.
"$CTL" partition set red del dev efa0 && settle
[ "$(owner "$U0")" = "$(echo "$BASE" | cut -d' ' -f3)" ] &&
	[ "$(owner "$A0")" = aifab_t2:660 ] &&
	[ -z "$(cat "$pu/aifab_partition")" ]
check $? "a device that leaves its partition gets its stock owner back" "$(detail)"

# 10: deleting the partitions gives every node its stock owner back.
"$CTL" partition del red && "$CTL" partition del blue && settle
[ "$(owners)" = "$BASE" ]
check $? "deleted partitions: every node has its stock owner again ($BASE)" \
	"$(detail)"

# 11: a tenant without group and without partitions: its file goes.
cat >"$TMP/aifab.yaml" <<EOF
tenants:
- name: globex
EOF
"$D" --once --config "$TMP/aifab.yaml" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc = 0 ] && [ -d /run/aifab/tenants ] && [ -z "$(ls /run/aifab/tenants)" ]
check $? "a tenant no longer configured loses its file" "exit $rc: $(cat "$TMP/err")"

exit $((failed != 0))
