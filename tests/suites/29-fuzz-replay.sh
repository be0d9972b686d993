#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The fuzz target (tests/fuzz/fuzz_yaml.c) over every YAML we have and the
# saved fuzz corpus, built with gcc under ASan+UBSan: any sanitizer report
# fails.  `make fuzz` (clang, libFuzzer) finds new inputs; see fuzz.mk.
cd "$(dirname "$0")/../.."
BUILD=build/asan
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
if ! make -s BUILD=$BUILD SAN="$SAN" $BUILD/fuzz/replay >build/fuzz-build.log 2>&1; then
  echo "not ok - fuzz replay build"; cat build/fuzz-build.log; exit 1
fi
ASAN_OPTIONS=detect_leaks=1 $BUILD/fuzz/replay systems/*.yaml tests/errors/*.yaml tests/fuzz/corpus/*
