#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Figures, not a test: TCP between two guests through the switch (see
# net_guests.py).  Usage: tests/bench/net.sh [RUNS]
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
make --no-print-directory -s BUILD="$BUILD" all guest >&2
BUILD=$BUILD tests/vmm/test-initrd.sh
/usr/bin/python3 tests/bench/net_guests.py "${1:-3}" | grep "^net-guests:"
