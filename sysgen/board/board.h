// SPDX-License-Identifier: BSD-2-Clause
// Boards are data: boards/<name>/board.yaml says where RAM, the UART, the
// GIC, the disk and the NIC are, and what every guest of that board sees.
#ifndef SYSGEN_BOARD_H
#define SYSGEN_BOARD_H

#include "link/link.h"
#include "model/model.h"

// Load the board called `name` from `data_dir`/boards/; NULL after errors
// (an unknown board is reported at `where`, listing the known ones).
struct board *board_load(const char *data_dir, const char *name, struct pos where);
void board_free(struct board *b);
// What the image linker needs of the board; the strings stay the board's.
struct link_board board_link_facts(const struct board *b);

struct sdf_link_request {
    const char *sdf_path;
    const struct board *board; // NULL: the board the SDF names, from data_dir/boards/
    const char *data_dir;
    const char *components;
    const struct link_pd_config *configs;
    size_t nconfigs;
    const char *out_dir;
};

// Read the SDF file and link it (link_system) on its board.  Returns 0, 1
// (invalid input) or 2 (I/O or internal error); errors are reported
// through diag and not flushed.  With `board_out`, the board loaded from
// data_dir is handed to the caller (NULL if none was).
int link_sdf_file(const struct sdf_link_request *r, struct board **board_out);

#endif
