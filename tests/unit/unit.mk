# SPDX-License-Identifier: BSD-2-Clause
# Host unit tests (cmocka), one program per pass, linked with libsysgen.a.
UNIT_SRCS  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)

.PHONY: unit-tests
unit-tests: $(UNIT_BINS)

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/lib/libsysgen.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Wno-missing-prototypes -DSYSGEN_DATA_DIR=\"$(CURDIR)\" \
	    -o $@ $< $(BUILD)/lib/libsysgen.a $(HOST_LIBS) -lcmocka
