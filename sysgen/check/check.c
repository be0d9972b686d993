// SPDX-License-Identifier: BSD-2-Clause
// Pass 2, check.  Reading (read_*) turns the tree into the model, applying
// the structural rules of check_shape.c; then each semantic rule below is
// one named function, listed in the `rules` table at the end, each with a
// test in tests/errors/ that triggers it.
#include "check/check.h"
#include "base/bytes.h"
#include "board/board.h"
#include "front/shape.h"
#include "emit/dt.h"
#include "base/strbuf.h"
#include "base/units.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysgen/config.h>
#include <unistd.h>

#define MAX_BOOTARGS 1024
#define MBR_SLOTS    4

struct sysgen_paths sysgen_paths = {".", "build/guest"};

// ---- reading ----------------------------------------------------------------

static bool parse_mac(const char *s, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
            return false;
        char hex[3] = {s[0], s[1], 0};
        mac[i] = (uint8_t)strtoul(hex, NULL, 16);
        s += 2;
        if (i < 5 && *s++ != ':')
            return false;
    }
    return *s == '\0';
}

static char *resolve_path(const struct system *sys, const char *p)
{
    if (p[0] == '/')
        return xstrdup(p);
    return xasprintf("%s/%s", sys->dir, p);
}

static void read_partition(struct system *sys, const struct node *n, struct partition *p)
{
    p->pos = n->pos;
    if (!rule_wrong_type(n, "partitions[]", T_MAP))
        return;
    rule_unknown_key(n, &schema_partition);
    get_string(n, &schema_partition, "name", &p->name, NULL);
    get_size(n, &schema_partition, "size", &p->size, &p->size_pos);
    p->start_given =
        map_get(n, "start") && get_size(n, &schema_partition, "start", &p->start, &p->start_pos);
    char *format = NULL;
    struct pos fpos;
    if (get_string(n, &schema_partition, "format", &format, &fpos) && strcmp(format, "fat") != 0)
        error_at(fpos, "unknown partition format '%s' (supported: fat)", format);
    free(format);
    struct pos lpos = p->pos;
    if (get_string(n, &schema_partition, "label", &p->label, &lpos)) {
        bool ok = strlen(p->label) >= 1 && strlen(p->label) <= 11;
        for (const char *c = p->label; ok && *c; c++)
            ok = isupper((unsigned char)*c) || isdigit((unsigned char)*c) || *c == '_' || *c == '-';
        if (!ok)
            error_at(lpos, "bad FAT label '%s': 1 to 11 of A-Z, 0-9, '_' and '-'", p->label);
    } else if (p->name) {
        p->label = xstrdup(p->name);
        p->label[strlen(p->label) > 11 ? 11 : strlen(p->label)] = '\0';
        for (char *c = p->label; *c; c++)
            *c = (char)toupper((unsigned char)*c);
    }
    const struct node *files;
    if (map_get(n, "files") && get_list(n, &schema_partition, "files", &files)) {
        p->files = xcalloc(files->count, sizeof(*p->files));
        p->file_pos = xcalloc(files->count, sizeof(*p->file_pos));
        for (size_t i = 0; i < files->count; i++) {
            const struct node *f = files->items[i];
            if (!rule_wrong_type(f, "files[]", T_STRING))
                continue;
            p->file_pos[p->nfiles] = f->pos;
            p->files[p->nfiles++] = resolve_path(sys, f->text);
        }
    }
}

static void read_disk(struct system *sys, const struct node *n)
{
    struct disk *d = &sys->disk;
    const struct node *parts;
    d->present = true;
    d->pos = n->pos;
    rule_unknown_key(n, &schema_disk);
    get_size(n, &schema_disk, "size", &d->size, &d->size_pos);
    if (!get_list(n, &schema_disk, "partitions", &parts))
        return;
    d->parts = xcalloc(parts->count, sizeof(*d->parts));
    d->nparts = parts->count;
    for (size_t i = 0; i < parts->count; i++) {
        d->parts[i].index = (int)i + 1;
        read_partition(sys, parts->items[i], &d->parts[i]);
    }
}

// A device block (console: {...}): present if written, keys checked.
static bool read_device(const struct node *g, const char *key, const struct object_spec *spec,
                        const struct node **dev, struct pos *pos)
{
    if (!map_get(g, key) || !get_map(g, &schema_guest, key, dev))
        return false;
    rule_unknown_key(*dev, spec);
    *pos = (*dev)->pos;
    return true;
}

