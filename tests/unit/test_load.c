// SPDX-License-Identifier: BSD-2-Clause
// load: YAML -> tree, with positions on every node.
#include "unit.h"

static void positions_on_every_node(void **state)
{
    (void)state;
    diag_reset();
    const char *y = "board: x\nguests:\n  - name: a\n    memory: 1 MiB\n";
    struct node *t = load_yaml_string("p.yaml", y, strlen(y));
    assert_non_null(t);
    assert_int_equal(t->kind, NODE_MAP);
    struct node *guests = map_get(t, "guests");
    assert_non_null(guests);
    assert_int_equal(guests->kind, NODE_SEQ);
    assert_int_equal(guests->count, 1);
    struct node *mem = map_get(guests->items[0], "memory");
    assert_string_equal(mem->text, "1 MiB");
    assert_int_equal(mem->pos.line, 4);
    assert_int_equal(mem->pos.col, 13);
    assert_string_equal(mem->pos.file, "p.yaml");
    tree_free(t);
}

static void syntax_error_has_position(void **state)
{
    (void)state;
    diag_reset();
    const char *y = "board: x\nguests: [a, b\n";
    assert_null(load_yaml_string("s.yaml", y, strlen(y)));
    assert_int_equal(diag_error_count(), 1);
    assert_non_null(strstr(diag_peek(), "s.yaml:3:1: error: YAML syntax:"));
}

static void duplicate_key_is_an_error(void **state)
{
    (void)state;
    diag_reset();
    const char *y = "board: x\nboard: y\n";
    assert_null(load_yaml_string("d.yaml", y, strlen(y)));
    assert_string_equal(diag_peek(),
                        "d.yaml:2:1: error: key 'board' appears twice in this mapping\n");
}

static void aliases_are_refused(void **state)
{
    (void)state;
    diag_reset();
    const char *y = "a: &x 1\nb: *x\n";
    assert_null(load_yaml_string("a.yaml", y, strlen(y)));
    assert_non_null(strstr(diag_peek(), "a.yaml:2:4: error: YAML aliases"));
}

static void quoted_scalars_are_marked(void **state)
{
    (void)state;
    diag_reset();
    const char *y = "a: \"\"\nb:\nc: ~\n";
    struct node *t = load_yaml_string("q.yaml", y, strlen(y));
    assert_non_null(t);
    assert_false(scalar_is_null(map_get(t, "a")));
    assert_true(scalar_is_null(map_get(t, "b")));
    assert_true(scalar_is_null(map_get(t, "c")));
    tree_free(t);
}

static void empty_and_deep_input(void **state)
{
    (void)state;
    diag_reset();
    assert_null(load_yaml_string("e.yaml", "", 0));
    assert_non_null(strstr(diag_peek(), "the file is empty"));
    diag_reset();
    char deep[400];
    memset(deep, '[', 200);
    memset(deep + 200, ']', 200);
    assert_null(load_yaml_string("n.yaml", deep, sizeof(deep)));
    assert_non_null(strstr(diag_peek(), "nesting deeper than 64 levels"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(positions_on_every_node),   cmocka_unit_test(syntax_error_has_position),
        cmocka_unit_test(duplicate_key_is_an_error), cmocka_unit_test(aliases_are_refused),
        cmocka_unit_test(quoted_scalars_are_marked), cmocka_unit_test(empty_and_deep_input),
    };
    return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
