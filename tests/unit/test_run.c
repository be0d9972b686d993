// SPDX-License-Identifier: BSD-2-Clause
// run: the QEMU command line comes from the board data and the system.
#include "board/board.h"
#include "run/qemu.h"
#include "unit.h"

#include <stdlib.h>

static void qemu_board_with_disk_and_nic(void **state)
{
    (void)state;
    diag_reset();
    struct board *b = board_load(SYSGEN_DATA_DIR, "qemu_virt_aarch64", (struct pos){"t", 1, 1});
    assert_non_null(b);
    char **argv = qemu_argv(&(struct qemu_run){b, "out/loader.img", "out/disk.img", true, 1});
    assert_non_null(argv);
    char *line = qemu_command_line(argv);
    assert_string_equal(line,
                        "qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu cortex-a53"
                        " -m 2048M -nographic -nic none -semihosting"
                        " -global virtio-mmio.force-legacy=false"
                        " -drive if=none,id=disk,format=raw,file=out/disk.img"
                        " -device virtio-blk-device,drive=disk"
                        " -netdev user,id=net -device virtio-net-device,netdev=net"
                        " -kernel out/loader.img");
    free(line);
    qemu_argv_free(argv);
    board_free(b);
}

static void nic_without_disk_keeps_its_slot(void **state)
{
    (void)state;
    diag_reset();
    struct board *b = board_load(SYSGEN_DATA_DIR, "qemu_virt_aarch64", (struct pos){"t", 1, 1});
    char **argv = qemu_argv(&(struct qemu_run){b, "loader.img", NULL, true, 1});
    char *line = qemu_command_line(argv);
    // QEMU fills virtio-mmio slots from the top: something must take the
    // disk's slot (31) for the NIC to land in slot 30, where the board says.
    assert_non_null(strstr(line, " -device virtio-rng-device -netdev user,id=net -device "
                                 "virtio-net-device,netdev=net "));
    free(line);
    qemu_argv_free(argv);
    board_free(b);
}

static void odd_paths_are_quoted(void **state)
{
    (void)state;
    char *argv[] = {"echo", "it's here", "", "a b", NULL};
    char *line = qemu_command_line(argv);
    assert_string_equal(line, "echo 'it'\\''s here' '' 'a b'");
    free(line);
}

static void hardware_board_does_not_run(void **state)
{
    (void)state;
    diag_reset();
    struct board *b = board_load(SYSGEN_DATA_DIR, "maaxboard", (struct pos){"t", 1, 1});
    assert_non_null(b);
    assert_null(qemu_argv(&(struct qemu_run){b, "loader.img", NULL, false, 1}));
    assert_int_equal(diag_error_count(), 1);
    board_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(qemu_board_with_disk_and_nic),
        cmocka_unit_test(nic_without_disk_keeps_its_slot),
        cmocka_unit_test(odd_paths_are_quoted),
        cmocka_unit_test(hardware_board_does_not_run),
    };
    return cmocka_run_group_tests_name("run", tests, NULL, NULL);
}
