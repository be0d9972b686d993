// SPDX-License-Identifier: BSD-2-Clause
// sysgen: compile a YAML system description into an SDF, per-PD configs,
// guest device trees, a disk image and (with the runtime) a boot image.
// This file is only the command line; each pass lives in its own file.
#include "card/card.h"
#include "check/check.h"
#include "classes/class.h"
#include "front/read.h"
#include "emit/emit.h"
#include "board/board_link.h"
#include "layout/layout.h"
#include "link/link.h"
#include "base/output.h"
#include "run/qemu.h"
#include "link/sdf.h"
#include "front/schema.h"
#include "base/strbuf.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SYSGEN_DATA_DIR
#define SYSGEN_DATA_DIR "."
#endif
#define SYSGEN_VERSION "0.1.0"

enum { EXIT_INVALID = 1, EXIT_USAGE = 2 };

static void usage(FILE *f)
{
    fputs("usage: sysgen [options] SYSTEM.yaml\n"
          "       sysgen --sdf FILE.system [-o DIR] [--components DIR]\n"
          "\n"
          "Compile a system description into OUT (default build/<system>/):\n"
          "  OUT/generated/system.sdf            Microkit SDF\n"
          "  OUT/generated/include/<pd>.h        each protection domain's config\n"
          "  OUT/generated/guests/<guest>.*      overlay .dts/.dtbo and final .dtb\n"
          "  OUT/generated/memory-map.txt        physical and guest memory maps\n"
          "  OUT/generated/manifest.json         everything layout decided\n"
          "  OUT/disk.img                        MBR disk with FAT partitions\n"
          "  OUT/sdcard.img                      instead, for a board that boots from its\n"
          "                                      disk (or with --sdcard): partition 1 holds\n"
          "                                      loader.img and U-Boot's boot files\n"
          "  OUT/loader.img                      the bootable image (once every component\n"
          "                                      the system needs is built)\n"
          "\n"
          "options:\n"
          "  -o, --output DIR     write into DIR\n"
          "  --check              validate only, write nothing\n"
          "  --run-qemu           build, then boot the image in QEMU (console on this\n"
          "                       terminal, Ctrl-A x quits); QEMU's exit status is ours\n"
          "  --qemu-command       build, then print the QEMU command --run-qemu would run\n"
          "  --no-image           stop after the generated files and disk.img\n"
          "  --sdcard DEV         build the boot card, then write it to DEV (a block\n"
          "                       device or a file): only its data blocks, never the\n"
          "                       bootloader's area, read back and compared\n"
          "  --yes                with --sdcard: do not ask before writing\n"
          "  --force              with --sdcard: write a device that is not removable\n"
          "  --bootloader FILE    with --sdcard: also write FILE (U-Boot's flash.bin)\n"
          "                       where the board's boot ROM reads it\n"
          "  --guest-dir DIR      where 'kernel: default' and 'initrd: default' are\n"
          "                       (default: build/guest of the sysgen tree)\n"
          "  --sdf FILE           link a hand-written SDF into OUT/loader.img\n"
          "  --components DIR     prebuilt component ELFs (default build/runtime of the\n"
          "                       sysgen tree)\n"
          "  --yaml-reference     print every YAML key, its type and meaning\n"
          "  --dump-config PD     print PD's config bytes in hex (for tests)\n"
          "  -h, --help           this text\n"
          "  --version            print the version\n"
          "\n"
          "Errors are printed as FILE:LINE:COL: error: MESSAGE, all of them, sorted.\n"
          "Exit status: 0 success, 1 invalid input, 2 usage or I/O error.\n"
          "The YAML language: docs/yaml.md; schema: schemas/system.schema.json.\n",
          f);
}

// The YAML language, from the same tables check uses.
static void yaml_reference(void)
{
    for (size_t i = 0; i < schema_all_count; i++) {
        const struct object_spec *o = schema_all[i];
        printf("%s:%s\n", o->what, o->nkeys ? "" : " (no keys)");
        for (size_t k = 0; k < o->nkeys; k++) {
            const struct key_spec *ks = &o->keys[k];
            printf("  %-10s %-10s %-9s %s\n", ks->key, value_type_name(ks->type) + 2,
                   ks->required ? "required" : "optional", ks->about);
        }
    }
}

