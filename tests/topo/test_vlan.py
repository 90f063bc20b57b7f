"""DOC: issue 2, test 2 -- VLAN isolation and 802.1Q trunks.

All hosts share one IP subnet (10.0.0.0/24), so only the switch's VLANs
can keep them apart: hosts x10 are in VLAN 10, hosts x20 in VLAN 20.

- One okapid: same-VLAN hosts reach each other, cross-VLAN hosts do not.
- Two okapid instances joined by a veth pair, each end an "attach packet"
  trunk port carrying VLANs 10 and 20: hosts reach their VLAN peer on the
  other switch only.  Both ends of the trunk veth are captured (scapy), tshark
  must decode every captured frame without error, and the capture must
  hold 802.1Q frames with VID 10 (from the VLAN 10 hosts only) and VID 20
  (from the VLAN 20 hosts only) and no untagged frame.
- "switchport trunk native vlan 10" sends VLAN 10 untagged.
- A frame tagged with a VLAN the trunk does not allow is dropped and
  counted under "vlan".
"""

from scapy.layers.inet import IP
from scapy.layers.l2 import ARP, Dot1Q, Ether

from conftest import (drop_count, ifname, run_and_expect, sh, tap_port, tshark_malformed,
                      vlan_table)

VLANS = "vlan 10\n name ten\n!\nvlan 20\n name twenty\n!\n"
IPS = {"a10": "10.0.0.11", "b10": "10.0.0.12", "a20": "10.0.0.21", "b20": "10.0.0.22"}


def _hosts(ns, names):
    """Namespaces and TAP device names for the given host names."""
    return {n: (ns(n), ifname("t" + n)) for n in names}


def _ports(hosts):
    return "".join(tap_port(f"p{n}", dev, h, vlan=int(n[1:]))
                   for n, (h, dev) in hosts.items())


def _configure(hosts):
    for n, (h, dev) in hosts.items():
        h.host(dev, IPS[n] + "/24")


def test_vlan_isolation_on_one_switch(ns, okapid):
    hosts = _hosts(ns, IPS)
    sw = okapid("sw1").start("hostname sw1\n" + VLANS + _ports(hosts))
    _configure(hosts)
    a10, a20 = hosts["a10"][0], hosts["a20"][0]
    a10.wait_ping(IPS["b10"])
    a20.wait_ping(IPS["b20"])
    assert not a10.can_ping(IPS["a20"], wait=1)
    assert not a10.can_ping(IPS["b20"], wait=1)
    assert not a20.can_ping(IPS["b10"], wait=1)

    vlans_by_mac = {}
    for e in sw.fdb():
        vlans_by_mac.setdefault(e["mac"], set()).add(e["vlan"])
    assert vlans_by_mac[a10.mac(hosts["a10"][1])] == {10}
    assert vlans_by_mac[a20.mac(hosts["a20"][1])] == {20}
    table = vlan_table(sw.ctl_json("show vlan"))
    assert table[10] == ("ten", {"pa10", "pb10"}), table
    assert table[20] == ("twenty", {"pa20", "pb20"}), table


def _trunk(name, dev, extra=()):
    lines = [f"interface {name}", f" attach packet {dev}", " switchport mode trunk",
             " switchport trunk allowed vlan 10,20"] + [f" {x}" for x in extra]
    return "\n".join(lines) + "\n!\n"


def _two_switches(ns, okapid, veth, trunk_extra=()):
    va, vb = veth()
    hosts = _hosts(ns, IPS)
    side1 = {n: hosts[n] for n in ("a10", "a20")}
    side2 = {n: hosts[n] for n in ("b10", "b20")}
    sw1 = okapid("sw1").start("hostname sw1\n" + VLANS + _ports(side1)
                              + _trunk("t1", va, trunk_extra))
    sw2 = okapid("sw2").start("hostname sw2\n" + VLANS + _ports(side2)
                              + _trunk("t2", vb, trunk_extra))
    _configure(hosts)
    return sw1, sw2, (va, vb), {n: h for n, (h, _) in hosts.items()}


