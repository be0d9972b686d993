// SPDX-License-Identifier: BSD-2-Clause
// The SDF reader: what a well-formed file turns into, defaults included,
// and that errors carry the line of the element they are about.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/diag.h"
#include "link/sdf.h"

static const char *write_tmp(const char *text)
{
    static char path[64];
    strcpy(path, "/tmp/test_sdf_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static const char good[] =
    "<?xml version=\"1.0\"?>\n"
    "<system board=\"maaxboard\">\n"
    "  <memory_region name=\"ram\" size=\"0x20_0000\" page_size=\"0x200000\">\n"
    "    <file path=\"k.img\" offset=\"4096\" />\n"
    "  </memory_region>\n"
    "  <memory_region name=\"uart\" size=\"0x1000\" phys_addr=\"0x9000000\" />\n"
    "  <protection_domain name=\"vmm\" priority=\"150\" passive=\"true\" stack_size=\"0x4000\">\n"
    "    <program_image path=\"vmm.elf\" />\n"
    "    <map mr=\"uart\" vaddr=\"0x2000000\" perms=\"r\" cached=\"false\" setvar_vaddr=\"u\" />\n"
    "    <irq irq=\"33\" id=\"5\" trigger=\"edge\" />\n"
    "    <setvar symbol=\"ram_pa\" region_paddr=\"ram\" />\n"
    "    <protection_domain name=\"kid\" id=\"3\">\n"
    "      <program_image path=\"kid.elf\" />\n"
    "    </protection_domain>\n"
    "    <virtual_machine name=\"vm\">\n"
    "      <vcpu id=\"0\" />\n"
    "      <map mr=\"ram\" vaddr=\"0x40000000\" perms=\"rwx\" />\n"
    "    </virtual_machine>\n"
    "  </protection_domain>\n"
    "  <channel>\n"
    "    <end pd=\"kid\" id=\"1\" pp=\"true\" />\n"
    "    <end pd=\"vmm\" id=\"2\" notify=\"false\" />\n"
    "  </channel>\n"
    "</system>\n";

static void well_formed_file(void **state)
{
    (void)state;
    diag_reset();
    struct sdf_system s;
    bool io;
    const char *path = write_tmp(good);
    assert_true(sdf_parse_file(path, &s, &io));
    assert_string_equal(s.board, "maaxboard");
    assert_int_equal(s.nmrs, 2);
    assert_int_equal(s.mrs[0].size, 0x200000);
    assert_int_equal(s.mrs[0].page_size, 0x200000);
    assert_false(s.mrs[0].has_phys_addr);
    assert_int_equal(s.mrs[0].nfiles, 1);
    assert_int_equal(s.mrs[0].files[0].offset, 4096);
    assert_true(s.mrs[1].has_phys_addr);
    assert_int_equal(s.mrs[1].page_size, 0x1000); // the default
    assert_int_equal(s.npds, 2);
    struct sdf_pd *vmm = &s.pds[0], *kid = &s.pds[1];
    assert_int_equal(vmm->priority, 150);
    assert_true(vmm->passive);
    assert_int_equal(vmm->stack_size, 0x4000);
    assert_int_equal(vmm->parent, -1);
    assert_int_equal(vmm->maps[0].perms, SDF_PERM_R);
    assert_false(vmm->maps[0].cached);
    assert_string_equal(vmm->maps[0].setvar_vaddr, "u");
    assert_int_equal(vmm->maps[0].pos.line, 9);
    assert_true(vmm->irqs[0].edge);
    assert_int_equal(vmm->irqs[0].id, 5);
    assert_string_equal(vmm->setvars[0].region_paddr, "ram");
    assert_non_null(vmm->vm);
    assert_int_equal(vmm->vm->nvcpus, 1);
    assert_int_equal(vmm->vm->maps[0].perms, SDF_PERM_R | SDF_PERM_W | SDF_PERM_X);
    assert_int_equal(kid->parent, 0);
    assert_int_equal(kid->child_id, 3);
    assert_int_equal(kid->priority, 100); // the default
    assert_int_equal(kid->stack_size, 0x2000);
    assert_int_equal(s.nchannels, 1);
    assert_true(s.channels[0].end[0].pp);
    assert_true(s.channels[0].end[0].notify);
    assert_false(s.channels[0].end[1].pp);
    assert_false(s.channels[0].end[1].notify);
    sdf_free(&s);
    unlink(path);
}

static void errors_point_at_their_element(void **state)
{
    (void)state;
    diag_reset();
    struct sdf_system s;
    bool io;
    const char *path = write_tmp("<system>\n"
                                 "  <memory_region name=\"a\" size=\"0x1001\" />\n"
                                 "  <protection_domain name=\"p\" priority=\"255\">\n"
                                 "    <program_image path=\"p.elf\" />\n"
                                 "    <map mr=\"a\" vaddr=\"0\" perms=\"rwz\" />\n"
                                 "  </protection_domain>\n"
                                 "</system>\n");
    assert_false(sdf_parse_file(path, &s, &io));
    assert_false(io);
    const char *d = diag_peek();
    char want[256];
    snprintf(want, sizeof(want), "%s:2:1: error: memory region 'a': size 0x1001", path);
    assert_non_null(strstr(d, want));
    snprintf(want, sizeof(want), "%s:3:1: error: protection domain 'p': priority 255", path);
    assert_non_null(strstr(d, want));
    snprintf(want, sizeof(want), "%s:5:1: error: <map> perms=\"rwz\"", path);
    assert_non_null(strstr(d, want));
    sdf_free(&s);
    diag_reset();
    unlink(path);
}

static void missing_file_is_io_error(void **state)
{
    (void)state;
    diag_reset();
    struct sdf_system s;
    bool io;
    assert_false(sdf_parse_file("/nonexistent/x.system", &s, &io));
    assert_true(io);
    sdf_free(&s);
    diag_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(well_formed_file),
        cmocka_unit_test(errors_point_at_their_element),
        cmocka_unit_test(missing_file_is_io_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
