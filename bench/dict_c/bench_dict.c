/* bench_dict.c -- the Dict/Set runtime through its C API, doing what the
 * compiled Plat programs of issue 13 will do (bench/dict_c/main.go does
 * the same with Go maps; bench/dict_c/run.sh runs both side by side).
 *
 *   bench_dict int N     Dict<Int64, Int64>: N inserts of distinct
 *                        pseudo-random keys, N lookups that hit (another
 *                        order), N that miss, N deletes (a third order)
 *   bench_dict set N     Set<Int64>: the same with add/contains/remove
 *   bench_dict words M V Dict<String, Int32>: count M words drawn from V
 *                        distinct ones (half uniform, half from a hot
 *                        hundredth), each occurrence its own string (as
 *                        split() makes them), as Plat code writes it:
 *                        counts[w] = counts.get_or(key = w, default = 0) + 1;
 *                        then look every distinct word up once
 *
 * stdout: a checksum (must equal Go's).  stderr: per phase "phase NAME
 * NS_PER_OP" (process CPU time), "mem table BYTES_PER_ENTRY" (the table
 * block) and "mem heap BYTES_PER_ENTRY" (GC heap in use after a full
 * collection, with and without the table). */
#define GC_THREADS 1
#include <gc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plat_dict.h"

#define L __FILE__, __LINE__

static uint64_t mix(uint64_t z)   /* splitmix64's finaliser: a bijection */
{
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static int64_t cpu_ns(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
static int64_t t0;
static void start(void) { t0 = cpu_ns(); }
static void phase(const char *name, int64_t ops)
{
  fprintf(stderr, "phase %s %.1f\n", name, (double)(cpu_ns() - t0) / (double)ops);
}
static size_t heap_in_use(void)
{
  GC_gcollect();
  return GC_get_heap_size() - GC_get_free_bytes();
}
static void mem(plat_dict *d, int64_t n, size_t heap_before)
{
  plat_dict_stats st;
  plat_dict_stats_of(d, &st);
  fprintf(stderr, "mem table %.1f\n", (double)st.bytes / (double)n);
  fprintf(stderr, "mem heap %.1f\n", ((double)heap_in_use() - (double)heap_before) / (double)n);
}

static uint64_t ints(int64_t n, bool set)
{
  size_t heap0 = heap_in_use();
  plat_dict *d = set ? plat_set_new(&plat_type_i64, L) : plat_dict_new(&plat_type_i64, &plat_type_i64, L);
  uint64_t sum = 0;
  start();
  for (int64_t i = 0; i < n; i++) {
    if (set) plat_set_add(d, mix((uint64_t)i), L);
    else plat_dict_insert(d, mix((uint64_t)i), (plat_word)i, NULL, L);
  }
  phase("insert", n);
  mem(d, n, heap0);
  start();
  for (int64_t i = 0; i < n; i++) {
    plat_word k = mix((uint64_t)(i * 7919 % n)), v = 0;
    if (set) sum += plat_set_contains(d, k, L);
    else if (plat_dict_get(d, k, &v, L)) sum += v;
  }
  phase("hit", n);
  start();
  for (int64_t i = 0; i < n; i++) {
    plat_word k = mix((uint64_t)(i + n));
    sum += set ? plat_set_contains(d, k, L) : plat_dict_has_key(d, k, L);
  }
  phase("miss", n);
  start();
  for (int64_t i = 0; i < n; i++) {
    plat_word k = mix((uint64_t)(i * 104729 % n));
    if (set) plat_set_remove(d, k, L);
    else plat_dict_remove(d, k, NULL, L);
  }
  phase("delete", n);
  return sum + (uint64_t)plat_dict_length(d);
}

static uint64_t words(int64_t m, int64_t v)
{
  /* the distinct words: 3 to 12 letters, made distinct by a base-26 suffix */
  plat_str **vocab = GC_MALLOC((size_t)v * sizeof *vocab);
  uint64_t r = 1;
  for (int64_t i = 0; i < v; i++) {
    char buf[32];
    int len = 3 + (int)(mix(r++) % 10), n = 0;
    for (int k = 0; k < len - 3; k++) buf[n++] = (char)('a' + mix(r++) % 26);
    for (int64_t x = i, k = 0; k < 4; k++, x /= 26) buf[n++] = (char)('a' + x % 26);
    vocab[i] = plat_str_new(buf, n);
  }
  plat_str **occ = GC_MALLOC((size_t)m * sizeof *occ);
  for (int64_t i = 0; i < m; i++) {
    uint64_t x = mix(r++);
    plat_str *w = vocab[(x & 1) ? (x >> 1) % (uint64_t)v : (x >> 1) % (uint64_t)(v / 100)];
    occ[i] = plat_str_new(w->data, w->len);
  }
  size_t heap0 = heap_in_use();
  plat_dict *d = plat_dict_new(&plat_type_str, &plat_type_i32, L);
  start();
  for (int64_t i = 0; i < m; i++) {
    plat_word w = plat_w_ptr(occ[i]);
    plat_dict_insert(d, w, (plat_word)(int32_t)(plat_dict_get_or(d, w, 0, L) + 1), NULL, L);
  }
  phase("count", m);
  start();
  uint64_t sum = 0;
  for (int64_t i = 0; i < v; i++) {
    plat_word c;
    if (plat_dict_get(d, plat_w_ptr(vocab[i]), &c, L)) sum += (uint64_t)(int32_t)c * (uint64_t)(i + 1);
  }
  phase("lookup", v);
  mem(d, plat_dict_length(d), heap0);
  if (occ[m - 1]->len == 0 || vocab[v - 1]->len == 0) sum++;   /* both alive through mem() */
  return sum + (uint64_t)plat_dict_length(d);
}

static char **args;
static uint64_t entry(void *env)
{
  (void)env;
  uint64_t sum;
  if (!strcmp(args[1], "int")) sum = ints(atoll(args[2]), false);
  else if (!strcmp(args[1], "set")) sum = ints(atoll(args[2]), true);
  else sum = words(atoll(args[2]), atoll(args[3]));
  printf("%llu\n", (unsigned long long)sum);
  return 0;
}

int main(int argc, char **argv)
{
  if (argc < 3 || (!strcmp(argv[1], "words") && argc < 4) ||
      (strcmp(argv[1], "int") && strcmp(argv[1], "set") && strcmp(argv[1], "words"))) {
    fprintf(stderr, "usage: bench_dict int N | set N | words M V\n");
    return 2;
  }
  args = argv;
  return plat_main(argc, argv, entry, NULL);
}
