# SPDX-License-Identifier: BSD-2-Clause
# Every device class's components, cross-built with runtime/runtime.mk's
# flags into $(RT_OUT) under the names sysgen's layout uses:
#
#   drivers/<class>/<driver>/*.c  -> <class>_driver_<driver>.elf
#       a hardware driver; <driver> is what a board's board.yaml names
#       (driver: pl011, virtio, imx, ...), so a new driver is a new folder
#   drivers/<class>/<name>.c      -> <name>.elf
#       a class component: a virtualiser or a copier
#
# Shared code: drivers/virtio/ (the driver side of the virtio transport and
# virtqueues).  Each class's fragment (drivers/<class>/<class>.mk) adds
# the class's tests.  Included by the top-level Makefile after runtime.mk.

DRIVER_CLASSES := serial blk net
PD_DEPS        := $(RT_OUT)/libmicrokit.a runtime/libmicrokit/pd.ld
pd_link         = $(RT_CC) $(RT_LDFLAGS) -T runtime/libmicrokit/pd.ld -o $@ $(filter %.o,$^) \
                  $(RT_OUT)/libmicrokit.a -lgcc
DRIVER_ELFS    :=
DRIVER_OBJS    :=

define driver_elf # class, driver
$(RT_OUT)/$(1)_driver_$(2).elf: $(call rt_objs,$(wildcard drivers/$(1)/$(2)/*.c)) $(PD_DEPS)
	$$(pd_link)
DRIVER_ELFS += $(RT_OUT)/$(1)_driver_$(2).elf
DRIVER_OBJS += $(call rt_objs,$(wildcard drivers/$(1)/$(2)/*.c))
endef

define component_elf # source
$(RT_OUT)/$(basename $(notdir $(1))).elf: $(call rt_objs,$(1)) $(PD_DEPS)
	$$(pd_link)
DRIVER_ELFS += $(RT_OUT)/$(basename $(notdir $(1))).elf
DRIVER_OBJS += $(call rt_objs,$(1))
endef

$(foreach c,$(DRIVER_CLASSES),\
  $(foreach d,$(patsubst drivers/$(c)/%/,%,$(wildcard drivers/$(c)/*/)),\
    $(eval $(call driver_elf,$(c),$(d)))))
$(foreach c,$(DRIVER_CLASSES),\
  $(foreach s,$(wildcard drivers/$(c)/*.c),$(eval $(call component_elf,$(s)))))

.PHONY: drivers
all: drivers
runtime: drivers
drivers: $(DRIVER_ELFS)

# Keep the objects: intermediate files to make, but rebuilding every PD
# on each run would be slow.
.SECONDARY: $(DRIVER_OBJS)

-include drivers/serial/serial.mk drivers/blk/blk.mk drivers/net/net.mk
