// SPDX-License-Identifier: BSD-2-Clause
// The i.MX uSDHC ("fsl,imx7d-usdhc", the i.MX8MQ's too) with an SD card in
// its slot: register logic and the SD card protocol, in portable C over
// drivers/mmio.h and drivers/dma.h.  The same code runs in the MaaXBoard's
// block driver PD, against QEMU's uSDHC model (tests/imx/usdhc.c on
// mcimx7d-sabre) and against a host model (tests/imx/host/test_usdhc.c).
//
// Card set-up (usdhc_init) is synchronous and bounded by timeouts: it runs
// once, when the driver starts, from whatever state the card is in (power
// on, or left by U-Boot).  A transfer is started by usdhc_start and ended
// by usdhc_finish when the controller interrupts (or when a test polls):
// multi-block, by ADMA2, with the card's stop command sent by the
// controller (auto CMD12).  Every error ends the request it belongs to,
// with the controller's command and data lines reset, never the driver.
#ifndef DRIVERS_BLK_IMX_USDHC_H
#define DRIVERS_BLK_IMX_USDHC_H

#include <stdbool.h>
#include <stdint.h>

#define USDHC_SECTOR      512u
#define USDHC_ADMA_CHUNK  0x8000u // bytes per ADMA2 descriptor
#define USDHC_ADMA_DESCS  64u     // so one transfer moves up to 2 MiB
#define USDHC_MAX_SECTORS (USDHC_ADMA_DESCS * USDHC_ADMA_CHUNK / USDHC_SECTOR)

enum usdhc_result {
    USDHC_OK = 0,
    USDHC_BUSY,     // the transfer is still going
    USDHC_ENOCARD,  // no card in the slot, or it was removed
    USDHC_ETIMEOUT, // the card did not answer a command, or data stopped
    USDHC_ECRC,     // a command or data CRC failed
    USDHC_EDMA,     // the controller could not use an ADMA2 descriptor or buffer
    USDHC_ECARD,    // the card reported an error in its status
    USDHC_EINVAL,   // not a request this driver makes (a bug of the caller)
    USDHC_EUNSUPP,  // the card is not an SD memory card this driver knows
};

// One ADMA2 descriptor (32-bit addressing): attributes, length, address.
struct usdhc_adma {
    uint16_t attr;
    uint16_t len;
    uint32_t addr;
};
_Static_assert(sizeof(struct usdhc_adma) == 8, "ADMA2 descriptor: 8 bytes");

struct usdhc {
    volatile void *regs;
    uint32_t clock_hz;         // the controller's reference clock
    uint64_t (*now_us)(void);  // microseconds, for timeouts while setting up
    volatile struct usdhc_adma *adma; // USDHC_ADMA_DESCS descriptors, DMA-able
    uint32_t adma_pa;
    bool card_detect; // the slot's card-detect signal reaches the controller
    // The card, once usdhc_init() found it.
    uint16_t rca;
    bool block_addressed; // SDHC/SDXC (sector addresses), not SDSC (bytes)
    uint64_t sectors;
    uint32_t sd_clock_hz; // what the card is clocked at now
    // The transfer in flight.
    bool busy;
    bool write;
    void *buf_va;
    uint32_t buf_len;
    uint32_t last_int_status; // INT_STATUS when the last command or transfer ended
};

// Reset the controller and set the card up for transfers: identified,
// selected, 4-bit bus, 512-byte blocks, up to 25 MHz.  `adma` is memory
// for USDHC_ADMA_DESCS descriptors at physical `adma_pa` (below 4 GiB).
enum usdhc_result usdhc_init(struct usdhc *u, volatile void *regs, uint32_t clock_hz,
                             uint64_t (*now_us)(void), volatile struct usdhc_adma *adma,
                             uint32_t adma_pa);

// Start reading (or writing) `count` sectors at `sector` into (from) the
// buffer at physical `buf_pa`, mapped at `buf_va`: below 4 GiB, 4-byte
// aligned, at most USDHC_MAX_SECTORS.  USDHC_OK: it is going.
enum usdhc_result usdhc_start(struct usdhc *u, bool write, uint64_t sector, uint32_t count,
                              uint64_t buf_pa, void *buf_va);

// The transfer's end, if it has ended (USDHC_BUSY if not): the interrupt
// status is acknowledged and, after an error, the controller made ready
// for the next request.
enum usdhc_result usdhc_finish(struct usdhc *u);

// Whether the controller has interrupt status a transfer waits for.
bool usdhc_pending(const struct usdhc *u);

const char *usdhc_strerror(enum usdhc_result r);

#endif
