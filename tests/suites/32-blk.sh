#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The block class end to end (drivers/blk/): the virtio-blk driver and the
# block virtualiser serving three test clients (tests/blk/blk_client.c) from
# a disk sysgen made (tests/blk/disk.yaml), booted in QEMU.  The system is
# written and linked by tests/blk/blk_link.c; see tests/blk/blk_test.h for
# what the pieces agree on.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
RT_OUT=build/blk-test
. tests/runtime/lib.sh

BLK_LINK=${BLK_LINK:-build/tests/blk/blk_link}
DISK_DIR=$RT_OUT/disk
PART_START=(1048576 3145728) # bytes: partitions 1 and 2 of disk.yaml
WR_SECTOR=4088               # the partitions' last 8 sectors (blk_client.c)

# blk_boot NAME DISK [QEMU ARGS...]: boot $RT_OUT/sys/loader.img with DISK
# as QEMU's virtio-blk disk; console and exit code as rt_boot leaves them.
blk_boot() {
  local name=$1 disk=$2 dir="$RT_OUT/$1"
  shift 2
  mkdir -p "$dir"
  local drive=()
  [ -n "$disk" ] && drive=(-drive "if=none,id=disk,format=raw,file=$disk"
                           -device virtio-blk-device,drive=disk)
  timeout "$RT_TIMEOUT" qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 \
    -cpu cortex-a53 -m 2G -nographic -semihosting -nic none -monitor none "$@" \
    "${drive[@]}" -kernel "$RT_OUT/sys/loader.img" </dev/null >"$dir/console.log" 2>&1
  echo $? >"$dir/rc"
}

# The bytes client N writes (blk_client.c's pattern): 64-byte lines, 4 KiB.
pattern() {
  yes "blk test line from client$1, written through blk_virt and virtio" | head -n 64
}

# -- the queue format on the host (cmocka, ASan, UBSan) ------------------------
check "blk: queue format: range checks at their edges, round trip, hostile indices (host test)" \
  "${BLK_QUEUE_TEST:-build/tests/blk/test_blk_queue}"

# -- the disk, made by sysgen ---------------------------------------------------
rm -rf "$DISK_DIR" "$RT_OUT/sys"
if out=$("$SYSGEN" --no-image -o "$DISK_DIR" tests/blk/disk.yaml 2>&1) && [ -s "$DISK_DIR/disk.img" ]; then
  ok "blk: sysgen writes the test disk (MBR, two FAT partitions)"
else
  not_ok "blk: sysgen writes the test disk (MBR, two FAT partitions)"
  printf '%s\n' "$out" | sed 's/^/#   /'
  exit 1
fi

# -- the system: driver, virtualiser, three clients, linked with configs -------
if out=$("$BLK_LINK" "$RT_OUT/sys" "$RT_COMPONENTS" 2>&1) && [ -s "$RT_OUT/sys/loader.img" ]; then
  ok "blk: system linked with driver and virtualiser configs"
else
  not_ok "blk: system linked with driver and virtualiser configs"
  printf '%s\n' "$out" | sed 's/^/#   /'
  exit 1
fi

# -- a run on a copy of the disk --------------------------------------------
cp "$DISK_DIR/disk.img" "$RT_OUT/run.img"
blk_boot blk "$RT_OUT/run.img" -global virtio-mmio.force-legacy=false
rt_expect blk "the driver finds QEMU's virtio-blk-mmio disk (8 MiB)" \
  '^blk_driver: virtio-blk at 0xa003e00: 16384 sectors, queue [0-9]+'
rt_expect blk "blk_virt reads the MBR and accepts the clients whose partition matches it" \
  '^blk_virt: client 0: partition 1, sectors 2048\.\.6143$' \
  '^blk_virt: client 1: partition 2, sectors 6144\.\.10239$'
rt_expect blk "a client whose configured partition disagrees with the MBR is refused, logged" \
  '^blk_virt: client 2 refused: config says partition 1 at 1052672 \(\+2097152 bytes\), the MBR says 1048576 \(\+2097152 bytes\)$'
rt_expect blk "the refused client's requests fail with 'no device'" '^client2: read sector 0 -> no device$'
rt_expect blk "each client reads its own partition's FAT boot sector" \
  '^client0: sector 0 is a FAT boot sector, label GUEST0$' \
  '^client1: sector 0 is a FAT boot sector, label GUEST1$'
rt_expect blk "each client writes 8 sectors and reads them back identical" \
  '^client0: wrote 8 sectors at 4088 and read them back identical$' \
  '^client1: wrote 8 sectors at 4088 and read them back identical$'
rt_expect blk "requests beyond the partition get 'out of range'" \
  '^client0: read one sector past the end -> out of range$' \
  '^client0: write across the end -> out of range$' \
  '^client0: read sector 2\^64-1 -> out of range$' \
  '^client1: read one sector past the end -> out of range$'
rt_expect blk "garbage descriptors (offset, length, op) get 'invalid'" \
  "^client0: offset at the data region's end -> invalid$" \
  '^client0: offset that wraps around -> invalid$' \
  '^client0: count 2\^32-1 -> invalid$' '^client0: count 0 -> invalid$' \
  '^client0: unknown op 77 -> invalid$' '^client1: unknown op 77 -> invalid$'
