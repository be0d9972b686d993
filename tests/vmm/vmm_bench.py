# SPDX-License-Identifier: BSD-2-Clause
"""Figures for the VMM, never pass/fail: seconds from QEMU start to each
guest's `sysgen-guest NAME: ready` line (median of N boots) for
tests/vmm/one_guest.yaml and two_guests.yaml, and console throughput
(`seq 1 20000` through virtio-console, the serial virtualisers and the
UART, timed by the guest's `time`).

    make all guest && /usr/bin/python3 tests/vmm/vmm_bench.py [-n 3]
"""
import argparse
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vmm_test  # noqa: E402


def boot_times(args, system, guests):
    times = {g: [] for g in guests}
    for _ in range(args.n):
        r = vmm_test.Run(args, system)
        try:
            if r.boot(guests):
                for g in guests:
                    times[g].append(r.times[g])
        finally:
            r.finish()
    return times


def throughput(args):
    r = vmm_test.Run(args, "one_guest")
    try:
        if not r.boot(["linux0"]):
            return None
        r.child.sendline("time seq 1 20000; echo bench-$((1+1))")
        if not r.wait_for(vmm_test.tagged("linux0", "bench-2"), 600):
            return None
        m = re.search(r"\[linux0\] real\s+(\d+)m\s*([0-9.]+)s", r.log)
        return int(m.group(1)) * 60 + float(m.group(2)) if m else None
    finally:
        r.finish()


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("-n", type=int, default=3, help="boots per system")
    p.add_argument("--sysgen", default="build/bin/sysgen")
    p.add_argument("--out", default="build/vmm-bench")
    p.add_argument("--timeout", type=int, default=180)
    p.add_argument("--limit", type=int, default=900)
    args = p.parse_args()
    # Run's TAP lines are noise here: keep only the figures on stdout.
    real = sys.stdout
    sys.stdout = open(os.devnull, "w")
    try:
        one = boot_times(args, "one_guest", ["linux0"])
        two = boot_times(args, "two_guests", ["linux0", "linux1"])
        seq = throughput(args)
    finally:
        sys.stdout = real
    for name, t in (("one_guest", one), ("two_guests", two)):
        for g, v in t.items():
            fig = "%.1f s" % statistics.median(v) if v else "no figure (boot failed)"
            print("vmm: %s: %s ready %s after QEMU start (median of %d)" % (name, g, fig, len(v)))
    print("vmm: one_guest: seq 1 20000 on the console (108 KB): %s"
          % ("%.1f s" % seq if seq is not None else "no figure"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
