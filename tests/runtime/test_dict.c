/* test_dict.c -- Dict and Set (LANGUAGE.md 10.2, 10.3) through the C API:
 * every operation, the ordering rules, iteration with modification
 * detection, equality, printing, descriptors, bad input. */
#include <math.h>
#include "vtest.h"
#include "plat_dict.h"

#define L __FILE__, __LINE__
#define W(s) plat_w_ptr(S(s))
#define STRW(w) ((plat_str *)plat_ptr_w(w))

static void check_ok(plat_dict *d, const char *file, int line)
{
  const char *why = plat_dict_check(d);
  vt_check(why == NULL, why ? why : "", file, line);
}
#define CHECK_OK(d) check_ok((d), __FILE__, __LINE__)

/* Run fn(env) as a task; the panic message ("" if none). */
static const char *panic_of(plat_task_fn fn, void *env)
{
  const char *m = plat_catch(fn, env);
  return m ? m : "";
}
#define CHECK_PANIC(fn, env, part) vt_check(strstr(panic_of((fn), (env)), (part)) != NULL, #fn " panics: " part, __FILE__, __LINE__)

static plat_str *keys_str(plat_dict *d)
{
  return plat_list_join(plat_dict_keys(d, L), S(","));
}

static void descriptors(void)
{
  CHECK(plat_type_norm(&plat_type_i8, 0xFFFF) == (plat_word)-1);
  CHECK(plat_type_norm(&plat_type_i16, 0x18000) == (plat_word)(int64_t)-32768);
  CHECK(plat_type_norm(&plat_type_i32, 0x1FFFFFFFFULL) == (plat_word)-1);
  CHECK(plat_type_norm(&plat_type_bool, 0x101) == 1);
  CHECK(plat_type_norm(&plat_type_f32, plat_w_f32(-1.5f) | 0xABCD00000000ULL) == plat_w_f32(-1.5f));
  CHECK(plat_type_eq(&plat_type_str, W("ab"), W("ab")) && !plat_type_eq(&plat_type_str, W("ab"), W("a")));
  CHECK(plat_type_eq(&plat_type_f64, plat_w_f64(0.0), plat_w_f64(-0.0)));
  CHECK(!plat_type_eq(&plat_type_f64, plat_w_f64(NAN), plat_w_f64(NAN)));
  CHECK(plat_type_eq(&plat_type_i8, 0x1FF, (plat_word)-1));
  CHECK(plat_hash_i64(5) == plat_hash_i64(5) && plat_hash_i64(5) != plat_hash_i64(6));
  /* the descriptors' own hash/eq (used by compiler-made descriptors) agree
   * with the table's normalisation */
  CHECK(plat_type_i8.hash(0xFF) == plat_hash_i64(-1) && plat_type_i8.eq(0x1FF, (plat_word)-1));
  CHECK(plat_type_i32.hash(0xFFFFFFFFULL) == plat_type_i64.hash((plat_word)-1));
  CHECK(plat_type_bool.hash(0x101) == plat_type_bool.hash(1) && !plat_type_bool.eq(0, 1));
  CHECK(plat_type_str.hash(W("ab")) == plat_hash_str(S("ab")) && plat_type_str.eq(W("ab"), W("ab")));
  CHECK(plat_hash_str(S("abc")) == plat_hash_bytes("abc", 3));
  CHECK(plat_hash_bytes("", 0) != plat_hash_bytes("\0", 1));
  CHECK(plat_hash_bytes("abcdefghijklmnopq", 17) != plat_hash_bytes("abcdefghijklmnopr", 17));
  CHECK(plat_hash_combine(1, 2) != plat_hash_combine(2, 1));
  int x;
  CHECK(plat_hash_ptr(&x) == plat_hash_ptr(&x) && plat_hash_ptr(&x) != plat_hash_ptr(&x + 1));
  plat_sb sb;
  plat_sb_init(&sb);
  plat_type_bool.write(&sb, 1);
  plat_sb_add(&sb, " ", 1);
  plat_type_i8.write(&sb, 0xFF);
  plat_sb_add(&sb, " ", 1);
  plat_type_i64.write(&sb, (plat_word)INT64_MIN);
  plat_sb_add(&sb, " ", 1);
  plat_type_f64.write(&sb, plat_w_f64(2.0));
  plat_sb_add(&sb, " ", 1);
  plat_type_f32.write(&sb, plat_w_f32(0.1f));
  plat_sb_add(&sb, " ", 1);
  plat_type_str.write(&sb, W("hi"));
  CHECK_STR(plat_sb_finish(&sb), "true -1 -9223372036854775808 2.0 0.1 \"hi\"");
}

static void quoting(void)
{
  CHECK_STR(plat_str_quote(S("")), "\"\"");
  CHECK_STR(plat_str_quote(S("a\"b\\c")), "\"a\\\"b\\\\c\"");
  CHECK_STR(plat_str_quote(S("l1\nl2\tx\ry")), "\"l1\\nl2\\tx\\ry\"");
  CHECK_STR(plat_str_quote(S("\x01\x1b\x7f")), "\"\\u{1}\\u{1B}\\u{7F}\"");
  CHECK_STR(plat_str_quote(plat_str_new("a\0b", 3)), "\"a\\u{0}b\"");
  CHECK_STR(plat_str_quote(S("\xc2\x85 caf\xc3\xa9 \xe2\x82\xac $x")), "\"\\u{85} caf\xc3\xa9 \xe2\x82\xac $x\"");
  CHECK_STR(plat_str_quote(S("bad\xff byte")), "\"bad\xff byte\"");   /* kept as is */
  plat_sb sb;
  plat_sb_init(&sb);
  for (int i = 0; i < 1000; i++) plat_sb_add_cstr(&sb, "0123456789");
  CHECK(plat_sb_finish(&sb)->len == 10000);
}

