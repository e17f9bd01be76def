/* test_sched_cancel.c -- cancellation during each kind of wait (await,
 * scope exit, sleep, park, CPU loop with loop checks, yield), defers run
 * innermost first, children of a cancelled task are cancelled and joined;
 * preemption: with one worker a CPU-bound loop cannot starve others. */
#include <stdatomic.h>

#include "rt_test.h"

static atomic_int log_n;
static char logbuf[64];
static void note(void *env) { logbuf[atomic_fetch_add(&log_n, 1)] = (char)(uintptr_t)env; }

/* Tasks that pushed their defer and are about to wait: run_and_cancel
 * cancels only once all of them are there (no timing assumption). */
static atomic_int started;
static void push_note(plat_defer *d, void *env) {
  plat_defer_push(d, note, env);
  atomic_fetch_add(&started, 1);
}

static uint64_t sleep_forever(void *env) {
  plat_defer d;
  push_note(&d, env);
  plat_sleep_ms(1000000);
  CHECK(!"not cancelled");
  return 0;
}

static bool commit_yes(plat_task *s, void *a) {
  (void)s;
  (void)a;
  return true;
}
static uint64_t park_forever(void *env) {
  plat_defer d;
  push_note(&d, env);
  int r = plat_park(commit_yes, NULL, "nothing");
  CHECK(r == PLAT_WAKE_CANCEL);
  plat_cancel_unwind();
}

static uint64_t spin_forever(void *env) {
  plat_defer d;
  push_note(&d, env);
  for (volatile uint64_t i = 0; i != UINT64_MAX; i++) PLAT_LOOP_CHECK("l.plat", 1);
  return 0;
}

static uint64_t yield_forever(void *env) {
  plat_defer d;
  push_note(&d, env);
  for (volatile int i = 0; i >= 0; i |= 0) plat_yield();
  return 0;
}

/* waits in await on a sleeping child, inside a scope, with two defers */
static uint64_t await_child(void *env) {
  (void)env;
  plat_defer d1, d2;
  plat_defer_push(&d1, note, (void *)'1');
  plat_scope sc;
  plat_scope_enter(&sc, "c.plat", 1);
  plat_defer_push(&d2, note, (void *)'2');
  plat_task *c = plat_spawn(&sc, sleep_forever, (void *)'c', "c.plat", 2);
  plat_await(c);
  CHECK(!"not cancelled");
  return 0;
}

/* waits in scope exit on a parked child */
static uint64_t join_child(void *env) {
  plat_defer d;
  plat_defer_push(&d, note, env);
  plat_scope sc;
  plat_scope_enter(&sc, "c.plat", 3);
  plat_spawn(&sc, park_forever, (void *)'p', "c.plat", 4);
  plat_scope_exit(&sc);
  CHECK(!"not cancelled");
  return 0;
}

/* Start fn, wait until `waiting` tasks have reached their waits (pushed
 * their defer), give them a little more time to park, cancel. */
static void run_and_cancel(plat_task_fn fn, void *env, const char *want, int waiting) {
  atomic_store(&log_n, 0);
  atomic_store(&started, 0);
  memset(logbuf, 0, sizeof logbuf);
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_task *t = plat_spawn(&sc, fn, env, __FILE__, __LINE__);
  while (atomic_load(&started) < waiting) plat_sleep_ms(1);
  plat_sleep_ms(2);                   /* most often parked by now; any point is fine */
  plat_cancel(t);
  CHECK(plat_await(t) == 0);
  plat_scope_exit(&sc);
  if (strcmp(logbuf, want) != 0) {
    fprintf(stderr, "defers ran as '%s', want '%s'\n", logbuf, want);
    exit(1);
  }
}

static atomic_int flag;
static uint64_t cpu_until_flag(void *env) {
  (void)env;
  while (!atomic_load(&flag)) PLAT_LOOP_CHECK("l.plat", 9);
  return 1;
}
static uint64_t set_flag(void *env) {
  (void)env;
  atomic_store(&flag, 1);
  return 2;
}

static uint64_t root(void *env) {
  (void)env;
  for (int i = 0; i < 20; i++) {
    run_and_cancel(sleep_forever, (void *)'s', "s", 1);
    run_and_cancel(park_forever, (void *)'p', "p", 1);
    run_and_cancel(spin_forever, (void *)'l', "l", 1);
    run_and_cancel(yield_forever, (void *)'y', "y", 1);
    run_and_cancel(await_child, NULL, "2c1", 1);      /* the child */
    run_and_cancel(join_child, (void *)'j', "pj", 1); /* the child */
  }
  /* cancel before the task ever ran */
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_task *t = plat_spawn(&sc, set_flag, NULL, __FILE__, __LINE__);
  plat_cancel(t);
  plat_scope_exit(&sc);
  /* preemption: on one worker the spinner must be asked to yield */
  atomic_store(&flag, 0);
  plat_scope s2;
  plat_scope_enter(&s2, __FILE__, __LINE__);
  plat_task *a = plat_spawn(&s2, cpu_until_flag, NULL, __FILE__, __LINE__);
  plat_yield();                       /* let the spinner start first */
  plat_task *b = plat_spawn(&s2, set_flag, NULL, __FILE__, __LINE__);
  CHECK(plat_await(a) == 1 && plat_await(b) == 2);
  plat_scope_exit(&s2);
  return 0;
}

int main(int argc, char **argv) {
  setenv("PLAT_WORKERS", "1", 1);
  CHECK(plat_main(argc, argv, root, NULL) == 0);
  return 0;
}
