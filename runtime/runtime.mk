# SPDX-License-Identifier: BSD-2-Clause
# The runtime: kernel, loader, libmicrokit and the runtime test PDs, all
# cross-built for aarch64 into $(BUILD)/runtime/.  Included by the top-level
# Makefile.

RT_CC      ?= aarch64-linux-gnu-gcc
RT_AR      ?= aarch64-linux-gnu-ar
RT_OUT     := $(BUILD)/runtime
RT_CFLAGS  := -std=c11 -O2 -g -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
              -Wshadow -Wvla -ffreestanding -fno-builtin -fno-stack-protector -fno-pic -fno-pie \
              -mgeneral-regs-only -mstrict-align -mno-outline-atomics -fno-asynchronous-unwind-tables \
              -fno-unwind-tables -Iruntime -Iruntime/include -Iinclude -Idrivers -MMD -MP
RT_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
              -Wl,--no-warn-rwx-segments

RT_KERNEL_SRCS := $(sort $(wildcard runtime/kernel/*.c runtime/kernel/*.S)) runtime/lib/string.c \
                  runtime/lib/format.c
RT_LOADER_SRCS := $(sort $(wildcard runtime/loader/*.c runtime/loader/*.S)) runtime/lib/string.c
RT_LIBMK_SRCS  := $(sort $(wildcard runtime/libmicrokit/*.c runtime/libmicrokit/*.S)) runtime/lib/string.c \
                  runtime/lib/format.c
RT_TEST_SRCS   := $(sort $(wildcard tests/runtime/pds/*.c))

rt_objs = $(patsubst %,$(RT_OUT)/obj/%.o,$(basename $(1)))
RT_KERNEL_OBJS := $(call rt_objs,$(RT_KERNEL_SRCS))
RT_LOADER_OBJS := $(call rt_objs,$(RT_LOADER_SRCS))
RT_LIBMK_OBJS  := $(call rt_objs,$(RT_LIBMK_SRCS))
RT_TEST_ELFS   := $(patsubst tests/runtime/pds/%.c,$(RT_OUT)/tests/%.elf,$(RT_TEST_SRCS))

.PHONY: runtime runtime-test-tools
all: runtime runtime-test-tools
runtime: $(RT_OUT)/kernel.elf $(RT_OUT)/loader.elf $(RT_OUT)/libmicrokit.a $(RT_TEST_ELFS)
# Host-side test glue that links systems with configs (the device classes'
# fragments add theirs).
runtime-test-tools:

$(RT_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(RT_CC) $(RT_CFLAGS) -c -o $@ $<

$(RT_OUT)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(RT_CC) $(RT_CFLAGS) -c -o $@ $<

$(RT_OUT)/kernel.elf: $(RT_KERNEL_OBJS) runtime/kernel/kernel.ld
	$(RT_CC) $(RT_LDFLAGS) -T runtime/kernel/kernel.ld -o $@ $(RT_KERNEL_OBJS) -lgcc

$(RT_OUT)/loader.elf: $(RT_LOADER_OBJS) runtime/loader/loader.ld
	$(RT_CC) $(RT_LDFLAGS) -T runtime/loader/loader.ld -o $@ $(RT_LOADER_OBJS) -lgcc

$(RT_OUT)/libmicrokit.a: $(RT_LIBMK_OBJS)
	rm -f $@ && $(RT_AR) rcs $@ $^

$(RT_OUT)/tests/%.elf: $(RT_OUT)/obj/tests/runtime/pds/%.o $(RT_OUT)/libmicrokit.a runtime/libmicrokit/pd.ld
	@mkdir -p $(dir $@)
	$(RT_CC) $(RT_LDFLAGS) -T runtime/libmicrokit/pd.ld -o $@ $< $(RT_OUT)/libmicrokit.a -lgcc

# The VM test: a tiny bare-metal guest, flattened and carried by the test VMM.
RT_GUEST_OBJS := $(RT_OUT)/obj/tests/runtime/guest/entry.o $(RT_OUT)/obj/tests/runtime/guest/tiny_guest.o
$(RT_OUT)/tests/tiny_guest.elf: $(RT_GUEST_OBJS) tests/runtime/guest/guest.ld
	@mkdir -p $(dir $@)
	$(RT_CC) $(RT_LDFLAGS) -T tests/runtime/guest/guest.ld -o $@ $(RT_GUEST_OBJS) -lgcc

$(RT_OUT)/tests/tiny_guest.bin: $(RT_OUT)/tests/tiny_guest.elf
	aarch64-linux-gnu-objcopy -O binary $< $@

$(RT_OUT)/obj/tests/runtime/guest/blob.o: tests/runtime/guest/blob.S $(RT_OUT)/tests/tiny_guest.bin
	@mkdir -p $(dir $@)
	$(RT_CC) $(RT_CFLAGS) -DGUEST_BIN='"$(RT_OUT)/tests/tiny_guest.bin"' -c -o $@ $<

$(RT_OUT)/tests/vmm_test.elf: $(RT_OUT)/obj/tests/runtime/pds/vmm_test.o $(RT_OUT)/obj/tests/runtime/guest/blob.o $(RT_OUT)/libmicrokit.a runtime/libmicrokit/pd.ld
	$(RT_CC) $(RT_LDFLAGS) -T runtime/libmicrokit/pd.ld -o $@ $(filter %.o,$^) $(RT_OUT)/libmicrokit.a -lgcc

-include $(shell find $(RT_OUT)/obj -name '*.d' 2>/dev/null)

# Keep the test PDs' objects: they are intermediate files to make, and
# deleting them would rebuild every PD on each run.
.SECONDARY: $(patsubst tests/runtime/pds/%.c,$(RT_OUT)/obj/tests/runtime/pds/%.o,$(RT_TEST_SRCS)) \
            $(RT_GUEST_OBJS)
