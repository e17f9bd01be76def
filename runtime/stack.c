/* stack.c -- task stacks carved from large reserved regions.
 *
 * A region is one anonymous mapping of 1 GiB, PROT_READ|PROT_WRITE with
 * MAP_NORESERVE: the kernel commits pages only when touched, and the whole
 * region is a single VMA, so a million stacks cost ~1000 mappings (the
 * limit is vm.max_map_count = 65530).  There is no guard page: overflow is
 * caught by the prologue check of generated code (PLAT_STACK_CHECK) against
 * the task's limit = lo + PLAT_STACK_HEADROOM.
 *
 * A region is cut into equal slots of plat_stack_size bytes (default
 * 1 MiB, PLAT_STACK_KB overrides, at least PLAT_STACK_MIN_KB: the bottom
 * PLAT_STACK_HEADROOM of a slot is below the task's limit).  The root task
 * gets a region of its own with one 64 MiB slot.  Freed stacks go to the worker's pool (LIFO, at
 * most POOL_LOCAL), the overflow to a global pool; a stack entering a large
 * global pool has its pages returned to the kernel (MADV_DONTNEED) except
 * the hot top.
 *
 * The region table is append-only (regions are never unmapped), so
 * plat_stack_top_of(addr) can run in a signal handler without locks: it
 * reads nregions (acquire) and scans.  owner[] says which task uses a slot;
 * the GC (world stopped) and the deadlock report walk it.
 *
 * Locks: pool_lock guards the global pool and region carving (innermost).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rt_internal.h"

#define REGION_BYTES ((size_t)1 << 30)
#define MAX_REGIONS 16384
#define POOL_LOCAL 64
#define POOL_GLOBAL_TRIM 256
#define KEEP_HOT (16 * 1024)

typedef struct region {
  char *base;
  size_t slot;                        /* slot size */
  uint32_t n, used;                   /* slots, slots carved so far */
  plat_stack *stk;                    /* descriptors, n of them */
  plat_task *_Atomic *owner;
} region;

size_t plat_stack_size = (size_t)1 << 20;
static region regions[MAX_REGIONS];
static atomic_uint nregions;
static plat_spin pool_lock;
static plat_stack *gpool;
static long gpool_n;
static int cur_region = -1;           /* region being carved; pool_lock */

static void fatal(const char *what) {
  fflush(stdout);
  fprintf(stderr, "fatal: cannot reserve task stacks (%s)\n", what);
  _exit(101);
}

/* pool_lock held */
static int region_new(size_t slot, uint32_t n) {
  unsigned i = atomic_load_explicit(&nregions, memory_order_relaxed);
  if (i >= MAX_REGIONS) fatal("too many regions");
  size_t bytes = slot * n;
  char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) fatal("mmap");
  region *r = &regions[i];
  r->base = p;
  r->slot = slot;
  r->n = n;
  r->used = 0;
  r->stk = calloc(n, sizeof *r->stk);
  r->owner = calloc(n, sizeof *r->owner);
  if (!r->stk || !r->owner) fatal("descriptors");
  for (uint32_t k = 0; k < n; k++) {
    r->stk[k].lo = p + (size_t)k * slot;
    r->stk[k].hi = p + (size_t)(k + 1) * slot;
    r->stk[k].region = i;
    r->stk[k].slot = k;
  }
  atomic_store_explicit(&nregions, i + 1, memory_order_release);
  return (int)i;
}

/* PLAT_STACK_KB (config.c validates it): the slot size, rounded up to a
 * power of two so that slots divide a region.  The minimum leaves as much
 * usable stack as the headroom below the limit. */
void plat_stack_config(void) {
  int64_t kb = plat_env_int("PLAT_STACK_KB", 1024, PLAT_STACK_MIN_KB, REGION_BYTES >> 10);
  size_t sz = (size_t)PLAT_STACK_MIN_KB << 10;
  while (sz < (size_t)kb << 10) sz <<= 1;
  plat_stack_size = sz;
}

