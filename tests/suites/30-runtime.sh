#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The runtime end to end: hand-written SDFs (tests/runtime/*.system) and test
# PDs (tests/runtime/pds/) linked by `sysgen --sdf` and booted in QEMU.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
. tests/runtime/lib.sh

# -- the linker refuses bad input ---------------------------------------------
. tests/runtime/errors.sh

# -- boot: loader, kernel at EL2, one PD at EL1 --------------------------
if rt_system hello; then
  img=$RT_OUT/hello/loader.img
  magic=$(od -An -tx4 -j56 -N4 "$img" | tr -d ' ')
  text_offset=$(od -An -tu8 -j8 -N8 "$img" | tr -d ' ')
  image_size=$(od -An -tu8 -j16 -N8 "$img" | tr -d ' ')
  if [ "$magic" = 644d5241 ] && [ "$text_offset" = 524288 ] &&
     [ "$image_size" -ge "$(stat -c %s "$img")" ]; then
    ok "hello: loader.img has an arm64 Image header (magic, text_offset 0x80000, image_size)"
  else
    not_ok "hello: loader.img has an arm64 Image header (magic $magic, text_offset $text_offset, image_size $image_size)"
  fi
  rt_expect hello "loader copies the payload and enters the kernel at EL2" \
    '^LDR\|INFO: .* chunks loaded' '^KERN\|INFO: sysgen kernel at EL2: 1 PDs'
  rt_expect hello "kernel takes and reports an exception (vector self-test)" \
    'EL2 vectors live \(self-test breakpoint taken and reported\)'
  rt_expect hello "PD runs at EL1 and prints through hvc with its patched name" '^hello from hello$'
  rt_exit_code hello 0
  if rt_sysgen tests/runtime/hello.system "$RT_OUT/hello-again" >/dev/null 2>&1 &&
     cmp -s "$img" "$RT_OUT/hello-again/loader.img" &&
     cmp -s "$RT_OUT/hello/loader.map" "$RT_OUT/hello-again/loader.map"; then
    ok "hello: linking again gives the same loader.img and loader.map, byte for byte"
  else
    not_ok "hello: linking again gives the same loader.img and loader.map, byte for byte"
  fi
fi

# -- notifications and protected procedure calls ------------------------
if rt_system pingpong; then
  rt_expect pingpong "1000 notification round trips" '^pong: ready' \
    '^ping: 1000 notification round trips done$'
  rt_exit_code pingpong 0
fi

if rt_system ppcall; then
  rt_expect ppcall "ppcall carries four words and a label, reply carries their sum" \
    '^server: call on channel 4, label 7, 4 words$' '^client: ppcall 1 replied sum 46$' \
    '^client: ppcall 3 replied sum 126$'
  rt_expect ppcall "ppcall without pp right or on an unknown id returns an error" \
    '^client: ppcall without pp right -> -3, on unknown id -> -2$'
  rt_exit_code ppcall 0
fi

# -- interrupts and preemption ---------------------------------------------
if rt_system irq; then
  rt_expect irq "timer interrupt delivered as a notification and re-armed by irq_ack" \
    '^ticker: irq 3 tick 1$' '^ticker: 5 interrupts delivered and acked$'
  rt_expect irq "a PD that does not own the timer's interrupt cannot program the timer" \
    '^KERN\|FAULT: pd ptimer_thief: forbidden system register access at address [0-9a-f]+, pc [0-9a-f]+ \(esr 62'
  rt_reject irq "the thief never gets the timer" 'CNTP is mine'
  rt_expect irq "PMU and debug registers read as zero for PDs (no cycle counter)" \
    '^snoop: cycle counter 0 then 0, pmcr 0x0, mdscr 0x0$'
  rt_expect irq "a PD may not write the stage-1 controls all PDs share" \
    '^KERN\|FAULT: pd snoop: forbidden system register access at address 0, pc [0-9a-f]+ \(esr 62'
  rt_reject irq "the write never lands" 'changed TTBR0_EL1'
  rt_exit_code irq 0
fi

