/* sched.c -- workers, run queues, switching, idling, plat_main.
 *
 * Each worker is an OS thread with a scheduler context on its pthread
 * stack.  Runnable tasks live in
 *   - the worker's run-next slot (LIFO, one task: a woken task or a fresh
 *     spawn runs right after the current one gives up the CPU),
 *   - the worker's Chase-Lev deque (owner LIFO, thieves FIFO),
 *   - the worker's inbox (FIFO; tasks moved there by contention
 *     migration, see plat_sched_migrate),
 *   - the global injection queue (FIFO; yields, preemptions, wake-ups from
 *     non-worker threads).
 * Time slices: the monitor preempts a worker whose slice counter
 * (`slices`) has not moved for 10 ms.  A task taken from run-next inherits
 * the slice (the counter does not move), as in Go: two tasks that keep
 * waking each other through run-next share one slice and are preempted
 * like one long task.  If the slice is already over when a task parks,
 * the run-next task goes to the back of the injection queue instead of
 * inheriting it (next_local).
 * Fairness turns (fair_pick): every 61st schedule the injection queue or
 * the inbox goes first, in turn; at each monitor tick (5 ms) a busy
 * worker's next schedule takes the deque's oldest task: neither run-next
 * nor the deque's LIFO end can starve the others, and fork-join stays
 * depth-first.
 * A task that gives up the CPU (park, yield, exit) switches directly to
 * the next runnable task, or to the scheduler context when there is none.
 * What the old task still needs done after its context is saved (run the
 * park commit, requeue, free its stack) is recorded in the worker's `post`
 * fields and performed by plat_after_switch() in whatever context runs
 * next on that worker: this is how "parked" is published only after the
 * switch (DESIGN.md 4).
 *
 * Idle: a worker that finds nothing (own queues, injection queue, a
 * non-blocking poll of the sockets, two stealing rounds over random
 * victims) puts itself on the idle list, re-checks every queue (Dekker
 * with the pushers' seq_cst fence) and then either blocks in the poller or
 * sleeps on its futex.  Pushers wake one idle worker when work appears and
 * no other worker is already being woken (`waking`); a woken worker that
 * finds work wakes the next one if more work is visible (chain).  The
 * last worker to go idle runs the deadlock check.
 *
 * Sockets (poller.c) are polled by the workers themselves, as in Go:
 *   - an idle worker blocks in epoll_wait (idle_poll) when tasks wait on
 *     sockets and no other idle worker does so already (`poll_owner`);
 *     the others sleep on their futexes.  No timeout: timers live on the
 *     monitor thread, whose wake-ups arrive through wake_idle like any
 *     other;
 *   - a worker entering the idle path polls without blocking first (and
 *     every 16th round of its idle spin), and a busy worker does every
 *     61st schedule, so sockets are served while every worker has work
 *     (and the monitor thread polls every tick while tasks run);
 *   - tasks readied by a poll go to the polling worker's run-next slot
 *     and deque; wake_idle is suppressed during the poll (w->polling) and
 *     called once after it if the poll readied more than HANDOVER_MIN
 *     tasks, so a batch costs at most one wake-up and a small one none
 *     (the polling worker runs it: measured faster on the echo benchmark
 *     than a futex hand-over; the price is that up to HANDOVER_MIN tasks
 *     may wait behind one long task until it is preempted).
 * Waking an idle worker (wake_idle): under the sched lock take it off the
 * list, preferring one not in the poller, and set its futex word to 1;
 * then read its in_poller flag: set -> plat_poller_wake (eventfd), clear
 * -> futex wake.  The poller sets in_poller before reading its futex word
 * ahead of every epoll_wait (both seq_cst): either the waker sees
 * in_poller and interrupts epoll_wait, or the poller sees the 1 and does
 * not block.  The word is set under the lock, so a waker delayed after
 * the unlock cannot leave a stale 1 for a later idle round; stale eventfd
 * or futex wake-ups only cause a re-check.
 * Invariants: (1) while a task waits on a socket, some worker is running
 * (and will poll) or blocked in epoll_wait: a worker leaving idle_poll
 * restarts its idle round, which re-reads the waiter count after releasing
 * poll_owner; a new waiter is counted before its worker goes idle.
 * (2) An idle program uses no CPU: the poller blocks without timeout, the
 * other workers on futexes, the monitor on its condition variable.
 * (3) A worker is on the idle list iff w->idle; it leaves it itself
 * (idle_leave) or is taken by a waker, whose `waking` turn it then ends.
 * (4) No stranding: a runnable task sits in exactly one place (a run-next
 * slot, deque or inbox, or the injection queue) and leaves it within
 * bounded time while the program runs:
 *   - the injection queue: every busy worker takes from it at least every
 *     2 * 61 schedules, an idle worker is woken for each push;
 *   - a busy worker's own places: its task switches at the latest when
 *     preempted (slice of 10 ms, not renewed by run-next switches); every
 *     switch and yield looks at all of them (plat_sched_has_other_work is
 *     exactly find_local's sources), the fairness turns serve the inbox
 *     every 2 * 61 schedules and the deque's oldest task every monitor
 *     tick, and thieves take from the deque at any time;
 *   - behind a worker whose task has not switched for a monitor tick
 *     (`long_task`): its inbox is moved to the injection queue by the
 *     monitor, migration does not target it, and a task it wakes into its
 *     run-next slot wakes an idle worker, which asks for the task
 *     (steal_runnext) and gets it at the waker's next check;
 *   - an idle worker's own places are empty when it sleeps (it re-checked
 *     them after joining the idle list); run-next and the deque are only
 *     filled by their running owner; a push to its inbox wakes an idle
 *     worker, and thieves take from the inbox of an owner not in a task;
 *   - a worker napping after a migration (<= 1 ms, off the idle list)
 *     takes its inbox when the nap ends (or the monitor moves it sooner).
 *   Tested by test_sched_fair and test_sched_strand.
 *
 * TLS: the current worker is read through plat_cur_worker(), a non-inlined
 * function, in every path that can follow a switch; a task may resume on
 * another thread (DESIGN.md 4).
 *
 * Owned globals: plat_workers/plat_nworkers (set in plat_main), the sched
 * lock (injection queue, idle list), root_done.  Inbox locks are leaves:
 * nothing else is taken while one is held.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "rt_internal.h"

#ifdef PLAT_ASAN
#include <sanitizer/asan_interface.h>
#endif
#ifdef PLAT_TSAN
#include <sanitizer/tsan_interface.h>
#endif

__thread uintptr_t plat_tls_stack_limit;
__thread const plat_site *plat_tls_site;       /* PLAT_AT: see plat_rt.h */
static __thread plat_worker *tls_worker;
uint8_t plat_hooks;                             /* rt_internal.h: set in plat_main */

