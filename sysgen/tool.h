// SPDX-License-Identifier: BSD-2-Clause
// Running the external tools sysgen builds on (dtc, mkfs.fat, mcopy):
// argv straight to exec, no shell, output captured for the error message.
#ifndef SYSGEN_TOOL_H
#define SYSGEN_TOOL_H

#include <stdbool.h>

// Run argv[0] with `argv` (NULL-terminated).  On failure report the tool,
// its exit status and what it printed, and return false.
bool run_tool(const char *const argv[]);

#endif
