#!/bin/bash
# make demo: two "VMs" (network namespaces on TAP ports) ping each other
# through okapid, then okapictl shows the interfaces and the MAC table.
# Everything the demo creates is removed on exit.
set -eu
cd "$(dirname "$0")/.."
OKAPID=${OKAPID:-build/okapid}
OKAPICTL=${OKAPICTL:-build/okapictl}
tag=demo$$
dir=$(mktemp -d /tmp/okapi-demo.XXXXXX)
sock=$dir/okapid.sock
pid=""

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	ip netns del "${tag}a" 2>/dev/null || true
	ip netns del "${tag}b" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

if [ "$(id -u)" != 0 ]; then
	echo "make demo needs root (network namespaces and TAP devices)" >&2
	exit 1
fi
ip netns add "${tag}a"
ip netns add "${tag}b"
cat > "$dir/okapi.conf" <<CONF
hostname demo
vlan 10
 name vms
interface vm1
 description first VM
 attach tap ${tag}t1 netns ${tag}a
 switchport access vlan 10
interface vm2
 description second VM
 attach tap ${tag}t2 netns ${tag}b
 switchport access vlan 10
CONF
echo "== okapid.conf"
cat "$dir/okapi.conf"
"$OKAPID" --foreground -f "$dir/okapi.conf" -S "$sock" --log-level warnings &
pid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
ip -n "${tag}a" addr add 192.168.10.1/24 dev "${tag}t1"
ip -n "${tag}b" addr add 192.168.10.2/24 dev "${tag}t2"
echo "== vm1 pings vm2 through okapid"
ip netns exec "${tag}a" ping -c 3 -i 0.2 192.168.10.2
echo "== okapictl show interface brief"
"$OKAPICTL" -S "$sock" show interface brief
echo "== okapictl show mac-address-table"
"$OKAPICTL" -S "$sock" show mac-address-table
echo "== demo done"
