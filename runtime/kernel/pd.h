// SPDX-License-Identifier: BSD-2-Clause
// Protection domains as the kernel keeps them: the saved registers, the
// scheduling state, and what is pending for the PD's next wait.
#ifndef KERNEL_PD_H
#define KERNEL_PD_H

#include <stdbool.h>
#include <stdint.h>
#include <sysgen/bootinfo.h>
#include <sysgen/hypercall.h>
#include "ctx.h"
#include "vgic.h"

enum pd_state {
    PD_RUNNABLE, // ready to run (or running)
    PD_WAITING,  // in SG_SYS_WAIT: runs again when an event arrives
    PD_CALLING,  // in SG_SYS_PPCALL: runs again when the callee replies
    PD_STOPPED,  // faulted (or a vCPU not started); runs only if its parent resumes it
    PD_WFI,      // a vCPU idle in WFI: runs again when an interrupt is pending for it
};

// EL1 system registers a PD or vCPU owns; switched only when it changes.
// PDs run with stage 1 off, but they are EL1 code and could set any of
// these, so all of them are switched for every kind of thread.
struct el1_regs {
    uint64_t sp_el1, sp_el0, vbar, elr, spsr, esr, far, tpidr, tpidr_el0, tpidrro_el0, sctlr, cpacr,
        cntkctl, ttbr0, ttbr1, tcr, mair, amair, contextidr, par, afsr0, afsr1, csselr, cntv_ctl,
        cntv_cval;
};

// FP/SIMD registers: only vCPUs may use them (PDs trap with CPTR_EL2.TFP).
struct fpsimd {
    uint64_t q[64];
    uint64_t fpsr, fpcr;
};

struct pd {
    struct ctx ctx; // first: entry.S finds it through TPIDR_EL2
    struct el1_regs el1;
    struct fpsimd fp;
    const struct sg_pd_info *info;
    bool is_vcpu;
    uint64_t hcr;             // HCR_EL2 while this thread runs
    uint64_t cptr;            // CPTR_EL2 while this thread runs
    uint64_t cnthctl;         // CNTHCTL_EL2 while this thread runs
    struct vgic_cpu vgic;     // vCPUs: redistributor and list registers
    struct vgic_dist *dist;   // vCPUs: their VM's distributor
    struct sg_ipcbuf *ipcbuf; // physical address = the kernel's (identity map)
    enum pd_state state;
    uint64_t pending;       // notification and irq ids signalled, not yet delivered
    uint64_t fault_pending; // ids of children whose fault is not yet delivered
    struct pd *caller;      // whose ppcall this PD is serving
    // PD_CALLING: the server called.  Until the server takes the call (it
    // was busy on another core when called), the call waits here.
    struct pd *callee;
    uint64_t call_msginfo, call_badge;
    // The last fault, kept for the parent's fault() (mr[0..3]).
    uint64_t fault_esr, fault_addr, fault_pc, fault_kind;
    uint64_t fault_va; // vCPUs: the guest's virtual address of a stage-2 fault (FAR_EL2)
};

extern struct pd pds[SG_MAX_PDS];
extern unsigned npds;
extern const struct sg_bootinfo *bootinfo;

void pd_init_all(const struct sg_bootinfo *bi);
// Make `next` the thread whose EL1 state and stage-2 tables are live on
// this core (saving the one that was).
void pd_load(struct pd *next);
// Save the loaded thread's state to memory and load none: the core is going
// to idle, and another core may now change that thread.
void pd_park(void);
// True if `p`'s registers are live on another core: its saved state may
// not be changed from here.
bool pd_loaded_elsewhere(const struct pd *p);
// Make `p` runnable (from any core): its core schedules again.
void pd_wake(struct pd *p);
// Stop `p` (from any core); if it is running on another core it leaves it
// when that core takes the kick.
void pd_stop(struct pd *p);
// Something `p` may take now is new (a virtual interrupt): if it is
// runnable on another core, that core looks again.
void pd_touch(const struct pd *p);
// Hand the PD its next event, or block it in PD_WAITING if there is none:
// a child's fault, then a call waiting for it, then notifications.
void pd_deliver_or_wait(struct pd *p);
// Give server `s` (waiting) the call of `caller`.
void pd_take_call(struct pd *s, struct pd *caller);
// Signal ids `bits` of PD `p`.
void pd_signal(struct pd *p, uint64_t bits);
// Stop `p` after a fault, tell its parent, and report it on the console
// (except a vCPU's traps, which are its VMM's daily work).
void pd_fault(struct pd *p, uint64_t kind, uint64_t esr, uint64_t addr, uint64_t pc);
// The child `id` of PD `parent`, or NULL.
struct pd *pd_child(struct pd *parent, uint64_t id);

// fpsimd.S
void fpsimd_save(struct fpsimd *f);
void fpsimd_restore(const struct fpsimd *f);

static inline struct pd *pd_of_ctx(struct ctx *c)
{
    return (struct pd *)c;
}

#endif