if rt_system sched; then
  rt_expect sched "higher-priority PD preempts spinning lower ones" \
    '^spin_a: spinning' '^monitor: preempted the spinners at tick [0-9]+ \(a='
  rt_expect sched "equal-priority spinners share the CPU by timeslice" \
    '^spin_b: spinning' '^monitor: both equal-priority spinners ran$'
  rt_exit_code sched 0
fi

# -- faults are contained ----------------------------------------------------
if rt_system fault; then
  rt_expect fault "write outside the maps stops the PD, reported with name, address and pc" \
    '^KERN\|FAULT: pd crasher: write outside its maps at address dead0000, pc [0-9a-f]+ '
  rt_expect fault "undefined instruction stops the PD, reported with name and pc" \
    '^KERN\|FAULT: pd undef: undefined instruction at address [0-9a-f]+, pc [0-9a-f]+ '
  rt_expect fault "the parent's fault() hears of both children" \
    '^parent: child 1 faulted: kind 1 address 0xdead0000 pc 0x' \
    '^parent: child 2 faulted: kind 2 '
  rt_reject fault "a faulted PD never runs on" 'still alive\?!'
  rt_expect fault "a parent restarts a faulted child, which keeps its memory" \
    '^parent: restarting child 1$' '^crasher: restarted \(run 2\), behaving now$'
  rt_expect fault "other PDs keep running" '^survivor: still running 3$'
  rt_expect fault "a bad channel id gets an error code and the kernel survives" \
    '^survivor: notify on id 99 -> -2, on unused id 5 -> -2$'
  rt_exit_code fault 0
fi

# -- more than one core (-smp): PDs placed by cpu="N" ---------------------------
if RT_SMP=2 rt_system smp_pingpong; then
  rt_expect smp_pingpong "the kernel starts core 1 through PSCI and both run" \
    '^KERN\|INFO: core 0 of 2 running$' '^KERN\|INFO: core 1 of 2 running$'
  rt_expect smp_pingpong "5000 notification round trips between cores 0 and 1, none lost" \
    '^xping: 5000 notification round trips done$'
  rt_exit_code smp_pingpong 0
  # The same image on a machine with one core: said plainly, not a hang.
  mkdir -p "$RT_OUT/smp_one_core" && cp "$RT_OUT/smp_pingpong/loader.img" "$RT_OUT/smp_one_core/"
  RT_SMP=1 rt_boot smp_one_core
  rt_expect smp_one_core "a system needing 2 cores on a 1-core machine stops with the reason" \
    '^KERN\|PANIC: core 1 did not start \(PSCI CPU_ON: -?[0-9]+\); the system needs 2 cores$'
  rt_exit_code smp_one_core 3
fi
if RT_SMP=2 rt_system smp_ppcall; then
  rt_expect smp_ppcall "2000 protected calls to a server on the other core, the first while it is still in init" \
    '^xclient: 2000 protected calls answered$'
  rt_exit_code smp_ppcall 0
fi
if RT_SMP=2 rt_system smp_spin; then
  rt_expect smp_spin "a PD spinning at the top priority on core 0 does not stop core 1" \
    '^spin: spinning' '^xping: 5000 notification round trips done$'
  rt_exit_code smp_spin 0
fi
if RT_SMP=4 rt_system smp_fault; then
  rt_expect smp_fault "faults on cores 1 and 2 are contained and reach the parent on core 0" \
    '^KERN\|FAULT: pd crasher: write outside its maps at address dead0000' \
    '^KERN\|FAULT: pd undef: undefined instruction' '^watcher: child 1 faulted' \
    '^watcher: child 2 faulted' '^crasher: restarted \(run 2\), behaving now$'
  rt_expect smp_fault "a spinner on core 3 goes on counting throughout" \
    '^watcher: both faults contained; the spinner went on from [0-9]+ to [0-9]+$'
  rt_exit_code smp_fault 0
fi

