/* test_chan_buf.c -- the channel buffer ring (chan_buf.c).
 *   model:    random interleavings of sends and receives on unbounded and
 *             bounded channels (capacities around the block size) against
 *             a plain FIFO: same values, same lengths, a send refused
 *             exactly when a bounded channel is full; an unbounded ring
 *             never above four times the values plus three blocks (it
 *             grows and shrinks with the contents), a bounded one below
 *             its capacity plus a block.
 *   unlocked: with a collection at every allocation (GC torture, one
 *             worker), no collection ever starts while a channel lock is
 *             held: the ring's blocks are allocated with no lock held,
 *             for send, try_send and select send arms, and a select of
 *             many arms allocates its waiter records unlocked.  (The buffer used
 *             to double under the lock: 2 MiB allocations with the other
 *             workers spinning on it.)
 *   senders:  200,000 tasks (20,000 under TSan) each send one value on
 *             one unbounded channel while a receiver drains it (2 workers
 *             in a child process): every value arrives once. */
#include <stdatomic.h>
#include <gc/gc.h>
#include <gc/gc_mark.h>
#include "rt_test.h"
#include "rt_internal.h"
#include "chan_impl.h"

#define SPAWN(sc, fn, env) plat_spawn((sc), (fn), (env), __FILE__, __LINE__)

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_rand(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

enum { MODEL_OPS = 300000 };

static void model_one(int64_t cap)
{
  plat_chan *c = cap < 0 ? plat_chan_unbounded() : plat_chan_new(cap, __FILE__, __LINE__);
  size_t qcap = 1 << 16, qh = 0, qn = 0;
  plat_word *q = malloc(qcap * sizeof *q);
  plat_word next = 1;
  for (int op = 0; op < MODEL_OPS; op++) {
    /* phases that mostly fill, then mostly drain */
    unsigned fill = ((op / 5000) % 2) ? 30 : 70;
    if (next_rand() % 100 < fill) {
      bool room = cap < 0 || (int64_t)qn < cap;
      bool sent = plat_chan_try_send(c, next, __FILE__, __LINE__);
      CHECK(sent == room);
      if (sent) {
        CHECK(qn < qcap);
        q[(qh + qn++) % qcap] = next++;
      }
    } else {
      plat_word v;
      bool got = plat_chan_try_recv(c, &v);
      CHECK(got == (qn > 0));
      if (got) {
        CHECK(v == q[qh]);
        qh = (qh + 1) % qcap;
        qn--;
      }
    }
    CHECK(plat_chan_length(c) == (int64_t)qn);
    if (cap < 0) CHECK(plat__chan_buf_slots(c) <= 4 * qn + 3 * PLAT_CHAN_BLOCK);
    else CHECK(plat__chan_buf_slots(c) < (uint64_t)cap + PLAT_CHAN_BLOCK);
  }
  plat_word v;
  while (qn > 0) {
    CHECK(plat_chan_recv(c, &v) && v == q[qh]);
    qh = (qh + 1) % qcap;
    qn--;
  }
  if (cap < 0) CHECK(plat__chan_buf_slots(c) <= 3 * PLAT_CHAN_BLOCK);
  free(q);
}

static void model(void)
{
  int64_t caps[] = { -1, 1, 3, PLAT_CHAN_BLOCK - 1, PLAT_CHAN_BLOCK, PLAT_CHAN_BLOCK + 1, 1000 };
  for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) model_one(caps[i]);
  printf("test_chan_buf: model ok\n");
}

/* ---- no collection with a channel lock held ---- */
enum { WATCHED = 3 + 12 };
static plat_chan *_Atomic watched[WATCHED];
static atomic_long collections, under_lock;

static void on_start(void)
{
  atomic_fetch_add(&collections, 1);
  for (int i = 0; i < WATCHED; i++) {
    plat_chan *c = atomic_load(&watched[i]);
    if (c && atomic_load(&c->lock)) atomic_fetch_add(&under_lock, 1);
  }
}

