/* stack.c -- task stacks carved from large reserved regions.
 *
 * A region is one anonymous mapping of 1 GiB, PROT_READ|PROT_WRITE with
 * MAP_NORESERVE: the kernel commits pages only when touched, and the whole
 * region is a single VMA, so a million stacks cost ~1000 mappings (the
 * limit is vm.max_map_count = 65530).  There is no guard page: overflow is
 * caught by the prologue check of generated code (PLAT_STACK_CHECK) against
 * the task's limit = lo + PLAT_STACK_HEADROOM.
 *
 * A region is cut into equal slots of one size class: class c holds
 * plat_stack_size << c bytes.  Class 0 is a task's first stack: 128 KiB
 * (PLAT_STACK_MIN_KB) where stacks grow (PLAT_STACK_GROWS: x86-64 outside
 * the sanitizer variants), else the fixed size (default 1 MiB,
 * PLAT_STACK_KB).  Larger classes are the segments of grown stacks (see
 * "growth" below); PLAT_STACK_KB then bounds their sum (default 1 GiB).
 * The bottom PLAT_STACK_HEADROOM of every slot is below the task's limit.
 * The root task gets a region of its own with one 64 MiB slot.  Freed
 * class-0 stacks go to the worker's pool (LIFO, at most POOL_LOCAL); when
 * it is full its colder half moves to the global pool at once, and once
 * that pool is large such a batch has its pages returned to the kernel
 * (MADV_DONTNEED), one call per run of adjacent slots.  Any freed segment
 * of a larger class has its pages returned except the hot top.
 *
 * The region table is append-only (regions are never unmapped), so
 * plat_stack_top_of(addr) can run in a signal handler without locks: it
 * reads nregions (acquire) and scans.  owner[] says which task uses a slot;
 * the GC (world stopped) and the deadlock report walk it.
 *
 * Locks: pool_lock guards the global pools and region carving (innermost).
 * Segment links (prev, next = spare, scan_sp, total) belong to the owner
 * task and change only on its own thread; the GC reads them world-stopped.
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
#define NCLASS 14                     /* segment sizes base << 0..13 */

typedef struct region {
  char *base;
  size_t slot;                        /* slot size */
  uint32_t n, used;                   /* slots, slots carved so far */
  int cls;                            /* size class, -1: the root's */
  plat_stack *stk;                    /* descriptors, n of them */
  plat_task *_Atomic *owner;
} region;

/* Per size class: the global pool and the region being carved (pool_lock). */
typedef struct sclass {
  plat_stack *pool;
  long n;
  int cur;
} sclass;

size_t plat_stack_size = (size_t)1 << 20;
size_t plat_stack_max = (size_t)1 << 20;
static region regions[MAX_REGIONS];
static atomic_uint nregions;
static plat_spin pool_lock;
static sclass classes[NCLASS] = {[0 ... NCLASS - 1] = {NULL, 0, -1}};

static void fatal(const char *what) {
  fflush(stdout);
  fprintf(stderr, "fatal: cannot reserve task stacks (%s)\n", what);
  _exit(101);
}

/* pool_lock held */
static int region_new(size_t slot, uint32_t n, int cls) {
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
  r->cls = cls;
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

/* PLAT_STACK_KB (config.c validates it), rounded up to a power of two.
 * Growing stacks: the most a task's segments may add up to (default
 * 1 GiB, as Go); a task starts on a PLAT_STACK_MIN_KB segment.  Fixed
 * stacks: the slot size (default 1 MiB).  The minimum leaves as much
 * usable stack as the headroom below the limit. */
void plat_stack_config(void) {
  int64_t kb = plat_env_int("PLAT_STACK_KB", PLAT_STACK_GROWS ? (int64_t)(REGION_BYTES >> 10) : 1024,
                            PLAT_STACK_MIN_KB, REGION_BYTES >> 10);
  size_t sz = (size_t)PLAT_STACK_MIN_KB << 10;
  while (sz < (size_t)kb << 10) sz <<= 1;
  plat_stack_max = sz;
  plat_stack_size = PLAT_STACK_GROWS ? (size_t)PLAT_STACK_MIN_KB << 10 : sz;
}

static plat_stack *class_get(int c) {
  sclass *k = &classes[c];
  plat_stack *s;
  plat_spin_lock(&pool_lock);
  if ((s = k->pool)) {
    k->pool = s->next;
    k->n--;
  } else {
    size_t slot = plat_stack_size << c;
    if (k->cur < 0 || regions[k->cur].used == regions[k->cur].n)
      k->cur = region_new(slot, (uint32_t)(REGION_BYTES / slot), c);
    region *r = &regions[k->cur];
    s = &r->stk[r->used++];
  }
  plat_spin_unlock(&pool_lock);
  s->next = s->prev = NULL;
  s->scan_sp = NULL;
  s->total = (size_t)(s->hi - s->lo);
  return s;
}

plat_stack *plat_stack_get(plat_worker *w) {
  plat_stack *s;
  if (w && (s = w->stack_pool)) {
    w->stack_pool = s->next;
    w->stack_pool_n--;
    s->next = s->prev = NULL;
    s->scan_sp = NULL;
    return s;
  }
  return class_get(0);
}

/* Returns the pages of a batch of freed stacks to the kernel: sorted by
 * address, one madvise per run of adjacent slots (a mass exit frees
 * neighbours), instead of one per stack. */
static void trim_batch(plat_stack **b, int n) {
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && b[j - 1]->lo > b[j]->lo; j--) {
      plat_stack *x = b[j];
      b[j] = b[j - 1];
      b[j - 1] = x;
    }
  for (int i = 0, j; i < n; i = j + 1) {
    for (j = i; j + 1 < n && b[j + 1]->lo == b[j]->hi;) j++;
    madvise(b[i]->lo, (size_t)(b[j]->hi - b[i]->lo), MADV_DONTNEED);
  }
}

