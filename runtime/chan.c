/* chan.c -- channels: send, recv, close and their non-blocking forms.
 *
 * Algorithm (after Go's runtime/chan.go).  A channel is a buffer (a ring
 * of fixed-size blocks, chan_buf.c) plus two FIFO queues of parked tasks,
 * recvq and sendq, each entry a plat_waiter record on the waiting task's
 * stack.
 *   send: if a receiver waits, hand the value to the first one that can
 *         still be woken (the value goes into its record, then plat_wake;
 *         it runs next on this worker); else if the buffer has room,
 *         append; else park in sendq with the value in the record.
 *   recv: if the buffer holds values, take the oldest, then move the value
 *         of the first wakeable waiting sender into the freed slot; else
 *         (rendezvous) take the value of the first wakeable sender
 *         directly; else if closed, report closed; else park in recvq.
 *   close: mark closed and wake every waiter: receivers get "closed",
 *         senders panic.  Buffered values stay receivable.
 * "Wakeable": plat_wake claims the waiter's park, and fails when a timeout,
 * a cancellation or another select arm claimed it first.  The waiter is
 * unlinked either way; a failed waiter keeps nothing, the waker keeps its
 * value and tries the next one.  A waker writes a record only before
 * waking it and never touches it afterwards (the task may return at once).
 * A woken task reads its record only if the wake was NORMAL; otherwise it
 * re-takes the lock and unlinks the record if still linked (a timeout or
 * cancellation) before leaving.
 *
 * Locking: one spinlock per channel guards everything in it.  Plain
 * operations hold one channel lock; select (select.c) holds several, taken
 * in increasing address order.  plat_wake is called with the lock held (it
 * never blocks).  A parking task releases the lock in the park's commit
 * callback, after its context is saved, so no wake is lost.
 *
 * Invariants (under the lock):
 *   - recvq non-empty  =>  count == 0 and no sender waits
 *   - sendq non-empty  =>  the buffer is full (count == cap, cap >= 0)
 *   - closed           =>  both queues are empty
 *   - count <= cap when bounded; slots outside the live range are zero
 *     (the collector keeps no dead value alive)
 *   - nothing is allocated with a channel lock held: a send that needs
 *     one more block of the ring (PLAT__SEND_GROW) unlocks, allocates,
 *     relocks and retries (plat__chan_add_block; select does the same).
 * The buffer grows lazily, a block at a time, up to cap (a channel with a
 * large capacity costs little until used) and shrinks as it drains.
 * Memory is thus O(values buffered) and bounded by cap (plus parked
 * senders, one record each, on their own stacks).
 *
 * Spinning: the lock's waiters back off exponentially, then yield the
 * thread (sched_yield) at every further round, and a plain send or recv
 * moves its task to the lock holder's worker (below) instead of spinning
 * on: no wait spins without yielding.
 */
#include <sched.h>
#include "chan_impl.h"
#include "rt_internal.h"

/* ---- lock ------------------------------------------------------------------- */

/* Test-and-test-and-set with exponential backoff (4 .. 512 pauses, ~20 ns
 * each here), then a sched_yield per round (the holder may have been
 * descheduled).  When two cores hammer one channel, a waiter that polls the
 * lock keeps stealing its cache line from the holder; backing off lets the
 * holder finish a run of operations with the line local.  A waiter
 * overshoots a release by at most about the time it has already waited.
 *
 * Contention migration: a plain send or recv (no other lock held) that
 * keeps waiting -- MIGRATE_ROUNDS backoff rounds, ~5 us -- moves its task
 * to the worker that last won this lock under contention (`holder`), see
 * plat_sched_migrate.  Tasks that hammer one channel from two cores run
 * several times slower than on one core (bench/pipeline: 1.1 s on two
 * workers, 0.2 s on one), so gathering them is the faster schedule;
 * tasks that do real work between operations rarely wait this long.
 * Not to a worker marked long_task (monitor.c): its task does not switch,
 * so the migrated task would wait there for its preemption. */
