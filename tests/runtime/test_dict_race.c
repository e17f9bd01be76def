/* test_dict_race.c -- two tasks on two workers hammering one Dict or Set
 * without synchronisation (a bug in a Plat program).  The runtime must
 * either give exactly the right results or panic "concurrent modification
 * of a Dict/Set" -- never crash, never corrupt the table, never return a
 * wrong value.  Run under ASan and TSan too (make check-asan/check-tsan):
 * every access to a shared table is atomic, so TSan must report nothing.
 *
 *   writers:  two tasks insert (and remove some of) disjoint key ranges;
 *             no panic -> every key of both is there with its value; a
 *             panic -> the other writer's keys are all right and the
 *             table passes plat_dict_check.
 *   readers:  one task rewrites the table (growth, removals, clear)
 *             while another reads it (get, has_key, iteration, keys,
 *             to_string); any value read is the one its key was given;
 *             a reader may panic (concurrent modification, or a change
 *             during its iteration), nothing else.
 * Rounds repeat until both outcomes were seen or a bound is reached;
 * outcomes are counted, not timed. */
#include <stdatomic.h>
#include "vtest.h"
#include "plat_dict.h"

#define L __FILE__, __LINE__
#ifdef PLAT_TSAN
enum { ROUNDS = 60, KEYS = 2000 };
#else
enum { ROUNDS = 300, KEYS = 5000 };
#endif

__attribute__((constructor)) static void two_workers(void) { setenv("PLAT_WORKERS", "2", 1); }

static bool str_keys;
static plat_dict *shared;
static atomic_int started;
static plat_word key_of(int64_t k) { return str_keys ? plat_w_ptr(plat_str_fmt("key%lld", (long long)k)) : plat_w_i64(k); }
static int64_t val_of(int64_t k) { return k * 3 + 1; }

/* Both tasks start together (each on its own worker if one is free). */
static void rendezvous(void)
{
  atomic_fetch_add(&started, 1);
  for (int i = 0; atomic_load(&started) < 2 && i < 100000; i++) if (i % 64 == 63) plat_yield();
}

typedef struct { int id; plat_task_fn fn; const char *panic; } job;

static uint64_t writer(void *env)
{
  job *j = env;
  rendezvous();
  int64_t base = (int64_t)j->id * KEYS;
  for (int64_t k = base; k < base + KEYS; k++) plat_dict_insert(shared, key_of(k), (plat_word)val_of(k), NULL, L);
  for (int64_t k = base; k < base + KEYS; k += 4) plat_dict_remove(shared, key_of(k), NULL, L);
  return 0;
}

static uint64_t catching(void *env)
{
  job *j = env;
  j->panic = plat_catch(j->fn, j);
  return 0;
}

/* Run fa and fb as two concurrent tasks, each catching its own panic. */
static void pair_run(plat_task_fn fa, plat_task_fn fb, job *a, job *b)
{
  atomic_store(&started, 0);
  a->fn = fa;
  b->fn = fb;
  plat_scope sc;
  plat_scope_enter(&sc, L);
  plat_spawn(&sc, catching, a, L);
  plat_spawn(&sc, catching, b, L);
  plat_scope_exit(&sc);
}

static bool is_concurrent_panic(const char *m)
{
  return strstr(m, "concurrent modification of a Dict: two tasks used it at the same time") != NULL;
}

static void writers(void)
{
  int clean = 0, caught = 0, bad = 0;
  for (int r = 0; r < ROUNDS && !(clean >= 3 && caught >= 3 && r >= ROUNDS / 4); r++) {
    shared = plat_dict_new(str_keys ? &plat_type_str : &plat_type_i64, &plat_type_i64, L);
    job a = { .id = 0 }, b = { .id = 1 };
    pair_run(writer, writer, &a, &b);
    const char *why = plat_dict_check(shared);
    if (why) { bad++; fprintf(stderr, "round %d: table broken: %s\n", r, why); continue; }
    if (!a.panic && !b.panic) {
      clean++;
      int64_t want = 0;
      for (int64_t k = 0; k < 2 * KEYS; k++) {
        plat_word v;
        bool has = plat_dict_get(shared, key_of(k), &v, L);
        if (has != (k % 4 != 0) || (has && (int64_t)v != val_of(k))) bad++;
        want += k % 4 != 0;
      }
      if (plat_dict_length(shared) != want) bad++;
    } else {
      caught++;
      if ((a.panic && !is_concurrent_panic(a.panic)) || (b.panic && !is_concurrent_panic(b.panic))) {
        bad++;
        fprintf(stderr, "unexpected panic: %s / %s\n", a.panic ? a.panic : "-", b.panic ? b.panic : "-");
      }
      /* whatever is there is right, and a writer that finished did all its work */
      plat_dict_iter it;
      plat_word k, v;
      int64_t n = 0;
      plat_dict_iter_init(&it, shared);
      while (plat_dict_iter_next(&it, &k, &v, L)) {
        int64_t key = str_keys ? strtoll(((plat_str *)plat_ptr_w(k))->data + 3, NULL, 10) : (int64_t)k;
        if ((int64_t)v != val_of(key)) bad++;
        n++;
      }
      if (n != plat_dict_length(shared)) bad++;
      job *done = !a.panic ? &a : !b.panic ? &b : NULL;
      if (done)
        for (int64_t k = (int64_t)done->id * KEYS; k < (int64_t)(done->id + 1) * KEYS; k++)
          if (plat_dict_has_key(shared, key_of(k), L) != (k % 4 != 0)) { bad++; break; }
    }
  }
  fprintf(stderr, "writers (%s keys): %d rounds without overlap, %d with the panic\n",
          str_keys ? "String" : "Int64", clean, caught);
  CHECK(bad == 0);
  CHECK(clean + caught > 0);
}

