// SPDX-License-Identifier: BSD-2-Clause
// What the block test's glue (blk_link.c), its client PD (blk_client.c)
// and tests/suites/32-blk.sh agree on.
#ifndef TESTS_BLK_TEST_H
#define TESTS_BLK_TEST_H

#define BLK_TEST_CLIENTS      3        // client2's config disagrees with the MBR
#define BLK_TEST_CLIENT_DATA  0x10000u // bytes of each client's data region
#define BLK_TEST_PART_SECTORS 4096u    // the 2 MiB partitions of tests/blk/disk.yaml
#define BLK_TEST_CH_BLK       1        // every client's channel to blk_virt
#define BLK_TEST_CH_DONE      2        // client1/client2 -> client0 (2 and 3 there)

#endif
