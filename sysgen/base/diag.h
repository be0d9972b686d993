// SPDX-License-Identifier: BSD-2-Clause
// Diagnostics: every error and warning of a run, with the source position it
// refers to, printed sorted by position like a C compiler does.
#ifndef SYSGEN_DIAG_H
#define SYSGEN_DIAG_H

#include <stdbool.h>
#include <stdio.h>

// A position in a source file; line and col are 1-based, 0 when unknown.
struct pos {
    const char *file;
    int line;
    int col;
};

enum diag_level { DIAG_WARNING, DIAG_ERROR };

void diag_report(enum diag_level level, struct pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define error_at(pos, ...)   diag_report(DIAG_ERROR, (pos), __VA_ARGS__)
#define warning_at(pos, ...) diag_report(DIAG_WARNING, (pos), __VA_ARGS__)
// An error that belongs to no source position (I/O, a missing tool).
void fatal_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// A warning that belongs to no source position, printed at once.
void plain_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int diag_error_count(void);
// Print everything collected so far, sorted by file, line, column, then
// order of report, to `out`; forget it afterwards.
void diag_flush(FILE *out);
// Drop everything collected (used by unit tests).
void diag_reset(void);
// Collected messages as one string "file:line:col: error: msg\n..." (tests).
const char *diag_peek(void);

#endif
