// SPDX-License-Identifier: BSD-2-Clause
// Serial rx virtualiser: input goes to one client at a time.  The switch
// character (Ctrl-\ by default) followed by a client's index (0-9) sends
// further input to that client; the switch itself is announced on the
// kernel console and not passed on.
#include "serial/serial_config.h"

__attribute__((section(".sysgen_config"))) struct sysgen_serial_virt_config config;

static struct sg_serial_ring drv;
static struct sg_serial_ring client[SYSGEN_MAX_CLIENTS];
static uint32_t current;
static bool switching, ready;

void init(void)
{
    if (!sg_config_ok(&config.header, SYSGEN_KIND_SERIAL_VIRT_RX, sizeof(config)) ||
        !serial_ring(&config.driver, &drv) || config.num_clients > SYSGEN_MAX_CLIENTS) {
        sg_printf("%s: unusable config, virtualiser stays idle\n", microkit_name);
        return;
    }
    for (uint32_t i = 0; i < config.num_clients; i++)
        if (!serial_ring(&config.clients[i].conn, &client[i]))
            return;
    ready = config.num_clients > 0;
}

void notified(microkit_channel ch)
{
    if (!ready || ch != config.driver.ch)
        return;
    uint32_t signalled = 0; // bitmask of clients that got input
    char c;
    while (sg_serial_get(&drv, &c)) {
        if (switching) {
            switching = false;
            uint32_t n = (uint32_t)(c - '0');
            if (c >= '0' && c <= '9' && n < config.num_clients) {
                current = n;
                // On a line of its own: a client's prompt is usually open.
                sg_printf("\nserial: input now goes to %s\n", config.clients[n].name);
                continue;
            }
            // Not a client index: pass both bytes on, nothing is lost.
            sg_serial_put(&client[current], (char)config.switch_char);
        } else if ((uint8_t)c == config.switch_char) {
            switching = true;
            continue;
        }
        if (sg_serial_put(&client[current], c))
            signalled |= 1u << current;
    }
    for (uint32_t i = 0; i < config.num_clients; i++)
        if (signalled & (1u << i))
            microkit_notify(config.clients[i].conn.ch);
}