struct options {
    const char *input, *out_dir, *sdf, *components, *dump_pd;
    bool check_only, run, print_run, no_image;
    const char *sdcard, *bootloader; // --sdcard DEV, --bootloader FILE
    bool yes, force;
};

static int parse_args(int argc, char **argv, struct options *o)
{
    enum {
        OPT_CHECK = 256,
        OPT_GUEST_DIR,
        OPT_SDF,
        OPT_COMPONENTS,
        OPT_DUMP,
        OPT_VERSION,
        OPT_REF,
        OPT_RUN,
        OPT_NO_IMAGE,
        OPT_QEMU_COMMAND,
        OPT_SDCARD,
        OPT_YES,
        OPT_FORCE,
        OPT_BOOTLOADER,
    };
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"check", no_argument, NULL, OPT_CHECK},
        {"run-qemu", no_argument, NULL, OPT_RUN},
        {"no-image", no_argument, NULL, OPT_NO_IMAGE},
        {"qemu-command", no_argument, NULL, OPT_QEMU_COMMAND},
        {"sdcard", required_argument, NULL, OPT_SDCARD},
        {"yes", no_argument, NULL, OPT_YES},
        {"force", no_argument, NULL, OPT_FORCE},
        {"bootloader", required_argument, NULL, OPT_BOOTLOADER},
        {"guest-dir", required_argument, NULL, OPT_GUEST_DIR},
        {"sdf", required_argument, NULL, OPT_SDF},
        {"components", required_argument, NULL, OPT_COMPONENTS},
        {"dump-config", required_argument, NULL, OPT_DUMP},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {"yaml-reference", no_argument, NULL, OPT_REF},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            o->out_dir = optarg;
            break;
        case OPT_CHECK:
            o->check_only = true;
            break;
        case OPT_RUN:
            o->run = true;
            break;
        case OPT_NO_IMAGE:
            o->no_image = true;
            break;
        case OPT_QEMU_COMMAND:
            o->run = o->print_run = true;
            break;
        case OPT_SDCARD:
            o->sdcard = optarg;
            break;
        case OPT_YES:
            o->yes = true;
            break;
        case OPT_FORCE:
            o->force = true;
            break;
        case OPT_BOOTLOADER:
            o->bootloader = optarg;
            break;
        case OPT_GUEST_DIR:
            sysgen_paths.guest_dir = optarg;
            break;
        case OPT_SDF:
            o->sdf = optarg;
            break;
        case OPT_COMPONENTS:
            o->components = optarg;
            break;
        case OPT_DUMP:
            o->dump_pd = optarg;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case OPT_REF:
            yaml_reference();
            exit(0);
        case OPT_VERSION:
            puts("sysgen " SYSGEN_VERSION);
            exit(0);
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (o->run && (o->check_only || o->no_image || o->dump_pd)) {
        fputs("sysgen: --run-qemu needs an image: not with --check, --no-image or --dump-config\n",
              stderr);
        return EXIT_USAGE;
    }
    if (o->sdcard && (o->run || o->check_only || o->no_image || o->dump_pd || o->sdf)) {
        fputs("sysgen: --sdcard builds and writes a card: not with --run-qemu, --check, "
              "--no-image, --dump-config or --sdf\n",
              stderr);
        return EXIT_USAGE;
    }
    if (!o->sdcard && (o->yes || o->force || o->bootloader)) {
        fputs("sysgen: --yes, --force and --bootloader go with --sdcard\n", stderr);
        return EXIT_USAGE;
    }
    if (o->sdf) {
        if (optind != argc) {
            fputs("sysgen: --sdf takes no YAML file\n", stderr);
            return EXIT_USAGE;
        }
        return 0;
    }
    if (optind + 1 != argc) {
        fputs(optind == argc ? "sysgen: no system file given\n"
                             : "sysgen: one system file at a time\n",
              stderr);
        usage(stderr);
        return EXIT_USAGE;
    }
    o->input = argv[optind];
    return 0;
}

