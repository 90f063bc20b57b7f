"""DOC: issue 2, test 5 -- a real VM on an "attach qemu" port.

qemu-system-x86_64 (TCG, 256 MB) boots the Debian kernel from /boot with the
busybox initramfs that vm.py builds, its virtio-net NIC connected with
"-netdev stream,server=off,addr.type=unix,addr.path=SOCK" to okapid's
"attach qemu SOCK" port.  A namespace host on a TAP port and the VM ping
each other both ways.  Then the VM is killed (SIGKILL, as a crash would do):
okapid reports the port down, and a new VM on the same socket is accepted
and reachable again without touching okapid.
"""

import pytest

from conftest import ifname, ping_loss, run_and_expect, rx_packets, tap_port
import vm as vmlib

VM_IP = "10.0.0.50"
BOOT_TIMEOUT = 90


@pytest.fixture
def vms():
    started = []

    def make(*args, **kw):
        v = vmlib.QemuVm(*args, **kw)
        started.append(v)
        return v

    yield make
    for v in started:
        v.stop()


def _boot(vms, sock, logfile):
    v = vms(f"stream,id=n0,server=off,addr.type=unix,addr.path={sock}",
            f"{VM_IP}/24", "52:54:00:0a:00:32", logfile)
    v.start()
    v.wait_ready(BOOT_TIMEOUT)
    return v


def _both_ways(v, h1):
    assert v.run("ping -c 3 10.0.0.1 >/dev/null", 30) == 0, "VM cannot ping the host"
    h1.wait_ping(VM_IP, timeout=20)
    r = h1.ping(VM_IP, count=5, interval=0.1)
    assert ping_loss(r.stdout) == 0, r.stdout


def test_vm_pings_host_and_reconnects(ns, okapid, rundir, vms):
    assert vmlib.qemu_available(), "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
    vmlib.build_initramfs()
    h1 = ns("h1")
    d1 = ifname("tp")
    sw = okapid("sw1")
    sock = sw.dir / "vm1.sock"
    sw.start("hostname sw1\n" + tap_port("p1", d1, h1)
             + f"interface vm1\n attach qemu {sock}\n!\n")
    h1.host(d1, "10.0.0.1/24")
    run_and_expect(sock.exists, True, 10, what="okapid listening on the qemu socket")

    v = _boot(vms, sock, rundir / "vm-1.log")
    run_and_expect(lambda: sw.status("vm1"), "up", 10, what="vm1 up with the VM connected")
    _both_ways(v, h1)
    assert rx_packets(sw.intf("vm1")) > 0
    macs = {e["mac"]: e["interface"] for e in sw.fdb()}
    assert macs.get("52:54:00:0a:00:32") == "vm1"

    v.kill()
    run_and_expect(lambda: sw.status("vm1"), lambda s: s != "up", 10,
                   what="vm1 down after the VM died")
    assert not h1.can_ping(VM_IP, wait=1)

    v = _boot(vms, sock, rundir / "vm-2.log")
    run_and_expect(lambda: sw.status("vm1"), "up", 10, what="vm1 up after reconnect")
    _both_ways(v, h1)