rt_expect blk "flush works, and clients are still served after their bad requests" \
  '^client0: flush -> ok$' '^client0: read sector 0 again -> ok$' \
  '^client1: read sector 0 again -> ok$'
rt_expect blk "a client that breaks its ring indices is dropped, logged" \
  '^blk_virt: client 2 broke its request ring; dropping it$'
rt_expect blk "a full ring of 32 KiB writes, then of reads, from both clients at once: data identical" \
  '^client0: burst of 32 writes then 32 reads of 32 KiB at once: data identical$' \
  '^client1: burst of 32 writes then 32 reads of 32 KiB at once: data identical$'
rt_expect blk "all three clients finish without a failure" '^client0: done, 0 failures$' \
  '^client1: done, 0 failures$' '^client2: done, 0 failures$'
rt_reject blk "no client check failed" 'FAIL'
rt_reject blk "no PD faulted" '^KERN\|FAULT'
rt_exit_code blk 0

# The host's view: exactly the clients' sectors changed, at the disk
# offsets of their partitions; every other byte is as sysgen wrote it.
for i in 0 1; do
  if dd if="$RT_OUT/run.img" bs=512 skip=$((PART_START[i] / 512 + WR_SECTOR)) count=8 status=none |
     cmp -s - <(pattern "$i"); then
    ok "blk: the host finds client$i's write at disk offset $((PART_START[i] + WR_SECTOR * 512))"
  else
    not_ok "blk: the host finds client$i's write at disk offset $((PART_START[i] + WR_SECTOR * 512))"
  fi
done
# The expected disk: sysgen's, plus each client's 8 sectors and its burst
# (bytes as tests/blk/blk_test.h defines them).
for i in 0 1; do pattern "$i" >"$RT_OUT/pattern$i"; done
"$PY" - "$DISK_DIR/disk.img" "$RT_OUT/expect.img" "$RT_OUT/pattern0" "$RT_OUT/pattern1" \
    "${PART_START[@]}" "$WR_SECTOR" <<'EOF_PY'
import sys
src, dst, p0, p1, s0, s1, wr = sys.argv[1:]
img = bytearray(open(src, 'rb').read())
for c, (pat, start) in enumerate(((p0, int(s0)), (p1, int(s1)))):
    data = open(pat, 'rb').read()
    at = start + int(wr) * 512
    img[at:at + len(data)] = data
    for s in range(1024, 1024 + 32 * 64):  # BLK_TEST_BURST_*
        at = start + s * 512
        img[at:at + 512] = bytes((s * 31 + i * 7 + (i >> 8) + c * 101) & 0xff for i in range(512))
open(dst, 'wb').write(img)
EOF_PY
if cmp "$RT_OUT/expect.img" "$RT_OUT/run.img" >"$RT_OUT/cmp.log" 2>&1; then
  ok "blk: the bursts landed at the right disk offsets, and nothing else on the disk changed"
else
  not_ok "blk: the bursts landed at the right disk offsets, and nothing else on the disk changed"
  sed 's/^/#   /' "$RT_OUT/cmp.log"
fi
for i in 0 1; do
  if command -v fsck.fat >/dev/null; then
    dd if="$RT_OUT/run.img" of="$RT_OUT/part$i.img" bs=1M skip=$((PART_START[i] / 1048576)) \
      count=2 status=none
    check "blk: partition $((i + 1)) is still a clean FAT file system after the run" \
      fsck.fat -n "$RT_OUT/part$i.img"
  fi
done

# -- device trouble becomes a status, never a crash --------------------------
# No disk: the last virtio-mmio slot is empty.  Every request fails with
# "no device", client0 counts its failures, the run still ends cleanly.
blk_boot blk-nodisk "" -global virtio-mmio.force-legacy=false
rt_expect blk-nodisk "without a disk the driver says so and answers every request 'no device'" \
  '^blk_driver: virtio-blk at 0xa003e00: no block device in this slot; every request will fail$' \
  '^blk_virt: cannot read the MBR \(status 4\): refusing every client$' \
  '^client0: FAIL: read sector 0 -> no device, want ok$' '^client2: read sector 0 -> no device$'
rt_reject blk-nodisk "no PD faulted" '^KERN\|FAULT'
rt_exit_code blk-nodisk 1

# A legacy (version 1) transport: refused with a hint, the same way.
cp "$DISK_DIR/disk.img" "$RT_OUT/legacy.img"
blk_boot blk-legacy "$RT_OUT/legacy.img" -global virtio-mmio.force-legacy=true
rt_expect blk-legacy "a legacy virtio-mmio transport is refused with a hint, requests fail" \
  '^blk_driver: virtio-blk at 0xa003e00: not a version-2 transport \(QEMU needs -global virtio-mmio.force-legacy=false\)' \
  '^client1: FAIL: read sector 0 -> no device, want ok$'
rt_reject blk-legacy "no PD faulted" '^KERN\|FAULT'
rt_exit_code blk-legacy 1
if cmp -s "$DISK_DIR/disk.img" "$RT_OUT/legacy.img"; then
  ok "blk: the disk is untouched when the device is refused"
else
  not_ok "blk: the disk is untouched when the device is refused"
fi
exit 0
