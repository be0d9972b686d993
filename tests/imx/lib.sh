# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
# Running i.MX driver test programs on QEMU's mcimx7d-sabre.  Sourced by
# tests/suites/34-imx.sh after tests/lib.sh.
IMX_OUT=${IMX_OUT:-build/imx-test}
IMX_TIMEOUT=${IMX_TIMEOUT:-60}

# imx_run NAME [QEMU ARGS...]: run $IMX_OUT/NAME.elf (or $IMX_ELF.elf, to
# run one program several ways under several names).  Its TAP lines (on
# semihosting, QEMU's stderr) are passed on; then one line says it ended
# by itself, within the timeout, with as many failures as it reported.
# The UART's output goes to $IMX_OUT/NAME.serial; with IMX_SERIAL_IN set,
# that file is the UART's input.  The whole log is shown on failure.
imx_run() {
  local name=$1 log=$IMX_OUT/$1.log in=${IMX_SERIAL_IN:-/dev/null} elf=${IMX_ELF:-$1}
  shift
  timeout "$IMX_TIMEOUT" qemu-system-arm -M mcimx7d-sabre -display none -monitor none \
    -serial stdio -semihosting-config enable=on,target=native "$@" \
    -kernel "$IMX_OUT/$elf.elf" <"$in" >"$IMX_OUT/$name.serial" 2>"$log"
  local rc=$? failures
  grep -E '^(not )?ok ' "$log"
  failures=$(grep -c '^not ok ' "$log")
  if [ "$rc" -eq "$failures" ] && grep -qE '^(not )?ok ' "$log"; then
    ok "$name: ran to its end on mcimx7d-sabre (exit $rc)"
  else
    not_ok "$name: ran to its end on mcimx7d-sabre (exit $rc, $failures failures reported)"
    [ "$rc" -eq 124 ] && echo "#   timed out after ${IMX_TIMEOUT}s"
    sed 's/^/#   /' "$log"
  fi
}
