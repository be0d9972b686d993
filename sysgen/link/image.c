// SPDX-License-Identifier: BSD-2-Clause
// The image is built in memory and written to a temporary name, then
// renamed: an interrupted run never leaves a half-written loader.img.
#include "link/image.h"
#include "base/diag.h"
#include "base/output.h"
#include "base/units.h"
#include "base/strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysgen/loadimage.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the image is written in host order");

// The loader as a flat binary from its lowest to its highest address,
// including its zero-filled tail, padded to SG_LOAD_ALIGN: the loader finds
// the payload at that same rounded end (__payload in loader.ld).
static bool loader_flat(const struct elf_image *l, struct strbuf *sb)
{
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int i = 0; i < l->nsegs; i++) {
        if (l->segs[i].vaddr < lo)
            lo = l->segs[i].vaddr;
        if (l->segs[i].vaddr + l->segs[i].memsz > hi)
            hi = l->segs[i].vaddr + l->segs[i].memsz;
    }
    if (l->nsegs == 0 || hi - lo > (16u << 20) || l->entry != lo)
        return false;
    uint64_t size = align_up(hi - lo, SG_LOAD_ALIGN);
    uint8_t *flat = xcalloc(1, (size_t)size);
    for (int i = 0; i < l->nsegs; i++)
        memcpy(flat + (l->segs[i].vaddr - lo), l->segs[i].data, (size_t)l->segs[i].memsz);
    const struct arm64_image_header *h = (const void *)flat;
    bool ok = size >= sizeof(*h) && h->magic == ARM64_IMAGE_MAGIC;
    if (ok)
        sb_add(sb, flat, (size_t)size);
    free(flat);
    return ok;
}

void chunks_add(struct chunks *c, uint64_t dest, uint64_t memsz, const uint8_t *data,
                uint64_t filesz, char *what)
{
    c->v = xrealloc(c->v, (size_t)(c->n + 1) * sizeof(*c->v));
    c->v[c->n++] = (struct chunk){dest, memsz, filesz, data, what};
}

void chunks_free(struct chunks *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->v[i].what);
    free(c->v);
    c->v = NULL;
    c->n = 0;
}

int image_write(const char *out_dir, const struct elf_image *loader, const struct chunks *c,
                uint64_t ram_base, uint64_t kernel_entry, uint64_t bootinfo_pa)
{
    const struct chunk *chunks = c->v;
    int nchunks = c->n;
    struct strbuf sb;
    sb_init(&sb);
    if (!loader_flat(loader, &sb)) {
        fatal_error("%s is not a sysgen loader (no arm64 Image header at its entry)", loader->path);
        sb_free(&sb);
        return 2;
    }
    size_t payload = sb.len;
    uint64_t off = sizeof(struct sg_load_header) + (uint64_t)nchunks * sizeof(struct sg_load_chunk);
    struct sg_load_chunk *table = xcalloc((size_t)nchunks + 1, sizeof(*table));
    for (int i = 0; i < nchunks; i++) {
        off = align_up(off, 8); // the loader copies words when both sides allow
        table[i] = (struct sg_load_chunk){chunks[i].dest, chunks[i].filesz ? off : 0,
                                          chunks[i].filesz, chunks[i].memsz};
        off += chunks[i].filesz;
    }
    struct sg_load_header hdr = {SG_LOAD_MAGIC, SG_LOAD_VERSION, (uint32_t)nchunks,
                                 kernel_entry,  bootinfo_pa,     align_up(off, 8)};
    sb_add(&sb, &hdr, sizeof(hdr));
    sb_add(&sb, table, (size_t)nchunks * sizeof(*table));
    for (int i = 0; i < nchunks; i++) {
        while (sb.len - payload < table[i].offset)
            sb_add(&sb, "", 1);
        if (chunks[i].filesz)
            sb_add(&sb, chunks[i].data, (size_t)chunks[i].filesz);
    }
    while ((sb.len - payload) % 8)
        sb_add(&sb, "", 1);
    free(table);
    // Tell the bootloader how much room to keep free from the load address.
    struct arm64_image_header *ih = (void *)sb.data;
    ih->image_size = align_up(sb.len, SG_LOAD_ALIGN);
    uint64_t at = ram_base + ih->text_offset;
    for (int i = 0; i < nchunks; i++)
        if (ranges_overlap(at, ih->image_size, chunks[i].dest, chunks[i].memsz)) {
            fatal_error("loader.img is %llu MiB: where it runs (0x%llx..0x%llx) it would be "
                        "overwritten by %s at 0x%llx; make the board's runtime_size larger "
                        "or the guests' files smaller",
                        (unsigned long long)(ih->image_size >> 20), (unsigned long long)at,
                        (unsigned long long)(at + ih->image_size), chunks[i].what,
                        (unsigned long long)chunks[i].dest);
            sb_free(&sb);
            return 2;
        }

    int rc = write_in_dir(out_dir, "loader.img", sb.data, sb.len) ? 0 : 2;
    sb_free(&sb);
    return rc;
}
