# SPDX-License-Identifier: BSD-2-Clause
# sysgen top-level build.  `make` builds the host compiler (and the runtime
# components once their fragments exist); `make test` runs every test suite.

BUILD      ?= build
HOSTCC     ?= gcc
SAN        ?=
HOST_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -g \
              -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
              -Wmissing-prototypes -Wvla -Iinclude -Iruntime/include -Isysgen $(SAN)
HOST_LIBS   = -lyaml -lfdt -lelf -lxml2 -lcrypto
HOST_CFLAGS += $(shell pkg-config --cflags libxml-2.0 2>/dev/null)

SYSGEN_SRCS := $(sort $(wildcard sysgen/*/*.c))
SYSGEN_OBJS := $(SYSGEN_SRCS:sysgen/%.c=$(BUILD)/obj/sysgen/%.o)
SYSGEN      := $(BUILD)/bin/sysgen

.PHONY: all deps-checked sysgen test test-runtime golden bench run deps clean format
all: deps-checked sysgen

# Every build and test first makes sure the Debian packages are there:
# installed when we are root, else the exact apt-get command is printed.
deps-checked: $(BUILD)/.deps-checked
$(BUILD)/.deps-checked: scripts/install-deps.sh
	scripts/install-deps.sh
	@mkdir -p $(dir $@) && touch $@

sysgen: $(SYSGEN)

$(BUILD)/obj/sysgen/main.o: HOST_CFLAGS += -DSYSGEN_DATA_DIR=\"$(CURDIR)\"
$(BUILD)/obj/sysgen/%.o: sysgen/%.c | $(BUILD)/.deps-checked
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<

-include $(SYSGEN_OBJS:.o=.d) $(BUILD)/obj/sysgen/main.d

$(BUILD)/lib/libsysgen.a: $(SYSGEN_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# The image linker (sysgen/link/, on sysgen/base/) is a library of its own:
# it needs nothing of the YAML compiler, and its unit tests link against it
# alone, which proves that.
LINK_OBJS := $(filter $(BUILD)/obj/sysgen/base/% $(BUILD)/obj/sysgen/link/%,$(SYSGEN_OBJS))
LINK_LIBS  = -lelf -lxml2
$(BUILD)/lib/libsysgen_link.a: $(LINK_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(SYSGEN): $(BUILD)/obj/sysgen/main.o $(BUILD)/lib/libsysgen.a
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $^ $(HOST_LIBS)

# Component fragments: each part of the product adds its own rules.
-include runtime/runtime.mk
-include drivers/drivers.mk
-include guest/guest.mk
-include vmm/vmm.mk
-include tests/unit/unit.mk
-include tests/fuzz/fuzz.mk
-include tests/imx/imx.mk

# `make deps` installs what building and testing need (Debian 12, as root).
deps:
	scripts/install-deps.sh

# Boot the default system in QEMU: both guests on this terminal (Ctrl-\ then
# 0 or 1 switches input, Ctrl-A x quits QEMU).
run: all guest
	$(SYSGEN) --run-qemu systems/two_guests.yaml

test: all
	tests/run.sh tests/suites/*.sh

test-runtime: all
	tests/run.sh tests/suites/*runtime*.sh

golden: sysgen
	tests/golden/update.sh

bench: all
	tests/bench/run.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)
