#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# `make bench`: every benchmark, figures only (nothing here passes or fails
# on time).  Paste what it prints into README.md's benchmark section.
set -eu
cd "$(dirname "$0")/../.."
echo "## sysgen: wall time and peak memory (tests/bench/sysgen.sh)"
tests/bench/sysgen.sh
echo
echo "## runtime: round trips in instructions under -icount shift=0 (tests/bench/runtime.sh)"
tests/bench/runtime.sh
echo
echo "## default guest on bare QEMU: seconds to the ready line (tests/bench/guest-bare.sh)"
tests/bench/guest-bare.sh 3
echo
echo "## Linux guests under the hypervisor vs bare QEMU (tests/bench/guest-boot.sh)"
tests/bench/guest-boot.sh 3
echo
echo "## TCP between two guests through the switch (tests/bench/net.sh)"
tests/bench/net.sh 3
