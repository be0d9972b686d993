// SPDX-License-Identifier: BSD-2-Clause
// Shared set-up for the cmocka unit tests: run the front passes on YAML
// text and look at the model or the diagnostics.
#ifndef SYSGEN_TEST_UNIT_H
#define SYSGEN_TEST_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "check/check.h"
#include "classes/class.h"
#include "front/read.h"
#include "base/diag.h"
#include "layout/layout.h"
#include "front/tree.h"

// Read, place partitions and check, as sysgen does before layout.
static inline struct system *check_tree(const char *name, struct node *t)
{
    struct system *s = read_system(name, t, false);
    place_partitions(s);
    check_system(s);
    return s;
}

// Load and check `yaml` (named "t.yaml"); the caller frees with free_system.
static inline struct system *check_text(const char *yaml)
{
    diag_reset();
    sysgen_paths.data_dir = SYSGEN_DATA_DIR;
    sysgen_paths.guest_dir = SYSGEN_DATA_DIR "/tests/fixtures/guest";
    struct node *t = load_yaml_string("t.yaml", yaml, strlen(yaml));
    if (!t)
        return NULL;
    return check_tree("t.yaml", t);
}

static inline void free_system(struct system *s)
{
    system_free(s);
}

// A minimal valid system, with room for one more line in each guest.
#define GUEST_HEAD "board: qemu_virt_aarch64\nguests:\n  - name: g0\n    memory: 64 MiB\n"

#endif
