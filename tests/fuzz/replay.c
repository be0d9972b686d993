// SPDX-License-Identifier: BSD-2-Clause
// Runs files through the fuzz target without libFuzzer (gcc, sanitizers):
// how the saved corpus becomes a regression test.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return 2;
        }
        static uint8_t buf[1 << 20];
        size_t n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, n);
        printf("ok - fuzz replay %s\n", argv[i]);
    }
    return 0;
}
