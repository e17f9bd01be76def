/* scope.c -- scopes, defers and the cleanup chain.
 *
 * Each task has a chain of cleanup records (innermost first), living on
 * its own stack: defers and open scopes.  Normal exits pop them
 * (plat_defer_pop, plat_scope_exit); unwinding (panic or cancellation)
 * pops and runs every remaining record: a defer runs its code, a scope
 * cancels its children and joins them without re-raising.
 *
 * Joining: the owner, under the scope lock, sees live > 0, records itself
 * as sc->waiter and parks (commit releases the lock).  The child that
 * brings live to 0 clears sc->waiter and wakes it under the same lock, so
 * the wake can never hit a later park.  A cancellation of the owner during
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
    if (__atomic_load_n(&sc->live, __ATOMIC_ACQUIRE) == 0) {
      plat_spin_unlock(scope_lock(sc));
      return cancelled;
    }
    sc->waiter = self;
    int r = plat__park(self, unlock_commit, scope_lock(sc), "scope exit", -1, cancellable);
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
