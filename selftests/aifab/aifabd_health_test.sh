#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# aifabd's link-health policy through the real daemon and module, in TAP.
# The fabric is the configuration's own: a ring of four accelerators, where
# red = {accel0, accel1} can be rerouted round the ring when l01 dies, and
# a pair joined by one link, where blue = {accel4, accel5} cannot when l45
# does. Each policy runs in a daemon of its own:
# - reroute: red stays up and says which way it now goes, without any
#   admin change; blue falls back to degraded naming the pair; a link that
#   comes back is damped, then up, and red's reason returns to normal; the
#   decisions are in the status file and in the log;
# - a flapping link stays damped and costs red few transitions;
# - a degraded link (drops over the threshold) marks red degraded;
# - degrade: red degraded, still up in the kernel;
# - down: red down in the kernel (routes refused with partition-down), and
#   up again after damping; blue, taken down by an operator, is left
#   alone;
# - a restart keeps a partition the policy took down, and brings it up
#   when its link recovers; a malformed state file is refused with a
#   message, and the daemon starts afresh.
#
# Runs as root inside tools/vm-run (AIFAB_KO names the module), which it
# reloads before each daemon so that the fabric starts empty. The daemon
# runs as "aifabd --foreground --config F --run-dir D --state-dir S
# --log-level debug"; health is read from D/status.json.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tap_helpers.sh"
CTL=$(find_userspace aifabctl "${AIFABCTL:-}")
D=$(find_userspace aifabd "${AIFABD:-}")
TRAFFIC=/sys/kernel/debug/aifab/traffic
DAMP=6000

echo "TAP version 13"
if [ "$(id -u)" != 0 ] || [ -z "${AIFAB_KO:-}" ] || [ -z "$CTL" ] ||
   [ -z "$D" ] || ! command -v python3 >/dev/null; then
	skip_all "needs root, AIFAB_KO (tools/vm-run), python3, and aifabctl and aifabd built"
fi
TMP=$(mktemp -d)
DPID=
stop_daemon()
{
	[ -z "$DPID" ] || kill "$DPID" 2>/dev/null
	[ -z "$DPID" ] || wait "$DPID" 2>/dev/null
	DPID=
}
cleanup()
{
	stop_daemon
	rm -rf "$TMP"
}
trap cleanup EXIT
echo "1..20"

RUN=$TMP/run
STATE=$TMP/state
LOG=$TMP/aifabd.log
mkdir -p "$RUN" "$STATE"

reload()
{
	rmmod aifab 2>/dev/null
	insmod "$AIFAB_KO"
}

# config POLICY: the fabric, red and blue, and the health section.
config()
{
	local i

	cat >"$TMP/aifab.yaml" <<-EOF
	topology:
	  nodes: [{name: n0, local: true}]
	  devices:
	EOF
	for i in 0 1 2 3 4 5; do
		echo "  - {name: accel$i, type: accel, node: n0, mem_bytes: 67108864}"
	done >>"$TMP/aifab.yaml"
	cat >>"$TMP/aifab.yaml" <<-EOF
	  links:
	  - {name: l01, kind: accel, a: accel0, b: accel1, speed_mbps: 1000}
	  - {name: l12, kind: accel, a: accel1, b: accel2, speed_mbps: 1000}
	  - {name: l23, kind: accel, a: accel2, b: accel3, speed_mbps: 1000}
	  - {name: l30, kind: accel, a: accel3, b: accel0, speed_mbps: 1000}
	  - {name: l45, kind: accel, a: accel4, b: accel5, speed_mbps: 1000}
	tenants:
	- {name: acme}
	partitions:
	- {name: red, tenant: acme, devices: [accel0, accel1]}
	- {name: blue, tenant: acme, devices: [accel4, accel5]}
	health:
	  degrade_ppm: 1000
	  flap_damping_ms: $DAMP
	  on_link_down: $1
	EOF
}

start_daemon()
{
	"$D" --foreground --config "$TMP/aifab.yaml" --run-dir "$RUN" \
		--state-dir "$STATE" --log-level debug 2>>"$LOG" &
	DPID=$!
}

# field KIND NAME KEY: one field of a link or partition in status.json.
field()
{
	python3 - "$RUN/status.json" "$1" "$2" "$3" <<-'EOF' 2>/dev/null
	import json, sys
	path, kind, name, key = sys.argv[1:]
	for item in json.load(open(path)).get(kind, []):
	    if item.get("name") == name:
	        print(item.get(key, ""))
	EOF
}

# wait_for KIND NAME STATE WHY-PART [KIND NAME STATE WHY-PART]...: until
# one reading of status.json says all of it, for at most 20 s. One python3
# start per look: under TCG it can cost seconds, so conditions that must
# hold at once are read at once.
wait_for()
{
	local end=$((SECONDS + 20))

	while [ "$SECONDS" -le "$end" ]; do
		python3 - "$RUN/status.json" "$@" <<-'EOF' 2>/dev/null && return 0
		import json, sys
		st = json.load(open(sys.argv[1]))
		want = sys.argv[2:]
		def ok(kind, name, state, why):
		    return any(i.get("name") == name and i.get("state") == state
		               and why in i.get("why", "") for i in st.get(kind, []))
		sys.exit(0 if all(ok(*want[i:i + 4])
		                  for i in range(0, len(want), 4)) else 1)
		EOF
		sleep 0.3
	done
	return 1
}

# What status.json says of one object, for failure messages.
said()
{
	echo "$1 $2: $(field "$1" "$2" state) ($(field "$1" "$2" why))"
}

