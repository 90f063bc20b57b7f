"""DOC: shared plumbing of the switch benchmark and the soak run.

Everything a run creates (network namespaces, processes, temporary
directories) is registered with a Resources object the moment it exists and
undone from there, newest first: processes are stopped by pid (SIGTERM, then
SIGKILL), namespaces deleted, directories removed.  A Resources is a context
manager, so an exception, Ctrl-C (SIGINT) or SIGTERM/SIGHUP anywhere in a
contender's turn still leaves the machine as it was.

Names carry this process's pid and a sequence number (name()), so two runs,
or a run and the topology tests, never collide.  Every process is started in
its own session, so a Ctrl-C on the terminal reaches only the harness, which
then stops its children in order.

Also here: the /proc readers (CPU time, RSS), link counters, package checks,
and Okapid, the okapid process wrapper used by both the bench and the soak.
"""

import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PID = os.getpid()
CLK_TCK = os.sysconf("SC_CLK_TCK")
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "runtime error:",
                     "LeakSanitizer", "ERROR: UndefinedBehaviorSanitizer")

# command -> Debian package that provides it
PACKAGES = {
    "ip": "iproute2", "ss": "iproute2", "sysctl": "procps", "ping": "iputils-ping", "iperf3": "iperf3",
    "trafgen": "netsniff-ng", "ethtool": "ethtool",
    "ovs-vswitchd": "openvswitch-switch", "ovsdb-server": "openvswitch-common",
    "vde_switch": "vde2",
}


class BenchError(Exception):
    """A step of the bench failed; the message says which and why."""


def log(msg):
    print(msg, flush=True)


_seq = itertools.count(1)


def name(tag):
    """A kernel interface / namespace name unique to this run: 'b' + pid +
    sequence (hex) + tag; at most 15 characters (IFNAMSIZ - 1)."""
    n = f"b{PID:x}{next(_seq):x}{tag}"
    if len(n) > 15:
        raise BenchError(f"interface name {n!r} longer than 15 characters")
    return n


def sh(argv, check=True, timeout=60, input=None):
    """Runs argv (a list) and returns CompletedProcess (text).  On failure
    raises BenchError quoting the command and its stderr."""
    try:
        r = subprocess.run(argv, text=True, capture_output=True,
                           timeout=timeout, input=input)
    except subprocess.TimeoutExpired as e:
        raise BenchError(f"{' '.join(argv)}: no answer in {timeout}s") from e
    if check and r.returncode != 0:
        raise BenchError(f"{' '.join(argv)} exited {r.returncode}: "
                         f"{(r.stderr or r.stdout).strip()[-2000:]}")
    return r


def in_ns(ns, argv):
    """argv run inside network namespace ns (None = this namespace)."""
    return (["ip", "netns", "exec", ns] + list(argv)) if ns else list(argv)


