# SPDX-License-Identifier: BSD-2-Clause
# The block class's tests (its components are built by drivers/drivers.mk):
# the block test's client PD and host glue (tests/blk/), and host tests of
# the queue format.  Run by tests/suites/32-blk.sh.
BLK_TEST_ELFS := $(RT_OUT)/tests/blk_client.elf

.PHONY: blk
all: blk
blk: $(BLK_TEST_ELFS) $(BUILD)/tests/blk/blk_link $(BUILD)/tests/blk/test_blk_queue

$(RT_OUT)/tests/blk_client.elf: $(RT_OUT)/obj/tests/blk/blk_client.o $(PD_DEPS)
	@mkdir -p $(dir $@)
	$(pd_link)

# Host-side glue that writes the block test system and links it with configs.
$(BUILD)/tests/blk/blk_link: tests/blk/blk_link.c tests/lib/link_glue.h tests/blk/blk_test.h $(BUILD)/lib/libsysgen.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Itests -o $@ $< $(BUILD)/lib/libsysgen.a $(HOST_LIBS)

# Host tests of the queue format (cmocka) under ASan and UBSan.
$(BUILD)/tests/blk/test_blk_queue: tests/blk/test_blk_queue.c runtime/include/sysgen/blk_queue.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer -o $@ $< -lcmocka

.SECONDARY: $(RT_OUT)/obj/tests/blk/blk_client.o
