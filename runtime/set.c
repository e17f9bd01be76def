/* set.c -- Set<T> (LANGUAGE.md 10.2): a Dict without values (dict.c).
 *
 * union, intersection and difference build a new set that no other task
 * can see yet: its elements are appended directly (they are known to be
 * distinct), reusing the stored hashes of the operands' entries when the
 * element type stores them.  Order: the receiver's elements in its order,
 * then (union) the other's new elements in the other's order.
 */
#include "dict_impl.h"

bool plat__dict_within(plat_dict *a, plat_dict *b);   /* dict_ops.c */

plat_set *plat_set_new(const plat_type *t, const char *file, int line)
{
  return plat__dict_make(t, NULL, file, line);
}

plat_set *plat_set_from_list(const plat_type *t, plat_list *xs, const char *file, int line)
{
  plat_set *s = plat_set_new(t, file, line);
  if (xs->len > 0) plat__dict_reserve(s, xs->len, file, line);
  for (int64_t i = 0; i < xs->len; i++) plat_set_add(s, xs->items[i], file, line);
  return s;
}

int32_t plat_set_length(plat_set *s) { return plat_dict_length(s); }
bool plat_set_is_empty(plat_set *s) { return plat_dict_is_empty(s); }
bool plat_set_remove(plat_set *s, plat_word v, const char *file, int line)
{
  return plat_dict_remove(s, v, NULL, file, line);
}
bool plat_set_contains(plat_set *s, plat_word v, const char *file, int line)
{
  return plat_dict_get(s, v, NULL, file, line);
}
void plat_set_clear(plat_set *s, const char *file, int line) { plat_dict_clear(s, file, line); }

/* Hash of a's entry e for the table of r (a set of the same type). */
static uint32_t hash_for(const plat_set *a, const unsigned char *e, const plat_set *r)
{
  return a->hoff != NO_HASH && a->kt == r->kt ? hash_ld(a, e) : key_hash(r, key_ld(a, e));
}

/* The elements of a that are (keep = true) or are not in b, in a's
 * order; all of a when b is NULL. */
static plat_set *filter(plat_set *a, plat_set *b, bool keep, const char *file, int line)
{
  plat__dict_idle(a, file, line);
  if (b) plat__dict_idle(b, file, line);
  plat_set *r = plat__dict_make(a->kt, NULL, file, line);
  const plat_dtab *at = tab_of(a), *bt = b ? tab_of(b) : NULL;
  FOR_ENTRIES(a, at, i, e) {
    if (!b || (plat__dict_find_from(a, e, b, bt).e >= 0) == keep)
      plat__dict_append_new(r, key_ld(a, e), 0, hash_for(a, e, r), file, line);
  }
  return r;
}

plat_set *plat_set_intersection(plat_set *a, plat_set *b, const char *file, int line)
{
  return filter(a, b, true, file, line);
}

plat_set *plat_set_difference(plat_set *a, plat_set *b, const char *file, int line)
{
  return filter(a, b, false, file, line);
}

plat_set *plat_set_union(plat_set *a, plat_set *b, const char *file, int line)
{
  plat_set *r = filter(a, NULL, true, file, line);       /* a copy of a */
  const plat_dtab *at = tab_of(a), *bt = tab_of(b);
  FOR_ENTRIES(b, bt, i, e) {
    if (plat__dict_find_from(b, e, a, at).e < 0)
      plat__dict_append_new(r, key_ld(b, e), 0, hash_for(b, e, r), file, line);
  }
  return r;
}

bool plat_set_is_subset_of(plat_set *a, plat_set *b, const char *file, int line)
{
  plat__dict_idle(a, file, line);
  plat__dict_idle(b, file, line);
  return a == b || (plat_set_length(a) <= plat_set_length(b) && plat__dict_within(a, b));
}

bool plat_set_is_superset_of(plat_set *a, plat_set *b, const char *file, int line)
{
  return plat_set_is_subset_of(b, a, file, line);
}

bool plat_set_is_disjoint_from(plat_set *a, plat_set *b, const char *file, int line)
{
  plat__dict_idle(a, file, line);
  plat__dict_idle(b, file, line);
  if (plat_set_length(a) > plat_set_length(b)) {   /* walk the smaller one */
    plat_set *t = a;
    a = b;
    b = t;
  }
  const plat_dtab *at = tab_of(a), *bt = tab_of(b);
  FOR_ENTRIES(a, at, i, e) {
    if (plat__dict_find_from(a, e, b, bt).e >= 0) return false;
  }
  return true;
}

bool plat_set_eq(plat_set *a, plat_set *b) { return plat_dict_eq(a, b); }
void plat_set_write(plat_sb *sb, plat_set *s) { plat_dict_write(sb, s); }
plat_str *plat_set_to_string(plat_set *s) { return plat_dict_to_string(s); }
