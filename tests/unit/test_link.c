// SPDX-License-Identifier: BSD-2-Clause
// The image linker's host-side parts: stage-2 descriptors, config bytes
// written into a component's .sysgen_config section, and the errors when
// that cannot be done.  Needs the runtime built (build/runtime).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <sysgen/config.h>
#include "base/diag.h"
#include "link/image.h"
#include "link/link.h"
#include "link/stage2.h"

#define COMPONENTS SYSGEN_DATA_DIR "/build/runtime"
#define CONFIGURED SYSGEN_DATA_DIR "/tests/runtime/configured.system"
#define HELLO      SYSGEN_DATA_DIR "/tests/runtime/hello.system"
#define OUT        SYSGEN_DATA_DIR "/build/tests/unit/link-out"

static void stage2_page_and_block(void **state)
{
    (void)state;
    struct s2 s;
    s2_init(&s);
    s2_map(&s, 0x200000, 0x60400000, 0x1000, S2_PERM_R | S2_PERM_X, S2_MEM_CACHED);
    s2_map(&s, 0x40000000, 0x80000000, 0x200000, S2_PERM_R | S2_PERM_W, S2_MEM_CACHED);
    s2_map(&s, 0x9000000, 0x9000000, 0x1000, S2_PERM_R | S2_PERM_W, S2_MEM_DEVICE);
    // Tables in order of creation: the L1 root; an L2 for the first GiB
    // and an L3 below it for 0x200000; an L2 for the second GiB holding the
    // block; another L3 in the first GiB for 0x9000000.
    assert_int_equal(s.n, 5);
    s2_finalize(&s, 0x70000000);
    uint64_t l1 = s.tables[0][0];
    assert_int_equal(l1 & 3, 3); // table
    assert_int_equal(l1 & 0xfffffffff000ull, 0x70001000);
    uint64_t page = s.tables[2][0]; // IPA 0x200000 -> L3 index 0
    assert_int_equal(page & 0xfffffffff000ull, 0x60400000);
    assert_int_equal(page & 3, 3);            // page
    assert_int_equal((page >> 2) & 0xf, 0xf); // normal write-back
    assert_int_equal((page >> 6) & 3, 1);     // read only
    assert_int_equal((page >> 54) & 1, 0);    // executable
    uint64_t block = s.tables[3][0];          // IPA 1 GiB -> L2 index 0
    assert_int_equal(block & 3, 1);           // block
    assert_int_equal(block & 0xfffffffff000ull, 0x80000000);
    assert_int_equal((block >> 6) & 3, 3);  // read-write
    assert_int_equal((block >> 54) & 1, 1); // never executable
    uint64_t dev = s.tables[4][0];
    assert_int_equal((dev >> 2) & 0xf, 1); // Device-nGnRE
    s2_free(&s);
}

// QEMU virt as boards/qemu_virt_aarch64/board.yaml describes it, written
// out here: the linker takes board facts from its caller and reads no
// board file (this test links against the linker library alone).
static const struct link_board qemu_virt = {
    .name = "qemu_virt_aarch64",
    .ram_base = 0x40000000,
    .ram_size = 0x80000000,
    .uart_driver = "pl011",
    .uart_base = 0x09000000,
    .uart_irq = 33,
    .gicd_base = 0x08000000,
    .gicr_base = 0x080a0000,
};

static int link_file(const char *path, const struct link_pd_config *c, size_t n)
{
    struct sdf_system sdf = {0};
    bool io_error = false;
    int rc;
    if (!sdf_parse_file(path, &sdf, &io_error))
        rc = io_error ? 2 : 1;
    else
        rc = link_system(&(struct link_inputs){&sdf, &qemu_virt, COMPONENTS, c, n, OUT, NULL});
    sdf_free(&sdf);
    diag_flush(stderr);
    return rc;
}

