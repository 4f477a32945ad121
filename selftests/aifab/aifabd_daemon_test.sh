#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# aifabd as a daemon against the real module, in TAP:
# - it reconciles from empty, keeps a pid file, a root-only control socket
#   and a status file, and refuses a second daemon on the same run dir;
# - drift behind its back (a partition deleted, a stray partition) is
#   repaired within seconds, a stray fence by the periodic resync, and its
#   own changes do not make it spin;
# - reloads by SIGHUP and by "aifabctl reload" add partitions while an
#   unchanged partition carries ibv_ud_pingpong traffic, which sees no
#   error, and that partition keeps its id;
# - a bad configuration on reload is refused with FILE:LINE:COLUMN, changes
#   nothing and the daemon goes on; a reload the kernel refuses midway is
#   rolled back and the reply says what failed and what was undone;
# - garbage and non-root peers on the control socket get an error reply;
# - SIGTERM leaves the kernel as it is and removes the status file, and a
#   restart under traffic plans nothing.
#
# Runs as root inside tools/vm-run (AIFAB_KO names the module), which it
# reloads first so that the fabric starts empty.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tap_helpers.sh"
CTL=$(find_userspace aifabctl "${AIFABCTL:-}")
D=$(find_userspace aifabd "${AIFABD:-}")
NS=aifabd_dt
RESYNC=3

echo "TAP version 13"
if [ "$(id -u)" != 0 ] || [ -z "${AIFAB_KO:-}" ] || [ -z "$CTL" ] ||
   [ -z "$D" ] || ! command -v python3 >/dev/null ||
   ! command -v ibv_ud_pingpong >/dev/null; then
	skip_all "needs root, AIFAB_KO (tools/vm-run), python3, ibv_ud_pingpong, and aifabctl and aifabd built"
