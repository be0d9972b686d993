// SPDX-License-Identifier: BSD-2-Clause
// The harness itself, before any driver relies on it: output, the timer
// that bounds every driver wait, memory for DMA, and the exit status.
#include "harness.h"

int main(void);

int main(void)
{
    uint64_t t0 = h_now();
    h_delay_us(1000);
    uint64_t t1 = h_now();
    h_ok(h_ticks_per_us() > 1, "generic timer frequency known (%llu ticks/us)",
         (unsigned long long)h_ticks_per_us());
    h_ok(t1 - t0 >= 1000 * h_ticks_per_us(), "a 1 ms delay lasts at least 1 ms");
    uint8_t *dma = __dma_start;
    h_memset(dma, 0xa5, 4096);
    h_ok((size_t)(__dma_end - __dma_start) == 0x100000 && dma[0] == 0xa5 && dma[4095] == 0xa5,
         "1 MiB of DMA memory, writable");
    char buf[32];
    h_memcpy(buf, "abc", 4);
    h_ok(h_memcmp(buf, "abc", 4) == 0 && h_memcmp(buf, "abd", 4) < 0, "memcpy, memcmp");
    h_printf("# printf: %s %d %u %#x %08x %llx\n", "str", -5, 7u, 0xabcu, 0x1fu,
             0x123456789abull);
    return h_done();
}
