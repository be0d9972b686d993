// SPDX-License-Identifier: BSD-2-Clause
// Serial tx virtualiser: merges the clients' output into the driver's
// queue, starting each line with the client's name in brackets so a reader
// of the shared console knows who said what.  Policy only, no hardware.
#include "serial/serial_config.h"

__attribute__((section(".sysgen_config"))) struct sysgen_serial_virt_config config;

static struct sg_serial_ring drv;
static struct sg_serial_ring client[SYSGEN_MAX_CLIENTS];
static bool at_line_start[SYSGEN_MAX_CLIENTS];
static int last = -1; // client whose line is open on the console
static bool ready;

void init(void)
{
    if (!sg_config_ok(&config.header, SYSGEN_KIND_SERIAL_VIRT_TX, sizeof(config)) ||
        !serial_ring(&config.driver, &drv) || config.num_clients > SYSGEN_MAX_CLIENTS) {
        sg_printf("%s: unusable config, virtualiser stays idle\n", microkit_name);
        return;
    }
    for (uint32_t i = 0; i < config.num_clients; i++) {
        if (!serial_ring(&config.clients[i].conn, &client[i]))
            return;
        at_line_start[i] = true;
    }
    ready = true;
}

static void put(char c)
{
    sg_serial_put(&drv, c); // a full driver queue drops output rather than block
}

static void tag(uint32_t i)
{
    put('[');
    for (const char *s = config.clients[i].name; *s && s < config.clients[i].name + SYSGEN_NAME_LEN;
         s++)
        put(*s);
    put(']');
    put(' ');
}

static bool drain(uint32_t i)
{
    bool any = false;
    char c;
    while (sg_serial_get(&client[i], &c)) {
        // Another client's unfinished line: close it before switching.
        if (last >= 0 && last != (int)i && !at_line_start[last]) {
            put('\n');
            at_line_start[last] = true;
        }
        if (at_line_start[i])
            tag(i);
        put(c);
        at_line_start[i] = c == '\n';
        last = (int)i;
        any = true;
    }
    return any;
}

void notified(microkit_channel ch)
{
    if (!ready)
        return;
    bool any = false;
    for (uint32_t i = 0; i < config.num_clients; i++)
        if (config.clients[i].conn.ch == ch)
            any |= drain(i);
    if (any)
        microkit_notify(config.driver.ch);
}