#define PLAT_CHAN_BACKOFF_MAX 512
#define MIGRATE_ROUNDS 6

static void chan_lock(plat_chan *ch, bool may_migrate)
{
  if (!atomic_exchange_explicit(&ch->lock, 1, memory_order_acquire)) return;
  for (int wait = 4, rounds = 1;; rounds++) {
    for (int k = 0; k < wait; k++) plat_cpu_relax();
    if (wait < PLAT_CHAN_BACKOFF_MAX) wait *= 2;
    else sched_yield();                /* ~20 us without the lock: holder descheduled? */
    plat_tsan_poll();
    if (!atomic_load_explicit(&ch->lock, memory_order_relaxed) &&
        !atomic_exchange_explicit(&ch->lock, 1, memory_order_acquire))
      break;
    if (may_migrate && rounds == MIGRATE_ROUNDS) {
      /* not behind a task that has run for a tick without switching (a
       * polling loop, a long computation): it would wait for its slice */
      int h = __atomic_load_n(&ch->holder, __ATOMIC_RELAXED) - 1;
      plat_task *self = plat_self();
      if (self && h >= 0 && h < plat_nworkers &&
          !atomic_load_explicit(&plat_workers[h]->long_task, memory_order_relaxed))
        plat_sched_migrate(self, plat_workers[h]);
    }
  }
  plat_worker *w = plat_cur_worker();
  if (w) __atomic_store_n(&ch->holder, (int16_t)(w->id + 1), __ATOMIC_RELAXED);   /* read racily */
}

void plat__chan_lock(plat_chan *ch) { chan_lock(ch, false); }

void plat__chan_unlock(plat_chan *ch) { atomic_store_explicit(&ch->lock, 0, memory_order_release); }

static bool commit_unlock(plat_task *self, void *arg)
{
  (void)self;
  plat__chan_unlock(arg);
  return true;
}

/* ---- wait queues ----------------------------------------------------------------- */

void plat__waitq_push(plat_waitq *q, plat_waiter *w)
{
  plat_waiter *h = q->head;
  if (!h) {
    w->next = w->prev = w;
    q->head = w;
  } else {                              /* insert before head: the new tail */
    w->next = h;
    w->prev = h->prev;
    h->prev->next = w;
    h->prev = w;
  }
  w->linked = true;
}

void plat__waitq_unlink(plat_waitq *q, plat_waiter *w)
{
  if (w->next == w) {
    q->head = NULL;
  } else {
    w->prev->next = w->next;
    w->next->prev = w->prev;
    if (q->head == w) q->head = w->next;
  }
  w->next = w->prev = NULL;
  w->linked = false;
}

static plat_waiter *waitq_pop(plat_waitq *q)
{
  plat_waiter *w = q->head;
  if (w) plat__waitq_unlink(q, w);
  return w;
}

/* ---- creation -------------------------------------------------------------------- */

/* The collector adds a byte to each object: <= 63 keeps it in the 64-byte
 * size class (see struct plat_chan). */
_Static_assert(sizeof(plat_chan) <= 63, "plat_chan must stay within one cache line");

plat_chan *plat_chan_new(int64_t capacity, const char *file, int line)
{
  if (capacity < 0)
    plat_panicf(file, line, "channel capacity must not be negative: %lld", (long long)capacity);
  plat_chan *ch = plat_alloc(sizeof *ch);
  ch->cap = capacity;
  return ch;
}

plat_chan *plat_chan_unbounded(void)
{
  plat_chan *ch = plat_alloc(sizeof *ch);
  ch->cap = -1;
  return ch;
}

/* ---- the locked fast paths, shared with select ----------------------------------------- */

