// SPDX-License-Identifier: BSD-2-Clause
// The image linker on a board from boards/: what the linker needs of the
// board, and linking an SDF file on the board it names.
#ifndef SYSGEN_BOARD_BOARD_LINK_H
#define SYSGEN_BOARD_BOARD_LINK_H

#include "board/board.h"
#include "link/link.h"

// What the image linker needs of the board; the strings stay the board's.
struct link_board board_link_facts(const struct board *b);

struct sdf_link_request {
    const char *sdf_path;
    const char *sdf_name; // what loader.map calls it (NULL: sdf_path): a staged
                          // SDF is named by where it will end up
    const struct board *board; // NULL: the board the SDF names, from data_dir/boards/
    const char *data_dir;
    const char *components;
    const struct link_pd_config *configs;
    size_t nconfigs;
    const char *out_dir;
    unsigned *cores_used; // if not NULL: the cores the linked system runs on
};

// Read the SDF file and link it (link_system) on its board.  Returns 0, 1
// (invalid input) or 2 (I/O or internal error); errors are reported
// through diag and not flushed.  With `board_out`, the board loaded from
// data_dir is handed to the caller (NULL if none was).
int link_sdf_file(const struct sdf_link_request *r, struct board **board_out);

#endif
