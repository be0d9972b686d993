// SPDX-License-Identifier: BSD-2-Clause
// The data model the compiler's passes share: the system the YAML
// describes (filled by front/read.c), partition starts and everything else
// layout decides (filled by layout/).  Positions point back at the YAML so
// every later error can name its line.
#ifndef SYSGEN_MODEL_H
#define SYSGEN_MODEL_H

#include "base/diag.h"
#include "base/units.h"
#include "board/board.h"
#include "front/tree.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// ---- system (the YAML, typed by front/read.c) -----------------------------

// The device classes a guest can have, in the order of their virtio-mmio
// slots; classes/ describes each one.
enum device_class_id { CLASS_CONSOLE, CLASS_BLOCK, CLASS_NET, CLASS_VSOCK, CLASS_COUNT };

// One of a guest's devices, as the YAML wrote it (console: {...}).
struct guest_device {
    bool present;
    struct pos pos;
};

struct partition {
    bool boot; // the FAT boot partition sysgen adds on a boot card
    char *name;
    struct pos pos, size_pos, start_pos;
    uint64_t size;
    bool start_given;
    uint64_t start; // bytes from the disk start; place_partitions() fills it when not given
    char *label;    // FAT volume label (upper case, at most 11 characters)
    char **files;   // host files to copy into the root directory
    struct pos *file_pos;
    size_t nfiles;
    int index;                // MBR slot, 1-based
    const struct guest *user; // the guest whose block device this is
};

// A boot card: the disk the board boots from (the board's `card:`, or
// --sdcard).  Its partition 1 is the boot partition, a FAT file system
// holding loader.img and U-Boot's boot files; the YAML's partitions
// follow it.  The image is OUT/sdcard.img instead of OUT/disk.img.
#define BOOT_PARTITION_NAME    "boot"
#define DEFAULT_BOOT_SIZE      (128 * MiB)

struct disk {
    bool present;
    bool card;
    struct pos pos, size_pos;
    uint64_t size;
    uint64_t boot_size; // card only
    struct pos boot_size_pos;
    struct partition *parts;
    size_t nparts;
};

// vCPUs one guest may have: the kernel's virtual GIC routes SGIs by a
// 16-bit target list and emulates one redistributor frame per vCPU.
#define GUEST_MAX_VCPUS 8

// Every guest's vCPUs run at this priority, one below their VMM's: a VMM
// takes a device event (a notification from a virtualiser) as soon as it
// comes, preempting the vCPUs on its core, and vCPUs sharing a core take
// turns.
#define GUEST_VCPU_PRIORITY 99

struct guest {
    char *name;
    struct pos pos, memory_pos;
    char *kernel, *initrd; // as written ("default" or a path)
    struct pos kernel_pos, initrd_pos;
    char *kernel_path, *initrd_path; // resolved host paths
    uint64_t kernel_size, initrd_size;
    uint64_t kernel_text_offset, kernel_image_size; // from the arm64 Image header
    uint64_t memory;
    // The vCPUs (cpus: N) and the core each runs on: asked for (core:,
    // cores:), or placed by layout (layout/cores.c).
    uint32_t ncpus;
    bool cpus_given, core_given, cores_given;
    struct pos cpus_pos, core_pos; // core_pos: where core: or cores: is
    uint32_t ncores_listed;
    uint32_t core[GUEST_MAX_VCPUS];
    char *bootargs;
    char *base_dts; // NULL: the board's base guest tree
    struct pos base_dts_pos;
    void *base_dtb; // the base tree, compiled by check
    size_t base_dtb_size;
    struct guest_device dev[CLASS_COUNT];
    // class keys: block's partition, net's MAC, vsock's CID
    char *partition;
    struct pos partition_pos;
    bool mac_given;
    uint8_t mac[6];
    struct pos mac_pos;
    // net's address: ip: A.B.C.D/P or dhcp, gateway: A.B.C.D (host order)
    bool ip_given, ip_dhcp, gateway_given;
    uint32_t ip, gateway;
    uint8_t prefix;
    struct pos ip_pos, gateway_pos;
    bool cid_given;
    uint32_t cid;
    struct pos cid_pos;
    // layout
    struct partition *part;
    uint64_t ram_paddr;
    uint64_t kernel_gpa, dtb_gpa, initrd_gpa;
    struct pd *vmm;
};

// ---- layout results -------------------------------------------------------

struct memory_region {
    char *name;
    uint64_t size, paddr;
    uint64_t page_size;
    bool device;    // MMIO: fixed address, never allocated from RAM
    struct pos pos; // the YAML it came from
};

struct mapping {
    struct memory_region *mr;
    uint64_t vaddr;
    char perms[4]; // "r", "rw", "rx", "rwx"
    bool cached;
    char *setvar_vaddr; // NULL or a symbol name
};

struct pd_irq {
    uint32_t irq, id;
};

struct pd {
    char *name;
    char *program_image; // the component ELF it runs
    uint16_t kind;       // SYSGEN_KIND_*: which component, which config struct
    uint32_t priority;
    uint32_t cpu; // the core it runs on
    struct pos pos;
    struct mapping *maps;
    size_t nmaps;
    struct pd_irq *irqs;
    size_t nirqs;
    uint32_t next_id;    // next free channel/irq id in this PD
    uint64_t next_vaddr; // next free virtual address for a mapping
    struct guest *guest;               // VMM and per-guest PDs: the guest served
    struct memory_region *guest_ram; // VMM only: the RAM of the VM it runs
    void *config; // the sysgen_*_config bytes for this PD
    size_t config_size;
};

struct channel {
    struct pd *a, *b;
    uint32_t id_a, id_b;
    char *why;       // what it carries: a comment in the SDF
    struct pos pos;  // the YAML it came from
};

struct layout {
    struct pd **pds;
    size_t npds;
    struct memory_region **mrs;
    size_t nmrs;
    struct channel *channels;
    size_t nchannels;
    uint64_t pool_next, pool_end; // physical allocator over the board's RAM
    uint32_t ncores;              // cores the system uses: 1 + the highest placed
};

struct system {
    char *name; // the YAML file's base name without extension
    char *path; // the YAML file as given
    char *dir;  // its directory: relative paths in it resolve here
    char *board_name;
    struct pos board_pos;
    // network: { uplink: false }: the guests' NICs reach only each other
    bool no_uplink;
    struct board *board;
    struct disk disk;
    struct guest *guests;
    size_t nguests;
    struct layout layout;
    struct node *tree;
    // Where system.sdf will finally live (absolute): the SDF names the
    // guest images relative to it.  NULL: paths as sysgen was given them.
    char *sdf_dir;
};

// Where sysgen finds its boards and the default guest (main.c sets these).
struct sysgen_paths {
    const char *data_dir;  // the directory holding boards/
    const char *guest_dir; // build/guest: the default kernel and initrd
};
extern struct sysgen_paths sysgen_paths;

static inline bool guest_has(const struct guest *g, enum device_class_id c)
{
    return g->dev[c].present;
}

// A path written in the YAML, as the host sees it: relative paths are
// relative to the YAML file.  Caller frees.
char *system_path(const struct system *sys, const char *p);
// Frees the system, its board, its tree and its layout.
void system_free(struct system *sys);

#endif
