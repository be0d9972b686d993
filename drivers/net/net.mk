# SPDX-License-Identifier: BSD-2-Clause
# The net class (drivers/net/): the virtio-net driver, the rx and tx
# virtualisers and the copier, cross-built with runtime/runtime.mk's flags
# and rules into $(BUILD)/runtime under the names sysgen's layout uses,
# plus the net test's client PD and host glue (tests/net/).  Included by
# the top-level Makefile.

NET_ELFS := $(RT_OUT)/net_driver_virtio.elf $(RT_OUT)/net_virt_rx.elf \
            $(RT_OUT)/net_virt_tx.elf $(RT_OUT)/net_copy.elf
NET_TEST_ELFS := $(RT_OUT)/tests/net_client.elf
NET_OBJS := $(patsubst %.c,$(RT_OUT)/obj/%.o,drivers/net/virtio_net.c drivers/net/net_virt_rx.c \
              drivers/net/net_virt_tx.c drivers/net/net_copy.c tests/net/net_client.c)
NET_PD_LINK = $(RT_CC) $(RT_LDFLAGS) -T runtime/libmicrokit/pd.ld -o $@ $< $(RT_OUT)/libmicrokit.a -lgcc
NET_PD_DEPS := $(RT_OUT)/libmicrokit.a runtime/libmicrokit/pd.ld

.PHONY: net
all: net
net: $(NET_ELFS) $(NET_TEST_ELFS) $(BUILD)/tests/net/net_link $(BUILD)/tests/net/test_net_queue

$(RT_OUT)/net_driver_virtio.elf: $(RT_OUT)/obj/drivers/net/virtio_net.o $(NET_PD_DEPS)
	$(NET_PD_LINK)

$(RT_OUT)/net_virt_rx.elf: $(RT_OUT)/obj/drivers/net/net_virt_rx.o $(NET_PD_DEPS)
	$(NET_PD_LINK)

$(RT_OUT)/net_virt_tx.elf: $(RT_OUT)/obj/drivers/net/net_virt_tx.o $(NET_PD_DEPS)
	$(NET_PD_LINK)

$(RT_OUT)/net_copy.elf: $(RT_OUT)/obj/drivers/net/net_copy.o $(NET_PD_DEPS)
	$(NET_PD_LINK)

$(RT_OUT)/tests/net_client.elf: $(RT_OUT)/obj/tests/net/net_client.o $(NET_PD_DEPS)
	@mkdir -p $(dir $@)
	$(NET_PD_LINK)

# Host-side glue that writes the net test system and links it with configs.
$(BUILD)/tests/net/net_link: tests/net/net_link.c tests/lib/link_glue.h tests/net/net_test.h $(BUILD)/lib/libsysgen.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< $(BUILD)/lib/libsysgen.a $(HOST_LIBS)

# Host tests of the queue format (cmocka) under ASan and UBSan.
$(BUILD)/tests/net/test_net_queue: tests/net/test_net_queue.c runtime/include/sysgen/net_queue.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer -o $@ $< -lcmocka

.SECONDARY: $(NET_OBJS)
