#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The default Linux guest (docs/guest.md) on bare QEMU, no hypervisor:
# builds it if needed (make guest), boots it twice (serial console only;
# then virtio console, FAT disk and net) and talks to its shell.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
BUILD=${BUILD:-build}

if out=$(make --no-print-directory BUILD="$BUILD" guest 2>&1); then
  ok "guest: make guest"
else
  not_ok "guest: make guest"; printf '%s\n' "$out" | tail -n 40 | sed 's/^/#   /'
  exit 1
fi
for f in Image initrd.cpio.gz; do
  check "guest: $BUILD/guest/$f exists" test -s "$BUILD/guest/$f"
done
check "guest: Image has the arm64 magic at 0x38" \
  sh -c "[ \"\$(dd if='$BUILD/guest/Image' bs=1 skip=56 count=4 status=none)\" = ARMd ]"
check "guest: qemu-system-aarch64 present" command -v qemu-system-aarch64
check "guest: python3-pexpect present" "$PY" -c 'import pexpect'
"$PY" guest/qemu_guest.py test --build "$BUILD/guest" --timeout 120
