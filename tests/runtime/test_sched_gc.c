/* test_sched_gc.c -- GC survival: objects reachable only from the stacks
 * (and saved registers) of suspended tasks, from task envs and from task
 * results must survive many collections (PLAT_GC_TORTURE=1, collections at
 * task switches and every few allocations) while other tasks allocate
 * garbage that reuses freed memory. */
#include "rt_test.h"
#include "plat_value.h"

struct node { struct node *next; uint64_t val; uint64_t check; };

static struct node *build(uint64_t seed, int n) {
  struct node *h = NULL;
  for (int i = 0; i < n; i++) {
    struct node *x = plat_alloc(sizeof *x);
    x->val = seed * 1000 + (uint64_t)i;
    x->check = ~x->val;
    x->next = h;
    h = x;
  }
  return h;
}

static void verify(struct node *h, uint64_t seed, int n) {
  for (int i = n - 1; i >= 0; i--, h = h->next) {
    CHECK(h != NULL);
    CHECK(h->val == seed * 1000 + (uint64_t)i && h->check == ~h->val);
  }
  CHECK(h == NULL);
}

static uint64_t holder(void *env) {
  uint64_t seed = *(uint64_t *)env;   /* env: GC memory, only the task holds it */
  struct node *h = build(seed, 50);
  for (int k = 0; k < 30; k++) {
    if (k % 3 == 0) plat_sleep_ms(1);
    else plat_yield();
    verify(h, seed, 50);
  }
  return (uint64_t)(uintptr_t)build(seed + 7, 20);   /* result: only in the task */
}

static uint64_t garbage(void *env) {
  (void)env;
  for (int k = 0; k < 300; k++) {
    uint64_t *p = plat_alloc(sizeof(struct node));
    p[0] = p[1] = p[2] = 0xdeadbeefdeadbeefull;
    if (k % 20 == 0) plat_yield();
  }
  return 0;
}

static uint64_t root(void *env) {
  (void)env;
  for (int round = 0; round < 3; round++) {
    plat_scope sc;
    plat_scope_enter(&sc, __FILE__, __LINE__);
    enum { N = 100 };
    plat_task *ts[N];
    for (int i = 0; i < N; i++) {
      uint64_t *e = plat_alloc(sizeof *e);
      *e = (uint64_t)(round * N + i + 1);
      ts[i] = plat_spawn(&sc, holder, e, __FILE__, __LINE__);
      if (i % 10 == 0) plat_spawn(&sc, garbage, NULL, __FILE__, __LINE__);
    }
    plat_sleep_ms(5);
    for (int i = 0; i < N; i++) {
      struct node *r = (struct node *)(uintptr_t)plat_await(ts[i]);
      for (int k = 0; k < 5; k++) plat_yield();
      verify(r, (uint64_t)(round * N + i + 1) + 7, 20);
    }
    plat_scope_exit(&sc);
  }
  return 0;
}

int main(int argc, char **argv) {
  setenv("PLAT_GC_TORTURE", "1", 1);
  setenv("PLAT_GC_TORTURE_EVERY", "200", 1);
  CHECK(plat_main(argc, argv, root, NULL) == 0);
  return 0;
}
