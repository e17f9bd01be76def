/* list.c -- List<T>: a growable array of 8-byte words.
 *
 * Invariants: 0 <= len <= cap; items[0..len) are the elements; items has
 * room for cap words (NULL only when cap == 0); items[len..cap) are zero,
 * so the collector never keeps dead objects alive through stale slots.
 * The items array is scanned GC memory, since elements may be pointers.
 *
 * Indices are int64_t; a negative index or one past the end is "out of
 * range" and yields None/false, never a crash (Python-style negative
 * indexing is not supported).  Lengths are Int32: growing a list past
 * PLAT_LIST_MAX elements panics, so length() and index_of() are exact.  Lists are not synchronised: tasks sharing
 * a list across workers must coordinate (channels, awaits).
 */
#include "plat_value.h"

plat_list *plat_list_new(int64_t cap)
{
  plat_list *l = plat_alloc(sizeof *l);
  if (cap < 0) cap = 0;
  l->cap = cap;
  l->items = cap ? plat_alloc((size_t)cap * sizeof(plat_word)) : NULL;
  return l;
}

plat_list *plat_list_of(int64_t n, const plat_word *items)
{
  plat_list *l = plat_list_new(n);
  if (n > 0) memcpy(l->items, items, (size_t)n * sizeof(plat_word));
  l->len = n > 0 ? n : 0;
  return l;
}

/* Exact: a list never grows past PLAT_LIST_MAX elements (grow). */
int32_t plat_list_length(plat_list *l) { return (int32_t)l->len; }
bool plat_list_is_empty(plat_list *l) { return l->len == 0; }

static void grow(plat_list *l, int64_t need)
{
  if (need <= l->cap) return;
  if (need > PLAT_LIST_MAX)
    plat_panicf(NULL, 0, "list too long: more than %lld elements", (long long)PLAT_LIST_MAX);
  int64_t cap = l->cap < 4 ? 4 : l->cap * 2;
  while (cap < need) cap *= 2;
  plat_word *items = plat_alloc((size_t)cap * sizeof(plat_word));
  if (l->len) memcpy(items, l->items, (size_t)l->len * sizeof(plat_word));
  l->items = items;
  l->cap = cap;
}

void plat_list_push(plat_list *l, plat_word v)
{
  grow(l, l->len + 1);
  l->items[l->len++] = v;
}

plat_enum *plat_list_pop(plat_list *l)
{
  if (l->len == 0) return plat_none();
  plat_word v = l->items[--l->len];
  l->items[l->len] = 0;
  return plat_some(v);
}

static bool in_range(plat_list *l, int64_t i) { return i >= 0 && i < l->len; }

plat_enum *plat_list_get(plat_list *l, int64_t i)
{
  return in_range(l, i) ? plat_some(l->items[i]) : plat_none();
}

bool plat_list_set(plat_list *l, int64_t i, plat_word v)
{
  if (!in_range(l, i)) return false;
  l->items[i] = v;
  return true;
}

bool plat_list_insert_at(plat_list *l, int64_t i, plat_word v)
{
  if (i < 0 || i > l->len) return false;
  grow(l, l->len + 1);
  memmove(l->items + i + 1, l->items + i, (size_t)(l->len - i) * sizeof(plat_word));
  l->items[i] = v;
  l->len++;
  return true;
}

plat_enum *plat_list_remove_at(plat_list *l, int64_t i)
{
  if (!in_range(l, i)) return plat_none();
  plat_word v = l->items[i];
  memmove(l->items + i, l->items + i + 1, (size_t)(l->len - i - 1) * sizeof(plat_word));
  l->items[--l->len] = 0;
  return plat_some(v);
}

static bool word_eq(plat_word a, plat_word b, int kind)
{
  switch (kind) {
  case PLAT_EQ_F64: return plat_f64_w(a) == plat_f64_w(b);
  case PLAT_EQ_F32: return plat_f32_w(a) == plat_f32_w(b);
  case PLAT_EQ_STR: return plat_str_eq(plat_ptr_w(a), plat_ptr_w(b));
  default: return a == b;
  }
}

static int64_t find(plat_list *l, plat_word v, int kind)
{
  for (int64_t i = 0; i < l->len; i++)
    if (word_eq(l->items[i], v, kind)) return i;
  return -1;
}

bool plat_list_contains(plat_list *l, plat_word v, int kind) { return find(l, v, kind) >= 0; }

plat_enum *plat_list_index_of(plat_list *l, plat_word v, int kind)
{
  int64_t i = find(l, v, kind);
  if (i < 0 || i > INT32_MAX) return plat_none();
  return plat_some(plat_w_i64(i));
}

plat_list *plat_list_slice(plat_list *l, int64_t start, int64_t end)
{
  if (start < 0) start = 0;
  if (end > l->len) end = l->len;
  if (end <= start) return plat_list_new(0);
  return plat_list_of(end - start, l->items + start);
}

void plat_list_clear(plat_list *l)
{
  if (l->len) memset(l->items, 0, (size_t)l->len * sizeof(plat_word));
  l->len = 0;
}

/* The joined length, or -1 past PLAT_STR_MAX (every addend is at most
 * PLAT_STR_MAX, so stopping there keeps the sum far from overflow). */
static int64_t joined_len(plat_list *l, plat_str *sep)
{
  int64_t total = 0;
  for (int64_t i = 0; i < l->len && total <= PLAT_STR_MAX; i++) {
    total += ((plat_str *)plat_ptr_w(l->items[i]))->len;
    if (i > 0) total += sep->len;
  }
  return total > PLAT_STR_MAX ? -1 : total;
}

plat_str *plat_list_join_at(plat_list *l, plat_str *sep, const char *file, int line)
{
  char *d;
  plat_str *out = plat_str_alloc_at(joined_len(l, sep), &d, file, line);
  for (int64_t i = 0; i < l->len; i++) {
    plat_str *s = plat_ptr_w(l->items[i]);
    if (i > 0) { memcpy(d, sep->data, (size_t)sep->len); d += sep->len; }
    memcpy(d, s->data, (size_t)s->len);
    d += s->len;
  }
  return out;
}

plat_str *plat_list_join(plat_list *l, plat_str *sep) { return plat_list_join_at(l, sep, NULL, 0); }
