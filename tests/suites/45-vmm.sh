#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The VMM (vmm/, docs/vmm.md) end to end: builds vmm.elf and the default
# guest, compiles tests/vmm/*.yaml with sysgen, boots them under QEMU
# (sysgen --run-qemu, each run under `timeout`) and drives the console with
# pexpect (tests/vmm/vmm_test.py): shells on virtio consoles, input
# switching, output tags, poweroff, reset, a guest panic, a guest
# touching unmapped memory and a guest programming its transport with bad
# values, each affecting that guest alone; guests' virtio-blk disks (their
# partitions of the board's disk), written and read back; guests' virtio-net
# NICs on QEMU's user-mode network; vsock between two guests.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
BUILD=${BUILD:-build}
OUT=$BUILD/vmm-test
fail=0

# One run at a time: a second invocation (say, `make test` while this suite
# runs on its own) waits rather than rebuild the images under a running QEMU.
mkdir -p "$OUT"
exec 9>"$OUT/.lock"
if ! flock -w 1800 9; then
  not_ok "vmm: another run of this suite holds $OUT/.lock"; exit 1
fi

if out=$(make --no-print-directory BUILD="$BUILD" sysgen runtime blk net vmm guest 2>&1); then
  ok "vmm: make sysgen runtime blk net vmm guest"
else
  not_ok "vmm: make sysgen runtime blk net vmm guest"; printf '%s\n' "$out" | tail -n 40 | sed 's/^/#   /'
  exit 1
fi
check "vmm: $BUILD/runtime/vmm.elf is an aarch64 ELF" \
  sh -c "file '$BUILD/runtime/vmm.elf' | grep -q 'ELF 64-bit LSB executable, ARM aarch64'"
check "vmm: qemu-system-aarch64 present" command -v qemu-system-aarch64
check "vmm: python3-pexpect present" "$PY" -c 'import pexpect'

# Host tests of the transport, virtqueues and every device against
# a hostile driver (cmocka, ASan, UBSan): one TAP line per test.
if out=$(make --no-print-directory BUILD="$BUILD" vmm-test-tools 2>&1); then
  for t in test_virtio test_blk test_net test_vsock; do
    if out=$("$BUILD/tests/vmm/$t" 2>&1); then rc=0; else rc=$?; fi
    printf '%s\n' "$out" | sed -n "s/^\[ *OK *\] \(.*\)/ok - vmm unit: $t: \1/p; s/^\[ *FAILED *\] \(test_.*\)/not ok - vmm unit: $t: \1/p"
    if [ "$rc" -ne 0 ]; then
      not_ok "vmm unit: $t exits 0 (exit $rc)"; printf '%s\n' "$out" | sed 's/^/#   /'
    fi
  done
else
  not_ok "vmm unit: build the host tests"; printf '%s\n' "$out" | tail -n 40 | sed 's/^/#   /'
fi

check "vmm: the JSON schema accepts tests/vmm/*.yaml" \
  "$PY" tests/tools/check_schema.py validate tests/vmm/*.yaml

for sys in one_guest two_guests hostile_guest blk_guest; do
  rm -rf "${OUT:?}/$sys"
  if out=$("$SYSGEN" -o "$OUT/$sys" "tests/vmm/$sys.yaml" 2>&1) && [ -s "$OUT/$sys/loader.img" ]; then
    ok "vmm: sysgen builds tests/vmm/$sys.yaml into $OUT/$sys/loader.img"
  else
    not_ok "vmm: sysgen builds tests/vmm/$sys.yaml into $OUT/$sys/loader.img"
    printf '%s\n' "$out" | sed 's/^/#   /'
    fail=1
  fi
done
[ "$fail" -eq 0 ] || exit 1

# A VMM without a config (hand-written SDF, nothing patched) starts no guest.
# The system then idles, so the run is stopped once the line is there.
log=$OUT/no_config.log
timeout 60 "$SYSGEN" --sdf tests/vmm/no_config.system -o "$OUT/no_config" --run-qemu \
  </dev/null >"$log" 2>&1 &
pid=$!
for _ in $(seq 60); do
  grep -q "^vmm_bare: bad config" "$log" && break
  sleep 0.5
done
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
if grep -q "^vmm_bare: bad config (magic 0x0 version 0 kind 0 size 0, want kind 10 size 1464)" "$log" &&
   ! grep -q "starting vcpu" "$log"; then
  ok "vmm: without a sysgen config the VMM refuses to start its guest, and says why"
else
  not_ok "vmm: without a sysgen config the VMM refuses to start its guest, and says why"
  sed 's/^/#   /' "$log"
fi

# Every QEMU run is bounded: --limit seconds per run (timeout(1)), --timeout
# per awaited console line.
check "vmm: mtools present (to look into disk.img)" command -v mtype

# The guest test programs (vsock_test, net_test), appended to the default
# initramfs as a second archive (the test YAMLs name the result).
if out=$(BUILD=$BUILD tests/vmm/test-initrd.sh 2>&1); then
  ok "vmm: vsock_test and net_test built and added to a copy of the default initramfs"
else
  not_ok "vmm: vsock_test and net_test built and added to a copy of the default initramfs"
  printf '%s\n' "$out" | sed 's/^/#   /'
fi
timeout 1800 "$PY" tests/vmm/vmm_test.py --sysgen "$SYSGEN" --out "$OUT" --timeout 120 --limit 400 \
  --components "$BUILD/runtime" --guest-dir "$BUILD/guest"
