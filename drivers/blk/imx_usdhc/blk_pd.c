// SPDX-License-Identifier: BSD-2-Clause
// The i.MX uSDHC block driver PD (blk_driver_imx_usdhc.elf): the
// MaaXBoard's microSD card behind the same queue as the virtio-blk driver
// (<sysgen/blk_queue.h>), so blk_virt does not know which it talks to.
// Hardware only: blk_virt decides who may touch which sectors; this PD
// checks each request against the card and its own data region and runs
// it.  An SD card does one transfer at a time: the next request is taken
// when the controller's interrupt ends the last.  The register logic and
// the card protocol are usdhc.c.
//
// The tail of the data region (SG_BLK_DRIVER_RESERVED bytes, which blk_virt
// never uses) holds the ADMA2 descriptor table.
#include "blk/blk_config.h"
#include "blk/imx_usdhc/usdhc.h"

__attribute__((section(".sysgen_config"))) struct sysgen_blk_driver_config config;

_Static_assert(USDHC_ADMA_DESCS * sizeof(struct usdhc_adma) <= SG_BLK_DRIVER_RESERVED,
               "the ADMA2 table fits the reserved part");

static struct usdhc sd;
static struct sg_blk_end virt;
static uint8_t *data;
static uint64_t data_paddr, data_usable;
static bool ready;  // false: the config is unusable, stay idle
static bool dev_ok; // false: every request gets SG_BLK_ENODEV
static bool busy;
static struct sg_blk_desc current; // the request the card is working on

static uint64_t now_us(void)
{
    uint64_t count, freq;
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(count));
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    return freq >= 1000000 ? count / (freq / 1000000) : count;
}

static uint16_t status_of(enum usdhc_result r)
{
    switch (r) {
    case USDHC_OK:
        return SG_BLK_OK;
    case USDHC_ENOCARD:
        return SG_BLK_ENODEV;
    case USDHC_EINVAL:
        return SG_BLK_EINVAL;
    default:
        return SG_BLK_EIO;
    }
}

static void respond(const struct sg_blk_desc *r, uint16_t status)
{
    struct sg_blk_desc a = *r;
    a.status = status;
    sg_blk_respond(&virt, &a);
}

// A request blk_virt sent, against this PD's own limits: a known
// operation, a buffer inside the usable data region, sectors on the card.
static uint16_t check(const struct sg_blk_desc *r)
{
    if (!dev_ok)
        return SG_BLK_ENODEV;
    if (r->op == SG_BLK_OP_FLUSH)
        return SG_BLK_OK;
    if ((r->op != SG_BLK_OP_READ && r->op != SG_BLK_OP_WRITE) || !r->count ||
        r->count > USDHC_MAX_SECTORS || !sg_blk_data_ok(r->offset, r->count, data_usable))
        return SG_BLK_EINVAL;
    if (!sg_blk_range_ok(r->sector, r->count, sd.sectors))
        return SG_BLK_ERANGE;
    return SG_BLK_OK;
}

// Take requests until one is on the card, while the response ring has
// room for the answer.  True if any was answered at once.
static bool serve(void)
{
    bool answered = false;
    while (!busy) {
        int n = sg_blk_pending(&virt);
        if (n < 0) {
            sg_printf("%s: blk_virt's request ring is corrupt; ignoring it\n", microkit_name);
            ready = false;
            break;
        }
        if (n == 0 || sg_blk_resp_room(&virt) == 0)
            break;
        struct sg_blk_desc r;
        sg_blk_take(&virt, &r);
        uint16_t status = check(&r);
        // Flush: an SD card whose cache is not switched on writes through.
        if (status == SG_BLK_OK && r.op != SG_BLK_OP_FLUSH) {
            enum usdhc_result e = usdhc_start(&sd, r.op == SG_BLK_OP_WRITE, r.sector, r.count,
                                              data_paddr + r.offset, data + r.offset);
            if (e == USDHC_OK) {
                busy = true;
                current = r;
                break;
            }
            status = status_of(e);
        }
        respond(&r, status);
        answered = true;
    }
    return answered;
}

void init(void)
{
    const struct sysgen_conn *c = &config.virt;
    if (!sg_config_ok(&config.header, SYSGEN_KIND_BLK_DRIVER, sizeof(config)) ||
        !blk_end(c, &virt) || !config.disk.regs_vaddr || config.disk.regs_size < 0x100 ||
        c->data_size <= SG_BLK_DRIVER_RESERVED || !c->data_paddr || (c->data_size & 0xfff) ||
        c->data_paddr + c->data_size > 0x100000000ull) {
        sg_printf("%s: unusable config, driver stays idle\n", microkit_name);
        return;
    }
    data = (uint8_t *)c->data_vaddr;
    data_paddr = c->data_paddr;
    data_usable = c->data_size - SG_BLK_DRIVER_RESERVED;
    enum usdhc_result e = usdhc_init(&sd, (volatile void *)config.disk.regs_vaddr,
                                     config.disk.clock_hz, now_us,
                                     (volatile struct usdhc_adma *)(data + data_usable),
                                     (uint32_t)(data_paddr + data_usable));
    ready = true;
    dev_ok = e == USDHC_OK;
    if (!dev_ok) {
        sg_printf("%s: uSDHC at 0x%llx: %s; every request will fail\n", microkit_name,
                  (unsigned long long)config.disk.regs_paddr, usdhc_strerror(e));
        return;
    }
    sg_printf("%s: uSDHC at 0x%llx: %s card, %llu sectors, 4-bit bus at %u kHz\n", microkit_name,
              (unsigned long long)config.disk.regs_paddr, sd.block_addressed ? "SDHC" : "SDSC",
              (unsigned long long)sd.sectors, sd.sd_clock_hz / 1000);
}

void notified(microkit_channel ch)
{
    if (!ready)
        return;
    bool answered = false;
    if (ch == config.disk.irq_ch) {
        if (busy) {
            enum usdhc_result e = usdhc_finish(&sd);
            if (e != USDHC_BUSY) {
                if (e != USDHC_OK)
                    sg_printf("%s: sectors %llu+%u: %s\n", microkit_name,
                              (unsigned long long)current.sector, current.count,
                              usdhc_strerror(e));
                busy = false;
                respond(&current, status_of(e));
                answered = true;
            }
        }
        microkit_irq_ack(ch);
    }
    answered |= serve();
    if (answered)
        microkit_notify(config.virt.ch);
}