static int dump_config(const struct system *sys, const char *name)
{
    for (size_t i = 0; i < sys->layout.npds; i++) {
        const struct pd *pd = sys->layout.pds[i];
        if (strcmp(pd->name, name) != 0)
            continue;
        const unsigned char *p = pd->config;
        for (size_t j = 0; j < pd->config_size; j++)
            printf("%02x%s", p[j], (j + 1) % 16 == 0 ? "\n" : " ");
        if (pd->config_size % 16)
            putchar('\n');
        return 0;
    }
    fprintf(stderr, "sysgen: no protection domain '%s'\n", name);
    return EXIT_USAGE;
}

// The program images the system needs that are not built yet, as one
// comma-separated list; NULL when all are there.
static char *missing_components(const struct system *sys, const char *components)
{
    struct strbuf sb;
    sb_init(&sb);
    for (size_t i = 0; i < sys->layout.npds; i++) {
        const char *image = sys->layout.pds[i]->program_image;
        char *path = xasprintf("%s/%s", components, image);
        if (access(path, R_OK) != 0 && !strstr(sb.data, image))
            sb_printf(&sb, "%s%s", sb.len ? ", " : "", image);
        free(path);
    }
    if (sb.len)
        return sb_steal(&sb);
    sb_free(&sb);
    return NULL;
}

// The YAML path: the generated SDF plus each PD's config.  *linked says
// whether loader.img was written (not when components are missing).
static int link_image(const struct system *sys, struct output *out, const char *components,
                      bool *linked)
{
    char *missing = missing_components(sys, components);
    *linked = false;
    if (missing) {
        plain_warning("no loader.img: components not built yet: %s (in %s)", missing, components);
        free(missing);
        return 0;
    }
    struct link_pd_config *configs = xcalloc(sys->layout.npds, sizeof(*configs));
    for (size_t i = 0; i < sys->layout.npds; i++)
        configs[i] = (struct link_pd_config){sys->layout.pds[i]->name, sys->layout.pds[i]->config,
                                             sys->layout.pds[i]->config_size};
    // The SDF is read back from its file: what is linked is what a reviewer reads.
    char *sdf = xasprintf("%s/generated/system.sdf", out->stage);
    char *name = xasprintf("%s/generated/system.sdf", out->dir);
    int rc = link_sdf_file(&(struct sdf_link_request){sdf, name, sys->board, NULL, components,
                                                      configs, sys->layout.npds, out->stage, NULL},
                           NULL);
    free(name);
    free(sdf);
    free(configs);
    *linked = rc == 0;
    return rc;
}

static int run_built(const struct board *b, const char *dir, const char *disk, bool nic,
                     unsigned cores, bool print)
{
    char *image = xasprintf("%s/loader.img", dir);
    char *disk_img = disk ? xasprintf("%s/%s", dir, disk) : NULL;
    int rc = EXIT_USAGE;
    if (access(image, R_OK) != 0)
        fatal_error("nothing to run: %s was not built (see the warning above)", image);
    else if (print)
        rc = print_qemu_command(&(struct qemu_run){b, image, disk_img, nic, cores});
    else
        rc = run_qemu(&(struct qemu_run){b, image, disk_img, nic, cores});
    free(image);
    free(disk_img);
    return rc;
}

// Passes 4 and 5 into OUT, all or nothing: emit, link, and on a boot card
// loader.img into its boot partition.
static int build(struct system *sys, const struct options *o, const char *dir)
{
    struct output out = {0};
    char real[PATH_MAX];
    bool linked = false;
    int rc = 0;
    if (!make_dirs(dir) || !realpath(dir, real) || !out_begin(&out, dir))
        rc = EXIT_USAGE;
    if (rc == 0) {
        sys->sdf_dir = xasprintf("%s/generated", real);
        if (!emit_all(sys, &out))
            rc = EXIT_USAGE;
    }
    if (rc == 0 && !o->no_image)
        rc = link_image(sys, &out, o->components, &linked);
    if (rc == 0 && linked)
        rc = disk_add_loader(sys, &out);
    if (rc == 0 && o->sdcard && !linked) {
        fatal_error("--sdcard: nothing to boot, loader.img was not built");
        rc = EXIT_USAGE;
    }
    if (rc == 0 && !out_commit(&out))
        rc = EXIT_USAGE;
    out_abort(&out);
    return rc;
}

