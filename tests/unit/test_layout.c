// SPDX-License-Identifier: BSD-2-Clause
// layout: a pure, deterministic function of the model that keeps the
// runtime's rules (unique ids, no overlaps, configs that say what the SDF says).
#include "unit.h"
#include "base/units.h"

#include <sysgen/config.h>

static const char *two =
    "board: qemu_virt_aarch64\n"
    "disk:\n  size: 64 MiB\n  partitions:\n"
    "    - { name: d0, size: 16 MiB }\n    - { name: d1, size: 16 MiB }\n"
    "guests:\n"
    "  - name: a\n    memory: 64 MiB\n    console: {}\n    block: { partition: d0 }\n"
    "    net: {}\n    vsock: {}\n"
    "  - name: b\n    memory: 128 MiB\n    console: {}\n    block: { partition: d1 }\n"
    "    net: { mac: \"52:54:00:00:00:01\" }\n    vsock: { cid: 3 }\n";

static struct system *laid_out(const char *yaml)
{
    struct system *s = check_text(yaml);
    assert_non_null(s);
    assert_int_equal(diag_error_count(), 0);
    assert_true(layout_system(s));
    return s;
}

static void same_input_same_layout(void **state)
{
    (void)state;
    struct system *x = laid_out(two), *y = laid_out(two);
    assert_int_equal(x->layout.npds, y->layout.npds);
    for (size_t i = 0; i < x->layout.npds; i++) {
        assert_string_equal(x->layout.pds[i]->name, y->layout.pds[i]->name);
        assert_int_equal(x->layout.pds[i]->config_size, y->layout.pds[i]->config_size);
        assert_memory_equal(x->layout.pds[i]->config, y->layout.pds[i]->config,
                            x->layout.pds[i]->config_size);
    }
    free_system(x);
    free_system(y);
}

static void derived_mac_is_local_unicast_and_stable(void **state)
{
    (void)state;
    struct system *s = laid_out(two);
    const uint8_t *m = s->guests[0].mac;
    assert_int_equal(m[0] & 1, 0); // unicast
    assert_int_equal(m[0] & 2, 2); // locally administered
    assert_memory_not_equal(m, s->guests[1].mac, 6);
    uint8_t first[6];
    memcpy(first, m, 6);
    free_system(s);
    s = laid_out(two);
    assert_memory_equal(first, s->guests[0].mac, 6);
    free_system(s);
    // another system name, another MAC
    diag_reset();
    struct node *t = load_yaml_string("other.yaml", two, strlen(two));
    s = check_tree("other.yaml", t);
    assert_true(layout_system(s));
    assert_memory_not_equal(first, s->guests[0].mac, 6);
    free_system(s);
}

static void omitted_cid_avoids_given_ones(void **state)
{
    (void)state;
    struct system *s = laid_out(two);
    assert_int_equal(s->guests[1].cid, 3); // given
    assert_int_equal(s->guests[0].cid, 4); // first free from 3
    free_system(s);
}

static void ids_unique_and_in_range(void **state)
{
    (void)state;
    struct system *s = laid_out(two);
    const struct layout *l = &s->layout;
    assert_int_equal(l->npds, system_pd_count(s));
    for (size_t p = 0; p < l->npds; p++) {
        bool used[SYSGEN_MAX_CHANNEL_ID + 1] = {false};
        const struct pd *pd = l->pds[p];
        for (size_t i = 0; i < pd->nirqs; i++) {
            assert_false(used[pd->irqs[i].id]);
            used[pd->irqs[i].id] = true;
        }
        for (size_t c = 0; c < l->nchannels; c++) {
            const struct channel *ch = &l->channels[c];
            if (ch->a != pd && ch->b != pd)
                continue;
            uint32_t id = ch->a == pd ? ch->id_a : ch->id_b;
            assert_true(id <= SYSGEN_MAX_CHANNEL_ID);
            assert_false(used[id]);
            used[id] = true;
        }
    }
    free_system(s);
}

