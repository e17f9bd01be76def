/* gc.c -- glue between the Plat runtime and Boehm GC (threads mode).
 *
 * What the collector must see (every live pointer: the running task's
 * stack, every suspended task's stack, task/closure/channel buffers) and
 * how:
 *   - Worker threads are registered (GC_register_my_thread).  Boehm scans a
 *     stopped thread from the stack pointer its suspend handler records up
 *     to the thread's "stack bottom" (stack_end).  A worker runs on many
 *     stacks, so that bottom must match the stack the thread is on *when
 *     it is stopped*, even if it is stopped in the middle of a switch.
 *     Instead of updating it at every switch (which would need the GC lock,
 *     GC_set_stackbottom's documented requirement), we fix it at stop time:
 *       * a wrapper around Boehm's suspend signal handler looks up which
 *         stack the interrupted thread is on (by address: a task stack slot
 *         from stack.c, or the worker's own pthread stack) and calls
 *         GC_set_stackbottom(handle, top) before chaining to Boehm's
 *         handler.  The collector holds the GC lock and waits for the
 *         handler's acknowledgement before it reads stack_end, so this is
 *         the "GC lock held" case in effect.  The signal frame (with every
 *         register of the interrupted code) is on that same stack, below
 *         the recorded sp, so registers are scanned too;
 *       * the thread that collects is not signalled: a collection-event
 *         callback (GC_EVENT_PRE_STOP_WORLD, GC lock held, on the
 *         collecting thread) does the same lookup for itself.
 *   - Every suspended task's stack, from its saved sp to its top, and each
 *     worker's scheduler stack are pushed by a push_other_roots callback
 *     (world stopped).  A grown stack's older segments are pushed from the
 *     sp saved when the newer one was entered, for running tasks as well
 *     (the thread scan covers only the segment the thread is on).  The running tasks' stacks are pushed there too
 *     (from a possibly stale sp, harmless: the memory is committed and
 *     scanning is conservative).
 *   - Queued tasks: task structs are GC memory reachable from their
 *     scope (on the owner's stack) and the root task from a global.
 *
 * Pacing: Boehm allocates scan_size/divisor bytes between collections,
 * scan_size being about twice the live pointerful data.  Its default
 * divisor 3 keeps the heap near 1.7x the live data and collects often
 * while a program builds up live data (1M live tasks: 11 full
 * collections).  Divisor 2 lets the heap reach about 2x live, the pacing
 * of Go's default GOGC=100, and a 4 MiB initial heap (Go's minimum heap
 * target) skips the first handful of tiny collections.  Boehm's own
 * variables GC_FREE_SPACE_DIVISOR and GC_INITIAL_HEAP_SIZE still win.
 *
 * Allocation: plat_alloc (may hold pointers) and plat_alloc_atomic (no
 * pointers), both zeroed.  GC_MALLOC zeroes already; GC_MALLOC_ATOMIC
 * does not, so plat_alloc_atomic clears the block itself.
 *
 * Task records (plat_alloc_task) are a GC kind of their own with a bitmap
 * descriptor: the marker reads only their first PLAT_TASK_TRACED words
 * (rt_internal.h), not the stack addresses, function pointers and
 * counters after them, which cost marking time and, looking like heap
 * addresses, black-listing.  They come in batches from
 * GC_generic_malloc_many (one GC lock per block instead of per record)
 * into a per-worker chain linked through word 0; the chains hang from
 * task_cache[] in the data segment, a root, and word 0 is traced, so the
 * collector keeps (and never re-uses) records waiting in a chain.  Only
 * worker `i` touches task_cache[i], and runtime C code is never preempted.
 *
 * Torture mode (PLAT_GC_TORTURE=1): a full GC_gcollect every
 * PLAT_GC_TORTURE_EVERY allocations (default 1000) and, through
 * plat_gc_torture_point(), at task switches (rate-limited the same way),
 * so a pointer kept only where the collector cannot see it is freed and
 * reused quickly.  The counter is a relaxed atomic shared by all workers:
 * exactness does not matter, only frequency.
 *
 * Owned globals: plat_gc_torture_on (read-only after plat_gc_init),
 * task_kind (set once in plat_gc_init), task_cache[] (slot i: worker i).
 */
#define GC_THREADS 1
#include <gc.h>

