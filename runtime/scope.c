/* scope.c -- scopes, defers and the cleanup chain.
 *
 * Each task has a chain of cleanup records (innermost first), living on
 * its own stack: defers and open scopes.  Normal exits pop them
 * (plat_defer_pop, plat_scope_exit); unwinding (panic or cancellation)
 * pops and runs every remaining record: a defer runs its code, a scope
 * cancels its children and joins them without re-raising.
 *
 * Counting children without a shared hot word: the owner counts its own
 * spawns in sc->owner_spawns (its cache line, read by no one else), and a
 * finishing child adds 1 to sc->done (a line of its own), so spawner and
 * finisher, usually on different workers, do not bounce one line per
 * task.  A non-owner (a child spawning into its parent's scope) subtracts
 * 1 from done instead.  Before the join, done = finished - non-owner
 * spawns: nobody can tell from it whether children still run, and nobody
 * needs to.  The join, under the scope lock, adds PLAT_SCOPE_JOIN -
 * owner_spawns once (sc->joining): done becomes PLAT_SCOPE_JOIN - running,
 * and reaches PLAT_SCOPE_JOIN exactly when the last child finishes (a
 * child spawning meanwhile is itself running, so the sum cannot touch it
 * early).
 * The increment that may be the last (done == PLAT_SCOPE_JOIN - 1) is
 * made under the scope lock, which also wakes the owner if it waits
 * (task.c); other increments are a lock-free CAS from a value that proves
 * they are not the last, after which the child never touches the scope
 * (it may be gone).  The owner checks done under the same lock before it
 * leaves, and parks with sc->waiter set (commit releases the lock), so a
 * wake can never hit a later park.  A cancellation of the owner during
 * the join cancels the children, the join continues (not cancellable),
 * then the owner unwinds.
 */
#include <string.h>

#include "rt_internal.h"

static inline plat_spin *scope_lock(plat_scope *sc) { return (plat_spin *)&sc->lock; }

void plat_defer_push(plat_defer *d, void (*run)(void *), void *env);
static void defer_cleanup(plat_cleanup *c) {
  plat_defer *d = (plat_defer *)c;
  d->run(d->env);
}

static plat_task *self_or_panic(const char *what) {
  plat_task *t = plat_self();
  if (!t) plat_panicf(NULL, 0, "%s called outside a task", what);
  return t;
}

void plat_defer_push(plat_defer *d, void (*run)(void *), void *env) {
  plat_task *t = self_or_panic("plat_defer_push");
  d->run = run;
  d->env = env;
  d->link.fn = defer_cleanup;
  d->link.next = t->cleanup;
  t->cleanup = &d->link;
}

void plat_defer_pop(plat_defer *d) {
  plat_task *t = plat_self();
  if (t && t->cleanup == &d->link) t->cleanup = d->link.next;
}

static void cancel_children(plat_scope *sc) {
  for (plat_task *c = __atomic_load_n(&sc->children, __ATOMIC_ACQUIRE); c; c = c->sib_next)
    plat_cancel(c);
}

static bool unlock_commit(plat_task *self, void *arg) {
  (void)self;
  plat_spin_unlock(arg);
  return true;
}

/* Wait until every child finished.  Returns true if the caller was
 * cancelled meanwhile (children then cancelled too). */
static bool join(plat_task *self, plat_scope *sc, bool cancellable) {
  bool cancelled = false;
  for (;;) {
    plat_spin_lock(scope_lock(sc));
    if (!sc->joining) {
      sc->joining = 1;
      __atomic_fetch_add(&sc->done, PLAT_SCOPE_JOIN - (int64_t)sc->owner_spawns,
                         __ATOMIC_ACQ_REL);
    }
    if (__atomic_load_n(&sc->done, __ATOMIC_ACQUIRE) == PLAT_SCOPE_JOIN) {
      plat_spin_unlock(scope_lock(sc));
      return cancelled;
    }
    sc->waiter = self;
    plat_wait wt = {.what = "scope exit", .file = sc->file, .line = sc->line};
    int r = plat__park_w(self, unlock_commit, scope_lock(sc), &wt, -1, cancellable);
    if (r != PLAT_WAKE_NORMAL) {
      plat_spin_lock(scope_lock(sc));
      if (sc->waiter == self) sc->waiter = NULL;
      plat_spin_unlock(scope_lock(sc));
      if (!atomic_load(&self->cancel_req)) continue;   /* child-panic interrupt */
      cancel_children(sc);
      cancellable = false;
      cancelled = true;
    }
  }
}

void plat__scope_cleanup_fn(plat_cleanup *c) {
  plat_scope *sc = (plat_scope *)c;
  cancel_children(sc);
  join(sc->owner, sc, false);
}

void plat_scope_enter(plat_scope *sc, const char *file, int line) {
  plat_task *t = self_or_panic("plat_scope_enter");
  memset(sc, 0, sizeof *sc);
  sc->owner = t;
  sc->file = file;
  sc->line = line;
  sc->link.fn = plat__scope_cleanup_fn;
  sc->link.next = t->cleanup;
  t->cleanup = &sc->link;
}

static void pop_scope(plat_task *t, plat_scope *sc) {
  if (t->cleanup == &sc->link) {
    t->cleanup = sc->link.next;
    return;
  }
  plat_panic("plat_scope_exit: scope is not the innermost open scope or defer", sc->file,
             sc->line);
}

plat_panic_rec *plat_scope_exit_catch(plat_scope *sc) {
  plat_task *t = self_or_panic("plat_scope_exit");
  bool cancelled = join(t, sc, true);
  pop_scope(t, sc);
  if (sc->failed) atomic_store(&t->interrupt, false);   /* consumed here */
  if (cancelled) plat__unwind_cancel(t);
  return sc->failed;
}

void plat_scope_exit(plat_scope *sc) {
  plat_panic_rec *p = plat_scope_exit_catch(sc);
  if (p) {
    /* observed already if an await re-raised it: the awaiting code is
     * unwinding then and does not come here */
    plat__raise(p);
  }
}

void plat__run_cleanups(plat_task *t) {
  plat_cleanup *c;
  while ((c = t->cleanup)) {
    t->cleanup = c->next;
    c->fn(c);
  }
}
