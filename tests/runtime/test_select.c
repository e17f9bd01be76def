/* test_select.c -- select: ready arms, default, timeout, closed channels,
 * NULL arms, fairness (bounded statistical check), withdrawal from the
 * losing arms, close and timeout racing with select (many iterations,
 * exactly-once accounting), cancellation of a blocked select, and a
 * many-task stress with recv and send arms.  Outcomes only. */
#include <stdatomic.h>
#include "rt_test.h"
#include "chan_impl.h"

#define SPAWN(sc, fn, env) plat_spawn((sc), (fn), (env), __FILE__, __LINE__)
#define SEL(arms, n, to, def) plat_select((arms), (n), (to), (def), __FILE__, __LINE__)
#define NEW(cap) plat_chan_new((cap), __FILE__, __LINE__)

static plat_select_arm recv_arm(plat_chan *c) { return (plat_select_arm){ .ch = c, .kind = PLAT_SEL_RECV }; }
static plat_select_arm send_arm(plat_chan *c, plat_word v)
{
  return (plat_select_arm){ .ch = c, .kind = PLAT_SEL_SEND, .val = v };
}

static void basics(void)
{
  plat_chan *a = NEW(1), *b = NEW(1);
  plat_select_arm arms[2] = { recv_arm(a), recv_arm(b) };
  CHECK(SEL(arms, 2, -1, true) == PLAT_SELECT_DEFAULT);
  CHECK(SEL(arms, 2, 0, false) == PLAT_SELECT_TIMEOUT);
  CHECK(SEL(arms, 2, 5, false) == PLAT_SELECT_TIMEOUT);
  CHECK(SEL(arms, 2, 5, true) == PLAT_SELECT_DEFAULT);       /* default wins */
  plat_chan_send(b, 42, __FILE__, __LINE__);
  CHECK(SEL(arms, 2, -1, false) == 1 && arms[1].ok && arms[1].val == 42);
  /* send arms: room in a, none in a full b */
  plat_chan_send(b, 1, __FILE__, __LINE__);
  plat_select_arm s[2] = { send_arm(b, 7), send_arm(a, 8) };
  CHECK(SEL(s, 2, -1, true) == 1);
  plat_word v;
  CHECK(plat_chan_recv(a, &v) && v == 8);
  /* a closed channel makes a recv arm ready with ok = false */
  plat_chan_close(a, __FILE__, __LINE__);
  arms[0] = recv_arm(a);
  arms[1] = recv_arm(NEW(0));
  CHECK(SEL(arms, 2, -1, false) == 0 && !arms[0].ok);
  /* NULL arms never fire */
  plat_select_arm nul[2] = { recv_arm(NULL), send_arm(NULL, 1) };
  CHECK(SEL(nul, 2, -1, true) == PLAT_SELECT_DEFAULT);
  CHECK(SEL(nul, 2, 3, false) == PLAT_SELECT_TIMEOUT);
  CHECK(SEL(nul, 0, -1, true) == PLAT_SELECT_DEFAULT);
  /* same channel in two arms */
  plat_chan *d = NEW(2);
  plat_chan_send(d, 9, __FILE__, __LINE__);
  plat_select_arm dup[2] = { recv_arm(d), recv_arm(d) };
  int k = SEL(dup, 2, -1, false);
  CHECK((k == 0 || k == 1) && dup[k].val == 9 && dup[k].ok);
  /* many arms (more than the on-stack arrays) */
  plat_select_arm many[40];
  for (int i = 0; i < 40; i++) many[i] = recv_arm(NEW(1));
  plat_chan_send(many[33].ch, 5, __FILE__, __LINE__);
  CHECK(SEL(many, 40, -1, false) == 33 && many[33].val == 5);
  CHECK(SEL(many, 40, 2, false) == PLAT_SELECT_TIMEOUT);
}

static uint64_t p_send_closed(void *e)
{
  (void)e;
  plat_chan *c = plat_chan_new(1, "x", 1);
  plat_chan_close(c, "x", 2);
  plat_select_arm arms[2] = { recv_arm(plat_chan_new(0, "x", 1)), send_arm(c, 1) };
  plat_select(arms, 2, -1, true, "sel.plat", 12);
  return 0;
}

static uint64_t closer(void *env)
{
  for (int i = 0; i < 10; i++) plat_yield();
  plat_chan_close(env, __FILE__, __LINE__);
  return 0;
}

