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
