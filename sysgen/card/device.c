// SPDX-License-Identifier: BSD-2-Clause
#include "card/device.h"
#include "base/diag.h"
#include "base/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

// The first line of a small sysfs file, without its newline; "" if none.
static void read_line(const char *dir, const char *file, char *out, size_t n)
{
    char *path = xasprintf("%s/%s", dir, file);
    FILE *f = fopen(path, "r");
    out[0] = '\0';
    if (f && fgets(out, (int)n, f))
        out[strcspn(out, "\n")] = '\0';
    if (f)
        fclose(f);
    free(path);
    for (size_t len = strlen(out); len && out[len - 1] == ' '; len--) // sysfs pads models
        out[len - 1] = '\0';
}

// The sysfs directory of the whole disk that block device `dev` is or is
// a partition of; false if sysfs does not know it.
static bool disk_dir(dev_t dev, char out[PATH_MAX], bool *partition)
{
    char link[64], p[PATH_MAX];
    snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", major(dev), minor(dev));
    if (!realpath(link, p))
        return false;
    char *part = xasprintf("%s/partition", p);
    bool is_part = access(part, F_OK) == 0;
    free(part);
    if (partition)
        *partition = is_part;
    snprintf(out, PATH_MAX, "%s", is_part ? dirname(p) : p);
    return true;
}

// Whether block device `path` lives on the disk at sysfs dir `disk`.
static bool on_disk(const char *path, const char *disk)
{
    struct stat st;
    char dir[PATH_MAX];
    return stat(path, &st) == 0 && S_ISBLK(st.st_mode) && disk_dir(st.st_rdev, dir, NULL) &&
           strcmp(dir, disk) == 0;
}

static bool is_system_mount(const char *where)
{
    static const char *const system[] = {"/", "/boot", "/boot/efi", "/usr", "/var", "/home"};
    for (size_t i = 0; i < sizeof(system) / sizeof(system[0]); i++)
        if (strcmp(where, system[i]) == 0)
            return true;
    return false;
}

// `where` NULL: swap.
static void note_use(struct card_device *d, const char *what, const char *where)
{
    if (d->in_use[0])
        return;
    if (where)
        snprintf(d->in_use, sizeof(d->in_use), "%.100s is mounted on %.100s", what, where);
    else
        snprintf(d->in_use, sizeof(d->in_use), "%.100s is in use as swap", what);
}

// Mounts and swap on the same disk; the running system's own disk.
static void find_users(struct card_device *d, const char *disk)
{
    FILE *f = fopen("/proc/self/mounts", "r");
    char src[PATH_MAX], where[PATH_MAX];
    while (f && fscanf(f, "%4095s %4095s %*[^\n]", src, where) == 2)
        if (src[0] == '/' && on_disk(src, disk)) {
            note_use(d, src, where);
            d->system |= is_system_mount(where);
        }
    if (f)
        fclose(f);
    f = fopen("/proc/swaps", "r");
    while (f && fscanf(f, "%4095s %*[^\n]", src) == 1)
        if (src[0] == '/' && on_disk(src, disk)) {
            note_use(d, src, NULL);
            d->system = true;
        }
    if (f)
        fclose(f);
    // The root file system by its device number, whatever /proc calls it.
    struct stat st;
    char dir[PATH_MAX];
    if (stat("/", &st) == 0 && disk_dir(st.st_dev, dir, NULL) && strcmp(dir, disk) == 0) {
        note_use(d, "the root file system", "/");
        d->system = true;
    }
}

static bool probe_block(const struct stat *st, struct card_device *d)
{
    int fd = open(d->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ioctl(fd, BLKGETSIZE64, &d->size) != 0) {
        if (errno == EACCES)
            fatal_error("no permission to read %s: run sysgen with sudo, or join the group "
                        "that owns it (usually 'disk')",
                        d->path);
        else
            fatal_error("cannot read the size of %s: %s", d->path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    close(fd);
    char disk[PATH_MAX], type[32], vendor[64], model[64];
    if (!disk_dir(st->st_rdev, disk, &d->partition)) {
        fatal_error("%s: the kernel's /sys does not know this block device", d->path);
        return false;
    }
    snprintf(d->name, sizeof(d->name), "%s", basename(disk));
    char removable[8];
    read_line(disk, "removable", removable, sizeof(removable));
    read_line(disk, "device/type", type, sizeof(type));
    d->removable = strcmp(removable, "1") == 0 || strcmp(type, "SD") == 0 ||
                   strcmp(type, "MMC") == 0;
    read_line(disk, "device/vendor", vendor, sizeof(vendor));
    read_line(disk, "device/model", model, sizeof(model));
    if (!model[0])
        read_line(disk, "device/name", model, sizeof(model)); // SD cards name themselves
    snprintf(d->model, sizeof(d->model), "%s%s%s", vendor, vendor[0] && model[0] ? " " : "",
             model);
    find_users(d, disk);
    return true;
}

bool card_device_probe(const char *path, struct card_device *d)
{
    memset(d, 0, sizeof(*d));
    d->path = path;
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT) {
            fatal_error("cannot look at %s: %s", path, strerror(errno));
            return false;
        }
        return true; // a new file
    }
    d->exists = true;
    if (S_ISREG(st.st_mode)) {
        d->size = (uint64_t)st.st_size;
        return true;
    }
    if (!S_ISBLK(st.st_mode)) {
        fatal_error("%s is neither a block device nor a regular file", path);
        return false;
    }
    d->block = true;
    return probe_block(&st, d);
}
