/* test_sched_deque.c -- the Chase-Lev deque under concurrent steals: the
 * owner pushes and pops (growing the buffer), thieves steal; every item
 * must be taken exactly once.  Many rounds, so races get a chance. */
#include <pthread.h>
#include <stdatomic.h>

#include "rt_test.h"
#include "../../runtime/rt_internal.h"

#define ITEMS 20000
#define THIEVES 3

static plat_deque dq;
static atomic_uchar seen[ITEMS + 1];
static atomic_int done;
static atomic_long taken;

static void take(void *x) {
  uintptr_t v = (uintptr_t)x;
  CHECK(v >= 1 && v <= ITEMS);
  CHECK(atomic_fetch_add(&seen[v], 1) == 0);
  atomic_fetch_add(&taken, 1);
}

static void *thief(void *arg) {
  (void)arg;
  while (!atomic_load(&done)) {
    void *x = plat_deque_steal(&dq);
    if (x) take(x);
  }
  void *x;
  while ((x = plat_deque_steal(&dq))) take(x);
  return NULL;
}

int main(void) {
  for (int round = 0; round < 20; round++) {
    plat_deque_init(&dq);
    memset(seen, 0, sizeof seen);
    atomic_store(&done, 0);
    atomic_store(&taken, 0);
    pthread_t th[THIEVES];
    for (int i = 0; i < THIEVES; i++) pthread_create(&th[i], NULL, thief, NULL);
    uintptr_t next = 1;
    unsigned r = 12345u + (unsigned)round;
    while (next <= ITEMS) {
      r = r * 1103515245u + 12345u;
      int burst = 1 + (int)((r >> 16) % (round % 2 ? 600 : 8));
      for (int k = 0; k < burst && next <= ITEMS; k++) plat_deque_push(&dq, (void *)next++);
      int pops = (int)((r >> 8) % 5);
      for (int k = 0; k < pops; k++) {
        void *x = plat_deque_pop(&dq);
        if (x) take(x);
      }
    }
    void *x;
    while ((x = plat_deque_pop(&dq))) take(x);
    atomic_store(&done, 1);
    for (int i = 0; i < THIEVES; i++) pthread_join(th[i], NULL);
    CHECK(atomic_load(&taken) == ITEMS);
    CHECK(plat_deque_empty(&dq));
    plat_deque_destroy(&dq);
  }
  return 0;
}
