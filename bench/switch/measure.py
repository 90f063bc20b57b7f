"""DOC: the measurements, each taken between the two VMs of a Topo.

  tcp()       iperf3 from VM1 to VM2, 1 or 2 streams; Gbit/s received
  ping_rtt()  iputils ping VM1 -> VM2 at a fixed interval; median and p99
              of the per-packet RTTs in microseconds
  pps()       trafgen in VM1 sends 64-byte UDP frames (60 bytes + FCS) to
              VM2's MAC as fast as it can; frames/s that reach VM2 are the
              rise of VM2's NIC rx_packets over a fixed window after a
              warm-up; offered frames/s are VM1's NIC tx_packets +
              tx_dropped over the same window
  idle_cpu()  CPU percent of one core used by the switch processes over a
              window with no traffic, after traffic has stopped

A step that fails raises BenchError with what it saw.
"""

import json
import re
import time

from benchlib import (BenchError, idle_cpu_percent, in_ns, link_mac,
                      link_stats, sh, stop_process, wait_for)

IPERF_PORT = 5201
PPS_DST_IP = "10.199.0.99"	# not VM2's: VM2 drops the frames in ip_rcv


def warm(topo, timeout=15):
    """Pings both ways until it works: ARP resolved, MACs learned."""
    for ns, dst in ((topo.ns1, topo.ip2), (topo.ns2, topo.ip1)):
        wait_for(lambda ns=ns, dst=dst: sh(in_ns(ns, ["ping", "-n", "-c", "1", "-W", "1", dst]),
                                           check=False).returncode == 0,
                 f"ping {ns} -> {dst}", timeout, interval=0.1)


def start_iperf_server(res, topo):
    """iperf3 -s in VM2, stopped with the turn's resources."""
    res.spawn(["iperf3", "-s", "-B", topo.ip2, "-p", str(IPERF_PORT)], ns=topo.ns2)
    wait_for(lambda: f":{IPERF_PORT}" in sh(in_ns(topo.ns2, ["ss", "-ltnH"])).stdout,
             "iperf3 server listening")


def tcp(topo, seconds, streams=1, omit=1):
    """TCP throughput VM1 -> VM2 in Gbit/s (iperf3 receiver side), after
    'omit' seconds of slow start that are not counted."""
    argv = ["iperf3", "-c", topo.ip2, "-p", str(IPERF_PORT), "-t", str(seconds),
            "-P", str(streams), "-J"]
    if omit:
        argv += ["-O", str(omit)]
    r = sh(in_ns(topo.ns1, argv), check=False, timeout=seconds + omit + 60)
    try:
        out = json.loads(r.stdout)
    except json.JSONDecodeError:
        raise BenchError(f"iperf3 exited {r.returncode}: {r.stderr.strip()[-500:]}")
    if "error" in out:
        raise BenchError(f"iperf3: {out['error']}")
    bps = out["end"]["sum_received"]["bits_per_second"]
    if bps <= 0:
        raise BenchError("iperf3 received nothing")
    return bps / 1e9


def percentile(values, q):
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(-(-q * len(v) // 100)) - 1))
    return v[k]


def ping_rtt(topo, count, interval):
    """(median, p99) RTT in microseconds of 'count' pings VM1 -> VM2 sent
    every 'interval' seconds; fails if more than 1% are lost."""
    r = sh(in_ns(topo.ns1, ["ping", "-n", "-c", str(count), "-i", str(interval),
                            "-W", "1", topo.ip2]),
           check=False, timeout=count * interval + 30)
    rtts = [float(m) * 1000.0 for m in re.findall(r"time=([\d.]+) ms", r.stdout)]
    if len(rtts) < count * 0.99:
        raise BenchError(f"ping: {count - len(rtts)} of {count} lost\n{r.stdout[-500:]}")
    return percentile(rtts, 50), percentile(rtts, 99)


def trafgen_config(topo, path):
    """Writes a trafgen config for one 60-byte UDP frame VM1 -> VM2's MAC
    (64 bytes on the wire with the FCS)."""
    path.write_text(
        "{\n"
        f"  eth(da={link_mac(topo.ns2, topo.dev2)}, sa={link_mac(topo.ns1, topo.dev1)}),\n"
        f"  ipv4(saddr={topo.ip1}, daddr={PPS_DST_IP}, ttl=64),\n"
        "  udp(sport=9, dport=9),\n"
        "  fill(0x00, 18)\n"
        "}\n")
    return path


def pps(res, topo, tmp, seconds, warmup=1.0):
    """(forwarded, offered) 64-byte frames per second; see the DOC block.
    One trafgen process (-P 1): it is fast enough (the 'gen' baseline shows
    by how much) and leaves the other core to the switch."""
    cfg = trafgen_config(topo, tmp / "pps.cfg")
    log = tmp / "trafgen.log"
    gen = res.spawn(["trafgen", "--dev", topo.dev1, "--conf", str(cfg),
                     "--cpus", "1", "--no-sock-mem", "-Q", "-C"], ns=topo.ns1, logfile=log)
    try:
        time.sleep(warmup)
        rx0, tx0, t0 = (link_stats(topo.ns2, topo.dev2)["rx"],
                        link_stats(topo.ns1, topo.dev1)["tx"], time.monotonic())
        time.sleep(seconds)
        rx1, tx1, t1 = (link_stats(topo.ns2, topo.dev2)["rx"],
                        link_stats(topo.ns1, topo.dev1)["tx"], time.monotonic())
        if gen.poll() is not None:
            raise BenchError(f"trafgen exited {gen.returncode}: "
                             f"{log.read_text(errors='replace')[-500:]}")
    finally:
        stop_process(gen)
    dt = t1 - t0
    fwd = (rx1["packets"] - rx0["packets"]) / dt
    offered = ((tx1["packets"] + tx1["dropped"]) -
               (tx0["packets"] + tx0["dropped"])) / dt
    if fwd <= 0:
        raise BenchError("no 64-byte frame reached VM2")
    return fwd, offered


def idle_cpu(topo, seconds, settle=1.0):
    """CPU percent (of one core) of the switch processes, 'settle' seconds
    after the last traffic, over 'seconds'; None for in-kernel switches."""
    if not topo.pids:
        return None
    time.sleep(settle)
    return idle_cpu_percent(topo.pids, seconds)
