// SPDX-License-Identifier: BSD-2-Clause
// OUT/disk.img (OUT/sdcard.img for a boot card): an MBR and one FAT file
// system per partition.  On a boot card, partition 1 is the boot partition
// (marked active in the MBR): the boot files go in here, loader.img once
// it is linked (disk_add_loader).
//
// mkfs.fat (--offset) formats each partition in place and mcopy (-i
// img@@offset) copies the files in: both work on a plain file, need no
// root and no loop device, and are the tools people check FAT with, so
// the image is what they expect.  The MBR is ours: 66 bytes of fixed
// format are simpler to write than to drive a partitioning tool for.
// Determinism: volume ids and the disk signature are hashes of the names;
// mkfs.fat --invariant fixes its own timestamps, and copied files carry
// SOURCE_DATE_EPOCH (see build_epoch()).
#include "emit/emit.h"
#include "base/tool.h"
#include "base/units.h"

#include <sysgen/bytes.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECTOR 512
// Room in the boot partition beyond loader.img: the FAT itself, the root
// directory, boot.scr and uEnv.txt.
#define BOOT_FILES_ROOM (1 * MiB)

static uint32_t fnv1a32(const char *a, const char *b)
{
    uint32_t h = 0x811c9dc5u;
    for (const char *s = a; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x01000193u;
    h = (h ^ '/') * 0x01000193u;
    for (const char *s = b; *s; s++)
        h = (h ^ (uint8_t)*s) * 0x01000193u;
    return h;
}

// FAT width by size: FAT16 needs 4085 clusters, FAT32 65525.
static int fat_bits(uint64_t size)
{
    return size <= 8 * MiB ? 12 : size <= 1 * GiB ? 16 : 32;
}

static uint8_t mbr_type(int bits)
{
    return bits == 12 ? 0x01 : bits == 16 ? 0x0e : 0x0c; // FAT12, FAT16 LBA, FAT32 LBA
}

static bool write_mbr(const struct system *sys, const char *path)
{
    uint8_t mbr[SECTOR] = {0};
    sg_le_put(mbr + 440, fnv1a32(sys->name, "disk"), 4);
    for (size_t i = 0; i < sys->disk.nparts; i++) {
        const struct partition *p = &sys->disk.parts[i];
        uint8_t *e = mbr + 446 + 16 * i;
        e[0] = p->boot ? 0x80 : 0x00; // active: where a bootloader looks first
        // CHS fields say "use LBA" (the maximum), as every modern tool writes.
        e[1] = 0xfe, e[2] = 0xff, e[3] = 0xff;
        e[4] = mbr_type(fat_bits(p->size));
        e[5] = 0xfe, e[6] = 0xff, e[7] = 0xff;
        sg_le_put(e + 8, p->start / SECTOR, 4);
        sg_le_put(e + 12, p->size / SECTOR, 4);
    }
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
    int fd = open(path, O_WRONLY);
    bool ok = fd >= 0 && pwrite(fd, mbr, sizeof(mbr), 0) == (ssize_t)sizeof(mbr);
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    if (!ok)
        fatal_error("cannot write the MBR of %s: %s", path, strerror(errno));
    return ok;
}

static bool format_partition(const struct system *sys, const struct partition *p, const char *img)
{
    char bits[8], volid[16], hidden[32], offset[48], kib[32];
    snprintf(bits, sizeof(bits), "%d", fat_bits(p->size));
    snprintf(volid, sizeof(volid), "%08x", fnv1a32(sys->name, p->name));
    snprintf(hidden, sizeof(hidden), "%llu", (unsigned long long)(p->start / SECTOR));
    snprintf(offset, sizeof(offset), "--offset=%llu", (unsigned long long)(p->start / SECTOR));
    snprintf(kib, sizeof(kib), "%llu", (unsigned long long)(p->size / KiB));
    // --invariant: fixed times in the boot sector and label entry (mkfs.fat
    // 4.2 ignores SOURCE_DATE_EPOCH there); -i still sets our volume id.
    const char *argv[] = {"mkfs.fat", "--invariant", "-F",   bits,   "-n", p->label, "-i",
                          volid,      "-h",          hidden, offset, img,  kib,      NULL};
    return run_tool(argv);
}

// Copy one host file in, through a copy whose mtime is the build epoch
// (mcopy -m keeps it), so the directory entry does not depend on when the
// user's file was checked out.
static bool copy_file(const struct partition *p, const char *src, const char *img,
                      struct output *out)
{
    char *copy = xstrdup(src);
    char *name = xstrdup(basename(copy));
    char *rel = xasprintf(".files/%s", name);
    char *tmp = out_path(out, rel);
    char *target = xasprintf("::/%s", name);
    char *where = xasprintf("%s@@%llu", img, (unsigned long long)p->start);
    bool ok = false;
    FILE *in = fopen(src, "rb"), *o = tmp ? fopen(tmp, "wb") : NULL;
    if (in && o) {
        char buf[65536];
        size_t n;
        ok = true;
        while (ok && (n = fread(buf, 1, sizeof(buf), in)) > 0)
            ok = fwrite(buf, 1, n, o) == n;
        ok = ok && !ferror(in);
    }
    if (in)
        fclose(in);
    if (o && fclose(o) != 0)
        ok = false;
    if (!ok)
        fatal_error("cannot copy %s: %s", src, strerror(errno));
    struct timespec ts[2] = {{build_epoch(), 0}, {build_epoch(), 0}};
    if (ok && utimensat(AT_FDCWD, tmp, ts, 0) != 0) {
        fatal_error("cannot set the time of %s: %s", tmp, strerror(errno));
        ok = false;
    }
    const char *argv[] = {"mcopy", "-m", "-i", where, tmp, target, NULL};
    ok = ok && run_tool(argv);
    if (tmp)
        remove(tmp);
    free(copy);
    free(name);
    free(rel);
    free(tmp);
    free(target);
    free(where);
    return ok;
}

const char *disk_image_name(const struct system *sys)
{
    return sys->disk.card ? "sdcard.img" : "disk.img";
}

// The boot partition's files: U-Boot's script and uEnv.txt (emit/boot.c).
static bool copy_boot_files(const struct partition *p, const char *img, struct output *out)
{
    static const char *const files[] = {"generated/boot/boot.scr", "generated/boot/uEnv.txt"};
    bool ok = true;
    for (size_t i = 0; ok && i < sizeof(files) / sizeof(files[0]); i++) {
        char *src = out_path(out, files[i]);
        ok = src && copy_file(p, src, img, out);
        free(src);
    }
    return ok;
}

bool emit_disk(const struct system *sys, struct output *out)
{
    if (!sys->disk.present)
        return true;
    char *img = out_path(out, disk_image_name(sys));
    if (!img)
        return false;
    int fd = open(img, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    bool ok = fd >= 0 && ftruncate(fd, (off_t)sys->disk.size) == 0;
    if (fd >= 0)
        close(fd);
    if (!ok)
        fatal_error("cannot create %s: %s", img, strerror(errno));
    setenv("MTOOLS_SKIP_CHECK", "1", 1);
    for (size_t i = 0; ok && i < sys->disk.nparts; i++) {
        const struct partition *p = &sys->disk.parts[i];
        ok = format_partition(sys, p, img);
        for (size_t j = 0; ok && j < p->nfiles; j++)
            ok = copy_file(p, p->files[j], img, out);
        if (ok && p->boot)
            ok = copy_boot_files(p, img, out);
    }
    ok = ok && write_mbr(sys, img);
    char *files = xasprintf("%s/.files", out->stage);
    remove_tree(files);
    free(files);
    free(img);
    return ok;
}

int disk_add_loader(const struct system *sys, struct output *out)
{
    if (!sys->disk.card)
        return 0;
    const struct partition *boot = &sys->disk.parts[0];
    char *loader = out_path(out, "loader.img"), *img = out_path(out, disk_image_name(sys));
    struct stat st;
    char a[32], b[32];
    int rc = 2;
    if (!loader || !img || stat(loader, &st) != 0)
        fatal_error("cannot read %s: %s", loader ? loader : "loader.img", strerror(errno));
    else if ((uint64_t)st.st_size > boot_load_limit())
        fatal_error("loader.img is %s, more than U-Boot can load from the card (%s)",
                    format_size((uint64_t)st.st_size, a), format_size(boot_load_limit(), b));
    else if ((uint64_t)st.st_size + BOOT_FILES_ROOM > boot->size) {
        error_at(sys->disk.boot_size_pos,
                 "loader.img (%s) does not fit the %s boot partition: set the disk's "
                 "boot_size larger",
                 format_size((uint64_t)st.st_size, a), format_size(boot->size, b));
        rc = 1;
    } else if (copy_file(boot, loader, img, out))
        rc = 0;
    char *files = xasprintf("%s/.files", out->stage);
    remove_tree(files);
    free(files);
    free(loader);
    free(img);
    return rc;
}
