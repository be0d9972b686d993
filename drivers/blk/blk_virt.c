// SPDX-License-Identifier: BSD-2-Clause
// Block virtualiser PD: gives each client exactly its MBR partition.
//
// At start it reads the MBR through the driver and holds each client's
// configured partition (number, start, size) against the MBR entry: a
// client whose entry disagrees, is empty, or overlaps an accepted client is
// refused (logged; all its requests fail with SG_BLK_ENODEV).  Requests
// wait in the clients' rings until the MBR is read.
//
// Then every request is untrusted: the descriptor is copied out once, its
// offset and length are checked against the client's data region and its
// sectors against the partition, and only then is anything copied.  Data
// moves through bounce buffers in the driver's data region, which only the
// driver and this PD map: a client sees its own data region, nothing else.
// A bad request fails alone; a client that breaks its ring indices is
// dropped alone.
#include <stddef.h>
#include <sysgen/bytes.h>

#include "blk/blk_config.h"

__attribute__((section(".sysgen_config"))) struct sysgen_blk_virt_config config;

// Bounce buffers: the driver's data region (below its reserved part) in
// 4 KiB units, first fit.  16 MiB of units at most; the rest goes unused.
#define UNIT      4096u
#define MAX_UNITS 4096u

enum state {
    C_DEAD,    // no usable connection, or it broke: ignored
    C_WAITING, // until the MBR is read
    C_REFUSED, // answered with SG_BLK_ENODEV
    C_SERVING,
};

struct client {
    struct sg_blk_end end;
    uint8_t *data;
    uint64_t data_size;
    uint64_t first, nsectors; // the partition, in disk sectors
    enum state state;
    uint32_t inflight; // taken, not yet answered
    bool stalled;      // `held` waits for bounce space
    struct sg_blk_desc held;
};

// One request at the driver; its index is the id the driver echoes.
struct job {
    bool busy;
    int client;             // -1: our own MBR read
    struct sg_blk_desc req; // as the client sent it (checked)
    uint32_t unit, units;
};

static struct client clients[SYSGEN_MAX_CLIENTS];
static struct job jobs[SG_BLK_RING_SIZE];
static struct sg_blk_end drv;
static uint8_t *drv_data;
static uint32_t nunits;
static bool unit_used[MAX_UNITS];
static bool ready;
static uint64_t notify_clients; // bit i: client i got responses

static int alloc_units(uint32_t n)
{
    for (uint32_t i = 0, run = 0; i < nunits; i++) {
        run = unit_used[i] ? 0 : run + 1;
        if (run == n) {
            for (uint32_t j = i + 1 - n; j <= i; j++)
                unit_used[j] = true;
            return (int)(i + 1 - n);
        }
    }
    return -1;
}

static void free_units(uint32_t first, uint32_t n)
{
    for (uint32_t j = first; j < first + n; j++)
        unit_used[j] = false;
}

static int alloc_job(void)
{
    for (int i = 0; i < (int)SG_BLK_RING_SIZE; i++)
        if (!jobs[i].busy)
            return i;
    return -1;
}

static void answer(uint32_t i, const struct sg_blk_desc *req, uint16_t status)
{
    struct client *c = &clients[i];
    if (c->state == C_DEAD)
        return;
    struct sg_blk_desc r = *req;
    r.status = status;
    sg_blk_respond(&c->end, &r);
    notify_clients |= 1ull << i;
}

// Send one request to the driver for job j (a free slot was found, so the
// driver's request ring has room: it never holds more than the jobs).
static void to_driver(int j, uint16_t op, uint64_t sector, uint32_t count)
{
    struct sg_blk_desc d = {
        .id = (uint32_t)j,
        .op = op,
        .count = count,
        .sector = sector,
        .offset = (uint64_t)jobs[j].unit * UNIT,
    };
    jobs[j].busy = true;
    sg_blk_request(&drv, &d);
}

