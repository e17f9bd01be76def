/* test_dict_gc.c -- Dict and Set under GC torture (a full collection
 * every 50 allocations): keys and values reachable only through a table
 * survive growth, compaction, removal and iteration, while garbage
 * allocated in between reuses every freed block; tables whose keys and
 * values hold no pointer are allocated pointer-free (never scanned), the
 * others scanned. */
#define GC_THREADS 1
#include <gc.h>
#include <gc/gc_inline.h>
#include <gc/gc_mark.h>
#include "vtest.h"
#include "plat_dict.h"

#define L __FILE__, __LINE__

__attribute__((constructor)) static void torture(void)
{
  setenv("PLAT_GC_TORTURE", "1", 1);
  setenv("PLAT_GC_TORTURE_EVERY", "50", 1);
}

enum { N = 3000 };

static plat_word key(int i) { return plat_w_ptr(plat_str_fmt("key-%d-%s", i, i % 2 ? "odd" : "even")); }
static plat_word val(int i) { return plat_w_ptr(plat_str_fmt("value number %d", i * 7)); }

/* Garbage that overwrites whatever the collector freed. */
static void churn(int n)
{
  for (int i = 0; i < n; i++) {
    plat_str *s = plat_str_fmt("garbage %d ................................................", i);
    memset((char *)s->data, 'X', (size_t)s->len);
  }
}

static bool has_kind(void *p, int kind)
{
  size_t sz;
  return GC_get_kind_and_size(GC_base(p), &sz) == kind;
}

static void string_dict(void)
{
  plat_dict *d = plat_dict_new(&plat_type_str, &plat_type_str, L);
  for (int i = 0; i < N; i++) {
    plat_dict_insert(d, key(i), val(i), NULL, L);
    if (i % 100 == 0) churn(200);
  }
  for (int i = 0; i < N; i += 3) plat_dict_remove(d, key(i), NULL, L);
  churn(5000);
  for (int i = N; i < N + 1000; i++) plat_dict_insert(d, key(i), val(i), NULL, L);  /* compaction */
  churn(5000);
  int bad = 0;
  for (int i = 0; i < N + 1000; i++) {
    plat_word v;
    bool has = plat_dict_get(d, key(i), &v, L);
    if (has != (i >= N || i % 3 != 0) || (has && !plat_str_eq(plat_ptr_w(v), plat_ptr_w(val(i))))) bad++;
  }
  CHECK(bad == 0);
  CHECK(plat_dict_check(d) == NULL);
  /* iteration while collecting */
  plat_dict_iter it;
  plat_word k, v;
  int n = 0;
  plat_dict_iter_init(&it, d);
  while (plat_dict_iter_next(&it, &k, &v, L)) {
    churn(3);
    plat_str *ks = plat_ptr_w(k);
    int i = atoi(ks->data + 4);
    if (!plat_str_eq(ks, plat_ptr_w(key(i))) || !plat_str_eq(plat_ptr_w(v), plat_ptr_w(val(i)))) bad++;
    n++;
  }
  CHECK(bad == 0 && n == plat_dict_length(d));
  plat_dict_stats st;
  plat_dict_stats_of(d, &st);
  CHECK(!st.pointer_free && has_kind(d->tab, GC_I_NORMAL));
  plat_str *text = plat_dict_to_string(d);
  CHECK(text->len > 0 && strstr(text->data, "\"key-3000-even\": \"value number 21000\"") != NULL);
}

static void pointer_free_tables(void)
{
  plat_dict *ii = plat_dict_new(&plat_type_i64, &plat_type_i64, L);
  plat_set *si = plat_set_new(&plat_type_i32, L);
  plat_dict *bf = plat_dict_new(&plat_type_bool, &plat_type_f64, L);
  for (int i = 0; i < N; i++) {
    plat_dict_insert(ii, plat_w_i64(i), plat_w_i64(-i), NULL, L);
    plat_set_add(si, plat_w_i64(i), L);
  }
  plat_dict_insert(bf, 1, plat_w_f64(2.5), NULL, L);
  CHECK(has_kind(ii->tab, GC_I_PTRFREE) && has_kind(si->tab, GC_I_PTRFREE) && has_kind(bf->tab, GC_I_PTRFREE));
  churn(5000);
  int bad = 0;
  for (int i = 0; i < N; i++) {
    if (plat_dict_get_or(ii, plat_w_i64(i), 1, L) != plat_w_i64(-i)) bad++;
    if (!plat_set_contains(si, plat_w_i64(i), L)) bad++;
  }
  CHECK(bad == 0);
  /* a pointer value makes the table scanned */
  plat_dict *is = plat_dict_new(&plat_type_i64, &plat_type_str, L);
  plat_dict_insert(is, 1, val(1), NULL, L);
  CHECK(has_kind(is->tab, GC_I_NORMAL));
  churn(2000);
  CHECK(plat_str_eq(plat_ptr_w(plat_dict_get_or(is, 1, 0, L)), plat_ptr_w(val(1))));
}

static void set_ops(void)
{
  plat_set *a = plat_set_new(&plat_type_str, L), *b = plat_set_new(&plat_type_str, L);
  for (int i = 0; i < N; i++) {
    plat_set_add(a, key(i), L);
    if (i % 2) plat_set_add(b, key(i + N / 2), L);
  }
  plat_set *u = plat_set_union(a, b, L), *in = plat_set_intersection(a, b, L), *df = plat_set_difference(a, b, L);
  plat_list *l = plat_set_to_list(u, L);
  a = b = NULL;
  churn(10000);
  int bad = 0;
  for (int i = 0; i < N + N / 2; i++) {
    bool want_u = i < N || (i - N / 2) % 2 == 1;
    bool want_in = i >= N / 2 && i < N && (i - N / 2) % 2 == 1;
    if (plat_set_contains(u, key(i), L) != want_u) bad++;
    if (plat_set_contains(in, key(i), L) != want_in) bad++;
    if (plat_set_contains(df, key(i), L) != (i < N && !want_in)) bad++;
  }
  for (int i = 0; i < N; i++) if (!plat_str_eq(plat_ptr_w(l->items[i]), plat_ptr_w(key(i)))) bad++;
  CHECK(bad == 0);
  CHECK(!plat_dict_check(u) && !plat_dict_check(in) && !plat_dict_check(df));
}

static void run(void)
{
  string_dict();
  pointer_free_tables();
  set_ops();
#ifndef PLAT_TSAN                               /* the TSan variant never collects (RUNTIME.md) */
  CHECK(GC_get_gc_no() > 100);                  /* torture really collected */
#endif
}
VTEST_MAIN
