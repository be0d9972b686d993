# SPDX-License-Identifier: BSD-2-Clause
"""Figures, never pass/fail: TCP from one guest to another through the net
virtualisers' switch (tests/vmm/switch_guests.yaml: three guests, no
uplink), 8 MB per transfer, timed by the sender (tests/vmm/net_test.c),
median of N transfers in one boot.

    tests/bench/net.sh [N]
"""
import argparse
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vmm"))
import vmm_test  # noqa: E402

SIZE = 8000000


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("n", nargs="?", type=int, default=3)
    a = p.parse_args()
    args = argparse.Namespace(sysgen="build/bin/sysgen", out="build/bench-net", timeout=300,
                              limit=900, components="build/runtime", guest_dir="build/guest")
    r = vmm_test.Run(args, "switch_guests")
    rates = []
    try:
        if not r.boot(["linux0", "linux1", "linux2"]):
            print("net-guests: the system did not boot", file=sys.stderr)
            return 1
        for i in range(a.n):
            port = 5100 + i
            r.switch(1, "linux1")
            r.child.sendline("net_test listen %d &" % port)
            r.wait_for(r"net_test: listening on port %d" % port, 30)
            r.switch(0, "linux0")
            r.child.sendline("net_test send 10.0.3.2 %d %d" % (port, SIZE))
            pat = r"\[linux0\] net_test: sent %d bytes, checksum [0-9a-f]+, ([0-9.]+) s" % SIZE
            if not r.wait_for(pat, 300):
                break
            secs = float(re.findall(pat, r.log)[-1])
            rates.append(SIZE / secs / 1e6)
    finally:
        r.finish()
    if not rates:
        print("net-guests: no transfer finished", file=sys.stderr)
        return 1
    print("net-guests: TCP guest to guest (8 MB, median of %d): %.2f MB/s" %
          (len(rates), statistics.median(rates)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
