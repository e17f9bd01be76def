/* test_dict_model.c -- property test: random operations on Dict<Int64,
 * Int64>, Dict<String, Int32> and Set<Int64>, each compared with a simple
 * reference model (an array in insertion order, searched linearly) after
 * every operation: every result, the length, and at intervals the whole
 * order (keys, values, iteration, printing) and the table's invariants.
 * Many seeds, key ranges from tiny (constant collisions of the same keys)
 * to large (growth, compaction, shrinking).  A failure names the seed. */
#include "vtest.h"
#include "plat_dict.h"

#define L __FILE__, __LINE__

typedef struct { int64_t k, v; } mentry;
typedef struct { mentry *e; int n, cap; } model;

static uint64_t rng;
static uint64_t rnd(void)
{
  uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static int64_t below(int64_t n) { return (int64_t)(rnd() % (uint64_t)n); }

static int m_find(const model *m, int64_t k)
{
  for (int i = 0; i < m->n; i++) if (m->e[i].k == k) return i;
  return -1;
}
static bool m_insert(model *m, int64_t k, int64_t v, int64_t *old)
{
  int i = m_find(m, k);
  if (i >= 0) { *old = m->e[i].v; m->e[i].v = v; return true; }
  if (m->n == m->cap) {
    m->cap = m->cap ? m->cap * 2 : 16;
    mentry *e = plat_alloc_atomic((size_t)m->cap * sizeof *e);
    if (m->n) memcpy(e, m->e, (size_t)m->n * sizeof *e);
    m->e = e;
  }
  m->e[m->n++] = (mentry){ k, v };
  return false;
}
static bool m_remove(model *m, int64_t k, int64_t *old)
{
  int i = m_find(m, k);
  if (i < 0) return false;
  *old = m->e[i].v;
  memmove(m->e + i, m->e + i + 1, (size_t)(m->n - i - 1) * sizeof *m->e);
  m->n--;
  return true;
}

static int64_t seed_now;
static int failures;
#define EXPECT(c)                                                                        \
  do {                                                                                   \
    vt_checks++;                                                                         \
    if (!(c)) {                                                                          \
      vt_failed++;                                                                       \
      if (failures++ < 20) fprintf(stderr, "%s:%d: seed %lld: %s\n", __FILE__, __LINE__, \
                                   (long long)seed_now, #c);                             \
    }                                                                                    \
  } while (0)

/* ---- key codecs: the dict's word for model key k ---- */
static bool str_keys;
static plat_word kw(int64_t k)
{
  if (!str_keys) return plat_w_i64(k);
  switch (k % 3) {      /* short, long (> 16 bytes: the block loop), with a NUL byte */
  case 0: return plat_w_ptr(plat_str_fmt("k%lld", (long long)k));
  case 1: return plat_w_ptr(plat_str_fmt("key number %lld with a long tail", (long long)k));
  default: {
    plat_str *s = plat_str_fmt("n%lld?x", (long long)k);
    ((char *)s->data)[s->len - 2] = '\0';
    return plat_w_ptr(s);
  }
  }
}
static int64_t vw_back(plat_word w) { return str_keys ? (int64_t)(int32_t)w : plat_i64_w(w); }
/* values: Int32 range for String dicts */
static int64_t rand_val(void) { return str_keys ? (int64_t)(int32_t)rnd() : (int64_t)rnd(); }

static plat_dict *new_dict(void)
{
  return str_keys ? plat_dict_new(&plat_type_str, &plat_type_i32, L)
                  : plat_dict_new(&plat_type_i64, &plat_type_i64, L);
}

static void compare_all(plat_dict *d, const model *m)
{
  EXPECT(plat_dict_length(d) == m->n);
  const char *why = plat_dict_check(d);
  EXPECT(why == NULL);
  if (why && failures < 20) fprintf(stderr, "  invariant: %s\n", why);
  plat_list *ks = plat_dict_keys(d, L), *vs = plat_dict_values(d, L);
  bool same = ks->len == m->n && vs->len == m->n;
  for (int i = 0; same && i < m->n; i++) {
    plat_word want = kw(m->e[i].k);
    same = plat_type_eq(d->kt, ks->items[i], want) && vw_back(vs->items[i]) == m->e[i].v;
  }
  EXPECT(same);
  plat_dict_iter it;
  plat_word k, v;
  int i = 0;
  plat_dict_iter_init(&it, d);
  while (plat_dict_iter_next(&it, &k, &v, L)) {
    if (i >= m->n || !plat_type_eq(d->kt, k, kw(m->e[i].k)) || vw_back(v) != m->e[i].v) break;
    i++;
  }
  EXPECT(i == m->n && !plat_dict_iter_next(&it, &k, &v, L));
  if (!str_keys) {                                       /* printing, in the model's order */
    plat_sb sb;
    plat_sb_init(&sb);
    plat_sb_add(&sb, "{", 1);
    for (int j = 0; j < m->n; j++) {
      if (j) plat_sb_add(&sb, ", ", 2);
      plat_sb_add_i64(&sb, m->e[j].k);
      plat_sb_add(&sb, ": ", 2);
      plat_sb_add_i64(&sb, m->e[j].v);
    }
    plat_sb_add(&sb, "}", 1);
    EXPECT(plat_str_eq(plat_dict_to_string(d), plat_sb_finish(&sb)));
  }
  /* a copy built in another order is equal; changing one value is not */
  plat_dict *c = new_dict();
  for (int j = m->n - 1; j >= 0; j--) plat_dict_insert(c, kw(m->e[j].k), (plat_word)m->e[j].v, NULL, L);
  EXPECT(plat_dict_eq(d, c) && plat_dict_eq(c, d));
  if (m->n) {
    plat_dict_insert(c, kw(m->e[0].k), (plat_word)(m->e[0].v + 1), NULL, L);
    EXPECT(!plat_dict_eq(d, c));
  }
}

static void dict_run(int64_t seed, int64_t range, int ops)
{
  seed_now = seed;
  rng = (uint64_t)seed;
  plat_dict *d = new_dict();
  model m = { 0 };
  for (int op = 0; op < ops; op++) {
    int64_t k = below(range), v = rand_val(), mold;
    plat_word w = 0xDEAD;
    int r = (int)below(100);
    if (r < 40) {
      bool had = m_insert(&m, k, v, &mold);
      EXPECT(plat_dict_insert(d, kw(k), (plat_word)v, &w, L) == had);
      if (had) EXPECT(vw_back(w) == mold);
    } else if (r < 60) {
      bool had = m_remove(&m, k, &mold);
      EXPECT(plat_dict_remove(d, kw(k), &w, L) == had);
      if (had) EXPECT(vw_back(w) == mold);
    } else if (r < 75) {
      int i = m_find(&m, k);
      EXPECT(plat_dict_get(d, kw(k), &w, L) == (i >= 0));
      if (i >= 0) EXPECT(vw_back(w) == m.e[i].v);
      EXPECT(vw_back(plat_dict_get_or(d, kw(k), (plat_word)-5, L)) == (i >= 0 ? m.e[i].v : -5));
    } else if (r < 85) {
      EXPECT(plat_dict_has_key(d, kw(k), L) == (m_find(&m, k) >= 0));
    } else if (r < 90) {
      int64_t want = m.n && below(2) ? m.e[below(m.n)].v : v;
      bool has = false;
      for (int i = 0; i < m.n; i++) has |= m.e[i].v == want;
      EXPECT(plat_dict_has_value(d, (plat_word)want, L) == has);
    } else if (r < 95) {                                  /* merge a small random dict */
      plat_dict *o = new_dict();
      model mo = { 0 };
      int n = (int)below(6);
      for (int i = 0; i < n; i++) {
        int64_t ok = below(range), ov = rand_val();
        plat_dict_insert(o, kw(ok), (plat_word)ov, NULL, L);
        m_insert(&mo, ok, ov, &mold);
      }
      for (int i = 0; i < mo.n; i++) m_insert(&m, mo.e[i].k, mo.e[i].v, &mold);
      plat_dict_merge(d, o, L);
    } else if (r < 96) {
      plat_dict_clear(d, L);
      m.n = 0;
    } else {
      compare_all(d, &m);
    }
    EXPECT(plat_dict_length(d) == m.n);
  }
  compare_all(d, &m);
}

/* ---- sets ---- */
static bool m_has(const model *m, int64_t k) { return m_find(m, k) >= 0; }
static void set_matches(plat_set *s, const model *m)
{
  plat_list *l = plat_set_to_list(s, L);
  bool same = l->len == m->n && plat_set_length(s) == m->n;
  for (int i = 0; same && i < m->n; i++) same = plat_i64_w(l->items[i]) == m->e[i].k;
  EXPECT(same);
  EXPECT(plat_dict_check(s) == NULL);
}
static void random_set(plat_set **s, model *m, int64_t range, int n)
{
  *s = plat_set_new(&plat_type_i64, L);
  *m = (model){ 0 };
  int64_t old;
  for (int i = 0; i < n; i++) {
    int64_t k = below(range);
    EXPECT(plat_set_add(*s, plat_w_i64(k), L) == !m_insert(m, k, 0, &old));
    if (below(4) == 0) {
      int64_t x = below(range);
      EXPECT(plat_set_remove(*s, plat_w_i64(x), L) == m_remove(m, x, &old));
    }
  }
}
static void set_run(int64_t seed, int64_t range)
{
  seed_now = seed;
  rng = (uint64_t)seed;
  plat_set *a, *b;
  model ma, mb, mr;
  random_set(&a, &ma, range, (int)below(2 * range));
  random_set(&b, &mb, range, (int)below(2 * range));
  set_matches(a, &ma);
  int64_t old;
  mr = (model){ 0 };                                   /* union */
  for (int i = 0; i < ma.n; i++) m_insert(&mr, ma.e[i].k, 0, &old);
  for (int i = 0; i < mb.n; i++) m_insert(&mr, mb.e[i].k, 0, &old);
  set_matches(plat_set_union(a, b, L), &mr);
  mr = (model){ 0 };                                   /* intersection, difference */
  model md = { 0 };
  for (int i = 0; i < ma.n; i++) m_insert(m_has(&mb, ma.e[i].k) ? &mr : &md, ma.e[i].k, 0, &old);
  set_matches(plat_set_intersection(a, b, L), &mr);
  set_matches(plat_set_difference(a, b, L), &md);
  bool sub = true, disj = true;
  for (int i = 0; i < ma.n; i++) { sub &= m_has(&mb, ma.e[i].k); disj &= !m_has(&mb, ma.e[i].k); }
  EXPECT(plat_set_is_subset_of(a, b, L) == sub);
  EXPECT(plat_set_is_superset_of(b, a, L) == sub);
  EXPECT(plat_set_is_disjoint_from(a, b, L) == disj && plat_set_is_disjoint_from(b, a, L) == disj);
  EXPECT(plat_set_eq(a, b) == (sub && ma.n == mb.n));
  for (int i = 0; i < 20; i++) {
    int64_t x = below(range);
    EXPECT(plat_set_contains(a, plat_w_i64(x), L) == m_has(&ma, x));
  }
}

#ifdef PLAT_TSAN
enum { SCALE = 4 };     /* TSan is ~20x slower: fewer seeds, same kinds of runs */
#else
enum { SCALE = 1 };
#endif

static void run(void)
{
  static const int64_t ranges[] = { 1, 4, 16, 100, 1000, 5000 };
  int64_t seed = 1;
  for (int sk = 0; sk < 2; sk++) {
    str_keys = sk;
    for (int r = 0; r < 6; r++)
      for (int rep = 0; rep < (ranges[r] >= 1000 ? 4 : 25 / SCALE); rep++)
        dict_run(seed++, ranges[r], ranges[r] >= 1000 ? 20000 / SCALE : 1500);
  }
  for (int r = 0; r < 6; r++)
    for (int rep = 0; rep < 30 / SCALE; rep++) set_run(seed++, ranges[r]);
  fprintf(stderr, "%lld seeds\n", (long long)seed - 1);
}
VTEST_MAIN
