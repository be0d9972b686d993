// SPDX-License-Identifier: BSD-2-Clause
// Pass 4, emit: every artefact, into the staging output.
#include "emit/emit.h"

#include <stdio.h>
#include <stdlib.h>

long long build_epoch(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    // FAT cannot store times before 1980-01-01 (315532800).
    if (!s || *end || v < 315532800)
        return 315532800;
    return v;
}

bool write_text(struct output *out, const char *rel, const struct system *sys,
                void (*fn)(const struct system *, struct strbuf *))
{
    struct strbuf sb;
    sb_init(&sb);
    fn(sys, &sb);
    bool ok = out_write(out, rel, sb.data, sb.len);
    sb_free(&sb);
    return ok;
}

bool emit_all(struct system *sys, struct output *out)
{
    // Every tool that stamps a time (mkimage, mcopy) reads this.
    char epoch[32];
    snprintf(epoch, sizeof(epoch), "%lld", build_epoch());
    setenv("SOURCE_DATE_EPOCH", epoch, 1);
    return write_text(out, "generated/system.sdf", sys, emit_sdf) &&
           write_text(out, "generated/memory-map.txt", sys, emit_memory_map) &&
           write_text(out, "generated/manifest.json", sys, emit_manifest) &&
           emit_configs(sys, out) && emit_guest_trees(sys, out) && emit_boot_files(sys, out) &&
           emit_disk(sys, out);
}

const char *mac_text(const uint8_t m[6], char buf[18])
{
    snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    return buf;
}
