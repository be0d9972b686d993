// SPDX-License-Identifier: BSD-2-Clause
// Boot: check the boot info, turn the MMU on, bring up the console, prove
// the vector table works, set up what the cores share, configure each core
// for running PDs (this one, then the others as PSCI starts them), and
// start each core's first thread.
#include <stdint.h>
#include <sysgen/bootinfo.h>
#include "arch.h"
#include "console.h"
#include "cpu.h"
#include "ctx.h"
#include "gic.h"
#include "irq.h"
#include "lock.h"
#include "mmu.h"
#include "pd.h"
#include "sched.h"
#include "semihost.h"
#include "timer.h"
#include "vgic.h"

void kernel_main(const struct sg_bootinfo *bi, uint64_t dtb);
void secondary_main(uint64_t index);

struct ticket_lock kernel_lock;
static const struct sg_bootinfo *boot_info;

// VTCR_EL2: 39-bit IPA space (T0SZ 25) starting at level 1 (SL0 1), 4 KiB
// granule, inner-shareable write-back walks; PS from the CPU's PARange.
// The image linker builds the tables for exactly this shape (sysgen/link/stage2.c).
#define VTCR_T0SZ_39 25ull
#define VTCR_SL0_L1  (1ull << 6)
#define VTCR_IRGN_WB (1ull << 8)
#define VTCR_ORGN_WB (1ull << 10)
#define VTCR_SH_IS   (3ull << 12)
#define VTCR_RES1    (1ull << 31)


#define MDCR_TPMCR (1ull << 5)
#define MDCR_TPM   (1ull << 6)
#define MDCR_TDA   (1ull << 9)
#define MDCR_TDOSA (1ull << 10)
#define MDCR_TDRA  (1ull << 11)

static int selftest_taken;

void el2_exception(struct el2_frame *f, uint64_t kind)
{
    uint64_t esr = read_esr_el2();
    if (kind == 0 && esr_ec(esr) == EC_BRK && (esr & 0xffff) == 0x5e1f && !selftest_taken) {
        selftest_taken = 1;
        write_elr_el2(read_elr_el2() + 4);
        return;
    }
    kprintf("KERN|PANIC: exception at EL2: kind %u ESR %lx ELR %lx FAR %lx x0 %lx x30 %lx\n",
            (unsigned)kind, esr, read_elr_el2(), read_far_el2(), f->x[0], f->x[30]);
    semihost_exit(3);
}

static void el2_setup(void)
{
    uint64_t parange = read_id_aa64mmfr0_el1() & 0xf;
    if (parange > 5)
        parange = 5; // 48 bits is all a 4 KiB granule walk starting at L1 needs
    write_vtcr_el2(VTCR_T0SZ_39 | VTCR_SL0_L1 | VTCR_IRGN_WB | VTCR_ORGN_WB | VTCR_SH_IS |
                   (parange << 16) | VTCR_RES1);
    write_cptr_el2(CPTR_EL2_RES1);
    // PMU and debug registers would give every thread a cycle counter and
    // debug state shared with the others: trap them all (trap.c makes them
    // read as zero and ignores writes).  HPMN keeps its reset value, N.
    uint64_t pmcr_n;
    __asm__ volatile("mrs %0, pmcr_el0" : "=r"(pmcr_n));
    write_mdcr_el2(((pmcr_n >> 11) & 0x1f) | MDCR_TPMCR | MDCR_TPM | MDCR_TDA | MDCR_TDOSA |
                   MDCR_TDRA);
    write_cnthctl_el2(CNTHCTL_EL1PCTEN); // per thread from here on (pd_switch)
    write_cntvoff_el2(0);
    write_vmpidr_el2(read_mpidr_el1());
    write_hcr_el2(HCR_PD);
    isb();
    // No stale translations from firmware or a previous boot.
    __asm__ volatile("dsb ishst; tlbi alle1; dsb ish; isb" ::: "memory");
}

void kernel_main(const struct sg_bootinfo *bi, uint64_t dtb)
{
    if (bi->magic != SG_BOOTINFO_MAGIC || bi->version != SG_BOOTINFO_VERSION)
        semihost_exit(2); // no console: its address is in the boot info
    mmu_build(bi);
    mmu_enable();
    console_init(bi);
    kprintf("KERN|INFO: sysgen kernel at EL%u: %u PDs, RAM %lx+%lx, dtb %lx\n",
            (unsigned)(read_currentel() >> 2), bi->npds, bi->ram_base, bi->ram_size, dtb);

    // Take one breakpoint on purpose: from here on a kernel bug is reported
    // rather than silently hanging the machine.
    __asm__ volatile("brk #0x5e1f");
    if (!selftest_taken) {
        kprintf("KERN|PANIC: EL2 vector self-test did not trap\n");
        semihost_exit(3);
    }
    kprintf("KERN|INFO: EL2 vectors live (self-test breakpoint taken and reported)\n");

    if (cpu_index() != 0 || (read_mpidr_el1() & 0xff00ffff00ull) || bi->ncpus < 1 ||
        bi->ncpus > SG_MAX_CPUS) {
        kprintf("KERN|PANIC: boot core MPIDR %lx, %u cores asked for: the kernel starts on "
                "core 0 of one cluster and drives 1..%u cores\n",
                read_mpidr_el1(), bi->ncpus, SG_MAX_CPUS);
        semihost_exit(3);
    }
    boot_info = bi;
    ncpus = bi->ncpus;
    lock_take(&kernel_lock);
    gic_dist_init(bi);
    timer_init(bi);
    pd_init_all(bi);
    vgic_init(bi);
    irq_init(bi);
    cpu_start_secondaries(bi); // they wait for the lock
    secondary_main(0);
}

// Every core, core 0 too (which already holds the kernel lock): EL2 set
// up for threads, this core's GIC redistributor and timer, then its first
// thread.
void secondary_main(uint64_t index)
{
    if (index != 0) {
        mmu_enable();
        lock_take(&kernel_lock);
    }
    struct cpu *me = &cpus[index];
    me->index = (unsigned)index;
    el2_setup();
    gic_cpu_init(me);
    irq_cpu_init(boot_info, me->index);
    timer_cpu_init();
    me->online = true;
    if (ncpus > 1)
        kprintf("KERN|INFO: core %u of %u running\n", me->index, ncpus);
    struct pd *first = sched_pick(0, false);
    if (!first)
        first = idle_until_runnable();
    ctx_restore(enter(first));
}
