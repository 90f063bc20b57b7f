"""DOC: the switches under test, each set up as the same topology.

Every contender connects two "VMs" -- network namespaces with one NIC each,
10.199.0.1/24 and 10.199.0.2/24, IPv6 off -- through one switch:

  okapid        okapid with two TAP ports it creates and moves into the
                namespaces ("attach tap DEV netns NS")
  okapid-scale  the same two VMs on an okapid with 64 ports (the two VMs, a
                third namespace that fills the FDB, 61 idle trunk TAPs in a
                namespace of their own), all 4094 VLANs defined and ~64k MAC
                addresses learned before the measurements start
  bridge        a Linux bridge (in a namespace of its own) with veth pairs
  ovs, ovs-tso  Open vSwitch, userspace datapath (datapath_type=netdev),
                ports of type "tap" that the bench moves into the
                namespaces; ovs-tso with other_config:userspace-tso-enable
  vde           vde_switch opening both TAPs itself (-t), no plug processes
  gen           no switch: a veth pair, the baseline that shows the 64-byte
                frame generator alone is faster than any switch

setup(res, tmp) builds it, registering everything with the Resources res,
and returns a Topo.  The VM NICs the bench creates in the root namespace
(TAPs, before they are moved) carry pid-unique names; everything else lives
inside private namespaces, so nothing here can clash with the host's own
bridges or a system Open vSwitch.
"""

import subprocess
from dataclasses import dataclass, field

from benchlib import (BenchError, Okapid, has_link, host_setup, link_mac,
                      name, sh, wait_for)
from measure import warm

IP1, IP2 = "10.199.0.1", "10.199.0.2"
PREFIX = 24
OVS_SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"
SCALE_PORTS = 64
SCALE_FDB = 65280	# 256 * 255 distinct MACs, see fill_fdb()


@dataclass
class Topo:
    """Two VMs joined by one switch, as built by a contender's setup()."""
    ns1: str
    dev1: str
    ns2: str
    dev2: str
    ip1: str = IP1
    ip2: str = IP2
    pids: list = field(default_factory=list)	# switch processes (CPU)
    rss_pid: int = None			# process whose RSS is reported
    okapid: Okapid = None			# checked for a clean exit
    facts: dict = field(default_factory=dict)	# e.g. FDB entries


def vms(res):
    return res.netns("a"), res.netns("b")


def configure_vms(topo):
    host_setup(topo.ns1, topo.dev1, f"{topo.ip1}/{PREFIX}")
    host_setup(topo.ns2, topo.dev2, f"{topo.ip2}/{PREFIX}")
    return topo


# ---------------------------------------------------------------------------


class OkapidSwitch:
    key = "okapid"
    label = "okapid (TAP ports)"
    commands = ["ip", "ping", "iperf3", "trafgen", "ethtool"]

    extra_config = ""

    def setup(self, res, tmp):
        ns1, ns2 = vms(res)
        t1, t2 = name("t"), name("t")
        conf = ("hostname bench\n" + self.extra_config +
                f"interface vm1\n attach tap {t1} netns {ns1}\n"
                f"interface vm2\n attach tap {t2} netns {ns2}\n")
        ok = Okapid(res, tmp).start(conf)
        topo = configure_vms(Topo(ns1, t1, ns2, t2, pids=[ok.proc.pid],
                                  rss_pid=ok.proc.pid, okapid=ok))
        return topo


class OkapidBusyPoll(OkapidSwitch):
    """okapid with a busy-poll window longer than the ping interval: the
    worker keeps polling while traffic flows instead of sleeping between
    frames (the latency/CPU trade-off of `dataplane busy-poll`)."""
    key = "okapid-bp"
    label = "okapid, dataplane busy-poll 5000"
    extra_config = "dataplane busy-poll 5000\n"


class OkapidScale:
    key = "okapid-scale"
    label = (f"okapid, {SCALE_PORTS} ports, 4094 VLANs, "
             f"{SCALE_FDB // 1000}k FDB entries")
    commands = OkapidSwitch.commands

    def setup(self, res, tmp):
        ns1, ns2 = vms(res)
        ns3 = res.netns("f")		# fills the FDB
        nsi = res.netns("i")		# the idle TAPs
        t1, t2, t3 = name("t"), name("t"), name("t")
        lines = ["hostname bench-scale"]
        lines += [f"vlan {v}" for v in range(1, 4095)]
        lines += [f"interface vm1\n attach tap {t1} netns {ns1}",
                  f"interface vm2\n attach tap {t2} netns {ns2}",
                  f"interface filler\n attach tap {t3} netns {ns3}"]
        idle = SCALE_PORTS - 3
        for i in range(idle):
            lines.append(f"interface idle{i}\n attach tap {name('i')} netns {nsi}\n"
                         " switchport mode trunk\n switchport trunk allowed vlan all")
        ok = Okapid(res, tmp).start("\n".join(lines) + "\n", timeout=120)
        topo = configure_vms(Topo(ns1, t1, ns2, t2, pids=[ok.proc.pid],
                                  rss_pid=ok.proc.pid, okapid=ok))
        up = sum(1 for i in ok.show_json("interface").values()
                 if i.get("attached"))
        if up < SCALE_PORTS:
            raise BenchError(f"okapid-scale: only {up} of {SCALE_PORTS} ports attached")
        wait_for(lambda: has_link(ns3, t3), f"{t3} in {ns3}")
        sh(["ip", "-n", ns3, "link", "set", t3, "up"])
        topo.facts["ports"] = up
        topo.facts["fdb"] = fill_fdb(res, tmp, ok, topo, ns3, t3)
        return topo


