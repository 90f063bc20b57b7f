"""DOC: fixtures for the okapid topology tests.

Each test builds a small topology out of real Linux network stacks: network
namespaces that play hosts and VMs, TAP devices that okapid creates and
moves into them ("attach tap DEV netns NS"), veth pairs for "attach packet",
and QEMU guests (vm.py).  Every name carries this pytest process's pid, so
parallel runs and other users of the machine never collide, and nothing
here touches an interface it did not create.

Fixtures:
  ns        factory: ns("h1") -> Namespace (IPv6 off, so hosts are silent
            unless the test makes them talk)
  veth      factory: veth() -> (a, b) names of a fresh veth pair in the
            root namespace (for "attach packet")
  okapid    factory: okapid("sw1") -> Okapid, then .start(config_text)
  rundir    a short private directory (unix socket paths must fit 108 bytes)
Helpers:
  run_and_expect(fn, expect, timeout)  poll instead of sleeping
  ifname(tag)                          a unique kernel interface name

Cleanup runs in finalizers, in reverse order of creation, even when the test
failed: okapid instances are stopped by pid with SIGTERM and must exit 0
with no sanitizer report on stderr; processes the test started are ended by
pid; namespaces and veth pairs are deleted.

How okapid's JSON is read is kept in the accessor functions below (the
"Accessors" block): if a key is renamed, that is the one place to change.
"""

import itertools
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
from scapy.sendrecv import AsyncSniffer
from scapy.utils import wrpcap

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PID = os.getpid()
PYTHON = "/usr/bin/python3"
RAWSEND = str(HERE / "rawsend.py")
TEST_TIMEOUT = int(os.environ.get("OKAPI_TOPO_TEST_TIMEOUT", "240"))

SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "runtime error:",
                     "LeakSanitizer", "ERROR: UndefinedBehaviorSanitizer")


def _binary(env, name):
    if os.environ.get(env):
        return os.environ[env]
    san = REPO / "build" / "san" / name
    return str(san if san.exists() else REPO / "build" / name)


OKAPID = _binary("OKAPID", "okapid")
OKAPICTL = _binary("OKAPICTL", "okapictl")

# ---------------------------------------------------------------------------
# Accessors: the only code that knows okapid's JSON key names.


def intf_of(show_intf_json, name):
    """'show interface NAME json' -> that interface's object."""
    return show_intf_json[name]


def oper_status(intf):
    """up, down (no link / not attached), admin-down or err-disabled."""
    return intf["status"]


def rx_packets(intf):
    return intf["statistics"]["inputPackets"]


def tx_packets(intf):
    return intf["statistics"]["outputPackets"]


def drop_count(intf, reason):
    """reason is a port.h drop name: runt, malformed, oversize, vlan,
    port-security, port-down, bad-source, no-buffer, tx-error, no-link."""
    return intf["drops"].get(reason, 0)


def intf_mtu(intf):
    return intf["mtu"]


def fdb_total(count_json):
    """'show mac-address-table count json' -> entries in the whole table."""
    return count_json["used"]


def fdb_entries(table_json):
    """'show mac-address-table json' -> list of dicts with normalised keys
    mac (lower-case aa:bb:..), vlan (int), interface, type."""
    return [{"mac": e["mac"].lower(), "vlan": int(e["vlan"]),
             "interface": e["interface"], "type": e.get("type", "")}
            for e in table_json]


def vlan_table(show_vlan_json):
    """'show vlan json' -> {vid: (name, set of member interfaces)}."""
    return {int(v["vlanId"]): (v["name"], set(v["ports"]))
            for v in show_vlan_json.values()}


# ---------------------------------------------------------------------------
# Generic helpers.


class ExpectTimeout(AssertionError):
    pass


