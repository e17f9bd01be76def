/* chan_impl.h -- channel internals shared by chan.c and select.c.
 * Not part of the public contract (plat_chan.h is). */
#ifndef PLAT_CHAN_IMPL_H
#define PLAT_CHAN_IMPL_H

#include <stdatomic.h>
#include "plat_chan.h"

/* A parked sender or receiver (Go's sudog).  Lives on the waiting task's
 * stack (or in GC memory for a large select), so the collector sees the
 * value it carries.  `linked` and the list links are guarded by the lock
 * of `ch`; `val` and `ok` are written by the waker under that lock before
 * it wakes the task, and read by the task only if that wake won the park
 * (the wake token is then this record). */
typedef struct plat_waiter {
  struct plat_waiter *next, *prev;
  plat_task *task;
  plat_chan *ch;
  plat_word val;         /* send: the value offered; recv: the value received */
  bool ok;               /* set by the waker: false means woken by close */
  bool linked;           /* in ch's recvq or sendq */
  int arm;               /* select arm index, -1 for a plain send/recv */
} plat_waiter;

/* A FIFO of waiters: a circular doubly-linked list through `next`/`prev`;
 * head->prev is the tail.  One word, to keep the channel small. */
typedef struct plat_waitq { plat_waiter *head; } plat_waitq;

/* A block of a channel's buffer ring (chan_buf.c): GC memory, scanned. */
#define PLAT_CHAN_BLOCK 64     /* slots per block (fewer if the capacity is smaller) */
typedef struct plat_chan_block {
  struct plat_chan_block *next;          /* ring link */
  plat_word slot[];
} plat_chan_block;

/* 56 bytes: the collector rounds it to a 64-byte object, which it places
 * at a multiple of 64 in its block -- so each channel (its lock and its
 * hot fields) owns one cache line, and two channels used by different
 * cores never share one. */
struct plat_chan {
  atomic_uchar lock;     /* spinlock guarding every field below */
  bool closed;
  uint16_t hi;           /* ring: index of the oldest value in hb */
  uint16_t ti;           /* ring: index of the next free slot in tb (may equal the block size) */
  int16_t holder;        /* 1 + id of a worker that took the lock contended */
  uint32_t count;        /* values buffered */
  uint32_t slots;        /* ring size: blocks * block size */
  int64_t cap;           /* -1: unbounded; immutable */
  plat_chan_block *hb;   /* ring: block of the head (oldest value) */
  plat_chan_block *tb;   /* ring: block of the tail */
  plat_waitq recvq, sendq;
};

void plat__chan_lock(plat_chan *ch);
void plat__chan_unlock(plat_chan *ch);
void plat__waitq_push(plat_waitq *q, plat_waiter *w);
void plat__waitq_unlink(plat_waitq *q, plat_waiter *w);
/* With ch locked: complete a send/recv now if possible.  try_send_locked
 * requires !ch->closed and returns a PLAT__SEND_* code: GROW means the
 * value fits but the buffer ring needs one more block, which the caller
 * allocates after unlocking (plat__chan_add_block) before retrying.
 * try_recv_locked sets *ok = false when the channel is closed and drained
 * (that also counts as done). */
enum { PLAT__SEND_DONE, PLAT__SEND_FULL, PLAT__SEND_GROW };
int plat__chan_try_send_locked(plat_chan *ch, plat_word v);
bool plat__chan_try_recv_locked(plat_chan *ch, plat_word *out, bool *ok);
/* Without any lock held: allocate a block and link it into ch's ring if
 * the ring is still full; for a send that got PLAT__SEND_GROW. */
void plat__chan_add_block(plat_chan *ch);

/* chan_buf.c: the buffer ring, all under ch's lock except block_new. */
plat_chan_block *plat_chan_block_new(plat_chan *ch);   /* no lock held */
bool plat__chan_buf_full(plat_chan *ch);
void plat__chan_buf_grow(plat_chan *ch, plat_chan_block *b);
void plat__chan_buf_shrink(plat_chan *ch);
uint64_t plat__chan_buf_slots(plat_chan *ch);          /* for tests */

/* Slots per block of ch's ring (cap is immutable). */
static inline uint32_t plat__chan_bsize(const plat_chan *ch)
{
  return ch->cap > 0 && ch->cap < PLAT_CHAN_BLOCK ? (uint32_t)ch->cap : PLAT_CHAN_BLOCK;
}

/* Append v at the tail; false if the ring is full (it needs a block). */
static inline bool plat__chan_buf_push(plat_chan *ch, plat_word v)
{
  if (ch->count == ch->slots) return false;
  if (ch->ti == plat__chan_bsize(ch)) {
    ch->tb = ch->tb->next;
    ch->ti = 0;
  }
  ch->tb->slot[ch->ti++] = v;
  ch->count++;
  return true;
}

/* Take the value at the head (count > 0). */
static inline plat_word plat__chan_buf_pop(plat_chan *ch)
{
  plat_chan_block *h = ch->hb;
  uint32_t B = plat__chan_bsize(ch);
  plat_word v = h->slot[ch->hi];
  h->slot[ch->hi] = 0;
  ch->count--;
  if (ch->count == 0) {                  /* restart at the tail block */
    ch->hb = ch->tb;
    ch->hi = ch->ti = 0;
  } else if (++ch->hi == B) {
    ch->hb = h->next;
    ch->hi = 0;
  }
  /* unbounded: shrink while less than a quarter of all but two blocks is used */
  if (ch->cap < 0 && ch->slots > 2 * B && ch->slots - 2 * B > 4 * (uint64_t)ch->count)
    plat__chan_buf_shrink(ch);
  return v;
}

#endif
