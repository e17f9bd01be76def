/* test_stack_grow.c -- growing task stacks (docs/RUNTIME.md "Growing
 * stacks"): a frame that does not fit moves the call onto a new segment
 * linked to the old one, with its stack arguments copied and its results
 * (rax:rdx, xmm0) carried back; the return goes back to the old segment
 * and keeps the new one as the task's spare, which the next split reuses
 * (the "hot split"); the GC sees pointers held only on older segments;
 * a task's segments are released when it finishes, also by a panic deep
 * in them.  Compiled with -fsplit-stack, as generated code is (Makefile).
 * Each scenario runs in a child with one worker and again with
 * PLAT_GC_TORTURE=1.  Where stacks do not grow (other architectures, the
 * sanitizer variants) the test says so and checks nothing else. */
#include <sys/wait.h>

#define GC_THREADS 1
#include <gc.h>

#include "rt_internal.h"
#include "rt_test.h"

#define BIG (100 * 1024)                /* > the 64 KiB usable in a first segment */

static void (*volatile toucher)(volatile char *, size_t);
static void touch(volatile char *p, size_t n) { p[0] = p[n - 1] = 1; }

typedef struct { int64_t a, b; } pair;

/* Eight integer and nine double arguments: some are passed on the stack
 * and must be copied to the new segment; the result comes back in rax:rdx. */
__attribute__((noinline)) static pair many(int64_t i1, int64_t i2, int64_t i3, int64_t i4,
                                           int64_t i5, int64_t i6, int64_t i7, int64_t i8,
                                           double d1, double d2, double d3, double d4, double d5,
                                           double d6, double d7, double d8, double d9) {
  volatile char buf[BIG];
  toucher(buf, sizeof buf);
  plat_task *t = plat_self();
  CHECK(t->stack->prev != NULL);                  /* we are on a new segment */
  CHECK((char *)__builtin_frame_address(0) >= t->stack->lo);
  int64_t s = i1 + 2 * i2 + 3 * i3 + 4 * i4 + 5 * i5 + 6 * i6 + 7 * i7 + 8 * i8;
  double d = d1 + 2 * d2 + 3 * d3 + 4 * d4 + 5 * d5 + 6 * d6 + 7 * d7 + 8 * d8 + 9 * d9;
  return (pair){s, (int64_t)d};
}

__attribute__((noinline)) static double dret(double x) {
  volatile char buf[BIG];
  toucher(buf, sizeof buf);
  return x * 2.5;
}

/* Returns the segment it ran on. */
__attribute__((noinline)) static plat_stack *big_call(int i) {
  volatile char buf[BIG];
  toucher(buf, sizeof buf);
  buf[1] = (char)i;
  return plat_self()->stack;
}

__attribute__((noinline)) static int64_t down(int n, int64_t *volatile *keep) {
  volatile char pad[4096];
  toucher(pad, sizeof pad);
  if (n == 0) {
    /* pointers kept only on older segments must survive collections and
     * a churn of same-sized allocations that would reuse their blocks */
    for (int i = 0; i < 3; i++) GC_gcollect();
    for (int i = 0; i < 20000; i++) ((int64_t *)plat_alloc(64))[0] = -1;
    return **keep;
  }
  return down(n - 1, keep) + (pad[0] == 1);
}

static uint64_t grow_fn(void *env) {
  (void)env;
  plat_task *t = plat_self();
  plat_stack *base = t->stack;
  CHECK(base->prev == NULL);
  /* arguments and results across a split */
  pair p = many(1, 2, 3, 4, 5, 6, 7, 8, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5);
  CHECK(p.a == 1 + 4 + 9 + 16 + 25 + 36 + 49 + 64);
  CHECK(p.b == (int64_t)(1.5 + 5 + 10.5 + 18 + 27.5 + 39 + 52.5 + 68 + 85.5));
  CHECK(dret(3.0) == 7.5);
  CHECK(t->stack == base);                        /* back on the first segment */
  /* hot split: the same spare segment every time, no allocation */
  plat_stack *seg = big_call(0);
  CHECK(base->next == seg);
  for (int i = 1; i < 1000; i++) CHECK(big_call(i) == seg);
  /* deep: 2000 frames of 4 KiB (8 MiB) over several doubling segments */
  int64_t *volatile obj = plat_alloc(64);
  obj[0] = 42;
  int64_t *volatile *keep = (int64_t *volatile *)&obj;
  CHECK(down(2000, keep) == 42 + 2000);
  CHECK(obj[0] == 42);
  CHECK(t->stack == base && base->next != NULL && base->next->prev == NULL);
  return 7;
}

/* A panic deep in a grown stack: the task finishes there; its segments go
 * back to the pool and the next task runs normally. */
static void (*volatile panicker)(const char *, const char *, int) = plat_panic;
__attribute__((noinline)) static int64_t panic_down(int n) {
  volatile char pad[4096];
  toucher(pad, sizeof pad);
  if (n > 0) return panic_down(n - 1) + pad[0];
  panicker("deep", "g.plat", 9);      /* not known noreturn: no recursion warning */
  return 0;
}
static uint64_t panic_fn(void *env) { (void)env; return (uint64_t)panic_down(1000); }

static uint64_t root(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, "g.plat", 1);
  plat_task *a = plat_spawn(&sc, grow_fn, NULL, "g.plat", 2);
  CHECK(plat_await(a) == 7);
  plat_scope_exit(&sc);
  for (int i = 0; i < 20; i++) {
    const char *m = plat_catch(panic_fn, NULL);
    CHECK(m && strcmp(m, "deep (at g.plat:9)") == 0);
  }
  plat_scope_enter(&sc, "g.plat", 3);
  a = plat_spawn(&sc, grow_fn, NULL, "g.plat", 4);
  CHECK(plat_await(a) == 7);
  plat_scope_exit(&sc);
  return 7;
}

static const char *torture;
__attribute__((unused)) static int prog(void) {   /* growing builds only */
  setenv("PLAT_WORKERS", "1", 1);
  if (torture) setenv("PLAT_GC_TORTURE", "1", 1);
  return plat_main(0, NULL, root, NULL);
}

int main(void) {
  toucher = touch;
#if PLAT_STACK_GROWS
  static char out[65536];
  for (int t = 0; t < 2; t++) {
    torture = t ? "1" : NULL;
    int st = run_child(prog, out, sizeof out);
    if (st != 7) fprintf(stderr, "status %d (torture %d), output:\n%s\n", st, t, out);
    CHECK(st == 7);
  }
  fprintf(stderr, "test_stack_grow: ok\n");
#else
  fprintf(stderr, "test_stack_grow: stacks do not grow in this build (docs/RUNTIME.md)\n");
#endif
  return 0;
}
