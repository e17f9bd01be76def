/* gc.c -- glue between the Plat runtime and Boehm GC (threads mode).
 *
 * Allocation: plat_alloc (may hold pointers) and plat_alloc_atomic (no
 * pointers), both zeroed.  GC_MALLOC zeroes already; GC_MALLOC_ATOMIC
 * does not, so plat_alloc_atomic clears the block itself.
 *
 * Torture mode (PLAT_GC_TORTURE=1): a full GC_gcollect every
 * PLAT_GC_TORTURE_EVERY allocations (default 1000) and, through
 * plat_gc_torture_point(), at task switches (rate-limited the same way),
 * so a pointer kept only where the collector cannot see it is freed and
 * reused quickly.  The counter is a relaxed atomic shared by all workers:
 * exactness does not matter, only frequency.
 *
 * Owned globals: plat_gc_torture_on (read-only after plat_gc_init).
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

bool plat_gc_torture_on;                /* set once in plat_gc_init */
static long torture_every = 1000;
static atomic_long torture_count;
static atomic_bool gc_ready;

void plat_gc_init(void) {
  if (atomic_load(&gc_ready)) return;
  GC_INIT();
  GC_allow_register_threads();
  const char *t = getenv("PLAT_GC_TORTURE");
  plat_gc_torture_on = t && *t && strcmp(t, "0") != 0;
  const char *e = getenv("PLAT_GC_TORTURE_EVERY");
  if (e && atol(e) > 0) torture_every = atol(e);
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
