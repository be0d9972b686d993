#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Figures, not a test: the kernel's notify and ppcall round-trip cost,
# measured by a PD with the generic counter under QEMU -icount shift=0
# (one emulated instruction per ns, so the numbers are reproducible and
# count instructions, not host speed).  Usage: tests/bench/runtime.sh
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
SYSGEN=${SYSGEN:-$BUILD/bin/sysgen}
make --no-print-directory -s BUILD="$BUILD" sysgen runtime >&2
out=$BUILD/rt-bench
"$SYSGEN" --sdf tests/runtime/bench.system -o "$out" --components "$BUILD/runtime"
timeout 120 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a53 -m 2G \
  -nographic -semihosting -net none -monitor none -icount shift=0 \
  -kernel "$out/loader.img" </dev/null | tr -d '\r' | grep '^bench:'
