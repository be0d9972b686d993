// SPDX-License-Identifier: BSD-2-Clause
// Boot information: everything the kernel knows about the system, computed
// by the image linker (sysgen/link/bootinfo.c) and read by the kernel at boot.
//
// The kernel has no parser and no allocator: board facts, PDs, channel ends
// and the address of every PD's ready-made stage-2 tables arrive here as
// fixed-width little-endian data.  Host (x86-64/aarch64 LP64) and target both
// compile this header, so the static asserts below check the layout on both
// sides of the boundary.
#ifndef SYSGEN_BOOTINFO_H
#define SYSGEN_BOOTINFO_H

#include <stdint.h>

#define SG_BOOTINFO_MAGIC   0x4f464e4942475358ull // "XSGBINFO" little-endian
#define SG_BOOTINFO_VERSION 2

#define SG_MAX_PDS   63 // Microkit's limit; also keeps VMIDs in 8 bits
#define SG_MAX_CPUS  8  // cores the kernel drives (MPIDR Aff0 0..7)

// GICv3 layout (architectural): the distributor's size, and one
// redistributor (RD_base + SGI_base frames) per core or per vCPU.
#define SG_GICD_SIZE  0x10000
#define SG_GICR_FRAME 0x20000
#define SG_MAX_ENDS  62 // channel and irq ids 0..61, one namespace per PD
#define SG_NAME_LEN  64
#define SG_NO_PARENT 0xff

// The kernel's debug console device kind.
enum sg_uart_kind { SG_UART_NONE = 0, SG_UART_PL011 = 1, SG_UART_IMX = 2 };

// A schedulable thing: a protection domain, or one vCPU of a virtual
// machine.  A vCPU's parent is its VMM and its child_id the vCPU id; it has
// no program (entry, stack and IPC buffer are 0) and waits, stopped, until
// the VMM restarts it.
enum sg_pd_kind { SG_KIND_PD = 0, SG_KIND_VCPU = 1 };

// What one id of a PD's channel namespace refers to.
enum sg_end_kind { SG_END_NONE = 0, SG_END_CHANNEL = 1, SG_END_IRQ = 2 };

// sg_end.flags
#define SG_END_PP     0x1 // this PD may ppcall the peer through this id
#define SG_END_NOTIFY 0x2 // this PD may notify the peer through this id
#define SG_END_EDGE   0x4 // irq: edge-triggered (default level)

struct sg_end {
    uint8_t kind;    // enum sg_end_kind
    uint8_t flags;   // SG_END_*
    uint8_t peer_pd; // channel: index of the PD at the other end
    uint8_t peer_id; // channel: the id the peer knows this channel by
    uint32_t irq;    // irq: the GIC INTID delivered on this id
};

struct sg_pd_info {
    char name[SG_NAME_LEN]; // NUL-terminated
    uint64_t entry;         // IPA of the first instruction
    uint64_t stack_top;     // IPA, 16-byte aligned
    uint64_t ipcbuf_va;     // IPA of the IPC buffer page
    uint64_t ipcbuf_pa;     // where the kernel finds it
    uint64_t vttbr;         // stage-2 root table PA | VMID << 48
    uint8_t priority;       // 0..254, higher runs first
    uint8_t parent;         // PD index or SG_NO_PARENT
    uint8_t child_id;       // this PD's id in its parent's namespace
    uint8_t passive;        // 1: never scheduled unless called
    uint8_t kind;           // enum sg_pd_kind
    uint8_t cpu;            // the core it runs on, 0..ncpus-1
    uint8_t reserved[2];
    struct sg_end ends[SG_MAX_ENDS];
};

struct sg_bootinfo {
    uint64_t magic;   // SG_BOOTINFO_MAGIC
    uint32_t version; // SG_BOOTINFO_VERSION
    uint32_t size;    // bytes, including pds[]
    uint32_t npds;
    uint32_t flags; // reserved, 0
    // Board facts: data from runtime/boards/, never kernel constants.
    uint64_t ram_base;
    uint64_t ram_size;
    uint64_t uart_base;
    uint32_t uart_kind; // enum sg_uart_kind
    uint32_t uart_irq;
    uint64_t gicd_base;
    uint64_t gicr_base;
    uint32_t sched_irq;    // INTID of the EL2 physical timer (CNTHP)
    uint32_t timeslice_us; // round robin between equal priorities
    uint32_t ncpus;        // cores the kernel starts: 1 + the highest PD's cpu
    uint32_t reserved2;
    struct sg_pd_info pds[];
};

_Static_assert(sizeof(struct sg_end) == 8, "sg_end layout");
_Static_assert(__builtin_offsetof(struct sg_pd_info, entry) == 64, "sg_pd_info.entry");
_Static_assert(__builtin_offsetof(struct sg_pd_info, priority) == 104, "sg_pd_info.priority");
_Static_assert(__builtin_offsetof(struct sg_pd_info, kind) == 108, "sg_pd_info.kind");
_Static_assert(__builtin_offsetof(struct sg_pd_info, ends) == 112, "sg_pd_info.ends");
_Static_assert(sizeof(struct sg_pd_info) == 112 + 8 * SG_MAX_ENDS, "sg_pd_info layout");
_Static_assert(__builtin_offsetof(struct sg_bootinfo, ram_base) == 24, "sg_bootinfo.ram_base");
_Static_assert(__builtin_offsetof(struct sg_bootinfo, uart_kind) == 48, "sg_bootinfo.uart_kind");
_Static_assert(__builtin_offsetof(struct sg_bootinfo, sched_irq) == 72, "sg_bootinfo.sched_irq");
_Static_assert(sizeof(struct sg_bootinfo) == 88, "sg_bootinfo layout");

#endif
