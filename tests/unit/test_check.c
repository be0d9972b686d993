// SPDX-License-Identifier: BSD-2-Clause
// check: the typed model it builds and the rules it applies.  (Every rule's
// exact message is tested end to end by tests/errors/.)
#include "front/schema.h"
#include "unit.h"

static void minimal_system_is_valid(void **state)
{
    (void)state;
    struct system *s = check_text(GUEST_HEAD);
    assert_non_null(s);
    assert_int_equal(diag_error_count(), 0);
    assert_string_equal(s->board->name, "qemu_virt_aarch64");
    assert_int_equal(s->nguests, 1);
    assert_string_equal(s->guests[0].kernel, "default");
    assert_int_equal(s->guests[0].memory, 64ull << 20);
    assert_false(guest_has(&s->guests[0], CLASS_CONSOLE));
    free_system(s);
}

static void defaults_are_filled(void **state)
{
    (void)state;
    struct system *s = check_text("board: qemu_virt_aarch64\n"
                                  "disk:\n  size: 8 MiB\n  partitions:\n"
                                  "    - { name: scratch_area, size: 2 MiB }\n"
                                  "    - { name: b, size: 1 MiB, start: 4 MiB }\n");
    assert_non_null(s);
    // no guests key: an error, but the disk was still read
    assert_int_equal(s->disk.nparts, 2);
    assert_string_equal(s->disk.parts[0].label, "SCRATCH_ARE"); // 11 characters
    assert_int_equal(s->disk.parts[0].start, 1 << 20);          // board's first offset
    assert_int_equal(s->disk.parts[1].start, 4 << 20);          // as given
    assert_int_equal(s->disk.parts[1].index, 2);
    assert_non_null(strstr(diag_peek(), "system is missing the required key 'guests'"));
    free_system(s);
}

static void suggestion_for_a_typo(void **state)
{
    (void)state;
    assert_string_equal(schema_suggest(&schema_guest, "memroy"), "memory");
    assert_string_equal(schema_suggest(&schema_guest, "kernal"), "kernel");
    assert_null(schema_suggest(&schema_guest, "completely_different"));
}

static void errors_come_sorted(void **state)
{
    (void)state;
    // Rules run in table order; the output is sorted by position anyway.
    struct system *s = check_text("board: qemu_virt_aarch64\nguests:\n"
                                  "  - name: a\n    memory: 65 MiB\n"
                                  "  - name: a\n    memory: 64 MiB\n");
    assert_non_null(s);
    const char *out = diag_peek();
    const char *first = strstr(out, "t.yaml:4:13:"), *second = strstr(out, "t.yaml:5:5:");
    assert_non_null(first);
    assert_non_null(second);
    assert_true(first < second);
    assert_int_equal(diag_error_count(), 2);
    free_system(s);
}

static void kernel_header_is_read(void **state)
{
    (void)state;
    struct system *s = check_text(GUEST_HEAD);
    assert_int_equal(s->guests[0].kernel_text_offset, 0);
    assert_int_equal(s->guests[0].kernel_image_size, 2 << 20);
    assert_int_equal(s->guests[0].initrd_size, 4400);
    free_system(s);
}

static void pd_count_follows_devices(void **state)
{
    (void)state;
    struct system *s = check_text(GUEST_HEAD "    console: {}\n    net: {}\n"
                                             "  - name: g1\n    memory: 64 MiB\n    net: {}\n");
    assert_int_equal(diag_error_count(), 0);
    // serial 3 + net 3 + copiers 2 + VMMs 2
    assert_int_equal(system_pd_count(s), 10);
    assert_int_equal(vmm_channel_count(s, &s->guests[0]), 4);
    free_system(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(minimal_system_is_valid), cmocka_unit_test(defaults_are_filled),
        cmocka_unit_test(suggestion_for_a_typo),   cmocka_unit_test(errors_come_sorted),
        cmocka_unit_test(kernel_header_is_read),   cmocka_unit_test(pd_count_follows_devices),
    };
    return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