static uint64_t p_send_closed_while_waiting(void *e)
{
  (void)e;
  plat_chan *c = plat_chan_new(0, "x", 1);
  plat_scope sc;
  plat_scope_enter(&sc, "x", 1);
  SPAWN(&sc, closer, c);
  plat_select_arm arms[2] = { recv_arm(plat_chan_new(0, "x", 1)), send_arm(c, 1) };
  plat_select(arms, 2, -1, false, "wait.plat", 13);
  plat_scope_exit(&sc);
  return 0;
}

static void panics(void)
{
  const char *p = plat_catch(p_send_closed, NULL);
  CHECK(p && strcmp(p, "send on closed channel (at sel.plat:12)") == 0);
  p = plat_catch(p_send_closed_while_waiting, NULL);
  CHECK(p && strcmp(p, "send on closed channel (at wait.plat:13)") == 0);
}

/* ---- fairness: both arms always ready ---- */
static void fairness(void)
{
  enum { N = 6000 };
  plat_chan *c[3] = { NEW(4), NEW(4), NEW(4) };
  int count[3] = { 0 };
  for (int i = 0; i < 3; i++)
    for (int k = 0; k < 4; k++) plat_chan_send(c[i], 1, __FILE__, __LINE__);
  for (int i = 0; i < N; i++) {
    plat_select_arm arms[3] = { recv_arm(c[0]), recv_arm(c[1]), recv_arm(c[2]) };
    int k = SEL(arms, 3, -1, false);
    CHECK(k >= 0 && k < 3);
    count[k]++;
    plat_chan_send(c[k], 1, __FILE__, __LINE__);            /* keep it ready */
  }
  /* expected 2000 each, sd ~ 37: accept 1600..2400 (more than 10 sd) */
  for (int i = 0; i < 3; i++) {
    if (count[i] < 1600 || count[i] > 2400) fprintf(stderr, "arm %d taken %d times of %d\n", i, count[i], N);
    CHECK(count[i] >= 1600 && count[i] <= 2400);
  }
  /* send arms too */
  int sc[2] = { 0 };
  plat_chan *u[2] = { plat_chan_unbounded(), plat_chan_unbounded() };
  for (int i = 0; i < 4000; i++) {
    plat_select_arm arms[2] = { send_arm(u[0], 1), send_arm(u[1], 2) };
    sc[SEL(arms, 2, -1, false)]++;
  }
  CHECK(sc[0] >= 1600 && sc[1] >= 1600);
  CHECK(plat_chan_length(u[0]) == sc[0] && plat_chan_length(u[1]) == sc[1]);
}

/* ---- a blocked select is woken by one arm and withdrawn from the others ---- */
typedef struct { plat_chan *a, *b, *c; int arm; plat_word val; bool ok; } sel3;

static uint64_t select3(void *env)
{
  sel3 *s = env;
  plat_select_arm arms[3] = { recv_arm(s->a), recv_arm(s->b), recv_arm(s->c) };
  s->arm = SEL(arms, 3, -1, false);
  if (s->arm >= 0) { s->val = arms[s->arm].val; s->ok = arms[s->arm].ok; }
  return 0;
}

static void withdrawal(void)
{
  for (int it = 0; it < 200; it++) {
    sel3 s = { NEW(0), NEW(0), NEW(0), -9, 0, false };
    plat_scope sc;
    plat_scope_enter(&sc, __FILE__, __LINE__);
    plat_task *t = SPAWN(&sc, select3, &s);
    plat_chan_send(s.b, 100 + (plat_word)it, __FILE__, __LINE__);  /* blocks until taken */
    plat_await(t);
    plat_scope_exit(&sc);
    CHECK(s.arm == 1 && s.ok && s.val == 100 + (plat_word)it);
    CHECK(!plat_chan_try_send(s.a, 1, __FILE__, __LINE__));  /* no stale receiver */
    CHECK(!plat_chan_try_send(s.c, 1, __FILE__, __LINE__));
    CHECK(!s.a->recvq.head && !s.b->recvq.head && !s.c->recvq.head);
  }
}

/* ---- close and send racing with blocked selects ---- */
typedef struct { plat_chan *closing, *data; atomic_long sel_got, drain_got, closed_seen; } crace;

