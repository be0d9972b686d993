#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The i.MX drivers' register logic against QEMU's own i.MX UART, uSDHC
# and ENET models (mcimx7d-sabre, 32-bit Arm; ../shared/imx-notes.md).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/imx/lib.sh

make -s imx-tests >/dev/null || { not_ok "i.MX test programs build"; exit 1; }
imx_run selftest
