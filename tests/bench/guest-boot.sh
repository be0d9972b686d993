#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Figures, not a test: Linux guests under our hypervisor vs the same kernel
# and initramfs on bare QEMU, QEMU start to each ready line (see
# guest_boot.py).  Usage: tests/bench/guest-boot.sh [RUNS]
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
make --no-print-directory -s BUILD="$BUILD" all guest >&2
exec /usr/bin/python3 tests/bench/guest_boot.py "${1:-3}"
