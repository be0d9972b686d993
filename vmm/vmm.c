// SPDX-License-Identifier: BSD-2-Clause
// The VMM protection domain: one per guest.  It checks the config sysgen
// wrote into its .sysgen_config section, starts vCPU 0 on the kernel image
// that the system image already preloaded into guest RAM, and emulates the
// guest's virtio-mmio devices on the data aborts the kernel forwards.
// See docs/vmm.md.
#include <microkit.h>
#include <sysgen/bytes.h>
#include <sysgen/config.h>
#include <sysgen/mmio.h>
#include <sysgen/config_check.h>
#include "devices.h"
#include "guest_mem.h"

__attribute__((section(".sysgen_config"))) struct sysgen_vmm_config config;

#define BOOT_VCPU        0
#define ARM64_MAGIC      0x644d5241u // "ARM\x64" at offset 0x38 of an Image
#define FDT_MAGIC        0xd00dfeedu
#define FDT_MAX_SIZE     0x200000u // booting.rst: the DTB must not exceed 2 MiB
#define SPSR_EL1H_MASKED 0x3c5u

#define PSCI_SYSTEM_OFF   0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

// ESR_EL2 of an abort from a lower EL (Arm ARM D17.2.37); <sysgen/mmio.h>
// decodes the rest of a data abort's syndrome (ISV, SAS, SSE, SRT, SF, WnR).
#define ESR_EC(e)   (((e) >> 26) & 0x3f)
#define EC_IABT_LOW 0x20
#define EC_DABT_LOW 0x24
#define ESR_S1PTW   (1ull << 7)
#define ESR_WNR     (1ull << 6)

static const char *guest = "?";
static struct guest_mem ram;
static bool running; // false: config unusable, or the guest was stopped

// Stop every vCPU of the guest and leave it stopped: its devices and
// inputs are dropped from now on.  Nothing else in the system is touched.
static void halt_guest(void)
{
    for (uint32_t i = 0; i < config.num_vcpus; i++)
        microkit_vcpu_stop(i);
    running = false;
    devices_halt();
}

static void stop_guest(const char *why)
{
    halt_guest();
    sg_printf("%s: guest %s stopped: %s\n", microkit_name, guest, why);
}

// --- config checks ----------------------------------------------------

static bool bad(const char *what)
{
    sg_printf("%s: unusable config: %s; guest not started\n", microkit_name, what);
    return false;
}

static bool name_ok(const char *s)
{
    for (unsigned i = 0; i < SYSGEN_NAME_LEN; i++)
        if (!s[i])
            return i > 0;
    return false;
}

static bool ram_ok(void)
{
    uint64_t size = config.ram_size;
    if (!size || (size & 0xfff) || (config.ram_gpa & 0xfff) || (config.ram_vaddr & 0xfff) ||
        !config.ram_vaddr || config.ram_gpa + size < config.ram_gpa ||
        config.ram_vaddr + size < config.ram_vaddr || config.ram_gpa + size > (1ull << 39))
        return false;
    ram.base = (uint8_t *)config.ram_vaddr;
    ram.gpa = config.ram_gpa;
    ram.size = size;
    return true;
}

// The images the system image preloaded: an arm64 kernel Image wholly
// inside RAM, a flattened device tree of at most 2 MiB, the initrd.
static const char *images_bad(void)
{
    const uint8_t *img = gpa_to_va(&ram, config.kernel_gpa, 64);
    if (!img || (config.kernel_gpa & 0xfff))
        return "kernel address outside guest RAM";
    if (sg_le_get(img + 0x38, 4) != ARM64_MAGIC)
        return "no arm64 Image header at the kernel address";
    uint64_t image_size = sg_le_get(img + 0x10, 8);
    if (image_size && !gpa_to_va(&ram, config.kernel_gpa, image_size))
        return "kernel image_size runs past guest RAM";
    const uint8_t *dtb = gpa_to_va(&ram, config.dtb_gpa, 8);
    if (!dtb || (config.dtb_gpa & 7) || sg_be_get(dtb, 4) != FDT_MAGIC)
        return "no device tree at the DTB address";
    uint32_t dtb_size = (uint32_t)sg_be_get(dtb + 4, 4);
    if (dtb_size > FDT_MAX_SIZE || !gpa_to_va(&ram, config.dtb_gpa, dtb_size))
        return "device tree size";
    if (config.initrd_size && !gpa_to_va(&ram, config.initrd_gpa, config.initrd_size))
        return "initrd outside guest RAM";
    return NULL;
}

static bool config_ok(void)
{
    if (!sg_config_ok(&config.header, SYSGEN_KIND_VMM, sizeof(config)))
        return false;
    if (!name_ok(config.guest_name))
        return bad("guest name");
    guest = config.guest_name;
    if (config.num_vcpus < 1 || config.num_vcpus > SYSGEN_MAX_CHANNEL_ID + 1)
        return bad("number of vCPUs");
    if (!ram_ok())
        return bad("guest RAM");
    const char *why = images_bad();
    if (!why)
        why = devices_attach(&config, &ram, guest);
    return why ? bad(why) : true;
}

