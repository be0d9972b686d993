#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# A figure, not a test: seconds from starting QEMU to the guest's
# "sysgen-guest bare0: ready" line, for the default guest on bare QEMU (no
# hypervisor).  The hypervisor's guest boot benchmark compares against it.
# Usage: tests/bench/guest-bare.sh [RUNS]   (default 3; prints the median)
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
make --no-print-directory -s BUILD="$BUILD" guest >&2
exec /usr/bin/python3 guest/qemu_guest.py bench --build "$BUILD/guest" --runs "${1:-3}"
