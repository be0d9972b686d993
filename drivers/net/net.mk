# SPDX-License-Identifier: BSD-2-Clause
# The net class's tests (its components are built by drivers/drivers.mk):
# the net test's client PD and host glue (tests/net/), and host tests of
# the queue format.  Run by tests/suites/33-net.sh.
NET_TEST_ELFS := $(RT_OUT)/tests/net_client.elf

.PHONY: net
all: net
net: $(NET_TEST_ELFS) $(BUILD)/tests/net/net_link $(BUILD)/tests/net/test_net_queue \
     $(BUILD)/tests/net/test_net_switch

$(RT_OUT)/tests/net_client.elf: $(RT_OUT)/obj/tests/net/net_client.o $(PD_DEPS)
	@mkdir -p $(dir $@)
	$(pd_link)

# Host-side glue that writes the net test system and links it with configs.
$(BUILD)/tests/net/net_link: tests/net/net_link.c tests/lib/link_glue.h tests/net/net_test.h $(BUILD)/lib/libsysgen.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Itests -o $@ $< $(BUILD)/lib/libsysgen.a $(HOST_LIBS)

# Host tests of the queue format (cmocka) under ASan and UBSan.
$(BUILD)/tests/net/test_net_queue: tests/net/test_net_queue.c runtime/include/sysgen/net_queue.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer -o $@ $< -lcmocka

# Host tests of the switching decision (cmocka) under ASan and UBSan.
$(BUILD)/tests/net/test_net_switch: tests/net/test_net_switch.c drivers/net/net_switch.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Idrivers -fsanitize=address,undefined -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer -o $@ $< -lcmocka

.SECONDARY: $(RT_OUT)/obj/tests/net/net_client.o
