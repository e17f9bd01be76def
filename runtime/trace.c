/* trace.c -- PLAT_TRACE=FILE: the run as Chrome/Perfetto trace-event JSON
 * (LANGUAGE.md 8.9; loads in ui.perfetto.dev and chrome://tracing).
 *
 * What is written (pid 1; one track per thread):
 *   - tracks "worker N" (tid N+1), "GC" (tid 99), and one per other
 *     runtime thread that wakes tasks (monitor: timers; I/O helpers;
 *     tid 100 and up);
 *   - a complete slice ("ph":"X") per run of a task on a worker, named by
 *     its spawn location ("demo.plat:12"; "main" for the root, the test's
 *     name for a test body), args: task id, how the run ended ("end":
 *     blocked, yield, preempted, migrated, done, panicked, cancelled) and,
 *     for a wait, what it waits on ("wait": "channel recv", "await", ...,
 *     "awaits": task id) and where ("at": "demo.plat:20");
 *   - flow arrows (v1 flow events, "s" bound to the enclosing slice, "f"
 *     with "bp":"e"): spawn -> first run (cat "spawn", id: the task id,
 *     plus schedule << 32 under `--schedules`, whose schedules reuse task
 *     ids: their events carry "schedule": N),
 *     wake -> next run (cat "wake", id: the waker's track << 40 | its
 *     count of wakes; the waker stores it in the parked task's plat_wait
 *     record, which lives until the task resumes, so tasks carry no trace
 *     field); a wake from outside a task slice (a timer on the monitor
 *     thread, a socket poll, a helper) gets a short "wake" slice of its
 *     own to start from;
 *   - "GC pause" slices on the GC track (stop to restart of the world).
 *
 * Recording: each thread appends fixed-size binary records to its own
 * ring (plat_tbuf; workers' hang from plat_worker, other threads' from a
 * thread-local): no lock, no allocation, a clock read and a few stores.
 * A ring is single-producer; `head` is written by its owner only (release
 * after the record), `tail` by whoever formats it, under `flock`.  When a
 * ring is half full its owner formats it into JSON and writes it out
 * (under `flock`, a leaf lock: nothing else is taken while it is held), so
 * memory stays bounded (RING records per thread) and the file grows in
 * chunks.  The GC's ring is filled while the world is stopped, when a
 * stopped thread may hold `flock`: it never flushes itself, others flush
 * it; if it is full an event is dropped and counted ("dropped_events").
 * The same happens to any ring that cannot be flushed because the trace
 * is already closed.  Timestamps are CLOCK_MONOTONIC ns since the start,
 * made strictly increasing (+2 ns) per ring, so a flow event placed 1 ns
 * inside a slice is never ambiguous.
 *
 * Formatting state (an open run per ring) lives in the ring and is
 * touched only under `flock`.  plat_trace_finish (every exit path goes
 * through plat_flush_all or plat_main's end) formats every ring, closes
 * still-open runs ("end":"trace end") and completes the JSON document.
 *
 * Cost when PLAT_TRACE is unset: one predictable branch per hook
 * (PLAT_TRACING() in sched.c, park.c, task.c, gc.c); measured in
 * docs/BENCHMARKS.md, as is the cost when set.
 *
 * Owned globals: the file and its lock, the list of rings, gc_buf, t0.
 */
#define GC_THREADS 1
#include <gc.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rt_internal.h"

#define RING (1u << 13)               /* records per thread (40 bytes each) */
#define FLUSH_AT (RING / 2)
enum { FL_NONE, FL_SPAWN, FL_WAKE };  /* R_RUN's `why`: the flow its run ends */

enum { R_RUN, R_STOP, R_SPAWN, R_WAKE, R_GC_BEGIN, R_GC_END };
enum { E_BLOCKED, E_YIELD, E_PREEMPT, E_MIGRATED, E_DONE, E_PANICKED, E_CANCELLED, E_TRACE_END };
static const char *const end_names[] = {"blocked", "yield",    "preempted",  "migrated",
                                        "done",    "panicked", "cancelled", "trace end"};