def wait_for(fn, what, timeout=10.0, interval=0.05):
    """Polls fn() until it returns a true value, which is returned; raises
    BenchError naming 'what' after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() >= deadline:
            raise BenchError(f"{what}: not within {timeout}s")
        time.sleep(interval)


# ---------------------------------------------------------------------------
# Signals: SIGTERM and SIGHUP end a run like Ctrl-C does, so the finally
# blocks run; during cleanup further signals are ignored.


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def install_signal_handlers():
    """SIGINT too: a shell starts background jobs with SIGINT ignored, and
    Python then leaves it ignored."""
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, _interrupt)


class _SignalsBlocked:
    def __enter__(self):
        self.saved = {s: signal.signal(s, signal.SIG_IGN)
                      for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}

    def __exit__(self, *exc):
        for s, h in self.saved.items():
            signal.signal(s, h)


# ---------------------------------------------------------------------------
# Resources.


def group_pids(pgid):
    """Pids of the live processes in process group pgid."""
    pids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            pids.append(int(d.name))
    return pids


def _signal_all(pids, sig):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def stop_process(p, timeout=5.0):
    """Stops Popen p (started by Resources.spawn, so the leader of its own
    process group) and the processes it forked into that group, each by
    pid: SIGTERM, then SIGKILL after timeout seconds.  trafgen, for one,
    sends from a forked child.  Returns p's exit status."""
    if p.poll() is None:
        _signal_all([p.pid] + [q for q in group_pids(p.pid) if q != p.pid],
                    signal.SIGTERM)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _signal_all([p.pid], signal.SIGKILL)
            p.wait()
    left = group_pids(p.pid)
    if left:
        _signal_all(left, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while left and time.monotonic() < deadline:
            time.sleep(0.05)
            left = group_pids(p.pid)
        _signal_all(left, signal.SIGKILL)
    for f in (p.stdin, p.stdout, p.stderr):
        if f:
            f.close()
    return p.returncode


class Resources:
    """Undo stack for what a run creates; see the DOC block."""

    def __init__(self):
        self._undo = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def on_close(self, what, fn):
        """Registers fn() to run at close(), before everything registered
        earlier."""
        self._undo.append((what, fn))

    def close(self):
        """Undoes everything, newest first; a failing step is reported and
        the rest still runs."""
        with _SignalsBlocked():
            while self._undo:
                what, fn = self._undo.pop()
                try:
                    fn()
                except Exception as e:  # cleanup must go on
                    log(f"cleanup: {what}: {e}")

    def tmpdir(self, tag):
        d = Path(tempfile.mkdtemp(prefix=f"okbench{PID}-{tag}-"))
        self.on_close(f"remove {d}", lambda: shutil.rmtree(d, ignore_errors=True))
        return d

    def netns(self, tag, ipv6=False):
        """A fresh network namespace with lo up and, unless ipv6, IPv6 off
        (so hosts stay silent unless the bench makes them talk)."""
        ns = name(tag)
        sh(["ip", "netns", "add", ns])
        self.on_close(f"delete netns {ns}",
                      lambda: sh(["ip", "netns", "del", ns], check=False))
        sh(["ip", "-n", ns, "link", "set", "lo", "up"])
        if not ipv6:
            sh(in_ns(ns, ["sysctl", "-q", "-w",
                          "net.ipv6.conf.all.disable_ipv6=1",
                          "net.ipv6.conf.default.disable_ipv6=1"]))
        return ns

    def root_link(self, dev):
        """Registers the deletion of root-namespace link dev (if it still
        exists at close) for links the bench creates outside namespaces."""
        def undo():
            if Path(f"/sys/class/net/{dev}").exists():
                sh(["ip", "link", "del", dev], check=False)
        self.on_close(f"delete link {dev}", undo)

    def spawn(self, argv, ns=None, logfile=None, stdin=subprocess.DEVNULL,
              env=None):
        """Starts argv (in namespace ns) in its own session; stdout and
        stderr go to logfile (or /dev/null).  The process is stopped by pid
        at close()."""
        out = open(logfile, "ab") if logfile else subprocess.DEVNULL
        try:
            p = subprocess.Popen(in_ns(ns, argv), stdin=stdin, stdout=out,
                                 stderr=subprocess.STDOUT if logfile else out,
                                 start_new_session=True, env=env)
        finally:
            if logfile:
                out.close()
        self.on_close(f"stop {argv[0]} (pid {p.pid})", lambda: stop_process(p))
        return p


# ---------------------------------------------------------------------------
# /proc and link counters.


def cpu_seconds(pid):
    """CPU time of process pid, all its threads, in seconds: the sum of the
    threads' run time in /proc/PID/task/*/schedstat (nanoseconds; the
    10 ms ticks of utime + stime in /proc/PID/stat are too coarse to tell
    0.5% from 1% over 3 s), or utime + stime where schedstat is missing."""
    total = 0
    try:
        for t in Path(f"/proc/{pid}/task").iterdir():
            total += int((t / "schedstat").read_text().split()[0])
        return total / 1e9
    except (OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_kib(pid):
    """VmRSS of process pid in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise BenchError(f"no VmRSS for pid {pid}")


def idle_cpu_percent(pids, seconds):
    """CPU used by the processes pids over 'seconds' of wall time, in
    percent of one core."""
    t0 = time.monotonic()
    c0 = sum(cpu_seconds(p) for p in pids)
    time.sleep(seconds)
    c1 = sum(cpu_seconds(p) for p in pids)
    return 100.0 * (c1 - c0) / (time.monotonic() - t0)


def link_stats(ns, dev):
    """Counters of dev in namespace ns: {'rx': {...}, 'tx': {...}} with
    packets, bytes, dropped ... as 'ip -s -j link' gives them."""
    r = sh(["ip", "-n", ns, "-s", "-j", "link", "show", "dev", dev])
    return json.loads(r.stdout)[0]["stats64"]


def link_mac(ns, dev):
    r = sh(["ip", "-n", ns, "-j", "link", "show", "dev", dev])
    return json.loads(r.stdout)[0]["address"]


def has_link(ns, dev):
    return sh(["ip", "-n", ns, "link", "show", "dev", dev] if ns else
              ["ip", "link", "show", "dev", dev], check=False).returncode == 0


def offloads(ns, dev):
    """'tso on|off' of dev as ethtool -k reports it (what the VM's stack
    may hand to the switch), or '?' without ethtool."""
    r = sh(in_ns(ns, ["ethtool", "-k", dev]), check=False)
    for line in r.stdout.splitlines():
        if line.startswith("tcp-segmentation-offload:"):
            return "tso " + line.split(":")[1].split()[0]
    return "?"


def host_setup(ns, dev, cidr, timeout=10):
    """Configures dev in ns as the host's NIC once it has appeared there
    (a switch may still be moving it): address cidr, link up."""
    wait_for(lambda: has_link(ns, dev), f"{dev} in namespace {ns}", timeout)
    sh(["ip", "-n", ns, "addr", "add", cidr, "dev", dev])
    sh(["ip", "-n", ns, "link", "set", dev, "up"])


# ---------------------------------------------------------------------------
# Packages.


def ensure_commands(commands):
    """Installs with apt-get the Debian packages of those commands that are
    missing (PACKAGES says which package provides each)."""
    os.environ["PATH"] = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    missing = sorted({PACKAGES[c] for c in commands if not shutil.which(c)})
    if not missing:
        return
    log(f"installing: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for argv in (["apt-get", "update", "-q"],
                 ["apt-get", "install", "-y", "-q", "--no-install-recommends"]
                 + missing):
        if subprocess.run(argv, env=env).returncode != 0:
            raise BenchError(f"{' '.join(argv)} failed")
    still = [c for c in commands if not shutil.which(c)]
    if still:
        raise BenchError(f"still missing after apt-get: {' '.join(still)}")


# ---------------------------------------------------------------------------
# okapid.


def okapi_binaries():
    """(okapid, okapictl): $OKAPID / $OKAPICTL, else the release build."""
    return (os.environ.get("OKAPID", str(REPO / "build" / "okapid")),
            os.environ.get("OKAPICTL", str(REPO / "build" / "okapictl")))


class Okapid:
    """One okapid process with its config, control socket and log in dir.
    start() returns once the control socket answers; stop() ends it by pid
    and checks it exited 0 without a sanitizer report."""

    def __init__(self, res, dir):
        self.res = res
        self.dir = Path(dir)
        self.conf = self.dir / "okapi.conf"
        self.sock = self.dir / "ctl.sock"
        self.log = self.dir / "okapid.log"
        self.okapid, self.okapictl = okapi_binaries()
        self.proc = None

    def start(self, config, timeout=30):
        self.conf.write_text(config)
        self.proc = self.res.spawn(
            [self.okapid, "--foreground", "-f", str(self.conf), "-S", str(self.sock)],
            logfile=self.log)
        wait_for(self._answering, f"okapid control socket {self.sock}", timeout)
        return self

    def _answering(self):
        self.check_alive()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(str(self.sock))
            return True
        except OSError:
            return False
        finally:
            s.close()

    def check_alive(self):
        if self.proc.poll() is not None:
            raise BenchError(f"okapid exited with status {self.proc.returncode}:\n"
                             f"{self.log_tail()}")

    def log_tail(self, n=3000):
        try:
            return self.log.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def ctl(self, *words, check=True, timeout=30):
        return sh([self.okapictl, "-S", str(self.sock)] + list(words),
                  check=check, timeout=timeout)

    def show_json(self, *words):
        return json.loads(self.ctl("show", *words, "json").stdout)

    def reload(self, config):
        """Writes config and has okapid re-read it ('okapictl reload')."""
        self.conf.write_text(config)
        self.ctl("reload")

    def stop(self):
        """Stops okapid; raises BenchError unless it exited 0 with no
        sanitizer report in its log."""
        status = stop_process(self.proc, timeout=10)
        text = self.log_tail(200000)
        bad = [m for m in SANITIZER_MARKERS if m in text]
        if status != 0 or bad:
            raise BenchError(f"okapid ended with status {status}"
                             f"{' and ' + ', '.join(bad) if bad else ''}:\n"
                             f"{text[-3000:]}")


def require_root():
    if os.geteuid() != 0:
        sys.exit("this benchmark needs root (network namespaces, TAP devices)")
