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
