#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# sysgen --run-qemu: prints the QEMU command it derived, boots the image
# with the console on the terminal, and hands QEMU's exit status on.
cd "$(dirname "$0")/../.."
. tests/lib.sh
BUILD=${BUILD:-build}
work=$BUILD/run-qemu
rm -rf "$work"; mkdir -p "$work"

# hello: one PD that prints and ends the run with code 0.
timeout 60 "$SYSGEN" --sdf tests/runtime/hello.system -o "$work/hello" --run-qemu \
  </dev/null >"$work/hello.log" 2>&1
rc=$?
first=$(head -n 1 "$work/hello.log")
want="qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a53 -m 2048M -nographic -nic none -semihosting -global virtio-mmio.force-legacy=false -kernel $work/hello/loader.img"
if [ "$first" = "$want" ]; then ok "run-qemu: prints the QEMU command first"; else
  not_ok "run-qemu: prints the QEMU command first"; echo "#   want: $want"; echo "#   got:  $first"; fi
if tr -d '\r' < "$work/hello.log" | grep -qx "hello from hello" && [ "$rc" -eq 0 ]; then
  ok "run-qemu: the PD's output reaches the terminal, exit 0"
else
  not_ok "run-qemu: the PD's output reaches the terminal, exit 0 (exit $rc)"; sed 's/^/#   /' "$work/hello.log"
fi

# exit_code: the run ends with code 7, and so does sysgen.
timeout 60 "$SYSGEN" --sdf tests/runtime/exit_code.system -o "$work/exit" --run-qemu \
  </dev/null >"$work/exit.log" 2>&1
rc=$?
if [ "$rc" -eq 7 ] && tr -d '\r' < "$work/exit.log" | grep -q "quitter: ending the run with code 7"; then
  ok "run-qemu: QEMU's exit status (7) is sysgen's"
else
  not_ok "run-qemu: QEMU's exit status (7) is sysgen's (got $rc)"; sed 's/^/#   /' "$work/exit.log"
fi

# A board QEMU does not model is refused before anything is built.
"$SYSGEN" --guest-dir tests/fixtures/guest -o "$work/maax" --run-qemu systems/maaxboard_two_guests.yaml \
  >"$work/maax.log" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q "board 'maaxboard' has no QEMU model" "$work/maax.log" && [ ! -e "$work/maax/generated" ]; then
  ok "run-qemu: a hardware-only board is refused, nothing written"
else
  not_ok "run-qemu: a hardware-only board is refused, nothing written (exit $rc)"; sed 's/^/#   /' "$work/maax.log"
fi

# A system whose components are not all built yet says so and runs nothing.
"$SYSGEN" --guest-dir tests/fixtures/guest -o "$work/two" --components "$work/none" --run-qemu \
  systems/two_guests.yaml >"$work/two.log" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q "no loader.img: components not built yet: serial_driver_pl011.elf" "$work/two.log" &&
   grep -q "nothing to run" "$work/two.log" && ! grep -q "^qemu-system" "$work/two.log"; then
  ok "run-qemu: missing components are named, nothing runs"
else
  not_ok "run-qemu: missing components are named, nothing runs (exit $rc)"; sed 's/^/#   /' "$work/two.log"
fi

# --qemu-command: the same derivation, printed and not run.
if out=$("$SYSGEN" --sdf tests/runtime/hello.system -o "$work/hello" --qemu-command 2>&1) &&
   [ "$out" = "$want" ]; then
  ok "qemu-command: prints what --run-qemu would run"
else
  not_ok "qemu-command: prints what --run-qemu would run"; echo "#   got: $out"
fi

# Killing sysgen while QEMU runs takes QEMU down too (no orphaned QEMU).
"$SYSGEN" --sdf tests/runtime/idle.system -o "$work/idle" --run-qemu >"$work/idle.log" 2>&1 </dev/null &
pid=$!
for _ in $(seq 100); do grep -q "idler: up, waiting forever" "$work/idle.log" && break; sleep 0.1; done
running=$(pgrep -f -- "-kernel $work/idle/loader.img" | wc -l)
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
for _ in $(seq 50); do pgrep -f -- "-kernel $work/idle/loader.img" >/dev/null || break; sleep 0.1; done
if [ "$running" -ge 1 ] && ! pgrep -f -- "-kernel $work/idle/loader.img" >/dev/null; then
  ok "run-qemu: QEMU dies with sysgen"
else
  not_ok "run-qemu: QEMU dies with sysgen (QEMUs before the kill: $running)"
  sed 's/^/#   /' "$work/idle.log"; pkill -f -- "-kernel $work/idle/loader.img"
fi
