/* task.c -- task lifecycle: spawn, run, finish, await, cancel, yield,
 * sleep, and the slow paths of the checks in generated code.
 *
 * A task struct is GC memory (it holds env, result and panic pointers).
 * Every unfinished task is reachable from its scope's children registry, and
 * the scope lives on the stack of its owner, itself unfinished: so queues
 * and timers may hold task pointers in non-GC memory.  Finished tasks
 * leave the registry (scope.c, pruned at the owner's spawns): a scope's
 * memory is O(live children), and a finished task nobody references is
 * garbage.
 *
 * Finishing (on the task's own stack, just before its last switch):
 *   1. under t->lk: set the final state, wake every awaiter;
 *   2. if it panicked and is the first failure of its scope: record the
 *      panic in the scope and cancel the siblings (reading the children
 *      registry under the scope lock, which the owner's prune also holds);
 *   3. count itself done in the scope (sc->done, see scope.c): a CAS
 *      unless it may be the last, else under the scope lock, which also
 *      wakes the owner if it waits (after the CAS or this unlock the scope
 *      may be gone: the owner checks done under the same lock);
 *   4. switch away for good; the next context frees the stack.
 * Locks: t->lk and the scope lock are never held together.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rt_internal.h"

plat_task *plat_root;

/* Task ids: workers take blocks of ID_BLOCK from a global counter, so a
 * spawn costs no shared write; ids are unique, in spawn order per worker.
 * Deterministic schedules number tasks one by one (detsched.c). */
#define ID_BLOCK 256
static atomic_uint next_id_block = 1;

uint32_t plat_task_next_id(plat_worker *w) {
  if (PLAT_DET()) return plat_det_next_id();
  if (!w) return atomic_fetch_add(&next_id_block, 1);
  if (w->id_next == w->id_end) {
    w->id_next = atomic_fetch_add(&next_id_block, ID_BLOCK);
    w->id_end = w->id_next + ID_BLOCK;
  }
  return w->id_next++;
}

plat_task *plat_task_new(plat_task_fn fn, void *env, const char *file, int line) {
  plat_task *t = plat_alloc_task();
  t->fn = fn;
  t->env = env;
  t->file = file;
  t->line = line;
  atomic_init(&t->state, PLAT_T_NEW);
  /* 144 bytes, 9 granules (gc.c TASK_BYTES); the TSan build adds a word */
#ifdef PLAT_TSAN
  _Static_assert(sizeof(plat_task) <= 144 + sizeof(void *), "plat_task grew");
#else
  _Static_assert(sizeof(plat_task) <= 144, "plat_task grew: 10 granules (gc.c TASK_BYTES)");
#endif
  return t;
}

static inline plat_spin *scope_lock(plat_scope *sc) { return (plat_spin *)&sc->lock; }

static bool finished(int st) { return st >= PLAT_T_DONE; }

plat_task *plat_spawn(plat_scope *sc, plat_task_fn fn, void *env, const char *file, int line) {
  plat_task *self = plat_self();
  if (!self) plat_panic("plat_spawn called outside a task", file, line);
  plat_task *t = plat_task_new(fn, env, file, line);
  t->id = plat_task_next_id(self->worker);   /* self runs on this thread's worker */
  t->scope = sc;
  t->parent = self;
  /* the seq_cst publication pairs with the seq_cst store of sc->failed in
   * finish: either a failing sibling's walk sees t, or t sees `failed` */
  if (sc->owner == self) {
    plat__scope_add_kid(sc, t);
    sc->owner_spawns++;
  } else {
    plat_task *h = __atomic_load_n(&sc->children, __ATOMIC_RELAXED);
    do t->sib_next = h;
    while (!__atomic_compare_exchange_n(&sc->children, &h, t, true, __ATOMIC_SEQ_CST,
                                        __ATOMIC_RELAXED));
    __atomic_fetch_sub(&sc->done, 1, __ATOMIC_RELAXED);
  }
  if (__atomic_load_n(&sc->failed, __ATOMIC_SEQ_CST)) atomic_store(&t->cancel_req, true);
  if (PLAT_TRACING()) plat_trace_spawn(t);
  plat_make_runnable_spawn(t);
  if (PLAT_DET()) plat_sched_det_point(self);
  return t;
}

