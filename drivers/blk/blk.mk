# SPDX-License-Identifier: BSD-2-Clause
# The block class (drivers/blk/): the virtio-blk driver and the block
# virtualiser, cross-built with runtime/runtime.mk's flags and rules into
# $(BUILD)/runtime under the names sysgen's layout uses, plus the block
# test's client PD and host glue (tests/blk/).  Included by the top-level
# Makefile.

BLK_ELFS := $(RT_OUT)/blk_driver_virtio.elf $(RT_OUT)/blk_virt.elf
BLK_TEST_ELFS := $(RT_OUT)/tests/blk_client.elf
BLK_OBJS := $(RT_OUT)/obj/drivers/blk/virtio_blk.o $(RT_OUT)/obj/drivers/blk/blk_virt.o \
            $(RT_OUT)/obj/tests/blk/blk_client.o
BLK_PD_LINK = $(RT_CC) $(RT_LDFLAGS) -T runtime/libmicrokit/pd.ld -o $@ $< $(RT_OUT)/libmicrokit.a -lgcc

.PHONY: blk
all: blk
blk: $(BLK_ELFS) $(BLK_TEST_ELFS) $(BUILD)/tests/blk/blk_link $(BUILD)/tests/blk/test_blk_queue

$(RT_OUT)/blk_driver_virtio.elf: $(RT_OUT)/obj/drivers/blk/virtio_blk.o $(RT_OUT)/libmicrokit.a runtime/libmicrokit/pd.ld
	$(BLK_PD_LINK)

$(RT_OUT)/blk_virt.elf: $(RT_OUT)/obj/drivers/blk/blk_virt.o $(RT_OUT)/libmicrokit.a runtime/libmicrokit/pd.ld
	$(BLK_PD_LINK)

$(RT_OUT)/tests/blk_client.elf: $(RT_OUT)/obj/tests/blk/blk_client.o $(RT_OUT)/libmicrokit.a runtime/libmicrokit/pd.ld
	@mkdir -p $(dir $@)
	$(BLK_PD_LINK)

# Host-side glue that writes the block test system and links it with configs.
$(BUILD)/tests/blk/blk_link: tests/blk/blk_link.c tests/lib/link_glue.h tests/blk/blk_test.h $(BUILD)/lib/libsysgen.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(BUILD)/lib/libsysgen.a $(HOST_LIBS)

# Host tests of the queue format (cmocka) under ASan and UBSan.
$(BUILD)/tests/blk/test_blk_queue: tests/blk/test_blk_queue.c runtime/include/sysgen/blk_queue.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer -o $@ $< -lcmocka

.SECONDARY: $(BLK_OBJS)
