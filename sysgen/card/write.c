// SPDX-License-Identifier: BSD-2-Clause
// Writing a card: decide what may be written (checks), what will be
// written (the image's data ranges, less the board's area), write it,
// then read every range back and compare SHA-256 digests.
#define _GNU_SOURCE // SEEK_DATA, SEEK_HOLE
#include "card/card.h"
#include "base/diag.h"
#include "base/strbuf.h"
#include "base/units.h"
#include "card/device.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MBR_SIZE 512
#define CHUNK    (1 * MiB)

struct range {
    uint64_t at, len;
    int src;        // 0: the image, 1: the bootloader file
};

struct plan {
    struct range *r;
    size_t n;
    uint64_t bytes;
};

static void plan_add(struct plan *p, uint64_t at, uint64_t len, int src)
{
    if (!len)
        return;
    p->r = xrealloc(p->r, (p->n + 1) * sizeof(*p->r));
    p->r[p->n++] = (struct range){at, len, src};
    p->bytes += len;
}

// The image's data (not its holes), less [512, first_partition).
static bool plan_image(int fd, uint64_t size, uint64_t first_partition, struct plan *p)
{
    plan_add(p, 0, size < MBR_SIZE ? size : MBR_SIZE, 0);
    off_t at = (off_t)first_partition;
    while ((uint64_t)at < size) {
        off_t data = lseek(fd, at, SEEK_DATA);
        if (data < 0 && errno == ENXIO)
            break; // only a hole is left
        off_t hole = data < 0 ? -1 : lseek(fd, data, SEEK_HOLE);
        if (data < 0 || hole < 0)
            return false;
        plan_add(p, (uint64_t)data, (uint64_t)(hole - data), 0);
        at = hole;
    }
    return true;
}

static const char *size_text(uint64_t v, char buf[32])
{
    if (v >= 10 * GiB)
        snprintf(buf, 32, "%llu GiB", (unsigned long long)(v / GiB));
    else if (v >= 10 * MiB)
        snprintf(buf, 32, "%llu MiB", (unsigned long long)(v / MiB));
    else
        snprintf(buf, 32, "%llu KiB", (unsigned long long)(v / KiB));
    return buf;
}

// ---- checks ------------------------------------------------------------------

static bool device_ok(const struct card_request *r, const struct card_device *d,
                      uint64_t image_size)
{
    char a[32], b[32];
    if (d->block && d->partition) {
        fatal_error("%s is a partition: give the whole card (/dev/%s)", d->path, d->name);
        return false;
    }
    if (d->system) {
        fatal_error("%s holds the running system (%s): not writing it", d->path, d->in_use);
        return false;
    }
    if (d->in_use[0]) {
        fatal_error("%s is in use (%s): unmount it first", d->path, d->in_use);
        return false;
    }
    if (d->block && !d->removable && !r->force) {
        fatal_error("%s (%s) is not a removable disk: if it really is the card, add --force",
                    d->path, d->model[0] ? d->model : d->name);
        return false;
    }
    if (d->exists && (d->block || d->size > 0) && d->size < image_size) {
        fatal_error("%s has %s, the card image needs %s: nothing written", d->path,
                    size_text(d->size, a), size_text(image_size, b));
        return false;
    }
    return true;
}

static bool bootloader_ok(const struct card_request *r, uint64_t *size)
{
    struct stat st;
    char a[32], b[32];
    if (!r->bootloader)
        return true;
    if (!r->bootloader_end) {
        fatal_error("--bootloader: this board does not boot from a card (no card: in its "
                    "board.yaml), so sysgen does not know where a bootloader goes");
        return false;
    }
    if (stat(r->bootloader, &st) != 0 || !S_ISREG(st.st_mode)) {
        fatal_error("--bootloader %s: not a readable file", r->bootloader);
        return false;
    }
    *size = (uint64_t)st.st_size;
    if (*size == 0 || *size > r->bootloader_end - r->bootloader_at) {
        fatal_error("--bootloader %s is %s; the board has %s for it (from %s to %s)",
                    r->bootloader, size_text(*size, a),
                    size_text(r->bootloader_end - r->bootloader_at, b),
                    size_text(r->bootloader_at, (char[32]){0}),
                    size_text(r->bootloader_end, (char[32]){0}));
        return false;
    }
    return true;
}

