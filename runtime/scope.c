/* scope.c -- scopes, defers and the cleanup chain.
 *
 * Each task has a chain of cleanup records (innermost first), living on
 * its own stack: defers and open scopes.  Normal exits pop them
 * (plat_defer_pop, plat_scope_exit); unwinding (panic or cancellation)
 * pops and runs every remaining record: a defer runs its code, a scope
 * cancels its children and joins them without re-raising.
 *
 * The children registry holds every unfinished child, for cancellation
 * and for the collector (queued tasks are reachable only from there):
 *   - sc->kids, an array of the children the owner spawned: 16 slots in
 *     the scope itself, then a GC array, doubled when a prune frees less
 *     than half of it (allocated with no lock held);
 *   - sc->children, a lock-free list (newest first) of the children that
 *     other tasks spawned into the scope (possible from C only).
 * When the array is full, the owner drops its finished children from
 * both (prune_or_grow): amortised O(1) per spawn, and the array is never
 * larger than four times the most children alive at once, plus 16, so a
 * scope that runs millions of tasks one after another holds only the
 * live ones (finished ones wait for the next prune or the scope's end).  An
 * array, not a list: the prune's loads of the children's states are
 * independent, so their cache misses overlap (a child that finished on
 * another core costs a line transfer each; walking a list paid them one
 * after another, ~10% on the spawn benchmark).
 * Only the owner changes the registry: it appends without a lock and
 * compacts and grows under the scope lock.  The only other reader, a
 * first failing child cancelling its siblings, reads it under the scope
 * lock; the owner's own walks need no lock.
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

/* ---- the children registry ---- */

static bool finished(plat_task *t) { return atomic_load_explicit(&t->state, memory_order_acquire) >= PLAT_T_DONE; }

/* Cancel every child but `except`: by the owner (the only task that
 * changes the registry, so no lock), or with the scope lock held. */
void plat__scope_cancel_kids(plat_scope *sc, plat_task *except) {
  plat_task **a = sc->kids;
  uint32_t n = __atomic_load_n(&sc->nkids, __ATOMIC_SEQ_CST);
  for (uint32_t i = 0; i < n; i++)
    if (a[i] != except) plat_cancel(a[i]);
  for (plat_task *c = __atomic_load_n(&sc->children, __ATOMIC_SEQ_CST); c;
       c = __atomic_load_n(&c->sib_next, __ATOMIC_RELAXED))
    if (c != except) plat_cancel(c);
}

/* Under the scope lock: drop the finished tasks of the non-owner list,
 * all but the head (which spawners CAS); a removed task's link is
 * cleared, so a kept handle retains nothing else. */
static void prune_list(plat_scope *sc) {
  plat_task *prev = __atomic_load_n(&sc->children, __ATOMIC_ACQUIRE);
  if (!prev) return;
  plat_task *c = __atomic_load_n(&prev->sib_next, __ATOMIC_RELAXED);
  while (c) {
    plat_task *next = __atomic_load_n(&c->sib_next, __ATOMIC_RELAXED);
    if (finished(c)) {
      __atomic_store_n(&prev->sib_next, next, __ATOMIC_RELAXED);
      __atomic_store_n(&c->sib_next, NULL, __ATOMIC_RELAXED);
    } else {
      prev = c;
    }
    c = next;
  }
}

/* The owner's array is full: drop its finished tasks (and those of the
 * non-owner list), and double it if that freed less than half. */
static void prune_or_grow(plat_scope *sc) {
  plat_task **a = sc->kids;
  uint32_t n = sc->nkids, j = 0;
  plat_spin_lock(scope_lock(sc));
  for (uint32_t i = 0; i < n; i++)    /* independent loads: they overlap */
    if (!finished(a[i])) a[j++] = a[i];
  for (uint32_t i = j; i < n; i++) a[i] = NULL;
  __atomic_store_n(&sc->nkids, j, __ATOMIC_RELAXED);
  prune_list(sc);
  plat_spin_unlock(scope_lock(sc));
  if (j <= sc->kids_cap / 2) return;
  uint32_t cap = sc->kids_cap * 2;
  if (cap < sc->kids_cap) plat_gc_oom(SIZE_MAX);
  plat_task **b = plat_alloc((size_t)cap * sizeof *b);   /* no lock held */
  plat_spin_lock(scope_lock(sc));
  for (uint32_t i = 0; i < j; i++) b[i] = a[i];
  sc->kids = b;
  sc->kids_cap = cap;
  plat_spin_unlock(scope_lock(sc));
  if (a == sc->kids_inline)           /* no stale task pointers on the stack */
    for (uint32_t i = 0; i < PLAT_SCOPE_INLINE_KIDS; i++) a[i] = NULL;
}

/* Owner only: register t.  The seq_cst store of the count pairs with the
 * seq_cst store of sc->failed by a failing child, which then reads the
 * count (plat__scope_cancel_kids): it sees t, or the caller sees `failed`. */
void plat__scope_add_kid(plat_scope *sc, plat_task *t) {
  if (sc->nkids == sc->kids_cap) prune_or_grow(sc);
  sc->kids[sc->nkids] = t;
  __atomic_store_n(&sc->nkids, sc->nkids + 1, __ATOMIC_SEQ_CST);
}

static void cancel_children(plat_scope *sc) { plat__scope_cancel_kids(sc, NULL); }

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
  sc->kids = sc->kids_inline;
  sc->kids_cap = PLAT_SCOPE_INLINE_KIDS;
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
