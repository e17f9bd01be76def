/* method_loop: the C reference for bench/method_loop/main.plat (cc -O2):
 * the class is a heap-allocated struct, its methods static functions
 * taking a pointer to it.  A Mixer keeps a 64-bit linear congruential
 * state; feed(x) steps it with x mixed in and adds a digit of the state to
 * a running total.  Called N times with x = 0 .. N-1; prints the total and
 * the final state.  The state steps in unsigned arithmetic, which wraps
 * like Plat's Int64.  Usage: method_loop [N], default 300000000.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct Mixer {
  int64_t state;
  int64_t sum;
} Mixer;

static Mixer *mixer_new(int64_t state, int64_t sum) {
  Mixer *m = malloc(sizeof *m);
  if (!m) { perror("method_loop"); exit(1); }
  m->state = state;
  m->sum = sum;
  return m;
}

static int64_t mixer_digit(const Mixer *m) {
  int64_t d = (m->state / 4294967296LL) % 10;
  return d < 0 ? -d : d;
}

static void mixer_feed(Mixer *m, int32_t x) {
  m->state = (int64_t)((uint64_t)m->state * 6364136223846793005ULL + 1442695040888963407ULL +
                       (uint64_t)(int64_t)x);
  m->sum = m->sum + mixer_digit(m);
}

static int64_t mixer_total(const Mixer *m) { return m->sum; }
static int64_t mixer_current(const Mixer *m) { return m->state; }

int main(int argc, char **argv) {
  int32_t n = 300000000;
  if (argc > 1) {
    char *end;
    long v = strtol(argv[1], &end, 10);
    if (*end || v < 0 || v > INT32_MAX) {
      fprintf(stderr, "bad size \"%s\"\n", argv[1]);
      return 2;
    }
    n = (int32_t)v;
  }
  Mixer *m = mixer_new(1, 0);
  for (int32_t i = 0; i < n; i++) mixer_feed(m, i);
  printf("%lld\n", (long long)mixer_total(m));
  printf("%lld\n", (long long)mixer_current(m));
  free(m);
  return 0;
}
