#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Count the ARP requests from one MAC in a pcap file (QEMU's filter-dump).

    pcap_arp.py FILE MAC    prints the number of frames with source MAC,
                            EtherType 0x0806 and ARP operation 1 (request)
"""
import struct
import sys


def arp_requests(path, mac):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack_from("<I", data, 0)[0]
    if magic != 0xA1B2C3D4:
        sys.exit(f"{path}: not a little-endian pcap file (magic {magic:#x})")
    off, count = 24, 0
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack_from("<IIII", data, off)
        frame = data[off + 16 : off + 16 + incl]
        off += 16 + incl
        if len(frame) >= 22 and frame[6:12] == mac and frame[12:14] == b"\x08\x06" \
                and frame[20:22] == b"\x00\x01":
            count += 1
    return count


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    mac = bytes(int(x, 16) for x in sys.argv[2].split(":"))
    print(arp_requests(sys.argv[1], mac))


if __name__ == "__main__":
    main()
