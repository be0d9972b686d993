// SPDX-License-Identifier: BSD-2-Clause
// Fuzz target: any bytes as a system YAML, through load, check, layout and
// the in-memory emitters (SDF, memory map, manifest, config headers).  The
// disk and device-tree emitters are left out: they run external tools.
// Built with libFuzzer by `make fuzz`; tests/suites/29-fuzz-replay.sh runs
// the saved corpus through the same function under ASan+UBSan.
#include "check/check.h"
#include "front/read.h"
#include "emit/config_desc.h"
#include "base/diag.h"
#include "emit/emit.h"
#include "layout/layout.h"
#include "base/strbuf.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    diag_reset();
    sysgen_paths.data_dir = SYSGEN_DATA_DIR;
    sysgen_paths.guest_dir = SYSGEN_DATA_DIR "/tests/fixtures/guest";
    struct node *tree = load_yaml_string("fuzz.yaml", (const char *)data, size);
    if (tree) {
        struct system *sys = read_system("fuzz.yaml", tree, false);
        place_partitions(sys);
        check_system(sys);
        if (diag_error_count() == 0 && layout_system(sys)) {
            struct strbuf sb;
            sb_init(&sb);
            emit_sdf(sys, &sb);
            emit_memory_map(sys, &sb);
            emit_manifest(sys, &sb);
            sb_free(&sb);
        }
        system_free(sys);
    }
    diag_peek();
    diag_reset();
    return 0;
}