int plat_nworkers;
plat_worker **plat_workers;
atomic_long plat_external_holds;
#ifdef PLAT_TSAN
atomic_int plat_fence_word;
#endif

static plat_spin sched_lock;
static plat_task *inj_head, *inj_tail;          /* sched_lock */
static atomic_long inj_n;
static plat_worker *idle_list;                  /* sched_lock */
static atomic_int nidle;
static atomic_int waking;
static atomic_int nspinning;                    /* workers in the idle spin */
static atomic_int poll_owner;                   /* an idle worker blocks in the poller */

/* poller.c (plat_io.h) */
bool plat_poller_active(void);
int plat_poller_poll(int64_t timeout_ms);
void plat_poller_wake(void);
static atomic_uint root_done;
static int g_argc;
static char **g_argv;

#define ROOT_STACK ((size_t)64 << 20)

/* ---- small primitives ---- */
void plat_spin_lock_slow(plat_spin *l) {
  for (int n = 0;; n++) {
    int z = 0;
    if (atomic_load_explicit(&l->v, memory_order_relaxed) == 0 &&
        atomic_compare_exchange_weak_explicit(&l->v, &z, 1, memory_order_acquire,
                                              memory_order_relaxed))
      return;
    plat_tsan_poll();
    if (n < 64) plat_cpu_relax();
    else sched_yield();
  }
}

void plat_futex_wait(atomic_uint *addr, unsigned val, int64_t timeout_ns) {
#ifdef PLAT_TSAN
  /* TSan defers async signals (Boehm's stop-the-world signal) until the
   * thread is in an intercepted blocking call; a raw futex wait restarted
   * after the signal would never let it run.  Poll with usleep instead. */
  for (int64_t waited = 0; atomic_load(addr) == val; waited += 200000) {
    if (timeout_ns >= 0 && waited >= timeout_ns) return;
    usleep(200);
  }
  return;
#endif
  struct timespec ts, *tp = NULL;
  if (timeout_ns >= 0) {
    ts.tv_sec = timeout_ns / 1000000000;
    ts.tv_nsec = timeout_ns % 1000000000;
    tp = &ts;
  }
  syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, tp, NULL, 0);
}

