#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# aifabd --once and --dry-run against the real module, in TAP: reconcile
# from empty (partitions, a namespace binding, fences and link thresholds
# appear), a second pass is a no-op, drift is repaired and nothing else is
# touched, a dry run changes nothing, a bad configuration is refused with
# FILE:LINE:COLUMN and no change, a change the kernel refuses is reported
# with the operation and the kernel's message and rolled back, daemon
# options are refused with --once, and the embedded default adopts the
# topology the module was loaded with. The daemon has
# aifabd_daemon_test.sh.
#
# Runs as root inside tools/vm-run (AIFAB_KO names the module), which it
# reloads first so that the fabric starts empty. The kernel's state is
# compared as the text of "aifabctl -j partition show", "fence show" and
# "link show", normalised by one python3 call per check.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tap_helpers.sh"
CTL=$(find_userspace aifabctl "${AIFABCTL:-}")
D=$(find_userspace aifabd "${AIFABD:-}")
NS=aifabd_test

echo "TAP version 13"
if [ "$(id -u)" != 0 ] || [ -z "${AIFAB_KO:-}" ] || [ -z "$CTL" ] ||
   [ -z "$D" ] || ! command -v python3 >/dev/null; then
	skip_all "needs root, AIFAB_KO (tools/vm-run), python3, and aifabctl and aifabd built"