int plat__chan_try_send_locked(plat_chan *ch, plat_word v)
{
  plat_waiter *w;
  while ((w = waitq_pop(&ch->recvq))) {
    w->val = v;
    w->ok = true;
    if (plat_wake(w->task, PLAT_WAKE_NORMAL, w)) return PLAT__SEND_DONE;
  }
  if (ch->cap >= 0 && (int64_t)ch->count >= ch->cap) return PLAT__SEND_FULL;
  return plat__chan_buf_push(ch, v) ? PLAT__SEND_DONE : PLAT__SEND_GROW;
}

void plat__chan_add_block(plat_chan *ch)
{
  plat_chan_block *b = plat_chan_block_new(ch);     /* no lock held: may collect */
  plat__chan_lock(ch);
  if (plat__chan_buf_full(ch)) plat__chan_buf_grow(ch, b);   /* else another sender grew it */
  plat__chan_unlock(ch);
}

/* Claim the first wakeable waiting sender; its value in *v. */
static bool take_sender(plat_chan *ch, plat_word *v)
{
  plat_waiter *s;
  while ((s = waitq_pop(&ch->sendq))) {
    plat_word sv = s->val;              /* read before the wake: s may vanish after */
    s->ok = true;
    if (plat_wake(s->task, PLAT_WAKE_NORMAL, s)) { *v = sv; return true; }
  }
  return false;
}

bool plat__chan_try_recv_locked(plat_chan *ch, plat_word *out, bool *ok)
{
  plat_word v;
  if (ch->count > 0) {
    *out = plat__chan_buf_pop(ch);
    *ok = true;
    /* the pop freed a slot: the push cannot need a block */
    if (take_sender(ch, &v)) (void)plat__chan_buf_push(ch, v);
    return true;
  }
  if (take_sender(ch, &v)) {
    *out = v;
    *ok = true;
    return true;
  }
  if (ch->closed) {
    *out = 0;
    *ok = false;
    return true;
  }
  return false;
}

/* ---- blocking operations ------------------------------------------------------------ */

/* After a park that did not end with a NORMAL wake: leave the queue. */
static void withdraw(plat_chan *ch, plat_waitq *q, plat_waiter *w)
{
  plat__chan_lock(ch);
  if (w->linked) plat__waitq_unlink(q, w);
  plat__chan_unlock(ch);
}

static plat_task *self_or_panic(plat_chan *ch, const char *op, const char *file, int line)
{
  plat_task *t = plat_self();
  if (!t) {
    plat__chan_unlock(ch);
    plat_panicf(file, line, "channel %s would block outside a task", op);
  }
  return t;
}

/* Lock ch for a send and try it: DONE (unlocked), FULL (still locked),
 * or, having grown the buffer, again.  Panics on a closed channel.
 * Inlined: one call level less on the hot path (~10% on 1P/1C). */
__attribute__((always_inline)) static inline int send_locked(plat_chan *ch, plat_word v,
                                                             bool may_migrate, const char *file,
                                                             int line)
{
  for (;;) {
    chan_lock(ch, may_migrate);
    if (ch->closed) {
      plat__chan_unlock(ch);
      plat_panic("send on closed channel", file, line);
    }
    int r = plat__chan_try_send_locked(ch, v);
    if (r == PLAT__SEND_FULL) return r;
    plat__chan_unlock(ch);
    if (r == PLAT__SEND_DONE) return r;
    plat__chan_add_block(ch);
  }
}

void plat_chan_send(plat_chan *ch, plat_word v, const char *file, int line)
{
  if (send_locked(ch, v, true, file, line) == PLAT__SEND_DONE) {
    PLAT_DET_POINT();                   /* hand-off: a scheduling point */
    return;
  }
  plat_waiter w = { .task = self_or_panic(ch, "send", file, line), .ch = ch, .val = v, .arm = -1 };
  plat__waitq_push(&ch->sendq, &w);
  plat_wait wt = {.what = "channel send", .file = file, .line = line};
  int r = plat__park_w(w.task, commit_unlock, ch, &wt, -1, true);
  if (r == PLAT_WAKE_NORMAL) {
    if (w.ok) return;
    plat_panic("send on closed channel", file, line);
  }
  withdraw(ch, &ch->sendq, &w);
  plat_cancel_unwind();
}