/* The worker's pool is full: its colder half (the bottom of the LIFO)
 * goes to the global pool in one lock, trimmed as a batch once that pool
 * is large. */
static void spill(plat_worker *w) {
  plat_stack *b[POOL_LOCAL / 2], *s = w->stack_pool;
  for (int i = 1; i < POOL_LOCAL / 2; i++) s = s->next;
  int n = 0;
  for (plat_stack *x = s->next; x; x = x->next) b[n++] = x;
  s->next = NULL;
  w->stack_pool_n -= n;
  sclass *k = &classes[0];
  plat_spin_lock(&pool_lock);
  bool trim = k->n >= POOL_GLOBAL_TRIM;
  plat_spin_unlock(&pool_lock);
  if (trim) trim_batch(b, n);
  plat_spin_lock(&pool_lock);
  for (int i = 0; i < n; i++) {
    b[i]->next = k->pool;
    k->pool = b[i];
  }
  k->n += n;
  plat_spin_unlock(&pool_lock);
}

/* Segments above the base class are rare (growth, hot splits are cached
 * per task): all their pages but the hot top go back at once. */
void plat_stack_put(plat_worker *w, plat_stack *s) {
  plat_stack_set_owner(s, NULL);
  int c = regions[s->region].cls;
  if (c < 0) return;                  /* the root's base: never reused */
  if (c == 0 && w) {
    if (w->stack_pool_n >= POOL_LOCAL) spill(w);
    s->next = w->stack_pool;
    w->stack_pool = s;
    w->stack_pool_n++;
    return;
  }
  sclass *k = &classes[c];
  plat_spin_lock(&pool_lock);
  bool trim = c > 0 || k->n >= POOL_GLOBAL_TRIM;
  plat_spin_unlock(&pool_lock);
  if (trim) madvise(s->lo, (size_t)(s->hi - s->lo) - KEEP_HOT, MADV_DONTNEED);
  plat_spin_lock(&pool_lock);
  s->next = k->pool;
  k->pool = s;
  k->n++;
  plat_spin_unlock(&pool_lock);
}

/* A finished task's segments, newest `s` first, and the cached spare. */
void plat_stack_release_all(plat_worker *w, plat_stack *s) {
  if (s && s->next) plat_stack_put(w, s->next);
  while (s) {
    plat_stack *older = s->prev;
    plat_stack_put(w, s);
    s = older;
  }
}

