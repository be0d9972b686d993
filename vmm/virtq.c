// SPDX-License-Identifier: BSD-2-Clause
// Split virtqueues, device side: see virtq.h for the trust rules.
#include "virtq.h"

void virtq_reset(struct virtq *q)
{
    *q = (struct virtq){0};
}

const char *virtq_enable(struct virtq *q, const struct guest_mem *m)
{
    uint64_t n = q->num;
    if (n == 0 || n > VIRTQ_NUM_MAX || (n & (n - 1)))
        return "queue size not a power of two up to QueueNumMax";
    // Alignments and sizes of virtio 1.2 §2.7: descriptor table 16,
    // driver area 2, device area 4; both rings include their event word.
    if ((q->desc_gpa & 15) || (q->avail_gpa & 1) || (q->used_gpa & 3))
        return "misaligned ring";
    void *d = gpa_to_va(m, q->desc_gpa, 16 * n);
    void *a = gpa_to_va(m, q->avail_gpa, 6 + 2 * n);
    void *u = gpa_to_va(m, q->used_gpa, 6 + 8 * n);
    if (!d || !a || !u)
        return "ring outside guest RAM";
    q->desc = d;
    q->avail = a;
    q->used = u;
    q->last_avail = 0;
    q->used_idx = 0;
    q->broken = false;
    q->ready = true;
    return 0;
}

bool virtq_no_interrupt(const struct virtq *q)
{
    return q->ready && (q->avail->flags & VIRTQ_AVAIL_F_NO_INTERRUPT);
}

int virtq_pop(struct virtq *q, const struct guest_mem *m, struct virtq_chain *c, const char **why)
{
    if (!q->ready || q->broken)
        return 0;
    uint16_t avail_idx = q->avail->idx;
    uint16_t pending = (uint16_t)(avail_idx - q->last_avail);
    if (pending == 0)
        return 0;
    if (pending > q->num) {
        q->broken = true;
        *why = "available index ran more than the queue size ahead";
        return -1;
    }
    __atomic_thread_fence(__ATOMIC_ACQUIRE); // the ring entry after the index
    uint16_t head = q->avail->ring[q->last_avail & (q->num - 1)];
    if (head >= q->num) {
        q->broken = true;
        *why = "available ring names a descriptor beyond the queue";
        return -1;
    }
    q->last_avail++;
    c->head = head;
    c->n = 0;
    c->bad = 0;
    c->bad_addr = 0;
    bool seen_write = false;
    uint16_t i = head;
    for (;;) {
        if (c->n == q->num) { // longer than the table: a loop
            c->bad = "descriptor chain longer than the queue";
            break;
        }
        // One copy of the descriptor: the guest may change it under us.
        struct virtq_desc d;
        d.addr = q->desc[i].addr;
        d.len = q->desc[i].len;
        d.flags = q->desc[i].flags;
        d.next = q->desc[i].next;
        if (d.flags & VIRTQ_DESC_F_INDIRECT) {
            c->bad = "indirect descriptor (not negotiated)";
            break;
        }
        void *va = gpa_to_va(m, d.addr, d.len);
        if (!va) {
            c->bad = "buffer outside guest RAM";
            c->bad_addr = d.addr;
            break;
        }
        bool w = d.flags & VIRTQ_DESC_F_WRITE;
        if (!w && seen_write) {
            c->bad = "device-readable buffer after a writable one";
            break;
        }
        seen_write |= w;
        c->seg[c->n++] = (struct virtq_seg){.va = va, .len = d.len, .write = w};
        if (!(d.flags & VIRTQ_DESC_F_NEXT))
            break;
        if (d.next >= q->num) {
            c->bad = "next descriptor beyond the queue";
            break;
        }
        i = d.next;
    }
    return 1;
}

void virtq_unpop(struct virtq *q)
{
    q->last_avail--;
}

void virtq_push(struct virtq *q, uint16_t head, uint32_t len)
{
    volatile struct virtq_used_elem *e = &q->used->ring[q->used_idx & (q->num - 1)];
    e->id = head;
    e->len = len;
    __atomic_thread_fence(__ATOMIC_RELEASE); // the element before the index
    q->used_idx++;
    q->used->idx = q->used_idx;
}

uint64_t virtq_stream_len(const struct virtq_chain *c, bool writable)
{
    uint64_t len = 0;
    for (unsigned i = 0; i < c->n; i++)
        if (c->seg[i].write == writable)
            len += c->seg[i].len;
    return len;
}

void virtq_stream_pieces(const struct virtq_chain *c, bool writable, uint64_t skip, uint64_t len,
                         virtq_piece_fn *fn, void *ctx)
{
    uint64_t at = 0;
    for (unsigned i = 0; i < c->n && len; i++) {
        const struct virtq_seg *s = &c->seg[i];
        if (s->write != writable)
            continue;
        if (skip >= s->len) {
            skip -= s->len;
            continue;
        }
        uint32_t n = (uint32_t)(s->len - skip < len ? s->len - skip : len);
        fn(s->va + skip, n, at, ctx);
        at += n;
        len -= n;
        skip = 0;
    }
}

static void piece_from_guest(uint8_t *va, uint32_t len, uint64_t at, void *ctx)
{
    volatile uint8_t *dst = (volatile uint8_t *)ctx + at;
    for (uint32_t i = 0; i < len; i++)
        dst[i] = va[i];
}

static void piece_to_guest(uint8_t *va, uint32_t len, uint64_t at, void *ctx)
{
    const volatile uint8_t *src = (const volatile uint8_t *)ctx + at;
    for (uint32_t i = 0; i < len; i++)
        va[i] = src[i];
}

void virtq_stream_read(const struct virtq_chain *c, uint64_t skip, volatile uint8_t *dst,
                       uint64_t len)
{
    virtq_stream_pieces(c, false, skip, len, piece_from_guest, (void *)dst);
}

void virtq_stream_write(const struct virtq_chain *c, uint64_t skip, const volatile uint8_t *src,
                        uint64_t len)
{
    virtq_stream_pieces(c, true, skip, len, piece_to_guest, (void *)src);
}
