// SPDX-License-Identifier: BSD-2-Clause
#include "base/tool.h"
#include "base/diag.h"
#include "base/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

bool run_tool_output(const char *const argv[], struct strbuf *output)
{
    char tmpl[] = "/tmp/sysgen-tool-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        fatal_error("cannot create a temporary file: %s", strerror(errno));
        return false;
    }
    unlink(tmpl);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd, 1);
    posix_spawn_file_actions_adddup2(&fa, fd, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        close(fd);
        fatal_error("cannot run %s: %s (is it installed? see 'make deps')", argv[0], strerror(rc));
        return false;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok && output) {
        char buf[4096];
        ssize_t n;
        lseek(fd, 0, SEEK_SET);
        while ((n = read(fd, buf, sizeof(buf))) > 0 && output->len < 16384)
            sb_add(output, buf, (size_t)n);
    } else if (!ok) {
        struct strbuf cmd, out;
        sb_init(&cmd);
        sb_init(&out);
        for (size_t i = 0; argv[i]; i++)
            sb_printf(&cmd, "%s%s", i ? " " : "", argv[i]);
        char buf[4096];
        ssize_t n;
        lseek(fd, 0, SEEK_SET);
        while ((n = read(fd, buf, sizeof(buf))) > 0 && out.len < 16384)
            sb_add(&out, buf, (size_t)n);
        fatal_error("%s failed (exit %d):\n  %s\n%s", argv[0],
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1, cmd.data, out.data);
        sb_free(&cmd);
        sb_free(&out);
    }
    close(fd);
    return ok;
}

bool run_tool(const char *const argv[])
{
    return run_tool_output(argv, NULL);
}
