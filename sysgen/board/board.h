// SPDX-License-Identifier: BSD-2-Clause
// Boards are data: boards/<name>/board.yaml says where RAM, the UART, the
// GIC, the disk and the NIC are, and what every guest of that board sees.
#ifndef SYSGEN_BOARD_H
#define SYSGEN_BOARD_H

#include "model/model.h"

// Load the board called `name` from `data_dir`/boards/; NULL after errors
// (an unknown board is reported at `where`, listing the known ones).
struct board *board_load(const char *data_dir, const char *name, struct pos where);
void board_free(struct board *b);

#endif
