#!/bin/bash
# DOC: quick single-stream TCP measurement for the offload work
#
#   bench/iperf-pair.sh [-r ROUNDS] [-t SECONDS] [-P STREAMS] [-o OKAPID]
#                       [-B BASELINE_OKAPID] [-p] [-c]
#
# Two network namespaces talk through (a) okapid with two TAP ports moved
# into them and (b) a Linux bridge over veth pairs (the bridge lives in a
# third namespace, so nothing in the root namespace is touched), and with
# -B (c) a second okapid binary, e.g. the build before a change.  The
# contenders run interleaved (A B C A B C ...) ROUNDS times; each prints
# its iperf3 receiver throughput and the medians are printed at the end,
# with the ratios to the bridge from the same run.  With -p, `perf record
# -g` samples okapid during the first okapid round into
# /tmp/okapi-bench.perf.data.  With -c, each okapid round also prints (on
# stderr) the CPU time okapid spent per GB received, which depends much
# less on thread placement than throughput does.  OKAPI_BENCH_HOOK, if set, is run with
# okapid's pid before each okapid measurement (e.g. to pin or renice it).
# Everything created is removed on exit (trap), processes by pid.  The
# machine should be otherwise idle: the numbers are CPU-bound.
set -u
ROUNDS=3 SECS=5 STREAMS=1 PERF=0 BASELINE="" CPU=0
OKAPID=$(cd "$(dirname "$0")/.." && pwd)/build/okapid
while getopts "r:t:P:o:B:pc" o; do
	case $o in
	r) ROUNDS=$OPTARG ;; t) SECS=$OPTARG ;; P) STREAMS=$OPTARG ;;
	o) OKAPID=$OPTARG ;; B) BASELINE=$OPTARG ;; p) PERF=1 ;; c) CPU=1 ;;
	*) exit 2 ;;
	esac
done
TAG=okb$$
DIR=$(mktemp -d /tmp/$TAG.XXXX)
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	for n in a b br; do ip netns del $TAG-$n 2>/dev/null; done
	rm -rf "$DIR"
}
trap cleanup EXIT

nsx() { local n=$1; shift; ip netns exec "$TAG-$n" "$@"; }

# utime + stime of process $1, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# iperf3 from a to b (10.9.0.2); prints Gbit/s received.
run_iperf() {
	nsx b iperf3 -s -1 -B 10.9.0.2 >/dev/null 2>&1 &
	local srv=$!
	for _ in $(seq 100); do
		nsx b ss -ltn | grep -q ':5201' && break
		sleep 0.05
	done
	nsx a iperf3 -c 10.9.0.2 -t "$SECS" -P "$STREAMS" -J >"$DIR/out.json"
	wait $srv
	/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.2f" % (d["end"]["sum_received"]["bits_per_second"]/1e9))' "$DIR/out.json"
}

# Prints (stderr) okapid's CPU per GB for the last run: $1 = ticks used.
report_cpu() {
	/usr/bin/python3 -c 'import json,os,sys; d=json.load(open(sys.argv[1])); gb=d["end"]["sum_received"]["bytes"]/1e9; print("okapid CPU: %.0f ms per GB" % (int(sys.argv[2])*1000/os.sysconf("SC_CLK_TCK")/gb), file=sys.stderr)' "$DIR/out.json" "$1"
}

hosts() {
	for n in a b; do
		ip netns add $TAG-$n
		nsx $n ip link set lo up
	done
}

# okapid (binary $2) with TAP ports ta/tb moved into the namespaces.
okapid_round() {
	local perf=$1 bin=$2
	hosts
	cat >"$DIR/okapi.conf" <<CONF
interface p1
 attach tap ${TAG}ta netns $TAG-a
!
interface p2
 attach tap ${TAG}tb netns $TAG-b
!
CONF
	"$bin" -f "$DIR/okapi.conf" -S "$DIR/ctl.sock" --foreground \
		--log-level warning >"$DIR/okapid.log" 2>&1 &
	local pid=$!
	for _ in $(seq 200); do
		nsx a ip link show ${TAG}ta >/dev/null 2>&1 &&
		nsx b ip link show ${TAG}tb >/dev/null 2>&1 && break
		sleep 0.05
	done
	nsx a ip addr add 10.9.0.1/24 dev ${TAG}ta
	nsx b ip addr add 10.9.0.2/24 dev ${TAG}tb
	nsx a ip link set ${TAG}ta up
	nsx b ip link set ${TAG}tb up
	nsx a ping -c 1 -W 2 10.9.0.2 >/dev/null || nsx a ping -c 1 -W 2 10.9.0.2 >/dev/null
	local pp=""
	if [ -n "${OKAPI_BENCH_HOOK:-}" ]; then
		$OKAPI_BENCH_HOOK $pid
	fi
	if [ "$perf" = 1 ]; then
		perf record -g -o /tmp/okapi-bench.perf.data -p $pid >/dev/null 2>&1 &
		pp=$!
	fi
	local t0
	t0=$(cpu_ticks $pid)
	run_iperf
	[ "$CPU" = 1 ] && report_cpu $(($(cpu_ticks $pid) - t0))
	[ -n "$pp" ] && { kill -INT $pp; wait $pp; }
	kill $pid; wait $pid
	for n in a b; do ip netns del $TAG-$n; done
}

bridge_round() {
	hosts
	ip netns add $TAG-br
	nsx br ip link add br0 type bridge
	nsx br ip link set br0 up
	for n in a b; do
		nsx br ip link add v$n type veth peer name h$n netns $TAG-$n
		nsx br ip link set v$n master br0 up
	done
	nsx a ip addr add 10.9.0.1/24 dev ha; nsx a ip link set ha up
	nsx b ip addr add 10.9.0.2/24 dev hb; nsx b ip link set hb up
	nsx a ping -c 1 -W 3 10.9.0.2 >/dev/null
	run_iperf
	for n in a b br; do ip netns del $TAG-$n; done
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

: >"$DIR/okapid.res"; : >"$DIR/bridge.res"; : >"$DIR/base.res"
for r in $(seq "$ROUNDS"); do
	o=$(okapid_round $([ "$PERF" = 1 ] && [ "$r" = 1 ] && echo 1 || echo 0) "$OKAPID")
	b=$(bridge_round)
	line="round $r: okapid $o Gbit/s, bridge $b Gbit/s"
	if [ -n "$BASELINE" ]; then
		c=$(okapid_round 0 "$BASELINE")
		echo "$c" >>"$DIR/base.res"
		line="$line, baseline $c Gbit/s"
	fi
	echo "$line"
	echo "$o" >>"$DIR/okapid.res"; echo "$b" >>"$DIR/bridge.res"
done
ratio() { awk "BEGIN{printf \"%.2f\", $1/$2}"; }
mo=$(median <"$DIR/okapid.res"); mb=$(median <"$DIR/bridge.res")
echo "median: okapid $mo Gbit/s, bridge $mb Gbit/s, ratio $(ratio "$mo" "$mb")"
if [ -n "$BASELINE" ]; then
	mc=$(median <"$DIR/base.res")
	echo "median: baseline $mc Gbit/s, ratio $(ratio "$mc" "$mb"); okapid/baseline $(ratio "$mo" "$mc")"
fi