void plat_task_main(plat_task *t) {
#ifdef PLAT_ASAN
  extern void __sanitizer_finish_switch_fiber(void *, const void **, size_t *);
  __sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
  plat_after_switch();
  if (atomic_load(&t->cancel_req)) plat_task_finish(t, PLAT_T_CANCELLED);
  t->result = t->fn(t->env);           /* result overlays env, what fn */
  plat_task_finish(t, PLAT_T_DONE);
}

void plat_task_finish(plat_task *t, int state) {
  if (PLAT_TRACING()) plat_trace_exit(t, state);
  plat_spin_lock(&t->lk);
  atomic_store(&t->state, state);
  for (plat_awaiter *a = t->awaiters, *next; a; a = next) {
    next = a->next;                   /* the record may vanish once woken */
    plat_task *w = a->task;
    a->linked = false;
    plat_wake(w, PLAT_WAKE_NORMAL, NULL);
  }
  t->awaiters = NULL;
  plat_spin_unlock(&t->lk);
  plat_scope *sc = t->scope;
  if (sc) {
    if (state == PLAT_T_PANICKED) {
      bool first = false;
      plat_spin_lock(scope_lock(sc));
      if (!sc->failed) {
        __atomic_store_n(&sc->failed, t->panic, __ATOMIC_SEQ_CST);
        first = true;
        plat__scope_cancel_kids(sc, t);
      }
      plat_spin_unlock(scope_lock(sc));
      if (first) {
        /* interrupt the owner if it blocks elsewhere inside the scope: its
         * wait returns CANCEL and plat_cancel_unwind re-raises this panic */
        plat_task *o = sc->owner;
        atomic_store(&o->interrupt, true);
        if (plat_wake(o, PLAT_WAKE_CANCEL, NULL)) atomic_store(&o->interrupt, false);
      }
    }
    int64_t n = __atomic_load_n(&sc->done, __ATOMIC_RELAXED);
    while (n != PLAT_SCOPE_JOIN - 1)
      if (__atomic_compare_exchange_n(&sc->done, &n, n + 1, true, __ATOMIC_RELEASE,
                                      __ATOMIC_RELAXED))
        goto done;
    plat_spin_lock(scope_lock(sc));
    if (__atomic_add_fetch(&sc->done, 1, __ATOMIC_RELEASE) == PLAT_SCOPE_JOIN && sc->waiter) {
      plat_task *o = sc->waiter;
      sc->waiter = NULL;
      plat_wake(o, PLAT_WAKE_NORMAL, NULL);
    }
    plat_spin_unlock(scope_lock(sc));
  }
done:
  if (t == plat_root) plat_root_finished();
  plat_sched_exit_switch(t);
}

static bool unlock_commit(plat_task *self, void *arg) {
  (void)self;
  plat_spin_unlock(arg);
  return true;
}

uint64_t plat_await(plat_task *t) {
  plat_task *self = plat_self();
  if (!self) plat_panic("plat_await called outside a task", NULL, 0);
  if (t == self) plat_panic("a task cannot await itself", NULL, 0);
  if (!finished(atomic_load(&t->state))) {
    plat_awaiter aw = {self, NULL, true};
    plat_spin_lock(&t->lk);
    if (!finished(atomic_load(&t->state))) {
      aw.next = t->awaiters;
      t->awaiters = &aw;
      plat_wait wt = {.what = "await", .awaited = t};
      int r = plat__park_w(self, unlock_commit, &t->lk, &wt, -1, true);
      if (r != PLAT_WAKE_NORMAL) {
        plat_spin_lock(&t->lk);
        if (aw.linked) {
          plat_awaiter **pp = &t->awaiters;
          while (*pp != &aw) pp = &(*pp)->next;
          *pp = aw.next;
        }
        plat_spin_unlock(&t->lk);
        plat_cancel_unwind();
      }
    } else {
      plat_spin_unlock(&t->lk);
    }
  }
  switch (atomic_load(&t->state)) {
  case PLAT_T_DONE: return t->result;
  case PLAT_T_PANICKED:
    t->panic_observed = true;
    plat__raise(t->panic);
  default:                            /* cancelled */
    if (t->scope && t->scope->failed) plat__raise(t->scope->failed);
    return 0;
  }
}

