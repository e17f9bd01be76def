/* test_chan.c -- channel semantics: buffered, rendezvous and unbounded
 * channels, close, try_*, recv_timeout, the panics with their locations,
 * and cancellation of a blocked send or recv (the value is not delivered,
 * the waiter is withdrawn, defers run).  Outcomes only, never timings. */
#include "rt_test.h"
#include "chan_impl.h"

#define SPAWN(sc, fn, env) plat_spawn((sc), (fn), (env), __FILE__, __LINE__)

static void buffered(void)
{
  plat_chan *c = plat_chan_new(3, __FILE__, __LINE__);
  CHECK(plat_chan_capacity(c) == 3 && plat_chan_length(c) == 0 && !plat_chan_is_closed(c));
  for (int i = 1; i <= 3; i++) plat_chan_send(c, (plat_word)i * 10, __FILE__, __LINE__);
  CHECK(!plat_chan_try_send(c, 99, __FILE__, __LINE__));    /* full */
  CHECK(plat_chan_length(c) == 3);
  plat_word v = 0;
  CHECK(plat_chan_recv(c, &v) && v == 10);
  CHECK(plat_chan_try_send(c, 40, __FILE__, __LINE__));
  CHECK(plat_chan_try_recv(c, &v) && v == 20);
  CHECK(plat_chan_recv_timeout(c, 0, &v) == PLAT_RECV_VALUE && v == 30);
  CHECK(plat_chan_recv_timeout(c, 50, &v) == PLAT_RECV_VALUE && v == 40);
  CHECK(!plat_chan_try_recv(c, &v));
  CHECK(plat_chan_recv_timeout(c, 0, &v) == PLAT_RECV_TIMEOUT);
  CHECK(plat_chan_recv_timeout(c, 5, &v) == PLAT_RECV_TIMEOUT);
  CHECK(plat_chan_recv_timeout(c, -1, &v) == PLAT_RECV_TIMEOUT);
  /* wrap around the ring many times */
  for (int i = 0; i < 1000; i++) {
    plat_chan_send(c, (plat_word)i, __FILE__, __LINE__);
    if (i % 2) {
      CHECK(plat_chan_recv(c, &v));
      CHECK(plat_chan_recv(c, &v) && v == (plat_word)i);
    }
  }
  CHECK(plat__chan_buf_slots(c) <= 3);                                       /* never above capacity */
  plat_chan *big = plat_chan_new(1000000000, __FILE__, __LINE__);   /* lazily allocated */
  plat_chan_send(big, 1, __FILE__, __LINE__);
  CHECK(plat__chan_buf_slots(big) < 100 && plat_chan_capacity(big) == 1000000000);
}

/* ---- rendezvous ---- */
static uint64_t send_three(void *env)
{
  for (int i = 1; i <= 3; i++) plat_chan_send(env, (plat_word)i, __FILE__, __LINE__);
  return 7;
}

static void rendezvous(void)
{
  plat_chan *c = plat_chan_new(0, __FILE__, __LINE__);
  CHECK(plat_chan_capacity(c) == 0);
  CHECK(!plat_chan_try_send(c, 1, __FILE__, __LINE__));     /* nobody receives */
  plat_word v;
  CHECK(!plat_chan_try_recv(c, &v));
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_task *t = SPAWN(&sc, send_three, c);
  CHECK(plat_chan_recv(c, &v) && v == 1);
  int spins = 0;
  while (!plat_chan_try_recv(c, &v)) {                       /* sender parks, then it succeeds */
    plat_yield();
    CHECK(++spins < 1000000);
  }
  CHECK(v == 2);
  CHECK(plat_chan_recv(c, &v) && v == 3);
  CHECK(plat_await(t) == 7);
  plat_scope_exit(&sc);
  CHECK(plat_chan_length(c) == 0);
}

/* ---- unbounded ---- */
static void unbounded(void)
{
  plat_chan *c = plat_chan_unbounded();
  CHECK(plat_chan_capacity(c) == -1);
  for (int i = 0; i < 100000; i++) CHECK(plat_chan_try_send(c, (plat_word)i, __FILE__, __LINE__));
  CHECK(plat_chan_length(c) == 100000);
  plat_word v;
  for (int i = 0; i < 100000; i++) CHECK(plat_chan_recv(c, &v) && v == (plat_word)i);
  CHECK(plat_chan_length(c) == 0 && plat__chan_buf_slots(c) <= 2 * PLAT_CHAN_BLOCK);   /* shrank back */
}

/* ---- close ---- */
static uint64_t recv_until_closed(void *env)
{
  plat_word v;
  uint64_t n = 0;
  while (plat_chan_recv(env, &v)) n += v;
  return n;
}

