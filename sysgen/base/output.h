// SPDX-License-Identifier: BSD-2-Clause
// The output directory, written all or nothing: every file goes into a
// staging directory beside it, and only a run that succeeded moves the
// staged files into place (rename, so each appears whole).
#ifndef SYSGEN_OUTPUT_H
#define SYSGEN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

struct output {
    char *dir;   // OUT
    char *stage; // .OUT.sysgen-stage-<pid>, beside OUT
};

bool out_begin(struct output *o, const char *dir);
// Write `relpath` (subdirectories created) into the stage.
bool out_write(struct output *o, const char *relpath, const void *data, size_t len);
// The staged path of `relpath` for tools that write files themselves
// (its directory exists).  Caller frees.
char *out_path(struct output *o, const char *relpath);
// Move everything staged into OUT: directories replace their old selves
// whole (so a removed guest's files do not linger), files are renamed.
bool out_commit(struct output *o);
// Drop the stage: nothing of this run is left behind.
void out_abort(struct output *o);

// rm -rf for our own staging trees.
void remove_tree(const char *path);
// mkdir -p; reports what it could not create.
bool make_dirs(const char *path);
// Write `len` bytes to `path` through a temporary file beside it and a
// rename, so `path` is either its old self or wholly new; the directory is
// created first.  Reports the error and returns false on failure.
bool write_file(const char *path, const void *data, size_t len);
// The same for dir/name.
bool write_in_dir(const char *dir, const char *name, const void *data, size_t len);

#endif
