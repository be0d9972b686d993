// SPDX-License-Identifier: BSD-2-Clause
#include "base/output.h"
#include "base/diag.h"
#include "base/strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool make_dirs(const char *path)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            fatal_error("cannot create directory %s: %s", p, strerror(errno));
            free(p);
            return false;
        }
        *s = '/';
    }
    bool ok = mkdir(p, 0777) == 0 || errno == EEXIST;
    if (!ok)
        fatal_error("cannot create directory %s: %s", p, strerror(errno));
    free(p);
    return ok;
}

void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *child = xasprintf("%s/%s", path, e->d_name);
            remove_tree(child);
            free(child);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

// The stage is a sibling of OUT (build/.two_guests.sysgen-stage-PID for
// build/two_guests): the same depth, so a path relative to a staged file
// (the SDF's <file> paths) stays right after the rename.
bool out_begin(struct output *o, const char *dir)
{
    char *copy = xstrdup(dir);
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/')
        copy[--n] = '\0';
    char *slash = strrchr(copy, '/');
    if (slash)
        *slash = '\0';
    o->dir = xstrdup(dir);
    o->stage = slash ? xasprintf("%s/.%s.sysgen-stage-%ld", copy, slash + 1, (long)getpid())
                     : xasprintf(".%s.sysgen-stage-%ld", copy, (long)getpid());
    free(copy);
    remove_tree(o->stage);
    return make_dirs(o->stage);
}

char *out_path(struct output *o, const char *relpath)
{
    char *p = xasprintf("%s/%s", o->stage, relpath);
    char *slash = strrchr(p, '/');
    *slash = '\0';
    bool ok = make_dirs(p);
    *slash = '/';
    if (!ok) {
        free(p);
        return NULL;
    }
    return p;
}

bool write_file(const char *path, const void *data, size_t len)
{
    char *dir = xstrdup(path), *slash = strrchr(dir, '/');
    char *tmp = slash ? xasprintf("%.*s/.%s.tmp", (int)(slash - dir), dir, slash + 1)
                      : xasprintf(".%s.tmp", path);
    if (slash)
        *slash = '\0';
    bool ok = !slash || make_dirs(dir);
    FILE *f = ok ? fopen(tmp, "wb") : NULL;
    bool written = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        written = false;
    if (ok && !written) {
        fatal_error("cannot write %s: %s", tmp, strerror(errno));
        ok = false;
    } else if (ok && rename(tmp, path) != 0) {
        fatal_error("cannot rename %s to %s: %s", tmp, path, strerror(errno));
        ok = false;
    }
    if (!ok)
        remove(tmp);
    free(dir);
    free(tmp);
    return ok;
}

bool write_in_dir(const char *dir, const char *name, const void *data, size_t len)
{
    char *path = xasprintf("%s/%s", dir, name);
    bool ok = write_file(path, data, len);
    free(path);
    return ok;
}

bool out_write(struct output *o, const char *relpath, const void *data, size_t len)
{
    return write_in_dir(o->stage, relpath, data, len);
}

bool out_commit(struct output *o)
{
    DIR *d = opendir(o->stage);
    struct dirent *e;
    bool ok = d != NULL;
    while (ok && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *from = xasprintf("%s/%s", o->stage, e->d_name);
        char *to = xasprintf("%s/%s", o->dir, e->d_name);
        char *old = xasprintf("%s/.sysgen-old-%s", o->dir, e->d_name);
        struct stat st;
        remove_tree(old);
        if (stat(from, &st) == 0 && S_ISDIR(st.st_mode) && rename(to, old) != 0 &&
            errno != ENOENT) {
            fatal_error("cannot move %s aside: %s", to, strerror(errno));
            ok = false;
        }
        if (ok && rename(from, to) != 0) {
            fatal_error("cannot rename %s to %s: %s", from, to, strerror(errno));
            ok = false;
        }
        remove_tree(old);
        free(from);
        free(to);
        free(old);
    }
    if (d)
        closedir(d);
    out_abort(o);
    return ok;
}

void out_abort(struct output *o)
{
    if (o->stage)
        remove_tree(o->stage);
    free(o->stage);
    free(o->dir);
    o->stage = o->dir = NULL;
}