plat_stack *plat_stack_root(size_t size) {
  plat_spin_lock(&pool_lock);
  int i = region_new(size, 1, -1);
  regions[i].used = 1;
  plat_spin_unlock(&pool_lock);
  plat_stack *s = &regions[i].stk[0];
  s->total = size;
  return s;
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

/* ---- growth (morestack_x86_64.S) ---------------------------------------
 * __morestack calls plat_stack_split(frame, args, nargs, sp) when a
 * function's "entry sp - frame" is below the split word.  It returns the
 * sp to call the function on, on a new segment with its nargs bytes of
 * stack arguments copied there, or NULL: the function goes on in place.
 * When the function returns, plat_stack_unsplit goes back to the older
 * segment.  Invariants: t->stack is the newest segment; each older one has
 * scan_sp = its sp at the split (the GC scans [scan_sp, hi)); at most one
 * spare (a segment left by the last return) hangs from t->stack->next,
 * reused by the next split (the "hot split" of a call at the boundary in
 * a loop stays two stores and a copy); a task's segments add up to at
 * most plat_stack_max (the root: at least its own 64 MiB). */
#if PLAT_STACK_GROWS
static size_t chain_cap(const plat_stack *s) {
  while (s->prev) s = s->prev;
  size_t base = (size_t)(s->hi - s->lo);
  return base > plat_stack_max ? base : plat_stack_max;
}

/* The smallest class of at least `bytes`, or -1. */
static int class_for(size_t bytes) {
  for (int c = 0; c < NCLASS; c++)
    if ((plat_stack_size << c) >= bytes) return c;
  return -1;
}

/* Past the maximum.  A frame the current segment can still hold runs in
 * place with the task's limit raised above it, so its own PLAT_STACK_CHECK
 * reports the overflow at its .plat line; a larger one panics here. */
static void *overflow(plat_task *t, uintptr_t sp0, uintptr_t frame) {
  if (t->unwinding) {
    plat_flush_all();
    fprintf(stderr, "fatal: stack overflow while unwinding (%zu bytes of stack)\n", t->stack->total);
    _exit(101);
  }
  uintptr_t lo = (uintptr_t)t->stack->lo;
  if (sp0 >= lo + PLAT_STACK_MIN_ROOM && sp0 - lo - PLAT_STACK_MIN_ROOM >= frame) {
    t->limit = sp0;
    plat_set_limit_for(t);
    return NULL;
  }
  char msg[96];
  snprintf(msg, sizeof msg, "stack overflow (a call needs a frame of %zu bytes)", (size_t)frame);
  plat_stack_overflow(t, msg, NULL, 0);
}

void *plat_stack_split(uintptr_t frame, const void *args, uintptr_t nargs, char *sp) {
  plat_task *t = plat_self();
  if (!t) return NULL;                /* the word is 0 outside tasks */
  plat_stack *cur = t->stack, *s = cur->next;
  size_t need = frame + nargs + PLAT_STACK_HEADROOM + PLAT_SPLIT_SLACK + 64;
  size_t cap = chain_cap(cur);
  if (t->unwinding) cap += cap / 8 + ((size_t)1 << 20);   /* room for the defers */
  if (s && ((size_t)(s->hi - s->lo) < need || cur->total + (size_t)(s->hi - s->lo) > cap)) {
    plat_stack_put(plat_cur_worker(), s);
    s = NULL;
  }
  if (!s) {
    size_t want = 2 * (size_t)(cur->hi - cur->lo);
    int c = class_for(want > need ? want : need);
    if (c < 0) c = NCLASS - 1;
    while (c > 0 && cur->total + (plat_stack_size << c) > cap && (plat_stack_size << (c - 1)) >= need) c--;
    if ((plat_stack_size << c) < need || cur->total + (plat_stack_size << c) > cap) {
      cur->next = NULL;
      return overflow(t, (uintptr_t)args - 8, frame);
    }
    s = class_get(c);
    plat_stack_set_owner(s, t);
  }
  cur->next = NULL;
  cur->scan_sp = sp;                  /* before t->stack moves: the GC sees both */
  s->prev = cur;
  s->next = NULL;
  s->scan_sp = NULL;
  s->total = cur->total + (size_t)(s->hi - s->lo);
  t->stack = s;
  t->limit = (uintptr_t)s->lo + PLAT_STACK_HEADROOM;
  plat_set_limit_for(t);
  char *dst = (char *)(((uintptr_t)s->hi - nargs) & ~(uintptr_t)15);
  memcpy(dst, args, nargs);
  return dst;
}

/* On the newer segment, after the function returned: it becomes the spare
 * (the previous spare goes back to the pool).  The older one keeps its
 * scan_sp until sp is back on it. */
void plat_stack_unsplit(void) {
  plat_task *t = plat_self();
  plat_stack *s = t->stack, *old = s->prev;
  if (s->next) plat_stack_put(plat_cur_worker(), s->next);
  s->next = s->prev = NULL;
  s->scan_sp = NULL;
  old->next = s;
  t->stack = old;
  t->limit = (uintptr_t)old->lo + PLAT_STACK_HEADROOM;
  plat_set_limit_for(t);
}
#else
void *plat_stack_split(uintptr_t frame, const void *args, uintptr_t nargs, char *sp) {
  (void)nargs;
  (void)sp;
  plat_morestack((uintptr_t)args - 8, frame);
  return NULL;
}
void plat_stack_unsplit(void) { abort(); }   /* never split */
#endif

/* Programs linked with -fsplit-stack get --wrap=pthread_create from the
 * gcc driver (for libgcc's growing stacks, which we do not use): this
 * plain pass-through keeps libgcc's version, and its __morestack, out. */
extern int __real_pthread_create(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *)
    __attribute__((weak));
int __wrap_pthread_create(pthread_t *th, const pthread_attr_t *a, void *(*fn)(void *), void *arg) {
  return __real_pthread_create(th, a, fn, arg);
}
