#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""A figure, not a test: seconds from QEMU start to each guest's
"sysgen-guest NAME: ready" line, for systems/single_guest.yaml and
systems/two_guests.yaml under our hypervisor and, side by side in the same
run, for the same kernel and initramfs booted directly on bare QEMU, one
guest alone and two QEMUs started together (what the host itself can do).

usage: guest_boot.py [RUNS]   (median of RUNS, default 3)"""
import os
import re
import shlex
import statistics
import subprocess
import sys
import threading
import time

import pexpect

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "guest"))
import qemu_guest  # noqa: E402  (the bare-QEMU command line of the guest tests)

SYSGEN = os.environ.get("SYSGEN", "build/bin/sysgen")
TIMEOUT = 300


def qemu_command(yaml, out):
    """Build the system; return the QEMU argv sysgen derives for it."""
    line = subprocess.run([SYSGEN, "-o", out, "--qemu-command", yaml], check=True, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    return shlex.split(line.strip())


LOADED = "LDR|INFO: "  # the loader's one line, once every chunk is in place


def time_to_ready(argv, names):
    """One boot: seconds until each name's ready line, then until the
    loader's line (None on bare QEMU, which has no loader)."""
    start = time.monotonic()
    child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8", codec_errors="replace",
                          timeout=TIMEOUT)
    seen = {}
    try:
        pats = [re.compile(r"sysgen-guest %s: ready" % re.escape(n)) for n in names]
        pats.append(re.compile(re.escape(LOADED)))
        while not all(n in seen for n in names):
            i = child.expect(pats)
            seen.setdefault(LOADED if i == len(names) else names[i], time.monotonic() - start)
    finally:
        child.terminate(force=True)
    return [seen[n] for n in names] + [seen.get(LOADED)]


def bare_pair_to_ready(names):
    """Two bare QEMUs started together, one guest each: how far the host
    itself is from running two guests in the time of one."""
    out = {}
    threads = [threading.Thread(target=lambda n=n: out.setdefault(n, time_to_ready(
        qemu_guest.bare_argv("build/guest", n), [n])[0])) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [out[n] for n in names] + [None]


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    cases = [
        ("bare QEMU, 1 guest", qemu_guest.bare_argv("build/guest", "bare0"), ["bare0"]),
        ("2 bare QEMUs at once", None, ["bareA", "bareB"]),
        ("single_guest.yaml", qemu_command("systems/single_guest.yaml", "build/bench-boot/single"),
         ["linux0"]),
        ("two_guests.yaml", qemu_command("systems/two_guests.yaml", "build/bench-boot/two"),
         ["linux0", "linux1"]),
    ]
    results = {label: [] for label, _, _ in cases}
    for _ in range(runs):  # interleaved, so load on the machine hits all alike
        for label, argv, names in cases:
            results[label].append(time_to_ready(argv, names) if argv else
                                  bare_pair_to_ready(names))
    bare = statistics.median(r[0] for r in results[cases[0][0]])
    print("| system | guest | s to ready (median of %d) | vs bare QEMU | of which the loader |"
          % runs)
    print("|---|---|---|---|---|")
    for label, _, names in cases:
        loads = [r[-1] for r in results[label] if r[-1] is not None]
        loader = "%.2f s" % statistics.median(loads) if loads else "-"
        for i, name in enumerate(names):
            t = statistics.median(r[i] for r in results[label])
            print("| %s | %s | %.2f | %.2fx | %s |" % (label, name, t, t / bare, loader))
    return 0


if __name__ == "__main__":
    sys.exit(main())
