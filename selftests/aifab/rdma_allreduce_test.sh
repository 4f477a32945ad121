#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/allreduce/rdma_allreduce, in TAP: the all-reduce across
# accelerators over the EFA devices, with zero-copy dma-buf regions.
#
# - 2 ranks (accel0 over efa0, accel2 over efa1; the default topology makes
#   efa0 affine to accel0 and accel1, efa1 to accel2 and accel3) at sizes
#   that are and are not a multiple of the page size: exit 0, and each EFA
#   device's engine copied exactly iterations x the bytes its rank read,
#   which for 2 ranks is the whole buffer: one copy, accelerator to
#   accelerator. READs split into pieces by --max-read are counted too;
# - rings of 3 and 4 ranks sharing the 2 EFA devices;
# - ranks in two partitions without a fence: --expect-refused exits 0, a
#   fence-violation event names the two EFA devices, nothing moves; without
#   it, exit 1 and the explanation of status 13; a fence lets it through;
# - argument garbage: exit 2 with a message;
# - every buffer, region and QP is given back.
#
# Runs as root inside tools/vm-run; the tool checks its result against a
# CPU reference, and this script reads the device counters itself.

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/tap_helpers.sh"
CTL=$(find_userspace aifabctl "${AIFABCTL:-}")
RA=$(find_tool allreduce/rdma_allreduce "${RDMA_ALLREDUCE:-}")
DBG=/sys/kernel/debug/aifab

echo "TAP version 13"
if [ "$(id -u)" != 0 ] || [ -z "${AIFAB_KO:-}" ] || [ ! -x "$CTL" ] ||
   [ ! -x "$RA" ]; then
	skip_all "needs root, AIFAB_KO (tools/vm-run), aifabctl and rdma_allreduce"
fi
TMP=$(mktemp -d)
MON=
trap '[ -z "$MON" ] || kill "$MON" 2>/dev/null; rm -rf "$TMP"' EXIT

# engine IBDEV / reads IBDEV / read_wrs IBDEV: one counter of an EFA device.
engine()
{
	awk '$1 == "engine_copied_bytes" { print $2 }' "$DBG/efa/$1/stats"
}
reads()
{
	cat "/sys/class/infiniband/$1/ports/1/hw_counters/rdma_read_bytes"
}
read_wrs()
{
	cat "/sys/class/infiniband/$1/ports/1/hw_counters/rdma_read_wrs"
}

# snap: every counter of both devices, one line: efa0's engine_copied_bytes,
# rdma_read_bytes and rdma_read_wrs, then efa1's.
snap()
{
	echo "$(engine aifab_efa0) $(reads aifab_efa0) $(read_wrs aifab_efa0)" \
	     "$(engine aifab_efa1) $(reads aifab_efa1) $(read_wrs aifab_efa1)"
}
E0=0 R0=1 W0=2 E1=3 R1=4 W1=5

# delta BEFORE AFTER K: how much counter K of snap grew.
delta()
{
	local b a

	read -ra b <<<"$1"
	read -ra a <<<"$2"
	echo $((a[$3] - b[$3]))
}

# Objects that a run makes and must give back, from debugfs.
objects()
{
	grep -E '^(accel_bo|accel_job|accel_fence|efa_[a-z]+) ' "$DBG/objects" | tr '\n' ' '
}

mem_used()
{
	"$CTL" -j dev show | python3 -c \
		'import json, sys; print(sum(d.get("mem_used") or 0 for d in json.load(sys.stdin)))'
}

# bytes_read COUNT N RANK: what rank RANK of an N-rank ring reads in one
# all-reduce: every chunk but its own in reduce-scatter, every chunk but
# its right neighbour's in all-gather; chunk c is [COUNT*c/N, COUNT*(c+1)/N).
bytes_read()
{
	awk -v cnt="$1" -v n="$2" -v r="$3" 'function ch(c) {
		c = (c + n) % n
		return int(cnt * (c + 1) / n) - int(cnt * c / n)
	} BEGIN { print (2 * cnt - ch(r) - ch(r + 1)) * 4 }'
}

# pieces BYTES MAX: READs of at most MAX bytes that BYTES takes.
pieces()
{
	echo $((($1 + $2 - 1) / $2))
}

echo "1..22"
before_mem=$(mem_used)
before_obj=$(objects)

