/* dict_ops.c -- the Dict methods of LANGUAGE.md 10.2 built on the table
 * of dict.c: literals, get_or, has_key, has_value, keys, values, merge,
 * equality and printing.
 *
 * Bulk reads walk the entries of one table snapshot in order.  Those that
 * may run user code while walking (printing: a class's to_string) use the
 * iterator, so a change made by that code panics as in a loop; the others
 * call only hash/eq, which cannot touch the dict.
 */
#include "dict_impl.h"

plat_dict *plat_dict_of(const plat_type *kt, const plat_type *vt, int64_t n, const plat_word *kv,
                        const char *file, int line)
{
  plat_dict *d = plat_dict_new(kt, vt, file, line);
  if (n > 0) plat__dict_reserve(d, n, file, line);
  for (int64_t i = 0; i < n; i++) plat_dict_insert(d, kv[2 * i], kv[2 * i + 1], NULL, file, line);
  return d;
}

plat_word plat_dict_get_or(plat_dict *d, plat_word key, plat_word dflt, const char *file, int line)
{
  plat_word v;
  return plat_dict_get(d, key, &v, file, line) ? v : dflt;
}

bool plat_dict_has_key(plat_dict *d, plat_word key, const char *file, int line)
{
  return plat_dict_get(d, key, NULL, file, line);
}

bool plat_dict_has_value(plat_dict *d, plat_word value, const char *file, int line)
{
  plat__dict_idle(d, file, line);
  const plat_dtab *t = tab_of(d);
  FOR_ENTRIES(d, t, i, e) {
    if (plat_type_eq(d->vt, val_ld(d, e), value)) return true;
  }
  return false;
}

static plat_list *collect(plat_dict *d, bool keys, const char *file, int line)
{
  plat__dict_idle(d, file, line);
  const plat_dtab *t = tab_of(d);
  plat_list *l = plat_list_new(LD_RLX(&t->count));
  FOR_ENTRIES(d, t, i, e) plat_list_push(l, keys ? key_ld(d, e) : val_ld(d, e));
  return l;
}

plat_list *plat_dict_keys(plat_dict *d, const char *file, int line) { return collect(d, true, file, line); }
plat_list *plat_dict_values(plat_dict *d, const char *file, int line) { return collect(d, false, file, line); }
plat_list *plat_set_to_list(plat_set *s, const char *file, int line) { return collect(s, true, file, line); }

void plat_dict_merge(plat_dict *d, plat_dict *other, const char *file, int line)
{
  if (d == other) {                  /* every value replaced by itself */
    plat__dict_idle(d, file, line);
    return;
  }
  plat_dict_iter it;
  plat_dict_iter_init(&it, other);
  plat_word k, v;
  while (plat_dict_iter_next(&it, &k, &v, file, line)) plat_dict_insert(d, k, v, NULL, file, line);
}

/* Every entry of a is in b (with an equal value, for a Dict). */
bool plat__dict_within(plat_dict *a, plat_dict *b)
{
  const plat_dtab *at = tab_of(a), *bt = tab_of(b);
  FOR_ENTRIES(a, at, i, e) {
    plat_found f = plat__dict_find_from(a, e, b, bt);
    if (f.e < 0) return false;
    if (a->vsize && !plat_type_eq(a->vt, val_ld(a, e), val_ld(b, ent(b, bt, f.e)))) return false;
  }
  return true;
}

bool plat_dict_eq(plat_dict *a, plat_dict *b)
{
  if (a == b) return true;
  plat__dict_idle(a, NULL, 0);
  plat__dict_idle(b, NULL, 0);
  return plat_dict_length(a) == plat_dict_length(b) && plat__dict_within(a, b);
}

/* {k: v, ...} or {x, ...}; "{}" when empty. */
void plat_dict_write(plat_sb *sb, plat_dict *d)
{
  plat_dict_iter it;
  plat_dict_iter_init(&it, d);
  plat_word k, v;
  bool first = true;
  plat_sb_add(sb, "{", 1);
  while (plat_dict_iter_next(&it, &k, &v, NULL, 0)) {
    if (!first) plat_sb_add(sb, ", ", 2);
    first = false;
    d->kt->write(sb, k);
    if (d->vt) {
      plat_sb_add(sb, ": ", 2);
      d->vt->write(sb, v);
    }
  }
  plat_sb_add(sb, "}", 1);
}

plat_str *plat_dict_to_string(plat_dict *d)
{
  plat_sb sb;
  plat_sb_init(&sb);
  plat_dict_write(&sb, d);
  return plat_sb_finish(&sb);
}
