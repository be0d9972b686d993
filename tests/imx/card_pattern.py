#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""card_pattern.py fill|check IMAGE SECTORS: test glue for tests/imx/usdhc.c.
fill: pattern A into sectors 0..255 and the last 64 of IMAGE (SECTORS
long; the rest stays a hole).  check: the sectors usdhc.c writes hold
pattern B.  The two patterns are card_word and written_word there."""
import struct
import sys

M = 0xFFFFFFFF


def card_word(s, j):
    return (s * 1000003 + j) & M


def written_word(s, j):
    return (~(s * 7919) ^ (j << 16)) & M


def sector(word, s):
    return struct.pack("<128I", *[word(s, j) for j in range(128)])


def main():
    op, image, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(image, "r+b") as f:
        if op == "fill":
            for s in list(range(256)) + list(range(n - 64, n)):
                f.seek(s * 512)
                f.write(sector(card_word, s))
            return 0
        bad = []
        for first, count in ((1000, 64), (2000, 70), (300000 % n, 8)):
            for s in range(first, first + count):
                f.seek(s * 512)
                if f.read(512) != sector(written_word, s):
                    bad.append(s)
        if bad:
            print("# sectors without pattern B: %s" % bad[:10])
        return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
