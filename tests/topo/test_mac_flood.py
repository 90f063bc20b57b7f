"""DOC: issue 2, test 6 -- MAC flood.

A third host blasts 100,000 frames with distinct random source MACs into
port p3 (rawsend.py --flood, a plain AF_PACKET sender, so the blast takes
about a second).  Meanwhile h1 pings h2 every 20 ms and okapictl is queried
over and over.  Afterwards:
- the FDB holds exactly its limit (the configured 5000, or the default
  65536 in the second test) -- it is bounded, not grown without end;
- every okapictl command answered within 1 s during the flood;
- h1 and h2 kept talking during the flood and talk loss-free after it.
"""

import time

from conftest import PYTHON, RAWSEND, ifname, ping_loss, run_and_expect, rx_packets, tap_port

FLOOD = 100_000
DEFAULT_LIMIT = 65536


def _flood_topology(ns, okapid, extra_config=""):
    h1, h2, hf = ns("h1"), ns("h2"), ns("hf")
    d1, d2, df = ifname("tp"), ifname("tp"), ifname("tf")
    sw = okapid("sw1").start("hostname sw1\n" + extra_config + tap_port("p1", d1, h1)
                             + tap_port("p2", d2, h2) + tap_port("p3", df, hf))
    h1.host(d1, "10.0.0.1/24")
    h2.host(d2, "10.0.0.2/24")
    hf.wait_link(df)
    # A queue big enough for the whole blast: the TAP driver drops silently
    # when its ring is full, and the test wants every frame to reach okapid.
    hf.exec(["ip", "link", "set", df, "txqueuelen", str(FLOOD)])
    hf.exec(["ip", "link", "set", df, "up"])
    h1.wait_ping("10.0.0.2")
    return sw, h1, h2, hf, df


def _flood_while_probing(sw, h1, hf, df):
    """Runs the flood with a ping and okapictl probes alongside; returns
    (ping output, slowest okapictl seconds, frames sent)."""
    pinger = h1.popen("ping -n -i 0.02 -c 300 -W 1 10.0.0.2")
    flooder = hf.popen([PYTHON, RAWSEND, "--iface", df, "--flood", str(FLOOD),
                        "--seed", "7"])
    slowest = 0.0
    probes = 0
    while flooder.poll() is None or probes < 5:
        for cmd in ("show mac-address-table count json", "show interface p1 json"):
            t = time.monotonic()
            sw.ctl(cmd, timeout=5)
            slowest = max(slowest, time.monotonic() - t)
            probes += 1
    out, err = flooder.communicate(timeout=60)
    assert flooder.returncode == 0, err
    ping_out, _ = pinger.communicate(timeout=30)
    return ping_out, slowest, int(out.split()[0])


def _check(sw, h1, hf, df, limit):
    ping_out, slowest, sent = _flood_while_probing(sw, h1, hf, df)
    assert sent == FLOOD
    run_and_expect(lambda: rx_packets(sw.intf("p3")), lambda n: n >= FLOOD, 60,
                   interval=0.2, what="okapid received the whole flood on p3")
    count = run_and_expect(sw.fdb_count, limit, 30, interval=0.2,
                           what=f"FDB at its limit {limit}")
    print(f"FDB {count}, slowest okapictl {slowest:.3f}s, ping during flood: "
          f"{ping_loss(ping_out)}% loss")
    assert slowest < 1.0, f"okapictl took {slowest:.2f}s during the flood"
    # The hosts keep talking: (nearly) every ping during the blast, all
    # after it.
    assert ping_loss(ping_out) <= 2, ping_out
    r = h1.ping("10.0.0.2", count=20, interval=0.02)
    assert ping_loss(r.stdout) == 0, r.stdout
    assert sw.fdb_count() == limit


def test_mac_flood_configured_limit(ns, okapid):
    sw, h1, h2, hf, df = _flood_topology(
        ns, okapid, "mac-address-table limit maximum 5000\n")
    _check(sw, h1, hf, df, 5000)


def test_mac_flood_default_limit(ns, okapid):
    sw, h1, h2, hf, df = _flood_topology(ns, okapid)
    _check(sw, h1, hf, df, DEFAULT_LIMIT)
