# SPDX-License-Identifier: BSD-2-Clause
# i.MX driver tests on QEMU's mcimx7d-sabre (../shared/imx-notes.md): the
# drivers' register logic, built for 32-bit Arm into bare-metal test
# programs with the harness in tests/imx/harness/.  A test is one
# tests/imx/<name>.c plus the driver sources it exercises:
#     $(eval $(call imx_test,<name>,<driver sources>))
# Run by tests/suites/34-imx.sh.
IMX_CC     ?= arm-none-eabi-gcc
IMX_OUT    := $(BUILD)/imx-test
IMX_CFLAGS := -std=c11 -O2 -g -mcpu=cortex-a7 -marm -ffreestanding -fno-builtin -nostdlib \
              -Wall -Wextra -Werror -Wshadow -Wvla -Wstrict-prototypes -Wmissing-prototypes \
              -Itests/imx/harness -Iinclude -Iruntime/include -Idrivers
IMX_HARNESS := tests/imx/harness/start.S tests/imx/harness/harness.c
IMX_TESTS  :=

define imx_test
$(IMX_OUT)/$(1).elf: tests/imx/$(1).c $(2) $(IMX_HARNESS) tests/imx/harness/harness.h \
                     tests/imx/harness/harness.ld
	@mkdir -p $$(dir $$@)
	$$(IMX_CC) $$(IMX_CFLAGS) -T tests/imx/harness/harness.ld -o $$@ \
	    $$(filter %.c %.S,$$^) -lgcc
IMX_TESTS += $(IMX_OUT)/$(1).elf
endef

$(eval $(call imx_test,selftest,))

.PHONY: imx-tests
imx-tests: $(IMX_TESTS)
all: imx-tests
