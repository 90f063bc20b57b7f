"""DOC: okapictl against a running okapid with real hosts behind it.

- One-shot commands, and vtysh-style abbreviations (sh int br == show
  interface brief).
- "configure terminal" changes apply live, and their "no" forms undo them:
  moving p2 into a new VLAN cuts h1 off from h2, undoing it reconnects them.
- "write memory" replaces the config file atomically (a new inode, no
  temporary file left over) and the result passes okapid --check.
- "show running-config" round-trips: okapid --check --print on its output
  prints the same text.
- Errors (unknown or ambiguous command, out-of-range value, no daemon)
  exit non-zero with a message.
"""

import os

from conftest import OKAPICTL, okapid_check, sh, vlan_table


def test_one_shot_and_abbreviations(two_hosts):
    sw, h1, h2, d1, d2 = two_hosts()
    full = sw.ctl("show interface brief")
    assert "p1" in full and "p2" in full, full
    assert sw.ctl("sh int br") == full
    assert sw.ctl("sh vl") == sw.ctl("show vlan")
    # Counters move between two calls; the structure must not.
    short, long_ = sw.ctl_json("sh int p1"), sw.ctl_json("show interface p1")
    assert list(short) == list(long_) == ["p1"]
    assert sorted(short["p1"]) == sorted(long_["p1"])


def test_configure_terminal_live_and_no_forms(two_hosts):
    sw, h1, h2, d1, d2 = two_hosts()
    h1.wait_ping("10.0.0.2")
    sw.ctl("conf t", "vlan 30", "name thirty", "interface p2",
           "switchport access vlan 30", "end")
    assert vlan_table(sw.ctl_json("show vlan"))[30] == ("thirty", {"p2"})
    assert "switchport access vlan 30" in sw.ctl("show running-config")
    assert not h1.can_ping("10.0.0.2", wait=1)

    sw.ctl("conf t", "interface p2", "no switchport access vlan", "exit",
           "no vlan 30", "end")
    running = sw.ctl("show running-config")
    assert "vlan 30" not in running and "thirty" not in running, running
    assert 30 not in vlan_table(sw.ctl_json("show vlan"))
    h1.wait_ping("10.0.0.2")


def test_write_memory_is_atomic_and_valid(two_hosts):
    sw, h1, h2, d1, d2 = two_hosts()
    inode = os.stat(sw.conf).st_ino
    sw.ctl("conf t", "hostname written-by-test", "end")
    sw.ctl("write memory")
    text = sw.conf.read_text()
    assert "hostname written-by-test" in text, text
    assert os.stat(sw.conf).st_ino != inode, "config rewritten in place, not renamed"
    assert sorted(p.name for p in sw.conf.parent.iterdir()
                  if p.name.startswith("okapi.conf")) == ["okapi.conf"]
    r = okapid_check(sw.conf)
    assert r.returncode == 0, r.stdout + r.stderr


ROUND_TRIP_EXTRA = dict(
    extra_config="vlan 10\n name ten\n!\nmac-address-table aging-time 120\n",
    p2_extra=["switchport mode access", "switchport access vlan 10", "mtu 9000",
              "description to h2"])


def _config_part(show_text):
    """The configuration in "show running-config" output, without IOS's
    display frame ("Building configuration...", "Current configuration:",
    the "!" after it, and the closing "end")."""
    lines = show_text.splitlines(keepends=True)
    for k, line in enumerate(lines):
        if line.startswith("Current configuration"):
            lines = lines[k + 1:]
            if lines and lines[0].strip() == "!":
                lines = lines[1:]
            break
    if lines and lines[-1].strip() == "end":
        lines = lines[:-1]
    return "".join(lines)


def test_running_config_round_trip(two_hosts, rundir):
    """The configuration shown parses back to itself: okapid --check --print
    of it prints the same text, and printing that again changes nothing."""
    sw, h1, h2, d1, d2 = two_hosts(**ROUND_TRIP_EXTRA)
    config = _config_part(sw.ctl("show running-config"))
    assert "interface p2" in config and "mtu 9000" in config, config
    saved = rundir / "running.conf"
    saved.write_text(config)
    r = okapid_check(saved, print_config=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == config
    saved.write_text(r.stdout)
    assert okapid_check(saved, print_config=True).stdout == config


def test_running_config_output_loads_verbatim(two_hosts, rundir):
    """What an operator copies from "show running-config" -- display frame
    included, as from IOS or FRR's vtysh -- loads as a config file."""
    sw, h1, h2, d1, d2 = two_hosts(**ROUND_TRIP_EXTRA)
    shown = sw.ctl("show running-config")
    saved = rundir / "pasted.conf"
    saved.write_text(shown)
    r = okapid_check(saved, print_config=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == _config_part(shown)


def test_errors_exit_non_zero(two_hosts, rundir):
    sw, h1, h2, d1, d2 = two_hosts()
    for cmd in ("show nonsense", "c", "frobnicate"):
        r = sw.ctl_run(cmd)
        assert r.returncode != 0, cmd
        assert (r.stdout + r.stderr).strip(), f"no message for {cmd!r}"
    r = sw.ctl_run("conf t", "vlan 5000", "end")
    assert r.returncode != 0
    assert "5000" in r.stdout + r.stderr and "4094" in r.stdout + r.stderr, r.stdout + r.stderr
    r = sh([OKAPICTL, "-S", str(rundir / "no-such.sock"), "show", "vlan"], check=False)
    assert r.returncode != 0 and r.stderr.strip()