# 1-10: two ranks, one on each EFA device, several sizes; 4100 and 4000012
# bytes are not multiples of the page size.
iters=3
for count in 1 1025 65536 1000003 262144; do
	s0=$(snap)
	"$RA" --rank accel0:efa0 --rank accel2:efa1 --count $count \
		--iters $iters >"$TMP/out" 2>&1
	st=$?
	s1=$(snap)
	[ $st = 0 ] && grep -q '^rdma_allreduce: correct$' "$TMP/out" &&
		grep -q "^rank 0: .* read $((iters * count * 4)) bytes from rank 1" "$TMP/out"
	check $? "2 ranks over efa0 and efa1, $count elements, $iters iterations: exit 0, correct (got $st)" \
		"$(cat "$TMP/out")"
	want=$((iters * count * 4))
	[ "$(delta "$s0" "$s1" $E0)" = $want ] && [ "$(delta "$s0" "$s1" $R0)" = $want ] &&
		[ "$(delta "$s0" "$s1" $E1)" = $want ] && [ "$(delta "$s0" "$s1" $R1)" = $want ] &&
		grep -q "engine_copied_bytes +$want rdma_read_bytes +$want" "$TMP/out"
	check $? "$count elements: each EFA engine copied exactly $iters x $((count * 4)) bytes, once, as READs" \
		"want $want; counters $s0 -> $s1"
done

# 11: pieces of at most 4096 bytes: every chunk of 200000 bytes takes 49.
count=100000 max=4096
s0=$(snap)
"$RA" --rank accel0:efa0 --rank accel2:efa1 --count $count --iters 2 \
	--max-read $max >"$TMP/out" 2>&1
st=$?
s1=$(snap)
want=$((2 * 2 * $(pieces $((count * 2)) $max)))
[ $st = 0 ] && [ "$(delta "$s0" "$s1" $W0)" = $want ] &&
	[ "$(delta "$s0" "$s1" $W1)" = $want ] &&
	[ "$(delta "$s0" "$s1" $E0)" = $((2 * count * 4)) ]
check $? "--max-read $max splits each chunk into $(pieces $((count * 2)) $max) READs ($want on each device), correct (got $st)" \
	"counters $s0 -> $s1; $(cat "$TMP/out")"