fi
TMP=$(mktemp -d)
HAVE_NS=
cleanup()
{
	[ -z "$HAVE_NS" ] || ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
echo "1..13"

reload()
{
	rmmod aifab 2>/dev/null
	insmod "$AIFAB_KO"
}

# The kernel's state in one normalised line: partitions with tenant,
# sorted members and whether bound; fences as sorted pairs; thresholds.
state()
{
	{
		"$CTL" -j partition show
		echo
		"$CTL" -j fence show
		echo
		"$CTL" -j link show
		echo
	} | python3 -c '
import json, sys
p, f, l = [json.loads(x) for x in sys.stdin.read().split("\n") if x]
print(sorted((o["name"], o["tenant"], sorted(o["devices"]),
              o["netns_cookie"] is not None) for o in p),
      sorted(sorted((o["a"], o["b"])) for o in f),
      sorted((o["name"], o["degrade_ppm"]) for o in l))'
}

# Runs aifabd: stdout in $TMP/out, stderr in $TMP/err, the status in $rc.
run_d()
{
	"$D" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

detail()
{
	echo "exit $rc; stdout: $(cat "$TMP/out"); stderr: $(cat "$TMP/err")"
}

reload || { echo "Bail out! cannot load $AIFAB_KO"; exit 1; }
if command -v ip >/dev/null && ip netns add "$NS" 2>/dev/null; then
	HAVE_NS=1
fi
NSLINE=
[ -z "$HAVE_NS" ] || NSLINE="  netns: $NS"

CFG=$TMP/aifab.yaml
cat >"$CFG" <<EOF
tenants:
- name: acme
$NSLINE
- name: globex
partitions:
- name: red
  tenant: acme
  devices: [accel0, accel1, efa0]
- name: blue
  tenant: globex
  devices: [accel2, accel3, efa1]
fences:
- [red, blue]
health:
  degrade_ppm: 1000
  links:
  - name: accel0-accel1
    degrade_ppm: 500
EOF

EMPTY=$(state)

# 1: options of the daemon are refused for one pass, before anything.
run_d --config "$CFG" --once --resync-interval 5
[ $rc = 2 ] && grep -q "are for the daemon, not --once" "$TMP/err" &&
	[ "$(state)" = "$EMPTY" ]
check $? "daemon options with --once are refused (exit 2) and change nothing" "$(detail)"

# 2: a dry run from empty lists the work and does none of it.
run_d --config "$CFG" --dry-run
[ $rc = 0 ] && grep -q "^partition add red tenant acme dev accel0 accel1 efa0" "$TMP/out" &&
	grep -q "^fence add red blue" "$TMP/out" && [ "$(state)" = "$EMPTY" ]
check $? "--dry-run prints the plan and changes nothing" "$(detail)"

# 3: reconcile from empty.
run_d --config "$CFG" --once
FULL=$(state)
bound=False
[ -z "$HAVE_NS" ] || bound=True
want_red="('red', 'acme', ['accel0', 'accel1', 'efa0'], $bound)"
[ $rc = 0 ] && [[ $FULL == *"$want_red"* ]] &&
	[[ $FULL == *"('blue', 'globex', ['accel2', 'accel3', 'efa1'], False)"* ]] &&
	[[ $FULL == *"[['blue', 'red']]"* ]] &&
	[[ $FULL == *"('accel0-accel1', 500)"* ]] && [[ $FULL == *"('efa0-efa1', 1000)"* ]]
check $? "--once from empty creates partitions, fence and thresholds" "$(detail); state: $FULL"

# 4: the namespace binding is read back by name, not only set.
if [ -n "$HAVE_NS" ]; then
	cookie=$("$CTL" -j partition show red | python3 -c \
		'import json, sys; print(json.load(sys.stdin)[0]["netns_cookie"])')
	[ "$cookie" != None ] && [ -n "$cookie" ]
	check $? "red is bound to /run/netns/$NS" "cookie $cookie"
else
	n=$((n + 1))
	echo "ok $n # SKIP no ip(8) or ip netns add failed"
fi

# 5, 6: a second pass has nothing to do.
run_d --config "$CFG" --dry-run
[ $rc = 0 ] && [ "$(cat "$TMP/out")" = "nothing to change" ]
check $? "--dry-run after reconcile: nothing to change" "$(detail)"
run_d --config "$CFG" --once
[ $rc = 0 ] && [ "$(cat "$TMP/out")" = "nothing to change" ] && [ "$(state)" = "$FULL" ]
check $? "--once again is a no-op" "$(detail)"

# 7, 8: drift behind aifabd's back is repaired, and only it.
"$CTL" partition set red del dev accel1
run_d --config "$CFG" --dry-run
[ $rc = 0 ] && [ "$(grep -vc '^$' "$TMP/out")" = 1 ] &&
	grep -q "^partition set red add dev accel1  # " "$TMP/out"
check $? "drift: the plan is the one missing member" "$(detail)"
run_d --config "$CFG" --once
[ $rc = 0 ] && [ "$(state)" = "$FULL" ] && grep -q "applied 1 operation$" "$TMP/out"
check $? "drift: --once restores it" "$(detail); state: $(state)"

# 9: a dry run with drift pending changes nothing.
"$CTL" fence del red blue
DRIFT=$(state)
run_d --config "$CFG" --dry-run
[ $rc = 0 ] && grep -q "^fence add red blue" "$TMP/out" && [ "$(state)" = "$DRIFT" ]
check $? "--dry-run with drift pending changes nothing" "$(detail)"

# 10: a bad configuration is refused where it is wrong, with no change.
BAD=$TMP/bad.yaml
sed 's/^  tenant: globex$/  tenant: initech/' "$CFG" >"$BAD"
line=$(grep -n 'tenant: initech' "$BAD" | cut -d: -f1)
run_d --config "$BAD" --once
[ $rc = 1 ] && grep -Eq "^$BAD:$line:[0-9]+: .*initech" "$TMP/err" &&
	grep -q "nothing applied" "$TMP/err" && [ ! -s "$TMP/out" ] &&
	[ "$(state)" = "$DRIFT" ]
check $? "a bad config is refused with FILE:LINE:COLUMN and nothing changes" "$(detail)"

# 11: a change the kernel refuses names the operation and the reason, and
# what came before it is rolled back: the kernel is as it was.
GONE=$TMP/gone.yaml
sed 's/devices: \[accel2, accel3, efa1\]/devices: [accel2, nosuchdev]/' "$CFG" >"$GONE"
run_d --config "$GONE" --once
[ $rc = 1 ] && grep -q "^aifabd: operation [0-9]* of [0-9]* (partition .*nosuchdev.*) failed: .*no such device" "$TMP/err" &&
	grep -q "^aifabd: rolled back: partition set blue add dev accel3 efa1" "$TMP/err" &&
	grep -q "the kernel is as it was" "$TMP/err" && [ "$(state)" = "$DRIFT" ]
check $? "a refused operation is reported with the kernel's message and rolled back" "$(detail); state: $(state)"

# 12: and the right configuration then converges from wherever that left.
run_d --config "$CFG" --once
[ $rc = 0 ] && [ "$(state)" = "$FULL" ]
check $? "the next --once converges" "$(detail); state: $(state)"

# 13: without a file, the embedded default adopts the topology the module
# built from its parameters, whatever they were: the devices and links stay
# as the module made them, and the only work is the default health
# policy's degrade threshold on each link; a second pass has none.
if [ -e /etc/aifab/aifab.yaml ]; then
	n=$((n + 1))
	echo "ok $n # SKIP /etc/aifab/aifab.yaml exists, so the default is not in force"
else
	rmmod aifab 2>/dev/null
	insmod "$AIFAB_KO" accels=6 efas=3
	topo()
	{
		"$CTL" -j dev show
		"$CTL" -j link show | python3 -c '
import json, sys
print(sorted((o["name"], o["a"], o["b"]) for o in json.load(sys.stdin)))'
	}
	before=$(topo)
	links=$("$CTL" -j link show | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
	run_d --once
	plan=$(grep -c . "$TMP/out")
	thresholds=$(grep -c "^link set [^ ]* degrade-threshold 1000  # " "$TMP/out")
	first=$(detail)
	run_d --once
	[ $rc = 0 ] && [ "$links" -gt 0 ] && [ "$thresholds" = "$links" ] &&
		[ "$plan" = $((links + 1)) ] && grep -q "applied $links operations" <<<"$first" &&
		[ "$(cat "$TMP/out")" = "nothing to change" ] &&
		[[ $before == *'"efa2"'* ]] && [[ $before == *'"accel5"'* ]] &&
		[ "$(topo)" = "$before" ]
	check $? "the embedded default keeps the module's topology (accels=6 efas=3)" "first: $first; then: $(detail); $links links"
fi
reload
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
