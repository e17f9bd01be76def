/* bench_rt.c -- C microbenchmarks of the scheduler (not tests):
 *   spawn+join    ns per trivial task, 1,000,000 tasks in one scope
 *   switch        ns per one-way switch: two tasks yielding to each other
 *                 on one worker (each yield = one switch), and the raw
 *                 plat_switch register swap for reference
 *   handoff       ns per one-way park/wake handoff between two tasks
 *                 (a rendezvous mailbox as channels use it; round trip/2)
 *   chan         ns per round trip over two unbuffered channels (plat_chan)
 *   wake latency  ns from plat_wake on a plain thread to the parked task
 *                 running on an idle worker (futex wake-up included)
 * Prints one line per figure; median of 5 runs.
 * Usage: bench_rt [spawn|switch|handoff|wake]...   (default: all) */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plat_chan.h"
#include "plat_rt.h"

void plat_switch(void **save_sp, void *to_sp);   /* runtime internal */

static int64_t now(void) { return plat_now_ns(); }
static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}
static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp);
  return v[n / 2];
}
#define RUNS 5

/* ---- spawn+join ---- */
static uint64_t trivial(void *env) { return (uint64_t)(uintptr_t)env; }
static double bench_spawn(void) {
  enum { N = 1000000 };
  int64_t t0 = now();
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  for (uintptr_t i = 0; i < N; i++) plat_spawn(&sc, trivial, (void *)i, __FILE__, __LINE__);
  plat_scope_exit(&sc);
  return (double)(now() - t0) / N;
}

/* ---- yield ping-pong ---- */
static atomic_int go;
static uint64_t yielder(void *env) {
  long n = (long)(uintptr_t)env;
  for (long i = 0; i < n; i++) plat_yield();
  return 0;
}
static double bench_switch(void) {
  enum { N = 2000000 };
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  int64_t t0 = now();
  plat_spawn(&sc, yielder, (void *)(uintptr_t)N, __FILE__, __LINE__);
  plat_spawn(&sc, yielder, (void *)(uintptr_t)N, __FILE__, __LINE__);
  plat_scope_exit(&sc);
  return (double)(now() - t0) / (2.0 * N);
}

/* raw register swap between two contexts */
static void *ctx_main, *ctx_co;
static long raw_n;
static char raw_stack[65536] __attribute__((aligned(16)));
static void raw_co(void) {
  for (;;) plat_switch(&ctx_co, ctx_main);
}
static double bench_raw(void) {
  uintptr_t *sp = (uintptr_t *)(raw_stack + sizeof raw_stack - 64);
  sp -= 7;
  memset(sp, 0, 7 * sizeof *sp);
  sp[6] = (uintptr_t)raw_co;           /* first resume "returns" into raw_co */
  ctx_co = sp;
  raw_n = 20000000;
  int64_t t0 = now();
  for (long i = 0; i < raw_n; i++) plat_switch(&ctx_main, ctx_co);
  return (double)(now() - t0) / (2.0 * raw_n);
}

/* ---- park/wake handoff (rendezvous) ---- */
typedef struct { plat_task *_Atomic waiter; atomic_int lock; uint64_t val; } box;
static bool commit_unlock(plat_task *self, void *arg) {
  (void)self;
  atomic_store(&((box *)arg)->lock, 0);
  return true;
}
static void lk(box *b) {
  int z = 0;
  while (!atomic_compare_exchange_weak(&b->lock, &z, 1)) z = 0;
}
/* send: wait until a receiver is parked, hand it v */
static void box_send(box *b, uint64_t v) {
  for (;;) {
    lk(b);
    plat_task *w = atomic_exchange(&b->waiter, NULL);
    if (w) {
      b->val = v;
      plat_wake(w, PLAT_WAKE_NORMAL, NULL);
      atomic_store(&b->lock, 0);
      return;
    }
    atomic_store(&b->lock, 0);
    plat_yield();
  }
}
static uint64_t box_recv(box *b) {
  lk(b);
  atomic_store(&b->waiter, plat_self());
  plat_park(commit_unlock, b, "box");
  return b->val;
}
static box ping, pong;
static uint64_t ponger(void *env) {
  long n = (long)(uintptr_t)env;
  for (long i = 0; i < n; i++) box_send(&pong, box_recv(&ping) + 1);
  return 0;
}
static double bench_handoff(void) {
  enum { N = 500000 };
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_spawn(&sc, ponger, (void *)(uintptr_t)N, __FILE__, __LINE__);
  int64_t t0 = now();
  uint64_t x = 0;
  for (long i = 0; i < N; i++) {
    box_send(&ping, x);
    x = box_recv(&pong);
  }
  double r = (double)(now() - t0) / (2.0 * N);
  plat_scope_exit(&sc);
  return r;
}

