// SPDX-License-Identifier: BSD-2-Clause
// The PD-to-kernel interface: hypercall numbers, error codes and the IPC
// buffer layout, shared by the kernel and libmicrokit (and by the host
// linker, which places the IPC buffer and the stack).
//
// A PD calls the kernel with `hvc #0`: call number in x8, arguments in
// x0..x5, results in x0 (and x1, x2 for SG_SYS_WAIT / SG_SYS_REPLY_WAIT).
// Negative x0 is an SG_E_* error.
#ifndef SYSGEN_HYPERCALL_H
#define SYSGEN_HYPERCALL_H

#include <stdint.h>

enum sg_sys {
    SG_SYS_DBG_PUTS = 1,   // x0 = length of the text in ipcbuf->dbg
    SG_SYS_NOTIFY = 2,     // x0 = channel id
    SG_SYS_IRQ_ACK = 3,    // x0 = irq id
    SG_SYS_PPCALL = 4,     // x0 = channel id, x1 = msginfo -> x0 = reply msginfo
    SG_SYS_WAIT = 5,       // -> x0 = event, x1, x2 (see enum sg_event)
    SG_SYS_REPLY_WAIT = 6, // x0 = reply msginfo, then as SG_SYS_WAIT
    SG_SYS_FAULT = 7,      // x0 = ESR_EL1, x1 = FAR_EL1, x2 = ELR_EL1 (libmicrokit's vectors)
    SG_SYS_DBG_EXIT = 8,   // x0 = exit code: end the whole run (debug kernels, tests)
    // A parent's control of its children (child PDs and vCPUs), by child id:
    SG_SYS_CHILD_RESUME = 9,  // x0 = child: run a faulted child again where it stopped
    SG_SYS_VCPU_RESTART = 10, // x0 = vcpu, x1 = entry: (re)start at entry, EL1h, masked
    SG_SYS_VCPU_STOP = 11,    // x0 = vcpu
    SG_SYS_VCPU_READ = 12,    // x0 = vcpu: registers -> mr[] as struct sg_vcpu_regs
    SG_SYS_VCPU_WRITE = 13,   // x0 = vcpu: mr[] as struct sg_vcpu_regs -> registers
    SG_SYS_VCPU_INJECT = 14,  // x0 = vcpu, x1 = INTID: a virtual interrupt for the guest
    SG_SYS_PD_RESTART = 15,   // x0 = child PD, x1 = entry (0: its ELF entry): start afresh
    SG_SYS_PD_STOP = 16,      // x0 = child PD
    SG_SYS_VCPU_ABORT = 17,   // x0 = vcpu: its last stage-2 fault -> the guest, as an external abort
};

// What SG_SYS_WAIT returns in x0.
enum sg_event {
    SG_EV_NOTIFY = 1, // x1 = bitmask of channel/irq ids signalled
    SG_EV_PPCALL = 2, // x1 = channel id, x2 = msginfo; MRs in the IPC buffer
    SG_EV_FAULT = 3,  // x1 = child id, x2 = msginfo; mr[0..3] = ESR, FAR/IPA, PC, kind
};

#define SG_E_BADCALL -1 // unknown hypercall
#define SG_E_BADCH   -2 // id not a channel/irq of this PD, or wrong kind
#define SG_E_NOPERM  -3 // channel exists but this end may not do that
#define SG_E_BUSY    -4 // ppcall target is not waiting (faulted or stopped)
#define SG_E_BADARG  -5

#define SG_MAX_MRS 64
#define SG_DBG_MAX 1024

// Fault kinds reported in mr[3] of SG_EV_FAULT and on the console.
enum sg_fault_kind {
    SG_FAULT_STAGE2 = 1,    // access outside the PD's (or VM's) maps: mr[1] = the IPA
    SG_FAULT_EL1 = 2,       // exception the PD's own EL1 vectors reported
    SG_FAULT_VCPU_TRAP = 3, // a vCPU trapped on something for its VMM (ESR says what)
    SG_FAULT_VCPU_OFF = 4,  // a vCPU asked PSCI for SYSTEM_OFF/RESET: mr[1] = function id
};

// A vCPU's registers as SG_SYS_VCPU_READ/WRITE move them through mr[].
struct sg_vcpu_regs {
    uint64_t x[31];
    uint64_t pc;
    uint64_t spsr;
    uint64_t sp_el1;
    uint64_t sp_el0;
};
_Static_assert(sizeof(struct sg_vcpu_regs) == 35 * 8, "sg_vcpu_regs layout");

// One 4 KiB page per PD, mapped read-write at ipcbuf_va.
struct sg_ipcbuf {
    uint64_t mr[SG_MAX_MRS];
    char dbg[SG_DBG_MAX];
    uint8_t reserved[4096 - 8 * SG_MAX_MRS - SG_DBG_MAX];
};
_Static_assert(sizeof(struct sg_ipcbuf) == 4096, "IPC buffer is one page");

// Where the host linker places a PD's IPC buffer and stack (IPAs).  They sit
// far above where PD programs are linked (pd.ld) and below the 39-bit IPA
// limit of the stage-2 configuration.
#define SG_PD_IPCBUF_VA     0x4000000000ull
#define SG_PD_STACK_TOP     0x3fff000000ull
#define SG_PD_STACK_DEFAULT 0x2000ull

#endif