static void basic_dict(void)
{
  plat_dict *d = plat_dict_new(&plat_type_str, &plat_type_i32, L);
  plat_word v = 77;
  CHECK(plat_dict_length(d) == 0 && plat_dict_is_empty(d));
  CHECK(!plat_dict_get(d, W("ada"), &v, L) && v == 77);
  CHECK(!plat_dict_remove(d, W("ada"), &v, L) && v == 77);
  CHECK(plat_dict_get_or(d, W("ada"), 5, L) == 5);
  CHECK(!plat_dict_insert(d, W("ada"), 36, &v, L) && v == 77);
  CHECK(!plat_dict_insert(d, W("alan"), 41, NULL, L));
  CHECK(plat_dict_length(d) == 2 && !plat_dict_is_empty(d));
  CHECK(plat_dict_get(d, W("ada"), &v, L) && v == 36);
  CHECK(plat_dict_insert(d, W("ada"), (plat_word)-3, &v, L) && v == 36);    /* previous value */
  CHECK(plat_dict_get(d, W("ada"), &v, L) && plat_i64_w(v) == -3);          /* Int32 sign-extended */
  CHECK(plat_dict_get_or(d, W("alan"), 0, L) == 41);
  CHECK(plat_dict_has_key(d, W("alan"), L) && !plat_dict_has_key(d, W("grace"), L));
  CHECK(plat_dict_has_value(d, 41, L) && plat_dict_has_value(d, (plat_word)-3, L));
  CHECK(plat_dict_has_value(d, 0xFFFFFFFDULL, L));      /* normalised like an Int32 */
  CHECK(!plat_dict_has_value(d, 36, L));
  CHECK_STR(plat_dict_to_string(d), "{\"ada\": -3, \"alan\": 41}");
  CHECK(plat_dict_remove(d, W("ada"), &v, L) && plat_i64_w(v) == -3);
  CHECK(!plat_dict_has_key(d, W("ada"), L) && plat_dict_length(d) == 1);
  CHECK(!plat_dict_remove(d, W("ada"), NULL, L));
  CHECK_OK(d);
  plat_dict_clear(d, L);
  CHECK(plat_dict_length(d) == 0 && !plat_dict_has_key(d, W("alan"), L));
  CHECK_STR(plat_dict_to_string(d), "{}");
  plat_dict_clear(d, L);
  CHECK(!plat_dict_insert(d, W("grace"), 85, NULL, L) && plat_dict_get_or(d, W("grace"), 0, L) == 85);
  CHECK_OK(d);
  /* the empty string and strings with NUL bytes are keys like any other */
  CHECK(!plat_dict_insert(d, W(""), 1, NULL, L));
  CHECK(!plat_dict_insert(d, plat_w_ptr(plat_str_new("a\0b", 3)), 2, NULL, L));
  CHECK(!plat_dict_insert(d, plat_w_ptr(plat_str_new("a\0c", 3)), 3, NULL, L));
  CHECK(plat_dict_get_or(d, W(""), 0, L) == 1 && plat_dict_get_or(d, plat_w_ptr(plat_str_new("a\0c", 3)), 0, L) == 3);
  CHECK_STR(plat_dict_to_string(d), "{\"grace\": 85, \"\": 1, \"a\\u{0}b\": 2, \"a\\u{0}c\": 3}");
}

static void order(void)
{
  plat_dict *d = plat_dict_new(&plat_type_str, &plat_type_i64, L);
  const char *names[] = { "e", "d", "c", "b", "a" };
  for (int i = 0; i < 5; i++) plat_dict_insert(d, plat_w_ptr(plat_str_cstr(names[i])), (plat_word)i, NULL, L);
  CHECK_STR(keys_str(d), "e,d,c,b,a");
  plat_dict_insert(d, W("c"), 100, NULL, L);                 /* replacing keeps the place */
  CHECK_STR(keys_str(d), "e,d,c,b,a");
  plat_dict_remove(d, W("d"), NULL, L);
  plat_dict_insert(d, W("d"), 7, NULL, L);                   /* removed then re-inserted: last */
  CHECK_STR(keys_str(d), "e,c,b,a,d");
  plat_list *vals = plat_dict_values(d, L);
  plat_word want[] = { 0, 100, 3, 4, 7 };
  CHECK(vals->len == 5 && memcmp(vals->items, want, sizeof want) == 0);
  /* the order survives growth and compaction */
  for (int i = 0; i < 1000; i++) plat_dict_insert(d, plat_w_ptr(plat_str_fmt("k%d", i)), (plat_word)i, NULL, L);
  for (int i = 0; i < 1000; i += 2) plat_dict_remove(d, plat_w_ptr(plat_str_fmt("k%d", i)), NULL, L);
  plat_dict_remove(d, W("e"), NULL, L);
  for (int i = 0; i < 3000; i++) {                            /* churn forces rebuilds */
    plat_dict_insert(d, plat_w_ptr(plat_str_fmt("t%d", i)), 1, NULL, L);
    plat_dict_remove(d, plat_w_ptr(plat_str_fmt("t%d", i)), NULL, L);
  }
  CHECK_OK(d);
  plat_list *ks = plat_dict_keys(d, L);
  CHECK(ks->len == 4 + 500);
  CHECK_STR(STRW(ks->items[0]), "c");
  CHECK_STR(STRW(ks->items[3]), "d");
  CHECK_STR(STRW(ks->items[4]), "k1");
  CHECK_STR(STRW(ks->items[503]), "k999");
  plat_dict_stats st;
  plat_dict_stats_of(d, &st);
  CHECK(st.cap < 2000);                                       /* compacted, not grown by the churn */
}

