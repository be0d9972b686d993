// SPDX-License-Identifier: BSD-2-Clause
// A PD with a config struct in its .sysgen_config section, which sysgen
// fills at link time; it checks the header as every component must.
#include <microkit.h>
#include <sysgen/config.h>

__attribute__((section(".sysgen_config"))) struct sysgen_serial_driver_config config;

void init(void)
{
    const struct sysgen_config_header *h = &config.header;
    if (h->magic != SYSGEN_CONFIG_MAGIC || h->version != SYSGEN_CONFIG_VERSION ||
        h->size != sizeof(config)) {
        sg_printf("configured: no valid config (magic 0x%x)\n", h->magic);
        sg_dbg_exit(1);
    }
    sg_printf("configured: config for %s, kind %u, uart irq %u\n", h->pd_name, (unsigned)h->kind,
              config.uart.irq);
    sg_dbg_exit(0);
}

void notified(microkit_channel ch)
{
    (void)ch;
}
