# SPDX-License-Identifier: BSD-2-Clause
# `make fuzz`: libFuzzer on the YAML front end (needs clang and
# libclang-rt-14-dev; FUZZ_SECONDS bounds the run).  New crashers land in
# tests/fuzz/corpus/, which the replay suite then runs in `make test`.
FUZZ_SECONDS ?= 120
FUZZ_SRCS    := $(wildcard sysgen/*/*.c)

.PHONY: fuzz fuzz-replay
fuzz: $(BUILD)/fuzz/fuzz_yaml
	mkdir -p $(BUILD)/fuzz/corpus tests/fuzz/corpus
	cp systems/*.yaml tests/errors/*.yaml $(BUILD)/fuzz/corpus/
	$(BUILD)/fuzz/fuzz_yaml -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
	    -artifact_prefix=tests/fuzz/corpus/ $(BUILD)/fuzz/corpus

$(BUILD)/fuzz/fuzz_yaml: tests/fuzz/fuzz_yaml.c $(FUZZ_SRCS)
	@mkdir -p $(dir $@)
	clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -Iinclude -Iruntime/include \
	    -Isysgen $(shell pkg-config --cflags libxml-2.0) -DSYSGEN_DATA_DIR=\"$(CURDIR)\" \
	    -fsanitize=fuzzer,address,undefined -o $@ $^ $(HOST_LIBS)

$(BUILD)/fuzz/replay: tests/fuzz/replay.c tests/fuzz/fuzz_yaml.c $(BUILD)/lib/libsysgen.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -DSYSGEN_DATA_DIR=\"$(CURDIR)\" -o $@ \
	    tests/fuzz/replay.c tests/fuzz/fuzz_yaml.c $(BUILD)/lib/libsysgen.a $(HOST_LIBS)
