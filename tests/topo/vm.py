"""DOC: a real VM for the topology tests.

A small guest is built at test time from what the machine already has:
the Debian kernel in /boot (package linux-image-amd64), its virtio
modules from /lib/modules/VERSION, and the static busybox (package
busybox-static).  build_initramfs() writes a gzip'ed newc cpio archive
into the cache directory tests/topo/.vm/ (named by a hash of its inputs,
so a new kernel or busybox rebuilds it and a warm cache costs nothing).

The guest's /init loads virtio_net and its dependencies (the Debian kernel
has them as modules), gives eth0 the address passed on the kernel command
line (okapi.ip=A.B.C.D/N; the MAC is QEMU's -device mac=), prints OKAPI-VM-READY on
the serial console, then runs a shell on ttyS0.  QemuVm drives that shell
through QEMU's stdin/stdout: run() sends one command line and waits for
its exit status, printed behind a marker that the terminal echo of the
command cannot match.

QemuVm never sleeps to wait: a reader thread collects the console output
and wait_for() polls it with a deadline.
"""

import gzip
import hashlib
import lzma
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE_DIR = Path(os.environ.get("OKAPI_VM_CACHE", HERE / ".vm"))
BUSYBOX_CANDIDATES = ("/bin/busybox", "/usr/bin/busybox")
# virtio_pci finds the device, virtio_net drives it; their dependencies
# (virtio, virtio_ring, failover, net_failover, ...) come from modules.dep.
GUEST_MODULES = ("virtio_pci", "virtio_net")
READY_MARKER = "OKAPI-VM-READY"

INIT_SCRIPT = r"""#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox --install -s /bin
export PATH=/bin
for m in $(cat /modules.order); do
	insmod /mods/$m || echo "OKAPI-VM-ERROR insmod $m"
done
ip=""
for w in $(cat /proc/cmdline); do
	case "$w" in
	okapi.ip=*) ip="${w#okapi.ip=}" ;;
	esac
done
ip link set lo up
n=0
while ! ip link show eth0 >/dev/null 2>&1; do
	n=$((n + 1))
	if [ $n -gt 200 ]; then echo "OKAPI-VM-ERROR no eth0"; poweroff -f; fi
	usleep 50000
done
[ -n "$ip" ] && ip addr add "$ip" dev eth0
ip link set eth0 up
echo "OKAPI-VM-READY $(cat /sys/class/net/eth0/address)"
exec setsid cttyhack sh
"""


def _find_busybox():
    for path in BUSYBOX_CANDIDATES:
        if os.path.exists(path):
            return path
    raise FileNotFoundError("busybox not found (apt-get install busybox-static)")


def _kernel_release(vmlinuz):
    name = os.path.basename(vmlinuz)
    return name[len("vmlinuz-"):]


def find_kernel():
    """Returns (vmlinuz path, module dir) of the newest /boot kernel whose
    modules include virtio_net; OKAPI_VM_KERNEL overrides the choice."""
    wanted = os.environ.get("OKAPI_VM_KERNEL")
    candidates = [wanted] if wanted else sorted(
        (str(p) for p in Path("/boot").glob("vmlinuz-*")), reverse=True)
    for vmlinuz in candidates:
        moddir = Path("/lib/modules") / _kernel_release(vmlinuz)
        if os.access(vmlinuz, os.R_OK) and (moddir / "modules.dep").exists():
            return vmlinuz, moddir
    raise FileNotFoundError(
        "no readable /boot/vmlinuz-* with /lib/modules (apt-get install linux-image-amd64)")


def _parse_modules_dep(moddir):
    deps, paths = {}, {}
    for line in (moddir / "modules.dep").read_text().splitlines():
        target, _, rest = line.partition(":")
        name = _module_name(target)
        paths[name] = target
        deps[name] = [_module_name(d) for d in rest.split()]
    return deps, paths


def _module_name(path):
    base = os.path.basename(path)
    for ext in (".ko.xz", ".ko.zst", ".ko.gz", ".ko"):
        if base.endswith(ext):
            base = base[: -len(ext)]
            break
    return base.replace("-", "_")


def _load_order(moddir, wanted):
    """Module names in an order where each follows its dependencies."""
    deps, paths = _parse_modules_dep(moddir)
    order, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        if name not in deps:
            raise FileNotFoundError(f"module {name} not in {moddir}/modules.dep")
        for dep in deps[name]:
            visit(dep)
        order.append(name)

    for name in wanted:
        visit(name)
    return [(name, moddir / paths[name]) for name in order]


def _module_bytes(path):
    data = path.read_bytes()
    name = str(path)
    if name.endswith(".xz"):
        return lzma.decompress(data)
    if name.endswith(".gz"):
        return gzip.decompress(data)
    if name.endswith(".zst"):
        return subprocess.run(["zstd", "-dc", name], check=True,
                              capture_output=True).stdout
    return data


class _Cpio:
    """Writes a newc ("070701") cpio archive, the format the kernel's
    initramfs unpacker reads; device nodes need no privilege here."""

    def __init__(self):
        self.parts = []
        self.ino = 1

    def add(self, name, mode, data=b"", rdev=(0, 0)):
        fields = [self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
                  len(name) + 1, 0]
        self.ino += 1
        header = "070701" + "".join(f"{v:08x}" for v in fields)
        entry = header.encode() + name.encode() + b"\0"
        entry += b"\0" * (-len(entry) % 4)
        entry += data + b"\0" * (-len(data) % 4)
        self.parts.append(entry)

    def dir(self, name):
        self.add(name, 0o040755)

    def file(self, name, data, mode=0o644):
        self.add(name, 0o100000 | mode, data)

    def chardev(self, name, major, minor):
        self.add(name, 0o020600, rdev=(major, minor))

    def finish(self):
        self.add("TRAILER!!!", 0)
        return b"".join(self.parts)