static void closing(void)
{
  plat_chan *c = plat_chan_new(4, __FILE__, __LINE__);
  plat_chan_send(c, 5, __FILE__, __LINE__);
  plat_chan_send(c, 6, __FILE__, __LINE__);
  plat_chan_close(c, __FILE__, __LINE__);
  CHECK(plat_chan_is_closed(c) && plat_chan_length(c) == 2);
  plat_word v;
  CHECK(plat_chan_recv(c, &v) && v == 5);                    /* buffered values drain */
  CHECK(plat_chan_recv_timeout(c, 10, &v) == PLAT_RECV_VALUE && v == 6);
  CHECK(!plat_chan_recv(c, &v));
  CHECK(!plat_chan_try_recv(c, &v));
  CHECK(plat_chan_recv_timeout(c, 10, &v) == PLAT_RECV_CLOSED);
  CHECK(plat_chan_recv_timeout(c, 0, &v) == PLAT_RECV_CLOSED);

  /* parked receivers are all woken by close */
  plat_chan *r = plat_chan_new(0, __FILE__, __LINE__);
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_task *t[8];
  for (int i = 0; i < 8; i++) t[i] = SPAWN(&sc, recv_until_closed, r);
  for (int i = 0; i < 8; i++) plat_yield();
  plat_chan_send(r, 100, __FILE__, __LINE__);
  plat_chan_close(r, __FILE__, __LINE__);
  uint64_t total = 0;
  for (int i = 0; i < 8; i++) total += plat_await(t[i]);
  plat_scope_exit(&sc);
  CHECK(total == 100);
}

/* ---- panics, caught with their message and location ---- */
static uint64_t p_negative(void *e) { (void)e; plat_chan_new(-3, "neg.plat", 4); return 0; }
static uint64_t p_send_closed(void *e)
{
  plat_chan *c = plat_chan_new(1, "x", 1);
  plat_chan_close(c, "x", 2);
  plat_chan_send(c, 1, "send.plat", 7);
  (void)e;
  return 0;
}
static uint64_t p_try_send_closed(void *e)
{
  plat_chan *c = plat_chan_unbounded();
  plat_chan_close(c, "x", 2);
  plat_chan_try_send(c, 1, "try.plat", 8);
  (void)e;
  return 0;
}
static uint64_t p_double_close(void *e)
{
  plat_chan *c = plat_chan_new(0, "x", 1);
  plat_chan_close(c, "x", 2);
  plat_chan_close(c, "close.plat", 9);
  (void)e;
  return 0;
}
static uint64_t p_blocked_send(void *env)                    /* closed while parked */
{
  plat_chan_send(env, 1, "blocked.plat", 11);
  return 0;
}
static uint64_t closer(void *env)
{
  plat_chan *c = env;
  for (int i = 0; i < 20; i++) plat_yield();
  plat_chan_close(c, "x", 3);
  return 0;
}
static uint64_t p_blocked_send_root(void *e)
{
  (void)e;
  plat_chan *c = plat_chan_new(0, "x", 1);
  plat_scope sc;
  plat_scope_enter(&sc, "x", 1);
  SPAWN(&sc, closer, c);
  p_blocked_send(c);
  plat_scope_exit(&sc);
  return 0;
}

static void expect_panic(plat_task_fn fn, const char *want)
{
  const char *got = plat_catch(fn, NULL);
  if (!got || strcmp(got, want) != 0) {
    fprintf(stderr, "panic: got \"%s\", want \"%s\"\n", got ? got : "(none)", want);
    CHECK(0);
  }
}

static void panics(void)
{
  expect_panic(p_negative, "channel capacity must not be negative: -3 (at neg.plat:4)");
  expect_panic(p_send_closed, "send on closed channel (at send.plat:7)");
  expect_panic(p_try_send_closed, "send on closed channel (at try.plat:8)");
  expect_panic(p_double_close, "close of closed channel (at close.plat:9)");
  expect_panic(p_blocked_send_root, "send on closed channel (at blocked.plat:11)");
}

/* ---- cancellation of a blocked send / recv ---- */
static int defers_run, started;   /* a task cancelled before it starts runs nothing */
static void note_defer(void *env) { (void)env; __atomic_add_fetch(&defers_run, 1, __ATOMIC_SEQ_CST); }

static uint64_t blocked_recv(void *env)
{
  plat_defer d;
  __atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
  plat_defer_push(&d, note_defer, NULL);
  plat_word v;
  plat_chan_recv(env, &v);
  CHECK(0);                                                  /* never returns */
  return 1;
}

static uint64_t blocked_send(void *env)
{
  plat_defer d;
  __atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
  plat_defer_push(&d, note_defer, NULL);
  plat_chan_send(env, 666, __FILE__, __LINE__);
  CHECK(0);
  return 1;
}