static void int_keys(void)
{
  plat_dict *d = plat_dict_new(&plat_type_i64, &plat_type_i64, L);
  enum { N = 100000 };
  int bad = 0;
  for (int64_t i = 0; i < N; i++)
    if (plat_dict_insert(d, plat_w_i64(i * 7919 - 50000), plat_w_i64(i), NULL, L)) bad++;
  CHECK(plat_dict_length(d) == N && bad == 0);
  CHECK_OK(d);
  plat_word v;
  for (int64_t i = 0; i < N; i++)
    if (!plat_dict_get(d, plat_w_i64(i * 7919 - 50000), &v, L) || plat_i64_w(v) != i) bad++;
  for (int64_t i = 0; i < N; i++)
    if (plat_dict_has_key(d, plat_w_i64(i * 7919 - 49999), L)) bad++;
  CHECK(bad == 0);
  for (int64_t i = 0; i < N; i += 3) if (!plat_dict_remove(d, plat_w_i64(i * 7919 - 50000), NULL, L)) bad++;
  CHECK(bad == 0 && plat_dict_length(d) == N - (N + 2) / 3);
  CHECK_OK(d);
  plat_dict_stats st;
  plat_dict_stats_of(d, &st);
  CHECK(st.pointer_free && st.stride == 16 && st.slot_width == 4);
  /* removing nearly everything then inserting shrinks the table */
  for (int64_t i = 0; i < N; i++) plat_dict_remove(d, plat_w_i64(i * 7919 - 50000), NULL, L);
  CHECK(plat_dict_length(d) == 0);
  for (int64_t i = 0; i < 100; i++) plat_dict_insert(d, plat_w_i64(i), 0, NULL, L);
  int64_t before = st.cap;
  for (int64_t i = 0; i < st.cap; i++) { plat_dict_insert(d, plat_w_i64(-1 - i), 0, NULL, L); plat_dict_remove(d, plat_w_i64(-1 - i), NULL, L); }
  plat_dict_stats_of(d, &st);
  CHECK(st.cap < before / 100 && plat_dict_length(d) == 100);
  CHECK_OK(d);
  /* extreme keys */
  plat_dict *e = plat_dict_new(&plat_type_i64, &plat_type_bool, L);
  int64_t ks[] = { 0, -1, INT64_MIN, INT64_MAX, 1 };
  for (int i = 0; i < 5; i++) plat_dict_insert(e, plat_w_i64(ks[i]), i & 1, NULL, L);
  CHECK_STR(plat_dict_to_string(e), "{0: false, -1: true, -9223372036854775808: false, 9223372036854775807: true, 1: false}");
}

static void narrow_keys(void)
{
  /* Int8 keys: every value, negatives, words with stray high bits */
  plat_dict *d = plat_dict_new(&plat_type_i8, &plat_type_i16, L);
  for (int i = -128; i < 128; i++) plat_dict_insert(d, plat_w_i64(i), plat_w_i64(i * 100), NULL, L);
  CHECK(plat_dict_length(d) == 256);
  plat_word v;
  CHECK(plat_dict_get(d, 0xFFFFFFFFFFFFFF80ULL, &v, L) && plat_i64_w(v) == -12800);
  CHECK(plat_dict_get(d, 0x1234567800000080ULL, &v, L) && plat_i64_w(v) == -12800);   /* low byte -128 */
  CHECK(plat_dict_insert(d, 0x100, 0, NULL, L) && plat_dict_length(d) == 256);   /* 0x100 is Int8 0 */
  plat_dict_stats st;
  plat_dict_stats_of(d, &st);
  CHECK(st.stride == 4 && st.pointer_free);
  CHECK_OK(d);
  plat_list *ks = plat_dict_keys(d, L);
  CHECK(plat_i64_w(ks->items[0]) == -128 && plat_i64_w(ks->items[255]) == 127);
  /* Bool keys, Int32 keys and Float values */
  plat_dict *b = plat_dict_new(&plat_type_bool, &plat_type_f64, L);
  plat_dict_insert(b, 1, plat_w_f64(0.5), NULL, L);
  plat_dict_insert(b, 0, plat_w_f64(-0.0), NULL, L);
  plat_dict_insert(b, 0x100, plat_w_f64(1.5), NULL, L);       /* stray high bits: low byte 0 = false */
  CHECK(plat_dict_length(b) == 2);
  CHECK_STR(plat_dict_to_string(b), "{true: 0.5, false: 1.5}");
  CHECK(plat_dict_has_value(b, plat_w_f64(1.5), L) && !plat_dict_has_value(b, plat_w_f64(-0.0), L));
  plat_dict *f = plat_dict_new(&plat_type_i32, &plat_type_f32, L);
  plat_dict_insert(f, plat_w_i64(-7), plat_w_f32(NAN), NULL, L);
  plat_dict_insert(f, plat_w_i64(8), plat_w_f32(-0.0f), NULL, L);
  CHECK(!plat_dict_has_value(f, plat_w_f32(NAN), L));          /* NaN != NaN */
  CHECK(plat_dict_has_value(f, plat_w_f32(0.0f), L));           /* 0.0 == -0.0 */
  CHECK(plat_dict_get(f, plat_w_i64(8), &v, L) && v == plat_w_f32(-0.0f));
  CHECK_STR(plat_dict_to_string(f), "{-7: NaN, 8: -0.0}");
  plat_dict_stats_of(f, &st);
  CHECK(st.stride == 8);
}