def fill_fdb(res, tmp, ok, topo, ns, dev):
    """Sends SCALE_FDB frames with distinct source MACs from dev in ns to
    the second VM and returns how many entries okapid's FDB then holds.

    trafgen's dinc() counters step one byte each per frame; the two bytes
    count modulo 256 and 255, which are coprime, so the pairs repeat only
    after 256 * 255 frames.  The rate is capped so the TAP queue never
    overflows, and the EtherType is a local-experimental one, so the
    receiving VM drops the frames before any protocol handler."""
    warm(topo)	# VM2's MAC learned: the fill frames go to it alone
    da = link_mac(topo.ns2, topo.dev2).split(":")
    cfg = tmp / "fill.cfg"
    cfg.write_text("{ " + ", ".join(f"0x{b}" for b in da) +
                   ", 0x02, 0xb0, 0x00, 0x00, dinc(0, 255, 1), dinc(0, 254, 1),"
                   " c16(0x88b5), fill(0x00, 46) }\n")
    log = tmp / "fill.log"
    gen = res.spawn(["trafgen", "--dev", dev, "--conf", str(cfg), "--cpus", "1",
                     "--no-sock-mem", "-Q", "-C", "-n", str(SCALE_FDB),
                     "-b", "40000pps"], ns=ns, logfile=log)
    try:
        gen.wait(timeout=120)
    except subprocess.TimeoutExpired:
        raise BenchError("okapid-scale: trafgen did not finish the FDB fill in 120 s")
    if gen.returncode != 0:
        raise BenchError(f"okapid-scale: trafgen exited {gen.returncode}: "
                         f"{log.read_text(errors='replace')[-500:]}")

    last = [-1]

    def settled():
        n = ok.show_json("mac-address-table", "count")["used"]
        done = n == last[0]
        last[0] = n
        return done
    wait_for(settled, "FDB count settling", timeout=30, interval=0.5)
    if last[0] < SCALE_FDB * 0.95:
        raise BenchError(f"okapid-scale: FDB holds {last[0]} entries after "
                         f"{SCALE_FDB} distinct source MACs")
    return last[0]


# ---------------------------------------------------------------------------


class LinuxBridge:
    key = "bridge"
    label = "Linux bridge (veth)"
    commands = ["ip", "ping", "iperf3", "trafgen", "ethtool"]

    def setup(self, res, tmp):
        ns1, ns2 = vms(res)
        sw = res.netns("s")
        sh(["ip", "-n", sw, "link", "add", "br0", "type", "bridge",
            "stp_state", "0", "nf_call_iptables", "0", "nf_call_ip6tables", "0",
            "nf_call_arptables", "0"])
        for i, ns in enumerate((ns1, ns2), 1):
            sh(["ip", "-n", sw, "link", "add", f"p{i}", "type", "veth",
                "peer", "name", "eth0", "netns", ns])
            sh(["ip", "-n", sw, "link", "set", f"p{i}", "master", "br0", "up"])
        sh(["ip", "-n", sw, "link", "set", "br0", "up"])
        return configure_vms(Topo(ns1, "eth0", ns2, "eth0"))


class GeneratorOnly:
    key = "gen"
    label = "generator alone (veth, no switch)"
    commands = ["ip", "trafgen"]

    def setup(self, res, tmp):
        ns1, ns2 = vms(res)
        sh(["ip", "-n", ns1, "link", "add", "eth0", "type", "veth",
            "peer", "name", "eth0", "netns", ns2])
        return configure_vms(Topo(ns1, "eth0", ns2, "eth0"))


