// SPDX-License-Identifier: BSD-2-Clause
// emit: the writers behind the generated files.
#include "emit/dt.h"
#include "emit/emit.h"
#include "unit.h"

#include <libfdt.h>
#include <stdlib.h>

static void dt_text_and_blob_agree(void **state)
{
    (void)state;
    struct dt_node *root = dt_node_new(NULL, "/");
    struct dt_node *n = dt_node_new(root, "dev@1000");
    uint64_t reg[2] = {0x100000000ull, 0x200};
    dt_prop_string(n, "compatible", "a\"b");
    dt_prop_u64s(n, "reg", reg, 2);
    dt_prop_empty(n, "dma-coherent");
    struct strbuf sb;
    sb_init(&sb);
    dt_to_dts(root, "hdr", false, &sb);
    assert_string_equal(sb.data, "/dts-v1/;\n\n/* hdr */\n\n/ {\n\tdev@1000 {\n"
                                 "\t\tcompatible = \"a\\\"b\";\n"
                                 "\t\treg = <0x1 0x0 0x0 0x200>;\n\t\tdma-coherent;\n\t};\n};\n");
    size_t size;
    void *fdt = dt_to_fdt(root, &size);
    assert_non_null(fdt);
    assert_int_equal(fdt_check_header(fdt), 0);
    int off = fdt_path_offset(fdt, "/dev@1000");
    assert_true(off >= 0);
    int len;
    const fdt32_t *cells = fdt_getprop(fdt, off, "reg", &len);
    assert_int_equal(len, 16);
    assert_int_equal(fdt32_to_cpu(cells[0]), 1);
    assert_int_equal(fdt32_to_cpu(cells[3]), 0x200);
    assert_non_null(fdt_getprop(fdt, off, "dma-coherent", &len));
    assert_int_equal(len, 0);
    free(fdt);
    sb_free(&sb);
    dt_free(root);
}

static void sdf_has_decimal_ids_and_sources(void **state)
{
    (void)state;
    struct system *s = check_text(GUEST_HEAD "    console: {}\n");
    assert_true(layout_system(s));
    struct strbuf sb;
    sb_init(&sb);
    emit_sdf(s, &sb);
    assert_non_null(strstr(sb.data, "<irq irq=\"33\" id=\"0\" />"));
    assert_non_null(strstr(sb.data, "<!-- t.yaml:3:5 -->\n    <protection_domain name=\"vmm_g0\""));
    assert_non_null(strstr(sb.data, "<virtual_machine name=\"g0\" priority=\"99\">"));
    assert_null(strstr(sb.data, "id=\"0x"));
    sb_free(&sb);
    free_system(s);
}

static void epoch_defaults_to_fat_epoch(void **state)
{
    (void)state;
    unsetenv("SOURCE_DATE_EPOCH");
    assert_int_equal(build_epoch(), 315532800);
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    assert_int_equal(build_epoch(), 1700000000);
    setenv("SOURCE_DATE_EPOCH", "12", 1); // before 1980: FAT cannot hold it
    assert_int_equal(build_epoch(), 315532800);
    setenv("SOURCE_DATE_EPOCH", "soon", 1);
    assert_int_equal(build_epoch(), 315532800);
    unsetenv("SOURCE_DATE_EPOCH");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dt_text_and_blob_agree),
        cmocka_unit_test(sdf_has_decimal_ids_and_sources),
        cmocka_unit_test(epoch_defaults_to_fat_epoch),
    };
    return cmocka_run_group_tests_name("emit", tests, NULL, NULL);
}
