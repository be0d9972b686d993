// SPDX-License-Identifier: BSD-2-Clause
// Pass 2, check: every semantic rule over the model front/read.c built,
// each one named function, listed in `rules` at the end; then each device
// class's own rules (classes/).  Every rule has a case in tests/errors/
// that breaks it.
#include "check/check.h"
#include "base/array.h"
#include "base/strbuf.h"
#include "classes/class.h"
#include "emit/dt.h"

#include <sysgen/bytes.h>
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysgen/config.h>
#include <unistd.h>

#define MBR_SLOTS 4

static bool file_ok(const char *path, struct pos where, const char *what, uint64_t *size)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        error_at(where, "%s '%s' not found: %s", what, path, strerror(errno));
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        error_at(where, "%s '%s' is not a regular file", what, path);
        return false;
    }
    if (size)
        *size = (uint64_t)st.st_size;
    return true;
}

// ---- the semantic rules ------------------------------------------------------

// duplicate-guest: guest names are unique.
static void rule_duplicate_guest(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++)
        for (size_t j = 0; j < i; j++)
            if (sys->guests[i].name && sys->guests[j].name &&
                strcmp(sys->guests[i].name, sys->guests[j].name) == 0) {
                error_at(sys->guests[i].pos, "duplicate guest name '%s' (first used at line %d)",
                         sys->guests[i].name, sys->guests[j].pos.line);
                break;
            }
}

// duplicate-partition: partition names are unique.
static void rule_duplicate_partition(struct system *sys)
{
    for (size_t i = 0; i < sys->disk.nparts; i++)
        for (size_t j = 0; j < i; j++)
            if (sys->disk.parts[i].name && sys->disk.parts[j].name &&
                strcmp(sys->disk.parts[i].name, sys->disk.parts[j].name) == 0) {
                if (sys->disk.parts[j].boot)
                    error_at(sys->disk.parts[i].pos,
                             "partition name '%s' is the boot partition's on a boot card",
                             sys->disk.parts[i].name);
                else
                    error_at(sys->disk.parts[i].pos,
                             "duplicate partition name '%s' (first used at line %d)",
                             sys->disk.parts[i].name, sys->disk.parts[j].pos.line);
                break;
            }
}

// too-many-partitions: an MBR has four slots, and on a boot card the
// boot partition takes the first.
static void rule_too_many_partitions(struct system *sys)
{
    if (sys->disk.nparts <= MBR_SLOTS)
        return;
    if (sys->disk.card)
        error_at(sys->disk.parts[MBR_SLOTS].pos,
                 "more than %d partitions on a boot card: an MBR disk has four primary slots, "
                 "and the boot partition takes the first",
                 MBR_SLOTS - 1);
    else
        error_at(sys->disk.parts[MBR_SLOTS].pos,
                 "more than %d partitions: an MBR disk has four primary slots", MBR_SLOTS);
}

// partition-alignment: partition starts and sizes are multiples of 4096
// bytes, and so is the disk size.
static void rule_partition_alignment(struct system *sys)
{
    if (sys->disk.present && !is_aligned(sys->disk.size, 4096))
        error_at(sys->disk.size_pos, "disk size %llu is not a multiple of 4096 bytes",
                 (unsigned long long)sys->disk.size);
    for (size_t i = 0; i < sys->disk.nparts; i++) {
        const struct partition *p = &sys->disk.parts[i];
        if (!is_aligned(p->size, 4096) || p->size == 0)
            error_at(p->size_pos, "partition size %llu is not a positive multiple of 4096 bytes",
                     (unsigned long long)p->size);
        if (p->start_given && !is_aligned(p->start, 4096))
            error_at(p->start_pos, "partition start %llu is not a multiple of 4096 bytes",
                     (unsigned long long)p->start);
    }
}