/* recv with an optional deadline (< 0: none); returns a PLAT_RECV_* code. */
static int recv_until(plat_chan *ch, plat_word *out, int64_t deadline_ns, bool wait)
{
  bool ok;
  chan_lock(ch, true);
  if (plat__chan_try_recv_locked(ch, out, &ok)) {
    plat__chan_unlock(ch);
    PLAT_DET_POINT();
    return ok ? PLAT_RECV_VALUE : PLAT_RECV_CLOSED;
  }
  if (!wait) {
    plat__chan_unlock(ch);
    PLAT_DET_POINT();
    return PLAT_RECV_TIMEOUT;
  }
  plat_waiter w = { .task = self_or_panic(ch, "recv", NULL, 0), .ch = ch, .arm = -1 };
  plat__waitq_push(&ch->recvq, &w);
  int r = plat_park_until(commit_unlock, ch, "channel recv", deadline_ns);
  if (r == PLAT_WAKE_NORMAL) {
    *out = w.val;
    return w.ok ? PLAT_RECV_VALUE : PLAT_RECV_CLOSED;
  }
  withdraw(ch, &ch->recvq, &w);
  if (r == PLAT_WAKE_CANCEL) plat_cancel_unwind();
  *out = 0;
  return PLAT_RECV_TIMEOUT;
}

bool plat_chan_recv(plat_chan *ch, plat_word *out)
{
  return recv_until(ch, out, -1, true) == PLAT_RECV_VALUE;
}

int plat_chan_recv_timeout(plat_chan *ch, int64_t ms, plat_word *out)
{
  if (ms <= 0) return recv_until(ch, out, -1, false);
  int64_t now = plat_now_ns();
  int64_t deadline = plat_deadline_after_ms(now, ms);
  return recv_until(ch, out, deadline, true);
}

bool plat_chan_try_send(plat_chan *ch, plat_word v, const char *file, int line)
{
  if (send_locked(ch, v, false, file, line) == PLAT__SEND_DONE) {
    PLAT_DET_POINT();
    return true;
  }
  plat__chan_unlock(ch);
  PLAT_DET_POINT();
  return false;
}

bool plat_chan_try_recv(plat_chan *ch, plat_word *out)
{
  return recv_until(ch, out, -1, false) == PLAT_RECV_VALUE;
}

void plat_chan_close(plat_chan *ch, const char *file, int line)
{
  plat__chan_lock(ch);
  if (ch->closed) {
    plat__chan_unlock(ch);
    plat_panic("close of closed channel", file, line);
  }
  ch->closed = true;
  plat_waiter *w;
  while ((w = waitq_pop(&ch->recvq))) {
    w->val = 0;
    w->ok = false;
    plat_wake(w->task, PLAT_WAKE_NORMAL, w);
  }
  while ((w = waitq_pop(&ch->sendq))) {
    w->ok = false;
    plat_wake(w->task, PLAT_WAKE_NORMAL, w);
  }
  plat__chan_unlock(ch);
  PLAT_DET_POINT();
}

/* ---- observers (a consistent snapshot under the lock) ----------------------------- */

int64_t plat_chan_length(plat_chan *ch)
{
  plat__chan_lock(ch);
  int64_t n = (int64_t)ch->count;
  plat__chan_unlock(ch);
  return n;
}

int64_t plat_chan_capacity(plat_chan *ch) { return ch->cap; }   /* immutable */

bool plat_chan_is_closed(plat_chan *ch)
{
  plat__chan_lock(ch);
  bool c = ch->closed;
  plat__chan_unlock(ch);
  return c;
}
