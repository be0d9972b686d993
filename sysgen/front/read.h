// SPDX-License-Identifier: BSD-2-Clause
// Reading the YAML tree into the typed model, applying the structural
// rules of front/shape.c as it goes (unknown keys, wrong types, bad sizes,
// bad names).  The board it names is loaded here.
#ifndef SYSGEN_FRONT_READ_H
#define SYSGEN_FRONT_READ_H

#include "model/model.h"

// The system `tree` (loaded from `path`) describes.  Never NULL; takes
// ownership of `tree`; errors go to diag.  The disk is a boot card (see
// model.h) when the board boots from its disk, or when `sdcard` asks.
struct system *read_system(const char *path, struct node *tree, bool sdcard);

#endif