typedef struct trec {
  uint8_t kind, why;
  int32_t line;
  int64_t ts;
  uint32_t task, aux;                 /* aux: awaited task, worker; RUN, SPAWN,
                                       * WAKE: the deterministic schedule */
  const char *file;
  union {
    const char *what;                 /* R_STOP */
    uint64_t flow;                    /* R_RUN, R_SPAWN, R_WAKE */
  };
} trec;

typedef struct plat_tbuf {
  _Atomic uint64_t head;              /* owner only */
  _Atomic uint64_t tail;              /* under flock */
  _Atomic uint64_t dropped;
  int64_t last_ts;                    /* owner */
  bool gc;                            /* the GC's ring: never flushes itself */
  bool run_closed;                    /* owner: the running task's exit is recorded */
  uint64_t wakes;                     /* owner: flow numbers of its wakes */
  uint8_t yield_why;                  /* owner: why the next yield (PLAT_TR_*) */
  const char *yield_file;
  int yield_line;
  int tid;                            /* set at creation */
  char name[40];
  /* formatting state, under flock */
  bool open;
  int64_t open_ts;
  uint32_t open_task, open_sched;
  const char *open_file;
  int open_line;
  struct plat_tbuf *next;             /* `all`, under flock */
  trec ring[RING];
} plat_tbuf;

static pthread_mutex_t flock = PTHREAD_MUTEX_INITIALIZER;
static int tfd = -1;                  /* flock */
static bool closed;                   /* flock */
static plat_tbuf *all;                /* flock */
static int next_tid = 100;            /* flock */
static char obuf[1 << 16];            /* flock: JSON waiting for write(2) */
static size_t on;
static int64_t t0;                    /* set in plat_trace_init */
static plat_tbuf *gc_buf;             /* filled by the collecting thread */
static __thread plat_tbuf *tls_buf;   /* threads that are not workers (never switch) */

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec - t0;
}

/* ---- JSON output (flock held) ---- */
static void ob_write(void) {
  for (size_t k = 0; k < on && tfd >= 0;) {
    ssize_t w = write(tfd, obuf + k, on - k);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;                /* disk full etc.: the rest is lost */
    k += (size_t)w;
  }
  on = 0;
}

static void ob_c(char c) {
  if (on == sizeof obuf) ob_write();
  obuf[on++] = c;
}

static void ob_s(const char *s) {
  while (*s) ob_c(*s++);
}

static void ob_esc(const char *s) {    /* JSON string contents */
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      ob_c('\\');
      ob_c((char)c);
    } else if (c < 0x20) {
      static const char hex[] = "0123456789abcdef";
      ob_s("\\u00");
      ob_c(hex[c >> 4]);
      ob_c(hex[c & 15]);
    } else {
      ob_c((char)c);
    }
  }
}

static void ob_u(uint64_t v) {
  char t[24];
  int k = sizeof t;
  do t[--k] = (char)('0' + v % 10);
  while ((v /= 10) && k > 0);
  while (k < (int)sizeof t) ob_c(t[k++]);
}

static void ob_us(int64_t ns) {        /* microseconds with 3 decimals */
  if (ns < 0) ns = 0;
  ob_u((uint64_t)ns / 1000);
  ob_c('.');
  int f = (int)(ns % 1000);
  ob_c((char)('0' + f / 100));
  ob_c((char)('0' + f / 10 % 10));
  ob_c((char)('0' + f % 10));
}

static void ob_loc(const char *file, int line) {
  ob_esc(file);
  if (line > 0) {
    ob_c(':');
    ob_u((uint64_t)line);
  }
}

static void ob_head(const char *ph, int tid, int64_t ts) {
  ob_s("{\"ph\":\"");
  ob_s(ph);
  ob_s("\",\"pid\":1,\"tid\":");
  ob_u((uint64_t)tid);
  ob_s(",\"ts\":");
  ob_us(ts);
}

static void ob_task(uint32_t task, uint32_t sched) {   /* "task":N[,"schedule":S] */
  ob_s("\"task\":");
  ob_u(task);
  if (sched) {
    ob_s(",\"schedule\":");
    ob_u(sched);
  }
}