void init(void)
{
    const struct sysgen_conn *dc = &config.driver;
    if (!sg_config_ok(&config.header, SYSGEN_KIND_BLK_VIRT, sizeof(config)) ||
        config.num_clients > SYSGEN_MAX_CLIENTS || !blk_end(dc, &drv) ||
        dc->data_size < SG_BLK_DRIVER_RESERVED + UNIT) {
        sg_printf("%s: unusable config, virtualiser stays idle\n", microkit_name);
        return;
    }
    drv_data = (uint8_t *)dc->data_vaddr;
    uint64_t units = (dc->data_size - SG_BLK_DRIVER_RESERVED) / UNIT;
    nunits = units > MAX_UNITS ? MAX_UNITS : (uint32_t)units;
    for (uint32_t i = 0; i < config.num_clients; i++) {
        struct client *c = &clients[i];
        const struct sysgen_conn *cc = &config.clients[i].conn;
        if (!blk_end(cc, &c->end)) {
            sg_printf("%s: client %u: unusable connection, ignored\n", microkit_name, i);
            continue;
        }
        c->data = (uint8_t *)cc->data_vaddr;
        c->data_size = cc->data_size;
        c->state = C_WAITING;
    }
    ready = true;
    // Sector 0 into unit 0, as job 0; the answer arrives in notified().
    jobs[0].client = -1;
    jobs[0].unit = (uint32_t)alloc_units(1);
    jobs[0].units = 1;
    to_driver(0, SG_BLK_OP_READ, 0, 1);
    microkit_notify(dc->ch);
}

static void refuse(uint32_t i, const char *why)
{
    sg_printf("%s: client %u refused: partition %u %s\n", microkit_name, i,
              config.clients[i].partition, why);
    clients[i].state = C_REFUSED;
}

// Decide each waiting client against the MBR in `mbr` (NULL: unreadable).
static void check_mbr(const uint8_t *mbr, uint16_t status)
{
    if (!mbr)
        sg_printf("%s: cannot read the MBR (status %u): refusing every client\n", microkit_name,
                  (unsigned)status);
    else if (mbr[510] != 0x55 || mbr[511] != 0xaa)
        sg_printf("%s: sector 0 has no MBR signature: refusing every client\n", microkit_name);
    for (uint32_t i = 0; i < config.num_clients; i++) {
        struct client *c = &clients[i];
        const struct sysgen_blk_client *cfg = &config.clients[i];
        if (c->state != C_WAITING)
            continue;
        if (!mbr || mbr[510] != 0x55 || mbr[511] != 0xaa) {
            c->state = C_REFUSED;
            continue;
        }
        if (cfg->partition < 1 || cfg->partition > 4) {
            refuse(i, "is not an MBR partition (1..4)");
            continue;
        }
        const uint8_t *e = mbr + 446 + 16 * (cfg->partition - 1);
        uint64_t lba = sg_le_get(e + 8, 4), n = sg_le_get(e + 12, 4);
        if (e[4] == 0 || n == 0) {
            refuse(i, "is empty in the MBR");
            continue;
        }
        if (cfg->start != lba * SG_BLK_SECTOR || cfg->size != n * SG_BLK_SECTOR) {
            sg_printf("%s: client %u refused: config says partition %u at %llu (+%llu bytes), "
                      "the MBR says %llu (+%llu bytes)\n",
                      microkit_name, i, cfg->partition, (unsigned long long)cfg->start,
                      (unsigned long long)cfg->size, (unsigned long long)(lba * SG_BLK_SECTOR),
                      (unsigned long long)(n * SG_BLK_SECTOR));
            c->state = C_REFUSED;
            continue;
        }
        // Two clients on overlapping sectors would see each other's data.
        uint32_t j = 0;
        while (j < i &&
               !(clients[j].state == C_SERVING && lba < clients[j].first + clients[j].nsectors &&
                 clients[j].first < lba + n))
            j++;
        if (j < i) {
            refuse(i, "overlaps an accepted client's");
            continue;
        }
        c->first = lba;
        c->nsectors = n;
        c->state = C_SERVING;
        sg_printf("%s: client %u: partition %u, sectors %llu..%llu\n", microkit_name, i,
                  cfg->partition, (unsigned long long)lba, (unsigned long long)(lba + n - 1));
    }
}

static void driver_done(const struct sg_blk_desc *r)
{
    if (r->id >= SG_BLK_RING_SIZE || !jobs[r->id].busy) {
        sg_printf("%s: driver answered unknown request %u\n", microkit_name, r->id);
        return;
    }
    struct job *j = &jobs[r->id];
    const uint8_t *buf = drv_data + (uint64_t)j->unit * UNIT;
    if (j->client < 0) {
        uint8_t mbr[SG_BLK_SECTOR];
        __builtin_memcpy(mbr, buf, sizeof(mbr));
        check_mbr(r->status == SG_BLK_OK ? mbr : NULL, r->status);
    } else {
        struct client *c = &clients[j->client];
        // The client's offset and count were checked when it was taken;
        // they are our copy, the client cannot have changed them since.
        if (r->status == SG_BLK_OK && j->req.op == SG_BLK_OP_READ && c->state != C_DEAD)
            __builtin_memcpy(c->data + j->req.offset, buf, (uint64_t)j->req.count * SG_BLK_SECTOR);
        c->inflight--;
        answer((uint32_t)j->client, &j->req, r->status);
    }
    if (j->units)
        free_units(j->unit, j->units);
    j->busy = false;
    j->units = 0;
}

