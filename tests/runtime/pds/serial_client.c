// SPDX-License-Identifier: BSD-2-Clause
// A serial client: says hello through its tx queue, and answers every
// line of input with "NAME got: LINE".  client1 ends the run once it has
// answered, so the test sees that input switched to it.
#include <microkit.h>
#include <sysgen/serial_queue.h>

#define TX 1
#define RX 2

uint64_t tx_queue, tx_data, rx_queue, rx_data; // vaddrs, patched by sysgen

static struct sg_serial_ring tx, rx;
static char line[128];
static unsigned len;

static void say(const char *s)
{
    while (*s)
        sg_serial_put(&tx, *s++);
}

void init(void)
{
    tx = (struct sg_serial_ring){(void *)tx_queue, (void *)tx_data, 0x1000};
    rx = (struct sg_serial_ring){(void *)rx_queue, (void *)rx_data, 0x1000};
    say(microkit_name);
    say(": hello over the serial queue\n");
    microkit_notify(TX);
}

void notified(microkit_channel ch)
{
    if (ch != RX)
        return;
    char c;
    while (sg_serial_get(&rx, &c)) {
        if (c == '\r' || c == '\n') {
            if (!len)
                continue;
            line[len] = 0;
            say(microkit_name);
            say(" got: ");
            say(line);
            say("\n");
            microkit_notify(TX);
            len = 0;
            if (microkit_name[6] == '1') // client1: the switch worked, done
                sg_dbg_exit(0);
        } else if (len + 1 < sizeof(line)) {
            line[len++] = c;
        }
    }
}