// Run fn(arg) with stderr captured into err; returns what fn returned.
static int capture(int (*fn)(void *), void *arg, char *err, size_t errlen)
{
    char path[] = "/tmp/test_link_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    diag_reset();
    int rc = fn(arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    ssize_t got = pread(fd, err, errlen - 1, 0);
    err[got > 0 ? got : 0] = 0;
    close(fd);
    unlink(path);
    return rc;
}

struct link_args {
    const char *sdf;
    const struct link_pd_config *c;
    size_t n;
};

static int link_args_run(void *arg)
{
    const struct link_args *a = arg;
    return link_file(a->sdf, a->c, a->n);
}

// Run the linker with stderr captured; returns its exit code.
static int link_capture(const char *sdf, const struct link_pd_config *c, size_t n, char *err,
                        size_t errlen)
{
    struct link_args a = {sdf, c, n};
    return capture(link_args_run, &a, err, errlen);
}

static struct sysgen_serial_driver_config sample_config(void)
{
    struct sysgen_serial_driver_config c;
    memset(&c, 0, sizeof(c));
    c.header.magic = SYSGEN_CONFIG_MAGIC;
    c.header.version = SYSGEN_CONFIG_VERSION;
    c.header.kind = SYSGEN_KIND_SERIAL_DRIVER;
    c.header.size = sizeof(c);
    strcpy(c.header.pd_name, "configured");
    c.uart.irq = 33;
    c.uart.regs_paddr = 0x9000000;
    return c;
}

static void config_lands_in_image(void **state)
{
    (void)state;
    struct sysgen_serial_driver_config c = sample_config();
    struct link_pd_config lc = {"configured", &c, sizeof(c)};
    char err[4096];
    unlink(OUT "/loader.img");
    assert_int_equal(link_capture(CONFIGURED, &lc, 1, err, sizeof(err)), 0);
    FILE *f = fopen(OUT "/loader.img", "rb");
    assert_non_null(f);
    static char img[1 << 20];
    size_t n = fread(img, 1, sizeof(img), f);
    fclose(f);
    assert_true(n > sizeof(c));
    int found = 0;
    for (size_t i = 0; i + sizeof(c) <= n; i++)
        found += memcmp(img + i, &c, sizeof(c)) == 0;
    assert_int_equal(found, 1);
}

static void config_without_section_is_an_error(void **state)
{
    (void)state;
    struct sysgen_serial_driver_config c = sample_config();
    struct link_pd_config lc = {"hello", &c, sizeof(c)};
    char err[4096];
    assert_int_equal(link_capture(HELLO, &lc, 1, err, sizeof(err)), 1);
    assert_non_null(strstr(err, "hello.system:6:1: error: program image 'tests/hello.elf' of "
                                "protection domain 'hello' has no .sysgen_config section"));
}

static void config_too_big_is_an_error(void **state)
{
    (void)state;
    static char big[4096];
    struct link_pd_config lc = {"configured", big, sizeof(big)};
    char err[4096];
    assert_int_equal(link_capture(CONFIGURED, &lc, 1, err, sizeof(err)), 1);
    assert_non_null(strstr(err, "its .sysgen_config section has 192 bytes, the config needs 4096"));
}

static void config_for_unknown_pd_is_internal(void **state)
{
    (void)state;
    char b[8] = {0};
    struct link_pd_config lc = {"nobody", b, sizeof(b)};
    char err[4096];
    assert_int_equal(link_capture(CONFIGURED, &lc, 1, err, sizeof(err)), 2);
    assert_non_null(strstr(err, "'nobody'"));
}

// The loader reads loader.img where it runs while it copies the chunks: a
// chunk landing there (an image too big for the board's runtime part) is
// refused, and no loader.img is left behind.
static struct elf_image loader;
static struct chunks chunks;

static int image_write_run(void *arg)
{
    (void)arg;
    return image_write(OUT, &loader, &chunks, 0x40000000, 0x60000000, 0x60001000);
}

static void chunk_over_the_running_image_is_refused(void **state)
{
    (void)state;
    char why[256], err[4096];
    assert_true(elf_load(COMPONENTS "/loader.elf", &loader, why, sizeof(why)));
    static const uint8_t data[16];
    unlink(OUT "/loader.img");
    chunks_add(&chunks, 0x60000000, 0x1000, data, sizeof(data), strdup("a chunk above it"));
    assert_int_equal(capture(image_write_run, NULL, err, sizeof(err)), 0);
    assert_int_equal(access(OUT "/loader.img", F_OK), 0);
    unlink(OUT "/loader.img");
    chunks_add(&chunks, 0x40080000 + 0x100, 0x1000, data, sizeof(data),
               strdup("a chunk on it"));
    assert_int_equal(capture(image_write_run, NULL, err, sizeof(err)), 2);
    assert_non_null(strstr(err, "would be overwritten by a chunk on it at 0x"));
    assert_int_not_equal(access(OUT "/loader.img", F_OK), 0);
    chunks_free(&chunks);
    elf_free(&loader);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stage2_page_and_block),
        cmocka_unit_test(config_lands_in_image),
        cmocka_unit_test(config_without_section_is_an_error),
        cmocka_unit_test(config_too_big_is_an_error),
        cmocka_unit_test(config_for_unknown_pd_is_internal),
        cmocka_unit_test(chunk_over_the_running_image_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