fi
TMP=$(mktemp -d)
RUN=$TMP/run
STATE=$TMP/state
LOG=$TMP/aifabd.log
DPID=
TPID=
HAVE_NS=
cleanup()
{
	[ -z "$TPID" ] || kill "$TPID" 2>/dev/null
	[ -z "$DPID" ] || kill "$DPID" 2>/dev/null
	wait 2>/dev/null
	[ -z "$HAVE_NS" ] || ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
echo "1..22"

# Each result with the time it was reached: TCG is slow, and this shows
# where the time goes.
tcheck()
{
	check "$@"
	echo "# ${SECONDS}s"
}

reload_module()
{
	rmmod aifab 2>/dev/null
	insmod "$AIFAB_KO"
}

# Partitions as one normalised line: name, tenant, members, bound or not.
parts()
{
	"$CTL" -j partition show | python3 -c '
import json, sys
print(sorted((o["name"], o["tenant"], sorted(o["devices"]),
              o["netns_cookie"] is not None) for o in json.load(sys.stdin)))'
}

# The kernel's state: partitions, fences, thresholds.
state()
{
	echo "$(parts) $("$CTL" -j fence show) $("$CTL" -j link show |
		python3 -c 'import json, sys
print(sorted((o["name"], o["degrade_ppm"]) for o in json.load(sys.stdin)))')"
}

part_id()
{
	"$CTL" -j partition show "$1" 2>/dev/null | python3 -c \
		'import json, sys; print(json.load(sys.stdin)[0]["id"])' 2>/dev/null
}

# status.json's field: status_field 'doc["last_reconcile"]["ok"]'.
status_field()
{
	python3 -c 'import json, sys
doc = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$RUN/status.json" "$1" 2>/dev/null
}

link_state()
{
	status_field "[l['state'] for l in doc['links'] if l['name'] == '$1'][0]"
}

# wait_for SECONDS CMD...: poll CMD every 0.2 s; its status in the end.
wait_for()
{
	local end=$((SECONDS + $1))

	shift
	while ! "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.2
	done
}

# start_d: aifabd in the foreground, in the background; its log
# goes on at the end of $LOG.
start_d()
{
	"$D" --config "$CFG" --foreground --log-level debug --run-dir "$RUN" \
		--state-dir "$STATE" --resync-interval $RESYNC >>"$LOG" 2>&1 &
	DPID=$!
	wait_for 60 test -S "$RUN/aifabd.sock"
}

stop_d()
{
	kill -TERM "$DPID"
	wait "$DPID"
	drc=$?
	DPID=
}

log_tail()
{
	tail -n 30 "$LOG" | tr '\n' '|'
}

# ibv_ud_pingpong rounds between aifab_efa0 and aifab_efa1 (both in red)
# until $TMP/stop exists; each round's status goes to $TMP/rounds.
traffic_round()
{
	local port=$1 srv st

	timeout 120 ibv_ud_pingpong -d aifab_efa0 -g 0 -p "$port" -n 100 \
		>"$TMP/srv.out" 2>&1 &
	srv=$!
	for _ in $(seq 100); do
		ss -ltn 2>/dev/null | grep -q ":$port " && break
		sleep 0.1
	done
	timeout 120 ibv_ud_pingpong -d aifab_efa1 -g 0 -p "$port" -n 100 \
		127.0.0.1 >"$TMP/cli.out" 2>&1
	st=$?
	wait $srv
	st="$st/$?"
	echo "$st" >>"$TMP/rounds"
	[ "$st" = 0/0 ] || cat "$TMP/srv.out" "$TMP/cli.out" >>"$TMP/tfail"
}

traffic_start()
{
	rm -f "$TMP/stop" "$TMP/rounds" "$TMP/tfail"
	: >"$TMP/rounds"
	(
		i=0
		while [ ! -e "$TMP/stop" ]; do
			traffic_round $((18700 + i % 40))
			i=$((i + 1))
		done
	) &
	TPID=$!
	# Under way: one round done.
	wait_for 120 test -s "$TMP/rounds"
}

# Stops after at least $1 more rounds; then every round must have been 0/0.
traffic_stop()
{
	local want=$(($(wc -l <"$TMP/rounds") + $1))

	wait_for 300 eval '[ "$(wc -l <"$TMP/rounds")" -ge '"$want"' ]'
	touch "$TMP/stop"
	wait "$TPID"
	TPID=
	nrounds=$(wc -l <"$TMP/rounds")
	! grep -qv '^0/0$' "$TMP/rounds"
}

reload_module || { echo "Bail out! cannot load $AIFAB_KO"; exit 1; }
ip link set lo up
if command -v ip >/dev/null && ip netns add "$NS" 2>/dev/null; then
	HAVE_NS=1
fi

CFG=$TMP/aifab.yaml
write_cfg()
{
	cat >"$CFG" <<EOF
tenants:
- name: acme
${ACME_NS:+  netns: $ACME_NS}
- name: globex
partitions:
- name: red
  tenant: acme
  devices: [accel0, accel1, efa0, efa1]
- name: blue
  tenant: globex
  devices: [accel2]
$EXTRA
EOF
}
EXTRA=
write_cfg

# 1: from empty, with a run dir that does not exist yet.
T_START=$SECONDS
start_d
RED="('red', 'acme', ['accel0', 'accel1', 'efa0', 'efa1'], False)"
BLUE="('blue', 'globex', ['accel2'], False)"
wait_for 30 test -s "$RUN/status.json"
P=$(parts)
[[ $P == *"$RED"* ]] && [[ $P == *"$BLUE"* ]] && kill -0 "$DPID" 2>/dev/null
tcheck $? "the daemon reconciles from empty: red and blue as configured" "$P; $(log_tail)"

# 2: its files: pid, socket 0600, status 0644 with the first reconcile.
[ "$(cat "$RUN/aifabd.pid")" = "$DPID" ] &&
	[ "$(stat -c %a "$RUN/aifabd.sock")" = 600 ] &&
	[ "$(stat -c %a "$RUN/status.json")" = 644 ] &&
	[ "$(status_field 'doc["version"], doc["pid"], doc["last_reconcile"]["ok"]')" = "(1, $DPID, True)" ] &&
	[ "$(stat -c %a "$STATE")" = 750 ] && cmp -s "$CFG" "$STATE/applied.yaml" &&
	grep -q '"config_hash":"fnv1a64:' <(tr -d ' \n' <"$STATE/daemon.json")
tcheck $? "pid file, 0600 socket, 0644 status.json, state dir 0750 with applied.yaml and daemon.json" \
	"$(ls -l "$RUN" "$STATE"); $(cat "$RUN/status.json" | head -c 600)"

# 3: a second daemon on the same run dir is refused, clearly.
"$D" --config "$CFG" --foreground --run-dir "$RUN" --state-dir "$STATE" \
	>"$TMP/second" 2>&1
rc=$?
[ $rc = 1 ] && grep -q "another aifabd (pid $DPID) is running: $RUN/aifabd.pid is locked" "$TMP/second" &&
	kill -0 "$DPID" && [ "$(cat "$RUN/aifabd.pid")" = "$DPID" ]
tcheck $? "a second aifabd on the same run dir is refused (exit 1)" "exit $rc: $(cat "$TMP/second")"

# 4: drift: red deleted behind its back comes back within seconds.
FULL=$(state)
t0=$SECONDS
"$CTL" partition del red
wait_for 10 eval '"$CTL" partition show red >/dev/null 2>&1'
took=$((SECONDS - t0))
[ "$(state)" = "$FULL" ]
tcheck $? "a deleted partition is restored, in ${took}s" "$(state); $(log_tail)"

# 5: a stray partition goes.
t0=$SECONDS
"$CTL" partition add stray tenant nobody dev accel3
wait_for 10 eval '! "$CTL" partition show stray >/dev/null 2>&1'
took=$((SECONDS - t0))
[ "$(state)" = "$FULL" ]
tcheck $? "a stray partition is removed, in ${took}s" "$(state); $(log_tail)"

# 6: fences raise no event: the periodic resync finds a stray one.
t0=$SECONDS
"$CTL" fence add red blue
wait_for $((RESYNC * 3)) eval '[ "$("$CTL" -j fence show)" = "[]" ]'
took=$((SECONDS - t0))
[ "$(state)" = "$FULL" ] &&
	grep -q "fence del red blue  # fence red-blue: not in the configuration" "$LOG"
tcheck $? "a stray fence is removed by the periodic resync, in ${took}s" "$(state); $(log_tail)"

# 7: no spin: idle, only the resync reconciles, each finding nothing.
sleep 1
r0=$(status_field 'doc["reconciles"]')
sleep $((RESYNC * 3))
r1=$(status_field 'doc["reconciles"]')
n_applied=$(grep -c "applied [0-9]* operation" "$LOG")
sleep 1
[ -n "$r0" ] && [ -n "$r1" ] && [ $((r1 - r0)) -ge 1 ] && [ $((r1 - r0)) -le 5 ] &&
	[ "$(grep -c "applied [0-9]* operation" "$LOG")" = "$n_applied" ] &&
	[ "$(state)" = "$FULL" ]
tcheck $? "idle for $((RESYNC * 3)) s: $((r1 - r0)) reconciles (resync only), nothing applied" "$r0 -> $r1"

# 8: each change converged, and nothing ran away: besides one reconcile
# per resync, each change brought at most its own and the one its events
# caused (a few more for events that straddle a resync).
total=$(status_field 'doc["reconciles"]')
applied=$(grep -c "aifabd\[notice\]: reconcile [0-9]*: applied" "$LOG")
bound=$(((SECONDS - T_START) / RESYNC + 1 + 3 * applied + 3))
[ -n "$total" ] && [ "$applied" -le 5 ] && [ "$total" -le "$bound" ] &&
	grep -q "reconcile [0-9]*: nothing to change" "$LOG"
tcheck $? "converges without spinning: $total reconciles (at most $bound), $applied of them applied changes" "$(log_tail)"

# 9: health show reads the status file, which the health engine fills.
"$CTL" health show --run-dir "$RUN" >"$TMP/health" 2>&1 &&
	grep -Eq "^red +up +[0-9T:-]+Z +the links of its routes are up$" "$TMP/health" &&
	grep -Eq "^efa0-efa1 +up +[0-9T:-]+Z +the kernel reports it up$" "$TMP/health" &&
	"$CTL" health show -j --run-dir "$RUN" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert sorted(p["name"] for p in d["partitions"]) == ["blue", "red"]
assert any(l["name"] == "efa0-efa1" and l["state"] == "up" for l in d["links"])
assert all(set(x) == {"time", "subject", "decision", "why"} for x in d["decisions"])'
tcheck $? "aifabctl health show, text and -j" "$(cat "$TMP/health")"

# 10: a link-state event reaches the status file.
"$CTL" link set efa0-accel0 state down
wait_for 10 eval '[ "$(link_state efa0-accel0)" = down ]'
st=$?
"$CTL" link set efa0-accel0 state up
wait_for 10 eval '[ "$(link_state efa0-accel0)" = up ]' &&
	[ $st = 0 ] && grep -q "aifabd\[info\]: link efa0-accel0: down" "$LOG"
tcheck $? "link-state events are logged and reach status.json" "$(log_tail)"

# 11-12: reload by SIGHUP, then by aifabctl reload, under traffic in red.
RED_ID=$(part_id red)
traffic_start
EXTRA="- name: green
  tenant: globex
  devices: [accel3]"
write_cfg
kill -HUP "$DPID"
wait_for 30 eval '[ -n "$(part_id green)" ]'
st=$?
EXTRA="$EXTRA
- name: yellow
  tenant: globex"
write_cfg
"$CTL" reload --run-dir "$RUN" >"$TMP/reload" 2>&1
rc=$?
traffic_stop 2
tst=$?
[ $st = 0 ] && [ -n "$(part_id green)" ] && grep -q "reload (SIGHUP)" "$LOG"
tcheck $? "SIGHUP reload adds partition green" "$(log_tail)"
[ $rc = 0 ] && grep -q "^partition add yellow tenant globex  # partition yellow: new$" "$TMP/reload" &&
	grep -q "^aifabd: applied 1 operation$" "$TMP/reload" && [ -n "$(part_id yellow)" ]
tcheck $? "aifabctl reload adds yellow and prints the plan (exit 0)" "exit $rc: $(cat "$TMP/reload")"

# 13: red was never touched: same id, and the traffic saw no error.
[ $tst = 0 ] && [ "$nrounds" -ge 3 ] && [ "$(part_id red)" = "$RED_ID" ] &&
	! sed -n '/reload (SIGHUP)/,$p' "$LOG" | grep -Eq "\[notice\]: partition (add|del|set) red "
tcheck $? "red kept id $RED_ID and $nrounds ibv_ud_pingpong rounds all passed across both reloads" \
	"$(cat "$TMP/rounds" | tr '\n' ' '); $(head -c 800 "$TMP/tfail" 2>/dev/null)"

# 14: a bad configuration on reload changes nothing and the daemon goes on.
GOOD=$(state)
cp "$CFG" "$TMP/good.yaml"
sed -i 's/^  tenant: globex$/  tenant: initech/' "$CFG"
line=$(grep -n 'tenant: initech' "$CFG" | head -n1 | cut -d: -f1)
"$CTL" reload --run-dir "$RUN" >"$TMP/reload" 2>&1
rc=$?
[ $rc = 1 ] && grep -Eq "^$CFG:$line:[0-9]+: .*initech" "$TMP/reload" &&
	[ "$(state)" = "$GOOD" ] && kill -0 "$DPID" &&
	grep -Eq "aifabd\[err\]: $CFG:$line:[0-9]+: " "$LOG"
tcheck $? "a bad config on reload: exit 1 with FILE:LINE:COLUMN, nothing changed, still running" \
	"exit $rc: $(cat "$TMP/reload")"

# 15: ... and the old configuration is still the one in force: drift is
# repaired to it.
"$CTL" partition del yellow
wait_for 10 eval '[ "$(state)" = "$GOOD" ]'
tcheck $? "after a refused reload, drift is repaired to the old configuration" "$(state)"
cp "$TMP/good.yaml" "$CFG"

# 16: garbage on the control socket gets an error reply; aifabd survives.
python3 - "$RUN/aifabd.sock" >"$TMP/garbage" 2>&1 <<'EOF'
import socket, sys, time

def call(msg, send=True):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(20)
    s.connect(sys.argv[1])
    if send:
        s.send(msg)
    out = []
    while True:
        m = s.recv(8192)
        if not m:
            break
        out.append(m)
        if m.startswith(b"status "):
            break
    s.close()
    return out

for msg in [b"bogus", b"reload\0junk", b"\xff\xfe\x00", b"x" * 100000,
            b"", b"status\n\n", b"RELOAD"]:
    r = call(msg)
    assert r and r[-1] == b"status error\n", (msg[:20], r)
# A client that sends nothing is closed after a while, not waited for.
t = time.time()
assert call(b"", send=False) == [], "silent client got a reply"
assert time.time() - t < 15
r = call(b"status")
assert r[-1] == b"status ok\n" and b'"version":1' in b"".join(r).replace(b" ", b"")
print("ok")
EOF
[ "$(cat "$TMP/garbage")" = ok ] && kill -0 "$DPID" && [ "$(state)" = "$GOOD" ]
tcheck $? "garbage and silence on the control socket get error replies or a timeout; aifabd survives" \
	"$(cat "$TMP/garbage")"

# 17: a peer that is not root is refused, even past the file mode.
chmod 755 "$TMP"
chmod 666 "$RUN/aifabd.sock"
setpriv --reuid=65534 --regid=65534 --clear-groups python3 - "$RUN/aifabd.sock" \
	>"$TMP/nonroot" 2>&1 <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.settimeout(20)
s.connect(sys.argv[1])
s.send(b"reload")
out = b""
while not out.endswith(b"status error\n"):
    m = s.recv(8192)
    if not m:
        break
    out += m
print(out.decode())
EOF
chmod 600 "$RUN/aifabd.sock"
chmod 700 "$TMP"
grep -q "permission denied: uid 65534" "$TMP/nonroot" && grep -q "^status error$" "$TMP/nonroot" &&
	[ "$(state)" = "$GOOD" ]
tcheck $? "a non-root peer gets a permission-denied error reply" "$(cat "$TMP/nonroot")"

# 18: a reload the kernel refuses midway is rolled back: a new partition is
# added, then binding red to a namespace fails because accel0 is open.
if [ -n "$HAVE_NS" ]; then
	exec 7<>"$(cat /sys/class/aifab_dev/accel0/dev_node)"
	ACME_NS=$NS
	EXTRA="$EXTRA
- name: orange
  tenant: globex"
	write_cfg
	"$CTL" reload --run-dir "$RUN" >"$TMP/reload" 2>&1
	rc=$?
	exec 7>&-
	[ $rc = 1 ] &&
		grep -q "^aifabd: operation 2 of 2 (partition set red netns $NS) failed: Device or resource busy: .*open" "$TMP/reload" &&
		grep -q "^aifabd: rolled back: partition del orange  # undo of operation 1$" "$TMP/reload" &&
		grep -q "the kernel is as it was" "$TMP/reload" &&
		grep -q "previous configuration stays in force" "$TMP/reload" &&
		[ "$(state)" = "$GOOD" ] && kill -0 "$DPID"
	tcheck $? "a reload refused midway is rolled back and reported (exit 1)" "exit $rc: $(cat "$TMP/reload"); $(state)"
	ACME_NS=
	EXTRA="- name: green
  tenant: globex
  devices: [accel3]
- name: yellow
  tenant: globex"
	write_cfg
else
	n=$((n + 1))
	echo "ok $n # SKIP no ip(8) or ip netns add failed"
fi

# 19: SIGTERM leaves the kernel as it is, and no file that says a daemon
# runs: status.json goes with the pid file and the socket.
BEFORE=$(state)
traffic_start
[ -s "$RUN/status.json" ]
had_status=$?
stop_d
[ $drc = 0 ] && [ "$(state)" = "$BEFORE" ] && [ ! -e "$RUN/aifabd.pid" ] &&
	[ ! -e "$RUN/aifabd.sock" ] && [ $had_status = 0 ] &&
	[ ! -e "$RUN/status.json" ] &&
	grep -q "Terminated: stopping; the kernel's state is left as it is" "$LOG"
tcheck $? "SIGTERM: exit 0, kernel state unchanged, pid file, socket and status.json gone" \
	"exit $drc; status.json before $had_status; $(ls "$RUN"); $(state)"

# 20: "aifabctl reload" without a daemon says so.
"$CTL" reload --run-dir "$RUN" >"$TMP/reload" 2>&1
rc=$?
[ $rc = 1 ] && grep -q "^aifabctl: aifabd is not running ($RUN/aifabd.sock: " "$TMP/reload"
tcheck $? "aifabctl reload without aifabd: exit 1, not running" "exit $rc: $(cat "$TMP/reload")"

# 21: a restart under traffic adopts the fabric: its first plan is empty.
lines=$(wc -l <"$LOG")
start_d
wait_for 30 grep -q "running: pid $DPID" "$LOG"
tail -n +$((lines + 1)) "$LOG" >"$TMP/restart.log"
grep -q "reconcile 1: start" "$TMP/restart.log" &&
	grep -q "reconcile 1: nothing to change" "$TMP/restart.log" &&
	! grep -q "applied" "$TMP/restart.log" &&
	grep -q "configuration unchanged since the last run" "$TMP/restart.log" &&
	[ "$(state)" = "$BEFORE" ]
tcheck $? "a restart plans nothing and changes nothing" "$(cat "$TMP/restart.log" | tr '\n' '|')"

# 22: the traffic ran through the stop and the restart with no error.
traffic_stop 2
tst=$?
[ $tst = 0 ] && [ "$(part_id red)" = "$RED_ID" ]
tcheck $? "ibv_ud_pingpong across the restart: $nrounds rounds, no error, red kept its id" \
	"$(cat "$TMP/rounds" | tr '\n' ' '); $(head -c 800 "$TMP/tfail" 2>/dev/null)"

stop_d
reload_module
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
