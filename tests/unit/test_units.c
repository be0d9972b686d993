// SPDX-License-Identifier: BSD-2-Clause
// Sizes and numbers as written in YAML.
#include "unit.h"
#include "base/units.h"

static void sizes_with_units(void **state)
{
    (void)state;
    uint64_t v;
    assert_true(parse_size("256 MiB", &v));
    assert_int_equal(v, 256ull << 20);
    assert_true(parse_size("2GiB", &v));
    assert_int_equal(v, 2ull << 30);
    assert_true(parse_size("4 KiB", &v));
    assert_int_equal(v, 4096);
    assert_true(parse_size("0x1000_0000", &v));
    assert_int_equal(v, 0x10000000);
    assert_true(parse_size("4096", &v));
    assert_int_equal(v, 4096);
    assert_true(parse_size("7 B", &v));
    assert_int_equal(v, 7);
}

static void bad_sizes(void **state)
{
    (void)state;
    uint64_t v = 42;
    const char *bad[] = {"",
                         "MiB",
                         "256 MB",
                         "12 mib",
                         "1.5 GiB",
                         "-4",
                         "0x",
                         "4 KiB extra",
                         "_1",
                         "18446744073709551616",
                         "16777216 TiB"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(parse_size(bad[i], &v));
    assert_int_equal(v, 42);
}

static void plain_numbers(void **state)
{
    (void)state;
    uint64_t v;
    assert_true(parse_uint("3", &v));
    assert_int_equal(v, 3);
    assert_true(parse_uint("0xff", &v));
    assert_int_equal(v, 255);
    assert_true(parse_uint("18446744073709551615", &v));
    assert_false(parse_uint("3 MiB", &v));
    assert_false(parse_uint("three", &v));
}

static void sizes_print_back(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(format_size(256ull << 20, b), "256 MiB");
    assert_string_equal(format_size(3ull << 30, b), "3 GiB");
    assert_string_equal(format_size(4096, b), "4 KiB");
    assert_string_equal(format_size(4097, b), "4097 bytes");
}

static void ipv4_addresses(void **state)
{
    (void)state;
    uint32_t a;
    char buf[16];
    assert_true(parse_ipv4("10.0.2.15", &a));
    assert_int_equal(a, 0x0a00020f);
    assert_string_equal(format_ipv4(a, buf), "10.0.2.15");
    assert_true(parse_ipv4("255.255.255.255", &a));
    assert_string_equal(format_ipv4(a, buf), "255.255.255.255");
    assert_false(parse_ipv4("10.0.2.256", &a));  // a part above 255
    assert_false(parse_ipv4("10.0.2", &a));      // three parts
    assert_false(parse_ipv4("10.0.2.15.1", &a)); // five
    assert_false(parse_ipv4("10.0.2.0015", &a)); // four digits
    assert_false(parse_ipv4("10..2.15", &a));
    assert_false(parse_ipv4("10.0.2.15/24", &a)); // the prefix is the caller's
    assert_false(parse_ipv4("", &a));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sizes_with_units),
        cmocka_unit_test(bad_sizes),
        cmocka_unit_test(plain_numbers),
        cmocka_unit_test(sizes_print_back),
        cmocka_unit_test(ipv4_addresses),
    };
    return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
