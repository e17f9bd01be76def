/* race.c -- `race { spawn {...}, ... }` (LANGUAGE.md 8.3) on the public
 * scheduler API (plat_rt.h).
 *
 * Algorithm: open a scope and spawn every arm through arm_run(), which
 * pushes a defer (arm_unwound) before calling the arm and pops it after.
 * An arm that returns reports (won, value); an arm that unwinds (panic or
 * cancellation) reports only that it is gone, from its defer.  The caller
 * parks until some arm won or every arm is gone, cancels all arms (a no-op
 * for finished ones) and exits the scope, which joins them (so the losers
 * have fully unwound) and re-raises the first panic of an arm, if any.
 *
 * Locking: one spin lock per race (struct race.lock, the runtime's
 * plat_spin: it pauses, then yields the thread) guards every field of the
 * race.  Wake protocol as in plat_rt.h: the caller publishes
 * itself in `waiter` under the lock and parks with a commit that releases
 * it; a reporter that finds the race decided clears `waiter` and wakes it
 * under the lock, so a wake can never hit a later park.
 *
 * Invariants: `left` counts arms that have neither returned nor unwound;
 * `done` is set once, by the first arm to return, together with `value`.
 * The race record and the arm records live on the caller's stack, which
 * outlives every arm (the scope joins them before plat_race returns or
 * unwinds).
 */
#include <stdatomic.h>

#include "plat_race.h"
#include "rt_internal.h"

struct race {
  plat_spin lock;
  bool done;
  int left;
  uint64_t value;
  plat_task *waiter;
};

typedef struct race_arm {
  struct race *r;
  plat_task_fn fn;
  void *env;
} race_arm;

static void race_lock(struct race *r) { plat_spin_lock(&r->lock); }
static void race_unlock(struct race *r) { plat_spin_unlock(&r->lock); }

static void race_report(struct race *r, bool won, uint64_t v) {
  race_lock(r);
  if (won && !r->done) {
    r->done = true;
    r->value = v;
  }
  r->left--;
  if ((r->done || r->left == 0) && r->waiter) {
    plat_task *w = r->waiter;
    r->waiter = NULL;
    plat_wake(w, PLAT_WAKE_NORMAL, NULL);
  }
  race_unlock(r);
}

static void arm_unwound(void *a) { race_report(((race_arm *)a)->r, false, 0); }

static uint64_t arm_run(void *a) {
  race_arm *arm = a;
  plat_defer d;
  plat_defer_push(&d, arm_unwound, arm);
  uint64_t v = arm->fn(arm->env);
  plat_defer_pop(&d);
  race_report(arm->r, true, v);
  return v;
}

static bool unlock_commit(plat_task *self, void *arg) {
  (void)self;
  race_unlock(arg);
  return true;
}

uint64_t plat_race(int n, plat_task_fn *fns, void **envs, const char *file, int line) {
  if (n <= 0) plat_panic("race needs at least one arm", file, line);
  struct race r = {.left = n};
  race_arm arms[n];
  plat_task *tasks[n];
  plat_scope sc;
  plat_scope_enter(&sc, file, line);
  for (int i = 0; i < n; i++) {
    arms[i] = (race_arm){&r, fns[i], envs[i]};
    tasks[i] = plat_spawn(&sc, arm_run, &arms[i], file, line);
  }
  race_lock(&r);
  while (!r.done && r.left > 0) {
    r.waiter = plat_self();
    plat_wait wt = {.what = "race", .file = file, .line = line};
    int why = plat__park_w(r.waiter, unlock_commit, &r, &wt, -1, true);
    race_lock(&r);
    if (why != PLAT_WAKE_NORMAL) {   /* cancelled: the scope's cleanup cancels and joins the arms */
      r.waiter = NULL;
      race_unlock(&r);
      plat_cancel_unwind();
    }
  }
  bool won = r.done;
  uint64_t v = r.value;
  race_unlock(&r);
  for (int i = 0; i < n; i++) plat_cancel(tasks[i]);
  plat_scope_exit(&sc);
  if (!won) plat_panic("race: every arm was cancelled", file, line);
  return v;
}
