#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""check_loader.py BOARD.yaml LOADER.img LOADER.map: check a loader image
against the board it is for, as far as can be done without the board
(test glue for boards QEMU does not model, like the MaaXBoard):

  * the arm64 Image header U-Boot's booti needs;
  * the boot info inside names the board's RAM, console UART and GIC, and
    gives each driver PD its device's interrupt;
  * loader.map: every piece of physical memory inside the board's RAM, no
    two overlapping, none where the image itself sits while the loader
    copies; the drivers are the board's, each reaching its device's
    registers, the NIC's descriptor rings uncached.

Prints TAP lines."""
import re
import struct
import sys

import yaml

UNITS = {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}
TEXT_OFFSET = 0x80000
UART_KIND = {"pl011": 1, "imx": 2}
PD_INFO = 64 + 5 * 8 + 8 + 62 * 8  # struct sg_pd_info


def size(v):
    if isinstance(v, int):
        return v
    m = re.fullmatch(r"\s*(0x[0-9a-fA-F]+|\d+)\s*([KMGT]iB|B)?\s*", str(v))
    return int(m.group(1), 0) * UNITS[m.group(2) or "B"]


def tap(ok, name, detail=""):
    print(("ok - " if ok else "not ok - ") + name)
    if not ok and detail:
        print("#   " + detail)
    return ok


def header(img):
    code0, text_offset, image_size, flags = struct.unpack_from("<IIQQQ", img, 0)[1:5]
    magic = struct.unpack_from("<I", img, 0x38)[0]
    ok = (magic == 0x644D5241 and text_offset == TEXT_OFFSET and image_size >= len(img)
          and flags & 1 == 0 and (flags >> 1) & 3 == 1)
    tap(ok, "the arm64 Image header booti needs: magic, text_offset 0x80000, 4 KiB pages, "
        "little-endian, image_size covering the file",
        "magic %#x text_offset %#x image_size %d (file %d) flags %#x"
        % (magic, text_offset, image_size, len(img), flags))
    del code0
    return image_size


def bootinfo(img, board):
    at = img.find(b"XSGBINFO")
    if not tap(at >= 0, "the image holds boot info"):
        return []
    (version, total, npds, _flags, ram_base, ram_size, uart_base, uart_kind, uart_irq, gicd,
     gicr) = struct.unpack_from("<IIIIQQQIIQQ", img, at + 8)
    want = (size(board["ram"]["base"]), size(board["ram"]["size"]), size(board["uart"]["base"]),
            UART_KIND.get(board["uart"]["driver"], 0), board["uart"]["irq"],
            size(board["gic"]["dist"]), size(board["gic"]["redist"]))
    have = (ram_base, ram_size, uart_base, uart_kind, uart_irq, gicd, gicr)
    tap(version == 2 and have == want,
        "boot info: the board's RAM, console UART (kind and address) and GIC",
        "have %s, want %s" % ([hex(x) for x in have], [hex(x) for x in want]))
    pds = {}
    first = at + 8 + struct.calcsize("<IIIIQQQIIQQ") + 16  # sched_irq, timeslice_us, ncpus, reserved
    for i in range(npds):
        base = first + i * PD_INFO
        name = img[base:base + 64].split(b"\0")[0].decode()
        ends = base + 64 + 40 + 8
        irqs = set()
        for e in range(62):
            kind, _, _, _, irq = struct.unpack_from("<BBBBI", img, ends + 8 * e)
            if kind == 2:
                irqs.add(irq)
        pds[name] = irqs
    del total
    return pds


def device_irqs(pds, board):
    wanted = {"serial_driver": "uart", "blk_driver": "block", "net_driver": "net"}
    bad = ["%s has %s, wants %s" % (pd, sorted(pds.get(pd, [])), board[dev]["irq"])
           for pd, dev in wanted.items() if dev in board and pds.get(pd) != {board[dev]["irq"]}]
    tap(not bad, "boot info: each driver PD gets its device's interrupt and no other",
        "; ".join(bad))


def link_map(path, board, image_size):
    text = open(path).read()
    ram = (size(board["ram"]["base"]), size(board["ram"]["size"]))
    chunks = []
    for line in text.split("\n\n")[1].splitlines()[1:]:
        m = re.match(r"\s+0x([0-9a-f]+)-0x([0-9a-f]+)\s+\d+ bytes\s+(.*)", line)
        if m and " in memory region " not in m.group(3):  # files lie inside their region
            chunks.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
    outside = [c[2] for c in chunks if c[0] < ram[0] or c[1] > ram[0] + ram[1]]
    tap(chunks and not outside, "loader.map: every piece of physical memory is in the board's "
        "RAM (%d pieces)" % len(chunks), "outside: %s" % outside[:5])
    chunks.sort()
    overlaps = [(a[2], b[2]) for a, b in zip(chunks, chunks[1:]) if b[0] < a[1]]
    tap(not overlaps, "loader.map: no two pieces overlap", str(overlaps[:3]))
    image = (ram[0] + TEXT_OFFSET, ram[0] + TEXT_OFFSET + image_size)
    under = [c[2] for c in chunks if c[0] < image[1] and image[0] < c[1]]
    tap(not under, "loader.map: nothing lands where the image sits while the loader copies "
        "(0x%x..0x%x)" % image, str(under[:3]))

    elfs = {"serial_driver": "serial_driver_%s.elf" % board["uart"]["driver"]}
    for dev, cls in (("block", "blk"), ("net", "net")):
        if dev in board:
            elfs["%s_driver" % cls] = "%s_driver_%s.elf" % (cls, board[dev]["driver"])
    wrong = [pd for pd, elf in elfs.items()
             if not re.search(r"segment 0 of '%s' \(%s\)" % (pd, re.escape(elf)), text)]
    tap(not wrong, "loader.map: the drivers are the board's (%s)" % ", ".join(elfs.values()),
        "not found: %s" % wrong)

    # Each driver PD's section lists its maps; a device's registers must be
    # in one of its uncached read-write maps.
    sections = {m.group(1): m.group(2) for m in re.finditer(
        r"^protection domain '([^']+)'.*\n((?:  .*\n?)*)", text, re.M)}
    missing = []
    for pd, dev in (("serial_driver", "uart"), ("blk_driver", "block"), ("net_driver", "net")):
        if dev not in board:
            continue
        base = size(board[dev]["base"])
        maps = re.findall(r"0x([0-9a-f]+)-0x([0-9a-f]+) -> 0x([0-9a-f]+) rw- device",
                          sections.get(pd, ""))
        if not any(int(pa, 16) <= base < int(pa, 16) + int(hi, 16) - int(lo, 16)
                   for lo, hi, pa in maps):
            missing.append("%s in %s" % (dev, pd))
    tap(not missing, "loader.map: each driver maps its device's registers uncached",
        "missing: %s" % missing)
    if board.get("net", {}).get("rings"):
        tap(re.search(r"rw- device  the map of 'net_driver_rings'", text) is not None,
            "loader.map: the NIC's descriptor rings are mapped uncached in its driver")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    board = yaml.safe_load(open(sys.argv[1]))
    img = open(sys.argv[2], "rb").read()
    image_size = header(img)
    device_irqs(bootinfo(img, board), board)
    link_map(sys.argv[3], board, image_size)


if __name__ == "__main__":
    main()
