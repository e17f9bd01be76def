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

/* 56 bytes: the collector rounds it to a 64-byte object, which it places
 * at a multiple of 64 in its block -- so each channel (its lock and its
 * hot fields) owns one cache line, and two channels used by different
 * cores never share one. */
struct plat_chan {
  atomic_uchar lock;     /* spinlock guarding every field below */
  bool closed;
  uint32_t head;         /* ring: index of the oldest value */
  uint32_t count;        /* values buffered */
  uint32_t bcap;         /* ring slots allocated, <= cap when bounded */
  int64_t cap;           /* -1: unbounded; immutable */
  plat_word *buf;        /* ring of bcap slots (GC memory, scanned) */
  plat_waitq recvq, sendq;
  int32_t holder;        /* 1 + id of a worker that took the lock contended */
};

void plat__chan_lock(plat_chan *ch);
void plat__chan_unlock(plat_chan *ch);
void plat__waitq_push(plat_waitq *q, plat_waiter *w);
void plat__waitq_unlink(plat_waitq *q, plat_waiter *w);
/* With ch locked: complete a send/recv now if possible.  try_send_locked
 * requires !ch->closed.  try_recv_locked sets *ok = false when the channel
 * is closed and drained (that also counts as done). */
bool plat__chan_try_send_locked(plat_chan *ch, plat_word v);
bool plat__chan_try_recv_locked(plat_chan *ch, plat_word *out, bool *ok);

#endif