void init(void)
{
    if (!config_ok())
        return;
    // Linux's booting.rst: x0 = the DTB, x1..x3 = 0, MMU off, interrupts
    // masked; the kernel sets SPSR and the entry on restart.
    struct sg_vcpu_regs r = {0};
    r.x[0] = config.dtb_gpa;
    r.pc = config.kernel_gpa;
    r.spsr = SPSR_EL1H_MASKED;
    long err = sg_vcpu_write_regs(BOOT_VCPU, &r);
    if (err) {
        sg_printf("%s: cannot set vcpu %u registers (error %ld)\n", microkit_name, BOOT_VCPU, err);
        return;
    }
    running = true;
    sg_printf("%s: guest %s: starting vcpu %u at 0x%lx, dtb 0x%lx, %lu MiB RAM at 0x%lx\n",
              microkit_name, guest, BOOT_VCPU, config.kernel_gpa, config.dtb_gpa, ram.size >> 20,
              ram.gpa);
    microkit_vcpu_restart(BOOT_VCPU, config.kernel_gpa);
}

void notified(microkit_channel ch)
{
    devices_notified(ch, running);
}

// --- guest traps ------------------------------------------------------

// Emulate a load or store the data-abort syndrome describes completely.
static bool emulate_mmio(microkit_child vcpu, const struct sg_mmio *m, struct virtio_dev *d,
                         uint64_t base)
{
    struct sg_vcpu_regs r;
    if (sg_vcpu_read_regs(vcpu, &r))
        return false;
    uint64_t off = m->addr - base, val = 0;
    if (off & (m->size - 1)) {
        d->warn(d, "unaligned access, ignored; offset", off);
    } else {
        if (m->write)
            val = sg_mmio_store_value(m, &r);
        virtio_mmio_access(d, off, m->size, m->write, &val);
    }
    sg_mmio_complete(m, &r, val);
    return sg_vcpu_write_regs(vcpu, &r) == 0;
}

static bool guest_abort(microkit_child vcpu, uint64_t esr, uint64_t ipa, uint64_t pc)
{
    uint64_t ec = ESR_EC(esr), base = 0;
    struct virtio_dev *d = device_at(ipa, &base);
    struct sg_mmio m;
    if (d && ec == EC_DABT_LOW && !(esr & ESR_S1PTW)) {
        if (sg_mmio_decode(esr, ipa, &m)) {
            if (emulate_mmio(vcpu, &m, d, base))
                return true;
            stop_guest("the kernel refused to read or write its vCPU registers");
            return false;
        }
        sg_printf("%s: guest %s: access to virtio %s at 0x%lx without syndrome (pc 0x%lx, esr "
                  "0x%lx)\n",
                  microkit_name, guest, d->name, ipa, pc, esr);
        stop_guest("device access the VMM cannot decode");
        return false;
    }
    // Neither RAM nor a device: the guest gets what hardware would give
    // it, a synchronous external abort (Linux: SIGBUS for a user access).
    sg_printf("%s: guest %s: access to unmapped 0x%lx (%s, pc 0x%lx, esr 0x%lx)\n", microkit_name,
              guest, ipa,
              ec == EC_IABT_LOW ? "instruction fetch"
              : esr & ESR_WNR   ? "write"
                                : "read",
              pc, esr);
    if (sg_vcpu_inject_abort(vcpu) == 0)
        return false; // the kernel already made the vCPU runnable at its vector
    stop_guest("external abort (access to unmapped guest-physical memory) not deliverable");
    return false;
}

bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    (void)msginfo;
    (void)reply;
    uint64_t esr = microkit_mr_get(0), addr = microkit_mr_get(1), pc = microkit_mr_get(2),
             kind = microkit_mr_get(3);
    if (!running || child >= config.num_vcpus) {
        sg_printf("%s: guest %s: fault of vcpu %u ignored (guest not running)\n", microkit_name,
                  guest, child);
        return false;
    }
    switch (kind) {
    case SG_FAULT_STAGE2:
        return guest_abort(child, esr, addr, pc);
    case SG_FAULT_VCPU_OFF:
        if ((uint32_t)addr == PSCI_SYSTEM_OFF) {
            halt_guest();
            sg_printf("%s: guest %s powered off\n", microkit_name, guest);
        } else {
            // The kernel does not reload preloaded images, and the one in
            // RAM has run (its data and the freed initrd are gone): a reset
            // cannot start the guest afresh, so it ends like a power-off.
            stop_guest("it asked for a reset; images are not reloaded, so it stays off");
        }
        return false;
    default:
        sg_printf("%s: guest %s: unhandled trap (kind %lu, esr 0x%lx, pc 0x%lx)\n", microkit_name,
                  guest, kind, esr, pc);
        stop_guest("trap the VMM does not emulate");
        return false;
    }
}