/* A key type described by the "compiler": boxed pairs with a chosen
 * hash (constant: every key collides) and structural equality. */
typedef struct { int64_t a, b; } pair;
static int pair_hash_mode;
static uint64_t pair_hash(plat_word w)
{
  pair *p = plat_ptr_w(w);
  if (pair_hash_mode == 1) return 42;                               /* everything collides */
  if (pair_hash_mode == 2) return (uint64_t)p->a << 40;             /* only high bits differ */
  return plat_hash_combine(plat_hash_i64(p->a), plat_hash_i64(p->b));
}
static bool pair_eq(plat_word x, plat_word y)
{
  pair *p = plat_ptr_w(x), *q = plat_ptr_w(y);
  return p->a == q->a && p->b == q->b;
}
static void pair_write(plat_sb *sb, plat_word w)
{
  pair *p = plat_ptr_w(w);
  plat_sb_add_cstr(sb, "P(");
  plat_sb_add_i64(sb, p->a);
  plat_sb_add_cstr(sb, ", ");
  plat_sb_add_i64(sb, p->b);
  plat_sb_add_cstr(sb, ")");
}
static const plat_type pair_type = { .name = "Pair", .size = 8, .kind = PLAT_TK_OTHER,
                                     .flags = PLAT_TF_POINTER, .hash = pair_hash, .eq = pair_eq,
                                     .write = pair_write };
static plat_word mkpair(int64_t a, int64_t b)
{
  pair *p = plat_alloc(sizeof *p);
  p->a = a;
  p->b = b;
  return plat_w_ptr(p);
}

static void custom_keys(void)
{
  for (pair_hash_mode = 0; pair_hash_mode < 3; pair_hash_mode++) {
    plat_dict *d = plat_dict_new(&pair_type, &plat_type_str, L);
    for (int i = 0; i < 300; i++) plat_dict_insert(d, mkpair(i, -i), plat_w_ptr(plat_str_fmt("v%d", i)), NULL, L);
    for (int i = 0; i < 300; i += 2) plat_dict_remove(d, mkpair(i, -i), NULL, L);
    int bad = 0;
    for (int i = 0; i < 300; i++) {
      plat_word v;
      bool has = plat_dict_get(d, mkpair(i, -i), &v, L);
      if (has != (i % 2 == 1) || (has && !plat_str_eq(STRW(v), plat_str_fmt("v%d", i)))) bad++;
      if (plat_dict_has_key(d, mkpair(i, i + 1), L)) bad++;
    }
    CHECK(bad == 0 && plat_dict_length(d) == 150);
    CHECK_OK(d);
  }
  pair_hash_mode = 0;
  plat_dict *d = plat_dict_new(&pair_type, &plat_type_i64, L);
  plat_dict_insert(d, mkpair(1, 2), 3, NULL, L);
  CHECK_STR(plat_dict_to_string(d), "{P(1, 2): 3}");
  plat_set *s = plat_set_new(&pair_type, L);
  CHECK(plat_set_add(s, mkpair(1, 2), L) && !plat_set_add(s, mkpair(1, 2), L));
  CHECK_STR(plat_set_to_string(s), "{P(1, 2)}");
}

