/* park.c -- parking and waking: the primitive under await, scopes, sleep,
 * channels, select and I/O.  The rules for users are in plat_rt.h.
 *
 * Each park of a task is a small state machine in task->pstate:
 *   ARMED        the task is in a park (set before commit can run)
 *   CANCELLABLE  plat_cancel may claim it
 *   CLAIMING     one waker won the CAS; it now writes reason and token
 *   CLAIMED      reason and token are written
 *   PARKED       the task's context is saved and commit has run
 * Exactly one waker wins (the CAS that sets CLAIMING).  The task becomes
 * runnable when both CLAIMED and PARKED are set, by whichever of the two
 * parties (winning waker, or the post-switch code of the parking worker)
 * sets the second bit: a task is never resumed before it is fully parked,
 * and never twice.  The task clears pstate when it resumes.
 *
 * Why and where: a plat_wait record in plat__park_w's caller's frame,
 * pointed to by task->wait while the task is parked (cleared when it
 * resumes).  Its location comes from the caller or, if none, from the
 * site generated code recorded with PLAT_AT (plat_site_get).
 *
 * Timeouts are plat_timer records on the parked task's stack; the timer
 * is stopped (synchronously, under the timer lock) after the task resumes,
 * so a late timer cannot claim a later park.  Cancellation claims only
 * CANCELLABLE parks; parks made while unwinding are not cancellable.
 */
#include "rt_internal.h"

enum { ARMED = 1, CANCELLABLE = 2, CLAIMING = 4, CLAIMED = 8, PARKED = 16 };

bool plat_wake(plat_task *t, int reason, void *token) {
  unsigned old = atomic_load(&t->pstate);
  unsigned claim;
  do {
    if (!(old & ARMED) || (old & CLAIMING)) return false;
    if (reason == PLAT_WAKE_CANCEL && !(old & CANCELLABLE)) return false;
    /* Already PARKED: claim and complete in one step.  Nobody can resume
     * t before we make it runnable below, so reason and token written
     * after the CAS are still seen first (the run queue publishes them). */
    claim = old & PARKED ? CLAIMING | CLAIMED : CLAIMING;
  } while (!atomic_compare_exchange_weak(&t->pstate, &old, old | claim));
  t->wake_reason = reason;
  t->wake_token = token;
  if (PLAT_TRACING()) plat_trace_wake(t);
  if (claim & CLAIMED) {
    plat_make_runnable(t);
    return true;
  }
  old = atomic_fetch_or(&t->pstate, CLAIMED);
  if (old & PARKED) plat_make_runnable(t);
  return true;
}

void plat_ready(plat_task *t) { (void)plat_wake(t, PLAT_WAKE_NORMAL, NULL); }

/* About to resume t: is it coming back from a park (so t->wait is its
 * record), rather than starting or coming back from a yield? */
bool plat_park_claimed(plat_task *t) { return atomic_load_explicit(&t->pstate, memory_order_relaxed) & CLAIMED; }

/* A cancellation (or a scope's interrupt) pending for t?  Consumes the
 * interrupt. */
static bool cancel_pending(plat_task *t) {
  return atomic_load_explicit(&t->cancel_req, memory_order_relaxed) ||
         (atomic_load_explicit(&t->interrupt, memory_order_relaxed) &&
          atomic_exchange(&t->interrupt, false));
}

/* Post-switch half of a park, run by the next context on the worker.
 * The fetch_or is the park's full barrier: a plat_cancel whose CAS ran
 * before ARMED was visible (and so failed) stored cancel_req before it,
 * so the load after the barrier sees the request (Dekker). */
void plat_park_finish(plat_task *t, bool commit_ok) {
  if (!commit_ok) (void)plat_wake(t, PLAT_WAKE_NORMAL, NULL);
  unsigned old = atomic_fetch_or(&t->pstate, PARKED);
  if (old & CLAIMED) {
    plat_make_runnable(t);
    return;
  }
  /* If t was woken and parked again meanwhile, the wake below claims that
   * later park: harmless, the request is still pending for it. */
  if ((old & CANCELLABLE) && !(old & CLAIMING) && cancel_pending(t))
    (void)plat_wake(t, PLAT_WAKE_CANCEL, NULL);
}

static void timeout_fire(plat_timer *tm) { (void)plat_wake(tm->arg, PLAT_WAKE_TIMEOUT, NULL); }

int plat__park_w(plat_task *t, bool (*commit)(plat_task *, void *), void *arg, plat_wait *wt,
                 int64_t deadline_ns, bool cancellable) {
  cancellable = cancellable && !t->unwinding;
  if (!wt->file) {
    const plat_site *s = plat_site_get();
    if (s) {
      wt->file = s->file;
      wt->line = s->line;
    }
  }
  t->wait = wt;
  t->wake_token = NULL;
  /* Release, not seq_cst (a plain store on x86): a waker that sees ARMED
   * also sees wake_token cleared above.  No full barrier is needed here:
   * a cancellation racing with this store is caught after the switch
   * (plat_park_finish); one requested earlier is caught just below. */
  atomic_store_explicit(&t->pstate, ARMED | (cancellable ? CANCELLABLE : 0), memory_order_release);
  if (cancellable && cancel_pending(t)) (void)plat_wake(t, PLAT_WAKE_CANCEL, NULL);
  plat_timer tm;
  if (deadline_ns >= 0) plat_timer_start(&tm, deadline_ns, timeout_fire, t);
  plat_worker *w = plat_cur_worker();
  w->post = POST_PARK;
  w->post_task = t;
  w->post_commit = commit;
  w->post_arg = arg;
  atomic_store_explicit(&t->state, PLAT_T_PARKED, memory_order_relaxed);
  plat_sched_park_switch(t);
  if (deadline_ns >= 0) plat_timer_stop(&tm);
  int reason = t->wake_reason;
  /* Relaxed: any late waker sees CLAIMING (and fails) or 0 (and fails);
   * the next park's seq_cst store orders it before anything after. */
  atomic_store_explicit(&t->pstate, 0, memory_order_relaxed);
  t->wait = NULL;
  return reason;
}

int plat__park(plat_task *t, bool (*commit)(plat_task *, void *), void *arg, const char *what,
               int64_t deadline_ns, bool cancellable) {
  plat_wait wt = {.what = what};
  return plat__park_w(t, commit, arg, &wt, deadline_ns, cancellable);
}

static plat_task *must_self(const char *fn) {
  plat_task *t = plat_self();
  if (!t) plat_panicf(NULL, 0, "%s called outside a task", fn);
  return t;
}

int plat_park(bool (*commit)(plat_task *, void *), void *arg, const char *what) {
  return plat__park(must_self("plat_park"), commit, arg, what, -1, true);
}

int plat_park_until(bool (*commit)(plat_task *, void *), void *arg, const char *what,
                    int64_t deadline_ns) {
  return plat__park(must_self("plat_park_until"), commit, arg, what, deadline_ns, true);
}

void *plat_wake_token(void) {
  plat_task *t = plat_self();
  return t ? t->wake_token : NULL;
}
