/* chan_buf.c -- a channel's buffer: a ring of fixed-size blocks.
 *
 * The values a channel buffers live in a circular singly-linked list of
 * blocks of B slots (B = PLAT_CHAN_BLOCK, or the capacity when that is
 * smaller), GC memory scanned by the collector.  Seen as one circular
 * array of `slots` (blocks times B) slots, the live values run from the
 * head position (hb, hi) to the tail position (tb, ti), and the free
 * slots from the tail round to the head.  A value is written at the tail, read at the head;
 * positions step to the next block at a block's end (the tail lazily: ti
 * may equal B, meaning "at the start of tb->next").
 *
 * Why blocks: the buffer of an unbounded channel used to be one array that
 * doubled, copied and was allocated with the channel lock held -- 2 MiB
 * and more for a busy channel, while the other workers spun on the lock.
 * Blocks grow the ring one at a time, by B slots, and never copy more
 * than B values.  And no block is ever allocated under the lock: when the
 * ring is full, the operation returns "needs a block" (buf_push false),
 * the caller drops its locks, allocates a block with plat_chan_block_new,
 * takes the lock again and links it in with plat__chan_buf_grow (only if
 * the ring is still full), then retries.  Receiving never needs a block.
 *
 * Growing, with the ring full (so the tail position equals the head's):
 *   - tail at the end of tb (ti == B, hence hi == 0 and tb->next == hb):
 *     the new block goes between tb and hb;
 *   - tail inside hb (0 < ti == hi < B; the newest values are hb[0..hi),
 *     the oldest hb[hi..B)): the new block goes after hb and the oldest
 *     values move into it at the same indices, so the head moves there;
 *     hb[hi..B) becomes free space after the newest values.
 * Shrinking (unbounded channels): when a receive leaves less than a
 * quarter of all but two blocks in use, the block after the tail, if
 * free, is unlinked (one per receive, so the ring follows a draining
 * channel); memory is thus O(values buffered + 2 blocks).  A bounded
 * ring keeps its blocks (at most the capacity rounded up to a block):
 * shrinking it made a channel that fills and drains in turn, the usual
 * producer/consumer rhythm, allocate its blocks again at every turn
 * (twice the CPU time on a 1024-slot pipeline).  An empty ring restarts
 * at the start of its tail block, so a channel that its receivers keep
 * empty touches one block.
 *
 * The hot operations, push and pop, are inline in chan_impl.h.
 *
 * Invariants (under the channel lock): 0 <= count <= slots = blocks * B;
 * count <= cap and slots < cap + B when bounded; every slot outside the live range is zero (the
 * collector keeps no dead value alive); a block is linked into at most
 * one ring, once.
 */
#include "chan_impl.h"
#include "rt_internal.h"

#define bsize plat__chan_bsize

/* The ring never exceeds 2^31 slots (16 GiB of values): an unbounded
 * channel asked to hold more is treated as out of memory.  So `slots`
 * and 2 * count fit in 32 bits. */
#define RING_MAX ((uint64_t)1 << 31)

uint64_t plat__chan_buf_slots(plat_chan *ch) { return ch->slots; }

plat_chan_block *plat_chan_block_new(plat_chan *ch)
{
  /* ch->cap is immutable: reading it without the lock is fine */
  return plat_alloc(sizeof(plat_chan_block) + (size_t)bsize(ch) * sizeof(plat_word));
}

bool plat__chan_buf_full(plat_chan *ch) { return ch->count == ch->slots; }

void plat__chan_buf_grow(plat_chan *ch, plat_chan_block *b)
{
  uint32_t B = bsize(ch);
  if ((uint64_t)ch->slots + B > RING_MAX) plat_gc_oom(((size_t)ch->slots + B) * sizeof(plat_word));
  ch->slots += B;
  if (!ch->tb) {                                    /* the first block */
    b->next = b;
    ch->hb = ch->tb = b;
    ch->hi = ch->ti = 0;
    return;
  }
  if (ch->ti == B) {                                /* between tb and hb */
    b->next = ch->tb->next;
    ch->tb->next = b;
    return;
  }
  /* tail inside hb: the oldest values hb[hi..B) move to b, after hb */
  plat_chan_block *h = ch->hb;
  for (uint32_t i = ch->hi; i < B; i++) {
    b->slot[i] = h->slot[i];
    h->slot[i] = 0;
  }
  b->next = h->next;
  h->next = b;
  ch->hb = b;
}

/* Unbounded channels, from plat__chan_buf_pop when the ring is mostly
 * free: unlink the block after the tail, which is not the head block, so
 * free (see the top comment: with count this small, the tail cannot be
 * wrapped into the head block). */
void plat__chan_buf_shrink(plat_chan *ch)
{
  plat_chan_block *f = ch->tb->next;
  if (f == ch->hb) return;
  ch->tb->next = f->next;
  ch->slots -= bsize(ch);
}
