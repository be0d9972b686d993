// SPDX-License-Identifier: BSD-2-Clause
// What every component does first with the config sysgen wrote into its
// .sysgen_config section: check that the bytes are a config of its own
// kind and size, from this version of the ABI, before trusting any field.
#ifndef SYSGEN_CONFIG_CHECK_H
#define SYSGEN_CONFIG_CHECK_H

#include <microkit.h>
#include <stdbool.h>
#include <stdint.h>
#include <sysgen/config.h>

static inline bool sg_config_ok(const struct sysgen_config_header *h, uint16_t kind, uint32_t size)
{
    if (h->magic == SYSGEN_CONFIG_MAGIC && h->version == SYSGEN_CONFIG_VERSION && h->kind == kind &&
        h->size == size)
        return true;
    sg_printf("%s: bad config (magic 0x%x version %u kind %u size %u, want kind %u size %u)\n",
              microkit_name, h->magic, (unsigned)h->version, (unsigned)h->kind, h->size,
              (unsigned)kind, size);
    return false;
}

#endif
