/* dump.c -- the live-task dump: SIGQUIT, plat_dump_tasks(), and the body
 * of the deadlock report (deadlock.c) and of a deterministic schedule's
 * deadlock failure (detsched.c).
 *
 * Format (one entry per live task, by id; root first):
 *     task 1 main: blocked in scope exit at demo.plat:9
 *     task 4: blocked in await of task 7 at demo.plat:14
 *       spawned at demo.plat:12 in task 2, at demo.plat:8 in task 1 main
 *     task 7: running on worker 1
 *       spawned at demo.plat:20 in task 4, ...
 * States: "not started", "runnable", "running on worker N", "blocked in
 * WHAT[ of task N][ at FILE:LINE]", "finishing".
 *
 * Finding the tasks: structured concurrency makes them a tree.  From the
 * root, each task's cleanup chain (its stack) holds its open scopes, and
 * each scope its children (the owner's in `kids`, other tasks' in the
 * `children` list); finished children are skipped.
 * That reaches tasks that never ran (no stack yet) as well.
 *
 * Holding still: the walk reads task records, scope records and wait
 * records on task stacks, which their owners change as they run.  The
 * deadlock report runs when every worker is idle; SIGQUIT and
 * plat_dump_tasks stop every worker thread first with the collector's
 * stop-the-world (GC_stop_world_external: the threads are suspended by
 * signal wherever they are, and every pointer the walk follows is valid
 * at that instant).  While the world is stopped the dump must not take a
 * lock a stopped thread may hold: no malloc (memory comes from mmap), no
 * stdio (output is write(2) of a stack buffer).  The TSan build does not
 * stop the world (Boehm's signals are unreliable under TSan, see
 * docs/RUNTIME.md): there the dump is a racy snapshot.
 *
 * SIGQUIT: the handler only posts a semaphore (async-signal-safe); a
 * plain thread started by plat_dump_init waits on it and dumps, and the
 * program goes on running.  Owned globals: dump_sem, dump_lock (one dump
 * at a time).
 */
#define GC_THREADS 1
#include <gc.h>

#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rt_internal.h"

#ifdef PLAT_TSAN
#define RACY __attribute__((no_sanitize("thread")))
#else
#define RACY
#endif

/* ---- output: a fd through a stack buffer, or a malloc'd string ---- */
typedef struct out {
  int fd;
  char **buf;
  size_t *len;
  size_t n;
  char b[1024];
} out;

static void out_flush(out *o) {
  if (o->fd >= 0) {
    for (size_t k = 0; k < o->n;) {
      ssize_t w = write(o->fd, o->b + k, o->n - k);
      if (w <= 0) break;
      k += (size_t)w;
    }
  } else {
    char *nb = realloc(*o->buf, *o->len + o->n + 1);
    if (!nb) plat_gc_oom(*o->len + o->n + 1);
    memcpy(nb + *o->len, o->b, o->n);
    *o->len += o->n;
    nb[*o->len] = 0;
    *o->buf = nb;
  }
  o->n = 0;
}

static void out_s(out *o, const char *s) {
  for (; *s; s++) {
    if (o->n == sizeof o->b) out_flush(o);
    o->b[o->n++] = *s;
  }
}

static void out_u(out *o, uint64_t v) {
  char t[24];
  int k = sizeof t;
  t[--k] = 0;
  do t[--k] = (char)('0' + v % 10);
  while ((v /= 10) && k > 0);
  out_s(o, t + k);
}

static void out_loc(out *o, const char *file, int line) {
  out_s(o, file ? file : "(runtime)");
  if (file && line > 0) {
    out_s(o, ":");
    out_u(o, (uint64_t)line);
  }
}

/* ---- collecting the live tasks (mmap'd, see the header) ---- */
typedef struct vec {
  plat_task **v;
  size_t n, cap;
} vec;

