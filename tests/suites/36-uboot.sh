#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# loader.img boots unchanged with U-Boot's booti (the MaaXBoard path), not
# only with QEMU -kernel: Debian's U-Boot for QEMU runs at EL2 as the
# board's does, and booti relocates the image by its arm64 header.
cd "$(dirname "$0")/../.."
. tests/lib.sh
BUILD=${BUILD:-build}
work=$BUILD/uboot-test
rm -rf "$work"; mkdir -p "$work"
if [ ! -r /usr/lib/u-boot/qemu_arm64/u-boot.bin ]; then
  not_ok "u-boot: Debian's u-boot-qemu is installed (scripts/install-deps.sh)"; exit 1
fi

# A native system: one PD prints its name and ends the run.
if "$SYSGEN" --sdf tests/runtime/hello.system -o "$work/hello" >"$work/hello.log" 2>&1; then
  timeout 120 "$PY" tests/tools/uboot_booti.py "$work/hello/loader.img" 60 \
    "KERN\|INFO: sysgen kernel at EL2" "hello from hello"
else
  not_ok "u-boot: sysgen links tests/runtime/hello.system"; sed 's/^/#   /' "$work/hello.log"
fi

# The default system with both Linux guests.
make -s BUILD="$BUILD" guest >"$work/guest.log" 2>&1
if "$SYSGEN" -o "$work/two_guests" systems/two_guests.yaml >"$work/two.log" 2>&1; then
  QEMU_SMP=$(system_cores "$work/two_guests") \
    timeout 300 "$PY" tests/tools/uboot_booti.py "$work/two_guests/loader.img" 240 \
    "sysgen-guest linux[01]: ready" "sysgen-guest linux[01]: ready" \
    "+sysgen-guest linux0: ready" "+sysgen-guest linux1: ready"
else
  not_ok "u-boot: sysgen builds systems/two_guests.yaml"; sed 's/^/#   /' "$work/two.log"
fi
