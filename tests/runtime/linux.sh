# SPDX-License-Identifier: BSD-2-Clause
# shellcheck shell=bash
# Linux under the runtime: the project's default guest (build/guest, made by
# `make guest`) booted by tests/runtime/pds/linux_vmm.c.  The SDF and the
# device tree are written here because they name build outputs and the
# initramfs size.  Sourced by tests/suites/30-runtime.sh.

GUEST_DIR=${GUEST_DIR:-build/guest}

# rt_linux_prepare DIR [NCPUS]: write DIR/linux.dts, linux.dtb and
# linux.system for the default guest with NCPUS vCPUs (default 1); false
# if build/guest has no guest.
rt_linux_prepare() {
  local dir=$1 ncpus=${2:-1} initrd_size cpus='' vcpus='' i
  [ -s "$GUEST_DIR/Image" ] && [ -s "$GUEST_DIR/initrd.cpio.gz" ] || return 1
  rm -rf "$dir" && mkdir -p "$dir"
  initrd_size=$(stat -c %s "$GUEST_DIR/initrd.cpio.gz")
  for ((i = 0; i < ncpus; i++)); do
    cpus+="		cpu@$i { device_type = \"cpu\"; compatible = \"arm,cortex-a53\"; reg = <$i>; enable-method = \"psci\"; };
"
    vcpus+="            <vcpu id=\"$i\" />
"
  done
  cat >"$dir/linux.dts" <<DTS
/dts-v1/;
/ {
	compatible = "linux,dummy-virt";
	#address-cells = <2>;
	#size-cells = <2>;
	interrupt-parent = <&gic>;
	chosen {
		bootargs = "console=ttyAMA0 earlycon=pl011,0x09000000";
		stdout-path = "/pl011@9000000";
		linux,initrd-start = <0x0 0x47000000>;
		linux,initrd-end = <0x0 $(printf '0x%x' $((0x47000000 + initrd_size)))>;
		sysgen,guest = "linux0";
	};
	memory@40000000 {
		device_type = "memory";
		reg = <0x0 0x40000000 0x0 0x10000000>;
	};
	cpus {
		#address-cells = <1>;
		#size-cells = <0>;
$cpus	};
	psci {
		compatible = "arm,psci-0.2";
		method = "hvc";
	};
	gic: interrupt-controller@8000000 {
		compatible = "arm,gic-v3";
		#interrupt-cells = <3>;
		interrupt-controller;
		reg = <0x0 0x08000000 0x0 0x10000>, <0x0 0x080a0000 0x0 $(printf '0x%x' $((0x20000 * ncpus)))>;
	};
	timer {
		compatible = "arm,armv8-timer";
		interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>;
		always-on;
	};
	apb_pclk: clock {
		compatible = "fixed-clock";
		#clock-cells = <0>;
		clock-frequency = <24000000>;
	};
	pl011@9000000 {
		compatible = "arm,pl011", "arm,primecell";
		arm,primecell-periphid = <0x00041011>;
		reg = <0x0 0x09000000 0x0 0x1000>;
		interrupts = <0 1 4>;
		clocks = <&apb_pclk>, <&apb_pclk>;
		clock-names = "uartclk", "apb_pclk";
	};
};
DTS
  dtc -q -I dts -O dtb -o "$dir/linux.dtb" "$dir/linux.dts"
  cat >"$dir/linux.system" <<SDF
<?xml version="1.0" encoding="UTF-8"?>
<system>
    <memory_region name="guest_ram" size="0x10000000" page_size="0x200000">
        <file path="$(realpath "$GUEST_DIR/Image")" offset="0x200000" />
        <file path="$(realpath "$GUEST_DIR/initrd.cpio.gz")" offset="0x7000000" />
        <file path="$(realpath "$dir/linux.dtb")" offset="0x8000000" />
    </memory_region>
    <protection_domain name="vmm" priority="100">
        <program_image path="tests/linux_vmm.elf" />
        <virtual_machine name="linux0">
$vcpus            <map mr="guest_ram" vaddr="0x40000000" perms="rwx" />
        </virtual_machine>
    </protection_domain>
</system>
SDF
}

# The bench (tests/bench/runtime.sh) only wants the function.
[ -n "${RT_LINUX_PREPARE_ONLY:-}" ] && return 0

dir=$RT_OUT/linux
if ! rt_linux_prepare "$dir"; then
  ok "linux: boots under the kernel # SKIP no $GUEST_DIR/Image (run make guest)"
else
  if out=$(rt_sysgen "$dir/linux.system" "$dir" 2>&1); then
    ok "linux: guest kernel, initramfs and DTB preloaded into guest RAM by <file>"
    RT_TIMEOUT=${RT_LINUX_TIMEOUT:-120} rt_boot linux
    rt_expect linux "Linux boots at EL1 under the kernel (GICv3, timer, PSCI, console)" \
      '^\[linux0\] \[ *[0-9.]+\] Booting Linux on physical CPU' \
      '^\[linux0\] \[ *[0-9.]+\] psci: PSCIv0.2 detected in firmware' \
      '^\[linux0\] \[ *[0-9.]+\] GICv3: ' \
      '^\[linux0\] \[ *[0-9.]+\] arch_timer: cp15 timer\(s\) running at'
    rt_expect linux "the guest's init reports ready and its shell starts on the console" \
      '^\[linux0\] sysgen-guest linux0: ready' '^vmm: the guest.s shell is up, ending the run$'
    rt_exit_code linux 0
  else
    not_ok "linux: guest kernel, initramfs and DTB preloaded into guest RAM by <file>"
    printf '%s\n' "$out" | sed 's/^/#   /'
  fi
fi

# The same guest with two vCPUs time-shared on one core: PSCI CPU_ON,
# a second redistributor, and IPIs through ICC_SGI1R_EL1.
if rt_linux_prepare "$RT_OUT/linux-smp" 2; then
  if out=$(rt_sysgen "$RT_OUT/linux-smp/linux.system" "$RT_OUT/linux-smp" 2>&1); then
    RT_TIMEOUT=${RT_LINUX_TIMEOUT:-120} rt_boot linux-smp
    rt_expect linux-smp "an SMP guest brings up its second vCPU (PSCI CPU_ON, IPIs)" \
      '^\[linux0\] \[ *[0-9.]+\] GICv3: CPU1: found redistributor 1 ' \
      '^\[linux0\] \[ *[0-9.]+\] smp: Brought up 1 node, 2 CPUs$'
    rt_expect linux-smp "the SMP guest reaches its shell" '^\[linux0\] sysgen-guest linux0: ready' \
      '^vmm: the guest.s shell is up, ending the run$'
    rt_exit_code linux-smp 0
  else
    not_ok "linux-smp: links"
    printf '%s\n' "$out" | sed 's/^/#   /'
  fi
fi