/* ---- unbuffered channel round trip ---- */
static plat_chan *cping, *cpong;
static uint64_t chan_ponger(void *env) {
  long n = (long)(uintptr_t)env;
  plat_word w;
  for (long i = 0; i < n; i++) {
    plat_chan_recv(cping, &w);
    plat_chan_send(cpong, w + 1, __FILE__, __LINE__);
  }
  return 0;
}
static double bench_chan(void) {
  enum { N = 500000 };
  cping = plat_chan_new(0, __FILE__, __LINE__);
  cpong = plat_chan_new(0, __FILE__, __LINE__);
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_spawn(&sc, chan_ponger, (void *)(uintptr_t)N, __FILE__, __LINE__);
  int64_t t0 = now();
  plat_word x = 0;
  for (long i = 0; i < N; i++) {
    plat_chan_send(cping, x, __FILE__, __LINE__);
    plat_chan_recv(cpong, &x);
  }
  double r = (double)(now() - t0) / N;
  plat_scope_exit(&sc);
  return r;
}

/* ---- wake latency from a plain thread ---- */
static plat_task *_Atomic parked;
static atomic_long woke_at, stop_wake;
static bool commit_pub(plat_task *self, void *arg) {
  (void)arg;
  atomic_store(&parked, self);
  return true;
}
static uint64_t sleeper_task(void *env) {
  long n = (long)(uintptr_t)env;
  for (long i = 0; i < n; i++) {
    plat_park(commit_pub, NULL, "bench");
    atomic_store(&woke_at, now());
  }
  return 0;
}
static double lat[2000];
static void *waker(void *arg) {
  long n = (long)(intptr_t)arg;
  for (long i = 0; i < n; i++) {
    plat_task *t;
    while (!(t = atomic_exchange(&parked, NULL))) ;
    struct timespec ts = {0, 200000};  /* let the worker fall asleep */
    nanosleep(&ts, NULL);
    atomic_store(&woke_at, 0);
    int64_t t0 = now();
    plat_wake(t, PLAT_WAKE_NORMAL, NULL);
    int64_t w;
    while (!(w = atomic_load(&woke_at))) ;
    lat[i] = (double)(w - t0);
  }
  return NULL;
}
static double bench_wake(void) {
  enum { N = 2000 };
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_spawn(&sc, sleeper_task, (void *)(uintptr_t)N, __FILE__, __LINE__);
  pthread_t th;
  plat_external_hold();               /* a plain thread will wake it */
  pthread_create(&th, NULL, waker, (void *)(intptr_t)N);
  plat_scope_exit(&sc);
  pthread_join(th, NULL);
  plat_external_release();
  return median(lat, N);
}

static int want(int argc, char **argv, const char *name) {
  if (argc < 2) return 1;
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], name) == 0) return 1;
  return 0;
}

static uint64_t root(void *env) {
  (void)env;
  int argc = plat_argc();
  char **argv = plat_argv();
  double v[RUNS];
  if (want(argc, argv, "spawn")) {
    for (int i = 0; i < RUNS; i++) v[i] = bench_spawn();
    printf("spawn+join       %8.1f ns/task   (1M tasks: %.3f s)\n", median(v, RUNS),
           median(v, RUNS) * 1e6 / 1e9);
  }
  if (want(argc, argv, "switch")) {
    for (int i = 0; i < RUNS; i++) v[i] = bench_switch();
    printf("yield switch     %8.1f ns/switch (task to task via plat_yield)\n", median(v, RUNS));
    for (int i = 0; i < RUNS; i++) v[i] = bench_raw();
    printf("raw plat_switch  %8.1f ns/switch (register swap only)\n", median(v, RUNS));
  }
  if (want(argc, argv, "handoff")) {
    for (int i = 0; i < RUNS; i++) v[i] = bench_handoff();
    printf("park/wake        %8.1f ns/handoff (round trip %.1f ns)\n", median(v, RUNS),
           2 * median(v, RUNS));
  }
  if (want(argc, argv, "chan")) {
    for (int i = 0; i < RUNS; i++) v[i] = bench_chan();
    printf("chan round trip  %8.1f ns (unbuffered, two channels)\n", median(v, RUNS));
  }
  if (want(argc, argv, "wake")) {
    for (int i = 0; i < RUNS; i++) v[i] = bench_wake();
    printf("wake latency     %8.1f ns (plain thread -> idle worker, median)\n", median(v, RUNS));
  }
  return 0;
}

int main(int argc, char **argv) {
  (void)go;
  (void)stop_wake;
  return plat_main(argc, argv, root, NULL);
}
