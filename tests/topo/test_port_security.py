"""DOC: issue 2, test 3 -- port security.

h1 sits on port p1 with port security, h2 on a plain port p2.  Frames from
MACs that are not allowed are crafted with scapy and sent from inside h1's
namespace: each is an ARP request for h2 from 10.0.0.99, so had one leaked,
h2's kernel would have created a neighbour entry for 10.0.0.99 -- the tests
check that it did not, besides the drop counter and the MAC table.

Covered: a registered MAC passes and an unregistered one is dropped and
counted (violation restrict); maximum N; sticky MACs; violation protect;
violation shutdown err-disables the port until shutdown / no shutdown.
"""

import re

from scapy.layers.l2 import ARP, Ether

from conftest import run_and_expect

H1_MAC = "02:00:00:00:01:01"


def _intruder_frames(mac, n):
    return [bytes(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")
                  / ARP(hwsrc=mac, psrc="10.0.0.99", pdst="10.0.0.2"))] * n


def _leaked_to_h2(h2):
    return "10.0.0.99" in h2.exec("ip neigh show").stdout


def _setup(two_hosts, *psec):
    # h1 gets a known MAC (okapid's TAP would get a random one).
    return two_hosts(p1_extra=["switchport port-security"]
                     + [f"switchport port-security {x}" for x in psec], h1_mac=H1_MAC)


def _p1_macs(sw):
    return {e["mac"] for e in sw.fdb() if e["interface"] == "p1"}


def _ps_drops_after(sw, before, expected):
    return run_and_expect(lambda: sw.drops("p1", "port-security") - before, expected, 10,
                          what="port-security drops on p1")


def test_unregistered_mac_dropped_and_counted(two_hosts):
    sw, h1, h2, d1, _ = _setup(two_hosts, f"mac-address {H1_MAC}", "violation restrict")
    h1.wait_ping("10.0.0.2")
    before = sw.drops("p1", "port-security")
    h1.send_frames(d1, _intruder_frames("02:00:00:00:09:09", 7))
    _ps_drops_after(sw, before, 7)
    assert sw.status("p1") == "up"
    assert "02:00:00:00:09:09" not in _p1_macs(sw)
    assert not _leaked_to_h2(h2)
    assert h1.can_ping("10.0.0.2")


def test_maximum(two_hosts):
    sw, h1, h2, d1, _ = _setup(two_hosts, "maximum 2", "violation restrict")
    h1.wait_ping("10.0.0.2")
    before = sw.drops("p1", "port-security")
    h1.send_frames(d1, _intruder_frames("02:00:00:00:02:02", 1))
    run_and_expect(lambda: _p1_macs(sw), {H1_MAC, "02:00:00:00:02:02"}, 10,
                   what="two secure MACs on p1")
    h1.send_frames(d1, _intruder_frames("02:00:00:00:03:03", 3))
    _ps_drops_after(sw, before, 3)
    assert _p1_macs(sw) == {H1_MAC, "02:00:00:00:02:02"}
    assert h1.can_ping("10.0.0.2")


def test_sticky(two_hosts):
    """A sticky-learned MAC is written into the running config as a sticky
    secure MAC, fills the port's quota (any other MAC is a
    violation), and survives "write memory" and a restart of okapid: after
    it, another MAC is refused before h1 has sent anything."""
    sw, h1, h2, d1, d2 = _setup(two_hosts, "mac-address sticky", "violation restrict")
    h1.wait_ping("10.0.0.2")
    # IOS prints "mac-address sticky MAC"; issue 2 wrote "mac-address MAC
    # sticky".  Either order is the same statement.
    sticky_line = re.compile(
        rf"switchport port-security mac-address (sticky {H1_MAC}|{H1_MAC} sticky)\n")
    run_and_expect(lambda: sw.ctl("show running-config"), sticky_line.search, 10,
                   what="sticky MAC in the running config")
    before = sw.drops("p1", "port-security")
    h1.send_frames(d1, _intruder_frames("02:00:00:00:04:04", 2))
    _ps_drops_after(sw, before, 2)
    assert not _leaked_to_h2(h2)

    sw.ctl("write memory")
    assert sticky_line.search(sw.conf.read_text())
    # Restarting recreates the TAPs, so the hosts are set up again.
    sw.stop()
    sw.start()
    h1.host(d1, "10.0.0.1/24", mac=H1_MAC)
    h2.host(d2, "10.0.0.2/24")
    h1.send_frames(d1, _intruder_frames("02:00:00:00:04:05", 1))
    _ps_drops_after(sw, 0, 1)
    h1.wait_ping("10.0.0.2")


def test_violation_protect_drops(two_hosts):
    sw, h1, h2, d1, _ = _setup(two_hosts, f"mac-address {H1_MAC}", "violation protect")
    h1.wait_ping("10.0.0.2")
    h1.send_frames(d1, _intruder_frames("02:00:00:00:05:05", 3))
    # protect keeps no violation count to wait for; the ping after the
    # frames goes through the same TAP queue, so once it is answered they
    # have been handled.
    assert h1.can_ping("10.0.0.2")
    assert sw.status("p1") == "up"
    assert "02:00:00:00:05:05" not in _p1_macs(sw)
    assert not _leaked_to_h2(h2)


def test_violation_shutdown_err_disables(two_hosts):
    sw, h1, h2, d1, _ = _setup(two_hosts, f"mac-address {H1_MAC}", "violation shutdown")
    h1.wait_ping("10.0.0.2")
    h1.send_frames(d1, _intruder_frames("02:00:00:00:06:06", 1))
    run_and_expect(lambda: sw.status("p1"), "err-disabled", 10, what="p1 err-disabled")
    assert sw.drops("p1", "port-security") >= 1
    assert not h1.can_ping("10.0.0.2", wait=1)
    assert not _leaked_to_h2(h2)

    sw.ctl("conf t", "interface p1", "shutdown", "no shutdown", "end")
    run_and_expect(lambda: sw.status("p1"), "up", 10, what="p1 back up")
    h1.wait_ping("10.0.0.2")