static void cancellation(void)
{
  for (int iter = 0; iter < 200; iter++) {
    plat_chan *r = plat_chan_new(0, __FILE__, __LINE__);
    plat_chan *s = plat_chan_new(1, __FILE__, __LINE__);
    plat_chan_send(s, 1, __FILE__, __LINE__);                /* full */
    plat_scope sc;
    plat_scope_enter(&sc, __FILE__, __LINE__);
    plat_task *a = SPAWN(&sc, blocked_recv, r);
    plat_task *b = SPAWN(&sc, blocked_send, s);
    for (int i = 0; i < iter % 4; i++) plat_yield();        /* cancel before or after parking */
    plat_cancel(a);
    plat_cancel(b);
    CHECK(plat_await(a) == 0 && plat_await(b) == 0);
    plat_scope_exit(&sc);
    CHECK(!plat_chan_try_send(r, 5, __FILE__, __LINE__));   /* the receiver withdrew */
    CHECK(r->recvq.head == NULL && s->sendq.head == NULL);
    plat_word v;
    CHECK(plat_chan_try_recv(s, &v) && v == 1);
    CHECK(!plat_chan_try_recv(s, &v));                       /* 666 was never delivered */
  }
  CHECK(defers_run == started && started > 0);
}

/* ---- recv_timeout racing with a sender that also gives up ---- */
typedef struct { plat_chan *c; int got, sent; } tmo;

static uint64_t tmo_recv(void *env)
{
  tmo *t = env;
  plat_word v = 0;
  int r = plat_chan_recv_timeout(t->c, 1, &v);
  CHECK(r == PLAT_RECV_VALUE || r == PLAT_RECV_TIMEOUT);
  if (r == PLAT_RECV_VALUE) { CHECK(v == 9); t->got = 1; }
  return 0;
}

static uint64_t tmo_send(void *env)
{
  tmo *t = env;
  plat_select_arm arm = { .ch = t->c, .kind = PLAT_SEL_SEND, .val = 9 };
  t->sent = plat_select(&arm, 1, 1, false, __FILE__, __LINE__) == 0;
  return 0;
}

static uint64_t tmo_cancelled(void *env)
{
  plat_word v;
  plat_chan_recv_timeout(env, 100000, &v);
  CHECK(0);
  return 0;
}

static void timeout_races(void)
{
  int matched = 0;
  for (int it = 0; it < 300; it++) {
    tmo t = { plat_chan_new(0, __FILE__, __LINE__), 0, 0 };
    plat_scope sc;
    plat_scope_enter(&sc, __FILE__, __LINE__);
    SPAWN(&sc, tmo_recv, &t);
    SPAWN(&sc, tmo_send, &t);
    plat_scope_exit(&sc);
    CHECK(t.got == t.sent);                                  /* delivered iff both agree */
    CHECK(!t.c->recvq.head && !t.c->sendq.head);
    matched += t.got;
  }
  CHECK(matched > 0);
  /* a task waiting in recv_timeout is cancellable and withdraws */
  plat_chan *c = plat_chan_new(0, __FILE__, __LINE__);
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_task *t = SPAWN(&sc, tmo_cancelled, c);
  for (int i = 0; i < 5; i++) plat_yield();
  plat_cancel(t);
  CHECK(plat_await(t) == 0);
  plat_scope_exit(&sc);
  CHECK(!plat_chan_try_send(c, 1, __FILE__, __LINE__) && !c->recvq.head);
}

/* ---- deadlock reports name the channel waits ---- */
static uint64_t dl_send(void *env) { plat_chan_send(env, 1, "d.plat", 6); return 0; }
static uint64_t dl_select(void *env)
{
  plat_select_arm arms[1] = { { .ch = env, .kind = PLAT_SEL_RECV } };
  plat_select(arms, 1, -1, false, "d.plat", 7);
  return 0;
}
static uint64_t dl_root(void *env)
{
  (void)env;
  plat_chan *full = plat_chan_new(0, "d.plat", 1), *empty = plat_chan_new(0, "d.plat", 2);
  plat_scope sc;
  plat_scope_enter(&sc, "d.plat", 3);
  plat_spawn(&sc, dl_send, full, "d.plat", 4);
  plat_spawn(&sc, dl_select, empty, "d.plat", 5);
  plat_word v;
  PLAT_AT("d.plat", 8);                 /* as generated code does before a recv */
  plat_chan_recv(empty, &v);
  plat_scope_exit(&sc);
  return 0;
}
static int prog_deadlock(void) { return plat_main(0, NULL, dl_root, NULL); }

static void deadlock_report(void)
{
  static char out[4096];
  int st = run_child(prog_deadlock, out, sizeof out);
  CHECK(st == 101);
  CHECK(strstr(out, "deadlock: all tasks are blocked\n"));
  CHECK(strstr(out, "  task 1 main: blocked in channel recv at d.plat:8\n"));
  CHECK(strstr(out, ": blocked in channel send at d.plat:6\n    spawned at d.plat:4 in task 1 main\n"));
  CHECK(strstr(out, ": blocked in select at d.plat:7\n    spawned at d.plat:5 in task 1 main\n"));
}

static uint64_t root(void *env)
{
  (void)env;
  buffered();
  rendezvous();
  unbounded();
  closing();
  panics();
  cancellation();
  timeout_races();
  return 0;
}

int main(int argc, char **argv)
{
  deadlock_report();                    /* forks: before this process starts threads */
  int st = plat_main(argc, argv, root, NULL);
  if (st == 0) fprintf(stderr, "test_chan: ok\n");
  return st;
}