#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "plat_value.h"
#include "rt_internal.h"

#include <pthread.h>
#include <signal.h>
#include <gc/gc_mark.h>

bool plat_gc_torture_on;                /* set once in plat_gc_init */
static long torture_every = 1000;
static atomic_long torture_count;
static atomic_bool gc_ready;
static unsigned task_kind;
#define INITIAL_HEAP ((size_t)4 << 20)
#define TASK_CACHES 1024                /* PLAT_WORKERS' maximum */
static void *task_cache[TASK_CACHES];
#define TASK_BYTES ((sizeof(plat_task) + 15) & ~(size_t)15)   /* granules */
#include <gc/gc_inline.h>          /* GC_generic_malloc_many */

/* Code that runs while the world is stopped reads memory other threads
 * wrote before they were stopped; TSan cannot see Boehm's signal
 * handshake (libgc is not instrumented), so it is not instrumented. */
#ifdef PLAT_TSAN
#define WORLD_STOPPED __attribute__((no_sanitize("thread")))
#else
#define WORLD_STOPPED
#endif

static __thread void *tls_handle;     /* GC handle of this worker thread */
static __thread char *tls_os_hi;      /* its pthread stack's cold end */
static struct sigaction boehm_suspend;
static GC_push_other_roots_proc old_push;
static GC_on_collection_event_proc old_event;

/* The cold end of the stack `addr` is on, for the current thread. */
WORLD_STOPPED static char *stack_top_for(const void *addr) {
  char *top = plat_stack_top_of(addr);
  return top ? top : tls_os_hi;
}

WORLD_STOPPED static void fix_my_bottom(void) {
  if (!tls_handle) return;
  struct GC_stack_base sb = {.mem_base = stack_top_for(__builtin_frame_address(0))};
  GC_set_stackbottom(tls_handle, &sb);
}

WORLD_STOPPED static void suspend_wrapper(int sig, siginfo_t *si, void *uc) {
  fix_my_bottom();
  if (boehm_suspend.sa_flags & SA_SIGINFO) boehm_suspend.sa_sigaction(sig, si, uc);
  else boehm_suspend.sa_handler(sig);
}

static void on_event(GC_EventType e) {
  if (e == GC_EVENT_PRE_STOP_WORLD) fix_my_bottom();
  if (PLAT_TRACING()) plat_trace_gc(e);     /* GC pauses in the trace */
  if (PLAT_TRACING()) plat_trace_gc(e);     /* GC pauses in the trace */
  if (old_event) old_event(e);
}

/* A segment of t (growing stacks: several): the newest from t's saved sp,
 * older ones from their sp at the split (stack.c); both when both are set
 * (the task is returning to the older one).  A spare has neither. */
WORLD_STOPPED static void push_stack(plat_stack *s, plat_task *t, void *arg) {
  (void)arg;
  char *from = NULL, *sp = t->sp, *split = s->scan_sp;
  if (s == t->stack && sp >= s->lo && sp < s->hi) from = sp;
  if (split >= s->lo && split < s->hi && (!from || split < from)) from = split;
  if (from) GC_push_all_eager(from, s->hi);   /* NULL: spare, or not started yet */
}

WORLD_STOPPED static void push_roots(void) {
  if (old_push) old_push();
  plat_stack_each(push_stack, NULL);
  for (int i = 0; i < plat_nworkers; i++) {
    plat_worker *w = plat_workers[i];
    char *sp = w->sched_sp;
    if (w->os_lo && sp >= w->os_lo && sp < w->os_hi) GC_push_all_eager(sp, w->os_hi);
  }
}

void plat_gc_register_worker(void) {
  struct GC_stack_base sb;
  GC_get_stack_base(&sb);
  GC_register_my_thread(&sb);
  tls_os_hi = sb.mem_base;
  tls_handle = GC_get_my_stackbottom(&sb);
}

__attribute__((unused)) static void install_hooks(void) {
  struct sigaction sa;
  int sig = GC_get_suspend_signal();
  sigaction(sig, NULL, &boehm_suspend);
  sa = boehm_suspend;
  sa.sa_flags |= SA_SIGINFO;
  sa.sa_sigaction = suspend_wrapper;
  sigaction(sig, &sa, NULL);
  old_push = GC_get_push_other_roots();
  GC_set_push_other_roots(push_roots);
  old_event = GC_get_on_collection_event();
  GC_set_on_collection_event(on_event);
}

