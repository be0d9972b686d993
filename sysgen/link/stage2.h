// SPDX-License-Identifier: BSD-2-Clause
// Stage-2 translation tables, built on the host.  The kernel never edits a
// table: it loads the root into VTTBR_EL2.  Shape: 4 KiB granule, 39-bit
// IPA, walk starting at level 1 (VTCR_EL2 T0SZ=25, SL0=1; see
// runtime/kernel/main.c), 2 MiB blocks where alignment allows.
#ifndef SYSGEN_LINK_STAGE2_H
#define SYSGEN_LINK_STAGE2_H

#include <stdbool.h>
#include <stdint.h>

#define S2_IPA_BITS 39
#define S2_PERM_R   1
#define S2_PERM_W   2
#define S2_PERM_X   4
#define S2_TABLE_SIZE 4096ull // one table: 512 descriptors, one 4 KiB page

struct s2 {
    uint64_t (*tables)[512]; // tables[0] is the level-1 root
    int *levels;
    int n;
};

// What a mapping's memory is to the CPU's caches.
enum s2_mem {
    S2_MEM_DEVICE, // Device-nGnRE: device registers, and SDF maps with cached="false"
    S2_MEM_CACHED, // Normal write-back, inner shareable: all other memory
};

void s2_init(struct s2 *s);
void s2_free(struct s2 *s);
// Map [ipa, ipa+size) to [pa, pa+size); all page aligned, caller checked
// that the range is free and below 1 << S2_IPA_BITS.
void s2_map(struct s2 *s, uint64_t ipa, uint64_t pa, uint64_t size, unsigned perms,
            enum s2_mem mem);
// Turn table indices into physical addresses once the tables' home
// (s->n consecutive 4 KiB pages at base_pa) is known.
void s2_finalize(struct s2 *s, uint64_t base_pa);

#endif