static void read_guest(const struct node *n, struct guest *g)
{
    const struct node *dev;
    g->pos = n->pos;
    if (!rule_wrong_type(n, "guests[]", T_MAP))
        return;
    rule_unknown_key(n, &schema_guest);
    get_string(n, &schema_guest, "name", &g->name, NULL);
    g->kernel_pos = g->initrd_pos = n->pos;
    if (!get_string(n, &schema_guest, "kernel", &g->kernel, &g->kernel_pos))
        g->kernel = xstrdup("default");
    if (!get_string(n, &schema_guest, "initrd", &g->initrd, &g->initrd_pos))
        g->initrd = xstrdup("default");
    get_size(n, &schema_guest, "memory", &g->memory, &g->memory_pos);
    struct pos bpos;
    if (!get_string(n, &schema_guest, "bootargs", &g->bootargs, &bpos))
        g->bootargs = xstrdup("");
    else if (strlen(g->bootargs) > MAX_BOOTARGS)
        error_at(bpos, "bootargs longer than %d characters", MAX_BOOTARGS);
    get_string(n, &schema_guest, "base_dts", &g->base_dts, &g->base_dts_pos);
    g->console = read_device(n, "console", &schema_console, &dev, &g->console_pos);
    if ((g->block = read_device(n, "block", &schema_block, &dev, &g->block_pos)))
        get_string(dev, &schema_block, "partition", &g->partition, &g->partition_pos);
    if ((g->net = read_device(n, "net", &schema_net, &dev, &g->net_pos))) {
        char *mac = NULL;
        if (map_get(dev, "mac") && get_string(dev, &schema_net, "mac", &mac, &g->mac_pos)) {
            g->mac_given = parse_mac(mac, g->mac);
            if (!g->mac_given)
                error_at(g->mac_pos,
                         "malformed MAC '%s': write six hex pairs like 52:54:00:12:34:56", mac);
        }
        free(mac);
    }
    if ((g->vsock = read_device(n, "vsock", &schema_vsock, &dev, &g->vsock_pos))) {
        uint64_t cid;
        if (map_get(dev, "cid") && get_uint(dev, &schema_vsock, "cid", &cid, &g->cid_pos)) {
            if (cid > UINT32_MAX - 1)
                error_at(g->cid_pos, "CID %llu does not fit in 32 bits", (unsigned long long)cid);
            else {
                g->cid = (uint32_t)cid;
                g->cid_given = true;
            }
        }
    }
}

static void read_system(struct system *sys, const struct node *root)
{
    char *board = NULL;
    const struct node *n;
    if (!rule_wrong_type(root, "the system", T_MAP))
        return;
    rule_unknown_key(root, &schema_system);
    if (get_string(root, &schema_system, "board", &board, &sys->board_pos)) {
        sys->board_name = board;
        sys->board = board_load(sysgen_paths.data_dir, board, sys->board_pos);
    }
    if (map_get(root, "disk") && get_map(root, &schema_system, "disk", &n))
        read_disk(sys, n);
    if (get_list(root, &schema_system, "guests", &n)) {
        if (n->count == 0)
            error_at(n->pos, "a system needs at least one guest");
        sys->guests = xcalloc(n->count, sizeof(*sys->guests));
        sys->nguests = n->count;
        for (size_t i = 0; i < n->count; i++)
            read_guest(n->items[i], &sys->guests[i]);
    }
}

// ---- helpers the rules share ---------------------------------------------------

uint64_t board_pool_size(const struct board *b)
{
    return b->ram_size - b->runtime_size;
}

size_t system_pd_count(const struct system *sys)
{
    bool console = false, block = false, net = false;
    size_t n = sys->nguests; // one VMM each
    for (size_t i = 0; i < sys->nguests; i++) {
        console |= sys->guests[i].console;
        block |= sys->guests[i].block;
        if (sys->guests[i].net) {
            net = true;
            n++; // its rx copier
        }
    }
    return n + (console ? 3 : 0) + (block ? 2 : 0) + (net ? 3 : 0);
}

size_t vmm_channel_count(const struct system *sys, const struct guest *g)
{
    size_t n = (g->console ? 2 : 0) + (g->block ? 1 : 0) + (g->net ? 2 : 0);
    if (g->vsock)
        for (size_t i = 0; i < sys->nguests; i++)
            n += sys->guests[i].vsock && &sys->guests[i] != g;
    return n;
}

static struct partition *find_partition(const struct system *sys, const char *name)
{
    for (size_t i = 0; name && i < sys->disk.nparts; i++)
        if (sys->disk.parts[i].name && strcmp(sys->disk.parts[i].name, name) == 0)
            return &sys->disk.parts[i];
    return NULL;
}

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
                error_at(sys->disk.parts[i].pos,
                         "duplicate partition name '%s' (first used at line %d)",
                         sys->disk.parts[i].name, sys->disk.parts[j].pos.line);
                break;
            }
}

