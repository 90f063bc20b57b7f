"""DOC: issue 2, test 7 -- malformed frames.

Bad frames go into okapid two ways: from inside host h1's namespace through
its TAP port p1 (AF_PACKET; the kernel will not send a frame shorter than
an Ethernet header), and through port q1, an "attach qemu" port where the
test itself plays the VM (conftest.QemuStreamPeer) and can send anything,
runts included.  q1 is a trunk, so okapid must parse 802.1Q tags there.

For each kind of bad frame the drop counter of the right reason rises by
exactly the number sent: runts (< 14 bytes), truncated 802.1Q headers,
oversize frames (> MTU + 14, or + 18 when tagged).  Random bytes of random
lengths must not hurt either.  After each test h1 still pings h2 through
okapid, and the fixture's teardown fails the test if the (ASan/UBSan) daemon
did not exit cleanly or printed a sanitizer report.
"""

import random

import pytest
from scapy.layers.l2 import Dot1Q, Ether
from scapy.packet import Raw

from conftest import drop_count, ifname, run_and_expect, rx_packets, tap_port

SRC = "02:00:00:00:0b:ad"
BCAST = "ff:ff:ff:ff:ff:ff"


@pytest.fixture
def victim(ns, okapid, qemu_peer):
    h1, h2 = ns("h1"), ns("h2")
    d1, d2 = ifname("tp"), ifname("tp")
    sw = okapid("sw1")
    sock = sw.dir / "q1.sock"
    sw.start("hostname sw1\n" + tap_port("p1", d1, h1) + tap_port("p2", d2, h2)
             + f"interface q1\n attach qemu {sock}\n switchport mode trunk\n!\n")
    h1.host(d1, "10.0.0.1/24")
    h2.host(d2, "10.0.0.2/24")
    # h1's NIC must be able to emit frames okapid has to refuse.
    h1.exec(["ip", "link", "set", d1, "mtu", "9000"])
    h1.wait_ping("10.0.0.2")
    peer = qemu_peer(sock)
    run_and_expect(lambda: sw.status("q1"), "up", 10, what="q1 up with the peer connected")
    return sw, h1, d1, peer


def _expect_drops(sw, port, reason, before, n):
    run_and_expect(lambda: drop_count(sw.intf(port), reason) - before, n, 10,
                   what=f"{n} {reason} drops on {port}")


def _still_forwarding(sw, h1):
    assert sw.alive()
    h1.wait_ping("10.0.0.2", timeout=10)


def test_runts(victim):
    sw, h1, d1, peer = victim
    before = sw.drops("q1", "runt")
    peer.send([b"\x01", bytes(6), bytes(range(13)), bytes(13)])
    _expect_drops(sw, "q1", "runt", before, 4)
    _still_forwarding(sw, h1)


def test_truncated_dot1q(victim):
    sw, h1, d1, peer = victim
    head = bytes(Ether(dst=BCAST, src=SRC, type=0x8100))
    frames = [head, head + b"\x00", head + b"\x00\x0a", head + b"\x00\x0a\x08"]
    before_q = sw.drops("q1", "malformed")
    peer.send(frames)
    _expect_drops(sw, "q1", "malformed", before_q, 4)
    # The same through a TAP access port, where the kernel sends them as is.
    before_p = sw.drops("p1", "malformed")
    h1.send_frames(d1, frames)
    _expect_drops(sw, "p1", "malformed", before_p, 4)
    _still_forwarding(sw, h1)


def test_oversize(victim):
    sw, h1, d1, peer = victim
    untagged = Ether(dst=BCAST, src=SRC, type=0x88b5)
    tagged = Ether(dst=BCAST, src=SRC) / Dot1Q(vlan=1, type=0x88b5)

    def sized(head, size):
        return bytes(head / Raw(bytes(size - len(head))))

    fits = [sized(untagged, 1514), sized(tagged, 1518)]
    too_big = [sized(untagged, 1515), sized(tagged, 1519), sized(untagged, 9300)]
    before = sw.drops("q1", "oversize")
    peer.send(fits + too_big)
    _expect_drops(sw, "q1", "oversize", before, 3)
    before = sw.drops("p1", "oversize")
    h1.send_frames(d1, [sized(untagged, 1514), sized(untagged, 1515), sized(untagged, 9014)])
    _expect_drops(sw, "p1", "oversize", before, 2)
    _still_forwarding(sw, h1)


def test_random_bytes(victim):
    sw, h1, d1, peer = victim
    rng = random.Random(2)
    q_frames = [rng.randbytes(rng.randint(1, 2000)) for _ in range(3000)]
    p_frames = [rng.randbytes(rng.randint(14, 1514)) for _ in range(3000)]
    runts = sum(1 for f in q_frames if len(f) < 14)
    rx_before = rx_packets(sw.intf("q1"))
    runt_before = sw.drops("q1", "runt")
    peer.send(q_frames)
    h1.send_frames(d1, p_frames)
    run_and_expect(lambda: rx_packets(sw.intf("q1")) - rx_before, len(q_frames), 20,
                   what="all random frames received on q1")
    assert sw.drops("q1", "runt") - runt_before == runts
    _still_forwarding(sw, h1)
