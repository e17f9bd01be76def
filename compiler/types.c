/* types.c -- nominal, interned types (see types.h).
 *
 * Interning: an open-addressed hash table of instances keyed by the
 * declaration and the argument pointers (arguments are interned first,
 * so pointer identity is structural identity).  The table is malloc'ed
 * and owned by this file.  Instances made while the built-in catalogue
 * is loaded are frozen (types_freeze): they live in the permanent arena
 * and survive types_reset(), which a new compile session calls; every
 * other instance belongs to the session that made it.
 */
#include "types.h"

#include <stdio.h>
#include <stdlib.h>

Type *ty_error, *ty_never, *ty_unit, *ty_bool, *ty_i8, *ty_i16, *ty_i32,
    *ty_i64, *ty_f32, *ty_f64, *ty_string;
TypeDecl *td_list, *td_task, *td_channel, *td_option, *td_result;

static Type **tab;            /* the intern table: NULL or an instance */
static size_t tab_cap, tab_len;
static Type **frozen;         /* instances kept by types_reset (malloc) */
static size_t nfrozen;

static void oom(void) {
  fputs("plat: out of memory\n", stderr);
  abort();
}

static uint64_t hash_inst(const TypeDecl *d, Type *const *args, int n) {
  uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)d;
  h *= 1099511628211ull;
  for (int i = 0; i < n; i++) {
    h ^= (uint64_t)(uintptr_t)args[i];
    h *= 1099511628211ull;
    h ^= h >> 29;
  }
  return h;
}

static void tab_insert(Type *t) {
  size_t j = hash_inst(t->decl, t->args, t->nargs) & (tab_cap - 1);
  while (tab[j]) j = (j + 1) & (tab_cap - 1);
  tab[j] = t;
  tab_len++;
}

static void tab_grow(void) {
  size_t oc = tab_cap;
  Type **old = tab;
  tab_cap = oc ? oc * 2 : 256;
  tab = calloc(tab_cap, sizeof *tab);
  if (!tab) oom();
  tab_len = 0;
  for (size_t i = 0; i < oc; i++)
    if (old[i]) tab_insert(old[i]);
  free(old);
}

void types_reset(void) {
  if (tab) memset(tab, 0, tab_cap * sizeof *tab);
  tab_len = 0;
  for (size_t i = 0; i < nfrozen; i++) {
    if ((tab_len + 1) * 2 > tab_cap) tab_grow();
    tab_insert(frozen[i]);
  }
}

void types_freeze(void) {
  free(frozen);
  frozen = malloc(sizeof *frozen * (tab_len + 1));
  if (!frozen) oom();
  nfrozen = 0;
  for (size_t i = 0; i < tab_cap; i++)
    if (tab[i]) frozen[nfrozen++] = tab[i];
}

TypeDecl *typedecl_new(TypeDeclKind kind, Name name) {
  TypeDecl *d = arena_alloc(sizeof *d);
  d->kind = kind;
  d->name = name;
  d->repr = kind == TD_SPECIAL ? REPR_VOID : REPR_PTR;
  if (kind == TD_ENUM || kind == TD_CLASS || kind == TD_BUILTIN) d->props |= TP_REF;
  return d;
}

Type *type_new_param(const void *owner, int index, Name name) {
  TypeDecl *p = typedecl_new(TD_PARAM, name);
  p->owner = owner;
  p->index = index;
  p->repr = REPR_WORD;
  p->props = 0;
  return type_of(p);
}

void typedecl_set_params(TypeDecl *d, int n, const Name *names) {
  d->ntparams = n;
  d->tparams = arena_alloc(sizeof(Type *) * (size_t)(n + 1));
  for (int i = 0; i < n; i++) d->tparams[i] = type_new_param(d, i, names[i]);
}

static const char *spell(const char *base, Type *const *args, int n) {
  if (!n) return base;
  Buf b = {0};
  buf_puts(&b, base);
  buf_puts(&b, "<");
  for (int i = 0; i < n; i++) {
    if (i) buf_puts(&b, ", ");
    buf_puts(&b, args[i] ? args[i]->str : "?");
  }
  buf_puts(&b, ">");
  const char *s = arena_strndup(b.data, b.len);
  buf_free(&b);
  return s;
}