static void merge_eq(void)
{
  plat_word kv1[] = { W("a"), 1, W("b"), 2, W("c"), 3 };
  plat_word kv2[] = { W("d"), 4, W("b"), 20, W("e"), 5 };
  plat_dict *a = plat_dict_of(&plat_type_str, &plat_type_i32, 3, kv1, L);
  plat_dict *b = plat_dict_of(&plat_type_str, &plat_type_i32, 3, kv2, L);
  plat_dict_merge(a, b, L);
  CHECK_STR(plat_dict_to_string(a), "{\"a\": 1, \"b\": 20, \"c\": 3, \"d\": 4, \"e\": 5}");
  CHECK_STR(plat_dict_to_string(b), "{\"d\": 4, \"b\": 20, \"e\": 5}");
  plat_dict_merge(a, a, L);
  CHECK(plat_dict_length(a) == 5);
  plat_dict_merge(a, plat_dict_new(&plat_type_str, &plat_type_i32, L), L);
  CHECK(plat_dict_length(a) == 5);
  /* literal with a repeated key: first place, last value */
  plat_word kv3[] = { W("x"), 1, W("y"), 2, W("x"), 3 };
  plat_dict *c = plat_dict_of(&plat_type_str, &plat_type_i32, 3, kv3, L);
  CHECK_STR(plat_dict_to_string(c), "{\"x\": 3, \"y\": 2}");
  /* equality ignores order, compares values */
  plat_word kv4[] = { W("y"), 2, W("x"), 3 };
  plat_dict *c2 = plat_dict_of(&plat_type_str, &plat_type_i32, 2, kv4, L);
  CHECK(plat_dict_eq(c, c2) && plat_dict_eq(c2, c) && plat_dict_eq(c, c));
  plat_dict_insert(c2, W("x"), 4, NULL, L);
  CHECK(!plat_dict_eq(c, c2));
  plat_dict_insert(c2, W("x"), 3, NULL, L);
  plat_dict_insert(c2, W("z"), 3, NULL, L);
  CHECK(!plat_dict_eq(c, c2) && !plat_dict_eq(c2, c));
  plat_dict_remove(c2, W("z"), NULL, L);
  CHECK(plat_dict_eq(c, c2));
  CHECK(plat_dict_eq(plat_dict_new(&plat_type_i64, &plat_type_i64, L), plat_dict_new(&plat_type_i64, &plat_type_i64, L)));
  /* float values: NaN makes a dict unequal even to an identical one */
  plat_dict *f1 = plat_dict_new(&plat_type_i64, &plat_type_f64, L), *f2 = plat_dict_new(&plat_type_i64, &plat_type_f64, L);
  plat_dict_insert(f1, 1, plat_w_f64(NAN), NULL, L);
  plat_dict_insert(f2, 1, plat_w_f64(NAN), NULL, L);
  CHECK(!plat_dict_eq(f1, f2));
  /* dicts as values: structural equality and printing */
  plat_dict *inner1 = plat_dict_new(&plat_type_i64, &plat_type_bool, L), *inner2 = plat_dict_new(&plat_type_i64, &plat_type_bool, L);
  plat_dict_insert(inner1, 1, 1, NULL, L);
  plat_dict_insert(inner2, 1, 1, NULL, L);
  plat_dict *o1 = plat_dict_new(&plat_type_str, &plat_type_dict, L), *o2 = plat_dict_new(&plat_type_str, &plat_type_dict, L);
  plat_dict_insert(o1, W("x"), plat_w_ptr(inner1), NULL, L);
  plat_dict_insert(o2, W("x"), plat_w_ptr(inner2), NULL, L);
  CHECK(plat_dict_eq(o1, o2));
  CHECK_STR(plat_dict_to_string(o1), "{\"x\": {1: true}}");
  plat_dict_insert(inner2, 2, 0, NULL, L);
  CHECK(!plat_dict_eq(o1, o2));
  plat_set *ss = plat_set_new(&plat_type_str, L);
  plat_set_add(ss, W("q\""), L);
  plat_dict *o3 = plat_dict_new(&plat_type_i8, &plat_type_set, L);
  plat_dict_insert(o3, 1, plat_w_ptr(ss), NULL, L);
  plat_dict_insert(o3, 2, plat_w_ptr(plat_set_new(&plat_type_str, L)), NULL, L);
  CHECK_STR(plat_dict_to_string(o3), "{1: {\"q\\\"\"}, 2: {}}");
}

static plat_set *iset(int n, const int64_t *xs)
{
  plat_set *s = plat_set_new(&plat_type_i64, L);
  for (int i = 0; i < n; i++) plat_set_add(s, plat_w_i64(xs[i]), L);
  return s;
}