class OpenVSwitch:
    """ovsdb-server and ovs-vswitchd private to this run: database, sockets
    and logs in tmp (OVS_RUNDIR & co. point there), ovs-vswitchd inside a
    namespace of its own, so the datapath's fixed-name "ovs-netdev" device
    and the bridge's local port never meet a system Open vSwitch.

    Ports are type=tap: in the userspace datapath that is the same
    netdev-linux TAP class as type=internal (read/write on the TAP fd, and
    with userspace TSO, IFF_VNET_HDR and TUNSETOFFLOAD), the fastest port a
    namespace can get without DPDK; type=system would add an AF_PACKET
    socket on a veth."""

    commands = ["ip", "ping", "iperf3", "trafgen", "ethtool",
                "ovs-vswitchd", "ovsdb-server"]

    def __init__(self, tso):
        self.tso = tso
        self.key = "ovs-tso" if tso else "ovs"
        self.label = ("Open vSwitch netdev, TAP ports" +
                      (", userspace TSO" if tso else ""))

    def setup(self, res, tmp):
        ns1, ns2 = vms(res)
        d = tmp / "ovs"
        d.mkdir()
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "OVS_RUNDIR": str(d),
               "OVS_DBDIR": str(d), "OVS_LOGDIR": str(d),
               "OVS_SYSCONFDIR": str(d), "OVS_PKGDATADIR": "/usr/share/openvswitch"}
        db = f"unix:{d}/db.sock"
        sh(["ovsdb-tool", "create", str(d / "conf.db"), OVS_SCHEMA])
        dbp = res.spawn(["ovsdb-server", str(d / "conf.db"),
                         f"--remote=punix:{d}/db.sock", f"--unixctl={d}/ovsdb.ctl",
                         f"--log-file={d}/ovsdb.log", "-vconsole:off",
                         "-vsyslog:off", "--no-chdir"],
                        logfile=d / "ovsdb.out", env=env)
        wait_for(lambda: (d / "db.sock").exists(), "ovsdb-server socket")

        def vsctl(*args, wait=False):
            argv = ["ovs-vsctl", f"--db={db}", "--timeout=30"]
            return sh(argv + ([] if wait else ["--no-wait"]) + list(args),
                      timeout=40)
        vsctl("init")
        if self.tso:
            # read once at start-up: it must be in the database before
            # ovs-vswitchd starts
            vsctl("set", "Open_vSwitch", ".",
                  "other_config:userspace-tso-enable=true")
        sw = res.netns("o")
        vsd = res.spawn(["ovs-vswitchd", db, f"--unixctl={d}/vswitchd.ctl",
                         f"--log-file={d}/vswitchd.log", "-vconsole:off",
                         "-vsyslog:off", "--no-chdir"],
                        ns=sw, logfile=d / "vswitchd.out", env=env)
        vsctl("add-br", "br0", "--", "set", "bridge", "br0",
              "datapath_type=netdev", wait=True)
        for i, ns in enumerate((ns1, ns2), 1):
            vsctl("add-port", "br0", f"vm{i}", "--", "set", "interface",
                  f"vm{i}", "type=tap", wait=True)
            wait_for(lambda i=i: has_link(sw, f"vm{i}"), f"OVS port vm{i}")
            sh(["ip", "-n", sw, "link", "set", f"vm{i}", "netns", ns])
        if self.tso and "TCP Segmentation Offloading support enabled" not in \
                (d / "vswitchd.log").read_text(errors="replace"):
            raise BenchError("ovs-vswitchd did not enable userspace TSO")
        return configure_vms(Topo(ns1, "vm1", ns2, "vm2", pids=[vsd.pid, dbp.pid],
                                  rss_pid=vsd.pid))


class VdeSwitch:
    key = "vde"
    label = "vde_switch (TAP ports, -t)"
    commands = ["ip", "ping", "iperf3", "trafgen", "ethtool", "vde_switch"]

    def setup(self, res, tmp):
        ns1, ns2 = vms(res)
        t1, t2 = name("v"), name("v")
        # vde_switch exits on EOF of its console (stdin): hold a pipe open.
        p = res.spawn(["vde_switch", "-s", str(tmp / "vde.ctl"),
                       "-M", str(tmp / "vde.mgmt"), "-t", t1, "-t", t2],
                      logfile=tmp / "vde.log", stdin=subprocess.PIPE)
        for t, ns in ((t1, ns1), (t2, ns2)):
            res.root_link(t)
            wait_for(lambda t=t: p.poll() is not None or has_link(None, t),
                     f"vde_switch TAP {t}")
            if p.poll() is not None:
                raise BenchError(f"vde_switch exited {p.returncode}: "
                                 f"{(tmp / 'vde.log').read_text(errors='replace')}")
            sh(["ip", "link", "set", t, "netns", ns])
        return configure_vms(Topo(ns1, t1, ns2, t2, pids=[p.pid], rss_pid=p.pid))


ALL = [GeneratorOnly(), OkapidSwitch(), OkapidBusyPoll(), LinuxBridge(), OpenVSwitch(tso=False),
       OpenVSwitch(tso=True), VdeSwitch(), OkapidScale()]
BY_KEY = {c.key: c for c in ALL}


def describe():
    return "\n".join(f"  {c.key:13} {c.label}" for c in ALL)
