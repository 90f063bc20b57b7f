"""DOC: issue 2, test 1 -- two hosts on TAP ports in one VLAN.

Two namespaces, each on a TAP port that okapid creates and moves into it,
both in the default VLAN: they ping each other and a 2 s iperf3 TCP run
through okapid reaches a sane throughput.  The counters and the MAC table
are checked too, so a test that passed by some other path would show.
"""

import json

from conftest import rx_packets, run_and_expect, tx_packets

# Far below what any working build does (even ASan reaches hundreds of
# Mbit/s); it catches a dataplane that drops or stalls under load.
MIN_MBPS = 20


def test_ping_and_iperf3(two_hosts):
    sw, h1, h2, d1, d2 = two_hosts()
    h1.wait_ping("10.0.0.2")
    r = h1.ping("10.0.0.2", count=5, interval=0.05)
    assert r.returncode == 0 and "0% packet loss" in r.stdout, r.stdout

    macs = {e["mac"]: e for e in sw.fdb()}
    assert macs[h1.mac(d1)]["interface"] == "p1"
    assert macs[h2.mac(d2)]["interface"] == "p2"
    p1, p2 = sw.intf("p1"), sw.intf("p2")
    assert rx_packets(p1) >= 5 and tx_packets(p2) >= 5

    server = h2.popen("iperf3 -s -1 -B 10.0.0.2")
    run_and_expect(lambda: h2.exec("ss -ltn", check=False).stdout.count(":5201") > 0,
                   True, 10, what="iperf3 server listening")
    r = h1.exec("iperf3 -c 10.0.0.2 -t 2 -J", timeout=30)
    server.wait(timeout=10)
    result = json.loads(r.stdout)
    mbps = result["end"]["sum_received"]["bits_per_second"] / 1e6
    print(f"iperf3 through okapid: {mbps:.0f} Mbit/s")
    assert mbps >= MIN_MBPS, f"only {mbps:.1f} Mbit/s"


def test_traffic_really_crosses_okapid(two_hosts):
    """Shutting a port down in okapid cuts the hosts off and "no shutdown"
    brings them back: the pings above go through the switch, not around."""
    sw, h1, h2, d1, d2 = two_hosts()
    h1.wait_ping("10.0.0.2")
    sw.ctl("conf t", "interface p2", "shutdown", "end")
    assert not h1.can_ping("10.0.0.2", wait=1)
    sw.ctl("conf t", "interface p2", "no shutdown", "end")
    h1.wait_ping("10.0.0.2")