static void ob_flow(const char *ph, int tid, int64_t ts, bool spawn, uint64_t id, uint32_t task,
                    uint32_t sched) {
  ob_head(ph, tid, ts);
  ob_s(spawn ? ",\"cat\":\"spawn\",\"name\":\"spawn\"" : ",\"cat\":\"wake\",\"name\":\"wake\"");
  ob_s(",\"args\":{");
  ob_task(task, sched);
  ob_s("},\"id\":");
  ob_u(spawn ? (uint64_t)sched << 32 | id : id);
  if (ph[0] == 'f') ob_s(",\"bp\":\"e\"");
  ob_s("},\n");
}

/* ---- formatting a ring (flock held) ---- */
static void fmt_end_run(plat_tbuf *b, const trec *r, int why) {
  ob_head("X", b->tid, b->open_ts);
  ob_s(",\"dur\":");
  ob_us(r->ts - b->open_ts);
  ob_s(",\"cat\":\"task\",\"name\":\"");
  if (b->open_file) ob_loc(b->open_file, b->open_line);
  else ob_s("main");
  ob_s("\",\"args\":{");
  ob_task(b->open_task, b->open_sched);
  ob_s(",\"end\":\"");
  ob_s(end_names[why]);
  ob_c('"');
  if (why == E_BLOCKED && r->what) {
    ob_s(",\"wait\":\"");
    ob_esc(r->what);
    ob_c('"');
    if (r->aux) {
      ob_s(",\"awaits\":");
      ob_u(r->aux);
    }
  }
  if (why == E_MIGRATED) {
    ob_s(",\"to_worker\":");
    ob_u(r->aux);
  }
  if (r->file && (why == E_BLOCKED || why == E_YIELD || why == E_PREEMPT)) {
    ob_s(",\"at\":\"");
    ob_loc(r->file, r->line);
    ob_c('"');
  }
  ob_s("}},\n");
  b->open = false;
}

static void fmt_rec(plat_tbuf *b, const trec *r) {
  switch (r->kind) {
  case R_RUN:
    b->open = true;
    b->open_ts = r->ts;
    b->open_task = r->task;
    b->open_sched = r->aux;
    b->open_file = r->file;
    b->open_line = r->line;
    if (r->why != FL_NONE) ob_flow("f", b->tid, r->ts + 1, r->why == FL_SPAWN, r->flow, r->task, r->aux);
    break;
  case R_STOP:
    if (b->open) fmt_end_run(b, r, r->why);
    break;
  case R_SPAWN:
  case R_WAKE:
    if (!b->open) {                   /* a short slice to start the arrow from */
      ob_head("X", b->tid, r->ts);
      ob_s(",\"dur\":0.002,\"cat\":\"runtime\",\"name\":\"wake\",\"args\":{");
      ob_task(r->task, r->aux);
      ob_s("}},\n");
    }
    ob_flow("s", b->tid, r->ts + 1, r->kind == R_SPAWN, r->flow, r->task, r->aux);
    break;
  case R_GC_BEGIN:
    b->open = true;
    b->open_ts = r->ts;
    break;
  case R_GC_END:
    if (!b->open) break;
    ob_head("X", b->tid, b->open_ts);
    ob_s(",\"dur\":");
    ob_us(r->ts - b->open_ts);
    ob_s(",\"cat\":\"gc\",\"name\":\"GC pause\"},\n");
    b->open = false;
    break;
  }
}

static void drain_locked(plat_tbuf *b) {
  uint64_t t = atomic_load_explicit(&b->tail, memory_order_relaxed);
  uint64_t h = atomic_load_explicit(&b->head, memory_order_acquire);
  if (!closed)
    for (; t < h; t++) fmt_rec(b, &b->ring[t & (RING - 1)]);
  atomic_store_explicit(&b->tail, h, memory_order_release);
}

static void flush(plat_tbuf *b) {
  pthread_mutex_lock(&flock);
  drain_locked(b);
  if (gc_buf && b != gc_buf) drain_locked(gc_buf);
  if (!closed) ob_write();
  pthread_mutex_unlock(&flock);
}

/* ---- recording (owner thread, no lock) ---- */
static trec *put(plat_tbuf *b, int kind) {
  uint64_t h = atomic_load_explicit(&b->head, memory_order_relaxed);
  if (h - atomic_load_explicit(&b->tail, memory_order_acquire) >= RING) {
    if (!b->gc) flush(b);
    if (h - atomic_load_explicit(&b->tail, memory_order_acquire) >= RING) {
      atomic_fetch_add_explicit(&b->dropped, 1, memory_order_relaxed);
      return NULL;
    }
  }
  trec *r = &b->ring[h & (RING - 1)];
  int64_t ts = now_ns();
  if (ts < b->last_ts + 2) ts = b->last_ts + 2;
  b->last_ts = ts;
  memset(r, 0, sizeof *r);
  r->kind = (uint8_t)kind;
  r->ts = ts;
  return r;
}

