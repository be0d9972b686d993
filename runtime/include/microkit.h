// SPDX-License-Identifier: BSD-2-Clause
// The PD programming interface, with seL4 Microkit's names so that code
// written in Microkit/sDDF idiom reads the same here.  A PD defines init()
// and notified(), and optionally protected() and fault(); libmicrokit's
// event loop calls them.
#ifndef MICROKIT_H
#define MICROKIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sysgen/hypercall.h>

typedef unsigned int microkit_channel;
typedef unsigned int microkit_child;
typedef uint64_t microkit_msginfo;

void init(void);
void notified(microkit_channel ch);
microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo);
// Called when child `child` (a child PD or a vCPU) faults: mr 0..3 hold
// ESR, fault address (the IPA for stage-2 faults), PC and enum
// sg_fault_kind.  Returning true resumes the child where it stopped (a VMM
// first fixes its registers, e.g. advances the PC past an emulated access);
// false leaves it stopped.
bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo);

// The PD's name from the SDF, patched in by sysgen.
extern char microkit_name[64];

void microkit_notify(microkit_channel ch);
void microkit_irq_ack(microkit_channel ch);
microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msginfo);
void microkit_mr_set(unsigned mr, uint64_t value);
uint64_t microkit_mr_get(unsigned mr);
void microkit_dbg_putc(int c);
void microkit_dbg_puts(const char *s);

// Message info: a label and a count of message registers, laid out as seL4's.
static inline microkit_msginfo microkit_msginfo_new(uint64_t label, uint16_t count)
{
    return (label << 12) | (count & 0x7f);
}

static inline uint64_t microkit_msginfo_get_label(microkit_msginfo m)
{
    return m >> 12;
}

static inline uint64_t microkit_msginfo_get_count(microkit_msginfo m)
{
    return m & 0x7f;
}

// Child PDs, by child id: start again at `entry` (0: the ELF's entry) with
// fresh registers but the memory it had; or stop it.
void microkit_pd_restart(microkit_child pd, uint64_t entry);
void microkit_pd_stop(microkit_child pd);

// Virtual machines, by vCPU id (the VMM's child namespace).
void microkit_vcpu_restart(microkit_child vcpu, uint64_t entry);
void microkit_vcpu_stop(microkit_child vcpu);
// Priority, group and list-register index are the kernel's business here:
// they are accepted for source compatibility and ignored.
bool microkit_vcpu_arm_inject_irq(microkit_child vcpu, uint16_t irq, uint8_t priority,
                                  uint8_t group, uint8_t index);

// sysgen extensions.  The microkit_ calls above drop errors, as Microkit's
// do; these return the kernel's SG_E_* code (0 on success).
long sg_notify(microkit_channel ch);
long sg_irq_ack(microkit_channel ch);
// One formatted line, written atomically: %s %c %d %u %x, with l for 64-bit.
void sg_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
// A vCPU's general registers, PC, SPSR and stack pointers (while it is
// stopped, e.g. in fault()).  Return an SG_E_* code.
long sg_vcpu_read_regs(microkit_child vcpu, struct sg_vcpu_regs *regs);
long sg_vcpu_write_regs(microkit_child vcpu, const struct sg_vcpu_regs *regs);
long sg_vcpu_inject(microkit_child vcpu, uint32_t intid);
// Give a vCPU stopped by a stage-2 fault that fault as a synchronous
// external abort in the guest, and let it run (0, or SG_E_* if it was not
// stopped by a stage-2 data or instruction abort).
long sg_vcpu_inject_abort(microkit_child vcpu);
// End the whole run (debug kernels; tests use it to stop QEMU with a code).
_Noreturn void sg_dbg_exit(int code);

#endif
