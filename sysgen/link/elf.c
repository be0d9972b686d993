// SPDX-License-Identifier: BSD-2-Clause
// ELF reading through libelf.  Every size and offset from the file is
// checked against the file before use: a truncated or hostile ELF must give
// an error, never a crash or an oversized allocation.
#include "link/elf.h"
#include "base/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// Segments bigger than this in memory are refused (their zero fill would be
// allocated on the host).
#define ELF_MAX_MEMSZ (256ull << 20)

static bool fail(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
    return false;
}

static bool read_segments(Elf *e, size_t fsize, const char *raw, struct elf_image *img, char *why,
                          size_t whylen)
{
    size_t nph;
    if (elf_getphdrnum(e, &nph) != 0)
        return fail(why, whylen, "unreadable program headers (%s)", elf_errmsg(-1));
    for (size_t i = 0; i < nph; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, (int)i, &ph))
            return fail(why, whylen, "unreadable program header %zu", i);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz)
            return fail(why, whylen, "segment %zu has filesz > memsz", i);
        if (ph.p_memsz > ELF_MAX_MEMSZ)
            return fail(why, whylen, "segment %zu is oversized (0x%llx bytes in memory)", i,
                        (unsigned long long)ph.p_memsz);
        if (ph.p_offset > fsize || ph.p_filesz > fsize - ph.p_offset)
            return fail(why, whylen, "segment %zu lies past the end of the file (truncated?)", i);
        if (ph.p_vaddr + ph.p_memsz < ph.p_vaddr)
            return fail(why, whylen, "segment %zu wraps around the address space", i);
        struct elf_segment *s;
        img->segs = xrealloc(img->segs, (size_t)(img->nsegs + 1) * sizeof(*img->segs));
        s = &img->segs[img->nsegs++];
        s->vaddr = ph.p_vaddr;
        s->paddr = ph.p_paddr;
        s->memsz = ph.p_memsz;
        s->filesz = ph.p_filesz;
        s->flags = ph.p_flags;
        s->data = xcalloc(1, (size_t)ph.p_memsz);
        memcpy(s->data, raw + ph.p_offset, (size_t)ph.p_filesz);
    }
    if (img->nsegs == 0)
        return fail(why, whylen, "no loadable segment");
    return true;
}

static void read_sections(Elf *e, struct elf_image *img)
{
    size_t shstrndx;
    if (elf_getshdrstrndx(e, &shstrndx) != 0)
        return;
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC))
            continue;
        const char *name = elf_strptr(e, shstrndx, sh.sh_name);
        if (!name)
            continue;
        img->secs = xrealloc(img->secs, (size_t)(img->nsecs + 1) * sizeof(*img->secs));
        img->secs[img->nsecs++] = (struct elf_section){xstrdup(name), sh.sh_addr, sh.sh_size};
    }
}

static void read_symbols(Elf *e, struct elf_image *img)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn))) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0)
            continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        if (!d)
            continue;
        size_t n = d->d_size / sh.sh_entsize;
        for (size_t i = 0; i < n; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(d, (int)i, &sym))
                continue;
            const char *name = elf_strptr(e, sh.sh_link, sym.st_name);
            if (!name || !*name || GELF_ST_TYPE(sym.st_info) != STT_OBJECT)
                continue;
            img->syms = xrealloc(img->syms, (size_t)(img->nsyms + 1) * sizeof(*img->syms));
            img->syms[img->nsyms++] = (struct elf_sym){xstrdup(name), sym.st_value, sym.st_size};
        }
    }
}

bool elf_load(const char *path, struct elf_image *img, char *why, size_t whylen)
{
    memset(img, 0, sizeof(*img));
    img->path = xstrdup(path);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return fail(why, whylen, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fail(why, whylen, "not a regular file");
    }
    if ((uint64_t)st.st_size > ELF_MAX_FILE_SIZE) {
        close(fd);
        return fail(why, whylen, "oversized ELF (%lld bytes, the limit is %u)",
                    (long long)st.st_size, ELF_MAX_FILE_SIZE);
    }
    size_t fsize = (size_t)st.st_size;
    char *raw = xmalloc(fsize ? fsize : 1);
    size_t got = 0;
    while (got < fsize) {
        ssize_t r = read(fd, raw + got, fsize - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != fsize) {
        free(raw);
        return fail(why, whylen, "read error");
    }
    elf_version(EV_CURRENT);
    Elf *e = elf_memory(raw, fsize);
    bool ok = false;
    GElf_Ehdr eh;
    if (fsize >= SELFMAG && memcmp(raw, ELFMAG, SELFMAG) == 0 && fsize < sizeof(Elf64_Ehdr))
        fail(why, whylen, "truncated ELF header (%zu bytes)", fsize);
    else if (!e || elf_kind(e) != ELF_K_ELF)
        fail(why, whylen, "not an ELF file");
    else if (!gelf_getehdr(e, &eh))
        fail(why, whylen, "truncated ELF header");
    else if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
        fail(why, whylen, "not a 64-bit little-endian ELF");
    else if (eh.e_machine != EM_AARCH64)
        fail(why, whylen, "not an AArch64 ELF (e_machine %u)", (unsigned)eh.e_machine);
    else if (eh.e_type != ET_EXEC)
        fail(why, whylen, "not a static executable (ET_EXEC)");
    else if (eh.e_phoff > fsize || (uint64_t)eh.e_phnum * eh.e_phentsize > fsize - eh.e_phoff)
        fail(why, whylen, "program headers lie past the end of the file (truncated?)");
    else if (read_segments(e, fsize, raw, img, why, whylen)) {
        img->entry = eh.e_entry;
        read_symbols(e, img);
        read_sections(e, img);
        ok = true;
    }
    if (e)
        elf_end(e);
    free(raw);
    return ok;
}

void elf_free(struct elf_image *img)
{
    for (int i = 0; i < img->nsegs; i++)
        free(img->segs[i].data);
    for (int i = 0; i < img->nsyms; i++)
        free(img->syms[i].name);
    for (int i = 0; i < img->nsecs; i++)
        free(img->secs[i].name);
    free(img->segs);
    free(img->syms);
    free(img->secs);
    free(img->path);
    memset(img, 0, sizeof(*img));
}

const struct elf_sym *elf_find_sym(const struct elf_image *img, const char *name)
{
    for (int i = 0; i < img->nsyms; i++)
        if (strcmp(img->syms[i].name, name) == 0)
            return &img->syms[i];
    return NULL;
}

const struct elf_section *elf_find_section(const struct elf_image *img, const char *name)
{
    for (int i = 0; i < img->nsecs; i++)
        if (strcmp(img->secs[i].name, name) == 0)
            return &img->secs[i];
    return NULL;
}

bool elf_patch(struct elf_image *img, uint64_t vaddr, const void *bytes, uint64_t len)
{
    for (int i = 0; i < img->nsegs; i++) {
        struct elf_segment *s = &img->segs[i];
        if (vaddr >= s->vaddr && len <= s->memsz && vaddr - s->vaddr <= s->memsz - len) {
            uint64_t off = vaddr - s->vaddr;
            memcpy(s->data + off, bytes, (size_t)len);
            if (off + len > s->filesz)
                s->filesz = off + len;
            return true;
        }
    }
    return false;
}
