/* select.c -- select over N channel arms (LANGUAGE.md 8.5), after Go's
 * runtime/select.go (selectgo).
 *
 * Algorithm:
 *   1. Shuffle the arms into a random poll order (uniform Fisher-Yates) and
 *      sort their channels by address into the lock order.
 *   2. Lock every channel (each once, increasing address).  Poll the arms
 *      in poll order; the first that can proceed now (recv: a value, a
 *      wakeable sender or closed; send: a wakeable receiver or room)
 *      completes under the locks and wins.  A send arm on a closed channel
 *      panics.  So among ready arms the choice is uniformly random.
 *      A send arm whose buffer has room but needs one more block of its
 *      ring (chan_buf.c) counts as ready: the locks are dropped, the block
 *      allocated and linked, and step 2 starts again (nothing is ever
 *      allocated with a channel lock held).
 *   3. Nothing ready: with a default, or a timeout of 0 ms, return that.
 *      Otherwise enqueue one waiter record per arm (in lock order) in the
 *      arm's recvq or sendq and park; the commit callback releases all
 *      the locks once the task's context is saved.
 *   4. A waker on any of those channels pops the arm's record and tries
 *      plat_wake with the record as token.  Exactly one of {the wakers,
 *      the timeout, a cancellation} claims the park (rtcore's CAS); losing
 *      wakers simply move on, their value untouched.  This is Go's
 *      "selectDone" without a separate flag.
 *   5. After waking, the task locks every channel again and unlinks each
 *      of its records still queued (the withdrawal from all other arms),
 *      then reads the winning record (the wake token).  Records live until
 *      the task has held every lock once more, so a losing waker that
 *      popped a record (and wrote to it) under a channel lock is done with
 *      it before the task returns.
 * Locking order: channel locks in increasing address order; a channel
 * listed in several arms is locked once.  No other lock is taken while
 * they are held; plat_wake never blocks.
 * Invariant: a task is in at most one park, and all its records belong to
 * that park; a record is linked iff it is in its channel's queue.
 */
#include "chan_impl.h"
#include "rt_internal.h"

/* Shared seed for the poll order; one atomic add per select. */
static _Atomic uint64_t select_seed = 0x853c49e6748fea9bULL;

