// SPDX-License-Identifier: BSD-2-Clause
// What the block test's glue (blk_link.c), its client PD (blk_client.c)
// and tests/suites/32-blk.sh agree on.
#ifndef TESTS_BLK_TEST_H
#define TESTS_BLK_TEST_H

#define BLK_TEST_CLIENTS      3         // client2's config disagrees with the MBR
#define BLK_TEST_CLIENT_DATA  0x100000u // bytes of each client's data region
#define BLK_TEST_PART_SECTORS 4096u     // the 2 MiB partitions of tests/blk/disk.yaml
#define BLK_TEST_CH_BLK       1         // every client's channel to blk_virt
#define BLK_TEST_CH_DONE      2         // client1/client2 -> client0 (2 and 3 there)

// The burst: 32 requests at once (a full ring), each 32 KiB, covering
// partition sectors 1024..3071 (free clusters of the small FAT) from data
// offset 0.  Both clients together need more bounce space than blk_virt
// has, so some requests wait for others.  Sector s of client c holds
// byte i = (s * 31 + i * 7 + (i >> 8) + c * 101) & 0xff; 32-blk.sh builds
// the same bytes on the host.
#define BLK_TEST_BURST_N      32u
#define BLK_TEST_BURST_COUNT  64u   // sectors per request
#define BLK_TEST_BURST_SECTOR 1024u // first sector

#endif
