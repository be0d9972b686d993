// SPDX-License-Identifier: BSD-2-Clause
// Running the external tools sysgen builds on (dtc, mkfs.fat, mcopy):
// argv straight to exec, no shell, output captured for the error message.
#ifndef SYSGEN_TOOL_H
#define SYSGEN_TOOL_H

#include <stdbool.h>

// Run argv[0] with `argv` (NULL-terminated).  On failure report the tool,
// its exit status and what it printed, and return false.
bool run_tool(const char *const argv[]);
// The same, but a tool that runs and fails is not reported: what it
// printed goes to `output` for the caller to report in its own words.
struct strbuf;
bool run_tool_output(const char *const argv[], struct strbuf *output);

#endif