static void sets(void)
{
  plat_set *s = plat_set_new(&plat_type_i64, L);
  CHECK(plat_set_is_empty(s) && plat_set_length(s) == 0);
  CHECK(plat_set_add(s, 3, L) && plat_set_add(s, 1, L) && !plat_set_add(s, 3, L) && plat_set_add(s, 2, L));
  CHECK(plat_set_length(s) == 3 && plat_set_contains(s, 1, L) && !plat_set_contains(s, 4, L));
  CHECK_STR(plat_set_to_string(s), "{3, 1, 2}");
  CHECK(plat_set_remove(s, 1, L) && !plat_set_remove(s, 1, L) && !plat_set_contains(s, 1, L));
  CHECK(plat_set_add(s, 1, L));
  CHECK_STR(plat_set_to_string(s), "{3, 2, 1}");
  plat_list *l = plat_set_to_list(s, L);
  CHECK(l->len == 3 && l->items[0] == 3 && l->items[2] == 1);
  plat_dict_stats st;
  plat_dict_stats_of(s, &st);
  CHECK(st.stride == 8 && st.pointer_free);
  plat_set_clear(s, L);
  CHECK(plat_set_is_empty(s) && !plat_set_contains(s, 3, L));
  CHECK_STR(plat_set_to_string(s), "{}");

  int64_t av[] = { 5, 1, 4, 2 }, bv[] = { 2, 6, 5, 7 };
  plat_set *a = iset(4, av), *b = iset(4, bv), *e = plat_set_new(&plat_type_i64, L);
  CHECK_STR(plat_set_to_string(plat_set_union(a, b, L)), "{5, 1, 4, 2, 6, 7}");
  CHECK_STR(plat_set_to_string(plat_set_union(b, a, L)), "{2, 6, 5, 7, 1, 4}");
  CHECK_STR(plat_set_to_string(plat_set_intersection(a, b, L)), "{5, 2}");
  CHECK_STR(plat_set_to_string(plat_set_intersection(b, a, L)), "{2, 5}");
  CHECK_STR(plat_set_to_string(plat_set_difference(a, b, L)), "{1, 4}");
  CHECK_STR(plat_set_to_string(plat_set_difference(b, a, L)), "{6, 7}");
  CHECK_STR(plat_set_to_string(plat_set_union(e, e, L)), "{}");
  CHECK_STR(plat_set_to_string(plat_set_union(a, a, L)), "{5, 1, 4, 2}");
  CHECK_STR(plat_set_to_string(plat_set_intersection(a, e, L)), "{}");
  CHECK_STR(plat_set_to_string(plat_set_difference(a, e, L)), "{5, 1, 4, 2}");
  CHECK_STR(plat_set_to_string(a), "{5, 1, 4, 2}");          /* operands unchanged */
  int64_t cv[] = { 4, 5 };
  plat_set *c = iset(2, cv);
  CHECK(plat_set_is_subset_of(c, a, L) && !plat_set_is_subset_of(a, c, L) && plat_set_is_subset_of(a, a, L));
  CHECK(plat_set_is_superset_of(a, c, L) && !plat_set_is_superset_of(c, a, L));
  CHECK(plat_set_is_subset_of(e, a, L) && plat_set_is_subset_of(e, e, L) && !plat_set_is_subset_of(a, e, L));
  CHECK(!plat_set_is_disjoint_from(a, b, L) && !plat_set_is_disjoint_from(b, a, L));
  CHECK(plat_set_is_disjoint_from(c, iset(4, bv + 0) /* 2 6 5 7 */, L) == false);
  int64_t dv[] = { 8, 9, 10 };
  CHECK(plat_set_is_disjoint_from(a, iset(3, dv), L) && plat_set_is_disjoint_from(iset(3, dv), a, L));
  CHECK(plat_set_is_disjoint_from(e, e, L) && plat_set_is_disjoint_from(a, e, L));
  CHECK(plat_set_eq(iset(2, cv), c) && !plat_set_eq(a, c) && plat_set_eq(e, plat_set_new(&plat_type_i64, L)));
  int64_t cv2[] = { 5, 4 };
  CHECK(plat_set_eq(iset(2, cv2), c));

  /* from_list: duplicates dropped, first occurrence order */
  plat_word xs[] = { W("b"), W("a"), W("b"), W("c"), W("a") };
  plat_set *fs = plat_set_from_list(&plat_type_str, plat_list_of(5, xs), L);
  CHECK_STR(plat_set_to_string(fs), "{\"b\", \"a\", \"c\"}");
  CHECK(plat_set_length(plat_set_from_list(&plat_type_str, plat_list_new(0), L)) == 0);
  /* string sets: the operations reuse stored hashes */
  plat_word ys[] = { W("c"), W("d") };
  plat_set *gs = plat_set_from_list(&plat_type_str, plat_list_of(2, ys), L);
  CHECK_STR(plat_set_to_string(plat_set_union(fs, gs, L)), "{\"b\", \"a\", \"c\", \"d\"}");
  CHECK_STR(plat_set_to_string(plat_set_intersection(fs, gs, L)), "{\"c\"}");
  CHECK_STR(plat_set_to_string(plat_set_difference(gs, fs, L)), "{\"d\"}");
  /* large operations keep order and invariants */
  plat_set *big1 = plat_set_new(&plat_type_i32, L), *big2 = plat_set_new(&plat_type_i32, L);
  for (int i = 0; i < 20000; i++) { plat_set_add(big1, plat_w_i64(i), L); plat_set_add(big2, plat_w_i64(i + 10000), L); }
  plat_set *u = plat_set_union(big1, big2, L), *in = plat_set_intersection(big2, big1, L);
  CHECK(plat_set_length(u) == 30000 && plat_set_length(in) == 10000);
  CHECK_OK(u);
  CHECK_OK(in);
  plat_list *ul = plat_set_to_list(u, L), *il = plat_set_to_list(in, L);
  int bad = 0;
  for (int i = 0; i < 30000; i++) if (plat_i64_w(ul->items[i]) != i) bad++;
  for (int i = 0; i < 10000; i++) if (plat_i64_w(il->items[i]) != i + 10000) bad++;
  CHECK(bad == 0);
}

/* ---- iteration ---- */
static void iteration(void)
{
  plat_dict *d = plat_dict_new(&plat_type_str, &plat_type_i32, L);
  plat_dict_iter it;
  plat_word k, v;
  plat_dict_iter_init(&it, d);
  CHECK(!plat_dict_iter_next(&it, &k, &v, L));
  for (int i = 0; i < 10; i++) plat_dict_insert(d, plat_w_ptr(plat_str_fmt("%d", i)), plat_w_i64(i), NULL, L);
  plat_dict_remove(d, W("4"), NULL, L);
  plat_dict_iter_init(&it, d);
  int n = 0, bad = 0;
  while (plat_dict_iter_next(&it, &k, &v, L)) {
    int want = n < 4 ? n : n + 1;
    if (!plat_str_eq(STRW(k), plat_str_fmt("%d", want)) || plat_i64_w(v) != want) bad++;
    plat_dict_insert(d, k, plat_w_i64(plat_i64_w(v) * 10), NULL, L);   /* replacing is allowed */
    n++;
  }
  CHECK(n == 9 && bad == 0);
  CHECK(plat_dict_get_or(d, W("9"), 0, L) == 90);
  CHECK(!plat_dict_iter_next(&it, &k, &v, L));                 /* stays finished */
  /* value replaced ahead of the cursor: the loop sees the new value */
  plat_dict_iter_init(&it, d);
  plat_dict_iter_next(&it, &k, &v, L);
  plat_dict_insert(d, W("1"), 555, NULL, L);
  plat_dict_iter_next(&it, &k, &v, L);
  CHECK(v == 555);
  /* keys only */
  plat_dict_iter_init(&it, d);
  n = 0;
  while (plat_dict_iter_next(&it, &k, NULL, L)) n++;
  CHECK(n == 9);
  /* sets */
  int64_t xs[] = { 9, 8, 7 };
  plat_set *s = iset(3, xs);
  plat_dict_iter_init(&it, s);
  plat_word x, got[3];
  n = 0;
  while (plat_set_iter_next(&it, &x, L)) {
    got[n++] = x;
    CHECK(!plat_set_add(s, x, L));                            /* adding a present element is no change */
  }
  CHECK(n == 3 && got[0] == 9 && got[1] == 8 && got[2] == 7);
}

