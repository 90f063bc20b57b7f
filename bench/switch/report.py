"""DOC: turns the per-round measurements into bench/RESULTS.md.

results[contender][metric] is the list of values of the rounds that
produced one (a failed round contributes nothing and is listed under
"Failures").  The tables show medians with the min-max range; the targets
of issue 3 are ratios and differences of medians from the same run, each
marked met or not met.
"""

import os
import platform
import re
import shutil
import statistics
import subprocess
import time

from benchlib import REPO, okapi_binaries

# key, column title, format of one value
METRICS = [
    ("tcp1", "TCP 1 stream Gbit/s", "{:.2f}"),
    ("tcp2", "TCP 2 streams Gbit/s", "{:.2f}"),
    ("rtt_med", "ping median µs", "{:.0f}"),
    ("rtt_p99", "ping p99 µs", "{:.0f}"),
    ("pps", "64 B frames/s forwarded (k)", "{:.0f}"),
    ("offered", "64 B offered (k)", "{:.0f}"),
    ("cpu_idle", "idle CPU %", "{:.2f}"),
    ("rss_idle", "RSS idle KiB", "{:.0f}"),
    ("rss_after", "RSS after traffic KiB", "{:.0f}"),
]
SCALED = {"pps": 1e-3, "offered": 1e-3}	# shown in thousands
ANY, NUMBER = r"(\S+)", r"(\d+)"


def median(results, c, m):
    v = results.get(c, {}).get(m)
    return statistics.median(v) if v else None


def cell(results, c, m, fmt):
    v = results.get(c, {}).get(m)
    if not v:
        return "–"
    k = SCALED.get(m, 1)
    med = fmt.format(statistics.median(v) * k)
    if len(v) == 1:
        return med
    return f"{med} ({fmt.format(min(v) * k)}–{fmt.format(max(v) * k)})"


def _ratio(a, b):
    return a / b if a is not None and b else None


def targets(results):
    """Rows (target, measured, status) for the targets of issue 3."""
    def med(c, m):
        return median(results, c, m)

    ovs_pps = max((v for v in (med("ovs", "pps"), med("ovs-tso", "pps")) if v),
                  default=None)
    rows = []

    def ratio_row(text, a, b, goal, strict=False):
        r = _ratio(a, b)
        if r is None:
            rows.append((text, "n/a (not measured)", "n/a"))
            return
        ok = r > goal if strict else r >= goal
        rows.append((text, f"{r:.2f}×", "met" if ok else "**not met**"))

    def delta_row(text, a, b, limit):
        if a is None or b is None:
            rows.append((text, "n/a (not measured)", "n/a"))
            return
        d = a - b
        rows.append((text, f"{d:+.0f} µs", "met" if d <= limit else "**not met**"))

    ratio_row("TCP 1 stream: okapid ≥ 1.2× OVS userspace with TSO",
              med("okapid", "tcp1"), med("ovs-tso", "tcp1"), 1.2)
    ratio_row("TCP 1 stream: okapid ≥ 0.9× Linux bridge",
              med("okapid", "tcp1"), med("bridge", "tcp1"), 0.9)
    ratio_row("TCP 1 stream: okapid beats OVS userspace without TSO (> 1×)",
              med("okapid", "tcp1"), med("ovs", "tcp1"), 1.0, strict=True)
    ratio_row("TCP 1 stream: okapid beats vde_switch (> 1×)",
              med("okapid", "tcp1"), med("vde", "tcp1"), 1.0, strict=True)
    ratio_row("TCP 2 streams: okapid ≥ 0.9× Linux bridge",
              med("okapid", "tcp2"), med("bridge", "tcp2"), 0.9)
    ratio_row("64 B frames/s: okapid ≥ 2× OVS userspace (better of ovs, ovs-tso)",
              med("okapid", "pps"), ovs_pps, 2.0)
    ratio_row("64 B frames/s: okapid ≥ 2× vde_switch",
              med("okapid", "pps"), med("vde", "pps"), 2.0)
    ratio_row("64 B frames/s: the generator alone (veth) outruns okapid (> 1×)",
              med("gen", "pps"), med("okapid", "pps"), 1.0, strict=True)
    ratio_row("64 B frames/s: okapid is offered more than it forwards (> 1×)",
              med("okapid", "offered"), med("okapid", "pps"), 1.0, strict=True)
    delta_row("Latency: okapid median RTT ≤ Linux bridge + 20 µs",
              med("okapid", "rtt_med"), med("bridge", "rtt_med"), 20)
    delta_row("Latency: okapid p99 RTT ≤ Linux bridge p99 + 50 µs",
              med("okapid", "rtt_p99"), med("bridge", "rtt_p99"), 50)
    delta_row("Latency: okapid with busy-poll 5000 median RTT ≤ Linux bridge + 20 µs",
              med("okapid-bp", "rtt_med"), med("bridge", "rtt_med"), 20)
    delta_row("Latency: okapid with busy-poll 5000 p99 RTT ≤ Linux bridge p99 + 50 µs",
              med("okapid-bp", "rtt_p99"), med("bridge", "rtt_p99"), 50)
    idle = med("okapid", "cpu_idle")
    rows.append(("Idle okapid uses < 1% CPU",
                 "n/a (not measured)" if idle is None else f"{idle:.2f} %",
                 "n/a" if idle is None else ("met" if idle < 1.0 else "**not met**")))
    ratio_row("Scale (64 ports, 4094 VLANs, ~64k FDB): TCP 1 stream ≥ 0.9× 2-port okapid",
              med("okapid-scale", "tcp1"), med("okapid", "tcp1"), 0.9)
    return rows