static uint64_t rand_seed(void)
{
  uint64_t z = atomic_fetch_add_explicit(&select_seed, 0x9E3779B97F4A7C15ULL, memory_order_relaxed);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

typedef struct lockset {
  plat_chan **chs;       /* distinct channels, increasing address */
  int n;
} lockset;

static void lock_all(lockset *ls)
{
  for (int i = 0; i < ls->n; i++) plat__chan_lock(ls->chs[i]);
}

static void unlock_all(lockset *ls)
{
  for (int i = ls->n - 1; i >= 0; i--) plat__chan_unlock(ls->chs[i]);
}

static bool commit_unlock_all(plat_task *self, void *arg)
{
  (void)self;
  unlock_all(arg);
  return true;
}

/* Try arm i now, with its channel locked: a PLAT__SEND_* code (a recv
 * arm: DONE or FULL).  Panics on a closed send. */
static int poll_arm(plat_select_arm *a, lockset *ls, const char *file, int line)
{
  if (a->kind == PLAT_SEL_RECV)
    return plat__chan_try_recv_locked(a->ch, &a->val, &a->ok) ? PLAT__SEND_DONE : PLAT__SEND_FULL;
  if (a->ch->closed) {
    unlock_all(ls);
    plat_panic("send on closed channel", file, line);
  }
  return plat__chan_try_send_locked(a->ch, a->val);
}

static plat_waitq *queue_of(plat_select_arm *a)
{
  return a->kind == PLAT_SEL_RECV ? &a->ch->recvq : &a->ch->sendq;
}

/* Park on every arm; returns the winning arm, PLAT_SELECT_TIMEOUT, or
 * unwinds on cancellation.  Called with all locks held; `big` holds m
 * waiter records when m > SMALL_ARMS (allocated before the locks). */
#define SMALL_ARMS 8
static int park_on_arms(plat_select_arm *arms, int *order, int m, lockset *ls, int64_t timeout_ms,
                        plat_waiter *big, const char *file, int line)
{
  plat_task *self = plat_self();
  plat_waiter small[SMALL_ARMS];
  plat_waiter *w = m <= SMALL_ARMS ? small : big;
  for (int k = 0; k < m; k++) {
    plat_select_arm *a = &arms[order[k]];
    w[k] = (plat_waiter){ .task = self, .ch = a->ch, .val = a->val, .arm = order[k] };
    plat__waitq_push(queue_of(a), &w[k]);
  }
  int64_t deadline = -1;
  if (timeout_ms > 0) {
    int64_t now = plat_now_ns();
    deadline = plat_deadline_after_ms(now, timeout_ms);
  }
  plat_wait wt = {.what = "select", .file = file, .line = line};
  int r = plat__park_w(self, commit_unlock_all, ls, &wt, deadline, true);
  plat_waiter *won = r == PLAT_WAKE_NORMAL ? plat_wake_token() : NULL;
  lock_all(ls);
  for (int k = 0; k < m; k++)
    if (w[k].linked) plat__waitq_unlink(queue_of(&arms[w[k].arm]), &w[k]);
  unlock_all(ls);
  if (r == PLAT_WAKE_CANCEL) plat_cancel_unwind();
  if (r == PLAT_WAKE_TIMEOUT || !won) return PLAT_SELECT_TIMEOUT;
  plat_select_arm *a = &arms[won->arm];
  if (a->kind == PLAT_SEL_SEND) {
    if (!won->ok) plat_panic("send on closed channel", file, line);
  } else {
    a->val = won->val;
    a->ok = won->ok;
  }
  return won->arm;
}

int plat_select(plat_select_arm *arms, int n, int64_t timeout_ms, bool has_default,
                const char *file, int line)
{
  int order_small[16], poll_small[16];
  plat_chan *chs_small[16];
  bool many = n > 16;
  int *order = many ? plat_alloc_atomic((size_t)n * sizeof(int)) : order_small;
  int *poll = many ? plat_alloc_atomic((size_t)n * sizeof(int)) : poll_small;
  plat_chan **chs = many ? plat_alloc((size_t)n * sizeof *chs) : chs_small;

  int m = 0;                            /* arms with a channel */
  for (int i = 0; i < n; i++)
    if (arms[i].ch) order[m++] = i;
  /* poll order: uniform shuffle (seeded under deterministic schedules) */
  uint64_t x = PLAT_DET() ? plat_det_rand() | 1 : rand_seed();
  for (int k = 0; k < m; k++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    int j = (int)(x % (uint64_t)(k + 1));
    if (j != k) poll[k] = poll[j];
    poll[j] = order[k];
  }
  /* lock order: by channel address (insertion sort; selects are small) */
  for (int k = 1; k < m; k++) {
    int v = order[k], j = k;
    for (; j > 0 && (uintptr_t)arms[order[j - 1]].ch > (uintptr_t)arms[v].ch; j--) order[j] = order[j - 1];
    order[j] = v;
  }
  lockset ls = { chs, 0 };
  for (int k = 0; k < m; k++)
    if (ls.n == 0 || chs[ls.n - 1] != arms[order[k]].ch) chs[ls.n++] = arms[order[k]].ch;

  plat_waiter *big = NULL;             /* waiter records for more than SMALL_ARMS arms */
  for (;;) {
    lock_all(&ls);
    plat_chan *grow = NULL;
    for (int k = 0; k < m; k++) {
      int r = poll_arm(&arms[poll[k]], &ls, file, line);
      if (r == PLAT__SEND_DONE) {
        unlock_all(&ls);
        PLAT_DET_POINT();
        return poll[k];
      }
      if (r == PLAT__SEND_GROW && !grow) grow = arms[poll[k]].ch;
    }
    if (grow) {
      /* a send arm has room but its buffer needs a block: allocate it with
       * no lock held, then poll again (the arm is ready, not the default) */
      unlock_all(&ls);
      plat__chan_add_block(grow);
      continue;
    }
    if (has_default || timeout_ms == 0) {
      unlock_all(&ls);
      PLAT_DET_POINT();
      return has_default ? PLAT_SELECT_DEFAULT : PLAT_SELECT_TIMEOUT;
    }
    if (!plat_self()) {
      unlock_all(&ls);
      plat_panic("select would block outside a task", file, line);
    }
    if (m <= SMALL_ARMS || big) break;
    unlock_all(&ls);                    /* allocate with no lock held, poll again */
    big = plat_alloc((size_t)m * sizeof *big);
  }
  return park_on_arms(arms, order, m, &ls, timeout_ms, big, file, line);
}
