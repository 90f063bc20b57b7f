#!/usr/bin/python3
"""DOC: send raw Ethernet frames out of one interface, fast.

Run inside a test namespace (ip netns exec NS rawsend.py ...).  Two modes:

  --stdin          frames on standard input, each preceded by its length as
                   4 bytes big-endian (what conftest.Namespace.send_frames
                   writes; the frames themselves are crafted with scapy)
  --flood N        N frames with random, distinct, locally administered
                   unicast source MACs (MAC-flood test), to an unknown
                   unicast destination, EtherType 0x88b5 (IEEE local
                   experimental, which no stack in the test answers)

Uses a plain AF_PACKET socket, not scapy, so 100,000 frames take well under
a second.  When the device queue is full (ENOBUFS) it waits for the socket
to become writable and retries the same frame, so no frame is silently lost
on the sending side.  Prints the number of frames sent.
"""

import argparse
import errno
import random
import select
import socket
import sys


def frames_from_stdin():
    data = sys.stdin.buffer.read()
    pos = 0
    while pos < len(data):
        n = int.from_bytes(data[pos:pos + 4], "big")
        yield data[pos + 4:pos + 4 + n]
        pos += 4 + n


def flood_frames(count, seed, dst):
    rng = random.Random(seed)
    seen = set()
    payload = bytes(46)
    while len(seen) < count:
        # 0x02 in the first octet: locally administered, unicast.
        src = bytes([0x02]) + rng.randbytes(5)
        if src in seen:
            continue
        seen.add(src)
        yield dst + src + b"\x88\xb5" + payload


def send_all(sock, frames):
    sent = 0
    for frame in frames:
        while True:
            try:
                sock.send(frame)
                break
            except OSError as e:
                if e.errno not in (errno.ENOBUFS, errno.EAGAIN):
                    raise
                select.select([], [sock], [], 0.01)
        sent += 1
    return sent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iface", required=True)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--stdin", action="store_true")
    mode.add_argument("--flood", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dst", default="02:ee:ee:ee:ee:ee")
    args = ap.parse_args()

    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((args.iface, 0))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    if args.stdin:
        frames = frames_from_stdin()
    else:
        frames = flood_frames(args.flood, args.seed, bytes.fromhex(args.dst.replace(":", "")))
    print(send_all(sock, frames))
    sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
