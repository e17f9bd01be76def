/* test_dump.c -- the live-task dump: SIGQUIT prints every live task
 * (id, state, the .plat line where it waits and on what, its chain of
 * spawn locations) to stderr and the program goes on; plat_dump_tasks()
 * prints the same from C.  Tasks waiting in a channel, a sleep, an await
 * two levels down, a running task, and the format of each. */
#include <signal.h>
#include <stdatomic.h>

#include "rt_test.h"
#include "plat_chan.h"

extern atomic_int plat_dumps_done;      /* dump.c */

static plat_chan *gate;
/* Tasks about to wait.  C code has no preemption points, and there is one
 * worker: once the root runs again, a task that counted itself waits. */
static atomic_int waiting;

static uint64_t waits_on_gate(void *env) {
  (void)env;
  plat_word v;
  atomic_fetch_add(&waiting, 1);
  PLAT_AT("q.plat", 5);
  plat_chan_recv(gate, &v);
  return v;
}
static uint64_t naps(void *env) {
  (void)env;
  atomic_fetch_add(&waiting, 1);
  PLAT_AT("q.plat", 9);
  plat_sleep_ms(60000);                 /* cancelled at the end */
  return 0;
}
static uint64_t awaits_child(void *env) {
  (void)env;
  plat_scope sc;
  plat_scope_enter(&sc, "q.plat", 12);
  plat_task *t = plat_spawn(&sc, waits_on_gate, NULL, "q.plat", 13);
  atomic_fetch_add(&waiting, 1);
  PLAT_AT("q.plat", 14);
  uint64_t r = plat_await(t);
  plat_scope_exit(&sc);
  return r;
}

static void wait_dumps(int n) {
  while (atomic_load(&plat_dumps_done) < n) plat_sleep_ms(1);
}

static uint64_t root(void *env) {
  (void)env;
  gate = plat_chan_new(0, "q.plat", 1);
  plat_scope sc;
  plat_scope_enter(&sc, "q.plat", 2);
  plat_spawn(&sc, waits_on_gate, NULL, "q.plat", 3);
  plat_task *n = plat_spawn(&sc, naps, NULL, "q.plat", 4);
  plat_spawn(&sc, awaits_child, NULL, "q.plat", 6);
  while (atomic_load(&waiting) < 4) plat_yield();   /* one worker: they run until they wait */
  kill(getpid(), SIGQUIT);
  wait_dumps(1);
  plat_dump_tasks();
  CHECK(atomic_load(&plat_dumps_done) == 2);
  plat_chan_send(gate, 1, "q.plat", 20);       /* the program goes on */
  plat_chan_send(gate, 2, "q.plat", 21);
  plat_cancel(n);
  plat_scope_exit(&sc);
  return 7;
}
static int prog(void) {
  setenv("PLAT_WORKERS", "1", 1);
  return plat_main(0, NULL, root, NULL);
}

int main(void) {
  static char out[65536];
  int st = run_child(prog, out, sizeof out);
  if (st != 7) fprintf(stderr, "%s", out);
  CHECK(st == 7);
  const char *sq = strstr(out, "SIGQUIT: live tasks (the program goes on)\n");
  const char *c = strstr(out, "live tasks:\n");
  CHECK(sq && c && sq < c);
  /* ids: root 1, then spawns in order on the root's worker */
  expect(sq, "  task 1 main: ");          /* running, or sleeping in wait_dumps */
  expect(sq, "  task 2: blocked in channel recv at q.plat:5\n"
             "    spawned at q.plat:3 in task 1 main\n"
             "  task 3: blocked in sleep at q.plat:9\n"
             "    spawned at q.plat:4 in task 1 main\n"
             "  task 4: blocked in await of task 5 at q.plat:14\n"
             "    spawned at q.plat:6 in task 1 main\n"
             "  task 5: blocked in channel recv at q.plat:5\n"
             "    spawned at q.plat:13 in task 4, at q.plat:6 in task 1 main\n");
  expect(c, "  task 1 main: running on worker ");
  expect(c, "  task 5: blocked in channel recv at q.plat:5\n"
            "    spawned at q.plat:13 in task 4, at q.plat:6 in task 1 main\n");
  return 0;
}