static void commit(plat_tbuf *b) {
  uint64_t h = atomic_load_explicit(&b->head, memory_order_relaxed) + 1;
  atomic_store_explicit(&b->head, h, memory_order_release);
  if (!b->gc && h - atomic_load_explicit(&b->tail, memory_order_relaxed) >= FLUSH_AT) flush(b);
}

static plat_tbuf *new_buf(int tid, const char *name) {
  plat_tbuf *b = calloc(1, sizeof *b);
  if (!b) return NULL;
  b->tid = tid;
  snprintf(b->name, sizeof b->name, "%s", name);
  pthread_mutex_lock(&flock);
  if (tid < 0) b->tid = next_tid++;
  b->next = all;
  all = b;
  if (!closed) {
    ob_head("M", b->tid, 0);
    ob_s(",\"name\":\"thread_name\",\"args\":{\"name\":\"");
    ob_esc(b->name);
    ob_s("\"}},\n");
    ob_head("M", b->tid, 0);
    ob_s(",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":");
    ob_u((uint64_t)b->tid);
    ob_s("}},\n");
  }
  pthread_mutex_unlock(&flock);
  return b;
}

/* The deterministic schedule t belongs to (0: none; the main task runs
 * the test's schedules one after the other and belongs to none). */
static uint32_t sched_of(plat_task *t) { return PLAT_DET() && t != plat_root ? plat_det_schedule : 0; }

/* This thread's ring: a worker's, or (other threads) a lazily made one. */
static plat_tbuf *my_buf(void) {
  plat_worker *w = plat_cur_worker();
  if (w) return w->tbuf;
  if (!tls_buf) tls_buf = new_buf(-1, "runtime thread (timers, I/O)");
  return tls_buf;
}

/* ---- hooks ---- */
void plat_trace_init(void) {
  const char *path = getenv("PLAT_TRACE");
  if (!path || !*path) return;
  tfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (tfd < 0) {
    fprintf(stderr, "fatal: PLAT_TRACE: cannot open %s: %s\n", path, strerror(errno));
    exit(2);
  }
  t0 = 0;
  t0 = now_ns();
  const char *prog = plat_argv() && plat_argv()[0] ? plat_argv()[0] : "program";
  const char *slash = strrchr(prog, '/');
  pthread_mutex_lock(&flock);
  ob_s("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
  ob_head("M", 0, 0);
  ob_s(",\"name\":\"process_name\",\"args\":{\"name\":\"plat: ");
  ob_esc(slash ? slash + 1 : prog);
  ob_s("\"}},\n");
  pthread_mutex_unlock(&flock);
  gc_buf = new_buf(99, "GC");
  if (gc_buf) gc_buf->gc = true;
  plat_hooks |= PLAT_HOOK_TRACE;
}

void plat_trace_worker(plat_worker *w) {
  char name[32];
  snprintf(name, sizeof name, "worker %d", w->id);
  w->tbuf = new_buf(w->id + 1, name);
}

/* first: t's first run (its spawn's flow ends here); else the flow of
 * the wake that ended its park, if traced. */
void plat_trace_run(plat_worker *w, plat_task *t, bool first) {
  plat_tbuf *b = w->tbuf;
  trec *r;
  if (!b || !(r = put(b, R_RUN))) return;
  b->run_closed = false;
  r->task = t->id;
  r->aux = sched_of(t);
  r->file = t->file;
  r->line = t->line;
  if (first && t != plat_root) {
    r->why = FL_SPAWN;
    r->flow = t->id;
  } else if (plat_park_claimed(t) && t->wait && t->wait->flow) {
    r->why = FL_WAKE;
    r->flow = t->wait->flow;
  }
  commit(b);
}

void plat_trace_stop(plat_worker *w, plat_task *t) {
  plat_tbuf *b = w->tbuf;
  if (!b || b->run_closed) return;
  trec *r = put(b, R_STOP);
  if (!r) return;
  r->task = t->id;
  switch (w->post) {
  case POST_PARK: {
    const plat_wait *wt = t->wait;
    r->why = E_BLOCKED;
    if (wt) {
      r->what = wt->what;
      r->file = wt->file;
      r->line = wt->line;
      r->aux = wt->awaited ? wt->awaited->id : 0;
    }
    break;
  }
  case POST_MIGRATE:
    r->why = E_MIGRATED;
    r->aux = (uint32_t)((plat_worker *)w->post_arg)->id;
    break;
  default: {                          /* POST_YIELD */
    r->why = b->yield_why == PLAT_TR_PREEMPT ? E_PREEMPT : E_YIELD;
    const plat_site *s = plat_site_get();
    r->file = b->yield_why == PLAT_TR_PREEMPT ? b->yield_file : s ? s->file : NULL;
    r->line = b->yield_why == PLAT_TR_PREEMPT ? b->yield_line : s ? s->line : 0;
    b->yield_why = PLAT_TR_YIELD;
    break;
  }
  }
  commit(b);
}

void plat_trace_exit(plat_task *t, int state) {
  plat_worker *w = plat_cur_worker();
  plat_tbuf *b = w ? w->tbuf : NULL;
  trec *r;
  if (!b || !(r = put(b, R_STOP))) return;
  r->task = t->id;
  r->why = state == PLAT_T_DONE ? E_DONE : state == PLAT_T_PANICKED ? E_PANICKED : E_CANCELLED;
  b->run_closed = true;               /* the switch away records nothing more */
  commit(b);
}

void plat_trace_yield_why(plat_worker *w, int why, const char *file, int line) {
  plat_tbuf *b = w->tbuf;
  if (!b) return;
  b->yield_why = (uint8_t)why;
  b->yield_file = file;
  b->yield_line = line;
}

void plat_trace_spawn(plat_task *child) {
  plat_tbuf *b = my_buf();
  trec *r;
  if (!b || !(r = put(b, R_SPAWN))) return;
  r->task = child->id;
  r->aux = sched_of(child);
  r->flow = child->id;
  commit(b);
}

/* By the waker that won t's park, before t can run: the flow number goes
 * into t's wait record, where plat_trace_run finds it. */
void plat_trace_wake(plat_task *t) {
  plat_tbuf *b = my_buf();
  trec *r;
  if (!b || !t->wait || !(r = put(b, R_WAKE))) return;
  uint64_t id = (uint64_t)b->tid << 40 | (++b->wakes & (((uint64_t)1 << 40) - 1));
  ((plat_wait *)t->wait)->flow = id;
  r->task = t->id;
  r->aux = sched_of(t);
  r->flow = id;
  commit(b);
}

/* The collector's event callback (gc.c), on the collecting thread. */
void plat_trace_gc(int e) {
  if (!gc_buf || (e != GC_EVENT_PRE_STOP_WORLD && e != GC_EVENT_POST_START_WORLD)) return;
  trec *r = put(gc_buf, e == GC_EVENT_PRE_STOP_WORLD ? R_GC_BEGIN : R_GC_END);
  if (r) commit(gc_buf);
}

void plat_trace_finish(void) {
  pthread_mutex_lock(&flock);
  if (closed || tfd < 0) {
    pthread_mutex_unlock(&flock);
    return;
  }
  uint64_t dropped = 0;
  trec end = {.ts = now_ns() + 4};
  for (plat_tbuf *b = all; b; b = b->next) {
    drain_locked(b);
    if (b->open && !b->gc) fmt_end_run(b, &end, E_TRACE_END);
    dropped += atomic_load(&b->dropped);
  }
  ob_head("M", 0, 0);
  ob_s(",\"name\":\"process_sort_index\",\"args\":{\"sort_index\":0}}\n],\"otherData\":{\"dropped_events\":\"");
  ob_u(dropped);
  ob_s("\"}}\n");
  ob_write();
  close(tfd);
  tfd = -1;
  closed = true;
  pthread_mutex_unlock(&flock);
  if (dropped)
    fprintf(stderr, "plat: trace: %llu events dropped (a ring was full while it could not be written)\n",
            (unsigned long long)dropped);
}
