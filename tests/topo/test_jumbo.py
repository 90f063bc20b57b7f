"""DOC: issue 2, test 4 -- jumbo frames and oversize drops.

- MTU 9000 on both okapid ports and both host NICs: a 9000-byte IP packet
  with DF set (ping -M do -s 8972) crosses the switch.
- Port p1 left at MTU 1500 while h1's NIC sends 9000-byte packets: okapid
  drops them on ingress and counts them as "oversize"; 1500-byte packets
  still pass.
- Port p2 at 1500 while p1 is at 9000: the frame fits p1 but not p2, so it
  is dropped (counted as oversize on one of the two ports) and never reaches
  h2.
- Crafted frames at the edge: a 1514-byte frame (MTU + 14) on a 1500 port is
  accepted, a 1515-byte one is an oversize drop.
"""

from scapy.layers.l2 import Ether
from scapy.packet import Raw

from conftest import drop_count, intf_mtu, run_and_expect

BIG = ["-M", "do", "-s", "8972"]


def _oversize(sw, port):
    return drop_count(sw.intf(port), "oversize")


def test_jumbo_end_to_end(two_hosts):
    sw, h1, h2, d1, d2 = two_hosts(p1_extra=["mtu 9000"], p2_extra=["mtu 9000"])
    for h, d in ((h1, d1), (h2, d2)):
        h.exec(["ip", "link", "set", d, "mtu", "9000"])
    assert intf_mtu(sw.intf("p1")) == 9000
    h1.wait_ping("10.0.0.2")
    r = h1.ping("10.0.0.2", count=3, interval=0.1, extra=BIG)
    assert r.returncode == 0 and " 0% packet loss" in r.stdout, r.stdout
    assert _oversize(sw, "p1") == 0 and _oversize(sw, "p2") == 0


def test_oversize_dropped_on_ingress(two_hosts):
    sw, h1, h2, d1, d2 = two_hosts(p2_extra=["mtu 9000"])
    for h, d in ((h1, d1), (h2, d2)):
        h.exec(["ip", "link", "set", d, "mtu", "9000"])
    h1.wait_ping("10.0.0.2")
    r = h1.ping("10.0.0.2", count=3, interval=0.1, wait=1, extra=BIG)
    assert r.returncode != 0 and "100% packet loss" in r.stdout, r.stdout
    run_and_expect(lambda: _oversize(sw, "p1"), lambda n: n >= 3, 10,
                   what="oversize drops on p1")
    r = h1.ping("10.0.0.2", count=3, interval=0.1, extra=["-M", "do", "-s", "1472"])
    assert r.returncode == 0, r.stdout


def test_oversize_dropped_on_egress(two_hosts):
    sw, h1, h2, d1, d2 = two_hosts(p1_extra=["mtu 9000"])
    for h, d in ((h1, d1), (h2, d2)):
        h.exec(["ip", "link", "set", d, "mtu", "9000"])
    h1.wait_ping("10.0.0.2")
    r = h1.ping("10.0.0.2", count=3, interval=0.1, wait=1, extra=BIG)
    assert r.returncode != 0 and "100% packet loss" in r.stdout, r.stdout
    run_and_expect(lambda: _oversize(sw, "p1") + _oversize(sw, "p2"),
                   lambda n: n >= 3, 10, what="oversize drops on p1/p2")


def test_oversize_boundary(two_hosts):
    sw, h1, h2, d1, d2 = two_hosts()
    # The host NIC must be able to emit the frames okapid has to refuse.
    h1.exec(["ip", "link", "set", d1, "mtu", "9000"])
    h1.wait_ping("10.0.0.2")
    src = h1.mac(d1)

    def frame(size):
        head = Ether(src=src, dst="ff:ff:ff:ff:ff:ff", type=0x88b5)
        return bytes(head / Raw(bytes(size - 14)))

    before = _oversize(sw, "p1")
    h1.send_frames(d1, [frame(1514), frame(1515), frame(1514), frame(9014)])
    run_and_expect(lambda: _oversize(sw, "p1") - before, 2, 10,
                   what="exactly the 1515- and 9014-byte frames dropped")
    assert h1.can_ping("10.0.0.2")
    assert _oversize(sw, "p1") - before == 2
