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

# Host tests of the same register logic against small register models
# (cmocka, ASan, UBSan): what QEMU's models cannot show.
IMX_HOST_TESTS :=
define imx_host_test # name, driver sources
$(BUILD)/tests/imx/$(1): tests/imx/host/$(1).c $(2) drivers/mmio.h
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) $$(HOST_CFLAGS) -Wno-missing-prototypes -DDRIVER_MMIO_MODEL -Idrivers \
	    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	    -o $$@ $$< $(2) -lcmocka
IMX_HOST_TESTS += $(BUILD)/tests/imx/$(1)
endef

$(eval $(call imx_test,selftest,))
$(eval $(call imx_test,uart,drivers/serial/imx/imx_uart.c))
$(eval $(call imx_host_test,test_imx_uart,drivers/serial/imx/imx_uart.c))
$(eval $(call imx_test,usdhc,drivers/blk/imx_usdhc/usdhc.c))
$(eval $(call imx_host_test,test_usdhc,drivers/blk/imx_usdhc/usdhc.c))
$(eval $(call imx_test,fec,drivers/net/imx_fec/fec.c))
$(eval $(call imx_host_test,test_fec,drivers/net/imx_fec/fec.c))

.PHONY: imx-tests
imx-tests: $(IMX_TESTS) $(IMX_HOST_TESTS)
all: imx-tests
