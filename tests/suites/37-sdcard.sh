#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Boot cards: the layout sysgen writes (OUT/sdcard.img), `sysgen --sdcard`
# writing it safely to a file or a block device, and the card booting on
# QEMU the way the board boots it (U-Boot's distro boot from the card).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
BUILD=${BUILD:-build}
W=$BUILD/sdcard-test
rm -rf "$W"; mkdir -p "$W"
FIX="--guest-dir tests/fixtures/guest" # small stand-in guest: fast, same layout
YAML=systems/two_guests.yaml
MiB=1048576

# card NAME ARGS...: sysgen --sdcard $W/NAME.card ARGS... ; output in $W/NAME.log
card() {
  local name=$1; shift
  # shellcheck disable=SC2086
  "$SYSGEN" --sdcard "$W/$name.card" -o "$W/$name.out" $FIX "$@" "$YAML" >"$W/$name.log" 2>&1
}

# range FILE FROM LEN: those bytes, as a digest
range() { dd if="$1" bs=512 skip=$(($2 / 512)) count=$(($3 / 512)) status=none | sha256sum; }

show() { sed 's/^/#   /' "$1"; }

# The partitions of a card from its MBR: "index start size type boot" lines.
mbr() {
  "$PY" - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read(512)
for i in range(4):
    e = d[446 + 16 * i: 462 + 16 * i]
    if e[4]:
        print(i + 1, struct.unpack("<I", e[8:12])[0] * 512, struct.unpack("<I", e[12:16])[0] * 512,
              "%02x" % e[4], "%02x" % e[0])
PY
}

# ---- the layout, written to a card file pre-filled with random bytes ----
head -c $((300 * MiB)) /dev/urandom >"$W/random.card"
cp "$W/random.card" "$W/before.card"
if card random --yes; then
  ok "card: --sdcard FILE --yes builds and writes the card"
else
  not_ok "card: --sdcard FILE --yes builds and writes the card"; show "$W/random.log"
fi
check "card: sysgen says it read the card back and verified it" \
  grep -q "read back and verified" "$W/random.log"
img=$W/random.out/sdcard.img
read -r _ p1 _ _ _ < <(mbr "$img")
if [ "$(range "$W/random.card" 512 $((p1 - 512)))" = "$(range "$W/before.card" 512 $((p1 - 512)))" ]
then ok "card: bytes 512 up to the first partition ($p1) are untouched"
else not_ok "card: bytes 512 up to the first partition ($p1) are untouched"; fi
check "card: sector 0 is the image's MBR" cmp -n 512 "$img" "$W/random.card"
layout=$(mbr "$W/random.card")
want="1 1048576 134217728 0e 80
2 135266304 16777216 0e 00
3 152043520 16777216 0e 00"
if [ "$layout" = "$want" ]; then
  ok "card: MBR: partition 1 the active FAT boot partition, then the YAML's partitions"
else
  not_ok "card: MBR: partition 1 the active FAT boot partition, then the YAML's partitions"
  echo "#   got: $layout"
fi
while read -r idx start size _ _; do
  dd if="$W/random.card" of="$W/part$idx" bs=$MiB skip=$((start / MiB)) count=$((size / MiB)) \
     status=none
  check "card: partition $idx is a clean FAT file system (fsck.fat)" fsck.fat -n "$W/part$idx"
done <<<"$layout"
labels=$(for i in 1 2 3; do mlabel -s -i "$W/part$i" :: | sed 's/.*is //'; done | tr -s ' \n' ' ')
if [ "$labels" = "BOOT GUEST0 DATA1 " ]; then ok "card: labels BOOT, GUEST0, DATA1"
else not_ok "card: labels BOOT, GUEST0, DATA1"; echo "#   got: $labels"; fi
mcopy -n -i "$W/part1" ::/loader.img "$W/loader.from-card" 2>/dev/null
check "card: the boot partition's loader.img is OUT/loader.img" \
  cmp "$W/loader.from-card" "$W/random.out/loader.img"
mdir -b -i "$W/part1" :: >"$W/boot.dir" 2>&1
check "card: the boot partition holds boot.scr and uEnv.txt" \
  grep -qx '::/boot.scr' "$W/boot.dir" && grep -qx '::/uEnv.txt' "$W/boot.dir"
mcopy -n -i "$W/part1" ::/boot.scr "$W/boot.scr" 2>/dev/null
check "card: boot.scr is a U-Boot script (mkimage -l)" \
  sh -c "mkimage -l '$W/boot.scr' | grep -q 'Script'"

# ---- writing again changes nothing ----
cp "$W/random.card" "$W/once.card"
cp "$W/random.card" "$W/again.card"
if card again --yes && cmp -s "$W/again.card" "$W/once.card"; then
  ok "card: writing the same system twice leaves the card byte-identical"
else
  not_ok "card: writing the same system twice leaves the card byte-identical"; show "$W/again.log"
fi

# ---- refusals: nothing written ----
cp "$W/before.card" "$W/noyes.card"
card noyes </dev/null; rc=$?
if [ "$rc" -eq 2 ] && grep -q "without --yes" "$W/noyes.log" && cmp -s "$W/noyes.card" "$W/before.card"
then ok "card: no --yes and no terminal: refused, exit 2, card untouched"
else not_ok "card: no --yes and no terminal: refused, exit 2, card untouched (exit $rc)"; show "$W/noyes.log"; fi

head -c $((100 * MiB)) /dev/urandom >"$W/small.card"
cp "$W/small.card" "$W/small.before"
card small --yes; rc=$?
if [ "$rc" -eq 2 ] && grep -q "the card image needs 256 MiB: nothing written" "$W/small.log" &&
   cmp -s "$W/small.card" "$W/small.before"
