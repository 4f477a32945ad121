#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# aifabctl against the real module, in TAP: every command of the grammar in
# userspace/man/aifabctl.8, its text and its -j JSON contract, the exit
# statuses (route get: 0 allowed, 2 refused; errors and usage: 1), the
# kernel's extack text on errors, read-only use without privilege, and the
# monitor's event stream, and the Prometheus export of stats show, read by
# the Prometheus client's own parser (python3-prometheus-client). The
# commands the man page reserves for later (link fault and
# degrade-threshold, topology) are left out.
#
# Runs as root inside tools/vm-run, which exports AIFAB_KO: tests that need
# the default topology reload the module first, and the script leaves it
# loaded with the defaults. JSON is checked by one python3 process started
# once, since starting python costs seconds under TCG. AIFAB_TEST_TIMES=1
# prints how long each test took.

HERE=$(cd "$(dirname "$0")" && pwd)
# For find_userspace and skip_all; this test counts its results itself.
. "$HERE/tap_helpers.sh"
CTL=$(find_userspace aifabctl "${AIFABCTL:-}")
DEBUGFS=/sys/kernel/debug/aifab

echo "TAP version 13"
[ "$(id -u)" = 0 ] || skip_all "needs root"
[ -n "${AIFAB_KO:-}" ] || skip_all "AIFAB_KO is not set: run inside tools/vm-run"
[ -n "$CTL" ] || skip_all "aifabctl is not built"
command -v python3 >/dev/null || skip_all "python3 is missing"
command -v setpriv >/dev/null || skip_all "setpriv is missing"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/aifabctl_test.XXXXXX") || exit 1
BG_PIDS=
cleanup()
{
	local p

	for p in $BG_PIDS; do
		kill "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

# Checks JSON: "json FILE EXPR" with j the document, or "lines FILE EXPR"
# with j the list of one JSON text per line. Answers "ok" or why not.
read -r -d '' PYCHECK <<'EOF'
import json, sys
DEV = {"id", "name", "type", "node", "local", "partition", "mem_bytes"}
# What the local devices add: files open, and an accelerator's node and use.
DEV_EFA = DEV | {"open_count"}
DEV_ACCEL = DEV_EFA | {"dev_node", "mem_used", "mem_peak", "jobs_completed",
                       "jobs_failed"}
LINK = {"id", "name", "a", "b", "kind", "state", "admin_state", "speed_mbps"}
PART = {"id", "name", "tenant", "admin_state", "netns_cookie", "devices"}
FENCE = {"a", "b"}
ROUTE = {"src", "dst", "allowed", "reason", "degraded", "src_partition",
         "dst_partition", "path"}
HOP = {"link", "from", "to", "state"}
VIOL = {"src", "dst", "reason", "src_partition", "dst_partition", "suppressed"}
LINKS = ["accel0-accel1", "accel1-accel2", "accel2-accel3", "accel3-accel0",
         "accel0-accel2", "accel1-accel3", "efa0-accel0", "efa0-accel1",
         "efa1-accel2", "efa1-accel3", "efa0-efa1"]

def by(j, name):
    m = [o for o in j if o.get("name") == name]
    return m[0] if len(m) == 1 else {}

def events(j):
    """The events of a monitor, without those of the subscription probe."""
    return [o for o in j if o.get("name") != "probe"]

for line in sys.stdin:
    kind, path, expr = line.rstrip("\n").split(" ", 2)
    text = ""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if kind == "json":
            j = json.loads(text)
        else:
            j = [json.loads(l) for l in text.split("\n") if l]
            if not all(isinstance(o, dict) for o in j):
                raise ValueError("a line is not a JSON object")
        res = eval(expr)
        print("ok" if res is True else
              "false for: " + " ".join(text.split())[:400])
    except Exception as e:
        print("%s: %s in: %s" % (type(e).__name__, e,
                                 " ".join(text.split())[:300]))
    sys.stdout.flush()
EOF
coproc PY { python3 -u -c "$PYCHECK"; }
BG_PIDS="$BG_PIDS $PY_PID"

# --- helpers: each prints why it failed and returns non-zero ---
#
# Every process costs tens of milliseconds under TCG, so the helpers match
# with bash itself rather than grep, sed or cmp.

# Reads file $2 whole into the variable named $1.
slurp()
{
	local -n _var=$1

	_var=
	IFS= read -r -d '' _var <"$2"
}

# Runs aifabctl: stdout in $OUT, stderr in $ERR, the status in $rc.
run()
{
	"$CTL" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	last="aifabctl $*"
	slurp OUT "$TMP/out"
	slurp ERR "$TMP/err"
}

as_nobody()
{
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
}

# Runs each argument, a word-split aifabctl command line, as nobody in one
# go; the results are then read back with nobody_result N.
nobody_batch()
{
	rm -rf "$TMP/nobody"
	chmod 0711 "$TMP"
	mkdir -m 0777 "$TMP/nobody"
	# shellcheck disable=SC2016
	as_nobody /bin/bash -c 'ctl=$1; dir=$2; shift 2; i=0
		for c in "$@"; do
			i=$((i + 1))
			$ctl $c >"$dir/$i.out" 2>"$dir/$i.err"
			echo $? >"$dir/$i.rc"
		done' nobody "$CTL" "$TMP/nobody" "$@"
	NOBODY=("" "$@")
}

nobody_result()
{
	slurp OUT "$TMP/nobody/$1.out"
	slurp ERR "$TMP/nobody/$1.err"
	read -r rc <"$TMP/nobody/$1.rc" || rc=missing
	last="(nobody) aifabctl ${NOBODY[$1]}"
}

show_run()
{
	echo "after: $last (exit $rc)"
	[ -z "$OUT" ] || printf 'stdout: %s\n' "${OUT%$'\n'}"
	[ -z "$ERR" ] || printf 'stderr: %s\n' "${ERR%$'\n'}"
}

rc_is()
{
	[ "$rc" = "$1" ] || { echo "exit $rc, expected $1"; show_run; return 1; }
}

# The whole of stdout, compared with the lines given.
out_is()
{
	local want

	printf -v want '%s\n' "$@"
	[ "$OUT" = "$want" ] || {
		echo "unexpected stdout; expected:"
		printf 'want: %s\n' "$@"
		show_run
		return 1
	}
}

out_empty()
{
	[ -z "$OUT" ] || { echo "stdout not empty"; show_run; return 1; }
}

err_empty()
{
	[ -z "$ERR" ] || { echo "stderr not empty"; show_run; return 1; }
}

err_has()
{
	[[ $ERR == *"$1"* ]] || { echo "stderr lacks \"$1\""; show_run; return 1; }
}

# Some line of stdout matches the extended regular expression $1.
out_matches()
{
	local line

	while IFS= read -r line; do
		[[ $line =~ $1 ]] && return 0
	done <<<"$OUT"
	echo "no line of stdout matches /$1/"
	show_run
	return 1
}

out_lines()
{
	local n=0 line

	while IFS= read -r line; do
		n=$((n + 1))
	done <<<"${OUT%$'\n'}"
	[ -n "$OUT" ] || n=0
	[ "$n" = "$1" ] || { echo "$n lines, expected $1"; show_run; return 1; }
}

# A change succeeded: exit 0 and nothing printed.
ok_silent()
{
	run "$@"
	rc_is 0 && out_empty && err_empty
}

# A usage error: exit 1, a "Usage:" line on stderr, nothing on stdout.
usage_error()
{
	run "$@"
	rc_is 1 && out_empty && err_has "Usage:"
}

# A refusal: exit 1, the given text on stderr, nothing on stdout.
refused()
{
	local text=$1

	shift
	run "$@"
	rc_is 1 && out_empty && err_has "$text"
}

py()
{
	local res

	echo "$1 $2 $3" >&"${PY[1]}" || { echo "python3 is gone"; return 1; }
	read -r -t 60 res <&"${PY[0]}" || res="no answer from python3"
	[ "$res" = ok ] || { echo "check failed: $3"; echo "$res"; return 1; }
}

# JSON of the last run's stdout, checked by a python expression on j.
json_ok()
{
	py json "$TMP/out" "$1"
}

# The same, for a file of one JSON text a line.
lines_ok()
{
	py lines "$1" "$2"
}

# A fresh module: the default topology, no partition, every link up.
fresh()
{
	rmmod aifab 2>/dev/null
	insmod "$AIFAB_KO" || { echo "cannot load $AIFAB_KO"; return 1; }
}

# --- the tests: each returns 0 for ok ---

t_usage()
{
	usage_error || return 1
	err_has "Usage: aifabctl [ -j | --json ]" || return 1
	usage_error bogus && err_has 'unknown object "bogus"' || return 1
	usage_error -x dev show || return 1
	usage_error dev show accel0 accel1 && err_has "Usage: aifabctl dev" || return 1
	usage_error dev frobnicate || return 1
	usage_error link show a b || return 1
	usage_error link set accel0-accel1 state || return 1
	usage_error partition add p1 owner acme || return 1
	usage_error partition add p1 tenant acme dev || return 1
	usage_error partition set p1 move dev accel0 || return 1
	usage_error partition del || return 1
	usage_error fence add p1 || return 1
	usage_error fence show p1 || return 1
	usage_error route && err_has "Usage: aifabctl route get" || return 1
	usage_error route get accel0 || return 1
	usage_error monitor now && err_has "Usage: aifabctl monitor"
}

t_help_and_version()
{
	local o

	for o in -h --help; do
		run "$o"
		rc_is 0 && err_empty && out_matches '^Usage: aifabctl ' || return 1
	done
	for o in dev link partition fence route monitor; do
		run "$o" help
		rc_is 0 && err_empty && out_matches "^Usage: aifabctl $o" || return 1
	done
	for o in -V --version; do
		run "$o"
		rc_is 0 && out_lines 1 || return 1
		out_matches '^aifabctl [^ ]+ \(netlink family aifab version 1\)$' || return 1
	done
}

# Arguments are checked before anything is sent to the kernel.
t_bad_arguments()
{
	refused 'invalid device name "bad/name"' dev show bad/name || return 1
	[[ $ERR != *Usage:* ]] || { echo "a bad name is no usage error"; show_run; return 1; }
	refused 'invalid device name' route get accel0 abcdefghijklmnopqrstuvwxyz012345 || return 1
	refused 'invalid state "sideways"' link set accel0-accel1 state sideways || return 1
	refused 'invalid partition name "p 1"' partition add "p 1" tenant acme || return 1
	refused 'invalid state "sideways"' partition set p1 state sideways || return 1
	usage_error partition set p1 state || return 1
	usage_error partition set p1 state up down || return 1
	refused 'invalid tenant name' partition add p1 tenant $'caf\xe9' || return 1
	run partition show
	rc_is 0 && out_empty
}

t_module_not_loaded()
{
	rmmod aifab || { echo "cannot unload the module"; return 1; }
	refused "aifabctl: aifab: the aifab kernel module is not loaded" dev show &&
	refused "the aifab kernel module is not loaded" -j link show &&
	# A typing error is still reported as one.
	usage_error dev show a b
	rc=$?
	fresh && return $rc
}

# accel_line N PARTITION: what "dev show" prints for an idle accelN.
accel_line()
{
	printf 'accel%s: type accel node node0 local partition %s mem 1073741824 dev %s used 0 peak 0 jobs 0 failed 0 open 0' \
		"$1" "$2" "$(cat "/sys/class/aifab_dev/accel$1/dev_node")"
}

t_dev_show()
{
	local text

	run dev show
	rc_is 0 && err_empty || return 1
	out_is "$(accel_line 0 -)" "$(accel_line 1 -)" "$(accel_line 2 -)" \
	       "$(accel_line 3 -)" \
	       "efa0: type efa node node0 local partition - open 0" \
	       "efa1: type efa node node0 local partition - open 0" || return 1
	text=$OUT
	run dev
	rc_is 0 || return 1
	[ "$OUT" = "$text" ] || { echo "dev differs from dev show"; show_run; return 1; }
	# -p without -j changes nothing.
	run -p dev show
	rc_is 0 || return 1
	[ "$OUT" = "$text" ] || { echo "-p changed the text"; show_run; return 1; }
	run dev show efa1
	rc_is 0 && out_is "efa1: type efa node node0 local partition - open 0"
}

t_dev_show_json()
{
	run -j dev show
	rc_is 0 && err_empty && out_lines 1 || return 1
	json_ok 'len(j) == 6 and all(set(o) == DEV_ACCEL for o in j[:4]) and all(set(o) == DEV_EFA for o in j[4:]) and all(o["dev_node"].startswith("/dev/") and o["open_count"] == 0 and o["mem_used"] == 0 for o in j[:4]) and [o["name"] for o in j] == ["accel0", "accel1", "accel2", "accel3", "efa0", "efa1"] and all(type(o["id"]) is int and o["node"] == "node0" and o["local"] is True and o["partition"] is None for o in j) and all(o["type"] == "accel" and o["mem_bytes"] == 1073741824 for o in j[:4]) and all(o["type"] == "efa" and o["mem_bytes"] is None for o in j[4:]) and len({o["id"] for o in j}) == 6' || return 1
	printf '%s' "$OUT" >"$TMP/dev.json"
	run -j dev show accel2
	rc_is 0 || return 1
	json_ok 'isinstance(j, list) and len(j) == 1 and j[0]["name"] == "accel2" and set(j[0]) == DEV_ACCEL' || return 1
	run -j -p dev show
	rc_is 0 || return 1
	[[ $OUT == *$'\n'*$'\n'*$'\n'* ]] || { echo "-p did not indent"; show_run; return 1; }
	json_ok "j == json.load(open('$TMP/dev.json'))"
}

t_dev_errors()
{
	refused "aifabctl: dev show: no such device" dev show accel9 || return 1
	refused "no such device" -j dev show accel9
}

t_link_show()
{
	local text

	run link show
	rc_is 0 && err_empty && out_lines 11 || return 1
	out_matches "^accel0-accel1: accel0 <-> accel1 kind accel state up admin up speed 400000Mbps" &&
	out_matches "^efa0-efa1: efa0 <-> efa1 kind net state up admin up speed [0-9]+Mbps" &&
	out_matches "^efa1-accel3: efa1 <-> accel3 kind affinity state up admin up speed [0-9]+Mbps" ||
		return 1
	text=$OUT
	run link
	rc_is 0 || return 1
	[ "$OUT" = "$text" ] || { echo "link differs from link show"; show_run; return 1; }
	run link show accel1-accel3
	rc_is 0 && out_lines 1 && out_matches "^accel1-accel3: accel1 <-> accel3 kind accel " || return 1
	refused "aifabctl: link show: no such link" link show accel1-accel0
}

t_link_show_json()
{
	run -j link show
	rc_is 0 && err_empty || return 1
	json_ok 'len(j) == 11 and all(LINK <= set(o) for o in j) and sorted(o["name"] for o in j) == sorted(LINKS) and all(o["a"] + "-" + o["b"] == o["name"] for o in j) and all(o["state"] == "up" and o["admin_state"] == "up" and type(o["speed_mbps"]) is int and o["speed_mbps"] > 0 for o in j) and by(j, "accel0-accel1")["kind"] == "accel" and by(j, "efa0-accel1")["kind"] == "affinity" and by(j, "efa0-efa1")["kind"] == "net" and by(j, "accel0-accel1")["speed_mbps"] == 400000' || return 1
	run -j link show efa0-efa1
	rc_is 0 && json_ok 'len(j) == 1 and j[0]["name"] == "efa0-efa1" and j[0]["a"] == "efa0" and j[0]["b"] == "efa1"'
}

t_link_set_state()
{
	fresh || return 1
	ok_silent link set accel0-accel1 state down || return 1
	run link show accel0-accel1
	out_matches "^accel0-accel1: accel0 <-> accel1 kind accel state down admin down " || return 1
	run -j link show accel0-accel1
	json_ok 'j[0]["state"] == "down" and j[0]["admin_state"] == "down"' || return 1
	ok_silent link set accel0-accel1 state up || return 1
	run -j link show accel0-accel1
	json_ok 'j[0]["state"] == "up" and j[0]["admin_state"] == "up"' || return 1
	refused "aifabctl: link set: no such link" link set accel0-accel9 state down
}

t_partition_add_show()
{
	fresh || return 1
	run partition show
	rc_is 0 && out_empty || return 1
	ok_silent partition add p1 tenant acme dev accel0 accel1 || return 1
	ok_silent partition add p2 tenant beta || return 1
	run partition show
	rc_is 0 && out_is "p1: tenant acme state up devices accel0 accel1" "p2: tenant beta state up devices -" || return 1
	run partition
	rc_is 0 && out_is "p1: tenant acme state up devices accel0 accel1" "p2: tenant beta state up devices -" || return 1
	run partition show p2
	rc_is 0 && out_is "p2: tenant beta state up devices -" || return 1
	run -j partition show
	rc_is 0 && json_ok 'len(j) == 2 and all(set(o) == PART for o in j) and by(j, "p1")["tenant"] == "acme" and by(j, "p1")["devices"] == ["accel0", "accel1"] and by(j, "p2")["devices"] == [] and type(by(j, "p2")["id"]) is int' || return 1
	run dev show accel0
	out_is "$(accel_line 0 p1)" || return 1
	run -j dev show accel1
	json_ok 'j[0]["partition"] == "p1"'
}

t_partition_set_del()
{
	fresh || return 1
	ok_silent partition add p1 tenant acme dev accel0 || return 1
	ok_silent partition set p1 add dev accel1 accel2 || return 1
	run partition show p1
	out_is "p1: tenant acme state up devices accel0 accel1 accel2" || return 1
	ok_silent partition set p1 del dev accel0 accel2 || return 1
	run partition show p1
	out_is "p1: tenant acme state up devices accel1" || return 1
	run dev show accel0
	out_is "$(accel_line 0 -)" || return 1
	ok_silent partition del p1 || return 1
	run partition show
	rc_is 0 && out_empty || return 1
	run dev show accel1
	out_is "$(accel_line 1 -)"
}

t_partition_errors()
{
	local before

	fresh || return 1
	ok_silent partition add p1 tenant acme dev accel0 accel1 || return 1
	run partition show
	before=$OUT
	refused "aifabctl: partition add: device is in another partition" \
		partition add p2 tenant beta dev accel1 || return 1
	refused "aifabctl: partition add: partition exists" partition add p1 tenant beta || return 1
	refused "aifabctl: partition add: device listed twice" \
		partition add p2 tenant beta dev accel3 accel3 || return 1
	refused "aifabctl: partition add: no such device" partition add p2 tenant beta dev accel7 || return 1
	refused "aifabctl: partition set: device already in this partition" \
		partition set p1 add dev accel0 || return 1
	refused "aifabctl: partition set: device is not in this partition" \
		partition set p1 del dev accel3 || return 1
	refused "aifabctl: partition set: no such partition" partition set p9 add dev accel3 || return 1
	refused "aifabctl: partition set: no such partition" partition set p9 state down || return 1
	refused "aifabctl: partition del: no such partition" partition del p9 || return 1
	run partition show
	[ "$OUT" = "$before" ] || { echo "a refused change changed the partitions"; show_run; return 1; }
}

# The man page's example: 'device is in another partition (at "accel1")'.
t_error_names_culprit()
{
	fresh || return 1
	ok_silent partition add p1 tenant acme dev accel1 || return 1
	refused "device is in another partition" partition add p2 tenant beta dev accel0 accel1 || return 1
	[[ $ERR == *accel1* ]] || { echo "the error does not say which device"; show_run; return 1; }
}

t_fence()
{
	fresh || return 1
	ok_silent partition add p1 tenant acme dev accel0 || return 1
	ok_silent partition add p2 tenant beta dev accel2 || return 1
	run fence show
	rc_is 0 && out_empty || return 1
	run -j fence show
	rc_is 0 && json_ok 'j == []' || return 1
	ok_silent fence add p1 p2 || return 1
	run fence show
	rc_is 0 && out_is "p1 <-> p2" || return 1
	run fence
	rc_is 0 && out_is "p1 <-> p2" || return 1
	run -j fence show
	rc_is 0 && json_ok 'len(j) == 1 and set(j[0]) == FENCE and {j[0]["a"], j[0]["b"]} == {"p1", "p2"}' || return 1
	refused "aifabctl: fence add: that fence exists" fence add p2 p1 || return 1
	refused "aifabctl: fence add: a fence joins two different partitions" fence add p1 p1 || return 1
	refused "aifabctl: fence add: no such partition" fence add p1 p9 || return 1
	ok_silent fence del p2 p1 || return 1
	refused "aifabctl: fence del: no fence joins those partitions" fence del p1 p2 || return 1
	run fence show
	rc_is 0 && out_empty
}

t_route_allowed()
{
	fresh || return 1
	run route get accel0 accel1
	rc_is 0 && err_empty || return 1
	out_is "accel0 -> accel1: allowed src-partition - dst-partition -" \
	       "	via accel0-accel1: accel0 -> accel1 state up" || return 1
	run route get accel1 accel1
	rc_is 0 && out_is "accel1 -> accel1: allowed src-partition - dst-partition -" || return 1
	ok_silent partition add p1 tenant acme dev efa0 efa1 || return 1
	run route get efa1 efa0
	rc_is 0 && out_is "efa1 -> efa0: allowed src-partition p1 dst-partition p1" \
			  "	via efa0-efa1: efa1 -> efa0 state up"
}

t_route_refused()
{
	local l

	fresh || return 1
	ok_silent partition add p1 tenant acme dev accel0 accel1 || return 1
	ok_silent partition add p2 tenant beta dev accel2 || return 1
	run route get accel0 accel2
	rc_is 2 && err_empty || return 1
	out_is "accel0 -> accel2: refused reason fence src-partition p1 dst-partition p2" || return 1
	run route get efa0 accel1
	rc_is 2 && out_is "efa0 -> accel1: refused reason unpartitioned src-partition - dst-partition p1" || return 1
	ok_silent fence add p1 p2 || return 1
	run route get accel0 accel2
	rc_is 0 && out_is "accel0 -> accel2: allowed src-partition p1 dst-partition p2" \
			  "	via accel0-accel2: accel0 -> accel2 state up" || return 1
	for l in accel3-accel0 accel0-accel1 accel0-accel2 efa0-accel0; do
		ok_silent link set "$l" state down || return 1
	done
	run route get accel3 efa1
	rc_is 0 || return 1
	run route get accel3 accel0
	rc_is 2 && out_is "accel3 -> accel0: refused reason unpartitioned src-partition - dst-partition p1" || return 1
	ok_silent partition del p1 || return 1
	run route get accel3 accel0
	rc_is 2 && out_is "accel3 -> accel0: refused reason no-path src-partition - dst-partition -"
}

t_partition_state()
{
	fresh || return 1
	ok_silent partition add p1 tenant acme dev accel0 accel1 || return 1
	ok_silent partition set p1 state down || return 1
	run partition show p1
	rc_is 0 && out_is "p1: tenant acme state down devices accel0 accel1" || return 1
	run -j partition show p1
	json_ok 'j[0]["admin_state"] == "down" and j[0]["devices"] == ["accel0", "accel1"]' || return 1
	run route get accel0 accel1
	rc_is 2 && out_is "accel0 -> accel1: refused reason partition-down src-partition p1 dst-partition p1" || return 1
	run -j route get accel1 efa0
	rc_is 2 && json_ok 'j["reason"] == "partition-down" and j["allowed"] is False' || return 1
	ok_silent partition set p1 state up || return 1
	run partition show p1
	out_is "p1: tenant acme state up devices accel0 accel1" || return 1
	run route get accel0 accel1
	rc_is 0 && out_is "accel0 -> accel1: allowed src-partition p1 dst-partition p1" \
			  "	via accel0-accel1: accel0 -> accel1 state up"
}

t_route_json()
{
	fresh || return 1
	ok_silent partition add p1 tenant acme dev accel0 || return 1
	ok_silent partition add p2 tenant beta dev accel2 || return 1
	run -j route get efa0 efa1
	rc_is 0 && json_ok 'isinstance(j, dict) and set(j) == ROUTE and j["src"] == "efa0" and j["dst"] == "efa1" and j["allowed"] is True and j["reason"] is None and j["degraded"] is False and j["src_partition"] is None and j["dst_partition"] is None and j["path"] == [{"link": "efa0-efa1", "from": "efa0", "to": "efa1", "state": "up"}]' || return 1
	run -j route get accel0 accel2
	rc_is 2 && json_ok 'set(j) == ROUTE and j["allowed"] is False and j["reason"] == "fence" and j["src_partition"] == "p1" and j["dst_partition"] == "p2" and j["path"] == []' || return 1
	run -j route get accel2 efa1
	rc_is 2 && json_ok 'j["reason"] == "unpartitioned" and j["src_partition"] == "p2" and j["dst_partition"] is None' || return 1
	run -j route get accel0 accel0
	rc_is 0 && json_ok 'j["allowed"] is True and j["path"] == [] and j["src_partition"] == "p1"' || return 1
	run -j -p route get efa1 efa0
	rc_is 0 && json_ok 'all(set(h) == HOP for h in j["path"]) and len(j["path"]) == 1'
}

t_route_errors()
{
	refused "aifabctl: route get: no such device" route get accel0 accel9 || return 1
	err_has '(at "accel9")' || return 1
	refused '(at "gpu0")' route get gpu0 accel0
}

# Reads work without privilege and show the same; every change is refused.
t_unprivileged()
{
	local c i
	local -A root

	fresh || return 1
	ok_silent partition add p1 tenant acme dev accel0 || return 1
	ok_silent partition add p2 tenant beta dev accel2 || return 1
	ok_silent fence add p1 p2 || return 1
	ok_silent link set efa0-efa1 state down || return 1
	for c in dev link partition fence; do
		run -j "$c" show
		root[$c]=$OUT
	done
	nobody_batch "-j dev show" "-j link show" "-j partition show" "-j fence show" \
		"route get accel0 accel2" "route get accel0 efa1" \
		"link set accel0-accel1 state down" "partition add p3 tenant t dev accel3" \
		"partition set p1 add dev accel3" "partition del p1" "fence add p1 p2" \
		"fence del p1 p2"
	i=0
	for c in dev link partition fence; do
		i=$((i + 1))
		nobody_result $i
		rc_is 0 && err_empty || return 1
		[ "$OUT" = "${root[$c]}" ] || { echo "$c show differs"; show_run; return 1; }
	done
	nobody_result 5
	rc_is 0 && out_matches "^accel0 -> accel2: allowed " || return 1
	nobody_result 6
	rc_is 2 || return 1
	nobody_result 7
	rc_is 1 && out_empty && err_has "aifabctl: link set: Operation not permitted" || return 1
	for i in 8 9 10 11 12; do
		nobody_result $i
		rc_is 1 && out_empty && err_has "Operation not permitted" || return 1
	done
	for c in dev link partition fence; do
		run -j "$c" show
		[ "$OUT" = "${root[$c]}" ] || { echo "$c changed"; show_run; return 1; }
	done
}

# Waits until a line of file $1 matches the regular expression $2; 10 s at most.
wait_grep()
{
	local i

	for i in $(seq 100); do
		grep -q -- "$2" "$1" && return 0
		sleep 0.1
	done
	echo "no line of $1 matches $2:"
	sed 's/^/  /' "$1"
	return 1
}

# Makes probe events until every monitor has shown one: then they listen.
wait_subscribed()
{
	local i f all

	for i in $(seq 50); do
		"$CTL" partition add probe tenant t >/dev/null 2>&1
		"$CTL" partition del probe >/dev/null 2>&1
		all=1
		for f in "$@"; do
			grep -q probe "$f" || all=
		done
		[ -n "$all" ] && return 0
		sleep 0.2
	done
	echo "the monitors never started listening"
	return 1
}

t_monitor()
{
	local pj pt pp st

	fresh || return 1
	"$CTL" -j monitor >"$TMP/mon.json" 2>"$TMP/mon.json.err" &
	pj=$!
	# Not through as_nobody: $! must be the monitor, not a subshell.
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$CTL" monitor >"$TMP/mon.txt" 2>"$TMP/mon.txt.err" &
	pt=$!
	"$CTL" -j -p monitor >"$TMP/mon.pretty" 2>/dev/null &
	pp=$!
	BG_PIDS="$BG_PIDS $pj $pt $pp"
	wait_subscribed "$TMP/mon.json" "$TMP/mon.txt" "$TMP/mon.pretty" || return 1

	ok_silent link set accel0-accel1 state down || return 1
	ok_silent link set accel0-accel1 state up || return 1
	ok_silent partition add p1 tenant acme dev accel0 || return 1
	ok_silent partition add p2 tenant beta dev accel2 || return 1
	echo "accel0 accel2" 2>/dev/null >"$DEBUGFS/traffic" &&
		{ echo "traffic across the fence was not refused"; return 1; }
	ok_silent partition set p1 add dev accel1 || return 1
	# Already up: no event. A device leaving: a change with scrub-bytes.
	ok_silent partition set p1 state up || return 1
	ok_silent partition set p1 del dev accel1 || return 1
	ok_silent partition del p1 || return 1
	# The last event, partition del p1, shows that all have arrived.
	wait_grep "$TMP/mon.json" '"action":"del","id":[0-9]*,"name":"p1"' || return 1
	wait_grep "$TMP/mon.pretty" '"action":"del","id":[0-9]*,"name":"p1"' || return 1
	wait_grep "$TMP/mon.txt" '^\[partition\] del p1:' || return 1

	kill -INT "$pj"
	wait "$pj"
	st=$?
	[ "$st" = 0 ] || { echo "monitor exited $st on SIGINT"; return 1; }
	kill -TERM "$pt"
	wait "$pt"
	st=$?
	[ "$st" = 0 ] || { echo "monitor exited $st on SIGTERM"; return 1; }
	kill -INT "$pp"
	wait "$pp"

	lines_ok "$TMP/mon.json" '[(o["event"], o.get("action"), o.get("name", o.get("src"))) for o in events(j)] == [("link-state", None, "accel0-accel1"), ("link-state", None, "accel0-accel1"), ("partition", "new", "p1"), ("partition", "new", "p2"), ("fence-violation", None, "accel0"), ("partition", "change", "p1"), ("partition", "change", "p1"), ("partition", "del", "p1")]' || return 1
	lines_ok "$TMP/mon.json" 'LINK | {"event"} <= set(events(j)[0]) and events(j)[0]["state"] == "down" and events(j)[0]["admin_state"] == "down" and events(j)[0]["a"] == "accel0" and events(j)[1]["state"] == "up"' || return 1
	lines_ok "$TMP/mon.json" 'set(events(j)[2]) == PART | {"event", "action"} and events(j)[2]["tenant"] == "acme" and events(j)[2]["devices"] == ["accel0"] and events(j)[5]["devices"] == ["accel0", "accel1"] and events(j)[6]["devices"] == ["accel0"] and events(j)[6]["scrub_bytes"] == 0 and events(j)[7]["devices"] == [] and events(j)[7]["scrub_bytes"] == 0 and "scrub_bytes" not in events(j)[5] and events(j)[2]["admin_state"] == "up"' || return 1
	lines_ok "$TMP/mon.json" 'set(events(j)[4]) == VIOL | {"event"} and events(j)[4] == {"event": "fence-violation", "src": "accel0", "dst": "accel2", "reason": "fence", "src_partition": "p1", "dst_partition": "p2", "suppressed": 0}' || return 1
	# -p is ignored: still one object a line, the same ones.
	lines_ok "$TMP/mon.pretty" "j == [json.loads(l) for l in open('$TMP/mon.json')]" || return 1

	# The unprivileged text monitor saw the same events.
	slurp OUT "$TMP/mon.txt"
	last="(nobody) aifabctl monitor"
	out_matches "^\[link-state\] accel0-accel1: accel0 <-> accel1 kind accel state down admin down speed 400000Mbps" &&
	out_matches "^\[partition\] new p1: tenant acme state up devices accel0$" &&
	out_matches "^\[fence-violation\] accel0 -> accel2 reason fence src-partition p1 dst-partition p2 suppressed 0$" &&
	out_matches "^\[partition\] change p1: tenant acme state up devices accel0 accel1$" &&
	out_matches "^\[partition\] change p1: tenant acme state up devices accel0 scrub-bytes 0$" &&
	out_matches "^\[partition\] del p1: tenant acme state up devices - scrub-bytes 0$" || return 1
	if [ -s "$TMP/mon.json.err" ] || [ -s "$TMP/mon.txt.err" ]; then
		cat "$TMP/mon.json.err" "$TMP/mon.txt.err"
		return 1
	fi
}

# The Prometheus export, read by the Prometheus client library's parser:
# every counter of stats show -j is there with the same value, under the
# metric name and labels its object gives; the links' state and the number
# of partitions are gauges; -j and --prometheus exclude each other.
read -r -d '' PROMCHECK <<'EOF'
import json, sys
try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.exit("python3-prometheus-client is missing: run make deps")
text = open(sys.argv[1]).read()
stats = json.load(open(sys.argv[2]))
fams = {f.name: f for f in text_string_to_metric_families(text)}
samples = {}
for f in fams.values():
    for s in f.samples:
        samples[(s.name, tuple(sorted(s.labels.items())))] = (f.type, s.value)
# HELP and TYPE once per family: the parser merges repeats, so count them.
for kind in ("HELP", "TYPE"):
    names = [l.split()[2] for l in text.splitlines() if l.startswith("# " + kind + " ")]
    if len(names) != len(set(names)):
        sys.exit("a metric has two %s lines" % kind)
links = {}
seen = 0
for o in stats:
    kind, name = ("device", o["dev"]) if o["dev"] else ("link", o["link"])
    for ctr, value in o["counters"].items():
        key = None
        for (sname, labels), (typ, v) in samples.items():
            if sname == "aifab_%s_%s_total" % (kind, ctr) and dict(labels).get(kind) == name:
                key = (typ, v)
        if key is None:
            sys.exit("no sample for %s %s %s" % (kind, name, ctr))
        if key != ("counter", float(value)):
            sys.exit("%s %s %s: %r, stats show -j says %d" % (kind, name, ctr, key, value))
        seen += 1
    if kind == "link":
        links[name] = o
want = int(sys.argv[3])
if seen < 50 or len(links) != 11:
    sys.exit("only %d counters of %d links" % (seen, len(links)))
tx = samples.get(("aifab_device_tx_packets_total", (("device", "accel1"),)))
if not tx or tx[1] < 1:
    sys.exit("accel1 sent nothing: %r" % (tx,))
st = fams.get("aifab_link_state")
if not st or st.type != "gauge":
    sys.exit("no aifab_link_state gauge")
ones = {(s.labels["link"], s.labels["state"]) for s in st.samples if s.value == 1}
if len(st.samples) != 3 * len(links) or len(ones) != len(links):
    sys.exit("link state: %d samples, %d at 1" % (len(st.samples), len(ones)))
if ("accel0-accel1", "down") not in ones or ("accel1-accel2", "up") not in ones:
    sys.exit("link states wrong: %r" % sorted(ones))
a01 = [s.labels for s in st.samples if s.labels["link"] == "accel0-accel1"][0]
if (a01["a"], a01["b"]) != ("accel0", "accel1"):
    sys.exit("link labels wrong: %r" % a01)
p = fams.get("aifab_fabric_partitions")
if not p or p.type != "gauge" or p.samples[0].value != want:
    sys.exit("partitions gauge: %r, want %d" % (p and p.samples, want))
print("ok")
EOF

t_stats_prometheus()
{
	local res

	fresh || return 1
	echo "accel1 accel2" >"$DEBUGFS/traffic" || { echo "no traffic"; return 1; }
	ok_silent partition add p1 tenant acme dev accel0 || return 1
	ok_silent partition add p2 tenant beta dev accel3 efa1 || return 1
	ok_silent link set accel0-accel1 state down || return 1
	run stats show --prometheus
	rc_is 0 && err_empty || return 1
	cp "$TMP/out" "$TMP/prom"
	run -j stats show
	rc_is 0 || return 1
	res=$(python3 -c "$PROMCHECK" "$TMP/prom" "$TMP/out" 2 2>&1)
	[ "$res" = ok ] || { echo "$res"; head -c 3000 "$TMP/prom"; return 1; }
	refused "--prometheus and -j exclude each other" -j stats show --prometheus
}

# Read-only tests first: they share the module loaded below.
TESTS=(
	"t_usage|usage errors exit 1 with a Usage: line"
	"t_help_and_version|-h, OBJECT help and -V"
	"t_bad_arguments|bad names and values are refused before the kernel"
	"t_dev_show|dev show, text"
	"t_dev_show_json|dev show -j and -j -p"
	"t_dev_errors|dev show of a missing device: the kernel's message"
	"t_link_show|link show, text"
	"t_link_show_json|link show -j"
	"t_route_errors|route get of a missing device: exit 1"
	"t_module_not_loaded|without the module: exit 1 and why"
	"t_link_set_state|link set state down and up"
	"t_partition_add_show|partition add and show, text and -j"
	"t_partition_set_del|partition set add/del and partition del"
	"t_partition_errors|partition refusals print the kernel's message"
	"t_error_names_culprit|a refusal names the device at fault"
	"t_fence|fence add, show, del and refusals"
	"t_route_allowed|route get: allowed routes exit 0 with the path"
	"t_route_refused|route get: refusals exit 2 with the reason"
	"t_partition_state|partition set state down refuses routes, up restores them"
	"t_route_json|route get -j"
	"t_unprivileged|unprivileged: reads work, changes are refused"
	"t_monitor|monitor and monitor -j: every event type, exit 0 on a signal"
	"t_stats_prometheus|stats show --prometheus: the Prometheus parser reads stats show -j's values"
)

echo "1..${#TESTS[@]}"
fresh >"$TMP/log" 2>&1 || { cat "$TMP/log"; exit 1; }
n=0
failed=0
for entry in "${TESTS[@]}"; do
	fn=${entry%%|*}
	desc=${entry#*|}
	n=$((n + 1))
	t0=${EPOCHREALTIME/./}
	if "$fn" >"$TMP/log" 2>&1; then
		echo "ok $n $desc"
	else
		failed=$((failed + 1))
		while IFS= read -r line; do
			echo "# $line"
		done <"$TMP/log"
		echo "not ok $n $desc"
	fi
	if [ -n "${AIFAB_TEST_TIMES:-}" ]; then
		echo "# $fn: $(((${EPOCHREALTIME/./} - t0) / 1000)) ms"
	fi
done
fresh >/dev/null 2>&1
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