def _cmd(argv):
    try:
        return subprocess.run(argv, text=True, capture_output=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine():
    """Lines describing this machine and the tools' versions."""
    lscpu = _cmd(["lscpu"])

    def field(name):
        m = re.search(rf"^{name}:\s*(.+)$", lscpu, re.M)
        return m.group(1).strip() if m else "?"
    mem = "?"
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            mem = f"{int(line.split()[1]) / 1048576:.1f} GiB"
    osname = "?"
    if os.path.exists("/etc/os-release"):
        m = re.search(r'^PRETTY_NAME="?([^"\n]+)', open("/etc/os-release").read(), re.M)
        osname = m.group(1) if m else "?"

    def ver(argv, pattern=r"(\d+\.\d+(\.\d+)?)"):
        if not shutil.which(argv[0]):
            return "not installed"
        m = re.search(pattern, _cmd(argv) or "")
        return m.group(1) if m else "?"
    okapid, _ = okapi_binaries()
    rev = _cmd(["git", "-C", str(REPO), "describe", "--always", "--dirty"])
    cpus, cores, threads = (field(r"CPU\(s\)"), field(r"Core\(s\) per socket"),
                            field(r"Thread\(s\) per core"))
    versions = (f"Open vSwitch {ver(['ovs-vswitchd', '--version'])}, "
                f"vde_switch {ver(['dpkg-query', '-W', '-f', '${Version}', 'vde-switch'], ANY)}, "
                f"iperf3 {ver(['iperf3', '--version'])}, trafgen {ver(['trafgen', '-v'])}, "
                f"iputils ping {ver(['ping', '-V'], NUMBER)}")
    return [
        f"- CPU: {field('Model name')}, {cpus} CPUs ({cores} cores per socket, "
        f"{threads} thread(s) per core), hypervisor: {field('Hypervisor vendor')}",
        f"- Memory: {mem}",
        f"- Kernel: {platform.release()}; OS: {osname}",
        f"- okapid: `{okapid}` at git `{rev or '?'}`",
        f"- {versions}",
    ]


def loadavg():
    return open("/proc/loadavg").read().split()[:3]


def collect(per_round):
    """per_round[(round, contender)] = {metric: value} -> results[contender]
    [metric] = [values in round order]."""
    results = {}
    for (_, c), values in sorted(per_round.items()):
        for m, v in values.items():
            if v is not None:
                results.setdefault(c, {}).setdefault(m, []).append(v)
    return results


def write(path, *, per_round, facts, errors, order, labels, params, command,
          started, load_start):
    """Writes the results file.  per_round[(round, contender)] = {metric:
    value}; facts[contender] holds non-metric facts (TSO state of the VM
    NIC, FDB entries); errors lists (contender, round, message)."""
    results = collect(per_round)
    out = []
    w = out.append
    w("# Switch benchmark results\n")
    w(f"Produced by `{command}` (from the repository root), "
      f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}, "
      f"{time.time() - started:.0f} s. "
      f"{params['rounds']} rounds, contenders interleaved in each round "
      f"({' '.join(order)}); {params['duration']} s per timed test.\n")
    w("Absolute numbers on this shared machine drift by tens of percent "
      "between runs; compare the ratios, which come from the same run.\n")
    w("## Machine\n")
    out.extend(machine())
    w(f"- Load average (1, 5, 15 min) at start: {' '.join(load_start)}; "
      f"at end: {' '.join(loadavg())}\n")

    w("## Targets (issue 3)\n")
    w("| target | measured | status |")
    w("|---|---|---|")
    for t, v, s in targets(results):
        w(f"| {t} | {v} | {s} |")
    w("")
    w("Ratios are of medians; latency deltas are okapid's median minus the "
      "bridge's.\n")

    w("## Medians (min–max over the rounds)\n")
    cols = [m for m in METRICS if any(results.get(c, {}).get(m[0]) for c in order)]
    w("| contender | " + " | ".join(t for _, t, _ in cols) + " |")
    w("|---|" + "---|" * len(cols))
    for c in order:
        w(f"| {labels[c]} | " +
          " | ".join(cell(results, c, m, f) for m, _, f in cols) + " |")
    w("")
    fact_lines = [f"- {labels[c]}: " + ", ".join(f"{k} {v}" for k, v in sorted(f.items()))
                  for c, f in facts.items() if f]
    if fact_lines:
        w("Setup facts (VM1's NIC offloads as ethtool shows them inside the "
          "namespace; okapid-scale's attached ports and FDB entries after the fill):\n")
        out.extend(fact_lines)
        w("")
    def kib(c):
        v = median(results, c, "rss_idle")
        return "n/a" if v is None else f"{v:.0f} KiB"
    if "okapid" in results or "okapid-scale" in results:
        w(f"okapid RSS at idle: 2 ports {kib('okapid')}; 64 ports, 4094 VLANs, "
          f"~64k FDB entries {kib('okapid-scale')}.\n")

    w("## How it was measured\n")
    w("- Topology: two network namespaces (10.199.0.1/24, 10.199.0.2/24, "
      "IPv6 off) joined by the contender; each contender is set up afresh "
      "for its turn in every round and torn down after it.")
    w(f"- TCP: `iperf3 -c VM2 -t {params['duration']} -O 1 [-P 2]` from VM1; "
      f"receiver's bits/s.")
    w(f"- Latency: `ping -c {params['ping_count']} -i {params['ping_interval']}` "
      f"VM1 → VM2; median and nearest-rank p99 of the per-packet times.")
    w(f"- 64-byte frames: one `trafgen` process (`--cpus 1`) in VM1 sends 60-byte "
      f"UDP frames (64 with FCS) to VM2's MAC at full speed; forwarded = rise of "
      f"VM2's NIC rx_packets over {params['duration']} s after 1 s of warm-up; "
      f"offered = VM1's NIC tx_packets + tx_dropped. `gen` is the same generator "
      f"into a bare veth pair.")
    w("- Idle CPU: CPU time of the switch processes "
      "(okapid; ovs-vswitchd + ovsdb-server; vde_switch): the rise of their "
      "threads' run time (/proc/PID/task/*/schedstat) over 3 s, starting 1 s "
      "after the last traffic of the turn; the Linux bridge runs in the kernel "
      "and has no process. RSS: VmRSS before and after the traffic.")
    w("- See bench/README.md for each contender's exact setup.\n")

    w("## Per-round values\n")
    w("| round | contender | " + " | ".join(t for _, t, _ in cols) + " |")
    w("|---|---|" + "---|" * len(cols))
    for r in range(params["rounds"]):
        for c in order:
            per = per_round.get((r, c))
            if per is None:
                continue
            vals = []
            for m, _, f in cols:
                v = per.get(m)
                vals.append("–" if v is None else f.format(v * SCALED.get(m, 1)))
            w(f"| {r + 1} | {c} | " + " | ".join(vals) + " |")
    w("")
    if errors:
        w("## Failures\n")
        for c, r, msg in errors:
            w(f"- round {r + 1}, {c}: " + msg.replace("\n", " ")[:500])
        w("")
    with open(path, "w") as f:
        f.write("\n".join(out).rstrip() + "\n")