then ok "card: a card smaller than the image is refused before anything is written"
else not_ok "card: a card smaller than the image is refused before anything is written (exit $rc)"; show "$W/small.log"; fi

card boot --yes --bootloader /etc/hostname; rc=$?
if [ "$rc" -eq 2 ] && grep -q "does not boot from a card" "$W/boot.log"
then ok "card: --bootloader on a board that does not boot from a card: refused"
else not_ok "card: --bootloader on a board that does not boot from a card: refused (exit $rc)"; show "$W/boot.log"; fi

# ---- --bootloader on a board that boots from its card ----
# A data directory holding a copy of the QEMU board that says it boots from
# its card, with the MaaXBoard's bootloader place (33 KiB .. 4 MiB).
data=$W/data
mkdir -p "$data/boards"
cp -r boards/qemu_virt_aarch64 "$data/boards/qemu_card"
sed -i -e 's/^name: .*/name: qemu_card/' \
  -e 's/^disk: .*/disk: { first_partition: 8 MiB, card: { bootloader_at: 33 KiB, bootloader_end: 4 MiB } }/' \
  "$data/boards/qemu_card/board.yaml"
sed 's/^board: .*/board: qemu_card/' "$YAML" >"$W/card_board.yaml"
head -c 300000 /dev/urandom >"$W/flash.bin"
cp "$W/before.card" "$W/bl.card"
if SYSGEN_DATA_DIR=$data "$SYSGEN" --sdcard "$W/bl.card" --yes --bootloader "$W/flash.bin" \
     --components "$BUILD/runtime" $FIX -o "$W/bl.out" "$W/card_board.yaml" >"$W/bl.log" 2>&1 &&
   cmp -s <(dd if="$W/bl.card" bs=1024 skip=33 count=293 status=none | head -c 300000) "$W/flash.bin" &&
   [ "$(range "$W/bl.card" 512 $((33 * 1024 - 512)))" = "$(range "$W/before.card" 512 $((33 * 1024 - 512)))" ] &&
   cmp -s <(tail -c +$((33 * 1024 + 300000 + 1)) "$W/bl.card" | head -c $((8 * MiB - 33 * 1024 - 300000))) \
          <(tail -c +$((33 * 1024 + 300000 + 1)) "$W/before.card" | head -c $((8 * MiB - 33 * 1024 - 300000)))
then ok "card: --bootloader FILE lands at 33 KiB, and only there below the first partition"
else not_ok "card: --bootloader FILE lands at 33 KiB, and only there below the first partition"; show "$W/bl.log"; fi

# ---- block devices (loop devices, where this machine has them) ----
if loop=$(losetup -f --show "$W/before.card" 2>/dev/null); then
  card_dev() { "$SYSGEN" --sdcard "$loop" -o "$W/dev.out" $FIX "$@" "$YAML" >"$W/dev.log" 2>&1; }
  card_dev --yes; rc=$?
  if [ "$rc" -eq 2 ] && grep -q "is not a removable disk" "$W/dev.log"
  then ok "card: a block device that is not removable is refused without --force"
  else not_ok "card: a block device that is not removable is refused without --force (exit $rc)"; show "$W/dev.log"; fi
  if card_dev --yes --force && cmp -s -n $((256 * MiB)) "$loop" "$W/random.card"; then
    ok "card: with --force the block device is written, verified, and holds what a file would"
  else
    not_ok "card: with --force the block device is written, verified, and holds what a file would"; show "$W/dev.log"
  fi
  losetup -d "$loop"
  mnt=$W/mnt; mkdir -p "$mnt"
  truncate -s $((300 * MiB)) "$W/mounted.img"
  if loop=$(losetup -f --show "$W/mounted.img") && mkfs.ext2 -q "$loop" && mount "$loop" "$mnt"; then
    card_dev --yes --force; rc=$?
    if [ "$rc" -eq 2 ] && grep -q "is mounted on $(realpath "$mnt")" "$W/dev.log"
    then ok "card: a mounted device is refused, even with --force"
    else not_ok "card: a mounted device is refused, even with --force (exit $rc)"; show "$W/dev.log"; fi
    umount "$mnt"
  else
    skip "card: a mounted device is refused: cannot make and mount a loop device here"
  fi
  [ -n "${loop:-}" ] && losetup -d "$loop" 2>/dev/null
else
  skip "card: block devices (not removable, mounted) are refused: no loop devices on this machine"
fi

# ---- the card boots on QEMU the board's way: U-Boot, distro boot ----
make -s BUILD="$BUILD" guest >"$W/guest.log" 2>&1
rm -f "$W/qemu.card"
if "$SYSGEN" --sdcard "$W/qemu.card" --yes -o "$W/qemu.out" "$YAML" >"$W/qemu.log" 2>&1; then
  QEMU_SMP=$(system_cores "$W/qemu.out") \
    timeout 400 "$PY" tests/tools/uboot_card.py "$W/qemu.card" 300 two_guests linux0 linux1
  layout=$(mbr "$W/qemu.card")
  for g in 0 1; do
    read -r _ start _ _ _ < <(sed -n "$((g + 2))p" <<<"$layout")
    got=$(mtype -i "$W/qemu.card@@$start" ::/CARD.TXT 2>&1)
    if [ "$got" = "card-ok-linux$g" ]; then
      ok "card: linux$g's file is on partition $((g + 2)) of the card after the run"
    else
      not_ok "card: linux$g's file is on partition $((g + 2)) of the card after the run"; echo "#   got: $got"
    fi
  done
else
  not_ok "card: sysgen --sdcard builds the default system's card"; show "$W/qemu.log"
fi
