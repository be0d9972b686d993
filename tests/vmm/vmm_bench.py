# SPDX-License-Identifier: BSD-2-Clause
"""Figures for the VMM, never pass/fail: seconds from QEMU start to each
guest's `sysgen-guest NAME: ready` line (median of N boots) for
tests/vmm/one_guest.yaml and two_guests.yaml; console throughput
(`seq 1 20000` through virtio-console, the serial virtualisers and the
UART), disk write and read (2 MiB, blk_guest) and vsock throughput (4 MB
guest to guest), each timed by the guest's `time`.

    make all guest && /usr/bin/python3 tests/vmm/vmm_bench.py [-n 3]
"""
import argparse
import os
import re
import statistics
import subprocess
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


def guest_seconds(r, g, cmd, marker, timeout=600):
    """Run `time CMD` in guest g; its wall-clock seconds, or None."""
    r.child.sendline("time %s; echo %s-$((1+1))" % (cmd, marker))
    if not r.wait_for(vmm_test.tagged(g, "%s-2" % marker), timeout):
        return None
    m = re.findall(r"\[%s\] real\s+(\d+)m\s*([0-9.]+)s" % g, r.log)
    return int(m[-1][0]) * 60 + float(m[-1][1]) if m else None


def block_figures(args):
    r = vmm_test.Run(args, "blk_guest")
    try:
        if not r.boot(["linux0", "linux1"]):
            return None, None
        w = guest_seconds(r, "linux0", "dd if=/dev/zero of=/mnt/B.BIN bs=4096 count=512 conv=fsync",
                          "bw")
        r.child.sendline("echo 3 > /proc/sys/vm/drop_caches")
        rd = guest_seconds(r, "linux0", "dd if=/mnt/B.BIN of=/dev/null bs=4096", "br")
        return w, rd
    finally:
        r.finish()


def vsock_figure(args):
    if not os.path.exists(os.path.join(args.out, "..", "vmm-test", "test-initrd.cpio.gz")):
        return None
    out = os.path.join(args.out, "vsock_guest")
    p = subprocess.run([args.sysgen, "--qemu-command", "-o", out, "tests/vmm/vsock_guest.yaml"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    if p.returncode:
        return None
    r = vmm_test.Run(args, "vsock_guest", p.stdout.strip().split("\n")[-1].split())
    try:
        if not r.boot(["linux0", "linux1"]) or not r.switch(1, "linux1"):
            return None
        r.child.sendline("vsock_test listen 1234 &")
        if not r.wait_for("listening on port 1234", 30) or not r.switch(0, "linux0"):
            return None
        return guest_seconds(r, "linux0", "vsock_test send 4 1234 4000000", "vs")
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
        bw, br = block_figures(args)
        vs = vsock_figure(args)
    finally:
        sys.stdout = real
    for name, t in (("one_guest", one), ("two_guests", two)):
        for g, v in t.items():
            fig = "%.1f s" % statistics.median(v) if v else "no figure (boot failed)"
            print("vmm: %s: %s ready %s after QEMU start (median of %d)" % (name, g, fig, len(v)))
    fig = lambda x: "%.1f s" % x if x is not None else "no figure"  # noqa: E731
    print("vmm: one_guest: seq 1 20000 on the console (108 KB): %s" % fig(seq))
    print("vmm: blk_guest: 2 MiB written with fsync: %s; read back, caches dropped: %s"
          % (fig(bw), fig(br)))
    print("vmm: vsock_guest: 4 MB linux0 -> linux1: %s (needs the suite's vsock initramfs)"
          % fig(vs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
