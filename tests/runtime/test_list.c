/* test_list.c -- List<T>, Option/Result constructors. */
#include <math.h>
#include "vtest.h"

static void enums(void)
{
  CHECK(plat_none() == plat_none() && plat_none()->tag == PLAT_NONE);
  plat_enum *s = plat_some(plat_w_i64(-3));
  CHECK(s->tag == PLAT_SOME && plat_i64_w(s->f[0]) == -3);
  CHECK(plat_ok(7)->tag == PLAT_OK && plat_ok(7)->f[0] == 7);
  CHECK(plat_err(9)->tag == PLAT_ERR);
  CHECK_STR(ERR_STR(plat_err_cstr("boom")), "boom");
  plat_enum *e = plat_enum_new(3, 2);
  CHECK(e->tag == 3 && e->f[0] == 0 && e->f[1] == 0);
  CHECK(plat_enum_new(5, 0)->tag == 5);
  CHECK(plat_f64_w(plat_w_f64(-2.5)) == -2.5 && plat_f32_w(plat_w_f32(1.25f)) == 1.25f);
}

static void basic_ops(void)
{
  plat_list *l = plat_list_new(0);
  CHECK(plat_list_is_empty(l) && plat_list_length(l) == 0);
  IS_NONE(plat_list_pop(l));
  IS_NONE(plat_list_get(l, 0));
  for (int i = 0; i < 1000; i++) plat_list_push(l, plat_w_i64(i * 3));
  CHECK(plat_list_length(l) == 1000 && !plat_list_is_empty(l));
  CHECK(SOME(plat_list_get(l, 999)) == 2997 && SOME(plat_list_get(l, 0)) == 0);
  IS_NONE(plat_list_get(l, 1000));
  IS_NONE(plat_list_get(l, -1));
  IS_NONE(plat_list_get(l, INT64_MIN));
  CHECK(plat_list_set(l, 5, 77) && SOME(plat_list_get(l, 5)) == 77);
  CHECK(!plat_list_set(l, 1000, 1) && !plat_list_set(l, -1, 1));
  CHECK(SOME(plat_list_pop(l)) == 2997 && plat_list_length(l) == 999);
  CHECK(l->items[999] == 0);                               /* stale slot cleared */
  plat_list_clear(l);
  CHECK(plat_list_length(l) == 0 && l->items[0] == 0);
  IS_NONE(plat_list_pop(l));
  plat_list_push(l, 4);
  CHECK(SOME(plat_list_get(l, 0)) == 4);
  plat_list *neg = plat_list_new(-5);
  plat_list_push(neg, 1);
  CHECK(plat_list_length(neg) == 1);
}

static void insert_remove(void)
{
  plat_word init[] = { 1, 2, 3 };
  plat_list *l = plat_list_of(3, init);
  CHECK(plat_list_insert_at(l, 0, 0));                      /* [0 1 2 3] */
  CHECK(plat_list_insert_at(l, 4, 9));                      /* at end: [0 1 2 3 9] */
  CHECK(plat_list_insert_at(l, 2, 5));                      /* [0 1 5 2 3 9] */
  CHECK(!plat_list_insert_at(l, 7, 1) && !plat_list_insert_at(l, -1, 1));
  plat_word want[] = { 0, 1, 5, 2, 3, 9 };
  CHECK(l->len == 6 && memcmp(l->items, want, sizeof want) == 0);
  CHECK(SOME(plat_list_remove_at(l, 2)) == 5);
  CHECK(SOME(plat_list_remove_at(l, 4)) == 9);
  CHECK(SOME(plat_list_remove_at(l, 0)) == 0);
  IS_NONE(plat_list_remove_at(l, 3));
  IS_NONE(plat_list_remove_at(l, -1));
  plat_word want2[] = { 1, 2, 3 };
  CHECK(l->len == 3 && memcmp(l->items, want2, sizeof want2) == 0 && l->items[3] == 0);
  CHECK(plat_list_of(0, NULL)->len == 0);
}

static void search_slice(void)
{
  plat_word ints[] = { 5, (plat_word)-1, 5, 8 };
  plat_list *l = plat_list_of(4, ints);
  CHECK(plat_list_contains(l, plat_w_i64(-1), PLAT_EQ_BITS) && !plat_list_contains(l, 6, PLAT_EQ_BITS));
  CHECK(SOME(plat_list_index_of(l, 5, PLAT_EQ_BITS)) == 0 && SOME(plat_list_index_of(l, 8, PLAT_EQ_BITS)) == 3);
  IS_NONE(plat_list_index_of(l, 6, PLAT_EQ_BITS));
  plat_word fl[] = { plat_w_f64(-0.0), plat_w_f64(NAN), plat_w_f64(1.5) };
  plat_list *f = plat_list_of(3, fl);
  CHECK(SOME(plat_list_index_of(f, plat_w_f64(0.0), PLAT_EQ_F64)) == 0);  /* IEEE: 0.0 == -0.0 */
  CHECK(!plat_list_contains(f, plat_w_f64(NAN), PLAT_EQ_F64));           /* NaN != NaN */
  CHECK(plat_list_contains(f, plat_w_f64(1.5), PLAT_EQ_F64));
  plat_word f32[] = { plat_w_f32(2.5f), plat_w_f32(-0.0f) };
  plat_list *g = plat_list_of(2, f32);
  CHECK(SOME(plat_list_index_of(g, plat_w_f32(0.0f), PLAT_EQ_F32)) == 1);
  plat_word strs[] = { plat_w_ptr(S("a")), plat_w_ptr(S("héllo")), plat_w_ptr(S("")) };
  plat_list *s = plat_list_of(3, strs);
  CHECK(SOME(plat_list_index_of(s, plat_w_ptr(S("héllo")), PLAT_EQ_STR)) == 1);  /* by contents */
  CHECK(plat_list_contains(s, plat_w_ptr(S("")), PLAT_EQ_STR) && !plat_list_contains(s, plat_w_ptr(S("b")), PLAT_EQ_STR));
  plat_list *sl = plat_list_slice(l, 1, 3);
  CHECK(sl->len == 2 && sl->items[0] == (plat_word)-1 && sl->items[1] == 5 && sl != l);
  sl->items[0] = 42;
  CHECK(l->items[1] == (plat_word)-1);                      /* a copy */
  CHECK(plat_list_slice(l, -3, 100)->len == 4);
  CHECK(plat_list_slice(l, 3, 1)->len == 0 && plat_list_slice(l, 9, 12)->len == 0);
  plat_list_push(plat_list_slice(l, 0, 0), 1);              /* empty slice is a usable list */
}

static void join(void)
{
  plat_word strs[] = { plat_w_ptr(S("a")), plat_w_ptr(S("😀")), plat_w_ptr(S("")), plat_w_ptr(S("z")) };
  CHECK_STR(plat_list_join(plat_list_of(4, strs), S(", ")), "a, 😀, , z");
  CHECK_STR(plat_list_join(plat_list_of(4, strs), S("")), "a😀z");
  CHECK_STR(plat_list_join(plat_list_of(1, strs), S("-")), "a");
  CHECK_STR(plat_list_join(plat_list_new(0), S("-")), "");
}

static void run(void)
{
  enums();
  basic_ops();
  insert_remove();
  search_slice();
  join();
}
VTEST_MAIN
