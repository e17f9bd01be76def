/* test_stack_frame.c -- a function frame larger than the headroom below a
 * task's stack limit overflows cleanly: the frame size is checked before
 * the frame is allocated (-fsplit-stack + __morestack), so the overflow is
 * a panic and nothing below the task's stack is ever written.  Task
 * stacks are adjacent slots of one mapping: below a task's stack is
 * another task's.  This file is compiled with -fsplit-stack, as generated
 * code is (Makefile).
 *
 * Before, the prologue check ran after the frame was allocated: a
 * 200 KiB frame entered just above the limit put the stack pointer
 * 128 KiB below the stack, and the panic ran there, over the neighbouring
 * task's live frames (or into unmapped memory: SIGSEGV).
 *
 * Where stacks grow (docs/RUNTIME.md), the big frame moves to a new
 * segment instead, and the overflow comes once the task's segments reach
 * PLAT_STACK_KB (set to 1 MiB here): the same two reports.
 *
 * Each scenario runs in a child with one worker (deterministic stack
 * assignment), and again with PLAT_GC_TORTURE=1. */
#include <sys/wait.h>

#include "rt_internal.h"
#include "rt_test.h"

#define CANARY (256 * 1024)             /* covers where the old panic ran */
static char *neighbour_hi;                /* top of the neighbour's stack */
static plat_task *volatile neighbour;
static volatile int phase;                /* 1: neighbour parked, 2: overflow done */

/* The neighbour keeps a pattern in its frame, near the top of its stack,
 * and checks it once the other task has overflowed. */
static uint64_t neighbour_fn(void *env) {
  (void)env;
  volatile unsigned char pat[CANARY];
  for (int i = 0; i < CANARY; i++) pat[i] = (unsigned char)(i * 7 + 1);
  plat_stack *base = plat_self()->stack;   /* its first segment (stacks may grow) */
  while (base->prev) base = base->prev;
  neighbour_hi = base->hi;
  neighbour = plat_self();
  phase = 1;
  while (phase != 2) plat_yield();
  for (int i = 0; i < CANARY; i++)
    if (pat[i] != (unsigned char)(i * 7 + 1)) return 1;
  return 0;
}

/* Writes both ends of a buffer; called through a volatile pointer so that
 * no compiler can shrink the buffer it is given. */
static void touch_ends(volatile char *p, size_t n, char v) {
  p[0] = v;
  p[n - 1] = v;
}
static void (*volatile toucher)(volatile char *, size_t, char) = touch_ends;

/* A big frame, used before the recursion so that it is really allocated. */
__attribute__((noinline)) static uint64_t big_frame(uint64_t n) {
  PLAT_STACK_CHECK("f.plat", 21);
  volatile char buf[200 * 1024];
  toucher(buf, sizeof buf, (char)n);
  if (n > 1000) return buf[0];
  return big_frame(n + 1) + (uint64_t)buf[sizeof buf - 1];
}

/* A frame the headroom can absorb: reported by its own check, located. */
__attribute__((noinline)) static uint64_t mid_frame(uint64_t n) {
  PLAT_STACK_CHECK("f.plat", 33);
  volatile char buf[12 * 1024];
  toucher(buf, sizeof buf, (char)n);
  if (n > 100000) return buf[0];
  return mid_frame(n + 1) + (uint64_t)buf[sizeof buf - 1];
}

/* Small frames down to `target`, then the big frame: its entry sp is just
 * above the limit, so the frame would end 128 KiB below the stack. */
__attribute__((noinline)) static uint64_t descend(uintptr_t target, uint64_t n) {
  PLAT_STACK_CHECK("f.plat", 40);
  volatile char pad[256];
  pad[0] = (char)n;
  if ((uintptr_t)__builtin_frame_address(0) > target) return descend(target, n + 1) + (uint64_t)pad[0];
  return big_frame(0) + (uint64_t)pad[0];
}

static uint64_t over_big(void *env) {
  (void)env;
  if (phase == 1) CHECK(plat_self()->stack->lo == neighbour_hi);   /* the slot just above */
  return descend((uintptr_t)plat_self()->stack->lo + PLAT_STACK_HEADROOM + 8192, 0);
}
static uint64_t over_mid(void *env) { (void)env; return mid_frame(0); }

static plat_task_fn overflow_fn;
static const char *want;

/* want, where "N" stands for a byte count of at least 200 KiB (the frame
 * size is the C compiler's) */
static bool matches(const char *m) {
  const char *n = strchr(want, 'N');
  if (!m) return false;
  if (!n) return strcmp(m, want) == 0;
  size_t pre = (size_t)(n - want);
  char *end;
  if (strncmp(m, want, pre) != 0 || strtoll(m + pre, &end, 10) < 200 * 1024) return false;
  return strcmp(end, n + 1) == 0;
}

static uint64_t root(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, "f.plat", 1);
  plat_task *n = plat_spawn(&sc, neighbour_fn, NULL, "f.plat", 2);
  while (phase != 1) plat_yield();
  const char *m = plat_catch(overflow_fn, NULL);
  if (!matches(m)) {
    fprintf(stderr, "overflow: got \"%s\", want \"%s\"\n", m ? m : "(none)", want);
    _exit(3);
  }
  phase = 2;
  CHECK(plat_await(n) == 0);                               /* its frame intact */
  plat_scope_exit(&sc);
  /* the overflowed stack is reused: a task runs normally on it */
  const char *again = plat_catch(overflow_fn, NULL);
  CHECK(matches(again));
  return 7;
}

static const char *torture;
static int prog(void) {
  setenv("PLAT_WORKERS", "1", 1);
  setenv("PLAT_STACK_KB", "1024", 1);   /* growing stacks: at most 1 MiB in all */
  if (torture) setenv("PLAT_GC_TORTURE", "1", 1);
  return plat_main(0, NULL, root, NULL);
}

static void scenario(plat_task_fn fn, const char *w) {
  static char out[65536];
  overflow_fn = fn;
  want = w;
  phase = 0;
  for (int t = 0; t < 2; t++) {
    torture = t ? "1" : NULL;
    int st = run_child(prog, out, sizeof out);
    if (st != 7) fprintf(stderr, "status %d (torture %d), output:\n%s\n", st, t, out);
    CHECK(st == 7);
  }
}

int main(void) {
#if defined(__x86_64__)
  scenario(over_big, "stack overflow (a call needs a frame of N bytes) (at ?:0)");
#else
  fprintf(stderr, "test_stack_frame: the frame-size check needs -fsplit-stack (x86-64)\n");
#endif
  scenario(over_mid, "stack overflow (at f.plat:33)");
  fprintf(stderr, "test_stack_frame: ok\n");
  return 0;
}