plat_stack *plat_stack_get(plat_worker *w) {
  plat_stack *s;
  if (w && (s = w->stack_pool)) {
    w->stack_pool = s->next;
    w->stack_pool_n--;
    return s;
  }
  plat_spin_lock(&pool_lock);
  if ((s = gpool)) {
    gpool = s->next;
    gpool_n--;
  } else {
    if (cur_region < 0 || regions[cur_region].used == regions[cur_region].n)
      cur_region = region_new(plat_stack_size, (uint32_t)(REGION_BYTES / plat_stack_size));
    region *r = &regions[cur_region];
    s = &r->stk[r->used++];
  }
  plat_spin_unlock(&pool_lock);
  return s;
}

void plat_stack_put(plat_worker *w, plat_stack *s) {
  plat_stack_set_owner(s, NULL);
  if (w && w->stack_pool_n < POOL_LOCAL) {
    s->next = w->stack_pool;
    w->stack_pool = s;
    w->stack_pool_n++;
    return;
  }
  plat_spin_lock(&pool_lock);
  bool trim = gpool_n >= POOL_GLOBAL_TRIM;
  plat_spin_unlock(&pool_lock);
  if (trim) madvise(s->lo, (size_t)(s->hi - s->lo) - KEEP_HOT, MADV_DONTNEED);
  plat_spin_lock(&pool_lock);
  s->next = gpool;
  gpool = s;
  gpool_n++;
  plat_spin_unlock(&pool_lock);
}

plat_stack *plat_stack_root(size_t size) {
  plat_spin_lock(&pool_lock);
  int i = region_new(size, 1);
  regions[i].used = 1;
  plat_spin_unlock(&pool_lock);
  return &regions[i].stk[0];
}

void plat_stack_set_owner(plat_stack *s, plat_task *t) {
  atomic_store_explicit(&regions[s->region].owner[s->slot], t, memory_order_release);
}

/* async-signal-safe */
char *plat_stack_top_of(const void *addr) {
  unsigned n = atomic_load_explicit(&nregions, memory_order_acquire);
  const char *a = addr;
  for (unsigned i = 0; i < n; i++) {
    region *r = &regions[i];
    if (a >= r->base && a < r->base + r->slot * r->n)
      return r->base + ((size_t)(a - r->base) / r->slot + 1) * r->slot;
  }
  return NULL;
}

void plat_stack_each(void (*fn)(plat_stack *, plat_task *, void *), void *arg) {
  unsigned n = atomic_load_explicit(&nregions, memory_order_acquire);
  for (unsigned i = 0; i < n; i++) {
    region *r = &regions[i];
    for (uint32_t k = 0; k < r->n; k++) {
      plat_task *t = atomic_load_explicit(&r->owner[k], memory_order_acquire);
      if (t) fn(&r->stk[k], t, arg);
    }
  }
}

/* ---- the frame-size check (morestack_x86_64.S) --------------------------
 * Called before a function allocates its frame when "entry sp - frame"
 * is below the running task's limit.  If the frame still ends at least
 * PLAT_STACK_MIN_ROOM above the stack's low end, the function may go on:
 * its own prologue check (PLAT_STACK_CHECK) then reports the overflow at
 * its .plat line, with room left for the unwinding.  A frame that would
 * reach lower (one larger than the headroom, or the whole stack) panics
 * here, before a byte of it is written: it never touches the slot below,
 * which is another task's stack. */
void plat_morestack(uintptr_t sp0, uintptr_t frame) {
  plat_task *t = plat_self();
  if (!t) return;                     /* the word is 0 outside tasks */
  uintptr_t lo = (uintptr_t)t->stack->lo;
  if (sp0 >= lo + PLAT_STACK_MIN_ROOM && sp0 - lo - PLAT_STACK_MIN_ROOM >= frame) return;
  char msg[96];
  snprintf(msg, sizeof msg, "stack overflow (a call needs a frame of %zu bytes)", (size_t)frame);
  plat_stack_overflow(t, msg, NULL, 0);
}

/* Programs linked with -fsplit-stack get --wrap=pthread_create from the
 * gcc driver (for libgcc's growing stacks, which we do not use): this
 * plain pass-through keeps libgcc's version, and its __morestack, out. */
extern int __real_pthread_create(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *)
    __attribute__((weak));
int __wrap_pthread_create(pthread_t *th, const pthread_attr_t *a, void *(*fn)(void *), void *arg) {
  return __real_pthread_create(th, a, fn, arg);
}