// On a terminal, show what is about to happen and ask; elsewhere --yes.
static bool confirmed(const struct card_request *r, const struct card_device *d,
                      const struct plan *p)
{
    char a[32], b[32];
    if (r->yes)
        return true;
    if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO)) {
        fatal_error("not writing %s without --yes: sysgen asks before it writes a card, and "
                    "this is not a terminal",
                    d->path);
        return false;
    }
    if (d->block)
        fprintf(stderr, "%s: %s, %s, %s\n", d->path, d->model[0] ? d->model : d->name,
                size_text(d->size, a), d->removable ? "removable" : "NOT removable");
    else
        fprintf(stderr, "%s: %s file%s\n", d->path, d->exists ? "a" : "a new",
                d->exists ? "" : " to create");
    fprintf(stderr, "write %s of %s to it%s? [y/N] ", size_text(p->bytes, b), r->image,
            r->bootloader ? ", and the bootloader" : "");
    char line[16];
    return fgets(line, sizeof(line), stdin) && (line[0] == 'y' || line[0] == 'Y');
}

// ---- writing and reading back ------------------------------------------------

static void progress(uint64_t done, uint64_t total, bool tty)
{
    if (tty && total)
        fprintf(stderr, "\rwriting: %3llu%% (%llu of %llu MiB)",
                (unsigned long long)(done * 100 / total), (unsigned long long)(done / MiB),
                (unsigned long long)((total + MiB - 1) / MiB));
}

static bool copy_range(int from, int to, const struct range *rg, uint64_t *done, uint64_t total,
                       bool tty, uint8_t *buf)
{
    uint64_t src_at = rg->src ? 0 : rg->at; // the bootloader file is placed whole
    for (uint64_t off = 0; off < rg->len;) {
        size_t n = (size_t)(rg->len - off < CHUNK ? rg->len - off : CHUNK);
        if (pread(from, buf, n, (off_t)(src_at + off)) != (ssize_t)n ||
            pwrite(to, buf, n, (off_t)(rg->at + off)) != (ssize_t)n)
            return false;
        off += n;
        *done += n;
        progress(*done, total, tty);
    }
    return true;
}

static bool digest(int fd, uint64_t at, uint64_t len, uint8_t *buf, unsigned char out[32])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    for (uint64_t off = 0; ok && off < len;) {
        size_t n = (size_t)(len - off < CHUNK ? len - off : CHUNK);
        ok = pread(fd, buf, n, (off_t)(at + off)) == (ssize_t)n && EVP_DigestUpdate(ctx, buf, n);
        off += n;
    }
    unsigned int dlen = 0;
    ok = ok && EVP_DigestFinal_ex(ctx, out, &dlen) && dlen == 32;
    EVP_MD_CTX_free(ctx);
    return ok;
}

// Every written range, read back from the device (not the page cache)
// and compared with its source by SHA-256.
static bool verify(const char *path, const int src[2], const struct plan *p, uint8_t *buf)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fatal_error("cannot read %s back: %s", path, strerror(errno));
        return false;
    }
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    bool ok = true;
    for (size_t i = 0; ok && i < p->n; i++) {
        const struct range *rg = &p->r[i];
        unsigned char want[32], got[32];
        uint64_t src_at = rg->src ? 0 : rg->at;
        if (!digest(src[rg->src], src_at, rg->len, buf, want) ||
            !digest(fd, rg->at, rg->len, buf, got)) {
            fatal_error("cannot read %s back at %llu: %s", path, (unsigned long long)rg->at,
                        strerror(errno));
            ok = false;
        } else if (memcmp(want, got, sizeof(want)) != 0) {
            fatal_error("%s does not hold what was written at bytes %llu..%llu (SHA-256 "
                        "differs): the card may be failing",
                        path, (unsigned long long)rg->at,
                        (unsigned long long)(rg->at + rg->len - 1));
            ok = false;
        }
    }
    close(fd);
    return ok;
}

