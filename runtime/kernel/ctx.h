// SPDX-License-Identifier: BSD-2-Clause
// The registers of a PD that the trap path (entry.S) saves and restores.
// EL1 system registers are switched in C (pd.c) only when the PD changes.
#ifndef KERNEL_CTX_H
#define KERNEL_CTX_H

#include <stdint.h>

struct ctx {
    uint64_t x[31];
    uint64_t elr;  // PC to return to (ELR_EL2)
    uint64_t spsr; // PSTATE to return with (SPSR_EL2)
    uint64_t pad;
};

// entry.S hard-codes these offsets.
_Static_assert(__builtin_offsetof(struct ctx, elr) == 248, "ctx.elr");
_Static_assert(__builtin_offsetof(struct ctx, spsr) == 256, "ctx.spsr");
_Static_assert(sizeof(struct ctx) == 272, "ctx size");

// Kinds of trap entry.S passes to trap_entry().
enum trap_kind { TRAP_SYNC = 0, TRAP_IRQ = 1, TRAP_FIQ = 2, TRAP_SERROR = 3 };

// Called by entry.S for every exception from a PD (EL1), with that PD's
// registers saved in `c`; returns the context to resume, possibly another
// PD's.  Never returns if nothing can ever run again.
struct ctx *trap_entry(struct ctx *c, uint64_t kind);

// Called by entry.S for an exception taken at EL2 itself: a kernel bug or
// the boot self-test.  Returns to the faulting instruction's successor only
// for the self-test breakpoint.
struct el2_frame {
    uint64_t x[31];
    uint64_t pad;
};
void el2_exception(struct el2_frame *f, uint64_t kind);

// entry.S: load `c` and return to its PD; never returns.
_Noreturn void ctx_restore(struct ctx *c);

// trap.c, for every core's first thread too: with the kernel lock held,
// the next thread this core runs (idling until there is one), and making
// `next` live on this core, dropping the lock; returns its context.
struct pd;
struct pd *idle_until_runnable(void);
struct ctx *enter(struct pd *next);

#endif
