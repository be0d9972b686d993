// SPDX-License-Identifier: BSD-2-Clause
// A test VMM that boots the project's Linux guest: the image linker has
// preloaded kernel, initramfs and device tree into the guest's RAM (<file>
// in the SDF), so this VMM only starts vCPU 0 with x0 = the device tree and
// emulates the guest's PL011 (the kernel's console), printing its lines;
// it ends the run once the guest's shell has started.
// The real VMM (virtIO devices) is vmm/'s job; this one proves the kernel
// runs an unmodified Linux.
#include <microkit.h>
#include <sysgen/mmio.h>

#define VCPU       0
#define KERNEL_GPA 0x40200000ul
#define DTB_GPA    0x48000000ul
#define UART_GPA   0x09000000ull
#define UART_INTID 33

#define DR      0x000
#define FR      0x018
#define IMSC    0x038
#define RIS     0x03c
#define MIS     0x040
#define FR_RXFE (1u << 4)
#define FR_TXFE (1u << 7)
#define INT_TX  (1u << 5)

static uint32_t regs[0x1000 / 4]; // what the guest wrote, for read-back
static char line[256];
static unsigned len;

void init(void)
{
    struct sg_vcpu_regs r = {0};
    r.x[0] = DTB_GPA; // arm64 boot protocol: x0 = DTB, x1..x3 = 0
    r.spsr = 0x3c5;
    sg_vcpu_write_regs(VCPU, &r);
    sg_printf("vmm: booting linux at 0x%lx, dtb at 0x%lx\n", KERNEL_GPA, DTB_GPA);
    microkit_vcpu_restart(VCPU, KERNEL_GPA);
}

void notified(microkit_channel ch)
{
    (void)ch;
}

static bool starts_with(const char *s, const char *prefix)
{
    while (*prefix && *s == *prefix)
        s++, prefix++;
    return !*prefix;
}

static void out(char c)
{
    if (c == '\r')
        return;
    if (c == '\n' || len + 1 == sizeof(line)) {
        line[len] = 0;
        sg_printf("[linux0] %s\n", line);
        len = 0;
        if (starts_with(line, "Enter 'help' for a list")) {
            sg_printf("vmm: the guest's shell is up, ending the run\n");
            sg_dbg_exit(0);
        }
        if (c == '\n')
            return;
    }
    line[len++] = c;
}

// The AMBA identification registers of a PL011 (r1p5).
static uint32_t id_reg(uint64_t off)
{
    static const uint8_t id[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    return id[(off - 0xfe0) / 4];
}

static uint64_t uart_read(uint64_t off)
{
    switch (off) {
    case FR:
        return FR_TXFE | FR_RXFE; // transmit always drained, nothing received
    case RIS:
        return INT_TX;
    case MIS:
        return INT_TX & regs[IMSC / 4];
    case DR:
        return 0;
    default:
        return off >= 0xfe0 ? id_reg(off) : regs[off / 4];
    }
}

static void uart_write(uint64_t off, uint64_t v)
{
    if (off == DR)
        out((char)v);
    else
        regs[off / 4] = (uint32_t)v;
    // The transmitter is always ready for more: say so while the guest asks.
    if ((off == DR || off == IMSC) && (regs[IMSC / 4] & INT_TX))
        sg_vcpu_inject(VCPU, UART_INTID);
}

bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    (void)msginfo;
    (void)reply;
    uint64_t esr = microkit_mr_get(0), addr = microkit_mr_get(1), kind = microkit_mr_get(3);
    if (kind == SG_FAULT_VCPU_OFF) {
        sg_printf("vmm: guest powered off (psci 0x%lx)\n", addr);
        sg_dbg_exit(0);
    }
    struct sg_vcpu_regs r;
    struct sg_mmio m;
    // Any vCPU of the guest may touch the UART (SMP guests).
    if (kind == SG_FAULT_STAGE2 && sg_mmio_decode(esr, addr, &m) && addr >= UART_GPA &&
        addr < UART_GPA + 0x1000 && sg_vcpu_read_regs(child, &r) == 0) {
        uint64_t off = (addr - UART_GPA) & ~3ull;
        if (m.write)
            uart_write(off, sg_mmio_store_value(&m, &r));
        sg_mmio_complete(&m, &r, m.write ? 0 : uart_read(off));
        return sg_vcpu_write_regs(child, &r) == 0;
    }
    sg_printf("vmm: unhandled guest fault kind %lu esr 0x%lx addr 0x%lx pc 0x%lx\n", kind, esr,
              addr, microkit_mr_get(2));
    return false;
}