# 12-13: rings of 3 and 4 ranks; two ranks share each EFA device, whose
# engine copies what both read.
for ring in "accel0:efa0 accel1:efa0 accel2:efa1" \
	    "accel0:efa0 accel1:efa0 accel2:efa1 accel3:efa1"; do
	count=100001
	args=()
	for r in $ring; do
		args+=(--rank "$r")
	done
	# Not n: check() counts the results in it.
	nr=$((${#args[@]} / 2))
	s0=$(snap)
	"$RA" "${args[@]}" --count $count --iters 2 >"$TMP/out" 2>&1
	st=$?
	s1=$(snap)
	e0=$(( $(bytes_read $count $nr 0) + $(bytes_read $count $nr 1) ))
	e1=0
	for r in $(seq 2 $((nr - 1))); do
		e1=$((e1 + $(bytes_read $count $nr "$r")))
	done
	[ $st = 0 ] && grep -q '^rdma_allreduce: correct$' "$TMP/out" &&
		[ "$(delta "$s0" "$s1" $E0)" = $((2 * e0)) ] &&
		[ "$(delta "$s0" "$s1" $E1)" = $((2 * e1)) ]
	check $? "a ring of $nr ranks over 2 EFA devices: correct, engines copied $((2 * e0)) and $((2 * e1)) bytes (got $st)" \
		"counters $s0 -> $s1; $(cat "$TMP/out")"
done

# 14-18: two tenants, no fence between them.
"$CTL" partition add red tenant acme dev accel0 accel1 efa0 &&
	"$CTL" partition add blue tenant globex dev accel2 accel3 efa1
check $? "partitions red (accel0, accel1, efa0) and blue (accel2, accel3, efa1)"

"$CTL" -j monitor >"$TMP/mon" &
MON=$!
sleep 0.3
s0=$(snap)
"$RA" --rank accel0:efa0 --rank accel2:efa1 --count 5000 --expect-refused \
	>"$TMP/out" 2>&1
st=$?
s1=$(snap)
sleep 0.3
kill "$MON"
MON=
[ $st = 0 ] && grep -q 'was refused as expected, and nothing arrived' "$TMP/out" &&
	[ "$s0" = "$s1" ] &&
	grep -q '"event":"fence-violation","src":"efa0","dst":"efa1","reason":"fence","src_partition":"red","dst_partition":"blue"' "$TMP/mon"
check $? "a cross-tenant READ is refused: --expect-refused exits 0, nothing moves, and monitor shows the fence violation efa0 -> efa1 (got $st)" \
	"counters $s0 -> $s1; $(cat "$TMP/out"); monitor: $(cat "$TMP/mon")"

"$RA" --rank accel0:efa0 --rank accel2:efa1 --count 5000 >"$TMP/out" 2>&1
st=$?
[ $st = 1 ] &&
	# Both ranks read at once: either may be the first to be refused.
	grep -Eq 'RDMA READ from rank [01] \((accel0:efa0|accel2:efa1)\) failed: .*\(status 20, EFA status 13\): the fabric refused or could not reach the peer \(partition fence, link down or no path\)' "$TMP/out" &&
	grep -q '^rdma_allreduce: FAILED$' "$TMP/out"
check $? "without --expect-refused the same run exits 1 and explains status 13 (got $st)" \
	"$(cat "$TMP/out")"

"$CTL" fence add red blue &&
	"$RA" --rank accel0:efa0 --rank accel2:efa1 --count 4097 --iters 2 \
		>"$TMP/out" 2>&1
st=$?
[ $st = 0 ] && grep -q '^rdma_allreduce: correct$' "$TMP/out"
check $? "a fence between the partitions lets the all-reduce through (got $st)" \
	"$(cat "$TMP/out")"

"$RA" --rank accel0:efa0 --rank accel2:efa1 --count 5000 --expect-refused \
	>"$TMP/out" 2>&1
st=$?
[ $st = 1 ] && grep -q 'the READ was not refused' "$TMP/out"
check $? "with the fence, --expect-refused exits 1: the READ went through (got $st)" \
	"$(cat "$TMP/out")"
"$CTL" fence del red blue
"$CTL" partition del red
"$CTL" partition del blue

# refused_all ARGS|MESSAGE...: each rdma_allreduce command line must exit 2
# with MESSAGE in its output; the ones that do not are added to $bad.
refused_all()
{
	local g args msg st

	for g in "$@"; do
		IFS='|' read -r args msg <<<"$g"
		# shellcheck disable=SC2086 # the arguments are words
		"$RA" $args >"$TMP/out" 2>&1
		st=$?
		[ $st = 2 ] && grep -qF -- "$msg" "$TMP/out" ||
			bad="$bad [$args: $st: $(head -c 200 "$TMP/out")]"
	done
}

# 19-20: garbage. Each line: the arguments, then what the message says.
garbage=(
	"|needs at least 2 ranks"
	"--rank accel0:efa0|needs at least 2 ranks"
	"--rank accel0 --rank accel2:efa1|want ACCEL:EFA"
	"--rank accel0:efa0:x --rank accel2:efa1|want ACCEL:EFA"
	"--rank :efa0 --rank accel2:efa1|want an accelerator before"
	"--rank accel0: --rank accel2:efa1|is not an EFA device name"
	"--rank accel0:efa0 --rank accel2:ef\$a1|is not an EFA device name"
	"--rank accel0:efa0 --rank accel2:efa1xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx|is not an EFA device name"
	"--rank acc@el0:efa0 --rank accel2:efa1|is not a device name"
	"--rank accel0:efa0 --rank accel2:efa1 --count 0|--count needs a number"
	"--rank accel0:efa0 --rank accel2:efa1 --count 1073741825|--count needs a number"
	"--rank accel0:efa0 --rank accel2:efa1 --count 12x|--count needs a number"
	"--rank accel0:efa0 --rank accel2:efa1 --iters -1|--iters needs a number"
	"--rank accel0:efa0 --rank accel2:efa1 --max-read 0|--max-read needs a number"
	"--rank accel0:efa0 --rank accel2:efa1 stray|unexpected argument 'stray'"
	"--rank accel0:efa0 --rank accel2:efa1 --frobnicate|Try 'rdma_allreduce --help'"
)
bad=
refused_all "${garbage[@]}"
[ -z "$bad" ]
check $? "${#garbage[@]} kinds of argument garbage exit 2 with a message" "$bad"

# Devices that do not fit: checked against the module.
garbage=(
	"--rank accel0:efa0 --rank accel0:efa1|accel0 is in ranks 0 and 1"
	"--rank accel0:efa7 --rank accel2:efa1|efa7: no such fabric device"
	"--rank accel0:accel1 --rank accel2:efa1|accel1 is not an EFA device"
	"--rank efa0:efa0 --rank accel2:efa1|efa0: not a local aifab accelerator"
	"--rank accel9:efa0 --rank accel2:efa1|accel9: no such fabric device"
	"--rank accel0:efa0 --rank accel2:efa1 --count 300000000|accel0 has no room for a data buffer"
)
refused_all "${garbage[@]}"
[ -z "$bad" ]
check $? "${#garbage[@]} unusable ranks (same accelerator twice, unknown or wrong-kind devices, too large) exit 2 with a message" "$bad"

# 21-22: nothing left behind.
[ "$(mem_used)" = "$before_mem" ]
check $? "every accelerator buffer is given back"
# Job fences go when their last reference does, a little after the job.
for _ in $(seq 20); do
	[ "$(objects)" = "$before_obj" ] && break
	sleep 0.1
done
[ "$(objects)" = "$before_obj" ]
check $? "every job, fence, region, QP, CQ and AH is given back" \
	"before: $before_obj; after: $(objects)"

[ "$failed" = 0 ]
