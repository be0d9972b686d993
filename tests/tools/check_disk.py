#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""check_disk.py OUTDIR: the MBR of the disk image the manifest names
(OUTDIR/disk.img, or OUTDIR/sdcard.img for a boot card) says what the
manifest says (start, size, FAT type, the boot partition active), then
prints "INDEX START SIZE LABEL" for each partition for the shell suite to
run fsck.fat and mtools on."""
import json
import struct
import sys

out = sys.argv[1]
manifest = json.load(open(f"{out}/generated/manifest.json"))
disk = manifest["disk"]
image = disk["image"]
assert image == ("sdcard.img" if disk["boot_card"] else "disk.img"), image
with open(f"{out}/{image}", "rb") as f:
    img_size = f.seek(0, 2)
    f.seek(0)
    mbr = f.read(512)
assert img_size == int(disk["size"], 16), f"{image} is {img_size} bytes, manifest says {disk['size']}"
assert mbr[510:512] == b"\x55\xaa", "no MBR signature"
parts = disk["partitions"]
for i in range(4):
    entry = mbr[446 + 16 * i: 462 + 16 * i]
    ptype = entry[4]
    start, count = struct.unpack("<II", entry[8:16])
    if i >= len(parts):
        assert entry == bytes(16), f"slot {i + 1} should be empty"
        continue
    p = parts[i]
    assert p["index"] == i + 1
    assert start * 512 == int(p["start"], 16), f"slot {i + 1} start {start}"
    assert count * 512 == int(p["size"], 16), f"slot {i + 1} size {count}"
    assert start * 512 % 4096 == 0 and count * 512 % 4096 == 0, "not 4 KiB aligned"
    assert ptype in (0x01, 0x0E, 0x0C), f"slot {i + 1} type {ptype:#x} is not FAT"
    assert entry[0] == (0x80 if p.get("boot") else 0), f"slot {i + 1} active flag {entry[0]:#x}"
    assert p.get("boot", False) == (disk["boot_card"] and i == 0), f"slot {i + 1} boot"
    print(i + 1, start * 512, count * 512, p["label"])