static plat_dict *loop_dict;
static plat_set *loop_set;
/* A task looping over COLL (the loop is at loop.plat:LINE) that runs
 * BODY at every step, with the key in k, the value in v, the step in n. */
#define LOOP_TASK(name, coll, line, body)                                   \
  static uint64_t name(void *env)                                          \
  {                                                                        \
    (void)env;                                                             \
    plat_dict_iter it;                                                     \
    plat_word k, v;                                                        \
    int n = 0;                                                             \
    plat_dict_iter_init(&it, (coll));                                      \
    while (plat_dict_iter_next(&it, &k, &v, "loop.plat", (line))) {        \
      n++;                                                                 \
      body;                                                                \
    }                                                                      \
    return (uint64_t)n;                                                    \
  }
LOOP_TASK(add_in_loop, loop_dict, 7, plat_dict_insert(loop_dict, W("new"), 1, NULL, L))
LOOP_TASK(remove_in_loop, loop_dict, 9, plat_dict_remove(loop_dict, k, NULL, L))
LOOP_TASK(clear_in_loop, loop_dict, 11, plat_dict_clear(loop_dict, L))
/* remove + re-insert of the same key: two changes, still a panic */
LOOP_TASK(readd_in_loop, loop_dict, 13,
          plat_dict_remove(loop_dict, k, NULL, L); plat_dict_insert(loop_dict, k, v, NULL, L))
/* the last step of a loop adds: the panic comes at the check for more */
LOOP_TASK(add_at_end, loop_set, 15, if (n == plat_set_length(loop_set)) plat_set_add(loop_set, plat_w_i64(1000), L))
LOOP_TASK(set_remove_in_loop, loop_set, 17, plat_set_remove(loop_set, k, L))

static void modification_in_loop(void)
{
  loop_dict = plat_dict_new(&plat_type_str, &plat_type_i32, L);
  plat_dict_insert(loop_dict, W("a"), 1, NULL, L);
  plat_dict_insert(loop_dict, W("b"), 2, NULL, L);
  CHECK_PANIC(add_in_loop, NULL, "Dict changed during iteration: an entry was added or removed inside the loop (at loop.plat:7)");
  CHECK(plat_dict_length(loop_dict) == 3);
  CHECK_PANIC(remove_in_loop, NULL, "Dict changed during iteration: an entry was added or removed inside the loop (at loop.plat:9)");
  CHECK(plat_dict_length(loop_dict) == 2);
  CHECK_PANIC(readd_in_loop, NULL, "(at loop.plat:13)");
  CHECK_PANIC(clear_in_loop, NULL, "Dict changed during iteration");
  CHECK(plat_dict_length(loop_dict) == 0);
  CHECK_PANIC(clear_in_loop, NULL, "");                     /* empty: no step, no panic */
  CHECK(strcmp(panic_of(clear_in_loop, NULL), "") == 0);
  int64_t xs[] = { 1, 2, 3 };
  loop_set = iset(3, xs);
  CHECK_PANIC(add_at_end, NULL, "Set changed during iteration: an element was added or removed inside the loop (at loop.plat:15)");
  CHECK(plat_set_contains(loop_set, plat_w_i64(1000), L));
  CHECK_PANIC(set_remove_in_loop, NULL, "Set changed during iteration");
  CHECK_OK(loop_set);
}

/* ---- concurrent modification, deterministically ---- */
static uint64_t get_while_writing(void *env)
{
  plat_dict *d = env;
  __atomic_store_n(&d->writing, 1, __ATOMIC_RELAXED);   /* as if another task were writing */
  plat_dict_get(d, W("a"), NULL, "race.plat", 3);
  return 0;
}
static uint64_t insert_while_writing(void *env)
{
  plat_dict *d = env;
  __atomic_store_n(&d->writing, 1, __ATOMIC_RELAXED);
  plat_dict_insert(d, W("zz"), 1, NULL, "race.plat", 4);
  return 0;
}
static uint64_t iterate_while_writing(void *env)
{
  plat_dict *d = env;
  plat_dict_iter it;
  plat_word k;
  plat_dict_iter_init(&it, d);
  __atomic_store_n(&d->writing, 1, __ATOMIC_RELAXED);
  plat_dict_iter_next(&it, &k, NULL, "race.plat", 5);
  return 0;
}

/* A key whose equality lets "another task" change the dict between a
 * mutation's lookup and its write section. */
static plat_dict *sneaky_target;
static int sneaks;
static bool sneaky_eq(plat_word x, plat_word y)
{
  if (sneaky_target) {
    plat_dict *d = sneaky_target;
    sneaky_target = NULL;
    plat_dict_insert(d, mkpair(-99, -99 - sneaks++), 0, NULL, L);
  }
  return pair_eq(x, y);
}
static const plat_type sneaky_type = { .name = "Sneaky", .size = 8, .kind = PLAT_TK_OTHER,
                                       .flags = PLAT_TF_POINTER, .hash = pair_hash, .eq = sneaky_eq,
                                       .write = pair_write };
