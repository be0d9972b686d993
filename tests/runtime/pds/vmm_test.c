// SPDX-License-Identifier: BSD-2-Clause
// A minimal VMM: loads the tiny guest into its VM's RAM, starts vCPU 0,
// emulates a write-only UART data register and a flag register by decoding
// the data-abort syndrome, injects an SPI when the guest asks for one, and
// ends the run when the guest powers off.
#include <microkit.h>
#include <sysgen/mmio.h>

#define VCPU        0
#define GUEST_ENTRY 0x40000000ull
#define UART_DR     0x09000000ull
#define UART_FR     0x09000018ull

uint64_t guest_ram_vaddr; // patched by sysgen
extern const char guest_blob[], guest_blob_end[];

static char line[128];
static unsigned len;

void init(void)
{
    char *ram = (char *)guest_ram_vaddr;
    for (const char *p = guest_blob; p < guest_blob_end; p++)
        *ram++ = *p;
    sg_printf("vmm: guest image %u bytes, starting vcpu %u\n",
              (unsigned)(guest_blob_end - guest_blob), VCPU);
    microkit_vcpu_restart(VCPU, GUEST_ENTRY);
}

void notified(microkit_channel ch)
{
    (void)ch;
}

static bool is(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

// Emulate one MMIO access described by a data abort with a valid syndrome.
static bool emulate(uint64_t esr, uint64_t ipa, struct sg_vcpu_regs *r)
{
    struct sg_mmio m;
    if (!sg_mmio_decode(esr, ipa, &m))
        return false;
    if (ipa == UART_DR && m.write) {
        char c = (char)sg_mmio_store_value(&m, r);
        if (c == '\n' || len + 1 == sizeof(line)) {
            line[len] = 0;
            sg_printf("vmm: guest says: %s\n", line);
            len = 0;
            if (is(line, "guest: ready for spi"))
                sg_printf("vmm: injecting spi 40 -> %d\n", (int)sg_vcpu_inject(VCPU, 40));
        } else {
            line[len++] = c;
        }
    } else if (!(ipa == UART_FR && !m.write)) {
        return false;
    }
    sg_mmio_complete(&m, r, 0); // FR reads 0: transmit FIFO never full
    return true;
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
    if (child == VCPU && kind == SG_FAULT_STAGE2 && sg_vcpu_read_regs(VCPU, &r) == 0 &&
        emulate(esr, addr, &r) && sg_vcpu_write_regs(VCPU, &r) == 0)
        return true;
    sg_printf("vmm: cannot handle fault kind %lu esr 0x%lx addr 0x%lx pc 0x%lx\n", kind, esr, addr,
              microkit_mr_get(2));
    sg_dbg_exit(1);
}