// bad-mac: a given MAC is unicast and not all zero.
static void rule_bad_mac(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++) {
        const struct guest *g = &sys->guests[i];
        if (!g->mac_given)
            continue;
        static const uint8_t zero[6];
        if (memcmp(g->mac, zero, 6) == 0)
            error_at(g->mac_pos, "MAC 00:00:00:00:00:00 is not a usable address");
        else if (g->mac[0] & 1)
            error_at(g->mac_pos,
                     "MAC %02x:%02x:%02x:%02x:%02x:%02x is multicast (lowest bit of the first "
                     "byte set); a NIC needs a unicast address",
                     g->mac[0], g->mac[1], g->mac[2], g->mac[3], g->mac[4], g->mac[5]);
    }
}

// duplicate-mac: given MACs are unique.
static void rule_duplicate_mac(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++)
        for (size_t j = 0; j < i; j++)
            if (sys->guests[i].mac_given && sys->guests[j].mac_given &&
                memcmp(sys->guests[i].mac, sys->guests[j].mac, 6) == 0) {
                error_at(sys->guests[i].mac_pos, "duplicate MAC: guest '%s' has it too (line %d)",
                         sys->guests[j].name ? sys->guests[j].name : "?",
                         sys->guests[j].mac_pos.line);
                break;
            }
}

// bad-cid: CIDs 0, 1 and 2 are reserved by vsock (hypervisor, local, host).
static void rule_bad_cid(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++)
        if (sys->guests[i].cid_given && sys->guests[i].cid < 3)
            error_at(sys->guests[i].cid_pos, "CID %u is reserved: guest CIDs start at 3",
                     sys->guests[i].cid);
}

// duplicate-cid: given CIDs are unique.
static void rule_duplicate_cid(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++)
        for (size_t j = 0; j < i; j++)
            if (sys->guests[i].cid_given && sys->guests[j].cid_given &&
                sys->guests[i].cid == sys->guests[j].cid) {
                error_at(sys->guests[i].cid_pos,
                         "duplicate CID %u: guest '%s' has it too (line %d)", sys->guests[i].cid,
                         sys->guests[j].name ? sys->guests[j].name : "?",
                         sys->guests[j].cid_pos.line);
                break;
            }
}

// partition-missing / partition-shared: each block device names an existing
// partition, and no partition serves two guests.
static void rule_partition_use(struct system *sys)
{
    for (size_t i = 0; i < sys->nguests; i++) {
        struct guest *g = &sys->guests[i];
        if (!g->block || !g->partition)
            continue;
        struct partition *p = find_partition(sys, g->partition);
        if (!p) {
            if (!sys->disk.present)
                error_at(g->partition_pos, "no partition '%s': the system has no disk",
                         g->partition);
            else
                error_at(g->partition_pos, "no partition named '%s' on the disk", g->partition);
            continue;
        }
        if (p->user) {
            error_at(g->partition_pos, "partition '%s' is already the disk of guest '%s' (line %d)",
                     p->name, p->user->name, p->user->partition_pos.line);
            continue;
        }
        p->user = g;
        g->part = p;
    }
}

