// SPDX-License-Identifier: BSD-2-Clause
// Stage-2 descriptors (Arm ARM D8.3): bits 1:0 say table/page (0b11) or
// block (0b01); leaves carry MemAttr[5:2], S2AP[7:6] (bit 6 read, bit 7
// write), SH[9:8], AF[10] and XN[54].  While building, a table
// descriptor holds the next table's index; s2_finalize turns it into a PA.
#include "link/stage2.h"
#include "base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DESC_VALID  1ull
#define DESC_TABLE  3ull // also "page" at level 3
#define DESC_BLOCK  1ull
#define ATTR_NORMAL (0xfull << 2) // Normal, inner and outer write-back
#define ATTR_DEVICE (0x1ull << 2) // Device-nGnRE
#define ATTR_S2AP_R (1ull << 6)
#define ATTR_S2AP_W (1ull << 7)
#define ATTR_SH_IS  (3ull << 8)
#define ATTR_AF     (1ull << 10)
#define ATTR_XN     (1ull << 54)
#define ADDR_MASK   0x0000fffffffff000ull

static int new_table(struct s2 *s, int level)
{
    s->tables = xrealloc(s->tables, (size_t)(s->n + 1) * sizeof(*s->tables));
    s->levels = xrealloc(s->levels, (size_t)(s->n + 1) * sizeof(*s->levels));
    memset(s->tables[s->n], 0, sizeof(s->tables[s->n]));
    s->levels[s->n] = level;
    return s->n++;
}

void s2_init(struct s2 *s)
{
    memset(s, 0, sizeof(*s));
    new_table(s, 1);
}

void s2_free(struct s2 *s)
{
    free(s->tables);
    free(s->levels);
    memset(s, 0, sizeof(*s));
}

static uint64_t leaf_attrs(unsigned perms, enum s2_mem mem)
{
    uint64_t a = ATTR_AF;
    a |= mem == S2_MEM_CACHED ? ATTR_NORMAL | ATTR_SH_IS : ATTR_DEVICE;
    if (perms & S2_PERM_R)
        a |= ATTR_S2AP_R;
    if (perms & S2_PERM_W)
        a |= ATTR_S2AP_W;
    if (!(perms & S2_PERM_X))
        a |= ATTR_XN;
    return a;
}

static unsigned shift_of(int level)
{
    return 39u - 9u * (unsigned)level; // level 1: 30, level 2: 21, level 3: 12
}

// The table below entry `idx` of table `t`, created on first use.
static int child(struct s2 *s, int t, unsigned idx)
{
    uint64_t d = s->tables[t][idx];
    if (d & DESC_VALID) {
        if ((d & 3) != DESC_TABLE) {
            fprintf(stderr, "sysgen: internal error: stage-2 block where a table is needed\n");
            abort();
        }
        return (int)((d & ADDR_MASK) >> 12);
    }
    int c = new_table(s, s->levels[t] + 1);
    s->tables[t][idx] = ((uint64_t)c << 12) | DESC_TABLE;
    return c;
}

void s2_map(struct s2 *s, uint64_t ipa, uint64_t pa, uint64_t size, unsigned perms,
            enum s2_mem mem)
{
    uint64_t attrs = leaf_attrs(perms, mem);
    while (size) {
        // 2 MiB blocks when both sides are aligned and enough is left.
        bool block = ((ipa | pa) & 0x1fffff) == 0 && size >= 0x200000;
        int t = 0;
        int leaf_level = block ? 2 : 3;
        for (int level = 1; level < leaf_level; level++)
            t = child(s, t, (unsigned)(ipa >> shift_of(level)) & 511);
        unsigned idx = (unsigned)(ipa >> shift_of(leaf_level)) & 511;
        if (s->tables[t][idx] & DESC_VALID) {
            fprintf(stderr, "sysgen: internal error: stage-2 overlap at IPA 0x%llx\n",
                    (unsigned long long)ipa);
            abort();
        }
        s->tables[t][idx] = (pa & ADDR_MASK) | attrs | (block ? DESC_BLOCK : DESC_TABLE);
        uint64_t step = block ? 0x200000 : 0x1000;
        ipa += step;
        pa += step;
        size -= step;
    }
}

void s2_finalize(struct s2 *s, uint64_t base_pa)
{
    for (int t = 0; t < s->n; t++) {
        if (s->levels[t] == 3)
            continue;
        for (int i = 0; i < 512; i++) {
            uint64_t d = s->tables[t][i];
            if ((d & 3) == DESC_TABLE) {
                uint64_t idx = (d & ADDR_MASK) >> 12;
                s->tables[t][i] = ((base_pa + idx * S2_TABLE_SIZE) & ADDR_MASK) | DESC_TABLE;
            }
        }
    }
}
