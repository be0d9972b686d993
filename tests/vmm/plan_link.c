// SPDX-License-Identifier: BSD-2-Clause
// Test glue for the VMM's devices: sysgen's YAML path leaves a device
// class out of guests until every part of it exists (check.c,
// rule_device_ready), and the VMM is the last part.  This program runs
// the same passes as `sysgen -o OUT SYSTEM.yaml` with --plan-all-devices'
// layout (so guests get every device the YAML asks for, with the driver
// and virtualiser PDs behind it), links loader.img with every PD's config
// as sysgen does, and prints the QEMU command that boots it (disk and NIC
// attached when a driver owns them).
// Usage: plan_link SYSTEM.yaml OUT COMPONENTS GUEST_DIR
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "emit.h"
#include "layout.h"
#include "link.h"
#include "output.h"
#include "run_qemu.h"
#include "strbuf.h"

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: plan_link SYSTEM.yaml OUT COMPONENTS GUEST_DIR\n");
        return 2;
    }
    const char *yaml = argv[1], *dir = argv[2], *components = argv[3];
    sysgen_paths.data_dir = ".";
    sysgen_paths.guest_dir = argv[4];
    plan_all_devices = true;
    struct node *tree = load_yaml_file(yaml);
    if (!tree) {
        diag_flush(stderr);
        return 1;
    }
    struct system *sys = check_system(yaml, tree);
    if (diag_error_count() || !layout_system(sys)) {
        diag_flush(stderr);
        return 1;
    }
    struct output out = {0};
    char real[PATH_MAX];
    int rc = 1;
    if (make_dirs(dir) && realpath(dir, real) && out_begin(&out, dir)) {
        sys->sdf_dir = xasprintf("%s/generated", real);
        if (emit_all(sys, &out)) {
            struct link_pd_config *configs = xcalloc(sys->layout.npds, sizeof(*configs));
            for (size_t i = 0; i < sys->layout.npds; i++)
                configs[i] =
                    (struct link_pd_config){sys->layout.pds[i]->name, sys->layout.pds[i]->config,
                                            sys->layout.pds[i]->config_size};
            char *sdf = xasprintf("%s/generated/system.sdf", out.stage);
            rc = link_sdf_file_configs(sdf, components, out.stage, configs, sys->layout.npds);
            free(sdf);
            free(configs);
        }
        if (rc == 0 && !out_commit(&out))
            rc = 1;
        out_abort(&out);
    }
    diag_flush(stderr);
    if (rc == 0) {
        // Attach the disk and NIC when a driver PD owns them, as sysgen does.
        bool has_disk = false, nic = false;
        for (size_t i = 0; i < sys->layout.npds; i++) {
            has_disk |= sys->layout.pds[i]->role == ROLE_BLK_DRIVER;
            nic |= sys->layout.pds[i]->role == ROLE_NET_DRIVER;
        }
        char *image = xasprintf("%s/loader.img", dir);
        char *disk = has_disk ? xasprintf("%s/disk.img", dir) : NULL;
        rc = print_qemu_command(&(struct qemu_run){sys->board, image, disk, nic});
        free(image);
        free(disk);
    }
    layout_free(&sys->layout);
    system_free(sys);
    return rc;
}