void plat_cancel(plat_task *t) {
  if (!t || finished(atomic_load(&t->state))) return;
  atomic_store(&t->cancel_req, true);
  (void)plat_wake(t, PLAT_WAKE_CANCEL, NULL);
  if (atomic_load(&t->state) == PLAT_T_RUNNING) {
    /* may be stale: a spurious poke is harmless */
    plat_worker *w = __atomic_load_n(&t->worker, __ATOMIC_RELAXED);
    uintptr_t *lim = w ? atomic_load(&w->limit_addr) : NULL;
    if (lim) __atomic_store_n(lim, UINTPTR_MAX, __ATOMIC_RELAXED);
  }
}

bool plat_is_cancelled(void) {
  plat_task *t = plat_self();
  return t && atomic_load(&t->cancel_req) && !t->unwinding;
}

/* A CANCEL wake without a cancellation request is an interrupt from a
 * panicking child: re-raise the innermost failed open scope's panic. */
static plat_panic_rec *pending_scope_panic(plat_task *t) {
  for (plat_cleanup *c = t->cleanup; c; c = c->next)
    if (c->fn == plat__scope_cleanup_fn) {
      plat_panic_rec *p = __atomic_load_n(&((plat_scope *)c)->failed, __ATOMIC_ACQUIRE);
      if (p) return p;
    }
  return NULL;
}

void plat_cancel_unwind(void) {
  plat_task *t = plat_self();
  if (!t) plat_panic("plat_cancel_unwind called outside a task", NULL, 0);
  if (!atomic_load(&t->cancel_req)) {
    plat_panic_rec *p = pending_scope_panic(t);
    if (p) plat__raise(p);
  }
  plat__unwind_cancel(t);
}

static void cancel_point(plat_task *t) {
  if (atomic_load(&t->cancel_req) && !t->unwinding) plat__unwind_cancel(t);
}

void plat_yield(void) {
  plat_task *t = plat_self();
  if (!t) return;
  cancel_point(t);
  plat_sched_yield_now(t);
  cancel_point(t);
}

void plat_sleep_ms(int64_t ms) {
  plat_task *t = plat_self();
  if (!t) plat_panic("plat_sleep_ms called outside a task", NULL, 0);
  if (ms <= 0) {
    plat_yield();
    return;
  }
  int r = plat__park(t, NULL, NULL, "sleep", plat_deadline_after_ms(plat_now_ns(), ms), true);
  if (r == PLAT_WAKE_CANCEL) plat_cancel_unwind();
}

/* Panic "stack overflow" (msg) in t, lowering its limit so that the
 * unwinding has room; a second overflow while unwinding is fatal. */
void plat_stack_overflow(plat_task *t, const char *msg, const char *file, int line) {
  uintptr_t lo = (uintptr_t)t->stack->lo;
  if (t->limit == lo + PLAT_STACK_EMERGENCY) {
    plat_flush_all();
    fprintf(stderr, "fatal: %s while unwinding a stack overflow at %s:%d\n", msg, file ? file : "?",
            line);
    _exit(101);
  }
  t->limit = lo + PLAT_STACK_EMERGENCY;
  plat_set_limit_for(t);
  plat_panic(msg, file, line);
}

/* Slow path of both checks: overflow, cancellation or preemption. */
static void check_slow(const char *file, int line) {
  plat_task *t = plat_self();
  if (!t) return;
  plat_tsan_poll();
  uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
  if (sp < t->limit) plat_stack_overflow(t, "stack overflow", file, line);
  cancel_point(t);
  plat_sched_release_runnext();
  plat_worker *w = plat_cur_worker();
  if (atomic_exchange(&w->preempt, false)) {
    if (PLAT_TRACING()) plat_trace_yield_why(w, PLAT_TR_PREEMPT, file, line);
    plat_sched_yield_now(t);
  }
  if (PLAT_DET()) plat_sched_det_point(t);
  plat_set_limit_for(t);
}

void plat_stack_check_slow(const char *file, int line) { check_slow(file, line); }
void plat_loop_check_slow(const char *file, int line) { check_slow(file, line); }