/* Bitmap descriptor: the most significant bit stands for word 0. */
static GC_word task_descr(void) {
  _Static_assert(PLAT_TASK_TRACED < 8 * sizeof(GC_word) - GC_DS_TAG_BITS, "bitmap too long");
  _Static_assert(offsetof(plat_task, sp) == PLAT_TASK_TRACED * sizeof(void *),
                 "plat_task: the traced words are the ones before sp");
  GC_word d = 0;
  for (int i = 0; i < PLAT_TASK_TRACED; i++) d |= (GC_word)1 << (8 * sizeof(GC_word) - 1 - i);
  return d | GC_DS_BITMAP;
}

void plat_gc_init(void) {
  if (atomic_load(&gc_ready)) return;
  GC_INIT();
  GC_allow_register_threads();
  if (!getenv("GC_FREE_SPACE_DIVISOR")) GC_set_free_space_divisor(2);
  if (!getenv("GC_INITIAL_HEAP_SIZE") && GC_get_heap_size() < INITIAL_HEAP)
    GC_expand_hp(INITIAL_HEAP - GC_get_heap_size());
#ifdef PLAT_TSAN
  /* TSan variant: no collections at all (see docs/RUNTIME.md).  TSan
   * defers asynchronous signals to its own safe points, per fiber, which
   * breaks Boehm's signal-based stop-the-world with fiber switching
   * ("Signals delivery fails constantly" or hangs).  The TSan run checks
   * the runtime for data races; GC root scanning is checked by the release
   * and ASan runs under PLAT_GC_TORTURE. */
  GC_disable();
#else
  install_hooks();
#endif
  task_kind = GC_new_kind(GC_new_free_list(), task_descr(), 0, 1);
  plat_gc_torture_on = plat_env_flag("PLAT_GC_TORTURE");
#ifdef PLAT_TSAN
  plat_gc_torture_on = false;
#endif
  torture_every = plat_env_int("PLAT_GC_TORTURE_EVERY", torture_every, 1, 1000000000);
  atomic_store(&gc_ready, true);
}

__attribute__((noreturn)) void plat_gc_oom(size_t n) {
  fflush(stdout);
  fprintf(stderr, "fatal: out of memory allocating %zu bytes\n", n);
  _exit(101);
}

static inline void torture_tick(long weight) {
  if (atomic_fetch_add_explicit(&torture_count, weight, memory_order_relaxed) % torture_every
      >= torture_every - weight)
    GC_gcollect();
}

void plat_gc_torture_point(void) {
  if (plat_gc_torture_on) torture_tick(1);
}

void *plat_alloc(size_t n) {
  if (!atomic_load_explicit(&gc_ready, memory_order_relaxed)) plat_gc_init();
  if (plat_gc_torture_on) torture_tick(1);
  void *p = GC_MALLOC(n ? n : 1);
  if (!p) plat_gc_oom(n);
  return p;
}

void *plat_alloc_atomic(size_t n) {
  if (!atomic_load_explicit(&gc_ready, memory_order_relaxed)) plat_gc_init();
  if (plat_gc_torture_on) torture_tick(1);
  void *p = GC_MALLOC_ATOMIC(n ? n : 1);
  if (!p) plat_gc_oom(n);
  memset(p, 0, n);
  return p;
}

void *plat_alloc_task(void) {
  if (!atomic_load_explicit(&gc_ready, memory_order_relaxed)) plat_gc_init();
  if (plat_gc_torture_on) torture_tick(1);
  plat_worker *w = plat_cur_worker();
  void *p;
  if (!w || w->id < 0 || w->id >= TASK_CACHES) {
    if (!(p = GC_generic_malloc(TASK_BYTES, (int)task_kind))) plat_gc_oom(TASK_BYTES);
    return p;
  }
  void **chain = &task_cache[w->id];
  if (!*chain) {
    GC_generic_malloc_many(TASK_BYTES, (int)task_kind, chain);
    if (!*chain) plat_gc_oom(TASK_BYTES);
  }
  p = *chain;
  *chain = *(void **)p;
  *(void **)p = NULL;                   /* the rest is zero (the kind clears) */
  return p;
}