static uint64_t crace_select(void *env)
{
  crace *r = env;
  plat_select_arm arms[2] = { recv_arm(r->closing), recv_arm(r->data) };
  int k = SEL(arms, 2, -1, false);
  CHECK(k == 0 || k == 1);
  if (k == 0) { CHECK(!arms[0].ok); atomic_fetch_add(&r->closed_seen, 1); }
  else { CHECK(arms[1].ok && arms[1].val == 77); atomic_fetch_add(&r->sel_got, 1); }
  return 0;
}

static uint64_t crace_sender(void *env)
{
  crace *r = env;
  plat_chan_send(r->data, 77, __FILE__, __LINE__);
  return 0;
}

static uint64_t crace_closer(void *env)
{
  crace *r = env;
  plat_yield();
  plat_chan_close(r->closing, __FILE__, __LINE__);
  return 0;
}

static uint64_t drain(void *env)
{
  crace *r = env;
  plat_word v;
  while (plat_chan_recv(r->data, &v)) { CHECK(v == 77); atomic_fetch_add(&r->drain_got, 1); }
  return 0;
}

static void close_races(int iterations)
{
  long closed_total = 0;
  for (int it = 0; it < iterations; it++) {
    crace r = { .closing = NEW(0), .data = NEW(it % 2) };
    plat_scope outer, sc;
    plat_scope_enter(&outer, __FILE__, __LINE__);
    SPAWN(&outer, drain, &r);             /* takes what no select took */
    plat_scope_enter(&sc, __FILE__, __LINE__);
    for (int i = 0; i < 4; i++) SPAWN(&sc, crace_select, &r);
    for (int i = 0; i < 3; i++) SPAWN(&sc, crace_sender, &r);
    SPAWN(&sc, crace_closer, &r);
    plat_scope_exit(&sc);
    plat_chan_close(r.data, __FILE__, __LINE__);
    plat_scope_exit(&outer);
    CHECK(atomic_load(&r.sel_got) + atomic_load(&r.closed_seen) == 4);   /* each select once */
    CHECK(atomic_load(&r.sel_got) + atomic_load(&r.drain_got) == 3);     /* each value once */
    closed_total += atomic_load(&r.closed_seen);
  }
  CHECK(closed_total > 0);
}

/* ---- timeout racing with a matching send (exactly-once agreement) ---- */
typedef struct { plat_chan *c; int recv_arm_taken, send_arm_taken; } trace;

static uint64_t t_receiver(void *env)
{
  trace *t = env;
  plat_select_arm arms[1] = { recv_arm(t->c) };
  int k = SEL(arms, 1, 1, false);
  if (k == 0) { CHECK(arms[0].ok && arms[0].val == 5); t->recv_arm_taken = 1; }
  else CHECK(k == PLAT_SELECT_TIMEOUT);
  return 0;
}

static uint64_t t_sender(void *env)
{
  trace *t = env;
  plat_select_arm arms[1] = { send_arm(t->c, 5) };
  int k = SEL(arms, 1, 1, false);
  if (k == 0) t->send_arm_taken = 1;
  else CHECK(k == PLAT_SELECT_TIMEOUT);
  return 0;
}

static void timeout_races(int iterations)
{
  int matched = 0;
  for (int it = 0; it < iterations; it++) {
    trace t = { NEW(0), 0, 0 };
    plat_scope sc;
    plat_scope_enter(&sc, __FILE__, __LINE__);
    SPAWN(&sc, t_receiver, &t);
    SPAWN(&sc, t_sender, &t);
    plat_scope_exit(&sc);
    CHECK(t.recv_arm_taken == t.send_arm_taken);             /* delivered iff both agree */
    CHECK(!t.c->recvq.head && !t.c->sendq.head);
    matched += t.recv_arm_taken;
  }
  fprintf(stderr, "timeout races: %d of %d matched\n", matched, iterations);
}

/* ---- cancellation of a blocked select ---- */
static atomic_int sel_defers, sel_started;
static void note(void *e) { (void)e; atomic_fetch_add(&sel_defers, 1); }

static uint64_t blocked_select(void *env)
{
  plat_chan **c = env;
  plat_defer d;
  atomic_fetch_add(&sel_started, 1);
  plat_defer_push(&d, note, NULL);
  plat_select_arm arms[2] = { recv_arm(c[0]), send_arm(c[1], 123) };
  SEL(arms, 2, -1, false);
  CHECK(0);
  return 0;
}