static bool vec_push(vec *a, plat_task *t) {
  if (a->n == a->cap) {
    size_t cap = a->cap ? 2 * a->cap : 1024;
    void *m = mmap(NULL, cap * sizeof *a->v, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return false;
    if (a->v) {
      memcpy(m, a->v, a->n * sizeof *a->v);
      munmap(a->v, a->cap * sizeof *a->v);
    }
    a->v = m;
    a->cap = cap;
  }
  a->v[a->n++] = t;
  return true;
}

static void vec_free(vec *a) {
  if (a->v) munmap(a->v, a->cap * sizeof *a->v);
}

RACY static bool finished(plat_task *t) { return atomic_load(&t->state) >= PLAT_T_DONE; }

/* Depth-first from the root; `todo` is the walk's stack. */
RACY static void collect(vec *live) {
  vec todo = {0};
  if (plat_root) vec_push(&todo, plat_root);
  while (todo.n > 0) {
    plat_task *t = todo.v[--todo.n];
    if (finished(t) || !vec_push(live, t)) continue;
    for (plat_cleanup *c = t->cleanup; c; c = c->next) {
      if (c->fn != plat__scope_cleanup_fn) continue;
      plat_scope *sc = (plat_scope *)c;
      uint32_t n = __atomic_load_n(&sc->nkids, __ATOMIC_ACQUIRE);   /* the owner's spawns */
      for (uint32_t i = 0; i < n; i++)
        if (sc->kids[i] && !finished(sc->kids[i])) vec_push(&todo, sc->kids[i]);
      for (plat_task *k = __atomic_load_n(&sc->children, __ATOMIC_ACQUIRE); k; k = k->sib_next)
        if (!finished(k)) vec_push(&todo, k);   /* other tasks' spawns */
    }
  }
  vec_free(&todo);
}

RACY static void sort_by_id(vec *a) {  /* insertion sort: no allocation */
  for (size_t i = 1; i < a->n; i++) {
    plat_task *t = a->v[i];
    size_t j = i;
    for (; j > 0 && a->v[j - 1]->id > t->id; j--) a->v[j] = a->v[j - 1];
    a->v[j] = t;
  }
}

RACY static void out_task_name(out *o, plat_task *t) {
  out_s(o, "task ");
  out_u(o, t->id);
  if (t == plat_root) out_s(o, " main");
}

RACY static void out_state(out *o, plat_task *t) {
  switch (atomic_load(&t->state)) {
  case PLAT_T_NEW: out_s(o, "not started"); return;
  case PLAT_T_RUNNABLE: out_s(o, "runnable"); return;
  case PLAT_T_RUNNING: {
    plat_worker *w = __atomic_load_n(&t->worker, __ATOMIC_RELAXED);
    out_s(o, "running on worker ");
    out_u(o, w ? (uint64_t)w->id : 0);
    return;
  }
  case PLAT_T_PARKED: {
    const plat_wait *wt = t->wait;
    out_s(o, "blocked");
    if (!wt) return;
    out_s(o, " in ");
    out_s(o, wt->what ? wt->what : "?");
    if (wt->awaited) {
      out_s(o, " of ");
      out_task_name(o, wt->awaited);
    }
    if (wt->file) {
      out_s(o, " at ");
      out_loc(o, wt->file, wt->line);
    }
    return;
  }
  default: out_s(o, "finishing"); return;
  }
}

RACY static void out_task(out *o, plat_task *t) {
  out_s(o, "  ");
  out_task_name(o, t);
  out_s(o, ": ");
  out_state(o, t);
  out_s(o, "\n");
  if (t == plat_root) return;
  out_s(o, "    spawned");
  for (plat_task *x = t; x && x != plat_root; x = x->parent) {
    out_s(o, x == t ? " at " : ", at ");
    out_loc(o, x->file, x->line);
    if (x->parent) {
      out_s(o, " in ");
      out_task_name(o, x->parent);
    }
  }
  out_s(o, "\n");
}

void plat_dump_write(int fd, char **buf, size_t *len, const char *header) {
  out o = {.fd = fd, .buf = buf, .len = len};
  vec live = {0};
  collect(&live);
  sort_by_id(&live);
  if (header) out_s(&o, header);
  for (size_t i = 0; i < live.n; i++) out_task(&o, live.v[i]);
  if (live.n == 0) out_s(&o, "  (no live tasks)\n");
  out_flush(&o);
  vec_free(&live);
}

/* ---- SIGQUIT and the C entry point ---- */
static pthread_mutex_t dump_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t dump_sem;
atomic_int plat_dumps_done;             /* finished dumps (tests wait for SIGQUIT's) */

static void dump_stopped(const char *header) {
  pthread_mutex_lock(&dump_lock);
#ifndef PLAT_TSAN
  bool stop = plat_root != NULL;
  if (stop) GC_stop_world_external();
#endif
  plat_dump_write(2, NULL, NULL, header);
#ifndef PLAT_TSAN
  if (stop) GC_start_world_external();
#endif
  atomic_fetch_add(&plat_dumps_done, 1);
  pthread_mutex_unlock(&dump_lock);
}

void plat_dump_tasks(void) { dump_stopped("live tasks:\n"); }

static void on_sigquit(int sig) {
  (void)sig;
  sem_post(&dump_sem);
}

static void *dumper(void *arg) {
  (void)arg;
  for (;;) {
    while (sem_wait(&dump_sem) != 0) {}
    dump_stopped("SIGQUIT: live tasks (the program goes on)\n");
  }
  return NULL;
}

void plat_dump_init(void) {
  if (sem_init(&dump_sem, 0, 0) != 0) return;
  pthread_t th;
  pthread_attr_t a;
  pthread_attr_init(&a);
  pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&a, 256 * 1024);
  int rc = pthread_create(&th, &a, dumper, NULL);
  pthread_attr_destroy(&a);
  if (rc != 0) return;                  /* no dumper: SIGQUIT keeps its default */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigquit;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGQUIT, &sa, NULL);
}
