# SPDX-License-Identifier: BSD-2-Clause
# Host unit tests (cmocka), one program per pass, linked with libsysgen.a;
# the image linker's own tests with the linker library alone.
UNIT_SRCS  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
UNIT_LINK_BINS := $(BUILD)/tests/unit/test_link $(BUILD)/tests/unit/test_sdf
UNIT_CFLAGS = $(HOST_CFLAGS) -Wno-missing-prototypes -DSYSGEN_DATA_DIR=\"$(CURDIR)\"

.PHONY: unit-tests
unit-tests: $(UNIT_BINS)

$(UNIT_LINK_BINS): $(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/lib/libsysgen_link.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $< $(BUILD)/lib/libsysgen_link.a $(LINK_LIBS) -lcmocka

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/lib/libsysgen.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(UNIT_CFLAGS) -o $@ $< $(BUILD)/lib/libsysgen.a $(HOST_LIBS) -lcmocka