// Check a client's request; SG_BLK_OK means it may go to the driver.
static uint16_t check(const struct client *c, const struct sg_blk_desc *r)
{
    if (c->state != C_SERVING)
        return SG_BLK_ENODEV;
    if (r->op == SG_BLK_OP_FLUSH)
        return SG_BLK_OK;
    if (r->op != SG_BLK_OP_READ && r->op != SG_BLK_OP_WRITE)
        return SG_BLK_EINVAL;
    if (!sg_blk_data_ok(r->offset, r->count, c->data_size) ||
        (uint64_t)r->count * SG_BLK_SECTOR > (uint64_t)nunits * UNIT)
        return SG_BLK_EINVAL;
    if (!sg_blk_range_ok(r->sector, r->count, c->nsectors))
        return SG_BLK_ERANGE;
    return SG_BLK_OK;
}

// Try to start one checked request; false if the resources are not there
// now (it stays held and is retried when the driver answers).
static bool start(uint32_t i, const struct sg_blk_desc *r)
{
    struct client *c = &clients[i];
    int j = alloc_job();
    if (j < 0 || sg_blk_full(&drv))
        return false;
    uint32_t units = r->op == SG_BLK_OP_FLUSH ? 0 : (r->count * SG_BLK_SECTOR + UNIT - 1) / UNIT;
    int u = units ? alloc_units(units) : 0;
    if (u < 0)
        return false;
    jobs[j].client = (int)i;
    jobs[j].req = *r;
    jobs[j].unit = (uint32_t)u;
    jobs[j].units = units;
    if (r->op == SG_BLK_OP_WRITE)
        __builtin_memcpy(drv_data + (uint64_t)u * UNIT, c->data + r->offset,
                         (uint64_t)r->count * SG_BLK_SECTOR);
    c->inflight++;
    if (r->op == SG_BLK_OP_FLUSH)
        to_driver(j, SG_BLK_OP_FLUSH, 0, 0);
    else
        to_driver(j, r->op, c->first + r->sector, r->count);
    return true;
}

// One request of client i, if it has one we can take; true if it made
// progress.  A request is taken only when its answer has room.
static bool serve_one(uint32_t i, bool *submitted)
{
    struct client *c = &clients[i];
    if (c->state == C_DEAD || c->state == C_WAITING || sg_blk_resp_room(&c->end) <= c->inflight)
        return false;
    if (!c->stalled) {
        int n = sg_blk_pending(&c->end);
        if (n < 0) {
            sg_printf("%s: client %u broke its request ring; dropping it\n", microkit_name, i);
            c->state = C_DEAD;
            return false;
        }
        if (n == 0)
            return false;
        sg_blk_take(&c->end, &c->held);
        uint16_t status = check(c, &c->held);
        if (status != SG_BLK_OK) {
            answer(i, &c->held, status);
            return true;
        }
    }
    c->stalled = !start(i, &c->held);
    if (!c->stalled)
        *submitted = true;
    return !c->stalled;
}

static void pump(void)
{
    bool submitted = false, progress = true;
    // Round robin, one request per client per turn: a busy client cannot
    // starve the others of bounce space or driver slots.
    while (progress) {
        progress = false;
        for (uint32_t i = 0; i < config.num_clients; i++)
            progress |= serve_one(i, &submitted);
    }
    if (submitted)
        microkit_notify(config.driver.ch);
}

void notified(microkit_channel ch)
{
    if (!ready)
        return;
    if (ch == config.driver.ch) {
        struct sg_blk_desc r;
        while (sg_blk_response(&drv, &r))
            driver_done(&r);
    }
    pump();
    for (uint32_t i = 0; i < config.num_clients; i++)
        if (notify_clients & (1ull << i))
            microkit_notify(config.clients[i].conn.ch);
    notify_clients = 0;
}
