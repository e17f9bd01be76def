/* plat_chan.h -- channels and select (LANGUAGE.md 8.4, 8.5), usable from C.
 *
 * A channel moves one 8-byte word per message (plat_value.h).  Kinds:
 *   plat_chan_new(0)      rendezvous: a send completes when a receiver takes it
 *   plat_chan_new(n > 0)  bounded: at most n buffered values; send blocks when full
 *   plat_chan_unbounded() never full; the buffer grows (and shrinks) as needed
 * Blocking operations park the calling task (plat_rt.h), never the worker
 * thread, and are cancellation points: a task cancelled while blocked
 * withdraws from the channel (its value is not delivered) and unwinds.
 * They must be called from a task; the non-blocking ones from anywhere.
 *
 * Order is FIFO per sender; waiting receivers are served in arrival order,
 * and so are waiting senders.  A value sent to a waiting receiver is
 * handed over directly and the receiver runs next on the sender's worker.
 *
 * Panics (plat_panic, with the caller's file:line):
 *   "channel capacity must not be negative: -3"   plat_chan_new
 *   "send on closed channel"                      send, try_send, select send arm
 *                                                 (also when the channel is closed
 *                                                 while the sender waits)
 *   "close of closed channel"                     plat_chan_close
 * Algorithm, locking and invariants: chan.c and select.c.
 */
#ifndef PLAT_CHAN_H
#define PLAT_CHAN_H

#include "plat_value.h"

typedef struct plat_chan plat_chan;

plat_chan *plat_chan_new(int64_t capacity, const char *file, int line);
plat_chan *plat_chan_unbounded(void);

/* Blocks while the channel is full (or, for rendezvous, until a receiver
 * takes the value). */
void plat_chan_send(plat_chan *ch, plat_word v, const char *file, int line);
/* Blocks while empty; false once the channel is closed and drained. */
bool plat_chan_recv(plat_chan *ch, plat_word *out);
void plat_chan_close(plat_chan *ch, const char *file, int line);

/* Non-blocking: false when the value cannot be delivered or buffered now
 * (full, or no receiver waiting on a rendezvous channel).  Panics if closed. */
bool plat_chan_try_send(plat_chan *ch, plat_word v, const char *file, int line);
/* Non-blocking: false when empty (or closed and drained). */
bool plat_chan_try_recv(plat_chan *ch, plat_word *out);

/* recv with a timeout in milliseconds (ms <= 0: do not wait). */
enum { PLAT_RECV_VALUE = 0, PLAT_RECV_CLOSED = 1, PLAT_RECV_TIMEOUT = 2 };
int plat_chan_recv_timeout(plat_chan *ch, int64_t ms, plat_word *out);

int64_t plat_chan_length(plat_chan *ch);     /* values buffered now */
int64_t plat_chan_capacity(plat_chan *ch);   /* as created; -1 if unbounded */
bool plat_chan_is_closed(plat_chan *ch);

/* ---- select ------------------------------------------------------------------
 * The emitter fills one plat_select_arm per channel arm, in source order,
 * and calls plat_select.  It returns the index of the arm taken, or
 * PLAT_SELECT_DEFAULT / PLAT_SELECT_TIMEOUT.  For a recv arm taken, `ok`
 * tells a value (true, in `val`) from a closed channel (false: bind None).
 * When several arms are ready one is chosen uniformly at random.
 * timeout_ms < 0 means no timeout arm; has_default makes it non-blocking
 * (default wins over a timeout).  An arm whose `ch` is NULL never fires.
 * A send arm on a closed channel panics "send on closed channel" at
 * file:line, as does a send arm whose channel is closed while waiting. */
enum { PLAT_SEL_RECV = 0, PLAT_SEL_SEND = 1 };
enum { PLAT_SELECT_DEFAULT = -1, PLAT_SELECT_TIMEOUT = -2 };
typedef struct plat_select_arm {
  plat_chan *ch;
  int kind;          /* PLAT_SEL_RECV or PLAT_SEL_SEND */
  bool ok;           /* out, recv arms */
  plat_word val;     /* in for send arms, out for recv arms */
} plat_select_arm;
int plat_select(plat_select_arm *arms, int n, int64_t timeout_ms, bool has_default,
                const char *file, int line);

#endif
