// SPDX-License-Identifier: BSD-2-Clause
// The virtual GICv3 of each VM: a distributor and one redistributor per
// vCPU emulated in the kernel (so a guest's interrupt set-up never costs a
// trip to its VMM), and virtual interrupts delivered through the list
// registers of the GIC's virtual CPU interface.
#ifndef KERNEL_VGIC_H
#define KERNEL_VGIC_H

#include <stdbool.h>
#include <stdint.h>
#include <sysgen/bootinfo.h>

#define VGIC_LINES   256 // INTIDs 0..255: SGIs, PPIs and SPIs 32..255
#define VGIC_MAX_LRS 16

struct pd;

// Per VM: the distributor (SPIs).
struct vgic_dist {
    uint32_t ctlr;
    uint32_t enabled[VGIC_LINES / 32];
    uint32_t pending[VGIC_LINES / 32];
    uint32_t group[VGIC_LINES / 32];
    uint32_t cfg[VGIC_LINES / 16];
    uint8_t priority[VGIC_LINES];
    uint8_t route[VGIC_LINES]; // target vCPU id (Aff0)
    unsigned nvcpus;
};

// Per vCPU: its redistributor (SGIs, PPIs) and the virtual CPU interface.
struct vgic_cpu {
    uint32_t enabled, pending, group, cfg1, waker;
    uint8_t priority[32];
    uint64_t lr[VGIC_MAX_LRS];
    uint64_t vmcr, ap0r0, ap1r0;
    unsigned index; // redistributor frame number within the VM
    bool last;      // last frame of the VM
};

void vgic_init(const struct sg_bootinfo *bi);
// Save the live virtual CPU interface of the vCPU that trapped, and turn it
// off; restore it (with pending interrupts placed in free list registers)
// before returning to a vCPU.
void vgic_save(struct pd *v);
void vgic_restore(struct pd *v);
// Make interrupt `intid` pending for vCPU `v` (SPIs: for its VM); wakes the
// vCPU if it waits in WFI.  False if intid is out of range.
bool vgic_raise(struct pd *v, uint32_t intid);
// True if `v` has an interrupt to take (so WFI should not block).
bool vgic_has_work(struct pd *v);
// A data abort at `ipa` that lies in the virtual GIC: emulate it and
// return true (PC advanced), or false if it is not the GIC's.
bool vgic_mmio(struct pd *v, uint64_t esr, uint64_t ipa);
// A trapped ICC_SGI1R_EL1 write (ESR ISS of EC 0x18): send the SGI.
bool vgic_sysreg(struct pd *v, uint64_t esr);

#endif