// partitions-fit: partitions (placed by place_partitions() where no start
// is given) start no earlier than the board allows, do not overlap, and
// end inside the disk.
static void rule_partitions_fit(struct system *sys)
{
    const struct disk *d = &sys->disk;
    if (!d->present || !sys->board)
        return;
    uint64_t next = sys->board->disk_first_offset;
    char a[32], b[32];
    for (size_t i = 0; i < d->nparts; i++) {
        const struct partition *p = &d->parts[i];
        if (p->start_given && p->start < next) {
            if (i == 0)
                error_at(p->start_pos,
                         "partition starts at %s, before %s where this board allows the first",
                         format_size(p->start, a), format_size(next, b));
            else
                error_at(p->start_pos, "partition starts at %s, inside partition '%s'",
                         format_size(p->start, a), d->parts[i - 1].name);
        }
        if (p->start + p->size < p->start) {
            error_at(p->size_pos, "partition '%s' ends past the end of any disk", p->name);
            return;
        }
        if (p->start + p->size > d->size) {
            char c[32];
            error_at(p->size_pos, "partition '%s' ends at %s, past the end of the %s disk%s%s%s",
                     p->name, format_size(p->start + p->size, a), format_size(d->size, b),
                     d->card ? " (a boot card: its boot partition takes " : "",
                     d->card ? format_size(d->boot_size, c) : "",
                     d->card ? "; make the disk larger or boot_size smaller)" : "");
            return;
        }
        next = p->start + p->size;
    }
}

// memory-alignment: guest RAM is a multiple of 2 MiB (stage-2 block size).
static void rule_memory_alignment(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++) {
        const struct guest *g = &sys->guests[i];
        if (g->memory_pos.line && (!is_aligned(g->memory, 2 * MiB) || g->memory == 0))
            error_at(g->memory_pos, "guest memory must be a positive multiple of 2 MiB");
    }
}

// memory-over-board: each guest, and all of them together, fit in the RAM
// the board leaves after the runtime.
static void rule_memory_over_board(struct system *sys)
{
    if (!sys->board)
        return;
    uint64_t pool = board_pool_size(sys->board), total = 0;
    char a[32], b[32];
    for (size_t i = 0; i < sys->nguests; i++) {
        const struct guest *g = &sys->guests[i];
        if (g->memory > pool) {
            error_at(g->memory_pos, "guest memory %s is more than the %s board '%s' has for guests",
                     format_size(g->memory, a), format_size(pool, b), sys->board->name);
            return;
        }
        total += g->memory;
        if (total > pool) {
            error_at(g->memory_pos,
                     "guests need %s of RAM up to here, more than the %s board '%s' has for guests",
                     format_size(total, a), format_size(pool, b), sys->board->name);
            return;
        }
    }
}

// file-missing: kernels, initrds, base trees and files to copy exist; a
// kernel is an arm64 Image; guest RAM holds kernel, initrd and device tree.
static void check_kernel(struct guest *g)
{
    if (!file_ok(g->kernel_path, g->kernel_pos, "kernel", &g->kernel_size))
        return;
    unsigned char h[64];
    FILE *f = fopen(g->kernel_path, "rb");
    size_t n = f ? fread(h, 1, sizeof(h), f) : 0;
    if (f)
        fclose(f);
    if (n < sizeof(h) || memcmp(h + 0x38, "ARM\x64", 4) != 0) {
        error_at(g->kernel_pos, "kernel '%s' is not an arm64 Linux Image (no ARM\\x64 magic)",
                 g->kernel_path);
        return;
    }
    g->kernel_text_offset = sg_le_get(h + 8, 8);
    g->kernel_image_size = sg_le_get(h + 16, 8);
    if (g->kernel_image_size == 0) { // before Linux 3.17: booting.rst says assume 0x80000
        g->kernel_text_offset = 0x80000;
        g->kernel_image_size = g->kernel_size;
    }
    // An Image header is untrusted input too: bound what it claims.
    if (g->kernel_image_size < g->kernel_size || g->kernel_image_size > 1 * GiB ||
        g->kernel_text_offset >= 2 * MiB || !is_aligned(g->kernel_text_offset, 4096))
        error_at(g->kernel_pos, "kernel '%s' has an inconsistent Image header", g->kernel_path);
}

static char *default_guest_file(const char *file)
{
    return xasprintf("%s/%s", sysgen_paths.guest_dir, file);
}