static void cancellation(void)
{
  for (int it = 0; it < 200; it++) {
    plat_chan *c[2] = { NEW(0), NEW(0) };
    plat_scope sc;
    plat_scope_enter(&sc, __FILE__, __LINE__);
    plat_task *t = SPAWN(&sc, blocked_select, c);
    for (int i = 0; i < it % 3; i++) plat_yield();
    plat_cancel(t);
    CHECK(plat_await(t) == 0);
    plat_scope_exit(&sc);
    CHECK(!plat_chan_try_send(c[0], 1, __FILE__, __LINE__));
    plat_word v;
    CHECK(!plat_chan_try_recv(c[1], &v));                    /* 123 never delivered */
    CHECK(!c[0]->recvq.head && !c[1]->sendq.head);
  }
  CHECK(atomic_load(&sel_defers) == atomic_load(&sel_started) && atomic_load(&sel_started) > 0);
}

/* ---- stress: producers, select consumers, ping-pong through send arms ---- */
enum { PRODUCERS = 6, PER_PRODUCER = 2000, CONSUMERS = 4 };
typedef struct { plat_chan *in[3]; plat_chan *out; atomic_long sum_in, sum_out; } stress;

static uint64_t producer(void *env)
{
  stress *s = env;
  uint64_t x = (uint64_t)plat_now_ns() | 1;
  for (int i = 1; i <= PER_PRODUCER; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    plat_chan_send(s->in[x % 3], (plat_word)i, __FILE__, __LINE__);
    atomic_fetch_add(&s->sum_in, i);
  }
  return 0;
}

/* Receives from the three inputs; forwards every value with a send arm on
 * `out` while also listening for more input. */
static uint64_t consumer(void *env)
{
  stress *s = env;
  plat_chan *in[3] = { s->in[0], s->in[1], s->in[2] };
  plat_word pending[64];
  int np = 0, open = 3;
  while (open > 0 || np > 0) {
    plat_select_arm arms[4] = { recv_arm(np < 64 ? in[0] : NULL), recv_arm(np < 64 ? in[1] : NULL),
                                recv_arm(np < 64 ? in[2] : NULL),
                                send_arm(np > 0 ? s->out : NULL, np > 0 ? pending[np - 1] : 0) };
    int k = SEL(arms, 4, -1, false);
    CHECK(k >= 0 && k < 4);
    if (k == 3) { np--; continue; }
    if (!arms[k].ok) { in[k] = NULL; open--; continue; }
    pending[np++] = arms[k].val;
  }
  return 0;
}

static uint64_t sink(void *env)
{
  stress *s = env;
  plat_word v;
  while (plat_chan_recv(s->out, &v)) atomic_fetch_add(&s->sum_out, (long)v);
  return 0;
}

static void stress_test(void)
{
  stress s = { { NEW(0), NEW(3), plat_chan_unbounded() }, NEW(2), 0, 0 };
  plat_scope all, prod, cons;
  plat_scope_enter(&all, __FILE__, __LINE__);
  SPAWN(&all, sink, &s);
  SPAWN(&all, sink, &s);
  plat_scope_enter(&cons, __FILE__, __LINE__);
  for (int i = 0; i < CONSUMERS; i++) SPAWN(&cons, consumer, &s);
  plat_scope_enter(&prod, __FILE__, __LINE__);
  for (int i = 0; i < PRODUCERS; i++) SPAWN(&prod, producer, &s);
  plat_scope_exit(&prod);
  for (int i = 0; i < 3; i++) plat_chan_close(s.in[i], __FILE__, __LINE__);
  plat_scope_exit(&cons);
  plat_chan_close(s.out, __FILE__, __LINE__);
  plat_scope_exit(&all);
  CHECK(atomic_load(&s.sum_in) == (long)PRODUCERS * PER_PRODUCER * (PER_PRODUCER + 1) / 2);
  CHECK(atomic_load(&s.sum_out) == atomic_load(&s.sum_in));
}

static uint64_t root(void *env)
{
  (void)env;
  basics();
  panics();
  fairness();
  withdrawal();
  close_races(300);
  timeout_races(300);
  cancellation();
  stress_test();
  return 0;
}

int main(int argc, char **argv)
{
  int st = plat_main(argc, argv, root, NULL);
  if (st == 0) fprintf(stderr, "test_select: ok\n");
  return st;
}