def run_and_expect(fn, expect, timeout=10.0, interval=0.05, what=None):
    """Calls fn() until expect holds, or fails after 'timeout' seconds.

    expect is a predicate (called with fn's result) or a value compared
    with ==.  Returns fn's last result.  The failure names what was awaited
    and the last value seen, so a failing poll explains itself."""
    check = expect if callable(expect) else (lambda v: v == expect)
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if check(value):
            return value
        if time.monotonic() >= deadline:
            raise ExpectTimeout(
                f"{what or getattr(fn, '__name__', 'condition')} not met within "
                f"{timeout}s; last value: {value!r}")
        time.sleep(interval)


_counter = itertools.count(1)


def ifname(tag):
    """A kernel interface name unique to this process: tag (<= 4 chars)
    + pid + sequence, at most 15 characters."""
    name = f"{tag[:4]}{PID:x}{next(_counter):x}"
    assert len(name) <= 15, name
    return name


def sh(cmd, check=True, timeout=60, **kw):
    argv = shlex.split(cmd) if isinstance(cmd, str) else list(cmd)
    return subprocess.run(argv, check=check, timeout=timeout, text=True,
                          capture_output=True, **kw)


def ping_loss(output):
    """Percentage of packet loss in an iputils ping summary."""
    m = re.search(r"([\d.]+)% packet loss", output)
    assert m, f"no ping summary in:\n{output}"
    return float(m.group(1))


# ---------------------------------------------------------------------------
# Namespaces, links and processes.


