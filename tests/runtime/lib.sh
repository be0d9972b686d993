# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
# Helpers for the runtime suites: link a hand-written SDF with
# `sysgen --sdf`, boot the image in QEMU under a timeout, and assert on the
# console what a person would look for.  Every failure prints the console.
# Needs tests/lib.sh sourced first.

RT_OUT=${RT_OUT:-build/rt-test}
RT_COMPONENTS=${RT_COMPONENTS:-build/runtime}
RT_TIMEOUT=${RT_TIMEOUT:-30}
# shellcheck disable=SC2054 # the commas belong to QEMU options
RT_QEMU=(qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a53 -m 2G
         -nographic -semihosting -net none -monitor none)

# rt_sysgen SDF OUTDIR: the linker under test (SG_LINK overrides, for
# trying the runtime before sysgen's command line knows --sdf).
rt_sysgen() {
  if [ -n "${SG_LINK:-}" ]; then
    $SG_LINK "$1" "$2" "$RT_COMPONENTS"
  else
    "$SYSGEN" --sdf "$1" -o "$2" --components "$RT_COMPONENTS"
  fi
}

# rt_link NAME: tests/runtime/NAME.system -> $RT_OUT/NAME/loader.img
rt_link() {
  local name=$1 out
  rm -rf "${RT_OUT:?}/$name"
  if out=$(rt_sysgen "tests/runtime/$name.system" "$RT_OUT/$name" 2>&1) &&
     [ -s "$RT_OUT/$name/loader.img" ]; then
    ok "$name: sysgen --sdf links loader.img"
    return 0
  fi
  not_ok "$name: sysgen --sdf links loader.img"
  printf '%s\n' "$out" | sed 's/^/#   /'
  return 1
}

# rt_boot NAME [INPUT]: run the image with INPUT (a printf format) on the
# UART, on RT_SMP cores (1 unless set); the console goes to
# $RT_OUT/NAME/console.log and QEMU's exit code (semihosting SYS_EXIT, 124
# on timeout) to $RT_OUT/NAME/rc.
rt_boot() {
  local name=$1 dir="$RT_OUT/$1"
  # shellcheck disable=SC2059
  printf "${2:-}" | timeout "$RT_TIMEOUT" "${RT_QEMU[@]}" -smp "${RT_SMP:-1}" -kernel "$dir/loader.img" \
    >"$dir/console.log" 2>&1
  echo "${PIPESTATUS[1]}" >"$dir/rc"
}

rt_show_console() {
  echo "#   --- console of $1 (exit code $(cat "$RT_OUT/$1/rc" 2>/dev/null)) ---"
  sed 's/\r$//; s/^/#   /' "$RT_OUT/$1/console.log" 2>/dev/null
}

# rt_expect NAME DESCRIPTION REGEX...: every extended regex matches a
# console line.
rt_expect() {
  local name=$1 desc=$2 re missing=
  shift 2
  for re in "$@"; do
    tr -d '\r' <"$RT_OUT/$name/console.log" | grep -Eq -- "$re" || missing+="$re; "
  done
  if [ -z "$missing" ]; then
    ok "$name: $desc"
  else
    not_ok "$name: $desc"
    echo "#   not found: $missing"
    rt_show_console "$name"
  fi
}

# rt_reject NAME DESCRIPTION REGEX: no console line matches.
rt_reject() {
  local name=$1 desc=$2 re=$3
  if tr -d '\r' <"$RT_OUT/$name/console.log" | grep -Eq -- "$re"; then
    not_ok "$name: $desc"
    rt_show_console "$name"
  else
    ok "$name: $desc"
  fi
}

# rt_exit_code NAME WANT: the run ended through semihosting with WANT.
rt_exit_code() {
  local name=$1 want=$2 got
  got=$(cat "$RT_OUT/$name/rc")
  if [ "$got" = "$want" ]; then
    ok "$name: run ends with exit code $want"
  else
    not_ok "$name: run ends with exit code $want (got $got; 124 is the timeout)"
    rt_show_console "$name"
  fi
}

# rt_system NAME: link and boot; false (after a not ok) if linking failed.
rt_system() {
  rt_link "$1" || return 1
  rt_boot "$1"
}
