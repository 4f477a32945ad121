#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# test_cli.sh AIFABCTL: run the built aifabctl as a user would, for what the
# unit tests cannot reach: option parsing in main() and the real netlink
# client without the module. Prints TAP. $RUN, if set, wraps every run (make
# memcheck sets it to valgrind).

ctl=${1:?usage: test_cli.sh AIFABCTL}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

# t DESC STATUS STDOUT STDERR -- ARGS...: run aifabctl ARGS and compare its
# exit status, stdout and stderr; a "*" pattern matches anything.
t()
{
	desc=$1 want_rc=$2 want_out=$3 want_err=$4
	shift 5
	n=$((n + 1))
	# shellcheck disable=SC2086 # RUN is a command with its arguments
	$RUN "$ctl" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
	# The expectations are patterns, so they stay unquoted.
	# shellcheck disable=SC2254
	case "$rc:$out" in
	"$want_rc":$want_out) ;;
	*) bad=1 ;;
	esac
	# shellcheck disable=SC2254
	case "$err" in
	$want_err) ;;
	*) bad=1 ;;
	esac
	if [ -n "${bad:-}" ]; then
		echo "not ok $n - $desc"
		echo "# status $rc, stdout: $out"
		echo "# stderr: $err"
		failed=$((failed + 1))
	else
		echo "ok $n - $desc"
	fi
	bad=
}

skip()
{
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

echo "1..19"
t "-V prints the version" 0 "aifabctl * (netlink family aifab version 1)" "" -- -V
t "--help prints the usage on stdout" 0 "Usage: aifabctl *" "" -- --help
t "no object: usage on stderr" 1 "" "Usage: aifabctl *" --
t "unknown option: usage on stderr" 1 "" "*Usage: aifabctl *" -- --bogus
t "options end at the object" 1 "" "Usage: aifabctl dev show \[DEV\]" -- dev -j
t "bad name refused before the kernel" 1 "" \
	'aifabctl: invalid device name "a b": expected 1-31 characters of [[]a-zA-Z0-9_.-]' \
	-- -j dev show "a b"
t "bad fault value refused before the kernel" 1 "" \
	'aifabctl: invalid drop percentage "150": expected an integer from 0 to 100' \
	-- link set accel0-accel1 fault drop 150
printf 'nodes: []\ndevices: []\nlinks:\n- name: l0\n' >"$tmp/bad.yaml"
t "bad topology file refused without the module" 1 "" \
	"$tmp/bad.yaml:4: missing key \"kind\" in a link" \
	-- topology load "$tmp/bad.yaml"
# Standard input is /dev/null here: an empty file.
t "topology from standard input" 1 "" \
	"<stdin>:1: empty file: expected a mapping with keys nodes, devices and links" \
	-- topology load - </dev/null
t "--prometheus is an option of stats show" 1 "" "*Usage: aifabctl *" \
	-- --prometheus stats show
t "bad partition state refused before the kernel" 1 "" \
	'aifabctl: invalid state "sideways": expected up or down' \
	-- partition set p1 state sideways
# aifabd's client and status file need neither the module nor a daemon.
t "reload without aifabd" 1 "" \
	"aifabctl: aifabd is not running ($tmp/none/aifabd.sock: No such file or directory)" \
	-- reload --run-dir "$tmp/none"
t "health show without a status file" 1 "" \
	"aifabctl: health show: cannot read $tmp/none/status.json: No such file or directory (is aifabd running?)" \
	-- health show --run-dir "$tmp/none"
cat >"$tmp/status.json" <<'EOF'
{"version": 1, "links": [{"name": "l0", "state": "down",
 "since": "2026-01-01T00:00:00Z", "why": "kernel reports down"}],
 "partitions": [{"name": "red", "tenant": "acme", "state": "up",
 "since": "2026-01-01T00:00:01Z", "why": "configured"}], "decisions": []}
EOF
t "health show prints a table per kind" 0 "links:
NAME * STATE * SINCE * WHY
l0 * down * 2026-01-01T00:00:00Z kernel reports down

partitions:
NAME * STATE * SINCE * WHY
red * up * 2026-01-01T00:00:01Z configured" "" -- health show --run-dir "$tmp"
t "health show -j prints the arrays" 0 \
	'{"links":[[]{"name":"l0",*}],"partitions":[[]{"name":"red",*}],"decisions":[[]]}' "" \
	-- health show -j --run-dir "$tmp"
t "-j before the object works too" 0 '{"links":*' "" -- -j health show --run-dir "$tmp"
echo '{"links": [{"name": "l0"}], "partitions": [], "decisions": []}' >"$tmp/status.json"
t "a malformed status file is refused" 1 "" \
	"aifabctl: health show: $tmp/status.json is malformed" -- health show --run-dir "$tmp"
if [ -e /sys/module/aifab ]; then
	skip "dev show without the module" "the aifab module is loaded"
	skip "-j dev show without the module" "the aifab module is loaded"
else
	t "dev show without the module" 1 "" \
		"aifabctl: aifab: the aifab kernel module is not loaded" -- dev show
	t "-j dev show without the module" 1 "" \
		"aifabctl: aifab: the aifab kernel module is not loaded" -- -j dev show
fi
[ "$failed" -eq 0 ]