def _sources(frame):
    if ARP in frame:
        return {frame[ARP].psrc}
    if IP in frame:
        return {frame[IP].src}
    return set()


def _cross_trunk(h, capture, rundir, trunk):
    """Pings across the trunk while capturing both ends of its veth (each
    end's ingress shows what the other switch sent); returns the frames,
    after checking that tshark decodes them all cleanly."""
    cap = capture(trunk, rundir / "trunk.pcap")
    h["a10"].wait_ping(IPS["b10"])
    h["a20"].wait_ping(IPS["b20"])
    assert not h["a10"].can_ping(IPS["b20"], wait=1)
    assert not h["a20"].can_ping(IPS["b10"], wait=1)
    frames = cap.frames()
    assert not tshark_malformed(cap.path)
    return frames


def test_trunk_between_two_switches(ns, veth, okapid, capture, rundir):
    sw1, sw2, trunk, h = _two_switches(ns, okapid, veth)
    frames = _cross_trunk(h, capture, rundir, trunk)

    by_vid = {}
    untagged = []
    for f in frames:
        if Dot1Q in f:
            by_vid.setdefault(f[Dot1Q].vlan, []).append(f)
        else:
            untagged.append(f)
    assert not untagged, f"untagged frames on the trunk: {[f.summary() for f in untagged]}"
    assert set(by_vid) == {10, 20}, f"VIDs seen: {sorted(by_vid)}"
    src10 = set().union(*(_sources(f) for f in by_vid[10]))
    src20 = set().union(*(_sources(f) for f in by_vid[20]))
    assert src10 == {IPS["a10"], IPS["b10"]}, src10
    assert src20 == {IPS["a20"], IPS["b20"]}, src20


def test_trunk_native_vlan_untagged(ns, veth, okapid, capture, rundir):
    sw1, sw2, trunk, h = _two_switches(ns, okapid, veth,
                                       trunk_extra=["switchport trunk native vlan 10"])
    frames = _cross_trunk(h, capture, rundir, trunk)
    untagged_src = set().union(*(_sources(f) for f in frames if Dot1Q not in f))
    tagged = {f[Dot1Q].vlan for f in frames if Dot1Q in f}
    assert untagged_src == {IPS["a10"], IPS["b10"]}, untagged_src
    assert tagged == {20}, tagged


def test_trunk_drops_disallowed_vlan(ns, veth, okapid):
    """A frame tagged VID 30 on a trunk that allows 10,20 is dropped and
    counted as a VLAN drop; VID 10 frames are accepted."""
    va, vb = veth()
    peer = ns("peer")
    sh(["ip", "link", "set", vb, "netns", peer.name])
    peer.exec(["ip", "link", "set", vb, "up"])
    sw = okapid("sw1").start("hostname sw1\n" + VLANS + _trunk("t1", va))
    before = sw.intf("t1")
    base = Ether(src="02:00:00:00:30:01", dst="ff:ff:ff:ff:ff:ff")
    bad = [bytes(base / Dot1Q(vlan=30) / ARP(psrc="10.0.0.30", pdst="10.0.0.31"))] * 5
    peer.send_frames(vb, bad)
    run_and_expect(lambda: drop_count(sw.intf("t1"), "vlan") - drop_count(before, "vlan"),
                   5, 10, what="vlan drops on t1")
    good = bytes(Ether(src="02:00:00:00:10:01", dst="ff:ff:ff:ff:ff:ff")
                 / Dot1Q(vlan=10) / ARP(psrc="10.0.0.40", pdst="10.0.0.41"))
    peer.send_frames(vb, [good])
    run_and_expect(lambda: any(e["mac"] == "02:00:00:00:10:01" and e["vlan"] == 10
                               for e in sw.fdb()), True, 10, what="VID 10 source learned")
    assert drop_count(sw.intf("t1"), "vlan") - drop_count(before, "vlan") == 5
