# SPDX-License-Identifier: BSD-2-Clause
# The default Linux guest (docs/guest.md): `make guest` builds
# $(BUILD)/guest/Image and $(BUILD)/guest/initrd.cpio.gz from Debian arm64
# packages (cached in $(BUILD)/guest/cache) and the project's init.
# `make guest-init` builds only the init binary.

GUEST_CC     ?= aarch64-linux-gnu-gcc
GUEST_CFLAGS ?= -std=c11 -O2 -Wall -Wextra -Werror -Wshadow \
                -Wstrict-prototypes -Wmissing-prototypes -Wvla
GUEST_DIR    := $(BUILD)/guest
GUEST_INIT   := $(GUEST_DIR)/init
GUEST_IMAGE  := $(GUEST_DIR)/Image
GUEST_INITRD := $(GUEST_DIR)/initrd.cpio.gz

.PHONY: guest guest-init guest-clean
guest: $(GUEST_IMAGE) $(GUEST_INITRD)
guest-init: $(GUEST_INIT)

# Static, and free of build paths, so that the same source gives the same bytes.
GUEST_INIT_SRCS := guest/init.c guest/net_setup.c guest/util.c
$(GUEST_INIT): $(GUEST_INIT_SRCS) guest/net_setup.h guest/util.h
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -static -s -ffile-prefix-map=$(CURDIR)=. -o $@ $(GUEST_INIT_SRCS)

$(GUEST_IMAGE) $(GUEST_INITRD) &: $(GUEST_INIT) guest/build-guest.sh
	guest/build-guest.sh $(GUEST_DIR) $(GUEST_INIT)

# Keeps the downloaded .debs (remove $(GUEST_DIR)/cache to fetch again).
guest-clean:
	rm -f $(GUEST_INIT) $(GUEST_IMAGE) $(GUEST_INITRD)
