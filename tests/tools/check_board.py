#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""check_board.py BOARD.yaml DTB [--ram]: cross-check a board data file
against the board's own device tree (test glue).  Each device sysgen's
drivers own (uart, block, net) and the GIC must sit at the address, and
raise the INTID, that the device tree says.  Prints TAP lines."""
import re
import subprocess
import sys

import yaml

board = yaml.safe_load(open(sys.argv[1]))
dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", sys.argv[2]],
                     check=True, capture_output=True, text=True).stdout

# Node name -> {property: [cells]} for every node with a unit address.
nodes = {}
current = []
for line in dts.splitlines():
    line = line.strip()
    m = re.match(r"(?:[\w-]+: )?([\w,.+-]+@[0-9a-f]+) \{$", line)
    if m:
        current.append(m.group(1))
        nodes[m.group(1)] = {}
        continue
    if re.match(r"(?:[\w-]+: )?[\w,.+-]+ \{$", line) or line == "/ {":
        current.append(None)
        continue
    if line == "};":
        if current:
            current.pop()
        continue
    m = re.match(r"([\w,#-]+) = <([^>]*)>;$", line)
    if m and current and current[-1]:
        nodes[current[-1]][m.group(1)] = [int(c, 16) for c in m.group(2).split()]
    m = re.match(r'([\w,#-]+) = "([^"\\]*)', line)  # first string of a string list
    if m and current and current[-1]:
        nodes[current[-1]][m.group(1)] = m.group(2)


def find(base):
    hits = [n for n in nodes if n.endswith("@%x" % base)]
    return hits[0] if len(hits) == 1 else None


def regs(props):
    cells = props.get("reg", [])
    if len(cells) % 4 == 0 and cells and cells[0] == 0:  # 2+2 cells
        return [(cells[i] << 32 | cells[i + 1], cells[i + 2] << 32 | cells[i + 3])
                for i in range(0, len(cells), 4)]
    return [(cells[i], cells[i + 1]) for i in range(0, len(cells), 2)]


failed = 0


def report(good, what, detail=""):
    global failed
    print(f"{'ok' if good else 'not ok'} - {board['name']}: {what}")
    if not good:
        print(f"#   {detail}")
        failed += 1


def size(v):
    if isinstance(v, int):
        return v
    n, _, unit = str(v).partition(" ")
    return int(n, 0) * {"": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}[unit]


for key in ("uart", "block", "net"):
    dev = board.get(key)
    if not dev:
        continue
    base, irq = size(dev["base"]), dev["irq"]
    name = find(base)
    if not name:
        report(False, f"{key} at {base:#x}", "no device tree node at that address")
        continue
    props = nodes[name]
    r = regs(props)
    report(bool(r) and r[0][0] == base and r[0][1] >= size(dev["size"]),
           f"{key} registers {base:#x}+{size(dev['size']):#x} ({name})", f"reg = {r}")
    ints = props.get("interrupts", [])
    spis = [ints[i + 1] + 32 for i in range(0, len(ints), 3) if ints[i] == 0]
    report(spis[:1] == [irq], f"{key} INTID {irq} ({name})", f"SPI INTIDs in the tree: {spis}")

# Clocks and the PHY address, where the tree says them.  The i.MX8MQ's
# UART root clock runs from its 25 MHz oscillator unless firmware moves it;
# a uSDHC's rate is its assigned-clock-rates.  The FEC's register clock is
# a clock-tree index (whose numbering differs between kernel versions) and
# the PHY address is the board's wiring: the MaaXBoard's own tree has them,
# Debian's kernel does not ship it.
def fixed_clock(name):
    m = re.search(r"clock-%s \{[^}]*clock-frequency = <0x([0-9a-f]+)>" % name, dts)
    return int(m.group(1), 16) if m else None

for key, dev in (("uart", board.get("uart")), ("block", board.get("block")),
                 ("net", board.get("net"))):
    if not dev or "clock" not in dev:
        continue
    name = find(size(dev["base"]))
    if key == "uart":
        osc25 = fixed_clock("osc-25m")
        report(osc25 == dev["clock"], f"uart clock {dev['clock']} Hz (the tree's osc_25m)",
               f"osc_25m = {osc25}")
    elif key == "block":
        rates = nodes.get(name, {}).get("assigned-clock-rates", [])
        report(rates[:1] == [dev["clock"]], f"block clock {dev['clock']} Hz ({name} "
               "assigned-clock-rates)", f"assigned-clock-rates = {rates}")
    else:
        print(f"skip - {board['name']}: net clock {dev['clock']} Hz and PHY address "
              f"{dev.get('phy')}: the board's own device tree says them; Debian ships only "
              "the i.MX8MQ EVK's (PHY at 0)")

gic = board["gic"]
name = find(size(gic["dist"]))
r = regs(nodes[name]) if name else []
report(len(r) >= 2 and r[0][0] == size(gic["dist"]) and r[1][0] == size(gic["redist"]),
       f"GICv3 distributor {size(gic['dist']):#x}, redistributors {size(gic['redist']):#x}",
       f"{name}: reg = {r}")
if name:
    compat = nodes[name].get("compatible")
    report(compat == "arm,gic-v3", "GIC is arm,gic-v3", f"compatible = {compat}")

if "--ram" in sys.argv:
    name = find(size(board["ram"]["base"]))
    r = regs(nodes[name]) if name else []
    report(r[:1] == [(size(board["ram"]["base"]), size(board["ram"]["size"]))],
           "RAM base and size", f"{name}: reg = {r}")
sys.exit(1 if failed else 0)
