#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The i.MX drivers' register logic against QEMU's own i.MX UART, uSDHC
# and ENET models (mcimx7d-sabre, 32-bit Arm; ../shared/imx-notes.md).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/imx/lib.sh

make -s imx-tests >/dev/null || { not_ok "i.MX test programs build"; exit 1; }
for t in build/tests/imx/test_*; do
  CMOCKA_MESSAGE_OUTPUT=TAP "$t" || not_ok "$(basename "$t"): host test exits 0"
done
imx_run selftest

# The UART: what it sends appears on QEMU's serial port; what the suite
# sends to that port arrives (tests/imx/uart.c).
printf 'sysgen-uart-input\n' >"$IMX_OUT/uart.in"
IMX_SERIAL_IN=$IMX_OUT/uart.in imx_run uart
check "uart: the driver's message came out of QEMU's UART1" \
  grep -qx 'i.MX UART driver: hello from the register logic' "$IMX_OUT/uart.serial"

# The uSDHC: a standard-capacity card (64 MiB: byte addresses), a high
# capacity one (4 GiB, sparse: sector addresses), and an empty slot.  The
# images hold pattern A where usdhc.c reads and get pattern B where it
# writes (tests/imx/card_pattern.py).
for kind in sdsc:67108864 sdhc:4294967296; do
  name=${kind%%:*} size=${kind#*:} img=$IMX_OUT/${kind%%:*}.img
  rm -f "$img" && truncate -s "$size" "$img"
  "$PY" tests/imx/card_pattern.py fill "$img" $((size / 512))
  IMX_ELF=usdhc imx_run "usdhc-$name" -append "$name" -drive "if=sd,index=0,file=$img,format=raw"
  check "usdhc-$name: the image holds what the driver wrote, where it wrote it" \
    "$PY" tests/imx/card_pattern.py check "$img" $((size / 512))
done
IMX_ELF=usdhc imx_run usdhc-nocard -append nocard

# The ENET (FEC): QEMU's user network answers ARP; its frames are recorded
# (filter-dump), and every request the driver says it sent must be there.
rm -f "$IMX_OUT/fec.pcap"
imx_run fec -nic user,model=imx.enet,id=n0,restrict=on \
  -object "filter-dump,id=f0,netdev=n0,file=$IMX_OUT/fec.pcap"
said=$(sed -n 's/^# arp requests sent: \([0-9]*\)$/\1/p' "$IMX_OUT/fec.log")
seen=$("$PY" tests/imx/pcap_arp.py "$IMX_OUT/fec.pcap" 02:00:5e:10:00:01 2>&1)
check "fec: the wire saw every ARP request the driver sent ($seen of ${said:-?})" \
  test -n "$said" -a "$said" -gt 0 -a "$seen" = "$said"