static void regions_do_not_overlap(void **state)
{
    (void)state;
    struct system *s = laid_out(two);
    const struct layout *l = &s->layout;
    for (size_t i = 0; i < l->nmrs; i++) {
        const struct memory_region *a = l->mrs[i];
        assert_true(is_aligned(a->paddr, a->page_size));
        if (!a->device) {
            assert_true(a->paddr >= s->board->ram_base + s->board->runtime_size);
            assert_true(a->paddr + a->size <= s->board->ram_base + s->board->ram_size);
        }
        for (size_t j = 0; j < i; j++) {
            const struct memory_region *b = l->mrs[j];
            assert_true(a->paddr + a->size <= b->paddr || b->paddr + b->size <= a->paddr);
        }
    }
    // ... nor do the mappings inside one PD
    for (size_t p = 0; p < l->npds; p++) {
        const struct pd *pd = l->pds[p];
        for (size_t i = 0; i < pd->nmaps; i++)
            for (size_t j = 0; j < i; j++) {
                const struct mapping *a = &pd->maps[i], *b = &pd->maps[j];
                assert_true(a->vaddr + a->mr->size <= b->vaddr ||
                            b->vaddr + b->mr->size <= a->vaddr);
            }
    }
    free_system(s);
}

static void vmm_config_matches_guest_map(void **state)
{
    (void)state;
    struct system *s = laid_out(two);
    const struct guest *g = &s->guests[1];
    const struct sysgen_vmm_config *c = g->vmm->config;
    assert_int_equal(c->header.magic, SYSGEN_CONFIG_MAGIC);
    assert_int_equal(c->header.kind, SYSGEN_KIND_VMM);
    assert_int_equal(c->header.size, sizeof(*c));
    assert_string_equal(c->header.pd_name, "vmm_b");
    assert_int_equal(c->ram_size, 128ull << 20);
    assert_int_equal(c->dtb_gpa, 0x40000000 + (128ull << 20) - (2 << 20));
    assert_true(c->initrd_gpa + c->initrd_size <= c->dtb_gpa);
    assert_true(c->initrd_gpa >= c->kernel_gpa + g->kernel_image_size);
    assert_int_equal(c->block.present, 1);
    assert_int_equal(c->block_capacity, 16ull << 20);
    assert_memory_equal(c->mac, "\x52\x54\x00\x00\x00\x01", 6);
    assert_int_equal(c->num_peers, 1);
    assert_int_equal(c->peers[0].cid, 4);
    assert_int_equal(c->peers[0].side, 1);
    // the guest RAM mapping in the VMM is the region layout placed
    assert_int_equal(g->vmm->maps[0].mr->paddr, g->ram_paddr);
    assert_int_equal(c->ram_vaddr, g->vmm->maps[0].vaddr);
    free_system(s);
}

static void ram_exhaustion_is_reported(void **state)
{
    (void)state;
    // 1280 MiB of guests fits check's per-guest and total rule exactly,
    // but leaves no room for the shared regions: layout must say so.
    struct system *s = check_text("board: qemu_virt_aarch64\nguests:\n"
                                  "  - name: a\n    memory: 1280 MiB\n    console: {}\n");
    assert_int_equal(diag_error_count(), 0);
    assert_false(layout_system(s));
    assert_non_null(
        strstr(diag_peek(), "out of RAM placing memory region 'serial_tx_driver_queue'"));
    free_system(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_input_same_layout),
        cmocka_unit_test(derived_mac_is_local_unicast_and_stable),
        cmocka_unit_test(omitted_cid_avoids_given_ones),
        cmocka_unit_test(ids_unique_and_in_range),
        cmocka_unit_test(regions_do_not_overlap),
        cmocka_unit_test(vmm_config_matches_guest_map),
        cmocka_unit_test(ram_exhaustion_is_reported),
    };
    return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
