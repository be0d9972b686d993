#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Figures, not a test: wall time and peak memory of one sysgen run for
# systems/two_guests.yaml and for generated systems of 4, 8 and 16 guests
# (16 is near the largest the runtime's 63 threads allow with every
# device: 8 + 3 per guest, counting each guest's VMM, copier and vCPU).  Each guest has console, net and vsock; the
# first four also a disk partition (an MBR has four).  Median of RUNS.
# Usage: tests/bench/sysgen.sh [RUNS]   (default 5)
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
SYSGEN=${SYSGEN:-$BUILD/bin/sysgen}
RUNS=${1:-5}
work=$BUILD/bench-sysgen
rm -rf "$work"; mkdir -p "$work"

gen_system() { # N -> YAML on stdout
  echo "board: qemu_virt_aarch64"
  echo "disk:"
  echo "  size: 128 MiB"
  echo "  partitions:"
  for i in 0 1 2 3; do
    if [ "$i" -lt "$1" ]; then echo "    - { name: d$i, size: 16 MiB }"; fi
  done
  echo "guests:"
  for i in $(seq 0 $(($1 - 1))); do
    echo "  - name: g$i"
    echo "    memory: 32 MiB"
    echo "    console: {}"
    echo "    net: {}"
    echo "    vsock: {}"
    if [ "$i" -lt 4 ]; then echo "    block: { partition: d$i }"; fi
  done
}

measure() { # label yaml
  local times=() mems=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$work/out"
    # wall time in ms (date), peak resident set of sysgen itself in KiB (time %M)
    local t0 t1 m
    t0=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$work/t" "$SYSGEN" --guest-dir tests/fixtures/guest \
      -o "$work/out" "$2" >/dev/null
    t1=$(date +%s%N)
    read -r m < "$work/t"
    times+=("$(( (t1 - t0) / 1000000 ))"); mems+=("$m")
  done
  local t m pds
  t=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  m=$(printf '%s\n' "${mems[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  pds=$(grep -c '<protection_domain' "$work/out/generated/system.sdf")
  printf '| %-12s | %3s | %7s | %9s |\n' "$1" "$pds" "$t" "$m"
}

echo "| system       | PDs | wall ms | peak KiB  |"
echo "|--------------|-----|---------|-----------|"
measure two_guests systems/two_guests.yaml
for n in 4 8 16; do
  gen_system "$n" > "$work/guests_$n.yaml"
  measure "$n guests" "$work/guests_$n.yaml"
done
echo "(median of $RUNS runs; sysgen $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores)"