class Namespace:
    """A network namespace playing a host; processes started in it with
    popen() are ended by pid when it is deleted."""

    def __init__(self, name):
        self.name = name
        self.procs = []
        sh(["ip", "netns", "add", name])
        self.exec("ip link set lo up")
        self.exec("sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 "
                  "net.ipv6.conf.default.disable_ipv6=1")

    def argv(self, cmd):
        cmd = shlex.split(cmd) if isinstance(cmd, str) else list(cmd)
        return ["ip", "netns", "exec", self.name] + cmd

    def exec(self, cmd, check=True, timeout=60):
        """Runs cmd in the namespace; returns CompletedProcess (text)."""
        r = subprocess.run(self.argv(cmd), text=True, capture_output=True,
                           timeout=timeout)
        if check and r.returncode != 0:
            raise AssertionError(
                f"[{self.name}] {cmd!r} exited {r.returncode}\n"
                f"stdout: {r.stdout}\nstderr: {r.stderr}")
        return r

    def popen(self, cmd, **kw):
        """Starts cmd in the namespace in the background (text pipes for
        stdout and stderr unless given)."""
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("stderr", subprocess.PIPE)
        kw.setdefault("text", True)
        p = subprocess.Popen(self.argv(cmd), **kw)
        self.procs.append(p)
        return p

    def has_link(self, dev):
        return self.exec(["ip", "link", "show", dev], check=False).returncode == 0

    def wait_link(self, dev, timeout=10):
        run_and_expect(lambda: self.has_link(dev), True, timeout,
                       what=f"{dev} in namespace {self.name}")

    def mac(self, dev):
        return self.exec(["cat", f"/sys/class/net/{dev}/address"]).stdout.strip()

    def host(self, dev, cidr, mac=None, mtu=None):
        """Configures dev as this host's NIC: waits for okapid to have moved
        it here, then sets its MAC and MTU (if given) and address and brings
        it up."""
        self.wait_link(dev)
        self.exec(["ip", "link", "set", dev, "down"])
        if mac:
            self.exec(["ip", "link", "set", dev, "address", mac])
        if mtu:
            self.exec(["ip", "link", "set", dev, "mtu", str(mtu)])
        self.exec(["ip", "addr", "add", cidr, "dev", dev])
        self.exec(["ip", "link", "set", dev, "up"])

    def ping(self, dst, count=3, interval=0.2, wait=2, extra=(), timeout=60):
        """Runs iputils ping; returns CompletedProcess (check=False)."""
        argv = ["ping", "-n", "-c", str(count), "-i", str(interval),
                "-W", str(wait)] + list(extra) + [dst]
        return self.exec(argv, check=False, timeout=timeout)

    def can_ping(self, dst, **kw):
        return self.ping(dst, count=1, **kw).returncode == 0

    def wait_ping(self, dst, timeout=15):
        """Polls until one ping to dst succeeds (ARP, learning, links)."""
        run_and_expect(lambda: self.can_ping(dst, wait=1), True, timeout,
                       interval=0.05, what=f"ping {self.name} -> {dst}")

    def send_frames(self, dev, frames, timeout=60):
        """Sends raw Ethernet frames (bytes objects) out of dev with
        AF_PACKET; see rawsend.py."""
        blob = b"".join(len(f).to_bytes(4, "big") + bytes(f) for f in frames)
        r = subprocess.run(self.argv([PYTHON, RAWSEND, "--iface", dev, "--stdin"]),
                           input=blob, capture_output=True, timeout=timeout)
        assert r.returncode == 0, r.stderr.decode()
        return int(r.stdout.split()[0])

    def stop_procs(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        self.procs.clear()

    def delete(self):
        self.stop_procs()
        sh(["ip", "netns", "del", self.name], check=False)


class Capture:
    """Captures frames on root-namespace interfaces (e.g. both ends of a
    trunk veth) with scapy's AsyncSniffer.  The constructor returns only
    once the packet sockets are open, so no frame sent afterwards is missed;
    802.1Q tags the kernel moved into metadata are put back (PACKET_AUXDATA).
    frames() stops the capture, saves it to 'path' (pcap) and returns the
    scapy packets."""

    def __init__(self, ifaces, path):
        started = threading.Event()
        self.path = path
        self.sniffer = AsyncSniffer(iface=list(ifaces), store=True,
                                    started_callback=started.set)
        self.sniffer.start()
        assert started.wait(20), f"capture on {ifaces} did not start"

    def stop(self):
        if self.sniffer.running:
            self.sniffer.stop()

    def frames(self):
        self.stop()
        frames = list(self.sniffer.results or [])
        wrpcap(str(self.path), frames)
        return frames


def tshark_malformed(pcap):
    """Frames tshark flags as malformed in a pcap file (tshark is the
    oracle that what okapid put on the wire decodes cleanly)."""
    r = sh(["tshark", "-n", "-r", str(pcap), "-Y", "_ws.malformed || _ws.expert.severity >= error"],
           check=False)
    assert r.returncode == 0, r.stderr
    return [line for line in r.stdout.splitlines() if line.strip()]


class QemuStreamPeer:
    """Plays a VM on an "attach qemu" port: connects to okapid's unix
    socket and speaks QEMU's -netdev stream framing (each frame preceded by
    its length, 4 bytes big-endian).  Unlike a kernel stack it can send any
    frame at all, runts included."""

    def __init__(self, path, timeout=10):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(str(path))

    def send(self, frames):
        blob = b"".join(len(f).to_bytes(4, "big") + bytes(f) for f in frames)
        self.sock.sendall(blob)

    def close(self):
        self.sock.close()


# ---------------------------------------------------------------------------
# okapid.


def okapid_check(path, print_config=False):
    """Runs 'okapid --check [--print] -f path'; returns CompletedProcess."""
    argv = [OKAPID, "--check", "-f", str(path)]
    if print_config:
        argv.insert(2, "--print")
    return sh(argv, check=False)


def _sanitizer_env():
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1:abort_on_error=0")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    return env


class Okapid:
    """One okapid process with its own config file and control socket in
    rundir/NAME/."""

    def __init__(self, rundir, name):
        self.name = name
        self.dir = Path(rundir) / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.conf = self.dir / "okapi.conf"
        self.sock = self.dir / "ctl.sock"
        self.proc = None
        self.problems = []

    def write_config(self, text):
        self.conf.write_text(text)

    def start(self, config=None, timeout=20):
        """Writes config (if given), starts okapid in the foreground and
        waits until its control socket answers."""
        if config is not None:
            self.write_config(config)
        self.stdout = open(self.dir / "stdout.log", "a")
        self.stderr = open(self.dir / "stderr.log", "a")
        self.proc = subprocess.Popen(
            [OKAPID, "-f", str(self.conf), "-S", str(self.sock), "--foreground",
             "--log-level", "debug"],
            stdout=self.stdout, stderr=self.stderr, env=_sanitizer_env())
        run_and_expect(self._answering, True, timeout, interval=0.05,
                       what=f"okapid {self.name} control socket")
        return self

    def _answering(self):
        if self.proc.poll() is not None:
            raise AssertionError(
                f"okapid {self.name} exited {self.proc.returncode} at start:\n"
                f"{self.stderr_text()[-4000:]}")
        if not self.sock.exists():
            return False
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(str(self.sock))
            return True
        except OSError:
            return False
        finally:
            s.close()

    def stderr_text(self):
        return (self.dir / "stderr.log").read_text(errors="replace")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def ctl_run(self, *cmds, timeout=10):
        """Runs okapictl: one argument is split into words ('show vlan'),
        several are passed as -c commands (a configure session)."""
        argv = [OKAPICTL, "-S", str(self.sock)]
        if len(cmds) == 1:
            argv += shlex.split(cmds[0])
        else:
            for c in cmds:
                argv += ["-c", c]
        return subprocess.run(argv, text=True, capture_output=True, timeout=timeout)

    def ctl(self, *cmds, timeout=10):
        """okapictl that must succeed; returns its stdout."""
        r = self.ctl_run(*cmds, timeout=timeout)
        if r.returncode != 0:
            raise AssertionError(f"okapictl {cmds!r} exited {r.returncode}\n"
                                 f"stdout: {r.stdout}\nstderr: {r.stderr}")
        return r.stdout

    def ctl_json(self, cmd, timeout=10):
        out = self.ctl(cmd + " json", timeout=timeout)
        try:
            return json.loads(out)
        except ValueError as e:
            raise AssertionError(f"'{cmd} json' is not JSON ({e}):\n{out}")

    # Convenience views over the accessors.
    def intf(self, name):
        return intf_of(self.ctl_json(f"show interface {name}"), name)

    def status(self, name):
        return oper_status(self.intf(name))

    def drops(self, name, reason):
        return drop_count(self.intf(name), reason)

    def fdb_count(self):
        return fdb_total(self.ctl_json("show mac-address-table count"))

    def fdb(self):
        return fdb_entries(self.ctl_json("show mac-address-table"))

    def stop(self, timeout=20):
        """SIGTERM by pid; records (in self.problems) an unclean exit or a
        sanitizer report.  Returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.problems.append(f"okapid {self.name} ignored SIGTERM for {timeout}s")
        rc = self.proc.returncode
        self.stdout.close()
        self.stderr.close()
        if rc != 0:
            self.problems.append(f"okapid {self.name} exited {rc}")
        text = self.stderr_text()
        for marker in SANITIZER_MARKERS:
            if marker in text:
                self.problems.append(f"okapid {self.name} stderr has '{marker}'")
        if self.problems:
            self.problems.append(f"--- {self.dir}/stderr.log (tail):\n{text[-6000:]}")
        self.proc = None
        return rc


# ---------------------------------------------------------------------------
# Fixtures.


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def pytest_sessionstart(session):
    """Deletes namespaces left behind by an earlier run of this suite that
    was killed (their names carry the pid of a process that is gone)."""
    r = sh("ip netns list", check=False)
    for line in r.stdout.splitlines():
        m = re.match(r"(okt(\d+)-\S+)", line)
        if m and int(m.group(2)) != PID and not _pid_alive(int(m.group(2))):
            sh(["ip", "netns", "del", m.group(1)], check=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item, so fixtures can tell at
    teardown whether the test failed (and then show okapid's log)."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


def pytest_collection_modifyitems(config, items):
    if os.geteuid() != 0:
        skip = pytest.mark.skip(reason="topology tests need root (namespaces, TAP)")
        for item in items:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _test_deadline():
    """Fails a test that runs longer than TEST_TIMEOUT seconds instead of
    letting it hang the suite (pytest-timeout is not a dependency)."""
    def expired(signum, frame):
        raise TimeoutError(f"test exceeded {TEST_TIMEOUT}s")
    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(TEST_TIMEOUT)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.fixture
def rundir():
    d = tempfile.mkdtemp(prefix=f"okt{PID}-")
    yield Path(d)
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def ns():
    created = []

    def make(tag):
        n = Namespace(f"okt{PID}-{tag}-{next(_counter)}")
        created.append(n)
        return n

    yield make
    for n in reversed(created):
        n.delete()


@pytest.fixture
def veth():
    created = []

    def make(mtu=None):
        a, b = ifname("va"), ifname("vb")
        sh(["ip", "link", "add", a, "type", "veth", "peer", "name", b])
        created.append(a)
        for dev in (a, b):
            # The root namespace's IPv6 would send router solicitations
            # out of the veth; the trunk test wants only okapid's frames.
            sh(["sysctl", "-q", "-w", f"net.ipv6.conf.{dev}.disable_ipv6=1"], check=False)
            if mtu:
                sh(["ip", "link", "set", dev, "mtu", str(mtu)])
            sh(["ip", "link", "set", dev, "up"])
        return a, b

    yield make
    for a in created:
        sh(["ip", "link", "del", a], check=False)


@pytest.fixture
def okapid(rundir, request):
    """Factory: okapid("sw1") -> Okapid (not yet started).  Teardown stops
    every instance and fails the test on an unclean exit or a sanitizer
    report."""
    if not os.path.exists(OKAPID) or not os.path.exists(OKAPICTL):
        pytest.fail(f"{OKAPID} / {OKAPICTL} not built (run make or make SAN=1)")
    created = []

    def make(name="sw1"):
        d = Okapid(rundir, name)
        created.append(d)
        return d

    yield make
    problems = []
    for d in reversed(created):
        d.stop()
        problems += d.problems
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        # Shown under "Captured stdout teardown" of the failed test.
        for d in created:
            print(f"--- okapid {d.name} log ({d.dir}):\n{d.stderr_text()[-4000:]}")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def tap_port(name, dev, netns, vlan=None, extra=()):
    """Config text for an access port on a TAP moved into netns."""
    lines = [f"interface {name}", f" attach tap {dev} netns {netns.name}"]
    if vlan is not None:
        lines += [" switchport mode access", f" switchport access vlan {vlan}"]
    lines += [f" {x}" for x in extra]
    return "\n".join(lines) + "\n!\n"


@pytest.fixture
def two_hosts(ns, okapid):
    """The common topology: okapid sw1 with TAP ports p1 and p2 in VLAN 1
    to hosts h1 (10.0.0.1) and h2 (10.0.0.2).  Returns a builder that
    takes extra config: global text, per-port lines, and h1's MAC."""

    def build(extra_config="", p1_extra=(), p2_extra=(), h1_mac=None):
        h1, h2 = ns("h1"), ns("h2")
        d1, d2 = ifname("tp"), ifname("tp")
        sw = okapid("sw1")
        sw.start("hostname sw1\n" + tap_port("p1", d1, h1, extra=p1_extra)
                 + tap_port("p2", d2, h2, extra=p2_extra) + extra_config)
        h1.host(d1, "10.0.0.1/24", mac=h1_mac)
        h2.host(d2, "10.0.0.2/24")
        return sw, h1, h2, d1, d2

    return build


@pytest.fixture
def qemu_peer():
    """Factory: qemu_peer(socket_path) -> connected QemuStreamPeer, closed
    at teardown."""
    peers = []

    def make(path):
        run_and_expect(lambda: Path(path).exists(), True, 10,
                       what=f"okapid listening on {path}")
        p = QemuStreamPeer(path)
        peers.append(p)
        return p

    yield make
    for p in peers:
        p.close()


@pytest.fixture
def capture():
    """Factory: capture(ifaces, pcap_path) -> Capture, stopped at teardown."""
    caps = []

    def make(ifaces, path):
        c = Capture(ifaces, path)
        caps.append(c)
        return c

    yield make
    for c in caps:
        c.stop()
