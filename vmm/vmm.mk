# SPDX-License-Identifier: BSD-2-Clause
# The VMM PD (vmm/*.c), cross-built like the serial components with
# runtime/runtime.mk's flags and rules, into $(BUILD)/runtime/vmm.elf: the
# name and place sysgen looks for.  Included by the top-level Makefile.

VMM_SRCS := $(sort $(wildcard vmm/*.c))
VMM_OBJS := $(patsubst %.c,$(RT_OUT)/obj/%.o,$(VMM_SRCS))

.PHONY: vmm
all: vmm
vmm: $(RT_OUT)/vmm.elf

$(RT_OUT)/vmm.elf: $(VMM_OBJS) $(RT_OUT)/libmicrokit.a runtime/libmicrokit/pd.ld
	$(RT_CC) $(RT_LDFLAGS) -T runtime/libmicrokit/pd.ld -o $@ $(VMM_OBJS) $(RT_OUT)/libmicrokit.a -lgcc

.SECONDARY: $(VMM_OBJS)

# Host tests of the transport, virtqueues, console and block device
# (tests/vmm/test_*.c, cmocka) under ASan and UBSan: the same sources,
# compiled for the host.
VMM_HOST_SRCS := vmm/virtq.c vmm/virtio_mmio.c vmm/console.c vmm/blk.c vmm/net.c vmm/vsock.c
VMM_UNIT_BINS := $(BUILD)/tests/vmm/test_virtio $(BUILD)/tests/vmm/test_blk $(BUILD)/tests/vmm/test_net \
                 $(BUILD)/tests/vmm/test_vsock
.PHONY: vmm-unit-tests
vmm-unit-tests: $(VMM_UNIT_BINS)
$(VMM_UNIT_BINS): $(BUILD)/tests/vmm/%: tests/vmm/%.c $(VMM_HOST_SRCS) $(wildcard vmm/*.h)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Wno-missing-prototypes -Ivmm -fsanitize=address,undefined \
	    -fno-sanitize-recover=all -fno-omit-frame-pointer -o $@ $< $(VMM_HOST_SRCS) -lcmocka

# Everything tests/suites/45-vmm.sh runs on the host.
.PHONY: vmm-test-tools
vmm-test-tools: vmm-unit-tests
