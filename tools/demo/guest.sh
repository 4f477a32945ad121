#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo's steps, inside the VM that tools/demo/demo boots: aifabd with
# its embedded default, two tenants, their all-reduces side by side, a
# refused cross-tenant RDMA read, a link failure and a partition delete
# that scrubs memory. Each step ends with one PASS or FAIL line; the exit
# status is the number of failed steps (0: all passed).
#
# Every claim is checked through the real interfaces: aifabctl (netlink),
# aifabd's status file, the tools' own verdicts and the device counters.
set -u

REPO=$(cd "$(dirname "$0")/../.." && pwd)
B=$REPO/build
CTL=$B/userspace/aifabctl/aifabctl
AIFABD=$B/userspace/aifabd/aifabd
AR=$B/tools/allreduce/allreduce
RAR=$B/tools/allreduce/rdma_allreduce
HOLDER=$B/tools/demo/secret_holder

T=$(mktemp -d)
RUN=$T/run
STATE=$T/state
failed=0
step=0
pids=()

cleanup()
{
	local p

	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

say()
{
	printf '      %s\n' "$@"
}

begin()
{
	step=$((step + 1))
	printf '\n[%d/5] %s\n' "$step" "$1"
}

verdict()
{
	if [ "$1" = 0 ]; then
		printf '      PASS  %s\n' "$2"
	else
		printf '      FAIL  %s\n' "$2"
		failed=$((failed + 1))
	fi
}

# wait_for SECONDS CMD...: poll CMD until it succeeds.
wait_for()
{
	local deadline=$((SECONDS + $1))

	shift
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

json()
{
	python3 -c "import json, sys; d = json.load(sys.stdin); $1"
}

start_daemon()
{
	mkdir -p "$RUN" "$STATE"
	"$AIFABD" --foreground --run-dir "$RUN" --state-dir "$STATE" \
		--log-level info 2>"$T/aifabd.log" &
	pids+=($!)
	wait_for 60 test -s "$RUN/status.json"
}

# The two tenants. red spans both kinds of device and two EFA devices, so
# its all-reduce also crosses the network; blue mirrors it.
tenants_yaml()
{
	cat <<YAML
tenants:
- name: acme
- name: globex
partitions:
- name: red
  tenant: acme
  devices: [accel0, accel2, efa0, efa2]
YAML
	[ "${1:-}" = without-blue ] || cat <<YAML
- name: blue
  tenant: globex
  devices: [accel1, accel3, efa1, efa3]
YAML
	cat <<YAML
fences: []
health:
  flap_damping_ms: 2000
  on_link_down: reroute
YAML
}

step_partitions()
{
	local ok=0

	begin "Two tenants' partitions, declared in /etc/aifab/aifab.yaml, applied by 'aifabctl reload'"
	mkdir -p /etc/aifab
	tenants_yaml >/etc/aifab/aifab.yaml
	"$CTL" reload --run-dir "$RUN" | sed 's/^/      | /' || ok=1
	"$CTL" partition show | sed 's/^/      | /'
	[ "$("$CTL" -j partition show | json \
		'print(" ".join(sorted(p["name"] + ":" + p["tenant"] for p in d)))')" = \
	  "blue:globex red:acme" ] || ok=1
	verdict $ok "partitions red (acme) and blue (globex) exist as declared"
}

# rdma_allreduce prints how many bytes the EFA engine copied between the
# accelerators' own pages: that is the zero-copy proof.
step_allreduce()
{
	local ok=0 p rc names=(red-accel red-rdma blue-accel blue-rdma)
	local -a run=()

	begin "All-reduce in both partitions at once: accelerator links and RDMA with dma-buf MRs"
	"$AR" --dev accel0 --dev accel2 --iters 3 >"$T/red-accel" 2>&1 & run+=($!)
	"$RAR" --rank accel0:efa0 --rank accel2:efa2 --iters 3 >"$T/red-rdma" 2>&1 & run+=($!)
	"$AR" --dev accel1 --dev accel3 --iters 3 >"$T/blue-accel" 2>&1 & run+=($!)
	"$RAR" --rank accel1:efa1 --rank accel3:efa3 --iters 3 >"$T/blue-rdma" 2>&1 & run+=($!)
	for p in 0 1 2 3; do
		wait "${run[$p]}"
		rc=$?
		say "${names[$p]}: exit $rc: $(tail -n 1 "$T/${names[$p]}")"
		[ "$rc" = 0 ] || ok=1
	done
	# The devices' own counters: every byte moved once, accelerator to
	# accelerator, with no bounce through host memory.
	grep -h '^efa[0-9] ' "$T/red-rdma" "$T/blue-rdma" | sed 's/^/      | /'
	[ "$(cat "$T/red-rdma" "$T/blue-rdma" |
	     grep -c 'zero-copy, every byte copied once')" = 4 ] || ok=1
	verdict $ok "four all-reduces ran side by side, every element checked against the CPU, and the RDMA bytes moved once, accelerator to accelerator"
}

step_cross_tenant()
{
	local ok=0 mon

	begin "A cross-tenant RDMA read is refused"
	"$CTL" monitor >"$T/monitor" 2>&1 &
	mon=$!
	sleep 1
	"$RAR" --expect-refused --rank accel1:efa1 --rank accel0:efa0 \
		>"$T/cross" 2>&1 || ok=1
	sed 's/^/      | /' "$T/cross"
	wait_for 10 grep -q 'fence-violation.*efa1 -> efa0\|fence-violation.*efa0 -> efa1' "$T/monitor" || ok=1
	kill "$mon" 2>/dev/null
	wait "$mon" 2>/dev/null
	grep 'fence-violation' "$T/monitor" | head -n 2 | sed 's/^/      event: /'
	verdict $ok "globex's read of acme's memory failed, and the fabric reported the violation"
}

# aifabd's verdict on red, from its status file: up, and rerouted.
red_rerouted()
{
	"$CTL" -j health show --run-dir "$RUN" | json '
p = [p for p in d["partitions"] if p["name"] == "red"][0]
sys.exit(0 if p["state"] == "up" and "rerouted" in p["why"] else 1)'
}

step_link_failure()
{
	local ok=0 traffic rc

	begin "A link fails under traffic: aifabd decides, the traffic goes on"
	"$RAR" --rank accel0:efa0 --rank accel2:efa2 --iters 40 >"$T/under-failure" 2>&1 &
	traffic=$!
	sleep 2
	say "route before: $("$CTL" route get efa0 efa2)"
	"$CTL" link set efa0-efa2 state down
	say "injected: aifabctl link set efa0-efa2 state down"
	wait_for 20 red_rerouted || ok=1
	say "route after:  $("$CTL" route get efa0 efa2)"
	"$CTL" health show --run-dir "$RUN" |
		grep -E '^(links|partitions):|^NAME|^efa0-efa2 |^red |^blue ' |
		sed 's/^/      | /'
	wait "$traffic"
	rc=$?
	say "red's RDMA all-reduce during the failure: exit $rc: $(tail -n 1 "$T/under-failure")"
	[ "$rc" = 0 ] || ok=1
	grep -E 'notice\]: (link efa0-efa2|partition red): ' "$T/aifabd.log" |
		sed 's/^[^ ]* /      log: /'
	"$CTL" link set efa0-efa2 state up
	verdict $ok "efa0-efa2 went down, aifabd rerouted red, and its all-reduce finished without error"
}

step_scrub()
{
	local ok=0 holder rc mon

	begin "Deleting a partition scrubs its accelerators' memory"
	"$HOLDER" --dev accel1 --size 4194304 --ready "$T/ready" >"$T/holder" 2>&1 &
	holder=$!
	pids+=("$holder")
	wait_for 30 test -e "$T/ready" || ok=1
	say "globex: $(head -n 1 "$T/holder")"
	"$CTL" monitor >"$T/monitor2" 2>&1 &
	mon=$!
	sleep 1
	tenants_yaml without-blue >/etc/aifab/aifab.yaml
	"$CTL" reload --run-dir "$RUN" | sed 's/^/      | /' || ok=1
	wait_for 10 grep -Eq 'del blue.*scrub-bytes [1-9]' "$T/monitor2" || ok=1
	kill "$mon" 2>/dev/null
	wait "$mon" 2>/dev/null
	grep 'del blue' "$T/monitor2" | sed 's/^/      event: /'
	kill -USR1 "$holder"
	wait "$holder"
	rc=$?
	say "globex: $(tail -n 1 "$T/holder")"
	[ "$rc" = 0 ] || ok=1
	verdict $ok "blue is gone and not one byte of globex's memory survived it"
}

printf 'aifab demo on Linux %s (QEMU, TCG)\n' "$(uname -r)"
# The guest's /etc is an overlay: this hides a host file, never removes it.
rm -f /etc/aifab/aifab.yaml
start_daemon || { echo "FAIL  aifabd did not start:"; cat "$T/aifabd.log"; exit 1; }
printf 'aifabd is running with its embedded default (%s)\n' \
	"$(json 'print(d["config"])' <"$RUN/status.json")"
step_partitions
step_allreduce
step_cross_tenant
step_link_failure
step_scrub
printf '\n%d of 5 steps passed\n' $((5 - failed))
exit "$failed"