/* ---- a writer and a reader ---- */
static uint64_t churner(void *env)
{
  (void)env;
  rendezvous();
  for (int rep = 0; rep < 3; rep++) {
    for (int64_t k = 0; k < KEYS; k++) plat_dict_insert(shared, key_of(k), (plat_word)val_of(k), NULL, L);
    for (int64_t k = 0; k < KEYS; k += 2) plat_dict_remove(shared, key_of(k), NULL, L);
    plat_dict_clear(shared, L);
  }
  return 0;
}

static atomic_int reader_bad;
static uint64_t reader(void *env)
{
  (void)env;
  rendezvous();
  for (int rep = 0; rep < 20; rep++) {
    for (int64_t k = 0; k < KEYS; k += 7) {
      plat_word v;
      if (plat_dict_get(shared, key_of(k), &v, L) && (int64_t)v != val_of(k)) atomic_fetch_add(&reader_bad, 1);
      plat_dict_has_key(shared, key_of(k + 1), L);
    }
    plat_dict_iter it;
    plat_word k, v;
    plat_dict_iter_init(&it, shared);
    while (plat_dict_iter_next(&it, &k, &v, L)) {
      int64_t key = str_keys ? strtoll(((plat_str *)plat_ptr_w(k))->data + 3, NULL, 10) : (int64_t)k;
      if ((int64_t)v != val_of(key)) atomic_fetch_add(&reader_bad, 1);
    }
    plat_list *ks = plat_dict_keys(shared, L);
    if (ks->len > KEYS) atomic_fetch_add(&reader_bad, 1);
    plat_dict_to_string(shared);
    plat_dict_length(shared);
  }
  return 0;
}

static void readers(void)
{
  int clean = 0, caught = 0, bad = 0;
  atomic_store(&reader_bad, 0);
  for (int r = 0; r < ROUNDS / 5; r++) {
    shared = plat_dict_new(str_keys ? &plat_type_str : &plat_type_i64, &plat_type_i64, L);
    job a = { .id = 0 }, b = { .id = 1 };
    pair_run(churner, reader, &a, &b);
    if (a.panic) {                            /* the writer may see a reader? never: reads take no flag */
      bad++;
      fprintf(stderr, "writer panicked: %s\n", a.panic);
    }
    if (b.panic) {
      caught++;
      if (!is_concurrent_panic(b.panic) && !strstr(b.panic, "Dict changed during iteration")) {
        bad++;
        fprintf(stderr, "unexpected reader panic: %s\n", b.panic);
      }
    } else {
      clean++;
    }
    if (plat_dict_check(shared) || plat_dict_length(shared) != 0) bad++;
  }
  fprintf(stderr, "readers (%s keys): %d rounds clean, %d with a reader panic\n",
          str_keys ? "String" : "Int64", clean, caught);
  CHECK(bad == 0 && atomic_load(&reader_bad) == 0);
}

/* ---- sets: two tasks adding the same elements ---- */
static plat_set *shared_set;
static uint64_t adder(void *env)
{
  (void)env;
  rendezvous();
  for (int64_t k = 0; k < KEYS; k++) plat_set_add(shared_set, plat_w_i64(k), L);
  return 0;
}

static void set_adders(void)
{
  int clean = 0, caught = 0, bad = 0;
  for (int r = 0; r < ROUNDS / 5; r++) {
    shared_set = plat_set_new(&plat_type_i64, L);
    job a = { .id = 0 }, b = { .id = 1 };
    pair_run(adder, adder, &a, &b);
    if (a.panic || b.panic) {
      caught++;
      const char *m = a.panic ? a.panic : b.panic;
      if (!strstr(m, "concurrent modification of a Set")) { bad++; fprintf(stderr, "unexpected: %s\n", m); }
    } else {
      clean++;
    }
    /* an adder that finished added every element exactly once (both may
     * panic: one that saw the other's change releases the flag, which the
     * other may see first) */
    if ((!(a.panic && b.panic) && plat_set_length(shared_set) != KEYS) || plat_dict_check(shared_set)) bad++;
  }
  fprintf(stderr, "set adders: %d rounds clean, %d with the panic\n", clean, caught);
  CHECK(bad == 0);
}

static void run(void)
{
  for (int sk = 0; sk < 2; sk++) {
    str_keys = sk;
    writers();
    readers();
  }
  set_adders();
}
VTEST_MAIN