# -- shared memory and setvar --------------------------------------------------
if rt_system shmem; then
  map=$RT_OUT/shmem/loader.map
  if grep -q "^  0x0070000000-0x0070001000 .* memory region 'shared'$" "$map" &&
     grep -q "^  0x0010000000-0x0010001000 -> 0x0070000000 rw-  the map of 'shared'$" "$map" &&
     grep -q "^  0x0030000000-0x0030001000 -> 0x0070000000 r--  the map of 'shared'$" "$map"; then
    ok "shmem: loader.map shows the shared region and both PDs' maps of it"
  else
    not_ok "shmem: loader.map shows the shared region and both PDs' maps of it"
    sed 's/^/#   /' "$map"
  fi
  rt_expect shmem "setvar_vaddr and setvar region_paddr are patched into the ELF" \
    '^writer: shared at vaddr 0x10000000 paddr 0x70000000, private at 0x20000000$'
  rt_expect shmem "a shared region is visible to both PDs" '^reader: shared word is 0x5ca1ab1e$'
  rt_expect shmem "a region mapped into one PD only is invisible to the other" \
    '^KERN\|FAULT: pd reader: read outside its maps at address 20000000' \
    '^writer: child 1 faulted at address 0x20000000$'
  rt_reject shmem "the reader never sees the private word" 'isolation broken'
  rt_exit_code shmem 0
fi
# -- virtual machines --------------------------------------------------------
if rt_system vm; then
  rt_expect vm "a VMM starts a vCPU at EL1 in its own stage-2 space" \
    '^KERN\|INFO: vcpu tiny:0: priority 150, vmm vmm$' '^vmm: guest image [0-9]+ bytes, starting vcpu 0$'
  rt_expect vm "guest MMIO traps to the VMM, which emulates it and resumes the guest" \
    '^vmm: guest says: guest: hello from EL1 inside a VM$'
  rt_expect vm "the guest's FP registers survive a trap through the VMM" \
    '^vmm: guest says: guest: fp registers survive a trap$'
  rt_expect vm "PSCI: version 0.2, SYSTEM_OFF reaches the VMM" \
    '^vmm: guest says: guest: psci version 0.2$' '^vmm: guest powered off \(psci 0x84000008\)$'
  rt_expect vm "the guest programs the virtual GICv3 and takes virtual timer interrupts in WFI" \
    '^vmm: guest says: guest: 3 virtual timer interrupts taken in WFI$'
  rt_expect vm "an SPI injected by the VMM reaches the guest" '^vmm: injecting spi 40 -> 0$' \
    '^vmm: guest says: guest: got the injected spi$'
  rt_reject vm "the guest finds a GICv3 with one redistributor" 'not a GICv3'
  rt_reject vm "a powered-off guest does not run on" 'still running after SYSTEM_OFF'
  rt_exit_code vm 0
fi

# -- Linux as a guest ----------------------------------------------------------
. tests/runtime/linux.sh

# -- serial: PL011 driver, tx and rx virtualisers (drivers/serial) ------------
# tests/runtime/serial_link.c writes the system and links it with configs.
rm -rf "$RT_OUT/serial"
if out=$("${SERIAL_LINK:-build/tests/runtime/serial_link}" "$RT_OUT/serial" "$RT_COMPONENTS" 2>&1); then
  ok "serial: system linked with driver and virtualiser configs"
  # Input: a line for client0, Ctrl-\ 1, a line for client1.
  rt_boot serial 'abc\n\0341xyz\n'
  rt_expect serial "clients' output reaches the UART through tx virtualiser and driver, tagged" \
    '^\[client0\] client0: hello over the serial queue$' \
    '^\[client1\] client1: hello over the serial queue$'
  rt_expect serial "UART input goes to client0 first" '^\[client0\] client0 got: abc$'
  rt_expect serial "Ctrl-\\ 1 switches input to client1" '^serial: input now goes to client1$' \
    '^\[client1\] client1 got: xyz$'
  rt_reject serial "client0 never sees client1's input" 'client0 got: xyz'
  rt_exit_code serial 0
else
  not_ok "serial: system linked with driver and virtualiser configs"
  printf '%s\n' "$out" | sed 's/^/#   /'
fi
exit 0