admin_state()
{
	"$CTL" -j partition show "$1" | python3 -c \
		'import json, sys; d = json.load(sys.stdin); d = d[0] if isinstance(d, list) else d; print(d.get("admin_state", ""))'
}

# Transitions of partition NAME in the decisions ring.
decisions_of()
{
	python3 - "$RUN/status.json" "partition $1" <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))["decisions"]
	print(sum(1 for x in d if x["subject"] == sys.argv[2]))
	EOF
}

# --- reroute ---------------------------------------------------------------
reload
config reroute
start_daemon
wait_for partitions red up "" && wait_for partitions blue up ""
check $? "the daemon reports both partitions up" "$(said partitions red)"

"$CTL" link set l01 state down
wait_for partitions red up "rerouted: accel0->accel1 via l30,l23,l12"
check $? "reroute: red stays up and says which way it goes now" \
	"$(said partitions red)"
[ "$(admin_state red)" = up ]
check $? "reroute: red is not taken down in the kernel"

wait_for links l01 down ""
check $? "the dead link is down in the status" "$(said links l01)"

"$CTL" link set l45 state down
wait_for partitions blue degraded "no path from accel4 to accel5"
check $? "reroute: blue, with no other path, falls back to degraded" \
	"$(said partitions blue)"

"$CTL" link set l01 state up
wait_for links l01 damped "" partitions red up "link l01 down, rerouted"
check $? "a link that comes back is damped, and red keeps its reroute" \
	"$(said links l01); $(said partitions red)"
wait_for links l01 up "" && wait_for partitions red up "links of its routes are up"
check $? "after the damping time, the link and red are back to normal" \
	"$(said partitions red)"

[ "$(decisions_of blue)" -ge 2 ]
check $? "the decisions ring has blue's decisions"
grep -q "partition blue: degraded (link l45 down; no path from accel4 to accel5)" "$LOG"
check $? "each decision is logged with its reason" "$(tail -5 "$LOG")"

# A flapping link: red changes a few times, not once per flap.
"$CTL" link set l45 state up
before=$(decisions_of red)
"$CTL" link set l01 fault flap 200
sleep 3
flapping=$(field links l01 state)
"$CTL" link set l01 fault none
after=$(decisions_of red)
[ "$flapping" = damped ] || [ "$flapping" = down ]
check $? "a flapping link stays damped or down" "l01 $flapping"
[ $((after - before)) -le 4 ]
check $? "a flapping link costs red few transitions" \
	"$((after - before)) decisions in 3 s of 200 ms flaps"

# A degraded link: drops over the threshold.
wait_for partitions red up "links of its routes are up"
"$CTL" link set l01 fault drop 30
for _ in $(seq 5); do
	echo "accel0 accel1 1048576" >"$TRAFFIC" 2>/dev/null
	sleep 0.3
done
wait_for partitions red degraded "link l01 degraded: error rate over 1000 ppm"
check $? "a link over its error threshold degrades red" "$(said partitions red)"
"$CTL" link set l01 fault none
stop_daemon

# --- degrade ---------------------------------------------------------------
reload
rm -f "$STATE/health.json"
config degrade
start_daemon
wait_for partitions red up ""
"$CTL" link set l01 state down
wait_for partitions red degraded "link l01 down, policy degrade"
check $? "degrade: red is marked degraded" "$(said partitions red)"
[ "$(admin_state red)" = up ]
check $? "degrade: red stays up in the kernel"
stop_daemon

# --- down --------------------------------------------------------------------
reload
rm -f "$STATE/health.json"
config down
"$D" --once --config "$TMP/aifab.yaml" >/dev/null 2>&1
"$CTL" partition set blue state down	# an operator's, before the daemon
start_daemon
wait_for partitions blue down "taken down outside aifabd"
check $? "down: a partition an operator took down is reported as such" \
	"$(said partitions blue)"
"$CTL" link set l01 state down
wait_for partitions red down "link l01 down, policy down"
r=$?
[ "$(admin_state red)" = down ] && ! "$CTL" route get accel0 accel1 >/dev/null
check $((r + $?)) "down: red is taken down in the kernel and refuses routes" \
	"$(said partitions red); $("$CTL" route get accel0 accel1)"

# A restart in between: the state file remembers who took red down.
stop_daemon
[ -s "$STATE/health.json" ]
check $? "the daemon saves its health state" "$(ls -l "$STATE")"
start_daemon
wait_for partitions red down ""
"$CTL" link set l01 state up
"$CTL" link set l45 state down
sleep 0.2
"$CTL" link set l45 state up
wait_for partitions red up "links of its routes are up" && [ "$(admin_state red)" = up ]
check $? "after a restart, red comes back up when its link recovers" \
	"$(said partitions red); admin $(admin_state red)"
sleep $((DAMP / 1000 + 1))
[ "$(admin_state blue)" = down ] && wait_for partitions blue down "taken down outside aifabd"
check $? "down: the operator's partition is left down" \
	"$(said partitions blue); admin $(admin_state blue)"
stop_daemon

# --- a malformed state file ------------------------------------------------
echo '{"version": 1, "links": 7}' >"$STATE/health.json"
start_daemon
wait_for partitions red up ""
r=$?
grep -q "health.json: links: missing, or not an array; starting afresh" "$LOG"
check $((r + $?)) "a malformed state file is refused, and health starts afresh" \
	"$(grep health.json "$LOG" | tail -2)"
stop_daemon

[ "$failed" = 0 ]
