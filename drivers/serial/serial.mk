# SPDX-License-Identifier: BSD-2-Clause
# The serial class's tests (its components are built by drivers/drivers.mk):
# the host glue that links the serial test system with configs
# (tests/runtime/serial_link.c, run by tests/suites/30-runtime.sh).
runtime-test-tools: $(BUILD)/tests/runtime/serial_link

$(BUILD)/tests/runtime/serial_link: tests/runtime/serial_link.c tests/lib/link_glue.h $(BUILD)/lib/libsysgen.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Itests -o $@ $< $(BUILD)/lib/libsysgen.a $(HOST_LIBS)
