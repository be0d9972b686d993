// SPDX-License-Identifier: BSD-2-Clause
// The loader: copy every chunk of the payload to its physical address, zero
// the rest of each chunk, and hand the kernel its boot info.  It trusts the
// payload only as far as the magic and version: sysgen wrote both halves.
#include <stdint.h>
#include <sysgen/bootinfo.h>
#include <sysgen/loadimage.h>
#include "lib/string.h"

extern const char __payload[];
extern uint64_t loader_bootinfo;

uint64_t loader_main(uint64_t dtb);

static volatile uint32_t *uart;
static uint32_t uart_kind;

static void putc_(char c)
{
    if (!uart)
        return;
    if (uart_kind == SG_UART_IMX) {
        while (uart[0xb4 / 4] & (1u << 4)) // UTS.TXFULL
            ;
        uart[0x40 / 4] = (uint32_t)c; // UTXD
        return;
    }
    while (uart[0x18 / 4] & (1u << 5)) // PL011 FR.TXFF: transmit FIFO full
        ;
    uart[0] = (uint32_t)c;
}

static void puts_(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            putc_('\r');
        putc_(*s);
    }
}

static void puthex(uint64_t v)
{
    puts_("0x");
    for (int i = 60; i >= 0; i -= 4)
        putc_("0123456789abcdef"[(v >> i) & 0xf]);
}

// The loader writes with the MMU off, straight to memory.  PDs and guests
// read the same memory through their caches, so no cache may still hold a
// line of it from before (booti cleans and invalidates the caches, but a
// boot path need not): drop every line of what was written.
static void dcache_invalidate(uint64_t pa, uint64_t size)
{
    uint64_t ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    uint64_t line = 4ull << ((ctr >> 16) & 0xf); // DminLine: log2 of words
    for (uint64_t p = pa & ~(line - 1); p < pa + size; p += line)
        __asm__ volatile("dc ivac, %0" ::"r"(p) : "memory");
}

static void hang(void)
{
    for (;;)
        __asm__ volatile("wfe");
}

uint64_t loader_main(uint64_t dtb)
{
    const struct sg_load_header *hdr = (const void *)__payload;
    if (hdr->magic != SG_LOAD_MAGIC || hdr->version != SG_LOAD_VERSION)
        hang(); // no console yet: its address is inside the payload
    const struct sg_load_chunk *chunk = (const void *)(hdr + 1);
    for (uint32_t i = 0; i < hdr->nchunks; i++) {
        memcpy((void *)chunk[i].dest, __payload + chunk[i].offset, chunk[i].filesz);
        memset((char *)chunk[i].dest + chunk[i].filesz, 0, chunk[i].memsz - chunk[i].filesz);
        dcache_invalidate(chunk[i].dest, chunk[i].memsz);
    }
    __asm__ volatile("dsb sy" ::: "memory");
    const struct sg_bootinfo *bi = (const void *)hdr->bootinfo_pa;
    uart_kind = bi->uart_kind;
    if (uart_kind == SG_UART_PL011 || uart_kind == SG_UART_IMX)
        uart = (volatile uint32_t *)bi->uart_base;
    puts_("LDR|INFO: ");
    puthex(hdr->nchunks);
    puts_(" chunks loaded, dtb ");
    puthex(dtb);
    puts_(", kernel at ");
    puthex(hdr->kernel_entry);
    puts_("\n");
    loader_bootinfo = hdr->bootinfo_pa;
    return hdr->kernel_entry;
}
