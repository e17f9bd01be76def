/* deque.c -- Chase-Lev work-stealing deque with C11 atomics, after
 * "Correct and Efficient Work-Stealing for Weak Memory Models" (Le, Pop,
 * Cohen, Zappa Nardelli, PPoPP 2013).
 *
 * The owner pushes and pops at `bottom` (LIFO); thieves take at `top`
 * (FIFO) with a CAS on top.  The last element is contended by a CAS from
 * both sides.  The buffer grows (doubling) when full; old buffers may
 * still be read by a thief, so they are kept on a retired list and never
 * freed while the deque lives.  Indices are 64-bit and never wrap.
 * Elements are task pointers (kept alive by their scopes, so the buffer
 * is plain malloc memory the GC does not scan).
 */
#include <stdlib.h>

#include "rt_internal.h"

struct plat_deque_buf {
  long cap;                           /* power of two */
  struct plat_deque_buf *prev;        /* retired chain */
  _Atomic(void *) a[];
};

static plat_deque_buf *buf_new(long cap) {
  plat_deque_buf *b = malloc(sizeof *b + (size_t)cap * sizeof(void *));
  if (!b) plat_gc_oom((size_t)cap * sizeof(void *));
  b->cap = cap;
  b->prev = NULL;
  return b;
}

void plat_deque_init(plat_deque *d) {
  atomic_init(&d->top, 0);
  atomic_init(&d->bottom, 0);
  atomic_init(&d->buf, buf_new(256));
  d->retired = NULL;
}

static plat_deque_buf *grow(plat_deque *d, plat_deque_buf *old, long t, long b) {
  plat_deque_buf *n = buf_new(old->cap * 2);
  for (long i = t; i < b; i++)
    atomic_store_explicit(&n->a[i & (n->cap - 1)],
                          atomic_load_explicit(&old->a[i & (old->cap - 1)], memory_order_relaxed),
                          memory_order_relaxed);
  old->prev = d->retired;
  d->retired = old;
  atomic_store_explicit(&d->buf, n, memory_order_release);
  return n;
}

void plat_deque_push(plat_deque *d, void *x) {
  long b = atomic_load_explicit(&d->bottom, memory_order_relaxed);
  long t = atomic_load_explicit(&d->top, memory_order_acquire);
  plat_deque_buf *a = atomic_load_explicit(&d->buf, memory_order_relaxed);
  if (b - t > a->cap - 1) a = grow(d, a, t, b);
  /* release on the element as well as the fence: TSan does not model
   * fences, and on x86-64 both are plain stores */
  atomic_store_explicit(&a->a[b & (a->cap - 1)], x, memory_order_release);
  plat_fence_release();
  atomic_store_explicit(&d->bottom, b + 1, memory_order_release);
}

void *plat_deque_pop(plat_deque *d) {
  long b = atomic_load_explicit(&d->bottom, memory_order_relaxed) - 1;
  plat_deque_buf *a = atomic_load_explicit(&d->buf, memory_order_relaxed);
  atomic_store_explicit(&d->bottom, b, memory_order_relaxed);
  plat_fence();
  long t = atomic_load_explicit(&d->top, memory_order_relaxed);
  void *x = NULL;
  if (t <= b) {
    x = atomic_load_explicit(&a->a[b & (a->cap - 1)], memory_order_relaxed);
    if (t == b) {                     /* last one: race the thieves */
      if (!atomic_compare_exchange_strong_explicit(&d->top, &t, t + 1, memory_order_seq_cst,
                                                   memory_order_relaxed))
        x = NULL;
      atomic_store_explicit(&d->bottom, b + 1, memory_order_relaxed);
    }
  } else {
    atomic_store_explicit(&d->bottom, b + 1, memory_order_relaxed);
  }
  return x;
}

void *plat_deque_steal(plat_deque *d) {
  long t = atomic_load_explicit(&d->top, memory_order_acquire);
  plat_fence();
  long b = atomic_load_explicit(&d->bottom, memory_order_acquire);
  if (t >= b) return NULL;
  plat_deque_buf *a = atomic_load_explicit(&d->buf, memory_order_acquire);
  void *x = atomic_load_explicit(&a->a[t & (a->cap - 1)], memory_order_acquire);
  if (!atomic_compare_exchange_strong_explicit(&d->top, &t, t + 1, memory_order_seq_cst,
                                               memory_order_relaxed))
    return NULL;
  return x;
}

bool plat_deque_empty(plat_deque *d) {
  long t = atomic_load_explicit(&d->top, memory_order_acquire);
  long b = atomic_load_explicit(&d->bottom, memory_order_acquire);
  return t >= b;
}

void plat_deque_destroy(plat_deque *d) {
  plat_deque_buf *b = atomic_load(&d->buf), *n;
  free(b);
  for (b = d->retired; b; b = n) {
    n = b->prev;
    free(b);
  }
  d->retired = NULL;
}