// too-many-partitions: an MBR has four slots.
static void rule_too_many_partitions(struct system *sys)
{
    if (sys->disk.nparts > MBR_SLOTS)
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

// partitions-fit: partitions are placed in order (packed, each start 1 MiB
// aligned unless given), start no earlier than the board allows, do not
// overlap, and end inside the disk.
static void rule_partitions_fit(struct system *sys)
{
    struct disk *d = &sys->disk;
    if (!d->present || !sys->board)
        return;
    uint64_t next = sys->board->disk_first_offset;
    char a[32], b[32];
    for (size_t i = 0; i < d->nparts; i++) {
        struct partition *p = &d->parts[i];
        if (!p->start_given)
            p->start = align_up(next, MiB);
        else if (p->start < next) {
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
            error_at(p->size_pos, "partition '%s' ends at %s, past the end of the %s disk", p->name,
                     format_size(p->start + p->size, a), format_size(d->size, b));
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
    g->kernel_text_offset = le_get(h + 8, 8);
    g->kernel_image_size = le_get(h + 16, 8);
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
        g->kernel_path = dk ? default_guest_file("Image") : resolve_path(sys, g->kernel);
        g->initrd_path = di ? default_guest_file("initrd.cpio.gz") : resolve_path(sys, g->initrd);
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
            char *p = resolve_path(sys, g->base_dts);
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

// board-device: the board has the hardware a guest's device needs.
static void rule_board_device(struct system *sys)
{
    if (!sys->board)
        return;
    for (size_t i = 0; i < sys->nguests; i++) {
        const struct guest *g = &sys->guests[i];
        if (g->block && !sys->board->block.present)
            error_at(g->block_pos, "board '%s' has no disk to back a block device",
                     sys->board->name);
        if (g->net && !sys->board->net.present)
            error_at(g->net_pos, "board '%s' has no NIC to back a net device", sys->board->name);
    }
}

// too-many-pds / too-many-channels: the runtime's limits (PDs and vCPUs
// together, as the kernel counts threads), and the virtualisers' client
// tables.
static void rule_runtime_limits(struct system *sys)
{
    // The kernel schedules PDs and vCPUs alike (one each per guest).
    size_t threads = system_pd_count(sys) + sys->nguests;
    if (threads > SYSGEN_MAX_PDS)
        error_at(sys->guests[sys->nguests - 1].pos,
                 "this system needs %zu protection domains and vCPUs; the runtime allows %d",
                 threads, SYSGEN_MAX_PDS);
    size_t con = 0, blk = 0, net = 0, vs = 0;
    for (size_t i = 0; i < sys->nguests; i++) {
        const struct guest *g = &sys->guests[i];
        size_t ch = vmm_channel_count(sys, g);
        if (ch > SYSGEN_MAX_CHANNEL_ID + 1)
            error_at(g->pos, "guest '%s' needs %zu channel ids; the runtime allows ids 0..%d",
                     g->name, ch, SYSGEN_MAX_CHANNEL_ID);
        const struct {
            bool has;
            size_t *count, max;
            struct pos pos;
            const char *what;
        } uses[] = {
            {g->console, &con, SYSGEN_MAX_CLIENTS, g->console_pos, "console"},
            {g->block, &blk, SYSGEN_MAX_CLIENTS, g->block_pos, "block"},
            {g->net, &net, SYSGEN_MAX_CLIENTS, g->net_pos, "net"},
            {g->vsock, &vs, SYSGEN_MAX_PEERS + 1, g->vsock_pos, "vsock"},
        };
        for (size_t u = 0; u < sizeof(uses) / sizeof(uses[0]); u++)
            if (uses[u].has && ++*uses[u].count == uses[u].max + 1)
                error_at(uses[u].pos, "guest '%s' is %s client %zu; at most %zu guests can have %s",
                         g->name, uses[u].what, uses[u].max + 1, uses[u].max, uses[u].what);
    }
}

struct rule {
    const char *name;
    void (*fn)(struct system *sys);
};

static const struct rule rules[] = {
    {"duplicate-guest", rule_duplicate_guest},
    {"duplicate-partition", rule_duplicate_partition},
    {"bad-mac", rule_bad_mac},
    {"duplicate-mac", rule_duplicate_mac},
    {"bad-cid", rule_bad_cid},
    {"duplicate-cid", rule_duplicate_cid},
    {"partition-use", rule_partition_use},
    {"too-many-partitions", rule_too_many_partitions},
    {"partition-alignment", rule_partition_alignment},
    {"partitions-fit", rule_partitions_fit},
    {"memory-alignment", rule_memory_alignment},
    {"memory-over-board", rule_memory_over_board},
    {"file-missing", rule_file_missing},
    {"memory-too-small", rule_memory_too_small},
    {"base-dts", rule_base_dts},
    {"board-device", rule_board_device},
    {"runtime-limits", rule_runtime_limits},
};

static char *system_name(const char *path)
{
    char *copy = xstrdup(path);
    char *base = xstrdup(basename(copy));
    free(copy);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = '\0';
    return base;
}

struct system *check_system(const char *path, struct node *tree)
{
    struct system *sys = xcalloc(1, sizeof(*sys));
    char *copy = xstrdup(path);
    sys->path = xstrdup(path);
    sys->dir = xstrdup(dirname(copy));
    free(copy);
    sys->name = system_name(path);
    sys->tree = tree;
    read_system(sys, tree);
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        rules[i].fn(sys);
    return sys;
}

void system_free(struct system *sys)
{
    if (!sys)
        return;
    for (size_t i = 0; i < sys->disk.nparts; i++) {
        struct partition *p = &sys->disk.parts[i];
        free(p->name);
        free(p->label);
        for (size_t j = 0; j < p->nfiles; j++)
            free(p->files[j]);
        free(p->files);
        free(p->file_pos);
    }
    free(sys->disk.parts);
    for (size_t i = 0; i < sys->nguests; i++) {
        struct guest *g = &sys->guests[i];
        free(g->name);
        free(g->kernel);
        free(g->initrd);
        free(g->kernel_path);
        free(g->initrd_path);
        free(g->bootargs);
        free(g->base_dts);
        free(g->base_dtb);
        free(g->partition);
    }
    free(sys->guests);
    board_free(sys->board);
    tree_free(sys->tree);
    free(sys->board_name);
    free(sys->name);
    free(sys->path);
    free(sys->dir);
    free(sys->sdf_dir);
    free(sys);
}