static uint64_t unlocked_root(void *env)
{
  (void)env;
  plat_chan *u = plat_chan_unbounded(), *b = plat_chan_new(100000, __FILE__, __LINE__);
  plat_chan *s = plat_chan_unbounded();
  atomic_store(&watched[0], u);
  atomic_store(&watched[1], b);
  atomic_store(&watched[2], s);
  GC_set_start_callback(on_start);
  enum { N = 3000 };
  for (int i = 0; i < N; i++) {
    plat_chan_send(u, (plat_word)i, __FILE__, __LINE__);
    CHECK(plat_chan_try_send(b, (plat_word)i, __FILE__, __LINE__));
    plat_select_arm arm = { .ch = s, .kind = PLAT_SEL_SEND, .val = (plat_word)i };
    CHECK(plat_select(&arm, 1, -1, true, __FILE__, __LINE__) == 0);   /* never the default */
  }
  plat_word v;
  for (int i = 0; i < N; i++) {
    CHECK(plat_chan_recv(u, &v) && v == (plat_word)i);
    CHECK(plat_chan_recv(b, &v) && v == (plat_word)i);
    CHECK(plat_chan_recv(s, &v) && v == (plat_word)i);
  }
  /* a select of more than 8 arms that parks (its waiter records) */
  plat_select_arm many[12];
  for (int i = 0; i < 12; i++) {
    many[i] = (plat_select_arm){ .ch = plat_chan_new(1, __FILE__, __LINE__), .kind = PLAT_SEL_RECV };
    atomic_store(&watched[3 + i], many[i].ch);
  }
  for (int i = 0; i < 20; i++) CHECK(plat_select(many, 12, 1, false, __FILE__, __LINE__) == PLAT_SELECT_TIMEOUT);
  GC_set_start_callback(0);
  printf("collections %ld, under a channel lock %ld\n", atomic_load(&collections),
         atomic_load(&under_lock));
  return atomic_load(&collections) > 0 && atomic_load(&under_lock) == 0 ? 0 : 1;
}

static int unlocked_child(void)
{
  setenv("PLAT_WORKERS", "1", 1);
  setenv("PLAT_GC_TORTURE", "1", 1);
  setenv("PLAT_GC_TORTURE_EVERY", "1", 1);
  return plat_main(0, NULL, unlocked_root, NULL);
}

/* ---- many senders, one unbounded channel ---- */
#ifdef PLAT_TSAN
enum { SENDERS = 20000 };              /* every task is a TSan fiber */
#else
enum { SENDERS = 200000 };
#endif

static uint64_t send_one(void *env)
{
  plat_chan_send(env, 1, __FILE__, __LINE__);
  return 0;
}

static uint64_t drain_all(void *env)
{
  plat_word v;
  uint64_t n = 0;
  while (plat_chan_recv(env, &v)) n += v;
  return n;
}

static uint64_t senders_root(void *env)
{
  (void)env;
  plat_chan *c = plat_chan_unbounded();
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_task *r = SPAWN(&sc, drain_all, c);
  plat_scope inner;
  plat_scope_enter(&inner, __FILE__, __LINE__);
  for (int i = 0; i < SENDERS; i++) SPAWN(&inner, send_one, c);
  plat_scope_exit(&inner);
  plat_chan_close(c, __FILE__, __LINE__);
  uint64_t got = plat_await(r);
  plat_scope_exit(&sc);
  printf("received %llu\n", (unsigned long long)got);
  return got == SENDERS ? 0 : 1;
}

static int senders_child(void)
{
  setenv("PLAT_WORKERS", "2", 1);
  return plat_main(0, NULL, senders_root, NULL);
}

static uint64_t model_root(void *env)
{
  (void)env;
  model();
  return 0;
}

static int model_child(void)
{
  setenv("PLAT_WORKERS", "1", 1);
  return plat_main(0, NULL, model_root, NULL);
}

int main(void)
{
  static char buf[4096];
  int st;
#ifdef PLAT_TSAN
  /* the TSan build never collects (docs/RUNTIME.md, Sanitizers) */
  (void)unlocked_child;
  printf("test_chan_buf: unlocked: not checked under TSan (no collections)\n");
#else
  st = run_child(unlocked_child, buf, sizeof buf);
  printf("test_chan_buf: unlocked: %s", buf);
  CHECK(st == 0);
#endif
  st = run_child(senders_child, buf, sizeof buf);
  printf("test_chan_buf: senders: %s", buf);
  CHECK(st == 0);
  st = run_child(model_child, buf, sizeof buf);
  printf("%s", buf);
  CHECK(st == 0);
  printf("test_chan_buf: ok\n");
  return 0;
}
