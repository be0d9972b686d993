#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The test guests' initramfs: the default one with the guest test programs
# (tests/vmm/vsock_test.c, tests/vmm/net_test.c) appended as a second
# archive, at BUILD/vmm-test/test-initrd.cpio.gz (the test YAMLs name it).
# Usage: tests/vmm/test-initrd.sh   (after `make guest`)
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
out=$BUILD/vmm-test
root=$out/test-root
rm -rf "$root" && mkdir -p "$root/bin"
for prog in vsock_test net_test; do
  aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$root/bin/$prog" "tests/vmm/$prog.c"
done
(cd "$root" && find bin | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -n) |
  cat "$BUILD/guest/initrd.cpio.gz" - >"$out/test-initrd.cpio.gz.tmp"
mv "$out/test-initrd.cpio.gz.tmp" "$out/test-initrd.cpio.gz"
