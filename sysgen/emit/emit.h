// SPDX-License-Identifier: BSD-2-Clause
// Pass 4, emit: write the artefacts a reviewer reads (and the binaries
// built from them) into OUT/generated/ and OUT/, through the staging output.
#ifndef SYSGEN_EMIT_H
#define SYSGEN_EMIT_H

#include "model/model.h"
#include "base/output.h"
#include "base/strbuf.h"

bool emit_all(struct system *sys, struct output *out);

// One file each, named for what it writes.
void emit_sdf(const struct system *sys, struct strbuf *sb);
bool emit_configs(const struct system *sys, struct output *out);
bool emit_guest_trees(const struct system *sys, struct output *out);
void emit_memory_map(const struct system *sys, struct strbuf *sb);
void emit_manifest(const struct system *sys, struct strbuf *sb);
bool emit_boot_files(const struct system *sys, struct output *out);
bool emit_disk(const struct system *sys, struct output *out);
// OUT/disk.img, or OUT/sdcard.img for a boot card.
const char *disk_image_name(const struct system *sys);
// After the link: OUT/loader.img into a boot card's boot partition.
// 0, 1 (it does not fit: reported at the YAML) or 2 (I/O, reported).
int disk_add_loader(const struct system *sys, struct output *out);
// The largest loader.img the boot files can start (emit/boot.c).
uint64_t boot_load_limit(void);

// Write what `fn` prints for the system to OUT/rel.
bool write_text(struct output *out, const char *rel, const struct system *sys,
                void (*fn)(const struct system *, struct strbuf *));

// "systems/two_guests.yaml:12:5": where a generated thing came from.
const char *pos_text(struct pos p, char buf[256]);
// The run's timestamp: SOURCE_DATE_EPOCH, or a fixed 1980-01-01.
long long build_epoch(void);
// "52:54:00:12:34:56"
const char *mac_text(const uint8_t m[6], char buf[18]);

#endif