// --sdcard DEV: OUT's card image onto DEV.
static int write_card(const struct system *sys, const struct options *o, const char *dir)
{
    const struct board *b = sys->board;
    char *image = xasprintf("%s/%s", dir, disk_image_name(sys));
    int rc =
        card_write(&(struct card_request){image, o->sdcard, sys->disk.parts[0].start, o->bootloader,
                                          b->bootloader_at, b->bootloader_end, o->yes, o->force});
    free(image);
    return rc;
}

// load -> read -> check -> layout -> emit -> link [-> run | card].  Errors of
// a pass stop the next one.
static int compile(const struct options *o)
{
    struct node *tree = load_yaml_file(o->input);
    if (!tree) {
        diag_flush(stderr);
        return EXIT_INVALID;
    }
    struct system *sys = read_system(o->input, tree, o->sdcard != NULL);
    place_partitions(sys); // layout's first decision: check's disk rules need it
    check_system(sys);
    int rc = 0;
    char *dir = NULL;
    if (diag_error_count() || !layout_system(sys)) {
        rc = EXIT_INVALID;
    } else if (o->run && !sys->board->qemu_machine) {
        fatal_error("--run-qemu: board '%s' has no QEMU model (no qemu: in its board.yaml); it "
                    "runs on hardware only",
                    sys->board->name);
        rc = EXIT_USAGE;
    } else if (o->dump_pd) {
        rc = dump_config(sys, o->dump_pd);
    } else if (!o->check_only) {
        dir = o->out_dir ? xstrdup(o->out_dir) : xasprintf("build/%s", sys->name);
        rc = build(sys, o, dir);
    }
    diag_flush(stderr);
    if (rc == 0 && diag_error_count() == 0 && o->sdcard)
        rc = write_card(sys, o, dir);
    if (rc == 0 && diag_error_count() == 0 && o->run) {
        // Attach the disk and NIC only when a driver PD owns them.
        const char *disk = system_uses(sys, CLASS_BLOCK) ? disk_image_name(sys) : NULL;
        bool nic = system_uses(sys, CLASS_NET) && !sys->no_uplink;
        rc = run_built(sys->board, dir, disk, nic, sys->layout.ncores, o->print_run);
    }
    free(dir);
    system_free(sys);
    return rc;
}

// --sdf FILE [--run-qemu]: link a hand-written system on the board its
// <system board="..."> names, then maybe boot it there.
static int link_sdf(const struct options *o)
{
    struct board *b = NULL;
    const char *out_dir = o->out_dir ? o->out_dir : ".";
    unsigned cores = 1;
    int rc = link_sdf_file(&(struct sdf_link_request){o->sdf, NULL, NULL, sysgen_paths.data_dir,
                                                      o->components, NULL, 0, out_dir, &cores},
                           &b);
    diag_flush(stderr);
    if (rc == 0 && o->run)
        rc = run_built(b, out_dir, NULL, false, cores, o->print_run);
    board_free(b);
    return rc;
}

int main(int argc, char **argv)
{
    struct options o = {0};
    const char *data = getenv("SYSGEN_DATA_DIR");
    sysgen_paths.data_dir = data && *data ? data : SYSGEN_DATA_DIR;
    char *default_guest_dir = xasprintf("%s/build/guest", sysgen_paths.data_dir);
    sysgen_paths.guest_dir = default_guest_dir;
    int rc = parse_args(argc, argv, &o);
    char *default_components = xasprintf("%s/build/runtime", sysgen_paths.data_dir);
    if (!o.components)
        o.components = default_components;
    if (rc == 0 && o.sdf)
        rc = link_sdf(&o);
    else if (rc == 0) {
        rc = compile(&o);
        if (rc == 0 && diag_error_count())
            rc = EXIT_USAGE; // an I/O error after the passes
    }
    free(default_guest_dir);
    free(default_components);
    return rc;
}