Type *type_inst(TypeDecl *d, Type *const *args, int n) {
  if (tab_cap) {
    size_t j = hash_inst(d, args, n) & (tab_cap - 1);
    for (Type *t; (t = tab[j]); j = (j + 1) & (tab_cap - 1)) {
      if (t->decl != d || t->nargs != n) continue;
      int i = 0;
      while (i < n && t->args[i] == args[i]) i++;
      if (i == n) return t;
    }
  }
  Type *t = arena_alloc(sizeof *t);
  t->decl = d;
  t->nargs = n;
  if (n) {
    t->args = arena_alloc(sizeof(Type *) * (size_t)n);
    memcpy(t->args, args, sizeof(Type *) * (size_t)n);
  }
  t->str = spell(d->name, t->args, n);
  if ((tab_len + 1) * 2 > tab_cap) tab_grow();
  tab_insert(t);
  return t;
}

Type *type_of(TypeDecl *d) { return type_inst(d, NULL, 0); }
Type *type_list(Type *e) { return type_inst(td_list, &e, 1); }
Type *type_task(Type *e) { return type_inst(td_task, &e, 1); }
Type *type_channel(Type *e) { return type_inst(td_channel, &e, 1); }
Type *type_option(Type *t) { return type_inst(td_option, &t, 1); }
Type *type_result(Type *t, Type *e) {
  Type *a[2] = {t, e};
  return type_inst(td_result, a, 2);
}

Type *type_subst(Type *t, const Subst *s) {
  if (!t) return ty_error;
  if (!s) return t;
  if (t->decl->kind == TD_PARAM) {
    for (; s; s = s->up)
      if (s->owner == t->decl->owner)
        return t->decl->index < s->nargs && s->args[t->decl->index] ? s->args[t->decl->index] : ty_error;
    return t;
  }
  if (!t->nargs) return t;
  Type *small[8], **na = t->nargs <= 8 ? small : arena_alloc(sizeof(Type *) * (size_t)t->nargs);
  bool same = true;
  for (int i = 0; i < t->nargs; i++) {
    na[i] = type_subst(t->args[i], s);
    if (na[i] != t->args[i]) same = false;
  }
  return same ? t : type_inst(t->decl, na, t->nargs);
}

Type *type_variant_field(Type *t, int v, int f) {
  if (!type_is_enum(t) || v < 0 || v >= t->decl->nvariants) return ty_error;
  VariantInfo *vi = &t->decl->variants[v];
  if (f < 0 || f >= vi->nfields) return ty_error;
  Subst s = {t->decl, t->args, t->nargs, NULL};
  return type_subst(vi->ftypes[f], &s);
}

bool type_contains(const Type *t, const TypeDecl *d) {
  if (!t) return false;
  if (t->decl == d) return true;
  for (int i = 0; i < t->nargs; i++)
    if (type_contains(t->args[i], d)) return true;
  return false;
}

bool type_contains_param(const Type *t) {
  if (!t) return false;
  if (t->decl->kind == TD_PARAM) return true;
  for (int i = 0; i < t->nargs; i++)
    if (type_contains_param(t->args[i])) return true;
  return false;
}

bool type_fits(Type *have, Type *want) {
  if (!have || !want) return true;
  if (have == want) return true;
  if (have == ty_error || want == ty_error || have == ty_never) return true;
  /* error placeholders nested inside (e.g. Option<error>) */
  if (have->decl == want->decl && have->nargs == want->nargs && have->nargs) {
    for (int i = 0; i < have->nargs; i++)
      if (!type_fits(have->args[i], want->args[i])) return false;
    return type_contains(have, ty_error->decl) || type_contains(want, ty_error->decl) ||
           type_contains(have, ty_never->decl);
  }
  return false;
}

void type_int_range(const Type *t, int64_t *lo, uint64_t *hi) {
  int bits = t->decl->bits ? t->decl->bits : 64;
  *hi = bits == 64 ? (uint64_t)INT64_MAX : ((uint64_t)1 << (bits - 1)) - 1;
  *lo = bits == 64 ? INT64_MIN : -(int64_t)((uint64_t)1 << (bits - 1));
}
