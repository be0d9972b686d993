#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Board data against the boards' own device trees: QEMU's (dumped by QEMU
# itself, with the disk and NIC attached the way --run-qemu attaches them)
# and the i.MX8MQ's (the imx8mq-evk.dtb Debian's arm64 kernel ships: same
# SoC as the MaaXBoard, so the same UART, uSDHC, FEC and GIC).
cd "$(dirname "$0")/../.."
. tests/lib.sh
BUILD=${BUILD:-build}
work=$BUILD/boards-check
rm -rf "$work"; mkdir -p "$work"

truncate -s 1M "$work/disk.img"
if qemu-system-aarch64 -M "virt,virtualization=on,gic-version=3,dumpdtb=$work/qemu.dtb" \
     -cpu cortex-a53 -m 2G -nographic -nic none \
     -drive if=none,id=disk,file="$work/disk.img",format=raw -device virtio-blk-device,drive=disk \
     -netdev user,id=net -device virtio-net-device,netdev=net > "$work/qemu.log" 2>&1; then
  $PY tests/tools/check_board.py boards/qemu_virt_aarch64/board.yaml "$work/qemu.dtb" --ram
else
  not_ok "QEMU dumps its device tree"; sed 's/^/#   /' "$work/qemu.log"
fi

# The Debian kernel package the default guest is built from carries the DTBs.
deb=$(ls "$BUILD"/guest/cache/linux-image-*-arm64_*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
  make -s BUILD="$BUILD" guest > "$work/guest.log" 2>&1
  deb=$(ls "$BUILD"/guest/cache/linux-image-*-arm64_*.deb 2>/dev/null | head -n 1)
fi
if [ -n "$deb" ] && dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards '*/freescale/imx8mq-evk.dtb'; then
  $PY tests/tools/check_board.py boards/maaxboard/board.yaml "$(find "$work" -name imx8mq-evk.dtb)"
else
  not_ok "imx8mq-evk.dtb from the Debian arm64 kernel package"
  sed 's/^/#   /' "$work/guest.log" 2>/dev/null
fi

# A board file's own mistakes are errors at their line, as a system file's
# are: each case is the QEMU board with one line changed.
data=$work/data
bad_board() { # NAME SED-EXPRESSION EXPECTED-MESSAGE
  mkdir -p "$data/boards/$1"
  cp boards/qemu_virt_aarch64/* "$data/boards/$1/"
  sed -i -e "s/^name: .*/name: $1/" -e "$2" "$data/boards/$1/board.yaml"
  sed "s/^board: .*/board: $1/" systems/two_guests.yaml >"$work/$1.yaml"
  out=$(SYSGEN_DATA_DIR=$data "$SYSGEN" --check "$work/$1.yaml" 2>&1)
  if [ $? -eq 1 ] && grep -q "boards/$1/board.yaml:[0-9]*:[0-9]*: error: $3" <<<"$out"; then
    ok "board file: $1 is an error naming the board file"
  else
    not_ok "board file: $1 is an error naming the board file"; sed 's/^/#   /' <<<"$out"
  fi
}
bad_board ram_half_gib 's/^ram: .*/ram: { base: 0x40000000, size: 1536 MiB }/' \
  "ram must start and end on a 1 GiB boundary"
bad_board phy_40 's/^net: {\(.*\) }/net: {\1, phy: 40 }/' "net phy 40: MDIO addresses are 0 to 31"
bad_board rings_odd 's/^net: {\(.*\) }/net: {\1, rings: 5000 }/' \
  "net rings: whole 4 KiB pages, at most 1 MiB"
