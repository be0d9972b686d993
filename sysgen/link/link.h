// SPDX-License-Identifier: BSD-2-Clause
// The image linker: the last compiler pass.  It reads a system description in
// SDF form, loads the prebuilt component ELFs, lays out physical memory,
// builds each PD's stage-2 tables and boot information, and writes
// OUT/loader.img, a file with an arm64 Image header that QEMU -kernel and
// U-Boot booti both start at EL2.
#ifndef SYSGEN_LINK_H
#define SYSGEN_LINK_H

// Link the SDF at sdf_path into out_dir/loader.img.  program_image paths are
// looked up next to the SDF first, then in components_dir (NULL means the
// default build/runtime).  out_dir NULL means ".".
// Returns 0 on success, 1 on invalid input (every error already printed to
// stderr as "file:line:col: error: message"), 2 on an internal or I/O error.
// On failure no image is written.
int link_sdf_file(const char *sdf_path, const char *components_dir, const char *out_dir);

#include <stddef.h>

// A PD's config bytes (a sysgen_*_config from <sysgen/config.h>), written
// into the `.sysgen_config` section of that PD's program image.
struct link_pd_config {
    const char *pd; // protection domain name in the SDF
    const void *bytes;
    size_t size;
};

// As link_sdf_file, and also write each config into its PD's ELF section.
// A config for a PD the SDF does not have is an internal error (2); a
// program image without a big enough section is invalid input (1).
int link_sdf_file_configs(const char *sdf_path, const char *components_dir, const char *out_dir,
                          const struct link_pd_config *configs, size_t nconfigs);

#endif
