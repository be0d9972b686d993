# SPDX-License-Identifier: BSD-2-Clause
"""Check the frames QEMU recorded (filter-dump) during tests/suites/33-net.sh.

What the clients (tests/net/net_client.c) were allowed to send must be on the
wire, exactly: per client 18 ARP requests for 10.0.2.2 (two single ones and
a burst of 16), each from its own MAC and its own IP, and client0's last
one (after client1 broke its tx ring); per client one ICMP echo request of
a full-size frame to 10.0.2.2; from client0 two DHCP DISCOVERs.  Nothing
net_virt_tx refused (bad descriptors, the spoofed source MAC) may appear:
every frame comes from a client or from the user-mode network (52:55:0a:00:02:*).
The gateway must have answered each ARP request and ping at its sender's
MAC, and sent the DHCP OFFERs to the broadcast MAC.
Usage: check_pcap.py FILE.pcap MAC0 MAC1 (client i: MACi, IP 10.0.2.(15 + i));
prints the problems and exits 1 if any.
"""
import struct
import sys

CLIENTS = {}  # MAC -> IP, client0 first
GATEWAY_IP = bytes([10, 0, 2, 2])
BROADCAST = b'\xff' * 6
SLIRP = bytes([0x52, 0x55, 10, 0, 2])  # QEMU user-mode network's own MACs


def frames(path):
    data = open(path, 'rb').read()
    magic = struct.unpack_from('<I', data)[0]
    if magic not in (0xa1b2c3d4, 0xa1b23c4d):
        raise SystemExit(f'{path}: not a little-endian pcap file')
    linktype = struct.unpack_from('<I', data, 20)[0]
    if linktype != 1:
        raise SystemExit(f'{path}: link type {linktype}, want Ethernet')
    at = 24
    while at + 16 <= len(data):
        incl = struct.unpack_from('<I', data, at + 8)[0]
        yield data[at + 16:at + 16 + incl]
        at += 16 + incl


def main():
    for i, mac in enumerate(sys.argv[2:4]):
        CLIENTS[bytes.fromhex(mac.replace(':', ''))] = bytes([10, 0, 2, 15 + i])
    client0 = next(iter(CLIENTS))
    problems = []
    arp_req = {mac: 0 for mac in CLIENTS}
    arp_rep = {mac: 0 for mac in CLIENTS}
    discover = offer = 0
    pings = {mac: 0 for mac in CLIENTS}
    pongs = {mac: 0 for mac in CLIENTS}
    for f in frames(sys.argv[1]):
        dst, src, etype = f[0:6], f[6:12], struct.unpack_from('>H', f, 12)[0]
        if src not in CLIENTS and src[:5] != SLIRP:
            problems.append(f'frame from {src.hex(":")}, neither a client nor the network')
        if src in CLIENTS:
            if etype == 0x0806 and struct.unpack_from('>H', f, 20)[0] == 1:
                if f[22:28] != src or f[28:32] != CLIENTS[src] or f[38:42] != GATEWAY_IP:
                    problems.append(f'ARP request from {src.hex(":")} with wrong sender or target')
                arp_req[src] += 1
            elif etype == 0x0800 and f[23] == 1 and f[34] == 8:
                if len(f) != 1514 or f[26:30] != CLIENTS[src] or f[30:34] != GATEWAY_IP:
                    problems.append(f'echo request from {src.hex(":")}: {len(f)} bytes or wrong IPs')
                pings[src] += 1
            elif etype == 0x0800 and f[23] == 17 and f[36:38] == b'\x00\x43' and src == client0:
                discover += 1
            else:
                problems.append(f'unexpected frame from {src.hex(":")}: {f[:42].hex()}')
            if not 14 <= len(f) <= 1518:
                problems.append(f'frame of {len(f)} bytes from {src.hex(":")}')
        elif etype == 0x0806 and struct.unpack_from('>H', f, 20)[0] == 2 and dst in CLIENTS:
            if f[28:32] != GATEWAY_IP or f[32:38] != dst or f[38:42] != CLIENTS[dst]:
                problems.append(f'ARP reply to {dst.hex(":")} for someone else')
            arp_rep[dst] += 1
        elif etype == 0x0800 and f[23] == 1 and f[34] == 0 and dst in CLIENTS:
            if len(f) != 1514 or f[30:34] != CLIENTS[dst]:
                problems.append(f'echo reply to {dst.hex(":")}: {len(f)} bytes or wrong IP')
            pongs[dst] += 1
        elif etype == 0x0800 and f[23] == 17 and f[34:36] == b'\x00\x43':
            if dst != BROADCAST:
                problems.append(f'DHCP reply to {dst.hex(":")}, not broadcast')
            offer += 1
    for i, mac in enumerate(CLIENTS):
        want = 19 if i == 0 else 18
        if arp_req[mac] != want:
            problems.append(f'{arp_req[mac]} ARP requests from {mac.hex(":")}, want {want}')
        if arp_rep[mac] != want:
            problems.append(f'{arp_rep[mac]} ARP replies to {mac.hex(":")}, want {want}')
        if pings[mac] != 1 or pongs[mac] != 1:
            problems.append(f'{pings[mac]} echo requests from and {pongs[mac]} replies to '
                            f'{mac.hex(":")}, want one each')
    if discover != 2 or offer != 2:
        problems.append(f'{discover} DHCP DISCOVER and {offer} OFFER, want two each')
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
