"""DOC: issue 2, test 9 -- reload without disturbing untouched ports.

h1 pings h2 every 10 ms across ports p1 and p2 while the config file is
edited to add a third port p3 (applied with "okapictl reload") and then to
remove it again (applied with SIGHUP).  The ping must lose nothing, and the
edits must really have happened while it ran: p3 appears (h3 reaches h1
through it) and disappears.

A bad config on reload is refused: "okapictl reload" exits non-zero and
names the error, SIGHUP with the same file changes nothing either, and the
running config and the forwarding stay as they were.
"""

import os
import signal

from conftest import ifname, ping_loss, run_and_expect, tap_port

PINGS = 1000  # 10 s at 10 ms: ample time for two reloads


def _has_port(sw, name):
    r = sw.ctl_run(f"show interface {name} json")
    return r.returncode == 0 and name in r.stdout


def test_reload_keeps_untouched_ports_forwarding(two_hosts, ns):
    sw, h1, h2, d1, d2 = two_hosts()
    base = sw.conf.read_text()
    h1.wait_ping("10.0.0.2")
    pinger = h1.popen(f"ping -n -q -c {PINGS} -i 0.01 -W 1 10.0.0.2")

    h3 = ns("h3")
    d3 = ifname("tp")
    sw.write_config(base + tap_port("p3", d3, h3))
    sw.ctl("reload")
    h3.host(d3, "10.0.0.3/24")
    h3.wait_ping("10.0.0.1")
    assert _has_port(sw, "p3")

    sw.write_config(base)
    os.kill(sw.proc.pid, signal.SIGHUP)
    run_and_expect(lambda: _has_port(sw, "p3"), False, 10, what="p3 removed by SIGHUP")
    assert pinger.poll() is None, "the ping ended before both reloads were done"

    out, err = pinger.communicate(timeout=30)
    assert pinger.returncode == 0, out + err
    assert f"{PINGS} packets transmitted, {PINGS} received" in out, out
    assert ping_loss(out) == 0


def _logs(sw):
    return sw.stderr_text() + (sw.dir / "stdout.log").read_text(errors="replace")


def test_bad_config_on_reload_is_refused(two_hosts):
    sw, h1, h2, d1, d2 = two_hosts()
    h1.wait_ping("10.0.0.2")
    running = sw.ctl("show running-config")
    good = sw.conf.read_text()

    sw.write_config(good + "vlan 5000\n")
    r = sw.ctl_run("reload")
    assert r.returncode != 0
    assert "5000" in r.stdout + r.stderr, r.stdout + r.stderr
    assert sw.ctl("show running-config") == running

    logged = _logs(sw).count("5000")
    os.kill(sw.proc.pid, signal.SIGHUP)
    # A SIGHUP has no caller to answer; the daemon must log the error and
    # carry on.  Wait for the new log line, then check nothing changed.
    run_and_expect(lambda: _logs(sw).count("5000") > logged, True, 10,
                   what="the SIGHUP reload error logged")
    assert sw.alive()
    assert sw.ctl("show running-config") == running
    r = h1.ping("10.0.0.2", count=10, interval=0.01)
    assert ping_loss(r.stdout) == 0, r.stdout

    # The good file still reloads afterwards.
    sw.write_config(good)
    sw.ctl("reload")
    assert sw.ctl("show running-config") == running