static int open_target(const struct card_device *d, uint64_t image_size)
{
    // O_EXCL on a block device: the kernel refuses it while anything has
    // the device open exclusively (a mount, say) — a last check.
    int fd = d->block ? open(d->path, O_WRONLY | O_EXCL | O_CLOEXEC)
                      : open(d->path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (errno == EACCES)
            fatal_error("no permission to write %s: run sysgen with sudo, or join the group "
                        "that owns it (usually 'disk')",
                        d->path);
        else
            fatal_error("cannot open %s for writing: %s", d->path, strerror(errno));
        return -1;
    }
    // A file grows to the card's size, its holes staying holes.
    if (!d->block && d->size < image_size && ftruncate(fd, (off_t)image_size) != 0) {
        fatal_error("cannot size %s: %s", d->path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static bool write_plan(const struct card_request *r, const struct card_device *d,
                       const int src[2], const struct plan *p, uint64_t image_size)
{
    int fd = open_target(d, image_size);
    if (fd < 0)
        return false;
    uint8_t *buf = xmalloc(CHUNK);
    bool tty = isatty(STDERR_FILENO), ok = true;
    uint64_t done = 0;
    for (size_t i = 0; ok && i < p->n; i++)
        if (!copy_range(src[p->r[i].src], fd, &p->r[i], &done, p->bytes, tty, buf)) {
            fatal_error("writing %s at byte %llu: %s", d->path, (unsigned long long)p->r[i].at,
                        strerror(errno));
            ok = false;
        }
    if (tty)
        fputc('\n', stderr);
    if (ok && fsync(fd) != 0) {
        fatal_error("flushing %s: %s", d->path, strerror(errno));
        ok = false;
    }
    if (close(fd) != 0 && ok) {
        fatal_error("closing %s: %s", d->path, strerror(errno));
        ok = false;
    }
    ok = ok && verify(r->device, src, p, buf);
    free(buf);
    return ok;
}

int card_write(const struct card_request *r)
{
    struct card_device d;
    struct plan p = {0};
    int src[2] = {open(r->image, O_RDONLY | O_CLOEXEC), -1};
    struct stat st;
    uint64_t boot_size = 0;
    char a[32];
    int rc = 2;
    if (src[0] < 0 || fstat(src[0], &st) != 0) {
        fatal_error("cannot read %s: %s", r->image, strerror(errno));
        goto out;
    }
    if (!card_device_probe(r->device, &d) || !device_ok(r, &d, (uint64_t)st.st_size) ||
        !bootloader_ok(r, &boot_size))
        goto out;
    if (!plan_image(src[0], (uint64_t)st.st_size, r->first_partition, &p)) {
        fatal_error("cannot find the data in %s: %s", r->image, strerror(errno));
        goto out;
    }
    if (r->bootloader) {
        src[1] = open(r->bootloader, O_RDONLY | O_CLOEXEC);
        if (src[1] < 0) {
            fatal_error("cannot read %s: %s", r->bootloader, strerror(errno));
            goto out;
        }
        plan_add(&p, r->bootloader_at, boot_size, 1);
    }
    if (!confirmed(r, &d, &p))
        goto out;
    if (write_plan(r, &d, src, &p, (uint64_t)st.st_size)) {
        fprintf(stderr, "sysgen: wrote %s (%s of data) to %s, read back and verified\n",
                r->image, size_text(p.bytes, a), r->device);
        rc = 0;
    }
out:
    for (int i = 0; i < 2; i++)
        if (src[i] >= 0)
            close(src[i]);
    free(p.r);
    return rc;
}