def build_initramfs(cache_dir=CACHE_DIR):
    """Builds (or reuses) the guest initramfs for the kernel find_kernel()
    picks.  Returns (vmlinuz, initramfs path).  Safe against concurrent
    builders: the archive is written to a temporary name and renamed."""
    vmlinuz, moddir = find_kernel()
    busybox = _find_busybox()
    modules = _load_order(moddir, GUEST_MODULES)
    key = hashlib.sha256()
    for part in (vmlinuz, INIT_SCRIPT, busybox, str(os.stat(busybox).st_mtime_ns)):
        key.update(part.encode())
    for _, path in modules:
        key.update(f"{path}:{os.stat(path).st_mtime_ns}".encode())
    out = Path(cache_dir) / f"initramfs-{key.hexdigest()[:16]}.cpio.gz"
    if out.exists():
        return vmlinuz, out

    cpio = _Cpio()
    for d in ("bin", "dev", "proc", "sys", "mods", "tmp"):
        cpio.dir(d)
    cpio.chardev("dev/console", 5, 1)
    cpio.chardev("dev/null", 1, 3)
    cpio.file("bin/busybox", Path(busybox).read_bytes(), 0o755)
    cpio.file("init", INIT_SCRIPT.encode(), 0o755)
    names = []
    for name, path in modules:
        cpio.file(f"mods/{name}.ko", _module_bytes(path))
        names.append(f"{name}.ko")
    cpio.file("modules.order", ("\n".join(names) + "\n").encode())

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(gzip.compress(cpio.finish(), compresslevel=6))
    os.replace(tmp, out)
    # Images for an older kernel or busybox are of no further use.
    for old in Path(cache_dir).glob("initramfs-*.cpio.gz"):
        if old != out:
            old.unlink(missing_ok=True)
    return vmlinuz, out


class QemuVm:
    """One qemu-system-x86_64 guest with a virtio-net NIC.

    netdev is the -netdev argument (e.g. "stream,id=n0,server=off,
    addr.type=unix,addr.path=/run/x.sock").  ip is "A.B.C.D/N" for eth0,
    mac its MAC.  The accelerator is TCG: KVM inside a nested VM (as on
    the CI machines) is not reliable enough; OKAPI_QEMU_ACCEL=kvm:tcg
    tries KVM first where it works."""

    def __init__(self, netdev, ip, mac, logfile, memory_mb=256):
        vmlinuz, initrd = build_initramfs()
        accel = os.environ.get("OKAPI_QEMU_ACCEL", "tcg")
        netdev_id = re.search(r"id=([^,]+)", netdev).group(1)
        self.argv = [
            "qemu-system-x86_64", "-machine", f"pc,accel={accel}",
            "-m", str(memory_mb), "-smp", "1",
            "-nographic", "-monitor", "none", "-nodefaults", "-no-user-config",
            "-serial", "stdio", "-no-reboot",
            "-kernel", vmlinuz, "-initrd", str(initrd),
            "-append", f"console=ttyS0 panic=-1 loglevel=3 edd=off okapi.ip={ip}",
            "-netdev", netdev,
            "-device", f"virtio-net-pci,netdev={netdev_id},mac={mac},romfile=",
        ]
        self.logfile = Path(logfile)
        self.mac = mac
        self.output = ""
        self.seq = 0
        self.lock = threading.Lock()
        self.proc = None
        self.reader = None

    def start(self):
        """Starts QEMU; returns at once.  Use wait_ready() next."""
        self.output = ""
        self.log = open(self.logfile, "a")
        self.log.write(f"--- {' '.join(self.argv)}\n")
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, bufsize=0)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            chunk = self.proc.stdout.read(4096)
            if not chunk:
                return
            text = chunk.decode("utf-8", "replace").replace("\r", "")
            with self.lock:
                self.output += text
            self.log.write(text)
            self.log.flush()

    def wait_for(self, pattern, timeout, start=0):
        """Waits until regex 'pattern' matches the console output after
        offset 'start'; returns the match.  Raises AssertionError with the
        console tail when it does not appear in time or QEMU exits."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            with self.lock:
                m = rx.search(self.output, start)
            if m:
                return m
            if self.proc.poll() is not None and not self.reader.is_alive():
                raise AssertionError(
                    f"QEMU exited ({self.proc.returncode}) before /{pattern}/:\n"
                    f"{self.output[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no /{pattern}/ on the VM console within {timeout}s:\n"
                    f"{self.output[-3000:]}")
            time.sleep(0.05)

    def wait_ready(self, timeout):
        """Waits for /init to have configured eth0."""
        self.wait_for(READY_MARKER, timeout)
        errors = re.findall(r"OKAPI-VM-ERROR.*", self.output)
        assert not errors, errors

    def run(self, command, timeout):
        """Runs one shell command line in the guest; returns its exit status."""
        self.seq += 1
        with self.lock:
            start = len(self.output)
        # The marker is split by quotes so that the terminal's echo of this
        # line never matches the pattern; only the shell's output does.
        line = f'{command}; echo "OKAPI-DO""NE-{self.seq} $?"\n'
        self.proc.stdin.write(line.encode())
        self.proc.stdin.flush()
        m = self.wait_for(rf"OKAPI-DONE-{self.seq} (\d+)", timeout, start)
        return int(m.group(1))

    def kill(self):
        """Kills QEMU hard (as a crashing VM would go) and reaps it."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.stop()

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.reader.join(timeout=5)
        self.proc.stdin.close()
        self.proc.stdout.close()
        self.log.close()
        self.proc = None


def qemu_available():
    return shutil.which("qemu-system-x86_64") is not None
