#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/allreduce, in TAP: the ring all-reduce over 2, 3 and 4
# accelerators is exact for sizes that do and do not divide evenly, fails
# (exit 1) when a partition fence refuses its peer copies, and leaves every
# device's memory as it found it.
#
# Runs as root inside tools/vm-run; allreduce checks its own result
# against a CPU reference and exits 0 only when every element matches.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tap_helpers.sh"
CTL=$(find_userspace aifabctl "${AIFABCTL:-}")
AR=$(find_tool allreduce/allreduce "${ALLREDUCE:-}")

echo "TAP version 13"
if [ "$(id -u)" != 0 ] || [ -z "${AIFAB_KO:-}" ] || [ ! -x "$CTL" ] ||
   [ ! -x "$AR" ]; then
	skip_all "needs root, AIFAB_KO (tools/vm-run), aifabctl and allreduce"
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

mem_used()
{
	"$CTL" -j dev show | python3 -c \
		'import json, sys; print(sum(d.get("mem_used") or 0 for d in json.load(sys.stdin)))'
}

cases=(
	"4 1"
	"4 1000"
	"4 1000003"
	"4 262144"
	"2 1"
	"2 4097"
	"2 65536"
	"3 5"
	"3 100000"
)
echo "1..$((${#cases[@]} + 2))"

before=$(mem_used)
for c in "${cases[@]}"; do
	set -- $c
	devs=()
	for i in $(seq 0 $(($1 - 1))); do
		devs+=(--dev "accel$i")
	done
	"$AR" "${devs[@]}" --count "$2" >"$TMP/out" 2>&1
	check $? "all-reduce over $1 accelerators, $2 elements each" "$(cat "$TMP/out")"
done

"$CTL" partition add red tenant acme dev accel0 accel1 &&
	"$CTL" partition add blue tenant globex dev accel2 accel3
"$AR" --count 1000 >"$TMP/out" 2>&1
st=$?
[ $st = 1 ] && grep -qi "permission denied" "$TMP/out"
check $? "a ring across a partition fence fails with exit 1 (got $st)" "$(cat "$TMP/out")"
"$CTL" partition del red
"$CTL" partition del blue

[ "$(mem_used)" = "$before" ]
check $? "all-reduce releases all its memory"

[ "$failed" = 0 ]