static void rule_file_missing(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++) {
        struct guest *g = &sys->guests[i];
        if (!g->kernel)
            continue;
        bool dk = strcmp(g->kernel, "default") == 0, di = strcmp(g->initrd, "default") == 0;
        g->kernel_path = dk ? default_guest_file("Image") : system_path(sys, g->kernel);
        g->initrd_path = di ? default_guest_file("initrd.cpio.gz") : system_path(sys, g->initrd);
        if ((dk && access(g->kernel_path, R_OK) != 0) || (di && access(g->initrd_path, R_OK) != 0))
            error_at(dk ? g->kernel_pos : g->initrd_pos,
                     "the default guest is not built (no %s): run 'make guest', or pass "
                     "--guest-dir",
                     dk && access(g->kernel_path, R_OK) != 0 ? g->kernel_path : g->initrd_path);
        else {
            check_kernel(g);
            file_ok(g->initrd_path, g->initrd_pos, "initrd", &g->initrd_size);
        }
        if (g->base_dts) {
            char *p = system_path(sys, g->base_dts);
            free(g->base_dts);
            g->base_dts = p;
            file_ok(p, g->base_dts_pos, "base device tree", NULL);
        }
    }
    for (size_t i = 0; i < sys->disk.nparts; i++) {
        const struct partition *p = &sys->disk.parts[i];
        uint64_t total = 0, size;
        for (size_t j = 0; j < p->nfiles; j++) {
            if (!file_ok(p->files[j], p->file_pos[j], "file to copy", &size))
                continue;
            total += size;
            for (size_t k = 0; k < j; k++) {
                char *x = xstrdup(p->files[j]), *y = xstrdup(p->files[k]);
                if (strcmp(basename(x), basename(y)) == 0)
                    error_at(p->file_pos[j], "two files named '%s' in partition '%s'", basename(x),
                             p->name);
                free(x);
                free(y);
            }
        }
        if (total > p->size / 2 && total > 0)
            error_at(p->size_pos, "files to copy (%llu bytes) do not fit in partition '%s'",
                     (unsigned long long)total, p->name);
    }
}

// memory-too-small: guest RAM holds the kernel image, the initrd and the
// 2 MiB device tree window at its top.
static void rule_memory_too_small(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++) {
        const struct guest *g = &sys->guests[i];
        if (!g->kernel_image_size || !g->memory)
            continue;
        uint64_t need = g->kernel_text_offset + align_up(g->kernel_image_size, 2 * MiB) +
                        align_up(g->initrd_size, 2 * MiB) + 2 * MiB;
        char a[32], b[32];
        if (need > g->memory)
            error_at(g->memory_pos,
                     "guest memory %s is too small for its kernel, initrd and device tree (%s)",
                     format_size(g->memory, a), format_size(align_up(need, 2 * MiB), b));
    }
}

// base-dts: the guest's base device tree (its own, or the board's)
// compiles; the blob is kept for emit.  Guests on the same tree share one
// dtc run.
static void rule_base_dts(struct system *sys)
{
    if (!sys->board)
        return;
    for (size_t i = 0; i < sys->nguests; i++) {
        struct guest *g = &sys->guests[i];
        const char *path = g->base_dts ? g->base_dts : sys->board->guest_base_dts;
        struct pos where = g->base_dts ? g->base_dts_pos : (struct pos){sys->board->file, 1, 1};
        if (!g->name || (g->base_dts && access(g->base_dts, R_OK) != 0))
            continue; // reported by file-missing
        const struct guest *same = NULL;
        for (size_t j = 0; j < i && !same; j++) {
            const struct guest *o = &sys->guests[j];
            const char *opath = o->base_dts ? o->base_dts : sys->board->guest_base_dts;
            if (o->base_dtb && strcmp(opath, path) == 0)
                same = o;
        }
        if (same) {
            g->base_dtb = memcpy(xmalloc(same->base_dtb_size), same->base_dtb, same->base_dtb_size);
            g->base_dtb_size = same->base_dtb_size;
            continue;
        }
        struct strbuf why;
        sb_init(&why);
        g->base_dtb = dts_compile(path, &g->base_dtb_size, &why);
        if (!g->base_dtb) {
            while (why.len && why.data[why.len - 1] == '\n')
                why.data[--why.len] = '\0';
            error_at(where, "base device tree '%s' does not compile:\n%s", path, why.data);
        }
        sb_free(&why);
    }
}

// board-device: the board has the hardware each of a guest's devices
// needs.
static void rule_board_device(struct system *sys)
{
    if (!sys->board)
        return;
    for (size_t i = 0; i < sys->nguests; i++)
        for (int k = 0; k < CLASS_COUNT; k++) {
            const struct device_class *c = device_classes[k];
            const struct guest *g = &sys->guests[i];
            if (guest_has(g, c->id) && class_has_driver(sys, c) &&
                !c->board_device(sys->board)->present)
                error_at(g->dev[c->id].pos, "board '%s' has no %s to back a %s device%s",
                         sys->board->name, c->board_device_name, c->key,
                         c->driverless ? " (network: { uplink: false } connects the guests "
                                         "only to each other)"
                                       : "");
        }
}