void plat_futex_wake(atomic_uint *addr, int n) {
  syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

__attribute__((noinline)) plat_worker *plat_cur_worker(void) {
  plat_worker *w = tls_worker;
  __asm__ volatile("" ::: "memory");
  return w;
}

__attribute__((noinline)) uintptr_t plat_stack_limit_read(void) {
  return __atomic_load_n(&plat_tls_stack_limit, __ATOMIC_RELAXED);
}

/* Out of line: a task may resume on another thread (DESIGN.md 4). */
__attribute__((noinline)) void plat_site_set(const plat_site *s) { plat_tls_site = s; }
__attribute__((noinline)) const plat_site *plat_site_get(void) { return plat_tls_site; }

__attribute__((noinline)) plat_task *plat_self(void) {
  plat_worker *w = tls_worker;
  return w ? w->cur : NULL;
}

int plat_argc(void) { return g_argc; }
char **plat_argv(void) { return g_argv; }

static inline void set_tls_limit(uintptr_t v) {
  __atomic_store_n(&plat_tls_stack_limit, v, __ATOMIC_RELAXED);
}

/* Limit for t on the current thread: UINTPTR_MAX forces the slow path of
 * every check (pending cancellation or preemption request). */
void plat_set_limit_for(plat_task *t) {
  plat_worker *w = plat_cur_worker();
  bool poke = (atomic_load_explicit(&t->cancel_req, memory_order_relaxed) && !t->unwinding) ||
              atomic_load_explicit(&w->preempt, memory_order_relaxed) ||
              PLAT_DET();               /* every check is a scheduling point */
  set_tls_limit(poke ? UINTPTR_MAX : t->limit);
  plat_split_limit_set(t->limit);
}

/* ---- queues ---- */
static void inj_push(plat_task *t) {
  if (PLAT_DET()) {
    plat_det_ready(t);
    return;
  }
  t->qnext = NULL;
  plat_spin_lock(&sched_lock);
  if (inj_tail) inj_tail->qnext = t;
  else inj_head = t;
  inj_tail = t;
  atomic_fetch_add(&inj_n, 1);
  plat_spin_unlock(&sched_lock);
}

static plat_task *inj_pop_locked(void) {
  plat_task *t = inj_head;
  if (t) {
    inj_head = t->qnext;
    if (!inj_head) inj_tail = NULL;
    atomic_fetch_sub(&inj_n, 1);
  }
  return t;
}

static plat_task *inj_pop(void) {
  if (atomic_load_explicit(&inj_n, memory_order_relaxed) == 0) return NULL;
  plat_spin_lock(&sched_lock);
  plat_task *t = inj_pop_locked();
  plat_spin_unlock(&sched_lock);
  return t;
}

/* Take an idle worker off the list, preferring one that is not blocked in
 * the poller (it would have to leave epoll_wait, and nobody would poll).
 * Its futex is set under the lock so that a stale store can never reach a
 * later idle round of the same worker. */
static plat_worker *idle_pop_locked(void) {
  plat_worker **pp = &idle_list;
  if (*pp && (*pp)->idle_next && atomic_load(&(*pp)->in_poller)) pp = &(*pp)->idle_next;
  plat_worker *w = *pp;
  if (w) {
    *pp = w->idle_next;
    w->idle = false;
    atomic_fetch_sub(&nidle, 1);
    atomic_store(&w->futex, 1);
  }
  return w;
}

/* Inboxes: any worker pushes, the owner pops (and thieves, from an idle
 * owner only). */
static void inbox_push(plat_worker *v, plat_task *t) {
  t->qnext = NULL;
  plat_spin_lock(&v->inbox_lk);
  if (v->inbox_tail) v->inbox_tail->qnext = t;
  else v->inbox_head = t;
  v->inbox_tail = t;
  atomic_fetch_add(&v->inbox_n, 1);
  plat_spin_unlock(&v->inbox_lk);
}

static plat_task *inbox_pop(plat_worker *v) {
  if (atomic_load_explicit(&v->inbox_n, memory_order_relaxed) == 0) return NULL;
  plat_spin_lock(&v->inbox_lk);
  plat_task *t = v->inbox_head;
  if (t) {
    v->inbox_head = t->qnext;
    if (!v->inbox_head) v->inbox_tail = NULL;
    atomic_fetch_sub(&v->inbox_n, 1);
  }
  plat_spin_unlock(&v->inbox_lk);
  return t;
}

static void wake_idle(void) {
  plat_fence();
  if (atomic_load(&nidle) == 0 || atomic_load(&nspinning) > 0) return;
  plat_worker *me = plat_cur_worker();
  if (me && me->polling) return;      /* the poll's caller wakes once, after it */
  if (atomic_exchange(&waking, 1)) return;
  plat_spin_lock(&sched_lock);
  plat_worker *w = idle_pop_locked();
  plat_spin_unlock(&sched_lock);
  if (!w) {
    atomic_store(&waking, 0);
    return;
  }
  /* Dekker with idle_poll: futex = 1 (above), then read in_poller. */
  if (atomic_load(&w->in_poller)) plat_poller_wake();
  else plat_futex_wake(&w->futex, 1);
}

static bool any_work_visible(void) {
  if (atomic_load(&inj_n) > 0) return true;
  for (int i = 0; i < plat_nworkers; i++) {
    plat_worker *v = plat_workers[i];
    if (!plat_deque_empty(&v->dq) || atomic_load(&v->runnext) || atomic_load(&v->inbox_n))
      return true;
  }
  return false;
}

/* Make t runnable.  On a worker thread: run-next slot (the previous
 * occupant moves to the deque); elsewhere: injection queue. */
static void runnable(plat_task *t, bool spawn) {
  atomic_store_explicit(&t->state, PLAT_T_RUNNABLE, memory_order_relaxed);
  plat_worker *w = plat_cur_worker();
  if (!w || PLAT_DET()) {
    inj_push(t);
    wake_idle();
    return;
  }
  /* Only this worker reads and writes its run-next slot's contents
   * (thieves ask for it, see steal_runnext): no atomic exchange needed;
   * the atomics only let others peek at it. */
  plat_task *old = atomic_load_explicit(&w->runnext, memory_order_relaxed);
  atomic_store_explicit(&w->runnext, t, memory_order_release);
  if (old) plat_deque_push(&w->dq, old);
  /* A woken task usually runs here as soon as its waker parks, so no idle
   * worker is woken for it -- unless the waker runs long (monitor.c): then
   * an idle worker asks for it (steal_runnext) instead of it waiting for
   * the waker's preemption. */
  if (old || spawn || atomic_load_explicit(&w->long_task, memory_order_relaxed)) wake_idle();
}

void plat_make_runnable(plat_task *t) { runnable(t, false); }
void plat_make_runnable_spawn(plat_task *t) { runnable(t, true); }

/* Poll sockets without blocking; the tasks it readies go to w's run-next
 * slot and deque.  A few are cheaper to run here than to hand over with a
 * futex wake-up; from HANDOVER_MIN + 1 on, one idle worker is woken. */
#define HANDOVER_MIN 3
static void poll_now(plat_worker *w) {
  if (!plat_poller_active()) return;
  w->polling = true;
  int n = plat_poller_poll(0);
  w->polling = false;
  if (n > HANDOVER_MIN && !plat_deque_empty(&w->dq)) wake_idle();
}

/* Fairness.  Every FAIR_EVERY-th schedule, the injection queue or the
 * inbox goes first, in turn (Go checks its global queue every 61st): each
 * is served at least every 2 * FAIR_EVERY schedules whatever run-next and
 * the deque hold.  The deque's own end is LIFO, which keeps fork-join
 * depth-first (few stacks in use); so that its oldest task cannot starve
 * under a stream of pushes and pops above it (a producer feeding two
 * consumers in turn), the monitor sets `fair_due` at each tick (5 ms) on
 * a busy worker, and the next schedule then takes the deque's oldest
 * task (a steal from its own top).  Doing that every 61st schedule
 * instead turned skynet breadth-first: 10x the memory, 3x the time. */
#define FAIR_EVERY 61
__attribute__((noinline, cold)) static plat_task *fair_pick(plat_worker *w, uint32_t tick) {
  plat_task *t = NULL;
  if (tick % FAIR_EVERY == 0) {
    poll_now(w);                      /* busy workers poll too */
    if ((tick / FAIR_EVERY) & 1) {
      if ((t = inbox_pop(w)) || (t = inj_pop())) return t;
    } else if ((t = inj_pop()) || (t = inbox_pop(w))) {
      return t;
    }
  }
  if (atomic_load_explicit(&w->fair_due, memory_order_relaxed)) {
    atomic_store_explicit(&w->fair_due, false, memory_order_relaxed);
    t = plat_deque_steal(&w->dq);     /* the oldest */
  }
  return t;
}

/* The next local task for w.  *inherit: it came from the run-next slot
 * and so inherits the current time slice (Go's runqget inheritTime): a
 * pair of tasks that keep waking each other through run-next shares one
 * slice and is preempted after it like a single long task. */
static inline plat_task *find_local(plat_worker *w, bool *inherit) {
  plat_task *t;
  *inherit = false;
  if (PLAT_DET()) return plat_det_pick();
  uint32_t tick = ++w->schedtick;
  if (PLAT_UNLIKELY(tick % FAIR_EVERY == 0 ||
                    atomic_load_explicit(&w->fair_due, memory_order_relaxed)) &&
      (t = fair_pick(w, tick)))
    return t;
  if ((t = atomic_load_explicit(&w->runnext, memory_order_relaxed))) {
    atomic_store_explicit(&w->runnext, NULL, memory_order_relaxed);
    atomic_store_explicit(&w->runnext_wanted, false, memory_order_relaxed);
    *inherit = true;
    return t;
  }
  if ((t = plat_deque_pop(&w->dq)) || (t = inbox_pop(w))) return t;
  return inj_pop();
}

static uint32_t rnd(plat_worker *w) {
  uint32_t x = w->rng;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return w->rng = x;
}

/* A task in v's run-next slot was usually put there by the task running
 * on v, which is about to park and switch to it within ~100 ns: taking it
 * would move a communicating pair across cores.  Ask for it only once v
 * has not switched tasks (its `ticks` unchanged) for RUNNEXT_GRACE_NS
 * (Go's runqgrab waits ~3 us for the same reason).  Thieves never take
 * the slot's task themselves, so its owner reads and clears it without a
 * locked instruction on every task switch. */
#define RUNNEXT_GRACE_NS 3000
static plat_task *steal_runnext(plat_worker *w, plat_worker *v) {
  if (!atomic_load_explicit(&v->runnext, memory_order_relaxed)) return NULL;
  unsigned long tk = atomic_load_explicit(&v->ticks, memory_order_relaxed);
  int64_t now = plat_now_ns();
  if (w->rn_victim != v || w->rn_ticks != tk) {
    w->rn_victim = v;
    w->rn_ticks = tk;
    w->rn_seen_ns = now;
    return NULL;
  }
  if (now - w->rn_seen_ns < RUNNEXT_GRACE_NS) return NULL;
  w->rn_victim = NULL;
  /* Ask, do not take: v moves the task to its deque at its next check
   * (loop back-edge or prologue), which the poke below sends to the slow
   * path; a later stealing round finds it there. */
  atomic_store_explicit(&v->runnext_wanted, true, memory_order_relaxed);
  uintptr_t *lim = atomic_load(&v->limit_addr);
  if (lim) __atomic_store_n(lim, UINTPTR_MAX, __ATOMIC_RELAXED);
  return NULL;
}

void plat_sched_release_runnext(void) {
  plat_worker *w = plat_cur_worker();
  if (!w || !atomic_load_explicit(&w->runnext_wanted, memory_order_relaxed)) return;
  atomic_store_explicit(&w->runnext_wanted, false, memory_order_relaxed);
  plat_task *t = atomic_load_explicit(&w->runnext, memory_order_relaxed);
  if (!t) return;
  atomic_store_explicit(&w->runnext, NULL, memory_order_relaxed);
  plat_deque_push(&w->dq, t);
  wake_idle();
}

static plat_task *find_steal(plat_worker *w, bool take_runnext) {
  int n = plat_nworkers;
  if (n < 2) return NULL;
  int start = (int)(rnd(w) % (uint32_t)n);
  for (int i = 0; i < n; i++) {
    plat_worker *v = plat_workers[(start + i) % n];
    if (v == w) continue;
    plat_task *t = plat_deque_steal(&v->dq);
    if (t) return t;
    if (take_runnext && (t = steal_runnext(w, v))) return t;
    if (!atomic_load_explicit(&v->in_task, memory_order_relaxed) && (t = inbox_pop(v))) return t;
  }
  return NULL;
}

/* Anything w could run instead of its current task: every place
 * find_local looks (a yield that ignored one of them could strand its
 * tasks behind a task that never parks). */
bool plat_sched_has_other_work(plat_worker *w) {
  if (PLAT_DET()) return plat_det_has_ready();
  return atomic_load_explicit(&w->runnext, memory_order_relaxed) || !plat_deque_empty(&w->dq) ||
         atomic_load_explicit(&w->inbox_n, memory_order_relaxed) > 0 ||
         atomic_load_explicit(&inj_n, memory_order_relaxed) > 0;
}

/* ---- switching ---- */
extern void plat_monitor_busy(void);

static void init_context(plat_task *t) {
  plat_stack *s = t->stack;
  uintptr_t *sp = (uintptr_t *)(((uintptr_t)s->hi - 64) & ~(uintptr_t)15);
  /* sp+56 must be 16-aligned: 7 words below an aligned address */
  sp -= 7;
#if defined(__x86_64__)
  sp[0] = sp[1] = sp[2] = 0;                    /* r15 r14 r13 */
  sp[3] = (uintptr_t)plat_task_main;            /* r12 */
  sp[4] = (uintptr_t)t;                         /* rbx */
  sp[5] = 0;                                    /* rbp */
  sp[6] = (uintptr_t)plat_task_trampoline;
  t->sp = sp;
#elif defined(__aarch64__)
  uintptr_t *f = (uintptr_t *)(((uintptr_t)s->hi - 256) & ~(uintptr_t)15);
  memset(f, 0, 160);
  f[0] = (uintptr_t)t;                          /* x19 */
  f[1] = (uintptr_t)plat_task_main;             /* x20 */
  f[11] = (uintptr_t)plat_task_trampoline;      /* x30 */
  t->sp = f;
  (void)sp;
#else
#error "unsupported architecture"
#endif
  t->limit = (uintptr_t)s->lo + PLAT_STACK_HEADROOM;
}

/* Low-level switch with sanitizer announcements.  to == NULL: the
 * worker's scheduler context.  from_dead: the old context never resumes. */
static void switch_ctx(plat_worker *w, void **save, plat_task *to, bool from_dead) {
  plat_tsan_poll();                   /* signals pending on this fiber: now */
#ifdef PLAT_ASAN
  void *fake = NULL;
  const void *blo = to ? (void *)to->stack->lo : (void *)w->os_lo;
  size_t bsz = to ? (size_t)(to->stack->hi - to->stack->lo) : (size_t)(w->os_hi - w->os_lo);
  __sanitizer_start_switch_fiber(from_dead ? NULL : &fake, blo, bsz);
#endif
#ifdef PLAT_TSAN
  __tsan_switch_to_fiber(to ? to->san_fiber : w->san_sched_fiber, 0);
#endif
  (void)from_dead;
  plat_switch(save, to ? to->sp : w->sched_sp);
#ifdef PLAT_ASAN
  __sanitizer_finish_switch_fiber(fake, NULL, NULL);
#endif
}

/* Prepare `next` to run on w (first run: give it a stack).  inherit: it
 * continues the current time slice (see find_local); otherwise a new
 * slice starts, which the monitor sees by `slices` moving. */
static void prepare(plat_worker *w, plat_task *next, bool inherit) {
  bool first = !next->stack;
  if (first) {
    next->stack = plat_stack_get(w);
    plat_stack_set_owner(next->stack, next);
    init_context(next);
#ifdef PLAT_TSAN
    next->san_fiber = __tsan_create_fiber(0);
#endif
  }
  w->cur = next;
  __atomic_store_n(&next->worker, w, __ATOMIC_RELAXED);   /* plat_cancel reads it racily */
  atomic_store_explicit(&next->state, PLAT_T_RUNNING, memory_order_relaxed);
  /* single writer: no locked adds */
  if (!inherit) {
    atomic_store_explicit(&w->preempt, false, memory_order_relaxed);
    atomic_store_explicit(&w->slices, atomic_load_explicit(&w->slices, memory_order_relaxed) + 1,
                          memory_order_relaxed);
  }
  atomic_store_explicit(&w->ticks, atomic_load_explicit(&w->ticks, memory_order_relaxed) + 1,
                        memory_order_relaxed);
  if (!atomic_load_explicit(&w->in_task, memory_order_relaxed)) {
    atomic_store(&w->in_task, true);
    plat_monitor_busy();
  }
  /* a pending preemption stays pending for a task that inherits the slice */
  bool poke = (atomic_load_explicit(&next->cancel_req, memory_order_relaxed) && !next->unwinding) ||
              (inherit && atomic_load_explicit(&w->preempt, memory_order_relaxed)) ||
              PLAT_DET();               /* every check is a scheduling point */
  if (PLAT_TRACING()) plat_trace_run(w, next, first);
  set_tls_limit(poke ? UINTPTR_MAX : next->limit);
  plat_split_limit_set(next->limit);
}

/* The next task when `cur` gives up the CPU.  If the monitor found the
 * current slice used up (w->preempt) and the next task would inherit it,
 * that task goes to the back of the injection queue instead and the
 * search goes on -- if any other task waits here or in the injection
 * queue (else it just starts a new slice: handing it over would only wake
 * an idle worker and split a pair across cores): a pair handing run-next
 * back and forth yields the worker at its next switch even where no check
 * runs in between. */
static plat_task *next_local(plat_worker *w, bool *inherit) {
  plat_task *t = find_local(w, inherit);
  if (t && *inherit && atomic_load_explicit(&w->preempt, memory_order_relaxed)) {
    if (plat_sched_has_other_work(w)) {
      inj_push(t);
      wake_idle();
      t = find_local(w, inherit);     /* run-next is empty now */
    } else {
      *inherit = false;               /* nobody waits: a new slice, no hand-over */
    }
  }
  return t;
}

/* Give up the CPU from task `cur` (post fields already set).  The wait
 * site recorded by generated code follows the task across the switch. */
static void leave(plat_task *cur, bool dead) {
  plat_worker *w = plat_cur_worker();
  const plat_site *site = plat_tls_site;   /* read before the switch */
  if (PLAT_TRACING()) plat_trace_stop(w, cur);
  bool inherit;
  plat_task *next = next_local(w, &inherit);
  if (next) {
    prepare(w, next, inherit);
    switch_ctx(w, &cur->sp, next, dead);
  } else {
    w->cur = NULL;
    set_tls_limit(0);
    plat_split_limit_set(0);
    switch_ctx(w, &cur->sp, NULL, dead);
  }
  if (!dead) {
    plat_after_switch();
    plat_site_set(site);
  }
}

void plat_sched_park_switch(plat_task *t) { leave(t, false); }

void plat_sched_exit_switch(plat_task *t) {
  plat_worker *w = plat_cur_worker();
  w->post = POST_EXIT;
  w->post_task = t;
  leave(t, true);
  __builtin_unreachable();
}

void plat_sched_yield_now(plat_task *t) {
  plat_tsan_poll();
  if (PLAT_DET()) {                   /* a seeded choice, this task included */
    plat_sched_det_point(t);
    return;
  }
  plat_worker *w = plat_cur_worker();
  if (!plat_sched_has_other_work(w)) return;
  w->post = POST_YIELD;
  w->post_task = t;
  leave(t, false);
}

/* A scheduling point of a deterministic schedule (detsched.c): the
 * seeded generator picks among the runnable tasks and this one; another
 * pick means a yield.  Called with no runtime lock held. */
void plat_sched_det_point(plat_task *t) {
  if (!PLAT_DET() || !t || !plat_det_should_switch()) return;
  plat_worker *w = plat_cur_worker();
  w->post = POST_YIELD;
  w->post_task = t;
  leave(t, false);
}

/* Contention migration (see chan.c's lock): t leaves this worker for
 * `to`'s inbox; this worker runs what it has locally, then its idle path
 * naps until MIGRATE_NAP_NS have passed before it steals again (stealing
 * happens only in idle_spin, after the nap), so it does not take the
 * tasks straight back.  A pipeline whose stages all share one or two channels
 * thus gathers on one worker, where a channel operation costs ~15 ns
 * instead of the ~70-150 ns of a cache-line transfer per operation. */
#define MIGRATE_NAP_NS 1000000
atomic_long plat_sched_migrations;      /* statistics, for tests */
void plat_sched_migrate(plat_task *t, plat_worker *to) {
  plat_worker *w = plat_cur_worker();
  if (to == w) return;
  atomic_fetch_add_explicit(&plat_sched_migrations, 1, memory_order_relaxed);
  w->nap_until_ns = plat_now_ns() + MIGRATE_NAP_NS;
  w->post = POST_MIGRATE;
  w->post_task = t;
  w->post_arg = to;
  leave(t, false);
}

/* Monitor thread: w has run one task since the previous scan, so the
 * tasks migrated into its inbox would wait for its preemption; the
 * injection queue lets any worker take them now. */
atomic_long plat_sched_rescues;         /* statistics, for tests */
void plat_sched_rescue_inbox(plat_worker *w) {
  plat_task *t;
  bool any = false;
  while ((t = inbox_pop(w))) {
    inj_push(t);
    any = true;
    atomic_fetch_add_explicit(&plat_sched_rescues, 1, memory_order_relaxed);
  }
  if (any) wake_idle();
}

/* Runs in the context that was just switched to. */
void plat_after_switch(void) {
  plat_worker *w = plat_cur_worker();
  plat_post_kind k = w->post;
  plat_task *t = w->post_task;
  w->post = POST_NONE;
  w->post_task = NULL;
  switch (k) {
  case POST_NONE: break;
  case POST_PARK: {
    bool ok = w->post_commit ? w->post_commit(t, w->post_arg) : true;
    plat_park_finish(t, ok);
    break;
  }
  case POST_YIELD:
    atomic_store_explicit(&t->state, PLAT_T_RUNNABLE, memory_order_relaxed);
    inj_push(t);
    wake_idle();
    break;
  case POST_MIGRATE:
    atomic_store_explicit(&t->state, PLAT_T_RUNNABLE, memory_order_relaxed);
    inbox_push(w->post_arg, t);
    wake_idle();                      /* `to` may be idle: any idle thief takes it */
    break;
  case POST_EXIT:
#ifdef PLAT_ASAN
    /* frames live at exit never returned: clear their stale poisoning */
    if ((char *)t->sp - 4096 >= t->stack->lo)
      ASAN_UNPOISON_MEMORY_REGION((char *)t->sp - 4096, (size_t)(t->stack->hi - (char *)t->sp + 4096));
    else
      ASAN_UNPOISON_MEMORY_REGION(t->stack->lo, (size_t)(t->stack->hi - t->stack->lo));
#endif
#ifdef PLAT_TSAN
    __tsan_destroy_fiber(t->san_fiber);
    t->san_fiber = NULL;
#endif
    plat_stack_release_all(w, t->stack);   /* every segment, newest first */
    t->stack = NULL;
    break;
  }
  if (plat_gc_torture_on) plat_gc_torture_point();
  plat_tsan_poll();
}

/* ---- idle ---- */
/* Spin a little before sleeping: a burst of spawns then finds this worker
 * awake instead of paying a futex wake-up per task.  While a worker spins,
 * pushers do not wake sleepers (nspinning). */
#define SPIN_ROUNDS 64
static plat_task *idle_spin(plat_worker *w) {
  plat_task *t = NULL;
  atomic_fetch_add(&nspinning, 1);
  for (int round = 0; round < SPIN_ROUNDS && !t; round++) {
    if (!(t = find_steal(w, round > 1))) t = inj_pop();
    if (!t && (round & 15) == 15) {   /* sockets too, if nobody polls */
      poll_now(w);
      t = atomic_exchange(&w->runnext, NULL);
    }
    for (int k = 0; k < 16 && !t; k++) plat_cpu_relax();
    plat_tsan_poll();
  }
  atomic_fetch_sub(&nspinning, 1);
  if (t) wake_idle();                 /* more work may follow: hand on */
  return t;
}

/* After an idle round ended without the futex sleep: leave the idle list,
 * or, if a waker already took w off it, end the waker's `waking` turn. */
static void idle_leave(plat_worker *w) {
  plat_spin_lock(&sched_lock);
  if (w->idle) {
    plat_worker **pp = &idle_list;
    while (*pp != w) pp = &(*pp)->idle_next;
    *pp = w->idle_next;
    w->idle = false;
    atomic_fetch_sub(&nidle, 1);
    plat_spin_unlock(&sched_lock);
  } else {
    plat_spin_unlock(&sched_lock);
    atomic_store(&waking, 0);
  }
}

/* Block in the poller instead of the futex until a socket readies a task
 * or a waker sets w->futex (it then interrupts epoll_wait through
 * plat_poller_wake, because it reads in_poller after setting futex). */
static int idle_poll(plat_worker *w) {
  int n = 0;
  atomic_store(&w->in_poller, true);
  while (atomic_load(&w->futex) == 0 && plat_poller_active()) {
    w->polling = true;
    n = plat_poller_poll(-1);
    w->polling = false;
    if (n > 0) break;
    if (n < 0) sched_yield();         /* a busy worker's short poll holds it */
  }
  atomic_store(&w->in_poller, false);
  return n;
}

static plat_task *idle_wait(plat_worker *w) {
  if (PLAT_DET()) return plat_det_idle(w);
  bool inherit;                       /* unused: the scheduler context starts a new slice */
  for (;;) {
    plat_task *t;
    poll_now(w);
    if ((t = find_local(w, &inherit))) return t;
    if (w->nap_until_ns) {            /* after a migration: nap, unlisted */
      int64_t left = w->nap_until_ns - plat_now_ns();
      if (left > 0) {
        plat_futex_wait(&w->futex, atomic_load(&w->futex), left);
        continue;
      }
      w->nap_until_ns = 0;
    }
    if ((t = idle_spin(w))) return t;
    plat_spin_lock(&sched_lock);
    if ((t = inj_pop_locked())) {
      plat_spin_unlock(&sched_lock);
      return t;
    }
    w->idle = true;
    w->idle_next = idle_list;
    idle_list = w;
    atomic_store(&w->futex, 0);
    int n = atomic_fetch_add(&nidle, 1) + 1;
    plat_spin_unlock(&sched_lock);
    atomic_store(&w->in_task, false);
    plat_fence();
    if (any_work_visible()) {
      idle_leave(w);
      continue;
    }
    if (n == plat_nworkers) plat_deadlock_check();
    if (plat_poller_active() && !atomic_exchange(&poll_owner, 1)) {
      int got = idle_poll(w);
      atomic_store(&poll_owner, 0);
      idle_leave(w);
      if ((t = find_local(w, &inherit)) && got > HANDOVER_MIN && !plat_deque_empty(&w->dq)) wake_idle();
      if (t) return t;
      continue;
    }
    while (atomic_load(&w->futex) == 0) plat_futex_wait(&w->futex, 0, -1);
    atomic_store(&waking, 0);         /* we were the one being woken */
    if (any_work_visible()) wake_idle();
  }
}

static void *worker_main(void *arg) {
  plat_worker *w = arg;
  tls_worker = w;
  pthread_attr_t a;
  void *lo;
  size_t sz;
  pthread_getattr_np(pthread_self(), &a);
  pthread_attr_getstack(&a, &lo, &sz);
  pthread_attr_destroy(&a);
  w->os_lo = lo;
  w->os_hi = (char *)lo + sz;
  atomic_store(&w->limit_addr, &plat_tls_stack_limit);
#ifdef PLAT_TSAN
  w->san_sched_fiber = __tsan_get_current_fiber();
#endif
  plat_gc_register_worker();
  if (PLAT_TRACING()) plat_trace_worker(w);
  for (;;) {
    plat_after_switch();
    w->cur = NULL;
    set_tls_limit(0);
    plat_split_limit_set(0);
    bool inherit;
    plat_task *t = find_local(w, &inherit);
    if (!t) t = idle_wait(w);
    prepare(w, t, false);             /* from the scheduler context: a new slice */
    switch_ctx(w, &w->sched_sp, t, false);
  }
  return NULL;
}

/* ---- program entry ---- */
void plat_root_finished(void) {
  atomic_store(&root_done, 1);
  plat_futex_wake(&root_done, 1);
}

extern void plat_flush_stdout(void) __attribute__((weak));

/* Every way out of the program comes here: stdout, then the trace. */
static void flush_out(void) {
  if (plat_flush_stdout) plat_flush_stdout();
  fflush(stdout);
  if (PLAT_TRACING()) plat_trace_finish();
}

int plat_main(int argc, char **argv, plat_task_fn entry, void *env) {
  g_argc = argc;
  g_argv = argv;
  signal(SIGPIPE, SIG_IGN);
  plat_config_check();                /* a bad PLAT_* variable stops here */
  plat_gc_init();
  plat_det_init();
  plat_trace_init();
  plat_dump_init();
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  n = (long)plat_env_int("PLAT_WORKERS", n < 1 ? 1 : n > PLAT_MAX_WORKERS ? PLAT_MAX_WORKERS : n, 1,
                         PLAT_MAX_WORKERS);
  if (PLAT_DET()) n = 1;                /* deterministic schedules: one worker */
  plat_nworkers = (int)n;
  plat_workers = calloc((size_t)n, sizeof *plat_workers);
  for (int i = 0; i < n; i++) {
    plat_worker *w = aligned_alloc(64, (sizeof(plat_worker) + 63) & ~(size_t)63);
    memset(w, 0, sizeof *w);
    w->id = i;
    w->rng = 0x9e3779b9u * (uint32_t)(i + 1);
    plat_deque_init(&w->dq);
    plat_workers[i] = w;
  }
  plat_task *root = plat_task_new(entry, env, NULL, 0);
  root->id = plat_task_next_id(NULL);   /* 1 */
  root->stack = plat_stack_root(ROOT_STACK);
  plat_stack_set_owner(root->stack, root);
  init_context(root);
#ifdef PLAT_TSAN
  root->san_fiber = __tsan_create_fiber(0);
#endif
  plat_root = root;
  if (!PLAT_DET()) plat_monitor_start();   /* det: virtual time, no preemption */
  inj_push(root);
  for (int i = 0; i < n; i++) {
    pthread_t th;
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, (size_t)8 << 20);
    if (pthread_create(&th, &a, worker_main, plat_workers[i]) != 0) {
      fprintf(stderr, "fatal: cannot start worker threads\n");
      exit(2);
    }
    pthread_attr_destroy(&a);
  }
  while (atomic_load(&root_done) == 0) plat_futex_wait(&root_done, 0, -1);
  flush_out();
  int st = atomic_load(&root->state);
  if (st == PLAT_T_PANICKED) {
    plat_report_panic(root->panic);
    _exit(101);
  }
  return (int)root->result;
}

void plat_flush_all(void) { flush_out(); }

bool plat_sched_root_done(void) { return atomic_load(&root_done) != 0; }

/* ---- external wakers ---- */
void plat_external_hold(void) { atomic_fetch_add(&plat_external_holds, 1); }
void plat_external_release(void) { atomic_fetch_sub(&plat_external_holds, 1); }

/* For deadlock.c: called with the timer lock held. */
bool plat_sched_all_idle_and_empty(void) {
  plat_spin_lock(&sched_lock);
  bool r = atomic_load(&nidle) == plat_nworkers && inj_head == NULL;
  plat_spin_unlock(&sched_lock);
  if (!r) return false;
  for (int i = 0; i < plat_nworkers; i++) {
    plat_worker *v = plat_workers[i];
    if (!plat_deque_empty(&v->dq) || atomic_load(&v->runnext) || atomic_load(&v->inbox_n))
      return false;
  }
  return atomic_load(&root_done) == 0;
}