static uint64_t insert_after_sneak(void *env)
{
  plat_dict *d = env;
  sneaky_target = d;
  plat_dict_insert(d, mkpair(1, 1), 5, NULL, "race.plat", 6);
  return 0;
}
static uint64_t remove_after_sneak(void *env)
{
  plat_dict *d = env;
  sneaky_target = d;
  plat_dict_remove(d, mkpair(1, 1), NULL, "race.plat", 7);
  return 0;
}

static void concurrent_detection(void)
{
  plat_dict *d = plat_dict_new(&plat_type_str, &plat_type_i32, L);
  plat_dict_insert(d, W("a"), 1, NULL, L);
  CHECK_PANIC(get_while_writing, d, "concurrent modification of a Dict: two tasks used it at the same time without synchronisation (at race.plat:3)");
  d->writing = 0;
  CHECK_PANIC(insert_while_writing, d, "concurrent modification of a Dict: two tasks used it at the same time without synchronisation (at race.plat:4)");
  CHECK(d->writing == 1);                                     /* the flag stays the other writer's */
  d->writing = 0;
  CHECK(!plat_dict_has_key(d, W("zz"), L) && plat_dict_length(d) == 1);
  CHECK_PANIC(iterate_while_writing, d, "(at race.plat:5)");
  d->writing = 0;
  plat_set *s = plat_set_new(&plat_type_i64, L);
  CHECK_PANIC(get_while_writing, s, "concurrent modification of a Set");
  s->writing = 0;
  /* a change between lookup and write section */
  pair_hash_mode = 1;                                         /* every probe compares keys */
  plat_dict *q = plat_dict_new(&sneaky_type, &plat_type_i64, L);
  plat_dict_insert(q, mkpair(1, 1), 1, NULL, L);
  plat_dict_insert(q, mkpair(2, 2), 2, NULL, L);
  CHECK_PANIC(insert_after_sneak, q, "concurrent modification of a Dict: two tasks used it at the same time without synchronisation (at race.plat:6)");
  CHECK(q->writing == 0);                                     /* released by the one that saw it */
  CHECK(plat_dict_length(q) == 3 && plat_dict_get_or(q, mkpair(1, 1), 0, L) == 1);
  CHECK_PANIC(remove_after_sneak, q, "(at race.plat:7)");
  CHECK(plat_dict_length(q) == 4 && plat_dict_has_key(q, mkpair(1, 1), L));
  CHECK_OK(q);
  pair_hash_mode = 0;
}

/* ---- bad input ---- */
static const plat_type no_hash_type = { .name = "Widget", .size = 8, .kind = PLAT_TK_OTHER,
                                        .flags = PLAT_TF_POINTER, .eq = pair_eq, .write = pair_write };
static const plat_type bad_size_type = { .name = "Odd", .size = 3, .kind = PLAT_TK_INT };
static uint64_t float_key(void *env) { (void)env; plat_dict_new(&plat_type_f64, &plat_type_i64, "bad.plat", 1); return 0; }
static uint64_t float_elem(void *env) { (void)env; plat_set_new(&plat_type_f32, "bad.plat", 2); return 0; }
static uint64_t dict_key(void *env) { (void)env; plat_set_new(&plat_type_dict, "bad.plat", 3); return 0; }
static uint64_t widget_key(void *env) { (void)env; plat_dict_new(&no_hash_type, &plat_type_i64, "bad.plat", 4); return 0; }
static uint64_t odd_size(void *env) { (void)env; plat_dict_new(&plat_type_i64, &bad_size_type, "bad.plat", 5); return 0; }
static uint64_t no_value(void *env) { (void)env; plat_dict_new(&plat_type_i64, NULL, "bad.plat", 6); return 0; }
static uint64_t too_large(void *env)
{
  (void)env;
  plat_list fake = { .len = (int64_t)PLAT_DICT_MAX + 1, .cap = 0, .items = NULL };
  plat_set_from_list(&plat_type_i64, &fake, "bad.plat", 7);
  return 0;
}

static void bad_input(void)
{
  CHECK_PANIC(float_key, NULL, "Float64 cannot be a Dict key (at bad.plat:1)");
  CHECK_PANIC(float_elem, NULL, "Float32 cannot be a Set element (at bad.plat:2)");
  CHECK_PANIC(dict_key, NULL, "Dict cannot be a Set element (at bad.plat:3)");
  CHECK_PANIC(widget_key, NULL, "Widget cannot be a Dict key (at bad.plat:4)");
  CHECK_PANIC(odd_size, NULL, "invalid type descriptor for a Dict (at bad.plat:5)");
  CHECK_PANIC(no_value, NULL, "invalid type descriptor for a Dict value (at bad.plat:6)");
  CHECK_PANIC(too_large, NULL, "Set too large: more than 1073741824 entries (at bad.plat:7)");
}

static void run(void)
{
  descriptors();
  quoting();
  basic_dict();
  order();
  int_keys();
  narrow_keys();
  custom_keys();
  merge_eq();
  sets();
  iteration();
  modification_in_loop();
  concurrent_detection();
  bad_input();
}
VTEST_MAIN