// guest-cores: 1..GUEST_MAX_VCPUS vCPUs; core: only for one vCPU, cores:
// one core per vCPU, not both; every core one the board has.
static void rule_guest_cores(struct system *sys)
{
    unsigned cores = sys->board ? sys->board->cores : 0;
    for (size_t i = 0; i < sys->nguests; i++) {
        struct guest *g = &sys->guests[i];
        if (g->ncpus < 1 || g->ncpus > GUEST_MAX_VCPUS) {
            error_at(g->cpus_given ? g->cpus_pos : g->core_pos,
                     "cpus %u: a guest has 1 to %d vCPUs", g->ncpus, GUEST_MAX_VCPUS);
            continue;
        }
        if (g->core_given && g->cores_given) {
            error_at(g->core_pos, "give core: or cores:, not both");
            continue;
        }
        if (g->core_given && g->ncpus > 1) {
            error_at(g->core_pos, "core: places a guest with one vCPU; this one has cpus: %u, "
                                  "so list a core for each: cores: [...]",
                     g->ncpus);
            continue;
        }
        if (g->cores_given && g->ncores_listed != g->ncpus) {
            error_at(g->core_pos, "cores lists %u core%s, but cpus: %u", g->ncores_listed,
                     g->ncores_listed == 1 ? "" : "s", g->ncpus);
            continue;
        }
        uint32_t listed = g->cores_given ? g->ncpus : g->core_given ? 1 : 0;
        for (uint32_t v = 0; cores && v < listed; v++)
            if (g->core[v] >= cores) {
                error_at(g->core_pos, "core %u: board '%s' has %u core%s (0..%u)", g->core[v],
                         sys->board->name, cores, cores == 1 ? "" : "s", cores - 1);
                break;
            }
    }
}

// too-many-pds / too-many-channels: the runtime's limits (PDs and vCPUs
// together, as the kernel counts threads), and the virtualisers' client
// tables.
static void rule_runtime_limits(struct system *sys)
{
    // The kernel schedules PDs and vCPUs alike.
    size_t threads = system_pd_count(sys);
    for (size_t i = 0; i < sys->nguests; i++)
        threads += sys->guests[i].ncpus;
    if (threads > SYSGEN_MAX_PDS)
        error_at(sys->guests[sys->nguests - 1].pos,
                 "this system needs %zu protection domains and vCPUs; the runtime allows %d",
                 threads, SYSGEN_MAX_PDS);
    size_t clients[CLASS_COUNT] = {0};
    for (size_t i = 0; i < sys->nguests; i++) {
        const struct guest *g = &sys->guests[i];
        size_t ch = vmm_channel_count(sys, g);
        if (ch > SYSGEN_MAX_CHANNEL_ID + 1)
            error_at(g->pos, "guest '%s' needs %zu channel ids; the runtime allows ids 0..%d",
                     g->name, ch, SYSGEN_MAX_CHANNEL_ID);
        for (int k = 0; k < CLASS_COUNT; k++) {
            const struct device_class *c = device_classes[k];
            if (guest_has(g, c->id) && ++clients[k] == c->max_clients + 1)
                error_at(g->dev[c->id].pos,
                         "guest '%s' is %s client %zu; at most %zu guests can have %s", g->name,
                         c->key, c->max_clients + 1, c->max_clients, c->key);
        }
    }
}

static const struct check_rule rules[] = {
    {"duplicate-guest", rule_duplicate_guest},
    {"duplicate-partition", rule_duplicate_partition},
    {"too-many-partitions", rule_too_many_partitions},
    {"partition-alignment", rule_partition_alignment},
    {"partitions-fit", rule_partitions_fit},
    {"memory-alignment", rule_memory_alignment},
    {"memory-over-board", rule_memory_over_board},
    {"file-missing", rule_file_missing},
    {"memory-too-small", rule_memory_too_small},
    {"base-dts", rule_base_dts},
    {"board-device", rule_board_device},
    {"guest-cores", rule_guest_cores},
    {"runtime-limits", rule_runtime_limits},
};

void check_system(struct system *sys)
{
    for (size_t i = 0; i < ARRAY_LEN(rules); i++)
        rules[i].fn(sys);
    for (int k = 0; k < CLASS_COUNT; k++)
        for (size_t i = 0; i < device_classes[k]->nrules; i++)
            device_classes[k]->rules[i].fn(sys);
}
