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

# bench_run NAME LABEL QEMU-ARGS...: link tests/runtime/NAME.system, boot it
# with the extra QEMU arguments, print its `bench:` lines tagged LABEL.
bench_run() {
  local name=$1 label=$2
  shift 2
  "$SYSGEN" --sdf "tests/runtime/$name.system" -o "$out/$name" --components "$BUILD/runtime" >/dev/null
  timeout 120 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a53 -m 2G \
    -nographic -semihosting -net none -monitor none "$@" -kernel "$out/$name/loader.img" </dev/null |
    tr -d '\r' | grep '^bench:' | sed "s/^bench: /bench: $label/"
}
bench_run bench "" -icount shift=0

# Wall-clock nanoseconds (no -icount: it runs the cores one after another):
# the same round trips with both PDs on one core, then with them on two
# (tests/runtime/smp_*.system, QEMU -smp 2: one host thread per core).
bench_run bench "wall-clock: "
bench_run smp_pingpong "wall-clock: " -smp 2
bench_run smp_ppcall "wall-clock: " -smp 2

# Linux (the default guest) from QEMU start to its shell, under the kernel
# with the test VMM (wall-clock seconds, median of 3; no -icount).
if [ -s "$BUILD/guest/Image" ]; then
  # shellcheck source=/dev/null
  . tests/lib.sh
  # shellcheck source=/dev/null
  . tests/runtime/lib.sh
  # shellcheck disable=SC2034 # read by tests/runtime/linux.sh
  RT_LINUX_PREPARE_ONLY=1 GUEST_DIR=$BUILD/guest
  # shellcheck source=/dev/null
  . tests/runtime/linux.sh
  ldir=$BUILD/rt-bench/linux
  rt_linux_prepare "$ldir"
  "$SYSGEN" --sdf "$ldir/linux.system" -o "$ldir" --components "$BUILD/runtime"
  times=()
  for _ in 1 2 3; do
    start=$(date +%s.%N)
    timeout 120 "${RT_QEMU[@]}" -kernel "$ldir/loader.img" </dev/null >"$ldir/console.log" 2>&1
    end=$(date +%s.%N)
    grep -q "shell is up" "$ldir/console.log" && times+=("$(echo "$end - $start" | bc)")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
  echo "bench: linux guest to shell under the kernel ${median:-?} s (median of ${#times[@]})"
fi
