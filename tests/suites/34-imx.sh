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
