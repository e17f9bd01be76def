/* test_sched_park.c -- the park/wake protocol of plat_rt.h under races:
 * a small rendezvous mailbox built exactly as plat_rt.h tells channel
 * implementers, many senders and receivers, receivers with deadlines and
 * cancellation racing normal wake-ups.  Every value must be delivered
 * exactly once, every park must return exactly one reason, and a task
 * must read its waiter record only on NORMAL. */
#include <stdatomic.h>

#include "rt_test.h"

typedef struct waiter {
  plat_task *task;
  uint64_t value;
  bool linked;
  struct waiter *next, *prev;
} waiter;

typedef struct {
  atomic_int lock;
  waiter *head, *tail;                 /* parked receivers */
} mailbox;

static void lk(mailbox *m) {
  int z = 0;
  while (!atomic_compare_exchange_weak(&m->lock, &z, 1)) {
    z = 0;
    (void)plat_now_ns();              /* an interceptor under TSan: see rt_internal.h */
  }
}
static void ulk(mailbox *m) { atomic_store(&m->lock, 0); }
static bool commit_unlock(plat_task *self, void *arg) {
  (void)self;
  ulk(arg);
  return true;
}
static void unlink_w(mailbox *m, waiter *w) {
  if (w->prev) w->prev->next = w->next; else m->head = w->next;
  if (w->next) w->next->prev = w->prev; else m->tail = w->prev;
  w->linked = false;
}

/* Hand v to a parked receiver; false if none took it. */
static bool mb_offer(mailbox *m, uint64_t v) {
  lk(m);
  waiter *w;
  while ((w = m->head)) {
    unlink_w(m, w);
    w->value = v;
    if (plat_wake(w->task, PLAT_WAKE_NORMAL, w)) {
      ulk(m);
      return true;
    }
    /* lost to a timeout/cancel: keep v, try the next receiver */
  }
  ulk(m);
  return false;
}

static atomic_long n_timeout, n_cancel, n_normal;

/* Returns true with *out on NORMAL, false on timeout. */
static bool mb_recv(mailbox *m, int64_t deadline, uint64_t *out) {
  waiter w = {.task = plat_self(), .linked = true};
  lk(m);
  w.prev = m->tail;
  if (m->tail) m->tail->next = &w; else m->head = &w;
  m->tail = &w;
  int r = plat_park_until(commit_unlock, m, "mailbox recv", deadline);
  if (r == PLAT_WAKE_NORMAL) {
    CHECK(!w.linked);
    CHECK(plat_wake_token() == &w);
    *out = w.value;
    atomic_fetch_add(&n_normal, 1);
    return true;
  }
  lk(m);
  if (w.linked) unlink_w(m, &w);
  ulk(m);
  if (r == PLAT_WAKE_CANCEL) {
    atomic_fetch_add(&n_cancel, 1);
    plat_cancel_unwind();
  }
  CHECK(r == PLAT_WAKE_TIMEOUT);
  atomic_fetch_add(&n_timeout, 1);
  return false;
}

#define NVALUES 20000
static mailbox mb;
static atomic_long delivered_sum, delivered_n, sent_n;
static atomic_int stop;

static uint64_t receiver(void *env) {
  uintptr_t id = (uintptr_t)env;
  for (int i = 0;; i++) {
    if (atomic_load(&stop)) return 0;
    uint64_t v;
    int64_t dl = (i + (int)id) % 3 == 0 ? plat_now_ns() + 20000 : -1;
    if (dl < 0 && atomic_load(&stop)) return 0;
    if (mb_recv(&mb, dl < 0 ? plat_now_ns() + 50000000 : dl, &v)) {
      atomic_fetch_add(&delivered_sum, (long)v);
      atomic_fetch_add(&delivered_n, 1);
    }
  }
}

static uint64_t sender(void *env) {
  uintptr_t base = (uintptr_t)env;
  for (uint64_t i = 0; i < NVALUES / 4; i++) {
    uint64_t v = base * (NVALUES / 4) + i + 1;
    while (!mb_offer(&mb, v)) plat_yield();
    atomic_fetch_add(&sent_n, 1);
  }
  return 0;
}

static uint64_t canceller(void *env) {
  plat_task **rs = env;
  for (int k = 0; k < 200; k++) {
    plat_cancel(rs[k % 8]);
    plat_yield();
  }
  return 0;
}

static uint64_t root2(void *env);
static uint64_t root(void *env) {
  (void)env;
  root2(NULL);
  plat_scope rs_scope;
  plat_scope_enter(&rs_scope, __FILE__, __LINE__);
  plat_task *rs[8];
  for (uintptr_t i = 0; i < 8; i++)
    rs[i] = plat_spawn(&rs_scope, receiver, (void *)i, __FILE__, __LINE__);
  plat_scope ss;
  plat_scope_enter(&ss, __FILE__, __LINE__);
  for (uintptr_t i = 0; i < 4; i++) plat_spawn(&ss, sender, (void *)i, __FILE__, __LINE__);
  plat_scope_exit(&ss);
  CHECK(atomic_load(&sent_n) == NVALUES);
  /* receivers that won a value may not have run yet */
  for (int k = 0; k < 10000 && atomic_load(&delivered_n) < NVALUES; k++) plat_sleep_ms(1);
  CHECK(atomic_load(&delivered_n) == NVALUES);
  long n = NVALUES;
  CHECK(atomic_load(&delivered_sum) == n * (n + 1) / 2);
  /* now cancel receivers while they park with and without deadlines */
  plat_scope cs;
  plat_scope_enter(&cs, __FILE__, __LINE__);
  plat_spawn(&cs, canceller, rs, __FILE__, __LINE__);
  plat_scope_exit(&cs);
  atomic_store(&stop, 1);
  for (int i = 0; i < 8; i++) plat_cancel(rs[i]);
  plat_scope_exit(&rs_scope);
  CHECK(atomic_load(&n_normal) == NVALUES);
  CHECK(atomic_load(&n_cancel) >= 1);
  if (getenv("VERBOSE")) fprintf(stderr, "normal %ld timeout %ld cancel %ld\n", atomic_load(&n_normal), atomic_load(&n_timeout), atomic_load(&n_cancel));
  return 0;
}

/* commit returning false resumes at once with NORMAL */
static bool commit_no(plat_task *self, void *arg) {
  (void)self;
  (void)arg;
  return false;
}
static uint64_t root2(void *env) {
  (void)env;
  for (int i = 0; i < 1000; i++) CHECK(plat_park(commit_no, NULL, "nothing") == PLAT_WAKE_NORMAL);
  CHECK(plat_park_until(NULL, NULL, "short", plat_now_ns() + 1000) == PLAT_WAKE_TIMEOUT);
  return 0;
}

int main(int argc, char **argv) {
  CHECK(plat_main(argc, argv, root, NULL) == 0);
  return 0;
}
